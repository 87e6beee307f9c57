// SPDX-License-Identifier: MIT
/* Netlink facts: RTMGRP_LINK multicasts RTM_NEWLINK/RTM_DELLINK for every
 * network interface (rtnetlink(7)); NETLINK_KOBJECT_UEVENT group 1 carries
 * the kernel's own "add@/devices/..." device events, readable without
 * privileges and without udevd (netlink(7)). We only need to know that
 * something changed: the buses themselves say whether their device is
 * back, by opening. */
#include "daemon/hotplug.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/stations.h"

#define RETRY_US 2000000   /* fallback when no event says anything */
#define SETTLE_US 150000   /* let a new device finish appearing (renames, up) */

static bool wants_open(const struct evgw_station *st)
{
	const struct evgw_bus *b = st->bus;
	if (b->state == EVGW_BUS_GONE)
		return true;
	return !b->drv && b->state == EVGW_BUS_DOWN && st->open_failed;
}


static void retry_buses(struct evgw_daemon *d)
{
	for (unsigned i = 0; i < d->n_stations; i++)
		if (wants_open(d->stations[i]))
			(void)evgw_daemon_open_bus(d, d->stations[i]);
}

/* Both timers: the 2 s fallback and the settle time after an event. */
static void on_retry(struct evgw_loop *loop, struct evgw_timer *t)
{
	(void)loop;
	retry_buses(t->ud);
}

static void on_netlink(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	(void)loop;
	struct evgw_daemon *d = io->ud;
	char buf[8192];
	bool any = false;
	/* Drain: only "something changed" matters. */
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(io->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0) {
			any = true;
			continue;
		}
		if (n < 0 && errno == ENOBUFS) {
			any = true; /* events were lost: look anyway */
			continue;
		}
		break;
	}
	if (!any && (events & (EPOLLERR | EPOLLHUP)))
		any = true;
	if (any) {
		d->hotplug_events++;
		bool someone_waits = false;
		for (unsigned i = 0; i < d->n_stations; i++)
			someone_waits |= wants_open(d->stations[i]);
		if (someone_waits)
			evgw_timer_arm(&d->hotplug_settle, SETTLE_US, 0);
	}
}

static int open_netlink(int proto, uint32_t groups)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	struct sockaddr_nl sa;
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int evgw_hotplug_init(struct evgw_daemon *d)
{
	d->hotplug_rtnl.fd = d->hotplug_uevent.fd = -1;
	if (evgw_timer_init(&d->loop, &d->hotplug_retry, on_retry, d) < 0 ||
	    evgw_timer_arm(&d->hotplug_retry, RETRY_US, RETRY_US) < 0 ||
	    evgw_timer_init(&d->loop, &d->hotplug_settle, on_retry, d) < 0)
		return -EIO;
	int fd = open_netlink(NETLINK_ROUTE, RTMGRP_LINK);
	if (fd >= 0 && evgw_loop_add(&d->loop, &d->hotplug_rtnl, fd, EPOLLIN, on_netlink, d) < 0)
		close(fd);
	else if (fd < 0)
		evgw_notice(&d->log, "no rtnetlink (%s): new CAN interfaces are found every 2 s",
			    strerror(-fd));
	fd = open_netlink(NETLINK_KOBJECT_UEVENT, 1);
	if (fd >= 0 && evgw_loop_add(&d->loop, &d->hotplug_uevent, fd, EPOLLIN, on_netlink, d) < 0)
		close(fd);
	else if (fd < 0)
		evgw_notice(&d->log, "no device events (%s): new adapters are found every 2 s",
			    strerror(-fd));
	return 0;
}

void evgw_hotplug_fini(struct evgw_daemon *d)
{
	struct evgw_io *ios[] = {&d->hotplug_rtnl, &d->hotplug_uevent};
	for (int i = 0; i < 2; i++) {
		int fd = ios[i]->fd;
		if (fd >= 0) {
			evgw_loop_del(&d->loop, ios[i]);
			close(fd);
			ios[i]->fd = -1;
		}
	}
	evgw_timer_fini(&d->loop, &d->hotplug_retry);
	evgw_timer_fini(&d->loop, &d->hotplug_settle);
}
