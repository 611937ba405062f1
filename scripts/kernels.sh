#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch one kernel of vnet's matrix and describe it for the harness.
#
# Usage: scripts/kernels.sh NAME        NAME: 6.1 | 6.12 | 7.2 | debug
#        scripts/kernels.sh selftests-7.2 DIR
#
# Prints shell assignments on stdout:
#   KREL     the kernel release (uname -r in the guest)
#   KIMAGE   what QEMU boots (an uncompressed vmlinux where we can)
#   KDIR     the kbuild tree to build the module against
#   KMODS    the guest's /lib/modules/$KREL (a host path; empty if none)
#   KCHROOT  a chroot to run the module build in (empty: build on the host)
# Everything is installed or built on first use and cached outside the repo.
# selftests-7.2 puts linux-source-7.2's NIC driver tests in DIR instead
# (see selftests_72()).
set -euo pipefail
. "$(dirname "$0")/common.sh"

# extract_vmlinux IN OUT: undo the bzImage compression (xz or zstd) so that
# QEMU can boot the ELF directly through its PVH note: saves ~2.5 s per boot.
extract_vmlinux() {
	local in=$1 out=$2 off magic
	[ -s "$out" ] && return 0
	for magic in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dcq'; do
		off=$(LC_ALL=C grep -obUaP "${magic%%:*}" "$in" | head -1 | cut -d: -f1 || true)
		[ -n "$off" ] || continue
		tail -c +"$((off + 1))" "$in" | ${magic#*:} > "$out.tmp" 2>/dev/null || true
		if readelf -h "$out.tmp" >/dev/null 2>&1; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	cp "$in" "$out"	# fall back to booting the compressed image
}

# newest_pkg REGEX [APT-CACHE-ARGS]: the highest-versioned package name matching REGEX.
newest_pkg() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -1
}

# image_download: linux-image-$KREL's package, or its unsigned twin, into
# the current directory.
image_download() {
	apt-get download -q "linux-image-$KREL" 2>/dev/null ||
		apt-get download -q "linux-image-$KREL-unsigned"
}

# debian_kernel: the Debian kernel $KREL. Its headers are installed on the
# host (the kbuild tree); its image package is only unpacked into the cache:
# installing it would build two initramfs images (~45 s each) that the
# harness never boots, and repoint /vmlinuz.
debian_kernel() {
	local dir="$VNET_CACHE/image-$KREL"
	vnet_apt "linux-headers-$KREL" kmod	# kmod: depmod, below
	if [ ! -f "$dir/.vnet-ready" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		# The signed image lags its headers in the archive at times;
		# the unsigned one is the same kernel, and QEMU checks no
		# signature.
		(cd "$dir" && { image_download || { apt-get update -q && image_download; }; }) >&2 ||
			vnet_die "cannot download linux-image-$KREL(-unsigned)"
		dpkg-deb -x "$dir"/linux-image-*.deb "$dir"
		rm -f "$dir"/*.deb
		depmod -b "$dir" "$KREL"
		touch "$dir/.vnet-ready"
	fi
	KIMAGE="$VNET_CACHE/vmlinux-$KREL"
	extract_vmlinux "$dir/boot/vmlinuz-$KREL" "$KIMAGE"
	KDIR="/lib/modules/$KREL/build"
	KMODS="$dir/lib/modules/$KREL"
	KCHROOT=
}

kernel_61() {
	vnet_apt linux-headers-amd64
	KREL=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	       grep -o 'linux-headers-6\.1[^ ,]*' | head -1 | sed 's/^linux-headers-//')
	[ -n "$KREL" ] || vnet_die "cannot tell the bookworm kernel's release"
	debian_kernel
}

kernel_612() {
	local list=/etc/apt/sources.list.d/vnet-bookworm-backports.list
	if [ ! -f "$list" ]; then
		echo "deb $(vnet_archive_uri) bookworm-backports main" > "$list"
		rm -f "$VNET_CACHE/.apt-updated"
		apt-get update -q >&2
		touch "$VNET_CACHE/.apt-updated"
	fi
	# The versioned packages only: the metapackages would upgrade
	# linux-libc-dev, bpftool and friends from backports.
	KREL=$(newest_pkg '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' | sed 's/^linux-headers-//')
	[ -n "$KREL" ] || vnet_die "bookworm-backports offers no 6.12 kernel"
	debian_kernel
}

# in_chroot ROOT CMD...: run CMD in ROOT with /proc and /dev mounted for it
# alone (objtool and apt need them), without touching the host's mounts.
in_chroot() {
	unshare -m sh -c 'root=$1; shift
		mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
		exec chroot "$root" "$@"' sh "$@"
}

# 7.2 needs gcc >= 14 and glibc >= 2.38 to build modules: a minimal sid
# chroot holds its headers, its image and its compiler, apart from the host.
kernel_72() {
	local root="$VNET_CACHE/sid-chroot" hdr ver img
	vnet_apt debootstrap
	if [ ! -f "$root/.vnet-ready" ]; then
		vnet_log "creating a sid chroot for the 7.x kernel in $root"
		rm -rf "$root"
		debootstrap --variant=minbase sid "$root" "$(vnet_archive_uri)" >&2 ||
			vnet_die "debootstrap sid failed"
		printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
			> "$root/etc/apt/apt.conf.d/99vnet"
		in_chroot "$root" apt-get -q update >&2
		hdr=$(in_chroot "$root" apt-cache depends linux-headers-amd64 |
		      awk '/Depends: linux-headers-[0-9]/ {print $2; exit}')
		[ -n "$hdr" ] || vnet_die "sid offers no versioned linux-headers"
		DEBIAN_FRONTEND=noninteractive in_chroot "$root" apt-get install -y -q \
			--no-install-recommends "$hdr" make kmod >&2 ||
			vnet_die "installing $hdr in the sid chroot failed"
		# The image is only unpacked: installing it would build an initrd.
		# 7.x splits it in linux-binary (the kernel) and linux-modules.
		ver=${hdr#linux-headers-}
		in_chroot "$root" sh -c "cd /tmp && apt-get download -q linux-image-$ver \
			\$(apt-cache show linux-image-$ver | sed -n 's/^Depends: //p' |
			   tr ',' '\n' | grep -o 'linux-\(binary\|modules\)-[^ ]*' | sort -u) &&
			for d in linux-*.deb; do dpkg-deb -x \$d /; done && rm -f linux-*.deb" >&2 ||
			vnet_die "unpacking linux-image-$ver failed"
		touch "$root/.vnet-ready"
	fi
	KREL=$(ls "$root/usr/lib/modules" | sort -V | tail -1)
	[ -f "$root/usr/lib/modules/$KREL/modules.dep" ] ||
		in_chroot "$root" depmod "$KREL"
	KIMAGE="$VNET_CACHE/vmlinux-$KREL"
	for img in "$root/boot/vmlinuz-$KREL" "$root/usr/lib/modules/$KREL/vmlinuz" ""; do
		[ -f "$img" ] && break
	done
	[ -n "$img" ] || vnet_die "no 7.x kernel image in $root"
	extract_vmlinux "$img" "$KIMAGE"
	KDIR="/usr/src/linux-headers-$KREL"	# a path inside the chroot
	KMODS="$root/usr/lib/modules/$KREL"
	KCHROOT="$root"
}

# selftests_72 DIR: linux-source-7.2's NIC driver tests
# (tools/testing/selftests/drivers/net, with net/lib), its ynl and its
# netlink specs, laid out as in the tree (the tests find ynl and the specs
# there), copied to DIR, with what the tests run built as the selftests'
# Makefiles build it (net/lib's XDP programs, xdp_helper and gro;
# drivers/net's napi_id_helper and so_txtime), and
# DIR/bin/ethtool: sid's, which speaks the JSON the tests ask for (the
# host's 6.1 does not), with the loader and libraries it was linked with
# (DIR/sid-lib: the guests do not see the cache). Fetched with
# apt in the sid chroot of the 7.x kernel, extracted once into the cache.
# DIR is made whole in DIR.tmp and only then put in place: a failure
# leaves no DIR that the tests would take for a usable one.
selftests_72() {
	local root="$VNET_CACHE/sid-chroot" ver src lib f dir="$1.tmp"
	kernel_72
	# sid drops superseded packages within days: with a stale index, the
	# download fails until apt's lists are fetched again.
	in_chroot "$root" apt-cache show linux-source-7.2 > /dev/null 2>&1 ||
		in_chroot "$root" apt-get update -q >&2 || true
	ver=$(in_chroot "$root" apt-cache show --no-all-versions linux-source-7.2 |
	      sed -n 's/^Version: //p' || true)
	[ -n "$ver" ] || vnet_die "sid offers no linux-source-7.2"
	src="$VNET_CACHE/ksft-$ver"
	if [ ! -e "$src/tools/testing/selftests/kselftest.h" ]; then
		rm -rf "$src.tmp" "$root/tmp/ksft"
		mkdir -p "$src.tmp" "$root/tmp/ksft"
		in_chroot "$root" sh -c "cd /tmp/ksft && { apt-get download -q linux-source-7.2 ||
			{ apt-get update -q && apt-get download -q linux-source-7.2; }; }" >&2 ||
			vnet_die "downloading linux-source-7.2 failed"
		dpkg-deb --fsys-tarfile "$root"/tmp/ksft/linux-source-7.2_*.deb |
			tar -xO ./usr/src/linux-source-7.2.tar.xz |
			tar -xJ -C "$src.tmp" --strip-components=1 \
				linux-source-7.2/tools/net/ynl linux-source-7.2/Documentation/netlink \
				linux-source-7.2/tools/testing/selftests/net/lib \
				linux-source-7.2/tools/testing/selftests/drivers/net \
				linux-source-7.2/tools/testing/selftests/kselftest.h ||
			vnet_die "extracting linux-source-7.2's selftests failed"
		rm -rf "$root/tmp/ksft" "$src"
		mv "$src.tmp" "$src"
	fi
	rm -rf "$dir"
	mkdir -p "$dir/bin"
	cp -r "$src/tools" "$src/Documentation" "$dir/"
	vnet_apt clang libbpf-dev gcc
	lib="$dir/tools/testing/selftests/net/lib"
	for f in "$lib"/*.bpf.c; do
		clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu \
			-c "$f" -o "${f%.c}.o" || vnet_die "building $f failed"
	done
	for f in "$lib/xdp_helper" "$lib/gro" "$lib/../../drivers/net/napi_id_helper" \
		 "$lib/../../drivers/net/so_txtime"; do
		gcc -O2 -I"$dir/tools/testing/selftests" -o "$f" "$f.c" ||
			vnet_die "building $f failed"
	done
	[ -x "$root/usr/sbin/ethtool" ] ||
		DEBIAN_FRONTEND=noninteractive in_chroot "$root" sh -c \
			"apt-get install -y -q --no-install-recommends ethtool ||
			 { apt-get update -q &&
			   apt-get install -y -q --no-install-recommends ethtool; }" >&2 ||
		vnet_die "installing ethtool in the sid chroot failed"
	mkdir -p "$dir/sid-lib"
	for f in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libmnl.so.0; do
		cp -L "$root/usr/lib/x86_64-linux-gnu/$f" "$dir/sid-lib/"
	done
	cp "$root/usr/sbin/ethtool" "$dir/sid-lib/"
	cat > "$dir/bin/ethtool" <<-'EOF'
	#!/bin/sh
	# sid's ethtool, with the loader and libraries it was linked with.
	lib=$(dirname "$0")/../sid-lib
	exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$lib/ethtool" "$@"
	EOF
	chmod +x "$dir/bin/ethtool"
	rm -rf "$1"
	mv "$dir" "$1"
}

kernel_debug() {
	local tree
	tree=$("$VNET_TOP/scripts/kernel-debug.sh")
	KREL=$(cat "$tree/include/config/kernel.release")
	# Not vmlinux: with its debug info (600 MB) QEMU's PVH boot fails silently.
	KIMAGE="$tree/arch/x86/boot/bzImage"
	KDIR="$tree"
	# The guest's /lib/modules: the few modules the build made, and
	# modules.builtin, without which modprobe of a built-in feature
	# (netconsole, pktgen) fails instead of doing nothing.
	KMODS="$tree/.vnet-mods/lib/modules/$KREL"
	if [ ! -f "$KMODS/modules.builtin" ]; then
		rm -rf "$tree/.vnet-mods"
		make -s -C "$tree" INSTALL_MOD_PATH="$tree/.vnet-mods" modules_install >&2 ||
			vnet_die "cannot install the debug kernel's modules"
	fi
	KCHROOT=
}

vnet_apt xz-utils zstd binutils
if [ "${1:-}" = selftests-7.2 ]; then
	[ -n "${2:-}" ] || vnet_die "usage: $0 selftests-7.2 DIR"
	selftests_72 "$2"
	exit 0
fi
case "${1:-}" in
6.1)	kernel_61 ;;
6.12)	kernel_612 ;;
7.2)	kernel_72 ;;
debug)	kernel_debug ;;
*)	vnet_die "usage: $0 6.1|6.12|7.2|debug" ;;
esac
printf 'KREL=%q\nKIMAGE=%q\nKDIR=%q\nKMODS=%q\nKCHROOT=%q\n' \
	"$KREL" "$KIMAGE" "$KDIR" "$KMODS" "$KCHROOT"
