/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_bench_hist.c: unit tests of tools/bench_hist.c, natsd-bench's
 * latency histogram: buckets tile the values in order, and percentiles
 * agree with those of the sorted values within one bucket's width.
 */

#include "config.h"

#include <sys/types.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <check.h>

#include "bench.h"

/* A fixed generator, so that a failure can be replayed. */
static uint64_t
lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (*s >> 11);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/* Every value lies in its bucket, and buckets follow each other. */
START_TEST(test_bench_hist_index_tiles)
{
	uint64_t	 v, s = 1;
	int		 i, k;

	for (v = 0; v < 5000; v++) {
		i = bench_hist_index(v);
		ck_assert_uint_ge(bench_hist_upper(i), v);
		if (i > 0)
			ck_assert_uint_lt(bench_hist_upper(i - 1), v);
	}
	for (k = 0; k < 100000; k++) {
		v = lcg(&s) >> (lcg(&s) % 53);
		i = bench_hist_index(v);
		ck_assert_int_lt(i, BENCH_HIST_BUCKETS);
		ck_assert_uint_ge(bench_hist_upper(i), v);
		if (i > 0)
			ck_assert_uint_lt(bench_hist_upper(i - 1), v);
	}
	ck_assert_int_lt(bench_hist_index(UINT64_MAX), BENCH_HIST_BUCKETS);
	ck_assert(bench_hist_upper(bench_hist_index(UINT64_MAX)) ==
	    UINT64_MAX);
}
END_TEST

/* A bucket is at most an eighth of its lower bound wide. */
START_TEST(test_bench_hist_upper_width)
{
	uint64_t	 lo, hi;
	int		 i;

	for (i = 17; i < bench_hist_index(UINT64_MAX); i++) {
		lo = bench_hist_upper(i - 1) + 1;
		hi = bench_hist_upper(i);
		ck_assert_uint_le(hi - lo + 1, lo / 8 + 1);
	}
}
END_TEST

/*
 * Percentiles of random values against the sorted values' own: never
 * below, at most a bucket above, never above the maximum.
 */
START_TEST(test_bench_hist_percentile_reference)
{
	static const double	 ps[] = { 0.001, 0.5, 0.9, 0.99, 0.999, 1 };
	struct bench_hist	 h;
	uint64_t		*v, s = 42, want, got, prev;
	size_t			 n = 20000, i, j;

	v = calloc(n, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	bench_hist_init(&h);
	for (i = 0; i < n; i++) {
		/* log-uniform over 1 ns .. 1 s, like latencies */
		v[i] = (uint64_t)exp((double)(lcg(&s) % 20000) / 1000.0);
		bench_hist_add(&h, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	ck_assert_uint_eq(h.n, n);
	ck_assert_uint_eq(h.min, v[0]);
	ck_assert_uint_eq(h.max, v[n - 1]);
	prev = 0;
	for (j = 0; j < sizeof(ps) / sizeof(ps[0]); j++) {
		want = v[(size_t)ceil(ps[j] * n) - 1];
		got = bench_hist_percentile(&h, ps[j]);
		ck_assert_uint_ge(got, want);
		ck_assert_uint_le(got, want + want / 8 + 1);
		ck_assert_uint_le(got, v[n - 1]);
		ck_assert_uint_ge(got, prev);
		prev = got;
	}
	ck_assert_uint_eq(bench_hist_percentile(&h, 1), v[n - 1]);
	free(v);
}
END_TEST

START_TEST(test_bench_hist_percentile_empty)
{
	struct bench_hist	 h;

	bench_hist_init(&h);
	ck_assert_uint_eq(bench_hist_percentile(&h, 0.5), 0);
	bench_hist_add(&h, 12345);
	ck_assert_uint_eq(bench_hist_percentile(&h, 0.5), 12345);
	ck_assert_uint_eq(bench_hist_percentile(&h, 0.001), 12345);
}
END_TEST

static Suite *
bench_hist_suite(void)
{
	Suite	*s = suite_create("bench_hist");
	TCase	*tc;

	tc = tcase_create("bench_hist");
	tcase_add_test(tc, test_bench_hist_index_tiles);
	tcase_add_test(tc, test_bench_hist_upper_width);
	tcase_add_test(tc, test_bench_hist_percentile_reference);
	tcase_add_test(tc, test_bench_hist_percentile_empty);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(bench_hist_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
