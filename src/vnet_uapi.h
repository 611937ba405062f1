/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vnet_uapi.h - vnet's interface with userspace, shared by the module,
 * tools/ and lib/libvnet.
 *
 * 1. The rtnetlink attributes of the "vnet" link kind:
 *
 *   ip link add name A type vnet        a standalone device
 *   vnetctl add A peer B [queues N]     a pair: IFLA_INFO_DATA carries
 *                                       VNET_INFO_PEER, a struct ifinfomsg
 *                                       followed by the peer's IFLA_*
 *                                       attributes (IFLA_IFNAME,
 *                                       IFLA_NET_NS_FD, IFLA_NUM_*_QUEUES...)
 *   vnetctl add A ... fault ...         the fault attributes below may
 *                                       come with the request that makes
 *                                       the device (none is made if they
 *                                       cannot be set)
 *
 *   RTM_GETLINK answers carry no vnet-specific IFLA_INFO_DATA, as veth's:
 *   tools that decode link data by kind from the kernel's netlink specs
 *   (ynl) read vnet devices like any other.
 *
 * 2. The generic netlink family "vnet" (spec/vnet.yaml describes it in
 *    the kernel's Documentation/netlink/specs format): a device's settings
 *    and faults, read and changed while it exists (vnetctl set, vnetctl
 *    fault, vnetctl show):
 *
 *   VNET_CMD_DEV_GET   do: VNET_A_DEV_IFINDEX -> the device's attributes;
 *                      dump: every vnet device of the namespace
 *   VNET_CMD_DEV_SET   do: VNET_A_DEV_IFINDEX and what changes; attributes
 *                      left out keep their values (CAP_NET_ADMIN); a
 *                      VNET_A_DEV_QUEUE nest per queue to change
 *
 * 3. The userspace backend, /dev/vnet (docs/USERSPACE.md): an open file
 *    attaches to one queue of a standalone vnet device with
 *    VNET_IOC_ATTACH and becomes that queue's wire. read() returns one
 *    frame the device transmitted; write() puts one frame in the device's
 *    RX ring; VNET_IOC_SEND and VNET_IOC_RECV move several per call.
 */
#ifndef _UAPI_VNET_H
#define _UAPI_VNET_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VNET_LINK_KIND "vnet"

enum {
	VNET_INFO_UNSPEC,
	VNET_INFO_PEER,
	VNET_INFO_FAULT_TX,	/* nested VNET_FAULT_*: frames the device sends */
	VNET_INFO_FAULT_RX,	/* nested VNET_FAULT_*: frames it receives */
	VNET_INFO_FAULT_SEED,	/* u64: seeds every random choice */
	VNET_INFO_RX_EXHAUST,	/* u8: 1 = no free RX descriptor, ever */
	VNET_INFO_TX_STALL,	/* u8: 1 = TX completions stop until reset */
	VNET_INFO_FLAP_MS,	/* u32: carrier off/on every N ms; 0 = off */
	VNET_INFO_PAD,		/* alignment of the u64 */
	__VNET_INFO_MAX
};

#define VNET_INFO_MAX (__VNET_INFO_MAX - 1)

/*
 * The faults of one direction, inside VNET_INFO_FAULT_TX/RX. Each is a
 * u32; an attribute left out keeps its value. Probabilities are in parts
 * per million (VNET_FAULT_PPM_MAX is 100%).
 */
enum {
	VNET_FAULT_UNSPEC,
	VNET_FAULT_DROP,	/* lost on the wire */
	VNET_FAULT_CORRUPT,	/* one byte flipped: a bad FCS */
	VNET_FAULT_DUPLICATE,	/* delivered twice */
	VNET_FAULT_REORDER,	/* held back VNET_FAULT_REORDER_US longer */
	VNET_FAULT_DELAY_US,	/* added latency */
	VNET_FAULT_JITTER_US,	/* plus a uniform random 0..N us */
	__VNET_FAULT_MAX
};

#define VNET_FAULT_MAX		(__VNET_FAULT_MAX - 1)
#define VNET_FAULT_PPM_MAX	1000000U
#define VNET_FAULT_DELAY_MAX_US	10000000U	/* 10 s */
#define VNET_FAULT_REORDER_US	10000U	/* 10 ms */
#define VNET_FLAP_MIN_MS	10U
#define VNET_FLAP_MAX_MS	3600000U	/* an hour */
#define VNET_SETTING_MAX_US	1000000U	/* rx-poll-us, tx-delay-us: 1 s */

/* The generic netlink family "vnet" (spec/vnet.yaml). */
#define VNET_GENL_NAME		"vnet"
#define VNET_GENL_VERSION	1

enum {
	VNET_CMD_UNSPEC,
	VNET_CMD_DEV_GET,
	VNET_CMD_DEV_SET,
	__VNET_CMD_MAX
};

#define VNET_CMD_MAX (__VNET_CMD_MAX - 1)

/* The attributes of a device (attribute set "dev" of the spec). */
enum {
	VNET_A_DEV_UNSPEC,
	VNET_A_DEV_IFINDEX,	/* u32: which device */
	VNET_A_DEV_IRQ_SPREAD,	/* u8: 1 = a sender's interrupts to the next CPU */
	VNET_A_DEV_RX_POLL_US,	/* u32: busy polling after a poll that received */
	VNET_A_DEV_TX_DELAY_US,	/* u32: the TX engine's completion latency */
	VNET_A_DEV_FAULT_TX,	/* nested VNET_FAULT_*: frames it sends */
	VNET_A_DEV_FAULT_RX,	/* nested VNET_FAULT_*: frames it receives */
	VNET_A_DEV_FAULT_SEED,	/* u64: seeds every random choice */
	VNET_A_DEV_RX_EXHAUST,	/* u8: 1 = no free RX descriptor, ever */
	VNET_A_DEV_TX_STALL,	/* u8: 1 = TX completions stop until reset */
	VNET_A_DEV_FLAP_MS,	/* u32: carrier off/on every N ms; 0 = off */
	VNET_A_DEV_PAD,		/* alignment of the u64 */
	VNET_A_DEV_QUEUE,	/* nested VNET_A_QUEUE_*, one per queue */
	__VNET_A_DEV_MAX
};

#define VNET_A_DEV_MAX (__VNET_A_DEV_MAX - 1)

/* A queue's settings, in a VNET_A_DEV_QUEUE nest. */
enum {
	VNET_A_QUEUE_UNSPEC,
	VNET_A_QUEUE_INDEX,	/* u32: which queue (an RX and TX queue pair) */
	VNET_A_QUEUE_IRQ_CPU,	/* s32: the CPU its interrupts go to; -1: none set */
	__VNET_A_QUEUE_MAX
};

#define VNET_A_QUEUE_MAX (__VNET_A_QUEUE_MAX - 1)

/* The character device: /dev/vnet. */
#define VNET_CHARDEV_NAME	"vnet"
#define VNET_NAME_SIZE		16	/* IFNAMSIZ */

/* struct vnet_attach.queue: the first queue that has no file attached. */
#define VNET_QUEUE_ANY		0xffffffffU

/* struct vnet_attach.flags */
#define VNET_ATTACH_CREATE	0x1U	/* make NAME if it does not exist */
#define VNET_ATTACH_FLAGS	VNET_ATTACH_CREATE

/**
 * struct vnet_attach - argument of VNET_IOC_ATTACH
 * @name: the device, in the caller's network namespace; NUL-terminated
 * @queue: the queue to attach to, or VNET_QUEUE_ANY
 * @flags: VNET_ATTACH_*; with VNET_ATTACH_CREATE a missing device is made
 *	(one queue) and is removed again when this file is closed
 * @ifindex: set by the kernel: the device's ifindex
 * @queue_out: set by the kernel: the queue attached to
 */
struct vnet_attach {
	char name[VNET_NAME_SIZE];
	__u32 queue;
	__u32 flags;
	__u32 ifindex;
	__u32 queue_out;
};

/* struct vnet_frame.flags, set by VNET_IOC_RECV */
#define VNET_FRAME_TRUNC	0x1U	/* @len > @size: the tail was cut */

/**
 * struct vnet_frame - one frame of a batch
 * @data: user address of the frame's bytes (Ethernet header first)
 * @size: VNET_IOC_RECV: room at @data; VNET_IOC_SEND: ignored
 * @len: VNET_IOC_SEND: the frame's length; VNET_IOC_RECV: set to the
 *	frame's length (min(@len, @size) bytes were copied)
 * @flags: VNET_IOC_RECV: set to VNET_FRAME_* bits; VNET_IOC_SEND: 0
 * @reserved: must be 0
 */
struct vnet_frame {
	__aligned_u64 data;
	__u32 size;
	__u32 len;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct vnet_batch - argument of VNET_IOC_SEND and VNET_IOC_RECV
 * @frames: user address of an array of @count struct vnet_frame
 * @count: frames in the array, 1..VNET_BATCH_MAX
 * @flags: must be 0
 *
 * Both ioctls return how many frames they moved (at least one), or a
 * negative errno if the first one could not be moved. VNET_IOC_RECV
 * blocks (unless O_NONBLOCK) until one frame is there, then takes what
 * is ready up to @count.
 */
struct vnet_batch {
	__aligned_u64 frames;
	__u32 count;
	__u32 flags;
};

#define VNET_BATCH_MAX		1024

#define VNET_IOC_MAGIC		'V'
#define VNET_IOC_ATTACH		_IOWR(VNET_IOC_MAGIC, 1, struct vnet_attach)
#define VNET_IOC_DETACH		_IO(VNET_IOC_MAGIC, 2)
#define VNET_IOC_SEND		_IOW(VNET_IOC_MAGIC, 3, struct vnet_batch)
#define VNET_IOC_RECV		_IOW(VNET_IOC_MAGIC, 4, struct vnet_batch)

#endif /* _UAPI_VNET_H */
