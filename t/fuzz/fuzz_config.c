/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/fuzz/fuzz_config.c: libFuzzer target for the YAML configuration
 * loader (shared/config*.c). Loads the input as a file, checks the
 * promises of conf.h on what comes back, diffs it and frees it all;
 * LeakSanitizer finds what the loader forgets to free.
 */

#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define FUZZ_CHECK(e)	do { if (!(e)) __builtin_trap(); } while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_diff_cb(const char *key, int reloadable, void *arg)
{
	int	*n = arg;

	FUZZ_CHECK(key != NULL && *key != '\0');
	FUZZ_CHECK(reloadable == 0 || reloadable == 1);
	(*n)++;
}

/* A port as conf.h has them: -1 random, 0 off (if allowed), 1..65535. */
static int
fuzz_port(int32_t port, int zero_ok)
{
	return (port >= -1 && port <= 65535 && (zero_ok || port != 0));
}

/* What the workers take on trust once a file has loaded. */
static void
fuzz_check(const struct config *cf, const uint8_t *data, size_t size)
{
	size_t	 i;

	FUZZ_CHECK(strcmp(cf->path, "fuzz") == 0);
	FUZZ_CHECK(cf->textlen == size && cf->text[size] == '\0');
	FUZZ_CHECK(size == 0 || memcmp(cf->text, data, size) == 0);
	FUZZ_CHECK(cf->host != NULL && cf->http_host != NULL);
	FUZZ_CHECK(fuzz_port(cf->port, 0));
	FUZZ_CHECK(fuzz_port(cf->http_port, 1));
	FUZZ_CHECK(fuzz_port(cf->cluster.port, 1));
	FUZZ_CHECK(fuzz_port(cf->gateway.port, 1));
	FUZZ_CHECK(fuzz_port(cf->leafnodes.port, 1));
	FUZZ_CHECK(cf->workers >= 0 && cf->workers <= CONFIG_MAX_WORKERS);
	FUZZ_CHECK(cf->shm_size >= CONFIG_MIN_SHM_SIZE &&
	    cf->shm_size <= CONFIG_MAX_SHM_SIZE);
	FUZZ_CHECK(cf->max_payload > 0 &&
	    cf->max_payload <= CONFIG_MAX_MAX_PAYLOAD);
	FUZZ_CHECK(cf->max_control_line > 0);
	FUZZ_CHECK(cf->max_pending > 0);
	FUZZ_CHECK(cf->auth.nusers == 0 || cf->auth.users != NULL);
	for (i = 0; i < cf->auth.nusers; i++)
		FUZZ_CHECK(cf->auth.users[i].user != NULL ||
		    cf->auth.users[i].nkey != NULL);
	FUZZ_CHECK(cf->naccounts == 0 || cf->accounts != NULL);
	for (i = 0; i < cf->naccounts; i++) {
		FUZZ_CHECK(cf->accounts[i].name != NULL);
		FUZZ_CHECK(config_account_find(cf, cf->accounts[i].name) !=
		    NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config	*def;
	struct config		*cf;
	char			*cause = NULL;
	int			 n = 0, m = 0, restart;

	if (def == NULL)
		def = config_default();	/* kept: still reachable */
	cf = config_parse((const char *)data, size, "fuzz", &cause);
	if (cf == NULL) {
		/* "fuzz:LINE: KEY: problem", LINE left out at times */
		FUZZ_CHECK(cause != NULL && strncmp(cause, "fuzz:", 5) == 0);
		free(cause);
		return (0);
	}
	FUZZ_CHECK(cause == NULL);
	fuzz_check(cf, data, size);

	/* Nothing differs from itself; a reload either way agrees. */
	FUZZ_CHECK(config_diff(cf, cf, fuzz_diff_cb, &n) == 0 && n == 0);
	restart = config_diff(def, cf, fuzz_diff_cb, &n);
	FUZZ_CHECK(restart >= 0 && restart <= n);
	FUZZ_CHECK(config_diff(cf, def, fuzz_diff_cb, &m) == restart && m == n);
	config_free(cf);
	return (0);
}
