/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vnet_uapi.h - vnet's interface with userspace: the rtnetlink attributes
 * of the "vnet" link kind, shared by the module and tools/vnetctl.
 *
 *   ip link add name A type vnet        a standalone device
 *   vnetctl add A peer B [queues N]     a pair: IFLA_INFO_DATA carries
 *                                       VNET_INFO_PEER, a struct ifinfomsg
 *                                       followed by the peer's IFLA_*
 *                                       attributes (IFLA_IFNAME,
 *                                       IFLA_NET_NS_FD, IFLA_NUM_*_QUEUES...)
 */
#ifndef _UAPI_VNET_H
#define _UAPI_VNET_H

#define VNET_LINK_KIND "vnet"

enum {
	VNET_INFO_UNSPEC,
	VNET_INFO_PEER,
	__VNET_INFO_MAX
};

#define VNET_INFO_MAX (__VNET_INFO_MAX - 1)

#endif /* _UAPI_VNET_H */
