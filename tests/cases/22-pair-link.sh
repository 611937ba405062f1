#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A pair's link: carrier follows both ends, an MTU mismatch drops and counts
# oversized frames, GRO honours ethtool -K, ends move between namespaces,
# and deleting either end (from inside its namespace) deletes both.
. "$(dirname "$0")/../lib.sh"
plan 14

vnet_load devices=0
pair_setup 1
# Carrier: IFF_LOWER_UP follows at once, operstate once linkwatch runs.
ip -n b link set vb down
check "vb down: va has no carrier" \
	wait_for 3 bash -c "ip -n a link show va | grep -q NO-CARRIER"
ip -n b link set vb up
check "vb up again: va has carrier" \
	wait_for 3 bash -c "ip -n a link show va | grep -q 'state UP'"
changes=$(nsx a cat /sys/class/net/va/carrier_changes)

# MTU mismatch: va sends 4000-byte frames that vb (MTU 1500) refuses.
ip -n a link set va mtu 9000
dropped=$(nstat a va tx_dropped)
nsx a ping -c 3 -i 0.2 -W 1 -M do -s 4000 10.9.0.2 > /dev/null 2>&1
check_eq "the receiver counts 3 oversized frames as rx_length_errors" 3 "$(nstat b vb rx_length_errors)"
check_eq "and ip -s link reports them as length errors" 3 \
	"$(nsx b cat /sys/class/net/vb/statistics/rx_length_errors)"
check_eq "the sender counts them as tx_dropped" 3 $(($(nstat a va tx_dropped) - dropped))
check "frames that fit the receiver's MTU still cross" nsx a ping -c 2 -W 2 -M do -s 1472 10.9.0.2
ip -n a link set va mtu 1500

# GRO: the sender segments UDP GSO buffers into bursts of MTU-sized frames.
nsx a ethtool -K va tx-udp-segmentation off > /dev/null
gro_run() {	# gro_run: datagrams and recvs seen by a UDP_GRO socket
	: > /tmp/gro
	nsx b python3 "$VNET_TESTS/helpers/xfer.py" udp-server 5003 1200 $((15 * VNET_SLOW)) --gro > /tmp/gro &
	listening /tmp/gro
	nsx a python3 "$VNET_TESTS/helpers/xfer.py" udp-client 10.9.0.2 5003 1200 800 --gso > /dev/null
	wait
	cat /tmp/gro
}
on=$(gro_run)
nsx b ethtool -K vb gro off
off=$(gro_run)
check_eq "GRO on: all 800 datagrams arrive intact" "datagrams=800 bad=0" \
	"$(grep -o 'datagrams=[0-9]*' <<< "$on") $(grep -o 'bad=[0-9]*' <<< "$on")"
check_range "GRO on: they arrive aggregated (fewer than 400 recvs)" 1 399 \
	"$(sed -n 's/.*recvs=\([0-9]*\).*/\1/p' <<< "$on")"
check_eq "GRO off (ethtool -K vb gro off): one recv per datagram" "datagrams=800 recvs=800 bad=0" \
	"$(grep datagrams= <<< "$off")"

# Namespaces: move va from a to c; the pair keeps working.
ip netns add c
ip -n a link set va netns c
ip -n c addr add 10.9.0.1/24 dev va
ip -n c link set va up
check "after moving va to namespace c, ping still crosses" nsx c ping -c 2 -W 2 10.9.0.2
check "ip link shows the peer in its namespace from c" \
	bash -c "ip -n c link show va | grep -q 'link-netns b'"
check_range "carrier changes are counted (vb down/up, va moved)" $((changes + 1)) 9999 \
	"$(nsx c cat /sys/class/net/va/carrier_changes)"
check "deleting vb from inside namespace b" nsx b ip link del vb
check "removes va in namespace c too" bash -c '! ip -n c link show va 2>/dev/null'
vnet_unload
done_testing
