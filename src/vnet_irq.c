// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_irq.c - the simulated NIC's interrupts: one per queue, for RX and
 * TX done, raised by the hardware (the TX engine, a wire, the synthetic
 * source, the fault timers), moderated as ethtool -C asks (rx-usecs,
 * rx-frames, adaptive-rx), carried to another CPU in an IPI with
 * irq_spread, masked while NAPI polls on (napi_defer_hard_irqs, busy
 * polling). An interrupt schedules the queue's NAPI; nothing more.
 */
#include <linux/sched/isolation.h>

#include "vnet.h"

/* The RX interrupt arrives on the queue's interrupt CPU (IPI handler). */
static void vnet_rx_irq_remote(void *info)
{
	struct vnet_queue *q = info;

	/* Hard IRQ context: NET_RX runs on this CPU when the IPI returns. */
	napi_schedule(&q->napi);
}

/**
 * vnet_queue_irq_sync() - wait until no interrupt IPI of a queue is queued
 * @q: the queue, whose producers are stopped
 *
 * An IPI sent before the device went down may still be queued on its
 * target CPU. Once this returns its csd is the driver's again, but its
 * handler may still be about to run: the core unlocks an async csd just
 * before it calls the handler. The caller must let a grace period pass
 * before the queue's memory goes (a hard IRQ handler is an RCU read-side
 * critical section); see vnet_dev_uninit().
 *
 * Context: process context.
 */
void vnet_queue_irq_sync(struct vnet_queue *q)
{
	/*
	 * An async csd is locked from smp_call_function_single_async() until
	 * the target CPU takes it off its queue: until then it is the core's
	 * (freeing and reusing its memory earlier made csd_unlock() warn on
	 * the debug kernel).
	 */
	while (smp_load_acquire(&q->rx_irq_csd.node.u_flags) & CSD_FLAG_LOCK)
		cond_resched();
}

/* Frames that arrived since the last RX interrupt. */
static u32 vnet_rx_since_irq(struct vnet_queue *q)
{
	struct vnet_ring *ring = &q->rx_ring;

	if (!READ_ONCE(ring->slots))
		return 0;
	return vnet_ring_distance(ring, READ_ONCE(q->rx_coal_mark),
				  READ_ONCE(ring->prod));
}

/*
 * Adaptive RX moderation (ethtool -C adaptive-rx on), as a NIC's dynamic
 * interrupt throttling works: an RX interrupt raised at once that comes
 * less than VNET_ADAPT_GAP_NS after the previous one extends a streak;
 * VNET_ADAPT_STREAK of them in a row (over 20,000 interrupts a second: a
 * flood) switch the queue to moderation - VNET_ADAPT_USECS, at most
 * VNET_ADAPT_FRAMES frames an interrupt - and count rx_adapt_bulk. A
 * moderated interrupt that covers one frame or none (the traffic thinned
 * out: the timer raised it for a lone frame) switches back at once
 * (rx_adapt_lowlat). So lone frames and request/response traffic keep an
 * interrupt each, and a flood pays one timer and one NAPI poll per batch
 * instead of per frame. Called just before the interrupt is raised.
 */
static void vnet_rx_adapt(struct vnet_queue *q)
{
	u64 now, last;
	u32 streak;

	if (!READ_ONCE(q->priv->coal.adaptive_rx))
		return;
	if (READ_ONCE(q->rx_adapt_usecs)) {
		if (vnet_rx_since_irq(q) <= 1) {
			WRITE_ONCE(q->rx_adapt_usecs, 0);
			WRITE_ONCE(q->rx_adapt_streak, 0);
			atomic64_inc(&q->irq_stats.rx_adapt_lowlat);
		}
		return;
	}
	now = local_clock();
	last = READ_ONCE(q->rx_adapt_last);
	WRITE_ONCE(q->rx_adapt_last, now);
	streak = now - last < VNET_ADAPT_GAP_NS ? READ_ONCE(q->rx_adapt_streak) + 1 : 0;
	if (streak >= VNET_ADAPT_STREAK) {
		streak = 0;
		WRITE_ONCE(q->rx_adapt_usecs, VNET_ADAPT_USECS);
		atomic64_inc(&q->irq_stats.rx_adapt_bulk);
	}
	WRITE_ONCE(q->rx_adapt_streak, streak);
}

/*
 * Raise the RX interrupt now: note where the ring stood, and count it
 * unless it is masked for IRQ deferral.
 */
static void vnet_rx_irq_raise(struct vnet_queue *q)
{
	vnet_rx_adapt(q);
	WRITE_ONCE(q->rx_coal_mark, READ_ONCE(q->rx_ring.prod));
	if (vnet_queue_interrupt(q))
		atomic64_inc(&q->irq_stats.rx_irqs);
}

/* The moderation time is over: one interrupt for what arrived meanwhile. */
static enum hrtimer_restart vnet_rx_coal_timer_fn(struct hrtimer *timer)
{
	struct vnet_queue *q = container_of(timer, struct vnet_queue, rx_coal_timer);

	clear_bit(0, &q->rx_coal_armed);
	/*
	 * A producer that still saw the bit set relies on this interrupt:
	 * raise it after the clear, so that a frame arriving in between
	 * arms the timer anew rather than being left to no one.
	 */
	smp_mb__after_atomic();
	vnet_rx_irq_raise(q);
	return HRTIMER_NORESTART;
}

/**
 * vnet_rx_irq_init() - set up a queue's RX interrupt
 * @q: the queue, whose index and device id are set
 *
 * Context: process context, at device creation.
 */
void vnet_rx_irq_init(struct vnet_queue *q)
{
	INIT_CSD(&q->rx_irq_csd, vnet_rx_irq_remote, q);
	hrtimer_setup(&q->rx_coal_timer, vnet_rx_coal_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_SOFT);
}

/**
 * vnet_rx_irq_stop() - cancel a moderated RX interrupt still pending
 * @q: the queue, whose NAPI is disabled or gone
 *
 * Context: process context.
 */
void vnet_rx_irq_stop(struct vnet_queue *q)
{
	hrtimer_cancel(&q->rx_coal_timer);
	clear_bit(0, &q->rx_coal_armed);
}

/*
 * A CPU an interrupt may be sent to: not isolated. The kernel's notions
 * differ by version - cpu_is_isolated() is isolcpus's domain isolation
 * (and nohz_full up to 6.12, an isolated cpuset partition from 6.12) - so
 * nohz_full (the tick's housekeeping) and isolcpus=managed_irq, which
 * keeps the kernel's own managed interrupts off a CPU, are asked apart.
 * Such a CPU's work is its owner's, and an interrupt's NAPI is work.
 * Caller holds the RCU read lock: newer kernels change the sets at run time.
 */
static bool vnet_irq_cpu_allowed(int cpu)
{
	return !cpu_is_isolated(cpu) && housekeeping_cpu(cpu, HK_TYPE_TICK) &&
	       housekeeping_cpu(cpu, HK_TYPE_MANAGED_IRQ);
}

/* An online CPU an interrupt may be sent to. Takes the RCU read lock. */
static bool vnet_irq_cpu_usable(int cpu)
{
	bool ok;

	rcu_read_lock();
	ok = cpu_online(cpu) && vnet_irq_cpu_allowed(cpu);
	rcu_read_unlock();
	return ok;
}

/*
 * irq-spread's routing of an interrupt (RX or TX done, of any queue), as a
 * NIC's interrupt affinity routes it away from the CPU busy sending: the
 * next online CPU after the one raising it that is not isolated
 * (vnet_irq_cpu_allowed()). So a pair end's receive work (NAPI, GRO, the
 * stack) runs beside its sender's transmit work instead of after it on
 * the same CPU.
 * An interrupt raised while this CPU serves softirqs - a NAPI poll that
 * completed frames into the peer, a reply sent from the receive path, a
 * coalescing timer - was raised on the receiving side already: it stays
 * here, as a NIC's queue pair shares one vector, instead of bouncing back
 * to the sender's CPU.
 * -1: the raising CPU itself (irq_spread=0, or no other CPU to take it).
 */
static int vnet_irq_cpu_spread(const struct vnet_priv *priv)
{
	int this, cpu;

	if (!READ_ONCE(priv->irq_spread) || num_online_cpus() < 2 ||
	    in_serving_softirq())
		return -1;
	this = raw_smp_processor_id();
	rcu_read_lock();
	for_each_cpu_wrap(cpu, cpu_online_mask, (this + 1) % nr_cpu_ids)
		if (cpu == this || vnet_irq_cpu_allowed(cpu))
			break;
	rcu_read_unlock();
	return cpu == this || cpu >= nr_cpu_ids ? -1 : cpu;
}

/*
 * The queue's interrupt CPU: the one its administrator set (irq_cpu), from
 * whatever context the interrupt is raised in, as a NIC's vector fires on
 * its affinity CPU - while that CPU is online and not isolated (cpusets
 * change at run time; the setting stays, and applies again once the CPU
 * is back); otherwise as irq-spread says. -1: the raising CPU.
 */
static int vnet_irq_cpu(const struct vnet_queue *q)
{
	int cpu = READ_ONCE(q->irq_cpu);

	if (cpu >= 0 && vnet_irq_cpu_usable(cpu))
		return cpu;
	return vnet_irq_cpu_spread(q->priv);
}

/**
 * vnet_irq_cpu_check() - may a queue's interrupt be set to go to @cpu?
 * @cpu: a CPU number from userspace, or -1 (none set)
 * @extack: says why not
 *
 * Context: any; takes the RCU read lock.
 * Return: 0, or -EINVAL for a CPU that does not exist, is offline or is
 * isolated (never targeted, see vnet_irq_cpu_allowed()).
 */
int vnet_irq_cpu_check(int cpu, struct netlink_ext_ack *extack)
{
	if (cpu == -1)
		return 0;
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		NL_SET_ERR_MSG_MOD(extack, "irq-cpu: no such CPU online (-1: none)");
		return -EINVAL;
	}
	if (!vnet_irq_cpu_usable(cpu)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "irq-cpu: that CPU is isolated (isolcpus, nohz_full or an isolated cpuset)");
		return -EINVAL;
	}
	return 0;
}

/**
 * vnet_rx_irq() - the RX interrupt: let NAPI drain the ring
 * @q: the queue
 *
 * The interrupt goes to another CPU (vnet_irq_cpu()) in an IPI
 * (irq_ipis), unless the previous one is still on its way: that one
 * schedules NAPI after this frame was queued, so it is not lost, and
 * interrupts coalesce while the receiver is busy. With irq_spread=0, or
 * if the IPI cannot be sent, NAPI is scheduled on this CPU. With interrupt
 * moderation (ethtool -C rx-usecs/rx-frames, or what adaptive-rx chose,
 * see vnet_rx_adapt()) it may wait, see below.
 *
 * Context: any context but hard IRQ.
 */
void vnet_rx_irq(struct vnet_queue *q)
{
	struct vnet_coalesce *coal = &q->priv->coal;
	u32 usecs, frames;

	if (READ_ONCE(coal->adaptive_rx)) {
		usecs = READ_ONCE(q->rx_adapt_usecs);
		frames = VNET_ADAPT_FRAMES;
	} else {
		usecs = READ_ONCE(coal->rx_usecs);
		frames = READ_ONCE(coal->rx_frames);
	}
	if (usecs) {
		/*
		 * Moderated (ethtool -C): the first frame after an interrupt
		 * arms the timer; the interrupt comes when it fires, or once
		 * rx-frames frames have arrived, whichever is first.
		 */
		if (!frames || vnet_rx_since_irq(q) < frames) {
			if (!test_and_set_bit(0, &q->rx_coal_armed))
				hrtimer_start(&q->rx_coal_timer,
					      ns_to_ktime((u64)usecs * NSEC_PER_USEC),
					      HRTIMER_MODE_REL_SOFT);
			return;
		}
		/* Enough frames: this interrupt replaces the timer's. */
		if (test_and_clear_bit(0, &q->rx_coal_armed))
			hrtimer_try_to_cancel(&q->rx_coal_timer);
	}
	vnet_rx_irq_raise(q);
}

/**
 * vnet_queue_interrupt() - interrupt a queue's NAPI (RX or TX done)
 * @q: the queue
 *
 * Routed as vnet_rx_irq() describes: to the next CPU in an IPI
 * (irq_ipis), or on this CPU. While the queue's NAPI is scheduled the
 * interrupt is masked, as a NIC driver masks it: no IPI, the poll runs
 * once more instead.
 *
 * While the core's timer polls instead (IRQ deferral, see
 * vnet_napi_poll()), the interrupt is masked: nothing is raised.
 *
 * Context: BH disabled or enabled, IRQs on (its local_bh_enable() may run
 * softirqs): not under an IRQ-safe lock, nor from netpoll.
 * Return: false if the interrupt was masked for IRQ deferral.
 */
bool vnet_queue_interrupt(struct vnet_queue *q)
{
	int cpu;

	lockdep_assert_irqs_enabled();
	/*
	 * Pairs with the barrier in vnet_napi_poll(): the frame or completion
	 * that raised this is visible before the mask is read, so either the
	 * poll after the unmask sees it or this interrupt is raised.
	 */
	smp_mb();
	if (READ_ONCE(q->irq_deferred))
		return false;
	cpu = vnet_irq_cpu(q);
	/*
	 * Masked: a NIC driver keeps its interrupt off from the moment NAPI
	 * is scheduled until napi_complete_done(). A poll scheduled or
	 * running needs no IPI: napi_schedule() below only marks it missed,
	 * so it polls again instead of completing (or, if it completed just
	 * now, schedules it here: that one poll runs on this CPU, not on the
	 * queue's irq-cpu).
	 */
	if (cpu >= 0 && cpu != raw_smp_processor_id() &&
	    !test_bit(NAPI_STATE_SCHED, &q->napi.state)) {
		int err = smp_call_function_single_async(cpu, &q->rx_irq_csd);

		if (!err) {
			atomic64_inc(&q->irq_stats.irq_ipis);
			return true;
		}
		/* -EBUSY: the one on its way schedules NAPI after our frame. */
		if (err == -EBUSY)
			return true;
	}
	/* napi_schedule() raises NET_RX; with BHs off it runs on unlock. */
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
	return true;
}
