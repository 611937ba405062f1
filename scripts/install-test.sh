#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a user's installation does, checked on the host into scratch
# directories (nothing outside them changes, but for the key pair DKMS
# makes in /var/lib/dkms on first use to sign modules, as on a user's
# machine): for KERNEL's kbuild tree,
#   1. make install (the module with INSTALL_MOD_PATH, the tools, libvnet
#      and the Python package with DESTDIR), then make uninstall: the
#      files come and go;
#   2. make dkms-install into scratch DKMS trees (--dkmstree,
#      --sourcetree, --installtree) for KERNEL's release: DKMS builds the
#      module from the copied sources, modinfo gives the tree's version
#      and KERNEL's vermagic; then make dkms-remove leaves nothing.
# Works on a copy of the working tree (src, lib, tools, examples, python,
# the Makefile and dkms.conf), so that the builds leave the tree as it was.
# Prints one "ok"/"not ok" line per step; exits non-zero if one failed.
#
# Usage: scripts/install-test.sh KERNEL
set -uo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:?usage: $0 KERNEL}
vnet_apt dkms make gcc libmnl-dev libpcap-dev libbpf-dev clang kmod
vnet_kernel "$kernel"
if [ -n "$KCHROOT" ]; then
	echo "ok - [host $kernel] install and DKMS # SKIP the kernel's headers live in the sid chroot, which has no dkms"
	exit 0
fi
# The release the tree builds for (modules_install's directory, the
# module's vermagic): UTS_RELEASE, as the Makefile's uninstall reads it
# (Debian's 6.1 headers' kernelrelease says 6.1.192 for 6.1.0-NN-amd64).
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h")
[ -n "$krel" ] || vnet_die "no UTS_RELEASE in $KDIR"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/vnet
mkdir -p "$tree"
cp -a "$VNET_TOP"/{src,lib,tools,examples,python,Makefile,dkms.conf} "$tree/"
make -s -C "$tree" clean-module > /dev/null
make -s -C "$tree/tools" clean > /dev/null
version=$(make -s -C "$tree" --no-print-directory -f - print-version <<'EOF'
include Makefile
print-version:
	@echo $(VERSION)
EOF
)
failed=0
step() {	# step NAME COMMAND...: one check; its output shown if it fails
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok - [host $kernel] $name"
	else
		echo "$out" | tail -15 | sed 's/^/# /'
		echo "not ok - [host $kernel] $name"
		failed=1
	fi
}

root=$tmp/root
install_check() {
	make -C "$tree" KDIR="$KDIR" INSTALL_MOD_PATH="$root" DESTDIR="$root" \
		PREFIX=/usr install > /dev/null || return 1
	local ko
	ko=$(find "$root/lib/modules/$krel" -name 'vnet.ko*' | head -1)
	[ -n "$ko" ] || { echo "no vnet.ko under $root/lib/modules/$krel"; return 1; }
	[ -x "$root/usr/sbin/vnetctl" ] || { echo "no $root/usr/sbin/vnetctl"; return 1; }
	[ -f "$root/usr/include/vnet/libvnet.h" ] || { echo "no libvnet.h"; return 1; }
	# The Python package, where Debian's python3 finds it (vnet.scapy
	# needs scapy to import: its file is looked for).
	[ -f "$root/usr/lib/python3/dist-packages/vnet/scapy.py" ] &&
	PYTHONPATH="$root/usr/lib/python3/dist-packages" python3 -c \
		'import vnet, sys; sys.exit(not vnet.__file__.startswith(sys.argv[1]))' \
		"$root/" || { echo "the vnet Python package is not under $root/usr/lib/python3/dist-packages"; return 1; }
	make -C "$tree" KDIR="$KDIR" INSTALL_MOD_PATH="$root" DESTDIR="$root" \
		PREFIX=/usr uninstall > /dev/null || return 1
	# What modules_install leaves beside the module is depmod's index.
	local left
	left=$(find "$root" -type f ! -name 'modules.*' | head -5)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
step "make install, then make uninstall, into a scratch root" install_check

dk=$tmp/dkms
dkms_check() {
	local flags="--dkmstree $dk/tree --sourcetree $dk/src --installtree $dk/mods"
	local kflags="-k $krel --kernelsourcedir $KDIR"
	# DKMS installs only for a kernel whose module directory exists.
	mkdir -p "$dk/tree" "$dk/src" "$dk/mods/$krel"
	make -C "$tree" DKMS_SRC="$dk/src/vnet-$version" DKMS_FLAGS="$flags" \
		DKMS_KERNEL_FLAGS="$kflags" dkms-install || return 1
	local ko info
	ko=$(find "$dk/mods" -name 'vnet.ko*' | head -1)
	[ -n "$ko" ] || { echo "dkms installed no vnet.ko under $dk/mods"; return 1; }
	info=$(modinfo -F version "$ko") || return 1
	[ "$info" = "$version" ] || { echo "modinfo version '$info', not $version"; return 1; }
	info=$(modinfo -F vermagic "$ko") || return 1
	[ "${info%% *}" = "$krel" ] || { echo "vermagic '$info', not for $krel"; return 1; }
	make -C "$tree" DKMS_SRC="$dk/src/vnet-$version" DKMS_FLAGS="$flags" \
		dkms-remove || return 1
	local left
	left=$(find "$dk" -name 'vnet*' | head -5)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
step "make dkms-install builds and installs vnet $version for $krel (scratch DKMS trees); dkms-remove leaves nothing" dkms_check
exit "$failed"
