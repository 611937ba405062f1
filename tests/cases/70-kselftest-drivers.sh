#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own NIC driver tests (tools/testing/selftests/drivers/net,
# written to run unmodified against any driver), run against a 4-queue
# vnet pair as their README says to run them on a real NIC: NETIF the
# local end (va, in this namespace), the remote end in namespace b
# (REMOTE_TYPE=netns), IPv4 and IPv6. Each subtest is one check here; a
# subtest the test skips (or marks xfail) is a skip, with its reason. The
# same files run on a veth pair too, whose figures are printed beside
# vnet's (in each file's first check's name; they decide nothing). The
# tests are the kernel's own: on 7.x linux-source-7.2's, with the helpers
# they run and sid's ethtool first in PATH (test.sh puts them in
# build/ksft-7.2, see scripts/kernels.sh), on 6.12 linux-source-6.12's
# (in build/ynl); they need 6.12's netlink at least.
. "$(dirname "$0")/../lib.sh"

kver=$(uname -r | awk -F. '{print $1 * 100 + $2}')
if [ "$kver" -ge 700 ]; then
	tree="$VNET_TESTS/../build/ksft-7.2"
	files="ping.py queues.py stats.py ring_reconfig.py napi_threaded.py netpoll_basic.py
	       napi_id.py gro.py hds.py shaper.py"
else
	tree=$VNET_YNL
	files="ping.py queues.py stats.py"
fi
ksft="$tree/tools/testing/selftests/drivers/net"
skip_all() {
	plan 1
	skip "the kernel's NIC driver tests ($files)" "$1"
	done_testing
}
[ -e "$ksft/ping.py" ] || skip_all "no $ksft (test.sh makes it)"
[ "$kver" -ge 612 ] || skip_all "the tests need 6.12's netdev netlink and ethtool"

vnet_load devices=0
modprobe veth
# netpoll_basic.py drives netconsole's dynamic targets (configfs).
modprobe netconsole 2> /dev/null
# gro.py's PPPoE cases need the kernel's PPPoE GRO, which comes with the
# pppoe module (the tests' config has CONFIG_PPPOE=y): without it the
# stack merges no PPPoE frame, on any device.
modprobe pppoe 2> /dev/null
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
out=$(mktemp -d)
# A selftest still running when this case must end is stopped with it,
# and the pair it used goes (va lives in the initial namespace, which
# the runner does not clear between cases).
tp=
cleanup() {
	[ -n "$tp" ] && kill -TERM "$tp" 2> /dev/null
	ip link del va 2> /dev/null
	ip netns del b 2> /dev/null
	rmdir /sys/kernel/config/netconsole/* 2> /dev/null
	rm -rf "$out"
}
trap 'cleanup; exit 1' TERM INT
trap cleanup EXIT

# ends KIND: va here and vb in namespace b, a vnet or a veth pair of 4
# queues, with the addresses NetDrvEpEnv is told of, both up.
ends() {
	ip netns add b
	if [ "$1" = vnet ]; then
		vnetctl add va peer vb netns b queues 4
	else
		ip link add va numtxqueues 4 numrxqueues 4 type veth \
			peer name vb netns b numtxqueues 4 numrxqueues 4
	fi
	ip addr add 10.9.0.1/24 dev va
	ip addr add fd00::1/64 dev va nodad
	ip -n b addr add 10.9.0.2/24 dev vb
	ip -n b addr add fd00::2/64 dev vb nodad
	ip link set va up
	ip -n b link set vb up
	ip -n b link set lo up
}

# run KIND FILE SECONDS: FILE against a KIND pair, for SECONDS at most;
# its log in $out/KIND-FILE.log (its exit status last), its results
# (ksft_results.py) in $out/KIND-FILE. timeout stays in the case's
# process group (--foreground), so that the runner finds what it left.
run() {
	mark "kselftest $2 on $1"
	ends "$1"
	PATH="$tree/bin:$PATH" NETIF=va LOCAL_V4=10.9.0.1 REMOTE_V4=10.9.0.2 \
		LOCAL_V6=fd00::1 REMOTE_V6=fd00::2 REMOTE_TYPE=netns REMOTE_ARGS=b \
		timeout --foreground -k 5 "$3" python3 -u "$ksft/$2" > "$out/$1-$2.log" 2>&1 &
	tp=$!
	wait "$tp"
	echo "exit $?" >> "$out/$1-$2.log"
	tp=
	ip link del va 2> /dev/null
	ip netns del b
	rmdir /sys/kernel/config/netconsole/* 2> /dev/null
	sleep 0.5
	python3 "$VNET_TESTS/helpers/ksft_results.py" "$out/$1-$2.log" > "$out/$1-$2"
}

# Each file's results are printed as soon as it has run, the plan last:
# a file that overruns costs its own checks, not the others'. Each run
# gets what is left of the case's time (tests/guest-run.sh gives it 480 s
# times VNET_SLOW), 150 s at most; a file that would get less than 30 s
# is a skip.
budget=$((440 * VNET_SLOW))
n=0
for f in $files; do
	left=$((budget - SECONDS))
	if [ "$left" -lt 60 ]; then
		n=$((n + 1))
		skip "$f" "no time left in the case (it ran ${SECONDS}s)"
		continue
	fi
	run vnet "$f" $((left / 2 < 150 ? left / 2 : 150))
	# netpoll_basic.py counts netpoll's polls with bpftrace, given 30 s
	# to start, attach and print; in a TCG guest beside another its
	# startup alone may take that (seen once on 7.2, 2026-12-08: "bpftrace
	# failed to run!?: {}"; 16-35 s for the whole file alone). That is
	# the harness's own failure, not the device's: the file runs once
	# more, and only a second such failure counts.
	if grep -q 'bpftrace failed to run' "$out/vnet-$f.log" && [ $((budget - SECONDS)) -ge 90 ]; then
		mv "$out/vnet-$f.log" "$out/vnet-$f.first.log"
		run vnet "$f" 60
	fi
	read -r _ p fl s < <(grep '^totals' "$out/vnet-$f")
	read -r _ reported < <(grep '^reported' "$out/vnet-$f")
	rc=$(sed -n 's/^exit //p' "$out/vnet-$f.log" | tail -1)
	left=$((budget - SECONDS))
	vp=- vfl=- vs=-
	if [ "$left" -ge 30 ]; then
		run veth "$f" $((left < 150 ? left : 150))
		read -r _ vp vfl vs < <(grep '^totals' "$out/veth-$f")
	fi
	# veth's figures ride in the name: seen in every run, decided by none.
	what="$f ran to its totals (pass/fail/skip: vnet $p/$fl/$s, veth $vp/$vfl/$vs)"
	n=$((n + 1))
	if [ "$reported" != "$p $fl $s" ]; then
		fail "$what" "its results: $p/$fl/$s read, '$reported' in its totals; exit $rc" \
			"$(tail -5 "$out/vnet-$f.log")"
	elif [ "$rc" != 0 ] && [ "$rc" != 4 ] && { [ "$rc" != 1 ] || [ "$fl" = 0 ]; }; then
		fail "$what" "exit $rc with $fl failed" "$(tail -5 "$out/vnet-$f.log")"
	else
		ok "$what"
	fi
	while read -r verdict name reason; do
		n=$((n + 1))
		case $verdict in
		ok) ok "kselftest $name" ;;
		fail) fail "kselftest $name" "$(grep -B15 "^not ok [0-9]* $name\b" "$out/vnet-$f.log" | grep '^#' | tail -8)" ;;
		skip) skip "kselftest $name" "$reason" ;;
		esac
	done < <(grep -v '^totals\|^reported' "$out/vnet-$f")
done
plan "$n"
done_testing
