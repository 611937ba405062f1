#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loading and unloading: repeated cycles, with devices up and traffic
# flowing, and bad parameters refused with a message.
. "$(dirname "$0")/../lib.sh"
plan 7

cycles=0
n=$(reps 10 3)
for i in $(seq "$n"); do
	vnet_load rx_interval_ms=1 rx_burst=8 || break
	ip link set vnet0 up || break
	[ $((i % 2)) -eq 0 ] && ip link set vnet0 down
	vnet_unload || break
	cycles=$i
done
check_eq "$n load/up/unload cycles with traffic" "$n" "$cycles"
check "no vnet device left after unload" bash -c '! ip link show vnet0 2>/dev/null'

dmesg -C
check_fails "devices=65 refused" "Invalid parameters" insmod "$VNET_KO" devices=65
check_fails "queues=0 refused" "Invalid parameters" insmod "$VNET_KO" queues=0
check_fails "arp_sender=bogus refused" "Invalid parameters" insmod "$VNET_KO" arp_sender=10.0.0
check "the refusal is explained in the kernel log" \
	grep -q 'arp_sender="10.0.0" is not an IPv4 address' <(dmesg)
check "no module left after refused loads" bash -c '! grep -q "^vnet " /proc/modules'
done_testing
