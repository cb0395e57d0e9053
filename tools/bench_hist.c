/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench_hist.c: the latency histogram of natsd-bench reqrep: values
 * in nanoseconds, eight buckets per power of two (each at most 12.5%
 * wide), exact below 16 ns; percentiles read from the bucket counts.
 */

#include "config.h"

#include <sys/types.h>

#include <math.h>
#include <string.h>

#include "bench.h"

void
bench_hist_init(struct bench_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

/*
 * The bucket of v: v itself below 16; above, the position of the top
 * bit picks a group of eight and the three bits below it the bucket.
 */
int
bench_hist_index(uint64_t v)
{
	int	 msb;

	if (v < 16)
		return ((int)v);
	msb = 63 - __builtin_clzll(v);
	return ((msb - 2) * BENCH_HIST_SUB + (int)((v >> (msb - 3)) & 7));
}

/* The largest value bucket i holds. */
uint64_t
bench_hist_upper(int i)
{
	int		 msb, sub;
	uint64_t	 lower;

	if (i < 16)
		return ((uint64_t)i);
	msb = i / BENCH_HIST_SUB + 2;
	sub = i % BENCH_HIST_SUB;
	lower = (uint64_t)(BENCH_HIST_SUB + sub) << (msb - 3);
	return (lower + ((UINT64_C(1) << (msb - 3)) - 1));
}

void
bench_hist_add(struct bench_hist *h, uint64_t v)
{
	h->bucket[bench_hist_index(v)]++;
	h->n++;
	h->sum += (double)v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/*
 * The p-quantile (0 < p <= 1) of the values added: the top of the
 * bucket holding the value of rank ceil(p * n), but never above the
 * largest value seen, so that percentiles never decrease with p and
 * p = 1 gives the exact maximum. Returns 0 for an empty histogram.
 */
uint64_t
bench_hist_percentile(const struct bench_hist *h, double p)
{
	uint64_t	 rank, seen = 0, up;
	int		 i;

	if (h->n == 0)
		return (0);
	rank = (uint64_t)ceil(p * (double)h->n);
	if (rank < 1)
		rank = 1;
	if (rank > h->n)
		rank = h->n;
	for (i = 0; i < BENCH_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	up = bench_hist_upper(i);
	return (up < h->max ? up : h->max);
}
