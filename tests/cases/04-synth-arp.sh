#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The synthetic RX source: tcpdump sees well-formed ARP requests with the
# configured addresses, at the configured rate; interval 0 turns it off.
. "$(dirname "$0")/../lib.sh"
plan 9

vnet_load rx_interval_ms=100 rx_burst=2 arp_sender=192.0.2.1 arp_target=192.0.2.77
quiet_dev vnet0
devmac=$(mac vnet0)
pcap=/tmp/synth.pcap
tcpdump -i vnet0 -w "$pcap" -U -n arp 2>/dev/null &
tpid=$!
sleep 1
before=$(stat vnet0 rx_arp)
t0=$(date +%s%N)
sleep 3
after=$(stat vnet0 rx_arp)
t1=$(date +%s%N)
kill $tpid
wait $tpid
text=$(tcpdump -r "$pcap" -e -n 2>/dev/null)
n=$(grep -c . <<< "$text")
check_range "tcpdump captured frames" 20 200 "$n"
check_eq "every frame is an ARP who-has 192.0.2.77 tell 192.0.2.1" "$n" \
	"$(grep -c 'ethertype ARP (0x0806), length 60: Request who-has 192.0.2.77 tell 192.0.2.1' <<< "$text")"
check_eq "every frame is broadcast from the device's MAC" "$n" \
	"$(grep -c "^[0-9:.]* $devmac > ff:ff:ff:ff:ff:ff" <<< "$text")"
# 2 frames per 100 ms over the time measured; a TCG guest's timers run
# late, never early: allow -40% and +10% (+ one tick for the edges).
expect=$(((t1 - t0) / 50000000))
check_range "rate: 2 frames per 100 ms ($expect expected, -40%/+10%)" \
	$((expect * 6 / 10)) $((expect * 11 / 10 + 2)) $((after - before))
stats=$(ethtool -S vnet0)
check_eq "every frame counted as rx_arp" "$(awk '$1 == "rx_packets:" {print $2}' <<< "$stats")" \
	"$(awk '$1 == "rx_arp:" {print $2}' <<< "$stats")"
# scapy decodes the same bytes on every kernel; its import alone takes
# ~10 s of a TCG guest, a minute of the debug one, which checks the source
# itself (KASAN, lockdep) all the same.
if [ "$(reps 1 0)" = 0 ]; then
	skip "scapy decodes a valid ARP request" "decoded on Debian's kernels"
else
check "scapy decodes a valid ARP request" python3 - "$pcap" "$devmac" <<'PY'
import sys
from scapy.all import rdpcap, ARP, Ether
p = rdpcap(sys.argv[1])[0]
a = p[ARP]
assert len(p) == 60 and p[Ether].dst == "ff:ff:ff:ff:ff:ff", p.summary()
assert (a.hwtype, a.ptype, a.hwlen, a.plen, a.op) == (1, 0x800, 6, 4, 1), a.show(dump=True)
assert a.hwsrc == sys.argv[2] and a.psrc == "192.0.2.1", a.show(dump=True)
assert a.hwdst == "00:00:00:00:00:00" and a.pdst == "192.0.2.77", a.show(dump=True)
assert bytes(p)[42:] == bytes(18), "padding is not zero"
PY
fi
ip link set vnet0 address 02:00:00:00:00:99
sleep 0.5
check "after a MAC change the frames carry the new MAC" \
	bash -c "timeout $((3 * VNET_SLOW)) tcpdump -c 1 -e -n -i vnet0 arp 2>/dev/null | grep -q '^[0-9:.]* 02:00:00:00:00:99 >'"
vnet_unload

vnet_load rx_interval_ms=0
quiet_dev vnet0
sleep 1
check_eq "rx_interval_ms=0: nothing received" 0 "$(stat vnet0 rx_packets)"
vnet_unload
vnet_load
quiet_dev vnet0
# Timers run late on a busy machine, never early: at most one frame per
# second elapsed (plus the one at open), and some.
n0=$(stat vnet0 rx_arp) t0=$(date +%s%N)
sleep 3
n1=$(stat vnet0 rx_arp) t1=$(date +%s%N)
check_range "defaults: one frame a second" 1 $(((t1 - t0) / 1000000000 + 1)) $((n1 - n0))
vnet_unload
done_testing
