/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/sublist_int.h: the layout of the subscription tries in shared
 * memory, shared by sublist.c (writers) and sublist_match.c (readers)
 * and by nothing else.
 */

#ifndef NATSD_SUBLIST_INT_H
#define NATSD_SUBLIST_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/*
 * Invariants, with the account's lock held and its sequence even:
 *  - every node but the root hangs from exactly one parent: in its
 *    table (literal token), or as its pwc ('*') or fwc ('>');
 *  - every node but the root has children or subscriptions: empty
 *    nodes are unlinked and freed in the write section that emptied
 *    them (a failed insert too);
 *  - a table exists iff tcount > 0; it holds tcount < 3/4 of its slots
 *    (or 1 of 1) and no tombstones; a vector exists iff its count > 0;
 *    a queue group exists iff it has members;
 *  - count is the number of entries, nodes the number of nodes below
 *    the root: readers bound their walks with them;
 *  - gen moves in every write section that changed an entry; epoch
 *    moves when the trie was reset after a writer died mid-section.
 * Every block is freed inside a write section of the account that
 * owned it, so a reader still holding its offset will fail its retry
 * check even if the block has been reused, by any account, since.
 * Lock order: table lock or account lock, then the arena's lock; never
 * two account locks.
 */

#define SUBLIST_VERSION		2	/* bump on any layout change */
#define SUBLIST_NODE_MIN	64	/* a node fills a cache line */
#define SUBLIST_MAX_TABLE	(1U << 26)	/* slots of a table */
#define SUBLIST_MAX_VEC		(1U << 26)	/* entries */
#define SUBLIST_VEC_INDEXED	64	/* a dests vector this large has an index */
#define SUBLIST_PATH_LOCAL	32

#define SUBLIST_ROUND8(n)	(((size_t)(n) + 7) & ~(size_t)7)

/*
 * Every access to shared trie data is atomic: readers race writers by
 * design (seqlock.h). Relaxed is enough: the seqlock orders.
 */
#define LD(p)		atomic_load_explicit((p), memory_order_relaxed)
#define ST(p, v)	atomic_store_explicit((p), (v), memory_order_relaxed)

/*
 * A trie node: one token of a subscription subject, its children, and
 * the subscriptions whose subject ends here. Allocated with its token
 * after it: 64 bytes (one line) for tokens up to 16 bytes.
 */
struct sublist_node {
	_Atomic uint32_t	hash;		/* of the token */
	_Atomic uint32_t	toklen;
	_Atomic uint32_t	table;		/* literal children */
	_Atomic uint32_t	tmask;		/* table slots - 1 */
	_Atomic uint32_t	tcount;		/* children in table */
	_Atomic uint32_t	pwc;		/* the '*' child, or 0 */
	_Atomic uint32_t	fwc;		/* the '>' child, or 0 */
	_Atomic uint32_t	plain;		/* vector of sdest */
	_Atomic uint32_t	nplain;
	_Atomic uint32_t	groups;		/* vector of sgroup */
	_Atomic uint32_t	ngroups;
	uint32_t		unused;
	_Atomic uint64_t	tok[];		/* toklen bytes, padded */
};

/* A slot of a children table: open addressing, linear probing. */
struct sublist_slot {
	_Atomic uint32_t	hash;
	_Atomic uint32_t	node;		/* 0: empty */
};

/* struct sublist_dest in shared memory, as two words. */
struct sublist_sdest {
	_Atomic uint64_t	w[2];
};

/* A queue group of a node. */
struct sublist_sgroup {
	_Atomic uint32_t	hash;		/* of the name */
	_Atomic uint32_t	namelen;
	_Atomic uint32_t	name;		/* words, zero padded */
	_Atomic uint32_t	members;	/* vector of sdest */
	_Atomic uint32_t	nmembers;	/* at least 1 */
	uint32_t		unused[3];
};

/* Head of a vector (of sdest or sgroup); the elements follow. */
/*
 * A vector of destinations or queue groups: this header, then cap
 * elements. A vector of destinations of SUBLIST_VEC_INDEXED or more
 * elements is followed by an index for writers (readers never look at
 * it): 2 * cap slots of uint32_t, open addressing on (worker, handle),
 * each 0 or an element's position + 1. It makes removing one of many
 * subscriptions to a subject O(1) instead of a scan.
 */
struct sublist_vec {
	_Atomic uint32_t	cap;
	uint32_t		unused[3];
};

#define SUBLIST_VEC_DESTS(v)	((struct sublist_sdest *)(void *)((v) + 1))
#define SUBLIST_VEC_GROUPS(v) \
	((struct sublist_sgroup *)(void *)((v) + 1))
#define SUBLIST_NODE_GROUPS(a, n) \
	SUBLIST_VEC_GROUPS((struct sublist_vec *)arena_ptr((a), \
	    LD(&(n)->groups)))

/*
 * An account. The first line is what readers touch; the name never
 * changes once the account is published.
 */
struct sublist_acct {
	_Atomic uint32_t	seq;		/* seqlock over the trie */
	_Atomic uint32_t	root;		/* never changes */
	_Atomic uint32_t	count;		/* subscriptions */
	_Atomic uint32_t	nodes;		/* nodes below the root */
	_Atomic uint32_t	epoch;		/* resets */
	uint32_t		hash;		/* of the name */
	_Atomic uint64_t	gen;		/* bumped by every change */
	uint32_t		namelen;
	char			unused[28];
	union {
		pthread_mutex_t	m;		/* writers; robust */
		char		pad[64];
	}			lock;
	char			name[256];
};

/* The root structure ARENA_ROOT_SUBLIST points to. */
struct sublist_table {
	uint64_t		format;		/* SUBLIST_FORMAT */
	_Atomic uint32_t	naccounts;	/* published slots */
	uint32_t		unused;
	union {
		pthread_mutex_t	m;		/* creating accounts */
		char		pad[112];
	}			lock;
	struct sublist_acct	acct[SUBLIST_MAX_ACCOUNTS];
};

#define SUBLIST_FORMAT	((uint64_t)SUBLIST_VERSION << 48 | \
	(uint64_t)sizeof(struct sublist_acct) << 32 | \
	(uint64_t)sizeof(struct sublist_node) << 24 | \
	(uint64_t)sizeof(struct sublist_sgroup) << 16 | \
	(uint64_t)sizeof(struct sublist_dest) << 8 | \
	(uint64_t)sizeof(struct sublist_slot))

_Static_assert(sizeof(struct sublist_dest) == 16, "sublist_dest layout");
_Static_assert(sizeof(struct sublist_node) == 48, "sublist_node layout");
_Static_assert(sizeof(struct sublist_acct) % 64 == 0, "sublist_acct pad");
_Static_assert(sizeof(pthread_mutex_t) <= 64, "pthread_mutex_t size");
_Static_assert(sizeof(struct sublist_sgroup) == 32, "sgroup layout");

extern struct sublist_stats	sublist_counters;

/* sublist_node.c: any process */
uint32_t		 sublist_hash(const char *, size_t);
void			 sublist_words_store(_Atomic uint64_t *,
			    const char *, size_t);
int			 sublist_words_equal(const _Atomic uint64_t *,
			    const char *, size_t);
void			 sublist_words_load(char *,
			    const _Atomic uint64_t *, size_t);
void			 sublist_sdest_load(const struct sublist_sdest *,
			    struct sublist_dest *);

/* sublist_node.c: writers, account lock held, in a write section */
size_t		 sublist_node_size(size_t);
uint32_t	 sublist_node_new(struct arena *, struct sublist_acct *,
		    const char *, size_t, uint32_t);
void		 sublist_node_free(struct arena *, struct sublist_acct *,
		    uint32_t);
int		 sublist_node_empty(struct arena *, uint32_t);
uint32_t	 sublist_child_find(struct arena *, uint32_t, const char *,
		    size_t, uint32_t);
int		 sublist_child_link(struct arena *, uint32_t, const char *,
		    size_t, uint32_t);
void		 sublist_child_unlink(struct arena *, uint32_t, uint32_t);
int		 sublist_dests_add(struct arena *, _Atomic uint32_t *,
		    _Atomic uint32_t *, const struct sublist_dest *);
void		 sublist_dests_del(struct arena *, _Atomic uint32_t *,
		    _Atomic uint32_t *, uint32_t);
int		 sublist_dests_find(struct arena *, uint32_t, uint32_t,
		    const struct sublist_dest *);
uint32_t	 sublist_dests_purge(struct arena *, _Atomic uint32_t *,
		    _Atomic uint32_t *, uint16_t);
int		 sublist_group_find(struct arena *, struct sublist_node *,
		    const char *, size_t, uint32_t);
int		 sublist_group_add(struct arena *, struct sublist_node *,
		    const char *, size_t, uint32_t);
void		 sublist_group_del(struct arena *, struct sublist_node *,
		    uint32_t);

/* sublist.c */
struct sublist_table	*sublist_table_get(struct arena *);
struct sublist_acct	*sublist_acct_get(struct arena *, int);
void			 sublist_acct_lock(struct arena *,
			    struct sublist_acct *);
void			 sublist_reset(struct arena *,
			    struct sublist_acct *);

#endif /* NATSD_SUBLIST_INT_H */
