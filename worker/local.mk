# worker/
natsd_SOURCES += %D%/proto.c %D%/proto.h
