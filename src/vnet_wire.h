/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_wire.h - the wire: what is on the other side of a queue.
 *
 * A NIC does not know what its cable leads to; vnet's simulated hardware
 * does not either. It reaches the other side only through the operations
 * of the queue's wire, one table per kind of wire, each in its own file:
 *
 *   sink  (vnet_wire.c)     a standalone device: what is sent is consumed
 *   peer  (vnet_wire_peer.c) a pair: the other end's RX ring
 *   port  (vnet_chardev.c)  a /dev/vnet file: its reader and its writer
 *
 * A queue's wire is set under RTNL when a pair is made or a file attached
 * (and back to the sink when they go), and read under RCU on the data
 * path. The pointer to the wire and the pointer to its far side (a pair's
 * peer, a queue's port) change apart, and a reader may see either change
 * first: a wire may find no far side (w->to NULL), while a pair or a port
 * is being set up or taken down. It then behaves as the sink: deliver
 * consumes the frame; ring offers no flow control; xmit_xdp takes
 * nothing.
 */
#ifndef _VNET_WIRE_H
#define _VNET_WIRE_H

#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <net/xdp.h>

struct vnet_queue;
struct vnet_ring;
struct vnet_wire_ops;

/**
 * struct vnet_wire - a queue's wire, as one batch of work sees it
 * @ops: the kind of wire
 * @q: the sending queue
 * @to: the far side found by @ops->open (the peer's RX queue, a port),
 *	or NULL if there is none now
 * @delivered: frames that reached a receiver (@ops->done is due)
 *
 * Lives on the stack of one batch, under rcu_read_lock().
 */
struct vnet_wire {
	const struct vnet_wire_ops *ops;
	struct vnet_queue *q;
	void *to;
	unsigned int delivered;
};

/**
 * struct vnet_wire_ops - what a kind of wire does
 * @open: find the far side, into @w->to. Required. It takes no lock and
 *	raises nothing. The TX engine opens its wire once per pass.
 * @ring: the ring on the far side whose free slots bound what the TX
 *	engine may complete (flow control), or NULL if the wire takes
 *	everything now. NULL: no flow control. Called by the engine under
 *	its tx_hw_lock: it takes no lock and raises nothing.
 * @deliver: the wire takes a frame the TX engine sends, and the
 *	ownership of it; @bad_fcs: the corruption fault hit it. Counts
 *	@w->delivered for a frame that reached a receiver. Return false if
 *	the receiver refused it (freed: a TX wire drop). Required.
 * @deliver_xdp: the wire takes a copy of an XDP frame the TX engine sends
 *	(XDP's transmit posted the frame itself in the TX ring); the frame
 *	stays the engine's, which gives it back. Counts @w->delivered as
 *	@deliver does. Return false if the receiver refused it (a TX wire
 *	drop). NULL: the engine copies the frame into an skb for @deliver.
 * @xmit_xdp: XDP frames that cross the wire as they are, without the TX
 *	ring; return how many went (a prefix). NULL: they are posted in the
 *	TX ring, for the engine to send.
 * @done: after a batch that delivered frames: the far side's interrupt
 *	or wakeup, once per batch. NULL: nothing to do.
 * @rx_room: the queue's RX ring has free descriptors again: restart what
 *	waits on the far side to fill it. NULL: nothing waits.
 * @changed: the queue's rings came or went (the device up or down, a
 *	reset): what waits on the far side looks again. Under RTNL, BHs
 *	off. NULL: nothing waits.
 * @release: the queue's device is going away (ndo_uninit): the far side
 *	lets go of the queue and the wire is the sink's again. Under RTNL.
 *	NULL: nothing to do (a pair's deletion unlinks both ends itself).
 *
 * Every operation on the data path runs with BHs off and IRQs on, under
 * RCU: in the TX engine (vnet_tx_hw.c), or in XDP's transmit (xmit_xdp).
 */
struct vnet_wire_ops {
	void (*open)(struct vnet_wire *w);
	struct vnet_ring *(*ring)(struct vnet_wire *w);
	bool (*deliver)(struct vnet_wire *w, struct sk_buff *skb, bool bad_fcs);
	bool (*deliver_xdp)(struct vnet_wire *w, const struct xdp_frame *frame);
	unsigned int (*xmit_xdp)(struct vnet_wire *w, struct xdp_frame **frames,
				 unsigned int n);
	void (*done)(struct vnet_wire *w);
	void (*rx_room)(struct vnet_queue *q);
	void (*changed)(struct vnet_queue *q);
	void (*release)(struct vnet_queue *q);
};

extern const struct vnet_wire_ops vnet_wire_sink;

/**
 * vnet_wire_open() - begin a batch of work on a queue's wire
 * @w: filled in
 * @ops: the queue's wire, read with rcu_dereference()
 * @q: the queue
 *
 * Context: RCU read side, held until vnet_wire_close().
 */
static inline void vnet_wire_open(struct vnet_wire *w,
				  const struct vnet_wire_ops *ops,
				  struct vnet_queue *q)
{
	w->ops = ops;
	w->q = q;
	w->to = NULL;
	w->delivered = 0;
	ops->open(w);
}

/**
 * vnet_wire_deliver() - put one completed frame on the wire
 * @w: the open wire
 * @skb: the frame; ownership passes to the wire
 * @bad_fcs: the corruption fault hit it
 *
 * Context: the TX engine (BH off), RCU read side.
 * Return: false if the receiver refused the frame (a TX wire drop).
 */
static inline bool vnet_wire_deliver(struct vnet_wire *w, struct sk_buff *skb,
				     bool bad_fcs)
{
	return w->ops->deliver(w, skb, bad_fcs);
}

/**
 * vnet_wire_close() - end a batch: the far side hears of what it got
 * @w: the open wire
 *
 * Context: as the batch's; RCU read side.
 */
static inline void vnet_wire_close(struct vnet_wire *w)
{
	if (w->delivered && w->ops->done)
		w->ops->done(w);
}

void vnet_wire_set(struct vnet_queue *q, const struct vnet_wire_ops *ops);
void vnet_wire_rx_room(struct vnet_queue *q);
void vnet_wire_changed(struct vnet_queue *q);
void vnet_wire_release(struct vnet_queue *q);

#endif /* _VNET_WIRE_H */
