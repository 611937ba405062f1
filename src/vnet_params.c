// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_params.c - the module parameters: the defaults of every device.
 *
 * A unit of its own, depending on nothing else of vnet's, so that the
 * units that read a parameter do not depend on module init (vnet_main.c).
 * Their names are the module's (/sys/module/vnet/parameters/), listed in
 * docs/ARCHITECTURE.md ("Knobs").
 */
#include <linux/inet.h>
#include <linux/moduleparam.h>

#include "vnet.h"

unsigned int vnet_num_devices = 1;
module_param_named(devices, vnet_num_devices, uint, 0444);
MODULE_PARM_DESC(devices, "Standalone devices vnet0.. to create (default 1, max 64)");

unsigned int vnet_num_queues = 1;
module_param_named(queues, vnet_num_queues, uint, 0444);
MODULE_PARM_DESC(queues, "TX/RX queue pairs per standalone device (default 1, max 16)");

unsigned int vnet_synth_interval_ms = 1000;
module_param_named(rx_interval_ms, vnet_synth_interval_ms, uint, 0444);
MODULE_PARM_DESC(rx_interval_ms, "Synthetic RX interval in ms, 0 = off (default 1000)");

unsigned int vnet_synth_burst = 1;
module_param_named(rx_burst, vnet_synth_burst, uint, 0444);
MODULE_PARM_DESC(rx_burst, "Synthetic frames received per interval (default 1, max 4096)");

static char *vnet_arp_sender = "10.0.0.1";
module_param_named(arp_sender, vnet_arp_sender, charp, 0444);
MODULE_PARM_DESC(arp_sender, "Sender IPv4 of synthetic ARP requests (default 10.0.0.1)");

static char *vnet_arp_target = "10.0.0.2";
module_param_named(arp_target, vnet_arp_target, charp, 0444);
MODULE_PARM_DESC(arp_target, "Target IPv4 of synthetic ARP requests (default 10.0.0.2)");

/*
 * The defaults of three per-device settings, read-only: a device's own are
 * changed through the vnet family (vnetctl set, vnet_genl.c), so that one
 * device's test does not change its neighbours'.
 */
unsigned int vnet_tx_delay_us;
module_param_named(tx_delay_us, vnet_tx_delay_us, uint, 0444);
MODULE_PARM_DESC(tx_delay_us,
		 "Default for new devices: simulated TX completion latency in us (default 0, max 1000000)");

/*
 * On by default: a NIC's interrupt fires on its vector's affinity CPU,
 * not on the CPU that happened to send, and a pair at these settings
 * carries more than veth on a receiver that does little per frame
 * (docs/BENCHMARKS.md); off keeps NAPI where veth runs it.
 */
bool vnet_irq_spread = true;
module_param_named(irq_spread, vnet_irq_spread, bool, 0444);
MODULE_PARM_DESC(irq_spread,
		 "Default for new devices: 1 (default): RX and TX-done interrupts raised by a sender go to the next CPU in an IPI, as interrupt affinity keeps receive work off the sending CPU (those raised in softirq stay); 0: on the CPU that raises them");

unsigned int vnet_rx_poll_us;
module_param_named(rx_poll_us, vnet_rx_poll_us, uint, 0444);
MODULE_PARM_DESC(rx_poll_us,
		 "Default for new devices: busy polling: after a NAPI poll that received frames, keep polling, the interrupt masked, until none has come for this many us (default 0: off; max 1000000)");

__be32 vnet_synth_sender_ip;
__be32 vnet_synth_target_ip;

#define VNET_MAX_DEVICES	64
#define VNET_MAX_BURST		4096

static int __init vnet_parse_ipv4(const char *name, const char *text, __be32 *addr)
{
	if (in4_pton(text, -1, (u8 *)addr, -1, NULL))
		return 0;
	pr_err("%s: %s=\"%s\" is not an IPv4 address\n", VNET_DRV_NAME, name, text);
	return -EINVAL;
}

/**
 * vnet_params_check() - check the load-time values of the parameters
 *
 * Also parses the synthetic source's addresses.
 *
 * Context: module init.
 * Return: 0, or -EINVAL (with a message saying which limits hold).
 */
int __init vnet_params_check(void)
{
	int err;

	if (vnet_num_devices > VNET_MAX_DEVICES || !vnet_num_queues ||
	    vnet_num_queues > VNET_MAX_QUEUES || vnet_synth_burst > VNET_MAX_BURST ||
	    vnet_tx_delay_us > VNET_MAX_TX_DELAY_US || vnet_rx_poll_us > VNET_MAX_RX_POLL_US) {
		pr_err("%s: devices <= %d, 1 <= queues <= %d, rx_burst <= %d, tx_delay_us <= %u, rx_poll_us <= %u\n",
		       VNET_DRV_NAME, VNET_MAX_DEVICES, VNET_MAX_QUEUES,
		       VNET_MAX_BURST, VNET_MAX_TX_DELAY_US, VNET_MAX_RX_POLL_US);
		return -EINVAL;
	}
	err = vnet_parse_ipv4("arp_sender", vnet_arp_sender, &vnet_synth_sender_ip);
	if (err)
		return err;
	return vnet_parse_ipv4("arp_target", vnet_arp_target, &vnet_synth_target_ip);
}
