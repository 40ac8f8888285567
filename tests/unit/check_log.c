/*
 * check_log: lib/log.c's rate limit of repeated messages.  A burst of one
 * text is cut after LOG_RL_BURST copies and its held-back count reported
 * once the window ends; other texts are untouched; the table of texts is
 * bounded and reports what it forgets; fatal() is never held back.
 * Output is read back from the log file, the clock is the test's.
 */
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
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

/* Lines of the log file whose text (after the timestamp) is exactly s. */
static int
count(const char *s)
{
	FILE	*f;
	char	 line[4096], *text;
	int	 n = 0;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
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
