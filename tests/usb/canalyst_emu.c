// SPDX-License-Identifier: MIT
/* A CANalyst-II / USBCAN-II (04d8:0053) for the tests, on FunctionFS +
 * dummy_hcd. Protocol per adapters.md §2 (python-canalystii@7ef3a4a
 * protocol.py / device.py): per channel a message endpoint pair and a
 * command endpoint pair; 64-byte LE commands; MESSAGE_STATUS answered with
 * the pending count on the command IN endpoint, then the pending messages
 * as 64-byte buffers (count + three 21-byte messages) plus one empty
 * buffer, which is what device.py's read size asks for; timestamps in
 * 100 us ticks. The adapter sends nothing unasked.
 *
 * dummy_udc cannot give the real endpoint numbers (its autoconfig picks
 * them), so the descriptors list the pairs in the real order: channel 0
 * messages, channel 0 commands, channel 1 messages, channel 1 commands,
 * each IN then OUT; "eps" reports what the UDC chose.
 *
 *   canalyst_emu [-n NAME]
 * Commands on stdin: rx CH ID DATAHEX|- [ext] [rtr], burst CH N ID,
 *   rawread CH HEX (the next message read returns these bytes),
 *   slow CH MS (the next MESSAGE_STATUS is answered MS ms late),
 *   unplug, plug, stats, sync, quit.
 * Events: ready, enabled, disabled, eps ..., init CH BTR0 BTR1, start CH,
 *   stop CH, cmd CH OPCODE, status CH PENDING, tx CH ID EXT RTR DLC DATA. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu_cmd.h"

#define PKT 64
#define MSG 21
#define QMAX 8192
#define MAX_REPORT 381 /* 127 buffers + the spare: what the driver reads at most */

struct msg {
	uint32_t id;
	uint8_t ext, rtr, len, data[8];
};

struct chan {
	int idx;
	int msg_in, msg_out, cmd_in, cmd_out;
	bool started;
	struct msg q[QMAX];
	unsigned qh, qt;
	uint8_t raw[PKT * 4];
	size_t raw_len;
	volatile unsigned slow_ms;
	unsigned long delivered, sent;
};

static struct {
	struct ffs_gadget g;
	struct chan ch[2];
	pthread_mutex_t mu;
	struct timespec t0;
	volatile unsigned gen; /* bumped when the host goes away: stale answers are dropped */
} E;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&E.mu);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&E.mu);
	va_end(ap);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint32_t ticks(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint32_t)(((t.tv_sec - E.t0.tv_sec) * 1000000 + (t.tv_nsec - E.t0.tv_nsec) / 1000) /
			  100);
}

static bool wr(int fd, const uint8_t *b, size_t n, unsigned gen)
{
	for (;;) {
		if (gen != E.gen)
			return false; /* asked before an unplug: a real adapter has reset */
		ssize_t r = write(fd, b, n);
		if (r == (ssize_t)n)
			return true;
		if (r < 0 && errno == EINTR)
			continue;
		return false; /* unplugged (EAGAIN) or mid-transfer: the host has forgotten it */
	}
}

/* MESSAGE_STATUS: the reply, then the messages (device.py read_messages). */
static void status(struct chan *c)
{
	uint8_t rep[PKT] = {0};
	unsigned gen = E.gen;
	pthread_mutex_lock(&E.mu);
	unsigned pending = c->qh - c->qt;
	size_t raw = c->raw_len;
	pthread_mutex_unlock(&E.mu);
	if (pending > MAX_REPORT)
		pending = MAX_REPORT;
	if (raw)
		pending = 1;
	if (c->slow_ms) {
		usleep(c->slow_ms * 1000u); /* a busy adapter: the host times out first */
		c->slow_ms = 0;
	}
	put32(rep, 0x0A);
	put32(rep + 4, pending);
	if (!wr(c->cmd_in, rep, PKT, gen) || !pending)
		return;
	if (raw) {
		c->raw_len = 0;
		wr(c->msg_in, c->raw, raw, gen);
		return;
	}
	unsigned bufs = (pending + 2) / 3 + 1;
	uint8_t *b = calloc(bufs, PKT);
	if (!b)
		return;
	pthread_mutex_lock(&E.mu);
	for (unsigned i = 0; i < pending; i++) {
		const struct msg *m = &c->q[(c->qt + i) % QMAX];
		uint8_t *buf = b + (i / 3) * PKT, *p = buf + 1 + (i % 3) * MSG;
		buf[0]++;
		put32(p, m->id);
		put32(p + 4, ticks());
		p[8] = 1; /* time_flag */
		p[10] = m->rtr;
		p[11] = m->ext;
		p[12] = m->len;
		memcpy(p + 13, m->data, 8);
	}
	pthread_mutex_unlock(&E.mu);
	if (wr(c->msg_in, b, (size_t)bufs * PKT, gen)) {
		pthread_mutex_lock(&E.mu);
		c->qt += pending;
		c->delivered += pending;
		pthread_mutex_unlock(&E.mu);
	}
	free(b);
}

static void *cmd_thread(void *arg)
{
	struct chan *c = arg;
	uint8_t b[PKT * 2];
	for (;;) {
		ssize_t n = read(c->cmd_out, b, sizeof b);
		if (n < 0) {
			usleep(2000);
			continue;
		}
		if (n != PKT) {
			say("bad-cmd %d %zd", c->idx, n);
			continue;
		}
		uint32_t op = get32(b);
		switch (op) {
		case 0x01: /* INIT: timing0 at 24, timing1 at 28 (protocol.py InitMessage) */
			say("init %d %02X %02X", c->idx, get32(b + 24), get32(b + 28));
			break;
		case 0x02:
			c->started = true;
			say("start %d", c->idx);
			break;
		case 0x03:
			c->started = false;
			say("stop %d", c->idx);
			break;
		case 0x0A:
			status(c);
			break;
		default:
			say("cmd %d %u", c->idx, op);
		}
	}
	return NULL;
}

static void *msg_out_thread(void *arg)
{
	struct chan *c = arg;
	uint8_t b[PKT * 16];
	for (;;) {
		ssize_t n = read(c->msg_out, b, sizeof b);
		if (n < 0) {
			usleep(2000);
			continue;
		}
		for (ssize_t off = 0; off + PKT <= n; off += PKT) {
			const uint8_t *buf = b + off;
			for (unsigned i = 0; i < buf[0] && i < 3; i++) {
				const uint8_t *p = buf + 1 + i * MSG;
				char h[17] = "-";
				for (unsigned k = 0; k < p[12] && k < 8; k++)
					sprintf(h + 2 * k, "%02X", p[13 + k]);
				say("tx %d %X %u %u %u %s", c->idx, get32(p), p[11], p[10], p[12], h);
				c->sent++;
			}
		}
	}
	return NULL;
}

static void *ep0_thread(void *arg)
{
	(void)arg;
	struct usb_functionfs_event ev;
	for (;;) {
		ssize_t n = read(E.g.ep0, &ev, sizeof ev);
		if (n < 0) {
			/* EIDRM: a request was overtaken by the next one; read on. */
			if (errno == EINTR || errno == EIDRM)
				continue;
			return NULL;
		}
		if (ev.type == FUNCTIONFS_ENABLE) {
			ffs_gadget_read_addrs(&E.g);
			say("enabled");
			char s[80] = "eps";
			for (int i = 0; i < E.g.n_eps; i++)
				sprintf(s + strlen(s), " %02X", E.g.addr[i]);
			say("%s", s);
		} else if (ev.type == FUNCTIONFS_DISABLE || ev.type == FUNCTIONFS_UNBIND) {
			/* f_fs keeps only the newest of BIND/UNBIND/ENABLE/DISABLE
			 * queued, so an unplug may show up as UNBIND alone. */
			E.gen++;
			say("disabled");
		} else if (ev.type == FUNCTIONFS_SETUP) {
			/* The adapter has no vendor requests. */
			ffs_ep0_stall(E.g.ep0, ev.u.setup.bRequestType & USB_DIR_IN);
		}
	}
}

static bool push(struct chan *c, const struct msg *m)
{
	pthread_mutex_lock(&E.mu);
	bool ok = c->qh - c->qt < QMAX;
	if (ok)
		c->q[c->qh++ % QMAX] = *m; /* a full adapter drops silently (§8) */
	pthread_mutex_unlock(&E.mu);
	return ok;
}

static bool command(char *line)
{
	char a[6][600] = {{0}};
	int n = sscanf(line, "%599s %599s %599s %599s %599s %599s", a[0], a[1], a[2], a[3], a[4],
		       a[5]);
	if (n <= 0)
		return true;
	int chi = n >= 2 ? atoi(a[1]) : 0;
	struct chan *c = &E.ch[chi == 1];
	if (!strcmp(a[0], "rx") && n >= 4) {
		struct msg m = {.id = (uint32_t)strtoul(a[2], NULL, 16)};
		int len = emu_hexbytes(a[3], m.data, 8);
		if (len < 0) {
			say("bad data");
			return true;
		}
		m.len = (uint8_t)len;
		for (int i = 4; i < n; i++) {
			m.ext |= !strcmp(a[i], "ext");
			m.rtr |= !strcmp(a[i], "rtr");
		}
		say(push(c, &m) ? "ok" : "full");
	} else if (!strcmp(a[0], "burst") && n >= 4) {
		unsigned long cnt = strtoul(a[2], NULL, 0), i;
		struct msg m = {.id = (uint32_t)strtoul(a[3], NULL, 16), .len = 8};
		for (i = 0; i < cnt; i++) {
			put32(m.data, (uint32_t)i);
			if (!push(c, &m))
				break;
		}
		say("burst-queued %lu", i);
	} else if (!strcmp(a[0], "rawread") && n >= 3) {
		int len = emu_hexbytes(a[2], c->raw, sizeof c->raw);
		if (len <= 0) {
			say("bad data");
			return true;
		}
		pthread_mutex_lock(&E.mu);
		c->raw_len = (size_t)len;
		pthread_mutex_unlock(&E.mu);
		say("ok");
	} else if (!strcmp(a[0], "slow") && n >= 3) {
		c->slow_ms = (unsigned)strtoul(a[2], NULL, 0);
		say("ok");
	} else if (!strcmp(a[0], "stats")) {
		pthread_mutex_lock(&E.mu); /* copied first: say() takes the same lock */
		unsigned long d0 = E.ch[0].delivered, d1 = E.ch[1].delivered;
		unsigned long s0 = E.ch[0].sent, s1 = E.ch[1].sent;
		unsigned q0 = E.ch[0].qh - E.ch[0].qt, q1 = E.ch[1].qh - E.ch[1].qt;
		pthread_mutex_unlock(&E.mu);
		say("stats delivered0=%lu delivered1=%lu sent0=%lu sent1=%lu queued0=%u queued1=%u",
		    d0, d1, s0, s1, q0, q1);
	} else {
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *name = "canalyst";
	int opt;
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			name = optarg;
		else
			return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &E.t0);
	pthread_mutex_init(&E.mu, NULL);
	static const bool dirs[8] = {true, false, true, false, true, false, true, false};
	int r = ffs_gadget_create(&E.g, name, 0x04d8, 0x0053, "Chuangxin Tech USBCAN/CANalyst-II",
				  "EVGWCA01");
	if (r == 0)
		r = ffs_gadget_functions(&E.g, dirs, 8);
	if (r < 0) {
		fprintf(stderr, "canalyst_emu: gadget set-up: %s\n", strerror(-r));
		ffs_gadget_destroy(&E.g);
		return 1;
	}
	pthread_t t;
	pthread_create(&t, NULL, ep0_thread, NULL);
	for (int i = 0; i < 2; i++) {
		struct chan *c = &E.ch[i];
		c->idx = i;
		c->msg_in = E.g.ep[4 * i];
		c->msg_out = E.g.ep[4 * i + 1];
		c->cmd_in = E.g.ep[4 * i + 2];
		c->cmd_out = E.g.ep[4 * i + 3];
		/* Non-blocking: an answer to a request read before an unplug
		 * fails at once instead of waiting for the next session and
		 * reaching a host that never asked (f_fs waits for the endpoint
		 * to be enabled again otherwise). The transfer itself still
		 * blocks until the host takes it. */
		for (int k = 0; k < 4; k++)
			fcntl(E.g.ep[4 * i + k], F_SETFL, O_NONBLOCK);
		pthread_create(&t, NULL, cmd_thread, c);
		pthread_create(&t, NULL, msg_out_thread, c);
	}
	emu_serve(&E.g, "canalyst_emu", say, command);
}
