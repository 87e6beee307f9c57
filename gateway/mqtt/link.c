// SPDX-License-Identifier: MIT
/* The broker connection in its own thread (link.h says why). The thread
 * runs mosquitto_connect and mosquitto_loop; libmosquitto's callbacks run
 * in it and only append to a ring under the mutex and wake the daemon's
 * loop through an eventfd. */
#include "mqtt/link.h"

#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define RING 4096        /* events; the bridge keeps fewer messages than this outstanding */
#define TEXTS 8          /* status events' texts (they are rare) */
#define BACKOFF_MIN_MS 500
#define BACKOFF_MAX_MS 5000
#define CONNECT_TIMEOUT_MS 10000 /* TCP, TLS and CONNACK together */

struct ring_event {
	uint8_t kind;
	int rc, mid;
	unsigned text; /* index into texts, for status events */
};

struct evgw_mqtt_link {
	const struct evgw_mqtt_config *cfg;
	struct mosquitto *mosq;
	char will_topic[256];
	int efd;
	pthread_t thread;
	bool thread_started;
	bool abandoned;          /* stop could not end the thread */
	atomic_bool stopping;
	atomic_bool connected;   /* CONNACK 0 seen, not lost since */
	pthread_mutex_t mu;      /* the ring, the texts, the wait */
	pthread_cond_t wake;
	struct ring_event ring[RING];
	unsigned head, n;
	uint64_t lost_events;    /* ring full: cannot happen while the bridge keeps its bounds */
	char texts[TEXTS][200];
	unsigned n_texts;
	char last_log[200];      /* libmosquitto's last error line (TLS details) */
	bool refused;            /* this connection's CONNACK refused us */
	int offline_mid;         /* the "offline" message at stop, and whether it went */
	atomic_bool offline_done;
};

static void push(struct evgw_mqtt_link *l, enum evgw_mqtt_link_kind kind, int rc, int mid, const char *text)
{
	pthread_mutex_lock(&l->mu);
	bool wake = l->n == 0; /* else the loop has been woken and not yet taken them */
	if (l->n == RING) {
		l->lost_events++;
	} else {
		struct ring_event *e = &l->ring[(l->head + l->n++) % RING];
		e->kind = (uint8_t)kind;
		e->rc = rc;
		e->mid = mid;
		e->text = l->n_texts % TEXTS;
		if (text) {
			snprintf(l->texts[e->text], sizeof l->texts[e->text], "%s", text);
			l->n_texts++;
		}
	}
	pthread_mutex_unlock(&l->mu);
	if (wake) {
		uint64_t one = 1;
		ssize_t w = write(l->efd, &one, sizeof one); /* EAGAIN: already readable */
		(void)w;
	}
}

/* --- libmosquitto's callbacks (the link's thread) --- */

static void on_connect(struct mosquitto *mosq, void *ud, int rc)
{
	struct evgw_mqtt_link *l = ud;
	(void)mosq;
	if (rc == 0) {
		atomic_store(&l->connected, true);
		push(l, EVGW_MQTT_CONNECTED, 0, 0, NULL);
	} else {
		l->refused = true;
		push(l, EVGW_MQTT_REFUSED, rc, 0, mosquitto_connack_string(rc));
	}
}

static void on_publish(struct mosquitto *mosq, void *ud, int mid)
{
	struct evgw_mqtt_link *l = ud;
	(void)mosq;
	if (atomic_load(&l->stopping) && mid == l->offline_mid)
		atomic_store(&l->offline_done, true);
	push(l, EVGW_MQTT_PUBLISHED, 0, mid, NULL);
}

static void on_log(struct mosquitto *mosq, void *ud, int level, const char *str)
{
	struct evgw_mqtt_link *l = ud;
	(void)mosq;
	if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) {
		pthread_mutex_lock(&l->mu);
		snprintf(l->last_log, sizeof l->last_log, "%s", str);
		pthread_mutex_unlock(&l->mu);
	}
}

/* --- the thread --- */

static void why(struct evgw_mqtt_link *l, int rc, int err_no, char *out, size_t cap)
{
	const char *what = rc == MOSQ_ERR_ERRNO ? strerror(err_no) : mosquitto_strerror(rc);
	pthread_mutex_lock(&l->mu);
	int n = snprintf(out, cap, "%s", what);
	if (l->last_log[0] && n >= 0 && (size_t)n + 4 < cap)
		snprintf(out + n, cap - (size_t)n, " (%.*s)", (int)(cap - (size_t)n - 4), l->last_log);
	l->last_log[0] = '\0';
	pthread_mutex_unlock(&l->mu);
}

/* Sleep ms unless the link is stopped meanwhile. */
static void nap(struct evgw_mqtt_link *l, unsigned ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (!atomic_load(&l->stopping))
		if (pthread_cond_timedwait(&l->wake, &l->mu, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&l->mu);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* At stop: let the "offline" message (queued by the stopper) reach the
 * broker, then say goodbye. At most about 2 s. */
static void goodbye(struct evgw_mqtt_link *l)
{
	int64_t end = mono_ms() + 1500;
	while (!atomic_load(&l->offline_done) && mono_ms() < end)
		if (mosquitto_loop(l->mosq, 100, 1) != MOSQ_ERR_SUCCESS)
			return;
	mosquitto_disconnect(l->mosq);
	for (int i = 0; i < 5; i++)
		if (mosquitto_loop(l->mosq, 50, 1) != MOSQ_ERR_SUCCESS)
			break;
}

static void *run(void *p)
{
	struct evgw_mqtt_link *l = p;
	unsigned backoff = BACKOFF_MIN_MS;
	char text[200];

	while (!atomic_load(&l->stopping)) {
		l->refused = false;
		errno = 0;
		/* Asynchronous: the TCP connect and the TLS handshake go on in
		 * mosquitto_loop, so that a host that accepts and then says
		 * nothing costs CONNECT_TIMEOUT_MS, not the thread. */
		int rc = mosquitto_connect_async(l->mosq, l->cfg->host, l->cfg->port, (int)l->cfg->keepalive);
		if (rc != MOSQ_ERR_SUCCESS) {
			why(l, rc, errno, text, sizeof text);
			push(l, EVGW_MQTT_FAILED, rc, 0, text);
		} else {
			int64_t deadline = mono_ms() + CONNECT_TIMEOUT_MS;
			bool timed_out = false;
			while (!atomic_load(&l->stopping)) {
				errno = 0;
				rc = mosquitto_loop(l->mosq, 500, 1);
				if (rc != MOSQ_ERR_SUCCESS)
					break;
				if (atomic_load(&l->connected)) {
					backoff = BACKOFF_MIN_MS;
				} else if (!l->refused && mono_ms() > deadline) {
					timed_out = true;
					break;
				}
			}
			if (timed_out) {
				atomic_store(&l->connected, false);
				snprintf(text, sizeof text, "no answer within %d s", CONNECT_TIMEOUT_MS / 1000);
				push(l, EVGW_MQTT_FAILED, MOSQ_ERR_CONN_LOST, 0, text);
				mosquitto_disconnect(l->mosq);
				nap(l, backoff);
				backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
				continue;
			}
			if (atomic_load(&l->stopping)) {
				if (rc == MOSQ_ERR_SUCCESS)
					goodbye(l);
				break;
			}
			bool was = atomic_exchange(&l->connected, false);
			if (!l->refused) {
				why(l, rc, errno, text, sizeof text);
				push(l, was ? EVGW_MQTT_LOST : EVGW_MQTT_FAILED, rc, 0, text);
			}
			mosquitto_disconnect(l->mosq);
		}
		nap(l, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	return NULL;
}

/* --- the daemon's side --- */

static int setup(struct evgw_mqtt_link *l, const char *client_id, char *err, size_t errlen)
{
	const struct evgw_mqtt_config *c = l->cfg;
	int rc;

	l->mosq = mosquitto_new(client_id, true, l);
	if (!l->mosq) {
		snprintf(err, errlen, "mqtt: cannot create the client: %s", strerror(errno));
		return -ENOMEM;
	}
	mosquitto_threaded_set(l->mosq, true);
	mosquitto_connect_callback_set(l->mosq, on_connect);
	mosquitto_publish_callback_set(l->mosq, on_publish);
	mosquitto_log_callback_set(l->mosq, on_log);
	static const char offline[] = "offline";
	rc = mosquitto_will_set(l->mosq, l->will_topic, (int)strlen(offline), offline, 1, true);
	if (rc == MOSQ_ERR_SUCCESS && c->username)
		rc = mosquitto_username_pw_set(l->mosq, c->username, c->password);
	if (rc == MOSQ_ERR_SUCCESS && c->tls) {
		if (c->ca_file)
			rc = mosquitto_tls_set(l->mosq, c->ca_file, NULL, c->cert_file, c->key_file, NULL);
		else
			rc = mosquitto_int_option(l->mosq, MOSQ_OPT_TLS_USE_OS_CERTS, 1);
		if (rc == MOSQ_ERR_SUCCESS && !c->ca_file && c->cert_file)
			rc = mosquitto_tls_set(l->mosq, NULL, "/etc/ssl/certs", c->cert_file, c->key_file, NULL);
	}
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, errlen, "mqtt: %s: %s", c->broker,
			 rc == MOSQ_ERR_INVAL && c->tls ? "cannot read ca_file, cert_file or key_file"
							: mosquitto_strerror(rc));
		return -EINVAL;
	}
	return 0;
}

int evgw_mqtt_link_start(const struct evgw_mqtt_config *cfg, const char *client_id, const char *will_topic,
			 struct evgw_mqtt_link **out, char *err, size_t errlen)
{
	struct evgw_mqtt_link *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, errlen, "mqtt: out of memory");
		return -ENOMEM;
	}
	l->cfg = cfg;
	l->efd = -1;
	snprintf(l->will_topic, sizeof l->will_topic, "%s", will_topic);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->wake, NULL);
	int r = 0;
	l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->efd < 0) {
		r = -errno;
		snprintf(err, errlen, "mqtt: eventfd: %s", strerror(errno));
	}
	if (r == 0)
		r = setup(l, client_id, err, errlen);
	if (r == 0) {
		int e = pthread_create(&l->thread, NULL, run, l);
		if (e) {
			r = -e;
			snprintf(err, errlen, "mqtt: cannot start its thread: %s", strerror(e));
		} else {
			l->thread_started = true;
		}
	}
	if (r < 0) {
		evgw_mqtt_link_free(l);
		return r;
	}
	*out = l;
	return 0;
}

bool evgw_mqtt_link_stop(struct evgw_mqtt_link *l)
{
	if (!l)
		return false;
	if (l->thread_started && !l->abandoned) {
		if (atomic_load(&l->connected)) {
			static const char offline[] = "offline";
			int mid = 0;
			l->offline_mid = -1;
			if (mosquitto_publish(l->mosq, &mid, l->will_topic, (int)strlen(offline), offline, 1, true) ==
			    MOSQ_ERR_SUCCESS)
				l->offline_mid = mid;
			else
				atomic_store(&l->offline_done, true);
		}
		pthread_mutex_lock(&l->mu);
		atomic_store(&l->stopping, true);
		pthread_cond_broadcast(&l->wake);
		pthread_mutex_unlock(&l->mu);
		/* A connect stuck on a host that does not answer must not hold
		 * the daemon's exit: after 3 s the thread is left to the
		 * process's end (with its client and the link itself). */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 3;
		if (pthread_timedjoin_np(l->thread, NULL, &ts) != 0) {
			pthread_detach(l->thread);
			l->abandoned = true;
			return false;
		}
		l->thread_started = false;
	}
	return true;
}

void evgw_mqtt_link_free(struct evgw_mqtt_link *l)
{
	if (!l || l->abandoned)
		return;
	evgw_mqtt_link_stop(l);
	if (l->mosq)
		mosquitto_destroy(l->mosq);
	if (l->efd >= 0)
		close(l->efd);
	pthread_cond_destroy(&l->wake);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

int evgw_mqtt_link_fd(const struct evgw_mqtt_link *l)
{
	return l->efd;
}

unsigned evgw_mqtt_link_take(struct evgw_mqtt_link *l, struct evgw_mqtt_link_event *out, unsigned max)
{
	uint64_t v;
	ssize_t r = read(l->efd, &v, sizeof v);
	(void)r;
	unsigned n = 0;
	pthread_mutex_lock(&l->mu);
	while (n < max && l->n) {
		const struct ring_event *e = &l->ring[l->head];
		out[n].kind = (enum evgw_mqtt_link_kind)e->kind;
		out[n].rc = e->rc;
		out[n].mid = e->mid;
		if (e->kind == EVGW_MQTT_PUBLISHED)
			out[n].text[0] = '\0';
		else
			snprintf(out[n].text, sizeof out[n].text, "%s", l->texts[e->text]);
		l->head = (l->head + 1) % RING;
		l->n--;
		n++;
	}
	bool more = l->n > 0;
	pthread_mutex_unlock(&l->mu);
	if (more) { /* the rest at the next round */
		uint64_t one = 1;
		ssize_t w = write(l->efd, &one, sizeof one);
		(void)w;
	}
	return n;
}

int evgw_mqtt_link_publish(struct evgw_mqtt_link *l, const char *topic, const void *payload, size_t len, int qos,
			   bool retain, int *mid)
{
	if (len > 256 * 1024)
		return -EINVAL;
	int rc = mosquitto_publish(l->mosq, mid, topic, (int)len, payload, qos, retain);
	switch (rc) {
	case MOSQ_ERR_SUCCESS: return 0;
	case MOSQ_ERR_NOMEM: return -ENOMEM;
	case MOSQ_ERR_NO_CONN: return -ENOTCONN;
	default: return -EINVAL;
	}
}
