#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-protocol TX counters are exact for frames sent through AF_PACKET,
# and packets/bytes count every frame once, at completion.
. "$(dirname "$0")/../lib.sh"
plan 8

vnet_load rx_interval_ms=0
quiet_dev vnet0
sleep 0.2
declare -A base
for k in tx_packets tx_bytes tx_arp tx_ipv4 tx_ipv6 tx_other; do
	base[$k]=$(stat vnet0 $k)
done
rawsend vnet0 --count 5 --type 0x0806 --len 60 > /dev/null
rawsend vnet0 --count 7 --type 0x0800 --len 100 > /dev/null
rawsend vnet0 --count 3 --type 0x86dd --len 1514 > /dev/null
rawsend vnet0 --count 4 --type 0x88b5 --len 64 > /dev/null
rawsend vnet0 --count 2 --type 0x8100 --len 64 > /dev/null
sleep 0.5
d() { echo $(($(stat vnet0 "$1") - base[$1])); }
check_eq "tx_arp counts the 5 ARP frames" 5 "$(d tx_arp)"
check_eq "tx_ipv4 counts the 7 IPv4 frames" 7 "$(d tx_ipv4)"
check_eq "tx_ipv6 counts the 3 IPv6 frames" 3 "$(d tx_ipv6)"
check_eq "tx_other counts 4 experimental + 2 VLAN frames" 6 "$(d tx_other)"
check_eq "tx_packets counts all 21" 21 "$(d tx_packets)"
check_eq "tx_bytes counts their wire bytes" $((5 * 60 + 7 * 100 + 3 * 1514 + 6 * 64)) "$(d tx_bytes)"
check_fails "a frame shorter than an Ethernet header is refused by the core" \
	"Invalid argument" rawsend vnet0 --count 1 --len 10
check_eq "and never reaches the driver" 21 "$(d tx_packets)"
vnet_unload
done_testing
