// SPDX-License-Identifier: MIT
/* The fan-out between evgwd's one connection and the browsers' event
 * streams: a ring of the latest Server-Sent Events blocks, numbered, that
 * every stream reads at its own pace. A stream that falls further behind
 * than the ring holds is told to reload ("resync") instead of being
 * buffered for: memory stays bounded whatever a browser does. */
#ifndef EVGW_WEB_HUB_H
#define EVGW_WEB_HUB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_HUB_RING 128
#define WEB_HUB_MAX_BYTES (2u << 20) /* text held in the ring at most */

struct web_hub_event {
	uint64_t seq;
	char *text; /* "event: TOPIC\ndata: JSON\n\n" */
	size_t len;
};

struct web_hub {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct web_hub_event ring[WEB_HUB_RING];
	uint64_t next_seq;  /* the number the next event gets */
	size_t bytes;       /* text in the ring */
	bool stopping;
	bool daemon_up;
	char *buses;        /* the latest "buses" reply's result (JSON), or NULL */
	unsigned streams;   /* open event streams */
	unsigned max_streams;
};

int web_hub_init(struct web_hub *h, unsigned max_streams);
void web_hub_free(struct web_hub *h);
/* Publish one event (copied). -ENOMEM or 0. */
int web_hub_publish(struct web_hub *h, const char *topic, const char *json, size_t len);
/* Remember the buses snapshot (copied) and publish it as "buses". */
void web_hub_set_buses(struct web_hub *h, const char *json, size_t len);
void web_hub_set_daemon(struct web_hub *h, bool up);
/* Wake every stream and make them end. */
void web_hub_stop(struct web_hub *h);

/* A stream's cursor. */
struct web_hub_reader {
	uint64_t seq;
};
/* Count a new stream in: false when max_streams are open. The reader then
 * starts with the state (the daemon up or down, the buses), then new events. */
bool web_hub_open(struct web_hub *h, struct web_hub_reader *r);
void web_hub_close(struct web_hub *h);
/* The next block for this reader, malloc'd into *text and *len, waiting up to
 * wait_ms: 1 (a block), 0 (nothing came: send a keep-alive), -ESHUTDOWN
 * (stopping) or -ENOMEM. A reader that fell behind the ring gets a
 * "resync" block and continues from the newest event. */
int web_hub_next(struct web_hub *h, struct web_hub_reader *r, unsigned wait_ms, char **text, size_t *len);
/* The state block a new stream starts with (malloc'd). */
int web_hub_state(struct web_hub *h, char **text, size_t *len);

#endif
