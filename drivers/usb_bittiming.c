// SPDX-License-Identifier: MIT
/* The kernel's bit-timing search, re-implemented from its description in
 * adapters.md §1.8 (linux calc_bittiming.c@1d147cb, sjw default from
 * dev/bittiming.c can_sjw_set_default). Sample points are per mille and
 * the arithmetic is unsigned, truncating where the kernel's does. */
#include "drivers/usb_bittiming.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#define SYNC_SEG 1u
#define MAX_ERROR_PERMILLE 50u /* 5.0 % */

uint32_t evgw_bt_default_sample_point(uint32_t bitrate)
{
	if (bitrate > 800000)
		return 750;
	if (bitrate > 500000)
		return 800;
	return 875;
}

static uint32_t clampu(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static uint32_t absdiff(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* For tseg = tseg1 + tseg2, the split whose sample point is closest to
 * sp_ref without passing it; returns that sample point (0 and *err =
 * UINT32_MAX when every candidate passes it). */
static uint32_t update_sample_point(const struct evgw_bt_limits *lim, uint32_t sp_ref,
				    uint32_t tseg, uint32_t *tseg1_out, uint32_t *tseg2_out,
				    uint32_t *err)
{
	uint32_t best_err = UINT32_MAX, best_sp = 0;
	uint32_t all = tseg + SYNC_SEG;

	for (uint32_t i = 0; i <= 1; i++) {
		uint32_t sub = sp_ref * all / 1000 + i;
		/* The kernel's unsigned wrap-around lands on the clamp's upper end. */
		uint32_t tseg2 = sub > all ? lim->tseg2_max : clampu(all - sub, lim->tseg2_min,
								     lim->tseg2_max);
		if (tseg2 > tseg)
			tseg2 = tseg;
		uint32_t tseg1 = tseg - tseg2;
		if (tseg1 > lim->tseg1_max) {
			tseg1 = lim->tseg1_max;
			tseg2 = tseg - tseg1;
		}
		uint32_t sp = 1000 * (all - tseg2) / all;
		uint32_t e = absdiff(sp_ref, sp);
		if (sp <= sp_ref && e < best_err) {
			best_sp = sp;
			best_err = e;
			*tseg1_out = tseg1;
			*tseg2_out = tseg2;
		}
	}
	if (err)
		*err = best_err;
	return best_sp;
}

static bool limits_sane(const struct evgw_bt_limits *l)
{
	return l->tseg1_min <= l->tseg1_max && l->tseg2_min <= l->tseg2_max &&
	       l->brp_min <= l->brp_max && l->brp_inc > 0 && l->brp_max > 0 &&
	       l->tseg1_max + l->tseg2_max > 0 && l->tseg1_max <= 1024 && l->tseg2_max <= 1024;
}

int evgw_bt_calc(uint32_t clk, const struct evgw_bt_limits *lim, uint32_t bitrate,
		 uint32_t sp_ref, struct evgw_bittiming *out)
{
	if (!clk || !bitrate || !limits_sane(lim) || sp_ref >= 1000)
		return -EINVAL;
	if (!sp_ref)
		sp_ref = evgw_bt_default_sample_point(bitrate);

	uint32_t best_rate_err = UINT32_MAX, best_sp_err = UINT32_MAX;
	uint32_t best_tseg = 0, best_brp = 0, tseg1 = 0, tseg2 = 0;
	uint32_t lo = 2 * (lim->tseg1_min + lim->tseg2_min);

	/* tseg counts half-steps: even rounds brp down, odd rounds it up. */
	for (uint32_t tseg = 2 * (lim->tseg1_max + lim->tseg2_max) + 1; tseg >= lo && tseg > 0;
	     tseg--) {
		uint64_t all = SYNC_SEG + tseg / 2;
		uint64_t brp = clk / (all * bitrate) + tseg % 2;
		brp = brp / lim->brp_inc * lim->brp_inc;
		if (brp < lim->brp_min || brp > lim->brp_max || brp == 0)
			continue;
		uint32_t rate = (uint32_t)(clk / (brp * all));
		uint32_t rate_err = absdiff(bitrate, rate);
		if (rate_err > best_rate_err)
			continue;
		if (rate_err < best_rate_err)
			best_sp_err = UINT32_MAX;
		uint32_t sp_err;
		update_sample_point(lim, sp_ref, tseg / 2, &tseg1, &tseg2, &sp_err);
		if (sp_err >= best_sp_err)
			continue;
		best_sp_err = sp_err;
		best_rate_err = rate_err;
		best_tseg = tseg / 2;
		best_brp = (uint32_t)brp;
		if (rate_err == 0 && sp_err == 0)
			break;
	}
	if (!best_brp)
		return -EINVAL;
	if (best_rate_err && (uint64_t)best_rate_err * 1000 / bitrate > MAX_ERROR_PERMILLE)
		return -EINVAL;

	out->sample_point = update_sample_point(lim, sp_ref, best_tseg, &tseg1, &tseg2, NULL);
	out->tq_ns = (uint32_t)((uint64_t)best_brp * 1000000000u / clk);
	out->prop_seg = tseg1 / 2;
	out->phase_seg1 = tseg1 - out->prop_seg;
	out->phase_seg2 = tseg2;
	uint32_t sjw = out->phase_seg2 / 2;
	if (out->phase_seg1 < sjw)
		sjw = out->phase_seg1;
	if (sjw > lim->sjw_max && lim->sjw_max)
		sjw = lim->sjw_max;
	out->sjw = sjw ? sjw : 1;
	out->brp = best_brp;
	out->bitrate = (uint32_t)(clk / ((uint64_t)best_brp * (SYNC_SEG + tseg1 + tseg2)));
	return 0;
}
