/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/options.h: the command-line overrides of the configuration.
 */

#ifndef NATSD_OPTIONS_H
#define NATSD_OPTIONS_H

struct config;

/*
 * Command-line settings: they override the file, also after a reload,
 * in the supervisor and in every child alike.
 */
struct options {
	const char		*config_file;
	const char		*host;
	int			 port, port_set;
	int			 http_port, http_port_set;
	const char		*name;
	int			 workers;
	int			 jetstream;
	const char		*store_dir;
	const char		*user, *pass, *token;
	int			 tls;
	const char		*tlscert, *tlskey, *tlscacert;
	int			 tlsverify;
	const char		*cluster, *cluster_name, *routes;
	const char		*log_file;
	int			 syslog;
	const char		*pid_file;
	int			 debug, trace;
	int			 daemon;
	int			 check_only;
};

void	options_apply(const struct options *, struct config *);
void	config_keep_fixed(const struct config *, struct config *);
int	config_auth_required(const struct config *);

#endif /* NATSD_OPTIONS_H */
