/*
 * log: the one place messages leave the program.  In the foreground they
 * go to stderr (optionally with a timestamp), otherwise to syslog; a log
 * file, when configured, receives a timestamped copy of either.  The level
 * filter applies to all; fatal() and fatalx() log and exit.
 *
 * The log file is written with one write(2) per line (O_APPEND: whole
 * lines, never a half line buffered behind a failing disk).  It can be
 * reopened under its name (log_reopen(): SIGUSR1, SIGHUP, after logrotate
 * moved it away).  A file that cannot be written (disk full, its
 * directory removed, a file size limit) never stops the caller: the
 * failure is reported once on syslog/stderr, lines go on there, and when
 * the file takes lines again that is said too, with the count lost.
 *
 * Repeats are rate limited per message text: a peer that resets its
 * session every second, or a kernel that refuses the same route on every
 * retry, must not fill the disk nor push the one useful line out of the
 * journal.  A text may appear LOG_RL_BURST times in a LOG_RL_WINDOW
 * second window; further copies are counted, and once the window ends one
 * line says how many were held back.  A fixed table of recent texts keeps
 * memory bounded: when more texts repeat at once than it holds, the least
 * recently seen one is forgotten (its count reported first), so at worst
 * more lines get through, never fewer.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_MSG_MAX	2048	/* longer messages are cut */
#define LOG_RL_SLOTS	32	/* distinct texts tracked at once */
#define LOG_RL_TEXT	256	/* text kept for the summary line */
#define LOG_RL_BURST	5
#define LOG_RL_WINDOW	30	/* seconds */

struct log_rl {
	uint64_t	 hash;		/* of the whole text */
	time_t		 start;		/* window start; 0: slot free */
	time_t		 seen;		/* last occurrence, for eviction */
	unsigned int	 count;		/* occurrences in this window */
	unsigned int	 held;		/* of those, not written */
	int		 pri;
	char		 text[LOG_RL_TEXT];
};

static int	log_to_stderr = 1;
static int	log_errors_stderr;
static int	log_level = TB_LOG_INFO;
static int	log_timestamps;
static struct {
	int		 fd;		/* -1: no log file */
	char		 path[PATH_MAX];
	int		 failing;	/* errno of the failure reported */
	unsigned long	 lost;		/* lines not written since */
} log_file = { .fd = -1 };
static char	log_ident[32] = "tbgpd";

static struct log_rl	 log_rl[LOG_RL_SLOTS];
static unsigned int	 log_rl_burst = LOG_RL_BURST;
static int		 log_rl_window = LOG_RL_WINDOW;
static time_t		(*log_clock)(void);

void
log_init(int to_stderr, int facility, const char *ident)
{
	log_to_stderr = to_stderr;
	snprintf(log_ident, sizeof(log_ident), "%s", ident);
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
	tzset();
}

static void	log_out(int, const char *);
static void	log_note(int, const char *);

/* Open path for appending; -1 with why filled.  A FIFO or a socket is
 * refused: opening one could block the daemon and writing to it would. */
static int
log_file_open(const char *path, char *why, size_t whylen)
{
	struct stat	 st;
	int		 fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK |
	    O_CLOEXEC | O_NOCTTY, 0640);
	if (fd == -1) {
		/* A FIFO without a reader, or a socket: ENXIO. */
		snprintf(why, whylen, "%s", errno == ENXIO &&
		    stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode)) ? "is a FIFO or socket, not a regular "
		    "file" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		snprintf(why, whylen, "%s", S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode) ? "is a FIFO or socket, not a regular "
		    "file" : "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

/* Takes fd as the log file named path; fd -1 with a path: it could not
 * be opened, log_reopen() tries again.  The same file reopened keeps its
 * failure state: a full disk is reported once, not once per reopen. */
static void
log_file_set(int fd, const char *path)
{
	if (path == NULL)
		path = "";
	if (log_file.fd != -1)
		close(log_file.fd);
	log_file.fd = fd;
	if (strcmp(log_file.path, path) != 0) {
		log_file.failing = 0;
		log_file.lost = 0;
	}
	snprintf(log_file.path, sizeof(log_file.path), "%s", path);
}

int
log_setfile(const char *path)
{
	char	 why[128], msg[PATH_MAX + 192];
	int	 fd = -1;

	if (path != NULL && *path != '\0' &&
	    (fd = log_file_open(path, why, sizeof(why))) == -1) {
		snprintf(msg, sizeof(msg), "log file %s: cannot open: %s; "
		    "not logging to a file", path, why);
		log_file_set(-1, path);
		log_note(TB_LOG_ERR, msg);
		return -1;
	}
	log_file_set(fd, path);
	return 0;
}

int
log_reopen(void)
{
	char	 why[128], msg[PATH_MAX + 192], path[PATH_MAX];
	int	 fd;

	if (log_file.path[0] == '\0')
		return 0;
	snprintf(path, sizeof(path), "%s", log_file.path);
	if ((fd = log_file_open(path, why, sizeof(why))) == -1) {
		snprintf(msg, sizeof(msg), "log file %s: cannot reopen: %s; "
		    "%s", path, why, log_file.fd != -1 ? "still writing to the "
		    "file open before" : "not logging to a file");
		log_note(TB_LOG_ERR, msg);
		return -1;
	}
	log_file_set(fd, path);
	return 0;
}

const char *
log_getfile(void)
{
	return log_file.fd == -1 ? NULL : log_file.path;
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

void
log_stderr_errors(int on)
{
	log_errors_stderr = on;
}

void
log_setratelimit(unsigned int burst, int window)
{
	log_ratelimit_flush();
	log_rl_burst = burst;
	log_rl_window = window;
}

void
log_setclock(time_t (*now)(void))
{
	log_clock = now;
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

/*
 * The last LOG_RING lines, whatever the destinations, for "show logging":
 * an operator in the shell at 3 a.m. should not need the journal.
 */
#define LOG_RING	256
#define LOG_RING_TEXT	200

static struct {
	char	 text[LOG_RING][LOG_RING_TEXT];
	time_t	 when[LOG_RING];
	int	 pri[LOG_RING];
	size_t	 next;		/* slot written next */
	size_t	 n;
} log_ring;

static void
log_ring_add(int pri, const char *msg)
{
	size_t	 i = log_ring.next;

	strlcpy(log_ring.text[i], msg, LOG_RING_TEXT);
	log_ring.when[i] = time(NULL);
	log_ring.pri[i] = pri;
	log_ring.next = (i + 1) % LOG_RING;
	if (log_ring.n < LOG_RING)
		log_ring.n++;
}

void
log_ring_walk(void (*fn)(time_t, int, const char *, void *), void *arg)
{
	size_t	 i, start = (log_ring.next + LOG_RING - log_ring.n) % LOG_RING;

	for (i = 0; i < log_ring.n; i++)
		fn(log_ring.when[(start + i) % LOG_RING],
		    log_ring.pri[(start + i) % LOG_RING],
		    log_ring.text[(start + i) % LOG_RING], arg);
}

/* debug bgp CATEGORY: what is on. */
static unsigned int	 log_debug_on;

void
log_debug_set(unsigned int cat, int on)
{
	if (on)
		log_debug_on |= cat;
	else
		log_debug_on &= ~cat;
}

unsigned int
log_debug_cats(void)
{
	return log_debug_on;
}

/* The line to the log file.  The first failure is reported on the main
 * destination (syslog or stderr), the recovery too; between them the
 * lines are counted, not reported. */
static void
log_file_write(int pri, const char *msg)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 line[LOG_MSG_MAX + 40], note[PATH_MAX + 160];
	size_t		 n;
	ssize_t		 w;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S", &tm);
	n += snprintf(line + n, sizeof(line) - n, ".%03ld %s\n",
	    ts.tv_nsec / 1000000, msg);
	if (n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	w = write(log_file.fd, line, n);
	if (w == (ssize_t)n) {
		if (log_file.failing) {
			snprintf(note, sizeof(note), "log file %s: writable "
			    "again, %lu line%s not written to it", log_file.path,
			    log_file.lost, log_file.lost == 1 ? "" : "s");
			log_file.failing = 0;
			log_file.lost = 0;
			log_out(TB_LOG_WARNING, note);
		}
		return;
	}
	log_file.lost++;
	if (log_file.failing)
		return;
	log_file.failing = w == -1 ? errno : ENOSPC;
	snprintf(note, sizeof(note), "log file %s: cannot write: %s; "
	    "logging on %s only until it can be written again", log_file.path,
	    strerror(log_file.failing), log_to_stderr ? "stderr" : "syslog");
	log_note(TB_LOG_ERR, note);
}

/* One line to syslog or stderr, not to the file. */
static void
log_out_main(int pri, const char *msg)
{
	if (log_to_stderr) {
		if (log_timestamps)
			log_stamp(stderr);
		fprintf(stderr, "%s\n", msg);
		fflush(stderr);
		return;
	}
	syslog(pri, "%s", msg);
	/* Until a daemon has detached, whoever started it sees why it
	 * failed. */
	if (log_errors_stderr && pri <= TB_LOG_ERR) {
		fprintf(stderr, "%s: %s\n", log_ident, msg);
		fflush(stderr);
	}
}

/* About the log file itself: everywhere but there. */
static void
log_note(int pri, const char *msg)
{
	log_ring_add(pri, msg);
	log_out_main(pri, msg);
}

/* One line to every destination, no filtering. */
static void
log_out(int pri, const char *msg)
{
	int	 saved_errno = errno;

	log_ring_add(pri, msg);
	if (log_file.fd != -1)
		log_file_write(pri, msg);
	log_out_main(pri, msg);
	errno = saved_errno;
}

static time_t
log_now(void)
{
	struct timespec	 ts;

	if (log_clock != NULL)
		return log_clock();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* Never 0: that marks a free slot. */
	return ts.tv_sec + 1;
}

/* FNV-1a, 64 bits: identity of a text without keeping all of it. */
static uint64_t
log_hash(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h;
}

/* Say how many copies a slot held back, and free it. */
static void
log_rl_release(struct log_rl *r)
{
	char	 msg[LOG_RL_TEXT + 64];

	if (r->held > 0) {
		snprintf(msg, sizeof(msg), "last message repeated %u times "
		    "in %d s: %s", r->held, log_rl_window, r->text);
		log_out(r->pri, msg);
	}
	memset(r, 0, sizeof(*r));
}

static void
log_rl_expire(time_t now)
{
	int	 i;

	for (i = 0; i < LOG_RL_SLOTS; i++)
		if (log_rl[i].start != 0 &&
		    now - log_rl[i].start >= log_rl_window)
			log_rl_release(&log_rl[i]);
}

/* The slot for hash h: its own, else a free one, else the least recently
 * seen (released first). */
static struct log_rl *
log_rl_slot(uint64_t h, int *fresh)
{
	struct log_rl	*r, *lru = &log_rl[0];
	int		 i;

	*fresh = 0;
	for (i = 0; i < LOG_RL_SLOTS; i++) {
		r = &log_rl[i];
		if (r->start != 0 && r->hash == h)
			return r;
		if (lru->start != 0 && (r->start == 0 || r->seen < lru->seen))
			lru = r;
	}
	if (lru->start != 0)
		log_rl_release(lru);
	*fresh = 1;
	return lru;
}

/* Whether msg may be written now; counts it either way. */
static int
log_rl_admit(int pri, const char *msg, time_t now)
{
	struct log_rl	*r;
	uint64_t	 h = log_hash(msg);
	int		 fresh;

	log_rl_expire(now);
	r = log_rl_slot(h, &fresh);
	if (fresh) {
		r->hash = h;
		r->start = now;
		r->pri = pri;
		snprintf(r->text, sizeof(r->text), "%s", msg);
	}
	r->seen = now;
	if (++r->count <= log_rl_burst)
		return 1;
	r->held++;
	return 0;
}

void
log_ratelimit_expire(void)
{
	log_rl_expire(log_now());
}

void
log_ratelimit_flush(void)
{
	int	 i;

	for (i = 0; i < LOG_RL_SLOTS; i++)
		if (log_rl[i].start != 0)
			log_rl_release(&log_rl[i]);
}

static void
log_line(int pri, const char *msg, int limited)
{
	if (limited && log_rl_burst > 0 && log_rl_window > 0 &&
	    !log_rl_admit(pri, msg, log_now()))
		return;
	log_out(pri, msg);
}

void
vlogit(int pri, const char *fmt, va_list ap)
{
	char	 msg[LOG_MSG_MAX];
	int	 saved_errno = errno;

	if (pri > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_line(pri, msg, 1);
	errno = saved_errno;
}

/* A debug line of a category: shown when the category is on (whatever
 * the log level, as FRR's "debug" commands do) or at level debug. */
void
log_debugc(unsigned int cat, const char *fmt, ...)
{
	char	 msg[LOG_MSG_MAX];
	va_list	 ap;
	int	 saved_errno = errno;

	if (!(log_debug_on & cat) && TB_LOG_DEBUG > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line(TB_LOG_DEBUG, msg, 1);
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

/* The text of fmt with ": strerror(errnum)" appended when errnum is
 * set. */
static void
log_format_errno(char *msg, size_t len, int errnum, const char *fmt,
    va_list ap)
{
	size_t	 n;

	vsnprintf(msg, len, fmt, ap);
	n = strlen(msg);
	if (errnum && n < len)
		snprintf(msg + n, len - n, ": %s", strerror(errnum));
}

void
log_warn(const char *fmt, ...)
{
	char	 msg[LOG_MSG_MAX];
	va_list	 ap;
	int	 errnum = errno;

	if (TB_LOG_ERR <= log_level) {
		va_start(ap, fmt);
		log_format_errno(msg, sizeof(msg), errnum, fmt, ap);
		va_end(ap);
		log_line(TB_LOG_ERR, msg, 1);
	}
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

/* The last words are never held back, and neither are the counts of what
 * was. */
static void
log_fatal(int errnum, const char *fmt, va_list ap)
{
	char	 msg[LOG_MSG_MAX];

	log_format_errno(msg, sizeof(msg), errnum, fmt, ap);
	log_ratelimit_flush();
	log_line(TB_LOG_ERR, msg, 0);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 errnum = errno;

	va_start(ap, fmt);
	log_fatal(errnum, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_fatal(0, fmt, ap);
	va_end(ap);
	exit(1);
}
