#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Queue statistics in netdev netlink (qstats-get, 6.10+), read as the
# kernel's drivers/net/stats.py reads them: per queue, and for the device,
# where the queues in use plus the device's base - the queues ethtool -L
# took out of use, whose counters vnet keeps - add up to ip -s link's
# figures exactly, after the channels shrink and while the device is down.
# The drops are ip -s link's too: RX hardware drops its rx_errors (the
# overruns its rx_missed_errors), TX hardware drops its tx_dropped. Driven
# by the kernel's own ynl CLI (netdev_nl, lib.sh).
. "$(dirname "$0")/../lib.sh"
plan 6

checks=("qstats-get per queue: pktgen's 2 TX queues of va count its 300 frames each, the others none"
	"vb's RX queues 0 and 1 count them (TX queue i feeds RX queue i)"
	"the device's qstats equal ip -s link's counters (and tx-stop, tx-wake ethtool -S's)"
	"ethtool -L va combined 1: one queue each way, and the device's qstats still equal ip -s link (queue 1's frames in the base)"
	"va down: qstats still answer, equal to ip -s link"
	"RX exhaustion on vb: rx-hw-drops and rx-hw-drop-overruns count its missed frames, as rx_errors and rx_missed_errors")
skip_all() {
	local c
	for c in "${checks[@]}"; do
		skip "$c" "$1"
	done
	done_testing
}

vnet_load devices=0
kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
[ -e "$VNET_YNL/tools/net/ynl/cli.py" ] || skip_all "no build/ynl (test.sh makes it)"
[ "$kver" -ge 610 ] || skip_all "vnet reports no queue statistics before 6.10"

pair_setup 4
# Only pktgen's frames and vb's answers to them cross the wire: no IPv6,
# no ARP (vb answers 10.9.0.1 with ICMP port unreachables).
nsx a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
nsx b sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
ip -n a neigh replace 10.9.0.2 lladdr "$(nsx b cat /sys/class/net/vb/address)" dev va nud permanent
ip -n b neigh replace 10.9.0.1 lladdr "$(nsx a cat /sys/class/net/va/address)" dev vb nud permanent
ifa=$(nsx a cat /sys/class/net/va/ifindex)
ifb=$(nsx b cat /sys/class/net/vb/ifindex)
mac_b=$(nsx b cat /sys/class/net/vb/address)

# qs NS IFINDEX [queue]: qstats-get of a device, or of each of its queues.
qs() {
	netdev_nl "$1" --dump qstats-get --json "{\"ifindex\": $2${3:+, \"scope\": \"queue\"}}"
}
# per_queue NS IFINDEX TYPE FIELD: FIELD of each TYPE queue, in queue order.
per_queue() {
	qs "$1" "$2" queue | python3 -c "
import json, sys
d = sorted(json.load(sys.stdin), key=lambda q: q['queue-id'])
print(' '.join(str(q.get('$4', '-')) for q in d if q['queue-type'] == '$3'))"
}
# minus "A B ..." "C D ...": the element-wise difference, A-C B-D ...
minus() {
	python3 -c "import sys; print(' '.join(str(int(a) - int(b)) for a, b in zip(sys.argv[1].split(), sys.argv[2].split())))" "$1" "$2"
}
# like_link NS DEV IFINDEX [FIELD=MIN|FIELD==N...]: the device's qstats
# against ip -s link.
like_link() {
	qs "$1" "$3" | nsx "$1" python3 "$VNET_TESTS/helpers/qstats_link.py" "$2" "${@:4}"
}
# link_counts NS DEV: the device's packet counters, both ways, in one line.
link_counts() {
	nsx "$1" cat "/sys/class/net/$2/statistics/rx_packets" "/sys/class/net/$2/statistics/tx_packets" | xargs
}
# settle NS DEV: wait until nothing crosses DEV for half a second (vb's
# rate-limited answers land late in a slow guest).
settle() {
	local before after n=40
	after=$(link_counts "$1" "$2")
	while [ $n -gt 0 ]; do
		before=$after
		sleep 0.5
		after=$(link_counts "$1" "$2")
		[ "$before" = "$after" ] && return 0
		n=$((n - 1))
	done
	return 1
}

settle a va
tx0=$(per_queue a "$ifa" tx tx-packets)
rx0=$(per_queue b "$ifb" rx rx-packets)
mark "qstats: pktgen on 2 queues"
nsx a "$VNET_TESTS/helpers/pktgen.sh" va 300 60 1 "$mac_b" 2 > /dev/null
settle a va
settle b vb
check_eq "${checks[0]}" "300 300 0 0" "$(minus "$(per_queue a "$ifa" tx tx-packets)" "$tx0")"
check_eq "${checks[1]}" "300 300 0 0" "$(minus "$(per_queue b "$ifb" rx rx-packets)" "$rx0")"
stops=$(nstat a va tx_queue_stops)
wakes=$(nstat a va tx_queue_wakes)
check "${checks[2]}" like_link a va "$ifa" tx-packets=600 "tx-stop==$stops" "tx-wake==$wakes"

nsx a ethtool -L va combined 1
settle a va
nq="$(per_queue a "$ifa" tx tx-packets | wc -w) $(per_queue a "$ifa" rx rx-packets | wc -w)"
if [ "$nq" = "1 1" ]; then
	check "${checks[3]}" like_link a va "$ifa" tx-packets=600
else
	fail "${checks[3]}" "queues listed (TX, RX): $nq"
fi

ip -n a link set va down
check "${checks[4]}" like_link a va "$ifa" tx-packets=600
ip -n a link set va up

mark "qstats: RX exhaustion"
nsx b "$VNETCTL" fault vb rx-exhaust on
nsx a "$VNET_TESTS/helpers/pktgen.sh" va 100 60 1 "$mac_b" > /dev/null
settle b vb
check "${checks[5]}" like_link b vb "$ifb" rx-hw-drop-overruns=100 rx-hw-drops=100
nsx b "$VNETCTL" fault vb rx-exhaust off
done_testing
