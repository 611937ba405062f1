#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interrupt moderation (ethtool -C): rx-usecs delays each RX interrupt (and
# shows in ping's RTT), rx-frames and tx-frames cut the interrupt and NAPI
# poll counts to one per batch, bad values are refused with a message; the
# core's IRQ deferral (napi_defer_hard_irqs) and busy polling (rx_poll_us)
# keep the interrupt masked; adaptive-rx moderates a flood and only a flood.
. "$(dirname "$0")/../lib.sh"
plan 33

vnet_load devices=0
quiet_pair
check_eq "defaults: no moderation" "0 0 0 0" "$(nsx b ethtool -c vb |
	awk '/^rx-usecs:|^rx-frames:|^tx-usecs:|^tx-frames:/ {printf "%s ", $2}' | xargs)"

# irqs DEV-NS DEV COUNTER: one counter of a pair end.
irqs() { nstat "$1" "$2" "$3"; }

# rx-usecs: each lone echo request waits 20 ms for its interrupt.
nsx b ethtool -C vb rx-usecs 20000
check_eq "ethtool -c reports it" 20000 "$(nsx b ethtool -c vb | awk '/^rx-usecs:/ {print $2}')"
r0=$(irqs b vb rx_irqs)
read -r min _ <<< "$(rtt 10)"
check_range "rx-usecs 20000 at vb: every RTT is at least 20 ms" 20 $((1000 * VNET_SLOW)) "$min"
check_eq "one RX interrupt per lone frame, raised by the timer" 10 $(($(irqs b vb rx_irqs) - r0))

# rx-frames: 300 datagrams, 2 ms apart; an interrupt every 10.
nsx b ethtool -C vb rx-usecs 0
r0=$(irqs b vb rx_irqs) p0=$(irqs b vb napi_polls)
out=$(udp_run 300)
r1=$(($(irqs b vb rx_irqs) - r0)) p1=$(($(irqs b vb napi_polls) - p0))
nsx b ethtool -C vb rx-usecs 500000 rx-frames 10
r0=$(irqs b vb rx_irqs) p0=$(irqs b vb napi_polls)
out=$(udp_run 300)
r2=$(($(irqs b vb rx_irqs) - r0)) p2=$(($(irqs b vb napi_polls) - p0))
check_eq "all 300 datagrams arrive" 300 "$(field datagrams "$out")"
check_range "rx-frames 10: about 30 RX interrupts (without: $r1)" 28 45 "$r2"
check_range "and as few NAPI polls (without: $p1)" 28 $((45 + 10)) "$p2"
nsx b ethtool -C vb rx-usecs 0 rx-frames 0
r0=$(irqs b vb rx_irqs)
udp_run 100 > /dev/null
check_range "moderation off: an interrupt per frame again" 100 110 $(($(irqs b vb rx_irqs) - r0))

# tx-frames: the TX-done interrupt (the ring path: a TX latency of 100 us).
# Completions come later, BQL holds frames back in the qdisc: a plain FIFO,
# since fq_codel would drop what waits there (as it should).
nsx a tc qdisc replace dev va root pfifo
vset va,vb tx-delay 100us
t0=$(irqs a va tx_irqs)
udp_run 100 > /dev/null
t1=$(($(irqs a va tx_irqs) - t0))
nsx a ethtool -C va tx-usecs 500000 tx-frames 10
t0=$(irqs a va tx_irqs)
out=$(udp_run 300)
t2=$(($(irqs a va tx_irqs) - t0))
check_eq "with tx-frames 10 all 300 datagrams arrive" 300 "$(field datagrams "$out")"
check_range "tx-frames 10: 300 frames, under 50 TX-done interrupts (100 frames without: $t1)" \
	10 49 "$t2"
# The hardware sends a frame before it raises the TX-done interrupt, as a
# NIC does: moderating that interrupt (1 s, the most) delays the driver's
# clean of the descriptors, not the frames on the wire. (Until the TX
# engine delivered itself, frames waited for the sender's NAPI: a second.)
nsx a ethtool -C va tx-usecs 1000000 tx-frames 0
sleep 0.6	# the 500 ms timer armed above has fired
t0=$(irqs a va tx_irqs)
read -r _ max _ <<< "$(rtt 3)"
check_range "tx-usecs 1 s at va: every RTT is still under 500 ms" 0 499 "$max"
check_range "and the TX-done interrupts wait: at most one for 3 requests" 0 1 \
	$(($(irqs a va tx_irqs) - t0))
vset va,vb tx-delay 0
nsx a ethtool -C va tx-usecs 0 tx-frames 0

# IRQ deferral, the core's (napi_defer_hard_irqs, gro_flush_timeout): while
# frames keep coming the core's timer polls vb every 5 ms and vb's
# interrupt stays masked; once the deferral ends it is unmasked, and
# nothing waits in the ring.
defer() { nsx b sh -c "echo $1 > /sys/class/net/vb/napi_defer_hard_irqs; echo $2 > /sys/class/net/vb/gro_flush_timeout"; }
defer 100 5000000
r0=$(irqs b vb rx_irqs) p0=$(irqs b vb napi_polls)
out=$(udp_run 300)
r3=$(($(irqs b vb rx_irqs) - r0)) p3=$(($(irqs b vb napi_polls) - p0))
check_eq "with IRQ deferral all 300 datagrams arrive" 300 "$(field datagrams "$out")"
check_range "the timer polls: under 60 RX interrupts for them (without: $r1; polls: $p3)" \
	1 59 "$r3"
defer 0 0
sleep 1
r0=$(irqs b vb rx_irqs)
out=$(udp_run 100)
check_eq "deferral off: all 100 datagrams arrive" 100 "$(field datagrams "$out")"
check_range "and an interrupt per frame again" 100 110 $(($(irqs b vb rx_irqs) - r0))

# Busy polling (vnetctl set rx-poll): while datagrams keep coming (2 ms apart, the
# window 100 ms) vb's NAPI keeps polling with its interrupt masked; once they
# stop it completes and polls no more. The window is wide because the
# sender's vCPU can stall for tens of ms on a host busy with other guests
# (20 ms gave 43 interrupts for 300 datagrams once, 7.2 with irq_spread=1).
vset vb rx-poll 100ms
r0=$(irqs b vb rx_irqs) p0=$(irqs b vb napi_polls)
out=$(udp_run 300)
r4=$(($(irqs b vb rx_irqs) - r0)) p4=$(($(irqs b vb napi_polls) - p0))
check_eq "with busy polling all 300 datagrams arrive" 300 "$(field datagrams "$out")"
check_range "NAPI polls on its own: under 30 RX interrupts for them (without: $r1)" 1 29 "$r4"
check "more polls than frames: it polls an empty ring ($p4 polls)" test "$p4" -gt 300
polls_still() {	# napi_polls does not move for 0.3 s
	local p
	p=$(irqs b vb napi_polls)
	sleep 0.3
	[ "$p" = "$(irqs b vb napi_polls)" ]
}
check "after the last frame it stops polling" wait_for $((5 * VNET_SLOW)) polls_still
vset vb rx-poll 0
r0=$(irqs b vb rx_irqs)
udp_run 100 > /dev/null
check_range "busy polling off: an interrupt per frame again" 100 110 $(($(irqs b vb rx_irqs) - r0))

check_fails "rx-usecs above 1 s is refused" "rx-usecs and tx-usecs are at most 1000000" \
	nsx b ethtool -C vb rx-usecs 1000001
check_fails "rx-frames above 4096 is refused" "rx-frames and tx-frames are at most 4096" \
	nsx b ethtool -C vb rx-frames 5000
check_fails "adaptive TX moderation is not supported" "unsupported parameter" \
	nsx b ethtool -C vb adaptive-tx on

# adaptive-rx: the moderation follows the interrupt rate. Sparse frames
# keep an interrupt each; a flood (over 20,000 interrupts a second) is
# moderated (rx_adapt_bulk), and lone frames after it end that
# (rx_adapt_lowlat).
adaptive() { nsx b ethtool -c vb | awk '/^Adaptive RX:/ {print $3}'; }
check_eq "adaptive-rx is off by default" off "$(adaptive)"
nsx b ethtool -C vb adaptive-rx on
check_eq "ethtool -c reports adaptive-rx on" on "$(adaptive)"
b0=$(irqs b vb rx_adapt_bulk) r0=$(irqs b vb rx_irqs)
udp_run 100 > /dev/null
check_range "adaptive-rx, frames 2 ms apart: an interrupt each" 100 110 \
	$(($(irqs b vb rx_irqs) - r0))
check_eq "and no moderation" "$b0" "$(irqs b vb rx_adapt_bulk)"
# The flood goes to an XDP_DROP program, so that with irq_spread=0 the
# receive path (on pktgen's CPU) costs the sender little.
ip -n b link set dev vb xdpdrv obj "$VNET_TESTS/../tools/bpf/vnet_xdp_progs.o" program xdp_drop
rx0=$(irqs b vb rx_packets) r0=$(irqs b vb rx_irqs)
pps=$(nsx a "$VNET_TESTS/helpers/pktgen.sh" va 5000 60 1 "$(nsx b cat /sys/class/net/vb/address)" |
	grep -o '[0-9]*pps' | head -1)
pps=${pps%pps}
rx_all() { [ $(($(irqs b vb rx_packets) - rx0)) -ge 5000 ]; }
check "all 5000 flooded frames arrive" wait_for $((5 * VNET_SLOW)) rx_all
r1=$(($(irqs b vb rx_irqs) - r0))
b1=$(irqs b vb rx_adapt_bulk)
ip -n b link set dev vb xdpdrv off
if [ "${pps:-0}" -ge 30000 ]; then
	check "a flood of ${pps} frames/s is moderated (rx_adapt_bulk)" test "$b1" -gt "$b0"
	check_range "under 1250 RX interrupts for 5000 frames" 1 1249 "$r1"
else
	skip "a flood is moderated (rx_adapt_bulk)" "pktgen sent only ${pps:-0} frames/s here"
	skip "under 1250 RX interrupts for 5000 frames" "no flood"
fi
rtt 5 > /dev/null
check_eq "lone frames after it end the moderation (rx_adapt_lowlat)" "$b1" \
	"$(irqs b vb rx_adapt_lowlat)"
nsx b ethtool -C vb adaptive-rx off
r0=$(irqs b vb rx_irqs)
udp_run 100 > /dev/null
check_range "adaptive-rx off: an interrupt per frame" 100 110 $(($(irqs b vb rx_irqs) - r0))
vnet_unload
done_testing
