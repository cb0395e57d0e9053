/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/proto.c: the NATS protocol parser. Turns bytes in a connection's
 * input buffer into callbacks, in place and without allocating; a partial
 * operation stays in the caller's buffer until the rest arrives. Also the
 * table of nats-server's error texts and the CONNECT JSON reader.
 */

#include "config.h"

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "xmalloc.h"
#include "proto.h"

/*
 * How nats-server 2.9.10 behaves, observed on the wire with
 * printf | nc against /usr/sbin/nats-server and read in parser.go and
 * client.go; proto_parse does the same unless a comment says otherwise.
 *
 * - Operation names are case insensitive and checked byte by byte: the
 *   first byte that cannot continue a known name is an error at once,
 *   "-ERR 'Unknown Protocol Operation'" and close, even without a newline
 *   ("FOO\r\n", " PING\r\n", "\r\n", "SUBX foo 1\r\n", "PUBX ..." all
 *   answer so). A client sending MSG, HMSG, RS+, LS+ or A+ gets the same.
 * - An operation with arguments needs one blank (space or tab) after its
 *   name ("SUB\r\n" is an unknown operation), then any run of blanks,
 *   which nats-server does not count towards max_control_line ("PUB"
 *   with 5000 spaces then "foo 0" works). The first byte after the blanks
 *   starts the arguments whatever it is; the line ends at the next '\n'.
 *   If a '\r' is among the arguments the byte before the '\n' is dropped.
 *   CONNECT and INFO need no blank ("CONNECT{...}" works).
 * - PING, PONG and +OK ignore anything up to the '\n' ("PINGxyz\r\n" gets
 *   a PONG; 5000 bytes after PING without a newline keep the connection
 *   open); so those bytes are consumed, not buffered.
 * - max_control_line counts argument bytes only (after the drop above)
 *   and fails when they exceed it: 4096 bytes of PUB arguments pass, 4097
 *   answer "-ERR 'maximum control line exceeded'" (lower case) and close,
 *   with or without the newline having arrived.
 * - PUB and HPUB split their arguments on blanks; SUB, UNSUB and the
 *   route, gateway and leaf operations also on '\r' and '\n'. Wrong
 *   argument counts and bad sizes close the connection without any -ERR
 *   ("PUB foo\r\n", "PUB foo x\r\n", "PUB foo -1\r\n", "SUB foo\r\n",
 *   "SUB \r\n", "UNSUB 1 2 3\r\n", "HPUB foo 14 12\r\n" all close
 *   silently). A size is 1 to 9 decimal digits, so 1234567890 is "bad".
 * - A size over max_payload answers "-ERR 'Maximum Payload Violation'"
 *   and closes, as soon as the control line is complete.
 * - The payload must be followed by "\r\n" exactly; any other byte where
 *   the '\r' or '\n' belongs is "-ERR 'Unknown Protocol Operation'" and
 *   close ("PUB foo 3\r\nabcd", "PUB foo 3\r\nab\r\n", "abc\n",
 *   "abc\r\r"; also "PUB foo 0\r\nPING").
 * - UNSUB's max that is not a size counts as none: "UNSUB 1 abc"
 *   unsubscribes at once, as "UNSUB 1 0" does.
 * - HPUB before a CONNECT with "headers":true closes silently.
 * - While authentication is pending, any first byte but C or c answers
 *   "-ERR 'Authorization Violation'" and closes (PROTO_F_AUTH).
 * - -ERR from a client closes the connection (the caller's job; this
 *   parser hands it to on_err). +OK and INFO from a client are ignored,
 *   but an INFO whose JSON does not parse closes.
 */

enum proto_state {
	PROTO_S_START,		/* at the first byte of an operation */
	PROTO_S_SPACE,		/* name read; blanks before the arguments */
	PROTO_S_ARG,		/* buf[0] is the first argument byte */
	PROTO_S_LINE,		/* PING, PONG, +OK: skip to the newline */
	PROTO_S_PAYLOAD,	/* control line read; waiting for payload */
};

enum proto_form {
	PROTO_FORM_ARG,		/* name, blank, arguments */
	PROTO_FORM_JSON,	/* name, optional blanks, arguments */
	PROTO_FORM_LINE,	/* name, anything, newline */
};

#define K(k)		(1 << (k))
#define K_PEER		(K(PROTO_KIND_ROUTE) | K(PROTO_KIND_GATEWAY) | \
			    K(PROTO_KIND_LEAF))
#define K_ALL		(K_PEER | K(PROTO_KIND_CLIENT) | K(PROTO_KIND_SERVER))

static const struct proto_opdef {
	const char	*name;		/* lower case */
	const char	*wire;		/* for logs */
	unsigned char	 len;
	unsigned char	 form;
	unsigned char	 kinds;
} proto_ops[] = {
	[PROTO_OP_NONE] =	{ "", "", 0, 0, 0 },
	[PROTO_OP_CONNECT] =	{ "connect", "CONNECT", 7, PROTO_FORM_JSON,
				    K_PEER | K(PROTO_KIND_CLIENT) },
	[PROTO_OP_INFO] =	{ "info", "INFO", 4, PROTO_FORM_JSON, K_ALL },
	[PROTO_OP_PUB] =	{ "pub", "PUB", 3, PROTO_FORM_ARG,
				    K(PROTO_KIND_CLIENT) },
	[PROTO_OP_HPUB] =	{ "hpub", "HPUB", 4, PROTO_FORM_ARG,
				    K(PROTO_KIND_CLIENT) },
	[PROTO_OP_SUB] =	{ "sub", "SUB", 3, PROTO_FORM_ARG,
				    K(PROTO_KIND_CLIENT) },
	[PROTO_OP_UNSUB] =	{ "unsub", "UNSUB", 5, PROTO_FORM_ARG,
				    K(PROTO_KIND_CLIENT) },
	[PROTO_OP_PING] =	{ "ping", "PING", 4, PROTO_FORM_LINE, K_ALL },
	[PROTO_OP_PONG] =	{ "pong", "PONG", 4, PROTO_FORM_LINE, K_ALL },
	[PROTO_OP_OK] =		{ "+ok", "+OK", 3, PROTO_FORM_LINE, K_ALL },
	[PROTO_OP_ERR] =	{ "-err", "-ERR", 4, PROTO_FORM_ARG, K_ALL },
	[PROTO_OP_MSG] =	{ "msg", "MSG", 3, PROTO_FORM_ARG,
				    K(PROTO_KIND_SERVER) },
	[PROTO_OP_HMSG] =	{ "hmsg", "HMSG", 4, PROTO_FORM_ARG,
				    K_PEER | K(PROTO_KIND_SERVER) },
	[PROTO_OP_RSUB] =	{ "rs+", "RS+", 3, PROTO_FORM_ARG, K_PEER },
	[PROTO_OP_RUNSUB] =	{ "rs-", "RS-", 3, PROTO_FORM_ARG, K_PEER },
	[PROTO_OP_RMSG] =	{ "rmsg", "RMSG", 4, PROTO_FORM_ARG, K_PEER },
	[PROTO_OP_LSUB] =	{ "ls+", "LS+", 3, PROTO_FORM_ARG,
				    K(PROTO_KIND_ROUTE) | K(PROTO_KIND_LEAF) },
	[PROTO_OP_LUNSUB] =	{ "ls-", "LS-", 3, PROTO_FORM_ARG,
				    K(PROTO_KIND_ROUTE) | K(PROTO_KIND_LEAF) },
	[PROTO_OP_LMSG] =	{ "lmsg", "LMSG", 4, PROTO_FORM_ARG,
				    K(PROTO_KIND_ROUTE) | K(PROTO_KIND_LEAF) },
	[PROTO_OP_ASUB] =	{ "a+", "A+", 2, PROTO_FORM_ARG, K_PEER },
	[PROTO_OP_AUNSUB] =	{ "a-", "A-", 2, PROTO_FORM_ARG, K_PEER },
};

/*
 * The error table: nats-server's texts, byte for byte. SEND: it answers
 * -ERR '<text>'; otherwise the text is what it logs. CLOSE: it closes.
 */
static const struct proto_errdef {
	const char	*text;
	int		 flags;
} proto_errs[PROTO_ERR_MAX] = {
#define S	PROTO_ERRF_SEND
#define C	PROTO_ERRF_CLOSE
#define F	PROTO_ERRF_FMT
	[PROTO_ERR_NONE] = { "no error", 0 },
	[PROTO_ERR_UNKNOWN_OP] = { "Unknown Protocol Operation", S | C },
	[PROTO_ERR_MAX_CONTROL_LINE] = { "maximum control line exceeded",
	    S | C },
	[PROTO_ERR_MAX_PAYLOAD] = { "Maximum Payload Violation", S | C },
	[PROTO_ERR_AUTH_VIOLATION] = { "Authorization Violation", S | C },
	[PROTO_ERR_HEADERS_NOT_SUPPORTED] = { "message headers not supported",
	    C },
	[PROTO_ERR_PUB_ARGS] = { "processPub Parse Error", C },
	[PROTO_ERR_PUB_SIZE] = { "processPub Bad or Missing Size", C },
	[PROTO_ERR_HPUB_ARGS] = { "processHeaderPub Parse Error", C },
	[PROTO_ERR_HPUB_HDR_SIZE] = {
	    "processHeaderPub Bad or Missing Header Size", C },
	[PROTO_ERR_HPUB_SIZE] = {
	    "processHeaderPub Bad or Missing Total Size", C },
	[PROTO_ERR_HPUB_HDR_OVER] = {
	    "processHeaderPub Header Size larger then TotalSize", C },
	[PROTO_ERR_SUB_ARGS] = { "processSub Parse Error", C },
	[PROTO_ERR_UNSUB_ARGS] = { "processUnsub Parse Error", C },
	[PROTO_ERR_MSG_ARGS] = { "processMsgArgs Parse Error", C },
	[PROTO_ERR_MSG_REPLY_IND] = {
	    "processMsgArgs Bad or Missing Reply Indicator", C },
	[PROTO_ERR_MSG_HDR_SIZE] = {
	    "processMsgArgs Bad or Missing Header Size", C },
	[PROTO_ERR_MSG_SIZE] = { "processMsgArgs Bad or Missing Size", C },
	[PROTO_ERR_MSG_HDR_OVER] = {
	    "processMsgArgs Header Size larger then TotalSize", C },
	[PROTO_ERR_RSUB_ARGS] = { "processRemoteSub Parse Error", C },
	[PROTO_ERR_RUNSUB_ARGS] = { "processRemoteUnsub parse error", C },
	[PROTO_ERR_CONNECT_JSON] = { "CONNECT: invalid JSON", C },
	[PROTO_ERR_INFO_JSON] = { "INFO: invalid JSON", C },
	[PROTO_ERR_BAD_CLIENT_PROTOCOL] = { "invalid client protocol", S | C },
	[PROTO_ERR_NO_RESPONDERS_HEADERS] = {
	    "no responders requires headers support", S | C },
	[PROTO_ERR_AUTH_TIMEOUT] = { "Authentication Timeout", S | C },
	[PROTO_ERR_AUTH_EXPIRED] = { "User Authentication Expired", S | C },
	[PROTO_ERR_ACCOUNT_AUTH_EXPIRED] = {
	    "Account Authentication Expired", S | C },
	[PROTO_ERR_AUTH_REVOKED] = { "User Authentication Revoked", S | C },
	[PROTO_ERR_STALE_CONNECTION] = { "Stale Connection", S | C },
	[PROTO_ERR_STALE_LEAF] = { "Stale Leaf Node Connection - Closing",
	    S | C },
	/* nats-server 2.9 closes a slow consumer without any -ERR. */
	[PROTO_ERR_SLOW_CONSUMER] = { "Slow Consumer", C },
	[PROTO_ERR_MAX_CONNECTIONS] = { "maximum connections exceeded",
	    S | C },
	[PROTO_ERR_MAX_ACCOUNT_CONNECTIONS] = {
	    "maximum account active connections exceeded", S | C },
	[PROTO_ERR_MAX_SUBS] = { "maximum subscriptions exceeded", S },
	[PROTO_ERR_INVALID_SUBJECT] = { "Invalid Subject", S },
	[PROTO_ERR_INVALID_PUB_SUBJECT] = { "Invalid Publish Subject", S },
	[PROTO_ERR_INVALID_SUBSCRIPTION] = { "Invalid Subscription", S },
	[PROTO_ERR_PERM_PUB] = { "Permissions Violation for Publish to %q",
	    S | F },
	[PROTO_ERR_PERM_PUB_REPLY] = {
	    "Permissions Violation for Publish with Reply of %q", S | F },
	[PROTO_ERR_PERM_SUB] = {
	    "Permissions Violation for Subscription to %q", S | F },
	[PROTO_ERR_PERM_SUB_QUEUE] = {
	    "Permissions Violation for Subscription to %q using queue %q",
	    S | F },
	[PROTO_ERR_PERM_SUB_SID] = {
	    "Permissions Violation for Subscription to %q (sid %q)", S | F },
	[PROTO_ERR_PERM_SUB_TOKENS] = {
	    "Permissions Violation for Subscription to %q, too many tokens",
	    S | F },
	[PROTO_ERR_TLS_REQUIRED] = { "Secure Connection - TLS Required",
	    S | C },
	[PROTO_ERR_THROTTLED] = {
	    "Connection throttling is active. Please try again later.",
	    S | C },
	[PROTO_ERR_FAILED_ACCOUNT_REG] = { "Failed Account Registration", S },
	[PROTO_ERR_ROUTE_PORT] = { "attempted to connect to route port",
	    S | C },
	[PROTO_ERR_LEAF_PORT] = { "attempted to connect to leaf node port",
	    S | C },
#undef S
#undef C
#undef F
};

/* Argument separators: 1 blank, 2 also for SUB and the peer ops. */
#define PROTO_SEP_BLANK	0x01
#define PROTO_SEP_CRLF	0x02
static const unsigned char proto_sep[256] = {
	[' '] = PROTO_SEP_BLANK | PROTO_SEP_CRLF,
	['\t'] = PROTO_SEP_BLANK | PROTO_SEP_CRLF,
	['\r'] = PROTO_SEP_CRLF,
	['\n'] = PROTO_SEP_CRLF,
};

#define PROTO_NTOK	6	/* enough for every fixed argument */

/* An argument line split into tokens: the first few and the last three. */
struct proto_split {
	int		 n;
	struct proto_tok t[PROTO_NTOK];
	struct proto_tok tail[3];	/* tail[2] is the last token */
};

static void	proto_split(const char *, size_t, int, struct proto_split *);
static int	proto_split_few(const char *, size_t, int, struct proto_tok *,
		    int);
static int64_t	proto_size(const struct proto_tok *);
static int	proto_fail(struct proto *, enum proto_err, size_t);
static int	proto_start(struct proto *, const unsigned char *, size_t,
		    size_t *);
static int	proto_arg(struct proto *, const char *, size_t);
static int	proto_simple(struct proto *, const struct proto_cb *, void *);
static ssize_t	proto_line(struct proto *, const char *, size_t,
		    const struct proto_cb *, void *, int *);
static int	proto_pub(struct proto *, const char *, struct proto_msg *);
static int	proto_hpub(struct proto *, const char *, struct proto_msg *);
static int	proto_msgargs(struct proto *, const char *,
		    struct proto_msg *);
static int	proto_subargs(struct proto *, const char *,
		    struct proto_sub *);
static int	proto_unsubargs(struct proto *, const char *,
		    struct proto_unsub *);
static int	proto_trailer(struct proto *, const char *, size_t);
static size_t	proto_pub_fast(struct proto *, const char *, size_t,
		    const struct proto_cb *, void *, int *);

/*
 * Reset p for a new connection of the given kind with nats-server's
 * default limits (none on payloads from peers, as nats-server).
 */
void
proto_init(struct proto *p, enum proto_kind kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->state = PROTO_S_START;
	if (kind == PROTO_KIND_CLIENT) {
		p->max_control_line = PROTO_MAX_CONTROL_LINE;
		p->max_payload = PROTO_MAX_PAYLOAD;
	} else {
		p->max_control_line = PROTO_PEER_MAX_CONTROL_LINE;
		p->max_payload = -1;
	}
}

const char *
proto_opname(enum proto_op op)
{
	if ((unsigned)op >= sizeof(proto_ops) / sizeof(proto_ops[0]))
		return ("?");
	return (proto_ops[op].wire);
}

/*
 * Record a protocol error found at buf offset off; always returns -1 so
 * callers can "return (proto_fail(...))".
 */
static int
proto_fail(struct proto *p, enum proto_err e, size_t off)
{
	p->err = e;
	p->err_close = (proto_errs[e].flags & PROTO_ERRF_CLOSE) != 0;
	p->err_off = off;
	return (-1);
}

/*
 * Split s[0..len) on blanks (and on '\r' and '\n' if crlf) into sp.
 * Tokens past PROTO_NTOK are counted and the last three kept.
 */
static void
proto_split(const char *s, size_t len, int crlf, struct proto_split *sp)
{
	unsigned char	 mask = crlf ? PROTO_SEP_CRLF : PROTO_SEP_BLANK;
	size_t		 i = 0, start;
	struct proto_tok t;

	sp->n = 0;
	memset(sp->tail, 0, sizeof(sp->tail));
	for (;;) {
		while (i < len && (proto_sep[(unsigned char)s[i]] & mask))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !(proto_sep[(unsigned char)s[i]] & mask))
			i++;
		t.ptr = s + start;
		t.len = i - start;
		if (sp->n < PROTO_NTOK)
			sp->t[sp->n] = t;
		sp->tail[0] = sp->tail[1];
		sp->tail[1] = sp->tail[2];
		sp->tail[2] = t;
		sp->n++;
	}
}

/*
 * Split s[0..len) like proto_split into at most max tokens; returns the
 * count, or max + 1 as soon as there are more. The fast path for the
 * operations with a fixed number of arguments.
 */
static inline int
proto_split_few(const char *s, size_t len, int crlf, struct proto_tok *t,
    int max)
{
	unsigned char	 mask = crlf ? PROTO_SEP_CRLF : PROTO_SEP_BLANK;
	size_t		 i = 0, start;
	int		 n = 0;

	for (;;) {
		while (i < len && (proto_sep[(unsigned char)s[i]] & mask))
			i++;
		if (i == len)
			return (n);
		if (n == max)
			return (max + 1);
		start = i;
		while (i < len && !(proto_sep[(unsigned char)s[i]] & mask))
			i++;
		t[n].ptr = s + start;
		t[n].len = i - start;
		n++;
	}
}

/*
 * A size as nats-server reads one: 1 to 9 decimal digits, nothing else.
 * Returns the value or -1.
 */
static int64_t
proto_size(const struct proto_tok *t)
{
	int64_t	 n = 0;
	size_t	 i;

	if (t->len == 0 || t->len > 9)
		return (-1);
	for (i = 0; i < t->len; i++) {
		if (t->ptr[i] < '0' || t->ptr[i] > '9')
			return (-1);
		n = n * 10 + (t->ptr[i] - '0');
	}
	return (n);
}

/*
 * Step over the next blank-separated token of span, storing it in tok.
 * Returns 1, or 0 at the end of span. For walking proto_msg.queues.
 */
int
proto_tok_next(struct proto_tok *span, struct proto_tok *tok)
{
	size_t	 i = 0;

	while (i < span->len &&
	    (proto_sep[(unsigned char)span->ptr[i]] & PROTO_SEP_CRLF))
		i++;
	if (i == span->len) {
		span->len = 0;	/* ptr may be NULL: leave it */
		return (0);
	}
	tok->ptr = span->ptr + i;
	while (i < span->len &&
	    !(proto_sep[(unsigned char)span->ptr[i]] & PROTO_SEP_CRLF))
		i++;
	tok->len = span->ptr + i - tok->ptr;
	span->ptr += i;
	span->len -= i;
	return (1);
}

/* Byte b matches c, a lower-case name byte; letters case-insensitively. */
static inline int
proto_eq(unsigned char b, char c)
{
	if (c >= 'a' && c <= 'z')
		return ((b | 0x20) == (unsigned char)c);
	return (b == (unsigned char)c);
}

/*
 * Recognise the operation name at b[0..n). Returns 1 with p->op set and
 * *used the bytes it spans (with the blank after it for PROTO_FORM_ARG),
 * 0 if n bytes are a proper prefix of a name, or -1 with the error
 * recorded at the offending byte (offsets relative to b).
 */
static int
proto_start(struct proto *p, const unsigned char *b, size_t n, size_t *used)
{
	const struct proto_opdef	*od;
	enum proto_op			 op;
	size_t				 i, k = 1;

	if ((p->flags & PROTO_F_AUTH) && b[0] != 'C' && b[0] != 'c')
		return (proto_fail(p, PROTO_ERR_AUTH_VIOLATION, 0));
	switch (b[0]) {
	case 'P': case 'p':
		if (n < 2)
			return (0);
		switch (b[1] | 0x20) {
		case 'u':
			op = PROTO_OP_PUB;
			break;
		case 'i':
			op = PROTO_OP_PING;
			break;
		case 'o':
			op = PROTO_OP_PONG;
			break;
		default:
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 1));
		}
		k = 2;
		break;
	case 'H': case 'h':
		if (n < 2)
			return (0);
		if ((b[1] | 0x20) == 'p')
			op = PROTO_OP_HPUB;
		else if ((b[1] | 0x20) == 'm')
			op = PROTO_OP_HMSG;
		else
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 1));
		k = 2;
		break;
	case 'S': case 's':
		op = PROTO_OP_SUB;
		break;
	case 'U': case 'u':
		op = PROTO_OP_UNSUB;
		break;
	case 'C': case 'c':
		op = PROTO_OP_CONNECT;
		break;
	case 'I': case 'i':
		op = PROTO_OP_INFO;
		break;
	case 'M': case 'm':
		op = PROTO_OP_MSG;
		break;
	case '+':
		op = PROTO_OP_OK;
		break;
	case '-':
		op = PROTO_OP_ERR;
		break;
	case 'R': case 'r':
	case 'L': case 'l': {
		int	 route = (b[0] | 0x20) == 'r';

		/* Refuse before the second byte, as nats-server does. */
		if (p->kind == PROTO_KIND_CLIENT ||
		    p->kind == PROTO_KIND_SERVER ||
		    (!route && p->kind == PROTO_KIND_GATEWAY))
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 0));
		if (n < 2)
			return (0);
		if ((b[1] | 0x20) == 'm') {
			op = route ? PROTO_OP_RMSG : PROTO_OP_LMSG;
			k = 2;
			break;
		}
		if ((b[1] | 0x20) != 's')
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 1));
		if (n < 3)
			return (0);
		if (b[2] == '+')
			op = route ? PROTO_OP_RSUB : PROTO_OP_LSUB;
		else if (b[2] == '-')
			op = route ? PROTO_OP_RUNSUB : PROTO_OP_LUNSUB;
		else
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 2));
		k = 3;
		break;
	}
	case 'A': case 'a':
		if (p->kind == PROTO_KIND_CLIENT ||
		    p->kind == PROTO_KIND_SERVER)
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 0));
		if (n < 2)
			return (0);
		/* nats-server takes "A-" and, oddly, "Au" alike. */
		if (b[1] == '+')
			op = PROTO_OP_ASUB;
		else if (b[1] == '-' || b[1] == 'u')
			op = PROTO_OP_AUNSUB;
		else
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 1));
		k = 2;
		break;
	default:
		return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 0));
	}

	od = &proto_ops[op];
	if (!(od->kinds & K(p->kind)))
		return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, k - 1));
	for (i = k; i < od->len; i++) {
		if (i == n)
			return (0);
		if (!proto_eq(b[i], od->name[i]))
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, i));
	}
	if (od->form == PROTO_FORM_ARG) {
		if (i == n)
			return (0);
		if (b[i] != ' ' && b[i] != '\t')
			return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, i));
		i++;
	}
	p->op = op;
	*used = i;
	return (1);
}

/*
 * Check the two bytes after a payload that has size bytes after a control
 * line of ctl bytes, of which avail are in a. Returns 1 if "\r\n" is
 * there, 0 if not all of it has arrived, -1 (error recorded, offsets
 * relative to a) if a byte there is wrong.
 */
static int
proto_trailer(struct proto *p, const char *a, size_t avail)
{
	size_t	 end = p->ctl_len + p->size;

	if (avail <= end)
		return (0);
	if (a[end] != '\r')
		return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, end));
	if (avail == end + 1)
		return (0);
	if (a[end + 1] != '\n')
		return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, end + 1));
	return (1);
}

/* PUB subject [reply] size; a[0..p->arg_len) are the arguments. */
static int
proto_pub(struct proto *p, const char *a, struct proto_msg *m)
{
	struct proto_tok	 t[3];
	int64_t			 size;
	int			 n;

	n = proto_split_few(a, p->arg_len, 0, t, 3);
	if (n == 2) {
		m->reply.len = 0;
		size = proto_size(&t[1]);
	} else if (n == 3) {
		m->reply = t[1];
		size = proto_size(&t[2]);
	} else
		return (proto_fail(p, PROTO_ERR_PUB_ARGS, 0));
	m->subject = t[0];
	if (size < 0)
		return (proto_fail(p, PROTO_ERR_PUB_SIZE, 0));
	if (p->max_payload >= 0 && size > p->max_payload)
		return (proto_fail(p, PROTO_ERR_MAX_PAYLOAD, 0));
	m->hdr_len = -1;
	m->size = size;
	return (0);
}

/* HPUB subject [reply] hdr_len total_len. */
static int
proto_hpub(struct proto *p, const char *a, struct proto_msg *m)
{
	struct proto_tok	 t[4];
	int64_t			 hdr, size;
	int			 n;

	if (!(p->flags & PROTO_F_HEADERS))
		return (proto_fail(p, PROTO_ERR_HEADERS_NOT_SUPPORTED, 0));
	n = proto_split_few(a, p->arg_len, 0, t, 4);
	if (n == 3)
		m->reply.len = 0;
	else if (n == 4)
		m->reply = t[1];
	else
		return (proto_fail(p, PROTO_ERR_HPUB_ARGS, 0));
	m->subject = t[0];
	hdr = proto_size(&t[n - 2]);
	size = proto_size(&t[n - 1]);
	if (hdr < 0)
		return (proto_fail(p, PROTO_ERR_HPUB_HDR_SIZE, 0));
	if (size < 0)
		return (proto_fail(p, PROTO_ERR_HPUB_SIZE, 0));
	if (hdr > size)
		return (proto_fail(p, PROTO_ERR_HPUB_HDR_OVER, 0));
	if (p->max_payload >= 0 && size > p->max_payload)
		return (proto_fail(p, PROTO_ERR_MAX_PAYLOAD, 0));
	m->hdr_len = hdr;
	m->size = size;
	return (0);
}

/*
 * MSG and HMSG from a server; RMSG, LMSG, HMSG from peers. The leading
 * fixed arguments (np of them) depend on the kind and op; then
 * [reply | "+" reply queue... | "|" queue...], then [hdr_len] size, as
 * processRoutedMsgArgs and its siblings read them.
 */
static int
proto_msgargs(struct proto *p, const char *a, struct proto_msg *m)
{
	struct proto_split	 sp;
	int			 np, nt, qs, queues = 1;
	int64_t			 hdr = -1, size;

	nt = p->op == PROTO_OP_HMSG || (p->op == PROTO_OP_LMSG &&
	    p->kind == PROTO_KIND_ROUTE) ? 2 : 1;
	switch (p->kind) {
	case PROTO_KIND_SERVER:
		np = 2;		/* subject sid */
		queues = 0;
		break;
	case PROTO_KIND_LEAF:
		np = 1;		/* subject */
		break;
	default:
		/* [origin] account subject */
		np = p->op == PROTO_OP_LMSG ? 3 : 2;
		break;
	}
	proto_split(a, p->arg_len, 1, &sp);
	if (sp.n < np + nt || (!queues && sp.n > np + nt + 1))
		return (proto_fail(p, PROTO_ERR_MSG_ARGS, 0));
	memset(&m->reply, 0, sizeof(m->reply));
	memset(&m->queues, 0, sizeof(m->queues));
	m->nqueues = 0;
	if (sp.n == np + nt + 1)
		m->reply = sp.t[np];
	else if (sp.n > np + nt + 1) {
		if (sp.t[np].len != 1)
			return (proto_fail(p, PROTO_ERR_MSG_REPLY_IND, 0));
		if (sp.t[np].ptr[0] == '+') {
			m->reply = sp.t[np + 1];
			qs = np + 2;
		} else if (sp.t[np].ptr[0] == '|')
			qs = np + 1;
		else
			return (proto_fail(p, PROTO_ERR_MSG_REPLY_IND, 0));
		m->nqueues = sp.n - nt - qs;
		if (m->nqueues > 0) {
			const struct proto_tok *last = &sp.tail[2 - nt];

			m->queues.ptr = sp.t[qs].ptr;
			m->queues.len = last->ptr + last->len - sp.t[qs].ptr;
		}
	}
	if (nt == 2)
		hdr = proto_size(&sp.tail[1]);
	size = proto_size(&sp.tail[2]);
	if (nt == 2 && hdr < 0)
		return (proto_fail(p, PROTO_ERR_MSG_HDR_SIZE, 0));
	if (size < 0)
		return (proto_fail(p, PROTO_ERR_MSG_SIZE, 0));
	if (hdr > size)
		return (proto_fail(p, PROTO_ERR_MSG_HDR_OVER, 0));
	if (p->max_payload >= 0 && size > p->max_payload)
		return (proto_fail(p, PROTO_ERR_MAX_PAYLOAD, 0));

	memset(&m->sid, 0, sizeof(m->sid));
	memset(&m->account, 0, sizeof(m->account));
	memset(&m->origin, 0, sizeof(m->origin));
	if (p->kind == PROTO_KIND_SERVER) {
		m->subject = sp.t[0];
		m->sid = sp.t[1];
	} else if (np == 1)
		m->subject = sp.t[0];
	else if (np == 2) {
		m->account = sp.t[0];
		m->subject = sp.t[1];
	} else {
		m->origin = sp.t[0];
		m->account = sp.t[1];
		m->subject = sp.t[2];
	}
	m->hdr_len = hdr;
	m->size = size;
	return (0);
}

/* SUB subject [queue] sid; RS+/LS+ by kind. */
static int
proto_subargs(struct proto *p, const char *a, struct proto_sub *s)
{
	struct proto_split	 sp;
	int			 off = 0;

	memset(s, 0, sizeof(*s));
	s->op = p->op;
	s->raw.ptr = a;
	s->raw.len = p->arg_len;
	proto_split(a, p->arg_len, 1, &sp);
	switch (p->kind) {
	case PROTO_KIND_CLIENT:
		if (sp.n != 2 && sp.n != 3)
			return (proto_fail(p, PROTO_ERR_SUB_ARGS, 0));
		s->subject = sp.t[0];
		if (sp.n == 3)
			s->queue = sp.t[1];
		s->sid = sp.tail[2];
		return (0);
	case PROTO_KIND_LEAF:
		/* subject [queue weight] */
		if (sp.n != 1 && sp.n != 3)
			return (proto_fail(p, PROTO_ERR_RSUB_ARGS, 0));
		s->subject = sp.t[0];
		break;
	default:
		/* [origin] account subject [queue weight] */
		if (p->op == PROTO_OP_LSUB)
			off = 1;
		if (sp.n != 2 + off && sp.n != 4 + off)
			return (proto_fail(p, PROTO_ERR_RSUB_ARGS, 0));
		if (off)
			s->origin = sp.t[0];
		s->account = sp.t[off];
		s->subject = sp.t[off + 1];
		break;
	}
	if (sp.n > 2 + off) {
		s->queue = sp.tail[1];
		s->weight = (int32_t)proto_size(&sp.tail[2]);
	}
	return (0);
}

/* UNSUB sid [max]; RS-/LS- by kind. */
static int
proto_unsubargs(struct proto *p, const char *a, struct proto_unsub *u)
{
	struct proto_split	 sp;

	memset(u, 0, sizeof(*u));
	u->op = p->op;
	u->max = -1;
	u->raw.ptr = a;
	u->raw.len = p->arg_len;
	proto_split(a, p->arg_len, 1, &sp);
	switch (p->kind) {
	case PROTO_KIND_CLIENT:
		if (sp.n != 1 && sp.n != 2)
			return (proto_fail(p, PROTO_ERR_UNSUB_ARGS, 0));
		u->sid = sp.t[0];
		if (sp.n == 2)
			u->max = proto_size(&sp.t[1]);
		return (0);
	case PROTO_KIND_LEAF:
		/* nats-server looks the raw arguments up; no count check. */
		if (sp.n >= 1)
			u->subject = sp.t[0];
		if (sp.n >= 2)
			u->queue = sp.t[1];
		return (0);
	default:
		/* account subject [queue] */
		if (sp.n != 2 && sp.n != 3)
			return (proto_fail(p, PROTO_ERR_RUNSUB_ARGS, 0));
		u->account = sp.t[0];
		u->subject = sp.t[1];
		if (sp.n == 3)
			u->queue = sp.t[2];
		return (0);
	}
}

/*
 * Act on a complete control line: a[0..p->arg_len) are the arguments,
 * a[0..p->ctl_len) the line through its '\n', avail bytes are in a.
 * Returns the bytes the operation spans from a (payload and its "\r\n"
 * included) after its callback ran, setting *stop if the callback asked
 * to stop; 0 if its payload has not all arrived (state PROTO_S_PAYLOAD,
 * p->need set); -1 on an error (recorded, offset relative to a).
 */
static ssize_t
proto_line(struct proto *p, const char *a, size_t avail,
    const struct proto_cb *cb, void *arg, int *stop)
{
	struct proto_msg	 m;
	struct proto_sub	 s;
	struct proto_unsub	 u;
	int			 r;

	if (p->state == PROTO_S_PAYLOAD &&
	    avail < p->ctl_len + p->size + 2) {
		/* Still short: only look for a wrong trailer byte. */
		if (proto_trailer(p, a, avail) == -1)
			return (-1);
		p->need = p->ctl_len + p->size + 2;
		return (0);
	}
	switch (p->op) {
	case PROTO_OP_PUB:
	case PROTO_OP_HPUB:
	case PROTO_OP_MSG:
	case PROTO_OP_HMSG:
	case PROTO_OP_RMSG:
	case PROTO_OP_LMSG:
		if (p->op == PROTO_OP_PUB)
			r = proto_pub(p, a, &m);
		else if (p->op == PROTO_OP_HPUB)
			r = proto_hpub(p, a, &m);
		else
			r = proto_msgargs(p, a, &m);
		if (r == -1)
			return (-1);
		p->size = m.size;
		if ((r = proto_trailer(p, a, avail)) != 1) {
			if (r == -1)
				return (-1);
			p->state = PROTO_S_PAYLOAD;
			p->need = p->ctl_len + p->size + 2;
			return (0);
		}
		m.op = p->op;
		m.payload = a + p->ctl_len;
		if (p->op == PROTO_OP_PUB || p->op == PROTO_OP_HPUB) {
			memset(&m.sid, 0, sizeof(m.sid));
			memset(&m.account, 0, sizeof(m.account));
			memset(&m.origin, 0, sizeof(m.origin));
			memset(&m.queues, 0, sizeof(m.queues));
			m.nqueues = 0;
			r = cb->on_pub != NULL ? cb->on_pub(arg, &m) : 0;
		} else
			r = cb->on_msg != NULL ? cb->on_msg(arg, &m) : 0;
		p->state = PROTO_S_START;
		*stop = r == -1;
		return (p->ctl_len + p->size + 2);
	case PROTO_OP_SUB:
	case PROTO_OP_RSUB:
	case PROTO_OP_LSUB:
		if (proto_subargs(p, a, &s) == -1)
			return (-1);
		r = cb->on_sub != NULL ? cb->on_sub(arg, &s) : 0;
		break;
	case PROTO_OP_UNSUB:
	case PROTO_OP_RUNSUB:
	case PROTO_OP_LUNSUB:
		if (proto_unsubargs(p, a, &u) == -1)
			return (-1);
		r = cb->on_unsub != NULL ? cb->on_unsub(arg, &u) : 0;
		break;
	case PROTO_OP_CONNECT:
		r = cb->on_connect != NULL ?
		    cb->on_connect(arg, a, p->arg_len) : 0;
		break;
	case PROTO_OP_INFO:
		r = cb->on_info != NULL ? cb->on_info(arg, a, p->arg_len) : 0;
		break;
	case PROTO_OP_ERR:
		r = cb->on_err != NULL ? cb->on_err(arg, a, p->arg_len) : 0;
		break;
	case PROTO_OP_ASUB:
	case PROTO_OP_AUNSUB:
		r = cb->on_account != NULL ?
		    cb->on_account(arg, p->op, a, p->arg_len) : 0;
		break;
	default:
		return (proto_fail(p, PROTO_ERR_UNKNOWN_OP, 0));
	}
	p->state = PROTO_S_START;
	*stop = r == -1;
	return (p->ctl_len);
}

/*
 * Find the end of the control line whose arguments start at a[0], avail
 * bytes held. Returns 1 with p->ctl_len and p->arg_len set, 0 if the
 * newline has not arrived (p->need set), -1 if the line is over
 * max_control_line (error recorded, offset relative to a).
 */
static int
proto_arg(struct proto *p, const char *a, size_t avail)
{
	const char	*nl;
	size_t		 drop;

	if (p->scan > avail)
		p->scan = 1;		/* the caller broke the contract */
	if ((nl = memchr(a + p->scan, '\n', avail - p->scan)) == NULL) {
		p->scan = avail;
		/* As nats-server: a '\r' seen is not counted. */
		drop = avail == p->max_control_line + 1 &&
		    memchr(a + 1, '\r', avail - 1) != NULL;
		if (p->max_control_line != 0 &&
		    avail - drop > p->max_control_line)
			return (proto_fail(p, PROTO_ERR_MAX_CONTROL_LINE, 0));
		p->need = avail + 1;
		return (0);
	}
	p->ctl_len = nl - a + 1;
	p->arg_len = nl - a;
	if (p->arg_len > 1 && (a[p->arg_len - 1] == '\r' ||
	    memchr(a + 1, '\r', p->arg_len - 1) != NULL))
		p->arg_len--;
	if (p->max_control_line != 0 && p->arg_len > p->max_control_line)
		return (proto_fail(p, PROTO_ERR_MAX_CONTROL_LINE, 0));
	return (1);
}

/* PING, PONG, +OK: their line has ended. */
static int
proto_simple(struct proto *p, const struct proto_cb *cb, void *arg)
{
	p->state = PROTO_S_START;
	if (p->op == PROTO_OP_PING && cb->on_ping != NULL)
		return (cb->on_ping(arg));
	if (p->op == PROTO_OP_PONG && cb->on_pong != NULL)
		return (cb->on_pong(arg));
	if (p->op == PROTO_OP_OK && cb->on_ok != NULL)
		return (cb->on_ok(arg));
	return (0);
}

/*
 * The first byte at or after q that is a blank or a control character
 * (<= ' '), looking at 8 bytes at a time; NULL if none is found among
 * the whole words before end.
 */
static inline const char *
proto_ctl_find(const char *q, const char *end)
{
	const uint64_t	 ones = 0x0101010101010101ULL;
	uint64_t	 x, t;

	for (; end - q >= 8; q += 8) {
		memcpy(&x, q, sizeof(x));
		/* The lowest byte below 0x21 sets its high bit in t. */
		t = (x - ones * 0x21) & ~x & ones * 0x80;
		if (t != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return (q + (__builtin_ctzll(t) >> 3));
#else
			return (q + (__builtin_clzll(t) >> 3));
#endif
		}
	}
	return (NULL);
}

/*
 * The common case of a client's PUB, in one pass: the whole operation
 * is in a, its control line ends in "\r\n", its arguments hold no
 * control character, and every check passes. Calls on_pub and returns
 * the bytes the operation spans, setting *stop as proto_line does.
 * Returns 0 for anything else, having changed nothing: the general
 * path then parses the same bytes from the start, so whatever this
 * declines behaves exactly as before.
 */
static size_t
proto_pub_fast(struct proto *p, const char *a, size_t avail,
    const struct proto_cb *cb, void *arg, int *stop)
{
	const char		*q = a + 4, *end = a + avail, *args, *tok[3];
	size_t			 len[3], ctl, size, i;
	struct proto_msg	 m;
	unsigned char		 c;
	int			 n = 0;

	if (avail < 8 || (a[0] | 0x20) != 'p' || (a[1] | 0x20) != 'u' ||
	    (a[2] | 0x20) != 'b' || (a[3] != ' ' && a[3] != '\t'))
		return (0);
	/*
	 * The plainest and commonest form, "PUB subject size\r\n", without
	 * the loop over tokens. Anything else is left to the loop below,
	 * which accepts the same.
	 */
	if ((q = proto_ctl_find(args = a + 4, end)) != NULL && *q == ' ' &&
	    q > args) {
		const char	*d = q + 1;

		for (size = 0; d < end && d - q <= 9 &&
		    (c = *d - '0') <= 9; d++)
			size = size * 10 + c;
		if (d > q + 1 && end - d >= 2 && d[0] == '\r' &&
		    d[1] == '\n' && (p->max_control_line == 0 ||
		    (size_t)(d - args) <= p->max_control_line) &&
		    (p->max_payload < 0 || size <= (uint64_t)p->max_payload)) {
			tok[0] = args;
			len[0] = q - args;
			n = 2;
			ctl = d + 2 - a;
			goto payload;
		}
	}
	q = a + 4;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	args = q;
	for (;;) {
		tok[n] = q;
		if ((q = proto_ctl_find(q, end)) == NULL)
			return (0);
		len[n] = q - tok[n];
		n++;
		if (*q == '\r')
			break;
		if (*q != ' ' && *q != '\t')
			return (0);
		while (++q < end && (*q == ' ' || *q == '\t'))
			;
		if (q == end)
			return (0);
		if (*q == '\r')
			break;
		if (n == 3)
			return (0);
	}
	/* q is at a '\r': it must end the line. */
	if (n < 2 || len[n - 1] == 0 || q + 1 == end || q[1] != '\n')
		return (0);
	if (p->max_control_line != 0 &&
	    (size_t)(q - args) > p->max_control_line)
		return (0);
	if (len[n - 1] > 9)
		return (0);
	for (i = 0, size = 0; i < len[n - 1]; i++) {
		c = tok[n - 1][i] - '0';
		if (c > 9)
			return (0);
		size = size * 10 + c;
	}
	if (p->max_payload >= 0 && size > (uint64_t)p->max_payload)
		return (0);
	ctl = q + 2 - a;
payload:
	if (avail - ctl < size + 2 || a[ctl + size] != '\r' ||
	    a[ctl + size + 1] != '\n')
		return (0);

	m.op = PROTO_OP_PUB;
	m.subject.ptr = tok[0];
	m.subject.len = len[0];
	m.reply.ptr = n == 3 ? tok[1] : NULL;
	m.reply.len = n == 3 ? len[1] : 0;
	m.sid.ptr = m.account.ptr = m.origin.ptr = m.queues.ptr = NULL;
	m.sid.len = m.account.len = m.origin.len = m.queues.len = 0;
	m.nqueues = 0;
	m.hdr_len = -1;
	m.size = size;
	m.payload = a + ctl;
	p->op = PROTO_OP_PUB;
	*stop = cb->on_pub != NULL && cb->on_pub(arg, &m) == -1;
	return (ctl + size + 2);
}

/*
 * Parse the operations in buf[0..len). Calls back for each complete one.
 * Returns the bytes consumed: the caller drops them, keeps the rest at
 * the start of its buffer and calls again with more appended (the rest
 * must be given again; the parser keeps offsets into it). p->need then
 * says how many bytes the next buffer must hold for progress (0: any);
 * for a large payload it is the whole operation, so the buffer can be
 * grown once. Returns -1 on a protocol error (p->err, p->err_close,
 * p->err_off set; the connection cannot go on) or when a callback
 * returned -1 (p->err is PROTO_ERR_NONE; its operation is consumed).
 * p->consumed is set either way.
 */
ssize_t
proto_parse(struct proto *p, const char *buf, size_t len,
    const struct proto_cb *cb, void *arg)
{
	const char	*a, *nl;
	size_t		 pos = 0, avail, used;
	ssize_t		 n;
	int		 r = 0, stop = 0;

	p->err = PROTO_ERR_NONE;
	p->need = 0;
	while (pos < len && r == 0 && !stop) {
		a = buf + pos;
		avail = len - pos;
		switch (p->state) {
		case PROTO_S_START:
			if (p->kind == PROTO_KIND_CLIENT &&
			    !(p->flags & PROTO_F_AUTH) &&
			    (used = proto_pub_fast(p, a, avail, cb, arg,
			    &stop)) > 0) {
				pos += used;
				break;
			}
			if ((r = proto_start(p, (const unsigned char *)a, avail,
			    &used)) != 1) {
				if (r == 0)
					p->need = avail + 1;
				r = r == 0 ? 1 : -1;
				break;
			}
			r = 0;
			pos += used;
			p->state = proto_ops[p->op].form == PROTO_FORM_LINE ?
			    PROTO_S_LINE : PROTO_S_SPACE;
			break;
		case PROTO_S_SPACE:
			while (pos < len && (buf[pos] == ' ' ||
			    buf[pos] == '\t'))
				pos++;
			if (pos < len) {
				/* nats-server never reads this byte as '\n'. */
				p->state = PROTO_S_ARG;
				p->scan = 1;
			}
			break;
		case PROTO_S_LINE:
			if ((nl = memchr(a, '\n', avail)) == NULL) {
				pos = len;
				break;
			}
			pos += nl - a + 1;
			stop = proto_simple(p, cb, arg) == -1;
			break;
		case PROTO_S_ARG:
			if ((r = proto_arg(p, a, avail)) != 1) {
				r = r == 0 ? 1 : -1;
				break;
			}
			r = 0;
			/* FALLTHROUGH */
		case PROTO_S_PAYLOAD:
			if ((n = proto_line(p, a, avail, cb, arg, &stop)) == -1)
				r = -1;
			else if (n == 0)
				r = 1;
			else
				pos += n;
			break;
		}
	}
	p->consumed = pos;
	if (r == -1) {
		p->err_off += pos;
		return (-1);
	}
	return (stop ? -1 : (ssize_t)pos);
}

const char *
proto_errstr(enum proto_err e)
{
	if ((unsigned)e >= PROTO_ERR_MAX || proto_errs[e].text == NULL)
		return ("unknown error");
	return (proto_errs[e].text);
}

int
proto_errflags(enum proto_err e)
{
	if ((unsigned)e >= PROTO_ERR_MAX)
		return (0);
	return (proto_errs[e].flags);
}

/* Append byte c to dst if it fits; count it anyway. */
static inline void
proto_put(char *dst, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		dst[*n] = c;
	(*n)++;
}

/*
 * Length of the valid UTF-8 sequence at s[0..len) (2 to 4), or 0. Sets
 * *cp to its code point.
 */
static size_t
proto_utf8(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/*
 * Quote s[0..len) as Go's %q does (strconv.Quote) into dst, NUL
 * terminated if size > 0; returns the length the quoted form needs, as
 * snprintf. ASCII and invalid UTF-8 follow Go exactly; of the non-ASCII
 * code points only C1 controls and U+00AD are treated as unprintable,
 * where Go consults its full Unicode tables.
 */
size_t
proto_quote(char *dst, size_t size, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n = 0, i, k, j;
	uint32_t		 cp;
	char			 e;

	proto_put(dst, size, &n, '"');
	for (i = 0; i < len; i++) {
		e = 0;
		switch (u[i]) {
		case '\a': e = 'a'; break;
		case '\b': e = 'b'; break;
		case '\f': e = 'f'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\t': e = 't'; break;
		case '\v': e = 'v'; break;
		case '"': e = '"'; break;
		case '\\': e = '\\'; break;
		}
		if (e != 0) {
			proto_put(dst, size, &n, '\\');
			proto_put(dst, size, &n, e);
			continue;
		}
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			proto_put(dst, size, &n, u[i]);
			continue;
		}
		if (u[i] >= 0x80 && (k = proto_utf8(u + i, len - i, &cp)) > 0) {
			if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xad) {
				proto_put(dst, size, &n, '\\');
				proto_put(dst, size, &n, 'u');
				for (j = 0; j < 4; j++)
					proto_put(dst, size, &n,
					    hex[(cp >> (12 - 4 * j)) & 0xf]);
			} else {
				for (j = 0; j < k; j++)
					proto_put(dst, size, &n, u[i + j]);
			}
			i += k - 1;
			continue;
		}
		proto_put(dst, size, &n, '\\');
		proto_put(dst, size, &n, 'x');
		proto_put(dst, size, &n, hex[u[i] >> 4]);
		proto_put(dst, size, &n, hex[u[i] & 0xf]);
	}
	proto_put(dst, size, &n, '"');
	if (size > 0)
		dst[n < size ? n : size - 1] = '\0';
	return (n);
}

/*
 * Write the wire form "-ERR '<text>'\r\n" of e into dst (NUL terminated
 * if size > 0), the first and second %q of the text replaced by a and b
 * quoted as Go does. Returns the length it needs, as snprintf.
 */
size_t
proto_err_format(char *dst, size_t size, enum proto_err e, const char *a,
    size_t alen, const char *b, size_t blen)
{
	static const char	 prefix[] = "-ERR '";
	const char		*t = proto_errstr(e);
	size_t			 n = 0, i;
	int			 arg = 0;

	for (i = 0; prefix[i] != '\0'; i++)
		proto_put(dst, size, &n, prefix[i]);
	for (; *t != '\0'; t++) {
		if (t[0] == '%' && t[1] == 'q') {
			if (n < size)
				n += proto_quote(dst + n, size - n,
				    arg == 0 ? a : b, arg == 0 ? alen : blen);
			else
				n += proto_quote(NULL, 0,
				    arg == 0 ? a : b, arg == 0 ? alen : blen);
			arg++;
			t++;
			continue;
		}
		proto_put(dst, size, &n, *t);
	}
	proto_put(dst, size, &n, '\'');
	proto_put(dst, size, &n, '\r');
	proto_put(dst, size, &n, '\n');
	if (size > 0)
		dst[n < size ? n : size - 1] = '\0';
	return (n);
}

/* Set c to what nats-server assumes before any CONNECT. */
void
proto_connect_init(struct proto_connect *c)
{
	memset(c, 0, sizeof(*c));
	c->verbose = 1;
	c->pedantic = 1;
	c->echo = 1;
}

/* Free the strings of c and set it as proto_connect_init does. */
void
proto_connect_clear(struct proto_connect *c)
{
	free(c->name);
	free(c->lang);
	free(c->version);
	free(c->user);
	free(c->pass);
	free(c->auth_token);
	free(c->nkey);
	free(c->sig);
	free(c->jwt);
	free(c->account);
	proto_connect_init(c);
}

/*
 * Read a CONNECT's JSON into c, over what c holds already, as Go's
 * json.Unmarshal does: absent or null fields keep their value, key names
 * match case-insensitively, unknown keys are ignored, and a wrong type or
 * broken JSON is an error. Returns 0 or -1 (c may then be partly
 * updated; nats-server closes the connection without an -ERR).
 * Unlike Go, "\u0000" in strings, invalid UTF-8 and numbers beyond 64
 * bits anywhere are errors (jansson refuses them).
 */
int
proto_connect_parse(const char *json, size_t len, struct proto_connect *c)
{
	static const struct {
		const char	*key;
		size_t		 off;
		int		 type;	/* 'b' bool, 's' string, 'i', 'o' */
	} fields[] = {
#define O(f)	offsetof(struct proto_connect, f)
		{ "verbose", O(verbose), 'b' },
		{ "pedantic", O(pedantic), 'b' },
		{ "echo", O(echo), 'b' },
		{ "headers", O(headers), 'b' },
		{ "no_responders", O(no_responders), 'b' },
		{ "tls_required", O(tls_required), 'b' },
		{ "new_account", O(new_account), 'b' },
		{ "protocol", O(protocol), 'i' },
		{ "name", O(name), 's' },
		{ "lang", O(lang), 's' },
		{ "version", O(version), 's' },
		{ "user", O(user), 's' },
		{ "pass", O(pass), 's' },
		{ "auth_token", O(auth_token), 's' },
		{ "nkey", O(nkey), 's' },
		{ "sig", O(sig), 's' },
		{ "jwt", O(jwt), 's' },
		{ "account", O(account), 's' },
		{ "import", 0, 'o' },
		{ "export", 0, 'o' },
#undef O
	};
	json_t		*root, *v;
	json_error_t	 jerr;
	const char	*key;
	char		*base = (char *)c, **sp;
	size_t		 i;
	int		 rv = 0;

	root = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
	if (root == NULL)
		return (-1);
	if (json_is_null(root)) {
		json_decref(root);
		return (0);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return (-1);
	}
	json_object_foreach(root, key, v) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strcasecmp(key, fields[i].key) == 0)
				break;
		if (i == sizeof(fields) / sizeof(fields[0]) || json_is_null(v))
			continue;
		switch (fields[i].type) {
		case 'b':
			if (json_is_boolean(v))
				*(int *)(base + fields[i].off) =
				    json_is_true(v);
			else
				rv = -1;
			break;
		case 'i':
			if (!json_is_integer(v))
				rv = -1;
			else
				*(int64_t *)(base + fields[i].off) =
				    json_integer_value(v);
			break;
		case 's':
			if (!json_is_string(v)) {
				rv = -1;
				break;
			}
			sp = (char **)(base + fields[i].off);
			free(*sp);
			*sp = xstrdup(json_string_value(v));
			break;
		case 'o':
			if (!json_is_object(v))
				rv = -1;
			break;
		}
	}
	json_decref(root);
	return (rv);
}
