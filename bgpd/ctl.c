/*
 * ctl: the daemon side of the control socket.
 *
 * Owns the listening UNIX sockets, the connected tbgpsh clients and the
 * framing of their requests and answers (lib/ctlproto.h).  Each request
 * line is matched against the command table (lib/cmd.c, with the table
 * in ctl_table.c and the commands in ctl_*.c) and run; its answer is queued
 * in the client's output buffer, which is written only as fast as the
 * socket drains.  A long answer (a full table) streams: the handler
 * leaves a struct show_stream, and the next chunk is rendered only when
 * less than CTL_LOW_WATER bytes wait for the client, one chunk per turn
 * of the event loop, so the sessions go on meanwhile and memory stays
 * bounded however large the table.  While an answer streams, the
 * client's further requests wait in its input.  The event loop never
 * blocks on a client: one that stops reading is dropped once
 * CTL_MAX_QUEUED bytes wait for it, or when a streaming answer has not
 * moved for CTL_STALL_SECS.
 *
 * A DESCRIBE request is answered with the table itself, so the shell
 * completes and explains with exactly the words the daemon will match.
 * Clients of the read-only socket run only CMD_F_RO entries, and are
 * described only those.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgpd.h"
#include "buf.h"
#include "cmd.h"
#include "ctl.h"
#include "ctl_show.h"
#include "ctl_table.h"
#include "ctlproto.h"
#include "log.h"

#define CTL_MAX_CLIENTS	32
#define CTL_MAX_QUEUED	(4u * 1024 * 1024)	/* unread answer bytes */
#define CTL_READ_CHUNK	4096
#define CTL_LOW_WATER	(512u * 1024)	/* render more below this */
#define CTL_STALL_SECS	60		/* a stream not read: dropped */

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 entry;
	int			 fd;
	int			 ro;	/* came in on the read-only socket */
	struct event		*ev_read;
	struct event		*ev_write;
	struct buf		 in;
	struct buf		 out;	/* framed answers not yet written */
	struct buf		 ans;	/* the answer being rendered */
	struct show_stream	 stream;	/* more == NULL: none */
	struct event		*ev_stall;
	int			 closing;	/* close once out is written */
};
TAILQ_HEAD(ctl_client_head, ctl_client);

struct ctl_listener {
	int			 fd;
	int			 ro;
	struct event		*ev;
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct {
	struct event_base	*base;
	struct event		*ev_pause;
	struct ctl_listener	 rw;
	struct ctl_listener	 ro;
	struct ctl_client_head	 clients;
	int			 nclients;
	time_t			 started;
	const struct bgpd_config *conf;
} ctl = {
	.rw = { .fd = -1, .ro = 0 },
	.ro = { .fd = -1, .ro = 1 },
	.clients = TAILQ_HEAD_INITIALIZER(ctl.clients),
};

/* -------------------------------------------------------------- dispatch */

/* The words did not name a command: say which word, as vtysh does. */
static void
ctl_no_match(const char *line, const struct cmd_match *m, struct buf *ans)
{
	char	 text[CMD_ERR_MAX];

	if (cmd_error_text(line, m->status, m->at, text, sizeof(text)) == -1)
		show_printf(ans, "%% %s\n", cmd_status_str(m->status));
	else
		show_printf(ans, "%s", text);
}

/* Run one command line; the answer goes to ans, the status is returned.
 * ro: only read-only commands may run. */
static int
ctl_exec(const char *line, int ro, struct buf *ans, struct show_stream *st)
{
	struct cmd_line		 l;
	struct cmd_match	 m;
	struct show_req		 req = { ans, ctl.conf, ctl.started, st };

	if (cmd_split(line, &l) == -1) {
		show_printf(ans, "%% Too many words\n");
		return 1;
	}
	if (l.n == 0)
		return 0;
	if (cmd_match(&ctl_commands, &l, &m) != CMD_OK) {
		ctl_no_match(line, &m, ans);
		return 1;
	}
	if (ro && !(m.entry->flags & CMD_F_RO)) {
		show_printf(ans, "%% Command not allowed on the read-only "
		    "socket\n");
		return 1;
	}
	return m.entry->run(&m, &req);
}

/* --------------------------------------------------------------- clients */

static void	ctl_client_free(struct ctl_client *);

static void
ctl_want_write(struct ctl_client *c)
{
	if (buf_len(&c->out) > 0 || c->stream.more != NULL)
		event_add(c->ev_write, NULL);
}

/* Stop reading; the client goes once what it is owed is written. */
static void
ctl_client_finish(struct ctl_client *c)
{
	c->closing = 1;
	event_del(c->ev_read);
	if (buf_len(&c->out) == 0)
		ctl_client_free(c);
	else
		ctl_want_write(c);
}

/* A malformed frame: say why in an error answer, then hang up. */
static void
ctl_client_fail(struct ctl_client *c, const char *why)
{
	char	 msg[128];
	int	 n;

	log_warnx("control client fd %d: %s", c->fd, why);
	n = snprintf(msg, sizeof(msg), "%% Malformed request: %s\n", why);
	ctl_frame_put(&c->out, CTL_DATA, msg, (size_t)n);
	ctl_end_put(&c->out, 1);
	ctl_client_finish(c);
}

/* After an answer was queued: -1 (and the client dropped) if it does not
 * read what it already asked for. */
static int
ctl_queued(struct ctl_client *c)
{
	if (buf_error(&c->out) || buf_len(&c->out) > CTL_MAX_QUEUED) {
		log_warnx("control client fd %d not reading its answers "
		    "(%zu bytes queued), disconnecting", c->fd,
		    buf_len(&c->out));
		ctl_client_free(c);
		return -1;
	}
	return 0;
}

static void
ctl_stream_end(struct ctl_client *c)
{
	if (c->stream.more == NULL)
		return;
	c->stream.free(c->stream.arg);
	memset(&c->stream, 0, sizeof(c->stream));
	event_del(c->ev_stall);
}

/* Frame what c->ans holds, and the END with status once the answer is
 * complete.  -1: the client is gone. */
static int
ctl_answer_put(struct ctl_client *c, int status)
{
	if (buf_error(&c->ans)) {
		/* One chunk, or a whole answer that cannot stream. */
		ctl_stream_end(c);
		buf_reset(&c->ans);
		show_printf(&c->ans, "%% Answer too long\n");
		status = 1;
	}
	if (buf_len(&c->ans) > 0 || c->stream.more == NULL)
		ctl_frame_put(&c->out, CTL_DATA, buf_data(&c->ans),
		    buf_len(&c->ans));
	if (c->stream.more == NULL)
		ctl_end_put(&c->out, (uint16_t)status);
	return ctl_queued(c);
}

/* Run one request and queue its framed answer, or the first part of a
 * streaming one.  -1: the client is gone. */
static int
ctl_request(struct ctl_client *c, const char *line)
{
	struct timeval	 tv = { CTL_STALL_SECS, 0 };
	int		 status;

	buf_reset(&c->ans);
	memset(&c->stream, 0, sizeof(c->stream));
	status = ctl_exec(line, c->ro, &c->ans, &c->stream);
	if (c->stream.more != NULL)
		event_add(c->ev_stall, &tv);
	return ctl_answer_put(c, status);
}

/* The next chunk of a streaming answer.  -1: the client is gone. */
static int
ctl_stream_more(struct ctl_client *c)
{
	int	 status = 0;

	buf_reset(&c->ans);
	if (c->stream.more(c->stream.arg, &c->ans, &status) == 0)
		ctl_stream_end(c);
	return ctl_answer_put(c, status);
}

/* The command table, as much of it as this client may run.  -1: the
 * client is gone. */
static int
ctl_describe(struct ctl_client *c)
{
	const struct cmd_entry	*e;
	size_t			 k;

	for (k = 0; k < ctl_commands.n; k++) {
		e = &ctl_commands.entries[k];
		if (!c->ro || (e->flags & CMD_F_RO))
			ctl_entry_put(&c->out, (uint16_t)e->flags, e->words,
			    e->help);
	}
	ctl_end_put(&c->out, 0);
	return ctl_queued(c);
}

/* Handle every complete frame in c->in.  -1 if the client is gone. */
static int
ctl_client_frames(struct ctl_client *c)
{
	struct ctl_frame f;
	const char	*err;
	int		 r = 0;

	/* A streaming answer goes out whole before the next request. */
	while (c->stream.more == NULL &&
	    (r = ctl_frame_get(&c->in, CTL_MAX_REQ, &f, &err)) == 1) {
		if (f.type == CTL_REQUEST)
			r = ctl_request(c, (const char *)f.payload);
		else if (f.type == CTL_DESCRIBE)
			r = ctl_describe(c);
		else {
			ctl_client_fail(c, "unexpected frame type");
			return -1;
		}
		if (r == -1)
			return -1;
	}
	if (r == -1) {
		ctl_client_fail(c, err);
		return -1;
	}
	buf_drain(&c->in, c->in.rpos);
	/* Nothing more is read while an answer streams: a client that
	 * pipelines requests waits, its requests stay in c->in. */
	if (c->stream.more != NULL)
		event_del(c->ev_read);
	return 0;
}

static void
ctl_client_read(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client	*c = arg;
	uint8_t			 tmp[CTL_READ_CHUNK];
	ssize_t			 n;

	n = read(fd, tmp, sizeof(tmp));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1)
		log_warn("control client fd %d: read", fd);
	if (n <= 0) {
		if (n == 0 && buf_len(&c->out) > 0)
			ctl_client_finish(c);
		else
			ctl_client_free(c);
		return;
	}
	buf_put(&c->in, tmp, (size_t)n);
	if (buf_error(&c->in)) {
		ctl_client_fail(c, "input overflow");
		return;
	}
	if (ctl_client_frames(c) == 0)
		ctl_want_write(c);
}

/* A streaming answer is complete: read again, and answer whatever the
 * client sent meanwhile. */
static void
ctl_client_resume(struct ctl_client *c)
{
	if (c->closing)
		return;
	if (event_add(c->ev_read, NULL) == -1) {
		ctl_client_free(c);
		return;
	}
	if (ctl_client_frames(c) == 0)
		ctl_want_write(c);
}

static void
ctl_client_stall(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client	*c = arg;

	log_warnx("control client fd %d: has read nothing of its answer "
	    "for %d s, disconnecting", c->fd, CTL_STALL_SECS);
	ctl_client_free(c);
}

static void
ctl_client_write(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client	*c = arg;
	ssize_t			 n;

	n = send(fd, buf_data(&c->out), buf_len(&c->out), MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n == -1) {
		if (errno != EPIPE && errno != ECONNRESET)
			log_warn("control client fd %d: write", fd);
		ctl_client_free(c);
		return;
	}
	buf_drain(&c->out, (size_t)n);
	if (c->stream.more != NULL) {
		struct timeval	 tv = { CTL_STALL_SECS, 0 };

		event_add(c->ev_stall, &tv);	/* it reads: not stalled */
		if (buf_len(&c->out) < CTL_LOW_WATER &&
		    ctl_stream_more(c) == -1)
			return;
		if (c->stream.more == NULL)
			ctl_client_resume(c);
		return;		/* more to write or render: stay armed */
	}
	if (buf_len(&c->out) > 0)
		return;
	event_del(c->ev_write);
	if (c->closing)
		ctl_client_free(c);
}

static void
ctl_client_free(struct ctl_client *c)
{
	TAILQ_REMOVE(&ctl.clients, c, entry);
	ctl.nclients--;
	ctl_stream_end(c);
	if (c->ev_stall != NULL)
		event_free(c->ev_stall);
	if (c->ev_read != NULL)
		event_free(c->ev_read);
	if (c->ev_write != NULL)
		event_free(c->ev_write);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->ans);
	free(c);
}

/* Takes fd: it is closed on failure. */
static int
ctl_client_new(int fd, int ro)
{
	struct ctl_client	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->ro = ro;
	TAILQ_INSERT_TAIL(&ctl.clients, c, entry);
	ctl.nclients++;
	/* One partial request plus one read()'s worth is all in can hold:
	 * a request is handled as soon as it is complete. */
	if (buf_init(&c->in, CTL_READ_CHUNK, CTL_MAX_REQ + CTL_READ_CHUNK) ||
	    buf_init(&c->out, CTL_READ_CHUNK, 2 * CTL_MAX_QUEUED) ||
	    buf_init(&c->ans, CTL_READ_CHUNK, CTL_MAX_QUEUED) ||
	    (c->ev_read = event_new(ctl.base, fd, EV_READ | EV_PERSIST,
	    ctl_client_read, c)) == NULL ||
	    (c->ev_write = event_new(ctl.base, fd, EV_WRITE | EV_PERSIST,
	    ctl_client_write, c)) == NULL ||
	    (c->ev_stall = evtimer_new(ctl.base, ctl_client_stall, c)) ==
	    NULL ||
	    event_add(c->ev_read, NULL) == -1) {
		ctl_client_free(c);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- listen */

static void
ctl_listeners_add(void)
{
	if (ctl.rw.ev != NULL)
		event_add(ctl.rw.ev, NULL);
	if (ctl.ro.ev != NULL)
		event_add(ctl.ro.ev, NULL);
}

static void
ctl_resume(evutil_socket_t fd, short ev, void *arg)
{
	ctl_listeners_add();
}

/* Out of descriptors: stop accepting for a second rather than spin. */
static void
ctl_pause(void)
{
	struct timeval	 tv = { 1, 0 };

	if (ctl.rw.ev != NULL)
		event_del(ctl.rw.ev);
	if (ctl.ro.ev != NULL)
		event_del(ctl.ro.ev);
	evtimer_add(ctl.ev_pause, &tv);
}

static void
ctl_accept(evutil_socket_t lfd, short ev, void *arg)
{
	const struct ctl_listener	*l = arg;
	int				 fd;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			log_warn("control socket %s: accept", l->path);
			ctl_pause();
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("control socket %s: accept", l->path);
		return;
	}
	if (ctl.nclients >= CTL_MAX_CLIENTS) {
		log_warnx("control socket: %d clients already, refusing one",
		    ctl.nclients);
		close(fd);
		return;
	}
	if (ctl_client_new(fd, l->ro) == -1)
		log_warn("control socket: new client");
}

/* The socket's directory, created if missing (a tmpfs /run is empty at
 * boot). */
static int
ctl_mkdir(const char *path)
{
	char	 dir[sizeof(ctl.rw.path)], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("control socket directory %s", dir);
		return -1;
	}
	return 0;
}

/* Refuse to steal the socket of a running daemon; remove a dead one's. */
static int
ctl_unlink_stale(const struct sockaddr_un *sun)
{
	struct stat	 st;
	int		 fd, live;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("%s exists and is not a socket", sun->sun_path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	if (live) {
		log_warnx("control socket %s is in use by another process",
		    sun->sun_path);
		return -1;
	}
	return unlink(sun->sun_path);
}

static int
ctl_listen(const struct sockaddr_un *sun, mode_t mode)
{
	mode_t	 old;
	int	 fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/* The mode is right from the start: no window where anyone may
	 * connect before the chmod. */
	old = umask(~mode & 0777);
	if (bind(fd, (const struct sockaddr *)sun, sizeof(*sun)) == -1) {
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(sun->sun_path, mode) == -1 || listen(fd, 16) == -1) {
		close(fd);
		unlink(sun->sun_path);
		return -1;
	}
	return fd;
}

static void
ctl_listener_close(struct ctl_listener *l)
{
	if (l->fd == -1)
		return;
	if (l->ev != NULL)
		event_free(l->ev);
	l->ev = NULL;
	close(l->fd);
	l->fd = -1;
	unlink(l->path);
}

/* The state both sockets share, made by whichever opens first. */
static int
ctl_common(struct event_base *base)
{
	char	 why[128];

	if (ctl.base != NULL)
		return 0;
	/* A table the matcher cannot read is a bug: refuse to start. */
	if (cmd_table_check(&ctl_commands, why, sizeof(why)) == -1)
		fatalx("control command table: %s", why);
	if ((ctl.ev_pause = evtimer_new(base, ctl_resume, NULL)) == NULL)
		return -1;
	ctl.base = base;
	ctl.started = show_now();
	return 0;
}

static int
ctl_open(struct ctl_listener *l, struct event_base *base, const char *path,
    mode_t mode)
{
	struct sockaddr_un	 sun;

	if (l->fd != -1) {
		log_warnx("control socket %s: already open", l->path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	if (ctl_common(base) == -1 || ctl_mkdir(path) == -1 ||
	    ctl_unlink_stale(&sun) == -1)
		return -1;
	if ((l->fd = ctl_listen(&sun, mode)) == -1) {
		log_warn("control socket %s", path);
		return -1;
	}
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->ev = event_new(base, l->fd, EV_READ | EV_PERSIST, ctl_accept, l);
	if (l->ev == NULL || event_add(l->ev, NULL) == -1) {
		log_warnx("control socket %s: cannot register events", path);
		ctl_listener_close(l);
		return -1;
	}
	return 0;
}

int
ctl_init(struct event_base *base, const char *path)
{
	return ctl_open(&ctl.rw, base, path, 0660);
}

int
ctl_init_ro(struct event_base *base, const char *path)
{
	return ctl_open(&ctl.ro, base, path, 0666);
}

int
ctl_nclients(void)
{
	return ctl.nclients;
}

void
ctl_set_config(const struct bgpd_config *conf)
{
	ctl.conf = conf;
}

void
ctl_shutdown(void)
{
	struct ctl_client	*c;

	while ((c = TAILQ_FIRST(&ctl.clients)) != NULL)
		ctl_client_free(c);
	ctl_listener_close(&ctl.rw);
	ctl_listener_close(&ctl.ro);
	if (ctl.ev_pause != NULL)
		event_free(ctl.ev_pause);
	ctl.ev_pause = NULL;
	ctl.base = NULL;
}
