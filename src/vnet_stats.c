// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_stats.c - reading the per-queue counters.
 *
 * Each counter has exactly one writer context (see "Locking" in vnet.h), so
 * writers never contend; readers take a consistent snapshot per writer group
 * with the u64_stats retry loop. Counters live in struct vnet_queue, which
 * lives as long as the device: they never go backwards across down/up or a
 * ring resize.
 */
#include "vnet.h"

/* Frames counted by class, added to the per-protocol and per-destination counters. */
static void vnet_add_classes(u64 *proto, u64 *dest, const u64 *n)
{
	unsigned int i;

	for (i = 0; i < VNET_CLASS_NUM; i++) {
		proto[vnet_class_proto(i)] += n[i];
		dest[vnet_class_dest(i)] += n[i];
	}
}

static void vnet_read_napi_stats(struct vnet_napi_stats *s, struct vnet_counters *c)
{
	u64 rx[VNET_CLASS_NUM];
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		c->rx_packets = u64_stats_read(&s->rx_packets);
		c->rx_bytes = u64_stats_read(&s->rx_bytes);
		for (i = 0; i < VNET_CLASS_NUM; i++)
			rx[i] = u64_stats_read(&s->rx_class[i]);
		for (i = 0; i < VNET_SIZE_NUM; i++)
			c->rx_size[i] = u64_stats_read(&s->rx_size[i]);
		c->rx_dropped = u64_stats_read(&s->rx_flushed) +
				u64_stats_read(&s->rx_nomem);
		c->napi_polls = u64_stats_read(&s->napi_polls);
		c->xdp_packets = u64_stats_read(&s->xdp_packets);
		c->xdp_bytes = u64_stats_read(&s->xdp_bytes);
		c->xdp_pass = u64_stats_read(&s->xdp_pass);
		c->xdp_drop = u64_stats_read(&s->xdp_drop);
		c->xdp_tx = u64_stats_read(&s->xdp_tx);
		c->xdp_tx_errors = u64_stats_read(&s->xdp_tx_errors);
		c->xdp_redirect = u64_stats_read(&s->xdp_redirect);
		c->xdp_redirect_errors = u64_stats_read(&s->xdp_redirect_errors);
		c->xdp_aborted = u64_stats_read(&s->xdp_aborted);
		c->xdp_in_place = u64_stats_read(&s->xdp_in_place);
		c->rx_crc_errors = u64_stats_read(&s->rx_crc_errors);
		/* Flushed frames are TX drops; the others are added below. */
		c->tx_dropped = u64_stats_read(&s->tx_flushed);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	vnet_add_classes(c->rx_proto, c->rx_dest, rx);
}

/* What one direction's wire faults did: @hits by kind, and @refused. */
static void vnet_read_fault_stats(struct vnet_fault_stats *s, u64 *hits,
				  u64 *refused)
{
	unsigned int start;
	int k;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (k = 0; k < VNET_FAULT_KIND_NUM; k++)
			hits[k] = u64_stats_read(&s->hits[k]);
		*refused = u64_stats_read(&s->refused);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

static void vnet_read_faults(struct vnet_fault_queue *fq, struct vnet_counters *c)
{
	u64 refused, none;

	vnet_read_fault_stats(&fq->stats[VNET_DIR_TX], c->fault_tx, &refused);
	vnet_read_fault_stats(&fq->stats[VNET_DIR_RX], c->fault_rx, &none);
	/* Delayed frames the wire refused when due are TX wire drops. */
	c->tx_dropped += refused;
}

static void vnet_read_xmit_stats(struct vnet_xmit_stats *s, struct vnet_counters *c)
{
	u64 dropped, class[VNET_CLASS_NUM];
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		dropped = u64_stats_read(&s->tx_dropped) +
			  u64_stats_read(&s->tx_wire_dropped);
		c->tx_queue_stops = u64_stats_read(&s->tx_queue_stops);
		c->tx_busy = u64_stats_read(&s->tx_busy);
		c->tx_packets = u64_stats_read(&s->tx_packets);
		c->tx_bytes = u64_stats_read(&s->tx_bytes);
		for (i = 0; i < VNET_CLASS_NUM; i++)
			class[i] = u64_stats_read(&s->tx_class[i]);
		for (i = 0; i < VNET_SIZE_NUM; i++)
			c->tx_size[i] = u64_stats_read(&s->tx_size[i]);
		c->tx_queue_wakes = u64_stats_read(&s->tx_queue_wakes);
		c->tx_xmit_cleaned = u64_stats_read(&s->tx_xmit_cleaned);
	} while (u64_stats_fetch_retry(&s->syncp, start));
	c->tx_dropped += dropped;
	vnet_add_classes(c->tx_proto, c->tx_dest, class);
}

/*
 * Frames XDP put on a pair's wire directly were transmitted like any
 * other (a standalone device's went through its TX ring: counted there).
 */
static void vnet_read_xdp_xmit_stats(struct vnet_xdp_xmit_stats *s,
				     struct vnet_counters *c)
{
	u64 class[VNET_CLASS_NUM];
	unsigned int i;

	c->xdp_xmit = atomic64_read(&s->xmit);
	c->xdp_xmit_errors = atomic64_read(&s->xmit_errors);
	c->tx_packets += atomic64_read(&s->wire_packets);
	c->tx_bytes += atomic64_read(&s->wire_bytes);
	for (i = 0; i < VNET_CLASS_NUM; i++)
		class[i] = atomic64_read(&s->wire_class[i]);
	vnet_add_classes(c->tx_proto, c->tx_dest, class);
	for (i = 0; i < VNET_SIZE_NUM; i++)
		c->tx_size[i] += atomic64_read(&s->wire_size[i]);
	c->tx_dropped += c->xdp_xmit_errors;
}

static void vnet_read_rxhw_stats(struct vnet_queue *q, struct vnet_counters *c)
{
	unsigned int start;
	u64 crc;

	do {
		start = u64_stats_fetch_begin(&q->rxhw_stats.syncp);
		c->rx_missed = u64_stats_read(&q->rxhw_stats.rx_missed);
		c->rx_length_errors = u64_stats_read(&q->rxhw_stats.rx_length_errors);
		crc = u64_stats_read(&q->rxhw_stats.rx_crc_errors);
	} while (u64_stats_fetch_retry(&q->rxhw_stats.syncp, start));
	/* Bad frames found by the peer's TX corruption, and by our own RX. */
	c->rx_crc_errors += crc;
}

/**
 * vnet_queue_counters() - snapshot every counter of one queue
 * @q: the queue
 * @c: filled in
 *
 * Context: any.
 */
void vnet_queue_counters(struct vnet_queue *q, struct vnet_counters *c)
{
	memset(c, 0, sizeof(*c));
	vnet_read_napi_stats(&q->napi_stats, c);
	vnet_read_xmit_stats(&q->xmit_stats, c);
	vnet_read_faults(&q->fault, c);
	vnet_read_rxhw_stats(q, c);
	c->rx_irqs = atomic64_read(&q->irq_stats.rx_irqs);
	c->tx_irqs = atomic64_read(&q->irq_stats.tx_irqs);
	c->irq_ipis = atomic64_read(&q->irq_stats.irq_ipis);
	c->rx_adapt_bulk = atomic64_read(&q->irq_stats.rx_adapt_bulk);
	c->rx_adapt_lowlat = atomic64_read(&q->irq_stats.rx_adapt_lowlat);
	c->port_write_faults = atomic64_read(&q->port_stats.write_faults);
	c->port_read_truncated = atomic64_read(&q->port_stats.read_truncated);
	c->tx_timeouts = atomic64_read(&q->tx_timeouts);
	vnet_read_xdp_xmit_stats(&q->xdp_xmit_stats, c);
}

/**
 * vnet_dev_counters() - the device's totals of every counter
 * @priv: the device
 * @total: filled in: the sum over every queue ever used, so that fewer
 *	channels lose no counts
 *
 * Context: any; may run concurrently with the data path.
 */
void vnet_dev_counters(struct vnet_priv *priv, struct vnet_counters *total)
{
	struct vnet_counters c;
	const u64 *v = (const u64 *)&c;
	u64 *t = (u64 *)total;
	unsigned int i;
	u16 q;

	/* Every field is a u64 (see struct vnet_counters). */
	BUILD_BUG_ON(sizeof(c) % sizeof(u64));
	memset(total, 0, sizeof(*total));
	for (q = 0; q < priv->max_queues; q++) {
		vnet_queue_counters(&priv->queues[q], &c);
		for (i = 0; i < sizeof(c) / sizeof(u64); i++)
			t[i] += v[i];
	}
}

/**
 * vnet_get_stats64() - ndo_get_stats64: the device totals for `ip -s link`
 * @dev: the vnet device
 * @s: filled in (zeroed by the core)
 *
 * Context: any; may run concurrently with the data path.
 */
void vnet_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct vnet_counters c;

	vnet_dev_counters(netdev_priv(dev), &c);
	s->tx_packets = c.tx_packets;
	s->tx_bytes = c.tx_bytes;
	s->tx_dropped = c.tx_dropped;
	s->rx_packets = c.rx_packets;
	s->rx_bytes = c.rx_bytes;
	s->rx_dropped = c.rx_dropped;
	s->multicast = c.rx_dest[VNET_DEST_MULTICAST];
	s->rx_missed_errors = c.rx_missed;
	s->rx_length_errors = c.rx_length_errors;
	s->rx_crc_errors = c.rx_crc_errors;
	s->rx_fifo_errors = s->rx_missed_errors;
	s->rx_errors = s->rx_fifo_errors + s->rx_length_errors +
		       s->rx_crc_errors;
}

/*
 * netdev netlink's queue statistics (qstats-get, 6.10+): the same counters
 * as `ip -s link`, per queue. A queue that ethtool -L took out of use
 * keeps its counters (they live in struct vnet_queue) and is reported in
 * the device's base: the live queues plus the base add up to ip -s link's
 * figures exactly, across channel changes and while the device is down.
 * The core marks every field as not collected before it asks; only the
 * fields below are set - per queue, and in the base, which tells the core
 * which fields the device's answer has.
 */
static void vnet_qstats_rx_zero(struct netdev_queue_stats_rx *rx)
{
	rx->packets = 0;
	rx->bytes = 0;
	rx->hw_drops = 0;
	rx->hw_drop_overruns = 0;
}

static void vnet_qstats_rx_add(const struct vnet_counters *c,
			       struct netdev_queue_stats_rx *rx)
{
	rx->packets += c->rx_packets;
	rx->bytes += c->rx_bytes;
	/* ip -s link's rx_errors: missed, too long, a bad FCS. */
	rx->hw_drops += c->rx_missed + c->rx_length_errors + c->rx_crc_errors;
	rx->hw_drop_overruns += c->rx_missed;
}

static void vnet_qstats_tx_zero(struct netdev_queue_stats_tx *tx)
{
	tx->packets = 0;
	tx->bytes = 0;
	tx->hw_drops = 0;
	tx->stop = 0;
	tx->wake = 0;
}

static void vnet_qstats_tx_add(const struct vnet_counters *c,
			       struct netdev_queue_stats_tx *tx)
{
	tx->packets += c->tx_packets;
	tx->bytes += c->tx_bytes;
	/* ip -s link's tx_dropped: taken by the device, never sent. */
	tx->hw_drops += c->tx_dropped;
	tx->stop += c->tx_queue_stops;
	tx->wake += c->tx_queue_wakes;
}

static void vnet_qstats_rx(struct net_device *dev, int idx,
			   struct netdev_queue_stats_rx *rx)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_counters c;

	vnet_queue_counters(&priv->queues[idx], &c);
	vnet_qstats_rx_zero(rx);
	vnet_qstats_rx_add(&c, rx);
}

static void vnet_qstats_tx(struct net_device *dev, int idx,
			   struct netdev_queue_stats_tx *tx)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_counters c;

	vnet_queue_counters(&priv->queues[idx], &c);
	vnet_qstats_tx_zero(tx);
	vnet_qstats_tx_add(&c, tx);
}

/* The queues out of use: those from real_num_{rx,tx}_queues on. */
static void vnet_qstats_base(struct net_device *dev,
			     struct netdev_queue_stats_rx *rx,
			     struct netdev_queue_stats_tx *tx)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_counters c;
	unsigned int i;

	vnet_qstats_rx_zero(rx);
	vnet_qstats_tx_zero(tx);
	for (i = 0; i < priv->max_queues; i++) {
		if (i < dev->real_num_rx_queues && i < dev->real_num_tx_queues)
			continue;
		vnet_queue_counters(&priv->queues[i], &c);
		if (i >= dev->real_num_rx_queues)
			vnet_qstats_rx_add(&c, rx);
		if (i >= dev->real_num_tx_queues)
			vnet_qstats_tx_add(&c, tx);
	}
}

/* netdev_stat_ops: netdev netlink's qstats-get, per queue and per device. */
const struct netdev_stat_ops vnet_stat_ops = {
	.get_queue_stats_rx	= vnet_qstats_rx,
	.get_queue_stats_tx	= vnet_qstats_tx,
	.get_base_stats		= vnet_qstats_base,
};
