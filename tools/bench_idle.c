/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench_idle.c: the connections mode of natsd-bench: open
 * opts.count connections, opts.concurrency at a time, each registered
 * by CONNECT and a PING answered; time it; hold them all idle for
 * opts.duration seconds (answering the server's PINGs), then stop.
 */

#include "config.h"

#include <sys/types.h>

#include "bench.h"
#include "log.h"

static void	 bench_idle_next(struct bench *);
static void	 bench_idle_hold_cb(int, short, void *);

/* Start the first opts.concurrency connections. */
void
bench_idle_setup(struct bench *b)
{
	int	 k;

	b->phase = BENCH_PHASE_RUN;
	b->t_start = bench_now();
	for (k = 0; k < b->opts->concurrency; k++)
		bench_idle_next(b);
	if (b->opts->count == 0)
		bench_finish(b);
}

/* Open one more connection, if any is still to be opened. */
static void
bench_idle_next(struct bench *b)
{
	struct bench_conn	*c;

	if ((uint64_t)b->nconns >= b->opts->count)
		return;
	c = bench_conn_open(b, BENCH_ROLE_IDLE, b->nconns);
	bench_conn_ping(c);
	b->opening++;
}

/*
 * A connection's first PONG: it is established. Open the next; once
 * all are up, stop the clock and hold them.
 */
void
bench_idle_ready(struct bench_conn *c)
{
	struct bench	*b = c->b;

	b->opening--;
	b->established++;
	bench_idle_next(b);
	if ((uint64_t)b->established < b->opts->count)
		return;
	b->t_conn_end = bench_now();
	if (!b->opts->quiet)
		log_info("%d connections established; holding %.1f s",
		    b->established, b->opts->duration);
	if (b->opts->duration > 0)
		bench_timer(b, &b->timer, b->opts->duration, 0,
		    bench_idle_hold_cb);
	else
		bench_finish(b);
}

static void
bench_idle_hold_cb(int fd, short ev, void *arg)
{
	struct bench	*b = arg;

	b->held = bench_now() - b->t_conn_end;
	bench_finish(b);
}
