#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /dev/vnet: a process attached to vnet0 is its wire. Frames it writes are
# received (rx counters, tcpdump), frames the stack sends are read back
# byte-identical, one per read or in batches; the synthetic source is
# silent while a process is attached.
. "$(dirname "$0")/../lib.sh"
plan 33

vport() {
	python3 "$VNET_TESTS/helpers/vport.py" "$@"
}

vnet_load rx_interval_ms=0
quiet_dev vnet0
check "/dev/vnet is a character device" test -c /dev/vnet
check_eq "attach to vnet0 takes queue 0" "attach=OK name=vnet0 ifindex=$(cat /sys/class/net/vnet0/ifindex) queue=0" \
	"$(vport attach vnet0)"
check_eq "a device that does not exist" "attach=ENODEV" "$(vport attach nosuch0)"
check_eq "a device that is not vnet (lo)" "attach=EINVAL" "$(vport attach lo)"
check_eq "a queue the device does not have" "attach=EINVAL" "$(vport attach vnet0 --queue 1)"

# Inject: every frame written is received, exactly, and seen by tcpdump.
tmp=$(mktemp -d)
pcap=$tmp/rx.pcap
tcpdump -i vnet0 -w "$pcap" -U -n ether proto 0x88b5 2>/dev/null &
tpid=$!
sleep 1
rx0=$(stat vnet0 rx_packets) other0=$(stat vnet0 rx_other) by0=$(stat vnet0 rx_bytes)
uni0=$(stat vnet0 rx_unicast)
out=$(vport inject vnet0 300)
check_eq "300 single writes accepted" "injected=300" "${out%% *}"
out=$(vport inject vnet0 700 --batch 64)
check_eq "700 frames in batches of 64 accepted" "injected=700" "${out%% *}"
sleep 1
kill $tpid
wait $tpid 2>/dev/null
check_eq "rx_packets grew by exactly 1000" 1000 $(($(stat vnet0 rx_packets) - rx0))
check_eq "rx_other (EtherType 0x88b5) grew by 1000" 1000 $(($(stat vnet0 rx_other) - other0))
check_eq "rx_unicast (written to vnet0's address) grew by 1000" 1000 \
	$(($(stat vnet0 rx_unicast) - uni0))
check_eq "rx_bytes grew by 1000 x 64" 64000 $(($(stat vnet0 rx_bytes) - by0))
check_eq "tcpdump saw the 1000 frames" 1000 "$(tcpdump -r "$pcap" -n 2>/dev/null | grep -c 'ethertype Unknown (0x88b5)')"
check_eq "nothing missed or dropped on the way" "0 0" \
	"$(stat vnet0 rx_missed) $(stat vnet0 rx_dropped)"

# Written frames' buffers come from the port's page pool, and go back to it
# when the stack frees the skbs: N 64-byte frames, eight to a page, would
# take N/8 pages from the allocator without it (12,500 for 100,000); with
# it, at most a fifth of that. pool_pages (tests/lib.sh) counts the pool's
# own pages: the skbs' slab pages churn when another CPU frees them
# (irq_spread=1: 4,275 pages by /proc/vmstat for 100,000 frames on
# 2026-12-05) and under KASAN's quarantine.
n=$(reps 100000 10000)
pool_pages_start
out=$(echo go | "$VNET_TESTS/../tools/vnet-portbench" inject vnet vnet0 "$n" 64)
pg=$(pool_pages)
check_eq "$n frames written in batches of 64" "frames=$n" "${out##* }"
check_range "the pool recycles: at most $((n / 40)) fresh pages for them" 0 $((n / 40)) "$pg"

# Read back: what the stack transmits reaches the process unchanged.
check_eq "200 frames (60..1500 bytes) sent by the stack are read back identical" \
	"sent=200 read=200 identical=200" "$(vport echo vnet0 200)"
check_eq "and with batched reads" "sent=200 read=200 identical=200" \
	"$(vport echo vnet0 200 --batch 32)"

# A frame that needs no work goes to the reader as the sender's skb (freed
# by the reader's CPU): pktgen's skbs, which it shares, arrive whole.
check_eq "3000 frames from pktgen (shared skbs) are read whole, each once" \
	"read=3000 pktgen=3000 seqs=3000" "$(vport pktgen-read vnet0 3000)"
check_eq "and with batched reads" "read=3000 pktgen=3000 seqs=3000" \
	"$(vport pktgen-read vnet0 3000 --batch 64)"

# A reader that reads nothing holds frames, never their senders: a frame
# leaves its socket as it reaches the wire, as the skb or as a copy. 600
# frames of 1000 bytes through a socket whose buffer holds ~4 of them.
exec 3> >(vport attach vnet0 --hold > $tmp/hold.out)
wait_for 5 grep -q attach=OK $tmp/hold.out
check_eq "600 frames from a socket with a 4 KB send buffer, nobody reading" \
	"sent=600 refused=0" "$(timeout 30 python3 "$VNET_TESTS/helpers/rawsend.py" vnet0 \
	--sndbuf 4096 --count 600 --len 1000)"
exec 3>&-
sleep 0.3

# Jumbo frames both ways.
ip link set vnet0 mtu 9000
out=$(vport inject vnet0 10 --len 9014)
check_eq "9014-byte frames are injected at MTU 9000" "injected=10" "${out%% *}"
check_eq "and 9014-byte frames sent by the stack (longer than a page: the skb itself) read back identical" \
	"sent=10 read=10 identical=10" "$(vport echo vnet0 10 --len 9014)"
ip link set vnet0 mtu 1500

# The wire does the TX checksum offload: UDP from the stack is left to it.
ip addr add 10.7.0.1/24 dev vnet0
ip neigh replace 10.7.0.2 lladdr 02:00:00:00:00:02 dev vnet0 nud permanent
check "vnet0 offers TX checksum offload" \
	bash -c "ethtool -k vnet0 | grep -q 'tx-checksum-ip-generic: on'"
check_eq "UDP datagrams of 1..1400 bytes are read with valid IPv4 and UDP checksums" \
	"sent=60 read=60 valid=60" "$(vport csum vnet0 10.7.0.2 60)"
# Frames written and read through the file are counted by destination too.
for dir in tx rx; do
	check_eq "${dir}_unicast + ${dir}_multicast + ${dir}_broadcast = ${dir}_packets" \
		"$(stat vnet0 ${dir}_packets)" \
		$(($(stat vnet0 ${dir}_unicast) + $(stat vnet0 ${dir}_multicast) + $(stat vnet0 ${dir}_broadcast)))
done
ip addr flush dev vnet0

# The synthetic source stops while a process is the wire, and comes back.
vnet_unload
vnet_load rx_interval_ms=50
quiet_dev vnet0
sleep 0.5
check "the synthetic source runs while nothing is attached" \
	wait_for 5 test "$(stat vnet0 rx_arp)" -gt 0
exec 3> >(vport attach vnet0 --hold > $tmp/hold.out)
wait_for 5 grep -q attach=OK $tmp/hold.out
a0=$(stat vnet0 rx_arp)
sleep 1
check_eq "no synthetic frames while attached" "$a0" "$(stat vnet0 rx_arp)"
exec 3>&-
sleep 0.3
check "they resume once the file is closed" \
	wait_for 5 test "$(stat vnet0 rx_arp)" -gt "$a0"

# A device made by the file lives as long as the file.
exec 3> >(vport attach vtap7 --create --hold > $tmp/create.out)
wait_for 5 grep -q attach=OK $tmp/create.out
check "VNET_ATTACH_CREATE makes vtap7" ip link show vtap7
check_eq "it is a vnet device" "driver: vnet" "$(ethtool -i vtap7 | head -1)"
exec 3>&-
check "closing the file removes it" wait_for 5 bash -c '! ip link show vtap7'

# A pair end's wire is its peer.
vnetctl add pa peer pb
check_eq "a pair end cannot be attached" "attach=EOPNOTSUPP" "$(vport attach pa)"
done_testing
