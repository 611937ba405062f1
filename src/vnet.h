/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet.h - private definitions shared by the files of the vnet driver.
 *
 * vnet is a virtual Ethernet NIC built the way hardware NIC drivers are:
 * each queue has a TX descriptor ring completed asynchronously by simulated
 * hardware, an RX ring filled by that hardware, and a NAPI context that
 * cleans the one and drains the other. docs/ARCHITECTURE.md walks a packet
 * through the functions declared here.
 *
 * Locking
 * =======
 * RTNL              Serialises every control operation: open/stop, ring
 *                   resize, MTU and MAC changes, register/unregister. The
 *                   ring sizes in struct vnet_priv are written under it.
 *                   A change of the rings allocates everything new before
 *                   it stops a queue (vnet_netdev.c), so a failure leaves
 *                   them as they were. NAPI contexts exist
 *                   (netif_napi_add) for the queues in use, while the
 *                   device is up.
 * num_queues        Written under RTNL (ethtool -L) with WRITE_ONCE();
 *                   read on the data path with READ_ONCE(), once per
 *                   decision. An index taken from it always names a live
 *                   struct vnet_queue (max_queues of them), but maybe one
 *                   just taken out of use: a sender that did not get its
 *                   queue from the stack (an ndo_xdp_xmit caller, a
 *                   pair's peer) checks under the lock of the ring it
 *                   fills that the ring is there (rx_lock: rx_ring.slots;
 *                   txq lock: tx_ring.slots and the index still below
 *                   num_queues). The reconfiguration lowers num_queues,
 *                   waits in synchronize_net() for the data path
 *                   (ndo_xdp_xmit and peers run under RCU, BH off), and
 *                   only then takes the removed queues' rings away.
 * txq lock          (the stack's per-queue xmit lock, held around
 *                   ndo_start_xmit) makes its holder the only producer of
 *                   a TX ring (ndo_start_xmit, or XDP's transmit on a
 *                   standalone device): it alone writes tx_ring.prod. The TX
 *                   clean holds it as well - xmit after its doorbell,
 *                   NAPI, the RTNL holder of a queue going down - so it
 *                   also makes one consumer of a TX ring (tx_ring.cons)
 *                   and one writer of xmit_stats. A TX
 *                   ring is put in place or taken away (struct vnet_ring
 *                   as a whole) under it and tx_hw_lock.
 * tx_hw_lock        Per queue. Serialises the simulated TX engine's state
 *                   (the doorbell in xmit, the engine's and coalescing
 *                   hrtimers, a peer's kick, stop and start): it guards
 *                   tx_hw_armed, tx_hw_blocked, tx_hw_stopped, tx_hw_busy,
 *                   tx_hw_again, tx_coal_armed and pace_end, and
 *                   tx_hw_done is written under it (but for the RTNL
 *                   holder's resets while tx_hw_stopped: then nothing
 *                   else runs the engine).
 *                   Taken with BHs off, never with IRQs off: netpoll,
 *                   which rings the doorbell with IRQs off (maybe from a
 *                   hard IRQ that interrupted a holder), does not take
 *                   it but starts tx_netpoll_timer, which rings it again
 *                   from softirq. Nothing that may enable BHs runs under
 *                   it: the wire is fed and the TX-done interrupt raised
 *                   after it is dropped. Once tx_hw_stopped is set (queue down) no
 *                   doorbell or kick sends a frame or arms a timer until
 *                   the queue comes up again.
 * tx_hw_busy        One pass of a queue's TX engine at a time feeds the
 *                   wire (vnet_tx_hw_pass()), outside tx_hw_lock, BHs off
 *                   and IRQs on: set under the lock, it makes the pass
 *                   the only user of the TX descriptors from tx_hw_done
 *                   to the producer's, of the TX delay line and of the
 *                   TX direction's fault state, until it clears it. Who
 *                   finds it set leaves the work to that pass
 *                   (tx_hw_again); vnet_tx_hw_stop() waits for it.
 * rx_lock           Per queue. Serialises the producers of an RX ring (the
 *                   synthetic traffic timer; a pair's peer, from its TX
 *                   engine or its XDP transmit,
 *                   possibly from several CPUs; a /dev/vnet writer).
 *                   Held with BHs off. It protects rx_ring.prod,
 *                   rx_ring.slots (NULL while the device is down) and
 *                   rxhw_stats; an RX ring is put in place or taken away
 *                   (slots, size and counters together) only under it.
 * peer (RCU)        A pair end's pointer to the other end. Written under
 *                   RTNL when the pair is made or deleted; read with
 *                   rcu_dereference() on the data path, where the
 *                   device's unregistration waits for readers.
 * fault (RCU)       The wire faults: see vnet_fault.h.
 * rx_irq_csd        An interrupt carried to another CPU (an IPI, see
 *                   vnet_rx_irq()) holds the queue alive until its handler
 *                   has returned: ndo_uninit waits for the csd's unlock
 *                   (vnet_queue_irq_sync()), then for a grace period (the
 *                   core unlocks an async csd just before the handler,
 *                   which runs in hard IRQ context) before the queues are
 *                   freed.
 * xdp_prog (RCU)    The XDP program. Replaced under RTNL (ndo_bpf); read
 *                   by NAPI under rcu_read_lock(); the old program is
 *                   put with bpf_prog_put(), which frees it after a
 *                   grace period.
 * wire (RCU)        q->wire, the queue's kind of wire (vnet_wire.h): a
 *                   pointer to a constant table. Set under RTNL after
 *                   the far side it leads to appears (peer, port), back
 *                   to the sink before it goes; read under RCU on the
 *                   data path, where a reader may see the two pointers
 *                   change in either order: every wire copes without a
 *                   far side.
 * port, read_lock,  A queue and the /dev/vnet file that is its wire; the
 * pool_lock         file's readers and writers: see struct vnet_port
 *                   (vnet_chardev.c).
 * xdp_pool_lock     Per queue (spinlock, BH off). Guards q->xdp_pool (set
 *                   by queue up, cleared by queue down) and serialises
 *                   the takers of its pages: the queue's NAPI and the
 *                   senders whose wire fills its RX buffers, on any CPU.
 *                   Pages go back to the pool's ring without it.
 * NAPI              Each queue's NAPI poll is the only consumer of its RX
 *                   ring: it alone writes rx_ring.cons and napi_stats.
 *                   While NAPI is disabled (device down), the RTNL holder
 *                   owns those instead. It cleans the TX ring under the
 *                   txq lock (above). netpoll's poll (budget 0, IRQs off)
 *                   excludes NAPI (poll_owner) and only reclaims
 *                   written-back TX descriptors, if the txq lock is free
 *                   (a trylock): it touches neither skbs nor the wire and
 *                   never receives.
 * Ring indices are published with smp_store_release() and read on the
 * other side with smp_load_acquire(): a slot is written before the index
 * that hands it over, and read before the index that hands it back.
 */
#ifndef _VNET_H
#define _VNET_H

#include "vnet_compat.h"
#include "vnet_uapi.h"

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/prandom.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include "vnet_ring.h"
#include "vnet_stats.h"
#include "vnet_hw.h"
#include "vnet_wire.h"
#include "vnet_fault.h"
#include "vnet_queue.h"

#define VNET_DRV_NAME		"vnet"
#define VNET_DRV_VERSION	"0.1.0"

#define VNET_MAX_QUEUES		16
#define VNET_RING_DEFAULT	256
#define VNET_MIN_MTU		ETH_MIN_MTU	/* 68 */
#define VNET_MAX_MTU		9000
/*
 * With an XDP program attached every frame must fit one RX buffer: a page,
 * less XDP_PACKET_HEADROOM in front and an skb_shared_info behind (checked
 * at build time in vnet_xdp.c). A round number, for error messages.
 */
#define VNET_XDP_MAX_MTU	3500
/* The TX watchdog: a queue stopped this long is reset (ndo_tx_timeout). */
#define VNET_TX_TIMEOUT		(2 * HZ)
/* XDP_TX frames sent out together, at most. */
#define VNET_XDP_TX_BULK	16
/* Synthetic frames are padded to the minimum a real wire carries. */
#define VNET_SYNTH_FRAME_LEN	ETH_ZLEN	/* 60, FCS stripped */

/* ------------------------------------------------------------------ */
/* Device state                                                        */
/* ------------------------------------------------------------------ */

/**
 * struct vnet_coalesce - interrupt moderation (ethtool -C), per device
 * @rx_usecs: an RX interrupt waits up to this long for more frames; 0: it
 *	is raised at once (and @rx_frames is not used)
 * @rx_frames: ... but no longer than until this many frames arrived since
 *	the last one; 0: no count, only the time
 * @tx_usecs: the same for TX-done interrupts
 * @tx_frames: ... frames completed and not yet cleaned
 * @adaptive_rx: vnet sets each queue's RX moderation from its interrupt
 *	rate instead of @rx_usecs and @rx_frames (vnet_rx_irq())
 *
 * Written under RTNL (ethtool), read with READ_ONCE() on the data path.
 */
struct vnet_coalesce {
	u32 rx_usecs;
	u32 rx_frames;
	u32 tx_usecs;
	u32 tx_frames;
	bool adaptive_rx;
};

/**
 * struct vnet_priv - vnet's part of a net_device
 * @dev: the net_device
 * @id: a number unique among vnet devices, for bus-info and the MAC
 * @msg_enable: netif_msg_* bits (ethtool msglvl)
 * @tx_ring_size: TX descriptors per queue (ethtool -G tx), under RTNL
 * @rx_ring_size: RX descriptors per queue (ethtool -G rx), under RTNL
 * @num_queues: queue pairs in use (ethtool -L); written under RTNL, read
 *	with READ_ONCE() on the data path (see "Locking")
 * @max_queues: queue pairs in @queues (the device's num_tx_queues)
 * @queues: the queue pairs, alive from ndo_init to ndo_uninit
 * @peer: the other end of a pair, NULL for a standalone device (see
 *	"Locking": RCU on the data path, RTNL to change it)
 * @synth_timer: the synthetic RX traffic source (standalone devices)
 * @synth_on: @synth_timer may re-arm itself
 * @ports: /dev/vnet files attached (written under RTNL); while non-zero
 *	the synthetic source is silent
 * @xdp_prog: the XDP program, or NULL (see "Locking": RCU on the data
 *	path, RTNL to change it)
 * @fault: the wire faults, NULL when none is set (see "Locking")
 * @fault_set: the fault settings as last set, under RTNL (reported by
 *	rtnetlink even when none is active)
 * @rx_exhaust: the RX rings have no free descriptor: every frame arriving
 *	is missed (read on the data path)
 * @tx_stall: the TX engines complete nothing, until a reset clears it
 * @flap_ms: the carrier toggles every @flap_ms ms while up; 0: no flaps
 * @flap_timer: toggles it
 * @reset_queued: bit 0: a reset that ndo_tx_timeout asked for is on its
 *	way (on vnet_wq, see vnet_tx_timeout())
 * @coal: interrupt moderation (ethtool -C)
 * @speed_mbps: the emulated line rate (ethtool -s speed), 0: unlimited;
 *	written under RTNL, read by the TX engines
 * @irq_spread: interrupts a sender raises go to the next CPU (vnet_irq.c)
 * @rx_poll_us: busy polling after a poll that received, in us; 0: off
 *	(vnet_rx.c)
 * @tx_delay_us: the TX engine's latency, in us (vnet_tx_hw.c)
 *
 * @irq_spread, @rx_poll_us and @tx_delay_us start as the module's
 * parameters say, are changed through the vnet family (dev-set, under
 * RTNL, WRITE_ONCE()) and read on the data path with READ_ONCE().
 * @wire_free_ns: the device's wire is busy until then (ktime, ns): the
 *	queues' engines reserve time on it with cmpxchg (vnet_pace.c)
 */
struct vnet_priv {
	struct net_device *dev;
	u32 id;
	u32 msg_enable;
	u32 tx_ring_size;
	u32 rx_ring_size;
	u16 num_queues;
	u16 max_queues;
	struct vnet_queue *queues;
	struct net_device __rcu *peer;

	struct timer_list synth_timer;
	bool synth_on;
	unsigned int ports;
	struct bpf_prog __rcu *xdp_prog;

	struct vnet_fault_cfg __rcu *fault;
	struct vnet_fault_cfg fault_set;
	bool rx_exhaust;
	bool tx_stall;
	u32 flap_ms;
	struct timer_list flap_timer;
	unsigned long reset_queued;
	struct vnet_coalesce coal;
	u32 speed_mbps;
	atomic64_t wire_free_ns;
	bool irq_spread;
	u32 rx_poll_us;
	u32 tx_delay_us;
};

/* Module parameters (vnet_params.c). */
extern unsigned int vnet_num_devices;
extern unsigned int vnet_num_queues;
extern unsigned int vnet_tx_delay_us;
extern bool vnet_irq_spread;
extern unsigned int vnet_rx_poll_us;
#define VNET_MAX_RX_POLL_US	VNET_SETTING_MAX_US
#define VNET_MAX_TX_DELAY_US	VNET_SETTING_MAX_US
extern unsigned int vnet_synth_interval_ms;
extern unsigned int vnet_synth_burst;
extern __be32 vnet_synth_sender_ip;
extern __be32 vnet_synth_target_ip;
int vnet_params_check(void);

/* vnet_netdev.c */
extern struct workqueue_struct *vnet_wq;
extern const struct net_device_ops vnet_netdev_ops;
bool vnet_is_vnet(const struct net_device *dev);
int vnet_rings_reconfigure(struct vnet_priv *priv, u32 tx_size, u32 rx_size,
			   struct netlink_ext_ack *extack);
int vnet_channels_reconfigure(struct vnet_priv *priv, u16 count);
void vnet_pair_carrier(struct net_device *dev);

/* vnet_tx.c: the driver's side (the TX engine: vnet_hw.h, vnet_tx_hw.c) */
netdev_tx_t vnet_start_xmit(struct sk_buff *skb, struct net_device *dev);
void vnet_tx_post_xdp(struct vnet_queue *q, struct xdp_frame *frame);
void vnet_tx_doorbell_reap(struct vnet_queue *q);
void vnet_tx_clean(struct vnet_queue *q, int budget);
void vnet_tx_reclaim(struct vnet_queue *q);

/* vnet_rx.c: the NAPI poll (RX placement: vnet_hw.h, vnet_rx_hw.c) */
int vnet_napi_poll(struct napi_struct *napi, int budget);

/* vnet_stats.c */
void vnet_queue_counters(struct vnet_queue *q, struct vnet_counters *c);
void vnet_dev_counters(struct vnet_priv *priv, struct vnet_counters *total);
void vnet_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s);
extern const struct netdev_stat_ops vnet_stat_ops;

/* vnet_link.c */
extern struct rtnl_link_ops vnet_link_ops;
void vnet_setup(struct net_device *dev);
struct net_device *vnet_create(const char *name, u16 queues);
struct net_device *vnet_create_locked(struct net *net, const char *name,
				      u16 queues);

/* vnet_wire_peer.c */
extern const struct vnet_wire_ops vnet_wire_peer;

/* vnet_ethtool.c */
extern const struct ethtool_ops vnet_ethtool_ops;

/* vnet_synth.c */
unsigned int vnet_synth_build_arp(u8 *frame, const u8 *src_mac,
				  __be32 sender_ip, __be32 target_ip);
void vnet_synth_init(struct vnet_priv *priv);
void vnet_synth_start(struct vnet_priv *priv);
void vnet_synth_stop(struct vnet_priv *priv);

/* vnet_chardev.c */
int vnet_chardev_register(void);
void vnet_chardev_unregister(void);

/* vnet_genl.c */
int vnet_genl_register(void);
void vnet_genl_unregister(void);

#endif /* _VNET_H */
