/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * tools/sink.c: the kernel's floor for publish-only workloads. A server
 * that sends an INFO line, then reads and throws away whatever clients
 * send, in reads of up to 64KB (natsd's largest) without looking at the
 * bytes, and answers a read that ends in PING with a PONG (clients that
 * flush wait for it, so their PING ends what they have sent). Its CPU
 * per published message is what receiving the bytes costs in the kernel
 * (copies, wake-ups, acknowledgements) with no parsing at all: no server
 * that reads the stream can go below it. Not built by default:
 *
 *	make tools/sink
 *	taskset -c 0 tools/sink 24250 &
 *	taskset -c 1 natsd-bench -s nats://127.0.0.1:24250 -n 2000000 \
 *	    -m 1024 -f 100000000 pub
 *
 * PINGs in the middle of a read go unanswered: natsd-bench needs a -f
 * above its count so that only its final PING is sent.
 *
 * Listens on 127.0.0.1 only. Stops on SIGTERM or SIGINT.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SINK_READ	(64 * 1024)
#define SINK_EVENTS	64

static const char sink_info[] = "INFO {\"server_id\":\"SINK\","
    "\"server_name\":\"sink\",\"version\":\"2.9.10\",\"proto\":1,"
    "\"headers\":true,\"max_payload\":1048576}\r\n";

/* The last bytes seen on each descriptor, to find a PING split by reads. */
struct sink_conn {
	char	tail[5];
};

static char		 sink_buf[5 + SINK_READ];
static struct sink_conn	*sink_conns;
static int		 sink_nconns;

static void
sink_accept(int ep, int lfd)
{
	struct epoll_event	 ev;
	int			 fd, one = 1;

	if ((fd = accept(lfd, NULL, NULL)) == -1)
		return;
	if (fd >= sink_nconns) {
		close(fd);
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&sink_conns[fd], 0, sizeof(sink_conns[fd]));
	if (write(fd, sink_info, sizeof(sink_info) - 1) == -1) {
		close(fd);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1)
		close(fd);
}

static void
sink_read(int fd)
{
	struct sink_conn	*c = &sink_conns[fd];
	ssize_t			 n;
	size_t			 len;

	/* The previous tail in front, so "PING\r\n" is seen whole. */
	memcpy(sink_buf, c->tail, sizeof(c->tail));
	n = read(fd, sink_buf + sizeof(c->tail), SINK_READ);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		close(fd);
		return;
	}
	len = sizeof(c->tail) + (size_t)n;
	if (memcmp(sink_buf + len - 6, "PING\r\n", 6) == 0 &&
	    write(fd, "PONG\r\n", 6) == -1) {
		close(fd);
		return;
	}
	memcpy(c->tail, sink_buf + len - sizeof(c->tail), sizeof(c->tail));
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev, evs[SINK_EVENTS];
	long			 port;
	char			*end;
	int			 lfd, ep, n, i, one = 1;

	if (argc != 2)
		errx(1, "usage: sink port");
	port = strtol(argv[1], &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		errx(1, "bad port: %s", argv[1]);
	sink_nconns = 65536;
	if ((sink_conns = calloc(sink_nconns, sizeof(*sink_conns))) == NULL)
		err(1, "calloc");

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 128) == -1)
		err(1, "127.0.0.1:%ld", port);
	if ((ep = epoll_create1(0)) == -1)
		err(1, "epoll_create1");
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == -1)
		err(1, "epoll_ctl");

	for (;;) {
		if ((n = epoll_wait(ep, evs, SINK_EVENTS, -1)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "epoll_wait");
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == lfd)
				sink_accept(ep, lfd);
			else
				sink_read(evs[i].data.fd);
		}
	}
}
