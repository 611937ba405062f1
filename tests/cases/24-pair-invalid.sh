#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad pair requests are refused with an errno and a message that says why,
# and leave nothing behind.
. "$(dirname "$0")/../lib.sh"
plan 14

vnet_load devices=0
check_fails "a peer namespace that does not exist (vnetctl)" "no network namespace 'nope'" \
	vnetctl add x1 peer y1 netns nope
check_fails "a peer namespace of a process that does not exist (kernel)" \
	"No such process" python3 "$VNET_TESTS/helpers/rtnl.py" peer-pid x1 y1 999999
check_fails "a peer named like the device" "name is taken" vnetctl add x2 peer x2
ip link add name x3 type vnet
check_fails "a peer named like an existing device" "the peer's name is taken" \
	vnetctl add x4 peer x3
check_fails "queues 0" "Invalid number of transmit queues" vnetctl add x5 queues 0
check_fails "queues 17" "at most 16 queues" vnetctl add x6 peer y6 queues 17
check_fails "a peer attribute too short to hold its header" "error" \
	python3 "$VNET_TESTS/helpers/rtnl.py" short-peer x7
# Queue pairs: the core makes one queue of a count not given, so
# numtxqueues alone asks for 4 TX queues and 1 RX queue.
check_fails "numtxqueues 4 alone (1 RX queue)" "as many TX as RX queues" \
	ip link add x8 numtxqueues 4 type vnet
check_fails "numtxqueues 2 numrxqueues 3" "as many TX as RX queues" \
	ip link add x9 numtxqueues 2 numrxqueues 3 type vnet
check_eq "nothing was left behind" "x3" \
	"$(ip -o link show type vnet | awk -F': ' '{print $2}' | cut -d@ -f1 | tr '\n' ' ' | xargs)"
check_fails "vnetctl without arguments explains itself" "usage: vnetctl" vnetctl
# vnetctl deletes its own kind only (ip link del deletes any).
ip link add name d0 type dummy
check_fails "vnetctl del refuses a device of another kind" \
	"'d0' is not a vnet device (its kind: dummy)" vnetctl del d0
check "and that device is still there" ip link show d0
ip link del d0
check_fails "vnetctl del of a device that does not exist" "no device 'nope0'" vnetctl del nope0
vnet_unload
done_testing
