// SPDX-License-Identifier: MIT
/* Shared by the API's files; not a public interface. */
#ifndef EVGW_API_INTERNAL_H
#define EVGW_API_INTERNAL_H

#include <json-c/json.h>

#include "api/api.h"
#include "api/contract.h"
#include "api/user_rate.h"
#include "daemon/daemon.h"
#include "loop/loop.h"


/* One signal a subscription follows. */
struct sub_signal {
	uint8_t bus;
	uint8_t db;
	const struct dbc_message *msg;
	const struct dbc_signal *sig;
	uint32_t slot;
	uint64_t sent_seq; /* the slot's seq when last looked at */
	uint64_t sent_raw; /* the raw value last sent */
	bool sent;
};

struct subscription {
	uint32_t id;
	enum api_topic topic;
	struct evgw_client *client;
	char *bus;           /* NULL: every bus */
	char *glob;          /* signals: fnmatch pattern on "SIGNAL" or "MESSAGE.SIGNAL" */
	const char *lang;    /* faults: the language of descriptions (contract.c's string) */
	double max_rate;     /* signals: events per second per signal */
	struct evgw_timer timer;
	struct sub_signal *sigs;
	uint32_t n_sigs;
	uint32_t *ids;       /* frames: CAN ids (with 0x80000000 for extended); NULL = all */
	uint32_t n_ids;
	uint64_t dropped;    /* events skipped since the last one sent (the client was not reading) */
	struct evgw_textbuf tb; /* event text, reused: no allocation per event */
};

struct evgw_client {
	struct evgw_io io;
	struct evgw_api *api;     /* not to be used once dead: the API may be gone */
	struct evgw_loop *loop;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	bool admin;
	bool dead;              /* dropped; freed after the loop round */
	unsigned refs;          /* the connection + replies still being worked on */
	bool discarding;        /* skipping the rest of an oversized line */
	bool queued;            /* events wait in out for the API's flush timer */
	char *in;               /* EVGW_API_MAX_LINE + 1 bytes (a line and its '\n') */
	size_t in_len;
	struct evgw_textbuf out;
	size_t out_off;         /* bytes of out already written */
	struct subscription *subs[EVGW_API_MAX_SUBS];
	unsigned n_subs;
	uint32_t last_sub_id;   /* subscriptions are numbered per connection */
	struct evgw_client *next;
};

/* The middle of a frames event, the same for every subscriber of one
 * frame: ,"bus":"can0","ts":1.000000,"frame":"123#11","dir":"rx". Made
 * once per frame, not once per subscriber; keyed by the frame's contents,
 * which are all it depends on (with the bus name). */
#define API_FRAME_TEXT_MAX 384

struct api_frame_text {
	const struct evgw_bus *bus;
	struct evgw_frame frame;
	size_t len; /* 0: nothing kept */
	char text[API_FRAME_TEXT_MAX];
};

/* Events are not written to a socket one by one (9000 frames a second to
 * 64 subscribers would be half a million system calls a second): they
 * gather in each client's buffer and go out together this often, or as
 * soon as this much waits. Replies still go out at once. Measured
 * (evgw-subs-bench, 64 frames subscribers of a 9000 frames/s bus): a
 * write every 20 ms cost the daemon about 6% of a core, every 50 ms 3.5%;
 * the system calls are most of it. */
#define API_EVENT_FLUSH_US 50000
#define API_EVENT_FLUSH_BYTES (256u << 10)

struct evgw_api {
	struct evgw_daemon *d;
	struct evgw_io listen_io;
	char *path;
	struct evgw_client *clients;
	unsigned n_clients;
	uint64_t requests;
	uint64_t dropped_clients; /* cut off by the daemon (too slow, over a limit), not plain disconnects */
	/* Out of file descriptors (EMFILE/ENFILE): the listening socket is not
	 * polled until a client closes or the timer fires (server.c). */
	struct evgw_timer accept_retry;
	bool accept_paused;
	int64_t fd_shortage_since_us; /* 0: no shortage now */
	uint64_t fd_shortage_tries;   /* accepts that failed in this one */
	struct evgw_user_rate ecu_rate; /* ECU requests of non-admins, per uid */
	struct evgw_timer flush_timer; /* writes the clients' queued events */
	bool flush_armed;
	struct api_frame_text frame_text;
};

/* Output: a complete JSON line into the client's buffer. Returns false
 * (and drops the client) when the hard limit is hit. */
bool api_client_send(struct evgw_client *c, const char *line, size_t len);
/* The same for an event: written with the others within
 * API_EVENT_FLUSH_US, not at once. */
bool api_client_queue(struct evgw_client *c, const char *line, size_t len);
/* The same in two steps, for the events of every frame: room for a line
 * of at most max bytes straight in the client's buffer (NULL: the client
 * is dropped or gone), then the end of what was written there. Saves the
 * copy of each line per subscriber. */
char *api_client_queue_reserve(struct evgw_client *c, size_t max);
bool api_client_queue_commit(struct evgw_client *c, char *end);
void api_client_drop(struct evgw_client *c, const char *why);
/* A reply that comes later (a diagnostic request on the bus): hold the
 * client until it is given, even if it disconnects meanwhile. */
void api_client_hold(struct evgw_client *c);
void api_client_release(struct evgw_client *c);
/* Bytes queued and not yet written. */
static inline size_t api_client_pending(const struct evgw_client *c)
{
	return c->out.len - c->out_off;
}

/* One request being answered (commands.c). */
struct cmd_ctx {
	struct evgw_client *c;
	json_object *req;
	const char *id_json;
	struct evgw_textbuf *res;
	enum api_error err_code; /* set: the command failed */
	char err[256];
	bool deferred;        /* the reply comes later (a request on the bus) */
};

void api_fail(struct cmd_ctx *x, enum api_error code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool api_arg_string(struct cmd_ctx *x, const char *key, const char **out);
bool api_want_station(struct cmd_ctx *x, bool required, struct evgw_station **out);
struct evgw_daemon *api_daemon_of(struct cmd_ctx *x);
void api_json_str(struct evgw_textbuf *tb, const char *s);

/* The commands that ask ECUs (cmd_ecu.c). */
void api_cmd_read_dtc(struct cmd_ctx *x);
void api_cmd_clear_dtc(struct cmd_ctx *x);
void api_cmd_read_did(struct cmd_ctx *x);
void api_cmd_vin(struct cmd_ctx *x);
void api_cmd_read_pids(struct cmd_ctx *x);
void api_cmd_battery(struct cmd_ctx *x);
/* GB/T 27930 charging sessions (cmd_charging.c). */
void api_cmd_charging(struct cmd_ctx *x);

/* An ECU request's answer as the reply (render_ecu.c). */
struct evgw_ecu_result;
void api_reply_ecu(struct evgw_client *c, const char *id_json, const struct evgw_ecu_result *r, const char *bus,
		   const char *lang);

/* Requests. `req` is the parsed object; reply goes to the client. */
void api_handle_request(struct evgw_client *c, json_object *req, const char *id_json);

/* Replies: {"type":"reply","id":...,"ok":true,"result":RESULT}. */
void api_reply_ok(struct evgw_client *c, const char *id_json, const struct evgw_textbuf *result);
/* The same with more members of the error object (extra: ",\"key\":..."). */
void api_reply_error_with(struct evgw_client *c, const char *id_json, enum api_error code, const char *msg,
			  const struct evgw_textbuf *extra);
void api_reply_error(struct evgw_client *c, const char *id_json, enum api_error code,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Subscriptions. */
int api_subscribe(struct evgw_client *c, json_object *req, struct evgw_textbuf *result,
		  enum api_error *err_code, char *err, size_t errlen);
int api_unsubscribe(struct evgw_client *c, json_object *req, enum api_error *err_code, char *err,
		    size_t errlen);
void api_subs_free_client(struct evgw_client *c);
void api_subs_resolve(struct evgw_api *api);

/* "SIGNAL" or "MESSAGE.SIGNAL" matches the shell pattern (NULL: all). */
bool api_signal_matches(const char *glob, const struct dbc_db *db, const struct dbc_message *m,
			const struct dbc_signal *s);
/* A signal's latest value as the API shows it. */
void api_signal_json(struct evgw_textbuf *tb, const struct evgw_bus *b, unsigned db,
		     const struct dbc_message *m, const struct dbc_signal *s,
		     const struct evgw_sig_slot *slot);

struct evgw_fault;
/* description: the words to show (another language), NULL: the fault's own. */
void api_fault_json(struct evgw_textbuf *tb, const struct evgw_fault *f, const char *description);
/* The fault's words in lang (NULL or "en": its own), into buf. */
const char *api_fault_words(struct evgw_daemon *d, const struct evgw_fault *f, const char *lang, char *buf,
			    size_t cap);
/* "lang": absent is "en"; a language of contract.c's table, else a
 * bad_request naming the known ones. */
bool api_arg_lang(struct cmd_ctx *x, const char **lang);

/* Arguments: absent is fine (NULL / false); present with the wrong type is
 * an error (*bad is set to the key's name). */
const char *api_get_string(json_object *o, const char *key, const char **bad);
bool api_get_double(json_object *o, const char *key, double *out, const char **bad);

#endif
