#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ndo_xdp_xmit against a channel change (issue 22, defect 7): frames
# redirected into a vnet device pick their queue from its queue count,
# read without RTNL, while `ethtool -L` takes queues out of use (their
# rings freed) and back. The sender runs on CPU 1, so that it uses queue 1
# whenever the device has two: a late sender must refuse its frames
# (xdp_xmit_errors), never touch a ring that is gone. Into a standalone
# device (its TX ring) and into a pair end (its peer's RX ring, whose
# channels change too). The harness checks dmesg for KASAN and oopses.
. "$(dirname "$0")/../lib.sh"
plan 8

VNETXDP=$VNET_TESTS/../tools/vnet-xdp
# 12 s of switching; 20 on the debug kernel, where each switch costs six times as much.
secs=$(reps 12 20)

# toggle DEV NS...: switch DEV between 1 and 2 channels while the sender
# (job $spid) runs; print how many switches there were.
toggle() {
	local dev=$1 n=0
	shift
	while kill -0 "$spid" 2> /dev/null; do
		"$@" ethtool -L "$dev" combined 1 && "$@" ethtool -L "$dev" combined 2 &&
			n=$((n + 1))
	done
	echo "$n"
}

# Standalone: frames go through vnet0's TX ring (no reader: its wire).
vnet_load devices=1 queues=2 rx_interval_ms=0
quiet_dev vnet0
x0=$(stat vnet0 xdp_xmit) e0=$(stat vnet0 xdp_xmit_errors)
t0=$(stat vnet0 tx_packets) d0=$(stat vnet0 tx_dropped)
mark "43: standalone"
taskset -c 1 "$VNETXDP" send vnet0 "$secs" > /tmp/xdp-send.out &
spid=$!
n=$(toggle vnet0)
wait $spid
check_eq "vnet-xdp send ran to its end" 0 $?
sleep 1
sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' /tmp/xdp-send.out)
x=$(($(stat vnet0 xdp_xmit) - x0)) e=$(($(stat vnet0 xdp_xmit_errors) - e0))
t=$(($(stat vnet0 tx_packets) - t0)) d=$(($(stat vnet0 tx_dropped) - d0))
echo "# standalone: toggles=$n sent=$sent xdp_xmit=$x errors=$e tx_packets=$t tx_dropped=$d"
check_range "ethtool -L switched channels while frames came in" 3 1000000 "$n"
check_eq "each frame redirected in was sent or refused (xdp_xmit + xdp_xmit_errors)" \
	"${sent:-?}" $((x + e))
# What ndo_xdp_xmit took went on the wire, or was flushed by a reset.
check_eq "each frame it sent was transmitted or flushed (tx_packets + tx_dropped - refused)" \
	"$x" $((t + d - e))
vnet_unload

# A pair: va sends into vb's RX queues, whose count changes under it.
vnet_load devices=0
ip netns add a
ip netns add b
vnetctl add va netns a peer vb netns b queues 2
ip -n a link set va up
ip -n b link set vb up
nsx b sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
nsx a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
x0=$(nstat a va xdp_xmit) e0=$(nstat a va xdp_xmit_errors)
mark "43: pair"
nsx a taskset -c 1 "$VNETXDP" send va "$secs" > /tmp/xdp-send.out &
spid=$!
n=$(toggle vb ip netns exec b)
wait $spid
check_eq "vnet-xdp send into a pair end ran to its end" 0 $?
sleep 1
sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' /tmp/xdp-send.out)
x=$(($(nstat a va xdp_xmit) - x0)) e=$(($(nstat a va xdp_xmit_errors) - e0))
echo "# pair: toggles=$n sent=$sent xdp_xmit=$x errors=$e"
check_range "ethtool -L switched the peer's channels while frames came in" 3 1000000 "$n"
check_eq "each frame redirected into va was sent or refused" "${sent:-?}" $((x + e))
check "va and vb still pass traffic after it all" \
	bash -c "ip -n a addr add 10.9.0.1/24 dev va && ip -n b addr add 10.9.0.2/24 dev vb &&
		ip netns exec a ping -c 1 -W 5 10.9.0.2"
done_testing
