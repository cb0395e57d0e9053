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

# Client-library integration tests: t/natsc drives a server with libnats
# (the official C client); t/300-libnats.t starts the server and runs it.
# CLIENT_TESTS joins TESTS once natsd passes them.
if HAVE_LIBNATS
check_PROGRAMS += t/natsc
t_natsc_SOURCES = t/natsc.c
t_natsc_CFLAGS = $(AM_CFLAGS) $(LIBNATS_CFLAGS)
t_natsc_LDADD = $(LIBNATS_LIBS) -lpthread
endif
CLIENT_TESTS = t/300-libnats.t
EXTRA_DIST += t/300-libnats.t
