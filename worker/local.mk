# worker/: the client-serving processes.
natsd_SOURCES += \
	%D%/auth.c \
	%D%/client.c \
	%D%/msg.c \
	%D%/proto.c %D%/proto.h \
	%D%/report.c \
	%D%/sub.c \
	%D%/worker.c %D%/worker.h
