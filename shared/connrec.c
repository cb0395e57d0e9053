/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/connrec.c: packing and unpacking connection records. A record
 * is a fixed header, its strings, then its subscriptions, each a fixed
 * header and its strings; integers in host order (both ends are the same
 * executable). The reader trusts no length it has not checked against
 * what is left.
 */

#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "connrec.h"
#include "xmalloc.h"

#define CONNREC_NSTR	7		/* ip, name, lang, version, reason,
					   user, account */

struct connrec_wire {
	uint64_t	cid;
	int64_t		start;
	int64_t		last;
	int64_t		stop;
	int64_t		rtt;
	uint64_t	in_msgs;
	uint64_t	out_msgs;
	uint64_t	in_bytes;
	uint64_t	out_bytes;
	uint64_t	pending;
	uint32_t	kind;
	uint32_t	flags;
	uint32_t	port;
	uint32_t	nsubs;
	uint32_t	nsublist;
	uint16_t	slen[CONNREC_NSTR];
	uint16_t	pad[3];
};

struct connrec_sub_wire {
	uint64_t	msgs;
	int64_t		max;
	uint32_t	slen;
	uint32_t	qlen;
	uint32_t	sidlen;
	uint32_t	pad;
};

void
connrec_buf_init(struct connrec_buf *b)
{
	memset(b, 0, sizeof(*b));
}

/* Empty the buffer, keeping its memory. */
void
connrec_buf_reset(struct connrec_buf *b)
{
	b->len = 0;
	b->rec = 0;
	b->subcap = b->subused = 0;
	b->nrecs = 0;
}

void
connrec_buf_free(struct connrec_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static void
connrec_append(struct connrec_buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		if (b->cap == 0)
			b->cap = 4096;
		while (b->cap < b->len + len)
			b->cap *= 2;
		b->p = xreallocarray(b->p, 1, b->cap);
	}
	if (len > 0)
		memcpy(b->p + b->len, data, len);
	b->len += len;
}

static size_t
connrec_strlen(const char *s)
{
	size_t	n;

	if (s == NULL)
		return (0);
	n = strlen(s);
	return (n > CONNREC_STR_MAX ? CONNREC_STR_MAX : n);
}

/*
 * Append the record r without its subscriptions (r->subs is ignored);
 * connrec_put_sub adds them, at most subcap bytes of them. Strings
 * longer than CONNREC_STR_MAX are cut.
 */
void
connrec_put(struct connrec_buf *b, const struct connrec *r, size_t subcap)
{
	struct connrec_wire	 w;
	const char		*s[CONNREC_NSTR];
	int			 i;

	memset(&w, 0, sizeof(w));
	w.cid = r->cid;
	w.start = r->start;
	w.last = r->last;
	w.stop = r->stop;
	w.rtt = r->rtt;
	w.in_msgs = r->in_msgs;
	w.out_msgs = r->out_msgs;
	w.in_bytes = r->in_bytes;
	w.out_bytes = r->out_bytes;
	w.pending = r->pending;
	w.kind = r->kind;
	w.flags = r->flags & ~CONNREC_SUBS_CUT;
	w.port = r->port;
	w.nsubs = r->nsubs;
	s[0] = r->ip;
	s[1] = r->name;
	s[2] = r->lang;
	s[3] = r->version;
	s[4] = r->reason;
	s[5] = r->user;
	s[6] = r->account;
	for (i = 0; i < CONNREC_NSTR; i++)
		w.slen[i] = (uint16_t)connrec_strlen(s[i]);
	b->rec = b->len;
	b->subcap = subcap;
	b->subused = 0;
	b->nrecs++;
	connrec_append(b, &w, sizeof(w));
	for (i = 0; i < CONNREC_NSTR; i++)
		connrec_append(b, s[i], w.slen[i]);
}

/*
 * Add a subscription to the record connrec_put appended last. Returns
 * 0, or -1 when its byte budget is spent (the record is then marked
 * CONNREC_SUBS_CUT and the subscription left out).
 */
int
connrec_put_sub(struct connrec_buf *b, const struct connrec_sub *s)
{
	struct connrec_sub_wire	 w;
	unsigned char		*rw = b->p + b->rec;
	uint32_t		 v;
	size_t			 need;

	memset(&w, 0, sizeof(w));
	w.msgs = s->msgs;
	w.max = s->max;
	w.slen = strlen(s->subject);
	w.qlen = s->queue != NULL ? strlen(s->queue) : 0;
	w.sidlen = strlen(s->sid);
	need = sizeof(w) + w.slen + w.qlen + w.sidlen;
	/* The header may sit at any byte: patch it through memcpy. */
	if (b->subused + need > b->subcap) {
		memcpy(&v, rw + offsetof(struct connrec_wire, flags),
		    sizeof(v));
		v |= CONNREC_SUBS_CUT;
		memcpy(rw + offsetof(struct connrec_wire, flags), &v,
		    sizeof(v));
		return (-1);
	}
	memcpy(&v, rw + offsetof(struct connrec_wire, nsublist), sizeof(v));
	v++;
	memcpy(rw + offsetof(struct connrec_wire, nsublist), &v, sizeof(v));
	b->subused += need;
	connrec_append(b, &w, sizeof(w));
	connrec_append(b, s->subject, w.slen);
	connrec_append(b, s->queue, w.qlen);
	connrec_append(b, s->sid, w.sidlen);
	return (0);
}

/* Take n bytes off the front of (*p, *left). */
static const unsigned char *
connrec_take(const unsigned char **p, size_t *left, size_t n)
{
	const unsigned char	*at = *p;

	if (n > *left)
		return (NULL);
	*p += n;
	*left -= n;
	return (at);
}

/* Copy n bytes of string from the input to *dst, NUL-terminated. */
static const char *
connrec_str(char **dst, const unsigned char *src, size_t n)
{
	char	*s = *dst;

	memcpy(s, src, n);
	s[n] = '\0';
	*dst += n + 1;
	return (s);
}

/*
 * Unpack the record at *p (with *left bytes there) and advance past it.
 * Returns the record in one allocation (free() it), or NULL with errno
 * EBADMSG when the bytes are not a whole, well-formed record.
 */
struct connrec *
connrec_get(const unsigned char **p, size_t *left)
{
	struct connrec_wire	 w;
	struct connrec_sub_wire	 sw;
	struct connrec		*r;
	const unsigned char	*start = *p, *q, *str[CONNREC_NSTR];
	size_t			 n = *left, strbytes = 0, i;
	char			*out;
	const char		**dst[CONNREC_NSTR];

	if ((q = connrec_take(p, left, sizeof(w))) == NULL)
		goto bad;
	memcpy(&w, q, sizeof(w));
	for (i = 0; i < CONNREC_NSTR; i++) {
		if (w.slen[i] > CONNREC_STR_MAX ||
		    (str[i] = connrec_take(p, left, w.slen[i])) == NULL)
			goto bad;
		strbytes += w.slen[i] + 1;
	}
	/* Every subscription takes at least its header. */
	if (w.nsublist > *left / sizeof(sw))
		goto bad;
	q = *p;
	for (i = 0; i < w.nsublist; i++) {
		const unsigned char	*h;
		size_t			 len;

		if ((h = connrec_take(p, left, sizeof(sw))) == NULL)
			goto bad;
		memcpy(&sw, h, sizeof(sw));
		len = (size_t)sw.slen + sw.qlen + sw.sidlen;
		if (sw.slen > *left || sw.qlen > *left || sw.sidlen > *left ||
		    connrec_take(p, left, len) == NULL)
			goto bad;
		strbytes += len + 3;
	}

	r = xmalloc(sizeof(*r) + w.nsublist * sizeof(*r->subs) + strbytes);
	memset(r, 0, sizeof(*r));
	r->cid = w.cid;
	r->kind = w.kind;
	r->flags = w.flags;
	r->start = w.start;
	r->last = w.last;
	r->stop = w.stop;
	r->rtt = w.rtt;
	r->in_msgs = w.in_msgs;
	r->out_msgs = w.out_msgs;
	r->in_bytes = w.in_bytes;
	r->out_bytes = w.out_bytes;
	r->pending = w.pending;
	r->port = w.port;
	r->nsubs = w.nsubs;
	r->subs = (struct connrec_sub *)(r + 1);
	r->nsublist = w.nsublist;
	out = (char *)(r->subs + w.nsublist);
	dst[0] = &r->ip;
	dst[1] = &r->name;
	dst[2] = &r->lang;
	dst[3] = &r->version;
	dst[4] = &r->reason;
	dst[5] = &r->user;
	dst[6] = &r->account;
	for (i = 0; i < CONNREC_NSTR; i++)
		*dst[i] = connrec_str(&out, str[i], w.slen[i]);
	for (i = 0; i < w.nsublist; i++) {
		memcpy(&sw, q, sizeof(sw));
		q += sizeof(sw);
		r->subs[i].msgs = sw.msgs;
		r->subs[i].max = sw.max;
		r->subs[i].subject = connrec_str(&out, q, sw.slen);
		q += sw.slen;
		r->subs[i].queue = connrec_str(&out, q, sw.qlen);
		q += sw.qlen;
		r->subs[i].sid = connrec_str(&out, q, sw.sidlen);
		q += sw.sidlen;
	}
	return (r);
bad:
	*p = start;
	*left = n;
	errno = EBADMSG;
	return (NULL);
}
