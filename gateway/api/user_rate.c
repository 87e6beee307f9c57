// SPDX-License-Identifier: MIT
#include "api/user_rate.h"

#define FULL ((int64_t)EVGW_API_ECU_BURST * 1000000)

static int64_t credit_at(const struct evgw_user_rate *r, unsigned i, int64_t now_us)
{
	int64_t dt = now_us - r->users[i].last_us;
	if (dt < 0)
		dt = 0;
	if (dt > FULL / EVGW_API_ECU_RATE)
		return FULL; /* long enough to fill up (and no overflow below) */
	int64_t c = r->users[i].credit + dt * EVGW_API_ECU_RATE;
	return c > FULL ? FULL : c;
}

bool evgw_user_rate_take(struct evgw_user_rate *r, uid_t uid, int64_t now_us)
{
	unsigned slot = EVGW_API_RATE_USERS;
	for (unsigned i = 0; i < EVGW_API_RATE_USERS && slot == EVGW_API_RATE_USERS; i++)
		if (r->users[i].used && r->users[i].uid == uid)
			slot = i;
	if (slot == EVGW_API_RATE_USERS) {
		/* A new user takes a free place, else the one whose bucket is
		 * fullest: a full bucket is what a newcomer gets anyway. */
		int64_t best = -1;
		for (unsigned i = 0; i < EVGW_API_RATE_USERS; i++) {
			int64_t c = r->users[i].used ? credit_at(r, i, now_us) : FULL + 1;
			if (c > best) {
				best = c;
				slot = i;
			}
		}
		r->users[slot].used = true;
		r->users[slot].uid = uid;
		r->users[slot].credit = FULL;
		r->users[slot].last_us = now_us;
	}
	int64_t c = credit_at(r, slot, now_us);
	if (now_us > r->users[slot].last_us)
		r->users[slot].last_us = now_us;
	if (c < 1000000) {
		r->users[slot].credit = c;
		return false;
	}
	r->users[slot].credit = c - 1000000;
	return true;
}
