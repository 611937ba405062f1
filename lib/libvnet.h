/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libvnet.h - a small C library for vnet's userspace backend, /dev/vnet.
 *
 *   int fd = vnet_open("vnet0", VNET_QUEUE_ANY, 0, NULL);
 *   vnet_send(fd, frame, len);          // the device receives a frame
 *   n = vnet_recv(fd, buf, sizeof(buf)); // a frame the device transmitted
 *   vnet_close(fd);
 *
 * Every function returns a negative errno on failure (errno is set too);
 * vnet_strerror() says what an errno means for vnet. docs/USERSPACE.md
 * documents the semantics.
 */
#ifndef LIBVNET_H
#define LIBVNET_H

#include <stddef.h>
#include <sys/types.h>

#include "vnet_uapi.h"	/* from src/ (installed next to this file) */

#define VNET_DEV_PATH "/dev/" VNET_CHARDEV_NAME

/*
 * Open /dev/vnet and attach to queue @queue (or VNET_QUEUE_ANY) of device
 * @ifname in the caller's network namespace. @flags: VNET_ATTACH_CREATE
 * makes the device if it does not exist (it goes when the fd is closed).
 * If @info is not NULL it receives the kernel's answer (ifindex, queue).
 * Pass O_NONBLOCK in @open_flags for non-blocking I/O.
 * Returns the file descriptor, or a negative errno.
 */
int vnet_open_flags(const char *ifname, unsigned int queue, unsigned int flags,
		    int open_flags, struct vnet_attach *info);
int vnet_open(const char *ifname, unsigned int queue, unsigned int flags,
	      struct vnet_attach *info);

/* Give the queue back to the device's standalone wire; the fd stays open. */
int vnet_detach(int fd);
int vnet_close(int fd);

/* One frame into the device's RX path. Returns 0 or a negative errno. */
int vnet_send(int fd, const void *frame, size_t len);

/*
 * One frame the device transmitted, cut to @size if longer. Returns the
 * bytes copied, or a negative errno (-ENXIO: detached and drained).
 */
ssize_t vnet_recv(int fd, void *buf, size_t size);

/*
 * Several frames per call: @frames[i].data/.len to send; .data/.size to
 * receive (.len and .flags are filled in). Return how many frames moved
 * (at least one), or a negative errno if none did.
 */
int vnet_send_batch(int fd, struct vnet_frame *frames, unsigned int count);
int vnet_recv_batch(int fd, struct vnet_frame *frames, unsigned int count);

/* Set a frame descriptor's buffer. */
void vnet_frame_set(struct vnet_frame *f, void *data, unsigned int len);

/* What @err (negative or positive errno) means for an fd of /dev/vnet. */
const char *vnet_strerror(int err);

#endif /* LIBVNET_H */
