// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_kunit.c - KUnit tests for vnet's pure logic: ring index arithmetic,
 * the synthetic frame builder and the protocol classifier, the TX
 * engine's stop against a racing kick and its wire room at a peer without
 * RX rings, its TX-done interrupt mask, ndo_xdp_xmit into a queue
 * taken out of use, a link flap against a stopping peer, and a wire whose
 * far side is gone. Built only for kernels with CONFIG_KUNIT; the suites
 * run when the module is loaded and report in KTAP (dmesg and
 * /sys/kernel/debug/kunit/<suite>/results).
 */
#include <kunit/test.h>
#include <linux/if_arp.h>
#include <linux/ipv6.h>
#include <linux/kprobes.h>

#include "vnet.h"
#include "vnet_xdp.h"

/*
 * A queue for a test: zeroed, as kcalloc() leaves them in ndo_init, and
 * with no interrupt CPU set, as ndo_init sets it (0 would be CPU 0).
 */
static struct vnet_queue *vnet_test_queue(struct kunit *test)
{
	struct vnet_queue *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	if (q)
		q->irq_cpu = -1;
	return q;
}

static void vnet_ring_test_alloc_limits(struct kunit *test)
{
	struct vnet_ring ring = {};

	KUNIT_EXPECT_EQ(test, vnet_ring_alloc(&ring, VNET_RING_MIN - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vnet_ring_alloc(&ring, VNET_RING_MAX + 1), -EINVAL);
	KUNIT_ASSERT_EQ(test, vnet_ring_alloc(&ring, VNET_RING_MIN), 0);
	KUNIT_EXPECT_EQ(test, vnet_ring_space(&ring), VNET_RING_MIN);
	vnet_ring_free(&ring);
	KUNIT_EXPECT_NULL(test, ring.slots);
}

/* Fill, drain and wrap a ring of every size class: full is not empty. */
static void vnet_ring_test_wrap(struct kunit *test)
{
	static const u32 sizes[] = { 8, 9, 100, 256, 4096 };
	unsigned int s, round, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct vnet_ring ring = {};
		u32 size = sizes[s];

		KUNIT_ASSERT_EQ(test, vnet_ring_alloc(&ring, size), 0);
		for (round = 0; round < 5; round++) {
			for (i = 0; i < size; i++) {
				KUNIT_ASSERT_EQ(test, vnet_ring_space(&ring), size - i);
				vnet_ring_slot(&ring, ring.prod)->tagged = i + 1;
				ring.prod = vnet_ring_next(&ring, ring.prod);
			}
			KUNIT_EXPECT_EQ(test, vnet_ring_space(&ring), 0);
			KUNIT_EXPECT_NE(test, ring.prod, ring.cons);
			for (i = 0; i < size; i++) {
				struct vnet_entry e;

				e = vnet_ring_take(vnet_ring_slot(&ring, ring.cons));
				KUNIT_ASSERT_EQ(test, e.tagged, (unsigned long)(i + 1));
				ring.cons = vnet_ring_next(&ring, ring.cons);
			}
			KUNIT_EXPECT_EQ(test, vnet_ring_space(&ring), size);
			KUNIT_EXPECT_EQ(test, ring.prod, ring.cons);
			KUNIT_EXPECT_LT(test, ring.prod, 2 * size);
		}
		vnet_ring_free(&ring);
	}
}

static void vnet_ring_test_distance(struct kunit *test)
{
	struct vnet_ring ring = { .size = 10 };

	KUNIT_EXPECT_EQ(test, vnet_ring_distance(&ring, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, vnet_ring_distance(&ring, 3, 7), 4);
	KUNIT_EXPECT_EQ(test, vnet_ring_distance(&ring, 15, 5), 10);
	KUNIT_EXPECT_EQ(test, vnet_ring_distance(&ring, 19, 0), 1);
	KUNIT_EXPECT_EQ(test, vnet_ring_next(&ring, 19), 0);
	KUNIT_EXPECT_EQ(test, vnet_ring_next(&ring, 9), 10);
	/* Counters c and c + size designate the same descriptor. */
	KUNIT_EXPECT_PTR_EQ(test, vnet_ring_slot(&ring, 3), vnet_ring_slot(&ring, 13));
}

static void vnet_synth_test_arp(struct kunit *test)
{
	static const u8 mac[ETH_ALEN] = { 0x02, 0x76, 0x6e, 0, 0, 7 };
	static const u8 expect[VNET_SYNTH_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0x76, 0x6e, 0, 0, 7,		/* source */
		0x08, 0x06,				/* ARP */
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,	/* eth/ip request */
		0x02, 0x76, 0x6e, 0, 0, 7, 10, 0, 0, 1,	/* sha, sip */
		0, 0, 0, 0, 0, 0, 192, 168, 1, 2,	/* tha, tip */
	};					/* zero padding to 60 */
	u8 frame[VNET_SYNTH_FRAME_LEN + 4];

	memset(frame, 0xaa, sizeof(frame));
	KUNIT_EXPECT_EQ(test, vnet_synth_build_arp(frame, mac, htonl(0x0a000001),
						   htonl(0xc0a80102)),
			VNET_SYNTH_FRAME_LEN);
	KUNIT_EXPECT_EQ(test, memcmp(frame, expect, VNET_SYNTH_FRAME_LEN), 0);
	/* Nothing written past the frame. */
	KUNIT_EXPECT_EQ(test, frame[VNET_SYNTH_FRAME_LEN], 0xaa);
}

static void vnet_classify_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vnet_classify(htons(ETH_P_ARP)), VNET_PROTO_ARP);
	KUNIT_EXPECT_EQ(test, vnet_classify(htons(ETH_P_IP)), VNET_PROTO_IPV4);
	KUNIT_EXPECT_EQ(test, vnet_classify(htons(ETH_P_IPV6)), VNET_PROTO_IPV6);
	KUNIT_EXPECT_EQ(test, vnet_classify(htons(ETH_P_8021Q)), VNET_PROTO_OTHER);
	KUNIT_EXPECT_EQ(test, vnet_classify(htons(0x0800 >> 8)), VNET_PROTO_OTHER);
	KUNIT_EXPECT_EQ(test, vnet_classify(0), VNET_PROTO_OTHER);
}

static void vnet_skb_class_test(struct kunit *test)
{
	static const u8 group[ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	unsigned int class;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put_zero(skb, 13);
	class = vnet_skb_class(skb);			/* a runt */
	KUNIT_EXPECT_EQ(test, vnet_class_proto(class), VNET_PROTO_OTHER);
	KUNIT_EXPECT_EQ(test, vnet_class_dest(class), VNET_DEST_UNICAST);
	skb_put_zero(skb, 1);
	p[12] = 0x86;
	p[13] = 0xdd;
	class = vnet_skb_class(skb);
	KUNIT_EXPECT_EQ(test, vnet_class_proto(class), VNET_PROTO_IPV6);
	KUNIT_EXPECT_EQ(test, vnet_class_dest(class), VNET_DEST_UNICAST);
	memcpy(p, group, ETH_ALEN);
	KUNIT_EXPECT_EQ(test, vnet_class_dest(vnet_skb_class(skb)), VNET_DEST_MULTICAST);
	eth_broadcast_addr(p);
	class = vnet_skb_class(skb);
	KUNIT_EXPECT_EQ(test, vnet_class_dest(class), VNET_DEST_BROADCAST);
	KUNIT_EXPECT_EQ(test, vnet_class_proto(class), VNET_PROTO_IPV6);
	KUNIT_EXPECT_LT(test, class, VNET_CLASS_NUM);
	kfree_skb(skb);
}

/* Each RMON range's edges, from frame lengths without the FCS. */
static void vnet_size_bucket_test(struct kunit *test)
{
	static const struct { unsigned int len, bucket; } edges[] = {
		{ 14, 0 }, { 60, 0 }, { 61, 1 }, { 123, 1 }, { 124, 2 },
		{ 251, 2 }, { 252, 3 }, { 507, 3 }, { 508, 4 }, { 1019, 4 },
		{ 1020, 5 }, { 1514, 5 }, { 1515, 6 }, { 9018, 6 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(edges); i++)
		KUNIT_EXPECT_EQ_MSG(test, vnet_size_bucket(edges[i].len),
				    edges[i].bucket, "len %u", edges[i].len);
}

/*
 * A stopped TX engine stays stopped. A peer's NAPI (or a /dev/vnet reader)
 * that read tx_hw_blocked just before vnet_tx_hw_stop() cleared it rings
 * the doorbell after the stop cancelled the timers: that must arm none,
 * or the timer fires on a queue that is down, or freed. The kick that
 * raced is played here by setting tx_hw_blocked after the stop.
 */
static void vnet_tx_hw_test_stop_final(struct kunit *test)
{
	struct vnet_priv *priv;
	struct vnet_queue *q;
	bool armed;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	q = vnet_test_queue(test);
	KUNIT_ASSERT_NOT_NULL(test, priv);
	KUNIT_ASSERT_NOT_NULL(test, q);
	q->priv = priv;
	/* With a TX latency the doorbell only arms the timer. */
	priv->tx_delay_us = 1000000;
	vnet_tx_hw_init(q);
	vnet_tx_hw_stop(q);
	WRITE_ONCE(q->tx_hw_blocked, true);
	local_bh_disable();
	vnet_tx_kick(q);
	local_bh_enable();
	armed = hrtimer_active(&q->tx_hw_timer);
	/* Cancel what the kick armed before the queue's memory goes. */
	hrtimer_cancel(&q->tx_hw_timer);
	KUNIT_EXPECT_FALSE_MSG(test, armed, "a kick re-armed a stopped engine");
}

/*
 * A pair's peer that is running but has no RX ring yet - its ndo_open is
 * making the rings, or failed to, and the core clears the running mark
 * after the failure without telling us - is no wire to wait for: the
 * engine sends what was posted, and the peer drops it. Were it to wait
 * for room there, no kick would ever come from a failed open, and the
 * frames would sit in the TX ring. The queue's interrupt is masked (as
 * while NAPI is deferred) and moderated, so that the test raises none:
 * this queue has no NAPI. Without a TX latency (with one the doorbell
 * would arm a timer only), the doorbell sends at once, and writes each
 * descriptor back: the frame went, the wire refused it.
 */
static void vnet_tx_hw_test_ringless_peer(struct kunit *test)
{
	struct net_device *peer, *dev;
	struct vnet_priv *priv, *ppriv;
	struct vnet_tx_wb wb[2];
	struct vnet_queue *q;
	bool blocked;
	u32 done, i;

	peer = alloc_etherdev(sizeof(*ppriv));
	KUNIT_ASSERT_NOT_NULL(test, peer);
	dev = alloc_etherdev(sizeof(*priv));
	if (!dev) {
		free_netdev(peer);
		KUNIT_FAIL(test, "no memory for the test");
		return;
	}
	ppriv = netdev_priv(peer);
	priv = netdev_priv(dev);
	ppriv->queues = vnet_test_queue(test);
	ppriv->num_queues = 1;
	q = vnet_test_queue(test);
	if (!ppriv->queues || !q || vnet_ring_alloc(&q->tx_ring, 8)) {
		free_netdev(dev);
		free_netdev(peer);
		KUNIT_FAIL(test, "no memory for the test");
		return;
	}
	/* A peer queue as ndo_init leaves it: no rings yet. */
	ppriv->dev = peer;
	ppriv->queues[0].priv = ppriv;
	spin_lock_init(&ppriv->queues[0].rx_lock);
	u64_stats_init(&ppriv->queues[0].rxhw_stats.syncp);
	/* Running, as from __dev_open() before and during ndo_open. */
	set_bit(__LINK_STATE_START, &peer->state);
	priv->dev = dev;
	rcu_assign_pointer(priv->peer, peer);
	priv->coal.tx_usecs = 1000000;
	q->priv = priv;
	vnet_wire_set(q, &vnet_wire_peer);
	q->irq_deferred = true;
	/* Empty TX delay lines, as vnet_fault_init() leaves them. */
	__skb_queue_head_init(&q->fault.line[VNET_DIR_TX]);
	__skb_queue_head_init(&q->fault.line[VNET_DIR_RX]);
	vnet_tx_hw_init(q);
	vnet_tx_hw_start(q);
	/* Two frames posted. */
	for (i = 0; i < 2; i++) {
		struct sk_buff *skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);

		if (!skb)
			break;
		skb_put_zero(skb, ETH_ZLEN);
		skb->dev = dev;
		*vnet_ring_slot(&q->tx_ring, i) = vnet_entry_skb(skb);
		/* As vnet_tx_post() publishes a descriptor: slot, then index. */
		smp_store_release(&q->tx_ring.prod, i + 1);
	}
	local_bh_disable();
	vnet_tx_doorbell(q);
	local_bh_enable();
	done = READ_ONCE(q->tx_hw_done);
	blocked = READ_ONCE(q->tx_hw_blocked);
	vnet_tx_hw_stop(q);
	for (i = 0; i < done && i < 2; i++)
		wb[i] = vnet_ring_slot(&q->tx_ring, i)->wb;
	/* Frames the engine did not send are still skbs: a failure's. */
	q->tx_ring.cons = done;
	vnet_ring_drain(&q->tx_ring);
	vnet_ring_free(&q->tx_ring);
	clear_bit(__LINK_STATE_START, &peer->state);
	free_netdev(peer);
	free_netdev(dev);
	KUNIT_ASSERT_EQ_MSG(test, done, 2U,
			    "frames for a peer without RX rings wait for a kick");
	KUNIT_EXPECT_FALSE(test, blocked);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, wb[i].len, ETH_ZLEN);
		KUNIT_EXPECT_FALSE_MSG(test, wb[i].sent,
				       "a peer without RX rings took a frame");
	}
}

/*
 * RX placement writes each descriptor's completion - the frame's length,
 * the class its parser found, done - and a full ring refuses the next
 * frame, which stays the caller's. A frame of each protocol, of a growing
 * length, broadcast or unicast.
 */
static void vnet_rx_hw_test_completion(struct kunit *test)
{
	static const u16 protos[] = { ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, ETH_P_8021Q };
	static const enum vnet_proto classes[] = {
		VNET_PROTO_ARP, VNET_PROTO_IPV4, VNET_PROTO_IPV6, VNET_PROTO_OTHER
	};
	struct vnet_rx_wb wb[VNET_RING_MIN];
	struct net_device *dev;
	struct vnet_priv *priv;
	struct sk_buff *skb;
	struct vnet_queue *q;
	int full = 0;
	u32 prod, i;

	dev = alloc_etherdev(sizeof(*priv));
	KUNIT_ASSERT_NOT_NULL(test, dev);
	priv = netdev_priv(dev);
	priv->dev = dev;
	q = vnet_test_queue(test);
	if (!q || vnet_rx_ring_alloc(&q->rx_ring, VNET_RING_MIN)) {
		free_netdev(dev);
		KUNIT_FAIL(test, "no memory for the test");
		return;
	}
	q->priv = priv;
	spin_lock_init(&q->rx_lock);
	u64_stats_init(&q->rxhw_stats.syncp);
	for (i = 0; i <= VNET_RING_MIN; i++) {
		struct ethhdr *eth;

		skb = alloc_skb(ETH_ZLEN + i, GFP_KERNEL);
		if (!skb)
			break;
		eth = skb_put_zero(skb, ETH_ZLEN + i);
		eth->h_proto = htons(protos[i % ARRAY_SIZE(protos)]);
		if (i & 1)
			eth_broadcast_addr(eth->h_dest);
		if (i < VNET_RING_MIN) {
			KUNIT_EXPECT_EQ(test, vnet_rx_inject(q, vnet_entry_skb(skb)), 0);
			continue;
		}
		full = vnet_rx_inject(q, vnet_entry_skb(skb));
		kfree_skb(skb);		/* refused or not, ours */
	}
	prod = q->rx_ring.prod;
	for (i = 0; i < VNET_RING_MIN; i++)
		wb[i] = *vnet_ring_rx_wb(&q->rx_ring, i);
	vnet_ring_drain(&q->rx_ring);	/* frees what was placed */
	vnet_ring_free(&q->rx_ring);
	free_netdev(dev);
	KUNIT_ASSERT_EQ(test, prod, (u32)VNET_RING_MIN);
	KUNIT_EXPECT_EQ(test, full, -ENOSPC);
	for (i = 0; i < VNET_RING_MIN; i++) {
		KUNIT_EXPECT_EQ(test, wb[i].len, ETH_ZLEN + i);
		KUNIT_EXPECT_EQ(test, wb[i].status, VNET_RXD_DD);
		KUNIT_EXPECT_EQ(test, vnet_class_proto(wb[i].class),
				classes[i % ARRAY_SIZE(classes)]);
		KUNIT_EXPECT_EQ(test, vnet_class_dest(wb[i].class),
				i & 1 ? VNET_DEST_BROADCAST : VNET_DEST_UNICAST);
	}
}

/*
 * A queue on the sink with its TX engine started and one 60-byte frame
 * posted in an 8-slot TX ring, TX-done moderation of @tx_usecs, and IRQ
 * deferral on (without a NAPI the interrupt must raise nothing). NULL,
 * the test failed, if there was no memory for it.
 */
static struct vnet_queue *vnet_tx_hw_test_queue(struct kunit *test, u32 tx_usecs)
{
	struct vnet_priv *priv;
	struct vnet_queue *q;
	struct sk_buff *skb;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	q = vnet_test_queue(test);
	skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
	if (!priv || !q || !skb || vnet_ring_alloc(&q->tx_ring, 8)) {
		kfree_skb(skb);
		KUNIT_FAIL(test, "no memory for the test");
		return NULL;
	}
	skb_put_zero(skb, ETH_ZLEN);
	q->priv = priv;
	priv->coal.tx_usecs = tx_usecs;
	q->irq_deferred = true;
	vnet_wire_set(q, &vnet_wire_sink);
	__skb_queue_head_init(&q->fault.line[VNET_DIR_TX]);
	__skb_queue_head_init(&q->fault.line[VNET_DIR_RX]);
	vnet_tx_hw_init(q);
	vnet_tx_hw_start(q);
	*vnet_ring_slot(&q->tx_ring, 0) = vnet_entry_skb(skb);
	/* As vnet_tx_post() publishes a descriptor: slot, then index. */
	smp_store_release(&q->tx_ring.prod, 1);
	return q;
}

/*
 * The TX-done interrupt of a doorbell the driver polls: the pass it runs
 * completes the frame without raising the interrupt or arming its
 * moderation timer (tx-usecs is set, so that raising it shows as an
 * armed timer on a queue without NAPI); a plain doorbell's pass for the
 * next frame arms it.
 */
static void vnet_tx_hw_test_doorbell_polled(struct kunit *test)
{
	bool ran, polled_armed, plain_armed;
	struct vnet_queue *q;
	struct sk_buff *skb;
	u32 polled_done, plain_done;

	q = vnet_tx_hw_test_queue(test, 1000000);
	if (!q)
		return;
	local_bh_disable();
	ran = vnet_tx_doorbell_polled(q);	/* no TX latency: a pass, now */
	polled_done = READ_ONCE(q->tx_hw_done);
	polled_armed = READ_ONCE(q->tx_coal_armed);
	local_bh_enable();
	/* Reclaimed, as the driver's clean does; then a second frame. */
	WRITE_ONCE(q->tx_ring.cons, polled_done);
	skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
	if (skb) {
		skb_put_zero(skb, ETH_ZLEN);
		*vnet_ring_slot(&q->tx_ring, 1) = vnet_entry_skb(skb);
		/* As vnet_tx_post() publishes a descriptor: slot, then index. */
		smp_store_release(&q->tx_ring.prod, 2);
	}
	local_bh_disable();
	vnet_tx_doorbell(q);
	plain_done = READ_ONCE(q->tx_hw_done);
	plain_armed = READ_ONCE(q->tx_coal_armed);
	local_bh_enable();
	vnet_tx_hw_stop(q);
	/* What was not sent (a failure) is still an skb in its slot. */
	q->tx_ring.cons = q->tx_hw_done;
	vnet_ring_drain(&q->tx_ring);
	vnet_ring_free(&q->tx_ring);
	KUNIT_ASSERT_TRUE_MSG(test, ran, "no pass ran at the doorbell");
	KUNIT_ASSERT_EQ_MSG(test, polled_done, 1U, "the engine did not send the frame");
	KUNIT_EXPECT_FALSE_MSG(test, polled_armed,
			       "a polled doorbell's completion armed the interrupt");
	KUNIT_ASSERT_TRUE_MSG(test, skb, "no memory for the second frame");
	KUNIT_EXPECT_EQ_MSG(test, plain_done, 2U, "the engine did not send the second frame");
	KUNIT_EXPECT_TRUE_MSG(test, plain_armed,
			      "a plain doorbell's completion raised no interrupt");
}

/*
 * With a TX latency the polled doorbell runs no pass: it answers false,
 * so that xmit does not clean, and arms the engine's timer, whose pass
 * (not polled) will raise the interrupt.
 */
static void vnet_tx_hw_test_doorbell_polled_delay(struct kunit *test)
{
	bool ran, armed;
	struct vnet_queue *q;
	u32 done;

	q = vnet_tx_hw_test_queue(test, 0);
	if (!q)
		return;
	q->priv->tx_delay_us = 1000000;		/* 1 s: the test ends first */
	local_bh_disable();
	ran = vnet_tx_doorbell_polled(q);
	done = READ_ONCE(q->tx_hw_done);
	armed = READ_ONCE(q->tx_hw_armed);
	local_bh_enable();
	vnet_tx_hw_stop(q);
	q->tx_ring.cons = q->tx_hw_done;
	vnet_ring_drain(&q->tx_ring);
	vnet_ring_free(&q->tx_ring);
	KUNIT_EXPECT_FALSE_MSG(test, ran, "a doorbell with a TX latency said a pass ran");
	KUNIT_EXPECT_EQ_MSG(test, done, 0U, "a pass sent the frame before its TX latency");
	KUNIT_EXPECT_TRUE_MSG(test, armed, "the engine's timer was not armed");
}

/*
 * netpoll rings the doorbell with IRQs off, maybe in a hard IRQ that
 * interrupted the engine: no pass may run there (the wire's far side
 * enables BHs) and tx_hw_lock, taken with BHs off only, may not be
 * taken (lockdep would say so on this kernel). The doorbell starts
 * tx_netpoll_timer instead, whose ring from softirq sends the frame. On
 * a stopped engine that ring sends nothing.
 */
static void vnet_tx_hw_test_netpoll_doorbell(struct kunit *test)
{
	u32 done_irqs_off, done, done_stopped;
	struct sk_buff *skb;
	struct vnet_queue *q;
	unsigned long flags;
	bool pending;
	int i;

	q = vnet_tx_hw_test_queue(test, 0);
	if (!q)
		return;
	local_bh_disable();
	local_irq_save(flags);
	vnet_tx_doorbell(q);		/* as netpoll rings it */
	done_irqs_off = READ_ONCE(q->tx_hw_done);
	pending = hrtimer_active(&q->tx_netpoll_timer);
	local_irq_restore(flags);
	local_bh_enable();
	/* The timer fires at once, from softirq: its pass sends the frame. */
	for (i = 0; i < 200 && READ_ONCE(q->tx_hw_done) != 1; i++)
		usleep_range(1000, 2000);
	done = READ_ONCE(q->tx_hw_done);
	/* A second frame, then the doorbell again, the engine stopped. */
	skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
	if (skb) {
		skb_put_zero(skb, ETH_ZLEN);
		*vnet_ring_slot(&q->tx_ring, 1) = vnet_entry_skb(skb);
		/* As vnet_tx_post() publishes a descriptor: slot, then index. */
		smp_store_release(&q->tx_ring.prod, 2);
	}
	vnet_tx_hw_stop(q);
	local_bh_disable();
	local_irq_save(flags);
	vnet_tx_doorbell(q);
	local_irq_restore(flags);
	local_bh_enable();
	usleep_range(20000, 30000);	/* time for the timer's ring */
	/* Before the queue's memory goes: nothing may fire on it later. */
	hrtimer_cancel(&q->tx_netpoll_timer);
	done_stopped = READ_ONCE(q->tx_hw_done);
	/* What was not sent is still an skb in its slot. */
	q->tx_ring.cons = done_stopped;
	vnet_ring_drain(&q->tx_ring);
	vnet_ring_free(&q->tx_ring);
	KUNIT_EXPECT_EQ_MSG(test, done_irqs_off, 0U,
			    "the doorbell ran the engine with IRQs off");
	KUNIT_EXPECT_TRUE_MSG(test, pending, "the doorbell started no timer");
	KUNIT_EXPECT_EQ_MSG(test, done, 1U, "the timer's doorbell did not send the frame");
	KUNIT_EXPECT_EQ_MSG(test, done_stopped, done, "a stopped engine sent a frame");
	KUNIT_EXPECT_NOT_NULL(test, skb);
}

/*
 * ndo_xdp_xmit picks its queue from num_queues read without RTNL (issue
 * 22, defect 7): the queue may have been taken out of use by ethtool -L
 * meanwhile. When the defect was found, ethtool -L freed the rings of such
 * a queue with vnet_ring_free() - slots NULL, the size kept - and a late
 * sender wrote into the ring that was gone. A queue without rings must
 * take nothing: the frames are refused and counted. Both queues of the
 * device are in that state here, so that the one the sending CPU picks is.
 * (Today a channel change also lowers num_queues and waits for the data
 * path in synchronize_net() before releasing a queue, and the released
 * ring is all zeroes: this check is the second line of defence.) The
 * frame's data is a page, which a sender that took it (wrongly) frees as
 * a page-shared XDP frame is freed: a regression oopses on the ring, it
 * does not corrupt the slab first.
 */
static void vnet_xdp_test_xmit_queue_gone(struct kunit *test)
{
	struct xdp_frame *frame, *frames[1];
	struct net_device *dev;
	struct vnet_priv *priv;
	struct page *page;
	u64 errors = 0;
	int i, sent;

	dev = alloc_etherdev_mq(sizeof(*priv), 2);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	priv = netdev_priv(dev);
	priv->dev = dev;
	priv->queues = kunit_kcalloc(test, 2, sizeof(*priv->queues), GFP_KERNEL);
	frame = kunit_kzalloc(test, sizeof(*frame), GFP_KERNEL);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!priv->queues || !frame || !page) {
		if (page)
			__free_page(page);
		free_netdev(dev);
		KUNIT_FAIL(test, "no memory for the test");
		return;
	}
	frame->data = page_address(page);
	frame->len = ETH_ZLEN;
	priv->num_queues = 2;
	for (i = 0; i < 2; i++) {
		struct vnet_queue *q = &priv->queues[i];

		q->priv = priv;
		q->index = i;
		vnet_wire_set(q, &vnet_wire_sink);
		/* Made and released, as ethtool -L leaves a removed queue. */
		if (vnet_ring_alloc(&q->tx_ring, 8) == 0)
			vnet_ring_free(&q->tx_ring);
	}
	/* Running, as ndo_xdp_xmit's callers see it. */
	set_bit(__LINK_STATE_START, &dev->state);
	frames[0] = frame;
	local_bh_disable();
	sent = vnet_xdp_xmit(dev, 1, frames, XDP_XMIT_FLUSH);
	local_bh_enable();
	for (i = 0; i < 2; i++)
		errors += atomic64_read(&priv->queues[i].xdp_xmit_stats.xmit_errors);
	clear_bit(__LINK_STATE_START, &dev->state);
	free_netdev(dev);
	/* A refused frame stays the caller's. */
	if (!sent)
		__free_page(page);
	KUNIT_EXPECT_EQ_MSG(test, sent, 0, "a queue without rings took a frame");
	KUNIT_EXPECT_EQ(test, errors, 1ULL);
}

/*
 * A link flap against a peer that stops (issue 22, item 9). The flap
 * timer looks at the peer - running - and turns both carriers on; the
 * core marks a stopping device not running before its ndo_stop turns the
 * carrier off. A stop that falls between the look and the carrier-on
 * would leave a stopped peer with its carrier on, unless the timer looks
 * again after it. The stop is played there by a kprobe on
 * netif_carrier_on(): when the timer turns the device's carrier on, the
 * peer stops (its running mark cleared, its carrier turned off) - the
 * interleaving that the race needs, every time.
 */
static struct net_device *vnet_flap_test_dev, *vnet_flap_test_peer;

static int vnet_flap_test_peer_stops(struct kprobe *p, struct pt_regs *regs)
{
	struct net_device *dev = (void *)regs_get_kernel_argument(regs, 0);
	struct net_device *peer = READ_ONCE(vnet_flap_test_peer);

	if (dev != READ_ONCE(vnet_flap_test_dev) || !peer)
		return 0;
	if (test_and_clear_bit(__LINK_STATE_START, &peer->state))
		netif_carrier_off(peer);	/* its ndo_stop */
	return 0;
}

static void vnet_fault_test_flap_vs_stop(struct kunit *test)
{
	struct kprobe kp = {
		.symbol_name = "netif_carrier_on",
		.pre_handler = vnet_flap_test_peer_stops,
	};
	struct net_device *dev, *peer;
	struct vnet_priv *priv;
	bool peer_on, dev_on;

	if (!IS_ENABLED(CONFIG_KPROBES))
		kunit_skip(test, "no kprobes in this kernel");
	dev = alloc_etherdev(sizeof(*priv));
	peer = alloc_etherdev(sizeof(*priv));
	if (!dev || !peer) {
		if (dev)
			free_netdev(dev);
		if (peer)
			free_netdev(peer);
		KUNIT_FAIL(test, "no memory for the test");
		return;
	}
	priv = netdev_priv(dev);
	priv->dev = dev;
	/* An hour: the timer re-armed by the tick does not fire meanwhile. */
	priv->flap_ms = 3600000;
	vnet_fault_init(priv);		/* max_queues 0: the flap timer only */
	rcu_assign_pointer(priv->peer, peer);
	/* Both carriers off (a flap's off phase), the peer running. */
	netif_carrier_off(dev);
	netif_carrier_off(peer);
	set_bit(__LINK_STATE_START, &peer->state);
	WRITE_ONCE(vnet_flap_test_dev, dev);
	WRITE_ONCE(vnet_flap_test_peer, peer);
	if (register_kprobe(&kp)) {
		KUNIT_FAIL(test, "cannot probe netif_carrier_on()");
	} else {
		local_bh_disable();
		priv->flap_timer.function(&priv->flap_timer);	/* a tick */
		local_bh_enable();
		unregister_kprobe(&kp);
	}
	WRITE_ONCE(vnet_flap_test_dev, NULL);
	WRITE_ONCE(vnet_flap_test_peer, NULL);
	timer_delete_sync(&priv->flap_timer);
	peer_on = netif_carrier_ok(peer);
	dev_on = netif_carrier_ok(dev);
	KUNIT_EXPECT_FALSE(test, netif_running(peer));
	free_netdev(peer);
	free_netdev(dev);
	KUNIT_EXPECT_FALSE_MSG(test, peer_on, "a stopped peer was left with its carrier on");
	KUNIT_EXPECT_FALSE(test, dev_on);
}

/*
 * The pointer to a queue's wire and the pointer to its far side change
 * apart (vnet_wire.h): a reader may see a pair's wire while the pair is
 * being made or deleted, with no peer. That wire then behaves as the
 * sink: it consumes what it is given (counted delivered to nobody, so no
 * interrupt is raised for it), offers no flow control, takes no XDP
 * frames.
 */
static void vnet_wire_test_no_far_side(struct kunit *test)
{
	struct xdp_frame *frames[1];
	struct vnet_ring *ring;
	struct vnet_priv *priv;
	struct vnet_queue *q;
	struct sk_buff *skb;
	struct vnet_wire w;
	bool taken;
	unsigned int xdp;
	void *far;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	q = vnet_test_queue(test);
	KUNIT_ASSERT_NOT_NULL(test, priv);
	KUNIT_ASSERT_NOT_NULL(test, q);
	skb = alloc_skb(ETH_ZLEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, ETH_ZLEN);
	q->priv = priv;			/* priv->peer: NULL, as in dellink */
	vnet_wire_set(q, &vnet_wire_peer);
	/* Offered, and never looked at without a far side. */
	frames[0] = NULL;
	local_bh_disable();
	rcu_read_lock();
	vnet_wire_open(&w, rcu_dereference(q->wire), q);
	far = w.to;
	ring = w.ops->ring(&w);
	xdp = w.ops->xmit_xdp(&w, frames, ARRAY_SIZE(frames));
	/* Ownership: the wire's, whatever it makes of it. */
	taken = vnet_wire_deliver(&w, skb, false);
	/*
	 * done would look for a receiver that is not there: close only if
	 * nothing was counted delivered (else the expectation below fails
	 * instead of the kernel oopsing).
	 */
	if (!w.delivered)
		vnet_wire_close(&w);
	rcu_read_unlock();
	local_bh_enable();
	KUNIT_EXPECT_NULL(test, far);
	KUNIT_EXPECT_NULL_MSG(test, ring, "flow control towards no peer");
	KUNIT_EXPECT_EQ(test, xdp, 0U);
	KUNIT_EXPECT_TRUE_MSG(test, taken, "a frame for no peer counted as a wire drop");
	KUNIT_EXPECT_EQ(test, w.delivered, 0U);
}

static struct kunit_case vnet_ring_cases[] = {
	KUNIT_CASE(vnet_ring_test_alloc_limits),
	KUNIT_CASE(vnet_ring_test_wrap),
	KUNIT_CASE(vnet_ring_test_distance),
	{}
};

static struct kunit_suite vnet_ring_suite = {
	.name = "vnet_ring",
	.test_cases = vnet_ring_cases,
};

static struct kunit_case vnet_frame_cases[] = {
	KUNIT_CASE(vnet_synth_test_arp),
	KUNIT_CASE(vnet_classify_test),
	KUNIT_CASE(vnet_skb_class_test),
	KUNIT_CASE(vnet_size_bucket_test),
	{}
};

static struct kunit_suite vnet_frame_suite = {
	.name = "vnet_frame",
	.test_cases = vnet_frame_cases,
};

static struct kunit_case vnet_tx_hw_cases[] = {
	KUNIT_CASE(vnet_tx_hw_test_stop_final),
	KUNIT_CASE(vnet_tx_hw_test_ringless_peer),
	KUNIT_CASE(vnet_tx_hw_test_doorbell_polled),
	KUNIT_CASE(vnet_tx_hw_test_doorbell_polled_delay),
	KUNIT_CASE(vnet_tx_hw_test_netpoll_doorbell),
	{}
};

static struct kunit_suite vnet_tx_hw_suite = {
	.name = "vnet_tx_hw",
	.test_cases = vnet_tx_hw_cases,
};

static struct kunit_case vnet_rx_hw_cases[] = {
	KUNIT_CASE(vnet_rx_hw_test_completion),
	{}
};

static struct kunit_suite vnet_rx_hw_suite = {
	.name = "vnet_rx_hw",
	.test_cases = vnet_rx_hw_cases,
};

static struct kunit_case vnet_fault_cases[] = {
	KUNIT_CASE(vnet_fault_test_flap_vs_stop),
	{}
};

static struct kunit_suite vnet_fault_suite = {
	.name = "vnet_fault",
	.test_cases = vnet_fault_cases,
};

static struct kunit_case vnet_xdp_cases[] = {
	KUNIT_CASE(vnet_xdp_test_xmit_queue_gone),
	{}
};

static struct kunit_suite vnet_xdp_suite = {
	.name = "vnet_xdp",
	.test_cases = vnet_xdp_cases,
};

static struct kunit_case vnet_wire_cases[] = {
	KUNIT_CASE(vnet_wire_test_no_far_side),
	{}
};

static struct kunit_suite vnet_wire_suite = {
	.name = "vnet_wire",
	.test_cases = vnet_wire_cases,
};

kunit_test_suites(&vnet_ring_suite, &vnet_frame_suite, &vnet_tx_hw_suite,
		  &vnet_rx_hw_suite, &vnet_xdp_suite, &vnet_fault_suite,
		  &vnet_wire_suite);
