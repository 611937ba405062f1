// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_rx_hw.c - RX placement: the hardware's side of receive.
 *
 * What arrives from the wire - a pair's peer (vnet_wire_peer.c), the
 * synthetic source (vnet_synth.c), a /dev/vnet writer (vnet_chardev.c) -
 * is placed in a free descriptor of a queue's RX ring under the queue's
 * rx_lock (several producers, on any CPU), or counted where a NIC counts
 * it: missed for want of a descriptor, a length or FCS error. The caller
 * then raises the RX interrupt (vnet_irq.c); the driver's NAPI poll
 * (vnet_rx.c) takes the frames from the ring.
 */
#include "vnet.h"
#include "vnet_trace.h"

static void __vnet_rx_count_missed(struct vnet_queue *q, unsigned int n)
{
	lockdep_assert_held(&q->rx_lock);
	u64_stats_update_begin(&q->rxhw_stats.syncp);
	u64_stats_add(&q->rxhw_stats.rx_missed, n);
	u64_stats_update_end(&q->rxhw_stats.syncp);
	trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_RX_MISSED, n);
}

/* The class the hardware's parser finds in a frame (an skb or xdp_frame). */
static unsigned int vnet_rx_parse(struct vnet_entry entry)
{
	/* A sender lets only whole Ethernet headers through as xdp_frames. */
	if (vnet_entry_is_xdp(entry))
		return vnet_frame_class(vnet_entry_to_xdp(entry)->data);
	return vnet_skb_class(vnet_entry_to_skb(entry));
}

/*
 * Place a frame in the next free RX descriptor, under rx_lock: the frame
 * in its slot, the completion written, then the producer index published
 * (the "head" register NAPI reads), so that NAPI sees both once it sees
 * the index.
 */
static void vnet_rx_place(struct vnet_queue *q, struct vnet_entry entry)
{
	struct vnet_ring *ring = &q->rx_ring;
	struct vnet_rx_wb *wb = vnet_ring_rx_wb(ring, ring->prod);
	unsigned int len = vnet_entry_len(entry);

	lockdep_assert_held(&q->rx_lock);
	trace_vnet_rx_enqueue(q->priv->dev, q->index, len);
	*vnet_ring_slot(ring, ring->prod) = entry;
	wb->len = len;
	wb->class = vnet_rx_parse(entry);
	wb->status = VNET_RXD_DD;
	/* Pairs with the acquire in vnet_rx_receive(). */
	smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
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
		vnet_rx_place(q, entry);
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
	for (; i < n && vnet_ring_space(ring) && !READ_ONCE(q->priv->rx_exhaust); i++)
		vnet_rx_place(q, vnet_entry_make(frames[i], VNET_ENTRY_XDP));
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
