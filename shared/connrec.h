/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/connrec.h: a connection's monitoring record as it crosses the
 * control channel. Workers pack their open connections (CTL_MON_DATA)
 * and the ones they close (CTL_CONN_CLOSED); the supervisor unpacks them
 * for /connz and /subsz. Packing copies bytes and nothing else, so a
 * worker's share of a monitoring request stays cheap.
 */

#ifndef NATSD_CONNREC_H
#define NATSD_CONNREC_H

#include <stddef.h>
#include <stdint.h>

#define CONNREC_STR_MAX		1024	/* longest name, lang, ... kept */
#define CONNREC_SUBS_OPEN	(1024 * 1024)	/* subscription bytes kept */
#define CONNREC_SUBS_CLOSED	(16 * 1024)	/* the same, once closed */
#define CONNREC_MSG_MAX		(1024 * 1024)	/* records per message */

/* One subscription of a connection. */
struct connrec_sub {
	const char		*subject;
	const char		*queue;		/* "" when none */
	const char		*sid;
	uint64_t		 msgs;		/* delivered */
	int64_t			 max;		/* auto-unsubscribe; 0: none */
};

/*
 * Strings are never NULL ("" when unknown). Times are nanoseconds since
 * the epoch, the round-trip time nanoseconds.
 */
struct connrec {
	uint64_t		 cid;
	uint32_t		 kind;		/* CTL_KIND_* */
	uint32_t		 flags;
#define CONNREC_CLOSED		0x1
#define CONNREC_SUBS_CUT	0x2	/* subs holds only some of them */
	int64_t			 start;
	int64_t			 last;		/* last activity */
	int64_t			 stop;		/* closed: when */
	int64_t			 rtt;		/* 0: not measured */
	uint64_t		 in_msgs;
	uint64_t		 out_msgs;
	uint64_t		 in_bytes;
	uint64_t		 out_bytes;
	uint64_t		 pending;	/* bytes not yet written */
	uint32_t		 port;
	uint32_t		 nsubs;		/* subscriptions, all of them */
	const char		*ip;
	const char		*name;
	const char		*lang;
	const char		*version;
	const char		*reason;	/* closed: why */
	const char		*user;		/* CONNECT's user/nkey/token */
	const char		*account;
	struct connrec_sub	*subs;		/* nsublist of them */
	size_t			 nsublist;
};

/* Where records are packed: a growing byte buffer. */
struct connrec_buf {
	unsigned char		*p;
	size_t			 len;
	size_t			 cap;
	size_t			 rec;		/* offset of the last record */
	size_t			 subcap;	/* subscription byte budget */
	size_t			 subused;
	uint32_t		 nrecs;		/* records in the buffer */
};

void		 connrec_buf_init(struct connrec_buf *);
void		 connrec_buf_reset(struct connrec_buf *);
void		 connrec_buf_free(struct connrec_buf *);
void		 connrec_put(struct connrec_buf *, const struct connrec *,
		    size_t);
int		 connrec_put_sub(struct connrec_buf *,
		    const struct connrec_sub *);
struct connrec	*connrec_get(const unsigned char **, size_t *);

#endif /* NATSD_CONNREC_H */
