#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks (not tests), each in one VM boot, the same work on vnet and
# on the in-kernel peer, alternating, and the ratios:
#   pair  a vnet pair vs a veth pair (scripts/bench-guest.sh), the module
#         at its defaults: pktgen 60-byte frames (burst 1, clone_skb 0),
#         counted at the peer's rx_packets over the elapsed time, to a
#         cheap receiver (an address it drops at routing) and a heavy one
#         (its own: UDP); iperf3, one TCP stream; per-round ratios;
#   port  /dev/vnet vs tap (scripts/bench-port-guest.sh): frames/s injected
#         and captured, per frame and batched;
#   xdp   XDP_DROP and XDP_TX on a vnet vs a veth pair end, and
#         XDP_REDIRECT from a veth into vnet vs into veth
#         (scripts/bench-xdp-guest.sh), pktgen 60-byte frames; with REF,
#         the same on vnet with this tree's module and REF's, in turns.
#   overhead  the pair benchmark on a vnet pair, every fault off, with
#         this tree's module and with one built from REF (default c799007,
#         the last commit before faults, tracepoints, coalescing and line
#         rate): what that layer costs when nothing is set.
# TCG distorts absolute numbers: read the ratios.
#
# Usage: scripts/bench.sh [KERNEL] [pair|port|xdp [REF]|all|overhead [REF]]
#        (6.1, all by default)
set -euo pipefail
# A failing step inside $(...) - a REF that does not build - ends the run.
shopt -s inherit_errexit
. "$(dirname "$0")/common.sh"

kernel=${1:-6.1}
what=${2:-all}
vnet_guest_tools
vnet_apt iperf3 libmnl-dev libpcap-dev libbpf-dev clang linux-libc-dev make gcc
make -s -C "$VNET_TOP/tools"
ko=$("$VNET_TOP/scripts/build.sh" "$kernel")
# A thread per vCPU: the benchmarks measure a sender and a receiver on two
# CPUs at once, which single-threaded TCG (scripts/vm.sh's default, for
# the tests) would take in turns. A benchmark boot that meets that mode's
# stale-text hang is run again; it decides no test.
export VNET_TCG_THREAD=${VNET_TCG_THREAD:-multi}
# The guest's clock from the TSC (tsc=reliable): under TCG the kernel
# finds the TSC unstable and falls back to the HPET, whose every read is a
# device access QEMU serialises; pktgen reads the clock per frame, and a
# guest profile of the pair benchmark had read_hpet at 5-10% of all
# samples (2026-12-08), more than vnet's whole driver. What the
# benchmarks compare is the driver, not the emulated clock.
# VNET_BENCH_CLOCK=hpet keeps the kernel's choice.
[ "${VNET_BENCH_CLOCK:-tsc}" = hpet ] || export VNET_APPEND="tsc=reliable ${VNET_APPEND:-}"
# The guest gets the run's settings on its command line.
env=""
for v in VNET_BENCH_ROUNDS VNET_BENCH_FRAMES VNET_BENCH_SECONDS VNET_BENCH_GRO \
	 VNET_BENCH_IRQ_SPREAD VNET_BENCH_RX_POLL_US VNET_BENCH_THREADS VNET_BENCH_ADAPTIVE_RX; do
	[ -n "${!v:-}" ] && env="$env $v=${!v}"
done
# ref_module REF: the path of the module built from REF's own tree and scripts.
ref_module() {
	local refdir="$VNET_TOP/build/ref"

	rm -rf "$refdir"
	mkdir -p "$refdir"
	git -C "$VNET_TOP" archive "$1" | tar -x -C "$refdir"
	"$refdir/scripts/build.sh" "$kernel"
}
case $what in
overhead)
	refko=$(ref_module "${3:-c799007}")
	"$VNET_TOP/scripts/vm.sh" -t 1500 "$kernel" "$env bash scripts/bench-guest.sh $ko $refko" ;;
xdp)
	refko=""
	[ -z "${3:-}" ] || refko=$(ref_module "$3")
	"$VNET_TOP/scripts/vm.sh" -t 1500 "$kernel" "$env bash scripts/bench-xdp-guest.sh $ko $refko" ;;
pair|all) "$VNET_TOP/scripts/vm.sh" -t 900 "$kernel" "$env bash scripts/bench-guest.sh $ko" ;;&
port|all) "$VNET_TOP/scripts/vm.sh" -t 900 "$kernel" "$env bash scripts/bench-port-guest.sh $ko" ;;&
all) "$VNET_TOP/scripts/vm.sh" -t 900 "$kernel" "$env bash scripts/bench-xdp-guest.sh $ko" ;;
pair|port) ;;
*) vnet_die "usage: $0 [KERNEL] [pair|port|xdp [REF]|all|overhead [REF]]" ;;
esac
