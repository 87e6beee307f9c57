// SPDX-License-Identifier: MIT
/* Buses whose adapter is missing come back by themselves: evgwd listens to
 * the kernel's link (rtnetlink) and device (uevent) announcements and, on
 * each, and every 2 s as a fallback, re-opens the buses that are gone. */
#ifndef EVGW_DAEMON_HOTPLUG_H
#define EVGW_DAEMON_HOTPLUG_H

struct evgw_daemon;

int evgw_hotplug_init(struct evgw_daemon *d);
void evgw_hotplug_fini(struct evgw_daemon *d);

#endif
