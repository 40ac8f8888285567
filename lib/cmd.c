/*
 * cmd.c: the command matcher (see cmd.h).
 *
 * Owns the reading of a table entry (its words, their alternatives, the
 * help line of each), the narrowing of the entries word by word with
 * vtysh's rules for abbreviations, and the listing of what may come next
 * for completion and `?`.  Entries are parsed from their strings as they
 * are matched: tables are a few dozen lines and a line a few words, so
 * nothing is cached.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define CMD_BLANKS	" \t\r\n"

/* How a token matches a word, weakest first. */
enum { M_NONE, M_VAR, M_PARTIAL, M_EXACT, M_AMBIG };

/* ------------------------------------------------------- reading entries */

/* Field i of s cut at sep into out.  0, or -1 past the last field. */
static int
cmd_field(const char *s, char sep, int i, char *out, size_t len)
{
	const char	*end;

	for (;;) {
		if ((end = strchr(s, sep)) == NULL)
			end = s + strlen(s);
		if (i-- == 0) {
			snprintf(out, len, "%.*s", (int)(end - s), s);
			return 0;
		}
		if (*end == '\0')
			return -1;
		s = end + 1;
	}
}

static int
cmd_nfields(const char *s, char sep)
{
	int	 n = 1;

	while ((s = strchr(s, sep)) != NULL) {
		s++;
		n++;
	}
	return n;
}

static int
cmd_nwords(const struct cmd_entry *e)
{
	return cmd_nfields(e->words, ' ');
}

/* Word i of e, "json" right after the last one of a CMD_F_JSON entry. */
static int
cmd_word(const struct cmd_entry *e, int i, char *out, size_t len)
{
	if (cmd_field(e->words, ' ', i, out, len) == 0)
		return 0;
	if (i == cmd_nwords(e) && (e->flags & CMD_F_JSON)) {
		snprintf(out, len, "json");
		return 0;
	}
	return -1;
}

/* The help line of alternative j of word i. */
static const char *
cmd_help(const struct cmd_entry *e, int i, int j, char *out, size_t len)
{
	char	 w[CMD_WORD_MAX];
	int	 k, line = j;

	if (i == cmd_nwords(e)) {
		snprintf(out, len, "%s", CMD_JSON_HELP);
		return out;
	}
	for (k = 0; k < i && cmd_word(e, k, w, sizeof(w)) == 0; k++)
		line += cmd_nfields(w, '|');
	if (cmd_field(e->help, '\n', line, out, len) == -1)
		out[0] = '\0';
	return out;
}

/* ------------------------------------------------------------ arguments */

static int
cmd_is_var(const char *tok)
{
	return isupper((unsigned char)tok[0]) || tok[0] == '(';
}

static int
cmd_range(const char *var, unsigned long *lo, unsigned long *hi)
{
	char	 close;

	return sscanf(var, "(%lu-%lu%c", lo, hi, &close) == 3 &&
	    close == ')' && var[strlen(var) - 1] == ')' && *lo <= *hi;
}

static int
cmd_range_ok(const char *var, const char *tok)
{
	unsigned long	 lo, hi, v;
	char		*end;

	if (!cmd_range(var, &lo, &hi) || !isdigit((unsigned char)tok[0]))
		return 0;
	errno = 0;
	v = strtoul(tok, &end, 10);
	return *end == '\0' && errno == 0 && v >= lo && v <= hi;
}

static int
cmd_var_ok(const char *var, const char *tok)
{
	struct in6_addr	 a;

	if (strcmp(var, "A.B.C.D") == 0)
		return inet_pton(AF_INET, tok, &a) == 1;
	if (strcmp(var, "X:X::X:X") == 0)
		return inet_pton(AF_INET6, tok, &a) == 1;
	if (strcmp(var, "WORD") == 0)
		return 1;
	return cmd_range_ok(var, tok);
}

/* Whether what is typed so far may still become an argument for var. */
static int
cmd_var_could(const char *var, const char *prefix)
{
	const char	*chars = "0123456789";

	if (strcmp(var, "WORD") == 0)
		return 1;
	if (strcmp(var, "A.B.C.D") == 0)
		chars = "0123456789.";
	else if (strcmp(var, "X:X::X:X") == 0) {
		/* A dotted quad ends an IPv6 address, never starts one. */
		if (strchr(prefix, '.') != NULL && strchr(prefix, ':') == NULL)
			return 0;
		chars = "0123456789abcdefABCDEF:.";
	}
	return strspn(prefix, chars) == strlen(prefix);
}

/* ------------------------------------------------------------- matching */

/* How tok matches word i of e; the keyword it abbreviates goes to kw. */
static int
cmd_match_word(const struct cmd_entry *e, int i, const char *tok,
    char *kw, size_t kwlen)
{
	char	 w[CMD_WORD_MAX], alt[CMD_WORD_MAX];
	int	 j, r = M_NONE;

	if (cmd_word(e, i, w, sizeof(w)) == -1)
		return M_NONE;
	for (j = 0; cmd_field(w, '|', j, alt, sizeof(alt)) == 0; j++) {
		if (cmd_is_var(alt)) {
			if (r == M_NONE && cmd_var_ok(alt, tok))
				r = M_VAR;
		} else if (strcmp(alt, tok) == 0) {
			snprintf(kw, kwlen, "%s", alt);
			return M_EXACT;
		} else if (strncmp(alt, tok, strlen(tok)) == 0) {
			if (r == M_PARTIAL || r == M_AMBIG)
				r = M_AMBIG;
			else
				r = M_PARTIAL;
			snprintf(kw, kwlen, "%s", alt);
		}
	}
	return r;
}

static size_t
cmd_nentries(const struct cmd_table *t)
{
	return t->n < CMD_MAX_ENTRIES ? t->n : CMD_MAX_ENTRIES;
}

/*
 * Narrow the candidates by word i as vtysh does: an exact keyword wins;
 * otherwise the keywords the token abbreviates must all be the same one;
 * an argument is taken only when no keyword matches.  0, or -1 when the
 * abbreviation is ambiguous.
 */
static int
cmd_filter(const struct cmd_table *t, unsigned char *cand, int i,
    const char *tok)
{
	unsigned char	 m[CMD_MAX_ENTRIES];
	char		 kw[CMD_WORD_MAX], first[CMD_WORD_MAX] = "";
	int		 best = M_NONE, ambiguous = 0;
	size_t		 k;

	for (k = 0; k < cmd_nentries(t); k++) {
		m[k] = cand[k] ? (unsigned char)cmd_match_word(&t->entries[k],
		    i, tok, kw, sizeof(kw)) : M_NONE;
		if (m[k] == M_AMBIG || (m[k] == M_PARTIAL &&
		    first[0] != '\0' && strcmp(first, kw) != 0))
			ambiguous = 1;
		if (m[k] == M_PARTIAL && first[0] == '\0')
			snprintf(first, sizeof(first), "%s", kw);
		if (m[k] != M_AMBIG && m[k] > best)
			best = m[k];
	}
	if (best != M_EXACT && ambiguous)
		return -1;
	for (k = 0; k < cmd_nentries(t); k++)
		cand[k] = best != M_NONE && m[k] == best;
	return 0;
}

/* Keep the entries the first n words of l may name; *at: where none is
 * left, or where a word is ambiguous. */
static enum cmd_status
cmd_narrow(const struct cmd_table *t, const struct cmd_line *l, int n,
    unsigned char *cand, int *at)
{
	size_t	 k;
	int	 i, left;

	memset(cand, 1, CMD_MAX_ENTRIES);
	for (i = 0; i < n; i++) {
		*at = i;
		if (cmd_filter(t, cand, i, l->w[i]) == -1)
			return CMD_AMBIGUOUS;
		for (k = 0, left = 0; k < cmd_nentries(t); k++)
			left += cand[k];
		if (left == 0)
			return CMD_UNKNOWN;
	}
	*at = n;
	return CMD_OK;
}

/* The words of l that filled an argument of the entry m names. */
static void
cmd_args(const struct cmd_line *l, struct cmd_match *m)
{
	char	 kw[CMD_WORD_MAX];
	int	 i;

	for (i = 0; i < l->n - m->json; i++)
		if (cmd_match_word(m->entry, i, l->w[i], kw, sizeof(kw)) ==
		    M_VAR)
			m->argv[m->argc++] = l->w[i];
}

/* Of the entries left, the one whose length the line has. */
static enum cmd_status
cmd_pick(const struct cmd_table *t, const struct cmd_line *l,
    const unsigned char *cand, struct cmd_match *m)
{
	size_t	 k;
	int	 nw;

	for (k = 0; k < cmd_nentries(t); k++) {
		nw = cmd_nwords(&t->entries[k]);
		if (!cand[k] || (l->n != nw && l->n != nw + 1))
			continue;
		if (m->entry != NULL) {
			m->at = l->n - 1;
			return CMD_AMBIGUOUS;
		}
		m->entry = &t->entries[k];
		m->json = l->n == nw + 1;
	}
	if (m->entry == NULL)
		return l->n == 0 ? CMD_UNKNOWN : CMD_INCOMPLETE;
	cmd_args(l, m);
	return CMD_OK;
}

enum cmd_status
cmd_match(const struct cmd_table *t, const struct cmd_line *l,
    struct cmd_match *m)
{
	unsigned char	 cand[CMD_MAX_ENTRIES];

	memset(m, 0, sizeof(*m));
	m->status = cmd_narrow(t, l, l->n, cand, &m->at);
	if (m->status == CMD_OK)
		m->status = cmd_pick(t, l, cand, m);
	if (m->status != CMD_OK)
		m->entry = NULL;
	return m->status;
}

int
cmd_split(const char *line, struct cmd_line *l)
{
	size_t	 len = strlen(line), i = 0;

	l->n = 0;
	l->open = 0;
	if (len >= sizeof(l->buf))
		return -1;
	memcpy(l->buf, line, len + 1);
	for (;;) {
		i += strspn(l->buf + i, CMD_BLANKS);
		if (l->buf[i] == '\0')
			return 0;
		if (l->n == CMD_MAX_WORDS)
			return -1;
		l->off[l->n] = i;
		l->w[l->n++] = l->buf + i;
		i += strcspn(l->buf + i, CMD_BLANKS);
		if (l->buf[i] == '\0') {
			l->open = 1;
			return 0;
		}
		l->buf[i++] = '\0';
	}
}

const char *
cmd_status_str(enum cmd_status s)
{
	switch (s) {
	case CMD_OK:
		return "OK";
	case CMD_AMBIGUOUS:
		return "Ambiguous command";
	case CMD_INCOMPLETE:
		return "Incomplete command";
	default:
		return "Unknown command";
	}
}

/* The byte c as the error echoes it; returns the columns it takes. */
static int
cmd_echo_byte(unsigned char c, char *out, size_t len)
{
	if (c == '\t')
		c = ' ';
	if (c < 0x20 || c >= 0x7f)
		return snprintf(out, len, "\\x%02x", c);
	return snprintf(out, len, "%c", c);
}

/* Echo line[from, to) into out at *pos; -1 if out is too small. */
static int
cmd_echo(const char *line, size_t from, size_t to, char *out, size_t len,
    size_t *pos)
{
	int	 n;

	for (; from < to; from++) {
		n = cmd_echo_byte((unsigned char)line[from], out + *pos,
		    len - *pos);
		if (n < 0 || (size_t)n >= len - *pos)
			return -1;
		*pos += (size_t)n;
	}
	return 0;
}

int
cmd_error_text(const char *line, enum cmd_status st, int at, char *out,
    size_t len)
{
	struct cmd_line	 l;
	size_t		 pos, from, end, col = 0;
	int		 n;

	if (len == 0 || cmd_split(line, &l) == -1)
		return -1;
	from = l.n > 0 ? l.off[0] : 0;
	end = l.n > 0 ? l.off[l.n - 1] + strlen(l.w[l.n - 1]) : 0;
	n = snprintf(out, len, "%% %s: ", cmd_status_str(st));
	if (n < 0 || (size_t)n >= len)
		return -1;
	pos = (size_t)n;
	/* The marker's column is the echo's length up to the word; past
	 * the last word, where the next one would go. */
	if (at >= 0 && at < l.n) {
		if (cmd_echo(line, from, l.off[at], out, len, &pos) == -1)
			return -1;
		col = pos;
		from = l.off[at];
	}
	if (cmd_echo(line, from, end, out, len, &pos) == -1)
		return -1;
	if (at < 0 || at >= l.n)
		col = pos + (l.n > 0);
	if (pos + 1 + col + 2 >= len)
		return -1;
	out[pos++] = '\n';
	memset(out + pos, ' ', col);
	pos += col;
	memcpy(out + pos, "^\n", 3);
	return (int)(pos + 2);
}

/* ----------------------------------------------------------- completion */

static void
cmd_cands_add(struct cmd_cands *cc, const char *word, const char *help)
{
	int	 i;

	for (i = 0; i < cc->n; i++)
		if (strcmp(cc->c[i].word, word) == 0)
			return;
	if (cc->n == CMD_MAX_CANDS)
		return;
	snprintf(cc->c[cc->n].word, sizeof(cc->c[0].word), "%s", word);
	snprintf(cc->c[cc->n].help, sizeof(cc->c[0].help), "%s", help);
	cc->n++;
}

/* What word i of e offers to prefix. */
static void
cmd_cands_entry(const struct cmd_entry *e, int i, const char *prefix,
    struct cmd_cands *cc)
{
	char	 w[CMD_WORD_MAX], alt[CMD_WORD_MAX], help[CMD_HELP_MAX];
	int	 j, ok;

	if (cmd_word(e, i, w, sizeof(w)) == 0) {
		for (j = 0; cmd_field(w, '|', j, alt, sizeof(alt)) == 0; j++) {
			ok = cmd_is_var(alt) ? cmd_var_could(alt, prefix) :
			    strncmp(alt, prefix, strlen(prefix)) == 0;
			if (ok)
				cmd_cands_add(cc, alt,
				    cmd_help(e, i, j, help, sizeof(help)));
		}
	}
	if (prefix[0] == '\0' && i >= cmd_nwords(e))
		cmd_cands_add(cc, CMD_CR, "");
}

enum cmd_status
cmd_complete(const struct cmd_table *t, const struct cmd_line *l,
    struct cmd_cands *cc)
{
	unsigned char	 cand[CMD_MAX_ENTRIES];
	int		 fixed = l->open ? l->n - 1 : l->n;
	const char	*prefix = l->open ? l->w[l->n - 1] : "";
	size_t		 k;

	cc->n = 0;
	cc->status = cmd_narrow(t, l, fixed, cand, &cc->at);
	if (cc->status != CMD_OK)
		return cc->status;
	for (k = 0; k < cmd_nentries(t); k++)
		if (cand[k])
			cmd_cands_entry(&t->entries[k], fixed, prefix, cc);
	return CMD_OK;
}

/* ------------------------------------------------------ checking a table */

/* A token of a table word: a known argument or a lower-case keyword. */
static int
cmd_token_ok(const char *tok)
{
	unsigned long	 lo, hi;

	if (tok[0] == '(')
		return cmd_range(tok, &lo, &hi);
	if (cmd_is_var(tok))
		return strcmp(tok, "A.B.C.D") == 0 ||
		    strcmp(tok, "X:X::X:X") == 0 || strcmp(tok, "WORD") == 0;
	return tok[0] != '\0' &&
	    strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
	    strlen(tok);
}

/* The number of tokens of e, -1 if one is malformed. */
static int
cmd_entry_tokens(const struct cmd_entry *e)
{
	char	 w[CMD_WORD_MAX], alt[CMD_WORD_MAX];
	int	 i, j, n = 0;

	if (cmd_nwords(e) + 1 > CMD_MAX_WORDS)
		return -1;
	for (i = 0; i < cmd_nwords(e); i++) {
		cmd_word(e, i, w, sizeof(w));
		for (j = 0; cmd_field(w, '|', j, alt, sizeof(alt)) == 0; j++) {
			if (strlen(alt) + 1 >= CMD_WORD_MAX ||
			    !cmd_token_ok(alt))
				return -1;
			n++;
		}
	}
	return n;
}

int
cmd_table_check(const struct cmd_table *t, char *why, size_t len)
{
	const struct cmd_entry	*e;
	size_t			 k, hl;

	if (t->n > CMD_MAX_ENTRIES) {
		snprintf(why, len, "more than %d entries", CMD_MAX_ENTRIES);
		return -1;
	}
	for (k = 0; k < t->n; k++) {
		e = &t->entries[k];
		hl = strlen(e->help);
		if (cmd_entry_tokens(e) == -1)
			snprintf(why, len, "'%s': malformed words", e->words);
		else if (hl == 0 || e->help[hl - 1] != '\n' ||
		    cmd_nfields(e->help, '\n') - 1 != cmd_entry_tokens(e))
			snprintf(why, len, "'%s': not one help line per token",
			    e->words);
		else if (e->run == NULL)
			snprintf(why, len, "'%s': no handler", e->words);
		else
			continue;
		return -1;
	}
	return 0;
}
