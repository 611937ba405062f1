#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A /dev/vnet client for the torture test (tests/torture-guest.sh): for
SECONDS it opens /dev/vnet, attaches to DEV, reads and writes frames (one
at a time and in batches), then detaches or simply closes, and starts over;
every choice comes from random.Random(SEED), so a seed replays the same
sequence of calls. Errors are expected (the device goes down, changes
namespace, is deleted, its module's control paths fail on purpose): they
are counted, never fatal. Prints one summary line; with LOG, every call.

  torture-port.py DEV SEED SECONDS [LOG]
"""
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vport import Port, frame, mac_of, ename  # noqa: E402


class Stuck(Exception):
    pass


def alarm(signum, frame_):
    raise Stuck()


def main():
    dev, seed, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    log = open(sys.argv[4], "w", buffering=1) if len(sys.argv) > 4 else None
    rng = random.Random(seed)
    end = time.monotonic() + secs
    counts = {}
    step = 0

    def note(what, result):
        counts[result] = counts.get(result, 0) + 1
        if log:
            log.write(f"port #{step} {what} -> {result}\n")

    def call(what, fn, *args):
        try:
            signal.setitimer(signal.ITIMER_REAL, 2.0)
            try:
                fn(*args)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            note(what, "OK")
        except OSError as e:
            note(what, ename(e.errno))
        except Stuck:
            # A blocking call that nothing completes (the device went
            # down with the ring full): counted, and the round goes on.
            note(what, "STUCK")

    # No blocking call may outlast a round by much: a blocked write on a
    # device that went down waits for room that never comes.
    signal.signal(signal.SIGALRM, alarm)
    while time.monotonic() < end:
        step += 1
        # Every choice of this round is drawn before any call is made, so
        # that what the kernel answers never changes the sequence.
        nonblock = rng.random() < 0.7
        ops = [rng.choice(("read", "write", "send", "recv", "reattach"))
               for _ in range(rng.randint(1, 40))]
        sizes = [rng.choice((14, 60, 64, 1500, 1514, 9000, 9100)) for _ in ops]
        detach_first = rng.random() < 0.5
        try:
            p = Port(nonblock=nonblock)
        except OSError as e:
            note("open", ename(e.errno))
            time.sleep(0.1)
            continue
        try:
            dst = mac_of(dev)
        except OSError:
            dst = b"\xff" * 6
        call(f"attach {dev}", p.attach, dev)
        for i, (op, size) in enumerate(zip(ops, sizes)):
            if op == "read" and nonblock:
                call("read", p.read, 10000)
            elif op == "write":
                call(f"write {size}", p.write, frame(dst, i, size))
            elif op == "send":
                call(f"send 16x{size}", p.send_batch,
                     [frame(dst, i * 16 + k, size) for k in range(16)])
            elif op == "recv" and nonblock:
                call("recv 16", p.recv_batch, 16)
            elif op == "reattach":
                call("detach", p.detach)
                call(f"attach {dev}", p.attach, dev)
        if detach_first:
            call("detach", p.detach)
        p.close()
        note("close", "OK")
    print(f"port {dev} seed {seed}: {step} rounds, " +
          " ".join(f"{k}={v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
