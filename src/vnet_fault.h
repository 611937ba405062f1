/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_fault.h - faults on purpose (vnet_fault.c; set by vnet_fault_nl.c):
 * the settings NAPI reads, each queue's fault state, and the functions
 * the data path and the driver call. docs/FAULTS.md for users.
 */
#ifndef _VNET_FAULT_H
#define _VNET_FAULT_H

#include <linux/hrtimer.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "vnet_stats.h"

struct vnet_priv;
struct vnet_queue;
struct vnet_wire;

/*
 * Locking (the rest is in vnet.h):
 *
 * fault (RCU)       The wire faults (vnet_fault.c). Replaced under RTNL;
 *                   read by NAPI under rcu_read_lock(); the old settings
 *                   are freed with kfree_rcu(). Each queue's fault state
 *                   (random state, delay lines) is its NAPI's alone.
 */

/**
 * struct vnet_fault_dir - the wire faults of one direction
 * @drop: probability (parts per million) that a frame is lost
 * @corrupt: ... that one of its bits flips (a bad FCS)
 * @duplicate: ... that it arrives twice
 * @reorder: ... that it is held back VNET_FAULT_REORDER_US longer
 * @delay_us: latency added to every frame
 * @jitter_us: plus a uniformly random 0..@jitter_us
 */
struct vnet_fault_dir {
	u32 drop;
	u32 corrupt;
	u32 duplicate;
	u32 reorder;
	u32 delay_us;
	u32 jitter_us;
};

/**
 * struct vnet_fault_cfg - a device's wire fault settings
 * @rcu: frees a replaced copy after readers are done
 * @seed: seeds the random choices
 * @gen: counts changes: a queue re-seeds when it sees a new one
 * @dir: the faults of each direction (enum vnet_dir)
 * @active: some fault of that direction is set
 */
struct vnet_fault_cfg {
	struct rcu_head rcu;
	u64 seed;
	u32 gen;
	struct vnet_fault_dir dir[VNET_DIR_NUM];
	bool active[VNET_DIR_NUM];
};

/**
 * struct vnet_fault_queue - a queue's wire fault state, per direction
 * @gen: the settings generation @rnd was seeded for
 * @rnd: random state
 * @line: delay lines: frames sorted by due time
 * @timer: runs the direction's owner when the first delayed frame is due
 * @stats: what the faults did
 * @tx_held: frames in the TX delay line, as the TX engine last left it:
 *	a pass with nothing posted to send still runs for them
 *
 * Each direction's part belongs to its owner: the TX engine's passes
 * (which never overlap) for VNET_DIR_TX, the queue's NAPI for VNET_DIR_RX;
 * the RTNL holder's while both are stopped.
 */
struct vnet_fault_queue {
	u32 gen[VNET_DIR_NUM];
	struct rnd_state rnd[VNET_DIR_NUM];
	struct sk_buff_head line[VNET_DIR_NUM];
	struct hrtimer timer[VNET_DIR_NUM];
	struct vnet_fault_stats stats[VNET_DIR_NUM];
	u32 tx_held;
};

/**
 * struct vnet_fault_attrs - the fault attributes of a request, by meaning
 * @dir: each direction's nest of VNET_FAULT_* (enum vnet_dir)
 * @seed: u64, seeds every random choice
 * @rx_exhaust: u8
 * @tx_stall: u8
 * @flap_ms: u32
 *
 * The link kind (VNET_INFO_*, when a device is made) and the vnet family
 * (VNET_A_DEV_*) number them differently; each fills this. NULL: not in
 * the request.
 */
struct vnet_fault_attrs {
	const struct nlattr *dir[VNET_DIR_NUM];
	const struct nlattr *seed;
	const struct nlattr *rx_exhaust;
	const struct nlattr *tx_stall;
	const struct nlattr *flap_ms;
};

/* vnet_fault_nl.c: checking, setting and reporting them (RTNL) */
int vnet_fault_validate(const struct vnet_fault_attrs *a,
			struct netlink_ext_ack *extack);
bool vnet_fault_given(const struct vnet_fault_attrs *a);
int vnet_fault_set(struct net_device *dev, const struct vnet_fault_attrs *a,
		   struct netlink_ext_ack *extack);
int vnet_fault_fill(struct sk_buff *skb, const struct net_device *dev);

/* vnet_fault.c: the faults themselves (the TX engine, NAPI, timers) */
bool vnet_fault_tx(struct vnet_queue *q, const struct vnet_fault_cfg *cfg,
		   struct sk_buff *skb, struct vnet_wire *w);
void vnet_fault_tx_release(struct vnet_queue *q, struct vnet_wire *w);
struct sk_buff *vnet_fault_rx(struct vnet_queue *q, const struct vnet_fault_cfg *cfg,
			      struct sk_buff *skb);
struct sk_buff *vnet_fault_rx_due(struct vnet_queue *q);
void vnet_fault_queue_down(struct vnet_queue *q, unsigned int *tx,
			   unsigned int *rx);
void vnet_fault_open(struct vnet_priv *priv);
void vnet_fault_stop(struct vnet_priv *priv);
void vnet_fault_init(struct vnet_priv *priv);
void vnet_fault_uninit(struct vnet_priv *priv);

#endif /* _VNET_FAULT_H */
