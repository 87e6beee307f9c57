// SPDX-License-Identifier: MIT
#include "web/web_hub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int web_hub_init(struct web_hub *h, unsigned max_streams)
{
	memset(h, 0, sizeof *h);
	h->next_seq = 1;
	h->max_streams = max_streams;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int r = pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (r)
		return -r;
	r = pthread_mutex_init(&h->mu, NULL);
	if (r) {
		pthread_cond_destroy(&h->cv);
		return -r;
	}
	return 0;
}

void web_hub_free(struct web_hub *h)
{
	for (unsigned i = 0; i < WEB_HUB_RING; i++)
		free(h->ring[i].text);
	free(h->buses);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
}

static char *block(const char *topic, const char *json, size_t len, size_t *out_len)
{
	size_t tl = strlen(topic);
	size_t n = 7 + tl + 7 + len + 2; /* "event: " T "\ndata: " J "\n\n" */
	char *t = malloc(n + 1);
	if (!t)
		return NULL;
	char *p = t;
	memcpy(p, "event: ", 7);
	p += 7;
	memcpy(p, topic, tl);
	p += tl;
	memcpy(p, "\ndata: ", 7);
	p += 7;
	memcpy(p, json, len);
	p += len;
	memcpy(p, "\n\n", 3);
	*out_len = n;
	return t;
}

/* With the lock held. */
static void put(struct web_hub *h, char *text, size_t len)
{
	struct web_hub_event *e = &h->ring[h->next_seq % WEB_HUB_RING];
	if (e->text)
		h->bytes -= e->len;
	free(e->text);
	e->text = text;
	e->len = len;
	e->seq = h->next_seq++;
	h->bytes += len;
	/* Past the byte budget the oldest events go (they are skipped by a
	 * reader that has not had them: it resyncs). */
	for (uint64_t s = h->next_seq > WEB_HUB_RING ? h->next_seq - WEB_HUB_RING : 1;
	     h->bytes > WEB_HUB_MAX_BYTES && s + 1 < h->next_seq; s++) {
		struct web_hub_event *o = &h->ring[s % WEB_HUB_RING];
		if (o->text && o->seq == s) {
			h->bytes -= o->len;
			free(o->text);
			o->text = NULL;
			o->len = 0;
		}
	}
	pthread_cond_broadcast(&h->cv);
}

int web_hub_publish(struct web_hub *h, const char *topic, const char *json, size_t len)
{
	size_t n;
	char *t = block(topic, json, len, &n);
	if (!t)
		return -ENOMEM;
	pthread_mutex_lock(&h->mu);
	put(h, t, n);
	pthread_mutex_unlock(&h->mu);
	return 0;
}

void web_hub_set_buses(struct web_hub *h, const char *json, size_t len)
{
	size_t n;
	char *copy = strndup(json, len);
	char *t = block("buses", json, len, &n);
	pthread_mutex_lock(&h->mu);
	if (copy) {
		free(h->buses);
		h->buses = copy;
	}
	if (t)
		put(h, t, n);
	pthread_mutex_unlock(&h->mu);
}

void web_hub_set_daemon(struct web_hub *h, bool up)
{
	char json[32];
	int l = snprintf(json, sizeof json, "{\"up\":%s}", up ? "true" : "false");
	size_t n;
	char *t = block("daemon", json, (size_t)l, &n);
	pthread_mutex_lock(&h->mu);
	h->daemon_up = up;
	if (!up) {
		free(h->buses);
		h->buses = NULL;
	}
	if (t)
		put(h, t, n);
	pthread_mutex_unlock(&h->mu);
}

void web_hub_stop(struct web_hub *h)
{
	pthread_mutex_lock(&h->mu);
	h->stopping = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

bool web_hub_open(struct web_hub *h, struct web_hub_reader *r)
{
	bool ok;
	pthread_mutex_lock(&h->mu);
	ok = h->streams < h->max_streams && !h->stopping;
	if (ok) {
		h->streams++;
		r->seq = h->next_seq;
	}
	pthread_mutex_unlock(&h->mu);
	return ok;
}

void web_hub_close(struct web_hub *h)
{
	pthread_mutex_lock(&h->mu);
	h->streams--;
	pthread_mutex_unlock(&h->mu);
}

int web_hub_state(struct web_hub *h, char **text, size_t *len)
{
	char up[32];
	pthread_mutex_lock(&h->mu);
	int l = snprintf(up, sizeof up, "{\"up\":%s}", h->daemon_up ? "true" : "false");
	size_t n1, n2 = 0;
	char *a = block("daemon", up, (size_t)l, &n1);
	char *b = h->buses ? block("buses", h->buses, strlen(h->buses), &n2) : NULL;
	pthread_mutex_unlock(&h->mu);
	/* "retry" makes a browser come back 1 s after the stream breaks. */
	static const char retry[] = "retry: 1000\n\n";
	char *t = a ? malloc(sizeof retry - 1 + n1 + n2 + 1) : NULL;
	if (t) {
		memcpy(t, retry, sizeof retry - 1);
		memcpy(t + sizeof retry - 1, a, n1);
		if (b)
			memcpy(t + sizeof retry - 1 + n1, b, n2);
		t[sizeof retry - 1 + n1 + n2] = '\0';
		*len = sizeof retry - 1 + n1 + n2;
	}
	free(a);
	free(b);
	*text = t;
	return t ? 0 : -ENOMEM;
}

int web_hub_next(struct web_hub *h, struct web_hub_reader *r, unsigned wait_ms, char **text, size_t *len)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int rc = 0;
	pthread_mutex_lock(&h->mu);
	while (!h->stopping && r->seq >= h->next_seq)
		if (pthread_cond_timedwait(&h->cv, &h->mu, &until) == ETIMEDOUT)
			break;
	if (h->stopping) {
		rc = -ESHUTDOWN;
	} else if (r->seq < h->next_seq) {
		struct web_hub_event *e = &h->ring[r->seq % WEB_HUB_RING];
		if (!e->text || e->seq != r->seq) {
			/* Fell behind: skip to now. */
			r->seq = h->next_seq;
			*text = strdup("event: resync\ndata: {}\n\n");
			*len = *text ? strlen(*text) : 0;
		} else {
			*text = malloc(e->len + 1);
			if (*text) {
				memcpy(*text, e->text, e->len + 1);
				*len = e->len;
			}
			r->seq++;
		}
		rc = *text ? 1 : -ENOMEM;
	}
	pthread_mutex_unlock(&h->mu);
	return rc;
}
