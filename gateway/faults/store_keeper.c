// SPDX-License-Identifier: MIT
#include "faults/store_keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a store that cannot be written is looked at again (a reopen,
 * a probe of the lock); writes themselves are retried at every tick. */
#define RETRY_US 1000000
/* At shutdown a lock may be waited for this long: the last changes. */
#define FINAL_BUSY_MS 1000

const char *evgw_store_state_name(enum evgw_store_state s)
{
	switch (s) {
	case EVGW_STORE_OK: return "ok";
	case EVGW_STORE_MEMORY: return "memory";
	case EVGW_STORE_READ_ONLY: return "read_only";
	case EVGW_STORE_CORRUPT: return "corrupt";
	case EVGW_STORE_DELETED: return "deleted";
	case EVGW_STORE_LOCKED: return "locked";
	case EVGW_STORE_FULL: return "full";
	case EVGW_STORE_IO_ERROR: return "io_error";
	}
	return "unknown";
}

static void set_state(struct evgw_store_keeper *k, enum evgw_store_state s, int64_t now_real_us)
{
	if (k->state != s)
		k->since_us = now_real_us;
	k->state = s;
}

__attribute__((format(printf, 2, 3))) static void said(struct evgw_store_keeper *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->last_error, sizeof k->last_error, fmt, ap);
	va_end(ap);
}

/* What a failed write means for the store. */
static enum evgw_store_state state_of(int r)
{
	switch (r) {
	case -EBUSY: return EVGW_STORE_LOCKED;
	case -EROFS:
	case -EACCES:
	case -EPERM: return EVGW_STORE_READ_ONLY;
	case -EUCLEAN: return EVGW_STORE_CORRUPT;
	case -ENOSPC:
	case -EDQUOT: return EVGW_STORE_FULL;
	case -ENOENT: return EVGW_STORE_DELETED;
	default: return EVGW_STORE_IO_ERROR;
	}
}

/* The file at the path: its identity, or false when there is none. */
static bool file_at(const char *path, dev_t *dev, ino_t *ino)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return false;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return true;
}

static void drop_store(struct evgw_store_keeper *k)
{
	evgw_store_close(k->store);
	k->store = NULL;
	/* No store for the engine to write to; the keeper flushes only with one. */
	k->faults->store = NULL;
}

/* Open the store at the path, after a failure or none. `rewrite`: the
 * faults in memory are not (all) in this file: write them all again. */
static int open_store(struct evgw_store_keeper *k, int64_t now_real_us, bool rewrite)
{
	char err[256] = "";
	struct evgw_store *s = NULL;
	int r = evgw_store_open(k->path, &s, err, sizeof err);
	dev_t dev = 0;
	ino_t ino = 0;
	bool there = file_at(k->path, &dev, &ino);
	if (r < 0) {
		said(k, "%s", err[0] ? err : strerror(-r));
		enum evgw_store_state st = state_of(r);
		if (st == EVGW_STORE_CORRUPT && there) {
			/* Left as it is, and not tried again until it changes. */
			k->have_file = true;
			k->dev = dev;
			k->ino = ino;
		} else if (st == EVGW_STORE_LOCKED || (st == EVGW_STORE_READ_ONLY && there)) {
			/* A store is there: its faults wait for it. */
		} else {
			/* Nothing at the path can be opened or made (no
			 * directory, no permission): memory only, unless a
			 * store that went is being made again. */
			st = k->state == EVGW_STORE_DELETED ? EVGW_STORE_DELETED : EVGW_STORE_MEMORY;
		}
		set_state(k, st, now_real_us);
		return r;
	}
	if (there && k->have_file && (dev != k->dev || ino != k->ino))
		rewrite = true; /* another file than the one the faults were written to */
	k->store = s;
	k->have_file = there;
	k->dev = there ? dev : 0;
	k->ino = there ? ino : 0;
	evgw_faults_set_store(k->faults, s, rewrite);
	if (!evgw_store_writable(s)) {
		said(k, "%s: the file cannot be written (opened read-only)", k->path);
		set_state(k, EVGW_STORE_READ_ONLY, now_real_us);
		return -EROFS;
	}
	set_state(k, EVGW_STORE_OK, now_real_us);
	return 0;
}

int evgw_store_keeper_init(struct evgw_store_keeper *k, struct evgw_fault_engine *faults, const char *path,
			   int64_t now_mono_us, int64_t now_real_us)
{
	memset(k, 0, sizeof *k);
	k->faults = faults;
	k->path = strdup(path);
	k->state = EVGW_STORE_MEMORY;
	k->since_us = now_real_us;
	if (!k->path)
		return -ENOMEM;
	open_store(k, now_real_us, false);
	k->next_try_us = now_mono_us + RETRY_US;
	return 0;
}

/* A store that can take writes: with a store open, not read-only or
 * corrupt (those are reopened, not written). */
static bool writable(const struct evgw_store_keeper *k)
{
	return k->store && k->state != EVGW_STORE_READ_ONLY && k->state != EVGW_STORE_CORRUPT;
}

/* Write what is pending; the result decides the state. */
static int write_pending(struct evgw_store_keeper *k, int64_t now_real_us)
{
	if (k->state == EVGW_STORE_MEMORY && !k->store)
		return evgw_faults_flush(k->faults, now_real_us); /* told from memory */
	if (!writable(k))
		return -EAGAIN;
	if (!k->faults->n_pending)
		return 0;
	int r = evgw_faults_flush(k->faults, now_real_us);
	if (r >= 0) {
		set_state(k, EVGW_STORE_OK, now_real_us);
		return r;
	}
	said(k, "%s", evgw_store_errmsg(k->store));
	enum evgw_store_state st = state_of(r);
	set_state(k, st == EVGW_STORE_DELETED ? EVGW_STORE_IO_ERROR : st, now_real_us);
	if (st == EVGW_STORE_CORRUPT)
		drop_store(k); /* never written again; the file stays for a look */
	return r;
}

void evgw_store_keeper_fini(struct evgw_store_keeper *k, int64_t now_real_us)
{
	if (k->store && writable(k)) {
		evgw_store_set_busy_ms(k->store, FINAL_BUSY_MS);
		write_pending(k, now_real_us);
	} else if (!k->store && k->state == EVGW_STORE_MEMORY) {
		write_pending(k, now_real_us);
	}
	if (k->store)
		drop_store(k);
	free(k->path);
	k->path = NULL;
}

/* The file at the path is not the one open (deleted, or another put in its
 * place): make or open the store there, and write every fault into it. */
static void file_went(struct evgw_store_keeper *k, int64_t now_real_us, bool gone)
{
	if (k->store)
		drop_store(k);
	if (gone) {
		/* Its -wal and -shm belong to the file that went: a new
		 * database must not pick them up. */
		char side[4200];
		snprintf(side, sizeof side, "%s-wal", k->path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", k->path);
		unlink(side);
	}
	if (open_store(k, now_real_us, true) == 0) {
		k->recreated++;
		k->remade = true;
		k->remade_faults = k->faults->n;
	} else if (gone && k->state != EVGW_STORE_DELETED) {
		said(k, "%s was deleted and cannot be made again: %.180s", k->path, k->last_error);
		set_state(k, EVGW_STORE_DELETED, now_real_us);
	}
}

/* SQLite makes the -wal and -shm files with the database's mode: a store
 * opened while the database was read-only leaves a read-only -shm behind,
 * and then no connection can write, even after the database is made
 * writable again. The daemon made them: give them the database's mode. */
static void fix_side_files(const struct evgw_store_keeper *k)
{
	struct stat db;
	if (stat(k->path, &db) < 0)
		return;
	static const char *const sides[] = {"-wal", "-shm"};
	for (unsigned i = 0; i < 2; i++) {
		char side[4200];
		struct stat st;
		snprintf(side, sizeof side, "%s%s", k->path, sides[i]);
		if (stat(side, &st) == 0 && st.st_uid == geteuid() && faccessat(AT_FDCWD, side, W_OK, AT_EACCESS) < 0)
			chmod(side, db.st_mode & 0666);
	}
}

/* A write lock taken and given back: is the store usable again? */
static int probe(struct evgw_store_keeper *k)
{
	int r = evgw_store_begin(k->store);
	if (r == 0)
		evgw_store_rollback(k->store);
	return r;
}

int evgw_store_keeper_tick(struct evgw_store_keeper *k, int64_t now_mono_us, int64_t now_real_us)
{
	if (!k->path)
		return -EBADF;
	/* The file under the store (or the corrupt one left alone). */
	if (k->have_file) {
		dev_t dev = 0;
		ino_t ino = 0;
		bool there = file_at(k->path, &dev, &ino);
		if (!there || dev != k->dev || ino != k->ino) {
			k->have_file = false;
			file_went(k, now_real_us, !there);
			k->next_try_us = now_mono_us + RETRY_US;
		}
	}
	bool due = now_mono_us >= k->next_try_us;
	if (due)
		k->next_try_us = now_mono_us + RETRY_US;
	if (!k->store && k->state != EVGW_STORE_CORRUPT && due) {
		/* Memory only, locked at open, read-only, or a path where none
		 * could be made: try again. */
		bool remake = k->state == EVGW_STORE_DELETED;
		if (k->state == EVGW_STORE_READ_ONLY)
			fix_side_files(k);
		if (open_store(k, now_real_us, true) == 0 && remake) {
			k->recreated++;
			k->remade = true;
			k->remade_faults = k->faults->n;
		}
	} else if (k->store && k->state == EVGW_STORE_READ_ONLY && due &&
		   faccessat(AT_FDCWD, k->path, W_OK, AT_EACCESS) == 0) {
		/* Writable again (chmod, remount): a new connection sees it. */
		drop_store(k);
		fix_side_files(k);
		open_store(k, now_real_us, false);
	} else if (writable(k) && k->state != EVGW_STORE_OK && !k->faults->n_pending && due) {
		int r = probe(k);
		if (r == 0)
			set_state(k, EVGW_STORE_OK, now_real_us);
		else if (state_of(r) != EVGW_STORE_DELETED)
			set_state(k, state_of(r), now_real_us);
	}
	return write_pending(k, now_real_us);
}

int evgw_store_keeper_flush(struct evgw_store_keeper *k, int64_t now_real_us)
{
	return k->path ? write_pending(k, now_real_us) : -EBADF;
}

struct evgw_store *evgw_store_keeper_reader(struct evgw_store_keeper *k)
{
	return k->store;
}

void evgw_store_keeper_health(const struct evgw_store_keeper *k, struct evgw_store_health *h)
{
	h->state = k->state;
	h->path = k->path;
	h->pending = k->faults->n_pending;
	h->failures = k->faults->store_errors;
	h->recreated = k->recreated;
	h->since_us = k->since_us;
	h->last_error = k->last_error;
}

bool evgw_store_keeper_take_remade(struct evgw_store_keeper *k, unsigned *faults)
{
	if (!k->remade)
		return false;
	k->remade = false;
	*faults = k->remade_faults;
	return true;
}
