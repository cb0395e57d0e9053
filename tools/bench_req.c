/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench_req.c: the reqrep mode of natsd-bench: requesters keep
 * opts.concurrency requests outstanding each and time every reply into
 * the histogram; responders, a queue group on their own connections,
 * echo each request's payload to its reply subject.
 */

#include "config.h"

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "log.h"
#include "xmalloc.h"

static void	 bench_req_stop(struct bench *);
static void	 bench_req_send(struct bench_conn *, int);
static void	 bench_req_reply(struct bench_conn *, const struct proto_msg *);
static void	 bench_req_done(struct bench_conn *);
static void	 bench_req_stop_cb(int, short, void *);
static void	 bench_req_watch_cb(int, short, void *);

/*
 * Open the responders (SUB to the subject in one queue group) and the
 * requesters (SUB to their own inbox, one reply subject per slot), and
 * share the request count among the requesters.
 */
void
bench_req_setup(struct bench *b)
{
	struct bench_opts	*o = b->opts;
	struct bench_conn	*c;
	uint64_t		 share, extra;
	size_t			 i;
	int			 k;

	snprintf(b->inbox, sizeof(b->inbox), "_INBOX.bench%ld%08x",
	    (long)getpid(), arc4random());
	b->payload = xmalloc(o->size + 1);
	for (i = 0; i < o->size; i++)
		b->payload[i] = 'a' + i % 26;

	b->subc = xcalloc(o->subs + 1, sizeof(*b->subc));
	for (k = 0; k < o->subs; k++) {
		c = bench_conn_open(b, BENCH_ROLE_REP, k);
		bench_conn_sendf(c, "SUB %s natsd-bench 1\r\n", o->subject);
		bench_conn_ping(c);
		b->subc[b->nsubc++] = c;
	}

	b->pubc = xcalloc(o->pubs + 1, sizeof(*b->pubc));
	share = o->count / o->pubs;
	extra = o->count % o->pubs;
	for (k = 0; k < o->pubs; k++) {
		c = bench_conn_open(b, BENCH_ROLE_REQ, k);
		if (o->duration > 0 && !o->count_set)
			c->target = UINT64_MAX;
		else
			c->target = share + ((uint64_t)k < extra);
		c->slot_ns = xcalloc(o->concurrency, sizeof(*c->slot_ns));
		bench_conn_sendf(c, "SUB %s.%d.* 1\r\n", b->inbox, k);
		bench_conn_ping(c);
		b->pubc[b->npubc++] = c;
	}
	b->pubs_active = o->pubs;
}

/*
 * Everyone is registered: each requester fills its slots. A watchdog
 * ends the run if no reply comes for opts->drain seconds.
 */
void
bench_req_start(struct bench *b)
{
	struct bench_opts	*o = b->opts;
	struct bench_conn	*c;
	int			 k, s;

	b->phase = BENCH_PHASE_RUN;
	b->t_start = bench_now();
	if (o->duration > 0)
		bench_timer(b, &b->timer, o->duration, 0, bench_req_stop_cb);
	bench_timer(b, &b->drain_ev, o->drain, 1, bench_req_watch_cb);
	for (k = 0; k < b->npubc; k++) {
		c = b->pubc[k];
		for (s = 0; s < o->concurrency && c->sent < c->target; s++)
			bench_req_send(c, s);
		if (c->outstanding == 0)
			bench_req_done(c);
		bench_conn_flush(c);
	}
}

/* Queue a request from slot s, stamped with the time it is queued. */
static void
bench_req_send(struct bench_conn *c, int s)
{
	struct bench	*b = c->b;

	bench_conn_sendf(c, "PUB %s %s.%d.%d %zu\r\n", b->opts->subject,
	    b->inbox, c->idx, s, b->opts->size);
	bench_conn_send(c, b->payload, b->opts->size);
	bench_conn_send(c, "\r\n", 2);
	c->slot_ns[s] = bench_now_ns();
	c->outstanding++;
	c->sent++;
	b->published++;
}

/*
 * A message for a requester (a reply: its slot is the last token of
 * the subject) or for a responder (a request: echo it). Replies to no
 * outstanding request are errors.
 */
int
bench_req_on_msg(struct bench_conn *c, const struct proto_msg *m)
{
	struct bench	*b = c->b;
	const char	*p, *end = m->subject.ptr + m->subject.len;
	uint64_t	 now;
	long		 s = 0;

	if (c->role == BENCH_ROLE_REP) {
		bench_req_reply(c, m);
		return (0);
	}
	for (p = end; p > m->subject.ptr && p[-1] != '.'; p--)
		;
	if (p == end)
		s = -1;
	for (; p < end && s >= 0; p++) {
		if (*p < '0' || *p > '9' || s >= b->opts->concurrency)
			s = -1;
		else
			s = s * 10 + (*p - '0');
	}
	if (s < 0 || s >= b->opts->concurrency || c->slot_ns[s] == 0) {
		log_warnx("requester %d: unexpected reply on %.*s", c->idx,
		    (int)m->subject.len, m->subject.ptr);
		b->errors++;
		return (0);
	}
	now = bench_now_ns();
	bench_hist_add(&b->hist, now - c->slot_ns[s]);
	c->slot_ns[s] = 0;
	c->outstanding--;
	c->recv++;
	c->bytes += m->size;
	if (c->sent < c->target && !b->stopping)
		bench_req_send(c, (int)s);
	else if (c->outstanding == 0)
		bench_req_done(c);
	return (0);
}

/* A responder's answer: the request's payload, to its reply subject. */
static void
bench_req_reply(struct bench_conn *c, const struct proto_msg *m)
{
	c->recv++;
	c->bytes += m->size;
	if (m->reply.len == 0) {
		log_warnx("responder %d: request without a reply subject",
		    c->idx);
		c->b->errors++;
		return;
	}
	bench_conn_sendf(c, "PUB %.*s %zu\r\n", (int)m->reply.len,
	    m->reply.ptr, m->size);
	bench_conn_send(c, m->payload, m->size);
	bench_conn_send(c, "\r\n", 2);
}

/* A requester has its last reply; the last requester ends the run. */
static void
bench_req_done(struct bench_conn *c)
{
	struct bench	*b = c->b;
	int		 k;

	if (c->flags & BENCH_CONN_FINISHED)
		return;
	c->flags |= BENCH_CONN_FINISHED;
	c->t_end = bench_now();
	if (--b->pubs_active > 0)
		return;
	for (k = 0; k < b->npubc; k++)
		if (b->pubc[k]->t_end > b->t_pub_end)
			b->t_pub_end = b->pubc[k]->t_end;
	bench_finish(b);
}

/* Time is up (-d): no new requests; the outstanding ones come back. */
static void
bench_req_stop(struct bench *b)
{
	int	 k;

	b->stopping = 1;
	for (k = 0; k < b->npubc; k++)
		if (b->pubc[k]->outstanding == 0)
			bench_req_done(b->pubc[k]);
}

static void
bench_req_stop_cb(int fd, short ev, void *arg)
{
	bench_req_stop(arg);
}

/* No reply for opts->drain seconds: the rest are lost; stop. */
static void
bench_req_watch_cb(int fd, short ev, void *arg)
{
	struct bench	*b = arg;

	if (b->hist.n == b->drain_seen) {
		log_warnx("no reply for %.1f s; stopping", b->opts->drain);
		bench_finish(b);
		return;
	}
	b->drain_seen = b->hist.n;
}
