// SPDX-License-Identifier: MIT
#include "discover/disc_correlate.h"

#include <math.h>
#include <stdlib.h>

double disc_fit_line(const double *x, const double *y, size_t n, double *scale, double *offset)
{
	*scale = 0;
	*offset = 0;
	if (n < 2)
		return 0;
	/* Centred sums: exact enough for raw values up to 2^53. */
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= (double)n;
	my /= (double)n;
	double sxx = 0, syy = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	*offset = my;
	if (sxx <= 0 || syy <= 0)
		return 0;
	*scale = sxy / sxx;
	*offset = my - *scale * mx;
	return sxy / sqrt(sxx * syy);
}

static int64_t sign_extend(uint64_t v, unsigned w)
{
	if (w >= 64)
		return (int64_t)v;
	uint64_t s = 1ull << (w - 1);
	return (int64_t)((v ^ s) - s);
}

static int by_r(const void *a, const void *b)
{
	double x = fabs(((const struct disc_corr *)a)->r), y = fabs(((const struct disc_corr *)b)->r);
	return (x < y) - (x > y);
}

size_t disc_correlate(const struct disc_message *msgs, size_t n_msgs, struct disc_corr *out, size_t cap)
{
	size_t n_out = 0;
	double *x = malloc(DISC_SAMPLE_PAIRS * sizeof *x), *y = malloc(DISC_SAMPLE_PAIRS * sizeof *y);
	if (!x || !y)
		goto done;
	for (size_t m = 0; m < n_msgs; m++) {
		const struct disc_id *d = msgs[m].id;
		for (uint32_t k = 0; k < msgs[m].layout.n_fields && n_out < cap; k++) {
			const struct disc_field *f = &msgs[m].layout.fields[k];
			size_t n = 0;
			for (uint32_t i = 0; i < d->n_sample; i++) {
				if (d->pairs[i].len != d->max_len || isnan(d->pairs[i].ref))
					continue;
				uint64_t raw = disc_span_value(&f->span, disc_pair_cur(d, i));
				x[n] = f->is_signed ? (double)sign_extend(raw, f->span.w) : (double)raw;
				y[n] = d->pairs[i].ref;
				n++;
			}
			if (n < DISC_CORR_MIN_SAMPLES)
				continue;
			struct disc_corr *c = &out[n_out++];
			c->msg = (uint32_t)m;
			c->field = k;
			c->n = (uint32_t)n;
			c->r = disc_fit_line(x, y, n, &c->scale, &c->offset);
		}
	}
	qsort(out, n_out, sizeof *out, by_r);
done:
	free(x);
	free(y);
	return n_out;
}
