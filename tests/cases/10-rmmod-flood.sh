#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while traffic floods both directions, several times over: the
# module goes away cleanly (the runner checks dmesg) and takes its devices.
. "$(dirname "$0")/../lib.sh"
plan 4

unloaded=0
for delay in 0 1000; do
	vnet_load rx_interval_ms=1 rx_burst=$((96 / VNET_SLOW)) queues=2 devices=2 tx_delay_us=$delay
	ip link set vnet0 up
	ip link set vnet1 up
	rawsend vnet0 --seconds 30 --type 0x0800 > /dev/null 2>&1 &
	rawsend vnet1 --seconds 30 --type 0x86dd > /dev/null 2>&1 &
	sleep 1
	vnet_unload && unloaded=$((unloaded + 1))
	wait
	check "no device left (tx_delay_us=$delay)" bash -c '! ip link show vnet0 2>/dev/null'
done
check_eq "unloaded twice under flood" 2 "$unloaded"
vnet_load rx_interval_ms=0
check "the module loads again afterwards" ip link set vnet0 up
vnet_unload
done_testing
