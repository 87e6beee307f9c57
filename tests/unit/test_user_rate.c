// SPDX-License-Identifier: MIT
/* The per-user token bucket for ECU requests (api/user_rate.h): 20 at
 * once, then one per 200 ms (5 per second). Every count below follows from
 * those two numbers by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "api/user_rate.h"

/* How many of n attempts at one instant succeed. */
static unsigned takes(struct evgw_user_rate *r, uid_t uid, int64_t now, unsigned n)
{
	unsigned ok = 0;
	for (unsigned i = 0; i < n; i++)
		ok += evgw_user_rate_take(r, uid, now);
	return ok;
}

static void test_burst_then_rate(void **state)
{
	(void)state;
	static struct evgw_user_rate r;
	memset(&r, 0, sizeof r);
	assert_int_equal(EVGW_API_ECU_BURST, 20);
	assert_int_equal(EVGW_API_ECU_RATE, 5);
	const int64_t t0 = 1000000000;
	assert_int_equal(takes(&r, 1001, t0, 25), 20); /* a full bucket, then empty */
	assert_int_equal(takes(&r, 1001, t0 + 199999, 1), 0); /* 0.999995 of a request */
	assert_int_equal(takes(&r, 1001, t0 + 200000, 2), 1);  /* 200 ms: exactly one */
	assert_int_equal(takes(&r, 1001, t0 + 1200000, 10), 5); /* 1 s later: five */
	/* Another user has a bucket of their own. */
	assert_int_equal(takes(&r, 1002, t0 + 1200000, 21), 20);
	/* A long pause fills up to the burst, not beyond. */
	assert_int_equal(takes(&r, 1001, t0 + 3600000000LL, 30), 20);
	/* A clock that does not move forward gives nothing back. */
	assert_int_equal(takes(&r, 1001, t0, 1), 0);
}

static void test_many_users(void **state)
{
	(void)state;
	static struct evgw_user_rate r;
	memset(&r, 0, sizeof r);
	const int64_t t0 = 5000000;
	/* 64 users spend their buckets; a 65th takes the place of the one whose
	 * bucket is fullest (user 100 drew only once). */
	assert_int_equal(takes(&r, 100, t0, 1), 1);
	for (uid_t u = 101; u < 100 + EVGW_API_RATE_USERS; u++)
		assert_int_equal(takes(&r, u, t0, 20), 20);
	assert_int_equal(takes(&r, 999, t0, 20), 20);
	/* The users that kept their place are still empty. */
	for (uid_t u = 101; u < 100 + EVGW_API_RATE_USERS; u++)
		assert_int_equal(takes(&r, u, t0, 1), 0);
	assert_int_equal(takes(&r, 999, t0, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_rate),
		cmocka_unit_test(test_many_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
