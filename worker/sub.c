/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/sub.c: this worker's own subscriptions. They are the
 * authoritative list: the shared tries are derived from them, and are
 * rebuilt from them when a writer died mid-change. A subscription is
 * known to other workers only by its handle: slot, generation and this
 * worker's incarnation, so a stale handle never finds a new subscription.
 */

#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "proc.h"
#include "stats.h"
#include "sublist.h"
#include "worker.h"
#include "xmalloc.h"

#define SUB_HASH_START	256

static uint32_t	sub_hash(const struct client *, const char *, size_t);
static void	sub_hash_grow(struct worker *);

void
sub_init(struct worker *w, uint16_t incarnation)
{
	w->subs.incarnation = incarnation;
	w->subs.hsize = SUB_HASH_START;
	w->subs.hash = xcalloc(w->subs.hsize, sizeof(*w->subs.hash));
}

/* FNV-1a over the client id and the sid. */
static uint32_t
sub_hash(const struct client *c, const char *sid, size_t len)
{
	uint32_t	h = 2166136261U;
	uint64_t	cid = c->cid;
	size_t		i;

	for (i = 0; i < sizeof(cid); i++) {
		h ^= (uint8_t)(cid >> (i * 8));
		h *= 16777619U;
	}
	for (i = 0; i < len; i++) {
		h ^= (uint8_t)sid[i];
		h *= 16777619U;
	}
	return (h);
}

static void
sub_hash_grow(struct worker *w)
{
	struct subtab	*t = &w->subs;
	struct sub	**nh, *s, *next;
	size_t		 i, nsize = t->hsize * 2;

	nh = xcalloc(nsize, sizeof(*nh));
	for (i = 0; i < t->hsize; i++) {
		for (s = t->hash[i]; s != NULL; s = next) {
			next = s->hnext;
			s->hnext = nh[s->hash & (nsize - 1)];
			nh[s->hash & (nsize - 1)] = s;
		}
	}
	free(t->hash);
	t->hash = nh;
	t->hsize = nsize;
}

/* The subscription of c with this sid, or NULL. */
struct sub *
sub_find(struct client *c, const char *sid, size_t len)
{
	struct subtab	*t = &worker->subs;
	struct sub	*s;
	uint32_t	 h = sub_hash(c, sid, len);

	for (s = t->hash[h & (t->hsize - 1)]; s != NULL; s = s->hnext)
		if (s->hash == h && s->client == c && s->sidlen == len &&
		    memcmp(sub_sid(s), sid, len) == 0)
			return (s);
	return (NULL);
}

static uint32_t
sub_slot_take(struct subtab *t)
{
	if (t->nfree > 0)
		return (t->free[--t->nfree]);
	if (t->nslots == t->cap) {
		t->cap = t->cap == 0 ? 1024 : t->cap * 2;
		t->slot = xreallocarray(t->slot, t->cap, sizeof(*t->slot));
		t->gen = xreallocarray(t->gen, t->cap, sizeof(*t->gen));
		t->free = xreallocarray(t->free, t->cap, sizeof(*t->free));
	}
	t->gen[t->nslots] = 0;
	return (t->nslots++);
}

static void
sub_dest(const struct sub *s, struct sublist_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->worker = worker->id;
	d->kind = s->client->kind;
	d->handle = s->handle;
}

/*
 * Subscribe c to subject (queue may be empty) under sid. Returns the new
 * subscription, or NULL with errno EINVAL (bad subject or queue) or
 * ENOMEM (shared memory full).
 */
struct sub *
sub_add(struct client *c, const char *subj, size_t slen, const char *queue,
    size_t qlen, const char *sid, size_t sidlen)
{
	struct worker		*w = worker;
	struct subtab		*t = &w->subs;
	struct sublist_dest	 d;
	struct sub		*s;
	uint32_t		 slot;
	char			*p;

	s = xmalloc(sizeof(*s) + slen + qlen + sidlen + 3);
	memset(s, 0, sizeof(*s));
	s->client = c;
	s->slen = slen;
	s->qlen = qlen;
	s->sidlen = sidlen;
	p = s->data;
	memcpy(p, subj, slen);
	p[slen] = '\0';
	p += slen + 1;
	if (qlen > 0)		/* queue is NULL for a plain subscription */
		memcpy(p, queue, qlen);
	p[qlen] = '\0';
	p += qlen + 1;
	memcpy(p, sid, sidlen);
	p[sidlen] = '\0';

	slot = sub_slot_take(t);
	t->gen[slot]++;
	s->handle = (uint64_t)t->incarnation << 48 |
	    (uint64_t)t->gen[slot] << 32 | slot;
	sub_dest(s, &d);
	if (sublist_insert_epoch(w->env->arena, c->account, subj, slen,
	    qlen > 0 ? queue : NULL, qlen, &d, &s->epoch) == -1) {
		t->free[t->nfree++] = slot;
		free(s);
		return (NULL);
	}
	t->slot[slot] = s;
	s->hash = sub_hash(c, sid, sidlen);
	if (t->count + 1 > t->hsize)
		sub_hash_grow(w);
	s->hnext = t->hash[s->hash & (t->hsize - 1)];
	t->hash[s->hash & (t->hsize - 1)] = s;
	t->count++;
	TAILQ_INSERT_TAIL(&c->subs, s, centry);
	c->nsubs++;
	stats_add(w->env->stats->worker[w->id].sub_inserts, 1);
	return (s);
}

/*
 * Forget s everywhere: the shared trie (unless intrie is 0, when it was
 * already taken out), the sid hash, its client and its slot.
 */
static void
sub_unlink(struct sub *s, int intrie)
{
	struct worker		*w = worker;
	struct subtab		*t = &w->subs;
	struct sublist_dest	 d;
	struct sub		**pp;
	uint32_t		 slot = (uint32_t)s->handle;

	if (intrie) {
		sub_dest(s, &d);
		if (sublist_remove(w->env->arena, s->client->account,
		    sub_subject(s), s->slen, s->qlen ? sub_queue(s) : NULL,
		    s->qlen, &d) == -1 && errno != ENOENT)
			log_warn("client %llu: unsubscribe %s",
			    (unsigned long long)s->client->cid, sub_subject(s));
	}
	for (pp = &t->hash[s->hash & (t->hsize - 1)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	}
	t->count--;
	TAILQ_REMOVE(&s->client->subs, s, centry);
	s->client->nsubs--;
	t->slot[slot] = NULL;
	t->free[t->nfree++] = slot;
	stats_add(w->env->stats->worker[w->id].sub_removes, 1);
	free(s);
}

void
sub_remove(struct sub *s)
{
	sub_unlink(s, 1);
}

/*
 * Remove every subscription of c (it is closing), taking the account's
 * lock once for all of them.
 */
void
sub_remove_all(struct client *c)
{
	struct arena		*a = worker->env->arena;
	struct sublist_dest	 d;
	struct sub		*s;

	if (TAILQ_EMPTY(&c->subs))
		return;
	if (sublist_lock(a, c->account) == -1) {
		while ((s = TAILQ_FIRST(&c->subs)) != NULL)
			sub_unlink(s, 1);
		return;
	}
	TAILQ_FOREACH(s, &c->subs, centry) {
		sub_dest(s, &d);
		sublist_remove_locked(a, c->account, sub_subject(s), s->slen,
		    s->qlen ? sub_queue(s) : NULL, s->qlen, &d);
	}
	sublist_unlock(a, c->account);
	while ((s = TAILQ_FIRST(&c->subs)) != NULL)
		sub_unlink(s, 0);
}

/*
 * The shared trie of an account was reset (a writer died holding its
 * lock) and is now in epoch: put every subscription of ours back that
 * was inserted before that. One inserted since is there already, and a
 * second entry would deliver its messages twice.
 */
void
sub_reinsert_account(struct worker *w, int account, uint32_t epoch)
{
	struct sublist_dest	 d;
	struct sub		*s;
	uint32_t		 i;
	unsigned int		 n = 0;

	for (i = 0; i < w->subs.nslots; i++) {
		if ((s = w->subs.slot[i]) == NULL ||
		    s->client->account != account)
			continue;
		/* Inserted after the reset: it is there already. */
		if (s->epoch == epoch)
			continue;
		sub_dest(s, &d);
		if (sublist_insert_epoch(w->env->arena, account,
		    sub_subject(s), s->slen, s->qlen ? sub_queue(s) : NULL,
		    s->qlen, &d, &s->epoch) == 0)
			n++;
	}
	log_info("account %d: %u subscriptions restored", account, n);
}
