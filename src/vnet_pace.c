// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_pace.c - an emulated line rate (ethtool -s DEV speed N).
 *
 * A real port sends one frame at a time, and a frame of L bytes occupies
 * it for (L + FCS + preamble + inter-frame gap) * 8 / rate seconds. The
 * device keeps the time its wire is busy until (wire_free_ns); each TX
 * queue's engine reserves wire time for the frame it starts, in ring
 * order, and completes the frame only when that time has passed, arming
 * its timer for the end of the next one. A frame queued behind another
 * starts when that one ends, however late the timer runs; a frame sent
 * to an idle queue starts now. So queues share the line rate,
 * and a pair end delivers to its peer no faster than that rate. A GSO
 * frame is paced as the wire frames it will be. A frame starting on the
 * wire is orphaned: like a NIC that has fetched a frame into its FIFO and
 * completes it while the wire is still busy, the port holds no socket
 * memory, so TCP small queues give it the next frame while this one is
 * sent, and a sender slower to answer than a frame lasts (a debug kernel)
 * still keeps the wire busy; its socket is asked for larger TSO frames
 * (VNET_PACE_SK_SHIFT). With no rate set the engine tests one field and
 * goes on.
 */
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "vnet.h"

/* Frames whose transmission ends this soon are completed together. */
#define VNET_PACE_SLACK_NS	(20 * NSEC_PER_USEC)
/*
 * TCP sizes its TSO frames, and TCP small queues the data it leaves below
 * the socket, at its pacing rate >> sk_pacing_shift: 1 ms by default (10).
 * A paced wire asks for 4 ms (8): 4x fewer frames for the same data, so a
 * slow host (the debug kernel under TCG spends ~1 ms of CPU on each frame
 * a 100 Mbit/s stream sends and receives) still keeps the wire busy.
 */
#define VNET_PACE_SK_SHIFT	8
/* What a wire frame carries besides its bytes: FCS, preamble + SFD, IFG. */
#define VNET_WIRE_OVERHEAD	(ETH_FCS_LEN + 8 + 12)

/* Bytes on the wire for one frame, or for the frames a GSO skb becomes. */
static u64 vnet_pace_wire_bytes(const struct sk_buff *skb)
{
	unsigned int hdr, segs;

	if (!skb_is_gso(skb))
		return max_t(unsigned int, skb->len, ETH_ZLEN) + VNET_WIRE_OVERHEAD;
	segs = skb_shinfo(skb)->gso_segs ? : 1;
	hdr = skb_transport_offset(skb);
	if (skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))
		hdr += tcp_hdrlen(skb);
	else
		hdr += sizeof(struct udphdr);
	return skb->len + (u64)(segs - 1) * hdr + (u64)segs * VNET_WIRE_OVERHEAD;
}

/* Reserve @ns of the device's wire from @now on. Return: when it ends. */
static u64 vnet_pace_reserve(struct vnet_priv *priv, u64 now, u64 ns)
{
	s64 old, start, end;

	do {
		old = atomic64_read(&priv->wire_free_ns);
		start = max_t(s64, old, now);
		end = start + ns;
	} while (atomic64_cmpxchg(&priv->wire_free_ns, old, end) != old);
	return end;
}

/**
 * vnet_pace_complete() - how many frames the line rate lets the engine
 *	complete now
 * @q: the queue
 * @room: frames the wire would take, from tx_hw_done on
 *
 * Frames whose transmission has ended are completed; for the first one
 * still on the wire the engine's timer is armed for its end.
 *
 * Context: tx_hw_lock held.
 * Return: how many of @room frames are done.
 */
u32 vnet_pace_complete(struct vnet_queue *q, u32 room)
{
	struct vnet_priv *priv = q->priv;
	u32 rate = READ_ONCE(priv->speed_mbps);
	struct vnet_ring *ring = &q->tx_ring;
	u32 c = q->tx_hw_done, n = 0;
	u64 now, from;

	lockdep_assert_held(&q->tx_hw_lock);
	if (likely(!rate))
		return room;
	now = ktime_get_ns();
	from = now;
	for (; n < room; n++, c = vnet_ring_next(ring, c)) {
		if (!q->pace_end) {
			struct vnet_entry e = *vnet_ring_slot(ring, c);
			struct sk_buff *skb = NULL;
			u64 bytes;

			/* An XDP frame (vnet_tx_post_xdp()) has no socket. */
			if (vnet_entry_is_xdp(e)) {
				bytes = max_t(unsigned int, vnet_entry_to_xdp(e)->len,
					      ETH_ZLEN) + VNET_WIRE_OVERHEAD;
			} else {
				skb = vnet_entry_to_skb(e);
				bytes = vnet_pace_wire_bytes(skb);
			}
			/* bits / (Mbit/s) = us; in ns: bytes * 8000 / rate. */
			q->pace_end = vnet_pace_reserve(priv, from,
							div_u64(bytes * 8000, rate));
			/*
			 * The frame is in the port's FIFO now, its data
			 * fetched: its socket may queue the next one while
			 * this one is on the wire. And, as Wi-Fi drivers do
			 * for a link that completes at airtime, ask TCP for
			 * ~4 ms of data queued and in each TSO frame
			 * instead of ~1 ms.
			 */
			if (skb) {
				sk_pacing_shift_update(skb->sk, VNET_PACE_SK_SHIFT);
				skb_orphan(skb);
			}
		}
		if (q->pace_end > now + VNET_PACE_SLACK_NS)
			break;
		/*
		 * This frame is through. The next one waited behind it, so
		 * it starts when this one ended, not when our timer got to
		 * run: a late timer must not leave the wire idle.
		 */
		from = min(q->pace_end, now);
		q->pace_end = 0;
	}
	if (n < room) {
		q->tx_hw_armed = true;
		hrtimer_start(&q->tx_hw_timer, ns_to_ktime(q->pace_end),
			      HRTIMER_MODE_ABS_SOFT);
	}
	return n;
}

/**
 * vnet_pace_stop() - forget the frame a queue had on the wire
 * @q: the queue, its engine stopped and its ring about to be flushed
 *
 * Context: process context.
 */
void vnet_pace_stop(struct vnet_queue *q)
{
	q->pace_end = 0;
}

/**
 * vnet_pace_set() - set the line rate
 * @priv: the device
 * @mbps: Mbit/s, 1..VNET_SPEED_MAX; 0: unlimited
 *
 * Queued frames follow the new rate from their next reservation on.
 *
 * Context: process context, RTNL held.
 */
void vnet_pace_set(struct vnet_priv *priv, u32 mbps)
{
	WRITE_ONCE(priv->speed_mbps, mbps);
	atomic64_set(&priv->wire_free_ns, 0);
}
