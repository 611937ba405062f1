# SPDX-License-Identifier: GPL-2.0
# Shared helpers for vnet's host-side scripts (sourced, not run).

VNET_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Caches live outside the repo: a speed-up only, always rebuilt when missing.
VNET_CACHE=${VNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vnet}
mkdir -p "$VNET_CACHE"

vnet_log() { printf '[vnet] %s\n' "$*" >&2; }
vnet_die() { printf '[vnet] error: %s\n' "$*" >&2; exit 1; }

# vnet_apt PKG...: install the Debian packages that are missing.
vnet_apt() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	vnet_log "installing: ${missing[*]}"
	if [ ! -f "$VNET_CACHE/.apt-updated" ] ||
	   [ -n "$(find "$VNET_CACHE/.apt-updated" -mmin +720)" ]; then
		apt-get update -q >&2 || vnet_die "apt-get update failed"
		touch "$VNET_CACHE/.apt-updated"
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || vnet_die "apt-get install ${missing[*]} failed"
}

# The archive's address, read from apt's own configuration.
vnet_archive_uri() {
	local uri
	uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' \
		/etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || vnet_die "cannot find the Debian archive in apt's sources"
	echo "$uri"
}

# The userland the guest borrows from the host (over 9p) for tests and demo.
vnet_guest_tools() {
	vnet_apt iproute2 ethtool tcpdump python3 python3-scapy python3-yaml iputils-ping arping socat \
		procps kmod util-linux coreutils gawk sed grep xdp-tools trace-cmd bpftrace iperf3 \
		linux-perf
}

# vnet_ynl DIR: the kernel's ynl tools and netlink schemas, and its NIC
# driver tests with their libraries, from Debian's linux-source-6.12
# (extracted once into the cache), copied to DIR: DIR/tools/net/ynl/cli.py,
# DIR/Documentation/netlink/*.yaml, DIR/tools/testing/selftests/drivers/net
# (run in tree: their libraries find ynl and the specs there).
vnet_ynl() {
	local ver src
	vnet_apt linux-source-6.12 xz-utils python3-yaml python3-jsonschema
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
	src="$VNET_CACHE/ynl-$ver"
	if [ ! -e "$src/tools/net/ynl/cli.py" ] ||
	   [ ! -e "$src/tools/testing/selftests/drivers/net/ping.py" ]; then
		rm -rf "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$src.tmp" --strip-components=1 \
			linux-source-6.12/tools/net/ynl linux-source-6.12/Documentation/netlink \
			linux-source-6.12/tools/testing/selftests/net/lib/py \
			linux-source-6.12/tools/testing/selftests/drivers/net ||
			return 1
		rm -rf "$src"
		mv "$src.tmp" "$src"
	fi
	rm -rf "$1"
	mkdir -p "$1"
	cp -r "$src/tools" "$src/Documentation" "$1/"
}

# vnet_kernel KERNEL: fetch KERNEL of the matrix (scripts/kernels.sh) and
# set KREL, KIMAGE, KDIR, KMODS and KCHROOT; stop if it is not available.
vnet_kernel() {
	local vars
	vars=$("$VNET_TOP/scripts/kernels.sh" "$1") || vnet_die "kernel $1 is not available"
	eval "$vars"
}
