// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_fault_nl.c - setting the faults: the fault attributes of a request
 * to the vnet family (vnetctl fault, vnet_genl.c) or of the RTM_NEWLINK
 * that makes a device (vnetctl add ... fault, vnet_link.c).
 *
 * The control side of vnet_fault.c: checks a request, makes the new
 * settings and publishes them for NAPI (RCU), re-seeds the random state,
 * starts or stops the link flaps and restores the carrier, lets a stalled
 * engine go; and reports the settings (VNET_CMD_DEV_GET). Everything here
 * runs under RTNL. docs/FAULTS.md describes the faults for users.
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
 * @a: the attributes
 * @extack: where to say what was wrong
 *
 * Context: process context, RTNL held.
 * Return: 0, or -ERANGE/-EINVAL with an extack message.
 */
int vnet_fault_validate(const struct vnet_fault_attrs *a,
			struct netlink_ext_ack *extack)
{
	int err, d;

	for (d = 0; d < VNET_DIR_NUM; d++) {
		if (a->dir[d]) {
			err = vnet_fault_parse_dir(a->dir[d], NULL, extack);
			if (err)
				return err;
		}
	}
	if (a->flap_ms) {
		u32 ms = nla_get_u32(a->flap_ms);

		if (ms && (ms < VNET_FLAP_MIN_MS || ms > VNET_FLAP_MAX_MS)) {
			NL_SET_ERR_MSG_ATTR(extack, a->flap_ms,
					    "flap period is 0 (off) or 10 ms to 1 hour");
			return -ERANGE;
		}
	}
	return 0;
}

/**
 * vnet_fault_given() - whether a request sets any fault
 * @a: the attributes
 *
 * Return: true if one of the fault attributes is present.
 */
bool vnet_fault_given(const struct vnet_fault_attrs *a)
{
	return a->dir[VNET_DIR_TX] || a->dir[VNET_DIR_RX] || a->seed ||
	       a->rx_exhaust || a->tx_stall || a->flap_ms;
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
 * @a: the attributes, checked by vnet_fault_validate()
 * @extack: where to say what was wrong
 *
 * Attributes left out keep their values. Any change re-seeds the random
 * state of every queue (at its next NAPI poll).
 *
 * Context: process context, RTNL held.
 * Return: 0 or -ENOMEM (nothing changed then).
 */
int vnet_fault_set(struct net_device *dev, const struct vnet_fault_attrs *a,
		   struct netlink_ext_ack *extack)
{
	struct vnet_priv *priv = netdev_priv(dev);
	struct vnet_fault_cfg set = priv->fault_set;
	struct vnet_fault_cfg *cfg = NULL, *old;
	int err, d;

	ASSERT_RTNL();
	for (d = 0; d < VNET_DIR_NUM; d++) {
		if (a->dir[d]) {
			err = vnet_fault_parse_dir(a->dir[d], &set.dir[d], extack);
			if (err)
				return err;
		}
		set.active[d] = vnet_fault_dir_active(&set.dir[d]);
	}
	if (a->seed)
		set.seed = nla_get_u64(a->seed);
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

	if (a->rx_exhaust)
		WRITE_ONCE(priv->rx_exhaust, !!nla_get_u8(a->rx_exhaust));
	if (a->tx_stall) {
		bool stall = nla_get_u8(a->tx_stall);

		WRITE_ONCE(priv->tx_stall, stall);
		if (!stall)
			vnet_fault_tx_unstall(priv);
	}
	if (a->flap_ms)
		vnet_fault_set_flap(priv, nla_get_u32(a->flap_ms));
	netif_info(priv, drv, dev, "faults set (seed %llu)\n", set.seed);
	return 0;
}

/**
 * vnet_fault_fill() - report the faults set, as VNET_A_DEV_* attributes
 * @skb: the vnet family's message being built
 * @dev: the vnet device
 *
 * Context: RTNL held.
 * Return: 0 or -EMSGSIZE.
 */
int vnet_fault_fill(struct sk_buff *skb, const struct net_device *dev)
{
	const struct vnet_priv *priv = netdev_priv(dev);
	const struct vnet_fault_cfg *set = &priv->fault_set;
	int d, i;

	for (d = 0; d < VNET_DIR_NUM; d++) {
		struct vnet_fault_dir dir = set->dir[d];
		struct nlattr *nest;

		nest = nla_nest_start(skb, VNET_A_DEV_FAULT_TX + d);
		if (!nest)
			return -EMSGSIZE;
		for (i = VNET_FAULT_DROP; i <= VNET_FAULT_MAX; i++)
			if (nla_put_u32(skb, i, *vnet_fault_field(&dir, i)))
				return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	if (nla_put_u64_64bit(skb, VNET_A_DEV_FAULT_SEED, set->seed, VNET_A_DEV_PAD) ||
	    nla_put_u8(skb, VNET_A_DEV_RX_EXHAUST, READ_ONCE(priv->rx_exhaust)) ||
	    nla_put_u8(skb, VNET_A_DEV_TX_STALL, READ_ONCE(priv->tx_stall)) ||
	    nla_put_u32(skb, VNET_A_DEV_FLAP_MS, priv->flap_ms))
		return -EMSGSIZE;
	return 0;
}
