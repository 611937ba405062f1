#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The torture test's guest side (scripts/torture.sh boots a guest for it;
# tests/cases/60-torture.sh runs a short one in the suite). Several vnet
# devices carry traffic (pair ends across namespaces: ping floods, iperf3,
# socat, pktgen, AF_XDP; standalone devices: pktgen with shared skbs and
# bursts, /dev/vnet readers and writers) while control workers apply
# random operations chosen by a seeded generator: link flaps, ethtool
# -G/-L/-C/-K/-s, MTU, XDP attach/replace/detach, every kind of fault,
# /dev/vnet attach and close, namespace moves, pair deletion and
# re-creation, threaded NAPI, netconsole, device settings (vnetctl set);
# for the middle third of the run (debug kernel) fail_function fails vnet's allocation
# steps in the control workers' commands. Then everything must come back: traffic
# stops, faults cleared, every pair's counters add up, every device goes
# down and away in seconds, rmmod works, kmemleak and dmesg stay clean.
#
# Usage: VNET_KO=vnet.ko tests/torture-guest.sh SEED SECONDS [WORKERS]
#   SEED seeds every worker (worker W uses SEED * 100 + W); the same seed
#   replays the same sequence of operations in each worker (not the same
#   interleaving: the timing is the machine's). Control commands fail on
#   purpose sometimes (EBUSY, ENOMEM, EINVAL...): their status is logged,
#   never checked. Each operation is logged as "wW #STEP" in
#   $VNET_WORK/torture/wW.log and marked in the kernel log, so that a guest
#   that dies shows its last operations on the console.
#   VNET_TORTURE_KMEMLEAK=0 leaves the kmemleak scan out (the suite's
#   runner scans once at its end). VNET_TORTURE_FAILINJ=0 leaves the
#   allocation failures out.
. "$(dirname "$0")/lib.sh"

seed=${1:?usage: $0 SEED SECONDS [WORKERS]}
secs=${2:?usage: $0 SEED SECONDS [WORKERS]}
workers=${3:-2}
slow=${VNET_SLOW:-1}
[ "${VNET_KERNEL:-}" = debug ] && slow=6
# The hung-task detector, at the debug kernel's speed: there (config: 60 s)
# a task queued behind RTNL or rcu_barrier() while the holder waits out a
# chain of grace periods - lockdep adds one per qdisc a deleted device
# destroys, an XDP attach one for the BPF dispatcher - was reported after
# 61 s once (2026-12-06, seed 1, three guests on two host CPUs). Three
# times that stays a detector: what never returns is still reported, and
# the final checks time every teardown step.
hung_was=0
if [ "$slow" -gt 1 ] && [ -w /proc/sys/kernel/hung_task_timeout_secs ]; then
	read -r hung_was < /proc/sys/kernel/hung_task_timeout_secs
	# Raised only: a detector that is off stays off.
	if [ "$hung_was" -gt 0 ] && [ "$hung_was" -lt 180 ]; then
		echo 180 > /proc/sys/kernel/hung_task_timeout_secs
		# Back however this script ends: the suite's next cases run
		# with the usual detector.
		trap 'echo $hung_was > /proc/sys/kernel/hung_task_timeout_secs' EXIT
	fi
fi
OBJ=$VNET_TESTS/../tools/bpf/vnet_xdp_progs.o
VNETXDP=$VNET_TESTS/../tools/vnet-xdp
T=${VNET_WORK:-/tmp}/torture
rm -rf "$T"
mkdir -p "$T"
STOP=$T/stop
FAILING=$T/failing
# A control command's time limit: a command that takes longer is hung,
# which is a finding the final checks will show anyway.
cmd_limit=$((10 * slow))

npairs=2
# The devices: two standalone (init namespace) and two pairs, each end in
# its own namespace. Index i: name, namespace, address.
DEV=(vnet0 vnet1 ta0 tb0 ta1 tb1)
NSOF=("" "" tA0 tB0 tA1 tB1)
ADDR=(10.60.0.1/24 10.61.0.1/24 10.50.0.1/24 10.50.0.2/24 10.50.1.1/24 10.50.1.2/24)
QUEUES=(2 4)
PROGS=(xdp_pass xdp_drop xdp_tx xdp_aborted xdp_room)

plan $((7 + 3 * npairs))
echo "# torture: seed $seed, $secs s, $workers control workers, kernel ${VNET_KERNEL:-?}"
mark "torture: seed $seed, $secs s"

# inns NS CMD...: CMD in namespace NS ("" is the initial one).
inns() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# pair_conf I: pair I's addresses, static neighbours, no multicast, up:
# after a namespace move or a re-creation, and before the final checks.
# Static neighbours and no IPv6 (off in the namespaces) keep the wire
# quiet, so that the final accounting sees only what it sends.
pair_conf() {
	local a=$((2 + 2 * $1)) b=$((3 + 2 * $1)) ma mb
	ip -n "${NSOF[a]}" addr replace "${ADDR[a]}" dev "${DEV[a]}"
	ip -n "${NSOF[b]}" addr replace "${ADDR[b]}" dev "${DEV[b]}"
	ip -n "${NSOF[a]}" link set "${DEV[a]}" multicast off up
	ip -n "${NSOF[b]}" link set "${DEV[b]}" multicast off up
	ma=$(ip netns exec "${NSOF[a]}" cat "/sys/class/net/${DEV[a]}/address")
	mb=$(ip netns exec "${NSOF[b]}" cat "/sys/class/net/${DEV[b]}/address")
	ip -n "${NSOF[a]}" neigh replace "${ADDR[b]%/*}" lladdr "$mb" dev "${DEV[a]}" nud permanent
	ip -n "${NSOF[b]}" neigh replace "${ADDR[a]%/*}" lladdr "$ma" dev "${DEV[b]}" nud permanent
}

pair_add() {	# pair_add I
	vnetctl add "ta$1" netns "tA$1" peer "tb$1" netns "tB$1" queues "${QUEUES[$1]}"
}

# --- setup -------------------------------------------------------------------
setup() {
	local i ns
	vnet_load devices=2 rx_interval_ms=20 rx_burst=4 || return 1
	for ns in tA0 tB0 tA1 tB1 tX; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		# New devices inherit "default": no IPv6 chatter on the wire.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv6.conf.all.disable_ipv6=1
	done
	for i in $(seq 0 $((npairs - 1))); do
		pair_add "$i" || return 1
		pair_conf "$i" || return 1
	done
	for i in 0 1; do
		sysctl -qw "net.ipv6.conf.${DEV[i]}.disable_ipv6=1"
		ip addr replace "${ADDR[i]}" dev "${DEV[i]}" || return 1
		ip link set "${DEV[i]}" up || return 1
	done
}
t0=$SECONDS
if setup > "$T/setup.log" 2>&1; then
	ok "setup: vnet loaded, 2 standalone devices, $npairs pairs in 4 namespaces ($((SECONDS - t0)) s)"
else
	fail "setup: vnet loaded, 2 standalone devices, $npairs pairs in 4 namespaces" \
		"$(tail -5 "$T/setup.log" | tr '\n' ' ')"
fi

# --- traffic -------------------------------------------------------------------
# Each traffic source runs in a loop until $STOP exists, each run under
# `timeout`: a device that vanishes or a namespace move ends a run, the next
# one starts over. Their pids are kept to stop them at the end.
loops=() loop_names=()
loop() {	# loop NAME CMD...: run CMD again and again until $STOP
	local name=$1
	shift
	(
		n=0
		while [ ! -e "$STOP" ]; do
			n=$((n + 1))
			"$@" >> "$T/traffic-$name.log" 2>&1
			echo "run $n: exit $?" >> "$T/traffic-$name.log"
			# A source that fails at once (its device is gone) does not spin.
			sleep 0.2
		done
	# The shell's own "Terminated" for a run stopped at the end goes
	# to the log too, not into the KTAP output.
	) 2>> "$T/traffic-$name.log" &
	loops+=($!)
	loop_names+=("$name")
}

# pktgen_run NS COUNT DEV:CLONE:BURST...: one pktgen run in namespace NS
# (pktgen's threads are per namespace), the Nth device on thread N. CLONE
# and BURST share skbs, which only a device without IFF_TX_SKB_SHARING
# cleared (the standalone ones) accepts; a pair end refuses them, then
# runs without. A gap of $gap_ns between frames paces each device.
pktgen_run() {
	local ns=$1
	shift
	# shellcheck disable=SC2016 # the script expands its own variables
	inns "$ns" sh -c '
		p=/proc/net/pktgen count=$1 gap=$2 t=0
		shift 2
		modprobe pktgen 2> /dev/null
		for spec in "$@"; do
			dev=${spec%%:*} rest=${spec#*:}
			clone=${rest%%:*} burst=${rest#*:}
			echo rem_device_all > $p/kpktgend_$t || exit 1
			echo "add_device $dev" > $p/kpktgend_$t || exit 1
			echo "count $count" > $p/$dev
			echo "pkt_size 60" > $p/$dev
			echo "delay $gap" > $p/$dev
			echo "clone_skb $clone" > $p/$dev || echo "clone_skb $clone refused"
			echo "burst $burst" > $p/$dev || echo "burst $burst refused"
			echo "dst 10.9.0.2" > $p/$dev
			echo "dst_mac 02:00:00:00:00:02" > $p/$dev
			t=$((t + 1))
		done
		echo start > $p/pgctrl
		for spec in "$@"; do
			grep -h "^Result" $p/${spec%%:*}
		done
		for t in $(seq 0 $((t - 1))); do
			echo rem_device_all > $p/kpktgend_$t
		done' sh "$1" "$gap_ns" "${@:2}"
}

# The sources are paced (ping every ms, iperf3 at a set rate, pktgen with a
# gap): flat-out floods on the guest's two vCPUs starved the control
# workers (a python3 start took over 10 s), and it is the concurrency of
# traffic and control that finds races, not the frame rate. The debug
# kernel forwards about a tenth as many frames: there every source sends
# a tenth as fast, or it is a flood again (2026-12-06: its workers ran 6
# commands in the 45 s, and the chaos took 137 s instead of 45).
gap_ns=20000 ping_gap=0.001 tcp_rate=50M udp_gap=0.1
if [ "$slow" -gt 1 ]; then
	gap_ns=200000 ping_gap=0.01 tcp_rate=5M udp_gap=1
fi
start_traffic() {
	modprobe pktgen 2> /dev/null
	# Pair 0: pings every millisecond (debug: 10 ms) and TCP (iperf3,
	# two streams, each at $tcp_rate).
	loop ping0 ip netns exec tA0 timeout $((10 * slow)) ping -q -i $ping_gap -w 5 10.50.0.2
	ip netns exec tB0 iperf3 -s > "$T/iperf3-server0.log" 2>&1 &
	servers+=($!)
	loop tcp0 ip netns exec tA0 timeout $((15 * slow)) iperf3 -c 10.50.0.2 -t 4 -P 2 -b $tcp_rate
	# Pair 1: UDP with socat (8 KB datagrams, fragmented, for the MTU
	# changes), pktgen, an AF_XDP socket.
	ip netns exec tB1 socat -u UDP-RECV:9000 /dev/null > /dev/null 2>&1 &
	servers+=($!)
	# shellcheck disable=SC2016 # the inner shell expands $1
	loop udp1 ip netns exec tA1 timeout 3 sh -c \
		'while :; do head -c 800000 /dev/zero; sleep $1; done | socat -u -b 8000 - UDP-SENDTO:10.50.1.2:9000' \
		sh "$udp_gap"
	loop pktgen1 pktgen_run tA1 20000 ta1:0:1
	[ -x "$VNETXDP" ] &&
		loop xsk1 ip netns exec tB1 timeout $((10 * slow)) "$VNETXDP" xsk tb1 0 1000000 3
	# The standalone devices: pktgen with cloned skbs in bursts (shared
	# skbs, which a TX fault must not write to), a /dev/vnet client on vnet1.
	loop pktgen-standalone pktgen_run "" 30000 vnet0:64:8 vnet1:16:4
	loop port-vnet1 timeout $((secs + 10 * slow)) python3 "$VNET_TESTS/helpers/torture-port.py" \
		vnet1 $((seed * 100 + 99)) "$secs" "$T/port.log"
}
servers=()
t_chaos=$SECONDS
start_traffic

# --- the control workers -------------------------------------------------------
# rnd N: a number in 0..N-1 in R, from the worker's own generator. Never in
# a $(...) subshell: bash reseeds $RANDOM in a subshell that did not assign
# it, which would break the replay.
rnd() {
	R=$((RANDOM % $1))
}

# op W STEP WHAT CMD...: one control command, logged and marked, its status
# logged and otherwise ignored. In the allocation-failure phase it runs with
# make-it-fail set (fail_function's task filter), as only the workers' commands do.
op() {
	local w=$1 step=$2 rc line='' lim=$cmd_limit
	shift 2
	# python3 alone takes seconds to start on a busy TCG guest.
	[[ " $* " == *" python3 "* ]] && lim=$((3 * cmd_limit))
	mark "torture w$w #$step: $*"
	echo "$SECONDS $lim #$step $*" > "$T/w$w.cur"
	# A function of this script (pair_add, pair_conf) cannot run under
	# `timeout`: it runs in a subshell, its commands unlimited.
	if declare -F "$1" > /dev/null; then
		(
			[ -e "$FAILING" ] && echo 1 > "/proc/$BASHPID/make-it-fail"
			"$@"
		) > /dev/null 2> "$T/w$w.err"
	elif [ -e "$FAILING" ]; then
		(echo 1 > "/proc/$BASHPID/make-it-fail"; exec timeout "$lim" "$@") \
			> /dev/null 2> "$T/w$w.err"
	else
		timeout "$lim" "$@" > /dev/null 2> "$T/w$w.err"
	fi
	rc=$?
	: > "$T/w$w.cur"
	read -r line < "$T/w$w.err"
	echo "w$w #$step $* -> $rc${line:+ ($line)}" >> "$T/w$w.log"
	return 0
}

# stuck_snapshot WHAT: every task in the kernel's D state, its wait
# channel and the top of its kernel stack, into $T/stuck.log; bash
# builtins only (the debug guest pays about a second per process). Shows
# who holds what a command waits for, e.g. RTNL. (Not sysrq-w: its
# "Call Trace:" lines would fail the dmesg check.)
stuck_snapshot() {
	local p st rest state wchan n line
	{
		echo "== $1: still running after its time limit less 10 s"
		for p in /proc/[0-9]*; do
			read -r st 2> /dev/null < "$p/stat" || continue
			rest=${st##*) }
			state=${rest%% *}
			[ "$state" = D ] || continue
			wchan=
			read -r wchan 2> /dev/null < "$p/wchan"
			echo "${st%) *}) $state ${wchan:--}"
			n=0
			while [ $n -lt 14 ] && read -r line; do
				echo "    $line"
				n=$((n + 1))
			done 2> /dev/null < "$p/stack"
		done
	} >> "$T/stuck.log"
}

# stuck_monitor: while the workers run, a command that has used five
# sixths of its time limit gets its snapshot (one per command), before
# timeout kills it and the kernel state that stopped it is gone.
stuck_monitor() {
	local w line t0 lim seen=()
	while [ ! -e "$STOP" ]; do
		for ((w = 1; w <= workers; w++)); do
			line=
			read -r line 2> /dev/null < "$T/w$w.cur"
			[ -n "$line" ] || continue
			read -r t0 lim _ <<< "$line"
			[ $((SECONDS - t0)) -ge $((lim - lim / 6)) ] || continue
			[ "${seen[$w]:-}" = "$line" ] && continue
			seen[$w]=$line
			stuck_snapshot "w$w ${line#* * }"
			mark "torture: w$w's command near its time limit, see stuck.log"
		done
		sleep 5
	done
}

# worker W: random control operations until $STOP. Every random number of
# a step is drawn whatever the commands answer.
worker() {
	local w=$1 step=0 d dev ns i q v k p X
	RANDOM=$((seed * 100 + w))
	: > "$T/w$w.log"
	while [ ! -e "$STOP" ]; do
		step=$((step + 1))
		rnd 16; k=$R
		rnd ${#DEV[@]}; d=$R
		dev=${DEV[d]} ns=${NSOF[d]}
		# What runs a command where the device lives.
		X=()
		[ -n "$ns" ] && X=(ip netns exec "$ns")
		rnd 6; v=$R
		rnd 1000; q=$R
		case $k in
		0)	op "$w" "$step" ip ${ns:+-n "$ns"} link set "$dev" down
			op "$w" "$step" ip ${ns:+-n "$ns"} link set "$dev" up ;;
		1)	local sizes=(8 16 64 256 1024 4096)
			rnd 6
			op "$w" "$step" "${X[@]}" ethtool -G "$dev" rx "${sizes[v]}" tx "${sizes[R]}" ;;
		2)	op "$w" "$step" "${X[@]}" ethtool -L "$dev" combined $((1 + v % 4)) ;;
		3)	local us=(0 0 10 100 1000 20000) fr=(0 1 4 16 64 0)
			rnd 2
			if [ "$R" = 0 ]; then
				op "$w" "$step" "${X[@]}" ethtool -C "$dev" rx-usecs "${us[v]}" \
					rx-frames "${fr[q % 6]}" tx-usecs "${us[q % 6]}" tx-frames "${fr[v]}"
			else
				op "$w" "$step" "${X[@]}" ethtool -C "$dev" adaptive-rx \
					"$([ $((q % 2)) = 0 ] && echo on || echo off)"
			fi ;;
		4)	local feats=(rx-all gro tso sg tx-checksumming rx-gro-list)
			op "$w" "$step" "${X[@]}" ethtool -K "$dev" "${feats[v]}" \
				"$([ $((q % 2)) = 0 ] && echo on || echo off)" ;;
		5)	local speeds=(10 100 1000 10000 0 0)
			if [ "${speeds[v]}" = 0 ]; then
				op "$w" "$step" "${X[@]}" ethtool -s "$dev" autoneg on
			else
				op "$w" "$step" "${X[@]}" ethtool -s "$dev" speed "${speeds[v]}" \
					duplex full autoneg off
			fi ;;
		6)	local mtus=(68 576 1280 1500 4000 9000)
			op "$w" "$step" ip ${ns:+-n "$ns"} link set "$dev" mtu "${mtus[v]}" ;;
		7)	p=${PROGS[v % ${#PROGS[@]}]}
			op "$w" "$step" ip -force ${ns:+-n "$ns"} link set dev "$dev" xdpdrv \
				obj "$OBJ" program "$p" ;;
		8)	op "$w" "$step" ip ${ns:+-n "$ns"} link set dev "$dev" xdpdrv off ;;
		9)	fault_op "$w" "$step" "$dev" "$ns" "$v" "$q" ;;
		10)	# A /dev/vnet file attached and closed (standalone devices
			# take ports; a pair end says EINVAL).
			op "$w" "$step" "${X[@]}" python3 "$VNET_TESTS/helpers/vport.py" attach "$dev" ;;
		11)	# Into the scratch namespace and back: the device is
			# unregistered from one and registered in the other.
			op "$w" "$step" ip ${ns:+-n "$ns"} link set "$dev" netns tX
			op "$w" "$step" ip -n tX link set "$dev" netns "${ns:-1}"
			if [ "$d" -ge 2 ]; then
				i=$(((d - 2) / 2))
				op "$w" "$step" pair_conf "$i"
			else
				op "$w" "$step" ip addr replace "${ADDR[d]}" dev "$dev"
				op "$w" "$step" ip link set "$dev" up
			fi ;;
		12)	i=$((v % npairs))
			op "$w" "$step" ip netns exec "tA$i" "$VNETCTL" del "ta$i"
			op "$w" "$step" pair_add "$i"
			op "$w" "$step" pair_conf "$i" ;;
		13)	netconsole_op "$w" "$step" "$v" ;;
		14)	# NAPI in a kthread, or back in softirq.
			op "$w" "$step" "${X[@]}" sh -c "echo $((q % 2)) > /sys/class/net/$dev/threaded" ;;
		15)	# A device's settings (vnetctl set), one of six.
			local settings=("irq-spread off" "irq-spread on" "rx-poll 0" "rx-poll 50us"
					"tx-delay 0" "tx-delay 20us")
			# shellcheck disable=SC2086 # the setting and its value, split
			op "$w" "$step" "${X[@]}" "$VNETCTL" set "$dev" ${settings[v % 6]} ;;
		esac
		# The counters are read while all this goes on, as a monitor does.
		[ $((q % 4)) = 0 ] && op "$w" "$step" "${X[@]}" ethtool -S "$dev"
	done
	echo "w$w: $step steps" >> "$T/w$w.log"
}

# fault_op W STEP DEV NS V Q: one `vnetctl fault` of any kind, drawn from V
# and Q (already drawn: no draw here depends on the command's answer).
fault_op() {
	local w=$1 step=$2 dev=$3 ns=$4 v=$5 q=$6 dir=tx kinds=(drop corrupt duplicate reorder) X=()
	[ -n "$ns" ] && X=(ip netns exec "$ns")
	[ $((q % 2)) = 0 ] && dir=rx
	case $((q % 10)) in
	0|1|2|3) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" seed "$q" "$dir" \
			"${kinds[v % 4]}" "$((q % 50))%" ;;
	4) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" "$dir" delay "$((q % 200))ms" \
			jitter "$((v * 3))ms" ;;
	5) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" rx-exhaust \
			"$([ "$v" -lt 3 ] && echo on || echo off)" ;;
	6) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" tx-stall \
			"$([ "$v" -lt 2 ] && echo on || echo off)" ;;
	7) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" flap \
			"$([ "$v" -lt 3 ] && echo $((10 + q)) || echo off)" ;;
	*) op "$w" "$step" "${X[@]}" "$VNETCTL" fault "$dev" clear ;;
	esac
}

# netconsole_op W STEP V: netconsole on vnet0 (its messages then go out
# through netpoll, the kernel log's own marks included) or off. Debian's
# kernels have it as a module; the debug kernel only through configfs, if
# at all: absent, the step is logged as skipped.
netconsole_op() {
	local w=$1 step=$2 v=$3 cfg=/sys/kernel/config/netconsole/t$1
	if [ -d /sys/kernel/config/netconsole ]; then
		if [ $((v % 2)) = 0 ]; then
			op "$w" "$step" sh -c "mkdir -p $cfg && echo vnet0 > $cfg/dev_name &&
				echo 10.60.0.1 > $cfg/local_ip && echo 10.60.0.2 > $cfg/remote_ip &&
				echo 1 > $cfg/enabled"
		else
			op "$w" "$step" sh -c "echo 0 > $cfg/enabled; rmdir $cfg"
		fi
	elif [ -n "$netconsole_mod" ]; then
		if [ $((v % 2)) = 0 ]; then
			op "$w" "$step" modprobe netconsole \
				"netconsole=6665@10.60.0.1/vnet0,6666@10.60.0.2/ff:ff:ff:ff:ff:ff"
		else
			op "$w" "$step" rmmod netconsole
		fi
	else
		echo "w$w #$step netconsole: not in this kernel, skipped" >> "$T/w$w.log"
	fi
}
netconsole_mod=
modprobe -n netconsole 2> /dev/null && netconsole_mod=1

wpids=()
stuck_monitor &
loops+=($!) loop_names+=(stuck-monitor)
for w in $(seq 1 "$workers"); do
	# Its stderr (the shell's "Terminated" at the stop, or a real
	# error) is kept beside its log, out of the KTAP output.
	worker "$w" 2> "$T/w$w.stderr" &
	wpids+=($!)
done

# Allocation failures for the middle third (debug kernel): fail_function
# makes vnet's allocation steps of the control paths (a change's plan, a
# ring, an XDP page pool and rxq, the fault settings, a /dev/vnet port's
# buffer pool: the functions marked ALLOW_ERROR_INJECTION) fail, only in
# tasks with make-it-fail, i.e. the workers' commands. Not failslab or
# fail_page_alloc: a command's own allocations include its 9p reads (the
# guest's root), and twice on 2026-12-06 a failure there left the 9p
# client answering EINVAL to every open and exec in the guest.
ff=/sys/kernel/debug/fail_function
FF_POINTS=(vnet_reconf_alloc:0 vnet_ring_alloc:-12 vnet_xdp_queue_up:-12
	   vnet_fault_cfg_dup:0 vnet_port_pool_create:0)
failinj=0
if [ "${VNET_TORTURE_FAILINJ:-1}" = 1 ] && [ -w "$ff/inject" ] &&
   [ -e /proc/self/make-it-fail ]; then
	failinj=1
fi
failinj_err=
failinj_on() {	# failinj_on PROBABILITY
	local p
	# The task filter first: no other task may see a failure.
	echo Y > "$ff/task-filter"
	echo 0 > "$ff/verbose"
	echo -1 > "$ff/times"
	echo 0 > "$ff/space"
	echo 1 > "$ff/interval"
	for p in "${FF_POINTS[@]}"; do
		echo "${p%%:*}" > "$ff/inject" || return 1
		printf '%#x\n' "${p#*:}" > "$ff/${p%%:*}/retval" || return 1
	done
	echo "$1" > "$ff/probability"
}
failinj_off() {
	echo 0 > "$ff/probability"
	echo > "$ff/inject"
}
sleep $((secs / 3))
if [ $failinj = 1 ]; then
	if failinj_on 20 2> "$T/failinj.err"; then
		mark "torture: allocation failures on (fail_function, 20%)"
		touch "$FAILING"
	else
		# An injection point fail_function does not know (renamed,
		# inlined away): a finding, not a reason to run without.
		failinj_err="fail_function refused its set-up: $(head -c 300 "$T/failinj.err")"
		failinj_off
		failinj=0
	fi
fi
sleep $((secs / 3))
if [ $failinj = 1 ]; then
	rm -f "$FAILING"
	failinj_off
	mark "torture: allocation failures off"
fi
sleep $((secs - 2 * (secs / 3)))

# --- the end: stop, restore, account, tear down ---------------------------------
t_stop=$SECONDS
mark "torture: stopping"
touch "$STOP"
t0=$SECONDS
# Every worker and traffic loop ends at its next check of $STOP; what
# they run now is told to stop (pktgen through pgctrl in both namespaces
# it runs in, the rest by SIGTERM: a command interrupted half-way is one
# more thing the driver must survive). A process that does not go is
# stuck in the kernel: a failure.
kill_runs() {
	local p
	echo stop > /proc/net/pktgen/pgctrl 2> /dev/null
	# nsenter, not ip netns exec: that mounts a sysfs for the namespace,
	# and on the debug kernel under the chaos such mounts sat in D state
	# (vfs_get_tree) for minutes; /proc/net follows the netns anyway.
	nsenter --net=/run/netns/tA1 sh -c 'echo stop > /proc/net/pktgen/pgctrl' 2> /dev/null
	for p in "${wpids[@]}" "${loops[@]}"; do
		pkill -TERM -P "$p" 2> /dev/null
	done
}
# running: the workers and traffic loops not yet ended, by name.
running() {
	local i names=""
	for i in "${!wpids[@]}"; do
		kill -0 "${wpids[i]}" 2> /dev/null && names+=" w$((i + 1))"
	done
	for i in "${!loops[@]}"; do
		kill -0 "${loops[i]}" 2> /dev/null && names+=" ${loop_names[i]}"
	done
	echo "${names# }"
}
stopped() {
	[ -z "$(running)" ]
}
limit=$((2 * cmd_limit + 10))
# The first request can itself take long (on the loaded debug guest it
# took minutes; pktgen's "stop" only flags its threads, so the time went
# into the commands that send it): timed, so that a slow stop shows.
kill_runs
first=$((SECONDS - t0))
late=
while ! stopped && [ $((SECONDS - t0)) -lt "$limit" ]; do
	sleep 0.5
	kill_runs
	[ -z "$late" ] && [ $((SECONDS - t0)) -ge 10 ] && late=$(running)
done
if stopped; then
	ok "workers and traffic stopped in $((SECONDS - t0)) s"
else
	fail "workers and traffic stopped within ${limit} s" \
		"$(ps -e -o pid=,stat=,wchan:24=,args= | tail -15 | tr '\n' ';')"
fi
[ "$first" -ge 10 ] && echo "# the first stop request (pktgen's stop, SIGTERMs) took $first s"
[ -n "$late" ] && echo "# still running 10 s after the stop: $late"
# Whatever is left (servers, a run stuck in the kernel) is killed.
for p in "${wpids[@]}" "${loops[@]}"; do
	pkill -KILL -P "$p" 2> /dev/null
	kill -KILL "$p" 2> /dev/null
done
kill "${servers[@]}" 2> /dev/null
pkill -KILL -x iperf3 2> /dev/null
pkill -KILL -x socat 2> /dev/null
pkill -KILL -f torture-port.py 2> /dev/null

nops=0 nfail=0
for w in $(seq 1 "$workers"); do
	nops=$((nops + $(grep -c ' -> ' "$T/w$w.log")))
	nfail=$((nfail + $(grep -c ' -> [1-9]' "$T/w$w.log")))
done
what="no allocation failures (not asked for, or no fail_function here)"
[ $failinj = 1 ] && what="allocation failures for a third of the run"
nnomem=$(cat "$T"/w*.log | grep -ciE 'cannot allocate memory|no memory|ENOMEM')
[ $failinj = 1 ] && what+=" ($nnomem commands failed for want of memory)"
if [ -n "$failinj_err" ]; then
	fail "chaos: $nops control commands, with allocation failures" "$failinj_err"
else
	ok "chaos: $nops control commands ($nfail refused or failed, as some must), $what"
fi
for w in $(seq 1 "$workers"); do
	echo "# w$w: last operations:"
	tail -3 "$T/w$w.log" | sed 's/^/#   /'
	# What its shell said besides the stop's "Terminated" (a script error).
	grep -v 'Terminated' "$T/w$w.stderr" 2> /dev/null | head -3 | sed 's/^/#   stderr: /'
done
grep -h '^port' "$T/traffic-port-vnet1.log" 2> /dev/null | sed 's/^/# /'
if [ -s "$T/stuck.log" ]; then
	echo "# commands near their time limit, and the tasks in D state then:"
	sed 's/^/# /' "$T/stuck.log"
fi

# Back to a known state: no faults, programs, pacing or moderation, every
# pair present, configured and up. Errors here are findings of the checks
# below, not of this step. Only what the workers' commands changed is set
# back, device by device, from their logs: on the debug kernel each of
# these commands takes seconds, and setting back all six devices' every
# setting took 244 s of a run whose workers had run six commands
# (2026-12-06).
restore() {
	local d dev ns i p X did P=/sys/module/vnet/parameters
	[ -d /sys/kernel/config/netconsole ] && for d in /sys/kernel/config/netconsole/t*; do
		[ -d "$d" ] && echo 0 > "$d/enabled" && rmdir "$d"
	done
	rmmod netconsole 2> /dev/null
	for i in $(seq 0 $((npairs - 1))); do
		ip netns exec "tA$i" ip link show "ta$i" > /dev/null 2>&1 ||
			ip netns exec "tB$i" "$VNETCTL" del "tb$i" 2> /dev/null
		ip netns exec "tA$i" ip link show "ta$i" > /dev/null 2>&1 || pair_add "$i"
	done
	# The AF_XDP loop's program on tb1 stays when its run is killed.
	[ -x "$VNETXDP" ] && timeout "$cmd_limit" ip -n tB1 link set dev tb1 xdpdrv off
	for d in "${!DEV[@]}"; do
		dev=${DEV[d]} ns=${NSOF[d]} X=()
		[ -n "$ns" ] && X=(ip netns exec "$ns")
		# The commands the workers ran on this device (the name as a
		# word: "ta0" is not "ta0x", a sysfs path counts), the one a
		# worker was killed in included.
		did=$(cat "$T"/w*.log "$T"/w*.cur 2> /dev/null | grep -E "(^|[ /])$dev( |/|$)")
		[ -n "$did" ] || continue
		[[ $did == *" fault "* ]] &&
			timeout "$cmd_limit" "${X[@]}" "$VNETCTL" fault "$dev" clear
		# Back to what the module's parameters gave the device.
		[[ $did == *"vnetctl set "* ]] &&
			timeout "$cmd_limit" "${X[@]}" "$VNETCTL" set "$dev" \
				irq-spread "$([ "$(cat "$P/irq_spread")" = Y ] && echo on || echo off)" \
				rx-poll "$(cat "$P/rx_poll_us")" tx-delay "$(cat "$P/tx_delay_us")"
		[[ $did == *" xdpdrv obj "* ]] &&
			timeout "$cmd_limit" ip ${ns:+-n "$ns"} link set dev "$dev" xdpdrv off
		[[ $did == *" mtu "* ]] &&
			timeout "$cmd_limit" ip ${ns:+-n "$ns"} link set dev "$dev" mtu 1500
		[[ $did == *"ethtool -C "* ]] &&
			timeout "$cmd_limit" "${X[@]}" ethtool -C "$dev" rx-usecs 0 rx-frames 0 \
				tx-usecs 0 tx-frames 0 adaptive-rx off
		[[ $did == *"ethtool -s "* ]] &&
			timeout "$cmd_limit" "${X[@]}" ethtool -s "$dev" autoneg on
		[[ $did == *"/threaded"* ]] &&
			"${X[@]}" sh -c "echo 0 > /sys/class/net/$dev/threaded"
		# Down and up: a ring that a failed reset left half set up is
		# set up again (or the checks below say it was not).
		timeout "$cmd_limit" ip ${ns:+-n "$ns"} link set dev "$dev" down
		timeout "$cmd_limit" ip ${ns:+-n "$ns"} link set dev "$dev" up
	done
	for i in $(seq 0 $((npairs - 1))); do
		pair_conf "$i"
	done
}
t0=$SECONDS
restore > "$T/restore.log" 2>&1
echo "# restoring settings took $((SECONDS - t0)) s"
sleep $((slow > 1 ? 3 : 1))	# delayed frames (at most 200 ms + jitter) land

# snap NS DEV: every counter of DEV into the array S (by name).
declare -A S
snap() {
	local k v
	S=()
	while read -r k v; do
		S[${k%:}]=$v
	done < <(ip netns exec "$1" ethtool -S "$2" 2> /dev/null)
}
# The frames a receiving end took or counted as lost, and those its
# sender lost on purpose: what a sender put on the wire must be one of
# these.
arrived() {	# after snap of the receiver
	echo $((${S[rx_packets]:-0} + ${S[rx_dropped]:-0} + ${S[rx_missed]:-0} +
		${S[rx_length_errors]:-0} + ${S[rx_crc_errors]:-0} + ${S[fault_rx_drop]:-0}))
}
t_acct=$SECONDS
frames=$(reps 2000 500)
for i in $(seq 0 $((npairs - 1))); do
	mark "torture: accounting on pair $i"
	snap "tA$i" "ta$i"; tx0=${S[tx_packets]:-x} txd0=${S[tx_dropped]:-x}
	ftd0=${S[fault_tx_drop]:-0} ip40=${S[tx_ipv4]:-x}
	snap "tB$i" "tb$i"; rx0=$(arrived)
	mb=$(ip netns exec "tB$i" cat "/sys/class/net/tb$i/address" 2> /dev/null)
	out=$(ip netns exec "tA$i" timeout $((30 * slow)) "$VNET_TESTS/helpers/pktgen.sh" \
		"ta$i" "$frames" 60 1 "${mb:-ff:ff:ff:ff:ff:ff}" 2>&1)
	sent=$(sed -n 's/.*OK: [0-9]*(c[0-9]*+d[0-9]*) usec, \([0-9]*\) (.*/\1/p' <<< "$out")
	sleep $((slow > 1 ? 3 : 1))
	snap "tA$i" "ta$i"; tx1=${S[tx_packets]:-x} txd1=${S[tx_dropped]:-x}
	ftd1=${S[fault_tx_drop]:-0} ip41=${S[tx_ipv4]:-x}
	snap "tB$i" "tb$i"; rx1=$(arrived)
	if [[ "$tx0 $tx1 $ip40 $ip41 $txd0 $txd1" =~ ^[0-9\ ]+$ ]]; then
		check_eq "pair $i: pktgen's $frames frames each transmitted or counted dropped (sent=tx_ipv4+tx_dropped)" \
			"$frames $frames" "${sent:-none} $((ip41 - ip40 + txd1 - txd0))"
		check_eq "pair $i: ta$i's wire frames all reached tb$i or were counted (tx=rx+drops)" \
			$((tx1 - tx0)) $((rx1 - rx0 + ftd1 - ftd0))
	else
		fail "pair $i: pktgen's $frames frames each transmitted or counted dropped" \
			"no counters: the pair is gone; $(tail -3 "$T/restore.log" | tr '\n' ' ')"
		fail "pair $i: ta$i's wire frames all reached tb$i or were counted" "no counters"
	fi
	n=$(ip netns exec "tA$i" ping -n -q -c 20 -i 0.02 -W 2 "${ADDR[3 + 2 * i]%/*}" 2> /dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	check_eq "pair $i: 20 of 20 pings answered after the chaos" 20 "${n:-0}"
done

# Every device down and deleted, each within a time limit.
t_down=$SECONDS
mark "torture: teardown"
t0=$SECONDS
bad=
for d in "${!DEV[@]}"; do
	dev=${DEV[d]} ns=${NSOF[d]}
	ip ${ns:+-n "$ns"} link show "$dev" > /dev/null 2>&1 || continue
	timeout $((5 * slow)) ip ${ns:+-n "$ns"} link set "$dev" down || bad+=" $dev:down($?)"
	timeout $((5 * slow)) ip ${ns:+-n "$ns"} link del "$dev" || bad+=" $dev:del($?)"
done
check_eq "every device downed and deleted (each within $((5 * slow)) s; all in $((SECONDS - t0)) s)" \
	"" "$bad"
for ns in tA0 tB0 tA1 tB1 tX; do
	ip netns del "$ns" 2> /dev/null
done
rmmod netconsole 2> /dev/null
rmmod pktgen 2> /dev/null
check "rmmod vnet" timeout $((20 * slow)) rmmod vnet
if [ "${VNET_TORTURE_KMEMLEAK:-1}" = 1 ] && [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 2
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	check_eq "kmemleak: nothing leaked" "" "$(head -40 <<< "$leaks")"
else
	skip "kmemleak: nothing leaked" "no kmemleak here (or the suite scans)"
fi
. "$VNET_TESTS/dmesg.sh"
# The whole log stays with the run's logs: the console shows only errors
# (loglevel 4), not warnings or lockdep's reports.
dmesg > "$T/dmesg.log" 2>&1
report=$(dmesg_report | head -60)
check_eq "dmesg: no BUG, WARNING, KASAN, UBSAN, lockdep, hung task, lockup or stall" "" "$report"
echo "# torture took $SECONDS s: setup $t_chaos, chaos $((t_stop - t_chaos)), stop and restore $((t_acct - t_stop)), accounting $((t_down - t_acct)), teardown and checks $((SECONDS - t_down))"
if [ "$KTAP_FAILED" -gt 0 ]; then
	echo "# torture FAILED with seed $seed; replay: scripts/torture.sh -k ${VNET_KERNEL:-KERNEL} -s $seed -m $(((secs + 59) / 60))"
fi
done_testing
