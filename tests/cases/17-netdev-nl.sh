#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's netdev netlink family sees vnet's queues as a NIC's: each
# queue in use names the NAPI that serves it (queue-get, 6.8+) and the
# device's NAPIs are listed (napi-get); a queue's NAPI keeps its id, and
# with it what netdev netlink's napi-set set on it (IRQ deferral, GRO
# flush timeout, threading), across down/up and channel changes (per-NAPI
# config, 6.13+); each queue's page pool is listed with the device
# (page-pool-get, 6.8+). Driven by the
# kernel's own ynl CLI with linux-source-6.12's netdev spec (test.sh puts
# it in build/ynl).
. "$(dirname "$0")/../lib.sh"
plan 8

vnet_load devices=0
kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
# nd ARGS...: the kernel's ynl CLI, netdev family, in namespace a.
nd() {
	netdev_nl a "$@"
}
j() {
	python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}
export LC_ALL=C	# sort as Python's sorted() does
# queues: "rx0:NAPI-ID tx0:NAPI-ID ..." of va's queues in use, sorted.
queues() {
	nd --dump queue-get --json "{\"ifindex\": $ifi}" |
		j "' '.join(sorted('%s%d:%s' % (q['type'], q['id'], q.get('napi-id', '-')) for q in d))"
}
# napis: va's NAPI ids, sorted.
napis() {
	nd --dump napi-get --json "{\"ifindex\": $ifi}" | j "' '.join(sorted(str(n['id']) for n in d))"
}
# rx_napis: the NAPI ids of va's RX queues in use, in queue order.
rx_napis() {
	nd --dump queue-get --json "{\"ifindex\": $ifi}" |
		j "' '.join(str(q.get('napi-id', '-')) for q in sorted(d, key=lambda q: q['id']) if q['type'] == 'rx')"
}

pair_setup 4
ifi=$(nsx a cat /sys/class/net/va/ifindex)
# skip_all REASON: skip the checks of this case.
skip_all() {
	local c
	for c in "queue-get names each queue's NAPI" "napi-get lists them" \
		"page-pool-get lists a page pool per queue, each naming va" \
		"ethtool -L: each queue pair with its NAPI" "and napi-get lists those two only" \
		"the NAPIs keep their ids when the queues come back" \
		"and across down and up" "each queue keeps its own"; do
		skip "$c" "$1"
	done
	done_testing
}
[ -e "$VNET_YNL/tools/net/ynl/cli.py" ] || skip_all "no build/ynl (test.sh makes it)"
[ "$kver" -ge 608 ] || skip_all "netdev netlink names no queue's NAPI before 6.8"

q=$(queues)
rx=$(rx_napis)
check "queue-get: each of va's 4 RX and 4 TX queues names its NAPI ($q)" \
	python3 -c "
import sys
q = dict(e.split(':') for e in sys.argv[1].split())
ok = len(q) == 8 and all(q['rx%d' % i] == q['tx%d' % i] != '-' for i in range(4))
ok = ok and len(set(q['rx%d' % i] for i in range(4))) == 4
sys.exit(not ok)" "$q"
ids=$(napis)
# Without a NAPI named by the queues, the comparisons below compare nothing.
[[ -z "$rx" || "$rx" == *-* ]] && rx="(queues without a NAPI)"
[ -n "$ids" ] || ids="(no NAPI listed)"
check_eq "napi-get lists those 4 NAPIs, and no other of va's" \
	"$(tr ' ' '\n' <<< "$rx" | sort | xargs)" "$ids"

# pools PATTERN: va's page pools still in use (no detach time), as a
# count and the NAPI each names (none: vnet's pools name only the device).
pools() {
	nd --dump page-pool-get |
		j "'%d %s' % (sum(1 for p in d if p.get('ifindex') == $ifi and 'detach-time' not in p), sorted(set(str(p.get('napi-id', '-')) for p in d if p.get('ifindex') == $ifi)))"
}
check_eq "page-pool-get lists a page pool per queue, each naming va" "4 ['-']" "$(pools)"

nsx a ethtool -L va combined 2
check_eq "ethtool -L va combined 2: two queue pairs, each with its NAPI" \
	"$(cut -d' ' -f1-2 <<< "$rx")" "$(rx_napis)"
check_eq "and napi-get lists those two only" \
	"$(cut -d' ' -f1-2 <<< "$rx" | tr ' ' '\n' | sort | xargs)" "$(napis)"

if [ "$kver" -lt 613 ]; then
	skip "the NAPIs keep their ids when the queues come back" "no per-NAPI config before 6.13"
	skip "and across down and up" "no per-NAPI config before 6.13"
	skip "each queue keeps its own" "no per-NAPI config before 6.13"
	done_testing
fi
# Without a config of their own, new NAPIs get new ids (6.13+: at enable).
nsx a ethtool -L va combined 4
check_eq "the NAPIs keep their ids when the queues come back (per-NAPI config)" \
	"$ids" "$(napis)"
ip -n a link set va down
ip -n a link set va up
check_eq "and across down and up" "$ids" "$(napis)"
check_eq "each queue keeps its own" "$rx" "$(rx_napis)"
done_testing
