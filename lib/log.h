/*
 * log: messages to stderr (foreground) or syslog.  Every function is
 * printf-format checked.  log_warn appends strerror(errno).  Identical
 * texts are rate limited (see log.c); fatal() and fatalx() never are.
 */
#ifndef TB_LOG_H
#define TB_LOG_H

#include <stdarg.h>
#include <time.h>

#define TB_LOG_ERR	3
#define TB_LOG_WARNING	4
#define TB_LOG_NOTICE	5
#define TB_LOG_INFO	6
#define TB_LOG_DEBUG	7

void	log_init(int to_stderr, int facility, const char *ident);
/* The log file: NULL or "" for none.  -1 if it cannot be opened (said on
 * syslog/stderr; then there is none).  A FIFO or socket is refused. */
int	log_setfile(const char *);
/* Open the log file again under its name (after logrotate moved it):
 * 0, or -1 (said on syslog/stderr) and the old file is kept. */
int	log_reopen(void);
const char *log_getfile(void);		/* NULL: none */
void	log_setlevel(int);		/* syslog priority, TB_LOG_* */
int	log_getlevel(void);
void	log_settimestamps(int);		/* prefix stderr lines with time */
void	log_stderr_errors(int);		/* syslog mode: errors to stderr too */
/* At most burst copies of a text per window seconds; 0 turns it off. */
void	log_setratelimit(unsigned int burst, int window);
void	log_ratelimit_expire(void);	/* report windows that have ended */
void	log_ratelimit_flush(void);	/* report held-back counts now */
void	log_setclock(time_t (*)(void));	/* tests: seconds, never 0 */
void	logit(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	vlogit(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* debug bgp updates|neighbor-events|fib (the shell's debug commands). */
#define LOG_DEBUG_UPDATES	0x01
#define LOG_DEBUG_NEIGHBOR	0x02
#define LOG_DEBUG_FIB		0x04
void	log_debug_set(unsigned int cat, int on);
unsigned int log_debug_cats(void);
/* Worth formatting a debug line of cat? */
#define log_debugging(cat)	\
	((log_debug_cats() & (cat)) != 0 || log_getlevel() >= TB_LOG_DEBUG)
void	log_debugc(unsigned int cat, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The last lines logged, oldest first (show logging). */
void	log_ring_walk(void (*)(time_t, int, const char *, void *), void *);
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
