/*
 * Copyright (c) 2026 The natsd authors.
 * Licensed under the ISC licence; see LICENSE.
 *
 * shared/log.c: logging in nats-server's line format,
 *	[pid] YYYY/MM/DD HH:MM:SS.uuuuuu [INF] text
 * to stderr, a file or syslog. Children call log_procinit() so that
 * their lines say which process wrote them; SIGUSR1 calls log_reopen().
 */

#include "config.h"

#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int	 log_debug_on;
static int	 log_trace_on;
static int	 log_dest = LOG_TO_STDERR;
static int	 log_fd = STDERR_FILENO;
static int	 log_time = 1;
static char	*log_path;
static char	 log_prefix[64];

static void	 log_emit(int, const char *, const char *, va_list)
		    __attribute__((__format__(printf, 3, 0)));

void
log_init(int debug, int trace)
{
	log_setlevel(debug, trace);
	tzset();
}

void
log_setlevel(int debug, int trace)
{
	log_debug_on = debug;
	log_trace_on = trace;
}

int
log_debugging(void)
{
	return (log_debug_on);
}

int
log_tracing(void)
{
	return (log_trace_on);
}

void
log_settime(int on)
{
	log_time = on;
}

void
log_procinit(const char *name)
{
	if (name == NULL || *name == '\0')
		log_prefix[0] = '\0';
	else
		snprintf(log_prefix, sizeof(log_prefix), "%s: ", name);
}

/*
 * Send log lines to dest. For LOG_TO_FILE, path is opened for append
 * (created 0640). Returns 0, or -1 with errno set and the old
 * destination kept.
 */
int
log_open(int dest, const char *path)
{
	int	 fd;
	char	*copy = NULL;

	if (dest == LOG_TO_FILE) {
		if ((copy = strdup(path)) == NULL)
			return (-1);
		fd = open(path, O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC, 0640);
		if (fd == -1) {
			free(copy);
			return (-1);
		}
		if (log_fd != STDERR_FILENO && log_fd != -1)
			close(log_fd);
		log_fd = fd;
		free(log_path);
		log_path = copy;
	} else if (dest == LOG_TO_SYSLOG) {
		openlog("natsd", LOG_PID|LOG_NDELAY, LOG_DAEMON);
	} else {
		if (log_fd != STDERR_FILENO && log_fd != -1)
			close(log_fd);
		log_fd = STDERR_FILENO;
	}
	log_dest = dest;
	return (0);
}

/*
 * Reopen the log file after logrotate moved it. Does nothing for stderr
 * and syslog. Returns 0 or -1 (the old file stays in use).
 */
int
log_reopen(void)
{
	char	*path;
	int	 rv;

	if (log_dest != LOG_TO_FILE || log_path == NULL)
		return (0);
	path = strdup(log_path);
	if (path == NULL)
		return (-1);
	rv = log_open(LOG_TO_FILE, path);
	free(path);
	return (rv);
}

static void
log_emit(int pri, const char *tag, const char *fmt, va_list ap)
{
	char		 msg[8192], line[8400];
	struct timeval	 tv;
	struct tm	 tm;
	int		 n, saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_dest == LOG_TO_SYSLOG) {
		syslog(pri, "%s %s%s", tag, log_prefix, msg);
		errno = saved;
		return;
	}
	if (log_time) {
		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		n = snprintf(line, sizeof(line),
		    "[%ld] %04d/%02d/%02d %02d:%02d:%02d.%06ld %s %s%s\n",
		    (long)getpid(), tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (long)tv.tv_usec, tag, log_prefix, msg);
	} else
		n = snprintf(line, sizeof(line), "[%ld] %s %s%s\n",
		    (long)getpid(), tag, log_prefix, msg);
	if (n > (int)sizeof(line) - 1) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line, so lines of several processes never mix. */
	if (write(log_fd, line, n) == -1) {
		/* nowhere to report it */
	}
	errno = saved;
}

#define LOG_BODY(pri, tag) do {						\
	va_list	ap;							\
	va_start(ap, fmt);						\
	log_emit(pri, tag, fmt, ap);					\
	va_end(ap);							\
} while (0)

void
log_warn(const char *fmt, ...)
{
	char	 buf[4096];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, "[WRN]");
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_INFO, "[INF]");
}

void
log_debug(const char *fmt, ...)
{
	if (!log_debug_on)
		return;
	LOG_BODY(LOG_DEBUG, "[DBG]");
}

void
log_trace(const char *fmt, ...)
{
	if (!log_trace_on)
		return;
	LOG_BODY(LOG_DEBUG, "[TRC]");
}

/*
 * Trace protocol bytes, escaped as tmux does: printable ASCII as is,
 * \r \n \t as escapes, anything else as \ooo. Long buffers are cut.
 */
void
log_trace_bytes(const char *what, const void *data, size_t len)
{
	const unsigned char	*p = data;
	char			 out[1024];
	size_t			 i, o = 0;

	if (!log_trace_on)
		return;
	for (i = 0; i < len && o < sizeof(out) - 8; i++) {
		if (p[i] == '\r')
			o += snprintf(out + o, sizeof(out) - o, "\\r");
		else if (p[i] == '\n')
			o += snprintf(out + o, sizeof(out) - o, "\\n");
		else if (p[i] == '\t')
			o += snprintf(out + o, sizeof(out) - o, "\\t");
		else if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\\')
			o += snprintf(out + o, sizeof(out) - o, "\\%03o", p[i]);
		else
			out[o++] = p[i];
	}
	out[o] = '\0';
	log_trace("%s: \"%s\"%s", what, out, i < len ? "..." : "");
}

void
fatal(const char *fmt, ...)
{
	char	 buf[4096];
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fatalx("%s: %s", buf, strerror(saved));
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, "[FTL]");
	exit(1);
}
