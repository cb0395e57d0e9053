/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/worker.c: the worker's entry point, its event loop and its
 * side of the control channel with the supervisor.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "ctl.h"
#include "log.h"
#include "conf.h"
#include "options.h"
#include "proc.h"
#include "stats.h"
#include "sublist.h"
#include "worker.h"
#include "xmalloc.h"

#define WORKER_PRIORITIES	3	/* I/O 1 (default), flush 2 */

struct worker	*worker;

static volatile sig_atomic_t	 worker_term;
static int			 worker_wake_fd = -1;

static void	worker_dispatch(struct ctl_peer *, struct ctl_msg *, void *);
static void	worker_eof(struct ctl_peer *, void *);
static void	worker_tick_cb(evutil_socket_t, short, void *);
static void	worker_flush_cb(evutil_socket_t, short, void *);
static void	worker_reload(struct worker *, struct ctl_msg *);
static void	worker_stop(struct worker *);
static void	worker_lameduck(struct worker *);
static void	worker_lameduck_cb(evutil_socket_t, short, void *);
static void	worker_term_handler(int);

/*
 * s as a JSON string, quotes included, so that a server name with a '"'
 * cannot break INFO. Returns a new string.
 */
static char *
worker_json_string(const char *s)
{
	json_t	*j;
	char	*out;

	if ((j = json_string(s)) == NULL)
		return (xstrdup("\"\""));
	out = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	if (out == NULL)
		fatalx("json_dumps failed");
	return (out);
}

/*
 * Build what every client of this worker gets from the configuration:
 * the leading part of INFO (up to, not including, client_id).
 */
void
worker_apply_config(struct worker *w, const struct config *cf)
{
	const char	*id = w->env->stats->server_id;
	char		*name, *host;

	w->conf = cf;
	free(w->info);
	name = worker_json_string(cf->server_name != NULL ? cf->server_name :
	    id);
	host = worker_json_string(cf->host);
	w->infolen = xasprintf(&w->info,
	    "INFO {\"server_id\":\"%s\",\"server_name\":%s,"
	    "\"version\":\"%s\",\"proto\":1,\"go\":\"natsd %s\","
	    "\"host\":%s,\"port\":%d,\"headers\":true,"
	    "%s\"max_payload\":%lld",
	    id, name, NATSD_COMPAT_VERSION, PACKAGE_VERSION, host,
	    w->env->stats->client_port,
	    config_auth_required(cf) ? "\"auth_required\":true," : "",
	    (long long)cf->max_payload);
	free(name);
	free(host);
	log_setlevel(cf->debug, cf->trace);
	client_apply_config(w);
}

/* Milliseconds on the monotonic clock. */
uint64_t
worker_msec(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Flush every dirty client once the current loop turn's reads are done. */
void
worker_schedule_flush(struct worker *w)
{
	if (!event_pending(w->ev_flush, EV_TIMEOUT, NULL))
		event_active(w->ev_flush, EV_TIMEOUT, 0);
}

static void
worker_flush_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	msg_drain(w);
	client_flush_all(w);
	if (msg_turn_end(w))
		worker_schedule_flush(w);
	if (w->stopping && w->nclients == 0) {
		log_debug("stopped");
		exit(0);
	}
}

/*
 * A stall or a hold of the rings has lasted long enough: let everything
 * flow again; a consumer still behind will be cut off by max_pending.
 */
static void
worker_stall_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	client_unstall_all(w, 1);
	worker_schedule_flush(w);
}

static void
worker_tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;

	uint32_t	 epoch;

	w->now = time(NULL);
	epoch = sublist_epoch(w->env->arena, SUBLIST_GLOBAL);
	if (epoch != w->epoch) {
		/* A writer died holding the lock: the trie was reset. */
		w->epoch = epoch;
		sub_reinsert_account(w, SUBLIST_GLOBAL, epoch);
	}
	client_tick(w);
	if (w->stopping && w->nclients == 0)
		exit(0);
}

/*
 * CTL_RELOAD: parse the text the supervisor validated. Keys that cannot
 * change at runtime keep their running values. Acknowledges either way.
 */
static void
worker_reload(struct worker *w, struct ctl_msg *m)
{
	struct ctl_reload_ack	 ack;
	struct config		*cf;
	char			*cause = NULL;

	memset(&ack, 0, sizeof(ack));
	cf = config_parse((const char *)m->data, m->hdr.len,
	    w->conf->path != NULL ? w->conf->path : "reload", &cause);
	if (cf == NULL) {
		log_warnx("reload refused: %s", cause);
		free(cause);
		ack.status = -1;
	} else {
		options_apply(w->env->opts, cf);
		config_keep_fixed(w->conf, cf);
		/* The boot configuration is the supervisor's; never freed. */
		if (w->conf != w->env->conf)
			config_free((struct config *)w->conf);
		worker_apply_config(w, cf);
	}
	ctl_send(w->peer, CTL_RELOAD_ACK, m->hdr.id, -1, &ack, sizeof(ack));
}

/*
 * SIGTERM, sent to a worker alone or to natsd's whole process group:
 * stop gracefully. Not a libevent signal event: this process inherited
 * the supervisor's libevent signal state with fork, and a second base
 * with signals would report them through the supervisor's socket. The
 * handler only sets a flag and wakes the loop through our eventfd.
 */
static void
worker_term_handler(int sig)
{
	uint64_t	one = 1;
	int		saved = errno;

	worker_term = 1;
	if (write(worker_wake_fd, &one, sizeof(one)) == -1) {
		/* the loop sees the flag at its next wake-up anyway */
	}
	errno = saved;
}

/* Called when the loop wakes: a SIGTERM arrived. */
void
worker_check_term(struct worker *w)
{
	if (worker_term && !w->stopping)
		worker_stop(w);
}

/*
 * Lame duck, once the grace period is over: close the clients one by
 * one (in batches when there are more than milliseconds to spread them
 * over), spaced so that the last goes by the end of lame_duck_duration,
 * the interval picked at random between half and all of its share, as
 * nats-server does, and never more than a second. Once none is left,
 * the flush callback ends the process.
 */
static void
worker_lameduck_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct worker	*w = arg;
	const struct config *cf = w->conf;
	struct timeval	 tv;
	struct client	*c, *t;
	uint64_t	 spread, ms;
	unsigned int	 n;

	if (w->ld_si == 0) {
		w->stopping = 1;
		spread = cf->lame_duck_duration - cf->lame_duck_grace_period;
		if (spread < 1000)
			spread = 1000;
		n = w->nclients > 0 ? w->nclients : 1;
		w->ld_batch = 1;
		if ((w->ld_si = spread / n) == 0) {
			w->ld_si = 1;
			w->ld_batch = n / spread;
		} else if (w->ld_si > 1000)
			w->ld_si = 1000;
	}
	n = w->ld_batch;
	TAILQ_FOREACH_SAFE(c, &w->clients, entry, t) {
		if (n == 0)
			break;
		if (c->flags & CLIENT_CLOSING)
			continue;
		client_close(c, "Server Shutdown");
		n--;
	}
	worker_schedule_flush(w);
	if (w->nclients > 0) {
		/* xorshift64: the spacing need not be more random. */
		w->rnd ^= w->rnd << 13;
		w->rnd ^= w->rnd >> 7;
		w->rnd ^= w->rnd << 17;
		ms = w->ld_si / 2 + w->rnd % (w->ld_si - w->ld_si / 2 + 1);
		tv.tv_sec = ms / 1000;
		tv.tv_usec = ms % 1000 * 1000;
		evtimer_add(w->ev_lameduck, &tv);
	}
}

/*
 * SIGUSR2 at the supervisor: tell every client to reconnect elsewhere
 * (INFO with ldm), then after lame_duck_grace_period close them over
 * lame_duck_duration.
 */
static void
worker_lameduck(struct worker *w)
{
	const struct config	*cf = w->conf;
	struct timeval		 tv;
	struct client		*c;

	if (w->lameduck)
		return;
	w->lameduck = 1;
	TAILQ_FOREACH(c, &w->clients, entry)
		if (c->kind == CTL_KIND_CLIENT && !(c->flags & CLIENT_CLOSING))
			client_send_info(c, 1);
	tv.tv_sec = cf->lame_duck_grace_period / 1000;
	tv.tv_usec = (cf->lame_duck_grace_period % 1000) * 1000;
	w->ev_lameduck = evtimer_new(w->base, worker_lameduck_cb, w);
	evtimer_add(w->ev_lameduck, &tv);
}

static void
worker_stop(struct worker *w)
{
	w->stopping = 1;
	client_close_all(w, "Server Shutdown");
	worker_schedule_flush(w);
}

static void
worker_dispatch(struct ctl_peer *p, struct ctl_msg *m, void *arg)
{
	struct worker		*w = arg;
	struct ctl_hello	 h;
	struct ctl_conn_new	 cn;

	if (m->fd >= 0 && m->hdr.type != CTL_CONN_NEW) {
		log_warnx("descriptor with %s, closed",
		    ctl_type_name(m->hdr.type));
		close(m->fd);
		m->fd = -1;
	}
	switch (m->hdr.type) {
	case CTL_HELLO:
		if (ctl_get(m, &h, sizeof(h)) == -1 ||
		    h.version != CTL_VERSION)
			fatalx("control protocol version mismatch");
		break;
	case CTL_CONN_NEW:
		if (m->fd == -1 || ctl_get(m, &cn, sizeof(cn)) == -1)
			fatalx("bad CONN_NEW from the supervisor");
		if (m->fd == CTL_FD_LOST) {
			/* The supervisor counted it; it never arrived. */
			log_warnx("a connection was lost: out of file "
			    "descriptors");
			stats_add(w->env->stats->worker[w->id].conns, -1);
			break;
		}
		client_accept(w, m->fd, cn.kind, &cn.peer);
		break;
	case CTL_RELOAD:
		worker_reload(w, m);
		break;
	case CTL_STOP:
		worker_stop(w);
		break;
	case CTL_LAMEDUCK:
		worker_lameduck(w);
		break;
	case CTL_REOPEN_LOG:
		if (log_reopen() == -1)
			log_warn("reopen log file");
		break;
	case CTL_WORKER_DIED:
		break;
	case CTL_MON_REQ:
		report_request(w, m);
		break;
	default:
		fatalx("unexpected %s (%u) from the supervisor",
		    ctl_type_name(m->hdr.type), m->hdr.type);
	}
}

static void
worker_eof(struct ctl_peer *p, void *arg)
{
	/* The supervisor is gone: so are we. */
	_exit(0);
}

void
worker_main(struct proc_env *env)
{
	static struct worker	 w;
	struct ctl_hello	 h;
	struct timeval		 tv = { 1, 0 };
	char			 name[32];

	worker = &w;
	snprintf(name, sizeof(name), "worker %d", env->id);
	log_procinit(name);
	/*
	 * Signals are the supervisor's. A terminal's ^C or a signal to the
	 * whole process group must not kill a worker before the supervisor
	 * has asked it to flush its clients; SIGTERM stops it gracefully.
	 */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	w.id = env->id;
	w.nworkers = env->nworkers;
	w.env = env;
	w.now = time(NULL);
	TAILQ_INIT(&w.clients);
	TAILQ_INIT(&w.dirty);
	TAILQ_INIT(&w.stalled);
	if ((w.base = event_base_new()) == NULL ||
	    event_base_priority_init(w.base, WORKER_PRIORITIES) == -1)
		fatalx("event_base_new failed");
	w.peer = ctl_peer_new(w.base, env->ctl_fd, worker_dispatch,
	    worker_eof, &w);
	w.ev_flush = event_new(w.base, -1, 0, worker_flush_cb, &w);
	event_priority_set(w.ev_flush, WORKER_PRIORITIES - 1);
	w.ev_tick = event_new(w.base, -1, EV_PERSIST, worker_tick_cb, &w);
	w.ev_stall = evtimer_new(w.base, worker_stall_cb, &w);
	worker_wake_fd = env->wake_fds[env->id];
	signal(SIGTERM, worker_term_handler);
	event_add(w.ev_tick, &tv);
	worker_apply_config(&w, env->conf);
	sub_init(&w, (uint16_t)(stats_load(env->stats->worker[env->id].restarts)
	    % 0xffff + 1));
	w.epoch = sublist_epoch(env->arena, SUBLIST_GLOBAL);
	msg_init(&w);
	report_init(&w);

	memset(&h, 0, sizeof(h));
	h.version = CTL_VERSION;
	h.worker = env->id;
	h.pid = getpid();
	ctl_send(w.peer, CTL_HELLO, 0, -1, &h, sizeof(h));
	log_debug("started");
	event_base_dispatch(w.base);
	exit(0);
}
