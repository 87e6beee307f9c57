// SPDX-License-Identifier: MIT
/* The fault store: SQLite in WAL mode, so faults and their history survive
 * a restart, a crash and a power cut, and the sqlite3 tool can read the file
 * while the daemon runs. The schema is documented in faults/SCHEMA.md and
 * versioned (PRAGMA user_version) with migrations applied at open. */
#ifndef EVGW_FAULTS_STORE_H
#define EVGW_FAULTS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "faults/fault.h"

#define EVGW_STORE_SCHEMA_VERSION 2
/* How long a write waits for another process's lock before it fails with
 * -EBUSY: the daemon's one loop must never wait on the database. */
#define EVGW_STORE_BUSY_MS 5

struct evgw_store;

/* Every call returns 0 (or a count or id) or a negative errno that says
 * what is wrong with the database: -EBUSY locked by another process, -EROFS
 * read-only, -EUCLEAN corrupt, -ENOSPC disk full, -ENOMEM, or the system's
 * error of a failed open or I/O (-ENOENT, -EACCES, -EIO...). */

/* Open (creating, migrating) the database at path and run SQLite's quick
 * check on it (-EUCLEAN when it fails). A file the process may not write
 * opens read-only: see evgw_store_writable. err gets a sentence. */
int evgw_store_open(const char *path, struct evgw_store **out, char *err, size_t errlen);
void evgw_store_close(struct evgw_store *s);
/* False when SQLite opened the file read-only (no write permission). */
bool evgw_store_writable(const struct evgw_store *s);
/* SQLite's words for the last error. */
const char *evgw_store_errmsg(const struct evgw_store *s);
/* The lock wait (EVGW_STORE_BUSY_MS unless changed: longer at shutdown). */
void evgw_store_set_busy_ms(struct evgw_store *s, int ms);

/* A vehicle session on a bus: keyed by VIN when known, else by bus and the
 * time it started. Returns the session id through *id. */
int evgw_store_session(struct evgw_store *s, const char *bus, const char *vin, int64_t now_us,
		       int64_t *id);

/* Name a session's vehicle. */
int evgw_store_session_vin(struct evgw_store *s, int64_t id, const char *vin);

/* Insert the fault (f->id == 0) or update it, and append a history row
 * (event: "raised", "changed", "cleared"), in one transaction: when this
 * returns 0 the change is on disk. */
int evgw_store_record(struct evgw_store *s, struct evgw_fault *f, const char *event, int64_t at_us);

/* The id of a row for this fault (bus, protocol, ECU, code, first seen),
 * 0 when there is none: a fault written again into a store that may
 * already hold it (a copy of an older store put in its place). */
int64_t evgw_store_find(struct evgw_store *s, const struct evgw_fault *f);

/* Group several records into one transaction (one disk sync). */
int evgw_store_begin(struct evgw_store *s);
int evgw_store_commit(struct evgw_store *s);
void evgw_store_rollback(struct evgw_store *s);

/* Every fault in the store, newest first (status filter: 0 = all), up to
 * limit; fn gets each (the fault is valid during the call). */
int evgw_store_list(struct evgw_store *s, int status, unsigned limit,
		    void (*fn)(void *ud, const struct evgw_fault *f), void *ud);

/* History rows of one fault, oldest first. */
int evgw_store_history(struct evgw_store *s, int64_t fault_id,
		       void (*fn)(void *ud, int64_t at_us, const char *event, const char *status),
		       void *ud);

/* One row of fault_history with its fault: the fault as the faults table
 * has it now, but with the status the change left it in. */
struct evgw_store_change {
	int64_t seq;              /* fault_history.id: grows with every change */
	int64_t at_us;
	const char *event;        /* "raised", "changed", "cleared" */
	struct evgw_fault fault;
};

/* The changes after seq `after`, oldest first, at most limit (0: 1000);
 * fn gets each (valid during the call). Returns how many, or a negative
 * errno. A consumer that must tell every change once (the MQTT bridge)
 * keeps the last seq it told. */
int evgw_store_changes(struct evgw_store *s, int64_t after, unsigned limit,
		       void (*fn)(void *ud, const struct evgw_store_change *c), void *ud);
/* The seq of the latest change (0: none yet), or a negative errno. */
int64_t evgw_store_last_change(struct evgw_store *s);
/* The seq of one fault's latest change (0: none), or a negative errno. */
int64_t evgw_store_last_change_of(struct evgw_store *s, int64_t fault_id);

#endif
