/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_xdp.h - native XDP (vnet_xdp.c): what the NAPI poll, the driver and
 * the pair's wire call. docs/ARCHITECTURE.md section 5d.
 */
#ifndef _VNET_XDP_H
#define _VNET_XDP_H

#include "vnet.h"

/**
 * struct vnet_xdp_poll - XDP's state during one NAPI poll
 * @prog: the program, read once per poll (NULL: none attached)
 * @budget: the poll's budget, for napi_consume_skb()
 * @tx: XDP_TX frames waiting to be sent together
 * @tx_count: how many
 * @redirected: xdp_do_redirect() took a frame: xdp_do_flush() at the end
 * @pass: verdict counts, added to the queue's counters once per poll
 * @drop: ...
 * @aborted: ...
 * @redirect: ...
 * @redirect_errors: ...
 * @tx_sent: ...
 * @tx_errors: ...
 * @packets: frames the program ran on
 * @bytes: their bytes
 * @in_place: ... in a buffer the wire filled (vnet_xdp_wire_fill())
 * @nomem: frames lost for want of an skb or an RX buffer
 */
struct vnet_xdp_poll {
	struct bpf_prog *prog;
	int budget;
	struct xdp_frame *tx[VNET_XDP_TX_BULK];
	unsigned int tx_count;
	bool redirected;
	u32 pass, drop, aborted, redirect, redirect_errors, tx_sent, tx_errors;
	u32 packets, in_place, nomem;
	u64 bytes;
};

int vnet_xdp_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int vnet_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		  u32 flags);
int vnet_xdp_queue_up(struct vnet_queue *q, u32 rx_size);
void vnet_xdp_queue_down(struct vnet_queue *q);
struct xdp_frame *vnet_xdp_wire_fill(struct vnet_queue *pq, struct sk_buff *skb);
unsigned int vnet_xdp_wire_send(struct vnet_queue *q, struct vnet_queue *pq,
				struct xdp_frame **frames, unsigned int n);
struct sk_buff *vnet_xdp_receive(struct vnet_queue *q, struct vnet_xdp_poll *xp,
				 struct vnet_entry entry);
void vnet_xdp_poll_begin(struct vnet_queue *q, struct vnet_xdp_poll *xp,
			 int budget);
void vnet_xdp_poll_end(struct vnet_queue *q, struct vnet_xdp_poll *xp);
bool vnet_xdp_attached(struct net_device *dev);
int vnet_xdp_check_channels(struct vnet_priv *priv, u16 count);
netdev_features_t vnet_xdp_fix_features(struct net_device *dev,
					netdev_features_t features);

#endif /* _VNET_XDP_H */
