/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/seqlock.h: sequence counters for data in shared memory that
 * many processes read without locking and few write under a mutex.
 */

#ifndef NATSD_SEQLOCK_H
#define NATSD_SEQLOCK_H

#include <stdatomic.h>
#include <stdint.h>

/*
 * A writer makes the sequence odd, changes the data, makes it even. A
 * reader samples the sequence, reads, samples it again, and keeps what it
 * read only if both samples are equal and even.
 *
 * Seqlocks and pointers do not mix. Until seqlock_read_retry() has said
 * no, everything a reader loaded may be torn: an offset may point into a
 * freed and reused block, a count may be huge, a chain may loop. So in
 * a read section:
 *  - every load from shared memory is an atomic relaxed load;
 *  - every offset is bounds-checked (arena_ptr_checked()) before use;
 *  - every loop is bounded by something the reader owns;
 *  - results go to private memory and are acted on only after the
 *    retry check passed;
 *  - nothing is allocated on a size read in the section unless a retry
 *    check made just before has passed (so the size is real).
 * Writers store with atomic relaxed stores, so readers never race plain
 * stores (which a compiler may tear or invent).
 *
 * The orderings follow H.-J. Boehm, "Can seqlocks get along with
 * programming language memory models?" (MSPC 2012).
 */

/*
 * seqlock_read_begin - start a read section
 * @seq: the sequence counter
 *
 * Context: any process, no lock.
 * Return: the sequence to hand to seqlock_read_retry(). If it is odd a
 * writer is active: the caller should not walk, but retry (or wait).
 */
static inline uint32_t
seqlock_read_begin(const _Atomic uint32_t *seq)
{
	/*
	 * Acquire pairs with the release store in seqlock_write_end():
	 * if we see the even value a writer stored there, we see all the
	 * data that writer stored before it.
	 */
	return (atomic_load_explicit(seq, memory_order_acquire));
}

/*
 * seqlock_read_busy - whether a sampled sequence says a writer is active
 * @start: from seqlock_read_begin()
 *
 * Return: non-zero if odd.
 */
static inline int
seqlock_read_busy(uint32_t start)
{
	return ((start & 1) != 0);
}

/*
 * seqlock_read_retry - end a read section
 * @seq: the sequence counter
 * @start: what seqlock_read_begin() returned
 *
 * Context: any process, no lock. May also be called in the middle of a
 * section, to validate what was read so far (e.g. before allocating).
 * Return: non-zero if a writer was active at @start or has been since:
 * everything read since seqlock_read_begin() must be thrown away.
 * Zero: every relaxed load made before this call saw one consistent
 * state, the one a writer left at @start.
 */
static inline int
seqlock_read_retry(const _Atomic uint32_t *seq, uint32_t start)
{
	/*
	 * Pairs with the release fence in seqlock_write_begin(): if any
	 * of our data loads saw a store made after a writer's begin, this
	 * fence makes the load below see that writer's odd value (or a
	 * later one).
	 */
	atomic_thread_fence(memory_order_acquire);
	return ((start & 1) != 0 ||
	    atomic_load_explicit(seq, memory_order_relaxed) != start);
}

/*
 * seqlock_write_begin - start a write section
 * @seq: the sequence counter
 *
 * Context: the caller holds the mutex that serialises writers of the
 * data @seq covers, so a plain read-increment-store is enough.
 * Return: nothing; @seq is now odd.
 */
static inline void
seqlock_write_begin(_Atomic uint32_t *seq)
{
	uint32_t	s;

	s = atomic_load_explicit(seq, memory_order_relaxed);
	atomic_store_explicit(seq, s + 1, memory_order_relaxed);
	/*
	 * Pairs with the acquire fence in seqlock_read_retry(): the odd
	 * value is ordered before every data store that follows.
	 */
	atomic_thread_fence(memory_order_release);
}

/*
 * seqlock_write_end - end a write section
 * @seq: the sequence counter, odd
 *
 * Context: the writers' mutex is held.
 * Return: nothing; @seq is even again.
 */
static inline void
seqlock_write_end(_Atomic uint32_t *seq)
{
	uint32_t	s;

	s = atomic_load_explicit(seq, memory_order_relaxed);
	/*
	 * Release pairs with the acquire load in seqlock_read_begin():
	 * every data store of this section is ordered before the even
	 * value.
	 */
	atomic_store_explicit(seq, s + 1, memory_order_release);
}

#endif /* NATSD_SEQLOCK_H */
