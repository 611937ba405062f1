#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A /dev/vnet port's frame ring has one producer: the TX engine. Frames
# held by a TX delay/reorder fault are released after the fault is
# cleared, while xmit keeps posting lone frames whose engine passes run
# at its doorbell, and whose descriptors xmit reclaims itself (issue 22,
# defect 5 was a second producer beside the engine). pktgen sends lone
# frames (burst 1: no xmit_more) out of vnet0, whose wire is a reader; the
# fault is set and cleared again and again while they flow, with
# interrupts (NAPI) on the other CPU, and XDP frames redirected in from
# that CPU too (ndo_xdp_xmit, through the same TX ring). Every frame sent
# is read exactly once or counted as dropped; the harness checks dmesg and
# kmemleak for what a lost ring entry leaves behind.
. "$(dirname "$0")/../lib.sh"
rounds=$(reps 3 2)
plan $((2 * rounds + 1))

vport() {
	python3 "$VNET_TESTS/helpers/vport.py" "$@"
}

vnet_load rx_interval_ms=0 irq_spread=1
quiet_dev vnet0
tmp=$(mktemp -d)
n=$(reps 5000 1500)

for r in $(seq "$rounds"); do
	mark "34-port-race round $r"
	rm -f "$tmp/stop"
	: > "$tmp/read.out"
	vport drain vnet0 "$tmp/stop" > "$tmp/read.out" &
	rpid=$!
	wait_for $((10 * VNET_SLOW)) grep -q attached "$tmp/read.out"
	tx0=$(stat vnet0 tx_packets) drop0=$(stat vnet0 tx_dropped)
	fdrop0=$(stat vnet0 fault_tx_drop) cln0=$(stat vnet0 tx_xmit_cleaned)
	delay0=$(stat vnet0 fault_tx_delay)
	# pktgen runs on CPU 0, NAPI (irq_spread) on CPU 1.
	taskset -c 0 bash "$VNET_TESTS/helpers/pktgen.sh" vnet0 "$n" 60 1 \
		02:00:00:00:00:02 > "$tmp/pktgen.out" &
	gpid=$!
	# XDP frames redirected in from CPU 1 meanwhile (ndo_xdp_xmit, the
	# same TX ring under the txq lock): the fault timer fires on the CPU that armed it,
	# so NAPI's releases of the delay line run on either CPU, beside the
	# sender of the other.
	(
		x=0
		while kill -0 $gpid 2> /dev/null; do
			out=$(taskset -c 1 "$VNET_TESTS/../tools/vnet-xdp" send vnet0 -c 500)
			x=$((x + ${out#sent=}))
		done
		echo "$x" > "$tmp/xdp.sent"
	) &
	xpid=$!
	t0=$SECONDS toggles=0
	while kill -0 $gpid 2> /dev/null; do
		vnetctl fault vnet0 tx delay 10ms reorder 30%
		sleep 0.05
		# Frames sent in the last 10-20 ms are still on the wire.
		vnetctl fault vnet0 clear
		toggles=$((toggles + 1))
		sleep 0.05
	done
	wait $gpid
	wait $xpid
	touch "$tmp/stop"
	wait $rpid
	sent=$(awk '/^Result: OK:/ { sub(/.*usec, /, ""); print $1 }' "$tmp/pktgen.out")
	xsent=$(cat "$tmp/xdp.sent")
	read -r rd ours seqs <<< "$(sed -n 's/read=\([0-9]*\) pktgen=\([0-9]*\) seqs=\([0-9]*\)/\1 \2 \3/p' \
		"$tmp/read.out")"
	drops=$(($(stat vnet0 tx_dropped) - drop0 + $(stat vnet0 fault_tx_drop) - fdrop0))
	echo "# round $r: sent=$sent read=$rd pktgen=$ours seqs=$seqs dropped=$drops" \
		"tx_packets+$(($(stat vnet0 tx_packets) - tx0))" \
		"xmit_cleaned+$(($(stat vnet0 tx_xmit_cleaned) - cln0))" \
		"delayed+$(($(stat vnet0 fault_tx_delay) - delay0))" \
		"xdp=$xsent toggles=$toggles seconds=$((SECONDS - t0))"
	check_eq "round $r: each frame sent ($n by pktgen, ndo_xdp_xmit's) is read or counted as dropped" \
		"$n $((n + xsent))" "${sent:-?} $((${rd:-0} + drops))"
	check_eq "round $r: no frame read twice" "${ours:-?}" "${seqs:-!}"
done

check_eq "the TX ring never overflowed (tx_busy)" 0 "$(stat vnet0 tx_busy)"
done_testing
