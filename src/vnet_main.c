// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_main.c - module init and exit (the parameters: vnet_params.c).
 *
 * vnet: a virtual Ethernet NIC driver built like a hardware one (TX/RX
 * descriptor rings, NAPI, BQL, queue stop/wake, honest statistics,
 * ethtool). docs/ARCHITECTURE.md is the guided tour.
 */
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "vnet.h"

static int __init vnet_init(void)
{
	struct net_device *dev;
	unsigned int i;
	int err;

	err = vnet_params_check();
	if (err)
		return err;
	/* Device resets after a TX timeout (vnet_netdev.c). */
	vnet_wq = alloc_workqueue(VNET_DRV_NAME, WQ_UNBOUND, 0);
	if (!vnet_wq)
		return -ENOMEM;
	err = rtnl_link_register(&vnet_link_ops);
	if (err)
		goto err_wq_destroy;
	for (i = 0; i < vnet_num_devices; i++) {
		dev = vnet_create("vnet%d", vnet_num_queues);
		if (IS_ERR(dev)) {
			err = PTR_ERR(dev);
			goto err_link_unregister;
		}
	}
	/* The faults of the devices (vnet_genl.c). */
	err = vnet_genl_register();
	if (err)
		goto err_link_unregister;
	/* Last: from here on userspace can attach to what exists. */
	err = vnet_chardev_register();
	if (err)
		goto err_genl_unregister;
	pr_info("%s %s: %u device(s)\n", VNET_DRV_NAME, VNET_DRV_VERSION, i);
	return 0;

err_genl_unregister:
	vnet_genl_unregister();
err_link_unregister:
	rtnl_link_unregister(&vnet_link_ops);	/* deletes what we made */
err_wq_destroy:
	destroy_workqueue(vnet_wq);	/* runs the resets still queued */
	return err;
}

static void __exit vnet_exit(void)
{
	/* No /dev/vnet file is open: each holds a module reference. */
	vnet_chardev_unregister();
	vnet_genl_unregister();
	/* Deletes every vnet device, in every namespace. */
	rtnl_link_unregister(&vnet_link_ops);
	destroy_workqueue(vnet_wq);	/* runs the resets still queued */
}

module_init(vnet_init);
module_exit(vnet_exit);
MODULE_AUTHOR("The vnet developers");
MODULE_DESCRIPTION("vnet: a virtual Ethernet NIC built like a hardware driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(VNET_DRV_VERSION);
MODULE_ALIAS_RTNL_LINK(VNET_LINK_KIND);
