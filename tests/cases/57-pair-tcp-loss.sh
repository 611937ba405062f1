#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP over a pair that loses frames, as users test congestion control and
# SACK: the receiver's RX drop fault loses 2 % of the segments, so the
# sender retransmits and walks its retransmit queue on every SACK. A pair
# hands the receiver the very skb TCP transmitted - a clone sharing its
# data with TCP's retransmit queue - and GRO merges frames into the skb
# it holds: before the receiver made a clone's head its own, GRO changed
# the sender's queued skbs under it ("kernel BUG at net/core/skbuff.c"
# in skb_shift() from tcp_sacktag_walk(), found by the torture test with
# sg off). Both with scatter-gather (TSO) and without; data intact.
. "$(dirname "$0")/../lib.sh"
plan 10

bytes=$(reps $((8 << 20)) $((2 << 20)))
vnet_load devices=0
pair_setup 2
nsx b "$VNETCTL" fault vb seed 3 rx drop 2%
for sg in off on; do
	mark "sg $sg"
	nsx a ethtool -K va sg "$sg" 2>/dev/null
	check_eq "va: scatter-gather $sg" "$sg" \
		"$(nsx a ethtool -k va | awk '/^scatter-gather:/ {print $2}')"
	# iperf3's streams keep the receiver busy: GRO merges within a poll.
	nsx b iperf3 -s -1 > /tmp/iperf-s.log 2>&1 &
	sleep $((1 * VNET_SLOW))
	check "iperf3, 4 streams, 2 % lost, sg $sg" nsx a timeout $((60 * VNET_SLOW)) \
		iperf3 -c 10.9.0.2 -t "$(reps 6 3)" -P 4 -M 1000
	wait
	tcp_check "TCP, 2 % lost, sg $sg" "$bytes"
	check_range "the receiver dropped some (fault_rx_drop)" 1 999999999 \
		"$(nstat b vb fault_rx_drop)"
done
nsx b "$VNETCTL" fault vb clear
check "pings cross after it" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check "the pair is deleted within 10 s" timeout $((10 * VNET_SLOW)) ip -n a link del va
vnet_unload
done_testing
