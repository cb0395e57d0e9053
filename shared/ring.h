/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/ring.h: single-producer single-consumer rings of variable-length
 * records in shared memory, one per ordered pair of workers; the wake-up
 * flags that let either side sleep; and the private spill queue a
 * producer uses while a ring is full.
 */

#ifndef NATSD_RING_H
#define NATSD_RING_H

#include <sys/types.h>
#include <sys/uio.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "queue.h"

#define RING_MAGIC		0x676e6972U	/* "ring" */
#define RING_VERSION		2		/* bump on any layout change */
#define RING_ALIGN		64		/* cache line; mem alignment */
#define RING_MINSIZE		256		/* smallest data area */
#define RING_MAXSIZE		(1UL << 30)	/* largest data area */
#define RING_RECHDR		8		/* record header bytes */
#define RING_SPILL_DEFAULT	(8UL * 1024 * 1024)

/*
 * A ring in shared memory: three cache lines of header, then the data
 * area. Nothing in it is a pointer. The fields are ring.c's; others use
 * the functions below. Positions (head, tail) count bytes since
 * ring_init() and never wrap in practice (64 bits); the offset in the
 * data area is pos & (size - 1).
 *
 * Records are 8-aligned: a header {uint32 len, uint32 type}, then len
 * bytes, padded to 8. A record never straddles the end of the data area:
 * when it would, the producer first writes a skip record to the end.
 */
struct ring {
	/* Written once by ring_init(). */
	uint32_t		magic;
	uint32_t		version;
	uint64_t		size;		/* data bytes, power of two */
	uint64_t		maxrec;		/* largest payload: size / 4 */

	/* Producer's line. */
	_Alignas(RING_ALIGN)
	_Atomic uint64_t	head;		/* end of published records */
	uint64_t		phead;		/* end, published or not */
	uint64_t		plast;		/* start of the last record */
	uint64_t		ptail;		/* producer's cached tail */
	_Atomic uint64_t	puts;		/* records put */
	_Atomic uint64_t	put_bytes;	/* their payload bytes */
	_Atomic uint64_t	drops;		/* ring_put_or_spill dropped */
	_Atomic uint64_t	dropped_bytes;

	/* Consumer's line. */
	_Alignas(RING_ALIGN)
	_Atomic uint64_t	tail;		/* end of released records */
	uint64_t		chead;		/* consumer's cached head */
	uint64_t		cnext;		/* end of peeked record, or 0 */
	uint64_t		clen;		/* its payload length */
	_Atomic uint64_t	drains;		/* records released */
	_Atomic uint64_t	drained_bytes;	/* their payload bytes */
	_Atomic uint32_t	space_wanted;	/* producer sleeps on a spill */

	_Alignas(RING_ALIGN)
	unsigned char		data[];
};

/*
 * One per consumer worker, in shared memory, shared by every ring into
 * that worker. Padded to a cache line.
 */
struct ring_waiter {
	_Alignas(RING_ALIGN)
	_Atomic uint32_t	sleeping;	/* consumer is going to sleep */
	uint32_t		pad;
	_Atomic uint64_t	sleeps;		/* ring_consumer_sleep said 1 */
	_Atomic uint64_t	wakeups;	/* should_wake said 1 */
};

/* Counters, copied out with relaxed loads; payload bytes only. */
struct ring_stats {
	uint64_t		puts;
	uint64_t		put_bytes;
	uint64_t		drains;
	uint64_t		drained_bytes;
	uint64_t		drops;
	uint64_t		dropped_bytes;
	uint64_t		used;		/* bytes in the ring now */
};

/* The producer's private queue of records that found the ring full. */
struct ring_spill {
	STAILQ_HEAD(, ring_spill_rec) q;
	size_t			count;		/* records held */
	size_t			bytes;		/* their payload bytes */
	size_t			limit;		/* bound on bytes */
	uint64_t		drops;		/* refused past the bound */
	uint64_t		dropped_bytes;
};

/*
 * A worker w, with one eventfd efd[w] and waiter[w], producing into
 * out[j] (spill[j]) and consuming from in[i], runs each loop turn as:
 *
 *	each message for j:	ring_put_or_spill(out[j], &spill[j], iov, n);
 *				(or, with spill[j] empty, p = ring_alloc(out[j],
 *				len), fill p; see ring_alloc())
 *	end of turn, each j:	ring_trim(out[j], used) if the last record
 *				ring_alloc() gave was not filled;
 *				ring_publish(out[j]);
 *				ring_spill_flush(out[j], &spill[j]);
 *				if (put to j this turn &&
 *				    ring_producer_should_wake(&waiter[j]))
 *					write efd[j];
 *	each i:			if (ring_drain(in[i], cb, arg, max) > 0 &&
 *				    ring_consumer_should_wake(in[i]))
 *					write efd[i];
 *	before blocking:	don't block if, for some j with spill[j].count,
 *				ring_producer_sleep(out[j], &spill[j]) == 0,
 *				or if ring_consumer_sleep(&waiter[w], in, n)
 *				== 0;
 *	after blocking:		ring_consumer_awake(&waiter[w]);
 *				read efd[w] if readable.
 */
typedef int (*ring_drain_cb)(const void *, size_t, void *);

/* Setting up: any process, before either side uses the ring. */
size_t	 ring_memsize(size_t);
int	 ring_init(void *, size_t);
struct ring *ring_attach(void *, size_t);
size_t	 ring_size(const struct ring *);
size_t	 ring_max_record(const struct ring *);
size_t	 ring_used(const struct ring *);
void	 ring_stats(const struct ring *, struct ring_stats *);

/* Producer. */
void	 ring_producer_init(struct ring *);
int	 ring_put(struct ring *, const struct iovec *, int);
void	*ring_alloc(struct ring *, size_t);
int	 ring_trim(struct ring *, size_t);
void	 ring_publish(struct ring *);
int	 ring_producer_sleep(struct ring *, struct ring_spill *);
int	 ring_producer_should_wake(struct ring_waiter *);

/* Consumer. */
const void *ring_peek(struct ring *, size_t *);
void	 ring_pop(struct ring *);
int	 ring_drain(struct ring *, ring_drain_cb, void *, int);
int	 ring_consumer_sleep(struct ring_waiter *, struct ring *const *, int);
void	 ring_consumer_awake(struct ring_waiter *);
int	 ring_consumer_should_wake(struct ring *);

/* Waiter: in shared memory, one per consumer worker. */
void	 ring_waiter_init(struct ring_waiter *);

/* Spill: producer's private memory. */
void	 ring_spill_init(struct ring_spill *, size_t);
int	 ring_put_or_spill(struct ring *, struct ring_spill *,
	    const struct iovec *, int);
int	 ring_spill_flush(struct ring *, struct ring_spill *);
size_t	 ring_spill_purge(struct ring_spill *);

#endif /* NATSD_RING_H */
