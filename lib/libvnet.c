// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libvnet.c - a small C library for vnet's userspace backend, /dev/vnet.
 * See libvnet.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvnet.h"

/* -errno, with errno set, for a failed system call. */
static int vnet_fail(void)
{
	return -errno;
}

int vnet_open_flags(const char *ifname, unsigned int queue, unsigned int flags,
		    int open_flags, struct vnet_attach *info)
{
	struct vnet_attach req;
	int fd, err;

	if (!ifname || strlen(ifname) >= sizeof(req.name)) {
		errno = EINVAL;
		return -EINVAL;
	}
	memset(&req, 0, sizeof(req));
	strcpy(req.name, ifname);
	req.queue = queue;
	req.flags = flags;
	fd = open(VNET_DEV_PATH, O_RDWR | O_CLOEXEC | open_flags);
	if (fd < 0)
		return vnet_fail();
	if (ioctl(fd, VNET_IOC_ATTACH, &req) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -err;
	}
	if (info)
		*info = req;
	return fd;
}

int vnet_open(const char *ifname, unsigned int queue, unsigned int flags,
	      struct vnet_attach *info)
{
	return vnet_open_flags(ifname, queue, flags, 0, info);
}

int vnet_detach(int fd)
{
	return ioctl(fd, VNET_IOC_DETACH) < 0 ? vnet_fail() : 0;
}

int vnet_close(int fd)
{
	return close(fd) < 0 ? vnet_fail() : 0;
}

int vnet_send(int fd, const void *frame, size_t len)
{
	return write(fd, frame, len) < 0 ? vnet_fail() : 0;
}

ssize_t vnet_recv(int fd, void *buf, size_t size)
{
	ssize_t n = read(fd, buf, size);

	return n < 0 ? vnet_fail() : n;
}

static int vnet_batch(int fd, unsigned long cmd, struct vnet_frame *frames,
		      unsigned int count)
{
	struct vnet_batch batch = {
		.frames = (uintptr_t)frames,
		.count = count,
	};
	int n = ioctl(fd, cmd, &batch);

	return n < 0 ? vnet_fail() : n;
}

int vnet_send_batch(int fd, struct vnet_frame *frames, unsigned int count)
{
	return vnet_batch(fd, VNET_IOC_SEND, frames, count);
}

int vnet_recv_batch(int fd, struct vnet_frame *frames, unsigned int count)
{
	return vnet_batch(fd, VNET_IOC_RECV, frames, count);
}

void vnet_frame_set(struct vnet_frame *f, void *data, unsigned int len)
{
	memset(f, 0, sizeof(*f));
	f->data = (uintptr_t)data;
	f->len = len;
	f->size = len;
}

const char *vnet_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT:
		return "no /dev/vnet: is the vnet module loaded?";
	case ENODEV:
		return "no vnet device of that name in this network namespace";
	case EPERM:
	case EACCES:
		return "CAP_NET_ADMIN in the device's network namespace is needed";
	case EBUSY:
		return "already attached, or the queue has a file attached already";
	case EOPNOTSUPP:
		return "the device is a pair end: its wire is its peer";
	case EINVAL:
		return "invalid argument (not a vnet device, no such queue, bad flags or a frame shorter than an Ethernet header)";
	case EMSGSIZE:
		return "frame longer than the device's MTU + Ethernet + VLAN headers";
	case ENXIO:
		return "not attached (detached, or the device was removed)";
	case ENETDOWN:
		return "the device is down";
	case EAGAIN:
		return "nothing to read, or no free RX descriptor (non-blocking)";
	case EFAULT:
		return "bad buffer address";
	default:
		return strerror(err < 0 ? -err : err);
	}
}
