# supervisor/: main() and what only the supervisor does.
natsd_SOURCES += \
	%D%/natsd.c
