#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reconfiguration is safe whatever happens meanwhile, as on a NIC:
# - ethtool -G and -L under a flood, over and over: a producer never sees
#   a ring half replaced (KASAN on the debug kernel);
# - a NAPI context exists for each queue in use, no more: threaded NAPI
#   makes one kthread per NAPI on the device's list, and turning it off
#   waits for each to go idle (on 7.2 a NAPI of a queue taken away by
#   ethtool -L, disabled, kept the writer in D state for good);
# - an allocation that fails during ethtool -G or -L (fail_function, aimed at
#   vnet's own calls: debug kernel only) leaves the old rings running:
#   the command fails with a message, traffic goes on, and the device
#   can still be brought down and deleted.
. "$(dirname "$0")/../lib.sh"
plan 26

PKTGEN="$VNET_TESTS/helpers/pktgen.sh"
vnet_load devices=0
pair_setup 4
bmac=$(nsx b cat /sys/class/net/vb/address)

# --- ring and channel changes under a flood --------------------------------
mark "resize under a flood"
nsx a bash "$PKTGEN" va "$(reps 400000 40000)" 60 16 "$bmac" 2 > /tmp/flood.log 2>&1 &
flood=$!
errs=0
sizes=(8 4096 16 256 64 1024)
for i in $(seq 0 $(($(reps 24 8) - 1))); do
	s=${sizes[$((i % ${#sizes[@]}))]}
	nsx b ethtool -G vb rx "$s" tx "$s" || errs=$((errs + 1))
	nsx b ethtool -L vb combined $((i % 4 + 1)) || errs=$((errs + 1))
	nsx a ethtool -G va rx "$s" || errs=$((errs + 1))
done
wait "$flood"
check_eq "ethtool -G/-L under a flood: every change taken" 0 "$errs"
check "the flood reached vb" test "$(nsx b ethtool -S vb | counter rx_packets)" -gt 0
nsx b ethtool -L vb combined 4
nsx b ethtool -G vb rx 256 tx 256
nsx a ethtool -G va rx 256
check "pings cross after the changes" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2

# --- threaded NAPI and the queue count --------------------------------------
# napi_threads DEV: the NAPI kthreads of DEV ("napi/DEV-ID").
napi_threads() {
	ps -eo comm= | grep -c "^napi/$1-"
}
# threaded NS DEV 0|1 [any]: write DEV's threaded knob, in the background:
# a writer that never returns is the failure this looks for ("any": its
# exit status does not matter).
threaded() {
	nsx "$1" sh -c "echo $3 > /sys/class/net/$2/threaded" 2>/dev/null &
	local w=$!
	if wait_for $((20 * VNET_SLOW)) bash -c "! kill -0 $w"; then
		wait "$w" || [ "${4:-}" = any ]
		return
	fi
	echo "threaded=$3 on $2 still running after $((20 * VNET_SLOW)) s:" \
		"$(cat /proc/$w/stack 2>/dev/null | head -5 | tr '\n' ' ')"
	return 1
}
mark "threaded NAPI"
check "threaded NAPI on (4 queues)" threaded a va 1
check_eq "one NAPI thread per queue in use" 4 "$(napi_threads va)"
check "ethtool -L va combined 1 while threaded" nsx a ethtool -L va combined 1
check_eq "one NAPI thread for the one queue left" 1 "$(napi_threads va)"
check "pings cross, one queue, threaded" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check "threaded NAPI off returns (every NAPI idle or polling)" threaded a va 0
check "threaded on again, ethtool -L back to 3" bash -c \
	"ip netns exec a sh -c 'echo 1 > /sys/class/net/va/threaded' &&
	 ip netns exec a ethtool -L va combined 3"
check_eq "three NAPI threads" 3 "$(napi_threads va)"
nsx a ping -f -c "$(reps 2000 300)" -W 1 10.9.0.2 > /dev/null 2>&1
check "pings cross, threaded, 3 queues, after a flood" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check "threaded off again returns" threaded a va 0
# A device that is down has no NAPI (as veth): the write may be refused
# (EOPNOTSUPP: nothing to set), but it returns. On 7.2 NAPIs kept on the
# list while down, disabled, kept the writer in D state for good.
check "threaded on, then va down" bash -c \
	"ip netns exec a sh -c 'echo 1 > /sys/class/net/va/threaded' && ip -n a link set va down"
check_eq "no NAPI thread while va is down" 0 "$(napi_threads va)"
check "threaded off while va is down returns" threaded a va 0 any
ip -n a link set va up
nsx a ethtool -L va combined 4
check "pings cross after it" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check "threaded off, va up, returns" threaded a va 0

# --- allocation failures in the middle of a change --------------------------
# fail_function (debug kernel) makes vnet's ring allocator and its page
# pool set-up (ALLOW_ERROR_INJECTION) return -ENOMEM in the ethtool
# process only (task-filter, make-it-fail), after @space calls went well:
# each round fails a later step of the change.
ff=/sys/kernel/debug/fail_function
ffc=("fail_function made some changes fail"
     "each failed change left the old, working rings"
     "vb goes down within 10 s" "and up again, with 4 queues"
     "pings cross after the failures")
if [ ! -w $ff/inject ]; then
	for w in "${ffc[@]}"; do
		skip "$w" "no fail_function (the debug kernel has it)"
	done
elif ! { echo vnet_ring_alloc > $ff/inject && echo vnet_xdp_queue_up > $ff/inject; } 2> /dev/null; then
	# An injection point is gone (renamed, inlined): a finding.
	echo > $ff/inject
	for w in "${ffc[@]}"; do
		fail "$w" "fail_function does not know vnet_ring_alloc or vnet_xdp_queue_up"
	done
else
	mark "fail_function in ethtool -G/-L"
	printf '%#x\n' -12 > $ff/vnet_ring_alloc/retval
	printf '%#x\n' -12 > $ff/vnet_xdp_queue_up/retval
	echo Y > $ff/task-filter
	echo 0 > $ff/verbose
	echo -1 > $ff/times
	echo 100 > $ff/probability
	failed=0 broken=""
	for space in 0 1 2 3 5 7 9 11; do
		nsx b ethtool -L vb combined 1
		nsx b ethtool -G vb rx 256 tx 256
		echo "$space" > $ff/space
		if ! nsx b sh -c 'echo 1 > /proc/self/make-it-fail; exec ethtool -G vb rx 512 tx 512' \
			> /tmp/fail.log 2>&1; then
			failed=$((failed + 1))
			grep -q "the old ones stay" /tmp/fail.log ||
				broken+=" -G@$space: $(cat /tmp/fail.log)"
			nsx b ethtool -g vb | grep -A4 '^Current' | grep -q '^RX:[[:space:]]*256' ||
				broken+=" -G@$space: the ring size changed"
		fi
		nsx b ethtool -G vb rx 256 tx 256
		echo "$space" > $ff/space
		if ! nsx b sh -c 'echo 1 > /proc/self/make-it-fail; exec ethtool -L vb combined 4' \
			> /tmp/fail.log 2>&1; then
			failed=$((failed + 1))
			[ "$(nsx b ethtool -l vb | awk '/^Current/ {c=1} c && /^Combined:/ {print $2}')" = 1 ] ||
				broken+=" -L@$space: the queue count changed"
		fi
		nsx a ping -c 2 -i 0.2 -W 2 10.9.0.2 > /dev/null 2>&1 ||
			broken+=" @$space: no ping after it"
	done
	echo 0 > $ff/probability
	echo > $ff/inject
	check "fail_function made some changes fail" test "$failed" -gt 0
	check_eq "each failed change left the old, working rings" "" "$broken"
	check "vb goes down within 10 s" timeout $((10 * VNET_SLOW)) ip -n b link set vb down
	check "and up again, with 4 queues" bash -c \
		"ip -n b link set vb up && ip netns exec b ethtool -L vb combined 4"
	check "pings cross after the failures" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
fi

# --- the RX queue is recorded in the skb ------------------------------------
# XPS sends what CPU 0 transmits on va's TX queue 2, which feeds vb's RX
# queue 2: the stack must see queue 2 (skb_record_rx_queue(): queue_mapping
# 3), not the sender's mapping (2) left in the skb.
mark "skb_record_rx_queue"
t=$VNET_TRACEFS
[ -e "$t/set_event" ] || mount -t tracefs tracefs "$t"
for i in 0 1 2 3; do
	m=0
	[ $i = 2 ] && m=1
	[ $i = 3 ] && m=2
	nsx a sh -c "echo $m > /sys/class/net/va/queues/tx-$i/xps_cpus"
done
echo > "$t/trace"
echo net:napi_gro_receive_entry > "$t/set_event"
echo 1 > "$t/tracing_on"	# another case may have left it off
nsx a taskset -c 0 ping -c 3 -i 0.2 -W 2 10.9.0.2 > /dev/null
echo > "$t/set_event"
check "vb's stack sees frames of RX queue 2 (queue_mapping 3)" \
	grep -q 'dev=vb .*queue_mapping=3 ' "$t/trace"
check "and none with the sender's mapping" bash -c \
	"grep -q 'dev=vb ' $t/trace && ! grep -q 'dev=vb .*queue_mapping=2 ' $t/trace"
echo > "$t/trace"
check "the pair is deleted within 10 s" timeout $((10 * VNET_SLOW)) ip -n a link del va
ip netns del a
ip netns del b
vnet_unload
done_testing
