/*
 * log: the one place messages leave the program.  In the foreground they
 * go to stderr (optionally with a timestamp), otherwise to syslog; a log
 * file, when configured, receives a timestamped copy of either.  The level
 * filter applies to all; fatal() and fatalx() log and exit.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int	log_to_stderr = 1;
static int	log_level = TB_LOG_INFO;
static int	log_timestamps;
static FILE	*log_file;

void
log_init(int to_stderr, int facility, const char *ident)
{
	log_to_stderr = to_stderr;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

int
log_setfile(const char *path)
{
	FILE	*f = NULL;

	if (path != NULL && *path != '\0') {
		if ((f = fopen(path, "ae")) == NULL)
			return -1;
		setvbuf(f, NULL, _IOLBF, 0);
	}
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	return 0;
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

void
log_settimestamps(int on)
{
	log_timestamps = on;
}

static void
log_stamp(FILE *f)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 tbuf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld ", tbuf, ts.tv_nsec / 1000000);
}

void
vlogit(int pri, const char *fmt, va_list ap)
{
	int	 saved_errno = errno;

	if (pri > log_level)
		return;
	if (log_file != NULL) {
		va_list	 copy;

		va_copy(copy, ap);
		log_stamp(log_file);
		vfprintf(log_file, fmt, copy);
		fputc('\n', log_file);
		va_end(copy);
	}
	if (log_to_stderr) {
		if (log_timestamps)
			log_stamp(stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
	errno = saved_errno;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlogit(pri, fmt, ap);
	va_end(ap);
}

/* Log at pri with ": strerror(errnum)" appended when errnum is set. */
static void
vlog_errno(int pri, int errnum, const char *fmt, va_list ap)
{
	char	 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum)
		logit(pri, "%s: %s", msg, strerror(errnum));
	else
		logit(pri, "%s", msg);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 errnum = errno;

	va_start(ap, fmt);
	vlog_errno(TB_LOG_ERR, errnum, fmt, ap);
	va_end(ap);
	errno = errnum;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlogit(TB_LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlogit(TB_LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlogit(TB_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 errnum = errno;

	va_start(ap, fmt);
	vlog_errno(TB_LOG_ERR, errnum, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlogit(TB_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
