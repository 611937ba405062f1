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
 * struct vnet_ring - a single-producer, single-consumer descriptor ring
 * @slots: @size skb pointers; NULL when the ring is not allocated
 * @size: number of descriptors, any value in [VNET_RING_MIN, VNET_RING_MAX]
 * @prod: next descriptor the producer fills (written by the producer only)
 * @cons: next descriptor the consumer takes (written by the consumer only)
 *
 * @prod and @cons run over [0, 2 * @size): the ring is empty when they are
 * equal and full when they differ by exactly @size. Counting over twice
 * the size tells full from empty without wasting a slot, for any size.
 *
 * A slot holds an skb, except in an RX ring, where it may hold an
 * xdp_frame: one sent by the peer's XDP program, tagged with VNET_RING_XDP
 * (see vnet_ring_is_xdp()), or an RX buffer the wire filled for an XDP
 * receiver (vnet_xdp_wire_fill()), tagged VNET_RING_XDP | VNET_RING_WIRE.
 */
struct vnet_ring {
	struct sk_buff **slots;
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
static inline struct sk_buff **vnet_ring_slot(const struct vnet_ring *ring, u32 c)
{
	return &ring->slots[c < ring->size ? c : c - ring->size];
}

/* Free descriptors, as seen by the producer (which owns @prod). */
static inline u32 vnet_ring_space(const struct vnet_ring *ring)
{
	u32 cons;

	/* Pairs with the consumer's release: handed-back slots were read. */
	cons = smp_load_acquire(&ring->cons);
	return ring->size - vnet_ring_distance(ring, cons, READ_ONCE(ring->prod));
}

/*
 * An xdp_frame in a ring slot: the pointer with its lowest bit set. The
 * next bit says that the frame sits in an RX buffer the wire filled (a
 * page fragment of vnet's, MEM_TYPE_PAGE_SHARED), so the receiver's
 * program may run on it in place. Frames are at least 8-byte aligned.
 * Only RX rings hold tagged entries (a TX ring holds skbs). A /dev/vnet
 * port's frame ring tags its entries its own way (VNET_PORT_COPY in
 * vnet_chardev.c): the two kinds of tag never meet in one ring.
 */
#define VNET_RING_XDP	0x1UL
#define VNET_RING_WIRE	0x2UL
#define VNET_RING_TAGS	(VNET_RING_XDP | VNET_RING_WIRE)

static inline bool vnet_ring_is_xdp(const struct sk_buff *entry)
{
	return (unsigned long)entry & VNET_RING_XDP;
}

static inline bool vnet_ring_is_wire(const struct sk_buff *entry)
{
	return (unsigned long)entry & VNET_RING_WIRE;
}

static inline struct xdp_frame *vnet_ring_to_xdp(struct sk_buff *entry)
{
	return (struct xdp_frame *)((unsigned long)entry & ~VNET_RING_TAGS);
}

static inline struct sk_buff *vnet_ring_from_xdp(struct xdp_frame *frame)
{
	return (struct sk_buff *)((unsigned long)frame | VNET_RING_XDP);
}

static inline struct sk_buff *vnet_ring_from_wire(struct xdp_frame *frame)
{
	return (struct sk_buff *)((unsigned long)frame | VNET_RING_TAGS);
}

/* The length of the frame a ring entry holds. */
static inline unsigned int vnet_ring_entry_len(struct sk_buff *entry)
{
	return vnet_ring_is_xdp(entry) ? vnet_ring_to_xdp(entry)->len : entry->len;
}

int vnet_ring_alloc(struct vnet_ring *ring, u32 size);
void vnet_ring_free(struct vnet_ring *ring);
void vnet_ring_entry_free(struct sk_buff *entry);
unsigned int __vnet_ring_drain(struct vnet_ring *ring, void (*free)(struct sk_buff *));
unsigned int vnet_ring_drain(struct vnet_ring *ring);

#endif /* _VNET_RING_H */
