/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/arena.c: creates the memfd every natsd process maps, and
 * allocates blocks in it: size classes with free lists kept inside the
 * region plus a bump pointer, under one process-shared robust mutex.
 * Nothing is ever unmapped or returned to the kernel.
 */

#include "config.h"

#include <sys/mman.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "log.h"
#include "xmalloc.h"

#define ARENA_SMALL_MAX	128	/* 16-byte steps up to here */
#define ARENA_LINE	64	/* blocks of 64 bytes or more start here */

static int	 arena_class(size_t, size_t *);
static uint32_t	 arena_pop(struct arena *, int, size_t);
static void	 arena_push(struct arena *, int, uint32_t);

/*
 * arena_format - the format word of this build
 *
 * The layout version and the sizes of the structures every process must
 * agree on: a child built from other sources refuses the region.
 * Return: the word stored in the header.
 */
uint64_t
arena_format(void)
{
	return ((uint64_t)ARENA_VERSION << 48 |
	    (uint64_t)sizeof(struct arena_hdr) << 32 |
	    (uint64_t)sizeof(pthread_mutex_t) << 16 |
	    (uint64_t)ARENA_NCLASSES);
}

/*
 * arena_create - make the shared region
 * @a: filled in on success
 * @size: bytes of address space; pages cost memory only once touched
 * @cause: on failure, set to an allocated message the caller frees
 *
 * Context: the supervisor, once, before any fork. MFD_CLOEXEC is right:
 * children are forked and inherit the mapping, never exec'd.
 * Return: 0, or -1 with *cause set.
 */
int
arena_create(struct arena *a, size_t size, char **cause)
{
	struct arena_hdr	*h;
	struct timespec		 ts;
	void			*p;
	int			 fd, saved;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	if (size < ARENA_MIN_SIZE || size > ARENA_MAX_SIZE) {
		xasprintf(cause, "shared memory size %zu out of range "
		    "(%d to %lu)", size, ARENA_MIN_SIZE, ARENA_MAX_SIZE);
		return (-1);
	}
	size &= ~(size_t)(ARENA_LINE - 1);
	if ((fd = memfd_create("natsd", MFD_CLOEXEC)) == -1) {
		xasprintf(cause, "memfd_create: %s", strerror(errno));
		return (-1);
	}
	if (ftruncate(fd, (off_t)size) == -1) {
		saved = errno;
		close(fd);
		xasprintf(cause, "ftruncate %zu: %s", size, strerror(saved));
		return (-1);
	}
	p = mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		saved = errno;
		close(fd);
		xasprintf(cause, "mmap %zu: %s", size, strerror(saved));
		return (-1);
	}
	a->base = p;
	a->size = size;
	a->fd = fd;

	h = arena_hdr(a);
	h->magic = ARENA_MAGIC;
	h->format = arena_format();
	if (getentropy(&h->generation, sizeof(h->generation)) == -1) {
		clock_gettime(CLOCK_REALTIME, &ts);
		h->generation = (uint64_t)ts.tv_sec << 32 ^
		    (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
	h->size = size;
	arena_mutex_init(&h->lock);
	h->bump = (sizeof(*h) + ARENA_LINE - 1) & ~(uint32_t)(ARENA_LINE - 1);
	return (0);
}

/*
 * arena_check - make sure a mapping is a region this build understands
 *
 * Context: any process, after fork or attach. Fatal on any mismatch:
 * a process that misreads shared memory corrupts every other one.
 */
void
arena_check(const struct arena *a)
{
	const struct arena_hdr	*h = arena_hdr(a);

	if (a->base == NULL || a->size < sizeof(*h))
		fatalx("arena: not mapped");
	if (h->magic != ARENA_MAGIC)
		fatalx("arena: bad magic %016llx",
		    (unsigned long long)h->magic);
	if (h->format != arena_format())
		fatalx("arena: format %016llx, this build has %016llx",
		    (unsigned long long)h->format,
		    (unsigned long long)arena_format());
	if (h->size != a->size)
		fatalx("arena: size %llu, mapped %zu",
		    (unsigned long long)h->size, a->size);
}

/*
 * arena_destroy - unmap and close in this process
 *
 * Other processes keep their mappings; the memory goes when the last
 * one does.
 */
void
arena_destroy(struct arena *a)
{
	if (a->base != NULL)
		munmap(a->base, a->size);
	if (a->fd != -1)
		close(a->fd);
	memset(a, 0, sizeof(*a));
	a->fd = -1;
}

uint64_t
arena_generation(const struct arena *a)
{
	return (arena_hdr(a)->generation);
}

uint64_t
arena_used(const struct arena *a)
{
	return (atomic_load_explicit(&arena_hdr(a)->used,
	    memory_order_relaxed));
}

/*
 * arena_class - the size class of a request
 * @size: bytes asked for
 * @csize: set to the bytes the class gives
 *
 * 16-byte steps up to 128, then four classes per power of two, so no
 * more than a quarter of a block is wasted.
 * Return: the class index, or -1 if @size is 0 or too big.
 */
static int
arena_class(size_t size, size_t *csize)
{
	size_t	step, sub;
	int	p;

	if (size == 0 || size > ARENA_MAX_SIZE)
		return (-1);
	if (size <= ARENA_SMALL_MAX) {
		*csize = (size + 15) & ~(size_t)15;
		return ((int)(*csize / 16) - 1);
	}
	p = 63 - __builtin_clzll((unsigned long long)(size - 1));
	step = (size_t)1 << (p - 2);
	sub = (size - ((size_t)1 << p) + step - 1) / step;
	*csize = ((size_t)1 << p) + sub * step;
	return (8 + (p - 7) * 4 + (int)sub - 1);
}

/*
 * arena_block_size - the bytes a request of @size really occupies
 * Return: the class size, or 0 if @size cannot be allocated.
 */
size_t
arena_block_size(size_t size)
{
	size_t	csize;

	if (arena_class(size, &csize) == -1)
		return (0);
	return (csize);
}

/*
 * arena_pop - take the head of a free list
 *
 * Context: arena lock held. A freed block's first word links to the
 * next; a link that cannot be a block of this class (a process died
 * while pushing, or a stray write) drops the rest of the list: leaked,
 * not trusted.
 * Return: the block, or 0 if the list is empty.
 */
static uint32_t
arena_pop(struct arena *a, int c, size_t csize)
{
	struct arena_hdr	*h = arena_hdr(a);
	_Atomic uint32_t	*link;
	uint32_t		 off, next;

	if ((off = h->free[c]) == 0)
		return (0);
	link = arena_ptr_checked(a, off, csize, ARENA_ALIGN);
	if (link == NULL) {
		log_warnx("arena: free list %d corrupt at %u, dropped", c, off);
		h->free[c] = 0;
		return (0);
	}
	next = atomic_load_explicit(link, memory_order_relaxed);
	if (next != 0 && arena_ptr_checked(a, next, csize,
	    ARENA_ALIGN) == NULL) {
		log_warnx("arena: free list %d corrupt at %u, dropped", c,
		    next);
		next = 0;
	}
	h->free[c] = next;
	return (off);
}

/*
 * arena_push - put a block on its free list
 *
 * Context: arena lock held. Readers in a seqlock section may still be
 * reading the block, so the link is written with an atomic store.
 */
static void
arena_push(struct arena *a, int c, uint32_t off)
{
	struct arena_hdr	*h = arena_hdr(a);
	_Atomic uint32_t	*link;

	link = (_Atomic uint32_t *)(void *)(a->base + off);
	atomic_store_explicit(link, h->free[c], memory_order_relaxed);
	h->free[c] = off;
}

/*
 * arena_alloc - allocate a block in the shared region
 * @a: the arena
 * @size: bytes wanted, not 0
 *
 * Context: any process; takes the arena lock (after any account lock,
 * never before one). Blocks are 16-byte aligned, those of 64 bytes or
 * more 64-byte aligned so a node sits in one cache line. The content
 * is whatever the last owner left: the caller initialises it. A block
 * freed by a crashed process mid-push is at worst leaked.
 * Return: the block's offset, or 0 if the region is full (or @size is 0).
 */
uint32_t
arena_alloc(struct arena *a, size_t size)
{
	struct arena_hdr	*h = arena_hdr(a);
	size_t			 csize, align;
	uint32_t		 off, gap;
	int			 c;

	if ((c = arena_class(size, &csize)) == -1)
		return (0);
	if (arena_mutex_lock(&h->lock) == EOWNERDEAD) {
		/*
		 * Every change here is a single store of a head or of the
		 * bump pointer: a dead owner leaves at worst a leaked block.
		 */
		log_warnx("arena: a process died holding the lock");
		arena_mutex_consistent(&h->lock);
	}
	if ((off = arena_pop(a, c, csize)) == 0) {
		align = csize >= ARENA_LINE ? ARENA_LINE : ARENA_ALIGN;
		off = (h->bump + (uint32_t)align - 1) & ~(uint32_t)(align - 1);
		if (off < h->bump || (uint64_t)off + csize > a->size) {
			arena_mutex_unlock(&h->lock);
			return (0);
		}
		/* The alignment gap feeds the smallest class. */
		for (gap = h->bump; gap < off; gap += ARENA_ALIGN)
			arena_push(a, 0, gap);
		h->bump = off + (uint32_t)csize;
	}
	arena_mutex_unlock(&h->lock);
	atomic_fetch_add_explicit(&h->used, csize, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->nalloc, 1, memory_order_relaxed);
	return (off);
}

/*
 * arena_free - give a block back
 * @a: the arena
 * @off: from arena_alloc(), or 0 (nothing happens)
 * @size: the size it was allocated with
 *
 * Context: any process; takes the arena lock. The block may be handed
 * out again at once: a reader still walking it is racing the writer
 * that unlinked it and will see that writer's sequence move.
 */
void
arena_free(struct arena *a, uint32_t off, size_t size)
{
	struct arena_hdr	*h = arena_hdr(a);
	size_t			 csize;
	int			 c;

	if (off == 0)
		return;
	if ((c = arena_class(size, &csize)) == -1 ||
	    arena_ptr_checked(a, off, csize, ARENA_ALIGN) == NULL)
		fatalx("arena: free of %zu bytes at %u", size, off);
	if (arena_mutex_lock(&h->lock) == EOWNERDEAD) {
		log_warnx("arena: a process died holding the lock");
		arena_mutex_consistent(&h->lock);
	}
	arena_push(a, c, off);
	arena_mutex_unlock(&h->lock);
	atomic_fetch_sub_explicit(&h->used, csize, memory_order_relaxed);
	atomic_fetch_sub_explicit(&h->nalloc, 1, memory_order_relaxed);
}

/*
 * arena_root_set - publish a well-known structure
 *
 * Context: normally the supervisor before fork. The release store pairs
 * with the acquire load in arena_root_get(): whoever sees the offset
 * sees the structure initialised.
 */
void
arena_root_set(struct arena *a, enum arena_root r, uint32_t off)
{
	if ((unsigned)r >= ARENA_ROOT_MAX)
		fatalx("arena: root %d out of range", (int)r);
	atomic_store_explicit(&arena_hdr(a)->roots[r], off,
	    memory_order_release);
}

/*
 * arena_root_get - find a well-known structure
 * Return: its offset, or 0 if it was never set.
 */
uint32_t
arena_root_get(const struct arena *a, enum arena_root r)
{
	if ((unsigned)r >= ARENA_ROOT_MAX)
		fatalx("arena: root %d out of range", (int)r);
	/* Pairs with the release store in arena_root_set(). */
	return (atomic_load_explicit(&arena_hdr(a)->roots[r],
	    memory_order_acquire));
}

/*
 * arena_mutex_init - initialise a mutex that lives in the region
 *
 * Process-shared and robust: if its owner dies, the next taker is told
 * (EOWNERDEAD) instead of waiting for ever.
 */
void
arena_mutex_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t	attr;
	int			r;

	if ((r = pthread_mutexattr_init(&attr)) != 0 ||
	    (r = pthread_mutexattr_setpshared(&attr,
	    PTHREAD_PROCESS_SHARED)) != 0 ||
	    (r = pthread_mutexattr_setrobust(&attr,
	    PTHREAD_MUTEX_ROBUST)) != 0 ||
	    (r = pthread_mutex_init(m, &attr)) != 0) {
		errno = r;
		fatal("arena: mutex init");
	}
	pthread_mutexattr_destroy(&attr);
}

/*
 * arena_mutex_lock - take a shared mutex
 *
 * Return: 0, or EOWNERDEAD: the lock is held, its last owner died inside
 * the critical section, and the caller must repair what it guards and
 * call arena_mutex_consistent() before unlocking. Anything else (a
 * mutex left unrecoverable) is fatal.
 */
int
arena_mutex_lock(pthread_mutex_t *m)
{
	int	r;

	if ((r = pthread_mutex_lock(m)) == 0 || r == EOWNERDEAD)
		return (r);
	errno = r;
	fatal("arena: mutex lock");
}

void
arena_mutex_consistent(pthread_mutex_t *m)
{
	int	r;

	if ((r = pthread_mutex_consistent(m)) != 0) {
		errno = r;
		fatal("arena: mutex consistent");
	}
}

void
arena_mutex_unlock(pthread_mutex_t *m)
{
	int	r;

	if ((r = pthread_mutex_unlock(m)) != 0) {
		errno = r;
		fatal("arena: mutex unlock");
	}
}
