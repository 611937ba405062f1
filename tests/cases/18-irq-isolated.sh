#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An interrupt that irq-spread sends to another CPU never goes to an
# isolated one, as the kernel keeps managed interrupts off them: with CPU 1
# in an isolated cpuset partition (cgroup v2), a sender on CPU 0 raises
# vb's interrupts on CPU 0 itself. The kernel's cpu_is_isolated() sees
# cpuset partitions from 6.12 on; 6.1's knows only the boot-time isolcpus.
. "$(dirname "$0")/../lib.sh"
plan 4

vnet_load devices=0
quiet_pair
vset va,vb irq-spread on
kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
# ipis: vb's interrupts sent to another CPU while a ping on CPU 0 crosses.
ipis() {
	local i0
	i0=$(nstat b vb irq_ipis)
	taskset -c 0 ip netns exec a ping -n -c 20 -i 0.01 -W 2 10.9.0.2 > /dev/null 2>&1
	echo $(($(nstat b vb irq_ipis) - i0))
}
n=$(ipis)
check "irq-spread on: vb's interrupts for a sender on CPU 0 go to CPU 1 ($n IPIs)" \
	test "$n" -gt 0

cg=/sys/fs/cgroup
iso=$cg/vnet-iso
isolate() {	# isolate: CPU 1 in an isolated partition, or say why not
	[ -e "$cg/cgroup.controllers" ] || mount -t cgroup2 none "$cg" 2> /dev/null ||
		{ echo "no cgroup v2"; return 1; }
	grep -qw cpuset "$cg/cgroup.controllers" || { echo "no cpuset controller"; return 1; }
	echo +cpuset > "$cg/cgroup.subtree_control" || { echo "cpuset not enabled"; return 1; }
	mkdir -p "$iso"
	echo 1 > "$iso/cpuset.cpus" &&
		echo isolated > "$iso/cpuset.cpus.partition" 2> /dev/null &&
		grep -qx isolated "$iso/cpuset.cpus.partition" ||
		{ echo "no isolated partition: $(cat "$iso/cpuset.cpus.partition" 2>&1)"; return 1; }
}
if [ "$kver" -lt 612 ]; then
	why="6.1's cpu_is_isolated() does not see cpuset partitions"
elif ! why=$(isolate); then
	:
else
	why=""
fi
if [ -n "$why" ]; then
	skip "CPU 1 isolated: no IPI to it" "$why"
	skip "and the pings still cross" "$why"
else
	n=$(ipis)
	check_eq "CPU 1 isolated (cpuset partition): no IPI to it" 0 "$n"
	check "and the pings still cross" \
		taskset -c 0 ip netns exec a ping -n -c 3 -i 0.1 -W 2 10.9.0.2
fi
if [ -d "$iso" ]; then
	echo member > "$iso/cpuset.cpus.partition" 2> /dev/null
	rmdir "$iso"
fi
n=$(ipis)
check "CPU 1 back: the interrupts go there again ($n IPIs)" test "$n" -gt 0
done_testing
