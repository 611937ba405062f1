#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ask a guest that may be hung where its CPUs are (scripts/vm.sh).

Usage: vm-hang-dump.py SECONDS MONITOR_SOCKET [SYSTEM_MAP]

After SECONDS, through QEMU's human monitor on MONITOR_SOCKET (nothing, if
QEMU has gone by then): first SysRq on the guest's
emulated keyboard - 8 (console loglevel 8), l (every CPU's backtrace), w
(blocked tasks), d (locks held, on lockdep kernels) - whose output the
guest's kernel prints on its console if it still takes interrupts; then
QEMU's own view of each vCPU ("info registers -a"), which needs nothing of
the guest: its instruction pointer, named from SYSTEM_MAP when given (the
guest boots with nokaslr, so the map's addresses are the running ones).
Prints the vCPUs' lines on stdout.
"""
import bisect
import re
import socket
import sys
import time


def read_for(sock, seconds):
    """What the monitor says within SECONDS."""
    sock.settimeout(0.5)
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def symbolizer(path):
    """A function naming an address from a System.map, or None."""
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tTwW":
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError:
        return None
    if len(addrs) < 100:                # Debian's placeholder map
        return None
    pairs = sorted(zip(addrs, names))
    addrs = [a for a, _ in pairs]
    names = [n for _, n in pairs]

    def name(addr):
        i = bisect.bisect_right(addrs, addr) - 1
        if i < 0:
            return "?"
        return "%s+0x%x" % (names[i], addr - addrs[i])
    return name


def main():
    time.sleep(float(sys.argv[1]))
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.connect(sys.argv[2])
    except OSError:
        return
    read_for(sock, 0.5)                 # the monitor's banner
    for key in "8lwd":
        sock.sendall(b"sendkey alt-sysrq-%s\n" % key.encode())
        read_for(sock, 3)
    sock.sendall(b"info registers -a\n")
    regs = read_for(sock, 3)
    name = symbolizer(sys.argv[3]) if len(sys.argv) > 3 else None
    print("[vnet] QEMU's vCPUs before the time limit (info registers -a):")
    cpu = "?"
    for line in regs.splitlines():
        m = re.match(r"\s*CPU#(\d+)", line)
        if m:
            cpu = m.group(1)
        m = re.search(r"RIP=([0-9a-f]+) [RE]FL=([0-9a-f]+).*CPL=(\d).*HLT=(\d)",
                      line)
        if m:
            rip, flags = int(m.group(1), 16), int(m.group(2), 16)
            where = name(rip) + " " if name and rip >= 1 << 63 else ""
            print("[vnet]   CPU %s RIP %016x %s(CPL %s, interrupts %s%s)" %
                  (cpu, rip, where, m.group(3),
                   "on" if flags & 0x200 else "OFF",
                   ", halted" if m.group(4) == "1" else ""))

if __name__ == "__main__":
    main()
