#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Data crosses a pair intact: a TCP transfer and UDP datagrams whose
# content is verified on arrival, over 1 and 4 queues, and with jumbo MTU.
. "$(dirname "$0")/../lib.sh"
plan 9

# 8 MiB per transfer and 2000 datagrams; on the debug kernel, a quarter.
bytes=$(reps $((8 << 20)) $((2 << 20)))
count=$(reps 2000 500)
vnet_load devices=0
pair_setup 1
tcp_check "TCP, 1 queue" "$bytes"
rm -f /tmp/usrv
nsx b python3 "$VNET_TESTS/helpers/xfer.py" udp-server 5002 1400 $((20 * VNET_SLOW)) > /tmp/usrv &
listening /tmp/usrv
nsx a python3 "$VNET_TESTS/helpers/xfer.py" udp-client 10.9.0.2 5002 1400 "$count" > /dev/null
wait
out=$(cat /tmp/usrv)
check_eq "UDP: $count datagrams arrive" "datagrams=$count" "$(grep -o 'datagrams=[0-9]*' <<< "$out")"
check_eq "UDP: each one intact" "bad=0" "$(grep -o 'bad=[0-9]*' <<< "$out")"
ip netns del a
ip netns del b
sleep 0.5

pair_setup 4
tcp_check "TCP, 4 queues" "$bytes"
check_eq "traffic crossed without drops" 0 $(($(nstat a va tx_dropped) + $(nstat b vb tx_dropped)))
ip -n a link set va mtu 9000
ip -n b link set vb mtu 9000
check "jumbo: ping -s 8972 with DF" nsx a ping -c 2 -W 2 -M do -s 8972 10.9.0.2
tcp_check "TCP at MTU 9000" "$bytes"
check "deleting va from its end (namespace a)" nsx a ip link del va
check "removes vb in namespace b" bash -c '! ip -n b link show vb 2>/dev/null'
vnet_unload
done_testing
