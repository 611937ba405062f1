#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive the project's Python package (python/vnet) as a user would, and
print key=value lines for 35-port-python:

  vnet_py.py port DEV         vnet.Port: attach, errors, context manager
  vnet_py.py scapy DEV IP     vnet.scapy.VnetSocket: sr1() an ICMP echo to
                              the stack at IP, sendp() frames in, sniff()
                              what the stack sends out
"""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "python"))
import vnet  # noqa: E402

PEER_IP = "10.7.0.9"
PEER_MAC = "02:00:00:00:00:09"


def err(fn, *args, **kw):
    try:
        fn(*args, **kw)
        return "OK"
    except OSError as e:
        return vnet.errno_name(e.errno)


def cmd_port(dev):
    with vnet.Port(dev) as p:
        ifindex = int(open(f"/sys/class/net/{dev}/ifindex").read())
        print(f"attached={int(p.name == dev and p.ifindex == ifindex and p.queue == 0)}")
        print(f"fileno_ok={int(p.fileno() == p.fd)}")
        print("second=" + err(vnet.Port, dev, queue=0))
    print(f"closed={int(p.fd is None)}")
    print("again=" + err(lambda: vnet.Port(dev).close()))
    print("nodev=" + err(vnet.Port, "vnet-none"))
    with vnet.Port("vnpy0", create=True) as p:
        print(f"created={int(os.path.exists('/sys/class/net/vnpy0'))}")
    print(f"created_gone={int(not os.path.exists('/sys/class/net/vnpy0'))}")


def cmd_scapy(dev, ip):
    from scapy.all import Ether, IP, ICMP, Raw, sendp, sniff
    from vnet.scapy import VnetSocket

    mac = open(f"/sys/class/net/{dev}/address").read().strip()
    sock = VnetSocket(dev)
    # The stack answers at once: the peer's address is a static neighbour.
    ans = sock.sr1(Ether(dst=mac, src=PEER_MAC) / IP(src=PEER_IP, dst=ip) /
                   ICMP(id=0x4242, seq=7) / Raw(b"vnet"), timeout=5, verbose=0)
    ok = ans is not None and ICMP in ans and ans[ICMP].type == 0 and \
        ans[ICMP].id == 0x4242 and ans[ICMP].seq == 7 and ans[IP].src == ip
    print(f"sr1_echo_reply={int(bool(ok))}")
    rx0 = int(open(f"/sys/class/net/{dev}/statistics/rx_packets").read())
    frames = [Ether(dst=mac, src=PEER_MAC, type=0x88B5) / Raw(bytes(50)) for _ in range(5)]
    sendp(frames, socket=sock, verbose=0)
    # The device's NAPI takes them from its RX ring after the writes
    # return, on another CPU with irq_spread: wait for it (5 s at most).
    deadline = time.monotonic() + 5
    while True:
        rx1 = int(open(f"/sys/class/net/{dev}/statistics/rx_packets").read())
        if rx1 - rx0 >= len(frames) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    print(f"sendp_received={rx1 - rx0}")
    # What the stack sends out of the device: three echo requests.
    pinger = threading.Timer(0.5, lambda: subprocess.run(
        ["ping", "-c", "3", "-i", "0.2", "-W", "1", PEER_IP], capture_output=True))
    pinger.start()
    got = sniff(opened_socket=sock, count=3, timeout=10,
                lfilter=lambda f: ICMP in f and f[ICMP].type == 8 and f[IP].dst == PEER_IP)
    pinger.join()
    print(f"sniffed_requests={len(got)}")
    sock.close()


if __name__ == "__main__":
    if sys.argv[1] == "port":
        cmd_port(sys.argv[2])
    else:
        cmd_scapy(sys.argv[2], sys.argv[3])
