// SPDX-License-Identifier: MIT
#include "web/web_upstream.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/web_daemon.h"

/* Signals at 20 events a second: with evgwd's 50 ms batching a value
 * reaches the page within about 100 ms of its frame. */
static const char *const subscriptions[] = {
	"{\"cmd\":\"subscribe\",\"id\":\"s\",\"topic\":\"signals\",\"glob\":\"*\",\"max_rate\":20}",
	"{\"cmd\":\"subscribe\",\"id\":\"f\",\"topic\":\"faults\"}",
	"{\"cmd\":\"subscribe\",\"id\":\"u\",\"topic\":\"bus\"}",
	"{\"cmd\":\"buses\",\"id\":\"b\"}",
};

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void handle(struct web_upstream *u, const char *line, size_t len)
{
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok)
		return;
	json_object *o = json_tokener_parse_ex(tok, line, (int)len);
	json_tokener_free(tok);
	json_object *v;
	const char *type = json_object_object_get_ex(o, "type", &v) ? json_object_get_string(v) : NULL;
	if (type && !strcmp(type, "event")) {
		const char *topic = json_object_object_get_ex(o, "topic", &v) ? json_object_get_string(v) : NULL;
		if (topic && (!strcmp(topic, "signals") || !strcmp(topic, "faults") || !strcmp(topic, "bus")))
			web_hub_publish(u->hub, topic, line, len);
	} else if (type && !strcmp(type, "reply") && json_object_object_get_ex(o, "id", &v) &&
		   json_object_is_type(v, json_type_string) && !strcmp(json_object_get_string(v), "b")) {
		json_object *res;
		if (json_object_object_get_ex(o, "result", &res)) {
			size_t n;
			const char *s = json_object_to_json_string_length(
				res, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
			web_hub_set_buses(u->hub, s, n);
		}
	}
	json_object_put(o);
}

static void session(struct web_upstream *u, struct web_conn *c)
{
	for (size_t i = 0; i < sizeof subscriptions / sizeof subscriptions[0]; i++)
		if (web_conn_send(c, subscriptions[i], strlen(subscriptions[i])) < 0)
			return;
	web_hub_set_daemon(u->hub, true);
	double next_buses = mono() + 1.0;
	while (!atomic_load(&u->stop)) {
		char *line;
		size_t len;
		int r = web_conn_line(c, 250, &line, &len);
		if (r < 0)
			break;
		if (r == 1)
			handle(u, line, len);
		if (mono() >= next_buses) {
			next_buses = mono() + 1.0;
			if (web_conn_send(c, subscriptions[3], strlen(subscriptions[3])) < 0)
				break;
		}
	}
}

static void *run(void *arg)
{
	struct web_upstream *u = arg;
	bool told_down = false;
	char err[256] = "";
	while (!atomic_load(&u->stop)) {
		struct web_conn c;
		if (web_conn_open(&c, u->socket, err, sizeof err) == 0) {
			if (u->verbose)
				fprintf(stderr, "evgw-web: connected to evgwd\n");
			session(u, &c);
			web_conn_close(&c);
			if (atomic_load(&u->stop))
				break;
			fprintf(stderr, "evgw-web: lost evgwd; reconnecting every second\n");
			web_hub_set_daemon(u->hub, false);
			told_down = true;
		} else if (!told_down) {
			fprintf(stderr, "evgw-web: %s; trying every second\n", err);
			web_hub_set_daemon(u->hub, false);
			told_down = true;
		}
		for (int i = 0; i < 4 && !atomic_load(&u->stop); i++) {
			struct timespec q = {0, 250000000L};
			nanosleep(&q, NULL);
		}
	}
	return NULL;
}

int web_upstream_start(struct web_upstream *u)
{
	atomic_store(&u->stop, false);
	int r = pthread_create(&u->thread, NULL, run, u);
	return -r;
}

void web_upstream_stop(struct web_upstream *u)
{
	atomic_store(&u->stop, true);
	pthread_join(u->thread, NULL);
}
