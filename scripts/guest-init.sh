#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 inside the test VM, after switch_root into the host's read-only /.
# Makes the writable places, runs the harness's job, reports its status on
# the shared work directory and powers the machine off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
# Kernels not installed on the host keep their modules elsewhere (in the
# cache, maybe under /root): show them at the usual place, before the
# tmpfs mounts below hide their path, so that modprobe and module
# auto-loading work.
mods=$(arg vnet.mods)
krel=$(uname -r)
if [ "$mods" != none ] && [ "$mods" != "/lib/modules/$krel" ]; then
	mount -t tmpfs tmpfs /lib/modules
	mkdir -p "/lib/modules/$krel"
	mount --bind "$mods" "/lib/modules/$krel" ||
		echo "vnet-init: cannot show the modules of $krel" >&2
fi
# Set the repository aside (devtmpfs is writable) before tmpfs may hide it.
top=$(arg vnet.top)
if [ -n "$top" ] && [ -d "$top" ]; then
	mkdir -p /dev/vnet-top
	mount --bind "$top" /dev/vnet-top
fi
for d in /tmp /run /var/tmp /var/log /root /var/lib/dhcp /mnt; do
	mount -t tmpfs tmpfs "$d" 2>/dev/null
done
# The tmpfs mounts hid the repository if it lives below one of them (a
# clone under /tmp, say): put the copy set aside above back in place.
if mountpoint -q /dev/vnet-top; then
	mkdir -p "$top"
	mount --move /dev/vnet-top "$top"
	rmdir /dev/vnet-top
fi
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /run/netns

work=$(arg vnet.work)
mkdir -p "$work"
mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=512000 work "$work"
share=$(arg vnet.share)
if [ -n "$share" ]; then
	mkdir -p "$share"
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none share "$share"
fi
hostname vnet-guest
ip link set lo up

bash "$work/job.sh"
echo $? > "$work/rc"
sync
umount "$work"
[ -n "$share" ] && umount "$share"
# isa-debug-exit: QEMU leaves at once. Fall back to a plain power-off.
printf '\x00' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
echo o > /proc/sysrq-trigger
sleep 5
