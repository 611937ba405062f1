# SPDX-License-Identifier: GPL-2.0
# Helpers for vnet's test cases (sourced). Each case is a small bash script
# that runs inside the test VM and prints KTAP: a plan, then one
# "ok N - description" or "not ok N - description" line per check.
# The module to test is $VNET_KO; tools are the host's, seen over 9p.

set -u
VNET_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KTAP_N=0
KTAP_FAILED=0

# plan N: announce N checks.
plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

ok() {
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N - $*"
}

# fail DESCRIPTION [WHY...]
fail() {
	local what=$1
	shift
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAILED=$((KTAP_FAILED + 1))
	echo "not ok $KTAP_N - $what"
	# Every line of the diagnostic is a comment: one that began with
	# "ok" or "not ok" would be read as a result of its own.
	[ $# -gt 0 ] && printf '%s\n' "$*" | sed 's/^/# /'
	return 0
}

# mark WHAT...: note in the kernel log where the test is. A guest that
# dies (a panic, an RCU stall) replays its log onto the console, where
# the last mark says which case and which step it died in.
mark() {
	echo "vnet-test: $*" > /dev/kmsg 2> /dev/null || true
}

skip() {
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N - $1 # SKIP ${2:-}"
}

# check DESCRIPTION CMD...: one check, passing if CMD succeeds.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		fail "$what" "command failed: $* :: $(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# check_range DESCRIPTION LOW HIGH VALUE: LOW <= VALUE <= HIGH
check_range() {
	if [ "$4" -ge "$2" ] 2>/dev/null && [ "$4" -le "$3" ]; then
		ok "$1 ($4)"
	else
		fail "$1" "expected $2..$3, got '$4'"
	fi
}

# check_fails DESCRIPTION ERRTEXT CMD...: CMD must fail, saying ERRTEXT.
check_fails() {
	local what=$1 text=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$what" "'$*' succeeded, it should have failed"
	elif ! grep -qiF -- "$text" <<< "$out"; then
		fail "$what" "'$*' failed without saying '$text': $out"
	else
		ok "$what"
	fi
}

# done_testing: the exit status tells whether every check passed.
done_testing() {
	exit $((KTAP_FAILED > 0))
}

# reps FULL LIGHT: how many times a case repeats something: FULL on
# Debian's kernels, LIGHT on the debug kernel ($VNET_SLOW > 1), where each
# repetition costs about six times as much and the point is what KASAN,
# lockdep and kmemleak see on the way, not the count.
reps() {
	if [ "${VNET_SLOW:-1}" -gt 1 ]; then
		echo "$2"
	else
		echo "$1"
	fi
}

# vnet_load [PARAM=VALUE...]: load the module under test (defaults: no
# synthetic traffic unless asked, so counters move only when a test says).
# $VNET_LOAD_ARGS is added to every load, last (so it wins): e.g.
# irq_spread=0 runs cases with interrupts on the CPU that raises them.
vnet_load() {
	# shellcheck disable=SC2086 # several parameters, split on purpose
	insmod "$VNET_KO" "$@" ${VNET_LOAD_ARGS:-}
}

# vnet_unload: remove the module (waiting for the last references).
vnet_unload() {
	local i
	for i in $(seq 50); do
		rmmod vnet 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod vnet
}

# pool_pages_start, then pool_pages: how many pages page pools took from
# the page allocator in between (page_pool:page_pool_state_hold, an event
# per page a pool allocates), which is what recycling did not serve.
# Unlike /proc/vmstat's pgalloc_* it leaves out the skbs' own slab pages,
# whose churn depends on which CPU frees them (irq_spread) and on KASAN's
# quarantine. It replaces the events enabled in tracefs (set_event) and
# leaves none enabled.
VNET_TRACEFS=/sys/kernel/tracing
pool_pages_start() {
	local t=$VNET_TRACEFS
	[ -e "$t/set_event" ] || mount -t tracefs tracefs "$t"
	echo 0 > "$t/tracing_on"
	echo page_pool:page_pool_state_hold > "$t/set_event"
	echo > "$t/trace"
	echo 1 > "$t/tracing_on"
}
pool_pages() {
	local t=$VNET_TRACEFS n lost
	echo 0 > "$t/tracing_on"
	n=$(grep -c ' page_pool_state_hold: ' "$t/trace")
	# Events a full buffer overwrote (only this one was enabled).
	lost=$(cat "$t"/per_cpu/cpu*/stats | awk '/^overrun:/ { n += $2 } END { print n + 0 }')
	echo > "$t/set_event"
	echo > "$t/trace"
	echo 1 > "$t/tracing_on"
	echo $((n + lost))
}

# counter NAME: the value of NAME in `ethtool -S` output on stdin, parsed
# by bash itself: a process costs 30-100 ms in a TCG guest, and the cases
# read thousands of counters.
counter() {
	local k v
	while read -r k v; do
		if [ "$k" = "$1:" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

# stat DEV NAME: one `ethtool -S` counter.
stat() {
	ethtool -S "$1" | counter "$2"
}

# mac DEV
mac() {
	cat "/sys/class/net/$1/address"
}

# quiet_dev DEV: up, with no traffic of the stack's own (IPv6 autoconf,
# ARP), so that counters move only for what a test sends.
quiet_dev() {
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip link set "$1" arp off multicast off up
}

# rawsend DEV [ARGS...]: send raw frames through AF_PACKET (see helpers/).
rawsend() {
	python3 "$VNET_TESTS/helpers/rawsend.py" "$@"
}

VNETCTL="$VNET_TESTS/../tools/vnetctl"
vnetctl() {
	"$VNETCTL" "$@"
}
# vset DEV[,DEV...] SETTING VALUE...: `vnetctl set` on each device, in the
# namespace it is in (the initial one or one of `ip netns list`). Every
# device is tried; a failure is said in the log (as a KTAP comment) and
# makes the status 1.
vset() {
	local devs=$1 dev ns rc=0
	shift
	for dev in ${devs//,/ }; do
		if [ -e "/sys/class/net/$dev" ]; then
			"$VNETCTL" set "$dev" "$@" 2>&1 | sed 's/^/# vset: /'
			[ "${PIPESTATUS[0]}" = 0 ] || rc=1
			continue
		fi
		for ns in $(ip netns list | awk '{print $1}'); do
			if ip netns exec "$ns" test -e "/sys/class/net/$dev"; then
				"$VNETCTL" -n "$ns" set "$dev" "$@" 2>&1 | sed 's/^/# vset: /'
				[ "${PIPESTATUS[0]}" = 0 ] || rc=1
				continue 2
			fi
		done
		echo "# vset: no device $dev"
		rc=1
	done
	return $rc
}
# "${VNETGENL[@]}" --do|--dump OP [--json '{...}']: the vnet family, driven
# by its spec as the kernel's ynl CLI is (helpers/vnetgenl.py); an array,
# so that `nsx NS "${VNETGENL[@]}" ...` works too.
VNET_SPEC="$VNET_TESTS/../spec/vnet.yaml"
VNETGENL=(python3 "$VNET_TESTS/helpers/vnetgenl.py" --spec "$VNET_SPEC")

# netdev_nl NS ARGS...: the kernel's own ynl CLI on its netdev family, in
# namespace NS, JSON out. The CLI and the spec are linux-source-6.12's,
# which test.sh puts in build/ynl (VNET_YNL).
VNET_YNL="$VNET_TESTS/../build/ynl"
netdev_nl() {
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$VNET_YNL/tools/net/ynl/cli.py" \
		--spec "$VNET_YNL/Documentation/netlink/specs/netdev.yaml" \
		--schema "$VNET_YNL/Documentation/netlink/genetlink.yaml" \
		--process-unknown --output-json "$@"
}

# nsx NS CMD...: run CMD in network namespace NS.
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# pair_setup [QUEUES]: namespaces a and b joined by the pair va (in a,
# 10.9.0.1 and fd00::1) and vb (in b, 10.9.0.2 and fd00::2), both up.
pair_setup() {
	ip netns add a
	ip netns add b
	vnetctl add va netns a peer vb netns b queues "${1:-1}" || return 1
	ip -n a addr add 10.9.0.1/24 dev va
	ip -n b addr add 10.9.0.2/24 dev vb
	ip -n a addr add fd00::1/64 dev va nodad
	ip -n b addr add fd00::2/64 dev vb nodad
	ip -n a link set va up
	ip -n b link set vb up
	ip -n a link set lo up
	ip -n b link set lo up
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@" > /dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# tcp_check LABEL BYTES [LIMIT]: a TCP transfer of BYTES from namespace a
# to 10.9.0.2 in namespace b (pair_setup), compared on arrival (xfer.py);
# the client gets LIMIT seconds (default 120, times VNET_SLOW).
tcp_check() {
	local srv cli
	: > /tmp/srv
	nsx b python3 "$VNET_TESTS/helpers/xfer.py" tcp-server 5001 > /tmp/srv &
	listening /tmp/srv
	cli=$(nsx a timeout $((${3:-120} * VNET_SLOW)) python3 "$VNET_TESTS/helpers/xfer.py" \
		tcp-client 10.9.0.2 5001 "$2")
	wait
	srv=$(grep bytes= /tmp/srv)
	check_eq "$1: what arrived is what was sent ($2 bytes)" "$cli" "$srv"
}

# listening FILE: wait until a server of xfer.py, started in the background
# with its output in FILE, has bound its socket (it prints "listening").
# A fixed sleep was too short for python to start on the debug kernel,
# where a client then sent into a closed port. Empty FILE before starting
# the server: a background job's redirection truncates it only later.
listening() {
	wait_for $((20 * VNET_SLOW)) grep -q listening "$1"
}

# client_done FILE: tell that server (it printed "listening PID" into FILE)
# that its client has sent everything: it stops at the next second of
# silence, rather than wait out its SECONDS when every datagram is dropped
# (a minute on the debug kernel).
client_done() {
	local word pid
	read -r word pid < "$1"
	[ "$word" = listening ] && kill -USR1 "$pid" 2> /dev/null
	return 0
}

# capture NS DEV FILE SECONDS FILTER...: tcpdump on DEV (in namespace NS,
# or "" for this one) into FILE for SECONDS, in the background; returns
# once tcpdump is capturing, so that "it saw nothing" means something.
# `wait` for it (its time limit) or capture_done, then count with captured.
capture() {
	local ns=$1 dev=$2 file=$3 secs=$4
	shift 4
	rm -f "$file" "$file.log"
	if [ -n "$ns" ]; then
		ip netns exec "$ns" timeout "$secs" tcpdump --immediate-mode -ni "$dev" \
			-w "$file" "$@" 2> "$file.log" &
	else
		timeout "$secs" tcpdump --immediate-mode -ni "$dev" -w "$file" "$@" \
			2> "$file.log" &
	fi
	wait_for $((5 * VNET_SLOW)) grep -q "listening on" "$file.log"
}

# capture_end: stop the running captures now (tcpdump writes out what it
# has) and wait for them; for captures whose traffic may take longer than
# planned (a slow or busy machine).
capture_end() {
	pkill -INT -x tcpdump
	wait
}

# capture_done: the traffic was sent; stop the captures once a frame still
# on its way would have arrived (immediate mode: tcpdump has each frame as
# it comes), rather than at their time limit.
capture_done() {
	sleep $((VNET_SLOW > 1 ? 2 : 1))
	capture_end
}

# captured FILE: how many frames a capture() wrote. A capture that never
# started (no file) says so, rather than "0", which a check of "tcpdump
# saw nothing" would take for a pass.
captured() {
	local frames
	if ! frames=$(tcpdump -r "$1" 2> /dev/null); then
		echo "no capture in $1"
	elif [ -z "$frames" ]; then
		echo 0
	else
		wc -l <<< "$frames"
	fi
}

# nstat NS DEV NAME: one `ethtool -S` counter of a device in a namespace.
nstat() {
	ip netns exec "$1" ethtool -S "$2" | counter "$3"
}

# xfer ARGS...: the transfer helper (see helpers/xfer.py).
xfer() {
	python3 "$VNET_TESTS/helpers/xfer.py" "$@"
}

# quiet_pair: pair_setup 1 without IPv6 and with static neighbours, so that
# only the frames a check sends cross the wire (and random faults meet the
# same frames in the same order, run after run).
quiet_pair() {
	pair_setup 1
	nsx a sysctl -qw net.ipv6.conf.va.disable_ipv6=1
	nsx b sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
	ip -n a neigh replace 10.9.0.2 lladdr "$(nsx b cat /sys/class/net/vb/address)" dev va nud permanent
	ip -n b neigh replace 10.9.0.1 lladdr "$(nsx a cat /sys/class/net/va/address)" dev vb nud permanent
}

# answered COUNT: ping from a to b COUNT times, fast; print the sequence
# numbers answered.
answered() {
	nsx a ping -n -c "$1" -i 0.002 -W 2 10.9.0.2 2> /dev/null |
		sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' | sort -n | tr '\n' ' '
}

# rtt COUNT: "min max mdev" of COUNT pings from a to b, in whole ms.
rtt() {
	nsx a ping -n -c "$1" -i 0.1 -W 3 10.9.0.2 2> /dev/null |
		awk -F'[ /]' '/^rtt/ {printf "%d %d %d", $7, $9, $10}'
}

# udp_run COUNT [ARGS...]: COUNT datagrams from a to b (xfer.py); print
# what b saw, on one line.
udp_run() {
	local n=$1
	shift
	nsx b python3 "$VNET_TESTS/helpers/xfer.py" udp-server 5010 200 $((10 * VNET_SLOW)) > /tmp/udp &
	# A datagram before the socket exists would refuse the client's next.
	listening /tmp/udp
	nsx a python3 "$VNET_TESTS/helpers/xfer.py" udp-client 10.9.0.2 5010 200 "$n" "$@" > /dev/null
	client_done /tmp/udp
	wait $!
	tr '\n' ' ' < /tmp/udp
}

# field NAME TEXT: the number after NAME= in TEXT.
field() {
	sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<< "$2"
}
