// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_tx.c - the transmit path, and the simulated hardware that completes it.
 *
 * A frame's life on TX:
 *   1. the stack calls vnet_start_xmit() with the txq lock held; the skb is
 *      posted in the queue's TX ring and reported to BQL;
 *   2. unless the stack says more frames follow (xmit_more), the driver
 *      rings the doorbell: vnet_tx_doorbell() starts the simulated TX engine;
 *   3. the engine "puts the frame on the wire" after the device's TX latency
 *      (tx_delay_us, vnetctl set) and
 *      marks the descriptors done (tx_hw_done), then raises the TX-done
 *      interrupt, which schedules NAPI;
 *   4. vnet_tx_clean(), in NAPI, counts and frees the completed skbs,
 *      reports them to BQL and wakes the queue if it was stopped.
 * The engine reaches the wire only through its operations (vnet_wire.h):
 * a standalone device's wire consumes what it transmits; a pair's wire is
 * the peer's RX ring (vnet_wire_peer.c), and completion waits for room there;
 * a queue attached to /dev/vnet hands its frames to the file's reader
 * (vnet_chardev.c), waiting for room in the same way.
 */
#include <linux/if_ether.h>

#include "vnet.h"
#include "vnet_trace.h"

/* Wake a stopped queue only once this much room is back, not per slot. */
static u32 vnet_tx_wake_threshold(const struct vnet_ring *ring)
{
	return max_t(u32, ring->size / 4, 1);
}

/*
 * How many of @pending descriptors the wire can take now. A wire with a
 * ring on its far side - a pair's peer RX ring, a /dev/vnet reader's frame
 * ring - bounds it: like a NIC honouring flow control, the engine
 * completes no more frames than that ring has free slots for, counting
 * those completed but not yet delivered by vnet_tx_clean(). What it holds
 * back fills our TX ring, which stops the queue: backpressure instead of
 * loss. A wire without one (the sink) takes everything.
 */
static u32 vnet_tx_wire_room(struct vnet_queue *q, u32 pending)
{
	struct vnet_ring *ring = NULL;
	struct vnet_wire w;
	u32 space, inflight, cons;

	rcu_read_lock();
	vnet_wire_open(&w, rcu_dereference(q->wire), q, 0);
	if (w.ops->ring)
		ring = w.ops->ring(&w);
	/*
	 * A far side without its ring is one whose ndo_open is still
	 * making it, or failed to: the core marks a device running before
	 * its ndo_open, and clears the mark after a failure without a word
	 * to us. Nothing to wait for, then: waiting would hold our frames
	 * until a kick that a failed open never sends. They complete, and
	 * the delivery drops them, as for a peer that is down.
	 */
	if (ring && !READ_ONCE(ring->slots))
		ring = NULL;
	if (ring) {
		/*
		 * In-flight first, then the wire's space. vnet_tx_clean()
		 * fills the wire before it hands the slots back (its release
		 * of tx_ring.cons, which this acquire pairs with): read in
		 * this order, a frame is counted in flight, or on the wire,
		 * or (in the window) both - never neither, which would let
		 * the engine overfill the wire.
		 */
		cons = smp_load_acquire(&q->tx_ring.cons);
		inflight = vnet_ring_distance(&q->tx_ring, cons, q->tx_hw_done);
		space = vnet_ring_space(ring);
		pending = space > inflight ? min(pending, space - inflight) : 0;
	}
	rcu_read_unlock();
	return pending;
}

/*
 * Raise the TX-done interrupt now (routed like RX interrupts), and count
 * it unless it is masked for IRQ deferral. Raising it may run softirqs
 * (vnet_queue_interrupt()), which can take tx_hw_lock themselves (our
 * timers): never under that lock, nor with IRQs off. The count is an
 * atomic, as the RX interrupt's: it is raised outside every lock.
 * Context: BH disabled, IRQs on, tx_hw_lock not held.
 */
static void vnet_tx_irq_raise(struct vnet_queue *q)
{
	if (vnet_queue_interrupt(q))
		atomic64_inc(&q->irq_stats.tx_irqs);
}

/*
 * The TX-done interrupt for descriptors just completed: at once, or
 * moderated (ethtool -C tx-usecs/tx-frames) like the RX interrupt: after
 * tx-usecs, unless tx-frames completed descriptors wait for NAPI first.
 * Context: tx_hw_lock held.
 * Return: true if the caller must raise it (vnet_tx_irq_raise()) once it
 * has dropped the lock.
 */
static bool vnet_tx_irq(struct vnet_queue *q)
{
	u32 usecs = READ_ONCE(q->priv->coal.tx_usecs);
	u32 frames, done;

	lockdep_assert_held(&q->tx_hw_lock);
	if (unlikely(usecs)) {
		frames = READ_ONCE(q->priv->coal.tx_frames);
		done = vnet_ring_distance(&q->tx_ring, READ_ONCE(q->tx_ring.cons),
					  q->tx_hw_done);
		if (!frames || done < frames) {
			if (!q->tx_coal_armed) {
				q->tx_coal_armed = true;
				hrtimer_start(&q->tx_coal_timer,
					      ns_to_ktime((u64)usecs * NSEC_PER_USEC),
					      HRTIMER_MODE_REL_SOFT);
			}
			return false;
		}
		if (q->tx_coal_armed && hrtimer_try_to_cancel(&q->tx_coal_timer) >= 0)
			q->tx_coal_armed = false;
	}
	return true;
}

static enum hrtimer_restart vnet_tx_coal_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue, tx_coal_timer);
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&q->tx_hw_lock, flags);
	q->tx_coal_armed = false;
	raise = !q->tx_hw_stopped;
	spin_unlock_irqrestore(&q->tx_hw_lock, flags);
	/* A soft hrtimer: softirq context, IRQs on. */
	if (raise)
		vnet_tx_irq_raise(q);
	return HRTIMER_NORESTART;
}

/*
 * The simulated engine completes what was posted, as far as the wire takes.
 * A stopped engine does nothing: its queue is going down.
 * Context: tx_hw_lock held (IRQs off).
 * Return: true if the TX-done interrupt is to be raised now; the caller
 * raises it with vnet_tx_irq_raise() after dropping the lock.
 */
static bool __vnet_tx_hw_complete(struct vnet_queue *q)
{
	struct vnet_ring *ring = &q->tx_ring;
	u32 posted, pending, room;

	lockdep_assert_held(&q->tx_hw_lock);
	q->tx_hw_armed = false;
	if (unlikely(q->tx_hw_stopped))
		return false;
	/* Pairs with the release in vnet_start_xmit(): see posted slots. */
	posted = smp_load_acquire(&ring->prod);
	pending = vnet_ring_distance(ring, q->tx_hw_done, posted);
	if (!pending)
		return false;
	if (unlikely(READ_ONCE(q->priv->tx_stall))) {
		/* The stall fault: nothing completes; a kick retries. */
		WRITE_ONCE(q->tx_hw_blocked, true);
		return false;
	}
	room = vnet_tx_wire_room(q, pending);
	if (unlikely(room < pending)) {
		WRITE_ONCE(q->tx_hw_blocked, true);
		/*
		 * Wait for the wire, then look again: a receiver that freed
		 * room before it could see tx_hw_blocked set does not kick
		 * us. Pairs with the barrier in vnet_tx_kick().
		 */
		smp_mb();
		room = vnet_tx_wire_room(q, pending);
	}
	WRITE_ONCE(q->tx_hw_blocked, room < pending);
	/* The line rate: only frames whose transmission has ended. */
	room = vnet_pace_complete(q, room);
	if (!room)
		return false;
	/* Pairs with the acquire in vnet_tx_clean(): done means done. */
	smp_store_release(&q->tx_hw_done,
			  vnet_ring_advance(ring, q->tx_hw_done, room));

	return vnet_tx_irq(q);
}

static enum hrtimer_restart vnet_tx_hw_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue, tx_hw_timer);
	unsigned long flags;
	bool raise;

	spin_lock_irqsave(&q->tx_hw_lock, flags);
	raise = __vnet_tx_hw_complete(q);
	spin_unlock_irqrestore(&q->tx_hw_lock, flags);
	/* A soft hrtimer: softirq context, IRQs on. */
	if (raise)
		vnet_tx_irq_raise(q);
	return HRTIMER_NORESTART;
}

/**
 * vnet_tx_doorbell() - tell the hardware that new descriptors are ready
 * @q: the queue
 *
 * With no TX latency the engine completes them at once; otherwise it
 * completes everything posted by the time its timer fires. tx_hw_armed is
 * tested and cleared under the lock, so a doorbell never slips between
 * the timer's read of the producer index and its return. vnet_tx_post()
 * rings it unless told more frames follow; a caller that said so rings it
 * after its last frame. A stopped engine ignores it (vnet_tx_hw_stop()).
 *
 * netpoll (netconsole) rings it with IRQs off, maybe in hard IRQ context:
 * there the interrupt cannot be raised (that enables BHs, which may run
 * softirqs, our timers among them, on this CPU), so the engine completes
 * from its timer, at once, as with a TX latency. The lock is IRQ-safe for
 * the same reason: a printk in an interrupt that came while our timer
 * held it would come back here through netconsole.
 *
 * Context: BH disabled, or IRQs disabled (netpoll).
 */
void vnet_tx_doorbell(struct vnet_queue *q)
{
	unsigned int delay_us = READ_ONCE(q->priv->tx_delay_us);
	/* Sampled before the lock (on PREEMPT_RT it leaves IRQs on). */
	bool irqs_off = irqs_disabled();
	unsigned long flags;
	bool raise = false;

	spin_lock_irqsave(&q->tx_hw_lock, flags);
	if (unlikely(q->tx_hw_stopped)) {
		/* Going down: its flush takes what was posted. */
	} else if (!delay_us && !irqs_off) {
		raise = __vnet_tx_hw_complete(q);
	} else if (!q->tx_hw_armed) {
		q->tx_hw_armed = true;
		hrtimer_start(&q->tx_hw_timer,
			      ns_to_ktime((u64)delay_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
	}
	spin_unlock_irqrestore(&q->tx_hw_lock, flags);
	if (raise)
		vnet_tx_irq_raise(q);
}

/**
 * vnet_tx_kick() - restart a TX engine that waited for the wire
 * @q: the queue
 *
 * Context: BH disabled (NAPI of the peer, or process context with BHs off).
 */
void vnet_tx_kick(struct vnet_queue *q)
{
	/*
	 * The caller freed room on the wire: make that visible before
	 * reading tx_hw_blocked. Pairs with the barrier in
	 * __vnet_tx_hw_complete(), so that either the engine sees the room
	 * or we see it blocked; a wakeup is never lost.
	 */
	smp_mb();
	if (READ_ONCE(q->tx_hw_blocked))
		vnet_tx_doorbell(q);
}

/**
 * vnet_tx_hw_init() - set up a queue's simulated TX engine
 * @q: the queue
 *
 * The engine stays stopped until its queue comes up (vnet_tx_hw_start()).
 *
 * Context: process context, before the queue is used.
 */
void vnet_tx_hw_init(struct vnet_queue *q)
{
	spin_lock_init(&q->tx_hw_lock);
	q->tx_hw_stopped = true;
	hrtimer_setup(&q->tx_hw_timer, vnet_tx_hw_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
	hrtimer_setup(&q->tx_coal_timer, vnet_tx_coal_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
}

/**
 * vnet_tx_hw_start() - let the simulated TX engine run
 * @q: the queue, whose rings are allocated and whose TX queue is not
 *	started yet
 *
 * Context: process context, RTNL held.
 */
void vnet_tx_hw_start(struct vnet_queue *q)
{
	spin_lock_irq(&q->tx_hw_lock);
	q->tx_hw_stopped = false;
	spin_unlock_irq(&q->tx_hw_lock);
}

/**
 * vnet_tx_hw_stop() - stop the simulated TX engine; pending work is dropped
 * @q: the queue, whose transmit queue is already disabled
 *
 * Final until vnet_tx_hw_start(): a peer's NAPI or a /dev/vnet reader may
 * still kick the engine, and a running timer may still complete, but
 * once tx_hw_stopped is set under the lock neither arms a timer again,
 * so the timers stay cancelled. Safe to call again on a stopped engine.
 *
 * Context: process context; no doorbell can ring from xmit any more.
 */
void vnet_tx_hw_stop(struct vnet_queue *q)
{
	spin_lock_irq(&q->tx_hw_lock);
	q->tx_hw_stopped = true;
	/* Nothing is pending any more: no peer needs to kick us. */
	WRITE_ONCE(q->tx_hw_blocked, false);
	spin_unlock_irq(&q->tx_hw_lock);
	/* A callback running now re-arms nothing (see above). */
	hrtimer_cancel(&q->tx_hw_timer);
	q->tx_hw_armed = false;
	hrtimer_cancel(&q->tx_coal_timer);
	q->tx_coal_armed = false;
	vnet_pace_stop(q);
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
 * ring (everything posted was delivered, see vnet_tx_cut_through()) and
 * an empty TX delay line: NAPI, the wire's other producer, then holds
 * nothing for it and gets nothing more while the caller holds the txq
 * lock ("cut-through" in vnet.h).
 *
 * Context: the queue's txq lock held (BH off).
 * Return: true if the caller may put a frame on the wire itself.
 */
bool vnet_tx_can_cut_through(struct vnet_queue *q)
{
	return !READ_ONCE(q->priv->tx_delay_us) && !irqs_disabled() &&
	       /* Wire faults act in NAPI; a stalled engine sends nothing. */
	       !rcu_access_pointer(q->priv->fault) && !READ_ONCE(q->priv->tx_stall) &&
	       /* A line rate paces every frame through the engine. */
	       !READ_ONCE(q->priv->speed_mbps) &&
	       /* Pairs with the release in vnet_tx_clean(): all was delivered. */
	       smp_load_acquire(&q->tx_ring.cons) == q->tx_ring.prod &&
	       /*
		* Read after cons: a frame NAPI delayed was counted here
		* before cons moved past it. Pairs with the release in
		* vnet_fault_tx_release(): the delayed frames are delivered
		* too, even those of a fault cleared since.
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
 * end, a /dev/vnet-attached queue) and whose TX ring is idle (everything
 * posted was delivered: cons == prod) puts a lone frame (not xmit_more)
 * on the wire at once: ownership passes straight to the peer's RX ring or
 * the reader, without the TX ring, the TX-done interrupt and one NAPI poll
 * per frame. That is the hardware's fast path; anything else - frames in
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
		vnet_wire_open(&w, ops, q, 0);
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

/**
 * vnet_tx_wire_copy() - the hardware copies a frame onto the wire
 * @skb: the frame, skb->data at its Ethernet header
 * @buf: where it goes, at least skb->len bytes
 *
 * What a receiver gets of a frame: its bytes, in one piece. A checksum the
 * sender left to the hardware (CHECKSUM_PARTIAL: vnet offers TX checksum
 * offload) is filled in on the way, as a NIC does before the frame
 * reaches a real wire.
 *
 * Context: any.
 */
void vnet_tx_wire_copy(const struct sk_buff *skb, u8 *buf)
{
	int start;

	if (WARN_ON_ONCE(skb_copy_bits(skb, 0, buf, skb->len)))
		return;
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	start = skb_checksum_start_offset(skb);
	if (start >= 0 && start + skb->csum_offset + sizeof(__sum16) <= skb->len) {
		__sum16 *field = (__sum16 *)(buf + start + skb->csum_offset);

		*field = csum_fold(csum_partial(buf + start, skb->len - start, 0)) ?:
			 CSUM_MANGLED_0;
	}
}

/**
 * vnet_tx_clean() - reclaim the descriptors the hardware has completed
 * @q: the queue
 * @budget: the NAPI budget (0 from netpoll: skbs are freed the slow way)
 *
 * Each completed frame goes on the wire (vnet_wire_deliver()), through the
 * TX direction's faults if any are set (vnet_fault_tx()), and frames the
 * faults delayed go on the wire once due.
 *
 * netpoll's poll (budget 0, IRQs off) only frees completed frames that
 * need no more than that: on a wire that allows it (the sink's), without
 * faults. A pair's wire is the peer's RX ring and a port's is its
 * reader's, whose locks are taken with BHs off and whose interrupts or
 * wakeups are raised here: that is NAPI's work, scheduled when the engine
 * completed them.
 *
 * Context: NAPI (softirq), or netpoll with IRQs off; the TX ring's
 * consumer.
 */
void vnet_tx_clean(struct vnet_queue *q, int budget)
{
	struct net_device *dev = q->priv->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, q->index);
	unsigned int pkts = 0, bytes = 0, done_pkts = 0, done_bytes = 0;
	const struct vnet_fault_cfg *fault;
	const struct vnet_wire_ops *ops;
	struct vnet_wire w;
	struct vnet_ring *ring = &q->tx_ring;
	u32 classes[VNET_CLASS_NUM] = {}, sizes[VNET_SIZE_NUM] = {};
	bool woken = false;
	u32 cons = ring->cons;
	u32 done;

	/* Pairs with the release in __vnet_tx_hw_complete(). */
	done = smp_load_acquire(&q->tx_hw_done);
	if (cons == done && skb_queue_empty(&q->fault.line[VNET_DIR_TX]))
		return;
	rcu_read_lock();
	ops = rcu_dereference(q->wire);
	fault = rcu_dereference(q->priv->fault);
	if (unlikely(!budget) && (!ops->netpoll || fault)) {
		rcu_read_unlock();
		return;
	}
	vnet_wire_open(&w, ops, q, budget);
	vnet_fault_tx_release(q, &w);
	if (fault && !fault->active[VNET_DIR_TX])
		fault = NULL;
	while (cons != done) {
		struct vnet_entry *slot = vnet_ring_slot(ring, cons);
		/* A TX ring holds skbs only. */
		struct sk_buff *skb = vnet_entry_to_skb(vnet_ring_take(slot));
		unsigned int class = vnet_skb_class(skb);
		unsigned int len = skb->len;
		bool sent;

		cons = vnet_ring_next(ring, cons);
		done_pkts++;
		done_bytes += len;
		if (unlikely(fault))
			sent = vnet_fault_tx(q, fault, skb, &w);
		else
			sent = vnet_wire_deliver(&w, skb, false);
		if (!sent)
			continue;
		classes[class]++;
		sizes[vnet_size_bucket(len)]++;
		pkts++;
		bytes += len;
	}
	/* The receiver's interrupt, or the reader's wakeup: one per batch. */
	vnet_wire_close(&w);
	rcu_read_unlock();
	if (unlikely(done_pkts - pkts + w.late_dropped))
		trace_vnet_drop(dev, q->index, VNET_DROP_WIRE,
				done_pkts - pkts + w.late_dropped);
	if (!done_pkts)
		goto count;
	trace_vnet_tx_complete(dev, q->index, done_pkts, done_bytes);
	/* Hands the slots back to vnet_start_xmit(). */
	smp_store_release(&ring->cons, cons);
	netdev_tx_completed_queue(txq, done_pkts, done_bytes);
	netif_dbg(q->priv, tx_done, dev, "tx q%u: cleaned %u frames\n",
		  q->index, done_pkts);

	/* Pairs with the barrier in vnet_tx_maybe_stop(). */
	smp_mb();
	if (unlikely(netif_tx_queue_stopped(txq)) &&
	    vnet_ring_space(ring) >= vnet_tx_wake_threshold(ring) &&
	    netif_running(dev)) {
		netif_tx_wake_queue(txq);
		woken = true;
	}

count:
	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.tx_packets, pkts);
	u64_stats_add(&q->napi_stats.tx_bytes, bytes);
	u64_stats_add(&q->napi_stats.tx_wire_dropped,
		      done_pkts - pkts + w.late_dropped);
	vnet_stats_add_counts(q->napi_stats.tx_class, classes, VNET_CLASS_NUM);
	vnet_stats_add_counts(q->napi_stats.tx_size, sizes, VNET_SIZE_NUM);
	if (woken)
		u64_stats_inc(&q->napi_stats.tx_queue_wakes);
	u64_stats_update_end(&q->napi_stats.syncp);
}
