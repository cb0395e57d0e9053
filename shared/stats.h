/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/stats.h: counters in shared memory. Each worker writes its own
 * slot with relaxed atomics; the supervisor reads them for hand-off
 * decisions and monitoring. Slots are padded to 64 bytes so that two
 * workers never write one cache line.
 */

#ifndef NATSD_STATS_H
#define NATSD_STATS_H

#include <stdatomic.h>
#include <stdint.h>

#define STATS_MAX_WORKERS	64

struct stats_worker {
	_Atomic int64_t		conns;		/* open connections */
	_Atomic int64_t		pid;
	_Atomic uint64_t	total_conns;
	_Atomic uint64_t	in_msgs;
	_Atomic uint64_t	out_msgs;
	_Atomic uint64_t	in_bytes;
	_Atomic uint64_t	out_bytes;
	_Atomic uint64_t	slow_consumers;
	_Atomic uint64_t	drops;		/* ring spill overflow */
	_Atomic uint64_t	restarts;
	_Atomic uint64_t	sub_inserts;	/* subscriptions made */
	_Atomic uint64_t	sub_removes;	/* and taken out */
	unsigned char		pad[32];
} __attribute__((__aligned__(64)));

struct stats {
	_Atomic uint64_t	next_cid;	/* connection ids, from 1 */
	_Atomic int64_t		start_sec;	/* supervisor start */
	char			server_id[64];	/* NUL-terminated, shared */
	int32_t			client_port;	/* as bound */
	int32_t			http_port;	/* as bound, 0: off */
	unsigned char		pad[40];
	struct stats_worker	worker[STATS_MAX_WORKERS];
};

#define stats_add(field, n)						\
	atomic_fetch_add_explicit(&(field), (n), memory_order_relaxed)
#define stats_load(field)						\
	atomic_load_explicit(&(field), memory_order_relaxed)
#define stats_store(field, v)						\
	atomic_store_explicit(&(field), (v), memory_order_relaxed)

#endif /* NATSD_STATS_H */
