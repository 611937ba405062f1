#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Wire faults (vnetctl fault, docs/FAULTS.md) on a pair: a seeded drop gives
# the same losses twice, at a binomially plausible rate; corrupted frames
# are counted as FCS errors and reach the stack only with rx-all; bad
# settings are refused, by vnetctl and by the kernel, with a message.
# 52-fault-timing has duplicates, reordering, latency and jitter.
. "$(dirname "$0")/../lib.sh"
plan 27

vnet_load devices=0
quiet_pair
# Bad settings, refused by vnetctl before the kernel sees them...
check_fails "a probability above 100% (vnetctl)" "a probability is 0 to 100%" \
	vnetctl fault va tx drop 101%
check_fails "a negative latency (vnetctl)" "give 0 to 10 s" vnetctl fault va tx delay -5ms
check_fails "a fault with no direction (vnetctl)" "say 'tx' or 'rx' before 'drop'" \
	vnetctl fault va drop 10%
check_fails "an unknown fault (vnetctl)" "unknown fault 'explode'" vnetctl fault va tx explode 1
check_fails "a flap period of 5 ms (vnetctl)" "give 'off' or 10 to 3600000" vnetctl fault va flap 5
# ... and by the kernel, whoever sends them (the vnet family, spec-driven).
ifa=$(nsx a cat /sys/class/net/va/ifindex)
check_fails "a probability above 100% (kernel: ERANGE)" \
	"Numerical result out of range: probability above 100%" \
	nsx a "${VNETGENL[@]}" --do dev-set --json "{\"ifindex\": $ifa, \"fault-tx\": {\"drop\": 1000001}}"
check_fails "a delay above 10 s (kernel: ERANGE)" "delay and jitter are at most 10 s" \
	nsx a "${VNETGENL[@]}" --do dev-set --json "{\"ifindex\": $ifa, \"fault-rx\": {\"delay-us\": 10000001}}"
check_fails "a flap period of 1 ms (kernel: ERANGE)" "flap period is 0 (off) or 10 ms to 1 hour" \
	nsx a "${VNETGENL[@]}" --do dev-set --json "{\"ifindex\": $ifa, \"flap-ms\": 1}"
check_fails "faults in an RTM_NEWLINK that makes a device: checked too, no device made" \
	"probability above 100%" nsx a python3 "$VNET_TESTS/helpers/rtnl.py" add-fault vz tx 1 1000001
check_fails "a flap period of 1 ms when making a device (kernel: ERANGE)" "flap period is 0" \
	nsx a python3 "$VNET_TESTS/helpers/rtnl.py" flap vz 1
check "and no vz was made" nsx a bash -c '! ip link show vz 2> /dev/null'
check_fails "a peer for an existing device (kernel: EOPNOTSUPP)" \
	"a pair's peer is given when the pair is made" \
	nsx a python3 "$VNET_TESTS/helpers/rtnl.py" change-peer va
check_eq "nothing refused was applied" "faults: seed 0 (none active)" \
	"$(nsx a "$VNETCTL" show va | grep -o 'faults:.*')"

# Drop, seeded: the same losses twice, at a plausible rate.
drops0=$(nstat a va fault_tx_drop)
tx0=$(nstat a va tx_packets)
nsx a "$VNETCTL" fault va seed 42 tx drop 10%
check_eq "vnetctl show reports the fault" "faults: tx drop 10% seed 42" \
	"$(nsx a "$VNETCTL" show va | grep -o 'faults:.*')"
# Binomial(n, 0.1): mean n/10, sd 0.3 sqrt(n); 4 sd either side.
n=$(reps 1000 500)
lo=$(reps 62 24) hi=$(reps 138 76)
first=$(answered "$n")
drops1=$(nstat a va fault_tx_drop)
nsx a "$VNETCTL" fault va seed 42 tx drop 10%
second=$(answered "$n")
lost=$((n - $(wc -w <<< "$first")))
check_range "10% drop loses $lo..$hi of $n pings" "$lo" "$hi" "$lost"
check_eq "the same seed loses the same pings again" "$first" "$second"
check_eq "every loss is counted as fault_tx_drop" "$lost" $((drops1 - drops0))
check_range "dropped frames were transmitted all the same (tx_packets)" $((2 * n)) $((2 * n + 100)) \
	$(($(nstat a va tx_packets) - tx0))
nsx a "$VNETCTL" fault va seed 43 tx drop 10%
check "another seed loses other pings" test "$first" != "$(answered "$n")"
nsx a "$VNETCTL" fault va clear
check_eq "clear: 100 of 100 pings answered" 100 "$(answered 100 | wc -w)"

# Corruption: an FCS error at the receiver, dropped unless rx-all.
crc0=$(nstat b vb rx_crc_errors)
nsx a "$VNETCTL" fault va tx corrupt 100%
capture b vb /tmp/bad.pcap $((30 * VNET_SLOW)) -Q in
out=$(udp_run 50)
capture_end
check_eq "corrupted frames never reach the socket" 0 "$(field datagrams "$out")"
check_eq "nor the stack (tcpdump on vb sees none)" 0 "$(captured /tmp/bad.pcap)"
check_eq "the receiver counts 50 rx_crc_errors" 50 $(($(nstat b vb rx_crc_errors) - crc0))
check_eq "ip -s link reports them as CRC errors" 50 \
	"$(nsx b cat /sys/class/net/vb/statistics/rx_crc_errors)"
nsx b ethtool -K vb rx-all on
capture b vb /tmp/bad.pcap $((30 * VNET_SLOW)) -Q in
udp_run 50 > /dev/null
capture_end
check_eq "with rx-all on, the stack gets all 50 (tcpdump)" 50 "$(captured /tmp/bad.pcap)"
nsx b ethtool -K vb rx-all off
nsx a "$VNETCTL" fault va clear
# The receiving end's own RX corruption is counted the same way.
crc0=$(nstat b vb rx_crc_errors)
nsx b "$VNETCTL" fault vb rx corrupt 100%
check_fails "RX corruption at vb: no ping gets through" "100% packet loss" \
	nsx a ping -c 5 -i 0.1 -W 1 10.9.0.2
check_eq "vb counts them as fault_rx_corrupt and rx_crc_errors" "5 5" \
	"$(nstat b vb fault_rx_corrupt) $(($(nstat b vb rx_crc_errors) - crc0))"
nsx b "$VNETCTL" fault vb clear

vnet_unload
done_testing
