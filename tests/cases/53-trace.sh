#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The vnet trace system (docs/TRACING.md): every event fires for the traffic
# that should make it fire, with the right device and reason, through
# tracefs, perf, trace-cmd and bpftrace.
. "$(dirname "$0")/../lib.sh"
plan 12

T=/sys/kernel/tracing
vnet_load devices=0
quiet_pair
events=$(ls "$T/events/vnet" | grep '^vnet_' | tr '\n' ' ')
check_eq "six vnet events exist" \
	"vnet_drop vnet_fault vnet_napi_poll vnet_rx_enqueue vnet_tx_complete vnet_xmit " "$events"

# tracefs: 5 pings through the TX ring (a TX latency: the engine's timer sends them).
echo 0 > "$T/tracing_on"
echo > "$T/trace"
echo 1 > "$T/events/vnet/enable"
echo 1 > "$T/tracing_on"
vset va,vb tx-delay 100us
nsx a ping -c 5 -i 0.1 -W 2 10.9.0.2 > /dev/null
vset va,vb tx-delay 0
echo 0 > "$T/tracing_on"
cp "$T/trace" /tmp/trace.txt
count() { grep -c "$1" /tmp/trace.txt; }
check_eq "vnet_xmit: 5 echo requests from va, 5 replies from vb" "5 5" \
	"$(count 'vnet_xmit: dev=va') $(count 'vnet_xmit: dev=vb')"
check_eq "vnet_rx_enqueue: 5 frames into each end's RX ring" "5 5" \
	"$(count 'vnet_rx_enqueue: dev=vb') $(count 'vnet_rx_enqueue: dev=va')"
check_range "vnet_tx_complete: va's engine completed them (frames=1 each)" 5 5 \
	"$(grep 'vnet_tx_complete: dev=va' /tmp/trace.txt | grep -c 'frames=1 ')"
check_range "vnet_napi_poll: polls of vb with work and budget" 5 999 \
	"$(grep -c 'vnet_napi_poll: dev=vb queue=0 work=[0-9]* budget=64' /tmp/trace.txt)"

# Faults and drops, with their reasons.
echo > "$T/trace"
echo 1 > "$T/tracing_on"
nsx a "$VNETCTL" fault va tx drop 100%
nsx a ping -c 3 -i 0.1 -W 1 10.9.0.2 > /dev/null
nsx a "$VNETCTL" fault va clear
nsx b "$VNETCTL" fault vb rx-exhaust on
nsx a ping -c 2 -i 0.1 -W 1 10.9.0.2 > /dev/null
nsx b "$VNETCTL" fault vb clear
echo 0 > "$T/tracing_on"
echo 0 > "$T/events/vnet/enable"
cp "$T/trace" /tmp/trace.txt
check_eq "vnet_fault: 3 TX drops at va" 3 "$(count 'vnet_fault: dev=va queue=0 dir=tx fault=drop')"
check_eq "vnet_drop: the same 3, reason fault" 3 "$(count 'vnet_drop: dev=va queue=0 reason=fault frames=1')"
check_eq "vnet_drop: 2 frames missed by vb's exhausted ring" 2 \
	"$(count 'vnet_drop: dev=vb queue=0 reason=rx_missed frames=1')"

# The same events through the usual tools: what is checked is the tools'
# view of the events, the same on every kernel; the debug kernel checked
# the events themselves above, and each tool's start costs it a minute.
if [ "$(reps 1 0)" = 0 ]; then
	for t in "perf stat counts vnet:vnet_xmit" "trace-cmd records vnet:vnet_rx_enqueue" \
		 "bpftrace counts vb's NAPI polls" "the ping under bpftrace got its replies"; do
		skip "$t" "checked on Debian's kernels"
	done
	vnet_unload
	done_testing
fi
out=$(perf stat -x, -e vnet:vnet_xmit -a -- ip netns exec a ping -c 4 -i 0.1 -W 2 10.9.0.2 2>&1 > /dev/null)
check_eq "perf stat counts vnet:vnet_xmit (4 requests, 4 replies)" 8 \
	"$(awk -F, '/vnet:vnet_xmit/ {print $1}' <<< "$out")"
cd /tmp || exit 1
trace-cmd record -q -e vnet:vnet_rx_enqueue -o /tmp/tc.dat \
	ip netns exec a ping -c 4 -i 0.1 -W 2 10.9.0.2 > /dev/null 2>&1
check_eq "trace-cmd records vnet:vnet_rx_enqueue (4 + 4)" 8 \
	"$(trace-cmd report -i /tmp/tc.dat 2> /dev/null | grep -c 'vnet_rx_enqueue:')"
out=$(timeout $((60 * VNET_SLOW)) bpftrace -q \
	-e 'tracepoint:vnet:vnet_napi_poll /str(args->name) == "vb"/ { @polls = count(); }' \
	-c "/usr/bin/ip netns exec a ping -c 4 -i 0.1 -W 2 10.9.0.2" 2>&1)
check_range "bpftrace counts vb's NAPI polls" 4 999 "$(sed -n 's/^@polls: //p' <<< "$out")"
check "the ping under bpftrace got its replies" grep -q " 0% packet loss" <<< "$out"
vnet_unload
done_testing
