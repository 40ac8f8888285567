/*
 * daemon: the parts of tbgpd that serve init, not BGP.
 *
 * Detaching: the parent waits on a pipe until the child is configured,
 * listening and has dropped privileges, so an init script that checks the
 * exit status learns about a port already in use or a bad socket path.
 * The pidfile is locked (flock) for as long as tbgpd runs: a second
 * instance is refused, a stale file from a crash is reused.  Under
 * systemd the notify protocol (sd_notify(3), a datagram to NOTIFY_SOCKET)
 * says the same.  The privilege drop keeps the three capabilities a BGP
 * speaker on Linux needs: CAP_NET_ADMIN (netlink route writes,
 * SO_RCVBUFFORCE), CAP_NET_BIND_SERVICE (port 179 for a reload that
 * rebinds) and CAP_NET_RAW (SO_BINDTODEVICE, raw probes); everything that
 * parses what peers send runs after it.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

#define CAP_BIT(c)	(1ULL << (c))
#define KEEP_CAPS	(CAP_BIT(CAP_NET_ADMIN) | \
			 CAP_BIT(CAP_NET_BIND_SERVICE) | CAP_BIT(CAP_NET_RAW))

static int	 ready_fd = -1;		/* to the waiting parent */
static int	 detached;
static int	 pid_fd = -1;
static char	 pid_path[PATH_MAX];
static int	 notify_fd = -1;
static struct sockaddr_un notify_sun;
static socklen_t notify_len;

void
daemon_user_lookup(const char *name, int required, struct daemon_user *u)
{
	struct passwd	*pw;

	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	if ((pw = getpwnam(name)) == NULL) {
		if (required)
			fatalx("user %s does not exist", name);
		return;
	}
	u->found = 1;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
}

/* The parent: exit 0 once the child says it is ready, else with its
 * status.  _exit: the child owns every buffer and handler. */
static void __attribute__((noreturn))
daemon_parent(pid_t pid, int fd)
{
	ssize_t	 n;
	char	 c;
	int	 st;

	while ((n = read(fd, &c, 1)) == -1 && errno == EINTR)
		;
	if (n == 1)
		_exit(0);
	if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) != 0)
		_exit(WEXITSTATUS(st));
	_exit(1);
}

void
daemon_detach(void)
{
	pid_t	 pid;
	int	 p[2];

	/* Whatever the starting shell left open is not the daemon's. */
	closefrom(STDERR_FILENO + 1);
	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe");
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid != 0) {
		close(p[1]);
		daemon_parent(pid, p[0]);
	}
	close(p[0]);
	ready_fd = p[1];
	detached = 1;
	if (setsid() == -1)
		fatal("setsid");
}

static void
daemon_stdio_null(void)
{
	int	 fd, i;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		fatal("/dev/null");
	for (i = 0; i < 3; i++)
		if (fd != i && dup2(fd, i) == -1)
			fatal("dup2");
	if (fd > 2)
		close(fd);
}

void
daemon_ready(const char *status)
{
	char	 c = 0;

	if (detached)
		daemon_notify("READY=1\nMAINPID=%ld\nSTATUS=%s",
		    (long)getpid(), status);
	else
		daemon_notify("READY=1\nSTATUS=%s", status);
	if (ready_fd == -1)
		return;
	/* Only now: relative paths of the start were meant from where
	 * tbgpd was started. */
	if (chdir("/") == -1)
		log_warn("chdir /");
	log_stderr_errors(0);
	daemon_stdio_null();
	if (write(ready_fd, &c, 1) != 1)
		log_warn("cannot release the parent process");
	close(ready_fd);
	ready_fd = -1;
}

/* The pid in a pidfile someone else holds, for the message. */
static long
pid_holder(int fd)
{
	char	 b[32];
	ssize_t	 n;

	if ((n = pread(fd, b, sizeof(b) - 1, 0)) <= 0)
		return 0;
	b[n] = '\0';
	return strtol(b, NULL, 10);
}

/* Whether fd is still the file path names: an exiting tbgpd unlinks the
 * file it locked, and a lock on that orphan guards nothing. */
static int
pid_current(int fd, const char *path)
{
	struct stat	 a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int
pid_write(int fd, const char *path)
{
	char	 b[32];
	int	 n;

	n = snprintf(b, sizeof(b), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, b, n, 0) != n) {
		log_warn("pidfile %s", path);
		close(fd);
		return -1;
	}
	pid_fd = fd;
	snprintf(pid_path, sizeof(pid_path), "%s", path);
	/* fatal() during the rest of the start exits too. */
	atexit(daemon_pidfile_remove);
	return 0;
}

int
daemon_pidfile(const char *path)
{
	int	 fd, tries;

	for (tries = 0; tries < 3; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0644);
		if (fd == -1) {
			log_warn("pidfile %s", path);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			if (errno == EWOULDBLOCK)
				log_warnx("pidfile %s: tbgpd is already "
				    "running (pid %ld)", path,
				    pid_holder(fd));
			else
				log_warn("pidfile %s: lock", path);
			close(fd);
			return -1;
		}
		if (pid_current(fd, path))
			return pid_write(fd, path);
		close(fd);
	}
	log_warnx("pidfile %s: replaced while locking it", path);
	return -1;
}

/* Unlink before closing: the lock guards the name until it is gone. */
void
daemon_pidfile_remove(void)
{
	if (pid_fd == -1)
		return;
	if (unlink(pid_path) == -1)
		log_warn("pidfile %s: remove", pid_path);
	close(pid_fd);
	pid_fd = -1;
}

int
daemon_rundir(const char *path, const struct daemon_user *u)
{
	char	 dir[PATH_MAX], *slash;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir)) {
		log_warnx("path too long: %s", path);
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) == -1) {
		if (errno == EEXIST)
			return 0;
		log_warn("directory %s", dir);
		return -1;
	}
	/* Ours: the dropped daemon must be able to unlink its socket and
	 * pidfile in it at exit. */
	if (u->found && geteuid() == 0 && chown(dir, u->uid, u->gid) == -1) {
		log_warn("directory %s: chown to %s", dir, u->name);
		return -1;
	}
	return 0;
}

void
daemon_chown_socket(const char *path, const struct daemon_user *u)
{
	if (u->found && geteuid() == 0 && chown(path, u->uid, u->gid) == -1)
		log_warn("control socket %s: chown to %s", path, u->name);
}

static int
cap_get(uint64_t *eff, uint64_t *perm)
{
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 d[2];

	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	return 0;
}

/* Effective and permitted become set; inheritable is emptied. */
static int
cap_set(uint64_t set)
{
	struct __user_cap_header_struct	 h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct	 d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)set;
	d[1].effective = d[1].permitted = (uint32_t)(set >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

/* The bounding set too, so nothing tbgpd ever executes gets more back.
 * Needs CAP_SETPCAP, which a container's root may lack: not fatal. */
static void
cap_bound(void)
{
	int	 c;

	for (c = 0; c < 64; c++) {
		if (KEEP_CAPS & CAP_BIT(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1) {
			if (errno != EINVAL)
				log_debug("capability bounding set: %s",
				    strerror(errno));
			return;
		}
	}
}

static void
daemon_setuser(const struct daemon_user *u)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_KEEPCAPS");
	if (setgroups(1, &u->gid) == -1 ||
	    setresgid(u->gid, u->gid, u->gid) == -1 ||
	    setresuid(u->uid, u->uid, u->uid) == -1)
		fatal("cannot become user %s", u->name);
	(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
}

static void
cap_names(uint64_t set, char *out, size_t len)
{
	snprintf(out, len, "%s%s%s%s",
	    set & CAP_BIT(CAP_NET_ADMIN) ? " CAP_NET_ADMIN" : "",
	    set & CAP_BIT(CAP_NET_BIND_SERVICE) ? " CAP_NET_BIND_SERVICE" : "",
	    set & CAP_BIT(CAP_NET_RAW) ? " CAP_NET_RAW" : "",
	    set == 0 ? " none" : "");
}

/* Say which case happened, from what the kernel reports now. */
static void
daemon_drop_log(const struct daemon_user *u, int was_root)
{
	uint64_t	 eff, perm;
	char		 names[96];

	if (cap_get(&eff, &perm) == -1 || (perm & ~KEEP_CAPS) != 0)
		fatalx("capabilities beyond the network ones remain");
	cap_names(eff, names, sizeof(names));
	if (was_root && u->found && u->uid != 0)
		log_info("running as user %s (uid %u, gid %u), capabilities:%s",
		    u->name, (unsigned)u->uid, (unsigned)u->gid, names);
	else if (was_root)
		logit(TB_LOG_WARNING, "user %s %s: running as uid 0 with "
		    "only these capabilities:%s", u->name,
		    u->found ? "is uid 0" : "does not exist", names);
	else
		log_info("started as uid %u: not switching user, "
		    "capabilities:%s", (unsigned)getuid(), names);
}

void
daemon_drop(const struct daemon_user *u)
{
	uint64_t	 eff, perm;
	int		 root = geteuid() == 0;

	if (cap_get(&eff, &perm) == -1)
		fatal("capget");
	if (root)
		cap_bound();
	if (root && u->found)
		daemon_setuser(u);
	if (cap_set(perm & KEEP_CAPS) == -1)
		fatal("capset");
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	if (root && u->found && u->uid != 0 && setuid(0) != -1)
		fatalx("privilege drop failed: root regained");
	daemon_drop_log(u, root);
}

int
daemon_notify_init(void)
{
	const char	*p = getenv("NOTIFY_SOCKET");
	size_t		 n;

	if (p == NULL || *p == '\0')
		return 0;
	n = strlen(p);
	if ((*p != '/' && *p != '@') || n >= sizeof(notify_sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET %s: not a socket path", p);
		return -1;
	}
	notify_sun.sun_family = AF_UNIX;
	memcpy(notify_sun.sun_path, p, n);
	if (*p == '@')		/* abstract namespace */
		notify_sun.sun_path[0] = '\0';
	notify_len = offsetof(struct sockaddr_un, sun_path) + n;
	if ((notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("NOTIFY_SOCKET");
		return -1;
	}
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

void
daemon_notify(const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;
	int	 n;

	if (notify_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg)) {
		log_warnx("NOTIFY_SOCKET: message too long");
		return;
	}
	if (sendto(notify_fd, msg, n, MSG_NOSIGNAL,
	    (struct sockaddr *)&notify_sun, notify_len) == -1)
		log_warn("NOTIFY_SOCKET: send");
}

/* systemd 253 and later want the monotonic time with RELOADING=1. */
void
daemon_notify_reloading(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	daemon_notify("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
}

int
daemon_stderr_is_journal(void)
{
	const char		*e = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;
	struct stat		 st;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}
