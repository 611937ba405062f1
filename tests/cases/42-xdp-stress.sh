#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# XDP programs attached, swapped and detached while traffic flows both ways
# through a pair and the synthetic source feeds vnet0, with the link going
# down and up and channels changing meanwhile; then the module is unloaded
# with programs still attached. The debug kernel checks memory and locks.
. "$(dirname "$0")/../lib.sh"
plan 7

OBJ=$VNET_TESTS/../tools/bpf/vnet_xdp_progs.o
PROGS=(xdp_drop xdp_pass xdp_tx xdp_aborted xdp_pass)

vnet_load devices=1 rx_interval_ms=1 rx_burst=8
pair_setup 2
ip link set vnet0 up
VB_MAC=$(nsx b cat /sys/class/net/vb/address)
VA_MAC=$(nsx a cat /sys/class/net/va/address)
ip -n a neigh replace 10.9.0.2 lladdr "$VB_MAC" dev va nud permanent
ip -n b neigh replace 10.9.0.1 lladdr "$VA_MAC" dev vb nud permanent

# Traffic both ways for as long as the cycles take. Started with ip
# itself, not through nsx: $! is then the flood (ip execs it), not a
# subshell whose killing would leave the flood running.
ip netns exec a ping -f 10.9.0.2 > /dev/null 2>&1 &
flood_a=$!
ip netns exec b ping -f 10.9.0.1 > /dev/null 2>&1 &
flood_b=$!
ip netns exec a python3 "$VNET_TESTS/helpers/xfer.py" udp-client 10.9.0.2 7000 1000 10000000 > /dev/null 2>&1 &
flood_udp=$!

# Four cycles on the debug kernel, where each takes ~20 s: every state
# (four link/channel variants) and every program is still visited.
want=$(reps 12 4)
failures=0
cycles=0
i=0
while [ $cycles -lt $want ]; do
	p=${PROGS[$((i % ${#PROGS[@]}))]}
	q=${PROGS[$(((i + 2) % ${#PROGS[@]}))]}
	mark "xdp-stress: cycle $i: attach vb $p, va $q, vnet0 $p"
	ip -n b link set dev vb xdpdrv obj "$OBJ" program "$p" || failures=$((failures + 1))
	ip -n a link set dev va xdpdrv obj "$OBJ" program "$q" || failures=$((failures + 1))
	ip link set dev vnet0 xdpdrv obj "$OBJ" program "$p" || failures=$((failures + 1))
	mark "xdp-stress: cycle $i: link down/up ($((i % 4)))"
	case $((i % 4)) in
	1) ip -n b link set vb down; ip -n b link set vb up ;;
	2) ip link set vnet0 down; ip link set vnet0 up ;;
	3) ip -n a link set va down; ip -n a link set va up ;;
	esac
	# Swapping a program in place takes -force; detaching never fails.
	mark "xdp-stress: cycle $i: swap vb to $q, then detach all"
	ip -force -n b link set dev vb xdpdrv obj "$OBJ" program "$q" || failures=$((failures + 1))
	ip -n b link set dev vb xdpdrv off || failures=$((failures + 1))
	ip -n a link set dev va xdpdrv off || failures=$((failures + 1))
	ip link set dev vnet0 xdpdrv off || failures=$((failures + 1))
	# Channels change on an end without programs (the peer has none).
	mark "xdp-stress: cycle $i: channels $((1 + i % 2))"
	ip netns exec a ethtool -L va combined $((1 + i % 2)) 2> /dev/null
	ip netns exec b ethtool -L vb combined $((1 + i % 2)) 2> /dev/null
	i=$((i + 1))
	cycles=$((cycles + 1))
done
kill $flood_a $flood_b $flood_udp 2> /dev/null
wait
check_eq "$want attach, swap and detach cycles under traffic, none refused" "$want 0" "$cycles $failures"

# What the programs saw adds up: every frame got exactly one verdict.
verdicts() {	# NS DEV
	nsx "$1" ethtool -S "$2" | awk '
		$1 == "xdp_packets:" {n = $2}
		$1 ~ /^xdp_(pass|drop|tx|tx_errors|redirect|redirect_errors|aborted):$/ {v += $2}
		END {print n, v}'
}
read -r n v <<< "$(verdicts b vb)"
check_eq "vb: every frame the program ran on got one verdict" "$n" "$v"
check_range "and there were many" 1000 999999999 "$n"
read -r n v <<< "$(verdicts a va)"
check_eq "va: likewise" "$n" "$v"
check "traffic flows once the programs are gone" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2

# Unloading with programs attached and traffic flowing.
mark "xdp-stress: unload with programs attached"
ip -n b link set dev vb xdpdrv obj "$OBJ" program xdp_tx
ip link set dev vnet0 xdpdrv obj "$OBJ" program xdp_drop
nsx a ping -f -w 3 10.9.0.2 > /dev/null 2>&1 &
sleep 1
check "the module unloads with programs attached, under traffic" vnet_unload
check "and nothing of vnet is left" bash -c "! ip link show vnet0 2> /dev/null"
wait
done_testing
