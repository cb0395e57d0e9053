/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/child.c: forking the workers, reaping and restarting them
 * with back-off, and the supervisor's side of their control channels.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "log.h"
#include "conf.h"
#include "proc.h"
#include "stats.h"
#include "supervisor.h"
#include "xmalloc.h"

#define CHILD_QUICK_DEATH	5	/* seconds: died "soon" after start */
#define CHILD_BACKOFF_MAX	30	/* seconds */

static void	child_dispatch(struct ctl_peer *, struct ctl_msg *, void *);
static void	child_eof(struct ctl_peer *, void *);
static void	child_restart_cb(evutil_socket_t, short, void *);
static void	child_died(struct natsd *, struct child *, int);
__attribute__((__noreturn__))
static void	child_run(struct natsd *, struct child *, int);

/* Create the worker table and fork every worker. */
void
child_spawn_all(struct natsd *n)
{
	int	i;

	n->workers = xcalloc(n->nworkers, sizeof(*n->workers));
	for (i = 0; i < n->nworkers; i++) {
		n->workers[i].kind = CHILD_WORKER;
		n->workers[i].index = i;
		n->workers[i].ev_restart = evtimer_new(n->base,
		    child_restart_cb, &n->workers[i]);
		if (child_spawn(n, &n->workers[i]) == -1)
			fatal("cannot start worker %d", i);
	}
}

/*
 * In the new child: drop everything of the supervisor's that must not
 * outlive the fork (signal dispositions, listeners, the other children's
 * channels) and enter the worker. Never returns.
 */
static void
child_run(struct natsd *n, struct child *c, int fd)
{
	static const int	 sigs[] = {
		SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGINT, SIGTERM
	};
	struct proc_env		 env;
	struct listener		*l;
	size_t			 i;
	int			 j;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	/* Die with the supervisor; it may already be gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() == 1)
		_exit(1);
	TAILQ_FOREACH(l, &n->listeners, entry)
		close(l->fd);
	for (j = 0; j < n->nworkers; j++)
		if (n->workers[j].peer != NULL)
			close(ctl_peer_fd(n->workers[j].peer));
	monitor_child_cleanup(n);
	memset(&env, 0, sizeof(env));
	env.id = c->index;
	env.nworkers = n->nworkers;
	env.ctl_fd = fd;
	env.conf = n->conf;
	env.opts = &n->opts;
	env.arena = n->shm;
	env.stats = n->stats;
	env.wake_fds = n->wake_fds;
	worker_main(&env);
}

/*
 * Fork child c with a fresh control socketpair. Returns 0, or -1 when
 * fork or socketpair failed (logged).
 */
int
child_spawn(struct natsd *n, struct child *c)
{
	struct ctl_hello	 h;
	int			 sv[2];
	pid_t			 pid;

	if (ctl_socketpair(sv) == -1) {
		log_warn("worker %d: socketpair", c->index);
		return (-1);
	}
	switch (pid = fork()) {
	case -1:
		log_warn("worker %d: fork", c->index);
		close(sv[0]);
		close(sv[1]);
		return (-1);
	case 0:
		close(sv[0]);
		child_run(n, c, sv[1]);
	}
	close(sv[1]);
	c->pid = pid;
	c->started = time(NULL);
	c->peer = ctl_peer_new(n->base, sv[0], child_dispatch, child_eof, c);
	stats_store(n->stats->worker[c->index].pid, pid);
	memset(&h, 0, sizeof(h));
	h.version = CTL_VERSION;
	h.worker = c->index;
	h.pid = getpid();
	ctl_send(c->peer, CTL_HELLO, 0, -1, &h, sizeof(h));
	log_debug("worker %d started, pid %ld", c->index, (long)pid);
	return (0);
}

static void
child_restart_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct child	*c = arg;
	struct timeval	 tv = { 1, 0 };

	if (natsd->stopping || c->pid != 0)
		return;
	/* Before the fork: the new worker's handles carry this count. */
	stats_add(natsd->stats->worker[c->index].restarts, 1);
	if (child_spawn(natsd, c) == -1)
		evtimer_add(c->ev_restart, &tv);
}

/*
 * Child c exited with wait status st: clean what it owned and, unless
 * we are stopping, start it again. A child that keeps dying soon after
 * starting is restarted with exponential back-off, and only logged at
 * each step of it.
 */
static void
child_died(struct natsd *n, struct child *c, int st)
{
	struct ctl_worker	 w;
	struct timeval		 tv = { 0, 0 };
	time_t			 now = time(NULL);
	int			 delay;

	if (WIFSIGNALED(st))
		log_warnx("worker %d (pid %ld) killed by signal %d%s",
		    c->index, (long)c->pid, WTERMSIG(st),
		    WCOREDUMP(st) ? ", core dumped" : "");
	else if (WEXITSTATUS(st) != 0 || !n->stopping)
		log_warnx("worker %d (pid %ld) exited with status %d",
		    c->index, (long)c->pid, WEXITSTATUS(st));
	c->pid = 0;
	if (c->peer != NULL) {
		ctl_peer_free(c->peer);
		c->peer = NULL;
	}
	shm_worker_died(n, c->index);
	monitor_conn_worker_died(n, c->index);
	if (c->reload_pending)
		reload_ack(n, c, -1);
	if (n->stopping) {
		if (!child_running(n))
			natsd_shutdown();
		return;
	}
	memset(&w, 0, sizeof(w));
	w.worker = c->index;
	child_broadcast(n, CTL_WORKER_DIED, &w, sizeof(w));

	if (now - c->started < CHILD_QUICK_DEATH)
		c->quick_deaths++;
	else
		c->quick_deaths = 0;
	if (c->quick_deaths > 0) {
		delay = c->quick_deaths > 5 ? CHILD_BACKOFF_MAX :
		    1 << (c->quick_deaths - 1);
		if (delay > CHILD_BACKOFF_MAX)
			delay = CHILD_BACKOFF_MAX;
		tv.tv_sec = delay;
		log_warnx("worker %d is crashing repeatedly, restarting in "
		    "%ds", c->index, delay);
	}
	evtimer_add(c->ev_restart, &tv);
}

/* SIGCHLD: reap every child that has exited. */
void
child_reap(struct natsd *n)
{
	pid_t	pid;
	int	st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < n->nworkers; i++) {
			if (n->workers[i].pid == pid) {
				child_died(n, &n->workers[i], st);
				break;
			}
		}
	}
}

/* Is any child still running? */
int
child_running(struct natsd *n)
{
	int	i;

	for (i = 0; i < n->nworkers; i++)
		if (n->workers[i].pid != 0)
			return (1);
	return (0);
}

/* Send a message to every running child. */
void
child_broadcast(struct natsd *n, uint32_t type, const void *data,
    size_t len)
{
	int	i;

	for (i = 0; i < n->nworkers; i++)
		if (n->workers[i].peer != NULL)
			ctl_send(n->workers[i].peer, type, 0, -1, data, len);
}

/* Kill every child at once (stop timed out, or a second signal). */
void
child_stop_all(struct natsd *n)
{
	int	i;

	for (i = 0; i < n->nworkers; i++)
		if (n->workers[i].pid != 0)
			kill(n->workers[i].pid, SIGKILL);
}

static void
child_dispatch(struct ctl_peer *p, struct ctl_msg *m, void *arg)
{
	struct child		*c = arg;
	struct ctl_hello	 h;
	struct ctl_reload_ack	 ack;

	if (m->fd >= 0) {
		log_warnx("worker %d: descriptor with %s, closed", c->index,
		    ctl_type_name(m->hdr.type));
		close(m->fd);
	}
	switch (m->hdr.type) {
	case CTL_HELLO:
		if (ctl_get(m, &h, sizeof(h)) == -1 ||
		    h.version != CTL_VERSION)
			goto bad;
		break;
	case CTL_RELOAD_ACK:
		if (ctl_get(m, &ack, sizeof(ack)) == -1)
			goto bad;
		if (m->hdr.id == natsd->reload_id && c->reload_pending)
			reload_ack(natsd, c, ack.status);
		break;
	case CTL_MON_DATA:
	case CTL_MON_END:
	case CTL_CONN_CLOSED:
		if (monitor_conn_dispatch(natsd, c, m) == -1)
			goto bad;
		break;
	default:
		goto bad;
	}
	return;
bad:
	/* A child that speaks garbage is killed and started again. */
	log_warnx("worker %d: bad %s message (%u bytes), killing it",
	    c->index, ctl_type_name(m->hdr.type), m->hdr.len);
	if (c->pid != 0)
		kill(c->pid, SIGKILL);
}

static void
child_eof(struct ctl_peer *p, void *arg)
{
	struct child	*c = arg;

	/* The reap (SIGCHLD) frees the peer and restarts the child. */
	log_debug("worker %d: control channel closed", c->index);
}
