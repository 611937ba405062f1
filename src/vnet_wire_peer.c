// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_wire_peer.c - the wire of a pair: the other end's RX ring.
 *
 * What one end's hardware sends on TX is received into the other
 * end's RX ring (vnet_peer_deliver()), as far as that ring has room: the
 * TX engine waits for it (vnet_peer_ring(), flow control), and the
 * receiving end's NAPI restarts a sender that waited
 * (vnet_peer_kick_senders()). XDP frames cross as they are
 * (vnet_peer_xmit_xdp()). docs/ARCHITECTURE.md 5b.
 */
#include <linux/if_vlan.h>

#include "vnet.h"
#include "vnet_xdp.h"
#include "vnet_trace.h"

/* The peer's RX queue that TX queue @txq feeds: i feeds i modulo its count. */
static struct vnet_queue *vnet_peer_rx_queue(struct net_device *peer, u16 txq)
{
	struct vnet_priv *ppriv = netdev_priv(peer);
	u16 n = READ_ONCE(ppriv->num_queues);

	/* Once per engine pass: no division while the index is in range. */
	return &ppriv->queues[likely(txq < n) ? txq : txq % n];
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
 * peer (they act on skbs). Return the filled buffer (an RX ring entry of
 * kind VNET_ENTRY_WIRE), or NULL: the skb itself crosses.
 */
static struct xdp_frame *vnet_peer_rx_buffer(struct vnet_queue *pq,
					     struct sk_buff *skb)
{
	struct vnet_priv *ppriv = pq->priv;
	const struct vnet_fault_cfg *fault;

	if (!rcu_access_pointer(ppriv->xdp_prog) || skb_is_gso(skb))
		return NULL;
	fault = rcu_dereference(ppriv->fault);
	if (fault && fault->active[VNET_DIR_RX])
		return NULL;
	return vnet_xdp_wire_fill(pq, skb);
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
 * Context: the sender's TX engine (BH off), RCU read side.
 */
static bool vnet_peer_deliver(struct vnet_wire *w, struct sk_buff *skb,
			      bool bad_fcs)
{
	struct vnet_queue *pq = w->to;
	struct vnet_entry entry;
	struct net_device *peer;
	struct xdp_frame *buf;

	if (unlikely(!pq)) {
		/* The pair is being deleted: the frame left, nobody got it. */
		dev_consume_skb_any(skb);
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
		dev_consume_skb_any(skb);
		entry = vnet_entry_make(buf, VNET_ENTRY_WIRE);
	} else {
		/* What the sender's stack knew of this skb stays on its side. */
		skb_scrub_packet(skb, !net_eq(dev_net(skb->dev), dev_net(peer)));
		skb->dev = peer;
		entry = vnet_entry_skb(skb);
	}
	/* Ownership: the peer's, or freed and counted. */
	if (!vnet_rx_enqueue(pq, entry))
		return false;
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

/* This end changed state (up, down, a reset): the peer's senders look again. */
static void vnet_peer_changed(struct vnet_queue *q)
{
	vnet_peer_kick_senders(q);
}

const struct vnet_wire_ops vnet_wire_peer = {
	.open		= vnet_peer_open,
	.ring		= vnet_peer_ring,
	.deliver	= vnet_peer_deliver,
	.xmit_xdp	= vnet_peer_xmit_xdp,
	.done		= vnet_peer_done,
	.rx_room	= vnet_peer_kick_senders,
	.changed	= vnet_peer_changed,
};
