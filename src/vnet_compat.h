/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnet_compat.h - the only place where kernel-version differences live.
 *
 * vnet's sources are written against the newest kernel API of the matrix
 * (6.1, 6.12, 7.2). This header backports the newer names to older kernels
 * by feature detection, never by version number: a macro is tested with
 * #ifdef; for a function, Kbuild greps the kernel's header and defines
 * VNET_HAVE_<FEATURE> when it is there (see src/Kbuild).
 */
#ifndef _VNET_COMPAT_H
#define _VNET_COMPAT_H

#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/ethtool.h>

/* 6.16 renamed from_timer() to timer_container_of(). */
#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

/* 6.13 added hrtimer_setup(); 6.15 removed hrtimer_init(). */
#ifndef VNET_HAVE_HRTIMER_SETUP
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/* 6.8 added ethtool_puts() for constant strings. */
#ifndef VNET_HAVE_ETHTOOL_PUTS
static inline void ethtool_puts(u8 **data, const char *str)
{
	ethtool_sprintf(data, "%s", str);
}
#endif

#endif /* _VNET_COMPAT_H */
