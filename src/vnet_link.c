// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_link.c - the "vnet" rtnetlink link kind: making devices and pairs.
 *
 * A vnet device is set up here (vnet_setup(): its ops, features, limits)
 * and made by the module (vnet_create()), a /dev/vnet file
 * (vnet_create_locked()) or rtnetlink:
 * `ip link add name A type vnet` makes a standalone device. With a
 * VNET_INFO_PEER attribute (tools/vnetctl sends it) it makes a pair: two
 * devices, possibly in different namespaces, each the other's wire
 * (vnet_wire_peer, vnet_wire_peer.c). Deleting either end deletes both.
 * Faults may come with the request that makes a device; afterwards they
 * are the vnet family's (vnet_genl.c), and RTM_GETLINK answers carry no
 * link data of ours (no fill_info), as veth's.
 */
#include <net/rtnetlink.h>

#include "vnet.h"

/**
 * vnet_setup() - rtnl_link_ops.setup: the net_device defaults of vnet
 * @dev: a device being allocated
 *
 * Context: process context.
 */
void vnet_setup(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &vnet_netdev_ops;
	dev->ethtool_ops = &vnet_ethtool_ops;
	dev->rtnl_link_ops = &vnet_link_ops;
	vnet_set_stat_ops(dev, &vnet_stat_ops);
	dev->min_mtu = VNET_MIN_MTU;
	dev->max_mtu = VNET_MAX_MTU;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
			 NETIF_F_HIGHDMA;
	/* rx-all: frames with a bad FCS (the corruption fault) go up too. */
	dev->hw_features |= dev->features | NETIF_F_RXALL;
	dev->needs_free_netdev = true;
	dev->watchdog_timeo = VNET_TX_TIMEOUT;
	/* The module's parameters are the defaults of a device's settings. */
	priv->irq_spread = READ_ONCE(vnet_irq_spread);
	priv->rx_poll_us = READ_ONCE(vnet_rx_poll_us);
	priv->tx_delay_us = READ_ONCE(vnet_tx_delay_us);
	/* The device is not registered yet: no lock, no notifier needed. */
	xdp_set_features_flag_locked(dev, NETDEV_XDP_ACT_BASIC |
				     NETDEV_XDP_ACT_REDIRECT |
				     NETDEV_XDP_ACT_NDO_XMIT);
}

/**
 * vnet_create() - make and register a standalone vnet device
 * @name: interface name, may hold a %d pattern ("vnet%d")
 * @queues: number of TX/RX queue pairs, 1..VNET_MAX_QUEUES
 *
 * The device is of link kind "vnet" like those made with `ip link add`:
 * `ip link del` removes it, and so does unloading the module.
 *
 * Context: process context; takes RTNL.
 * Return: the device, or an ERR_PTR().
 */
struct net_device *vnet_create(const char *name, u16 queues)
{
	struct net_device *dev;

	rtnl_lock();
	dev = vnet_create_locked(&init_net, name, queues);
	rtnl_unlock();
	return dev;
}

/**
 * vnet_create_locked() - make and register a standalone vnet device in @net
 * @net: the network namespace the device is born in
 * @name: interface name, may hold a %d pattern
 * @queues: number of TX/RX queue pairs, 1..VNET_MAX_QUEUES
 *
 * Context: process context, RTNL held.
 * Return: the device, or an ERR_PTR().
 */
struct net_device *vnet_create_locked(struct net *net, const char *name,
				      u16 queues)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	if (!queues || queues > VNET_MAX_QUEUES)
		return ERR_PTR(-EINVAL);
	dev = alloc_netdev_mqs(sizeof(struct vnet_priv), name, NET_NAME_ENUM,
			       vnet_setup, queues, queues);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev_net_set(dev, net);
	err = register_netdevice(dev);
	if (err) {
		free_netdev(dev);
		return ERR_PTR(err);
	}
	return dev;
}

static const struct nla_policy vnet_policy[VNET_INFO_MAX + 1] = {
	[VNET_INFO_PEER] = { .len = sizeof(struct ifinfomsg) },
	[VNET_INFO_FAULT_TX] = { .type = NLA_NESTED },
	[VNET_INFO_FAULT_RX] = { .type = NLA_NESTED },
	[VNET_INFO_FAULT_SEED] = { .type = NLA_U64 },
	[VNET_INFO_RX_EXHAUST] = NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_INFO_TX_STALL] = NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_INFO_FLAP_MS] = { .type = NLA_U32 },
};

/* The fault attributes among the link kind's VNET_INFO_*, by meaning. */
static void vnet_fault_attrs_from_link(struct vnet_fault_attrs *a,
				       struct nlattr *data[])
{
	memset(a, 0, sizeof(*a));
	if (!data)
		return;
	a->dir[VNET_DIR_TX] = data[VNET_INFO_FAULT_TX];
	a->dir[VNET_DIR_RX] = data[VNET_INFO_FAULT_RX];
	a->seed = data[VNET_INFO_FAULT_SEED];
	a->rx_exhaust = data[VNET_INFO_RX_EXHAUST];
	a->tx_stall = data[VNET_INFO_TX_STALL];
	a->flap_ms = data[VNET_INFO_FLAP_MS];
}

/* The queues a request asks for in @type: 1 if it does not say. */
static u32 vnet_link_queues(struct nlattr *tb[], int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 1;
}

static int vnet_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct vnet_fault_attrs faults;

	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_MOD(extack, "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_MOD(extack, "MAC address must be unicast and non-zero");
			return -EADDRNOTAVAIL;
		}
	}
	/*
	 * Queue pairs: as many TX as RX queues. The core makes one of a
	 * count not given (numtxqueues 4 alone is 4 TX queues and 1 RX).
	 */
	if (vnet_link_queues(tb, IFLA_NUM_TX_QUEUES) !=
	    vnet_link_queues(tb, IFLA_NUM_RX_QUEUES)) {
		NL_SET_ERR_MSG_MOD(extack, "vnet needs as many TX as RX queues");
		return -EINVAL;
	}
	if (vnet_link_queues(tb, IFLA_NUM_TX_QUEUES) > VNET_MAX_QUEUES) {
		NL_SET_ERR_MSG_MOD(extack, "at most " __stringify(VNET_MAX_QUEUES)
				   " queues");
		return -EINVAL;
	}
	vnet_fault_attrs_from_link(&faults, data);
	return vnet_fault_validate(&faults, extack);
}

/* The core defaults a missing queue count to 1, so only check a given one. */
static int vnet_validate_queues(struct nlattr *tb[], struct netlink_ext_ack *extack)
{
	if ((tb[IFLA_NUM_TX_QUEUES] && !nla_get_u32(tb[IFLA_NUM_TX_QUEUES])) ||
	    (tb[IFLA_NUM_RX_QUEUES] && !nla_get_u32(tb[IFLA_NUM_RX_QUEUES]))) {
		NL_SET_ERR_MSG_MOD(extack, "at least one queue");
		return -EINVAL;
	}
	return 0;
}

/*
 * A pair's wire carries skbs, not wire frames: let TCP's and UDP's
 * segmentation offloads cross it whole, as veth does; GRO on the receiver
 * and GSO on the sender meet in the middle. And since the very skb sent
 * becomes the peer's received skb, the stack may not hand us one skb
 * several times (pktgen's burst and clone_skb do, where sharing is allowed).
 */
static void vnet_pair_features(struct net_device *dev)
{
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->features |= NETIF_F_GSO_SOFTWARE | NETIF_F_FRAGLIST;
	dev->hw_features |= NETIF_F_GSO_SOFTWARE | NETIF_F_FRAGLIST;
	dev->hw_enc_features |= dev->features;
}

/* Make, register and configure the peer described by VNET_INFO_PEER. */
static struct net_device *vnet_peer_create(struct rtnl_newlink_params *params,
					   struct nlattr *nla_peer,
					   struct netlink_ext_ack *extack)
{
	struct nlattr *peer_tb[IFLA_MAX + 1];
	unsigned char name_assign_type;
	struct ifinfomsg *ifmp = nla_data(nla_peer);
	char ifname[IFNAMSIZ];
	struct net_device *peer;
	struct net *net;
	int err;

	err = rtnl_nla_parse_ifinfomsg(peer_tb, nla_peer, extack);
	if (err < 0)
		return ERR_PTR(err);
	err = vnet_validate(peer_tb, NULL, extack);
	if (!err)
		err = vnet_validate_queues(peer_tb, extack);
	if (err)
		return ERR_PTR(err);

	if (peer_tb[IFLA_IFNAME]) {
		nla_strscpy(ifname, peer_tb[IFLA_IFNAME], IFNAMSIZ);
		name_assign_type = NET_NAME_USER;
	} else {
		strscpy(ifname, VNET_DRV_NAME "%d", IFNAMSIZ);
		name_assign_type = NET_NAME_ENUM;
	}
	net = vnet_newlink_peer_net(params, peer_tb);
	if (IS_ERR(net)) {
		NL_SET_ERR_MSG_MOD(extack, "peer namespace not found or not allowed");
		return ERR_CAST(net);
	}
	peer = rtnl_create_link(net, ifname, name_assign_type, &vnet_link_ops,
				peer_tb, extack);
	put_net(net);
	if (IS_ERR(peer))
		return peer;
	vnet_pair_features(peer);
	if (ifmp->ifi_index)
		peer->ifindex = ifmp->ifi_index;

	err = register_netdevice(peer);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "the peer's name is taken");
		free_netdev(peer);
		return ERR_PTR(err);
	}
	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err) {
		unregister_netdevice(peer);
		return ERR_PTR(err);
	}
	return peer;
}

/* Make @peer @dev's wire: the far side first, then the wire that leads there. */
static void vnet_pair_link(struct net_device *dev, struct net_device *peer)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u16 i;

	rcu_assign_pointer(priv->peer, peer);
	for (i = 0; i < priv->max_queues; i++)
		vnet_wire_set(&priv->queues[i], &vnet_wire_peer);
}

/*
 * Undo vnet_pair_link(). Readers on the data path may still see the old
 * pointers; the unregistration of both devices waits for them
 * (synchronize_net()), and the peer's wire copes without its far side.
 */
static void vnet_pair_unlink(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u16 i;

	for (i = 0; i < priv->max_queues; i++)
		vnet_wire_set(&priv->queues[i], &vnet_wire_sink);
	RCU_INIT_POINTER(priv->peer, NULL);
}

/**
 * vnet_newlink() - rtnl_link_ops.newlink: register a standalone device, or
 *	a pair when VNET_INFO_PEER describes the other end
 * @dev: the device the core allocated from the request's attributes
 * @params: the request (see vnet_compat.h for kernels before the struct)
 * @extack: where to say what was wrong
 *
 * The peer is made and registered first, in its own namespace, then @dev;
 * the two are tied together only once both exist.
 *
 * Context: process context, RTNL held.
 * Return: 0 or a negative errno.
 */
int vnet_newlink(struct net_device *dev, struct rtnl_newlink_params *params,
		 struct netlink_ext_ack *extack)
{
	struct nlattr **data = params->data;
	struct vnet_fault_attrs faults;
	struct net_device *peer;
	int err;

	err = vnet_validate_queues(params->tb, extack);
	if (err)
		return err;
	vnet_fault_attrs_from_link(&faults, data);
	if (!data || !data[VNET_INFO_PEER]) {
		err = register_netdevice(dev);		/* standalone */
		if (err || !vnet_fault_given(&faults))
			return err;
		/* The faults asked for, or no device: never one without them. */
		err = vnet_fault_set(dev, &faults, extack);
		if (err)
			unregister_netdevice(dev);
		return err;
	}

	peer = vnet_peer_create(params, data[VNET_INFO_PEER], extack);
	if (IS_ERR(peer))
		return PTR_ERR(peer);
	vnet_pair_features(dev);
	err = register_netdevice(dev);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack, "the name is taken (by the peer?)");
		unregister_netdevice(peer);
		return err;
	}
	/* Pairs talk to each other, not to a synthetic source. */
	vnet_pair_link(dev, peer);
	vnet_pair_link(peer, dev);
	/* Faults given with the request: both ends go if they cannot be set. */
	if (vnet_fault_given(&faults)) {
		err = vnet_fault_set(dev, &faults, extack);
		if (err) {
			vnet_pair_unlink(dev);
			vnet_pair_unlink(peer);
			unregister_netdevice(dev);
			unregister_netdevice(peer);
			return err;
		}
	}
	return 0;
}

/*
 * rtnl_link_ops.changelink: nothing of ours changes through rtnetlink once
 * a device exists. Said plainly, rather than the core's bare EOPNOTSUPP.
 */
static int vnet_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (!data)
		return 0;
	if (data[VNET_INFO_PEER]) {
		NL_SET_ERR_MSG_MOD(extack, "a pair's peer is given when the pair is made");
		return -EOPNOTSUPP;
	}
	NL_SET_ERR_MSG_MOD(extack,
			   "a device's faults are set through the vnet generic netlink family (vnetctl fault)");
	return -EOPNOTSUPP;
}

static void vnet_dellink(struct net_device *dev, struct list_head *head)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	/*
	 * Only a pair's wires are the peer's: a standalone device keeps its
	 * own (a /dev/vnet port's lets go of the queue in ndo_uninit).
	 */
	if (peer) {
		vnet_pair_unlink(dev);
		vnet_pair_unlink(peer);
	}
	unregister_netdevice_queue(dev, head);
	if (peer)
		unregister_netdevice_queue(peer, head);
}

static struct net *vnet_get_link_net(const struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

struct rtnl_link_ops vnet_link_ops = {
	.kind		= VNET_LINK_KIND,
	.priv_size	= sizeof(struct vnet_priv),
	.setup		= vnet_setup,
	.validate	= vnet_validate,
	.newlink	= VNET_NEWLINK,
	.changelink	= vnet_changelink,
	.dellink	= vnet_dellink,
	.get_link_net	= vnet_get_link_net,
	.policy		= vnet_policy,
	.maxtype	= VNET_INFO_MAX,
	VNET_LINK_OPS_PEER_TYPE(VNET_INFO_PEER)
};
