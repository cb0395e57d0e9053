/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_arena.c: unit tests of shared/arena.c: creation, the format
 * check, the allocator (alignment, reuse, exhaustion), root slots, and
 * a process dying with the allocator's lock.
 */

#include "config.h"

#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "arena.h"

static struct arena	arena;

static void
setup(void)
{
	char	*cause = NULL;

	ck_assert_int_eq(arena_create(&arena, 8 << 20, &cause), 0);
	ck_assert_ptr_null(cause);
}

static void
teardown(void)
{
	arena_destroy(&arena);
}

START_TEST(test_arena_create_bad_size)
{
	struct arena	a;
	char		*cause = NULL;

	ck_assert_int_eq(arena_create(&a, 1000, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(arena_create(&a, (size_t)8 << 30, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
}
END_TEST

START_TEST(test_arena_check_ok)
{
	arena_check(&arena);
	ck_assert_uint_eq(arena_hdr(&arena)->size, arena.size);
	ck_assert_uint_eq(arena_hdr(&arena)->format, arena_format());
}
END_TEST

START_TEST(test_arena_check_bad_format)
{
	arena_hdr(&arena)->format ^= 1;
	arena_check(&arena);	/* exits 1 */
}
END_TEST

START_TEST(test_arena_check_bad_magic)
{
	arena_hdr(&arena)->magic = 0;
	arena_check(&arena);	/* exits 1 */
}
END_TEST

START_TEST(test_arena_alloc_alignment)
{
	uint32_t	off;
	size_t		size;

	for (size = 1; size < 5000; size += 13) {
		off = arena_alloc(&arena, size);
		ck_assert_uint_ne(off, 0);
		ck_assert_uint_eq(off % 16, 0);
		if (size > 48)
			ck_assert_uint_eq(off % 64, 0);
		ck_assert_uint_ge(off, sizeof(struct arena_hdr));
		ck_assert_uint_ge(arena_block_size(size), size);
		ck_assert_uint_le(arena_block_size(size),
		    size < 128 ? size + 15 : size + size / 4);
		/* Writable over its whole size. */
		memset(arena_ptr(&arena, off), 0xa5, size);
	}
	ck_assert_uint_eq(arena_alloc(&arena, 0), 0);
}
END_TEST

START_TEST(test_arena_alloc_no_overlap)
{
	uint32_t	offs[512];
	size_t		sizes[512], i, j;

	for (i = 0; i < 512; i++) {
		sizes[i] = 1 + (i * 7919) % 700;
		offs[i] = arena_alloc(&arena, sizes[i]);
		ck_assert_uint_ne(offs[i], 0);
		if (i % 3 == 0) {
			arena_free(&arena, offs[i], sizes[i]);
			offs[i] = arena_alloc(&arena, sizes[i]);
		}
	}
	for (i = 0; i < 512; i++)
		for (j = i + 1; j < 512; j++)
			ck_assert(offs[i] + sizes[i] <= offs[j] ||
			    offs[j] + sizes[j] <= offs[i]);
}
END_TEST

START_TEST(test_arena_free_reuse)
{
	uint32_t	a, b, c;
	uint64_t	used;

	used = arena_used(&arena);
	a = arena_alloc(&arena, 100);
	ck_assert_uint_eq(arena_used(&arena), used + arena_block_size(100));
	arena_free(&arena, a, 100);
	ck_assert_uint_eq(arena_used(&arena), used);
	/* Same class: the freed block comes back at once. */
	b = arena_alloc(&arena, 97);
	ck_assert_uint_eq(a, b);
	/* Another class does not get it. */
	arena_free(&arena, b, 97);
	c = arena_alloc(&arena, 300);
	ck_assert_uint_ne(c, a);
}
END_TEST

START_TEST(test_arena_alloc_full)
{
	struct arena	small;
	char		*cause = NULL;
	uint32_t	off, last = 0;
	size_t		n = 0;

	ck_assert_int_eq(arena_create(&small, ARENA_MIN_SIZE, &cause), 0);
	while ((off = arena_alloc(&small, 1000)) != 0) {
		last = off;
		n++;
	}
	ck_assert_uint_gt(n, ARENA_MIN_SIZE / 1024 / 2);
	ck_assert_uint_le((uint64_t)last + 1000, small.size);
	/* Smaller blocks may still fit; a freed one surely does. */
	arena_free(&small, last, 1000);
	ck_assert_uint_eq(arena_alloc(&small, 1000), last);
	ck_assert_uint_eq(arena_alloc(&small, ARENA_MIN_SIZE), 0);
	arena_destroy(&small);
}
END_TEST

START_TEST(test_arena_root_slots)
{
	ck_assert_uint_eq(arena_root_get(&arena, ARENA_ROOT_RINGS), 0);
	arena_root_set(&arena, ARENA_ROOT_RINGS, 4096);
	arena_root_set(&arena, ARENA_ROOT_STATS, 8192);
	ck_assert_uint_eq(arena_root_get(&arena, ARENA_ROOT_RINGS), 4096);
	ck_assert_uint_eq(arena_root_get(&arena, ARENA_ROOT_STATS), 8192);
	ck_assert_uint_eq(arena_root_get(&arena, ARENA_ROOT_SUBLIST), 0);
}
END_TEST

START_TEST(test_arena_shared_across_fork)
{
	uint32_t	off;
	pid_t		pid;
	int		st;

	off = arena_alloc(&arena, 64);
	ck_assert_uint_ne(off, 0);
	if ((pid = fork()) == 0) {
		uint32_t o2 = arena_alloc(&arena, 64);

		arena_check(&arena);
		*(uint32_t *)arena_ptr(&arena, off) = o2;
		_exit(o2 != 0 && o2 != off ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The child's allocation is visible and not handed out again. */
	ck_assert_uint_ne(*(uint32_t *)arena_ptr(&arena, off), 0);
	ck_assert_uint_ne(arena_alloc(&arena, 64),
	    *(uint32_t *)arena_ptr(&arena, off));
}
END_TEST

START_TEST(test_arena_alloc_owner_died)
{
	uint32_t	a, b;
	pid_t		pid;
	int		st;

	a = arena_alloc(&arena, 32);
	if ((pid = fork()) == 0) {
		arena_mutex_lock(&arena_hdr(&arena)->lock);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* Does not hang; the lock is usable afterwards. */
	b = arena_alloc(&arena, 32);
	ck_assert_uint_ne(b, 0);
	ck_assert_uint_ne(b, a);
	arena_free(&arena, b, 32);
	ck_assert_uint_eq(arena_alloc(&arena, 32), b);
}
END_TEST

static Suite *
arena_suite(void)
{
	Suite	*s = suite_create("arena");
	TCase	*tc;

	tc = tcase_create("arena");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_arena_create_bad_size);
	tcase_add_test(tc, test_arena_check_ok);
	tcase_add_exit_test(tc, test_arena_check_bad_format, 1);
	tcase_add_exit_test(tc, test_arena_check_bad_magic, 1);
	tcase_add_test(tc, test_arena_alloc_alignment);
	tcase_add_test(tc, test_arena_alloc_no_overlap);
	tcase_add_test(tc, test_arena_free_reuse);
	tcase_add_test(tc, test_arena_alloc_full);
	tcase_add_test(tc, test_arena_root_slots);
	tcase_add_test(tc, test_arena_shared_across_fork);
	tcase_add_test(tc, test_arena_alloc_owner_died);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(arena_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
