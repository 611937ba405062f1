#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the KTAP a kernel selftest printed; print each subtest as one line:
"ok NAME", "fail NAME", "skip NAME REASON" (xfail counts as a skip: the
test says the case does not apply), then "totals PASS FAIL SKIP".

Usage: ksft_results.py LOG
"""
import re
import sys

RESULT = re.compile(r"^(not )?ok \d+ (\S+)(?:\s+#\s*(\S+)\s*(.*))?$")


def main():
    counts = {"ok": 0, "fail": 0, "skip": 0}
    with open(sys.argv[1], errors="replace") as log:
        for line in log:
            m = RESULT.match(line.rstrip("\n"))
            if not m:
                continue
            failed, name, directive, reason = m.groups()
            if directive in ("SKIP", "XFAIL"):
                verdict = "skip"
            else:
                verdict = "fail" if failed else "ok"
            counts[verdict] += 1
            print(verdict, name, (reason or "").strip() if verdict == "skip" else "")
    print("totals %d %d %d" % (counts["ok"], counts["fail"], counts["skip"]))


if __name__ == "__main__":
    main()
