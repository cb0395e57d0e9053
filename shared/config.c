/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/config.c: the YAML configuration loader. Reads the file into a
 * libyaml document, walks it with the tables of keys in config_keys.c,
 * parses scalars (sizes, durations, addresses) and hands the result to
 * config_check.c. Every failure is one "file:line: key: problem".
 */

#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "conf.h"
#include "config_int.h"
#include "log.h"
#include "xmalloc.h"


#define CONFIG_MAX_TEXT		(16 * 1024 * 1024)
#define CONFIG_MAX_DEPTH	16
#define CONFIG_VISITS_SLACK	100000	/* visits beyond 4 per node */
#define CONFIG_TABLE_MAX	80

/*
 * Records a failure, unless one is already recorded: the first cause
 * wins. A line of 0 leaves the line out, an empty key the key. Always
 * returns -1 so callers can return its value.
 */
static int
config_verror(struct config_parse *p, int line, const char *key,
    const char *fmt, va_list ap)
{
	char	 msg[512];

	if (p->cause != NULL)
		return (-1);
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (line > 0 && *key != '\0')
		xasprintf(&p->cause, "%s:%d: %s: %s", p->name, line, key, msg);
	else if (line > 0)
		xasprintf(&p->cause, "%s:%d: %s", p->name, line, msg);
	else if (*key != '\0')
		xasprintf(&p->cause, "%s: %s: %s", p->name, key, msg);
	else
		xasprintf(&p->cause, "%s: %s", p->name, msg);
	return (-1);
}

int
config_errorl(struct config_parse *p, int line, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verror(p, line, key, fmt, ap);
	va_end(ap);
	return (-1);
}

/* A failure at node n, named by the current key path. */
int
config_error(struct config_parse *p, yaml_node_t *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_verror(p, (int)n->start_mark.line + 1, p->path, fmt, ap);
	va_end(ap);
	return (-1);
}

/* The key path grows by ".key" or "[i]"; both paths move together. */
struct config_save
config_push(struct config_parse *p, const char *key, size_t keylen,
    const char *canon, size_t canonlen)
{
	struct config_save	 sv = { p->plen, p->clen };
	const char		*dot;

	dot = (p->plen == 0 || *key == '[') ? "" : ".";
	snprintf(p->path + p->plen, sizeof p->path - p->plen, "%s%.*s", dot,
	    (int)keylen, key);
	p->plen += strlen(p->path + p->plen);
	snprintf(p->cpath + p->clen, sizeof p->cpath - p->clen, "%s%.*s", dot,
	    (int)canonlen, canon);
	p->clen += strlen(p->cpath + p->clen);
	p->depth++;
	return (sv);
}

struct config_save
config_push_index(struct config_parse *p, size_t i)
{
	char	 buf[32];

	snprintf(buf, sizeof buf, "[%zu]", i);
	return (config_push(p, buf, strlen(buf), buf, strlen(buf)));
}

void
config_pop(struct config_parse *p, struct config_save sv)
{
	p->plen = sv.plen;
	p->path[p->plen] = '\0';
	p->clen = sv.clen;
	p->cpath[p->clen] = '\0';
	p->depth--;
}

/* Remembers that the key at the current canonical path is on line. */
void
config_mark(struct config_parse *p, int line)
{
	p->marks = xreallocarray(p->marks, p->nmarks + 1, sizeof *p->marks);
	p->marks[p->nmarks].cpath = xstrdup(p->cpath);
	p->marks[p->nmarks].line = line;
	p->nmarks++;
}

/* The line of the key at canonical path cpath, or 0 if not in the file. */
int
config_line(struct config_parse *p, const char *cpath)
{
	size_t	 i;

	for (i = 0; i < p->nmarks; i++) {
		if (strcmp(p->marks[i].cpath, cpath) == 0)
			return (p->marks[i].line);
	}
	return (0);
}

/*
 * Fetches node id, counting visits: aliases can make a small file into
 * a large tree ("billion laughs"), or a loop, so both the number of
 * visits and the depth are bounded. Without aliases a walk visits each
 * node about once, so the bound, four visits a node plus some slack,
 * only stops expansion.
 */
yaml_node_t *
config_node(struct config_parse *p, int id)
{
	yaml_node_t	*n;

	n = yaml_document_get_node(p->doc, id);
	if (n == NULL)
		fatalx("config: libyaml node %d missing", id);
	p->visits++;
	return (n);
}

int
config_enter(struct config_parse *p, yaml_node_t *n)
{
	if (p->depth > CONFIG_MAX_DEPTH)
		return (config_error(p, n, "nested too deeply"));
	if (p->visits > p->maxvisits)
		return (config_error(p, n, "too many values: aliases expand "
		    "the file too far"));
	return (0);
}

static int
config_isnull(yaml_node_t *n)
{
	const char	*s;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return (0);
	s = (const char *)n->data.scalar.value;
	return (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

/* Fails with "expected WHAT, got ..." describing node n. */
int
config_expected(struct config_parse *p, yaml_node_t *n, const char *what)
{
	if (n->type == YAML_MAPPING_NODE)
		return (config_error(p, n, "expected %s, got a map", what));
	if (n->type == YAML_SEQUENCE_NODE)
		return (config_error(p, n, "expected %s, got a list", what));
	if (config_isnull(n))
		return (config_error(p, n, "expected %s, got nothing", what));
	return (config_error(p, n, "expected %s, got \"%.60s\"", what,
	    (const char *)n->data.scalar.value));
}

/* The text of scalar n, or NULL (failed) if n is no non-null scalar. */
const char *
config_scalar(struct config_parse *p, yaml_node_t *n, const char *what)
{
	const char	*s;

	if (n->type != YAML_SCALAR_NODE || config_isnull(n)) {
		config_expected(p, n, what);
		return (NULL);
	}
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		config_error(p, n, "contains a NUL byte");
		return (NULL);
	}
	return (s);
}

/*
 * Finds key in table tab: names hold aliases split by '|', compared
 * without case as nats-server does. Returns the index or -1.
 */
static int
config_key_find(const struct config_key *tab, const char *key)
{
	const char	*s, *e;
	size_t		 len = strlen(key);
	int		 i;

	for (i = 0; tab[i].names != NULL; i++) {
		for (s = tab[i].names; *s != '\0'; s = *e ? e + 1 : e) {
			e = strchr(s, '|');
			if (e == NULL)
				e = s + strlen(s);
			if ((size_t)(e - s) == len &&
			    strncasecmp(s, key, len) == 0)
				return (i);
		}
	}
	return (-1);
}

static size_t
config_canon_len(const char *names)
{
	return (strcspn(names, "|"));
}

/*
 * One key of a map: rejects unknown, unsupported, duplicate and
 * conflicting keys, then calls the key's parser. seen[] holds the line
 * each table entry was first given on, as[] the spelling used.
 */
static int
config_map_key(struct config_parse *p, const struct config_key *tab, int i,
    yaml_node_t *kn, yaml_node_t *vn, void *base, int *seen,
    const char **as)
{
	const char	*name = (const char *)kn->data.scalar.value;
	int		 line = (int)kn->start_mark.line + 1, j;

	if (i == -1)
		return (config_error(p, kn, "unknown key"));
	if (tab[i].why != NULL)
		return (config_error(p, kn, "%s", tab[i].why));
	if (seen[i] != 0 && strcmp(as[i], name) == 0)
		return (config_error(p, kn, "duplicate key (first on line %d)",
		    seen[i]));
	if (seen[i] != 0)
		return (config_error(p, kn, "duplicate key (same as %s on "
		    "line %d)", as[i], seen[i]));
	for (j = 0; tab[i].group != 0 && tab[j].names != NULL; j++) {
		if (seen[j] != 0 && (tab[j].group & tab[i].group) != 0)
			return (config_error(p, kn, "conflicts with %s on "
			    "line %d", as[j], seen[j]));
	}
	seen[i] = line;
	as[i] = name;
	config_mark(p, line);
	return (tab[i].fn(p, vn, base, &tab[i]));
}

/*
 * Parses map n into the struct at base following table tab. Returns 0,
 * or -1 with the cause recorded.
 */
int
config_map(struct config_parse *p, yaml_node_t *n,
    const struct config_key *tab, void *base)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*kn, *vn;
	struct config_save	 sv;
	const char		*name, *as[CONFIG_TABLE_MAX];
	int			 seen[CONFIG_TABLE_MAX], i, rc;

	for (i = 0; tab[i].names != NULL; i++)
		;
	if (i > CONFIG_TABLE_MAX)
		fatalx("config: a table of %d keys; raise CONFIG_TABLE_MAX", i);
	if (n->type != YAML_MAPPING_NODE)
		return (config_expected(p, n, "a map"));
	if (config_enter(p, n) == -1)
		return (-1);
	memset(seen, 0, sizeof seen);
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		kn = config_node(p, pair->key);
		vn = config_node(p, pair->value);
		if (kn->type != YAML_SCALAR_NODE)
			return (config_error(p, kn, "keys must be strings"));
		name = (const char *)kn->data.scalar.value;
		i = config_key_find(tab, name);
		if (i == -1)
			sv = config_push(p, name, strlen(name), name,
			    strlen(name));
		else
			sv = config_push(p, name, strlen(name), tab[i].names,
			    config_canon_len(tab[i].names));
		rc = config_map_key(p, tab, i, kn, vn, base, seen, as);
		config_pop(p, sv);
		if (rc == -1)
			return (-1);
	}
	return (0);
}

/*
 * Calls fn on each item of list n with a fresh zeroed element of size
 * bytes appended to *arr (so config_free can clean up after a failure).
 */
int
config_list(struct config_parse *p, yaml_node_t *n, void **arr,
    size_t *count, size_t size,
    int (*fn)(struct config_parse *, yaml_node_t *, void *, void *),
    void *arg)
{
	yaml_node_item_t	*it;
	struct config_save	 sv;
	char			*elem;
	int			 rc;

	if (n->type != YAML_SEQUENCE_NODE)
		return (config_expected(p, n, "a list"));
	if (config_enter(p, n) == -1)
		return (-1);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		*arr = xreallocarray(*arr, *count + 1, size);
		elem = (char *)*arr + *count * size;
		memset(elem, 0, size);
		sv = config_push_index(p, (*count)++);
		rc = fn(p, config_node(p, *it), elem, arg);
		config_pop(p, sv);
		if (rc == -1)
			return (-1);
	}
	return (0);
}

/* Integers: decimal, optional sign, nothing after. */
static int
config_parse_int(const char *s, int64_t *v)
{
	char		*end;
	long long	 ll;

	if (!isdigit((unsigned char)*s) && *s != '-' && *s != '+')
		return (-1);
	errno = 0;
	ll = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return (-1);
	*v = ll;
	return (0);
}

/*
 * Sizes as nats-server's configuration lexer reads them: an integer with
 * an optional suffix, case ignored; K, M, G, T, P, E are powers of 1000,
 * KB (KI, KIB), MB, ... powers of 1024.
 */
int
config_parse_size(const char *s, int64_t *v)
{
	static const char	 units[] = "kmgtpe";
	const char		*q = s, *u;
	int64_t			 n = 0, mult = 1, base = 1000;
	int			 neg = 0, i;

	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (!isdigit((unsigned char)*q))
		return (-1);
	for (; isdigit((unsigned char)*q); q++) {
		if (n > (INT64_MAX - (*q - '0')) / 10)
			return (-1);
		n = n * 10 + (*q - '0');
	}
	while (*q == ' ')
		q++;
	if (*q != '\0') {
		if ((u = strchr(units, tolower((unsigned char)*q))) == NULL)
			return (-1);
		q++;
		if (strcasecmp(q, "b") == 0 || strcasecmp(q, "i") == 0 ||
		    strcasecmp(q, "ib") == 0)
			base = 1024;
		else if (*q != '\0')
			return (-1);
		for (i = 0; i <= u - units; i++)
			mult *= base;
	}
	if (n > INT64_MAX / mult)
		return (-1);
	*v = neg ? -(n * mult) : n * mult;
	return (0);
}

/* One "number unit" of a Go duration; advances *sp. In nanoseconds. */
static int
config_parse_dur_part(const char **sp, int bare, int64_t *ns)
{
	static const struct {
		const char	*name;
		int64_t		 ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 },
		{ "\xce\xbcs", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
		{ "m", 60 * 1000000000LL }, { "h", 3600 * 1000000000LL }
	};
	const char	*q = *sp;
	int64_t		 whole = 0, frac = 0, scale = 1, unit = 0, fns;
	size_t		 i, len;
	int		 digits = 0;

	for (; isdigit((unsigned char)*q); q++, digits++) {
		if (whole > (INT64_MAX - 9) / 10)
			return (-1);
		whole = whole * 10 + (*q - '0');
	}
	if (*q == '.') {
		for (q++; isdigit((unsigned char)*q); q++, digits++) {
			if (scale < 1000000000000000LL) {
				frac = frac * 10 + (*q - '0');
				scale *= 10;
			}
		}
	}
	if (digits == 0)
		return (-1);
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		len = strlen(units[i].name);
		if (strncmp(q, units[i].name, len) == 0 &&
		    (len > 1 || strncmp(q, "ms", 2) != 0)) {
			unit = units[i].ns;
			q += len;
			break;
		}
	}
	if (unit == 0 && bare && *q == '\0')
		unit = 1000000000;
	if (unit == 0 || whole > INT64_MAX / unit)
		return (-1);
	/* The fraction can carry past INT64_MAX too: "9223372036.9s". */
	fns = (int64_t)((double)frac / scale * unit);
	if (whole * unit > INT64_MAX - fns)
		return (-1);
	*ns = whole * unit + fns;
	*sp = q;
	return (0);
}

/*
 * Durations as Go's time.ParseDuration reads them ("1h30m", "500ms",
 * "1.5s"), and, if bare is set, a plain number of seconds as nats-server
 * takes for ping_interval and friends. Result in milliseconds, rounded
 * down but never from a positive value to 0.
 */
int
config_parse_duration(const char *s, int bare, int64_t *ms)
{
	const char	*q = s;
	int64_t		 ns = 0, part;
	int		 neg = 0;

	if (*q == '-' || *q == '+')
		neg = *q++ == '-';
	if (strcmp(q, "0") == 0) {
		*ms = 0;
		return (0);
	}
	if (*q == '\0')
		return (-1);
	while (*q != '\0') {
		if (config_parse_dur_part(&q, bare && q == s + neg, &part) ==
		    -1 || ns > INT64_MAX - part)
			return (-1);
		ns += part;
	}
	*ms = ns / 1000000;
	if (ns > 0 && *ms == 0)
		*ms = 1;
	if (neg)
		*ms = -*ms;
	return (0);
}

/* Writes v as "64MB", "4KB" or "100" (bytes) into buf. */
const char *
config_fmt_size(char *buf, size_t len, int64_t v)
{
	static const char	*units[] = { "EB", "PB", "TB", "GB", "MB",
				    "KB" };
	int64_t			 m;
	int			 i, shift;

	for (i = 0, shift = 60; i < 6; i++, shift -= 10) {
		m = (int64_t)1 << shift;
		if (v != 0 && v % m == 0) {
			snprintf(buf, len, "%lld%s", (long long)(v / m),
			    units[i]);
			return (buf);
		}
	}
	snprintf(buf, len, "%lld", (long long)v);
	return (buf);
}

/* Writes a duration in ms as "2h", "2m", "30s" or "500ms" into buf. */
const char *
config_fmt_duration(char *buf, size_t len, int64_t ms)
{
	if (ms != 0 && ms % 3600000 == 0)
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
	else if (ms != 0 && ms % 60000 == 0)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else if (ms != 0 && ms % 1000 == 0)
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else
		snprintf(buf, len, "%lldms", (long long)ms);
	return (buf);
}

int
config_str(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	char		**f = FIELD(base, k->off, char *);
	const char	 *s;

	if ((s = config_scalar(p, n, "a string")) == NULL)
		return (-1);
	free(*f);
	*f = xstrdup(s);
	return (0);
}

/* Booleans as nats-server reads them: true/yes/on, false/no/off. */
static int
config_parse_bool(const char *s, int *v)
{
	static const char	*yes[] = { "true", "yes", "on" };
	static const char	*no[] = { "false", "no", "off" };
	size_t			 i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*v = 1;
			return (0);
		}
		if (strcasecmp(s, no[i]) == 0) {
			*v = 0;
			return (0);
		}
	}
	return (-1);
}

int
config_bool(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	const char	*s;

	if ((s = config_scalar(p, n, "true or false")) == NULL)
		return (-1);
	if (config_parse_bool(s, FIELD(base, k->off, int)) == -1)
		return (config_expected(p, n, "true or false"));
	return (0);
}

/* true, false, "enabled", "disabled" (jetstream) into *v. */
int
config_enabled(struct config_parse *p, yaml_node_t *n, int *v)
{
	static const char	*what = "true, false, enabled, disabled or "
				    "a map";
	const char		*s;

	if ((s = config_scalar(p, n, what)) == NULL)
		return (-1);
	if (strcasecmp(s, "enabled") == 0 || strcasecmp(s, "enable") == 0)
		*v = 1;
	else if (strcasecmp(s, "disabled") == 0 ||
	    strcasecmp(s, "disable") == 0)
		*v = 0;
	else if (config_parse_bool(s, v) == -1)
		return (config_expected(p, n, what));
	return (0);
}

/* An integer within k->min..k->max. */
static int
config_int(struct config_parse *p, yaml_node_t *n,
    const struct config_key *k, int64_t *v)
{
	const char	*s;

	if ((s = config_scalar(p, n, "an integer")) == NULL)
		return (-1);
	if (config_parse_int(s, v) == -1)
		return (config_expected(p, n, "an integer"));
	if (*v < k->min || *v > k->max)
		return (config_error(p, n, "%lld out of range %lld..%lld",
		    (long long)*v, (long long)k->min, (long long)k->max));
	return (0);
}

int
config_i32(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	int64_t	 v;

	if (config_int(p, n, k, &v) == -1)
		return (-1);
	*FIELD(base, k->off, int32_t) = (int32_t)v;
	return (0);
}

int
config_i64(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_int(p, n, k, FIELD(base, k->off, int64_t)));
}

/* A size ("1MB", "64KB", 512) within k->min..k->max. */
static int
config_size_value(struct config_parse *p, yaml_node_t *n,
    const struct config_key *k, int64_t *v)
{
	const char	*s;
	char		 a[32], b[32], c[32];

	if ((s = config_scalar(p, n, "a size like 1MB")) == NULL)
		return (-1);
	if (config_parse_size(s, v) == -1)
		return (config_expected(p, n, "a size like 1MB"));
	if (*v < k->min || *v > k->max)
		return (config_error(p, n, "%s out of range %s..%s",
		    config_fmt_size(a, sizeof a, *v),
		    config_fmt_size(b, sizeof b, k->min),
		    config_fmt_size(c, sizeof c, k->max)));
	return (0);
}

int
config_size(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_size_value(p, n, k, FIELD(base, k->off, int64_t)));
}

int
config_size32(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	int64_t	 v;

	if (config_size_value(p, n, k, &v) == -1)
		return (-1);
	*FIELD(base, k->off, int32_t) = (int32_t)v;
	return (0);
}

int
config_dur(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	const char	*s, *what;
	int64_t		*f = FIELD(base, k->off, int64_t);
	char		 a[32], b[32];

	what = (k->flags & K_SECONDS) ?
	    "a duration like 2m or 500ms, or seconds" :
	    "a duration like 2m or 500ms";
	if ((s = config_scalar(p, n, what)) == NULL)
		return (-1);
	if (config_parse_duration(s, k->flags & K_SECONDS, f) == -1)
		return (config_expected(p, n, what));
	if (*f < k->min)
		return (config_error(p, n, "%s is below the minimum of %s",
		    config_fmt_duration(a, sizeof a, *f),
		    config_fmt_duration(b, sizeof b, k->min)));
	if (*f > k->max)
		return (config_error(p, n, "%s is above the maximum of %s",
		    config_fmt_duration(a, sizeof a, *f),
		    config_fmt_duration(b, sizeof b, k->max)));
	return (0);
}

/*
 * listen, http, https: a port, or "host:port" ("[::1]:4222" for IPv6;
 * ":4222" leaves the host to its default). Sets base + off (host) and
 * base + off2 (port).
 */
int
config_listen(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	const char	*s, *colon, *h = NULL, *he = NULL;
	char		**host = FIELD(base, k->off, char *);
	int64_t		 port;

	if ((s = config_scalar(p, n, "a port or host:port")) == NULL)
		return (-1);
	if (config_parse_int(s, &port) == -1) {
		if (*s == '[') {
			h = s + 1;
			he = strchr(s, ']');
			colon = (he != NULL && he[1] == ':') ? he + 1 : NULL;
		} else {
			h = s;
			colon = he = strrchr(s, ':');
		}
		if (colon == NULL || config_parse_int(colon + 1, &port) == -1)
			return (config_expected(p, n, "a port or host:port"));
	}
	if (port < -1 || port > 65535)
		return (config_error(p, n, "port %lld out of range -1..65535",
		    (long long)port));
	*FIELD(base, k->off2, int32_t) = (int32_t)port;
	if (h != NULL && he > h) {
		free(*host);
		*host = xstrndup(h, he - h);
	}
	return (0);
}

/*
 * Checks a subject as nats-server's IsValidSubject does, allowing
 * "subject queue" for permissions: no empty tokens, no white space
 * inside, nothing after ">".
 */
int
config_subject_ok(const char *s, int queue_ok)
{
	const char	*t, *e, *sp;
	size_t		 len;
	int		 fwc = 0;

	if (queue_ok && (sp = strchr(s, ' ')) != NULL) {
		char	*subj = xstrndup(s, sp - s);
		int	 ok;

		while (*sp == ' ')
			sp++;
		ok = *sp != '\0' && strpbrk(sp, " \t\r\n\f") == NULL &&
		    config_subject_ok(subj, 0);
		free(subj);
		return (ok);
	}
	if (*s == '\0')
		return (0);
	for (t = s; ; t = e + 1) {
		e = strchr(t, '.');
		len = e != NULL ? (size_t)(e - t) : strlen(t);
		if (len == 0 || fwc)
			return (0);
		if (strcspn(t, " \t\r\n\f") < len)
			return (0);
		if (len == 1 && *t == '>')
			fwc = 1;
		if (e == NULL)
			return (1);
	}
}

/* One item of a string list, checked as k->flags asks. */
static int
config_strlist_item(struct config_parse *p, yaml_node_t *n,
    struct config_strlist *l, const struct config_key *k)
{
	const char	*s, *what;

	what = (k->flags & K_URL) ? "a URL like nats://host:port" :
	    (k->flags & K_SUBJECT) ? "a subject" : "a string";
	if ((s = config_scalar(p, n, what)) == NULL)
		return (-1);
	if ((k->flags & K_SUBJECT) && !config_subject_ok(s, 1))
		return (config_error(p, n, "\"%.60s\" is not a valid subject",
		    s));
	if ((k->flags & K_URL) && (strstr(s, "://") == NULL ||
	    strstr(s, "://")[3] == '\0'))
		return (config_expected(p, n, what));
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
	return (0);
}

/* A list of strings; with K_ONE, a single string is a list of one. */
int
config_strlist(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_strlist	*l = FIELD(base, k->off, struct config_strlist);
	yaml_node_item_t	*it;
	struct config_save	 sv;
	size_t			 i = 0;
	int			 rc;

	config_strlist_free(l);
	if (n->type == YAML_SCALAR_NODE && (k->flags & K_ONE))
		return (config_strlist_item(p, n, l, k));
	if (n->type != YAML_SEQUENCE_NODE)
		return (config_expected(p, n, (k->flags & K_ONE) ?
		    "a string or a list" : "a list"));
	if (config_enter(p, n) == -1)
		return (-1);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		sv = config_push_index(p, i++);
		rc = config_strlist_item(p, config_node(p, *it), l, k);
		config_pop(p, sv);
		if (rc == -1)
			return (-1);
	}
	if ((k->flags & K_NONEMPTY) && l->n == 0)
		return (config_error(p, n, "cannot be empty"));
	return (0);
}

int
config_block(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_map(p, n, k->sub, FIELD(base, k->off, void)));
}


/*
 * Loads the one YAML document of text into doc and points *root at its
 * root node (NULL for an empty file). Returns 0, and the caller deletes
 * doc; or -1 with the cause recorded and nothing to delete.
 */
static int
config_yaml(struct config_parse *p, const char *text, size_t len,
    yaml_document_t *doc, yaml_node_t **root)
{
	yaml_parser_t	 parser;
	yaml_document_t	 extra;
	int		 loaded = 0;

	*root = NULL;
	if (!yaml_parser_initialize(&parser))
		fatalx("config: yaml_parser_initialize failed");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	if (!yaml_parser_load(&parser, doc))
		goto fail;
	loaded = 1;
	if (!yaml_parser_load(&parser, &extra))
		goto fail;
	if (yaml_document_get_root_node(&extra) != NULL) {
		config_errorl(p, (int)extra.start_mark.line + 1, "",
		    "more than one YAML document");
		yaml_document_delete(&extra);
		goto out;
	}
	yaml_document_delete(&extra);
	yaml_parser_delete(&parser);
	*root = yaml_document_get_root_node(doc);
	return (0);
fail:
	if (parser.error == YAML_READER_ERROR)
		config_errorl(p, 0, "", "yaml: %s at byte %zu", parser.problem,
		    parser.problem_offset);
	else if (parser.context != NULL)
		config_errorl(p, (int)parser.problem_mark.line + 1, "",
		    "yaml: %s %s at line %d", parser.problem, parser.context,
		    (int)parser.context_mark.line + 1);
	else
		config_errorl(p, (int)parser.problem_mark.line + 1, "",
		    "yaml: %s", parser.problem != NULL ? parser.problem :
		    "syntax error");
out:
	if (loaded)
		yaml_document_delete(doc);
	yaml_parser_delete(&parser);
	return (-1);
}

struct config *
config_parse(const char *text, size_t len, const char *name, char **cause)
{
	struct config_parse	 p;
	yaml_document_t		 doc;
	yaml_node_t		*root;
	struct config		*cf;
	size_t			 i;
	int			 rc = -1;

	memset(&p, 0, sizeof p);
	p.name = name;
	p.cf = cf = config_new();
	cf->path = xstrdup(name);
	cf->text = xmalloc(len + 1);
	memcpy(cf->text, text, len);
	cf->text[len] = '\0';
	cf->textlen = len;
	if (len > CONFIG_MAX_TEXT)
		config_errorl(&p, 0, "", "more than %d bytes", CONFIG_MAX_TEXT);
	else if (config_yaml(&p, text, len, &doc, &root) == 0) {
		p.doc = &doc;
		p.maxvisits = 4 * (unsigned long)(doc.nodes.top -
		    doc.nodes.start) + CONFIG_VISITS_SLACK;
		if (root == NULL)
			rc = 0;
		else if (root->type == YAML_MAPPING_NODE)
			rc = config_map(&p, root, config_top_keys, cf);
		else
			config_errorl(&p, (int)root->start_mark.line + 1, "",
			    "the file must be a map of keys");
		if (rc == 0)
			rc = config_finish(&p);
		yaml_document_delete(&doc);
	}
	for (i = 0; i < p.nmarks; i++)
		free(p.marks[i].cpath);
	free(p.marks);
	if (rc == -1) {
		if (cause != NULL)
			*cause = p.cause;
		else
			free(p.cause);
		config_free(cf);
		return (NULL);
	}
	return (cf);
}

struct config *
config_load(const char *path, char **cause)
{
	struct config	*cf;
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0, size = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		xasprintf(cause, "%s: not a regular file", path);
		goto fail;
	}
	for (;;) {
		if (len == size) {
			if (size > CONFIG_MAX_TEXT) {
				xasprintf(cause, "%s: more than %d bytes",
				    path, CONFIG_MAX_TEXT);
				goto fail;
			}
			size = size == 0 ? 8192 : size * 2;
			buf = xreallocarray(buf, 1, size);
		}
		if ((n = read(fd, buf + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	cf = config_parse(buf, len, path, cause);
	free(buf);
	return (cf);
fail:
	close(fd);
	free(buf);
	return (NULL);
}

struct config *
config_default(void)
{
	struct config	*cf;
	char		*cause;

	if ((cf = config_parse("", 0, "(defaults)", &cause)) == NULL)
		fatalx("config: defaults do not validate: %s", cause);
	free(cf->path);
	cf->path = NULL;
	return (cf);
}
