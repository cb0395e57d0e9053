/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/arena.h: the one shared-memory region (a memfd mapped MAP_SHARED
 * in every process), its header, named root slots, the allocator and the
 * process-shared robust mutexes that guard what lives in it.
 */

#ifndef NATSD_ARENA_H
#define NATSD_ARENA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define ARENA_MAGIC	0x616e657261647374ULL	/* "tsdarena" */
#define ARENA_VERSION	1		/* bump on any layout change */
#define ARENA_ALIGN	16		/* every block starts on this */
#define ARENA_MIN_SIZE	(1024 * 1024)
#define ARENA_MAX_SIZE	0xffff0000UL	/* offsets are uint32_t */
#define ARENA_NCLASSES	108		/* see arena.c arena_class() */

/* Well-known structures; every process finds them here. */
enum arena_root {
	ARENA_ROOT_SUBLIST = 0,
	ARENA_ROOT_RINGS,
	ARENA_ROOT_STATS,
	ARENA_ROOT_MAX = 16
};

/*
 * At offset 0 of the region. magic, format, generation and size are
 * written once by arena_create() before any fork and never change.
 * Everything below lock is guarded by it, except roots and the
 * statistics, which are atomics.
 */
struct arena_hdr {
	uint64_t		magic;		/* ARENA_MAGIC */
	uint64_t		format;		/* arena_format() */
	uint64_t		generation;	/* identifies this region */
	uint64_t		size;		/* bytes mapped */
	_Atomic uint32_t	roots[ARENA_ROOT_MAX];
	_Atomic uint64_t	used;		/* bytes in live blocks */
	_Atomic uint64_t	nalloc;		/* live blocks */
	pthread_mutex_t		lock;		/* robust, shared */
	uint32_t		bump;		/* first never-used byte */
	uint32_t		free[ARENA_NCLASSES]; /* list heads */
};

/* Private to each process: where the region is mapped here. */
struct arena {
	char			*base;
	size_t			 size;
	int			 fd;
};

int		 arena_create(struct arena *, size_t, char **);
void		 arena_check(const struct arena *);
void		 arena_destroy(struct arena *);
uint64_t	 arena_format(void);
uint64_t	 arena_generation(const struct arena *);
uint32_t	 arena_alloc(struct arena *, size_t);
void		 arena_free(struct arena *, uint32_t, size_t);
size_t		 arena_block_size(size_t);
uint64_t	 arena_used(const struct arena *);
void		 arena_root_set(struct arena *, enum arena_root, uint32_t);
uint32_t	 arena_root_get(const struct arena *, enum arena_root);

void		 arena_mutex_init(pthread_mutex_t *);
int		 arena_mutex_lock(pthread_mutex_t *);
void		 arena_mutex_consistent(pthread_mutex_t *);
void		 arena_mutex_unlock(pthread_mutex_t *);

static inline struct arena_hdr *
arena_hdr(const struct arena *a)
{
	return ((struct arena_hdr *)(void *)a->base);
}

/*
 * arena_ptr - turn an offset into a pointer in this process
 * @a: the arena
 * @off: an offset from arena_alloc(), or 0
 *
 * Context: any process. Trusts @off: only for data read under the lock
 * that guards it. Readers racing a writer use arena_ptr_checked().
 * Return: the address, or NULL for offset 0.
 */
static inline void *
arena_ptr(const struct arena *a, uint32_t off)
{
	return (off == 0 ? NULL : (void *)(a->base + off));
}

/*
 * arena_ptr_checked - turn an untrusted offset into a pointer
 * @a: the arena
 * @off: an offset read in a seqlock read section; may be garbage
 * @len: bytes the caller will read from there
 * @align: the alignment the object must have (a power of two)
 *
 * Context: any process, no lock. The offset may come from memory a
 * writer is rewriting; this makes sure that reading @len bytes there
 * stays inside the mapping and past the header.
 * Return: the address, or NULL if @off is 0, misaligned or out of bounds.
 */
static inline void *
arena_ptr_checked(const struct arena *a, uint32_t off, size_t len,
    size_t align)
{
	if (off < sizeof(struct arena_hdr) || (off & (align - 1)) != 0)
		return (NULL);
	if (len > a->size || off > a->size - len)
		return (NULL);
	return (a->base + off);
}

#endif /* NATSD_ARENA_H */
