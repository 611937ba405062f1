#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MTU and MAC changes: valid ones work (also while up), invalid ones are
# refused with a clear error and change nothing.
. "$(dirname "$0")/../lib.sh"
plan 12

vnet_load rx_interval_ms=0
ip link set vnet0 up
check "MTU 68 (the minimum) accepted" ip link set vnet0 mtu 68
check "MTU 9000 (the maximum) accepted while up" ip link set vnet0 mtu 9000
check_eq "the MTU is 9000" 9000 "$(cat /sys/class/net/vnet0/mtu)"
check_fails "MTU 67 refused" "mtu less than device minimum" ip link set vnet0 mtu 67
check_fails "MTU 9001 refused" "mtu greater than device maximum" ip link set vnet0 mtu 9001
check_eq "a refused MTU changes nothing" 9000 "$(cat /sys/class/net/vnet0/mtu)"
check_eq "ip link reports the range" "68 9000" \
	"$(ip -d -j link show vnet0 | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["min_mtu"], d["max_mtu"])')"
sysctl -qw net.ipv6.conf.vnet0.disable_ipv6=1
sleep 0.3
base=$(stat vnet0 tx_bytes)
rawsend vnet0 --count 3 --type 0x0800 --len 9014 > /dev/null
sleep 0.3
check_eq "a jumbo frame is transmitted whole" $((3 * 9014)) "$(($(stat vnet0 tx_bytes) - base))"
check "MAC change while up" ip link set vnet0 address 02:12:34:56:78:9a
check_eq "the new MAC is in place" 02:12:34:56:78:9a "$(mac vnet0)"
check_fails "a multicast MAC is refused" "Cannot assign requested address" \
	ip link set vnet0 address 01:00:5e:00:00:01
check_fails "the zero MAC is refused" "Cannot assign requested address" \
	ip link set vnet0 address 00:00:00:00:00:00
vnet_unload
done_testing
