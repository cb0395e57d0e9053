/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/log.h: the one logging vocabulary of every natsd process.
 */

#ifndef NATSD_LOG_H
#define NATSD_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define LOG_TO_STDERR	0
#define LOG_TO_FILE	1
#define LOG_TO_SYSLOG	2

void	log_init(int, int);		/* debug (-D), trace (-V) */
void	log_setlevel(int, int);		/* debug, trace; on reload */
int	log_debugging(void);
int	log_tracing(void);
void	log_procinit(const char *);	/* "worker 2": prefixes lines */
int	log_open(int, const char *);	/* LOG_TO_*, file name or NULL */
int	log_reopen(void);		/* SIGUSR1 */
void	log_settime(int);		/* 0: leave the timestamp out */

void	log_warn(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_debug(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_trace(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_trace_bytes(const char *, const void *, size_t);
__attribute__((__noreturn__))
void	fatal(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
__attribute__((__noreturn__))
void	fatalx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));

#endif /* NATSD_LOG_H */
