/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/monitor_conn.c: the monitoring answers only the workers
 * can give: /connz, /subsz and /accountz?acc=NAME. A request sends
 * CTL_MON_REQ to every running worker and parks the HTTP request; the
 * workers' records (CTL_MON_DATA) and statistics (CTL_MON_END) are
 * gathered as they arrive, and the answer is made when the last worker
 * has replied, or after MONITOR_WAIT seconds with what came. Nothing
 * here ever waits. Also keeps the newest MONITOR_CLOSED_MAX closed
 * connections (CTL_CONN_CLOSED) for /connz?state=closed.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "conf.h"
#include "connrec.h"
#include "ctl.h"
#include "log.h"
#include "stats.h"
#include "subject.h"
#include "supervisor.h"
#include "xmalloc.h"

#define MONITOR_CLOSED_MAX	10000	/* as nats-server keeps */
#define MONITOR_WAIT		2	/* s: the longest wait for workers */
#define MONITOR_PENDING_MAX	64	/* requests waiting at once */
#define MONITOR_LIST_SIZE	1024	/* default limit, as nats-server */

/* A request waits for each worker as a bit of a uint64_t. */
#if STATS_MAX_WORKERS > 64
#error "monitor_conn.c: more workers than bits in monitor_pending.waiting"
#endif

enum monitor_what {
	MONITOR_CONNZ,
	MONITOR_SUBSZ,
	MONITOR_ACCOUNTZ
};

enum monitor_sort {
	SORT_CID, SORT_START, SORT_SUBS, SORT_PENDING, SORT_MSGS_TO,
	SORT_MSGS_FROM, SORT_BYTES_TO, SORT_BYTES_FROM, SORT_LAST, SORT_IDLE,
	SORT_UPTIME, SORT_STOP, SORT_REASON
};

/* nats-server's sort option names, in enum monitor_sort's order. */
static const char *monitor_sorts[] = {
	"cid", "start", "subs", "pending", "msgs_to", "msgs_from",
	"bytes_to", "bytes_from", "last", "idle", "uptime", "stop", "reason"
};

#define STATE_OPEN	0
#define STATE_CLOSED	1
#define STATE_ALL	2

/* A query, decoded and checked. */
struct monitor_q {
	enum monitor_what	 what;
	enum monitor_sort	 sort;
	int			 auth;
	int			 subs;		/* 0, 1 list, 2 detail */
	int			 state;
	int64_t			 offset;
	int64_t			 limit;
	uint64_t		 cid;
	char			*user;		/* filters; NULL: none */
	char			*acc;
	char			*test;
	int			 accidx;	/* acc's trie, or -1 */
};

/* An HTTP request waiting for the workers. */
struct monitor_pending {
	TAILQ_ENTRY(monitor_pending)	 entry;
	uint64_t			 id;
	struct natsd			*n;
	struct evhttp_request		*req;
	char				*query;
	struct monitor_q		 q;
	uint64_t			 waiting;	/* a bit per worker */
	struct event			*timer;
	struct connrec			**recs;
	size_t				 nrecs;
	size_t				 cap;
	struct ctl_mon_end		 sum;
};
TAILQ_HEAD(monitor_pendings, monitor_pending);

static struct monitor_pendings	 monitor_pending =
    TAILQ_HEAD_INITIALIZER(monitor_pending);
static int			 monitor_npending;
static uint64_t			 monitor_next_id = 1;

/* The closed ring: oldest at closed_head. */
static struct connrec		*monitor_closed[MONITOR_CLOSED_MAX];
static size_t			 monitor_closed_head;
static size_t			 monitor_closed_n;

/* qsort has no argument: the key and the time of the current sort. */
static enum monitor_sort	 monitor_sort_key;
static int64_t			 monitor_sort_now;

static void	monitor_conn_timeout_cb(evutil_socket_t, short, void *);
static void	monitor_conn_finish(struct monitor_pending *);

#define SET(j, k, v)	json_object_set_new((j), (k), (v))

static void
monitor_q_clear(struct monitor_q *q)
{
	free(q->user);
	free(q->acc);
	free(q->test);
}

/* Keep r (closed) in the ring, dropping the oldest when full. */
static void
monitor_conn_closed_add(struct connrec *r)
{
	size_t	i;

	r->flags |= CONNREC_CLOSED;
	if (monitor_closed_n == MONITOR_CLOSED_MAX) {
		free(monitor_closed[monitor_closed_head]);
		monitor_closed[monitor_closed_head] = r;
		monitor_closed_head = (monitor_closed_head + 1) %
		    MONITOR_CLOSED_MAX;
		return;
	}
	i = (monitor_closed_head + monitor_closed_n) % MONITOR_CLOSED_MAX;
	monitor_closed[i] = r;
	monitor_closed_n++;
}

static void
monitor_conn_add(struct monitor_pending *p, struct connrec *r)
{
	if (p->nrecs == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		p->recs = xreallocarray(p->recs, p->cap, sizeof(*p->recs));
	}
	p->recs[p->nrecs++] = r;
}

static struct monitor_pending *
monitor_conn_find(uint64_t id)
{
	struct monitor_pending	*p;

	TAILQ_FOREACH(p, &monitor_pending, entry)
		if (p->id == id)
			return (p);
	return (NULL);
}

/*
 * A monitoring message from worker c: records of its open connections
 * for a request, the end of its answer, or records of connections it
 * closed. Answers that come too late (the request was answered) are
 * dropped. Returns 0, or -1 when the message is malformed (the caller
 * kills the worker).
 */
int
monitor_conn_dispatch(struct natsd *n, struct child *c, struct ctl_msg *m)
{
	struct monitor_pending	*p = NULL;
	struct ctl_mon_end	 end;
	struct connrec		*r;
	const unsigned char	*d = m->data;
	size_t			 left = m->hdr.len;
	uint64_t		 bit = 1ULL << c->index;

	switch (m->hdr.type) {
	case CTL_CONN_CLOSED:
		while (left > 0) {
			if ((r = connrec_get(&d, &left)) == NULL)
				return (-1);
			monitor_conn_closed_add(r);
		}
		return (0);
	case CTL_MON_DATA:
		p = monitor_conn_find(m->hdr.id);
		if (p == NULL || !(p->waiting & bit))
			return (0);
		while (left > 0) {
			if ((r = connrec_get(&d, &left)) == NULL)
				return (-1);
			r->flags &= ~CONNREC_CLOSED;
			monitor_conn_add(p, r);
		}
		return (0);
	case CTL_MON_END:
		if (ctl_get(m, &end, sizeof(end)) == -1)
			return (-1);
		p = monitor_conn_find(m->hdr.id);
		if (p == NULL || !(p->waiting & bit))
			return (0);
		p->sum.cache_entries += end.cache_entries;
		p->sum.matches += end.matches;
		p->sum.cache_hits += end.cache_hits;
		p->sum.fanout_total += end.fanout_total;
		if (end.fanout_max > p->sum.fanout_max)
			p->sum.fanout_max = end.fanout_max;
		p->waiting &= ~bit;
		if (p->waiting == 0)
			monitor_conn_finish(p);
		return (0);
	}
	return (-1);
}

/* Worker index died: no request waits for it any more. */
void
monitor_conn_worker_died(struct natsd *n, int index)
{
	struct monitor_pending	*p, *t;

	TAILQ_FOREACH_SAFE(p, &monitor_pending, entry, t) {
		p->waiting &= ~(1ULL << index);
		if (p->waiting == 0)
			monitor_conn_finish(p);
	}
}

/*
 * Ask every running worker for q (taken over) and answer req when they
 * have all replied. flags: CTL_MON_*.
 */
static void
monitor_conn_ask(struct natsd *n, struct evhttp_request *req,
    const char *query, struct monitor_q *q, uint32_t flags)
{
	struct monitor_pending	*p;
	struct ctl_mon_req	 mr;
	struct timeval		 tv = { MONITOR_WAIT, 0 };
	int			 i;

	if (monitor_npending >= MONITOR_PENDING_MAX) {
		monitor_q_clear(q);
		monitor_reply_text(req, 503, "too many monitoring requests "
		    "in progress");
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->id = monitor_next_id++;
	p->n = n;
	p->req = req;
	p->query = query != NULL ? xstrdup(query) : NULL;
	p->q = *q;
	memset(q, 0, sizeof(*q));
	memset(&mr, 0, sizeof(mr));
	mr.flags = flags;
	mr.account = p->q.accidx;
	TAILQ_INSERT_TAIL(&monitor_pending, p, entry);
	monitor_npending++;
	for (i = 0; i < n->nworkers; i++) {
		if (n->workers[i].pid == 0 || n->workers[i].peer == NULL)
			continue;
		if (ctl_send(n->workers[i].peer, CTL_MON_REQ, p->id, -1, &mr,
		    sizeof(mr)) == 0)
			p->waiting |= 1ULL << i;
	}
	if (p->waiting == 0) {
		monitor_conn_finish(p);
		return;
	}
	p->timer = evtimer_new(n->base, monitor_conn_timeout_cb, p);
	evtimer_add(p->timer, &tv);
}

static void
monitor_conn_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct monitor_pending	*p = arg;

	log_debug("monitoring: workers did not all answer in %ds, "
	    "answering with what came", MONITOR_WAIT);
	monitor_conn_finish(p);
}

/* Go's < for the sort key, cid deciding ties so pages are stable. */
static int
monitor_conn_cmp(const void *va, const void *vb)
{
	const struct connrec	*a = *(struct connrec * const *)va;
	const struct connrec	*b = *(struct connrec * const *)vb;
	int64_t			 x = 0, y = 0, now = monitor_sort_now;
	int			 desc = 1, c;

	switch (monitor_sort_key) {
	case SORT_CID:
	case SORT_START:
		desc = 0;
		break;
	case SORT_SUBS:
		x = a->nsubs;
		y = b->nsubs;
		break;
	case SORT_PENDING:
		x = a->pending;
		y = b->pending;
		break;
	case SORT_MSGS_TO:
		x = a->out_msgs;
		y = b->out_msgs;
		break;
	case SORT_MSGS_FROM:
		x = a->in_msgs;
		y = b->in_msgs;
		break;
	case SORT_BYTES_TO:
		x = a->out_bytes;
		y = b->out_bytes;
		break;
	case SORT_BYTES_FROM:
		x = a->in_bytes;
		y = b->in_bytes;
		break;
	case SORT_LAST:
		x = a->last;
		y = b->last;
		break;
	case SORT_IDLE:
		/*
		 * nats-server 2.9 sorts "idle" by last activity minus start,
		 * the largest first; tools expect its order, so do we.
		 */
		x = a->last - a->start;
		y = b->last - b->start;
		break;
	case SORT_UPTIME:
		/* nats-server: the shortest first. */
		x = ((a->flags & CONNREC_CLOSED) ? a->stop : now) - a->start;
		y = ((b->flags & CONNREC_CLOSED) ? b->stop : now) - b->start;
		desc = 0;
		break;
	case SORT_STOP:
		x = a->stop;
		y = b->stop;
		break;
	case SORT_REASON:
		if ((c = strcmp(a->reason, b->reason)) != 0)
			return (c);
		break;
	}
	if (x != y)
		return ((x < y) == !desc ? -1 : 1);
	return (a->cid < b->cid ? -1 : a->cid > b->cid);
}

static const char *
monitor_kind_name(uint32_t kind)
{
	switch (kind) {
	case CTL_KIND_CLIENT:
		return ("Client");
	case CTL_KIND_ROUTE:
		return ("Router");
	case CTL_KIND_GATEWAY:
		return ("Gateway");
	case CTL_KIND_LEAF:
		return ("Leafnode");
	case CTL_KIND_SYSTEM:
		return ("System");
	}
	return ("Unknown Type");
}

static json_t *
monitor_conn_sub_detail(const struct connrec *r, const struct connrec_sub *s,
    int with_account)
{
	json_t	*j = json_object();

	if (with_account && *r->account != '\0')
		SET(j, "account", monitor_fmt_json_str(r->account));
	SET(j, "subject", monitor_fmt_json_str(s->subject));
	if (*s->queue != '\0')
		SET(j, "qgroup", monitor_fmt_json_str(s->queue));
	SET(j, "sid", monitor_fmt_json_str(s->sid));
	SET(j, "msgs", json_integer(s->msgs));
	if (s->max != 0)
		SET(j, "max", json_integer(s->max));
	SET(j, "cid", json_integer(r->cid));
	return (j);
}

/* One connection, as nats-server's ConnInfo marshals. */
static json_t *
monitor_conn_info(const struct connrec *r, const struct monitor_q *q,
    int64_t now)
{
	json_t	*j = json_object(), *l;
	int64_t	 end = (r->flags & CONNREC_CLOSED) ? r->stop : now;
	char	 buf[64];
	size_t	 i;

	SET(j, "cid", json_integer(r->cid));
	SET(j, "kind", json_string(monitor_kind_name(r->kind)));
	if (r->kind == CTL_KIND_CLIENT)
		SET(j, "type", json_string("nats"));
	SET(j, "ip", monitor_fmt_json_str(r->port != 0 ? r->ip : ""));
	SET(j, "port", json_integer(r->port));
	SET(j, "start", monitor_json_time(r->start));
	SET(j, "last_activity", monitor_json_time(r->last));
	if (r->flags & CONNREC_CLOSED) {
		SET(j, "stop", monitor_json_time(r->stop));
		if (*r->reason != '\0')
			SET(j, "reason", json_string(r->reason));
	}
	monitor_fmt_rtt(buf, sizeof(buf), r->rtt);
	SET(j, "rtt", json_string(buf));
	monitor_fmt_uptime(buf, sizeof(buf), end - r->start);
	SET(j, "uptime", json_string(buf));
	monitor_fmt_uptime(buf, sizeof(buf), end - r->last);
	SET(j, "idle", json_string(buf));
	SET(j, "pending_bytes", json_integer(r->pending));
	SET(j, "in_msgs", json_integer(r->in_msgs));
	SET(j, "out_msgs", json_integer(r->out_msgs));
	SET(j, "in_bytes", json_integer(r->in_bytes));
	SET(j, "out_bytes", json_integer(r->out_bytes));
	SET(j, "subscriptions", json_integer(r->nsubs));
	if (*r->name != '\0')
		SET(j, "name", monitor_fmt_json_str(r->name));
	if (*r->lang != '\0')
		SET(j, "lang", monitor_fmt_json_str(r->lang));
	if (*r->version != '\0')
		SET(j, "version", monitor_fmt_json_str(r->version));
	if (q->auth) {
		if (*r->user != '\0')
			SET(j, "authorized_user",
			    monitor_fmt_json_str(r->user));
		if (*r->account != '\0' && strcmp(r->account, "$G") != 0)
			SET(j, "account", monitor_fmt_json_str(r->account));
	}
	if (q->subs != 0 && r->nsublist > 0) {
		l = json_array();
		for (i = 0; i < r->nsublist; i++)
			json_array_append_new(l, q->subs == 1 ?
			    monitor_fmt_json_str(r->subs[i].subject) :
			    monitor_conn_sub_detail(r, &r->subs[i], 0));
		SET(j, q->subs == 1 ? "subscriptions_list" :
		    "subscriptions_list_detail", l);
	}
	return (j);
}

static int
monitor_conn_keep(const struct connrec *r, const struct monitor_q *q)
{
	if (q->cid != 0 && r->cid != q->cid)
		return (0);
	if (q->user != NULL && strcmp(r->user, q->user) != 0)
		return (0);
	if (q->acc != NULL && strcmp(r->account, q->acc) != 0)
		return (0);
	return (1);
}

/* Page [offset, offset + limit) of n entries: the first index and count. */
static void
monitor_page(int64_t offset, int64_t limit, size_t n, size_t *from,
    size_t *count)
{
	uint64_t	lo = (uint64_t)offset, hi = lo + (uint64_t)limit;

	if (lo > n)
		lo = n;
	if (hi > n || hi < lo)
		hi = n;
	*from = lo;
	*count = hi - lo;
}

/*
 * /connz's answer from p's open records and/or the closed ring: filter,
 * sort, page, as nats-server's Connz() does ("total" counts the state's
 * connections before the cid and user filters, as there).
 */
static void
monitor_conn_connz_answer(struct natsd *n, struct evhttp_request *req,
    const char *query, struct monitor_q *q, struct connrec **open,
    size_t nopen)
{
	struct connrec	**all, *r;
	json_t		 *j, *list;
	int64_t		  now = monitor_now(CLOCK_REALTIME);
	size_t		  nall = 0, total = 0, i, k, from, count;

	all = xcalloc(nopen + monitor_closed_n + 1, sizeof(*all));
	if (q->state != STATE_CLOSED) {
		for (i = 0; i < nopen; i++) {
			if (q->acc == NULL ||
			    strcmp(open[i]->account, q->acc) == 0)
				total++;
			if (monitor_conn_keep(open[i], q))
				all[nall++] = open[i];
		}
	}
	if (q->state != STATE_OPEN) {
		for (i = 0; i < monitor_closed_n; i++) {
			r = monitor_closed[(monitor_closed_head + i) %
			    MONITOR_CLOSED_MAX];
			if (q->acc == NULL || strcmp(r->account, q->acc) == 0)
				total++;
			if (monitor_conn_keep(r, q))
				all[nall++] = r;
		}
	}
	monitor_sort_key = q->sort;
	monitor_sort_now = now;
	qsort(all, nall, sizeof(*all), monitor_conn_cmp);
	monitor_page(q->offset, q->limit, nall, &from, &count);

	j = monitor_json_head(n);
	SET(j, "now", monitor_json_time(now));
	SET(j, "num_connections", json_integer(count));
	SET(j, "total", json_integer(total));
	SET(j, "offset", json_integer(q->offset));
	SET(j, "limit", json_integer(q->limit));
	list = json_array();
	for (k = from; k < from + count; k++)
		json_array_append_new(list, monitor_conn_info(all[k], q, now));
	SET(j, "connections", list);
	free(all);
	monitor_reply_json(req, query, j, 200, 0);
}

/*
 * SublistStats, summed over the workers: of account accidx, or of all
 * (-1). have 0: the account has no trie; everything is zero then.
 */
static json_t *
monitor_conn_sublist_stats(struct natsd *n, const struct ctl_mon_end *sum,
    int accidx, int have)
{
	struct ctl_mon_end	 zero, *s = &zero;
	json_t			*j = json_object();
	uint64_t		 ins = 0, rem = 0, nsubs = 0;
	int			 i;

	memset(&zero, 0, sizeof(zero));
	if (have) {
		s = (struct ctl_mon_end *)sum;
		nsubs = monitor_subscriptions(n, accidx);
		/* Counted for all accounts together. */
		for (i = 0; i < n->nworkers; i++) {
			ins += stats_load(n->stats->worker[i].sub_inserts);
			rem += stats_load(n->stats->worker[i].sub_removes);
		}
	}
	SET(j, "num_subscriptions", json_integer(nsubs));
	SET(j, "num_cache", json_integer(s->cache_entries));
	SET(j, "num_inserts", json_integer(ins));
	SET(j, "num_removes", json_integer(rem));
	SET(j, "num_matches", json_integer(s->matches));
	SET(j, "cache_hit_rate", json_real(s->matches > 0 ?
	    (double)s->cache_hits / s->matches : 0.0));
	SET(j, "max_fanout", json_integer(s->fanout_max));
	SET(j, "avg_fanout", json_real(s->cache_entries > 0 ?
	    (double)s->fanout_total / s->cache_entries : 0.0));
	return (j);
}

/*
 * /subsz's answer: the sublist statistics alone, or, with subs=1 and
 * something to list, the statistics with the page of subscriptions
 * ("total" is the page's length: nats-server's).
 */
static void
monitor_conn_subsz_answer(struct monitor_pending *p)
{
	struct monitor_q	*q = &p->q;
	struct connrec		*r;
	json_t			*st, *j, *list, *v;
	const char		*key;
	size_t			 i, k, nall = 0, from, count;
	struct {
		struct connrec		*r;
		struct connrec_sub	*s;
	}			*all = NULL;

	st = monitor_conn_sublist_stats(p->n, &p->sum, q->accidx,
	    q->acc == NULL || q->accidx >= 0);
	if (q->subs) {
		for (i = 0; i < p->nrecs; i++)
			nall += p->recs[i]->nsublist;
		all = xcalloc(nall + 1, sizeof(*all));
		nall = 0;
		for (i = 0; i < p->nrecs; i++) {
			r = p->recs[i];
			if (q->acc != NULL && strcmp(r->account, q->acc) != 0)
				continue;
			for (k = 0; k < r->nsublist; k++) {
				if (q->test != NULL && !subject_matches(
				    r->subs[k].subject,
				    strlen(r->subs[k].subject), q->test,
				    strlen(q->test)))
					continue;
				all[nall].r = r;
				all[nall++].s = &r->subs[k];
			}
		}
	}
	monitor_page(q->offset, q->limit, nall, &from, &count);
	if (count == 0) {
		free(all);
		monitor_reply_json(p->req, p->query, st, 200, 0);
		return;
	}
	j = monitor_json_head(p->n);
	json_object_foreach(st, key, v)
		SET(j, key, json_incref(v));
	json_decref(st);
	SET(j, "total", json_integer(count));
	SET(j, "offset", json_integer(q->offset));
	SET(j, "limit", json_integer(q->limit));
	list = json_array();
	for (k = from; k < from + count; k++)
		json_array_append_new(list, monitor_conn_sub_detail(all[k].r,
		    all[k].s, 1));
	SET(j, "subscriptions_list", list);
	free(all);
	monitor_reply_json(p->req, p->query, j, 200, 0);
}

/* /accountz?acc=NAME's answer: the account's connections and trie. */
static void
monitor_conn_accountz_answer(struct monitor_pending *p)
{
	struct monitor_q	*q = &p->q;
	json_t			*j, *d;
	size_t			 i, clients = 0, leafs = 0;

	for (i = 0; i < p->nrecs; i++) {
		if (strcmp(p->recs[i]->account, q->acc) != 0)
			continue;
		if (p->recs[i]->kind == CTL_KIND_CLIENT)
			clients++;
		else if (p->recs[i]->kind == CTL_KIND_LEAF)
			leafs++;
	}
	j = monitor_json_head(p->n);
	d = json_object();
	SET(d, "account_name", monitor_fmt_json_str(q->acc));
	SET(d, "update_time", monitor_json_time(monitor_config_time()));
	SET(d, "expired", json_false());
	SET(d, "complete", json_true());
	/* JetStream is not served yet, for any account. */
	SET(d, "jetstream_enabled", json_false());
	SET(d, "leafnode_connections", json_integer(leafs));
	SET(d, "client_connections", json_integer(clients));
	SET(d, "subscriptions", json_integer(q->accidx >= 0 ?
	    monitor_subscriptions(p->n, q->accidx) : 0));
	SET(d, "sublist_stats", monitor_conn_sublist_stats(p->n, &p->sum,
	    q->accidx, q->accidx >= 0));
	SET(j, "account_detail", d);
	monitor_reply_json(p->req, p->query, j, 200, 0);
}

/* Every worker answered, or time is up: answer and forget p. */
static void
monitor_conn_finish(struct monitor_pending *p)
{
	size_t	i;

	TAILQ_REMOVE(&monitor_pending, p, entry);
	monitor_npending--;
	if (p->timer != NULL)
		event_free(p->timer);
	switch (p->q.what) {
	case MONITOR_CONNZ:
		monitor_conn_connz_answer(p->n, p->req, p->query, &p->q,
		    p->recs, p->nrecs);
		break;
	case MONITOR_SUBSZ:
		monitor_conn_subsz_answer(p);
		break;
	case MONITOR_ACCOUNTZ:
		monitor_conn_accountz_answer(p);
		break;
	}
	for (i = 0; i < p->nrecs; i++)
		free(p->recs[i]);
	free(p->recs);
	monitor_q_clear(&p->q);
	free(p->query);
	free(p);
}

/* A string parameter; absent or empty: NULL. */
static char *
monitor_conn_str(const char *query, const char *key)
{
	char	*s = monitor_fmt_query(query, key);

	if (s != NULL && *s == '\0') {
		free(s);
		s = NULL;
	}
	return (s);
}

/*
 * Decode /connz's query in nats-server's order, answering 400 with its
 * text at the first bad value. Returns 0, or -1 when answered.
 */
static int
monitor_conn_connz_query(struct evhttp_request *req, const char *query,
    struct monitor_q *q)
{
	char	*s, *msg;
	size_t	 i;

	memset(q, 0, sizeof(*q));
	q->what = MONITOR_CONNZ;
	q->accidx = -1;
	if (monitor_arg_bool(req, query, "auth", &q->auth) == -1)
		return (-1);
	s = monitor_fmt_query(query, "subs");
	if (s != NULL && strcasecmp(s, "detail") == 0)
		q->subs = 2;
	else if (monitor_arg_bool(req, query, "subs", &q->subs) == -1) {
		free(s);
		return (-1);
	}
	free(s);
	if (monitor_arg_int(req, query, "offset", &q->offset) == -1 ||
	    monitor_arg_int(req, query, "limit", &q->limit) == -1 ||
	    monitor_arg_uint(req, query, "cid", &q->cid) == -1)
		return (-1);
	if ((s = monitor_conn_str(query, "state")) == NULL ||
	    strcasecmp(s, "open") == 0)
		q->state = STATE_OPEN;
	else if (strcasecmp(s, "closed") == 0)
		q->state = STATE_CLOSED;
	else if (strcasecmp(s, "any") == 0 || strcasecmp(s, "all") == 0)
		q->state = STATE_ALL;
	else {
		xasprintf(&msg, "Error decoding state for %s", s);
		monitor_reply_text(req, 400, msg);
		free(msg);
		free(s);
		return (-1);
	}
	free(s);

	q->sort = SORT_CID;
	if ((s = monitor_conn_str(query, "sort")) != NULL) {
		for (i = 0; i < sizeof(monitor_sorts) /
		    sizeof(monitor_sorts[0]); i++)
			if (strcmp(s, monitor_sorts[i]) == 0)
				break;
		if (i == sizeof(monitor_sorts) / sizeof(monitor_sorts[0])) {
			xasprintf(&msg, "invalid sorting option: %s", s);
			monitor_reply_text(req, 400, msg);
			free(msg);
			free(s);
			return (-1);
		}
		q->sort = i;
		free(s);
	}
	if ((q->sort == SORT_STOP || q->sort == SORT_REASON) &&
	    q->state != STATE_CLOSED) {
		monitor_reply_text(req, 400, q->sort == SORT_STOP ?
		    "sort by stop only valid on closed connections" :
		    "sort by reason only valid on closed connections");
		return (-1);
	}
	if (q->offset < 0)
		q->offset = 0;
	if (q->limit <= 0)
		q->limit = MONITOR_LIST_SIZE;
	if (q->cid > 0)
		q->limit = 1;
	q->user = monitor_conn_str(query, "user");
	q->acc = monitor_conn_str(query, "acc");
	return (0);
}

/* /connz: connections, open ones from the workers, closed from the ring. */
void
monitor_conn_connz(struct natsd *n, struct evhttp_request *req,
    const char *query)
{
	struct monitor_q	q;

	if (monitor_conn_connz_query(req, query, &q) == -1) {
		monitor_q_clear(&q);
		return;
	}
	if (q.state == STATE_CLOSED) {
		monitor_conn_connz_answer(n, req, query, &q, NULL, 0);
		monitor_q_clear(&q);
		return;
	}
	monitor_conn_ask(n, req, query, &q, CTL_MON_CONNS |
	    (q.subs ? CTL_MON_SUBS : 0));
}

/* /subsz (and /subscriptionsz): subscription statistics and list. */
void
monitor_conn_subsz(struct natsd *n, struct evhttp_request *req,
    const char *query)
{
	struct monitor_q	q;
	char			*msg;

	memset(&q, 0, sizeof(q));
	q.what = MONITOR_SUBSZ;
	if (monitor_arg_bool(req, query, "subs", &q.subs) == -1 ||
	    monitor_arg_int(req, query, "offset", &q.offset) == -1 ||
	    monitor_arg_int(req, query, "limit", &q.limit) == -1)
		return;
	if (q.offset < 0)
		q.offset = 0;
	if (q.limit <= 0)
		q.limit = MONITOR_LIST_SIZE;
	q.test = monitor_conn_str(query, "test");
	if (q.test != NULL && !subject_valid_literal(q.test,
	    strlen(q.test))) {
		xasprintf(&msg, "invalid test subject, must be valid publish "
		    "subject: %s", q.test);
		monitor_reply_text(req, 400, msg);
		free(msg);
		monitor_q_clear(&q);
		return;
	}
	q.acc = monitor_conn_str(query, "acc");
	q.accidx = q.acc != NULL ? monitor_account_index(n, q.acc) : -1;
	monitor_conn_ask(n, req, query, &q, q.subs ?
	    CTL_MON_CONNS | CTL_MON_SUBS : 0);
}

/* /accountz?acc=NAME: one account's details. */
void
monitor_conn_accountz(struct natsd *n, struct evhttp_request *req,
    const char *query, const char *acc)
{
	struct monitor_q	q;
	char			*msg;

	if (!monitor_account_known(n, acc)) {
		xasprintf(&msg, "Account %s does not exist", acc);
		monitor_reply_text(req, 400, msg);
		free(msg);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.what = MONITOR_ACCOUNTZ;
	q.acc = xstrdup(acc);
	q.accidx = monitor_account_index(n, acc);
	monitor_conn_ask(n, req, query, &q, CTL_MON_CONNS);
}
