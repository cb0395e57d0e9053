/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/check_ctl.c: the control channel: frames, descriptor passing,
 * fragmentation of long messages, malformed frames, queueing when the
 * socket is full.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <event2/event.h>

#include "ctl.h"

static int			 sv[2];
static struct event_base	*base;

/* What the dispatch callback saw. */
static struct {
	int		 n;
	uint32_t	 type;
	uint64_t	 id;
	int		 fd;
	size_t		 len;
	unsigned char	*data;
	int		 eof;
} seen;

static void
setup(void)
{
	ck_assert_int_eq(ctl_socketpair(sv), 0);
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	memset(&seen, 0, sizeof(seen));
	seen.fd = -1;
}

static void
teardown(void)
{
	free(seen.data);
	event_base_free(base);
}

static void
dispatch(struct ctl_peer *p, struct ctl_msg *m, void *arg)
{
	seen.n++;
	seen.type = m->hdr.type;
	seen.id = m->hdr.id;
	seen.fd = m->fd;
	seen.len = m->hdr.len;
	free(seen.data);
	seen.data = malloc(m->hdr.len + 1);
	memcpy(seen.data, m->data, m->hdr.len);
}

static void
eof(struct ctl_peer *p, void *arg)
{
	seen.eof = 1;
}

START_TEST(test_ctl_frame_roundtrip)
{
	struct ctl_hdr		 h = { CTL_RELOAD, 5, 42 }, r;
	char			 buf[64];
	int			 fd;

	ck_assert_int_eq(ctl_write_frame(sv[0], &h, -1, "hello"),
	    (ssize_t)(sizeof(h) + 5));
	ck_assert_int_eq(ctl_read_frame(sv[1], &r, &fd, buf, sizeof(buf)),
	    (ssize_t)(sizeof(h) + 5));
	ck_assert_uint_eq(r.type, CTL_RELOAD);
	ck_assert_uint_eq(r.len, 5);
	ck_assert_uint_eq(r.id, 42);
	ck_assert_int_eq(fd, -1);
	ck_assert_mem_eq(buf, "hello", 5);
}
END_TEST

START_TEST(test_ctl_frame_passes_descriptor)
{
	struct ctl_hdr	 h = { CTL_CONN_NEW, 0, 1 }, r;
	struct stat	 a, b;
	char		 buf[16];
	int		 p[2], fd;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_gt(ctl_write_frame(sv[0], &h, p[1], NULL), 0);
	close(p[1]);
	ck_assert_int_gt(ctl_read_frame(sv[1], &r, &fd, buf, sizeof(buf)), 0);
	ck_assert_int_ne(fd, -1);
	/* The received descriptor is the same pipe: write through it. */
	ck_assert_int_eq(fstat(fd, &a), 0);
	ck_assert_int_eq(fstat(p[0], &b), 0);
	ck_assert_int_eq(write(fd, "x", 1), 1);
	ck_assert_int_eq(read(p[0], buf, 1), 1);
	ck_assert_int_eq(buf[0], 'x');
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	close(p[0]);
}
END_TEST

/*
 * A receiver whose descriptor table is full still gets the frame, with
 * CTL_FD_LOST instead of the descriptor, so the worker can account for
 * the lost connection instead of taking the channel for dead.
 */
START_TEST(test_ctl_frame_descriptor_lost_when_table_full)
{
	struct ctl_hdr	 h = { CTL_CONN_NEW, 0, 1 }, r;
	struct rlimit	 rl;
	char		 buf[16];
	int		 p[2], fd, next;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_gt(ctl_write_frame(sv[0], &h, p[1], NULL), 0);
	next = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(next, 0);
	close(next);
	/* Every number below next is in use or closed above: fill them. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = next;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_gt(ctl_read_frame(sv[1], &r, &fd, buf, sizeof(buf)), 0);
	ck_assert_int_eq(fd, CTL_FD_LOST);
	ck_assert_uint_eq(r.type, CTL_CONN_NEW);
}
END_TEST

START_TEST(test_ctl_frame_rejects_length_mismatch)
{
	unsigned char	 raw[sizeof(struct ctl_hdr) + 4];
	struct ctl_hdr	 h = { CTL_RELOAD, 100, 0 }, r;
	char		 buf[256];
	int		 fd;

	/* A header claiming 100 bytes, followed by 4. */
	memcpy(raw, &h, sizeof(h));
	memcpy(raw + sizeof(h), "abcd", 4);
	ck_assert_int_eq(send(sv[0], raw, sizeof(raw), 0),
	    (ssize_t)sizeof(raw));
	ck_assert_int_eq(ctl_read_frame(sv[1], &r, &fd, buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(errno, EBADMSG);
	/* A packet shorter than a header. */
	ck_assert_int_eq(send(sv[0], "ab", 2, 0), 2);
	ck_assert_int_eq(ctl_read_frame(sv[1], &r, &fd, buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(errno, EBADMSG);
}
END_TEST

START_TEST(test_ctl_send_fragments_long_message)
{
	struct ctl_peer	*a, *b;
	size_t		 len = CTL_FRAG_MAX * 3 + 123, i;
	unsigned char	*big = malloc(len);

	for (i = 0; i < len; i++)
		big[i] = (unsigned char)(i * 7 + 3);
	a = ctl_peer_new(base, sv[0], dispatch, eof, NULL);
	b = ctl_peer_new(base, sv[1], dispatch, eof, NULL);
	ck_assert_int_eq(ctl_send(a, CTL_RELOAD, 9, -1, big, len), 0);
	while (seen.n == 0)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_int_eq(seen.n, 1);
	ck_assert_uint_eq(seen.type, CTL_RELOAD);
	ck_assert_uint_eq(seen.id, 9);
	ck_assert_uint_eq(seen.len, len);
	ck_assert_mem_eq(seen.data, big, len);
	ctl_peer_free(a);
	ctl_peer_free(b);
	free(big);
}
END_TEST

START_TEST(test_ctl_send_queues_when_full)
{
	struct ctl_peer	*a, *b;
	char		 msg[1000];
	int		 i, sent = 2000, got = 0;

	memset(msg, 'm', sizeof(msg));
	a = ctl_peer_new(base, sv[0], dispatch, eof, NULL);
	/* Nobody reads yet: the socket fills and ctl must queue. */
	for (i = 0; i < sent; i++)
		ck_assert_int_eq(ctl_send(a, CTL_RELOAD, i, -1, msg,
		    sizeof(msg)), 0);
	ck_assert_uint_gt(ctl_peer_queued(a), 0);
	b = ctl_peer_new(base, sv[1], dispatch, eof, NULL);
	while (got < sent) {
		seen.n = 0;
		event_base_loop(base, EVLOOP_ONCE);
		/* Ids arrive in order. */
		if (seen.n > 0)
			ck_assert_uint_ge(seen.id, (uint64_t)got);
		got += seen.n > 0 ? (int)(seen.id - got + 1) : 0;
	}
	ck_assert_uint_eq(seen.id, (uint64_t)sent - 1);
	ck_assert_uint_eq(ctl_peer_queued(a), 0);
	ctl_peer_free(a);
	ctl_peer_free(b);
}
END_TEST

START_TEST(test_ctl_peer_eof)
{
	struct ctl_peer	*b;

	b = ctl_peer_new(base, sv[1], dispatch, eof, NULL);
	close(sv[0]);
	while (!seen.eof)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_int_eq(seen.n, 0);
	ctl_peer_free(b);
}
END_TEST

START_TEST(test_ctl_get_checks_length)
{
	struct ctl_msg		m;
	struct ctl_worker	w;
	unsigned char		data[12] = { 0 };

	m.hdr.len = sizeof(data);
	m.data = data;
	m.fd = -1;
	ck_assert_int_eq(ctl_get(&m, &w, sizeof(w)), -1);
	m.hdr.len = sizeof(w);
	ck_assert_int_eq(ctl_get(&m, &w, sizeof(w)), 0);
	ck_assert_str_eq(ctl_type_name(CTL_CONN_NEW), "CONN_NEW");
	ck_assert_str_eq(ctl_type_name(CTL_RELOAD | CTL_F_MORE), "RELOAD");
	ck_assert_str_eq(ctl_type_name(7777), "UNKNOWN");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ctl");
	TCase	*tc = tcase_create("core");
	SRunner	*sr;
	int	 failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ctl_frame_roundtrip);
	tcase_add_test(tc, test_ctl_frame_passes_descriptor);
	tcase_add_test(tc, test_ctl_frame_descriptor_lost_when_table_full);
	tcase_add_test(tc, test_ctl_frame_rejects_length_mismatch);
	tcase_add_test(tc, test_ctl_send_fragments_long_message);
	tcase_add_test(tc, test_ctl_send_queues_when_full);
	tcase_add_test(tc, test_ctl_peer_eof);
	tcase_add_test(tc, test_ctl_get_checks_length);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
