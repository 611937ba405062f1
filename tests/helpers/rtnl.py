#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send a hand-made RTM_NEWLINK for kind "vnet", to check how the kernel
treats requests no well-behaved tool would build.

  rtnl.py short-peer NAME     VNET_INFO_PEER shorter than a struct ifinfomsg
  rtnl.py peer-pid NAME PEER PID   the peer in the netns of a process PID
  rtnl.py fault NAME tx|rx ATTR U32   one wire fault attribute (a number of
                              vnet_uapi.h's VNET_FAULT_*), unchecked, for
                              the existing device NAME
  rtnl.py add-fault NAME tx|rx ATTR U32   the same, making a device NAME
  rtnl.py flap NAME U32       VNET_INFO_FLAP_MS, unchecked, making NAME
  rtnl.py change-peer NAME    VNET_INFO_PEER on an existing device
Prints the kernel's answer: "ok" or "error <errno>: <extack message>".
"""
import os
import socket
import struct
import sys

RTM_NEWLINK, NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL = 16, 1, 4, 0x400, 0x200
IFLA_IFNAME, IFLA_LINKINFO, IFLA_NET_NS_PID = 3, 18, 19
IFLA_INFO_KIND, IFLA_INFO_DATA, VNET_INFO_PEER = 1, 2, 1
NLMSG_ERROR, NLMSGERR_ATTR_MSG, NETLINK_EXT_ACK = 2, 1, 11
NLA_F_NESTED = 0x8000
VNET_INFO_FAULT_TX, VNET_INFO_FAULT_RX, VNET_INFO_FLAP_MS = 2, 3, 7


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def ifinfomsg():
    return struct.pack("=BxHiII", 0, 0, 0, 0, 0)


def send(body, create=True):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)
    msg = ifinfomsg() + body
    flags = NLM_F_REQUEST | NLM_F_ACK
    if create:
        flags |= NLM_F_CREATE | NLM_F_EXCL
    hdr = struct.pack("=IHHII", 16 + len(msg), RTM_NEWLINK, flags, 1, 0)
    s.send(hdr + msg)
    r = s.recv(65536)
    ln, typ, flags = struct.unpack("=IHH", r[:8])
    err = struct.unpack("=i", r[16:20])[0]
    if typ != NLMSG_ERROR or err == 0:
        return "ok"
    text = ""
    # The request is echoed after the error code: whole, or only its
    # header if the kernel capped it (NLM_F_CAPPED); the extack follows.
    off = 20 + (16 if flags & 0x100 else struct.unpack("=I", r[20:24])[0])
    while off + 4 <= ln:
        alen, atyp = struct.unpack("=HH", r[off:off + 4])
        if alen < 4:
            break
        if atyp == NLMSGERR_ATTR_MSG:
            text = r[off + 4:off + alen].split(b"\0")[0].decode()
        off += (alen + 3) & ~3
    return f"error {os.strerror(-err)}: {text}"


def main():
    a = sys.argv[1:]
    name = attr(IFLA_IFNAME, a[1].encode() + b"\0")
    kind = attr(IFLA_INFO_KIND, b"vnet\0")
    if a[0] == "short-peer":
        peer = attr(VNET_INFO_PEER | NLA_F_NESTED, b"\0" * 4)
    elif a[0] == "peer-pid":
        peer = attr(VNET_INFO_PEER | NLA_F_NESTED, ifinfomsg() +
                    attr(IFLA_IFNAME, a[2].encode() + b"\0") +
                    attr(IFLA_NET_NS_PID, struct.pack("=I", int(a[3]))))
    elif a[0] in ("fault", "add-fault"):
        d = VNET_INFO_FAULT_TX if a[2] == "tx" else VNET_INFO_FAULT_RX
        peer = attr(d | NLA_F_NESTED, attr(int(a[3]), struct.pack("=I", int(a[4]))))
    elif a[0] == "flap":
        peer = attr(VNET_INFO_FLAP_MS, struct.pack("=I", int(a[2])))
    elif a[0] == "change-peer":
        peer = attr(VNET_INFO_PEER | NLA_F_NESTED, ifinfomsg())
    else:
        sys.exit(__doc__)
    info = attr(IFLA_LINKINFO | NLA_F_NESTED, kind + attr(IFLA_INFO_DATA | NLA_F_NESTED, peer))
    answer = send(name + info, a[0] not in ("fault", "change-peer"))
    print(answer)
    sys.exit(answer != "ok")


if __name__ == "__main__":
    main()
