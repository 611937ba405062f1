# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the benchmarks' guest scripts (sourced, not run).

# A step that fails inside $(...) - pktgen refusing a setting, a tool that
# is missing - ends the benchmark (the guest scripts run with set -e)
# instead of leaving a rate computed from nothing in the results.
shopt -s inherit_errexit

# median N...: the middle value (the lower one of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
# ratio A B: A/B with two decimals (0 when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
# row LABEL NAME_A A NAME_B B: one result line, the A/B ratio last.
row() {
	printf '%-30s %s %s   %s %s   %s/%s %s\n' "$1" "$2" "$3" "$4" "$5" "$2" "$4" \
		"$(ratio "$3" "$5")"
}

# load KO: insmod the module at its defaults, as users get it, unless the
# environment names a setting (VNET_BENCH_IRQ_SPREAD, VNET_BENCH_RX_POLL_US);
# $settings says which, for the results.
load() {
	insmod "$1" devices=0 \
		${VNET_BENCH_IRQ_SPREAD:+irq_spread=$VNET_BENCH_IRQ_SPREAD} \
		${VNET_BENCH_RX_POLL_US:+rx_poll_us=$VNET_BENCH_RX_POLL_US}
}
settings="module defaults"
[ -z "${VNET_BENCH_IRQ_SPREAD:-}${VNET_BENCH_RX_POLL_US:-}" ] ||
	settings="irq_spread=${VNET_BENCH_IRQ_SPREAD:-default} rx_poll_us=${VNET_BENCH_RX_POLL_US:-default}"

# with_modules REF.ko NEW.ko NAME:COMMAND...: $rounds rounds of the same work
# with two builds of the module, one right after the other: in each round,
# every COMMAND (which prints one figure) with REF's module loaded, then
# with NEW's. NAME's figures go to the arrays ref_NAME and new_NAME; each
# round is printed.
with_modules() {
	local ref=$1 new=$2 i side spec line
	shift 2
	for spec in "$@"; do
		declare -ga "ref_${spec%%:*}=()" "new_${spec%%:*}=()"
	done
	for i in $(seq "$rounds"); do
		for side in ref new; do
			if [ "$side" = ref ]; then load "$ref"; else load "$new"; fi
			for spec in "$@"; do
				local -n figures="${side}_${spec%%:*}"
				figures+=("$(eval "${spec#*:}")")
				unset -n figures
			done
			rmmod vnet
		done
		line="round $i:"
		for spec in "$@"; do
			local -n n="new_${spec%%:*}" r="ref_${spec%%:*}"
			line+=" ${spec%%:*} new ${n[-1]} ref ${r[-1]};"
			unset -n n r
		done
		echo "${line%;}"
	done
}
