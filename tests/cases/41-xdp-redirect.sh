#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# XDP_REDIRECT out of a vnet end (to another vnet pair, to a veth, to a CPU
# map, to an AF_XDP socket in copy mode), and into vnet from a veth, with
# frames too long for the target dropped and counted; XDP frames into a
# standalone device, whose wire is a /dev/vnet reader or none.
#
#   a: va ==== vb :b: vc ==== vd :d
#                  b: vx ---- vy :e      (veth)
. "$(dirname "$0")/../lib.sh"
plan 30

VNETXDP=$VNET_TESTS/../tools/vnet-xdp
# udp_send NS DST COUNT [SIZE]: COUNT datagrams to DST port 7000.
udp_send() {
	nsx "$1" python3 "$VNET_TESTS/helpers/xfer.py" udp-client "$2" 7000 "${4:-200}" "$3" > /dev/null
}
# seen NS DEV FILTER: capture what DEV sees while the next frames are
# sent (`wait`, then `count DEV`).
seen() {
	capture "$1" "$2" "/tmp/seen-$2.pcap" $((6 * VNET_SLOW)) $3
}
count() {
	captured "/tmp/seen-$1.pcap"
}

vnet_load devices=0
pair_setup
# Only the frames sent below, so that counts are exact.
nsx a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
ip netns add d
vnetctl add vc netns b peer vd netns d queues 1
ip -n b link set vc up
ip -n d link set vd up
ip link add vx type veth peer name vy
ip link set vx netns b
ip netns add e
ip link set vy netns e
nsx e sysctl -qw net.ipv6.conf.vy.disable_ipv6=1	# only what is sent below
ip -n b link set vx up
ip -n e link set vy up
ip -n e addr add 10.9.2.2/24 dev vy
# veth accepts redirected frames only with NAPI on its receiving end.
ip netns exec e ethtool -K vy gro on
VB_MAC=$(nsx b cat /sys/class/net/vb/address)
ip -n a neigh replace 10.9.0.2 lladdr "$VB_MAC" dev va nud permanent
ip -n e neigh replace 10.9.2.1 lladdr "$(nsx b cat /sys/class/net/vx/address)" dev vy nud permanent

# vnet -> vnet
check "vnet-xdp attaches a devmap redirect vb -> vc" nsx b "$VNETXDP" redirect vb vc
r0=$(nstat b vb xdp_redirect) x0=$(nstat b vc xdp_xmit) d0=$(nstat d vd rx_ipv4)
seen d vd "udp port 7000"
udp_send a 10.9.0.2 100
capture_done
check_eq "vd sees the 100 frames va sent to vb" 100 "$(count vd)"
check_eq "vb counts them as xdp_redirect" 100 $(($(nstat b vb xdp_redirect) - r0))
check_eq "vc as xdp_xmit" 100 $(($(nstat b vc xdp_xmit) - x0))
check_range "vd as received" 100 110 $(($(nstat d vd rx_ipv4) - d0))

# Frames too long for the target: dropped and counted. The core refuses
# frames longer than the target's MTU before it calls ndo_xdp_xmit (the
# redirecting end counts them); vnet refuses those too long for the
# target's peer, whose wire they would take.
ip -n b link set vc mtu 500
e0=$(nstat b vb xdp_redirect_errors) d0=$(nstat d vd rx_ipv4)
udp_send a 10.9.0.2 20 1000
sleep 0.5
check_eq "frames longer than vc's MTU: vb's xdp_redirect_errors" 20 \
	$(($(nstat b vb xdp_redirect_errors) - e0))
check_eq "none reaches vd" 0 $(($(nstat d vd rx_ipv4) - d0))
ip -n b link set vc mtu 1500
ip -n d link set vd mtu 500
e0=$(nstat b vc xdp_xmit_errors)
udp_send a 10.9.0.2 20 1000
sleep 0.5
check_eq "frames longer than vd's MTU: vc's xdp_xmit_errors" 20 \
	$(($(nstat b vc xdp_xmit_errors) - e0))
check_eq "none of these reaches vd either" 0 $(($(nstat d vd rx_ipv4) - d0))
x1=$(nstat b vc xdp_xmit)
udp_send a 10.9.0.2 10 100
sleep 0.5
check_eq "short ones still pass" 10 $(($(nstat b vc xdp_xmit) - x1))
ip -n d link set vd mtu 1500

# vnet -> veth
check "vnet-xdp redirects vb -> vx (veth)" bash -c \
	"ip -n b link set dev vb xdpdrv off && ip netns exec b $VNETXDP redirect vb vx"
seen e vy "udp port 7000"
udp_send a 10.9.0.2 100
capture_done
check_eq "vy, vx's veth peer, sees the 100 frames" 100 "$(count vy)"

# veth -> vnet
ip -n b link set dev vb xdpdrv off
check "vnet-xdp redirects vx (veth, native XDP) -> vc" nsx b "$VNETXDP" redirect vx vc
x0=$(nstat b vc xdp_xmit)
seen d vd "udp port 7000"
udp_send e 10.9.2.1 100
capture_done
check_eq "frames vy sent reach vd through vx's redirect into vc" 100 "$(count vd)"
check_eq "vc counts them as xdp_xmit" 100 $(($(nstat b vc xdp_xmit) - x0))
ip -n b link set dev vx xdpdrv off

# vnet -> CPU map: the frames reach vb's own stack on CPU 1.
check "vnet-xdp redirects vb to a CPU map (CPU 1)" nsx b "$VNETXDP" cpumap vb 1
r0=$(nstat b vb xdp_redirect)
rm -f /tmp/udp.out
# The server waits this long for a first datagram: the client's python
# starts slowly on the debug kernel.
nsx b python3 "$VNET_TESTS/helpers/xfer.py" udp-server 7000 200 $((4 * VNET_SLOW)) > /tmp/udp.out &
listening /tmp/udp.out
udp_send a 10.9.0.2 100
wait
check_eq "the socket on b receives the 100 datagrams" "datagrams=100 recvs=100 bad=0" \
	"$(grep -o 'datagrams=.*' /tmp/udp.out)"
check_eq "vb counts them as xdp_redirect" 100 $(($(nstat b vb xdp_redirect) - r0))
ip -n b link set dev vb xdpdrv off

# vnet -> AF_XDP (copy mode)
nsx b "$VNETXDP" xsk vb 0 100 $((20 * VNET_SLOW)) > /tmp/xsk.out &
xsk=$!
listening /tmp/xsk.out
udp_send a 10.9.0.2 100
wait $xsk
check_eq "an AF_XDP socket on vb's queue 0 receives the 100 frames" \
	"received 100 frames, 24200 bytes" "$(tail -1 /tmp/xsk.out)"
check "and detaches its program on exit" \
	bash -c "! ip -n b link show vb | grep -q prog/xdp"
ip link del vx 2> /dev/null
ip -n b link del vx 2> /dev/null
vnet_unload

# Into a standalone device: the kernel's live frames (BPF_PROG_RUN)
# redirected into vnet0's ndo_xdp_xmit.
vnet_load devices=1 rx_interval_ms=0
quiet_dev vnet0
x0=$(stat vnet0 xdp_xmit) t0=$(stat vnet0 tx_packets) c0=$(stat vnet0 tx_xmit_cleaned)
check_eq "1000 XDP frames reach a /dev/vnet reader byte-identical" \
	"sent=1000 read=1000 identical=1000" \
	"$(python3 "$VNET_TESTS/helpers/vport.py" xdp-read vnet0 1000)"
check_eq "counted as xdp_xmit and tx_packets" "1000 1000" \
	"$(($(stat vnet0 xdp_xmit) - x0)) $(($(stat vnet0 tx_packets) - t0))"
# Through the TX ring: the engine sends each bulk at its doorbell, and
# the sender reclaims the descriptors there (no TX-done interrupt).
check_eq "the reader's frame ring had room: all completed at the doorbell (tx_xmit_cleaned)" \
	1000 $(($(stat vnet0 tx_xmit_cleaned) - c0))
x0=$(stat vnet0 xdp_xmit) c0=$(stat vnet0 tx_xmit_cleaned)
# Read only once all are sent: 1024 fill the frame ring, 176 wait in the
# TX ring (256) for the reader to make room.
check_eq "1200 more, read in batches: those past the frame ring wait in the TX ring" \
	"sent=1200 read=1200 identical=1200" \
	"$(python3 "$VNET_TESTS/helpers/vport.py" xdp-read vnet0 1200 --batch 64)"
check_eq "1024 completed at the doorbell (the frame ring's size), 176 once the reader made room" \
	"1024 1200" "$(($(stat vnet0 tx_xmit_cleaned) - c0)) $(($(stat vnet0 xdp_xmit) - x0))"
x0=$(stat vnet0 xdp_xmit) e0=$(stat vnet0 xdp_xmit_errors)
out=$(python3 "$VNET_TESTS/helpers/vport.py" xdp-read vnet0 3000 --hold)
x1=$(($(stat vnet0 xdp_xmit) - x0)) e1=$(($(stat vnet0 xdp_xmit_errors) - e0))
check_eq "a reader that does not read: the sender is refused, not lost track of" \
	"sent=3000 3000" "${out%% *} $((x1 + e1))"
check_range "the frame ring (1024) and the TX ring hold what was taken" 1024 1280 "$x1"
x0=$(stat vnet0 xdp_xmit) t0=$(stat vnet0 tx_packets) e0=$(stat vnet0 xdp_xmit_errors)
check_eq "with no reader the standalone wire takes them all" "sent=2000" \
	"$("$VNETXDP" send vnet0 -c 2000)"
if [ "$(cat /sys/module/vnet/parameters/irq_spread)" = N ]; then
	# The TX-done interrupt runs NAPI on this CPU after each of the
	# sender's batches: the TX ring is clean before the next one.
	check_eq "counted as xdp_xmit and tx_packets" "2000 2000" \
		"$(($(stat vnet0 xdp_xmit) - x0)) $(($(stat vnet0 tx_packets) - t0))"
else
	# irq_spread=1: TX completions run on the other CPU, which a fast
	# sender may outrun; ndo_xdp_xmit then refuses what finds the TX ring
	# full, as a NIC's does, and counts it.
	x1=$(($(stat vnet0 xdp_xmit) - x0)) e1=$(($(stat vnet0 xdp_xmit_errors) - e0))
	done_tx() { [ $(($(stat vnet0 tx_packets) - t0)) -ge "$x1" ]; }
	wait_for $((5 * VNET_SLOW)) done_tx
	check_eq "each frame counted as xdp_xmit or xdp_xmit_errors, the sent ones as tx_packets" \
		"2000 $x1" "$((x1 + e1)) $(($(stat vnet0 tx_packets) - t0))"
fi
# A line rate paces XDP frames too: they wait in the TX ring as frames
# (no skb, no socket to orphan), and the engine completes them at the
# rate (the pacer once read them as skbs).
ethtool -s vnet0 speed 10 duplex full autoneg off
x0=$(stat vnet0 xdp_xmit) t0=$(stat vnet0 tx_packets) e0=$(stat vnet0 xdp_xmit_errors)
"$VNETXDP" send vnet0 -c 200 > /dev/null
x1=$(($(stat vnet0 xdp_xmit) - x0)) e1=$(($(stat vnet0 xdp_xmit_errors) - e0))
paced() { [ $(($(stat vnet0 tx_packets) - t0)) -ge "$x1" ]; }
wait_for $((5 * VNET_SLOW)) paced
check_eq "at 10 Mbit/s: each XDP frame counted as xdp_xmit or xdp_xmit_errors, the sent ones as tx_packets" \
	"200 $x1" "$((x1 + e1)) $(($(stat vnet0 tx_packets) - t0))"
ethtool -s vnet0 autoneg on
vnet_unload
done_testing
