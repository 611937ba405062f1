/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_compat.h - the only place where kernel-version differences live.
 *
 * vnet's sources are written against the newest kernel API of the matrix
 * (6.1, 6.12, 7.2). This header backports the newer names to older kernels
 * by feature detection, never by version number: a macro is tested with
 * #ifdef; for a function, Kbuild greps the kernel's header and defines
 * VNET_HAVE_<FEATURE> when it is there (see src/Kbuild).
 */
#ifndef _VNET_COMPAT_H
#define _VNET_COMPAT_H

#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <net/rtnetlink.h>
#include <net/xdp.h>

/* 6.16 renamed from_timer() to timer_container_of(). */
#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

/* 6.13 added hrtimer_setup(); 6.15 removed hrtimer_init(). */
#ifndef VNET_HAVE_HRTIMER_SETUP
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * 6.13 gave each NAPI a config of its own (IRQ deferral, GRO flush
 * timeout, threading, its id), kept by the device while the NAPI comes
 * and goes. Before, a NAPI starts from the device's settings each time.
 */
#ifndef VNET_HAVE_NAPI_ADD_CONFIG
static inline void netif_napi_add_config(struct net_device *dev,
					 struct napi_struct *napi,
					 int (*poll)(struct napi_struct *, int),
					 int index)
{
	netif_napi_add(dev, napi, poll);
}
#endif

/*
 * 6.8 let a driver say which NAPI serves each queue, for netdev netlink
 * (queue-get). Before, nobody asks.
 */
#ifndef VNET_HAVE_QUEUE_SET_NAPI
/* A macro: its arguments (NETDEV_QUEUE_TYPE_*, 6.8's too) are not seen. */
#define netif_queue_set_napi(dev, queue_index, type, napi) do { } while (0)
#endif

/*
 * 6.9 added queue statistics (netdev_stat_ops: netdev netlink's
 * qstats-get), 6.10 the drop and stop/wake counters vnet fills: detected
 * by those. Before, vnet reports none: the structs, as far as vnet fills
 * them, let the same code build, and nothing is set on the device.
 */
#ifdef VNET_HAVE_NETDEV_STAT_OPS
#include <net/netdev_queues.h>
static inline void vnet_set_stat_ops(struct net_device *dev,
				     const struct netdev_stat_ops *ops)
{
	dev->stat_ops = ops;
}
#else
struct netdev_queue_stats_rx {
	u64 bytes;
	u64 packets;
	u64 hw_drops;
	u64 hw_drop_overruns;
};

struct netdev_queue_stats_tx {
	u64 bytes;
	u64 packets;
	u64 hw_drops;
	u64 stop;
	u64 wake;
};

struct netdev_stat_ops {
	void (*get_queue_stats_rx)(struct net_device *dev, int idx,
				   struct netdev_queue_stats_rx *stats);
	void (*get_queue_stats_tx)(struct net_device *dev, int idx,
				   struct netdev_queue_stats_tx *stats);
	void (*get_base_stats)(struct net_device *dev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx);
};

static inline void vnet_set_stat_ops(struct net_device *dev,
				     const struct netdev_stat_ops *ops)
{
}
#endif

/* 6.8 added ethtool_puts() for constant strings. */
#ifndef VNET_HAVE_ETHTOOL_PUTS
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

/*
 * 6.3 added xdp_features (what a device's XDP can do, checked by the core
 * before redirecting into it); 6.15 added the _locked setter, for devices
 * that are invisible or under their instance lock. Before 6.3 nothing
 * checks, so there is nothing to set.
 */
#ifndef VNET_HAVE_XDP_FEATURES
#define NETDEV_XDP_ACT_BASIC	0
#define NETDEV_XDP_ACT_REDIRECT	0
#define NETDEV_XDP_ACT_NDO_XMIT	0
static inline void xdp_set_features_flag_locked(struct net_device *dev, u32 val)
{
}
#elif !defined(VNET_HAVE_XDP_FEATURES_LOCKED)
#define xdp_set_features_flag_locked(dev, val) xdp_set_features_flag(dev, val)
#endif

/*
 * 6.15 (or so) passes rtnl_link_ops.newlink() its arguments in a struct and,
 * for kinds that name their peer attribute (peer_type), resolves the peer's
 * namespace in the core. vnet's newlink is written in the new form; older
 * kernels get the struct and a wrapper with the old signature.
 */
#ifndef VNET_HAVE_RTNL_NEWLINK_PARAMS
struct rtnl_newlink_params {
	struct net *src_net;
	struct net *link_net;
	struct net *peer_net;
	struct nlattr **tb;
	struct nlattr **data;
};
#endif

int vnet_newlink(struct net_device *dev, struct rtnl_newlink_params *params,
		 struct netlink_ext_ack *extack);

#ifndef VNET_HAVE_RTNL_NEWLINK_PARAMS
static inline int vnet_newlink_compat(struct net *src_net, struct net_device *dev,
				      struct nlattr *tb[], struct nlattr *data[],
				      struct netlink_ext_ack *extack)
{
	struct rtnl_newlink_params params = {
		.src_net = src_net, .tb = tb, .data = data,
	};

	return vnet_newlink(dev, &params, extack);
}

#define VNET_NEWLINK vnet_newlink_compat
#else
#define VNET_NEWLINK vnet_newlink
#endif

#ifdef VNET_HAVE_RTNL_PEER_TYPE
#define VNET_LINK_OPS_PEER_TYPE(attr)	.peer_type = (attr),
#else
#define VNET_LINK_OPS_PEER_TYPE(attr)
#endif

/*
 * The peer's namespace, referenced: resolved by the core where it does so,
 * else from the peer's own IFLA_NET_NS_* attributes, with the check the
 * core would make (CAP_NET_ADMIN over that namespace).
 */
static inline struct net *vnet_newlink_peer_net(struct rtnl_newlink_params *p,
						struct nlattr **peer_tb)
{
	struct net *net;

	if (p->peer_net)
		return get_net(p->peer_net);
	net = rtnl_link_get_net(p->link_net ? : p->src_net, peer_tb);
	if (!IS_ERR(net) && !ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		put_net(net);
		return ERR_PTR(-EPERM);
	}
	return net;
}

/* 6.10 dropped __assign_str()'s source: __string() already names it. */
#ifdef VNET_HAVE_ASSIGN_STR_1
#define vnet_assign_str(dst, src)	__assign_str(dst)
#else
#define vnet_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * 6.6 moved page_pool's API to net/page_pool/helpers.h; 6.7 made page
 * fragments part of every pool, where 6.1 wants PP_FLAG_PAGE_FRAG asked for.
 */
#ifdef VNET_HAVE_PAGE_POOL_HELPERS
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif
#ifdef PP_FLAG_PAGE_FRAG
#define VNET_PP_FLAG_FRAG	PP_FLAG_PAGE_FRAG
#else
#define VNET_PP_FLAG_FRAG	0
#endif

/*
 * 6.8 let a page pool name its device, for netdev netlink (page-pool-get);
 * the core hands the pool to the loopback device if pages are still out
 * when the device goes. Before, nobody asks.
 */
#ifdef VNET_HAVE_PAGE_POOL_NETDEV
#define vnet_page_pool_set_netdev(pp, dev)	((pp)->netdev = (dev))
#else
#define vnet_page_pool_set_netdev(pp, dev)	do { } while (0)
#endif

/*
 * Until 6.5, an skb built around a page-pool frame
 * (xdp_build_skb_from_frame()) took the page out of its pool for good
 * (xdp_release_frame()); since, the skb is marked for recycling and the
 * page goes back to the pool when the stack frees it.
 * vnet_xdp_skb_unpools(type): whether an skb around a frame of memory
 * model @type would take its page out of its pool.
 */
#ifdef VNET_HAVE_XDP_RELEASE_FRAME
#define vnet_xdp_skb_unpools(type)	((type) == MEM_TYPE_PAGE_POOL)
#else
#define vnet_xdp_skb_unpools(type)	false
#endif

#endif /* _VNET_COMPAT_H */
