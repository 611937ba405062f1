# SPDX-License-Identifier: GPL-2.0
"""vnet's /dev/vnet from Python: the other end of a vnet device's wire.

A Port is an open /dev/vnet file attached to one queue of a vnet device
in the caller's network namespace: what you send() the device receives,
as from a cable (RX ring, interrupt, NAPI, the stack); what the device
transmits you recv(). Frames are bytes, Ethernet header first, no FCS.

    import vnet
    with vnet.Port("vnet0") as port:
        port.send(frame)
        reply = port.recv()

The structures and ioctl numbers are those of src/vnet_uapi.h (the
module's uapi header); vnet.scapy adds a scapy socket on a Port.
"""
import ctypes
import errno
import fcntl
import os
import struct

__all__ = ["Port", "QUEUE_ANY", "ATTACH_CREATE", "FRAME_TRUNC", "DEV_PATH",
           "MAX_FRAME"]
__version__ = "0.1.0"

DEV_PATH = "/dev/vnet"
QUEUE_ANY = 0xFFFFFFFF          # VNET_QUEUE_ANY: the first queue without a file
ATTACH_CREATE = 0x1             # VNET_ATTACH_CREATE: make the device if missing
FRAME_TRUNC = 0x1               # VNET_FRAME_TRUNC: a batch frame was cut short
MAX_FRAME = 65536               # a read buffer that takes any frame vnet sends

ATTACH_FMT = "16sIIII"          # struct vnet_attach
FRAME_FMT = "QIIII"             # struct vnet_frame
BATCH_FMT = "QII"               # struct vnet_batch


def _ioc(direction, nr, size):
    """_IOC() of <asm-generic/ioctl.h>: 1 write, 2 read, 3 both."""
    return (direction << 30) | (size << 16) | (ord("V") << 8) | nr


IOC_ATTACH = _ioc(3, 1, struct.calcsize(ATTACH_FMT))
IOC_DETACH = _ioc(0, 2, 0)
IOC_SEND = _ioc(1, 3, struct.calcsize(BATCH_FMT))
IOC_RECV = _ioc(1, 4, struct.calcsize(BATCH_FMT))


class Port:
    """An open /dev/vnet file; attached to DEV if one is given.

    Port(dev, queue=QUEUE_ANY, create=False, nonblock=False): attach to
    queue `queue` of device `dev` (the first free queue by default); with
    create=True a missing device is made, and deleted when the file is
    closed. Errors are OSError with the kernel's errno (ENODEV: no such
    device; EBUSY: the queue has a file; EOPNOTSUPP: a pair end; EPERM:
    no CAP_NET_ADMIN; see docs/USERSPACE.md). After attaching, `name`,
    `ifindex` and `queue` say where the file is.
    """

    def __init__(self, dev=None, queue=QUEUE_ANY, create=False, nonblock=False):
        self.fd = os.open(DEV_PATH, os.O_RDWR | (os.O_NONBLOCK if nonblock else 0))
        self.name = self.ifindex = self.queue = None
        if dev is not None:
            try:
                self.attach(dev, queue, ATTACH_CREATE if create else 0)
            except OSError:
                self.close()
                raise

    def attach(self, dev, queue=QUEUE_ANY, flags=0):
        """VNET_IOC_ATTACH; returns (name, ifindex, queue)."""
        buf = bytearray(struct.pack(ATTACH_FMT, dev.encode(), queue, flags, 0, 0))
        fcntl.ioctl(self.fd, IOC_ATTACH, buf)
        name, _, _, ifindex, q = struct.unpack(ATTACH_FMT, bytes(buf))
        self.name, self.ifindex, self.queue = name.rstrip(b"\0").decode(), ifindex, q
        return self.name, self.ifindex, self.queue

    def detach(self):
        """VNET_IOC_DETACH: the queue's wire is the device's own again."""
        fcntl.ioctl(self.fd, IOC_DETACH)
        self.name = self.ifindex = self.queue = None

    def fileno(self):
        """For select/poll: readable when a frame waits, writable when one fits."""
        return self.fd

    def send(self, frame):
        """The device receives one frame; returns its length."""
        return os.write(self.fd, bytes(frame))

    def recv(self, size=MAX_FRAME):
        """One frame the device transmitted (at most `size` bytes of it)."""
        return os.read(self.fd, size)

    def _batch(self, cmd, descs):
        """descs: [(buffer, size, len)]; returns (n, [(len, flags)])."""
        fsize = struct.calcsize(FRAME_FMT)
        arr = (ctypes.c_ubyte * (fsize * len(descs)))()
        for i, (buf, size, length) in enumerate(descs):
            struct.pack_into(FRAME_FMT, arr, i * fsize, ctypes.addressof(buf),
                             size, length, 0, 0)
        batch = struct.pack(BATCH_FMT, ctypes.addressof(arr), len(descs), 0)
        n = fcntl.ioctl(self.fd, cmd, bytearray(batch))
        return n, [struct.unpack_from(FRAME_FMT, arr, i * fsize)[2:4]
                   for i in range(len(descs))]

    def send_batch(self, frames):
        """VNET_IOC_SEND: the device receives frames; returns how many."""
        frames = [bytes(f) for f in frames]
        bufs = [ctypes.create_string_buffer(f, len(f)) for f in frames]
        return self._batch(IOC_SEND, [(b, len(f), len(f)) for b, f in zip(bufs, frames)])[0]

    def recv_batch(self, count, size=MAX_FRAME):
        """VNET_IOC_RECV: up to `count` transmitted frames, as
        [(bytes, length, flags)] (length the frame's; flags FRAME_TRUNC
        if it was longer than `size`)."""
        bufs = [ctypes.create_string_buffer(size) for _ in range(count)]
        n, out = self._batch(IOC_RECV, [(b, size, 0) for b in bufs])
        return [(bufs[i].raw[:min(out[i][0], size)], out[i][0], out[i][1])
                for i in range(n)]

    def close(self):
        """Close the file: it detaches (a device it created goes)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        where = f"{self.name} queue {self.queue}" if self.name else "not attached"
        return f"<vnet.Port fd={self.fd} {where}>"


def errno_name(e):
    """The errno's name, EOPNOTSUPP for what Python calls ENOTSUP."""
    if e == errno.EOPNOTSUPP:
        return "EOPNOTSUPP"
    return errno.errorcode.get(e, str(e))
