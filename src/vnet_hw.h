/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_hw.h - the simulated hardware, as the driver and the wires see it.
 *
 * What a NIC driver does to its NIC, vnet's driver does through these:
 * post TX descriptors and ring the doorbell (the TX engine, vnet_tx_hw.c),
 * place received frames in RX descriptors (RX placement, vnet_rx_hw.c),
 * raise, moderate and mask the queue's interrupt (vnet_irq.c), and keep
 * the line rate (vnet_pace.c). The hardware calls the driver back only
 * through the interrupt, which schedules NAPI, and tells it what became
 * of each frame sent in the TX descriptor it writes back (struct
 * vnet_tx_wb), and what it received in each RX descriptor's completion
 * (struct vnet_rx_wb).
 */
#ifndef _VNET_HW_H
#define _VNET_HW_H

#include <linux/skbuff.h>
#include <net/xdp.h>

#include "vnet_ring.h"

struct vnet_priv;
struct vnet_queue;

/* The fastest line rate ethtool -s may set, in Mbit/s (400G). */
#define VNET_SPEED_MAX		400000U
/* Interrupt moderation (ethtool -C): the longest wait, the largest count. */
#define VNET_COAL_MAX_USECS	1000000U	/* 1 s */
#define VNET_COAL_MAX_FRAMES	VNET_RING_MAX
/*
 * Adaptive RX moderation (ethtool -C adaptive-rx, vnet_irq.c): a queue
 * whose RX interrupts come less than VNET_ADAPT_GAP_NS apart (over 20,000
 * a second) VNET_ADAPT_STREAK times in a row is moderated with
 * VNET_ADAPT_USECS and VNET_ADAPT_FRAMES (about 4,000 a second).
 */
#define VNET_ADAPT_GAP_NS	(50 * NSEC_PER_USEC)
#define VNET_ADAPT_STREAK	16
#define VNET_ADAPT_USECS	250
#define VNET_ADAPT_FRAMES	64

/* The TX engine (vnet_tx_hw.c) */
void vnet_tx_doorbell(struct vnet_queue *q);
bool vnet_tx_doorbell_polled(struct vnet_queue *q);
void vnet_tx_hw_run(struct vnet_queue *q);
void vnet_tx_hw_init(struct vnet_queue *q);
void vnet_tx_hw_start(struct vnet_queue *q);
void vnet_tx_hw_stop(struct vnet_queue *q);
void vnet_tx_kick(struct vnet_queue *q);
void vnet_tx_wire_copy(const struct sk_buff *skb, u8 *buf);

/* RX placement (vnet_rx_hw.c) */
unsigned int vnet_rx_reserve(struct vnet_queue *q, unsigned int n);
unsigned int vnet_rx_enqueue_xdp(struct vnet_queue *q, struct xdp_frame **frames,
				 unsigned int n);
void vnet_rx_count_nomem(struct vnet_queue *q);
bool vnet_rx_enqueue(struct vnet_queue *q, struct vnet_entry entry);
int vnet_rx_inject(struct vnet_queue *q, struct vnet_entry entry);
void vnet_rx_count_length_error(struct vnet_queue *q);
void vnet_rx_count_crc_error(struct vnet_queue *q);

/* The queue's interrupt (vnet_irq.c) */
void vnet_rx_irq(struct vnet_queue *q);
void vnet_rx_irq_init(struct vnet_queue *q);
void vnet_rx_irq_stop(struct vnet_queue *q);
bool vnet_queue_interrupt(struct vnet_queue *q);
void vnet_queue_irq_sync(struct vnet_queue *q);
int vnet_irq_cpu_check(int cpu, struct netlink_ext_ack *extack);

/* The line rate (vnet_pace.c) */
u32 vnet_pace_complete(struct vnet_queue *q, u32 room);
void vnet_pace_stop(struct vnet_queue *q);
void vnet_pace_set(struct vnet_priv *priv, u32 mbps);

#endif /* _VNET_HW_H */
