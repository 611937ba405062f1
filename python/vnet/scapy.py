# SPDX-License-Identifier: GPL-2.0
"""A scapy socket on a vnet device's wire.

    from scapy.all import Ether, IP, ICMP, sendp, sniff
    from vnet.scapy import VnetSocket

    sock = VnetSocket("vnet0")          # the far end of vnet0's cable
    reply = sock.sr1(Ether(dst=mac) / IP(dst="10.7.0.1") / ICMP(), timeout=2)
    sendp(frame, socket=sock)           # vnet0 receives it
    sniff(opened_socket=sock, count=5)  # what vnet0 transmits

What the socket sends, the device receives (RX ring, NAPI, the stack);
what it receives is what the device transmits. The arguments are
vnet.Port's (queue=, create=).
"""
import time

from scapy.layers.l2 import Ether
from scapy.supersocket import SuperSocket

from vnet import MAX_FRAME, Port


class VnetSocket(SuperSocket):
    """A scapy SuperSocket on a vnet.Port."""
    desc = "the far end of a vnet device's wire (/dev/vnet)"
    nonblocking_socket = True

    def __init__(self, dev, queue=None, create=False, **_):
        kw = {} if queue is None else {"queue": queue}
        self.port = Port(dev, create=create, nonblock=True, **kw)
        self.ins = self.outs = self.port
        self.iface = dev

    def send(self, x):
        data = bytes(x)
        try:
            x.sent_time = time.time()
        except AttributeError:
            pass
        return self.port.send(data)

    def recv_raw(self, x=MAX_FRAME):
        try:
            data = self.port.recv(max(x, MAX_FRAME))
        except BlockingIOError:
            return None, None, None
        return Ether, data, time.time()

    def fileno(self):
        return self.port.fileno()

    def close(self):
        if not self.closed:
            self.port.close()
        self.closed = True

    @staticmethod
    def select(sockets, remain=None):
        return SuperSocket.select(sockets, remain)
