// SPDX-License-Identifier: GPL-2.0
/*
 * vnet-portbench - frames per second through /dev/vnet and through a tap
 * device, for scripts/bench.sh (a benchmark, never a test).
 *
 *   vnet-portbench inject vnet DEV COUNT BATCH   write COUNT 60-byte frames
 *   vnet-portbench inject tap  DEV COUNT         (tap: one write() per frame)
 *   vnet-portbench capture vnet DEV SECONDS BATCH   read what DEV transmits
 *   vnet-portbench capture tap  DEV SECONDS
 *   vnet-portbench blast any DEV SECONDS     the capture source: 60-byte
 *                                            frames out of DEV through an
 *                                            AF_PACKET socket, 64 per
 *                                            sendmmsg(), for SECONDS
 *
 * For tap, DEV is created (IFF_TAP | IFF_NO_PI) and brought up by the
 * caller after "ready" is printed on stderr; capture reads for SECONDS
 * while something (pktgen) transmits on DEV. Prints "fps=N frames=N".
 */
#define _GNU_SOURCE	/* sendmmsg() */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "libvnet.h"

#define FRAME_LEN	60
#define BUF_LEN		2048

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int tap_open(const char *dev)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0) {
		perror("vnet-portbench: /dev/net/tun");
		exit(1);
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("vnet-portbench: TUNSETIFF");
		exit(1);
	}
	return fd;
}

static int vnet_fd(const char *dev)
{
	int fd = vnet_open(dev, VNET_QUEUE_ANY, 0, NULL);

	if (fd < 0) {
		fprintf(stderr, "vnet-portbench: %s: %s\n", dev, vnet_strerror(fd));
		exit(1);
	}
	return fd;
}

/* Frames for a station nobody is: the stack drops them on arrival. */
static void make_frame(unsigned char *f)
{
	static const unsigned char dst[6] = { 0x02, 0xee, 0, 0, 0, 1 };
	static const unsigned char src[6] = { 0x02, 0xee, 0, 0, 0, 2 };

	memset(f, 0, FRAME_LEN);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
}

static void wait_go(void)
{
	char line[16];

	fprintf(stderr, "ready\n");
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

static int inject(int tap, const char *dev, unsigned long count, unsigned int batch)
{
	static struct vnet_frame frames[VNET_BATCH_MAX];
	static unsigned char frame[FRAME_LEN];
	unsigned long done = 0;
	unsigned int i;
	double t0;
	int fd;

	fd = tap ? tap_open(dev) : vnet_fd(dev);
	make_frame(frame);
	for (i = 0; i < batch; i++)
		vnet_frame_set(&frames[i], frame, FRAME_LEN);
	wait_go();
	t0 = now();
	while (done < count) {
		if (tap || batch == 1) {
			if (write(fd, frame, FRAME_LEN) != FRAME_LEN) {
				perror("vnet-portbench: write");
				return 1;
			}
			done++;
		} else {
			unsigned int n = count - done < batch ? count - done : batch;
			int k = vnet_send_batch(fd, frames, n);

			if (k < 0) {
				fprintf(stderr, "vnet-portbench: %s\n", vnet_strerror(k));
				return 1;
			}
			done += k;
		}
	}
	printf("fps=%.0f frames=%lu\n", done / (now() - t0), done);
	return 0;
}

static int capture(int tap, const char *dev, double seconds, unsigned int batch)
{
	static struct vnet_frame frames[VNET_BATCH_MAX];
	static unsigned char bufs[64][BUF_LEN];
	unsigned long got = 0;
	double t0, end;
	int fd;

	if (batch > 64)
		batch = 64;
	fd = tap ? tap_open(dev) : vnet_fd(dev);
	wait_go();
	t0 = now();
	end = t0 + seconds;
	/* Blocking reads: the source (pktgen) runs for the whole window. */
	while (now() < end) {
		unsigned int i;
		int k;

		if (tap || batch == 1) {
			if (read(fd, bufs[0], BUF_LEN) > 0)
				got++;
			continue;
		}
		for (i = 0; i < batch; i++) {
			memset(&frames[i], 0, sizeof(frames[i]));
			frames[i].data = (unsigned long)bufs[i];
			frames[i].size = BUF_LEN;
		}
		k = vnet_recv_batch(fd, frames, batch);
		if (k > 0)
			got += k;
	}
	printf("fps=%.0f frames=%lu\n", got / (now() - t0), got);
	return 0;
}

/* Send 60-byte frames out of @dev as fast as the stack takes them. */
static int blast(const char *dev, double seconds)
{
	static unsigned char frame[FRAME_LEN];
	struct mmsghdr msgs[64];
	struct sockaddr_ll sll;
	struct iovec iov;
	unsigned long sent = 0;
	double end = now() + seconds;
	int fd, i;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("vnet-portbench: AF_PACKET");
		return 1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("vnet-portbench: bind");
		return 1;
	}
	make_frame(frame);
	iov.iov_base = frame;
	iov.iov_len = FRAME_LEN;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < 64; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (now() < end) {
		int n = sendmmsg(fd, msgs, 64, 0);

		if (n > 0)
			sent += n;
	}
	printf("sent=%lu\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int batch;
	int tap;

	if (argc == 5 && !strcmp(argv[1], "blast"))
		return blast(argv[3], strtod(argv[4], NULL));
	if (argc < 5 || (strcmp(argv[2], "vnet") && strcmp(argv[2], "tap"))) {
		fprintf(stderr, "usage: vnet-portbench inject|capture vnet|tap DEV COUNT|SECONDS [BATCH]\n");
		return 2;
	}
	tap = !strcmp(argv[2], "tap");
	batch = argc > 5 ? strtoul(argv[5], NULL, 10) : 1;
	if (!batch || batch > VNET_BATCH_MAX)
		batch = 1;
	if (!strcmp(argv[1], "inject"))
		return inject(tap, argv[3], strtoul(argv[4], NULL, 10), batch);
	if (!strcmp(argv[1], "capture"))
		return capture(tap, argv[3], strtod(argv[4], NULL), batch);
	fprintf(stderr, "vnet-portbench: unknown mode '%s'\n", argv[1]);
	return 2;
}
