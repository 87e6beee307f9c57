// SPDX-License-Identifier: MIT
/* A gs_usb (candleLight, 1d50:606f) device for the tests, on FunctionFS +
 * dummy_hcd (usb-gadget.md). The protocol is the one the kernel's gs_usb
 * speaks (adapters.md §1.3-1.6, from linux gs_usb.c and candleLight_fw):
 * bxCAN timing constants at 48 MHz, one host frame per bulk transfer, every
 * host frame echoed with its echo_id, RX frames with echo_id 0xffffffff.
 *
 *   gsusb_emu [-c 1|2] [-t] [-f] [-n NAME]
 *     -c channels, -t hardware timestamps offered, -f CAN FD offered
 *
 * Commands on stdin, one a line (events and answers go to stdout, a line
 * each, flushed):
 *   rx CH CANID DATAHEX|- [FLAGS]  inject a received frame (CANID in the
 *                                  SocketCAN encoding, hex: 80000000 EFF,
 *                                  40000000 RTR, 20000000 error frame;
 *                                  FLAGS: 1 overflow, 2 FD, 4 BRS)
 *   burst CH N CANID               N frames, data = a 32-bit LE counter
 *   raw HEX                        these bytes as one bulk IN transfer
 *   stall in                       halt the bulk IN endpoint (in order)
 *   stallreq REQ COUNT             stall the next COUNT requests REQ (-1: all)
 *   stopread 0|1                   stop reading bulk OUT (host TX backs up)
 *   noecho 0|1                     do not echo host frames
 *   state CH STATE REC TEC         what GET_STATE answers (can_state numbering:
 *                                  0 active, 1 warning, 2 passive, 3 bus-off)
 *   unplug | plug                  unbind / bind the UDC
 *   stats                          "stats in=<frames written> out=<read>"
 *   sync                           answers "sync" (ordering)
 *   quit
 * Events: ready, enabled, disabled, ctrl REQ VALUE LEN, hostformat X,
 *   bittiming CH PROP PH1 PH2 SJW BRP, data_bittiming CH ..., mode CH MODE FLAGS,
 *   tx CH ECHOID CANID DLC FLAGS DATAHEX, eps IN OUT, burst-done N. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <endian.h>
#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu_cmd.h"

/* adapters.md §1.3 request numbers */
enum { REQ_HOST_FORMAT, REQ_BITTIMING, REQ_MODE, REQ_BERR, REQ_BT_CONST, REQ_DEVICE_CONFIG,
       REQ_TIMESTAMP, REQ_IDENTIFY, REQ_GET_USER_ID, REQ_SET_USER_ID, REQ_DATA_BITTIMING,
       REQ_BT_CONST_EXT, REQ_SET_TERMINATION, REQ_GET_TERMINATION, REQ_GET_STATE, REQ_MAX };
/* §1.4 feature bits */
#define F_LISTEN_ONLY (1u << 0)
#define F_LOOP_BACK (1u << 1)
#define F_TRIPLE (1u << 2)
#define F_ONE_SHOT (1u << 3)
#define F_HW_TS (1u << 4)
#define F_FD (1u << 8)
#define F_BT_CONST_EXT (1u << 10)
#define F_TERMINATION (1u << 11)
#define F_GET_STATE (1u << 13)
#define HF_FD 0x02u
#define ECHO_RX 0xffffffffu
#define MAX_CH 2
#define QLEN 65536
#define FRAME_MAX 80

struct pkt {
	uint8_t len; /* 0: stall the endpoint */
	uint8_t b[FRAME_MAX + 47];
};

struct emu {
	struct ffs_gadget g;
	int channels;
	bool offer_ts, offer_fd;
	bool ts[MAX_CH], fd[MAX_CH];
	uint32_t term[MAX_CH];
	uint32_t state[MAX_CH][3]; /* GET_STATE: state, rxerr, txerr */
	int stall_req[REQ_MAX + 1];
	volatile bool stopread, noecho;
	volatile bool out_idle; /* the OUT reader saw stopread and holds no request */
	pthread_t out_tid;
	pthread_mutex_t mu; /* queue and output */
	pthread_cond_t cv_q, cv_space;
	struct pkt *q;
	unsigned qh, qt;
	unsigned long in_frames, out_frames;
	struct timespec t0;
};

static struct emu E;

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

static uint32_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint32_t)((t.tv_sec - E.t0.tv_sec) * 1000000 + (t.tv_nsec - E.t0.tv_nsec) / 1000);
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

static void enqueue(const uint8_t *b, size_t len)
{
	pthread_mutex_lock(&E.mu);
	while (E.qh - E.qt >= QLEN)
		pthread_cond_wait(&E.cv_space, &E.mu);
	struct pkt *p = &E.q[E.qh % QLEN];
	p->len = (uint8_t)len;
	if (len)
		memcpy(p->b, b, len);
	E.qh++;
	pthread_cond_signal(&E.cv_q);
	pthread_mutex_unlock(&E.mu);
}

/* A frame to the host: §1.5 layout, FD size by flag, timestamp if started with one. */
static void send_frame(uint32_t echo, uint32_t id, uint8_t dlc, uint8_t ch, uint8_t flags,
		       const uint8_t *data, size_t dlen)
{
	uint8_t b[FRAME_MAX + 47] = {0};
	put32(b, echo);
	put32(b + 4, id);
	b[8] = dlc;
	b[9] = ch;
	b[10] = flags;
	size_t dsz = (flags & HF_FD) ? 64 : 8;
	memcpy(b + 12, data, dlen < dsz ? dlen : dsz);
	size_t len = 12 + dsz;
	if (ch < MAX_CH && E.ts[ch]) {
		put32(b + len, now_us());
		len += 4;
	}
	enqueue(b, len);
}

static void *in_thread(void *arg)
{
	(void)arg;
	int fd = E.g.ep[0];
	for (;;) {
		pthread_mutex_lock(&E.mu);
		while (E.qh == E.qt)
			pthread_cond_wait(&E.cv_q, &E.mu);
		struct pkt p = E.q[E.qt % QLEN];
		pthread_mutex_unlock(&E.mu);
		if (p.len == 0) {
			/* A read on an IN endpoint file halts it (f_fs.c ffs_epfile_io). */
			uint8_t c;
			ssize_t r = read(fd, &c, 1);
			say("stalled %zd", r);
		} else {
			/* Blocks while the host is not reading, or while unplugged;
			 * a frame caught by an unplug is lost, as in a real adapter. */
			while (write(fd, p.b, p.len) < 0 && errno == EINTR)
				;
		}
		pthread_mutex_lock(&E.mu);
		E.qt++;
		if (p.len)
			E.in_frames++;
		pthread_cond_signal(&E.cv_space);
		pthread_mutex_unlock(&E.mu);
	}
	return NULL;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", b[i]);
	if (!n)
		strcpy(out, "-");
}

static const uint8_t fd_len[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

static void on_sigusr1(int sig)
{
	(void)sig; /* only interrupts the OUT reader's read() */
}

static void *out_thread(void *arg)
{
	(void)arg;
	int fd = E.g.ep[1];
	uint8_t b[512];
	for (;;) {
		if (E.stopread) {
			E.out_idle = true;
			usleep(5000);
			continue;
		}
		E.out_idle = false;
		/* No request queued while stopped, so the host's frames stay with
		 * the host (NAKed), as with an adapter that stopped reading. */
		ssize_t n = read(fd, b, sizeof b);
		if (n < 0) {
			if (errno != EINTR)
				usleep(1000);
			continue;
		}
		if (n < 12) {
			say("short-out %zd", n);
			continue;
		}
		uint8_t ch = b[9], flags = b[10], dlc = b[8];
		size_t dlen = (flags & HF_FD) ? fd_len[dlc & 15] : (dlc > 8 ? 8 : dlc);
		if ((size_t)n < 12 + dlen)
			dlen = (size_t)n - 12;
		char h[140];
		hex(h, b + 12, dlen);
		pthread_mutex_lock(&E.mu);
		E.out_frames++;
		pthread_mutex_unlock(&E.mu);
		say("tx %u %u %08X %u %u %s", ch, get32(b), get32(b + 4), dlc, flags, h);
		if (!E.noecho)
			send_frame(get32(b), get32(b + 4), dlc, ch, flags, b + 12, dlen);
	}
	return NULL;
}

static size_t bt_const(uint8_t *b, bool ext)
{
	uint32_t feat = F_LISTEN_ONLY | F_LOOP_BACK | F_TRIPLE | F_ONE_SHOT | F_TERMINATION |
			F_GET_STATE;
	if (E.offer_ts)
		feat |= F_HW_TS;
	if (E.offer_fd)
		feat |= F_FD | F_BT_CONST_EXT;
	/* candleLight bxCAN (§1.4): 48 MHz, tseg1 1-16, tseg2 1-8, sjw 4, brp 1-1024 */
	const uint32_t v[18] = {feat, 48000000, 1, 16, 1, 8, 4, 1, 1024, 1,
				/* data phase */ 1, 16, 1, 8, 4, 1, 1024, 1};
	size_t n = ext ? 18 : 10;
	for (size_t i = 0; i < n; i++)
		put32(b + 4 * i, v[i]);
	return 4 * n;
}

static bool chan_req(int req)
{
	return req != REQ_HOST_FORMAT && req != REQ_DEVICE_CONFIG;
}

static void setup(const struct usb_ctrlrequest *s)
{
	int ep0 = E.g.ep0;
	bool in = s->bRequestType & USB_DIR_IN;
	int req = s->bRequest;
	unsigned val = le16toh(s->wValue), len = le16toh(s->wLength);
	if (req != REQ_GET_STATE) /* asked ten times a second */
		say("ctrl %d %u %u", req, val, len);
	int sidx = req < REQ_MAX ? req : REQ_MAX;
	bool bad = (s->bRequestType & USB_TYPE_MASK) != USB_TYPE_VENDOR || req >= REQ_MAX ||
		   (chan_req(req) && val >= (unsigned)E.channels);
	if (!bad && E.stall_req[sidx]) {
		if (E.stall_req[sidx] > 0)
			E.stall_req[sidx]--;
		bad = true;
	}
	uint8_t b[128] = {0};
	size_t n = 0;
	if (!bad && in) {
		switch (req) {
		case REQ_DEVICE_CONFIG: /* §1.4 gs_device_config */
			b[3] = (uint8_t)(E.channels - 1);
			put32(b + 4, 2);
			put32(b + 8, 1);
			n = 12;
			break;
		case REQ_BT_CONST:
			n = bt_const(b, false);
			break;
		case REQ_BT_CONST_EXT:
			if (E.offer_fd)
				n = bt_const(b, true);
			else
				bad = true;
			break;
		case REQ_TIMESTAMP:
			put32(b, now_us());
			n = 4;
			break;
		case REQ_GET_TERMINATION:
			put32(b, E.term[val]);
			n = 4;
			break;
		case REQ_GET_STATE: /* §1.3 {u32 state, rxerr, txerr} */
			for (int i = 0; i < 3; i++)
				put32(b + 4 * i, E.state[val][i]);
			n = 12;
			break;
		default:
			bad = true;
		}
	} else if (!bad && len > sizeof b) {
		bad = true;
	}
	if (bad) {
		say("stall %d", req);
		ffs_ep0_stall(ep0, in);
		return;
	}
	if (in) {
		if (write(ep0, b, n < len ? n : len) < 0)
			say("err ep0 write %s", strerror(errno));
		return;
	}
	ssize_t r = read(ep0, b, len);
	if (r < 0) {
		say("err ep0 read %s", strerror(errno));
		return;
	}
	switch (req) {
	case REQ_HOST_FORMAT:
		say("hostformat %08X", get32(b));
		break;
	case REQ_BITTIMING:
	case REQ_DATA_BITTIMING:
		say("%s %u %u %u %u %u %u", req == REQ_BITTIMING ? "bittiming" : "data_bittiming",
		    val, get32(b), get32(b + 4), get32(b + 8), get32(b + 12), get32(b + 16));
		break;
	case REQ_MODE: {
		uint32_t mode = get32(b), flags = get32(b + 4);
		if (mode == 1) {
			E.ts[val] = flags & F_HW_TS;
			E.fd[val] = flags & F_FD;
		}
		say("mode %u %u %u", val, mode, flags);
		break;
	}
	case REQ_SET_TERMINATION:
		E.term[val] = get32(b);
		say("termination %u %u", val, E.term[val]);
		break;
	default:
		say("req %d", req);
	}
}

static void *ep0_thread(void *arg)
{
	(void)arg;
	struct usb_functionfs_event ev;
	for (;;) {
		ssize_t n = read(E.g.ep0, &ev, sizeof ev);
		if (n < 0) {
			/* EIDRM: a request was overtaken by the next one (f_fs
			 * cancels the first); read on. */
			if (errno == EINTR || errno == EIDRM)
				continue;
			say("err ep0 %s", strerror(errno));
			return NULL;
		}
		switch (ev.type) {
		case FUNCTIONFS_ENABLE:
			ffs_gadget_read_addrs(&E.g);
			say("enabled");
			say("eps %02X %02X", E.g.addr[0], E.g.addr[1]);
			break;
		case FUNCTIONFS_DISABLE:
		case FUNCTIONFS_UNBIND: /* f_fs may drop the DISABLE an UNBIND follows */
			/* Unplugged or reset: what was queued for the old host is gone. */
			pthread_mutex_lock(&E.mu);
			E.qt = E.qh - (E.qh != E.qt); /* the one being written finishes or fails */
			pthread_cond_signal(&E.cv_space);
			pthread_mutex_unlock(&E.mu);
			say("disabled");
			break;
		case FUNCTIONFS_SETUP:
			setup(&ev.u.setup);
			break;
		default:
			break;
		}
	}
}

static uint8_t len2dlc(int len, bool fd)
{
	if (!fd)
		return (uint8_t)len;
	for (uint8_t d = 0; d < 16; d++)
		if (fd_len[d] >= len)
			return d;
	return 15;
}

static bool command(char *line)
{
	char a[5][400] = {{0}};
	int n = sscanf(line, "%399s %399s %399s %399s %399s", a[0], a[1], a[2], a[3], a[4]);
	if (n <= 0)
		return true;
	uint8_t d[200];
	if (!strcmp(a[0], "rx") && n >= 4) {
		unsigned ch = (unsigned)strtoul(a[1], NULL, 0);
		uint32_t id = (uint32_t)strtoul(a[2], NULL, 16);
		int len = emu_hexbytes(a[3], d, 64);
		uint8_t flags = n >= 5 ? (uint8_t)strtoul(a[4], NULL, 0) : 0;
		if (len < 0) {
			say("bad data");
			return true;
		}
		send_frame(ECHO_RX, id, len2dlc(len, flags & HF_FD), (uint8_t)ch, flags, d,
			   (size_t)len);
		say("ok");
	} else if (!strcmp(a[0], "burst") && n >= 4) {
		uint8_t ch = (uint8_t)strtoul(a[1], NULL, 0);
		unsigned long cnt = strtoul(a[2], NULL, 0);
		uint32_t id = (uint32_t)strtoul(a[3], NULL, 16);
		for (unsigned long i = 0; i < cnt; i++) {
			uint8_t data[8] = {0};
			put32(data, (uint32_t)i);
			send_frame(ECHO_RX, id, 8, ch, 0, data, 8);
		}
		say("burst-queued %lu", cnt);
	} else if (!strcmp(a[0], "raw") && n >= 2) {
		int len = emu_hexbytes(a[1], d, sizeof d - 72);
		if (len <= 0) {
			say("bad data");
			return true;
		}
		enqueue(d, (size_t)len);
		say("ok");
	} else if (!strcmp(a[0], "stall") && n >= 2 && !strcmp(a[1], "in")) {
		enqueue(NULL, 0);
		say("ok");
	} else if (!strcmp(a[0], "stallreq") && n >= 3) {
		int req = atoi(a[1]);
		E.stall_req[req >= 0 && req < REQ_MAX ? req : REQ_MAX] = atoi(a[2]);
		say("ok");
	} else if (!strcmp(a[0], "state") && n >= 5) {
		unsigned ch = (unsigned)atoi(a[1]);
		for (int i = 0; i < 3 && ch < MAX_CH; i++)
			E.state[ch][i] = (uint32_t)strtoul(a[2 + i], NULL, 0);
		say(ch < MAX_CH ? "ok" : "bad channel");
	} else if (!strcmp(a[0], "stopread") && n >= 2) {
		E.stopread = atoi(a[1]);
		/* Interrupt a read() already waiting (f_fs dequeues its request;
		 * data that made it in is still returned and handled). */
		for (int i = 0; E.stopread && !E.out_idle && i < 200; i++) {
			pthread_kill(E.out_tid, SIGUSR1);
			usleep(10000);
		}
		say(E.stopread && !E.out_idle ? "err stopread" : "ok");
	} else if (!strcmp(a[0], "noecho") && n >= 2) {
		E.noecho = atoi(a[1]);
		say("ok");
	} else if (!strcmp(a[0], "stats")) {
		pthread_mutex_lock(&E.mu);
		unsigned long i = E.in_frames, o = E.out_frames;
		pthread_mutex_unlock(&E.mu);
		say("stats in=%lu out=%lu", i, o);
	} else {
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *name = "gsusb";
	int opt;
	E.channels = 1;
	while ((opt = getopt(argc, argv, "c:tfn:")) != -1) {
		switch (opt) {
		case 'c':
			E.channels = atoi(optarg);
			break;
		case 't':
			E.offer_ts = true;
			break;
		case 'f':
			E.offer_fd = true;
			break;
		case 'n':
			name = optarg;
			break;
		default:
			fprintf(stderr, "usage: gsusb_emu [-c 1|2] [-t] [-f] [-n NAME]\n");
			return 2;
		}
	}
	if (E.channels < 1 || E.channels > MAX_CH)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &E.t0);
	pthread_mutex_init(&E.mu, NULL);
	pthread_cond_init(&E.cv_q, NULL);
	pthread_cond_init(&E.cv_space, NULL);
	E.q = calloc(QLEN, sizeof *E.q);
	/* IN listed first, then OUT (usb-gadget.md: dummy_udc then gives 0x81 / 0x02). */
	static const bool dirs[2] = {true, false};
	int r = ffs_gadget_create(&E.g, name, 0x1d50, 0x606f, "candleLight USB to CAN adapter",
				  "EVGW0001");
	if (r == 0)
		r = ffs_gadget_functions(&E.g, dirs, 2);
	if (r < 0) {
		fprintf(stderr, "gsusb_emu: gadget set-up: %s\n", strerror(-r));
		ffs_gadget_destroy(&E.g);
		return 1;
	}
	pthread_t t0, t1, t2;
	pthread_create(&t0, NULL, ep0_thread, NULL);
	pthread_create(&t1, NULL, in_thread, NULL);
	struct sigaction sa = {.sa_handler = on_sigusr1}; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t2, NULL, out_thread, NULL);
	E.out_tid = t2;
	emu_serve(&E.g, "gsusb_emu", say, command);
}
