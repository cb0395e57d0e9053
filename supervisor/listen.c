/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * supervisor/listen.c: listening sockets, accept() and the hand-off of
 * each accepted socket to the worker with the fewest connections.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
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

static void	listen_accept_cb(evutil_socket_t, short, void *);
static void	listen_retry_cb(evutil_socket_t, short, void *);
static int	listen_bind(struct natsd *, const struct addrinfo *, int,
		    int *, char **);

/* Print host:port as nats-server does ("[::1]:4222" for IPv6). */
static void
listen_format(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char	host[INET6_ADDRSTRLEN];
	int	port;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
		snprintf(buf, len, "[%s]:%d", host, port);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
		snprintf(buf, len, "%s:%d", host, port);
	}
}

/*
 * Bind and listen on ai with port (0: the kernel picks). On success add
 * a listener of kind and set *portp to the port bound. Returns 0, or -1
 * with *cause set.
 */
static int
listen_bind(struct natsd *n, const struct addrinfo *ai, int kind,
    int *portp, char **cause)
{
	struct listener		*l;
	struct sockaddr_storage	 ss;
	socklen_t		 slen;
	int			 fd, on = 1;

	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(*portp);
	else
		((struct sockaddr_in *)&ss)->sin_port = htons(*portp);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, ai->ai_addrlen) == -1 ||
	    listen(fd, 1024) == -1)
		goto fail;
	slen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &slen) == -1)
		goto fail;
	*portp = ntohs(ss.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);

	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->kind = kind;
	l->addr = ss;
	l->ev = event_new(n->base, fd, EV_READ | EV_PERSIST, listen_accept_cb,
	    l);
	event_add(l->ev, NULL);
	TAILQ_INSERT_TAIL(&n->listeners, l, entry);
	return (0);
fail:
	{
		char	addr[80];
		int	saved = errno;

		listen_format(&ss, addr, sizeof(addr));
		xasprintf(cause, "cannot listen on %s: %s", addr,
		    strerror(saved));
		if (fd != -1)
			close(fd);
	}
	return (-1);
}

/*
 * Open the client listeners for conf's host and port: every address the
 * host resolves to, on one port. The default host 0.0.0.0 also listens
 * on [::] when the machine has IPv6. Logs "Listening for client
 * connections on HOST:PORT" as nats-server does; tests read the port
 * from that line. Returns 0, or -1 with *cause set.
 */
int
listen_open_clients(struct natsd *n, char **cause)
{
	struct addrinfo	 hints, *res, *ai, any6;
	struct sockaddr_in6 sin6;
	const char	*host = n->conf->host;
	char		 addr[80];
	int		 port, err, bound = 0;

	port = n->conf->port == -1 ? 0 : n->conf->port;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((err = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		xasprintf(cause, "cannot resolve listen host %s: %s", host,
		    gai_strerror(err));
		return (-1);
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (listen_bind(n, ai, CTL_KIND_CLIENT, &port, cause) == -1) {
			freeaddrinfo(res);
			return (-1);
		}
		if (bound++ == 0) {
			listen_format(&TAILQ_LAST(&n->listeners,
			    listeners)->addr, addr, sizeof(addr));
			log_info("Listening for client connections on %s",
			    addr);
			n->stats->client_port = port;
		}
	}
	freeaddrinfo(res);
	if (strcmp(host, "0.0.0.0") == 0) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_addr = in6addr_any;
		memset(&any6, 0, sizeof(any6));
		any6.ai_family = AF_INET6;
		any6.ai_addr = (struct sockaddr *)&sin6;
		any6.ai_addrlen = sizeof(sin6);
		if (listen_bind(n, &any6, CTL_KIND_CLIENT, &port,
		    cause) == -1) {
			log_debug("no IPv6 listener: %s", *cause);
			free(*cause);
			*cause = NULL;
		}
	}
	return (0);
}

/* Close every listener (stop, lame duck). */
void
listen_close(struct natsd *n)
{
	struct listener	*l;

	while ((l = TAILQ_FIRST(&n->listeners)) != NULL) {
		TAILQ_REMOVE(&n->listeners, l, entry);
		event_free(l->ev);
		close(l->fd);
		free(l);
	}
	if (n->ev_accept_retry != NULL) {
		event_free(n->ev_accept_retry);
		n->ev_accept_retry = NULL;
	}
}

/* Stop (pause 1) or resume (pause 0) accepting on every listener. */
void
listen_pause(struct natsd *n, int pause)
{
	struct listener	*l;

	TAILQ_FOREACH(l, &n->listeners, entry) {
		if (pause)
			event_del(l->ev);
		else
			event_add(l->ev, NULL);
	}
}

static void
listen_retry_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct natsd	*n = arg;

	log_info("accepting connections again");
	listen_pause(n, 0);
}

/*
 * Hand the socket fd to the running worker with the fewest open
 * connections. fd belongs to ctl (or is closed) afterwards.
 */
void
listen_handoff(struct natsd *n, int fd, int kind, int index,
    const struct sockaddr_storage *peer)
{
	struct ctl_conn_new	 cn;
	struct child		*c, *best = NULL;
	int64_t			 load, bestload = INT64_MAX;
	int			 i;

	for (i = 0; i < n->nworkers; i++) {
		c = &n->workers[i];
		if (c->pid == 0 || c->peer == NULL)
			continue;
		load = stats_load(n->stats->worker[i].conns);
		if (load < bestload) {
			best = c;
			bestload = load;
		}
	}
	if (best == NULL) {
		log_warnx("no worker running, dropping a connection");
		close(fd);
		return;
	}
	memset(&cn, 0, sizeof(cn));
	cn.kind = kind;
	cn.listener = index;
	cn.peer = *peer;
	/* Counted now, so a burst of accepts spreads at once. */
	stats_add(n->stats->worker[best->index].conns, 1);
	best->handed++;
	if (ctl_send(best->peer, CTL_CONN_NEW, best->handed, fd, &cn,
	    sizeof(cn)) == -1) {
		stats_add(n->stats->worker[best->index].conns, -1);
		log_warn("worker %d: hand-off", best->index);
	}
}

static void
listen_accept_cb(evutil_socket_t lfd, short ev, void *arg)
{
	struct listener		*l = arg;
	struct natsd		*n = natsd;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { 0, 250000 };
	socklen_t		 slen;
	int			 fd, i, on = 1;

	for (i = 0; i < 64; i++) {
		/* The whole struct travels to the worker: no stray bytes. */
		memset(&ss, 0, sizeof(ss));
		slen = sizeof(ss);
		fd = accept4(lfd, (struct sockaddr *)&ss, &slen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ECONNABORTED)
				return;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				/* Back off; do not spin on a full table. */
				log_warn("accept, pausing for 250ms");
				listen_pause(n, 1);
				if (n->ev_accept_retry == NULL)
					n->ev_accept_retry = evtimer_new(
					    n->base, listen_retry_cb, n);
				evtimer_add(n->ev_accept_retry, &tv);
				return;
			}
			log_warn("accept");
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		listen_handoff(n, fd, l->kind, l->index, &ss);
	}
}
