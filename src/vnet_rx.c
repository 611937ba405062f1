// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_rx.c - the driver's receive path: the NAPI poll loop (RX placement,
 * the hardware's side: vnet_rx_hw.c; the interrupt that schedules the
 * poll: vnet_irq.c).
 *
 * A frame's life on RX:
 *   1. the "hardware" (the synthetic traffic timer in vnet_synth.c, a
 *      pair's peer in vnet_wire_peer.c) places an skb in a queue's RX ring
 *      with vnet_rx_enqueue(), and writes the descriptor's completion
 *      (struct vnet_rx_wb: length, class, done); a full ring loses the
 *      frame and counts it as missed, as a NIC does. A /dev/vnet writer
 *      (vnet_chardev.c) uses vnet_rx_inject() instead, and waits for a
 *      descriptor;
 *   2. it raises the RX interrupt, vnet_rx_irq(), which schedules NAPI;
 *   3. vnet_napi_poll() first cleans the TX ring, then reads up to @budget
 *      completions (the counters come from them) and hands their frames
 *      to GRO with napi_gro_receive() - through the XDP program first, if
 *      one is attached (vnet_xdp.c) - and re-enables "interrupts" with
 *      napi_complete_done() once the ring is empty.
 */
#include "vnet.h"
#include "vnet_xdp.h"
#include "vnet_trace.h"

/*
 * Count a received frame from its completion (class, length), and hand
 * the descriptor's completion back as a driver does: status cleared.
 */
static void vnet_rx_count(struct vnet_rx_wb *wb, u32 *classes, u32 *sizes,
			  u64 *bytes)
{
	/* The producer index said it was done: the completion must say so. */
	DEBUG_NET_WARN_ON_ONCE(!(wb->status & VNET_RXD_DD));
	classes[wb->class]++;
	sizes[vnet_size_bucket(wb->len)]++;
	*bytes += wb->len;
	wb->status = 0;
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

	/* Pairs with the release in vnet_rx_place(): slots before index. */
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

		vnet_rx_count(vnet_ring_rx_wb(ring, cons), classes, sizes, &bytes);
		cons = vnet_ring_next(ring, cons);
		work++;
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
	/* Hands the slots back to the RX placement (vnet_rx_place()). */
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
