/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_ring.h - descriptor rings: the bottom layer, shared by the driver
 * and the simulated hardware (TX and RX rings, a /dev/vnet frame ring).
 * Inline: they are the hot path. Depends on nothing else of vnet's.
 */
#ifndef _VNET_RING_H
#define _VNET_RING_H

#include <linux/skbuff.h>
#include <net/xdp.h>

#define VNET_RING_MIN		8
#define VNET_RING_MAX		4096

/**
 * struct vnet_tx_wb - what the TX engine writes back over a descriptor it
 *	has completed: the frame went on the wire (an skb with it; an XDP
 *	frame back to its sender)
 * @len: the frame's length, in bytes
 * @class: its class (vnet_frame_class()), for the per-class TX counters
 * @sent: the wire took it; false: the far side refused it (a TX wire drop)
 */
struct vnet_tx_wb {
	u32 len;
	u8 class;
	bool sent;
};

/* Status bits of an RX completion (struct vnet_rx_wb). */
#define VNET_RXD_DD		BIT(0)	/* descriptor done: the hardware wrote it */

/**
 * struct vnet_rx_wb - what the receive hardware writes into an RX
 *	descriptor's completion when it has placed a frame there
 * @len: the frame's length, in bytes, as it came off the wire
 * @status: VNET_RXD_* bits; the driver clears them as it takes the frame
 * @class: the frame's class (vnet_frame_class()), found by the hardware's
 *	parser, as a NIC reports a packet type in its descriptor
 *
 * A NIC's RX descriptor holds the buffer the driver posted until the
 * hardware overwrites it with this (the write-back format). vnet keeps
 * the frame's pointer in the ring slot, as a driver keeps its buffer
 * table beside the descriptors, and the completions in an array of their
 * own, one per slot (struct vnet_ring's @rx_wb): NAPI reads what it needs
 * to count and to pass a frame up here, not in the frame.
 */
struct vnet_rx_wb {
	u32 len;
	u16 status;
	u8 class;
};

/**
 * struct vnet_entry - what a ring slot holds: a pointer, tagged with its kind
 * @tagged: the pointer, its two low bits its kind (enum vnet_entry_kind);
 *	0: an empty slot
 * @wb: a TX descriptor once the hardware has completed it (the write-back
 *	format)
 *
 * One scheme for every ring. A TX ring holds skbs and xdp_frames (XDP's
 * transmit on a standalone device, vnet_tx_post_xdp()); an RX ring skbs and
 * xdp_frames (sent by the peer's program, or in an RX buffer the wire
 * filled for an XDP receiver, vnet_xdp_wire_fill()); a /dev/vnet port's
 * frame ring skbs and copies of frames (vnet_chardev.c). Everything a slot
 * points to is at least 4-byte aligned. A struct rather than a pointer,
 * so that the compiler never lets an entry pass for an skb.
 *
 * As a NIC's descriptors, a TX slot has two formats, told apart by where
 * it lies: from the hardware's completion index (tx_hw_done) to the
 * producer's it holds the skb the driver posted (@tagged); from the
 * consumer's to tx_hw_done, the record the engine wrote back over it when
 * it put the frame on the wire (@wb), which TX clean reads.
 */
struct vnet_entry {
	union {
		unsigned long tagged;
		struct vnet_tx_wb wb;
	};
};

/* The kinds of entry: XDP and WIRE (bit 0) are both xdp_frames. */
enum vnet_entry_kind {
	VNET_ENTRY_SKB,		/* struct sk_buff */
	VNET_ENTRY_XDP,		/* struct xdp_frame an XDP program sent */
	VNET_ENTRY_COPY,	/* a port's copy of a frame (vnet_chardev.c) */
	VNET_ENTRY_WIRE,	/* struct xdp_frame in an RX buffer the wire filled */
};

#define VNET_ENTRY_KINDS	0x3UL

static inline struct vnet_entry vnet_entry_make(const void *p, enum vnet_entry_kind kind)
{
	DEBUG_NET_WARN_ON_ONCE((unsigned long)p & VNET_ENTRY_KINDS);
	return (struct vnet_entry){ .tagged = (unsigned long)p | kind };
}

static inline enum vnet_entry_kind vnet_entry_kind(struct vnet_entry e)
{
	return e.tagged & VNET_ENTRY_KINDS;
}

static inline void *vnet_entry_ptr(struct vnet_entry e)
{
	return (void *)(e.tagged & ~VNET_ENTRY_KINDS);
}

static inline struct vnet_entry vnet_entry_skb(struct sk_buff *skb)
{
	return vnet_entry_make(skb, VNET_ENTRY_SKB);
}

/* An xdp_frame, of either kind. */
static inline bool vnet_entry_is_xdp(struct vnet_entry e)
{
	return e.tagged & VNET_ENTRY_XDP;
}

static inline struct sk_buff *vnet_entry_to_skb(struct vnet_entry e)
{
	DEBUG_NET_WARN_ON_ONCE(vnet_entry_kind(e) != VNET_ENTRY_SKB);
	return (struct sk_buff *)e.tagged;
}

static inline struct xdp_frame *vnet_entry_to_xdp(struct vnet_entry e)
{
	return vnet_entry_ptr(e);
}

/* The length of the frame an entry of an RX ring holds (skb or xdp_frame). */
static inline unsigned int vnet_entry_len(struct vnet_entry e)
{
	return vnet_entry_is_xdp(e) ? vnet_entry_to_xdp(e)->len :
				      vnet_entry_to_skb(e)->len;
}

/**
 * struct vnet_ring - a single-producer, single-consumer descriptor ring
 * @slots: @size entries (struct vnet_entry); NULL when the ring is not
 *	allocated
 * @rx_wb: an RX ring's completions, one per slot (vnet_rx_ring_alloc());
 *	NULL for the other rings
 * @size: number of descriptors, any value in [VNET_RING_MIN, VNET_RING_MAX]
 * @prod: next descriptor the producer fills (written by the producer only)
 * @cons: next descriptor the consumer takes (written by the consumer only)
 *
 * @prod and @cons run over [0, 2 * @size): the ring is empty when they are
 * equal and full when they differ by exactly @size. Counting over twice
 * the size tells full from empty without wasting a slot, for any size.
 */
struct vnet_ring {
	struct vnet_entry *slots;
	struct vnet_rx_wb *rx_wb;
	u32 size;
	u32 prod;
	u32 cons;
};

/* The next value of a ring counter. */
static inline u32 vnet_ring_next(const struct vnet_ring *ring, u32 c)
{
	return c + 1 == 2 * ring->size ? 0 : c + 1;
}

/* How many descriptors lie from counter @from up to counter @to. */
static inline u32 vnet_ring_distance(const struct vnet_ring *ring, u32 from, u32 to)
{
	return to >= from ? to - from : to + 2 * ring->size - from;
}

/* Counter @c moved @n (at most the ring size) descriptors on. */
static inline u32 vnet_ring_advance(const struct vnet_ring *ring, u32 c, u32 n)
{
	return c + n >= 2 * ring->size ? c + n - 2 * ring->size : c + n;
}

/* The descriptor a counter designates. */
static inline struct vnet_entry *vnet_ring_slot(const struct vnet_ring *ring, u32 c)
{
	return &ring->slots[c < ring->size ? c : c - ring->size];
}

/* The completion of the RX descriptor a counter designates. */
static inline struct vnet_rx_wb *vnet_ring_rx_wb(const struct vnet_ring *ring, u32 c)
{
	return &ring->rx_wb[c < ring->size ? c : c - ring->size];
}

/* Free descriptors, as seen by the producer (which owns @prod). */
static inline u32 vnet_ring_space(const struct vnet_ring *ring)
{
	u32 cons;

	/* Pairs with the consumer's release: handed-back slots were read. */
	cons = smp_load_acquire(&ring->cons);
	return ring->size - vnet_ring_distance(ring, cons, READ_ONCE(ring->prod));
}

/* Take the entry out of a slot, leaving it empty. */
static inline struct vnet_entry vnet_ring_take(struct vnet_entry *slot)
{
	struct vnet_entry e = *slot;

	slot->tagged = 0;
	return e;
}

int vnet_ring_alloc(struct vnet_ring *ring, u32 size);
int vnet_rx_ring_alloc(struct vnet_ring *ring, u32 size);
void vnet_ring_free(struct vnet_ring *ring);
void vnet_ring_entry_free(struct vnet_entry entry);
unsigned int __vnet_ring_drain(struct vnet_ring *ring, void (*free)(struct vnet_entry));
unsigned int vnet_ring_drain(struct vnet_ring *ring);

#endif /* _VNET_RING_H */
