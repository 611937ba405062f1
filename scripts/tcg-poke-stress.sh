#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Inside a guest: enable and disable one trace event COUNT times (each
# flip patches kernel text: text_poke_bp() and its sync IPIs) while the
# other vCPU runs a fork loop. vnet is not involved. A guest that stops
# printing here has met QEMU's multi-threaded TCG running stale patched
# text (see VNET_TCG_THREAD in scripts/vm.sh):
#   VNET_TCG_THREAD=multi scripts/vm.sh -t 300 -m 2048 debug \
#       "bash scripts/tcg-poke-stress.sh 1000"
#
# Usage: scripts/tcg-poke-stress.sh [COUNT]
count=${1:-1000}
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ev=/sys/kernel/tracing/events/xdp/xdp_exception/enable
taskset -c 1 bash -c 'while :; do /bin/true; done' &
load=$!
t0=$EPOCHSECONDS
for i in $(seq "$count"); do
	echo 1 > "$ev"
	echo 0 > "$ev"
	[ $((i % 250)) = 0 ] && echo "toggles $i at $((EPOCHSECONDS - t0))s"
done
kill "$load"
echo "done: $count toggles in $((EPOCHSECONDS - t0))s"
