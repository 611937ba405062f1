// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_fault.c - a NIC that misbehaves on purpose.
 *
 * Faults are set per device over rtnetlink (tools/vnetctl `fault`, the
 * VNET_INFO_* attributes of vnet_uapi.h) and described for users in
 * docs/FAULTS.md; vnet_fault_nl.c sets them. Two kinds:
 *
 * Wire faults, per direction: drop, corrupt, duplicate, reorder, delay and
 * jitter. The TX direction acts where the simulated TX engine puts a
 * frame on the wire (vnet_tx_hw.c), the RX direction where NAPI takes a
 * received frame from the RX ring (vnet_rx_receive()). Each direction has
 * one owner - the queue's TX engine, whose passes never overlap, and its
 * NAPI poll - which alone uses that direction's random state, delay line,
 * timer and counters, so the fault path takes no lock. A delayed frame
 * waits in a delay line (an skb list sorted by due time) until the
 * direction's hrtimer runs its owner again. With no wire fault set the
 * data path tests one RCU pointer (priv->fault) and nothing else.
 *
 * Device faults: RX ring exhaustion (every frame that arrives is missed),
 * a TX stall (completions stop until the watchdog's ndo_tx_timeout resets
 * the queues: vnet_netdev.c) and link flaps (a timer toggles the carrier).
 *
 * Every random choice comes from prandom state seeded from the device's
 * seed, the queue and the direction; setting any fault re-seeds it, so the
 * same settings and the same traffic give the same faults.
 */
#include <linux/prandom.h>
#include <linux/slab.h>
#include <net/rtnetlink.h>

#include "vnet.h"
#include "vnet_trace.h"

/* Frames a delay line holds at most: past that, they are dropped. */
#define VNET_FAULT_LINE_MAX	4096
/* A corrupted byte lies in the first bytes after the Ethernet header. */
#define VNET_FAULT_CORRUPT_SPAN	64

/* What a delayed frame carries while it waits in a delay line. */
struct vnet_fault_cb {
	u64 due;	/* ktime, ns: when it leaves the line */
	bool bad_fcs;	/* corrupted on the way (TX direction) */
};

static struct vnet_fault_cb *vnet_fault_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct vnet_fault_cb) > sizeof(skb->cb));
	return (struct vnet_fault_cb *)skb->cb;
}

/* ------------------------------------------------------------------ */
/* The data path: wire faults, in the TX engine and in NAPI            */
/* ------------------------------------------------------------------ */

/* A choice with probability @ppm parts per million. */
static bool vnet_fault_chance(struct rnd_state *rnd, u32 ppm)
{
	return ppm && ((u64)prandom_u32_state(rnd) * VNET_FAULT_PPM_MAX >> 32) < ppm;
}

/*
 * Re-seed direction @d's random state if the settings changed since. Each
 * direction keeps its own generation: its owner alone writes it.
 */
static void vnet_fault_sync(struct vnet_queue *q, const struct vnet_fault_cfg *cfg,
			    int d)
{
	struct vnet_fault_queue *fq = &q->fault;

	if (likely(fq->gen[d] == cfg->gen))
		return;
	fq->gen[d] = cfg->gen;
	prandom_seed_state(&fq->rnd[d], cfg->seed ^
			   ((u64)(q->index * VNET_DIR_NUM + d + 1) << 40));
}

/* Count in direction @d's block: its owner is the writer. */
static void vnet_fault_count(struct vnet_queue *q, int d, enum vnet_fault_kind kind)
{
	struct vnet_fault_stats *s = &q->fault.stats[d];

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->hits[kind]);
	u64_stats_update_end(&s->syncp);
}

/* Count in napi_stats: for the RX direction only, whose owner is NAPI. */
static void vnet_fault_count_napi(struct vnet_queue *q, u64_stats_t *counter)
{
	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&q->napi_stats.syncp);
}

/* A fault hit a frame: counted, traced. */
static void vnet_fault_hit(struct vnet_queue *q, int d, enum vnet_fault_kind kind,
			   const struct sk_buff *skb)
{
	vnet_fault_count(q, d, kind);
	trace_vnet_fault(q->priv->dev, q->index, d == VNET_DIR_RX, kind, skb->len);
	if (kind == VNET_FAULT_KIND_DROP)
		trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_FAULT, 1);
}

/*
 * Flip one bit near the start of the frame's payload. A checksum left to
 * the hardware is computed first, and the receiver is told to trust none:
 * as on a real wire, the stack's own checks see the damage.
 */
static void vnet_fault_corrupt(struct sk_buff *skb, struct rnd_state *rnd)
{
	unsigned int off = 0, span = skb->len;
	u32 r = prandom_u32_state(rnd);

	if (!skb_is_gso(skb)) {
		if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
			return;
		skb->ip_summed = CHECKSUM_NONE;
	}

	if (skb->len > ETH_HLEN) {
		off = ETH_HLEN;
		span = min_t(unsigned int, skb->len - ETH_HLEN, VNET_FAULT_CORRUPT_SPAN);
	}
	off += (r >> 3) % span;
	if (!skb_ensure_writable(skb, off + 1))
		skb->data[off] ^= 1 << (r & 7);
}

/* Arm direction @d's timer for the first frame due in its delay line. */
static void vnet_fault_arm(struct vnet_queue *q, int d)
{
	struct vnet_fault_queue *fq = &q->fault;
	struct sk_buff *head = skb_peek(&fq->line[d]);

	if (head)
		hrtimer_start(&fq->timer[d], ns_to_ktime(vnet_fault_cb(head)->due),
			      HRTIMER_MODE_ABS_SOFT);
}

/* Put @skb in a delay line, sorted by due time, FIFO among equals. */
static bool vnet_fault_line_add(struct sk_buff_head *line, struct sk_buff *skb,
				u64 due, bool bad_fcs)
{
	struct sk_buff *pos;

	if (skb_queue_len(line) >= VNET_FAULT_LINE_MAX)
		return false;
	vnet_fault_cb(skb)->due = due;
	vnet_fault_cb(skb)->bad_fcs = bad_fcs;
	skb_queue_reverse_walk(line, pos) {
		if (vnet_fault_cb(pos)->due <= due) {
			__skb_queue_after(line, pos, skb);
			return true;
		}
	}
	__skb_queue_head(line, skb);
	return true;
}

/* The next frame of a delay line that is due, or NULL. */
static struct sk_buff *vnet_fault_line_due(struct sk_buff_head *line, u64 now)
{
	struct sk_buff *head = skb_peek(line);

	if (!head || vnet_fault_cb(head)->due > now)
		return NULL;
	return __skb_dequeue(line);
}

/*
 * The faults one frame meets in direction @d. Return: the frame's fate.
 * VNET_FAULT_PASS: go on now with *@pskb (perhaps another skb than the one
 * given, see below; *@bad_fcs says if corrupted); anything else: the frame
 * was taken (dropped, or put in the delay line). A duplicate, if any, is
 * put in the delay line either way.
 */
enum vnet_fault_fate { VNET_FAULT_PASS, VNET_FAULT_TAKEN };

static enum vnet_fault_fate vnet_fault_frame(struct vnet_queue *q,
					     const struct vnet_fault_cfg *cfg,
					     int d, struct sk_buff **pskb,
					     bool *bad_fcs)
{
	const struct vnet_fault_dir *f = &cfg->dir[d];
	struct vnet_fault_queue *fq = &q->fault;
	struct rnd_state *rnd = &fq->rnd[d];
	struct sk_buff *skb, *copy = NULL;
	u64 now, due;

	vnet_fault_sync(q, cfg, d);
	*bad_fcs = false;
	/*
	 * A fault writes the skb: its cb and list pointers in a delay line,
	 * its bytes when it corrupts them. A shared skb - the same one
	 * handed to ndo_start_xmit several times, as pktgen does with
	 * clone_skb on a device that allows IFF_TX_SKB_SHARING - is not
	 * ours to write: the wire takes a clone of its own (the data stays
	 * shared until a corruption makes it private), as a NIC's wire
	 * carries its own copy of each frame.
	 */
	skb = skb_share_check(*pskb, GFP_ATOMIC);
	*pskb = skb;
	if (unlikely(!skb)) {
		/* No clone: lost for want of memory (the TX caller counts). */
		if (d == VNET_DIR_RX)
			vnet_fault_count_napi(q, &q->napi_stats.rx_nomem);
		return VNET_FAULT_TAKEN;
	}
	if (vnet_fault_chance(rnd, f->drop)) {
		vnet_fault_hit(q, d, VNET_FAULT_KIND_DROP, skb);
		kfree_skb(skb);
		return VNET_FAULT_TAKEN;
	}
	if (vnet_fault_chance(rnd, f->corrupt)) {
		vnet_fault_hit(q, d, VNET_FAULT_KIND_CORRUPT, skb);
		vnet_fault_corrupt(skb, rnd);
		*bad_fcs = true;
	}
	if (vnet_fault_chance(rnd, f->duplicate)) {
		copy = skb_copy(skb, GFP_ATOMIC);
		if (copy)
			vnet_fault_hit(q, d, VNET_FAULT_KIND_DUPLICATE, skb);
	}
	due = 0;
	if (f->delay_us || f->jitter_us) {
		due = (u64)f->delay_us * NSEC_PER_USEC;
		if (f->jitter_us)
			due += (u64)prandom_u32_state(rnd) % (f->jitter_us + 1) *
			       NSEC_PER_USEC;
	}
	if (vnet_fault_chance(rnd, f->reorder)) {
		vnet_fault_hit(q, d, VNET_FAULT_KIND_REORDER, skb);
		due += (u64)VNET_FAULT_REORDER_US * NSEC_PER_USEC;
	}
	if (!due && !copy)
		return VNET_FAULT_PASS;

	now = ktime_get_ns();
	if (copy && !vnet_fault_line_add(&fq->line[d], copy, now + due, *bad_fcs)) {
		vnet_fault_hit(q, d, VNET_FAULT_KIND_DROP, copy);
		kfree_skb(copy);
	}
	if (due) {
		vnet_fault_hit(q, d, VNET_FAULT_KIND_DELAY, skb);
		if (!vnet_fault_line_add(&fq->line[d], skb, now + due, *bad_fcs)) {
			vnet_fault_hit(q, d, VNET_FAULT_KIND_DROP, skb);
			kfree_skb(skb);
		}
	}
	vnet_fault_arm(q, d);
	return due ? VNET_FAULT_TAKEN : VNET_FAULT_PASS;
}

/**
 * vnet_fault_tx() - a completed frame meets the TX direction's faults on
 *	its way to the wire
 * @q: the sending queue
 * @cfg: the device's faults (TX active)
 * @skb: the frame, taken over
 * @w: the wire, for a frame that goes on now
 *
 * Context: the TX engine (vnet_tx_hw.c; BH off), RCU read side.
 * Return: false if the wire refused a frame sent now, or no private clone
 * of a shared skb could be had (a TX wire drop); true otherwise: sent,
 * lost on the wire, or delayed.
 */
bool vnet_fault_tx(struct vnet_queue *q, const struct vnet_fault_cfg *cfg,
		   struct sk_buff *skb, struct vnet_wire *w)
{
	enum vnet_fault_fate fate;
	bool bad_fcs;

	fate = vnet_fault_frame(q, cfg, VNET_DIR_TX, &skb, &bad_fcs);
	/* The line may have grown (a delay, a duplicate). */
	WRITE_ONCE(q->fault.tx_held, skb_queue_len(&q->fault.line[VNET_DIR_TX]));
	/* Taken: lost or delayed on the wire; or no clone (a wire drop). */
	if (fate != VNET_FAULT_PASS)
		return !!skb;
	return vnet_wire_deliver(w, skb, bad_fcs);
}

/**
 * vnet_fault_tx_release() - put the TX delay line's due frames on the wire
 * @q: the queue
 * @w: its wire
 *
 * Frames the wire refuses now are TX wire drops, counted here.
 *
 * Context: the TX engine (vnet_tx_hw.c; BH off), RCU read side.
 */
void vnet_fault_tx_release(struct vnet_queue *q, struct vnet_wire *w)
{
	struct sk_buff_head *line = &q->fault.line[VNET_DIR_TX];
	unsigned int refused = 0;
	struct sk_buff *skb;
	u64 now;

	/*
	 * Every engine pass asks, and most have nothing delayed: the clock is
	 * read only for a line that holds frames (in a TCG guest without a
	 * stable TSC, ktime_get_ns() reads the HPET: a device access).
	 */
	if (skb_queue_empty(line))
		return;
	now = ktime_get_ns();
	while ((skb = vnet_fault_line_due(line, now)))
		if (!vnet_wire_deliver(w, skb, vnet_fault_cb(skb)->bad_fcs))
			refused++;
	if (unlikely(refused)) {
		struct vnet_fault_stats *s = &q->fault.stats[VNET_DIR_TX];

		trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_WIRE, refused);
		u64_stats_update_begin(&s->syncp);
		u64_stats_add(&s->refused, refused);
		u64_stats_update_end(&s->syncp);
	}
	WRITE_ONCE(q->fault.tx_held, skb_queue_len(line));
	vnet_fault_arm(q, VNET_DIR_TX);
}

/* A received frame with a bad FCS: counted; dropped unless rx-all. */
static struct sk_buff *vnet_fault_rx_fcs(struct vnet_queue *q, struct sk_buff *skb)
{
	vnet_fault_count_napi(q, &q->napi_stats.rx_crc_errors);
	if (q->priv->dev->features & NETIF_F_RXALL)
		return skb;
	trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_RX_CRC, 1);
	kfree_skb(skb);
	return NULL;
}

/**
 * vnet_fault_rx() - a frame taken from the RX ring meets the RX
 *	direction's faults
 * @q: the receiving queue
 * @cfg: the device's faults (RX active)
 * @skb: the frame
 *
 * Context: NAPI, RCU read side.
 * Return: the frame to receive now, or NULL (dropped or delayed).
 */
struct sk_buff *vnet_fault_rx(struct vnet_queue *q, const struct vnet_fault_cfg *cfg,
			      struct sk_buff *skb)
{
	bool bad_fcs;

	if (vnet_fault_frame(q, cfg, VNET_DIR_RX, &skb, &bad_fcs) != VNET_FAULT_PASS)
		return NULL;
	return bad_fcs ? vnet_fault_rx_fcs(q, skb) : skb;
}

/**
 * vnet_fault_rx_due() - the next frame of the RX delay line that is due
 * @q: the queue
 *
 * Context: NAPI. Re-arms the timer when it returns NULL.
 * Return: the frame to receive now (a corrupted one only with rx-all), or
 * NULL when none is due.
 */
struct sk_buff *vnet_fault_rx_due(struct vnet_queue *q)
{
	struct sk_buff_head *line = &q->fault.line[VNET_DIR_RX];
	u64 now = ktime_get_ns();
	struct sk_buff *skb;

	while ((skb = vnet_fault_line_due(line, now))) {
		if (!vnet_fault_cb(skb)->bad_fcs)
			return skb;
		skb = vnet_fault_rx_fcs(q, skb);
		if (skb)
			return skb;
	}
	vnet_fault_arm(q, VNET_DIR_RX);
	return NULL;
}

static enum hrtimer_restart vnet_fault_tx_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue,
					    fault.timer[VNET_DIR_TX]);

	/* Frames are due: the TX engine puts them on the wire. */
	vnet_tx_hw_run(q);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart vnet_fault_rx_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue,
					    fault.timer[VNET_DIR_RX]);

	/* Frames are due: NAPI receives them. */
	vnet_queue_interrupt(q);
	return HRTIMER_NORESTART;
}

/**
 * vnet_fault_queue_down() - drop what the delay lines of a queue hold
 * @q: the queue, whose NAPI is disabled and TX engine stopped
 * @tx: add the frames dropped from the TX line here
 * @rx: add the frames dropped from the RX line here
 *
 * Frames still on the wire are lost, like those in the rings; the caller
 * counts them with those (tx_flushed, rx_flushed).
 *
 * Context: process context.
 */
void vnet_fault_queue_down(struct vnet_queue *q, unsigned int *tx,
			   unsigned int *rx)
{
	struct vnet_fault_queue *fq = &q->fault;

	hrtimer_cancel(&fq->timer[VNET_DIR_TX]);
	hrtimer_cancel(&fq->timer[VNET_DIR_RX]);
	*tx += skb_queue_len(&fq->line[VNET_DIR_TX]);
	*rx += skb_queue_len(&fq->line[VNET_DIR_RX]);
	__skb_queue_purge(&fq->line[VNET_DIR_TX]);
	__skb_queue_purge(&fq->line[VNET_DIR_RX]);
	/* NAPI, xmit and the engine are stopped: nothing is held for the wire. */
	WRITE_ONCE(fq->tx_held, 0);
}

/* ------------------------------------------------------------------ */
/* Device faults: link flaps and the TX stall                          */
/* ------------------------------------------------------------------ */

/* Link flaps: the carrier (of both ends of a pair) goes off and on. */
static void vnet_fault_flap_tick(struct timer_list *t)
{
	struct vnet_priv *priv = timer_container_of(priv, t, flap_timer);
	u32 ms = READ_ONCE(priv->flap_ms);
	struct net_device *dev = priv->dev;
	struct net_device *peer;

	if (!ms)
		return;
	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (netif_carrier_ok(dev)) {
		netif_carrier_off(dev);
		if (peer)
			netif_carrier_off(peer);
	} else if (!peer || netif_running(peer)) {
		netif_carrier_on(dev);
		if (peer) {
			netif_carrier_on(peer);
			/*
			 * The peer may have begun to stop since we looked: the
			 * core marks it not running before its ndo_stop turns
			 * the carrier off. Look again after our carrier on
			 * (a full barrier): either its stop comes after and
			 * turns both off, or we see it and undo ours.
			 */
			smp_mb__after_atomic();
			if (!netif_running(peer)) {
				netif_carrier_off(peer);
				netif_carrier_off(dev);
			}
		}
	}
	rcu_read_unlock();
	mod_timer(&priv->flap_timer, jiffies + msecs_to_jiffies(ms));
}

/**
 * vnet_fault_open() - start the device faults that run while it is up
 * @priv: the device, just opened
 *
 * Context: process context, RTNL held.
 */
void vnet_fault_open(struct vnet_priv *priv)
{
	if (priv->flap_ms)
		mod_timer(&priv->flap_timer, jiffies + msecs_to_jiffies(priv->flap_ms));
}

/**
 * vnet_fault_stop() - stop the link flaps of a device going down
 * @priv: the device
 *
 * Context: process context, RTNL held.
 */
void vnet_fault_stop(struct vnet_priv *priv)
{
	timer_delete_sync(&priv->flap_timer);
}

/**
 * vnet_fault_init() - set up the fault state of a new device
 * @priv: the device, its queues allocated
 *
 * Context: process context (ndo_init).
 */
void vnet_fault_init(struct vnet_priv *priv)
{
	u16 i;

	timer_setup(&priv->flap_timer, vnet_fault_flap_tick, 0);
	for (i = 0; i < priv->max_queues; i++) {
		struct vnet_fault_queue *fq = &priv->queues[i].fault;

		__skb_queue_head_init(&fq->line[VNET_DIR_TX]);
		__skb_queue_head_init(&fq->line[VNET_DIR_RX]);
		hrtimer_setup(&fq->timer[VNET_DIR_TX], vnet_fault_tx_timer_fn,
			      CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
		hrtimer_setup(&fq->timer[VNET_DIR_RX], vnet_fault_rx_timer_fn,
			      CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
		u64_stats_init(&fq->stats[VNET_DIR_TX].syncp);
		u64_stats_init(&fq->stats[VNET_DIR_RX].syncp);
	}
}

/**
 * vnet_fault_uninit() - free the fault settings of a device going away
 * @priv: the device, down and unlisted
 *
 * Context: process context, RTNL held (ndo_uninit).
 */
void vnet_fault_uninit(struct vnet_priv *priv)
{
	struct vnet_fault_cfg *cfg = rtnl_dereference(priv->fault);

	timer_delete_sync(&priv->flap_timer);
	RCU_INIT_POINTER(priv->fault, NULL);
	if (cfg)
		kfree_rcu(cfg, rcu);
}
