# tools/: programs shipped beside the daemon. natsd-bench parses what the
# server sends with worker/proto.c (PROTO_KIND_SERVER), the daemon's own
# parser, built again here with the tool's flags.
bin_PROGRAMS += natsd-bench
natsd_bench_SOURCES = %D%/natsd-bench.c %D%/bench.h %D%/bench_conn.c \
	%D%/bench_msg.c %D%/bench_req.c %D%/bench_idle.c %D%/bench_hist.c \
	worker/proto.c worker/proto.h
natsd_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/worker
natsd_bench_CFLAGS = $(AM_CFLAGS) $(DEPS_CFLAGS)
natsd_bench_LDADD = libnatsd.a $(DEPS_LIBS)

# `make bench`: natsd against nats-server (when installed), interleaved
# rounds; ROUNDS=n and SCALE=x on the command line. See tools/bench-matrix.
EXTRA_DIST += %D%/bench-matrix
bench: natsd$(EXEEXT) natsd-bench$(EXEEXT)
	ROUNDS='$(ROUNDS)' SCALE='$(SCALE)' \
	    $(PERL) $(srcdir)/tools/bench-matrix --natsd ./natsd$(EXEEXT) \
	    --bench ./natsd-bench$(EXEEXT) --nats-server $(NATS_SERVER)
.PHONY: bench

# tools/sink: the kernel's floor for publish-only runs (see its header).
# Built on demand only: make tools/sink
EXTRA_PROGRAMS += tools/sink
tools_sink_SOURCES = %D%/sink.c
CLEANFILES += tools/sink$(EXEEXT)
