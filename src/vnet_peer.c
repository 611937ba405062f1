// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_peer.c - the "vnet" rtnetlink link kind, and pairs.
 *
 * `ip link add name A type vnet` makes a standalone device. With a
 * VNET_INFO_PEER attribute (tools/vnetctl sends it) it makes a pair: two
 * devices, possibly in different namespaces, each the other's wire
 * (vnet_wire_peer, the second half of this file). What one end's hardware
 * completes on TX is received into the other end's RX ring
 * (vnet_peer_deliver()), and the receiving end's NAPI restarts a sender
 * that waited for room (vnet_peer_kick_senders()). Deleting either end
 * deletes both.
 */
#include <linux/if_vlan.h>
#include <net/rtnetlink.h>

#include "vnet.h"
#include "vnet_trace.h"

static const struct nla_policy vnet_policy[VNET_INFO_MAX + 1] = {
	[VNET_INFO_PEER] = { .len = sizeof(struct ifinfomsg) },
	[VNET_INFO_FAULT_TX] = { .type = NLA_NESTED },
	[VNET_INFO_FAULT_RX] = { .type = NLA_NESTED },
	[VNET_INFO_FAULT_SEED] = { .type = NLA_U64 },
	[VNET_INFO_RX_EXHAUST] = NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_INFO_TX_STALL] = NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_INFO_FLAP_MS] = { .type = NLA_U32 },
};

static int vnet_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
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
	if (tb[IFLA_NUM_TX_QUEUES] && tb[IFLA_NUM_RX_QUEUES] &&
	    nla_get_u32(tb[IFLA_NUM_TX_QUEUES]) != nla_get_u32(tb[IFLA_NUM_RX_QUEUES])) {
		NL_SET_ERR_MSG_MOD(extack, "vnet needs as many TX as RX queues");
		return -EINVAL;
	}
	if ((tb[IFLA_NUM_TX_QUEUES] &&
	     nla_get_u32(tb[IFLA_NUM_TX_QUEUES]) > VNET_MAX_QUEUES) ||
	    (tb[IFLA_NUM_RX_QUEUES] &&
	     nla_get_u32(tb[IFLA_NUM_RX_QUEUES]) > VNET_MAX_QUEUES)) {
		NL_SET_ERR_MSG_MOD(extack, "at most " __stringify(VNET_MAX_QUEUES)
				   " queues");
		return -EINVAL;
	}
	return vnet_fault_validate(data, extack);
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
	struct net_device *peer;
	int err;

	err = vnet_validate_queues(params->tb, extack);
	if (err)
		return err;
	if (!data || !data[VNET_INFO_PEER]) {
		err = register_netdevice(dev);		/* standalone */
		if (err || !vnet_fault_given(data))
			return err;
		/* The faults asked for, or no device: never one without them. */
		err = vnet_fault_set(dev, data, extack);
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
	if (vnet_fault_given(data)) {
		err = vnet_fault_set(dev, data, extack);
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
 * rtnl_link_ops.changelink: `vnetctl fault` (RTM_NEWLINK with the fault
 * attributes) on an existing device.
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
	return vnet_fault_set(dev, data, extack);
}

static void vnet_dellink(struct net_device *dev, struct list_head *head)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	vnet_pair_unlink(dev);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		vnet_pair_unlink(peer);
		unregister_netdevice_queue(peer, head);
	}
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
	.get_size	= vnet_fault_get_size,
	.fill_info	= vnet_fault_fill_info,
	.get_link_net	= vnet_get_link_net,
	.policy		= vnet_policy,
	.maxtype	= VNET_INFO_MAX,
	VNET_LINK_OPS_PEER_TYPE(VNET_INFO_PEER)
};

/**
 * vnet_peer_iflink() - ndo_get_iflink: the peer's ifindex (`ip link`: A@B)
 * @dev: a vnet device
 *
 * Context: any; takes the RCU read lock.
 * Return: the peer's ifindex; a standalone device's own, as for any NIC.
 */
int vnet_peer_iflink(const struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int ifindex = dev->ifindex;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (peer)
		ifindex = peer->ifindex;
	rcu_read_unlock();
	return ifindex;
}

/**
 * vnet_peer_carrier() - a pair's carrier is up only while both ends are up
 * @dev: the end that just opened or stopped
 *
 * Context: process context, RTNL held.
 */
void vnet_peer_carrier(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return;
	if (netif_running(dev) && netif_running(peer)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	} else {
		netif_carrier_off(dev);
		netif_carrier_off(peer);
	}
}

/* ------------------------------------------------------------------ */
/* The pair's wire: what one end sends, the other's RX ring receives   */
/* ------------------------------------------------------------------ */

/* The peer's RX queue that TX queue @txq feeds: i feeds i modulo its count. */
static struct vnet_queue *vnet_peer_rx_queue(struct net_device *peer, u16 txq)
{
	struct vnet_priv *ppriv = netdev_priv(peer);

	return &ppriv->queues[txq % READ_ONCE(ppriv->num_queues)];
}

/*
 * The far side: the peer's RX queue, whether the peer runs or not (a
 * frame for a peer that is down is dropped by its RX ring); none while
 * the pair is being deleted.
 */
static void vnet_peer_open(struct vnet_wire *w)
{
	struct net_device *peer = rcu_dereference(w->q->priv->peer);

	if (peer)
		w->to = vnet_peer_rx_queue(peer, w->q->index);
}

/* The peer's RX queue, if the peer runs: only then is there room to wait for. */
static struct vnet_queue *vnet_peer_running(struct vnet_wire *w)
{
	struct vnet_queue *pq = w->to;

	return pq && netif_running(pq->priv->dev) ? pq : NULL;
}

/* Flow control: the peer's RX ring, while the peer runs. */
static struct vnet_ring *vnet_peer_ring(struct vnet_wire *w)
{
	struct vnet_queue *pq = vnet_peer_running(w);

	return pq ? &pq->rx_ring : NULL;
}

/*
 * What the peer's receive hardware makes of a frame. If the peer runs an
 * XDP program, the frame is copied into an RX buffer for it on this CPU
 * (vnet_xdp_wire_fill()): the program runs there in place, and the skb is
 * completed here. Not for GSO frames, nor while RX faults are set on the
 * peer (they act on skbs). Return the tagged ring entry, or NULL: the skb
 * itself crosses.
 */
static struct sk_buff *vnet_peer_rx_buffer(struct vnet_queue *pq,
					   struct sk_buff *skb)
{
	struct vnet_priv *ppriv = pq->priv;
	const struct vnet_fault_cfg *fault;
	struct xdp_frame *frame;

	if (!rcu_access_pointer(ppriv->xdp_prog) || skb_is_gso(skb))
		return NULL;
	fault = rcu_dereference(ppriv->fault);
	if (fault && fault->active[VNET_DIR_RX])
		return NULL;
	frame = vnet_xdp_wire_fill(pq, skb);
	return frame ? vnet_ring_from_wire(frame) : NULL;
}

/* Longer than the peer accepts: MTU + Ethernet + one VLAN header, unless GSO. */
static bool vnet_peer_too_long(struct vnet_queue *pq, const struct sk_buff *skb)
{
	return !skb_is_gso(skb) &&
	       skb->len > READ_ONCE(pq->priv->dev->mtu) + ETH_HLEN + VLAN_HLEN;
}

/*
 * The wire: a completed frame reaches the peer. A frame the corruption
 * fault hit is thrown away by the peer's MAC as an FCS error, unless its
 * rx-all is on; a frame longer than the peer accepts is an RX length
 * error of the peer. A peer with an XDP program gets a copy in an RX
 * buffer (see vnet_peer_rx_buffer()), and the skb is completed here.
 * vnet_peer_done() raises the peer's RX interrupt once per batch.
 * Context: TX clean of the sender (NAPI), RCU read side.
 */
static bool vnet_peer_deliver(struct vnet_wire *w, struct sk_buff *skb,
			      bool bad_fcs)
{
	struct vnet_queue *pq = w->to;
	struct net_device *peer;
	struct sk_buff *buf;

	if (unlikely(!pq)) {
		/* The pair is being deleted: the frame left, nobody got it. */
		napi_consume_skb(skb, w->budget);
		return true;
	}
	peer = pq->priv->dev;
	if (unlikely(bad_fcs)) {
		vnet_rx_count_crc_error(pq);
		if (!(peer->features & NETIF_F_RXALL)) {
			/* Sent, and thrown away by the receiver's MAC. */
			trace_vnet_drop(peer, pq->index, VNET_DROP_RX_CRC, 1);
			dev_kfree_skb_any(skb);
			return true;
		}
	}
	if (unlikely(vnet_peer_too_long(pq, skb))) {
		vnet_rx_count_length_error(pq);
		dev_kfree_skb_any(skb);
		return false;
	}
	buf = vnet_peer_rx_buffer(pq, skb);
	if (buf) {
		/* Copied onto the wire: the frame is sent. */
		napi_consume_skb(skb, w->budget);
	} else {
		/* What the sender's stack knew of this skb stays on its side. */
		skb_scrub_packet(skb, !net_eq(dev_net(skb->dev), dev_net(peer)));
		skb->dev = peer;
		buf = skb;
	}
	/* Ownership: the peer's, or freed and counted. */
	if (!vnet_rx_enqueue(pq, buf))
		return false;
	w->delivered++;
	return true;
}

/*
 * Cut-through: the frame goes straight into the peer's RX ring if the
 * peer runs, has a free descriptor and the frame fits its MTU - copied
 * into an RX buffer if the peer runs XDP, as vnet_peer_deliver() does. If
 * not, nothing was queued and the caller takes the ordinary path, which
 * waits for room or counts the drop; the scrubbing done here is what that
 * path would have done anyway.
 * Context: ndo_start_xmit of the sender (BH off), RCU read side.
 */
static bool vnet_peer_try_deliver(struct vnet_wire *w, struct sk_buff *skb)
{
	struct vnet_queue *pq = vnet_peer_running(w);
	struct net_device *dev = skb->dev;
	struct net_device *peer;
	struct sk_buff *buf;

	if (!pq || vnet_peer_too_long(pq, skb))
		return false;
	peer = pq->priv->dev;
	buf = vnet_peer_rx_buffer(pq, skb);
	if (buf) {
		if (unlikely(vnet_rx_inject(pq, buf))) {
			vnet_ring_entry_free(buf);
			return false;
		}
		dev_consume_skb_any(skb);
		w->delivered++;
		return true;
	}
	skb_scrub_packet(skb, !net_eq(dev_net(dev), dev_net(peer)));
	skb->dev = peer;
	if (unlikely(vnet_rx_inject(pq, skb))) {
		skb->dev = dev;
		return false;
	}
	w->delivered++;
	return true;
}

/* XDP frames cross a pair as they are, into the peer's RX ring (as veth's). */
static unsigned int vnet_peer_xmit_xdp(struct vnet_wire *w,
				       struct xdp_frame **frames, unsigned int n)
{
	struct vnet_queue *pq = vnet_peer_running(w);

	return pq ? vnet_xdp_wire_send(w->q, pq, frames, n) : 0;
}

/* One RX interrupt of the peer for the batch. */
static void vnet_peer_done(struct vnet_wire *w)
{
	vnet_rx_irq(w->to);
}

/*
 * Room came back in an RX ring: restart the peer's TX queues that wait
 * for it (queue i feeds i modulo our count). Context: BH disabled.
 */
static void vnet_peer_kick_senders(struct vnet_queue *q)
{
	struct vnet_priv *priv = q->priv;
	struct vnet_priv *ppriv;
	struct net_device *peer;
	u16 i, nq;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (!peer)
		goto out;
	ppriv = netdev_priv(peer);
	nq = READ_ONCE(priv->num_queues);
	for (i = q->index; i < READ_ONCE(ppriv->num_queues); i += nq)
		vnet_tx_kick(&ppriv->queues[i]);
out:
	rcu_read_unlock();
}

const struct vnet_wire_ops vnet_wire_peer = {
	.open		= vnet_peer_open,
	.ring		= vnet_peer_ring,
	.deliver	= vnet_peer_deliver,
	.try_deliver	= vnet_peer_try_deliver,
	.xmit_xdp	= vnet_peer_xmit_xdp,
	.done		= vnet_peer_done,
	.rx_room	= vnet_peer_kick_senders,
};
