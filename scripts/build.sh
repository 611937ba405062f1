#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build vnet.ko for one kernel of the matrix into build/KERNEL/, with W=1.
# Any compiler warning fails the build. Prints the module's path.
#
# Usage: scripts/build.sh KERNEL [EXTRA-MAKE-ARGS...]
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:?usage: $0 KERNEL [MAKE-ARGS...]}
shift
vnet_apt make gcc
vnet_kernel "$kernel"
out="$VNET_TOP/build/$kernel"
rm -rf "$out"
mkdir -p "$out"
cp "$VNET_TOP"/src/*.[ch] "$VNET_TOP/src/Kbuild" "$out/"

log="$out/build.log"
if [ -n "$KCHROOT" ]; then
	# The sid chroot's gcc builds for the 7.x kernel; it sees $out at /mnt/vnet.
	unshare -m sh -c 'root=$1 out=$2 kdir=$3; shift 3
		mount -t proc proc "$root/proc" && mkdir -p "$root/mnt/vnet" &&
		mount --bind "$out" "$root/mnt/vnet" &&
		exec chroot "$root" make -C "$kdir" M=/mnt/vnet W=1 "$@" modules' \
		sh "$KCHROOT" "$out" "$KDIR" "$@" > "$log" 2>&1 || {
		cat "$log" >&2
		vnet_die "the build for $kernel failed"
	}
else
	make -C "$KDIR" M="$out" W=1 "$@" modules > "$log" 2>&1 || {
		cat "$log" >&2
		vnet_die "the build for $kernel failed"
	}
fi
if grep -E 'warning:|error:' "$log" | grep -v 'Skipping BTF' >&2; then
	vnet_die "the build for $kernel has warnings (see $log)"
fi
echo "$out/vnet.ko"
