/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/config_keys.c: the keys of the configuration file, table by
 * table, with nats-server's names and aliases, and the parsers of the
 * structured values: tls, users and permissions, accounts with their
 * exports and imports, gateways, leaf remotes and jetstream.
 */

#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "conf.h"
#include "config_int.h"
#include "xmalloc.h"

static int	config_tls(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_users(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_conntypes(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_perms(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_subperm(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_permlist(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_responses(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_accounts(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_account_js(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_exports(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_export_subject(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_response_type(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_latency(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_imports(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_import_ref(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_gateways(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_remotes(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);
static int	config_jetstream(struct config_parse *, yaml_node_t *,
		    void *, const struct config_key *);
static int	config_sync(struct config_parse *, yaml_node_t *, void *,
		    const struct config_key *);

#define DUR_MAX		INT64_MAX
#define NOT_NATSD	"not supported by natsd"
#define ROUTE_AUTH	"cluster and gateway authorization take only user, " \
			"password and timeout"

#define AU(m)	offsetof(struct config_auth, m)
static const struct config_key config_auth_keys[] = {
	{ "user|username", config_str, AU(user), 0, 0, 0, 0, 0, NULL, NULL },
	{ "password|pass", config_str, AU(password), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "token", config_str, AU(token), 0, 0, 0, 0, 0, NULL, NULL },
	{ "timeout", config_dur, AU(timeout), 0, 0, DUR_MAX, K_SECONDS, 0,
	    NULL, NULL },
	{ "users", config_users, AU(users), AU(nusers), 0, 0, 0, 0, NULL,
	    NULL },
	{ "default_permissions|default_permission|permissions", config_perms,
	    AU(default_perms), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

/* cluster and gateway authorization: one user only. */
static const struct config_key config_route_auth_keys[] = {
	{ "user|username", config_str, AU(user), 0, 0, 0, 0, 0, NULL, NULL },
	{ "password|pass", config_str, AU(password), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "timeout", config_dur, AU(timeout), 0, 0, DUR_MAX, K_SECONDS, 0,
	    NULL, NULL },
	{ "token", NULL, 0, 0, 0, 0, 0, 0, NULL, ROUTE_AUTH },
	{ "users", NULL, 0, 0, 0, 0, 0, 0, NULL, ROUTE_AUTH },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

/* leafnodes authorization: users carry an account. */
static const struct config_key config_leaf_auth_keys[] = {
	{ "user|username", config_str, AU(user), 0, 0, 0, 0, 0, NULL, NULL },
	{ "password|pass", config_str, AU(password), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "timeout", config_dur, AU(timeout), 0, 0, DUR_MAX, K_SECONDS, 0,
	    NULL, NULL },
	{ "account", config_str, AU(account), 0, 0, 0, 0, 0, NULL, NULL },
	{ "users", config_users, AU(users), AU(nusers), 1, 0, 0, 0, NULL,
	    NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define US(m)	offsetof(struct config_user, m)
static const struct config_key config_user_keys[] = {
	{ "user|username", config_str, US(user), 0, 0, 0, 0, 0, NULL, NULL },
	{ "password|pass", config_str, US(password), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "nkey", config_str, US(nkey), 0, 0, 0, 0, 0, NULL, NULL },
	{ "permissions|permission|authorization", config_perms, US(perms), 0,
	    0, 0, 0, 0, NULL, NULL },
	{ "allowed_connection_types|connection_types|clients",
	    config_conntypes, US(conn_types), 0, 0, 0, K_ONE, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct config_key config_leaf_user_keys[] = {
	{ "user|username", config_str, US(user), 0, 0, 0, 0, 0, NULL, NULL },
	{ "password|pass", config_str, US(password), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "account", config_str, US(account), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define PE(m)	offsetof(struct config_permissions, m)
static const struct config_key config_perm_keys[] = {
	{ "publish|pub|import", config_subperm, PE(publish), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "subscribe|sub|export", config_subperm, PE(subscribe), 0, 0, 0, 0,
	    0, NULL, NULL },
	{ "allow_responses|publish_allow_responses", config_responses, 0, 0,
	    0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define SP(m)	offsetof(struct config_subperm, m)
static const struct config_key config_subperm_keys[] = {
	{ "allow", config_permlist, SP(allow), 0, CONFIG_PERM_ALLOW, 0,
	    K_ONE | K_SUBJECT, 0, NULL, NULL },
	{ "deny", config_permlist, SP(deny), 0, CONFIG_PERM_DENY, 0,
	    K_ONE | K_SUBJECT, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct config_key config_resp_keys[] = {
	{ "max|max_msgs|max_messages|max_responses", config_i64,
	    PE(resp_max_msgs), 0, INT64_MIN, INT64_MAX, 0, 0, NULL, NULL },
	{ "expires|expiration|ttl", config_dur, PE(resp_expires), 0,
	    -DUR_MAX, DUR_MAX, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define TL(m)	offsetof(struct config_tls, m)
static const struct config_key config_tls_keys[] = {
	{ "cert_file", config_str, TL(cert_file), 0, 0, 0, 0, 0, NULL, NULL },
	{ "key_file", config_str, TL(key_file), 0, 0, 0, 0, 0, NULL, NULL },
	{ "ca_file", config_str, TL(ca_file), 0, 0, 0, 0, 0, NULL, NULL },
	{ "verify", config_bool, TL(verify), 0, 0, 0, 0, 0, NULL, NULL },
	{ "verify_and_map", config_bool, TL(verify_and_map), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "insecure", config_bool, TL(insecure), 0, 0, 0, 0, 0, NULL, NULL },
	{ "timeout", config_dur, TL(timeout), 0, 0, DUR_MAX, K_SECONDS, 0,
	    NULL, NULL },
	{ "cipher_suites", config_strlist, TL(cipher_suites), 0, 0, 0,
	    K_NONEMPTY, 0, NULL, NULL },
	{ "curve_preferences", config_strlist, TL(curve_preferences), 0, 0, 0,
	    K_NONEMPTY, 0, NULL, NULL },
	{ "verify_cert_and_check_known_urls", NULL, 0, 0, 0, 0, 0, 0, NULL,
	    NOT_NATSD },
	{ "pinned_certs", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "connection_rate_limit", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define CL(m)	offsetof(struct config_cluster, m)
static const struct config_key config_cluster_keys[] = {
	{ "name", config_str, CL(name), 0, 0, 0, 0, 0, NULL, NULL },
	{ "listen", config_listen, CL(host), CL(port), 0, 0, 0,
	    G_HOST | G_PORT, NULL, NULL },
	{ "host|net", config_str, CL(host), 0, 0, 0, 0, G_HOST, NULL, NULL },
	{ "port", config_i32, CL(port), 0, -1, 65535, 0, G_PORT, NULL, NULL },
	{ "advertise|cluster_advertise", config_str, CL(advertise), 0, 0, 0,
	    0, 0, NULL, NULL },
	{ "no_advertise", config_bool, CL(no_advertise), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "connect_retries", config_i32, CL(connect_retries), 0, 0, INT32_MAX,
	    0, 0, NULL, NULL },
	{ "routes", config_strlist, CL(routes), 0, 0, 0, K_ONE | K_URL, 0,
	    NULL, NULL },
	{ "authorization", config_block, CL(auth), 0, 0, 0, 0, 0,
	    config_route_auth_keys, NULL },
	{ "permissions", config_perms, CL(perms), 0, 0, 0, 0, 0, NULL, NULL },
	{ "tls", config_tls, CL(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define GR(m)	offsetof(struct config_gateway_remote, m)
static const struct config_key config_gwremote_keys[] = {
	{ "name", config_str, GR(name), 0, 0, 0, 0, 0, NULL, NULL },
	{ "urls|url", config_strlist, GR(urls), 0, 0, 0, K_ONE | K_URL, 0,
	    NULL, NULL },
	{ "tls", config_tls, GR(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define GW(m)	offsetof(struct config_gateway, m)
static const struct config_key config_gateway_keys[] = {
	{ "name", config_str, GW(name), 0, 0, 0, 0, 0, NULL, NULL },
	{ "listen", config_listen, GW(host), GW(port), 0, 0, 0,
	    G_HOST | G_PORT, NULL, NULL },
	{ "host|net", config_str, GW(host), 0, 0, 0, 0, G_HOST, NULL, NULL },
	{ "port", config_i32, GW(port), 0, -1, 65535, 0, G_PORT, NULL, NULL },
	{ "advertise", config_str, GW(advertise), 0, 0, 0, 0, 0, NULL, NULL },
	{ "connect_retries", config_i32, GW(connect_retries), 0, 0, INT32_MAX,
	    0, 0, NULL, NULL },
	{ "reject_unknown|reject_unknown_cluster", config_bool,
	    GW(reject_unknown), 0, 0, 0, 0, 0, NULL, NULL },
	{ "authorization", config_block, GW(auth), 0, 0, 0, 0, 0,
	    config_route_auth_keys, NULL },
	{ "tls", config_tls, GW(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ "gateways", config_gateways, GW(gateways), GW(ngateways), 0, 0, 0, 0,
	    NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define LR(m)	offsetof(struct config_leaf_remote, m)
static const struct config_key config_leafremote_keys[] = {
	{ "urls|url", config_strlist, LR(urls), 0, 0, 0, K_ONE | K_URL, 0,
	    NULL, NULL },
	{ "account|local", config_str, LR(account), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "credentials|creds", config_str, LR(credentials), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "no_randomize|dont_randomize", config_bool, LR(no_randomize), 0, 0,
	    0, 0, 0, NULL, NULL },
	{ "hub", config_bool, LR(hub), 0, 0, 0, 0, 0, NULL, NULL },
	{ "deny_imports|deny_import", config_strlist, LR(deny_imports), 0, 0,
	    0, K_ONE | K_SUBJECT, 0, NULL, NULL },
	{ "deny_exports|deny_export", config_strlist, LR(deny_exports), 0, 0,
	    0, K_ONE | K_SUBJECT, 0, NULL, NULL },
	{ "tls", config_tls, LR(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ "ws_compression|ws_compress|websocket_compress|"
	    "websocket_compression", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "ws_no_masking|websocket_no_masking", NULL, 0, 0, 0, 0, 0, 0, NULL,
	    NOT_NATSD },
	{ "jetstream_cluster_migrate|js_cluster_migrate", NULL, 0, 0, 0, 0, 0,
	    0, NULL, NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define LN(m)	offsetof(struct config_leafnodes, m)
static const struct config_key config_leaf_keys[] = {
	{ "listen", config_listen, LN(host), LN(port), 0, 0, 0,
	    G_HOST | G_PORT, NULL, NULL },
	{ "host|net", config_str, LN(host), 0, 0, 0, 0, G_HOST, NULL, NULL },
	{ "port", config_i32, LN(port), 0, -1, 65535, 0, G_PORT, NULL, NULL },
	{ "advertise|leafnode_advertise", config_str, LN(advertise), 0, 0, 0,
	    0, 0, NULL, NULL },
	{ "no_advertise", config_bool, LN(no_advertise), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "reconnect|reconnect_delay|reconnect_interval", config_dur,
	    LN(reconnect), 0, 0, DUR_MAX, K_SECONDS, 0, NULL, NULL },
	{ "authorization", config_block, LN(auth), 0, 0, 0, 0, 0,
	    config_leaf_auth_keys, NULL },
	{ "tls", config_tls, LN(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ "remotes", config_remotes, LN(remotes), LN(nremotes), 0, 0, 0, 0,
	    NULL, NULL },
	{ "min_version|minimum_version", NULL, 0, 0, 0, 0, 0, 0, NULL,
	    NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define JS(m)	offsetof(struct config_jetstream, m)
static const struct config_key config_js_keys[] = {
	{ "store_dir|store|storedir", config_str, JS(store_dir), 0, 0, 0, 0,
	    0, NULL, NULL },
	{ "max_memory_store|max_mem_store|max_mem", config_size,
	    JS(max_memory_store), 0, -1, INT64_MAX, 0, 0, NULL, NULL },
	{ "max_file_store|max_file", config_size, JS(max_file_store), 0, -1,
	    INT64_MAX, 0, 0, NULL, NULL },
	{ "domain", config_str, JS(domain), 0, 0, 0, 0, 0, NULL, NULL },
	{ "enabled|enable", config_bool, JS(enabled), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "sync_interval|sync", config_sync, JS(sync_interval), 0, 1, DUR_MAX,
	    0, 0, NULL, NULL },
	{ "key|ek|encryption_key", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "cipher", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "extension_hint", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "limits", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "unique_tag", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "max_outstanding_catchup", NULL, 0, 0, 0, 0, 0, 0, NULL,
	    NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define AC(m)	offsetof(struct config_account, m)
static const struct config_key config_account_js_keys[] = {
	{ "max_memory|max_mem|mem|memory", config_size, AC(js_max_memory), 0,
	    -1, INT64_MAX, 0, 0, NULL, NULL },
	{ "max_store|max_file|max_disk|store|disk", config_size,
	    AC(js_max_store), 0, -1, INT64_MAX, 0, 0, NULL, NULL },
	{ "max_streams|streams", config_i64, AC(js_max_streams), 0, -1,
	    INT64_MAX, 0, 0, NULL, NULL },
	{ "max_consumers|consumers", config_i64, AC(js_max_consumers), 0, -1,
	    INT64_MAX, 0, 0, NULL, NULL },
	{ "max_bytes_required|max_stream_bytes|max_bytes", NULL, 0, 0, 0, 0,
	    0, 0, NULL, NOT_NATSD },
	{ "mem_max_stream_bytes|memory_max_stream_bytes", NULL, 0, 0, 0, 0, 0,
	    0, NULL, NOT_NATSD },
	{ "disk_max_stream_bytes|store_max_stream_bytes", NULL, 0, 0, 0, 0, 0,
	    0, NULL, NOT_NATSD },
	{ "max_ack_pending", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define EX(m)	offsetof(struct config_export, m)
static const struct config_key config_export_keys[] = {
	{ "stream", config_export_subject, 0, 0, CONFIG_STREAM, 0, 0, G_TYPE,
	    NULL, NULL },
	{ "service", config_export_subject, 0, 0, CONFIG_SERVICE, 0, 0,
	    G_TYPE, NULL, NULL },
	{ "accounts", config_strlist, EX(accounts), 0, 0, 0, K_ONE, 0, NULL,
	    NULL },
	{ "response_type|response", config_response_type, 0, 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "response_threshold|threshold|response_max_time|response_time",
	    config_dur, EX(response_threshold), 0, 1, DUR_MAX, 0, 0, NULL,
	    NULL },
	{ "latency", config_latency, 0, 0, 0, 0, 0, 0, NULL, NULL },
	{ "account_token_position", config_i32, EX(account_token_position),
	    0, 0, INT32_MAX, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct config_key config_latency_keys[] = {
	{ "subject", config_str, EX(latency_subject), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "sampling", config_i32, EX(latency_sampling), 0, 1, 100, 0, 0, NULL,
	    NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define IM(m)	offsetof(struct config_import, m)
static const struct config_key config_import_keys[] = {
	{ "stream", config_import_ref, 0, 0, CONFIG_STREAM, 0, 0, G_TYPE,
	    NULL, NULL },
	{ "service", config_import_ref, 0, 0, CONFIG_SERVICE, 0, 0, G_TYPE,
	    NULL, NULL },
	{ "prefix", config_str, IM(prefix), 0, 0, 0, 0, 0, NULL, NULL },
	{ "to", config_str, IM(to), 0, 0, 0, 0, 0, NULL, NULL },
	{ "share", config_bool, IM(share), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct config_key config_import_ref_keys[] = {
	{ "account", config_str, IM(account), 0, 0, 0, 0, 0, NULL, NULL },
	{ "subject", config_str, IM(subject), 0, 0, 0, 0, 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

static const struct config_key config_account_keys[] = {
	{ "nkey", config_str, AC(nkey), 0, 0, 0, 0, 0, NULL, NULL },
	{ "users", config_users, AC(users), AC(nusers), 0, 0, 0, 0, NULL,
	    NULL },
	{ "exports", config_exports, 0, 0, 0, 0, 0, 0, NULL, NULL },
	{ "imports", config_imports, 0, 0, 0, 0, 0, 0, NULL, NULL },
	{ "jetstream", config_account_js, 0, 0, 0, 0, 0, 0, NULL, NULL },
	{ "default_permissions", config_perms, AC(default_perms), 0, 0, 0, 0,
	    0, NULL, NULL },
	{ "mappings|maps", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "limits", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

#define CF(m)	offsetof(struct config, m)
const struct config_key config_top_keys[] = {
	{ "server_name", config_str, CF(server_name), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "listen", config_listen, CF(host), CF(port), 0, 0, 0,
	    G_HOST | G_PORT, NULL, NULL },
	{ "host|net", config_str, CF(host), 0, 0, 0, 0, G_HOST, NULL, NULL },
	{ "port", config_i32, CF(port), 0, -1, 65535, 0, G_PORT, NULL, NULL },
	{ "client_advertise", config_str, CF(client_advertise), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "http", config_listen, CF(http_host), CF(http_port), 0, 0, 0,
	    G_HTTPHOST | G_HTTPPORT, NULL, NULL },
	{ "https", config_listen, CF(http_host), CF(https_port), 0, 0, 0,
	    G_HTTPHOST | G_HTTPSPORT, NULL, NULL },
	{ "http_port|monitor_port", config_i32, CF(http_port), 0, -1, 65535,
	    0, G_HTTPPORT, NULL, NULL },
	{ "https_port", config_i32, CF(https_port), 0, -1, 65535, 0,
	    G_HTTPSPORT, NULL, NULL },
	{ "http_base_path", config_str, CF(http_base_path), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "workers", config_i32, CF(workers), 0, 0, CONFIG_MAX_WORKERS, 0, 0,
	    NULL, NULL },
	{ "shm_size", config_size, CF(shm_size), 0, CONFIG_MIN_SHM_SIZE,
	    CONFIG_MAX_SHM_SIZE, 0, 0, NULL, NULL },
	{ "max_payload", config_size, CF(max_payload), 0, 0,
	    CONFIG_MAX_MAX_PAYLOAD, 0, 0, NULL, NULL },
	{ "max_connections|max_conn", config_i32, CF(max_connections), 0, 0,
	    INT32_MAX, 0, 0, NULL, NULL },
	{ "max_control_line", config_size32, CF(max_control_line), 0, 0,
	    INT32_MAX, 0, 0, NULL, NULL },
	{ "max_pending", config_size, CF(max_pending), 0, 0, INT64_MAX, 0, 0,
	    NULL, NULL },
	{ "max_subscriptions|max_subs", config_i32, CF(max_subscriptions), 0,
	    0, INT32_MAX, 0, 0, NULL, NULL },
	{ "ping_interval", config_dur, CF(ping_interval), 0, 0, DUR_MAX,
	    K_SECONDS, 0, NULL, NULL },
	{ "ping_max", config_i32, CF(ping_max), 0, 0, INT32_MAX, 0, 0, NULL,
	    NULL },
	{ "write_deadline", config_dur, CF(write_deadline), 0, 0, DUR_MAX,
	    K_SECONDS, 0, NULL, NULL },
	{ "lame_duck_duration", config_dur, CF(lame_duck_duration), 0,
	    30 * 1000, DUR_MAX, 0, 0, NULL, NULL },
	{ "lame_duck_grace_period", config_dur, CF(lame_duck_grace_period), 0,
	    0, DUR_MAX, 0, 0, NULL, NULL },
	{ "max_traced_msg_len", config_i32, CF(max_traced_msg_len), 0, 0,
	    INT32_MAX, 0, 0, NULL, NULL },
	{ "pid_file|pidfile", config_str, CF(pid_file), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "ports_file_dir", config_str, CF(ports_file_dir), 0, 0, 0, 0, 0,
	    NULL, NULL },
	{ "log_file|logfile", config_str, CF(log_file), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "logfile_size_limit|log_size_limit", config_size,
	    CF(log_size_limit), 0, 0, INT64_MAX, 0, 0, NULL, NULL },
	{ "syslog", config_bool, CF(syslog), 0, 0, 0, 0, 0, NULL, NULL },
	{ "remote_syslog", config_str, CF(remote_syslog), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "debug", config_bool, CF(debug), 0, 0, 0, 0, 0, NULL, NULL },
	{ "trace", config_bool, CF(trace), 0, 0, 0, 0, 0, NULL, NULL },
	{ "trace_verbose", config_bool, CF(trace_verbose), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "logtime", config_bool, CF(logtime), 0, 0, 0, 0, 0, NULL, NULL },
	{ "daemon", config_bool, CF(daemon), 0, 0, 0, 0, 0, NULL, NULL },
	{ "connect_error_reports", config_i32, CF(connect_error_reports), 0,
	    0, INT32_MAX, 0, 0, NULL, NULL },
	{ "reconnect_error_reports", config_i32, CF(reconnect_error_reports),
	    0, 0, INT32_MAX, 0, 0, NULL, NULL },
	{ "no_auth_user", config_str, CF(no_auth_user), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "no_header_support", config_bool, CF(no_header_support), 0, 0, 0, 0,
	    0, NULL, NULL },
	{ "disable_sublist_cache|no_sublist_cache", config_bool,
	    CF(disable_sublist_cache), 0, 0, 0, 0, 0, NULL, NULL },
	{ "system_account|system", config_str, CF(system_account), 0, 0, 0, 0,
	    0, NULL, NULL },
	{ "no_system_account|no_system|no_sys_acc", config_bool,
	    CF(no_system_account), 0, 0, 0, 0, 0, NULL, NULL },
	{ "server_tags", config_strlist, CF(server_tags), 0, 0, 0, K_ONE, 0,
	    NULL, NULL },
	{ "authorization", config_block, CF(auth), 0, 0, 0, 0, 0,
	    config_auth_keys, NULL },
	{ "accounts", config_accounts, 0, 0, 0, 0, 0, 0, NULL, NULL },
	{ "tls", config_tls, CF(tls), 0, 0, 0, 0, 0, NULL, NULL },
	{ "cluster", config_block, CF(cluster), 0, 0, 0, 0, 0,
	    config_cluster_keys, NULL },
	{ "gateway", config_block, CF(gateway), 0, 0, 0, 0, 0,
	    config_gateway_keys, NULL },
	{ "leafnodes|leaf", config_block, CF(leafnodes), 0, 0, 0, 0, 0,
	    config_leaf_keys, NULL },
	{ "jetstream", config_jetstream, CF(jetstream), 0, 0, 0, 0, 0, NULL,
	    NULL },
	{ "store_dir|storedir", config_str, CF(jetstream.store_dir), 0, 0, 0,
	    0, 0, NULL, NULL },
	{ "mappings|maps", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "operator|operators|roots|root|root_operators|root_operator", NULL,
	    0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "resolver|account_resolver|accounts_resolver", NULL, 0, 0, 0, 0, 0,
	    0, NULL, NOT_NATSD },
	{ "resolver_tls", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "resolver_preload", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "resolver_pinned_accounts", NULL, 0, 0, 0, 0, 0, 0, NULL,
	    NOT_NATSD },
	{ "trusted|trusted_keys", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "websocket|ws", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "mqtt", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "ocsp", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "prof_port", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "allow_non_tls", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "default_js_domain", NULL, 0, 0, 0, 0, 0, 0, NULL, NOT_NATSD },
	{ "max_sub_tokens|max_subscription_tokens", NULL, 0, 0, 0, 0, 0, 0,
	    NULL, NOT_NATSD },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }
};

/* A tls block: allocates base + off, a struct config_tls pointer. */
static int
config_tls(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_tls	**f = FIELD(base, k->off, struct config_tls *);
	struct config_tls	 *t;

	*f = t = xcalloc(1, sizeof *t);
	t->timeout = CONFIG_DEFAULT_TLS_TIMEOUT;
	if (config_map(p, n, config_tls_keys, t) == -1)
		return (-1);
	if (t->verify_and_map)
		t->verify = 1;
	if (t->cert_file != NULL && t->key_file == NULL)
		return (config_error(p, n, "cert_file needs a key_file"));
	if (t->cert_file == NULL && t->key_file != NULL)
		return (config_error(p, n, "key_file needs a cert_file"));
	return (0);
}

/* Public nkeys: 56 characters of base32, starting with prefix. */
int
config_nkey_ok(const char *s, char prefix)
{
	return (strlen(s) == 56 && s[0] == prefix &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 56);
}

/* One user entry; arg is non-NULL for leafnodes users. */
static int
config_user(struct config_parse *p, yaml_node_t *n, void *elem, void *arg)
{
	struct config_user	*u = elem;

	u->line = (int)n->start_mark.line + 1;
	if (config_map(p, n, arg != NULL ? config_leaf_user_keys :
	    config_user_keys, u) == -1)
		return (-1);
	if (u->user == NULL && u->nkey == NULL)
		return (config_error(p, n, "user entry needs a user%s",
		    arg != NULL ? "" : " or an nkey"));
	if (u->nkey != NULL && !config_nkey_ok(u->nkey, 'U'))
		return (config_error(p, n, "nkey is not a valid public user "
		    "nkey"));
	if (u->nkey != NULL && (u->user != NULL || u->password != NULL))
		return (config_error(p, n, "nkey users take no user or "
		    "password"));
	return (0);
}

/* users: base + off is the array, base + off2 its count. k->min: leaf. */
static int
config_users(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_list(p, n, FIELD(base, k->off, void *),
	    FIELD(base, k->off2, size_t), sizeof(struct config_user),
	    config_user, k->min ? p : NULL));
}

static int
config_conntypes(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	static const char	*known[] = { "STANDARD", "WEBSOCKET",
				    "LEAFNODE", "LEAFNODE_WS", "MQTT",
				    "MQTT_WS" };
	struct config_strlist	*l = FIELD(base, k->off, struct config_strlist);
	size_t			 i, j;
	char			*c;

	if (config_strlist(p, n, base, k) == -1)
		return (-1);
	for (i = 0; i < l->n; i++) {
		for (c = l->v[i]; *c != '\0'; c++)
			*c = toupper((unsigned char)*c);
		for (j = 0; j < sizeof known / sizeof known[0]; j++) {
			if (strcmp(l->v[i], known[j]) == 0)
				break;
		}
		if (j == sizeof known / sizeof known[0])
			return (config_error(p, n, "unknown connection type "
			    "\"%s\"", l->v[i]));
	}
	return (0);
}

/* permissions: allocates base + off. */
static int
config_perms(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_permissions	**f, *pm;

	f = FIELD(base, k->off, struct config_permissions *);
	*f = pm = xcalloc(1, sizeof *pm);
	pm->resp_max_msgs = CONFIG_DEFAULT_RESP_MAX_MSGS;
	pm->resp_expires = CONFIG_DEFAULT_RESP_EXPIRES;
	if (config_map(p, n, config_perm_keys, pm) == -1)
		return (-1);
	/* As nats-server: allowing responses turns off the blanket allow. */
	if (pm->allow_responses)
		pm->publish.flags |= CONFIG_PERM_ALLOW;
	return (0);
}

/* publish or subscribe: a subject, a list, or { allow, deny }. */
static int
config_subperm(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_subperm	*sp;
	static const struct config_key	allow = { "allow", config_permlist,
	    offsetof(struct config_subperm, allow), 0, CONFIG_PERM_ALLOW, 0,
	    K_ONE | K_SUBJECT, 0, NULL, NULL };

	sp = FIELD(base, k->off, struct config_subperm);
	if (n->type == YAML_MAPPING_NODE)
		return (config_map(p, n, config_subperm_keys, sp));
	return (config_permlist(p, n, sp, &allow));
}

/* allow or deny of a permission: a list, flagged given by k->min. */
static int
config_permlist(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	if (config_strlist(p, n, base, k) == -1)
		return (-1);
	((struct config_subperm *)base)->flags |= (int)k->min;
	return (0);
}

/* allow_responses: true, false or { max, expires }. */
static int
config_responses(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_permissions	*pm = base;

	if (n->type != YAML_MAPPING_NODE)
		return (config_bool(p, n, base, &(struct config_key){ .off =
		    offsetof(struct config_permissions, allow_responses) }));
	pm->allow_responses = 1;
	if (config_map(p, n, config_resp_keys, pm) == -1)
		return (-1);
	if (pm->resp_max_msgs == 0)
		pm->resp_max_msgs = CONFIG_DEFAULT_RESP_MAX_MSGS;
	if (pm->resp_expires == 0)
		pm->resp_expires = CONFIG_DEFAULT_RESP_EXPIRES;
	return (0);
}

/* Appends an account called name; js limits start unlimited. */
static struct config_account *
config_account_add(struct config *cf, const char *name)
{
	struct config_account	*a;

	cf->accounts = xreallocarray(cf->accounts, cf->naccounts + 1,
	    sizeof *cf->accounts);
	a = &cf->accounts[cf->naccounts++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->js_max_memory = a->js_max_store = CONFIG_UNLIMITED;
	a->js_max_streams = a->js_max_consumers = CONFIG_UNLIMITED;
	return (a);
}

/* One "NAME: { ... }" of accounts. */
static int
config_account(struct config_parse *p, yaml_node_t *kn, yaml_node_t *vn)
{
	struct config_account	*a;
	const char		*name = (const char *)kn->data.scalar.value;
	size_t			 i;

	if (strcmp(name, "$G") == 0)
		return (config_error(p, kn, "\"$G\" is a reserved account"));
	if (config_account_find(p->cf, name) != NULL)
		return (config_error(p, kn, "duplicate account"));
	a = config_account_add(p->cf, name);
	if (vn->type != YAML_MAPPING_NODE)
		return (config_expected(p, vn, "a map"));
	if (config_map(p, vn, config_account_keys, a) == -1)
		return (-1);
	for (i = 0; i < a->nusers; i++)
		a->users[i].account = xstrdup(a->name);
	return (0);
}

/* accounts: a map of name to account, or a list of names. */
static int
config_accounts(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	yaml_node_pair_t	*pair;
	yaml_node_item_t	*it;
	yaml_node_t		*kn, *in;
	struct config_save	 sv;
	const char		*name;
	int			 rc;

	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			in = config_node(p, *it);
			sv = config_push_index(p, it -
			    n->data.sequence.items.start);
			if ((name = config_scalar(p, in, "an account name")) ==
			    NULL)
				return (-1);
			if (strcmp(name, "$G") == 0 ||
			    config_account_find(p->cf, name) != NULL)
				return (config_error(p, in, "duplicate or "
				    "reserved account \"%s\"", name));
			config_account_add(p->cf, name);
			config_pop(p, sv);
		}
		return (0);
	}
	if (n->type != YAML_MAPPING_NODE)
		return (config_expected(p, n, "a map of accounts"));
	if (config_enter(p, n) == -1)
		return (-1);
	for (pair = n->data.mapping.pairs.start;
	    pair < n->data.mapping.pairs.top; pair++) {
		kn = config_node(p, pair->key);
		if (kn->type != YAML_SCALAR_NODE)
			return (config_error(p, kn, "keys must be strings"));
		name = (const char *)kn->data.scalar.value;
		sv = config_push(p, name, strlen(name), name, strlen(name));
		config_mark(p, (int)kn->start_mark.line + 1);
		rc = config_account(p, kn, config_node(p, pair->value));
		config_pop(p, sv);
		if (rc == -1)
			return (-1);
	}
	return (0);
}

/* An account's jetstream: true, false, "enabled", "disabled" or limits. */
static int
config_account_js(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_account	*a = base;

	if (n->type == YAML_MAPPING_NODE) {
		a->jetstream = 1;
		return (config_map(p, n, config_account_js_keys, a));
	}
	return (config_enabled(p, n, &a->jetstream));
}

static int
config_export(struct config_parse *p, yaml_node_t *n, void *elem, void *arg)
{
	struct config_export	*e = elem;

	e->latency_sampling = 100;
	if (config_map(p, n, config_export_keys, e) == -1)
		return (-1);
	if (e->type == 0)
		return (config_error(p, n, "export needs a stream or a "
		    "service"));
	if (e->type == CONFIG_STREAM && (e->response_type != 0 ||
	    e->response_threshold != 0 || e->latency_subject != NULL))
		return (config_error(p, n, "response and latency settings "
		    "apply to services only"));
	return (0);
}

static int
config_exports(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_account	*a = base;

	return (config_list(p, n, (void **)&a->exports, &a->nexports,
	    sizeof *a->exports, config_export, NULL));
}

/* stream: or service: of an export; k->min is the type. */
static int
config_export_subject(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_export	*e = base;
	const char		*s;

	if ((s = config_scalar(p, n, "a subject")) == NULL)
		return (-1);
	if (!config_subject_ok(s, 0))
		return (config_error(p, n, "\"%.60s\" is not a valid subject",
		    s));
	e->type = (enum config_export_type)k->min;
	e->subject = xstrdup(s);
	return (0);
}

static int
config_response_type(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_export	*e = base;
	const char		*s;

	if ((s = config_scalar(p, n, "singleton, stream or chunked")) == NULL)
		return (-1);
	if (strcasecmp(s, "singleton") == 0 || strcasecmp(s, "single") == 0)
		e->response_type = CONFIG_RESP_SINGLETON;
	else if (strcasecmp(s, "stream") == 0)
		e->response_type = CONFIG_RESP_STREAM;
	else if (strcasecmp(s, "chunked") == 0 || strcasecmp(s, "chunk") == 0)
		e->response_type = CONFIG_RESP_CHUNKED;
	else
		return (config_expected(p, n, "singleton, stream or chunked"));
	return (0);
}

/* latency: a subject, or { subject, sampling }. */
static int
config_latency(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_export	*e = base;
	static const struct config_key	subj = { "subject", config_str,
	    offsetof(struct config_export, latency_subject), 0, 0, 0, 0, 0,
	    NULL, NULL };

	if (n->type != YAML_MAPPING_NODE)
		return (config_str(p, n, e, &subj));
	if (config_map(p, n, config_latency_keys, e) == -1)
		return (-1);
	if (e->latency_subject == NULL)
		return (config_error(p, n, "latency needs a subject"));
	return (0);
}

static int
config_import(struct config_parse *p, yaml_node_t *n, void *elem, void *arg)
{
	struct config_import	*im = elem;

	if (config_map(p, n, config_import_keys, im) == -1)
		return (-1);
	if (im->type == 0)
		return (config_error(p, n, "import needs a stream or a "
		    "service"));
	if (im->type == CONFIG_SERVICE && im->prefix != NULL)
		return (config_error(p, n, "prefix applies to stream imports "
		    "only"));
	if (im->prefix != NULL && im->to != NULL)
		return (config_error(p, n, "a stream import cannot have both "
		    "prefix and to"));
	return (0);
}

static int
config_imports(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_account	*a = base;

	return (config_list(p, n, (void **)&a->imports, &a->nimports,
	    sizeof *a->imports, config_import, NULL));
}

/* stream: or service: of an import, { account, subject }; k->min type. */
static int
config_import_ref(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_import	*im = base;

	im->type = (enum config_export_type)k->min;
	if (config_map(p, n, config_import_ref_keys, im) == -1)
		return (-1);
	if (im->account == NULL || im->subject == NULL)
		return (config_error(p, n, "needs an account and a subject"));
	if (!config_subject_ok(im->subject, 0))
		return (config_error(p, n, "\"%.60s\" is not a valid subject",
		    im->subject));
	return (0);
}

static int
config_gateway_remote(struct config_parse *p, yaml_node_t *n, void *elem,
    void *arg)
{
	struct config_gateway_remote	*g = elem;

	if (config_map(p, n, config_gwremote_keys, g) == -1)
		return (-1);
	if (g->name == NULL)
		return (config_error(p, n, "gateway needs a name"));
	if (g->urls.n == 0)
		return (config_error(p, n, "gateway \"%s\" needs url or urls",
		    g->name));
	return (0);
}

static int
config_gateways(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_list(p, n, FIELD(base, k->off, void *),
	    FIELD(base, k->off2, size_t), sizeof(struct config_gateway_remote),
	    config_gateway_remote, NULL));
}

static int
config_leaf_remote(struct config_parse *p, yaml_node_t *n, void *elem,
    void *arg)
{
	struct config_leaf_remote	*r = elem;

	if (config_map(p, n, config_leafremote_keys, r) == -1)
		return (-1);
	if (r->urls.n == 0)
		return (config_error(p, n, "remote needs url or urls"));
	return (0);
}

static int
config_remotes(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	return (config_list(p, n, FIELD(base, k->off, void *),
	    FIELD(base, k->off2, size_t), sizeof(struct config_leaf_remote),
	    config_leaf_remote, NULL));
}

/* jetstream: true, false, "enabled", "disabled" or a map. */
static int
config_jetstream(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	struct config_jetstream	*js = FIELD(base, k->off,
				    struct config_jetstream);

	if (n->type == YAML_MAPPING_NODE) {
		js->enabled = 1;
		return (config_map(p, n, config_js_keys, js));
	}
	return (config_enabled(p, n, &js->enabled));
}

/* sync_interval: a duration, or "always" (fsync every commit). */
static int
config_sync(struct config_parse *p, yaml_node_t *n, void *base,
    const struct config_key *k)
{
	const char	*s;

	if ((s = config_scalar(p, n, "a duration or always")) == NULL)
		return (-1);
	if (strcasecmp(s, "always") == 0) {
		*FIELD(base, k->off, int64_t) = CONFIG_JS_SYNC_ALWAYS;
		return (0);
	}
	return (config_dur(p, n, base, k));
}
