/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/proto.h: the NATS wire protocol parser (client, route, gateway,
 * leaf node and client-side kinds), nats-server's error texts in one
 * table, and the CONNECT JSON reader.
 */

#ifndef NATSD_PROTO_H
#define NATSD_PROTO_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/* nats-server's defaults */
#define PROTO_MAX_CONTROL_LINE	4096
#define PROTO_MAX_PAYLOAD	(1024 * 1024)
/*
 * nats-server applies no control line limit to routes, gateways and leaf
 * nodes; natsd keeps one so that a peer cannot make a buffer grow
 * without bound.
 */
#define PROTO_PEER_MAX_CONTROL_LINE	(1024 * 1024)

/* Who is on the other end; decides which operations are accepted. */
enum proto_kind {
	PROTO_KIND_CLIENT,	/* we serve a client: PUB HPUB SUB ... */
	PROTO_KIND_ROUTE,	/* RS+ RS- LS+ LS- RMSG LMSG HMSG A+ A- */
	PROTO_KIND_GATEWAY,	/* RS+ RS- RMSG HMSG A+ A- */
	PROTO_KIND_LEAF,	/* LS+ LS- LMSG HMSG (RS+ RS- RMSG alike) */
	PROTO_KIND_SERVER,	/* we are a client: INFO MSG HMSG PING ... */
};

enum proto_op {
	PROTO_OP_NONE,
	PROTO_OP_CONNECT,
	PROTO_OP_INFO,
	PROTO_OP_PUB,
	PROTO_OP_HPUB,
	PROTO_OP_SUB,
	PROTO_OP_UNSUB,
	PROTO_OP_PING,
	PROTO_OP_PONG,
	PROTO_OP_OK,		/* +OK */
	PROTO_OP_ERR,		/* -ERR */
	PROTO_OP_MSG,
	PROTO_OP_HMSG,
	PROTO_OP_RSUB,		/* RS+ */
	PROTO_OP_RUNSUB,	/* RS- */
	PROTO_OP_RMSG,
	PROTO_OP_LSUB,		/* LS+ */
	PROTO_OP_LUNSUB,	/* LS- */
	PROTO_OP_LMSG,
	PROTO_OP_ASUB,		/* A+ */
	PROTO_OP_AUNSUB,	/* A- */
};

/*
 * Every -ERR text natsd sends, and every reason the parser stops. The text
 * of each is nats-server 2.9's exactly (see proto_errstr); the table in
 * proto.c says whether nats-server sends it as -ERR and whether it closes
 * the connection.
 */
enum proto_err {
	PROTO_ERR_NONE,
	/* The parser's own. */
	PROTO_ERR_UNKNOWN_OP,
	PROTO_ERR_MAX_CONTROL_LINE,
	PROTO_ERR_MAX_PAYLOAD,
	PROTO_ERR_AUTH_VIOLATION,
	PROTO_ERR_HEADERS_NOT_SUPPORTED,
	PROTO_ERR_PUB_ARGS,
	PROTO_ERR_PUB_SIZE,
	PROTO_ERR_HPUB_ARGS,
	PROTO_ERR_HPUB_HDR_SIZE,
	PROTO_ERR_HPUB_SIZE,
	PROTO_ERR_HPUB_HDR_OVER,
	PROTO_ERR_SUB_ARGS,
	PROTO_ERR_UNSUB_ARGS,
	PROTO_ERR_MSG_ARGS,
	PROTO_ERR_MSG_REPLY_IND,
	PROTO_ERR_MSG_HDR_SIZE,
	PROTO_ERR_MSG_SIZE,
	PROTO_ERR_MSG_HDR_OVER,
	PROTO_ERR_RSUB_ARGS,
	PROTO_ERR_RUNSUB_ARGS,
	/* For the client code: CONNECT and INFO are checked there. */
	PROTO_ERR_CONNECT_JSON,
	PROTO_ERR_INFO_JSON,
	PROTO_ERR_BAD_CLIENT_PROTOCOL,
	PROTO_ERR_NO_RESPONDERS_HEADERS,
	/* For the other modules. */
	PROTO_ERR_AUTH_TIMEOUT,
	PROTO_ERR_AUTH_EXPIRED,
	PROTO_ERR_ACCOUNT_AUTH_EXPIRED,
	PROTO_ERR_AUTH_REVOKED,
	PROTO_ERR_STALE_CONNECTION,
	PROTO_ERR_STALE_LEAF,
	PROTO_ERR_SLOW_CONSUMER,
	PROTO_ERR_MAX_CONNECTIONS,
	PROTO_ERR_MAX_ACCOUNT_CONNECTIONS,
	PROTO_ERR_MAX_SUBS,
	PROTO_ERR_INVALID_SUBJECT,
	PROTO_ERR_INVALID_PUB_SUBJECT,
	PROTO_ERR_INVALID_SUBSCRIPTION,
	PROTO_ERR_PERM_PUB,		/* %q subject */
	PROTO_ERR_PERM_PUB_REPLY,	/* %q reply */
	PROTO_ERR_PERM_SUB,		/* %q subject */
	PROTO_ERR_PERM_SUB_QUEUE,	/* %q subject, %q queue */
	PROTO_ERR_PERM_SUB_SID,		/* %q subject, %q sid */
	PROTO_ERR_PERM_SUB_TOKENS,	/* %q subject */
	PROTO_ERR_TLS_REQUIRED,
	PROTO_ERR_THROTTLED,
	PROTO_ERR_FAILED_ACCOUNT_REG,
	PROTO_ERR_ROUTE_PORT,
	PROTO_ERR_LEAF_PORT,
	PROTO_ERR_MAX,
};

/* proto_errflags() bits */
#define PROTO_ERRF_SEND		0x01	/* sent as -ERR '<text>' */
#define PROTO_ERRF_CLOSE	0x02	/* the connection is closed */
#define PROTO_ERRF_FMT		0x04	/* text holds %q conversions */

/* A span of the caller's buffer; len 0 means absent. */
struct proto_tok {
	const char	*ptr;
	size_t		 len;
};

/* PUB, HPUB (on_pub); MSG, HMSG, RMSG, LMSG (on_msg). */
struct proto_msg {
	enum proto_op	 op;
	struct proto_tok subject;
	struct proto_tok reply;
	struct proto_tok sid;		/* MSG, HMSG from a server */
	struct proto_tok account;	/* routes, gateways */
	struct proto_tok origin;	/* LMSG on routes: origin cluster */
	struct proto_tok queues;	/* queue names, blank apart */
	int		 nqueues;
	ssize_t		 hdr_len;	/* -1: no headers */
	size_t		 size;		/* payload, headers included */
	const char	*payload;	/* size bytes; "\r\n" follows */
};

/* SUB (on a client connection), RS+, LS+ (on_sub). */
struct proto_sub {
	enum proto_op	 op;
	struct proto_tok subject;
	struct proto_tok queue;
	struct proto_tok sid;		/* SUB */
	struct proto_tok account;	/* routes, gateways */
	struct proto_tok origin;	/* LS+ on routes */
	int32_t		 weight;	/* of the queue; -1: not a size */
	struct proto_tok raw;		/* the arguments, as received */
};

/* UNSUB, RS-, LS- (on_unsub). */
struct proto_unsub {
	enum proto_op	 op;
	struct proto_tok sid;		/* UNSUB */
	int64_t		 max;		/* -1: none or not a size */
	struct proto_tok account;	/* routes, gateways */
	struct proto_tok subject;
	struct proto_tok queue;
	struct proto_tok raw;		/* the arguments, as received */
};

/*
 * Callbacks, each given the caller's argument first. Pointers point into
 * the buffer given to proto_parse and are valid until it returns. A NULL
 * callback means the operation is accepted and ignored. A callback
 * returns 0 to go on or -1 to stop: proto_parse then returns -1 with
 * p->err PROTO_ERR_NONE and p->consumed counting the operation whose
 * callback stopped it.
 */
struct proto_cb {
	int	(*on_connect)(void *, const char *, size_t);
	int	(*on_info)(void *, const char *, size_t);
	int	(*on_pub)(void *, const struct proto_msg *);
	int	(*on_msg)(void *, const struct proto_msg *);
	int	(*on_sub)(void *, const struct proto_sub *);
	int	(*on_unsub)(void *, const struct proto_unsub *);
	int	(*on_account)(void *, enum proto_op, const char *, size_t);
	int	(*on_ping)(void *);
	int	(*on_pong)(void *);
	int	(*on_ok)(void *);
	int	(*on_err)(void *, const char *, size_t);
};

struct proto {
	enum proto_kind	 kind;
	int		 flags;
#define PROTO_F_AUTH	0x01	/* only CONNECT allowed */
#define PROTO_F_HEADERS	0x02	/* HPUB allowed */
	size_t		 max_control_line;	/* 0: none */
	int64_t		 max_payload;		/* -1: none */

	/* Results, set by proto_parse. */
	enum proto_err	 err;		/* why -1 was returned */
	int		 err_close;	/* nats-server closes for err */
	size_t		 err_off;	/* where in buf */
	size_t		 consumed;	/* also after -1 */
	size_t		 need;		/* bytes for progress */

	/* Private. */
	int		 state;
	enum proto_op	 op;
	size_t		 scan;		/* bytes seen without '\n' */
	size_t		 ctl_len;	/* line through '\n' */
	size_t		 arg_len;
	size_t		 size;
};

struct proto_connect {
	int	 verbose;	/* defaults as nats-server's: 1 */
	int	 pedantic;	/* 1 */
	int	 echo;		/* 1 */
	int	 headers;
	int	 no_responders;
	int	 tls_required;
	int	 new_account;
	int64_t	 protocol;
	char	*name;		/* NULL if absent; owned */
	char	*lang;
	char	*version;
	char	*user;
	char	*pass;
	char	*auth_token;
	char	*nkey;
	char	*sig;
	char	*jwt;
	char	*account;
};

void		 proto_init(struct proto *, enum proto_kind);
ssize_t		 proto_parse(struct proto *, const char *, size_t,
		    const struct proto_cb *, void *);
const char	*proto_opname(enum proto_op);
int		 proto_tok_next(struct proto_tok *, struct proto_tok *);

const char	*proto_errstr(enum proto_err);
int		 proto_errflags(enum proto_err);
size_t		 proto_err_format(char *, size_t, enum proto_err,
		    const char *, size_t, const char *, size_t);
size_t		 proto_quote(char *, size_t, const char *, size_t);

void		 proto_connect_init(struct proto_connect *);
int		 proto_connect_parse(const char *, size_t,
		    struct proto_connect *);
void		 proto_connect_clear(struct proto_connect *);

#endif /* NATSD_PROTO_H */
