#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Send COUNT frames of SIZE bytes from DEV with the kernel's pktgen, in
# bursts of BURST (xmit_more), from the current network namespace.
# Prints the frames pktgen reports sent and its rate (pps).
#
# Usage: pktgen.sh DEV COUNT [SIZE] [BURST] [DST_MAC]
set -eu
dev=$1 count=$2 size=${3:-60} burst=${4:-32} dst=${5:-ff:ff:ff:ff:ff:ff}
modprobe pktgen 2>/dev/null || true
pg() {	# pg FILE COMMAND: one pktgen command; say which one it refused
	echo "$2" > "/proc/net/pktgen/$1" 2>/dev/null ||
		{ echo "pktgen refused '$2' on $1" >&2; exit 1; }
}
pg kpktgend_0 "rem_device_all"
pg kpktgend_0 "add_device $dev"
pg "$dev" "count $count"
pg "$dev" "pkt_size $size"
pg "$dev" "burst $burst"
pg "$dev" "clone_skb 0"
pg "$dev" "delay 0"
pg "$dev" "dst_mac $dst"
pg "$dev" "dst 10.9.0.2"
pg pgctrl start
awk '/^Result:/ {print} /pps/ {print}' "/proc/net/pktgen/$dev" | head -3
pg kpktgend_0 "rem_device_all"
