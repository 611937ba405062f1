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
 * comes back up, through the interrupt, as from a NIC. The driver may also
 * hand a lone frame to the wire itself when the engine is idle
 * (cut-through, a wire operation: vnet_tx_cut_through()).
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
 * Stop the queue when the ring has no room for the next frame, and restart
 * it if NAPI freed room meanwhile. The barrier orders the stop against the
 * ring read, and pairs with the one in vnet_tx_clean(), so that one of the
 * two sides always sees the other and a stop is never left without a wake.
 */
static bool vnet_tx_maybe_stop(struct vnet_queue *q, struct netdev_queue *txq)
{
	if (likely(vnet_ring_space(&q->tx_ring)))
		return false;
	netif_tx_stop_queue(txq);
	vnet_tx_count_xmit(q, &q->xmit_stats.tx_queue_stops);
	/* Order the stop before re-reading cons (see the comment above). */
	smp_mb();
	if (vnet_ring_space(&q->tx_ring) >= vnet_tx_wake_threshold(&q->tx_ring))
		netif_tx_start_queue(txq);
	return true;
}

/**
 * vnet_tx_can_cut_through() - may a frame skip the TX ring now?
 * @q: the queue
 *
 * Only with no TX latency, no wire fault, no stall, no line rate, an idle
 * engine (everything posted was sent, see vnet_tx_cut_through()) and an
 * empty TX delay line: the TX engine, the wire's other producer, then
 * holds nothing for it and gets nothing more while the caller holds the
 * txq lock ("cut-through" in vnet.h).
 *
 * Context: the queue's txq lock held (BH off).
 * Return: true if the caller may put a frame on the wire itself.
 */
bool vnet_tx_can_cut_through(struct vnet_queue *q)
{
	return !READ_ONCE(q->priv->tx_delay_us) && !irqs_disabled() &&
	       /* Wire faults act in the engine; a stalled one sends nothing. */
	       !rcu_access_pointer(q->priv->fault) && !READ_ONCE(q->priv->tx_stall) &&
	       /* A line rate paces every frame through the engine. */
	       !READ_ONCE(q->priv->speed_mbps) &&
	       /* Pairs with the release in vnet_tx_hw_pass(): all was sent. */
	       smp_load_acquire(&q->tx_hw_done) == q->tx_ring.prod &&
	       /*
		* Read after tx_hw_done: a frame the engine delayed was
		* counted here before tx_hw_done moved past it. Pairs with
		* the release in vnet_fault_tx_release(): the delayed frames
		* are delivered too, even those of a fault cleared since.
		*/
	       !smp_load_acquire(&q->fault.tx_held);
}

/**
 * vnet_tx_count_cut_through() - count a frame that skipped the TX ring
 * @q: the queue
 * @len: its length
 * @class: its class (vnet_frame_class()), for the per-class TX counters
 *
 * Context: the queue's txq lock held (the xmit_stats writer).
 */
void vnet_tx_count_cut_through(struct vnet_queue *q, unsigned int len,
			       unsigned int class)
{
	u64_stats_update_begin(&q->xmit_stats.syncp);
	u64_stats_inc(&q->xmit_stats.tx_cut_packets);
	u64_stats_add(&q->xmit_stats.tx_cut_bytes, len);
	u64_stats_inc(&q->xmit_stats.tx_cut_class[class]);
	u64_stats_inc(&q->xmit_stats.tx_cut_size[vnet_size_bucket(len)]);
	u64_stats_update_end(&q->xmit_stats.syncp);
}

/*
 * Cut-through. With no TX latency, a queue whose wire offers it (a pair
 * end, a /dev/vnet-attached queue) and whose TX engine is idle (everything
 * posted was sent: tx_hw_done == prod) puts a lone frame (not xmit_more)
 * on the wire at once: ownership passes straight to the peer's RX ring or
 * the reader, without the TX ring, the TX-done interrupt and one NAPI poll
 * per frame: a wire operation (try_deliver) that the driver may use
 * instead of posting a descriptor. That is the hardware's fast path; anything else - frames in
 * flight, a burst, a full or refusing wire, netpoll - takes the ordinary
 * path, which keeps order, flow control and every count. The sink has
 * none: a standalone device is the model learners read.
 *
 * Context: ndo_start_xmit (BH off, txq lock held).
 * Return: true if the frame was delivered (counted as tx_cut_through).
 */
static bool vnet_tx_cut_through(struct vnet_queue *q, struct sk_buff *skb,
				bool more)
{
	const struct vnet_wire_ops *ops;
	unsigned int len = skb->len;
	struct vnet_wire w;
	unsigned int class;
	bool sent = false;

	if (more || !vnet_tx_can_cut_through(q))
		return false;
	class = vnet_skb_class(skb);
	rcu_read_lock();
	ops = rcu_dereference(q->wire);
	if (ops->try_deliver) {
		vnet_wire_open(&w, ops, q);
		sent = ops->try_deliver(&w, skb);
		vnet_wire_close(&w);
	}
	rcu_read_unlock();
	if (!sent)
		return false;

	vnet_tx_count_cut_through(q, len, class);
	return true;
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
 * vnet_tx_post() - post one frame in a queue's TX ring
 * @q: the queue
 * @skb: the frame, skb->data at its Ethernet header
 * @more: more frames follow at once: the doorbell may wait for them
 *
 * The body of ndo_start_xmit, also used by XDP (vnet_xdp.c) to transmit
 * frames out of a standalone device, under the same lock.
 *
 * Context: BH disabled, the queue's txq lock held (the ring's producer).
 * Return: NETDEV_TX_OK (the skb was taken); NETDEV_TX_BUSY if the ring is
 * full (the skb is still the caller's).
 */
netdev_tx_t vnet_tx_post(struct vnet_queue *q, struct sk_buff *skb, bool more)
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
	if (vnet_tx_cut_through(q, skb, more))
		return NETDEV_TX_OK;
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
		vnet_tx_doorbell(q);
	return NETDEV_TX_OK;
}

/*
 * Reclaim the descriptors the hardware has written back: count what was
 * sent, tell BQL, hand the slots back to xmit; and, if @wake, wake the
 * queue if it was stopped and has room again.
 * Context: NAPI, or the RTNL holder while NAPI is disabled (the TX ring's
 * consumer and the napi_stats writer).
 */
static void __vnet_tx_clean(struct vnet_queue *q, bool wake)
{
	struct net_device *dev = q->priv->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, q->index);
	unsigned int pkts = 0, bytes = 0, done_pkts = 0, done_bytes = 0;
	u32 classes[VNET_CLASS_NUM] = {}, sizes[VNET_SIZE_NUM] = {};
	struct vnet_ring *ring = &q->tx_ring;
	bool woken = false;
	u32 cons = ring->cons;
	u32 done;

	/* Pairs with the release in vnet_tx_hw_pass(): written back. */
	done = smp_load_acquire(&q->tx_hw_done);
	if (cons == done)
		return;
	while (cons != done) {
		/* The write-back format: the skb went with the frame. */
		struct vnet_tx_wb wb = vnet_ring_slot(ring, cons)->wb;

		cons = vnet_ring_next(ring, cons);
		done_pkts++;
		done_bytes += wb.len;
		if (!wb.sent)
			continue;
		classes[wb.class]++;
		sizes[vnet_size_bucket(wb.len)]++;
		pkts++;
		bytes += wb.len;
	}
	trace_vnet_tx_complete(dev, q->index, done_pkts, done_bytes);
	/* Hands the slots back to vnet_start_xmit(). */
	smp_store_release(&ring->cons, cons);
	netdev_tx_completed_queue(txq, done_pkts, done_bytes);
	netif_dbg(q->priv, tx_done, dev, "tx q%u: cleaned %u frames\n",
		  q->index, done_pkts);

	/* Pairs with the barrier in vnet_tx_maybe_stop(). */
	smp_mb();
	if (wake && unlikely(netif_tx_queue_stopped(txq)) &&
	    vnet_ring_space(ring) >= vnet_tx_wake_threshold(ring) &&
	    netif_running(dev)) {
		netif_tx_wake_queue(txq);
		woken = true;
	}

	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.tx_packets, pkts);
	u64_stats_add(&q->napi_stats.tx_bytes, bytes);
	u64_stats_add(&q->napi_stats.tx_wire_dropped, done_pkts - pkts);
	vnet_stats_add_counts(q->napi_stats.tx_class, classes, VNET_CLASS_NUM);
	vnet_stats_add_counts(q->napi_stats.tx_size, sizes, VNET_SIZE_NUM);
	if (woken)
		u64_stats_inc(&q->napi_stats.tx_queue_wakes);
	u64_stats_update_end(&q->napi_stats.syncp);
}

/**
 * vnet_tx_clean() - reclaim the descriptors the hardware has completed
 * @q: the queue
 *
 * The hardware has put their frames on the wire already; the driver
 * reads what it wrote back (length, class, sent or refused), counts it,
 * reports it to BQL and wakes the queue if it was stopped. It touches
 * neither skbs nor the wire, so netpoll's poll (IRQs off) may run it too.
 *
 * Context: NAPI (softirq), or netpoll with IRQs off; the TX ring's
 * consumer.
 */
void vnet_tx_clean(struct vnet_queue *q)
{
	__vnet_tx_clean(q, true);
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
	__vnet_tx_clean(q, false);
}
