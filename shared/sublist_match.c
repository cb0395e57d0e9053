/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/sublist_match.c: the readers' side of the subscription tries:
 * the lock-free match every PUB runs, its private results, and the
 * per-worker match cache. Nothing here writes shared memory except on
 * the locked fallback after a dead writer.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "seqlock.h"
#include "sublist.h"
#include "sublist_int.h"
#include "xmalloc.h"

#define SUBLIST_READ_TRIES	32	/* lock-free tries before locking */
#define SUBLIST_CHECK_EVERY	128	/* walk steps between checks */
#define SUBLIST_NONE		UINT32_MAX

/* A token of the subject being matched, in private memory. */
struct sublist_tok {
	const char	*p;
	uint32_t	 len;
	uint32_t	 hash;
};

/* One walk of a trie: lock-free (checked) or under the lock. */
struct sublist_walk {
	struct arena		*a;
	struct sublist_acct	*ac;
	struct sublist_result	*r;
	size_t			 ntok;
	uint32_t		 start;		/* sequence sampled */
	int			 locked;
	uint32_t		 steps;
	uint32_t		 nodes;		/* budget: nodes */
	uint32_t		 entries;	/* budget: entries to copy */
};

#define SUBLIST_CACHE_WAYS	4	/* entries a subject may go to */

/* One entry of a match cache. */
struct sublist_centry {
	uint64_t		gen;
	uint64_t		used;		/* tick of the last hit */
	int			acc;		/* -1: empty */
	uint32_t		hash;
	uint32_t		slen;
	char			subj[SUBLIST_CACHE_SUBJECT];
	struct sublist_result	res;
};

/*
 * A worker's private match cache: set-associative on a hash of
 * (account, subject), least recently used way evicted.
 */
struct sublist_cache {
	struct sublist_centry	e[SUBLIST_CACHE_SIZE];
	struct sublist_result	bypass;
	uint64_t		tick;
	/* The account last asked for: accounts never move or go away. */
	struct arena		*last_a;
	char			*last_base;	/* last_a's mapping */
	int			 last_acc;
	struct sublist_acct	*last_ac;
	struct sublist_centry	*hit;		/* the entry last returned */
};

static void	 sublist_pause(void);
static void	*sublist_grow(void *, size_t *, size_t, size_t);
static size_t	 sublist_tokenize(struct sublist_result *, const char *,
		    size_t);
static int	 sublist_walk_check(struct sublist_walk *);
static struct sublist_node *sublist_walk_node(struct sublist_walk *,
		    uint32_t);
static int	 sublist_walk_child(struct sublist_walk *,
		    const struct sublist_node *, const struct sublist_tok *,
		    uint32_t *);
static int	 sublist_walk_dests(struct sublist_walk *, uint32_t,
		    uint32_t, struct sublist_dest **, size_t *, size_t *);
static int	 sublist_walk_groups(struct sublist_walk *,
		    const struct sublist_node *);
static int	 sublist_walk_subs(struct sublist_walk *,
		    const struct sublist_node *);
static int	 sublist_walk(struct sublist_walk *);
static void	 sublist_result_clear(struct sublist_result *);
static void	 sublist_result_merge(struct sublist_result *);

static void
sublist_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/*
 * sublist_grow - make a private array hold at least @need elements
 * Return: the array, maybe moved; *cap updated.
 */
static void *
sublist_grow(void *p, size_t *cap, size_t need, size_t elsize)
{
	size_t	ncap;

	if (need <= *cap)
		return (p);
	ncap = *cap < 8 ? 8 : *cap * 2;
	if (ncap < need)
		ncap = need;
	p = xreallocarray(p, ncap, elsize);
	*cap = ncap;
	return (p);
}

void
sublist_result_init(struct sublist_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
sublist_result_free(struct sublist_result *r)
{
	free(r->plain);
	free(r->groups);
	free(r->members);
	free(r->names);
	free(r->toks);
	free(r->stack);
	free(r->scratch);
	free(r->spare);
	sublist_result_init(r);
}

static void
sublist_result_clear(struct sublist_result *r)
{
	r->nplain = 0;
	r->ngroups = 0;
	r->nmembers = 0;
	r->nameslen = 0;
}

/*
 * sublist_tokenize - split a published subject into r->toks
 *
 * Private memory only. As nats-server, a subject with an empty token
 * (or empty altogether) matches nothing.
 * Return: the number of tokens, 0 if the subject cannot match.
 */
static size_t
sublist_tokenize(struct sublist_result *r, const char *subj, size_t slen)
{
	const char	*tok = subj, *end = subj + slen, *dot;
	size_t		 n = 0;

	if (slen == 0)
		return (0);
	for (; tok <= end; tok = dot + 1) {
		if ((dot = memchr(tok, '.', end - tok)) == NULL)
			dot = end;
		if (dot == tok)
			return (0);
		r->toks = sublist_grow(r->toks, &r->tokscap, n + 1,
		    sizeof(*r->toks));
		r->toks[n].p = tok;
		r->toks[n].len = (uint32_t)(dot - tok);
		r->toks[n].hash = sublist_hash(tok, dot - tok);
		n++;
	}
	return (n);
}

/*
 * sublist_walk_check - whether what was read so far is still good
 *
 * Return: 0 if under the lock or no writer came by since the start of
 * the section, -1 if the walk must be thrown away.
 */
static int
sublist_walk_check(struct sublist_walk *w)
{
	if (w->locked)
		return (0);
	return (seqlock_read_retry(&w->ac->seq, w->start) ? -1 : 0);
}

/*
 * sublist_walk_node - an untrusted node offset to a node
 *
 * Counts against the node budget (a consistent trie has ac->nodes + 1
 * nodes: visiting more means the walk is looping in torn data) and
 * every so often checks the sequence, so a walk through garbage ends
 * soon after its writer began.
 * Return: the node, or NULL if the walk must be thrown away.
 */
static struct sublist_node *
sublist_walk_node(struct sublist_walk *w, uint32_t off)
{
	if (w->nodes-- == 0)
		return (NULL);
	if (++w->steps % SUBLIST_CHECK_EVERY == 0 &&
	    sublist_walk_check(w) == -1)
		return (NULL);
	return (arena_ptr_checked(w->a, off, sizeof(struct sublist_node),
	    SUBLIST_NODE_MIN));
}

/*
 * sublist_walk_child - find a node's literal child for a token
 * @child: set to the child, or 0 if there is none
 * Return: 0, or -1 if the walk must be thrown away.
 */
static int
sublist_walk_child(struct sublist_walk *w, const struct sublist_node *n,
    const struct sublist_tok *t, uint32_t *child)
{
	const struct sublist_slot	*slots;
	const struct sublist_node	*c;
	uint32_t			 table, mask, i, probes, off;

	*child = 0;
	if ((table = LD(&n->table)) == 0)
		return (0);
	mask = LD(&n->tmask);
	if (mask >= SUBLIST_MAX_TABLE || (mask & (mask + 1)) != 0)
		return (-1);
	slots = arena_ptr_checked(w->a, table, ((size_t)mask + 1) *
	    sizeof(*slots), ARENA_ALIGN);
	if (slots == NULL)
		return (-1);
	for (i = t->hash & mask, probes = 0; probes <= mask;
	    probes++, i = (i + 1) & mask) {
		if (++w->steps % SUBLIST_CHECK_EVERY == 0 &&
		    sublist_walk_check(w) == -1)
			return (-1);
		if ((off = LD(&slots[i].node)) == 0)
			return (0);
		if (LD(&slots[i].hash) != t->hash)
			continue;
		c = arena_ptr_checked(w->a, off, sizeof(*c) +
		    SUBLIST_ROUND8(t->len), SUBLIST_NODE_MIN);
		if (c == NULL)
			return (-1);
		if (LD(&c->toklen) == t->len &&
		    sublist_words_equal(c->tok, t->p, t->len)) {
			*child = off;
			return (0);
		}
	}
	return (0);
}

/*
 * sublist_walk_dests - copy a vector of @n destinations to a private array
 * Return: 0, or -1 if the walk must be thrown away.
 */
static int
sublist_walk_dests(struct sublist_walk *w, uint32_t voff, uint32_t n,
    struct sublist_dest **arr, size_t *len, size_t *cap)
{
	const struct sublist_vec	*v;
	const struct sublist_sdest	*sd;
	uint32_t			 i;

	if (n > w->entries)
		return (-1);
	w->entries -= n;
	v = arena_ptr_checked(w->a, voff, sizeof(*v) + (size_t)n *
	    sizeof(*sd), ARENA_ALIGN);
	if (v == NULL || n > LD(&v->cap))
		return (-1);
	if (*len + n > *cap) {
		/* Allocate only for a size known to be real. */
		if (sublist_walk_check(w) == -1)
			return (-1);
		*arr = sublist_grow(*arr, cap, *len + n, sizeof(**arr));
	}
	sd = SUBLIST_VEC_DESTS(v);
	for (i = 0; i < n; i++)
		sublist_sdest_load(&sd[i], &(*arr)[*len + i]);
	*len += n;
	return (0);
}

/*
 * sublist_walk_groups - copy a node's queue groups and their members
 * Return: 0, or -1 if the walk must be thrown away.
 */
static int
sublist_walk_groups(struct sublist_walk *w, const struct sublist_node *n)
{
	struct sublist_result		*r = w->r;
	const struct sublist_vec	*v;
	const struct sublist_sgroup	*sg;
	const _Atomic uint64_t		*name;
	struct sublist_group		*g;
	uint32_t			 ng, i, nm, namelen;

	ng = LD(&n->ngroups);
	v = arena_ptr_checked(w->a, LD(&n->groups), sizeof(*v) +
	    (size_t)ng * sizeof(*sg), ARENA_ALIGN);
	if (v == NULL || ng > LD(&v->cap))
		return (-1);
	sg = SUBLIST_VEC_GROUPS(v);
	for (i = 0; i < ng; i++) {
		if ((nm = LD(&sg[i].nmembers)) == 0)
			continue;
		namelen = LD(&sg[i].namelen);
		if (namelen == 0 || namelen > SUBLIST_SUBJECT_MAX)
			return (-1);
		name = arena_ptr_checked(w->a, LD(&sg[i].name),
		    SUBLIST_ROUND8(namelen), ARENA_ALIGN);
		if (name == NULL)
			return (-1);
		if (r->ngroups == r->groupscap ||
		    r->nameslen + namelen + 1 > r->namescap) {
			if (sublist_walk_check(w) == -1)
				return (-1);
			r->groups = sublist_grow(r->groups, &r->groupscap,
			    r->ngroups + 1, sizeof(*r->groups));
			r->names = sublist_grow(r->names, &r->namescap,
			    r->nameslen + namelen + 1, 1);
		}
		g = &r->groups[r->ngroups];
		g->hash = LD(&sg[i].hash);
		g->name = (uint32_t)r->nameslen;
		g->namelen = namelen;
		g->start = (uint32_t)r->nmembers;
		g->count = nm;
		sublist_words_load(r->names + r->nameslen, name, namelen);
		r->names[r->nameslen + namelen] = '\0';
		if (sublist_walk_dests(w, LD(&sg[i].members), nm, &r->members,
		    &r->nmembers, &r->memberscap) == -1)
			return (-1);
		r->nameslen += namelen + 1;
		r->ngroups++;
	}
	return (0);
}

/* Copy the subscriptions of a matching node. */
static int
sublist_walk_subs(struct sublist_walk *w, const struct sublist_node *n)
{
	struct sublist_result	*r = w->r;
	uint32_t		 np;

	if ((np = LD(&n->nplain)) != 0 && sublist_walk_dests(w,
	    LD(&n->plain), np, &r->plain, &r->nplain, &r->plaincap) == -1)
		return (-1);
	if (LD(&n->ngroups) != 0 && sublist_walk_groups(w, n) == -1)
		return (-1);
	return (0);
}

/*
 * sublist_walk - collect every subscription matching r->toks
 *
 * Depth first with a private stack of (node, token index): at a node
 * for token i, the '>' child matches (the rest is one or more tokens),
 * the '*' child and the literal child go on for token i + 1. The stack
 * holds at most one entry per token index plus one, so ntok + 2 pairs.
 * Context: in a read section of w->ac (or holding its lock).
 * Return: 0, or -1 if the walk must be thrown away.
 */
static int
sublist_walk(struct sublist_walk *w)
{
	struct sublist_result	*r = w->r;
	struct sublist_node	*n, *fn;
	uint32_t		*stack = r->stack, off, i, lit;
	size_t			 sp = 0;

	sublist_result_clear(r);
	w->steps = 0;
	w->nodes = LD(&w->ac->nodes) + 1;
	w->entries = LD(&w->ac->count);
	r->gen = LD(&w->ac->gen);
	stack[sp++] = LD(&w->ac->root);
	stack[sp++] = 0;
	while (sp > 0) {
		i = stack[--sp];
		off = stack[--sp];
		if ((n = sublist_walk_node(w, off)) == NULL)
			return (-1);
		if (i == w->ntok) {
			if (sublist_walk_subs(w, n) == -1)
				return (-1);
			continue;
		}
		if ((off = LD(&n->fwc)) != 0) {
			if ((fn = sublist_walk_node(w, off)) == NULL ||
			    sublist_walk_subs(w, fn) == -1)
				return (-1);
		}
		if (sp + 4 > r->stackcap)
			return (-1);
		if ((off = LD(&n->pwc)) != 0) {
			stack[sp++] = off;
			stack[sp++] = i + 1;
		}
		if (sublist_walk_child(w, n, &r->toks[i], &lit) == -1)
			return (-1);
		if (lit != 0) {
			stack[sp++] = lit;
			stack[sp++] = i + 1;
		}
	}
	return (0);
}

/*
 * sublist_result_merge - make one group of groups with the same name
 *
 * Private memory, after the walk was validated. Most results have no
 * duplicate and pay one pass over a small hash of names.
 */
static void
sublist_result_merge(struct sublist_result *r)
{
	struct sublist_group	*g = r->groups;
	struct sublist_dest	*swap;
	uint32_t		*tab, *next, *tail, mask, i, j, h;
	size_t			 tsize, k, m, start, ndup = 0;

	if (r->ngroups < 2)
		return;
	for (tsize = 4; tsize < r->ngroups * 2; tsize *= 2)
		;
	r->scratch = sublist_grow(r->scratch, &r->scratchcap,
	    tsize + 2 * r->ngroups, sizeof(*r->scratch));
	tab = r->scratch;
	next = tab + tsize;
	tail = next + r->ngroups;
	mask = (uint32_t)tsize - 1;
	for (h = 0; h < tsize; h++)
		tab[h] = SUBLIST_NONE;
	for (i = 0; i < r->ngroups; i++) {
		next[i] = SUBLIST_NONE;
		tail[i] = i;
		for (h = g[i].hash & mask; (j = tab[h]) != SUBLIST_NONE;
		    h = (h + 1) & mask) {
			if (g[j].hash == g[i].hash &&
			    g[j].namelen == g[i].namelen &&
			    memcmp(r->names + g[j].name, r->names + g[i].name,
			    g[i].namelen) == 0)
				break;
		}
		if (j == SUBLIST_NONE) {
			tab[h] = i;
			continue;
		}
		next[tail[j]] = i;	/* j heads the chain of this name */
		tail[j] = i;
		tail[i] = SUBLIST_NONE;	/* i is a duplicate */
		ndup++;
	}
	if (ndup == 0)
		return;

	r->spare = sublist_grow(r->spare, &r->sparecap, r->nmembers,
	    sizeof(*r->spare));
	for (i = 0, k = 0, m = 0; i < r->ngroups; i++) {
		if (tail[i] == SUBLIST_NONE)
			continue;
		start = m;
		for (j = i; j != SUBLIST_NONE; j = next[j]) {
			memcpy(r->spare + m, r->members + g[j].start,
			    g[j].count * sizeof(*r->spare));
			m += g[j].count;
		}
		/* k <= i: g[k] is a head already copied, or a duplicate. */
		g[k] = g[i];
		g[k].start = (uint32_t)start;
		g[k].count = (uint32_t)(m - start);
		k++;
	}
	swap = r->members;
	r->members = r->spare;
	r->spare = swap;
	tsize = r->memberscap;
	r->memberscap = r->sparecap;
	r->sparecap = tsize;
	r->ngroups = k;
}

/*
 * sublist_match - every subscription of an account matching a subject
 * @subj, @slen: a published subject (literal; a '*' or '>' token in it
 *     is compared as text, which no literal child has, as nats-server)
 * @r: the caller's result, filled in; reused across calls
 *
 * Lock-free: samples the account's sequence, walks the trie with atomic
 * loads, checks every offset, bounds every loop, copies into @r, and
 * keeps the copy only if the sequence did not move. After
 * SUBLIST_READ_TRIES failures (a busy writer) it walks under the lock;
 * a trie found broken even then is reset (see sublist_reset()).
 * Allocates only when @r must grow.
 * Context: any process; no account lock held.
 * Return: 0, or -1 with errno EINVAL for a bad account.
 */
int
sublist_match(struct arena *a, int acc, const char *subj, size_t slen,
    struct sublist_result *r)
{
	struct sublist_walk	 w;
	struct sublist_acct	*ac;
	int			 tries;

	if ((ac = sublist_acct_get(a, acc)) == NULL)
		return (-1);
	sublist_counters.matches++;
	memset(&w, 0, sizeof(w));
	w.a = a;
	w.ac = ac;
	w.r = r;
	if ((w.ntok = sublist_tokenize(r, subj, slen)) == 0) {
		sublist_result_clear(r);
		r->gen = atomic_load_explicit(&ac->gen, memory_order_acquire);
		return (0);
	}
	r->stack = sublist_grow(r->stack, &r->stackcap, 2 * (w.ntok + 2),
	    sizeof(*r->stack));

	for (tries = 0; tries < SUBLIST_READ_TRIES; tries++) {
		w.start = seqlock_read_begin(&ac->seq);
		if (seqlock_read_busy(w.start)) {
			sublist_counters.busy++;
			sublist_pause();
			continue;
		}
		if (sublist_walk(&w) == 0 &&
		    !seqlock_read_retry(&ac->seq, w.start))
			goto done;
		sublist_counters.retries++;
	}

	sublist_counters.fallbacks++;
	sublist_acct_lock(a, ac);
	w.locked = 1;
	if (sublist_walk(&w) == -1) {
		log_warnx("sublist: account %s: trie broken, reset", ac->name);
		sublist_reset(a, ac);
		sublist_result_clear(r);
		r->gen = LD(&ac->gen);
	}
	arena_mutex_unlock(&ac->lock.m);
done:
	sublist_result_merge(r);
	return (0);
}

/*
 * sublist_cache_new - a private match cache for one process
 * Return: the cache; free with sublist_cache_free().
 */
struct sublist_cache *
sublist_cache_new(void)
{
	struct sublist_cache	*c;
	size_t			 i;

	c = xcalloc(1, sizeof(*c));
	for (i = 0; i < SUBLIST_CACHE_SIZE; i++)
		c->e[i].acc = -1;
	c->last_acc = -1;
	return (c);
}

void
sublist_cache_free(struct sublist_cache *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < SUBLIST_CACHE_SIZE; i++)
		sublist_result_free(&c->e[i].res);
	sublist_result_free(&c->bypass);
	free(c);
}

/*
 * sublist_cache_load - the bytes of s[0..len), 1 <= len <= 8, as a word
 *
 * Two overlapping loads for 4 to 8 bytes, three bytes below that: every
 * byte counts and nothing outside s is read. Not the bytes' exact
 * value, only a function of them for a given len.
 */
static inline uint64_t
sublist_cache_load(const char *s, size_t len)
{
	uint32_t	lo, hi;

	if (len >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + len - 4, 4);
		return ((uint64_t)hi << 32 | lo);
	}
	return ((uint64_t)(unsigned char)s[0] << 16 |
	    (uint64_t)(unsigned char)s[len / 2] << 8 |
	    (unsigned char)s[len - 1]);
}

/*
 * sublist_cache_hash - hash a published subject for the cache
 *
 * Private to this process, so it need not match sublist_hash(); it is
 * on every publish, so it reads words and never calls out.
 */
static inline uint32_t
sublist_cache_hash(const char *s, size_t len, int acc)
{
	uint64_t	h, w;

	h = 0x9e3779b97f4a7c15ULL ^ len ^ (uint64_t)acc << 32;
	for (; len > 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	if (len > 0)
		h = (h ^ sublist_cache_load(s, len)) * 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebULL;
	return ((uint32_t)(h ^ h >> 32));
}

/* Are a and b, len bytes each, equal? Inline for short subjects. */
static inline int
sublist_cache_eq(const char *a, const char *b, size_t len)
{
	uint64_t	x, y;

	if (len > 16)
		return (memcmp(a, b, len) == 0);
	if (len > 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return (0);
		a += len - 8;
		b += len - 8;
		len = 8;
	}
	return (len == 0 ||
	    sublist_cache_load(a, len) == sublist_cache_load(b, len));
}

/*
 * sublist_cache_match - sublist_match() through a private cache
 * @res: set to the result, owned by the cache, valid until the next call
 *
 * An entry holds if its account's generation has not moved since it was
 * filled, so any insert or remove in that account misses afterwards.
 * SUBLIST_CACHE_SIZE entries in sets of SUBLIST_CACHE_WAYS, filled from
 * the first way, so a hit usually costs one compare; subjects longer
 * than SUBLIST_CACHE_SUBJECT are matched without it. The account last
 * asked for is remembered: accounts are never deleted and never move.
 * Return: 0, or -1 with errno EINVAL for a bad account.
 */
int
sublist_cache_match(struct sublist_cache *c, struct arena *a, int acc,
    const char *subj, size_t slen, const struct sublist_result **res)
{
	struct sublist_centry	*set, *e, *victim;
	struct sublist_acct	*ac;
	uint64_t		 gen;
	uint32_t		 h;
	int			 i;

	if (slen > SUBLIST_CACHE_SUBJECT) {
		*res = &c->bypass;
		return (sublist_match(a, acc, subj, slen, &c->bypass));
	}
	if (acc != c->last_acc || a != c->last_a || a->base != c->last_base) {
		if ((ac = sublist_acct_get(a, acc)) == NULL)
			return (-1);
		c->hit = NULL;
		c->last_a = a;
		c->last_base = a->base;
		c->last_acc = acc;
		c->last_ac = ac;
	} else {
		ac = c->last_ac;
		/*
		 * A publisher mostly repeats its subject: try the entry
		 * returned last before hashing.
		 */
		e = c->hit;
		if (e != NULL && e->slen == slen && e->acc == acc &&
		    sublist_cache_eq(e->subj, subj, slen) && e->gen ==
		    atomic_load_explicit(&ac->gen, memory_order_acquire)) {
			sublist_counters.cache_hits++;
			e->used = ++c->tick;
			*res = &e->res;
			return (0);
		}
	}
	h = sublist_cache_hash(subj, slen, acc);
	set = &c->e[(h * SUBLIST_CACHE_WAYS) & (SUBLIST_CACHE_SIZE - 1)];
	gen = atomic_load_explicit(&ac->gen, memory_order_acquire);
	c->tick++;
	for (i = 0; i < SUBLIST_CACHE_WAYS; i++) {
		e = &set[i];
		if (e->hash == h && e->slen == slen && e->acc == acc &&
		    sublist_cache_eq(e->subj, subj, slen)) {
			if (e->gen == gen) {
				sublist_counters.cache_hits++;
				e->used = c->tick;
				*res = &e->res;
				c->hit = e;
				return (0);
			}
			break;		/* stale: refill in place */
		}
	}
	if (i == SUBLIST_CACHE_WAYS) {
		/* The first empty way, else the least recently used. */
		for (i = 0, victim = set; i < SUBLIST_CACHE_WAYS; i++) {
			if (set[i].acc == -1) {
				victim = &set[i];
				break;
			}
			if (set[i].used < victim->used)
				victim = &set[i];
		}
		e = victim;
	}
	sublist_counters.cache_misses++;
	e->acc = -1;
	if (sublist_match(a, acc, subj, slen, &e->res) == -1)
		return (-1);
	e->acc = acc;
	e->hash = h;
	e->slen = (uint32_t)slen;
	e->gen = e->res.gen;
	e->used = c->tick;
	memcpy(e->subj, subj, slen);
	*res = &e->res;
	c->hit = e;
	return (0);
}

/*
 * sublist_cache_stats - count what a cache holds
 * @acc: only this account's entries, or -1 for all
 * @st: set to the entries still valid (their account's generation has
 *	not moved) and their fan-out: plain destinations plus queue
 *	groups, as nats-server counts it
 *
 * Context: the cache's owner. Walks the whole cache: for monitoring, not
 * for the hot path.
 */
void
sublist_cache_stats(const struct sublist_cache *c, struct arena *a, int acc,
    struct sublist_cache_stats *st)
{
	const struct sublist_centry	*e;
	struct sublist_acct		*ac;
	uint64_t			 fan;
	size_t				 i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < SUBLIST_CACHE_SIZE; i++) {
		e = &c->e[i];
		if (e->acc == -1 || (acc >= 0 && e->acc != acc) ||
		    (ac = sublist_acct_get(a, e->acc)) == NULL ||
		    e->gen != atomic_load_explicit(&ac->gen,
		    memory_order_acquire))
			continue;
		fan = e->res.nplain + e->res.ngroups;
		st->entries++;
		st->fanout_total += fan;
		if (fan > st->fanout_max)
			st->fanout_max = (uint32_t)fan;
	}
}
