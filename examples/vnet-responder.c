// SPDX-License-Identifier: GPL-2.0
/*
 * vnet-responder - a host on vnet's wire: answers ARP requests and ICMP
 * echo requests for one IPv4 address, through /dev/vnet (lib/libvnet).
 *
 *   vnet-responder [-v] [-m MAC] [-q QUEUE] DEV IPV4
 *
 * With it running, `ping IPV4` and `arping IPV4` from the stack, out of
 * DEV, get answers: every frame DEV transmits is read here, and answers
 * are written back into DEV's receive path. Frames for anyone else are
 * ignored. Stops on SIGINT/SIGTERM, or when DEV goes away.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/if_ether.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvnet.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The Internet checksum (RFC 1071) of @len bytes. */
static uint16_t inet_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* Turn an ARP request for @ip into its reply, in place. */
static int arp_reply(uint8_t *f, size_t len, struct in_addr ip, const uint8_t *mac)
{
	struct ether_header *eth = (void *)f;
	struct ether_arp *arp = (void *)(eth + 1);

	if (len < sizeof(*eth) + sizeof(*arp) ||
	    ntohs(arp->ea_hdr.ar_hrd) != ARPHRD_ETHER ||
	    ntohs(arp->ea_hdr.ar_pro) != ETHERTYPE_IP ||
	    ntohs(arp->ea_hdr.ar_op) != ARPOP_REQUEST ||
	    memcmp(arp->arp_tpa, &ip, 4))
		return 0;
	arp->ea_hdr.ar_op = htons(ARPOP_REPLY);
	memcpy(arp->arp_tha, arp->arp_sha, ETH_ALEN);
	memcpy(arp->arp_tpa, arp->arp_spa, 4);
	memcpy(arp->arp_sha, mac, ETH_ALEN);
	memcpy(arp->arp_spa, &ip, 4);
	memcpy(eth->ether_dhost, eth->ether_shost, ETH_ALEN);
	memcpy(eth->ether_shost, mac, ETH_ALEN);
	return 1;
}

/* Turn an ICMP echo request to @ip into its reply, in place. */
static int icmp_reply(uint8_t *f, size_t len, struct in_addr ip, const uint8_t *mac)
{
	struct ether_header *eth = (void *)f;
	struct iphdr *iph = (void *)(eth + 1);
	struct icmphdr *icmp;
	size_t ihl, tot;
	uint32_t tmp;

	if (len < sizeof(*eth) + sizeof(*iph))
		return 0;
	ihl = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (iph->version != 4 || ihl < sizeof(*iph) || tot < ihl + sizeof(*icmp) ||
	    sizeof(*eth) + tot > len || iph->protocol != IPPROTO_ICMP ||
	    iph->daddr != ip.s_addr || (ntohs(iph->frag_off) & 0x3fff))
		return 0;
	icmp = (void *)((uint8_t *)iph + ihl);
	if (icmp->type != ICMP_ECHO)
		return 0;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = 0;
	icmp->checksum = inet_csum(icmp, tot - ihl);
	tmp = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = tmp;
	iph->ttl = 64;
	iph->check = 0;
	iph->check = inet_csum(iph, ihl);
	memcpy(eth->ether_dhost, eth->ether_shost, ETH_ALEN);
	memcpy(eth->ether_shost, mac, ETH_ALEN);
	return 2;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[ETH_ALEN];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != ETH_ALEN)
		return -1;
	for (i = 0; i < ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = b[i];
	}
	return mac[0] & 1 ? -1 : 0;	/* a station, not a group, address */
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vnet-responder [-v] [-m MAC] [-q QUEUE] DEV IPV4\n"
		"Answer ARP and ICMP echo requests for IPV4 on DEV's wire.\n"
		"  -m MAC    the responder's MAC (default 02:00:00:00:00:01)\n"
		"  -q QUEUE  the device queue to attach to (default: first free)\n"
		"  -v        print each answer\n");
}

int main(int argc, char **argv)
{
	uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	unsigned long arps = 0, pings = 0, ignored = 0;
	unsigned int queue = VNET_QUEUE_ANY;
	static uint8_t frame[9000 + 18];
	struct sigaction sa;
	struct in_addr ip;
	int fd, c, verbose = 0, ret = 0;

	while ((c = getopt(argc, argv, "hvm:q:")) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		case 'm':
			if (parse_mac(optarg, mac)) {
				fprintf(stderr, "vnet-responder: bad MAC '%s'\n", optarg);
				return 2;
			}
			break;
		case 'q':
			queue = strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return 2;
	}
	if (inet_pton(AF_INET, argv[optind + 1], &ip) != 1) {
		fprintf(stderr, "vnet-responder: bad IPv4 address '%s'\n", argv[optind + 1]);
		return 2;
	}
	fd = vnet_open(argv[optind], queue, 0, NULL);
	if (fd < 0) {
		fprintf(stderr, "vnet-responder: cannot attach to %s: %s\n",
			argv[optind], vnet_strerror(fd));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("vnet-responder: answering for %s on %s\n", argv[optind + 1], argv[optind]);
	fflush(stdout);
	while (!stop) {
		ssize_t n = vnet_recv(fd, frame, sizeof(frame));
		int kind, err;

		if (n == -EINTR)
			continue;
		if (n < 0) {
			if (n != -ENXIO) {
				fprintf(stderr, "vnet-responder: %s\n", vnet_strerror(n));
				ret = 1;
			}
			break;
		}
		kind = arp_reply(frame, n, ip, mac);
		if (!kind)
			kind = icmp_reply(frame, n, ip, mac);
		if (!kind) {
			ignored++;
			continue;
		}
		err = vnet_send(fd, frame, n);
		if (err) {
			fprintf(stderr, "vnet-responder: reply: %s\n", vnet_strerror(err));
			continue;
		}
		if (kind == 1)
			arps++;
		else
			pings++;
		if (verbose)
			printf("answered %s\n", kind == 1 ? "ARP request" : "echo request");
	}
	printf("vnet-responder: %lu ARP, %lu echo answered, %lu frames ignored\n",
	       arps, pings, ignored);
	close(fd);
	return ret;
}
