/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/supervisor.h: the supervisor process: configuration,
 * listeners, children, signals. It never parses client traffic.
 */

#ifndef NATSD_SUPERVISOR_H
#define NATSD_SUPERVISOR_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <time.h>

#include "options.h"
#include "queue.h"

struct config;
struct ctl_peer;
struct event;
struct event_base;
struct stats;

#define CHILD_WORKER	0
#define CHILD_JETSTREAM	1

struct child {
	int			 kind;		/* CHILD_* */
	int			 index;		/* worker id */
	pid_t			 pid;		/* 0: not running */
	struct ctl_peer		*peer;
	struct event		*ev_restart;
	time_t			 started;
	int			 quick_deaths;	/* died soon after start */
	int			 reload_pending;
	uint64_t		 handed;	/* connections handed over */
};

struct listener {
	TAILQ_ENTRY(listener)	 entry;
	int			 fd;
	int			 kind;		/* CTL_KIND_* */
	int			 index;
	struct event		*ev;
	struct sockaddr_storage	 addr;
};
TAILQ_HEAD(listeners, listener);

struct natsd {
	struct event_base	*base;
	struct config		*conf;
	struct options		 opts;
	struct listeners	 listeners;
	struct child		*workers;
	int			 nworkers;
	struct stats		*stats;
	void			*shm;		/* struct arena */
	int			*wake_fds;	/* eventfd per worker */
	char			*pid_file;	/* written by us */
	int			 stopping;
	struct event		*ev_stop_timeout;
	struct event		*ev_accept_retry;
	uint64_t		 reload_id;
	int			 reload_acks;
	time_t			 start;
};

extern struct natsd	*natsd;

/* natsd.c */
void	natsd_shutdown(void);

/* listen.c */
int	listen_open_clients(struct natsd *, char **);
void	listen_close(struct natsd *);
void	listen_pause(struct natsd *, int);
void	listen_handoff(struct natsd *, int, int, int,
	    const struct sockaddr_storage *);

/* child.c */
void	child_spawn_all(struct natsd *);
int	child_spawn(struct natsd *, struct child *);
void	child_reap(struct natsd *);
void	child_broadcast(struct natsd *, uint32_t, const void *, size_t);
void	child_stop_all(struct natsd *);
int	child_running(struct natsd *);

/* shm.c */
int	shm_setup(struct natsd *, const struct config *, char **);
void	shm_worker_died(struct natsd *, int);

/* reload.c */
void	reload_start(struct natsd *);
void	reload_ack(struct natsd *, struct child *, int);

#endif /* NATSD_SUPERVISOR_H */
