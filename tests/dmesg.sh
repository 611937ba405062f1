#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What in the kernel log is a finding: one definition for the suite's
# per-case check (guest-run.sh) and the torture test (torture-guest.sh).
#
# dmesg_report: the lines of the kernel log that report a bug, a warning,
# a sanitizer or lockdep finding, a leak, a stall, a lockup or a hung
# task, with the 12 lines after each; nothing if the log is clean.
#
# kmemleak's report is its "N new suspected memory leaks" line, not any
# line of kmemleak's that says "leak": its boot banner ("Kernel memory
# leak detector initialized") failed three 30-minute torture runs, which
# read the log from the boot on (the suite's runner clears it per case).
#
# Left out before matching: pktgen's own notice when a device it sends on
# is deleted ("pktgen: WARNING: trying to remove a running interface,
# stopping it now", a pr_warn, not a WARN splat), which tests that delete
# devices under pktgen cause on purpose.
DMESG_BAD='BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking|inconsistent lock state|possible recursive locking|Call Trace:|general protection fault|Oops|kmemleak: [0-9]+ new suspected|detected (expedited )?stall|soft lockup|hung task|blocked for more than'
DMESG_BENIGN='pktgen: WARNING: trying to remove a running interface'

dmesg_report() {
	dmesg | grep -v -E "$DMESG_BENIGN" | grep -E -A12 "$DMESG_BAD"
}
