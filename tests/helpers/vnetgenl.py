#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A generic netlink client driven by a family's YAML spec, as the kernel's
ynl CLI is, and called the same way (the tests use it where that CLI is
not at hand):

  vnetgenl.py --spec spec/vnet.yaml --do dev-get --json '{"ifindex": 3}'
  vnetgenl.py --spec spec/vnet.yaml --dump dev-get
  vnetgenl.py --spec spec/vnet.yaml --do dev-set \\
      --json '{"ifindex": 3, "fault-tx": {"drop": 100000}}'

Attributes are named as in the spec; nests are JSON objects; values are
sent as given, unchecked (the tests send bad ones on purpose). Prints the
answer as JSON (a dump: a list), or "error <strerror>: <extack message>"
and exits 1.
"""
import argparse
import json
import os
import socket
import struct
import sys

import yaml

NLMSG_ERROR, NLMSG_DONE, NETLINK_GENERIC = 2, 3, 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG, NETLINK_EXT_ACK, SOL_NETLINK = 1, 11, 270
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED, NLA_TYPE_MASK = 0x8000, 0x3fff
SCALARS = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q",
           "s8": "=b", "s16": "=h", "s32": "=i", "s64": "=q"}


class Error(Exception):
    pass


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs_of(data):
    """(type, payload) of each attribute in @data."""
    off = 0
    while off + 4 <= len(data):
        n, t = struct.unpack("=HH", data[off:off + 4])
        if n < 4:
            break
        yield t & NLA_TYPE_MASK, data[off + 4:off + n]
        off += (n + 3) & ~3


class Spec:
    def __init__(self, path):
        with open(path) as f:
            self.y = yaml.safe_load(f)
        self.sets = {}
        for s in self.y["attribute-sets"]:
            by_name, value = {}, 1
            for a in s["attributes"]:
                value = a.get("value", value)
                by_name[a["name"]] = (value, a)
                value += 1
            self.sets[s["name"]] = by_name
        self.ops, value = {}, 1
        for o in self.y["operations"]["list"]:
            value = o.get("value", value)
            self.ops[o["name"]] = (value, o)
            value += 1

    def encode(self, set_name, obj):
        out = b""
        for name, v in obj.items():
            if name not in self.sets[set_name]:
                raise Error(f"no attribute '{name}' in set '{set_name}'")
            t, a = self.sets[set_name][name]
            # A multi-attr attribute is a list: one attribute per item.
            for item in v if a.get("multi-attr") else [v]:
                out += self.encode_one(t, a, item)
        return out

    def encode_one(self, t, a, v):
        if a["type"] == "nest":
            return attr(t | NLA_F_NESTED, self.encode(a["nested-attributes"], v))
        if a["type"] in SCALARS:
            return attr(t, struct.pack(SCALARS[a["type"]], v))
        if a["type"] == "string":
            return attr(t, v.encode() + b"\0")
        if a["type"] == "flag":
            return attr(t, b"") if v else b""
        raise Error(f"cannot send attributes of type {a['type']}")

    def decode(self, set_name, data):
        by_value = {t: a for t, a in self.sets[set_name].values()}
        out = {}
        for t, payload in attrs_of(data):
            a = by_value.get(t)
            if not a or a["type"] == "pad":
                continue
            if a["type"] == "nest":
                v = self.decode(a["nested-attributes"], payload)
            elif a["type"] in SCALARS:
                v = struct.unpack(SCALARS[a["type"]], payload)[0]
            elif a["type"] == "string":
                v = payload.split(b"\0")[0].decode()
            elif a["type"] == "flag":
                v = True
            else:
                v = payload.hex()
            if a.get("multi-attr"):
                out.setdefault(a["name"], []).append(v)
            else:
                out[a["name"]] = v
        return out


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 0

    def request(self, family, cmd, version, body, dump=False):
        """The payloads (after the genl header) of the answer's messages."""
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        msg = struct.pack("=BBH", cmd, version, 0) + body
        self.s.send(struct.pack("=IHHII", 16 + len(msg), family, flags, self.seq, 0) + msg)
        replies = []
        while True:
            data = self.s.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                n, typ, fl, seq, _ = struct.unpack("=IHHII", data[off:off + 16])
                m = data[off:off + n]
                off += (n + 3) & ~3
                if seq != self.seq:
                    continue
                if typ == NLMSG_DONE:
                    # A dump's end carries its error code (and extack after
                    # it: DONE echoes no request).
                    err = struct.unpack("=i", m[16:20])[0] if n >= 20 else 0
                    if err < 0:
                        msg = extack_done(m, fl)
                        raise Error(f"error {os.strerror(-err)}" + (f": {msg}" if msg else ""))
                    return replies
                if typ == NLMSG_ERROR:
                    err = struct.unpack("=i", m[16:20])[0]
                    if err == 0:
                        return replies
                    msg = extack(m, fl)
                    raise Error(f"error {os.strerror(-err)}" + (f": {msg}" if msg else ""))
                replies.append(m[20:])

    def family(self, name):
        body = attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
        try:
            (msg,) = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, body)
        except Error as e:
            raise Error(f"no generic netlink family '{name}' ({e})")
        for t, payload in attrs_of(msg):
            if t == CTRL_ATTR_FAMILY_ID:
                return struct.unpack("=H", payload[:2])[0]
        raise Error(f"no id for family '{name}'")


def extack(m, flags):
    """The extack message of an NLMSG_ERROR, if any."""
    if not flags & NLM_F_ACK_TLVS:
        return ""
    # After the error code: the request whole, or its header if capped.
    off = 20 + (16 if flags & NLM_F_CAPPED else struct.unpack("=I", m[20:24])[0])
    for t, payload in attrs_of(m[off:]):
        if t == NLMSGERR_ATTR_MSG:
            return payload.split(b"\0")[0].decode()
    return ""


def extack_done(m, flags):
    """The extack message of an NLMSG_DONE that ends a dump in error."""
    if not flags & NLM_F_ACK_TLVS:
        return ""
    for t, payload in attrs_of(m[20:]):
        if t == NLMSGERR_ATTR_MSG:
            return payload.split(b"\0")[0].decode()
    return ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--spec", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--do")
    g.add_argument("--dump")
    p.add_argument("--json", default="{}")
    a = p.parse_args()
    spec = Spec(a.spec)
    op_name = a.do or a.dump
    try:
        if op_name not in spec.ops:
            raise Error(f"no operation '{op_name}' in {a.spec}")
        cmd, op = spec.ops[op_name]
        set_name = op["attribute-set"]
        nl = Genl()
        fam = nl.family(spec.y["name"])
        version = spec.y.get("protocol-version", 1)
        body = spec.encode(set_name, json.loads(a.json))
        replies = [spec.decode(set_name, m)
                   for m in nl.request(fam, cmd, version, body, dump=bool(a.dump))]
    except Error as e:
        print(e)
        sys.exit(1)
    except (struct.error, ValueError, KeyError, TypeError) as e:
        # A value the attribute's type cannot hold, JSON that is not.
        print(f"bad request: {e}")
        sys.exit(1)
    if a.dump:
        print(json.dumps(replies))
    elif replies:
        print(json.dumps(replies[0]))


if __name__ == "__main__":
    main()
