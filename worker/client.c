/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/client.c: a connection's life: accept from the supervisor,
 * INFO, reading into an adaptive buffer, the output buffer that is
 * filled during a loop turn and flushed once at its end, slow consumers,
 * pings, and close.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "log.h"
#include "conf.h"
#include "options.h"
#include "proc.h"
#include "proto.h"
#include "subject.h"
#include "stats.h"
#include "worker.h"
#include "xmalloc.h"

#define CLIENT_RBUF_START	512
#define CLIENT_RBUF_MIN		64
#define CLIENT_RBUF_MAX		(64 * 1024)
#define CLIENT_RBUF_SHRINK	16	/* small reads in a row to halve */
#define CLIENT_OBUF_START	1024
#define CLIENT_OBUF_KEEP	(64 * 1024)	/* kept while idle */
#define CLIENT_FLUSH_EARLY	(64 * 1024)	/* pending: write at once */
#define CLIENT_STALL_MAX_MARK	(1024 * 1024)
#define CLIENT_STALL_MSEC	250	/* longest a publisher is paused */

static void	client_read_cb(evutil_socket_t, short, void *);
static int	client_write(struct client *);
static void	client_write_cb(evutil_socket_t, short, void *);
static void	client_free(struct client *);
static void	client_input(struct client *);
static void	client_error(struct client *, enum proto_err, const char *);

/* -V: the bytes c sent (<<-) or was sent (->>), escaped. */
static void
client_trace(struct client *c, const char *dir, const char *data, size_t len)
{
	char	what[96];

	snprintf(what, sizeof(what), "%s:%d - cid:%llu - %s", c->ip, c->port,
	    (unsigned long long)c->cid, dir);
	log_trace_bytes(what, data, len);
}

static struct stats_worker *
client_stats(void)
{
	return (&worker->env->stats->worker[worker->id]);
}

/* Record the peer's address as text for INFO, logs and monitoring. */
static void
client_set_peer(struct client *c, const struct sockaddr_storage *ss)
{
	c->peer = *ss;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, c->ip, sizeof(c->ip));
		c->port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, c->ip, sizeof(c->ip));
		c->port = ntohs(s4->sin_port);
	} else
		snprintf(c->ip, sizeof(c->ip), "unix");
}

/*
 * A socket handed over by the supervisor becomes a client of kind.
 * Sends INFO at once, as nats-server does. Enforces max_connections
 * over all workers. Takes ownership of fd.
 */
void
client_accept(struct worker *w, int fd, int kind,
    const struct sockaddr_storage *peer)
{
	struct client	*c;
	struct stats	*st = w->env->stats;
	int64_t		 total = 0;
	int		 i;

	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->kind = kind;
	c->account = 0;
	c->cid = stats_add(st->next_cid, 1);
	w->now = time(NULL);	/* the tick's copy may be a second old */
	c->start = c->last_activity = c->last_ping = w->now;
	c->start_ms = worker_msec();
	c->start_ns = c->last_ns = report_clock(CLOCK_REALTIME);
	c->flags = CLIENT_ECHO;
	TAILQ_INIT(&c->subs);
	proto_init(&c->parser, PROTO_KIND_CLIENT);
	if (config_auth_required(w->conf))
		c->parser.flags |= PROTO_F_AUTH;
	client_set_peer(c, peer);
	c->rsize = CLIENT_RBUF_START;
	c->rbuf = xmalloc(c->rsize);
	c->ev_read = event_new(w->base, fd, EV_READ | EV_PERSIST,
	    client_read_cb, c);
	c->ev_write = event_new(w->base, fd, EV_WRITE, client_write_cb, c);
	if (c->ev_read == NULL || c->ev_write == NULL)
		fatalx("event_new failed");
	TAILQ_INSERT_TAIL(&w->clients, c, entry);
	w->nclients++;
	stats_add(client_stats()->total_conns, 1);
	/* conns was counted by the supervisor at hand-off. */

	client_send_info(c, 0);

	for (i = 0; i < w->nworkers; i++)
		total += stats_load(st->worker[i].conns);
	if (w->conf->max_connections > 0 &&
	    total > w->conf->max_connections) {
		log_warnx("client %llu: maximum connections exceeded",
		    (unsigned long long)c->cid);
		client_send_err(c, "maximum connections exceeded");
		client_close(c, "Maximum Connections Exceeded");
		return;
	}
	log_debug("client %llu: connection from %s:%d",
	    (unsigned long long)c->cid, c->ip, c->port);
	event_add(c->ev_read, NULL);
}

/*
 * Make room for len more bytes of output and return where they go, or
 * NULL when c is closing (the bytes are then not wanted). Past
 * max_pending the client is a slow consumer and is closed. The caller
 * writes at most len bytes and then calls client_commit.
 */
char *
client_reserve(struct client *c, size_t len)
{
	size_t	need, pending;

	if (c->fd == -1 || (c->flags & CLIENT_CLOSING))
		return (NULL);
	pending = c->olen - c->ooff;
	/*
	 * A big burst (a ring drained after a pause, a fan-out) must not
	 * wait for the end of the turn to start writing, or it would look
	 * like a slow consumer: write now while the socket takes it.
	 */
	if (pending + len > CLIENT_FLUSH_EARLY &&
	    !(c->flags & CLIENT_WANT_WRITE)) {
		if (client_write(c) == -1)
			return (NULL);
		pending = c->olen - c->ooff;
	}
	if (pending + len > (size_t)worker->conf->max_pending) {
		log_warnx("client %llu: slow consumer, %zu bytes pending",
		    (unsigned long long)c->cid, pending);
		stats_add(client_stats()->slow_consumers, 1);
		c->olen = c->ooff = 0;
		client_send_err(c, "Slow Consumer");
		client_close(c, "Slow Consumer (Pending Bytes)");
		return (NULL);
	}
	if (c->ooff > 0 && c->olen + len > c->osize) {
		memmove(c->obuf, c->obuf + c->ooff, pending);
		c->olen = pending;
		c->ooff = 0;
	}
	need = c->olen + len;
	if (need > c->osize) {
		if (c->osize == 0)
			c->osize = CLIENT_OBUF_START;
		while (c->osize < need)
			c->osize *= 2;
		c->obuf = xreallocarray(c->obuf, 1, c->osize);
	}
	return (c->obuf + c->olen);
}

/*
 * Pending bytes past which a client's publishers are stalled (their
 * reads paused) until it catches up: backpressure instead of letting a
 * fast publisher push a merely slower subscriber over max_pending.
 */
size_t
client_stall_mark(void)
{
	size_t	mark = worker->conf->max_pending / 2;

	return (mark < CLIENT_STALL_MAX_MARK ? mark : CLIENT_STALL_MAX_MARK);
}

/* Keep the limits client_reserve_fast and client_commit_fast use. */
void
client_apply_config(struct worker *w)
{
	w->out_fast = (size_t)w->conf->max_pending < CLIENT_FLUSH_EARLY ?
	    (size_t)w->conf->max_pending : CLIENT_FLUSH_EARLY;
	w->out_mark = client_stall_mark();
}

/* c's pending bytes went down: maybe it is no longer over the mark. */
static void
client_below_mark(struct client *c)
{
	struct worker	*w = worker;

	if (!(c->flags & CLIENT_OVER) ||
	    c->olen - c->ooff > client_stall_mark() / 2)
		return;
	c->flags &= ~CLIENT_OVER;
	if (--w->nover == 0) {
		client_unstall_all(w, 0);
		worker_schedule_flush(w);	/* drain the rings again */
	}
}

/*
 * Pause p's reads: a consumer of what it publishes is behind. Resumed
 * by client_unstall_all once consumers caught up, or after
 * CLIENT_STALL_MSEC at the most, so a dead consumer cannot hold a
 * publisher: it is cut off as a slow consumer instead.
 */
void
client_stall(struct client *p)
{
	struct worker	*w = worker;
	struct timeval	 tv = { 0, CLIENT_STALL_MSEC * 1000 };

	if (p->flags & (CLIENT_STALLED | CLIENT_CLOSING))
		return;
	p->flags |= CLIENT_STALLED;
	event_del(p->ev_read);
	if (TAILQ_EMPTY(&w->stalled))
		evtimer_add(w->ev_stall, &tv);
	TAILQ_INSERT_TAIL(&w->stalled, p, stall);
}

/*
 * Resume stalled publishers when nothing is over the mark (force: even
 * then) and no ring is spilling.
 */
void
client_unstall_all(struct worker *w, int force)
{
	struct client	*c;
	int		 i;

	if (TAILQ_EMPTY(&w->stalled))
		return;
	if (!force && w->nover > 0)
		return;
	/*
	 * Never while a ring spills, force or not: the publisher would only
	 * overflow the spill. A consumer worker holds its rings for a
	 * bounded time only, and a dead one is restarted and drains them.
	 */
	for (i = 0; i < w->nwake; i++)
		if (w->dest[w->wake[i]].spill.count > 0)
			return;
	while ((c = TAILQ_FIRST(&w->stalled)) != NULL) {
		TAILQ_REMOVE(&w->stalled, c, stall);
		c->flags &= ~CLIENT_STALLED;
		if (!(c->flags & CLIENT_CLOSING))
			event_add(c->ev_read, NULL);
	}
	evtimer_del(w->ev_stall);
}

/* len bytes were written at client_reserve's pointer: queue them. */
void
client_commit(struct client *c, size_t len)
{
	struct worker	*w = worker;

	c->olen += len;
	if (c->olen - c->ooff > client_stall_mark()) {
		if (!(c->flags & CLIENT_OVER)) {
			c->flags |= CLIENT_OVER;
			if (w->nover++ == 0)
				w->over_since = worker_msec();
		}
		if (w->cur_pub != NULL && w->cur_pub != c)
			client_stall(w->cur_pub);
	}
	if (!(c->flags & CLIENT_DIRTY)) {
		c->flags |= CLIENT_DIRTY;
		TAILQ_INSERT_TAIL(&worker->dirty, c, dirty);
		worker_schedule_flush(worker);
	}
}

/* Queue len bytes of output for c. */
void
client_send(struct client *c, const void *data, size_t len)
{
	char	*p;

	if ((p = client_reserve(c, len)) == NULL)
		return;
	memcpy(p, data, len);
	client_commit(c, len);
}

/*
 * Send c the INFO line: the worker's common part, then this client's id
 * and address, and in lame duck mode "ldm":true, which tells clients to
 * reconnect to another server.
 */
void
client_send_info(struct client *c, int ldm)
{
	char	tail[160];
	int	n;

	n = snprintf(tail, sizeof(tail), ",\"client_id\":%llu,"
	    "\"client_ip\":\"%s\"%s} \r\n", (unsigned long long)c->cid, c->ip,
	    ldm ? ",\"ldm\":true" : "");
	client_send(c, worker->info, worker->infolen);
	client_send(c, tail, n);
}

/* Send -ERR 'text'. */
void
client_send_err(struct client *c, const char *text)
{
	char	buf[512];
	int	n;

	n = snprintf(buf, sizeof(buf), "-ERR '%s'\r\n", text);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	log_debug("client %llu: -ERR '%s'", (unsigned long long)c->cid,
	    text);
	client_send(c, buf, n);
}

/*
 * Write what c has pending, as far as the socket takes it. Never frees
 * c, so it is safe in the middle of delivering. Returns 1 when all was
 * written, 0 when the rest waits for EV_WRITE, -1 when the connection
 * failed (c is then closing with nothing pending).
 */
static int
client_write(struct client *c)
{
	ssize_t	n;

	if (c->out_msgs != c->out_seen) {
		/* Deliveries are activity too, for /connz. */
		c->out_seen = c->out_msgs;
		c->last_ns = report_clock(CLOCK_REALTIME_COARSE);
	}
	while (c->ooff < c->olen) {
		n = write(c->fd, c->obuf + c->ooff, c->olen - c->ooff);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (c->stalled == 0)
				c->stalled = worker->now;
			if (!(c->flags & CLIENT_WANT_WRITE)) {
				c->flags |= CLIENT_WANT_WRITE;
				event_add(c->ev_write, NULL);
			}
			return (0);
		}
		if (n <= 0) {
			report_closed(c, "Write Error");
			c->olen = c->ooff = 0;
			c->flags |= CLIENT_CLOSING;
			event_del(c->ev_read);
			return (-1);
		}
		if (log_tracing())
			client_trace(c, "->>", c->obuf + c->ooff, n);
		c->ooff += n;
		client_below_mark(c);
	}
	c->olen = c->ooff = 0;
	c->stalled = 0;
	return (1);
}

/*
 * Write what c has pending. Returns 0 when all was written or the rest
 * waits for EV_WRITE, -1 when c was closed (c is then freed).
 */
int
client_flush(struct client *c)
{
	int	rv;

	rv = client_write(c);
	if (rv == 0)
		return (0);
	if (rv == 1)
		c->flags &= ~CLIENT_WANT_WRITE;
	if (c->flags & CLIENT_CLOSING) {
		client_free(c);
		return (-1);
	}
	return (0);
}

/* End of a loop turn: flush every client that got output. */
void
client_flush_all(struct worker *w)
{
	struct client	*c;

	while ((c = TAILQ_FIRST(&w->dirty)) != NULL) {
		TAILQ_REMOVE(&w->dirty, c, dirty);
		c->flags &= ~CLIENT_DIRTY;
		if (!(c->flags & CLIENT_WANT_WRITE))
			client_flush(c);
	}
}

static void
client_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct client	*c = arg;

	c->flags &= ~CLIENT_WANT_WRITE;
	client_flush(c);
}

/*
 * Close c after what is already queued for it (a final -ERR) has been
 * written. reason is logged; it is what /connz will report.
 */
void
client_close(struct client *c, const char *reason)
{
	if (c->flags & CLIENT_CLOSING)
		return;
	c->flags |= CLIENT_CLOSING;
	log_debug("client %llu: closing: %s", (unsigned long long)c->cid,
	    reason);
	report_closed(c, reason);
	event_del(c->ev_read);
	if (!(c->flags & CLIENT_DIRTY)) {
		c->flags |= CLIENT_DIRTY;
		TAILQ_INSERT_TAIL(&worker->dirty, c, dirty);
		worker_schedule_flush(worker);
	}
}

static void
client_free(struct client *c)
{
	struct worker	*w = worker;

	if (c->flags & CLIENT_DIRTY)
		TAILQ_REMOVE(&w->dirty, c, dirty);
	if (c->flags & CLIENT_STALLED)
		TAILQ_REMOVE(&w->stalled, c, stall);
	if ((c->flags & CLIENT_OVER) && --w->nover == 0) {
		client_unstall_all(w, 0);
		worker_schedule_flush(w);
	}
	sub_remove_all(c);
	TAILQ_REMOVE(&w->clients, c, entry);
	w->nclients--;
	stats_add(client_stats()->conns, -1);
	event_free(c->ev_read);
	event_free(c->ev_write);
	close(c->fd);
	free(c->rbuf);
	free(c->obuf);
	free(c->name);
	free(c->lang);
	free(c->version);
	free(c->user);
	free(c);
}

/* Close every client (stop, with reason for the log). */
void
client_close_all(struct worker *w, const char *reason)
{
	struct client	*c;

	TAILQ_FOREACH(c, &w->clients, entry)
		client_close(c, reason);
}

/*
 * Once a second: pings and stale connections, authentication timeouts,
 * stalled writers.
 */
void
client_tick(struct worker *w)
{
	const struct config	*cf = w->conf;
	struct client		*c, *t;
	int64_t			 ping_s = cf->ping_interval / 1000;

	TAILQ_FOREACH_SAFE(c, &w->clients, entry, t) {
		if (c->stalled != 0 && (c->flags & CLIENT_CLOSING) &&
		    (w->now - c->stalled) * 1000 >= cf->write_deadline) {
			/* Closing, and the peer reads nothing: drop it. */
			client_free(c);
			continue;
		}
		if (c->flags & CLIENT_CLOSING)
			continue;
		/*
		 * Give back a big output buffer once it has stayed empty for
		 * a tick: a busy subscriber keeps its buffer, so the hot path
		 * does not allocate, and an idle one costs little memory.
		 */
		if (c->osize > CLIENT_OBUF_KEEP && c->olen == 0 &&
		    !(c->flags & CLIENT_DIRTY)) {
			if (c->obuf_idle++ > 0) {
				free(c->obuf);
				c->obuf = NULL;
				c->osize = 0;
				c->obuf_idle = 0;
			}
		} else
			c->obuf_idle = 0;
		if (c->stalled != 0 &&
		    (w->now - c->stalled) * 1000 >= cf->write_deadline) {
			log_warnx("client %llu: slow consumer, write deadline "
			    "exceeded", (unsigned long long)c->cid);
			stats_add(client_stats()->slow_consumers, 1);
			c->olen = c->ooff = 0;
			c->flags &= ~CLIENT_WANT_WRITE;
			client_close(c, "Slow Consumer (Write Deadline)");
			continue;
		}
		if (!(c->flags & CLIENT_CONNECTED) &&
		    (c->parser.flags & PROTO_F_AUTH)) {
			if (worker_msec() - c->start_ms >=
			    (uint64_t)cf->auth_timeout) {
				client_send_err(c, "Authentication Timeout");
				client_close(c, "Authentication Timeout");
			}
			continue;
		}
		if (ping_s > 0 && w->now - c->last_ping >= ping_s) {
			if (c->pings_out + 1 > cf->ping_max) {
				client_send_err(c, "Stale Connection");
				client_close(c, "Stale Connection");
				continue;
			}
			c->pings_out++;
			c->last_ping = w->now;
			if (c->ping_sent == 0)
				c->ping_sent = report_clock(CLOCK_MONOTONIC);
			client_send(c, "PING\r\n", 6);
		}
	}
}

static void
client_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct client	*c = arg;
	ssize_t		 n;
	size_t		 space;
	uint64_t	 act;

	if (c->rlen == c->rsize) {
		/* A partial operation fills the buffer: grow it. */
		c->rsize *= 2;
		c->rbuf = xreallocarray(c->rbuf, 1, c->rsize);
	}
	space = c->rsize - c->rlen;
	n = read(fd, c->rbuf + c->rlen, space);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		log_debug("client %llu: %s", (unsigned long long)c->cid,
		    n == 0 ? "closed by peer" : strerror(errno));
		report_closed(c, n == 0 ? "Client Closed" : "Read Error");
		c->olen = c->ooff = 0;
		c->flags |= CLIENT_CLOSING;
		client_free(c);
		return;
	}
	if (log_tracing())
		client_trace(c, "<<-", c->rbuf + c->rlen, n);
	c->rlen += n;
	c->last_activity = worker->now;
	act = c->in_msgs + c->nsubs;
	client_input(c);
	/* Activity as nats-server counts it: messages, subscriptions. */
	if (c->in_msgs + c->nsubs != act)
		c->last_ns = report_clock(CLOCK_REALTIME_COARSE);
	if (c->flags & CLIENT_CLOSING)
		return;
	/*
	 * Adapt: a read that fills the space it had doubles the buffer;
	 * only a run of small reads halves it, so a steady stream settles
	 * on one size and stops reallocating.
	 */
	if ((size_t)n == space && c->rsize < CLIENT_RBUF_MAX) {
		c->rsize *= 2;
		c->rbuf = xreallocarray(c->rbuf, 1, c->rsize);
		c->rsmall = 0;
	} else if ((size_t)n < c->rsize / 4 && c->rsize > CLIENT_RBUF_MIN &&
	    c->rlen < c->rsize / 4) {
		if (++c->rsmall >= CLIENT_RBUF_SHRINK) {
			c->rsize /= 2;
			c->rbuf = xreallocarray(c->rbuf, 1, c->rsize);
			c->rsmall = 0;
		}
	} else
		c->rsmall = 0;
}

/*
 * Send nats-server's -ERR for err, with arg quoted where its text has a
 * %q, and close c when nats-server would.
 */
static void
client_error(struct client *c, enum proto_err err, const char *arg)
{
	char	buf[1024];
	size_t	n;
	int	fl = proto_errflags(err);

	if (fl & PROTO_ERRF_SEND) {
		n = proto_err_format(buf, sizeof(buf), err, arg,
		    arg != NULL ? strlen(arg) : 0, NULL, 0);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		log_debug("client %llu: -ERR '%s'", (unsigned long long)c->cid,
		    proto_errstr(err));
		client_send(c, buf, n);
	}
	if (fl & PROTO_ERRF_CLOSE)
		client_close(c, report_reason(err));
}

static void
client_ok(struct client *c)
{
	if (c->flags & CLIENT_VERBOSE)
		client_send(c, "+OK\r\n", 5);
}

static char *
client_strdup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/*
 * Does CONNECT's credential match the configuration? Token, single
 * user, or a users list; passwords in bcrypt form are checked with
 * crypt(3).
 */
static int
client_authenticate(struct client *c, const struct proto_connect *pc)
{
	const struct config_auth	*au = &worker->conf->auth;
	size_t				 i;

	if (!config_auth_required(worker->conf))
		return (0);
	if (au->token != NULL)
		return (pc->auth_token != NULL &&
		    strcmp(pc->auth_token, au->token) == 0 ? 0 : -1);
	if (au->user != NULL)
		return (pc->user != NULL && pc->pass != NULL &&
		    strcmp(pc->user, au->user) == 0 &&
		    auth_password_ok(pc->pass, au->password) ? 0 : -1);
	for (i = 0; i < au->nusers; i++) {
		if (au->users[i].user == NULL || pc->user == NULL ||
		    strcmp(au->users[i].user, pc->user) != 0)
			continue;
		return (pc->pass != NULL &&
		    auth_password_ok(pc->pass, au->users[i].password) ?
		    0 : -1);
	}
	return (-1);
}

static int
client_on_connect(void *arg, const char *json, size_t len)
{
	struct client		*c = arg;
	struct proto_connect	 pc;

	proto_connect_init(&pc);
	if (proto_connect_parse(json, len, &pc) == -1) {
		proto_connect_clear(&pc);
		client_error(c, PROTO_ERR_CONNECT_JSON, NULL);
		return (-1);
	}
	c->flags &= ~(CLIENT_VERBOSE | CLIENT_PEDANTIC | CLIENT_ECHO |
	    CLIENT_HEADERS | CLIENT_NO_RESPONDERS);
	c->flags |= (pc.verbose ? CLIENT_VERBOSE : 0) |
	    (pc.pedantic ? CLIENT_PEDANTIC : 0) | (pc.echo ? CLIENT_ECHO : 0) |
	    (pc.headers ? CLIENT_HEADERS : 0) |
	    (pc.no_responders ? CLIENT_NO_RESPONDERS : 0);
	free(c->name);
	free(c->lang);
	free(c->version);
	c->name = client_strdup(pc.name);
	c->lang = client_strdup(pc.lang);
	c->version = client_strdup(pc.version);
	free(c->user);
	/* /connz?auth=1 shows this, chosen as nats-server chooses. */
	c->user = client_strdup(pc.nkey != NULL ? pc.nkey : pc.user != NULL ?
	    pc.user : pc.auth_token);
	/* A first round-trip estimate, as nats-server makes it. */
	if (!(c->flags & CLIENT_CONNECTED) && c->rtt == 0)
		c->rtt = report_clock(CLOCK_REALTIME) - c->start_ns;
	if (!(c->flags & CLIENT_CONNECTED) &&
	    client_authenticate(c, &pc) == -1) {
		log_warnx("client %llu: authorization violation%s%s",
		    (unsigned long long)c->cid, pc.user ? " - user " : "",
		    pc.user ? pc.user : "");
		proto_connect_clear(&pc);
		client_error(c, PROTO_ERR_AUTH_VIOLATION, NULL);
		return (-1);
	}
	if (pc.protocol < 0 || pc.protocol > 1) {
		proto_connect_clear(&pc);
		client_error(c, PROTO_ERR_BAD_CLIENT_PROTOCOL, NULL);
		return (-1);
	}
	if (pc.no_responders && !pc.headers) {
		proto_connect_clear(&pc);
		client_error(c, PROTO_ERR_NO_RESPONDERS_HEADERS, NULL);
		return (-1);
	}
	proto_connect_clear(&pc);
	c->flags |= CLIENT_CONNECTED;
	c->last_ns = report_clock(CLOCK_REALTIME);
	c->parser.flags &= ~PROTO_F_AUTH;
	if (c->flags & CLIENT_HEADERS)
		c->parser.flags |= PROTO_F_HEADERS;
	else
		c->parser.flags &= ~PROTO_F_HEADERS;
	client_ok(c);
	return (0);
}

/*
 * A request on c that nobody could serve: a 503 status, if c has a
 * subscription for the reply. Out of line: a rare case with a big
 * stack buffer the publish path should not pay for.
 */
static __attribute__((__noinline__)) void
client_no_responders(struct client *c, const struct proto_msg *m)
{
	struct sub	*s;
	char		 line[1024];
	int		 n;

	s = client_sub_for_reply(c, m->reply.ptr, m->reply.len);
	if (s != NULL && m->reply.len < 512) {
		n = snprintf(line, sizeof(line),
		    "HMSG %.*s %s 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
		    (int)m->reply.len, m->reply.ptr, sub_sid(s));
		if (n > 0 && n < (int)sizeof(line))
			client_send(c, line, n);
	}
}

/*
 * PUB and HPUB: count, route, and answer a request nobody can serve
 * with a 503 status when the client asked for that.
 */
static int
client_on_pub(void *arg, const struct proto_msg *m)
{
	struct client	*c = arg;
	struct worker	*w = worker;

	if ((c->flags & CLIENT_PEDANTIC) &&
	    !subject_valid_literal(m->subject.ptr, m->subject.len))
		client_error(c, PROTO_ERR_INVALID_PUB_SUBJECT, NULL);
	c->in_msgs++;
	c->in_bytes += m->size;
	w->in_msgs++;
	w->in_bytes += m->size;
	client_ok(c);
	if (!msg_route(c, m) && m->reply.len > 0 &&
	    (c->flags & CLIENT_NO_RESPONDERS))
		client_no_responders(c, m);
	return ((c->flags & CLIENT_CLOSING) ? -1 : 0);
}

static int
client_on_sub(void *arg, const struct proto_sub *ps)
{
	struct client		*c = arg;
	const struct config	*cf = worker->conf;

	if (!subject_valid_sub(ps->subject.ptr, ps->subject.len) ||
	    (ps->queue.len > 0 && !queue_valid(ps->queue.ptr,
	    ps->queue.len))) {
		client_error(c, PROTO_ERR_INVALID_SUBJECT, NULL);
		return (0);
	}
	if (sub_find(c, ps->sid.ptr, ps->sid.len) != NULL) {
		/* nats-server ignores a repeated sid. */
		client_ok(c);
		return (0);
	}
	if (cf->max_subscriptions > 0 &&
	    c->nsubs >= (uint32_t)cf->max_subscriptions) {
		log_warnx("client %llu: maximum subscriptions exceeded",
		    (unsigned long long)c->cid);
		client_error(c, PROTO_ERR_MAX_SUBS, NULL);
		return (0);
	}
	if (sub_add(c, ps->subject.ptr, ps->subject.len, ps->queue.ptr,
	    ps->queue.len, ps->sid.ptr, ps->sid.len) == NULL) {
		if (errno == ENOMEM)
			log_warnx("client %llu: shared memory full, "
			    "subscription refused", (unsigned long long)c->cid);
		client_error(c, PROTO_ERR_INVALID_SUBJECT, NULL);
		return (0);
	}
	client_ok(c);
	return (0);
}

static int
client_on_unsub(void *arg, const struct proto_unsub *pu)
{
	struct client	*c = arg;
	struct sub	*s;

	if ((s = sub_find(c, pu->sid.ptr, pu->sid.len)) != NULL) {
		if (pu->max > 0 && (uint64_t)pu->max > s->delivered)
			s->max = pu->max;
		else
			sub_remove(s);
	}
	client_ok(c);
	return (0);
}

static int
client_on_ping(void *arg)
{
	struct client	*c = arg;

	client_send(c, "PONG\r\n", 6);
	return (0);
}

static int
client_on_pong(void *arg)
{
	struct client	*c = arg;

	c->pings_out = 0;
	if (c->ping_sent != 0) {
		c->rtt = report_clock(CLOCK_MONOTONIC) - c->ping_sent;
		c->ping_sent = 0;
	}
	return (0);
}

/* A client that sends -ERR is closed, as nats-server does. */
static int
client_on_err(void *arg, const char *text, size_t len)
{
	struct client	*c = arg;

	log_debug("client %llu: -ERR %.*s", (unsigned long long)c->cid,
	    (int)(len > 256 ? 256 : len), text);
	client_close(c, "Parse Error");
	return (-1);
}

static const struct proto_cb client_cb = {
	.on_connect = client_on_connect,
	.on_pub = client_on_pub,
	.on_sub = client_on_sub,
	.on_unsub = client_on_unsub,
	.on_ping = client_on_ping,
	.on_pong = client_on_pong,
	.on_err = client_on_err,
};

/*
 * Parse what c sent. Unconsumed bytes (an operation not yet complete)
 * move to the front of the buffer; the buffer grows to hold a payload
 * the parser says it needs.
 */
static void
client_input(struct client *c)
{
	ssize_t	n;
	size_t	left;

	c->parser.max_payload = worker->conf->max_payload;
	c->parser.max_control_line = worker->conf->max_control_line;
	n = proto_parse(&c->parser, c->rbuf, c->rlen, &client_cb, c);
	if (n == -1) {
		if (c->parser.err != PROTO_ERR_NONE) {
			log_debug("client %llu: %s", (unsigned long long)c->cid,
			    proto_errstr(c->parser.err));
			client_error(c, c->parser.err, NULL);
		}
		if (c->flags & CLIENT_CLOSING) {
			c->rlen = 0;
			return;
		}
		n = c->parser.consumed;
	}
	left = c->rlen - n;
	if (left > 0 && n > 0)
		memmove(c->rbuf, c->rbuf + n, left);
	c->rlen = left;
	if (c->parser.need > c->rsize) {
		c->rsize = c->parser.need;
		c->rbuf = xreallocarray(c->rbuf, 1, c->rsize);
	}
}

/* The client's own plain subscription matching reply, or NULL. */
struct sub *
client_sub_for_reply(struct client *c, const char *reply, size_t len)
{
	struct sub	*s;

	TAILQ_FOREACH(s, &c->subs, centry)
		if (s->qlen == 0 && subject_matches(sub_subject(s), s->slen,
		    reply, len))
			return (s);
	return (NULL);
}
