#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The torture test (robustness issue 22): builds vnet.ko, boots one guest
# and runs tests/torture-guest.sh in it for MINUTES: traffic on pairs and
# standalone devices while seeded workers change everything that can be
# changed, then the checks that everything came back. Prints the guest's
# KTAP lines and a verdict; on a failure, the seed and the command that
# replays it (the same operations in the same order per worker).
#
# Usage: scripts/torture.sh [-k KERNEL] [-s SEED] [-m MINUTES] [-t SECONDS]
#   KERNEL: one of the matrix (default debug: KASAN, lockdep, kmemleak and
#   fault injection see most); SEED: default from the date; MINUTES: of
#   chaos, default 2; SECONDS: the guest's time limit, default the chaos
#   plus a margin for one guest alone on the host (several side by side
#   need more). The guest's logs (every operation, by worker and
#   step) are kept in $VNET_TORTURE_OUT (default build/torture/SEED).
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernel=debug
seed=$(date +%s)
minutes=2
limit=
while getopts k:s:m:t: o; do
	case $o in
	k) kernel=$OPTARG ;;
	s) seed=$OPTARG ;;
	m) minutes=$OPTARG ;;
	t) limit=$OPTARG ;;
	*) vnet_die "usage: $0 [-k KERNEL] [-s SEED] [-m MINUTES] [-t SECONDS]" ;;
	esac
done
[[ $seed =~ ^[0-9]+$ ]] || vnet_die "SEED must be a number"
if ! [[ $minutes =~ ^[1-9][0-9]*$ ]]; then
	vnet_die "MINUTES must be a positive number"
fi
if [ -n "$limit" ] && ! [[ $limit =~ ^[1-9][0-9]*$ ]]; then
	vnet_die "SECONDS must be a positive number"
fi
replay="scripts/torture.sh -k $kernel -s $seed -m $minutes"

vnet_guest_tools
vnet_apt libmnl-dev libpcap-dev libbpf-dev clang pkg-config make gcc socat iperf3
make -s -C "$VNET_TOP/tools" >&2 || vnet_die "the tools do not build"
ko=$("$VNET_TOP/scripts/build.sh" "$kernel") || vnet_die "vnet.ko does not build for $kernel"
ko=${ko#"$VNET_TOP"/}

# The guest's time limit: the chaos, plus a margin for the boot, the
# setup, the final checks and teardown, and (debug) two kmemleak scans;
# the debug kernel does everything 5-8 times slower.
margin=180 mem=1024
if [ "$kernel" = debug ]; then
	margin=900 mem=2048
fi
[ -n "$limit" ] || limit=$((minutes * 60 + margin))
if [ "$limit" -le $((minutes * 60 + 180)) ]; then
	vnet_die "a guest limit of ${limit}s leaves no time past the chaos (${minutes} min) for setup and checks"
fi
out=${VNET_TORTURE_OUT:-$VNET_TOP/build/torture/$seed}
rm -rf "$out"
mkdir -p "$out"
echo "# torture: kernel $kernel, seed $seed, $minutes min of chaos, guest limit ${limit}s"
echo "# replay: $replay"
t0=$(date +%s)
VNET_OUT="$out" VNET_CONSOLE="$out/console" "$VNET_TOP/scripts/vm.sh" -t "$limit" -m "$mem" \
	"$kernel" "VNET_KO=$ko tests/torture-guest.sh $seed $((minutes * 60)) 2>&1 |
		tee \"\$VNET_WORK/torture.ktap\"; exit \${PIPESTATUS[0]}" > "$out/vm.log" 2>&1
rc=$?
echo "# the guest ran $(($(date +%s) - t0)) s (vm.sh exit $rc); logs in $out"
grep -aE '^(not )?ok [0-9]+ - |^# ' "$out/torture.ktap" 2> /dev/null
# A guest that exits 0 must also have run its whole plan.
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out/torture.ktap" 2> /dev/null | head -1)
ran=$(grep -acE '^(not )?ok [0-9]+ - ' "$out/torture.ktap" 2> /dev/null)
if [ "$rc" = 0 ] && [ "${planned:-none}" != "$ran" ]; then
	echo "not ok - ran its plan (planned ${planned:-none}, ran $ran)"
	rc=1
fi
case $rc in
0) echo "PASS: torture seed $seed on $kernel"
   exit 0 ;;
124) why="the guest timed out after ${limit}s" ;;
125) why="the guest died (panic, oops, RCU stall)" ;;
*) why="checks failed (exit $rc)" ;;
esac
if [ "$rc" -ge 124 ]; then
	echo "--- last console lines ---"
	tail -80 "$out/vm.log"
	echo "--- its last operations (kernel log marks) ---"
	grep -a 'vnet-test: torture' "$out/vm.log" | tail -12
fi
echo "FAIL: torture seed $seed on $kernel: $why"
echo "replay: $replay"
exit 1
