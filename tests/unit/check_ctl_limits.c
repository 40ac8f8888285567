/*
 * check_ctl_limits: what the control socket (bgpd/ctl.c) allows each
 * socket and each user, end to end on real sockets in a temporary
 * directory, the daemon's event loop turned by the test.
 *
 * Found by an audit: an unprivileged user holding 32 idle connections to
 * the world-writable read-only socket locked root out of the read-write
 * one, and 32 clients asking for a table and never reading held 100 MB.
 * Here: the read-only socket cannot fill the read-write one; one user
 * gets CTL_PER_UID connections per socket, root and the daemon's user
 * always get in; the read-write socket keeps its last places for them;
 * a refused client is told why; idle clients are closed, and tbgpsh
 * connects again by itself; streaming answers are bounded per socket
 * and per user (the others wait, other requests do not), and so is the
 * memory of clients that do not read.
 *
 * The test's own uid plays "another user" (ctl_set_trusted() names
 * nobody it has) or root (names it).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "ctl.h"
#include "ctl_show.h"
#include "ctlproto.h"
#include "log.h"
#include "peer.h"
#include "rib.h"

#define NOBODY		((uid_t)-2)
#define TABLE_ROUTES	60000	/* several chunks of answer */

static char			 tmpdir[64], rwpath[128], ropath[128];
static struct event_base	*base;
static struct bgpd_config	 bconf;
static struct rib		*t_rib;
static struct rib_src		 t_src;

static struct rib *
t_rde_rib(void)
{
	return t_rib;
}

static struct rib_src *
t_rde_src(const struct peer *p)
{
	return NULL;
}

static struct adjout *
t_rde_adjout(const struct peer *p, enum aid aid)
{
	return NULL;
}

static struct rib_src *
t_rde_local(void)
{
	return NULL;
}

static const char *
t_rde_policy(const struct peer *p, int out)
{
	return NULL;
}

static struct fib *
t_rde_fib(void)
{
	return NULL;
}

static const struct show_rde t_rde = {
	t_rde_rib, t_rde_src, t_rde_adjout, t_rde_local, t_rde_policy,
	t_rde_fib,
};

/* TABLE_ROUTES /32s from one neighbor. */
static void
t_table(void)
{
	struct rib_opts		 o;
	struct attr		 w, *a;
	struct tb_prefix	 p;
	uint32_t		 i, v;

	memset(&o, 0, sizeof(o));
	ck_assert_ptr_nonnull(t_rib = rib_new(&o));
	memset(&t_src, 0, sizeof(t_src));
	ck_assert_int_eq(addr_parse("169.254.200.1", &t_src.addr), 0);
	t_src.as = 16550;
	t_src.ebgp = 1;
	memset(&w, 0, sizeof(w));
	w.aspath = aspath_intern((const uint8_t *)"\2\1\0\0\100\246", 6);
	ck_assert_int_eq(addr_parse("169.254.200.1", &w.nexthop), 0);
	a = attr_intern(&w);
	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET;
	p.len = 32;
	for (i = 0; i < TABLE_ROUTES; i++) {
		v = htonl(0x64000000u + i);
		memcpy(p.addr.u.raw, &v, 4);
		rib_update(t_rib, &t_src, &p, attr_ref(a), NULL, 1);
	}
	attr_unref(a);
	rib_drain(t_rib, NULL, NULL);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	log_init(1, 0, "check_ctl_limits");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_ctl_limits.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(rwpath, sizeof(rwpath), "%s/tbgpd.sock", tmpdir);
	snprintf(ropath, sizeof(ropath), "%s/tbgpd-ro.sock", tmpdir);
	ck_assert_ptr_nonnull(base = event_base_new());
	ck_assert_int_eq(ctl_init(base, rwpath), 0);
	ck_assert_int_eq(ctl_init_ro(base, ropath), 0);
	memset(&bconf, 0, sizeof(bconf));
	bconf.as = 65000;
	ctl_set_config(&bconf);
	ctl_set_trusted(NOBODY, NOBODY);
	t_table();
	show_set_rde_for_tests(&t_rde);
}

static void
teardown(void)
{
	ctl_shutdown();
	event_base_free(base);
	show_set_rde_for_tests(NULL);
	rib_src_flush(t_rib, &t_src, AID_MAX);
	rib_drain(t_rib, NULL, NULL);
	rib_free(t_rib);
	rmdir(tmpdir);
}

static void
turn(int n)
{
	while (n-- > 0)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

static int
connect_to(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_ne(fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK,
	    0), -1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)),
	    0);
	turn(2);	/* accepted (or refused) */
	return fd;
}

static void
send_req(int fd, const char *cmd)
{
	struct buf	 req;

	ck_assert_int_eq(buf_init(&req, 256, CTL_MAX_REQ), 0);
	ctl_frame_put(&req, CTL_REQUEST, cmd, strlen(cmd) + 1);
	ck_assert_int_eq(write(fd, buf_data(&req), buf_len(&req)),
	    (ssize_t)buf_len(&req));
	buf_free(&req);
}

/*
 * Turn the loop and read fd until an END (its status), the daemon hangs
 * up (-2) or secs pass (-1).  DATA text goes to text, NUL-terminated.
 */
static int
answer(int fd, struct buf *text, double secs)
{
	static uint8_t	 tmp[65536];
	struct ctl_frame f;
	struct buf	 in;
	struct timespec	 t0, t;
	const char	*err;
	ssize_t		 n;
	int		 status = -1;

	buf_reset(text);
	ck_assert_int_eq(buf_init(&in, 1024, 8u << 20), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while (status == -1 &&
		    ctl_frame_get(&in, CTL_MAX_FRAME, &f, &err) == 1) {
			if (f.type == CTL_DATA)
				buf_put(text, f.payload, f.len);
			else if (f.type == CTL_END)
				status = f.payload[0] << 8 | f.payload[1];
		}
		buf_drain(&in, in.rpos);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (status != -1 || (double)(t.tv_sec - t0.tv_sec) +
		    (t.tv_nsec - t0.tv_nsec) / 1e9 > secs)
			break;
		turn(1);
		if ((n = read(fd, tmp, sizeof(tmp))) == 0) {
			status = -2;
			break;
		}
		if (n > 0)
			buf_put(&in, tmp, (size_t)n);
		else
			usleep(1000);
	}
	buf_free(&in);
	buf_put_u8(text, 0);
	return status;
}

static int
run_on(const char *path, const char *cmd, struct buf *text)
{
	int	 fd = connect_to(path), status;

	send_req(fd, cmd);
	status = answer(fd, text, 20);
	close(fd);
	return status;
}

#define TEXT(b)		((const char *)buf_data(b))
#define HAS(b, s)	ck_assert_msg(strstr(TEXT(b), (s)) != NULL,	\
			    "missing '%s' in:\n%.400s", (s), TEXT(b))

/* The connection was refused: its answer says why, then EOF. */
static void
refused(int fd, const char *why)
{
	struct buf	 b;

	ck_assert_int_eq(buf_init(&b, 1024, 1 << 20), 0);
	ck_assert_int_eq(answer(fd, &b, 5), 1);
	HAS(&b, "% tbgpd: too many connections to ");
	HAS(&b, why);
	HAS(&b, "try again later");
	buf_free(&b);
	close(fd);
}

/* The audit's lockout: another user fills the read-only socket; it gets
 * CTL_PER_UID, further ones are told why; the read-write socket (and
 * root on the read-only one) still get in. */
START_TEST(t_ro_cannot_lock_rw)
{
	struct ctl_counts	 n;
	struct buf		 b;
	char			 why[64];
	int			 fd[40], i;

	ck_assert_int_eq(buf_init(&b, 1024, 1 << 20), 0);
	for (i = 0; i < 4; i++)
		fd[i] = connect_to(ropath);
	ctl_counts(1, &n);
	ck_assert_int_eq(n.clients, 4);
	snprintf(why, sizeof(why), "uid %ld has 4 connections already (4 at "
	    "most)", (long)getuid());
	refused(connect_to(ropath), why);
	ck_assert_int_eq(run_on(rwpath, "show version", &b), 0);
	HAS(&b, "tbgpd");
	/* Root fills the rest of the read-only socket: 32, then no more,
	 * and the read-write socket is still there. */
	ctl_set_trusted(0, getuid());
	for (i = 4; i < 32; i++)
		fd[i] = connect_to(ropath);
	refused(connect_to(ropath), "32 clients already");
	ctl_counts(1, &n);
	ck_assert_int_eq(n.clients, 32);
	ck_assert_int_eq(run_on(rwpath, "show version", &b), 0);
	ck_assert_int_eq(run_on(rwpath, "reload", &b), 1);	/* no conf */
	turn(3);
	ctl_counts(0, &n);
	ck_assert_int_eq(n.clients, 0);
	for (i = 0; i < 32; i++)
		close(fd[i]);
	turn(3);
	ctl_counts(1, &n);
	ck_assert_int_eq(n.clients, 0);
	buf_free(&b);
}
END_TEST

/* The read-write socket's last CTL_RW_KEPT places are root's and the
 * daemon's user's. */
START_TEST(t_rw_kept_room)
{
	int	 fd[20], i;

	ctl_set_trusted(0, getuid());
	for (i = 0; i < 14; i++)
		fd[i] = connect_to(rwpath);
	ctl_set_trusted(NOBODY, NOBODY);
	refused(connect_to(rwpath), "the last 2 places are kept for root");
	ctl_set_trusted(0, getuid());
	fd[14] = connect_to(rwpath);
	fd[15] = connect_to(rwpath);
	refused(connect_to(rwpath), "16 clients already");
	for (i = 0; i < 16; i++)
		close(fd[i]);
}
END_TEST

/* A client that asks nothing for the idle time is closed; one that
 * asks is not. */
START_TEST(t_idle_closed)
{
	struct buf	 b;
	char		 c;
	int		 quiet, busy, i;

	ck_assert_int_eq(buf_init(&b, 1024, 1 << 20), 0);
	ctl_set_idle(1, 1);
	quiet = connect_to(ropath);
	busy = connect_to(ropath);
	for (i = 0; i < 5; i++) {
		send_req(busy, "show version");
		ck_assert_int_eq(answer(busy, &b, 5), 0);
		usleep(400 * 1000);
		turn(2);
	}
	ck_assert_int_eq(read(quiet, &c, 1), 0);	/* closed */
	send_req(busy, "show version");
	ck_assert_int_eq(answer(busy, &b, 5), 0);
	close(quiet);
	close(busy);
	buf_free(&b);
}
END_TEST

/* tbgpsh idle longer than the socket allows: its next command goes out
 * on a new connection, no error. */
START_TEST(t_idle_shell_reconnects)
{
	struct timespec	 t0, t;
	pid_t		 pid;
	int		 p[2], status, i;

	if (access("vtysh-lite/tbgpsh", X_OK) == -1)
		ck_abort_msg("vtysh-lite/tbgpsh not built (run from the "
		    "build directory)");
	ctl_set_idle(1, 1);
	ck_assert_int_eq(pipe(p), 0);
	if ((pid = fork()) == 0) {
		int	 out = open("/dev/null", O_WRONLY);

		dup2(p[0], 0);
		dup2(out, 1);
		close(p[1]);
		execl("vtysh-lite/tbgpsh", "tbgpsh", "-s", ropath,
		    (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	ck_assert_int_eq(write(p[1], "show version\n", 13), 13);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0;; i++) {
		turn(1);
		usleep(2000);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 3)
			break;
	}
	/* The first connection is closed by now. */
	ck_assert_int_eq(write(p[1], "show version\n", 13), 13);
	close(p[1]);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		turn(1);
		usleep(2000);
		clock_gettime(CLOCK_MONOTONIC, &t);
		ck_assert_int_lt(t.tv_sec - t0.tv_sec, 20);
	}
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/*
 * Streaming answers: another user gets one at a time per socket (the
 * second waits, a plain request does not); root CTL_STREAMS per socket.
 * Clients that do not read hold a bounded amount each.
 */
START_TEST(t_streams_bounded)
{
	struct ctl_counts	 n;
	struct buf		 b;
	int			 a, w, fd[6], i;

	ck_assert_int_eq(buf_init(&b, 1 << 20, 64u << 20), 0);
	a = connect_to(ropath);
	send_req(a, "show ip bgp json");	/* not read for now */
	turn(20);
	w = connect_to(ropath);
	send_req(w, "show ip bgp");
	turn(20);
	ctl_counts(1, &n);
	ck_assert_int_eq(n.streams, 1);
	ck_assert_int_eq(n.waiting, 1);
	ck_assert_int_eq(run_on(ropath, "show version", &b), 0);
	/* a reads its answer: w's turn comes, and its answer is whole. */
	ck_assert_int_eq(answer(a, &b, 30), 0);
	HAS(&b, "\"totalRoutes\":60000");
	ck_assert_int_eq(answer(w, &b, 30), 0);
	HAS(&b, "Displayed  60000 routes");
	close(a);
	close(w);
	turn(3);

	/* Root: four at once per socket, the fifth waits. */
	ctl_set_trusted(0, getuid());
	for (i = 0; i < 5; i++) {
		fd[i] = connect_to(rwpath);
		send_req(fd[i], "show ip bgp json");
		turn(20);
	}
	ctl_counts(0, &n);
	ck_assert_int_eq(n.streams, 4);
	ck_assert_int_eq(n.waiting, 1);
	/* None of them reads: each holds its low water and a chunk. */
	ck_assert_uint_lt(n.queued, 4u * 1024 * 1024);
	ck_assert_uint_lt(n.held, 5u * 4 * 1024 * 1024);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(answer(fd[i], &b, 30), 0);
		HAS(&b, "\"totalRoutes\":60000");
		close(fd[i]);
	}
	turn(3);
	ctl_counts(0, &n);
	ck_assert_int_eq(n.streams, 0);
	ck_assert_int_eq(n.clients, 0);
	buf_free(&b);
}
END_TEST

static Suite *
limits_suite(void)
{
	Suite	*s = suite_create("ctl_limits");
	TCase	*tc = tcase_create("limits");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, t_ro_cannot_lock_rw);
	tcase_add_test(tc, t_rw_kept_room);
	tcase_add_test(tc, t_idle_closed);
	tcase_add_test(tc, t_idle_shell_reconnects);
	tcase_add_test(tc, t_streams_bounded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(limits_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
