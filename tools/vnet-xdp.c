// SPDX-License-Identifier: GPL-2.0
/*
 * vnet-xdp - attach vnet's test XDP programs that need their maps filled,
 * and receive from an AF_XDP socket in copy mode.
 *
 *   vnet-xdp redirect DEV TARGET      XDP_REDIRECT DEV's frames to TARGET
 *   vnet-xdp cpumap DEV CPU           XDP_REDIRECT DEV's frames to CPU
 *   vnet-xdp xsk DEV QUEUE COUNT [SECONDS]
 *                                     an AF_XDP socket (XDP_COPY) on DEV's
 *                                     QUEUE receives COUNT frames, then the
 *                                     program is detached
 *   vnet-xdp off DEV                  detach DEV's XDP program
 *   vnet-xdp send DEV SECONDS|-c COUNT
 *                                     a frame source: the kernel runs
 *                                     xdp_redirect on 60-byte frames of
 *                                     its own (BPF_PROG_RUN with live
 *                                     frames) that go out of DEV through
 *                                     its ndo_xdp_xmit, for SECONDS or
 *                                     COUNT frames; prints sent=N (frames
 *                                     DEV refused included)
 *
 * The programs are those of bpf/vnet_xdp_progs.o, next to this binary
 * (-o FILE to name another). redirect and cpumap leave the program
 * attached; `ip link set dev DEV xdp off` or `vnet-xdp off DEV` removes it.
 * Exit status: 0 on success (and for --help, on stdout); 2 for a command
 * line it cannot use (a number that is not one, out of range); 1 with a
 * message on stderr for anything else.
 */
#include <errno.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define XSK_FRAMES	4096
#define XSK_FRAME_SIZE	2048
#define XSK_RING	2048

static const char *obj_path;

static int die(const char *what, int err)
{
	fprintf(stderr, "vnet-xdp: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* A whole number from the command line in [min, max], or exit 2 saying so. */
static unsigned long arg_num(const char *s, const char *what, unsigned long min,
			     unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "vnet-xdp: %s: '%s' is not a number from %lu to %lu\n",
			what, s, min, max);
		exit(2);
	}
	return v;
}

/* A duration in seconds (decimals allowed, up to a day), or exit 2. */
static double arg_seconds(const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400) {
		fprintf(stderr, "vnet-xdp: SECONDS: '%s' is not a duration (more than 0, at most 86400 s)\n", s);
		exit(2);
	}
	return v;
}

static unsigned int ifindex_of(const char *name)
{
	unsigned int idx = if_nametoindex(name);

	if (!idx)
		die(name, errno);
	return idx;
}

/* Load the object; return the fd of program @prog. */
static int load(struct bpf_object **objp, const char *prog)
{
	struct bpf_program *p;
	struct bpf_object *obj;
	int err;

	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj)
		die(obj_path, errno);
	err = bpf_object__load(obj);
	if (err)
		die("loading the programs", err);
	p = bpf_object__find_program_by_name(obj, prog);
	if (!p)
		die(prog, ENOENT);
	*objp = obj;
	return bpf_program__fd(p);
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		die(name, ENOENT);
	return bpf_map__fd(m);
}

static void attach(unsigned int ifindex, int prog_fd)
{
	int err = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL);

	if (err)
		die("attaching in native (driver) mode", err);
}

static int cmd_redirect(const char *dev, const char *target)
{
	unsigned int ifindex = ifindex_of(dev), to = ifindex_of(target);
	struct bpf_object *obj;
	int fd = load(&obj, "xdp_redirect");
	__u32 key = 0;
	int err;

	err = bpf_map_update_elem(map_fd(obj, "tx_port"), &key, &to, 0);
	if (err)
		die("filling tx_port", err);
	attach(ifindex, fd);
	return 0;
}

static int cmd_cpumap(const char *dev, const char *cpu)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	/* At most the CPU map's 64 entries (bpf/vnet_xdp_progs.c). */
	__u32 target = arg_num(cpu, "CPU", 0, (ncpus < 1 || ncpus > 64 ? 64 : ncpus) - 1);
	struct bpf_cpumap_val val = { .qsize = 256 };
	unsigned int ifindex = ifindex_of(dev);
	__u32 key = 0;
	struct bpf_object *obj;
	int fd = load(&obj, "xdp_cpumap");
	int err;

	err = bpf_map_update_elem(map_fd(obj, "cpu_map"), &target, &val, 0);
	if (!err)
		err = bpf_map_update_elem(map_fd(obj, "cpu_target"), &key, &target, 0);
	if (err)
		die("filling cpu_map", err);
	attach(ifindex, fd);
	return 0;
}

/* One of the AF_XDP socket's rings, as mapped. */
struct xsk_ring {
	__u32 *producer;
	__u32 *consumer;
	void *desc;
};

static void map_ring(int fd, struct xsk_ring *r, const struct xdp_ring_offset *off,
		     size_t desc_size, off_t pgoff)
{
	size_t len = off->desc + XSK_RING * desc_size;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       fd, pgoff);

	if (p == MAP_FAILED)
		die("mapping an AF_XDP ring", errno);
	r->producer = (__u32 *)(p + off->producer);
	r->consumer = (__u32 *)(p + off->consumer);
	r->desc = p + off->desc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_xsk(const char *dev, const char *queue, const char *count,
		   const char *seconds)
{
	__u32 qid = arg_num(queue, "QUEUE", 0, 65535);
	__u32 want = arg_num(count, "COUNT", 1, UINT32_MAX), got = 0;
	double limit = seconds ? arg_seconds(seconds) : 10;
	unsigned int ifindex = ifindex_of(dev);
	struct xdp_umem_reg mr = { 0 };
	struct xdp_mmap_offsets off;
	struct sockaddr_xdp sxdp = { 0 };
	struct xsk_ring fill, comp, rx;
	socklen_t optlen = sizeof(off);
	double deadline = now() + limit;
	unsigned long long bytes = 0;
	int ring = XSK_RING, fd, sfd, err;
	struct bpf_object *obj;
	__u32 i, prod;
	void *umem;

	fd = load(&obj, "xdp_xsk");
	sfd = socket(AF_XDP, SOCK_RAW, 0);
	if (sfd < 0)
		die("socket(AF_XDP)", errno);
	umem = mmap(NULL, XSK_FRAMES * XSK_FRAME_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (umem == MAP_FAILED)
		die("allocating the UMEM", errno);
	mr.addr = (__u64)(unsigned long)umem;
	mr.len = XSK_FRAMES * XSK_FRAME_SIZE;
	mr.chunk_size = XSK_FRAME_SIZE;
	if (setsockopt(sfd, SOL_XDP, XDP_UMEM_REG, &mr, sizeof(mr)) ||
	    setsockopt(sfd, SOL_XDP, XDP_UMEM_FILL_RING, &ring, sizeof(ring)) ||
	    setsockopt(sfd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &ring, sizeof(ring)) ||
	    setsockopt(sfd, SOL_XDP, XDP_RX_RING, &ring, sizeof(ring)))
		die("setting up the AF_XDP socket", errno);
	if (getsockopt(sfd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen))
		die("XDP_MMAP_OFFSETS", errno);
	map_ring(sfd, &fill, &off.fr, sizeof(__u64), XDP_UMEM_PGOFF_FILL_RING);
	map_ring(sfd, &comp, &off.cr, sizeof(__u64), XDP_UMEM_PGOFF_COMPLETION_RING);
	map_ring(sfd, &rx, &off.rx, sizeof(struct xdp_desc), XDP_PGOFF_RX_RING);

	/* Give the kernel every other frame of the UMEM to receive into. */
	for (i = 0; i < XSK_RING; i++)
		((__u64 *)fill.desc)[i] = (__u64)i * XSK_FRAME_SIZE;
	__atomic_store_n(fill.producer, XSK_RING, __ATOMIC_RELEASE);

	sxdp.sxdp_family = AF_XDP;
	sxdp.sxdp_ifindex = ifindex;
	sxdp.sxdp_queue_id = qid;
	sxdp.sxdp_flags = XDP_COPY;
	if (bind(sfd, (struct sockaddr *)&sxdp, sizeof(sxdp)))
		die("binding the AF_XDP socket (copy mode)", errno);
	err = bpf_map_update_elem(map_fd(obj, "xsks"), &qid, &sfd, 0);
	if (err)
		die("filling xsks", err);
	attach(ifindex, fd);
	printf("listening on %s queue %u\n", dev, qid);
	fflush(stdout);

	while (got < want && now() < deadline) {
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		__u32 cons = *rx.consumer, fprod;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		prod = __atomic_load_n(rx.producer, __ATOMIC_ACQUIRE);
		fprod = *fill.producer;
		for (; cons != prod; cons++) {
			struct xdp_desc *d = &((struct xdp_desc *)rx.desc)[cons % XSK_RING];

			got++;
			bytes += d->len;
			/* The frame's buffer goes back to the fill ring. */
			((__u64 *)fill.desc)[fprod++ % XSK_RING] =
				d->addr - d->addr % XSK_FRAME_SIZE;
		}
		__atomic_store_n(rx.consumer, cons, __ATOMIC_RELEASE);
		__atomic_store_n(fill.producer, fprod, __ATOMIC_RELEASE);
	}
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	printf("received %u frames, %llu bytes\n", got, bytes);
	return got >= want ? 0 : 1;
}

/*
 * BPF_PROG_RUN in live-frame mode: the kernel builds each frame from
 * @frame in a page pool of its own, runs the program on it and carries
 * out the verdict - here a redirect to DEV, flushed every 64 frames - as
 * a driver's NAPI would. No skb and no system call per frame: a source
 * that leaves a device's transmit path and its reader as what is measured.
 */
static int cmd_send(const char *dev, const char *seconds, const char *count)
{
	unsigned char frame[60] = {
		0x02, 0xee, 0, 0, 0, 1,	/* to a station nobody is */
		0x02, 0xee, 0, 0, 0, 2,
		0x88, 0xb5,		/* local experimental EtherType */
	};
	__u32 repeat = count ? arg_num(count, "COUNT", 1, UINT32_MAX) : 1 << 16;
	double end = seconds ? now() + arg_seconds(seconds) : 0;
	unsigned int to = ifindex_of(dev);
	unsigned long long sent = 0;
	struct bpf_object *obj;
	int fd = load(&obj, "xdp_redirect");
	__u32 key = 0;
	int err;
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = sizeof(frame),
		.repeat = repeat,
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = 64,
	);

	err = bpf_map_update_elem(map_fd(obj, "tx_port"), &key, &to, 0);
	if (err)
		die("filling tx_port", err);
	while (count ? !sent : now() < end) {
		err = bpf_prog_test_run_opts(fd, &opts);
		if (err)
			die("BPF_PROG_RUN with live frames", err);
		sent += opts.repeat;
	}
	printf("sent=%llu\n", sent);
	return 0;
}

static int cmd_off(const char *dev)
{
	int err = bpf_xdp_detach(ifindex_of(dev), XDP_FLAGS_DRV_MODE, NULL);

	if (err)
		die("detaching", err);
	return 0;
}

static int usage(FILE *f)
{
	fprintf(f,
		"usage: vnet-xdp [-o OBJ] redirect DEV TARGET\n"
		"       vnet-xdp [-o OBJ] cpumap DEV CPU\n"
		"       vnet-xdp [-o OBJ] xsk DEV QUEUE COUNT [SECONDS]\n"
		"       vnet-xdp off DEV\n"
		"       vnet-xdp [-o OBJ] send DEV SECONDS|-c COUNT\n"
		"       vnet-xdp --help\n");
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	static char path[PATH_MAX];
	const char *slash = strrchr(argv[0], '/');

	snprintf(path, sizeof(path), "%.*sbpf/vnet_xdp_progs.o",
		 slash ? (int)(slash - argv[0] + 1) : 0, argv[0]);
	obj_path = path;
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return usage(stdout);
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		obj_path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc == 4 && !strcmp(argv[1], "redirect"))
		return cmd_redirect(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "cpumap"))
		return cmd_cpumap(argv[2], argv[3]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "xsk"))
		return cmd_xsk(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
	if (argc == 3 && !strcmp(argv[1], "off"))
		return cmd_off(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "send"))
		return cmd_send(argv[2], argv[3], NULL);
	if (argc == 5 && !strcmp(argv[1], "send") && !strcmp(argv[3], "-c"))
		return cmd_send(argv[2], NULL, argv[4]);
	return usage(stderr);
}
