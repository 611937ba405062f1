#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A TX flood larger than the ring, with the simulated completion slowed:
# the queue stops and wakes (never NETDEV_TX_BUSY), BQL drains to zero and
# every frame sent is completed.
. "$(dirname "$0")/../lib.sh"
plan 7

# 2 ms per completion (x VNET_SLOW: the debug kernel's sender must still
# outrun it, 16 frames per completion time, for the ring to fill).
vnet_load rx_interval_ms=0 tx_delay_us=$((2000 * VNET_SLOW))
quiet_dev vnet0
ethtool -G vnet0 tx 16
tc qdisc replace dev vnet0 root pfifo limit 100000
sleep 0.2
base=$(stat vnet0 tx_packets)
out=$(rawsend vnet0 --count 3000 --type 0x0800 --len 200)
sent=$(sed -n 's/sent=\([0-9]*\).*/\1/p' <<< "$out")
check_eq "the qdisc accepted all 3000 frames" 3000 "$sent"
for i in $(seq $((30 * VNET_SLOW))); do
	[ "$(($(stat vnet0 tx_packets) - base))" -ge 3000 ] && break
	sleep 0.2
done
check_eq "all 3000 completed" 3000 $(($(stat vnet0 tx_packets) - base))
check_range "the queue stopped when the ring filled" 1 999999 "$(stat vnet0 tx_queue_stops)"
check_range "and was woken by TX completion" 1 999999 "$(stat vnet0 tx_queue_wakes)"
check_eq "no NETDEV_TX_BUSY" 0 "$(stat vnet0 tx_busy)"
check_eq "BQL has nothing in flight" 0 \
	"$(cat /sys/class/net/vnet0/queues/tx-0/byte_queue_limits/inflight)"
check_range "completions were batched (fewer TX interrupts than frames)" 1 2999 \
	"$(stat vnet0 tx_irqs)"
vnet_unload
done_testing
