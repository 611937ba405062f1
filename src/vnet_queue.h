/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_queue.h - one queue pair: its rings, the TX engine's and the
 * interrupt's state, its NAPI, its wire, its counters. The locks named
 * here are described in vnet.h ("Locking").
 */
#ifndef _VNET_QUEUE_H
#define _VNET_QUEUE_H

#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <net/xdp.h>

#include "vnet_ring.h"
#include "vnet_stats.h"
#include "vnet_fault.h"

struct vnet_priv;
struct vnet_port;
struct vnet_wire_ops;

/**
 * struct vnet_queue - one TX/RX queue pair and the NAPI context serving it
 * @priv: the device this queue belongs to
 * @index: queue number (the skb's queue_mapping)
 * @napi: cleans @tx_ring and drains @rx_ring; on the device's NAPI list
 *	(netif_napi_add()) only while @napi_listed
 * @napi_listed: @napi is added: the queue is in use and the device up
 *	(under RTNL; a producer that finds the queue's rings finds it set)
 * @tx_ring: skbs posted by ndo_start_xmit, and xdp_frames posted by XDP's
 *	transmit, for the hardware to send; behind
 *	@tx_hw_done, the records it wrote back over them (struct vnet_tx_wb)
 * @tx_hw_done: the hardware has sent the frames of the descriptors up to
 *	this counter, and written them back
 * @tx_hw_armed: the engine's hrtimer is pending
 * @tx_hw_blocked: the wire's ring (a peer's RX ring, a reader's) had no
 *	room: the engine waits for its consumer to call vnet_tx_kick()
 * @tx_hw_stopped: the engine is stopped (queue down): doorbells and kicks
 *	are ignored until vnet_tx_hw_start()
 * @tx_hw_busy: a pass of the engine is running (vnet_tx_hw_pass()); it
 *	alone feeds the wire, from tx_hw_done on and from the TX delay line
 * @tx_hw_again: a doorbell, kick or timer came during that pass: it looks
 *	again before it ends
 * @tx_hw_lock: the simulated TX engine's state (see "Locking")
 * @tx_hw_timer: runs the engine after the hardware's TX latency, when the
 *	line rate lets the next frame go, or after VNET_TX_HW_PASSES passes
 * @tx_netpoll_timer: rings the doorbell again, from softirq, for netpoll,
 *	which rings it with IRQs off (vnet_tx_doorbell())
 * @rx_ring: received skbs awaiting NAPI
 * @rx_lock: serialises RX producers (see "Locking")
 * @napi_stats: counters written by NAPI
 * @xmit_stats: counters written under the txq lock (xmit, TX clean)
 * @rxhw_stats: counters written by RX producers
 * @irq_stats: interrupt counters
 * @rx_irq_csd: carries an interrupt to the queue's interrupt CPU
 * @irq_cpu: the CPU the queue's interrupts go to, as an administrator sets
 *	a NIC vector's affinity (vnet family: a dev's queue irq-cpu); -1: none
 *	set, routed by the device's irq-spread. Written under RTNL, read
 *	where the interrupt is raised; kept across down/up and channel changes
 * @irq_deferred: the queue's interrupt is masked while the core's timer
 *	polls (napi_defer_hard_irqs) or NAPI busy polls (rx_poll_us); written
 *	by NAPI, or RTNL while it is disabled
 * @busy_until: busy polling goes on until this local_clock() time (NAPI)
 * @wire: the queue's wire (vnet_wire.h; see "Locking")
 * @port: the /dev/vnet file that is this queue's wire, or NULL; written
 *	under RTNL, read under RCU
 * @port_stats: counters of the /dev/vnet backend
 * @xdp_rxq: the RX queue as XDP knows it, registered while the device is up
 * @xdp_page: the RX buffer XDP programs run in (owned by NAPI; NULL after
 *	XDP_TX or a redirect gave it away, until the next frame)
 * @xdp_pool: the pages of RX buffers for XDP (@xdp_page, and those the wire
 *	fills), while the device is up; NULL while it is down
 * @xdp_pool_lock: serialises the users of @xdp_pool's allocation side
 * @xdp_xmit_stats: counters of frames sent by XDP
 * @fault: the wire fault state (vnet_fault.c)
 * @tx_timeouts: ndo_tx_timeout calls for this queue (the watchdog's timer)
 * @rx_coal_timer: raises a moderated RX interrupt (ethtool -C rx-usecs)
 * @rx_coal_armed: bit 0: @rx_coal_timer is pending
 * @rx_coal_mark: the RX ring's producer counter at the last RX interrupt:
 *	frames since then count towards rx-frames
 * @rx_adapt_usecs: adaptive-rx's moderation time: 0 (an interrupt per
 *	batch) or VNET_ADAPT_USECS (a flood)
 * @rx_adapt_streak: RX interrupts in a row less than VNET_ADAPT_GAP_NS apart
 * @rx_adapt_last: local_clock() at the last RX interrupt, in ns
 *	(the @rx_adapt_* fields are written by whoever raises the interrupt,
 *	without a lock: a heuristic's state, a lost update only delays a
 *	switch)
 * @tx_coal_timer: raises a moderated TX-done interrupt (tx-usecs)
 * @tx_coal_armed: @tx_coal_timer is pending (under tx_hw_lock)
 * @pace_end: with a line rate, when the frame at @tx_hw_done has been
 *	sent (ktime, ns); 0: no frame of this queue is on the wire (under
 *	tx_hw_lock)
 */
struct vnet_queue {
	struct vnet_priv *priv;
	u16 index;
	struct napi_struct napi;
	bool napi_listed;

	struct vnet_ring tx_ring ____cacheline_aligned_in_smp;
	struct vnet_xmit_stats xmit_stats;

	u32 tx_hw_done ____cacheline_aligned_in_smp;
	bool tx_hw_armed;
	bool tx_hw_blocked;
	bool tx_hw_stopped;
	bool tx_hw_busy;
	bool tx_hw_again;
	spinlock_t tx_hw_lock;		/* tx_hw_*, tx_coal_armed, pace_end */
	struct hrtimer tx_hw_timer;
	struct hrtimer tx_netpoll_timer;

	struct vnet_ring rx_ring ____cacheline_aligned_in_smp;
	spinlock_t rx_lock;		/* rx_ring's prod, slots; rxhw_stats */
	struct vnet_rxhw_stats rxhw_stats;
	struct vnet_irq_stats irq_stats;
	call_single_data_t rx_irq_csd;	/* the interrupt, sent to another CPU */
	int irq_cpu;
	bool irq_deferred;
	u64 busy_until;

	struct vnet_napi_stats napi_stats ____cacheline_aligned_in_smp;

	const struct vnet_wire_ops __rcu *wire;
	struct vnet_port __rcu *port;
	struct vnet_port_stats port_stats;

	struct xdp_rxq_info xdp_rxq;
	struct page *xdp_page;
	struct page_pool *xdp_pool;
	spinlock_t xdp_pool_lock;	/* @xdp_pool, and taking pages from it */
	struct vnet_xdp_xmit_stats xdp_xmit_stats;

	struct vnet_fault_queue fault;
	atomic64_t tx_timeouts;

	struct hrtimer rx_coal_timer;
	unsigned long rx_coal_armed;
	u32 rx_coal_mark;
	u32 rx_adapt_usecs;
	u32 rx_adapt_streak;
	u64 rx_adapt_last;
	struct hrtimer tx_coal_timer;
	bool tx_coal_armed;
	u64 pace_end;
};

#endif /* _VNET_QUEUE_H */
