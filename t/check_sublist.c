/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_sublist.c: unit tests of shared/sublist.c and sublist_match.c,
 * including a randomised comparison against a naive matcher written here
 * independently (a flat list of subscriptions, token-by-token matching).
 */

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "arena.h"
#include "sublist.h"

/* Hot-loop assertion: check marks a point (a pipe write) per ck_assert. */
#define REQUIRE(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);	\
} while (0)

static struct arena		 arena;
static struct sublist_result	 res;

/* ---- the naive model ---- */

struct model_sub {
	int			acc;
	char			subj[256];
	char			queue[64];	/* "" for plain */
	struct sublist_dest	d;
};

struct model {
	struct model_sub	*v;
	size_t			 n;
	size_t			 cap;
};

/* A (queue, dest) as compared: queue "" for plain. */
struct flat {
	char			queue[64];
	struct sublist_dest	d;
};

static struct sublist_dest
mkdest(uint16_t worker, uint64_t handle)
{
	struct sublist_dest	d;

	memset(&d, 0, sizeof(d));
	d.worker = worker;
	d.kind = (uint16_t)(handle % 5);
	d.flags = (uint32_t)(handle * 7);
	d.handle = handle;
	return (d);
}

static void
setup(void)
{
	char	*cause = NULL;

	ck_assert_int_eq(arena_create(&arena, 64 << 20, &cause), 0);
	ck_assert_int_eq(sublist_init(&arena), 0);
	sublist_result_init(&res);
}

static void
teardown(void)
{
	sublist_result_free(&res);
	arena_destroy(&arena);
}

/*
 * Does a subscription subject match a literal subject? Written from the
 * NATS documentation: '*' matches exactly one token, '>' one or more
 * tokens at the end; other tokens must be equal.
 */
static int
naive_match(const char *pat, const char *subj)
{
	const char	*p = pat, *s = subj;
	size_t		 pl, sl;

	for (;;) {
		pl = strcspn(p, ".");
		sl = strcspn(s, ".");
		if (pl == 1 && p[0] == '>')
			return (1);	/* s has at least this token */
		if (!(pl == 1 && p[0] == '*') &&
		    (pl != sl || memcmp(p, s, pl) != 0))
			return (0);
		if (p[pl] == '\0' || s[sl] == '\0')
			return (p[pl] == '\0' && s[sl] == '\0');
		p += pl + 1;
		s += sl + 1;
	}
}

static int
flat_cmp(const void *x, const void *y)
{
	const struct flat	*a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->queue, b->queue)) != 0)
		return (c);
	if (a->d.worker != b->d.worker)
		return (a->d.worker < b->d.worker ? -1 : 1);
	if (a->d.handle != b->d.handle)
		return (a->d.handle < b->d.handle ? -1 : 1);
	return (memcmp(&a->d, &b->d, sizeof(a->d)));
}

static void
model_add(struct model *m, int acc, const char *subj, const char *queue,
    struct sublist_dest d)
{
	struct model_sub	*s;

	if (m->n == m->cap) {
		m->cap = m->cap * 2 + 64;
		m->v = realloc(m->v, m->cap * sizeof(*m->v));
		REQUIRE(m->v != NULL);
	}
	s = &m->v[m->n++];
	memset(s, 0, sizeof(*s));
	s->acc = acc;
	snprintf(s->subj, sizeof(s->subj), "%s", subj);
	snprintf(s->queue, sizeof(s->queue), "%s", queue ? queue : "");
	s->d = d;
}

static void
model_del(struct model *m, size_t i)
{
	m->v[i] = m->v[--m->n];
}

static size_t
model_count(const struct model *m, int acc)
{
	size_t	i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->v[i].acc == acc;
	return (n);
}

/* The model's answer, flattened and sorted. */
static size_t
model_flat(const struct model *m, int acc, const char *subj,
    struct flat **out)
{
	struct flat	*f;
	size_t		 i, n = 0;

	f = calloc(m->n + 1, sizeof(*f));
	REQUIRE(f != NULL);
	for (i = 0; i < m->n; i++) {
		if (m->v[i].acc != acc || !naive_match(m->v[i].subj, subj))
			continue;
		strcpy(f[n].queue, m->v[i].queue);
		f[n++].d = m->v[i].d;
	}
	qsort(f, n, sizeof(*f), flat_cmp);
	*out = f;
	return (n);
}

/*
 * A result, flattened and sorted; also checks its shape: groups have
 * members, distinct names, and cover members exactly.
 */
static size_t
result_flat(const struct sublist_result *r, struct flat **out)
{
	struct flat	*f;
	size_t		 i, j, n = 0, covered = 0;

	f = calloc(r->nplain + r->nmembers + 1, sizeof(*f));
	REQUIRE(f != NULL);
	for (i = 0; i < r->nplain; i++)
		f[n++].d = r->plain[i];
	for (i = 0; i < r->ngroups; i++) {
		const struct sublist_group *g = &r->groups[i];

		REQUIRE(g->count >= 1);
		REQUIRE(g->start + g->count <= r->nmembers);
		REQUIRE(strlen(sublist_group_name(r, g)) == g->namelen);
		for (j = 0; j < i; j++)
			REQUIRE(strcmp(sublist_group_name(r, g),
			    sublist_group_name(r, &r->groups[j])) != 0);
		for (j = 0; j < g->count; j++) {
			strcpy(f[n].queue, sublist_group_name(r, g));
			f[n++].d = r->members[g->start + j];
		}
		covered += g->count;
	}
	REQUIRE(covered == r->nmembers);
	qsort(f, n, sizeof(*f), flat_cmp);
	*out = f;
	return (n);
}

static void
check_against_model(const struct model *m, int acc, const char *subj,
    const struct sublist_result *r)
{
	struct flat	*want, *got;
	size_t		 nw, ng, i;

	nw = model_flat(m, acc, subj, &want);
	ng = result_flat(r, &got);
	if (nw != ng)
		ck_abort_msg("match %s: %zu entries, model has %zu", subj, ng,
		    nw);
	for (i = 0; i < nw; i++) {
		if (flat_cmp(&want[i], &got[i]) != 0)
			ck_abort_msg("match %s: entry %zu differs (handle "
			    "%llu/%s vs %llu/%s)", subj, i,
			    (unsigned long long)got[i].d.handle, got[i].queue,
			    (unsigned long long)want[i].d.handle,
			    want[i].queue);
	}
	free(want);
	free(got);
}

static int
ins(int acc, const char *subj, const char *q, uint16_t w, uint64_t h)
{
	struct sublist_dest	d = mkdest(w, h);

	return (sublist_insert(&arena, acc, subj, strlen(subj), q,
	    q ? strlen(q) : 0, &d));
}

static int
rem(int acc, const char *subj, const char *q, uint16_t w, uint64_t h)
{
	struct sublist_dest	d = mkdest(w, h);

	return (sublist_remove(&arena, acc, subj, strlen(subj), q,
	    q ? strlen(q) : 0, &d));
}

static void
match(int acc, const char *subj)
{
	REQUIRE(sublist_match(&arena, acc, subj, strlen(subj), &res) == 0);
}

/* ---- basics ---- */

START_TEST(test_sublist_insert_match_literal)
{
	ck_assert_int_eq(ins(0, "foo.bar", NULL, 1, 10), 0);
	ck_assert_int_eq(ins(0, "foo.baz", NULL, 1, 11), 0);
	ck_assert_int_eq(ins(0, "foo", NULL, 2, 12), 0);
	ck_assert_uint_eq(sublist_count(&arena, 0), 3);

	match(0, "foo.bar");
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.plain[0].handle, 10);
	ck_assert_uint_eq(res.plain[0].worker, 1);
	ck_assert_uint_eq(res.plain[0].kind, 10 % 5);
	ck_assert_uint_eq(res.plain[0].flags, 70);
	ck_assert_uint_eq(res.ngroups, 0);

	match(0, "foo");
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.plain[0].handle, 12);

	match(0, "foo.bar.baz");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, "bar");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, "fo");
	ck_assert_uint_eq(res.nplain, 0);
}
END_TEST

START_TEST(test_sublist_match_wildcards)
{
	ck_assert_int_eq(ins(0, "foo.*", NULL, 1, 1), 0);
	ck_assert_int_eq(ins(0, "foo.>", NULL, 1, 2), 0);
	ck_assert_int_eq(ins(0, "*.bar", NULL, 1, 3), 0);
	ck_assert_int_eq(ins(0, ">", NULL, 1, 4), 0);
	ck_assert_int_eq(ins(0, "*.*.*", NULL, 1, 5), 0);
	ck_assert_int_eq(ins(0, "foo*.bar", NULL, 1, 6), 0);

	match(0, "foo.bar");		/* 1 2 3 4 */
	ck_assert_uint_eq(res.nplain, 4);
	match(0, "foo.bar.baz");	/* 2 4 5 */
	ck_assert_uint_eq(res.nplain, 3);
	match(0, "foo");		/* 4: '>' needs one token, foo.> none */
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.plain[0].handle, 4);
	match(0, "foox.bar");		/* 3 4 */
	ck_assert_uint_eq(res.nplain, 2);
	match(0, "foo*.bar");		/* "foo*" is a literal: 3 4 6 */
	ck_assert_uint_eq(res.nplain, 3);
}
END_TEST

START_TEST(test_sublist_match_wildcard_in_publish)
{
	/* nats-server: a '*' published matches '*' and '>' subscriptions */
	ck_assert_int_eq(ins(0, "a.*", NULL, 1, 1), 0);
	ck_assert_int_eq(ins(0, "a.>", NULL, 1, 2), 0);
	ck_assert_int_eq(ins(0, "a.b", NULL, 1, 3), 0);
	match(0, "a.*");
	ck_assert_uint_eq(res.nplain, 2);
	match(0, "a.>");
	ck_assert_uint_eq(res.nplain, 2);
}
END_TEST

START_TEST(test_sublist_match_bad_subjects)
{
	ck_assert_int_eq(ins(0, ">", NULL, 1, 1), 0);
	match(0, "");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, "a..b");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, "a.");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, ".a");
	ck_assert_uint_eq(res.nplain, 0);
	match(0, "a");
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_int_eq(sublist_match(&arena, 7, "a", 1, &res), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_sublist_match_queue_groups)
{
	ck_assert_int_eq(ins(0, "foo.bar", "g1", 1, 1), 0);
	ck_assert_int_eq(ins(0, "foo.bar", "g1", 2, 2), 0);
	ck_assert_int_eq(ins(0, "foo.bar", "g2", 1, 3), 0);
	ck_assert_int_eq(ins(0, "foo.*", "g1", 3, 4), 0);
	ck_assert_int_eq(ins(0, "foo.>", "g3", 3, 5), 0);
	ck_assert_int_eq(ins(0, "foo.bar", NULL, 1, 6), 0);

	match(0, "foo.bar");
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.plain[0].handle, 6);
	ck_assert_uint_eq(res.ngroups, 3);	/* g1 merged across nodes */
	ck_assert_uint_eq(res.nmembers, 5);
	for (size_t i = 0; i < res.ngroups; i++) {
		const struct sublist_group *g = &res.groups[i];
		const char *name = sublist_group_name(&res, g);

		if (strcmp(name, "g1") == 0)
			ck_assert_uint_eq(g->count, 3);
		else if (strcmp(name, "g2") == 0) {
			ck_assert_uint_eq(g->count, 1);
			ck_assert_uint_eq(res.members[g->start].handle, 3);
		} else if (strcmp(name, "g3") == 0) {
			ck_assert_uint_eq(g->count, 1);
			ck_assert_uint_eq(res.members[g->start].handle, 5);
		} else
			ck_abort_msg("unexpected group %s", name);
	}

	match(0, "foo.baz");
	ck_assert_uint_eq(res.nplain, 0);
	ck_assert_uint_eq(res.ngroups, 2);
	ck_assert_uint_eq(res.nmembers, 2);

	/* Removing the queue entry leaves the plain one alone. */
	ck_assert_int_eq(rem(0, "foo.bar", "g2", 1, 3), 0);
	ck_assert_int_eq(rem(0, "foo.bar", "g2", 1, 3), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "foo.bar", "g1", 1, 6), -1);
	ck_assert_int_eq(errno, ENOENT);
	match(0, "foo.bar");
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.ngroups, 2);
}
END_TEST

START_TEST(test_sublist_insert_invalid)
{
	static const char *bad[] = { "", ".", "a.", ".a", "a..b", "a.>.b",
	    ">.a", "a.>.>" };
	static const char *good[] = { "a", ">", "*", "a.>", "*.*", "a.*.b",
	    "foo*.>", "a>.b", "$SYS.>" };
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_int_eq(ins(0, bad[i], NULL, 1, i), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_int_eq(ins(0, good[i], NULL, 1, i), 0);
	ck_assert_int_eq(ins(0, "a", "bad queue", 1, 100), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ins(0, "a", "q\t", 1, 100), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ins(5, "a", NULL, 1, 100), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(sublist_count(&arena, 0),
	    sizeof(good) / sizeof(good[0]));
}
END_TEST

START_TEST(test_sublist_remove_unknown)
{
	ck_assert_int_eq(ins(0, "a.b", NULL, 1, 1), 0);
	ck_assert_int_eq(rem(0, "a.c", NULL, 1, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "a", NULL, 1, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "a.b", NULL, 1, 2), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "a.b", NULL, 2, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "a.*", NULL, 1, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(rem(0, "a.b", "q", 1, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(sublist_count(&arena, 0), 1);
	ck_assert_int_eq(rem(0, "a.b", NULL, 1, 1), 0);
	ck_assert_uint_eq(sublist_count(&arena, 0), 0);
	match(0, "a.b");
	ck_assert_uint_eq(res.nplain, 0);
}
END_TEST

START_TEST(test_sublist_remove_frees_everything)
{
	uint64_t	before, h;
	char		subj[64];

	before = arena_used(&arena);
	for (h = 0; h < 2000; h++) {
		snprintf(subj, sizeof(subj), "t%llu.x.%llu.>",
		    (unsigned long long)(h % 37), (unsigned long long)h);
		ck_assert_int_eq(ins(0, subj, h % 3 ? NULL : "q", 1, h), 0);
	}
	ck_assert_uint_gt(arena_used(&arena), before);
	for (h = 0; h < 2000; h++) {
		snprintf(subj, sizeof(subj), "t%llu.x.%llu.>",
		    (unsigned long long)(h % 37), (unsigned long long)h);
		ck_assert_int_eq(rem(0, subj, h % 3 ? NULL : "q", 1, h), 0);
	}
	/* Every node, table, vector and name went back to the arena. */
	ck_assert_uint_eq(arena_used(&arena), before);
	ck_assert_uint_eq(sublist_count(&arena, 0), 0);
}
END_TEST

START_TEST(test_sublist_table_grow_shrink)
{
	static char	live[5000];
	uint64_t	before, h, k;
	char		subj[64];
	int		pass;

	/* 5000 literal siblings: the table of "big" grows, then shrinks. */
	before = arena_used(&arena);
	for (h = 0; h < 5000; h++) {
		snprintf(subj, sizeof(subj), "big.%llu", (unsigned long long)h);
		ck_assert_int_eq(ins(0, subj, NULL, 1, h), 0);
		live[h] = 1;
	}
	/* Remove in a scattered order, checking every sibling each round. */
	for (pass = 0; pass < 4; pass++) {
		for (k = 0; k < 5000; k++) {
			h = (k * 2654435761ULL + (uint64_t)pass) % 5000;
			if (!live[h] || (h + (uint64_t)pass) % 3 == 0)
				continue;
			snprintf(subj, sizeof(subj), "big.%llu",
			    (unsigned long long)h);
			REQUIRE(rem(0, subj, NULL, 1, h) == 0);
			live[h] = 0;
		}
		for (h = 0; h < 5000; h++) {
			snprintf(subj, sizeof(subj), "big.%llu",
			    (unsigned long long)h);
			match(0, subj);
			REQUIRE(res.nplain == (size_t)live[h]);
			if (live[h])
				REQUIRE(res.plain[0].handle == h);
		}
	}
	for (h = 0; h < 5000; h++) {
		if (!live[h])
			continue;
		snprintf(subj, sizeof(subj), "big.%llu", (unsigned long long)h);
		REQUIRE(rem(0, subj, NULL, 1, h) == 0);
	}
	ck_assert_uint_eq(arena_used(&arena), before);
}
END_TEST

START_TEST(test_sublist_purge_worker_basic)
{
	struct model	m = { NULL, 0, 0 };
	int		acc;

	acc = sublist_account(&arena, "B");
	ck_assert_int_eq(acc, 1);
	ck_assert_int_eq(ins(0, "a.b", NULL, 1, 1), 0);
	model_add(&m, 0, "a.b", NULL, mkdest(1, 1));
	ck_assert_int_eq(ins(0, "a.b", NULL, 2, 2), 0);
	ck_assert_int_eq(ins(0, "a.*", "q", 2, 3), 0);
	ck_assert_int_eq(ins(0, "a.*", "q", 1, 4), 0);
	model_add(&m, 0, "a.*", "q", mkdest(1, 4));
	ck_assert_int_eq(ins(0, "x.y.z", NULL, 2, 5), 0);
	ck_assert_int_eq(ins(acc, "a.b", NULL, 2, 6), 0);
	ck_assert_int_eq(ins(acc, "a.b", NULL, 3, 7), 0);
	model_add(&m, acc, "a.b", NULL, mkdest(3, 7));

	ck_assert_int_eq(sublist_purge_worker(&arena, 2), 4);
	ck_assert_uint_eq(sublist_count(&arena, 0), 2);
	ck_assert_uint_eq(sublist_count(&arena, acc), 1);
	match(0, "a.b");
	check_against_model(&m, 0, "a.b", &res);
	match(0, "x.y.z");
	ck_assert_uint_eq(res.nplain, 0);
	match(acc, "a.b");
	check_against_model(&m, acc, "a.b", &res);
	ck_assert_int_eq(sublist_purge_worker(&arena, 2), 0);
	free(m.v);
}
END_TEST

/* ---- accounts ---- */

START_TEST(test_sublist_account_table_full)
{
	char	name[32];
	int	i;

	ck_assert_int_eq(sublist_account(&arena, "$G"), SUBLIST_GLOBAL);
	ck_assert_str_eq(sublist_account_name(&arena, 0), "$G");
	for (i = 1; i < SUBLIST_MAX_ACCOUNTS; i++) {
		snprintf(name, sizeof(name), "acc%d", i);
		ck_assert_int_eq(sublist_account(&arena, name), i);
	}
	ck_assert_int_eq(sublist_account(&arena, "one-too-many"), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(sublist_account(&arena, "acc77"), 77);
	ck_assert_str_eq(sublist_account_name(&arena, 77), "acc77");
	ck_assert_int_eq(sublist_naccounts(&arena), SUBLIST_MAX_ACCOUNTS);
	/* Each account has its own trie. */
	ck_assert_int_eq(ins(77, "a", NULL, 1, 1), 0);
	match(78, "a");
	ck_assert_uint_eq(res.nplain, 0);
	match(77, "a");
	ck_assert_uint_eq(res.nplain, 1);
}
END_TEST

START_TEST(test_sublist_account_bad_name)
{
	char	name[300];

	ck_assert_int_eq(sublist_account(&arena, ""), -1);
	ck_assert_int_eq(errno, EINVAL);
	memset(name, 'x', sizeof(name));
	name[256] = '\0';
	ck_assert_int_eq(sublist_account(&arena, name), -1);
	ck_assert_int_eq(errno, EINVAL);
	name[255] = '\0';
	ck_assert_int_eq(sublist_account(&arena, name), 1);
	ck_assert_int_eq(sublist_account(&arena, name), 1);
}
END_TEST

/* ---- arena full ---- */

START_TEST(test_sublist_insert_arena_full)
{
	struct arena	small;
	struct model	m = { NULL, 0, 0 };
	char		*cause = NULL, subj[96];
	uint64_t	h, used;
	size_t		i, ninserted;
	int		rc = 0;

	sublist_result_free(&res);
	arena_destroy(&arena);
	ck_assert_int_eq(arena_create(&small, ARENA_MIN_SIZE, &cause), 0);
	arena = small;
	ck_assert_int_eq(sublist_init(&arena), 0);

	for (h = 0; h < 1000000; h++) {
		snprintf(subj, sizeof(subj), "fill.%llu.some_long_token_%llu",
		    (unsigned long long)(h % 97), (unsigned long long)h);
		rc = ins(0, subj, h % 4 == 0 ? "queue" : NULL, 1, h);
		if (rc == -1)
			break;
		model_add(&m, 0, subj, h % 4 == 0 ? "queue" : NULL,
		    mkdest(1, h));
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(errno, ENOMEM);
	ninserted = m.n;
	ck_assert_uint_gt(ninserted, 100);
	ck_assert_uint_eq(sublist_count(&arena, 0), ninserted);

	/* Nothing broke: everything inserted still matches. */
	for (i = 0; i < m.n; i += 7) {
		match(0, m.v[i].subj);
		check_against_model(&m, 0, m.v[i].subj, &res);
	}
	/* Failing again changes nothing. */
	used = arena_used(&arena);
	ck_assert_int_eq(ins(0, subj, h % 4 == 0 ? "queue" : NULL, 1, h), -1);
	ck_assert_int_eq(errno, ENOMEM);
	ck_assert_uint_eq(arena_used(&arena), used);
	ck_assert_uint_eq(sublist_count(&arena, 0), ninserted);
	/* Freed room is reused. */
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(rem(0, m.v[m.n - 1].subj,
		    m.v[m.n - 1].queue[0] ? m.v[m.n - 1].queue : NULL, 1,
		    m.v[m.n - 1].d.handle), 0);
		model_del(&m, m.n - 1);
	}
	ck_assert_int_eq(ins(0, "fill.1.again", NULL, 1, ~0ULL), 0);
	model_add(&m, 0, "fill.1.again", NULL, mkdest(1, ~0ULL));
	match(0, "fill.1.again");
	check_against_model(&m, 0, "fill.1.again", &res);
	match(0, m.v[0].subj);
	check_against_model(&m, 0, m.v[0].subj, &res);
	free(m.v);
}
END_TEST

/* ---- dump ---- */

struct dumped {
	struct flat	*f;
	char		(*subj)[256];
	size_t		 n;
};

static int
dump_cb(const char *subj, size_t slen, const char *q, size_t qlen,
    const struct sublist_dest *d, void *arg)
{
	struct dumped	*x = arg;

	ck_assert_uint_eq(strlen(subj), slen);
	ck_assert_uint_eq(q == NULL ? 0 : strlen(q), qlen);
	x->f = realloc(x->f, (x->n + 1) * sizeof(*x->f));
	x->subj = realloc(x->subj, (x->n + 1) * sizeof(*x->subj));
	snprintf(x->f[x->n].queue, sizeof(x->f[x->n].queue), "%s",
	    q ? q : "");
	snprintf(x->subj[x->n], sizeof(x->subj[x->n]), "%s", subj);
	x->f[x->n].d = *d;
	x->n++;
	return (0);
}

static void
check_dump(const struct model *m, int acc)
{
	struct dumped	x = { NULL, NULL, 0 };
	size_t		i, j, found;

	ck_assert_int_eq(sublist_dump(&arena, acc, dump_cb, &x), 0);
	ck_assert_uint_eq(x.n, model_count(m, acc));
	for (i = 0; i < m->n; i++) {
		if (m->v[i].acc != acc)
			continue;
		for (found = 0, j = 0; j < x.n; j++) {
			if (strcmp(x.subj[j], m->v[i].subj) == 0 &&
			    strcmp(x.f[j].queue, m->v[i].queue) == 0 &&
			    memcmp(&x.f[j].d, &m->v[i].d,
			    sizeof(m->v[i].d)) == 0)
				found++;
		}
		ck_assert_uint_eq(found, 1);
	}
	free(x.f);
	free(x.subj);
}

static int
dump_stop_cb(const char *subj, size_t slen, const char *q, size_t qlen,
    const struct sublist_dest *d, void *arg)
{
	(*(int *)arg)++;
	return (42);
}

START_TEST(test_sublist_dump_all)
{
	struct model	m = { NULL, 0, 0 };
	int		calls = 0;

	ck_assert_int_eq(ins(0, "a.b.c", NULL, 1, 1), 0);
	model_add(&m, 0, "a.b.c", NULL, mkdest(1, 1));
	ck_assert_int_eq(ins(0, "a.*.>", "grp", 2, 2), 0);
	model_add(&m, 0, "a.*.>", "grp", mkdest(2, 2));
	ck_assert_int_eq(ins(0, ">", NULL, 3, 3), 0);
	model_add(&m, 0, ">", NULL, mkdest(3, 3));
	ck_assert_int_eq(ins(0, "a", NULL, 3, 4), 0);
	model_add(&m, 0, "a", NULL, mkdest(3, 4));
	check_dump(&m, 0);
	ck_assert_int_eq(sublist_dump(&arena, 0, dump_stop_cb, &calls), 42);
	ck_assert_int_eq(calls, 1);
	free(m.v);
}
END_TEST

/* ---- cache ---- */

START_TEST(test_sublist_cache_invalidation)
{
	struct sublist_cache		*c;
	const struct sublist_result	*r1, *r2;
	struct sublist_stats		 st0, st1;

	c = sublist_cache_new();
	ck_assert_int_eq(ins(0, "a.b", NULL, 1, 1), 0);
	sublist_stats(&st0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r1), 0);
	ck_assert_uint_eq(r1->nplain, 1);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r2), 0);
	ck_assert_ptr_eq(r1, r2);
	sublist_stats(&st1);
	ck_assert_uint_eq(st1.cache_hits - st0.cache_hits, 1);
	ck_assert_uint_eq(st1.matches - st0.matches, 1);

	/* An insert elsewhere in the account invalidates. */
	ck_assert_int_eq(ins(0, "a.*", NULL, 1, 2), 0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r1), 0);
	ck_assert_uint_eq(r1->nplain, 2);
	ck_assert_int_eq(rem(0, "a.b", NULL, 1, 1), 0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r1), 0);
	ck_assert_uint_eq(r1->nplain, 1);
	ck_assert_uint_eq(r1->plain[0].handle, 2);
	/* A failed remove changes nothing and invalidates nothing. */
	sublist_stats(&st0);
	ck_assert_int_eq(rem(0, "a.b", NULL, 1, 1), -1);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r1), 0);
	sublist_stats(&st1);
	ck_assert_uint_eq(st1.cache_hits - st0.cache_hits, 1);
	/* Another account does not share entries. */
	ck_assert_int_eq(sublist_account(&arena, "other"), 1);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 1, "a.b", 3, &r1), 0);
	ck_assert_uint_eq(r1->nplain, 0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, "a.b", 3, &r1), 0);
	ck_assert_uint_eq(r1->nplain, 1);
	sublist_cache_free(c);
}
END_TEST

/*
 * The cache tells apart subjects of the same length that differ in one
 * byte, wherever it is: its hash and compare read words, and a byte
 * they skipped would serve one subject the other's result.
 */
START_TEST(test_sublist_cache_similar)
{
	struct sublist_cache		*c;
	const struct sublist_result	*r;
	struct sublist_stats		 st0, st1;
	char				 subj[48];
	size_t				 len, pos;
	uint64_t			 h;
	int				 round;

	c = sublist_cache_new();
	for (len = 1, h = 1; len <= 40; len++) {
		for (pos = 0; pos <= len; pos++, h++) {
			memset(subj, 'a', len);
			subj[len] = '\0';
			if (pos < len)
				subj[pos] = 'b';
			ck_assert_int_eq(ins(0, subj, NULL, 1, h), 0);
		}
	}
	sublist_stats(&st0);
	for (round = 0; round < 2; round++) {
		for (len = 1, h = 1; len <= 40; len++) {
			for (pos = 0; pos <= len; pos++, h++) {
				memset(subj, 'a', len);
				if (pos < len)
					subj[pos] = 'b';
				REQUIRE(sublist_cache_match(c, &arena, 0, subj,
				    len, &r) == 0);
				REQUIRE(r->nplain == 1);
				REQUIRE(r->plain[0].handle == h);
			}
		}
	}
	sublist_stats(&st1);
	/* The second round hit the cache for most of them. */
	ck_assert_uint_gt(st1.cache_hits - st0.cache_hits, 400);
	sublist_cache_free(c);
}
END_TEST

START_TEST(test_sublist_cache_long_subject)
{
	struct sublist_cache		*c;
	const struct sublist_result	*r;
	char				 subj[SUBLIST_CACHE_SUBJECT + 40];

	memset(subj, 'x', sizeof(subj) - 1);
	subj[sizeof(subj) - 1] = '\0';
	subj[1] = '.';
	c = sublist_cache_new();
	ck_assert_int_eq(ins(0, "x.>", NULL, 1, 1), 0);
	ck_assert_int_eq(ins(0, subj, NULL, 1, 2), 0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, subj,
	    strlen(subj), &r), 0);
	ck_assert_uint_eq(r->nplain, 2);
	ck_assert_int_eq(rem(0, subj, NULL, 1, 2), 0);
	ck_assert_int_eq(sublist_cache_match(c, &arena, 0, subj,
	    strlen(subj), &r), 0);
	ck_assert_uint_eq(r->nplain, 1);
	sublist_cache_free(c);
}
END_TEST

/* ---- randomised differential test ---- */

static uint64_t	rng_state = 0x243f6a8885a308d3ULL;

static uint64_t
rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL);
}

static const char *alphabet[] = { "a", "b", "c", "dd",
	"a_token_longer_than_sixteen_bytes" };
#define NALPHA	(sizeof(alphabet) / sizeof(alphabet[0]))
static const char *queues[] = { "q1", "q2",
	"a_queue_name_longer_than_eight" };
#define NQUEUE	(sizeof(queues) / sizeof(queues[0]))

static void
random_subject(char *buf, size_t size, int wildcards)
{
	int	depth = 1 + (int)(rng() % 4), i;
	size_t	off = 0;

	buf[0] = '\0';
	for (i = 0; i < depth; i++) {
		const char *t = alphabet[rng() % NALPHA];

		if (wildcards && rng() % 100 < 15)
			t = "*";
		if (wildcards && i == depth - 1 && rng() % 100 < 12)
			t = ">";
		off += snprintf(buf + off, size - off, "%s%s", i ? "." : "",
		    t);
	}
}

START_TEST(test_sublist_match_random_differential)
{
	struct model			 m = { NULL, 0, 0 };
	struct sublist_cache		*c;
	const struct sublist_result	*cr;
	struct sublist_stats		 st;
	char				 subj[256];
	const char			*q;
	uint64_t			 handle = 1, op, r;
	size_t				 i, nmatch = 0, nins = 0;
	size_t				 nrem = 0;
	int				 accs[2], acc, readheavy = 0, w;

	accs[0] = 0;
	accs[1] = sublist_account(&arena, "second");
	REQUIRE(accs[1] == 1);
	c = sublist_cache_new();

	for (op = 0; op < 1000000; op++) {
		if (op % 1000 == 0)
			readheavy = rng() % 2;
		acc = accs[rng() % 2];
		r = rng() % 1000;
		if (readheavy)
			r = r < 100 ? r * 6 : 999;
		if (r < 300 && m.n < 300) {
			random_subject(subj, sizeof(subj), 1);
			q = rng() % 3 == 0 ? queues[rng() % NQUEUE] : NULL;
			w = (int)(rng() % 4);
			REQUIRE(ins(acc, subj, q, (uint16_t)w, handle) == 0);
			model_add(&m, acc, subj, q, mkdest((uint16_t)w,
			    handle));
			handle++;
			nins++;
		} else if (r < 590 && m.n > 0) {
			i = rng() % m.n;
			REQUIRE(rem(m.v[i].acc, m.v[i].subj,
			    m.v[i].queue[0] ? m.v[i].queue : NULL,
			    m.v[i].d.worker, m.v[i].d.handle) == 0);
			model_del(&m, i);
			nrem++;
		} else if (r < 600 && m.n > 0) {
			/* Unknown handle at a known subject. */
			i = rng() % m.n;
			REQUIRE(rem(m.v[i].acc, m.v[i].subj,
			    m.v[i].queue[0] ? m.v[i].queue : NULL,
			    m.v[i].d.worker, handle + 1000) == -1);
			REQUIRE(errno == ENOENT);
		} else if (r == 600) {
			w = (int)(rng() % 4);
			size_t before = m.n, gone;

			for (i = m.n; i-- > 0;)
				if (m.v[i].d.worker == w)
					model_del(&m, i);
			gone = before - m.n;
			REQUIRE(sublist_purge_worker(&arena, (uint16_t)w) ==
			    (int)gone);
		} else {
			random_subject(subj, sizeof(subj), 0);
			match(acc, subj);
			check_against_model(&m, acc, subj, &res);
			REQUIRE(sublist_cache_match(c, &arena, acc, subj,
			    strlen(subj), &cr) == 0);
			check_against_model(&m, acc, subj, cr);
			nmatch++;
		}
		if (op % 4096 == 0) {
			REQUIRE(sublist_count(&arena, 0) == model_count(&m, 0));
			REQUIRE(sublist_count(&arena, accs[1]) ==
			    model_count(&m, accs[1]));
		}
		if (op % 100000 == 0) {
			check_dump(&m, 0);
			check_dump(&m, accs[1]);
		}
	}
	sublist_stats(&st);
	/* The run exercised what it claims to. */
	ck_assert_uint_gt(nmatch, 100000);
	ck_assert_uint_gt(nins, 100000);
	ck_assert_uint_gt(nrem, 100000);
	ck_assert_uint_gt(st.cache_hits, 10000);
	ck_assert_uint_gt(st.cache_misses, 10000);
	sublist_cache_free(c);
	free(m.v);
}
END_TEST

/*
 * Many subscriptions on one subject: their vectors carry an index from
 * SUBLIST_VEC_INDEXED entries on. Inserts, removes in random order,
 * unknown handles and worker purges, checked against the model while
 * the vectors grow past the index threshold and shrink below it again.
 */
START_TEST(test_sublist_crowded_subject)
{
	struct model	 m = { NULL, 0, 0 };
	const char	*q;
	uint64_t	 before, handle = 1, op;
	size_t		 i;
	int		 w;

	before = arena_used(&arena);
	for (op = 0; op < 120000; op++) {
		if (op < 20000 || (op < 100000 && rng() % 2 == 0)) {
			q = rng() % 4 == 0 ? "workers" : NULL;
			w = (int)(rng() % 4);
			REQUIRE(ins(0, "crowd.x", q, (uint16_t)w, handle) == 0);
			model_add(&m, 0, "crowd.x", q, mkdest((uint16_t)w,
			    handle));
			handle++;
		} else if (m.n > 0) {
			i = rng() % m.n;
			REQUIRE(rem(0, "crowd.x", m.v[i].queue[0] ?
			    m.v[i].queue : NULL, m.v[i].d.worker,
			    m.v[i].d.handle) == 0);
			model_del(&m, i);
		}
		if (op % 997 == 0 && m.n > 0) {
			/* A handle that is not there, and one on another worker. */
			i = rng() % m.n;
			REQUIRE(rem(0, "crowd.x", m.v[i].queue[0] ?
			    m.v[i].queue : NULL, m.v[i].d.worker,
			    handle + 1) == -1);
			REQUIRE(errno == ENOENT);
			REQUIRE(rem(0, "crowd.x", m.v[i].queue[0] ?
			    m.v[i].queue : NULL, (uint16_t)(m.v[i].d.worker +
			    4), m.v[i].d.handle) == -1);
			REQUIRE(errno == ENOENT);
		}
		if (op == 50000) {
			w = (int)(rng() % 4);
			size_t n0 = m.n;

			for (i = m.n; i-- > 0;)
				if (m.v[i].d.worker == w)
					model_del(&m, i);
			REQUIRE(sublist_purge_worker(&arena, (uint16_t)w) ==
			    (int)(n0 - m.n));
		}
		if (op % 5000 == 0 || op == 119999) {
			match(0, "crowd.x");
			check_against_model(&m, 0, "crowd.x", &res);
			REQUIRE(sublist_count(&arena, 0) == m.n);
		}
	}
	/* The vectors were large, and went below the threshold again. */
	ck_assert_uint_lt(m.n, 64);
	while (m.n > 0) {
		i = rng() % m.n;
		REQUIRE(rem(0, "crowd.x", m.v[i].queue[0] ? m.v[i].queue :
		    NULL, m.v[i].d.worker, m.v[i].d.handle) == 0);
		model_del(&m, i);
	}
	ck_assert_uint_eq(sublist_count(&arena, 0), 0);
	ck_assert_uint_eq(arena_used(&arena), before);
	free(m.v);
}
END_TEST

static Suite *
sublist_suite(void)
{
	Suite	*s = suite_create("sublist");
	TCase	*tc;

	tc = tcase_create("basics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sublist_insert_match_literal);
	tcase_add_test(tc, test_sublist_match_wildcards);
	tcase_add_test(tc, test_sublist_match_wildcard_in_publish);
	tcase_add_test(tc, test_sublist_match_bad_subjects);
	tcase_add_test(tc, test_sublist_match_queue_groups);
	tcase_add_test(tc, test_sublist_insert_invalid);
	tcase_add_test(tc, test_sublist_remove_unknown);
	tcase_add_test(tc, test_sublist_remove_frees_everything);
	tcase_add_test(tc, test_sublist_table_grow_shrink);
	tcase_add_test(tc, test_sublist_purge_worker_basic);
	tcase_add_test(tc, test_sublist_account_table_full);
	tcase_add_test(tc, test_sublist_account_bad_name);
	tcase_add_test(tc, test_sublist_insert_arena_full);
	tcase_add_test(tc, test_sublist_dump_all);
	tcase_add_test(tc, test_sublist_cache_invalidation);
	tcase_add_test(tc, test_sublist_cache_long_subject);
	tcase_add_test(tc, test_sublist_cache_similar);
	suite_add_tcase(s, tc);

	tc = tcase_create("differential");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sublist_match_random_differential);
	tcase_add_test(tc, test_sublist_crowded_subject);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(sublist_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
