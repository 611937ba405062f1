/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_trace.h - the vnet trace system: one event per step of a frame's
 * life in the driver (docs/TRACING.md walks a packet with them).
 *
 *   vnet:vnet_xmit         ndo_start_xmit took a frame
 *   vnet:vnet_tx_complete  TX clean: descriptors the hardware wrote back
 *   vnet:vnet_rx_enqueue   the hardware put a frame in an RX ring
 *   vnet:vnet_napi_poll    a NAPI poll: work done of the budget
 *   vnet:vnet_drop         the driver dropped frames, and why
 *   vnet:vnet_fault        a fault hit a frame (vnet_fault.c)
 *
 * The events are defined (CREATE_TRACE_POINTS) in vnet_trace.c.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vnet

#if !defined(_VNET_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VNET_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "vnet_compat.h"
#include "vnet_stats.h"	/* enum vnet_fault_kind */

#ifndef _VNET_TRACE_ENUMS
#define _VNET_TRACE_ENUMS
/* Why the driver dropped frames (vnet:vnet_drop). */
enum vnet_drop_reason {
	VNET_DROP_RUNT,		/* xmit of a frame shorter than its header */
	VNET_DROP_RX_MISSED,	/* RX ring full or exhausted */
	VNET_DROP_RX_LENGTH,	/* longer than the receiver's MTU */
	VNET_DROP_RX_CRC,	/* a bad FCS, rx-all off */
	VNET_DROP_WIRE,		/* the peer or reader refused a completed frame */
	VNET_DROP_FLUSH,	/* in a ring or delay line at down or reset */
	VNET_DROP_FAULT,	/* the drop fault */
};
#endif

/* Export the enum values, so that perf and trace-cmd print their names. */
TRACE_DEFINE_ENUM(VNET_DROP_RUNT);
TRACE_DEFINE_ENUM(VNET_DROP_RX_MISSED);
TRACE_DEFINE_ENUM(VNET_DROP_RX_LENGTH);
TRACE_DEFINE_ENUM(VNET_DROP_RX_CRC);
TRACE_DEFINE_ENUM(VNET_DROP_WIRE);
TRACE_DEFINE_ENUM(VNET_DROP_FLUSH);
TRACE_DEFINE_ENUM(VNET_DROP_FAULT);
TRACE_DEFINE_ENUM(VNET_FAULT_KIND_DROP);
TRACE_DEFINE_ENUM(VNET_FAULT_KIND_CORRUPT);
TRACE_DEFINE_ENUM(VNET_FAULT_KIND_DUPLICATE);
TRACE_DEFINE_ENUM(VNET_FAULT_KIND_REORDER);
TRACE_DEFINE_ENUM(VNET_FAULT_KIND_DELAY);

#define vnet_show_drop_reason(r)					\
	__print_symbolic(r, { VNET_DROP_RUNT, "runt" },			\
			 { VNET_DROP_RX_MISSED, "rx_missed" },		\
			 { VNET_DROP_RX_LENGTH, "rx_length" },		\
			 { VNET_DROP_RX_CRC, "rx_crc" },		\
			 { VNET_DROP_WIRE, "wire" },			\
			 { VNET_DROP_FLUSH, "flush" },			\
			 { VNET_DROP_FAULT, "fault" })

#define vnet_show_fault_kind(k)						\
	__print_symbolic(k, { VNET_FAULT_KIND_DROP, "drop" },		\
			 { VNET_FAULT_KIND_CORRUPT, "corrupt" },	\
			 { VNET_FAULT_KIND_DUPLICATE, "duplicate" },	\
			 { VNET_FAULT_KIND_REORDER, "reorder" },	\
			 { VNET_FAULT_KIND_DELAY, "delay" })

TRACE_EVENT(vnet_xmit,
	    TP_PROTO(const struct net_device *dev, u16 queue,
		     const struct sk_buff *skb),
	    TP_ARGS(dev, queue, skb),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(const void *, skbaddr)
			     __field(unsigned int, len)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->skbaddr = skb;
			   __entry->len = skb->len;),
	    TP_printk("dev=%s queue=%u skbaddr=%p len=%u", __get_str(name),
		      __entry->queue, __entry->skbaddr, __entry->len)
);

TRACE_EVENT(vnet_tx_complete,
	    TP_PROTO(const struct net_device *dev, u16 queue,
		     unsigned int frames, unsigned int bytes),
	    TP_ARGS(dev, queue, frames, bytes),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(unsigned int, frames)
			     __field(unsigned int, bytes)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->frames = frames;
			   __entry->bytes = bytes;),
	    TP_printk("dev=%s queue=%u frames=%u bytes=%u", __get_str(name),
		      __entry->queue, __entry->frames, __entry->bytes)
);

TRACE_EVENT(vnet_rx_enqueue,
	    TP_PROTO(const struct net_device *dev, u16 queue,
		     unsigned int len),
	    TP_ARGS(dev, queue, len),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(unsigned int, len)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->len = len;),
	    TP_printk("dev=%s queue=%u len=%u", __get_str(name), __entry->queue,
		      __entry->len)
);

TRACE_EVENT(vnet_napi_poll,
	    TP_PROTO(const struct net_device *dev, u16 queue,
		     int work, int budget),
	    TP_ARGS(dev, queue, work, budget),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(int, work)
			     __field(int, budget)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->work = work;
			   __entry->budget = budget;),
	    TP_printk("dev=%s queue=%u work=%d budget=%d", __get_str(name),
		      __entry->queue, __entry->work, __entry->budget)
);

TRACE_EVENT(vnet_drop,
	    TP_PROTO(const struct net_device *dev, u16 queue,
		     enum vnet_drop_reason reason, unsigned int frames),
	    TP_ARGS(dev, queue, reason, frames),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(unsigned int, reason)
			     __field(unsigned int, frames)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->reason = reason;
			   __entry->frames = frames;),
	    TP_printk("dev=%s queue=%u reason=%s frames=%u", __get_str(name),
		      __entry->queue, vnet_show_drop_reason(__entry->reason),
		      __entry->frames)
);

TRACE_EVENT(vnet_fault,
	    TP_PROTO(const struct net_device *dev, u16 queue, bool rx,
		     enum vnet_fault_kind kind, unsigned int len),
	    TP_ARGS(dev, queue, rx, kind, len),
	    TP_STRUCT__entry(__string(name, dev->name)
			     __field(u16, queue)
			     __field(bool, rx)
			     __field(unsigned int, kind)
			     __field(unsigned int, len)),
	    TP_fast_assign(vnet_assign_str(name, dev->name);
			   __entry->queue = queue;
			   __entry->rx = rx;
			   __entry->kind = kind;
			   __entry->len = len;),
	    TP_printk("dev=%s queue=%u dir=%s fault=%s len=%u", __get_str(name),
		      __entry->queue, __entry->rx ? "rx" : "tx",
		      vnet_show_fault_kind(__entry->kind), __entry->len)
);
#endif /* _VNET_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vnet_trace
#include <trace/define_trace.h>
