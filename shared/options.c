/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/options.c: how the command line and a running configuration
 * shape a newly loaded one: flags override the file (nats-server's
 * rule), and keys that cannot change at runtime keep their values.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "options.h"
#include "xmalloc.h"

static void
options_set(char **dst, const char *v)
{
	if (v == NULL)
		return;
	free(*dst);
	*dst = xstrdup(v);
}

/* Overlay the command-line settings in o on cf. */
void
options_apply(const struct options *o, struct config *cf)
{
	/* http_host follows host unless the file set it apart. */
	if (o->host != NULL && cf->http_host != NULL && cf->host != NULL &&
	    strcmp(cf->http_host, cf->host) == 0)
		options_set(&cf->http_host, o->host);
	options_set(&cf->host, o->host);
	if (o->port_set)
		cf->port = o->port;
	if (o->http_port_set)
		cf->http_port = o->http_port;
	options_set(&cf->server_name, o->name);
	if (o->workers > 0)
		cf->workers = o->workers;
	if (o->jetstream)
		cf->jetstream.enabled = 1;
	options_set(&cf->jetstream.store_dir, o->store_dir);
	options_set(&cf->auth.user, o->user);
	options_set(&cf->auth.password, o->pass);
	options_set(&cf->auth.token, o->token);
	options_set(&cf->log_file, o->log_file);
	if (o->syslog)
		cf->syslog = 1;
	options_set(&cf->pid_file, o->pid_file);
	if (o->debug)
		cf->debug = 1;
	if (o->trace)
		cf->trace = 1;
	if (o->daemon)
		cf->daemon = 1;
}

/*
 * Keys bound at start (listeners, process count, shared memory, the
 * store) keep old's values in new, so a reload changes only what it can.
 */
void
config_keep_fixed(const struct config *old, struct config *new)
{
	free(new->host);
	new->host = xstrdup(old->host);
	new->port = old->port;
	new->http_port = old->http_port;
	new->workers = old->workers;
	new->shm_size = old->shm_size;
	new->daemon = old->daemon;
	free(new->pid_file);
	new->pid_file = old->pid_file != NULL ? xstrdup(old->pid_file) : NULL;
	free(new->jetstream.store_dir);
	new->jetstream.store_dir = old->jetstream.store_dir != NULL ?
	    xstrdup(old->jetstream.store_dir) : NULL;
}

/* Must a client authenticate? */
int
config_auth_required(const struct config *cf)
{
	return (cf->auth.token != NULL || cf->auth.user != NULL ||
	    cf->auth.nusers > 0 || cf->naccounts > 0);
}
