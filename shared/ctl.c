/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/ctl.c: control-channel framing and descriptor passing between
 * the supervisor and its children, over SOCK_SEQPACKET socketpairs so
 * that a frame and its descriptor always arrive together. Sending is
 * queued when the socket is full; ownership of a descriptor passes to
 * ctl at ctl_send() and it is closed once sent (or on failure).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "log.h"
#include "xmalloc.h"

struct ctl_frame {
	TAILQ_ENTRY(ctl_frame)	 entry;
	struct ctl_hdr		 hdr;
	int			 fd;
	size_t			 len;
	unsigned char		 data[];
};
TAILQ_HEAD(ctl_frames, ctl_frame);

struct ctl_peer {
	int			 fd;
	struct event		*ev_read;
	struct event		*ev_write;
	struct ctl_frames	 outq;
	size_t			 queued;	/* bytes in outq */
	ctl_dispatch_cb		 dispatch;
	ctl_eof_cb		 eof;
	void			*arg;

	/* A fragmented message being joined. */
	struct ctl_hdr		 part_hdr;
	unsigned char		*part;
	size_t			 part_len;
	int			 part_fd;
	unsigned char		 rbuf[sizeof(struct ctl_hdr) + CTL_FRAG_MAX];
};

static void	ctl_read_cb(evutil_socket_t, short, void *);
static void	ctl_write_cb(evutil_socket_t, short, void *);
static int	ctl_receive(struct ctl_peer *);
static void	ctl_part_reset(struct ctl_peer *);

static const struct {
	uint32_t	 type;
	const char	*name;
} ctl_names[] = {
	{ CTL_HELLO, "HELLO" },
	{ CTL_CONN_NEW, "CONN_NEW" },
	{ CTL_RELOAD, "RELOAD" },
	{ CTL_STOP, "STOP" },
	{ CTL_LAMEDUCK, "LAMEDUCK" },
	{ CTL_REOPEN_LOG, "REOPEN_LOG" },
	{ CTL_WORKER_DIED, "WORKER_DIED" },
	{ CTL_RELOAD_ACK, "RELOAD_ACK" },
	{ CTL_MON_REQ, "MON_REQ" },
	{ CTL_MON_DATA, "MON_DATA" },
	{ CTL_MON_END, "MON_END" },
	{ CTL_CONN_CLOSED, "CONN_CLOSED" },
};

const char *
ctl_type_name(uint32_t type)
{
	size_t	i;

	type &= ~CTL_F_MORE;
	for (i = 0; i < sizeof(ctl_names) / sizeof(ctl_names[0]); i++)
		if (ctl_names[i].type == type)
			return (ctl_names[i].name);
	return ("UNKNOWN");
}

/*
 * Make a close-on-exec, non-blocking SOCK_SEQPACKET socketpair.
 * Returns 0 or -1 with errno set.
 */
int
ctl_socketpair(int sv[2])
{
	return (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0, sv));
}

/*
 * Send one frame: hdr, hdr->len bytes of data, and fd unless it is -1.
 * The caller keeps the descriptor. Returns bytes sent, or -1 with errno
 * (EAGAIN when the socket is full).
 */
ssize_t
ctl_write_frame(int sock, const struct ctl_hdr *hdr, int fd,
    const void *data)
{
	struct msghdr	 msg;
	struct iovec	 iov[2];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct cmsghdr	*cmsg;
	ssize_t		 n;

	memset(&msg, 0, sizeof(msg));
	iov[0].iov_base = (void *)hdr;
	iov[0].iov_len = sizeof(*hdr);
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = hdr->len;
	msg.msg_iov = iov;
	msg.msg_iovlen = hdr->len > 0 ? 2 : 1;
	if (fd != -1) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	return (n);
}

/*
 * Receive one frame into hdr and data (at most size bytes). *fdp gets a
 * passed descriptor, -1, or CTL_FD_LOST when one was sent but could not
 * be received (our descriptor table is full). Returns the bytes
 * received, 0 at end of file, or -1 with errno (EBADMSG for a short or
 * truncated frame).
 */
ssize_t
ctl_read_frame(int sock, struct ctl_hdr *hdr, int *fdp, void *data,
    size_t size)
{
	struct msghdr	 msg;
	struct iovec	 iov[2];
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 4)];
	} cmsgbuf;
	struct cmsghdr	*cmsg;
	ssize_t		 n;
	int		 fd, i, nfd;

	*fdp = -1;
	memset(&msg, 0, sizeof(msg));
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(*hdr);
	iov[1].iov_base = data;
	iov[1].iov_len = size;
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n <= 0)
		return (n);
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (*fdp == -1)
				*fdp = fd;
			else
				close(fd);	/* one descriptor a frame */
		}
	}
	if ((msg.msg_flags & MSG_CTRUNC) && *fdp == -1)
		*fdp = CTL_FD_LOST;	/* we are out of descriptors */
	if ((msg.msg_flags & MSG_TRUNC) ||
	    (size_t)n < sizeof(*hdr) || hdr->len != n - sizeof(*hdr)) {
		if (*fdp >= 0)
			close(*fdp);
		*fdp = -1;
		errno = EBADMSG;
		return (-1);
	}
	return (n);
}

/*
 * Wrap the socket fd (from ctl_socketpair) in a peer on base. dispatch
 * is called with each whole message; eof when the other side is gone or
 * sent garbage (the peer is then inert; the owner frees it).
 */
struct ctl_peer *
ctl_peer_new(struct event_base *base, int fd, ctl_dispatch_cb dispatch,
    ctl_eof_cb eof, void *arg)
{
	struct ctl_peer	*p;

	p = xcalloc(1, sizeof(*p));
	p->fd = fd;
	p->dispatch = dispatch;
	p->eof = eof;
	p->arg = arg;
	p->part_fd = -1;
	TAILQ_INIT(&p->outq);
	p->ev_read = event_new(base, fd, EV_READ | EV_PERSIST, ctl_read_cb, p);
	p->ev_write = event_new(base, fd, EV_WRITE, ctl_write_cb, p);
	if (p->ev_read == NULL || p->ev_write == NULL)
		fatalx("ctl: event_new failed");
	event_add(p->ev_read, NULL);
	return (p);
}

/* Free the peer, its queue and the descriptors queued in it; closes fd. */
void
ctl_peer_free(struct ctl_peer *p)
{
	struct ctl_frame	*f;

	if (p == NULL)
		return;
	while ((f = TAILQ_FIRST(&p->outq)) != NULL) {
		TAILQ_REMOVE(&p->outq, f, entry);
		if (f->fd != -1)
			close(f->fd);
		free(f);
	}
	ctl_part_reset(p);
	event_free(p->ev_read);
	event_free(p->ev_write);
	close(p->fd);
	free(p);
}

int
ctl_peer_fd(struct ctl_peer *p)
{
	return (p->fd);
}

size_t
ctl_peer_queued(struct ctl_peer *p)
{
	return (p->queued);
}

static void
ctl_part_reset(struct ctl_peer *p)
{
	free(p->part);
	p->part = NULL;
	p->part_len = 0;
	if (p->part_fd >= 0)
		close(p->part_fd);
	p->part_fd = -1;
}

/*
 * Write queued frames until the queue is empty or the socket is full.
 * With block set, waits for the socket (used when stopping). Returns 0,
 * or -1 when the peer is gone.
 */
int
ctl_flush(struct ctl_peer *p, int block)
{
	struct ctl_frame	*f;
	ssize_t			 n;
	int			 fl = -1;

	if (block && (fl = fcntl(p->fd, F_GETFL)) != -1)
		fcntl(p->fd, F_SETFL, fl & ~O_NONBLOCK);
	while ((f = TAILQ_FIRST(&p->outq)) != NULL) {
		n = ctl_write_frame(p->fd, &f->hdr, f->fd, f->data);
		if (n == -1 && errno == EAGAIN)
			break;
		if (n == -1)
			return (-1);
		TAILQ_REMOVE(&p->outq, f, entry);
		p->queued -= f->len;
		if (f->fd != -1)
			close(f->fd);
		free(f);
	}
	if (block && fl != -1)
		fcntl(p->fd, F_SETFL, fl);
	if (!TAILQ_EMPTY(&p->outq))
		event_add(p->ev_write, NULL);
	return (0);
}

static void
ctl_queue(struct ctl_peer *p, uint32_t type, uint64_t id, int fd,
    const void *data, size_t len)
{
	struct ctl_frame	*f;

	f = xmalloc(sizeof(*f) + len + 1);
	f->hdr.type = type;
	f->hdr.len = len;
	f->hdr.id = id;
	f->fd = fd;
	f->len = len;
	if (len > 0)
		memcpy(f->data, data, len);
	TAILQ_INSERT_TAIL(&p->outq, f, entry);
	p->queued += len;
}

/*
 * Queue a message of type with len bytes of data and the descriptor fd
 * (or -1), then try to send. fd belongs to ctl from here on, whatever
 * the outcome. Returns 0, or -1 when the peer is gone (EPIPE) or the
 * message is too long (EMSGSIZE).
 */
int
ctl_send(struct ctl_peer *p, uint32_t type, uint64_t id, int fd,
    const void *data, size_t len)
{
	const unsigned char	*d = data;
	size_t			 n;

	if (len > CTL_MSG_MAX) {
		if (fd != -1)
			close(fd);
		errno = EMSGSIZE;
		return (-1);
	}
	do {
		n = len > CTL_FRAG_MAX ? CTL_FRAG_MAX : len;
		ctl_queue(p, type | (len > n ? CTL_F_MORE : 0), id, fd, d, n);
		fd = -1;		/* travels with the first packet */
		d += n;
		len -= n;
	} while (len > 0);
	return (ctl_flush(p, 0));
}

/*
 * Copy a message's payload into dst when its length is exactly size.
 * Returns 0, or -1 (EBADMSG) on a length mismatch.
 */
int
ctl_get(const struct ctl_msg *m, void *dst, size_t size)
{
	if (m->hdr.len != size) {
		errno = EBADMSG;
		return (-1);
	}
	memcpy(dst, m->data, size);
	return (0);
}

/*
 * Read one packet and, when it completes a message, dispatch it.
 * Returns 1 when a packet was handled, 0 when the socket is empty, -1
 * at end of file or on a malformed frame.
 */
static int
ctl_receive(struct ctl_peer *p)
{
	struct ctl_hdr	 hdr;
	struct ctl_msg	 m;
	ssize_t		 n;
	size_t		 dlen;
	int		 fd;

	n = ctl_read_frame(p->fd, &hdr, &fd, p->rbuf, sizeof(p->rbuf));
	if (n == -1 && errno == EAGAIN)
		return (0);
	if (n <= 0) {
		/* A peer that died resets the pair: that is end of file. */
		if (n == -1 && errno != ECONNRESET)
			log_warn("ctl: receive");
		return (-1);
	}
	dlen = hdr.len;
	if (p->part != NULL || (hdr.type & CTL_F_MORE)) {
		if (p->part != NULL && (p->part_hdr.id != hdr.id ||
		    p->part_hdr.type != (hdr.type & ~CTL_F_MORE) ||
		    p->part_len + dlen > CTL_MSG_MAX)) {
			log_warnx("ctl: bad fragment of %s",
			    ctl_type_name(hdr.type));
			if (fd >= 0)
				close(fd);
			return (-1);
		}
		if (p->part == NULL) {
			p->part_hdr = hdr;
			p->part_hdr.type &= ~CTL_F_MORE;
			p->part_fd = fd;
			fd = -1;
		} else if (fd >= 0) {
			close(fd);	/* only the first packet's counts */
			fd = -1;
		}
		p->part = xreallocarray(p->part, 1, p->part_len + dlen + 1);
		memcpy(p->part + p->part_len, p->rbuf, dlen);
		p->part_len += dlen;
		if (hdr.type & CTL_F_MORE)
			return (1);
		m.hdr = p->part_hdr;
		m.hdr.len = p->part_len;
		m.fd = p->part_fd;
		m.data = p->part;
		m.data[p->part_len] = '\0';
		p->part = NULL;
		p->part_len = 0;
		p->part_fd = -1;
		p->dispatch(p, &m, p->arg);
		free(m.data);
		return (1);
	}
	m.hdr = hdr;
	m.fd = fd;
	m.data = p->rbuf;
	p->dispatch(p, &m, p->arg);
	return (1);
}

static void
ctl_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_peer	*p = arg;
	int		 i, rv;

	/* Bounded, so one chatty peer cannot starve the loop. */
	for (i = 0; i < 64; i++) {
		rv = ctl_receive(p);
		if (rv == 0)
			return;
		if (rv == -1) {
			event_del(p->ev_read);
			event_del(p->ev_write);
			p->eof(p, p->arg);
			return;
		}
	}
}

static void
ctl_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_peer	*p = arg;

	if (ctl_flush(p, 0) == -1) {
		event_del(p->ev_read);
		p->eof(p, p->arg);
	}
}
