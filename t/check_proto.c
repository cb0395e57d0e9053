/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_proto.c: unit tests of worker/proto.c: every operation and
 * argument form of every kind, every malformed input nats-server refuses
 * (expected errors as observed from nats-server 2.9.10), and streams cut
 * at every point giving the trace a generator predicted.
 */

#include "config.h"

#include <sys/types.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "proto.h"

/*
 * For hot loops: in fork mode every passing check assertion writes to a
 * pipe, which costs seconds over millions of calls.
 */
#define CHK(c)	do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #c); \
} while (0)

/* A record of the callbacks, one line each; payloads as raw bytes. */
struct trace {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	int	 ncb;
	int	 stop_at;	/* callback number that returns -1; 0: none */
	struct proto *p;	/* to change flags from callbacks */
};

static void
tr_add(struct trace *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = realloc(t->buf, t->cap);
		CHK(t->buf != NULL);
	}
	if (n > 0)		/* s may be NULL then: an absent token */
		memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void __attribute__((__format__(printf, 2, 3)))
tr_addf(struct trace *t, const char *fmt, ...)
{
	char	 b[256];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	CHK(n < (int)sizeof(b));
	tr_add(t, b, n);
}

static void
tr_tok(struct trace *t, const struct proto_tok *k)
{
	tr_add(t, k->ptr, k->len);
	tr_add(t, "|", 1);
}

static int
tr_done(struct trace *t)
{
	t->ncb++;
	return (t->stop_at == t->ncb ? -1 : 0);
}

static int
cb_msg(void *arg, const struct proto_msg *m)
{
	struct trace	*t = arg;
	struct proto_tok q = m->queues, k;
	int		 n = 0;

	tr_addf(t, "%s ", proto_opname(m->op));
	tr_tok(t, &m->origin);
	tr_tok(t, &m->account);
	tr_tok(t, &m->subject);
	tr_tok(t, &m->sid);
	tr_tok(t, &m->reply);
	while (proto_tok_next(&q, &k)) {
		tr_add(t, "q=", 2);
		tr_tok(t, &k);
		n++;
	}
	CHK(n == m->nqueues);
	tr_addf(t, "%zd|%zu|", m->hdr_len, m->size);
	tr_add(t, m->payload, m->size);
	CHK(m->payload[m->size] == '\r');
	CHK(m->payload[m->size + 1] == '\n');
	tr_add(t, "\n", 1);
	return (tr_done(t));
}

static int
cb_sub(void *arg, const struct proto_sub *s)
{
	struct trace	*t = arg;

	tr_addf(t, "%s ", proto_opname(s->op));
	tr_tok(t, &s->origin);
	tr_tok(t, &s->account);
	tr_tok(t, &s->subject);
	tr_tok(t, &s->queue);
	tr_tok(t, &s->sid);
	tr_addf(t, "%d|", (int)s->weight);
	tr_tok(t, &s->raw);
	tr_add(t, "\n", 1);
	return (tr_done(t));
}

static int
cb_unsub(void *arg, const struct proto_unsub *u)
{
	struct trace	*t = arg;

	tr_addf(t, "%s ", proto_opname(u->op));
	tr_tok(t, &u->account);
	tr_tok(t, &u->subject);
	tr_tok(t, &u->queue);
	tr_tok(t, &u->sid);
	tr_addf(t, "%lld|", (long long)u->max);
	tr_tok(t, &u->raw);
	tr_add(t, "\n", 1);
	return (tr_done(t));
}

static int
cb_text(struct trace *t, const char *what, const char *s, size_t n)
{
	tr_addf(t, "%s ", what);
	tr_add(t, s, n);
	tr_add(t, "\n", 1);
	return (tr_done(t));
}

static int
cb_connect(void *arg, const char *s, size_t n)
{
	struct trace	*t = arg;

	/* What client.c will do once CONNECT was accepted. */
	if (t->p != NULL)
		t->p->flags &= ~PROTO_F_AUTH;
	return (cb_text(arg, "CONNECT", s, n));
}

static int
cb_info(void *arg, const char *s, size_t n)
{
	return (cb_text(arg, "INFO", s, n));
}

static int
cb_err(void *arg, const char *s, size_t n)
{
	return (cb_text(arg, "-ERR", s, n));
}

static int
cb_account(void *arg, enum proto_op op, const char *s, size_t n)
{
	return (cb_text(arg, proto_opname(op), s, n));
}

static int
cb_ping(void *arg)
{
	return (cb_text(arg, "PING", "", 0));
}

static int
cb_pong(void *arg)
{
	return (cb_text(arg, "PONG", "", 0));
}

static int
cb_ok(void *arg)
{
	return (cb_text(arg, "+OK", "", 0));
}

static const struct proto_cb tcb = {
	.on_connect = cb_connect,
	.on_info = cb_info,
	.on_pub = cb_msg,
	.on_msg = cb_msg,
	.on_sub = cb_sub,
	.on_unsub = cb_unsub,
	.on_account = cb_account,
	.on_ping = cb_ping,
	.on_pong = cb_pong,
	.on_ok = cb_ok,
	.on_err = cb_err,
};

/* A parse run over a stream, fed as a caller feeds it. */
struct run {
	struct proto	 p;
	struct trace	 t;
	enum proto_err	 err;
	int		 err_close;
	size_t		 err_abs;	/* offset of the error in the stream */
	size_t		 done;		/* stream bytes consumed */
	size_t		 kept;		/* left unconsumed at the end */
	size_t		 need;
	int		 stopped;
};

static void
run_init(struct run *r, enum proto_kind kind, int flags)
{
	memset(r, 0, sizeof(*r));
	proto_init(&r->p, kind);
	r->p.flags = flags;
	r->t.p = &r->p;
}

static void
run_free(struct run *r)
{
	free(r->t.buf);
}

/*
 * Feed s[0..len) as a reader would: chunk ends at cuts[0..ncuts), then
 * the end. The unconsumed tail moves to the front of the buffer before
 * the next chunk is appended. With waitneed the parser is not called
 * until p.need bytes are held; without it, a call holding fewer than the
 * previous p.need bytes must consume nothing. Returns 0 (all consumed),
 * 1 (bytes left over) or -1 (error or stop).
 */
static int
feed(struct run *r, const char *s, size_t len, const size_t *cuts,
    size_t ncuts, int waitneed)
{
	char	*buf;
	size_t	 kept = 0, off = 0, end, i, before, prevneed = 0;
	ssize_t	 n;

	buf = malloc(len + 1);
	CHK(buf != NULL);
	for (i = 0; i <= ncuts; i++) {
		end = i < ncuts ? cuts[i] : len;
		CHK(end >= off);
		memcpy(buf + kept, s + off, end - off);
		kept += end - off;
		off = end;
		if (kept == 0 || (waitneed && r->p.need > kept))
			continue;
		before = r->t.len;
		n = proto_parse(&r->p, buf, kept, &tcb, &r->t);
		if (n == -1) {
			r->err = r->p.err;
			r->err_close = r->p.err_close;
			r->err_abs = r->done + r->p.err_off;
			r->done += r->p.consumed;
			r->stopped = r->p.err == PROTO_ERR_NONE;
			free(buf);
			return (-1);
		}
		CHK((size_t)n <= kept);
		CHK((size_t)n == r->p.consumed);
		if (!waitneed && prevneed > kept) {
			CHK(n == 0);
			CHK(r->t.len == before);
		}
		prevneed = r->p.need;
		memmove(buf, buf + n, kept - n);
		kept -= n;
		r->done += n;
	}
	free(buf);
	r->kept = kept;
	r->need = r->p.need;
	return (kept == 0 ? 0 : 1);
}

/* Parse s whole, in one call. */
static int
parse1(struct run *r, const char *s)
{
	return (feed(r, s, strlen(s), NULL, 0, 0));
}

static int
parse1n(struct run *r, const char *s, size_t len)
{
	return (feed(r, s, len, NULL, 0, 0));
}

/*
 * Expect s, parsed by kind with flags, to give exactly trace: whole, cut
 * in two at every point, and fed byte by byte.
 */
static void
expect_trace(enum proto_kind kind, int flags, const char *s,
    const char *trace)
{
	struct run	 r;
	size_t		 len = strlen(s), i, *cuts;

	run_init(&r, kind, flags);
	ck_assert_msg(parse1(&r, s) == 0, "input \"%s\": err %s at %zu",
	    s, proto_errstr(r.err), r.err_abs);
	ck_assert_str_eq(r.t.buf != NULL ? r.t.buf : "", trace);
	run_free(&r);
	cuts = malloc((len + 1) * sizeof(*cuts));
	CHK(cuts != NULL);
	for (i = 0; i <= len; i++) {
		run_init(&r, kind, flags);
		CHK(feed(&r, s, len, &i, 1, 0) == 0);
		ck_assert_msg(strcmp(r.t.buf != NULL ? r.t.buf : "",
		    trace) == 0,
		    "input \"%s\" cut at %zu: \"%s\"", s, i, r.t.buf);
		run_free(&r);
		cuts[i] = i;
	}
	run_init(&r, kind, flags);
	CHK(feed(&r, s, len, cuts, len + 1, 0) == 0);
	ck_assert_msg(strcmp(r.t.buf != NULL ? r.t.buf : "", trace) == 0,
	    "input \"%s\" bytewise: \"%s\"", s, r.t.buf);
	run_free(&r);
	free(cuts);
}

/*
 * Expect s to fail with err at offset off after producing trace, whole
 * and cut in two at every point; the close flag is nats-server's.
 */
static void
expect_err(enum proto_kind kind, int flags, const char *s, size_t len,
    enum proto_err err, size_t off, const char *trace)
{
	struct run	 r;
	size_t		 i;

	run_init(&r, kind, flags);
	ck_assert_msg(parse1n(&r, s, len) == -1, "input \"%.*s\" passed",
	    (int)len, s);
	ck_assert_msg(r.err == err, "input \"%.*s\": got %s, want %s",
	    (int)len, s, proto_errstr(r.err), proto_errstr(err));
	ck_assert_int_eq(r.err_close, 1);
	ck_assert_uint_eq(r.err_abs, off);
	ck_assert_str_eq(r.t.buf != NULL ? r.t.buf : "", trace);
	run_free(&r);
	for (i = 0; i <= len; i++) {
		run_init(&r, kind, flags);
		CHK(feed(&r, s, len, &i, 1, 0) == -1);
		ck_assert_msg(r.err == err && r.err_abs == off,
		    "input \"%.*s\" cut at %zu: %s at %zu", (int)len, s, i,
		    proto_errstr(r.err), r.err_abs);
		CHK(strcmp(r.t.buf != NULL ? r.t.buf : "", trace) == 0);
		run_free(&r);
	}
}

#define C	PROTO_KIND_CLIENT
#define EXPECT_ERR(s, e, off, tr) \
	expect_err(C, PROTO_F_HEADERS, (s), strlen(s), (e), (off), (tr))

/* Client operations, every argument form. */

START_TEST(test_proto_parse_pub)
{
	expect_trace(C, 0, "PUB foo 3\r\nabc\r\n",
	    "PUB ||foo|||-1|3|abc\n");
	expect_trace(C, 0, "PUB foo bar 3\r\nabc\r\n",
	    "PUB ||foo||bar|-1|3|abc\n");
	expect_trace(C, 0, "pub foo 0\r\n\r\n", "PUB ||foo|||-1|0|\n");
	expect_trace(C, 0, "Pub\t\tfoo \t bar\t 2 \t\r\nhi\r\n",
	    "PUB ||foo||bar|-1|2|hi\n");
	/* A bare '\n' ends a control line (observed). */
	expect_trace(C, 0, "PUB foo 3\nabc\r\n", "PUB ||foo|||-1|3|abc\n");
	/* Leading zeroes, 9 digits. */
	expect_trace(C, 0, "PUB foo 000000003\r\nabc\r\n",
	    "PUB ||foo|||-1|3|abc\n");
	/* The payload may hold anything, protocol included. */
	expect_trace(C, 0, "PUB a 11\r\n\r\nPUB b 1\r\n\r\n",
	    "PUB ||a|||-1|11|\r\nPUB b 1\r\n\n");
}
END_TEST

START_TEST(test_proto_parse_hpub)
{
	expect_trace(C, PROTO_F_HEADERS,
	    "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n",
	    "HPUB ||foo|||12|14|NATS/1.0\r\n\r\nhi\n");
	expect_trace(C, PROTO_F_HEADERS,
	    "hpub\tfoo  r 12\t14\r\nNATS/1.0\r\n\r\nhi\r\n",
	    "HPUB ||foo||r|12|14|NATS/1.0\r\n\r\nhi\n");
	expect_trace(C, PROTO_F_HEADERS, "HPUB foo 0 0\r\n\r\n",
	    "HPUB ||foo|||0|0|\n");
	expect_trace(C, PROTO_F_HEADERS, "HPUB foo 2 2\r\nab\r\n",
	    "HPUB ||foo|||2|2|ab\n");
}
END_TEST

START_TEST(test_proto_parse_sub_unsub)
{
	expect_trace(C, 0, "SUB foo 1\r\n", "SUB ||foo||1|0|foo 1|\n");
	expect_trace(C, 0, "sub foo q 22\r\n",
	    "SUB ||foo|q|22|0|foo q 22|\n");
	expect_trace(C, 0, "SuB \t foo\t\tq  22 \r\n",
	    "SUB ||foo|q|22|0|foo\t\tq  22 |\n");
	expect_trace(C, 0, "SUB foo 1\n", "SUB ||foo||1|0|foo 1|\n");
	expect_trace(C, 0, "UNSUB 1\r\n", "UNSUB |||1|-1|1|\n");
	expect_trace(C, 0, "unsub\t1  5\r\n", "UNSUB |||1|5|1  5|\n");
	/* A max that is not a size counts as none (observed). */
	expect_trace(C, 0, "UNSUB 1 abc\r\n", "UNSUB |||1|-1|1 abc|\n");
	expect_trace(C, 0, "UNSUB 1 0\r\n", "UNSUB |||1|0|1 0|\n");
	expect_trace(C, 0, "UNSUB 1 1234567890\r\n",
	    "UNSUB |||1|-1|1 1234567890|\n");
}
END_TEST

START_TEST(test_proto_parse_simple_ops)
{
	expect_trace(C, 0, "PING\r\nPONG\r\nping\npong\n+OK\r\n+ok\r\n",
	    "PING \nPONG \nPING \nPONG \n+OK \n+OK \n");
	/* Anything up to the newline is ignored (observed). */
	expect_trace(C, 0, "PINGxyz\r\nPING \r\n+OKxyz\r\n",
	    "PING \nPING \n+OK \n");
	expect_trace(C, 0, "CONNECT {\"verbose\":false}\r\n",
	    "CONNECT {\"verbose\":false}\n");
	expect_trace(C, 0, "connect\t {}\r\n", "CONNECT {}\n");
	expect_trace(C, 0, "CONNECT{}\r\n", "CONNECT {}\n");
	/* The arguments start at the first non-blank byte, whatever it is. */
	expect_trace(C, 0, "CONNECT\r\n", "CONNECT \r\n");
	/*
	 * Nor is it read as a newline: "SUB \nfoo 1" subscribes to foo,
	 * "PUB \nfoo 2" publishes to "\nfoo" (observed).
	 */
	expect_trace(C, 0, "SUB \nfoo 1\r\n", "SUB ||foo||1|0|\nfoo 1|\n");
	expect_trace(C, 0, "PUB \nfoo 2\r\nhi\r\n",
	    "PUB ||\nfoo|||-1|2|hi\n");
	/* A bare '\r' does not end a PING's line (observed). */
	expect_trace(C, 0, "PING\rPING\r\n", "PING \n");
	expect_trace(C, 0, "INFO {\"a\":1}\r\n", "INFO {\"a\":1}\n");
	expect_trace(C, 0, "-ERR 'x y'\r\n", "-ERR 'x y'\n");
	expect_trace(C, 0, "-err\t'x'\n", "-ERR 'x'\n");
}
END_TEST

START_TEST(test_proto_parse_mixed)
{
	expect_trace(C, 0,
	    "CONNECT {}\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPING\r\nUNSUB 1\r\n",
	    "CONNECT {}\nSUB ||a||1|0|a 1|\nPUB ||a|||-1|1|x\nPING \n"
	    "UNSUB |||1|-1|1|\n");
}
END_TEST

/* Malformed input on a client connection, as nats-server answers it. */

START_TEST(test_proto_parse_unknown_op)
{
	/* "-ERR 'Unknown Protocol Operation'" and close, all observed. */
	EXPECT_ERR("FOO\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("PING\r\nFOO\r\n", PROTO_ERR_UNKNOWN_OP, 6, "PING \n");
	EXPECT_ERR(" PING\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("\r\nPING\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("SUBX foo 1\r\n", PROTO_ERR_UNKNOWN_OP, 3, "");
	EXPECT_ERR("PUBX foo 1\r\n", PROTO_ERR_UNKNOWN_OP, 3, "");
	EXPECT_ERR("SUB\r\n", PROTO_ERR_UNKNOWN_OP, 3, "");
	EXPECT_ERR("UNSUB\r\n", PROTO_ERR_UNKNOWN_OP, 5, "");
	EXPECT_ERR("PIN\r\n", PROTO_ERR_UNKNOWN_OP, 3, "");
	EXPECT_ERR("-ERR\r\n", PROTO_ERR_UNKNOWN_OP, 4, "");
	EXPECT_ERR("+KO\r\n", PROTO_ERR_UNKNOWN_OP, 1, "");
	EXPECT_ERR("PX", PROTO_ERR_UNKNOWN_OP, 1, "");
	/* Peer and server-side operations are unknown from a client. */
	EXPECT_ERR("MSG foo 1 2\r\nhi\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("HMSG foo 1 2 2\r\nhi\r\n", PROTO_ERR_UNKNOWN_OP, 1, "");
	EXPECT_ERR("RS+ $G foo\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("LS+ foo\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	EXPECT_ERR("A+ foo\r\n", PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(C, 0, "\0PING\r\n", 7, PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(C, 0, "\x0bOK\r\n", 5, PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(C, 0, "P\xd5" "B a 0\r\n", 9, PROTO_ERR_UNKNOWN_OP, 1,
	    "");
}
END_TEST

START_TEST(test_proto_parse_bad_trailer)
{
	/* The payload's "\r\n" is checked byte by byte (observed). */
	EXPECT_ERR("PUB foo 3\r\nabcd\r\nPING\r\n", PROTO_ERR_UNKNOWN_OP,
	    14, "");
	EXPECT_ERR("PUB foo 3\r\nab\r\nPING\r\n", PROTO_ERR_UNKNOWN_OP, 14,
	    "");
	EXPECT_ERR("PUB foo 3\r\nabc\nPING\r\n", PROTO_ERR_UNKNOWN_OP, 14,
	    "");
	EXPECT_ERR("PUB foo 3\r\nabc\r\rPING\r\n", PROTO_ERR_UNKNOWN_OP, 15,
	    "");
	EXPECT_ERR("PUB foo 0\r\nPING\r\n", PROTO_ERR_UNKNOWN_OP, 11, "");
	/* Found as soon as the wrong byte is there, payload incomplete. */
	EXPECT_ERR("PUB foo 3\r\nabcX", PROTO_ERR_UNKNOWN_OP, 14, "");
	EXPECT_ERR("HPUB foo 1 3\r\nabc\rX", PROTO_ERR_UNKNOWN_OP, 18, "");
}
END_TEST

START_TEST(test_proto_parse_pub_args)
{
	/* All close without an -ERR (observed). */
	EXPECT_ERR("PUB foo\r\n", PROTO_ERR_PUB_ARGS, 4, "");
	EXPECT_ERR("PUB foo bar baz 3\r\n", PROTO_ERR_PUB_ARGS, 4, "");
	EXPECT_ERR("PUB \r\n", PROTO_ERR_PUB_ARGS, 4, "");
	EXPECT_ERR("PUB foo x\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo -1\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo +1\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo 1x\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo 1234567890\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo 99999999999999999999999\r\n", PROTO_ERR_PUB_SIZE,
	    4, "");
	/* PUB splits on blanks only, so a stray '\r' sticks to a token. */
	EXPECT_ERR("PUB foo 3\r\r\n", PROTO_ERR_PUB_SIZE, 4, "");
	EXPECT_ERR("PUB foo 3\r \r\n", PROTO_ERR_PUB_SIZE, 4, "");
	/* A size of 999999999 parses, then is over max_payload. */
	EXPECT_ERR("PUB foo 999999999\r\n", PROTO_ERR_MAX_PAYLOAD, 4, "");
	EXPECT_ERR("PUB foo 1048577\r\n", PROTO_ERR_MAX_PAYLOAD, 4, "");
	EXPECT_ERR("PUB foo bar 1048577\r\n", PROTO_ERR_MAX_PAYLOAD, 4, "");
}
END_TEST

START_TEST(test_proto_parse_hpub_args)
{
	EXPECT_ERR("HPUB foo 14 12\r\n", PROTO_ERR_HPUB_HDR_OVER, 5, "");
	EXPECT_ERR("HPUB foo x 12\r\n", PROTO_ERR_HPUB_HDR_SIZE, 5, "");
	EXPECT_ERR("HPUB foo -1 12\r\n", PROTO_ERR_HPUB_HDR_SIZE, 5, "");
	EXPECT_ERR("HPUB foo 12 x\r\n", PROTO_ERR_HPUB_SIZE, 5, "");
	EXPECT_ERR("HPUB foo 1 1234567890\r\n", PROTO_ERR_HPUB_SIZE, 5, "");
	EXPECT_ERR("HPUB foo 12\r\n", PROTO_ERR_HPUB_ARGS, 5, "");
	EXPECT_ERR("HPUB foo a b 12 14 1\r\n", PROTO_ERR_HPUB_ARGS, 5, "");
	EXPECT_ERR("HPUB foo 12 1048577\r\n", PROTO_ERR_MAX_PAYLOAD, 5, "");
	EXPECT_ERR("HPUB foo 1048577 1048577\r\n", PROTO_ERR_MAX_PAYLOAD, 5,
	    "");
	/* Before CONNECT {"headers":true}: closed silently (observed). */
	expect_err(C, 0, "HPUB foo 12 14\r\n", 16,
	    PROTO_ERR_HEADERS_NOT_SUPPORTED, 5, "");
}
END_TEST

START_TEST(test_proto_parse_sub_args)
{
	EXPECT_ERR("SUB foo\r\n", PROTO_ERR_SUB_ARGS, 4, "");
	EXPECT_ERR("SUB foo q 1 x\r\n", PROTO_ERR_SUB_ARGS, 4, "");
	EXPECT_ERR("SUB \r\n", PROTO_ERR_SUB_ARGS, 4, "");
	EXPECT_ERR("UNSUB 1 2 3\r\n", PROTO_ERR_UNSUB_ARGS, 6, "");
	EXPECT_ERR("UNSUB \r\n", PROTO_ERR_UNSUB_ARGS, 6, "");
}
END_TEST

START_TEST(test_proto_parse_max_control_line)
{
	static char	 s[8192];
	struct run	 r;

	/* 4096 bytes of arguments pass, 4097 fail (observed). */
	memset(s, 'a', sizeof(s));
	memcpy(s, "PUB ", 4);
	memcpy(s + 4 + 4094, " 0\r\n\r\nPING\r\n", 12);
	run_init(&r, C, 0);
	ck_assert_int_eq(parse1n(&r, s, 4 + 4096 + 10), 0);
	ck_assert_int_eq(r.t.ncb, 2);
	run_free(&r);
	memcpy(s + 4 + 4095, " 0\r\n\r\nPING\r\n", 12);
	expect_err(C, 0, s, 4 + 4097 + 10, PROTO_ERR_MAX_CONTROL_LINE, 4, "");

	/* Without a newline: at once when over, waiting when not. */
	memset(s, 'a', sizeof(s));
	memcpy(s, "PUB ", 4);
	expect_err(C, 0, s, 4 + 4097, PROTO_ERR_MAX_CONTROL_LINE, 4, "");
	run_init(&r, C, 0);
	ck_assert_int_eq(parse1n(&r, s, 4 + 4096), 1);
	ck_assert_uint_eq(r.done, 4);
	ck_assert_uint_eq(r.kept, 4096);
	ck_assert_uint_eq(r.need, 4097);
	run_free(&r);
	/* A '\r' among them is not counted (observed: stays open). */
	s[4 + 4096] = '\r';
	run_init(&r, C, 0);
	ck_assert_int_eq(parse1n(&r, s, 4 + 4097), 1);
	run_free(&r);
	s[4 + 4096] = 'a';

	/* Same for CONNECT (observed) and SUB. */
	memset(s, ' ', sizeof(s));
	memcpy(s, "CONNECT {", 9);
	memcpy(s + 9 + 5000, "}\r\n", 3);
	expect_err(C, 0, s, 9 + 5003, PROTO_ERR_MAX_CONTROL_LINE, 8, "");
	memset(s, 'a', sizeof(s));
	memcpy(s, "SUB ", 4);
	memcpy(s + 4 + 4095, " 1\r\n", 4);
	expect_err(C, 0, s, 4 + 4099, PROTO_ERR_MAX_CONTROL_LINE, 4, "");

	/* Blanks before the arguments do not count (observed). */
	memset(s, ' ', sizeof(s));
	memcpy(s, "PUB", 3);
	memcpy(s + 3 + 5000, "foo 0\r\n\r\n", 10);
	s[3 + 5010] = '\0';
	expect_trace(C, 0, s, "PUB ||foo|||-1|0|\n");

	/* PING ignores anything up to its newline, however long. */
	memset(s, 'x', sizeof(s));
	memcpy(s, "PING", 4);
	run_init(&r, C, 0);
	ck_assert_int_eq(parse1n(&r, s, sizeof(s)), 0);
	ck_assert_int_eq(r.t.ncb, 0);
	ck_assert_int_eq(parse1n(&r, "\nPING\r\n", 7), 0);
	ck_assert_str_eq(r.t.buf, "PING \nPING \n");
	run_free(&r);
}
END_TEST

START_TEST(test_proto_parse_limits_runtime)
{
	struct run	 r;

	run_init(&r, C, 0);
	r.p.max_payload = 3;
	ck_assert_int_eq(parse1(&r, "PUB a 3\r\nabc\r\nPUB a 4\r\n"), -1);
	ck_assert_int_eq(r.err, PROTO_ERR_MAX_PAYLOAD);
	ck_assert_uint_eq(r.err_abs, 18);
	ck_assert_str_eq(r.t.buf, "PUB ||a|||-1|3|abc\n");
	run_free(&r);

	run_init(&r, C, 0);
	r.p.max_payload = -1;
	ck_assert_int_eq(parse1(&r, "PUB a 999999999\r\n"), 1);
	ck_assert_uint_eq(r.need, 999999999 + 2 + 13);
	run_free(&r);

	run_init(&r, C, 0);
	r.p.max_control_line = 5;
	ck_assert_int_eq(parse1(&r, "PUB a 3\r\nabc\r\nPUB abcd 3\r\n"), -1);
	ck_assert_int_eq(r.err, PROTO_ERR_MAX_CONTROL_LINE);
	ck_assert_uint_eq(r.err_abs, 18);
	run_free(&r);

	run_init(&r, C, 0);
	r.p.max_control_line = 0;
	{
		static char	 s[100000];

		memset(s, 'a', sizeof(s) - 1);
		memcpy(s, "SUB ", 4);
		memcpy(s + sizeof(s) - 5, " 1\r\n", 4);
		ck_assert_int_eq(parse1(&r, s), 0);
		ck_assert_int_eq(r.t.ncb, 1);
	}
	run_free(&r);
}
END_TEST

START_TEST(test_proto_parse_auth)
{
	struct run	 r;

	/* While auth is pending only CONNECT passes (observed). */
	expect_err(C, PROTO_F_AUTH, "PING\r\n", 6, PROTO_ERR_AUTH_VIOLATION,
	    0, "");
	expect_err(C, PROTO_F_AUTH, "XYZ\r\n", 5, PROTO_ERR_AUTH_VIOLATION,
	    0, "");
	expect_err(C, PROTO_F_AUTH, "CX\r\n", 4, PROTO_ERR_UNKNOWN_OP, 1, "");

	/* Once on_connect accepts (clears the flag), the rest goes on. */
	run_init(&r, C, PROTO_F_AUTH);
	ck_assert_int_eq(parse1(&r, "CONNECT {}\r\nPING\r\n"), 0);
	ck_assert_str_eq(r.t.buf, "CONNECT {}\nPING \n");
	run_free(&r);
}
END_TEST

START_TEST(test_proto_parse_stop)
{
	struct run	 r;

	/* A callback returning -1 stops after its operation. */
	run_init(&r, C, 0);
	r.t.stop_at = 2;
	ck_assert_int_eq(parse1(&r, "PING\r\nPUB a 1\r\nx\r\nPING\r\n"), -1);
	ck_assert(r.stopped);
	ck_assert_int_eq(r.err, PROTO_ERR_NONE);
	ck_assert_uint_eq(r.done, 18);
	ck_assert_str_eq(r.t.buf, "PING \nPUB ||a|||-1|1|x\n");
	run_free(&r);

	run_init(&r, C, 0);
	r.t.stop_at = 1;
	ck_assert_int_eq(parse1(&r, "SUB a 1\r\nPING\r\n"), -1);
	ck_assert_uint_eq(r.done, 9);
	run_free(&r);

	run_init(&r, C, 0);
	r.t.stop_at = 1;
	ck_assert_int_eq(parse1(&r, "PING\r\nPING\r\n"), -1);
	ck_assert_uint_eq(r.done, 6);
	run_free(&r);
}
END_TEST

START_TEST(test_proto_parse_need)
{
	struct trace	 tr = { 0 };
	struct proto	 p;
	static char	 s[200000];
	size_t		 n;
	ssize_t		 rv;

	/*
	 * A large payload: the name is consumed, the arguments kept, and
	 * the whole operation asked for at once.
	 */
	proto_init(&p, C);
	n = snprintf(s, sizeof(s), "PING\r\nPUB foo r 100000\r\n");
	memset(s + n, 'z', 10);
	rv = proto_parse(&p, s, n + 10, &tcb, &tr);
	ck_assert_int_eq(rv, 10);
	ck_assert_uint_eq(p.need, 14 + 100000 + 2);
	/* Fewer bytes than asked for: no progress. */
	rv = proto_parse(&p, s + 10, n, &tcb, &tr);
	ck_assert_int_eq(rv, 0);
	ck_assert_uint_eq(p.need, 14 + 100000 + 2);
	memset(s + n, 'z', 100000);
	memcpy(s + n + 100000, "\r\n", 2);
	{
		struct trace	 t = { 0 };

		rv = proto_parse(&p, s + 10, 14 + 100002, &tcb, &t);
		ck_assert_int_eq(rv, 14 + 100002);
		ck_assert_int_eq(t.ncb, 1);
		ck_assert_uint_eq(p.need, 0);
		free(t.buf);
	}
	/* A partial control line asks for one more byte. */
	proto_init(&p, C);
	rv = proto_parse(&p, "SUB foo", 7, &tcb, &tr);
	ck_assert_int_eq(rv, 4);
	ck_assert_uint_eq(p.need, 4);
	/* A partial name is kept whole. */
	proto_init(&p, C);
	rv = proto_parse(&p, "UNSU", 4, &tcb, &tr);
	ck_assert_int_eq(rv, 0);
	ck_assert_uint_eq(p.need, 5);
	ck_assert_str_eq(tr.buf, "PING \n");
	free(tr.buf);
}
END_TEST

/* Peers and the client side. */

#define R	PROTO_KIND_ROUTE
#define G	PROTO_KIND_GATEWAY
#define L	PROTO_KIND_LEAF
#define SV	PROTO_KIND_SERVER

START_TEST(test_proto_parse_route)
{
	expect_trace(R, 0, "RS+ $G foo\r\n", "RS+ |$G|foo|||0|$G foo|\n");
	expect_trace(R, 0, "rs+ $G foo q 3\r\n",
	    "RS+ |$G|foo|q||3|$G foo q 3|\n");
	expect_trace(R, 0, "RS+ $G foo q x\r\n",
	    "RS+ |$G|foo|q||-1|$G foo q x|\n");
	expect_trace(R, 0, "LS+ C1 $G foo\r\n",
	    "LS+ C1|$G|foo|||0|C1 $G foo|\n");
	expect_trace(R, 0, "LS+ C1 $G foo q 2\r\n",
	    "LS+ C1|$G|foo|q||2|C1 $G foo q 2|\n");
	expect_trace(R, 0, "RS- $G foo\r\nLS- $G foo q\r\n",
	    "RS- $G|foo|||-1|$G foo|\nLS- $G|foo|q||-1|$G foo q|\n");
	expect_trace(R, 0, "RMSG $G foo 2\r\nhi\r\n",
	    "RMSG |$G|foo|||-1|2|hi\n");
	expect_trace(R, 0, "RMSG $G foo r 2\r\nhi\r\n",
	    "RMSG |$G|foo||r|-1|2|hi\n");
	expect_trace(R, 0, "RMSG $G foo + r q1 q2 2\r\nhi\r\n",
	    "RMSG |$G|foo||r|q=q1|q=q2|-1|2|hi\n");
	expect_trace(R, 0, "RMSG $G foo | q1 2\r\nhi\r\n",
	    "RMSG |$G|foo|||q=q1|-1|2|hi\n");
	expect_trace(R, 0, "RMSG $G foo + r 2\r\nhi\r\n",
	    "RMSG |$G|foo||r|-1|2|hi\n");
	expect_trace(R, 0, "HMSG $G foo 2 3\r\nabc\r\n",
	    "HMSG |$G|foo|||2|3|abc\n");
	expect_trace(R, 0, "HMSG $G foo r 2 3\r\nabc\r\n",
	    "HMSG |$G|foo||r|2|3|abc\n");
	expect_trace(R, 0, "HMSG $G foo | q1 q2 q3 2 3\r\nabc\r\n",
	    "HMSG |$G|foo|||q=q1|q=q2|q=q3|2|3|abc\n");
	expect_trace(R, 0, "LMSG C1 $G foo 0 1\r\nx\r\n",
	    "LMSG C1|$G|foo|||0|1|x\n");
	expect_trace(R, 0, "LMSG C1 $G foo r 0 1\r\nx\r\n",
	    "LMSG C1|$G|foo||r|0|1|x\n");
	expect_trace(R, 0, "LMSG C1 $G foo + r q 0 1\r\nx\r\n",
	    "LMSG C1|$G|foo||r|q=q|0|1|x\n");
	expect_trace(R, 0, "A+ acc\r\nA- acc\r\n", "A+ acc\nA- acc\n");
	expect_trace(R, 0, "CONNECT {}\r\nINFO {}\r\nPING\r\n-ERR 'x'\r\n",
	    "CONNECT {}\nINFO {}\nPING \n-ERR 'x'\n");
	/* Routes have no payload limit in nats-server. */
	expect_trace(R, 0, "RMSG $G foo 0\r\n\r\n", "RMSG |$G|foo|||-1|0|\n");
}
END_TEST

START_TEST(test_proto_parse_route_errors)
{
	expect_err(R, 0, "RS+ $G\r\n", 8, PROTO_ERR_RSUB_ARGS, 4, "");
	expect_err(R, 0, "RS+ $G foo q\r\n", 14, PROTO_ERR_RSUB_ARGS, 4, "");
	expect_err(R, 0, "LS+ $G foo\r\n", 12, PROTO_ERR_RSUB_ARGS, 4, "");
	expect_err(R, 0, "RS- $G\r\n", 8, PROTO_ERR_RUNSUB_ARGS, 4, "");
	expect_err(R, 0, "RS- a b c d\r\n", 13, PROTO_ERR_RUNSUB_ARGS, 4,
	    "");
	expect_err(R, 0, "RMSG $G 2\r\n", 11, PROTO_ERR_MSG_ARGS, 5, "");
	expect_err(R, 0, "RMSG $G foo x\r\n", 15, PROTO_ERR_MSG_SIZE, 5,
	    "");
	expect_err(R, 0, "RMSG $G foo ++ r q 2\r\n", 22,
	    PROTO_ERR_MSG_REPLY_IND, 5, "");
	expect_err(R, 0, "RMSG $G foo * r q 2\r\n", 21,
	    PROTO_ERR_MSG_REPLY_IND, 5, "");
	expect_err(R, 0, "HMSG $G foo 3\r\n", 15, PROTO_ERR_MSG_ARGS, 5, "");
	expect_err(R, 0, "HMSG $G foo x 3\r\n", 17, PROTO_ERR_MSG_HDR_SIZE,
	    5, "");
	expect_err(R, 0, "HMSG $G foo 4 3\r\n", 17, PROTO_ERR_MSG_HDR_OVER,
	    5, "");
	expect_err(R, 0, "LMSG C1 $G foo 3\r\n", 18, PROTO_ERR_MSG_ARGS, 5,
	    "");
	/* Client operations are not taken from peers. */
	expect_err(R, 0, "PUB foo 1\r\nx\r\n", 14, PROTO_ERR_UNKNOWN_OP, 1,
	    "");
	expect_err(R, 0, "SUB foo 1\r\n", 11, PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(R, 0, "MSG foo 1 1\r\n", 13, PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(R, 0, "RX\r\n", 4, PROTO_ERR_UNKNOWN_OP, 1, "");
	expect_err(R, 0, "RS*\r\n", 5, PROTO_ERR_UNKNOWN_OP, 2, "");
	expect_err(R, 0, "AX\r\n", 4, PROTO_ERR_UNKNOWN_OP, 1, "");
}
END_TEST

START_TEST(test_proto_parse_gateway_leaf)
{
	expect_trace(G, 0, "RS+ $G foo\r\nRS- $G foo q\r\n",
	    "RS+ |$G|foo|||0|$G foo|\nRS- $G|foo|q||-1|$G foo q|\n");
	expect_trace(G, 0, "RMSG $G foo | q 2\r\nhi\r\nA+ acc\r\nAu acc\r\n",
	    "RMSG |$G|foo|||q=q|-1|2|hi\nA+ acc\nA- acc\n");
	expect_err(G, 0, "LS+ $G foo\r\n", 12, PROTO_ERR_UNKNOWN_OP, 0, "");
	expect_err(G, 0, "LMSG $G foo 1\r\n", 15, PROTO_ERR_UNKNOWN_OP, 0,
	    "");

	expect_trace(L, 0, "LS+ foo\r\nLS+ foo q 5\r\nLS- foo\r\nLS- foo q\r\n",
	    "LS+ ||foo|||0|foo|\nLS+ ||foo|q||5|foo q 5|\n"
	    "LS- |foo|||-1|foo|\nLS- |foo|q||-1|foo q|\n");
	/* A leaf reads RS+ and RMSG as LS+ and LMSG. */
	expect_trace(L, 0, "RS+ foo\r\nRMSG foo 1\r\nx\r\n",
	    "RS+ ||foo|||0|foo|\nRMSG ||foo|||-1|1|x\n");
	expect_trace(L, 0, "LMSG foo 1\r\nx\r\nLMSG foo r 1\r\nx\r\n"
	    "LMSG foo + r q1 q2 1\r\nx\r\nLMSG foo | q1 1\r\nx\r\n",
	    "LMSG ||foo|||-1|1|x\nLMSG ||foo||r|-1|1|x\n"
	    "LMSG ||foo||r|q=q1|q=q2|-1|1|x\nLMSG ||foo|||q=q1|-1|1|x\n");
	expect_trace(L, 0, "HMSG foo 1 2\r\nxy\r\nHMSG foo r 1 2\r\nxy\r\n"
	    "HMSG foo | q 1 2\r\nxy\r\n",
	    "HMSG ||foo|||1|2|xy\nHMSG ||foo||r|1|2|xy\n"
	    "HMSG ||foo|||q=q|1|2|xy\n");
	expect_err(L, 0, "LS+ foo q\r\n", 11, PROTO_ERR_RSUB_ARGS, 4, "");
	expect_err(L, 0, "LMSG foo\r\n", 10, PROTO_ERR_MSG_ARGS, 5, "");
	expect_err(L, 0, "HMSG foo 1\r\n", 12, PROTO_ERR_MSG_ARGS, 5, "");
}
END_TEST

START_TEST(test_proto_parse_server)
{
	expect_trace(SV, 0, "INFO {\"server_id\":\"x\"}\r\nMSG foo 1 2\r\nhi"
	    "\r\nMSG foo 1 r 0\r\n\r\nHMSG foo 22 1 3\r\nabc\r\n"
	    "HMSG foo 22 r 1 3\r\nabc\r\n+OK\r\nPING\r\nPONG\r\n-ERR 'x'\r\n",
	    "INFO {\"server_id\":\"x\"}\n"
	    "MSG ||foo|1||-1|2|hi\nMSG ||foo|1|r|-1|0|\n"
	    "HMSG ||foo|22||1|3|abc\nHMSG ||foo|22|r|1|3|abc\n"
	    "+OK \nPING \nPONG \n-ERR 'x'\n");
	expect_err(SV, 0, "MSG foo 1\r\n", 11, PROTO_ERR_MSG_ARGS, 4, "");
	expect_err(SV, 0, "MSG foo 1 r q 2\r\n", 17, PROTO_ERR_MSG_ARGS, 4,
	    "");
	expect_err(SV, 0, "MSG foo 1 x\r\n", 13, PROTO_ERR_MSG_SIZE, 4, "");
	expect_err(SV, 0, "HMSG foo 1 3 2\r\n", 16, PROTO_ERR_MSG_HDR_OVER,
	    5, "");
	expect_err(SV, 0, "PUB foo 1\r\n", 11, PROTO_ERR_UNKNOWN_OP, 1, "");
	expect_err(SV, 0, "CONNECT {}\r\n", 12, PROTO_ERR_UNKNOWN_OP, 0, "");
}
END_TEST

/*
 * A generator of random operation streams that also writes the trace the
 * parser must give for them; the expectation comes from what was
 * generated, not from the parser.
 */
struct gen {
	struct trace	 s;	/* the wire bytes */
	struct trace	 t;	/* the expected trace */
	uint64_t	 rng;
};

static uint32_t
gen_rand(struct gen *g, uint32_t n)
{
	g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((uint32_t)(g->rng >> 33) % n);
}

static void
gen_name(struct gen *g, const char *name)
{
	char	 c;

	for (; *name != '\0'; name++) {
		c = *name;
		if (c >= 'A' && c <= 'Z' && gen_rand(g, 2))
			c |= 0x20;
		tr_add(&g->s, &c, 1);
	}
}

static void
gen_blanks(struct gen *g, int min)
{
	int	 i, n = min + gen_rand(g, 3);

	for (i = 0; i < n; i++)
		tr_add(&g->s, gen_rand(g, 4) == 0 ? "\t" : " ", 1);
}

static void
gen_eol(struct gen *g)
{
	if (gen_rand(g, 5) == 0)
		tr_add(&g->s, "\n", 1);
	else
		tr_add(&g->s, "\r\n", 2);
}

static void
gen_payload(struct gen *g, char *b, size_t n)
{
	static const char	 alpha[] = "ab\r\nPUB \t0";
	size_t			 i;

	for (i = 0; i < n; i++)
		b[i] = alpha[gen_rand(g, sizeof(alpha) - 1)];
	if (n >= 16 && gen_rand(g, 2))
		memcpy(b + gen_rand(g, n - 15), "\r\nPUB foo 3\r\nabc", 16);
	if (n >= 6 && gen_rand(g, 2))
		memcpy(b + n - 6, "\r\nPUB ", 6);
}

/* One client operation, written and predicted. */
static void
gen_client_op(struct gen *g, int i)
{
	static char	 pay[20000];
	char		 subj[32], reply[32], sid[16], q[16], line[128];
	size_t		 size, hdr;
	int		 hasreply, op = gen_rand(g, 10), n;

	snprintf(subj, sizeof(subj), "foo.%d", i);
	snprintf(reply, sizeof(reply), "_INBOX.%u", gen_rand(g, 1000));
	snprintf(sid, sizeof(sid), "%d", i);
	snprintf(q, sizeof(q), "q%u", gen_rand(g, 9));
	hasreply = gen_rand(g, 2);
	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3:
		size = gen_rand(g, 8) == 0 ? 2000 + gen_rand(g, 9000) :
		    gen_rand(g, 40);
		gen_payload(g, pay, size);
		if (op == 3) {
			hdr = gen_rand(g, size + 1);
			gen_name(g, "HPUB");
		} else {
			hdr = (size_t)-1;
			gen_name(g, "PUB");
		}
		gen_blanks(g, 1);
		tr_add(&g->s, subj, strlen(subj));
		gen_blanks(g, 1);
		if (hasreply) {
			tr_add(&g->s, reply, strlen(reply));
			gen_blanks(g, 1);
		}
		if (op == 3) {
			n = snprintf(line, sizeof(line), "%zu", hdr);
			tr_add(&g->s, line, n);
			gen_blanks(g, 1);
		}
		n = snprintf(line, sizeof(line), "%zu", size);
		tr_add(&g->s, line, n);
		if (gen_rand(g, 4) == 0)
			gen_blanks(g, 1);
		gen_eol(g);
		tr_add(&g->s, pay, size);
		tr_add(&g->s, "\r\n", 2);
		tr_addf(&g->t, "%s ||%s||%s|%zd|%zu|", op == 3 ? "HPUB" : "PUB",
		    subj, hasreply ? reply : "", op == 3 ? (ssize_t)hdr : -1,
		    size);
		tr_add(&g->t, pay, size);
		tr_add(&g->t, "\n", 1);
		break;
	case 4: {
		size_t	 start, end;

		gen_name(g, "SUB");
		gen_blanks(g, 1);
		start = g->s.len;
		tr_add(&g->s, subj, strlen(subj));
		gen_blanks(g, 1);
		if (hasreply) {
			tr_add(&g->s, q, strlen(q));
			gen_blanks(g, 1);
		}
		tr_add(&g->s, sid, strlen(sid));
		end = g->s.len;
		gen_eol(g);
		tr_addf(&g->t, "SUB ||%s|%s|%s|0|", subj, hasreply ? q : "",
		    sid);
		tr_add(&g->t, g->s.buf + start, end - start);
		tr_add(&g->t, "|\n", 2);
		break;
	}
	case 5:
		gen_name(g, "UNSUB");
		gen_blanks(g, 1);
		if (hasreply) {
			n = snprintf(line, sizeof(line), "%s %u", sid,
			    gen_rand(g, 100));
			tr_add(&g->s, line, n);
			tr_addf(&g->t, "UNSUB |||%s|%s|%s|\n", sid,
			    strchr(line, ' ') + 1, line);
		} else {
			tr_add(&g->s, sid, strlen(sid));
			tr_addf(&g->t, "UNSUB |||%s|-1|%s|\n", sid, sid);
		}
		gen_eol(g);
		break;
	case 6: {
		static const char *const ops[] = { "PING", "PONG", "+OK" };
		const char	*o = ops[gen_rand(g, 3)];

		gen_name(g, o);
		if (gen_rand(g, 4) == 0)
			tr_add(&g->s, " junk\r", 6);
		gen_eol(g);
		tr_addf(&g->t, "%s \n", o);
		break;
	}
	case 7:
		gen_name(g, "CONNECT");
		gen_blanks(g, 0);
		n = snprintf(line, sizeof(line),
		    "{\"verbose\":false,\"name\":\"c %d\"}", i);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_addf(&g->t, "CONNECT %s\n", line);
		break;
	case 8:
		gen_name(g, "INFO");
		gen_blanks(g, 0);
		n = snprintf(line, sizeof(line), "{\"n\":%d}", i);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_addf(&g->t, "INFO %s\n", line);
		break;
	default:
		gen_name(g, "-ERR");
		gen_blanks(g, 1);
		n = snprintf(line, sizeof(line), "'Error %d'", i);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_addf(&g->t, "-ERR %s\n", line);
		break;
	}
}

/* One route operation, written and predicted. */
static void
gen_route_op(struct gen *g, int i)
{
	static char	 pay[6000];
	char		 line[160];
	size_t		 size;
	int		 n, form;

	switch (gen_rand(g, 4)) {
	case 0:
		size = gen_rand(g, 6) == 0 ? 1000 + gen_rand(g, 5000) :
		    gen_rand(g, 30);
		gen_payload(g, pay, size);
		form = gen_rand(g, 4);
		gen_name(g, "RMSG");
		gen_blanks(g, 1);
		n = snprintf(line, sizeof(line), "$G foo.%d%s %zu", i,
		    form == 0 ? "" : form == 1 ? " r.1" :
		    form == 2 ? " + r.1 qa qb" : " | qa", size);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_add(&g->s, pay, size);
		tr_add(&g->s, "\r\n", 2);
		tr_addf(&g->t, "RMSG |$G|foo.%d||%s%s-1|%zu|", i,
		    form == 1 || form == 2 ? "r.1|" : "|",
		    form == 2 ? "q=qa|q=qb|" : form == 3 ? "q=qa|" : "", size);
		tr_add(&g->t, pay, size);
		tr_add(&g->t, "\n", 1);
		break;
	case 1:
		gen_name(g, "RS+");
		gen_blanks(g, 1);
		n = snprintf(line, sizeof(line), "$G foo.%d q 1", i);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_addf(&g->t, "RS+ |$G|foo.%d|q||1|%s|\n", i, line);
		break;
	case 2:
		gen_name(g, "LS-");
		gen_blanks(g, 1);
		n = snprintf(line, sizeof(line), "$G foo.%d", i);
		tr_add(&g->s, line, n);
		gen_eol(g);
		tr_addf(&g->t, "LS- $G|foo.%d|||-1|%s|\n", i, line);
		break;
	default:
		gen_name(g, "PING");
		gen_eol(g);
		tr_add(&g->t, "PING \n", 6);
		break;
	}
}

static void
gen_stream(struct gen *g, enum proto_kind kind, uint64_t seed, size_t min)
{
	int	 i;

	memset(g, 0, sizeof(*g));
	g->rng = seed;
	tr_add(&g->s, "", 0);
	tr_add(&g->t, "", 0);
	for (i = 0; g->s.len < min; i++) {
		if (kind == PROTO_KIND_CLIENT)
			gen_client_op(g, i);
		else
			gen_route_op(g, i);
	}
}

static void
gen_free(struct gen *g)
{
	free(g->s.buf);
	free(g->t.buf);
}

/* The trace of r equals want, else say where they part. */
static void
trace_eq(const struct run *r, const struct trace *want, const char *what)
{
	size_t	 i;

	if (r->t.len == want->len && memcmp(r->t.buf, want->buf,
	    want->len) == 0)
		return;
	for (i = 0; i < r->t.len && i < want->len; i++)
		if (r->t.buf[i] != want->buf[i])
			break;
	ck_abort_msg("%s: traces differ at byte %zu of %zu/%zu: got "
	    "\"%.40s\", want \"%.40s\"", what, i, r->t.len, want->len,
	    r->t.buf + i, want->buf + i);
}

static void
split_every_point(enum proto_kind kind, uint64_t seed, size_t min)
{
	struct gen	 g;
	struct run	 r;
	size_t		 i;
	char		 what[64];

	gen_stream(&g, kind, seed, min);
	run_init(&r, kind, PROTO_F_HEADERS);
	ck_assert_int_eq(feed(&r, g.s.buf, g.s.len, NULL, 0, 0), 0);
	trace_eq(&r, &g.t, "whole");
	run_free(&r);
	for (i = 0; i <= g.s.len; i++) {
		run_init(&r, kind, PROTO_F_HEADERS);
		CHK(feed(&r, g.s.buf, g.s.len, &i, 1, 0) == 0);
		snprintf(what, sizeof(what), "split at %zu", i);
		trace_eq(&r, &g.t, what);
		run_free(&r);
	}
	gen_free(&g);
}

START_TEST(test_proto_parse_split_client)
{
	split_every_point(PROTO_KIND_CLIENT, 1, 30000);
}
END_TEST

START_TEST(test_proto_parse_split_route)
{
	split_every_point(PROTO_KIND_ROUTE, 2, 12000);
}
END_TEST

START_TEST(test_proto_parse_split_bytewise)
{
	struct gen	 g;
	struct run	 r;
	size_t		*cuts, i;
	int		 waitneed;

	gen_stream(&g, PROTO_KIND_CLIENT, 3, 60000);
	cuts = malloc(g.s.len * sizeof(*cuts));
	ck_assert_ptr_nonnull(cuts);
	for (i = 0; i < g.s.len; i++)
		cuts[i] = i + 1;
	for (waitneed = 0; waitneed <= 1; waitneed++) {
		run_init(&r, PROTO_KIND_CLIENT, PROTO_F_HEADERS);
		ck_assert_int_eq(feed(&r, g.s.buf, g.s.len, cuts, g.s.len,
		    waitneed), 0);
		trace_eq(&r, &g.t, waitneed ? "bytewise, need" : "bytewise");
		run_free(&r);
	}
	free(cuts);
	gen_free(&g);
}
END_TEST

START_TEST(test_proto_parse_split_random)
{
	struct gen	 g;
	struct run	 r;
	size_t		 cuts[4000], n, at;
	uint64_t	 seed;
	char		 what[64];

	for (seed = 10; seed < 40; seed++) {
		gen_stream(&g, seed % 2 ? PROTO_KIND_CLIENT : PROTO_KIND_ROUTE,
		    seed, 40000);
		for (n = 0, at = 0; n < 4000; n++) {
			at += gen_rand(&g, seed % 3 == 0 ? 50 : 3000);
			if (at > g.s.len)
				break;
			cuts[n] = at;
		}
		run_init(&r, seed % 2 ? PROTO_KIND_CLIENT : PROTO_KIND_ROUTE,
		    PROTO_F_HEADERS);
		ck_assert_int_eq(feed(&r, g.s.buf, g.s.len, cuts, n,
		    (int)(seed % 4 < 2)), 0);
		snprintf(what, sizeof(what), "seed %llu",
		    (unsigned long long)seed);
		trace_eq(&r, &g.t, what);
		run_free(&r);
		gen_free(&g);
	}
}
END_TEST

/*
 * Random protocol-like garbage, for every kind: whatever the outcome
 * (callbacks, error and its offset, bytes left over), it is the same
 * however the input is cut. Under the sanitizers this also looks for
 * reads out of bounds.
 */
START_TEST(test_proto_parse_split_garbage)
{
	static const char *const words[] = {
		"PUB ", "HPUB ", "SUB ", "UNSUB ", "MSG ", "HMSG ", "RS+ ",
		"RS- ", "LS+ ", "LS- ", "RMSG ", "LMSG ", "A+ ", "A- ", "PING",
		"PONG", "+OK", "-ERR ", "INFO ", "CONNECT ", "\r\n", "\r",
		"\n", " ", "\t", "0", "1", "2", "3", "12", "foo", "q", "+",
		"|", "x", "\0", "pub ", "Pu", "b",
	};
	struct gen	 g, v;
	struct run	 w, r;
	char		 s[256];
	size_t		 len, i, cuts[256];
	int		 k, kind, flags, rw;
	const char	*wd;

	memset(&g, 0, sizeof(g));
	g.rng = 99;
	for (k = 0; k < 3000; k++) {
		kind = gen_rand(&g, PROTO_KIND_SERVER + 1);
		flags = gen_rand(&g, 2) ? PROTO_F_HEADERS : 0;
		if (k % 2 == 0) {
			/* Words of the protocol in any order. */
			for (len = 0; len < 200;
			    len += strlen(wd) + (*wd == '\0')) {
				wd = words[gen_rand(&g, sizeof(words) /
				    sizeof(words[0]))];
				memcpy(s + len, wd, strlen(wd) + (*wd == '\0'));
			}
		} else {
			/* A valid stream with a few bytes changed. */
			do {
				gen_stream(&v, gen_rand(&g, 2) ?
				    PROTO_KIND_CLIENT : PROTO_KIND_ROUTE,
				    g.rng, 120);
				g.rng += 7;
				len = v.s.len;
				if (len <= sizeof(s))
					memcpy(s, v.s.buf, len);
				gen_free(&v);
			} while (len > sizeof(s));
			for (i = gen_rand(&g, 4); i > 0; i--)
				s[gen_rand(&g, len)] =
				    "\r\n 0123+|aPS\t"[gen_rand(&g, 14)];
		}
		run_init(&w, kind, flags);
		w.p.max_control_line = 40;
		w.p.max_payload = 30;
		rw = feed(&w, s, len, NULL, 0, 0);
		for (i = 0; i <= len; i++) {
			run_init(&r, kind, flags);
			r.p.max_control_line = 40;
			r.p.max_payload = 30;
			CHK(feed(&r, s, len, &i, 1, 0) == rw);
			CHK(r.err == w.err && r.err_abs == w.err_abs);
			CHK(r.done == w.done);
			CHK(r.t.len == w.t.len && (r.t.len == 0 ||
			    memcmp(r.t.buf, w.t.buf, r.t.len) == 0));
			run_free(&r);
			cuts[i] = i;
		}
		run_init(&r, kind, flags);
		r.p.max_control_line = 40;
		r.p.max_payload = 30;
		CHK(feed(&r, s, len, cuts, len + 1, 0) == rw);
		CHK(r.err == w.err && r.err_abs == w.err_abs);
		CHK(r.done == w.done);
		CHK(r.t.len == w.t.len && (r.t.len == 0 ||
		    memcmp(r.t.buf, w.t.buf, r.t.len) == 0));
		run_free(&r);
		run_free(&w);
	}
}
END_TEST

/*
 * Parse s[0..len) whole (the PUB fast path sees every operation
 * complete) and byte by byte (it never does), as a client with these
 * limits and a callback stopping at operation stop (0: none): the
 * callbacks, the error and its offset, and the bytes consumed must be
 * the same.
 */
static void
same_whole_and_bytewise(const char *s, size_t len, size_t max_ctl,
    int64_t max_payload, int stop)
{
	struct run	 w, r;
	size_t		*cuts, i;

	CHK((cuts = calloc(len + 1, sizeof(*cuts))) != NULL);
	for (i = 0; i < len; i++)
		cuts[i] = i;
	run_init(&w, C, 0);
	run_init(&r, C, 0);
	w.t.stop_at = r.t.stop_at = stop;
	w.p.max_control_line = r.p.max_control_line = max_ctl;
	w.p.max_payload = r.p.max_payload = max_payload;
	CHK(feed(&w, s, len, NULL, 0, 0) == feed(&r, s, len, cuts, len, 0));
	/* Without an error (a stop), err_abs means nothing. */
	CHK(r.err == w.err && (r.err == PROTO_ERR_NONE ||
	    r.err_abs == w.err_abs));
	CHK(r.done == w.done && r.kept == w.kept);
	CHK(r.t.len == w.t.len && (r.t.len == 0 ||
	    memcmp(r.t.buf, w.t.buf, r.t.len) == 0));
	run_free(&r);
	run_free(&w);
	free(cuts);
}

/*
 * PUB has a fast path that declines what it does not handle, leaving it
 * to the general parser. PUB-shaped garbage parsed whole (the fast path
 * sees every operation complete) must give what it gives fed byte by
 * byte (the fast path never sees a whole operation): same callbacks,
 * same error at the same offset, same bytes consumed.
 */
START_TEST(test_proto_parse_pub_fast)
{
	static const char *const names[] = { "PUB", "pub", "pUb", "PUB",
	    "PUBX", "PU" };
	static const char *const toks[] = { "foo", "foo.bar", "r.1", "_I.x",
	    "5", "0", "16", "30", "31", "123456789", "1234567890", "-1",
	    "1x", "\xc3\xa9", "a\0b", "x\ry", "x\ny", "" };
	static const char *const blanks[] = { " ", "\t", "  ", " \t ",
	    " \r", "\r " };
	static const char *const eols[] = { "\r\n", "\r\n", "\r\n", "\n",
	    " \r\n", "\t\r\n", "\r", "\r\r\n", "" };
	struct gen	 g;
	char		 s[600], pay[64];
	size_t		 len, i, tl, size;
	int		 k, op, nt, t, stop;
	const char	*tk;

	memset(&g, 0, sizeof(g));
	g.rng = 4242;
	for (k = 0; k < 4000; k++) {
		len = 0;
		for (op = 0; op < 4 && len < 400; op++) {
#define PUT(b, n) do { memcpy(s + len, (b), (n)); len += (n); } while (0)
			tk = names[gen_rand(&g, 6)];
			PUT(tk, strlen(tk));
			nt = 1 + gen_rand(&g, 4);
			size = 0;
			for (t = 0; t < nt; t++) {
				tk = blanks[gen_rand(&g, 6) < 4 ? 0 :
				    gen_rand(&g, 6)];
				PUT(tk, strlen(tk));
				i = gen_rand(&g, 18);
				tk = toks[i];
				/* "a\0b" has an inner NUL: three bytes. */
				tl = i == 14 ? 3 : strlen(tk);
				if (t == nt - 1 && gen_rand(&g, 4) != 0) {
					size = gen_rand(&g, 34);
					tl = snprintf(pay, sizeof(pay), "%zu",
					    size);
					tk = pay;
				}
				PUT(tk, tl);
			}
			tk = eols[gen_rand(&g, 9)];
			PUT(tk, strlen(tk));
			/* A payload of about the right size. */
			size += gen_rand(&g, 8) == 0 ? gen_rand(&g, 3) : 1;
			for (i = 0; i + 1 < size; i++)
				s[len++] = 'a' + gen_rand(&g, 26);
			tk = eols[gen_rand(&g, 3) ? 0 : gen_rand(&g, 9)];
			PUT(tk, strlen(tk));
#undef PUT
		}
		stop = gen_rand(&g, 8) == 0 ? 1 + gen_rand(&g, 3) : 0;
		same_whole_and_bytewise(s, len, 20 + gen_rand(&g, 20), 30,
		    stop);
	}
}
END_TEST

/*
 * The plain "PUB subject size" form at the edges of what the fast path
 * takes: control lines one byte under, at and over max_control_line,
 * sizes of 9 and 10 digits and with leading zeros, with and without a
 * payload limit. Parsed whole and byte by byte: the same everywhere.
 */
START_TEST(test_proto_parse_pub_fast_edges)
{
	static const char *const sizes[] = { "5", "05", "0", "123456789",
	    "1234567890", "99999999", "31", "30" };
	static const int64_t payloads[] = { -1, 30, 0 };
	char		 s[128];
	size_t		 len, ctl;
	int		 si, pi, d;

	for (si = 0; si < 8; si++)
		for (pi = 0; pi < 3; pi++)
			for (d = -2; d <= 3; d++) {
				len = (size_t)snprintf(s, sizeof(s),
				    "PUB a.b %s\r\nhello\r\nPING\r\n",
				    sizes[si]);
				ctl = strlen("a.b ") + strlen(sizes[si]);
				same_whole_and_bytewise(s, len,
				    d == 3 ? 0 : ctl + d, payloads[pi], 0);
			}
}
END_TEST

START_TEST(test_proto_parse_split_errors)
{
	static const char *const bad[] = {
		"PING\r\nPUB foo 3\r\nabcd\r\n",
		"PING\r\nSUB foo q 1 x\r\n",
		"PING\r\nPUB foo 3\r\nabc\r\rPING\r\n",
		"PING\r\nHPUB foo 4 3\r\nabc\r\n",
		"PING\r\nPUBX\r\n",
	};
	struct run	 r, w;
	size_t		 i, k, len;

	/* An error is the same error at the same offset however cut. */
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		len = strlen(bad[k]);
		run_init(&w, C, PROTO_F_HEADERS);
		ck_assert_int_eq(parse1(&w, bad[k]), -1);
		for (i = 0; i <= len; i++) {
			run_init(&r, C, PROTO_F_HEADERS);
			CHK(feed(&r, bad[k], len, &i, 1, 0) == -1);
			CHK(r.err == w.err);
			CHK(r.err_abs == w.err_abs);
			CHK(strcmp(r.t.buf, w.t.buf) == 0);
			run_free(&r);
		}
		run_free(&w);
	}
}
END_TEST

/* The error table and its formatting. */

START_TEST(test_proto_errstr_table)
{
	int	 e;

	for (e = 0; e < PROTO_ERR_MAX; e++) {
		ck_assert_ptr_nonnull(proto_errstr(e));
		ck_assert_str_ne(proto_errstr(e), "unknown error");
	}
	/* Seen on the wire from nats-server 2.9.10. */
	ck_assert_str_eq(proto_errstr(PROTO_ERR_UNKNOWN_OP),
	    "Unknown Protocol Operation");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_MAX_CONTROL_LINE),
	    "maximum control line exceeded");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_MAX_PAYLOAD),
	    "Maximum Payload Violation");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_AUTH_VIOLATION),
	    "Authorization Violation");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_AUTH_TIMEOUT),
	    "Authentication Timeout");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_STALE_CONNECTION),
	    "Stale Connection");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_MAX_CONNECTIONS),
	    "maximum connections exceeded");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_MAX_SUBS),
	    "maximum subscriptions exceeded");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_INVALID_SUBJECT),
	    "Invalid Subject");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_BAD_CLIENT_PROTOCOL),
	    "invalid client protocol");
	ck_assert_str_eq(proto_errstr(PROTO_ERR_NO_RESPONDERS_HEADERS),
	    "no responders requires headers support");
	ck_assert_int_eq(proto_errflags(PROTO_ERR_UNKNOWN_OP),
	    PROTO_ERRF_SEND | PROTO_ERRF_CLOSE);
	ck_assert_int_eq(proto_errflags(PROTO_ERR_PUB_ARGS), PROTO_ERRF_CLOSE);
	ck_assert_int_eq(proto_errflags(PROTO_ERR_MAX_SUBS), PROTO_ERRF_SEND);
	ck_assert_int_eq(proto_errflags(PROTO_ERR_INVALID_SUBJECT),
	    PROTO_ERRF_SEND);
	ck_assert_int_eq(proto_errflags(PROTO_ERR_PERM_PUB),
	    PROTO_ERRF_SEND | PROTO_ERRF_FMT);
	ck_assert_str_eq(proto_errstr(PROTO_ERR_MAX), "unknown error");
	ck_assert_str_eq(proto_errstr(-1), "unknown error");
}
END_TEST

START_TEST(test_proto_err_format)
{
	char	 b[256];
	size_t	 n;

	/* The exact lines nats-server 2.9.10 sent. */
	n = proto_err_format(b, sizeof(b), PROTO_ERR_UNKNOWN_OP, NULL, 0,
	    NULL, 0);
	ck_assert_str_eq(b, "-ERR 'Unknown Protocol Operation'\r\n");
	ck_assert_uint_eq(n, strlen(b));
	proto_err_format(b, sizeof(b), PROTO_ERR_PERM_PUB, "secret.x", 8,
	    NULL, 0);
	ck_assert_str_eq(b,
	    "-ERR 'Permissions Violation for Publish to \"secret.x\"'\r\n");
	proto_err_format(b, sizeof(b), PROTO_ERR_PERM_SUB_QUEUE, "no.x", 4,
	    "q", 1);
	ck_assert_str_eq(b, "-ERR 'Permissions Violation for Subscription "
	    "to \"no.x\" using queue \"q\"'\r\n");
	proto_err_format(b, sizeof(b), PROTO_ERR_PERM_SUB, "no.\"x\\", 6,
	    NULL, 0);
	ck_assert_str_eq(b, "-ERR 'Permissions Violation for Subscription "
	    "to \"no.\\\"x\\\\\"'\r\n");
	/* snprintf semantics: truncated, terminated, full length told. */
	n = proto_err_format(b, 10, PROTO_ERR_PERM_PUB, "secret.x", 8, NULL,
	    0);
	ck_assert_uint_eq(n, strlen("-ERR 'Permissions Violation for "
	    "Publish to \"secret.x\"'\r\n"));
	ck_assert_str_eq(b, "-ERR 'Per");
	n = proto_err_format(NULL, 0, PROTO_ERR_PERM_PUB, "secret.x", 8,
	    NULL, 0);
	ck_assert_uint_eq(n, strlen("-ERR 'Permissions Violation for "
	    "Publish to \"secret.x\"'\r\n"));
	n = proto_err_format(b, 50, PROTO_ERR_PERM_PUB, "secret.x", 8, NULL,
	    0);
	ck_assert_uint_eq(n, strlen("-ERR 'Permissions Violation for "
	    "Publish to \"secret.x\"'\r\n"));
	ck_assert_uint_eq(strlen(b), 49);
}
END_TEST

START_TEST(test_proto_quote)
{
	char	 b[64];
	size_t	 n;

	/* Expected values are what Go's strconv.Quote returns. */
	n = proto_quote(b, sizeof(b), "a\tb\x01\x7f\xff", 6);
	ck_assert_str_eq(b, "\"a\\tb\\x01\\x7f\\xff\"");
	ck_assert_uint_eq(n, strlen(b));
	proto_quote(b, sizeof(b), "\xc3\xa9t\xc3\xa9", 5);
	ck_assert_str_eq(b, "\"\xc3\xa9t\xc3\xa9\"");
	proto_quote(b, sizeof(b), "\xc2\x85", 2);
	ck_assert_str_eq(b, "\"\\u0085\"");
	proto_quote(b, sizeof(b), "\xe2\x82", 2);
	ck_assert_str_eq(b, "\"\\xe2\\x82\"");
	proto_quote(b, sizeof(b), "\xed\xa0\x80", 3);
	ck_assert_str_eq(b, "\"\\xed\\xa0\\x80\"");
	proto_quote(b, sizeof(b), "", 0);
	ck_assert_str_eq(b, "\"\"");
}
END_TEST

/* CONNECT JSON. */

START_TEST(test_proto_connect_parse)
{
	struct proto_connect	 c;
	const char		*j;

	proto_connect_init(&c);
	ck_assert_int_eq(c.verbose, 1);
	ck_assert_int_eq(c.pedantic, 1);
	ck_assert_int_eq(c.echo, 1);
	j = "{\"verbose\":false,\"pedantic\":false,\"echo\":false,"
	    "\"headers\":true,\"no_responders\":true,\"tls_required\":true,"
	    "\"protocol\":1,\"name\":\"n\",\"lang\":\"go\",\"version\":\"1.2\","
	    "\"user\":\"u\",\"pass\":\"p\",\"auth_token\":\"t\",\"nkey\":\"k\","
	    "\"sig\":\"s\",\"jwt\":\"j\",\"zzz\":[1,{\"a\":null}]}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), 0);
	ck_assert_int_eq(c.verbose, 0);
	ck_assert_int_eq(c.pedantic, 0);
	ck_assert_int_eq(c.echo, 0);
	ck_assert_int_eq(c.headers, 1);
	ck_assert_int_eq(c.no_responders, 1);
	ck_assert_int_eq(c.tls_required, 1);
	ck_assert_int_eq(c.protocol, 1);
	ck_assert_str_eq(c.name, "n");
	ck_assert_str_eq(c.lang, "go");
	ck_assert_str_eq(c.version, "1.2");
	ck_assert_str_eq(c.user, "u");
	ck_assert_str_eq(c.pass, "p");
	ck_assert_str_eq(c.auth_token, "t");
	ck_assert_str_eq(c.nkey, "k");
	ck_assert_str_eq(c.sig, "s");
	ck_assert_str_eq(c.jwt, "j");
	ck_assert_ptr_null(c.account);

	/* A second CONNECT overlays; null and absent keep; keys fold. */
	j = "{\"VERBOSE\":true,\"name\":null,\"User\":\"v\"}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), 0);
	ck_assert_int_eq(c.verbose, 1);
	ck_assert_int_eq(c.echo, 0);
	ck_assert_str_eq(c.name, "n");
	ck_assert_str_eq(c.user, "v");
	proto_connect_clear(&c);
	ck_assert_ptr_null(c.name);
	ck_assert_int_eq(c.verbose, 1);

	/* nats-server accepts "null" and closes on the rest (observed). */
	ck_assert_int_eq(proto_connect_parse("null", 4, &c), 0);
	ck_assert_int_eq(proto_connect_parse(" {} ", 4, &c), 0);
	ck_assert_int_eq(proto_connect_parse("{", 1, &c), -1);
	ck_assert_int_eq(proto_connect_parse("", 0, &c), -1);
	ck_assert_int_eq(proto_connect_parse("\r", 1, &c), -1);
	ck_assert_int_eq(proto_connect_parse("[]", 2, &c), -1);
	ck_assert_int_eq(proto_connect_parse("1", 1, &c), -1);
	ck_assert_int_eq(proto_connect_parse("{} x", 4, &c), -1);
	j = "{\"verbose\":\"yes\"}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), -1);
	j = "{\"protocol\":1.0}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), -1);
	j = "{\"name\":5}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), -1);
	j = "{\"import\":[]}";
	ck_assert_int_eq(proto_connect_parse(j, strlen(j), &c), -1);
	/* The length bounds the JSON: no NUL needed. */
	j = "{\"echo\":false}GARBAGE";
	ck_assert_int_eq(proto_connect_parse(j, 14, &c), 0);
	ck_assert_int_eq(c.echo, 0);
	proto_connect_clear(&c);
}
END_TEST

static Suite *
proto_suite(void)
{
	Suite	*s = suite_create("proto");
	TCase	*tc;

	tc = tcase_create("client");
	tcase_add_test(tc, test_proto_parse_pub);
	tcase_add_test(tc, test_proto_parse_hpub);
	tcase_add_test(tc, test_proto_parse_sub_unsub);
	tcase_add_test(tc, test_proto_parse_simple_ops);
	tcase_add_test(tc, test_proto_parse_mixed);
	tcase_add_test(tc, test_proto_parse_unknown_op);
	tcase_add_test(tc, test_proto_parse_bad_trailer);
	tcase_add_test(tc, test_proto_parse_pub_args);
	tcase_add_test(tc, test_proto_parse_hpub_args);
	tcase_add_test(tc, test_proto_parse_sub_args);
	tcase_add_test(tc, test_proto_parse_max_control_line);
	tcase_add_test(tc, test_proto_parse_limits_runtime);
	tcase_add_test(tc, test_proto_parse_auth);
	tcase_add_test(tc, test_proto_parse_stop);
	tcase_add_test(tc, test_proto_parse_need);
	suite_add_tcase(s, tc);

	tc = tcase_create("peers");
	tcase_add_test(tc, test_proto_parse_route);
	tcase_add_test(tc, test_proto_parse_route_errors);
	tcase_add_test(tc, test_proto_parse_gateway_leaf);
	tcase_add_test(tc, test_proto_parse_server);
	suite_add_tcase(s, tc);

	tc = tcase_create("split");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_proto_parse_split_client);
	tcase_add_test(tc, test_proto_parse_split_route);
	tcase_add_test(tc, test_proto_parse_split_bytewise);
	tcase_add_test(tc, test_proto_parse_split_random);
	tcase_add_test(tc, test_proto_parse_split_errors);
	tcase_add_test(tc, test_proto_parse_split_garbage);
	tcase_add_test(tc, test_proto_parse_pub_fast);
	tcase_add_test(tc, test_proto_parse_pub_fast_edges);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_proto_errstr_table);
	tcase_add_test(tc, test_proto_err_format);
	tcase_add_test(tc, test_proto_quote);
	tcase_add_test(tc, test_proto_connect_parse);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(proto_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
