#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pair benchmark, inside the VM (see scripts/bench.sh). With a second
# module (REF.ko, built from an older commit), the same work on a vnet pair
# with each module in turn instead of vnet against veth.
#
# Usage: scripts/bench-guest.sh VNET.ko [REF.ko]
set -eu
. "$(dirname "$0")/bench-lib.sh"
ko=$1
ref=${2:-}
rounds=${VNET_BENCH_ROUNDS:-3}
frames=${VNET_BENCH_FRAMES:-300000}
load() {
	insmod "$1" devices=0 irq_spread="${VNET_BENCH_IRQ_SPREAD:-1}" \
		${VNET_BENCH_RX_POLL_US:+rx_poll_us=$VNET_BENCH_RX_POLL_US}
}
[ -n "$ref" ] || load "$ko"
modprobe veth
modprobe pktgen

mkpair() {	# mkpair vnet|veth
	ip netns add a
	ip netns add b
	if [ "$1" = vnet ]; then
		tools/vnetctl add va netns a peer vb netns b
	else
		ip link add name va netns a type veth peer name vb netns b
	fi
	ip -n a addr add 10.9.0.1/24 dev va
	ip -n b addr add 10.9.0.2/24 dev vb
	if [ -n "${VNET_BENCH_GRO:-}" ]; then
		ip netns exec b ethtool -K vb gro "$VNET_BENCH_GRO"
	fi
	ip -n a link set va up
	ip -n b link set vb up
	ip -n a link set lo up
	ip -n b link set lo up
	sleep 0.5
}

rmpair() {
	ip netns del a
	ip netns del b
	sleep 0.5
}

rx() { ip netns exec b cat /sys/class/net/vb/statistics/rx_packets; }

pps() {		# pps KIND: pktgen frames/s received by vb
	local r0 t0 t1 r1 mac
	mkpair "$1"
	mac=$(ip netns exec b cat /sys/class/net/vb/address)
	r0=$(rx)
	t0=$(date +%s%N)
	ip netns exec a tests/helpers/pktgen.sh va "$frames" 60 1 "$mac" > /dev/null
	t1=$(date +%s%N)
	sleep 0.5
	r1=$(rx)
	rmpair
	echo $(((r1 - r0) * 1000000000 / (t1 - t0)))
}

tcp() {		# tcp KIND: iperf3 TCP Mbit/s
	local out
	mkpair "$1"
	ip netns exec b iperf3 -s -1 -D > /dev/null
	sleep 0.5
	out=$(ip netns exec a iperf3 -c 10.9.0.2 -t 4 -J |
	      python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
	rmpair
	echo "$out"
}


if [ -n "$ref" ]; then
	declare -a np rp nt rt
	for i in $(seq "$rounds"); do
		load "$ref"
		rp+=("$(pps vnet)")
		rt+=("$(tcp vnet)")
		rmmod vnet
		load "$ko"
		np+=("$(pps vnet)")
		nt+=("$(tcp vnet)")
		rmmod vnet
		echo "round $i: pktgen new ${np[-1]} ref ${rp[-1]} pps; iperf3 new ${nt[-1]} ref ${rt[-1]} Mbit/s"
	done
	echo
	echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), vnet pair, every fault off"
	row "pktgen 60 B, received pps:" new "$(median "${np[@]}")" ref "$(median "${rp[@]}")"
	row "iperf3 TCP, Mbit/s:" new "$(median "${nt[@]}")" ref "$(median "${rt[@]}")"
	exit 0
fi

declare -a vp tp vt tt
for i in $(seq "$rounds"); do
	vp+=("$(pps vnet)")
	tp+=("$(pps veth)")
	vt+=("$(tcp vnet)")
	tt+=("$(tcp veth)")
	echo "round $i: pktgen vnet ${vp[-1]} veth ${tp[-1]} pps; iperf3 vnet ${vt[-1]} veth ${tt[-1]} Mbit/s"
done
echo
echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians)"
row "pktgen 60 B, received pps:" vnet "$(median "${vp[@]}")" veth "$(median "${tp[@]}")"
row "iperf3 TCP, Mbit/s:" vnet "$(median "${vt[@]}")" veth "$(median "${tt[@]}")"
# TCG drifts within a boot (both devices slow down together over rounds):
# each round's vnet/veth ratio, measured back to back, drifts less.
declare -a tr
for i in "${!vt[@]}"; do tr+=("$(ratio "${vt[$i]}" "${tt[$i]}")"); done
echo "iperf3 TCP, per-round vnet/veth: ${tr[*]}; median $(median "${tr[@]}")"
