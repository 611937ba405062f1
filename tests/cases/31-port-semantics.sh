#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /dev/vnet semantics: non-blocking I/O and poll, short buffers, bad frames
# and pointers (errno + counter), blocked readers woken by detach and by
# device removal, rmmod refused while a file is open, CAP_NET_ADMIN and
# network namespaces, one file per queue.
. "$(dirname "$0")/../lib.sh"
plan 47

vport() {
	python3 "$VNET_TESTS/helpers/vport.py" "$@"
}
tmp=$(mktemp -d)

vnet_load rx_interval_ms=0
quiet_dev vnet0
len0=$(stat vnet0 rx_length_errors) flt0=$(stat vnet0 port_write_faults)
trunc0=$(stat vnet0 port_read_truncated) rx0=$(stat vnet0 rx_packets)
out=$(vport semantics vnet0)
v() {	# v KEY: a value printed by `vport semantics`
	sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$out" | head -1
}
check_eq "read before attach: ENXIO" ENXIO "$(v unattached_read)"
check_eq "write before attach: ENXIO" ENXIO "$(v unattached_write)"
check_eq "poll before attach: POLLERR" 1 "$(v unattached_poll_err)"
check_eq "detach before attach: ENXIO" ENXIO "$(v detach_unattached)"
check_eq "a second attach of the same file: EBUSY" EBUSY "$(v attach_twice)"
check_eq "non-blocking read with nothing transmitted: EAGAIN" EAGAIN "$(v empty_read)"
check_eq "poll: not readable, writable" "0 1" "$(v poll_in) $(v poll_out)"
check_eq "a 13-byte frame (shorter than Ethernet): EINVAL" EINVAL "$(v write_13)"
check_eq "an empty frame: EINVAL" EINVAL "$(v write_0)"
check_eq "MTU + 18 bytes (a VLAN-tagged full frame) is accepted" OK "$(v write_max)"
check_eq "MTU + 19 bytes: EMSGSIZE" EMSGSIZE "$(v write_max_plus_1)"
check_eq "a bad user pointer: EFAULT" EFAULT "$(v write_bad_pointer)"
check_eq "poll says readable once the stack transmits" 1 "$(v poll_in_after_tx)"
check_eq "reading into a bad pointer: EFAULT" EFAULT "$(v read_bad_pointer)"
check_eq "the frame survives it: a 100-byte read gets its first 100 bytes" "100 1" \
	"$(v short_read_len) $(v short_read_prefix_ok)"
check_eq "the cut tail is not returned by the next read" EAGAIN "$(v read_after_short)"
check_eq "a batch read into 50 bytes reports the whole length and TRUNC" "1 200 1 1" \
	"$(v batch_short_n) $(v batch_len) $(v batch_trunc) $(v batch_prefix_ok)"
check_eq "a batch with a bad third frame sends the first two" 2 "$(v batch_send_partial)"
check_eq "a batch whose first frame is bad: EINVAL" EINVAL "$(v batch_send_bad_first)"
check_eq "a batch array at a bad address: EFAULT" EFAULT "$(v batch_bad_array)"
check_eq "a batch of 0 frames: EINVAL" EINVAL "$(v batch_count_0)"
check_eq "an unknown ioctl: ENOTTY" ENOTTY "$(v unknown_ioctl)"
check_eq "read after detach: ENXIO" ENXIO "$(v read_after_detach)"
# 13, 0, MTU+19 bytes, then a 10-byte frame in each of two batches.
check_eq "bad lengths are counted as rx_length_errors" 5 $(($(stat vnet0 rx_length_errors) - len0))
check_eq "bad pointers are counted as port_write_faults" 1 $(($(stat vnet0 port_write_faults) - flt0))
check_eq "cut frames are counted as port_read_truncated" 2 $(($(stat vnet0 port_read_truncated) - trunc0))
check_eq "only the good frames were received (1 + 2)" 3 $(($(stat vnet0 rx_packets) - rx0))

# Blocked readers are woken by detach and by the device's removal.
out=$(vport blocked vnet0 detach)
check_eq "a reader blocked in read() is woken by detach with ENXIO" \
	"blocked=1 woken=1 read=ENXIO" "$(tr '\n' ' ' <<< "$out" | sed 's/ $//')"
ip link add vdel type vnet
quiet_dev vdel
exec 3> >(vport blocked vdel wait > "$tmp/blocked.out")
wait_for 5 grep -q blocked=1 "$tmp/blocked.out"
check_fails "rmmod is refused while a file is open" "in use" rmmod vnet
ip link del vdel
exec 3>&-
wait_for 10 grep -q write_after "$tmp/blocked.out"
check_eq "removing the device wakes the reader with ENXIO" "blocked=1 woken=1 read=ENXIO" \
	"$(head -2 "$tmp/blocked.out" | tr '\n' ' ' | sed 's/ $//')"
check_eq "and later writes fail with ENXIO" "write_after=ENXIO" "$(tail -1 "$tmp/blocked.out")"

# A writer waits for RX descriptors instead of losing frames.
ip link add vslow type vnet
ethtool -G vslow rx 8
quiet_dev vslow
r0=$(stat vslow rx_packets)
out=$(vport inject vslow 5000 --batch 256)
check_eq "5000 frames through an 8-descriptor RX ring, in batches of 256" "injected=5000" "${out%% *}"
check "all of them received, none missed" \
	wait_for 5 test $(($(stat vslow rx_packets) - r0)) -eq 5000 -a "$(stat vslow rx_missed)" -eq 0
ip link set vslow down
check_fails "writing to a device that is down: ENETDOWN" "Network is down" \
	vport inject vslow 1

# One file per queue.
ip link add vmq numtxqueues 2 numrxqueues 2 type vnet
ip link set vmq up
exec 4> >(vport attach vmq --hold > "$tmp/q0.out")
wait_for 5 grep -q attach=OK "$tmp/q0.out"
exec 5> >(vport attach vmq --hold > "$tmp/q1.out")
wait_for 5 grep -q attach=OK "$tmp/q1.out"
check_eq "the first file gets queue 0" "queue=0" "$(grep -o 'queue=[0-9]*' "$tmp/q0.out")"
check_eq "the second gets queue 1" "queue=1" "$(grep -o 'queue=[0-9]*' "$tmp/q1.out")"
check_eq "a third finds no free queue: EBUSY" "attach=EBUSY" "$(vport attach vmq)"
check_eq "queue 1 asked for by number: EBUSY" "attach=EBUSY" "$(vport attach vmq --queue 1)"
check_fails "ethtool -L cannot take away a queue a file is attached to" "busy" \
	ethtool -L vmq combined 1
exec 5>&-
check "once that file is closed it can" wait_for 5 ethtool -L vmq combined 1
exec 4>&-

# A device the file made, deleted while the file is open: the file lets go
# of its queue then, not at close (closing it once used the freed device).
exec 6> >(vport attach vmade --create --hold > "$tmp/made.out")
wait_for 5 grep -q attach=OK "$tmp/made.out"
check "a device made by VNET_ATTACH_CREATE can be deleted under its open file" \
	ip link del vmade
exec 6>&-
sleep 0.3
check_eq "closing the file afterwards leaves the name free to be made again" "attach=OK" \
	"$(vport attach vmade --create | cut -d' ' -f1)"

# Permissions and namespaces.
check_eq "without CAP_NET_ADMIN: EPERM" "attach=EPERM" \
	"$(setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
		python3 "$VNET_TESTS/helpers/vport.py" attach vnet0)"
ip netns add x
ip link add vx netns x type vnet
check_eq "a device in another namespace is invisible: ENODEV" "attach=ENODEV" "$(vport attach vx)"
check_eq "from inside that namespace it attaches" "attach=OK" \
	"$(nsx x python3 "$VNET_TESTS/helpers/vport.py" attach vx | cut -d' ' -f1)"
check_eq "and vnet0 is invisible from there" "attach=ENODEV" \
	"$(nsx x python3 "$VNET_TESTS/helpers/vport.py" attach vnet0)"
if unshare -U -r true 2> /dev/null; then
	check_eq "CAP_NET_ADMIN over a user-owned namespace is not enough for vnet0's" \
		"attach=EPERM" "$(unshare -U -r python3 "$VNET_TESTS/helpers/vport.py" attach vnet0)"
else
	skip "CAP_NET_ADMIN over a user-owned namespace is not enough for vnet0's" \
		"this kernel has no user namespaces (CONFIG_USER_NS)"
fi
done_testing
