/*
 * tbgpsh: the operator's shell for tbgpd.
 *
 * Owns the options and the two ways to run without a person at the
 * keyboard: -c commands in order, and command lines on a standard input
 * that is not a terminal.  Either way each line is sent as it is and
 * the daemon matches it (abbreviations, errors with their marker), so a
 * script gets the same answers as the interactive shell; the exit status
 * is 1 if any command failed.  On a terminal, sh_edit.c takes over.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgpd.h"
#include "tbgpsh.h"

#define MAX_CMDS	64

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tbgpsh [-s socket] [-c command]...\n");
	exit(2);
}

static int
sh_is_exit(const char *line)
{
	char	 w[16];

	if (sscanf(line, " %15s", w) != 1)
		return 0;
	return strcmp(w, "exit") == 0 || strcmp(w, "quit") == 0;
}

/* Lines from a pipe or a file: no prompt, no editing. */
static int
sh_script(struct conn *c)
{
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 failed = 0, r;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (sh_is_exit(line))
			break;
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if ((r = conn_run(c, line)) == -1) {
			failed = 1;
			break;
		}
		failed |= r;
	}
	free(line);
	return failed;
}

static int
sh_commands(struct conn *c, const char **cmds, int ncmds)
{
	int	 i, r, failed = 0;

	for (i = 0; i < ncmds; i++) {
		if ((r = conn_run(c, cmds[i])) == -1)
			return 1;
		failed |= r;
	}
	return failed;
}

int
main(int argc, char *argv[])
{
	const char	*cmds[MAX_CMDS], *path = DEFAULT_CTLSOCK;
	struct conn	 c;
	int		 ch, ncmds = 0, status;

	while ((ch = getopt(argc, argv, "c:s:")) != -1) {
		switch (ch) {
		case 'c':
			if (ncmds == MAX_CMDS)
				usage();
			cmds[ncmds++] = optarg;
			break;
		case 's':
			path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (conn_open(&c, path) == -1)
		return 1;
	if (ncmds > 0)
		status = sh_commands(&c, cmds, ncmds);
	else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		status = edit_session(&c, path);
	else
		status = sh_script(&c);
	conn_close(&c);
	return status;
}
