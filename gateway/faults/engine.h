/* The fault engine: every source reports into one table of faults with a
 * life (raised, changed, cleared), written through to the store and told to
 * the subscribers. Faults are few: a fixed table, linear lookups. */
#ifndef EVGW_FAULTS_ENGINE_H
#define EVGW_FAULTS_ENGINE_H

#include "faults/fault.h"
#include "faults/store.h"

#define EVGW_FAULTS_MAX 2048
#define EVGW_FAULTS_MAX_BUSES 64

typedef void (*evgw_fault_event_fn)(void *ud, const struct evgw_fault *f, const char *event);

struct evgw_fault_engine {
	struct evgw_store *store;       /* NULL: memory only */
	struct evgw_fault *faults[EVGW_FAULTS_MAX];
	unsigned n;
	evgw_fault_event_fn on_event;
	void *ud;
	struct {
		char bus[33];
		int64_t id;
	} sessions[EVGW_FAULTS_MAX_BUSES];
	unsigned n_sessions;
	uint64_t store_errors;
};

void evgw_faults_init(struct evgw_fault_engine *e, struct evgw_store *store, evgw_fault_event_fn fn,
		      void *ud);
void evgw_faults_fini(struct evgw_fault_engine *e);

/* A source says this fault is active now. The template gives the key (bus,
 * protocol, ecu, raw_code) and the texts; freeze_json (may be NULL) is kept
 * only when the fault is first seen. Returns 0, or -EIO when the store
 * could not write it (the fault is still tracked in memory). */
int evgw_faults_raise(struct evgw_fault_engine *e, const struct evgw_fault *tmpl, const char *freeze_json,
		      int64_t now_us);
/* The source says it is no longer active. */
int evgw_faults_clear(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p, int32_t ecu,
		      uint64_t raw_code, int64_t now_us);
/* A list source (DM1 from one address): every active fault of (bus, p,
 * ecu) whose code is not in codes[0..n) is cleared. */
int evgw_faults_clear_absent(struct evgw_fault_engine *e, const char *bus, enum evgw_fault_protocol p,
			     int32_t ecu, const uint64_t *codes, unsigned n, int64_t now_us);

const struct evgw_fault *evgw_faults_find(const struct evgw_fault_engine *e, const char *bus,
					  enum evgw_fault_protocol p, int32_t ecu, uint64_t raw_code);

#endif
