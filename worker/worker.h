/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/worker.h: a worker process: one libevent loop owning its
 * connections for life. Every connection is a struct client; its kind
 * says whether it is an application client, a route, a gateway, a leaf
 * node or an internal (system) connection.
 */

#ifndef NATSD_WORKER_H
#define NATSD_WORKER_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <time.h>

#include "proto.h"
#include "queue.h"
#include "ring.h"
#include "sublist.h"

struct config;
struct event;
struct event_base;
struct proc_env;
struct ctl_msg;
struct ctl_peer;

struct client;

/* A subscription of one of this worker's clients. */
struct sub {
	struct client		*client;
	uint64_t		 handle;	/* incarnation|gen|slot */
	int64_t			 max;		/* auto-unsubscribe; 0: none */
	uint64_t		 delivered;
	TAILQ_ENTRY(sub)	 centry;	/* the client's subscriptions */
	struct sub		*hnext;		/* sid hash chain */
	uint32_t		 hash;
	uint32_t		 slen;
	uint32_t		 qlen;
	uint32_t		 sidlen;
	uint32_t		 epoch;		/* of the trie it is in */
	char			 data[];	/* subject\0 queue\0 sid\0 */
};
TAILQ_HEAD(subs, sub);

static inline const char *
sub_subject(const struct sub *s)
{
	return (s->data);
}

static inline const char *
sub_queue(const struct sub *s)
{
	return (s->data + s->slen + 1);
}

static inline const char *
sub_sid(const struct sub *s)
{
	return (s->data + s->slen + 1 + s->qlen + 1);
}

/* All subscriptions of a worker: by handle (slots) and by (client, sid). */
struct subtab {
	struct sub		**slot;
	uint16_t		 *gen;
	uint32_t		 *free;
	uint32_t		  nslots;
	uint32_t		  cap;
	uint32_t		  nfree;
	uint16_t		  incarnation;
	struct sub		**hash;
	size_t			  hsize;
	size_t			  count;
};

/* The record being built for one other worker, and our ring to it. */
struct msg_dest {
	struct ring		*ring;
	struct ring_spill	 spill;
	uint64_t		*handles;
	size_t			 n;
	size_t			 cap;
	char			*bptr;		/* this turn's batch: next */
	size_t			 bfree;		/* room left after bptr */
	size_t			 bused;		/* bytes used before bptr */
	int			 pending;	/* on the wake list */
};

struct client {
	uint64_t		 cid;
	int			 kind;		/* CTL_KIND_* */
	int			 fd;
	int			 flags;
#define CLIENT_CONNECTED	0x0001	/* CONNECT accepted */
#define CLIENT_CLOSING		0x0002	/* no more reads; flush, close */
#define CLIENT_DIRTY		0x0004	/* on the flush list */
#define CLIENT_VERBOSE		0x0008
#define CLIENT_PEDANTIC		0x0010
#define CLIENT_ECHO		0x0020
#define CLIENT_HEADERS		0x0040
#define CLIENT_NO_RESPONDERS	0x0080
#define CLIENT_WANT_WRITE	0x0100	/* socket full: waiting for EV_WRITE */
#define CLIENT_LAMEDUCK		0x0200
#define CLIENT_STALLED		0x0400	/* reads paused: consumers behind */
#define CLIENT_OVER		0x0800	/* pending over the stall mark */
#define CLIENT_REPORTED		0x1000	/* closed: told the supervisor */
	int			 account;	/* index in the shared tries */
	struct proto		 parser;
	struct subs		 subs;
	uint32_t		 nsubs;

	struct event		*ev_read;
	struct event		*ev_write;
	TAILQ_ENTRY(client)	 entry;		/* all clients */
	TAILQ_ENTRY(client)	 dirty;		/* flush list */
	TAILQ_ENTRY(client)	 stall;		/* stalled publishers */

	/* Input: unparsed bytes stay at the start of rbuf. */
	char			*rbuf;
	size_t			 rsize;
	size_t			 rlen;
	int			 rsmall;	/* small reads in a row */

	/* Output: bytes [ooff, olen) of obuf are waiting. */
	char			*obuf;
	size_t			 osize;
	size_t			 olen;
	size_t			 ooff;
	int			 obuf_idle;	/* ticks a big obuf was empty */
	time_t			 stalled;	/* first failed write, or 0 */

	time_t			 start;
	uint64_t		 start_ms;	/* monotonic: auth_timeout */
	time_t			 last_activity;
	time_t			 last_ping;
	int			 pings_out;

	struct sockaddr_storage	 peer;
	char			 ip[46];
	int			 port;
	char			*name;
	char			*lang;
	char			*version;

	uint64_t		 in_msgs, in_bytes;
	uint64_t		 out_msgs, out_bytes;

	/* Monitoring (report.c): ns since the epoch; rtt, ping_sent in ns. */
	int64_t			 start_ns;
	int64_t			 last_ns;
	int64_t			 ping_sent;	/* CLOCK_MONOTONIC; 0: none */
	int64_t			 rtt;
	uint64_t		 out_seen;	/* out_msgs at last_ns */
	char			*user;		/* CONNECT's user or token */
};
TAILQ_HEAD(clients, client);

struct worker {
	int			 id;
	int			 nworkers;
	struct event_base	*base;
	struct ctl_peer		*peer;
	const struct config	*conf;
	const struct proc_env	*env;
	struct clients		 clients;
	struct clients		 dirty;
	struct clients		 stalled;	/* publishers paused */
	struct client		*cur_pub;	/* publishing now, or NULL */
	unsigned int		 nover;		/* clients over the mark */
	uint64_t		 over_since;	/* ms, when nover left 0 */
	uint64_t		 stall_since;	/* ms, first stalled */
	struct event		*ev_stall;
	struct event		*ev_lameduck;
	uint64_t		 ld_si;		/* ms between closes; 0: not yet */
	unsigned int		 ld_batch;	/* clients closed each time */
	unsigned int		 nclients;
	struct event		*ev_tick;
	struct event		*ev_flush;
	int			 stopping;
	int			 lameduck;
	char			*info;		/* INFO JSON up to client_id */
	size_t			 infolen;
	time_t			 now;
	uint32_t		 epoch;		/* of $G's trie, last seen */

	struct subtab		 subs;
	struct sublist_cache	*cache;
	struct sublist_result	 result;
	struct msg_dest		*dest;		/* per other worker */
	int			*touched;	/* dests of this message */
	int			 ntouched;
	int			*wake;		/* dests written this turn */
	int			 nwake;
	struct ring		**in;		/* rings into this worker */
	int			 nin;
	int			 drain_left;	/* msg_drain's budget */
	struct ring_waiter	*waiter;
	struct event		*ev_wake;
	uint64_t		 rnd;

	/* From the configuration, for the inline output path below. */
	size_t			 out_fast;	/* pending + len: no checks */
	size_t			 out_mark;	/* client_stall_mark() */

	/* Counters, published to shared memory once a turn. */
	uint64_t		 in_msgs, in_bytes;
	uint64_t		 out_msgs, out_bytes;
	uint64_t		 drops;
};

extern struct worker	*worker;

/* worker.c */
void	worker_apply_config(struct worker *, const struct config *);
uint64_t worker_msec(void);
void	worker_check_term(struct worker *);
void	worker_schedule_flush(struct worker *);

/* auth.c */
int	auth_password_ok(const char *, const char *);

/* client.c */
void	client_accept(struct worker *, int, int,
	    const struct sockaddr_storage *);
void	client_close(struct client *, const char *);
void	client_send(struct client *, const void *, size_t);
void	client_send_err(struct client *, const char *);
void	client_send_info(struct client *, int);
int	client_flush(struct client *);
void	client_flush_all(struct worker *);
void	client_tick(struct worker *);
void	client_close_all(struct worker *, const char *);
char	*client_reserve(struct client *, size_t);
struct sub *client_sub_for_reply(struct client *, const char *, size_t);
void	client_commit(struct client *, size_t);
void	client_stall(struct client *);
void	client_unstall_all(struct worker *, int);
size_t	client_stall_mark(void);

void	client_apply_config(struct worker *);

/*
 * client_reserve's common case inline: the bytes fit in the buffer and
 * pending stays below both the early-write and the max_pending marks.
 */
static inline char *
client_reserve_fast(struct client *c, size_t len)
{
	if (c->olen + len <= c->osize &&
	    c->olen - c->ooff + len <= worker->out_fast &&
	    !(c->flags & CLIENT_CLOSING) && c->fd != -1)
		return (c->obuf + c->olen);
	return (client_reserve(c, len));
}

/* client_commit's common case inline: not over the mark, already dirty. */
static inline void
client_commit_fast(struct client *c, size_t len)
{
	if ((c->flags & CLIENT_DIRTY) &&
	    c->olen + len - c->ooff <= worker->out_mark) {
		c->olen += len;
		return;
	}
	client_commit(c, len);
}

/* sub.c */
void		 sub_init(struct worker *, uint16_t);
struct sub	*sub_add(struct client *, const char *, size_t, const char *,
		    size_t, const char *, size_t);
struct sub	*sub_find(struct client *, const char *, size_t);
void		 sub_remove(struct sub *);
void		 sub_remove_all(struct client *);
void		 sub_reinsert_account(struct worker *, int, uint32_t);

/* The live subscription a handle names, or NULL when it is gone. */
static inline struct sub *
sub_lookup(uint64_t handle)
{
	struct subtab	*t = &worker->subs;
	uint32_t	 slot = (uint32_t)handle;
	struct sub	*s;

	if (slot >= t->nslots || (s = t->slot[slot]) == NULL ||
	    s->handle != handle)
		return (NULL);
	return (s);
}

/* report.c */
void		 report_init(struct worker *);
void		 report_request(struct worker *, struct ctl_msg *);
void		 report_closed(struct client *, const char *);
const char	*report_reason(enum proto_err);
int64_t		 report_clock(int);

/* msg.c */
void	msg_init(struct worker *);
int	msg_route(struct client *, const struct proto_msg *);
int	msg_drain(struct worker *);
int	msg_turn_end(struct worker *);
void	msg_signal(struct worker *, int);

#endif /* NATSD_WORKER_H */
