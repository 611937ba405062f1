// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_tx.c - the driver's transmit path: xmit and TX clean.
 *
 * A frame's life on TX:
 *   1. the stack calls vnet_start_xmit() with the txq lock held; the skb is
 *      posted in the queue's TX ring and reported to BQL;
 *   2. unless the stack says more frames follow (xmit_more), the driver
 *      rings the doorbell: vnet_tx_doorbell() starts the simulated TX engine;
 *   3. the engine (vnet_tx_hw.c) puts the frame on the wire, after the
 *      device's TX latency (tx_delay_us, vnetctl set) if it has one: the
 *      skb goes with it, and the engine writes the descriptor back
 *      (length, class, sent or refused: struct vnet_tx_wb), advances its
 *      completion index (tx_hw_done) and raises the TX-done interrupt,
 *      which schedules NAPI;
 *   4. vnet_tx_clean(), in NAPI, reads the written-back descriptors,
 *      counts them, reports them to BQL and wakes the queue if it was
 *      stopped.
 * So a frame goes down once: driver, engine, wire; only the news of it
 * comes back up, through the interrupt, as from a NIC.
 *
 * Step 4 may also happen in xmit itself, as virtio-net and other drivers
 * do: the driver rings a doorbell whose pass raises no TX-done interrupt
 * (vnet_tx_doorbell_polled()) and reclaims at once what an engine without
 * TX latency completed during it (vnet_tx_doorbell_reap()). A lone frame
 * on an idle queue then costs no interrupt and no NAPI poll; what
 * completes later - a frame the wire made wait, a TX latency - raises the
 * interrupt as above.
 */
#include <linux/if_ether.h>

#include "vnet.h"
#include "vnet_trace.h"

/* Wake a stopped queue only once this much room is back, not per slot. */
static u32 vnet_tx_wake_threshold(const struct vnet_ring *ring)
{
	return max_t(u32, ring->size / 4, 1);
}

static void vnet_tx_count_xmit(struct vnet_queue *q, u64_stats_t *counter)
{
	u64_stats_update_begin(&q->xmit_stats.syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&q->xmit_stats.syncp);
}

/*
 * Stop the queue when the ring has no room for the next frame. Every TX
 * clean - the only code that frees room and wakes the queue - holds the
 * txq lock we hold: none can run between the room's look and the stop,
 * so the stop needs neither a barrier nor a second look, as a lockless
 * clean's would (virtio-net's, veth's). The doorbell that follows a stop
 * reclaims what the engine sent, and wakes the queue if it can; with a
 * TX latency (or from netpoll) the NAPI clean that the engine's TX-done
 * interrupt schedules does, under the same lock.
 */
static bool vnet_tx_maybe_stop(struct vnet_queue *q, struct netdev_queue *txq)
{
	if (likely(vnet_ring_space(&q->tx_ring)))
		return false;
	netif_tx_stop_queue(txq);
	vnet_tx_count_xmit(q, &q->xmit_stats.tx_queue_stops);
	return true;
}

/* How __vnet_tx_clean() was called. */
enum vnet_tx_clean_from {
	VNET_TX_CLEAN_NAPI,	/* the TX-done interrupt's NAPI poll */
	VNET_TX_CLEAN_XMIT,	/* xmit, right after its doorbell */
	VNET_TX_CLEAN_DOWN,	/* the queue going down: no wake */
};

/**
 * vnet_tx_post_xdp() - post an XDP frame in a queue's TX ring
 * @q: the queue, whose TX ring has a free slot
 * @frame: the frame, held by the ring until the engine has sent it
 *
 * For XDP's transmit on a wire that does not take XDP frames as they are
 * (vnet_xdp.c): as a NIC's XDP TX ring holds the frames it sends, the
 * descriptor points at the frame itself; the engine copies it onto the
 * wire and gives it back (vnet_tx_hw.c). The caller rings the doorbell
 * once, after the bulk (vnet_tx_doorbell_reap()).
 *
 * Context: BH disabled, the queue's txq lock held (the ring's producer).
 */
void vnet_tx_post_xdp(struct vnet_queue *q, struct xdp_frame *frame)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->priv->dev, q->index);
	struct vnet_ring *ring = &q->tx_ring;

	*vnet_ring_slot(ring, ring->prod) = vnet_entry_make(frame, VNET_ENTRY_XDP);
	/*
	 * BQL hears of the bytes before the hardware can complete them; as
	 * frames of a bulk whose doorbell follows, so that it does not stop
	 * the queue in the middle of it (XDP cannot wait: the rest would be
	 * refused).
	 */
	__netdev_tx_sent_queue(txq, frame->len, true);
	/* Ownership: from here on the frame belongs to the hardware. */
	smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
	vnet_tx_maybe_stop(q, txq);
}

/*
 * Reclaim the descriptors the hardware has written back: count what was
 * sent, tell BQL, hand the slots back to xmit; and wake the queue if it
 * was stopped and has room again (unless it is going down).
 * Context: the txq lock held (BH off): the TX ring's consumer and the
 * xmit_stats writer, whether xmit or NAPI.
 */
static void __vnet_tx_clean(struct vnet_queue *q, struct netdev_queue *txq,
			    enum vnet_tx_clean_from from)
{
	struct vnet_xmit_stats *s = &q->xmit_stats;
	struct net_device *dev = q->priv->dev;
	unsigned int pkts = 0, bytes = 0, done_pkts = 0, done_bytes = 0;
	struct vnet_ring *ring = &q->tx_ring;
	u32 cons = ring->cons;
	u32 done;

	/* What makes the stop and wake of the queue safe without barriers. */
	lockdep_assert_held(&txq->_xmit_lock);
	/* Pairs with the release in vnet_tx_hw_pass(): written back. */
	done = smp_load_acquire(&q->tx_hw_done);
	if (cons == done)
		return;
	/*
	 * Counted as read: xmit cleans a frame or two at a time, where
	 * per-class sums kept on the stack would cost more than they save.
	 */
	u64_stats_update_begin(&s->syncp);
	while (cons != done) {
		/* The write-back format: the frame went on the wire. */
		struct vnet_tx_wb wb = vnet_ring_slot(ring, cons)->wb;

		cons = vnet_ring_next(ring, cons);
		done_pkts++;
		done_bytes += wb.len;
		if (!wb.sent)
			continue;
		u64_stats_inc(&s->tx_class[wb.class]);
		u64_stats_inc(&s->tx_size[vnet_size_bucket(wb.len)]);
		pkts++;
		bytes += wb.len;
	}
	u64_stats_add(&s->tx_packets, pkts);
	u64_stats_add(&s->tx_bytes, bytes);
	u64_stats_add(&s->tx_wire_dropped, done_pkts - pkts);
	if (from == VNET_TX_CLEAN_XMIT)
		u64_stats_add(&s->tx_xmit_cleaned, done_pkts);
	u64_stats_update_end(&s->syncp);
	trace_vnet_tx_complete(dev, q->index, done_pkts, done_bytes);
	/* Hands the slots back to vnet_start_xmit(). */
	smp_store_release(&ring->cons, cons);
	netdev_tx_completed_queue(txq, done_pkts, done_bytes);
	netif_dbg(q->priv, tx_done, dev, "tx q%u: cleaned %u frames\n",
		  q->index, done_pkts);

	if (from != VNET_TX_CLEAN_DOWN && unlikely(netif_tx_queue_stopped(txq)) &&
	    vnet_ring_space(ring) >= vnet_tx_wake_threshold(ring) &&
	    netif_running(dev)) {
		netif_tx_wake_queue(txq);
		u64_stats_update_begin(&s->syncp);
		u64_stats_inc(&s->tx_queue_wakes);
		u64_stats_update_end(&s->syncp);
	}
}

/**
 * vnet_tx_doorbell_reap() - ring the doorbell; reclaim what it completed
 * @q: the queue
 *
 * With no TX latency the doorbell runs an engine pass here and now: the
 * frames are on the wire when it returns, and their descriptors written
 * back. Their TX-done interrupt would only schedule a NAPI poll to read
 * what xmit can read now, so xmit rings the doorbell that raises none
 * (vnet_tx_doorbell_polled()), as virtio-net's xmit disables its TX
 * callbacks, and cleans itself. A pass that runs elsewhere - a kick from
 * the far side on another CPU - raises the interrupt for what it
 * completes, even while xmit cleans: at worst a NAPI poll finds nothing
 * left. A kick's pass that finds the polled one running leaves its work
 * to it without an interrupt: the clean here, always after a polled
 * doorbell that ran, is what covers it. With a TX latency, or from
 * netpoll (IRQs off), the doorbell only starts a timer: there is nothing
 * of its own to reclaim, and the pass that runs from the timer raises the
 * interrupt, moderated as ethtool -C asks.
 *
 * Context: BH disabled, or IRQs disabled (netpoll); the txq lock held.
 */
void vnet_tx_doorbell_reap(struct vnet_queue *q)
{
	if (vnet_tx_doorbell_polled(q))
		__vnet_tx_clean(q, netdev_get_tx_queue(q->priv->dev, q->index),
				VNET_TX_CLEAN_XMIT);
}

/*
 * Post one frame in a queue's TX ring: the body of ndo_start_xmit. @more:
 * more frames follow at once, the doorbell may wait for them.
 * Context: BH disabled, the queue's txq lock held (the ring's producer).
 * Return: NETDEV_TX_OK (the skb was taken); NETDEV_TX_BUSY if the ring is
 * full (the skb is still the caller's).
 */
static netdev_tx_t vnet_tx_post(struct vnet_queue *q, struct sk_buff *skb, bool more)
{
	struct vnet_priv *priv = q->priv;
	struct net_device *dev = priv->dev;
	u16 qi = q->index;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qi);
	struct vnet_ring *ring = &q->tx_ring;
	unsigned int len = skb->len;
	bool stopped, kick;

	if (unlikely(len < ETH_HLEN)) {
		/* No Ethernet header: a NIC would refuse the descriptor. */
		vnet_tx_count_xmit(q, &q->xmit_stats.tx_dropped);
		trace_vnet_drop(dev, qi, VNET_DROP_RUNT, 1);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(!vnet_ring_space(ring))) {
		netif_tx_stop_queue(txq);
		vnet_tx_count_xmit(q, &q->xmit_stats.tx_busy);
		netif_err(priv, tx_err, dev, "TX ring %u full while awake\n", qi);
		return NETDEV_TX_BUSY;
	}

	trace_vnet_xmit(dev, qi, skb);
	skb_tx_timestamp(skb);
	*vnet_ring_slot(ring, ring->prod) = vnet_entry_skb(skb);
	/*
	 * BQL must hear of the bytes before the hardware can complete them,
	 * so report them before publishing the descriptor.
	 */
	kick = __netdev_tx_sent_queue(txq, len, more);
	/* Ownership: from here on the skb belongs to the hardware. */
	smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
	netif_dbg(priv, tx_queued, dev, "tx q%u: posted %u bytes\n", qi, len);

	stopped = vnet_tx_maybe_stop(q, txq);
	if (kick || stopped)
		vnet_tx_doorbell_reap(q);
	return NETDEV_TX_OK;
}

/**
 * vnet_start_xmit() - ndo_start_xmit: post one frame in a TX ring
 * @skb: the frame; the stack hands it over to the driver here
 * @dev: the vnet device
 *
 * Context: BH disabled, the queue's txq lock held (the ring's producer).
 * Return: NETDEV_TX_OK; NETDEV_TX_BUSY only if the ring is full, which the
 * queue stop logic prevents (counted as tx_busy).
 */
netdev_tx_t vnet_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);

	return vnet_tx_post(&priv->queues[qi], skb, netdev_xmit_more());
}

/**
 * vnet_tx_clean() - reclaim the descriptors the hardware has completed
 * @q: the queue
 * @budget: the poll's budget; 0 from netpoll
 *
 * The hardware has put their frames on the wire already; the driver
 * reads what it wrote back (length, class, sent or refused), counts it,
 * reports it to BQL and wakes the queue if it was stopped. It touches
 * neither skbs nor the wire. It takes the txq lock, as xmit reclaims too
 * (vnet_tx_doorbell_reap()). netpoll's poll (IRQs off, perhaps in a hard
 * IRQ) only tries it: the holder may be another CPU that printk keeps
 * waiting for the console netpoll's caller owns, and netpoll retries
 * anyway; a NAPI poll waits for it.
 *
 * Context: NAPI (softirq), or netpoll with IRQs off.
 */
void vnet_tx_clean(struct vnet_queue *q, int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->priv->dev, q->index);

	/* Pairs with the release in vnet_tx_hw_pass(). Most polls are RX only. */
	if (smp_load_acquire(&q->tx_hw_done) == READ_ONCE(q->tx_ring.cons))
		return;
	if (!budget) {
		if (!__netif_tx_trylock(txq))
			return;
	} else {
		__netif_tx_lock(txq, smp_processor_id());
	}
	__vnet_tx_clean(q, txq, VNET_TX_CLEAN_NAPI);
	__netif_tx_unlock(txq);
}

/**
 * vnet_tx_reclaim() - count what the hardware sent of a queue going down
 * @q: the queue, whose NAPI is disabled and TX engine stopped
 *
 * As vnet_tx_clean(), without waking the queue: what is left in the ring
 * after it are the frames the engine never sent.
 *
 * Context: process context, RTNL held.
 */
void vnet_tx_reclaim(struct vnet_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->priv->dev, q->index);

	__netif_tx_lock_bh(txq);
	__vnet_tx_clean(q, txq, VNET_TX_CLEAN_DOWN);
	__netif_tx_unlock_bh(txq);
}
