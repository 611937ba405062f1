#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A queue's interrupt affinity (the vnet family's queue irq-cpu; vnetctl
# set DEV queue N irq-cpu CPU): the queue's RX and TX-done interrupts go
# to that CPU whichever CPU raises them, so the receiver's NAPI polls run
# there (the CPU column of vnet:vnet_napi_poll) and are carried by IPIs
# (irq_ipis); the setting is read back through the family and vnetctl,
# kept across channel changes and down/up, taken back with 'none', and a
# CPU that is not online, a queue not in use or a queue named twice is
# refused with a message. While the CPU set is offline the interrupts fall
# back to irq-spread's routing; once it is back they go there again.
. "$(dirname "$0")/../lib.sh"
plan 17

T=/sys/kernel/tracing
vnet_load devices=0
pair_setup 2
for e in "a va" "b vb"; do
	set -- $e
	nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
done
ip -n a neigh replace 10.9.0.2 lladdr "$(nsx b cat /sys/class/net/vb/address)" dev va nud permanent
ip -n b neigh replace 10.9.0.1 lladdr "$(nsx a cat /sys/class/net/va/address)" dev vb nud permanent
vbi=$(nsx b cat /sys/class/net/vb/ifindex)
g() { nsx b "${VNETGENL[@]}" "$@"; }
# cpus: vb's queues' irq-cpu as the family reports them, "index:cpu ...".
cpus() {
	g --do dev-get --json "{\"ifindex\": $vbi}" |
		python3 -c 'import json,sys; d = json.load(sys.stdin)
print(" ".join("%d:%d" % (q["index"], q["irq-cpu"]) for q in d.get("queue", [])))'
}
# polls CPU: the CPUs vb's NAPI polls ran on while 20 pings sent from CPU
# crossed ("N polls on CPUs: ...").
polls() {
	echo 0 > "$T/tracing_on"
	echo > "$T/trace"
	echo 1 > "$T/events/vnet/vnet_napi_poll/enable"
	echo 1 > "$T/tracing_on"
	taskset -c "$1" ip netns exec a ping -n -c 20 -i 0.01 -W 2 10.9.0.2 > /dev/null 2>&1
	echo 0 > "$T/tracing_on"
	echo 0 > "$T/events/vnet/vnet_napi_poll/enable"
	grep 'vnet_napi_poll: dev=vb ' "$T/trace" |
		sed -n 's/.*\[\([0-9]*\)\].*/\1/p' | awk '{ n++; c[$1 + 0] = 1 }
		END { printf "%d polls on CPUs:", n; for (k in c) printf " %d", k; print "" }'
}

if [ "$(nproc)" -lt 2 ]; then
	for i in $(seq 17); do skip "irq-cpu check $i" "one CPU: nowhere else to send an interrupt"; done
	done_testing
fi
check_eq "a new device's queues have no irq-cpu set (-1)" "0:-1 1:-1" "$(cpus)"
check "vnetctl set vb queue 0 irq-cpu 1 queue 1 irq-cpu 1" \
	vnetctl -n b set vb queue 0 irq-cpu 1 queue 1 irq-cpu 1
check_eq "the family reports it" "0:1 1:1" "$(cpus)"
spread=$([ "$(cat /sys/module/vnet/parameters/irq_spread)" = Y ] && echo on || echo off)
check_eq "vnetctl show prints it" "settings: irq-spread $spread rx-poll 0us tx-delay 0us queue 0 irq-cpu 1 queue 1 irq-cpu 1" \
	"$(vnetctl -n b show vb | grep -o 'settings:.*')"
i0=$(nstat b vb irq_ipis)
out=$(polls 0)
ipis=$(($(nstat b vb irq_ipis) - i0))
check "pings sent from CPU 0: vb's NAPI polls all on CPU 1 ($out)" \
	grep -qE '^[1-9][0-9]* polls on CPUs: 1$' <<< "$out"
check "and its interrupts got there by IPI ($ipis)" test "$ipis" -gt 0

vnetctl -n b set vb queue 0 irq-cpu 0 queue 1 irq-cpu 0
out=$(polls 1)
check "irq-cpu 0, pings sent from CPU 1: vb's NAPI polls all on CPU 0 ($out)" \
	grep -qE '^[1-9][0-9]* polls on CPUs: 0$' <<< "$out"

nsx b ethtool -L vb combined 1
nsx b ethtool -L vb combined 2
nsx b ip link set vb down
nsx b ip link set vb up
check_eq "kept across ethtool -L (2 -> 1 -> 2) and down/up" "0:0 1:0" "$(cpus)"
vnetctl -n b set vb queue 1 irq-cpu none
check_eq "irq-cpu none takes it back (-1)" "0:0 1:-1" "$(cpus)"

check_fails "an offline or missing CPU: EINVAL, saying so" "no such CPU online" \
	vnetctl -n b set vb queue 0 irq-cpu 4096
check_fails "a queue not in use: EINVAL, saying so" "no such queue in use" \
	vnetctl -n b set vb queue 2 irq-cpu 0
check_fails "a queue named twice: EINVAL" "queue named twice" \
	vnetctl -n b set vb queue 0 irq-cpu 1 queue 0 irq-cpu 0
check_fails "the family refuses irq-cpu -2" "no such CPU online" \
	g --do dev-set --json "{\"ifindex\": $vbi, \"queue\": [{\"index\": 0, \"irq-cpu\": -2}]}"
check_eq "and nothing changed" "0:0 1:-1" "$(cpus)"

# The CPU set goes offline: the interrupts fall back to irq-spread's
# routing, the setting stays and applies again once the CPU is back.
cpu1=/sys/devices/system/cpu/cpu1/online
trap 'echo 1 > "$cpu1" 2> /dev/null' EXIT
vnetctl -n b set vb queue 0 irq-cpu 1 queue 1 irq-cpu 1
if [ -w "$cpu1" ] && echo 0 > "$cpu1" 2> /dev/null; then
	check "CPU 1 offline: the pings still cross" \
		taskset -c 0 ip netns exec a ping -n -c 5 -i 0.05 -W 2 10.9.0.2
	check_fails "and irq-cpu 1 is refused: EINVAL, saying so" "no such CPU online" \
		vnetctl -n b set vb queue 0 irq-cpu 1
	echo 1 > "$cpu1"
	out=$(polls 0)
	check "CPU 1 back: vb's NAPI polls all on CPU 1 again ($out)" \
		grep -qE '^[1-9][0-9]* polls on CPUs: 1$' <<< "$out"
else
	for c in "CPU 1 offline: the pings still cross" "and irq-cpu 1 is refused: EINVAL, saying so" \
		 "CPU 1 back: vb's NAPI polls all on CPU 1 again"; do
		skip "$c" "CPU 1 cannot go offline here"
	done
fi
done_testing
