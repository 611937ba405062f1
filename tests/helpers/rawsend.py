#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send raw Ethernet frames through an AF_PACKET socket and report how many
the kernel accepted. Used by vnet's tests to drive the TX path exactly.

usage: rawsend.py DEV [--count N] [--type 0xHHHH] [--len BYTES]
                      [--dst MAC] [--seconds S] [--sndbuf BYTES] [--prefill N]
Prints "sent=<accepted> refused=<errors>" on stdout.
--seconds sends until that much time has passed instead of --count frames.
--sndbuf sets the socket's send buffer (SO_SNDBUF): a blocking send waits
while that much of the socket's data is queued in the kernel.
--prefill first sends N frames through a second socket, with a buffer that
holds them all, so that frames queued ahead of ours are not ours to wait
for (counted in sent).
"""
import argparse
import errno
import socket
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dev")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--type", default="0x88b5")
    ap.add_argument("--len", type=int, default=60)
    ap.add_argument("--dst", default="ff:ff:ff:ff:ff:ff")
    ap.add_argument("--seconds", type=float, default=0)
    ap.add_argument("--sndbuf", type=int, default=0)
    ap.add_argument("--prefill", type=int, default=0)
    a = ap.parse_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.dev, 0))
    if a.sndbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.sndbuf)
    src = open(f"/sys/class/net/{a.dev}/address").read().strip()
    hdr = (bytes.fromhex(a.dst.replace(":", "")) + bytes.fromhex(src.replace(":", ""))
           + int(a.type, 16).to_bytes(2, "big"))
    frame = hdr + bytes(range(256)) * (a.len // 256 + 1)
    frame = frame[:a.len]

    sent = refused = 0
    if a.prefill:
        p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        p.bind((a.dev, 0))
        # Room for all of them (SO_SNDBUFFORCE: root may exceed wmem_max).
        p.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_SNDBUFFORCE", 32),
                     a.prefill * (a.len + 4096))
        for _ in range(a.prefill):
            p.send(frame)
            sent += 1
        p.close()
    deadline = time.monotonic() + a.seconds
    i = 0
    while (i < a.count) if not a.seconds else (time.monotonic() < deadline):
        i += 1
        try:
            s.send(frame)
            sent += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.EAGAIN, errno.ENETDOWN,
                               errno.ENXIO, errno.ENODEV):
                raise
            refused += 1
            if e.errno in (errno.ENXIO, errno.ENODEV):
                break
    print(f"sent={sent} refused={refused}")


if __name__ == "__main__":
    main()
