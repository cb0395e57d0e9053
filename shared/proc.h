/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/proc.h: what the supervisor hands a child process it forks:
 * the entry points of the worker and JetStream processes and their
 * environment. Children are fork()ed without exec, so the shared memory
 * mapping and the eventfds are inherited.
 */

#ifndef NATSD_PROC_H
#define NATSD_PROC_H

struct arena;
struct config;
struct options;
struct stats;

struct proc_env {
	int			 id;		/* worker index */
	int			 nworkers;
	int			 ctl_fd;	/* our control socket */
	const struct config	*conf;		/* the supervisor's, copied */
	const struct options	*opts;		/* command-line overrides */
	struct arena		*arena;
	struct stats		*stats;
	const int		*wake_fds;	/* eventfd of each worker */
};

__attribute__((__noreturn__)) void	worker_main(struct proc_env *);

#endif /* NATSD_PROC_H */
