#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Python package (python/vnet) as its users drive it: vnet.Port
# attaches, reports where, refuses a taken queue and a missing device
# with their errno, closes as a context manager, makes and removes a
# device with create=True; vnet.scapy.VnetSocket is the far end of the
# device's wire for scapy: sr1() gets the stack's echo reply, sendp()
# frames arrive in the device's RX counters, sniff() sees the stack's
# echo requests.
. "$(dirname "$0")/../lib.sh"
plan 10

vnet_load rx_interval_ms=0
quiet_dev vnet0
py() { python3 "$VNET_TESTS/helpers/vnet_py.py" "$@"; }
out=$(py port vnet0 2>&1)
v() { sed -n "s/^$1=//p" <<< "$out" | head -1; }
check_eq "vnet.Port(dev) attaches: name, ifindex and queue 0 reported" 1 "$(v attached)"
check_eq "fileno() is the file's" 1 "$(v fileno_ok)"
check_eq "a second Port on the same queue: EBUSY" EBUSY "$(v second)"
check_eq "the context manager closes it, and the queue is free again" "1 OK" \
	"$(v closed) $(v again)"
check_eq "a device that does not exist: ENODEV" ENODEV "$(v nodev)"
check_eq "create=True makes the device, closing deletes it" "1 1" \
	"$(v created) $(v created_gone)"

ip addr add 10.7.0.1/24 dev vnet0
ip link set vnet0 up
ip neigh replace 10.7.0.9 lladdr 02:00:00:00:00:09 dev vnet0 nud permanent
out=$(py scapy vnet0 10.7.0.1 2>&1)
if [ "$(v sr1_echo_reply)" = 1 ]; then
	ok "scapy sr1() through VnetSocket: the stack's echo reply"
else
	fail "scapy sr1() through VnetSocket: the stack's echo reply" "$(tail -5 <<< "$out" | tr '\n' ' ')"
fi
check_eq "sendp(socket=VnetSocket): 5 frames in vnet0's rx_packets" 5 "$(v sendp_received)"
check_eq "sniff(opened_socket=VnetSocket): the stack's 3 echo requests" 3 "$(v sniffed_requests)"
check "the package imports without the repository on sys.path's front: vnet.__version__" \
	env PYTHONPATH="$VNET_TESTS/../python" python3 -c 'import vnet, vnet.scapy; print(vnet.__version__)'
done_testing
