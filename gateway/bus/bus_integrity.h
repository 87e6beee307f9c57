// SPDX-License-Identifier: MIT
/* Checksum and counter validation of DBC messages.
 *
 * A DBC names a message's checksum and counter with two signal attributes
 * (documented in dbc/README.md):
 *   BA_DEF_ SG_ "EvgwChecksum" STRING ;  value: the algorithm
 *   BA_DEF_ SG_ "EvgwCounter" STRING ;   value: "inc" (+1 per frame, wrapping
 *                                        at 2^length) or "inc:N" (wrapping at N),
 *                                        either with ",step=S" (+S per frame)
 * Algorithms, all over the frame's bytes other than the checksum's own byte
 * (the checksum must be one whole byte), or over bytes=a-b, with the
 * parameters of evgw_integrity_parse_algo:
 *   sum8_inv  (~sum) & 0xFF. BYD: byte 7 = (~sum(d[0:7])) & 0xFF, opendbc
 *             PR 3337 opendbc/car/byd/bydcan.py (reference 1).
 *   sum8      sum & 0xFF;   xor8  XOR of the bytes. Generic, for shop DBCs.
 *
 * The plans are built once at bus set-up; the per-frame check allocates
 * nothing and keeps its state in the id's statistics (struct
 * evgw_integrity_state inside struct evgw_id_stats), so that each source of
 * a J1939 message is followed on its own.
 *
 * Faults: a checksum fault is raised when at least EVGW_INTEG_RAISE of the
 * last 8 frames of an id failed, a counter fault when at least that many of
 * the last 8 steps were wrong (stalled: the same value again; jumped: any
 * other value than the next). Each clears after EVGW_INTEG_CLEAR good frames
 * in a row. After a silence (more than 3 cycle times, or 500 ms without a
 * cycle time) the counter is followed afresh: frames the bus never carried
 * are not the ECU's fault. Faults go through the bus's DBC fault callback
 * (bus->on_fault) with a struct evgw_sig_fault whose text says what failed. */
#ifndef EVGW_BUS_BUS_INTEGRITY_H
#define EVGW_BUS_BUS_INTEGRITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus/bus_faults.h"
#include "can/frame.h"
#include "dbc/dbc.h"

#define EVGW_INTEG_RAISE 3    /* failures among the last 8 frames */
#define EVGW_INTEG_CLEAR 16   /* good frames in a row to clear */
#define EVGW_INTEG_GAP_US 500000
#define EVGW_INTEG_TEXT 128

enum evgw_integ_algo {
	EVGW_INTEG_NONE = 0,
	EVGW_INTEG_SUM8_INV,
	EVGW_INTEG_SUM8,
	EVGW_INTEG_XOR8,
	EVGW_INTEG_CRC8,
};

/* An algorithm's parameters (dbc/README.md): sum8 and sum8_inv add `add`
 * to the sum first, xor8 and crc8 XOR `xorout` into the result, crc8 runs
 * `poly` from `init` (reflected: bytes and result bit-reversed); only the
 * bytes first..last are covered (last clipped to the frame). */
struct evgw_integ_params {
	uint8_t add, poly, init, xorout;
	bool reflected;
	uint8_t first, last;
};

/* Per CAN id (lives in struct evgw_id_stats; all zero at first sight). */
struct evgw_integrity_state {
	int64_t last_us;          /* monotonic time of the previous frame, 0 = none */
	uint64_t checksum_errors; /* frames whose checksum was wrong */
	uint64_t counter_errors;  /* frames whose counter stalled or jumped */
	uint32_t last_counter;
	uint8_t cs_hist, ctr_hist; /* last 8 results, 1 = failed */
	uint8_t cs_good, ctr_good; /* good frames in a row (saturating) */
	bool cs_fault, ctr_fault;  /* the fault is raised */
};

/* Per DBC message that has a checksum or a counter. */
struct evgw_integrity_plan {
	const struct dbc_message *msg;
	uint8_t db;
	uint8_t algo;             /* enum evgw_integ_algo; NONE = no checksum */
	uint8_t cs_byte;          /* the checksum's byte */
	struct evgw_integ_params prm;
	const struct dbc_signal *cs_sig;
	const struct dbc_signal *ctr_sig; /* NULL = no counter */
	uint32_t ctr_mod;         /* counter wraps here */
	uint32_t ctr_step;        /* and steps by this per frame (1 unless ",step=S") */
	int64_t gap_us;           /* silence after which the counter restarts */
	struct evgw_sig_fault cs_fault, ctr_fault;
	char cs_text[EVGW_INTEG_TEXT], ctr_text[EVGW_INTEG_TEXT];
};

struct evgw_bus_integrity {
	struct evgw_integrity_plan *plans;
	uint32_t n_plans;
	struct evgw_integrity_plan **by_msg[64]; /* per DBC file: message index -> plan or NULL */
};

/* The plan of one message: 1 when it has a checksum or counter, 0 when
 * not, -EINVAL (with a sentence in err) when the attributes are wrong:
 * unknown algorithm, checksum not one whole byte, counter spec unknown. */
int evgw_integrity_plan_build(const struct dbc_db *db, unsigned db_index, const struct dbc_message *m,
			      struct evgw_integrity_plan *p, char *err, size_t errlen);

/* The checksum the algorithm gives for data[0..len), its own byte skipped. */
uint8_t evgw_integrity_checksum(enum evgw_integ_algo algo, const uint8_t *data, size_t len, unsigned cs_byte);

/* The checksum the plan's algorithm and parameters give for data[0..len). */
uint8_t evgw_integrity_plan_checksum(const struct evgw_integrity_plan *p, const uint8_t *data, size_t len);

/* Read an EvgwChecksum value: "sum8_inv", "sum8", "xor8", or one with
 * parameters, "sum8:add=0xE6", "xor8:xorout=0xFF,bytes=1-7",
 * "crc8:poly=0x1D,init=0xFF,xorout=0xFF" (",reflected"), as evgw discover
 * writes them. Returns 0, or -EINVAL. */
int evgw_integrity_parse_algo(const char *text, size_t len, uint8_t *algo, struct evgw_integ_params *prm);

/* Write counter (mod the plan's wrap) and then the checksum into a frame's
 * data: what a well-behaved ECU sends (simulators, tests). */
void evgw_integrity_seal(const struct evgw_integrity_plan *p, uint8_t *data, size_t len, uint32_t counter);

struct evgw_bus;
struct evgw_id_stats;

/* At bus set-up: the plans of every message of the bus's DBC files. Bad
 * attributes leave that message unchecked (evgw dbc check reports them
 * through evgw_integrity_plan_build). Returns 0 or -ENOMEM. */
int evgw_bus_integrity_setup(struct evgw_bus *bus);
void evgw_bus_integrity_free(struct evgw_bus *bus);

/* The per-frame check (from evgw_bus_dispatch, for frames of a DBC
 * message). Allocates nothing. */
void evgw_bus_integrity_check(struct evgw_bus *bus, struct evgw_id_stats *e, const struct evgw_frame *f,
			      int64_t now_mono_us);

#endif
