/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/conf.h: the configuration model (struct config) and the YAML
 * loader in config.c. Named conf.h, not config.h, because every file
 * starts with autoconf's "config.h" and a shared/config.h would shadow
 * it for the files in this directory.
 */

#ifndef NATSD_CONF_H
#define NATSD_CONF_H

#include <stddef.h>
#include <stdint.h>

/*
 * Conventions: sizes are int64_t bytes, durations int64_t milliseconds,
 * booleans int (0 or 1), strings malloc'd and NULL when not given. Ports
 * are -1 (pick a random free port), 0 (off) or 1..65535. Every default
 * is filled in by the loader, so consumers never see "unset" except where
 * a field says so.
 */

#define CONFIG_DEFAULT_HOST		"0.0.0.0"
#define CONFIG_DEFAULT_PORT		4222
#define CONFIG_MAX_WORKERS		1024
#define CONFIG_DEFAULT_SHM_SIZE		(1024LL * 1024 * 1024)
#define CONFIG_MIN_SHM_SIZE		(64LL * 1024 * 1024)
#define CONFIG_MAX_SHM_SIZE		(4096LL * 1024 * 1024)
#define CONFIG_DEFAULT_MAX_PAYLOAD	(1024 * 1024)
#define CONFIG_MAX_MAX_PAYLOAD		(64 * 1024 * 1024)
#define CONFIG_DEFAULT_MAX_CONN		(64 * 1024)
#define CONFIG_DEFAULT_MAX_CTL_LINE	4096
#define CONFIG_DEFAULT_MAX_PENDING	(64LL * 1024 * 1024)
#define CONFIG_DEFAULT_PING_INTERVAL	(2 * 60 * 1000)
#define CONFIG_DEFAULT_PING_MAX		2
#define CONFIG_DEFAULT_WRITE_DEADLINE	(10 * 1000)
#define CONFIG_DEFAULT_AUTH_TIMEOUT	(2 * 1000)
#define CONFIG_DEFAULT_TLS_TIMEOUT	(2 * 1000)
#define CONFIG_DEFAULT_LD_DURATION	(2 * 60 * 1000)
#define CONFIG_DEFAULT_LD_GRACE		(10 * 1000)
#define CONFIG_DEFAULT_CONNECT_ERR_REP	3600
#define CONFIG_DEFAULT_RECONNECT_ERR_REP 1
#define CONFIG_DEFAULT_LEAF_RECONNECT	(1000)
#define CONFIG_DEFAULT_JS_SYNC		(2 * 60 * 1000)
#define CONFIG_DEFAULT_RESP_MAX_MSGS	1
#define CONFIG_DEFAULT_RESP_EXPIRES	(2 * 60 * 1000)
#define CONFIG_JS_SYNC_ALWAYS		(-1)	/* jetstream.sync_interval */
#define CONFIG_UNLIMITED		(-1)	/* jetstream limits */

/* A list of strings: subjects, URLs, account names. */
struct config_strlist {
	char			**v;
	size_t			  n;
};

/* One direction of a permission: publish or subscribe. */
struct config_subperm {
	int			  flags;
#define CONFIG_PERM_ALLOW	0x1		/* an allow list was given */
#define CONFIG_PERM_DENY	0x2		/* a deny list was given */
	struct config_strlist	  allow;	/* empty with ALLOW: deny all */
	struct config_strlist	  deny;
};

struct config_permissions {
	struct config_subperm	  publish;	/* also "import" for routes */
	struct config_subperm	  subscribe;	/* also "export" for routes */
	int			  allow_responses;
	int64_t			  resp_max_msgs; /* <0: unlimited */
	int64_t			  resp_expires;	/* ms; <0: never */
};

struct config_user {
	char			 *user;		/* NULL for nkey users */
	char			 *password;	/* plain or bcrypt ($2a$...) */
	char			 *nkey;		/* U... public key, or NULL */
	/* owning account; NULL: global */
	char			 *account;
	struct config_permissions *perms;	/* NULL: no restrictions */
	struct config_strlist	  conn_types;	/* upper case; empty: any */
	int			  line;		/* where the entry starts */
};

/*
 * authorization: at top level (clients), and trimmed versions for
 * cluster and gateway (user, password, timeout) and leafnodes (plus
 * users with an account, and account).
 */
struct config_auth {
	char			 *token;
	char			 *user;
	char			 *password;
	char			 *account;	/* leafnodes only */
	int64_t			  timeout;	/* ms; 0: not given */
	struct config_user	 *users;
	size_t			  nusers;
	/* "users:" present, maybe empty */
	int			  users_set;
	struct config_permissions *default_perms;
};

struct config_tls {
	char			 *cert_file;
	char			 *key_file;
	char			 *ca_file;
	int			  verify;
	int			  verify_and_map;
	int			  insecure;
	int64_t			  timeout;	/* ms */
	struct config_strlist	  cipher_suites;
	struct config_strlist	  curve_preferences;
};

struct config_cluster {
	char			 *name;
	char			 *host;
	int32_t			  port;		/* 0: no cluster listener */
	char			 *advertise;
	int			  no_advertise;
	int32_t			  connect_retries;
	struct config_strlist	  routes;
	struct config_auth	  auth;		/* user, password, timeout */
	struct config_permissions *perms;	/* import/export; or NULL */
	struct config_tls	 *tls;		/* NULL: plain */
};

struct config_gateway_remote {
	char			 *name;
	struct config_strlist	  urls;
	struct config_tls	 *tls;
};

struct config_gateway {
	char			 *name;
	char			 *host;
	int32_t			  port;		/* 0: no gateway */
	char			 *advertise;
	int32_t			  connect_retries;
	int			  reject_unknown;
	struct config_auth	  auth;		/* user, password, timeout */
	struct config_tls	 *tls;
	struct config_gateway_remote *gateways;
	size_t			  ngateways;
};

struct config_leaf_remote {
	struct config_strlist	  urls;
	/* local account; NULL: global */
	char			 *account;
	char			 *credentials;
	int			  no_randomize;
	int			  hub;
	struct config_strlist	  deny_imports;
	struct config_strlist	  deny_exports;
	struct config_tls	 *tls;
};

struct config_leafnodes {
	char			 *host;
	int32_t			  port;		/* 0: accept no leaf nodes */
	char			 *advertise;
	int			  no_advertise;
	int64_t			  reconnect;	/* ms */
	struct config_auth	  auth;		/* user, password, timeout,
						   account, users */
	struct config_tls	 *tls;
	struct config_leaf_remote *remotes;
	size_t			  nremotes;
};

struct config_jetstream {
	int			  enabled;
	char			 *store_dir;	/* NULL: not given */
	int64_t			  max_memory_store; /* bytes; -1: dynamic */
	int64_t			  max_file_store;   /* bytes; -1: dynamic */
	char			 *domain;
	/* ms, or CONFIG_JS_SYNC_ALWAYS */
	int64_t			  sync_interval;
};

enum config_export_type {
	CONFIG_STREAM = 1,
	CONFIG_SERVICE
};

enum config_response_type {
	CONFIG_RESP_SINGLETON = 0,
	CONFIG_RESP_STREAM,
	CONFIG_RESP_CHUNKED
};

struct config_export {
	enum config_export_type	  type;
	char			 *subject;
	struct config_strlist	  accounts;	/* empty: public */
	enum config_response_type response_type; /* services */
	int64_t			  response_threshold; /* ms; 0: default */
	char			 *latency_subject;	/* services; or NULL */
	int32_t			  latency_sampling;	/* 1..100 */
	uint32_t		  account_token_position;
};

struct config_import {
	enum config_export_type	  type;
	char			 *account;	/* the exporting account */
	char			 *subject;
	char			 *to;		/* NULL if not given */
	char			 *prefix;	/* streams; NULL if not given */
	int			  share;	/* services */
};

struct config_account {
	char			 *name;
	char			 *nkey;		/* A... public key, or NULL */
	struct config_user	 *users;
	size_t			  nusers;
	struct config_export	 *exports;
	size_t			  nexports;
	struct config_import	 *imports;
	size_t			  nimports;
	struct config_permissions *default_perms;
	int			  jetstream;	/* enabled for this account */
	int64_t			  js_max_memory; /* bytes; -1: unlimited */
	int64_t			  js_max_store;
	int64_t			  js_max_streams;
	int64_t			  js_max_consumers;
};

struct config {
	char			 *path;		/* file name, for messages */
	/* the validated text, NUL-ended */
	char			 *text;
	size_t			  textlen;

	char			 *server_name;
	char			 *host;		/* default "0.0.0.0" */
	int32_t			  port;		/* default 4222; -1: random */
	char			 *client_advertise;
	char			 *http_host;	/* default: host */
	int32_t			  http_port;	/* 0: off; -1: random */
	int32_t			  https_port;	/* 0: off */
	char			 *http_base_path;
	int32_t			  workers;	/* 0: one per CPU */
	int64_t			  shm_size;	/* 64MB..4GB, default 1GB */

	int64_t			  max_payload;
	int32_t			  max_connections;
	int32_t			  max_control_line;
	int64_t			  max_pending;
	int32_t			  max_subscriptions; /* 0: unlimited */
	int64_t			  ping_interval;
	int32_t			  ping_max;
	int64_t			  write_deadline;
	int64_t			  auth_timeout;	/* authorization.timeout */
	int64_t			  lame_duck_duration;
	int64_t			  lame_duck_grace_period;
	int32_t			  max_traced_msg_len; /* 0: unlimited */

	char			 *pid_file;
	char			 *ports_file_dir;
	char			 *log_file;	/* NULL: stderr */
	int64_t			  log_size_limit; /* 0: no rotation */
	int			  syslog;
	char			 *remote_syslog;
	int			  debug;
	int			  trace;
	int			  trace_verbose;
	int			  logtime;	/* default 1 */
	int			  daemon;
	int32_t			  connect_error_reports;
	int32_t			  reconnect_error_reports;
	char			 *no_auth_user;
	int			  no_header_support;
	int			  disable_sublist_cache;
	char			 *system_account;
	int			  no_system_account;
	struct config_strlist	  server_tags;

	struct config_auth	  auth;		/* authorization: */
	struct config_account	 *accounts;
	size_t			  naccounts;
	struct config_tls	 *tls;		/* NULL: no client TLS */
	struct config_cluster	  cluster;
	struct config_gateway	  gateway;
	struct config_leafnodes	  leafnodes;
	struct config_jetstream	  jetstream;
};

/*
 * Each returns a new configuration, or NULL with *cause set to a
 * malloc'd "FILE:LINE: KEY: problem" (LINE left out when no one line is
 * to blame). config_parse does not keep a pointer to text.
 */
struct config	*config_load(const char *, char **);
struct config	*config_parse(const char *, size_t, const char *, char **);
struct config	*config_default(void);
void		 config_free(struct config *);

/*
 * Calls cb(key, reloadable, arg) for each key whose value differs
 * between old and new, and returns how many of those need a restart.
 */
int		 config_diff(const struct config *, const struct config *,
		    void (*)(const char *, int, void *), void *);

/* Lookups that the workers need often. */
struct config_account	*config_account_find(const struct config *,
			    const char *);

#endif /* NATSD_CONF_H */
