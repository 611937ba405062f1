// SPDX-License-Identifier: GPL-2.0
/*
 * vnet-pcap - put a pcap file on a vnet device's wire, or capture what the
 * device transmits into one, through /dev/vnet (lib/libvnet).
 *
 *   vnet-pcap replay DEV FILE [-r PPS] [-b BATCH] [-q QUEUE] [-l LOOPS]
 *   vnet-pcap capture DEV FILE [-c COUNT] [-t SECONDS] [-q QUEUE]
 *
 * replay: every frame of FILE (Ethernet link type) enters DEV's RX path,
 * in order, at PPS frames per second or as fast as the device takes them
 * (batches of BATCH frames per system call, default 64). capture: frames
 * the device transmits are written to FILE with the time they were read,
 * until COUNT frames, SECONDS seconds, or SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvnet.h"

#define MAX_FRAME	(9000 + 18)
#define MAX_BATCH	VNET_BATCH_MAX

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vnet-pcap replay DEV FILE [-r PPS] [-b BATCH] [-q QUEUE] [-l LOOPS]\n"
		"       vnet-pcap capture DEV FILE [-c COUNT] [-t SECONDS] [-q QUEUE]\n"
		"\n"
		"replay   inject every frame of the pcap FILE into DEV's receive path,\n"
		"         at PPS frames/s (default: as fast as DEV takes them), BATCH\n"
		"         frames per system call (default 64, 1..%d), LOOPS times\n"
		"capture  write the frames DEV transmits to the pcap FILE ('-' for\n"
		"         stdout) until COUNT frames, SECONDS seconds or a signal\n"
		"QUEUE    the device queue to attach to (default: the first free one)\n",
		MAX_BATCH);
}

static unsigned long parse_num(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > max || s[0] == '-') {
		fprintf(stderr, "vnet-pcap: bad %s '%s' (0..%lu)\n", what, s, max);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int attach(const char *dev, unsigned int queue)
{
	int fd = vnet_open(dev, queue, 0, NULL);

	if (fd < 0)
		fprintf(stderr, "vnet-pcap: cannot attach to %s: %s\n", dev,
			vnet_strerror(fd));
	return fd;
}

/* Send @n frames, all of them, whatever the batch call takes each time. */
static int send_all(int fd, struct vnet_frame *frames, unsigned int n)
{
	unsigned int done = 0;

	while (done < n) {
		int k = vnet_send_batch(fd, frames + done, n - done);

		if (k < 0)
			return k;
		done += k;
	}
	return 0;
}

static int replay(const char *dev, const char *file, unsigned long rate,
		  unsigned int batch, unsigned int queue, unsigned long loops)
{
	static struct vnet_frame frames[MAX_BATCH];
	static unsigned char bufs[MAX_BATCH][MAX_FRAME];
	char errbuf[PCAP_ERRBUF_SIZE];
	unsigned long sent = 0, loop;
	double start = now();
	int fd, err = 0;

	if (rate)
		batch = 1;	/* pacing is per frame */
	fd = attach(dev, queue);
	if (fd < 0)
		return 1;
	for (loop = 0; loop < loops && !stop && !err; loop++) {
		struct pcap_pkthdr *h;
		const u_char *data;
		unsigned int n = 0;
		pcap_t *p;
		int r;

		p = pcap_open_offline(file, errbuf);
		if (!p) {
			fprintf(stderr, "vnet-pcap: %s\n", errbuf);
			close(fd);
			return 1;
		}
		if (pcap_datalink(p) != DLT_EN10MB) {
			fprintf(stderr, "vnet-pcap: %s: link type %s, not Ethernet\n",
				file, pcap_datalink_val_to_name(pcap_datalink(p)));
			pcap_close(p);
			close(fd);
			return 1;
		}
		while (!stop && (r = pcap_next_ex(p, &h, &data)) == 1) {
			unsigned int len = h->caplen;

			if (len > MAX_FRAME)
				len = MAX_FRAME;
			memcpy(bufs[n], data, len);
			vnet_frame_set(&frames[n], bufs[n], len);
			if (++n < batch)
				continue;
			if (rate) {
				double due = start + (double)sent / rate;
				double wait = due - now();

				if (wait > 0)
					usleep(wait * 1e6);
			}
			err = send_all(fd, frames, n);
			if (err)
				break;
			sent += n;
			n = 0;
		}
		if (!err && n) {
			err = send_all(fd, frames, n);
			if (!err)
				sent += n;
		}
		pcap_close(p);
	}
	if (err)
		fprintf(stderr, "vnet-pcap: frame %lu: %s\n", sent + 1, vnet_strerror(err));
	printf("replayed %lu frames in %.3f s\n", sent, now() - start);
	close(fd);
	return err ? 1 : 0;
}

static int capture(const char *dev, const char *file, unsigned long count,
		   unsigned long seconds, unsigned int queue)
{
	static struct vnet_frame frames[64];
	static unsigned char bufs[64][MAX_FRAME];
	double start = now(), end = start + seconds;
	unsigned long got = 0;
	pcap_dumper_t *out;
	pcap_t *p;
	int fd, err = 0;

	fd = attach(dev, queue);
	if (fd < 0)
		return 1;
	p = pcap_open_dead(DLT_EN10MB, MAX_FRAME);
	out = p ? pcap_dump_open(p, file) : NULL;
	if (!out) {
		fprintf(stderr, "vnet-pcap: cannot write %s: %s\n", file,
			p ? pcap_geterr(p) : "out of memory");
		close(fd);
		return 1;
	}
	/* Tell a script that the capture is attached and running. */
	fprintf(stderr, "vnet-pcap: capturing on %s\n", dev);
	while (!stop && (!count || got < count)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		unsigned int want = 64, i;
		int timeout = -1, n;

		if (seconds) {
			double left = end - now();

			if (left <= 0)
				break;
			timeout = left * 1000 + 1;
		}
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		if (pfd.revents & POLLERR && !(pfd.revents & POLLIN)) {
			err = -ENXIO;
			break;
		}
		if (count && count - got < want)
			want = count - got;
		for (i = 0; i < want; i++) {
			memset(&frames[i], 0, sizeof(frames[i]));
			frames[i].data = (unsigned long)bufs[i];
			frames[i].size = MAX_FRAME;
		}
		n = vnet_recv_batch(fd, frames, want);
		if (n == -EAGAIN || n == -EINTR)
			continue;
		if (n < 0) {
			err = n;
			break;
		}
		for (i = 0; i < (unsigned int)n; i++) {
			struct pcap_pkthdr h;
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			h.ts.tv_sec = ts.tv_sec;
			h.ts.tv_usec = ts.tv_nsec / 1000;
			h.len = frames[i].len;
			h.caplen = frames[i].len < frames[i].size ? frames[i].len : frames[i].size;
			pcap_dump((u_char *)out, &h, bufs[i]);
		}
		got += n;
	}
	pcap_dump_close(out);
	pcap_close(p);
	close(fd);
	if (err)
		fprintf(stderr, "vnet-pcap: %s\n", vnet_strerror(err));
	fprintf(stderr, "captured %lu frames\n", got);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long rate = 0, count = 0, seconds = 0, loops = 1;
	unsigned int batch = 64, queue = VNET_QUEUE_ANY;
	const char *cmd, *dev, *file;
	struct sigaction sa;
	int c;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 4) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	dev = argv[2];
	file = argv[3];
	optind = 4;
	while ((c = getopt(argc, argv, "r:b:q:l:c:t:")) != -1) {
		switch (c) {
		case 'r':
			rate = parse_num(optarg, "rate", 100000000);
			break;
		case 'b':
			batch = parse_num(optarg, "batch", MAX_BATCH);
			break;
		case 'q':
			queue = parse_num(optarg, "queue", 65535);
			break;
		case 'l':
			loops = parse_num(optarg, "loops", 1000000000);
			break;
		case 'c':
			count = parse_num(optarg, "count", 1000000000000UL);
			break;
		case 't':
			seconds = parse_num(optarg, "seconds", 86400);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !batch) {
		usage(stderr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(cmd, "replay"))
		return replay(dev, file, rate, batch, queue, loops);
	if (!strcmp(cmd, "capture"))
		return capture(dev, file, count, seconds, queue);
	fprintf(stderr, "vnet-pcap: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
