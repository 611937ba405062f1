// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_chardev.c - the userspace backend: /dev/vnet.
 *
 * A process opens /dev/vnet and attaches the file to one queue of a
 * standalone vnet device (VNET_IOC_ATTACH). The file, a "port", is then
 * that queue's wire, in both directions:
 *
 *   TX  The simulated TX engine sends frames only as far as the port's
 *       frame ring has room: flow control, exactly as towards a pair's
 *       peer. It puts them on the wire (vnet_port_deliver(),
 *       vnet_port_take()): a frame that needs no work goes as the skb
 *       itself, released from its socket, and the reader's CPU frees it
 *       after copying it out, as tap's does; one that needs work (a
 *       checksum left to the "hardware", fragments, an skb shared with a
 *       socket) is copied into a buffer of the port's on the way, and its
 *       skb completed on the sending CPU. read() or VNET_IOC_RECV copies
 *       each frame out whole. A process that stops reading fills the TX
 *       ring, which stops the queue.
 *   RX  write() or VNET_IOC_SEND copies a frame into a buffer from the
 *       port's page pool, builds an skb around it (recycled into the pool
 *       when the stack frees it: vnet_port_alloc_skb()) and puts it in
 *       the queue's RX ring, then raises the RX interrupt, like the
 *       synthetic source. A full RX ring makes the writer wait (or fail
 *       with -EAGAIN): the frame is never lost.
 *
 * While any port is attached to a device its synthetic source is silent:
 * the wire is the process. Detaching (or closing) gives the queue back to
 * the standalone wire. docs/USERSPACE.md lists every errno.
 */
#include <linux/error-injection.h>
#include <linux/fs.h>
#include <linux/if_vlan.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/dst.h>
#include <net/net_namespace.h>

#include "vnet.h"

/*
 * Locking (the rest is in vnet.h):
 *
 * port (RCU)        q->port and port->queue link a queue with the
 *                   /dev/vnet file that is its wire. Written under RTNL
 *                   (attach, detach, device removal: each detach waits
 *                   in synchronize_net()); read under RCU by the queue's
 *                   TX engine, its NAPI and the file's syscalls.
 * read_lock         Per port (mutex). Serialises the readers of a port's
 *                   frame ring: it alone writes frames.cons. The ring's
 *                   producer is the attached queue's TX engine alone.
 * pool_lock         Per port (spinlock, BH off). Serialises the writers
 *                   taking buffers from the port's page pool, whose
 *                   allocation side has one user at a time; the pages
 *                   come back to the pool from any CPU without it.
 */

/**
 * struct vnet_port - an open /dev/vnet file
 * @queue: the queue this file is the wire of; NULL when not attached;
 *	written under RTNL, read under RCU
 * @dev: the attached device, under RTNL
 * @owns_dev: VNET_ATTACH_CREATE made @dev: it goes when the file closes
 * @frames: frames the queue transmitted, waiting for read(); produced by
 *	the queue's TX engine, consumed under @read_lock
 * @read_lock: serialises readers (see "Locking")
 * @wait: readers, writers and pollers waiting for frames, RX descriptors
 *	or a detach
 * @pool: buffers for the frames written, recycled when the stack frees
 *	them; NULL if it could not be made (then each is allocated)
 * @pool_lock: serialises writers taking buffers from @pool
 */
struct vnet_port {
	struct vnet_queue __rcu *queue;
	struct net_device *dev;
	bool owns_dev;
	struct vnet_ring frames;
	struct mutex read_lock;		/* @frames.cons, between readers */
	wait_queue_head_t wait;
	struct page_pool *pool;
	spinlock_t pool_lock;		/* @pool's allocation side */
};

/* Frames a port holds for its reader before the TX engine must wait. */
#define VNET_PORT_RING_SIZE	1024

/* Room before an injected frame: what the stack may want to push. */
#define VNET_PORT_HEADROOM	(NET_SKB_PAD + NET_IP_ALIGN)

/*
 * A frame the wire copied for the reader: a page fragment with the frame's
 * length and bytes, an entry of kind VNET_ENTRY_COPY in the port's frame
 * ring. The ring's other entries are skbs, each the sender's skb until it
 * is read (see vnet_port_take()).
 */
struct vnet_port_copy {
	u32 len;
	u8 data[];
};

#define VNET_PORT_COPY_MAX	(PAGE_SIZE - sizeof(struct vnet_port_copy))

/* Free a frame-ring entry: a copy, or an skb that was sent (consumed). */
static void vnet_port_entry_free(struct vnet_entry entry)
{
	if (vnet_entry_kind(entry) == VNET_ENTRY_COPY)
		skb_free_frag(vnet_entry_ptr(entry));
	else
		consume_skb(vnet_entry_to_skb(entry));
}

/*
 * A buffer for the copy of a @len-byte frame, or NULL if the frame is
 * longer than a page or there is no memory. BHs off (the TX engine).
 */
static struct vnet_port_copy *vnet_port_copy_alloc(unsigned int len)
{
	struct vnet_port_copy *c;

	if (len > VNET_PORT_COPY_MAX)
		return NULL;
	c = netdev_alloc_frag(sizeof(*c) + len);
	if (likely(c))
		c->len = len;
	return c;
}

static struct vnet_entry vnet_port_copy_entry(struct vnet_port_copy *c)
{
	return vnet_entry_make(c, VNET_ENTRY_COPY);
}

/*
 * The wire: copy a frame into a buffer of the port's (checksum offload
 * done). Return the entry, or an empty one (see vnet_port_copy_alloc()).
 */
static struct vnet_entry vnet_port_copy(const struct sk_buff *skb)
{
	struct vnet_port_copy *c = vnet_port_copy_alloc(skb->len);

	if (unlikely(!c))
		return (struct vnet_entry){};
	vnet_tx_wire_copy(skb, c->data);
	return vnet_port_copy_entry(c);
}

/* Hand an entry to the reader; the frame ring has room. Its producer only. */
static void vnet_port_put(struct vnet_port *port, struct vnet_entry entry)
{
	struct vnet_ring *ring = &port->frames;

	*vnet_ring_slot(ring, ring->prod) = entry;
	/* Pairs with the acquire in vnet_port_pending(). */
	smp_store_release(&ring->prod, vnet_ring_next(ring, ring->prod));
}

/* Frames waiting in the port's frame ring; any context. */
static u32 vnet_port_pending(struct vnet_port *port)
{
	struct vnet_ring *ring = &port->frames;
	u32 prod;

	/* Pairs with the release in vnet_port_deliver(): slot before index. */
	prod = smp_load_acquire(&ring->prod);
	return vnet_ring_distance(ring, READ_ONCE(ring->cons), prod);
}

/* Whether the attached queue's RX ring has a free descriptor. RCU held. */
static bool vnet_port_rx_room(struct vnet_queue *q)
{
	/* A hint only: rx_lock decides, in vnet_rx_inject(). */
	return READ_ONCE(q->rx_ring.slots) && vnet_ring_space(&q->rx_ring);
}

/* Wake waiters of @port for the events in @mask, if there are any. */
static void vnet_port_wake(struct vnet_port *port, __poll_t mask)
{
	/* The barrier in wq_has_sleeper() pairs with the waiter's. */
	if (wq_has_sleeper(&port->wait))
		wake_up_interruptible_poll(&port->wait, mask);
}

/*
 * A frame a reader can have as it is: in one piece, checksum complete, and
 * either not shared or owned by no socket (pktgen shares skbs it owns
 * itself), so that orphaning it changes nothing another holder sees.
 */
static bool vnet_port_frame_final(const struct sk_buff *skb)
{
	return !skb_is_nonlinear(skb) && skb->ip_summed != CHECKSUM_PARTIAL &&
	       !(skb->destructor && skb_shared(skb));
}

/*
 * A final frame leaves its sender for a reader, who may hold it
 * indefinitely: no longer charged to the sending socket (which must not
 * block on its send buffer meanwhile), and holding no route and no
 * conntrack entry (which would pin what the stack may want to free). A
 * shared skb (pktgen's) has neither and is not ours to change.
 */
static void vnet_port_release_frame(struct sk_buff *skb)
{
	skb_orphan(skb);
	if (!skb_shared(skb)) {
		skb_dst_drop(skb);
		nf_reset_ct(skb);
	}
}

/*
 * Take a frame for the reader without making it wait: the skb itself if
 * it is final - the sender's CPU does nothing more, and the reader's CPU
 * frees the skb after copying it out - or else a copy with its checksum
 * filled in, the skb completed here. Return the
 * ring entry, or an empty one for a frame that is neither (longer than a
 * page and not final, or no memory): the skb is still the caller's.
 */
static struct vnet_entry vnet_port_take(struct sk_buff *skb)
{
	struct vnet_entry entry;

	if (likely(vnet_port_frame_final(skb))) {
		vnet_port_release_frame(skb);
		return vnet_entry_skb(skb);
	}
	entry = vnet_port_copy(skb);
	if (entry.tagged)
		dev_consume_skb_any(skb);
	return entry;
}

/*
 * Give a frame vnet_port_take() refused its final form for a reader:
 * checksum filled in (the "hardware" offload), in one piece and released
 * (vnet_port_release_frame()). A shared skb is cloned first.
 */
static struct sk_buff *vnet_port_finish_frame(struct sk_buff *skb)
{
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return NULL;
	vnet_port_release_frame(skb);
	if ((skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) ||
	    skb_linearize(skb)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

/* The far side: the attached port; none while it detaches. */
static void vnet_port_wire_open(struct vnet_wire *w)
{
	w->to = rcu_dereference(w->q->port);
}

/* Flow control: the port's frame ring. */
static struct vnet_ring *vnet_port_wire_ring(struct vnet_wire *w)
{
	struct vnet_port *port = w->to;

	return port ? &port->frames : NULL;
}

/*
 * The port, as the queue's wire, takes a TX frame: it goes to the reader
 * as vnet_port_take() decides; one it refuses is given its final form here
 * (vnet_port_finish_frame()). The TX engine reserved the room
 * (vnet_tx_wire_room()), so the ring has a free slot unless the port was
 * attached while frames were in flight. The corruption fault's bad FCS
 * reaches the reader as the bytes it changed.
 * Context: the attached queue's TX engine (BH off): the frame ring's only
 * producer.
 * Return: true if the frame is queued for the reader (or, detaching, no
 * reader: consumed); false if it was dropped (the caller counts it).
 */
static bool vnet_port_deliver(struct vnet_wire *w, struct sk_buff *skb,
			      bool bad_fcs)
{
	struct vnet_port *port = w->to;
	struct vnet_entry entry;

	if (unlikely(!port)) {
		dev_consume_skb_any(skb);
		return true;
	}
	if (unlikely(!vnet_ring_space(&port->frames))) {
		dev_kfree_skb_any(skb);
		return false;
	}
	entry = vnet_port_take(skb);
	if (unlikely(!entry.tagged)) {
		skb = vnet_port_finish_frame(skb);
		if (!skb)
			return false;
		entry = vnet_entry_skb(skb);
	}
	vnet_port_put(port, entry);
	w->delivered++;
	return true;
}

/*
 * The port takes a copy of an XDP frame the TX engine sends: into a buffer
 * of its own, no skb; a frame longer than a page goes as an skb copy, as
 * the stack's frames do. The frame stays the engine's.
 * Context: the attached queue's TX engine (BH off): the frame ring's only
 * producer.
 */
static bool vnet_port_deliver_xdp(struct vnet_wire *w, const struct xdp_frame *frame)
{
	struct vnet_port *port = w->to;
	struct vnet_port_copy *c;
	struct sk_buff *skb;

	if (unlikely(!port))
		return true;		/* detaching: no reader, consumed */
	if (unlikely(!vnet_ring_space(&port->frames)))
		return false;
	c = vnet_port_copy_alloc(frame->len);
	if (likely(c)) {
		memcpy(c->data, frame->data, frame->len);
		vnet_port_put(port, vnet_port_copy_entry(c));
		w->delivered++;
		return true;
	}
	if (frame->len <= VNET_PORT_COPY_MAX)
		return false;		/* no memory */
	skb = netdev_alloc_skb(w->q->priv->dev, frame->len);
	if (unlikely(!skb))
		return false;
	skb_put_data(skb, frame->data, frame->len);
	return vnet_port_deliver(w, skb, false);
}

/* Wake the readers, once per batch. */
static void vnet_port_tx_done(struct vnet_wire *w)
{
	vnet_port_wake(w->to, EPOLLIN | EPOLLRDNORM);
}

/* NAPI freed RX descriptors: wake waiting writers. Context: BH disabled. */
static void vnet_port_rx_done(struct vnet_queue *q)
{
	struct vnet_port *port;

	rcu_read_lock();
	port = rcu_dereference(q->port);
	if (port)
		vnet_port_wake(port, EPOLLOUT | EPOLLWRNORM);
	rcu_read_unlock();
}

/* ------------------------------------------------------------------ */
/* Attach and detach (RTNL)                                            */
/* ------------------------------------------------------------------ */

/*
 * Give the queue back to the standalone wire. Readers keep the frames
 * already in the port and then see -ENXIO; waiters are woken.
 * Context: RTNL held.
 */
static void vnet_port_detach(struct vnet_port *port)
{
	struct vnet_queue *q = rtnl_dereference(port->queue);
	struct vnet_priv *priv;

	if (!q)
		return;
	priv = q->priv;
	vnet_wire_set(q, &vnet_wire_sink);
	RCU_INIT_POINTER(q->port, NULL);
	RCU_INIT_POINTER(port->queue, NULL);
	WRITE_ONCE(priv->ports, priv->ports - 1);
	port->dev = NULL;
	port->owns_dev = false;
	/* The engine, NAPI and the syscalls are done with the port after this. */
	synchronize_net();
	if (netif_running(priv->dev)) {
		/* A TX engine waiting for the port now has the standalone wire. */
		local_bh_disable();
		vnet_tx_kick(q);
		local_bh_enable();
		/* Frames a batch left without an interrupt get one. */
		vnet_rx_irq(q);
	}
	wake_up_interruptible_poll(&port->wait, EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP);
	netif_info(priv, drv, priv->dev, "queue %u detached from /dev/%s\n",
		   q->index, VNET_CHARDEV_NAME);
}

/* The device went up or down, or was reset: waiters look again. RTNL held. */
static void vnet_port_changed(struct vnet_queue *q)
{
	struct vnet_port *port = rtnl_dereference(q->port);

	if (port)
		wake_up_interruptible_poll(&port->wait, EPOLLOUT | EPOLLIN);
}

/* The device is going away: the file lets go of its queue. RTNL held. */
static void vnet_port_release_queue(struct vnet_queue *q)
{
	struct vnet_port *port = rtnl_dereference(q->port);

	if (port)
		vnet_port_detach(port);
}

static const struct vnet_wire_ops vnet_wire_port = {
	.open		= vnet_port_wire_open,
	.ring		= vnet_port_wire_ring,
	.deliver	= vnet_port_deliver,
	.deliver_xdp	= vnet_port_deliver_xdp,
	.done		= vnet_port_tx_done,
	.rx_room	= vnet_port_rx_done,
	.changed	= vnet_port_changed,
	.release	= vnet_port_release_queue,
};

/* Pick the queue @want (or the first free one) of @priv. RTNL held. */
static struct vnet_queue *vnet_port_pick_queue(struct vnet_priv *priv, u32 want)
{
	u16 i;

	if (want == VNET_QUEUE_ANY) {
		for (i = 0; i < priv->num_queues; i++)
			if (!rtnl_dereference(priv->queues[i].port))
				return &priv->queues[i];
		return ERR_PTR(-EBUSY);
	}
	if (want >= priv->num_queues)
		return ERR_PTR(-EINVAL);
	if (rtnl_dereference(priv->queues[want].port))
		return ERR_PTR(-EBUSY);
	return &priv->queues[want];
}

/* Find (or make) the device, check it, and attach. RTNL held. */
static int vnet_port_attach_locked(struct vnet_port *port, struct net *net,
				   struct vnet_attach *arg)
{
	struct net_device *dev;
	struct vnet_priv *priv;
	struct vnet_queue *q;
	bool created = false;

	if (rtnl_dereference(port->queue))
		return -EBUSY;
	dev = __dev_get_by_name(net, arg->name);
	if (!dev && (arg->flags & VNET_ATTACH_CREATE)) {
		dev = vnet_create_locked(net, arg->name, 1);
		if (IS_ERR(dev))
			return PTR_ERR(dev);
		created = true;
	}
	if (!dev)
		return -ENODEV;
	if (!vnet_is_vnet(dev))
		return -EINVAL;
	priv = netdev_priv(dev);
	if (rtnl_dereference(priv->peer))
		return -EOPNOTSUPP;	/* a pair end's wire is its peer */
	q = vnet_port_pick_queue(priv, arg->queue);
	if (IS_ERR(q)) {
		if (created)
			unregister_netdevice(dev);
		return PTR_ERR(q);
	}
	port->dev = dev;
	port->owns_dev = created;
	WRITE_ONCE(priv->ports, priv->ports + 1);
	rcu_assign_pointer(port->queue, q);
	rcu_assign_pointer(q->port, port);
	vnet_wire_set(q, &vnet_wire_port);
	arg->ifindex = dev->ifindex;
	arg->queue_out = q->index;
	strscpy(arg->name, dev->name, sizeof(arg->name));
	netif_info(priv, drv, dev, "queue %u attached to /dev/%s\n", q->index,
		   VNET_CHARDEV_NAME);
	return 0;
}

static long vnet_port_attach(struct vnet_port *port, void __user *uarg)
{
	struct net *net = current->nsproxy->net_ns;
	struct vnet_attach arg;
	int err;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.flags & ~VNET_ATTACH_FLAGS)
		return -EINVAL;
	if (strnlen(arg.name, sizeof(arg.name)) == sizeof(arg.name) ||
	    !dev_valid_name(arg.name))
		return -EINVAL;
	/* Only an administrator of the device's namespace may be its wire. */
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;

	rtnl_lock();
	err = vnet_port_attach_locked(port, net, &arg);
	if (!err && copy_to_user(uarg, &arg, sizeof(arg))) {
		struct net_device *made = port->owns_dev ? port->dev : NULL;

		vnet_port_detach(port);
		if (made)
			unregister_netdevice(made);
		err = -EFAULT;
	}
	rtnl_unlock();
	return err;
}

static long vnet_port_detach_ioctl(struct vnet_port *port)
{
	int err = 0;

	rtnl_lock();
	if (rtnl_dereference(port->queue))
		vnet_port_detach(port);	/* a device it made stays */
	else
		err = -ENXIO;
	rtnl_unlock();
	return err;
}

/* ------------------------------------------------------------------ */
/* Writing: frames onto the RX wire                                    */
/* ------------------------------------------------------------------ */

/* Count a write whose user buffer faulted, on the attached queue. */
static void vnet_port_count_fault(struct vnet_port *port)
{
	struct vnet_queue *q;

	rcu_read_lock();
	q = rcu_dereference(port->queue);
	if (q)
		atomic64_inc(&q->port_stats.write_faults);
	rcu_read_unlock();
}

/* Raise the RX interrupt of the attached queue. */
static void vnet_port_rx_irq(struct vnet_port *port)
{
	struct vnet_queue *q;

	rcu_read_lock();
	q = rcu_dereference(port->queue);
	if (q)
		vnet_rx_irq(q);
	rcu_read_unlock();
}

/*
 * An empty skb for a @len-byte frame, with headroom. A frame that fits in
 * a page fragment gets one from the port's page pool, as a NIC driver
 * fills its RX descriptors: the skb is marked for recycling, so the page
 * goes back to the pool once the stack has freed every frame on it, and
 * the next frames reuse it without the page allocator (nor the zeroing
 * that init_on_alloc does to every fresh page). Without a pool, or if it
 * is empty and no page is to be had, a page fragment of the CPU's, then
 * a kmalloc'ed head.
 */
static struct sk_buff *vnet_port_alloc_skb(struct vnet_port *port,
					   unsigned int len)
{
	unsigned int truesize = SKB_DATA_ALIGN(VNET_PORT_HEADROOM + len) +
				SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct page *page = NULL;
	unsigned int offset;
	struct sk_buff *skb;
	void *data = NULL;

	if (truesize <= PAGE_SIZE && port->pool) {
		spin_lock_bh(&port->pool_lock);
		page = page_pool_dev_alloc_frag(port->pool, &offset, truesize);
		spin_unlock_bh(&port->pool_lock);
		if (page)
			data = page_address(page) + offset;
	}
	if (!data && truesize <= PAGE_SIZE)
		data = netdev_alloc_frag(truesize);
	if (data) {
		skb = build_skb(data, truesize);
		if (skb) {
			if (page)
				skb_mark_for_recycle(skb);
			skb_reserve(skb, VNET_PORT_HEADROOM);
			return skb;
		}
		if (page)
			page_pool_put_full_page(port->pool, page, false);
		else
			skb_free_frag(data);
	}
	skb = alloc_skb(VNET_PORT_HEADROOM + len, GFP_KERNEL);
	if (skb)
		skb_reserve(skb, VNET_PORT_HEADROOM);
	return skb;
}

/*
 * Copy a frame from userspace into a new skb, after checking its length
 * against the device as a NIC's MAC would (counted as rx_length_errors).
 */
static struct sk_buff *vnet_port_copy_frame(struct vnet_port *port,
					    const void __user *data, size_t len)
{
	struct sk_buff *skb;
	struct vnet_queue *q;
	size_t max;

	rcu_read_lock();
	q = rcu_dereference(port->queue);
	if (!q) {
		rcu_read_unlock();
		return ERR_PTR(-ENXIO);
	}
	max = READ_ONCE(q->priv->dev->mtu) + ETH_HLEN + VLAN_HLEN;
	if (len < ETH_HLEN || len > max) {
		vnet_rx_count_length_error(q);
		rcu_read_unlock();
		return ERR_PTR(len < ETH_HLEN ? -EINVAL : -EMSGSIZE);
	}
	rcu_read_unlock();

	skb = vnet_port_alloc_skb(port, len);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(skb_put(skb, len), data, len)) {
		kfree_skb(skb);
		vnet_port_count_fault(port);
		return ERR_PTR(-EFAULT);
	}
	return skb;
}

/*
 * Whether a writer waiting for room should retry: true when the RX ring
 * has room, the device is down or the port detached. In each case the
 * next vnet_rx_inject() attempt has an answer.
 */
static bool vnet_port_writable(struct vnet_port *port)
{
	struct vnet_queue *q;
	bool ready;

	rcu_read_lock();
	q = rcu_dereference(port->queue);
	ready = !q || !READ_ONCE(q->rx_ring.slots) || vnet_port_rx_room(q);
	rcu_read_unlock();
	return ready;
}

/*
 * Put one frame from userspace in the attached queue's RX ring, waiting
 * for a descriptor unless @nonblock. The RX interrupt is raised unless
 * @more says the caller raises it after more frames; always before
 * sleeping, so that NAPI frees the descriptors being waited for.
 */
static int vnet_port_write_frame(struct vnet_port *port, const void __user *data,
				 size_t len, bool nonblock, bool more)
{
	struct vnet_queue *q;
	struct sk_buff *skb;
	int err;

	skb = vnet_port_copy_frame(port, data, len);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	for (;;) {
		rcu_read_lock();
		q = rcu_dereference(port->queue);
		err = q ? vnet_rx_inject(q, vnet_entry_skb(skb)) : -ENXIO;
		if (q && (err == -ENOSPC || (!err && !more)))
			vnet_rx_irq(q);
		rcu_read_unlock();
		if (err != -ENOSPC)
			break;
		if (nonblock) {
			err = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(port->wait,
					       vnet_port_writable(port));
		if (err)
			break;
	}
	if (err)
		kfree_skb(skb);
	return err;
}

static ssize_t vnet_port_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	int err;

	err = vnet_port_write_frame(file->private_data, buf, count,
				    file->f_flags & O_NONBLOCK, false);
	return err ? err : count;
}

/* Read and check a struct vnet_batch; returns its frame count or -errno. */
static int vnet_port_batch_get(void __user *uarg, struct vnet_frame __user **descs)
{
	struct vnet_batch batch;

	if (copy_from_user(&batch, uarg, sizeof(batch)))
		return -EFAULT;
	if (batch.flags || !batch.count || batch.count > VNET_BATCH_MAX)
		return -EINVAL;
	*descs = u64_to_user_ptr(batch.frames);
	return batch.count;
}

static long vnet_port_send_batch(struct vnet_port *port, void __user *uarg,
				 bool nonblock)
{
	struct vnet_frame __user *descs;
	struct vnet_frame f;
	int count, err = 0;
	u32 i;

	count = vnet_port_batch_get(uarg, &descs);
	if (count < 0)
		return count;
	for (i = 0; i < count; i++) {
		if (copy_from_user(&f, &descs[i], sizeof(f))) {
			err = -EFAULT;
			break;
		}
		if (f.flags || f.reserved) {
			err = -EINVAL;
			break;
		}
		err = vnet_port_write_frame(port, u64_to_user_ptr(f.data), f.len,
					    nonblock, true);
		if (err)
			break;
	}
	if (i)
		vnet_port_rx_irq(port);	/* one interrupt for the batch */
	return i ? i : err;
}

/* ------------------------------------------------------------------ */
/* Reading: frames the device transmitted                              */
/* ------------------------------------------------------------------ */

static bool vnet_port_readable(struct vnet_port *port)
{
	return vnet_port_pending(port) || !rcu_access_pointer(port->queue);
}

/*
 * Room was made in the port: restart a TX engine that waits for it, once a
 * quarter of the ring is free (or the reader caught up), so that it
 * completes frames by the hundred, not one per read.
 */
static void vnet_port_read_done(struct vnet_port *port, unsigned int truncated)
{
	struct vnet_queue *q;

	rcu_read_lock();
	q = rcu_dereference(port->queue);
	if (q) {
		if (truncated)
			atomic64_add(truncated, &q->port_stats.read_truncated);
		if (vnet_ring_space(&port->frames) >= VNET_PORT_RING_SIZE / 4 ||
		    !vnet_port_pending(port)) {
			local_bh_disable();
			vnet_tx_kick(q);
			local_bh_enable();
		}
	}
	rcu_read_unlock();
}

/*
 * Copy the oldest frame to @buf (at most @size bytes) and free it. A frame
 * whose copy faults stays for the next read. Sets *@frame_len to the
 * frame's whole length.
 * Return: bytes copied, or -ENXIO (not attached, nothing left), -EAGAIN,
 * -EFAULT, -ERESTARTSYS.
 */
static ssize_t vnet_port_read_frame(struct vnet_port *port, void __user *buf,
				    size_t size, bool nonblock, u32 *frame_len)
{
	struct vnet_ring *ring = &port->frames;
	struct vnet_entry *slot, entry;
	const void *data;
	size_t n;
	u32 len;
	int err;

	for (;;) {
		if (mutex_lock_interruptible(&port->read_lock))
			return -ERESTARTSYS;
		if (vnet_port_pending(port))
			break;
		mutex_unlock(&port->read_lock);
		if (!rcu_access_pointer(port->queue))
			return -ENXIO;
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(port->wait, vnet_port_readable(port));
		if (err)
			return err;
	}
	slot = vnet_ring_slot(ring, ring->cons);
	entry = *slot;
	if (vnet_entry_kind(entry) == VNET_ENTRY_COPY) {
		struct vnet_port_copy *c = vnet_entry_ptr(entry);

		data = c->data;
		len = c->len;
	} else {
		data = vnet_entry_to_skb(entry)->data;
		len = vnet_entry_to_skb(entry)->len;
	}
	n = min_t(size_t, size, len);
	if (copy_to_user(buf, data, n)) {
		mutex_unlock(&port->read_lock);
		return -EFAULT;
	}
	slot->tagged = 0;
	/* Hands the slot back to vnet_port_deliver(). */
	smp_store_release(&ring->cons, vnet_ring_next(ring, ring->cons));
	mutex_unlock(&port->read_lock);
	*frame_len = len;
	vnet_port_entry_free(entry);
	return n;
}

static ssize_t vnet_port_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct vnet_port *port = file->private_data;
	ssize_t n;
	u32 len;

	n = vnet_port_read_frame(port, buf, count, file->f_flags & O_NONBLOCK, &len);
	if (n >= 0)
		vnet_port_read_done(port, len > (size_t)n);
	return n;
}

static long vnet_port_recv_batch(struct vnet_port *port, void __user *uarg,
				 bool nonblock)
{
	struct vnet_frame __user *descs;
	unsigned int truncated = 0;
	struct vnet_frame f;
	ssize_t n = 0;
	int count;
	u32 i, len;

	count = vnet_port_batch_get(uarg, &descs);
	if (count < 0)
		return count;
	for (i = 0; i < count; i++) {
		if (copy_from_user(&f, &descs[i], sizeof(f))) {
			n = -EFAULT;
			break;
		}
		/* Only the first frame is waited for. */
		n = vnet_port_read_frame(port, u64_to_user_ptr(f.data), f.size,
					 nonblock || i, &len);
		if (n < 0)
			break;
		f.len = len;
		f.flags = len > (size_t)n ? VNET_FRAME_TRUNC : 0;
		truncated += len > (size_t)n;
		if (put_user(f.len, &descs[i].len) ||
		    put_user(f.flags, &descs[i].flags)) {
			n = -EFAULT;
			i++;	/* the frame is gone; it still counts */
			break;
		}
	}
	if (i)
		vnet_port_read_done(port, truncated);
	return i ? i : n;
}

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

static __poll_t vnet_port_poll(struct file *file, poll_table *wait)
{
	struct vnet_port *port = file->private_data;
	struct vnet_queue *q;
	__poll_t mask = 0;

	poll_wait(file, &port->wait, wait);
	if (vnet_port_pending(port))
		mask |= EPOLLIN | EPOLLRDNORM;
	rcu_read_lock();
	q = rcu_dereference(port->queue);
	if (!q)
		mask |= EPOLLERR | EPOLLHUP;
	else if (vnet_port_rx_room(q))
		mask |= EPOLLOUT | EPOLLWRNORM;
	rcu_read_unlock();
	return mask;
}

static long vnet_port_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct vnet_port *port = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VNET_IOC_ATTACH:
		return vnet_port_attach(port, uarg);
	case VNET_IOC_DETACH:
		return vnet_port_detach_ioctl(port);
	case VNET_IOC_SEND:
		return vnet_port_send_batch(port, uarg, nonblock);
	case VNET_IOC_RECV:
		return vnet_port_recv_batch(port, uarg, nonblock);
	default:
		return -ENOTTY;
	}
}

/*
 * The port's buffer pool: pages cut into fragments for written frames
 * (see vnet_port_alloc_skb()), as many kept for reuse as a full RX ring
 * of the largest frames needs. NULL if it cannot be made: writing still
 * works, one allocation per frame (the debug kernel's fail_function may
 * make it fail, to test that path).
 */
static noinline struct page_pool *vnet_port_pool_create(void)
{
	struct page_pool_params pp = {
		.flags = VNET_PP_FLAG_FRAG,
		.order = 0,
		.pool_size = VNET_RING_MAX,
		.nid = NUMA_NO_NODE,
	};
	struct page_pool *pool = page_pool_create(&pp);

	return IS_ERR(pool) ? NULL : pool;
}

ALLOW_ERROR_INJECTION(vnet_port_pool_create, NULL);

static int vnet_port_open(struct inode *inode, struct file *file)
{
	struct vnet_port *port;
	int err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	err = vnet_ring_alloc(&port->frames, VNET_PORT_RING_SIZE);
	if (err)
		goto err_free_port;
	mutex_init(&port->read_lock);
	init_waitqueue_head(&port->wait);
	spin_lock_init(&port->pool_lock);
	port->pool = vnet_port_pool_create();
	file->private_data = port;
	return stream_open(inode, file);

err_free_port:
	kfree(port);
	return err;
}

static int vnet_port_release(struct inode *inode, struct file *file)
{
	struct vnet_port *port = file->private_data;
	struct net_device *made;

	rtnl_lock();
	made = port->owns_dev ? port->dev : NULL;
	vnet_port_detach(port);
	if (made)
		unregister_netdevice(made);
	rtnl_unlock();
	/* No producer is left (detach waited for the engine), nor any reader. */
	__vnet_ring_drain(&port->frames, vnet_port_entry_free);
	vnet_ring_free(&port->frames);
	/* Pages still in the stack's skbs come back to it later: it waits. */
	if (port->pool)
		page_pool_destroy(port->pool);
	mutex_destroy(&port->read_lock);
	kfree(port);
	return 0;
}

static const struct file_operations vnet_port_fops = {
	.owner		= THIS_MODULE,
	.open		= vnet_port_open,
	.release	= vnet_port_release,
	.read		= vnet_port_read,
	.write		= vnet_port_write,
	.poll		= vnet_port_poll,
	.unlocked_ioctl	= vnet_port_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice vnet_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VNET_CHARDEV_NAME,
	.fops	= &vnet_port_fops,
	.mode	= 0600,
};

/**
 * vnet_chardev_register() - create /dev/vnet
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int vnet_chardev_register(void)
{
	return misc_register(&vnet_miscdev);
}

/**
 * vnet_chardev_unregister() - remove /dev/vnet
 *
 * No file can be open: each holds a reference on the module.
 *
 * Context: module exit.
 */
void vnet_chardev_unregister(void)
{
	misc_deregister(&vnet_miscdev);
}
