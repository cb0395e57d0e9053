# supervisor/: main() and what only the supervisor does.
natsd_SOURCES += \
	%D%/child.c \
	%D%/listen.c \
	%D%/monitor.c \
	%D%/monitor_conn.c \
	%D%/monitor_fmt.c \
	%D%/natsd.c \
	%D%/reload.c \
	%D%/shm.c \
	%D%/supervisor.h
