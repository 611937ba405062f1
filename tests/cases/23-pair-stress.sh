#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pairs under load: backpressure instead of loss, counters that add up
# (tx(A) = rx(B) + counted drops), channel changes under traffic, and
# rmmod with pairs in several namespaces.
. "$(dirname "$0")/../lib.sh"
plan 12

vnet_load devices=0
pair_setup 2
nsx b ethtool -G vb rx 8
# pktgen (no qdisc) floods a receiver with 8 descriptors whose NAPI runs in
# a thread on CPU 1: the sender must wait for it, not drop. vb's interrupts
# first come a second late (ethtool -C rx-usecs): its descriptors fill at
# once and va's TX ring must fill and stop behind them, on every kernel and
# at any speed, not by luck; then moderation is lifted and the flood drains.
nsx b sh -c 'echo 1 > /sys/class/net/vb/threaded'
# BQL must not stop va's queue before its TX ring fills (its stops are the
# stack's, not counted as the driver's tx_queue_stops).
nsx a sh -c 'for q in /sys/class/net/va/queues/tx-*/byte_queue_limits; do
	echo 100000000 > $q/limit_min; done'
pinned=0
for pid in $(pgrep '^napi/vb-'); do
	taskset -p 2 "$pid" > /dev/null && pinned=$((pinned + 1))
done
check_eq "vb's 2 NAPI threads run on CPU 1" 2 "$pinned"
check_fails "pktgen may not burst (share skbs) on a pair end" "pktgen refused 'burst 8'" \
	nsx a "$VNET_TESTS/helpers/pktgen.sh" va 10 60 8
tx0=$(nstat a va tx_ipv4) txd0=$(nstat a va tx_dropped) rx0=$(nstat b vb rx_ipv4)
rxm0=$(nstat b vb rx_missed)
nsx b ethtool -C vb rx-usecs 1000000
# Many times two rings' worth: 20000 frames, 5000 on the debug kernel.
frames=$(reps 20000 5000)
taskset -c 0 ip netns exec a "$VNET_TESTS/helpers/pktgen.sh" va "$frames" 200 1 > /tmp/pg.out &
pg=$!
stopped() { [ "$(nstat a va tx_queue_stops)" -gt 0 ]; }
check "va's queue stopped and waited for vb" wait_for $((20 * VNET_SLOW)) stopped
nsx b ethtool -C vb rx-usecs 0
wait $pg
out=$(cat /tmp/pg.out)
sent=$(sed -n 's/.*OK: [0-9]*(c[0-9]*+d[0-9]*) usec, \([0-9]*\) (.*/\1/p' <<< "$out")
sleep $((VNET_SLOW > 1 ? 4 : 2))	# in-flight frames (at most two rings) land
check_eq "pktgen sent all $frames frames" "$frames" "$sent"
txo=$(($(nstat a va tx_ipv4) - tx0)) txd=$(($(nstat a va tx_dropped) - txd0))
rxo=$(($(nstat b vb rx_ipv4) - rx0)) rxm=$(($(nstat b vb rx_missed) - rxm0))
check_eq "every frame sent was transmitted or counted as dropped" "$sent" $((txo + txd))
check_eq "tx(va) = rx(vb) + counted drops" "$sent" $((rxo + txd))
check_eq "backpressure, not loss: nothing missed at vb" 0 "$rxm"

# Channels under TCP traffic.
rm -f /tmp/srv
nsx b python3 "$VNET_TESTS/helpers/xfer.py" tcp-server 5004 > /tmp/srv &
listening /tmp/srv
nsx a python3 "$VNET_TESTS/helpers/xfer.py" tcp-client 10.9.0.2 5004 $((24 << 20)) > /tmp/cli &
cpid=$!
changed=0
for n in 1 2 1 2 1 2; do
	nsx a ethtool -L va combined $n && nsx b ethtool -L vb combined $n && changed=$((changed + 1))
	sleep 0.3
done
wait $cpid
wait
check_eq "6 channel changes on both ends under traffic" 6 "$changed"
check_eq "the TCP stream survived them intact" "$(cat /tmp/cli)" "$(grep bytes= /tmp/srv)"
check_eq "ethtool -l reports the last count" 2 \
	"$(nsx a ethtool -l va | awk '/^Current/ {c=1} c && /^Combined:/ {print $2}')"
check_fails "more channels than the device has queues are refused" "Invalid argument" \
	nsx a ethtool -L va combined 3

# rmmod with pairs present, in several namespaces, with traffic.
ip netns add c
vnetctl add vc netns c peer vd
ip link set vd up
ip -n c link set vc up
nsx a ping -f -c 2000 10.9.0.2 > /dev/null 2>&1 &
sleep 0.5
vnet_unload
wait
check "rmmod with pairs removes every end" \
	bash -c '! ip -n a link show va 2>/dev/null && ! ip -n c link show vc 2>/dev/null && ! ip link show vd 2>/dev/null'
done_testing
