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
 * blocks on a client: one that stops reading is dropped once more than
 * its socket's queue limit waits for it, or when an answer has not moved
 * for CTL_STALL_SECS.
 *
 * Neither socket can lock the other out, and no user can take a socket
 * for himself (the peer's uid from SO_PEERCRED): each socket has its own
 * client limit, the read-write one keeps CTL_RW_KEPT places for root and
 * the daemon's own user, every other user may hold CTL_PER_UID
 * connections per socket, and a client that sends nothing for its
 * socket's idle time is closed.  The memory of answers is bounded too:
 * a streaming answer (a command flagged CMD_F_STREAM) holds a snapshot of
 * a table, so each socket runs at most CTL_STREAMS of them at once, and
 * other users one each; a further one waits, its client not read, until
 * one ends.  A refused connection is told why in an answer before it is
 * closed.
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
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
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

#define CTL_RW_MAX	16		/* clients of the read-write socket */
#define CTL_RW_KEPT	2		/* of those, for root and our user */
#define CTL_RO_MAX	32		/* clients of the read-only socket */
#define CTL_PER_UID	4		/* per socket, for any other user */
#define CTL_STREAMS	4		/* streaming answers per socket */
#define CTL_STREAMS_UID	1		/* per socket, for any other user */
#define CTL_RW_IDLE	600		/* seconds without a request */
#define CTL_RO_IDLE	60
#define CTL_RW_QUEUED	(4u * 1024 * 1024)	/* unread answer bytes */
#define CTL_RO_QUEUED	(1u * 1024 * 1024)
#define CTL_READ_CHUNK	4096
#define CTL_SMALL_BUF	(64u * 1024)	/* kept by an idle client */
#define CTL_LOW_WATER	(512u * 1024)	/* render more below this */
#define CTL_STALL_SECS	60		/* an answer not read: dropped */

struct ctl_listener;

struct ctl_client {
	TAILQ_ENTRY(ctl_client)	 entry;
	TAILQ_ENTRY(ctl_client)	 wentry;	/* on l->waiting */
	struct ctl_listener	*l;
	int			 fd;
	int			 ro;	/* came in on the read-only socket */
	uid_t			 uid;
	int			 trusted;	/* root or our own user */
	struct event		*ev_read;
	struct event		*ev_write;
	struct buf		 in;
	struct buf		 out;	/* framed answers not yet written */
	struct buf		 ans;	/* the answer being rendered */
	struct show_stream	 stream;	/* more == NULL: none */
	int			 streaming;	/* counted in l->nstreams */
	int			 waiting;	/* for a stream place */
	struct event		*ev_stall;
	struct event		*ev_idle;
	int			 closing;	/* close once out is written */
};
TAILQ_HEAD(ctl_client_head, ctl_client);

struct ctl_listener {
	int			 fd;
	int			 ro;
	int			 max;		/* clients */
	int			 idle;		/* seconds */
	size_t			 queued;	/* bytes a client may leave */
	int			 nclients;
	int			 nstreams;
	struct ctl_client_head	 waiting;	/* for a stream place */
	struct event		*ev;
	struct event		*ev_wake;	/* a stream place came free */
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct {
	struct event_base	*base;
	struct event		*ev_pause;
	struct ctl_listener	 rw;
	struct ctl_listener	 ro;
	struct ctl_client_head	 clients;
	time_t			 started;
	const struct bgpd_config *conf;
	uid_t			 trusted[2];	/* besides them: other users */
} ctl = {
	.rw = { .fd = -1, .ro = 0, .max = CTL_RW_MAX, .idle = CTL_RW_IDLE,
	    .queued = CTL_RW_QUEUED,
	    .waiting = TAILQ_HEAD_INITIALIZER(ctl.rw.waiting) },
	.ro = { .fd = -1, .ro = 1, .max = CTL_RO_MAX, .idle = CTL_RO_IDLE,
	    .queued = CTL_RO_QUEUED,
	    .waiting = TAILQ_HEAD_INITIALIZER(ctl.ro.waiting) },
	.clients = TAILQ_HEAD_INITIALIZER(ctl.clients),
	.trusted = { 0, 0 },
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

/* The entry line names, or NULL with the reason in ans (*status set).
 * ro: only read-only commands may run. */
static const struct cmd_entry *
ctl_lookup(const char *line, int ro, struct cmd_match *m, struct buf *ans,
    int *status)
{
	struct cmd_line		 l;

	*status = 1;
	if (cmd_split(line, &l) == -1) {
		show_printf(ans, "%% Too many words\n");
		return NULL;
	}
	if (l.n == 0) {
		*status = 0;
		return NULL;
	}
	if (cmd_match(&ctl_commands, &l, m) != CMD_OK) {
		ctl_no_match(line, m, ans);
		return NULL;
	}
	if (ro && !(m->entry->flags & CMD_F_RO)) {
		show_printf(ans, "%% Command not allowed on the read-only "
		    "socket\n");
		return NULL;
	}
	return m->entry;
}

/* Whether line names a command whose answer may stream. */
static int
ctl_streams(const char *line)
{
	struct cmd_line		 l;
	struct cmd_match	 m;

	return cmd_split(line, &l) == 0 && l.n > 0 &&
	    cmd_match(&ctl_commands, &l, &m) == CMD_OK &&
	    (m.entry->flags & CMD_F_STREAM);
}

/* Run one command line; the answer goes to ans, the status is returned. */
static int
ctl_exec(const char *line, int ro, struct buf *ans, struct show_stream *st)
{
	struct cmd_match	 m;
	struct show_req		 req = { ans, ctl.conf, ctl.started, st };
	int			 status;

	if (ctl_lookup(line, ro, &m, ans, &status) == NULL)
		return status;
	return m.entry->run(&m, &req);
}

/* --------------------------------------------------------------- clients */

static void	ctl_client_free(struct ctl_client *);

/* "fd 7 (uid 1000)": who a log line is about. */
static const char *
ctl_who(const struct ctl_client *c)
{
	static char	 who[48];

	snprintf(who, sizeof(who), "fd %d (uid %ld)", c->fd, (long)c->uid);
	return who;
}

/* An answer waits for the client: it must read it within CTL_STALL_SECS
 * (restarted whenever it reads some). */
static void
ctl_stall_arm(struct ctl_client *c)
{
	struct timeval	 tv = { CTL_STALL_SECS, 0 };

	event_add(c->ev_stall, &tv);
}

static void
ctl_idle_arm(struct ctl_client *c)
{
	struct timeval	 tv = { c->l->idle, 0 };

	event_add(c->ev_idle, &tv);
}

static void
ctl_want_write(struct ctl_client *c)
{
	if (buf_len(&c->out) > 0 || c->stream.more != NULL) {
		if (!evtimer_pending(c->ev_stall, NULL))
			ctl_stall_arm(c);
		event_add(c->ev_write, NULL);
	}
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

	log_warnx("control client %s: %s", ctl_who(c), why);
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
	if (buf_error(&c->out) || buf_len(&c->out) > c->l->queued) {
		log_warnx("control client %s not reading its answers "
		    "(%zu bytes queued), disconnecting", ctl_who(c),
		    buf_len(&c->out));
		ctl_client_free(c);
		return -1;
	}
	return 0;
}

/* Clients of l with c's uid, and of those the ones streaming. */
static void
ctl_uid_count(const struct ctl_listener *l, uid_t uid, int *n, int *streams)
{
	const struct ctl_client	*o;

	*n = *streams = 0;
	TAILQ_FOREACH(o, &ctl.clients, entry)
		if (o->l == l && o->uid == uid) {
			(*n)++;
			*streams += o->streaming;
		}
}

/* Whether c may start a streaming answer now. */
static int
ctl_stream_room(const struct ctl_client *c)
{
	int	 n, streams;

	if (c->l->nstreams >= CTL_STREAMS)
		return 0;
	if (c->trusted)
		return 1;
	ctl_uid_count(c->l, c->uid, &n, &streams);
	return streams < CTL_STREAMS_UID;
}

static void
ctl_stream_end(struct ctl_client *c)
{
	if (c->stream.more == NULL)
		return;
	c->stream.free(c->stream.arg);
	memset(&c->stream, 0, sizeof(c->stream));
	if (c->streaming) {
		c->streaming = 0;
		c->l->nstreams--;
		/* The waiting clients are looked at in a turn of their own,
		 * not from inside whatever ended this one. */
		if (!TAILQ_EMPTY(&c->l->waiting))
			event_active(c->l->ev_wake, 0, 0);
#ifdef HAVE_MALLOC_TRIM
		/* A table's snapshot was big: give it back to the
		 * system once no answer streams. */
		if (ctl.rw.nstreams == 0 && ctl.ro.nstreams == 0)
			malloc_trim(0);
#endif
	}
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
	int	 status;

	buf_reset(&c->ans);
	memset(&c->stream, 0, sizeof(c->stream));
	status = ctl_exec(line, c->ro, &c->ans, &c->stream);
	if (c->stream.more != NULL) {
		c->streaming = 1;
		c->l->nstreams++;
		ctl_stall_arm(c);
	}
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

/* A request for a streaming answer and no place for it: the request
 * stays in c->in, c is not read until ctl_wake() gives it its turn. */
static void
ctl_client_wait(struct ctl_client *c, size_t rpos)
{
	c->in.rpos = rpos;
	c->waiting = 1;
	TAILQ_INSERT_TAIL(&c->l->waiting, c, wentry);
	event_del(c->ev_read);
	event_del(c->ev_idle);
}

/* One frame of c->in.  1: go on, 0: c waits, -1: c is gone. */
static int
ctl_client_frame(struct ctl_client *c, const struct ctl_frame *f,
    size_t rpos)
{
	if (f->type == CTL_REQUEST) {
		if (ctl_streams((const char *)f->payload) &&
		    !ctl_stream_room(c)) {
			ctl_client_wait(c, rpos);
			return 0;
		}
		return ctl_request(c, (const char *)f->payload) == -1 ? -1 : 1;
	}
	if (f->type == CTL_DESCRIBE)
		return ctl_describe(c) == -1 ? -1 : 1;
	ctl_client_fail(c, "unexpected frame type");
	return -1;
}

/* Handle every complete frame in c->in.  -1 if the client is gone. */
static int
ctl_client_frames(struct ctl_client *c)
{
	struct ctl_frame f;
	const char	*err;
	size_t		 rpos = c->in.rpos;
	int		 r = 0;

	/* A streaming answer goes out whole before the next request. */
	while (c->stream.more == NULL && !c->waiting &&
	    (r = ctl_frame_get(&c->in, CTL_MAX_REQ, &f, &err)) == 1) {
		if ((r = ctl_client_frame(c, &f, rpos)) == -1)
			return -1;
		rpos = c->in.rpos;
	}
	if (r == -1) {
		ctl_client_fail(c, err);
		return -1;
	}
	buf_drain(&c->in, c->in.rpos);
	/* Nothing more is read while an answer streams or waits to: a
	 * client that pipelines requests waits, its requests stay in c->in. */
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
		log_warn("control client %s: read", ctl_who(c));
	if (n <= 0) {
		if (n == 0 && buf_len(&c->out) > 0)
			ctl_client_finish(c);
		else
			ctl_client_free(c);
		return;
	}
	ctl_idle_arm(c);
	buf_put(&c->in, tmp, (size_t)n);
	if (buf_error(&c->in)) {
		ctl_client_fail(c, "input overflow");
		return;
	}
	if (ctl_client_frames(c) == 0)
		ctl_want_write(c);
}

/* A streaming answer is complete, or a waiting client got its turn:
 * read again, and answer whatever the client sent meanwhile. */
static void
ctl_client_resume(struct ctl_client *c)
{
	if (c->closing)
		return;
	if (event_add(c->ev_read, NULL) == -1) {
		ctl_client_free(c);
		return;
	}
	ctl_idle_arm(c);
	if (ctl_client_frames(c) == 0)
		ctl_want_write(c);
}

/* Stream places came free on l: the waiting clients in turn, as long as
 * there is room (one that may not start yet stays first). */
static void
ctl_wake(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_listener	*l = arg;
	struct ctl_client	*c, *next;

	for (c = TAILQ_FIRST(&l->waiting); c != NULL &&
	    l->nstreams < CTL_STREAMS; c = next) {
		next = TAILQ_NEXT(c, wentry);
		if (!ctl_stream_room(c))
			continue;
		TAILQ_REMOVE(&l->waiting, c, wentry);
		c->waiting = 0;
		ctl_client_resume(c);
		/* c may be gone, and with it nothing else. */
	}
}

static void
ctl_client_stall(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client	*c = arg;

	log_warnx("control client %s: has read nothing of its answer "
	    "for %d s, disconnecting", ctl_who(c), CTL_STALL_SECS);
	ctl_client_free(c);
}

/* Nothing asked for the socket's idle time: closed (the shell connects
 * again by itself).  A client with an answer under way is not idle. */
static void
ctl_client_idle(evutil_socket_t fd, short ev, void *arg)
{
	struct ctl_client	*c = arg;

	if (c->stream.more != NULL || c->waiting || buf_len(&c->out) > 0) {
		ctl_idle_arm(c);
		return;
	}
	log_info("control client %s: idle for %d s, closed", ctl_who(c),
	    c->l->idle);
	ctl_client_free(c);
}

/* All written: an idle client keeps no big buffer from its last
 * answer. */
static void
ctl_client_shrink(struct ctl_client *c)
{
	size_t	 max;

	if (c->out.size > CTL_SMALL_BUF) {
		max = c->out.max;
		buf_free(&c->out);
		(void)buf_init(&c->out, CTL_READ_CHUNK, max);
	}
	if (c->ans.size > CTL_SMALL_BUF) {
		max = c->ans.max;
		buf_free(&c->ans);
		(void)buf_init(&c->ans, CTL_READ_CHUNK, max);
	}
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
			log_warn("control client %s: write", ctl_who(c));
		ctl_client_free(c);
		return;
	}
	buf_drain(&c->out, (size_t)n);
	ctl_stall_arm(c);		/* it reads: not stalled */
	if (c->stream.more != NULL) {
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
	event_del(c->ev_stall);
	if (c->closing)
		ctl_client_free(c);
	else
		ctl_client_shrink(c);
}

static void
ctl_client_free(struct ctl_client *c)
{
	TAILQ_REMOVE(&ctl.clients, c, entry);
	if (c->waiting)
		TAILQ_REMOVE(&c->l->waiting, c, wentry);
	c->l->nclients--;
	ctl_stream_end(c);
	if (c->ev_stall != NULL)
		event_free(c->ev_stall);
	if (c->ev_idle != NULL)
		event_free(c->ev_idle);
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
ctl_client_new(int fd, struct ctl_listener *l, uid_t uid, int trusted)
{
	struct ctl_client	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->l = l;
	c->ro = l->ro;
	c->uid = uid;
	c->trusted = trusted;
	TAILQ_INSERT_TAIL(&ctl.clients, c, entry);
	l->nclients++;
	/* One partial request plus one read()'s worth is all in can hold:
	 * a request is handled as soon as it is complete. */
	if (buf_init(&c->in, CTL_READ_CHUNK, CTL_MAX_REQ + CTL_READ_CHUNK) ||
	    buf_init(&c->out, CTL_READ_CHUNK, 2 * l->queued) ||
	    buf_init(&c->ans, CTL_READ_CHUNK, l->queued) ||
	    (c->ev_read = event_new(ctl.base, fd, EV_READ | EV_PERSIST,
	    ctl_client_read, c)) == NULL ||
	    (c->ev_write = event_new(ctl.base, fd, EV_WRITE | EV_PERSIST,
	    ctl_client_write, c)) == NULL ||
	    (c->ev_stall = evtimer_new(ctl.base, ctl_client_stall, c)) ==
	    NULL ||
	    (c->ev_idle = evtimer_new(ctl.base, ctl_client_idle, c)) == NULL ||
	    event_add(c->ev_read, NULL) == -1) {
		ctl_client_free(c);
		return -1;
	}
	ctl_idle_arm(c);
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

/* The peer's uid (SO_PEERCRED); -1 if the kernel will not say. */
static uid_t
ctl_peer_uid(int fd)
{
	struct ucred	 cr;
	socklen_t	 len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
	    len != sizeof(cr))
		return (uid_t)-1;
	return cr.uid;
}

static int
ctl_trusted(uid_t uid)
{
	return uid != (uid_t)-1 && (uid == ctl.trusted[0] ||
	    uid == ctl.trusted[1]);
}

/* Why a new client of l with uid may not come in, or NULL. */
static const char *
ctl_admit(const struct ctl_listener *l, uid_t uid, int trusted,
    char *why, size_t len)
{
	int	 n, streams;

	if (l->nclients >= l->max)
		snprintf(why, len, "%d clients already", l->nclients);
	else if (!l->ro && !trusted && l->nclients >= l->max - CTL_RW_KEPT)
		snprintf(why, len, "%d clients already, the last %d places "
		    "are kept for root and the daemon's user", l->nclients,
		    CTL_RW_KEPT);
	else {
		if (trusted)
			return NULL;
		ctl_uid_count(l, uid, &n, &streams);
		if (n < CTL_PER_UID)
			return NULL;
		snprintf(why, len, "uid %ld has %d connections already (%d "
		    "at most)", (long)uid, n, CTL_PER_UID);
	}
	return why;
}

/* Tell a refused client why, in an answer of its own, and close it.  A
 * fresh socket has room for these few bytes. */
static void
ctl_refuse(int fd, const struct ctl_listener *l, const char *why)
{
	struct buf	 b;
	char		 msg[256];
	int		 n;

	log_warnx("control socket %s: %s, refusing a connection", l->path,
	    why);
	n = snprintf(msg, sizeof(msg), "%% tbgpd: too many connections to "
	    "%s: %s; try again later\n", l->path, why);
	if (n > 0 && buf_init(&b, 512, 4096) == 0) {
		ctl_frame_put(&b, CTL_DATA, msg, strnlen(msg, sizeof(msg)));
		ctl_end_put(&b, 1);
		(void)send(fd, buf_data(&b), buf_len(&b), MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		buf_free(&b);
	}
	close(fd);
}

static void
ctl_accept(evutil_socket_t lfd, short ev, void *arg)
{
	struct ctl_listener	*l = arg;
	char			 why[160];
	const char		*no;
	uid_t			 uid;
	int			 fd, trusted;

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
	uid = ctl_peer_uid(fd);
	trusted = ctl_trusted(uid);
	if ((no = ctl_admit(l, uid, trusted, why, sizeof(why))) != NULL) {
		ctl_refuse(fd, l, no);
		return;
	}
	if (ctl_client_new(fd, l, uid, trusted) == -1)
		log_warn("control socket %s: new client", l->path);
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
	if (l->ev_wake != NULL)
		event_free(l->ev_wake);
	l->ev = l->ev_wake = NULL;
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
	/* Never limited per user: root, and the user tbgpd runs as (after
	 * the privilege drop, or under systemd from the start: the unit's
	 * ExecReload runs tbgpsh as that user). */
	ctl.trusted[0] = 0;
	ctl.trusted[1] = geteuid();
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
	l->ev_wake = event_new(base, -1, 0, ctl_wake, l);
	if (l->ev == NULL || l->ev_wake == NULL ||
	    event_add(l->ev, NULL) == -1) {
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

void
ctl_set_idle(int rw, int ro)
{
	ctl.rw.idle = rw;
	ctl.ro.idle = ro;
}

void
ctl_counts(int ro, struct ctl_counts *n)
{
	const struct ctl_listener	*l = ro ? &ctl.ro : &ctl.rw;
	const struct ctl_client		*c;

	memset(n, 0, sizeof(*n));
	n->clients = l->nclients;
	n->streams = l->nstreams;
	TAILQ_FOREACH(c, &ctl.clients, entry)
		if (c->l == l) {
			n->waiting += c->waiting;
			n->queued += buf_len(&c->out) + buf_len(&c->ans);
			n->held += c->out.size + c->ans.size + c->in.size;
		}
}

void
ctl_set_trusted(uid_t a, uid_t b)
{
	ctl.trusted[0] = a;
	ctl.trusted[1] = b;
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
