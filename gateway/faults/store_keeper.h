// SPDX-License-Identifier: MIT
/* The fault store's keeper: the one place that knows whether faults.db can
 * be written, and what to do when it cannot. A bench unit runs for months
 * with people around it: the file can be made read-only, deleted, replaced
 * with a copy, corrupted, locked by the sqlite3 tool, or its disk filled.
 *
 * - Each tick (about 10 a second) the keeper looks at the path: a file
 *   deleted or replaced under the open store is noticed at once (the
 *   daemon would otherwise write on into a deleted inode, and lose it all at
 *   exit), and a new store is made at the path, into which every fault in
 *   memory is written again (faults/engine.h: evgw_faults_set_store).
 * - Writes wait at most EVGW_STORE_BUSY_MS for another process's lock; a
 *   locked, full or failing store is retried at the next tick, a read-only
 *   one reopened once it can be written, a corrupt one (SQLite's quick check
 *   at open, or a write that trips on it) left alone until it is moved away
 *   or replaced. Meanwhile the changes stay in memory, untold (a client
 *   hears only of what is on disk), and are written when it can be.
 * - When no store can be opened at all (the state directory cannot be
 *   written), the daemon runs on memory only: faults are told as they
 *   happen, and written (silently) if a store can be opened later.
 * The keeper only reports; the daemon logs (fault_sources.c) and the API
 * shows evgw_store_health (status.store). */
#ifndef EVGW_FAULTS_STORE_KEEPER_H
#define EVGW_FAULTS_STORE_KEEPER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "faults/engine.h"
#include "faults/store.h"

enum evgw_store_state {
	EVGW_STORE_OK = 0,
	EVGW_STORE_MEMORY,    /* no store could be opened: faults live in memory only */
	EVGW_STORE_READ_ONLY, /* the file (or its file system) cannot be written */
	EVGW_STORE_CORRUPT,   /* quick_check failed at open, or a write found corruption */
	EVGW_STORE_DELETED,   /* the file went (or was replaced) and none could be made there */
	EVGW_STORE_LOCKED,    /* another process holds the write lock */
	EVGW_STORE_FULL,      /* no space left */
	EVGW_STORE_IO_ERROR,  /* any other failure */
};

/* "ok", "memory", "read_only", "corrupt", "deleted", "locked", "full",
 * "io_error": the words of the API and the log. */
const char *evgw_store_state_name(enum evgw_store_state s);

/* What a consumer shows (valid until the next tick). */
struct evgw_store_health {
	enum evgw_store_state state;
	const char *path;
	unsigned pending;       /* fault changes waiting to be written (and told) */
	uint64_t failures;      /* writes that failed since start */
	uint64_t recreated;     /* stores made anew after the file went */
	int64_t since_us;       /* wall clock: when the store entered this state */
	const char *last_error; /* the last failure's words, "" before any */
};

struct evgw_store_keeper {
	char *path;
	struct evgw_fault_engine *faults;
	struct evgw_store *store;     /* NULL: none open */
	enum evgw_store_state state;
	bool have_file;               /* dev/ino: the file opened, or found corrupt */
	dev_t dev;
	ino_t ino;
	int64_t since_us;
	int64_t next_try_us;          /* monotonic: the next open, reopen or probe */
	uint64_t recreated;
	unsigned remade_faults;       /* faults written again into a new store... */
	bool remade;                  /* ...which the caller has not said yet */
	char last_error[256];
};

/* Open the store at path for the engine (which has no store yet). Never
 * fails but for memory (-ENOMEM); the state says how it went. */
int evgw_store_keeper_init(struct evgw_store_keeper *k, struct evgw_fault_engine *faults, const char *path,
			   int64_t now_mono_us, int64_t now_real_us);
/* A last write of what is pending (waiting up to a second for a lock),
 * then close. */
void evgw_store_keeper_fini(struct evgw_store_keeper *k, int64_t now_real_us);

/* The periodic work: watch the file, retry what failed, write what is
 * pending. Returns the faults written (and told), or a negative errno
 * when nothing could be. */
int evgw_store_keeper_tick(struct evgw_store_keeper *k, int64_t now_mono_us, int64_t now_real_us);
/* Write what is pending now, when the store can take it (a request that
 * answers from the store wants it there first); never waits on a lock for
 * more than EVGW_STORE_BUSY_MS. */
int evgw_store_keeper_flush(struct evgw_store_keeper *k, int64_t now_real_us);

/* The store to read history from, or NULL (then memory is all there is). */
struct evgw_store *evgw_store_keeper_reader(struct evgw_store_keeper *k);

void evgw_store_keeper_health(const struct evgw_store_keeper *k, struct evgw_store_health *h);

/* A new store was made in place of one that went: true once, with the
 * number of faults written into it again. */
bool evgw_store_keeper_take_remade(struct evgw_store_keeper *k, unsigned *faults);

#endif
