// SPDX-License-Identifier: MIT
/* A fault's or a read DTC's words in the language a client asks for.
 * Faults are recorded (and stored) in English; a client that asks for
 * another language ("lang":"ru" in the socket API) gets the code described
 * again from the DTC tables in that language (a GB/T 27930 charging fault
 * from charging/gbt27930_text.h's words). DBC faults keep their DBC's
 * own words (a signal, its value text, its comment), which have no
 * translation. */
#ifndef EVGW_DAEMON_DTC_WORDS_H
#define EVGW_DAEMON_DTC_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "faults/fault.h"

struct evgw_daemon;

/* The words for (protocol, raw code) on bus: code is the code as shown
 * ("P0A9B-00": a 3-byte UDS DTC; "P0A9B": 2 bytes), desc the English words
 * recorded with it. lang NULL, "" or "en", and DBC faults: desc itself.
 * Writes a terminated text into out (cut between UTF-8 characters) and
 * returns out. */
const char *evgw_daemon_dtc_words(struct evgw_daemon *d, const char *bus, enum evgw_fault_protocol p,
				  uint64_t raw, const char *code, const char *desc, const char *lang, char *out,
				  size_t cap);

#endif
