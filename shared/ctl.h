/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/ctl.h: the control channel between the supervisor and each
 * child, in the shape of OpenBSD's imsg: a fixed header, len bytes, and
 * at most one descriptor passed with SCM_RIGHTS.
 */

#ifndef NATSD_CTL_H
#define NATSD_CTL_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>

#include "queue.h"

#define CTL_VERSION	2		/* bump on any change below */

/*
 * Frames travel over a SOCK_SEQPACKET socketpair, one frame a packet.
 * A payload longer than CTL_FRAG_MAX is cut into packets of one id whose
 * type has CTL_F_MORE set on all but the last; ctl.c joins them again.
 */
#define CTL_FRAG_MAX	(32 * 1024)
#define CTL_MSG_MAX	(16 * 1024 * 1024)
#define CTL_F_MORE	0x80000000U

enum ctl_type {
	CTL_HELLO = 1,			/* both ways, first; ctl_hello */

	/* supervisor -> child */
	CTL_CONN_NEW = 100,		/* ctl_conn_new; fd: the socket */
	CTL_RELOAD,			/* validated configuration text */
	CTL_STOP,			/* no payload; flush clients, exit */
	CTL_LAMEDUCK,			/* no payload */
	CTL_REOPEN_LOG,			/* no payload */
	CTL_WORKER_DIED,		/* ctl_worker; purge what it owned */
	CTL_MON_REQ = 150,		/* ctl_mon_req; id names the request */

	/* child -> supervisor */
	CTL_RELOAD_ACK = 200,		/* ctl_reload_ack */
	CTL_MON_DATA = 250,		/* packed connrecs; id of the request */
	CTL_MON_END,			/* ctl_mon_end; id of the request */
	CTL_CONN_CLOSED,		/* packed connrecs of closed ones */
};

struct ctl_hdr {
	uint32_t		type;
	uint32_t		len;		/* bytes after the header */
	uint64_t		id;
};

/* CTL_HELLO */
struct ctl_hello {
	uint32_t		version;	/* CTL_VERSION */
	uint32_t		worker;		/* child's index */
	int32_t			pid;
	uint32_t		pad;
};

/* Connection kinds: one connection type, many kinds. */
#define CTL_KIND_CLIENT		0
#define CTL_KIND_ROUTE		1
#define CTL_KIND_GATEWAY	2
#define CTL_KIND_LEAF		3
#define CTL_KIND_SYSTEM		4

/* CTL_CONN_NEW */
struct ctl_conn_new {
	uint32_t		kind;		/* CTL_KIND_* */
	uint32_t		listener;	/* index of the listener */
	uint32_t		solicited;	/* 1: we dialled out */
	uint32_t		pad;
	struct sockaddr_storage	peer;
};

/* CTL_WORKER_DIED */
struct ctl_worker {
	uint32_t		worker;
	uint32_t		pad;
};

/* CTL_RELOAD_ACK */
struct ctl_reload_ack {
	int32_t			status;		/* 0 applied, -1 refused */
	uint32_t		pad;
};

/* ctl_msg.fd when a descriptor was sent but we had no room for it. */
#define CTL_FD_LOST		(-2)

/*
 * CTL_MON_REQ: what the supervisor wants for a monitoring request. The
 * worker answers with CTL_MON_DATA messages (shared/connrec.h records,
 * whole records in each, CONNREC_MSG_MAX bytes at most) when
 * CTL_MON_CONNS is set, then one CTL_MON_END, all with the request's id.
 */
struct ctl_mon_req {
	uint32_t		flags;
#define CTL_MON_CONNS		0x1	/* a record per open connection */
#define CTL_MON_SUBS		0x2	/* with its subscriptions */
	int32_t			account;	/* cache statistics: -1 all */
};

/* CTL_MON_END: the worker's match-cache statistics (sublist.h). */
struct ctl_mon_end {
	uint32_t		nrecs;		/* records sent before */
	uint32_t		cache_entries;
	uint64_t		matches;	/* lookups, with cache hits */
	uint64_t		cache_hits;
	uint64_t		fanout_total;	/* over the entries counted */
	uint32_t		fanout_max;
	uint32_t		pad;
};

struct ctl_msg {
	struct ctl_hdr		 hdr;		/* type without CTL_F_MORE */
	int			 fd;		/* -1 none, or CTL_FD_LOST */
	unsigned char		*data;		/* hdr.len bytes, ctl-owned */
};

struct event_base;
struct ctl_peer;

typedef void	(*ctl_dispatch_cb)(struct ctl_peer *, struct ctl_msg *,
		    void *);
typedef void	(*ctl_eof_cb)(struct ctl_peer *, void *);

struct ctl_peer	*ctl_peer_new(struct event_base *, int, ctl_dispatch_cb,
		    ctl_eof_cb, void *);
void		 ctl_peer_free(struct ctl_peer *);
int		 ctl_peer_fd(struct ctl_peer *);
size_t		 ctl_peer_queued(struct ctl_peer *);
int		 ctl_send(struct ctl_peer *, uint32_t, uint64_t, int,
		    const void *, size_t);
int		 ctl_flush(struct ctl_peer *, int);
int		 ctl_get(const struct ctl_msg *, void *, size_t);
const char	*ctl_type_name(uint32_t);

int		 ctl_socketpair(int [2]);
ssize_t		 ctl_write_frame(int, const struct ctl_hdr *, int,
		    const void *);
ssize_t		 ctl_read_frame(int, struct ctl_hdr *, int *, void *,
		    size_t);

#endif /* NATSD_CTL_H */
