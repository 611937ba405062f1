#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lint gate: `make W=1` warnings, sparse (`make C=1`), checkpatch.pl
# --strict and kernel-doc over src/, plus "every non-static function has
# kernel-doc", "no cycle of more than 3 units" (scripts/unit-cycles.py) and
# "the vnet family's spec agrees with its C header" (scripts/spec-check.py)
# and "the man pages render cleanly and cover vnetctl --help".
# Any finding fails. With --ktap, prints one KTAP line each.
set -uo pipefail
. "$(dirname "$0")/common.sh"

ktap=0
[ "${1:-}" = --ktap ] && ktap=1
failed=0

report() {	# report NAME OUTPUT-FILE: pass if the file is empty
	if [ ! -s "$2" ]; then
		[ $ktap = 1 ] && echo "ok - lint: $1" || echo "lint: $1: clean"
	else
		failed=1
		if [ $ktap = 1 ]; then
			echo "not ok - lint: $1"
			sed 's/^/# /' "$2" | head -40
		else
			echo "lint: $1: findings:"
			cat "$2"
		fi
	fi
}

vnet_apt sparse linux-source-6.1 xz-utils perl make gcc python3-yaml groff-base
# checkpatch.pl and kernel-doc come from Debian's linux-source-6.1.
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
tools="$VNET_CACHE/kernel-scripts-$srcver"
if [ ! -x "$tools/scripts/checkpatch.pl" ]; then
	mkdir -p "$tools"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$tools" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch linux-source-6.1/scripts/kernel-doc
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vnet_kernel 6.1
srcs=()
for f in "$VNET_TOP"/src/vnet*.[ch]; do
	case $f in *.mod.c) ;; *) srcs+=("$f") ;; esac
done

# W=1 and sparse, in a scratch copy so that src/ stays clean; with the
# KUnit file forced in, so that it is checked too (it is not linked here).
cp "${srcs[@]}" "$VNET_TOP/src/Kbuild" "$tmp/"
make -C "$KDIR" M="$tmp" W=1 CONFIG_KUNIT=y KBUILD_MODPOST_WARN=1 modules > "$tmp/w1.log" 2>&1 || echo "build failed" >> "$tmp/w1.log"
grep -E ': (warning|error):|build failed' "$tmp/w1.log" | grep -v modpost > "$tmp/w1" || true
report "make W=1 warning-free" "$tmp/w1"

# The units' dependencies, from the objects just built: no cycle of more
# than three (the device-model issue's bound; scripts/unit-cycles.py).
python3 "$VNET_TOP/scripts/unit-cycles.py" "$tmp" > "$tmp/cycles.log" 2>&1 ||
	cp "$tmp/cycles.log" "$tmp/cycles"
report "no cycle of more than 3 units" "$tmp/cycles"

# The vnet family's spec and its C header agree (scripts/spec-check.py).
python3 "$VNET_TOP/scripts/spec-check.py" "$VNET_TOP/spec/vnet.yaml" \
	"$VNET_TOP/src/vnet_uapi.h" > "$tmp/spec" 2>&1 || true
report "spec/vnet.yaml agrees with vnet_uapi.h" "$tmp/spec"

# The man pages render without a warning, and vnetctl(8) names every
# command and keyword of `vnetctl --help`'s synopsis (the page stays true
# to the tool).
for page in "$VNET_TOP"/man/*.[1-9]; do
	groff -man -Tascii -ww -z "$page" 2>&1 | sed "s|^|${page##*/}: |"
done > "$tmp/man"
if [ -x "$VNET_TOP/tools/vnetctl" ]; then
	text=$(groff -man -Tascii -P-cbou "$VNET_TOP/man/vnetctl.8" 2> /dev/null)
	"$VNET_TOP/tools/vnetctl" --help | sed '/^$/q' | grep -oE '(^| |\[|\|)-{0,2}[a-z][a-z-]+' |
		sed 's/^[ [|]*//' | grep -vx usage | sort -u | while read -r word; do
			grep -qwF -- "$word" <<< "$text" || echo "vnetctl.8 does not mention '$word'"
		done >> "$tmp/man"
else
	echo "tools/vnetctl is not built: cannot compare vnetctl.8 with its --help" >> "$tmp/man"
fi
report "man pages render cleanly and vnetctl.8 covers vnetctl --help" "$tmp/man"

make -C "$KDIR" M="$tmp" C=2 CONFIG_KUNIT=y KBUILD_MODPOST_WARN=1 modules > "$tmp/sparse.log" 2>&1 || true
grep -E "^$tmp/.*(warning|error):" "$tmp/sparse.log" | sed "s|$tmp/|src/|" > "$tmp/sparse" || true
report "sparse (make C=1) clean" "$tmp/sparse"

"$tools/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	--ignore FILE_PATH_CHANGES -f "${srcs[@]}" > "$tmp/cp.log" 2>&1 || true
grep -E '^(ERROR|WARNING|CHECK)' -A3 "$tmp/cp.log" > "$tmp/cp" || true
report "checkpatch --strict clean" "$tmp/cp"

"$tools/scripts/kernel-doc" -none "${srcs[@]}" > "$tmp/kd" 2>&1 || true
report "kernel-doc clean" "$tmp/kd"

# Every function with external linkage has a kernel-doc comment (/** ... */)
# directly above it.
awk 'FNR == 1 { doc = 0 }
     /^\/\*\*/ { doc = 1 }
     /^[a-z_].*[ *]vnet_[a-z0-9_]+\(/ && !/^static / && !/;[ \t]*$/ {
	if (!doc) printf "%s:%d: no kernel-doc: %s\n", FILENAME, FNR, $0
     }
     /^}/ { doc = 0 }' "$VNET_TOP"/src/*.c | sed "s|$VNET_TOP/||" > "$tmp/nodoc"
report "kernel-doc on every non-static function" "$tmp/nodoc"

exit $failed
