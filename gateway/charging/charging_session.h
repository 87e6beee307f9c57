// SPDX-License-Identifier: MIT
/* GB/T 27930 charging sessions on one bus, listen-only: the messages
 * between the charger (0x56) and the BMS (0xF4) make a timeline of stages
 * (handshake, recognition, parameters, charging, end), with the values a
 * mechanic asks for (versions, battery, limits, demand against output,
 * SOC) and the reasons it stopped. The current session and the last few
 * finished ones are kept.
 *
 * A session begins with the first message heard (one that begins after the
 * recognition stage is marked `joined`: its start was not heard), or anew
 * with a handshake or recognition message once a session has passed
 * recognition (GB/T restarts there after a timeout). It is finished when
 * both statistics messages (BSD and CSD) have been heard after a stop, or
 * after EVGW_CHARGING_SILENCE_US without a GB/T message; stop, statistics
 * and error messages that trail a finished session belong to it.
 *
 * The clock is the caller's (microseconds, any epoch, the same in every
 * call). Nothing here allocates, logs or sleeps. */
#ifndef EVGW_CHARGING_CHARGING_SESSION_H
#define EVGW_CHARGING_CHARGING_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "charging/gbt27930.h"

#define EVGW_CHARGING_HISTORY 4
#define EVGW_CHARGING_SILENCE_US 10000000

enum evgw_charging_outcome {
	EVGW_CHARGING_RUNNING,
	EVGW_CHARGING_NORMAL,    /* stopped with no fault, error or timeout */
	EVGW_CHARGING_ABNORMAL,  /* a fault, error or timeout in BST, CST, BEM or CEM */
	EVGW_CHARGING_LOST,      /* went silent before any stop message */
};

/* The four messages that say why a charge stopped, in this order. */
enum { EVGW_CHARGING_BST, EVGW_CHARGING_CST, EVGW_CHARGING_BEM, EVGW_CHARGING_CEM, EVGW_CHARGING_STOPS };

struct evgw_charging_session {
	uint32_t number;                      /* 1, 2, ... since the tracker began */
	int64_t started_us, last_us, ended_us; /* ended_us 0 while running */
	int64_t stage_us[GBT_STAGE_COUNT];    /* when each stage began; 0 not heard */
	uint8_t stage;                        /* enum gbt_stage, the latest */
	bool joined;                          /* first heard after recognition */
	uint8_t outcome;                      /* enum evgw_charging_outcome */
	uint32_t seen;                        /* 1 << enum gbt_msg for each message heard */
	/* The latest of each message. */
	struct gbt_chm chm;
	struct gbt_bhm bhm;
	struct gbt_crm crm;
	struct gbt_brm brm;
	struct gbt_bcp bcp;
	struct gbt_cml cml;
	uint8_t bro, cro;
	struct gbt_bcl bcl;
	struct gbt_bcs bcs;
	struct gbt_ccs ccs;
	struct gbt_bsm bsm;
	struct gbt_bmv bmv;
	struct gbt_bmt bmt;
	struct gbt_bsd bsd;
	struct gbt_csd csd;
	uint32_t stop_bits[EVGW_CHARGING_STOPS];   /* BST, CST, BEM, CEM as heard (ORed) */
	int64_t stop_us[EVGW_CHARGING_STOPS];      /* first heard; 0 never */
	uint32_t told[EVGW_CHARGING_STOPS];        /* fault bits already reported */
	uint8_t soc_first;                    /* first BCS SOC, when has_soc_first */
	bool has_soc_first;
	int32_t peak_output_da;               /* highest CCS output current, 0.1 A charging */
};

struct evgw_charging_ops {
	/* A stop or error message (m: GBT_BST, _CST, _BEM, _CEM) with fault
	 * bits this session had not reported: fault_bits are all its fault
	 * fields that read 01 (gbt_fault_bits). */
	void (*fault)(void *ud, const struct evgw_charging_session *s, enum gbt_msg m, uint32_t fault_bits,
		      int64_t now_us);
	/* A session was finished (its outcome is set). */
	void (*ended)(void *ud, const struct evgw_charging_session *s, int64_t now_us);
};

struct evgw_charging {
	struct evgw_charging_ops ops;
	void *ud;
	bool active;
	struct evgw_charging_session cur;
	struct evgw_charging_session done[EVGW_CHARGING_HISTORY]; /* ring, newest at (n_done - 1) % HISTORY */
	uint32_t n_done;
	uint32_t sessions;
	uint64_t messages, malformed;
};

/* ops (copied) may be NULL. */
void evgw_charging_init(struct evgw_charging *c, const struct evgw_charging_ops *ops, void *ud);

/* One message, single-frame or reassembled: 1 when it is GB/T 27930 (its
 * PGN, sent between 0x56 and 0xF4 in its own direction, or from its sender
 * by broadcast), 0 when not, -EBADMSG when it is but malformed (counted,
 * otherwise ignored). */
int evgw_charging_rx(struct evgw_charging *c, uint32_t pgn, uint8_t sa, uint8_t da, const uint8_t *data,
		     size_t len, int64_t now_us);

/* Finish the current session if it has been silent long enough. */
void evgw_charging_poll(struct evgw_charging *c, int64_t now_us);

/* The session in progress, or NULL. */
const struct evgw_charging_session *evgw_charging_current(const struct evgw_charging *c);
/* Finished sessions, i = 0 the newest; NULL past the last kept. */
const struct evgw_charging_session *evgw_charging_finished(const struct evgw_charging *c, unsigned i);

/* "running", "normal", "abnormal", "lost". */
const char *evgw_charging_outcome_name(enum evgw_charging_outcome o);
/* The enum gbt_msg of a stop slot (EVGW_CHARGING_BST ...). */
enum gbt_msg evgw_charging_stop_msg(unsigned slot);

#endif
