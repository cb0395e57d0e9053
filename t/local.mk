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
