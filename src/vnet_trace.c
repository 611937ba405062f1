// SPDX-License-Identifier: GPL-2.0
/*
 * vnet_trace.c - defines the vnet trace system's events (vnet_trace.h).
 */
#define CREATE_TRACE_POINTS
#include "vnet_trace.h"
