#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM: every case under tests/cases (or those named),
# each with a clean dmesg and a time limit, then the kernel's own checkers.
# Writes one flat KTAP list to $VNET_WORK/results.ktap, one line per check,
# named "<case>: <check>"; the cases' full output goes to the console.
#
# Usage: tests/guest-run.sh MODULE.ko [CASE...]
# With VNET_DEADLINE set (seconds since the epoch), a case not expected to
# end by then is not started: expected to take half as long again as it
# took last time (VNET_CASE_SECONDS, "NAME=SECONDS ..."), or if unknown its
# whole time limit when named in VNET_LONG_CASES, a quarter of it when
# not. It is reported as skipped, with the reason; and no case runs past
# VNET_CASE_END. So a slow host's guest still prints its results and
# scans for leaks instead of reaching its own time limit.
# With VNET_CLAIMS set to a directory shared with another guest (see
# VNET_SHARE in scripts/vm.sh), a case runs here only if this guest is the
# first to create VNET_CLAIMS/NAME: two guests given the same list share
# its cases out as they go, each taking the next one when it is free.
set -u
export VNET_KO=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
out=${VNET_WORK:-/tmp}/results.ktap
slow=1
[ "${VNET_KERNEL:-}" = debug ] && slow=6
export VNET_SLOW=$slow
. "$here/dmesg.sh"

n=0
failed=0
result() {	# result ok|not-ok NAME [DIAGNOSTIC]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2" >> "$out"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2" >> "$out"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | head -20 | sed 's/^/# /' >> "$out"
	fi
}

# What a timed-out case is doing, for its diagnostic: each process of the
# case (timeout's process group PGID) with its state, wait channel and
# kernel stack; sysrq-w puts every blocked task's stack (kernel threads
# too) on the console. Read from /proc/PID/stat by bash, not with ps: ps
# reads every process's cmdline, which takes that process's mmap lock,
# and a case hung in the kernel with that lock held hung ps too (the
# snapshot of 40-xdp-basic's hang on 2026-12-06 came back empty).
hang_snapshot() {	# hang_snapshot PGID
	local p st rest state pgrp wchan
	echo "processes of the case at its time limit:"
	for p in /proc/[0-9]*; do
		read -r st 2> /dev/null < "$p/stat" || continue
		rest=${st##*) }		# after "PID (COMM) "
		read -r state _ pgrp _ <<< "$rest"
		[ "$pgrp" = "$1" ] || continue
		wchan=
		read -r wchan 2> /dev/null < "$p/wchan"
		echo "${st%) *}) $state ${wchan:--}"
		case $wchan in
		do_wait|sigsuspend|hrtimer_nanosleep|do_nanosleep|0|"") ;;
		*) head -8 "$p/stack" 2> /dev/null | sed 's/^/  /' ;;
		esac
	done
	echo w > /proc/sysrq-trigger 2>/dev/null
}

# plan_of LOG: the N of a case's first "1..N" line. Read by bash itself,
# like the clean-up below uses no ip/awk: a process costs about a second
# in the debug guest, and this runs for every case.
plan_of() {
	local line
	while IFS= read -r line; do
		if [[ $line =~ ^1\.\.([0-9]+)$ ]]; then
			echo "${BASH_REMATCH[1]}"
			return
		fi
	done < "$1"
}

cleanup_between_cases() {
	local ns
	for ns in /run/netns/*; do
		[ -e "$ns" ] && ip netns del "${ns##*/}"
	done
	rmmod vnet 2>/dev/null
	# A tool's module too: pktgen's threads wake ten times a second in
	# every case after the one that loaded it.
	rmmod pktgen 2>/dev/null
}

: > "$out"
# The debug kernel's leak detector scans when asked, at the end: its own
# scans (60 s after boot, then every 10 min) take ~10 s of a vCPU under
# TCG, and a timing check that runs beside one measures the scan.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan=off > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi
if [ $# -eq 0 ]; then
	set -- "$here"/cases/*.sh
fi
# A claim directory that is not the shared mount would let both guests
# run every case (the guest's /tmp is its own tmpfs), or none.
if [ -n "${VNET_CLAIMS:-}" ] && ! mountpoint -q "$VNET_CLAIMS"; then
	result not-ok "the case claim directory is shared" "$VNET_CLAIMS is not a mount point"
	set --
fi
for c in "$@"; do
	[ -f "$c" ] || c="$here/cases/$c.sh"
	file=$(basename "$c" .sh)
	name=${file#[0-9][0-9]-}
	if [ -n "${VNET_CLAIMS:-}" ] && ! mkdir "$VNET_CLAIMS/$file" 2> /dev/null; then
		[ -d "$VNET_CLAIMS/$file" ] && continue	# the other guest's
		result not-ok "$name: claimed" "mkdir $VNET_CLAIMS/$file failed"
		continue
	fi
	limit=$((120 * slow))
	# Cases that need more than 120 s (times VNET_SLOW): 60-torture runs
	# a minute of chaos after its setup, then its checks and teardown;
	# 70-kselftest-drivers runs up to nine of the kernel's test files,
	# each on a vnet and a veth pair (232 s on 7.2, 2026-12-07).
	case $name in
	torture) limit=$((240 * slow)) ;;
	kselftest-drivers) limit=$((480 * slow)) ;;
	esac
	if [ -n "${VNET_DEADLINE:-}" ]; then
		# What it took last time on this host, and half as much again,
		# but an eighth of its limit at least: a time from a run that
		# ended early is no estimate (CI, 2026-12-06: xdp-redirect
		# started 10 s before VNET_DEADLINE, so 160 s before
		# VNET_CASE_END, and took 166). Unknown: a long case its whole
		# limit, another a quarter of it.
		need=
		for t in ${VNET_CASE_SECONDS:-}; do
			[ "${t%=*}" = "$name" ] && need=$((${t#*=} * 3 / 2))
		done
		[ -n "$need" ] && [ "$need" -lt $((limit / 8)) ] && need=$((limit / 8))
		if [ -z "$need" ]; then
			need=$((limit / 4))
			case " ${VNET_LONG_CASES:-} " in
			*" $file "*) need=$limit ;;
			esac
		fi
		if [ $((EPOCHSECONDS + need)) -gt "$VNET_DEADLINE" ]; then
			result ok "$name: not started # SKIP out of time: the guest's deadline is $((VNET_DEADLINE - EPOCHSECONDS)) s away, the case may take $need s"
			continue
		fi
		# And none runs past VNET_CASE_END: a case that overruns its
		# estimate fails by its own time limit, and the guest still
		# reports and scans for leaks before its own.
		[ $((VNET_CASE_END - EPOCHSECONDS)) -lt "$limit" ] &&
			limit=$((VNET_CASE_END - EPOCHSECONDS))
	fi
	log=/tmp/vnet-case.log
	echo "=== $name (limit ${limit}s) ==="
	dmesg -C
	# In the kernel log too, for a guest that dies mid-case (see mark()).
	echo "vnet-test: case $name starts" > /dev/kmsg
	t0=$EPOCHSECONDS
	timeout -k 10 "$limit" bash "$c" > "$log" 2>&1 &
	tpid=$!
	(sleep $((limit - 2)) && hang_snapshot "$tpid" > "$log.hang") 2> /dev/null &
	wpid=$!
	wait "$tpid"
	rc=$?
	pkill -P "$wpid" sleep 2>/dev/null
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	echo "# $name took $((EPOCHSECONDS - t0))s" >> "$out"
	cat "$log"
	planned=$(plan_of "$log")
	ran=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			ran=$((ran + 1))
			result ok "$name: ${line#ok * - }" ;;
		"not ok "*)
			ran=$((ran + 1))
			diag=$(sed -n "/^${line//\//\\/}\$/,/^\(not \)\?ok /p" "$log" |
			       sed '1d;$d' | grep '^#' | sed 's/^# //')
			result not-ok "$name: ${line#not ok * - }" "$diag" ;;
		esac
	done < "$log"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		result not-ok "$name: finished in time" \
			"timed out after ${limit}s; $(cat "$log.hang" 2>/dev/null)"
		cat "$log.hang" 2>/dev/null
	elif [ -z "$planned" ] || [ "$planned" != "$ran" ]; then
		result not-ok "$name: ran its plan" "planned '${planned:-none}', ran $ran, exit $rc"
	elif [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		result not-ok "$name: exit status" "exit $rc with no failed check"
	fi
	# The case ran in timeout's process group. A process it left behind
	# (a flood started in the background and never reaped) would run on
	# through the cases after it, taking their CPU: killed, and a failure.
	left=$(pgrep -a -g "$tpid")
	if [ -n "$left" ]; then
		pkill -KILL -g "$tpid"
		result not-ok "$name: leaves no process running" "$left"
	fi
	cleanup_between_cases
	report=$(dmesg_report)
	if [ -n "$report" ]; then
		result not-ok "$name: dmesg clean" "$report"
		echo "$report"
	else
		result ok "$name: dmesg clean"
	fi
	rm -f "$log" "$log.hang"
	# A case that could not even be started (bash exits 126 or 127 with
	# nothing printed: exec fails) means this guest can no longer run
	# programs - as after 60-torture's allocation failures broke its 9p
	# root on 2026-12-06, when the guest then failed the 30 cases it
	# claimed after it. It claims no more; the other guest runs the rest.
	if [ -z "$planned" ] && { [ $rc -eq 126 ] || [ $rc -eq 127 ]; }; then
		result not-ok "the guest can still run programs" "$name exited $rc before its plan"
		break
	fi
done

# The debug kernel's leak detector, once everything is unloaded.
if [ -w /sys/kernel/debug/kmemleak ]; then
	rmmod vnet 2>/dev/null
	echo scan > /sys/kernel/debug/kmemleak
	sleep 2
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		result not-ok "kmemleak: no leaks after rmmod" "$leaks"
		echo "$leaks"
	else
		result ok "kmemleak: no leaks after rmmod"
	fi
fi
echo "1..$n" >> "$out"
sync
echo "=== guest: $((n - failed)) passed, $failed failed ==="
[ $failed -eq 0 ]
