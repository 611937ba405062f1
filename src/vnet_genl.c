// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_genl.c - the generic netlink family "vnet": what vnet itself lets
 * an administrator read and change on a device that exists.
 *
 * Three settings that real NICs have per device - where its interrupts go
 * (irq-spread), busy polling (rx-poll-us), the TX completion latency
 * (tx-delay-us) - one they have per queue, the CPU its interrupts go to
 * (irq-cpu, as a vector's affinity) - and the faults (docs/FAULTS.md).
 * The settings start as the module's parameters say; the faults used to be link
 * attributes of the "vnet" kind, changed by RTM_NEWLINK and reported in
 * every RTM_GETLINK answer; but the kernel's own netlink tools (ynl)
 * decode link data by kind from the kernel's specs, know no "vnet", and
 * gave up on the whole answer. A family of our own, described by
 * spec/vnet.yaml in the format of the kernel's Documentation/netlink/specs,
 * lets vnetctl, ynl and any other client drive it from that description.
 *
 *   dev-get  do: one device by ifindex; dump: every vnet device of the
 *            caller's namespace
 *   dev-set  do: change what the request names (CAP_NET_ADMIN over the
 *            device's namespace)
 *
 * Both run under RTNL, which guards the settings (vnet_fault_nl.c).
 */
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <net/sock.h>

#include "vnet.h"

/* A queue's setting that a dev-set request leaves as it is. */
#define VNET_GENL_KEEP	INT_MIN

static const struct nla_policy vnet_genl_queue_policy[VNET_A_QUEUE_MAX + 1] = {
	[VNET_A_QUEUE_INDEX]	= { .type = NLA_U32 },
	/* Checked in vnet_irq_cpu_check(): which CPUs, with a message. */
	[VNET_A_QUEUE_IRQ_CPU]	= { .type = NLA_S32 },
};

static const struct nla_policy vnet_genl_dev_policy[VNET_A_DEV_MAX + 1] = {
	[VNET_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[VNET_A_DEV_IRQ_SPREAD]	= NLA_POLICY_MAX(NLA_U8, 1),
	/* Checked in vnet_genl_settings_check(): a u32 limit, with a message. */
	[VNET_A_DEV_RX_POLL_US]	= { .type = NLA_U32 },
	[VNET_A_DEV_TX_DELAY_US] = { .type = NLA_U32 },
	[VNET_A_DEV_FAULT_TX]	= { .type = NLA_NESTED },
	[VNET_A_DEV_FAULT_RX]	= { .type = NLA_NESTED },
	[VNET_A_DEV_FAULT_SEED]	= { .type = NLA_U64 },
	[VNET_A_DEV_RX_EXHAUST]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_A_DEV_TX_STALL]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VNET_A_DEV_FLAP_MS]	= { .type = NLA_U32 },
	[VNET_A_DEV_QUEUE]	= NLA_POLICY_NESTED(vnet_genl_queue_policy),
};

static struct genl_family vnet_genl_family;

/* The device a request names, if it is a vnet device. Context: RTNL. */
static struct net_device *vnet_genl_dev(struct genl_info *info)
{
	struct net_device *dev;

	if (!info->attrs[VNET_A_DEV_IFINDEX]) {
		NL_SET_ERR_MSG_MOD(info->extack, "which device? (ifindex)");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(genl_info_net(info),
				 nla_get_u32(info->attrs[VNET_A_DEV_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VNET_A_DEV_IFINDEX],
				    "no such device in this namespace");
		return ERR_PTR(-ENODEV);
	}
	if (!vnet_is_vnet(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VNET_A_DEV_IFINDEX],
				    "not a vnet device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

/*
 * The vnet device of @net with the lowest ifindex not below *@ifindex,
 * which is set to it. Context: RTNL.
 */
static struct net_device *vnet_genl_next_dev(struct net *net,
					     unsigned long *ifindex)
{
	struct net_device *dev, *next = NULL;

	for_each_netdev(net, dev)
		if (vnet_is_vnet(dev) && dev->ifindex >= *ifindex &&
		    (!next || dev->ifindex < next->ifindex))
			next = dev;
	if (next)
		*ifindex = next->ifindex;
	return next;
}

/* Each queue in use, with its settings. Context: RTNL (num_queues). */
static int vnet_genl_queues_fill(struct sk_buff *skb,
				 const struct vnet_priv *priv)
{
	struct nlattr *nest;
	u16 i;

	for (i = 0; i < priv->num_queues; i++) {
		nest = nla_nest_start(skb, VNET_A_DEV_QUEUE);
		if (!nest ||
		    nla_put_u32(skb, VNET_A_QUEUE_INDEX, i) ||
		    nla_put_s32(skb, VNET_A_QUEUE_IRQ_CPU,
				READ_ONCE(priv->queues[i].irq_cpu)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int vnet_genl_settings_fill(struct sk_buff *skb,
				   const struct vnet_priv *priv)
{
	if (nla_put_u8(skb, VNET_A_DEV_IRQ_SPREAD, READ_ONCE(priv->irq_spread)) ||
	    nla_put_u32(skb, VNET_A_DEV_RX_POLL_US, READ_ONCE(priv->rx_poll_us)) ||
	    nla_put_u32(skb, VNET_A_DEV_TX_DELAY_US, READ_ONCE(priv->tx_delay_us)))
		return -EMSGSIZE;
	return vnet_genl_queues_fill(skb, priv);
}

/*
 * The VNET_A_DEV_QUEUE nests of a request (one per queue it changes; the
 * family's policy checked their attributes' types), parsed into @cpus:
 * the irq-cpu to set per queue, or VNET_GENL_KEEP. Context: RTNL.
 * Return: 0, or -EINVAL with a message for a queue not in use, a queue
 * named twice, no index, or a CPU vnet_irq_cpu_check() refuses.
 */
static int vnet_genl_queues_parse(const struct vnet_priv *priv,
				  const struct genl_info *info, int *cpus)
{
	struct nlattr *tb[VNET_A_QUEUE_MAX + 1];
	DECLARE_BITMAP(seen, VNET_MAX_QUEUES) = {};
	const struct nlattr *a;
	int rem, err;
	u32 index;

	nla_for_each_attr(a, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(a) != VNET_A_DEV_QUEUE)
			continue;
		err = nla_parse_nested(tb, VNET_A_QUEUE_MAX, a,
				       vnet_genl_queue_policy, info->extack);
		if (err)
			return err;
		if (!tb[VNET_A_QUEUE_INDEX]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "queue: which one? (index)");
			return -EINVAL;
		}
		index = nla_get_u32(tb[VNET_A_QUEUE_INDEX]);
		if (index >= priv->num_queues) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VNET_A_QUEUE_INDEX],
					    "no such queue in use (ethtool -l)");
			return -EINVAL;
		}
		if (__test_and_set_bit(index, seen)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[VNET_A_QUEUE_INDEX],
					    "queue named twice");
			return -EINVAL;
		}
		if (!tb[VNET_A_QUEUE_IRQ_CPU])
			continue;
		cpus[index] = nla_get_s32(tb[VNET_A_QUEUE_IRQ_CPU]);
		err = vnet_irq_cpu_check(cpus[index], info->extack);
		if (err)
			return err;
	}
	return 0;
}

/* The settings' times: at most VNET_SETTING_MAX_US, said with a message. */
static int vnet_genl_settings_check(struct nlattr **tb,
				    struct netlink_ext_ack *extack)
{
	static const int attrs[] = { VNET_A_DEV_RX_POLL_US, VNET_A_DEV_TX_DELAY_US };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		const struct nlattr *a = tb[attrs[i]];

		if (a && nla_get_u32(a) > VNET_SETTING_MAX_US) {
			NL_SET_ERR_MSG_ATTR(extack, a, "at most 1 s (1000000 us)");
			return -ERANGE;
		}
	}
	return 0;
}

/*
 * The data path reads each setting once where it acts (READ_ONCE()): a
 * change applies from the next doorbell, interrupt or poll on.
 */
static void vnet_genl_settings_set(struct vnet_priv *priv, struct nlattr **tb,
				   const int *cpus)
{
	u16 i;

	for (i = 0; i < priv->num_queues; i++)
		if (cpus[i] != VNET_GENL_KEEP)
			WRITE_ONCE(priv->queues[i].irq_cpu, cpus[i]);
	if (tb[VNET_A_DEV_IRQ_SPREAD])
		WRITE_ONCE(priv->irq_spread, nla_get_u8(tb[VNET_A_DEV_IRQ_SPREAD]));
	if (tb[VNET_A_DEV_RX_POLL_US])
		WRITE_ONCE(priv->rx_poll_us, nla_get_u32(tb[VNET_A_DEV_RX_POLL_US]));
	if (tb[VNET_A_DEV_TX_DELAY_US])
		WRITE_ONCE(priv->tx_delay_us, nla_get_u32(tb[VNET_A_DEV_TX_DELAY_US]));
}

/* One device's attributes, as a message of @cmd. Context: RTNL. */
static int vnet_genl_dev_fill(struct sk_buff *skb, struct net_device *dev,
			      u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VNET_A_DEV_IFINDEX, dev->ifindex) ||
	    vnet_genl_settings_fill(skb, netdev_priv(dev)) ||
	    vnet_fault_fill(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vnet_genl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	dev = vnet_genl_dev(info);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = vnet_genl_dev_fill(msg, dev, info->snd_portid,
					 info->snd_seq, 0, VNET_CMD_DEV_GET);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Every vnet device of the caller's namespace, in ifindex order, so that
 * a dump that needs several messages resumes after the last one sent
 * (cb->args[0]) even if devices come and go meanwhile.
 */
static int vnet_genl_dev_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long ifindex = cb->args[0];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	for (;; ifindex++) {
		dev = vnet_genl_next_dev(net, &ifindex);
		if (!dev)
			break;
		err = vnet_genl_dev_fill(skb, dev, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI,
					 VNET_CMD_DEV_GET);
		if (err)
			break;
	}
	rtnl_unlock();
	cb->args[0] = ifindex;
	/* A full message: what was put goes now, the rest in the next. */
	return err == -EMSGSIZE && skb->len ? skb->len : err;
}

static int vnet_genl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct vnet_fault_attrs faults = {
		.dir = { tb[VNET_A_DEV_FAULT_TX], tb[VNET_A_DEV_FAULT_RX] },
		.seed = tb[VNET_A_DEV_FAULT_SEED],
		.rx_exhaust = tb[VNET_A_DEV_RX_EXHAUST],
		.tx_stall = tb[VNET_A_DEV_TX_STALL],
		.flap_ms = tb[VNET_A_DEV_FLAP_MS],
	};
	int cpus[VNET_MAX_QUEUES];
	struct net_device *dev;
	int err, i;

	rtnl_lock();
	dev = vnet_genl_dev(info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out_unlock;
	}
	/*
	 * Interrupts sent to other CPUs and a busy-polling ksoftirqd cost
	 * CPUs a container's namespace does not own: only the host's
	 * administrator may ask for them.
	 */
	if ((tb[VNET_A_DEV_IRQ_SPREAD] || tb[VNET_A_DEV_RX_POLL_US] ||
	     tb[VNET_A_DEV_QUEUE]) && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "irq-spread, irq-cpu and rx-poll-us spend the host's CPUs: CAP_NET_ADMIN in the initial namespace");
		err = -EPERM;
		goto out_unlock;
	}
	/* Under RTNL: num_queues cannot change before the settings are set. */
	for (i = 0; i < VNET_MAX_QUEUES; i++)
		cpus[i] = VNET_GENL_KEEP;
	err = vnet_genl_settings_check(tb, info->extack);
	if (!err)
		err = vnet_genl_queues_parse(netdev_priv(dev), info, cpus);
	if (!err)
		err = vnet_fault_validate(&faults, info->extack);
	/* The faults first: they may fail (ENOMEM), the settings cannot. */
	if (!err && vnet_fault_given(&faults))
		err = vnet_fault_set(dev, &faults, info->extack);
	if (!err)
		vnet_genl_settings_set(netdev_priv(dev), tb, cpus);
out_unlock:
	rtnl_unlock();
	return err;
}

static const struct genl_ops vnet_genl_ops[] = {
	{
		.cmd	= VNET_CMD_DEV_GET,
		.doit	= vnet_genl_dev_get_doit,
		.dumpit	= vnet_genl_dev_get_dumpit,
	},
	{
		.cmd	= VNET_CMD_DEV_SET,
		.doit	= vnet_genl_dev_set_doit,
		/* CAP_NET_ADMIN over the namespace, as for `ip link set`. */
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family vnet_genl_family __ro_after_init = {
	.name		= VNET_GENL_NAME,
	.version	= VNET_GENL_VERSION,
	.maxattr	= VNET_A_DEV_MAX,
	.policy		= vnet_genl_dev_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= vnet_genl_ops,
	.n_ops		= ARRAY_SIZE(vnet_genl_ops),
	/* resv_start_op 0: a new family, every command checked strictly. */
};

/**
 * vnet_genl_register() - make the vnet family known
 *
 * Context: module init.
 * Return: 0 or a negative errno.
 */
int vnet_genl_register(void)
{
	return genl_register_family(&vnet_genl_family);
}

/**
 * vnet_genl_unregister() - the vnet family goes (waits for its requests)
 *
 * Context: module exit, or init failing.
 */
void vnet_genl_unregister(void)
{
	genl_unregister_family(&vnet_genl_family);
}
