#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's KUnit suites (ring arithmetic, frame builder, classifier,
# the TX engine's stop, wire room and interrupt mask, the RX completions the
# receive hardware writes, ndo_xdp_xmit into a queue out of use, a flap
# against a stopping peer, a wire without its far side) run at insmod on
# kernels with KUnit; insmod succeeds even when a KUnit test fails, so
# read the results.
. "$(dirname "$0")/../lib.sh"
plan 7

if [ ! -d /sys/kernel/debug/kunit ] && ! grep -q '^CONFIG_KUNIT=y' "/boot/config-$(uname -r)" 2>/dev/null; then
	skip "vnet_ring suite" "this kernel has no KUnit"
	skip "vnet_frame suite" "this kernel has no KUnit"
	skip "vnet_tx_hw suite" "this kernel has no KUnit"
	skip "vnet_rx_hw suite" "this kernel has no KUnit"
	skip "vnet_xdp suite" "this kernel has no KUnit"
	skip "vnet_fault suite" "this kernel has no KUnit"
	skip "vnet_wire suite" "this kernel has no KUnit"
	done_testing
fi
vnet_load rx_interval_ms=0
for s in vnet_ring vnet_frame vnet_tx_hw vnet_rx_hw vnet_xdp vnet_fault vnet_wire; do
	r=/sys/kernel/debug/kunit/$s/results
	if [ ! -f "$r" ]; then
		fail "$s suite" "no $r: the suite did not run"
	elif grep -q '^ *not ok' "$r"; then
		fail "$s suite" "$(grep -B20 'not ok' "$r" | head -40)"
	elif [ "$(grep '^    ok ' "$r" | grep -vc '# SKIP')" -lt 1 ]; then
		# A suite whose every test skipped (no kprobes...) passed nothing.
		skip "$s suite" "no test of it ran: $(grep -m1 '# SKIP' "$r")"
	else
		ok "$s suite ($(grep '^    ok ' "$r" | grep -vc '# SKIP') tests)"
	fi
done
vnet_unload
done_testing
