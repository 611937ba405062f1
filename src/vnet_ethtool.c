// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_ethtool.c - ethtool: driver info, statistics, rings, channels,
 * interrupt coalescing, link, msglevel.
 *
 * `ethtool -S` prints the peer's ifindex (0 for a standalone device), the
 * device totals, then every queue's counters as q<N>_<name>. Both come
 * from one table over struct vnet_counters, the same snapshot that
 * ndo_get_stats64() sums, so the two views always agree.
 */
#include <linux/ethtool.h>
#include <linux/if_vlan.h>

#include "vnet.h"

struct vnet_stat_desc {
	const char *name;
	size_t offset;
};

#define VNET_STAT(field) { #field, offsetof(struct vnet_counters, field) }
#define VNET_STAT_AT(name, member) { name, offsetof(struct vnet_counters, member) }

static const struct vnet_stat_desc vnet_stats[] = {
	VNET_STAT(tx_packets),
	VNET_STAT(tx_bytes),
	VNET_STAT(tx_dropped),
	VNET_STAT_AT("tx_arp", tx_proto[VNET_PROTO_ARP]),
	VNET_STAT_AT("tx_ipv4", tx_proto[VNET_PROTO_IPV4]),
	VNET_STAT_AT("tx_ipv6", tx_proto[VNET_PROTO_IPV6]),
	VNET_STAT_AT("tx_other", tx_proto[VNET_PROTO_OTHER]),
	VNET_STAT_AT("tx_unicast", tx_dest[VNET_DEST_UNICAST]),
	VNET_STAT_AT("tx_multicast", tx_dest[VNET_DEST_MULTICAST]),
	VNET_STAT_AT("tx_broadcast", tx_dest[VNET_DEST_BROADCAST]),
	VNET_STAT(tx_queue_stops),
	VNET_STAT(tx_queue_wakes),
	VNET_STAT(tx_busy),
	VNET_STAT(tx_xmit_cleaned),
	VNET_STAT(tx_irqs),
	VNET_STAT(rx_packets),
	VNET_STAT(rx_bytes),
	VNET_STAT(rx_dropped),
	VNET_STAT(rx_missed),
	VNET_STAT(rx_length_errors),
	VNET_STAT_AT("rx_arp", rx_proto[VNET_PROTO_ARP]),
	VNET_STAT_AT("rx_ipv4", rx_proto[VNET_PROTO_IPV4]),
	VNET_STAT_AT("rx_ipv6", rx_proto[VNET_PROTO_IPV6]),
	VNET_STAT_AT("rx_other", rx_proto[VNET_PROTO_OTHER]),
	VNET_STAT_AT("rx_unicast", rx_dest[VNET_DEST_UNICAST]),
	VNET_STAT_AT("rx_multicast", rx_dest[VNET_DEST_MULTICAST]),
	VNET_STAT_AT("rx_broadcast", rx_dest[VNET_DEST_BROADCAST]),
	VNET_STAT(rx_irqs),
	VNET_STAT(irq_ipis),
	VNET_STAT(rx_adapt_bulk),
	VNET_STAT(rx_adapt_lowlat),
	VNET_STAT(napi_polls),
	VNET_STAT(port_write_faults),
	VNET_STAT(port_read_truncated),
	VNET_STAT(xdp_packets),
	VNET_STAT(xdp_bytes),
	VNET_STAT(xdp_pass),
	VNET_STAT(xdp_drop),
	VNET_STAT(xdp_tx),
	VNET_STAT(xdp_tx_errors),
	VNET_STAT(xdp_redirect),
	VNET_STAT(xdp_redirect_errors),
	VNET_STAT(xdp_aborted),
	VNET_STAT(xdp_in_place),
	VNET_STAT(xdp_xmit),
	VNET_STAT(xdp_xmit_errors),
	VNET_STAT(rx_crc_errors),
	VNET_STAT(tx_timeouts),
	VNET_STAT_AT("fault_tx_drop", fault_tx[VNET_FAULT_KIND_DROP]),
	VNET_STAT_AT("fault_tx_corrupt", fault_tx[VNET_FAULT_KIND_CORRUPT]),
	VNET_STAT_AT("fault_tx_duplicate", fault_tx[VNET_FAULT_KIND_DUPLICATE]),
	VNET_STAT_AT("fault_tx_reorder", fault_tx[VNET_FAULT_KIND_REORDER]),
	VNET_STAT_AT("fault_tx_delay", fault_tx[VNET_FAULT_KIND_DELAY]),
	VNET_STAT_AT("fault_rx_drop", fault_rx[VNET_FAULT_KIND_DROP]),
	VNET_STAT_AT("fault_rx_corrupt", fault_rx[VNET_FAULT_KIND_CORRUPT]),
	VNET_STAT_AT("fault_rx_duplicate", fault_rx[VNET_FAULT_KIND_DUPLICATE]),
	VNET_STAT_AT("fault_rx_reorder", fault_rx[VNET_FAULT_KIND_REORDER]),
	VNET_STAT_AT("fault_rx_delay", fault_rx[VNET_FAULT_KIND_DELAY]),
};

#define VNET_NUM_STATS ARRAY_SIZE(vnet_stats)

static u64 vnet_stat_value(const struct vnet_counters *c, unsigned int i)
{
	return *(const u64 *)((const u8 *)c + vnet_stats[i].offset);
}

static int vnet_get_sset_count(struct net_device *dev, int sset)
{
	struct vnet_priv *priv = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return 1 + VNET_NUM_STATS * (1 + priv->num_queues);
}

static void vnet_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct vnet_priv *priv = netdev_priv(dev);
	unsigned int i;
	u16 q;

	if (sset != ETH_SS_STATS)
		return;
	ethtool_puts(&data, "peer_ifindex");
	for (i = 0; i < VNET_NUM_STATS; i++)
		ethtool_puts(&data, vnet_stats[i].name);
	for (q = 0; q < priv->num_queues; q++)
		for (i = 0; i < VNET_NUM_STATS; i++)
			ethtool_sprintf(&data, "q%u_%s", q, vnet_stats[i].name);
}

static void vnet_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u64 *totals = data + 1, *per_queue = totals + VNET_NUM_STATS;
	struct vnet_counters c;
	struct net_device *peer;
	unsigned int i;
	u16 q;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	data[0] = peer ? peer->ifindex : 0;
	rcu_read_unlock();
	memset(totals, 0, VNET_NUM_STATS * sizeof(*totals));
	/* Totals include queues no longer in use: counters never go back. */
	for (q = 0; q < priv->max_queues; q++) {
		vnet_queue_counters(&priv->queues[q], &c);
		for (i = 0; i < VNET_NUM_STATS; i++) {
			u64 v = vnet_stat_value(&c, i);

			totals[i] += v;
			if (q < priv->num_queues)
				*per_queue++ = v;
		}
	}
}

/* RMON's size ranges, in octets with the FCS (vnet_size_bucket()). */
static const struct ethtool_rmon_hist_range vnet_rmon_ranges[] = {
	{    0,   64 },
	{   65,  127 },
	{  128,  255 },
	{  256,  511 },
	{  512, 1023 },
	{ 1024, 1518 },
	{ 1519, VNET_MAX_MTU + VLAN_ETH_HLEN + ETH_FCS_LEN },
	{}
};

/*
 * RMON's statistics (`ethtool -S DEV --groups rmon`): the frame-size
 * histograms of what the device received and transmitted (rx_packets and
 * tx_packets by size), summed over the queues. The size-related error
 * counters (undersize, oversize, fragments, jabbers) are left unset, so
 * that ethtool does not print them: vnet does not sort its errors by size.
 */
static void vnet_get_rmon_stats(struct net_device *dev,
				struct ethtool_rmon_stats *rmon,
				const struct ethtool_rmon_hist_range **ranges)
{
	struct vnet_counters c;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(vnet_rmon_ranges) != VNET_SIZE_NUM + 1);
	BUILD_BUG_ON(VNET_SIZE_NUM > ETHTOOL_RMON_HIST_MAX);
	vnet_dev_counters(netdev_priv(dev), &c);
	for (i = 0; i < VNET_SIZE_NUM; i++) {
		rmon->hist[i] = c.rx_size[i];
		rmon->hist_tx[i] = c.tx_size[i];
	}
	*ranges = vnet_rmon_ranges;
}

static void vnet_get_drvinfo(struct net_device *dev, struct ethtool_drvinfo *info)
{
	struct vnet_priv *priv = netdev_priv(dev);

	strscpy(info->driver, VNET_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, VNET_DRV_VERSION, sizeof(info->version));
	snprintf(info->bus_info, sizeof(info->bus_info), "vnet:%u", priv->id);
}

static void vnet_get_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);

	ring->rx_max_pending = VNET_RING_MAX;
	ring->tx_max_pending = VNET_RING_MAX;
	ring->rx_pending = priv->rx_ring_size;
	ring->tx_pending = priv->tx_ring_size;
}

static int vnet_set_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);

	/* The core has refused sizes above the maxima and mini/jumbo rings. */
	if (ring->tx_pending < VNET_RING_MIN || ring->rx_pending < VNET_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "ring size must be at least "
				   __stringify(VNET_RING_MIN));
		return -EINVAL;
	}
	if (ring->tx_pending == priv->tx_ring_size &&
	    ring->rx_pending == priv->rx_ring_size)
		return 0;
	return vnet_rings_reconfigure(priv, ring->tx_pending, ring->rx_pending,
				      extack);
}

static void vnet_get_channels(struct net_device *dev, struct ethtool_channels *ch)
{
	struct vnet_priv *priv = netdev_priv(dev);

	ch->max_combined = priv->max_queues;
	ch->combined_count = priv->num_queues;
}

static int vnet_set_channels(struct net_device *dev, struct ethtool_channels *ch)
{
	struct vnet_priv *priv = netdev_priv(dev);

	/* The core has refused counts above the maxima and rx/tx/other. */
	if (ch->combined_count == priv->num_queues)
		return 0;
	return vnet_channels_reconfigure(priv, ch->combined_count);
}

static int vnet_get_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);

	ec->rx_coalesce_usecs = priv->coal.rx_usecs;
	ec->rx_max_coalesced_frames = priv->coal.rx_frames;
	ec->tx_coalesce_usecs = priv->coal.tx_usecs;
	ec->tx_max_coalesced_frames = priv->coal.tx_frames;
	ec->use_adaptive_rx_coalesce = priv->coal.adaptive_rx;
	return 0;
}

/*
 * Interrupt moderation, live: the next interrupt follows the new values
 * (one already waiting for its timer keeps it). The core has refused the
 * parameters vnet does not support (supported_coalesce_params). While
 * adaptive-rx is on, rx-usecs and rx-frames are kept for when it is off.
 */
static int vnet_set_coalesce(struct net_device *dev, struct ethtool_coalesce *ec,
			     struct kernel_ethtool_coalesce *kec,
			     struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);

	if (ec->rx_coalesce_usecs > VNET_COAL_MAX_USECS ||
	    ec->tx_coalesce_usecs > VNET_COAL_MAX_USECS) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs and tx-usecs are at most "
				   __stringify(VNET_COAL_MAX_USECS) " (1 s)");
		return -EINVAL;
	}
	if (ec->rx_max_coalesced_frames > VNET_COAL_MAX_FRAMES ||
	    ec->tx_max_coalesced_frames > VNET_COAL_MAX_FRAMES) {
		NL_SET_ERR_MSG_MOD(extack, "rx-frames and tx-frames are at most "
				   __stringify(VNET_RING_MAX));
		return -EINVAL;
	}
	WRITE_ONCE(priv->coal.rx_usecs, ec->rx_coalesce_usecs);
	WRITE_ONCE(priv->coal.rx_frames, ec->rx_max_coalesced_frames);
	WRITE_ONCE(priv->coal.tx_usecs, ec->tx_coalesce_usecs);
	WRITE_ONCE(priv->coal.tx_frames, ec->tx_max_coalesced_frames);
	if (priv->coal.adaptive_rx != !!ec->use_adaptive_rx_coalesce) {
		unsigned int i;

		/* Each queue starts with an interrupt per batch. */
		for (i = 0; i < priv->max_queues; i++) {
			WRITE_ONCE(priv->queues[i].rx_adapt_usecs, 0);
			WRITE_ONCE(priv->queues[i].rx_adapt_streak, 0);
		}
		WRITE_ONCE(priv->coal.adaptive_rx, !!ec->use_adaptive_rx_coalesce);
	}
	return 0;
}

static int vnet_get_link_ksettings(struct net_device *dev,
				   struct ethtool_link_ksettings *cmd)
{
	struct vnet_priv *priv = netdev_priv(dev);

	/* No line rate set: say so rather than invent one. */
	cmd->base.speed = priv->speed_mbps ? : SPEED_UNKNOWN;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/*
 * ethtool -s DEV speed N duplex full autoneg off: emulate a line rate of
 * N Mbit/s (vnet_pace.c); ethtool -s DEV autoneg on: no line rate again.
 * The ethtool op has no extack: the reason for a refusal goes to the log.
 */
static int vnet_set_link_ksettings(struct net_device *dev,
				   const struct ethtool_link_ksettings *cmd)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u32 speed = cmd->base.speed;

	if (cmd->base.autoneg == AUTONEG_ENABLE) {
		vnet_pace_set(priv, 0);
		return 0;
	}
	if (cmd->base.duplex != DUPLEX_FULL) {
		netdev_err(dev, "vnet links are full duplex only\n");
		return -EINVAL;
	}
	if (speed == SPEED_UNKNOWN || !speed || speed > VNET_SPEED_MAX) {
		netdev_err(dev, "speed must be 1 to %u Mbit/s (autoneg on: unlimited)\n",
			   VNET_SPEED_MAX);
		return -EINVAL;
	}
	if (cmd->base.port != PORT_OTHER) {
		netdev_err(dev, "vnet has one port, of type Other\n");
		return -EINVAL;
	}
	vnet_pace_set(priv, speed);
	netif_info(priv, link, dev, "line rate %u Mbit/s\n", speed);
	return 0;
}

static u32 vnet_get_msglevel(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	return priv->msg_enable;
}

static void vnet_set_msglevel(struct net_device *dev, u32 level)
{
	struct vnet_priv *priv = netdev_priv(dev);

	priv->msg_enable = level;
}

const struct ethtool_ops vnet_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_USECS |
				     ETHTOOL_COALESCE_MAX_FRAMES |
				     ETHTOOL_COALESCE_USE_ADAPTIVE_RX,
	.get_coalesce		= vnet_get_coalesce,
	.set_coalesce		= vnet_set_coalesce,
	.get_drvinfo		= vnet_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_sset_count		= vnet_get_sset_count,
	.get_strings		= vnet_get_strings,
	.get_ethtool_stats	= vnet_get_ethtool_stats,
	.get_rmon_stats		= vnet_get_rmon_stats,
	.get_ringparam		= vnet_get_ringparam,
	.set_ringparam		= vnet_set_ringparam,
	.get_channels		= vnet_get_channels,
	.set_channels		= vnet_set_channels,
	.get_link_ksettings	= vnet_get_link_ksettings,
	.set_link_ksettings	= vnet_set_link_ksettings,
	.get_msglevel		= vnet_get_msglevel,
	.set_msglevel		= vnet_set_msglevel,
};
