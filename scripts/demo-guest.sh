#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM (see scripts/demo.sh).
set -e
ko=$1
say() { printf '\n\033[1m### %s\033[0m\n$ %s\n' "$1" "$2"; bash -c "$2"; }

say "Load vnet: one device, a synthetic ARP request every 200 ms" \
    "insmod $ko rx_interval_ms=200 arp_sender=10.0.0.1 arp_target=10.0.0.2 && ip link set vnet0 up && ip -br link show vnet0"
say "The driver" "ethtool -i vnet0 | head -5"
say "tcpdump decodes what the simulated hardware receives" \
    "timeout 5 tcpdump -c 4 -i vnet0 -e -n -vv arp 2>/dev/null"
say "The stack transmits too: IPv6 autoconfiguration, and 50 IPv4 frames from AF_PACKET" \
    "python3 tests/helpers/rawsend.py vnet0 --count 50 --type 0x0800 --len 128; sleep 0.5"
say "Interface counters (ndo_get_stats64)" "ip -s link show vnet0"
say "Driver counters: totals, per protocol, per queue" \
    "ethtool -S vnet0 | grep -v ': 0$'"
say "Rings can be resized while traffic flows" \
    "ethtool -G vnet0 tx 64 rx 128 && ethtool -g vnet0 | tail -9"
say "Unload" "rmmod vnet && dmesg | grep -E 'vnet' | tail -4"
