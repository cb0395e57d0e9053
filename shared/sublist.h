/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/sublist.h: per-account subscription tries in the shared arena.
 * Writers lock per account; readers (every PUB) never lock, they walk
 * under a seqlock and copy the result into private memory. Safe across
 * processes; within one process, single-threaded (results, caches and
 * the counters are private and unlocked).
 */

#ifndef NATSD_SUBLIST_H
#define NATSD_SUBLIST_H

#include <stddef.h>
#include <stdint.h>

struct arena;

#define SUBLIST_MAX_ACCOUNTS	1024
#define SUBLIST_NAME_MAX	255	/* account name bytes */
#define SUBLIST_SUBJECT_MAX	32768	/* longest subject or queue */
#define SUBLIST_GLOBAL		0	/* "$G", by sublist_init() */
#define SUBLIST_CACHE_SIZE	1024	/* entries in a match cache */
#define SUBLIST_CACHE_SUBJECT	256	/* longer: not cached */

/*
 * Where a matched message goes. Opaque to the sublist except that
 * (worker, handle) identifies an entry for sublist_remove() and worker
 * for sublist_purge_worker().
 */
struct sublist_dest {
	uint16_t	worker;		/* owning worker process */
	uint16_t	kind;		/* client, route, leaf, ... */
	uint32_t	flags;
	uint64_t	handle;		/* the worker's own, unique */
};

/* One queue group in a result: its members are contiguous. */
struct sublist_group {
	uint32_t	hash;		/* of the name */
	uint32_t	name;		/* offset in names; NUL ends */
	uint32_t	namelen;
	uint32_t	start;		/* first member in members */
	uint32_t	count;		/* members, at least 1 */
};

/*
 * A match result, in the caller's private memory. Reusable: arrays grow
 * only when a match needs more room, so steady state allocates nothing.
 * Groups of the same name matched through different subscriptions (say
 * "foo.*" and "foo.bar") are merged into one, as in nats-server.
 */
struct sublist_result {
	struct sublist_dest	*plain;
	size_t			 nplain;
	struct sublist_group	*groups;
	size_t			 ngroups;
	struct sublist_dest	*members;
	size_t			 nmembers;
	char			*names;
	uint64_t		 gen;	/* account generation seen */

	/* Private to sublist.c. */
	size_t			 plaincap;
	size_t			 groupscap;
	size_t			 memberscap;
	size_t			 nameslen;
	size_t			 namescap;
	struct sublist_tok	*toks;
	size_t			 tokscap;
	uint32_t		*stack;
	size_t			 stackcap;
	uint32_t		*scratch;
	size_t			 scratchcap;
	struct sublist_dest	*spare;
	size_t			 sparecap;
};

/* Counters of this process (not shared). */
struct sublist_stats {
	uint64_t	matches;	/* trie walks asked for */
	uint64_t	busy;		/* reads begun while writing */
	uint64_t	retries;	/* walks thrown away: writer came by */
	uint64_t	fallbacks;	/* walks done under the lock */
	uint64_t	resets;		/* tries reset, dead writers */
	uint64_t	cache_hits;
	uint64_t	cache_misses;
};

struct sublist_cache;

/* What a match cache holds, for monitoring (/subsz). */
struct sublist_cache_stats {
	uint32_t	entries;	/* still valid */
	uint32_t	fanout_max;	/* destinations of one entry */
	uint64_t	fanout_total;
};

typedef int (*sublist_dump_cb)(const char *, size_t, const char *, size_t,
    const struct sublist_dest *, void *);

int		 sublist_init(struct arena *);
void		 sublist_check(struct arena *);
int		 sublist_account(struct arena *, const char *);
int		 sublist_naccounts(struct arena *);
const char	*sublist_account_name(struct arena *, int);

int		 sublist_insert(struct arena *, int, const char *, size_t,
		    const char *, size_t, const struct sublist_dest *);
int		 sublist_insert_epoch(struct arena *, int, const char *,
		    size_t, const char *, size_t,
		    const struct sublist_dest *, uint32_t *);
int		 sublist_remove(struct arena *, int, const char *, size_t,
		    const char *, size_t, const struct sublist_dest *);
int		 sublist_lock(struct arena *, int);
void		 sublist_unlock(struct arena *, int);
int		 sublist_insert_locked(struct arena *, int, const char *,
		    size_t, const char *, size_t, const struct sublist_dest *);
int		 sublist_remove_locked(struct arena *, int, const char *,
		    size_t, const char *, size_t, const struct sublist_dest *);
int		 sublist_purge_worker(struct arena *, uint16_t);

int		 sublist_match(struct arena *, int, const char *, size_t,
		    struct sublist_result *);
void		 sublist_result_init(struct sublist_result *);
void		 sublist_result_free(struct sublist_result *);

uint32_t	 sublist_count(struct arena *, int);
uint32_t	 sublist_epoch(struct arena *, int);
uint64_t	 sublist_generation(struct arena *, int);
int		 sublist_dump(struct arena *, int, sublist_dump_cb, void *);
void		 sublist_stats(struct sublist_stats *);

struct sublist_cache *sublist_cache_new(void);
void		 sublist_cache_free(struct sublist_cache *);
int		 sublist_cache_match(struct sublist_cache *, struct arena *,
		    int, const char *, size_t, const struct sublist_result **);
void		 sublist_cache_stats(const struct sublist_cache *,
		    struct arena *, int, struct sublist_cache_stats *);

/* The name of a group in a result. */
static inline const char *
sublist_group_name(const struct sublist_result *r,
    const struct sublist_group *g)
{
	return (r->names + g->name);
}

#endif /* NATSD_SUBLIST_H */
