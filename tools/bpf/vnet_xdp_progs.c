// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_xdp_progs.c - the small XDP programs vnet's tests and benchmarks
 * attach, one per ELF section (`ip link set dev D xdp obj
 * vnet_xdp_progs.o sec xdp_drop`, `xdp-loader load -s xdp_tx D ...`).
 *
 *   xdp_pass, xdp_drop, xdp_aborted   return that verdict
 *   xdp_tx              swap the Ethernet addresses, send the frame back
 *   xdp_redirect        to the device in tx_port[0] (a devmap)
 *   xdp_cpumap          to the CPU named in cpu_target[0] (a cpumap)
 *   xdp_xsk             to the AF_XDP socket of the receiving queue, if any
 *
 * tools/vnet-xdp.c fills the maps.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpu_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpu_target SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int xdp_aborted(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = (void *)(long)ctx->data;
	unsigned char tmp[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
	return XDP_TX;
}

/*
 * XDP_PASS only if the buffer has the room a driver promises around the
 * frame: 192 bytes in front (of XDP_PACKET_HEADROOM, less the kernel's
 * xdp_frame) and 128 behind. Both are tried, written and given back, so
 * the frame goes on unchanged; a buffer without the room drops it.
 */
SEC("xdp")
int xdp_room(struct xdp_md *ctx)
{
	unsigned char *data;

	if (bpf_xdp_adjust_head(ctx, -192))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	if ((void *)(data + 1) > (void *)(long)ctx->data_end)
		return XDP_DROP;
	*data = 0x5a;
	if (bpf_xdp_adjust_head(ctx, 192))
		return XDP_DROP;
	/* The core refuses to grow past the buffer's end (frame_sz). */
	if (bpf_xdp_adjust_tail(ctx, 128))
		return XDP_DROP;
	if (bpf_xdp_adjust_tail(ctx, -128))
		return XDP_DROP;
	return XDP_PASS;
}

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, XDP_ABORTED);
}

SEC("xdp")
int xdp_cpumap(struct xdp_md *ctx)
{
	__u32 key = 0, *cpu = bpf_map_lookup_elem(&cpu_target, &key);

	return cpu ? bpf_redirect_map(&cpu_map, *cpu, XDP_ABORTED) : XDP_ABORTED;
}

SEC("xdp")
int xdp_xsk(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
