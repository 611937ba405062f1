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
