#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Up and down: carrier follows, counters never go backwards, rings are
# rebuilt on each open.
. "$(dirname "$0")/../lib.sh"
plan 14

vnet_load rx_interval_ms=10 rx_burst=4
check_eq "carrier off while down" 0 "$(cat /sys/class/net/vnet0/carrier 2>/dev/null || echo 0)"
quiet_dev vnet0
sleep 0.5
check_eq "carrier on once up" 1 "$(cat /sys/class/net/vnet0/carrier)"
check_eq "ethtool reports the link" "yes" "$(ethtool vnet0 | awk '/Link detected/ {print $3}')"
settings=$(ethtool vnet0)
check "link settings: no line rate is claimed (Speed: Unknown!)" grep -q 'Speed: Unknown!' <<< "$settings"
check "link settings: full duplex, port Other, autoneg off" \
	bash -c "grep -q 'Duplex: Full' <<< '$settings' && grep -q 'Port: Other' <<< '$settings' &&
		grep -q 'Auto-negotiation: off' <<< '$settings'"
info=$(ethtool -i vnet0)
check_eq "ethtool -i: driver" "driver: vnet" "$(grep '^driver:' <<< "$info")"
check_eq "ethtool -i: version" "version: 0.1.0" "$(grep '^version:' <<< "$info")"
check "ethtool -i: bus-info names the device (vnet:<id>)" grep -qE '^bus-info: vnet:[0-9]+$' <<< "$info"
check "ethtool -i: statistics supported" grep -q '^supports-statistics: yes' <<< "$info"
before=$(stat vnet0 rx_packets)
monotonic=1
n=$(reps 10 3)
for i in $(seq "$n"); do
	ip link set vnet0 down
	now=$(stat vnet0 rx_packets)
	[ "$now" -ge "$before" ] || monotonic=0
	ip link set vnet0 up
	sleep 0.1
	before=$now
done
check_eq "rx_packets never goes backwards across $n down/up" 1 "$monotonic"
ip link set vnet0 down
frozen=$(stat vnet0 rx_packets)
sleep 0.3
check_eq "no frames received while down" "$frozen" "$(stat vnet0 rx_packets)"
ip link set vnet0 up
sleep 0.5
after=$(stat vnet0 rx_packets)
check_range "traffic resumes after up" $((frozen + 1)) 999999999 "$after"
ip link set vnet0 down
check_eq "carrier off after down" 0 "$(cat /sys/class/net/vnet0/carrier 2>/dev/null || echo 0)"
tx=$(ip -j -s link show vnet0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')
check_eq "ip -s link keeps the count while down" "$(stat vnet0 rx_packets)" "$tx"
vnet_unload
done_testing
