// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_netdev.c - the net_device: ndo_init/uninit, open/stop,
 * reconfiguration, the TX watchdog's reset, and netdev ops (the device is
 * set up and made in vnet_link.c).
 *
 * Rings exist only while the device is up, as on hardware whose DMA memory
 * is allocated in ndo_open; counters live as long as the device. A NAPI
 * context exists for each queue pair in use (ethtool -L) while the device
 * is up, as veth's: threaded NAPI, busy polling and the netdev netlink
 * family walk the device's NAPI list, and on 7.2 turning threaded NAPI
 * off waits for each NAPI on it to be idle or polled by its thread - a
 * disabled one (a queue out of use, a device that is down) never is.
 *
 * Every change of the rings - ndo_open, ethtool -G and -L, the reset after
 * a TX timeout - is made in two steps, as a NIC driver reallocates its
 * descriptor rings: first everything new is allocated while the old rings
 * keep running (vnet_reconf_prepare()); only then are the queues stopped
 * and the new resources put in place (vnet_reconf_commit()), which cannot
 * fail. A failed allocation leaves the device as it was, working.
 */
#include <linux/error-injection.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "vnet.h"
#include "vnet_xdp.h"
#include "vnet_trace.h"

/* Counts every vnet device ever made: a stable id for MAC and bus-info. */
static atomic_t vnet_next_id = ATOMIC_INIT(0);

/*
 * struct vnet_reconf - what a change of the rings needs, allocated first
 * @tx_size: TX descriptors per queue after the change
 * @rx_size: RX descriptors per queue after the change
 * @count: queue pairs in use after the change
 * @running: the queues run after the change (they need rings)
 * @tx: new TX rings, for the queues whose ring is missing or resized
 * @rx: new RX rings, likewise
 * @xdp_up: the queue was made known to XDP for the change
 * @napi_added: the queue's NAPI was added for the change (it comes into use,
 *	or the device up)
 */
struct vnet_reconf {
	u32 tx_size;
	u32 rx_size;
	u16 count;
	bool running;
	struct vnet_ring tx[VNET_MAX_QUEUES];
	struct vnet_ring rx[VNET_MAX_QUEUES];
	bool xdp_up[VNET_MAX_QUEUES];
	bool napi_added[VNET_MAX_QUEUES];
};

/*
 * The plan of a change, empty. Its own function so that the debug kernel's
 * fail_function can make the first allocation of any change fail (the
 * torture test does).
 */
static noinline struct vnet_reconf *vnet_reconf_alloc(void)
{
	return kzalloc(sizeof(struct vnet_reconf), GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(vnet_reconf_alloc, NULL);

static struct vnet_reconf *vnet_reconf_new(struct vnet_priv *priv, u32 tx_size,
					   u32 rx_size, u16 count, bool running)
{
	struct vnet_reconf *rc = vnet_reconf_alloc();

	if (!rc)
		return NULL;
	rc->tx_size = tx_size;
	rc->rx_size = rx_size;
	rc->count = count;
	rc->running = running;
	return rc;
}

/*
 * Tell the core which NAPI serves queue @q's RX and TX (netdev netlink's
 * queue-get reports it), or that none does (@napi NULL): a queue pair has
 * one NAPI, as on NICs whose vector serves both.
 */
static void vnet_queue_set_napi(struct vnet_queue *q, struct napi_struct *napi)
{
	netif_queue_set_napi(q->priv->dev, q->index, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(q->priv->dev, q->index, NETDEV_QUEUE_TYPE_TX, napi);
}

/* Undo vnet_reconf_prepare(): nothing of it was put in place. */
static void vnet_reconf_abort(struct vnet_priv *priv, struct vnet_reconf *rc)
{
	u16 i;

	for (i = 0; i < rc->count; i++) {
		struct vnet_queue *q = &priv->queues[i];

		vnet_ring_free(&rc->tx[i]);
		vnet_ring_free(&rc->rx[i]);
		if (rc->xdp_up[i])
			vnet_xdp_queue_down(q);
		if (rc->napi_added[i]) {
			vnet_queue_set_napi(q, NULL);
			netif_napi_del(&q->napi);
			q->napi_listed = false;
		}
	}
	kfree(rc);
}

/*
 * Allocate everything the change needs while the queues keep running:
 * a NAPI for each queue coming into use, rings for each queue that has
 * none or whose size changes, and XDP's view of each queue that has none.
 * Return: 0, or a negative errno with nothing changed (@rc is freed).
 */
static int vnet_reconf_prepare(struct vnet_priv *priv, struct vnet_reconf *rc)
{
	int err = 0;
	u16 i;

	for (i = 0; i < rc->count; i++) {
		struct vnet_queue *q = &priv->queues[i];

		if (!rc->running)
			continue;
		if (!q->napi_listed) {
			/*
			 * The queue's NAPI keeps its settings (napi-set of
			 * netdev netlink, IRQ deferral) and its id across
			 * down/up and channel changes, as a NIC's vector does.
			 */
			netif_napi_add_config(priv->dev, &q->napi, vnet_napi_poll,
					      q->index);
			vnet_queue_set_napi(q, &q->napi);
			q->napi_listed = true;
			rc->napi_added[i] = true;
		}
		if (!q->tx_ring.slots || q->tx_ring.size != rc->tx_size) {
			err = vnet_ring_alloc(&rc->tx[i], rc->tx_size);
			if (err)
				goto err_abort;
		}
		if (!q->rx_ring.slots || q->rx_ring.size != rc->rx_size) {
			err = vnet_rx_ring_alloc(&rc->rx[i], rc->rx_size);
			if (err)
				goto err_abort;
		}
		if (!q->xdp_pool) {
			err = vnet_xdp_queue_up(q, rc->rx_size);
			if (err)
				goto err_abort;
			rc->xdp_up[i] = true;
		}
	}
	return 0;

err_abort:
	vnet_reconf_abort(priv, rc);
	return err;
}

/*
 * Put @ring (empty, or a ring with no slots) in the place of the queue's
 * TX ring, and leave the old one in @ring. The TX ring's producers - xmit
 * and XDP's transmit - hold the txq lock, the engine its own lock: both
 * are taken, so that none sees a ring half replaced.
 */
static void vnet_queue_swap_tx(struct vnet_queue *q, struct vnet_ring *ring)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->priv->dev, q->index);

	__netif_tx_lock_bh(txq);
	spin_lock(&q->tx_hw_lock);
	swap(q->tx_ring, *ring);
	q->tx_hw_done = q->tx_ring.cons;
	spin_unlock(&q->tx_hw_lock);
	__netif_tx_unlock_bh(txq);
}

/*
 * The same for the RX ring, whose producers (a pair's peer, a /dev/vnet
 * writer, the synthetic source) take rx_lock: a producer sees the old
 * ring, or the new one with its own size and counters, or none (down).
 * The queue is stopped, but its producers are not: what they put in the
 * old ring since vnet_queues_stop() flushed it is dropped here, once no
 * producer can reach it, and counted as flushed (NAPI is disabled: the
 * caller is the napi_stats writer).
 */
static void vnet_queue_swap_rx(struct vnet_queue *q, struct vnet_ring *ring)
{
	unsigned int late;

	spin_lock_bh(&q->rx_lock);
	swap(q->rx_ring, *ring);
	WRITE_ONCE(q->rx_coal_mark, q->rx_ring.prod);
	spin_unlock_bh(&q->rx_lock);
	late = vnet_ring_drain(ring);
	if (!late)
		return;
	trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_FLUSH, late);
	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.rx_flushed, late);
	u64_stats_update_end(&q->napi_stats.syncp);
}

/*
 * Free whatever is left on the emulated wire (the fault delay lines) and in
 * the rings, counting it as dropped. The rings themselves stay.
 */
static void vnet_queue_flush(struct vnet_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->priv->dev, q->index);
	unsigned int tx = 0, rx = 0;

	/* What the engine sent is counted as sent; the rest is flushed. */
	vnet_tx_reclaim(q);
	vnet_fault_queue_down(q, &tx, &rx);
	spin_lock_bh(&q->rx_lock);	/* keep producers out while slots go */
	rx += vnet_ring_drain(&q->rx_ring);
	spin_unlock_bh(&q->rx_lock);
	/* XDP's transmit refuses a stopped queue, but under this lock. */
	__netif_tx_lock_bh(txq);
	tx += vnet_ring_drain(&q->tx_ring);
	__netif_tx_unlock_bh(txq);
	if (tx + rx)
		trace_vnet_drop(q->priv->dev, q->index, VNET_DROP_FLUSH, tx + rx);

	/* NAPI is disabled: we are the napi_stats writer now. */
	u64_stats_update_begin(&q->napi_stats.syncp);
	u64_stats_add(&q->napi_stats.tx_flushed, tx);
	u64_stats_add(&q->napi_stats.rx_flushed, rx);
	u64_stats_update_end(&q->napi_stats.syncp);
}

/*
 * The queues' rings came or went, or this end changed state (up, down, a
 * reset): what waits on the far side of its wires (a peer's blocked
 * senders, a /dev/vnet reader or writer) looks again.
 */
static void vnet_wires_changed(struct vnet_priv *priv)
{
	u16 i;

	local_bh_disable();
	for (i = 0; i < priv->max_queues; i++)
		vnet_wire_changed(&priv->queues[i]);
	local_bh_enable();
}

/*
 * Stop every queue in use, in dependency order: the traffic source; NAPI,
 * the only one that wakes TX queues; the TX queues, which wait for running
 * xmits; then the simulated hardware; and flush what the rings hold. The
 * rings and XDP's view of the queues stay, for vnet_queues_start() or
 * vnet_queue_release().
 */
static void vnet_queues_stop(struct vnet_priv *priv)
{
	u16 i;

	vnet_synth_stop(priv);
	for (i = 0; i < priv->num_queues; i++)
		napi_disable(&priv->queues[i].napi);
	netif_tx_disable(priv->dev);
	for (i = 0; i < priv->num_queues; i++) {
		struct vnet_queue *q = &priv->queues[i];

		vnet_tx_hw_stop(q);
		vnet_rx_irq_stop(q);
		vnet_queue_flush(q);
		netdev_tx_reset_queue(netdev_get_tx_queue(priv->dev, q->index));
	}
}

/* Start the queues in use, whose rings are in place: traffic flows. */
static void vnet_queues_start(struct vnet_priv *priv)
{
	u16 i;

	for (i = 0; i < priv->num_queues; i++) {
		struct vnet_queue *q = &priv->queues[i];

		/* The engine has completed nothing of the (empty) ring. */
		q->tx_hw_done = q->tx_ring.cons;
		WRITE_ONCE(q->rx_coal_mark, READ_ONCE(q->rx_ring.prod));
		q->irq_deferred = false;
		netdev_tx_reset_queue(netdev_get_tx_queue(priv->dev, q->index));
		vnet_tx_hw_start(q);
		napi_enable(&q->napi);
	}
	netif_tx_start_all_queues(priv->dev);
	/*
	 * A producer may have filled an RX ring (and raised an interrupt
	 * that a still disabled NAPI ignored) while the queues were
	 * stopped: poll each queue once, as a NIC driver re-arms its
	 * interrupts after enabling them, so that no frame waits for the
	 * next interrupt.
	 */
	local_bh_disable();
	for (i = 0; i < priv->num_queues; i++)
		napi_schedule(&priv->queues[i].napi);
	local_bh_enable();
	vnet_synth_start(priv);
}

/*
 * Release a stopped queue's rings and XDP's view of it (the device goes
 * down, or the queue out of use). Producers find no ring from then on.
 */
static void vnet_queue_release(struct vnet_queue *q)
{
	struct vnet_ring none = {};

	vnet_queue_swap_tx(q, &none);
	vnet_ring_free(&none);
	vnet_queue_swap_rx(q, &none);
	vnet_ring_free(&none);
	if (q->xdp_pool)
		vnet_xdp_queue_down(q);
}

/*
 * A queue's NAPI goes (the device goes down, or the queue out of use): no
 * interrupt of the queue is still on its way, and the synchronize_net()
 * in netif_napi_del() waits for an IPI handler that may still be about to
 * napi_schedule() it.
 */
static void vnet_queue_napi_del(struct vnet_queue *q)
{
	vnet_queue_irq_sync(q);
	if (q->napi_listed) {
		vnet_queue_set_napi(q, NULL);
		netif_napi_del(&q->napi);
		q->napi_listed = false;
	}
}

/*
 * Put what vnet_reconf_prepare() allocated in place; the queues are
 * stopped (or the device is down). Cannot fail.
 */
static void vnet_reconf_commit(struct vnet_priv *priv, struct vnet_reconf *rc)
{
	u16 old = priv->num_queues;
	u16 i;

	priv->tx_ring_size = rc->tx_size;
	priv->rx_ring_size = rc->rx_size;
	/* The new rings first: a queue coming into use has them when seen. */
	for (i = 0; i < rc->count; i++) {
		struct vnet_queue *q = &priv->queues[i];

		if (rc->tx[i].slots) {
			vnet_queue_swap_tx(q, &rc->tx[i]);
			vnet_ring_free(&rc->tx[i]);
		}
		if (rc->rx[i].slots) {
			vnet_queue_swap_rx(q, &rc->rx[i]);
			vnet_ring_free(&rc->rx[i]);
		}
	}
	/*
	 * Queues going out of use: the data path picks a queue from
	 * num_queues under RCU (a peer's RX queue, ndo_xdp_xmit's queue);
	 * once readers of the old count are done, none reaches them.
	 */
	WRITE_ONCE(priv->num_queues, rc->count);
	if (rc->count < old)
		synchronize_net();
	for (i = rc->count; i < old; i++) {
		struct vnet_queue *q = &priv->queues[i];

		vnet_queue_release(q);
		vnet_queue_napi_del(q);
	}
	kfree(rc);
}

/* Bring up the rings and NAPI of every queue in use, then start traffic. */
static int vnet_up(struct vnet_priv *priv)
{
	struct vnet_reconf *rc;
	int err;

	rc = vnet_reconf_new(priv, priv->tx_ring_size, priv->rx_ring_size,
			     priv->num_queues, true);
	if (!rc)
		return -ENOMEM;
	err = vnet_reconf_prepare(priv, rc);
	if (err)
		return err;
	vnet_reconf_commit(priv, rc);
	vnet_queues_start(priv);
	return 0;
}

/* Stop the queues and release their rings. */
static void vnet_down(struct vnet_priv *priv)
{
	u16 i;

	vnet_queues_stop(priv);
	for (i = 0; i < priv->num_queues; i++) {
		vnet_queue_release(&priv->queues[i]);
		vnet_queue_napi_del(&priv->queues[i]);
	}
}

/*
 * ndo_get_iflink: the peer's ifindex (`ip link`: A@B); a standalone
 * device's own, as for any NIC. Context: any; takes the RCU read lock.
 */
static int vnet_get_iflink(const struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int ifindex = dev->ifindex;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (peer)
		ifindex = peer->ifindex;
	rcu_read_unlock();
	return ifindex;
}

/**
 * vnet_pair_carrier() - a pair's carrier is up only while both ends are up
 * @dev: the end that just opened or stopped (a standalone device: nothing)
 *
 * Context: process context, RTNL held.
 */
void vnet_pair_carrier(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return;
	if (netif_running(dev) && netif_running(peer)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	} else {
		netif_carrier_off(dev);
		netif_carrier_off(peer);
	}
}

/*
 * The end of a reset (ring or channel change, TX watchdog): the queues run
 * again, and what the qdisc took while they were stopped must go out now.
 * vnet_queues_start() started the queues, which only clears their stop
 * bits; the qdisc runs again at its next enqueue, and a sender blocked on
 * its full socket buffer never makes one. So the qdisc is rescheduled
 * here, as the core does itself after ndo_open (dev_activate()); and the
 * peer's senders are kicked, to re-evaluate this end.
 */
static void vnet_reset_done(struct vnet_priv *priv)
{
	netif_tx_schedule_all(priv->dev);
	vnet_wires_changed(priv);
}

static int vnet_open(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	int err;

	err = vnet_up(priv);
	if (err)
		return err;
	if (rtnl_dereference(priv->peer))
		vnet_pair_carrier(dev);
	else
		netif_carrier_on(dev);
	vnet_wires_changed(priv);
	vnet_fault_open(priv);
	netif_info(priv, ifup, dev, "up: %u queues, rings tx %u rx %u\n",
		   priv->num_queues, priv->tx_ring_size, priv->rx_ring_size);
	return 0;
}

static int vnet_stop(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	vnet_fault_stop(priv);
	netif_carrier_off(dev);
	vnet_pair_carrier(dev);
	vnet_down(priv);
	/*
	 * Frames the peer holds for us are now completed and dropped;
	 * /dev/vnet readers and writers learn that the device is down.
	 */
	vnet_wires_changed(priv);
	netif_info(priv, ifdown, dev, "down\n");
	return 0;
}

/**
 * vnet_rings_reconfigure() - change the ring sizes, live if the device is up
 * @priv: the device
 * @tx_size: new TX descriptors per queue
 * @rx_size: new RX descriptors per queue
 * @extack: where to say why it failed, or NULL
 *
 * The new rings are allocated first; a running device is then quiesced
 * like a NIC being reset: frames in flight are flushed (counted as
 * dropped), the new rings put in place and traffic resumes. With the same
 * sizes this is the reset after a TX timeout: the rings are emptied and
 * kept, nothing is allocated, and it cannot fail. If the new rings cannot
 * be allocated, nothing changes.
 *
 * Context: process context, RTNL held.
 * Return: 0 or a negative errno (the device unchanged).
 */
int vnet_rings_reconfigure(struct vnet_priv *priv, u32 tx_size, u32 rx_size,
			   struct netlink_ext_ack *extack)
{
	bool running = netif_running(priv->dev);
	struct vnet_reconf *rc;
	int err;

	ASSERT_RTNL();
	if (tx_size == priv->tx_ring_size && rx_size == priv->rx_ring_size) {
		/* A reset: the rings stay, emptied; nothing to allocate. */
		if (running) {
			vnet_queues_stop(priv);
			vnet_queues_start(priv);
			vnet_reset_done(priv);
		}
		return 0;
	}
	rc = vnet_reconf_new(priv, tx_size, rx_size, priv->num_queues, running);
	if (!rc) {
		err = -ENOMEM;
		goto err_msg;
	}
	err = vnet_reconf_prepare(priv, rc);
	if (err)
		goto err_msg;
	if (running)
		vnet_queues_stop(priv);
	vnet_reconf_commit(priv, rc);
	if (running) {
		vnet_queues_start(priv);
		vnet_reset_done(priv);
	}
	return 0;

err_msg:
	NL_SET_ERR_MSG_MOD(extack, "cannot allocate the new rings: the old ones stay");
	return err;
}

/*
 * ndo_init: called by register_netdevice(), for every vnet device however
 * it was made. Queue state for every possible channel is allocated here and
 * lives until ndo_uninit, so counters survive down/up and channel changes;
 * NAPI contexts exist for the queues in use.
 */
static int vnet_dev_init(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u8 mac[ETH_ALEN] = { 0x02, 0x76, 0x6e };
	u16 i;

	/* Queue pairs (vnet_validate() says so to a request that differs). */
	if (WARN_ON_ONCE(dev->num_tx_queues != dev->num_rx_queues))
		return -EINVAL;
	priv->dev = dev;
	priv->id = atomic_inc_return(&vnet_next_id) - 1;
	priv->msg_enable = netif_msg_init(-1, NETIF_MSG_DRV | NETIF_MSG_LINK |
					  NETIF_MSG_IFUP | NETIF_MSG_IFDOWN);
	priv->tx_ring_size = VNET_RING_DEFAULT;
	priv->rx_ring_size = VNET_RING_DEFAULT;
	priv->max_queues = dev->num_tx_queues;
	priv->queues = kcalloc(priv->max_queues, sizeof(*priv->queues), GFP_KERNEL);
	if (!priv->queues)
		return -ENOMEM;
	if (is_zero_ether_addr(dev->dev_addr)) {
		/* Deterministic and locally administered: 02:76:6e ("vn") + id. */
		mac[3] = priv->id >> 16;
		mac[4] = priv->id >> 8;
		mac[5] = priv->id;
		eth_hw_addr_set(dev, mac);
	}
	for (i = 0; i < priv->max_queues; i++) {
		struct vnet_queue *q = &priv->queues[i];

		q->priv = priv;
		q->index = i;
		q->irq_cpu = -1;
		spin_lock_init(&q->rx_lock);
		spin_lock_init(&q->xdp_pool_lock);
		u64_stats_init(&q->napi_stats.syncp);
		u64_stats_init(&q->xmit_stats.syncp);
		u64_stats_init(&q->rxhw_stats.syncp);
		vnet_tx_hw_init(q);
		vnet_rx_irq_init(q);
		vnet_wire_set(q, &vnet_wire_sink);
	}
	priv->num_queues = dev->real_num_tx_queues;
	vnet_fault_init(priv);
	vnet_synth_init(priv);
	netif_carrier_off(dev);
	return 0;
}

/* ndo_uninit: undo vnet_dev_init(); the device is down and unlisted. */
static void vnet_dev_uninit(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);
	u16 i;

	/* Files attached to our queues let go of them (and are woken). */
	for (i = 0; i < priv->max_queues; i++) {
		vnet_wire_release(&priv->queues[i]);
		/* A file left attached would outlive the queue it points at. */
		WARN_ON_ONCE(rcu_access_pointer(priv->queues[i].port));
	}
	vnet_fault_uninit(priv);
	for (i = 0; i < priv->max_queues; i++) {
		/*
		 * No engine timer nor moderated interrupt is pending, and no
		 * IPI is queued.
		 */
		vnet_tx_hw_stop(&priv->queues[i]);
		vnet_rx_irq_stop(&priv->queues[i]);
		vnet_queue_irq_sync(&priv->queues[i]);
	}
	/*
	 * The device is down: its NAPIs went with vnet_down(). An IPI's
	 * handler runs in hard IRQ context, an RCU read-side critical
	 * section: one grace period more, and none is left to touch the
	 * queues.
	 */
	synchronize_net();
	kfree(priv->queues);
	priv->queues = NULL;
}

/**
 * vnet_channels_reconfigure() - change the number of queue pairs in use
 * @priv: the device
 * @count: queue pairs, 1..max_queues (checked by the ethtool core)
 *
 * Like a ring resize, what the new queues need is allocated first, then a
 * running device is reset around the change; frames in flight are flushed
 * and counted. Counters of queues taken out of use stay in the totals;
 * their NAPI contexts go. If anything cannot be allocated, nothing changes.
 *
 * Context: process context, RTNL held.
 * Return: 0 or a negative errno; -EBUSY if a queue to be taken out of use
 * has a /dev/vnet file attached; -EINVAL if XDP on a pair needs another
 * count (vnet_xdp_check_channels()).
 */
int vnet_channels_reconfigure(struct vnet_priv *priv, u16 count)
{
	struct net_device *dev = priv->dev;
	bool running = netif_running(dev);
	u16 old = priv->num_queues;
	struct vnet_reconf *rc;
	int err;
	u16 i;

	ASSERT_RTNL();
	for (i = count; i < old; i++)
		if (rtnl_dereference(priv->queues[i].port))
			return -EBUSY;	/* a /dev/vnet file is that queue's wire */
	err = vnet_xdp_check_channels(priv, count);
	if (err)
		return err;
	rc = vnet_reconf_new(priv, priv->tx_ring_size, priv->rx_ring_size, count,
			     running);
	if (!rc)
		return -ENOMEM;
	err = vnet_reconf_prepare(priv, rc);
	if (err)
		return err;
	if (running)
		vnet_queues_stop(priv);
	err = netif_set_real_num_tx_queues(dev, count);
	if (!err) {
		err = netif_set_real_num_rx_queues(dev, count);
		if (err)
			netif_set_real_num_tx_queues(dev, old);
	}
	if (err) {
		/* The old queues, stopped but whole, run on. */
		vnet_reconf_abort(priv, rc);
	} else {
		vnet_reconf_commit(priv, rc);
	}
	if (running) {
		vnet_queues_start(priv);
		vnet_reset_done(priv);
	}
	return err;
}

/* Resets (after a TX timeout) run here; vnet_main.c creates it. */
struct workqueue_struct *vnet_wq;

/*
 * A reset that ndo_tx_timeout asked for, on its way: it holds a (tracked)
 * reference on the device, so that a device removed meanwhile stays until
 * the reset ran. One at a time (priv->reset_queued); each has its own
 * tracker, so that a reset asked for while the last one is finishing never
 * shares one.
 */
struct vnet_reset {
	struct work_struct work;
	struct net_device *dev;
	netdevice_tracker tracker;
};

/* The reset ndo_tx_timeout asked for: the queues are brought down and up. */
static void vnet_reset_work(struct work_struct *work)
{
	struct vnet_reset *r = container_of(work, struct vnet_reset, work);
	struct net_device *dev = r->dev;
	struct vnet_priv *priv = netdev_priv(dev);

	rtnl_lock();
	clear_bit(0, &priv->reset_queued);
	if (dev->reg_state == NETREG_REGISTERED && netif_running(dev)) {
		/* A reset clears a stalled engine. */
		WRITE_ONCE(priv->tx_stall, false);
		/* The same sizes: the rings are kept, this cannot fail. */
		vnet_rings_reconfigure(priv, priv->tx_ring_size,
				       priv->rx_ring_size, NULL);
		netif_info(priv, tx_err, dev, "reset: TX recovered\n");
	}
	rtnl_unlock();
	netdev_put(dev, &r->tracker);
	kfree(r);
}

/**
 * vnet_tx_timeout() - ndo_tx_timeout: the watchdog saw a TX queue stuck
 * @dev: the vnet device
 * @txqueue: the stuck queue
 *
 * Counted (tx_timeouts) and answered as a NIC driver does: a reset, in
 * process context (vnet_wq), which takes RTNL (struct vnet_reset).
 *
 * Context: the watchdog timer (softirq), TX queues frozen.
 */
static void vnet_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_reset *r;

	atomic64_inc(&priv->queues[txqueue].tx_timeouts);
	netif_warn(priv, tx_err, dev, "TX queue %u timed out, resetting\n", txqueue);
	if (test_and_set_bit(0, &priv->reset_queued))
		return;		/* a reset is already on its way */
	r = kzalloc(sizeof(*r), GFP_ATOMIC);
	if (!r) {
		clear_bit(0, &priv->reset_queued);
		netif_err(priv, tx_err, dev, "no memory for the reset\n");
		return;		/* the watchdog asks again */
	}
	r->dev = dev;
	netdev_hold(dev, &r->tracker, GFP_ATOMIC);
	INIT_WORK(&r->work, vnet_reset_work);
	queue_work(vnet_wq, &r->work);
}

const struct net_device_ops vnet_netdev_ops = {
	.ndo_init		= vnet_dev_init,
	.ndo_uninit		= vnet_dev_uninit,
	.ndo_open		= vnet_open,
	.ndo_stop		= vnet_stop,
	.ndo_start_xmit		= vnet_start_xmit,
	.ndo_tx_timeout		= vnet_tx_timeout,
	.ndo_get_stats64	= vnet_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= vnet_get_iflink,
	.ndo_fix_features	= vnet_xdp_fix_features,
	.ndo_bpf		= vnet_xdp_bpf,
	.ndo_xdp_xmit		= vnet_xdp_xmit,
};

/**
 * vnet_is_vnet() - whether a net_device is driven by vnet
 * @dev: any net_device
 *
 * Context: any.
 * Return: true for vnet devices, standalone or pair ends.
 */
bool vnet_is_vnet(const struct net_device *dev)
{
	return dev->netdev_ops == &vnet_netdev_ops;
}
