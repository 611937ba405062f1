#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Transfers whose content is verified end to end, for vnet's pair tests.

  xfer.py tcp-server PORT                 receive until EOF
  xfer.py tcp-client HOST PORT BYTES      send BYTES random bytes
      both print "bytes=N sha256=HEX"
  xfer.py udp-server PORT SIZE SECONDS [--gro]
      receive SIZE-byte datagrams for SECONDS (or until 1 s of silence
      after the first one, or after a SIGUSR1 that says the client is done);
      --gro asks for UDP GRO (several datagrams per recv, split by SIZE)
      prints "listening PID" once its socket is bound, then at the end
      "datagrams=N recvs=R bad=B", then "dups=D late=L": datagrams
      whose sequence number came before (duplicates), and those that
      arrived after a later one (reordered)
  xfer.py udp-client HOST PORT SIZE COUNT [--gso]
      send COUNT datagrams of SIZE bytes; --gso sends them 40 at a time with
      UDP_SEGMENT, so the stack segments one buffer into a burst
      prints "datagrams=N"
Every datagram carries its sequence number and a digest of its payload, so
the receiver checks each one it gets.
"""
import hashlib
import os
import signal
import socket
import struct
import sys
import time

SOL_UDP = 17
UDP_SEGMENT = 103
UDP_GRO = 104
SO_RCVBUFFORCE = 33


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def tcp_server(port):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", int(port)))
    s.listen(1)
    print("listening", flush=True)
    c, _ = s.accept()
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(f"bytes={n} sha256={h.hexdigest()}")


def tcp_client(host, port, nbytes):
    c = socket.create_connection((host, int(port)), timeout=60)
    h, left = hashlib.sha256(), int(nbytes)
    while left:
        b = os.urandom(min(left, 1 << 16))
        c.sendall(b)
        h.update(b)
        left -= len(b)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    print(f"bytes={nbytes} sha256={h.hexdigest()}")


def datagram(seq, size):
    body = os.urandom(size - 12)
    return struct.pack("!I", seq) + hashlib.sha256(body).digest()[:8] + body


def good(d):
    return len(d) > 12 and hashlib.sha256(d[12:]).digest()[:8] == d[4:12]


def udp_server(port, size, seconds, gro):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    # UDP has no flow control: a buffer for every datagram of a test, so
    # that a slow receiver (the debug kernel) loses none. SO_RCVBUFFORCE
    # passes net.core.rmem_max, which caps SO_RCVBUF at ~200 KiB.
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 24)
    if gro:
        s.setsockopt(SOL_UDP, UDP_GRO, 1)
    s.bind(("::", int(port)))
    s.settimeout(1.0)
    # A test that expects nothing (every datagram dropped) says when its
    # client is done, instead of waiting SECONDS for silence to begin.
    client_done = []
    signal.signal(signal.SIGUSR1, lambda *_: client_done.append(1))
    print(f"listening {os.getpid()}", flush=True)
    size, deadline = int(size), time.monotonic() + float(seconds)
    n = recvs = bad = dups = late = 0
    seen, seqs, top = False, set(), -1
    while time.monotonic() < deadline:
        try:
            b = s.recv(1 << 17)
        except socket.timeout:
            if seen or client_done:
                break
            continue
        seen = True
        recvs += 1
        for off in range(0, len(b), size):
            d = b[off:off + size]
            n += 1
            bad += not good(d)
            seq = struct.unpack("!I", d[:4])[0] if len(d) >= 4 else -1
            if seq in seqs:
                dups += 1
                continue
            seqs.add(seq)
            late += seq < top
            top = max(top, seq)
    print(f"datagrams={n} recvs={recvs} bad={bad}")
    print(f"dups={dups} late={late}")


def udp_client(host, port, size, count, gso):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.connect((host, int(port)))
    size, count = int(size), int(count)
    if gso:
        s.setsockopt(SOL_UDP, UDP_SEGMENT, size)
    seq = sent = 0
    while sent < count:
        k = min(40, count - sent) if gso else 1
        s.send(b"".join(datagram(seq + i, size) for i in range(k)))
        seq += k
        sent += k
        time.sleep(0.002)    # let the receiver keep up: this is no loss test
    print(f"datagrams={sent}")


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "tcp-server":
        tcp_server(a[1])
    elif a[0] == "tcp-client":
        tcp_client(a[1], a[2], a[3])
    elif a[0] == "udp-server":
        udp_server(a[1], a[2], a[3], "--gro" in a)
    elif a[0] == "udp-client":
        udp_client(a[1], a[2], a[3], a[4], "--gso" in a)
    else:
        sys.exit(__doc__)
