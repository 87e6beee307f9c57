// SPDX-License-Identifier: MIT
/* Signal values at their scale's precision; see dbc_scale.h. */
#include "dbc/dbc_scale.h"

#include <math.h>

#include "util/numfmt.h"

/* 2^53: below it every integer is a double, so k / 10^d is one correctly
 * rounded division and the comparison with the parsed value is exact. */
#define EXACT_INT_LIMIT 9007199254740992.0

/* x is the double nearest to k / 10^d for an integer k below 2^53. strtod
 * returned the double nearest to the decimal text, so a text with at most
 * d decimals passes (0.1 at d = 1: 1 / 10 rounds to the same double). */
static bool has_decimals(double x, int d)
{
	double k = nearbyint(x * evgw_pow10[d]);
	return fabs(k) < EXACT_INT_LIMIT && k / evgw_pow10[d] == x;
}

int dbc_scale_decimals(double factor, double offset)
{
	for (int d = 0; d <= EVGW_NUMFMT_MAX_DECIMALS; d++)
		if (has_decimals(factor, d) && has_decimals(offset, d))
			return d;
	return -1;
}

int dbc_scale_min_decimals(double factor, double offset, int decimals)
{
	int m = 0;
	/* The tolerance absorbs binary error: 0.1 * 10 may miss 1 by an ulp. */
	if (factor != 0)
		while (m < decimals && fabs(factor) * evgw_pow10[m] < 1 - 1e-9)
			m++;
	int mo = 0;
	while (mo < decimals && !has_decimals(offset, mo))
		mo++;
	return mo > m ? mo : m;
}

void dbc_scale_compile(struct dbc_signal *s)
{
	int d = (s->flags & (DBC_SIG_FLOAT32 | DBC_SIG_FLOAT64)) ? -1 : dbc_scale_decimals(s->factor, s->offset);
	s->scale_digits = (uint8_t)(d + 1);
	s->min_digits = (uint8_t)(d >= 0 ? dbc_scale_min_decimals(s->factor, s->offset, d) : 0);
}

/* Round half away from zero, inline (llround is a call); |x| < 2^53. */
static int64_t round_i64(double x)
{
	return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

void dbc_scale_plan(const struct dbc_signal *s, struct dbc_scale_plan *pl)
{
	int d = dbc_signal_decimals(s);
	bool is_signed = s->flags & DBC_SIG_SIGNED;
	pl->k = pl->o = 0;
	pl->decimals = pl->min_decimals = 0;
	if (d < 0) {
		pl->kind = DBC_SCALE_DOUBLE;
	} else if (s->factor == 1 && s->offset == 0) {
		pl->kind = is_signed ? DBC_SCALE_SIGNED : DBC_SCALE_UNSIGNED;
	} else {
		/* decimals >= 0 promises both scaled values are integers < 2^53. */
		pl->kind = is_signed ? DBC_SCALE_FIXED_SIGNED : DBC_SCALE_FIXED;
		pl->decimals = (uint8_t)d;
		pl->min_decimals = (uint8_t)dbc_signal_min_decimals(s);
		pl->k = round_i64(s->factor * evgw_pow10[d]);
		pl->o = round_i64(s->offset * evgw_pow10[d]);
	}
}

char *dbc_scale_put(char *p, const struct dbc_scale_plan *pl, const struct dbc_value *v)
{
	int64_t n;
	switch (pl->kind) {
	case DBC_SCALE_UNSIGNED:
		return evgw_fmt_u64(p, v->raw);
	case DBC_SCALE_SIGNED:
		return evgw_fmt_i64(p, (int64_t)v->raw);
	case DBC_SCALE_FIXED:
		if (v->raw > (uint64_t)INT64_MAX)
			break;
		/* fall through */
	case DBC_SCALE_FIXED_SIGNED:
		if (!__builtin_mul_overflow((int64_t)v->raw, pl->k, &n) && !__builtin_add_overflow(n, pl->o, &n))
			return evgw_fmt_scaled_trim(p, n, pl->decimals, pl->min_decimals);
		break;
	default:
		break;
	}
	if (!isfinite(v->phys))
		return NULL;
	return evgw_fmt_double(p, v->phys);
}

char *dbc_fmt_value(char *p, const struct dbc_value *v)
{
	struct dbc_scale_plan pl;
	dbc_scale_plan(v->sig, &pl);
	return dbc_scale_put(p, &pl, v);
}
