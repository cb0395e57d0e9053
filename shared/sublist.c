/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/sublist.c: the account table and the writers' side of the
 * subscription tries in shared memory: insert, remove, purge, reset
 * after a dead writer, dump. The readers' side is sublist_match.c.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "seqlock.h"
#include "subject.h"
#include "sublist.h"
#include "sublist_int.h"
#include "xmalloc.h"

/* A private stack of node offsets: the path down to a subject's node. */
struct sublist_path {
	uint32_t	 local[SUBLIST_PATH_LOCAL];
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

/* A frame of sublist_traverse(). */
struct sublist_frame {
	uint32_t	node;
	uint32_t	next;		/* next child: slots, pwc, fwc */
	size_t		sublen;		/* subject length here */
	size_t		doomed;		/* our doomed start here */
};

struct sublist_walker;
typedef int (*sublist_visit_fn)(struct sublist_walker *, uint32_t);

/* State of a walk over every node of a trie, under the lock. */
struct sublist_walker {
	struct arena		*a;
	struct sublist_acct	*ac;
	sublist_visit_fn	 visit;
	char			*subj;		/* of the node */
	size_t			 sublen;
	size_t			 subcap;
	char			*qname;
	size_t			 qcap;
	sublist_dump_cb		 cb;
	void			*arg;
	uint16_t		 worker;
	uint32_t		 removed;
};

struct sublist_stats	sublist_counters;

static int	 sublist_args(const char *, size_t, const char *, size_t);
static void	 sublist_path_push(struct sublist_path *, uint32_t);
static void	 sublist_prune(struct arena *, struct sublist_acct *,
		    struct sublist_path *);
static int	 sublist_add(struct arena *, struct sublist_acct *,
		    const char *, size_t, const char *, size_t,
		    const struct sublist_dest *);
static int	 sublist_del(struct arena *, struct sublist_acct *,
		    const char *, size_t, const char *, size_t,
		    const struct sublist_dest *);
static uint32_t	 sublist_next_child(struct arena *, uint32_t,
		    uint32_t *);
static int	 sublist_traverse(struct sublist_walker *, int);
static int	 sublist_purge_visit(struct sublist_walker *, uint32_t);
static int	 sublist_dump_visit(struct sublist_walker *, uint32_t);

struct sublist_table *
sublist_table_get(struct arena *a)
{
	return (arena_ptr(a, arena_root_get(a, ARENA_ROOT_SUBLIST)));
}

/*
 * sublist_acct_get - an account by index
 * Return: the account, or NULL with errno EINVAL if there is none.
 */
struct sublist_acct *
sublist_acct_get(struct arena *a, int acc)
{
	struct sublist_table	*t;

	t = sublist_table_get(a);
	/* Pairs with the release store in sublist_account(). */
	if (t == NULL || acc < 0 || (uint32_t)acc >=
	    atomic_load_explicit(&t->naccounts, memory_order_acquire)) {
		errno = EINVAL;
		return (NULL);
	}
	return (&t->acct[acc]);
}

/*
 * sublist_init - make the account table and the global account "$G"
 *
 * Context: the supervisor, once, before fork.
 * Return: 0, or -1 with errno ENOMEM if the arena is too small.
 */
int
sublist_init(struct arena *a)
{
	struct sublist_table	*t;
	uint32_t		 off;

	if ((off = arena_alloc(a, sizeof(*t))) == 0) {
		errno = ENOMEM;
		return (-1);
	}
	t = arena_ptr(a, off);
	memset(t, 0, sizeof(*t));
	t->format = SUBLIST_FORMAT;
	arena_mutex_init(&t->lock.m);
	arena_root_set(a, ARENA_ROOT_SUBLIST, off);
	if (sublist_account(a, "$G") != SUBLIST_GLOBAL) {
		arena_root_set(a, ARENA_ROOT_SUBLIST, 0);
		arena_free(a, off, sizeof(*t));
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}

/*
 * sublist_check - make sure the table is one this build understands
 * Context: any process after fork; fatal on mismatch.
 */
void
sublist_check(struct arena *a)
{
	struct sublist_table	*t;

	if ((t = sublist_table_get(a)) == NULL)
		fatalx("sublist: no table in the arena");
	if (t->format != SUBLIST_FORMAT)
		fatalx("sublist: format %016llx, this build has %016llx",
		    (unsigned long long)t->format,
		    (unsigned long long)SUBLIST_FORMAT);
}

/*
 * sublist_account - find an account by name, or create it
 * @name: 1 to SUBLIST_NAME_MAX bytes
 *
 * Context: any process. Accounts are never deleted; a slot, once
 * published, never changes, so lookups take no lock.
 * Return: the index, or -1 with errno EINVAL (bad name), ENOSPC (table
 * full) or ENOMEM (arena full).
 */
int
sublist_account(struct arena *a, const char *name)
{
	struct sublist_table	*t;
	struct sublist_acct	*ac;
	size_t			 len;
	uint32_t		 h, i, n, root;

	len = strlen(name);
	if ((t = sublist_table_get(a)) == NULL || len == 0 ||
	    len > SUBLIST_NAME_MAX) {
		errno = EINVAL;
		return (-1);
	}
	h = sublist_hash(name, len);
	n = atomic_load_explicit(&t->naccounts, memory_order_acquire);
	for (i = 0; i < n; i++) {
		ac = &t->acct[i];
		if (ac->hash == h && ac->namelen == len &&
		    memcmp(ac->name, name, len) == 0)
			return ((int)i);
	}

	if (arena_mutex_lock(&t->lock.m) == EOWNERDEAD) {
		/* Nothing is published before it is whole. */
		log_warnx("sublist: a process died creating an account");
		arena_mutex_consistent(&t->lock.m);
	}
	n = atomic_load_explicit(&t->naccounts, memory_order_relaxed);
	for (; i < n; i++) {
		ac = &t->acct[i];
		if (ac->hash == h && ac->namelen == len &&
		    memcmp(ac->name, name, len) == 0) {
			arena_mutex_unlock(&t->lock.m);
			return ((int)i);
		}
	}
	if (n == SUBLIST_MAX_ACCOUNTS) {
		arena_mutex_unlock(&t->lock.m);
		errno = ENOSPC;
		return (-1);
	}
	ac = &t->acct[n];
	memset(ac, 0, sizeof(*ac));
	if ((root = sublist_node_new(a, ac, "", 0, sublist_hash("", 0))) ==
	    0) {
		arena_mutex_unlock(&t->lock.m);
		errno = ENOMEM;
		return (-1);
	}
	ST(&ac->nodes, 0);
	ST(&ac->root, root);
	arena_mutex_init(&ac->lock.m);
	ac->hash = h;
	ac->namelen = (uint32_t)len;
	memcpy(ac->name, name, len);
	/* Pairs with the acquire loads of naccounts: publish it whole. */
	atomic_store_explicit(&t->naccounts, n + 1, memory_order_release);
	arena_mutex_unlock(&t->lock.m);
	return ((int)n);
}

int
sublist_naccounts(struct arena *a)
{
	struct sublist_table	*t;

	if ((t = sublist_table_get(a)) == NULL)
		return (0);
	return ((int)atomic_load_explicit(&t->naccounts,
	    memory_order_acquire));
}

/*
 * sublist_account_name - the name of an account
 * Return: a NUL-terminated string in shared memory that never changes,
 * or NULL if there is no such account.
 */
const char *
sublist_account_name(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (NULL);
	return (ac->name);
}

uint32_t
sublist_count(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (0);
	return (LD(&ac->count));
}

/*
 * sublist_epoch - how many times the account's trie was reset
 *
 * A worker that sees this move must insert all of its subscriptions in
 * that account again: a reset dropped them (see sublist_reset()).
 */
uint32_t
sublist_epoch(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (0);
	return (atomic_load_explicit(&ac->epoch, memory_order_acquire));
}

/*
 * sublist_generation - a counter bumped by every change of the trie
 *
 * Match caches tag their entries with it.
 */
uint64_t
sublist_generation(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (0);
	return (atomic_load_explicit(&ac->gen, memory_order_acquire));
}

void
sublist_stats(struct sublist_stats *st)
{
	*st = sublist_counters;
}

/*
 * sublist_reset - empty a trie that a dead writer left half changed
 *
 * Context: account lock held (just taken with EOWNERDEAD). Only called
 * when the sequence is odd: the dead process was inside a write section
 * and the trie may be anything. Its blocks are not reclaimed (walking
 * them could free a block twice and poison the allocator for every
 * account): they are leaked. The root node survives, emptied. The epoch
 * moves so that every worker inserts its subscriptions again.
 */
void
sublist_reset(struct arena *a, struct sublist_acct *ac)
{
	struct sublist_node	*root;

	if ((LD(&ac->seq) & 1) == 0)
		seqlock_write_begin(&ac->seq);
	root = arena_ptr(a, LD(&ac->root));
	ST(&root->table, 0);
	ST(&root->tmask, 0);
	ST(&root->tcount, 0);
	ST(&root->pwc, 0);
	ST(&root->fwc, 0);
	ST(&root->plain, 0);
	ST(&root->nplain, 0);
	ST(&root->groups, 0);
	ST(&root->ngroups, 0);
	ST(&ac->count, 0);
	ST(&ac->nodes, 0);
	ST(&ac->gen, LD(&ac->gen) + 1);
	atomic_store_explicit(&ac->epoch, LD(&ac->epoch) + 1,
	    memory_order_release);
	seqlock_write_end(&ac->seq);
	sublist_counters.resets++;
}

/*
 * sublist_acct_lock - take an account's writer lock
 *
 * Context: any process. If the last owner died inside a write section
 * (odd sequence), the trie is reset first (logged); if it died outside
 * one (a reader that fell back to the lock, a dump), the trie is sound.
 * Returns with the lock held and the sequence even.
 */
void
sublist_acct_lock(struct arena *a, struct sublist_acct *ac)
{
	if (arena_mutex_lock(&ac->lock.m) != EOWNERDEAD)
		return;
	if (LD(&ac->seq) & 1) {
		log_warnx("sublist: account %s: a process died changing it, "
		    "trie reset", ac->name);
		sublist_reset(a, ac);
	}
	arena_mutex_consistent(&ac->lock.m);
}

/*
 * sublist_lock - start a batch of changes to one account
 *
 * Takes the account's lock and opens a write section: readers retry
 * (then wait on the lock) until sublist_unlock(). Use it to apply many
 * SUB/UNSUB at once with the _locked variants; keep batches short.
 * Context: any process; not reentrant; no other account lock held.
 * Return: 0, or -1 with errno EINVAL for a bad account.
 */
int
sublist_lock(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (-1);
	sublist_acct_lock(a, ac);
	seqlock_write_begin(&ac->seq);
	return (0);
}

void
sublist_unlock(struct arena *a, int acc)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		fatalx("sublist: unlock of bad account %d", acc);
	seqlock_write_end(&ac->seq);
	arena_mutex_unlock(&ac->lock.m);
}

/*
 * sublist_args - check what insert and remove are given
 *
 * The subject as nats-server's Sublist.Insert checks it (SUB's "Invalid
 * Subject"), at most SUBLIST_SUBJECT_MAX bytes; the queue, if any, a
 * valid queue name of at most as many.
 * Return: 0, or -1 with errno EINVAL.
 */
static int
sublist_args(const char *subj, size_t slen, const char *q, size_t qlen)
{
	if (slen == 0 || slen > SUBLIST_SUBJECT_MAX ||
	    !subject_valid_sub(subj, slen) ||
	    (q != NULL && qlen != 0 && (qlen > SUBLIST_SUBJECT_MAX ||
	    !queue_valid(q, qlen)))) {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

static void
sublist_path_push(struct sublist_path *p, uint32_t off)
{
	if (p->v == NULL) {
		p->v = p->local;
		p->cap = SUBLIST_PATH_LOCAL;
	}
	if (p->n == p->cap) {
		if (p->v == p->local) {
			p->v = xreallocarray(NULL, p->cap * 2, sizeof(*p->v));
			memcpy(p->v, p->local, sizeof(p->local));
		} else
			p->v = xreallocarray(p->v, p->cap * 2, sizeof(*p->v));
		p->cap *= 2;
	}
	p->v[p->n++] = off;
}

static void
sublist_path_free(struct sublist_path *p)
{
	if (p->v != p->local)
		free(p->v);
}

/*
 * sublist_prune - free the empty nodes at the end of a path
 * Context: account lock held, in a write section.
 */
static void
sublist_prune(struct arena *a, struct sublist_acct *ac,
    struct sublist_path *p)
{
	uint32_t	node, parent;

	while (p->n > 1) {
		node = p->v[p->n - 1];
		if (!sublist_node_empty(a, node))
			break;
		parent = p->v[p->n - 2];
		sublist_child_unlink(a, parent, node);
		sublist_node_free(a, ac, node);
		p->n--;
	}
}

/*
 * sublist_add - insert, arguments checked
 *
 * Context: account lock held, in a write section.
 * Return: 0, or -1 with errno ENOMEM (and the trie as it was).
 */
static int
sublist_add(struct arena *a, struct sublist_acct *ac, const char *subj,
    size_t slen, const char *q, size_t qlen, const struct sublist_dest *d)
{
	struct sublist_path	 path = { .n = 0 };
	struct sublist_node	*n;
	const char		*tok = subj, *end = subj + slen, *dot;
	uint32_t		 node, child, hash;
	size_t			 len;
	int			 gi;

	sublist_path_push(&path, node = LD(&ac->root));
	for (; tok <= end; tok = dot + 1) {
		if ((dot = memchr(tok, '.', end - tok)) == NULL)
			dot = end;
		len = dot - tok;
		hash = sublist_hash(tok, len);
		child = sublist_child_find(a, node, tok, len, hash);
		if (child == 0) {
			if ((child = sublist_node_new(a, ac, tok, len,
			    hash)) == 0)
				goto nomem;
			if (sublist_child_link(a, node, tok, len,
			    child) == -1) {
				sublist_node_free(a, ac, child);
				goto nomem;
			}
		}
		sublist_path_push(&path, node = child);
	}
	n = arena_ptr(a, node);
	if (q == NULL || qlen == 0) {
		if (sublist_dests_add(a, &n->plain, &n->nplain, d) == -1)
			goto nomem;
	} else {
		hash = sublist_hash(q, qlen);
		if ((gi = sublist_group_find(a, n, q, qlen, hash)) == -1 &&
		    (gi = sublist_group_add(a, n, q, qlen, hash)) == -1)
			goto nomem;
		if (sublist_dests_add(a, &SUBLIST_NODE_GROUPS(a, n)[gi].members,
		    &SUBLIST_NODE_GROUPS(a, n)[gi].nmembers, d) == -1) {
			if (LD(&SUBLIST_NODE_GROUPS(a, n)[gi].nmembers) == 0)
				sublist_group_del(a, n, gi);
			goto nomem;
		}
	}
	ST(&ac->count, LD(&ac->count) + 1);
	ST(&ac->gen, LD(&ac->gen) + 1);
	sublist_path_free(&path);
	return (0);

nomem:
	sublist_prune(a, ac, &path);
	sublist_path_free(&path);
	errno = ENOMEM;
	return (-1);
}

/*
 * sublist_del - remove, arguments checked
 *
 * Context: account lock held, in a write section.
 * Return: 0, or -1 with errno ENOENT.
 */
static int
sublist_del(struct arena *a, struct sublist_acct *ac, const char *subj,
    size_t slen, const char *q, size_t qlen, const struct sublist_dest *d)
{
	struct sublist_path	 path = { .n = 0 };
	struct sublist_node	*n;
	struct sublist_sgroup	*g;
	const char		*tok = subj, *end = subj + slen, *dot;
	uint32_t		 node;
	size_t			 len;
	int			 i, gi;

	sublist_path_push(&path, node = LD(&ac->root));
	for (; tok <= end; tok = dot + 1) {
		if ((dot = memchr(tok, '.', end - tok)) == NULL)
			dot = end;
		len = dot - tok;
		if ((node = sublist_child_find(a, node, tok, len,
		    sublist_hash(tok, len))) == 0)
			goto noent;
		sublist_path_push(&path, node);
	}
	n = arena_ptr(a, node);
	if (q == NULL || qlen == 0) {
		if ((i = sublist_dests_find(a, LD(&n->plain), LD(&n->nplain),
		    d)) == -1)
			goto noent;
		sublist_dests_del(a, &n->plain, &n->nplain, i);
	} else {
		if ((gi = sublist_group_find(a, n, q, qlen,
		    sublist_hash(q, qlen))) == -1)
			goto noent;
		g = SUBLIST_NODE_GROUPS(a, n) + gi;
		if ((i = sublist_dests_find(a, LD(&g->members),
		    LD(&g->nmembers), d)) == -1)
			goto noent;
		sublist_dests_del(a, &g->members, &g->nmembers, i);
		if (LD(&g->nmembers) == 0)
			sublist_group_del(a, n, gi);
	}
	sublist_prune(a, ac, &path);
	sublist_path_free(&path);
	ST(&ac->count, LD(&ac->count) - 1);
	ST(&ac->gen, LD(&ac->gen) + 1);
	return (0);

noent:
	sublist_path_free(&path);
	errno = ENOENT;
	return (-1);
}

/*
 * sublist_insert_locked - add a subscription inside a batch
 * @acc: the account, locked by sublist_lock()
 * @subj, @slen: the subject, wildcards allowed
 * @q, @qlen: the queue group, or NULL/0 for a plain subscription
 * @d: where matches go; copied
 *
 * Inserting the same (worker, handle) twice at one subject and queue
 * makes two entries (the caller keeps handles unique).
 * Return: 0, or -1 with errno EINVAL (bad subject, queue or account) or
 * ENOMEM (arena full; the trie is as it was).
 */
int
sublist_insert_locked(struct arena *a, int acc, const char *subj,
    size_t slen, const char *q, size_t qlen, const struct sublist_dest *d)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL ||
	    sublist_args(subj, slen, q, qlen) == -1)
		return (-1);
	return (sublist_add(a, ac, subj, slen, q, qlen, d));
}

/*
 * sublist_remove_locked - remove a subscription inside a batch
 *
 * The arguments are those given to the insert; the entry is found by
 * subject, queue and (worker, handle).
 * Return: 0, or -1 with errno EINVAL or ENOENT (no such entry).
 */
int
sublist_remove_locked(struct arena *a, int acc, const char *subj,
    size_t slen, const char *q, size_t qlen, const struct sublist_dest *d)
{
	struct sublist_acct	*ac;

	if ((ac = sublist_acct_get(a, acc)) == NULL ||
	    sublist_args(subj, slen, q, qlen) == -1)
		return (-1);
	return (sublist_del(a, ac, subj, slen, q, qlen, d));
}

/*
 * Take the account's lock and run op (sublist_add or sublist_del) in a
 * write section; with epoch not NULL, report the account's epoch read
 * under the lock. Keeps op's errno.
 */
static int
sublist_write(struct arena *a, int acc, const char *subj, size_t slen,
    const char *q, size_t qlen, const struct sublist_dest *d,
    uint32_t *epoch, int (*op)(struct arena *, struct sublist_acct *,
    const char *, size_t, const char *, size_t, const struct sublist_dest *))
{
	struct sublist_acct	*ac;
	int			 rc, saved;

	if ((ac = sublist_acct_get(a, acc)) == NULL ||
	    sublist_args(subj, slen, q, qlen) == -1)
		return (-1);
	sublist_acct_lock(a, ac);
	if (epoch != NULL)
		*epoch = LD(&ac->epoch);
	seqlock_write_begin(&ac->seq);
	rc = op(a, ac, subj, slen, q, qlen, d);
	saved = errno;
	seqlock_write_end(&ac->seq);
	arena_mutex_unlock(&ac->lock.m);
	errno = saved;
	return (rc);
}

/*
 * sublist_insert - add a subscription
 *
 * As sublist_insert_locked(), taking and releasing the account's lock.
 * Context: any process; no account lock held.
 */
int
sublist_insert(struct arena *a, int acc, const char *subj, size_t slen,
    const char *q, size_t qlen, const struct sublist_dest *d)
{
	return (sublist_write(a, acc, subj, slen, q, qlen, d, NULL,
	    sublist_add));
}

/*
 * sublist_insert_epoch - add a subscription, and tell in which epoch
 * @epoch: set to the account's epoch while the lock was held: the
 *	subscription is in the trie until the epoch moves
 *
 * A worker that sees the epoch move re-inserts its subscriptions, except
 * those inserted in the new epoch already: they survived the reset.
 */
int
sublist_insert_epoch(struct arena *a, int acc, const char *subj,
    size_t slen, const char *q, size_t qlen, const struct sublist_dest *d,
    uint32_t *epoch)
{
	return (sublist_write(a, acc, subj, slen, q, qlen, d, epoch,
	    sublist_add));
}

/*
 * sublist_remove - remove a subscription
 *
 * As sublist_remove_locked(), taking and releasing the account's lock.
 */
int
sublist_remove(struct arena *a, int acc, const char *subj, size_t slen,
    const char *q, size_t qlen, const struct sublist_dest *d)
{
	return (sublist_write(a, acc, subj, slen, q, qlen, d, NULL,
	    sublist_del));
}

/*
 * sublist_next_child - iterate over a node's children
 * @next: the iterator, 0 at first: table slots, then '*', then '>'
 * Return: the next child, or 0 when there are no more.
 */
static uint32_t
sublist_next_child(struct arena *a, uint32_t off, uint32_t *next)
{
	struct sublist_node	*n = arena_ptr(a, off);
	struct sublist_slot	*slots = arena_ptr(a, LD(&n->table));
	uint32_t		 cap, c;

	cap = slots == NULL ? 0 : LD(&n->tmask) + 1;
	while (*next < cap) {
		if ((c = LD(&slots[(*next)++].node)) != 0)
			return (c);
	}
	if (*next == cap) {
		(*next)++;
		if ((c = LD(&n->pwc)) != 0)
			return (c);
	}
	if (*next == cap + 1) {
		(*next)++;
		if ((c = LD(&n->fwc)) != 0)
			return (c);
	}
	return (0);
}

/*
 * sublist_traverse - visit every node of a trie, depth first
 * @w: the walker; w->visit is called for each node below the root with
 *     w->subj holding that node's subject (NUL-terminated)
 * @prune: free the nodes left empty and childless, after their subtree
 *
 * Context: account lock held; in a write section if anything changes.
 * Nodes are unlinked only once their parent's children have all been
 * visited, so the parent's table never moves under the iteration.
 * Return: 0, or what a visit returned if not 0 (which stops the walk).
 */
static int
sublist_traverse(struct sublist_walker *w, int prune)
{
	struct arena		*a = w->a;
	struct sublist_frame	*f = NULL;
	struct sublist_node	*cn;
	uint32_t		*doomed = NULL, child, root;
	size_t			 nf = 0, fcap = 0, nd = 0, dcap = 0;
	size_t			 len, i;
	int			 rc = 0;

	root = LD(&w->ac->root);
	f = xreallocarray(NULL, fcap = 16, sizeof(*f));
	f[nf++] = (struct sublist_frame){ root, 0, 0, 0 };
	while (nf > 0) {
		if ((child = sublist_next_child(a, f[nf - 1].node,
		    &f[nf - 1].next)) != 0) {
			cn = arena_ptr(a, child);
			len = f[nf - 1].sublen + (nf > 1) + LD(&cn->toklen);
			if (len + 1 > w->subcap) {
				w->subcap = len + 64;
				w->subj = xreallocarray(w->subj, 1, w->subcap);
			}
			if (nf > 1)
				w->subj[f[nf - 1].sublen] = '.';
			sublist_words_load(w->subj + len - LD(&cn->toklen),
			    cn->tok, LD(&cn->toklen));
			w->subj[len] = '\0';
			w->sublen = len;
			if (nf == fcap)
				f = xreallocarray(f, fcap *= 2, sizeof(*f));
			f[nf++] = (struct sublist_frame){ child, 0, len, nd };
			if ((rc = w->visit(w, child)) != 0)
				break;
			continue;
		}
		if (prune) {
			for (i = f[nf - 1].doomed; i < nd; i++) {
				sublist_child_unlink(a, f[nf - 1].node,
				    doomed[i]);
				sublist_node_free(a, w->ac, doomed[i]);
			}
			nd = f[nf - 1].doomed;
			if (nf > 1 && sublist_node_empty(a, f[nf - 1].node)) {
				if (nd == dcap)
					doomed = xreallocarray(doomed,
					    dcap = dcap * 2 + 16,
					    sizeof(*doomed));
				doomed[nd++] = f[nf - 1].node;
			}
		}
		nf--;
	}
	free(f);
	free(doomed);
	return (rc);
}

/* Drop a dead worker's entries from one node. */
static int
sublist_purge_visit(struct sublist_walker *w, uint32_t off)
{
	struct sublist_node	*n = arena_ptr(w->a, off);
	struct sublist_sgroup	*g;
	uint32_t		 i;

	w->removed += sublist_dests_purge(w->a, &n->plain, &n->nplain,
	    w->worker);
	for (i = LD(&n->ngroups); i-- > 0;) {
		g = SUBLIST_NODE_GROUPS(w->a, n) + i;
		w->removed += sublist_dests_purge(w->a, &g->members,
		    &g->nmembers, w->worker);
		if (LD(&g->nmembers) == 0)
			sublist_group_del(w->a, n, i);
	}
	return (0);
}

/*
 * sublist_purge_worker - remove every entry of a worker, in all accounts
 *
 * Context: the supervisor, when a worker died (or a worker dropping its
 * own state). Takes each account's lock in turn.
 * Return: the number of entries removed.
 */
int
sublist_purge_worker(struct arena *a, uint16_t worker)
{
	struct sublist_walker	 w;
	struct sublist_acct	*ac;
	int			 i, n, total = 0;

	memset(&w, 0, sizeof(w));
	w.a = a;
	w.visit = sublist_purge_visit;
	w.worker = worker;
	n = sublist_naccounts(a);
	for (i = 0; i < n; i++) {
		ac = sublist_acct_get(a, i);
		w.ac = ac;
		w.removed = 0;
		sublist_acct_lock(a, ac);
		seqlock_write_begin(&ac->seq);
		(void)sublist_traverse(&w, 1);
		if (w.removed > 0) {
			ST(&ac->count, LD(&ac->count) - w.removed);
			ST(&ac->gen, LD(&ac->gen) + 1);
		}
		seqlock_write_end(&ac->seq);
		arena_mutex_unlock(&ac->lock.m);
		total += (int)w.removed;
	}
	free(w.subj);
	return (total);
}

/* Hand one node's entries to a dump callback. */
static int
sublist_dump_visit(struct sublist_walker *w, uint32_t off)
{
	struct sublist_node	*n = arena_ptr(w->a, off);
	struct sublist_sdest	*sd;
	struct sublist_sgroup	*g;
	struct sublist_dest	 d;
	uint32_t		 i, j, qlen;
	int			 rc;

	if (LD(&n->nplain) > 0) {
		sd = SUBLIST_VEC_DESTS((struct sublist_vec *)arena_ptr(w->a,
		    LD(&n->plain)));
		for (i = 0; i < LD(&n->nplain); i++) {
			sublist_sdest_load(&sd[i], &d);
			if ((rc = w->cb(w->subj, w->sublen, NULL, 0, &d,
			    w->arg)) != 0)
				return (rc);
		}
	}
	for (i = 0; i < LD(&n->ngroups); i++) {
		g = SUBLIST_NODE_GROUPS(w->a, n) + i;
		qlen = LD(&g->namelen);
		if (qlen + 1 > w->qcap)
			w->qname = xreallocarray(w->qname, 1,
			    w->qcap = qlen + 64);
		sublist_words_load(w->qname, arena_ptr(w->a, LD(&g->name)),
		    qlen);
		w->qname[qlen] = '\0';
		sd = SUBLIST_VEC_DESTS((struct sublist_vec *)arena_ptr(w->a,
		    LD(&g->members)));
		for (j = 0; j < LD(&g->nmembers); j++) {
			sublist_sdest_load(&sd[j], &d);
			if ((rc = w->cb(w->subj, w->sublen, w->qname, qlen,
			    &d, w->arg)) != 0)
				return (rc);
		}
	}
	return (0);
}

/*
 * sublist_dump - call @cb for every entry of an account
 *
 * @cb gets (subject, length, queue or NULL, length, dest, @arg), the
 * strings NUL-terminated and valid only during the call; a non-zero
 * return stops the dump. For monitoring (/subsz) and tests.
 * Context: takes the account's lock: @cb must not call into the sublist
 * for the same account.
 * Return: 0, what @cb returned to stop, or -1 with errno EINVAL.
 */
int
sublist_dump(struct arena *a, int acc, sublist_dump_cb cb, void *arg)
{
	struct sublist_walker	 w;
	struct sublist_acct	*ac;
	int			 rc;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (-1);
	memset(&w, 0, sizeof(w));
	w.a = a;
	w.ac = ac;
	w.visit = sublist_dump_visit;
	w.cb = cb;
	w.arg = arg;
	sublist_acct_lock(a, ac);
	rc = sublist_traverse(&w, 0);
	arena_mutex_unlock(&ac->lock.m);
	free(w.subj);
	free(w.qname);
	return (rc);
}
