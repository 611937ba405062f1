#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-protocol TX counters are exact for frames sent through AF_PACKET,
# and packets/bytes count every frame once, at completion. Per-destination
# counters (unicast, multicast, broadcast) are exact on both ends of a
# pair, through the TX ring and the XDP wire, and `ip -s
# link` reports the multicast frames received. RMON's size histograms
# count each frame in its range on both ends.
. "$(dirname "$0")/../lib.sh"
plan 26

vnet_load rx_interval_ms=0
quiet_dev vnet0
sleep 0.2
declare -A base
for k in tx_packets tx_bytes tx_arp tx_ipv4 tx_ipv6 tx_other \
	tx_unicast tx_multicast tx_broadcast; do
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
check_eq "tx_broadcast counts the 21 (sent to ff:ff:ff:ff:ff:ff)" 21 "$(d tx_broadcast)"
rawsend vnet0 --count 6 --dst 01:00:5e:00:00:fb --len 60 > /dev/null
rawsend vnet0 --count 9 --dst 02:00:00:00:00:02 --len 60 > /dev/null
sleep 0.5
check_eq "tx_multicast counts the 6 frames to a group address" 6 "$(d tx_multicast)"
check_eq "tx_unicast counts the 9 frames to a station address" 9 "$(d tx_unicast)"
check_eq "tx_broadcast does not count them" 21 "$(d tx_broadcast)"
check_eq "unicast + multicast + broadcast = tx_packets" "$(stat vnet0 tx_packets)" \
	$(($(stat vnet0 tx_unicast) + $(stat vnet0 tx_multicast) + $(stat vnet0 tx_broadcast)))

# A pair: what va sends to each kind of address, vb receives as that kind.
quiet_pair
nsx a ip link set va multicast off
nsx b ip link set vb multicast off
# dests A: bursts to unicast (vb's MAC), multicast and broadcast addresses.
dests() {
	nsx a python3 "$VNET_TESTS/helpers/rawsend.py" va --count 5 \
		--dst "$(nsx b cat /sys/class/net/vb/address)" > /dev/null
	nsx a python3 "$VNET_TESTS/helpers/rawsend.py" va --count 4 --dst 33:33:00:00:00:01 > /dev/null
	nsx a python3 "$VNET_TESTS/helpers/rawsend.py" va --count 3 --dst 01:80:c2:00:00:0e > /dev/null
	nsx a python3 "$VNET_TESTS/helpers/rawsend.py" va --count 2 > /dev/null
}
# ends: va's tx and vb's rx counters by destination, and ip's multicast.
ends() {
	local n
	for n in unicast multicast broadcast; do
		printf '%s %s ' "$(nstat a va tx_$n)" "$(nstat b vb rx_$n)"
	done
	ip -n b -s -j link show vb | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["multicast"])'
}
# delta BEFORE AFTER: field-by-field difference of two ends() lines.
delta() {
	local -a a=($1) b=($2)
	local i out=
	for i in "${!a[@]}"; do
		out+="$((b[i] - a[i])) "
	done
	echo "${out% }"
}
pair_dests() {	# LABEL: send dests, check every counter moved as it should
	local before after
	before=$(ends)
	dests
	sleep 0.5
	after=$(ends)
	read -r tu ru tm rm tb rb ipm <<< "$(delta "$before" "$after")"
	check_eq "$1: va tx_unicast / vb rx_unicast" "5 5" "$tu $ru"
	check_eq "$1: va tx_multicast / vb rx_multicast" "7 7" "$tm $rm"
	check_eq "$1: va tx_broadcast / vb rx_broadcast" "2 2" "$tb $rb"
	check_eq "$1: ip -s link's multicast on vb" 7 "$ipm"
}
pair_dests "skb path"
check_eq "unicast + multicast + broadcast = rx_packets on vb" "$(nstat b vb rx_packets)" \
	$(($(nstat b vb rx_unicast) + $(nstat b vb rx_multicast) + $(nstat b vb rx_broadcast)))
check_eq "ethtool's q0_rx_multicast is the device's" "$(nstat b vb rx_multicast)" \
	"$(nstat b vb q0_rx_multicast)"
# The XDP wire: frames for a program cross as XDP buffers, classified there.
OBJ=$VNET_TESTS/../tools/bpf/vnet_xdp_progs.o
ip -n b link set dev vb xdpdrv obj "$OBJ" program xdp_pass
in_place0=$(nstat b vb xdp_in_place)
pair_dests "XDP wire (xdp_pass on vb)"
check_eq "the program ran on all 14 in place" 14 $(($(nstat b vb xdp_in_place) - in_place0))
ip -n b link set dev vb xdpdrv off

# RMON's size histograms (ethtool -S DEV --groups rmon): 1 frame of 64
# octets with the FCS, 2 of 65-127, 3 of 128-255, ... 7 jumbo frames.
nsx a ip link set va mtu 9000
nsx b ip link set vb mtu 9000
ranges="64 65to127 128to255 256to511 512to1023 1024to1518 1519to9022"
hist() {	# NS DEV DIR: the 7 buckets of one direction
	local r out=
	for r in $ranges; do
		out+="$(nsx "$1" ethtool -S "$2" --groups rmon | counter "$3-rmon-etherStatsPkts${r}Octets") "
	done
	echo "${out% }"
}
tx0=$(hist a va tx) rx0=$(hist b vb rx)
n=1
for len in 60 100 200 400 800 1200 4000; do
	nsx a python3 "$VNET_TESTS/helpers/rawsend.py" va --count $n --len $len > /dev/null
	n=$((n + 1))
done
sleep 0.5
check_eq "rmon: va's TX histogram counts 1..7 frames in its 7 ranges" "1 2 3 4 5 6 7" \
	"$(delta "$tx0" "$(hist a va tx)")"
check_eq "rmon: vb's RX histogram counts them in the same ranges" "1 2 3 4 5 6 7" \
	"$(delta "$rx0" "$(hist b vb rx)")"
vnet_unload
done_testing
