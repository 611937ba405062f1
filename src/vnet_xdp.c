// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_xdp.c - native XDP: programs in the receive path, XDP_TX, and vnet
 * as a redirect target (ndo_xdp_xmit).
 *
 * Where the program runs. vnet's "hardware" receives each frame into the
 * queue's RX buffer - one page, with XDP_PACKET_HEADROOM in front of the
 * frame and room for an skb_shared_info behind it - as a NIC DMAs a frame
 * into the buffer of an RX descriptor. The program runs there, on memory
 * vnet owns outright, whatever skb the sender used: a cloned skb, or one
 * without headroom, needs no fresh page and no new skb (veth needs both),
 * and a frame the program drops costs one copy and no allocation. The
 * verdicts:
 *
 *   XDP_PASS      the frame is copied into a new skb, which goes to GRO;
 *                 the buffer stays for the next frame
 *   XDP_DROP      the buffer stays for the next frame
 *   XDP_TX        the buffer becomes an xdp_frame sent out of this device
 *   XDP_REDIRECT  the buffer goes to xdp_do_redirect(): another device, a
 *                 CPU map, an AF_XDP socket (copy mode)
 *   XDP_ABORTED   traced (the xdp:xdp_exception tracepoint) and dropped
 *
 * A buffer given away (XDP_TX, XDP_REDIRECT) is replaced by a new page when
 * the next frame arrives.
 *
 * The pair's fast path: the wire fills the buffer. A frame a pair end sends
 * to a peer running a program does not cross as an skb at all. The
 * sender's hardware copies it into an RX buffer of the receiver's - a
 * page of the receiving queue's page pool, taken on the sending CPU - and
 * completes the sender's skb there (vnet_xdp_wire_fill()), as a NIC's DMA
 * copies a frame into a buffer its receiver posted. The receiver runs its
 * program on that buffer in place (xdp_in_place): no copy, no allocation
 * and no skb to free in its NAPI, and every skb is freed on the CPU that
 * allocated it. XDP_PASS then builds an skb around the buffer; XDP_DROP
 * gives the page back to the pool, for the next frame the wire fills;
 * XDP_TX and XDP_REDIRECT hand it on as they would the queue's own, and
 * it comes back to the pool when its last user is done with it. Frames
 * the RX faults must see, and GSO frames, cross as skbs.
 *
 * Where frames sent by XDP go. XDP_TX frames, and frames other devices
 * redirect into vnet (ndo_xdp_xmit), leave the device as frames of a NIC's
 * XDP TX ring would: a pair end puts them straight into its peer's RX ring
 * as xdp_frames, where the peer runs its own program on them or builds an
 * skb around them without a copy; a standalone device posts them in its
 * TX ring as they are, and its engine gives its wire, or the /dev/vnet
 * file that is its wire, a copy, then the frames back to their sender.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/error-injection.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

#include "vnet.h"
#include "vnet_xdp.h"

/* The largest frame an RX buffer (a page) holds. */
#define VNET_XDP_FRAME_MAX	SKB_WITH_OVERHEAD(PAGE_SIZE - XDP_PACKET_HEADROOM)

/* The longest frame a device sends or receives: MTU, Ethernet, one VLAN tag. */
static unsigned int vnet_xdp_max_len(const struct net_device *dev)
{
	return READ_ONCE(dev->mtu) + ETH_HLEN + VLAN_HLEN;
}

/**
 * vnet_xdp_attached() - whether a vnet device has an XDP program
 * @dev: a vnet device
 *
 * Context: RTNL held.
 * Return: true if a program is attached.
 */
bool vnet_xdp_attached(struct net_device *dev)
{
	struct vnet_priv *priv = netdev_priv(dev);

	return rtnl_dereference(priv->xdp_prog);
}

/*
 * The queue's RX buffers for XDP - the one its NAPI keeps for frames that
 * arrive as skbs, and those the wire fills for a program running in
 * place - are whole pages from a page pool, as a NIC's RX descriptors get
 * theirs: a page comes back to the pool when a program drops its frame,
 * when a frame sent or redirected is done with (MEM_TYPE_PAGE_POOL), and,
 * since 6.5, when the stack frees an skb built around it; the next buffer
 * is then a recycled page, not a fresh one that init_on_alloc must
 * clear. Whole pages, not fragments: 6.1's xdp_build_skb_from_frame()
 * takes the page out of its pool (page_pool_release_page()), which a
 * page shared by several frames would not survive. The pool's ring holds
 * twice the RX ring's descriptors: the pages in flight (at most a ring's
 * worth) and those in the allocation cache can all come back to it
 * without one being released. It is sized when the queue comes up; a
 * later ethtool -G keeps the pool (and XDP's registration of the queue),
 * so that a resize allocates nothing but the rings.
 *
 * The pool names its device, so that netdev netlink lists it with the
 * device's (page-pool-get, 6.8+), but not its NAPI: a pool that knows its
 * NAPI lets pages freed in that NAPI go straight into the allocation
 * cache, which the core assumes only that NAPI allocates from, where
 * vnet's senders fill buffers from any CPU (see vnet_xdp_page_free()).
 */
static struct page_pool *vnet_xdp_pool_create(struct vnet_queue *q, u32 rx_size)
{
	struct page_pool_params pp = {
		.order = 0,
		.pool_size = 2 * rx_size,
		.nid = NUMA_NO_NODE,
	};

	vnet_page_pool_set_netdev(&pp, q->priv->dev);
	return page_pool_create(&pp);
}

/*
 * A page for an RX buffer, or NULL if the queue is down or no page is to
 * be had. Any CPU may take one (senders fill buffers on theirs): the
 * pool's allocation side has one user at a time, under xdp_pool_lock.
 */
static struct page *vnet_xdp_page_alloc(struct vnet_queue *q)
{
	struct page *page = NULL;

	spin_lock_bh(&q->xdp_pool_lock);
	if (likely(q->xdp_pool))
		page = page_pool_dev_alloc_pages(q->xdp_pool);
	spin_unlock_bh(&q->xdp_pool_lock);
	return page;
}

/*
 * Give an RX buffer of @q's back to its pool: through the pool's ring,
 * which any CPU may fill, never its per-CPU cache, which is the
 * allocators' (see vnet_xdp_poll_begin()).
 * Context: NAPI, or process context with NAPI disabled.
 */
static void vnet_xdp_page_free(struct vnet_queue *q, void *hard_start)
{
	page_pool_put_full_page(q->xdp_pool, virt_to_head_page(hard_start), false);
}

/**
 * vnet_xdp_queue_up() - make a queue known to XDP as an RX queue
 * @q: the queue, whose NAPI exists (added, perhaps not enabled yet)
 * @rx_size: the RX ring size the queue will have, for the pool's size
 *
 * Creates the queue's page pool for RX buffers (see vnet_xdp_pool_create())
 * and registers it as the memory model of the queue's frames. The debug
 * kernel's fail_function may make it fail, as vnet_ring_alloc().
 *
 * Context: process context, RTNL held.
 * Return: 0 or a negative errno.
 */
int vnet_xdp_queue_up(struct vnet_queue *q, u32 rx_size)
{
	struct page_pool *pool;
	int err;

	pool = vnet_xdp_pool_create(q, rx_size);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	err = xdp_rxq_info_reg(&q->xdp_rxq, q->priv->dev, q->index,
			       q->napi.napi_id);
	if (err)
		goto err_destroy_pool;
	err = xdp_rxq_info_reg_mem_model(&q->xdp_rxq, MEM_TYPE_PAGE_POOL, pool);
	if (err)
		goto err_unreg;
	/* Senders may fill buffers from now on. */
	spin_lock_bh(&q->xdp_pool_lock);
	q->xdp_pool = pool;
	spin_unlock_bh(&q->xdp_pool_lock);
	return 0;

err_unreg:
	xdp_rxq_info_unreg(&q->xdp_rxq);
err_destroy_pool:
	page_pool_destroy(pool);
	return err;
}

ALLOW_ERROR_INJECTION(vnet_xdp_queue_up, ERRNO);

/**
 * vnet_xdp_queue_down() - undo vnet_xdp_queue_up(), free the RX buffer
 * @q: the queue, whose NAPI is disabled and whose RX ring is drained
 *
 * Senders that still fill a buffer for the queue finish before it goes
 * (xdp_pool_lock); later ones find no pool and send the skb, which meets
 * the freed ring. Pages still in flight (in another device's ring, in an
 * skb) come back to the pool later: page_pool_destroy() waits for them.
 *
 * Context: process context, RTNL held.
 */
void vnet_xdp_queue_down(struct vnet_queue *q)
{
	struct page_pool *pool;

	spin_lock_bh(&q->xdp_pool_lock);
	pool = q->xdp_pool;
	q->xdp_pool = NULL;
	spin_unlock_bh(&q->xdp_pool_lock);
	if (WARN_ON_ONCE(!pool))
		return;
	if (q->xdp_page) {
		page_pool_put_full_page(pool, q->xdp_page, false);
		q->xdp_page = NULL;
	}
	xdp_rxq_info_unreg(&q->xdp_rxq);
	page_pool_destroy(pool);
}

/*
 * Put the Ethernet frames no longer than @max_len first, in order, and
 * the others after them; return how many fit. The callers send a prefix
 * of the array and leave the rest to be freed, as ndo_xdp_xmit's
 * contract says.
 */
static unsigned int vnet_xdp_fit(struct xdp_frame **frames, unsigned int n,
				 unsigned int max_len)
{
	unsigned int i, fit = 0;

	for (i = 0; i < n; i++) {
		if (frames[i]->len < ETH_HLEN || frames[i]->len > max_len)
			continue;
		swap(frames[fit], frames[i]);	/* a macro: no side effects */
		fit++;
	}
	return fit;
}

/* What the wire counters need of a frame, read while the frame is ours. */
struct vnet_xdp_wire_frame {
	u32 len;
	u8 class;
};

/**
 * vnet_xdp_wire_send() - XDP frames cross a wire as they are, into an RX ring
 * @q: the sending queue
 * @pq: the receiving queue (a pair's peer's)
 * @frames: the frames, no longer than the sender's MTU allows
 * @n: how many
 *
 * Frames longer than the receiver takes are left out (see vnet_xdp_fit()).
 * Sizes and types are read before the frames are handed over - the
 * receiver's NAPI may free a frame the moment it is queued - and counted
 * for the sender's TX totals once queued. One RX interrupt for the lot.
 *
 * Context: BH disabled, RCU read side (the receiver may be going away).
 * Return: how many were queued: a prefix of @frames.
 */
unsigned int vnet_xdp_wire_send(struct vnet_queue *q, struct vnet_queue *pq,
				struct xdp_frame **frames, unsigned int n)
{
	struct vnet_xdp_wire_frame info[VNET_XDP_TX_BULK];
	struct vnet_xdp_xmit_stats *s = &q->xdp_xmit_stats;
	u32 classes[VNET_CLASS_NUM] = {}, sizes[VNET_SIZE_NUM] = {};
	unsigned int done = 0, chunk, sent, i;
	u64 bytes = 0;

	n = vnet_xdp_fit(frames, n, vnet_xdp_max_len(pq->priv->dev));
	while (done < n) {
		chunk = min_t(unsigned int, n - done, VNET_XDP_TX_BULK);
		for (i = 0; i < chunk; i++) {
			info[i].len = frames[done + i]->len;
			info[i].class = vnet_frame_class(frames[done + i]->data);
		}
		sent = vnet_rx_enqueue_xdp(pq, frames + done, chunk);
		for (i = 0; i < sent; i++) {
			bytes += info[i].len;
			classes[info[i].class]++;
			sizes[vnet_size_bucket(info[i].len)]++;
		}
		done += sent;
		if (sent < chunk)
			break;
	}
	if (!done)
		return 0;
	atomic64_add(done, &s->wire_packets);
	atomic64_add(bytes, &s->wire_bytes);
	for (i = 0; i < VNET_CLASS_NUM; i++)
		if (classes[i])
			atomic64_add(classes[i], &s->wire_class[i]);
	for (i = 0; i < VNET_SIZE_NUM; i++)
		if (sizes[i])
			atomic64_add(sizes[i], &s->wire_size[i]);
	vnet_rx_irq(pq);
	return done;
}

/*
 * Whether @q is a queue in use, with its rings, for a sender holding its
 * txq lock. ndo_xdp_xmit picks its queue from num_queues read without
 * RTNL: a channel change (ethtool -L) may take that queue out of use
 * meanwhile. Its rings are then freed (slots NULL), and its txq, started
 * again with the others when the device comes back up, no longer says
 * that it is stopped: the stop bit alone would let a late sender write
 * into a ring that is gone. Hence the second look, under the txq lock,
 * at what the reconfiguration changes (see "num_queues" in vnet.h).
 */
static bool vnet_xdp_queue_live(struct vnet_queue *q)
{
	return q->index < READ_ONCE(q->priv->num_queues) &&
	       READ_ONCE(q->tx_ring.slots);
}

/*
 * A wire that does not take XDP frames as they are gets them through the
 * TX ring: each frame is posted as it is (vnet_tx_post_xdp()), under the
 * txq lock like ndo_start_xmit, and the engine puts a copy on the wire
 * and gives the frame back. Building an skb around a frame instead would
 * hold the sender's buffer until the frame is read or consumed - and on
 * 6.1, xdp_build_skb_from_frame() takes a page-pool page out of its pool
 * for good, so the sender (veth, a NIC, BPF_PROG_RUN's live frames)
 * allocates a new page for every frame, which costs far more than the
 * copy (docs/BENCHMARKS.md). The doorbell rings once, after the last
 * frame, as a NIC driver flushes an XDP bulk; the engine then sends the
 * bulk at once and the descriptors are reclaimed there. A queue out of
 * use takes nothing.
 * Context: under rcu_read_lock().
 */
static unsigned int vnet_xdp_send_ring(struct vnet_wire *w,
				       struct xdp_frame **frames, unsigned int n)
{
	struct vnet_queue *q = w->q;
	struct net_device *dev = q->priv->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, q->index);
	unsigned int sent;

	__netif_tx_lock(txq, smp_processor_id());
	if (unlikely(!vnet_xdp_queue_live(q))) {
		__netif_tx_unlock(txq);
		return 0;
	}
	for (sent = 0; sent < n; sent++) {
		/* Stopped: the ring is full, or the device is going down. */
		if (netif_xmit_frozen_or_stopped(txq) ||
		    !vnet_ring_space(&q->tx_ring))
			break;
		/* Ownership: the ring's, until the engine gives it back. */
		vnet_tx_post_xdp(q, frames[sent]);
	}
	if (sent)
		vnet_tx_doorbell_reap(q);
	__netif_tx_unlock(txq);
	return sent;
}

/*
 * Send XDP frames out of @q's device, on its wire: as they are, if the
 * wire takes them so (a pair's peer), or else through our TX ring. Return
 * how many were sent: a prefix of @frames.
 * Context: BH disabled.
 */
static unsigned int vnet_xdp_send(struct vnet_queue *q, struct xdp_frame **frames,
				  unsigned int n)
{
	unsigned int sent;
	struct vnet_wire w;

	n = vnet_xdp_fit(frames, n, vnet_xdp_max_len(q->priv->dev));
	rcu_read_lock();
	vnet_wire_open(&w, rcu_dereference(q->wire), q);
	if (w.ops->xmit_xdp)
		sent = w.ops->xmit_xdp(&w, frames, n);
	else
		sent = vnet_xdp_send_ring(&w, frames, n);
	rcu_read_unlock();
	return sent;
}

/**
 * vnet_xdp_xmit() - ndo_xdp_xmit: send frames another device redirected here
 * @dev: the vnet device
 * @n: how many frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH or 0; vnet sends at once either way
 *
 * Frames longer than the device's MTU (plus Ethernet and VLAN headers), or
 * than its peer's, are refused; so are frames for which the wire has no
 * room, and frames that meet a channel change (ethtool -L) on their way:
 * the queue chosen from the count read here may be out of use by the
 * time they reach its ring (see vnet_xdp_queue_live(); a pair end's peer
 * queue is checked under its rx_lock). Refused frames are counted as
 * xdp_xmit_errors and left to the caller, who frees them.
 *
 * Context: BH disabled (the redirecting device's NAPI, or a devmap flush).
 * Return: how many frames were sent (the first ones), or a negative errno:
 * -EINVAL for unknown flags, -ENETDOWN if the device is down (and took nothing).
 */
int vnet_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		  u32 flags)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_queue *q;
	unsigned int sent = 0;
	u16 nq;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	/*
	 * Read once: the count may change under us (ethtool -L), but every
	 * index below max_queues names a queue that lives as long as the
	 * device; whether it still has rings is the sender's to check.
	 */
	nq = READ_ONCE(priv->num_queues);
	q = &priv->queues[smp_processor_id() % nq];
	if (likely(netif_running(dev)))
		sent = vnet_xdp_send(q, frames, n);
	atomic64_add(sent, &q->xdp_xmit_stats.xmit);
	if (n - sent)
		atomic64_add(n - sent, &q->xdp_xmit_stats.xmit_errors);
	/*
	 * Frames posted are ours (the ring's) even if the device went down
	 * meanwhile: an error would have the caller free them a second time.
	 */
	return sent || netif_running(dev) ? sent : -ENETDOWN;
}

/* Send the poll's XDP_TX frames; those not sent go back to the allocator. */
static void vnet_xdp_tx_flush(struct vnet_queue *q, struct vnet_xdp_poll *xp)
{
	unsigned int sent, i;

	if (!xp->tx_count)
		return;
	sent = vnet_xdp_send(q, xp->tx, xp->tx_count);
	for (i = sent; i < xp->tx_count; i++)
		xdp_return_frame_rx_napi(xp->tx[i]);
	xp->tx_sent += sent;
	xp->tx_errors += xp->tx_count - sent;
	xp->tx_count = 0;
}

/**
 * vnet_xdp_wire_fill() - the wire copies a frame into an XDP receiver's buffer
 * @pq: the receiving queue, whose device has an XDP program
 * @skb: the frame, not GSO; it stays the caller's, who completes it once
 *	the buffer is in @pq's RX ring
 *
 * The buffer is a page of @pq's pool, laid out as the RX buffer the
 * program runs in (XDP_PACKET_HEADROOM in front, the rest of the page
 * behind), and becomes an xdp_frame of @pq's RX queue
 * (MEM_TYPE_PAGE_POOL), an RX ring entry of kind VNET_ENTRY_WIRE. The
 * frame is made under xdp_pool_lock, so that it never carries the memory
 * model of a queue gone down meanwhile; the copy follows.
 *
 * Context: the sender's TX engine, BHs off, IRQs on.
 * Return: the frame, or NULL if it does not fit one buffer or there is no
 * page for one: the caller then delivers the skb itself.
 */
struct xdp_frame *vnet_xdp_wire_fill(struct vnet_queue *pq, struct sk_buff *skb)
{
	struct xdp_frame *frame = NULL;
	struct xdp_buff xdp;
	struct page *page;

	if (unlikely(skb->len > VNET_XDP_FRAME_MAX))
		return NULL;
	/* The engine never feeds the wire with IRQs off (netpoll). */
	if (WARN_ON_ONCE(in_hardirq() || irqs_disabled()))
		return NULL;
	spin_lock_bh(&pq->xdp_pool_lock);
	page = pq->xdp_pool ? page_pool_dev_alloc_pages(pq->xdp_pool) : NULL;
	if (likely(page)) {
		xdp_init_buff(&xdp, PAGE_SIZE, &pq->xdp_rxq);
		xdp_prepare_buff(&xdp, page_address(page), XDP_PACKET_HEADROOM,
				 skb->len, false);
		/* Writes the frame's header into the buffer's headroom. */
		frame = xdp_convert_buff_to_frame(&xdp);
		if (unlikely(!frame))
			page_pool_put_full_page(pq->xdp_pool, page, false);
	}
	spin_unlock_bh(&pq->xdp_pool_lock);
	if (likely(frame))
		vnet_tx_wire_copy(skb, frame->data);
	return frame;
}

/*
 * Run the program. bpf_prog_run_xdp() would enter it through the kernel's
 * XDP dispatcher, a static_call that the core re-patches (text_poke)
 * whenever any XDP program in the system comes or goes; 7.2 guests under
 * QEMU's TCG were seen executing a stale int3 of such a patch ("Oops:
 * int3" in bpf_dispatcher_xdp_func) while frames flowed. Calling the
 * program directly costs one indirect call per frame and never runs
 * patched code. (What vnet gives up: the bonding driver's XDP_TX
 * redirection, for a vnet device enslaved to a bond with XDP.)
 */
static u32 vnet_xdp_run(const struct bpf_prog *prog, struct xdp_buff *xdp)
{
	return bpf_prog_run(prog, xdp);
}

/* XDP_PASS: a new skb for the stack, with the metadata the program set. */
static struct sk_buff *vnet_xdp_build_skb(struct vnet_queue *q,
					  struct xdp_buff *xdp)
{
	unsigned int metalen = xdp->data - xdp->data_meta;
	unsigned int len = xdp->data_end - xdp->data;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, metalen + len);
	if (unlikely(!skb))
		return NULL;
	skb_put_data(skb, xdp->data_meta, metalen + len);
	if (metalen) {
		__skb_pull(skb, metalen);
		skb_metadata_set(skb, metalen);
	}
	return skb;
}

/*
 * An xdp_frame for the stack (no program here, or XDP_PASS on a buffer
 * the wire filled): an skb around it, no copy - unless the kernel would
 * take a page-pool page out of its pool for that (before 6.5): then the
 * frame is copied into a new skb and its page goes back to the pool,
 * cheaper than a fresh page for the next buffer.
 */
static struct sk_buff *vnet_xdp_frame_to_skb(struct vnet_queue *q,
					     struct vnet_xdp_poll *xp,
					     struct xdp_frame *frame)
{
	struct sk_buff *skb;
	struct xdp_buff xdp;

	if (vnet_xdp_skb_unpools(frame->mem.type)) {
		xdp_convert_frame_to_buff(frame, &xdp);
		skb = vnet_xdp_build_skb(q, &xdp);
		xdp_return_frame(frame);
		if (unlikely(!skb))
			xp->nomem++;
		return skb;
	}
	skb = xdp_build_skb_from_frame(frame, q->priv->dev);
	if (unlikely(!skb)) {
		xdp_return_frame(frame);
		xp->nomem++;
		return NULL;
	}
	/* It set skb->protocol, pulling the Ethernet header: undo. */
	__skb_push(skb, ETH_HLEN);
	return skb;
}

/*
 * The program's verdict on the frame in @xdp. The buffer is the queue's RX
 * buffer (@in_place false: kept for the next frame unless given away) or
 * one the wire filled (@in_place: freed unless given away). Return an skb
 * for the stack, or NULL.
 */
static struct sk_buff *vnet_xdp_act(struct vnet_queue *q, struct vnet_xdp_poll *xp,
				    struct xdp_buff *xdp, bool in_place)
{
	struct net_device *dev = q->priv->dev;
	struct xdp_frame *frame;
	struct sk_buff *skb;
	u32 act;

	xp->packets++;
	xp->bytes += xdp->data_end - xdp->data;
	act = vnet_xdp_run(xp->prog, xdp);
	switch (act) {
	case XDP_PASS:
		if (unlikely(xdp->data_end - xdp->data < ETH_HLEN)) {
			vnet_rx_count_length_error(q);	/* no Ethernet header left */
			break;
		}
		if (in_place && !vnet_xdp_skb_unpools(xdp->rxq->mem.type)) {
			/* An skb around the wire's buffer; counts its nomem. */
			frame = xdp_convert_buff_to_frame(xdp);
			if (unlikely(!frame)) {
				xp->nomem++;
				break;
			}
			skb = vnet_xdp_frame_to_skb(q, xp, frame);
		} else {
			/*
			 * A copy: our buffer stays for the next frame; a
			 * wire buffer goes back to the pool (before 6.5 an
			 * skb around it would take its page out).
			 */
			skb = vnet_xdp_build_skb(q, xdp);
			if (in_place)
				vnet_xdp_page_free(q, xdp->data_hard_start);
			if (unlikely(!skb))
				xp->nomem++;
		}
		if (likely(skb))
			xp->pass++;
		return skb;
	case XDP_DROP:
		xp->drop++;
		break;
	case XDP_TX:
		frame = xdp_convert_buff_to_frame(xdp);
		if (unlikely(!frame)) {
			xp->tx_errors++;
			trace_xdp_exception(dev, xp->prog, act);
			break;
		}
		if (!in_place)
			q->xdp_page = NULL;	/* Ownership: the frame's. */
		xp->tx[xp->tx_count++] = frame;
		if (xp->tx_count == VNET_XDP_TX_BULK)
			vnet_xdp_tx_flush(q, xp);
		return NULL;
	case XDP_REDIRECT:
		if (unlikely(xdp_do_redirect(dev, xdp, xp->prog))) {
			xp->redirect_errors++;	/* traced by the core */
			break;
		}
		if (!in_place)
			q->xdp_page = NULL;	/* Ownership: the target's. */
		xp->redirected = true;
		xp->redirect++;
		return NULL;
	default:
		bpf_warn_invalid_xdp_action(dev, xp->prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, xp->prog, act);
		xp->aborted++;
		break;
	}
	/* The frame went nowhere: a wire buffer goes back, ours stays. */
	if (in_place)
		vnet_xdp_page_free(q, xdp->data_hard_start);
	return NULL;
}

/* Run the program in place, on a buffer the wire filled. */
static struct sk_buff *vnet_xdp_receive_in_place(struct vnet_queue *q,
						 struct vnet_xdp_poll *xp,
						 struct xdp_frame *frame)
{
	struct xdp_buff xdp;

	xdp_convert_frame_to_buff(frame, &xdp);
	xdp.rxq = &q->xdp_rxq;
	xp->in_place++;
	return vnet_xdp_act(q, xp, &xdp, true);
}

/**
 * vnet_xdp_receive() - run the XDP program on a received frame
 * @q: the receiving queue
 * @xp: this poll's XDP state: the program (NULL if none), the XDP_TX bulk,
 *	the counts
 * @entry: an RX ring entry: an skb, an xdp_frame from the peer's XDP, or
 *	an RX buffer the wire filled (enum vnet_entry_kind); it is consumed
 *
 * Context: NAPI, under rcu_read_lock() (which protects @xp->prog).
 * Return: an skb for the stack, skb->data at its Ethernet header, or NULL
 * if the frame went elsewhere (dropped, sent, redirected: counted).
 */
struct sk_buff *vnet_xdp_receive(struct vnet_queue *q, struct vnet_xdp_poll *xp,
				 struct vnet_entry entry)
{
	struct xdp_frame *frame = NULL;
	struct sk_buff *skb = NULL;
	struct xdp_buff xdp;
	void *hard_start;
	unsigned int len;

	if (vnet_entry_is_xdp(entry))
		frame = vnet_entry_to_xdp(entry);
	else
		skb = vnet_entry_to_skb(entry);
	if (!xp->prog)
		return vnet_xdp_frame_to_skb(q, xp, frame);
	if (vnet_entry_kind(entry) == VNET_ENTRY_WIRE)
		return vnet_xdp_receive_in_place(q, xp, frame);

	len = frame ? frame->len : skb->len;
	if (unlikely(len > VNET_XDP_FRAME_MAX)) {
		/* GSO frames sent just before the program came. */
		vnet_rx_count_length_error(q);
		goto free_entry;
	}
	if (unlikely(!q->xdp_page)) {
		q->xdp_page = vnet_xdp_page_alloc(q);
		if (unlikely(!q->xdp_page)) {
			xp->nomem++;
			goto free_entry;
		}
	}
	hard_start = page_address(q->xdp_page);
	if (frame) {
		memcpy(hard_start + XDP_PACKET_HEADROOM, frame->data, len);
		xdp_return_frame(frame);
	} else {
		vnet_tx_wire_copy(skb, hard_start + XDP_PACKET_HEADROOM);
		napi_consume_skb(skb, xp->budget);
	}
	xdp_init_buff(&xdp, PAGE_SIZE, &q->xdp_rxq);
	xdp_prepare_buff(&xdp, hard_start, XDP_PACKET_HEADROOM, len, true);
	return vnet_xdp_act(q, xp, &xdp, false);

free_entry:
	if (frame)
		xdp_return_frame(frame);
	else
		napi_consume_skb(skb, xp->budget);
	return NULL;
}

/**
 * vnet_xdp_poll_begin() - start XDP's work of one NAPI poll
 * @q: the queue
 * @xp: the poll's XDP state, to be initialised
 * @budget: the poll's budget
 *
 * Until vnet_xdp_poll_end(), frames given back in this poll go to their
 * page pool's ring, never to its per-CPU cache (the "direct" return that
 * xdp_return_frame_rx_napi() and the core's redirect paths use): this
 * queue's pool is also taken from by senders on other CPUs, and frames
 * from the peer's pool (XDP_TX) belong to the peer's.
 *
 * Context: NAPI, under rcu_read_lock() (which protects @xp->prog).
 */
void vnet_xdp_poll_begin(struct vnet_queue *q, struct vnet_xdp_poll *xp,
			 int budget)
{
	memset(xp, 0, sizeof(*xp));
	xp->budget = budget;
	xp->prog = rcu_dereference(q->priv->xdp_prog);
	xdp_set_return_frame_no_direct();
}

/**
 * vnet_xdp_poll_end() - finish XDP's work of one NAPI poll
 * @q: the queue
 * @xp: the poll's XDP state
 *
 * Sends the XDP_TX frames still waiting, flushes redirects, lets frames
 * be returned directly again, and adds the poll's counts to the queue's
 * counters.
 *
 * Context: NAPI (the napi_stats writer), under rcu_read_lock().
 */
void vnet_xdp_poll_end(struct vnet_queue *q, struct vnet_xdp_poll *xp)
{
	struct vnet_napi_stats *s = &q->napi_stats;

	vnet_xdp_tx_flush(q, xp);
	if (xp->redirected)
		xdp_do_flush();
	xdp_clear_return_frame_no_direct();
	if (!xp->packets && !xp->nomem)
		return;
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->xdp_packets, xp->packets);
	u64_stats_add(&s->xdp_bytes, xp->bytes);
	u64_stats_add(&s->xdp_pass, xp->pass);
	u64_stats_add(&s->xdp_drop, xp->drop);
	u64_stats_add(&s->xdp_tx, xp->tx_sent);
	u64_stats_add(&s->xdp_tx_errors, xp->tx_errors);
	u64_stats_add(&s->xdp_redirect, xp->redirect);
	u64_stats_add(&s->xdp_redirect_errors, xp->redirect_errors);
	u64_stats_add(&s->xdp_aborted, xp->aborted);
	u64_stats_add(&s->xdp_in_place, xp->in_place);
	u64_stats_add(&s->rx_nomem, xp->nomem);
	u64_stats_update_end(&s->syncp);
}

/*
 * While a program is attached, frames must fit an RX buffer: the MTU of
 * the device, and of its peer (whose frames it receives), is capped, and
 * the peer sends no GSO frames (see vnet_xdp_fix_features()).
 */
static void vnet_xdp_cap_mtu(struct net_device *dev, struct net_device *peer)
{
	bool capped = vnet_xdp_attached(dev) || (peer && vnet_xdp_attached(peer));

	dev->max_mtu = capped ? VNET_XDP_MAX_MTU : VNET_MAX_MTU;
}

static int vnet_xdp_set(struct net_device *dev, struct bpf_prog *prog,
			struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);
	struct bpf_prog *old;

	BUILD_BUG_ON(VNET_XDP_MAX_MTU + ETH_HLEN + VLAN_HLEN > VNET_XDP_FRAME_MAX);
	if (prog) {
		if (dev->mtu > VNET_XDP_MAX_MTU) {
			NL_SET_ERR_MSG_MOD(extack, "MTU too large for XDP: at most "
					   __stringify(VNET_XDP_MAX_MTU));
			return -ERANGE;
		}
		if (peer && peer->mtu > VNET_XDP_MAX_MTU) {
			NL_SET_ERR_MSG_MOD(extack, "the peer's MTU is too large for XDP: at most "
					   __stringify(VNET_XDP_MAX_MTU));
			return -ERANGE;
		}
		if (peer && ((struct vnet_priv *)netdev_priv(peer))->num_queues >
			    priv->num_queues) {
			NL_SET_ERR_MSG_MOD(extack,
					   "XDP needs at least as many queues as the peer has");
			return -ENOSPC;
		}
	}
	old = rcu_replace_pointer(priv->xdp_prog, prog, lockdep_rtnl_is_held());
	/* NAPI may still run the old program: it is freed after a grace period. */
	if (old)
		bpf_prog_put(old);
	vnet_xdp_cap_mtu(dev, peer);
	if (peer) {
		vnet_xdp_cap_mtu(peer, dev);
		netdev_update_features(peer);
	}
	netif_info(priv, drv, dev, "XDP program %s\n", prog ? "attached" : "detached");
	return 0;
}

/**
 * vnet_xdp_bpf() - ndo_bpf: attach or detach an XDP program
 * @dev: the vnet device
 * @bpf: the command; only XDP_SETUP_PROG (AF_XDP works in copy mode)
 *
 * Programs attach and detach whether the device is up or down, while
 * traffic flows: NAPI reads the program once per poll.
 *
 * Context: process context, RTNL held.
 * Return: 0, -ERANGE (an MTU too large for one RX buffer), -ENOSPC (fewer
 * queues than the peer), -EOPNOTSUPP for other commands.
 */
int vnet_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return vnet_xdp_set(dev, bpf->prog, bpf->extack);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * vnet_xdp_check_channels() - may a device use @count queues, given XDP?
 * @priv: the device
 * @count: the queue count asked for (ethtool -L)
 *
 * A pair end with a program needs at least as many queues as its peer:
 * it may not shrink below the peer's count, nor may the peer grow past it.
 *
 * Context: RTNL held.
 * Return: 0 or -EINVAL.
 */
int vnet_xdp_check_channels(struct vnet_priv *priv, u16 count)
{
	struct net_device *peer = rtnl_dereference(priv->peer);
	struct vnet_priv *ppriv;

	if (!peer)
		return 0;
	ppriv = netdev_priv(peer);
	if (vnet_xdp_attached(priv->dev) && count < ppriv->num_queues) {
		netdev_err(priv->dev, "XDP needs at least as many queues as the peer's %u\n",
			   ppriv->num_queues);
		return -EINVAL;
	}
	if (vnet_xdp_attached(peer) && count > ppriv->num_queues) {
		netdev_err(priv->dev, "the peer's XDP needs it to have as many queues as this end: at most %u\n",
			   ppriv->num_queues);
		return -EINVAL;
	}
	return 0;
}

/**
 * vnet_xdp_fix_features() - ndo_fix_features: no GSO towards an XDP peer
 * @dev: a vnet device
 * @features: the features asked for
 *
 * An XDP program sees frames, so while the peer has one this end sends
 * no frames longer than the MTU: the stack segments them first.
 *
 * Context: RTNL held.
 * Return: @features, less GSO if the peer has a program.
 */
netdev_features_t vnet_xdp_fix_features(struct net_device *dev,
					netdev_features_t features)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (peer && vnet_xdp_attached(peer))
		features &= ~NETIF_F_GSO_SOFTWARE;
	return features;
}
