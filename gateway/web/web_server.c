// SPDX-License-Identifier: MIT
#include "web/web_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/regular_file.h"
#include "util/textbuf.h"
#include "web/web_api.h"
#include "web/web_mo.h"

/* No inline script or style anywhere, no other origin: a value that
 * slipped into the page as markup still could not run. */
#define CSP                                                                                              \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "                \
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

static const struct {
	const char *url, *file, *type;
} page_files[] = {
	{"/", "index.html", "text/html; charset=utf-8"},
	{"/report", "report.html", "text/html; charset=utf-8"},
	{"/static/app.js", "app.js", "text/javascript; charset=utf-8"},
	{"/static/common.js", "common.js", "text/javascript; charset=utf-8"},
	{"/static/report.js", "report.js", "text/javascript; charset=utf-8"},
	{"/static/app.css", "app.css", "text/css; charset=utf-8"},
};

static int read_whole(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd = evgw_open_regular(path, &st);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, fd == -EINVAL ? "not a regular file" : strerror(-fd));
		return fd;
	}
	if (st.st_size > (8 << 20)) {
		close(fd);
		snprintf(err, errlen, "%s: larger than 8 MiB", path);
		return -EFBIG;
	}
	char *d = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (d && got < (size_t)st.st_size) {
		ssize_t k = read(fd, d + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	if (!d)
		return -ENOMEM;
	d[got] = '\0';
	*data = d;
	*len = got;
	return 0;
}

int web_server_load(struct web_server *s, char *err, size_t errlen)
{
	char path[512];
	for (size_t i = 0; i < sizeof page_files / sizeof page_files[0]; i++) {
		struct web_file *f = &s->files[s->n_files];
		snprintf(path, sizeof path, "%s/%s", s->cfg->www_dir, page_files[i].file);
		int r = read_whole(path, &f->data, &f->len, err, errlen);
		if (r < 0)
			return r;
		f->url = page_files[i].url;
		f->type = page_files[i].type;
		s->n_files++;
	}
	/* Chart.js from Debian's package: without it the page works, with
	 * no charts. */
	struct web_file *f = &s->files[s->n_files];
	char why[300];
	if (read_whole(s->cfg->chartjs, &f->data, &f->len, why, sizeof why) == 0) {
		f->url = "/static/chart.js";
		f->type = "text/javascript; charset=utf-8";
		s->n_files++;
	} else {
		fprintf(stderr, "evgw-web: no charts: %s (install libjs-chart.js)\n", why);
	}
	s->catalog[0] = strdup("{}");
	snprintf(path, sizeof path, "%s/ru/LC_MESSAGES/evgw.mo", s->cfg->locale_dir);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	if (web_mo_file_json(path, &tb, why, sizeof why) == 0) {
		s->catalog[1] = tb.buf;
	} else {
		fprintf(stderr, "evgw-web: no Russian texts: %s\n", why);
		evgw_textbuf_free(&tb);
		s->catalog[1] = strdup("{}");
	}
	return s->catalog[0] && s->catalog[1] ? 0 : -ENOMEM;
}

void web_server_free(struct web_server *s)
{
	for (unsigned i = 0; i < s->n_files; i++)
		free(s->files[i].data);
	for (unsigned i = 0; i < WEB_LANGS; i++)
		free(s->catalog[i]);
}

/* ---- responses ---- */

static void security_headers(struct MHD_Response *r, bool no_store)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	if (no_store)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

enum MHD_Result web_reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			  size_t len, const char *cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	security_headers(r, true);
	MHD_add_response_header(r, "Content-Type", type);
	if (cookie)
		MHD_add_response_header(r, "Set-Cookie", cookie);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *code, const char *message)
{
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"ok\":false,\"error\":{\"code\":");
	evgw_textbuf_json_string(&tb, code, strlen(code), false);
	evgw_textbuf_puts(&tb, ",\"message\":");
	evgw_textbuf_json_string(&tb, message, strlen(message), false);
	evgw_textbuf_puts(&tb, "}}");
	enum MHD_Result ret = tb.failed ? MHD_NO
					: web_reply(c, status, "application/json", tb.buf, tb.len, NULL);
	evgw_textbuf_free(&tb);
	return ret;
}

static enum MHD_Result static_file(struct web_server *s, struct MHD_Connection *c, const struct web_file *f)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(f->len, f->data, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	security_headers(r, false);
	MHD_add_response_header(r, "Content-Type", f->type);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- the event stream ---- */

struct sse {
	struct web_server *s;
	struct web_hub_reader reader;
	char *pending;
	size_t len, off;
	bool started;
};

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *e = cls;
	if (e->off >= e->len) {
		free(e->pending);
		e->pending = NULL;
		e->len = e->off = 0;
		int r;
		if (!e->started) {
			e->started = true;
			r = web_hub_state(e->s->hub, &e->pending, &e->len) == 0 ? 1 : -ENOMEM;
		} else {
			/* A keep-alive comment well inside the idle timeout. */
			unsigned wait = e->s->cfg->idle_timeout * 1000 / 3;
			r = web_hub_next(e->s->hub, &e->reader, wait > 10000 ? 10000 : wait, &e->pending, &e->len);
		}
		if (r == -ESHUTDOWN)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (r < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (r == 0) {
			static const char ka[] = ": keep-alive\n\n";
			memcpy(buf, ka, sizeof ka - 1);
			return (ssize_t)(sizeof ka - 1);
		}
	}
	size_t n = e->len - e->off < max ? e->len - e->off : max;
	memcpy(buf, e->pending + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse *e = cls;
	web_hub_close(e->s->hub);
	free(e->pending);
	free(e);
}

static enum MHD_Result event_stream(struct web_server *s, struct MHD_Connection *c)
{
	struct sse *e = calloc(1, sizeof *e);
	if (!e)
		return MHD_NO;
	e->s = s;
	if (!web_hub_open(s->hub, &e->reader)) {
		free(e);
		return web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "limit", "too many event streams");
	}
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, sse_read, e, sse_free);
	if (!r) {
		sse_free(e);
		return MHD_NO;
	}
	security_headers(r, true);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- recordings (evgwd's candump logs, read from its directory) ---- */

static bool plain_name(const char *n)
{
	size_t l = strlen(n);
	if (l == 0 || l > 255 || n[0] == '.')
		return false;
	for (size_t i = 0; i < l; i++)
		if (n[i] == '/' || (unsigned char)n[i] < 0x20 || n[i] == '"' || n[i] == '\\')
			return false;
	return true;
}

static enum MHD_Result recordings_list(struct web_server *s, struct MHD_Connection *c)
{
	DIR *d = opendir(s->cfg->recordings_dir);
	struct evgw_textbuf tb;
	evgw_textbuf_init(&tb);
	evgw_textbuf_puts(&tb, "{\"ok\":true,\"result\":[");
	bool first = true;
	unsigned n = 0;
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) && n < 1000) {
			struct stat st;
			if (!plain_name(de->d_name) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if (!first)
				evgw_textbuf_putc(&tb, ',');
			first = false;
			evgw_textbuf_puts(&tb, "{\"name\":");
			evgw_textbuf_json_string(&tb, de->d_name, strlen(de->d_name), false);
			evgw_textbuf_printf(&tb, ",\"bytes\":%lld,\"mtime\":%lld}", (long long)st.st_size,
					    (long long)st.st_mtime);
			n++;
		}
		closedir(d);
	}
	evgw_textbuf_puts(&tb, "]}");
	enum MHD_Result ret = tb.failed ? MHD_NO : web_reply(c, MHD_HTTP_OK, "application/json", tb.buf, tb.len, NULL);
	evgw_textbuf_free(&tb);
	return ret;
}

static enum MHD_Result recording_get(struct web_server *s, struct MHD_Connection *c, const char *name)
{
	if (!plain_name(name))
		return web_error(c, MHD_HTTP_BAD_REQUEST, "bad_request", "not a recording's name");
	int dfd = open(s->cfg->recordings_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = dfd < 0 ? -1 : openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (dfd >= 0)
		close(dfd);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return web_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such recording");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	security_headers(r, true);
	size_t l = strlen(name);
	MHD_add_response_header(r, "Content-Type",
				l > 4 && !strcmp(name + l - 4, ".zst") ? "application/zstd" : "text/plain; charset=utf-8");
	char disp[320];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	MHD_add_response_header(r, "Content-Disposition", disp);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- requests ---- */

struct request {
	char body[WEB_MAX_BODY + 1];
	size_t len;
	bool too_large;
};

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct web_server *s = cls;
	bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
	bool post = !strcmp(method, MHD_HTTP_METHOD_POST);
	struct request *rq = *con_cls;
	if (!rq) {
		if (!get && !post)
			return web_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "bad_request", "only GET, HEAD and POST");
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size) {
		if (rq->len + *upload_size > WEB_MAX_BODY)
			rq->too_large = true;
		else
			memcpy(rq->body + rq->len, upload, *upload_size);
		if (!rq->too_large)
			rq->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	rq->body[rq->len] = '\0';
	if (rq->too_large)
		return web_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "the request body is over 8192 bytes");
	if (get) {
		for (unsigned i = 0; i < s->n_files; i++)
			if (!strcmp(url, s->files[i].url))
				return static_file(s, c, &s->files[i]);
		if (!strcmp(url, "/events"))
			return web_same_site(c) ? event_stream(s, c)
						: web_error(c, MHD_HTTP_FORBIDDEN, "csrf", "another site's page");
		if (!strcmp(url, "/api/recordings"))
			return recordings_list(s, c);
		if (!strncmp(url, "/recordings/", 12))
			return recording_get(s, c, url + 12);
		if (!strcmp(url, "/i18n/ru.json"))
			return web_reply(c, MHD_HTTP_OK, "application/json", s->catalog[1], strlen(s->catalog[1]), NULL);
		if (!strcmp(url, "/i18n/en.json"))
			return web_reply(c, MHD_HTTP_OK, "application/json", s->catalog[0], strlen(s->catalog[0]), NULL);
	}
	if (!strncmp(url, "/api/", 5))
		return web_api(s, c, url + 5, post, rq->body, rq->len);
	return web_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	free(*con_cls);
	*con_cls = NULL;
}

static bool loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

int web_server_start(struct web_server *s, char *err, size_t errlen)
{
	char host[128];
	unsigned port;
	if (web_config_listen(s->cfg->listen, host, sizeof host, &port) < 0) {
		snprintf(err, errlen, "--listen: '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080, [::1]:8080)",
			 s->cfg->listen);
		return -EINVAL;
	}
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	char ps[8];
	snprintf(ps, sizeof ps, "%u", port);
	if (getaddrinfo(host, ps, &hints, &ai) != 0 || !ai) {
		snprintf(err, errlen, "--listen: '%s' is not a numeric address", host);
		return -EINVAL;
	}
	if (!loopback(ai->ai_addr)) {
		if (!s->cfg->network) {
			snprintf(err, errlen, "listening on %s (beyond this machine) needs 'network = yes' in the "
					      "configuration's [web] section", s->cfg->listen);
			freeaddrinfo(ai);
			return -EPERM;
		}
		if (!web_auth_has_password(s->auth)) {
			snprintf(err, errlen, "listening on the network needs a password: set one with "
					      "'evgw-web --set-password' (it goes to %s)", s->cfg->password_file);
			freeaddrinfo(ai);
			return -EPERM;
		}
	}
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
			 MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->mhd = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, s,
				  MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg->max_connections,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->cfg->max_per_ip,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg->idle_timeout,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_MAX_HEADERS,
				  MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 * 1024),
				  MHD_OPTION_NOTIFY_COMPLETED, completed, s,
				  MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
				  MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!s->mhd) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address of this machine)",
			 s->cfg->listen);
		return -EADDRINUSE;
	}
	return 0;
}

void web_server_stop(struct web_server *s)
{
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
}
