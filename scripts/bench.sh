#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark (not a test): in one VM boot, the same work through a vnet
# pair and through a veth pair, alternating, and the vnet/veth ratios.
#   - pktgen: 60-byte frames (burst 1, clone_skb 0), counted at the peer's
#     rx_packets over the elapsed time;
#   - iperf3: one TCP stream for a few seconds.
# TCG distorts absolute numbers: read the ratios.
#
# Usage: scripts/bench.sh [KERNEL]     (6.1 by default)
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:-6.1}
vnet_guest_tools
vnet_apt iperf3 libmnl-dev libpcap-dev make gcc
make -s -C "$VNET_TOP/tools"
ko=$("$VNET_TOP/scripts/build.sh" "$kernel")
exec "$VNET_TOP/scripts/vm.sh" -t 900 "$kernel" "bash scripts/bench-guest.sh $ko"
