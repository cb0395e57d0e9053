/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/report.c: what a worker tells the supervisor for monitoring.
 * It answers CTL_MON_REQ with a record per open connection and its
 * match-cache statistics, and sends a record of each connection it
 * closes (batched once per loop turn) so that /connz?state=closed can
 * show why. Records are packed bytes (shared/connrec.h): the JSON is the
 * supervisor's work, not ours.
 */

#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "connrec.h"
#include "ctl.h"
#include "log.h"
#include "proc.h"
#include "stats.h"
#include "sublist.h"
#include "worker.h"

static struct connrec_buf	 report_closed_buf;
static struct event		*report_ev;
static int			 report_on;	/* monitoring is served */

static void	report_flush_cb(evutil_socket_t, short, void *);

/*
 * Nanoseconds on clock id: CLOCK_REALTIME for the times /connz shows,
 * CLOCK_REALTIME_COARSE (a few ms coarse, but nearly free) for the last
 * activity stamped on every read, CLOCK_MONOTONIC for round trips.
 */
int64_t
report_clock(int id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/*
 * The reason /connz gives for a connection closed on a protocol error:
 * nats-server's closed-state text (its ClosedState.String()).
 */
const char *
report_reason(enum proto_err err)
{
	switch (err) {
	case PROTO_ERR_MAX_CONTROL_LINE:
		return ("Maximum Control Line Exceeded");
	case PROTO_ERR_MAX_PAYLOAD:
		return ("Maximum Message Payload Exceeded");
	case PROTO_ERR_AUTH_VIOLATION:
		return ("Authentication Failure");
	case PROTO_ERR_AUTH_TIMEOUT:
		return ("Authentication Timeout");
	case PROTO_ERR_AUTH_EXPIRED:
	case PROTO_ERR_ACCOUNT_AUTH_EXPIRED:
		return ("Authentication Expired");
	case PROTO_ERR_AUTH_REVOKED:
		return ("Credentials Revoked");
	case PROTO_ERR_BAD_CLIENT_PROTOCOL:
		return ("Bad Client Protocol Version");
	case PROTO_ERR_NO_RESPONDERS_HEADERS:
		return ("No Responders Requires Headers");
	case PROTO_ERR_STALE_CONNECTION:
		return ("Stale Connection");
	case PROTO_ERR_SLOW_CONSUMER:
		return ("Slow Consumer (Pending Bytes)");
	case PROTO_ERR_MAX_CONNECTIONS:
		return ("Maximum Connections Exceeded");
	case PROTO_ERR_MAX_ACCOUNT_CONNECTIONS:
		return ("Maximum Account Connections Exceeded");
	case PROTO_ERR_MAX_SUBS:
		return ("Maximum Subscriptions Exceeded");
	case PROTO_ERR_ROUTE_PORT:
	case PROTO_ERR_LEAF_PORT:
		return ("Incorrect Port");
	default:
		/* nats-server closes so on any other parse error. */
		return ("Protocol Violation");
	}
}

void
report_init(struct worker *w)
{
	report_on = w->env->stats->http_port != 0;
	connrec_buf_init(&report_closed_buf);
	report_ev = event_new(w->base, -1, 0, report_flush_cb, w);
	if (report_ev == NULL)
		fatalx("event_new failed");
}

/* Describe c in r; the strings stay c's. */
static void
report_fill(struct worker *w, struct client *c, struct connrec *r)
{
	const char	*acc;

	memset(r, 0, sizeof(*r));
	r->cid = c->cid;
	r->kind = c->kind;
	r->start = c->start_ns;
	/* The coarse clock may lag the start by a tick. */
	r->last = c->last_ns > c->start_ns ? c->last_ns : c->start_ns;
	r->rtt = c->rtt;
	r->in_msgs = c->in_msgs;
	r->out_msgs = c->out_msgs;
	r->in_bytes = c->in_bytes;
	r->out_bytes = c->out_bytes;
	r->pending = c->olen - c->ooff;
	r->port = c->port;
	r->nsubs = c->nsubs;
	r->ip = c->ip;
	r->name = c->name;
	r->lang = c->lang;
	r->version = c->version;
	r->user = c->user;
	acc = sublist_account_name(w->env->arena, c->account);
	r->account = acc != NULL ? acc : "";
}

/* Pack r and as many of c's subscriptions as subcap bytes hold. */
static void
report_put(struct connrec_buf *b, struct client *c, const struct connrec *r,
    size_t subcap)
{
	struct connrec_sub	 rs;
	struct sub		*s;

	connrec_put(b, r, subcap);
	if (subcap == 0)
		return;
	TAILQ_FOREACH(s, &c->subs, centry) {
		rs.subject = sub_subject(s);
		rs.queue = sub_queue(s);
		rs.sid = sub_sid(s);
		rs.msgs = s->delivered;
		rs.max = s->max;
		if (connrec_put_sub(b, &rs) == -1)
			break;
	}
}

/*
 * CTL_MON_REQ: pack a record of every open connection (with its
 * subscriptions when asked), in messages of about CONNREC_MSG_MAX bytes,
 * then CTL_MON_END with our cache statistics. Connections already closing
 * are left out: their closed record is on its way.
 */
void
report_request(struct worker *w, struct ctl_msg *m)
{
	struct ctl_mon_req		 req;
	struct ctl_mon_end		 end;
	struct sublist_cache_stats	 cs;
	struct sublist_stats		 ss;
	struct connrec_buf		 b;
	struct connrec			 r;
	struct client			*c;
	uint32_t			 nrecs = 0;

	if (ctl_get(m, &req, sizeof(req)) == -1)
		fatalx("bad MON_REQ from the supervisor");
	connrec_buf_init(&b);
	if (req.flags & CTL_MON_CONNS) {
		TAILQ_FOREACH(c, &w->clients, entry) {
			if (c->flags & CLIENT_CLOSING)
				continue;
			report_fill(w, c, &r);
			report_put(&b, c, &r, (req.flags & CTL_MON_SUBS) ?
			    CONNREC_SUBS_OPEN : 0);
			if (b.len >= CONNREC_MSG_MAX) {
				nrecs += b.nrecs;
				ctl_send(w->peer, CTL_MON_DATA, m->hdr.id, -1,
				    b.p, b.len);
				connrec_buf_reset(&b);
			}
		}
		if (b.len > 0) {
			nrecs += b.nrecs;
			ctl_send(w->peer, CTL_MON_DATA, m->hdr.id, -1, b.p,
			    b.len);
		}
	}
	connrec_buf_free(&b);

	sublist_cache_stats(w->cache, w->env->arena, req.account, &cs);
	sublist_stats(&ss);
	memset(&end, 0, sizeof(end));
	end.nrecs = nrecs;
	end.cache_entries = cs.entries;
	end.fanout_total = cs.fanout_total;
	end.fanout_max = cs.fanout_max;
	/* A hit never walks the trie; every miss and bypass does. */
	end.matches = ss.matches + ss.cache_hits;
	end.cache_hits = ss.cache_hits;
	ctl_send(w->peer, CTL_MON_END, m->hdr.id, -1, &end, sizeof(end));
}

/*
 * Connection c is closing for reason (a static nats-server closed-state
 * text): keep its record for the supervisor, once. Called before its
 * subscriptions are taken away. Sent at the end of the loop turn, or at
 * once when the batch is large.
 */
void
report_closed(struct client *c, const char *reason)
{
	struct connrec	r;

	if (!report_on || (c->flags & CLIENT_REPORTED))
		return;
	c->flags |= CLIENT_REPORTED;
	report_fill(worker, c, &r);
	r.flags = CONNREC_CLOSED;
	r.stop = report_clock(CLOCK_REALTIME);
	r.reason = reason;
	report_put(&report_closed_buf, c, &r, CONNREC_SUBS_CLOSED);
	if (report_closed_buf.len >= CONNREC_MSG_MAX)
		report_flush_cb(-1, 0, worker);
	else if (!event_pending(report_ev, EV_TIMEOUT, NULL))
		event_active(report_ev, EV_TIMEOUT, 0);
}

static void
report_flush_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	if (report_closed_buf.len == 0)
		return;
	ctl_send(w->peer, CTL_CONN_CLOSED, 0, -1, report_closed_buf.p,
	    report_closed_buf.len);
	connrec_buf_reset(&report_closed_buf);
}
