/*
 * tbgpsh: the operator's shell for tbgpd.  Sends each command line as one
 * request frame on the control socket and prints the DATA frames of the
 * answer until its END frame, whose status decides the exit code.  With
 * -c the commands run in order; without, lines are read from stdin (a
 * prompt is shown on a terminal).  Line editing, completion and `?` come
 * with the shared command table.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgpd.h"
#include "buf.h"
#include "ctlproto.h"

#define PROMPT		"tbgpd# "
#define MAX_CMDS	64

static const char	*sockpath = DEFAULT_CTLSOCK;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tbgpsh [-s socket] [-c command]...\n");
	exit(2);
}

static int
sh_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "tbgpsh: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "tbgpsh: cannot connect to %s: %s\n", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

static int
sh_write_all(int fd, const uint8_t *p, size_t len)
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

static int
sh_send(int fd, const char *line)
{
	struct buf	 req;
	int		 r;

	if (strlen(line) + 1 + CTL_HDR_LEN > CTL_MAX_REQ) {
		fprintf(stderr, "tbgpsh: command too long\n");
		return -1;
	}
	if (buf_init(&req, CTL_MAX_REQ, CTL_MAX_REQ) == -1)
		return -1;
	ctl_frame_put(&req, CTL_REQUEST, line, strlen(line) + 1);
	r = buf_error(&req) ? -1 : sh_write_all(fd, buf_data(&req),
	    buf_len(&req));
	if (r == -1)
		fprintf(stderr, "tbgpsh: send: %s\n", strerror(errno));
	buf_free(&req);
	return r;
}

/* One frame of the answer: DATA is printed, END gives the status.
 * Returns 1 on END, 0 to go on, -1 on error. */
static int
sh_frame(const struct ctl_frame *f, int *status)
{
	struct buf	 v;
	uint16_t	 st;

	if (f->type == CTL_DATA) {
		fwrite(f->payload, 1, f->len, stdout);
		return 0;
	}
	if (f->type != CTL_END) {
		fprintf(stderr, "tbgpsh: unexpected frame from tbgpd\n");
		return -1;
	}
	buf_view(&v, f->payload, f->len);
	if (buf_get_u16(&v, &st) == -1)
		return -1;
	*status = st;
	return 1;
}

/* Read frames until the END of the answer. Returns its status or -1. */
static int
sh_answer(int fd, struct buf *in)
{
	struct ctl_frame f;
	const char	*err;
	uint8_t		 tmp[16384];
	ssize_t		 n;
	int		 r, status = -1;

	for (;;) {
		while ((r = ctl_frame_get(in, CTL_MAX_FRAME, &f, &err)) == 1)
			if ((r = sh_frame(&f, &status)) != 0)
				break;
		if (r == -1 && err != NULL)
			fprintf(stderr, "tbgpsh: bad answer: %s\n", err);
		buf_drain(in, in->rpos);
		if (r != 0)
			return r == 1 ? status : -1;
		if ((n = read(fd, tmp, sizeof(tmp))) == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "tbgpsh: connection to tbgpd lost\n");
			return -1;
		}
		buf_put(in, tmp, (size_t)n);
		if (buf_error(in))
			return -1;
	}
}

/* Returns the command's status: 0 ok, 1 failed, -1 connection broken. */
static int
sh_run(int fd, struct buf *in, const char *line)
{
	int	 status;

	if (sh_send(fd, line) == -1)
		return -1;
	status = sh_answer(fd, in);
	fflush(stdout);
	return status == -1 ? -1 : status != 0;
}

static int
sh_is_exit(const char *line)
{
	char	 w[16];

	if (sscanf(line, " %15s", w) != 1)
		return 0;
	return strcmp(w, "exit") == 0 || strcmp(w, "quit") == 0;
}

static int
sh_interactive(int fd, struct buf *in)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n = 0;
	int	 tty = isatty(STDIN_FILENO), failed = 0, r;

	for (;;) {
		if (tty) {
			fputs(PROMPT, stdout);
			fflush(stdout);
		}
		if ((n = getline(&line, &cap, stdin)) == -1)
			break;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (sh_is_exit(line))
			break;
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if ((r = sh_run(fd, in, line)) == -1) {
			failed = 1;
			break;
		}
		failed |= r;
	}
	if (tty && n == -1)
		fputc('\n', stdout);
	free(line);
	return failed;
}

int
main(int argc, char *argv[])
{
	const char	*cmds[MAX_CMDS];
	struct buf	 in;
	int		 ch, ncmds = 0, i, fd, failed = 0, r;

	while ((ch = getopt(argc, argv, "c:s:")) != -1) {
		switch (ch) {
		case 'c':
			if (ncmds == MAX_CMDS)
				usage();
			cmds[ncmds++] = optarg;
			break;
		case 's':
			sockpath = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if ((fd = sh_connect(sockpath)) == -1)
		return 1;
	if (buf_init(&in, 16384, 2 * CTL_MAX_FRAME) == -1)
		return 1;
	for (i = 0; i < ncmds; i++) {
		if ((r = sh_run(fd, &in, cmds[i])) == -1) {
			failed = 1;
			break;
		}
		failed |= r;
	}
	if (ncmds == 0)
		failed = sh_interactive(fd, &in);
	buf_free(&in);
	close(fd);
	return failed ? 1 : 0;
}
