// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_wire.c - a queue's wire (vnet_wire.h), and the simplest wire: the
 * sink of a standalone device, which consumes every frame at once.
 *
 * A standalone device's TX engine never waits for its wire, and nothing
 * on the far side waits for RX descriptors:
 * its receive side is the synthetic source (vnet_synth.c), which drops
 * what does not fit.
 */
#include <linux/rtnetlink.h>

#include "vnet.h"

static void vnet_sink_open(struct vnet_wire *w)
{
}

/* The wire consumed the frame: a normal end, not a drop. */
static bool vnet_sink_deliver(struct vnet_wire *w, struct sk_buff *skb,
			      bool bad_fcs)
{
	dev_consume_skb_any(skb);
	return true;
}

/* The same for a copy of an XDP frame: nothing to copy it into. */
static bool vnet_sink_deliver_xdp(struct vnet_wire *w, const struct xdp_frame *frame)
{
	return true;
}

const struct vnet_wire_ops vnet_wire_sink = {
	.open		= vnet_sink_open,
	.deliver	= vnet_sink_deliver,
	.deliver_xdp	= vnet_sink_deliver_xdp,
};

/**
 * vnet_wire_set() - connect a queue to a wire
 * @q: the queue
 * @ops: the wire. Its far side is set before it and cleared after the
 *	wire goes back to the sink; readers may still see the two apart,
 *	and every wire copes without its far side (see vnet_wire.h).
 *
 * Context: RTNL held, or before the device is registered.
 */
void vnet_wire_set(struct vnet_queue *q, const struct vnet_wire_ops *ops)
{
	rcu_assign_pointer(q->wire, ops);
}

/**
 * vnet_wire_rx_room() - the queue's RX ring has room again: tell the wire
 * @q: the queue whose RX ring NAPI (or a reset) just drained
 *
 * Context: BH disabled.
 */
void vnet_wire_rx_room(struct vnet_queue *q)
{
	const struct vnet_wire_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(q->wire);
	if (ops->rx_room)
		ops->rx_room(q);
	rcu_read_unlock();
}

/**
 * vnet_wire_changed() - the queue's rings came or went: tell the wire
 * @q: the queue
 *
 * Context: RTNL held, BHs off.
 */
void vnet_wire_changed(struct vnet_queue *q)
{
	const struct vnet_wire_ops *ops = rtnl_dereference(q->wire);

	if (ops->changed)
		ops->changed(q);
}

/**
 * vnet_wire_release() - the queue's device is going away: the wire lets go
 * @q: the queue
 *
 * Context: RTNL held (ndo_uninit).
 */
void vnet_wire_release(struct vnet_queue *q)
{
	const struct vnet_wire_ops *ops = rtnl_dereference(q->wire);

	if (ops->release)
		ops->release(q);
}
