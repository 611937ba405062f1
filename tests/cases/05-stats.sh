#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ip -s link (ndo_get_stats64) and ethtool -S report the same totals, and
# the per-queue counters add up to the totals.
. "$(dirname "$0")/../lib.sh"
plan 4

vnet_load rx_interval_ms=5 rx_burst=16 queues=3
ip link set vnet0 up
ip addr add 198.51.100.1/24 dev vnet0
rawsend vnet0 --count 300 --type 0x0800 > /dev/null
sleep 1
ip link set vnet0 down
out=$(python3 - <<'PY'
import json, subprocess
j = json.loads(subprocess.check_output(["ip", "-j", "-s", "-s", "link", "show", "vnet0"]))[0]["stats64"]
s = {}
for line in subprocess.check_output(["ethtool", "-S", "vnet0"], text=True).splitlines()[1:]:
    k, v = line.split(":")
    s[k.strip()] = int(v)
ip = {"rx_packets": j["rx"]["packets"], "rx_bytes": j["rx"]["bytes"],
      "rx_dropped": j["rx"]["dropped"], "rx_missed": j["rx"]["missed_errors"],
      "tx_packets": j["tx"]["packets"], "tx_bytes": j["tx"]["bytes"],
      "tx_dropped": j["tx"]["dropped"]}
# ip's *_dropped also count the frames the core itself dropped (its
# core_stats: e.g. a frame queued as the device went down): never fewer.
def agrees(k):
    return ip[k] >= s[k] if k.endswith("_dropped") else ip[k] == s[k]
print("same" if all(agrees(k) for k in ip) else f"differ: ip={ip} ethtool={s}")
bad = [k for k in s if not k.startswith("q") and
       sum(v for q, v in s.items() if q.startswith("q") and q.split("_", 1)[1] == k) != s[k]]
print("sums" if not bad else f"per-queue sums differ for {bad}")
print(s["tx_packets"] >= 300 and s["rx_packets"] > 0)
PY
)
check_eq "ip -s link equals ethtool -S totals" same "$(sed -n 1p <<< "$out")"
check_eq "per-queue counters add up to the totals" sums "$(sed -n 2p <<< "$out")"
check_eq "both directions carried traffic" True "$(sed -n 3p <<< "$out")"
check_eq "no NETDEV_TX_BUSY" 0 "$(stat vnet0 tx_busy)"
vnet_unload
done_testing
