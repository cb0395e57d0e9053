/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/bench.h: natsd-bench, the load generator: its options, the run,
 * its connections, and a block of prototypes per file.
 */

#ifndef NATSD_BENCH_H
#define NATSD_BENCH_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "proto.h"

enum bench_mode {
	BENCH_MODE_PUB,
	BENCH_MODE_SUB,
	BENCH_MODE_PUBSUB,
	BENCH_MODE_FANOUT,
	BENCH_MODE_QUEUE,
	BENCH_MODE_REQREP,
	BENCH_MODE_CONNECTIONS,
};

enum bench_role {
	BENCH_ROLE_PUB,		/* publishes; PING every opts.flush */
	BENCH_ROLE_SUB,		/* counts, checks sequence numbers */
	BENCH_ROLE_REQ,		/* requests, times the replies */
	BENCH_ROLE_REP,		/* replies with the request's payload */
	BENCH_ROLE_IDLE,	/* connects, answers PING, holds */
};

/* A sequence word: publisher index above, its message number below. */
#define BENCH_SEQ_BITS		48
#define BENCH_SEQ_MASK		((UINT64_C(1) << BENCH_SEQ_BITS) - 1)
#define BENCH_MAX_PUBS		65535

#define BENCH_OUT_SIZE		65536	/* a publisher's write batch */
#define BENCH_IN_SIZE		131072	/* a busy connection's read size */

struct bench_opts {
	enum bench_mode	 mode;
	const char	*url;
	char		*host;
	char		*port;
	char		*connect;	/* "CONNECT {...}\r\n" */
	uint64_t	 count;		/* -n: messages, requests, conns */
	int		 count_set;
	double		 duration;	/* -d: seconds; 0: none */
	size_t		 size;		/* -m: payload bytes */
	int		 pubs;		/* -P: publishers, requesters */
	int		 subs;		/* -S: subscribers, responders */
	int		 concurrency;	/* -c */
	uint64_t	 flush;		/* -f: a PING every this many */
	uint64_t	 window;	/* -w: unanswered PINGs at most */
	uint64_t	 max_lag;	/* -l: messages; 0: unlimited */
	double		 drain;		/* -T: seconds without progress */
	const char	*subject;	/* -t */
	int		 seq;		/* stamp and check sequence numbers */
	int		 csv;
	int		 quiet;
};

/* A log-linear latency histogram: 8 buckets per power of two of ns. */
#define BENCH_HIST_SUB		8
#define BENCH_HIST_BUCKETS	(64 * BENCH_HIST_SUB)

struct bench_hist {
	uint64_t	 n;
	uint64_t	 min;
	uint64_t	 max;
	double		 sum;
	uint64_t	 bucket[BENCH_HIST_BUCKETS];
};

struct bench;

struct bench_conn {
	struct bench	*b;
	int		 fd;
	int		 id;		/* index into b->conns */
	int		 idx;		/* index within its role */
	enum bench_role	 role;
	int		 flags;
#define BENCH_CONN_CONNECTING	0x01	/* connect(2) in progress */
#define BENCH_CONN_READY	0x02	/* the first PONG came */
#define BENCH_CONN_WRITING	0x04	/* wev is added */
#define BENCH_CONN_DONE		0x08	/* sends nothing more */
#define BENCH_CONN_BLOCKED	0x10	/* waits for a PONG or subscribers */
#define BENCH_CONN_FINISHED	0x20	/* the final PONG came */
	struct event	 rev;
	struct event	 wev;
	struct proto	 proto;

	char		*in;
	size_t		 in_len;
	size_t		 in_cap;
	char		*out;
	size_t		 out_off;	/* written so far */
	size_t		 out_len;
	size_t		 out_cap;

	uint64_t	 pings;		/* sent, unanswered */
	uint64_t	 unpinged;	/* messages since the last PING */

	/* Publisher, requester. */
	uint64_t	 sent;
	uint64_t	 target;	/* UINT64_MAX: until the time is up */
	double		 t_end;		/* final PONG or last reply */

	/* Subscriber, responder; requester: replies. */
	uint64_t	 recv;
	uint64_t	 bytes;
	uint64_t	 reordered;
	uint64_t	 gaps;
	uint64_t	 stamped;	/* recv when t_last was taken */
	double		 t_first;
	double		 t_last;
	uint64_t	*last;		/* per publisher: highest number */
	size_t		 nlast;

	/* Requester. */
	uint64_t	*slot_ns;	/* request sent at; 0: free */
	int		 outstanding;
};

struct bench {
	struct bench_opts	*opts;
	struct event_base	*base;
	struct addrinfo		*ai;
	struct bench_conn	**conns;
	int			 nconns;	/* opened */
	int			 maxconns;	/* slots in conns */
	int			 nready;
	int			 phase;
#define BENCH_PHASE_CONNECT	0
#define BENCH_PHASE_RUN		1	/* publishers publish */
#define BENCH_PHASE_DRAIN	2	/* waiting for subscribers */
#define BENCH_PHASE_DONE	3
	int			 stopping;	/* time is up: send no more */
	int			 pubs_active;	/* not FINISHED */
	int			 errors;

	struct event		 timer;		/* -d */
	struct event		 drain_ev;
	uint64_t		 drain_seen;	/* received at the last tick */

	double			 t_start;
	double			 t_pub_end;
	double			 t_sub_end;
	uint64_t		 published;	/* by all publishers */
	uint64_t		 floor;		/* min received (queue: sum) */

	/* "PUB subject size\r\n", the payload, the whole message. */
	char			*pub_line;
	size_t			 pub_line_len;
	char			*payload;
	size_t			 msg_len;
	char			 inbox[48];

	struct bench_conn	**pubc;		/* publishers, requesters */
	int			 npubc;
	struct bench_conn	**subc;		/* subscribers, responders */
	int			 nsubc;
	int			 lag_blocked;	/* a publisher waits for subs */
	uint64_t		 sub_target;	/* sub mode: per subscriber */

	struct bench_hist	 hist;

	/* connections mode */
	int			 opening;	/* connecting, not ready */
	int			 established;
	double			 t_conn_end;
	double			 held;
};

/* natsd-bench.c */
double		 bench_now(void);
uint64_t	 bench_now_ns(void);
void		 bench_finish(struct bench *);
void		 bench_timer(struct bench *, struct event *, double, int,
		    event_callback_fn);

/* bench_conn.c */
struct bench_conn *bench_conn_open(struct bench *, enum bench_role, int);
void		 bench_conn_ping(struct bench_conn *);
void		 bench_conn_send(struct bench_conn *, const void *, size_t);
void		 bench_conn_sendf(struct bench_conn *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
void		 bench_conn_compact(struct bench_conn *);
char		*bench_conn_reserve(struct bench_conn *, size_t);
int		 bench_conn_flush(struct bench_conn *);
void		 bench_conn_want_write(struct bench_conn *, int);
void		 bench_conn_close_all(struct bench *);

/* bench_msg.c: pub, sub, pubsub, fanout, queue */
void		 bench_msg_setup(struct bench *);
void		 bench_msg_start(struct bench *);
void		 bench_msg_fill(struct bench_conn *);
int		 bench_msg_on_msg(struct bench_conn *,
		    const struct proto_msg *);
void		 bench_msg_on_pong(struct bench_conn *);
void		 bench_msg_after_read(struct bench_conn *);

/* bench_req.c: reqrep */
void		 bench_req_setup(struct bench *);
void		 bench_req_start(struct bench *);
int		 bench_req_on_msg(struct bench_conn *,
		    const struct proto_msg *);

/* bench_idle.c: connections */
void		 bench_idle_setup(struct bench *);
void		 bench_idle_ready(struct bench_conn *);

/* bench_hist.c */
void		 bench_hist_init(struct bench_hist *);
void		 bench_hist_add(struct bench_hist *, uint64_t);
uint64_t	 bench_hist_percentile(const struct bench_hist *, double);
int		 bench_hist_index(uint64_t);
uint64_t	 bench_hist_upper(int);

#endif /* NATSD_BENCH_H */
