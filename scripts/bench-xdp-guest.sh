#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The XDP benchmark, inside the VM (see scripts/bench.sh): pktgen's 60-byte
# frames into a pair end running an XDP program, vnet against veth:
#   drop      a -> b, xdp_drop on b; frames b's program ran on, per second
#   tx        a -> b, xdp_tx on b; frames back at a, per second. veth only
#             hands XDP_TX frames to a peer that runs a program itself, so
#             a runs xdp_pass for veth; vnet needs none. A second run gives
#             vnet's a xdp_pass too (the same work on both).
#   redirect  a veth pair s0 -> s1, s1 redirects (devmap) to a vnet or veth
#             end t0 in the same namespace; frames at t0's peer t1, per second
# With a second module (REF.ko, built from an older commit), the vnet runs
# with each module in turn instead of vnet against veth: what a change to
# the module did to its XDP figures, free of the drift between boots.
#
# Usage: scripts/bench-xdp-guest.sh VNET.ko [REF.ko]
set -eu
. "$(dirname "$0")/bench-lib.sh"
ko=$1
ref=${2:-}
rounds=${VNET_BENCH_ROUNDS:-3}
frames=${VNET_BENCH_FRAMES:-200000}
# VNET_BENCH_THREADS=2: two pktgen threads, one per CPU, each on its own
# queue of two-queue pairs, so that the sender is no longer the bottleneck.
threads=${VNET_BENCH_THREADS:-1}
obj=tools/bpf/vnet_xdp_progs.o
[ -n "$ref" ] || load "$ko"
modprobe veth
modprobe pktgen

mkpair() {	# mkpair vnet|veth A NSA B NSB: a pair, both ends up, GRO on
	if [ "$1" = vnet ]; then
		tools/vnetctl add "$2" netns "$3" peer "$4" netns "$5" queues "$threads"
	else
		ip link add name "$2" netns "$3" numtxqueues "$threads" numrxqueues "$threads" \
			type veth peer name "$4" netns "$5" \
			numtxqueues "$threads" numrxqueues "$threads"
	fi
	ip -n "$3" link set "$2" up
	ip -n "$5" link set "$4" up
	if [ "$1" = vnet ] && [ -n "${VNET_BENCH_ADAPTIVE_RX:-}" ]; then
		ip netns exec "$3" ethtool -C "$2" adaptive-rx "$VNET_BENCH_ADAPTIVE_RX"
		ip netns exec "$5" ethtool -C "$4" adaptive-rx "$VNET_BENCH_ADAPTIVE_RX"
	fi
	# veth needs NAPI on an end that XDP sends to: a program, or GRO asked
	# for explicitly (on by default, but only a change enables NAPI).
	local end
	for end in "$3 $2" "$5 $4"; do
		set -- $end
		ip netns exec "$1" ethtool -K "$2" gro off
		ip netns exec "$1" ethtool -K "$2" gro on
	done
}

rx() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"; }

# run NS DEV DST_MAC CNT_NS CNT_DEV: pktgen from DEV; frames counted at CNT_DEV per s
run() {
	local r0 t0 t1 r1
	r0=$(rx "$4" "$5")
	t0=$(date +%s%N)
	ip netns exec "$1" tests/helpers/pktgen.sh "$2" "$frames" 60 1 "$3" "$threads" > /dev/null
	t1=$(date +%s%N)
	sleep 0.5
	r1=$(rx "$4" "$5")
	echo $(((r1 - r0) * 1000000000 / (t1 - t0)))	# all threads' frames
}

verdict() {	# verdict KIND PROG [PEER_PROG]: drop or tx on a pair a/b
	local mac out
	ip netns add a
	ip netns add b
	mkpair "$1" va a vb b
	ip -n b link set dev vb xdpdrv obj "$obj" program "$2"
	if [ -n "${3:-}" ]; then
		ip -n a link set dev va xdpdrv obj "$obj" program "$3"
	fi
	mac=$(ip netns exec b cat /sys/class/net/vb/address)
	sleep 0.5
	if [ "$2" = xdp_drop ]; then
		out=$(run a va "$mac" b vb)
		# What waking vnet's receiver took: its interrupts, those sent to
		# the other CPU, and its NAPI polls (see docs/BENCHMARKS).
		if [ "$1" = vnet ]; then
			ip netns exec b ethtool -S vb | awk '
				$1 == "rx_irqs:" { i = $2 } $1 == "irq_ipis:" { p = $2 }
				$1 == "napi_polls:" { n = $2 }
				END { printf "%d RX interrupts (%d to the other CPU), %d NAPI polls", i, p, n }' \
				> /tmp/bench-drop-irqs
		fi
	else
		out=$(run a va "$mac" a va)
	fi
	ip netns del a
	ip netns del b
	sleep 0.5
	echo "$out"
}

redirect() {	# redirect KIND: veth s0 -> s1 =XDP=> KIND t0 -> t1
	local mac out
	ip netns add a
	ip netns add r
	ip netns add d
	mkpair veth s0 a s1 r
	mkpair "$1" t0 r t1 d
	ip netns exec r tools/vnet-xdp redirect s1 t0
	mac=$(ip netns exec r cat /sys/class/net/s1/address)
	sleep 0.5
	out=$(run a s0 "$mac" d t1)
	ip netns del a
	ip netns del r
	ip netns del d
	sleep 0.5
	echo "$out"
}

# The source alone: pktgen into a dummy device, which frees each frame at
# once - the most frames any receiver (and so any XDP_DROP) can see.
ip link add dm0 numtxqueues "$threads" type dummy
ip link set dm0 up
source_alone() {
	local t0 t1
	t0=$(date +%s%N)
	tests/helpers/pktgen.sh dm0 "$frames" 60 1 02:00:00:00:00:01 "$threads" > /dev/null
	t1=$(date +%s%N)
	echo $((frames * threads * 1000000000 / (t1 - t0)))
}

if [ -n "$ref" ]; then
	with_modules "$ref" "$ko" "XDP_DROP:verdict vnet xdp_drop" \
		"XDP_TX:verdict vnet xdp_tx" "REDIRECT:redirect vnet"
	echo
	echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), vnet pair, pktgen 60 B, $threads thread(s), $settings"
	row "XDP_DROP, frames/s:" new "$(median "${new_XDP_DROP[@]}")" ref "$(median "${ref_XDP_DROP[@]}")"
	row "XDP_TX, frames back/s:" new "$(median "${new_XDP_TX[@]}")" ref "$(median "${ref_XDP_TX[@]}")"
	row "REDIRECT from veth, frames/s:" new "$(median "${new_REDIRECT[@]}")" ref "$(median "${ref_REDIRECT[@]}")"
	exit 0
fi

declare -a vd td vx vxp tx vr tr sa
for i in $(seq "$rounds"); do
	vd+=("$(verdict vnet xdp_drop)")
	td+=("$(verdict veth xdp_drop)")
	vx+=("$(verdict vnet xdp_tx)")
	vxp+=("$(verdict vnet xdp_tx xdp_pass)")
	tx+=("$(verdict veth xdp_tx xdp_pass)")
	vr+=("$(redirect vnet)")
	tr+=("$(redirect veth)")
	sa+=("$(source_alone)")
	echo "round $i: XDP_DROP vnet ${vd[-1]} veth ${td[-1]}; XDP_TX vnet ${vx[-1]}" \
	     "(sender with xdp_pass ${vxp[-1]}) veth ${tx[-1]};" \
	     "REDIRECT veth->vnet ${vr[-1]} veth->veth ${tr[-1]}; source alone ${sa[-1]} (pps)"
	echo "  vnet's XDP_DROP receiver, $((frames * threads)) frames: $(cat /tmp/bench-drop-irqs)"
done
echo
echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), pktgen 60 B, $threads thread(s), $settings"
row "XDP_DROP, frames/s:" vnet "$(median "${vd[@]}")" veth "$(median "${td[@]}")"
a=$(median "${vx[@]}") b=$(median "${tx[@]}")
echo "XDP_TX, frames back/s:         vnet $a   veth $b   vnet/veth $(ratio "$a" "$b")" \
     "(veth's sender runs xdp_pass, vnet's nothing)"
a=$(median "${vxp[@]}")
echo "XDP_TX, both senders xdp_pass: vnet $a   veth $b   vnet/veth $(ratio "$a" "$b")"
row "REDIRECT from veth, frames/s:" vnet "$(median "${vr[@]}")" veth "$(median "${tr[@]}")"
a=$(median "${sa[@]}") b=$(median "${td[@]}")
echo "pktgen alone (into a dummy device): $a frames/s = $(ratio "$a" "$b") x veth's XDP_DROP, the most XDP_DROP can show"
# The host's speed drifts between rounds (docs/BENCHMARKS.md): a round's
# two runs, one right after the other, are the fairer pair.
rounds_of() {	# rounds_of A B (array names): each round's A/B, then their median
	local -n x=$1 y=$2
	local i r=() out=""
	for i in "${!x[@]}"; do
		r+=("$(ratio "${x[$i]}" "${y[$i]}")")
		out+=" ${r[-1]}"
	done
	echo "${out# } (median $(median "${r[@]}"))"
}
echo "each round's vnet/veth: XDP_DROP $(rounds_of vd td); XDP_TX $(rounds_of vx tx);" \
     "REDIRECT $(rounds_of vr tr)"
