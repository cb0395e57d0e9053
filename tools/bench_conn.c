/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench_conn.c: natsd-bench's connections: non-blocking connect,
 * a read buffer parsed in place by worker/proto.c as a client would,
 * an output buffer written in big batches, and the dispatch of what
 * the server sends to the role of each connection.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "log.h"
#include "xmalloc.h"

static void	 bench_conn_close(struct bench_conn *);
static void	 bench_conn_read_cb(int, short, void *);
static void	 bench_conn_write_cb(int, short, void *);
static void	 bench_conn_lost(struct bench_conn *, const char *);
static void	 bench_conn_ready(struct bench_conn *);
static int	 bench_conn_on_msg(void *, const struct proto_msg *);
static int	 bench_conn_on_ping(void *);
static int	 bench_conn_on_pong(void *);
static int	 bench_conn_on_err(void *, const char *, size_t);

static const struct proto_cb bench_conn_cb = {
	.on_msg = bench_conn_on_msg,
	.on_ping = bench_conn_on_ping,
	.on_pong = bench_conn_on_pong,
	.on_err = bench_conn_on_err,
};

static const char *bench_conn_roles[] = {
	"publisher", "subscriber", "requester", "responder", "connection"
};

/*
 * Open a connection of the given role to the server, without waiting:
 * the socket is non-blocking and the CONNECT line is queued to go out
 * once connect(2) completes. The caller queues what else the role
 * needs, then PING (bench_conn_ping); the first PONG makes the
 * connection ready. Dies if no socket can be made. The run owns the
 * connection (b->conns) until bench_conn_close_all.
 */
struct bench_conn *
bench_conn_open(struct bench *b, enum bench_role role, int idx)
{
	struct bench_conn	*c;
	struct addrinfo		*ai = b->ai;
	int			 fd, on = 1, busy = role != BENCH_ROLE_IDLE;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd == -1)
		fatal("socket");
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == -1)
		fatal("setsockopt TCP_NODELAY");
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS)
		fatal("connect to %s:%s", b->opts->host, b->opts->port);

	c = xcalloc(1, sizeof(*c));
	c->b = b;
	c->fd = fd;
	c->role = role;
	c->idx = idx;
	c->flags = BENCH_CONN_CONNECTING;
	c->in_cap = busy ? BENCH_IN_SIZE : 1024;
	c->in = xmalloc(c->in_cap);
	c->out_cap = busy ? BENCH_OUT_SIZE : 256;
	if (role == BENCH_ROLE_PUB && c->out_cap < b->msg_len * 2 + 64)
		c->out_cap = b->msg_len * 2 + 64;
	c->out = xmalloc(c->out_cap);
	proto_init(&c->proto, PROTO_KIND_SERVER);
	event_assign(&c->rev, b->base, fd, EV_READ | EV_PERSIST,
	    bench_conn_read_cb, c);
	event_assign(&c->wev, b->base, fd, EV_WRITE | EV_PERSIST,
	    bench_conn_write_cb, c);
	if (event_add(&c->rev, NULL) == -1)
		fatalx("event_add failed");

	if (b->nconns == b->maxconns) {
		b->maxconns = b->maxconns ? b->maxconns * 2 : 16;
		b->conns = xreallocarray(b->conns, b->maxconns,
		    sizeof(*b->conns));
	}
	c->id = b->nconns;
	b->conns[b->nconns++] = c;

	bench_conn_send(c, b->opts->connect, strlen(b->opts->connect));
	bench_conn_want_write(c, 1);
	return (c);
}

/* Queue PING; its PONG is counted off c->pings. */
void
bench_conn_ping(struct bench_conn *c)
{
	bench_conn_send(c, "PING\r\n", 6);
	c->pings++;
}

/* Drop what was written from the front of the output buffer. */
void
bench_conn_compact(struct bench_conn *c)
{
	if (c->out_off == 0)
		return;
	memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
	c->out_len -= c->out_off;
	c->out_off = 0;
}

/*
 * Make room for len more bytes at the end of the output buffer, first
 * by dropping what was written, then by growing. Returns where they go;
 * the caller adds them to c->out_len.
 */
char *
bench_conn_reserve(struct bench_conn *c, size_t len)
{
	if (c->out_cap - c->out_len < len)
		bench_conn_compact(c);
	while (c->out_cap - c->out_len < len) {
		c->out = xreallocarray(c->out, 2, c->out_cap);
		c->out_cap *= 2;
	}
	return (c->out + c->out_len);
}

/* Queue bytes; bench_conn_flush or the write event sends them. */
void
bench_conn_send(struct bench_conn *c, const void *data, size_t len)
{
	memcpy(bench_conn_reserve(c, len), data, len);
	c->out_len += len;
}

void
bench_conn_sendf(struct bench_conn *c, const char *fmt, ...)
{
	va_list	 ap;
	char	 line[1024];
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		fatalx("line too long: %s", fmt);
	bench_conn_send(c, line, n);
}

/* Add or remove the write event; cheap when nothing changes. */
void
bench_conn_want_write(struct bench_conn *c, int on)
{
	if (on && !(c->flags & BENCH_CONN_WRITING)) {
		if (event_add(&c->wev, NULL) == -1)
			fatalx("event_add failed");
		c->flags |= BENCH_CONN_WRITING;
	} else if (!on && (c->flags & BENCH_CONN_WRITING)) {
		event_del(&c->wev);
		c->flags &= ~BENCH_CONN_WRITING;
	}
}

/*
 * One write of what is queued. A partial write leaves the rest for the
 * write event. Returns 0, or -1 if the connection is gone (the run is
 * then over; see bench_conn_lost).
 */
int
bench_conn_flush(struct bench_conn *c)
{
	ssize_t	 n;

	if (c->flags & BENCH_CONN_CONNECTING) {
		bench_conn_want_write(c, 1);
		return (0);
	}
	if (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR) {
				bench_conn_lost(c, strerror(errno));
				return (-1);
			}
		} else
			c->out_off += n;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		return (0);
	}
	bench_conn_want_write(c, 1);
	return (0);
}

/*
 * The socket is writable: finish connect(2) (dying if it failed: the
 * server is not there), let a publisher fill its buffer, write, and
 * drop the write event when nothing more is wanted.
 */
static void
bench_conn_write_cb(int fd, short ev, void *arg)
{
	struct bench_conn	*c = arg;
	struct bench		*b = c->b;
	int			 err = 0;
	socklen_t		 len = sizeof(err);

	if (c->flags & BENCH_CONN_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			fatal("getsockopt SO_ERROR");
		if (err != 0) {
			errno = err;
			fatal("connect to %s:%s", b->opts->host,
			    b->opts->port);
		}
		c->flags &= ~BENCH_CONN_CONNECTING;
	}
	if (c->role == BENCH_ROLE_PUB)
		bench_msg_fill(c);
	if (bench_conn_flush(c) == -1)
		return;
	if (c->out_off < c->out_len)
		return;
	if (c->role == BENCH_ROLE_PUB && b->phase == BENCH_PHASE_RUN &&
	    !(c->flags & (BENCH_CONN_BLOCKED | BENCH_CONN_DONE)))
		return;
	bench_conn_want_write(c, 0);
}

/*
 * Read once, parse every whole operation in the buffer, keep a partial
 * one at its start (growing it when a message is larger), then let the
 * role look at the batch and send what the callbacks queued.
 */
static void
bench_conn_read_cb(int fd, short ev, void *arg)
{
	struct bench_conn	*c = arg;
	ssize_t			 n;
	size_t			 want;

	if (c->in_len == c->in_cap || c->proto.need > c->in_cap) {
		want = c->in_cap * 2;
		if (want < c->proto.need)
			want = c->proto.need;
		c->in = xreallocarray(c->in, 1, want);
		c->in_cap = want;
	}
	n = read(fd, c->in + c->in_len, c->in_cap - c->in_len);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			bench_conn_lost(c, strerror(errno));
		return;
	}
	if (n == 0) {
		bench_conn_lost(c, "closed by the server");
		return;
	}
	c->in_len += n;
	if ((n = proto_parse(&c->proto, c->in, c->in_len, &bench_conn_cb,
	    c)) == -1)
		fatalx("%s %d: protocol error from the server: %s",
		    bench_conn_roles[c->role], c->idx,
		    proto_errstr(c->proto.err));
	c->in_len -= n;
	if (c->in_len > 0)
		memmove(c->in, c->in + n, c->in_len);
	if (c->role == BENCH_ROLE_SUB)
		bench_msg_after_read(c);
	if (c->out_off < c->out_len)
		bench_conn_flush(c);
}

/* The server closed the connection or it failed: the run is over. */
static void
bench_conn_lost(struct bench_conn *c, const char *why)
{
	struct bench	*b = c->b;

	event_del(&c->rev);
	bench_conn_want_write(c, 0);
	if (b->phase == BENCH_PHASE_DONE)
		return;
	log_warnx("%s %d: %s", bench_conn_roles[c->role], c->idx, why);
	b->errors++;
	bench_finish(b);
}

static int
bench_conn_on_msg(void *arg, const struct proto_msg *m)
{
	struct bench_conn	*c = arg;

	switch (c->role) {
	case BENCH_ROLE_SUB:
		return (bench_msg_on_msg(c, m));
	case BENCH_ROLE_REQ:
	case BENCH_ROLE_REP:
		return (bench_req_on_msg(c, m));
	default:
		log_warnx("%s %d: unexpected message on %.*s",
		    bench_conn_roles[c->role], c->idx, (int)m->subject.len,
		    m->subject.ptr);
		c->b->errors++;
		return (0);
	}
}

static int
bench_conn_on_ping(void *arg)
{
	bench_conn_send(arg, "PONG\r\n", 6);
	return (0);
}

static int
bench_conn_on_pong(void *arg)
{
	struct bench_conn	*c = arg;

	if (c->pings == 0) {
		log_warnx("%s %d: PONG without a PING",
		    bench_conn_roles[c->role], c->idx);
		c->b->errors++;
		return (0);
	}
	c->pings--;
	if (!(c->flags & BENCH_CONN_READY)) {
		c->flags |= BENCH_CONN_READY;
		bench_conn_ready(c);
	} else if (c->role == BENCH_ROLE_PUB)
		bench_msg_on_pong(c);
	return (0);
}

static int
bench_conn_on_err(void *arg, const char *text, size_t len)
{
	struct bench_conn	*c = arg;

	log_warnx("%s %d: -ERR %.*s", bench_conn_roles[c->role], c->idx,
	    (int)len, text);
	c->b->errors++;
	return (0);
}

/*
 * A connection is registered with the server (its first PONG came, so
 * its SUBs are in place). When all are, the run starts.
 */
static void
bench_conn_ready(struct bench_conn *c)
{
	struct bench	*b = c->b;

	if (c->role == BENCH_ROLE_IDLE) {
		bench_idle_ready(c);
		return;
	}
	if (++b->nready < b->nconns || b->phase != BENCH_PHASE_CONNECT)
		return;
	if (b->opts->mode == BENCH_MODE_REQREP)
		bench_req_start(b);
	else
		bench_msg_start(b);
}

static void
bench_conn_close(struct bench_conn *c)
{
	event_del(&c->rev);
	event_del(&c->wev);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c->last);
	free(c->slot_ns);
	free(c);
}

void
bench_conn_close_all(struct bench *b)
{
	int	 i;

	for (i = 0; i < b->nconns; i++)
		bench_conn_close(b->conns[i]);
	free(b->conns);
	b->conns = NULL;
	b->nconns = b->maxconns = 0;
}
