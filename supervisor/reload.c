/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/reload.c: SIGHUP. Parse and validate the file; on failure
 * log why and keep running as before. On success send the validated text
 * to every child, collect their acknowledgements, then swap the new
 * configuration in and free the old one (never the other way round).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"
#include "conf.h"
#include "supervisor.h"

static struct config	*reload_next;

static void
reload_diff_cb(const char *key, int reloadable, void *arg)
{
	if (reloadable)
		log_info("Reloaded: %s", key);
	else
		log_warnx("%s changed: it takes effect at the next restart",
		    key);
}

static void
reload_finish(struct natsd *n)
{
	struct config	*old = n->conf;

	n->conf = reload_next;
	reload_next = NULL;
	config_free(old);
	log_setlevel(n->conf->debug, n->conf->trace);
	monitor_config_loaded();
	natsd_warn_unenforced(n->conf);
	log_info("Reloaded server configuration");
}

/*
 * Start a reload from the configuration file. Logs the outcome; a bad
 * file changes nothing.
 */
void
reload_start(struct natsd *n)
{
	struct config	*cf;
	char		*cause = NULL;
	int		 i;

	if (n->opts.config_file == NULL) {
		log_warnx("reload: natsd was started without -c, nothing to "
		    "reload");
		return;
	}
	if (reload_next != NULL) {
		log_warnx("reload: a reload is still in progress");
		return;
	}
	if ((cf = config_load(n->opts.config_file, &cause)) == NULL) {
		log_warnx("reload: %s; keeping the running configuration",
		    cause);
		free(cause);
		return;
	}
	options_apply(&n->opts, cf);
	config_diff(n->conf, cf, reload_diff_cb, NULL);
	config_keep_fixed(n->conf, cf);
	reload_next = cf;
	n->reload_id++;
	n->reload_acks = 0;
	for (i = 0; i < n->nworkers; i++) {
		if (n->workers[i].peer == NULL)
			continue;
		n->workers[i].reload_pending = 1;
		n->reload_acks++;
		ctl_send(n->workers[i].peer, CTL_RELOAD, n->reload_id, -1,
		    cf->text, cf->textlen);
	}
	if (n->reload_acks == 0)
		reload_finish(n);
}

/*
 * Child c answered the current reload (status -1: it refused, or it
 * died meanwhile). The last answer completes the reload.
 */
void
reload_ack(struct natsd *n, struct child *c, int status)
{
	c->reload_pending = 0;
	if (status != 0)
		log_warnx("worker %d did not apply the new configuration",
		    c->index);
	if (--n->reload_acks == 0 && reload_next != NULL)
		reload_finish(n);
}
