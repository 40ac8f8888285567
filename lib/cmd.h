/*
 * cmd: the command table and its matcher, shared by the daemon (to run a
 * line) and the shell (to complete it and explain it).  Nothing here
 * knows about BGP: a table is a list of entries, each a line of words.
 *
 * A word is one token or alternatives joined by '|'.  A token in lower
 * case is a keyword, which may be abbreviated to any unique prefix as in
 * vtysh; the others are arguments:
 *	A.B.C.D		an IPv4 address
 *	X:X::X:X	an IPv6 address
 *	WORD		anything
 *	(1-65535)	an integer in that range
 * An entry flagged CMD_F_JSON also takes an optional trailing "json".
 * Help is one line per token ('\n'-terminated), in the order of the words.
 */
#ifndef TB_CMD_H
#define TB_CMD_H

#include <stddef.h>

#define CMD_MAX_WORDS	16
#define CMD_MAX_LINE	4096
#define CMD_MAX_ENTRIES	128
#define CMD_MAX_CANDS	32
#define CMD_WORD_MAX	64	/* one word of a table entry */
#define CMD_HELP_MAX	96	/* one line of help */
/* An error with the line echoed (each byte at most 4 columns) and the
 * marker line under it. */
#define CMD_ERR_MAX	(5 * CMD_MAX_LINE + 64)

#define CMD_F_JSON	0x01	/* takes an optional trailing "json" */
#define CMD_F_RO	0x02	/* read-only: allowed on a monitor socket */
#define CMD_F_STREAM	0x04	/* its answer may stream (a whole table) */

#define CMD_JSON_HELP	"JavaScript Object Notation"
#define CMD_CR		"<cr>"	/* the candidate "the line may end here" */

struct cmd_match;

/* ctx is the caller's: the daemon passes its request. */
typedef int (*cmd_handler)(const struct cmd_match *, void *ctx);

struct cmd_entry {
	const char	*words;
	const char	*help;
	cmd_handler	 run;
	unsigned	 arg;		/* for run: which variant this is */
	unsigned	 flags;		/* CMD_F_* */
};

struct cmd_table {
	const struct cmd_entry	*entries;
	size_t			 n;
};

/* A line split into words; each w[] points into buf. */
struct cmd_line {
	int	 n;
	char	*w[CMD_MAX_WORDS];
	size_t	 off[CMD_MAX_WORDS];	/* column of each word in the line */
	int	 open;		/* the last word is still being typed */
	char	 buf[CMD_MAX_LINE];
};

enum cmd_status {
	CMD_OK = 0,
	CMD_UNKNOWN,
	CMD_AMBIGUOUS,
	CMD_INCOMPLETE,
};

struct cmd_match {
	enum cmd_status		 status;
	int			 at;	/* failing word (n: line too short) */
	const struct cmd_entry	*entry;
	int			 json;	/* the trailing "json" was given */
	int			 argc;	/* the words that filled arguments */
	const char		*argv[CMD_MAX_WORDS];
};

struct cmd_cand {
	char	 word[CMD_WORD_MAX];
	char	 help[CMD_HELP_MAX];
};

struct cmd_cands {
	enum cmd_status	 status;	/* UNKNOWN or AMBIGUOUS: see at */
	int		 at;
	int		 n;
	struct cmd_cand	 c[CMD_MAX_CANDS];
};

/* 0, or -1 if the line is too long or has too many words. */
int		 cmd_split(const char *, struct cmd_line *);
/* Which entry the words name (the line's open flag is ignored). */
enum cmd_status	 cmd_match(const struct cmd_table *, const struct cmd_line *,
		    struct cmd_match *);
/* What may come next: the keywords and arguments the open last word (or
 * an empty one after a blank) may become, CMD_CR where the line may end. */
enum cmd_status	 cmd_complete(const struct cmd_table *,
		    const struct cmd_line *, struct cmd_cands *);
const char	*cmd_status_str(enum cmd_status);
/*
 * The error for line as vtysh users read it, with a '^' under word at
 * (past the last word: the line is incomplete there):
 *	% Unknown command: show bgp foo
 *	                            ^
 * Bytes a terminal would act on are echoed as \xNN.  Returns the length
 * written to out, or -1 if it did not fit.
 */
int		 cmd_error_text(const char *line, enum cmd_status, int at,
		    char *out, size_t len);
/* 0 if every entry is well formed, else -1 with a reason in why. */
int		 cmd_table_check(const struct cmd_table *, char *why, size_t);

#endif
