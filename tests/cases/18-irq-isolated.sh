#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An interrupt that irq-spread sends to another CPU never goes to an
# isolated one: with every CPU but 0 in an isolated cpuset partition
# (cgroup v2), a sender on CPU 0 raises vb's interrupts on CPU 0 itself.
# The kernel's cpu_is_isolated() sees cpuset partitions from 6.12 on;
# 6.1's knows only the boot-time isolcpus. A guest booted with CPU 1 kept
# from the kernel's managed interrupts or its tick (VNET_APPEND=
# "isolcpus=managed_irq,1" or "nohz_full=1", two CPUs) expects no IPI
# from the start.
. "$(dirname "$0")/../lib.sh"
plan 4

vnet_load devices=0
quiet_pair
vset va,vb irq-spread on
kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
last=$(($(nproc) - 1))
# ipis: vb's interrupts sent to another CPU while a ping on CPU 0 crosses.
ipis() {
	local i0
	i0=$(nstat b vb irq_ipis)
	taskset -c 0 ip netns exec a ping -n -c 20 -i 0.01 -W 2 10.9.0.2 > /dev/null 2>&1
	echo $(($(nstat b vb irq_ipis) - i0))
}
if [ "$(nproc)" -lt 2 ]; then
	for i in 1 2 3 4; do skip "irq-isolated check $i" "one CPU: nowhere else to send an interrupt"; done
	done_testing
fi
boot=$(grep -oE 'isolcpus=[^ ]*managed_irq[^ ]*|nohz_full=[^ ]*' /proc/cmdline | head -1 || true)
if [ -n "$boot" ] && { [ "$(nproc)" != 2 ] || ! grep -qE '[=,]1$' <<< "$boot"; }; then
	for i in 1 2 3 4; do
		skip "irq-isolated check $i" "booted with $boot: the check knows 2 CPUs, CPU 1 isolated"
	done
	done_testing
elif [ -n "$boot" ]; then
	n=$(ipis)
	check_eq "booted with $boot: no IPI to CPU 1" 0 "$n"
	check "and the pings still cross" \
		taskset -c 0 ip netns exec a ping -n -c 3 -i 0.1 -W 2 10.9.0.2
	skip "CPUs 1-$last isolated (cpuset partition)" "CPU 1 is isolated from boot"
	skip "CPUs back" "CPU 1 is isolated from boot"
	done_testing
fi
n=$(ipis)
check "irq-spread on: vb's interrupts for a sender on CPU 0 go to another CPU ($n IPIs)" \
	test "$n" -gt 0

cg=/sys/fs/cgroup
iso=$cg/vnet-iso
mounted=""
control=""
cleanup() {
	if [ -d "$iso" ]; then
		echo member > "$iso/cpuset.cpus.partition" 2> /dev/null
		rmdir "$iso"
	fi
	[ -z "$control" ] || echo -cpuset > "$cg/cgroup.subtree_control" 2> /dev/null
	[ -z "$mounted" ] || umount "$cg"
	control="" mounted=""
}
# A case killed on its time limit must not leave CPUs isolated for the next.
trap cleanup EXIT
why=""
isolate() {	# isolate: CPUs 1-$last in an isolated partition, or $why not
	if [ ! -e "$cg/cgroup.controllers" ]; then
		mount -t cgroup2 none "$cg" 2> /dev/null || { why="no cgroup v2"; return 1; }
		mounted=1
	fi
	grep -qw cpuset "$cg/cgroup.controllers" || { why="no cpuset controller"; return 1; }
	if ! grep -qw cpuset "$cg/cgroup.subtree_control"; then
		echo +cpuset > "$cg/cgroup.subtree_control" || { why="cpuset not enabled"; return 2; }
		control=1
	fi
	mkdir -p "$iso"
	echo "1-$last" > "$iso/cpuset.cpus" &&
		echo isolated > "$iso/cpuset.cpus.partition" 2> /dev/null &&
		grep -qx isolated "$iso/cpuset.cpus.partition" ||
		{ why="no isolated partition: $(cat "$iso/cpuset.cpus.partition" 2>&1)"; return 2; }
}
if [ "$kver" -lt 612 ]; then
	why="6.1's cpu_is_isolated() does not see cpuset partitions"
	st=1
else
	isolate
	st=$?
fi
if [ "$st" = 1 ]; then
	skip "CPUs 1-$last isolated: no IPI to them" "$why"
	skip "and the pings still cross" "$why"
elif [ "$st" = 2 ]; then
	# The kernel has cpusets: a partition it refuses is a failure here.
	fail "CPUs 1-$last isolated: no IPI to them" "$why"
	fail "and the pings still cross" "$why"
else
	n=$(ipis)
	check_eq "CPUs 1-$last isolated (cpuset partition): no IPI to them" 0 "$n"
	check "and the pings still cross" \
		taskset -c 0 ip netns exec a ping -n -c 3 -i 0.1 -W 2 10.9.0.2
fi
cleanup
n=$(ipis)
check "CPUs back: the interrupts go to another CPU again ($n IPIs)" test "$n" -gt 0
done_testing
