// SPDX-License-Identifier: MIT
#include "api/contract.h"

#include <stdio.h>
#include <string.h>

static const struct api_error_info errors[API_ERR_COUNT] = {
	[API_ERR_BAD_JSON] = {"bad_json", "the line is not one RFC 8259 JSON object (or has text after it)"},
	[API_ERR_BAD_REQUEST] = {"bad_request", "an argument is missing, or has the wrong type, format or range"},
	[API_ERR_UNKNOWN_COMMAND] = {"unknown_command", "no such command"},
	[API_ERR_NOT_FOUND] = {"not_found", "the named bus, subscription, profile ECU, profile DID or recording does "
					    "not exist"},
	[API_ERR_UNSUPPORTED] = {"unsupported", "the bus or ECU cannot do that (J1939 on a bus without it, a DID of a "
						"J1939 ECU, \"all\" without a vehicle profile)"},
	[API_ERR_PERMISSION_DENIED] = {"permission_denied", "the caller is not allowed (an admin's request, an id "
							    "outside the diagnostic addresses, another user's "
							    "recording), or the bus is listen-only"},
	[API_ERR_BUSY] = {"busy", "the resource is in use (a bus already being recorded, a full request queue)"},
	[API_ERR_EXISTS] = {"exists", "the file already exists (recordings never overwrite)"},
	[API_ERR_LIMIT] = {"limit", "a limit was reached (clients, clients per uid, subscriptions, listeners of a "
				    "bus, ECU requests per user, recording quotas)"},
	[API_ERR_TOO_LARGE] = {"too_large", "the request line is longer than 65536 bytes (the rest of that line is "
					    "skipped)"},
	[API_ERR_TIMEOUT] = {"timeout", "no ECU answered in time (P2/P2*, or the J1939 window of 1.25 s)"},
	[API_ERR_NEGATIVE_RESPONSE] = {"negative_response", "the ECU refused the request (the NRC by name)"},
	[API_ERR_BAD_RESPONSE] = {"bad_response", "the ECU answered something malformed"},
	[API_ERR_ADDRESS_IN_USE] = {"address_in_use", "J1939: a higher-priority ECU holds the tool address 0xF9"},
	[API_ERR_GONE] = {"gone", "the bus went away while the request ran (reload, shutdown)"},
	[API_ERR_IO_ERROR] = {"io_error", "the daemon could not do it (send a frame, create or read a file)"},
	[API_ERR_INTERNAL] = {"internal", "out of memory or a similar daemon-side failure"},
};

const struct api_error_info *api_error_info(enum api_error e)
{
	if ((unsigned)e >= API_ERR_COUNT || !errors[e].code)
		e = API_ERR_INTERNAL;
	return &errors[e];
}

static const char *const topics[API_TOPIC_COUNT] = {
	[API_TOPIC_SIGNALS] = "signals",
	[API_TOPIC_FRAMES] = "frames",
	[API_TOPIC_BUS] = "bus",
	[API_TOPIC_FAULTS] = "faults",
};

const char *api_topic_name(enum api_topic t)
{
	return (unsigned)t < API_TOPIC_COUNT && topics[t] ? topics[t] : "";
}

enum api_topic api_topic_parse(const char *name)
{
	for (unsigned t = 1; name && t < API_TOPIC_COUNT; t++)
		if (!strcmp(name, topics[t]))
			return (enum api_topic)t;
	return API_TOPIC_NONE;
}

/* The DTC tables' languages (dbc/dtc/, dbc/dtc/ru/): what vehicle/dtc_text.h knows. */
static const char *const languages[] = {"en", "ru"};

unsigned api_language_count(void)
{
	return sizeof languages / sizeof languages[0];
}

const char *api_language(unsigned i)
{
	return i < api_language_count() ? languages[i] : NULL;
}

const char *api_language_parse(const char *s)
{
	for (unsigned i = 0; s && i < api_language_count(); i++)
		if (!strcmp(s, languages[i]))
			return languages[i];
	return NULL;
}

void api_language_error(char *out, size_t cap, const char *given)
{
	char known[64] = "";
	size_t n = 0;
	for (unsigned i = 0; i < api_language_count() && n < sizeof known; i++) {
		int w = snprintf(known + n, sizeof known - n, "%s\"%s\"", i ? ", " : "", languages[i]);
		n += w > 0 ? (size_t)w : 0;
	}
	snprintf(out, cap, "\"lang\" must be one of %s (the languages of DTC texts), not '%.32s'", known, given);
}
