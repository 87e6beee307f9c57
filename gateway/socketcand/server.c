// SPDX-License-Identifier: MIT
/* The socketcand server; server.h says what it serves and its bounds.
 *
 * Frames are formatted into the client's buffer as they come (about
 * 45 bytes each) and go out every 10 ms in one write per client, as the
 * socket API's events do: a system call per frame would cost more than the
 * rest of the frame path. The first frames after "< rawmode >"'s "< ok >"
 * wait 100 ms more: python-can 4.1 reads that reply alone and takes
 * anything sent with it for a wrong answer. */
#include "socketcand/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus/bus.h"
#include "daemon/daemon.h"
#include "loop/loop.h"
#include "socketcand/proto.h"

#define FLUSH_US 10000
#define RAW_START_DELAY_US 100000
#define BEACON_EVERY_US 2000000
#define BEACON_PORT 42000
#define IN_CAP (2 * EVGW_SC_MAX_MESSAGE)
#define SNDBUF (32 << 10)

enum mode { M_NOBUS, M_BCM, M_RAW };

struct client {
	struct evgw_sc_server *s;
	struct evgw_io io;
	int fd;
	bool dead;
	enum mode mode;
	char bus_name[EVGW_SC_MAX_BUS + 1];
	struct evgw_bus *bus;     /* listening to it while not NULL */
	char *out;                /* frames and replies waiting to go out */
	size_t out_len, out_cap;
	char in[IN_CAP];
	size_t in_len;
	int64_t hold_until_us;    /* monotonic: nothing goes out before */
	bool want_write;          /* EPOLLOUT asked for */
	uint64_t frames, dropped, sent_frames;
	/* What it may still send now, in millionths of a frame (a token
	 * bucket of send_rate a second, a second's worth deep). */
	int64_t send_credit;
	int64_t credit_at_us;
	char peer[64];
};

struct evgw_sc_server {
	struct evgw_daemon *d;
	struct evgw_io lio;
	int lfd;
	struct evgw_timer flush, beacon;
	int bfd;                  /* the beacon's UDP socket, or -1 */
	struct sockaddr_storage beacon_to;
	socklen_t beacon_to_len;
	char url[96];             /* can://ADDR:PORT */
	unsigned port;
	struct client **clients;
	unsigned n_clients, max_clients;
	size_t client_buffer;
	bool allow_send;
	uint32_t send_rate;
	bool flush_armed;
	int64_t since_us;
	char last_error[160];
	uint64_t frames_out, frames_dropped, refused_clients;
};

static void client_free(void *p)
{
	struct client *c = p;
	free(c->out);
	free(c);
}

static void detach(struct client *c)
{
	if (c->bus)
		evgw_bus_remove_listener(c->bus, c);
	c->bus = NULL;
}

/* Closed at once; freed after the loop's round (it may be in a callback). */
static void drop(struct client *c, const char *why)
{
	if (c->dead)
		return;
	struct evgw_sc_server *s = c->s;
	c->dead = true;
	detach(c);
	evgw_loop_del(&s->d->loop, &c->io);
	close(c->fd);
	evgw_info(&s->d->log, "socketcand: %s left%s%s (%" PRIu64 " frames sent, %" PRIu64 " dropped for a full buffer)",
		  c->peer, why ? ": " : "", why ? why : "", c->sent_frames, c->dropped);
	for (unsigned i = 0; i < s->n_clients; i++)
		if (s->clients[i] == c) {
			s->clients[i] = s->clients[--s->n_clients];
			break;
		}
	evgw_loop_defer(&s->d->loop, client_free, c);
}

/* Bytes for the client: false when they do not fit (nothing is queued). */
static bool queue(struct client *c, const char *p, size_t n)
{
	if (c->out_len + n > c->s->client_buffer)
		return false;
	if (c->out_len + n > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		while (cap < c->out_len + n)
			cap *= 2;
		if (cap > c->s->client_buffer)
			cap = c->s->client_buffer;
		char *grown = realloc(c->out, cap);
		if (!grown)
			return false;
		c->out = grown;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
	return true;
}

static void arm_flush(struct evgw_sc_server *s)
{
	if (!s->flush_armed && evgw_timer_arm(&s->flush, FLUSH_US, 0) == 0)
		s->flush_armed = true;
}

/* What is queued, as far as the socket takes it. */
static void write_out(struct client *c)
{
	if (c->dead || !c->out_len || evgw_now_mono_us() < c->hold_until_us)
		return;
	ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		drop(c, strerror(errno));
		return;
	}
	if (n > 0) {
		memmove(c->out, c->out + n, c->out_len - (size_t)n);
		c->out_len -= (size_t)n;
	}
	bool want = c->out_len > 0;
	if (want != c->want_write) {
		c->want_write = want;
		evgw_loop_mod(&c->s->d->loop, &c->io, EPOLLIN | (want ? EPOLLOUT : 0));
	}
}

/* A reply goes out at once (unless frames wait to be held back). */
static void reply(struct client *c, const char *text)
{
	if (!queue(c, text, strlen(text))) {
		drop(c, "its buffer is full");
		return;
	}
	write_out(c);
}

static void on_frame(void *ud, struct evgw_bus *bus, const struct evgw_frame *f)
{
	(void)bus;
	struct client *c = ud;
	if (c->mode != M_RAW || c->dead)
		return;
	char text[EVGW_SC_FRAME_MAX];
	int n = evgw_sc_format_frame(f, text);
	c->frames++;
	if (n < 0)
		return;
	if (!queue(c, text, (size_t)n)) {
		c->dropped++;
		c->s->frames_dropped++;
		return;
	}
	c->sent_frames++;
	c->s->frames_out++;
	arm_flush(c->s);
}

static void on_flush(struct evgw_loop *loop, struct evgw_timer *t)
{
	(void)loop;
	struct evgw_sc_server *s = t->ud;
	s->flush_armed = false;
	bool more = false;
	for (unsigned i = s->n_clients; i-- > 0;) {
		struct client *c = s->clients[i];
		if (c->want_write)
			continue; /* EPOLLOUT does it */
		write_out(c);
		if (!c->dead && c->out_len && !c->want_write)
			more = true; /* held back after rawmode */
	}
	if (more)
		arm_flush(s);
}

static bool attach(struct client *c, const char *name)
{
	struct evgw_station *st = evgw_daemon_station(c->s->d, name);
	if (!st)
		return false;
	struct evgw_frame_listener l = {on_frame, c, true};
	if (evgw_bus_add_listener(st->bus, &l) < 0)
		return false;
	c->bus = st->bus;
	return true;
}

static void do_open(struct client *c, const char *name)
{
	if (c->mode != M_NOBUS) {
		reply(c, "< error a bus is already open >");
		return;
	}
	if (!evgw_daemon_station(c->s->d, name)) {
		/* socketcand: an error, and the connection ends. */
		char msg[128];
		snprintf(msg, sizeof msg, "< error no bus %s >", name);
		reply(c, msg);
		drop(c, "asked for an unknown bus");
		return;
	}
	if (!attach(c, name)) {
		reply(c, "< error the bus has too many listeners >");
		drop(c, "no listener left on the bus");
		return;
	}
	snprintf(c->bus_name, sizeof c->bus_name, "%s", name);
	c->mode = M_BCM;
	reply(c, "< ok >");
}

/* A client on the shop's network could flood a car's bus: at most
 * send_rate frames a second each. */
static bool send_credit_take(struct client *c)
{
	int64_t full = (int64_t)c->s->send_rate * 1000000;
	int64_t now = evgw_now_mono_us();
	if (!c->credit_at_us) {
		c->send_credit = full;
	} else {
		int64_t gained = (now - c->credit_at_us) * (int64_t)c->s->send_rate;
		c->send_credit = gained >= full - c->send_credit ? full : c->send_credit + gained;
	}
	c->credit_at_us = now;
	if (c->send_credit < 1000000)
		return false;
	c->send_credit -= 1000000;
	return true;
}

static void do_send(struct client *c, const struct evgw_frame *f)
{
	if (c->mode == M_NOBUS) {
		reply(c, "< error open a bus first >");
		return;
	}
	if (!c->s->allow_send) {
		reply(c, "< error sending is not allowed (allow_send in [socketcand]) >");
		return;
	}
	if (!c->bus || c->bus->params.listen_only) {
		reply(c, "< error the bus is listen-only >");
		return;
	}
	if (!send_credit_take(c)) {
		char msg[96];
		snprintf(msg, sizeof msg, "< error sending faster than %" PRIu32 " frames/s (send_rate in [socketcand]) >",
			 c->s->send_rate);
		reply(c, msg);
		return;
	}
	int r = evgw_bus_send(c->bus, f);
	if (r == -EPERM)
		reply(c, "< error the bus is listen-only >");
	else if (r < 0) {
		char msg[96];
		snprintf(msg, sizeof msg, "< error send failed: %s >", strerror(-r));
		reply(c, msg);
	}
}

static void command(struct client *c, const struct evgw_sc_command *cmd)
{
	switch (cmd->kind) {
	case EVGW_SC_OPEN:
		do_open(c, cmd->bus);
		break;
	case EVGW_SC_RAWMODE:
	case EVGW_SC_BCMMODE:
		if (c->mode == M_NOBUS) {
			reply(c, "< error open a bus first >");
			break;
		}
		/* The reply before any frame; frames then wait a moment (top). */
		reply(c, "< ok >");
		if (cmd->kind == EVGW_SC_RAWMODE && c->mode != M_RAW)
			c->hold_until_us = evgw_now_mono_us() + RAW_START_DELAY_US;
		c->mode = cmd->kind == EVGW_SC_RAWMODE ? M_RAW : M_BCM;
		break;
	case EVGW_SC_ECHO:
		reply(c, "< echo >");
		break;
	case EVGW_SC_SEND:
		do_send(c, &cmd->frame);
		break;
	default: {
		char msg[96];
		snprintf(msg, sizeof msg, "< error %s is not served here (raw mode only) >", cmd->word);
		reply(c, msg);
	}
	}
}

static void on_client(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	(void)loop;
	struct client *c = io->ud;
	if (events & EPOLLOUT)
		write_out(c);
	if (c->dead || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		drop(c, n == 0 ? NULL : strerror(errno));
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	size_t pos = 0;
	while (!c->dead && pos < c->in_len) {
		struct evgw_sc_command cmd;
		size_t used;
		char err[128];
		int r = evgw_sc_parse(c->in + pos, c->in_len - pos, &used, &cmd, err, sizeof err);
		pos += used;
		if (r == 0 && !used)
			break;
		if (r == -E2BIG) {
			drop(c, err);
			return;
		}
		if (r < 0) {
			char msg[200];
			snprintf(msg, sizeof msg, "< error %s >", err);
			reply(c, msg);
		} else if (r == 1) {
			command(c, &cmd);
		}
	}
	if (c->dead)
		return;
	memmove(c->in, c->in + pos, c->in_len - pos);
	c->in_len -= pos;
}

static void on_accept(struct evgw_loop *loop, struct evgw_io *io, uint32_t events)
{
	(void)events;
	struct evgw_sc_server *s = io->ud;
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof sa;
		int fd = accept4(s->lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		char peer[64] = "?";
		if (sa.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, peer, sizeof peer);
		else if (sa.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, peer, sizeof peer);
		if (s->n_clients >= s->max_clients) {
			static const char full[] = "< error too many clients >";
			(void)!send(fd, full, sizeof full - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			s->refused_clients++;
			snprintf(s->last_error, sizeof s->last_error, "a client from %s refused: %u clients already", peer,
				 s->n_clients);
			evgw_warn(&s->d->log, "socketcand: %s", s->last_error);
			continue;
		}
		struct client *c = calloc(1, sizeof *c);
		if (!c) {
			close(fd);
			continue;
		}
		c->s = s;
		c->fd = fd;
		c->io.fd = -1;
		snprintf(c->peer, sizeof c->peer, "%s", peer);
		/* The kernel's buffer bounded too (it would grow to megabytes for
		 * a client that does not read); the 10 ms batches need far less. */
		int one = 1, sndbuf = SNDBUF;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
		if (evgw_loop_add(loop, &c->io, fd, EPOLLIN, on_client, c) < 0) {
			close(fd);
			free(c);
			continue;
		}
		s->clients[s->n_clients++] = c;
		evgw_info(&s->d->log, "socketcand: client from %s", peer);
		reply(c, "< hi >");
	}
}

/* The buses, as socketcand's beacon announces them. */
static void on_beacon(struct evgw_loop *loop, struct evgw_timer *t)
{
	(void)loop;
	struct evgw_sc_server *s = t->ud;
	char host[64] = "evgw", xml[4096];
	gethostname(host, sizeof host - 1);
	int n = snprintf(xml, sizeof xml,
			 "<CANBeacon name=\"%s\" type=\"SocketCAN\" description=\"evgw gateway\">\n<URL>%s</URL>\n",
			 host, s->url);
	for (unsigned i = 0; i < s->d->n_stations && n > 0 && (size_t)n < sizeof xml - 128; i++)
		n += snprintf(xml + n, sizeof xml - (size_t)n, "<Bus name=\"%s\"/>\n", s->d->stations[i]->bus->name);
	if (n > 0 && (size_t)n < sizeof xml - 32)
		n += snprintf(xml + n, sizeof xml - (size_t)n, "</CANBeacon>\n");
	if (n > 0 && (size_t)n < sizeof xml)
		(void)!sendto(s->bfd, xml, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&s->beacon_to, s->beacon_to_len);
}

/* The address that goes in the beacon's URL: the one listened on, or for
 * a wildcard the first IPv4 address of an interface that is up. */
static void url_address(const char *listen, char *out, size_t cap)
{
	snprintf(out, cap, "%s", listen);
	if (strcmp(listen, "0.0.0.0") && strcmp(listen, "::"))
		return;
	struct ifaddrs *ifs;
	if (getifaddrs(&ifs) < 0)
		return;
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && strcmp(i->ifa_name, "lo")) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, out, (socklen_t)cap);
			break;
		}
	freeifaddrs(ifs);
}

static int beacon_open(struct evgw_sc_server *s, const struct evgw_socketcand_config *cfg, char *err, size_t errlen)
{
	bool loopback = !strcmp(cfg->listen, "127.0.0.1") || !strcmp(cfg->listen, "::1");
	s->bfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (s->bfd < 0 || setsockopt(s->bfd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) < 0) {
		snprintf(err, errlen, "[socketcand] beacon: cannot open a UDP socket: %s", strerror(errno));
		return -errno;
	}
	/* On loopback the beacon stays on the machine: only its own clients
	 * could use the URL. */
	struct sockaddr_in *to = (struct sockaddr_in *)&s->beacon_to;
	to->sin_family = AF_INET;
	to->sin_port = htons(cfg->beacon_port ? cfg->beacon_port : BEACON_PORT);
	to->sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK : INADDR_BROADCAST);
	s->beacon_to_len = sizeof *to;
	if (evgw_timer_init(&s->d->loop, &s->beacon, on_beacon, s) < 0 ||
	    evgw_timer_arm(&s->beacon, 1000, BEACON_EVERY_US) < 0) {
		snprintf(err, errlen, "[socketcand] beacon: cannot start its timer");
		return -EIO;
	}
	return 0;
}

int evgw_sc_open(struct evgw_daemon *d, struct evgw_sc_server **out, char *err, size_t errlen)
{
	const struct evgw_socketcand_config *cfg = &d->cfg.socketcand;
	struct evgw_sc_server *s = calloc(1, sizeof *s);
	if (!s || !(s->clients = calloc(cfg->max_clients, sizeof *s->clients))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->d = d;
	s->lfd = s->bfd = -1;
	s->lio.fd = s->flush.io.fd = s->beacon.io.fd = -1;
	s->max_clients = cfg->max_clients;
	s->client_buffer = cfg->client_buffer;
	s->allow_send = cfg->allow_send;
	s->send_rate = cfg->send_rate;
	s->since_us = evgw_now_real_us();
	struct sockaddr_storage sa;
	memset(&sa, 0, sizeof sa);
	socklen_t salen;
	int family;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa;
	if (inet_pton(AF_INET, cfg->listen, &in4->sin_addr) == 1) {
		family = in4->sin_family = AF_INET;
		in4->sin_port = htons(cfg->port);
		salen = sizeof *in4;
	} else if (inet_pton(AF_INET6, cfg->listen, &in6->sin6_addr) == 1) {
		family = in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(cfg->port);
		salen = sizeof *in6;
	} else {
		snprintf(err, errlen, "[socketcand] listen: '%s' is not an address", cfg->listen);
		evgw_sc_close(s);
		return -EINVAL;
	}
	int one = 1, e;
	s->lfd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(s->lfd, (struct sockaddr *)&sa, salen) < 0 || listen(s->lfd, 16) < 0) {
		e = errno;
		snprintf(err, errlen, "[socketcand] cannot listen on %s port %u: %s", cfg->listen, cfg->port, strerror(e));
		evgw_sc_close(s);
		return -e;
	}
	socklen_t got = sizeof sa;
	getsockname(s->lfd, (struct sockaddr *)&sa, &got);
	s->port = ntohs(family == AF_INET ? in4->sin_port : in6->sin6_port);
	char addr[64];
	url_address(cfg->listen, addr, sizeof addr);
	snprintf(s->url, sizeof s->url, family == AF_INET6 && strchr(addr, ':') ? "can://[%s]:%u" : "can://%s:%u", addr,
		 s->port);
	if (evgw_loop_add(&d->loop, &s->lio, s->lfd, EPOLLIN, on_accept, s) < 0 ||
	    evgw_timer_init(&d->loop, &s->flush, on_flush, s) < 0) {
		snprintf(err, errlen, "[socketcand] cannot join the event loop");
		evgw_sc_close(s);
		return -EIO;
	}
	if (cfg->beacon && (e = beacon_open(s, cfg, err, errlen)) < 0) {
		evgw_sc_close(s);
		return e;
	}
	evgw_notice(&d->log, "socketcand: listening on %s port %u%s%s", cfg->listen, s->port,
		    cfg->beacon ? ", beacon on" : "", cfg->allow_send ? ", sending allowed on diagnostic buses" : "");
	*out = s;
	return 0;
}

unsigned evgw_sc_port(const struct evgw_sc_server *s)
{
	return s->port;
}

/* The buses were rebuilt: the old ones are gone (and their listeners
 * with them); a client goes on with the bus of the same name, if any. */
static void on_buses_changed(void *ud)
{
	struct evgw_sc_server *s = ud;
	for (unsigned i = s->n_clients; i-- > 0;) {
		struct client *c = s->clients[i];
		if (!c->bus)
			continue;
		c->bus = NULL;
		if (!attach(c, c->bus_name)) {
			reply(c, "< error the bus is gone >");
			drop(c, "its bus is gone after a reload");
		}
	}
}

static void on_status(void *ud, struct evgw_consumer_status *out)
{
	struct evgw_sc_server *s = ud;
	out->name = "socketcand";
	out->target = s->url;
	out->state = "listening";
	out->since_us = s->since_us;
	out->last_error = s->last_error;
	out->sent = s->frames_out;
	out->skipped = s->frames_dropped;
	out->unacked = 0;
}

struct evgw_daemon_observer evgw_sc_observer(struct evgw_sc_server *s)
{
	return (struct evgw_daemon_observer){NULL, NULL, on_buses_changed, s, on_status};
}

void evgw_sc_close(struct evgw_sc_server *s)
{
	if (!s)
		return;
	while (s->n_clients)
		drop(s->clients[0], "evgwd stops");
	evgw_loop_del(&s->d->loop, &s->lio);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->flush.io.fd >= 0)
		evgw_timer_fini(&s->d->loop, &s->flush);
	if (s->beacon.io.fd >= 0)
		evgw_timer_fini(&s->d->loop, &s->beacon);
	if (s->bfd >= 0)
		close(s->bfd);
	free(s->clients);
	free(s);
}
