/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/fuzz/fuzz_proto.c: libFuzzer target for worker/proto.c. Parses the
 * input once whole and once in pieces, fed as worker/client.c feeds the
 * parser, checks proto_parse's contract after every call and that both
 * ways call back alike; also reads the input as CONNECT JSON.
 */

#include "config.h"

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "proto.h"

/*
 * The input: byte 0 picks the kind ('c' client, 'r' route, 'g' gateway,
 * 'l' leaf, 's' server; any other byte its value modulo 5), byte 1 holds
 * FUZZ_F_* in its low bits and the seed of the piece sizes above them;
 * the rest is the stream. So "c0PING\r\n" is a client's PING.
 */
#define FUZZ_F_HEADERS	0x01	/* PROTO_F_HEADERS from the start */
#define FUZZ_F_AUTH	0x02	/* PROTO_F_AUTH until a good CONNECT */
#define FUZZ_F_SMALL	0x04	/* limits small enough to reach */
#define FUZZ_F_MASK	0x07
#define FUZZ_SMALL_LINE	64
#define FUZZ_SMALL_PAY	32

/* Largest size proto_size accepts: nine digits. */
#define FUZZ_SIZE_MAX	999999999

#define FUZZ_CHECK(e)	do { if (!(e)) __builtin_trap(); } while (0)

/* What one way of feeding the parser saw. */
struct fuzz_run {
	struct proto	 p;
	const char	*buf;		/* of the proto_parse call running */
	size_t		 len;
	uint64_t	 hash;		/* of every callback, in order */
	size_t		 ncb;
	int		 stopped;	/* a callback returned -1 */
	/* The end: absolute offsets into the stream. */
	size_t		 consumed;
	enum proto_err	 err;
	size_t		 err_off;
	size_t		 need;
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_hash(struct fuzz_run *r, const void *v, size_t len)
{
	const unsigned char	*s = v;
	size_t			 i;

	/* FNV-1a, the length first so that fields cannot run together. */
	for (i = 0; i < sizeof(len); i++) {
		r->hash ^= (len >> (8 * i)) & 0xff;
		r->hash *= 0x100000001b3ULL;
	}
	for (i = 0; i < len; i++) {
		r->hash ^= s[i];
		r->hash *= 0x100000001b3ULL;
	}
}

static void
fuzz_hash_int(struct fuzz_run *r, int64_t v)
{
	fuzz_hash(r, &v, sizeof(v));
}

/* An operation handed to a callback has a name. */
static void
fuzz_hash_op(struct fuzz_run *r, enum proto_op op)
{
	FUZZ_CHECK(op > PROTO_OP_NONE && *proto_opname(op) != '?');
	fuzz_hash_int(r, op);
}

/* A token must lie in the buffer and hold no blank. */
static void
fuzz_tok(struct fuzz_run *r, const struct proto_tok *t, int required)
{
	FUZZ_CHECK(!required || t->len > 0);
	if (t->len == 0) {
		fuzz_hash(r, "", 0);
		return;
	}
	FUZZ_CHECK(t->ptr >= r->buf && t->ptr + t->len <= r->buf + r->len);
	FUZZ_CHECK(memchr(t->ptr, ' ', t->len) == NULL);
	FUZZ_CHECK(memchr(t->ptr, '\t', t->len) == NULL);
	fuzz_hash(r, t->ptr, t->len);
}

/* A span that may hold blanks (queue lists, raw arguments, JSON). */
static void
fuzz_span(struct fuzz_run *r, const char *s, size_t len)
{
	if (len > 0)
		FUZZ_CHECK(s >= r->buf && s + len <= r->buf + r->len);
	fuzz_hash(r, s, len);
}

/*
 * proto_err_format with texts from the wire: the length it returns must
 * not depend on the room given, and what fits is written NUL-ended.
 */
static void
fuzz_errfmt(const struct proto_tok *a, const struct proto_tok *b)
{
	char	 small[24], *big;
	size_t	 n, m, k;

	n = proto_err_format(NULL, 0, PROTO_ERR_PERM_SUB_QUEUE, a->ptr,
	    a->len, b->ptr, b->len);
	m = proto_err_format(small, sizeof(small), PROTO_ERR_PERM_SUB_QUEUE,
	    a->ptr, a->len, b->ptr, b->len);
	k = n < sizeof(small) ? n : sizeof(small) - 1;
	FUZZ_CHECK(n == m && strlen(small) == k);
	big = malloc(n + 1);
	FUZZ_CHECK(big != NULL);
	m = proto_err_format(big, n + 1, PROTO_ERR_PERM_SUB_QUEUE, a->ptr,
	    a->len, b->ptr, b->len);
	FUZZ_CHECK(n == m && strlen(big) == n);
	FUZZ_CHECK(memcmp(big, small, k) == 0);
	free(big);
}

/* Every callback returns through here: count it, note a stop. */
static int
fuzz_ret(struct fuzz_run *r, int rv)
{
	r->ncb++;
	if (rv == -1)
		r->stopped = 1;
	return (rv);
}

/*
 * As worker/client.c: a CONNECT that reads ends authentication and sets
 * header support; one that does not closes the connection.
 */
static int
fuzz_on_connect(void *arg, const char *json, size_t len)
{
	struct fuzz_run		*r = arg;
	struct proto_connect	 pc;
	int			 rv;

	FUZZ_CHECK(r->p.kind != PROTO_KIND_SERVER);
	fuzz_hash_op(r, PROTO_OP_CONNECT);
	fuzz_span(r, json, len);
	proto_connect_init(&pc);
	rv = proto_connect_parse(json, len, &pc);
	FUZZ_CHECK(rv == 0 || rv == -1);
	if (rv == 0) {
		r->p.flags &= ~(PROTO_F_AUTH | PROTO_F_HEADERS);
		if (pc.headers)
			r->p.flags |= PROTO_F_HEADERS;
	}
	proto_connect_clear(&pc);
	return (fuzz_ret(r, rv));
}

static int
fuzz_on_info(void *arg, const char *json, size_t len)
{
	struct fuzz_run	*r = arg;

	fuzz_hash_op(r, PROTO_OP_INFO);
	fuzz_span(r, json, len);
	return (fuzz_ret(r, 0));
}

/* PUB, HPUB and the MSG family: the message must fit its buffer. */
static void
fuzz_msg(struct fuzz_run *r, const struct proto_msg *m)
{
	const char	*end = r->buf + r->len;

	FUZZ_CHECK(m->hdr_len >= -1 && m->hdr_len <= (ssize_t)m->size);
	FUZZ_CHECK(m->size <= FUZZ_SIZE_MAX);
	FUZZ_CHECK(r->p.max_payload < 0 ||
	    m->size <= (size_t)r->p.max_payload);
	FUZZ_CHECK(m->payload >= r->buf && m->payload <= end &&
	    (size_t)(end - m->payload) >= m->size + 2);
	FUZZ_CHECK(m->payload[m->size] == '\r' &&
	    m->payload[m->size + 1] == '\n');
	FUZZ_CHECK(m->nqueues >= 0);
	FUZZ_CHECK((m->nqueues > 0) == (m->queues.len > 0));
	fuzz_hash_op(r, m->op);
	fuzz_tok(r, &m->subject, 1);
	fuzz_tok(r, &m->reply, 0);
	fuzz_tok(r, &m->sid, 0);
	fuzz_tok(r, &m->account, 0);
	fuzz_tok(r, &m->origin, 0);
	fuzz_span(r, m->queues.ptr, m->queues.len);
	fuzz_hash_int(r, m->nqueues);
	fuzz_hash_int(r, m->hdr_len);
	fuzz_hash(r, m->payload, m->size);
	fuzz_errfmt(&m->subject, &m->reply);
}

static int
fuzz_on_pub(void *arg, const struct proto_msg *m)
{
	struct fuzz_run	*r = arg;

	FUZZ_CHECK(r->p.kind == PROTO_KIND_CLIENT);
	FUZZ_CHECK(m->op == PROTO_OP_PUB || m->op == PROTO_OP_HPUB);
	FUZZ_CHECK(m->op == PROTO_OP_PUB || (r->p.flags & PROTO_F_HEADERS));
	FUZZ_CHECK((m->op == PROTO_OP_PUB) == (m->hdr_len == -1));
	fuzz_msg(r, m);
	return (fuzz_ret(r, 0));
}

static int
fuzz_on_msg(void *arg, const struct proto_msg *m)
{
	struct fuzz_run		*r = arg;
	struct proto_tok	 span = m->queues, q;
	int			 n = 0;

	FUZZ_CHECK(r->p.kind != PROTO_KIND_CLIENT);
	FUZZ_CHECK(m->op == PROTO_OP_MSG || m->op == PROTO_OP_HMSG ||
	    m->op == PROTO_OP_RMSG || m->op == PROTO_OP_LMSG);
	fuzz_msg(r, m);
	/* The queue list holds exactly nqueues names. */
	while (proto_tok_next(&span, &q)) {
		fuzz_tok(r, &q, 1);
		n++;
	}
	FUZZ_CHECK(n == m->nqueues);
	return (fuzz_ret(r, 0));
}

static int
fuzz_on_sub(void *arg, const struct proto_sub *s)
{
	struct fuzz_run	*r = arg;

	FUZZ_CHECK(r->p.kind != PROTO_KIND_SERVER);
	FUZZ_CHECK(r->p.kind == PROTO_KIND_CLIENT ? s->op == PROTO_OP_SUB :
	    s->op == PROTO_OP_RSUB || s->op == PROTO_OP_LSUB);
	FUZZ_CHECK(s->weight >= -1);
	fuzz_hash_op(r, s->op);
	fuzz_tok(r, &s->subject, 1);
	fuzz_tok(r, &s->queue, 0);
	fuzz_tok(r, &s->sid, r->p.kind == PROTO_KIND_CLIENT);
	fuzz_tok(r, &s->account, 0);
	fuzz_tok(r, &s->origin, 0);
	fuzz_span(r, s->raw.ptr, s->raw.len);
	fuzz_hash_int(r, s->weight);
	fuzz_errfmt(&s->subject, &s->queue);
	return (fuzz_ret(r, 0));
}

static int
fuzz_on_unsub(void *arg, const struct proto_unsub *u)
{
	struct fuzz_run	*r = arg;

	FUZZ_CHECK(r->p.kind != PROTO_KIND_SERVER);
	FUZZ_CHECK(r->p.kind == PROTO_KIND_CLIENT ? u->op == PROTO_OP_UNSUB :
	    u->op == PROTO_OP_RUNSUB || u->op == PROTO_OP_LUNSUB);
	FUZZ_CHECK(u->max >= -1 && u->max <= FUZZ_SIZE_MAX);
	fuzz_hash_op(r, u->op);
	fuzz_tok(r, &u->sid, r->p.kind == PROTO_KIND_CLIENT);
	fuzz_tok(r, &u->account, 0);
	fuzz_tok(r, &u->subject, 0);
	fuzz_tok(r, &u->queue, 0);
	fuzz_span(r, u->raw.ptr, u->raw.len);
	fuzz_hash_int(r, u->max);
	return (fuzz_ret(r, 0));
}

static int
fuzz_on_account(void *arg, enum proto_op op, const char *s, size_t len)
{
	struct fuzz_run	*r = arg;

	FUZZ_CHECK(r->p.kind != PROTO_KIND_CLIENT &&
	    r->p.kind != PROTO_KIND_SERVER);
	FUZZ_CHECK(op == PROTO_OP_ASUB || op == PROTO_OP_AUNSUB);
	fuzz_hash_op(r, op);
	fuzz_span(r, s, len);
	return (fuzz_ret(r, 0));
}

static int
fuzz_on_ping(void *arg)
{
	fuzz_hash_op(arg, PROTO_OP_PING);
	return (fuzz_ret(arg, 0));
}

static int
fuzz_on_pong(void *arg)
{
	fuzz_hash_op(arg, PROTO_OP_PONG);
	return (fuzz_ret(arg, 0));
}

static int
fuzz_on_ok(void *arg)
{
	fuzz_hash_op(arg, PROTO_OP_OK);
	return (fuzz_ret(arg, 0));
}

/* As worker/client.c: -ERR from the other end closes. */
static int
fuzz_on_err(void *arg, const char *s, size_t len)
{
	struct fuzz_run	*r = arg;

	fuzz_hash_op(r, PROTO_OP_ERR);
	fuzz_span(r, s, len);
	return (fuzz_ret(r, -1));
}

static const struct proto_cb fuzz_cb = {
	.on_connect = fuzz_on_connect,
	.on_info = fuzz_on_info,
	.on_pub = fuzz_on_pub,
	.on_msg = fuzz_on_msg,
	.on_sub = fuzz_on_sub,
	.on_unsub = fuzz_on_unsub,
	.on_account = fuzz_on_account,
	.on_ping = fuzz_on_ping,
	.on_pong = fuzz_on_pong,
	.on_ok = fuzz_on_ok,
	.on_err = fuzz_on_err,
};

/*
 * proto_parse's contract for one call on len bytes that returned n:
 * consumed never past len; an error is one of the parser's own, at a
 * byte not consumed; a stop without error only after a callback asked;
 * bytes left over come with a need beyond them, bounded by the limits.
 */
static void
fuzz_check(struct fuzz_run *r, ssize_t n, size_t len)
{
	struct proto	*p = &r->p;
	size_t		 left, bound;

	FUZZ_CHECK(p->consumed <= len);
	if (n == -1) {
		if (p->err == PROTO_ERR_NONE) {
			FUZZ_CHECK(r->stopped);
			return;
		}
		FUZZ_CHECK(p->err > PROTO_ERR_NONE &&
		    p->err <= PROTO_ERR_RUNSUB_ARGS);
		FUZZ_CHECK(p->err_close ==
		    ((proto_errflags(p->err) & PROTO_ERRF_CLOSE) != 0));
		FUZZ_CHECK(p->err_off >= p->consumed && p->err_off < len);
		return;
	}
	FUZZ_CHECK(n >= 0 && (size_t)n == p->consumed);
	FUZZ_CHECK(p->err == PROTO_ERR_NONE && !r->stopped);
	left = len - p->consumed;
	if (left == 0)
		return;
	FUZZ_CHECK(p->need > left);
	/* A control line, its payload and "\r\n", or a line still open. */
	bound = p->max_control_line != 0 ? p->max_control_line + 2 : left + 1;
	bound += 2 + (p->max_payload >= 0 ? (size_t)p->max_payload :
	    FUZZ_SIZE_MAX);
	FUZZ_CHECK(p->need <= bound);
}

/*
 * Feed s[0..len) to a parser set up from kind and flags in pieces whose
 * sizes come from seed (0: all at once), as worker/client.c does: what
 * is not consumed stays and the next piece is appended. Each call sees
 * exactly its bytes: the rest of the buffer is poisoned.
 */
static void
fuzz_feed(struct fuzz_run *r, enum proto_kind kind, int flags,
    const char *s, size_t len, uint32_t seed)
{
	char		*buf;
	size_t		 off = 0, held = 0, piece, base = 0;
	uint32_t	 x = seed * 2654435761U + (uint32_t)len;
	ssize_t		 n;

	memset(r, 0, sizeof(*r));
	r->hash = 0xcbf29ce484222325ULL;
	proto_init(&r->p, kind);
	if (flags & FUZZ_F_HEADERS)
		r->p.flags |= PROTO_F_HEADERS;
	if (flags & FUZZ_F_AUTH)
		r->p.flags |= PROTO_F_AUTH;
	if (flags & FUZZ_F_SMALL) {
		r->p.max_control_line = FUZZ_SMALL_LINE;
		r->p.max_payload = FUZZ_SMALL_PAY;
	}
	if (x == 0)
		x = 1;		/* xorshift stays at 0 */
	if ((buf = malloc(len + 1)) == NULL)
		__builtin_trap();
	while (off < len) {
		if (seed == 0)
			piece = len - off;
		else {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			piece = 1 + x % (1U << (seed % 8));
			if (piece > len - off)
				piece = len - off;
		}
		/* The held bytes and the new piece end the buffer. */
		ASAN_UNPOISON_MEMORY_REGION(buf, len + 1);
		memmove(buf + len + 1 - held - piece, buf + len + 1 - held,
		    held);
		memcpy(buf + len + 1 - piece, s + off, piece);
		off += piece;
		held += piece;
		r->buf = buf + len + 1 - held;
		r->len = held;
		ASAN_POISON_MEMORY_REGION(buf, len + 1 - held);
		n = proto_parse(&r->p, r->buf, held, &fuzz_cb, r);
		fuzz_check(r, n, held);
		if (n == -1) {
			r->consumed = base + r->p.consumed;
			r->err = r->p.err;
			if (r->err != PROTO_ERR_NONE)
				r->err_off = base + r->p.err_off;
			goto out;
		}
		base += n;
		held -= n;
	}
	r->consumed = base;
	r->need = r->p.need;
out:
	ASAN_UNPOISON_MEMORY_REGION(buf, len + 1);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum proto_kind kinds[] = {
		PROTO_KIND_CLIENT, PROTO_KIND_ROUTE, PROTO_KIND_GATEWAY,
		PROTO_KIND_LEAF, PROTO_KIND_SERVER,
	};
	struct proto_connect	 pc;
	struct fuzz_run		 whole, split;
	enum proto_kind		 kind;
	const char		*s;
	size_t			 len;
	int			 flags;

	proto_connect_init(&pc);
	if (proto_connect_parse((const char *)data, size, &pc) == 0 &&
	    pc.name != NULL)
		FUZZ_CHECK(strlen(pc.name) < size);	/* NUL-ended */
	proto_connect_clear(&pc);
	FUZZ_CHECK(pc.verbose == 1 && pc.name == NULL);
	if (size < 2)
		return (0);

	switch (data[0]) {
	case 'c':
		kind = PROTO_KIND_CLIENT;
		break;
	case 'r':
		kind = PROTO_KIND_ROUTE;
		break;
	case 'g':
		kind = PROTO_KIND_GATEWAY;
		break;
	case 'l':
		kind = PROTO_KIND_LEAF;
		break;
	case 's':
		kind = PROTO_KIND_SERVER;
		break;
	default:
		kind = kinds[data[0] % 5];
		break;
	}
	flags = data[1] & FUZZ_F_MASK;
	s = (const char *)data + 2;
	len = size - 2;

	fuzz_feed(&whole, kind, flags, s, len, 0);
	fuzz_feed(&split, kind, flags, s, len, (data[1] >> 3) + 1);
	/* However the bytes arrive, the parser must do the same. */
	FUZZ_CHECK(whole.ncb == split.ncb);
	FUZZ_CHECK(whole.hash == split.hash);
	FUZZ_CHECK(whole.stopped == split.stopped);
	FUZZ_CHECK(whole.consumed == split.consumed);
	FUZZ_CHECK(whole.err == split.err);
	FUZZ_CHECK(whole.err_off == split.err_off);
	FUZZ_CHECK(whole.need == split.need);
	return (0);
}
