// SPDX-License-Identifier: MIT
/* How often a user without admin rights may ask ECUs: a token bucket per
 * uid, so that nobody floods a vehicle bus with requests, however many
 * connections they open or reopen. */
#ifndef EVGW_API_USER_RATE_H
#define EVGW_API_USER_RATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define EVGW_API_ECU_RATE 5   /* requests per second, sustained */
#define EVGW_API_ECU_BURST 20 /* requests at once after a pause */
#define EVGW_API_RATE_USERS 64

struct evgw_user_rate {
	struct {
		uid_t uid;
		bool used;
		int64_t credit;  /* in millionths of a request */
		int64_t last_us; /* when credit was last brought up to date */
	} users[EVGW_API_RATE_USERS];
};

/* Take one request from uid's bucket at now_us (monotonic); false when it
 * is empty. Every attempt counts, whatever becomes of the request. */
bool evgw_user_rate_take(struct evgw_user_rate *r, uid_t uid, int64_t now_us);

#endif
