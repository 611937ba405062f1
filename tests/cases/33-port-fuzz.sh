#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fuzz /dev/vnet: 100k writes of random lengths (0..16k) and contents, with
# bad pointers and reads mixed in, into a device whose RX ring is small,
# then rmmod. The harness checks dmesg (KASAN, kmemleak on the debug
# kernel) after the case.
. "$(dirname "$0")/../lib.sh"
plan 5

vnet_load rx_interval_ms=0
ethtool -G vnet0 rx 64
quiet_dev vnet0
len0=$(stat vnet0 rx_length_errors)
out=$(python3 "$VNET_TESTS/helpers/vport.py" fuzz vnet0 100000 7)
echo "# $out"
total=0
for kv in $out; do
	total=$((total + ${kv#*=}))
done
check_eq "100000 operations ran" 100000 "$total"
check "some writes were accepted" grep -Eq '(^| )OK=[1-9]' <<< "$out"
check "bad lengths were refused (EINVAL, EMSGSIZE)" \
	grep -Eq 'EINVAL=[1-9].*EMSGSIZE=[1-9]|EMSGSIZE=[1-9].*EINVAL=[1-9]' <<< "$out"
check "bad pointers were refused (EFAULT)" grep -Eq 'EFAULT=[1-9]' <<< "$out"
refused=$(($(grep -o 'EINVAL=[0-9]*' <<< "$out" | cut -d= -f2) +
	    $(grep -o 'EMSGSIZE=[0-9]*' <<< "$out" | cut -d= -f2)))
check_eq "every refused length was counted as rx_length_errors" "$refused" \
	$(($(stat vnet0 rx_length_errors) - len0))
vnet_unload
done_testing
