#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vnet's whole test suite: the lint gate on the host, then every test case
# in a VM on each kernel of the matrix. Prints one line per check, named by
# its kernel, then "N passed, N failed"; exits non-zero on any failure.
#
# Usage: scripts/test.sh [-k "KERNELS"] [CASE...]
#   KERNELS defaults to "6.1 6.12 7.2 debug" (or $VNET_KERNELS);
#   CASEs are names under tests/cases (default: all).
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernels=${VNET_KERNELS:-"6.1 6.12 7.2 debug"}
lint=1
while getopts k:L o; do
	case $o in
	k) kernels=$OPTARG ;;
	L) lint=0 ;;
	*) vnet_die "usage: $0 [-k KERNELS] [-L] [CASE...]" ;;
	esac
done
shift $((OPTIND - 1))

vnet_guest_tools
res=$(mktemp -d "${TMPDIR:-/tmp}/vnet-test.XXXXXX")
trap 'rm -rf "$res"' EXIT
passed=0
failed=0
failures=()

record() {	# record ok|not-ok NAME
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		failures+=("$2")
		echo "not ok - $2"
	fi
}

# The userspace tools the tests drive, built like a user would.
vnet_apt libmnl-dev libpcap-dev libbpf-dev clang linux-libc-dev pkg-config make gcc
if make -s -C "$VNET_TOP/tools" > "$res/tools.log" 2>&1; then
	record ok "[host] tools (vnetctl, libvnet, vnet-pcap, vnet-responder, vnet-xdp, XDP programs) build with -Wall -Wextra -Werror"
else
	cat "$res/tools.log"
	record not-ok "[host] tools (vnetctl, libvnet, vnet-pcap, vnet-responder, vnet-xdp, XDP programs) build with -Wall -Wextra -Werror"
fi

if [ $lint = 1 ]; then
	while IFS= read -r line; do
		case $line in
		"ok "*) record ok "[host] ${line#ok - }" ;;
		"not ok "*) record not-ok "[host] ${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done < <("$VNET_TOP/scripts/lint.sh" --ktap 2>&1)
fi

for k in $kernels; do
	start=$(date +%s)
	echo "=== kernel $k ==="
	if ! ko=$("$VNET_TOP/scripts/build.sh" "$k"); then
		record not-ok "[$k] vnet.ko builds warning-free"
		continue
	fi
	record ok "[$k] vnet.ko builds warning-free"
	limit=1500
	mem=1024
	[ "$k" = debug ] && limit=3600 mem=2048
	mkdir -p "$res/$k"
	VNET_OUT="$res/$k" VNET_CONSOLE="$res/$k.console" \
		"$VNET_TOP/scripts/vm.sh" -t "$limit" -m "$mem" "$k" \
		"tests/guest-run.sh $ko $*" > "$res/$k.log" 2>&1
	rc=$?
	if [ -f "$res/$k/results.ktap" ]; then
		while IFS= read -r line; do
			case $line in
			"ok "*) record ok "[$k] ${line#ok * - }" ;;
			"not ok "*) record not-ok "[$k] ${line#not ok * - }" ;;
			"# "*) echo "    $line" ;;
			esac
		done < "$res/$k/results.ktap"
	fi
	case $rc in
	0|1) record ok "[$k] the guest ran to the end" ;;
	124) record not-ok "[$k] the guest ran to the end (timed out)" ;;
	*) record not-ok "[$k] the guest ran to the end (died: exit $rc)" ;;
	esac
	if [ $rc -gt 1 ]; then
		echo "--- last console lines of $k ---"
		tail -40 "$res/$k.log"
	fi
	echo "=== kernel $k: $(($(date +%s) - start))s ==="
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failed:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
