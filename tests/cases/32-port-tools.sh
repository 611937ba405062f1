#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The userspace tools on /dev/vnet: ping and arping answered by
# vnet-responder; vnet-pcap replays a file into one device and captures
# another's transmissions (a bridge joins them): the frames survive the
# round trip byte for byte, in order.
. "$(dirname "$0")/../lib.sh"
plan 14

TOOLS="$VNET_TESTS/../tools"
tmp=$(mktemp -d)
vnet_load rx_interval_ms=0 devices=2
ip addr add 10.7.0.1/24 dev vnet0
sysctl -qw net.ipv6.conf.vnet0.disable_ipv6=1
ip link set vnet0 up
"$TOOLS/vnet-responder" vnet0 10.7.0.2 -m 02:00:00:00:07:02 > "$tmp/resp.out" &
rpid=$!
wait_for 5 grep -q answering "$tmp/resp.out"
check "ping 10.7.0.2 through the responder: 5 of 5 answered" \
	ping -c 5 -i 0.2 -W 2 10.7.0.2
check_eq "the stack learnt the responder's MAC by ARP" "02:00:00:00:07:02" \
	"$(ip neigh show 10.7.0.2 dev vnet0 | awk '{print $3}')"
check "arping 10.7.0.2: 3 of 3 answered" \
	arping -c 3 -w 5 -I vnet0 10.7.0.2
kill $rpid
wait $rpid
check "the responder counted its answers" \
	grep -Eq "vnet-responder: [1-9][0-9]* ARP, [5-9] echo answered" "$tmp/resp.out"
ip addr flush dev vnet0

# A pcap of assorted frames: unicast to unknown stations (the bridge
# floods them), IPv4/UDP, IPv6/TCP, VLAN-tagged, ARP, 60..1514 bytes.
python3 - "$tmp/in.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, IPv6, UDP, TCP, ARP, Dot1Q, Raw, wrpcap
frames = []
for i in range(300):
    dst = "02:bb:00:00:%02x:%02x" % (i >> 8, i & 0xff)
    e = Ether(src="02:aa:00:00:00:01", dst=dst)
    k = i % 4
    if k == 0:
        p = e / IP(src="10.1.0.1", dst="10.1.0.2") / UDP(sport=i, dport=9) / Raw(bytes(i * 4 % 1400))
    elif k == 1:
        p = e / IPv6(src="fd01::1", dst="fd01::2") / TCP(sport=i, dport=80) / Raw(b"x" * (i % 700))
    elif k == 2:
        p = e / Dot1Q(vlan=i % 4000 + 1) / IP(dst="10.1.0.3") / UDP() / Raw(b"v" * 40)
    else:
        p = e / ARP(psrc="10.1.0.1", pdst="10.1.0.%d" % (i % 250 + 2))
    frames.append(p)
wrpcap(sys.argv[1], frames)
PY
ip link add br0 type bridge
# Frames of different flows keep their order only without the flow-fair
# parts of the stack: GRO holds a flow's frames until the end of a NAPI
# poll, and Debian's default qdisc (fq_codel) serves flows round-robin.
ethtool -K vnet0 gro off
tc qdisc replace dev vnet1 root pfifo
for d in br0 vnet0 vnet1; do sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"; done
ip link set vnet0 master br0
ip link set vnet1 master br0
ip link set vnet0 up
ip link set vnet1 up
ip link set br0 up
# The bridge forwards between its ports; its own stack must stay off the
# wire (it sent an IGMPv3 report through vnet1 once, ahead of the replay).
tc qdisc add dev br0 clsact
tc filter add dev br0 egress matchall action drop
# Ports forward once the bridge has heard of their carrier (linkwatch).
wait_for 10 sh -c '[ "$(bridge link show | grep -c "state forwarding")" -eq 2 ]'
"$TOOLS/vnet-pcap" capture vnet1 "$tmp/out.pcap" -c 300 -t $((20 * VNET_SLOW)) 2> "$tmp/cap.err" &
cpid=$!
wait_for 5 grep -q capturing "$tmp/cap.err"
check_eq "vnet-pcap replays 300 frames into vnet0" "replayed 300" \
	"$("$TOOLS/vnet-pcap" replay vnet0 "$tmp/in.pcap" | cut -d' ' -f1-2)"
wait $cpid
check_eq "vnet-pcap captured 300 frames out of vnet1" "captured 300 frames" "$(tail -1 "$tmp/cap.err")"
check_eq "byte for byte and in order" "same" "$(python3 - "$tmp/in.pcap" "$tmp/out.pcap" <<'PY'
import struct
import sys


def frames(path):
    """The frames of a classic pcap file (what libpcap and scapy write):
    read here rather than with scapy, whose import alone costs ~10 s of a
    TCG guest and a minute of the debug one."""
    data = open(path, "rb").read()
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(end + "IIII", data[off:off + 16])[2]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


a = frames(sys.argv[1])
b = frames(sys.argv[2])
i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), None)
print("same" if a == b else "differ: %d vs %d frames, first difference at %s: %s; foreign: %s" % (
    len(a), len(b), i, [a.index(x) if x in a else -1 for x in b][:20],
    [x[:48].hex() for x in b if x not in a][:3]))
PY
)"
# A paced replay takes the time its rate says.
out=$("$TOOLS/vnet-pcap" replay vnet0 "$tmp/in.pcap" -r 200)
secs=$(awk '{print int($5 * 10)}' <<< "$out")
check_range "300 frames at 200 pps take about 1.5 s (in tenths)" 14 $((30 * VNET_SLOW)) "$secs"
check_fails "vnet-pcap explains a device it cannot attach to" "no vnet device of that name" \
	"$TOOLS/vnet-pcap" replay nosuch "$tmp/in.pcap"
# Numbers on the command line are numbers, or the tool says which is not
# (exit 2), before it touches a device: 'send lo abc' used to send 0
# frames and exit 0.
check_fails "vnet-xdp send: a duration that is not one" "SECONDS: 'abc' is not a duration" \
	"$TOOLS/vnet-xdp" send vnet0 abc
check_fails "vnet-xdp send -c 0" "COUNT: '0' is not a number from 1" \
	"$TOOLS/vnet-xdp" send vnet0 -c 0
check_fails "vnet-xdp xsk: a queue that is not a number" "QUEUE: 'q1' is not a number" \
	"$TOOLS/vnet-xdp" xsk vnet0 q1 10
out=$("$TOOLS/vnet-xdp" send vnet0 -c 5x 2>&1)
check_eq "and exits 2 for it" "2" "$?"
check "vnet-xdp --help: the usage on stdout, exit 0" bash -c \
	"'$TOOLS/vnet-xdp' --help 2> /dev/null | grep -q 'usage: vnet-xdp'"
done_testing
