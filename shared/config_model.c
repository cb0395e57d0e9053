/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/config_model.c: the life of a struct config once built: free,
 * copy parts, look up, and compare two (config_diff), which tells the
 * supervisor on SIGHUP which changes apply at once and which need a
 * restart, following nats-server's reload rules.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "config_int.h"
#include "xmalloc.h"

struct config_diffstate {
	void		(*cb)(const char *, int, void *);
	void		 *arg;
	int		  restarts;
};

void
config_strlist_free(struct config_strlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
config_strlist_copy(struct config_strlist *dst,
    const struct config_strlist *src)
{
	size_t	 i;

	dst->n = src->n;
	dst->v = src->n != 0 ? xreallocarray(NULL, src->n, sizeof *dst->v) :
	    NULL;
	for (i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
}

static void
config_perms_free(struct config_permissions *pm)
{
	if (pm == NULL)
		return;
	config_strlist_free(&pm->publish.allow);
	config_strlist_free(&pm->publish.deny);
	config_strlist_free(&pm->subscribe.allow);
	config_strlist_free(&pm->subscribe.deny);
	free(pm);
}

/* A deep copy of pm, which the caller frees with the user it goes to. */
struct config_permissions *
config_perms_dup(const struct config_permissions *pm)
{
	struct config_permissions	*c;

	c = xmalloc(sizeof *c);
	*c = *pm;
	config_strlist_copy(&c->publish.allow, &pm->publish.allow);
	config_strlist_copy(&c->publish.deny, &pm->publish.deny);
	config_strlist_copy(&c->subscribe.allow, &pm->subscribe.allow);
	config_strlist_copy(&c->subscribe.deny, &pm->subscribe.deny);
	return (c);
}

static void
config_users_free(struct config_user *users, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(users[i].user);
		free(users[i].password);
		free(users[i].nkey);
		free(users[i].account);
		config_perms_free(users[i].perms);
		config_strlist_free(&users[i].conn_types);
	}
	free(users);
}

static void
config_auth_free(struct config_auth *a)
{
	free(a->token);
	free(a->user);
	free(a->password);
	free(a->account);
	config_users_free(a->users, a->nusers);
	config_perms_free(a->default_perms);
}

static void
config_tls_free(struct config_tls *t)
{
	if (t == NULL)
		return;
	free(t->cert_file);
	free(t->key_file);
	free(t->ca_file);
	config_strlist_free(&t->cipher_suites);
	config_strlist_free(&t->curve_preferences);
	free(t);
}

static void
config_account_free(struct config_account *a)
{
	size_t	 i;

	free(a->name);
	free(a->nkey);
	config_users_free(a->users, a->nusers);
	for (i = 0; i < a->nexports; i++) {
		free(a->exports[i].subject);
		config_strlist_free(&a->exports[i].accounts);
		free(a->exports[i].latency_subject);
	}
	free(a->exports);
	for (i = 0; i < a->nimports; i++) {
		free(a->imports[i].account);
		free(a->imports[i].subject);
		free(a->imports[i].to);
		free(a->imports[i].prefix);
	}
	free(a->imports);
	config_perms_free(a->default_perms);
}

static void
config_cluster_free(struct config_cluster *c)
{
	free(c->name);
	free(c->host);
	free(c->advertise);
	config_strlist_free(&c->routes);
	config_auth_free(&c->auth);
	config_perms_free(c->perms);
	config_tls_free(c->tls);
}

static void
config_gateway_free(struct config_gateway *g)
{
	size_t	 i;

	free(g->name);
	free(g->host);
	free(g->advertise);
	config_auth_free(&g->auth);
	config_tls_free(g->tls);
	for (i = 0; i < g->ngateways; i++) {
		free(g->gateways[i].name);
		config_strlist_free(&g->gateways[i].urls);
		config_tls_free(g->gateways[i].tls);
	}
	free(g->gateways);
}

static void
config_leafnodes_free(struct config_leafnodes *l)
{
	struct config_leaf_remote	*r;
	size_t				 i;

	free(l->host);
	free(l->advertise);
	config_auth_free(&l->auth);
	config_tls_free(l->tls);
	for (i = 0; i < l->nremotes; i++) {
		r = &l->remotes[i];
		config_strlist_free(&r->urls);
		free(r->account);
		free(r->credentials);
		config_strlist_free(&r->deny_imports);
		config_strlist_free(&r->deny_exports);
		config_tls_free(r->tls);
	}
	free(l->remotes);
}

/* Frees cf and everything it holds; also a partly built one; NULL ok. */
void
config_free(struct config *cf)
{
	size_t	 i;

	if (cf == NULL)
		return;
	free(cf->path);
	free(cf->text);
	free(cf->server_name);
	free(cf->host);
	free(cf->client_advertise);
	free(cf->http_host);
	free(cf->http_base_path);
	free(cf->pid_file);
	free(cf->ports_file_dir);
	free(cf->log_file);
	free(cf->remote_syslog);
	free(cf->no_auth_user);
	free(cf->system_account);
	config_strlist_free(&cf->server_tags);
	config_auth_free(&cf->auth);
	for (i = 0; i < cf->naccounts; i++)
		config_account_free(&cf->accounts[i]);
	free(cf->accounts);
	config_tls_free(cf->tls);
	config_cluster_free(&cf->cluster);
	config_gateway_free(&cf->gateway);
	config_leafnodes_free(&cf->leafnodes);
	free(cf->jetstream.store_dir);
	free(cf->jetstream.domain);
	free(cf);
}

/* The account called name, or NULL. */
struct config_account *
config_account_find(const struct config *cf, const char *name)
{
	size_t	 i;

	for (i = 0; i < cf->naccounts; i++) {
		if (strcmp(cf->accounts[i].name, name) == 0)
			return (&cf->accounts[i]);
	}
	return (NULL);
}

/* Equality of the parts, NULL-safe where parts may be absent. */

static int
config_str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static int
config_strlist_eq(const struct config_strlist *a,
    const struct config_strlist *b)
{
	size_t	 i;

	if (a->n != b->n)
		return (0);
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i], b->v[i]) != 0)
			return (0);
	}
	return (1);
}

static int
config_subperm_eq(const struct config_subperm *a,
    const struct config_subperm *b)
{
	return (a->flags == b->flags && config_strlist_eq(&a->allow,
	    &b->allow) && config_strlist_eq(&a->deny, &b->deny));
}

static int
config_perms_eq(const struct config_permissions *a,
    const struct config_permissions *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (config_subperm_eq(&a->publish, &b->publish) &&
	    config_subperm_eq(&a->subscribe, &b->subscribe) &&
	    a->allow_responses == b->allow_responses &&
	    a->resp_max_msgs == b->resp_max_msgs &&
	    a->resp_expires == b->resp_expires);
}

static int
config_users_eq(const struct config_user *a, size_t na,
    const struct config_user *b, size_t nb)
{
	size_t	 i;

	if (na != nb)
		return (0);
	for (i = 0; i < na; i++) {
		if (!config_str_eq(a[i].user, b[i].user) ||
		    !config_str_eq(a[i].password, b[i].password) ||
		    !config_str_eq(a[i].nkey, b[i].nkey) ||
		    !config_str_eq(a[i].account, b[i].account) ||
		    !config_perms_eq(a[i].perms, b[i].perms) ||
		    !config_strlist_eq(&a[i].conn_types, &b[i].conn_types))
			return (0);
	}
	return (1);
}

static int
config_auth_eq(const struct config_auth *a, const struct config_auth *b)
{
	return (config_str_eq(a->token, b->token) &&
	    config_str_eq(a->user, b->user) &&
	    config_str_eq(a->password, b->password) &&
	    config_str_eq(a->account, b->account) &&
	    a->timeout == b->timeout && a->users_set == b->users_set &&
	    config_users_eq(a->users, a->nusers, b->users, b->nusers) &&
	    config_perms_eq(a->default_perms, b->default_perms));
}

static int
config_tls_eq(const struct config_tls *a, const struct config_tls *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (config_str_eq(a->cert_file, b->cert_file) &&
	    config_str_eq(a->key_file, b->key_file) &&
	    config_str_eq(a->ca_file, b->ca_file) &&
	    a->verify == b->verify && a->verify_and_map == b->verify_and_map &&
	    a->insecure == b->insecure && a->timeout == b->timeout &&
	    config_strlist_eq(&a->cipher_suites, &b->cipher_suites) &&
	    config_strlist_eq(&a->curve_preferences, &b->curve_preferences));
}

static int
config_export_eq(const struct config_export *a, const struct config_export *b)
{
	return (a->type == b->type && config_str_eq(a->subject, b->subject) &&
	    config_strlist_eq(&a->accounts, &b->accounts) &&
	    a->response_type == b->response_type &&
	    a->response_threshold == b->response_threshold &&
	    config_str_eq(a->latency_subject, b->latency_subject) &&
	    a->latency_sampling == b->latency_sampling &&
	    a->account_token_position == b->account_token_position);
}

static int
config_import_eq(const struct config_import *a, const struct config_import *b)
{
	return (a->type == b->type && config_str_eq(a->account, b->account) &&
	    config_str_eq(a->subject, b->subject) &&
	    config_str_eq(a->to, b->to) &&
	    config_str_eq(a->prefix, b->prefix) && a->share == b->share);
}

static int
config_account_eq(const struct config_account *a,
    const struct config_account *b)
{
	size_t	 i;

	if (!config_str_eq(a->name, b->name) ||
	    !config_str_eq(a->nkey, b->nkey) ||
	    !config_users_eq(a->users, a->nusers, b->users, b->nusers) ||
	    !config_perms_eq(a->default_perms, b->default_perms) ||
	    a->jetstream != b->jetstream ||
	    a->js_max_memory != b->js_max_memory ||
	    a->js_max_store != b->js_max_store ||
	    a->js_max_streams != b->js_max_streams ||
	    a->js_max_consumers != b->js_max_consumers ||
	    a->nexports != b->nexports || a->nimports != b->nimports)
		return (0);
	for (i = 0; i < a->nexports; i++) {
		if (!config_export_eq(&a->exports[i], &b->exports[i]))
			return (0);
	}
	for (i = 0; i < a->nimports; i++) {
		if (!config_import_eq(&a->imports[i], &b->imports[i]))
			return (0);
	}
	return (1);
}

static int
config_accounts_eq(const struct config *a, const struct config *b)
{
	size_t	 i;

	if (a->naccounts != b->naccounts)
		return (0);
	for (i = 0; i < a->naccounts; i++) {
		if (!config_account_eq(&a->accounts[i], &b->accounts[i]))
			return (0);
	}
	return (1);
}

static int
config_gateway_eq(const struct config_gateway *a,
    const struct config_gateway *b)
{
	size_t	 i;

	if (!config_str_eq(a->name, b->name) ||
	    !config_str_eq(a->host, b->host) || a->port != b->port ||
	    !config_str_eq(a->advertise, b->advertise) ||
	    a->connect_retries != b->connect_retries ||
	    a->reject_unknown != b->reject_unknown ||
	    !config_auth_eq(&a->auth, &b->auth) ||
	    !config_tls_eq(a->tls, b->tls) || a->ngateways != b->ngateways)
		return (0);
	for (i = 0; i < a->ngateways; i++) {
		if (!config_str_eq(a->gateways[i].name, b->gateways[i].name) ||
		    !config_strlist_eq(&a->gateways[i].urls,
		    &b->gateways[i].urls) ||
		    !config_tls_eq(a->gateways[i].tls, b->gateways[i].tls))
			return (0);
	}
	return (1);
}

static int
config_remote_eq(const struct config_leaf_remote *a,
    const struct config_leaf_remote *b)
{
	return (config_strlist_eq(&a->urls, &b->urls) &&
	    config_str_eq(a->account, b->account) &&
	    config_str_eq(a->credentials, b->credentials) &&
	    a->no_randomize == b->no_randomize && a->hub == b->hub &&
	    config_strlist_eq(&a->deny_imports, &b->deny_imports) &&
	    config_strlist_eq(&a->deny_exports, &b->deny_exports) &&
	    config_tls_eq(a->tls, b->tls));
}

static int
config_leafnodes_eq(const struct config_leafnodes *a,
    const struct config_leafnodes *b)
{
	size_t	 i;

	if (!config_str_eq(a->host, b->host) || a->port != b->port ||
	    !config_str_eq(a->advertise, b->advertise) ||
	    a->no_advertise != b->no_advertise ||
	    a->reconnect != b->reconnect ||
	    !config_auth_eq(&a->auth, &b->auth) ||
	    !config_tls_eq(a->tls, b->tls) || a->nremotes != b->nremotes)
		return (0);
	for (i = 0; i < a->nremotes; i++) {
		if (!config_remote_eq(&a->remotes[i], &b->remotes[i]))
			return (0);
	}
	return (1);
}

static void
config_diff_one(struct config_diffstate *st, const char *key, int reload,
    int same)
{
	if (same)
		return;
	if (!reload)
		st->restarts++;
	if (st->cb != NULL)
		st->cb(key, reload, st->arg);
}

#define DIFF_NUM(k, f, r)	config_diff_one(st, k, r, o->f == n->f)
#define DIFF_STR(k, f, r)	config_diff_one(st, k, r, \
				    config_str_eq(o->f, n->f))

/* Top-level scalars; reloadable as nats-server's reload.go allows. */
static void
config_diff_top(struct config_diffstate *st, const struct config *o,
    const struct config *n)
{
	DIFF_STR("server_name", server_name, 0);
	DIFF_STR("host", host, 0);
	DIFF_NUM("port", port, 0);
	DIFF_STR("client_advertise", client_advertise, 1);
	DIFF_STR("http_host", http_host, 0);
	DIFF_NUM("http_port", http_port, 0);
	DIFF_NUM("https_port", https_port, 0);
	DIFF_STR("http_base_path", http_base_path, 0);
	DIFF_NUM("workers", workers, 0);
	DIFF_NUM("shm_size", shm_size, 0);
	DIFF_NUM("max_payload", max_payload, 1);
	DIFF_NUM("max_connections", max_connections, 1);
	DIFF_NUM("max_control_line", max_control_line, 1);
	DIFF_NUM("max_pending", max_pending, 0);
	DIFF_NUM("max_subscriptions", max_subscriptions, 0);
	DIFF_NUM("ping_interval", ping_interval, 1);
	DIFF_NUM("ping_max", ping_max, 1);
	DIFF_NUM("write_deadline", write_deadline, 1);
	DIFF_NUM("lame_duck_duration", lame_duck_duration, 0);
	DIFF_NUM("lame_duck_grace_period", lame_duck_grace_period, 0);
	DIFF_NUM("max_traced_msg_len", max_traced_msg_len, 1);
	DIFF_STR("pid_file", pid_file, 1);
	DIFF_STR("ports_file_dir", ports_file_dir, 1);
	DIFF_STR("log_file", log_file, 1);
	DIFF_NUM("logfile_size_limit", log_size_limit, 0);
	DIFF_NUM("syslog", syslog, 1);
	DIFF_STR("remote_syslog", remote_syslog, 1);
	DIFF_NUM("debug", debug, 1);
	DIFF_NUM("trace", trace, 1);
	DIFF_NUM("trace_verbose", trace_verbose, 1);
	DIFF_NUM("logtime", logtime, 1);
	DIFF_NUM("daemon", daemon, 0);
	DIFF_NUM("connect_error_reports", connect_error_reports, 1);
	DIFF_NUM("reconnect_error_reports", reconnect_error_reports, 1);
	DIFF_STR("no_auth_user", no_auth_user, 0);
	DIFF_NUM("no_header_support", no_header_support, 0);
	DIFF_NUM("disable_sublist_cache", disable_sublist_cache, 0);
	DIFF_STR("system_account", system_account, 0);
	DIFF_NUM("no_system_account", no_system_account, 0);
	config_diff_one(st, "server_tags", 1,
	    config_strlist_eq(&o->server_tags, &n->server_tags));
}

/* cluster: only the listener and the name need a restart. */
static void
config_diff_cluster(struct config_diffstate *st, const struct config *o,
    const struct config *n)
{
	DIFF_STR("cluster.name", cluster.name, 0);
	config_diff_one(st, "cluster.listen", 0,
	    config_str_eq(o->cluster.host, n->cluster.host) &&
	    o->cluster.port == n->cluster.port);
	DIFF_STR("cluster.advertise", cluster.advertise, 1);
	DIFF_NUM("cluster.no_advertise", cluster.no_advertise, 1);
	DIFF_NUM("cluster.connect_retries", cluster.connect_retries, 1);
	config_diff_one(st, "cluster.routes", 1,
	    config_strlist_eq(&o->cluster.routes, &n->cluster.routes));
	config_diff_one(st, "cluster.authorization", 1,
	    config_auth_eq(&o->cluster.auth, &n->cluster.auth));
	config_diff_one(st, "cluster.permissions", 1,
	    config_perms_eq(o->cluster.perms, n->cluster.perms));
	config_diff_one(st, "cluster.tls", 1,
	    config_tls_eq(o->cluster.tls, n->cluster.tls));
}

static void
config_diff_jetstream(struct config_diffstate *st, const struct config *o,
    const struct config *n)
{
	DIFF_NUM("jetstream", jetstream.enabled, 1);
	DIFF_STR("jetstream.store_dir", jetstream.store_dir, 0);
	DIFF_NUM("jetstream.max_memory_store", jetstream.max_memory_store, 0);
	DIFF_NUM("jetstream.max_file_store", jetstream.max_file_store, 0);
	DIFF_STR("jetstream.domain", jetstream.domain, 0);
	DIFF_NUM("jetstream.sync_interval", jetstream.sync_interval, 0);
}

/*
 * Compares old o and new n key by key. For each difference calls cb
 * (if not NULL) with the key's canonical name and whether the running
 * server can apply it. Returns how many differences need a restart.
 * The path and text of the two are not compared.
 */
int
config_diff(const struct config *o, const struct config *n,
    void (*cb)(const char *, int, void *), void *arg)
{
	struct config_diffstate	 s = { cb, arg, 0 }, *st = &s;

	config_diff_top(st, o, n);
	config_diff_one(st, "authorization", 1,
	    config_auth_eq(&o->auth, &n->auth) &&
	    o->auth_timeout == n->auth_timeout);
	config_diff_one(st, "accounts", 1, config_accounts_eq(o, n));
	config_diff_one(st, "tls", 1, config_tls_eq(o->tls, n->tls));
	config_diff_cluster(st, o, n);
	config_diff_one(st, "gateway", 0,
	    config_gateway_eq(&o->gateway, &n->gateway));
	config_diff_one(st, "leafnodes", 0,
	    config_leafnodes_eq(&o->leafnodes, &n->leafnodes));
	config_diff_jetstream(st, o, n);
	return (s.restarts);
}
