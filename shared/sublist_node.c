/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/sublist_node.c: the building blocks of the subscription tries
 * in shared memory: nodes, their children tables (open addressing),
 * vectors of destinations and queue groups. Writers only, under the
 * account's lock and inside its write section.
 */

#include "config.h"

#include <sys/types.h>

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "sublist.h"
#include "sublist_int.h"

static int	 sublist_table_resize(struct arena *, struct sublist_node *,
		    uint32_t);
static void	 sublist_table_del(struct arena *, struct sublist_node *,
		    uint32_t);
static uint32_t	 sublist_vec_alloc(struct arena *, uint32_t, size_t);
static int	 sublist_vec_resize(struct arena *, _Atomic uint32_t *,
		    uint32_t, uint32_t, size_t);
static size_t	 sublist_vec_size(uint32_t, size_t);
static void	 sublist_idx_build(struct sublist_vec *, uint32_t);
static void	 sublist_sdest_store(struct sublist_sdest *,
		    const struct sublist_dest *);

/*
 * sublist_hash - hash a token, a queue name or a subject
 *
 * The same function in every process (all are forked from one binary),
 * over 8-byte words: tokens are short, this is on the publish path.
 * Return: a 32-bit hash.
 */
uint32_t
sublist_hash(const char *s, size_t len)
{
	uint64_t	h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	h *= 0x94d049bb133111ebULL;
	return ((uint32_t)(h ^ (h >> 32)));
}

/*
 * sublist_words_store - store bytes as zero-padded atomic words
 *
 * Tokens and queue names live in shared memory as words so that readers
 * compare and copy them with atomic loads.
 */
void
sublist_words_store(_Atomic uint64_t *w, const char *s, size_t len)
{
	uint64_t	x;

	for (; len >= 8; s += 8, len -= 8, w++) {
		memcpy(&x, s, 8);
		ST(w, x);
	}
	if (len > 0) {
		x = 0;
		memcpy(&x, s, len);
		ST(w, x);
	}
}

/*
 * sublist_words_equal - compare stored words with private bytes
 * Return: 1 if the @len bytes are equal, 0 if not.
 */
int
sublist_words_equal(const _Atomic uint64_t *w, const char *s, size_t len)
{
	uint64_t	x;

	for (; len >= 8; s += 8, len -= 8, w++) {
		memcpy(&x, s, 8);
		if (LD(w) != x)
			return (0);
	}
	if (len > 0) {
		x = 0;
		memcpy(&x, s, len);
		if (LD(w) != x)
			return (0);
	}
	return (1);
}

/*
 * sublist_words_load - copy @len bytes of stored words out
 */
void
sublist_words_load(char *s, const _Atomic uint64_t *w, size_t len)
{
	uint64_t	x;

	for (; len >= 8; s += 8, len -= 8, w++) {
		x = LD(w);
		memcpy(s, &x, 8);
	}
	if (len > 0) {
		x = LD(w);
		memcpy(s, &x, len);
	}
}


size_t
sublist_node_size(size_t toklen)
{
	size_t	n;

	n = sizeof(struct sublist_node) + SUBLIST_ROUND8(toklen);
	return (n < SUBLIST_NODE_MIN ? SUBLIST_NODE_MIN : n);
}

/*
 * sublist_node_new - allocate and fill a node for a token
 *
 * Context: account lock held, in a write section.
 * Return: its offset, or 0 if the arena is full.
 */
uint32_t
sublist_node_new(struct arena *a, struct sublist_acct *ac, const char *tok,
    size_t len, uint32_t hash)
{
	struct sublist_node	*n;
	uint32_t		 off;

	if ((off = arena_alloc(a, sublist_node_size(len))) == 0)
		return (0);
	n = arena_ptr(a, off);
	ST(&n->hash, hash);
	ST(&n->toklen, (uint32_t)len);
	ST(&n->table, 0);
	ST(&n->tmask, 0);
	ST(&n->tcount, 0);
	ST(&n->pwc, 0);
	ST(&n->fwc, 0);
	ST(&n->plain, 0);
	ST(&n->nplain, 0);
	ST(&n->groups, 0);
	ST(&n->ngroups, 0);
	sublist_words_store(n->tok, tok, len);
	ST(&ac->nodes, LD(&ac->nodes) + 1);
	return (off);
}

/* Free an empty, childless node. */
void
sublist_node_free(struct arena *a, struct sublist_acct *ac, uint32_t off)
{
	struct sublist_node	*n = arena_ptr(a, off);
	uint32_t		 table;

	if ((table = LD(&n->table)) != 0)
		arena_free(a, table, ((size_t)LD(&n->tmask) + 1) *
		    sizeof(struct sublist_slot));
	arena_free(a, off, sublist_node_size(LD(&n->toklen)));
	ST(&ac->nodes, LD(&ac->nodes) - 1);
}

int
sublist_node_empty(struct arena *a, uint32_t off)
{
	struct sublist_node	*n = arena_ptr(a, off);

	return (LD(&n->tcount) == 0 && LD(&n->pwc) == 0 &&
	    LD(&n->fwc) == 0 && LD(&n->nplain) == 0 &&
	    LD(&n->ngroups) == 0);
}

/*
 * sublist_child_find - the child of a node for a subscription token
 *
 * Context: account lock held. "*" and ">" are the wildcard children.
 * Return: the child's offset, or 0 if there is none.
 */
uint32_t
sublist_child_find(struct arena *a, uint32_t off, const char *tok,
    size_t len, uint32_t hash)
{
	struct sublist_node	*n = arena_ptr(a, off), *c;
	struct sublist_slot	*slots;
	uint32_t		 mask, i, probes, child;

	if (len == 1 && tok[0] == '*')
		return (LD(&n->pwc));
	if (len == 1 && tok[0] == '>')
		return (LD(&n->fwc));
	if ((slots = arena_ptr(a, LD(&n->table))) == NULL)
		return (0);
	mask = LD(&n->tmask);
	for (i = hash & mask, probes = 0; probes <= mask;
	    probes++, i = (i + 1) & mask) {
		if ((child = LD(&slots[i].node)) == 0)
			return (0);
		if (LD(&slots[i].hash) != hash)
			continue;
		c = arena_ptr(a, child);
		if (LD(&c->toklen) == len &&
		    sublist_words_equal(c->tok, tok, len))
			return (child);
	}
	return (0);
}

/*
 * sublist_child_link - hang a new child under a node
 *
 * Context: account lock held, in a write section. Tables hold 1 slot,
 * then 4, doubling past three quarters full.
 * Return: 0, or -1 if the arena is full (nothing changed).
 */
int
sublist_child_link(struct arena *a, uint32_t off, const char *tok,
    size_t len, uint32_t child)
{
	struct sublist_node	*n = arena_ptr(a, off);
	struct sublist_slot	*slots;
	uint32_t		 count, cap, mask, hash, i;

	if (len == 1 && tok[0] == '*') {
		ST(&n->pwc, child);
		return (0);
	}
	if (len == 1 && tok[0] == '>') {
		ST(&n->fwc, child);
		return (0);
	}
	count = LD(&n->tcount);
	cap = LD(&n->table) == 0 ? 0 : LD(&n->tmask) + 1;
	if (cap == 0 || (cap == 1 && count == 1) ||
	    (cap > 1 && (count + 1) * 4 > cap * 3)) {
		if (cap >= SUBLIST_MAX_TABLE)
			return (-1);
		if (sublist_table_resize(a, n, cap == 0 ? 1 :
		    cap == 1 ? 4 : cap * 2) == -1)
			return (-1);
	}
	slots = arena_ptr(a, LD(&n->table));
	mask = LD(&n->tmask);
	hash = LD(&((struct sublist_node *)arena_ptr(a, child))->hash);
	for (i = hash & mask; LD(&slots[i].node) != 0; i = (i + 1) & mask)
		;
	ST(&slots[i].hash, hash);
	ST(&slots[i].node, child);
	ST(&n->tcount, count + 1);
	return (0);
}

/*
 * sublist_child_unlink - take a child away from its parent
 * Context: account lock held, in a write section.
 */
void
sublist_child_unlink(struct arena *a, uint32_t off, uint32_t child)
{
	struct sublist_node	*n = arena_ptr(a, off);

	if (LD(&n->pwc) == child)
		ST(&n->pwc, 0);
	else if (LD(&n->fwc) == child)
		ST(&n->fwc, 0);
	else
		sublist_table_del(a, n, child);
}

/*
 * sublist_table_resize - move a node's children to a table of @cap slots
 *
 * Context: account lock held, in a write section. The old table is
 * freed at once: readers still probing it will retry.
 * Return: 0, or -1 if the arena is full (nothing changed).
 */
static int
sublist_table_resize(struct arena *a, struct sublist_node *n, uint32_t cap)
{
	struct sublist_slot	*old, *new;
	uint32_t		 noff, oldcap, mask, i, j, c;

	if ((noff = arena_alloc(a, (size_t)cap *
	    sizeof(struct sublist_slot))) == 0)
		return (-1);
	new = arena_ptr(a, noff);
	mask = cap - 1;
	for (i = 0; i < cap; i++) {
		ST(&new[i].hash, 0);
		ST(&new[i].node, 0);
	}
	old = arena_ptr(a, LD(&n->table));
	oldcap = old == NULL ? 0 : LD(&n->tmask) + 1;
	for (i = 0; i < oldcap; i++) {
		if ((c = LD(&old[i].node)) == 0)
			continue;
		for (j = LD(&old[i].hash) & mask; LD(&new[j].node) != 0;
		    j = (j + 1) & mask)
			;
		ST(&new[j].hash, LD(&old[i].hash));
		ST(&new[j].node, c);
	}
	ST(&n->table, noff);
	ST(&n->tmask, mask);
	if (old != NULL)
		arena_free(a, (uint32_t)((char *)old - a->base),
		    (size_t)oldcap * sizeof(struct sublist_slot));
	return (0);
}

/*
 * sublist_table_del - remove a child from a node's table
 *
 * Context: account lock held, in a write section. Linear probing with
 * backward-shift deletion: no tombstones, so probes stay short. The
 * table goes when empty and halves when an eighth full.
 */
static void
sublist_table_del(struct arena *a, struct sublist_node *n, uint32_t child)
{
	struct sublist_slot	*slots = arena_ptr(a, LD(&n->table));
	uint32_t		 mask, i, j, k, probes, count, cap;

	if (slots == NULL)
		fatalx("sublist: unlink from a node without children");
	mask = LD(&n->tmask);
	i = LD(&((struct sublist_node *)arena_ptr(a, child))->hash) & mask;
	for (probes = 0; probes <= mask; probes++, i = (i + 1) & mask)
		if (LD(&slots[i].node) == child)
			break;
	if (probes > mask)
		fatalx("sublist: child %u not in its parent's table", child);
	for (j = i;;) {
		j = (j + 1) & mask;
		if (j == i || LD(&slots[j].node) == 0)
			break;
		k = LD(&slots[j].hash) & mask;
		/* An entry whose home lies cyclically in (i, j] stays. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		ST(&slots[i].hash, LD(&slots[j].hash));
		ST(&slots[i].node, LD(&slots[j].node));
		i = j;
	}
	ST(&slots[i].node, 0);
	ST(&slots[i].hash, 0);
	count = LD(&n->tcount) - 1;
	ST(&n->tcount, count);
	cap = mask + 1;
	if (count == 0) {
		ST(&n->table, 0);
		ST(&n->tmask, 0);
		arena_free(a, (uint32_t)((char *)slots - a->base),
		    (size_t)cap * sizeof(struct sublist_slot));
	} else if (cap > 8 && count * 8 <= cap)
		(void)sublist_table_resize(a, n, cap / 2);
}

/*
 * The bytes of a vector of cap elements of elsize bytes: destinations
 * (struct sublist_sdest) from SUBLIST_VEC_INDEXED on carry an index.
 */
static size_t
sublist_vec_size(uint32_t cap, size_t elsize)
{
	size_t	 size = sizeof(struct sublist_vec) + (size_t)cap * elsize;

	if (elsize == sizeof(struct sublist_sdest) &&
	    cap >= SUBLIST_VEC_INDEXED)
		size += 2 * (size_t)cap * sizeof(uint32_t);
	return (size);
}

/* The index of a destination vector, or NULL if it has none. */
static inline uint32_t *
sublist_idx(struct sublist_vec *v, uint32_t cap)
{
	if (cap < SUBLIST_VEC_INDEXED)
		return (NULL);
	return ((uint32_t *)(void *)(SUBLIST_VEC_DESTS(v) + cap));
}

/* Where (worker, handle) starts probing in an index of mask + 1 slots. */
static inline uint32_t
sublist_idx_home(const struct sublist_dest *d, uint32_t mask)
{
	uint64_t	x = d->handle ^ (uint64_t)d->worker << 48;

	x *= 0x9e3779b97f4a7c15ULL;
	return ((uint32_t)(x >> 32) & mask);
}

/*
 * The slot of the index holding position i of the vector (whose element
 * is d). The index always holds every position: the probe ends there.
 */
static uint32_t
sublist_idx_slot(const uint32_t *idx, uint32_t mask,
    const struct sublist_dest *d, uint32_t i)
{
	uint32_t	s = sublist_idx_home(d, mask);

	while (idx[s] != i + 1)
		s = (s + 1) & mask;
	return (s);
}

static void
sublist_idx_put(uint32_t *idx, uint32_t mask, const struct sublist_dest *d,
    uint32_t i)
{
	uint32_t	s = sublist_idx_home(d, mask);

	while (idx[s] != 0)
		s = (s + 1) & mask;
	idx[s] = i + 1;
}

/*
 * Empty slot s and shift later entries of its cluster back, so that no
 * probe crosses a hole (no tombstones).
 */
static void
sublist_idx_clear(uint32_t *idx, uint32_t mask, const struct sublist_sdest *sd,
    uint32_t s)
{
	struct sublist_dest	d;
	uint32_t		j = s, k = s, home;

	for (;;) {
		idx[j] = 0;
		for (;;) {
			k = (k + 1) & mask;
			if (idx[k] == 0)
				return;
			sublist_sdest_load(&sd[idx[k] - 1], &d);
			home = sublist_idx_home(&d, mask);
			/* May k's entry move to j: is home outside (j, k]? */
			if (j <= k ? (home <= j || home > k) :
			    (home <= j && home > k))
				break;
		}
		idx[j] = idx[k];
		j = k;
	}
}

/* Index the first n elements of v from scratch. */
static void
sublist_idx_build(struct sublist_vec *v, uint32_t n)
{
	struct sublist_sdest	*sd = SUBLIST_VEC_DESTS(v);
	struct sublist_dest	 d;
	uint32_t		 cap = LD(&v->cap), *idx, mask, i;

	if ((idx = sublist_idx(v, cap)) == NULL)
		return;
	mask = 2 * cap - 1;
	memset(idx, 0, 2 * (size_t)cap * sizeof(*idx));
	for (i = 0; i < n; i++) {
		sublist_sdest_load(&sd[i], &d);
		sublist_idx_put(idx, mask, &d, i);
	}
}

static uint32_t
sublist_vec_alloc(struct arena *a, uint32_t cap, size_t elsize)
{
	struct sublist_vec	*v;
	uint32_t		 off;

	if ((off = arena_alloc(a, sublist_vec_size(cap, elsize))) == 0)
		return (0);
	v = arena_ptr(a, off);
	ST(&v->cap, cap);
	return (off);
}

/*
 * sublist_vec_resize - move the @n first elements of a vector to a new
 * one of @cap elements of @elsize bytes (a multiple of 8)
 *
 * Context: account lock held, in a write section.
 * Return: 0, or -1 if the arena is full (nothing changed).
 */
static int
sublist_vec_resize(struct arena *a, _Atomic uint32_t *voff, uint32_t n,
    uint32_t cap, size_t elsize)
{
	struct sublist_vec	*old, *new;
	_Atomic uint64_t	*from, *to;
	uint32_t		 noff, oldcap;
	size_t			 i;

	if ((noff = sublist_vec_alloc(a, cap, elsize)) == 0)
		return (-1);
	new = arena_ptr(a, noff);
	if ((old = arena_ptr(a, LD(voff))) != NULL) {
		from = (_Atomic uint64_t *)(void *)(old + 1);
		to = (_Atomic uint64_t *)(void *)(new + 1);
		for (i = 0; i < n * elsize / 8; i++)
			ST(&to[i], LD(&from[i]));
		oldcap = LD(&old->cap);
		arena_free(a, LD(voff), sublist_vec_size(oldcap, elsize));
	}
	if (elsize == sizeof(struct sublist_sdest))
		sublist_idx_build(new, n);
	ST(voff, noff);
	return (0);
}

static void
sublist_sdest_store(struct sublist_sdest *sd, const struct sublist_dest *d)
{
	uint64_t	w[2];

	memcpy(w, d, sizeof(w));
	ST(&sd->w[0], w[0]);
	ST(&sd->w[1], w[1]);
}

void
sublist_sdest_load(const struct sublist_sdest *sd, struct sublist_dest *d)
{
	uint64_t	w[2];

	w[0] = LD(&sd->w[0]);
	w[1] = LD(&sd->w[1]);
	memcpy(d, w, sizeof(w));
}

/*
 * sublist_dests_add - append a destination to a vector
 * @voff, @np: the vector's offset and count, in a node or a group
 *
 * Context: account lock held, in a write section.
 * Return: 0, or -1 if the arena is full (nothing changed).
 */
int
sublist_dests_add(struct arena *a, _Atomic uint32_t *voff,
    _Atomic uint32_t *np, const struct sublist_dest *d)
{
	struct sublist_vec	*v;
	uint32_t		 n = LD(np), cap, *idx;

	v = arena_ptr(a, LD(voff));
	cap = v == NULL ? 0 : LD(&v->cap);
	if (n == cap) {
		if (cap >= SUBLIST_MAX_VEC || sublist_vec_resize(a, voff, n,
		    cap == 0 ? 2 : cap * 2, sizeof(struct sublist_sdest)) == -1)
			return (-1);
		v = arena_ptr(a, LD(voff));
	}
	sublist_sdest_store(SUBLIST_VEC_DESTS(v) + n, d);
	cap = LD(&v->cap);
	if ((idx = sublist_idx(v, cap)) != NULL)
		sublist_idx_put(idx, 2 * cap - 1, d, n);
	ST(np, n + 1);
	return (0);
}

/*
 * sublist_dests_del - remove the destination at index @i
 *
 * Context: account lock held, in a write section. The last one moves
 * into the hole; the vector goes when empty, halves when a quarter full.
 */
void
sublist_dests_del(struct arena *a, _Atomic uint32_t *voff,
    _Atomic uint32_t *np, uint32_t i)
{
	struct sublist_vec	*v = arena_ptr(a, LD(voff));
	struct sublist_sdest	*sd = SUBLIST_VEC_DESTS(v);
	struct sublist_dest	 d;
	uint32_t		 n = LD(np) - 1, cap = LD(&v->cap), *idx;
	uint32_t		 mask = 2 * cap - 1;

	if ((idx = sublist_idx(v, cap)) != NULL) {
		sublist_sdest_load(&sd[i], &d);
		sublist_idx_clear(idx, mask, sd,
		    sublist_idx_slot(idx, mask, &d, i));
	}
	if (i != n) {
		sublist_sdest_load(&sd[n], &d);
		sublist_sdest_store(&sd[i], &d);
		if (idx != NULL)
			idx[sublist_idx_slot(idx, mask, &d, n)] = i + 1;
	}
	ST(np, n);
	if (n == 0) {
		ST(voff, 0);
		arena_free(a, (uint32_t)((char *)v - a->base),
		    sublist_vec_size(cap, sizeof(*sd)));
	} else if (cap >= 16 && n * 4 <= cap)
		(void)sublist_vec_resize(a, voff, n, cap / 2, sizeof(*sd));
}

/*
 * sublist_dests_find - the index of (worker, handle) in a vector
 * Return: the index, or -1.
 */
int
sublist_dests_find(struct arena *a, uint32_t voff, uint32_t n,
    const struct sublist_dest *d)
{
	struct sublist_vec	*v;
	struct sublist_sdest	*sd;
	struct sublist_dest	 e;
	uint32_t		 i, s, mask, *idx;

	if (n == 0)
		return (-1);
	v = arena_ptr(a, voff);
	sd = SUBLIST_VEC_DESTS(v);
	if ((idx = sublist_idx(v, LD(&v->cap))) != NULL) {
		mask = 2 * LD(&v->cap) - 1;
		for (s = sublist_idx_home(d, mask); idx[s] != 0;
		    s = (s + 1) & mask) {
			sublist_sdest_load(&sd[idx[s] - 1], &e);
			if (e.worker == d->worker && e.handle == d->handle)
				return ((int)idx[s] - 1);
		}
		return (-1);
	}
	for (i = 0; i < n; i++) {
		sublist_sdest_load(&sd[i], &e);
		if (e.worker == d->worker && e.handle == d->handle)
			return ((int)i);
	}
	return (-1);
}

/*
 * sublist_dests_purge - remove every destination of a worker
 * Return: how many went.
 */
uint32_t
sublist_dests_purge(struct arena *a, _Atomic uint32_t *voff,
    _Atomic uint32_t *np, uint16_t worker)
{
	struct sublist_sdest	*sd;
	struct sublist_dest	 e;
	uint32_t		 i, removed = 0;

	for (i = LD(np); i-- > 0;) {
		sd = SUBLIST_VEC_DESTS((struct sublist_vec *)arena_ptr(a,
		    LD(voff)));
		sublist_sdest_load(&sd[i], &e);
		if (e.worker == worker) {
			sublist_dests_del(a, voff, np, i);
			removed++;
		}
	}
	return (removed);
}

/*
 * sublist_group_find - the index of a queue group in a node
 * Return: the index, or -1.
 */
int
sublist_group_find(struct arena *a, struct sublist_node *n, const char *q,
    size_t qlen, uint32_t hash)
{
	struct sublist_sgroup	*g;
	uint32_t		 i, ng = LD(&n->ngroups);

	if (ng == 0)
		return (-1);
	g = SUBLIST_VEC_GROUPS((struct sublist_vec *)arena_ptr(a,
	    LD(&n->groups)));
	for (i = 0; i < ng; i++) {
		if (LD(&g[i].hash) == hash && LD(&g[i].namelen) == qlen &&
		    sublist_words_equal(arena_ptr(a, LD(&g[i].name)), q, qlen))
			return ((int)i);
	}
	return (-1);
}

/*
 * sublist_group_add - add an empty queue group to a node
 *
 * Context: account lock held, in a write section.
 * Return: its index, or -1 if the arena is full (nothing changed).
 */
int
sublist_group_add(struct arena *a, struct sublist_node *n, const char *q,
    size_t qlen, uint32_t hash)
{
	struct sublist_vec	*v;
	struct sublist_sgroup	*g;
	uint32_t		 ng = LD(&n->ngroups), cap, name;

	v = arena_ptr(a, LD(&n->groups));
	cap = v == NULL ? 0 : LD(&v->cap);
	if ((name = arena_alloc(a, SUBLIST_ROUND8(qlen))) == 0)
		return (-1);
	if (ng == cap && (cap >= SUBLIST_MAX_VEC || sublist_vec_resize(a,
	    &n->groups, ng, cap == 0 ? 1 : cap * 2,
	    sizeof(struct sublist_sgroup)) == -1)) {
		arena_free(a, name, SUBLIST_ROUND8(qlen));
		return (-1);
	}
	sublist_words_store(arena_ptr(a, name), q, qlen);
	g = SUBLIST_VEC_GROUPS((struct sublist_vec *)arena_ptr(a,
	    LD(&n->groups))) + ng;
	ST(&g->hash, hash);
	ST(&g->namelen, (uint32_t)qlen);
	ST(&g->name, name);
	ST(&g->members, 0);
	ST(&g->nmembers, 0);
	ST(&n->ngroups, ng + 1);
	return ((int)ng);
}

/*
 * sublist_group_del - remove an empty queue group from a node
 * Context: account lock held, in a write section.
 */
void
sublist_group_del(struct arena *a, struct sublist_node *n, uint32_t i)
{
	struct sublist_vec	*v = arena_ptr(a, LD(&n->groups));
	struct sublist_sgroup	*g = SUBLIST_VEC_GROUPS(v);
	uint32_t		 last = LD(&n->ngroups) - 1;

	arena_free(a, LD(&g[i].name), SUBLIST_ROUND8(LD(&g[i].namelen)));
	if (i != last) {
		ST(&g[i].hash, LD(&g[last].hash));
		ST(&g[i].namelen, LD(&g[last].namelen));
		ST(&g[i].name, LD(&g[last].name));
		ST(&g[i].members, LD(&g[last].members));
		ST(&g[i].nmembers, LD(&g[last].nmembers));
	}
	ST(&n->ngroups, last);
	if (last == 0) {
		ST(&n->groups, 0);
		arena_free(a, (uint32_t)((char *)v - a->base), sizeof(*v) +
		    LD(&v->cap) * sizeof(*g));
	}
}

