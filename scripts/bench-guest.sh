#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The pair benchmark, inside the VM (see scripts/bench.sh). With a second
# module (REF.ko, built from an older commit), the same work on a vnet pair
# with each module in turn instead of vnet against veth.
#
# The module is loaded with its defaults, as users get it; a setting named
# in the environment (VNET_BENCH_IRQ_SPREAD, VNET_BENCH_RX_POLL_US) changes
# that, and the results say so. pktgen's frames go to two receivers:
#   cheap  UDP to 10.9.9.9, an address vb's namespace neither has nor
#          routes (forwarding is off): its stack drops each frame at the
#          route lookup, right after GRO and the IP header checks;
#   heavy  UDP to vb's own address: its stack runs UDP for each (no socket:
#          a port unreachable, ICMP replies rate-limited).
#
# Usage: scripts/bench-guest.sh VNET.ko [REF.ko]
set -eu
. "$(dirname "$0")/bench-lib.sh"
ko=$1
ref=${2:-}
rounds=${VNET_BENCH_ROUNDS:-3}
frames=${VNET_BENCH_FRAMES:-300000}
[ -n "$ref" ] || load "$ko"
modprobe veth
modprobe pktgen

mkpair() {	# mkpair vnet|veth
	ip netns add a
	ip netns add b
	# A new namespace inherits init_net's IPv4 settings: the cheap
	# receiver must not forward.
	ip netns exec b sysctl -qw net.ipv4.conf.all.forwarding=0
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

pps() {		# pps KIND [DST]: pktgen frames/s received by vb (to DST: vb's own)
	local r0 t0 t1 r1 mac
	mkpair "$1"
	mac=$(ip netns exec b cat /sys/class/net/vb/address)
	r0=$(rx)
	t0=$(date +%s%N)
	ip netns exec a env PKTGEN_DST="${2:-10.9.0.2}" \
		tests/helpers/pktgen.sh va "$frames" 60 1 "$mac" > /dev/null
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
	with_modules "$ref" "$ko" "pktgen_pps:pps vnet" "iperf3_Mbps:tcp vnet"
	echo
	echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), vnet pair, every fault off, $settings"
	row "pktgen 60 B, received pps:" new "$(median "${new_pktgen_pps[@]}")" ref "$(median "${ref_pktgen_pps[@]}")"
	row "iperf3 TCP, Mbit/s:" new "$(median "${new_iperf3_Mbps[@]}")" ref "$(median "${ref_iperf3_Mbps[@]}")"
	exit 0
fi

declare -a vc tc vp tp vt tt
for i in $(seq "$rounds"); do
	vc+=("$(pps vnet 10.9.9.9)")
	tc+=("$(pps veth 10.9.9.9)")
	vp+=("$(pps vnet)")
	tp+=("$(pps veth)")
	vt+=("$(tcp vnet)")
	tt+=("$(tcp veth)")
	echo "round $i: pktgen cheap vnet ${vc[-1]} veth ${tc[-1]}, heavy vnet ${vp[-1]} veth ${tp[-1]} pps; iperf3 vnet ${vt[-1]} veth ${tt[-1]} Mbit/s"
done
echo
echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), $settings"
row "pktgen 60 B, cheap rx, pps:" vnet "$(median "${vc[@]}")" veth "$(median "${tc[@]}")"
row "pktgen 60 B, heavy rx, pps:" vnet "$(median "${vp[@]}")" veth "$(median "${tp[@]}")"
row "iperf3 TCP, Mbit/s:" vnet "$(median "${vt[@]}")" veth "$(median "${tt[@]}")"
# TCG drifts within a boot (both devices slow down together over rounds):
# each round's vnet/veth ratio, measured back to back, drifts less.
rounds_ratio() {	# rounds_ratio NAME A-ARRAY B-ARRAY
	local -n a=$2 b=$3
	local r=() i
	for i in "${!a[@]}"; do r+=("$(ratio "${a[$i]}" "${b[$i]}")"); done
	echo "$1, per-round vnet/veth: ${r[*]}; median $(median "${r[@]}")"
}
rounds_ratio "pktgen cheap rx" vc tc
rounds_ratio "pktgen heavy rx" vp tp
rounds_ratio "iperf3 TCP" vt tt
