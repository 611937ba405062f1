// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_tx_hw.c - the simulated TX engine: the hardware's side of transmit.
 *
 * The driver (vnet_tx.c) posts skbs (and XDP frames) in a queue's TX ring
 * and rings the doorbell (vnet_tx_doorbell()). A pass of the engine (vnet_tx_hw_pass())
 * then takes what was posted - as far as the wire has room (flow control)
 * and the line rate lets (vnet_pace.c) - puts each frame on the wire
 * through the wire's operations (vnet_wire.h), through the TX faults if
 * any are set (vnet_fault.c), writes each descriptor back (struct
 * vnet_tx_wb: length, class, sent or refused), advances its completion
 * index (tx_hw_done) and raises the TX-done interrupt, moderated as
 * ethtool -C tx-usecs/tx-frames asks. The driver hears of it only through
 * that interrupt and the written-back descriptors. With a TX latency
 * (tx_delay_us, vnetctl set) the engine runs from its timer instead of at
 * the doorbell. A receiver that frees room restarts a waiting engine with
 * vnet_tx_kick().
 */
#include <linux/delay.h>

#include "vnet.h"
#include "vnet_trace.h"

/*
 * How many of @pending frames the wire can take now. A wire with a ring on
 * its far side - a pair's peer RX ring, a /dev/vnet reader's frame ring -
 * bounds it: like a NIC honouring flow control, the engine sends no more
 * frames than that ring has free slots. What it holds back fills our TX
 * ring, which stops the queue: backpressure instead of loss. A wire
 * without one (the sink) takes everything.
 */
static u32 vnet_tx_wire_room(struct vnet_wire *w, u32 pending)
{
	struct vnet_ring *ring = NULL;

	if (w->ops->ring)
		ring = w->ops->ring(w);
	/*
	 * A far side without its ring is one whose ndo_open is still
	 * making it, or failed to: the core marks a device running before
	 * its ndo_open, and clears the mark after a failure without a word
	 * to us. Nothing to wait for, then: waiting would hold our frames
	 * until a kick that a failed open never sends. They are sent, and
	 * the far side drops them, as for a peer that is down.
	 */
	if (ring && READ_ONCE(ring->slots))
		pending = min(pending, vnet_ring_space(ring));
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
 * Moderation delays only the driver's cleaning: the frames are on the
 * wire already.
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
	bool raise;

	spin_lock(&q->tx_hw_lock);
	q->tx_coal_armed = false;
	raise = !q->tx_hw_stopped;
	spin_unlock(&q->tx_hw_lock);
	/* A soft hrtimer: softirq context, IRQs on. */
	if (raise)
		vnet_tx_irq_raise(q);
	return HRTIMER_NORESTART;
}

/* Start the engine's timer: it runs a pass at @ns (as @mode says). tx_hw_lock held. */
static void vnet_tx_hw_arm(struct vnet_queue *q, u64 ns, enum hrtimer_mode mode)
{
	lockdep_assert_held(&q->tx_hw_lock);
	q->tx_hw_armed = true;
	hrtimer_start(&q->tx_hw_timer, ns_to_ktime(ns), mode);
}

/*
 * What the engine may send of what was posted: as far as the wire takes
 * (flow control) and the line rate lets. A stopped engine sends nothing:
 * its queue is going down. @w: the pass's open wire.
 * Context: tx_hw_lock held.
 * Return: how many frames, from tx_hw_done on, to put on the wire now.
 */
static u32 __vnet_tx_hw_claim(struct vnet_queue *q, struct vnet_wire *w)
{
	struct vnet_ring *ring = &q->tx_ring;
	u32 posted, pending, room;

	lockdep_assert_held(&q->tx_hw_lock);
	if (unlikely(q->tx_hw_stopped))
		return 0;
	/* Pairs with the releases of the posts (vnet_tx.c): see posted slots. */
	posted = smp_load_acquire(&ring->prod);
	pending = vnet_ring_distance(ring, q->tx_hw_done, posted);
	if (!pending)
		return 0;
	if (unlikely(READ_ONCE(q->priv->tx_stall))) {
		/* The stall fault: nothing is sent; a kick retries. */
		WRITE_ONCE(q->tx_hw_blocked, true);
		return 0;
	}
	room = vnet_tx_wire_room(w, pending);
	if (unlikely(room < pending)) {
		WRITE_ONCE(q->tx_hw_blocked, true);
		/*
		 * Wait for the wire, then look again: a receiver that freed
		 * room before it could see tx_hw_blocked set does not kick
		 * us. Pairs with the barrier in vnet_tx_kick().
		 */
		smp_mb();
		room = vnet_tx_wire_room(w, pending);
	}
	WRITE_ONCE(q->tx_hw_blocked, room < pending);
	/* The line rate: only frames whose transmission has ended. */
	return vnet_pace_complete(q, room);
}

/*
 * An XDP frame that XDP's transmit posted (vnet_tx_post_xdp()): a wire
 * that takes a copy of one (deliver_xdp: the sink, a /dev/vnet reader's
 * buffer) gets it as it is; any other wire - one that became a pair's
 * while the frame waited - and the TX faults, which act on skbs, get a
 * copy in an skb of the engine's. Either way the frame goes back to its
 * sender here, as a NIC returns an XDP frame once it has sent it: the
 * wire holds nothing of it. Return whether the wire took it.
 * Context: an engine pass (see vnet_tx_hw_send()).
 */
static bool vnet_tx_hw_send_xdp(struct vnet_queue *q,
				const struct vnet_fault_cfg *fault,
				struct xdp_frame *frame, struct vnet_wire *w)
{
	struct sk_buff *skb;
	bool sent;

	if (likely(!fault && w->ops->deliver_xdp)) {
		sent = w->ops->deliver_xdp(w, frame);
		xdp_return_frame(frame);
		return sent;
	}
	skb = netdev_alloc_skb(q->priv->dev, frame->len);
	if (likely(skb))
		skb_put_data(skb, frame->data, frame->len);
	xdp_return_frame(frame);
	if (unlikely(!skb))
		return false;	/* no memory: a wire drop */
	if (fault)
		return vnet_fault_tx(q, fault, skb, w);
	return vnet_wire_deliver(w, skb, false);
}

/*
 * Put @n posted frames, from tx_hw_done on, on the wire - after the due
 * frames of the TX delay line, if a fault delayed some - and write each
 * descriptor back (struct vnet_tx_wb) for the driver's TX clean. The
 * frames' TX faults act here, on the wire (@w, the pass's). One batch:
 * the far side hears of it once (vnet_wire_close()).
 * Context: an engine pass (BH off, IRQs on, tx_hw_busy, tx_hw_lock not
 * held, RCU read side): the only user of the descriptors from tx_hw_done
 * on, and of the TX direction's fault state.
 */
static void vnet_tx_hw_send(struct vnet_queue *q, u32 n, struct vnet_wire *w)
{
	struct vnet_ring *ring = &q->tx_ring;
	const struct vnet_fault_cfg *fault;
	unsigned int refused = 0;
	u32 c = q->tx_hw_done;

	fault = rcu_dereference(q->priv->fault);
	if (fault && !fault->active[VNET_DIR_TX])
		fault = NULL;
	vnet_fault_tx_release(q, w);
	for (; n; n--, c = vnet_ring_next(ring, c)) {
		struct vnet_entry *slot = vnet_ring_slot(ring, c);
		struct vnet_tx_wb wb = {};

		/* Posted by the driver: an skb, or an XDP frame. */
		if (unlikely(vnet_entry_is_xdp(*slot))) {
			struct xdp_frame *frame = vnet_entry_to_xdp(*slot);

			wb.len = frame->len;
			wb.class = vnet_frame_class(frame->data);
			wb.sent = vnet_tx_hw_send_xdp(q, fault, frame, w);
		} else {
			struct sk_buff *skb = vnet_entry_to_skb(*slot);

			wb.len = skb->len;
			wb.class = vnet_skb_class(skb);
			if (unlikely(fault))
				wb.sent = vnet_fault_tx(q, fault, skb, w);
			else
				wb.sent = vnet_wire_deliver(w, skb, false);
		}
		refused += !wb.sent;
		/* Ownership: the frame is the wire's; what became of it stays. */
		slot->wb = wb;
	}
	/* The receiver's interrupt, or the reader's wakeup: one per batch. */
	vnet_wire_close(w);
	w->delivered = 0;
	if (unlikely(refused))
		trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_WIRE, refused);
}

/* Passes in a row, at most, before the engine leaves the rest to its timer. */
#define VNET_TX_HW_PASSES	4

/*
 * The TX engine at work: it sends what was posted (vnet_tx_hw_send()),
 * then advances its completion index - the frames are on the wire,
 * their descriptors written back - and raises the TX-done interrupt.
 *
 * It feeds the wire outside tx_hw_lock, with IRQs on, as the far side's
 * locks and interrupts need; tx_hw_busy keeps the passes of one queue
 * from overlapping. A doorbell, kick or timer that comes during a pass
 * leaves the work to it (tx_hw_again): the pass looks again before it
 * ends, VNET_TX_HW_PASSES times at most; after that its timer goes on, so
 * that a sender on another CPU cannot keep this one in softirq forever.
 * @polled: the driver reads the write-back as soon as the pass returns
 * (vnet_tx_doorbell_polled()): what the pass completes raises no TX-done
 * interrupt.
 *
 * Context: BH disabled, IRQs on.
 */
static void vnet_tx_hw_pass(struct vnet_queue *q, bool from_timer,
			    bool line_only, bool polled)
{
	unsigned int passes = 0;
	struct vnet_wire w;
	bool raise = false;
	u32 n;

	/* The wire, found once for the pass: its claims and its sends. */
	rcu_read_lock();
	vnet_wire_open(&w, rcu_dereference(q->wire), q);
	spin_lock(&q->tx_hw_lock);
	if (from_timer)
		q->tx_hw_armed = false;
	if (q->tx_hw_busy) {
		q->tx_hw_again = true;
		goto unlock;
	}
	q->tx_hw_busy = true;
	do {
		q->tx_hw_again = false;
		/* Posted frames wait for their TX latency's timer. */
		n = line_only ? 0 : __vnet_tx_hw_claim(q, &w);
		line_only = false;
		/* Nothing to send, and no delayed frame that may be due. */
		if (q->tx_hw_stopped || (!n && !READ_ONCE(q->fault.tx_held)))
			break;
		spin_unlock(&q->tx_hw_lock);
		vnet_tx_hw_send(q, n, &w);
		spin_lock(&q->tx_hw_lock);
		if (!n)
			continue;
		/* Pairs with the acquires of the TX clean: written back. */
		smp_store_release(&q->tx_hw_done,
				  vnet_ring_advance(&q->tx_ring, q->tx_hw_done, n));
		if (!polled)
			raise |= vnet_tx_irq(q);
	} while (q->tx_hw_again && ++passes < VNET_TX_HW_PASSES);
	if (q->tx_hw_again && !q->tx_hw_stopped && !q->tx_hw_armed)
		vnet_tx_hw_arm(q, (u64)READ_ONCE(q->priv->tx_delay_us) * NSEC_PER_USEC,
			       HRTIMER_MODE_REL_SOFT);
	q->tx_hw_busy = false;
unlock:
	spin_unlock(&q->tx_hw_lock);
	rcu_read_unlock();
	if (raise)
		vnet_tx_irq_raise(q);
}

static enum hrtimer_restart vnet_tx_hw_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue, tx_hw_timer);

	/* A soft hrtimer: softirq context, IRQs on. */
	vnet_tx_hw_pass(q, true, false, false);
	return HRTIMER_NORESTART;
}

/* netpoll's doorbell, rung again from softirq (see vnet_tx_doorbell()). */
static enum hrtimer_restart vnet_tx_netpoll_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue,
					    tx_netpoll_timer);

	vnet_tx_doorbell(q);
	return HRTIMER_NORESTART;
}

/*
 * The doorbell: with no TX latency and IRQs on, a pass runs here and now
 * (@polled: see vnet_tx_hw_pass()), and what it could send is on the
 * wire, its descriptors written back, when this returns. Otherwise the
 * engine's timer is armed, or with IRQs off (netpoll) tx_netpoll_timer
 * is started (see vnet_tx_doorbell()). Return whether a pass ran here.
 */
static bool __vnet_tx_doorbell(struct vnet_queue *q, bool polled)
{
	if (unlikely(irqs_disabled())) {
		hrtimer_start(&q->tx_netpoll_timer, 0, HRTIMER_MODE_REL_SOFT);
		return false;
	}
	if (likely(!READ_ONCE(q->priv->tx_delay_us))) {
		vnet_tx_hw_pass(q, false, false, polled);
		return true;
	}
	spin_lock(&q->tx_hw_lock);
	/* Going down: its flush takes what was posted. */
	if (!q->tx_hw_stopped && !q->tx_hw_armed)
		vnet_tx_hw_arm(q, (u64)READ_ONCE(q->priv->tx_delay_us) * NSEC_PER_USEC,
			       HRTIMER_MODE_REL_SOFT);
	spin_unlock(&q->tx_hw_lock);
	return false;
}

/**
 * vnet_tx_doorbell() - tell the hardware that new descriptors are ready
 * @q: the queue
 *
 * With no TX latency the engine sends them at once; otherwise it sends
 * everything posted by the time its timer fires. Either way it raises the
 * TX-done interrupt for what it completes. A caller that said more frames
 * follow rings it after its last frame. A stopped engine ignores it
 * (vnet_tx_hw_stop()).
 *
 * netpoll (netconsole) rings it with IRQs off, maybe in a hard IRQ that
 * interrupted the engine on this CPU: there the engine can neither run
 * (the wire's far side takes its locks with BHs off, the TX-done
 * interrupt runs softirqs) nor take its lock, which is BH-safe only. The
 * doorbell is rung again from softirq instead, by a timer of its own
 * that needs no lock of ours (tx_netpoll_timer), at once. That keeps
 * every other ring of the doorbell - one per frame sent - free of
 * masking IRQs, which a simulated NIC would pay for on every frame.
 *
 * Context: BH disabled, or IRQs disabled (netpoll).
 */
void vnet_tx_doorbell(struct vnet_queue *q)
{
	__vnet_tx_doorbell(q, false);
}

/**
 * vnet_tx_doorbell_polled() - ring the doorbell; the driver polls for its work
 * @q: the queue
 *
 * As vnet_tx_doorbell(), but a pass that runs at once - no TX latency,
 * IRQs on - raises no TX-done interrupt for what it completes: the
 * driver reads the written-back descriptors as soon as this returns, as
 * a NIC driver that posts descriptors without their "interrupt on
 * completion" bit and polls their status instead. Anything completed
 * later, by a pass of the timer, a kick or another CPU, raises it as
 * usual. A pass of a kick or timer that finds this one running leaves its
 * work to it, quietly (tx_hw_again): covered only because the caller
 * always cleans after a true return; a caller that might not must ring
 * vnet_tx_doorbell() instead.
 *
 * Context: BH disabled, or IRQs disabled (netpoll).
 * Return: true if the doorbell was answered here, with no TX latency and
 * IRQs on: the caller must now reclaim what is written back. Not
 * necessarily its own descriptors: a pass already running on another CPU
 * sends them (and raises the interrupt), and a wire short of room holds
 * them back. False: a timer sends them, and raises the interrupt.
 */
bool vnet_tx_doorbell_polled(struct vnet_queue *q)
{
	return __vnet_tx_doorbell(q, true);
}

/**
 * vnet_tx_hw_run() - run the TX engine for its delay line
 * @q: the queue
 *
 * For the TX direction's delay line (vnet_fault.c): the frames that are
 * due go on the wire; frames just posted wait for their TX latency, if
 * the device has one.
 *
 * Context: softirq (a soft hrtimer), IRQs on.
 */
void vnet_tx_hw_run(struct vnet_queue *q)
{
	vnet_tx_hw_pass(q, false, READ_ONCE(q->priv->tx_delay_us), false);
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
	 * __vnet_tx_hw_claim(), so that either the engine sees the room
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
	hrtimer_setup(&q->tx_netpoll_timer, vnet_tx_netpoll_timer_fn,
		      CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
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
	spin_lock_bh(&q->tx_hw_lock);
	q->tx_hw_stopped = false;
	spin_unlock_bh(&q->tx_hw_lock);
}

/**
 * vnet_tx_hw_stop() - stop the simulated TX engine; pending work is dropped
 * @q: the queue, whose transmit queue is already disabled
 *
 * Final until vnet_tx_hw_start(): a peer's NAPI or a /dev/vnet reader may
 * still kick the engine, and a running timer may still run it, but once
 * tx_hw_stopped is set under the lock no pass sends anything or arms a
 * timer again, so the timers stay cancelled. A pass already feeding the
 * wire finishes first: on return, the engine is done with the ring, the
 * wire and the TX delay line (a kick's pass may still raise the TX-done
 * interrupt of what it sent: a disabled NAPI ignores it). Safe to call
 * again on a stopped engine.
 *
 * Context: process context; no doorbell can ring from xmit any more.
 */
void vnet_tx_hw_stop(struct vnet_queue *q)
{
	spin_lock_bh(&q->tx_hw_lock);
	q->tx_hw_stopped = true;
	/* Nothing is pending any more: no peer needs to kick us. */
	WRITE_ONCE(q->tx_hw_blocked, false);
	/*
	 * A pass sends what it took (a ring's worth at most), then ends.
	 * Sleep, not spin: on PREEMPT_RT the pass may be preempted on the
	 * very CPU this runs on.
	 */
	while (q->tx_hw_busy) {
		spin_unlock_bh(&q->tx_hw_lock);
		usleep_range(10, 50);
		spin_lock_bh(&q->tx_hw_lock);
	}
	spin_unlock_bh(&q->tx_hw_lock);
	/*
	 * A callback running now re-arms nothing (see above); netpoll's
	 * doorbell first, as it may run the engine. xmit, netpoll's too,
	 * rings no more: it does not re-arm.
	 */
	hrtimer_cancel(&q->tx_netpoll_timer);
	hrtimer_cancel(&q->tx_hw_timer);
	q->tx_hw_armed = false;
	hrtimer_cancel(&q->tx_coal_timer);
	q->tx_coal_armed = false;
	vnet_pace_stop(q);
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
