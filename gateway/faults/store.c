// SPDX-License-Identifier: MIT
#include "faults/store.h"

#include <errno.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct evgw_store {
	sqlite3 *db;
	sqlite3_stmt *insert, *update, *history, *session_new, *find;
};

/* A SQLite result as a negative errno: what went wrong, in the words the
 * store's keeper (store_keeper.h) tells apart. */
static int err_of(sqlite3 *db, int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EUCLEAN;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR: {
		int e = db ? sqlite3_system_errno(db) : 0;
		return e > 0 ? -e : -EIO;
	}
	default:
		return -EIO;
	}
}

static int exec(struct evgw_store *s, const char *sql)
{
	return err_of(s->db, sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

/* Version 1. Times are Unix seconds (REAL, microsecond precision). */
static const char schema_v1[] =
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  bus TEXT NOT NULL,"
	"  vin TEXT,"
	"  started_at REAL NOT NULL);"
	"CREATE TABLE faults ("
	"  id INTEGER PRIMARY KEY,"
	"  session_id INTEGER REFERENCES sessions(id),"
	"  bus TEXT NOT NULL,"
	"  ecu INTEGER NOT NULL,"
	"  ecu_name TEXT NOT NULL,"
	"  protocol TEXT NOT NULL,"
	"  raw_code INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  lamp TEXT NOT NULL,"
	"  first_seen REAL NOT NULL,"
	"  last_seen REAL NOT NULL,"
	"  occurrences INTEGER NOT NULL,"
	"  freeze_frame TEXT);"
	"CREATE INDEX faults_status ON faults(status);"
	"CREATE TABLE fault_history ("
	"  id INTEGER PRIMARY KEY,"
	"  fault_id INTEGER NOT NULL REFERENCES faults(id),"
	"  at REAL NOT NULL,"
	"  event TEXT NOT NULL,"
	"  status TEXT NOT NULL);"
	"CREATE INDEX fault_history_fault ON fault_history(fault_id);";

/* Version 2: faults from definitions below "public" confidence that no
 * shop confirmed are observations (vehicle/confidence.h); older rows were
 * all told as faults. */
static const char schema_v2[] = "ALTER TABLE faults ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;";

static const char *const migrations[] = {schema_v1, schema_v2};

/* The error of the last call, said in err; rc (a SQLite result, 0: the
 * connection's last) chooses the errno. */
static int fail_rc(struct evgw_store *s, int rc, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "out of memory");
	if (!s->db)
		return -ENOMEM;
	int r = err_of(s->db, rc ? rc : sqlite3_extended_errcode(s->db));
	return r ? r : -EIO;
}

static int fail(struct evgw_store *s, char *err, size_t errlen, const char *what)
{
	return fail_rc(s, 0, err, errlen, what);
}

static int migrate(struct evgw_store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int version = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return fail(s, err, errlen, "reading the schema version");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail_rc(s, rc, err, errlen, "reading the schema version");
	if (version > EVGW_STORE_SCHEMA_VERSION) {
		snprintf(err, errlen, "the database has schema version %d; this evgwd knows up to %d",
			 version, EVGW_STORE_SCHEMA_VERSION);
		return -EPROTO;
	}
	for (int v = version; v < EVGW_STORE_SCHEMA_VERSION; v++) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", v + 1);
		int r = exec(s, "BEGIN IMMEDIATE;");
		if (r == 0)
			r = exec(s, migrations[v]);
		if (r == 0)
			r = exec(s, sql);
		if (r == 0)
			r = exec(s, "COMMIT;");
		if (r < 0) {
			snprintf(err, errlen, "migrating the schema: %s", sqlite3_errmsg(s->db));
			sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
			return r;
		}
	}
	return 0;
}

static int prepare(struct evgw_store *s, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* SQLite's own quick check (the b-trees and their pages, not the indexes'
 * contents): a store that is corrupt is said at once, not at the first
 * write that trips on it. */
static int check(struct evgw_store *s, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail_rc(s, rc, err, errlen, "checking the database");
	rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW) {
		const char *res = (const char *)sqlite3_column_text(st, 0);
		if (!res || strcmp(res, "ok")) {
			snprintf(err, errlen, "the database is corrupt (quick_check: %.160s)", res ? res : "?");
			r = -EUCLEAN;
		}
	} else {
		r = fail_rc(s, rc, err, errlen, "checking the database");
	}
	sqlite3_finalize(st);
	return r;
}

int evgw_store_open(const char *path, struct evgw_store **out, char *err, size_t errlen)
{
	*out = NULL;
	struct evgw_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		int r = fail_rc(s, rc, err, errlen, path);
		evgw_store_close(s);
		return r;
	}
	/* Another process holding the write lock (the sqlite3 tool in a
	 * transaction) must never stall the daemon's loop: a write that finds
	 * it busy fails within a few ms and is retried later. */
	sqlite3_busy_timeout(s->db, EVGW_STORE_BUSY_MS);
	/* WAL: readers (the sqlite3 tool) never block the daemon; FULL: a
	 * change reported to a client is on disk, power cut or not. */
	int r = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
	if (r < 0)
		r = fail(s, err, errlen, path);
	if (r == 0)
		r = check(s, err, errlen);
	if (r == 0)
		r = migrate(s, err, errlen);
	if (r == 0 &&
	    (prepare(s,
		     "INSERT INTO faults (session_id, bus, ecu, ecu_name, protocol, raw_code, code, description,"
		     " status, severity, lamp, first_seen, last_seen, occurrences, freeze_frame, unconfirmed)"
		     " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
		     &s->insert) < 0 ||
	     prepare(s,
		     "UPDATE faults SET status=?1, severity=?2, lamp=?3, last_seen=?4, occurrences=?5,"
		     " description=?6, ecu_name=?7, unconfirmed=?9 WHERE id=?8",
		     &s->update) < 0 ||
	     prepare(s, "INSERT INTO fault_history (fault_id, at, event, status) VALUES (?1,?2,?3,?4)",
		     &s->history) < 0 ||
	     prepare(s, "INSERT INTO sessions (bus, vin, started_at) VALUES (?1,?2,?3)", &s->session_new) < 0 ||
	     prepare(s,
		     "SELECT id FROM faults WHERE bus=?1 AND protocol=?2 AND ecu=?3 AND raw_code=?4"
		     " AND first_seen=?5 ORDER BY id DESC LIMIT 1",
		     &s->find) < 0))
		r = fail(s, err, errlen, "preparing statements");
	if (r < 0) {
		evgw_store_close(s);
		return r;
	}
	*out = s;
	return 0;
}

bool evgw_store_writable(const struct evgw_store *s)
{
	return sqlite3_db_readonly(s->db, "main") == 0;
}

const char *evgw_store_errmsg(const struct evgw_store *s)
{
	return sqlite3_errmsg(s->db);
}

void evgw_store_set_busy_ms(struct evgw_store *s, int ms)
{
	sqlite3_busy_timeout(s->db, ms);
}

void evgw_store_close(struct evgw_store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->history);
	sqlite3_finalize(s->session_new);
	sqlite3_finalize(s->find);
	sqlite3_close(s->db);
	free(s);
}

static double secs(int64_t us)
{
	return (double)us / 1e6;
}

int evgw_store_session(struct evgw_store *s, const char *bus, const char *vin, int64_t now_us,
		       int64_t *id)
{
	sqlite3_stmt *st = s->session_new;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, bus, -1, SQLITE_TRANSIENT);
	if (vin)
		sqlite3_bind_text(st, 2, vin, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_double(st, 3, secs(now_us));
	int r = err_of(s->db, sqlite3_step(st));
	sqlite3_reset(st);
	if (r < 0)
		return r;
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int evgw_store_session_vin(struct evgw_store *s, int64_t id, const char *vin)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, "UPDATE sessions SET vin = ?1 WHERE id = ?2", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return err_of(s->db, rc);
	sqlite3_bind_text(st, 1, vin, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	int r = err_of(s->db, sqlite3_step(st));
	sqlite3_finalize(st);
	return r;
}

static int step_done(struct evgw_store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	int r = err_of(s->db, rc);
	return r ? r : rc == SQLITE_DONE ? 0 : -EIO;
}

int evgw_store_begin(struct evgw_store *s)
{
	return exec(s, "BEGIN IMMEDIATE;");
}

int evgw_store_commit(struct evgw_store *s)
{
	int r = exec(s, "COMMIT;");
	if (r < 0 && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
	return r;
}

int64_t evgw_store_find(struct evgw_store *s, const struct evgw_fault *f)
{
	sqlite3_stmt *st = s->find;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, f->bus, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, evgw_fault_protocol_name(f->protocol), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, f->ecu);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)f->raw_code);
	sqlite3_bind_double(st, 5, secs(f->first_seen_us));
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int r = err_of(s->db, rc);
	sqlite3_reset(st);
	return r < 0 ? r : id;
}

void evgw_store_rollback(struct evgw_store *s)
{
	sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
}

int evgw_store_record(struct evgw_store *s, struct evgw_fault *f, const char *event, int64_t at_us)
{
	/* Inside the caller's transaction, or one of its own. */
	bool own = sqlite3_get_autocommit(s->db) != 0;
	int r;
	if (own && (r = evgw_store_begin(s)) < 0)
		return r;
	sqlite3_stmt *st;
	if (!f->id) {
		st = s->insert;
		sqlite3_reset(st);
		if (f->session_id > 0)
			sqlite3_bind_int64(st, 1, f->session_id);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_text(st, 2, f->bus, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, f->ecu);
		sqlite3_bind_text(st, 4, f->ecu_name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, evgw_fault_protocol_name(f->protocol), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)f->raw_code);
		sqlite3_bind_text(st, 7, f->code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, f->description, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 9, evgw_fault_status_name(f->status), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, evgw_fault_severity_name(f->severity), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, f->lamp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(st, 12, secs(f->first_seen_us));
		sqlite3_bind_double(st, 13, secs(f->last_seen_us));
		sqlite3_bind_int(st, 14, (int)f->occurrences);
		if (f->freeze_frame)
			sqlite3_bind_text(st, 15, f->freeze_frame, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 15);
		sqlite3_bind_int(st, 16, f->unconfirmed);
		r = step_done(s, st);
		if (r == 0)
			f->id = sqlite3_last_insert_rowid(s->db);
	} else {
		st = s->update;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, evgw_fault_status_name(f->status), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, evgw_fault_severity_name(f->severity), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->lamp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(st, 4, secs(f->last_seen_us));
		sqlite3_bind_int(st, 5, (int)f->occurrences);
		sqlite3_bind_text(st, 6, f->description, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, f->ecu_name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 8, f->id);
		sqlite3_bind_int(st, 9, f->unconfirmed);
		r = step_done(s, st);
	}
	if (r == 0) {
		st = s->history;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, f->id);
		sqlite3_bind_double(st, 2, secs(at_us));
		sqlite3_bind_text(st, 3, event, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, evgw_fault_status_name(f->status), -1, SQLITE_STATIC);
		r = step_done(s, st);
	}
	if (!own)
		return r;
	if (r == 0)
		return evgw_store_commit(s);
	evgw_store_rollback(s);
	return r;
}

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
	snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

static enum evgw_fault_protocol protocol_from(const unsigned char *s)
{
	for (int p = EVGW_FP_DBC; p <= EVGW_FP_GBT27930; p++)
		if (s && !strcmp((const char *)s, evgw_fault_protocol_name((enum evgw_fault_protocol)p)))
			return (enum evgw_fault_protocol)p;
	return EVGW_FP_DBC;
}

static enum evgw_fault_severity severity_from(const unsigned char *s)
{
	for (int v = EVGW_SEV_INFO; v <= EVGW_SEV_CRITICAL; v++)
		if (s && !strcmp((const char *)s, evgw_fault_severity_name((enum evgw_fault_severity)v)))
			return (enum evgw_fault_severity)v;
	return EVGW_SEV_WARNING;
}

/* The faults table's columns id, session_id, bus, ecu, ecu_name, protocol,
 * raw_code, code, description, status, severity, lamp, first_seen,
 * last_seen, occurrences, freeze_frame, unconfirmed from column col of a row; texts are
 * valid until the next step. */
static void fault_row(sqlite3_stmt *st, int col, struct evgw_fault *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(st, col + 0);
	f->session_id = sqlite3_column_int64(st, col + 1);
	copy_text(f->bus, sizeof f->bus, sqlite3_column_text(st, col + 2));
	f->ecu = sqlite3_column_int(st, col + 3);
	copy_text(f->ecu_name, sizeof f->ecu_name, sqlite3_column_text(st, col + 4));
	f->protocol = protocol_from(sqlite3_column_text(st, col + 5));
	f->raw_code = (uint64_t)sqlite3_column_int64(st, col + 6);
	copy_text(f->code, sizeof f->code, sqlite3_column_text(st, col + 7));
	copy_text(f->description, sizeof f->description, sqlite3_column_text(st, col + 8));
	int stv = evgw_fault_status_parse((const char *)sqlite3_column_text(st, col + 9));
	f->status = stv > 0 ? (enum evgw_fault_status)stv : EVGW_FS_CLEARED;
	f->severity = severity_from(sqlite3_column_text(st, col + 10));
	copy_text(f->lamp, sizeof f->lamp, sqlite3_column_text(st, col + 11));
	f->first_seen_us = (int64_t)(sqlite3_column_double(st, col + 12) * 1e6 + 0.5);
	f->last_seen_us = (int64_t)(sqlite3_column_double(st, col + 13) * 1e6 + 0.5);
	f->occurrences = (uint32_t)sqlite3_column_int(st, col + 14);
	f->freeze_frame = (char *)sqlite3_column_text(st, col + 15);
	f->unconfirmed = sqlite3_column_int(st, col + 16) != 0;
}

int evgw_store_list(struct evgw_store *s, int status, unsigned limit,
		    void (*fn)(void *ud, const struct evgw_fault *f), void *ud)
{
	sqlite3_stmt *st;
	const char *sql = status > 0
		? "SELECT id, session_id, bus, ecu, ecu_name, protocol, raw_code, code, description, status,"
		  " severity, lamp, first_seen, last_seen, occurrences, freeze_frame, unconfirmed FROM faults"
		  " WHERE status = ?1 ORDER BY last_seen DESC LIMIT ?2"
		: "SELECT id, session_id, bus, ecu, ecu_name, protocol, raw_code, code, description, status,"
		  " severity, lamp, first_seen, last_seen, occurrences, freeze_frame, unconfirmed FROM faults"
		  " WHERE ?1 IS NULL OR 1 ORDER BY last_seen DESC LIMIT ?2";
	int prc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (prc != SQLITE_OK)
		return err_of(s->db, prc) ? err_of(s->db, prc) : -EIO;
	if (status > 0)
		sqlite3_bind_text(st, 1, evgw_fault_status_name((enum evgw_fault_status)status), -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int(st, 2, (int)(limit ? limit : 1000));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct evgw_fault f;
		fault_row(st, 0, &f);
		fn(ud, &f);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : err_of(s->db, rc) ? err_of(s->db, rc) : -EIO;
}

int evgw_store_history(struct evgw_store *s, int64_t fault_id,
		       void (*fn)(void *ud, int64_t at_us, const char *event, const char *status),
		       void *ud)
{
	sqlite3_stmt *st;
	int prc = sqlite3_prepare_v2(s->db, "SELECT at, event, status FROM fault_history WHERE fault_id = ?1 ORDER BY id",
				     -1, &st, NULL);
	if (prc != SQLITE_OK)
		return err_of(s->db, prc) ? err_of(s->db, prc) : -EIO;
	sqlite3_bind_int64(st, 1, fault_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(ud, (int64_t)(sqlite3_column_double(st, 0) * 1e6 + 0.5),
		   (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : err_of(s->db, rc) ? err_of(s->db, rc) : -EIO;
}

int evgw_store_changes(struct evgw_store *s, int64_t after, unsigned limit,
		       void (*fn)(void *ud, const struct evgw_store_change *c), void *ud)
{
	sqlite3_stmt *st;
	int prc = sqlite3_prepare_v2(s->db,
				     "SELECT h.id, h.at, h.event, h.status, f.id, f.session_id, f.bus, f.ecu,"
				     " f.ecu_name, f.protocol, f.raw_code, f.code, f.description, f.status, f.severity,"
				     " f.lamp, f.first_seen, f.last_seen, f.occurrences, f.freeze_frame, f.unconfirmed"
				     " FROM fault_history h JOIN faults f ON f.id = h.fault_id"
				     " WHERE h.id > ?1 ORDER BY h.id LIMIT ?2",
				     -1, &st, NULL);
	if (prc != SQLITE_OK)
		return err_of(s->db, prc) ? err_of(s->db, prc) : -EIO;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int(st, 2, (int)(limit ? limit : 1000));
	int rc, n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct evgw_store_change c;
		fault_row(st, 4, &c.fault);
		c.seq = sqlite3_column_int64(st, 0);
		c.at_us = (int64_t)(sqlite3_column_double(st, 1) * 1e6 + 0.5);
		c.event = (const char *)sqlite3_column_text(st, 2);
		if (!c.event)
			c.event = "changed";
		int stv = evgw_fault_status_parse((const char *)sqlite3_column_text(st, 3));
		if (stv > 0)
			c.fault.status = (enum evgw_fault_status)stv;
		fn(ud, &c);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return err_of(s->db, rc) ? err_of(s->db, rc) : -EIO;
	return n;
}

int64_t evgw_store_last_change(struct evgw_store *s)
{
	sqlite3_stmt *st;
	int prc = sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(id), 0) FROM fault_history", -1, &st, NULL);
	if (prc != SQLITE_OK)
		return err_of(s->db, prc) ? err_of(s->db, prc) : -EIO;
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (id < 0)
		return err_of(s->db, rc) ? err_of(s->db, rc) : -EIO;
	return id;
}

int64_t evgw_store_last_change_of(struct evgw_store *s, int64_t fault_id)
{
	sqlite3_stmt *st;
	int prc = sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(id), 0) FROM fault_history WHERE fault_id = ?1", -1,
				     &st, NULL);
	if (prc != SQLITE_OK)
		return err_of(s->db, prc) ? err_of(s->db, prc) : -EIO;
	sqlite3_bind_int64(st, 1, fault_id);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (id < 0)
		return err_of(s->db, rc) ? err_of(s->db, rc) : -EIO;
	return id;
}
