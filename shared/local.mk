# shared/: code linked into every natsd process, built as libnatsd.a so
# that the tests link the very objects the daemon runs.
libnatsd_a_SOURCES += \
	%D%/compat/queue.h \
	%D%/ctl.c %D%/ctl.h \
	%D%/conf.h %D%/config.c %D%/config_check.c %D%/config_int.h \
	%D%/config_keys.c %D%/config_model.c \
	%D%/log.c %D%/log.h \
	%D%/xmalloc.c %D%/xmalloc.h
libnatsd_a_SOURCES += %D%/ring.c %D%/ring.h
libnatsd_a_SOURCES += \
	%D%/arena.c %D%/arena.h \
	%D%/seqlock.h \
	%D%/subject.c %D%/subject.h \
	%D%/sublist.c %D%/sublist_match.c %D%/sublist_node.c \
	%D%/sublist.h %D%/sublist_int.h
