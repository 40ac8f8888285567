/*
 * tbgpsh: the shell's modules.  sh_conn.c talks to tbgpd (one request,
 * its answer; the command table by DESCRIBE), sh_edit.c is the
 * interactive terminal (libedit: line editing, history, TAB and `?`
 * from that table), tbgpsh.c the options, -c and scripts on stdin.
 */
#ifndef TB_TBGPSH_H
#define TB_TBGPSH_H

#include <stddef.h>

#include "buf.h"
#include "cmd.h"

#define SH_PROMPT_NAME	"tbgpd"

struct conn {
	int		 fd;
	struct buf	 in;	/* answer bytes not yet framed */
	const char	*path;	/* to connect again (kept, not copied) */
};

/* The command table as the daemon described it, plus the shell's own
 * entries; every string is owned here. */
struct sh_table {
	struct cmd_entry	*e;
	size_t			 n;
	struct cmd_table	 t;	/* what lib/cmd reads: e and n */
};

/* 0, or -1 with the reason on stderr.  path is kept: a connection that
 * tbgpd closed while the shell waited (idle) is opened again before the
 * next request. */
int	conn_open(struct conn *, const char *path);
void	conn_close(struct conn *);
/* Run line and print its answer on stdout.  0 ok, 1 the command
 * failed, -1 the connection is broken (said on stderr). */
int	conn_run(struct conn *, const char *line);
/* Fetch the table into t (empty before).  0, or -1 (said on stderr):
 * the daemon would not describe it, and then hung up. */
int	conn_describe(struct conn *, struct sh_table *t);

/* Add an entry (strings copied; run marks the shell's own).  0 or -1. */
int	sh_table_add(struct sh_table *, unsigned flags, const char *words,
	    const char *help, cmd_handler run);
void	sh_table_free(struct sh_table *);

/* The interactive session on a terminal.  Returns the exit status. */
int	edit_session(struct conn *, const char *path);

#endif
