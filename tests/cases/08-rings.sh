#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ethtool -g/-G: sizes change (also under traffic), bad sizes are refused
# with an errno and a message, and nothing is lost without being counted.
. "$(dirname "$0")/../lib.sh"
plan 15

ring() {	# ring DEV rx|tx: the current size
	ethtool -g "$1" | awk -v k="${2^^}:" '/^Current/ {c=1} c && $1 == k {print $2}'
}

vnet_load rx_interval_ms=0
check_eq "default TX ring 256" 256 "$(ring vnet0 tx)"
check_eq "default RX ring 256" 256 "$(ring vnet0 rx)"
check "-G while down" ethtool -G vnet0 tx 64 rx 32
check_eq "TX ring is 64" 64 "$(ring vnet0 tx)"
check_eq "RX ring is 32" 32 "$(ring vnet0 rx)"
check_fails "-G tx 7 refused with the minimum in the message" \
	"ring size must be at least 8" ethtool -G vnet0 tx 7
check_fails "-G rx 4097 refused (above the maximum)" "Invalid argument" \
	ethtool -G vnet0 rx 4097
check_eq "a refused size changes nothing" 64 "$(ring vnet0 tx)"
vnet_unload

# A resize resets the device; when it comes back, the qdisc must send what
# it took while the queue was stopped. On a 1 Mbit/s wire (12 ms a frame)
# the ring holds frames of another socket (the reset flushes those, which
# wakes nobody) and the qdisc the rest, and the sender, with a small
# socket buffer, blocks. Nothing will enqueue again: only the driver can
# restart the qdisc. (Frames keep completing until the reset, so the TX
# watchdog, which would reset the device itself, stays quiet.)
vnet_load rx_interval_ms=0
quiet_dev vnet0
ethtool -G vnet0 tx 8
ethtool -s vnet0 speed 1 duplex full autoneg off
tc qdisc replace dev vnet0 root pfifo limit 1000
python3 "$VNET_TESTS/helpers/rawsend.py" vnet0 --len 1500 --prefill 300 \
	--sndbuf 4096 --count 20 > /dev/null &
spid=$!
blocked() {	# the sender waits for socket buffer space (no exec: quick)
	local w=
	read -r w < "/proc/$spid/wchan"	# no newline there: read says 1
	[[ $w =~ sock_alloc_send|sock_wait_for_wmem ]]
}
check "the sender blocks behind the slow wire" wait_for $((5 * VNET_SLOW)) blocked
ethtool -G vnet0 tx 16
sender_done() { ! kill -0 "$spid" 2> /dev/null; }
check "the blocked sender finishes after the reset" \
	wait_for $((10 * VNET_SLOW)) sender_done
kill "$spid" 2> /dev/null
wait "$spid"
check_eq "all 320 frames are transmitted or counted as dropped" 320 \
	$(($(stat vnet0 tx_packets) + $(stat vnet0 tx_dropped)))
check_eq "no TX watchdog reset meanwhile" 0 "$(stat vnet0 tx_timeouts)"
vnet_unload

# 16 frames/ms: traffic, yet room for ethtool in a slow (TCG) guest.
vnet_load rx_interval_ms=1 rx_burst=$((16 / VNET_SLOW))
quiet_dev vnet0
tc qdisc replace dev vnet0 root pfifo limit 100000
rawsend vnet0 --seconds $((3 * VNET_SLOW)) --type 0x0800 > /tmp/sent &
spid=$!
sizes="8 4096 100 256 9 1000 64 512 16 2048"
resized=0
rounds=$(reps "$sizes $sizes" "$sizes")
for s in $rounds; do
	ethtool -G vnet0 tx "$s" rx "$s" && resized=$((resized + 1))
	sleep 0.1
done
wait $spid
sleep 1
check_eq "$(wc -w <<< "$rounds") resizes under RX and TX traffic" "$(wc -w <<< "$rounds")" "$resized"
sent=$(sed -n 's/sent=\([0-9]*\).*/\1/p' /tmp/sent)
done_tx=$(($(stat vnet0 tx_packets) + $(stat vnet0 tx_dropped)))
check_eq "every frame sent is transmitted or counted as dropped" "$sent" "$done_tx"
ping_ok=$(stat vnet0 rx_packets)
sleep 0.5
check_range "RX still flows after the resizes" $((ping_ok + 1)) 999999999 "$(stat vnet0 rx_packets)"
vnet_unload
done_testing
