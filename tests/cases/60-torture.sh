#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The torture test, short: 45 s of traffic on pairs and standalone
# devices under random control operations and faults from two seeded
# workers, then everything must come back (accounting per pair, teardown,
# rmmod, dmesg). Seed 1 unless VNET_TORTURE_SEED is set, so that the suite
# replays the same operations every run; scripts/torture.sh runs longer.
# The suite's runner scans kmemleak once at its end, not here. On the
# debug kernel the middle 15 s fail vnet's control-path allocations
# (fail_function), as scripts/torture.sh does.
VNET_TORTURE_KMEMLEAK=0 exec bash "$(dirname "$0")/../torture-guest.sh" \
	"${VNET_TORTURE_SEED:-1}" "${VNET_TORTURE_SECONDS:-45}"
