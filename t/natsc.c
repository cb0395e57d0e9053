/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/natsc.c: client-library integration tests. Drives a running server
 * with libnats (the official NATS C client) through pub/sub, wildcards,
 * queue groups, request/reply, headers, flush, many connections,
 * per-publisher ordering and large payloads, and prints TAP.
 */

#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nats/nats.h>

#define NATSC_SCENARIO_MS	10000	/* every wait in one scenario */
#define NATSC_WATCHDOG_S	20	/* then the whole program gives up */
#define NATSC_QUIET_MS		100	/* silence that proves "no more" */
#define NATSC_CONNECT_MS	5000

#define NATSC_PS_SUBS		4
#define NATSC_PS_MSGS		20
#define NATSC_Q_MEMBERS		4
#define NATSC_Q_MSGS		1000
#define NATSC_REQ_COUNT		20
#define NATSC_AU_MAX		5
#define NATSC_AU_MSGS		10
#define NATSC_FLUSH_MSGS	1000
#define NATSC_CONNS		500
#define NATSC_CONN_THREADS	10
#define NATSC_ORD_PUBS		4
#define NATSC_ORD_SUBS		2
#define NATSC_ORD_MSGS		10000
#define NATSC_LARGE_SIZE	(1024 * 1024 - 1024)
#define NATSC_LARGE_COUNT	3
#define NATSC_NORESP_WAIT_MS	3000	/* request timeout */
#define NATSC_NORESP_MS		1000	/* "fast": well under the timeout */

struct natsc_test {
	const char	*name;
	const char	*descr;
	int		(*run)(void);
};

/*
 * Everything a scenario opens is registered here and closed by the
 * runner afterwards, so scenarios may simply return on failure.
 */
static struct {
	pthread_mutex_t		  mtx;
	void			**conns;	/* natsConnection * */
	size_t			  nconns;
	size_t			  cconns;
	void			**subs;		/* natsSubscription * */
	size_t			  nsubs;
	size_t			  csubs;
} natsc_reg = { .mtx = PTHREAD_MUTEX_INITIALIZER };

static pthread_mutex_t	 natsc_fail_mtx = PTHREAD_MUTEX_INITIALIZER;
static char		 natsc_reason[512];
static natsOptions	*natsc_opts;
static int64_t		 natsc_deadline;
static int		 natsc_verbose;
static char		 natsc_watchdog_msg[256];

static int	natsc_fail(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2)));
static int	natsc_test_pubsub(void);
static int	natsc_test_wildcard(void);
static int	natsc_test_queue(void);
static int	natsc_test_request(void);
static int	natsc_test_noresponders(void);
static int	natsc_test_headers(void);
static int	natsc_test_autounsub(void);
static int	natsc_test_flush(void);
static int	natsc_test_conns(void);
static int	natsc_test_order(void);
static int	natsc_test_large(void);

static const struct natsc_test natsc_tests[] = {
	{ "pubsub", "pub/sub round trip, several subscribers",
	    natsc_test_pubsub },
	{ "wildcard", "wildcards * and >, non-matching not delivered",
	    natsc_test_wildcard },
	{ "queue", "queue group: each message once, spread; plain sub "
	    "gets all", natsc_test_queue },
	{ "request", "request/reply with a responder on another connection",
	    natsc_test_request },
	{ "noresponders", "request without responders fails fast",
	    natsc_test_noresponders },
	{ "headers", "headers: set/get, multiple values, empty body",
	    natsc_test_headers },
	{ "autounsub", "auto-unsubscribe after 5 of 10 messages",
	    natsc_test_autounsub },
	{ "flush", "flush, then a subscriber gets all messages",
	    natsc_test_flush },
	{ "conns", "500 concurrent connections, one message each",
	    natsc_test_conns },
	{ "order", "per-publisher ordering, 4 publishers, 2 subscribers",
	    natsc_test_order },
	{ "large", "1 MB - 1 KB payload round trip",
	    natsc_test_large },
};
#define NATSC_NTESTS	(sizeof(natsc_tests) / sizeof(natsc_tests[0]))

/*
 * Records why the running scenario failed and returns -1. Only the
 * first reason is kept: later ones are usually consequences. Safe
 * from any thread.
 */
static int
natsc_fail(const char *fmt, ...)
{
	va_list	ap;

	pthread_mutex_lock(&natsc_fail_mtx);
	if (natsc_reason[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(natsc_reason, sizeof(natsc_reason), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&natsc_fail_mtx);
	return -1;
}

static int
natsc_failed(void)
{
	int	f;

	pthread_mutex_lock(&natsc_fail_mtx);
	f = natsc_reason[0] != '\0';
	pthread_mutex_unlock(&natsc_fail_mtx);
	return f;
}

/* Returns 0 if s is NATS_OK, else records "what: status (detail)". */
static int
natsc_check(natsStatus s, const char *what)
{
	const char	*detail;

	if (s == NATS_OK)
		return 0;
	detail = nats_GetLastError(NULL);
	if (detail == NULL || *detail == '\0')
		return natsc_fail("%s: %s", what, natsStatus_GetText(s));
	return natsc_fail("%s: %s (%s)", what, natsStatus_GetText(s), detail);
}

/* Milliseconds left before the scenario's deadline, at least 1. */
static int64_t
natsc_left(void)
{
	int64_t	left;

	left = natsc_deadline - nats_Now();
	return left > 0 ? left : 1;
}

static int
natsc_expired(void)
{
	return nats_Now() >= natsc_deadline;
}

static void
natsc_diag(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* Appends p to a growing array under the registry lock. */
static void
natsc_reg_push(void ***arr, size_t *n, size_t *cap, void *p)
{
	void	**grown;
	size_t	  ncap;

	pthread_mutex_lock(&natsc_reg.mtx);
	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 64;
		grown = realloc(*arr, ncap * sizeof(*grown));
		if (grown == NULL) {
			pthread_mutex_unlock(&natsc_reg.mtx);
			fprintf(stderr, "natsc: out of memory\n");
			exit(2);
		}
		*arr = grown;
		*cap = ncap;
	}
	(*arr)[(*n)++] = p;
	pthread_mutex_unlock(&natsc_reg.mtx);
}

/* Destroys every subscription, then every connection, registered. */
static void
natsc_reg_clear(void)
{
	size_t	i;

	for (i = 0; i < natsc_reg.nsubs; i++)
		natsSubscription_Destroy(natsc_reg.subs[i]);
	natsc_reg.nsubs = 0;
	for (i = 0; i < natsc_reg.nconns; i++)
		natsConnection_Destroy(natsc_reg.conns[i]);
	natsc_reg.nconns = 0;
}

/* Connects with the shared options. Returns 0, or -1 after natsc_fail. */
static int
natsc_open(natsConnection **ncp)
{
	natsStatus	s;

	*ncp = NULL;
	s = natsConnection_Connect(ncp, natsc_opts);
	if (s != NATS_OK)
		return natsc_check(s, "connect");
	natsc_reg_push(&natsc_reg.conns, &natsc_reg.nconns,
	    &natsc_reg.cconns, *ncp);
	return 0;
}

/*
 * Creates a synchronous subscription (queue group when queue is not
 * NULL). Returns 0, or -1 after natsc_fail.
 */
static int
natsc_sub(natsSubscription **subp, natsConnection *nc, const char *subj,
    const char *queue)
{
	natsStatus	s;

	*subp = NULL;
	if (queue != NULL)
		s = natsConnection_QueueSubscribeSync(subp, nc, subj, queue);
	else
		s = natsConnection_SubscribeSync(subp, nc, subj);
	if (s != NATS_OK)
		return natsc_check(s, "subscribe");
	natsc_reg_push(&natsc_reg.subs, &natsc_reg.nsubs,
	    &natsc_reg.csubs, *subp);
	return 0;
}

/*
 * PING/PONG round trip, bounded by the scenario's deadline: the server
 * has processed everything sent before it on this connection.
 */
static int
natsc_flush(natsConnection *nc, const char *what)
{
	return natsc_check(natsConnection_FlushTimeout(nc, natsc_left()), what);
}

static int
natsc_pub(natsConnection *nc, const char *subj, const void *data, int len)
{
	return natsc_check(natsConnection_Publish(nc, subj, data, len),
	    "publish");
}

/*
 * Waits for the next message on sub until the deadline. Returns 0 with
 * *mp owned by the caller, or -1 after natsc_fail naming what.
 */
static int
natsc_next(natsSubscription *sub, natsMsg **mp, const char *what)
{
	natsStatus	s;

	*mp = NULL;
	s = natsSubscription_NextMsg(mp, sub, natsc_left());
	if (s == NATS_OK)
		return 0;
	return natsc_fail("%s: no message on %s: %s", what,
	    natsSubscription_GetSubject(sub), natsStatus_GetText(s));
}

/*
 * Receives one message and checks its subject and payload (and that it
 * carries no reply subject). Returns 0 or -1 after natsc_fail.
 */
static int
natsc_expect(natsSubscription *sub, const char *subj, const char *data,
    const char *what)
{
	natsMsg		*m;
	int		 len, rc = 0;

	if (natsc_next(sub, &m, what) == -1)
		return -1;
	len = natsMsg_GetDataLength(m);
	if (strcmp(natsMsg_GetSubject(m), subj) != 0)
		rc = natsc_fail("%s: subject %s, want %s", what,
		    natsMsg_GetSubject(m), subj);
	else if ((size_t)len != strlen(data) ||
	    memcmp(natsMsg_GetData(m), data, len) != 0)
		rc = natsc_fail("%s: payload \"%.*s\", want \"%s\"", what,
		    len > 64 ? 64 : len, natsMsg_GetData(m), data);
	else if (natsMsg_GetReply(m) != NULL)
		rc = natsc_fail("%s: unexpected reply subject %s", what,
		    natsMsg_GetReply(m));
	natsMsg_Destroy(m);
	return rc;
}

/* Fails if a message arrives on sub within NATSC_QUIET_MS. */
static int
natsc_quiet(natsSubscription *sub, const char *what)
{
	natsMsg		*m = NULL;
	natsStatus	 s;
	int		 rc = 0;

	s = natsSubscription_NextMsg(&m, sub, NATSC_QUIET_MS);
	if (s == NATS_OK)
		rc = natsc_fail("%s: unexpected message on %s: subject %s "
		    "payload \"%.*s\"", what, natsSubscription_GetSubject(sub),
		    natsMsg_GetSubject(m), natsMsg_GetDataLength(m) > 64 ? 64 :
		    natsMsg_GetDataLength(m), natsMsg_GetData(m));
	else if (s != NATS_TIMEOUT)
		rc = natsc_fail("%s: %s", what, natsStatus_GetText(s));
	natsMsg_Destroy(m);
	return rc;
}

/* Messages the connection has received (MSG/HMSG), matched or not. */
static int
natsc_in_msgs(natsConnection *nc, uint64_t *inp)
{
	natsStatistics	*st = NULL;
	natsStatus	 s;

	s = natsStatistics_Create(&st);
	if (s == NATS_OK)
		s = natsConnection_GetStats(nc, st);
	if (s == NATS_OK)
		s = natsStatistics_GetCounts(st, inp, NULL, NULL, NULL, NULL);
	natsStatistics_Destroy(st);
	return natsc_check(s, "connection statistics");
}

/*
 * Checks that nc has received exactly want messages in all: flushes,
 * lets NATSC_QUIET_MS pass for late deliveries, flushes again. The
 * client library drops messages for subscriptions it has closed, so
 * this is how excess deliveries by the server are seen.
 */
static int
natsc_in_exactly(natsConnection *nc, uint64_t want, const char *what)
{
	uint64_t	in = 0;

	if (natsc_flush(nc, what) == -1)
		return -1;
	nats_Sleep(NATSC_QUIET_MS);
	if (natsc_flush(nc, what) == -1 || natsc_in_msgs(nc, &in) == -1)
		return -1;
	if (in != want)
		return natsc_fail("%s: connection received %llu messages, "
		    "want %llu", what, (unsigned long long)in,
		    (unsigned long long)want);
	return 0;
}

/*
 * pubsub: three subscribers on their own connections and one on the
 * publisher's connection (echo is on by default) each get every
 * message, in order, and nothing more; then each gets the single
 * message of a new connection that no flush follows.
 */
static int
natsc_test_pubsub(void)
{
	natsConnection		*pc, *lc, *sc[NATSC_PS_SUBS];
	natsSubscription	*sub[NATSC_PS_SUBS];
	char			 buf[32];
	int			 i, j;

	if (natsc_open(&pc) == -1)
		return -1;
	for (j = 0; j < NATSC_PS_SUBS; j++) {
		if (j == NATSC_PS_SUBS - 1)
			sc[j] = pc;
		else if (natsc_open(&sc[j]) == -1)
			return -1;
		if (natsc_sub(&sub[j], sc[j], "natsc.ps.one", NULL) == -1 ||
		    natsc_flush(sc[j], "flush subscriber") == -1)
			return -1;
	}
	for (i = 0; i < NATSC_PS_MSGS; i++) {
		snprintf(buf, sizeof(buf), "hello %d", i);
		if (natsc_pub(pc, "natsc.ps.one", buf, strlen(buf)) == -1)
			return -1;
	}
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	for (j = 0; j < NATSC_PS_SUBS; j++) {
		for (i = 0; i < NATSC_PS_MSGS; i++) {
			snprintf(buf, sizeof(buf), "hello %d", i);
			if (natsc_expect(sub[j], "natsc.ps.one", buf,
			    j == NATSC_PS_SUBS - 1 ? "own-connection sub" :
			    "subscriber") == -1)
				return -1;
		}
	}
	for (j = 0; j < NATSC_PS_SUBS - 1; j++)
		if (natsc_in_exactly(sc[j], NATSC_PS_MSGS, "subscriber") == -1)
			return -1;
	if (natsc_quiet(sub[NATSC_PS_SUBS - 1], "own-connection sub") == -1)
		return -1;
	/*
	 * A new connection's first and only message, with nothing sent
	 * after it (no flush, no PING), must still be delivered promptly,
	 * as a request is.
	 */
	if (natsc_open(&lc) == -1 ||
	    natsc_pub(lc, "natsc.ps.one", "lone", 4) == -1)
		return -1;
	for (j = 0; j < NATSC_PS_SUBS; j++)
		if (natsc_expect(sub[j], "natsc.ps.one", "lone",
		    "unflushed message") == -1)
			return -1;
	return 0;
}

/* Subscriptions of the wildcard scenario, all on one connection. */
static const char *natsc_wc_subs[] = {
	"natsc.wc.*", "natsc.wc.>", "natsc.wc.*.c", "natsc.wc.a.b",
	"natsc.*.a",
};
#define NATSC_WC_NSUBS	(sizeof(natsc_wc_subs) / sizeof(natsc_wc_subs[0]))

/*
 * Published subjects and, per subscription above, whether it matches
 * ('1') or not ('0'), worked out by hand from the subject rules: '*'
 * is exactly one token, '>' one or more trailing tokens.
 */
static const struct {
	const char	*subject;
	const char	*match;
} natsc_wc_pubs[] = {
	{ "natsc.wc.a",		"11001" },
	{ "natsc.wc.a.b",	"01010" },
	{ "natsc.wc.a.b.c",	"01000" },
	{ "natsc.wc.x.c",	"01100" },
	{ "natsc.wc",		"00000" },
	{ "natsc.other.a",	"00001" },
	{ "natsc.wcx.a",	"00001" },
	{ "natsc.wc.a.c",	"01100" },
	{ "natsc.a.wc.a",	"00000" },
	{ "natsc.wc.b",		"11000" },
	{ "natsc.wc.a.b.c.d",	"01000" },
	{ "natsc.wcwc",		"00000" },
};
#define NATSC_WC_NPUBS	(sizeof(natsc_wc_pubs) / sizeof(natsc_wc_pubs[0]))

/*
 * wildcard: every subscription gets exactly the published subjects it
 * matches, in publish order, and the connection nothing else.
 */
static int
natsc_test_wildcard(void)
{
	natsConnection		*pc, *sc;
	natsSubscription	*sub[NATSC_WC_NSUBS];
	char			 what[64];
	size_t			 i, j;
	uint64_t		 want = 0;

	if (natsc_open(&pc) == -1 || natsc_open(&sc) == -1)
		return -1;
	for (j = 0; j < NATSC_WC_NSUBS; j++)
		if (natsc_sub(&sub[j], sc, natsc_wc_subs[j], NULL) == -1)
			return -1;
	if (natsc_flush(sc, "flush subscriber") == -1)
		return -1;
	for (i = 0; i < NATSC_WC_NPUBS; i++) {
		if (natsc_pub(pc, natsc_wc_pubs[i].subject,
		    natsc_wc_pubs[i].subject,
		    strlen(natsc_wc_pubs[i].subject)) == -1)
			return -1;
		for (j = 0; j < NATSC_WC_NSUBS; j++)
			want += natsc_wc_pubs[i].match[j] == '1';
	}
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	for (j = 0; j < NATSC_WC_NSUBS; j++) {
		snprintf(what, sizeof(what), "sub %s", natsc_wc_subs[j]);
		for (i = 0; i < NATSC_WC_NPUBS; i++) {
			if (natsc_wc_pubs[i].match[j] != '1')
				continue;
			if (natsc_expect(sub[j], natsc_wc_pubs[i].subject,
			    natsc_wc_pubs[i].subject, what) == -1)
				return -1;
		}
		if (natsc_quiet(sub[j], what) == -1)
			return -1;
	}
	return natsc_in_exactly(sc, want, "wildcard subscriber connection");
}

/*
 * Drains whatever the queue members hold now into seen[], counting per
 * member. Returns how many were taken, or -1 after natsc_fail.
 */
static int
natsc_queue_drain(natsSubscription **sub, int *per, unsigned char *seen)
{
	natsMsg		*m;
	natsStatus	 s;
	char		 buf[16];
	int		 j, id, got = 0, len;

	for (j = 0; j < NATSC_Q_MEMBERS; j++) {
		while ((s = natsSubscription_NextMsg(&m, sub[j], 0)) ==
		    NATS_OK) {
			len = natsMsg_GetDataLength(m);
			snprintf(buf, sizeof(buf), "%.*s", len > 15 ? 15 : len,
			    natsMsg_GetData(m));
			natsMsg_Destroy(m);
			id = atoi(buf);
			if (id < 0 || id >= NATSC_Q_MSGS)
				return natsc_fail("queue member %d: bad "
				    "payload \"%s\"", j, buf);
			if (seen[id]++ != 0)
				return natsc_fail("queue: message %d "
				    "delivered twice", id);
			per[j]++;
			got++;
		}
		if (s != NATS_TIMEOUT)
			return natsc_check(s, "queue member next message");
	}
	return got;
}

/*
 * queue: 4 members of one group on 4 connections share 1,000 messages,
 * each delivered once in total and to more than one member; a plain
 * subscriber on the same subject gets all 1,000 in order.
 */
static int
natsc_test_queue(void)
{
	natsConnection		*pc, *qc[NATSC_Q_MEMBERS], *plc;
	natsSubscription	*qs[NATSC_Q_MEMBERS], *ps;
	unsigned char		 seen[NATSC_Q_MSGS];
	char			 buf[16];
	int			 per[NATSC_Q_MEMBERS] = { 0 };
	int			 i, j, n, total = 0, members = 0;

	memset(seen, 0, sizeof(seen));
	if (natsc_open(&pc) == -1 || natsc_open(&plc) == -1 ||
	    natsc_sub(&ps, plc, "natsc.q.work", NULL) == -1 ||
	    natsc_flush(plc, "flush plain subscriber") == -1)
		return -1;
	for (j = 0; j < NATSC_Q_MEMBERS; j++)
		if (natsc_open(&qc[j]) == -1 ||
		    natsc_sub(&qs[j], qc[j], "natsc.q.work", "workers") == -1 ||
		    natsc_flush(qc[j], "flush queue member") == -1)
			return -1;
	for (i = 0; i < NATSC_Q_MSGS; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		if (natsc_pub(pc, "natsc.q.work", buf, strlen(buf)) == -1)
			return -1;
	}
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	while (total < NATSC_Q_MSGS) {
		if ((n = natsc_queue_drain(qs, per, seen)) == -1)
			return -1;
		total += n;
		if (total < NATSC_Q_MSGS && natsc_expired())
			return natsc_fail("queue: members got %d of %d "
			    "messages", total, NATSC_Q_MSGS);
		if (n == 0)
			nats_Sleep(5);
	}
	for (j = 0; j < NATSC_Q_MEMBERS; j++)
		if (natsc_in_exactly(qc[j], per[j], "queue member") == -1)
			return -1;
	natsc_diag("queue: spread over members: %d %d %d %d", per[0], per[1],
	    per[2], per[3]);
	for (j = 0; j < NATSC_Q_MEMBERS; j++)
		members += per[j] > 0;
	if (members < 2)
		return natsc_fail("queue: only %d member got messages",
		    members);
	for (i = 0; i < NATSC_Q_MSGS; i++) {
		snprintf(buf, sizeof(buf), "%d", i);
		if (natsc_expect(ps, "natsc.q.work", buf, "plain sub") == -1)
			return -1;
	}
	return natsc_in_exactly(plc, NATSC_Q_MSGS, "plain subscriber");
}

/* Responder: answers "re:<request payload>" to the reply subject. */
static void
natsc_echo_cb(natsConnection *nc, natsSubscription *sub, natsMsg *m,
    void *arg)
{
	char		 buf[128];
	int		*count = arg, len;

	len = natsMsg_GetDataLength(m);
	snprintf(buf, sizeof(buf), "re:%.*s", len > 100 ? 100 : len,
	    natsMsg_GetData(m));
	if (natsMsg_GetReply(m) == NULL)
		natsc_fail("responder: request without reply subject");
	else if (natsConnection_PublishString(nc, natsMsg_GetReply(m), buf) !=
	    NATS_OK)
		natsc_fail("responder: cannot publish the reply");
	__atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
	natsMsg_Destroy(m);
}

/* request: 20 requests answered by a responder on another connection. */
static int
natsc_test_request(void)
{
	static int		 served;
	natsConnection		*rc, *qc;
	natsSubscription	*rs;
	natsMsg			*m;
	char			 req[32], want[40];
	int			 i, rv = 0;

	served = 0;
	if (natsc_open(&rc) == -1 || natsc_open(&qc) == -1)
		return -1;
	if (natsc_check(natsConnection_Subscribe(&rs, rc, "natsc.req.echo",
	    natsc_echo_cb, &served), "subscribe responder") == -1)
		return -1;
	natsc_reg_push(&natsc_reg.subs, &natsc_reg.nsubs,
	    &natsc_reg.csubs, rs);
	if (natsc_flush(rc, "flush responder") == -1)
		return -1;
	for (i = 0; i < NATSC_REQ_COUNT && rv == 0; i++) {
		snprintf(req, sizeof(req), "ask %d", i);
		snprintf(want, sizeof(want), "re:ask %d", i);
		if (natsc_check(natsConnection_RequestString(&m, qc,
		    "natsc.req.echo", req, natsc_left()), "request") == -1)
			return -1;
		if ((size_t)natsMsg_GetDataLength(m) != strlen(want) ||
		    memcmp(natsMsg_GetData(m), want, strlen(want)) != 0)
			rv = natsc_fail("reply \"%.*s\", want \"%s\"",
			    natsMsg_GetDataLength(m), natsMsg_GetData(m), want);
		natsMsg_Destroy(m);
	}
	if (rv == 0 && __atomic_load_n(&served, __ATOMIC_RELAXED) !=
	    NATSC_REQ_COUNT)
		rv = natsc_fail("responder served %d requests, want %d",
		    served, NATSC_REQ_COUNT);
	return rv;
}

/* Fails unless s is NATS_NO_RESPONDERS and came within NATSC_NORESP_MS. */
static int
natsc_noresp_check(natsStatus s, int64_t start, const char *what)
{
	int64_t	took = nats_Now() - start;

	if (s != NATS_NO_RESPONDERS)
		return natsc_fail("%s: %s, want %s", what,
		    natsStatus_GetText(s),
		    natsStatus_GetText(NATS_NO_RESPONDERS));
	if (took > NATSC_NORESP_MS)
		return natsc_fail("%s: took %lld ms", what, (long long)took);
	return 0;
}

/*
 * noresponders: with headers and no_responders on (libnats 3.x), a
 * request nobody serves fails at once, both through the request API
 * and on a plain subscription to the reply subject.
 */
static int
natsc_test_noresponders(void)
{
	natsConnection		*nc;
	natsSubscription	*sub;
	natsMsg			*m = NULL;
	natsStatus		 s;
	int64_t			 start;
	char			 inbox[64];

	if (natsc_open(&nc) == -1)
		return -1;
	if (natsc_check(natsConnection_HasHeaderSupport(nc),
	    "header support") == -1)
		return -1;
	start = nats_Now();
	s = natsConnection_RequestString(&m, nc, "natsc.nobody.home", "x",
	    NATSC_NORESP_WAIT_MS);
	natsMsg_Destroy(m);
	if (natsc_noresp_check(s, start, "request") == -1)
		return -1;

	snprintf(inbox, sizeof(inbox), "natsc.inbox.%d", (int)getpid());
	if (natsc_sub(&sub, nc, inbox, NULL) == -1 ||
	    natsc_flush(nc, "flush inbox") == -1)
		return -1;
	start = nats_Now();
	if (natsc_check(natsConnection_PublishRequestString(nc,
	    "natsc.nobody.home", inbox, "y"), "publish request") == -1)
		return -1;
	m = NULL;
	s = natsSubscription_NextMsg(&m, sub, NATSC_NORESP_WAIT_MS);
	natsMsg_Destroy(m);
	return natsc_noresp_check(s, start, "inbox subscription");
}

/* Fails unless key's single value in m is want. */
static int
natsc_hdr_is(natsMsg *m, const char *key, const char *want)
{
	const char	*v = NULL;
	natsStatus	 s;

	s = natsMsgHeader_Get(m, key, &v);
	if (s != NATS_OK)
		return natsc_fail("header %s: %s", key, natsStatus_GetText(s));
	if (strcmp(v, want) != 0)
		return natsc_fail("header %s: \"%s\", want \"%s\"", key, v,
		    want);
	return 0;
}

/* Fails unless key's values in m are exactly want[0..n-1], in order. */
static int
natsc_hdr_values(natsMsg *m, const char *key, const char **want, int n)
{
	const char	**v = NULL;
	natsStatus	  s;
	int		  count = 0, i, rc = 0;

	s = natsMsgHeader_Values(m, key, &v, &count);
	if (s != NATS_OK)
		return natsc_fail("header %s values: %s", key,
		    natsStatus_GetText(s));
	if (count != n)
		rc = natsc_fail("header %s: %d values, want %d", key, count, n);
	for (i = 0; rc == 0 && i < n; i++)
		if (strcmp(v[i], want[i]) != 0)
			rc = natsc_fail("header %s value %d: \"%s\", want "
			    "\"%s\"", key, i, v[i], want[i]);
	free(v);
	return rc;
}

/*
 * Builds a message with a header for natsc_test_headers. Returns the
 * message, or NULL after natsc_fail.
 */
static natsMsg *
natsc_hdr_msg(const char *reply, const char *body, const char *key,
    const char *value)
{
	natsMsg		*m = NULL;

	if (natsc_check(natsMsg_Create(&m, "natsc.hdr", reply, body,
	    body != NULL ? (int)strlen(body) : 0), "create message") == -1)
		return NULL;
	if (natsc_check(natsMsgHeader_Set(m, key, value), "set header")) {
		natsMsg_Destroy(m);
		return NULL;
	}
	return m;
}

/* The first message of natsc_test_headers: several keys and values. */
static natsMsg *
natsc_hdr_msg_multi(void)
{
	natsMsg		*m;
	natsStatus	 s;

	if ((m = natsc_hdr_msg(NULL, "body", "X-One", "1")) == NULL)
		return NULL;
	s = natsMsgHeader_Add(m, "X-Multi", "a");
	if (s == NATS_OK)
		s = natsMsgHeader_Add(m, "X-Multi", "b c");
	if (s == NATS_OK)
		s = natsMsgHeader_Add(m, "X-Multi", "d:e");
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "X-Over", "old");
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "X-Over", "new");
	if (natsc_check(s, "add header") == -1) {
		natsMsg_Destroy(m);
		return NULL;
	}
	return m;
}

/* Checks the received copy of natsc_hdr_msg_multi(). */
static int
natsc_hdr_check_multi(natsMsg *m)
{
	static const char	*multi[] = { "a", "b c", "d:e" };
	static const char	*over[] = { "new" };
	const char		*v;

	if (natsc_hdr_is(m, "X-One", "1") == -1 ||
	    natsc_hdr_values(m, "X-Multi", multi, 3) == -1 ||
	    natsc_hdr_is(m, "X-Multi", "a") == -1 ||
	    natsc_hdr_values(m, "X-Over", over, 1) == -1)
		return -1;
	if (natsMsgHeader_Get(m, "X-Missing", &v) != NATS_NOT_FOUND)
		return natsc_fail("header X-Missing found");
	if (natsMsg_GetDataLength(m) != 4 ||
	    memcmp(natsMsg_GetData(m), "body", 4) != 0)
		return natsc_fail("payload with headers: \"%.*s\"",
		    natsMsg_GetDataLength(m), natsMsg_GetData(m));
	return 0;
}

/*
 * headers: a subscriber on another connection receives header keys and
 * values as set, several values of one key in order, a headers-only
 * message with an empty body, headers with a reply subject, and no
 * headers on a plain message.
 */
static int
natsc_test_headers(void)
{
	natsConnection		*pc, *sc;
	natsSubscription	*sub;
	natsMsg			*m, *out[3];
	const char		*v;
	int			 i, rc = 0;

	if (natsc_open(&pc) == -1 || natsc_open(&sc) == -1 ||
	    natsc_check(natsConnection_HasHeaderSupport(pc),
	    "header support") == -1 ||
	    natsc_sub(&sub, sc, "natsc.hdr", NULL) == -1 ||
	    natsc_flush(sc, "flush subscriber") == -1)
		return -1;
	out[0] = natsc_hdr_msg_multi();
	out[1] = natsc_hdr_msg(NULL, NULL, "X-Only", "yes");
	out[2] = natsc_hdr_msg("natsc.hdr.reply", "r", "X-Reply", "1");
	for (i = 0; i < 3 && rc == 0; i++) {
		if (out[i] == NULL)
			rc = -1;
		else
			rc = natsc_check(natsConnection_PublishMsg(pc, out[i]),
			    "publish with headers");
	}
	for (i = 0; i < 3; i++)
		natsMsg_Destroy(out[i]);
	if (rc == -1 || natsc_pub(pc, "natsc.hdr", "plain", 5) == -1 ||
	    natsc_flush(pc, "flush publisher") == -1)
		return -1;

	if (natsc_next(sub, &m, "headers") == -1)
		return -1;
	rc = natsc_hdr_check_multi(m);
	natsMsg_Destroy(m);
	if (rc == -1 || natsc_next(sub, &m, "empty body") == -1)
		return -1;
	rc = natsc_hdr_is(m, "X-Only", "yes");
	if (rc == 0 && natsMsg_GetDataLength(m) != 0)
		rc = natsc_fail("headers-only message: %d payload bytes",
		    natsMsg_GetDataLength(m));
	natsMsg_Destroy(m);
	if (rc == -1 || natsc_next(sub, &m, "headers and reply") == -1)
		return -1;
	rc = natsc_hdr_is(m, "X-Reply", "1");
	if (rc == 0 && (natsMsg_GetReply(m) == NULL ||
	    strcmp(natsMsg_GetReply(m), "natsc.hdr.reply") != 0))
		rc = natsc_fail("headers with reply: reply subject lost");
	natsMsg_Destroy(m);
	if (rc == -1 || natsc_next(sub, &m, "plain after headers") == -1)
		return -1;
	if (natsMsgHeader_Get(m, "X-One", &v) != NATS_NOT_FOUND ||
	    natsMsg_GetDataLength(m) != 5)
		rc = natsc_fail("plain message: headers or payload wrong");
	natsMsg_Destroy(m);
	return rc == -1 ? -1 : natsc_quiet(sub, "headers subscriber");
}

/*
 * autounsub: AutoUnsubscribe(sub, 5), then 10 published: 5 received,
 * and the server sent no more (the library would hide extra ones, so
 * the connection's message count is checked as well), even after 5
 * more are published.
 */
static int
natsc_test_autounsub(void)
{
	natsConnection		*pc, *sc;
	natsSubscription	*sub;
	natsMsg			*m = NULL;
	natsStatus		 s;
	char			 buf[16];
	int			 i;

	if (natsc_open(&pc) == -1 || natsc_open(&sc) == -1 ||
	    natsc_sub(&sub, sc, "natsc.au", NULL) == -1 ||
	    natsc_check(natsSubscription_AutoUnsubscribe(sub, NATSC_AU_MAX),
	    "auto-unsubscribe") == -1 ||
	    natsc_flush(sc, "flush subscriber") == -1)
		return -1;
	for (i = 0; i < NATSC_AU_MSGS; i++) {
		snprintf(buf, sizeof(buf), "au %d", i);
		if (natsc_pub(pc, "natsc.au", buf, strlen(buf)) == -1)
			return -1;
	}
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	for (i = 0; i < NATSC_AU_MAX; i++) {
		snprintf(buf, sizeof(buf), "au %d", i);
		if (natsc_expect(sub, "natsc.au", buf, "auto-unsub") == -1)
			return -1;
	}
	s = natsSubscription_NextMsg(&m, sub, NATSC_QUIET_MS);
	natsMsg_Destroy(m);
	if (s == NATS_OK)
		return natsc_fail("message beyond the maximum delivered");
	if (natsc_in_exactly(sc, NATSC_AU_MAX, "auto-unsub") == -1)
		return -1;
	for (i = 0; i < NATSC_AU_MAX; i++)
		if (natsc_pub(pc, "natsc.au", "late", 4) == -1)
			return -1;
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	return natsc_in_exactly(sc, NATSC_AU_MAX, "after more publishes");
}

/*
 * flush: Flush and FlushTimeout succeed on an idle connection; after N
 * publishes and a flush, a subscriber on another connection gets all N
 * in order.
 */
static int
natsc_test_flush(void)
{
	natsConnection		*pc, *sc;
	natsSubscription	*sub;
	char			 buf[16];
	int64_t			 start;
	int			 i;

	if (natsc_open(&pc) == -1 || natsc_open(&sc) == -1)
		return -1;
	start = nats_Now();
	if (natsc_check(natsConnection_Flush(pc), "Flush") == -1 ||
	    natsc_check(natsConnection_FlushTimeout(pc, 2000),
	    "FlushTimeout") == -1)
		return -1;
	if (nats_Now() - start > 1000)
		return natsc_fail("two idle flushes took %lld ms",
		    (long long)(nats_Now() - start));
	if (natsc_sub(&sub, sc, "natsc.flush", NULL) == -1 ||
	    natsc_check(natsConnection_Flush(sc), "Flush subscriber") == -1)
		return -1;
	for (i = 0; i < NATSC_FLUSH_MSGS; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		if (natsc_pub(pc, "natsc.flush", buf, strlen(buf)) == -1)
			return -1;
	}
	if (natsc_check(natsConnection_Flush(pc), "Flush publisher") == -1)
		return -1;
	for (i = 0; i < NATSC_FLUSH_MSGS; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		if (natsc_expect(sub, "natsc.flush", buf, "flush") == -1)
			return -1;
	}
	return natsc_in_exactly(sc, NATSC_FLUSH_MSGS, "flush subscriber");
}

struct natsc_conns_arg {
	int			 first;
	int			 count;
	natsSubscription	**subs;
};

/* Opens count connections, each subscribed to its own subject. */
static void *
natsc_conns_open(void *arg)
{
	struct natsc_conns_arg	*a = arg;
	natsConnection		*nc;
	char			 subj[32];
	int			 i;

	for (i = a->first; i < a->first + a->count; i++) {
		if (natsc_failed())
			break;
		snprintf(subj, sizeof(subj), "natsc.conn.%d", i);
		if (natsc_open(&nc) == -1 ||
		    natsc_sub(&a->subs[i], nc, subj, NULL) == -1 ||
		    natsc_flush(nc, "flush connection") == -1)
			break;
	}
	return NULL;
}

/*
 * Makes sure the process may hold want descriptors, raising the soft
 * limit towards the hard one if needed. Returns 0 or -1 after
 * natsc_fail.
 */
static int
natsc_fd_room(rlim_t want)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return natsc_fail("getrlimit: %s", strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			return natsc_fail("setrlimit: %s", strerror(errno));
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		return natsc_fail("only %llu descriptors allowed, want %llu",
		    (unsigned long long)rl.rlim_cur, (unsigned long long)want);
	return 0;
}

/*
 * conns: 500 connections open at once, each subscribed to its own
 * subject, each gets exactly its one message; then all close.
 */
static int
natsc_test_conns(void)
{
	static natsSubscription	*subs[NATSC_CONNS];
	struct natsc_conns_arg	 args[NATSC_CONN_THREADS];
	pthread_t		 th[NATSC_CONN_THREADS];
	natsConnection		*pc;
	natsMsg			*m;
	natsStatus		 s;
	char			 subj[32], buf[16];
	int			 i, nth, per = NATSC_CONNS / NATSC_CONN_THREADS;

	if (natsc_fd_room(NATSC_CONNS * 2 + 64) == -1 ||
	    natsc_open(&pc) == -1)
		return -1;
	memset(subs, 0, sizeof(subs));
	for (nth = 0; nth < NATSC_CONN_THREADS; nth++) {
		args[nth].first = nth * per;
		args[nth].count = nth == NATSC_CONN_THREADS - 1 ?
		    NATSC_CONNS - nth * per : per;
		args[nth].subs = subs;
		if (pthread_create(&th[nth], NULL, natsc_conns_open,
		    &args[nth]) != 0) {
			natsc_fail("pthread_create failed");
			break;
		}
	}
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	if (natsc_failed())
		return -1;
	for (i = 0; i < NATSC_CONNS; i++) {
		snprintf(subj, sizeof(subj), "natsc.conn.%d", i);
		snprintf(buf, sizeof(buf), "%d", i);
		if (natsc_pub(pc, subj, buf, strlen(buf)) == -1)
			return -1;
	}
	if (natsc_flush(pc, "flush publisher") == -1)
		return -1;
	for (i = 0; i < NATSC_CONNS; i++) {
		snprintf(subj, sizeof(subj), "natsc.conn.%d", i);
		snprintf(buf, sizeof(buf), "%d", i);
		if (natsc_expect(subs[i], subj, buf, "connection") == -1)
			return -1;
	}
	nats_Sleep(NATSC_QUIET_MS);
	for (i = 0; i < NATSC_CONNS; i++) {
		m = NULL;
		s = natsSubscription_NextMsg(&m, subs[i], 0);
		natsMsg_Destroy(m);
		if (s == NATS_OK)
			return natsc_fail("connection %d: a second message", i);
		if (s != NATS_TIMEOUT)
			return natsc_check(s, "connection next message");
	}
	return 0;
}

struct natsc_order_pub {
	natsConnection		*nc;
	int			 id;
};

struct natsc_order_sub {
	natsSubscription	*sub;
	int			 got;
	int			 last[NATSC_ORD_PUBS];
};

/* Publishes NATSC_ORD_MSGS "<publisher> <seq>" messages, then flushes. */
static void *
natsc_order_pub(void *arg)
{
	struct natsc_order_pub	*p = arg;
	char			 buf[64];
	int			 i;

	for (i = 1; i <= NATSC_ORD_MSGS && !natsc_failed(); i++) {
		snprintf(buf, sizeof(buf), "%d %d ordered payload", p->id, i);
		if (natsc_pub(p->nc, "natsc.order", buf, strlen(buf)) == -1)
			break;
	}
	natsc_flush(p->nc, "flush publisher");
	return NULL;
}

/*
 * Receives every publisher's messages, checking that each publisher's
 * sequence numbers arrive as 1, 2, 3, ... with none missing.
 */
static void *
natsc_order_recv(void *arg)
{
	struct natsc_order_sub	*o = arg;
	natsMsg			*m;
	char			 buf[64];
	int			 id, seq, len;

	while (o->got < NATSC_ORD_PUBS * NATSC_ORD_MSGS && !natsc_failed()) {
		if (natsc_next(o->sub, &m, "ordered subscriber") == -1)
			break;
		len = natsMsg_GetDataLength(m);
		snprintf(buf, sizeof(buf), "%.*s", len > 63 ? 63 : len,
		    natsMsg_GetData(m));
		natsMsg_Destroy(m);
		if (sscanf(buf, "%d %d", &id, &seq) != 2 || id < 0 ||
		    id >= NATSC_ORD_PUBS) {
			natsc_fail("order: bad payload \"%s\"", buf);
			break;
		}
		if (seq != o->last[id] + 1) {
			natsc_fail("order: publisher %d: seq %d after %d", id,
			    seq, o->last[id]);
			break;
		}
		o->last[id] = seq;
		o->got++;
	}
	return NULL;
}

/* Opens the subscribers of natsc_test_order, flushed. */
static int
natsc_order_subs(struct natsc_order_sub *os)
{
	natsConnection	*nc;
	int		 k;

	for (k = 0; k < NATSC_ORD_SUBS; k++) {
		if (natsc_open(&nc) == -1 ||
		    natsc_sub(&os[k].sub, nc, "natsc.order", NULL) == -1 ||
		    natsc_check(natsSubscription_SetPendingLimits(os[k].sub,
		    NATSC_ORD_PUBS * NATSC_ORD_MSGS * 2, 256 * 1024 * 1024),
		    "pending limits") == -1 ||
		    natsc_flush(nc, "flush subscriber") == -1)
			return -1;
	}
	return 0;
}

/*
 * order: 4 publishers on their own connections publish 10,000
 * sequence-numbered messages each, concurrently, to one subject; 2
 * subscribers see each publisher's sequence strictly increasing and
 * complete.
 */
static int
natsc_test_order(void)
{
	struct natsc_order_sub	 os[NATSC_ORD_SUBS];
	struct natsc_order_pub	 op[NATSC_ORD_PUBS];
	pthread_t		 pt[NATSC_ORD_PUBS], st[NATSC_ORD_SUBS];
	int64_t			 dropped;
	int			 i, k, nst, npt;

	memset(os, 0, sizeof(os));
	if (natsc_order_subs(os) == -1)
		return -1;
	for (i = 0; i < NATSC_ORD_PUBS; i++) {
		op[i].id = i;
		if (natsc_open(&op[i].nc) == -1)
			return -1;
	}
	for (nst = 0; nst < NATSC_ORD_SUBS; nst++)
		if (pthread_create(&st[nst], NULL, natsc_order_recv,
		    &os[nst]) != 0)
			break;
	for (npt = 0; npt < NATSC_ORD_PUBS && nst == NATSC_ORD_SUBS; npt++)
		if (pthread_create(&pt[npt], NULL, natsc_order_pub,
		    &op[npt]) != 0)
			break;
	if (nst < NATSC_ORD_SUBS || npt < NATSC_ORD_PUBS)
		natsc_fail("pthread_create failed");
	for (i = 0; i < npt; i++)
		pthread_join(pt[i], NULL);
	for (k = 0; k < nst; k++)
		pthread_join(st[k], NULL);
	for (k = 0; k < NATSC_ORD_SUBS && !natsc_failed(); k++) {
		dropped = 0;
		natsSubscription_GetDropped(os[k].sub, &dropped);
		if (dropped != 0)
			return natsc_fail("order: the client dropped %lld "
			    "messages", (long long)dropped);
		if (natsc_quiet(os[k].sub, "ordered subscriber") == -1)
			return -1;
	}
	return natsc_failed() ? -1 : 0;
}

/* Fills buf with a pattern that differs per message and per byte. */
static void
natsc_large_fill(unsigned char *buf, size_t len, int seed)
{
	size_t	i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + (i >> 11) + seed * 7);
}

/*
 * large: three 1 MB - 1 KB messages (under the default max_payload of
 * 1 MB) arrive whole and byte-exact on another connection.
 */
static int
natsc_test_large(void)
{
	natsConnection		*pc, *sc;
	natsSubscription	*sub;
	natsMsg			*m;
	unsigned char		*buf;
	int			 i, rc = 0;

	if (natsc_open(&pc) == -1 || natsc_open(&sc) == -1)
		return -1;
	if (natsConnection_GetMaxPayload(pc) < NATSC_LARGE_SIZE)
		return natsc_fail("server max_payload %lld < %d",
		    (long long)natsConnection_GetMaxPayload(pc),
		    NATSC_LARGE_SIZE);
	if (natsc_sub(&sub, sc, "natsc.large", NULL) == -1 ||
	    natsc_flush(sc, "flush subscriber") == -1)
		return -1;
	if ((buf = malloc(NATSC_LARGE_SIZE)) == NULL)
		return natsc_fail("out of memory");
	for (i = 0; i < NATSC_LARGE_COUNT && rc == 0; i++) {
		natsc_large_fill(buf, NATSC_LARGE_SIZE, i);
		rc = natsc_pub(pc, "natsc.large", buf, NATSC_LARGE_SIZE);
	}
	if (rc == 0)
		rc = natsc_flush(pc, "flush publisher");
	for (i = 0; i < NATSC_LARGE_COUNT && rc == 0; i++) {
		if ((rc = natsc_next(sub, &m, "large")) == -1)
			break;
		natsc_large_fill(buf, NATSC_LARGE_SIZE, i);
		if (natsMsg_GetDataLength(m) != NATSC_LARGE_SIZE)
			rc = natsc_fail("large %d: %d bytes, want %d", i,
			    natsMsg_GetDataLength(m), NATSC_LARGE_SIZE);
		else if (memcmp(natsMsg_GetData(m), buf,
		    NATSC_LARGE_SIZE) != 0)
			rc = natsc_fail("large %d: content differs", i);
		natsMsg_Destroy(m);
	}
	free(buf);
	return rc;
}

/* Asynchronous errors (slow consumer, ...) fail the running scenario. */
static void
natsc_err_cb(natsConnection *nc, natsSubscription *sub, natsStatus err,
    void *arg)
{
	const char	*last = NULL;

	natsConnection_GetLastError(nc, &last);
	natsc_fail("asynchronous error: %s%s%s", natsStatus_GetText(err),
	    last != NULL ? ": " : "", last != NULL ? last : "");
}

static void
natsc_watchdog_cb(int sig)
{
	ssize_t	rv;

	rv = write(STDOUT_FILENO, natsc_watchdog_msg,
	    strlen(natsc_watchdog_msg));
	(void)rv;
	_exit(1);
}

/*
 * Runs one scenario as TAP test number n, under the watchdog. Returns
 * 0 if it passed, -1 if not.
 */
static int
natsc_run(const struct natsc_test *t, int n)
{
	int64_t	 start;
	char	*p;
	int	 rc;

	snprintf(natsc_watchdog_msg, sizeof(natsc_watchdog_msg),
	    "not ok %d - %s # watchdog: still running after %d s\n"
	    "Bail out! natsc watchdog\n", n, t->name, NATSC_WATCHDOG_S);
	pthread_mutex_lock(&natsc_fail_mtx);
	natsc_reason[0] = '\0';
	pthread_mutex_unlock(&natsc_fail_mtx);
	start = nats_Now();
	natsc_deadline = start + NATSC_SCENARIO_MS;
	alarm(NATSC_WATCHDOG_S);
	rc = t->run();
	natsc_reg_clear();
	alarm(0);
	if (rc == 0 && natsc_failed())
		rc = -1;
	if (rc == -1 && !natsc_failed())
		natsc_fail("failed without a reason");
	if (rc == 0)
		printf("ok %d - %s\n", n, t->name);
	else {
		/* A reason may quote received bytes: keep TAP one line. */
		for (p = natsc_reason; *p != '\0'; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		printf("not ok %d - %s # %s\n", n, t->name, natsc_reason);
	}
	natsc_diag("%s: %.3f s", t->name, (nats_Now() - start) / 1000.0);
	fflush(stdout);
	return rc;
}

/* Adds each comma-separated URL of arg to urls[]. Exits on overflow. */
static void
natsc_add_urls(const char **urls, int *n, int max, char *arg)
{
	char	*u;

	while ((u = strsep(&arg, ",")) != NULL) {
		if (*u == '\0')
			continue;
		if (*n == max) {
			fprintf(stderr, "natsc: too many URLs\n");
			exit(2);
		}
		urls[(*n)++] = u;
	}
}

static const struct natsc_test *
natsc_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NATSC_NTESTS; i++)
		if (strcmp(natsc_tests[i].name, name) == 0)
			return &natsc_tests[i];
	return NULL;
}

static void
natsc_usage(void)
{
	fprintf(stderr, "usage: natsc [-lv] [-s url[,url...]] "
	    "[-t scenario] ...\n");
	exit(2);
}

/* Builds the options every connection is made with. */
static void
natsc_options(const char **urls, int nurls)
{
	natsStatus	s;

	s = natsOptions_Create(&natsc_opts);
	if (s == NATS_OK)
		s = natsOptions_SetServers(natsc_opts, urls, nurls);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(natsc_opts, NATSC_CONNECT_MS);
	if (s == NATS_OK)
		s = natsOptions_SetAllowReconnect(natsc_opts, false);
	if (s == NATS_OK)
		s = natsOptions_SetNoRandomize(natsc_opts, true);
	if (s == NATS_OK)
		s = natsOptions_SetErrorHandler(natsc_opts, natsc_err_cb,
		    NULL);
	if (s != NATS_OK) {
		fprintf(stderr, "natsc: options: %s\n", natsStatus_GetText(s));
		exit(2);
	}
}

int
main(int argc, char *argv[])
{
	const struct natsc_test	*sel[NATSC_NTESTS * 4];
	const char		*urls[16];
	size_t			 i, nsel = 0;
	int			 ch, nurls = 0, list = 0, failed = 0;

	while ((ch = getopt(argc, argv, "ls:t:v")) != -1) {
		switch (ch) {
		case 'l':
			list = 1;
			break;
		case 's':
			natsc_add_urls(urls, &nurls, 16, optarg);
			break;
		case 't':
			if (nsel == sizeof(sel) / sizeof(sel[0]))
				natsc_usage();
			if ((sel[nsel++] = natsc_find(optarg)) == NULL) {
				fprintf(stderr, "natsc: no scenario %s\n",
				    optarg);
				exit(2);
			}
			break;
		case 'v':
			natsc_verbose = 1;
			break;
		default:
			natsc_usage();
		}
	}
	if (optind != argc)
		natsc_usage();
	if (list) {
		for (i = 0; i < NATSC_NTESTS; i++)
			printf("%-14s %s\n", natsc_tests[i].name,
			    natsc_tests[i].descr);
		return 0;
	}
	if (nsel == 0)
		for (i = 0; i < NATSC_NTESTS; i++)
			sel[nsel++] = &natsc_tests[i];
	if (nurls == 0)
		urls[nurls++] = "nats://127.0.0.1:4222";

	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, natsc_watchdog_cb);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (nats_Open(-1) != NATS_OK) {
		fprintf(stderr, "natsc: cannot initialise libnats\n");
		return 2;
	}
	natsc_options(urls, nurls);
	printf("1..%zu\n", nsel);
	if (natsc_verbose)
		natsc_diag("libnats %s, server %s", nats_GetVersion(), urls[0]);
	for (i = 0; i < nsel; i++)
		if (natsc_run(sel[i], (int)i + 1) == -1)
			failed++;
	natsOptions_Destroy(natsc_opts);
	free(natsc_reg.conns);
	free(natsc_reg.subs);
	nats_CloseAndWait(5000);
	return failed ? 1 : 0;
}
