/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/subject.c: subject and queue name checks. A subject is tokens
 * separated by '.'; '*' (one token) and '>' (one or more, last only) are
 * wildcards only when they are a whole token: "foo*" is a literal.
 */

#include "config.h"

#include <stddef.h>

#include <string.h>

#include "subject.h"

static int	subject_space(char);

static int
subject_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f');
}

/*
 * subject_valid - the full subject check
 * @s, @len: the subject, not NUL-terminated
 * @wildcards_ok: 0 refuses wildcard tokens
 *
 * nats-server's IsValidSubject (or, with @wildcards_ok 0,
 * IsValidPublishSubject): not empty, no empty token, no token after a
 * '>' token, no space, tab, CR, LF or FF anywhere. This is the check for
 * subjects that come from configuration and from APIs (permissions,
 * imports, exports, JetStream); the protocol verbs check less, see
 * subject_valid_sub() and subject_valid_literal().
 * Return: 1 if valid, 0 if not.
 */
int
subject_valid(const char *s, size_t len, int wildcards_ok)
{
	size_t	i, start;
	int	fwc = 0;

	if (len == 0)
		return (0);
	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (subject_space(s[i]))
				return (0);
			continue;
		}
		if (i == start || fwc)
			return (0);
		if (i - start == 1 && (s[start] == '*' || s[start] == '>')) {
			if (!wildcards_ok)
				return (0);
			fwc = s[start] == '>';
		}
		start = i + 1;
	}
	return (1);
}

/*
 * subject_valid_sub - what SUB (and sublist_insert()) accepts
 *
 * nats-server's Sublist.Insert rule, whose failure is the client's
 * "Invalid Subject": no empty token and no token after '>'. Whitespace
 * is not checked (the protocol parser has already split on space and
 * tab).
 * Return: 1 if valid, 0 if not.
 */
int
subject_valid_sub(const char *s, size_t len)
{
	size_t	i, start;
	int	fwc = 0;

	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start || fwc)
			return (0);
		fwc = i - start == 1 && s[start] == '>';
		start = i + 1;
	}
	return (1);
}

/*
 * subject_valid_literal - what a pedantic client's PUB must be
 *
 * nats-server's IsValidLiteralSubject, whose failure is "Invalid
 * Publish Subject": no empty token and no wildcard token. Whitespace is
 * not checked.
 * Return: 1 if valid, 0 if not.
 */
int
subject_valid_literal(const char *s, size_t len)
{
	size_t	i, start;

	for (start = 0, i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i == start)
			return (0);
		if (i - start == 1 && (s[start] == '*' || s[start] == '>'))
			return (0);
		start = i + 1;
	}
	return (1);
}

/*
 * subject_literal - whether a subject has no wildcard token
 *
 * nats-server's subjectIsLiteral: does not validate otherwise.
 * Return: 1 if literal, 0 if it has a '*' or '>' token.
 */
int
subject_literal(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != '*' && s[i] != '>')
			continue;
		if ((i == 0 || s[i - 1] == '.') &&
		    (i + 1 == len || s[i + 1] == '.'))
			return (0);
	}
	return (1);
}

/*
 * subject_ntokens - the number of tokens (for max_sub_tokens)
 * Return: the count of '.' plus one; 0 for an empty subject.
 */
int
subject_ntokens(const char *s, size_t len)
{
	size_t	i;
	int	n = 1;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++)
		if (s[i] == '.')
			n++;
	return (n);
}

/*
 * queue_valid - whether a queue group name is acceptable
 *
 * nats-server v2.9 takes any non-empty protocol argument: so do we,
 * refusing only what could not have come through the parser.
 * Return: 1 if valid, 0 if not.
 */
int
queue_valid(const char *q, size_t len)
{
	size_t	i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++)
		if (subject_space(q[i]))
			return (0);
	return (1);
}

/*
 * Does the literal subject (slen bytes) match pattern (plen bytes),
 * which may hold '*' (one token) and a final '>' (one or more tokens)?
 * Used off the hot path (replies, permissions); the tries match
 * published messages.
 */
int
subject_matches(const char *pattern, size_t plen, const char *subject,
    size_t slen)
{
	size_t	pi = 0, si = 0, pe, se;

	if (plen == 0 || slen == 0)
		return (0);
	for (;;) {
		for (pe = pi; pe < plen && pattern[pe] != '.'; pe++)
			;
		for (se = si; se < slen && subject[se] != '.'; se++)
			;
		if (pe - pi == 1 && pattern[pi] == '>')
			return (si < slen);
		if (!(pe - pi == 1 && pattern[pi] == '*') &&
		    (pe - pi != se - si ||
		    memcmp(pattern + pi, subject + si, pe - pi) != 0))
			return (0);
		if (pe >= plen || se >= slen)
			return (pe >= plen && se >= slen);
		pi = pe + 1;
		si = se + 1;
	}
}
