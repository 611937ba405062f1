/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_stats.h - what vnet counts: the frame classes (protocol x
 * destination), the size buckets, and the counter blocks each writer
 * keeps (NAPI, xmit, the simulated hardware, interrupts, XDP, the
 * /dev/vnet port) with the totals ethtool -S reads (struct
 * vnet_counters). Depends on nothing else of vnet's.
 */
#ifndef _VNET_STATS_H
#define _VNET_STATS_H

#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>

/* What the per-protocol counters distinguish, by the frame's EtherType. */
enum vnet_proto {
	VNET_PROTO_ARP,
	VNET_PROTO_IPV4,
	VNET_PROTO_IPV6,
	VNET_PROTO_OTHER,
	VNET_PROTO_NUM,
};

/**
 * vnet_classify() - sort a frame by its EtherType field
 * @h_proto: the EtherType as it stands in the Ethernet header
 *
 * Return: the &enum vnet_proto the per-protocol counters use.
 */
static inline enum vnet_proto vnet_classify(__be16 h_proto)
{
	switch (h_proto) {
	case htons(ETH_P_ARP):
		return VNET_PROTO_ARP;
	case htons(ETH_P_IP):
		return VNET_PROTO_IPV4;
	case htons(ETH_P_IPV6):
		return VNET_PROTO_IPV6;
	default:
		return VNET_PROTO_OTHER;
	}
}

/* What the per-destination counters distinguish, by the frame's address. */
enum vnet_dest {
	VNET_DEST_UNICAST,
	VNET_DEST_MULTICAST,	/* a group address other than broadcast */
	VNET_DEST_BROADCAST,
	VNET_DEST_NUM,
};

/*
 * A frame's class: its &enum vnet_proto and its &enum vnet_dest in one
 * number, the index of the per-class counters that the data path keeps
 * (one increment a frame). Readers add them up both ways.
 */
#define VNET_CLASS_NUM		(VNET_PROTO_NUM * VNET_DEST_NUM)

static inline unsigned int vnet_class(enum vnet_proto proto, enum vnet_dest dest)
{
	return proto * VNET_DEST_NUM + dest;
}

static inline enum vnet_proto vnet_class_proto(unsigned int class)
{
	return class / VNET_DEST_NUM;
}

static inline enum vnet_dest vnet_class_dest(unsigned int class)
{
	return class % VNET_DEST_NUM;
}

/**
 * vnet_frame_class() - classify a frame by its EtherType and destination
 * @eth: the frame's Ethernet header
 *
 * Return: the frame's class, below %VNET_CLASS_NUM.
 */
static inline unsigned int vnet_frame_class(const struct ethhdr *eth)
{
	enum vnet_dest dest = VNET_DEST_UNICAST;

	if (unlikely(is_multicast_ether_addr(eth->h_dest)))
		dest = is_broadcast_ether_addr(eth->h_dest) ?
		       VNET_DEST_BROADCAST : VNET_DEST_MULTICAST;
	return vnet_class(vnet_classify(eth->h_proto), dest);
}

/**
 * vnet_skb_class() - classify a frame held in an skb
 * @skb: a frame whose data starts at its Ethernet header
 *
 * Return: the frame's class (vnet_frame_class()); a frame shorter than an
 * Ethernet header is a unicast frame of VNET_PROTO_OTHER.
 */
static inline unsigned int vnet_skb_class(const struct sk_buff *skb)
{
	const struct ethhdr *eth;
	struct ethhdr buf;

	eth = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (unlikely(!eth))
		return vnet_class(VNET_PROTO_OTHER, VNET_DEST_UNICAST);
	return vnet_frame_class(eth);
}

/*
 * RMON's frame-size histogram (RFC 2819; `ethtool -S DEV --groups rmon`):
 * frames by their size on the wire with the FCS, in octets: up to 64,
 * 65-127, 128-255, 256-511, 512-1023, 1024-1518, and longer (jumbo).
 */
#define VNET_SIZE_NUM		7

/**
 * vnet_size_bucket() - the histogram bucket of a frame
 * @len: the frame's length, Ethernet header included, FCS excluded
 *
 * Return: the bucket, below %VNET_SIZE_NUM.
 */
static inline unsigned int vnet_size_bucket(unsigned int len)
{
	unsigned int octets = len + ETH_FCS_LEN;

	if (octets <= 64)
		return 0;
	if (octets > 1518)
		return VNET_SIZE_NUM - 1;
	return fls(octets) - 6;		/* 65-127 -> 1, ..., 1024-1518 -> 5 */
}

/**
 * vnet_stats_add_counts() - add a poll's per-class or per-size counts
 * @ctr: the counters, in a u64_stats writer section
 * @n: what the poll counted, @num entries, most of them 0
 * @num: how many
 */
static inline void vnet_stats_add_counts(u64_stats_t *ctr, const u32 *n,
					 unsigned int num)
{
	unsigned int i;

	for (i = 0; i < num; i++)
		if (n[i])
			u64_stats_add(&ctr[i], n[i]);
}

/* The two directions of the wire faults (vnet_fault.c). */
enum vnet_dir {
	VNET_DIR_TX,	/* frames the device sends */
	VNET_DIR_RX,	/* frames it receives */
	VNET_DIR_NUM,
};

/* Counters written by NAPI (the RX ring's consumer). */
struct vnet_napi_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_flushed;		/* posted, then discarded by ndo_stop */
	u64_stats_t rx_packets;		/* handed to the stack */
	u64_stats_t rx_bytes;
	u64_stats_t rx_class[VNET_CLASS_NUM];	/* rx_packets by class */
	u64_stats_t rx_size[VNET_SIZE_NUM];	/* ... by size bucket */
	u64_stats_t rx_flushed;		/* received, then discarded by ndo_stop */
	u64_stats_t rx_nomem;		/* no memory for an skb or RX buffer */
	u64_stats_t napi_polls;
	/* XDP verdicts of the program in the receive path */
	u64_stats_t xdp_packets;	/* frames the program ran on */
	u64_stats_t xdp_bytes;
	u64_stats_t xdp_pass;
	u64_stats_t xdp_drop;
	u64_stats_t xdp_tx;		/* XDP_TX frames sent */
	u64_stats_t xdp_tx_errors;	/* XDP_TX frames that could not be */
	u64_stats_t xdp_redirect;
	u64_stats_t xdp_redirect_errors;
	u64_stats_t xdp_aborted;	/* XDP_ABORTED and invalid verdicts */
	u64_stats_t xdp_in_place;	/* ran in a buffer the wire filled */
	u64_stats_t rx_crc_errors;	/* bad FCS: RX corruption fault */
};

/* Which fault hit a frame: its counter, and the vnet:vnet_fault event's kind. */
enum vnet_fault_kind {
	VNET_FAULT_KIND_DROP,
	VNET_FAULT_KIND_CORRUPT,
	VNET_FAULT_KIND_DUPLICATE,
	VNET_FAULT_KIND_REORDER,
	VNET_FAULT_KIND_DELAY,
	VNET_FAULT_KIND_NUM
};

/*
 * Counters of one direction's wire faults (vnet_fault.c), written by that
 * direction's owner: the TX engine for TX, NAPI for RX.
 */
struct vnet_fault_stats {
	struct u64_stats_sync syncp;
	u64_stats_t hits[VNET_FAULT_KIND_NUM];	/* frames each fault hit */
	u64_stats_t refused;	/* TX: delayed, then refused by the wire when due */
};

/*
 * Counters written under the txq lock: by ndo_start_xmit, and by the TX
 * clean (the TX ring's consumer: xmit after its doorbell, or NAPI).
 */
struct vnet_xmit_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_dropped;		/* refused at xmit: runt frames */
	u64_stats_t tx_queue_stops;	/* the ring filled up */
	u64_stats_t tx_busy;		/* NETDEV_TX_BUSY returned (a bug) */
	u64_stats_t tx_packets;		/* completed by the hardware, cleaned */
	u64_stats_t tx_bytes;
	u64_stats_t tx_class[VNET_CLASS_NUM];	/* tx_packets by class */
	u64_stats_t tx_size[VNET_SIZE_NUM];	/* ... by size bucket */
	u64_stats_t tx_wire_dropped;	/* put on the wire, and the peer refused it */
	u64_stats_t tx_queue_wakes;
	u64_stats_t tx_xmit_cleaned;	/* descriptors reclaimed by xmit itself */
};

/* Counters written by the RX producers (under rx_lock). */
struct vnet_rxhw_stats {
	struct u64_stats_sync syncp;
	u64_stats_t rx_missed;		/* ring full: the frame was lost */
	u64_stats_t rx_length_errors;	/* longer than MTU + headers */
	u64_stats_t rx_crc_errors;	/* bad FCS: the peer's TX corruption */
};

/* Interrupt counters: raised from any context, so atomics. */
struct vnet_irq_stats {
	atomic64_t rx_irqs;		/* RX interrupts raised */
	atomic64_t tx_irqs;		/* TX-done interrupts raised */
	atomic64_t irq_ipis;		/* interrupts carried to another CPU */
	atomic64_t rx_adapt_bulk;	/* adaptive-rx turned moderation on */
	atomic64_t rx_adapt_lowlat;	/* ... and off again */
};

/*
 * Frames sent by XDP (XDP_TX, ndo_xdp_xmit): written from any CPU, so
 * atomics. A pair end puts them on the wire directly, not through its TX
 * ring: @wire_* count those for the device's TX totals.
 */
struct vnet_xdp_xmit_stats {
	atomic64_t xmit;		/* ndo_xdp_xmit frames sent */
	atomic64_t xmit_errors;		/* ndo_xdp_xmit frames refused */
	atomic64_t wire_packets;	/* XDP frames put in the peer's ring */
	atomic64_t wire_bytes;
	atomic64_t wire_class[VNET_CLASS_NUM];
	atomic64_t wire_size[VNET_SIZE_NUM];
};

/* Counters of the /dev/vnet backend, written by any process (atomics). */
struct vnet_port_stats {
	atomic64_t write_faults;	/* write(): the user buffer faulted */
	atomic64_t read_truncated;	/* read(): the frame did not fit */
};

/**
 * struct vnet_counters - a consistent snapshot of one queue's counters
 *
 * @tx_packets: frames the hardware completed (put on the wire), frames
 *	XDP sent included
 * @tx_bytes: their bytes, Ethernet header included, FCS excluded
 * @tx_dropped: frames refused at xmit (runts) or by ndo_xdp_xmit
 *	(@xdp_xmit_errors), flushed from the ring by
 *	ndo_stop or a ring resize before completion, or refused by the peer
 *	(its ring full or down, or the frame too long for it)
 * @tx_proto: @tx_packets by EtherType (&enum vnet_proto; ethtool's tx_arp,
 *	tx_ipv4, tx_ipv6, tx_other - VLAN-tagged frames are "other")
 * @tx_dest: @tx_packets by destination address (&enum vnet_dest; ethtool's
 *	tx_unicast, tx_multicast - broadcast excluded - and tx_broadcast)
 * @tx_size: @tx_packets by size (vnet_size_bucket(); not in ethtool's
 *	table: the device totals are RMON's TX histogram)
 * @tx_queue_stops: times the TX ring filled and the queue was stopped
 * @tx_queue_wakes: times TX completion woke a stopped queue
 * @tx_busy: NETDEV_TX_BUSY returns; always 0 unless the stop logic is broken
 * @tx_xmit_cleaned: completed TX descriptors that ndo_start_xmit reclaimed
 *	itself, right after its polled doorbell, whose pass raises no TX-done
 *	interrupt (see vnet_tx_doorbell_reap())
 * @tx_irqs: TX-done interrupts raised by the simulated hardware
 * @rx_packets: frames received (taken from the RX ring by NAPI): handed to
 *	the stack, or to the XDP program, whatever its verdict
 * @rx_bytes: their bytes, Ethernet header included
 * @rx_dropped: received frames flushed from the ring by ndo_stop or a
 *	resize, or lost for want of memory (an skb, an RX buffer)
 * @rx_missed: frames lost because the RX ring was full
 * @rx_length_errors: frames from the peer longer than MTU + Ethernet + VLAN
 * @rx_proto: @rx_packets by EtherType, as @tx_proto
 * @rx_dest: @rx_packets by destination address, as @tx_dest
 * @rx_size: @rx_packets by size, RMON's RX histogram
 * @rx_irqs: RX interrupts raised by the simulated hardware
 * @irq_ipis: RX and TX-done interrupts carried to another CPU by an IPI,
 *	see vnet_rx_irq()
 * @rx_adapt_bulk: times adaptive-rx found a flood and moderated the queue
 * @rx_adapt_lowlat: times it found the flood over: an interrupt per batch
 * @napi_polls: NAPI poll calls
 * @port_write_faults: /dev/vnet writes refused because the buffer faulted
 * @port_read_truncated: /dev/vnet reads that cut a frame to the buffer
 * @xdp_packets: frames the XDP program ran on
 * @xdp_bytes: their bytes, as received
 * @xdp_pass: XDP_PASS verdicts: frames handed to the stack
 * @xdp_drop: XDP_DROP verdicts
 * @xdp_tx: XDP_TX frames sent back out of the device (to the peer, or on
 *	a standalone device's wire)
 * @xdp_tx_errors: XDP_TX frames that could not be sent (dropped)
 * @xdp_redirect: XDP_REDIRECT verdicts that xdp_do_redirect() took
 * @xdp_redirect_errors: XDP_REDIRECT verdicts it refused (dropped)
 * @xdp_aborted: XDP_ABORTED and invalid verdicts (dropped, traced)
 * @xdp_in_place: frames (of @xdp_packets) the program ran on in the RX
 *	buffer the peer's wire filled, without a copy at receive (see
 *	vnet_xdp_wire_fill())
 * @xdp_xmit: frames other devices redirected to this one (ndo_xdp_xmit)
 *	that it sent
 * @xdp_xmit_errors: ... that it refused: device down, too long for the
 *	MTU, no room on the wire
 * @rx_crc_errors: frames received with a bad FCS (the corruption fault, of
 *	this device's RX or the peer's TX): dropped unless rx-all is on
 * @tx_timeouts: times the watchdog found the queue stuck (ndo_tx_timeout)
 *	and the driver reset the device
 * @fault_tx: TX frames each fault hit (enum vnet_fault_kind): lost on the
 *	wire (in @tx_packets: the NIC sent them), corrupted (a bit flipped, a
 *	bad FCS), delivered twice, held back to arrive after later ones,
 *	delayed (latency, jitter or reordering)
 * @fault_rx: RX frames each fault hit: lost before the NIC saw them (in
 *	@rx_packets: taken from the ring), corrupted (also in
 *	@rx_crc_errors), received twice, held back, delayed
 *
 * Read from the writer groups above; the ethtool table and
 * ndo_get_stats64() are built on it, so `ip -s link` and `ethtool -S`
 * can never disagree. Every field is a u64 for the offsetof() table.
 */
struct vnet_counters {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
	u64 tx_proto[VNET_PROTO_NUM];
	u64 tx_dest[VNET_DEST_NUM];
	u64 tx_size[VNET_SIZE_NUM];
	u64 tx_queue_stops;
	u64 tx_queue_wakes;
	u64 tx_busy;
	u64 tx_xmit_cleaned;
	u64 tx_irqs;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_dropped;
	u64 rx_missed;
	u64 rx_length_errors;
	u64 rx_proto[VNET_PROTO_NUM];
	u64 rx_dest[VNET_DEST_NUM];
	u64 rx_size[VNET_SIZE_NUM];
	u64 rx_irqs;
	u64 irq_ipis;
	u64 rx_adapt_bulk;
	u64 rx_adapt_lowlat;
	u64 napi_polls;
	u64 port_write_faults;
	u64 port_read_truncated;
	u64 xdp_packets;
	u64 xdp_bytes;
	u64 xdp_pass;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_tx_errors;
	u64 xdp_redirect;
	u64 xdp_redirect_errors;
	u64 xdp_aborted;
	u64 xdp_in_place;
	u64 xdp_xmit;
	u64 xdp_xmit_errors;
	u64 rx_crc_errors;
	u64 tx_timeouts;
	u64 fault_tx[VNET_FAULT_KIND_NUM];
	u64 fault_rx[VNET_FAULT_KIND_NUM];
};

#endif /* _VNET_STATS_H */
