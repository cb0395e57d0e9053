/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/monitor.c: the monitoring HTTP server (libevent's evhttp in
 * the supervisor's loop), with nats-server's endpoints, JSON field names
 * and error texts. What shared memory and the configuration know is
 * answered here at once (/varz, /routez, /gatewayz, /leafz, /accountz,
 * /jsz, /healthz, the index page); what only the workers know goes
 * through monitor_conn.c, which asks them without waiting on them.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "conf.h"
#include "log.h"
#include "options.h"
#include "stats.h"
#include "sublist.h"
#include "supervisor.h"
#include "xmalloc.h"

#define MONITOR_IDLE		30		/* s: an idle HTTP connection */
#define MONITOR_HEADERS_MAX	(1024 * 1024)	/* as nats-server */
#define MONITOR_BODY_MAX	(64 * 1024)

struct monitor_route {
	const char	*path;		/* below http_base_path */
	const char	*stat;		/* its key in http_req_stats */
	void		(*fn)(struct natsd *, struct evhttp_request *,
			    const char *);
};

static void	monitor_index(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_varz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_routez(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_gatewayz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_leafz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_accountz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_jsz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_healthz(struct natsd *, struct evhttp_request *,
		    const char *);
static void	monitor_request_cb(struct evhttp_request *, void *);
static void	monitor_cpu_cb(evutil_socket_t, short, void *);

static const struct monitor_route monitor_routes[] = {
	{ "/", "/", monitor_index },
	{ "/varz", "/varz", monitor_varz },
	{ "/connz", "/connz", monitor_conn_connz },
	{ "/routez", "/routez", monitor_routez },
	{ "/gatewayz", "/gatewayz", monitor_gatewayz },
	{ "/leafz", "/leafz", monitor_leafz },
	{ "/subsz", "/subsz", monitor_conn_subsz },
	{ "/subscriptionsz", "/subsz", monitor_conn_subsz },
	{ "/accountz", "/accountz", monitor_accountz },
	{ "/jsz", "/jsz", monitor_jsz },
	{ "/healthz", "/healthz", monitor_healthz },
};
#define MONITOR_NROUTES	(sizeof(monitor_routes) / sizeof(monitor_routes[0]))

static struct evhttp	*monitor_http;
static int64_t		 monitor_start_ns;
static int64_t		 monitor_config_ns;
static uint64_t		 monitor_reqs[MONITOR_NROUTES];
static struct event	*monitor_ev_cpu;
static double		 monitor_cpu;		/* percent, last second */
static int64_t		 monitor_cpu_when;	/* CLOCK_MONOTONIC ns */
static struct {
	pid_t		 pid;
	uint64_t	 ticks;
} monitor_cpu_last[1 + STATS_MAX_WORKERS];

/* Nanoseconds on clock id. */
int64_t
monitor_now(int id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* host:port as Go's net.JoinHostPort writes it. */
static void
monitor_hostport(char *buf, size_t len, const char *host, int port)
{
	if (strchr(host, ':') != NULL)
		snprintf(buf, len, "[%s]:%d", host, port);
	else
		snprintf(buf, len, "%s:%d", host, port);
}

/*
 * Bind the monitoring listener on http_host:http_port (-1: any free
 * port) and serve it from n's loop. Logs "Starting http monitor on
 * HOST:PORT" as nats-server does (tests read the port from it) and
 * publishes the port in the shared statistics, so workers know to
 * report closed connections. Nothing happens when http_port is 0.
 * Returns 0, or -1 with *cause set.
 */
int
monitor_start(struct natsd *n, char **cause)
{
	const struct config	*cf = n->conf;
	struct addrinfo		 hints, *res;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 1, 0 };
	socklen_t		 slen;
	char			 addr[300], portstr[16];
	int			 fd, err, port, on = 1;

	monitor_start_ns = monitor_config_ns = monitor_now(CLOCK_REALTIME);
	if (cf->https_port != 0)
		log_warnx("https_port: monitoring over TLS is not supported, "
		    "ignored");
	if (cf->http_port == 0)
		return (0);
	port = cf->http_port == -1 ? 0 : cf->http_port;
	monitor_hostport(addr, sizeof(addr), cf->http_host, port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if ((err = getaddrinfo(cf->http_host, portstr, &hints, &res)) != 0) {
		xasprintf(cause, "can't listen to the monitor port: %s: %s",
		    addr, gai_strerror(err));
		return (-1);
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) == -1 || bind(fd, res->ai_addr, res->ai_addrlen) ==
	    -1 || listen(fd, 128) == -1) {
		xasprintf(cause, "can't listen to the monitor port: %s: %s",
		    addr, strerror(errno));
		if (fd != -1)
			close(fd);
		freeaddrinfo(res);
		return (-1);
	}
	freeaddrinfo(res);
	slen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1)
		fatal("getsockname");
	port = ntohs(ss.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);

	if ((monitor_http = evhttp_new(n->base)) == NULL ||
	    evhttp_accept_socket_with_handle(monitor_http, fd) == NULL)
		fatalx("evhttp: cannot serve the monitor port");
	evhttp_set_gencb(monitor_http, monitor_request_cb, n);
	evhttp_set_timeout(monitor_http, MONITOR_IDLE);
	evhttp_set_max_headers_size(monitor_http, MONITOR_HEADERS_MAX);
	evhttp_set_max_body_size(monitor_http, MONITOR_BODY_MAX);
	n->stats->http_port = port;
	monitor_hostport(addr, sizeof(addr), cf->http_host, port);
	log_info("Starting http monitor on %s", addr);

	monitor_cpu_when = monitor_now(CLOCK_MONOTONIC);
	monitor_ev_cpu = event_new(n->base, -1, EV_PERSIST, monitor_cpu_cb, n);
	event_add(monitor_ev_cpu, &tv);
	return (0);
}

/*
 * In a newly forked child: close the monitor's sockets, the listener
 * and any HTTP connection open at the fork, which would otherwise live
 * on in the child (no exec closes them). They are the TCP sockets on
 * the monitoring port.
 */
void
monitor_child_cleanup(struct natsd *n)
{
	struct sockaddr_storage	 ss;
	struct dirent		*de;
	socklen_t		 slen;
	DIR			*d;
	int			 fd, port, dfd;

	if (n->stats == NULL || n->stats->http_port == 0 ||
	    (d = opendir("/proc/self/fd")) == NULL)
		return;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		if ((fd = atoi(de->d_name)) <= STDERR_FILENO || fd == dfd)
			continue;
		slen = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1)
			continue;
		if (ss.ss_family == AF_INET)
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		else
			continue;
		if (port == n->stats->http_port)
			close(fd);
	}
	closedir(d);
}

/* A configuration was loaded (start, SIGHUP): /varz config_load_time. */
void
monitor_config_loaded(void)
{
	monitor_config_ns = monitor_now(CLOCK_REALTIME);
}

int64_t
monitor_started(void)
{
	return (monitor_start_ns);
}

int64_t
monitor_config_time(void)
{
	return (monitor_config_ns);
}

static const char *
monitor_reason(int code)
{
	switch (code) {
	case 200:
		return ("OK");
	case 400:
		return ("Bad Request");
	case 404:
		return ("Not Found");
	case 503:
		return ("Service Unavailable");
	}
	return ("Error");
}

/* Answer req with code and len bytes of body of type ctype. */
void
monitor_reply(struct evhttp_request *req, int code, const char *ctype,
    const void *body, size_t len)
{
	struct evbuffer	*b;

	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", ctype);
	evbuffer_add(b, body, len);
	evhttp_send_reply(req, code, monitor_reason(code), b);
	evbuffer_free(b);
}

/* A 400 (or other) answer: text/plain, as nats-server writes errors. */
void
monitor_reply_text(struct evhttp_request *req, int code, const char *text)
{
	monitor_reply(req, code, "text/plain; charset=utf-8", text,
	    strlen(text));
}

/*
 * Answer with j (consumed) as JSON, indented as nats-server's
 * MarshalIndent, or compact when asked; with the query's callback=NAME,
 * as JSONP: NAME(json).
 */
void
monitor_reply_json(struct evhttp_request *req, const char *query,
    json_t *j, int code, int compact)
{
	char	*text, *cb, *out;
	size_t	 flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10);
	int	 len;

	flags |= compact ? JSON_COMPACT : JSON_INDENT(2);
	if ((text = json_dumps(j, flags)) == NULL)
		fatalx("json_dumps failed");
	json_decref(j);
	if ((cb = monitor_fmt_query(query, "callback")) != NULL &&
	    *cb != '\0') {
		len = xasprintf(&out, "%s(%s)", cb, text);
		monitor_reply(req, code, "application/javascript", out, len);
		free(out);
	} else
		monitor_reply(req, code, "application/json", text,
		    strlen(text));
	free(cb);
	free(text);
}

/*
 * Answer 400 for a query value Go could not parse, in nats-server's
 * words: "Error decoding <type> for '<key>': <func>: parsing "<s>":
 * <why>". e is -2 for out of range, anything else for bad syntax.
 */
static void
monitor_arg_bad(struct evhttp_request *req, const char *type,
    const char *key, const char *func, const char *s, int e)
{
	char	*q, *msg;

	q = monitor_fmt_quote(s);
	xasprintf(&msg, "Error decoding %s for '%s': %s: parsing %s: %s",
	    type, key, func, q, e == -2 ? "value out of range" :
	    "invalid syntax");
	monitor_reply_text(req, 400, msg);
	free(msg);
	free(q);
}

/*
 * Decode query parameter key as a boolean (absent or empty: 0). On a
 * bad value answers 400 with nats-server's text and returns -1.
 */
int
monitor_arg_bool(struct evhttp_request *req, const char *query,
    const char *key, int *v)
{
	char	*s;
	int	 rv = 0;

	*v = 0;
	if ((s = monitor_fmt_query(query, key)) == NULL || *s == '\0') {
		free(s);
		return (0);
	}
	if (monitor_fmt_bool(s, v) == -1) {
		monitor_arg_bad(req, "boolean", key, "strconv.ParseBool", s,
		    -1);
		rv = -1;
	}
	free(s);
	return (rv);
}

/* The same for a signed integer (Go's Atoi); absent or empty: 0. */
int
monitor_arg_int(struct evhttp_request *req, const char *query,
    const char *key, int64_t *v)
{
	char	*s;
	int	 rv = 0, e;

	*v = 0;
	if ((s = monitor_fmt_query(query, key)) == NULL || *s == '\0') {
		free(s);
		return (0);
	}
	if ((e = monitor_fmt_int(s, v)) != 0) {
		monitor_arg_bad(req, "int", key, "strconv.Atoi", s, e);
		rv = -1;
	}
	free(s);
	return (rv);
}

/* The same for an unsigned integer (Go's ParseUint); absent: 0. */
int
monitor_arg_uint(struct evhttp_request *req, const char *query,
    const char *key, uint64_t *v)
{
	char	*s;
	int	 rv = 0, e;

	*v = 0;
	if ((s = monitor_fmt_query(query, key)) == NULL || *s == '\0') {
		free(s);
		return (0);
	}
	if ((e = monitor_fmt_uint(s, v)) != 0) {
		monitor_arg_bad(req, "uint64", key, "strconv.ParseUint", s, e);
		rv = -1;
	}
	free(s);
	return (rv);
}

/* A time in nats-server's JSON form. */
json_t *
monitor_json_time(int64_t ns)
{
	char	buf[64];

	monitor_fmt_time(buf, sizeof(buf), ns);
	return (json_string(buf));
}

/* http_base_path as nats-server normalises it: "/" or "/a/b". */
static char *
monitor_base_path(const char *p)
{
	char	*b, *o;
	size_t	 len;

	if (p == NULL || *p == '\0')
		return (xstrdup("/"));
	o = b = xmalloc(strlen(p) + 2);
	if (*p != '/')
		*o++ = '/';
	for (; *p != '\0'; p++) {
		if (*p == '/' && o > b && o[-1] == '/')
			continue;
		*o++ = *p;
	}
	*o = '\0';
	len = strlen(b);
	if (len > 1 && b[len - 1] == '/')
		b[len - 1] = '\0';
	return (b);
}

/*
 * Every request: find the endpoint by its exact path below
 * http_base_path (nats-server's mux does no prefix matching except for
 * the index, which answers only its own path), count it, serve it.
 * Unknown paths are 404 with Go's text.
 */
static void
monitor_request_cb(struct evhttp_request *req, void *arg)
{
	struct natsd			*n = arg;
	const struct evhttp_uri		*uri;
	const char			*query = NULL, *rest;
	char				*path = NULL, *base;
	size_t				 i, blen;

	if ((uri = evhttp_request_get_evhttp_uri(req)) != NULL) {
		query = evhttp_uri_get_query(uri);
		if (evhttp_uri_get_path(uri) != NULL)
			path = evhttp_uridecode(evhttp_uri_get_path(uri), 0,
			    NULL);
	}
	base = monitor_base_path(n->conf->http_base_path);
	blen = strcmp(base, "/") == 0 ? 0 : strlen(base);
	rest = NULL;
	if (path != NULL && strncmp(path, base, blen) == 0)
		rest = path + blen;
	for (i = 0; rest != NULL && i < MONITOR_NROUTES; i++) {
		/* The index is the base path itself. */
		if (i == 0 ? (strcmp(rest, blen ? "" : "/") == 0) :
		    strcmp(rest, monitor_routes[i].path) == 0) {
			monitor_reqs[i]++;
			monitor_routes[i].fn(n, req, query);
			break;
		}
	}
	if (rest == NULL || i == MONITOR_NROUTES)
		monitor_reply_text(req, 404, "404 page not found\n");
	free(base);
	free(path);
}

/* The index page: links to the endpoints, like nats-server's. */
static void
monitor_index(struct natsd *n, struct evhttp_request *req, const char *query)
{
	static const char	*links[][2] = {
		{ "varz", "General" }, { "jsz", "JetStream" },
		{ "connz", "Connections" }, { "accountz", "Accounts" },
		{ "subsz", "Subscriptions" }, { "routez", "Routes" },
		{ "leafz", "LeafNodes" }, { "gatewayz", "Gateways" },
		{ "healthz", "Health Probe" },
	};
	struct evbuffer		*b;
	char			*base;
	size_t			 i;

	base = monitor_base_path(n->conf->http_base_path);
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new failed");
	evbuffer_add_printf(b, "<html lang=\"en\">\n<head>\n<title>natsd"
	    "</title>\n</head>\n<body>\n<h1>natsd %s</h1>\n<p>NATS server, "
	    "nats-server %s compatible</p>\n", PACKAGE_VERSION,
	    NATSD_COMPAT_VERSION);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		evbuffer_add_printf(b, "<a href=%s/%s>%s</a><br/>\n",
		    strcmp(base, "/") == 0 ? "" : base, links[i][0],
		    links[i][1]);
	evbuffer_add_printf(b, "<a href=https://docs.nats.io/"
	    "running-a-nats-service/nats_admin/monitoring>Help</a>\n"
	    "</body>\n</html>\n");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/html; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	free(base);
}

/* utime + stime of pid, in clock ticks, from /proc; 0 when gone. */
static uint64_t
monitor_proc_ticks(pid_t pid)
{
	char			 path[64], buf[1024], *p;
	unsigned long long	 ut, st;
	ssize_t			 len;
	FILE			*f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (0);
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (len <= 0)
		return (0);
	buf[len] = '\0';
	/* pid (comm) state ...: comm may hold anything, even ')'. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &ut, &st) != 2)
		return (0);
	return (ut + st);
}

/*
 * Memory of pid in bytes: its proportional share (Pss), so that the
 * shared arena, mapped by every process, is counted once in the sum;
 * the resident size where smaps_rollup is missing.
 */
static int64_t
monitor_proc_mem(pid_t pid)
{
	char		path[64], line[256];
	long long	kb, pages, rss;
	FILE		*f;

	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", (long)pid);
	if ((f = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "Pss: %lld kB", &kb) == 1) {
				fclose(f);
				return (kb * 1024);
			}
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (0);
	if (fscanf(f, "%lld %lld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return (rss * sysconf(_SC_PAGESIZE));
}

/*
 * Once a second: the CPU the supervisor and its workers used since the
 * last sample, in percent of one core (nats-server's "cpu" is sampled
 * the same way; more than 100 means more than one core).
 */
static void
monitor_cpu_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct natsd	*n = arg;
	int64_t		 now = monitor_now(CLOCK_MONOTONIC);
	uint64_t	 ticks, used = 0;
	long		 hz = sysconf(_SC_CLK_TCK);
	pid_t		 pid;
	int		 i;

	for (i = 0; i <= n->nworkers; i++) {
		pid = i == 0 ? getpid() : n->workers != NULL ?
		    n->workers[i - 1].pid : 0;
		ticks = pid != 0 ? monitor_proc_ticks(pid) : 0;
		if (pid != 0 && pid == monitor_cpu_last[i].pid &&
		    ticks >= monitor_cpu_last[i].ticks)
			used += ticks - monitor_cpu_last[i].ticks;
		else if (pid != 0)
			used += ticks;		/* a new process */
		monitor_cpu_last[i].pid = pid;
		monitor_cpu_last[i].ticks = ticks;
	}
	if (now > monitor_cpu_when && hz > 0)
		monitor_cpu = (double)(int64_t)((double)used * 1000 / hz /
		    ((double)(now - monitor_cpu_when) / 1e9)) / 10.0;
	monitor_cpu_when = now;
}

/* Cores the process may run on, as Go's runtime.NumCPU counts them. */
static int
monitor_cores(void)
{
	cpu_set_t	set;
	long		n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return (CPU_COUNT(&set));
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return (n > 0 ? (int)n : 1);
}

/* Subscriptions in every account's trie (acc -1), or in one. */
uint64_t
monitor_subscriptions(struct natsd *n, int acc)
{
	uint64_t	total = 0;
	int		i, na = sublist_naccounts(n->shm);

	for (i = 0; i < na; i++)
		if (acc < 0 || acc == i)
			total += sublist_count(n->shm, i);
	return (total);
}

static json_t *
monitor_req_stats(void)
{
	json_t	*j = json_object();
	size_t	 i;

	for (i = 0; i < MONITOR_NROUTES; i++) {
		const char	*key = monitor_routes[i].stat;
		json_t		*v = json_object_get(j, key);
		uint64_t	 prev = v != NULL ?
				    (uint64_t)json_integer_value(v) : 0;

		if (monitor_reqs[i] + prev > 0)
			json_object_set_new(j, key,
			    json_integer(monitor_reqs[i] + prev));
	}
	return (j);
}

#define SET(j, k, v)	json_object_set_new((j), (k), (v))

/* /varz: the server, its configuration and its counters, all workers. */
static void
monitor_varz(struct natsd *n, struct evhttp_request *req, const char *query)
{
	const struct config	*cf = n->conf;
	struct stats		*st = n->stats;
	struct stats_worker	*w;
	json_t			*j, *tags;
	int64_t			 now = monitor_now(CLOCK_REALTIME), mem;
	uint64_t		 sum[8];
	char			 up[64], go[64];
	size_t			 i;
	int			 k;

	memset(sum, 0, sizeof(sum));
	for (k = 0; k < n->nworkers; k++) {
		w = &st->worker[k];
		sum[0] += stats_load(w->conns);
		sum[1] += stats_load(w->total_conns);
		sum[2] += stats_load(w->in_msgs);
		sum[3] += stats_load(w->out_msgs);
		sum[4] += stats_load(w->in_bytes);
		sum[5] += stats_load(w->out_bytes);
		sum[6] += stats_load(w->slow_consumers);
	}
	mem = monitor_proc_mem(getpid());
	for (k = 0; k < n->nworkers; k++)
		if (n->workers != NULL && n->workers[k].pid != 0)
			mem += monitor_proc_mem(n->workers[k].pid);
	monitor_fmt_uptime(up, sizeof(up), now - monitor_start_ns);
	snprintf(go, sizeof(go), "natsd %s", PACKAGE_VERSION);

	j = json_object();
	SET(j, "server_id", json_string(st->server_id));
	SET(j, "server_name", monitor_fmt_json_str(cf->server_name != NULL ?
	    cf->server_name : st->server_id));
	SET(j, "version", json_string(NATSD_COMPAT_VERSION));
	SET(j, "proto", json_integer(1));
	SET(j, "go", json_string(go));
	SET(j, "host", monitor_fmt_json_str(cf->host));
	SET(j, "port", json_integer(st->client_port));
	if (config_auth_required(cf))
		SET(j, "auth_required", json_true());
	SET(j, "max_connections", json_integer(cf->max_connections));
	if (cf->max_subscriptions > 0)
		SET(j, "max_subscriptions",
		    json_integer(cf->max_subscriptions));
	SET(j, "ping_interval", json_integer(cf->ping_interval * 1000000));
	SET(j, "ping_max", json_integer(cf->ping_max));
	SET(j, "http_host", monitor_fmt_json_str(cf->http_host));
	SET(j, "http_port", json_integer(st->http_port));
	SET(j, "http_base_path", monitor_fmt_json_str(cf->http_base_path));
	SET(j, "https_port", json_integer(cf->https_port));
	SET(j, "auth_timeout", json_real(cf->auth_timeout / 1000.0));
	SET(j, "max_control_line", json_integer(cf->max_control_line));
	SET(j, "max_payload", json_integer(cf->max_payload));
	SET(j, "max_pending", json_integer(cf->max_pending));
	/* Clustering, MQTT, websockets, JetStream: not served yet. */
	SET(j, "cluster", json_object());
	SET(j, "gateway", json_object());
	SET(j, "leaf", json_object());
	SET(j, "mqtt", json_object());
	SET(j, "websocket", json_object());
	SET(j, "jetstream", json_object());
	SET(j, "tls_timeout", json_real((cf->tls != NULL ? cf->tls->timeout :
	    CONFIG_DEFAULT_TLS_TIMEOUT) / 1000.0));
	SET(j, "write_deadline", json_integer(cf->write_deadline * 1000000));
	SET(j, "start", monitor_json_time(monitor_start_ns));
	SET(j, "now", monitor_json_time(now));
	SET(j, "uptime", json_string(up));
	SET(j, "mem", json_integer(mem));
	SET(j, "cores", json_integer(monitor_cores()));
	SET(j, "gomaxprocs", json_integer(n->nworkers));
	SET(j, "cpu", json_real(monitor_cpu));
	SET(j, "connections", json_integer(sum[0]));
	SET(j, "total_connections", json_integer(sum[1]));
	SET(j, "routes", json_integer(0));
	SET(j, "remotes", json_integer(0));
	SET(j, "leafnodes", json_integer(0));
	SET(j, "in_msgs", json_integer(sum[2]));
	SET(j, "out_msgs", json_integer(sum[3]));
	SET(j, "in_bytes", json_integer(sum[4]));
	SET(j, "out_bytes", json_integer(sum[5]));
	SET(j, "slow_consumers", json_integer(sum[6]));
	SET(j, "subscriptions", json_integer(monitor_subscriptions(n, -1)));
	SET(j, "http_req_stats", monitor_req_stats());
	SET(j, "config_load_time", monitor_json_time(monitor_config_ns));
	if (cf->server_tags.n > 0) {
		tags = json_array();
		for (i = 0; i < cf->server_tags.n; i++)
			json_array_append_new(tags,
			    monitor_fmt_json_str(cf->server_tags.v[i]));
		SET(j, "tags", tags);
	}
	monitor_reply_json(req, query, j, 200, 0);
}

/* An object with server_id and now: the head of most answers. */
json_t *
monitor_json_head(struct natsd *n)
{
	json_t	*j = json_object();

	SET(j, "server_id", json_string(n->stats->server_id));
	SET(j, "now", monitor_json_time(monitor_now(CLOCK_REALTIME)));
	return (j);
}

/* /routez: natsd has no routes yet; nats-server's answer without any. */
static void
monitor_routez(struct natsd *n, struct evhttp_request *req, const char *query)
{
	json_t	*j;
	int	 subs;

	if (monitor_arg_bool(req, query, "subs", &subs) == -1)
		return;
	j = monitor_json_head(n);
	SET(j, "num_routes", json_integer(0));
	SET(j, "routes", json_array());
	monitor_reply_json(req, query, j, 200, 0);
}

/* /gatewayz: as nats-server answers when no gateway is configured. */
static void
monitor_gatewayz(struct natsd *n, struct evhttp_request *req,
    const char *query)
{
	json_t	*j;
	int	 accs;

	if (monitor_arg_bool(req, query, "accs", &accs) == -1)
		return;
	j = monitor_json_head(n);
	SET(j, "outbound_gateways", json_object());
	SET(j, "inbound_gateways", json_object());
	monitor_reply_json(req, query, j, 200, 0);
}

/* /leafz: no leaf nodes; nats-server then says "leafs": null. */
static void
monitor_leafz(struct natsd *n, struct evhttp_request *req, const char *query)
{
	json_t	*j;
	int	 subs;

	if (monitor_arg_bool(req, query, "subs", &subs) == -1)
		return;
	j = monitor_json_head(n);
	SET(j, "leafnodes", json_integer(0));
	SET(j, "leafs", json_null());
	monitor_reply_json(req, query, j, 200, 0);
}

/*
 * Accounts natsd knows: those with a subscription trie, then those the
 * configuration names. Calls cb for each name once; stops when it
 * returns nonzero, and returns that.
 */
int
monitor_accounts(struct natsd *n, int (*cb)(const char *, int, void *),
    void *arg)
{
	const char	*name;
	size_t		 i;
	int		 k, na = sublist_naccounts(n->shm), rv;

	for (k = 0; k < na; k++)
		if ((name = sublist_account_name(n->shm, k)) != NULL &&
		    (rv = cb(name, k, arg)) != 0)
			return (rv);
	for (i = 0; i < n->conf->naccounts; i++) {
		name = n->conf->accounts[i].name;
		if (monitor_account_index(n, name) >= 0)
			continue;
		if ((rv = cb(name, -1, arg)) != 0)
			return (rv);
	}
	return (0);
}

/*
 * The trie index of account name, or -1 when it has none. Looks only:
 * sublist_account() would create it, and names come from HTTP clients.
 */
int
monitor_account_index(struct natsd *n, const char *name)
{
	const char	*s;
	int		 k, na = sublist_naccounts(n->shm);

	for (k = 0; k < na; k++)
		if ((s = sublist_account_name(n->shm, k)) != NULL &&
		    strcmp(s, name) == 0)
			return (k);
	return (-1);
}

/* Does natsd know account name (a trie, or the configuration)? */
int
monitor_account_known(struct natsd *n, const char *name)
{
	size_t	i;

	if (monitor_account_index(n, name) >= 0)
		return (1);
	for (i = 0; i < n->conf->naccounts; i++)
		if (strcmp(n->conf->accounts[i].name, name) == 0)
			return (1);
	return (0);
}

static int
monitor_accountz_add(const char *name, int idx, void *arg)
{
	json_array_append_new(arg, monitor_fmt_json_str(name));
	return (0);
}

/* /accountz: the account names; ?acc=NAME asks for its details. */
static void
monitor_accountz(struct natsd *n, struct evhttp_request *req,
    const char *query)
{
	json_t	*j, *a;
	char	*acc;

	acc = monitor_fmt_query(query, "acc");
	if (acc != NULL && *acc != '\0') {
		monitor_conn_accountz(n, req, query, acc);
		free(acc);
		return;
	}
	free(acc);
	j = monitor_json_head(n);
	a = json_array();
	monitor_accounts(n, monitor_accountz_add, a);
	SET(j, "accounts", a);
	monitor_reply_json(req, query, j, 200, 0);
}

/* /jsz: JetStream is not served yet: nats-server's "disabled" answer. */
static void
monitor_jsz(struct natsd *n, struct evhttp_request *req, const char *query)
{
	static const char	*bools[] = { "accounts", "streams",
				    "consumers", "config", "leader-only" };
	json_t			*j, *o;
	int64_t			 iv;
	size_t			 i;
	int			 v;

	for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		if (monitor_arg_bool(req, query, bools[i], &v) == -1)
			return;
		if (i == 4 && v) {
			/* nats-server: not the leader, skipped. */
			monitor_reply_text(req, 400, "not leader");
			return;
		}
	}
	if (monitor_arg_int(req, query, "offset", &iv) == -1 ||
	    monitor_arg_int(req, query, "limit", &iv) == -1)
		return;
	j = monitor_json_head(n);
	SET(j, "disabled", json_true());
	o = json_object();
	SET(o, "max_memory", json_integer(0));
	SET(o, "max_storage", json_integer(0));
	SET(j, "config", o);
	SET(j, "memory", json_integer(0));
	SET(j, "storage", json_integer(0));
	SET(j, "reserved_memory", json_integer(0));
	SET(j, "reserved_storage", json_integer(0));
	SET(j, "accounts", json_integer(0));
	SET(j, "ha_assets", json_integer(0));
	o = json_object();
	SET(o, "total", json_integer(0));
	SET(o, "errors", json_integer(0));
	SET(j, "api", o);
	SET(j, "streams", json_integer(0));
	SET(j, "consumers", json_integer(0));
	SET(j, "messages", json_integer(0));
	SET(j, "bytes", json_integer(0));
	monitor_reply_json(req, query, j, 200, 0);
}

/*
 * /healthz: ok while the server serves. With JetStream asked for in the
 * configuration but not running (natsd does not run it yet), nats-server
 * answers 503 "unavailable", whatever the options; so do we.
 */
static void
monitor_healthz(struct natsd *n, struct evhttp_request *req,
    const char *query)
{
	json_t	*j;
	int	 v;

	if (monitor_arg_bool(req, query, "js-enabled", &v) == -1 ||
	    monitor_arg_bool(req, query, "js-enabled-only", &v) == -1 ||
	    monitor_arg_bool(req, query, "js-server-only", &v) == -1)
		return;
	j = json_object();
	if (n->conf->jetstream.enabled) {
		SET(j, "status", json_string("unavailable"));
		SET(j, "error", json_string("JetStream not enabled (10076)"));
		monitor_reply_json(req, query, j, 503, 1);
		return;
	}
	SET(j, "status", json_string("ok"));
	monitor_reply_json(req, query, j, 200, 1);
}
