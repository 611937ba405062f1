#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the KTAP a kernel selftest printed; print each subtest as one line:
"ok NAME", "fail NAME", "skip NAME REASON" (xfail counts as a skip: the
test says the case does not apply), then "totals PASS FAIL SKIP" as
counted here, and "reported PASS FAIL SKIP" as the test's own "# Totals"
line says (fail with errors, skip with xfails), or "reported none".

Usage: ksft_results.py LOG
"""
import re
import sys

TOTALS = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) "
                    r"skip:(\d+) error:(\d+)")
RESULT = re.compile(r"^(not )?ok \d+ (\S+)(?:\s+#\s*(\S+)\s*(.*))?$")


def main():
    counts = {"ok": 0, "fail": 0, "skip": 0}
    reported = "none"
    with open(sys.argv[1], errors="replace") as log:
        for line in log:
            t = TOTALS.match(line)
            if t:
                p, f, xf, xp, sk, err = (int(v) for v in t.groups())
                reported = "%d %d %d" % (p + xp, f + err, sk + xf)
                continue
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
    print("reported", reported)


if __name__ == "__main__":
    main()
