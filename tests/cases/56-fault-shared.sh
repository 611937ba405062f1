#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TX faults on frames the stack shares: pktgen with clone_skb hands the
# same skb to ndo_start_xmit many times over (a standalone vnet device
# allows IFF_TX_SKB_SHARING), and the faults delay, reorder, duplicate and
# corrupt what the wire carries. The wire must take its own clone of a
# shared skb before it links it into a delay line or writes its bytes:
# editing pktgen's skb in place linked one skb twice (KASAN in
# vnet_fault_tx_release on the debug kernel, a soft lockup on Debian's).
# Every frame pktgen sent is completed, the faults count what they did,
# and the device goes away cleanly.
. "$(dirname "$0")/../lib.sh"
plan 12

PKTGEN="$VNET_TESTS/helpers/pktgen.sh"
# The synthetic source runs too (frames in the RX ring meanwhile), as a
# user's device would.
vnet_load rx_interval_ms=5 rx_burst=4
quiet_dev vnet0
vnetctl fault vnet0 seed 7 tx delay 300us jitter 200us reorder 20 corrupt 5 duplicate 5

# send LABEL COUNT BURST CLONE: pktgen on vnet0, then wait until the delay
# line is empty (every frame sent is counted as completed or dropped).
send() {
	local label=$1 count=$2 burst=$3 clone=$4 base out sent i done
	base=$(($(stat vnet0 tx_packets) + $(stat vnet0 tx_dropped)))
	mark "$label"
	out=$(timeout $((60 * VNET_SLOW)) bash "$PKTGEN" vnet0 "$count" 60 "$burst" \
		ff:ff:ff:ff:ff:ff 1 "$clone" 2>&1)
	check "$label: pktgen finishes" test $? -eq 0
	sent=$(sed -n 's/.*Result: OK.* \([0-9]*\) (\([0-9]*\)byte.*/\1/p; s/.*pkts-sofar: \([0-9]*\).*/\1/p' \
		<<< "$out" | head -1)
	[ -n "$sent" ] || sent=$count
	for i in $(seq $((50 * VNET_SLOW))); do
		done=$(($(stat vnet0 tx_packets) + $(stat vnet0 tx_dropped) - base))
		[ "$done" -ge "$sent" ] && break
		sleep 0.1
	done
	check_eq "$label: every frame pktgen sent was completed or dropped" "$sent" "$done"
}

n=$(reps 20000 3000)
send "clone_skb 50" "$n" 1 50
send "clone_skb 20, bursts of 8" "$n" 8 20
send "clone_skb 0 (private skbs)" "$((n / 4))" 1 0
check_range "the wire delayed frames (fault_tx_delay)" 1 999999999 "$(stat vnet0 fault_tx_delay)"
check_range "reordered some (fault_tx_reorder)" 1 999999999 "$(stat vnet0 fault_tx_reorder)"
check_range "duplicated some (fault_tx_duplicate)" 1 999999999 "$(stat vnet0 fault_tx_duplicate)"
check_range "corrupted some (fault_tx_corrupt)" 1 999999999 "$(stat vnet0 fault_tx_corrupt)"
check "the synthetic source kept receiving" test "$(stat vnet0 rx_packets)" -gt 0
check "the device is deleted within 5 s" timeout $((5 * VNET_SLOW)) ip link del vnet0
vnet_unload
done_testing
