/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/ring.c: single-producer single-consumer byte rings of records
 * in shared memory, one per ordered pair of workers. The consumer gets
 * each record as one contiguous span and parses it in place. A producer
 * whose ring is full queues records in a bounded private spill.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ring.h"
#include "xmalloc.h"

/*
 * Memory ordering.
 *
 * Records. The producer writes a record's bytes (and any skip record
 * before it) with plain stores, then publishes them with a release store
 * of head; the consumer acquire-loads head before it reads a header.
 * The consumer releases records with a release store of tail after its
 * last read of their bytes; the producer acquire-loads tail before it
 * writes over them. Each side caches the other's position in a field
 * only it touches (ptail, chead) and reloads it only when the cached
 * value says full or empty, so the other side's cache line is read once
 * per batch, not once per record.
 *
 * Unpublished records. ring_alloc() appends a record at phead, the
 * producer's private end, without moving head: the consumer cannot see
 * it, nor anything after it, until ring_publish() release-stores head
 * = phead, which publishes every record appended since at once. The
 * space check uses phead, so unpublished records hold their room. For
 * the argument below, a record is "put" when it is published: the
 * producer publishes before its fence P (ring_publish() before
 * ring_producer_should_wake()).
 *
 * Sleeping consumer. Before it sleeps, the consumer stores sleeping = 1,
 * issues a seq_cst fence (C) and loads every ring's head. After a batch
 * of puts, the producer issues a seq_cst fence (P) and loads sleeping.
 * C and P are ordered in the single total order S of seq_cst fences,
 * and a store sequenced before one fence is seen by a load sequenced
 * after a later one (C++11 [atomics.order] p6; C11 has the same model):
 *  - C before P: the producer's load sees the 1 or a later value of
 *    sleeping. Until the consumer returns from its sleep, only
 *    producers write sleeping, each by a test-and-clear, so exactly one
 *    of them takes the 1 and signals the eventfd; a producer that reads
 *    0 knows that another took it.
 *  - P before C: the consumer's load of head sees the producer's head
 *    store, which precedes P; the ring is not empty, so
 *    ring_consumer_sleep() returns 0 and the consumer does not sleep.
 * Either way a record put before P is never left unseen by a sleeping
 * consumer: no lost wake-up, and at most one signal per sleep. Without
 * the fences, x86 may satisfy either load before its own store leaves
 * the store buffer, both sides read the old values, and the consumer
 * sleeps on a record (t/check_ring.c catches exactly that).
 *
 * Sleeping producer. A producer whose spill is not empty cannot put
 * until the consumer frees space. The same argument with the roles
 * swapped covers it: space_wanted instead of sleeping, tail instead of
 * head, the fences in ring_producer_sleep() and
 * ring_consumer_should_wake().
 *
 * Nothing here protects against a peer that scribbles on the ring: a
 * malformed record is a bug in natsd and ring_peek() calls fatalx().
 */

#define RING_REC_DATA		0x61746164U	/* "data" */
#define RING_REC_SKIP		0x70696b73U	/* "skip" */

#define RING_ROUNDUP(n)		(((n) + 7) & ~(uint64_t)7)

struct ring_rec {
	uint32_t	len;		/* payload bytes after the header */
	uint32_t	type;		/* RING_REC_* */
};

/* A spilled record: a private copy, malloc'd on the spill path only. */
struct ring_spill_rec {
	STAILQ_ENTRY(ring_spill_rec) entry;
	size_t			 len;
	unsigned char		 data[];
};

_Static_assert(sizeof(struct ring_rec) == RING_RECHDR, "ring record header");
_Static_assert(sizeof(struct ring) == 3 * RING_ALIGN, "ring header");
_Static_assert(sizeof(struct ring_waiter) == RING_ALIGN, "ring waiter");

static void	 ring_counter_add(_Atomic uint64_t *, uint64_t);
static int	 ring_iov_len(const struct ring *, const struct iovec *, int,
		    size_t *);
static int	 ring_put_len(struct ring *, const struct iovec *, int,
		    size_t);
static unsigned char *ring_reserve(struct ring *, size_t, uint64_t *);
static unsigned char *ring_append(struct ring *, size_t);
static inline const unsigned char *ring_next(struct ring *, uint64_t,
		    size_t *, uint64_t *);

/*
 * Counters have one writer each, so a relaxed load and store does; an
 * atomic add would lock the bus for nothing.
 */
static void
ring_counter_add(_Atomic uint64_t *c, uint64_t n)
{
	atomic_store_explicit(c,
	    atomic_load_explicit(c, memory_order_relaxed) + n,
	    memory_order_relaxed);
}

/*
 * ring_memsize - bytes of shared memory for a ring
 * @size: data bytes wanted, a power of two in
 *        [RING_MINSIZE, RING_MAXSIZE]
 *
 * Return: what to give ring_init() so that it makes a data area of
 * exactly @size bytes.
 */
size_t
ring_memsize(size_t size)
{
	return (sizeof(struct ring) + size);
}

/*
 * ring_init - format memory as an empty ring
 * @mem:   RING_ALIGN-aligned memory, usually inside the shared arena
 * @bytes: its size; the data area is the largest power of two that
 *         fits after the header, at most RING_MAXSIZE
 *
 * Context: one process, while neither end uses the ring (before fork,
 * or with both workers stopped).
 * Return: 0, or -1 with errno EINVAL when @mem is misaligned or too small
 * for RING_MINSIZE bytes of data.
 */
int
ring_init(void *mem, size_t bytes)
{
	struct ring	*r = mem;
	size_t		 size;

	if (mem == NULL || ((uintptr_t)mem & (RING_ALIGN - 1)) != 0 ||
	    bytes < sizeof(*r) + RING_MINSIZE) {
		errno = EINVAL;
		return (-1);
	}
	bytes -= sizeof(*r);
	for (size = RING_MINSIZE; size < RING_MAXSIZE && size <= bytes / 2;)
		size *= 2;
	memset(r, 0, sizeof(*r));
	r->version = RING_VERSION;
	r->size = size;
	r->maxrec = size / 4;
	r->magic = RING_MAGIC;
	return (0);
}

/*
 * ring_attach - check formatted memory and return it as a ring
 * @mem:   what ring_init() formatted, mapped anywhere
 * @bytes: the size of the memory there
 *
 * Return: the ring, or NULL with errno EINVAL when the memory does not
 * hold a ring of this version that fits in @bytes.
 */
struct ring *
ring_attach(void *mem, size_t bytes)
{
	struct ring	*r = mem;

	if (mem == NULL || ((uintptr_t)mem & (RING_ALIGN - 1)) != 0 ||
	    bytes < sizeof(*r) || r->magic != RING_MAGIC ||
	    r->version != RING_VERSION || r->size < RING_MINSIZE ||
	    r->size > RING_MAXSIZE || (r->size & (r->size - 1)) != 0 ||
	    r->size > bytes - sizeof(*r) || r->maxrec != r->size / 4) {
		errno = EINVAL;
		return (NULL);
	}
	return (r);
}

size_t
ring_size(const struct ring *r)
{
	return (r->size);
}

/* The largest payload ring_put() takes: a quarter of the data area. */
size_t
ring_max_record(const struct ring *r)
{
	return (r->maxrec);
}

/*
 * ring_used - bytes of records (headers, padding, skips) in the ring
 *
 * Context: any process; a snapshot, stale as soon as it is returned.
 * Tail is loaded first and with acquire, so the head loaded after it is
 * at least as new and the difference never goes negative.
 */
size_t
ring_used(const struct ring *r)
{
	uint64_t	 tail, head;

	tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	return (head - tail);
}

/*
 * ring_stats - copy the ring's counters
 *
 * Context: any process. Each counter is read atomically, the set is not
 * a snapshot.
 */
void
ring_stats(const struct ring *r, struct ring_stats *st)
{
	st->puts = atomic_load_explicit(&r->puts, memory_order_relaxed);
	st->put_bytes = atomic_load_explicit(&r->put_bytes,
	    memory_order_relaxed);
	st->drains = atomic_load_explicit(&r->drains, memory_order_relaxed);
	st->drained_bytes = atomic_load_explicit(&r->drained_bytes,
	    memory_order_relaxed);
	st->drops = atomic_load_explicit(&r->drops, memory_order_relaxed);
	st->dropped_bytes = atomic_load_explicit(&r->dropped_bytes,
	    memory_order_relaxed);
	st->used = ring_used(r);
}

/*
 * Sum an iovec into *len. Returns 0, or -1 with errno EINVAL (bad
 * arguments) or EMSGSIZE (more than r->maxrec bytes).
 */
static int
ring_iov_len(const struct ring *r, const struct iovec *iov, int iovcnt,
    size_t *len)
{
	size_t	 n = 0;
	int	 i;

	if (iovcnt < 0 || (iovcnt > 0 && iov == NULL)) {
		errno = EINVAL;
		return (-1);
	}
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > r->maxrec - n) {
			errno = EMSGSIZE;
			return (-1);
		}
		n += iov[i].iov_len;
	}
	*len = n;
	return (0);
}

/*
 * ring_reserve - find room for a record of @len payload bytes
 *
 * Writes a skip record to the end of the data area first if the record
 * would not fit before it, at phead. Nothing is published. Because @len
 * is at most
 * size / 4, an empty ring always has room, whatever its offset.
 *
 * Context: the producer.
 * Return: where the record's header goes, with *end set to the head that
 * publishes it; or NULL when the ring has no room.
 */
static unsigned char *
ring_reserve(struct ring *r, size_t len, uint64_t *end)
{
	struct ring_rec	 skip;
	uint64_t	 head, off, contig, need, want;

	head = r->phead;
	off = head & (r->size - 1);
	contig = r->size - off;
	need = RING_RECHDR + RING_ROUNDUP(len);
	want = need <= contig ? need : contig + need;
	if (head + want - r->ptail > r->size) {
		/*
		 * Pairs with the release store of tail in ring_pop() and
		 * ring_drain(): the consumer is done with the bytes.
		 */
		r->ptail = atomic_load_explicit(&r->tail,
		    memory_order_acquire);
		if (head + want - r->ptail > r->size)
			return (NULL);
	}
	if (need > contig) {
		skip.len = contig - RING_RECHDR;
		skip.type = RING_REC_SKIP;
		memcpy(r->data + off, &skip, sizeof(skip));
		off = 0;
	}
	*end = head + want;
	return (r->data + off);
}

/*
 * ring_append - append a record of @len <= maxrec payload bytes at phead,
 * unpublished; the caller writes the payload
 *
 * Context: the producer.
 * Return: where the payload goes, or NULL when the ring has no room.
 */
static unsigned char *
ring_append(struct ring *r, size_t len)
{
	struct ring_rec	 h;
	unsigned char	*p;
	uint64_t	 end;

	if ((p = ring_reserve(r, len, &end)) == NULL)
		return (NULL);
	h.len = len;
	h.type = RING_REC_DATA;
	memcpy(p, &h, sizeof(h));
	r->plast = end - RING_RECHDR - RING_ROUNDUP(len);
	r->phead = end;
	ring_counter_add(&r->puts, 1);
	ring_counter_add(&r->put_bytes, len);
	return (p + RING_RECHDR);
}

/* ring_put() once the length is known and checked. */
static int
ring_put_len(struct ring *r, const struct iovec *iov, int iovcnt,
    size_t len)
{
	unsigned char	*q;
	int		 i;

	if ((q = ring_append(r, len)) == NULL) {
		errno = ENOSPC;
		return (-1);
	}
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		memcpy(q, iov[i].iov_base, iov[i].iov_len);
		q += iov[i].iov_len;
	}
	ring_publish(r);
	return (0);
}

/*
 * ring_producer_init - take up the producer's end of a ring
 *
 * Forgets records a previous producer appended and never published (it
 * died between ring_alloc() and ring_publish()).
 *
 * Context: the ring's one producer, before its first put; again after
 * a restart.
 */
void
ring_producer_init(struct ring *r)
{
	r->phead = atomic_load_explicit(&r->head, memory_order_relaxed);
	/* Pairs with the release stores of tail by the consumer. */
	r->ptail = atomic_load_explicit(&r->tail, memory_order_acquire);
}

/*
 * ring_alloc - append one record without publishing it
 * @r:   the ring
 * @len: the record's length, at most ring_max_record()
 *
 * The caller writes the @len bytes at the returned address (8-aligned,
 * contiguous) before its next call on @r. Nobody sees the record until
 * ring_publish() (or a ring_put(), ring_put_or_spill() or
 * ring_spill_flush() that puts something), which publishes every record
 * appended since the last publish; call it before
 * ring_producer_should_wake(). Mixing with ring_put_or_spill() keeps the
 * order only while the spill is empty: use this only then.
 *
 * Context: the ring's one producer.
 * Return: where the record goes, or NULL with errno ENOSPC (no room now;
 * records appended and not published hold room too, so publish first)
 * or EMSGSIZE (more than ring_max_record() bytes).
 */
void *
ring_alloc(struct ring *r, size_t len)
{
	unsigned char	*p;

	if (len > r->maxrec) {
		errno = EMSGSIZE;
		return (NULL);
	}
	if ((p = ring_append(r, len)) == NULL)
		errno = ENOSPC;
	return (p);
}

/*
 * ring_trim - give back the end of the last record ring_alloc() appended
 * @r:   the ring
 * @len: the record's new length, at most what ring_alloc() was given
 *
 * Lets a producer reserve room for a batch of messages, fill part of
 * it and keep only that: the consumer then pays its per-record costs
 * once for the batch. Only before the record is published.
 *
 * Context: the ring's one producer.
 * Return: 0, or -1 with errno EINVAL when the last record was published
 * (ring_publish(), or any put since) or is shorter than @len.
 */
int
ring_trim(struct ring *r, size_t len)
{
	struct ring_rec	 h;
	unsigned char	*p;

	if (r->phead == atomic_load_explicit(&r->head, memory_order_relaxed)) {
		errno = EINVAL;		/* nothing unpublished */
		return (-1);
	}
	p = r->data + (r->plast & (r->size - 1));
	memcpy(&h, p, sizeof(h));
	if (len > h.len) {
		errno = EINVAL;
		return (-1);
	}
	ring_counter_add(&r->put_bytes, -(uint64_t)(h.len - len));
	h.len = len;
	memcpy(p, &h, sizeof(h));
	r->phead = r->plast + RING_RECHDR + RING_ROUNDUP(len);
	return (0);
}

/*
 * ring_publish - make every record appended so far visible, at once
 *
 * Context: the ring's one producer.
 */
void
ring_publish(struct ring *r)
{
	/* Pairs with the acquire load of head in ring_next(). */
	if (atomic_load_explicit(&r->head, memory_order_relaxed) != r->phead)
		atomic_store_explicit(&r->head, r->phead,
		    memory_order_release);
}

/*
 * ring_put - append one record, gathered from an iovec
 * @r:      the ring
 * @iov:    the record's bytes, in order; copied, so the caller keeps them
 * @iovcnt: entries in @iov; 0 puts an empty record
 *
 * The record becomes visible to the consumer whole, never in part. The
 * caller signals the consumer after its batch of puts, when
 * ring_producer_should_wake() says so.
 *
 * Context: the ring's one producer.
 * Return: 0, or -1 with errno ENOSPC (no room now; see
 * ring_put_or_spill()), EMSGSIZE (more than ring_max_record() bytes;
 * never fits) or EINVAL.
 */
int
ring_put(struct ring *r, const struct iovec *iov, int iovcnt)
{
	size_t	 len;

	if (ring_iov_len(r, iov, iovcnt, &len) == -1)
		return (-1);
	return (ring_put_len(r, iov, iovcnt, len));
}

/*
 * ring_next - the record at @pos, skipping a skip record
 *
 * Context: the consumer.
 * Return: the payload, with *len its length and *end the position after
 * it; or NULL when @pos is the head. A malformed record is fatal.
 */
static inline const unsigned char *
ring_next(struct ring *r, uint64_t pos, size_t *len, uint64_t *end)
{
	struct ring_rec	 h;
	uint64_t	 avail, off, contig, need;

	for (;;) {
		if (pos == r->chead) {
			/* Pairs with the release store of head in put. */
			r->chead = atomic_load_explicit(&r->head,
			    memory_order_acquire);
			if (pos == r->chead)
				return (NULL);
		}
		avail = r->chead - pos;
		off = pos & (r->size - 1);
		contig = r->size - off;
		if (avail < RING_RECHDR || avail > r->size)
			break;
		memcpy(&h, r->data + off, sizeof(h));
		if (h.type == RING_REC_SKIP) {
			if ((uint64_t)h.len + RING_RECHDR != contig ||
			    contig > avail)
				break;
			pos += contig;
			continue;
		}
		need = RING_RECHDR + RING_ROUNDUP((uint64_t)h.len);
		if (h.type != RING_REC_DATA || h.len > r->maxrec ||
		    need > avail || need > contig)
			break;
		*len = h.len;
		*end = pos + need;
		return (r->data + off + RING_RECHDR);
	}
	fatalx("ring: corrupt record at %llu, head %llu",
	    (unsigned long long)pos, (unsigned long long)r->chead);
}

/*
 * ring_peek - the next record, in place
 * @r:   the ring
 * @len: set to the record's length
 *
 * The record stays valid, and unchanged, until ring_pop(). Peeking again
 * without a pop returns the same record.
 *
 * Context: the ring's one consumer.
 * Return: the record's first byte (8-aligned), or NULL when the ring is
 * empty.
 */
const void *
ring_peek(struct ring *r, size_t *len)
{
	const unsigned char	*p;
	uint64_t		 tail, end;

	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	if ((p = ring_next(r, tail, len, &end)) == NULL)
		return (NULL);
	r->cnext = end;
	r->clen = *len;
	return (p);
}

/*
 * ring_pop - release the record ring_peek() returned
 *
 * Its bytes may be overwritten as soon as this returns. Without a peeked
 * record, does nothing. After a batch of pops, call
 * ring_consumer_should_wake().
 *
 * Context: the ring's one consumer.
 */
void
ring_pop(struct ring *r)
{
	if (r->cnext == 0)
		return;
	/* Pairs with the acquire load of tail in ring_reserve(). */
	atomic_store_explicit(&r->tail, r->cnext, memory_order_release);
	ring_counter_add(&r->drains, 1);
	ring_counter_add(&r->drained_bytes, r->clen);
	r->cnext = 0;
}

/*
 * ring_drain - hand up to @max records to @cb, in order
 * @r:   the ring
 * @cb:  called as cb(record, len, arg) with the record in place; a
 *       non-zero return stops the drain after this record. It must not
 *       peek, pop or drain this ring.
 * @arg: passed to @cb
 * @max: most records to take
 *
 * Records are released in groups (every quarter ring and at the end),
 * so the producer's cache line is written a few times per batch. A
 * record peeked and not popped before the call is handed to @cb too.
 * Afterwards, call ring_consumer_should_wake().
 *
 * Context: the ring's one consumer.
 * Return: the number of records handed to @cb.
 */
int
ring_drain(struct ring *r, ring_drain_cb cb, void *arg, int max)
{
	const unsigned char	*p;
	uint64_t		 pos, done, end, bytes = 0;
	size_t			 len;
	int			 n = 0, stop = 0;

	pos = done = atomic_load_explicit(&r->tail, memory_order_relaxed);
	while (n < max && !stop) {
		if ((p = ring_next(r, pos, &len, &end)) == NULL)
			break;
		stop = cb(p, len, arg);
		pos = end;
		n++;
		bytes += len;
		if (pos - done >= r->size / 4) {
			/* Pairs with the acquire load in ring_reserve(). */
			atomic_store_explicit(&r->tail, pos,
			    memory_order_release);
			done = pos;
		}
	}
	if (pos != done)
		atomic_store_explicit(&r->tail, pos, memory_order_release);
	r->cnext = 0;
	if (n > 0) {
		ring_counter_add(&r->drains, n);
		ring_counter_add(&r->drained_bytes, bytes);
	}
	return (n);
}

/*
 * ring_waiter_init - a consumer worker's wake-up flag, awake
 *
 * Context: before fork, or while no process uses @w.
 */
void
ring_waiter_init(struct ring_waiter *w)
{
	memset(w, 0, sizeof(*w));
}

/*
 * ring_consumer_sleep - announce sleep, then check every ring once more
 * @w:      this worker's waiter
 * @rings:  the rings into this worker; NULL entries are skipped
 * @nrings: entries in @rings
 *
 * Called with nothing left to do, right before the event loop blocks.
 * On 1 the caller may block until its eventfd is readable (a producer
 * signalled) or something else happens; on waking it calls
 * ring_consumer_awake() and drains every ring. See the ordering
 * argument at the top of this file.
 *
 * Context: the consumer, the only process that sets @w.
 * Return: 1 when every ring is empty and @w says sleeping; 0 when a
 * record arrived (@w is cleared again; drain instead of sleeping).
 */
int
ring_consumer_sleep(struct ring_waiter *w, struct ring *const *rings,
    int nrings)
{
	struct ring	*r;
	int		 i;

	atomic_store_explicit(&w->sleeping, 1, memory_order_relaxed);
	/*
	 * Pairs with the fence in ring_producer_should_wake(): either it
	 * sees sleeping, or we see its head.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < nrings; i++) {
		if ((r = rings[i]) == NULL)
			continue;
		if (atomic_load_explicit(&r->head, memory_order_relaxed) !=
		    atomic_load_explicit(&r->tail, memory_order_relaxed)) {
			atomic_store_explicit(&w->sleeping, 0,
			    memory_order_relaxed);
			return (0);
		}
	}
	ring_counter_add(&w->sleeps, 1);
	return (1);
}

/*
 * ring_consumer_awake - the consumer is running again
 *
 * Clears the flag after a sleep that ended for another reason than a
 * producer's signal, so producers stop signalling. A producer racing
 * with this may still signal once: the eventfd is then readable for
 * nothing, which costs a loop turn, nothing else.
 *
 * Context: the consumer.
 */
void
ring_consumer_awake(struct ring_waiter *w)
{
	atomic_store_explicit(&w->sleeping, 0, memory_order_relaxed);
}

/*
 * ring_producer_should_wake - must the consumer be signalled?
 * @w: the consumer worker's waiter
 *
 * Called after a batch of puts (once per loop turn and destination is
 * enough; after each put is correct too). Test-and-clear: of all the
 * producers' calls, one per sleep returns 1.
 *
 * Context: any producer into @w's worker.
 * Return: 1 when the caller must write the consumer's eventfd, else 0.
 */
int
ring_producer_should_wake(struct ring_waiter *w)
{
	/*
	 * Pairs with the fence in ring_consumer_sleep(): orders our
	 * release of head before the load of sleeping.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&w->sleeping, memory_order_relaxed) == 0)
		return (0);
	if (atomic_exchange_explicit(&w->sleeping, 0,
	    memory_order_relaxed) == 0)
		return (0);
	atomic_fetch_add_explicit(&w->wakeups, 1, memory_order_relaxed);
	return (1);
}

/*
 * ring_producer_sleep - announce sleep on a full ring, then retry once
 * @r:  the ring
 * @sp: the producer's spill for @r
 *
 * A producer whose spill is not empty cannot sleep forever: it must be
 * woken when the consumer frees space. Call this for each such ring
 * before the event loop blocks; the consumer's ring_consumer_should_wake()
 * then tells it to write this worker's eventfd.
 *
 * Context: the ring's producer.
 * Return: 1 when the caller may sleep (the spill is empty, or nothing
 * moved and the consumer will wake us); 0 when records moved from the
 * spill into the ring: run another loop turn (and signal the consumer).
 */
int
ring_producer_sleep(struct ring *r, struct ring_spill *sp)
{
	if (sp->count == 0)
		return (1);
	atomic_store_explicit(&r->space_wanted, 1, memory_order_relaxed);
	/*
	 * Pairs with the fence in ring_consumer_should_wake(): either it
	 * sees space_wanted, or the flush below sees its tail.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	if (ring_spill_flush(r, sp) == 0)
		return (1);
	atomic_store_explicit(&r->space_wanted, 0, memory_order_relaxed);
	return (0);
}

/*
 * ring_consumer_should_wake - must the producer be signalled?
 * @r: a ring just drained or popped
 *
 * Call after each batch that released records, before sleeping.
 *
 * Context: the ring's consumer.
 * Return: 1 when the caller must write the producer worker's eventfd
 * (it sleeps on a spill and space was freed), else 0.
 */
int
ring_consumer_should_wake(struct ring *r)
{
	/*
	 * Pairs with the fence in ring_producer_sleep(): orders our
	 * release of tail before the load of space_wanted.
	 */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&r->space_wanted, memory_order_relaxed) == 0)
		return (0);
	return (atomic_exchange_explicit(&r->space_wanted, 0,
	    memory_order_relaxed) != 0);
}

/*
 * ring_spill_init - an empty spill
 * @limit: bound on payload bytes held; 0 means RING_SPILL_DEFAULT
 */
void
ring_spill_init(struct ring_spill *sp, size_t limit)
{
	memset(sp, 0, sizeof(*sp));
	STAILQ_INIT(&sp->q);
	sp->limit = limit != 0 ? limit : RING_SPILL_DEFAULT;
}

/*
 * ring_put_or_spill - put a record, keeping order through full periods
 * @r:      the ring
 * @sp:     the producer's spill for @r
 * @iov:    the record, copied
 * @iovcnt: entries in @iov
 *
 * While the spill holds records, new ones join it behind them, so the
 * consumer sees the producer's order. A record that would take the
 * spill past its bound is dropped and counted in @sp and in the ring's
 * shared drop counters. Only this path allocates (xmalloc).
 *
 * Context: the ring's producer; call ring_spill_flush() once per loop
 * turn.
 * Return: 0 put in the ring, 1 spilled; -1 with errno ENOBUFS (dropped),
 * EMSGSIZE (larger than ring_max_record(); not counted, not kept) or
 * EINVAL.
 */
int
ring_put_or_spill(struct ring *r, struct ring_spill *sp,
    const struct iovec *iov, int iovcnt)
{
	struct ring_spill_rec	*rec;
	unsigned char		*q;
	size_t			 len;
	int			 i;

	if (ring_iov_len(r, iov, iovcnt, &len) == -1)
		return (-1);
	if (sp->count == 0) {
		if (ring_put_len(r, iov, iovcnt, len) == 0)
			return (0);
		if (errno != ENOSPC)
			return (-1);
	}
	if (len > sp->limit - sp->bytes) {
		sp->drops++;
		sp->dropped_bytes += len;
		ring_counter_add(&r->drops, 1);
		ring_counter_add(&r->dropped_bytes, len);
		errno = ENOBUFS;
		return (-1);
	}
	rec = xmalloc(sizeof(*rec) + len);
	rec->len = len;
	q = rec->data;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len == 0)
			continue;
		memcpy(q, iov[i].iov_base, iov[i].iov_len);
		q += iov[i].iov_len;
	}
	STAILQ_INSERT_TAIL(&sp->q, rec, entry);
	sp->count++;
	sp->bytes += len;
	return (1);
}

/*
 * ring_spill_flush - move spilled records into the ring, oldest first,
 * while they fit
 *
 * Context: the ring's producer, once per loop turn, before
 * ring_producer_should_wake().
 * Return: the number of records moved; sp->count says how many remain.
 */
int
ring_spill_flush(struct ring *r, struct ring_spill *sp)
{
	struct ring_spill_rec	*rec;
	struct iovec		 iov;
	int			 n = 0;

	while ((rec = STAILQ_FIRST(&sp->q)) != NULL) {
		iov.iov_base = rec->data;
		iov.iov_len = rec->len;
		if (ring_put_len(r, &iov, 1, rec->len) == -1)
			break;
		STAILQ_REMOVE_HEAD(&sp->q, entry);
		sp->count--;
		sp->bytes -= rec->len;
		free(rec);
		n++;
	}
	return (n);
}

/*
 * ring_spill_purge - free every spilled record (the consumer is gone)
 *
 * Not counted as drops: the caller knows why they went.
 * Return: the number of records freed.
 */
size_t
ring_spill_purge(struct ring_spill *sp)
{
	struct ring_spill_rec	*rec;
	size_t			 n = 0;

	while ((rec = STAILQ_FIRST(&sp->q)) != NULL) {
		STAILQ_REMOVE_HEAD(&sp->q, entry);
		free(rec);
		n++;
	}
	sp->count = 0;
	sp->bytes = 0;
	return (n);
}
