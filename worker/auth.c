/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * worker/auth.c: checking the credentials a client presents in CONNECT.
 */

#include "config.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

#include "worker.h"

/* Compare without leaking, through timing, where the first mismatch is. */
static int
auth_equal(const char *a, const char *b)
{
	size_t		la = strlen(a), lb = strlen(b), i;
	unsigned char	diff = la != lb;

	for (i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return (diff == 0);
}

/*
 * Does the password given match want, which is either plain text or a
 * bcrypt hash ("$2a$", "$2b$", "$2y$")? want NULL matches nothing.
 */
int
auth_password_ok(const char *given, const char *want)
{
	struct crypt_data	*cd;
	const char		*h;
	int			 ok;

	if (given == NULL || want == NULL)
		return (0);
	if (strncmp(want, "$2", 2) != 0)
		return (auth_equal(given, want));
	if ((cd = calloc(1, sizeof(*cd))) == NULL)
		return (0);
	h = crypt_r(given, want, cd);
	ok = h != NULL && h[0] != '*' && auth_equal(h, want);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return (ok);
}
