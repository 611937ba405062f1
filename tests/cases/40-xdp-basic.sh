#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Native XDP on a pair end and on a standalone device: each verdict counted
# and seen (or not) by the stack, programs attached with iproute2 and with
# xdp-tools' xdp-loader, the limits a program puts on MTU, queues and GSO,
# and the synthetic source and /dev/vnet going through the program.
. "$(dirname "$0")/../lib.sh"
plan 57

OBJ=$VNET_TESTS/../tools/bpf/vnet_xdp_progs.o
# xdp_on NS DEV PROG: attach PROG in native (driver) mode with iproute2.
xdp_on() {
	ip -n "$1" link set dev "$2" xdpdrv obj "$OBJ" program "$3"
}
xdp_off() {
	ip -n "$1" link set dev "$2" xdpdrv off
}
# udp_burst COUNT [SIZE]: a to b, port 7000; prints what b's socket got.
udp_burst() {
	: > /tmp/udp.out
	nsx b python3 "$VNET_TESTS/helpers/xfer.py" udp-server 7000 "${2:-200}" 4 > /tmp/udp.out &
	local srv=$!
	listening /tmp/udp.out
	nsx a python3 "$VNET_TESTS/helpers/xfer.py" udp-client 10.9.0.2 7000 "${2:-200}" "$1" > /dev/null
	client_done /tmp/udp.out
	wait $srv
	sed -n 's/.*datagrams=\([0-9]*\).*/\1/p' /tmp/udp.out
}
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

vnet_load devices=1 rx_interval_ms=0
pair_setup
# Only the frames sent below, so that counts are exact.
nsx a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
# The frames sent below need no ARP, which XDP_TX would bounce.
ip -n a neigh replace 10.9.0.2 lladdr "$(nsx b cat /sys/class/net/vb/address)" dev va nud permanent
# Nor ARP from vb, whose replies would add to vb's verdict counts.
ip -n b neigh replace 10.9.0.1 lladdr "$(nsx a cat /sys/class/net/va/address)" dev vb nud permanent

# XDP_PASS: everything reaches the stack, through the program.
check "xdp_pass attaches in native mode with ip link" xdp_on b vb xdp_pass
check "ip link shows it as a driver program (prog/xdp)" \
	bash -c "ip -n b link show vb | grep -q 'prog/xdp id'"
p0=$(nstat b vb xdp_packets)
rm -f /tmp/srv.out
nsx b python3 "$VNET_TESTS/helpers/xfer.py" tcp-server 5001 > /tmp/srv.out &
listening /tmp/srv.out
cli=$(nsx a python3 "$VNET_TESTS/helpers/xfer.py" tcp-client 10.9.0.2 5001 2097152)
wait
check_eq "XDP_PASS: a TCP transfer arrives intact" "$cli" "$(cat /tmp/srv.out | grep bytes=)"
p1=$(nstat b vb xdp_packets)
check_range "every frame went through the program" 1400 99999999 $((p1 - p0))
check_eq "and every verdict was XDP_PASS" "$(nstat b vb xdp_pass)" "$p1"
check_eq "each ran in place, in the RX buffer va's wire filled (xdp_in_place)" \
	"$p1" "$(nstat b vb xdp_in_place)"
check "while vb has a program, va sends no GSO frames" \
	bash -c "ip netns exec a ethtool -k va | grep -q 'tcp-segmentation-offload: off'"
check_fails "vb's MTU is capped for XDP" "mtu greater than device maximum" \
	ip -n b link set vb mtu 4000
check_fails "and so is its peer's, whose frames it receives" "mtu greater than device maximum" \
	ip -n a link set va mtu 4000

# XDP_DROP: counted, received by the hardware, unseen by the stack.
xdp_off b vb
check "xdp_drop replaces it" xdp_on b vb xdp_drop
d0=$(nstat b vb xdp_drop) r0=$(nstat b vb rx_ipv4)
capture b vb /tmp/drop.pcap $((8 * VNET_SLOW)) udp port 7000
got=$(udp_burst 200)
capture_done
check_eq "XDP_DROP: the receiving socket gets nothing" 0 "$got"
check_eq "tcpdump on vb sees nothing" 0 "$(captured /tmp/drop.pcap)"
check_range "xdp_drop counts the 200 datagrams" 200 210 $(($(nstat b vb xdp_drop) - d0))
check_eq "every dropped frame ran in place" "$(nstat b vb xdp_packets)" \
	"$(nstat b vb xdp_in_place)"
check_range "rx_ipv4 counts them as received by the hardware" 200 210 $(($(nstat b vb rx_ipv4) - r0))

# The wire fills RX buffers from vb's page pool, and XDP_DROP gives each
# page back for the next frame: 100,000 frames from pktgen (a fresh page
# fragment each, ~17,000 pages, before the pool) take few pages from the
# allocator once the pool is warm. pool_pages (tests/lib.sh) counts the
# pool's own pages, not the skbs' slab pages, so the count holds under
# KASAN and whichever CPU frees the skbs.
pktgen_run() {	# pktgen_run FRAMES: pages pools took while pktgen sends them
	pool_pages_start
	nsx a "$VNET_TESTS/helpers/pktgen.sh" va "$1" 60 1 "$(nsx b cat /sys/class/net/vb/address)" > /dev/null
	pool_pages
}
# pool_run VERDICT BOUND WHAT: vb down and up (its queue gets a new, empty
# pool), 1,000 frames through vb's program to fill the pool, which must
# take pages from the allocator (or the count does not see this pool),
# then 100,000 (10,000 on the debug kernel: pktgen sends ~1,000 a second
# there), which may take at most BOUND more; each frame must get VERDICT
# in place.
pool_run() {
	local v0 i0 warm many n
	n=$(reps 100000 10000)
	ip -n b link set vb down
	ip -n b link set vb up
	wait_for $((3 * VNET_SLOW)) bash -c "ip -n a link show va | grep -q LOWER_UP"
	# Down flushed vb's neighbours: no ARP for replies to what it passes.
	ip -n b neigh replace 10.9.0.1 lladdr "$(nsx a cat /sys/class/net/va/address)" dev vb nud permanent
	v0=$(nstat b vb "xdp_$1") i0=$(nstat b vb xdp_in_place)
	warm=$(pktgen_run 1000)
	many=$(pktgen_run "$n")
	check_eq "xdp_$1 counts the $((n + 1000)) frames pktgen sends, each in place" \
		"$((n + 1000)) $((n + 1000))" \
		"$(($(nstat b vb "xdp_$1") - v0)) $(($(nstat b vb xdp_in_place) - i0))"
	check_range "$3: a new pool takes pages for 1000 frames" 1 1000 "$warm"
	check_range "$3: then $n frames take at most $2 pages" 0 "$2" "$many"
}
# Once the pool is full, a run may take at most a ring's worth (256): a
# page that leaves the pool per frame would be 100,000.
pool_run drop 256 "XDP_DROP recycles the RX buffers"
# XDP_PASS on a buffer the wire filled: the stack gets an skb, and the
# page comes back to the pool - through the skb on 6.5 and later, and
# before that by a copy (an skb around it would take the page out).
xdp_off b vb
xdp_on b vb xdp_pass
pool_run pass 256 "XDP_PASS gives the pages back"

# XDP_TX: the frame goes back to the sender, addresses swapped.
xdp_off b vb
check "xdp_tx attaches" xdp_on b vb xdp_tx
t0=$(nstat b vb xdp_tx) a0=$(nstat a va rx_ipv4) v0=$(nstat b vb tx_packets)
u0=$(nstat b vb tx_unicast)
h0=$(nsx b ethtool -S vb --groups rmon | counter tx-rmon-etherStatsPkts128to255Octets)
capture a va /tmp/tx.pcap $((8 * VNET_SLOW)) ether src "$(nsx b cat /sys/class/net/vb/address)" and udp port 7000
udp_burst 50 > /dev/null
capture_done
check_eq "XDP_TX: tcpdump on va sees the 50 frames come back from vb" 50 \
	"$(captured /tmp/tx.pcap)"
check_eq "vb counts them as xdp_tx" 50 $(($(nstat b vb xdp_tx) - t0))
check_range "and in its tx_packets" 50 60 $(($(nstat b vb tx_packets) - v0))
# vb's own stack (IPv6 is on there) sends only to group addresses.
check_eq "and in its tx_unicast: sent back to va's address" 50 \
	$(($(nstat b vb tx_unicast) - u0))
# 200-byte datagrams: 246 octets on the wire with the FCS.
check_eq "and in its RMON TX histogram's 128-255 octets range" 50 \
	$(($(nsx b ethtool -S vb --groups rmon | counter tx-rmon-etherStatsPkts128to255Octets) - h0))
check_range "va received them" 50 60 $(($(nstat a va rx_ipv4) - a0))
check_eq "XDP_TX sends the wire's buffer on, in place" "$(nstat b vb xdp_packets)" \
	"$(nstat b vb xdp_in_place)"
xdp_off b vb

# The room a program may use around a frame, in place and in the queue's
# own RX buffer: xdp_room passes a frame only if it can push 192 bytes in
# front and grow it by 128 at its end.
check "xdp_room attaches" xdp_on b vb xdp_room
k0=$(nstat b vb xdp_pass) i0=$(nstat b vb xdp_in_place)
check "in place, a program has 192 bytes of headroom and 128 of tailroom: ping passes" \
	nsx a ping -c 5 -i 0.2 -W 2 10.9.0.2
check_eq "xdp_pass counts the 5 requests, in place" "5 5" \
	"$(($(nstat b vb xdp_pass) - k0)) $(($(nstat b vb xdp_in_place) - i0))"
# RX faults act on skbs: while one is set, va's frames cross as skbs and
# the program runs in vb's own RX buffer (a copy) instead.
nsx b "$VNETCTL" fault vb rx delay 1ms
p0=$(nstat b vb xdp_packets) k0=$(nstat b vb xdp_pass) i0=$(nstat b vb xdp_in_place)
check "with an RX fault on vb, the room is there too: ping passes" \
	nsx a ping -c 5 -i 0.2 -W 2 10.9.0.2
check_eq "the 5 requests passed the program, none in place" "5 5 0" \
	"$(($(nstat b vb xdp_packets) - p0)) $(($(nstat b vb xdp_pass) - k0)) $(($(nstat b vb xdp_in_place) - i0))"
nsx b "$VNETCTL" fault vb clear
i0=$(nstat b vb xdp_in_place)
check "the fault cleared, ping runs in place again" \
	nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check_eq "xdp_in_place counts the 3 requests" 3 $(($(nstat b vb xdp_in_place) - i0))
xdp_off b vb
check "detached: ip link shows no program" \
	bash -c "! ip -n b link show vb | grep -q prog/xdp"
check "and ping works again" nsx a ping -c 2 -i 0.2 -W 2 10.9.0.2

# Setups XDP cannot take, refused with a reason.
ip -n b link set vb mtu 4000
check_fails "a program on a device whose MTU is too large" "MTU too large for XDP" \
	xdp_on b vb xdp_pass
ip -n b link set vb mtu 1500
ip -n a link set va mtu 4000
check_fails "a program on a device whose peer's MTU is too large" "peer's MTU is too large" \
	xdp_on b vb xdp_pass
ip -n a link set va mtu 1500
vnetctl add vc netns a peer vd netns b queues 2
ip netns exec b ethtool -L vd combined 1
check_fails "a program on an end with fewer queues than its peer" "at least as many queues" \
	xdp_on b vd xdp_pass
check "the end with more queues takes one" xdp_on a vc xdp_pass
check "its peer may grow up to that end's count" ip netns exec b ethtool -L vd combined 2
check_fails "the end with the program may not shrink below its peer" "Invalid argument" \
	ip netns exec a ethtool -L vc combined 1
xdp_off a vc

# A standalone device: the synthetic source goes through the program;
# xdp-loader (libxdp) attaches it.
check "xdp-loader loads xdp_drop on vnet0" \
	xdp-loader load -m native vnet0 "$OBJ" -n xdp_drop
quiet_dev vnet0
x0=$(stat vnet0 xdp_drop)
python3 "$VNET_TESTS/helpers/vport.py" inject vnet0 100 > /dev/null
check_eq "frames written to /dev/vnet meet the program: 100 dropped" 100 \
	$(($(stat vnet0 xdp_drop) - x0))
check "xdp-loader unloads it" xdp-loader unload vnet0 --all
check "xdp_tx attaches to vnet0 with ip link" \
	ip link set dev vnet0 xdpdrv obj "$OBJ" program xdp_tx
check_eq "XDP_TX on a standalone device: frames written come back to the reader, swapped" \
	"sent=30 read=30 swapped=30" "$(python3 "$VNET_TESTS/helpers/vport.py" reflect vnet0 30)"
check_eq "counted as xdp_tx" 30 "$(stat vnet0 xdp_tx)"
ip link set dev vnet0 xdpdrv off

# XDP_ABORTED: counted and traced.
echo 1 > /sys/kernel/tracing/events/xdp/xdp_exception/enable
echo > /sys/kernel/tracing/trace
ip link set dev vnet0 xdpdrv obj "$OBJ" program xdp_aborted
a0=$(stat vnet0 xdp_aborted)
python3 "$VNET_TESTS/helpers/vport.py" inject vnet0 20 > /dev/null
check_eq "XDP_ABORTED: counted" 20 $(($(stat vnet0 xdp_aborted) - a0))
check_eq "and traced by xdp:xdp_exception" 20 \
	"$(grep -c 'xdp_exception:.*ifindex=[0-9]*' /sys/kernel/tracing/trace)"
echo 0 > /sys/kernel/tracing/events/xdp/xdp_exception/enable
ip link set dev vnet0 xdpdrv off
check "programs attach and detach with the link up or down" bash -c "
	ip link set dev vnet0 xdpdrv obj $OBJ program xdp_drop &&
	ip link set vnet0 down && ip link set vnet0 up && ip link set vnet0 down &&
	ip link set dev vnet0 xdpdrv off &&
	ip link set dev vnet0 xdpdrv obj $OBJ program xdp_drop &&
	ip link set vnet0 up"
x0=$(stat vnet0 xdp_drop)
python3 "$VNET_TESTS/helpers/vport.py" inject vnet0 10 > /dev/null
check_eq "a program attached while down runs once the link is up" 10 \
	$(($(stat vnet0 xdp_drop) - x0))
ip link set dev vnet0 xdpdrv off
vnet_unload

# The synthetic source's frames meet the program too.
vnet_load devices=1 rx_interval_ms=20
ip link set vnet0 up
ip link set dev vnet0 xdpdrv obj "$OBJ" program xdp_drop
sleep 0.5
d0=$(stat vnet0 xdp_drop) r0=$(stat vnet0 rx_arp)
capture "" vnet0 /tmp/arp.pcap $((30 * VNET_SLOW)) arp
sleep 2
capture_end
check_range "synthetic ARP requests are received (rx_arp)" 20 999 $(($(stat vnet0 rx_arp) - r0))
check_range "and dropped by the program" 20 999 $(($(stat vnet0 xdp_drop) - d0))
check_eq "so tcpdump sees none of them" 0 "$(captured /tmp/arp.pcap)"
vnet_unload
done_testing
