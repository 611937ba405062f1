#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The /dev/vnet benchmark, inside the VM (see scripts/bench.sh): frames per
# second injected into a device's RX path and captured from its TX path,
# through vnet's backend (one frame per call, and batches of 64) and
# through a tap device (one frame per call: tap has no batch interface).
# The reader runs on CPU 1, the capture source on CPU 0: AF_PACKET
# sendmmsg() through the stack (packet); the kernel's pktgen, which hands
# skbs to the device's ndo_start_xmit from a kernel thread (pktgen: the
# skb transmit path without a socket or a system call); or XDP live
# frames redirected into the device's ndo_xdp_xmit by the kernel itself
# (xdp: vnet-xdp send, no skb and no system call per frame; tap's
# cheapest transmit path).
set -eu
. "$(dirname "$0")/bench-lib.sh"
ko=$1
rounds=${VNET_BENCH_ROUNDS:-3}
frames=${VNET_BENCH_FRAMES:-200000}
seconds=${VNET_BENCH_SECONDS:-3}
# VNET_BENCH_IRQ_SPREAD=1: vnet's interrupts (and so its NAPI) on the other CPU.
insmod "$ko" rx_interval_ms=0 irq_spread="${VNET_BENCH_IRQ_SPREAD:-0}" \
	${VNET_BENCH_RX_POLL_US:+rx_poll_us=$VNET_BENCH_RX_POLL_US}
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

# run KIND MODE ARG BATCH [SOURCE]: one measurement; prints frames/s.
# SOURCE, for capture: packet (default), pktgen or xdp.
run() {
	local kind=$1 mode=$2 arg=$3 batch=$4 src=${5:-packet} dev=vnet0 out pg line
	[ "$kind" = tap ] && dev=tap0
	coproc PBC { taskset -c 1 "$PB" "$mode" "$kind" "$dev" "$arg" "$batch" 2>&1; }
	local pid=$PBC_PID
	read -r line <&"${PBC[0]}"	# "ready": attached (tap0 exists)
	[ "$kind" = tap ] && quiet tap0
	if [ "$mode" = capture ] && [ "$src" = packet ]; then
		# The source, on CPU 0, one second longer than the capture:
		# AF_PACKET, 64 frames per sendmmsg().
		taskset -c 0 "$PB" blast any "$dev" $((arg + 1)) > /dev/null &
		pg=$!
		sleep 0.3
	elif [ "$mode" = capture ] && [ "$src" = pktgen ]; then
		# pktgen's thread of CPU 0, new 60-byte skbs one at a time,
		# until stopped below.
		tests/helpers/pktgen.sh "$dev" 0 60 1 > /dev/null &
		pg=$!
		sleep 0.3
	elif [ "$mode" = capture ]; then
		taskset -c 0 tools/vnet-xdp send "$dev" $((arg + 1)) > /dev/null &
		pg=$!
		sleep 0.3
	fi
	echo go >&"${PBC[1]}"
	read -r out <&"${PBC[0]}"
	[ "$src" = pktgen ] && echo stop > /proc/net/pktgen/pgctrl
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

# pktgen alone into dummy0, for SECONDS: the same ceiling for that source.
pktgen_ceiling() {
	local r0 r1
	r0=$(cat /sys/class/net/dummy0/statistics/tx_packets)
	tests/helpers/pktgen.sh dummy0 0 60 1 > /dev/null &
	sleep "$seconds"
	echo stop > /proc/net/pktgen/pgctrl
	wait $! || true
	r1=$(cat /sys/class/net/dummy0/statistics/tx_packets)
	echo $(((r1 - r0) / seconds))
}

declare -a i1 ib it c1 cb ct cs x1 xb xt p1 pb pt ps
for r in $(seq "$rounds"); do
	i1+=("$(run vnet inject "$frames" 1)")
	ib+=("$(run vnet inject "$frames" 64)")
	it+=("$(run tap inject "$frames" 1)")
	c1+=("$(run vnet capture "$seconds" 1)")
	cb+=("$(run vnet capture "$seconds" 64)")
	ct+=("$(run tap capture "$seconds" 1)")
	cs+=("$(ceiling)")
	x1+=("$(run vnet capture "$seconds" 1 xdp)")
	xb+=("$(run vnet capture "$seconds" 64 xdp)")
	xt+=("$(run tap capture "$seconds" 1 xdp)")
	p1+=("$(run vnet capture "$seconds" 1 pktgen)")
	pb+=("$(run vnet capture "$seconds" 64 pktgen)")
	pt+=("$(run tap capture "$seconds" 1 pktgen)")
	ps+=("$(pktgen_ceiling)")
	echo "round $r: inject vnet ${i1[-1]} / batched ${ib[-1]} / tap ${it[-1]};" \
	     "capture vnet ${c1[-1]} / batched ${cb[-1]} / tap ${ct[-1]} frames/s;" \
	     "source alone ${cs[-1]};" \
	     "capture of XDP frames vnet ${x1[-1]} / batched ${xb[-1]} / tap ${xt[-1]};" \
	     "capture of pktgen's frames vnet ${p1[-1]} / batched ${pb[-1]} / tap ${pt[-1]}" \
	     "(pktgen alone ${ps[-1]});" \
	     "batched ratios inject $(ratio "${ib[-1]}" "${it[-1]}")" \
	     "capture $(ratio "${cb[-1]}" "${ct[-1]}") xdp $(ratio "${xb[-1]}" "${xt[-1]}")" \
	     "pktgen $(ratio "${pb[-1]}" "${pt[-1]}")"
done
mi1=$(median "${i1[@]}") mib=$(median "${ib[@]}") mit=$(median "${it[@]}")
mc1=$(median "${c1[@]}") mcb=$(median "${cb[@]}") mct=$(median "${ct[@]}")
mcs=$(median "${cs[@]}")
mx1=$(median "${x1[@]}") mxb=$(median "${xb[@]}") mxt=$(median "${xt[@]}")
mp1=$(median "${p1[@]}") mpb=$(median "${pb[@]}") mpt=$(median "${pt[@]}")
mps=$(median "${ps[@]}")
echo
echo "kernel $(uname -r), $(nproc) vCPUs, ${VNET_ACCEL:-TCG}, $rounds rounds (medians), 60-byte frames"
echo "inject,  frames/s:  vnet $mi1  vnet batched $mib  tap $mit   per-frame vnet/tap $(ratio "$mi1" "$mit")   batched vnet/tap $(ratio "$mib" "$mit")"
echo "capture, frames/s:  vnet $mc1  vnet batched $mcb  tap $mct   per-frame vnet/tap $(ratio "$mc1" "$mct")   batched vnet/tap $(ratio "$mcb" "$mct")"
echo "capture source alone (AF_PACKET into dummy0): $mcs frames/s = $(ratio "$mcs" "$mct") x tap's capture, the most any capture can show"
echo "capture of XDP frames (live frames into ndo_xdp_xmit), frames/s:  vnet $mx1  vnet batched $mxb  tap $mxt   per-frame vnet/tap $(ratio "$mx1" "$mxt")   batched vnet/tap $(ratio "$mxb" "$mxt")"
echo "capture of pktgen's frames (skbs into ndo_start_xmit), frames/s:  vnet $mp1  vnet batched $mpb  tap $mpt   per-frame vnet/tap $(ratio "$mp1" "$mpt")   batched vnet/tap $(ratio "$mpb" "$mpt")"
echo "pktgen alone into dummy0: $mps frames/s = $(ratio "$mps" "$mpt") x tap's capture of it"
