# t/: unit tests (check, one program per module) and daemon tests (Perl TAP).
TEST_EXTENSIONS = .t
T_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' top_builddir='$(abs_top_builddir)' \
	top_srcdir='$(abs_top_srcdir)' $(SHELL) $(top_srcdir)/etc/build-aux/tap-driver.sh
T_LOG_COMPILER = $(PERL) -I$(top_srcdir)/t/lib
CHECK_CF = $(AM_CFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS)
CHECK_LD = libnatsd.a $(DEPS_LIBS) $(CHECK_LIBS)

# Each unit test: add a block like this one.
# check_PROGRAMS += t/check_foo
# t_check_foo_SOURCES = t/check_foo.c
# t_check_foo_CFLAGS = $(CHECK_CF)
# t_check_foo_LDADD = $(CHECK_LD)

check_PROGRAMS += t/check_ctl
t_check_ctl_SOURCES = t/check_ctl.c
t_check_ctl_CFLAGS = $(CHECK_CF)
t_check_ctl_LDADD = $(CHECK_LD)
TESTS += t/check_ctl

# Integration tests: Perl TAP scripts on t/lib/Natsd.pm, written against
# nats-server's behaviour. `make check-nats-server` runs them against
# nats-server, the reference; `make check-proto` against the natsd just
# built; `make check` runs those natsd passes (PROTO_TESTS_NATSD).
PROTO_TESTS = $(PROTO_TESTS_NATSD)
PROTO_TESTS_NATSD = t/000-harness.t t/100-info.t t/101-ping.t \
	t/102-pubsub.t t/103-errors.t t/104-no-responders.t \
	t/105-auth-timeout.t t/106-ping-stale.t t/107-limits.t \
	t/108-many-subs.t t/109-slow-consumer.t t/110-queue-workers.t \
	t/111-vanish.t t/112-cross-worker.t \
	t/400-monitor.t
EXTRA_DIST += t/lib/Natsd.pm $(PROTO_TESTS)
NATS_SERVER = /usr/sbin/nats-server

check-nats-server:
	cd $(srcdir) && NATSD_BIN=$(NATS_SERVER) $(PERL) -S prove \
	    -I t/lib $(PROTO_TESTS)

check-proto: natsd$(EXEEXT)
	cd $(srcdir) && NATSD_BIN=$(abs_top_builddir)/natsd$(EXEEXT) \
	    $(PERL) -S prove -I t/lib $(PROTO_TESTS)

.PHONY: check-nats-server check-proto

check_PROGRAMS += t/check_ring
TESTS += t/check_ring
t_check_ring_SOURCES = t/check_ring.c
t_check_ring_CFLAGS = $(CHECK_CF)
t_check_ring_LDADD = $(CHECK_LD)
# shared/config*.c: the YAML configuration loader. TOP_SRCDIR lets the
# tests find t/conf/ and etc/ from a VPATH build (make distcheck).
check_PROGRAMS += t/check_config
t_check_config_SOURCES = %D%/check_config.c
t_check_config_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
t_check_config_CFLAGS = $(CHECK_CF)
t_check_config_LDADD = $(CHECK_LD)
TESTS += t/check_config
EXTRA_DIST += %D%/conf/full.yaml %D%/conf/unknown.yaml \
	%D%/conf/unknown-nested.yaml %D%/conf/bad-size.yaml \
	%D%/conf/bad-duration.yaml %D%/conf/bad-port.yaml \
	%D%/conf/wrong-type.yaml %D%/conf/syntax.yaml %D%/conf/duplicate.yaml \
	%D%/conf/token-users.yaml %D%/conf/payload-pending.yaml \
	%D%/conf/user-password.yaml

# mandoc -Tlint over the manual pages; skipped where mandoc is missing.
TESTS += %D%/mandoc-lint.sh
EXTRA_DIST += %D%/mandoc-lint.sh
check_PROGRAMS += t/check_proto t/bench_proto
TESTS += t/check_proto
t_check_proto_SOURCES = t/check_proto.c worker/proto.c worker/proto.h
t_check_proto_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/worker
t_check_proto_CFLAGS = $(CHECK_CF)
t_check_proto_LDADD = $(CHECK_LD)
t_bench_proto_SOURCES = t/bench_proto.c worker/proto.c worker/proto.h
t_bench_proto_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/worker
t_bench_proto_CFLAGS = $(CHECK_CF)
t_bench_proto_LDADD = $(CHECK_LD)
check_PROGRAMS += t/check_arena
TESTS += t/check_arena
t_check_arena_SOURCES = t/check_arena.c
t_check_arena_CFLAGS = $(CHECK_CF)
t_check_arena_LDADD = $(CHECK_LD)

check_PROGRAMS += t/check_subject
TESTS += t/check_subject
t_check_subject_SOURCES = t/check_subject.c
t_check_subject_CFLAGS = $(CHECK_CF)
t_check_subject_LDADD = $(CHECK_LD)

check_PROGRAMS += t/check_sublist
TESTS += t/check_sublist
t_check_sublist_SOURCES = t/check_sublist.c
t_check_sublist_CFLAGS = $(CHECK_CF)
t_check_sublist_LDADD = $(CHECK_LD)

check_PROGRAMS += t/check_seqlock
TESTS += t/check_seqlock
t_check_seqlock_SOURCES = t/check_seqlock.c
t_check_seqlock_CFLAGS = $(CHECK_CF)
t_check_seqlock_LDADD = $(CHECK_LD)

# Daemon tests: natsd's own behaviour (workers, signals, reload).
DAEMON_TESTS = t/200-workers.t t/201-worker-restart.t t/202-reload.t \
	t/203-stop.t t/204-daemon.t t/205-check.t t/206-worker-crash.t \
	t/207-emfile.t t/208-lameduck.t
EXTRA_DIST += $(DAEMON_TESTS)
TESTS += $(PROTO_TESTS_NATSD) $(DAEMON_TESTS)

# Client-library integration tests: t/natsc drives a server with libnats
# (the official C client); t/300-libnats.t starts the server and runs it.
if HAVE_LIBNATS
check_PROGRAMS += t/natsc
t_natsc_SOURCES = t/natsc.c
t_natsc_CFLAGS = $(AM_CFLAGS) $(LIBNATS_CFLAGS)
t_natsc_LDADD = $(LIBNATS_LIBS) -lpthread
endif
CLIENT_TESTS = t/300-libnats.t
EXTRA_DIST += $(CLIENT_TESTS)
TESTS += $(CLIENT_TESTS)

# tools/: natsd-bench's histogram (unit), and natsd-bench in every mode
# against natsd (t/500-bench.t).
check_PROGRAMS += t/check_bench_hist
TESTS += t/check_bench_hist
t_check_bench_hist_SOURCES = t/check_bench_hist.c tools/bench_hist.c
t_check_bench_hist_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools \
	-I$(top_srcdir)/worker
t_check_bench_hist_CFLAGS = $(CHECK_CF)
t_check_bench_hist_LDADD = $(CHECK_LD)
BENCH_TESTS = t/500-bench.t
EXTRA_DIST += $(BENCH_TESTS)
TESTS += $(BENCH_TESTS)
# Monitoring: connection records as workers send them (shared/connrec.c).
check_PROGRAMS += t/check_connrec
TESTS += t/check_connrec
t_check_connrec_SOURCES = t/check_connrec.c
t_check_connrec_CFLAGS = $(CHECK_CF)
t_check_connrec_LDADD = $(CHECK_LD)

# Monitoring: the formats the supervisor shares with nats-server's Go
# (supervisor/monitor_fmt.c), built into the test as check_proto does.
check_PROGRAMS += t/check_monitor
TESTS += t/check_monitor
t_check_monitor_SOURCES = t/check_monitor.c supervisor/monitor_fmt.c
t_check_monitor_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/supervisor
t_check_monitor_CFLAGS = $(CHECK_CF)
t_check_monitor_LDADD = $(CHECK_LD)
