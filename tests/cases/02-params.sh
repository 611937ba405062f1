#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module parameters shape the devices: how many, their MACs, MTU, queues,
# and the settings each device starts with.
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
# irq_spread, rx_poll_us and tx_delay_us are the defaults of per-device
# settings: read-only, a device's own are changed with vnetctl set.
for p in tx_delay_us rx_poll_us irq_spread; do
	check_fails "$p is read-only at run time" "Permission denied" \
		bash -c "echo 1 > /sys/module/vnet/parameters/$p"
done
vnet_unload
vnet_load devices=1 rx_interval_ms=0 tx_delay_us=250 rx_poll_us=1000 irq_spread=1
check_eq "a device starts with the settings the parameters give" \
	"settings: irq-spread on rx-poll 1000us tx-delay 250us" \
	"$(vnetctl show vnet0 | grep -o 'settings:.*')"
vnetctl set vnet0 tx-delay 0 irq-spread off
check_eq "vnetctl set changes that device's" "settings: irq-spread off rx-poll 1000us tx-delay 0us" \
	"$(vnetctl show vnet0 | grep -o 'settings:.*')"
ip link add vnew type vnet
check_eq "and so does one made later, whatever another's became" \
	"settings: irq-spread on rx-poll 1000us tx-delay 250us" \
	"$(vnetctl show vnew | grep -o 'settings:.*')"
vnet_unload
done_testing
