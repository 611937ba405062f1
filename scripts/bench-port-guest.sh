#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The /dev/vnet benchmark, inside the VM (see scripts/bench.sh): frames per
# second injected into a device's RX path and captured from its TX path,
# through vnet's backend (one frame per call, and batches of 64) and
# through a tap device (one frame per call: tap has no batch interface).
# The reader runs on CPU 1; the capture source (AF_PACKET sendmmsg) on CPU 0.
set -eu
. "$(dirname "$0")/bench-lib.sh"
ko=$1
rounds=${VNET_BENCH_ROUNDS:-3}
frames=${VNET_BENCH_FRAMES:-200000}
seconds=${VNET_BENCH_SECONDS:-3}
# VNET_BENCH_IRQ_SPREAD=1: vnet's interrupts (and so its NAPI) on the other CPU.
insmod "$ko" rx_interval_ms=0 irq_spread="${VNET_BENCH_IRQ_SPREAD:-0}"
modprobe tun
modprobe pktgen
modprobe dummy numdummies=1
PB=tools/vnet-portbench

quiet() {
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip link set "$1" arp off multicast off up
}
quiet vnet0
quiet dummy0

# run KIND MODE ARG BATCH: one measurement; prints frames/s.
run() {
	local kind=$1 mode=$2 arg=$3 batch=$4 dev=vnet0 out pg line
	[ "$kind" = tap ] && dev=tap0
	coproc PBC { taskset -c 1 "$PB" "$mode" "$kind" "$dev" "$arg" "$batch" 2>&1; }
	local pid=$PBC_PID
	read -r line <&"${PBC[0]}"	# "ready": attached (tap0 exists)
	[ "$kind" = tap ] && quiet tap0
	if [ "$mode" = capture ]; then
		# The source, on CPU 0, outruns any reader: AF_PACKET, 64 frames
		# per sendmmsg(), one second longer than the capture.
		taskset -c 0 "$PB" blast any "$dev" $((arg + 1)) > /dev/null &
		pg=$!
		sleep 0.3
	fi
	echo go >&"${PBC[1]}"
	read -r out <&"${PBC[0]}"
	if [ "$mode" = capture ]; then
		wait "$pg" || true
	fi
	wait "$pid" 2>/dev/null || true
	sed -n 's/^fps=\([0-9]*\).*/\1/p' <<< "$out"
}


# The capture source alone, into a dummy device (which frees each frame at
# once): what any capture through any device can reach at most.
ceiling() {
	local sent
	sent=$(taskset -c 0 "$PB" blast any dummy0 "$seconds" | sed -n 's/^sent=//p')
	echo $((sent / seconds))
}

declare -a i1 ib it c1 cb ct cs
for r in $(seq "$rounds"); do
	i1+=("$(run vnet inject "$frames" 1)")
	ib+=("$(run vnet inject "$frames" 64)")
	it+=("$(run tap inject "$frames" 1)")
	c1+=("$(run vnet capture "$seconds" 1)")
	cb+=("$(run vnet capture "$seconds" 64)")
	ct+=("$(run tap capture "$seconds" 1)")
	cs+=("$(ceiling)")
	echo "round $r: inject vnet ${i1[-1]} / batched ${ib[-1]} / tap ${it[-1]};" \
	     "capture vnet ${c1[-1]} / batched ${cb[-1]} / tap ${ct[-1]} frames/s;" \
	     "source alone ${cs[-1]}"
done
mi1=$(median "${i1[@]}") mib=$(median "${ib[@]}") mit=$(median "${it[@]}")
mc1=$(median "${c1[@]}") mcb=$(median "${cb[@]}") mct=$(median "${ct[@]}")
mcs=$(median "${cs[@]}")
echo
echo "kernel $(uname -r), $(nproc) vCPUs, TCG, $rounds rounds (medians), 60-byte frames"
echo "inject,  frames/s:  vnet $mi1  vnet batched $mib  tap $mit   per-frame vnet/tap $(ratio "$mi1" "$mit")   batched vnet/tap $(ratio "$mib" "$mit")"
echo "capture, frames/s:  vnet $mc1  vnet batched $mcb  tap $mct   per-frame vnet/tap $(ratio "$mc1" "$mct")   batched vnet/tap $(ratio "$mcb" "$mct")"
echo "capture source alone (AF_PACKET into dummy0): $mcs frames/s = $(ratio "$mcs" "$mct") x tap's capture, the most any capture can show"
