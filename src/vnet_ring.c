// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_ring.c - allocation and teardown of descriptor rings.
 *
 * The index arithmetic is inline in vnet_ring.h because the TX and RX hot paths
 * use it; this file holds what runs only on open, stop and resize.
 */
#include <linux/error-injection.h>
#include <linux/slab.h>

#include "vnet.h"

/**
 * vnet_ring_alloc() - allocate an empty ring
 * @ring: the ring to set up
 * @size: number of descriptors
 *
 * The debug kernel's fail_function may make it fail (tests fail a change of
 * the rings at each of its steps that way).
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for a size out of range, or -ENOMEM.
 */
noinline int vnet_ring_alloc(struct vnet_ring *ring, u32 size)
{
	if (size < VNET_RING_MIN || size > VNET_RING_MAX)
		return -EINVAL;
	ring->slots = kvcalloc(size, sizeof(*ring->slots), GFP_KERNEL);
	if (!ring->slots)
		return -ENOMEM;
	ring->size = size;
	ring->prod = 0;
	ring->cons = 0;
	return 0;
}

/* Not inlined into vnet_rx_ring_alloc(): RX rings fail there too. */
ALLOW_ERROR_INJECTION(vnet_ring_alloc, ERRNO);

/**
 * vnet_rx_ring_alloc() - allocate an empty RX ring, with its completions
 * @ring: the ring to set up
 * @size: number of descriptors
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL for a size out of range, or -ENOMEM.
 */
int vnet_rx_ring_alloc(struct vnet_ring *ring, u32 size)
{
	int err = vnet_ring_alloc(ring, size);

	if (err)
		return err;
	ring->rx_wb = kvcalloc(size, sizeof(*ring->rx_wb), GFP_KERNEL);
	if (!ring->rx_wb) {
		vnet_ring_free(ring);
		return -ENOMEM;
	}
	return 0;
}

/**
 * vnet_ring_entry_free() - free what a ring entry holds, as a drop
 * @entry: an entry of a TX or RX ring: an skb or an xdp_frame
 *
 * Context: any context.
 */
void vnet_ring_entry_free(struct vnet_entry entry)
{
	if (vnet_entry_is_xdp(entry))
		xdp_return_frame(vnet_entry_to_xdp(entry));
	else
		dev_kfree_skb_any(vnet_entry_to_skb(entry));
}

/**
 * __vnet_ring_drain() - free every entry still in a ring, with @free
 * @ring: the ring; neither its producer nor its consumer may be running
 * @free: frees one entry (a ring whose entries are not vnet_ring_entry_free()'s)
 *
 * Context: any; the caller has stopped both ends of the ring.
 * Return: the number of entries freed, for the drop counters.
 */
unsigned int __vnet_ring_drain(struct vnet_ring *ring, void (*free)(struct vnet_entry))
{
	unsigned int n = 0;

	if (!ring->slots)
		return 0;
	while (ring->cons != ring->prod) {
		free(vnet_ring_take(vnet_ring_slot(ring, ring->cons)));
		if (ring->rx_wb)	/* handed back, as NAPI does */
			vnet_ring_rx_wb(ring, ring->cons)->status = 0;
		ring->cons = vnet_ring_next(ring, ring->cons);
		n++;
	}
	return n;
}

/**
 * vnet_ring_drain() - free every skb (or xdp_frame) still in a TX or RX ring
 * @ring: the ring; neither its producer nor its consumer may be running
 *
 * Context: any; the caller has stopped both ends of the ring.
 * Return: the number of frames freed, for the drop counters.
 */
unsigned int vnet_ring_drain(struct vnet_ring *ring)
{
	return __vnet_ring_drain(ring, vnet_ring_entry_free);
}

/**
 * vnet_ring_free() - release a ring's memory
 * @ring: the ring, drained with vnet_ring_drain() first
 *
 * Context: process context.
 */
void vnet_ring_free(struct vnet_ring *ring)
{
	WARN_ON_ONCE(ring->slots && ring->cons != ring->prod);
	kvfree(ring->slots);
	kvfree(ring->rx_wb);
	ring->slots = NULL;
	ring->rx_wb = NULL;
}
