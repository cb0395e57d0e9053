/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/monitor_fmt.c: the small formats that monitoring shares
 * with nats-server's Go: times (RFC 3339 with nanoseconds), durations
 * (Go's time.Duration text), uptimes, query strings and the parsing of
 * their values with Go's error texts, and JSON strings that are always
 * valid UTF-8. No state; unit-tested in t/check_monitor.c.
 */

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "log.h"
#include "supervisor.h"
#include "xmalloc.h"

#define NS_PER_SEC	1000000000LL

/*
 * Write ns since the epoch as Go marshals a UTC time.Time:
 * "2006-01-02T15:04:05.999999999Z", trailing zeros of the fraction left
 * out, and the fraction with them when it is zero. buf holds at least
 * MONITOR_TIME_LEN bytes.
 */
void
monitor_fmt_time(char *buf, size_t len, int64_t ns)
{
	struct tm	tm;
	time_t		sec;
	int64_t		frac;
	char		f[16];
	int		n;

	sec = (time_t)(ns / NS_PER_SEC);
	frac = ns % NS_PER_SEC;
	if (frac < 0) {
		frac += NS_PER_SEC;
		sec--;
	}
	gmtime_r(&sec, &tm);
	f[0] = '\0';
	if (frac != 0) {
		n = snprintf(f, sizeof(f), ".%09lld", (long long)frac);
		while (n > 1 && f[n - 1] == '0')
			f[--n] = '\0';
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%sZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, f);
}

/*
 * v as an integer part and digits decimals (v / 10^digits), trailing
 * zeros and a bare point left out: Go's fmtFrac and fmtInt together.
 */
static int
monitor_fmt_frac(char *buf, size_t len, uint64_t v, int digits)
{
	uint64_t	p = 1, ip, fp;
	char		f[24];
	int		i, n;

	for (i = 0; i < digits; i++)
		p *= 10;
	ip = v / p;
	fp = v % p;
	if (fp == 0)
		return (snprintf(buf, len, "%llu", (unsigned long long)ip));
	n = snprintf(f, sizeof(f), "%0*llu", digits, (unsigned long long)fp);
	while (n > 0 && f[n - 1] == '0')
		f[--n] = '\0';
	return (snprintf(buf, len, "%llu.%s", (unsigned long long)ip, f));
}

/*
 * Write ns as Go's time.Duration.String(): "0s", "850ns", "1.5µs",
 * "279µs", "12.3ms", "1.000001s", "2m0s", "1h0m0.5s".
 */
void
monitor_fmt_duration(char *buf, size_t len, int64_t ns)
{
	const char	*sign = ns < 0 ? "-" : "";
	uint64_t	 u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	uint64_t	 h, m;
	char		 s[48];

	if (u == 0) {
		snprintf(buf, len, "0s");
		return;
	}
	if (u < 1000) {
		snprintf(buf, len, "%s%lluns", sign, (unsigned long long)u);
		return;
	}
	if (u < 1000000) {
		monitor_fmt_frac(s, sizeof(s), u, 3);
		snprintf(buf, len, "%s%s\xc2\xb5s", sign, s);
		return;
	}
	if (u < (uint64_t)NS_PER_SEC) {
		monitor_fmt_frac(s, sizeof(s), u, 6);
		snprintf(buf, len, "%s%sms", sign, s);
		return;
	}
	monitor_fmt_frac(s, sizeof(s), u % (60 * NS_PER_SEC), 9);
	m = u / (60 * NS_PER_SEC);
	h = m / 60;
	m %= 60;
	if (h > 0)
		snprintf(buf, len, "%s%lluh%llum%ss", sign,
		    (unsigned long long)h, (unsigned long long)m, s);
	else if (m > 0)
		snprintf(buf, len, "%s%llum%ss", sign, (unsigned long long)m,
		    s);
	else
		snprintf(buf, len, "%s%ss", sign, s);
}

/*
 * A round-trip time as nats-server reports it: between 1µs and 1ms cut
 * to whole microseconds, otherwise to the nanosecond.
 */
void
monitor_fmt_rtt(char *buf, size_t len, int64_t ns)
{
	if (ns > 1000 && ns < 1000000)
		ns -= ns % 1000;
	monitor_fmt_duration(buf, len, ns);
}

/*
 * Write ns as nats-server's uptimes and idle times: whole seconds,
 * "1y2d3h4m5s" with the leading zero units left out.
 */
void
monitor_fmt_uptime(char *buf, size_t len, int64_t ns)
{
	int64_t	s = ns / NS_PER_SEC, m = s / 60, h = m / 60, d = h / 24;
	int64_t	y = d / 365;

	if (y > 0)
		snprintf(buf, len, "%lldy%lldd%lldh%lldm%llds", (long long)y,
		    (long long)(d % 365), (long long)(h % 24),
		    (long long)(m % 60), (long long)(s % 60));
	else if (d > 0)
		snprintf(buf, len, "%lldd%lldh%lldm%llds", (long long)d,
		    (long long)(h % 24), (long long)(m % 60),
		    (long long)(s % 60));
	else if (h > 0)
		snprintf(buf, len, "%lldh%lldm%llds", (long long)h,
		    (long long)(m % 60), (long long)(s % 60));
	else if (m > 0)
		snprintf(buf, len, "%lldm%llds", (long long)m,
		    (long long)(s % 60));
	else
		snprintf(buf, len, "%llds", (long long)s);
}

static int
monitor_fmt_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode len bytes of a query component as Go's url.QueryUnescape does
 * ('+' is a space, %XX a byte). Returns a new string, or NULL when an
 * escape is malformed.
 */
static char *
monitor_fmt_unescape(const char *s, size_t len)
{
	char	*out, *o;
	size_t	 i;
	int	 hi, lo;

	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= len) {
				free(out);
				return (NULL);
			}
			hi = monitor_fmt_hex((unsigned char)s[i + 1]);
			lo = monitor_fmt_hex((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				free(out);
				return (NULL);
			}
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return (out);
}

/*
 * The first value of key in query (the part of a URL after '?', or
 * NULL), as Go's r.URL.Query().Get(key) finds it: pairs split at '&',
 * a pair holding ';' or a bad escape ignored, a pair without '=' has
 * the empty value. Returns a new string, or NULL when key is absent.
 */
char *
monitor_fmt_query(const char *query, const char *key)
{
	const char	*p, *end, *eq, *amp;
	char		*k, *v;

	if (query == NULL)
		return (NULL);
	for (p = query; *p != '\0'; p = *amp != '\0' ? amp + 1 : amp) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		end = amp;
		if (memchr(p, ';', end - p) != NULL || end == p)
			continue;
		if ((eq = memchr(p, '=', end - p)) == NULL)
			eq = end;
		if ((k = monitor_fmt_unescape(p, eq - p)) == NULL)
			continue;
		v = monitor_fmt_unescape(eq < end ? eq + 1 : end,
		    eq < end ? end - eq - 1 : 0);
		if (v == NULL || strcmp(k, key) != 0) {
			free(k);
			free(v);
			continue;
		}
		free(k);
		return (v);
	}
	return (NULL);
}

/*
 * Quote s as Go's %q (strconv.Quote) would for the texts monitoring
 * echoes back: into a new string.
 */
char *
monitor_fmt_quote(const char *s)
{
	const unsigned char	*p;
	char			*out, *o;

	o = out = xmalloc(strlen(s) * 4 + 3);
	*o++ = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = *p;
		} else if (*p == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (*p == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (*p == '\r') {
			*o++ = '\\';
			*o++ = 'r';
		} else if (*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = *p;
	}
	*o++ = '"';
	*o = '\0';
	return (out);
}

/*
 * Parse a boolean as Go's strconv.ParseBool. Returns 0 with *v set, or
 * -1 (nats-server's 400 answer names the text).
 */
int
monitor_fmt_bool(const char *s, int *v)
{
	static const char	*yes[] = { "1", "t", "T", "TRUE", "true",
				    "True" };
	static const char	*no[] = { "0", "f", "F", "FALSE", "false",
				    "False" };
	size_t			 i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*v = 1;
			return (0);
		}
		if (strcmp(s, no[i]) == 0) {
			*v = 0;
			return (0);
		}
	}
	return (-1);
}

/*
 * Parse a decimal integer as Go's strconv.Atoi (sign allowed) or, with
 * is_unsigned, strconv.ParseUint (no sign). Returns 0 with *v set, -1
 * for bad syntax, -2 when out of range.
 */
static int
monitor_fmt_num(const char *s, int is_unsigned, int64_t *sv, uint64_t *uv)
{
	const char	*p = s;
	uint64_t	 u = 0, lim;
	int		 neg = 0;

	if (!is_unsigned && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (*p == '\0')
		return (-1);
	/*
	 * Go stops at the first problem: a bad byte, or an overflow of 64
	 * unsigned bits; a signed overflow is only seen at the end.
	 */
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
		if (u > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return (-2);
		u = u * 10 + (uint64_t)(*p - '0');
	}
	lim = is_unsigned ? UINT64_MAX : neg ? (uint64_t)INT64_MAX + 1 :
	    (uint64_t)INT64_MAX;
	if (u > lim)
		return (-2);
	if (is_unsigned)
		*uv = u;
	else
		*sv = neg ? (int64_t)(0 - u) : (int64_t)u;
	return (0);
}

int
monitor_fmt_int(const char *s, int64_t *v)
{
	return (monitor_fmt_num(s, 0, v, NULL));
}

int
monitor_fmt_uint(const char *s, uint64_t *v)
{
	return (monitor_fmt_num(s, 1, NULL, v));
}

/* Length of the valid UTF-8 sequence at s (left bytes there), or 0. */
static size_t
monitor_fmt_utf8(const unsigned char *s, size_t left)
{
	uint32_t	cp;
	size_t		n, i;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return (0);
	if (n > left)
		return (0);
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (n);
}

/*
 * A JSON string of s. Bytes that are not UTF-8 (clients choose their
 * names, subjects and sids) become U+FFFD, as Go's encoder makes them,
 * so the answer is always valid JSON. NULL s gives "".
 */
json_t *
monitor_fmt_json_str(const char *s)
{
	const unsigned char	*p;
	json_t			*j;
	size_t			 len, i, n;
	char			*out, *o;

	if (s == NULL)
		s = "";
	if ((j = json_string(s)) != NULL)
		return (j);
	p = (const unsigned char *)s;
	len = strlen(s);
	o = out = xmalloc(len * 3 + 1);
	for (i = 0; i < len; i += n) {
		if ((n = monitor_fmt_utf8(p + i, len - i)) == 0) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
		} else {
			memcpy(o, p + i, n);
			o += n;
		}
	}
	*o = '\0';
	j = json_string(out);
	free(out);
	if (j == NULL)
		fatalx("json_string failed");
	return (j);
}
