#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Wire faults in time (vnetctl fault, docs/FAULTS.md) on a pair: duplicates
# and reordering show in UDP sequence numbers, latency and jitter in ping's
# round-trip times, on the sender's TX and on the receiver's RX.
. "$(dirname "$0")/../lib.sh"
plan 11

vnet_load devices=0
quiet_pair
# Duplicates and reordering, seen in the UDP sequence numbers.
dup0=$(nstat a va fault_tx_duplicate)
nsx a "$VNETCTL" fault va seed 7 tx duplicate 20%
out=$(udp_run 300)
dups=$(($(nstat a va fault_tx_duplicate) - dup0))
check_range "20% duplication: about 60 of 300 frames twice" 20 120 "$dups"
check_eq "the receiver gets every datagram once plus each duplicate" \
	"datagrams=$((300 + dups)) dups=$dups bad=0" \
	"datagrams=$(field datagrams "$out") dups=$(field dups "$out") bad=$(field bad "$out")"
reo0=$(nstat a va fault_tx_reorder)
nsx a "$VNETCTL" fault va seed 7 tx duplicate 0 reorder 10%
out=$(udp_run 300)
reo=$(($(nstat a va fault_tx_reorder) - reo0))
check_range "10% reordering: about 30 of 300 frames held back" 8 70 "$reo"
check_eq "all 300 arrive, none twice" "300 0" "$(field datagrams "$out") $(field dups "$out")"
check_range "the receiver sees held-back frames arrive late" 1 "$reo" "$(field late "$out")"
nsx a "$VNETCTL" fault va clear

# Latency and jitter, in ping's round-trip times.
nsx a "$VNETCTL" fault va tx delay 50ms
read -r min max _ <<< "$(rtt 10)"
check_range "TX delay 50ms: every RTT is at least 50 ms" 50 $((1000 * VNET_SLOW)) "$min"
nsx a "$VNETCTL" fault va clear
nsx b "$VNETCTL" fault vb rx delay 30ms
read -r min max _ <<< "$(rtt 10)"
check_range "RX delay 30ms at the receiver: every RTT is at least 30 ms" 30 \
	$((1000 * VNET_SLOW)) "$min"
nsx b "$VNETCTL" fault vb rx delay 10ms jitter 40ms
read -r min max mdev <<< "$(rtt 30)"
check_range "jitter 40ms: RTTs spread over more than 15 ms" 16 $((1000 * VNET_SLOW)) $((max - min))
check_range "and none is below the 10 ms delay" 10 $((1000 * VNET_SLOW)) "$min"
check_eq "vb counts the delayed frames" 40 "$(nstat b vb fault_rx_delay)"
nsx b "$VNETCTL" fault vb clear
check_eq "clear: 100 of 100 pings answered" 100 "$(answered 100 | wc -w)"
vnet_unload
done_testing
