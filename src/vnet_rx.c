// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_rx.c - the receive path: RX rings and the NAPI poll loop (the
 * interrupt that schedules it: vnet_irq.c).
 *
 * A frame's life on RX:
 *   1. the "hardware" (the synthetic traffic timer in vnet_synth.c, a
 *      pair's peer in vnet_wire_peer.c) places an skb in a queue's RX ring with
 *      vnet_rx_enqueue(); a full ring loses the frame and counts it as
 *      missed, as a NIC does. A /dev/vnet writer (vnet_chardev.c) uses
 *      vnet_rx_inject() instead, and waits for a descriptor;
 *   2. it raises the RX interrupt, vnet_rx_irq(), which schedules NAPI;
 *   3. vnet_napi_poll() first cleans the TX ring, then hands up to @budget
 *      frames to GRO with napi_gro_receive() - through the XDP program
 *      first, if one is attached (vnet_xdp.c) - and re-enables
 *      "interrupts" with napi_complete_done() once the ring is empty.
 */
#include "vnet.h"
#include "vnet_xdp.h"
#include "vnet_trace.h"

static void __vnet_rx_count_missed(struct vnet_queue *q, unsigned int n)
{
	lockdep_assert_held(&q->rx_lock);
	u64_stats_update_begin(&q->rxhw_stats.syncp);
	u64_stats_add(&q->rxhw_stats.rx_missed, n);
	u64_stats_update_end(&q->rxhw_stats.syncp);
	trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_RX_MISSED, n);
}

/**
 * vnet_rx_reserve() - how many of @n frames the RX ring can take now
 * @q: the queue
 * @n: frames the hardware is about to receive
 *
 * Real hardware drops a frame for which it has no descriptor before any
 * host memory is spent on it. A source that builds its frames itself (the
 * synthetic one) asks first, and the frames that will not fit are counted
 * as missed here, without being allocated. The answer is a lower bound:
 * only NAPI frees slots meanwhile.
 *
 * Context: any context but hard IRQ; takes rx_lock with BHs off.
 * Return: the number of frames to build and enqueue, at most @n.
 */
unsigned int vnet_rx_reserve(struct vnet_queue *q, unsigned int n)
{
	unsigned int room = 0;

	spin_lock_bh(&q->rx_lock);
	if (q->rx_ring.slots) {
		room = min(n, vnet_ring_space(&q->rx_ring));
		if (unlikely(READ_ONCE(q->priv->rx_exhaust)))
			room = 0;
		if (room < n)
			__vnet_rx_count_missed(q, n - room);
	}
	spin_unlock_bh(&q->rx_lock);
	return room;
}

/**
 * vnet_rx_enqueue() - the hardware receives a frame into an RX ring
 * @q: the queue
 * @entry: an skb (a whole Ethernet frame, skb->data at its header) or an
 *	   xdp_frame; ownership passes to the ring, or it is freed if the ring
 *	   is full or gone
 *
 * The caller raises the interrupt with vnet_rx_irq() once it has enqueued
 * its batch.
 *
 * Context: any context but hard IRQ; takes rx_lock with BHs off.
 * Return: true if the frame was queued, false if it was dropped (counted).
 */
bool vnet_rx_enqueue(struct vnet_queue *q, struct vnet_entry entry)
{
	int err = vnet_rx_inject(q, entry);

	if (likely(!err))
		return true;
	if (err == -ENOSPC) {
		spin_lock_bh(&q->rx_lock);
		__vnet_rx_count_missed(q, 1);
		spin_unlock_bh(&q->rx_lock);
	}
	vnet_ring_entry_free(entry);
	return false;
}

/**
 * vnet_rx_inject() - receive a frame only if a descriptor is free for it
 * @q: the queue
 * @entry: an skb (a whole Ethernet frame, skb->data at its header) or an
 *	   xdp_frame; ownership passes to the ring only on success
 *
 * For a source that can wait, such as a /dev/vnet writer: a full ring is
 * not a loss, the frame stays the caller's. The caller raises the
 * interrupt with vnet_rx_irq(). With the RX exhaustion fault on, the
 * hardware has no descriptor to wait for: the frame is taken, and lost
 * (counted as missed).
 *
 * Context: any context but hard IRQ; takes rx_lock with BHs off.
 * Return: 0 if queued, -ENOSPC if the ring is full, -ENETDOWN if the
 * device is down (it has no rings).
 */
int vnet_rx_inject(struct vnet_queue *q, struct vnet_entry entry)
{
	struct vnet_ring *ring = &q->rx_ring;
	int err = 0;

	spin_lock_bh(&q->rx_lock);
	if (unlikely(!ring->slots)) {
		err = -ENETDOWN;
	} else if (unlikely(READ_ONCE(q->priv->rx_exhaust))) {
		__vnet_rx_count_missed(q, 1);
		vnet_ring_entry_free(entry);
	} else if (unlikely(!vnet_ring_space(ring))) {
		err = -ENOSPC;
	} else {
		trace_vnet_rx_enqueue(q->priv->dev, q->index, vnet_entry_len(entry));
		*vnet_ring_slot(ring, ring->prod) = entry;
		/* Pairs with the acquire in vnet_rx_receive(). */
		smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
	}
	spin_unlock_bh(&q->rx_lock);
	return err;
}

/**
 * vnet_rx_enqueue_xdp() - the hardware receives frames sent by the peer's XDP
 * @q: the queue
 * @frames: xdp_frames; those queued become the ring's
 * @n: how many
 *
 * Frames that find the ring full are lost and counted as missed, like any
 * others, but stay the caller's to free. The caller raises the interrupt.
 *
 * Context: BH disabled; takes rx_lock.
 * Return: how many frames were queued: the first ones of @frames.
 */
unsigned int vnet_rx_enqueue_xdp(struct vnet_queue *q, struct xdp_frame **frames,
				 unsigned int n)
{
	struct vnet_ring *ring = &q->rx_ring;
	unsigned int i = 0;

	spin_lock(&q->rx_lock);
	if (unlikely(!ring->slots))
		goto out;	/* down: the peer counts what was not sent */
	for (; i < n && vnet_ring_space(ring) && !READ_ONCE(q->priv->rx_exhaust); i++) {
		trace_vnet_rx_enqueue(q->priv->dev, q->index, frames[i]->len);
		*vnet_ring_slot(ring, ring->prod) =
			vnet_entry_make(frames[i], VNET_ENTRY_XDP);
		/* Pairs with the acquire in vnet_rx_receive(). */
		smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
	}
	if (i < n)
		__vnet_rx_count_missed(q, n - i);
out:
	spin_unlock(&q->rx_lock);
	return i;
}

/* Count a frame the receive hardware refused, under rx_lock. */
static void vnet_rx_count_hw_error(struct vnet_queue *q, u64_stats_t *counter)
{
	spin_lock_bh(&q->rx_lock);
	u64_stats_update_begin(&q->rxhw_stats.syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&q->rxhw_stats.syncp);
	spin_unlock_bh(&q->rx_lock);
}

/**
 * vnet_rx_count_length_error() - count a frame too long for this device
 * @q: the receiving queue
 *
 * Context: any context but hard IRQ; takes rx_lock with BHs off.
 */
void vnet_rx_count_length_error(struct vnet_queue *q)
{
	vnet_rx_count_hw_error(q, &q->rxhw_stats.rx_length_errors);
	trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_RX_LENGTH, 1);
}

/**
 * vnet_rx_count_crc_error() - count a frame with a bad FCS from the peer
 * @q: the receiving queue
 *
 * Context: any context but hard IRQ; takes rx_lock with BHs off.
 */
void vnet_rx_count_crc_error(struct vnet_queue *q)
{
	vnet_rx_count_hw_error(q, &q->rxhw_stats.rx_crc_errors);
}

/* Count a received ring entry (an skb or an xdp_frame) by class and size. */
static void vnet_rx_count_entry(struct vnet_entry entry, u32 *classes,
				u32 *sizes, u64 *bytes)
{
	struct xdp_frame *frame;
	unsigned int len;

	if (likely(!vnet_entry_is_xdp(entry))) {
		struct sk_buff *skb = vnet_entry_to_skb(entry);

		classes[vnet_skb_class(skb)]++;
		len = skb->len;
	} else {
		frame = vnet_entry_to_xdp(entry);
		/* The sender let only whole Ethernet headers through. */
		classes[vnet_frame_class(frame->data)]++;
		len = frame->len;
	}
	sizes[vnet_size_bucket(len)]++;
	*bytes += len;
}

/* One received frame (a ring entry): to XDP if needed, then to GRO. */
static void vnet_rx_pass(struct vnet_queue *q, struct vnet_xdp_poll *xp,
			 struct vnet_entry entry)
{
	struct sk_buff *skb;

	if (xp->prog || vnet_entry_is_xdp(entry)) {
		skb = vnet_xdp_receive(q, xp, entry);
		if (!skb)
			return;
	} else {
		skb = vnet_entry_to_skb(entry);
	}
	skb->protocol = eth_type_trans(skb, q->priv->dev);
	/* The queue it came in on: RPS, PACKET_FANOUT_QM, XPS by rxqs. */
	skb_record_rx_queue(skb, q->index);
	/*
	 * Ownership: the stack's from here on. A pair's peer hands over the
	 * skb it transmitted, and TCP transmits clones whose data (and
	 * skb_shared_info) stay in its retransmit queue. GRO merges frames
	 * into the shared info of the skb it holds: it must own it. So a
	 * clone gets a private head first (skb_unclone(): the frags are
	 * referenced, not copied), or, without memory for one (or shared),
	 * skips GRO.
	 */
	if (unlikely(skb_shared(skb) || skb_unclone(skb, GFP_ATOMIC))) {
		netif_receive_skb(skb);
		return;
	}
	napi_gro_receive(&q->napi, skb);
}

/*
 * Hand up to @budget frames to GRO, through the XDP program if one is
 * attached (vnet_xdp.c): first those the RX faults delayed that are due,
 * then those of the RX ring, which meet the RX faults if any are set.
 */
static int vnet_rx_receive(struct vnet_queue *q, int budget)
{
	struct net_device *dev = q->priv->dev;
	struct vnet_ring *ring = &q->rx_ring;
	const struct vnet_fault_cfg *fault;
	u32 classes[VNET_CLASS_NUM] = {}, sizes[VNET_SIZE_NUM] = {};
	struct vnet_xdp_poll xp;
	u32 cons = ring->cons;
	int work = 0, taken;
	struct sk_buff *skb;
	u64 bytes = 0;
	u32 prod;

	/* Pairs with the release in vnet_rx_enqueue(): slots before index. */
	prod = smp_load_acquire(&ring->prod);

	rcu_read_lock();
	vnet_xdp_poll_begin(q, &xp, budget);
	fault = rcu_dereference(q->priv->fault);
	if (fault && !fault->active[VNET_DIR_RX])
		fault = NULL;
	/* Delayed frames were counted when they left the ring. */
	while (work < budget && !skb_queue_empty(&q->fault.line[VNET_DIR_RX]) &&
	       (skb = vnet_fault_rx_due(q))) {
		work++;
		vnet_rx_pass(q, &xp, vnet_entry_skb(skb));
	}
	taken = work;
	while (work < budget && cons != prod) {
		struct vnet_entry entry = vnet_ring_take(vnet_ring_slot(ring, cons));

		cons = vnet_ring_next(ring, cons);
		work++;
		vnet_rx_count_entry(entry, classes, sizes, &bytes);
		if (unlikely(fault) && !vnet_entry_is_xdp(entry)) {
			skb = vnet_fault_rx(q, fault, vnet_entry_to_skb(entry));
			if (!skb)
				continue;
			entry = vnet_entry_skb(skb);
		}
		vnet_rx_pass(q, &xp, entry);
	}
	vnet_xdp_poll_end(q, &xp);
	rcu_read_unlock();
	taken = work - taken;
	if (!taken)
		return work;
	/* Hands the slots back to vnet_rx_enqueue(). */
	smp_store_release(&ring->cons, cons);
	/* A pair's sender or a /dev/vnet writer may wait for these slots. */
	vnet_wire_rx_room(q);
	netif_dbg(q->priv, rx_status, dev, "rx q%u: %d frames to GRO\n",
		  q->index, work);

	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.rx_packets, taken);
	u64_stats_add(&q->napi_stats.rx_bytes, bytes);
	vnet_stats_add_counts(q->napi_stats.rx_class, classes, VNET_CLASS_NUM);
	vnet_stats_add_counts(q->napi_stats.rx_size, sizes, VNET_SIZE_NUM);
	u64_stats_update_end(&q->napi_stats.syncp);
	return work;
}

/*
 * The poll is done: complete it, and keep the interrupt masked while the
 * core defers it (see vnet_napi_poll()). Unmasking polls once more.
 */
static void vnet_napi_complete(struct vnet_queue *q, int work)
{
	if (!napi_complete_done(&q->napi, work)) {
		/* Deferred, not missed: the core's timer polls. */
		if (hrtimer_is_queued(&q->napi.timer))
			WRITE_ONCE(q->irq_deferred, true);
		return;
	}
	if (likely(!READ_ONCE(q->irq_deferred)))
		return;
	WRITE_ONCE(q->irq_deferred, false);
	/* Pairs with vnet_queue_interrupt(). */
	smp_mb();
	napi_schedule(&q->napi);
}

/*
 * Busy polling (rx_poll_us): after a poll that received frames, NAPI stays
 * scheduled - polled again at once - until no frame has come for
 * rx_poll_us. Its interrupt stays masked as for IRQ deferral (irq_deferred):
 * senders raise none, no IPI and no softirq, and the next poll finds their
 * frames; when the time is up vnet_napi_complete() unmasks it and polls
 * once more, so a frame that came meanwhile starts a new round. A CPU
 * spins for it (in ksoftirqd once the softirq's budget is spent), as a
 * DPDK driver or the kernel's threaded busy polling spends one; so it is
 * off by default. Returning the whole budget is how a poll asks to be
 * polled again without completing; the core then flushes the GRO packets
 * it holds (all of them at HZ < 1000, Debian's 250) and hands those it
 * collected to the stack.
 * Consulted after every poll, so that a full one also counts as frames.
 * Return: true if the poll should not complete.
 */
static bool vnet_napi_busy(struct vnet_queue *q, int work)
{
	/* Changed at run time (range-checked when set); read once. */
	u32 us = min_t(u32, READ_ONCE(q->priv->rx_poll_us), VNET_MAX_RX_POLL_US);
	u64 now;

	if (likely(!us))
		return false;
	now = local_clock();
	if (work)
		q->busy_until = now + (u64)us * NSEC_PER_USEC;
	else if (!time_before64(now, q->busy_until))
		return false;
	WRITE_ONCE(q->irq_deferred, true);
	return true;
}

/**
 * vnet_napi_poll() - NAPI poll: clean TX, then receive up to @budget frames
 * @napi: the queue's NAPI context
 * @budget: how many frames we may hand to the stack
 *
 * A producer that enqueues while we complete finds NAPI still scheduled;
 * napi_schedule() then marks it missed and napi_complete_done() polls
 * again, so no frame is stranded in the ring.
 *
 * IRQ deferral (the core's napi_defer_hard_irqs and gro_flush_timeout,
 * per device in sysfs): when napi_complete_done() says no and has armed
 * its timer, the queue's interrupt stays masked (irq_deferred) and the
 * timer polls, as a NIC driver leaves its interrupt off; senders then
 * raise none - no IPI, no softirq. Once a poll completes for good the
 * interrupt is unmasked, and the queue polled once more for whatever
 * came while it was masked. With busy polling (rx_poll_us) the poll does
 * not complete while frames keep coming (vnet_napi_busy()).
 *
 * Context: NAPI (softirq).
 * Return: the number of frames received, or @budget to be polled again.
 */
int vnet_napi_poll(struct napi_struct *napi, int budget)
{
	struct vnet_queue *q = container_of(napi, struct vnet_queue, napi);
	int work;

	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_inc(&q->napi_stats.napi_polls);
	u64_stats_update_end(&q->napi_stats.syncp);

	vnet_tx_clean(q, budget);
	if (unlikely(!budget))
		return 0;	/* netpoll: TX only */

	work = vnet_rx_receive(q, budget);
	trace_vnet_napi_poll(q->priv->dev, q->index, work, budget);
	if (vnet_napi_busy(q, work))
		return budget;	/* busy polling: poll again, still masked */
	if (work < budget)
		vnet_napi_complete(q, work);
	netif_dbg(q->priv, intr, q->priv->dev, "napi q%u: %d/%d\n",
		  q->index, work, budget);
	return work;
}
