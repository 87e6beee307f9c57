// SPDX-License-Identifier: MIT
/* The socket API's public vocabulary in one place: its error codes and its
 * subscription topics. Replies, `hello` and the tests read these tables;
 * PROTOCOL.md documents the same rows (a test compares them), so a new
 * code cannot reach a client without being written down. */
#ifndef EVGW_API_CONTRACT_H
#define EVGW_API_CONTRACT_H

#include <stddef.h>

enum api_error {
	API_ERR_NONE = 0,
	API_ERR_BAD_JSON,
	API_ERR_BAD_REQUEST,
	API_ERR_UNKNOWN_COMMAND,
	API_ERR_NOT_FOUND,
	API_ERR_UNSUPPORTED,
	API_ERR_PERMISSION_DENIED,
	API_ERR_BUSY,
	API_ERR_EXISTS,
	API_ERR_LIMIT,
	API_ERR_TOO_LARGE,
	API_ERR_TIMEOUT,
	API_ERR_NEGATIVE_RESPONSE,
	API_ERR_BAD_RESPONSE,
	API_ERR_ADDRESS_IN_USE,
	API_ERR_GONE,
	API_ERR_IO_ERROR,
	API_ERR_INTERNAL,
	API_ERR_COUNT
};

struct api_error_info {
	const char *code;    /* as clients see it: "bad_request" */
	const char *meaning; /* one line, as PROTOCOL.md's table says it */
};

/* Indexed by enum api_error (API_ERR_NONE has no entry). */
const struct api_error_info *api_error_info(enum api_error e);

enum api_topic {
	API_TOPIC_NONE = 0,
	API_TOPIC_SIGNALS,
	API_TOPIC_FRAMES,
	API_TOPIC_BUS,
	API_TOPIC_FAULTS,
	API_TOPIC_COUNT
};

const char *api_topic_name(enum api_topic t);
/* API_TOPIC_NONE when name is no topic. */
enum api_topic api_topic_parse(const char *name);

/* The languages of the words for fault codes ("lang" in faults, read-dtc
 * and faults subscriptions), the default ("en") first. */
unsigned api_language_count(void);
const char *api_language(unsigned i);
/* The table's own string for s, or NULL when it names no language. */
const char *api_language_parse(const char *s);
/* The bad_request message for a "lang" that names no language. */
void api_language_error(char *out, size_t cap, const char *given);

#endif
