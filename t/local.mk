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
