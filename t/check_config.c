/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_config.c: unit tests of the YAML configuration loader
 * (shared/config*.c): every key of t/conf/full.yaml, the defaults, the
 * size, duration and listen forms, each kind of error with its exact
 * "file:line: key:" cause, config_diff, and the sample etc/natsd.yaml.
 */

#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "conf.h"
#include "config_int.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR	"."
#endif
#define CONF(f)		TOP_SRCDIR "/t/conf/" f

#define KB	1024LL
#define MB	(1024LL * 1024)
#define GB	(1024LL * 1024 * 1024)
#define SEC	1000LL
#define MIN	(60 * SEC)

/* Parses text named "test.yaml"; fails the test on error. */
static struct config *
parse_ok(const char *text)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = config_parse(text, strlen(text), "test.yaml", &cause);
	ck_assert_msg(cf != NULL, "parse failed: %s", cause);
	return (cf);
}

/* Parses text that must fail; returns the malloc'd cause. */
static char *
parse_bad(const char *text)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = config_parse(text, strlen(text), "test.yaml", &cause);
	ck_assert_msg(cf == NULL, "parse of \"%s\" succeeded", text);
	ck_assert_ptr_nonnull(cause);
	return (cause);
}

static void
assert_list(const struct config_strlist *l, size_t n, ...)
{
	va_list	 ap;
	size_t	 i;

	ck_assert_uint_eq(l->n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(l->v[i], va_arg(ap, const char *));
	va_end(ap);
}

START_TEST(test_config_load_full_top)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = config_load(CONF("full.yaml"), &cause);
	ck_assert_msg(cf != NULL, "%s", cause);
	ck_assert_str_eq(cf->path, CONF("full.yaml"));
	ck_assert_str_eq(cf->server_name, "n1");
	ck_assert_str_eq(cf->host, "127.0.0.1");
	ck_assert_int_eq(cf->port, 4333);
	ck_assert_str_eq(cf->client_advertise, "nats.example.com:4333");
	ck_assert_str_eq(cf->http_host, "127.0.0.2");
	ck_assert_int_eq(cf->http_port, 8333);
	ck_assert_int_eq(cf->https_port, 8444);
	ck_assert_str_eq(cf->http_base_path, "/mon");
	ck_assert_int_eq(cf->workers, 3);
	ck_assert_int_eq(cf->shm_size, 128 * MB);
	ck_assert_int_eq(cf->max_payload, 2 * MB);
	ck_assert_int_eq(cf->max_connections, 1000);
	ck_assert_int_eq(cf->max_control_line, 8 * KB);
	ck_assert_int_eq(cf->max_pending, 32 * MB);
	ck_assert_int_eq(cf->max_subscriptions, 500);
	ck_assert_int_eq(cf->ping_interval, 30 * SEC);
	ck_assert_int_eq(cf->ping_max, 5);
	ck_assert_int_eq(cf->write_deadline, 3 * SEC);
	ck_assert_int_eq(cf->lame_duck_duration, 1 * MIN);
	ck_assert_int_eq(cf->lame_duck_grace_period, 5 * SEC);
	ck_assert_int_eq(cf->max_traced_msg_len, 256);
	ck_assert_str_eq(cf->pid_file, "/run/natsd.pid");
	ck_assert_str_eq(cf->ports_file_dir, "/run");
	ck_assert_str_eq(cf->log_file, "/var/log/natsd.log");
	ck_assert_int_eq(cf->log_size_limit, 10 * MB);
	ck_assert_int_eq(cf->syslog, 1);
	ck_assert_str_eq(cf->remote_syslog, "udp://127.0.0.1:514");
	ck_assert_int_eq(cf->debug, 1);
	/* trace: false, but trace_verbose implies trace as in nats-server. */
	ck_assert_int_eq(cf->trace, 1);
	ck_assert_int_eq(cf->trace_verbose, 1);
	ck_assert_int_eq(cf->logtime, 0);
	ck_assert_int_eq(cf->daemon, 1);
	ck_assert_int_eq(cf->connect_error_reports, 10);
	ck_assert_int_eq(cf->reconnect_error_reports, 2);
	ck_assert_str_eq(cf->no_auth_user, "alice");
	ck_assert_int_eq(cf->no_header_support, 1);
	ck_assert_int_eq(cf->disable_sublist_cache, 1);
	ck_assert_str_eq(cf->system_account, "SYS");
	ck_assert_int_eq(cf->no_system_account, 0);
	assert_list(&cf->server_tags, 2, "az1", "rack2");
	ck_assert_uint_eq(cf->textlen, strlen(cf->text));
	ck_assert_ptr_nonnull(strstr(cf->text, "server_name: n1\n"));
	config_free(cf);
}
END_TEST

START_TEST(test_config_load_full_authorization)
{
	struct config			*cf;
	struct config_user		*u;
	struct config_permissions	*pm;

	cf = config_load(CONF("full.yaml"), NULL);
	ck_assert_ptr_nonnull(cf);
	ck_assert_int_eq(cf->auth.timeout, 1500);
	ck_assert_int_eq(cf->auth_timeout, 1500);
	ck_assert_ptr_null(cf->auth.token);
	ck_assert_int_eq(cf->auth.users_set, 1);
	ck_assert_uint_eq(cf->auth.nusers, 3);

	u = &cf->auth.users[0];
	ck_assert_str_eq(u->user, "alice");
	ck_assert_str_eq(u->password, "$2a$11$abc");
	ck_assert_ptr_null(u->account);
	ck_assert_int_eq(u->line, 46);
	pm = u->perms;
	ck_assert_ptr_nonnull(pm);
	ck_assert_int_eq(pm->publish.flags, CONFIG_PERM_ALLOW |
	    CONFIG_PERM_DENY);
	assert_list(&pm->publish.allow, 1, "orders.>");
	assert_list(&pm->publish.deny, 1, "orders.admin.*");
	ck_assert_int_eq(pm->subscribe.flags, CONFIG_PERM_ALLOW);
	assert_list(&pm->subscribe.allow, 2, "events.>", "jobs.* workers");
	ck_assert_int_eq(pm->allow_responses, 1);
	ck_assert_int_eq(pm->resp_max_msgs, 5);
	ck_assert_int_eq(pm->resp_expires, 1 * MIN);
	assert_list(&u->conn_types, 2, "STANDARD", "WEBSOCKET");

	/* bob and the nkey user inherit default_permissions. */
	u = &cf->auth.users[1];
	ck_assert_str_eq(u->user, "bob");
	ck_assert_str_eq(u->password, "pw");
	ck_assert_ptr_nonnull(u->perms);
	ck_assert_int_eq(u->perms->publish.flags, CONFIG_PERM_ALLOW);
	assert_list(&u->perms->publish.allow, 1, "public.>");
	ck_assert_int_eq(u->perms->subscribe.flags, 0);
	ck_assert_int_eq(u->perms->allow_responses, 0);
	u = &cf->auth.users[2];
	ck_assert_ptr_null(u->user);
	ck_assert_str_eq(u->nkey,
	    "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4");
	assert_list(&u->perms->publish.allow, 1, "public.>");
	ck_assert_ptr_ne(u->perms, cf->auth.users[1].perms);
	config_free(cf);
}
END_TEST

START_TEST(test_config_load_full_accounts)
{
	struct config		*cf;
	struct config_account	*a;
	struct config_export	*e;
	struct config_import	*im;

	cf = config_load(CONF("full.yaml"), NULL);
	ck_assert_ptr_nonnull(cf);
	ck_assert_uint_eq(cf->naccounts, 3);
	ck_assert_str_eq(cf->accounts[0].name, "SYS");
	ck_assert_uint_eq(cf->accounts[0].nusers, 1);
	ck_assert_str_eq(cf->accounts[0].users[0].account, "SYS");
	ck_assert_int_eq(cf->accounts[0].jetstream, 0);

	a = config_account_find(cf, "PROD");
	ck_assert_ptr_eq(a, &cf->accounts[1]);
	ck_assert_str_eq(a->nkey,
	    "ADXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4");
	ck_assert_uint_eq(a->nusers, 1);
	ck_assert_str_eq(a->users[0].user, "api");
	ck_assert_str_eq(a->users[0].password, "pw2");
	ck_assert_str_eq(a->users[0].account, "PROD");
	assert_list(&a->users[0].perms->subscribe.allow, 1, "prod.>");
	ck_assert_int_eq(a->jetstream, 1);
	ck_assert_int_eq(a->js_max_memory, 1 * GB);
	ck_assert_int_eq(a->js_max_store, 10 * GB);
	ck_assert_int_eq(a->js_max_streams, 10);
	ck_assert_int_eq(a->js_max_consumers, 100);

	ck_assert_uint_eq(a->nexports, 2);
	e = &a->exports[0];
	ck_assert_int_eq(e->type, CONFIG_STREAM);
	ck_assert_str_eq(e->subject, "events.>");
	assert_list(&e->accounts, 1, "DEV");
	e = &a->exports[1];
	ck_assert_int_eq(e->type, CONFIG_SERVICE);
	ck_assert_str_eq(e->subject, "billing.>");
	ck_assert_int_eq(e->accounts.n, 0);
	ck_assert_int_eq(e->response_type, CONFIG_RESP_STREAM);
	ck_assert_int_eq(e->response_threshold, 5 * SEC);
	ck_assert_str_eq(e->latency_subject, "lat.billing");
	ck_assert_int_eq(e->latency_sampling, 50);

	ck_assert_uint_eq(a->nimports, 1);
	im = &a->imports[0];
	ck_assert_int_eq(im->type, CONFIG_SERVICE);
	ck_assert_str_eq(im->account, "DEV");
	ck_assert_str_eq(im->subject, "dev.svc");
	ck_assert_str_eq(im->to, "prod.dev.svc");
	ck_assert_ptr_null(im->prefix);
	ck_assert_int_eq(im->share, 1);

	a = config_account_find(cf, "DEV");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->jetstream, 1);
	ck_assert_int_eq(a->js_max_memory, CONFIG_UNLIMITED);
	ck_assert_int_eq(a->imports[0].type, CONFIG_STREAM);
	ck_assert_str_eq(a->imports[0].account, "PROD");
	ck_assert_str_eq(a->imports[0].subject, "events.>");
	ck_assert_str_eq(a->imports[0].prefix, "from.prod");
	ck_assert_int_eq(a->exports[0].type, CONFIG_SERVICE);
	ck_assert_ptr_null(config_account_find(cf, "NOPE"));
	config_free(cf);
}
END_TEST

START_TEST(test_config_load_full_tls_cluster)
{
	struct config		*cf;
	struct config_cluster	*c;

	cf = config_load(CONF("full.yaml"), NULL);
	ck_assert_ptr_nonnull(cf);
	ck_assert_ptr_nonnull(cf->tls);
	ck_assert_str_eq(cf->tls->cert_file, "server.pem");
	ck_assert_str_eq(cf->tls->key_file, "key.pem");
	ck_assert_str_eq(cf->tls->ca_file, "ca.pem");
	ck_assert_int_eq(cf->tls->verify_and_map, 1);
	ck_assert_int_eq(cf->tls->verify, 1);	/* implied by verify_and_map */
	ck_assert_int_eq(cf->tls->insecure, 0);
	ck_assert_int_eq(cf->tls->timeout, 3 * SEC);
	assert_list(&cf->tls->cipher_suites, 1, "TLS_AES_128_GCM_SHA256");
	assert_list(&cf->tls->curve_preferences, 1, "X25519");

	c = &cf->cluster;
	ck_assert_str_eq(c->name, "c1");
	ck_assert_str_eq(c->host, "10.0.0.1");
	ck_assert_int_eq(c->port, 6333);
	ck_assert_str_eq(c->advertise, "10.0.0.1:6333");
	ck_assert_int_eq(c->no_advertise, 1);
	ck_assert_int_eq(c->connect_retries, 7);
	assert_list(&c->routes, 2, "nats-route://10.0.0.2:6333",
	    "nats-route://10.0.0.3:6333");
	ck_assert_str_eq(c->auth.user, "ruser");
	ck_assert_str_eq(c->auth.password, "rpass");
	ck_assert_int_eq(c->auth.timeout, 4 * SEC);
	ck_assert_ptr_nonnull(c->perms);
	assert_list(&c->perms->publish.allow, 1, "a.>");
	ck_assert_int_eq(c->perms->subscribe.flags, CONFIG_PERM_DENY);
	assert_list(&c->perms->subscribe.deny, 1, "b.>");
	ck_assert_str_eq(c->tls->cert_file, "r.pem");
	ck_assert_int_eq(c->tls->verify, 1);
	ck_assert_int_eq(c->tls->timeout, 2 * SEC);
	config_free(cf);
}
END_TEST

START_TEST(test_config_load_full_gateway_leaf_js)
{
	struct config			*cf;
	struct config_gateway		*g;
	struct config_leafnodes		*l;
	struct config_leaf_remote	*r;

	cf = config_load(CONF("full.yaml"), NULL);
	ck_assert_ptr_nonnull(cf);
	g = &cf->gateway;
	ck_assert_str_eq(g->name, "c1");
	ck_assert_str_eq(g->host, "10.0.0.1");
	ck_assert_int_eq(g->port, 7333);
	ck_assert_str_eq(g->advertise, "gw.example.com:7333");
	ck_assert_int_eq(g->connect_retries, 2);
	ck_assert_int_eq(g->reject_unknown, 1);
	ck_assert_str_eq(g->auth.user, "guser");
	ck_assert_str_eq(g->auth.password, "gpass");
	/* Not given, with TLS: the TLS timeout (2s default) plus 1s. */
	ck_assert_int_eq(g->auth.timeout, 3 * SEC);
	ck_assert_str_eq(g->tls->key_file, "gk.pem");
	ck_assert_uint_eq(g->ngateways, 2);
	ck_assert_str_eq(g->gateways[0].name, "west");
	assert_list(&g->gateways[0].urls, 2, "nats://10.1.0.2:7222",
	    "nats://10.1.0.3:7222");
	ck_assert_ptr_null(g->gateways[0].tls);
	ck_assert_str_eq(g->gateways[1].name, "south");
	assert_list(&g->gateways[1].urls, 1, "nats://10.2.0.2:7222");
	ck_assert_str_eq(g->gateways[1].tls->ca_file, "s.pem");

	l = &cf->leafnodes;
	ck_assert_str_eq(l->host, "0.0.0.0");
	ck_assert_int_eq(l->port, 7433);
	ck_assert_str_eq(l->advertise, "leaf.example.com:7433");
	ck_assert_int_eq(l->no_advertise, 1);
	ck_assert_int_eq(l->reconnect, 5 * SEC);
	ck_assert_int_eq(l->auth.timeout, 2 * SEC);
	ck_assert_uint_eq(l->auth.nusers, 2);
	ck_assert_str_eq(l->auth.users[0].user, "leaf1");
	ck_assert_str_eq(l->auth.users[0].password, "lp1");
	ck_assert_str_eq(l->auth.users[0].account, "PROD");
	ck_assert_ptr_null(l->auth.users[1].account);
	ck_assert_str_eq(l->tls->cert_file, "l.pem");
	ck_assert_uint_eq(l->nremotes, 2);
	r = &l->remotes[0];
	assert_list(&r->urls, 1, "nats-leaf://hub:7422");
	ck_assert_str_eq(r->account, "DEV");
	ck_assert_str_eq(r->credentials, "/etc/natsd/leaf.creds");
	ck_assert_int_eq(r->no_randomize, 1);
	ck_assert_int_eq(r->hub, 1);
	assert_list(&r->deny_imports, 1, "secret.>");
	assert_list(&r->deny_exports, 1, "private.>");
	ck_assert_str_eq(r->tls->ca_file, "hub-ca.pem");
	assert_list(&l->remotes[1].urls, 2, "nats-leaf://a:7422",
	    "nats-leaf://b:7422");
	ck_assert_ptr_null(l->remotes[1].account);

	ck_assert_int_eq(cf->jetstream.enabled, 1);
	ck_assert_str_eq(cf->jetstream.store_dir, "/var/lib/natsd");
	ck_assert_int_eq(cf->jetstream.max_memory_store, 1 * GB);
	ck_assert_int_eq(cf->jetstream.max_file_store, 100000000000LL);
	ck_assert_str_eq(cf->jetstream.domain, "hub");
	ck_assert_int_eq(cf->jetstream.sync_interval, CONFIG_JS_SYNC_ALWAYS);
	config_free(cf);
}
END_TEST

/* The defaults, from nats-server's const.go and setBaselineOptions. */
START_TEST(test_config_default_values)
{
	struct config	*cf = config_default();

	ck_assert_ptr_null(cf->path);
	ck_assert_str_eq(cf->text, "");
	ck_assert_uint_eq(cf->textlen, 0);
	ck_assert_ptr_null(cf->server_name);
	ck_assert_str_eq(cf->host, "0.0.0.0");
	ck_assert_int_eq(cf->port, 4222);
	ck_assert_str_eq(cf->http_host, "0.0.0.0");
	ck_assert_int_eq(cf->http_port, 0);
	ck_assert_int_eq(cf->https_port, 0);
	ck_assert_int_eq(cf->workers, 0);
	ck_assert_int_eq(cf->shm_size, 1 * GB);
	ck_assert_int_eq(cf->max_payload, 1 * MB);
	ck_assert_int_eq(cf->max_connections, 64 * 1024);
	ck_assert_int_eq(cf->max_control_line, 4096);
	ck_assert_int_eq(cf->max_pending, 64 * MB);
	ck_assert_int_eq(cf->max_subscriptions, 0);
	ck_assert_int_eq(cf->ping_interval, 2 * MIN);
	ck_assert_int_eq(cf->ping_max, 2);
	ck_assert_int_eq(cf->write_deadline, 10 * SEC);
	ck_assert_int_eq(cf->auth_timeout, 2 * SEC);
	ck_assert_int_eq(cf->lame_duck_duration, 2 * MIN);
	ck_assert_int_eq(cf->lame_duck_grace_period, 10 * SEC);
	ck_assert_int_eq(cf->logtime, 1);
	ck_assert_int_eq(cf->debug, 0);
	ck_assert_int_eq(cf->trace, 0);
	ck_assert_int_eq(cf->syslog, 0);
	ck_assert_int_eq(cf->daemon, 0);
	ck_assert_ptr_null(cf->log_file);
	ck_assert_ptr_null(cf->pid_file);
	ck_assert_int_eq(cf->connect_error_reports, 3600);
	ck_assert_int_eq(cf->reconnect_error_reports, 1);
	ck_assert_ptr_null(cf->tls);
	ck_assert_uint_eq(cf->naccounts, 0);
	ck_assert_int_eq(cf->auth.users_set, 0);
	ck_assert_int_eq(cf->cluster.port, 0);
	ck_assert_int_eq(cf->gateway.port, 0);
	ck_assert_int_eq(cf->leafnodes.port, 0);
	ck_assert_int_eq(cf->leafnodes.reconnect, 1 * SEC);
	ck_assert_int_eq(cf->jetstream.enabled, 0);
	ck_assert_ptr_null(cf->jetstream.store_dir);
	ck_assert_int_eq(cf->jetstream.max_memory_store, -1);
	ck_assert_int_eq(cf->jetstream.max_file_store, -1);
	ck_assert_int_eq(cf->jetstream.sync_interval, 2 * MIN);
	config_free(cf);
}
END_TEST

static int	 diff_calls;
static char	 diff_keys[512];

static void
diff_cb(const char *key, int reloadable, void *arg)
{
	char	 buf[64];

	ck_assert_ptr_eq(arg, &diff_calls);
	diff_calls++;
	snprintf(buf, sizeof buf, "%s%s=%d", diff_keys[0] ? " " : "", key,
	    reloadable);
	snprintf(diff_keys + strlen(diff_keys),
	    sizeof diff_keys - strlen(diff_keys), "%s", buf);
}

static int
diff(const char *a, const char *b)
{
	struct config	*ca = parse_ok(a), *cb = parse_ok(b);
	int		 n;

	diff_calls = 0;
	diff_keys[0] = '\0';
	n = config_diff(ca, cb, diff_cb, &diff_calls);
	config_free(ca);
	config_free(cb);
	return (n);
}

/* An empty file, a file of defaults and config_default() agree. */
START_TEST(test_config_default_equals_empty)
{
	struct config	*d = config_default();
	struct config	*e = parse_ok("# nothing\n");

	ck_assert_int_eq(config_diff(d, e, diff_cb, &diff_calls), 0);
	ck_assert_int_eq(diff(
	    "listen: 0.0.0.0:4222\nmax_payload: 1MB\nping_interval: 2m\n"
	    "write_deadline: 10s\nmax_pending: 64MB\nlogtime: true\n", ""), 0);
	ck_assert_int_eq(diff_calls, 0);
	config_free(d);
	config_free(e);
}
END_TEST

START_TEST(test_config_diff_reloadable)
{
	ck_assert_int_eq(diff("max_payload: 1MB\n", "max_payload: 2MB\n"), 0);
	ck_assert_int_eq(diff_calls, 1);
	ck_assert_str_eq(diff_keys, "max_payload=1");

	ck_assert_int_eq(diff("port: 4222\n", "port: 4333\n"), 1);
	ck_assert_str_eq(diff_keys, "port=0");

	ck_assert_int_eq(diff("debug: false\nport: 1\n",
	    "debug: true\nport: 2\n"), 1);
	ck_assert_str_eq(diff_keys, "port=0 debug=1");

	ck_assert_int_eq(diff("authorization: {token: a}\n",
	    "authorization: {token: b}\n"), 0);
	ck_assert_str_eq(diff_keys, "authorization=1");

	ck_assert_int_eq(diff(
	    "cluster: {listen: 6222, routes: [\"nats://a:1\"]}\n",
	    "cluster: {listen: 6222, routes: [\"nats://b:1\"]}\n"), 0);
	ck_assert_str_eq(diff_keys, "cluster.routes=1");

	ck_assert_int_eq(diff("cluster: {listen: 6222}\n",
	    "cluster: {listen: 6223}\n"), 1);
	ck_assert_str_eq(diff_keys, "cluster.listen=0");

	ck_assert_int_eq(diff("jetstream: {store_dir: /a}\n",
	    "jetstream: {store_dir: /b}\n"), 1);
	ck_assert_str_eq(diff_keys, "jetstream.store_dir=0");
	ck_assert_int_eq(diff("jetstream: false\n", "jetstream: true\n"), 0);
	ck_assert_str_eq(diff_keys, "jetstream=1");

	ck_assert_int_eq(diff("accounts: {A: {users: [{user: u}]}}\n",
	    "accounts: {A: {users: [{user: v}]}}\n"), 0);
	ck_assert_str_eq(diff_keys, "accounts=1");

	/* Reformatting alone is no change. */
	ck_assert_int_eq(diff("tls: {cert_file: a, key_file: b}\n",
	    "tls:\n  key_file: b\n  cert_file: a   # same\n"), 0);
	ck_assert_int_eq(diff_calls, 0);

	/* A NULL callback still counts. */
	{
		struct config	*a = parse_ok("workers: 1\nshm_size: 64MB\n");
		struct config	*b = parse_ok("workers: 2\n");

		ck_assert_int_eq(config_diff(a, b, NULL, NULL), 2);
		config_free(a);
		config_free(b);
	}
}
END_TEST

/* Sizes: nats-server's lexer, K = 1000, KB = KiB = 1024, and so on. */
static const struct {
	const char	*text;
	int64_t		 value;	/* -1: must fail */
} sizes[] = {
	{ "512", 512 }, { "0", 0 }, { "1K", 1000 }, { "1k", 1000 },
	{ "1KB", 1024 }, { "64kb", 64 * 1024 }, { "2Ki", 2048 },
	{ "2KiB", 2048 }, { "1M", 1000000 }, { "1MB", 1024 * 1024 },
	{ "3mib", 3 * 1024 * 1024 }, { "1G", 1000000000 },
	{ "1GB", 1024LL * 1024 * 1024 }, { "2T", 2000000000000LL },
	{ "1TB", 1024LL * 1024 * 1024 * 1024 }, { "1 MB", 1024 * 1024 },
	{ "1P", 1000000000000000LL }, { "7EB", 7LL << 60 }, { "8EB", -1 },
	{ "abc", -1 },
	{ "", -1 }, { "MB", -1 }, { "1.5MB", -1 }, { "1XB", -1 },
	{ "1MBB", -1 }, { "0x10", -1 }, { "99999999999999999999", -1 },
};

START_TEST(test_config_parse_size_forms)
{
	int64_t	 v = 12345;
	int	 rc;

	rc = config_parse_size(sizes[_i].text, &v);
	if (sizes[_i].value == -1)
		ck_assert_msg(rc == -1, "\"%s\" parsed", sizes[_i].text);
	else {
		ck_assert_msg(rc == 0, "\"%s\" failed", sizes[_i].text);
		ck_assert_int_eq(v, sizes[_i].value);
	}
}
END_TEST

START_TEST(test_config_parse_size_keys)
{
	struct config	*cf;

	cf = parse_ok("max_payload: 64KB\nmax_pending: 1G\n"
	    "max_control_line: 512\nshm_size: 4GB\n");
	ck_assert_int_eq(cf->max_payload, 64 * 1024);
	ck_assert_int_eq(cf->max_pending, 1000000000);
	ck_assert_int_eq(cf->max_control_line, 512);
	ck_assert_int_eq(cf->shm_size, 4 * GB);
	config_free(cf);
	cf = parse_ok("jetstream: {max_memory_store: -1, max_file_store: 0}\n");
	ck_assert_int_eq(cf->jetstream.max_memory_store, -1);
	ck_assert_int_eq(cf->jetstream.max_file_store, 0);
	config_free(cf);
}
END_TEST

/* Durations: Go's time.ParseDuration, plus bare seconds where allowed. */
static const struct {
	const char	*text;
	int		 bare;
	int64_t		 ms;	/* INT64_MIN: must fail */
} durs[] = {
	{ "2m", 0, 2 * MIN }, { "500ms", 0, 500 }, { "10s", 0, 10 * SEC },
	{ "1h", 0, 3600 * SEC }, { "1h30m", 0, 90 * MIN },
	{ "1.5s", 0, 1500 }, { ".5s", 0, 500 }, { "0", 0, 0 },
	{ "-2s", 0, -2 * SEC }, { "+3s", 0, 3 * SEC },
	{ "2000000us", 0, 2 * SEC }, { "3000000000ns", 0, 3 * SEC },
	{ "250us", 0, 1 }, { "1m30s500ms", 0, 90 * SEC + 500 },
	{ "10", 1, 10 * SEC }, { "1.5", 1, 1500 }, { "10", 0, INT64_MIN },
	{ "2x", 0, INT64_MIN }, { "", 0, INT64_MIN }, { "m", 0, INT64_MIN },
	{ "1.s", 0, SEC }, { "s", 1, INT64_MIN }, { "2 m", 0, INT64_MIN },
	{ "1d", 0, INT64_MIN }, { "10 s", 1, INT64_MIN },
	{ "5s10", 1, INT64_MIN },
	/*
	 * Regression, found by t/fuzz/fuzz_config: a fraction that carries
	 * the whole past INT64_MAX nanoseconds overflowed a signed integer.
	 * Go's limit is 9223372036.854775807s.
	 */
	{ "9223372036.5s", 0, 9223372036500LL },
	{ "9223372036.9s", 0, INT64_MIN }, { "9223372036.9", 1, INT64_MIN },
	{ "2562047.9h", 0, INT64_MIN }, { "153722867.9m", 0, INT64_MIN },
};

START_TEST(test_config_parse_duration_forms)
{
	int64_t	 ms = 12345;
	int	 rc;

	rc = config_parse_duration(durs[_i].text, durs[_i].bare, &ms);
	if (durs[_i].ms == INT64_MIN)
		ck_assert_msg(rc == -1, "\"%s\" parsed", durs[_i].text);
	else {
		ck_assert_msg(rc == 0, "\"%s\" failed", durs[_i].text);
		ck_assert_int_eq(ms, durs[_i].ms);
	}
}
END_TEST

START_TEST(test_config_parse_duration_keys)
{
	struct config	*cf;
	char		*cause;

	/* ping_interval and write_deadline take bare seconds, as before. */
	cf = parse_ok("ping_interval: 30\nwrite_deadline: 2.5\n"
	    "lame_duck_duration: 45s\nlame_duck_grace_period: 500ms\n"
	    "authorization: {timeout: 3}\ntls: {timeout: 0.5}\n");
	ck_assert_int_eq(cf->ping_interval, 30 * SEC);
	ck_assert_int_eq(cf->write_deadline, 2500);
	ck_assert_int_eq(cf->lame_duck_duration, 45 * SEC);
	ck_assert_int_eq(cf->lame_duck_grace_period, 500);
	ck_assert_int_eq(cf->auth_timeout, 3 * SEC);
	ck_assert_int_eq(cf->tls->timeout, 500);
	config_free(cf);
	/* Client TLS without an authorization timeout: TLS timeout + 1s. */
	cf = parse_ok("tls: {timeout: 4s}\n");
	ck_assert_int_eq(cf->auth_timeout, 5 * SEC);
	config_free(cf);
	/* lame_duck_duration does not: nats-server wants a string there. */
	cause = parse_bad("lame_duck_duration: 60\n");
	ck_assert_str_eq(cause, "test.yaml:1: lame_duck_duration: expected a "
	    "duration like 2m or 500ms, got \"60\"");
	free(cause);
}
END_TEST

START_TEST(test_config_parse_listen_forms)
{
	struct config	*cf;

	cf = parse_ok("listen: 4333\n");
	ck_assert_str_eq(cf->host, "0.0.0.0");
	ck_assert_int_eq(cf->port, 4333);
	config_free(cf);
	cf = parse_ok("listen: \"[::1]:4334\"\nhttp: 127.0.0.1:8222\n");
	ck_assert_str_eq(cf->host, "::1");
	ck_assert_int_eq(cf->port, 4334);
	ck_assert_str_eq(cf->http_host, "127.0.0.1");
	ck_assert_int_eq(cf->http_port, 8222);
	config_free(cf);
	cf = parse_ok("listen: \":4335\"\nmonitor_port: -1\n");
	ck_assert_str_eq(cf->host, "0.0.0.0");
	ck_assert_int_eq(cf->port, 4335);
	ck_assert_str_eq(cf->http_host, "0.0.0.0");
	ck_assert_int_eq(cf->http_port, -1);
	config_free(cf);
	cf = parse_ok("net: 10.1.1.1\nport: -1\n");
	ck_assert_str_eq(cf->host, "10.1.1.1");
	ck_assert_str_eq(cf->http_host, "10.1.1.1");	/* follows host */
	ck_assert_int_eq(cf->port, -1);
	config_free(cf);
	cf = parse_ok("cluster: {listen: 6222}\n"
	    "gateway: {name: g, port: 7222}\n");
	ck_assert_str_eq(cf->cluster.host, "0.0.0.0");
	ck_assert_int_eq(cf->cluster.port, 6222);
	ck_assert_str_eq(cf->cluster.name, "g");	/* from gateway.name */
	ck_assert_int_eq(cf->gateway.port, 7222);
	config_free(cf);
}
END_TEST

/* nats-server's aliases and spellings reach the same fields. */
START_TEST(test_config_parse_aliases)
{
	struct config	*cf;

	cf = parse_ok("MAX_CONN: 10\nmax_subs: 11\npidfile: /p\nlogfile: /l\n"
	    "no_sublist_cache: yes\nstoredir: /s\nsystem: S\n"
	    "accounts: [S, T]\nleaf: {port: 7422}\n"
	    "authorization: {users: [{username: u, pass: p}]}\n");
	ck_assert_int_eq(cf->max_connections, 10);
	ck_assert_int_eq(cf->max_subscriptions, 11);
	ck_assert_str_eq(cf->pid_file, "/p");
	ck_assert_str_eq(cf->log_file, "/l");
	ck_assert_int_eq(cf->disable_sublist_cache, 1);
	ck_assert_str_eq(cf->jetstream.store_dir, "/s");
	ck_assert_int_eq(cf->jetstream.enabled, 0);
	ck_assert_str_eq(cf->system_account, "S");
	ck_assert_uint_eq(cf->naccounts, 2);
	ck_assert_str_eq(cf->accounts[1].name, "T");
	ck_assert_int_eq(cf->leafnodes.port, 7422);
	ck_assert_str_eq(cf->auth.users[0].user, "u");
	ck_assert_str_eq(cf->auth.users[0].password, "p");
	ck_assert_ptr_null(cf->auth.users[0].perms);
	config_free(cf);
}
END_TEST

START_TEST(test_config_parse_jetstream_forms)
{
	static const struct {
		const char	*text;
		int		 enabled;
	} t[] = {
		{ "jetstream: true\n", 1 }, { "jetstream: false\n", 0 },
		{ "jetstream: enabled\n", 1 }, { "jetstream: Disabled\n", 0 },
		{ "jetstream: {}\n", 1 },
		{ "jetstream: {enabled: false}\n", 0 },
		{ "jetstream: {store_dir: /x}\n", 1 }, { "jetstream: on\n", 1 },
	};
	struct config	*cf;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		cf = parse_ok(t[i].text);
		ck_assert_msg(cf->jetstream.enabled == t[i].enabled, "%s",
		    t[i].text);
		config_free(cf);
	}
	cf = parse_ok("jetstream: {sync_interval: 30s}\n");
	ck_assert_int_eq(cf->jetstream.sync_interval, 30 * SEC);
	config_free(cf);
	cf = parse_ok("jetstream: {sync: Always}\n");
	ck_assert_int_eq(cf->jetstream.sync_interval, CONFIG_JS_SYNC_ALWAYS);
	config_free(cf);
}
END_TEST

START_TEST(test_config_parse_permissions)
{
	struct config			*cf;
	struct config_permissions	*pm;

	/* A plain list or a single subject is an allow list. */
	cf = parse_ok("authorization:\n  users:\n"
	    "    - {user: a, permissions: {pub: \"x.*\", sub: [\"y\", \"z.>\"],"
	    " allow_responses: true}}\n");
	pm = cf->auth.users[0].perms;
	ck_assert_int_eq(pm->publish.flags, CONFIG_PERM_ALLOW);
	assert_list(&pm->publish.allow, 1, "x.*");
	assert_list(&pm->subscribe.allow, 2, "y", "z.>");
	ck_assert_int_eq(pm->allow_responses, 1);
	ck_assert_int_eq(pm->resp_max_msgs, 1);
	ck_assert_int_eq(pm->resp_expires, 2 * MIN);
	config_free(cf);
	/* allow_responses alone turns off the blanket publish allow. */
	cf = parse_ok("authorization: {users: [{user: a, permissions: "
	    "{allow_responses: {max: -1}}}]}\n");
	pm = cf->auth.users[0].perms;
	ck_assert_int_eq(pm->publish.flags, CONFIG_PERM_ALLOW);
	ck_assert_uint_eq(pm->publish.allow.n, 0);
	ck_assert_int_eq(pm->resp_max_msgs, -1);
	config_free(cf);
	/* An empty allow list is still given: deny everything. */
	cf = parse_ok("authorization: {users: [{user: a, permissions: "
	    "{subscribe: {allow: []}}}]}\n");
	ck_assert_int_eq(cf->auth.users[0].perms->subscribe.flags,
	    CONFIG_PERM_ALLOW);
	ck_assert_int_eq(cf->auth.users[0].perms->publish.flags, 0);
	config_free(cf);
}
END_TEST

/* Each failing file, with its whole cause. */
static const struct {
	const char	*file;
	const char	*cause;	/* after the file name */
} bad_files[] = {
	{ "unknown.yaml", ":3: foo: unknown key" },
	{ "unknown-nested.yaml", ":4: cluster.bogus: unknown key" },
	{ "bad-size.yaml",
	    ":3: max_payload: expected a size like 1MB, got \"abc\"" },
	{ "bad-duration.yaml", ":2: ping_interval: expected a duration like "
	    "2m or 500ms, or seconds, got \"2 minutes\"" },
	{ "bad-port.yaml", ":3: listen: port 70000 out of range -1..65535" },
	{ "wrong-type.yaml",
	    ":3: server_name: expected a string, got a map" },
	{ "syntax.yaml",
	    ":4: yaml: mapping values are not allowed in this context" },
	{ "duplicate.yaml", ":4: port: duplicate key (first on line 2)" },
	{ "token-users.yaml", ":4: authorization.users: cannot be combined "
	    "with authorization.token (line 3)" },
	{ "payload-pending.yaml",
	    ":3: max_payload: 2MB is higher than max_pending (1MB)" },
	{ "user-password.yaml", ":7: authorization.users[1].password: "
	    "expected a string, got a list" },
	{ "missing.yaml", ": No such file or directory" },
};

START_TEST(test_config_load_errors)
{
	char	 path[1024], want[2048];
	char	*cause = NULL;

	snprintf(path, sizeof path, "%s%s", CONF(""), bad_files[_i].file);
	snprintf(want, sizeof want, "%s%s", path, bad_files[_i].cause);
	ck_assert_ptr_null(config_load(path, &cause));
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, want);
	free(cause);
}
END_TEST

/* Errors from text: the whole cause, so line and key are exact. */
static const struct {
	const char	*text;
	const char	*cause;
} bad_texts[] = {
	{ "port: 4222\ncluster:\n  listen: 6222\n  routes:\n    - nats://a:1\n"
	    "    - {x: 1}\n", "test.yaml:6: cluster.routes[1]: expected a URL "
	    "like nats://host:port, got a map" },
	{ "port: 4222\nfoo:\n  bar: 1\n", "test.yaml:2: foo: unknown key" },
	{ "accounts:\n  A:\n    users:\n      - {user: a, flavour: x}\n",
	    "test.yaml:4: accounts.A.users[0].flavour: unknown key" },
	{ "tls: {cert_file: a, pinned_certs: [x]}\n",
	    "test.yaml:1: tls.pinned_certs: not supported by natsd" },
	{ "websocket: {port: 443}\n",
	    "test.yaml:1: websocket: not supported by natsd" },
	{ "max_payload: 65MB\n",
	    "test.yaml:1: max_payload: 65MB out of range 0..64MB" },
	{ "max_payload: -1\n",
	    "test.yaml:1: max_payload: -1 out of range 0..64MB" },
	{ "shm_size: 32MB\n",
	    "test.yaml:1: shm_size: 32MB out of range 64MB..4GB" },
	{ "port: 65536\n", "test.yaml:1: port: 65536 out of range -1..65535" },
	{ "port: -2\n", "test.yaml:1: port: -2 out of range -1..65535" },
	{ "http_port: x\n",
	    "test.yaml:1: http_port: expected an integer, got \"x\"" },
	{ "workers: -1\n", "test.yaml:1: workers: -1 out of range 0..1024" },
	{ "ping_max: 1.5\n",
	    "test.yaml:1: ping_max: expected an integer, got \"1.5\"" },
	{ "debug: maybe\n",
	    "test.yaml:1: debug: expected true or false, got \"maybe\"" },
	{ "server_name:\n",
	    "test.yaml:1: server_name: expected a string, got nothing" },
	{ "server_name: [a]\n",
	    "test.yaml:1: server_name: expected a string, got a list" },
	{ "cluster: 6222\n", "test.yaml:1: cluster: expected a map, got "
	    "\"6222\"" },
	{ "jetstream: maybe\n", "test.yaml:1: jetstream: expected true, "
	    "false, enabled, disabled or a map, got \"maybe\"" },
	{ "listen: localhost\n", "test.yaml:1: listen: expected a port or "
	    "host:port, got \"localhost\"" },
	{ "host: a\nnet: b\n",
	    "test.yaml:2: net: duplicate key (same as host on line 1)" },
	{ "listen: 4222\nport: 4333\n",
	    "test.yaml:2: port: conflicts with listen on line 1" },
	{ "lame_duck_duration: 10s\n", "test.yaml:1: lame_duck_duration: "
	    "10s is below the minimum of 30s" },
	{ "lame_duck_duration: 30s\nlame_duck_grace_period: 30s\n",
	    "test.yaml:2: lame_duck_grace_period: 30s must be shorter than "
	    "lame_duck_duration (30s)" },
	{ "max_pending: 100KB\n", "test.yaml:1: max_pending: 100KB is lower "
	    "than max_payload (1MB)" },
	{ "authorization: {user: a, password: b, token: c}\n",
	    "test.yaml:1: authorization.token: cannot be combined with "
	    "authorization.user (line 1)" },
	{ "authorization:\n  user: a\n  users: []\n",
	    "test.yaml:3: authorization.users: cannot be combined with "
	    "authorization.user (line 2)" },
	{ "authorization:\n  token: t\naccounts:\n  A:\n    users: "
	    "[{user: u}]\n", "test.yaml:5: accounts.A.users: cannot be "
	    "combined with authorization.token (line 2)" },
	{ "authorization:\n  users:\n    - {user: a}\naccounts:\n  A:\n"
	    "    users:\n      - {user: b}\n      - {user: a}\n",
	    "test.yaml:8: accounts.A.users[1]: duplicate user \"a\" "
	    "(also on line 3)" },
	{ "authorization: {users: [{password: p}]}\n",
	    "test.yaml:1: authorization.users[0]: user entry needs a user or "
	    "an nkey" },
	{ "authorization: {users: [{nkey: UABC}]}\n",
	    "test.yaml:1: authorization.users[0]: nkey is not a valid public "
	    "user nkey" },
	{ "authorization: {users: [{user: a, permissions: {publish: "
	    "[\"a..b\"]}}]}\n", "test.yaml:1: authorization.users[0]."
	    "permissions.publish[0]: \"a..b\" is not a valid subject" },
	{ "authorization: {users: [{user: a, permissions: {publish: "
	    "{allow: [\"a.>.b\"]}}}]}\n", "test.yaml:1: authorization.users[0]."
	    "permissions.publish.allow[0]: \"a.>.b\" is not a valid subject" },
	{ "authorization: {users: [{user: a, clients: [tcp]}]}\n",
	    "test.yaml:1: authorization.users[0].clients: unknown connection "
	    "type \"TCP\"" },
	{ "no_auth_user: x\n", "test.yaml:1: no_auth_user: \"x\" is not a "
	    "user in authorization or accounts" },
	{ "accounts:\n  $G: {}\n",
	    "test.yaml:2: accounts.$G: \"$G\" is a reserved account" },
	{ "accounts:\n  A: {}\n  A: {}\n",
	    "test.yaml:3: accounts.A: duplicate account" },
	{ "accounts:\n  A: 1\n", "test.yaml:2: accounts.A: expected a map, "
	    "got \"1\"" },
	{ "accounts:\n  A:\n    imports:\n      - stream: {account: B, "
	    "subject: x}\n", "test.yaml:4: accounts.A.imports[0].stream: "
	    "account \"B\" is not defined" },
	{ "accounts:\n  A:\n    exports:\n      - {stream: x, "
	    "accounts: [C]}\n", "test.yaml:4: accounts.A.exports[0].accounts: "
	    "account \"C\" is not defined" },
	{ "accounts:\n  A:\n    exports:\n      - {stream: x, service: y}\n",
	    "test.yaml:4: accounts.A.exports[0].service: conflicts with stream "
	    "on line 4" },
	{ "accounts:\n  A:\n    exports:\n      - {accounts: [A]}\n",
	    "test.yaml:4: accounts.A.exports[0]: export needs a stream or a "
	    "service" },
	{ "accounts:\n  A:\n    imports:\n      - {stream: {account: A}}\n",
	    "test.yaml:4: accounts.A.imports[0].stream: needs an account and "
	    "a subject" },
	{ "accounts:\n  A: {nkey: UDXU}\n", "test.yaml:2: accounts.A.nkey: "
	    "not a valid public account nkey" },
	{ "cluster:\n  name: c\n",
	    "test.yaml:1: cluster: needs a port (listen or port; -1 picks a "
	    "random one)" },
	{ "cluster: {port: 1, authorization: {token: t}}\n",
	    "test.yaml:1: cluster.authorization.token: cluster and gateway "
	    "authorization take only user, password and timeout" },
	{ "cluster: {port: 1, name: a}\ngateway: {port: 2, name: b}\n",
	    "test.yaml:2: gateway.name: \"b\" differs from cluster.name "
	    "\"a\"" },
	{ "gateway:\n  port: 7222\n", "test.yaml:1: gateway: needs a name" },
	{ "gateway:\n  name: g\n", "test.yaml:1: gateway: needs a port "
	    "(listen or port; -1 picks a random one)" },
	{ "gateway:\n  name: g\n  port: 1\n  gateways:\n    - {name: x}\n",
	    "test.yaml:5: gateway.gateways[0]: gateway \"x\" needs url or "
	    "urls" },
	{ "leafnodes:\n  remotes:\n    - {account: A}\n",
	    "test.yaml:3: leafnodes.remotes[0]: remote needs url or urls" },
	{ "leafnodes:\n  remotes:\n    - {url: \"nats://h:1\", account: A}\n",
	    "test.yaml:3: leafnodes.remotes[0].account: account \"A\" is not "
	    "defined" },
	{ "leafnodes:\n  authorization:\n    users:\n      - {user: a}\n"
	    "      - {user: a}\n", "test.yaml:5: leafnodes.authorization."
	    "users[1]: duplicate leafnode user \"a\" (also on line 4)" },
	{ "store_dir: /a\njetstream:\n  store_dir: /b\n",
	    "test.yaml:3: jetstream.store_dir: cannot be combined with "
	    "store_dir (line 1)" },
	{ "jetstream: {cipher: aes}\n",
	    "test.yaml:1: jetstream.cipher: not supported by natsd" },
	{ "tls: {cert_file: c}\n", "test.yaml:1: tls: cert_file needs a "
	    "key_file" },
	{ "tls: {cipher_suites: []}\n",
	    "test.yaml:1: tls.cipher_suites: cannot be empty" },
	{ "- a\n- b\n", "test.yaml:1: the file must be a map of keys" },
	{ "a: 1\n---\nb: 2\n", "test.yaml:2: more than one YAML document" },
	{ "port: 1\n? [a]\n: 2\n", "test.yaml:2: keys must be strings" },
	{ "port: \"a\\0b\"\n", "test.yaml:1: port: contains a NUL byte" },
	{ "server_tags: &t [*t]\n",
	    "test.yaml:1: server_tags[0]: expected a string, got a list" },
	{ "port: *nope\n", "test.yaml:1: yaml: found undefined alias" },
};

START_TEST(test_config_parse_errors)
{
	char	*cause = parse_bad(bad_texts[_i].text);

	ck_assert_str_eq(cause, bad_texts[_i].cause);
	free(cause);
}
END_TEST

/* The text is kept, and re-parsing it (as a child does) is no change. */
START_TEST(test_config_parse_text_kept)
{
	struct config	*a, *b;
	char		*cause;

	a = config_load(CONF("full.yaml"), &cause);
	ck_assert_ptr_nonnull(a);
	b = config_parse(a->text, a->textlen, "reload", &cause);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->path, "reload");
	ck_assert_int_eq(config_diff(a, b, diff_cb, &diff_calls), 0);
	ck_assert_mem_eq(a->text, b->text, a->textlen);
	config_free(a);
	config_free(b);
	/* Length, not NUL, ends the text. */
	a = config_parse("port: 4333\nGARBAGE", 11, "n", &cause);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->port, 4333);
	ck_assert_str_eq(a->text, "port: 4333\n");
	config_free(a);
}
END_TEST

/* Anchors and aliases work; a large expansion is refused, not walked. */
START_TEST(test_config_parse_aliases_yaml)
{
	struct config	*cf;
	char		*text, *cause;
	size_t		 i, len;

	cf = parse_ok("tls: &t {cert_file: a, key_file: b}\n"
	    "cluster: {port: 1, tls: *t}\n");
	ck_assert_str_eq(cf->cluster.tls->cert_file, "a");
	config_free(cf);

	/*
	 * 1000 references to a user whose allow list has 1000 subjects:
	 * a 10KB file that would walk a million values.
	 */
	len = 64 * 1024;
	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	snprintf(text, len, "authorization:\n  users:\n"
	    "    - &u {user: x, permissions: {publish: [a");
	for (i = 1; i < 1000; i++)
		snprintf(text + strlen(text), len - strlen(text), ",a");
	snprintf(text + strlen(text), len - strlen(text), "]}}\n");
	for (i = 1; i < 1000; i++)
		snprintf(text + strlen(text), len - strlen(text),
		    "    - *u\n");
	cf = config_parse(text, strlen(text), "t", &cause);
	ck_assert_ptr_null(cf);
	ck_assert_ptr_nonnull(strstr(cause, "too many values"));
	free(cause);
	/* The same with 10 references is fine but for the duplicate user. */
	text[strlen(text) - 990 * strlen("    - *u\n")] = '\0';
	cf = config_parse(text, strlen(text), "t", &cause);
	ck_assert_ptr_null(cf);
	ck_assert_ptr_nonnull(strstr(cause, "duplicate user \"x\""));
	free(cause);
	free(text);
}
END_TEST

START_TEST(test_config_load_sample)
{
	struct config	*cf;
	char		*cause = NULL;

	cf = config_load(TOP_SRCDIR "/etc/natsd.yaml", &cause);
	ck_assert_msg(cf != NULL, "%s", cause);
	ck_assert_str_eq(cf->host, "0.0.0.0");
	ck_assert_int_eq(cf->port, 4222);
	ck_assert_int_eq(cf->http_port, 8222);
	ck_assert_int_eq(cf->workers, 0);
	ck_assert_ptr_null(cf->log_file);
	ck_assert_int_eq(cf->syslog, 0);
	ck_assert_str_eq(cf->jetstream.store_dir, "./natsd-data");
	ck_assert_int_eq(cf->max_payload, 1 * MB);
	config_free(cf);
}
END_TEST

START_TEST(test_config_free_null)
{
	config_free(NULL);
	ck_assert_ptr_null(config_parse("x: 1\n", 5, "t", NULL));
}
END_TEST

/* Subjects as nats-server's IsValidSubject, with "subject queue". */
START_TEST(test_config_subject_ok_forms)
{
	ck_assert_int_eq(config_subject_ok("a.*.>", 0), 1);
	ck_assert_int_eq(config_subject_ok("a.>.b", 0), 0);
	ck_assert_int_eq(config_subject_ok("a b", 0), 0);
	ck_assert_int_eq(config_subject_ok("a.b q", 1), 1);
	ck_assert_int_eq(config_subject_ok("a.b q r", 1), 0);
	ck_assert_int_eq(config_subject_ok(".a", 0), 0);
	ck_assert_int_eq(config_subject_ok("a.", 0), 0);
	ck_assert_int_eq(config_subject_ok("", 0), 0);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s = suite_create("config");
	TCase	*tc = tcase_create("config");

	tcase_add_test(tc, test_config_load_full_top);
	tcase_add_test(tc, test_config_load_full_authorization);
	tcase_add_test(tc, test_config_load_full_accounts);
	tcase_add_test(tc, test_config_load_full_tls_cluster);
	tcase_add_test(tc, test_config_load_full_gateway_leaf_js);
	tcase_add_test(tc, test_config_default_values);
	tcase_add_test(tc, test_config_default_equals_empty);
	tcase_add_test(tc, test_config_diff_reloadable);
	tcase_add_loop_test(tc, test_config_parse_size_forms, 0,
	    sizeof sizes / sizeof sizes[0]);
	tcase_add_test(tc, test_config_parse_size_keys);
	tcase_add_loop_test(tc, test_config_parse_duration_forms, 0,
	    sizeof durs / sizeof durs[0]);
	tcase_add_test(tc, test_config_parse_duration_keys);
	tcase_add_test(tc, test_config_parse_listen_forms);
	tcase_add_test(tc, test_config_parse_aliases);
	tcase_add_test(tc, test_config_parse_jetstream_forms);
	tcase_add_test(tc, test_config_parse_permissions);
	tcase_add_loop_test(tc, test_config_load_errors, 0,
	    sizeof bad_files / sizeof bad_files[0]);
	tcase_add_loop_test(tc, test_config_parse_errors, 0,
	    sizeof bad_texts / sizeof bad_texts[0]);
	tcase_add_test(tc, test_config_parse_text_kept);
	tcase_add_test(tc, test_config_parse_aliases_yaml);
	tcase_add_test(tc, test_config_load_sample);
	tcase_add_test(tc, test_config_free_null);
	tcase_add_test(tc, test_config_subject_ok_forms);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(config_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
