#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare a device's netdev netlink qstats (ynl's JSON on stdin) with the
counters `ip -s link` shows (sysfs), in the caller's network namespace.

Usage: qstats_link.py DEV [FIELD=MIN | FIELD==N ...]
Prints every difference and exits 1 if there is one, or if a named qstats
field is below its minimum (FIELD=MIN) or not N (FIELD==N).
"""
import json
import sys

# qstats field: the rtnl_link_stats64 counter it must equal.
PAIRS = [
    ("rx-packets", "rx_packets"),
    ("rx-bytes", "rx_bytes"),
    ("tx-packets", "tx_packets"),
    ("tx-bytes", "tx_bytes"),
    ("rx-hw-drops", "rx_errors"),
    ("rx-hw-drop-overruns", "rx_missed_errors"),
    ("tx-hw-drops", "tx_dropped"),
]


def link(dev, name):
    with open("/sys/class/net/%s/statistics/%s" % (dev, name)) as f:
        return int(f.read())


def main():
    dev = sys.argv[1]
    answer = json.load(sys.stdin)
    if isinstance(answer, list):
        if len(answer) != 1:
            print("%d answers for the device, not 1" % len(answer))
            return 1
        answer = answer[0]
    bad = ["%s=%s, ip -s link's %s=%d" % (q, answer.get(q), s, link(dev, s))
           for q, s in PAIRS if answer.get(q) != link(dev, s)]
    for arg in sys.argv[2:]:
        if "==" in arg:
            field, want = arg.split("==")
            if answer.get(field) != int(want):
                bad.append("%s=%s, not %s" % (field, answer.get(field), want))
            continue
        field, least = arg.split("=")
        if answer.get(field, -1) < int(least):
            bad.append("%s=%s, below %s" % (field, answer.get(field), least))
    print("; ".join(bad) or "qstats: " + ", ".join(
        "%s=%s" % (q, answer.get(q)) for q, _ in PAIRS))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
