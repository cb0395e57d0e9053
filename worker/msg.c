/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/msg.c: the hot path. A publish is matched once (cache, then
 * the shared trie), delivered straight into the output buffers of this
 * worker's subscribers, and sent as one ring record to each other worker
 * that has subscribers, listing their handles. At the end of the loop
 * turn the rings from other workers are drained the same way, and
 * sleeping workers that got records are woken. Nothing here allocates
 * once the buffers have grown to the traffic.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "arena.h"
#include "conf.h"
#include "log.h"
#include "proc.h"
#include "proto.h"
#include "ring.h"
#include "shm.h"
#include "stats.h"
#include "sublist.h"
#include "worker.h"
#include "xmalloc.h"

#define MSG_HOLD_MSEC	250	/* longest the rings are left undrained */
#define MSG_BATCH_MAX	(16 * 1024)	/* bytes of messages in a record */
#define MSG_DRAIN_MAX	4096	/* messages per ring and turn, about */

#define MSG_ROUND8(n)	(((size_t)(n) + 7) & ~(size_t)7)

/*
 * A message crossing to another worker: this, handles, then the bytes.
 * A ring record holds one or more of them, each padded to 8 bytes: the
 * messages of a loop turn for one worker share records.
 */
struct msg_rec {
	uint32_t	ndest;		/* handles that follow */
	uint32_t	flags;
#define MSG_REC_INDIRECT	0x1	/* the record is in the arena */
	uint32_t	slen;
	uint32_t	rlen;
	int32_t		hdr_len;	/* -1: no headers */
	uint32_t	size;		/* payload, headers included */
	uint32_t	off;		/* MSG_REC_INDIRECT: where, how long */
	uint32_t	len;
};

/* A message being delivered, wherever it came from. */
struct msg_view {
	const char	*subject;
	size_t		 slen;
	const char	*reply;
	size_t		 rlen;
	ssize_t		 hdr_len;
	const char	*payload;
	size_t		 size;
	struct client	*origin;	/* publisher, when local */
};

static void	msg_wake_cb(evutil_socket_t, short, void *);
static int	msg_drain_cb(const void *, size_t, void *);

static uint64_t
msg_random(struct worker *w)
{
	/* xorshift64*: fast, and random enough to spread queue members. */
	w->rnd ^= w->rnd >> 12;
	w->rnd ^= w->rnd << 25;
	w->rnd ^= w->rnd >> 27;
	return (w->rnd * 2685821657736338717ULL);
}

/* Write v in decimal at buf; returns the digits written. */
static inline size_t
msg_utoa(char *buf, uint64_t v)
{
	uint64_t	t;
	size_t		n;
	char		*p;

	if (v < 10) {
		buf[0] = '0' + v;
		return (1);
	}
	if (v < 100) {
		buf[0] = '0' + v / 10;
		buf[1] = '0' + v % 10;
		return (2);
	}
	if (v < 10000) {
		/* Payload sizes mostly: divisions by constants, no loop. */
		n = v < 1000 ? 3 : 4;
		p = buf + n;
		*--p = '0' + v % 10;
		*--p = '0' + v / 10 % 10;
		*--p = '0' + v / 100 % 10;
		if (n == 4)
			*--p = '0' + v / 1000;
		return (n);
	}
	for (n = 1, t = v; t >= 10; t /= 10)
		n++;
	p = buf + n;
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	return (n);
}

/*
 * Copy len bytes to dst and return the end. Subjects, sids and small
 * payloads are short: two overlapping word moves instead of a call.
 */
static inline char *
msg_copy(char *dst, const char *src, size_t len)
{
	uint64_t	a, b;
	uint32_t	x, y;

	if (len > 16)
		memcpy(dst, src, len);
	else if (len >= 8) {
		memcpy(&a, src, 8);
		memcpy(&b, src + len - 8, 8);
		memcpy(dst, &a, 8);
		memcpy(dst + len - 8, &b, 8);
	} else if (len >= 4) {
		memcpy(&x, src, 4);
		memcpy(&y, src + len - 4, 4);
		memcpy(dst, &x, 4);
		memcpy(dst + len - 4, &y, 4);
	} else if (len > 0) {
		dst[0] = src[0];
		dst[len / 2] = src[len / 2];
		dst[len - 1] = src[len - 1];
	}
	return (dst + len);
}

/*
 * Set up this worker's ends of the rings, its spills and its eventfd.
 */
void
msg_init(struct worker *w)
{
	struct arena	*a = w->env->arena;
	int		 i;

	w->rnd = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL | 1;
	w->dest = xcalloc(w->nworkers, sizeof(*w->dest));
	w->in = xcalloc(w->nworkers, sizeof(*w->in));
	w->touched = xcalloc(w->nworkers, sizeof(*w->touched));
	w->wake = xcalloc(w->nworkers, sizeof(*w->wake));
	w->nin = 0;
	for (i = 0; i < w->nworkers; i++) {
		if (i == w->id)
			continue;
		w->dest[i].ring = shm_ring(a, w->id, i);
		ring_producer_init(w->dest[i].ring);
		ring_spill_init(&w->dest[i].spill, 0);
		w->in[w->nin++] = shm_ring(a, i, w->id);
	}
	sublist_result_init(&w->result);
	w->cache = sublist_cache_new();
	w->waiter = shm_waiter(a, w->id);
	w->ev_wake = event_new(w->base, w->env->wake_fds[w->id],
	    EV_READ | EV_PERSIST, msg_wake_cb, w);
	event_add(w->ev_wake, NULL);
}

/*
 * Append "MSG subject sid [reply] size\r\npayload\r\n" (HMSG with
 * headers) for subscription s to its client's output. A client that did
 * not ask for headers gets the message without them, as nats-server
 * does. Counts the delivery and honours an auto-unsubscribe limit.
 */
static void
msg_deliver(struct sub *s, const struct msg_view *v)
{
	struct client	*c = s->client;
	const char	*payload = v->payload;
	size_t		 size = v->size, need;
	ssize_t		 hdr = v->hdr_len;
	char		*p, *start;

	if (c->flags & CLIENT_CLOSING)
		return;
	if (hdr >= 0 && !(c->flags & CLIENT_HEADERS)) {
		payload += hdr;
		size -= hdr;
		hdr = -1;
	}
	need = 5 + v->slen + 1 + s->sidlen + 1 + v->rlen + 1 + 48 + size + 2;
	if ((p = client_reserve_fast(c, need)) == NULL)
		return;
	start = p;
	if (hdr >= 0) {
		memcpy(p, "HMSG ", 5);
		p += 5;
	} else {
		memcpy(p, "MSG ", 4);
		p += 4;
	}
	p = msg_copy(p, v->subject, v->slen);
	*p++ = ' ';
	p = msg_copy(p, sub_sid(s), s->sidlen);
	*p++ = ' ';
	if (v->rlen > 0) {
		p = msg_copy(p, v->reply, v->rlen);
		*p++ = ' ';
	}
	if (hdr >= 0) {
		p += msg_utoa(p, hdr);
		*p++ = ' ';
	}
	p += msg_utoa(p, size);
	*p++ = '\r';
	*p++ = '\n';
	p = msg_copy(p, payload, size);
	*p++ = '\r';
	*p++ = '\n';
	client_commit_fast(c, p - start);

	c->out_msgs++;
	c->out_bytes += size;
	worker->out_msgs++;
	worker->out_bytes += size;
	if (++s->delivered >= (uint64_t)s->max && s->max > 0)
		sub_remove(s);
}

/* Deliver to a handle of ours, unless echo forbids. Returns 1 if sent. */
static int
msg_deliver_handle(uint64_t handle, const struct msg_view *v)
{
	struct sub	*s;

	if ((s = sub_lookup(handle)) == NULL)
		return (0);
	if (s->client == v->origin && !(v->origin->flags & CLIENT_ECHO))
		return (0);
	msg_deliver(s, v);
	return (1);
}

/* Queue handle for worker id's record of the current message. */
static inline void
msg_dest_add(struct worker *w, int id, uint64_t handle)
{
	struct msg_dest	*d = &w->dest[id];

	if (d->n == 0)
		w->touched[w->ntouched++] = id;
	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 16 : d->cap * 2;
		d->handles = xreallocarray(d->handles, d->cap,
		    sizeof(*d->handles));
	}
	d->handles[d->n++] = handle;
}

/*
 * End this turn's batch for d: give the ring back the room reserved
 * and not used. Before anything is put to or published in d's ring.
 */
static void
msg_dest_close(struct msg_dest *d)
{
	if (d->bptr == NULL)
		return;
	if (ring_trim(d->ring, d->bused) == -1)
		fatalx("ring_trim: the batch was published");
	d->bptr = NULL;
	d->bfree = d->bused = 0;
}

/*
 * Room for a message of len bytes (a multiple of 8) in d's batch: the
 * batch is a ring record of up to MSG_BATCH_MAX bytes reserved at its
 * first message, trimmed and published at the end of the loop turn
 * (msg_turn_end). Returns NULL when the ring is full or spilling.
 */
static inline struct msg_rec *
msg_dest_room(struct msg_dest *d, size_t len)
{
	struct msg_rec	*rp;
	size_t		 want, max;

	if (d->bfree >= len) {
		rp = (struct msg_rec *)(void *)d->bptr;
		d->bptr += len;
		d->bfree -= len;
		d->bused += len;
		return (rp);
	}
	msg_dest_close(d);
	max = ring_max_record(d->ring);
	if (d->spill.count > 0 || len > max)
		return (NULL);
	want = len < MSG_BATCH_MAX ? MSG_BATCH_MAX : len;
	if (want > max)
		want = max;
	rp = ring_alloc(d->ring, want);
	if (rp == NULL && want > len)
		rp = ring_alloc(d->ring, want = len);
	if (rp == NULL)
		return (NULL);
	d->bptr = (char *)rp + len;
	d->bfree = want - len;
	d->bused = len;
	return (rp);
}

/*
 * msg_send_record's uncommon cases: a ring full or spilling, or a
 * record too large for it. A record too large goes into the arena and
 * the ring carries a reference; a full ring spills into private
 * memory; past the spill's bound the message is dropped for that
 * worker and counted. d's batch is closed (msg_dest_room).
 */
static __attribute__((__noinline__)) int
msg_send_slow(struct worker *w, struct msg_dest *d, const uint64_t *handles,
    uint32_t n, const struct msg_view *v)
{
	struct arena	*a = w->env->arena;
	struct msg_rec	 rec, ind;
	struct iovec	 iov[5];
	size_t		 total, i;
	uint32_t	 off;
	char		*p;
	int		 rv;

	/* Let the consumer have what is there. */
	ring_publish(d->ring);
	memset(&rec, 0, sizeof(rec));
	rec.ndest = n;
	rec.slen = v->slen;
	rec.rlen = v->rlen;
	rec.hdr_len = v->hdr_len;
	rec.size = v->size;
	iov[0].iov_base = &rec;
	iov[0].iov_len = sizeof(rec);
	iov[1].iov_base = (void *)handles;
	iov[1].iov_len = n * sizeof(uint64_t);
	iov[2].iov_base = (void *)v->subject;
	iov[2].iov_len = v->slen;
	iov[3].iov_base = (void *)v->reply;
	iov[3].iov_len = v->rlen;
	iov[4].iov_base = (void *)v->payload;
	iov[4].iov_len = v->size;
	for (total = 0, i = 0; i < 5; i++)
		total += iov[i].iov_len;
	if (total > ring_max_record(d->ring)) {
		if ((off = arena_alloc(a, total)) == 0) {
			w->drops++;
			return (-1);
		}
		p = arena_ptr(a, off);
		for (i = 0; i < 5; i++) {
			memcpy(p, iov[i].iov_base, iov[i].iov_len);
			p += iov[i].iov_len;
		}
		memset(&ind, 0, sizeof(ind));
		ind.flags = MSG_REC_INDIRECT;
		ind.off = off;
		ind.len = total;
		iov[0].iov_base = &ind;
		iov[0].iov_len = sizeof(ind);
		rv = ring_put_or_spill(d->ring, &d->spill, iov, 1);
		if (rv == -1)
			arena_free(a, off, total);
	} else
		rv = ring_put_or_spill(d->ring, &d->spill, iov, 5);
	if (rv == -1)
		w->drops++;
	/* The ring is full: hold the publisher until it drains. */
	if (rv != 0 && w->cur_pub != NULL)
		client_stall(w->cur_pub);
	return (0);
}

/*
 * Send the current message to worker id, for its n handles: into this
 * turn's batch for id (msg_dest_room), else by msg_send_slow.
 * msg_turn_end publishes and wakes id.
 */
static inline __attribute__((__always_inline__)) void
msg_send_record(struct worker *w, int id, const uint64_t *handles,
    uint32_t n, const struct msg_view *v)
{
	struct msg_dest	*d = &w->dest[id];
	struct msg_rec	*rp;
	char		*p;

	rp = msg_dest_room(d, MSG_ROUND8(sizeof(*rp) + n *
	    sizeof(uint64_t) + v->slen + v->rlen + v->size));
	if (rp != NULL) {
		rp->ndest = n;
		rp->flags = 0;
		rp->slen = v->slen;
		rp->rlen = v->rlen;
		rp->hdr_len = v->hdr_len;
		rp->size = v->size;
		rp->off = 0;
		rp->len = 0;
		p = (char *)(rp + 1);
		if (n == 1)
			memcpy(p, handles, sizeof(uint64_t));
		else
			memcpy(p, handles, n * sizeof(uint64_t));
		p += n * sizeof(uint64_t);
		p = msg_copy(p, v->subject, v->slen);
		if (v->rlen > 0)
			p = msg_copy(p, v->reply, v->rlen);
		msg_copy(p, v->payload, v->size);
	} else if (msg_send_slow(w, d, handles, n, v) == -1)
		return;
	if (!d->pending) {
		d->pending = 1;
		w->wake[w->nwake++] = id;
		worker_schedule_flush(w);	/* msg_turn_end wakes id */
	}
}

/*
 * Route one message from client c (PUB or HPUB), already parsed and
 * checked. Returns 1 when someone got it.
 */
int
msg_route(struct client *c, const struct proto_msg *m)
{
	struct worker			*w = worker;
	const struct sublist_result	*r;
	const struct sublist_group	*g;
	const struct sublist_dest	*d;
	struct msg_dest			*md;
	struct msg_view			 v;
	size_t				 i, j, k;
	int				 delivered = 0;

	v.subject = m->subject.ptr;
	v.slen = m->subject.len;
	v.reply = m->reply.len > 0 ? m->reply.ptr : "";
	v.rlen = m->reply.len;
	v.hdr_len = m->hdr_len;
	v.payload = m->payload;
	v.size = m->size;
	v.origin = c;

	if (sublist_cache_match(w->cache, w->env->arena, c->account,
	    v.subject, v.slen, &r) == -1)
		return (0);
	w->cur_pub = c;
	if (r->nplain == 1 && r->ngroups == 0) {
		/* One subscriber, the commonest case: no batching. */
		d = &r->plain[0];
		if (d->worker == w->id)
			delivered = msg_deliver_handle(d->handle, &v);
		else if (d->worker < w->nworkers) {
			msg_send_record(w, d->worker, &d->handle, 1, &v);
			delivered = 1;
		}
		w->cur_pub = NULL;
		return (delivered);
	}
	w->ntouched = 0;
	for (i = 0; i < r->nplain; i++) {
		d = &r->plain[i];
		if (d->worker == w->id)
			delivered |= msg_deliver_handle(d->handle, &v);
		else if (d->worker < w->nworkers) {
			msg_dest_add(w, d->worker, d->handle);
			delivered = 1;
		}
	}
	for (i = 0; i < r->ngroups; i++) {
		g = &r->groups[i];
		k = msg_random(w) % g->count;
		/* From a random member on, the first that can take it. */
		for (j = 0; j < g->count; j++) {
			d = &r->members[g->start + (k + j) % g->count];
			if (d->worker == w->id) {
				if (msg_deliver_handle(d->handle, &v)) {
					delivered = 1;
					break;
				}
			} else if (d->worker < w->nworkers) {
				msg_dest_add(w, d->worker, d->handle);
				delivered = 1;
				break;
			}
		}
	}
	for (i = 0; i < (size_t)w->ntouched; i++) {
		md = &w->dest[w->touched[i]];
		msg_send_record(w, w->touched[i], md->handles, md->n, &v);
		md->n = 0;
	}
	w->cur_pub = NULL;
	return (delivered);
}

/*
 * The message whose struct msg_rec is at p, len bytes available: check
 * it whole before trusting any length in it, fill v and *ndest. Each
 * field is read once, so what is checked is what is used. Returns its
 * length, or 0 if it is malformed.
 */
static inline size_t
msg_drain_view(const char *p, size_t len, struct msg_view *v,
    uint32_t *ndest)
{
	const struct msg_rec	*rp = (const struct msg_rec *)(const void *)p;
	uint32_t		 n = rp->ndest, slen = rp->slen;
	uint32_t		 rlen = rp->rlen, size = rp->size;
	int32_t			 hdr = rp->hdr_len;
	size_t			 need;

	need = sizeof(*rp) + (size_t)n * sizeof(uint64_t) + slen + rlen +
	    size;
	if (n > len || need > len || (hdr >= 0 && (uint32_t)hdr > size))
		return (0);
	v->subject = p + sizeof(*rp) + n * sizeof(uint64_t);
	v->slen = slen;
	v->reply = v->subject + slen;
	v->rlen = rlen;
	v->payload = v->reply + rlen;
	v->size = size;
	v->hdr_len = hdr;
	v->origin = NULL;
	*ndest = n;
	return (need);
}

/*
 * One message of a ring record, at p with len bytes left in the record,
 * delivered to each handle still alive. Returns the bytes it takes in
 * the record (padded to 8), or 0 if it is malformed.
 */
static size_t
msg_drain_one(struct worker *w, const char *p, size_t len)
{
	const struct msg_rec	*rp = (const struct msg_rec *)(const void *)p;
	struct arena		*a;
	struct msg_view		 v;
	uint64_t		 h;
	uint32_t		 ndest, off, ilen, i;
	size_t			 need;

	/* Records and the messages in them are 8-aligned. */
	if (len < sizeof(*rp))
		return (0);
	if (rp->flags & MSG_REC_INDIRECT) {
		a = w->env->arena;
		off = rp->off;
		ilen = rp->len;
		p = arena_ptr_checked(a, off, ilen, ARENA_ALIGN);
		if (p == NULL || ilen < sizeof(*rp) ||
		    msg_drain_view(p, ilen, &v, &ndest) == 0)
			return (0);
		for (i = 0; i < ndest; i++) {
			memcpy(&h, p + sizeof(*rp) + i * sizeof(h), sizeof(h));
			msg_deliver_handle(h, &v);
		}
		arena_free(a, off, ilen);
		w->drain_left--;
		return (MSG_ROUND8(sizeof(*rp)));
	}
	if ((need = msg_drain_view(p, len, &v, &ndest)) == 0)
		return (0);
	for (i = 0; i < ndest; i++) {
		memcpy(&h, p + sizeof(*rp) + i * sizeof(h), sizeof(h));
		msg_deliver_handle(h, &v);
	}
	w->drain_left--;
	return (MSG_ROUND8(need));
}

/*
 * A record from another worker: its messages one after the other.
 * Stops the drain once this turn's budget of messages is spent.
 */
static int
msg_drain_cb(const void *data, size_t len, void *arg)
{
	struct worker	*w = arg;
	const char	*p = data;
	size_t		 off = 0, n;

	while (off < len) {
		if ((n = msg_drain_one(w, p + off, len - off)) == 0) {
			log_warnx("dropping a malformed ring record of %zu "
			    "bytes", len);
			break;
		}
		off += n;
	}
	return (w->drain_left <= 0);
}

/* May the rings into w be drained now (see msg_drain)? */
static int
msg_may_drain(struct worker *w)
{
	return (w->nover == 0 || worker_msec() - w->over_since >=
	    MSG_HOLD_MSEC);
}

/*
 * Deliver what other workers sent us. Bounded per ring and turn (to
 * MSG_DRAIN_MAX messages and one record more) so one busy producer
 * cannot starve our own clients. Returns records handled.
 */
int
msg_drain(struct worker *w)
{
	int	i, n = 0;

	/*
	 * A client of ours is over the stall mark: leave the records in
	 * the rings for a while, so that they fill and the publishing
	 * workers stall their publishers. Not for long: a dead consumer
	 * must not hold everyone.
	 */
	if (!msg_may_drain(w)) {
		if (!evtimer_pending(w->ev_stall, NULL)) {
			struct timeval tv = { 0, MSG_HOLD_MSEC * 1000 };

			evtimer_add(w->ev_stall, &tv);
		}
		return (0);
	}

	for (i = 0; i < w->nin; i++) {
		w->drain_left = MSG_DRAIN_MAX;
		n += ring_drain(w->in[i], msg_drain_cb, w, MSG_DRAIN_MAX);
		if (ring_consumer_should_wake(w->in[i]))
			msg_signal(w, i >= w->id ? i + 1 : i);
	}
	return (n);
}

/* Wake worker id through its eventfd. */
void
msg_signal(struct worker *w, int id)
{
	uint64_t	one = 1;

	if (write(w->env->wake_fds[id], &one, sizeof(one)) == -1 &&
	    errno != EAGAIN)
		log_warn("wake worker %d", id);
}

/*
 * End of a loop turn, after the flush: push spilled records, wake the
 * workers we wrote to that sleep, publish our counters. Returns 1 when
 * there is more to do at once (a ring into us refilled meanwhile).
 */
int
msg_turn_end(struct worker *w)
{
	struct stats_worker	*st = &w->env->stats->worker[w->id];
	struct msg_dest		*d;
	int			 i, id;

	for (i = 0; i < w->nwake; i++) {
		id = w->wake[i];
		d = &w->dest[id];
		d->pending = 0;
		/* Before the wake check: see ring.c on unpublished records. */
		msg_dest_close(d);
		ring_publish(d->ring);
		while (d->spill.count > 0) {
			ring_spill_flush(d->ring, &d->spill);
			if (d->spill.count == 0)
				break;
			/*
			 * Still spilling: the consumer wakes us when it frees
			 * space (or space appeared meanwhile: flush again).
			 */
			if (ring_producer_sleep(d->ring, &d->spill)) {
				d->pending = 1;
				break;
			}
		}
		if (ring_producer_should_wake(shm_waiter(w->env->arena, id)))
			msg_signal(w, id);
	}
	/* Keep only the ones still pending. */
	for (i = 0, id = 0; i < w->nwake; i++)
		if (w->dest[w->wake[i]].pending)
			w->wake[id++] = w->wake[i];
	w->nwake = id;

	if (w->drops > 0)
		log_warnx("%llu messages dropped: a worker's ring and spill "
		    "are full", (unsigned long long)w->drops);
	if (w->in_msgs | w->out_msgs | w->drops) {
		stats_add(st->in_msgs, w->in_msgs);
		stats_add(st->in_bytes, w->in_bytes);
		stats_add(st->out_msgs, w->out_msgs);
		stats_add(st->out_bytes, w->out_bytes);
		stats_add(st->drops, w->drops);
		w->in_msgs = w->in_bytes = w->out_msgs = w->out_bytes = 0;
		w->drops = 0;
	}
	client_unstall_all(w, 0);
	if (w->nin > 0 && !ring_consumer_sleep(w->waiter, w->in, w->nin))
		return (msg_may_drain(w));	/* else held: see msg_drain */
	return (0);
}

static void
msg_wake_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;
	uint64_t	 v;

	if (read(fd, &v, sizeof(v)) == -1 && errno != EAGAIN)
		log_warn("eventfd read");
	ring_consumer_awake(w->waiter);
	worker_check_term(w);
	msg_drain(w);
	worker_schedule_flush(w);
}
