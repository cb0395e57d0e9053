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
struct ctl_msg;
struct ctl_peer;
struct event;
struct event_base;
struct evhttp_request;
struct json_t;
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
void	natsd_warn_unenforced(const struct config *);
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

/* monitor.c */
int	monitor_start(struct natsd *, char **);
void	monitor_child_cleanup(struct natsd *);
void	monitor_config_loaded(void);
int64_t	monitor_started(void);
int64_t	monitor_config_time(void);
int64_t	monitor_now(int);
void	monitor_reply(struct evhttp_request *, int, const char *,
	    const void *, size_t);
void	monitor_reply_text(struct evhttp_request *, int, const char *);
void	monitor_reply_json(struct evhttp_request *, const char *,
	    struct json_t *, int, int);
int	monitor_arg_bool(struct evhttp_request *, const char *,
	    const char *, int *);
int	monitor_arg_int(struct evhttp_request *, const char *,
	    const char *, int64_t *);
int	monitor_arg_uint(struct evhttp_request *, const char *,
	    const char *, uint64_t *);
struct json_t *monitor_json_time(int64_t);
struct json_t *monitor_json_head(struct natsd *);
uint64_t monitor_subscriptions(struct natsd *, int);
int	monitor_accounts(struct natsd *, int (*)(const char *, int, void *),
	    void *);
int	monitor_account_index(struct natsd *, const char *);
int	monitor_account_known(struct natsd *, const char *);

/* monitor_conn.c */
int	monitor_conn_dispatch(struct natsd *, struct child *,
	    struct ctl_msg *);
void	monitor_conn_worker_died(struct natsd *, int);
void	monitor_conn_connz(struct natsd *, struct evhttp_request *,
	    const char *);
void	monitor_conn_subsz(struct natsd *, struct evhttp_request *,
	    const char *);
void	monitor_conn_accountz(struct natsd *, struct evhttp_request *,
	    const char *, const char *);

/* monitor_fmt.c */
void	monitor_fmt_time(char *, size_t, int64_t);
void	monitor_fmt_duration(char *, size_t, int64_t);
void	monitor_fmt_rtt(char *, size_t, int64_t);
void	monitor_fmt_uptime(char *, size_t, int64_t);
char	*monitor_fmt_query(const char *, const char *);
char	*monitor_fmt_quote(const char *);
int	monitor_fmt_bool(const char *, int *);
int	monitor_fmt_int(const char *, int64_t *);
int	monitor_fmt_uint(const char *, uint64_t *);
struct json_t *monitor_fmt_json_str(const char *);

#endif /* NATSD_SUPERVISOR_H */
