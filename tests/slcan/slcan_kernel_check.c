// SPDX-License-Identifier: MIT
/* Cross-check of the slcan codec against the kernel's own slcan (the
 * N_SLCAN line discipline, attached with can-utils' slcand) on a real CAN
 * kernel (run it through tests/vm/run-in-vm.sh). This program plays the
 * adapter on the master side of a pty:
 *   - slcand's set-up must be what adapters.md §3.1 says it sends;
 *   - frames sent on the netdev reach the "adapter" as exactly the text our
 *     encoder writes for them;
 *   - lines our encoder writes (and a few the adapter writes: timestamps,
 *     e... and s... lines) come out of the netdev as the frames our parser
 *     reads from them.
 * Exit 0 on agreement, 1 on a difference, 77 when it cannot run (not root,
 * no slcan module, no slcand). */
#include <errno.h>
#include <fcntl.h>
#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "drivers/slcan_codec.h"

#define IFNAME "evgwslc0"

struct ctx {
	int master, slave, sock;
	pid_t slcand;
	int failures;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read from the master until `n` \r-terminated commands came (or 3 s). */
static size_t read_lines(struct ctx *c, char *buf, size_t cap, int n)
{
	size_t len = 0;
	int64_t end = now_ms() + 3000;
	while (now_ms() < end && len + 1 < cap) {
		int crs = 0;
		for (size_t i = 0; i < len; i++)
			crs += buf[i] == '\r';
		if (crs >= n)
			break;
		struct pollfd p = {c->master, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t r = read(c->master, buf + len, cap - 1 - len);
		if (r > 0)
			len += (size_t)r;
	}
	buf[len] = '\0';
	return len;
}

static void show(const char *what, const char *s)
{
	fprintf(stderr, "%s \"", what);
	for (; *s; s++)
		fprintf(stderr, *s == '\r' ? "\\r" : *s == '\a' ? "\\a" : "%c", *s);
	fprintf(stderr, "\"\n");
}

static void to_kernel(const struct evgw_frame *f, struct can_frame *k)
{
	memset(k, 0, sizeof *k);
	k->can_id = f->id | ((f->flags & EVGW_FRAME_EXT) ? CAN_EFF_FLAG : 0) |
		    ((f->flags & EVGW_FRAME_RTR) ? CAN_RTR_FLAG : 0);
	k->len = f->len;
	memcpy(k->data, f->data, f->len);
}

static const struct evgw_frame samples[] = {
	{.id = 0x123, .len = 2, .data = {0x11, 0x22}},
	{.id = 0x12ABCDEF, .flags = EVGW_FRAME_EXT, .len = 2, .data = {0xAA, 0x55}},
	{.id = 0x7FF, .len = 8, .data = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}},
	{.id = 0x000, .len = 0},
	{.id = 0x18DAF110, .flags = EVGW_FRAME_EXT, .len = 3, .data = {0x02, 0x10, 0x03}},
	{.id = 0x321, .flags = EVGW_FRAME_RTR, .len = 4},
	{.id = 0x1ABCDEF0, .flags = EVGW_FRAME_EXT | EVGW_FRAME_RTR, .len = 0},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

/* Kernel -> adapter: the kernel's text is ours. */
static void check_tx(struct ctx *c)
{
	for (size_t i = 0; i < N_SAMPLES; i++) {
		struct can_frame k;
		char want[EVGW_SLCAN_FRAME_TEXT_MAX + 1], got[256];
		to_kernel(&samples[i], &k);
		if (evgw_slcan_encode_frame(&samples[i], want, sizeof want) < 0 ||
		    write(c->sock, &k, sizeof k) != (ssize_t)sizeof k) {
			fprintf(stderr, "tx %zu: cannot encode or send: %s\n", i, strerror(errno));
			c->failures++;
			continue;
		}
		read_lines(c, got, sizeof got, 1);
		if (strcmp(got, want) != 0) {
			fprintf(stderr, "tx %zu: kernel and codec disagree\n", i);
			show("  kernel wrote", got);
			show("  codec writes", want);
			c->failures++;
		}
	}
}

static bool recv_kernel(struct ctx *c, struct can_frame *k)
{
	struct pollfd p = {c->sock, POLLIN, 0};
	if (poll(&p, 1, 3000) <= 0)
		return false;
	return read(c->sock, k, sizeof *k) == (ssize_t)sizeof *k;
}

/* Adapter -> kernel: write a line; what the kernel makes of it must be
 * what our parser makes of it. */
static void check_line(struct ctx *c, const char *line, bool want_frame)
{
	struct evgw_slcan_msg m;
	struct can_frame k, ours;
	char text[256];
	snprintf(text, sizeof text, "%s\r", line);
	if (evgw_slcan_parse_line(line, strlen(line), false, &m) != 0) {
		fprintf(stderr, "rx \"%s\": our parser refuses it\n", line);
		c->failures++;
		return;
	}
	if (write(c->master, text, strlen(text)) != (ssize_t)strlen(text)) {
		c->failures++;
		return;
	}
	if (!want_frame)
		return;
	if (!recv_kernel(c, &k)) {
		fprintf(stderr, "rx \"%s\": nothing from the kernel\n", line);
		c->failures++;
		return;
	}
	memset(&ours, 0, sizeof ours);
	if (m.frame.flags & EVGW_FRAME_ERR) {
		ours.can_id = CAN_ERR_FLAG | m.frame.id;
		ours.len = m.frame.len;
		memcpy(ours.data, m.frame.data, 8);
		/* Counters (data[6..7]) are only defined with CAN_ERR_CNT, which
		 * Debian 12's 6.1 kernel never sets: it fills them on warning and
		 * passive, leaves them 0 on bus-off. We always fill and flag them. */
		if (!(k.can_id & CAN_ERR_CNT))
			ours.data[6] = ours.data[7] = k.data[6] = k.data[7] = 0;
		k.can_id &= ~(canid_t)CAN_ERR_CNT;
		ours.can_id &= ~(canid_t)CAN_ERR_CNT;
	} else {
		to_kernel(&m.frame, &ours);
		if (m.frame.flags & EVGW_FRAME_RTR)
			memset(k.data, 0, sizeof k.data);
	}
	if (k.can_id != ours.can_id || k.len != ours.len || memcmp(k.data, ours.data, 8) != 0) {
		fprintf(stderr, "rx \"%s\": kernel %08X [%u] %02X %02X %02X %02X %02X %02X %02X %02X,"
			" codec %08X [%u] %02X %02X %02X %02X %02X %02X %02X %02X\n", line,
			k.can_id, k.len, k.data[0], k.data[1], k.data[2], k.data[3], k.data[4],
			k.data[5], k.data[6], k.data[7], ours.can_id, ours.len, ours.data[0],
			ours.data[1], ours.data[2], ours.data[3], ours.data[4], ours.data[5],
			ours.data[6], ours.data[7]);
		c->failures++;
	}
}

static void check_rx(struct ctx *c)
{
	for (size_t i = 0; i < N_SAMPLES; i++) {
		char text[EVGW_SLCAN_FRAME_TEXT_MAX + 1];
		int n = evgw_slcan_encode_frame(&samples[i], text, sizeof text);
		text[n - 1] = '\0';
		check_line(c, text, true);
	}
	/* With Z1 timestamps (the kernel ignores them), lower-case hex. */
	check_line(c, "t1232112204D2", true);
	check_line(c, "T12abcdef2aa55EA5F", true);
	/* Bus errors and states (kernel slcan-core.c slc_bump_err / _state). */
	check_line(c, "e1a", true);
	check_line(c, "e3bcO", true);
	check_line(c, "e2sf", true);
	check_line(c, "sw100090", true);
	check_line(c, "sp000130", true);
	check_line(c, "sb255255", true);
}

static int setup(struct ctx *c, char *slave_name)
{
	struct termios t;
	if (openpty(&c->master, &c->slave, slave_name, NULL, NULL) < 0)
		return -errno;
	tcgetattr(c->slave, &t);
	cfmakeraw(&t);
	tcsetattr(c->slave, TCSANOW, &t);
	c->slcand = fork();
	if (c->slcand == 0) {
		execlp("slcand", "slcand", "-o", "-c", "-s6", "-F", slave_name, IFNAME, (char *)NULL);
		_exit(127);
	}
	char got[256];
	read_lines(c, got, sizeof got, 3);
	/* adapters.md §3.1, can-utils slcand.c: -s6 sends C\rS6\r, -o O\r. */
	if (strcmp(got, "C\rS6\rO\r") != 0) {
		show("slcand set-up", got);
		c->failures++;
	}
	int64_t end = now_ms() + 5000;
	while (!if_nametoindex(IFNAME) && now_ms() < end) {
		int st;
		if (waitpid(c->slcand, &st, WNOHANG) == c->slcand) {
			c->slcand = -1;
			return -ENOENT;
		}
		poll(NULL, 0, 20);
	}
	unsigned idx = if_nametoindex(IFNAME);
	if (!idx)
		return -ENODEV;
	int fd = socket(AF_CAN, SOCK_RAW | SOCK_CLOEXEC, CAN_RAW);
	if (fd < 0)
		return -errno;
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", IFNAME);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	can_err_mask_t mask = CAN_ERR_MASK;
	setsockopt(fd, SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &mask, sizeof mask);
	struct sockaddr_can a = {.can_family = AF_CAN, .can_ifindex = (int)idx};
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0)
		return -errno;
	c->sock = fd;
	/* Whatever bringing it up wrote (nothing when slcand set it up). */
	read_lines(c, got, sizeof got, 0);
	while (poll(&(struct pollfd){c->master, POLLIN, 0}, 1, 200) > 0 &&
	       read(c->master, got, sizeof got) > 0)
		;
	return 0;
}

int main(void)
{
	struct ctx c = {.master = -1, .slave = -1, .sock = -1, .slcand = -1};
	char name[64];
	if (geteuid() != 0) {
		fprintf(stderr, "slcan_kernel_check: SKIP: needs root (run it through run-in-vm.sh)\n");
		return 77;
	}
	int rc = setup(&c, name);
	if (rc < 0) {
		fprintf(stderr, "slcan_kernel_check: SKIP: no kernel slcan / slcand here: %s\n",
			strerror(-rc));
		if (c.slcand > 0)
			kill(c.slcand, SIGTERM);
		return 77;
	}
	check_tx(&c);
	check_rx(&c);
	kill(c.slcand, SIGTERM);
	/* -c: slcand closes the adapter on exit. */
	char got[64];
	read_lines(&c, got, sizeof got, 1);
	if (strcmp(got, "C\r") != 0) {
		show("slcand on exit", got);
		c.failures++;
	}
	waitpid(c.slcand, NULL, 0);
	printf("slcan_kernel_check: %d difference(s) between the codec and the kernel\n",
	       c.failures);
	return c.failures ? 1 : 0;
}
