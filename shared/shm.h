/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/shm.h: what lives in the shared arena and how each process
 * finds it: the statistics, the subscription tries, and the rings
 * between every ordered pair of workers with their wake-up words.
 */

#ifndef NATSD_SHM_H
#define NATSD_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

struct ring;
struct ring_waiter;
struct stats;

/* ARENA_ROOT_RINGS points at this. */
struct shm_rings {
	uint32_t	nworkers;
	uint32_t	ring_bytes;		/* each ring's memory */
	uint32_t	waiter[64];		/* per consumer worker */
	uint32_t	ring[];			/* [from * nworkers + to] */
};

int		 shm_create(struct arena *, size_t, int, char **);
struct stats	*shm_stats(const struct arena *);
struct ring	*shm_ring(const struct arena *, int, int);
struct ring_waiter *shm_waiter(const struct arena *, int);
size_t		 shm_ring_bytes(size_t, int);

#endif /* NATSD_SHM_H */
