/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench_msg.c: the pub, sub, pubsub, fanout and queue modes of
 * natsd-bench: publishers that fill 64 KB batches of PUBs under a PING
 * window and a cap on how far subscribers may lag, and subscribers that
 * count, time and check the sequence number in each payload.
 */

#include "config.h"

#include <sys/types.h>

#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "log.h"
#include "xmalloc.h"

static void	 bench_msg_stop(struct bench *);
static void	 bench_msg_stop_cb(int, short, void *);
static void	 bench_msg_watch_cb(int, short, void *);
static void	 bench_msg_pubs_done(struct bench *);
static void	 bench_msg_check(struct bench *);
static int	 bench_msg_stamping(struct bench *);

/*
 * Build the message template and open the connections: subscribers
 * first (SUB, then PING), then publishers, each with its share of the
 * count (or no limit when only a duration was given).
 */
void
bench_msg_setup(struct bench *b)
{
	struct bench_opts	*o = b->opts;
	struct bench_conn	*c;
	size_t			 i;
	uint64_t		 share, extra;
	int			 k;

	b->pub_line_len = xasprintf(&b->pub_line, "PUB %s %zu\r\n",
	    o->subject, o->size);
	b->payload = xmalloc(o->size + 1);
	for (i = 0; i < o->size; i++)
		b->payload[i] = 'a' + i % 26;
	b->msg_len = b->pub_line_len + o->size + 2;

	b->subc = xcalloc(o->subs + 1, sizeof(*b->subc));
	for (k = 0; k < o->subs; k++) {
		c = bench_conn_open(b, BENCH_ROLE_SUB, k);
		if (o->mode == BENCH_MODE_QUEUE)
			bench_conn_sendf(c, "SUB %s natsd-bench 1\r\n",
			    o->subject);
		else
			bench_conn_sendf(c, "SUB %s 1\r\n", o->subject);
		bench_conn_ping(c);
		b->subc[b->nsubc++] = c;
	}
	b->sub_target = o->duration > 0 && !o->count_set ? UINT64_MAX :
	    o->count;

	b->pubc = xcalloc(o->pubs + 1, sizeof(*b->pubc));
	share = o->pubs ? o->count / o->pubs : 0;
	extra = o->pubs ? o->count % o->pubs : 0;
	for (k = 0; k < o->pubs; k++) {
		c = bench_conn_open(b, BENCH_ROLE_PUB, k);
		if (o->duration > 0 && !o->count_set)
			c->target = UINT64_MAX;
		else
			c->target = share + ((uint64_t)k < extra);
		bench_conn_ping(c);
		b->pubc[b->npubc++] = c;
	}
	b->pubs_active = o->pubs;
}

/* Every connection is registered: publishers start. */
void
bench_msg_start(struct bench *b)
{
	struct bench_opts	*o = b->opts;
	int			 k;

	b->phase = BENCH_PHASE_RUN;
	b->t_start = bench_now();
	if (b->npubc == 0) {
		/* sub mode: the clock starts with the first message. */
		if (!o->quiet)
			log_info("%d subscriber%s ready on %s", b->nsubc,
			    b->nsubc == 1 ? "" : "s", o->subject);
		b->t_start = 0;
		return;
	}
	if (o->duration > 0)
		bench_timer(b, &b->timer, o->duration, 0, bench_msg_stop_cb);
	bench_timer(b, &b->drain_ev, o->drain, 1, bench_msg_watch_cb);
	for (k = 0; k < b->npubc; k++)
		bench_conn_want_write(b->pubc[k], 1);
}

static int
bench_msg_stamping(struct bench *b)
{
	return (b->opts->seq && b->opts->size >= 8);
}

/*
 * Append whole PUBs to a publisher's buffer until it is full, a PING is
 * due while too many are unanswered (the server has not caught up), or
 * subscribers lag too far behind; then BENCH_CONN_BLOCKED is set and a
 * PONG or a subscriber's read wakes the publisher. After the last
 * message comes a final PING: its PONG ends the publisher's clock.
 */
void
bench_msg_fill(struct bench_conn *c)
{
	struct bench		*b = c->b;
	struct bench_opts	*o = b->opts;
	size_t			 need = b->msg_len + 6;
	uint64_t		 w;
	char			*p, *end;
	int			 stamp = bench_msg_stamping(b);

	if (b->phase != BENCH_PHASE_RUN || (c->flags & BENCH_CONN_DONE))
		return;
	c->flags &= ~BENCH_CONN_BLOCKED;
	if (c->out_cap - c->out_len < need)
		bench_conn_compact(c);
	p = c->out + c->out_len;
	end = c->out + c->out_cap;
	while (end - p >= (ptrdiff_t)need) {
		if (c->sent >= c->target || b->stopping) {
			memcpy(p, "PING\r\n", 6);
			p += 6;
			c->pings++;
			c->flags |= BENCH_CONN_DONE;
			break;
		}
		if (c->pings >= o->window) {
			c->flags |= BENCH_CONN_BLOCKED;
			break;
		}
		if (o->max_lag && b->nsubc > 0 &&
		    b->published - b->floor >= o->max_lag) {
			c->flags |= BENCH_CONN_BLOCKED;
			b->lag_blocked = 1;
			break;
		}
		memcpy(p, b->pub_line, b->pub_line_len);
		memcpy(p + b->pub_line_len, b->payload, o->size);
		c->sent++;
		b->published++;
		if (stamp) {
			w = htole64((uint64_t)c->idx << BENCH_SEQ_BITS |
			    c->sent);
			memcpy(p + b->pub_line_len, &w, sizeof(w));
		}
		p += b->msg_len;
		p[-2] = '\r';
		p[-1] = '\n';
		if (++c->unpinged >= o->flush) {
			memcpy(p, "PING\r\n", 6);
			p += 6;
			c->pings++;
			c->unpinged = 0;
		}
	}
	c->out_len = p - c->out;
}

/*
 * A publisher's PONG: the server has taken every message before it.
 * Wake a blocked publisher; the final PONG ends its run.
 */
void
bench_msg_on_pong(struct bench_conn *c)
{
	struct bench	*b = c->b;

	if (c->flags & BENCH_CONN_DONE) {
		if (c->pings > 0 || (c->flags & BENCH_CONN_FINISHED))
			return;
		c->flags |= BENCH_CONN_FINISHED;
		c->t_end = bench_now();
		if (--b->pubs_active == 0)
			bench_msg_pubs_done(b);
		return;
	}
	if (c->flags & BENCH_CONN_BLOCKED)
		bench_conn_want_write(c, 1);
}

/*
 * One message for a subscriber: count it and check its sequence word
 * against the highest seen from its publisher. A lower one is
 * reordered (or repeated); a jump is a gap, except in a queue group,
 * where each member sees only some.
 */
int
bench_msg_on_msg(struct bench_conn *c, const struct proto_msg *m)
{
	struct bench	*b = c->b;
	uint64_t	 w, seq;
	size_t		 pub, n;

	c->recv++;
	c->bytes += m->size;
	if (!b->opts->seq || m->size < 8)
		return (0);
	memcpy(&w, m->payload, sizeof(w));
	w = le64toh(w);
	pub = w >> BENCH_SEQ_BITS;
	seq = w & BENCH_SEQ_MASK;
	if (pub >= c->nlast) {
		n = pub + 1 > c->nlast * 2 ? pub + 1 : c->nlast * 2;
		c->last = xreallocarray(c->last, n, sizeof(*c->last));
		memset(c->last + c->nlast, 0, (n - c->nlast) *
		    sizeof(*c->last));
		c->nlast = n;
	}
	if (seq > c->last[pub]) {
		if (seq != c->last[pub] + 1 &&
		    b->opts->mode != BENCH_MODE_QUEUE)
			c->gaps += seq - c->last[pub] - 1;
		c->last[pub] = seq;
	} else
		c->reordered++;
	return (0);
}

/*
 * After a subscriber's read: time the batch, raise the floor publishers
 * are held to (the slowest subscriber's count; a queue group's sum),
 * wake publishers blocked on it once half the lag is made up, and see
 * whether the run is complete.
 */
void
bench_msg_after_read(struct bench_conn *c)
{
	struct bench		*b = c->b;
	struct bench_opts	*o = b->opts;
	uint64_t		 floor;
	double			 now;
	int			 k;

	if (c->recv == c->stamped)
		return;
	now = bench_now();
	if (c->stamped == 0)
		c->t_first = now;
	c->t_last = now;
	c->stamped = c->recv;
	if (b->npubc == 0) {
		if (b->t_start == 0) {
			b->t_start = c->t_first;
			if (o->duration > 0)
				bench_timer(b, &b->timer, o->duration, 0,
				    bench_msg_stop_cb);
			bench_timer(b, &b->drain_ev, o->drain, 1,
			    bench_msg_watch_cb);
		}
		bench_msg_check(b);
		return;
	}
	floor = o->mode == BENCH_MODE_QUEUE ? 0 : UINT64_MAX;
	for (k = 0; k < b->nsubc; k++) {
		if (o->mode == BENCH_MODE_QUEUE)
			floor += b->subc[k]->recv;
		else if (b->subc[k]->recv < floor)
			floor = b->subc[k]->recv;
	}
	b->floor = floor;
	if (b->lag_blocked && b->published - floor <= o->max_lag / 2) {
		b->lag_blocked = 0;
		for (k = 0; k < b->npubc; k++)
			if (b->pubc[k]->flags & BENCH_CONN_BLOCKED)
				bench_conn_want_write(b->pubc[k], 1);
	}
	if (b->phase == BENCH_PHASE_DRAIN)
		bench_msg_check(b);
}

/* Finish the run if every subscriber has had what it waits for. */
static void
bench_msg_check(struct bench *b)
{
	int	 k;

	if (b->npubc == 0) {
		for (k = 0; k < b->nsubc; k++)
			if (b->subc[k]->recv < b->sub_target)
				return;
	} else if (b->floor < b->published)
		return;
	bench_finish(b);
}

/*
 * The last publisher's final PONG: publishing is over. Subscribers get
 * until no message has come for opts->drain seconds to catch up (see
 * bench_msg_watch_cb).
 */
static void
bench_msg_pubs_done(struct bench *b)
{
	int		 k;

	for (k = 0; k < b->npubc; k++)
		if (b->pubc[k]->t_end > b->t_pub_end)
			b->t_pub_end = b->pubc[k]->t_end;
	if (b->nsubc == 0) {
		bench_finish(b);
		return;
	}
	b->phase = BENCH_PHASE_DRAIN;
	bench_msg_check(b);
}

/*
 * Every opts->drain seconds: if nothing was published or received
 * since the last tick, end the run. While publishing, that is a stall
 * (say, publishers held back by subscribers that will never catch up
 * because the server dropped messages): an error. Afterwards, and in
 * sub mode, it is the end of the wait: what is missing is lost.
 */
static void
bench_msg_watch_cb(int fd, short ev, void *arg)
{
	struct bench	*b = arg;
	uint64_t	 total = b->published;
	int		 k;

	for (k = 0; k < b->nsubc; k++)
		total += b->subc[k]->recv;
	if (total != b->drain_seen) {
		b->drain_seen = total;
		return;
	}
	if (b->phase == BENCH_PHASE_RUN && b->npubc > 0) {
		log_warnx("no progress for %.1f s; stopping", b->opts->drain);
		b->errors++;
	}
	bench_finish(b);
}

/* Time is up (-d): publishers send their final PING; sub mode ends. */
static void
bench_msg_stop(struct bench *b)
{
	int	 k;

	if (b->phase != BENCH_PHASE_RUN)
		return;
	b->stopping = 1;
	if (b->npubc == 0) {
		bench_finish(b);
		return;
	}
	for (k = 0; k < b->npubc; k++)
		if (!(b->pubc[k]->flags & BENCH_CONN_DONE))
			bench_conn_want_write(b->pubc[k], 1);
}

static void
bench_msg_stop_cb(int fd, short ev, void *arg)
{
	bench_msg_stop(arg);
}
