#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once per config) the debug 6.1 kernel from Debian's linux-source-6.1:
# KASAN, lockdep, kmemleak, KUnit, UBSAN, fault injection. The result is cached
# outside the repo, keyed by the config fragment and the source version, and
# rebuilt only when either changes. Prints the build tree's path on stdout.
#
# Usage: scripts/kernel-debug.sh [--deps]   --deps: install what the build
# needs and stop (scripts/test.sh does this before building in the
# background, because apt takes one lock).
set -euo pipefail
. "$(dirname "$0")/common.sh"

vnet_apt linux-source-6.1 flex bison libelf-dev dwarves bc cpio make gcc libssl-dev xz-utils
[ "${1:-}" = --deps ] && exit 0
frag="$VNET_TOP/kernel/debug.config"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
# The key: the config's settings (comments aside, but "is not set" lines
# are settings) and the source's version; a reworded comment costs no
# rebuild.
key=$( (grep -E '^CONFIG_|^# CONFIG_.* is not set' "$frag"; echo "$srcver") |
	sha256sum | cut -c1-12)
tree="$VNET_CACHE/debug-6.1-$key"

# One build at a time: a second caller waits for the first and uses its tree.
exec 9> "$VNET_CACHE/.debug-build.lock"
flock 9
if [ -f "$tree/.vnet-built" ]; then
	echo "$tree"
	exit 0
fi

vnet_log "building the debug kernel in $tree (about 15 minutes on 2 cores)"
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$tree.tmp" --strip-components=1
cd "$tree.tmp"
make -s defconfig kvm_guest.config >&2
scripts/kconfig/merge_config.sh -m .config "$frag" >&2
make -s olddefconfig >&2
# Every option we asked for must have survived olddefconfig.
grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r line; do
	grep -qxF "$line" .config || vnet_log "warning: debug config lacks $line"
done
nice make -j"$(nproc)" bzImage modules >&2
make -s modules_prepare >&2
touch .vnet-built
cd /
# Remove stale trees of other keys: each is several GB.
find "$VNET_CACHE" -maxdepth 1 -name 'debug-6.1-*' ! -name "debug-6.1-$key*" \
	-exec rm -rf {} + 2>/dev/null || true
mv "$tree.tmp" "$tree"
echo "$tree"
