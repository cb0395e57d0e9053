/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * t/bench_proto.c: microbenchmark of worker/proto.c, not a test. Parses
 * "PUB foo.bar 16\r\n<16 bytes>\r\n" repeated, in 64 KB reads whose ends
 * cut operations as a socket's would, and prints operations per second.
 */

#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto.h"

static size_t	 bench_bytes;

static int
bench_pub(void *arg, const struct proto_msg *m)
{
	(*(size_t *)arg)++;
	bench_bytes += m->size + m->subject.len;
	return (0);
}

static double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * Feed stream s[0..len) rounds times through a 64 KB read buffer, as
 * client code would; returns the operations parsed.
 */
static size_t
bench_run(const char *s, size_t len, int rounds, size_t rd)
{
	static const struct proto_cb	 cb = { .on_pub = bench_pub };
	struct proto			 p;
	char				*buf;
	size_t				 ops = 0, kept = 0, off, chunk;
	ssize_t				 n;
	int				 i;

	buf = malloc(rd * 2);
	proto_init(&p, PROTO_KIND_CLIENT);
	for (i = 0; i < rounds; i++) {
		for (off = 0; off < len; off += chunk) {
			chunk = len - off < rd ? len - off : rd;
			memcpy(buf + kept, s + off, chunk);
			kept += chunk;
			if ((n = proto_parse(&p, buf, kept, &cb, &ops)) < 0) {
				fprintf(stderr, "parse error %s\n",
				    proto_errstr(p.err));
				exit(1);
			}
			memmove(buf, buf + n, kept - n);
			kept -= n;
		}
	}
	free(buf);
	return (ops);
}

int
main(int argc, char **argv)
{
	const char	*op = "PUB foo.bar 16\r\n0123456789abcdef\r\n";
	size_t		 oplen = strlen(op), len, i, ops, rd = 65536 - 7;
	char		*s;
	double		 t0, t1;
	int		 rounds = argc > 1 ? atoi(argv[1]) : 200;

	len = oplen * 100000;
	s = malloc(len);
	for (i = 0; i < 100000; i++)
		memcpy(s + i * oplen, op, oplen);
	bench_run(s, len, 5, rd);	/* warm up */
	t0 = bench_now();
	ops = bench_run(s, len, rounds, rd);
	t1 = bench_now();
	printf("%zu ops in %.3f s: %.1f Mops/s, %.0f MB/s of input "
	    "(%zu-byte reads)\n", ops, t1 - t0, ops / (t1 - t0) / 1e6,
	    ops * oplen / (t1 - t0) / 1e6, rd);
	free(s);
	return (bench_bytes == 0);
}
