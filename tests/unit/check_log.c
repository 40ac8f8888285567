/*
 * check_log: lib/log.c's rate limit of repeated messages.  A burst of one
 * text is cut after LOG_RL_BURST copies and its held-back count reported
 * once the window ends; other texts are untouched; the table of texts is
 * bounded and reports what it forgets; fatal() is never held back.
 * Output is read back from the log file, the clock is the test's.
 * The log file itself: reopened after a move (logrotate), a FIFO
 * refused without blocking, a file that cannot be written (/dev/full, a
 * file size limit) reported once on stderr and its recovery said.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static char	 path[64];
static time_t	 fake_now = 1000;

static time_t
fake_clock(void)
{
	return fake_now;
}

static void
setup(void)
{
	snprintf(path, sizeof(path), "/tmp/check_log.XXXXXX");
	ck_assert_int_ne(mkstemp(path), -1);
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	log_init(1, 0, "check_log");
	log_setlevel(TB_LOG_DEBUG);
	ck_assert_int_eq(log_setfile(path), 0);
	log_setclock(fake_clock);
	log_setratelimit(5, 30);
	fake_now = 1000;
}

static void
teardown(void)
{
	log_setfile(NULL);
	unlink(path);
}

/* Lines of file p whose text (after the timestamp) is exactly s. */
static int
count_in(const char *p, const char *s)
{
	FILE	*f;
	char	 line[4096], *text;
	int	 n = 0;

	ck_assert_ptr_nonnull(f = fopen(p, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* "YYYY-MM-DD HH:MM:SS.mmm text" */
		text = strchr(line, ' ');
		ck_assert_ptr_nonnull(text);
		text = strchr(text + 1, ' ');
		ck_assert_ptr_nonnull(text);
		if (strcmp(text + 1, s) == 0)
			n++;
	}
	fclose(f);
	return n;
}

static int
count(const char *s)
{
	return count_in(path, s);
}

static void
repeat(int n, const char *s)
{
	while (n-- > 0)
		log_warnx("%s", s);
}

START_TEST(t_burst_then_summary)
{
	repeat(8, "neighbor 192.0.2.1: connect: refused");
	ck_assert_int_eq(count("neighbor 192.0.2.1: connect: refused"), 5);
	ck_assert_int_eq(count("last message repeated 3 times in 30 s: "
	    "neighbor 192.0.2.1: connect: refused"), 0);
	/* Still in the window: nothing reported yet. */
	fake_now += 29;
	log_info("unrelated");
	ck_assert_int_eq(count("last message repeated 3 times in 30 s: "
	    "neighbor 192.0.2.1: connect: refused"), 0);
	/* The window ends: the next message brings the count, and the text
	 * gets a fresh burst. */
	fake_now += 1;
	repeat(6, "neighbor 192.0.2.1: connect: refused");
	ck_assert_int_eq(count("last message repeated 3 times in 30 s: "
	    "neighbor 192.0.2.1: connect: refused"), 1);
	ck_assert_int_eq(count("neighbor 192.0.2.1: connect: refused"), 10);
	log_ratelimit_flush();
	ck_assert_int_eq(count("last message repeated 1 times in 30 s: "
	    "neighbor 192.0.2.1: connect: refused"), 1);
}
END_TEST

START_TEST(t_texts_are_separate)
{
	int	 i;

	for (i = 0; i < 5; i++) {
		log_info("a %d", 1);
		log_info("a %d", 2);
	}
	ck_assert_int_eq(count("a 1"), 5);
	ck_assert_int_eq(count("a 2"), 5);
	/* Same format, one more of each: held back separately. */
	log_info("a %d", 1);
	log_info("a %d", 2);
	ck_assert_int_eq(count("a 1"), 5);
	ck_assert_int_eq(count("a 2"), 5);
	log_ratelimit_flush();
	ck_assert_int_eq(count("last message repeated 1 times in 30 s: a 1"), 1);
	ck_assert_int_eq(count("last message repeated 1 times in 30 s: a 2"), 1);
}
END_TEST

/* More repeating texts than slots: the oldest is forgotten, but only after
 * its count is written. */
START_TEST(t_bounded_table)
{
	char	 s[32];
	int	 i;

	repeat(7, "old");
	ck_assert_int_eq(count("old"), 5);
	for (i = 0; i < 64; i++) {
		if (i < 20)
			fake_now++;	/* "old" is the least recently seen */
		snprintf(s, sizeof(s), "text %d", i);
		log_info("%s", s);
	}
	ck_assert_int_eq(count("last message repeated 2 times in 30 s: old"),
	    1);
	for (i = 0; i < 64; i++) {
		snprintf(s, sizeof(s), "text %d", i);
		ck_assert_int_eq(count(s), 1);
	}
	/* Forgotten, so it starts over. */
	repeat(5, "old");
	ck_assert_int_eq(count("old"), 10);
}
END_TEST

START_TEST(t_off)
{
	log_setratelimit(0, 0);
	repeat(20, "again");
	ck_assert_int_eq(count("again"), 20);
}
END_TEST

START_TEST(t_warn_errno_kept)
{
	int	 i;

	for (i = 0; i < 7; i++) {
		errno = ENOENT;
		log_warn("open %s", "x");
		ck_assert_int_eq(errno, ENOENT);
	}
	ck_assert_int_eq(count("open x: No such file or directory"), 5);
	log_ratelimit_flush();
	ck_assert_int_eq(count("last message repeated 2 times in 30 s: "
	    "open x: No such file or directory"), 1);
}
END_TEST

/* Long texts are cut, not overrun, and the summary keeps a prefix. */
START_TEST(t_long_text)
{
	char	*big;
	int	 i;

	ck_assert_ptr_nonnull(big = malloc(5000));
	memset(big, 'x', 4999);
	big[4999] = '\0';
	for (i = 0; i < 6; i++)
		log_info("%s", big);
	log_ratelimit_flush();
	big[2047] = '\0';
	ck_assert_int_eq(count(big), 5);
	free(big);
}
END_TEST

/* fatalx() in a child: its line is written although the text is held
 * back, and so is the count of what was. */
START_TEST(t_fatal_not_limited)
{
	pid_t	 pid;
	int	 st;

	if ((pid = fork()) == 0) {
		repeat(9, "boom");
		fatalx("boom");
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	ck_assert_int_eq(count("boom"), 6);
	ck_assert_int_eq(count("last message repeated 4 times in 30 s: boom"),
	    1);
}
END_TEST

/* show logging's ring: the last 256 lines, oldest first. */
struct ring_seen {
	int	 n;
	char	 first[64], last[64];
};

static void
ring_fn(time_t when, int pri, const char *msg, void *arg)
{
	struct ring_seen	*r = arg;

	if (r->n++ == 0)
		snprintf(r->first, sizeof(r->first), "%s", msg);
	snprintf(r->last, sizeof(r->last), "%s", msg);
}

START_TEST(t_ring)
{
	struct ring_seen	 r;
	int			 i;

	log_setratelimit(0, 0);
	for (i = 0; i < 300; i++)
		log_info("line %d", i);
	memset(&r, 0, sizeof(r));
	log_ring_walk(ring_fn, &r);
	ck_assert_int_eq(r.n, 256);
	ck_assert_str_eq(r.first, "line 44");
	ck_assert_str_eq(r.last, "line 299");
}
END_TEST

/* debug bgp CATEGORY: a category's lines pass below the log level, the
 * others do not. */
START_TEST(t_debug_categories)
{
	log_setlevel(TB_LOG_INFO);
	ck_assert(!log_debugging(LOG_DEBUG_FIB));
	log_debugc(LOG_DEBUG_FIB, "fib off");
	log_debug_set(LOG_DEBUG_FIB, 1);
	ck_assert(log_debugging(LOG_DEBUG_FIB));
	ck_assert(!log_debugging(LOG_DEBUG_UPDATES));
	log_debugc(LOG_DEBUG_FIB, "fib on");
	log_debugc(LOG_DEBUG_UPDATES, "updates off");
	log_debug("plain debug");
	log_debug_set(LOG_DEBUG_FIB, 0);
	log_debugc(LOG_DEBUG_FIB, "fib off again");
	ck_assert_int_eq(count("fib off"), 0);
	ck_assert_int_eq(count("fib on"), 1);
	ck_assert_int_eq(count("updates off"), 0);
	ck_assert_int_eq(count("plain debug"), 0);
	ck_assert_int_eq(count("fib off again"), 0);
	ck_assert_uint_eq(log_debug_cats(), 0);
}
END_TEST

/* logrotate moved the file: the next lines go to a new file of the old
 * name, none to the moved one. */
START_TEST(t_reopen_after_move)
{
	char	 moved[80];

	snprintf(moved, sizeof(moved), "%s.1", path);
	log_info("before the move");
	ck_assert_int_eq(rename(path, moved), 0);
	log_info("after the move, before the reopen");
	ck_assert_int_eq(log_reopen(), 0);
	log_info("after the reopen");
	ck_assert_str_eq(log_getfile(), path);
	ck_assert_int_eq(count_in(moved, "before the move"), 1);
	ck_assert_int_eq(count_in(moved, "after the move, before the reopen"),
	    1);
	ck_assert_int_eq(count_in(moved, "after the reopen"), 0);
	ck_assert_int_eq(count("after the reopen"), 1);
	ck_assert_int_eq(count("before the move"), 0);
	unlink(moved);
}
END_TEST

/* stderr into a file of the test's; its name in err_path. */
static char	 err_path[64];

static void
stderr_capture(void)
{
	int	 fd;

	snprintf(err_path, sizeof(err_path), "/tmp/check_log_err.XXXXXX");
	ck_assert_int_ne(fd = mkstemp(err_path), -1);
	close(fd);
	ck_assert_ptr_nonnull(freopen(err_path, "w", stderr));
}

/* Lines of the captured stderr that contain s. */
static int
err_has(const char *s)
{
	FILE	*f;
	char	 line[4096];
	int	 n = 0;

	fflush(stderr);
	ck_assert_ptr_nonnull(f = fopen(err_path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, s) != NULL)
			n++;
	fclose(f);
	return n;
}

/* Disk full: said once on stderr, every line still there. */
START_TEST(t_full_reported_once)
{
	int	 i;

	stderr_capture();
	log_setratelimit(0, 0);
	ck_assert_int_eq(log_setfile("/dev/full"), 0);
	for (i = 0; i < 10; i++) {
		log_info("line %d", i);
		if (i == 5)	/* reopened: the same file, still full */
			ck_assert_int_eq(log_reopen(), 0);
	}
	ck_assert_int_eq(err_has("log file /dev/full: cannot write: No "
	    "space left on device; logging on stderr only until it can be "
	    "written again"), 1);
	ck_assert_int_eq(err_has("line "), 10);
	unlink(err_path);
}
END_TEST

/* A FIFO without a reader would block open(2) and write(2): refused at
 * once, and said. */
START_TEST(t_fifo_refused)
{
	char	 fifo[80];

	stderr_capture();
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	alarm(5);
	ck_assert_int_eq(log_setfile(fifo), -1);
	alarm(0);
	ck_assert_ptr_null(log_getfile());
	ck_assert_int_eq(err_has("cannot open: is a FIFO or socket, not "
	    "a regular file; not logging to a file"), 1);
	log_info("still logging");
	ck_assert_int_eq(err_has("still logging"), 1);
	unlink(fifo);
	unlink(err_path);
}
END_TEST

/* The directory went: the reopen fails, is said, and the old file is
 * kept; once the file can be opened again a reopen takes it. */
START_TEST(t_reopen_fails)
{
	char	 dir[64], file[96];

	stderr_capture();
	snprintf(dir, sizeof(dir), "/tmp/check_log_dir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/tbgpd.log", dir);
	ck_assert_int_eq(log_setfile(file), 0);
	ck_assert_int_eq(unlink(file), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(log_reopen(), -1);
	ck_assert_int_eq(err_has("cannot reopen: No such file or directory; "
	    "still writing to the file open before"), 1);
	log_info("into the removed file");
	ck_assert_int_eq(err_has("into the removed file"), 1);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(log_reopen(), 0);
	log_info("into the new file");
	ck_assert_int_eq(count_in(file, "into the new file"), 1);
	log_setfile(NULL);
	unlink(file);
	rmdir(dir);
	unlink(err_path);
}
END_TEST

/* A file size limit (SIGXFSZ ignored, as tbgpd does): writes fail with
 * EFBIG, said once; with the limit raised, the file takes lines again
 * and says how many it missed. */
START_TEST(t_write_recovers)
{
	struct rlimit	 rl, small;
	struct stat	 st;
	char		 err[8192];
	ssize_t		 n;
	pid_t		 pid;
	int		 i, status, pfd[2];

	log_setratelimit(0, 0);
	log_info("first");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(pipe(pfd), 0);
	/* In a child, its stderr a pipe: only the log file meets the
	 * limit, not Check's files nor the captured stderr. */
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 2);
		signal(SIGXFSZ, SIG_IGN);
		small = rl;
		small.rlim_cur = (rlim_t)st.st_size;
		if (setrlimit(RLIMIT_FSIZE, &small) == -1)
			_exit(2);
		for (i = 0; i < 3; i++)
			log_info("lost %d", i);
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(3);
		log_info("back");
		_exit(0);
	}
	close(pfd[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	n = read(pfd[0], err, sizeof(err) - 1);
	close(pfd[0]);
	ck_assert_int_gt(n, 0);
	err[n] = '\0';
	ck_assert_ptr_nonnull(strstr(err, "log file "));
	ck_assert_ptr_nonnull(strstr(err, ": cannot write: File too large; "
	    "logging on stderr only"));
	ck_assert_ptr_null(strstr(strstr(err, "cannot write") + 1,
	    "cannot write"));
	ck_assert_ptr_nonnull(strstr(err, "lost 2"));
	ck_assert_ptr_nonnull(strstr(err, ": writable again, 3 lines not "
	    "written to it"));
	ck_assert_int_eq(count("back"), 1);
	ck_assert_int_eq(count("lost 0"), 0);
}
END_TEST

static Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("ratelimit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_burst_then_summary);
	tcase_add_test(tc, t_texts_are_separate);
	tcase_add_test(tc, t_bounded_table);
	tcase_add_test(tc, t_off);
	tcase_add_test(tc, t_warn_errno_kept);
	tcase_add_test(tc, t_long_text);
	tcase_add_test(tc, t_fatal_not_limited);
	tcase_add_test(tc, t_ring);
	tcase_add_test(tc, t_debug_categories);
	suite_add_tcase(s, tc);
	tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_reopen_after_move);
	tcase_add_test(tc, t_full_reported_once);
	tcase_add_test(tc, t_fifo_refused);
	tcase_add_test(tc, t_reopen_fails);
	tcase_add_test(tc, t_write_recovers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(log_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
