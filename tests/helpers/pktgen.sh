#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Send COUNT frames of SIZE bytes from DEV with the kernel's pktgen, in
# bursts of BURST (xmit_more), from the current network namespace. With
# THREADS > 1, each of that many pktgen threads (one per CPU) sends COUNT
# frames through its own TX queue of DEV (DEV@N, queue N). With CLONE > 0,
# pktgen sends each skb CLONE more times (a shared skb, on devices that
# allow IFF_TX_SKB_SHARING).
# Prints the frames pktgen reports sent and its rate (pps), per thread.
# The frames are UDP to $PKTGEN_DST (default 10.9.0.2).
#
# Usage: pktgen.sh DEV COUNT [SIZE] [BURST] [DST_MAC] [THREADS] [CLONE]
set -eu
dev=$1 count=$2 size=${3:-60} burst=${4:-32} dst=${5:-ff:ff:ff:ff:ff:ff}
threads=${6:-1} clone=${7:-0}
modprobe pktgen 2>/dev/null || true
pg() {	# pg FILE COMMAND: one pktgen command; say which one it refused
	echo "$2" > "/proc/net/pktgen/$1" 2>/dev/null ||
		{ echo "pktgen refused '$2' on $1" >&2; exit 1; }
}
names=()
for t in $(seq 0 $((threads - 1))); do
	name=$dev
	[ "$threads" -gt 1 ] && name=$dev@$t
	names+=("$name")
	pg "kpktgend_$t" "rem_device_all"
	pg "kpktgend_$t" "add_device $name"
	pg "$name" "count $count"
	pg "$name" "pkt_size $size"
	pg "$name" "burst $burst"
	pg "$name" "clone_skb $clone"
	pg "$name" "delay 0"
	pg "$name" "dst_mac $dst"
	pg "$name" "dst ${PKTGEN_DST:-10.9.0.2}"
	if [ "$threads" -gt 1 ]; then
		pg "$name" "queue_map_min $t"
		pg "$name" "queue_map_max $t"
	fi
done
pg pgctrl start
for t in $(seq 0 $((threads - 1))); do
	awk '/^Result:/ {print} /pps/ {print}' "/proc/net/pktgen/${names[$t]}" | head -3
	pg "kpktgend_$t" "rem_device_all"
done
