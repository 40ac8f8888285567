/*
 * sh_edit: tbgpsh on a terminal, as FRR's vtysh feels.
 *
 * Owns libedit (line editing, history in ~/.tbgpsh_history), the prompt
 * and the two keys that read the command table: TAB completes the word
 * at the cursor or lists what it may become, `?` lists what may come
 * next with each word's help and leaves the line as it was typed.  Both
 * work from the daemon's own table (DESCRIBE, fetched once per
 * connection) with lib/cmd, the matcher the daemon runs on Enter, so
 * what the shell offers is what the daemon accepts.  Enter sends the
 * line unchanged: abbreviations and the errors with their '^' marker are
 * the daemon's answer, the same for scripts and for people.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <ctype.h>
#include <errno.h>
#include <histedit.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tbgpsh.h"

#define EDIT_HIST_MAX	500		/* lines kept, in memory and file */
#define EDIT_HISTFILE	".tbgpsh_history"
#define EDIT_COLS	80		/* when the terminal does not say */

static struct {
	EditLine		*el;
	History			*hist;
	struct sh_table		 table;
	int			 have_table;
	char			 histfile[PATH_MAX];	/* "": none */
	volatile sig_atomic_t	 interrupted;
} ed;

/* The shell's own commands: matched here, never sent. */
static int
edit_quit(const struct cmd_match *m, void *ctx)
{
	return 0;
}

static char	 edit_prompt_text[64];

/* "host# " as vtysh shows it: the host name up to its first dot, bytes
 * a terminal would act on replaced; tbgpd's name if there is none. */
static void
edit_prompt_init(void)
{
	char	 host[256];
	size_t	 i;

	if (gethostname(host, sizeof(host)) == -1 || host[0] == '\0')
		snprintf(host, sizeof(host), "%s", SH_PROMPT_NAME);
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	for (i = 0; host[i] != '\0'; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '-' &&
		    host[i] != '_')
			host[i] = '?';
	snprintf(edit_prompt_text, sizeof(edit_prompt_text), "%.40s# ",
	    host);
}

static char *
edit_prompt(EditLine *el)
{
	return edit_prompt_text;
}

/* ------------------------------------------------------- the candidates */

/* A word TAB may insert: a keyword, not an argument or "<cr>". */
static int
edit_insertable(const char *word)
{
	return islower((unsigned char)word[0]) ||
	    isdigit((unsigned char)word[0]);
}

/* vtysh's order: alphabetical, "<cr>" last. */
static int
edit_cand_cmp(const void *a, const void *b)
{
	const struct cmd_cand	*x = a, *y = b;
	int			 xcr = strcmp(x->word, CMD_CR) == 0;
	int			 ycr = strcmp(y->word, CMD_CR) == 0;

	if (xcr != ycr)
		return xcr - ycr;
	return strcmp(x->word, y->word);
}

/*
 * What may follow the text up to the cursor (left in text, split in l).
 * A last word that leads nowhere is an unknown command there, as vtysh
 * says it.  -1 if the text is too long to complete at all.
 */
static int
edit_cands(char *text, struct cmd_line *l, struct cmd_cands *cc)
{
	const LineInfo	*li = el_line(ed.el);
	size_t		 n = (size_t)(li->cursor - li->buffer);

	if (n >= CMD_MAX_LINE)
		return -1;
	memcpy(text, li->buffer, n);
	text[n] = '\0';
	if (cmd_split(text, l) == -1)
		return -1;
	if (cmd_complete(&ed.table.t, l, cc) == CMD_OK && cc->n == 0) {
		cc->status = CMD_UNKNOWN;
		cc->at = l->n - 1;
	}
	qsort(cc->c, (size_t)cc->n, sizeof(cc->c[0]), edit_cand_cmp);
	return 0;
}

static void
edit_error(const char *text, const struct cmd_cands *cc)
{
	char	 msg[CMD_ERR_MAX];

	if (cmd_error_text(text, cc->status, cc->at, msg, sizeof(msg)) == -1)
		printf("%% %s\n", cmd_status_str(cc->status));
	else
		fputs(msg, stdout);
}

static size_t
edit_widest(const struct cmd_cands *cc)
{
	size_t	 w = 0;
	int	 i;

	for (i = 0; i < cc->n; i++)
		if (strlen(cc->c[i].word) > w)
			w = strlen(cc->c[i].word);
	return w;
}

/* ------------------------------------------------------------------- ? */

/* FRR's layout: "  summary    Summary of BGP neighbor status". */
static void
edit_list_help(const struct cmd_cands *cc)
{
	int	 i, w = (int)edit_widest(cc);

	for (i = 0; i < cc->n; i++) {
		if (cc->c[i].help[0] == '\0')
			printf("  %s\n", cc->c[i].word);
		else
			printf("  %-*s  %s\n", w, cc->c[i].word,
			    cc->c[i].help);
	}
}

static unsigned char
edit_help(EditLine *el, int ch)
{
	char		 text[CMD_MAX_LINE];
	struct cmd_line	 l;
	struct cmd_cands cc;

	if (!ed.have_table || edit_cands(text, &l, &cc) == -1)
		return CC_REFRESH_BEEP;
	putchar('\n');
	if (cc.status != CMD_OK)
		edit_error(text, &cc);
	else
		edit_list_help(&cc);
	fflush(stdout);
	return CC_REDISPLAY;
}

/* ----------------------------------------------------------------- TAB */

static int
edit_cols(void)
{
	struct winsize	 ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0)
		return EDIT_COLS;
	return ws.ws_col;
}

/* The words alone, in as many columns as the terminal is wide. */
static void
edit_list_words(const struct cmd_cands *cc)
{
	int	 i, w = (int)edit_widest(cc) + 2, per, cols = edit_cols();

	per = cols / w > 0 ? cols / w : 1;
	putchar('\n');
	for (i = 0; i < cc->n; i++)
		printf("%-*s%s", w, cc->c[i].word,
		    (i + 1) % per == 0 || i + 1 == cc->n ? "\n" : "");
	fflush(stdout);
}

/* How many leading bytes all candidates share, -1 if one of them is not
 * a keyword (the word may be anything then: nothing to insert). */
static int
edit_common(const struct cmd_cands *cc)
{
	size_t	 n;
	int	 i;

	if (cc->n == 0 || !edit_insertable(cc->c[0].word))
		return -1;
	n = strlen(cc->c[0].word);
	for (i = 1; i < cc->n; i++) {
		if (!edit_insertable(cc->c[i].word))
			return -1;
		while (n > 0 && strncmp(cc->c[0].word, cc->c[i].word, n) != 0)
			n--;
	}
	return (int)n;
}

/* Insert the rest of the word after the typed prefix; a space too when
 * the word is complete. */
static unsigned char
edit_insert(const char *word, size_t typed, size_t upto, int complete)
{
	char	 add[CMD_WORD_MAX + 1];

	snprintf(add, sizeof(add), "%.*s%s", (int)(upto - typed),
	    word + typed, complete ? " " : "");
	if (add[0] == '\0' || el_insertstr(ed.el, add) == -1)
		return CC_REFRESH_BEEP;
	return CC_REFRESH;
}

static unsigned char
edit_complete(EditLine *el, int ch)
{
	char		 text[CMD_MAX_LINE];
	struct cmd_line	 l;
	struct cmd_cands cc;
	size_t		 typed;
	int		 common;

	if (!ed.have_table || edit_cands(text, &l, &cc) == -1 ||
	    cc.status != CMD_OK)
		return CC_REFRESH_BEEP;
	typed = l.open ? strlen(l.w[l.n - 1]) : 0;
	common = edit_common(&cc);
	if (common >= 0 && cc.n == 1)
		return edit_insert(cc.c[0].word, typed, (size_t)common, 1);
	if (common >= 0 && (size_t)common > typed)
		return edit_insert(cc.c[0].word, typed, (size_t)common, 0);
	edit_list_words(&cc);
	return CC_REDISPLAY;
}

/* ------------------------------------------------------------- session */

static void
edit_sigint(int sig)
{
	ed.interrupted = 1;
}

static void
edit_history_init(void)
{
	HistEvent	 ev;
	const char	*home = getenv("HOME");
	int		 n;

	ed.hist = history_init();
	history(ed.hist, &ev, H_SETSIZE, EDIT_HIST_MAX);
	history(ed.hist, &ev, H_SETUNIQUE, 1);
	ed.histfile[0] = '\0';
	if (home == NULL || home[0] == '\0')
		return;
	n = snprintf(ed.histfile, sizeof(ed.histfile), "%s/%s", home,
	    EDIT_HISTFILE);
	if (n < 0 || (size_t)n >= sizeof(ed.histfile)) {
		ed.histfile[0] = '\0';
		return;
	}
	/* A first session has no file yet: not an error. */
	history(ed.hist, &ev, H_LOAD, ed.histfile);
}

/* Remember line, and write the file now: a shell killed with its
 * terminal keeps what was typed. */
static void
edit_history_add(const char *line)
{
	HistEvent	 ev;

	history(ed.hist, &ev, H_ENTER, line);
	if (ed.histfile[0] != '\0')
		history(ed.hist, &ev, H_SAVE, ed.histfile);
}

static int
edit_init(void)
{
	struct sigaction	 sa;

	/* No SA_RESTART: ^C ends el_gets, which then starts a new line. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = edit_sigint;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) == -1)
		return -1;
	if ((ed.el = el_init("tbgpsh", stdin, stdout, stderr)) == NULL)
		return -1;
	edit_history_init();
	el_set(ed.el, EL_EDITOR, "emacs");
	el_set(ed.el, EL_SIGNAL, 1);
	edit_prompt_init();
	el_set(ed.el, EL_PROMPT, edit_prompt);
	el_set(ed.el, EL_HIST, history, ed.hist);
	/* The wide form keeps the names as given; el_set's copies of them
	 * are never freed. */
	el_wset(ed.el, EL_ADDFN, L"tbgpsh-complete",
	    L"Complete the word or list what it may become", edit_complete);
	el_wset(ed.el, EL_ADDFN, L"tbgpsh-help",
	    L"List what may come next, with help", edit_help);
	el_set(ed.el, EL_BIND, "^I", "tbgpsh-complete", NULL);
	el_set(ed.el, EL_BIND, "?", "tbgpsh-help", NULL);
	/* ~/.editrc (or $EDITRC) last: the user's bindings win. */
	el_source(ed.el, NULL);
	return 0;
}

static void
edit_end(void)
{
	if (ed.el != NULL)
		el_end(ed.el);
	if (ed.hist != NULL)
		history_end(ed.hist);
	sh_table_free(&ed.table);
	ed.el = NULL;
	ed.hist = NULL;
	ed.have_table = 0;
}

/* The table of this connection.  Without one (a daemon that does not
 * describe, and hangs up on being asked) the shell goes on, on a new
 * connection, without TAB and ?.  -1: no connection. */
static int
edit_table(struct conn *c, const char *path)
{
	if (conn_describe(c, &ed.table) == 0 &&
	    sh_table_add(&ed.table, 0, "exit", "Leave the shell\n",
	    edit_quit) == 0 &&
	    sh_table_add(&ed.table, 0, "quit", "Leave the shell\n",
	    edit_quit) == 0) {
		ed.have_table = 1;
		return 0;
	}
	sh_table_free(&ed.table);
	fprintf(stderr, "tbgpsh: no command table from tbgpd: TAB and ? "
	    "are off\n");
	conn_close(c);
	return conn_open(c, path);
}

/* Whether line names one of the shell's own commands (exit, quit). */
static int
edit_is_quit(const char *line)
{
	struct cmd_line		 l;
	struct cmd_match	 m;

	if (cmd_split(line, &l) == -1 || l.n == 0)
		return 0;
	if (!ed.have_table)
		return strcmp(l.w[0], "exit") == 0 ||
		    strcmp(l.w[0], "quit") == 0;
	return cmd_match(&ed.table.t, &l, &m) == CMD_OK &&
	    m.entry->run == edit_quit;
}

/* One line from the terminal: 1 with it in line, 0 at its end. */
static int
edit_read(char *line, size_t len)
{
	const char	*s;
	int		 n;

	for (;;) {
		ed.interrupted = 0;
		if ((s = el_gets(ed.el, &n)) == NULL) {
			if (!ed.interrupted)
				return 0;
			/* ^C: forget the line, as vtysh does. */
			putchar('\n');
			el_reset(ed.el);
			continue;
		}
		if (strlen(s) < len)
			break;
		fprintf(stderr, "tbgpsh: line too long\n");
	}
	snprintf(line, len, "%s", s);
	line[strcspn(line, "\n")] = '\0';
	return 1;
}

int
edit_session(struct conn *c, const char *path)
{
	char	 line[CMD_MAX_LINE + 1];
	int	 status = 0, more;

	if (edit_init() == -1 || edit_table(c, path) == -1) {
		edit_end();
		return 1;
	}
	while ((more = edit_read(line, sizeof(line))) == 1) {
		if (line[strspn(line, " \t")] == '\0')
			continue;
		edit_history_add(line);
		if (edit_is_quit(line))
			break;
		if (conn_run(c, line) == -1) {
			status = 1;
			break;
		}
	}
	/* ^D leaves the cursor after the prompt. */
	if (more == 0)
		putchar('\n');
	edit_end();
	return status;
}
