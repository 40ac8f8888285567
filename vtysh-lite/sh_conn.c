/*
 * sh_conn: tbgpsh's side of the control socket.
 *
 * Owns the connection to tbgpd and the reading of answers: a request
 * (a command line, or DESCRIBE for the command table) is one frame, its
 * answer the frames up to an END, each checked by lib/ctlproto before
 * its payload is looked at.  Also owns the shell's copy of the table,
 * which lives as long as the connection it came from.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctlproto.h"
#include "tbgpsh.h"

#define CONN_READ	16384

/* What an answer's frames are handed to; -1 stops with an error. */
typedef int (*conn_frame_fn)(const struct ctl_frame *, void *arg);

int
conn_open(struct conn *c, const char *path)
{
	struct sockaddr_un	 sun;

	c->fd = -1;
	c->path = path;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		fprintf(stderr, "tbgpsh: socket path too long: %s\n", path);
		return -1;
	}
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "tbgpsh: cannot connect to %s: %s\n", path,
		    strerror(errno));
		if (c->fd != -1)
			close(c->fd);
		c->fd = -1;
		return -1;
	}
	if (buf_init(&c->in, CONN_READ, 2 * CTL_MAX_FRAME) == -1) {
		fprintf(stderr, "tbgpsh: out of memory\n");
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void
conn_close(struct conn *c)
{
	if (c->fd == -1)
		return;
	close(c->fd);
	c->fd = -1;
	buf_free(&c->in);
}

static int
conn_write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int	conn_answer(struct conn *, conn_frame_fn, void *);
static int	conn_print(const struct ctl_frame *, void *);

/*
 * Before a request.  An answer nobody asked for is tbgpd saying why it
 * refused the connection (too many clients): printed, and -1.  A
 * connection tbgpd closed meanwhile (the shell sat idle longer than the
 * socket allows) is opened again, silently.
 */
static int
conn_ready(struct conn *c)
{
	struct pollfd	 pfd = { c->fd, POLLIN | POLLRDHUP, 0 };
	char		 b;
	ssize_t		 n;

	if (poll(&pfd, 1, 0) <= 0 ||
	    !(pfd.revents & (POLLIN | POLLHUP | POLLRDHUP | POLLERR)))
		return 0;
	n = recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n > 0) {
		(void)conn_answer(c, conn_print, NULL);
		fflush(stdout);
		return -1;
	}
	conn_close(c);
	return conn_open(c, c->path);
}

/* One frame: a request with line, or DESCRIBE when line is NULL. */
static int
conn_send(struct conn *c, const char *line)
{
	struct buf	 req;
	int		 r;

	if (c->fd == -1 || conn_ready(c) == -1)
		return -1;

	if (buf_init(&req, CTL_MAX_REQ, CTL_MAX_REQ) == -1)
		return -1;
	if (line != NULL)
		ctl_frame_put(&req, CTL_REQUEST, line, strlen(line) + 1);
	else
		ctl_describe_put(&req);
	if (buf_error(&req)) {
		fprintf(stderr, "tbgpsh: command too long\n");
		buf_free(&req);
		return -1;
	}
	r = conn_write_all(c->fd, buf_data(&req), buf_len(&req));
	if (r == -1 && (errno == EPIPE || errno == ECONNRESET)) {
		/* Refused as it connected: the answer says why. */
		(void)conn_answer(c, conn_print, NULL);
		fflush(stdout);
	} else if (r == -1)
		fprintf(stderr, "tbgpsh: send: %s\n", strerror(errno));
	buf_free(&req);
	return r;
}

/* The frames c->in holds: 1 with *status at the END, 0 for more, -1. */
static int
conn_frames(struct conn *c, conn_frame_fn fn, void *arg, int *status)
{
	struct ctl_frame f;
	struct buf	 v;
	const char	*err;
	uint16_t	 st;
	int		 r;

	while ((r = ctl_frame_get(&c->in, CTL_MAX_FRAME, &f, &err)) == 1) {
		if (f.type == CTL_END) {
			buf_view(&v, f.payload, f.len);
			if (buf_get_u16(&v, &st) == -1)
				return -1;
			*status = st;
			break;
		}
		if (fn(&f, arg) == -1)
			return -1;
	}
	if (r == -1)
		fprintf(stderr, "tbgpsh: bad answer: %s\n", err);
	buf_drain(&c->in, c->in.rpos);
	return r;
}

/* Read the answer to the last request.  Its END status, or -1. */
static int
conn_answer(struct conn *c, conn_frame_fn fn, void *arg)
{
	uint8_t	 tmp[CONN_READ];
	ssize_t	 n;
	int	 r, status = -1;

	for (;;) {
		if ((r = conn_frames(c, fn, arg, &status)) != 0)
			return r == 1 ? status : -1;
		if ((n = read(c->fd, tmp, sizeof(tmp))) == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "tbgpsh: connection to tbgpd lost\n");
			return -1;
		}
		buf_put(&c->in, tmp, (size_t)n);
		if (buf_error(&c->in))
			return -1;
	}
}

/* ------------------------------------------------------------- commands */

static int
conn_print(const struct ctl_frame *f, void *arg)
{
	if (f->type != CTL_DATA) {
		fprintf(stderr, "tbgpsh: unexpected frame from tbgpd\n");
		return -1;
	}
	fwrite(f->payload, 1, f->len, stdout);
	return 0;
}

int
conn_run(struct conn *c, const char *line)
{
	int	 status;

	if (conn_send(c, line) == -1)
		return -1;
	status = conn_answer(c, conn_print, NULL);
	fflush(stdout);
	return status == -1 ? -1 : status != 0;
}

/* ---------------------------------------------------------------- table */

static int
sh_table_run(const struct cmd_match *m, void *ctx)
{
	/* The daemon's entries are matched here, never run here. */
	return 1;
}

int
sh_table_add(struct sh_table *t, unsigned flags, const char *words,
    const char *help, cmd_handler run)
{
	struct cmd_entry	*e;

	if (t->n == CMD_MAX_ENTRIES)
		return -1;
	if ((e = reallocarray(t->e, t->n + 1, sizeof(*e))) == NULL)
		return -1;
	t->e = e;
	e += t->n;
	memset(e, 0, sizeof(*e));
	e->words = strdup(words);
	e->help = strdup(help);
	e->run = run != NULL ? run : sh_table_run;
	e->flags = flags;
	if (e->words == NULL || e->help == NULL) {
		free((char *)e->words);
		free((char *)e->help);
		return -1;
	}
	t->n++;
	t->t.entries = t->e;
	t->t.n = t->n;
	return 0;
}

void
sh_table_free(struct sh_table *t)
{
	size_t	 k;

	for (k = 0; k < t->n; k++) {
		free((char *)t->e[k].words);
		free((char *)t->e[k].help);
	}
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/* ENTRY frames fill the table; DATA is the daemon saying why not. */
static int
conn_entry(const struct ctl_frame *f, void *arg)
{
	struct sh_table	*t = arg;
	struct ctl_entry e;

	if (f->type == CTL_DATA) {
		fwrite(f->payload, 1, f->len, stderr);
		return 0;
	}
	if (ctl_entry_get(f, &e) == -1) {
		fprintf(stderr, "tbgpsh: unexpected frame from tbgpd\n");
		return -1;
	}
	if (sh_table_add(t, e.flags, e.words, e.help, NULL) == -1) {
		fprintf(stderr, "tbgpsh: command table too large\n");
		return -1;
	}
	return 0;
}

int
conn_describe(struct conn *c, struct sh_table *t)
{
	char	 why[128];
	int	 status;

	if (conn_send(c, NULL) == -1)
		return -1;
	status = conn_answer(c, conn_entry, t);
	if (status != 0)
		return -1;
	/* The shell trusts no table it cannot read the way the daemon
	 * does. */
	if (cmd_table_check(&t->t, why, sizeof(why)) == -1) {
		fprintf(stderr, "tbgpsh: tbgpd's command table: %s\n", why);
		return -1;
	}
	return 0;
}
