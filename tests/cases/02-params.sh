#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module parameters shape the devices: how many, their MACs, MTU, queues.
. "$(dirname "$0")/../lib.sh"
plan 17

vnet_load devices=3 queues=4 rx_interval_ms=0
check "devices=3 gives vnet0..vnet2" ip link show vnet2
check "and no fourth" bash -c '! ip link show vnet3 2>/dev/null'
macs=$(for d in vnet0 vnet1 vnet2; do mac $d; done | sort -u | wc -l)
check_eq "three distinct MACs" 3 "$macs"
first=$(mac vnet0)
check "MACs are locally administered unicast (02:76:6e:...)" \
	grep -qE '^02:76:6e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$' <<< "$first"
check_eq "default MTU 1500" 1500 "$(cat /sys/class/net/vnet0/mtu)"
check_eq "queues=4 gives 4 TX queues" 4 "$(ls -d /sys/class/net/vnet1/queues/tx-* | wc -l)"
check_eq "and 4 RX queues" 4 "$(ls -d /sys/class/net/vnet1/queues/rx-* | wc -l)"
check_eq "ethtool -l reports 4 combined channels" 4 \
	"$(ethtool -l vnet1 | awk '/^Current/ {c=1} c && /^Combined:/ {print $2}')"
vnet_unload
check_fails "rx_poll_us above 1 s is refused at load (EINVAL)" "Invalid parameters" \
	insmod "$VNET_KO" rx_poll_us=1000001
check "and the kernel log says why" bash -c "dmesg | grep -q 'rx_poll_us <= 1000000'"
vnet_load devices=1 rx_interval_ms=0
check "a device's MAC is deterministic across reloads" \
	bash -c "ip link show vnet0 | grep -q '$first'"
# The writable parameters are checked on every write, not only at load.
for p in tx_delay_us rx_poll_us; do
	f=/sys/module/vnet/parameters/$p
	check_fails "$p above 1 s is refused at run time (EINVAL)" "Invalid argument" \
		bash -c "echo 1000001 > $f"
	check_eq "and $p keeps its value" 0 "$(cat $f)"
	echo 1000000 > "$f" 2>/dev/null
	check_eq "$p of 1 s is taken" 1000000 "$(cat $f)"
	echo 0 > "$f"
done
vnet_unload
done_testing
