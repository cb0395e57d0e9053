/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_connrec.c: connection records for monitoring: what is packed
 * comes back unchanged, a subscription budget cuts the list and says
 * so, long strings are cut, and truncated or corrupted input is refused
 * without reading past its end.
 */

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "connrec.h"

static struct connrec_sub	subs[3] = {
	{ "orders.>", "", "1", 7, 0 },
	{ "orders.new", "workers", "22", 0, 5 },
	{ "x", "", "333", 1, -1 },
};

static void
sample(struct connrec *r)
{
	memset(r, 0, sizeof(*r));
	r->cid = 42;
	r->kind = 3;
	r->flags = CONNREC_CLOSED;
	r->start = 1700000000123456789LL;
	r->last = r->start + 5;
	r->stop = r->start + 10;
	r->rtt = 279000;
	r->in_msgs = 1;
	r->out_msgs = 2;
	r->in_bytes = 3;
	r->out_bytes = 4;
	r->pending = 5;
	r->port = 65535;
	r->nsubs = 3;
	r->ip = "127.0.0.1";
	r->name = "client name";
	r->lang = "c";
	r->version = "3.7.0";
	r->reason = "Client Closed";
	r->user = NULL;
	r->account = "$G";
}

static void
pack(struct connrec_buf *b, const struct connrec *r, size_t cap, size_t n)
{
	size_t	i;

	connrec_put(b, r, cap);
	for (i = 0; i < n; i++)
		if (connrec_put_sub(b, &subs[i]) == -1)
			break;
}

static void
same_sub(const struct connrec_sub *a, const struct connrec_sub *b)
{
	ck_assert_str_eq(a->subject, b->subject);
	ck_assert_str_eq(a->queue, b->queue);
	ck_assert_str_eq(a->sid, b->sid);
	ck_assert_uint_eq(a->msgs, b->msgs);
	ck_assert_int_eq(a->max, b->max);
}

START_TEST(test_connrec_get_roundtrip)
{
	struct connrec_buf	 b;
	struct connrec		 r, *g;
	const unsigned char	*p;
	size_t			 left, i;

	sample(&r);
	connrec_buf_init(&b);
	pack(&b, &r, 1 << 20, 3);
	ck_assert_uint_eq(b.nrecs, 1);
	p = b.p;
	left = b.len;
	g = connrec_get(&p, &left);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(left, 0);
	ck_assert_ptr_eq(p, b.p + b.len);
	ck_assert_uint_eq(g->cid, r.cid);
	ck_assert_uint_eq(g->kind, r.kind);
	ck_assert_uint_eq(g->flags, CONNREC_CLOSED);
	ck_assert_int_eq(g->start, r.start);
	ck_assert_int_eq(g->last, r.last);
	ck_assert_int_eq(g->stop, r.stop);
	ck_assert_int_eq(g->rtt, r.rtt);
	ck_assert_uint_eq(g->in_msgs, 1);
	ck_assert_uint_eq(g->out_msgs, 2);
	ck_assert_uint_eq(g->in_bytes, 3);
	ck_assert_uint_eq(g->out_bytes, 4);
	ck_assert_uint_eq(g->pending, 5);
	ck_assert_uint_eq(g->port, 65535);
	ck_assert_uint_eq(g->nsubs, 3);
	ck_assert_str_eq(g->ip, r.ip);
	ck_assert_str_eq(g->name, r.name);
	ck_assert_str_eq(g->lang, r.lang);
	ck_assert_str_eq(g->version, r.version);
	ck_assert_str_eq(g->reason, r.reason);
	ck_assert_str_eq(g->user, "");		/* NULL packs as "" */
	ck_assert_str_eq(g->account, r.account);
	ck_assert_uint_eq(g->nsublist, 3);
	for (i = 0; i < 3; i++)
		same_sub(&g->subs[i], &subs[i]);
	free(g);
	connrec_buf_free(&b);
}
END_TEST

START_TEST(test_connrec_get_several)
{
	struct connrec_buf	 b;
	struct connrec		 r, *g;
	const unsigned char	*p;
	size_t			 left, i;

	sample(&r);
	connrec_buf_init(&b);
	for (i = 0; i < 5; i++) {
		r.cid = 100 + i;
		pack(&b, &r, 1 << 20, i % 4);
	}
	ck_assert_uint_eq(b.nrecs, 5);
	p = b.p;
	left = b.len;
	for (i = 0; i < 5; i++) {
		g = connrec_get(&p, &left);
		ck_assert_ptr_nonnull(g);
		ck_assert_uint_eq(g->cid, 100 + i);
		ck_assert_uint_eq(g->nsublist, i % 4);
		free(g);
	}
	ck_assert_uint_eq(left, 0);
	connrec_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(b.nrecs, 0);
	connrec_buf_free(&b);
}
END_TEST

/* A budget that holds the first subscription but not the second. */
START_TEST(test_connrec_put_sub_budget)
{
	struct connrec_buf	 b;
	struct connrec		 r, *g;
	const unsigned char	*p;
	size_t			 left, before, one;

	sample(&r);
	connrec_buf_init(&b);
	connrec_put(&b, &r, 1 << 20);
	before = b.len;
	ck_assert_int_eq(connrec_put_sub(&b, &subs[0]), 0);
	one = b.len - before;
	connrec_buf_reset(&b);

	pack(&b, &r, one, 3);
	p = b.p;
	left = b.len;
	g = connrec_get(&p, &left);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nsublist, 1);
	same_sub(&g->subs[0], &subs[0]);
	ck_assert(g->flags & CONNREC_SUBS_CUT);
	ck_assert_uint_eq(g->nsubs, 3);		/* the count stays true */
	free(g);

	connrec_buf_reset(&b);
	pack(&b, &r, 0, 3);
	p = b.p;
	left = b.len;
	g = connrec_get(&p, &left);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nsublist, 0);
	ck_assert(g->flags & CONNREC_SUBS_CUT);
	free(g);
	connrec_buf_free(&b);
}
END_TEST

START_TEST(test_connrec_put_long_string)
{
	struct connrec_buf	 b;
	struct connrec		 r, *g;
	const unsigned char	*p;
	size_t			 left;
	char			*name;

	name = malloc(CONNREC_STR_MAX * 3 + 1);
	memset(name, 'n', CONNREC_STR_MAX * 3);
	name[CONNREC_STR_MAX * 3] = '\0';
	sample(&r);
	r.name = name;
	connrec_buf_init(&b);
	pack(&b, &r, 0, 0);
	p = b.p;
	left = b.len;
	g = connrec_get(&p, &left);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(strlen(g->name), CONNREC_STR_MAX);
	ck_assert_int_eq(strncmp(g->name, name, CONNREC_STR_MAX), 0);
	free(g);
	free(name);
	connrec_buf_free(&b);
}
END_TEST

/* Every proper prefix of a record is refused and nothing is consumed. */
START_TEST(test_connrec_get_truncated)
{
	struct connrec_buf	 b;
	struct connrec		 r;
	const unsigned char	*p;
	unsigned char		*copy;
	size_t			 left, cut;

	sample(&r);
	connrec_buf_init(&b);
	pack(&b, &r, 1 << 20, 3);
	for (cut = 0; cut < b.len; cut++) {
		/* An exact-size copy, so ASan sees any read past it. */
		copy = malloc(cut + 1);
		memcpy(copy, b.p, cut);
		p = copy;
		left = cut;
		errno = 0;
		ck_assert_ptr_null(connrec_get(&p, &left));
		ck_assert_int_eq(errno, EBADMSG);
		ck_assert_ptr_eq(p, copy);
		ck_assert_uint_eq(left, cut);
		free(copy);
	}
	connrec_buf_free(&b);
}
END_TEST

/* Lengths that point past the end are refused. */
START_TEST(test_connrec_get_bad_lengths)
{
	struct connrec_buf	 b;
	struct connrec		 r, *g;
	const unsigned char	*p;
	size_t			 left, i;
	int			 refused = 0;

	sample(&r);
	connrec_buf_init(&b);
	pack(&b, &r, 1 << 20, 3);
	/* Set every byte in turn to 0xff: no crash, no overread. */
	for (i = 0; i < b.len; i++) {
		unsigned char	save = b.p[i];

		b.p[i] = 0xff;
		p = b.p;
		left = b.len;
		g = connrec_get(&p, &left);
		if (g == NULL)
			refused++;
		else
			ck_assert_uint_le((size_t)(p - b.p), b.len);
		free(g);
		b.p[i] = save;
	}
	ck_assert_int_gt(refused, 0);
	connrec_buf_free(&b);
}
END_TEST

START_TEST(test_connrec_get_garbage)
{
	unsigned char		 buf[512];
	const unsigned char	*p;
	struct connrec		*g;
	size_t			 left, left0, i;
	int			 round;

	srandom(7);
	for (round = 0; round < 2000; round++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = random() & (round & 1 ? 0x03 : 0xff);
		p = buf;
		left0 = left = random() % sizeof(buf);
		g = connrec_get(&p, &left);
		if (g != NULL)
			ck_assert_uint_eq((size_t)(p - buf), left0 - left);
		else
			ck_assert_uint_eq(left, left0);
		free(g);
	}
}
END_TEST

static Suite *
connrec_suite(void)
{
	Suite	*s = suite_create("connrec");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_connrec_get_roundtrip);
	tcase_add_test(tc, test_connrec_get_several);
	tcase_add_test(tc, test_connrec_put_sub_budget);
	tcase_add_test(tc, test_connrec_put_long_string);
	tcase_add_test(tc, test_connrec_get_truncated);
	tcase_add_test(tc, test_connrec_get_bad_lengths);
	tcase_add_test(tc, test_connrec_get_garbage);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(connrec_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
