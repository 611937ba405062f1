#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic netlink family "vnet", driven from its spec (spec/vnet.yaml)
# by a client that knows nothing else of vnet (helpers/vnetgenl.py, called
# as the kernel's ynl CLI is): dev-get and its dump, dev-set of settings
# and faults and what it refuses (errno + extack; a request refused in part
# changes nothing), CAP_NET_ADMIN, namespaces, the family going with the
# module. RTM_GETLINK answers carry no link data of vnet's, and
# an RTM_NEWLINK with faults for an existing device is refused by name.
. "$(dirname "$0")/../lib.sh"
plan 38

g() {
	"${VNETGENL[@]}" "$@"
}
# j EXPR: EXPR of the JSON on stdin (d), printed.
j() {
	python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"
}
set_json() {	# set_json IFINDEX JSON-MEMBERS
	g --do dev-set --json "{\"ifindex\": $1${2:+, $2}}"
}

vnet_load devices=2 rx_interval_ms=0
i0=$(cat /sys/class/net/vnet0/ifindex) i1=$(cat /sys/class/net/vnet1/ifindex)

out=$(g --dump dev-get)
check_eq "the dump lists every vnet device, in ifindex order" "$i0 $i1" \
	"$(j "' '.join(str(x['ifindex']) for x in d)" <<< "$out")"
check_eq "with no fault set" "0 0 0 0 0" \
	"$(j "d[1]['fault-tx']['drop'], d[1]['fault-rx']['delay-us'], d[1]['rx-exhaust'], d[1]['tx-stall'], d[1]['flap-ms']" \
		<<< "$out" | tr -d '(),')"
vnetctl fault vnet1 seed 7 tx drop 12.5% rx delay 3ms flap 500
out=$(g --do dev-get --json "{\"ifindex\": $i1}")
check_eq "dev-get reports what vnetctl fault set" "125000 3000 7 500" \
	"$(j "d['fault-tx']['drop'], d['fault-rx']['delay-us'], d['fault-seed'], d['flap-ms']" \
		<<< "$out" | tr -d '(),')"
set_json "$i1" '"fault-tx": {"drop": 0}, "flap-ms": 0' > /dev/null
out=$(g --do dev-get --json "{\"ifindex\": $i1}")
check_eq "dev-set changes what it names, and only that" "0 3000 7 0" \
	"$(j "d['fault-tx']['drop'], d['fault-rx']['delay-us'], d['fault-seed'], d['flap-ms']" \
		<<< "$out" | tr -d '(),')"
check_eq "vnetctl show prints the family's view" "faults: rx delay 3000us seed 7" \
	"$(vnetctl show vnet1 | grep -o 'faults:.*')"
check_eq "vnet0 kept its own settings" "0 0" \
	"$(g --do dev-get --json "{\"ifindex\": $i0}" | j "d['fault-rx']['delay-us'], d['fault-seed']" | tr -d '(),')"
vnetctl fault vnet1 clear

# The settings: from the module's parameters, then each device's own.
spread=$([ "$(cat /sys/module/vnet/parameters/irq_spread)" = Y ] && echo 1 || echo 0)
check_eq "dev-get reports the settings the parameters gave" "$spread 0 0" \
	"$(g --do dev-get --json "{\"ifindex\": $i0}" |
		j "d['irq-spread'], d['rx-poll-us'], d['tx-delay-us']")"
vnetctl set vnet1 tx-delay 300us rx-poll 5ms irq-spread on
check_eq "vnetctl set changes them" "1 5000 300" \
	"$(g --do dev-get --json "{\"ifindex\": $i1}" |
		j "d['irq-spread'], d['rx-poll-us'], d['tx-delay-us']")"
check_eq "vnetctl show prints them" "settings: irq-spread on rx-poll 5000us tx-delay 300us" \
	"$(vnetctl show vnet1 | grep -o 'settings:.*')"
check_eq "on that device alone" "$spread 0 0" \
	"$(g --do dev-get --json "{\"ifindex\": $i0}" |
		j "d['irq-spread'], d['rx-poll-us'], d['tx-delay-us']")"
check_fails "a TX latency above 1 s: ERANGE" "Numerical result out of range: at most 1 s" \
	set_json "$i1" '"tx-delay-us": 1000001'
check_fails "busy polling above 1 s (vnetctl): the kernel's message" "at most 1 s (1000000 us)" \
	vnetctl set vnet1 rx-poll 2s
check_fails "irq-spread 2: out of range (the policy)" "out of range" set_json "$i1" '"irq-spread": 2'
check_fails "vnetctl set irq-spread maybe" "irq-spread takes 'on' or 'off'" \
	vnetctl set vnet1 irq-spread maybe
check_fails "a request refused in part changes nothing" "probability above 100%" \
	set_json "$i1" '"tx-delay-us": 7, "fault-rx": {"drop": 1000001}'
check_eq "nothing: the settings are as they were" "1 5000 300" \
	"$(g --do dev-get --json "{\"ifindex\": $i1}" |
		j "d['irq-spread'], d['rx-poll-us'], d['tx-delay-us']")"
check_fails "nor the other way: a bad setting beside a good fault" "at most 1 s" \
	set_json "$i1" '"tx-delay-us": 1000001, "flap-ms": 500'
check_eq "the flap period stayed 0" 0 \
	"$(g --do dev-get --json "{\"ifindex\": $i1}" | j "d['flap-ms']")"
vnetctl set vnet1 tx-delay 0 rx-poll 0 irq-spread off

# The kernel's own ynl CLI (linux-source-6.12's, which test.sh puts in
# build/ynl after checking the spec against its schema) drives the family
# from the same spec.
ynl_dir="$VNET_TESTS/../build/ynl"
ynl() {
	python3 "$ynl_dir/tools/net/ynl/cli.py" --spec "$VNET_SPEC" \
		--schema "$ynl_dir/Documentation/netlink/genetlink-legacy.yaml" "$@"
}
if [ -e "$ynl_dir/tools/net/ynl/cli.py" ]; then
	check_eq "the kernel's ynl CLI dumps the family from spec/vnet.yaml" "$i0 $i1" \
		"$(ynl --dump dev-get --output-json | j "' '.join(str(x['ifindex']) for x in d)")"
	ynl --do dev-set --json "{\"ifindex\": $i1, \"tx-delay-us\": 42}" > /dev/null
	check_eq "and sets with it: vnetctl sees what ynl set" "tx-delay 42us" \
		"$(vnetctl show vnet1 | grep -o 'tx-delay [0-9]*us')"
	vnetctl set vnet1 tx-delay 0
else
	skip "the kernel's ynl CLI dumps the family from spec/vnet.yaml" "no build/ynl (test.sh makes it)"
	skip "and sets with it: vnetctl sees what ynl set" "no build/ynl (test.sh makes it)"
fi

# What the family refuses, and how.
check_fails "no ifindex: EINVAL" "Invalid argument: vnet: which device? (ifindex)" \
	g --do dev-set --json '{"flap-ms": 0}'
check_fails "ifindex 0: out of range (the policy)" "out of range" \
	g --do dev-get --json '{"ifindex": 0}'
check_fails "an ifindex of no device: ENODEV" "No such device: no such device in this namespace" \
	g --do dev-get --json '{"ifindex": 999999}'
check_fails "the loopback is not a vnet device: EOPNOTSUPP" "not a vnet device" \
	set_json 1 '"flap-ms": 0'
check_fails "rx-exhaust 2: out of range (the policy)" "out of range" set_json "$i0" '"rx-exhaust": 2'
check_fails "without CAP_NET_ADMIN dev-set is refused: EPERM" "Operation not permitted" \
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
	"${VNETGENL[@]}" --do dev-set --json "{\"ifindex\": $i0, \"flap-ms\": 0}"
check "without it dev-get answers" setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
	"${VNETGENL[@]}" --do dev-get --json "{\"ifindex\": $i0}"
check_fails "vnetctl fault names a missing device" "no device 'nodev'" \
	vnetctl fault nodev tx drop 1%
check_fails "vnetctl fault on the loopback: the kernel's message" "not a vnet device" \
	vnetctl fault lo tx drop 1%

# A container's administrator (CAP_NET_ADMIN over its own user and network
# namespaces) sets its device's TX latency and faults, but not what spends
# the host's CPUs.
if unshare -U -r true 2> /dev/null; then
	cat > /tmp/userns.sh <<-EOF
	ip link add vu type vnet || exit 9
	$VNETCTL set vu tx-delay 10us && echo latency=ok
	$VNETCTL fault vu tx drop 1% && echo fault=ok
	$VNETCTL set vu rx-poll 10us 2>&1
	$VNETCTL set vu irq-spread on 2>&1
	$VNETCTL set vu queue 0 irq-cpu 0 2>&1
	EOF
	out=$(unshare -U -r -n bash /tmp/userns.sh 2>&1)
	check_eq "in its own namespaces a container sets its device's TX latency and faults" \
		"latency=ok fault=ok" "$(grep -o '^[a-z]*=ok' <<< "$out" | tr '\n' ' ' | sed 's/ $//')"
	check_eq "but not busy polling, irq-spread nor a queue's irq-cpu: EPERM, saying why" 3 \
		"$(grep -c "Operation not permitted: vnet: irq-spread, irq-cpu and rx-poll-us spend the host's CPUs" <<< "$out")"
else
	skip "in its own namespaces a container sets its device's TX latency and faults" \
		"this kernel has no user namespaces (CONFIG_USER_NS)"
	skip "but not busy polling, irq-spread nor a queue's irq-cpu: EPERM, saying why" \
		"this kernel has no user namespaces (CONFIG_USER_NS)"
fi

# Namespaces: each sees its own devices.
ip netns add n
ip link add vn netns n type vnet
check_eq "from another namespace the dump lists only that namespace's device" \
	"$(nsx n cat /sys/class/net/vn/ifindex)" \
	"$(nsx n "${VNETGENL[@]}" --dump dev-get | j "' '.join(str(x['ifindex']) for x in d)")"
ip netns del n

# rtnetlink: link data of ours neither answered nor changed.
check_eq "RTM_GETLINK carries no IFLA_INFO_DATA of vnet's (as veth's)" "vnet none" \
	"$(ip -d -j link show vnet0 | j "d[0]['linkinfo']['info_kind'], d[0]['linkinfo'].get('info_data', 'none')" |
		tr -d "(),'")"
# What the conformance issue saw fail: the kernel's ynl decodes link data by
# kind from its rt_link spec, and gave up on a vnet device's answer ("No
# message format for 'vnet' in sub-message spec 'linkinfo-data-msg'", which
# --process-unknown does not excuse). --process-unknown lets 6.12's spec
# read a newer kernel's answer: 7.2 sends link attributes 6.12's spec does
# not name, and ynl refuses those without it, whatever the device.
if [ -e "$ynl_dir/tools/net/ynl/cli.py" ]; then
	out=$(python3 "$ynl_dir/tools/net/ynl/cli.py" \
		--spec "$ynl_dir/Documentation/netlink/specs/rt_link.yaml" \
		--schema "$ynl_dir/Documentation/netlink/netlink-raw.yaml" --process-unknown \
		--do getlink --json '{"ifname": "vnet0"}' --output-json 2>&1)
	got=$(j "d['linkinfo']['kind'], d['mtu']" <<< "$out" 2> /dev/null) ||
		got="ynl: $(tail -1 <<< "$out")"
	check_eq "the kernel's ynl reads a vnet device's link (rt_link getlink)" "vnet 1500" "$got"
else
	skip "the kernel's ynl reads a vnet device's link (rt_link getlink)" "no build/ynl (test.sh makes it)"
fi
check_fails "faults in an RTM_NEWLINK for an existing device: EOPNOTSUPP, naming the family" \
	"set through the vnet generic netlink family" \
	python3 "$VNET_TESTS/helpers/rtnl.py" fault vnet0 tx 1 1000
check_eq "nothing refused was applied" "faults: seed 0 (none active)" \
	"$(vnetctl show vnet0 | grep -o 'faults:.*')"

# The family goes with the module, and comes back with it.
vnet_unload
check_fails "without the module there is no family" "no generic netlink family 'vnet'" \
	g --dump dev-get
vnet_load devices=1 rx_interval_ms=0
check_eq "loaded again, it answers" "1" "$(g --dump dev-get | j "len(d)")"
vnet_unload
done_testing
