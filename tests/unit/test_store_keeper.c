// SPDX-License-Identifier: MIT
/* The fault store's keeper against real SQLite files made sick the way
 * people make them sick: deleted, replaced by a copy, locked by another
 * connection, corrupt, read-only, or not there to be made. What is in the
 * file afterwards is read with SQLite itself; the clock (retries) is the
 * test's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "faults/engine.h"
#include "faults/store_keeper.h"

#define SEC 1000000LL

struct told {
	int n;
	char last[128];
};

static void on_event(void *ud, const struct evgw_fault *f, enum evgw_fault_event ev)
{
	struct told *t = ud;
	t->n++;
	snprintf(t->last, sizeof t->last, "%s %s", evgw_fault_event_name(ev), f->code);
}

struct fixture {
	char dir[64];
	char path[96];
	struct evgw_fault_engine e;
	struct evgw_store_keeper k;
	struct told told;
	int64_t mono;
};

static void setup_in(struct fixture *x, bool init)
{
	memset(x, 0, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "/tmp/evgw-keeper-XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof x->path, "%s/faults.db", x->dir);
	evgw_faults_init(&x->e, NULL, on_event, &x->told);
	x->mono = 1000 * SEC;
	if (init)
		assert_int_equal(evgw_store_keeper_init(&x->k, &x->e, x->path, x->mono, 1700000000 * SEC), 0);
}

static void teardown(struct fixture *x)
{
	evgw_store_keeper_fini(&x->k, 1700000100 * SEC);
	evgw_faults_fini(&x->e);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
}

static void raise_spn(struct fixture *x, uint32_t spn)
{
	struct evgw_fault t;
	memset(&t, 0, sizeof t);
	snprintf(t.bus, sizeof t.bus, "ebus");
	t.ecu = 0;
	t.protocol = EVGW_FP_J1939;
	t.raw_code = spn | 2u << 19;
	snprintf(t.code, sizeof t.code, "SPN %u FMI 2", spn);
	snprintf(t.description, sizeof t.description, "test");
	t.severity = EVGW_SEV_WARNING;
	assert_int_equal(evgw_faults_raise(&x->e, &t, NULL, 1700000000 * SEC + spn), 0);
}

/* One keeper tick, x->mono moved on by `after` first. */
static int tick(struct fixture *x, int64_t after)
{
	x->mono += after;
	return evgw_store_keeper_tick(&x->k, x->mono, 1700000000 * SEC + x->mono);
}

static enum evgw_store_state store_state(const struct fixture *x)
{
	struct evgw_store_health h;
	evgw_store_keeper_health(&x->k, &h);
	return h.state;
}

/* Rows of faults in the file at path, read by SQLite itself (-1: no file). */
static int rows(const char *path, const char *table)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void unlink_store(const char *path)
{
	char side[128];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static void test_ok(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, true);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	raise_spn(&x, 100);
	raise_spn(&x, 101);
	assert_int_equal(tick(&x, 100000), 2);
	assert_int_equal(x.told.n, 2);
	struct evgw_store_health h;
	evgw_store_keeper_health(&x.k, &h);
	assert_string_equal(h.path, x.path);
	assert_int_equal(h.pending, 0);
	assert_int_equal(h.failures, 0);
	assert_string_equal(h.last_error, "");
	assert_int_equal(rows(x.path, "faults"), 2);
	teardown(&x);
}

/* Deleted under the open store (rm faults.db*): noticed at the next tick,
 * a new file made, every fault written into it, nobody told twice. */
static void test_deleted(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, true);
	raise_spn(&x, 100);
	raise_spn(&x, 101);
	assert_int_equal(tick(&x, 100000), 2);
	unlink_store(x.path);
	raise_spn(&x, 102);
	/* The two written before and the new one: one transaction. */
	assert_int_equal(tick(&x, 100000), 3);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	struct evgw_store_health h;
	evgw_store_keeper_health(&x.k, &h);
	assert_int_equal(h.recreated, 1);
	unsigned n;
	assert_true(evgw_store_keeper_take_remade(&x.k, &n));
	assert_int_equal(n, 3);
	assert_false(evgw_store_keeper_take_remade(&x.k, &n));
	assert_int_equal(x.told.n, 3); /* 102 only, this time */
	assert_string_equal(x.told.last, "raised SPN 102 FMI 2");
	assert_int_equal(rows(x.path, "faults"), 3);
	assert_int_equal(rows(x.path, "sessions"), 1);
	teardown(&x);
}

/* A copy of the store put in its place (mv): the faults it has are found
 * and updated, not written twice. */
static void test_replaced_by_copy(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, true);
	raise_spn(&x, 100);
	raise_spn(&x, 101);
	assert_int_equal(tick(&x, 100000), 2);
	char copy[128], cmd[320];
	snprintf(copy, sizeof copy, "%s/copy.db", x.dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(x.path, &db), SQLITE_OK);
	snprintf(cmd, sizeof cmd, "VACUUM INTO '%s'", copy);
	assert_int_equal(sqlite3_exec(db, cmd, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rename(copy, x.path), 0);
	raise_spn(&x, 102);
	assert_int_equal(tick(&x, 100000), 3);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	assert_int_equal(rows(x.path, "faults"), 3);
	assert_int_equal(x.told.n, 3);
	teardown(&x);
}

/* Another connection holds the write lock: a tick costs no more than the
 * few ms of the busy timeout, nothing is told, and all is written once the
 * lock is gone. */
static void test_locked(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, true);
	raise_spn(&x, 100);
	assert_int_equal(tick(&x, 100000), 1);
	sqlite3 *other;
	assert_int_equal(sqlite3_open(x.path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	raise_spn(&x, 101);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(tick(&x, 100000), -EBUSY);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	assert_true(ms < 100); /* EVGW_STORE_BUSY_MS is 5: generous for a loaded machine */
	assert_int_equal(store_state(&x), EVGW_STORE_LOCKED);
	assert_int_equal(x.told.n, 1);
	struct evgw_store_health h;
	evgw_store_keeper_health(&x.k, &h);
	assert_int_equal(h.pending, 1);
	assert_true(h.failures >= 1);
	assert_non_null(strstr(h.last_error, "locked"));
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(tick(&x, 100000), 1);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	assert_int_equal(x.told.n, 2);
	assert_int_equal(rows(x.path, "faults"), 2);
	teardown(&x);
}

/* Garbage where the store should be: corrupt at open, left alone (nothing
 * written into it, nothing told); moved away, a new store takes it all. */
static void test_corrupt(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, false);
	FILE *f = fopen(x.path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 8192; i++)
		fputc((i * 7919) & 0xFF, f);
	fclose(f);
	assert_int_equal(evgw_store_keeper_init(&x.k, &x.e, x.path, x.mono, 1700000000 * SEC), 0);
	assert_int_equal(store_state(&x), EVGW_STORE_CORRUPT);
	raise_spn(&x, 100);
	assert_true(tick(&x, 2 * SEC) < 0);
	assert_int_equal(x.told.n, 0);
	assert_int_equal(store_state(&x), EVGW_STORE_CORRUPT);
	char moved[128];
	snprintf(moved, sizeof moved, "%s/faults.db.bad", x.dir);
	assert_int_equal(rename(x.path, moved), 0);
	assert_int_equal(tick(&x, 100000), 1);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	assert_int_equal(x.told.n, 1);
	assert_int_equal(rows(x.path, "faults"), 1);
	struct stat st;
	assert_int_equal(stat(moved, &st), 0);
	assert_int_equal(st.st_size, 8192); /* untouched */
	teardown(&x);
}

/* No store can be made (no directory): memory only, told at once; once it
 * can be (a second later, the directory made), the faults are written
 * without being told again. */
static void test_memory_then_store(void **state)
{
	(void)state;
	struct fixture x;
	setup_in(&x, false);
	snprintf(x.path, sizeof x.path, "%s/sub/faults.db", x.dir);
	assert_int_equal(evgw_store_keeper_init(&x.k, &x.e, x.path, x.mono, 1700000000 * SEC), 0);
	assert_int_equal(store_state(&x), EVGW_STORE_MEMORY);
	raise_spn(&x, 100);
	assert_int_equal(tick(&x, 100000), 1);
	assert_int_equal(x.told.n, 1);
	char sub[96];
	snprintf(sub, sizeof sub, "%s/sub", x.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(tick(&x, 100000), 0); /* not retried yet */
	assert_int_equal(store_state(&x), EVGW_STORE_MEMORY);
	assert_int_equal(tick(&x, SEC), 1);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	assert_int_equal(x.told.n, 1);
	assert_int_equal(rows(x.path, "faults"), 1);
	teardown(&x);
}

/* Read-only at open (0444; root ignores modes, so only as another user):
 * kept and untold; made writable, reopened within a second and written. */
static void test_read_only(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip(); /* tests/robust runs this one as nobody */
	struct fixture x;
	setup_in(&x, true);
	raise_spn(&x, 100);
	assert_int_equal(tick(&x, 100000), 1);
	evgw_store_keeper_fini(&x.k, 0);
	assert_int_equal(chmod(x.path, 0444), 0);
	assert_int_equal(evgw_store_keeper_init(&x.k, &x.e, x.path, x.mono, 1700000000 * SEC), 0);
	assert_int_equal(store_state(&x), EVGW_STORE_READ_ONLY);
	raise_spn(&x, 101);
	assert_true(tick(&x, 100000) < 0);
	assert_int_equal(x.told.n, 1);
	assert_int_equal(chmod(x.path, 0644), 0);
	assert_true(tick(&x, SEC) >= 1);
	assert_int_equal(store_state(&x), EVGW_STORE_OK);
	assert_int_equal(x.told.n, 2);
	teardown(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_deleted),
		cmocka_unit_test(test_replaced_by_copy),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_memory_then_store),
		cmocka_unit_test(test_read_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
