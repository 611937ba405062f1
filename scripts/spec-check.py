#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that spec/vnet.yaml (the vnet family, for ynl and the tests'
client) and src/vnet_uapi.h (the same, for C) say the same thing: the
family's name and version, each command's and attribute's name and
number, each set's count, and the constants. The names follow the
kernel's ynl C generator: "<family>-cmd-" before a command, a set's
name-prefix before its attributes, "<family>-" before a constant.

Usage: spec-check.py SPEC HEADER. Prints each disagreement; exits 1 if any.
"""
import re
import sys

import yaml


def c_name(*parts):
    return "_".join(p.strip("-") for p in parts).upper().replace("-", "_")


def header_names(text):
    """NAME -> value, from every enum (implicit numbering) and #define."""
    names = {}
    for body in re.findall(r"enum\s*\{([^}]*)\}", text):
        value = 0
        for item in re.sub(r"/\*.*?\*/", "", body, flags=re.S).split(","):
            item = item.strip()
            if not item:
                continue
            name, _, given = item.partition("=")
            if given.strip():
                value = int(given.strip(), 0)
            names[name.strip()] = value
            value += 1
    for name, value in re.findall(r"#define\s+(\w+)\s+(\S+)", text):
        names[name] = value.strip('"').rstrip("U")
    return names


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    have = header_names(open(sys.argv[2]).read())
    family = spec["name"]
    want = {
        c_name(family, "genl-name"): family,
        c_name(family, "genl-version"): str(spec.get("protocol-version", 1)),
    }
    for c in spec.get("definitions", []):
        if c["type"] == "const":
            want[c_name(family, c["name"])] = str(c["value"])
    value = 1
    for op in spec["operations"]["list"]:
        value = op.get("value", value)
        want[c_name(family, "cmd", op["name"])] = value
        value += 1
    want["__" + c_name(family, "cmd-max")] = value
    for s in spec["attribute-sets"]:
        prefix = s.get("name-prefix", f"{family}-a-{s['name']}-")
        value = 1
        for a in s["attributes"]:
            value = a.get("value", value)
            want[c_name(prefix, a["name"])] = value
            value += 1
        want["__" + c_name(prefix, "max")] = value
    bad = 0
    for name, value in want.items():
        if name not in have:
            print(f"{sys.argv[2]}: no {name} (the spec's {value})")
            bad = 1
        elif str(have[name]) != str(value):
            print(f"{sys.argv[2]}: {name} is {have[name]}, the spec says {value}")
            bad = 1
    sys.exit(bad)


if __name__ == "__main__":
    main()
