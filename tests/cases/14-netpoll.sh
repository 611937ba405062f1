#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# netpoll (netconsole) over vnet: the kernel log goes out of a pair end to
# a UDP receiver behind the peer, and out of a standalone device, while
# the device carries a ping flood too, so that netpoll's xmit and its
# budget-0 poll (IRQs off) meet NAPI, the TX engine and its timers. The
# runner fails the case on any lockdep report or WARNING this causes.
# Kernels without lockdep say nothing when BHs are enabled with IRQs off
# (which may run softirqs, and so our TX timers, inside netpoll): a kprobe
# on __local_bh_enable_ip() counts those calls instead.
# netconsole is set up through configfs (netconsole's dynamic targets):
# built into the debug kernel, a module (loaded here) on Debian's.
. "$(dirname "$0")/../lib.sh"
plan 14

NC=/sys/kernel/config/netconsole
MARKS=$(reps 40 15)
T=/sys/kernel/tracing

# bh_irqoff_start, then bh_irqoff: how many times BHs were enabled with
# IRQs off (X86_EFLAGS_IF clear in the caller's flags) in between; empty
# if this kernel cannot tell (no kprobe events).
bh_irqoff_start() {
	[ -e "$T/kprobe_events" ] || return 0
	echo 'p:vnet_bh_irqoff __local_bh_enable_ip flags=%flags:x64' >> "$T/kprobe_events" ||
		return 0
	echo '!(flags & 0x200)' > "$T/events/kprobes/vnet_bh_irqoff/filter" || return 0
	echo > "$T/trace"
	echo 1 > "$T/events/kprobes/vnet_bh_irqoff/enable"
	echo 1 > "$T/tracing_on"
}
bh_irqoff() {
	[ -e "$T/events/kprobes/vnet_bh_irqoff/enable" ] || return 0
	echo 0 > "$T/events/kprobes/vnet_bh_irqoff/enable"
	grep -c ' vnet_bh_irqoff: ' "$T/trace"
	echo > "$T/trace"
	echo '-:vnet_bh_irqoff' >> "$T/kprobe_events"
}

# nc_target NAME DEV LOCAL REMOTE MAC: a netconsole target, enabled.
nc_target() {
	local t=$NC/$1
	mkdir "$t" &&
		echo "$2" > "$t/dev_name" &&
		echo "$3" > "$t/local_ip" &&
		echo "$4" > "$t/remote_ip" &&
		echo "$5" > "$t/remote_mac" &&
		echo 6666 > "$t/remote_port" &&
		echo 1 > "$t/enabled"
}

nc_del() {
	echo 0 > "$NC/$1/enabled" 2> /dev/null
	rmdir "$NC/$1" 2> /dev/null
}

# marks TAG: write $MARKS lines to the kernel log, at a level that reaches
# the consoles (the guest's loglevel is 4), a few at a time.
marks() {
	local i
	for i in $(seq "$MARKS"); do
		echo "<3>vnet-netpoll $1 $i" > /dev/kmsg
		[ $((i % 8)) = 0 ] && sleep 0.05
	done
	return 0
}

# configfs may be a module too: netconsole's loading brings it.
why=$(modprobe netconsole 2>&1)
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
if [ ! -d "$NC" ]; then
	for i in $(seq 14); do
		skip "netconsole over vnet" "no netconsole with dynamic targets: $why"
	done
	exit 0
fi
ok "netconsole's dynamic targets are available"

vnet_load devices=0
# netpoll finds its device in the initial namespace: va stays here; its
# peer vb is in namespace b, where the messages are received.
ip netns add b
vnetctl add va peer vb netns b
ip addr add 10.9.0.1/24 dev va
ip -n b addr add 10.9.0.2/24 dev vb
sysctl -qw net.ipv6.conf.va.disable_ipv6=1
nsx b sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
ip link set va up
ip -n b link set vb up
ip -n b link set lo up
ip neigh replace 10.9.0.2 lladdr "$(nsx b cat /sys/class/net/vb/address)" dev va nud permanent
ip -n b neigh replace 10.9.0.1 lladdr "$(mac va)" dev vb nud permanent
bh_irqoff_start

# (a) a pair end: the peer's namespace receives the messages.
rm -f /tmp/nc.out
nsx b timeout $((30 * VNET_SLOW)) socat -u UDP-RECV:6666 OPEN:/tmp/nc.out,creat,append &
rcv=$!
wait_for $((5 * VNET_SLOW)) bash -c "ip netns exec b ss -uln | grep -q ':6666 '"
check "a netconsole target on the pair end va is enabled" \
	nc_target pair va 10.9.0.1 10.9.0.2 "$(nsx b cat /sys/class/net/vb/address)"
ping -f -c $(reps 4000 800) -W 1 10.9.0.2 > /dev/null 2>&1 &
flood=$!
marks pair
wait $flood
# A TX completion deferred by netpoll must not need more traffic to go out.
got() { [ "$(grep -c 'vnet-netpoll pair ' /tmp/nc.out)" -ge "$MARKS" ]; }
check "every message reached vb's namespace over netconsole" wait_for $((10 * VNET_SLOW)) got
check_eq "in order, none twice" "$(seq "$MARKS" | tr '\n' ' ')" \
	"$(sed -n 's/.*vnet-netpoll pair \([0-9]*\).*/\1/p' /tmp/nc.out | tr '\n' ' ')"
check "the pair still answers pings" ping -c 3 -i 0.1 -W 2 10.9.0.2

# The same with a TX latency (the engine's timer completes) and with TX
# interrupt moderation (its coalescing timer raises the interrupt).
vset va,vb tx-delay 50us
ethtool -C va tx-usecs 30 tx-frames 8
: > /tmp/nc.out
ping -f -c $(reps 2000 400) -W 1 10.9.0.2 > /dev/null 2>&1 &
flood=$!
marks pair
wait $flood
check "with a TX latency and moderation too" wait_for $((10 * VNET_SLOW)) got
vset va,vb tx-delay 0
ethtool -C va tx-usecs 0 tx-frames 0
nc_del pair
kill $rcv 2> /dev/null
wait $rcv 2> /dev/null

# Interrupts on the other CPU (irq-spread) for the same traffic.
vset va,vb irq-spread on
check "irq-spread: a target on va is enabled again" \
	nc_target pair2 va 10.9.0.1 10.9.0.2 "$(nsx b cat /sys/class/net/vb/address)"
ping -f -c $(reps 2000 400) -W 1 10.9.0.2 > /dev/null 2>&1 &
flood=$!
marks spread
wait $flood
nc_del pair2
vset va,vb irq-spread off
check "the pair still answers pings after netconsole left" ping -c 3 -i 0.1 -W 2 10.9.0.2

# (b) a standalone device: its wire consumes the messages, counted in
# tx_packets (the ping flood goes out unanswered beside them).
ip link add name s0 type vnet
ip addr add 10.8.0.1/24 dev s0
quiet_dev s0
ip neigh replace 10.8.0.2 lladdr 02:00:00:00:00:02 dev s0 nud permanent
check "a netconsole target on the standalone s0 is enabled" \
	nc_target solo s0 10.8.0.1 10.8.0.2 02:00:00:00:00:02
ping -f -c $(reps 2000 400) -W 1 10.8.0.2 > /dev/null 2>&1 &
flood=$!
udp0=$(stat s0 tx_packets)
marks solo
wait $flood
sent=$(($(stat s0 tx_packets) - udp0))
# The flood's own frames are counted too: at least the messages went out.
check "s0 transmitted the messages (tx_packets +$sent)" test "$sent" -ge "$MARKS"
nc_del solo
check "s0 is deleted cleanly after netconsole used it" ip link del s0
n=$(bh_irqoff)
if [ -z "$n" ]; then
	skip "BHs were never enabled with IRQs off" "no kprobe events in this kernel"
else
	check_eq "BHs were never enabled with IRQs off (netpoll)" 0 "$n"
fi

check "va is deleted cleanly" ip link del va
check "the module unloads" vnet_unload
ip netns del b
done_testing
