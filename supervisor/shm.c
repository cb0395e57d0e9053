/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/shm.c: the supervisor's side of shared memory: create it
 * before the first fork, and clean a dead worker's part of it.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/eventfd.h>
#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "log.h"
#include "conf.h"
#include "shm.h"
#include "stats.h"
#include "sublist.h"
#include "supervisor.h"
#include "xmalloc.h"

/*
 * A server id shaped like nats-server's: 'N' and 55 characters of
 * base32, from the kernel's random numbers.
 */
static void
shm_server_id(char *buf, size_t len)
{
	static const char	 b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char		 rnd[55];
	size_t			 i;

	if (len < sizeof(rnd) + 2)
		fatalx("server id buffer too small");
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		fatal("getrandom");
	buf[0] = 'N';
	for (i = 0; i < sizeof(rnd); i++)
		buf[i + 1] = b32[rnd[i] & 31];
	buf[i + 1] = '\0';
}

/*
 * Create the shared region, its statistics and one eventfd per worker
 * (rings wake a sleeping worker through it). Returns 0, or -1 with
 * *cause set.
 */
int
shm_setup(struct natsd *n, const struct config *cf, char **cause)
{
	struct arena	*a;
	int		 i;

	a = xcalloc(1, sizeof(*a));
	if (shm_create(a, cf->shm_size, n->nworkers, cause) == -1) {
		free(a);
		return (-1);
	}
	n->shm = a;
	n->stats = shm_stats(a);
	stats_store(n->stats->next_cid, 1);
	stats_store(n->stats->start_sec, n->start);
	shm_server_id(n->stats->server_id, sizeof(n->stats->server_id));

	n->wake_fds = xcalloc(n->nworkers, sizeof(int));
	for (i = 0; i < n->nworkers; i++) {
		n->wake_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (n->wake_fds[i] == -1) {
			xasprintf(cause, "eventfd: %s", strerror(errno));
			return (-1);
		}
	}
	return (0);
}

/*
 * Worker id is dead: forget the connections it had and take its
 * subscriptions out of the shared tries.
 */
void
shm_worker_died(struct natsd *n, int id)
{
	struct stats_worker	*w = &n->stats->worker[id];
	int64_t			 lost;

	if (sublist_purge_worker(n->shm, id) == -1)
		log_warn("worker %d: purging its subscriptions", id);
	lost = stats_load(w->conns);
	stats_store(w->conns, 0);
	stats_store(w->pid, 0);
	if (lost > 0)
		log_info("worker %d: %lld connections lost", id,
		    (long long)lost);
}
