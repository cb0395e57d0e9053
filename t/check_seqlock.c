/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_seqlock.c: the seqlock and the robust locks across processes.
 * A forked writer swaps the subscribers of a subject between two known
 * sets inside single write sections, while churning the same trie levels
 * so that blocks are freed and reused under the reader; the parent
 * matches without locks all along and must only ever see one set or the
 * other. Then writers that die holding the lock.
 */

#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "arena.h"
#include "seqlock.h"
#include "sublist.h"

#define SWAPS		100000		/* the writer's sections */
#define CHURN		48		/* "a.cN" churn subjects */

static struct arena		 arena;
static struct sublist_result	 res;

/* Shared between the writer child and the reading parent. */
struct control {
	_Atomic int	ready;
	_Atomic int	done;
};

/* One entry of a known set: what "a.b" must match. */
struct entry {
	const char	*subj;
	const char	*queue;		/* NULL: plain */
	uint16_t	 worker;
	uint64_t	 handle;
};

static const struct entry set_a[] = {
	{ "a.b", NULL, 1, 1 }, { "a.b", NULL, 1, 2 }, { "a.b", NULL, 1, 3 },
	{ "a.b", NULL, 2, 4 }, { "a.b", NULL, 2, 5 }, { "a.b", NULL, 2, 6 },
	{ "a.*", "g", 2, 100 }, { "a.*", "g", 2, 101 }, { "a.*", "g", 3, 102 },
};
static const struct entry set_b[] = {
	{ "a.>", NULL, 3, 11 }, { "a.>", NULL, 3, 12 }, { "a.>", NULL, 3, 13 },
	{ "a.>", NULL, 1, 14 }, { "*.b", NULL, 1, 50 },
	{ "a.b", "g", 1, 200 }, { "a.b", "g", 1, 201 }, { "a.b", "g", 2, 202 },
	{ "a.b", "g", 2, 203 }, { ">", "h", 3, 300 },
};
#define NA	(sizeof(set_a) / sizeof(set_a[0]))
#define NB	(sizeof(set_b) / sizeof(set_b[0]))

struct flat {
	char		queue[8];
	uint16_t	worker;
	uint64_t	handle;
};

static struct sublist_dest
mkdest(uint16_t worker, uint64_t handle)
{
	struct sublist_dest	d;

	memset(&d, 0, sizeof(d));
	d.worker = worker;
	d.handle = handle;
	d.flags = (uint32_t)handle ^ 0x5a5a5a5a;
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

static int
flat_cmp(const void *x, const void *y)
{
	const struct flat	*a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->queue, b->queue)) != 0)
		return (c);
	if (a->handle != b->handle)
		return (a->handle < b->handle ? -1 : 1);
	return ((int)a->worker - (int)b->worker);
}

static size_t
set_flat(const struct entry *set, size_t n, struct flat *f)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		snprintf(f[i].queue, sizeof(f[i].queue), "%s",
		    set[i].queue ? set[i].queue : "");
		f[i].worker = set[i].worker;
		f[i].handle = set[i].handle;
	}
	qsort(f, n, sizeof(*f), flat_cmp);
	return (n);
}

/*
 * Flatten a result; -1 if it has a shape no consistent trie gives (bad
 * flags, a duplicated group name, too many entries).
 */
static ssize_t
result_flat(const struct sublist_result *r, struct flat *f, size_t max)
{
	size_t	i, j, n = 0;

	if (r->nplain + r->nmembers > max)
		return (-1);
	for (i = 0; i < r->nplain; i++) {
		if (r->plain[i].flags != ((uint32_t)r->plain[i].handle ^
		    0x5a5a5a5a))
			return (-1);
		memset(&f[n], 0, sizeof(f[n]));
		f[n].worker = r->plain[i].worker;
		f[n++].handle = r->plain[i].handle;
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct sublist_group *g = &r->groups[i];

		for (j = 0; j < i; j++)
			if (strcmp(sublist_group_name(r, g),
			    sublist_group_name(r, &r->groups[j])) == 0)
				return (-1);
		for (j = 0; j < g->count; j++) {
			const struct sublist_dest *d;

			d = &r->members[g->start + j];

			memset(&f[n], 0, sizeof(f[n]));
			snprintf(f[n].queue, sizeof(f[n].queue), "%s",
			    sublist_group_name(r, g));
			f[n].worker = d->worker;
			f[n++].handle = d->handle;
		}
	}
	qsort(f, n, sizeof(*f), flat_cmp);
	return ((ssize_t)n);
}

static int
set_apply(const struct entry *set, size_t n, int insert)
{
	struct sublist_dest	d;
	size_t			i;
	int			rc;

	for (i = 0; i < n; i++) {
		d = mkdest(set[i].worker, set[i].handle);
		if (insert)
			rc = sublist_insert_locked(&arena, 0, set[i].subj,
			    strlen(set[i].subj), set[i].queue, set[i].queue ?
			    strlen(set[i].queue) : 0, &d);
		else
			rc = sublist_remove_locked(&arena, 0, set[i].subj,
			    strlen(set[i].subj), set[i].queue, set[i].queue ?
			    strlen(set[i].queue) : 0, &d);
		if (rc != 0)
			return (-1);
	}
	return (0);
}

/*
 * The writer: swaps set A and set B in one write section each time,
 * with churn in the same sections and between them ("a.cN" are literal
 * siblings of "a.b": the table of "a" grows, shrinks and moves).
 */
static void
writer(struct control *ctl)
{
	struct sublist_dest	d;
	uint64_t		rng = 88172645463325252ULL;
	char			subj[32];
	int			live[CHURN] = { 0 }, cur_a = 1;
	int			i, k, c, spin;

	while (!atomic_load(&ctl->ready))
		;
	for (i = 0; i < SWAPS; i++) {
		sublist_lock(&arena, 0);
		if (set_apply(cur_a ? set_a : set_b, cur_a ? NA : NB, 0) ||
		    set_apply(cur_a ? set_b : set_a, cur_a ? NB : NA, 1))
			_exit(2);
		cur_a = !cur_a;
		for (k = 0; k < 4; k++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			c = (int)(rng % CHURN);
			snprintf(subj, sizeof(subj), "a.c%d", c);
			d = mkdest(4, (uint64_t)c + 1000);
			if (live[c] ? sublist_remove_locked(&arena, 0, subj,
			    strlen(subj), NULL, 0, &d) :
			    sublist_insert_locked(&arena, 0, subj,
			    strlen(subj), NULL, 0, &d))
				_exit(3);
			live[c] = !live[c];
		}
		sublist_unlock(&arena, 0);
		/* An even window of random length, for walks to overlap. */
		for (spin = 0; spin < (int)(rng % 1024); spin++)
			atomic_signal_fence(memory_order_seq_cst);
		snprintf(subj, sizeof(subj), "a.d%d.x", i % 7);
		d = mkdest(5, (uint64_t)i);
		if (sublist_insert(&arena, 0, subj, strlen(subj), NULL, 0,
		    &d) || sublist_remove(&arena, 0, subj, strlen(subj),
		    NULL, 0, &d))
			_exit(4);
	}
	atomic_store(&ctl->done, 1);
	_exit(0);
}

START_TEST(test_seqlock_match_never_torn)
{
	struct control		*ctl;
	struct sublist_cache	*cache;
	const struct sublist_result *cr;
	struct sublist_stats	 st;
	struct flat		 fa[NA], fb[NB], got[64];
	uint64_t		 seen_a = 0, seen_b = 0, iter = 0;
	uint32_t		 off;
	ssize_t			 n;
	pid_t			 pid;
	int			 status, exited = 0;

	set_flat(set_a, NA, fa);
	set_flat(set_b, NB, fb);
	ck_assert_int_eq(sublist_lock(&arena, 0), 0);
	ck_assert_int_eq(set_apply(set_a, NA, 1), 0);
	sublist_unlock(&arena, 0);
	off = arena_alloc(&arena, sizeof(*ctl));
	ck_assert_uint_ne(off, 0);
	ctl = arena_ptr(&arena, off);
	atomic_store(&ctl->ready, 0);
	atomic_store(&ctl->done, 0);
	cache = sublist_cache_new();

	if ((pid = fork()) == 0)
		writer(ctl);
	ck_assert_int_gt(pid, 0);
	atomic_store(&ctl->ready, 1);
	while (!atomic_load(&ctl->done) && !exited) {
		if (iter % 2 == 0) {
			ck_assert_int_eq(sublist_match(&arena, 0, "a.b", 3,
			    &res), 0);
			n = result_flat(&res, got, 64);
		} else {
			ck_assert_int_eq(sublist_cache_match(cache, &arena, 0,
			    "a.b", 3, &cr), 0);
			n = result_flat(cr, got, 64);
		}
		if (n == (ssize_t)NA && memcmp(got, fa, sizeof(fa)) == 0)
			seen_a++;
		else if (n == (ssize_t)NB && memcmp(got, fb, sizeof(fb)) == 0)
			seen_b++;
		else
			ck_abort_msg("torn match after %llu: %zd entries",
			    (unsigned long long)iter, n);
		if (++iter % 1024 == 0 && waitpid(pid, &status, WNOHANG) ==
		    pid)
			exited = 1;
	}
	if (!exited)
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "writer failed: status %d", status);
	ck_assert_int_eq(atomic_load(&ctl->done), 1);
	/* The final state is the set the writer left: SWAPS is even. */
	ck_assert_int_eq(sublist_match(&arena, 0, "a.b", 3, &res), 0);
	n = result_flat(&res, got, 64);
	ck_assert_int_eq(n, (ssize_t)NA);
	ck_assert_int_eq(memcmp(got, fa, sizeof(fa)), 0);
	ck_assert_uint_eq(sublist_epoch(&arena, 0), 0);
	sublist_stats(&st);
	fprintf(stderr, "seqlock: %llu matches (A %llu, B %llu), %llu "
	    "busy, %llu retries, %llu fallbacks to the lock\n",
	    (unsigned long long)iter, (unsigned long long)seen_a,
	    (unsigned long long)seen_b, (unsigned long long)st.busy,
	    (unsigned long long)st.retries, (unsigned long long)st.fallbacks);
	ck_assert_uint_gt(seen_a + seen_b, 0);
	sublist_cache_free(cache);
}
END_TEST

START_TEST(test_seqlock_primitives)
{
	_Atomic uint32_t	seq = 0;
	uint32_t		s;

	s = seqlock_read_begin(&seq);
	ck_assert(!seqlock_read_busy(s));
	ck_assert(!seqlock_read_retry(&seq, s));
	seqlock_write_begin(&seq);
	ck_assert(seqlock_read_retry(&seq, s));
	s = seqlock_read_begin(&seq);
	ck_assert(seqlock_read_busy(s));
	ck_assert(seqlock_read_retry(&seq, s));	/* odd never validates */
	seqlock_write_end(&seq);
	ck_assert(seqlock_read_retry(&seq, s));
	s = seqlock_read_begin(&seq);
	ck_assert_uint_eq(s, 2);
	ck_assert(!seqlock_read_retry(&seq, s));
}
END_TEST

/* Fork a child that dies holding account 0's lock in a write section. */
static void
die_in_write_section(void)
{
	struct sublist_dest	d = mkdest(9, 9);
	pid_t			pid;
	int			status;

	if ((pid = fork()) == 0) {
		if (sublist_lock(&arena, 0) != 0)
			_exit(1);
		/* Half a change: a node made, nothing finished. */
		sublist_insert_locked(&arena, 0, "p.q.r", 5, NULL, 0, &d);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_sublist_lock_owner_died_insert)
{
	struct sublist_dest	d = mkdest(1, 1);
	uint32_t		epoch, in;
	uint64_t		gen;

	ck_assert_int_eq(sublist_insert_epoch(&arena, 0, "x.y", 3, NULL, 0,
	    &d, &in), 0);
	epoch = sublist_epoch(&arena, 0);
	ck_assert_uint_eq(in, epoch);
	gen = sublist_generation(&arena, 0);
	die_in_write_section();

	/* The insert that finds the lock's owner dead reports the new epoch. */
	d = mkdest(1, 2);
	ck_assert_int_eq(sublist_insert_epoch(&arena, 0, "z", 1, NULL, 0, &d,
	    &in), 0);
	ck_assert_uint_eq(sublist_epoch(&arena, 0), epoch + 1);
	ck_assert_uint_eq(in, epoch + 1);
	ck_assert_uint_gt(sublist_generation(&arena, 0), gen);
	/* The reset trie holds only what came after. */
	ck_assert_uint_eq(sublist_count(&arena, 0), 1);
	ck_assert_int_eq(sublist_match(&arena, 0, "x.y", 3, &res), 0);
	ck_assert_uint_eq(res.nplain, 0);
	ck_assert_int_eq(sublist_match(&arena, 0, "p.q.r", 5, &res), 0);
	ck_assert_uint_eq(res.nplain, 0);
	ck_assert_int_eq(sublist_match(&arena, 0, "z", 1, &res), 0);
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(res.plain[0].handle, 2);
	/* Re-inserting what a worker owns works as before. */
	d = mkdest(1, 1);
	ck_assert_int_eq(sublist_insert(&arena, 0, "x.y", 3, NULL, 0, &d), 0);
	ck_assert_int_eq(sublist_match(&arena, 0, "x.y", 3, &res), 0);
	ck_assert_uint_eq(res.nplain, 1);
	ck_assert_uint_eq(sublist_epoch(&arena, 0), epoch + 1);
}
END_TEST

START_TEST(test_sublist_lock_owner_died_match)
{
	struct sublist_dest	d = mkdest(1, 1);
	struct sublist_stats	st0, st1;
	uint32_t		epoch;

	ck_assert_int_eq(sublist_insert(&arena, 0, "x.y", 3, NULL, 0, &d), 0);
	epoch = sublist_epoch(&arena, 0);
	die_in_write_section();

	/* The sequence stays odd: the reader gives up and takes the lock. */
	sublist_stats(&st0);
	ck_assert_int_eq(sublist_match(&arena, 0, "x.y", 3, &res), 0);
	sublist_stats(&st1);
	ck_assert_uint_eq(st1.fallbacks - st0.fallbacks, 1);
	ck_assert_uint_eq(st1.resets - st0.resets, 1);
	ck_assert_uint_eq(res.nplain, 0);
	ck_assert_uint_eq(sublist_epoch(&arena, 0), epoch + 1);
	/* And the next match is lock-free again. */
	ck_assert_int_eq(sublist_match(&arena, 0, "x.y", 3, &res), 0);
	sublist_stats(&st0);
	ck_assert_uint_eq(st0.fallbacks, st1.fallbacks);
}
END_TEST

static int
dump_then_die(const char *subj, size_t slen, const char *q, size_t qlen,
    const struct sublist_dest *d, void *arg)
{
	_exit(0);
}

START_TEST(test_sublist_lock_owner_died_reading)
{
	struct sublist_dest	d = mkdest(1, 1);
	uint32_t		epoch;
	pid_t			pid;
	int			status;

	ck_assert_int_eq(sublist_insert(&arena, 0, "x.y", 3, NULL, 0, &d), 0);
	epoch = sublist_epoch(&arena, 0);
	if ((pid = fork()) == 0) {
		sublist_dump(&arena, 0, dump_then_die, NULL);
		_exit(1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Died outside a write section: the trie is sound, kept. */
	d = mkdest(1, 2);
	ck_assert_int_eq(sublist_insert(&arena, 0, "x.y", 3, NULL, 0, &d), 0);
	ck_assert_uint_eq(sublist_epoch(&arena, 0), epoch);
	ck_assert_int_eq(sublist_match(&arena, 0, "x.y", 3, &res), 0);
	ck_assert_uint_eq(res.nplain, 2);
}
END_TEST

static Suite *
seqlock_suite(void)
{
	Suite	*s = suite_create("seqlock");
	TCase	*tc;

	tc = tcase_create("seqlock");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_seqlock_primitives);
	tcase_add_test(tc, test_seqlock_match_never_torn);
	tcase_add_test(tc, test_sublist_lock_owner_died_insert);
	tcase_add_test(tc, test_sublist_lock_owner_died_match);
	tcase_add_test(tc, test_sublist_lock_owner_died_reading);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(seqlock_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
