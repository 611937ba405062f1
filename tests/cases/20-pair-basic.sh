#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A pair across two namespaces: creation with vnetctl, ip link's view
# (A@B, link-netns), ping over IPv4 and IPv6, ethtool -S naming the peer,
# and the standalone kind through stock iproute2.
. "$(dirname "$0")/../lib.sh"
plan 21

vnet_load devices=0
check "vnetctl makes a pair across two namespaces" pair_setup
check "ip link shows va@ its peer, in the other namespace" \
	bash -c "ip -o -n a link show va | grep -q 'va@if[0-9]*:.*link-netns b'"
check_eq "ethtool -S names the peer's ifindex" \
	"$(ip -n b -o link show vb | cut -d: -f1)" "$(nstat a va peer_ifindex)"
check "carrier is up on both ends" \
	bash -c "ip -n a link show va | grep -q LOWER_UP && ip -n b link show vb | grep -q LOWER_UP"
check "ping over IPv4" nsx a ping -c 3 -i 0.2 -W 2 10.9.0.2
check "ping over IPv6" nsx a ping -6 -c 3 -i 0.2 -W 2 fd00::2
check_range "va transmitted what vb received (IPv4 counted)" 3 999 "$(nstat b vb rx_ipv4)"
# IPv6 autoconfiguration may still be talking: the two counters, read at
# different moments, must converge (nothing lost), not match on one read.
converged() { [ "$(nstat a va tx_packets)" = "$(nstat b vb rx_packets)" ]; }
check "tx(va) = rx(vb) once in-flight frames land" wait_for $((3 * VNET_SLOW)) converged
# A lone frame (ping) on an idle queue: the engine sends it at the
# doorbell, and xmit reclaims its descriptor there, the doorbell's pass
# raising no TX-done interrupt; with a TX latency the engine sends it from
# its timer, and the TX-done interrupt has NAPI reclaim it.
txclean() {	# "tx_packets tx_xmit_cleaned tx_irqs" of va, from one snapshot
	nsx a ethtool -S va | awk '$1 == "tx_packets:" {t = $2}
		$1 == "tx_xmit_cleaned:" {c = $2} $1 == "tx_irqs:" {i = $2}
		END {print t, c, i}'
}
read -r t0 c0 i0 <<< "$(txclean)"
nsx a ping -c 20 -i 0.05 -W 2 10.9.0.2 > /dev/null
read -r t1 c1 i1 <<< "$(txclean)"
check_eq "20 pings on an idle queue: every descriptor reclaimed by xmit" $((t1 - t0)) $((c1 - c0))
check_eq "and no TX-done interrupt was needed" "$i0" "$i1"
vset va tx-delay 100us
read -r t0 c0 i0 <<< "$(txclean)"
b0=$(nstat b vb tx_xmit_cleaned)
nsx a ping -c 20 -i 0.05 -W 2 10.9.0.2 > /dev/null
# Read before the switch back: a background frame (IPv6 MLD/ND) sent after
# it would rightly be reclaimed by xmit.
read -r t1 c1 i1 <<< "$(txclean)"
b1=$(nstat b vb tx_xmit_cleaned)
vset va tx-delay 0
check_eq "with a TX latency of 100 us on va (vnetctl set) none is: 20+ frames, a TX-done interrupt each" \
	"0 yes yes" "$((c1 - c0)) $([ $((t1 - t0)) -ge 20 ] && echo yes) $([ $((i1 - i0)) -ge 20 ] && echo yes)"
check_range "the setting is va's alone: vb's 20 replies are still reclaimed by xmit" 20 999 $((b1 - b0))
# RX interrupts go to the other CPU (irq-spread on; the guest has 2 CPUs)
# when a sender raises them, stay on the CPU serving softirqs when the
# receive path does, and always stay with irq-spread off (veth's way).
vset va,vb irq-spread on
ia=$(nstat a va irq_ipis) ib=$(nstat b vb irq_ipis)
nsx a ping -c 10 -i 0.05 -W 2 10.9.0.2 > /dev/null
check_range "10 echo requests (ping's process context): vb's interrupts reach the other CPU by IPI" \
	10 999 $(($(nstat b vb irq_ipis) - ib))
# (2 of slack: an IPv6 report sent from a workqueue is a sender too.)
check_range "10 replies (sent from vb's receive softirq): va's interrupts stay there" \
	0 2 $(($(nstat a va irq_ipis) - ia))
vset va,vb irq-spread off
sleep 0.5	# an interrupt raised just before the switch is counted first
i0=$(nstat b vb irq_ipis)
nsx a ping -c 5 -i 0.05 -W 2 10.9.0.2 > /dev/null
check_eq "with irq-spread off none does" "$i0" "$(nstat b vb irq_ipis)"
check "vnetctl show prints the pair with its counters" \
	bash -c "ip netns exec a $VNETCTL show va | grep -q 'peer-ifindex' && ip netns exec a $VNETCTL show va | grep -q rx_ipv4"
check "vnetctl -n a show va: the same, from the initial namespace" \
	bash -c "$VNETCTL -n a show va | grep -q 'peer-ifindex'"
check_fails "vnetctl -n with a namespace that does not exist" "no network namespace 'nope'" \
	"$VNETCTL" -n nope show
check "ip link add ... type vnet makes a standalone device" ip link add name s1 type vnet
check_eq "whose ethtool -S names no peer" 0 "$(stat s1 peer_ifindex)"
check "ip link del removes it" ip link del s1
vnet_unload
done_testing
