// SPDX-License-Identifier: MIT
/* libsocketcan (Debian's 0.0.12) returns -1 without a reliable errno and
 * has no CAN FD data-phase setter: see adapters.md §5. The sequence is that
 * of `ip link set canX up type can bitrate B restart-ms R`: stop, set the
 * bit timing, restart-ms and control mode, start (timing can only change
 * while the interface is down). */
#include "drivers/socketcan_setup.h"

#include <assert.h>
#include <errno.h>
#include <linux/capability.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/time.h>

#include <libsocketcan.h>

#define DEFAULT_RESTART_MS 100

bool evgw_sc_can_admin(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return (d[CAP_NET_ADMIN / 32].effective >> (CAP_NET_ADMIN % 32)) & 1;
}

int evgw_sc_link_kind(const char *ifname, char *kind, size_t len)
{
	struct {
		struct nlmsghdr n;
		struct ifinfomsg i;
	} req;
	memset(&req, 0, sizeof req);
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof req.i);
	req.n.nlmsg_type = RTM_GETLINK;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_index = (int)if_nametoindex(ifname);
	if (req.i.ifi_index == 0)
		return -ENODEV;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	struct timeval tv = {1, 0}; /* the kernel answers at once; never hang */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	/* aligned for the nlmsghdr casts below */
	static_assert(NLMSG_ALIGNTO == 4, "netlink alignment");
	uint32_t buf[4096];
	int r = -ENOENT;
	if (send(fd, &req, req.n.nlmsg_len, 0) < 0) {
		r = -errno;
		goto out;
	}
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type != RTM_NEWLINK)
			continue;
		struct ifinfomsg *ifi = NLMSG_DATA(h);
		int alen = (int)IFLA_PAYLOAD(h);
		for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
			if (a->rta_type != IFLA_LINKINFO)
				continue;
			int ilen = (int)RTA_PAYLOAD(a);
			for (struct rtattr *b = RTA_DATA(a); RTA_OK(b, ilen); b = RTA_NEXT(b, ilen)) {
				if (b->rta_type != IFLA_INFO_KIND)
					continue;
				size_t klen = strnlen(RTA_DATA(b), RTA_PAYLOAD(b));
				if (klen >= len)
					klen = len - 1;
				memcpy(kind, RTA_DATA(b), klen);
				kind[klen] = '\0';
				r = 0;
			}
		}
	}
out:
	close(fd);
	return r;
}

static int if_flags(const char *ifname, short *flags)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int r = ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -errno : 0;
	close(fd);
	*flags = ifr.ifr_flags;
	return r;
}

/* The interface's current settings match what we want. */
static bool already_set(const char *ifname, const struct evgw_sc_setup *s, uint32_t restart_ms,
			uint32_t want_mode)
{
	struct can_bittiming bt;
	struct can_ctrlmode cm;
	uint32_t rms;
	short flags;
	if (if_flags(ifname, &flags) < 0 || !(flags & IFF_UP))
		return false;
	if (can_get_bittiming(ifname, &bt) != 0 || bt.bitrate != s->bitrate)
		return false;
	if (can_get_ctrlmode(ifname, &cm) != 0 ||
	    (cm.flags & (CAN_CTRLMODE_LISTENONLY | CAN_CTRLMODE_FD)) != want_mode)
		return false;
	if (can_get_restart_ms(ifname, &rms) != 0 || rms != restart_ms)
		return false;
	return true;
}

static int bring_up(const char *ifname)
{
	short flags;
	int r = if_flags(ifname, &flags);
	if (r < 0)
		return r;
	if (flags & IFF_UP)
		return 0;
	return can_do_start(ifname) == 0 ? 0 : -EIO;
}

int evgw_sc_setup(const char *ifname, const struct evgw_sc_setup *s, char *note, size_t notelen)
{
	note[0] = '\0';
	bool admin = evgw_sc_can_admin();
	/* Only "can" links (controllers) have bit timing; asking a vcan makes
	 * libsocketcan print to stderr. */
	char kind[16] = "";
	bool has_timing = evgw_sc_link_kind(ifname, kind, sizeof kind) == 0 && !strcmp(kind, "can");

	if (!has_timing || s->bitrate == 0) {
		/* vcan, or "leave the interface as configured": at most bring it up. */
		short flags;
		int r = if_flags(ifname, &flags);
		if (r < 0) {
			snprintf(note, notelen, "%s: %s", ifname, strerror(-r));
			return r;
		}
		if (flags & IFF_UP)
			return 0;
		if (!admin) {
			snprintf(note, notelen,
				 "%s is down and evgwd has no CAP_NET_ADMIN to bring it up "
				 "(ip link set %s up type can bitrate ...)", ifname, ifname);
			return 0; /* frames flow once someone brings it up */
		}
		if (bring_up(ifname) < 0) {
			snprintf(note, notelen, "%s: cannot bring the interface up", ifname);
			return -EIO;
		}
		return 0;
	}

	uint32_t restart_ms = s->restart_ms < 0 ? DEFAULT_RESTART_MS : (uint32_t)s->restart_ms;
	uint32_t want_mode = (s->listen_only ? CAN_CTRLMODE_LISTENONLY : 0) |
			     (s->data_bitrate ? CAN_CTRLMODE_FD : 0);
	if (already_set(ifname, s, restart_ms, want_mode))
		return 0;
	if (!admin) {
		snprintf(note, notelen,
			 "no CAP_NET_ADMIN: %s is used as it is configured, not set to %u bit/s%s",
			 ifname, s->bitrate, s->listen_only ? " listen-only" : "");
		return 0;
	}
	if (s->data_bitrate) {
		/* Debian's libsocketcan 0.0.12 cannot set the FD data phase. */
		snprintf(note, notelen,
			 "%s: this libsocketcan cannot set a CAN FD data bit rate; set it with "
			 "'ip link set %s type can bitrate %u dbitrate %u fd on'",
			 ifname, ifname, s->bitrate, s->data_bitrate);
		return -EOPNOTSUPP;
	}
	struct can_ctrlmode cm = {CAN_CTRLMODE_LISTENONLY | CAN_CTRLMODE_FD, want_mode};
	const char *step = "stop";
	if (can_do_stop(ifname) != 0)
		goto fail;
	step = "set the bit rate of";
	if (can_set_bitrate(ifname, s->bitrate) != 0)
		goto fail;
	step = "set restart-ms on";
	if (can_set_restart_ms(ifname, restart_ms) != 0)
		goto fail;
	step = "set the control mode of";
	if (can_set_ctrlmode(ifname, &cm) != 0)
		goto fail;
	step = "start";
	if (can_do_start(ifname) != 0)
		goto fail;
	return 0;
fail:
	snprintf(note, notelen, "%s: cannot %s the interface (bit rate %u: is it one the "
		 "controller can do?)", ifname, step, s->bitrate);
	return -EIO;
}

int evgw_sc_query(const char *ifname, int *can_state, uint32_t *rx_errors, uint32_t *tx_errors)
{
	struct can_berr_counter bc = {0, 0};
	if (can_get_state(ifname, can_state) != 0)
		return -EOPNOTSUPP;
	/* Not every controller reports counters; zeros then. */
	if (can_get_berr_counter(ifname, &bc) != 0)
		bc.rxerr = bc.txerr = 0;
	*rx_errors = bc.rxerr;
	*tx_errors = bc.txerr;
	return 0;
}

int evgw_sc_restart(const char *ifname)
{
	return can_do_restart(ifname) == 0 ? 0 : -EIO;
}

int evgw_sc_restart_ms(const char *ifname, uint32_t *ms)
{
	return can_get_restart_ms(ifname, ms) == 0 ? 0 : -EOPNOTSUPP;
}
