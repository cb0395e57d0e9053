# shared/: code linked into every natsd process, built as libnatsd.a so
# that the tests link the very objects the daemon runs.
libnatsd_a_SOURCES += \
	%D%/arena.c %D%/arena.h \
	%D%/compat/queue.h \
	%D%/conf.h %D%/config.c %D%/config_check.c %D%/config_int.h \
	%D%/config_keys.c %D%/config_model.c \
	%D%/connrec.c %D%/connrec.h \
	%D%/ctl.c %D%/ctl.h \
	%D%/log.c %D%/log.h \
	%D%/options.c %D%/options.h \
	%D%/proc.h \
	%D%/ring.c %D%/ring.h \
	%D%/seqlock.h \
	%D%/shm.c %D%/shm.h \
	%D%/stats.h \
	%D%/subject.c %D%/subject.h \
	%D%/sublist.c %D%/sublist_match.c %D%/sublist_node.c \
	%D%/sublist.h %D%/sublist_int.h \
	%D%/xmalloc.c %D%/xmalloc.h
