#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Device faults (vnetctl fault, docs/FAULTS.md): an exhausted RX ring misses
# every frame; a TX stall fills the queue until the kernel's watchdog calls
# ndo_tx_timeout exactly once, the driver resets and traffic resumes; link
# flaps show in carrier_changes; faults work on a standalone device and
# die with it; faults given when a device is made (vnetctl add ... fault)
# are set with it, and if they cannot be (debug kernel: fail_function
# makes the settings' allocation fail), no device is made.
. "$(dirname "$0")/../lib.sh"
plan 23

vnet_load devices=0
quiet_pair

# RX ring exhaustion at vb: every frame that arrives is missed.
missed0=$(nstat b vb rx_missed)
nsx b "$VNETCTL" fault vb rx-exhaust on
check_fails "rx-exhaust on vb: no ping gets through" "100% packet loss" \
	nsx a ping -c 5 -i 0.1 -W 1 10.9.0.2
check_eq "vb counts the 5 frames as rx_missed" 5 $(($(nstat b vb rx_missed) - missed0))
check_eq "ip -s link reports them as missed" 5 \
	"$(nsx b cat /sys/class/net/vb/statistics/rx_missed_errors)"
nsx b "$VNETCTL" fault vb rx-exhaust off
check "rx-exhaust off: pings get through" nsx a ping -c 3 -i 0.1 -W 2 10.9.0.2

# TX stall at va: completions stop, the queue fills, the watchdog fires.
nsx a "$VNETCTL" fault va tx-stall on
check "vnetctl show reports the stall" bash -c \
	"ip netns exec a '$VNETCTL' show va | grep -q 'tx-stall on'"
nsx a ping -c 400 -i 0.005 -W 1 10.9.0.2 > /dev/null 2>&1 &
timed_out() { [ "$(nstat a va tx_timeouts)" -gt 0 ]; }
check "the watchdog calls ndo_tx_timeout (tx_timeouts)" wait_for $((10 * VNET_SLOW)) timed_out
check "the kernel logs the timeout" bash -c "dmesg | grep 'NETDEV WATCHDOG' | grep -qw va"
check_eq "and counts it in queues/tx-0/tx_timeout" 1 \
	"$(nsx a cat /sys/class/net/va/queues/tx-0/tx_timeout)"
check "the driver resets: the stall is cleared" wait_for $((5 * VNET_SLOW)) bash -c \
	"ip netns exec a '$VNETCTL' show va | grep -q 'none active'"
wait
check "traffic resumes after the reset" nsx a ping -c 3 -i 0.1 -W 2 10.9.0.2
sleep $((VNET_SLOW > 1 ? 5 : 3))	# a second timeout would come 2 s after the first
check_eq "exactly one ndo_tx_timeout" 1 "$(nstat a va tx_timeouts)"
check "frames lost in the reset are counted (tx_dropped)" test "$(nstat a va tx_dropped)" -gt 0

# Link flaps: the carrier of both ends goes off and on every 200 ms.
ca=$(nsx a cat /sys/class/net/va/carrier_changes)
cb=$(nsx b cat /sys/class/net/vb/carrier_changes)
t0=$(date +%s%N)
nsx a "$VNETCTL" fault va flap 200
sleep 2
nsx a "$VNETCTL" fault va flap off
t1=$(date +%s%N)
# A change per 200 ms of the time it ran (about 10), plus the one that
# restores the carrier; timers run late on a busy machine, never early.
most=$(((t1 - t0) / 200000000 + 1))
check_range "va's carrier changed every 200 ms" 3 "$most" \
	$(($(nsx a cat /sys/class/net/va/carrier_changes) - ca))
check_range "and vb's with it" 3 "$most" $(($(nsx b cat /sys/class/net/vb/carrier_changes) - cb))
check "flap off: the link is up again" \
	wait_for 3 bash -c "ip -n a link show va | grep -q 'state UP'"
check "and pings get through" nsx a ping -c 3 -i 0.1 -W 2 10.9.0.2

# A standalone device: faults on its synthetic traffic, and deletion.
ip link add name s0 type vnet
quiet_dev s0
"$VNETCTL" fault s0 rx-exhaust on tx delay 10ms flap 100
sleep 1
check "a standalone device with faults set is deleted cleanly" ip link del s0

# Faults given with RTM_NEWLINK: set with the device, or no device.
mark "faults at creation"
check "vnetctl add s1 fault ...: a device with its faults" bash -c \
	"'$VNETCTL' add s1 fault seed 5 tx drop 10 &&
	 '$VNETCTL' show s1 | grep -q 'tx drop 10% seed 5'"
check "vnetctl add fa peer fb fault ...: fa has the faults" bash -c \
	"'$VNETCTL' add fa peer fb fault rx drop 5 &&
	 '$VNETCTL' show fa | grep -q 'rx drop 5%' &&
	 '$VNETCTL' show fb | grep -q 'none active'"
ip link del s1
ip link del fa
ff=/sys/kernel/debug/fail_function
fcd=(
	"no memory for the faults: vnetctl add s2 fails" "and there is no s2"
	"the same for a pair" "and neither end exists"
)
if [ ! -w $ff/inject ]; then
	for w in "${fcd[@]}"; do
		skip "$w" "no fail_function (the debug kernel has it)"
	done
elif ! echo vnet_fault_cfg_dup > $ff/inject 2>/dev/null; then
	# The injection point is gone (renamed, inlined): a finding.
	for w in "${fcd[@]}"; do
		fail "$w" "fail_function does not know vnet_fault_cfg_dup"
	done
else
	echo 0 > $ff/vnet_fault_cfg_dup/retval		# NULL: no memory
	echo Y > $ff/task-filter
	echo 0 > $ff/verbose
	echo -1 > $ff/times
	echo 0 > $ff/space
	echo 100 > $ff/probability
	failing() { sh -c 'echo 1 > /proc/self/make-it-fail; exec "$@"' sh "$@"; }
	check_fails "no memory for the faults: vnetctl add s2 fails" \
		"no memory for the fault settings" failing "$VNETCTL" add s2 fault tx drop 10
	check "and there is no s2" bash -c "! ip link show s2 2> /dev/null"
	check_fails "the same for a pair" "no memory for the fault settings" \
		failing "$VNETCTL" add fc peer fd fault tx drop 10
	check "and neither end exists" bash -c \
		"! ip link show fc 2> /dev/null && ! ip link show fd 2> /dev/null"
	echo 0 > $ff/probability
	echo > $ff/inject
fi
vnet_unload
done_testing
