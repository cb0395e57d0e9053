/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_ring.c: unit tests for shared/ring.c: record order and content
 * against a reference FIFO, wrap-around at every offset, full and
 * oversize rings, the spill, and a producer and consumer in two
 * processes, spinning and sleeping on eventfds.
 */

#include "config.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "ring.h"

#define XPROC_POLL_MS	2000		/* safety net; must never fire */

/*
 * ck_assert_* logs every check that passes (a write(2) each), too slow
 * for a loop over millions of records: test first, report on failure.
 */
#define HOT_EQ(x, y) do {						\
	if ((x) != (y))							\
		ck_assert_uint_eq((x), (y));				\
} while (0)
#define HOT_LE(x, y) do {						\
	if ((x) > (y))							\
		ck_assert_uint_le((x), (y));				\
} while (0)

/* What a test sends: the payload is a function of (seq, len). */
static void
fill(unsigned char *p, uint64_t seq, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seq * 131 + (seq >> 7) + i * 7 + 1);
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (*s * 0x2545f4914f6cdd1dULL);
}

static struct ring *
ring_new(size_t size)
{
	void	*mem;

	mem = aligned_alloc(RING_ALIGN, ring_memsize(size));
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(ring_init(mem, ring_memsize(size)), 0);
	ck_assert_ptr_eq(ring_attach(mem, ring_memsize(size)), mem);
	ck_assert_uint_eq(ring_size(mem), size);
	return (mem);
}

/* Put (seq, len), gathered from up to three pieces cut at random. */
static int
put_seq(struct ring *r, uint64_t seq, size_t len, uint64_t *s)
{
	unsigned char	 buf[8192];
	struct iovec	 iov[3];
	size_t		 a, b;

	HOT_LE(len, sizeof(buf));
	fill(buf, seq, len);
	a = len ? rnd(s) % (len + 1) : 0;
	b = a + (len - a ? rnd(s) % (len - a + 1) : 0);
	iov[0].iov_base = buf;
	iov[0].iov_len = a;
	iov[1].iov_base = buf + a;
	iov[1].iov_len = b - a;
	iov[2].iov_base = buf + b;
	iov[2].iov_len = len - b;
	return (ring_put(r, iov, 3));
}

static int
spill_seq(struct ring *r, struct ring_spill *sp, uint64_t seq, size_t len)
{
	unsigned char	 buf[8192];
	struct iovec	 iov;

	HOT_LE(len, sizeof(buf));
	fill(buf, seq, len);
	iov.iov_base = buf;
	iov.iov_len = len;
	return (ring_put_or_spill(r, sp, &iov, 1));
}

/* The record must be (seq, len), contiguous inside the data area. */
static void
check_rec(const struct ring *r, const void *p, size_t len, uint64_t seq,
    size_t want)
{
	unsigned char	 buf[8192];
	uintptr_t	 base = (uintptr_t)r->data;

	if (p == NULL)
		ck_assert_ptr_nonnull(p);
	HOT_EQ(len, want);
	HOT_EQ((uintptr_t)p % 8, 0);
	HOT_LE(base + RING_RECHDR, (uintptr_t)p);
	HOT_LE((uintptr_t)p + len, base + ring_size(r));
	fill(buf, seq, len);
	HOT_EQ(memcmp(p, buf, len), 0);
}

/* A reference FIFO of (seq, len). */
struct model {
	uint64_t	 seq[65536];
	size_t		 len[65536];
	size_t		 first, n;
};

static void
model_push(struct model *m, uint64_t seq, size_t len)
{
	size_t	 i;

	HOT_LE(m->n + 1, 65536);
	i = (m->first + m->n++) % 65536;
	m->seq[i] = seq;
	m->len[i] = len;
}

/* Peek, check against the model's oldest record, pop. */
static void
model_pop(struct model *m, struct ring *r)
{
	const void	*p;
	size_t		 len;

	p = ring_peek(r, &len);
	if (m->n == 0) {
		ck_assert_ptr_null(p);
		return;
	}
	check_rec(r, p, len, m->seq[m->first], m->len[m->first]);
	HOT_EQ((uintptr_t)ring_peek(r, &len), (uintptr_t)p);	/* again */
	ring_pop(r);
	m->first = (m->first + 1) % 65536;
	m->n--;
}

START_TEST(test_ring_init_bad)
{
	unsigned char	*mem;
	struct ring	*r;

	mem = aligned_alloc(RING_ALIGN, ring_memsize(8192) + RING_ALIGN);
	ck_assert_ptr_nonnull(mem);
	errno = 0;
	ck_assert_int_eq(ring_init(mem + 8, ring_memsize(4096)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ring_init(mem, ring_memsize(RING_MINSIZE) - 1), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* The data area is the largest power of two that fits. */
	ck_assert_int_eq(ring_init(mem, ring_memsize(8192) - 1), 0);
	r = ring_attach(mem, ring_memsize(8192) - 1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(ring_size(r), 4096);
	ck_assert_uint_eq(ring_max_record(r), 1024);
	ck_assert_uint_eq(ring_used(r), 0);

	/* Too small a mapping for the ring, or not a ring at all. */
	ck_assert_ptr_null(ring_attach(mem, ring_memsize(2048)));
	ck_assert_int_eq(errno, EINVAL);
	memset(mem, 0xa5, 64);
	ck_assert_ptr_null(ring_attach(mem, ring_memsize(8192)));
	free(mem);
}
END_TEST

/* Random sizes, random put/pop interleaving, against the model. */
START_TEST(test_ring_put_random_order)
{
	struct model	*m;
	struct ring	*r;
	struct ring_stats st;
	uint64_t	 s = 0x1234567, seq = 0, bytes = 0, pops = 0;
	size_t		 len, max;
	int		 i, full = 0;

	m = calloc(1, sizeof(*m));
	r = ring_new(8192);
	max = ring_max_record(r);
	for (i = 0; i < 300000; i++) {
		if (rnd(&s) % 100 < 55) {
			len = rnd(&s) % 2 ? rnd(&s) % 64 : rnd(&s) % (max + 1);
			if (put_seq(r, seq, len, &s) == -1) {
				ck_assert_int_eq(errno, ENOSPC);
				/* An empty ring takes any legal record. */
				ck_assert_uint_gt(m->n, 0);
				full++;
				continue;
			}
			model_push(m, seq++, len);
			bytes += len;
		} else {
			pops += m->n > 0;
			model_pop(m, r);
		}
	}
	while (m->n > 0) {
		pops++;
		model_pop(m, r);
	}
	model_pop(m, r);
	ck_assert_uint_gt(full, 0);
	ring_stats(r, &st);
	ck_assert_uint_eq(st.puts, seq);
	ck_assert_uint_eq(st.put_bytes, bytes);
	ck_assert_uint_eq(st.drains, pops);
	ck_assert_uint_eq(st.drained_bytes, bytes);
	ck_assert_uint_eq(st.used, 0);
	free(m);
	free(r);
}
END_TEST

/*
 * For every 8-byte start offset of a 4 KB ring, records of 1..1000 bytes
 * in a pattern that wraps the ring several times, with one or two in
 * flight; then a largest record at that offset into the empty ring.
 */
START_TEST(test_ring_put_wrap_every_offset)
{
	struct model	*m;
	struct ring	*r;
	uint64_t	 s = 42, seq = 0, start;
	size_t		 off, len, k;

	m = calloc(1, sizeof(*m));
	r = ring_new(4096);
	for (off = 0; off < 4096; off += 8) {
		ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
		/* Move head and tail to off with empty records (8 bytes). */
		for (k = 0; k < off / 8; k++) {
			ck_assert_int_eq(put_seq(r, seq, 0, &s), 0);
			model_push(m, seq++, 0);
			model_pop(m, r);
		}
		ck_assert_uint_eq(ring_used(r), 0);
		start = atomic_load(&r->head);
		ck_assert_uint_eq(start, off);
		for (k = 0; atomic_load(&r->head) - start < 3 * 4096; k++) {
			len = 1 + (off * 7 + k * 389) % 1000;
			if (put_seq(r, seq, len, &s) == -1) {
				ck_assert_int_eq(errno, ENOSPC);
				model_pop(m, r);
				ck_assert_int_eq(put_seq(r, seq, len, &s), 0);
			}
			model_push(m, seq++, len);
			if (m->n > 1 + k % 2)
				model_pop(m, r);
		}
		while (m->n > 0)
			model_pop(m, r);
		ck_assert_ptr_null(ring_peek(r, &len));

		ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
		for (k = 0; k < off / 8; k++) {
			ck_assert_int_eq(put_seq(r, seq, 0, &s), 0);
			model_push(m, seq++, 0);
			model_pop(m, r);
		}
		len = ring_max_record(r);
		ck_assert_int_eq(put_seq(r, seq, len, &s), 0);
		model_push(m, seq++, len);
		model_pop(m, r);
	}
	free(m);
	free(r);
}
END_TEST

START_TEST(test_ring_put_full)
{
	struct model	*m;
	struct ring	*r;
	uint64_t	 s = 7, seq = 0;
	int		 n;

	m = calloc(1, sizeof(*m));
	r = ring_new(4096);

	/* 56-byte records take 8 + 56 = 64 bytes: 4096 / 64 fit. */
	for (n = 0; put_seq(r, seq, 56, &s) == 0; n++)
		model_push(m, seq++, 56);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(n, 4096 / 64);
	ck_assert_uint_eq(ring_used(r), 4096);
	model_pop(m, r);
	ck_assert_int_eq(put_seq(r, seq, 56, &s), 0);
	model_push(m, seq++, 56);
	ck_assert_int_eq(put_seq(r, seq, 0, &s), -1);
	ck_assert_int_eq(errno, ENOSPC);
	while (m->n > 0)
		model_pop(m, r);

	/*
	 * 1000-byte records take 1008: four fill 4032 of a fresh ring;
	 * a fifth would need the last 64 bytes skipped plus 1008 at the
	 * start, so it fits only once one record (1008 + 64 = 1072) is
	 * released, and then the ring is exactly full.
	 */
	ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
	for (n = 0; put_seq(r, seq, 1000, &s) == 0; n++)
		model_push(m, seq++, 1000);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(n, 4);
	model_pop(m, r);
	ck_assert_int_eq(put_seq(r, seq, 1000, &s), 0);
	model_push(m, seq++, 1000);
	ck_assert_uint_eq(ring_used(r), 4096);
	while (m->n > 0)
		model_pop(m, r);
	ck_assert_uint_eq(ring_used(r), 0);
	free(m);
	free(r);
}
END_TEST

START_TEST(test_ring_put_emsgsize)
{
	struct ring	*r;
	struct iovec	 iov[2];
	unsigned char	 buf[1100];
	uint64_t	 s = 9;

	r = ring_new(4096);
	ck_assert_int_eq(put_seq(r, 1, 1025, &s), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	iov[0].iov_base = buf;
	iov[0].iov_len = 1;
	iov[1].iov_base = buf;
	iov[1].iov_len = SIZE_MAX;		/* the sum overflows */
	ck_assert_int_eq(ring_put(r, iov, 2), -1);
	ck_assert_int_eq(errno, EMSGSIZE);
	ck_assert_int_eq(ring_put(r, iov, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(ring_used(r), 0);
	ck_assert_int_eq(put_seq(r, 2, 1024, &s), 0);
	ck_assert_int_eq(ring_put(r, NULL, 0), 0);	/* empty record */
	ck_assert_uint_eq(ring_used(r), 8 + 1024 + 8);
	free(r);
}
END_TEST

/* Append (seq, len) with ring_alloc(), unpublished. */
static int
alloc_seq(struct ring *r, uint64_t seq, size_t len)
{
	unsigned char	*p;

	if ((p = ring_alloc(r, len)) == NULL)
		return (-1);
	HOT_EQ((uintptr_t)p % 8, 0);
	fill(p, seq, len);
	return (0);
}

/*
 * Records from ring_alloc() stay invisible until ring_publish(), then
 * appear all at once and in order, wrapping the ring at random offsets
 * in random batches; an unpublished batch holds its room; a ring_put()
 * publishes what was appended before it.
 */
START_TEST(test_ring_alloc_publish)
{
	struct model	*m;
	struct ring	*r;
	struct ring_stats st;
	struct ring_waiter w;
	uint64_t	 s = 0xabcdef, seq = 0, bytes = 0, unpub, k;
	size_t		 len, max, used;
	int		 round, full = 0;

	m = calloc(1, sizeof(*m));
	r = ring_new(4096);
	ring_waiter_init(&w);
	max = ring_max_record(r);
	for (round = 0; round < 20000; round++) {
		used = ring_used(r);
		for (unpub = 0, k = rnd(&s) % 8; k > 0; k--) {
			len = rnd(&s) % 4 ? rnd(&s) % 80 : rnd(&s) % (max + 1);
			if (alloc_seq(r, seq, len) == -1) {
				ck_assert_int_eq(errno, ENOSPC);
				full++;
				break;
			}
			model_push(m, seq++, len);
			bytes += len;
			unpub++;
		}
		/* Nothing new is visible yet. */
		HOT_EQ(ring_used(r), used);
		if (used == 0 && unpub > 0) {
			HOT_EQ(ring_consumer_sleep(&w, &r, 1), 1);
			ring_consumer_awake(&w);
		}
		if (rnd(&s) % 3 == 0) {
			/* A put publishes the batch before it. */
			len = rnd(&s) % 40;
			if (put_seq(r, seq, len, &s) == 0) {
				model_push(m, seq++, len);
				bytes += len;
			}
		}
		ring_publish(r);
		/* Pop some: the consumer sees the batch in order. */
		for (k = rnd(&s) % 10; k > 0; k--)
			model_pop(m, r);
	}
	while (m->n > 0)
		model_pop(m, r);
	ck_assert_ptr_null(ring_peek(r, &len));
	ck_assert_int_gt(full, 0);
	ring_stats(r, &st);
	ck_assert_uint_eq(st.puts, seq);
	ck_assert_uint_eq(st.put_bytes, bytes);
	ck_assert_uint_eq(st.drained_bytes, bytes);

	/* Unpublished records hold room: a full ring refuses more. */
	ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
	for (k = 0; alloc_seq(r, seq, 56) == 0; k++)
		model_push(m, seq++, 56);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_uint_eq(k, 4096 / 64);
	ck_assert_uint_eq(ring_used(r), 0);
	ck_assert_ptr_null(ring_peek(r, &len));
	ring_publish(r);
	ck_assert_uint_eq(ring_used(r), 4096);
	while (m->n > 0)
		model_pop(m, r);

	/* Too long for any ring. */
	ck_assert_ptr_null(ring_alloc(r, max + 1));
	ck_assert_int_eq(errno, EMSGSIZE);
	free(m);
	free(r);
}
END_TEST

/*
 * A producer that restarts forgets what its previous incarnation
 * appended and never published; what it had published stays.
 */
START_TEST(test_ring_producer_init)
{
	struct model	*m;
	struct ring	*r;
	uint64_t	 seq = 0, s = 5;
	size_t		 len;

	m = calloc(1, sizeof(*m));
	r = ring_new(4096);
	ck_assert_int_eq(alloc_seq(r, seq, 30), 0);
	model_push(m, seq++, 30);
	ring_publish(r);
	ck_assert_int_eq(alloc_seq(r, 999, 30), 0);	/* never published */
	ck_assert_int_eq(alloc_seq(r, 998, 500), 0);
	ring_producer_init(r);
	ck_assert_int_eq(put_seq(r, seq, 40, &s), 0);
	model_push(m, seq++, 40);
	ck_assert_uint_eq(ring_used(r), 8 + 32 + 8 + 40);
	model_pop(m, r);
	model_pop(m, r);
	ck_assert_ptr_null(ring_peek(r, &len));
	free(m);
	free(r);
}
END_TEST

/*
 * A producer reserves a record for a batch with ring_alloc(), fills part
 * of it and ring_trim()s it to that before publishing: the consumer sees
 * the record at its trimmed length, and the room given back is used by
 * the next records. Trimming a published record, or to more than was
 * reserved, is refused.
 */
START_TEST(test_ring_trim)
{
	struct model	*m;
	struct ring	*r;
	struct ring_stats st;
	unsigned char	*p;
	uint64_t	 s = 0x5eed, seq = 0, bytes = 0, k;
	size_t		 len, keep, max;
	int		 round, full = 0;

	m = calloc(1, sizeof(*m));
	r = ring_new(4096);
	max = ring_max_record(r);
	for (round = 0; round < 30000; round++) {
		for (k = rnd(&s) % 4; k > 0; k--) {
			len = rnd(&s) % 2 ? max : rnd(&s) % (max + 1);
			keep = rnd(&s) % 3 ? rnd(&s) % 100 % (len + 1) : len;
			/* Reserve len, fill keep, trim to keep. */
			if ((p = ring_alloc(r, len)) == NULL) {
				ck_assert_int_eq(errno, ENOSPC);
				full++;
				break;
			}
			fill(p, seq, keep);
			if (ring_trim(r, len + 1) != -1 || errno != EINVAL)
				ck_abort_msg("trimmed to more than reserved");
			HOT_EQ(ring_trim(r, keep), 0);
			model_push(m, seq++, keep);
			bytes += keep;
			if (rnd(&s) % 4 == 0) {
				ring_publish(r);
				HOT_EQ(ring_trim(r, 0), -1);
			}
		}
		ring_publish(r);
		for (k = rnd(&s) % 5; k > 0; k--)
			model_pop(m, r);
	}
	while (m->n > 0)
		model_pop(m, r);
	ck_assert_int_gt(full, 100);
	ring_stats(r, &st);
	ck_assert_uint_eq(st.puts, seq);
	ck_assert_uint_eq(st.put_bytes, bytes);
	ck_assert_uint_eq(st.drained_bytes, bytes);

	/*
	 * Reserve the largest record three times over a full ring's worth,
	 * keeping 8 bytes of each: the room given back lets them all in.
	 */
	ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
	for (k = 0; k < 12; k++) {
		ck_assert_ptr_nonnull(ring_alloc(r, max));
		ck_assert_int_eq(ring_trim(r, 8), 0);
	}
	ck_assert_uint_eq(ring_used(r), 0);
	ring_publish(r);
	ck_assert_uint_eq(ring_used(r), 12 * 16);
	/* Nothing to trim once published, or after a restart. */
	ck_assert_int_eq(ring_trim(r, 0), -1);
	ck_assert_ptr_nonnull(ring_alloc(r, 64));
	ring_producer_init(r);
	ck_assert_int_eq(ring_trim(r, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	free(m);
	free(r);
}
END_TEST

static int
drain_cb(const void *p, size_t len, void *arg)
{
	uint64_t	*seen = arg;
	unsigned char	 buf[64];

	fill(buf, seen[0], 10);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(memcmp(p, buf, len), 0);
	seen[0]++;
	return (seen[0] == seen[1]);
}

START_TEST(test_ring_drain_batch)
{
	struct ring	*r;
	struct ring_stats st;
	uint64_t	 s = 3, seen[2] = { 0, UINT64_MAX };
	uint64_t	 i;
	const void	*p;
	size_t		 len;

	r = ring_new(4096);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(put_seq(r, i, 10, &s), 0);
	ck_assert_int_eq(ring_drain(r, drain_cb, seen, 3), 3);
	seen[1] = 5;				/* stop after the fifth */
	ck_assert_int_eq(ring_drain(r, drain_cb, seen, 50), 2);
	p = ring_peek(r, &len);
	check_rec(r, p, len, 5, 10);
	seen[1] = UINT64_MAX;
	ck_assert_int_eq(ring_drain(r, drain_cb, seen, 1000), 95);
	ck_assert_uint_eq(seen[0], 100);
	ck_assert_int_eq(ring_drain(r, drain_cb, seen, 1000), 0);
	ring_pop(r);				/* nothing peeked: no-op */
	ring_stats(r, &st);
	ck_assert_uint_eq(st.drains, 100);
	ck_assert_uint_eq(st.drained_bytes, 1000);
	ck_assert_uint_eq(st.used, 0);
	free(r);
}
END_TEST

/* A scribbled header is a natsd bug: fatalx, exit 1. */
START_TEST(test_ring_peek_corrupt)
{
	struct ring	*r;
	uint64_t	 s = 5;
	size_t		 len;

	r = ring_new(4096);
	ck_assert_int_eq(put_seq(r, 1, 10, &s), 0);
	r->data[0] = 0xff;			/* length 255 > what is there */
	ring_peek(r, &len);
}
END_TEST

/* Order survives ring-full periods; nothing dropped under the bound. */
START_TEST(test_ring_spill_order)
{
	struct ring	*r;
	struct ring_spill sp;
	const void	*p;
	uint64_t	 s = 11, seq = 0, next = 0;
	size_t		 len, max = 0;
	int		 turn, k, n, ret, spilled = 0;

	r = ring_new(4096);
	ring_spill_init(&sp, 4 << 20);
	for (turn = 0; turn < 20000 || sp.count > 0 ||
	    ring_used(r) > 0; turn++) {
		n = turn < 20000 ? rnd(&s) % 20 : 0;
		for (k = 0; k < n; k++) {
			ret = spill_seq(r, &sp, seq, seq % 300);
			if (ret == -1)
				ck_assert_int_ge(ret, 0);
			spilled += ret;
			seq++;
		}
		if (sp.count > max)
			max = sp.count;
		ring_spill_flush(r, &sp);
		/* Congested and relieved by turns of 500. */
		n = rnd(&s) % (turn / 500 % 2 ? 6 : 60);
		for (k = 0; k < n; k++) {
			if ((p = ring_peek(r, &len)) == NULL)
				break;
			check_rec(r, p, len, next, next % 300);
			ring_pop(r);
			next++;
		}
	}
	ck_assert_uint_eq(next, seq);
	ck_assert_int_gt(spilled, 0);
	ck_assert_uint_gt(max, 10);
	ck_assert_uint_eq(sp.drops, 0);
	ck_assert_uint_eq(sp.bytes, 0);
	free(r);
}
END_TEST

/* With the spill non-empty, a record that would fit goes behind it. */
START_TEST(test_ring_spill_keeps_order)
{
	struct ring	*r;
	struct ring_spill sp;
	const void	*p;
	uint64_t	 seq;
	size_t		 len;

	r = ring_new(4096);
	ring_spill_init(&sp, 0);
	ck_assert_uint_eq(sp.limit, RING_SPILL_DEFAULT);
	for (seq = 0; seq < 64; seq++)			/* 64 x 64 bytes */
		ck_assert_int_eq(spill_seq(r, &sp, seq, 56), 0);
	ck_assert_int_eq(spill_seq(r, &sp, 64, 1000), 1);
	p = ring_peek(r, &len);
	check_rec(r, p, len, 0, 56);
	ring_pop(r);				/* room for 56, not 1000 */
	ck_assert_int_eq(spill_seq(r, &sp, 65, 56), 1);
	ck_assert_uint_eq(sp.count, 2);
	ck_assert_int_eq(ring_spill_flush(r, &sp), 0);
	for (seq = 1; seq < 20; seq++) {
		p = ring_peek(r, &len);
		check_rec(r, p, len, seq, 56);
		ring_pop(r);
	}
	ck_assert_int_eq(ring_spill_flush(r, &sp), 2);
	ck_assert_uint_eq(sp.count, 0);
	for (seq = 20; seq < 64; seq++) {
		p = ring_peek(r, &len);
		check_rec(r, p, len, seq, 56);
		ring_pop(r);
	}
	p = ring_peek(r, &len);
	check_rec(r, p, len, 64, 1000);
	ring_pop(r);
	p = ring_peek(r, &len);
	check_rec(r, p, len, 65, 56);
	ring_pop(r);
	ck_assert_ptr_null(ring_peek(r, &len));
	ck_assert_int_eq(spill_seq(r, &sp, 66, 56), 0);	/* straight in */
	free(r);
}
END_TEST

START_TEST(test_ring_spill_drops)
{
	struct ring	*r;
	struct ring_spill sp;
	struct ring_stats st;
	const void	*p;
	uint64_t	 seq;
	size_t		 len;

	r = ring_new(4096);
	ring_spill_init(&sp, 1000);
	for (seq = 0; seq < 64; seq++)
		ck_assert_int_eq(spill_seq(r, &sp, seq, 56), 0);
	/* 1000 / 100: ten spill, the other ten are dropped. */
	for (seq = 64; seq < 84; seq++) {
		if (seq < 74)
			ck_assert_int_eq(spill_seq(r, &sp, seq, 100), 1);
		else {
			ck_assert_int_eq(spill_seq(r, &sp, seq, 100), -1);
			ck_assert_int_eq(errno, ENOBUFS);
		}
	}
	ck_assert_int_eq(spill_seq(r, &sp, 84, 1025), -1);
	ck_assert_int_eq(errno, EMSGSIZE);		/* never spilled */
	ck_assert_uint_eq(sp.drops, 10);
	ck_assert_uint_eq(sp.dropped_bytes, 1000);
	ck_assert_uint_eq(sp.count, 10);
	ck_assert_uint_eq(sp.bytes, 1000);
	ring_stats(r, &st);
	ck_assert_uint_eq(st.drops, 10);
	ck_assert_uint_eq(st.dropped_bytes, 1000);

	for (seq = 0; seq < 74; seq++) {
		if ((p = ring_peek(r, &len)) == NULL) {
			ck_assert_int_gt(ring_spill_flush(r, &sp), 0);
			p = ring_peek(r, &len);
		}
		check_rec(r, p, len, seq, seq < 64 ? 56 : 100);
		ring_pop(r);
	}
	ck_assert_ptr_null(ring_peek(r, &len));
	ck_assert_uint_eq(sp.count, 0);

	/* Purge frees without counting. */
	ck_assert_int_eq(ring_init(r, ring_memsize(4096)), 0);
	for (seq = 0; seq < 64; seq++)
		ck_assert_int_eq(spill_seq(r, &sp, seq, 56), 0);
	ck_assert_int_eq(spill_seq(r, &sp, 64, 56), 1);
	ck_assert_int_eq(spill_seq(r, &sp, 65, 56), 1);
	ck_assert_uint_eq(ring_spill_purge(&sp), 2);
	ck_assert_uint_eq(sp.count, 0);
	ck_assert_uint_eq(sp.bytes, 0);
	ck_assert_uint_eq(sp.drops, 10);
	free(r);
}
END_TEST

START_TEST(test_ring_consumer_sleep_flags)
{
	struct ring_waiter	 w;
	struct ring		*r[3];
	uint64_t		 s = 1;
	size_t			 len;

	ring_waiter_init(&w);
	r[0] = ring_new(4096);
	r[1] = NULL;
	r[2] = ring_new(4096);
	ck_assert_int_eq(ring_producer_should_wake(&w), 0);	/* awake */
	ck_assert_int_eq(ring_consumer_sleep(&w, r, 3), 1);
	ck_assert_int_eq(ring_producer_should_wake(&w), 1);
	ck_assert_int_eq(ring_producer_should_wake(&w), 0);	/* once */

	ck_assert_int_eq(ring_consumer_sleep(&w, r, 3), 1);
	ring_consumer_awake(&w);
	ck_assert_int_eq(ring_producer_should_wake(&w), 0);

	ck_assert_int_eq(put_seq(r[2], 0, 5, &s), 0);
	ck_assert_int_eq(ring_consumer_sleep(&w, r, 3), 0);	/* data */
	ck_assert_int_eq(ring_producer_should_wake(&w), 0);
	ck_assert_ptr_nonnull(ring_peek(r[2], &len));
	ck_assert_int_eq(ring_consumer_sleep(&w, r, 3), 0);	/* peeked */
	ring_pop(r[2]);
	ck_assert_int_eq(ring_consumer_sleep(&w, r, 3), 1);
	ck_assert_uint_eq(atomic_load(&w.sleeps), 3);
	ck_assert_uint_eq(atomic_load(&w.wakeups), 1);
	free(r[0]);
	free(r[2]);
}
END_TEST

START_TEST(test_ring_producer_sleep_flags)
{
	struct ring	*r;
	struct ring_spill sp;
	uint64_t	 seq;
	size_t		 len;

	r = ring_new(4096);
	ring_spill_init(&sp, 0);
	ck_assert_int_eq(ring_producer_sleep(r, &sp), 1);	/* no spill */
	ck_assert_int_eq(ring_consumer_should_wake(r), 0);
	for (seq = 0; seq < 65; seq++)
		ck_assert_int_ge(spill_seq(r, &sp, seq, 56), 0);
	ck_assert_uint_eq(sp.count, 1);
	ck_assert_int_eq(ring_producer_sleep(r, &sp), 1);	/* still full */
	ck_assert_ptr_nonnull(ring_peek(r, &len));
	ring_pop(r);
	ck_assert_int_eq(ring_consumer_should_wake(r), 1);
	ck_assert_int_eq(ring_consumer_should_wake(r), 0);	/* once */
	ck_assert_int_eq(ring_producer_sleep(r, &sp), 0);	/* moved */
	ck_assert_uint_eq(sp.count, 0);
	ck_assert_int_eq(ring_consumer_should_wake(r), 0);
	free(r);
}
END_TEST

/*
 * Two processes. The shared mapping holds the consumer's waiter, the
 * counters the child reports, then the ring.
 */
struct xproc {
	struct ring_waiter	 w;		/* consumer's */
	_Alignas(RING_ALIGN)
	_Atomic uint64_t	 signals;	/* child wrote the eventfd */
	_Atomic uint64_t	 psleeps;	/* child slept on a spill */
	_Atomic uint64_t	 ptimeouts;	/* child's poll timed out */
	_Atomic uint64_t	 pdone;		/* child put its last record */
	_Alignas(RING_ALIGN)
	unsigned char		 ring[];
};

/* Record: {seq, len, checksum} then len bytes; len a function of seq. */
struct xrec {
	uint64_t	 seq;
	uint32_t	 len;
	uint32_t	 sum;
};

static size_t
xlen(uint64_t seq)
{
	return ((seq * 2654435761U >> 7) % 121);
}

static uint32_t
xsum(uint64_t seq, const unsigned char *p, size_t len)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < 8; i++)
		h = (h ^ (unsigned char)(seq >> (i * 8))) * 16777619U;
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619U;
	return (h);
}

static void
xrec_make(uint64_t seq, struct xrec *h, unsigned char *buf,
    struct iovec *iov)
{
	h->seq = seq;
	h->len = xlen(seq);
	fill(buf, seq, h->len);
	h->sum = xsum(seq, buf, h->len);
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof(*h);
	iov[1].iov_base = buf;
	iov[1].iov_len = h->len;
}

/* Check the record is the one after *next; count it. */
static int
xrec_check_cb(const void *p, size_t len, void *arg)
{
	uint64_t	*next = arg;
	struct xrec	 h;
	unsigned char	 buf[256];

	HOT_LE(sizeof(h), len);
	memcpy(&h, p, sizeof(h));
	HOT_EQ(h.seq, *next);
	HOT_EQ(h.len, xlen(h.seq));
	HOT_EQ(len, sizeof(h) + h.len);
	fill(buf, h.seq, h.len);
	HOT_EQ(memcmp((const unsigned char *)p + sizeof(h), buf, h.len), 0);
	HOT_EQ(h.sum, xsum(h.seq, buf, h.len));
	(*next)++;
	return (0);
}

static struct xproc *
xproc_map(size_t ringsize, size_t *maplen)
{
	struct xproc	*x;

	*maplen = sizeof(*x) + ring_memsize(ringsize);
	x = mmap(NULL, *maplen, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(x, MAP_FAILED);
	ring_waiter_init(&x->w);
	ck_assert_int_eq(ring_init(x->ring, ring_memsize(ringsize)), 0);
	return (x);
}

/* Fork a child that dies with us; run fn in it. */
static pid_t
xproc_fork(void (*fn)(struct xproc *, void *), struct xproc *x, void *arg)
{
	pid_t	 parent = getpid(), pid;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(2);
		fn(x, arg);
		_exit(0);
	}
	return (pid);
}

/* Did the child exit 0? Fails the test if it died otherwise. */
static int
xproc_exited(pid_t pid, int hang)
{
	int	 st;
	pid_t	 r;

	r = waitpid(pid, &st, hang ? 0 : WNOHANG);
	if (r == 0)
		return (0);
	ck_assert_int_eq(r, pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "child status %#x (exit 2: setup, 3-5: put or signal failed, "
	    "6: its poll timed out, a lost wake-up; 7: spill dropped)", st);
	return (1);
}

#define XSPIN_RECORDS	2000000

static void
xspin_producer(struct xproc *x, void *arg)
{
	struct ring	*r = (struct ring *)x->ring;
	struct xrec	 h;
	unsigned char	 buf[256];
	struct iovec	 iov[2];
	uint64_t	 seq;

	for (seq = 0; seq < XSPIN_RECORDS; seq++) {
		xrec_make(seq, &h, buf, iov);
		while (ring_put(r, iov, 2) == -1) {
			if (errno != ENOSPC)
				_exit(3);
			sched_yield();
		}
	}
}

/* 2,000,000 records through a 64 KB ring, both sides spinning. */
START_TEST(test_ring_xproc_spin)
{
	struct xproc	*x;
	struct ring	*r;
	struct ring_stats st;
	uint64_t	 next = 0, idle = 0;
	size_t		 maplen;
	pid_t		 pid;
	int		 done = 0;

	x = xproc_map(65536, &maplen);
	r = ring_attach(x->ring, ring_memsize(65536));
	pid = xproc_fork(xspin_producer, x, NULL);
	while (next < XSPIN_RECORDS) {
		if (ring_drain(r, xrec_check_cb, &next, 256) > 0)
			continue;
		if (++idle % 1024 == 0 && !done) {
			/* An exited child with an empty ring is a failure. */
			done = xproc_exited(pid, 0);
			if (done)
				ck_assert_uint_gt(ring_used(r), 0);
		}
		sched_yield();
	}
	if (!done)
		xproc_exited(pid, 1);
	ck_assert_ptr_null(ring_peek(r, &maplen));
	ring_stats(r, &st);
	ck_assert_uint_eq(st.puts, XSPIN_RECORDS);
	ck_assert_uint_eq(st.drains, XSPIN_RECORDS);
	ck_assert_uint_eq(st.put_bytes, st.drained_bytes);
	munmap(x, sizeof(*x) + ring_memsize(65536));
}
END_TEST

#define XWAKE_RECORDS	60000

struct xwake {
	int		 efd;		/* consumer's eventfd */
	int		 pefd;		/* producer's eventfd (spill test) */
	int		 batch;		/* ring_alloc, one publish a burst */
};

/* Append one record unpublished; publish and retry while full. */
static void
xrec_alloc(struct ring *r, uint64_t seq)
{
	struct xrec	 h;
	unsigned char	 buf[256], *p;
	struct iovec	 iov[2];

	xrec_make(seq, &h, buf, iov);
	while ((p = ring_alloc(r, sizeof(h) + h.len)) == NULL) {
		if (errno != ENOSPC)
			_exit(3);
		ring_publish(r);
		sched_yield();
	}
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), buf, h.len);
}

static void
xwake_signal(struct xproc *x, int efd)
{
	uint64_t	 one = 1;

	if (write(efd, &one, sizeof(one)) != sizeof(one))
		_exit(4);
	atomic_fetch_add(&x->signals, 1);
}

/*
 * Bursts of 1-8 records. After three bursts in four the producer waits
 * (spinning, not sleeping) until the consumer has emptied the ring: if
 * a wake-up were lost there, nobody would write the eventfd again and
 * the consumer's poll() would time out.
 */
static void
xwake_producer(struct xproc *x, void *arg)
{
	struct xwake	*xw = arg;
	struct ring	*r = (struct ring *)x->ring;
	struct xrec	 h;
	unsigned char	 buf[256];
	struct iovec	 iov[2];
	uint64_t	 seq = 0, s = 77;
	int		 n;

	while (seq < XWAKE_RECORDS) {
		for (n = 1 + rnd(&s) % 8; n > 0 && seq < XWAKE_RECORDS; n--) {
			if (xw->batch) {
				xrec_alloc(r, seq++);
				continue;
			}
			xrec_make(seq, &h, buf, iov);
			while (ring_put(r, iov, 2) == -1)
				sched_yield();
			seq++;
		}
		if (xw->batch)
			ring_publish(r);
		if (ring_producer_should_wake(&x->w))
			xwake_signal(x, xw->efd);
		if (rnd(&s) % 4 != 0)
			while (ring_used(r) != 0)
				sched_yield();
	}
}

/*
 * Busy for a while, as a worker is between its drain and its sleep
 * (flushing clients): widens the window in which a record arrives that
 * only the re-check in ring_consumer_sleep() can see.
 */
static void
busy(uint64_t n)
{
	volatile uint64_t	 i;

	for (i = 0; i < n; i++)
		continue;
}

/* Block on efd; count a timeout; read the eventfd's count. */
static uint64_t
xwake_poll(int efd, uint64_t *timeouts)
{
	struct pollfd	 pfd;
	uint64_t	 v;
	int		 n;

	pfd.fd = efd;
	pfd.events = POLLIN;
	n = poll(&pfd, 1, XPROC_POLL_MS);
	ck_assert_int_ge(n, 0);
	if (n == 0)
		(*timeouts)++;
	if (read(efd, &v, sizeof(v)) != sizeof(v)) {
		ck_assert_int_eq(errno, EAGAIN);
		v = 0;
	}
	return (v);
}

/*
 * The consumer side: drain, linger, announce sleep, block. With batch,
 * the producer appends each burst unpublished and publishes it once
 * before its wake check.
 */
static void
xwake_run(int batch)
{
	struct xproc	*x;
	struct ring	*r;
	struct xwake	 xw;
	const void	*p;
	size_t		 len, maplen;
	uint64_t	 next = 0, timeouts = 0, attempts = 0, seen = 0, v;
	uint64_t	 s = 3;
	pid_t		 pid;

	x = xproc_map(16384, &maplen);
	r = ring_attach(x->ring, ring_memsize(16384));
	xw.batch = batch;
	xw.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ck_assert_int_ge(xw.efd, 0);
	pid = xproc_fork(xwake_producer, x, &xw);
	while (next < XWAKE_RECORDS) {
		while ((p = ring_peek(r, &len)) != NULL) {
			xrec_check_cb(p, len, &next);
			ring_pop(r);
		}
		if (next == XWAKE_RECORDS)
			break;
		busy(rnd(&s) % 4096);
		attempts++;
		if (ring_consumer_sleep(&x->w, &r, 1) == 0)
			continue;
		seen += xwake_poll(xw.efd, &timeouts);
		ring_consumer_awake(&x->w);
		if (timeouts > 0)
			break;
	}
	ck_assert_uint_eq(timeouts, 0);
	xproc_exited(pid, 1);
	if (read(xw.efd, &v, sizeof(v)) == sizeof(v))
		seen += v;
	/* Every signal arrived; at most one per announced sleep. */
	ck_assert_uint_eq(seen, atomic_load(&x->signals));
	ck_assert_uint_le(atomic_load(&x->signals), attempts);
	ck_assert_uint_gt(atomic_load(&x->w.sleeps), 0);
	ck_assert_uint_eq(atomic_load(&x->w.wakeups),
	    atomic_load(&x->signals));
	close(xw.efd);
	munmap(x, maplen);
}

START_TEST(test_ring_xproc_wakeup)
{
	xwake_run(0);
}
END_TEST

START_TEST(test_ring_xproc_wakeup_batch)
{
	xwake_run(1);
}
END_TEST

#define XSPILL_RECORDS	100000

/*
 * A producer faster than its consumer, through a 4 KB ring and a spill.
 * When the spill is not empty and it has put its burst, the producer
 * sleeps until the consumer frees space and wakes it; the consumer
 * sleeps until the producer puts. Either losing a wake-up stalls both.
 */
static void
xspill_producer(struct xproc *x, void *arg)
{
	struct xwake	*xw = arg;
	struct ring	*r = (struct ring *)x->ring;
	struct ring_spill sp;
	struct xrec	 h;
	unsigned char	 buf[256];
	struct iovec	 iov[2];
	uint64_t	 seq = 0, s = 99, timeouts = 0;
	int		 n;

	ring_spill_init(&sp, 64 << 20);
	for (;;) {
		ring_spill_flush(r, &sp);
		for (n = rnd(&s) % 64; n > 0 && seq < XSPILL_RECORDS; n--) {
			xrec_make(seq++, &h, buf, iov);
			if (ring_put_or_spill(r, &sp, iov, 2) == -1)
				_exit(5);
		}
		if (ring_producer_should_wake(&x->w))
			xwake_signal(x, xw->efd);
		if (seq == XSPILL_RECORDS && sp.count == 0)
			break;
		busy(rnd(&s) % 4096);
		if (ring_producer_sleep(r, &sp) == 0 || sp.count == 0)
			continue;
		atomic_fetch_add(&x->psleeps, 1);
		xwake_poll(xw->pefd, &timeouts);
		if (timeouts > 0) {
			atomic_store(&x->ptimeouts, timeouts);
			_exit(6);
		}
	}
	if (sp.drops != 0)
		_exit(7);
}

START_TEST(test_ring_xproc_spill_wakeup)
{
	struct xproc	*x;
	struct ring	*r;
	struct xwake	 xw;
	size_t		 maplen;
	uint64_t	 next = 0, timeouts = 0, s = 5, one = 1;
	pid_t		 pid;
	int		 n;

	x = xproc_map(4096, &maplen);
	r = ring_attach(x->ring, ring_memsize(4096));
	xw.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	xw.pefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ck_assert_int_ge(xw.efd, 0);
	ck_assert_int_ge(xw.pefd, 0);
	pid = xproc_fork(xspill_producer, x, &xw);
	while (next < XSPILL_RECORDS) {
		/* Small batches mostly; now and then all of it. */
		n = rnd(&s) % 4 ? 1 + rnd(&s) % 16 : INT_MAX;
		if (ring_drain(r, xrec_check_cb, &next, n) > 0) {
			if (ring_consumer_should_wake(r))
				ck_assert_int_eq(write(xw.pefd, &one,
				    sizeof(one)), sizeof(one));
			continue;
		}
		busy(rnd(&s) % 4096);
		if (ring_consumer_sleep(&x->w, &r, 1) == 0)
			continue;
		xwake_poll(xw.efd, &timeouts);
		ring_consumer_awake(&x->w);
		if (timeouts > 0)
			break;
	}
	ck_assert_uint_eq(timeouts, 0);
	xproc_exited(pid, 1);
	ck_assert_uint_eq(atomic_load(&x->ptimeouts), 0);
	ck_assert_uint_gt(atomic_load(&x->psleeps), 0);
	ck_assert_uint_gt(atomic_load(&x->w.sleeps), 0);
	ck_assert_ptr_null(ring_peek(r, &maplen));
	close(xw.efd);
	close(xw.pefd);
	munmap(x, sizeof(*x) + ring_memsize(4096));
}
END_TEST

#define XSPACE_ROUNDS	20000

/*
 * Each round the producer fills the ring, spills a record or two, waits
 * a random while and sleeps on its eventfd until the spill is gone;
 * the consumer, spinning, drains the whole ring as soon as it is full
 * and then asks ring_consumer_should_wake(). The consumer's last
 * release of tail and the producer's announcement land close together,
 * where a producer that did not re-check after announcing would sleep
 * for good (this test catches that every run). A missing fence needs
 * the two to meet within a store buffer's drain time, and on x86 this
 * test does not reliably catch that; test_ring_xproc_wakeup does catch
 * it on the consumer's side.
 */
static void
xspace_producer(struct xproc *x, void *arg)
{
	struct xwake	*xw = arg;
	struct ring	*r = (struct ring *)x->ring;
	struct ring_spill sp;
	struct xrec	 h;
	unsigned char	 buf[256];
	struct iovec	 iov[2];
	uint64_t	 seq = 0, s = 1234, timeouts = 0;
	int		 round, ret;

	ring_spill_init(&sp, 0);
	for (round = 0; round < XSPACE_ROUNDS; round++) {
		do {
			xrec_make(seq++, &h, buf, iov);
			if ((ret = ring_put_or_spill(r, &sp, iov, 2)) == -1)
				_exit(5);
		} while (ret == 0 || rnd(&s) % 2);
		busy(rnd(&s) % 4096);
		while (sp.count > 0) {
			if (ring_producer_sleep(r, &sp) == 0)
				continue;
			atomic_fetch_add(&x->psleeps, 1);
			xwake_poll(xw->pefd, &timeouts);
			if (timeouts > 0) {
				atomic_store(&x->ptimeouts, timeouts);
				_exit(6);
			}
		}
	}
	atomic_store(&x->pdone, seq);
}

START_TEST(test_ring_xproc_space_wakeup)
{
	struct xproc	*x;
	struct ring	*r;
	struct xwake	 xw;
	size_t		 maplen, len;
	uint64_t	 next = 0, one = 1, done;
	pid_t		 pid;

	x = xproc_map(4096, &maplen);
	r = ring_attach(x->ring, ring_memsize(4096));
	xw.efd = -1;
	xw.pefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ck_assert_int_ge(xw.pefd, 0);
	pid = xproc_fork(xspace_producer, x, &xw);
	for (;;) {
		done = atomic_load(&x->pdone);
		if (done != 0 && next == done)
			break;
		/* Full: no room for the skip and record, 2 * 144 bytes. */
		if (ring_used(r) + 288 < 4096 && done == 0) {
			if (xproc_exited(pid, 0))
				ck_abort_msg("producer exited early");
			sched_yield();
			continue;
		}
		if (ring_drain(r, xrec_check_cb, &next, INT_MAX) > 0 &&
		    ring_consumer_should_wake(r))
			ck_assert_int_eq(write(xw.pefd, &one, sizeof(one)),
			    sizeof(one));
	}
	xproc_exited(pid, 1);
	ck_assert_uint_eq(atomic_load(&x->ptimeouts), 0);
	ck_assert_uint_gt(atomic_load(&x->psleeps), 0);
	ck_assert_ptr_null(ring_peek(r, &len));
	close(xw.pefd);
	munmap(x, maplen);
}
END_TEST

static Suite *
ring_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ring");
	tc = tcase_create("ring");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_ring_init_bad);
	tcase_add_test(tc, test_ring_put_random_order);
	tcase_add_test(tc, test_ring_put_wrap_every_offset);
	tcase_add_test(tc, test_ring_put_full);
	tcase_add_test(tc, test_ring_put_emsgsize);
	tcase_add_test(tc, test_ring_drain_batch);
	tcase_add_test(tc, test_ring_alloc_publish);
	tcase_add_test(tc, test_ring_producer_init);
	tcase_add_test(tc, test_ring_trim);
	tcase_add_exit_test(tc, test_ring_peek_corrupt, 1);
	tcase_add_test(tc, test_ring_spill_order);
	tcase_add_test(tc, test_ring_spill_keeps_order);
	tcase_add_test(tc, test_ring_spill_drops);
	tcase_add_test(tc, test_ring_consumer_sleep_flags);
	tcase_add_test(tc, test_ring_producer_sleep_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("xproc");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ring_xproc_spin);
	tcase_add_test(tc, test_ring_xproc_wakeup);
	tcase_add_test(tc, test_ring_xproc_wakeup_batch);
	tcase_add_test(tc, test_ring_xproc_spill_wakeup);
	tcase_add_test(tc, test_ring_xproc_space_wakeup);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(ring_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
