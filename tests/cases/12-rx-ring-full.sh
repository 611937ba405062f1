#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A full RX ring loses frames the way a NIC does: counted as missed (and as
# fifo errors in ip -s link), never stalling the ring, and every frame the
# hardware received is accounted for exactly.
. "$(dirname "$0")/../lib.sh"
plan 5

vnet_load rx_interval_ms=20 rx_burst=64
ethtool -G vnet0 rx 8
quiet_dev vnet0
sleep 2
ip link set vnet0 down
got=$(stat vnet0 rx_packets)
missed=$(stat vnet0 rx_missed)
flushed=$(stat vnet0 rx_dropped)
check_range "frames were received" 8 999999999 "$got"
check_range "a burst of 64 into 8 descriptors counts frames as missed" 56 999999999 "$missed"
check_eq "received + missed + flushed is whole bursts of 64" 0 $(((got + missed + flushed) % 64))
check_eq "ip -s link reports them as missed" "$missed" \
	"$(ip -j -s -s link show vnet0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["missed_errors"])')"
ip link set vnet0 up
sleep 0.5
check_range "the ring keeps receiving after overflowing" $((got + 1)) 999999999 "$(stat vnet0 rx_packets)"
vnet_unload
done_testing
