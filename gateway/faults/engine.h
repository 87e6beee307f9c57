// SPDX-License-Identifier: MIT
/* The fault engine: every source reports into one table of faults with a
 * life (raised, changed, cleared). Changes are kept in memory and written
 * to the store by evgw_faults_flush (the daemon calls it ~10 times a
 * second) in one transaction; only then are they told to the subscribers,
 * so a client never hears of a fault that a crash could lose, and a
 * flapping signal costs one disk write per flush, not one per frame.
 * Faults are few: a fixed table, linear lookups. */
#ifndef EVGW_FAULTS_ENGINE_H
#define EVGW_FAULTS_ENGINE_H

#include "faults/fault.h"
#include "faults/store.h"

#define EVGW_FAULTS_MAX 2048
#define EVGW_FAULTS_MAX_BUSES 64

/* What happened to a fault (0: nothing pending). */
enum evgw_fault_event {
	EVGW_FAULT_RAISED = 1,
	EVGW_FAULT_CHANGED,
	EVGW_FAULT_CLEARED,
};
/* "raised", "changed", "cleared": the words of the store and the API. */
const char *evgw_fault_event_name(enum evgw_fault_event ev);

typedef void (*evgw_fault_event_fn)(void *ud, const struct evgw_fault *f, enum evgw_fault_event ev);

struct evgw_fault_engine {
	struct evgw_store *store;       /* NULL: memory only */
	struct evgw_fault *faults[EVGW_FAULTS_MAX];
	/* Per fault: the event waiting for the next flush (the latest
	 * wins), or 0. */
	enum evgw_fault_event pending[EVGW_FAULTS_MAX];
	/* Per fault: to be written again into a new store (evgw_faults_set_store),
	 * and, when no event of its own is pending, without being told again. */
	bool rewrite[EVGW_FAULTS_MAX], silent[EVGW_FAULTS_MAX];
	int64_t had_id[EVGW_FAULTS_MAX]; /* flush's scratch: ids before a transaction */
	unsigned n, n_pending;
	evgw_fault_event_fn on_event;
	void *ud;
	struct {
		char bus[33];
		char vin[18];     /* "" until read */
		int64_t id;       /* 0: not in the store yet */
		int64_t started_us;
	} sessions[EVGW_FAULTS_MAX_BUSES];
	unsigned n_sessions;
	uint64_t store_errors;
};

void evgw_faults_init(struct evgw_fault_engine *e, struct evgw_store *store, evgw_fault_event_fn fn,
		      void *ud);
void evgw_faults_fini(struct evgw_fault_engine *e);

/* Write the pending changes (one transaction) and tell the subscribers.
 * Returns the number of faults written, or the store's negative errno
 * (store.h: -EBUSY, -EROFS...): then nothing is told and they stay
 * pending, for the next call. With no store, they are told at once. */
int evgw_faults_flush(struct evgw_fault_engine *e, int64_t now_us);

/* Another store (or the first, or none): a store made anew, or another
 * file at the path. With `rewrite`, every fault in memory is written into
 * it at the next flush (those it already holds, a copy of the old store,
 * are found and updated; the others are attached to their bus's current
 * session), without telling subscribers again what they were told. The
 * caller closes the old store. */
void evgw_faults_set_store(struct evgw_fault_engine *e, struct evgw_store *store, bool rewrite);

/* A source says this fault is active now (or, when tmpl->status is set,
 * stored or pending: what an ECU's DTC memory says; such a read is an
 * occurrence: it moves last seen and, unless the ECU counts them itself
 * (tmpl->occurrences), the count). The template gives the key (bus,
 * protocol, ecu, raw_code) and the texts; freeze_json (may be NULL) is kept
 * only when the fault is first seen. Returns 0, or -EIO when the store
 * could not write it (the fault is still tracked in memory). */
int evgw_faults_raise(struct evgw_fault_engine *e, const struct evgw_fault *tmpl, const char *freeze_json,
		      int64_t now_us);
/* The source says it is no longer active. */
int evgw_faults_clear(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p, int32_t ecu,
		      uint64_t raw_code, int64_t now_us);
/* A list source (DM1 from one address: its active faults; DM2 or a DTC
 * read: its stored ones): every fault of (bus, p, ecu) with that status
 * (0: any not cleared) whose code is not in codes[0..n) is cleared. */
int evgw_faults_clear_absent(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p,
			     int32_t ecu, enum evgw_fault_status status, const uint64_t *codes, unsigned n,
			     int64_t now_us);

/* The VIN of the vehicle on a bus was read: the bus's session gets it, or,
 * when its session already names another vehicle, a new session starts
 * (another car on the bench). Returns the session id, or a negative errno. */
int64_t evgw_faults_vehicle(struct evgw_fault_engine *e, const char *bus, const char *vin, int64_t now_us);

const struct evgw_fault *evgw_faults_find(const struct evgw_fault_engine *e, const char *bus,
					  enum evgw_fault_protocol p, int32_t ecu, uint64_t raw_code);

#endif
