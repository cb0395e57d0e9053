/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/natsd.c: main(): flags (nats-server's names), the
 * configuration, the pid file, daemonising, signals, and the stop.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "log.h"
#include "conf.h"
#include "stats.h"
#include "supervisor.h"
#include "xmalloc.h"

struct natsd	*natsd;

enum {
	OPT_CONFIG = 1, OPT_CHECK, OPT_ADDR, OPT_PORT, OPT_HTTP_PORT, OPT_NAME,
	OPT_WORKERS, OPT_JS, OPT_STORE_DIR, OPT_USER, OPT_PASS, OPT_AUTH,
	OPT_TLS, OPT_TLSCERT, OPT_TLSKEY, OPT_TLSCACERT, OPT_TLSVERIFY,
	OPT_CLUSTER, OPT_CLUSTER_NAME, OPT_ROUTES, OPT_LOG, OPT_SYSLOG,
	OPT_PID, OPT_DEBUG, OPT_TRACE, OPT_DEBUG_TRACE, OPT_DAEMON,
	OPT_VERSION, OPT_HELP
};

/*
 * nats-server takes Go flag syntax: -name, --name, -name=value and
 * -name value alike. Names are matched whole, never as prefixes.
 */
static const struct natsd_opt {
	const char	*name;
	int		 id;
	int		 arg;
} natsd_opts[] = {
	{ "c", OPT_CONFIG, 1 }, { "config", OPT_CONFIG, 1 },
	{ "t", OPT_CHECK, 0 },
	{ "a", OPT_ADDR, 1 }, { "addr", OPT_ADDR, 1 }, { "net", OPT_ADDR, 1 },
	{ "p", OPT_PORT, 1 }, { "port", OPT_PORT, 1 },
	{ "m", OPT_HTTP_PORT, 1 }, { "http_port", OPT_HTTP_PORT, 1 },
	{ "n", OPT_NAME, 1 }, { "name", OPT_NAME, 1 },
	{ "server_name", OPT_NAME, 1 },
	{ "w", OPT_WORKERS, 1 }, { "workers", OPT_WORKERS, 1 },
	{ "js", OPT_JS, 0 }, { "jetstream", OPT_JS, 0 },
	{ "sd", OPT_STORE_DIR, 1 }, { "store_dir", OPT_STORE_DIR, 1 },
	{ "user", OPT_USER, 1 }, { "pass", OPT_PASS, 1 },
	{ "auth", OPT_AUTH, 1 },
	{ "tls", OPT_TLS, 0 }, { "tlscert", OPT_TLSCERT, 1 },
	{ "tlskey", OPT_TLSKEY, 1 }, { "tlscacert", OPT_TLSCACERT, 1 },
	{ "tlsverify", OPT_TLSVERIFY, 0 },
	{ "cluster", OPT_CLUSTER, 1 }, { "cluster_listen", OPT_CLUSTER, 1 },
	{ "cluster_name", OPT_CLUSTER_NAME, 1 },
	{ "routes", OPT_ROUTES, 1 },
	{ "l", OPT_LOG, 1 }, { "log", OPT_LOG, 1 },
	{ "s", OPT_SYSLOG, 0 }, { "syslog", OPT_SYSLOG, 0 },
	{ "P", OPT_PID, 1 }, { "pid", OPT_PID, 1 },
	{ "D", OPT_DEBUG, 0 }, { "debug", OPT_DEBUG, 0 },
	{ "V", OPT_TRACE, 0 }, { "trace", OPT_TRACE, 0 },
	{ "DV", OPT_DEBUG_TRACE, 0 }, { "VD", OPT_DEBUG_TRACE, 0 },
	{ "daemon", OPT_DAEMON, 0 },
	{ "v", OPT_VERSION, 0 }, { "version", OPT_VERSION, 0 },
	{ "h", OPT_HELP, 0 }, { "help", OPT_HELP, 0 },
};

static void	natsd_usage(FILE *, int) __attribute__((__noreturn__));
static void	natsd_parse_flags(struct options *, int, char **);
static int	natsd_number(const char *, const char *, long, long);
static void	natsd_daemonise(void);
static int	natsd_pid_check(const char *, char **);
static int	natsd_pid_write(const char *, char **);
static void	natsd_signal_cb(evutil_socket_t, short, void *);
static void	natsd_stop_timeout_cb(evutil_socket_t, short, void *);
static void	natsd_log_setup(const struct config *, int);
static int	natsd_cpus(void);

static void
natsd_usage(FILE *f, int status)
{
	fprintf(f,
"usage: natsd [options]\n"
"\n"
"Server options:\n"
"  -c, --config FILE        configuration file (YAML)\n"
"  -t                       check the configuration and exit\n"
"  -a, --addr, --net HOST   client listen host (default 0.0.0.0)\n"
"  -p, --port PORT          client port (default 4222; -1 random)\n"
"  -m, --http_port PORT     monitoring HTTP port (-1 random)\n"
"  -n, --name NAME          server name\n"
"  -w, --workers N          worker processes (default: CPUs)\n"
"  -P, --pid FILE           pid file\n"
"      --daemon             detach from the terminal\n"
"\n"
"Logging options:\n"
"  -l, --log FILE           log file (default stderr)\n"
"  -s, --syslog             log to syslog\n"
"  -D, --debug              debug output\n"
"  -V, --trace              protocol trace\n"
"  -DV                      debug and trace\n"
"\n"
"JetStream options:\n"
"  -js, --jetstream         enable JetStream\n"
"  -sd, --store_dir DIR     JetStream storage directory\n"
"\n"
"Authorization options:\n"
"      --user USER          user required for connections\n"
"      --pass PASSWORD      password required for connections\n"
"      --auth TOKEN         token required for connections\n"
"\n"
"TLS options:\n"
"      --tls                enable TLS\n"
"      --tlscert FILE       server certificate\n"
"      --tlskey FILE        private key\n"
"      --tlscacert FILE     client certificate CA\n"
"      --tlsverify          require and verify client certificates\n"
"\n"
"Cluster options:\n"
"      --cluster URL        cluster listen URL\n"
"      --cluster_name NAME  cluster name\n"
"      --routes URL[,URL]   routes to solicit\n"
"\n"
"Common options:\n"
"  -h, --help               this text\n"
"  -v, --version            version\n");
	exit(status);
}

static int
natsd_number(const char *flag, const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "natsd: -%s: invalid value \"%s\" (%ld..%ld)\n",
		    flag, s, min, max);
		exit(1);
	}
	return ((int)v);
}

static void
natsd_parse_flags(struct options *fl, int argc, char **argv)
{
	const struct natsd_opt	*o;
	const char		*arg, *val;
	char			 name[64];
	size_t			 i, n;
	int			 ai;

	for (ai = 1; ai < argc; ai++) {
		arg = argv[ai];
		if (arg[0] != '-' || arg[1] == '\0') {
			fprintf(stderr, "natsd: unexpected argument \"%s\"\n",
			    arg);
			natsd_usage(stderr, 1);
		}
		arg += arg[1] == '-' ? 2 : 1;
		val = strchr(arg, '=');
		n = val != NULL ? (size_t)(val - arg) : strlen(arg);
		if (n == 0 || n >= sizeof(name)) {
			fprintf(stderr, "natsd: bad flag \"%s\"\n", argv[ai]);
			natsd_usage(stderr, 1);
		}
		memcpy(name, arg, n);
		name[n] = '\0';
		o = NULL;
		for (i = 0; i < sizeof(natsd_opts) / sizeof(natsd_opts[0]); i++)
			if (strcmp(natsd_opts[i].name, name) == 0)
				o = &natsd_opts[i];
		if (o == NULL) {
			fprintf(stderr, "natsd: unknown flag \"%s\"\n",
			    argv[ai]);
			natsd_usage(stderr, 1);
		}
		if (o->arg && val != NULL)
			val++;
		else if (o->arg) {
			if (ai + 1 >= argc) {
				fprintf(stderr, "natsd: -%s needs a value\n",
				    name);
				exit(1);
			}
			val = argv[++ai];
		} else if (val != NULL) {
			/* -js=true, -D=false */
			if (strcmp(val + 1, "false") == 0)
				continue;
		}

		switch (o->id) {
		case OPT_CONFIG:	fl->config_file = val; break;
		case OPT_CHECK:		fl->check_only = 1; break;
		case OPT_ADDR:		fl->host = val; break;
		case OPT_PORT:
			fl->port = natsd_number(name, val, -1, 65535);
			fl->port_set = 1;
			break;
		case OPT_HTTP_PORT:
			fl->http_port = natsd_number(name, val, -1, 65535);
			fl->http_port_set = 1;
			break;
		case OPT_NAME:		fl->name = val; break;
		case OPT_WORKERS:
			fl->workers = natsd_number(name, val, 1,
			    STATS_MAX_WORKERS);
			break;
		case OPT_JS:		fl->jetstream = 1; break;
		case OPT_STORE_DIR:	fl->store_dir = val; break;
		case OPT_USER:		fl->user = val; break;
		case OPT_PASS:		fl->pass = val; break;
		case OPT_AUTH:		fl->token = val; break;
		case OPT_TLS:		fl->tls = 1; break;
		case OPT_TLSCERT:	fl->tlscert = val; break;
		case OPT_TLSKEY:	fl->tlskey = val; break;
		case OPT_TLSCACERT:	fl->tlscacert = val; break;
		case OPT_TLSVERIFY:	fl->tlsverify = 1; break;
		case OPT_CLUSTER:	fl->cluster = val; break;
		case OPT_CLUSTER_NAME:	fl->cluster_name = val; break;
		case OPT_ROUTES:	fl->routes = val; break;
		case OPT_LOG:		fl->log_file = val; break;
		case OPT_SYSLOG:	fl->syslog = 1; break;
		case OPT_PID:		fl->pid_file = val; break;
		case OPT_DEBUG:		fl->debug = 1; break;
		case OPT_TRACE:		fl->trace = 1; break;
		case OPT_DEBUG_TRACE:	fl->debug = fl->trace = 1; break;
		case OPT_DAEMON:	fl->daemon = 1; break;
		case OPT_VERSION:
			printf("natsd: v%s\n", PACKAGE_VERSION);
			exit(0);
		case OPT_HELP:
			natsd_usage(stdout, 0);
		}
	}
}

/*
 * Classic detach: fork, setsid, fork again so we can never regain a
 * terminal, chdir /, standard descriptors on /dev/null. The parent
 * exits 0 once the daemon is on its way.
 */
static void
natsd_daemonise(void)
{
	int	fd;

	switch (fork()) {
	case -1:
		fatal("fork");
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1)
		fatal("setsid");
	switch (fork()) {
	case -1:
		fatal("fork");
	case 0:
		break;
	default:
		_exit(0);
	}
	if (chdir("/") == -1)
		fatal("chdir /");
	if ((fd = open(_PATH_DEVNULL, O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/*
 * Does the pid file at path name a live process other than us? Returns
 * 0 when it does not, -1 with *cause set when it does.
 */
static int
natsd_pid_check(const char *path, char **cause)
{
	char	 buf[32];
	ssize_t	 n;
	long	 pid;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			pid = strtol(buf, NULL, 10);
			if (pid > 0 && pid != getpid() &&
			    (kill(pid, 0) == 0 || errno == EPERM)) {
				xasprintf(cause, "pid file %s names running "
				    "process %ld", path, pid);
				return (-1);
			}
		}
	}
	return (0);
}

/*
 * Write our pid to path, refusing when it names a live process. Returns
 * 0, or -1 with *cause set.
 */
static int
natsd_pid_write(const char *path, char **cause)
{
	char	 buf[32];
	ssize_t	 n;
	int	 fd;

	if (natsd_pid_check(path, cause) == -1)
		return (-1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		xasprintf(cause, "pid file %s: %s", path, strerror(errno));
		return (-1);
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, n) != n) {
		xasprintf(cause, "pid file %s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

/*
 * The CPUs we may run on: the affinity mask (taskset, cgroups' cpuset)
 * rather than the machine's count, so a pinned natsd does not fork more
 * workers than it has cores, as GOMAXPROCS does for nats-server.
 */
static int
natsd_cpus(void)
{
	cpu_set_t	set;
	long		n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    CPU_COUNT(&set) > 0)
		return (CPU_COUNT(&set));
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return (n > 0 ? (int)n : 1);
}

static void
natsd_log_setup(const struct config *cf, int first)
{
	log_setlevel(cf->debug, cf->trace);
	log_settime(cf->logtime);
	if (cf->syslog) {
		log_open(LOG_TO_SYSLOG, NULL);
	} else if (cf->log_file != NULL) {
		if (log_open(LOG_TO_FILE, cf->log_file) == -1) {
			if (first)
				fatal("log file %s", cf->log_file);
			log_warn("log file %s", cf->log_file);
		}
	} else
		log_open(LOG_TO_STDERR, NULL);
}

/*
 * Keys that are validated but not yet acted on would silently give less
 * protection than the file says: say so loudly.
 */
void
natsd_warn_unenforced(const struct config *cf)
{
	size_t	i;

	for (i = 0; i < cf->auth.nusers; i++) {
		if (cf->auth.users[i].perms != NULL)
			log_warnx("authorization.users[%zu].permissions: not "
			    "enforced by this version of natsd", i);
		if (cf->auth.users[i].nkey != NULL)
			log_warnx("authorization.users[%zu].nkey: nkey users "
			    "cannot log in with this version of natsd", i);
	}
	if (cf->auth.default_perms != NULL)
		log_warnx("authorization.default_permissions: not enforced "
		    "by this version of natsd");
	if (cf->naccounts > 0)
		log_warnx("accounts: users of accounts other than the "
		    "global one cannot log in with this version of natsd");
	if (cf->tls != NULL)
		log_warnx("tls: not served by this version of natsd");
	if (cf->cluster.port != 0 || cf->gateway.port != 0 ||
	    cf->leafnodes.port != 0 || cf->leafnodes.nremotes > 0)
		log_warnx("cluster, gateway, leafnodes: not served by this "
		    "version of natsd");
	if (cf->jetstream.enabled)
		log_warnx("jetstream: not served by this version of natsd");
}

/* Called by child.c once the last child has gone while stopping. */
void
natsd_shutdown(void)
{
	listen_close(natsd);
	if (natsd->pid_file != NULL)
		unlink(natsd->pid_file);
	log_info("Server Exiting..");
	exit(0);
}

static void
natsd_stop_timeout_cb(evutil_socket_t fd, short ev, void *arg)
{
	log_warnx("children did not stop in time, killing them");
	child_stop_all(natsd);
}

static void
natsd_signal_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct timeval	tv = { 10, 0 };

	switch (sig) {
	case SIGHUP:
		reload_start(natsd);
		break;
	case SIGUSR1:
		if (log_reopen() == -1)
			log_warn("reopen log file");
		log_info("Reopening log files");
		child_broadcast(natsd, CTL_REOPEN_LOG, NULL, 0);
		break;
	case SIGUSR2:
		if (natsd->stopping)
			break;
		log_info("Entering lame duck mode, stop accepting new clients");
		/*
		 * The workers tell their clients (INFO ldm), wait the grace
		 * period, close them over lame_duck_duration and exit; then
		 * so do we. Past that and 10 s more, they are killed.
		 */
		natsd->stopping = 1;
		listen_close(natsd);
		child_broadcast(natsd, CTL_LAMEDUCK, NULL, 0);
		tv.tv_sec = (natsd->conf->lame_duck_grace_period +
		    natsd->conf->lame_duck_duration) / 1000 + 10;
		natsd->ev_stop_timeout = evtimer_new(natsd->base,
		    natsd_stop_timeout_cb, NULL);
		evtimer_add(natsd->ev_stop_timeout, &tv);
		break;
	case SIGCHLD:
		child_reap(natsd);
		break;
	case SIGINT:
	case SIGTERM:
		if (natsd->stopping) {
			log_info("Second signal, stopping at once");
			child_stop_all(natsd);
			natsd_shutdown();
		}
		log_info("Trapped \"%s\" signal",
		    sig == SIGINT ? "interrupt" : "terminated");
		natsd->stopping = 1;
		listen_close(natsd);
		child_broadcast(natsd, CTL_STOP, NULL, 0);
		natsd->ev_stop_timeout = evtimer_new(natsd->base,
		    natsd_stop_timeout_cb, NULL);
		evtimer_add(natsd->ev_stop_timeout, &tv);
		if (!child_running(natsd))
			natsd_shutdown();
		break;
	}
}

int
main(int argc, char **argv)
{
	static struct natsd	 n;
	struct config		*cf;
	struct event		*ev;
	char			*cause = NULL;
	static const int	 sigs[] = {
		SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD, SIGINT, SIGTERM
	};
	size_t			 i;

	natsd = &n;
	n.start = time(NULL);
	TAILQ_INIT(&n.listeners);
	log_init(0, 0);
	natsd_parse_flags(&n.opts, argc, argv);

	if (n.opts.config_file != NULL)
		cf = config_load(n.opts.config_file, &cause);
	else
		cf = config_default();
	if (cf == NULL) {
		fprintf(stderr, "natsd: %s\n", cause);
		exit(1);
	}
	options_apply(&n.opts, cf);
	if (n.opts.check_only) {
		printf("natsd: configuration %s is valid\n",
		    n.opts.config_file ? n.opts.config_file : "(defaults)");
		exit(0);
	}
	n.conf = cf;
	natsd_log_setup(cf, 1);

	/* Refuse before detaching, so the caller sees the exit status. */
	if (cf->pid_file != NULL && natsd_pid_check(cf->pid_file, &cause) == -1)
		fatalx("%s", cause);
	if (cf->daemon)
		natsd_daemonise();
	if (cf->pid_file != NULL) {
		if (natsd_pid_write(cf->pid_file, &cause) == -1)
			fatalx("%s", cause);
		n.pid_file = xstrdup(cf->pid_file);
	}

	signal(SIGPIPE, SIG_IGN);
	if ((n.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		ev = evsignal_new(n.base, sigs[i], natsd_signal_cb, NULL);
		if (ev == NULL || evsignal_add(ev, NULL) == -1)
			fatalx("cannot install signal handlers");
	}

	log_info("Starting natsd");
	log_info("  Version:  %s (nats-server %s compatible)", PACKAGE_VERSION,
	    NATSD_COMPAT_VERSION);
	if (n.opts.config_file != NULL)
		log_info("Using configuration file: %s", n.opts.config_file);

	n.nworkers = cf->workers > 0 ? cf->workers : natsd_cpus();
	if (n.nworkers > STATS_MAX_WORKERS)
		n.nworkers = STATS_MAX_WORKERS;
	if (shm_setup(&n, cf, &cause) == -1)
		fatalx("shared memory: %s", cause);
	/* Before the workers: they learn from it that monitoring is on. */
	if (monitor_start(&n, &cause) == -1)
		fatalx("%s", cause);
	if (listen_open_clients(&n, &cause) == -1)
		fatalx("%s", cause);
	child_spawn_all(&n);
	natsd_warn_unenforced(cf);
	/* Flags without a place in the configuration model yet. */
	if (n.opts.tls || n.opts.tlscert || n.opts.tlskey ||
	    n.opts.tlscacert || n.opts.tlsverify)
		log_warnx("--tls flags: TLS is not served by this version of "
		    "natsd");
	if (n.opts.cluster || n.opts.cluster_name || n.opts.routes)
		log_warnx("--cluster, --cluster_name, --routes: clustering is "
		    "not served by this version of natsd");
	log_info("Server is ready");

	event_base_dispatch(n.base);
	return (0);
}
