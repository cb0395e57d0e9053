/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/natsd-bench.c: main() of natsd-bench, a NATS load generator on
 * one libevent loop: options, the server URL, the run's clock, and the
 * report (a summary, or one CSV line under a header).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "bench.h"
#include "log.h"
#include "xmalloc.h"

/* What a run measured, for the report. */
struct bench_result {
	uint64_t	 pub_msgs;
	double		 pub_secs;
	double		 pub_bytes;
	uint64_t	 sub_msgs;
	double		 sub_secs;
	double		 sub_bytes;
	double		 sub_min;	/* msgs/s of the slowest subscriber */
	double		 sub_max;
	uint64_t	 lost;
	uint64_t	 reordered;
	double		 cpu;		/* ours, user + system */
};

static const char *bench_modes[] = {
	[BENCH_MODE_PUB] = "pub",
	[BENCH_MODE_SUB] = "sub",
	[BENCH_MODE_PUBSUB] = "pubsub",
	[BENCH_MODE_FANOUT] = "fanout",
	[BENCH_MODE_QUEUE] = "queue",
	[BENCH_MODE_REQREP] = "reqrep",
	[BENCH_MODE_CONNECTIONS] = "connections",
};

/* Publishers and subscribers each mode has unless -P or -S say. */
static const int bench_mode_pubs[] = { 1, 0, 1, 1, 1, 1, 0 };
static const int bench_mode_subs[] = { 0, 1, 1, 8, 4, 1, 0 };

enum {
	OPT_CSV = 256, OPT_NO_SEQ
};

static const struct option bench_longopts[] = {
	{ "server",	 required_argument,	NULL, 's' },
	{ "msgs",	 required_argument,	NULL, 'n' },
	{ "duration",	 required_argument,	NULL, 'd' },
	{ "size",	 required_argument,	NULL, 'm' },
	{ "pubs",	 required_argument,	NULL, 'P' },
	{ "subs",	 required_argument,	NULL, 'S' },
	{ "concurrency", required_argument,	NULL, 'c' },
	{ "flush",	 required_argument,	NULL, 'f' },
	{ "window",	 required_argument,	NULL, 'w' },
	{ "max-lag",	 required_argument,	NULL, 'l' },
	{ "drain",	 required_argument,	NULL, 'T' },
	{ "subject",	 required_argument,	NULL, 't' },
	{ "csv",	 no_argument,		NULL, OPT_CSV },
	{ "no-seq",	 no_argument,		NULL, OPT_NO_SEQ },
	{ "quiet",	 no_argument,		NULL, 'q' },
	{ "help",	 no_argument,		NULL, 'h' },
	{ "version",	 no_argument,		NULL, 'V' },
	{ NULL,		 0,			NULL, 0 }
};

static __attribute__((__noreturn__)) void bench_usage(int);
static uint64_t	 bench_parse_num(const char *, const char *, uint64_t,
		    uint64_t);
static double	 bench_parse_secs(const char *, const char *);
static void	 bench_parse_url(struct bench_opts *);
static void	 bench_resolve(struct bench *);
static void	 bench_nofile(uint64_t);
static void	 bench_defaults(struct bench_opts *, int, int, int, int, int);
static void	 bench_result(struct bench *, struct bench_result *);
static void	 bench_report_text(struct bench *, struct bench_result *);
static void	 bench_report_csv(struct bench *, struct bench_result *);
static void	 bench_sigint_cb(int, short, void *);

double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

uint64_t
bench_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* End the run: the loop returns and the report follows. */
void
bench_finish(struct bench *b)
{
	if (b->phase == BENCH_PHASE_DONE)
		return;
	b->phase = BENCH_PHASE_DONE;
	event_base_loopbreak(b->base);
}

/* Start ev as a timer calling cb(b) after secs, again if persist. */
void
bench_timer(struct bench *b, struct event *ev, double secs, int persist,
    event_callback_fn cb)
{
	struct timeval	 tv;

	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	event_assign(ev, b->base, -1, persist ? EV_PERSIST : 0, cb, b);
	if (event_add(ev, &tv) == -1)
		fatalx("event_add failed");
}

static void
bench_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: natsd-bench [-q] [-c concurrency] [-d duration] "
	    "[-f flush] [-l max-lag]\n"
	    "\t[-m size] [-n count] [-P pubs] [-S subs] [-s url] "
	    "[-T drain] [-t subject]\n"
	    "\t[-w window] [--csv] [--no-seq] mode\n"
	    "modes: pub sub pubsub fanout queue reqrep connections\n");
	exit(status);
}

/*
 * A count or size: digits, then an optional suffix k, m or g (of
 * mult: 1000 or 1024), and for sizes an optional B. Dies unless the
 * result lies in [0, max].
 */
static uint64_t
bench_parse_num(const char *what, const char *s, uint64_t mult,
    uint64_t max)
{
	char		*end;
	uint64_t	 v, m = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *s == '-' || errno != 0)
		fatalx("%s: not a number: %s", what, s);
	switch (*end) {
	case 'k': case 'K':
		m = mult;
		end++;
		break;
	case 'm': case 'M':
		m = mult * mult;
		end++;
		break;
	case 'g': case 'G':
		m = mult * mult * mult;
		end++;
		break;
	}
	if (*end == 'B' && mult == 1024)
		end++;
	if (*end != '\0' || (v != 0 && m > max / v) || v * m > max)
		fatalx("%s: bad value: %s", what, s);
	return (v * m);
}

/* Seconds: a number, then an optional ms, s, m or h. */
static double
bench_parse_secs(const char *what, const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !(v >= 0) || v > 1e7)
		fatalx("%s: bad duration: %s", what, s);
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60;
	else if (strcmp(end, "h") == 0)
		v *= 3600;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		fatalx("%s: bad duration: %s", what, s);
	return (v);
}

/*
 * Split [nats://][user:pass@|token@]host[:port] into host and port and
 * build the CONNECT line, with the credentials if any.
 */
static void
bench_parse_url(struct bench_opts *o)
{
	char	*s, *h, *at, *p, *user = NULL, *pass = NULL, *token = NULL;
	char	*auth = NULL;

	s = xstrdup(o->url);
	h = s;
	if (strncmp(h, "nats://", 7) == 0)
		h += 7;
	else if (strstr(h, "://") != NULL)
		fatalx("%s: only nats:// URLs are supported", o->url);
	if ((at = strrchr(h, '@')) != NULL) {
		*at = '\0';
		if ((p = strchr(h, ':')) != NULL) {
			*p = '\0';
			user = h;
			pass = p + 1;
		} else
			token = h;
		h = at + 1;
	}
	if ((p = strchr(h, '/')) != NULL)
		*p = '\0';
	if (*h == '[' && (p = strchr(h, ']')) != NULL) {
		*p++ = '\0';
		o->host = xstrdup(h + 1);
	} else {
		p = strrchr(h, ':');
		o->host = p ? xstrndup(h, p - h) : xstrdup(h);
	}
	if (p != NULL && *p == ':' && p[1] != '\0')
		o->port = xstrdup(p + 1);
	else
		o->port = xstrdup("4222");
	if (*o->host == '\0')
		fatalx("%s: no host", o->url);
	for (p = user ? user : token; p != NULL && *p != '\0'; p++)
		if (*p == '"' || *p == '\\')
			fatalx("%s: quotes in credentials", o->url);
	for (p = pass; p != NULL && *p != '\0'; p++)
		if (*p == '"' || *p == '\\')
			fatalx("%s: quotes in credentials", o->url);
	if (user != NULL)
		xasprintf(&auth, ",\"user\":\"%s\",\"pass\":\"%s\"", user,
		    pass);
	else if (token != NULL)
		xasprintf(&auth, ",\"auth_token\":\"%s\"", token);
	xasprintf(&o->connect, "CONNECT {\"verbose\":false,\"pedantic\":false,"
	    "\"lang\":\"c\",\"version\":\"%s\",\"protocol\":1,"
	    "\"name\":\"natsd-bench\",\"headers\":false%s}\r\n",
	    PACKAGE_VERSION, auth ? auth : "");
	free(auth);
	free(s);
}

static void
bench_resolve(struct bench *b)
{
	struct addrinfo	 hints;
	int		 rv;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rv = getaddrinfo(b->opts->host, b->opts->port, &hints,
	    &b->ai)) != 0)
		fatalx("%s:%s: %s", b->opts->host, b->opts->port,
		    gai_strerror(rv));
}

/* Raise the descriptor limit to the hard one; die if n cannot fit. */
static void
bench_nofile(uint64_t n)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && n + 32 > rl.rlim_cur)
		fatalx("%llu connections need more descriptors than "
		    "RLIMIT_NOFILE allows (%llu)", (unsigned long long)n,
		    (unsigned long long)rl.rlim_cur);
}

/*
 * Fill in what the command line left out: the mode's publishers and
 * subscribers, the count, and the flow control sized to the message.
 */
static void
bench_defaults(struct bench_opts *o, int pubs, int subs, int conc,
    int flush, int lag)
{
	size_t	 msg;

	if (pubs < 0)
		o->pubs = bench_mode_pubs[o->mode];
	if (subs < 0)
		o->subs = bench_mode_subs[o->mode];
	if (o->mode == BENCH_MODE_PUB)
		o->subs = 0;
	if (o->mode == BENCH_MODE_SUB)
		o->pubs = 0;
	if (!o->count_set)
		o->count = o->mode == BENCH_MODE_CONNECTIONS ? 1000 : 100000;
	if (!conc)
		o->concurrency = o->mode == BENCH_MODE_CONNECTIONS ? 100 : 1;
	msg = strlen(o->subject) + o->size + 16;
	if (!flush)
		o->flush = msg >= BENCH_OUT_SIZE ? 1 : BENCH_OUT_SIZE / msg;
	if (!lag)
		o->max_lag = 2 * o->window * o->flush;
	if (o->mode == BENCH_MODE_REQREP && (o->pubs < 1 || o->subs < 1))
		fatalx("reqrep needs a requester and a responder");
	if ((o->mode == BENCH_MODE_SUB && o->subs < 1) ||
	    (o->mode != BENCH_MODE_SUB && o->mode != BENCH_MODE_CONNECTIONS &&
	    o->pubs < 1))
		fatalx("%s needs a %s", bench_modes[o->mode],
		    o->mode == BENCH_MODE_SUB ? "subscriber" : "publisher");
	if (o->mode == BENCH_MODE_CONNECTIONS && o->count > INT32_MAX)
		fatalx("too many connections: %llu",
		    (unsigned long long)o->count);
}

static void
bench_sigint_cb(int sig, short ev, void *arg)
{
	struct bench	*b = arg;

	log_warnx("interrupted");
	b->errors++;
	bench_finish(b);
}

int
main(int argc, char **argv)
{
	struct bench_opts	 o;
	struct bench		 b;
	struct bench_result	 r;
	struct event		*sig;
	int			 ch, i, pubs = -1, subs = -1, conc = 0;
	int			 flush = 0, lag = 0;

	log_init(0, 0);
	log_settime(0);
	log_procinit("natsd-bench");
	signal(SIGPIPE, SIG_IGN);

	memset(&o, 0, sizeof(o));
	o.url = "nats://127.0.0.1:4222";
	o.size = 128;
	o.window = 8;
	o.drain = 2;
	o.subject = "bench";
	o.seq = 1;
	while ((ch = getopt_long(argc, argv, "c:d:f:hl:m:n:P:qS:s:T:t:Vw:",
	    bench_longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.concurrency = bench_parse_num("-c", optarg, 1000,
			    1000000);
			conc = 1;
			if (o.concurrency < 1)
				fatalx("-c: must be at least 1");
			break;
		case 'd':
			o.duration = bench_parse_secs("-d", optarg);
			break;
		case 'f':
			o.flush = bench_parse_num("-f", optarg, 1000,
			    UINT32_MAX);
			flush = 1;
			if (o.flush < 1)
				fatalx("-f: must be at least 1");
			break;
		case 'l':
			o.max_lag = bench_parse_num("-l", optarg, 1000,
			    UINT64_MAX);
			lag = 1;
			break;
		case 'm':
			o.size = bench_parse_num("-m", optarg, 1024,
			    64 * 1024 * 1024);
			break;
		case 'n':
			o.count = bench_parse_num("-n", optarg, 1000,
			    BENCH_SEQ_MASK);
			o.count_set = 1;
			break;
		case 'P':
			pubs = o.pubs = bench_parse_num("-P", optarg, 1000,
			    BENCH_MAX_PUBS);
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'S':
			subs = o.subs = bench_parse_num("-S", optarg, 1000,
			    100000);
			break;
		case 's':
			o.url = optarg;
			break;
		case 'T':
			o.drain = bench_parse_secs("-T", optarg);
			if (o.drain <= 0)
				fatalx("-T: must be above 0");
			break;
		case 't':
			o.subject = optarg;
			if (*optarg == '\0' || strpbrk(optarg, " \t\r\n"))
				fatalx("-t: bad subject: %s", optarg);
			break;
		case 'V':
			printf("natsd-bench %s\n", PACKAGE_VERSION);
			exit(0);
		case 'w':
			o.window = bench_parse_num("-w", optarg, 1000,
			    UINT32_MAX);
			if (o.window < 1)
				fatalx("-w: must be at least 1");
			break;
		case OPT_CSV:
			o.csv = 1;
			break;
		case OPT_NO_SEQ:
			o.seq = 0;
			break;
		case 'h':
			bench_usage(0);
		default:
			bench_usage(1);
		}
	}
	if (optind != argc - 1)
		bench_usage(1);
	for (i = 0; i <= BENCH_MODE_CONNECTIONS; i++)
		if (strcmp(argv[optind], bench_modes[i]) == 0)
			break;
	if (i > BENCH_MODE_CONNECTIONS)
		fatalx("unknown mode: %s", argv[optind]);
	o.mode = i;
	bench_defaults(&o, pubs, subs, conc, flush, lag);
	bench_parse_url(&o);
	bench_nofile(o.mode == BENCH_MODE_CONNECTIONS ? o.count :
	    (uint64_t)o.pubs + o.subs);

	memset(&b, 0, sizeof(b));
	b.opts = &o;
	bench_hist_init(&b.hist);
	if ((b.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	bench_resolve(&b);
	if ((sig = evsignal_new(b.base, SIGINT, bench_sigint_cb, &b)) ==
	    NULL || evsignal_add(sig, NULL) == -1)
		fatalx("cannot catch SIGINT");

	switch (o.mode) {
	case BENCH_MODE_REQREP:
		bench_req_setup(&b);
		break;
	case BENCH_MODE_CONNECTIONS:
		bench_idle_setup(&b);
		break;
	default:
		bench_msg_setup(&b);
		break;
	}
	if (b.phase != BENCH_PHASE_DONE)
		event_base_dispatch(b.base);
	if (b.t_pub_end == 0)
		b.t_pub_end = bench_now();

	bench_result(&b, &r);
	if (o.csv)
		bench_report_csv(&b, &r);
	else
		bench_report_text(&b, &r);
	fflush(stdout);
	bench_conn_close_all(&b);
	free(b.subc);
	free(b.pubc);
	free(b.pub_line);
	free(b.payload);
	event_free(sig);
	event_base_free(b.base);
	freeaddrinfo(b.ai);
	free(o.host);
	free(o.port);
	free(o.connect);
	return (b.errors || r.lost || r.reordered ? 1 : 0);
}

/* Gather the counters of every connection into one result. */
static void
bench_result(struct bench *b, struct bench_result *r)
{
	struct bench_conn	*c;
	struct rusage		 ru;
	double			 end = 0, secs, rate;
	int			 k;

	memset(r, 0, sizeof(*r));
	r->pub_msgs = b->published;
	r->pub_secs = b->t_pub_end - b->t_start;
	r->pub_bytes = (double)b->published * b->opts->size;
	r->sub_min = INFINITY;
	if (b->opts->mode == BENCH_MODE_REQREP) {
		for (k = 0; k < b->npubc; k++) {
			r->sub_msgs += b->pubc[k]->recv;
			r->sub_bytes += b->pubc[k]->bytes;
		}
		r->sub_secs = r->pub_secs;
		r->lost = r->pub_msgs - r->sub_msgs;
	}
	for (k = 0; k < b->nsubc && b->opts->mode != BENCH_MODE_REQREP; k++) {
		c = b->subc[k];
		r->sub_msgs += c->recv;
		r->sub_bytes += c->bytes;
		r->reordered += c->reordered;
		if (c->t_last > end)
			end = c->t_last;
		secs = c->t_last - b->t_start;
		rate = secs > 0 ? c->recv / secs : 0;
		if (rate < r->sub_min)
			r->sub_min = rate;
		if (rate > r->sub_max)
			r->sub_max = rate;
		if (b->npubc == 0)
			r->lost += c->gaps;
		else if (b->opts->mode != BENCH_MODE_QUEUE &&
		    c->recv < b->published)
			r->lost += b->published - c->recv;
	}
	if (b->opts->mode == BENCH_MODE_QUEUE && r->sub_msgs < b->published)
		r->lost = b->published - r->sub_msgs;
	if (b->opts->mode != BENCH_MODE_REQREP)
		r->sub_secs = end > b->t_start ? end - b->t_start : 0;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		r->cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
bench_rate(double n, double secs)
{
	return (secs > 0 ? n / secs : 0);
}

static double
bench_us(const struct bench_hist *h, double p)
{
	return (bench_hist_percentile(h, p) / 1000.0);
}

static void
bench_report_text(struct bench *b, struct bench_result *r)
{
	struct bench_opts	*o = b->opts;
	const struct bench_hist	*h = &b->hist;

	printf("%s %s:%s: ", bench_modes[o->mode], o->host, o->port);
	if (o->mode == BENCH_MODE_CONNECTIONS) {
		printf("%llu connections, %d at a time\n",
		    (unsigned long long)o->count, o->concurrency);
		printf("  connected %d in %.3f s: %.0f conn/s; held %.1f s\n",
		    b->established, b->t_conn_end > 0 ? b->t_conn_end -
		    b->t_start : 0, bench_rate(b->established, b->t_conn_end -
		    b->t_start), b->held);
		printf("  errors %d; client CPU %.2f s\n", b->errors, r->cpu);
		return;
	}
	if (o->mode == BENCH_MODE_REQREP) {
		printf("%d requester%s x %d outstanding, %d responder%s, "
		    "%zu B payload\n", o->pubs, o->pubs == 1 ? "" : "s",
		    o->concurrency, o->subs, o->subs == 1 ? "" : "s", o->size);
		printf("  req  %llu replies in %.3f s: %.0f req/s, "
		    "%.2f MB/s\n", (unsigned long long)r->sub_msgs,
		    r->sub_secs, bench_rate(r->sub_msgs, r->sub_secs),
		    bench_rate(r->sub_bytes, r->sub_secs) / 1e6);
		printf("  latency us: min %.1f p50 %.1f p90 %.1f p99 %.1f "
		    "p99.9 %.1f max %.1f mean %.1f\n",
		    h->n ? h->min / 1000.0 : 0, bench_us(h, 0.5),
		    bench_us(h, 0.9), bench_us(h, 0.99), bench_us(h, 0.999),
		    h->max / 1000.0, h->n ? h->sum / h->n / 1000.0 : 0);
	} else {
		printf("%d pub%s, %d sub%s, %zu B payload\n", o->pubs,
		    o->pubs == 1 ? "" : "s", o->subs, o->subs == 1 ? "" : "s",
		    o->size);
		if (o->pubs > 0)
			printf("  pub  %llu msgs in %.3f s: %.0f msgs/s, "
			    "%.2f MB/s\n", (unsigned long long)r->pub_msgs,
			    r->pub_secs, bench_rate(r->pub_msgs, r->pub_secs),
			    bench_rate(r->pub_bytes, r->pub_secs) / 1e6);
		if (o->subs > 0)
			printf("  sub  %llu msgs in %.3f s: %.0f msgs/s, "
			    "%.2f MB/s\n", (unsigned long long)r->sub_msgs,
			    r->sub_secs, bench_rate(r->sub_msgs, r->sub_secs),
			    bench_rate(r->sub_bytes, r->sub_secs) / 1e6);
		if (o->subs > 1)
			printf("       per subscriber %.0f to %.0f msgs/s\n",
			    r->sub_min, r->sub_max);
	}
	printf("  lost %llu, reordered %llu, errors %d; client CPU %.2f s\n",
	    (unsigned long long)r->lost, (unsigned long long)r->reordered,
	    b->errors, r->cpu);
}

/*
 * One header line and one line of values; the columns are the same in
 * every mode, empty where the mode measures nothing.
 */
static void
bench_report_csv(struct bench *b, struct bench_result *r)
{
	struct bench_opts	*o = b->opts;
	const struct bench_hist	*h = &b->hist;
	int			 conns = o->mode == BENCH_MODE_CONNECTIONS;

	printf("mode,server,pubs,subs,size,pub_msgs,pub_secs,pub_msgs_s,"
	    "pub_mb_s,sub_msgs,sub_secs,sub_msgs_s,sub_mb_s,lost,reordered,"
	    "errors,p50_us,p90_us,p99_us,p999_us,max_us,conns,conn_secs,"
	    "conns_s,cpu_secs\n");
	printf("%s,%s:%s,%d,%d,%zu,", bench_modes[o->mode], o->host, o->port,
	    o->pubs, o->subs, o->size);
	if (o->pubs > 0 && !conns)
		printf("%llu,%.6f,%.0f,%.3f,", (unsigned long long)r->pub_msgs,
		    r->pub_secs, bench_rate(r->pub_msgs, r->pub_secs),
		    bench_rate(r->pub_bytes, r->pub_secs) / 1e6);
	else
		printf(",,,,");
	if (o->subs > 0 && !conns)
		printf("%llu,%.6f,%.0f,%.3f,", (unsigned long long)r->sub_msgs,
		    r->sub_secs, bench_rate(r->sub_msgs, r->sub_secs),
		    bench_rate(r->sub_bytes, r->sub_secs) / 1e6);
	else
		printf(",,,,");
	printf("%llu,%llu,%d,", (unsigned long long)r->lost,
	    (unsigned long long)r->reordered, b->errors);
	if (o->mode == BENCH_MODE_REQREP)
		printf("%.1f,%.1f,%.1f,%.1f,%.1f,", bench_us(h, 0.5),
		    bench_us(h, 0.9), bench_us(h, 0.99), bench_us(h, 0.999),
		    h->max / 1000.0);
	else
		printf(",,,,,");
	if (conns)
		printf("%d,%.6f,%.0f,", b->established, b->t_conn_end > 0 ?
		    b->t_conn_end - b->t_start : 0, bench_rate(b->established,
		    b->t_conn_end - b->t_start));
	else
		printf(",,,");
	printf("%.3f\n", r->cpu);
}
