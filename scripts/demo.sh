#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Show vnet working: boot a VM with Debian's 6.1 kernel, load vnet, and
# watch the synthetic ARP requests arrive and the stack's frames leave.
#
# Usage: scripts/demo.sh [KERNEL]     (6.1 by default; 6.12, 7.2, debug)
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:-6.1}
vnet_guest_tools
ko=$("$VNET_TOP/scripts/build.sh" "$kernel")
exec "$VNET_TOP/scripts/vm.sh" -t 300 "$kernel" "bash scripts/demo-guest.sh $ko"
