/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/shm.c: lays out the shared arena once, in the supervisor before
 * the first fork: statistics, subscription tries, rings and their
 * wake-up words. Children find each piece through the arena's roots.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "arena.h"
#include "ring.h"
#include "shm.h"
#include "stats.h"
#include "sublist.h"
#include "xmalloc.h"

#define SHM_RING_MIN	(64 * 1024)
#define SHM_RING_MAX	(4 * 1024 * 1024)

/*
 * Bytes for each of n*(n-1) rings in an arena of size: a quarter of the
 * arena at most, a power of two between 64 KB and 4 MB. Pages are only
 * used once touched.
 */
size_t
shm_ring_bytes(size_t size, int n)
{
	size_t	want, b = SHM_RING_MAX;

	if (n < 2)
		return (0);
	want = size / 4 / ((size_t)n * (n - 1));
	while (b > SHM_RING_MIN && b > want)
		b /= 2;
	return (b);
}

/*
 * Create the arena of size bytes for nworkers workers and lay it out.
 * Returns 0, or -1 with *cause set.
 */
int
shm_create(struct arena *a, size_t size, int nworkers, char **cause)
{
	struct shm_rings	*rt;
	struct stats		*st;
	uint32_t		 off, rtoff;
	size_t			 rb;
	int			 i, j;

	if (arena_create(a, size, cause) == -1)
		return (-1);
	if ((off = arena_alloc(a, sizeof(*st))) == 0)
		goto full;
	st = arena_ptr(a, off);
	memset(st, 0, sizeof(*st));
	arena_root_set(a, ARENA_ROOT_STATS, off);
	if (sublist_init(a) == -1)
		goto full;

	rb = shm_ring_bytes(size, nworkers);
	rtoff = arena_alloc(a, sizeof(*rt) +
	    sizeof(uint32_t) * nworkers * nworkers);
	if (rtoff == 0)
		goto full;
	rt = arena_ptr(a, rtoff);
	memset(rt, 0, sizeof(*rt) + sizeof(uint32_t) * nworkers * nworkers);
	rt->nworkers = nworkers;
	rt->ring_bytes = rb;
	for (i = 0; i < nworkers; i++) {
		if ((off = arena_alloc(a, sizeof(struct ring_waiter))) == 0)
			goto full;
		ring_waiter_init(arena_ptr(a, off));
		rt->waiter[i] = off;
		for (j = 0; j < nworkers && rb > 0; j++) {
			if (i == j)
				continue;
			/* RING_ALIGN: over-allocate and round up. */
			off = arena_alloc(a, ring_memsize(rb) + RING_ALIGN);
			if (off == 0)
				goto full;
			off = (off + RING_ALIGN - 1) &
			    ~(uint32_t)(RING_ALIGN - 1);
			if (ring_init(arena_ptr(a, off),
			    ring_memsize(rb)) == -1)
				goto full;
			rt->ring[i * nworkers + j] = off;
		}
	}
	arena_root_set(a, ARENA_ROOT_RINGS, rtoff);
	return (0);
full:
	xasprintf(cause, "shared memory of %zu bytes is too small for %d "
	    "workers (shm_size)", size, nworkers);
	arena_destroy(a);
	return (-1);
}

struct stats *
shm_stats(const struct arena *a)
{
	return (arena_ptr(a, arena_root_get(a, ARENA_ROOT_STATS)));
}

/* The ring from worker from to worker to (from != to). */
struct ring *
shm_ring(const struct arena *a, int from, int to)
{
	struct shm_rings	*rt;

	rt = arena_ptr(a, arena_root_get(a, ARENA_ROOT_RINGS));
	return (arena_ptr(a, rt->ring[from * rt->nworkers + to]));
}

struct ring_waiter *
shm_waiter(const struct arena *a, int id)
{
	struct shm_rings	*rt;

	rt = arena_ptr(a, arena_root_get(a, ARENA_ROOT_RINGS));
	return (arena_ptr(a, rt->waiter[id]));
}
