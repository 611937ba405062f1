// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_synth.c - the synthetic traffic source of a standalone device.
 *
 * The "hardware" of a standalone vnet device receives an ARP request every
 * vnet_synth_interval_ms (vnet_synth_burst frames per tick): broadcast, from
 * the device's own MAC, asking who has the target IPv4 address. It lets a
 * learner watch the whole RX path (ring, interrupt, NAPI, GRO, tcpdump)
 * without any other machine.
 */
#include <linux/if_arp.h>

#include "vnet.h"

/* The ARP payload for Ethernet/IPv4 (RFC 826), as it stands on the wire. */
struct vnet_arp_ipv4 {
	struct arphdr hdr;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

/**
 * vnet_synth_build_arp() - write an ARP request frame
 * @frame: at least VNET_SYNTH_FRAME_LEN bytes
 * @src_mac: the sender's hardware address (Ethernet source and ARP sha)
 * @sender_ip: ARP sender protocol address
 * @target_ip: ARP target protocol address (the address asked about)
 *
 * The frame is broadcast, padded with zeroes to the 60-byte minimum that a
 * real wire delivers.
 *
 * Context: any.
 * Return: the frame length, VNET_SYNTH_FRAME_LEN.
 */
unsigned int vnet_synth_build_arp(u8 *frame, const u8 *src_mac,
				  __be32 sender_ip, __be32 target_ip)
{
	struct ethhdr *eth = (struct ethhdr *)frame;
	struct vnet_arp_ipv4 *arp = (struct vnet_arp_ipv4 *)(eth + 1);

	memset(frame, 0, VNET_SYNTH_FRAME_LEN);
	eth_broadcast_addr(eth->h_dest);
	ether_addr_copy(eth->h_source, src_mac);
	eth->h_proto = htons(ETH_P_ARP);

	arp->hdr.ar_hrd = htons(ARPHRD_ETHER);
	arp->hdr.ar_pro = htons(ETH_P_IP);
	arp->hdr.ar_hln = ETH_ALEN;
	arp->hdr.ar_pln = sizeof(arp->sip);
	arp->hdr.ar_op = htons(ARPOP_REQUEST);
	memcpy(arp->sha, src_mac, ETH_ALEN);
	arp->sip = sender_ip;
	eth_zero_addr(arp->tha);
	arp->tip = target_ip;
	return VNET_SYNTH_FRAME_LEN;
}

/* One tick: the hardware receives a burst of frames on queue 0. */
static void vnet_synth_tick(struct timer_list *t)
{
	struct vnet_priv *priv = timer_container_of(priv, t, synth_timer);
	struct net_device *dev = priv->dev;
	struct vnet_queue *q = &priv->queues[0];
	unsigned int i, n, queued = 0;

	/*
	 * Frames that find no descriptor are lost before costing anything.
	 * While a /dev/vnet file is the device's wire, it alone sends.
	 */
	n = READ_ONCE(priv->ports) ? 0 :
		vnet_rx_reserve(q, READ_ONCE(vnet_synth_burst));
	for (i = 0; i < n; i++) {
		struct sk_buff *skb;

		skb = netdev_alloc_skb_ip_align(dev, VNET_SYNTH_FRAME_LEN);
		if (!skb)
			break;
		vnet_synth_build_arp(skb_put(skb, VNET_SYNTH_FRAME_LEN),
				     dev->dev_addr, vnet_synth_sender_ip,
				     vnet_synth_target_ip);
		queued += vnet_rx_enqueue(q, vnet_entry_skb(skb));
	}
	if (queued)
		vnet_rx_irq(q);

	if (READ_ONCE(priv->synth_on))
		mod_timer(&priv->synth_timer,
			  jiffies + msecs_to_jiffies(vnet_synth_interval_ms));
}

/**
 * vnet_synth_init() - prepare a device's synthetic traffic source
 * @priv: the device
 *
 * Context: process context, at device creation.
 */
void vnet_synth_init(struct vnet_priv *priv)
{
	timer_setup(&priv->synth_timer, vnet_synth_tick, 0);
}

/**
 * vnet_synth_start() - start receiving synthetic frames (if configured)
 * @priv: the device, whose rings are up
 *
 * Context: process context, RTNL held.
 */
void vnet_synth_start(struct vnet_priv *priv)
{
	/* A pair end's wire is its peer; only standalone devices get this. */
	if (!vnet_synth_interval_ms || !vnet_synth_burst ||
	    rcu_access_pointer(priv->peer))
		return;
	WRITE_ONCE(priv->synth_on, true);
	mod_timer(&priv->synth_timer,
		  jiffies + msecs_to_jiffies(vnet_synth_interval_ms));
}

/**
 * vnet_synth_stop() - stop the synthetic traffic source and wait for it
 * @priv: the device
 *
 * Context: process context, RTNL held.
 */
void vnet_synth_stop(struct vnet_priv *priv)
{
	/* Clear first, so that a running tick does not re-arm the timer. */
	WRITE_ONCE(priv->synth_on, false);
	timer_delete_sync(&priv->synth_timer);
}
