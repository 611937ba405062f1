#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dynamic debug and the msglevel: the TX, TX-completion, RX and NAPI paths
# log through netif_dbg() once both are switched on, and are silent when not.
. "$(dirname "$0")/../lib.sh"
plan 6

ctl=/sys/kernel/debug/dynamic_debug/control
if [ ! -w "$ctl" ]; then
	for i in 1 2 3 4 5 6; do skip "debug message $i" "no dynamic debug in this kernel"; done
	done_testing
fi
vnet_load rx_interval_ms=50
quiet_dev vnet0
dmesg -C
rawsend vnet0 --count 3 --type 0x0800 > /dev/null
sleep 0.3
check_eq "silent by default" 0 "$(dmesg | grep -c 'vnet0: \(tx\|rx\|napi\) q')"
check_eq "ethtool reports the default msglevel (drv link ifdown ifup)" 0x00000035 \
	"$(ethtool vnet0 | awk '/Current message level/ {print $4}')"
echo 'module vnet +p' > "$ctl"
ethtool -s vnet0 msglvl 0x7fff
rawsend vnet0 --count 3 --type 0x0800 > /dev/null
sleep 0.3
log=$(dmesg)
check "TX posting is logged" grep -q 'vnet0: tx q0: posted 60 bytes' <<< "$log"
check "TX completion is logged" grep -q 'vnet0: tx q0: cleaned [0-9]* frames' <<< "$log"
check "RX to GRO is logged" grep -q 'vnet0: rx q0: [0-9]* frames to GRO' <<< "$log"
check "NAPI polls are logged" grep -q 'vnet0: napi q0: [0-9]*/64' <<< "$log"
echo 'module vnet -p' > "$ctl"
vnet_unload
done_testing
