/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/config_check.c: the defaults of a new configuration, and what
 * runs once a file is read: defaults that depend on other keys, then the
 * rules that span keys (nats-server's validateOptions and friends), each
 * failure named by the file line of the key to blame.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "config_int.h"
#include "xmalloc.h"

/* A user name or nkey with where it was given, for duplicate checks. */
struct config_who {
	const char		*name;
	int			 line;
	char			 path[CONFIG_PATH_MAX];
};

/* A configuration holding the defaults that do not depend on others. */
struct config *
config_new(void)
{
	struct config	*cf;

	cf = xcalloc(1, sizeof *cf);
	cf->port = CONFIG_DEFAULT_PORT;
	cf->shm_size = CONFIG_DEFAULT_SHM_SIZE;
	cf->logtime = 1;
	cf->lame_duck_duration = CONFIG_DEFAULT_LD_DURATION;
	cf->leafnodes.reconnect = CONFIG_DEFAULT_LEAF_RECONNECT;
	cf->jetstream.max_memory_store = CONFIG_UNLIMITED;
	cf->jetstream.max_file_store = CONFIG_UNLIMITED;
	cf->jetstream.sync_interval = CONFIG_DEFAULT_JS_SYNC;
	return (cf);
}

static void
config_default_str(char **s, const char *def)
{
	if (*s == NULL)
		*s = xstrdup(def);
}

/* nats-server treats 0 as "not set" for these, so 0 means the default. */
static void
config_default_zero(struct config *cf)
{
	if (cf->port == 0)
		cf->port = CONFIG_DEFAULT_PORT;
	if (cf->max_payload == 0)
		cf->max_payload = CONFIG_DEFAULT_MAX_PAYLOAD;
	if (cf->max_connections == 0)
		cf->max_connections = CONFIG_DEFAULT_MAX_CONN;
	if (cf->max_control_line == 0)
		cf->max_control_line = CONFIG_DEFAULT_MAX_CTL_LINE;
	if (cf->max_pending == 0)
		cf->max_pending = CONFIG_DEFAULT_MAX_PENDING;
	if (cf->ping_interval == 0)
		cf->ping_interval = CONFIG_DEFAULT_PING_INTERVAL;
	if (cf->ping_max == 0)
		cf->ping_max = CONFIG_DEFAULT_PING_MAX;
	if (cf->write_deadline == 0)
		cf->write_deadline = CONFIG_DEFAULT_WRITE_DEADLINE;
	if (cf->lame_duck_grace_period == 0)
		cf->lame_duck_grace_period = CONFIG_DEFAULT_LD_GRACE;
	if (cf->connect_error_reports == 0)
		cf->connect_error_reports = CONFIG_DEFAULT_CONNECT_ERR_REP;
	if (cf->reconnect_error_reports == 0)
		cf->reconnect_error_reports = CONFIG_DEFAULT_RECONNECT_ERR_REP;
}

/* An authorization timeout not given: 2s, or the TLS timeout plus 1s. */
static void
config_default_auth(struct config_auth *auth, const struct config_tls *tls)
{
	if (auth->timeout == 0)
		auth->timeout = tls != NULL ? tls->timeout + 1000 :
		    CONFIG_DEFAULT_AUTH_TIMEOUT;
}

/* Users without permissions of their own get a copy of the defaults. */
static void
config_default_perms(struct config_user *users, size_t n,
    const struct config_permissions *def)
{
	size_t	 i;

	for (i = 0; def != NULL && i < n; i++) {
		if (users[i].perms == NULL)
			users[i].perms = config_perms_dup(def);
	}
}

static void
config_defaults(struct config_parse *p)
{
	struct config	*cf = p->cf;
	size_t		 i;

	config_default_zero(cf);
	config_default_str(&cf->host, CONFIG_DEFAULT_HOST);
	config_default_str(&cf->http_host, cf->host);
	config_default_str(&cf->cluster.host, CONFIG_DEFAULT_HOST);
	config_default_str(&cf->gateway.host, CONFIG_DEFAULT_HOST);
	config_default_str(&cf->leafnodes.host, CONFIG_DEFAULT_HOST);
	if (cf->trace_verbose)
		cf->trace = 1;
	config_default_auth(&cf->auth, cf->tls);
	cf->auth_timeout = cf->auth.timeout;
	config_default_auth(&cf->cluster.auth, cf->cluster.tls);
	config_default_auth(&cf->gateway.auth, cf->gateway.tls);
	config_default_auth(&cf->leafnodes.auth, cf->leafnodes.tls);
	cf->auth.users_set = config_line(p, "authorization.users") != 0;
	config_default_perms(cf->auth.users, cf->auth.nusers,
	    cf->auth.default_perms);
	for (i = 0; i < cf->naccounts; i++)
		config_default_perms(cf->accounts[i].users,
		    cf->accounts[i].nusers, cf->accounts[i].default_perms);
	if (cf->cluster.name == NULL && cf->gateway.name != NULL &&
	    config_line(p, "cluster.name") == 0)
		cf->cluster.name = xstrdup(cf->gateway.name);
}

/*
 * Two keys that may not both be given: blames the later one, naming the
 * earlier. Returns -1 if both are given, else 0.
 */
static int
config_conflict(struct config_parse *p, const char *a, const char *b)
{
	int	 la = config_line(p, a), lb = config_line(p, b);

	if (la == 0 || lb == 0)
		return (0);
	if (la >= lb)
		return (config_errorl(p, la, a, "cannot be combined with %s "
		    "(line %d)", b, lb));
	return (config_errorl(p, lb, b, "cannot be combined with %s (line %d)",
	    a, la));
}

static int
config_check_limits(struct config_parse *p)
{
	struct config	*cf = p->cf;
	char		 a[32], b[32];
	int		 line;

	config_fmt_size(a, sizeof a, cf->max_payload);
	config_fmt_size(b, sizeof b, cf->max_pending);
	if (cf->max_payload > cf->max_pending) {
		if ((line = config_line(p, "max_payload")) != 0)
			return (config_errorl(p, line, "max_payload", "%s is "
			    "higher than max_pending (%s)", a, b));
		return (config_errorl(p, config_line(p, "max_pending"),
		    "max_pending", "%s is lower than max_payload (%s)", b, a));
	}
	if (cf->lame_duck_grace_period >= cf->lame_duck_duration) {
		line = config_line(p, "lame_duck_grace_period");
		return (config_errorl(p, line != 0 ? line :
		    config_line(p, "lame_duck_duration"),
		    "lame_duck_grace_period", "%s must be shorter than "
		    "lame_duck_duration (%s)",
		    config_fmt_duration(a, sizeof a,
		    cf->lame_duck_grace_period),
		    config_fmt_duration(b, sizeof b, cf->lame_duck_duration)));
	}
	return (0);
}

/* token, user/password, users and accounts' users exclude each other. */
static int
config_check_auth_mix(struct config_parse *p)
{
	struct config	*cf = p->cf;
	char		 path[CONFIG_PATH_MAX];
	size_t		 i;

	if (config_conflict(p, "authorization.token", "authorization.user") ||
	    config_conflict(p, "authorization.token",
	    "authorization.password") ||
	    config_conflict(p, "authorization.users", "authorization.user") ||
	    config_conflict(p, "authorization.users", "authorization.token"))
		return (-1);
	for (i = 0; i < cf->naccounts; i++) {
		snprintf(path, sizeof path, "accounts.%s.users",
		    cf->accounts[i].name);
		if (config_conflict(p, path, "authorization.user") ||
		    config_conflict(p, path, "authorization.token"))
			return (-1);
	}
	return (0);
}

static int
config_who_cmp(const void *a, const void *b)
{
	const struct config_who	*wa = a, *wb = b;
	int			 c;

	if ((c = strcmp(wa->name, wb->name)) != 0)
		return (c);
	return (wa->line - wb->line);
}

static void
config_who_add(struct config_who **w, size_t *n, const struct config_user *u,
    const char *prefix, size_t i)
{
	struct config_who	*e;

	*w = xreallocarray(*w, *n + 1, sizeof **w);
	e = &(*w)[(*n)++];
	e->name = u->nkey != NULL ? u->nkey : u->user;
	e->line = u->line;
	snprintf(e->path, sizeof e->path, "%s[%zu]", prefix, i);
}

/* Sorts who[] and fails on the first name given twice. */
static int
config_who_check(struct config_parse *p, struct config_who *who, size_t n,
    const char *what)
{
	size_t	 i;

	if (n < 2)
		return (0);
	qsort(who, n, sizeof *who, config_who_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(who[i - 1].name, who[i].name) == 0)
			return (config_errorl(p, who[i].line, who[i].path,
			    "duplicate %s \"%s\" (also on line %d)", what,
			    who[i].name, who[i - 1].line));
	}
	return (0);
}

/* Users are unique across authorization and accounts; no_auth_user. */
static int
config_check_users(struct config_parse *p)
{
	struct config		*cf = p->cf;
	struct config_who	*who = NULL;
	struct config_account	*a;
	char			 prefix[CONFIG_PATH_MAX];
	size_t			 n = 0, i, j;
	int			 rc, found = 0;

	for (i = 0; i < cf->auth.nusers; i++)
		config_who_add(&who, &n, &cf->auth.users[i],
		    "authorization.users", i);
	for (i = 0; i < cf->naccounts; i++) {
		a = &cf->accounts[i];
		snprintf(prefix, sizeof prefix, "accounts.%s.users", a->name);
		for (j = 0; j < a->nusers; j++)
			config_who_add(&who, &n, &a->users[j], prefix, j);
	}
	for (i = 0; i < n && cf->no_auth_user != NULL; i++)
		found |= strcmp(who[i].name, cf->no_auth_user) == 0;
	rc = config_who_check(p, who, n, "user");
	free(who);
	if (rc == 0 && cf->no_auth_user != NULL && !found)
		rc = config_errorl(p, config_line(p, "no_auth_user"),
		    "no_auth_user", "\"%s\" is not a user in authorization or "
		    "accounts", cf->no_auth_user);
	return (rc);
}

/* An account name usable by imports, exports and leaf nodes. */
static int
config_account_known(const struct config *cf, const char *name)
{
	if (name == NULL || strcmp(name, "$G") == 0)
		return (1);
	if (strcmp(name, "$SYS") == 0 && !cf->no_system_account)
		return (1);
	return (config_account_find(cf, name) != NULL);
}

static int
config_check_account(struct config_parse *p, struct config_account *a)
{
	struct config	*cf = p->cf;
	char		 path[CONFIG_PATH_MAX];
	size_t		 i, j;

	snprintf(path, sizeof path, "accounts.%s.nkey", a->name);
	if (a->nkey != NULL && !config_nkey_ok(a->nkey, 'A'))
		return (config_errorl(p, config_line(p, path), path,
		    "not a valid public account nkey"));
	for (i = 0; i < a->nexports; i++) {
		for (j = 0; j < a->exports[i].accounts.n; j++) {
			if (config_account_known(cf,
			    a->exports[i].accounts.v[j]))
				continue;
			snprintf(path, sizeof path, "accounts.%s.exports[%zu]."
			    "accounts", a->name, i);
			return (config_errorl(p, config_line(p, path), path,
			    "account \"%s\" is not defined",
			    a->exports[i].accounts.v[j]));
		}
	}
	for (i = 0; i < a->nimports; i++) {
		if (config_account_known(cf, a->imports[i].account))
			continue;
		snprintf(path, sizeof path, "accounts.%s.imports[%zu].%s",
		    a->name, i, a->imports[i].type == CONFIG_STREAM ?
		    "stream" : "service");
		return (config_errorl(p, config_line(p, path), path,
		    "account \"%s\" is not defined", a->imports[i].account));
	}
	return (0);
}

static int
config_check_cluster(struct config_parse *p)
{
	struct config	*cf = p->cf;
	int		 line;

	line = config_line(p, "cluster");
	if (line != 0 && cf->cluster.port == 0)
		return (config_errorl(p, line, "cluster", "needs a port "
		    "(listen or port; -1 picks a random one)"));
	if (cf->cluster.perms != NULL && cf->cluster.perms->allow_responses)
		return (config_errorl(p, config_line(p, "cluster.permissions"),
		    "cluster.permissions", "allow_responses is not supported "
		    "for routes"));
	if (cf->cluster.name != NULL && cf->gateway.name != NULL &&
	    strcmp(cf->cluster.name, cf->gateway.name) != 0)
		return (config_errorl(p, config_line(p, "gateway.name"),
		    "gateway.name", "\"%s\" differs from cluster.name \"%s\"",
		    cf->gateway.name, cf->cluster.name));
	line = config_line(p, "gateway");
	if (line != 0 && cf->gateway.name == NULL)
		return (config_errorl(p, line, "gateway", "needs a name"));
	if (line != 0 && cf->gateway.port == 0)
		return (config_errorl(p, line, "gateway", "needs a port "
		    "(listen or port; -1 picks a random one)"));
	return (0);
}

static int
config_check_leaf(struct config_parse *p)
{
	struct config_leafnodes	*ln = &p->cf->leafnodes;
	struct config_who	*who = NULL;
	const char		*acct;
	char			 path[CONFIG_PATH_MAX];
	size_t			 i, n = 0;
	int			 rc;

	if (config_conflict(p, "leafnodes.authorization.users",
	    "leafnodes.authorization.user"))
		return (-1);
	for (i = 0; i < ln->auth.nusers; i++)
		config_who_add(&who, &n, &ln->auth.users[i],
		    "leafnodes.authorization.users", i);
	rc = config_who_check(p, who, n, "leafnode user");
	free(who);
	if (rc == -1)
		return (-1);
	if (!config_account_known(p->cf, ln->auth.account))
		return (config_errorl(p, config_line(p,
		    "leafnodes.authorization.account"),
		    "leafnodes.authorization.account", "account \"%s\" is not "
		    "defined", ln->auth.account));
	for (i = 0; i < ln->auth.nusers; i++) {
		acct = ln->auth.users[i].account;
		snprintf(path, sizeof path, "leafnodes.authorization.users"
		    "[%zu].account", i);
		if (!config_account_known(p->cf, acct))
			return (config_errorl(p, config_line(p, path), path,
			    "account \"%s\" is not defined", acct));
	}
	for (i = 0; i < ln->nremotes; i++) {
		acct = ln->remotes[i].account;
		snprintf(path, sizeof path, "leafnodes.remotes[%zu].account",
		    i);
		if (!config_account_known(p->cf, acct))
			return (config_errorl(p, config_line(p, path), path,
			    "account \"%s\" is not defined", acct));
	}
	return (0);
}

/*
 * Fills the defaults that depend on other keys, then checks the rules
 * that span keys. Returns 0, or -1 with the cause recorded.
 */
int
config_finish(struct config_parse *p)
{
	size_t	 i;

	config_defaults(p);
	if (config_check_limits(p) == -1 || config_check_auth_mix(p) == -1 ||
	    config_check_users(p) == -1)
		return (-1);
	for (i = 0; i < p->cf->naccounts; i++) {
		if (config_check_account(p, &p->cf->accounts[i]) == -1)
			return (-1);
	}
	if (config_check_cluster(p) == -1 || config_check_leaf(p) == -1)
		return (-1);
	if (config_conflict(p, "store_dir", "jetstream.store_dir"))
		return (-1);
	return (0);
}
