// SPDX-License-Identifier: GPL-2.0
/*
 * vnetctl - create, delete and inspect vnet devices and pairs.
 *
 *   vnetctl add NAME [queues N] [netns NS] [peer PEER [queues N] [netns NS]]
 *               [fault FAULT...]
 *   vnetctl del NAME
 *   vnetctl show [NAME]
 *   vnetctl fault NAME [seed N] [tx|rx FAULT VALUE...] [rx-exhaust on|off]
 *                 [tx-stall on|off] [flap MS|off] [clear]
 *   vnetctl set NAME [irq-spread on|off] [rx-poll TIME] [tx-delay TIME]
 *               [queue N irq-cpu CPU|none]...
 *   vnetctl -n NS COMMAND...      any of these in network namespace NS
 *
 * It speaks rtnetlink (libmnl) for links, the generic netlink family "vnet"
 * (spec/vnet.yaml) for settings and faults, and the ethtool ioctl for rings, channels
 * and counters. Errors print the kernel's extack message and exit 1.
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "../src/vnet_uapi.h"

/* From linux/if.h, which clashes with net/if.h. */
#define VNETCTL_IFF_LOWER_UP	0x10000

struct end {
	const char *name;
	const char *netns;
	unsigned int queues;
	bool queues_set;
	int netns_fd;
};

static const char *prog = "vnetctl";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s add NAME [queues N] [netns NS] [peer PEER [queues N] [netns NS]]\n"
		"                  [fault FAULT...]\n"
		"       %s del NAME\n"
		"       %s show [NAME]\n"
		"       %s fault NAME [seed N] [tx|rx FAULT VALUE...] [rx-exhaust on|off]\n"
		"                    [tx-stall on|off] [flap MS|off] [clear]\n"
		"       %s set NAME [irq-spread on|off] [rx-poll TIME] [tx-delay TIME]\n"
		"                  [queue N irq-cpu CPU|none]...\n"
		"       %s -n NS COMMAND...\n"
		"       %s --help\n"
		"\n"
		"-n    runs COMMAND in network namespace NS (a name in /run/netns, or\n"
		"      a path to one), as 'ip -n' does.\n"
		"add   makes a standalone vnet device, or with 'peer' a pair whose ends\n"
		"      are each other's wire. 'queues' (1-16) is the number of TX/RX\n"
		"      queue pairs; given for one end only, it applies to both.\n"
		"      'netns' names a namespace in /run/netns (or is a path to one).\n"
		"      'fault', last, sets NAME's faults as 'fault' below does, in the\n"
		"      same request: if they cannot be set, no device is made.\n"
		"del   deletes a vnet device (and no other kind); deleting either end\n"
		"      of a pair deletes both.\n"
		"show  prints every vnet device (or NAME): link, peer, rings,\n"
		"      channels, settings, the faults set, every device counter, and\n"
		"      the per-queue counters that are not zero.\n"
		"fault sets a device's faults (docs/FAULTS.md); what is not named keeps\n"
		"      its value, 'clear' turns every fault off first. After 'tx' or 'rx'\n"
		"      (the frames NAME sends or receives) come wire faults:\n"
		"        drop P, corrupt P, duplicate P, reorder P   P in %% (0-100,\n"
		"                                                    decimals allowed)\n"
		"        delay T, jitter T                           T: N[us|ms|s] (us if\n"
		"                                                    no unit), at most 10 s\n"
		"      'seed' seeds every random choice (a run is reproducible);\n"
		"      'rx-exhaust on' makes every arriving frame a missed one;\n"
		"      'tx-stall on' stops TX completions until the watchdog resets the\n"
		"      device; 'flap MS' toggles the carrier every MS ms (10 to 3600000).\n"
		"set   changes NAME's settings (what is not named keeps its value; new\n"
		"      devices start with the module parameters irq_spread, rx_poll_us\n"
		"      and tx_delay_us):\n"
		"        irq-spread on   the interrupts a sender raises go to the next CPU\n"
		"        rx-poll T       busy polling: NAPI keeps polling until no frame\n"
		"                        has come for T (0: off)\n"
		"        tx-delay T      the TX engine completes frames T after the\n"
		"                        doorbell\n"
		"        queue N         the settings after it are queue N's:\n"
		"        irq-cpu CPU     its interrupts go to CPU, from any CPU, as a\n"
		"                        NIC vector's affinity ('none': as irq-spread\n"
		"                        says)\n"
		"      T: N[us|ms|s] (us if no unit), at most 1 s.\n",
		prog, prog, prog, prog, prog, prog, prog);
}

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* Send one request and wait for its ack; print the extack message if any. */
static int nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = nlh->nlmsg_seq;
	int n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return fail("%s: cannot talk to the kernel", what);
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return fail("%s: no answer from the kernel", what);
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == seq) {
		struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		const char *msg = NULL;

		if (!e->error)
			return 0;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
			struct nlattr *attr;
			size_t off = sizeof(*e);

			if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - sizeof(e->msg);
			mnl_attr_for_each_payload((void *)((char *)e + off),
						  nlh->nlmsg_len - MNL_NLMSG_HDRLEN - off) {
				if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
					msg = mnl_attr_get_str(attr);
			}
		}
		fprintf(stderr, "%s: %s: %s%s%s\n", prog, what, strerror(-e->error),
			msg ? ": " : "", msg ? msg : "");
		return 1;
	}
	return 0;
}

static struct mnl_socket *nl_open(int protocol)
{
	struct mnl_socket *nl = mnl_socket_open(protocol);
	int one = 1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("vnetctl: netlink");
		exit(1);
	}
	/* Ask for the kernel's explanation with errors. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	return nl;
}

static struct mnl_socket *rtnl_open(void)
{
	return nl_open(NETLINK_ROUTE);
}

/* Send one request on a socket of its own and wait for its ack. */
static int rtnl_request(struct nlmsghdr *nlh, const char *what)
{
	struct mnl_socket *nl = rtnl_open();
	int rc = nl_talk(nl, nlh, what);

	mnl_socket_close(nl);
	return rc;
}

static int open_netns(struct end *e)
{
	char path[256];

	if (!e->netns)
		return 0;
	if (e->netns[0] == '/')
		snprintf(path, sizeof(path), "%s", e->netns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", e->netns);
	e->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->netns_fd < 0)
		return fail("no network namespace '%s'", e->netns);
	return 0;
}

/* The attributes one end carries: its name, queue counts and namespace. */
static void put_end(struct nlmsghdr *nlh, const struct end *e)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, e->name);
	if (e->queues_set) {
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, e->queues);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, e->queues);
	}
	if (e->netns_fd > 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, e->netns_fd);
}

static int parse_end(struct end *e, int *i, int argc, char **argv)
{
	for (; *i < argc && strcmp(argv[*i], "peer") && strcmp(argv[*i], "fault"); *i += 2) {
		const char *key = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
		char *end;

		if (!val)
			return fail("'%s' needs a value", key);
		if (!strcmp(key, "queues")) {
			unsigned long n = strtoul(val, &end, 10);

			if (*end || end == val || n > 0xffffffffUL)
				return fail("queues: '%s' is not a number", val);
			/* Out-of-range counts go through: the kernel explains. */
			e->queues = n;
			e->queues_set = true;
		} else if (!strcmp(key, "netns")) {
			e->netns = val;
		} else {
			return fail("unknown option '%s' (see --help)", key);
		}
	}
	return 0;
}

/* Start an RTM_*LINK request in @buf: header, seq, an empty ifinfomsg. */
static struct nlmsghdr *link_request(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = time(NULL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	return nlh;
}

/* ------------------------------------------------------------------ */
/* fault                                                               */
/* ------------------------------------------------------------------ */

static const char *const fault_names[VNET_FAULT_MAX + 1] = {
	[VNET_FAULT_DROP] = "drop",
	[VNET_FAULT_CORRUPT] = "corrupt",
	[VNET_FAULT_DUPLICATE] = "duplicate",
	[VNET_FAULT_REORDER] = "reorder",
	[VNET_FAULT_DELAY_US] = "delay",
	[VNET_FAULT_JITTER_US] = "jitter",
};

struct faults {
	long long dir[2][VNET_FAULT_MAX + 1];	/* -1: not given */
	bool seed_set;
	uint64_t seed;
	int rx_exhaust, tx_stall;		/* -1: not given */
	long long flap_ms;			/* -1: not given */
};

/* "12.5%" or "12.5": parts per million; -1 if not a percentage 0-100. */
static long long parse_percent(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || (*end && strcmp(end, "%")) || v < 0 || v > 100)
		return -1;
	return (long long)(v * 10000 + 0.5);
}

/* A decimal number in [min, max], in *out; -1 if @s is not one. */
static int parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "N", "Nus", "Nms", "Ns": microseconds; -1 if not a duration of 0-10 s. */
static long long parse_duration(const char *s)
{
	long long mult = 1;
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		mult = 1000;
	else if (!strcmp(end, "s"))
		mult = 1000000;
	else if (*end && strcmp(end, "us"))
		return -1;
	v *= mult;
	if (v > VNET_FAULT_DELAY_MAX_US)
		return -1;
	return (long long)(v + 0.5);
}

static int parse_onoff(const char *key, const char *v, int *out)
{
	if (v && !strcmp(v, "on"))
		*out = 1;
	else if (v && !strcmp(v, "off"))
		*out = 0;
	else
		return fail("fault: %s takes 'on' or 'off'", key);
	return 0;
}

static int parse_faults(struct faults *f, int argc, char **argv)
{
	int dir = -1, i, k;

	for (i = 0; i < argc; i++) {
		const char *key = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(key, "tx") || !strcmp(key, "rx")) {
			dir = key[0] == 't' ? 0 : 1;
			continue;
		}
		if (!strcmp(key, "clear")) {
			for (k = 1; k <= VNET_FAULT_MAX; k++)
				f->dir[0][k] = f->dir[1][k] = 0;
			f->rx_exhaust = f->tx_stall = 0;
			f->flap_ms = 0;
			continue;
		}
		if (!v)
			return fail("fault: %s needs a value", key);
		i++;
		if (!strcmp(key, "seed")) {
			char *end;

			errno = 0;
			f->seed = strtoull(v, &end, 0);
			if (errno || end == v || *end || v[0] == '-')
				return fail("fault: seed '%s' is not a number", v);
			f->seed_set = true;
			continue;
		}
		if (!strcmp(key, "rx-exhaust")) {
			if (parse_onoff(key, v, &f->rx_exhaust))
				return 1;
			continue;
		}
		if (!strcmp(key, "tx-stall")) {
			if (parse_onoff(key, v, &f->tx_stall))
				return 1;
			continue;
		}
		if (!strcmp(key, "flap")) {
			char *end;

			errno = 0;
			f->flap_ms = !strcmp(v, "off") ? 0 : strtoll(v, &end, 10);
			if (strcmp(v, "off") && (errno || end == v || *end || f->flap_ms < 0 ||
			    (f->flap_ms && (f->flap_ms < VNET_FLAP_MIN_MS ||
					    f->flap_ms > VNET_FLAP_MAX_MS))))
				return fail("fault: flap '%s': give 'off' or 10 to 3600000 (ms)", v);
			continue;
		}
		for (k = 1; k <= VNET_FAULT_MAX; k++)
			if (!strcmp(key, fault_names[k]))
				break;
		if (k > VNET_FAULT_MAX)
			return fail("fault: unknown fault '%s' (see --help)", key);
		if (dir < 0)
			return fail("fault: say 'tx' or 'rx' before '%s'", key);
		if (k <= VNET_FAULT_REORDER) {
			f->dir[dir][k] = parse_percent(v);
			if (f->dir[dir][k] < 0) {
				fprintf(stderr, "%s: fault: %s '%s': a probability is 0 to 100%%\n",
					prog, key, v);
				return 1;
			}
		} else {
			f->dir[dir][k] = parse_duration(v);
			if (f->dir[dir][k] < 0) {
				fprintf(stderr, "%s: fault: %s '%s': give 0 to 10 s, e.g. 500us, 20ms\n",
					prog, key, v);
				return 1;
			}
		}
	}
	return 0;
}

/*
 * The numbers of the fault attributes: the link kind's (VNET_INFO_*, when
 * a device is made) or the vnet family's (VNET_A_DEV_*, afterwards).
 */
struct fault_attrs {
	uint16_t dir[2], seed, rx_exhaust, tx_stall, flap_ms;
};

static const struct fault_attrs link_fault_attrs = {
	.dir = { VNET_INFO_FAULT_TX, VNET_INFO_FAULT_RX },
	.seed = VNET_INFO_FAULT_SEED,
	.rx_exhaust = VNET_INFO_RX_EXHAUST,
	.tx_stall = VNET_INFO_TX_STALL,
	.flap_ms = VNET_INFO_FLAP_MS,
};

static const struct fault_attrs genl_fault_attrs = {
	.dir = { VNET_A_DEV_FAULT_TX, VNET_A_DEV_FAULT_RX },
	.seed = VNET_A_DEV_FAULT_SEED,
	.rx_exhaust = VNET_A_DEV_RX_EXHAUST,
	.tx_stall = VNET_A_DEV_TX_STALL,
	.flap_ms = VNET_A_DEV_FLAP_MS,
};

/* The fault attributes of @f, numbered as @an says. */
static void put_faults(struct nlmsghdr *nlh, const struct faults *f,
		       const struct fault_attrs *an)
{
	struct nlattr *nest;
	int d, k;

	for (d = 0; d < 2; d++) {
		nest = mnl_attr_nest_start(nlh, an->dir[d]);
		for (k = 1; k <= VNET_FAULT_MAX; k++)
			if (f->dir[d][k] >= 0)
				mnl_attr_put_u32(nlh, k, f->dir[d][k]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (f->seed_set)
		mnl_attr_put_u64(nlh, an->seed, f->seed);
	if (f->rx_exhaust >= 0)
		mnl_attr_put_u8(nlh, an->rx_exhaust, f->rx_exhaust);
	if (f->tx_stall >= 0)
		mnl_attr_put_u8(nlh, an->tx_stall, f->tx_stall);
	if (f->flap_ms >= 0)
		mnl_attr_put_u32(nlh, an->flap_ms, f->flap_ms);
}

/* Parse FAULT... into @f: nothing given yet, then what argv names. */
static int faults_from_args(struct faults *f, int argc, char **argv)
{
	memset(f, 0, sizeof(*f));
	memset(f->dir, 0xff, sizeof(f->dir));	/* -1: not given */
	f->rx_exhaust = f->tx_stall = -1;
	f->flap_ms = -1;
	return parse_faults(f, argc, argv);
}

static int cmd_add(int argc, char **argv)
{
	struct end a = { .netns_fd = -1 }, b = { .netns_fd = -1 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo, *data, *peer;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	bool paired = false, faulty = false;
	struct faults f;
	int i = 1;

	if (argc < 2)
		return fail("add: which %s?", "NAME");
	a.name = argv[i++];
	if (parse_end(&a, &i, argc, argv))
		return 1;
	if (i < argc && !strcmp(argv[i], "peer")) {
		if (++i >= argc)
			return fail("add: peer needs a %s", "NAME");
		paired = true;
		b.name = argv[i++];
		if (parse_end(&b, &i, argc, argv))
			return 1;
		/* A count given for one end only applies to both. */
		if (!b.queues_set) {
			b.queues = a.queues;
			b.queues_set = a.queues_set;
		} else if (!a.queues_set) {
			a.queues = b.queues;
			a.queues_set = true;
		}
	}
	if (i < argc) {
		if (strcmp(argv[i], "fault"))	/* a second "peer" */
			return fail("add: unexpected '%s' (one peer; 'fault' comes last)",
				    argv[i]);
		if (i + 1 >= argc)
			return fail("add: 'fault' needs %s (see --help)", "faults");
		if (faults_from_args(&f, argc - i - 1, argv + i + 1))
			return 1;
		faulty = true;
	}
	if (strlen(a.name) >= IFNAMSIZ || (paired && strlen(b.name) >= IFNAMSIZ))
		return fail("add: names have at most %s characters", "15");
	if (open_netns(&a) || (paired && open_netns(&b)))
		return 1;

	nlh = link_request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	put_end(nlh, &a);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, VNET_LINK_KIND);
	if (paired || faulty) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		if (paired) {
			peer = mnl_attr_nest_start(nlh, VNET_INFO_PEER);
			/* The peer's own ifinfomsg, then its attributes, as veth's. */
			ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
			memset(ifm, 0, sizeof(*ifm));
			put_end(nlh, &b);
			mnl_attr_nest_end(nlh, peer);
		}
		if (faulty)
			put_faults(nlh, &f, &link_fault_attrs);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, linkinfo);

	return rtnl_request(nlh, "add");
}

/* ------------------------------------------------------------------ */
/* the vnet family                                                     */
/* ------------------------------------------------------------------ */

static int genl_ctrl_attr(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    !mnl_attr_validate(a, MNL_TYPE_U16))
		*(uint16_t *)arg = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int genl_ctrl_cb(const struct nlmsghdr *nlh, void *arg)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, genl_ctrl_attr, arg);
}

/*
 * Start a request of the vnet family in @buf, and open a socket for it:
 * the family's id comes from the kernel's controller. NULL after saying
 * why not (no vnet module, most likely).
 */
static struct mnl_socket *vnet_genl_request(char *buf, uint8_t cmd, uint16_t flags,
					    struct nlmsghdr **out, const char *what)
{
	struct mnl_socket *nl = nl_open(NETLINK_GENERIC);
	unsigned int seq = time(NULL), portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint16_t family = 0;
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VNET_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    (n = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE)) < 0 ||
	    mnl_cb_run(buf, n, seq, portid, genl_ctrl_cb, &family) < 0 || !family) {
		fprintf(stderr, "%s: %s: no generic netlink family '%s' (is the vnet module loaded?)\n",
			prog, what, VNET_GENL_NAME);
		mnl_socket_close(nl);
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq + 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VNET_GENL_VERSION;
	*out = nlh;
	return nl;
}

/*
 * Start a dev-set request for device @name in @buf (see vnet_genl_request()),
 * naming it by its ifindex; NULL after saying why not.
 */
static struct mnl_socket *vnet_dev_set_request(char *buf, const char *name,
					       struct nlmsghdr **nlh, const char *what)
{
	unsigned int ifindex = if_nametoindex(name);
	struct mnl_socket *nl;

	if (!ifindex) {
		fprintf(stderr, "%s: %s: no device '%s'\n", prog, what, name);
		return NULL;
	}
	nl = vnet_genl_request(buf, VNET_CMD_DEV_SET, NLM_F_ACK, nlh, what);
	if (nl)
		mnl_attr_put_u32(*nlh, VNET_A_DEV_IFINDEX, ifindex);
	return nl;
}

/* vnetctl set: the device's settings (VNET_A_DEV_IRQ_SPREAD...). */
static int cmd_set(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *queue = NULL;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	long long us;
	int i, rc;

	if (argc < 2)
		return fail("set: which %s?", "NAME");
	if (argc < 3 || argc % 2)
		return fail("set: give SETTING VALUE pairs (see --help; 'vnetctl show %s' prints them)",
			    argv[1]);
	nl = vnet_dev_set_request(buf, argv[1], &nlh, "set");
	if (!nl)
		return 1;
	for (i = 2, rc = 0; i < argc && !rc; i += 2) {
		const char *key = argv[i], *v = argv[i + 1];

		/* A device setting after a queue's ends that queue's nest. */
		if (queue && strcmp(key, "queue") && strcmp(key, "irq-cpu")) {
			mnl_attr_nest_end(nlh, queue);
			queue = NULL;
		}
		if (!strcmp(key, "irq-spread")) {
			if (strcmp(v, "on") && strcmp(v, "off"))
				rc = fail("set: irq-spread takes 'on' or 'off', not '%s'", v);
			else
				mnl_attr_put_u8(nlh, VNET_A_DEV_IRQ_SPREAD, !strcmp(v, "on"));
		} else if (!strcmp(key, "queue")) {
			/* A nest per queue: its settings follow. */
			if (queue)
				mnl_attr_nest_end(nlh, queue);
			queue = NULL;
			if (parse_num(v, 0, UINT32_MAX, &us)) {
				rc = fail("set: queue takes a queue number, not '%s'", v);
			} else {
				queue = mnl_attr_nest_start(nlh, VNET_A_DEV_QUEUE);
				mnl_attr_put_u32(nlh, VNET_A_QUEUE_INDEX, us);
			}
		} else if (!strcmp(key, "irq-cpu")) {
			if (!queue)
				rc = fail("set: irq-cpu %s: of which queue? ('queue N irq-cpu CPU')", v);
			else if (!strcmp(v, "none"))
				us = -1;
			else if (parse_num(v, 0, INT32_MAX, &us))
				rc = fail("set: irq-cpu takes a CPU number or 'none', not '%s'", v);
			if (!rc)
				mnl_attr_put_u32(nlh, VNET_A_QUEUE_IRQ_CPU, (uint32_t)(int32_t)us);
		} else if (!strcmp(key, "rx-poll") || !strcmp(key, "tx-delay")) {
			/* Up to 10 s here: what is too long, the kernel explains. */
			us = parse_duration(v);
			if (us < 0)
				rc = fail("set: '%s' is not a time (N[us|ms|s])", v);
			else
				mnl_attr_put_u32(nlh, key[0] == 'r' ? VNET_A_DEV_RX_POLL_US :
						 VNET_A_DEV_TX_DELAY_US, us);
		} else {
			rc = fail("set: unknown setting '%s' (see --help)", key);
		}
	}
	if (queue)
		mnl_attr_nest_end(nlh, queue);
	if (!rc)
		rc = nl_talk(nl, nlh, "set");
	mnl_socket_close(nl);
	return rc;
}

static int cmd_fault(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct faults f;
	int rc;

	if (argc < 2)
		return fail("fault: which %s?", "NAME");
	if (argc < 3)
		return fail("fault: which faults? (see --help; 'vnetctl show %s' prints them)",
			    argv[1]);
	if (faults_from_args(&f, argc - 2, argv + 2))
		return 1;
	nl = vnet_dev_set_request(buf, argv[1], &nlh, "fault");
	if (!nl)
		return 1;
	put_faults(nlh, &f, &genl_fault_attrs);
	rc = nl_talk(nl, nlh, "fault");
	mnl_socket_close(nl);
	return rc;
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

struct link {
	char name[IFNAMSIZ];
	int ifindex, link, netnsid, mtu;
	unsigned int flags;
	bool vnet;
	char kind[32];			/* IFLA_INFO_KIND, "" if none */
};

/* A queue's settings that are set, as 'set' takes them: queue N irq-cpu C. */
static void show_queue(const struct nlattr *nest)
{
	const struct nlattr *i;
	int32_t cpu = -1;
	uint32_t index = 0;

	mnl_attr_for_each_nested(i, nest) {
		if (mnl_attr_get_type(i) == VNET_A_QUEUE_INDEX)
			index = mnl_attr_get_u32(i);
		else if (mnl_attr_get_type(i) == VNET_A_QUEUE_IRQ_CPU)
			cpu = (int32_t)mnl_attr_get_u32(i);
	}
	if (cpu >= 0)
		printf(" queue %u irq-cpu %d", index, cpu);
}

/*
 * Two lines: the settings (queues' only where set); each direction's
 * faults, then the device faults (VNET_A_DEV_*).
 */
static int show_faults_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a, *i;
	bool any = false;

	(void)arg;
	printf("    settings:");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case VNET_A_DEV_IRQ_SPREAD:
			printf(" irq-spread %s", mnl_attr_get_u8(a) ? "on" : "off");
			break;
		case VNET_A_DEV_RX_POLL_US:
			printf(" rx-poll %uus", mnl_attr_get_u32(a));
			break;
		case VNET_A_DEV_TX_DELAY_US:
			printf(" tx-delay %uus", mnl_attr_get_u32(a));
			break;
		case VNET_A_DEV_QUEUE:
			show_queue(a);
			break;
		}
	}
	printf("\n    faults:");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		int type = mnl_attr_get_type(a);

		if (type == VNET_A_DEV_FAULT_TX || type == VNET_A_DEV_FAULT_RX) {
			bool dir_shown = false;

			mnl_attr_for_each_nested(i, a) {
				int k = mnl_attr_get_type(i);
				uint32_t v = mnl_attr_get_u32(i);

				if (k < 1 || k > VNET_FAULT_MAX || !v)
					continue;
				if (!dir_shown)
					printf(" %s", type == VNET_A_DEV_FAULT_TX ? "tx" : "rx");
				dir_shown = any = true;
				if (k <= VNET_FAULT_REORDER)
					printf(" %s %g%%", fault_names[k], v / 10000.0);
				else
					printf(" %s %uus", fault_names[k], v);
			}
		} else if (type == VNET_A_DEV_FAULT_SEED) {
			printf(" seed %" PRIu64, mnl_attr_get_u64(a));
		} else if (type == VNET_A_DEV_RX_EXHAUST && mnl_attr_get_u8(a)) {
			printf(" rx-exhaust on");
			any = true;
		} else if (type == VNET_A_DEV_TX_STALL && mnl_attr_get_u8(a)) {
			printf(" tx-stall on");
			any = true;
		} else if (type == VNET_A_DEV_FLAP_MS && mnl_attr_get_u32(a)) {
			printf(" flap %ums", mnl_attr_get_u32(a));
			any = true;
		}
	}
	printf("%s\n", any ? "" : " (none active)");
	return MNL_CB_OK;
}

/* The faults of device @ifindex, asked of the vnet family. */
static void show_faults(int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	unsigned int seq, portid;
	int n;

	nl = vnet_genl_request(buf, VNET_CMD_DEV_GET, 0, &nlh, "show");
	if (!nl)
		return;
	mnl_attr_put_u32(nlh, VNET_A_DEV_IFINDEX, ifindex);
	seq = nlh->nlmsg_seq;
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    (n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) < 0 ||
	    mnl_cb_run(buf, n, seq, portid, show_faults_cb, NULL) < 0)
		fprintf(stderr, "%s: show: faults of ifindex %d: %s\n", prog, ifindex,
			strerror(errno));
	mnl_socket_close(nl);
}

static int ethtool_ioctl(const char *name, void *cmd)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rc;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = cmd;
	rc = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	return rc;
}

static void show_counters(const char *name)
{
	struct ethtool_gstrings *strs;
	struct ethtool_stats *vals;
	struct {
		struct ethtool_sset_info hdr;
		__u32 len;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS } };
	unsigned int i, n;

	if (ethtool_ioctl(name, &sset) || !sset.hdr.sset_mask)
		return;
	n = sset.len;
	strs = calloc(1, sizeof(*strs) + n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + n * sizeof(__u64));
	if (!strs || !vals)
		goto out;
	strs->cmd = ETHTOOL_GSTRINGS;
	strs->string_set = ETH_SS_STATS;
	strs->len = n;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = n;
	if (ethtool_ioctl(name, strs) || ethtool_ioctl(name, vals))
		goto out;
	printf("    counters:");
	for (i = 0; i < n; i++) {
		const char *s = (char *)strs->data + i * ETH_GSTRING_LEN;

		/* Every device counter; a queue's only when it moved. */
		if (!vals->data[i] && s[0] == 'q')
			continue;
		printf("\n      %-24.*s %llu", ETH_GSTRING_LEN, s,
		       (unsigned long long)vals->data[i]);
	}
	printf("\n");
out:
	free(strs);
	free(vals);
}

static void show_link(const struct link *l)
{
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };

	printf("%s: ifindex %d %s mtu %d", l->name, l->ifindex,
	       !(l->flags & IFF_UP) ? "down" :
	       (l->flags & VNETCTL_IFF_LOWER_UP) ? "up" : "up no-carrier",
	       l->mtu);
	if (l->link)
		printf(" peer-ifindex %d%s", l->link, l->netnsid >= 0 ? " (other netns)" : "");
	else
		printf(" standalone");
	printf("\n");
	if (!ethtool_ioctl(l->name, &ring))
		printf("    rings: tx %u rx %u (max %u)\n", ring.tx_pending,
		       ring.rx_pending, ring.tx_max_pending);
	if (!ethtool_ioctl(l->name, &ch))
		printf("    queues: %u (max %u)\n", ch.combined_count, ch.max_combined);
	show_faults(l->ifindex);
	show_counters(l->name);
}

static int link_attr(const struct nlattr *a, void *arg)
{
	struct link *l = arg;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_LINK:
		l->link = mnl_attr_get_u32(a);
		break;
	case IFLA_LINK_NETNSID:
		l->netnsid = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_MTU:
		l->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO: {
		const struct nlattr *i;

		mnl_attr_for_each_nested(i, a) {
			if (mnl_attr_get_type(i) == IFLA_INFO_KIND) {
				snprintf(l->kind, sizeof(l->kind), "%s",
					 mnl_attr_get_str(i));
				l->vnet = !strcmp(l->kind, VNET_LINK_KIND);
			}
		}
		break;
	}
	}
	return MNL_CB_OK;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link *l = arg;

	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifm), link_attr, l);
}

/*
 * Look up the device NAME (RTM_GETLINK) into @l, which is valid as long
 * as @buf. Return 0, or 1 after saying why not ("del: no device ...").
 */
static int link_get(const char *what, const char *name, struct link *l,
		    char *buf, size_t len)
{
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	unsigned int portid, seq;
	int n, err = 0;

	nlh = link_request(buf, RTM_GETLINK, 0);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	seq = nlh->nlmsg_seq;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nl = rtnl_open();
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    (n = mnl_socket_recvfrom(nl, buf, len)) < 0)
		err = errno;
	else if (mnl_cb_run(buf, n, seq, portid, link_get_cb, l) < 0)
		err = errno;
	mnl_socket_close(nl);
	if (!err && !l->ifindex)
		err = ENODEV;
	if (err == ENODEV) {
		fprintf(stderr, "%s: %s: no device '%s' (%s)\n", prog, what, name,
			strerror(err));
		return 1;
	}
	if (err) {
		/* A name too long (ERANGE), no answer...: the kernel's errno. */
		fprintf(stderr, "%s: %s: '%s': %s\n", prog, what, name, strerror(err));
		return 1;
	}
	return 0;
}

/*
 * Delete a vnet device, and only one: `ip link del` deletes any kind,
 * vnetctl refuses what is not its own (a bridge, the loopback), and names
 * the device by its index, so that one renamed meanwhile is not taken.
 */
static int cmd_del(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct link l = { .netnsid = -1 };
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;

	if (argc != 2)
		return fail("del: which %s?", "NAME");
	if (link_get("del", argv[1], &l, buf, sizeof(buf)))
		return 1;
	if (!l.vnet) {
		fprintf(stderr, "%s: del: '%s' is not a vnet device (its kind: %s); "
			"'ip link del' deletes any device\n", prog, argv[1],
			l.kind[0] ? l.kind : "none");
		return 1;
	}
	nlh = link_request(buf, RTM_DELLINK, 0);
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_index = l.ifindex;
	return rtnl_request(nlh, "del");
}

struct show_ctx {
	const char *only;
	int shown;
};

static int link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct show_ctx *ctx = arg;
	struct link l = { .netnsid = -1 };

	l.ifindex = ifm->ifi_index;
	l.flags = ifm->ifi_flags;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr, &l);
	if (!l.vnet || (ctx->only && strcmp(ctx->only, l.name)))
		return MNL_CB_OK;
	show_link(&l);
	ctx->shown++;
	return MNL_CB_OK;
}

static int cmd_show(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct show_ctx ctx = { .only = argc > 1 ? argv[1] : NULL };
	unsigned int seq = time(NULL), portid;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int n;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	nl = rtnl_open();
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return fail("show: %s", strerror(errno));
	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		n = mnl_cb_run(buf, n, seq, portid, link_cb, &ctx);
		if (n <= MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	if (ctx.only && !ctx.shown)
		return fail("show: no vnet device '%s'", ctx.only);
	return 0;
}

/* -n NS: the rest runs in namespace NS, every socket opened there. */
static int enter_netns(const char *ns)
{
	struct end e = { .netns = ns };

	if (open_netns(&e))
		return 1;
	if (setns(e.netns_fd, CLONE_NEWNET)) {
		fprintf(stderr, "%s: -n %s: %s\n", prog, ns, strerror(errno));
		return 1;
	}
	close(e.netns_fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-n")) {
		if (argc < 3)
			return fail("-n: which %s?", "namespace");
		if (enter_netns(argv[2]))
			return 1;
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "add"))
		return cmd_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "del"))
		return cmd_del(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fault"))
		return cmd_fault(argc - 1, argv + 1);
	if (!strcmp(argv[1], "set"))
		return cmd_set(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command '%s'\n\n", prog, argv[1]);
	usage(stderr);
	return 1;
}
