// SPDX-License-Identifier: MIT
/* The fault engine and its SQLite store, and the fault-word rule for DBC
 * value tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus/bus_faults.h"
#include "faults/engine.h"
#include "faults/store.h"

static bool word(const char *s)
{
	return evgw_fault_word(evgw_str_make(s, (uint32_t)strlen(s)));
}

static void test_fault_words(void **state)
{
	(void)state;
	/* Texts from real DBC value tables (BYD, Sealion, opendbc). */
	assert_true(word("FAULT"));
	assert_true(word("FAILED"));
	assert_true(word("ERROR"));
	assert_true(word("Failure"));
	assert_true(word("PermanentFailure"));
	assert_true(word("DEFECT"));
	assert_true(word("Sensor_Malfunction"));
	assert_false(word("NoFault"));
	assert_false(word("No error"));
	assert_false(word("not failed"));
	assert_false(word("OK"));
	assert_false(word("TooLarge"));
	assert_false(word("CAMERA_BLOCKED"));
	assert_false(word(""));
}

struct events {
	char log[16][80];
	int n;
};

static void on_event(void *ud, const struct evgw_fault *f, enum evgw_fault_event event)
{
	struct events *ev = ud;
	if (ev->n < 16)
		snprintf(ev->log[ev->n++], 80, "%s %s %s", evgw_fault_event_name(event), f->code,
			 evgw_fault_status_name(f->status));
}

static struct evgw_fault tmpl(const char *bus, const char *code, uint64_t raw)
{
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "%s", bus);
	t.ecu = 0xF3;
	snprintf(t.code, sizeof t.code, "%s", code);
	snprintf(t.description, sizeof t.description, "desc of %s", code);
	t.protocol = EVGW_FP_J1939;
	t.raw_code = raw;
	t.severity = EVGW_SEV_WARNING;
	return t;
}

static char *temp_db(void)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/evgw-faults-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

static void remove_db(const char *path)
{
	char p[96];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static void test_engine_life(void **state)
{
	(void)state;
	struct evgw_fault_engine e;
	struct events ev = {.n = 0};
	evgw_faults_init(&e, NULL, on_event, &ev);
	struct evgw_fault a = tmpl("ebus", "SPN 190 FMI 2", 190 | (2u << 19));
	assert_int_equal(evgw_faults_raise(&e, &a, "{\"x\":1}", 1000000), 0);
	/* Nothing is told before it is written. */
	assert_int_equal(ev.n, 0);
	assert_int_equal(evgw_faults_flush(&e, 1000000), 1);
	assert_int_equal(ev.n, 1);
	/* Still active: no new event. */
	assert_int_equal(evgw_faults_raise(&e, &a, NULL, 2000000), 0);
	assert_int_equal(evgw_faults_flush(&e, 2000000), 0);
	assert_int_equal(ev.n, 1);
	const struct evgw_fault *f = evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, a.raw_code);
	assert_non_null(f);
	assert_int_equal(f->occurrences, 1);
	assert_int_equal(f->first_seen_us, 1000000);
	assert_int_equal(f->last_seen_us, 2000000);
	assert_string_equal(f->freeze_frame, "{\"x\":1}");
	/* A severity change is an event of its own. */
	a.severity = EVGW_SEV_CRITICAL;
	evgw_faults_raise(&e, &a, NULL, 2500000);
	evgw_faults_flush(&e, 2500000);
	assert_string_equal(ev.log[1], "changed SPN 190 FMI 2 active");
	assert_int_equal(evgw_faults_clear(&e, "ebus", EVGW_FP_J1939, 0xF3, a.raw_code, 3000000), 0);
	evgw_faults_flush(&e, 3000000);
	assert_string_equal(ev.log[2], "cleared SPN 190 FMI 2 cleared");
	/* Back again: the same fault, counted twice. */
	evgw_faults_raise(&e, &a, NULL, 4000000);
	evgw_faults_flush(&e, 4000000);
	assert_int_equal(f->occurrences, 2);
	assert_string_equal(ev.log[3], "raised SPN 190 FMI 2 active");
	/* Flapping within one flush: one event, the latest state, every occurrence counted. */
	for (int k = 0; k < 50; k++) {
		evgw_faults_clear(&e, "ebus", EVGW_FP_J1939, 0xF3, a.raw_code, 4100000 + k);
		evgw_faults_raise(&e, &a, NULL, 4100000 + k);
	}
	assert_int_equal(evgw_faults_flush(&e, 4200000), 1);
	assert_int_equal(ev.n, 5);
	assert_string_equal(ev.log[4], "raised SPN 190 FMI 2 active");
	assert_int_equal(f->occurrences, 52);
	/* A DM1-style list without it clears it; one with it keeps it. */
	uint64_t keep = a.raw_code, other = 84;
	evgw_faults_clear_absent(&e, "ebus", EVGW_FP_J1939, 0xF3, EVGW_FS_ACTIVE, &keep, 1, 5000000);
	assert_int_equal(f->status, EVGW_FS_ACTIVE);
	evgw_faults_clear_absent(&e, "ebus", EVGW_FP_J1939, 0xF3, EVGW_FS_ACTIVE, &other, 1, 6000000);
	assert_int_equal(f->status, EVGW_FS_CLEARED);
	evgw_faults_flush(&e, 6000000);
	/* Another bus, same code: another fault. */
	struct evgw_fault b = tmpl("car", "SPN 190 FMI 2", a.raw_code);
	evgw_faults_raise(&e, &b, NULL, 7000000);
	assert_int_equal(e.n, 2);
	evgw_faults_fini(&e);
}

struct listed {
	int n;
	char codes[8][64];
	char status[8][16];
	uint32_t occ[8];
};

static void on_list(void *ud, const struct evgw_fault *f)
{
	struct listed *l = ud;
	if (l->n < 8) {
		snprintf(l->codes[l->n], 64, "%s", f->code);
		snprintf(l->status[l->n], 16, "%s", evgw_fault_status_name(f->status));
		l->occ[l->n] = f->occurrences;
		l->n++;
	}
}

static void on_history(void *ud, int64_t at, const char *event, const char *status)
{
	int *n = ud;
	(*n)++;
}

static void test_store_survives_reopen(void **state)
{
	(void)state;
	char *path = temp_db();
	char err[256];
	struct evgw_store *s;
	assert_int_equal(evgw_store_open(path, &s, err, sizeof err), 0);
	struct evgw_fault_engine e;
	evgw_faults_init(&e, s, NULL, NULL);
	struct evgw_fault a = tmpl("ebus", "SPN 84 FMI 9", 84 | (9u << 19));
	struct evgw_fault b = tmpl("ebus", "SPN 100 FMI 1", 100 | (1u << 19));
	evgw_faults_raise(&e, &a, "{\"speed\":42}", 1000000);
	evgw_faults_flush(&e, 1000000);
	evgw_faults_raise(&e, &b, NULL, 2000000);
	evgw_faults_flush(&e, 2000000);
	evgw_faults_clear(&e, "ebus", EVGW_FP_J1939, 0xF3, b.raw_code, 3000000);
	evgw_faults_flush(&e, 3000000);
	evgw_faults_raise(&e, &b, NULL, 4000000);
	evgw_faults_flush(&e, 4000000);
	int64_t id_b = evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, b.raw_code)->id;
	/* The VIN names the bus's session; another VIN on the same bus is another vehicle. */
	int64_t s1 = evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, b.raw_code)->session_id;
	assert_int_equal(evgw_faults_vehicle(&e, "ebus", "LGXCE4CB0N0123456", 5000000), s1);
	assert_int_equal(evgw_faults_vehicle(&e, "ebus", "LGXCE4CB0N0123456", 5100000), s1);
	int64_t s2 = evgw_faults_vehicle(&e, "ebus", "WDB9634031L123456", 6000000);
	assert_true(s2 > s1);
	struct evgw_fault c = tmpl("ebus", "SPN 1 FMI 1", 1 | (1u << 19));
	evgw_faults_raise(&e, &c, NULL, 7000000);
	evgw_faults_flush(&e, 7000000);
	/* The engine keeps one fault per key: the new vehicle's faults go in its session. */
	assert_int_equal(evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, c.raw_code)->session_id, s2);
	/* Closed without any shutdown work: what was reported is on disk. */
	evgw_faults_fini(&e);
	evgw_store_close(s);

	assert_int_equal(evgw_store_open(path, &s, err, sizeof err), 0);
	struct listed l = {0};
	assert_int_equal(evgw_store_list(s, 0, 100, on_list, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.codes[0], "SPN 1 FMI 1"); /* newest first: the second vehicle's */
	assert_string_equal(l.codes[1], "SPN 100 FMI 1");
	assert_string_equal(l.status[1], "active");
	assert_int_equal(l.occ[1], 2);
	assert_string_equal(l.codes[2], "SPN 84 FMI 9");
	memset(&l, 0, sizeof l);
	assert_int_equal(evgw_store_list(s, EVGW_FS_CLEARED, 100, on_list, &l), 0);
	assert_int_equal(l.n, 0);
	int hist = 0;
	assert_int_equal(evgw_store_history(s, id_b, on_history, &hist), 0);
	assert_int_equal(hist, 3); /* raised, cleared, raised */
	evgw_store_close(s);

	/* The file is an ordinary SQLite database: check it with SQLite itself. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sessions WHERE vin IS NOT NULL", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), EVGW_STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	remove_db(path);
}

static void test_store_refuses_newer_schema(void **state)
{
	(void)state;
	char *path = temp_db();
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char err[256] = "";
	struct evgw_store *s;
	assert_true(evgw_store_open(path, &s, err, sizeof err) < 0);
	assert_non_null(strstr(err, "schema version 99"));
	remove_db(path);
}

struct listed_one {
	char code[64], severity[16], status[16];
	bool unconfirmed;
	int n;
};

static void on_list_one(void *ud, const struct evgw_fault *f)
{
	struct listed_one *l = ud;
	if (l->n++)
		return; /* newest first: keep the first */
	snprintf(l->code, sizeof l->code, "%s", f->code);
	snprintf(l->severity, sizeof l->severity, "%s", evgw_fault_severity_name(f->severity));
	snprintf(l->status, sizeof l->status, "%s", evgw_fault_status_name(f->status));
	l->unconfirmed = f->unconfirmed;
}

/* A faults.db written by an evgwd of schema version 1 (its tables as
 * SCHEMA.md version 1 gives them, typed here, not taken from store.c):
 * opened, it gains the unconfirmed column with its rows kept as they were
 * told (faults, unconfirmed 0), and new rows carry the flag. */
static void test_store_migrates_v1(void **state)
{
	(void)state;
	char *path = temp_db();
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE sessions (id INTEGER PRIMARY KEY, bus TEXT NOT NULL, vin TEXT,"
			     " started_at REAL NOT NULL);"
			     "CREATE TABLE faults (id INTEGER PRIMARY KEY, session_id INTEGER REFERENCES sessions(id),"
			     " bus TEXT NOT NULL, ecu INTEGER NOT NULL, ecu_name TEXT NOT NULL, protocol TEXT NOT NULL,"
			     " raw_code INTEGER NOT NULL, code TEXT NOT NULL, description TEXT NOT NULL,"
			     " status TEXT NOT NULL, severity TEXT NOT NULL, lamp TEXT NOT NULL, first_seen REAL NOT NULL,"
			     " last_seen REAL NOT NULL, occurrences INTEGER NOT NULL, freeze_frame TEXT);"
			     "CREATE INDEX faults_status ON faults(status);"
			     "CREATE TABLE fault_history (id INTEGER PRIMARY KEY, fault_id INTEGER NOT NULL"
			     " REFERENCES faults(id), at REAL NOT NULL, event TEXT NOT NULL, status TEXT NOT NULL);"
			     "CREATE INDEX fault_history_fault ON fault_history(fault_id);"
			     "INSERT INTO sessions VALUES (1, 'car', NULL, 1700000000.0);"
			     "INSERT INTO faults VALUES (1, 1, 'car', -1, 'ESP_ECU', 'dbc', 12345,"
			     " 'WHEEL_SPEED_STATUS.FAULT_FL', 'FAULT_FL = FAULT', 'active', 'error', '',"
			     " 1700000001.0, 1700000002.0, 1, '{}');"
			     "INSERT INTO fault_history VALUES (1, 1, 1700000001.0, 'raised', 'active');"
			     "PRAGMA user_version = 1;",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);

	char err[256] = "";
	struct evgw_store *s;
	assert_int_equal(evgw_store_open(path, &s, err, sizeof err), 0);
	struct listed_one l = {0};
	assert_int_equal(evgw_store_list(s, 0, 10, on_list_one, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.code, "WHEEL_SPEED_STATUS.FAULT_FL");
	assert_string_equal(l.severity, "error");
	assert_false(l.unconfirmed);

	/* A new observation keeps its flag through the store. */
	struct evgw_fault f = tmpl("car", "ACC_HUD_ADAS.COUNTER", 777);
	f.severity = EVGW_SEV_INFO;
	f.unconfirmed = true;
	f.session_id = 1;
	f.first_seen_us = f.last_seen_us = 1700000010000000;
	assert_int_equal(evgw_store_record(s, &f, "raised", f.first_seen_us), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(evgw_store_list(s, 0, 10, on_list_one, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.code, "ACC_HUD_ADAS.COUNTER");
	assert_string_equal(l.severity, "info");
	assert_true(l.unconfirmed);
	/* Confirmed later: the same row, now a fault. */
	f.unconfirmed = false;
	f.severity = EVGW_SEV_WARNING;
	f.last_seen_us += 1000000;
	assert_int_equal(evgw_store_record(s, &f, "changed", f.last_seen_us), 0);
	memset(&l, 0, sizeof l);
	assert_int_equal(evgw_store_list(s, 0, 10, on_list_one, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.severity, "warning");
	assert_false(l.unconfirmed);
	evgw_store_close(s);

	/* With SQLite itself: version 2, the old row's flag 0, the new one's 0 after its change. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, unconfirmed FROM faults ORDER BY id", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM fault_history", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 3);
	sqlite3_finalize(st);
	sqlite3_close(db);
	remove_db(path);
}

/* The engine tells a change of confidence: the same fault, unconfirmed
 * then confirmed, is one "raised" and one "changed". */
static void test_engine_unconfirmed_change(void **state)
{
	(void)state;
	struct events ev = {0};
	struct evgw_fault_engine e;
	evgw_faults_init(&e, NULL, on_event, &ev);
	struct evgw_fault t = tmpl("car", "ACC_HUD_ADAS.COUNTER", 777);
	t.protocol = EVGW_FP_DBC;
	t.ecu = -1;
	t.severity = EVGW_SEV_INFO;
	t.unconfirmed = true;
	assert_int_equal(evgw_faults_raise(&e, &t, NULL, 1000), 0);
	assert_int_equal(evgw_faults_raise(&e, &t, NULL, 2000), 0); /* the same: nothing new */
	t.severity = EVGW_SEV_WARNING;
	t.unconfirmed = false;
	assert_int_equal(evgw_faults_raise(&e, &t, NULL, 3000), 0);
	evgw_faults_flush(&e, 3000);
	/* Pending events merge until the flush: the new fault stays "raised". */
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.log[0], "raised ACC_HUD_ADAS.COUNTER active");
	const struct evgw_fault *f = evgw_faults_find(&e, "car", EVGW_FP_DBC, -1, 777);
	assert_non_null(f);
	assert_false(f->unconfirmed);
	assert_int_equal(f->severity, EVGW_SEV_WARNING);
	t.unconfirmed = true;
	t.severity = EVGW_SEV_INFO;
	assert_int_equal(evgw_faults_raise(&e, &t, NULL, 4000), 0);
	evgw_faults_flush(&e, 4000);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.log[1], "changed ACC_HUD_ADAS.COUNTER active");
	assert_true(evgw_faults_find(&e, "car", EVGW_FP_DBC, -1, 777)->unconfirmed);
	evgw_faults_fini(&e);
}

/* The store's changes in order (what the MQTT bridge publishes from):
 * each history row once, with the status that change left, after a given
 * seq. Two faults, four changes: a raised (1), b raised (2), a severity
 * change (3), a cleared (4). */
static char changes_log[8][96];
static unsigned n_changes;

static void on_change(void *ud, const struct evgw_store_change *c)
{
	(void)ud;
	if (n_changes < 8)
		snprintf(changes_log[n_changes++], 96, "%lld %s %s %s %s %lld", (long long)c->seq, c->event,
			 c->fault.code, evgw_fault_status_name(c->fault.status),
			 evgw_fault_severity_name(c->fault.severity), (long long)c->at_us);
}

static void test_store_changes(void **state)
{
	(void)state;
	char err[256];
	const char *path = temp_db();
	struct evgw_store *s;
	assert_int_equal(evgw_store_open(path, &s, err, sizeof err), 0);
	assert_int_equal(evgw_store_last_change(s), 0);
	struct evgw_fault_engine e;
	evgw_faults_init(&e, s, NULL, NULL);
	struct evgw_fault a = tmpl("ebus", "SPN 190 FMI 2", 190 | (2u << 19));
	struct evgw_fault b = tmpl("ebus", "SPN 84 FMI 9", 84 | (9u << 19));
	evgw_faults_raise(&e, &a, NULL, 1000000);
	assert_int_equal(evgw_faults_flush(&e, 1000000), 1);
	evgw_faults_raise(&e, &b, NULL, 1500000);
	assert_int_equal(evgw_faults_flush(&e, 1500000), 1);
	a.severity = EVGW_SEV_CRITICAL;
	evgw_faults_raise(&e, &a, NULL, 2000000);
	assert_int_equal(evgw_faults_flush(&e, 2000000), 1);
	evgw_faults_clear(&e, "ebus", EVGW_FP_J1939, 0xF3, a.raw_code, 3000000);
	assert_int_equal(evgw_faults_flush(&e, 3000000), 1);
	assert_int_equal(evgw_store_last_change(s), 4);
	/* a's changes are 1, 3, 4; b's is 2. */
	const struct evgw_fault *fa = evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, a.raw_code);
	const struct evgw_fault *fb = evgw_faults_find(&e, "ebus", EVGW_FP_J1939, 0xF3, b.raw_code);
	assert_int_equal(evgw_store_last_change_of(s, fa->id), 4);
	assert_int_equal(evgw_store_last_change_of(s, fb->id), 2);
	assert_int_equal(evgw_store_last_change_of(s, 999), 0);

	n_changes = 0;
	assert_int_equal(evgw_store_changes(s, 0, 0, on_change, NULL), 4);
	assert_int_equal(n_changes, 4);
	/* The raise says active, though the fault is cleared now; the
	 * severity is the fault's latest. */
	assert_string_equal(changes_log[0], "1 raised SPN 190 FMI 2 active critical 1000000");
	assert_string_equal(changes_log[1], "2 raised SPN 84 FMI 9 active warning 1500000");
	assert_string_equal(changes_log[2], "3 changed SPN 190 FMI 2 active critical 2000000");
	assert_string_equal(changes_log[3], "4 cleared SPN 190 FMI 2 cleared critical 3000000");
	n_changes = 0;
	assert_int_equal(evgw_store_changes(s, 2, 1, on_change, NULL), 1);
	assert_string_equal(changes_log[0], "3 changed SPN 190 FMI 2 active critical 2000000");
	n_changes = 0;
	assert_int_equal(evgw_store_changes(s, 4, 0, on_change, NULL), 0);
	assert_int_equal(n_changes, 0);
	evgw_faults_fini(&e);
	evgw_store_close(s);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_words),
		cmocka_unit_test(test_engine_life),
		cmocka_unit_test(test_store_changes),
		cmocka_unit_test(test_store_survives_reopen),
		cmocka_unit_test(test_store_refuses_newer_schema),
		cmocka_unit_test(test_store_migrates_v1),
		cmocka_unit_test(test_engine_unconfirmed_change),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
