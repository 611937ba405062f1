// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_fault_nl.c - setting the faults: the VNET_INFO_* attributes of the
 * vnet link kind (vnetctl fault, `ip link add/set ... type vnet`).
 *
 * The control side of vnet_fault.c: checks a request, makes the new
 * settings and publishes them for NAPI (RCU), re-seeds the random state,
 * starts or stops the link flaps and restores the carrier, lets a stalled
 * engine go; and reports the settings in RTM_GETLINK answers. Everything
 * here runs under RTNL. docs/FAULTS.md describes the faults for users.
 */
#include <linux/error-injection.h>
#include <linux/slab.h>
#include <net/rtnetlink.h>

#include "vnet.h"

static const struct nla_policy vnet_fault_policy[VNET_FAULT_MAX + 1] = {
	[VNET_FAULT_DROP]	= { .type = NLA_U32 },
	[VNET_FAULT_CORRUPT]	= { .type = NLA_U32 },
	[VNET_FAULT_DUPLICATE]	= { .type = NLA_U32 },
	[VNET_FAULT_REORDER]	= { .type = NLA_U32 },
	[VNET_FAULT_DELAY_US]	= { .type = NLA_U32 },
	[VNET_FAULT_JITTER_US]	= { .type = NLA_U32 },
};

/* The u32 fields of struct vnet_fault_dir, by attribute. */
static u32 *vnet_fault_field(struct vnet_fault_dir *d, int attr)
{
	switch (attr) {
	case VNET_FAULT_DROP:
		return &d->drop;
	case VNET_FAULT_CORRUPT:
		return &d->corrupt;
	case VNET_FAULT_DUPLICATE:
		return &d->duplicate;
	case VNET_FAULT_REORDER:
		return &d->reorder;
	case VNET_FAULT_DELAY_US:
		return &d->delay_us;
	default:
		return &d->jitter_us;
	}
}

/* Check one direction's nest; fill @d with what it sets, if @d. */
static int vnet_fault_parse_dir(const struct nlattr *nest, struct vnet_fault_dir *d,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VNET_FAULT_MAX + 1];
	int err, i;

	err = nla_parse_nested(tb, VNET_FAULT_MAX, nest, vnet_fault_policy, extack);
	if (err)
		return err;
	for (i = VNET_FAULT_DROP; i <= VNET_FAULT_MAX; i++) {
		u32 v;

		if (!tb[i])
			continue;
		v = nla_get_u32(tb[i]);
		if (i <= VNET_FAULT_REORDER && v > VNET_FAULT_PPM_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "probability above 100% (1000000 ppm)");
			return -ERANGE;
		}
		if (i > VNET_FAULT_REORDER && v > VNET_FAULT_DELAY_MAX_US) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "delay and jitter are at most 10 s");
			return -ERANGE;
		}
		if (d)
			*vnet_fault_field(d, i) = v;
	}
	return 0;
}

/**
 * vnet_fault_validate() - check the fault attributes of a request
 * @data: the IFLA_INFO_DATA attributes, or NULL
 * @extack: where to say what was wrong
 *
 * Context: process context, RTNL held.
 * Return: 0, or -ERANGE/-EINVAL with an extack message.
 */
int vnet_fault_validate(struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err, d;

	if (!data)
		return 0;
	for (d = 0; d < VNET_DIR_NUM; d++) {
		struct nlattr *nest = data[VNET_INFO_FAULT_TX + d];

		if (nest) {
			err = vnet_fault_parse_dir(nest, NULL, extack);
			if (err)
				return err;
		}
	}
	if (data[VNET_INFO_FLAP_MS]) {
		u32 ms = nla_get_u32(data[VNET_INFO_FLAP_MS]);

		if (ms && (ms < VNET_FLAP_MIN_MS || ms > VNET_FLAP_MAX_MS)) {
			NL_SET_ERR_MSG_ATTR(extack, data[VNET_INFO_FLAP_MS],
					    "flap period is 0 (off) or 10 ms to 1 hour");
			return -ERANGE;
		}
	}
	return 0;
}

/**
 * vnet_fault_given() - whether a request sets any fault
 * @data: the IFLA_INFO_DATA attributes, or NULL
 *
 * Return: true if one of the fault attributes is present.
 */
bool vnet_fault_given(struct nlattr *data[])
{
	int i;

	for (i = VNET_INFO_FAULT_TX; data && i <= VNET_INFO_FLAP_MS; i++)
		if (data[i])
			return true;
	return false;
}

static bool vnet_fault_dir_active(const struct vnet_fault_dir *d)
{
	return d->drop || d->corrupt || d->duplicate || d->reorder ||
	       d->delay_us || d->jitter_us;
}

/* Restore the carrier a device has when nothing flaps it. */
static void vnet_fault_carrier_restore(struct vnet_priv *priv)
{
	struct net_device *dev = priv->dev;

	if (!netif_running(dev))
		return;
	if (rtnl_dereference(priv->peer))
		vnet_pair_carrier(dev);
	else
		netif_carrier_on(dev);
}

/* Let stalled TX engines complete what they hold. Context: RTNL. */
static void vnet_fault_tx_unstall(struct vnet_priv *priv)
{
	u16 i;

	if (!netif_running(priv->dev))
		return;
	local_bh_disable();
	for (i = 0; i < priv->num_queues; i++)
		vnet_tx_kick(&priv->queues[i]);
	local_bh_enable();
}

static void vnet_fault_set_flap(struct vnet_priv *priv, u32 ms)
{
	u32 old = priv->flap_ms;

	WRITE_ONCE(priv->flap_ms, ms);
	if (!ms && old) {
		timer_delete_sync(&priv->flap_timer);
		vnet_fault_carrier_restore(priv);
	} else if (ms && netif_running(priv->dev)) {
		mod_timer(&priv->flap_timer, jiffies + msecs_to_jiffies(ms));
	}
}

/*
 * The copy of the settings the data path reads. Its own function so that
 * the debug kernel's fail_function can make it fail: the suite checks that
 * RTM_NEWLINK with faults that cannot be set creates no device.
 */
static noinline struct vnet_fault_cfg *
vnet_fault_cfg_dup(const struct vnet_fault_cfg *set)
{
	return kmemdup(set, sizeof(*set), GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(vnet_fault_cfg_dup, NULL);

/**
 * vnet_fault_set() - apply the fault attributes of a request
 * @dev: the vnet device
 * @data: the IFLA_INFO_DATA attributes, checked by vnet_fault_validate()
 * @extack: where to say what was wrong
 *
 * Attributes left out keep their values. Any change re-seeds the random
 * state of every queue (at its next NAPI poll).
 *
 * Context: process context, RTNL held.
 * Return: 0 or -ENOMEM (nothing changed then).
 */
int vnet_fault_set(struct net_device *dev, struct nlattr *data[],
		   struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_fault_cfg set = priv->fault_set;
	struct vnet_fault_cfg *cfg = NULL, *old;
	int err, d;

	ASSERT_RTNL();
	for (d = 0; d < VNET_DIR_NUM; d++) {
		struct nlattr *nest = data[VNET_INFO_FAULT_TX + d];

		if (nest) {
			err = vnet_fault_parse_dir(nest, &set.dir[d], extack);
			if (err)
				return err;
		}
		set.active[d] = vnet_fault_dir_active(&set.dir[d]);
	}
	if (data[VNET_INFO_FAULT_SEED])
		set.seed = nla_get_u64(data[VNET_INFO_FAULT_SEED]);
	set.gen++;
	if (set.active[VNET_DIR_TX] || set.active[VNET_DIR_RX]) {
		cfg = vnet_fault_cfg_dup(&set);
		if (!cfg) {
			NL_SET_ERR_MSG_MOD(extack, "no memory for the fault settings");
			return -ENOMEM;
		}
	}
	old = rtnl_dereference(priv->fault);
	rcu_assign_pointer(priv->fault, cfg);
	if (old)
		kfree_rcu(old, rcu);
	priv->fault_set = set;

	if (data[VNET_INFO_RX_EXHAUST])
		WRITE_ONCE(priv->rx_exhaust, !!nla_get_u8(data[VNET_INFO_RX_EXHAUST]));
	if (data[VNET_INFO_TX_STALL]) {
		bool stall = nla_get_u8(data[VNET_INFO_TX_STALL]);

		WRITE_ONCE(priv->tx_stall, stall);
		if (!stall)
			vnet_fault_tx_unstall(priv);
	}
	if (data[VNET_INFO_FLAP_MS])
		vnet_fault_set_flap(priv, nla_get_u32(data[VNET_INFO_FLAP_MS]));
	netif_info(priv, drv, dev, "faults set (seed %llu)\n", set.seed);
	return 0;
}

/**
 * vnet_fault_get_size() - rtnl_link_ops.get_size: room for the fault dump
 * @dev: the vnet device
 *
 * Return: bytes vnet_fault_fill_info() may write.
 */
size_t vnet_fault_get_size(const struct net_device *dev)
{
	size_t dir = nla_total_size(0) + 6 * nla_total_size(sizeof(u32));

	return 2 * dir + nla_total_size_64bit(sizeof(u64)) +
	       2 * nla_total_size(sizeof(u8)) + nla_total_size(sizeof(u32));
}

/**
 * vnet_fault_fill_info() - rtnl_link_ops.fill_info: report the faults set
 * @skb: the RTM_NEWLINK message being built
 * @dev: the vnet device
 *
 * Context: RTNL held.
 * Return: 0 or -EMSGSIZE.
 */
int vnet_fault_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct vnet_priv *priv = netdev_priv(dev);
	const struct vnet_fault_cfg *set = &priv->fault_set;
	int d, i;

	for (d = 0; d < VNET_DIR_NUM; d++) {
		struct vnet_fault_dir dir = set->dir[d];
		struct nlattr *nest;

		nest = nla_nest_start(skb, VNET_INFO_FAULT_TX + d);
		if (!nest)
			return -EMSGSIZE;
		for (i = VNET_FAULT_DROP; i <= VNET_FAULT_MAX; i++)
			if (nla_put_u32(skb, i, *vnet_fault_field(&dir, i)))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	if (nla_put_u64_64bit(skb, VNET_INFO_FAULT_SEED, set->seed, VNET_INFO_PAD) ||
	    nla_put_u8(skb, VNET_INFO_RX_EXHAUST, READ_ONCE(priv->rx_exhaust)) ||
	    nla_put_u8(skb, VNET_INFO_TX_STALL, READ_ONCE(priv->tx_stall)) ||
	    nla_put_u32(skb, VNET_INFO_FLAP_MS, priv->flap_ms))
		return -EMSGSIZE;
	return 0;
}
