#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive /dev/vnet from Python for vnet's tests: every subcommand prints
key=value lines (errno names for failures) that the test cases check.

  vport.py attach DEV [--queue N] [--create]     attach, print the answer
  vport.py inject DEV COUNT [--batch B]          write COUNT distinct frames
  vport.py echo DEV COUNT [--batch B]            send COUNT frames out of DEV
                                                 (AF_PACKET) and read them back
  vport.py semantics DEV                         nonblock, poll, short reads,
                                                 bad frames, bad pointers
  vport.py blocked DEV ACTION                    a reader blocked in read();
                                                 ACTION detach|close|wait
  vport.py fuzz DEV COUNT SEED                   random frames and lengths
  vport.py reflect DEV COUNT                     write COUNT frames; read back
                                                 those an XDP_TX program sent
                                                 (addresses swapped)
  vport.py pktgen-read DEV COUNT [--batch B]     read COUNT frames the kernel's
                                                 pktgen sends out of DEV
  vport.py drain DEV STOPFILE [--batch B]        read everything until STOPFILE
                                                 exists and the port is quiet
The frames use EtherType 0x88b5 (local experimental) and carry a sequence
number, so that they are told apart from the stack's own traffic.
"""
import argparse
import ctypes
import fcntl
import os
import random
import select
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
import vnet  # noqa: E402  (the project's package, python/vnet)
from vnet import (ATTACH_CREATE, FRAME_TRUNC, QUEUE_ANY,  # noqa: E402,F401
                  BATCH_FMT, IOC_SEND, IOC_RECV)

ETHERTYPE = 0x88B5

libc = ctypes.CDLL(None, use_errno=True)
ename = vnet.errno_name


class Port(vnet.Port):
    """vnet.Port, plus write/read under their syscalls' names and raw
    calls from arbitrary addresses (for the bad-pointer checks)."""

    def __init__(self, nonblock=False):
        super().__init__(nonblock=nonblock)

    def write(self, frame):
        return self.send(frame)

    def read(self, size=10000):
        return self.recv(size)

    def recv_batch(self, count, size=10000):
        return super().recv_batch(count, size)

    def raw_write(self, addr, length):
        """write() from an arbitrary address: returns 0 or an errno."""
        r = libc.write(self.fd, ctypes.c_void_p(addr), ctypes.c_size_t(length))
        return 0 if r >= 0 else ctypes.get_errno()

    def raw_read(self, addr, length):
        r = libc.read(self.fd, ctypes.c_void_p(addr), ctypes.c_size_t(length))
        return 0 if r >= 0 else ctypes.get_errno()


def mac_of(dev):
    return bytes.fromhex(open(f"/sys/class/net/{dev}/address").read().strip().replace(":", ""))


def frame(dst, seq, length=64, src=b"\x02\x00\x00\x00\x00\x01"):
    """A test frame: EtherType 0x88b5, a sequence number, a pattern."""
    body = struct.pack("!I", seq) + bytes((seq + i) & 0xFF for i in range(length))
    return (dst + src + struct.pack("!H", ETHERTYPE) + body)[:max(length, 18)]


def try_errno(fn, *args):
    try:
        fn(*args)
        return "OK"
    except OSError as e:
        return ename(e.errno)


def cmd_attach(a):
    p = Port()
    flags = ATTACH_CREATE if a.create else 0
    try:
        name, ifindex, q = p.attach(a.dev, a.queue, flags)
        print(f"attach=OK name={name} ifindex={ifindex} queue={q}")
        if a.hold:
            # Stay attached until told (stdin closes or a signal).
            sys.stdout.flush()
            sys.stdin.read()
    except OSError as e:
        print(f"attach={ename(e.errno)}")


def cmd_inject(a):
    p = Port()
    p.attach(a.dev)
    dst = mac_of(a.dev)
    frames = [frame(dst, i, a.len) for i in range(a.count)]
    done = 0
    t0 = time.monotonic()
    while done < a.count:
        if a.batch > 1:
            done += p.send_batch(frames[done:done + a.batch])
        else:
            p.write(frames[done])
            done += 1
    print(f"injected={done} seconds={time.monotonic() - t0:.3f}")


def cmd_echo(a):
    """Frames sent out of DEV by the stack come back byte-identical."""
    p = Port()
    p.attach(a.dev)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.dev, 0))
    src = mac_of(a.dev)
    sent = [frame(b"\x02\x00\x00\x00\x00\x02", i, a.len or 60 + (i * 97) % 1400, src)
            for i in range(a.count)]
    got = []
    for f in sent:
        s.send(f)
    deadline = time.monotonic() + 10
    while len(got) < a.count and time.monotonic() < deadline:
        r, _, _ = select.select([p.fd], [], [], 1)
        if not r:
            continue
        if a.batch > 1:
            frames = [f for f, _, _ in p.recv_batch(a.batch)]
        else:
            frames = [p.read()]
        got += [f for f in frames if f[12:14] == struct.pack("!H", ETHERTYPE)]
    same = sum(1 for x, y in zip(sent, got) if x == y)
    print(f"sent={len(sent)} read={len(got)} identical={same}")


def inet_sum(data):
    """The Internet checksum's ones' complement sum of data, folded."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total


def cmd_csum(a):
    """UDP datagrams the stack leaves to vnet's checksum offload are read
    with valid IPv4 and UDP checksums. DEV has a.src/24, a.dst is a
    permanent neighbour on it."""
    p = Port()
    p.attach(a.dev)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(a.count):
        s.sendto(bytes([i & 0xff]) * (1 + (i * 131) % 1400), (a.dst, 9))
    got = valid = 0
    deadline = time.monotonic() + 10
    while got < a.count and time.monotonic() < deadline:
        r, _, _ = select.select([p.fd], [], [], 1)
        if not r:
            continue
        f = p.read()
        if f[12:14] != b"\x08\x00" or f[23] != 17:
            continue
        got += 1
        ihl = (f[14] & 0xf) * 4
        ip, udp = f[14:14 + ihl], f[14 + ihl:14 + struct.unpack("!H", f[16:18])[0]]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(udp))
        if inet_sum(ip) == 0xffff and inet_sum(pseudo + udp) == 0xffff:
            valid += 1
    print(f"sent={a.count} read={got} valid={valid}")


def read_frames(p, count, batch, seconds):
    """Up to COUNT frames from the non-blocking port P, read one at a time
    or BATCH per call, within SECONDS."""
    got = []
    deadline = time.monotonic() + seconds
    while len(got) < count and time.monotonic() < deadline:
        r, _, _ = select.select([p.fd], [], [], 1)
        if not r:
            continue
        try:
            got += [f for f, _, _ in p.recv_batch(batch)] if batch > 1 else [p.read()]
        except BlockingIOError:
            continue
    return got


def cmd_xdp_read(a):
    """COUNT frames redirected into DEV by XDP (vnet-xdp send: the kernel's
    live frames) reach a reader of DEV byte-identical; --hold reads none."""
    p = Port(nonblock=True)
    p.attach(a.dev)
    tools = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tools")
    out = subprocess.run([os.path.join(tools, "vnet-xdp"), "send", a.dev, "-c", str(a.count)],
                         check=True, capture_output=True, text=True).stdout.strip()
    want = b"\x02\xee\0\0\0\x01\x02\xee\0\0\0\x02\x88\xb5" + bytes(46)
    frames = [] if a.hold else read_frames(p, a.count, a.batch, 10)
    same = sum(1 for f in frames if f == want)
    print(f"{out} read={len(frames)} identical={same}")


def cmd_pktgen_read(a):
    """COUNT frames pktgen sends out of DEV (its skbs, shared with pktgen,
    one per transmit) are read whole: 60 bytes, pktgen's magic, every
    sequence number once."""
    p = Port(nonblock=True)
    p.attach(a.dev)
    helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pktgen.sh")
    gen = subprocess.Popen(["bash", helper, a.dev, str(a.count), "60", "1"],
                           stdout=subprocess.DEVNULL)
    frames = read_frames(p, a.count, a.batch, 30)
    gen.wait()
    ours = [f for f in frames if len(f) == 60 and f[42:46] == b"\xbe\x9b\xe9\x55"]
    seqs = {struct.unpack("!I", f[46:50])[0] for f in ours}
    print(f"read={len(frames)} pktgen={len(ours)} seqs={len(seqs)}")


def cmd_drain(a):
    """Read every frame until STOPFILE exists and a second passes without
    one; count them, pktgen's among them, and pktgen's distinct sequence
    numbers (a frame read twice, or a slot overwritten, shows there)."""
    p = Port(nonblock=True)
    p.attach(a.dev)
    print("attached", flush=True)
    total = ours = 0
    seqs = set()
    quiet_since = None
    while True:
        r, _, _ = select.select([p.fd], [], [], 0.2)
        frames = []
        if r:
            try:
                frames = [f for f, _, _ in p.recv_batch(a.batch)]
            except BlockingIOError:
                pass
        if frames:
            quiet_since = None
        elif os.path.exists(a.stopfile):
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 1:
                break
        for f in frames:
            total += 1
            if len(f) == 60 and f[42:46] == b"\xbe\x9b\xe9\x55":
                ours += 1
                seqs.add(struct.unpack("!I", f[46:50])[0])
    print(f"read={total} pktgen={ours} seqs={len(seqs)}", flush=True)


def cmd_reflect(a):
    """Frames written come back with their Ethernet addresses swapped."""
    p = Port()
    p.attach(a.dev)
    dst = mac_of(a.dev)
    sent = [frame(dst, i, 60 + (i * 89) % 1000) for i in range(a.count)]
    for f in sent:
        p.write(f)
    got = []
    deadline = time.monotonic() + 10
    while len(got) < a.count and time.monotonic() < deadline:
        r, _, _ = select.select([p.fd], [], [], 1)
        if r:
            f = p.read()
            if f[12:14] == struct.pack("!H", ETHERTYPE):
                got.append(f)
    swapped = sum(1 for x, y in zip(sent, got)
                  if y == x[6:12] + x[0:6] + x[12:])
    print(f"sent={len(sent)} read={len(got)} swapped={swapped}")


def cmd_semantics(a):
    dev = a.dev
    dst = mac_of(dev)
    p = Port(nonblock=True)
    print("unattached_read=" + try_errno(p.read))
    print("unattached_write=" + try_errno(p.write, frame(dst, 0)))
    pl = select.poll()
    pl.register(p.fd, select.POLLIN | select.POLLOUT)
    ev = dict(pl.poll(0)).get(p.fd, 0)
    print(f"unattached_poll_err={int(bool(ev & select.POLLERR))}")
    print("detach_unattached=" + try_errno(p.detach))
    p.attach(dev)
    print("attach_twice=" + try_errno(p.attach, dev))
    # Nothing transmitted yet: reads would block.
    print("empty_read=" + try_errno(p.read))
    ev = dict(pl.poll(0)).get(p.fd, 0)
    print(f"poll_in={int(bool(ev & select.POLLIN))} poll_out={int(bool(ev & select.POLLOUT))}")
    # Bad frames.
    mtu = int(open(f"/sys/class/net/{dev}/mtu").read())
    print("write_13=" + try_errno(p.write, frame(dst, 1)[:13]))
    print("write_0=" + try_errno(p.write, b""))
    print("write_max=" + try_errno(p.write, frame(dst, 2, mtu + 18)))
    print("write_max_plus_1=" + try_errno(p.write, frame(dst, 3, mtu + 18) + b"x"))
    e = p.raw_write(1, 60)
    print("write_bad_pointer=" + (ename(e) if e else "OK"))
    # A frame the stack sends, read with a short buffer, then with poll.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((dev, 0))
    f = frame(b"\x02\x00\x00\x00\x00\x02", 7, 200, mac_of(dev))
    s.send(f)
    r = pl.poll(2000)
    ev = dict(r).get(p.fd, 0)
    print(f"poll_in_after_tx={int(bool(ev & select.POLLIN))}")
    e = p.raw_read(1, 2000)
    print("read_bad_pointer=" + (ename(e) if e else "OK"))
    short = p.read(100)
    print(f"short_read_len={len(short)} short_read_prefix_ok={int(short == f[:100])}")
    print("read_after_short=" + try_errno(p.read))
    s.send(f)
    pl.poll(2000)
    out = p.recv_batch(4, 50)
    print(f"batch_short_n={len(out)} batch_len={out[0][1]} "
          f"batch_trunc={out[0][2] & FRAME_TRUNC} batch_prefix_ok={int(out[0][0] == f[:50])}")
    # A batch of good frames then a bad one: the good ones count.
    n = p.send_batch([frame(dst, 10), frame(dst, 11), frame(dst, 12)[:10]])
    print(f"batch_send_partial={n}")
    print("batch_send_bad_first=" + try_errno(p.send_batch, [frame(dst, 13)[:10]]))
    bad = struct.pack(BATCH_FMT, 0, 1, 0)
    print("batch_bad_array=" + try_errno(fcntl.ioctl, p.fd, IOC_SEND, bytearray(bad)))
    print("batch_count_0=" + try_errno(fcntl.ioctl, p.fd, IOC_RECV,
                                        bytearray(struct.pack(BATCH_FMT, 0, 0, 0))))
    print("unknown_ioctl=" + try_errno(fcntl.ioctl, p.fd, vnet._ioc(0, 99, 0)))
    p.detach()
    print("read_after_detach=" + try_errno(p.read))
    p.close()


def cmd_blocked(a):
    """A reader (and a writer with a full ring) blocked when ACTION happens."""
    p = Port()
    p.attach(a.dev)
    result = {}

    def reader():
        try:
            p.read()
            result["read"] = "OK"
        except OSError as e:
            result["read"] = ename(e.errno)

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.5)
    print(f"blocked={int(t.is_alive())}")
    sys.stdout.flush()
    if a.action == "detach":
        p.detach()
    elif a.action == "wait":
        # Something else (the test) removes the device or the module.
        sys.stdin.readline()
    t.join(10)
    print(f"woken={int(not t.is_alive())} read={result.get('read', 'still blocked')}")
    if a.action == "wait":
        print("write_after=" + try_errno(p.write, frame(b"\xff" * 6, 0)))
    p.close()


def cmd_fuzz(a):
    """Random lengths, contents, pointers and batches: nothing may break."""
    rng = random.Random(a.seed)
    p = Port(nonblock=True)
    p.attach(a.dev)
    results = {}
    buf = ctypes.create_string_buffer(16384)
    for i in range(a.count):
        kind = rng.random()
        n = rng.choice([0, 1, 13, 14, 15, 59, 60, 61, 1514, 1518, 1519, 9000,
                        rng.randrange(0, 16384)])
        if kind < 0.02:
            e = p.raw_write(rng.choice([0, 1, 0xFFFFFFFFFFFF0000]), n)
        elif kind < 0.04:
            e = p.raw_read(rng.choice([0, 1]), n)
        else:
            ctypes.memmove(buf, rng.randbytes(min(n, 64)), min(n, 64))
            e = p.raw_write(ctypes.addressof(buf), n)
        results[ename(e) if e else "OK"] = results.get(ename(e) if e else "OK", 0) + 1
        if i % 64 == 0:
            try:
                while True:
                    p.read()
            except OSError:
                pass
    print(" ".join(f"{k}={v}" for k, v in sorted(results.items())))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("attach")
    s.add_argument("dev")
    s.add_argument("--queue", type=lambda x: int(x, 0), default=QUEUE_ANY)
    s.add_argument("--create", action="store_true")
    s.add_argument("--hold", action="store_true")
    s = sub.add_parser("inject")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s.add_argument("--batch", type=int, default=1)
    s.add_argument("--len", type=int, default=64)
    s = sub.add_parser("echo")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s.add_argument("--batch", type=int, default=1)
    s.add_argument("--len", type=int, default=0, help="every frame this long")
    s = sub.add_parser("xdp-read")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s.add_argument("--batch", type=int, default=1)
    s.add_argument("--hold", action="store_true")
    s = sub.add_parser("pktgen-read")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s.add_argument("--batch", type=int, default=1)
    s = sub.add_parser("drain")
    s.add_argument("dev")
    s.add_argument("stopfile")
    s.add_argument("--batch", type=int, default=64)
    s = sub.add_parser("csum")
    s.add_argument("dev")
    s.add_argument("dst")
    s.add_argument("count", type=int)
    s = sub.add_parser("reflect")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s = sub.add_parser("semantics")
    s.add_argument("dev")
    s = sub.add_parser("blocked")
    s.add_argument("dev")
    s.add_argument("action", choices=["detach", "wait"])
    s = sub.add_parser("fuzz")
    s.add_argument("dev")
    s.add_argument("count", type=int)
    s.add_argument("seed", type=int)
    a = ap.parse_args()
    globals()["cmd_" + a.cmd.replace("-", "_")](a)


if __name__ == "__main__":
    main()
