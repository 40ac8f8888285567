/*
 * conf_parse: the reader of tbgpd.conf, written in FRR 8's bgpd.conf
 * dialect.  It owns the files (opening, the include stack, the size and
 * line limits), splitting a line into words, finding the command of a
 * line in the current node, the "file:line:column: message" reports, the
 * getters the command handlers read their words with, the checks that
 * need more than one line (policy names that are never defined among
 * them), and conf_parse() itself.  What each command
 * means is conf_cmd.c's.
 *
 * The reader is line based, as FRR's is: a line is split into words, the
 * first one or two keywords (for "neighbor ADDR X" the third word) pick a
 * command from conf_cmds[] for the current node (top level, router bgp,
 * address-family, route-map), and the command's handler reads the rest
 * with the conf_get_*() helpers.  As in FRR, a command the current node
 * does not know is tried in the parent node, which implicitly leaves the
 * child ("neighbor X remote-as" after "address-family" ends the address
 * family, "ip prefix-list" after "route-map" ends the route-map).
 *
 * Every problem is reported as "file:line:column: message" and parsing goes
 * on at the next line, so one run reports all of them (OpenBGPD's yyerror
 * habit).  A command with an error changes nothing.  Words FRR knows and
 * tbgpd does not implement yet are refused by name ("'bgp
 * graceful-restart' is not supported yet"), never skipped: a
 * half-understood routing configuration is worse than none.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <glob.h>
#include <ifaddrs.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "policy.h"

/*
 * Tunnel inside /30s the clouds keep for themselves (cloud-gateways.md):
 * AWS refuses 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30,
 * Alibaba Cloud the same and also 169.254.6.0/30.
 */
static const struct conf_reserved {
	const char	*prefix;
	const char	*who;
} conf_reserved[] = {
	{ "169.254.0.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.1.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.2.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.3.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.4.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.5.0/30", "AWS and Alibaba Cloud" },
	{ "169.254.6.0/30", "Alibaba Cloud" },
	{ "169.254.169.252/30", "AWS and Alibaba Cloud" },
};

/* File names outlive any one config (peer_config.file points at them). */
static const char *
conf_intern(const char *name)
{
	static char	**names;
	static size_t	  nnames;
	char		**n;
	size_t		  i;

	for (i = 0; i < nnames; i++)
		if (strcmp(names[i], name) == 0)
			return names[i];
	if ((n = reallocarray(names, nnames + 1, sizeof(*n))) == NULL)
		return "(out of memory)";
	names = n;
	if ((names[nnames] = strdup(name)) == NULL)
		return "(out of memory)";
	return names[nnames++];
}

/* A word quoted back in a message: control and 8-bit bytes as \xNN. */
const char *
conf_vis(const char *s, char *buf, size_t size)
{
	size_t	n = 0, i;

	for (i = 0; s[i] != '\0' && n + 8 < size; i++) {
		unsigned char c = s[i];

		if (i == CONF_VIS_MAX) {
			n += snprintf(buf + n, size - n, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			buf[n++] = c;
		else
			n += snprintf(buf + n, size - n, "\\x%02x", c);
	}
	buf[n] = '\0';
	return buf;
}

static void __attribute__((format(printf, 6, 0)))
conf_vreport(struct conf_parser *p, const char *file, int line, int col,
    int warn, const char *fmt, va_list ap)
{
	if (p->stop)
		return;
	if (!warn && ++p->nerrors > CONF_MAX_ERRORS) {
		fprintf(p->errf, "%s:%d:%d: too many errors (%d), giving up\n",
		    file, line, col, CONF_MAX_ERRORS);
		p->stop = 1;
		return;
	}
	fprintf(p->errf, "%s:%d:%d: %s", file, line, col,
	    warn ? "warning: " : "");
	vfprintf(p->errf, fmt, ap);
	fputc('\n', p->errf);
}

static void __attribute__((format(printf, 5, 6)))
conf_err_at(struct conf_parser *p, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_vreport(p, file, line, col, 0, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 5, 6)))
conf_warn_at(struct conf_parser *p, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_vreport(p, file, line, col, 1, fmt, ap);
	va_end(ap);
}

/* An error at word t of the current line, or at its end if t is NULL. */
void
conf_err(struct conf_parser *p, const struct conf_tok *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_vreport(p, p->src->name, p->src->lineno,
	    t != NULL ? t->col : p->eol_col, 0, fmt, ap);
	va_end(ap);
}

void
conf_warn(struct conf_parser *p, const struct conf_tok *t,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_vreport(p, p->src->name, p->src->lineno,
	    t != NULL ? t->col : p->eol_col, 1, fmt, ap);
	va_end(ap);
}

/* "expected WHAT, got 'word'" or "expected WHAT, got end of line". */
void
conf_expected(struct conf_parser *p, const struct conf_tok *t,
    const char *what)
{
	char	vis[CONF_VIS_BUF];

	if (t == NULL)
		conf_err(p, NULL, "expected %s, got end of line", what);
	else
		conf_err(p, t, "expected %s, got '%s'", what,
		    conf_vis(t->s, vis, sizeof(vis)));
}

const struct conf_tok *
conf_next(struct conf_parser *p)
{
	return p->cur < p->ntok ? &p->tok[p->cur++] : NULL;
}

const struct conf_tok *
conf_peek(struct conf_parser *p)
{
	return p->cur < p->ntok ? &p->tok[p->cur] : NULL;
}

int
conf_get_eol(struct conf_parser *p)
{
	const struct conf_tok	*t;

	if ((t = conf_next(p)) == NULL)
		return 0;
	conf_expected(p, t, "end of line");
	return -1;
}

/* Any one word; NULL, reported, at the end of the line. */
const struct conf_tok *
conf_get_word(struct conf_parser *p, const char *what)
{
	const struct conf_tok	*t;

	if ((t = conf_next(p)) == NULL)
		conf_expected(p, NULL, what);
	return t;
}

int
conf_get_kw(struct conf_parser *p, enum kw want, const char *name)
{
	const struct conf_tok	*t = conf_next(p);
	char			 what[64];

	if (t != NULL && conf_kw(t->s) == want)
		return 0;
	snprintf(what, sizeof(what), "'%s'", name);
	conf_expected(p, t, what);
	return -1;
}

/* Decimal digits only (no sign, no hex), at most 4294967295. */
int
conf_str_u32(const char *s, uint32_t *v)
{
	uint64_t	n = 0;
	size_t		i;

	if (s[0] == '\0' || strlen(s) > 10)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (n > UINT32_MAX)
		return -1;
	*v = n;
	return 0;
}

int
conf_get_num(struct conf_parser *p, const char *what, uint32_t min,
    uint32_t max, uint32_t *v)
{
	const struct conf_tok	*t = conf_next(p);
	char			 msg[128];

	if (t != NULL && conf_str_u32(t->s, v) == 0 && *v >= min && *v <= max)
		return 0;
	snprintf(msg, sizeof(msg), "%s (%u-%u)", what, min, max);
	conf_expected(p, t, msg);
	return -1;
}

/* asplain "65000" or asdot "1.10" (RFC 5396). */
static int
conf_as(const char *s, uint32_t *as)
{
	char		 hi[8];
	const char	*dot;
	uint32_t	 h, l;

	if ((dot = strchr(s, '.')) == NULL)
		return conf_str_u32(s, as);
	if (dot - s == 0 || (size_t)(dot - s) >= sizeof(hi))
		return -1;
	memcpy(hi, s, dot - s);
	hi[dot - s] = '\0';
	if (conf_str_u32(hi, &h) == -1 || conf_str_u32(dot + 1, &l) == -1 ||
	    h > 0xffff || l > 0xffff)
		return -1;
	*as = h << 16 | l;
	return 0;
}

int
conf_get_as(struct conf_parser *p, uint32_t *as)
{
	const struct conf_tok	*t = conf_next(p);

	if (t == NULL || conf_as(t->s, as) == -1 || *as == 0) {
		conf_expected(p, t, "an AS number (1-4294967295)");
		return -1;
	}
	/* RFC 6793 section 2: AS_TRANS only stands in for a 4-octet AS. */
	if (*as == AS_TRANS) {
		conf_err(p, t, "AS %u is AS_TRANS (RFC 6793) and cannot be "
		    "configured", AS_TRANS);
		return -1;
	}
	return 0;
}

/* RFC 4271 section 4.2: a hold time is 0 or at least 3 seconds. */
int
conf_get_times(struct conf_parser *p, uint16_t *keepalive, uint16_t *hold)
{
	const struct conf_tok	*t;
	uint32_t		 k, h;

	if (conf_get_num(p, "a keepalive time", 0, 65535, &k) == -1)
		return -1;
	t = conf_next(p);
	if (t == NULL || conf_str_u32(t->s, &h) == -1 || h > 65535) {
		conf_expected(p, t, "a hold time (0 or 3-65535)");
		return -1;
	}
	if (h == 1 || h == 2) {
		conf_err(p, t, "hold time must be 0 or 3-65535 seconds "
		    "(RFC 4271 section 4.2), got %u", h);
		return -1;
	}
	*keepalive = k;
	*hold = h;
	return 0;
}

int
conf_get_value(struct conf_parser *p, const struct conf_value *tab,
    const char *what, int *v)
{
	const struct conf_tok	*t = conf_next(p);
	int			 i;

	for (i = 0; t != NULL && tab[i].name != NULL; i++)
		if (strcmp(t->s, tab[i].name) == 0) {
			*v = tab[i].value;
			return 0;
		}
	conf_expected(p, t, what);
	return -1;
}

/*
 * The rest of the line as one text, words joined by single spaces as FRR
 * does; at most max bytes.
 */
int
conf_get_text(struct conf_parser *p, const char *what, char *dst, size_t max)
{
	const struct conf_tok	*first = conf_peek(p), *t;
	size_t			 len = 0, n;

	if (first == NULL) {
		conf_expected(p, NULL, what);
		return -1;
	}
	dst[0] = '\0';
	while ((t = conf_next(p)) != NULL) {
		n = strlen(t->s);
		if (len + (len > 0) + n > max) {
			conf_err(p, first, "too long: %s has at most %zu "
			    "bytes", what, max);
			return -1;
		}
		if (len > 0)
			dst[len++] = ' ';
		memcpy(dst + len, t->s, n + 1);
		len += n;
	}
	return 0;
}

/* The words from index from to the end, joined by single spaces. */
void
conf_join(struct conf_parser *p, int from, char *dst, size_t size)
{
	size_t	len = 0;
	int	i;

	dst[0] = '\0';
	for (i = from; i < p->ntok && len < size; i++)
		len += snprintf(dst + len, size - len, "%s%s", i > from ?
		    " " : "", p->tok[i].s);
}

/* A route-map, prefix-list or other list name: one word, FRR's WORD. */
const struct conf_tok *
conf_get_name(struct conf_parser *p, const char *what, char *dst,
    size_t size)
{
	const struct conf_tok	*t;

	if ((t = conf_get_word(p, what)) == NULL)
		return NULL;
	if (strlen(t->s) > POLICY_NAME_MAX || strlen(t->s) >= size) {
		conf_err(p, t, "name is longer than %d bytes", POLICY_NAME_MAX);
		return NULL;
	}
	strlcpy(dst, t->s, size);
	return t;
}

/*
 * A prefix of family af (AF_UNSPEC: either).  Host bits are an error, as
 * in FRR: "10.0.0.1/16" is more likely a typo than a wish for 10.0.0.0/16.
 */
int
conf_get_prefix(struct conf_parser *p, int af, const char *what,
    struct tb_prefix *pfx)
{
	const struct conf_tok	*t = conf_next(p);
	struct tb_addr		 a;
	char			 abuf[ADDR_STRLEN + 1];
	size_t			 n;

	if (t == NULL || prefix_parse(t->s, pfx) == -1 ||
	    (af != AF_UNSPEC && pfx->addr.af != af)) {
		conf_expected(p, t, what);
		return -1;
	}
	n = strcspn(t->s, "/");
	memcpy(abuf, t->s, n < ADDR_STRLEN ? n : ADDR_STRLEN);
	abuf[n < ADDR_STRLEN ? n : ADDR_STRLEN] = '\0';
	if (addr_parse(abuf, &a) == 0 && addr_cmp(&a, &pfx->addr) != 0) {
		conf_err(p, t, "%s has host bits set: the prefix is %s", t->s,
		    prefix_str(pfx));
		return -1;
	}
	return 0;
}

int
conf_tok_addr(struct conf_parser *p, const struct conf_tok *t,
    const char *what, struct tb_addr *a)
{
	if (t != NULL && addr_parse(t->s, a) == 0)
		return 0;
	conf_expected(p, t, what);
	return -1;
}

/* Cloud rules: warn, since a private (non-cloud) tunnel may use these. */
void
conf_check_reserved(struct conf_parser *p, const struct conf_tok *t,
    const struct tb_addr *a)
{
	struct tb_prefix	pfx;
	size_t			i;

	for (i = 0; i < sizeof(conf_reserved) / sizeof(conf_reserved[0]);
	    i++) {
		if (prefix_parse(conf_reserved[i].prefix, &pfx) == -1 ||
		    !prefix_contains(&pfx, a))
			continue;
		conf_warn(p, t, "%s is inside %s, reserved by %s: the cloud "
		    "will refuse this tunnel", addr_str(a),
		    conf_reserved[i].prefix, conf_reserved[i].who);
		return;
	}
}

int
conf_is_local(struct conf_parser *p, const struct tb_addr *a)
{
	struct ifaddrs	*ifa;
	struct tb_addr	 la;

	if (!p->ifa_loaded) {
		p->ifa_loaded = 1;
		if (getifaddrs(&p->ifa) == -1)
			p->ifa = NULL;
	}
	for (ifa = p->ifa; ifa != NULL; ifa = ifa->ifa_next)
		if (ifa->ifa_addr != NULL &&
		    addr_from_sa(ifa->ifa_addr, &la, NULL) == 0 &&
		    addr_cmp(&la, a) == 0)
			return 1;
	return 0;
}

enum conf_node
conf_parent(enum conf_node n)
{
	switch (n) {
	case NODE_AF4:
	case NODE_AF6:
		return NODE_ROUTER;
	case NODE_ROUTER:
	case NODE_RMAP:
		return NODE_TOP;
	default:
		return NODE_NONE;
	}
}

/* "'set' is only valid inside 'route-map'" when it is so. */
static int
conf_elsewhere(struct conf_parser *p, const struct conf_tok *t1,
    const char *vis1, enum kw w1, enum kw w2, int any_w2)
{
	static const struct {
		enum conf_node	 node;
		const char	*name;
	} homes[] = {
		{ NODE_ROUTER, "router bgp" },
		{ NODE_AF4, "address-family" },
		{ NODE_RMAP, "route-map" },
	};
	enum conf_node	n;
	size_t		i;

	for (i = 0; i < sizeof(homes) / sizeof(homes[0]); i++) {
		for (n = p->node; n != NODE_NONE; n = conf_parent(n))
			if (n == homes[i].node)
				break;
		if (n != NODE_NONE ||
		    conf_cmd_find(homes[i].node, w1, w2, any_w2) == NULL)
			continue;
		conf_err(p, t1, "'%s' is only valid inside '%s'", vis1,
		    homes[i].name);
		return 1;
	}
	return 0;
}

/* Why no command matched: the most helpful of several messages. */
static void
conf_no_match(struct conf_parser *p, const struct conf_tok *t1,
    const struct conf_tok *t2, enum kw w1, enum kw w2)
{
	char		vis1[CONF_VIS_BUF], vis2[CONF_VIS_BUF];
	enum conf_node	n;

	conf_vis(t1->s, vis1, sizeof(vis1));
	/* A command of another node, spelled exactly ("set metric 5"). */
	if (conf_elsewhere(p, t1, vis1, w1, w2, 0))
		return;
	for (n = p->node; n != NODE_NONE; n = conf_parent(n))
		if (conf_cmd_find(n, w1, w2, 1) != NULL)
			break;
	if (n == NODE_NONE) {
		if (!conf_elsewhere(p, t1, vis1, w1, w2, 1))
			conf_err(p, t1, "unknown command '%s'", vis1);
		return;
	}
	if (t2 == NULL) {
		conf_err(p, NULL, "incomplete command '%s'", vis1);
		return;
	}
	conf_vis(t2->s, vis2, sizeof(vis2));
	if (w2 == KW_LATER)
		conf_err(p, t2, "'%s %s' is not supported yet", vis1, vis2);
	else
		conf_err(p, t2, "unknown command '%s%s %s'", vis1,
		    w1 == KW_NEIGHBOR ? " ..." : "", vis2);
}

/* Finds the command of the line, leaving child nodes as FRR does. */
static const struct conf_cmd *
conf_match(struct conf_parser *p)
{
	const struct conf_tok	*t1 = &p->tok[p->base], *t2;
	const struct conf_cmd	*c;
	enum conf_node		 n;
	enum kw			 w1, w2;
	int			 i2;

	w1 = conf_kw(t1->s);
	if (w1 == KW_LATER) {
		conf_err(p, t1, "'%s' is not supported yet", t1->s);
		return NULL;
	}
	i2 = p->base + (w1 == KW_NEIGHBOR ? 2 : 1);
	t2 = i2 < p->ntok ? &p->tok[i2] : NULL;
	w2 = t2 != NULL ? conf_kw(t2->s) : KW_NONE;
	for (n = p->node; n != NODE_NONE; n = conf_parent(n)) {
		if ((c = conf_cmd_find(n, w1, w2, 0)) == NULL)
			continue;
		if (c->w2 != KW_NONE && t2 == NULL)
			break;
		p->node = n;
		p->cur = c->w2 != KW_NONE ? i2 + 1 : p->base + 1;
		return c;
	}
	if (w1 == KW_NEIGHBOR && p->ntok == p->base + 2 &&
	    addr_parse(p->tok[p->base + 1].s, &(struct tb_addr){ 0 }) == -1) {
		conf_expected(p, &p->tok[p->base + 1], NEIGHBOR_ADDR);
		return NULL;
	}
	conf_no_match(p, t1, t2, w1, w2);
	return NULL;
}

/* Splits the line into words; the first word may start a comment. */
static void
conf_split(struct conf_parser *p)
{
	char	*s = p->words;
	size_t	 i, len = strlen(p->line);

	memcpy(p->words, p->line, len + 1);
	p->ntok = 0;
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t') {
			s[i] = '\0';
			continue;
		}
		if (i > 0 && s[i - 1] != '\0')
			continue;
		if (p->ntok == 0 && (s[i] == '!' || s[i] == '#'))
			break;
		p->tok[p->ntok].s = s + i;
		p->tok[p->ntok++].col = i + 1;
	}
	p->eol_col = len + 1;
}

static void
conf_line(struct conf_parser *p)
{
	const struct conf_cmd	*c;

	conf_split(p);
	if (p->ntok == 0)
		return;
	p->negate = conf_kw(p->tok[0].s) == KW_NO;
	p->base = p->negate;
	if (p->negate && p->ntok == 1) {
		conf_expected(p, NULL, "a command after 'no'");
		return;
	}
	if ((c = conf_match(p)) == NULL)
		return;
	if (p->negate && !(c->flags & CMD_NO)) {
		conf_err(p, &p->tok[0], "'no %s%s%s' is not supported: leave "
		    "the setting out instead", p->tok[1].s,
		    c->flags & CMD_NEIGHBOR ? " ... " : c->w2 != KW_NONE ?
		    " " : "", c->w2 != KW_NONE ? p->tok[p->cur - 1].s : "");
		return;
	}
	c->fn(p);
}

/*
 * Reads one line into p->line.  Returns 0 at end of file, 1 for a line to
 * parse and 2 for a line that was reported as unreadable: longer than
 * CONF_LINE_MAX, or holding a NUL or another control byte (a binary file).
 */
static int
conf_getline(struct conf_parser *p)
{
	FILE	*fp = p->src->fp;
	char	*cr;
	size_t	 n = 0;
	int	 c, bad = 0, badc = 0;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (++p->src->bytes > CONF_FILE_MAX) {
			conf_err_at(p, p->src->name, p->src->lineno + 1, 1,
			    "file is larger than %d bytes; the rest is ignored",
			    CONF_FILE_MAX);
			return 0;
		}
		if (n < CONF_LINE_MAX)
			p->line[n] = c;
		n++;
		if (bad == 0 && (c < 0x20 || c == 0x7f) && c != '\t' &&
		    c != '\r') {
			bad = n;
			badc = c;
		}
	}
	if (c == EOF && n == 0)
		return 0;
	p->src->lineno++;
	p->line[n < CONF_LINE_MAX ? n : CONF_LINE_MAX] = '\0';
	if (n > CONF_LINE_MAX) {
		conf_err_at(p, p->src->name, p->src->lineno, CONF_LINE_MAX + 1,
		    "line is longer than %d bytes", CONF_LINE_MAX);
		return 2;
	}
	if (n > 0 && p->line[n - 1] == '\r')	/* DOS line ends */
		p->line[--n] = '\0';
	if (bad == 0 && (cr = memchr(p->line, '\r', n)) != NULL) {
		bad = cr - p->line + 1;
		badc = '\r';
	}
	if (bad != 0) {
		conf_err_at(p, p->src->name, p->src->lineno, bad,
		    "invalid byte 0x%02x (not a text file?)", badc);
		return 2;
	}
	return 1;
}

static void
conf_read(struct conf_parser *p)
{
	int	r;

	while (!p->stop && (r = conf_getline(p)) != 0)
		if (r == 1)
			conf_line(p);
	if (ferror(p->src->fp))
		conf_err_at(p, p->src->name, p->src->lineno + 1, 1,
		    "read error: %s", strerror(errno));
}

/* An error about opening a file: at the include line, or bare for the top. */
static void
conf_open_err(struct conf_parser *p, const struct conf_tok *t,
    const char *path, const char *why)
{
	if (t != NULL)
		conf_err(p, t, "cannot include '%s': %s", path, why);
	else {
		p->nerrors++;
		fprintf(p->errf, "%s: %s\n", path, why);
	}
}

static int
conf_open(struct conf_parser *p, struct conf_src *s, const char *path,
    const struct conf_tok *t)
{
	struct conf_src	*a;
	struct stat	 st;

	if ((s->fp = fopen(path, "r")) == NULL) {
		conf_open_err(p, t, path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(s->fp), &st) == -1 || S_ISDIR(st.st_mode)) {
		conf_open_err(p, t, path, S_ISDIR(st.st_mode) ?
		    "is a directory, not a configuration file" :
		    strerror(errno));
		fclose(s->fp);
		return -1;
	}
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	for (a = p->src; a != NULL; a = a->parent)
		if (a->dev == s->dev && a->ino == s->ino) {
			conf_open_err(p, t, path, a == p->src ?
			    "a file cannot include itself" :
			    "include loop (the file is already being read)");
			fclose(s->fp);
			return -1;
		}
	return 0;
}

/*
 * An included file starts at top level, like an FRR file.  Included from
 * inside "router bgp", it starts in that router instead, so a per-peer file
 * may hold only "neighbor" lines; any top-level command (or "exit") in it
 * leaves the router as usual, and "router bgp ASN" re-opens it.  Afterwards
 * the including file goes on in the node it was in.
 */
static int
conf_include_file(struct conf_parser *p, const char *path,
    const struct conf_tok *t)
{
	struct conf_src	 s;
	enum conf_node	 saved = p->node;

	if (p->src->depth + 1 > CONF_INCLUDE_DEPTH) {
		conf_err(p, t, "cannot include '%s': includes are nested "
		    "more than %d deep", path, CONF_INCLUDE_DEPTH);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	if (conf_open(p, &s, path, t) == -1)
		return -1;
	s.parent = p->src;
	s.depth = p->src->depth + 1;
	s.name = conf_intern(path);
	p->src = &s;
	p->node = saved == NODE_TOP ? NODE_TOP : NODE_ROUTER;
	conf_read(p);
	fclose(s.fp);
	p->src = s.parent;
	p->node = saved;
	return 0;
}

/* The directory part of the including file, "" or ending in '/'. */
static size_t
conf_dirlen(const char *includer, const char *pattern)
{
	const char	*slash = strrchr(includer, '/');

	if (pattern[0] == '/' || slash == NULL)
		return 0;
	return slash - includer + 1;
}

static int
conf_include_glob(struct conf_parser *p, const struct conf_tok *t,
    size_t dirlen)
{
	char	 pat[PATH_MAX];
	size_t	 i, n = 0;
	glob_t	 g;
	int	 rc;

	/* The directory is quoted: its name is not a pattern. */
	for (i = 0; i < dirlen && n + 2 < sizeof(pat); i++) {
		if (strchr("*?[\\", p->src->name[i]) != NULL)
			pat[n++] = '\\';
		pat[n++] = p->src->name[i];
	}
	if (n + strlen(t->s) >= sizeof(pat)) {
		conf_err(p, t, "include path is too long");
		return -1;
	}
	memcpy(pat + n, t->s, strlen(t->s) + 1);
	if ((rc = glob(pat, 0, NULL, &g)) == GLOB_NOMATCH)
		return 0;
	if (rc != 0) {
		conf_err(p, t, "cannot expand '%s'", t->s);
		return -1;
	}
	for (i = 0; i < g.gl_pathc && !p->stop; i++)
		conf_include_file(p, g.gl_pathv[i], t);
	globfree(&g);
	return 0;
}

/*
 * "include GLOB": files in sorted order, relative to the including
 * file's directory.  A pattern with wildcards may match nothing (an empty
 * peers.d/ is a valid setup); a plain name must exist.
 */
int
conf_include(struct conf_parser *p, const struct conf_tok *t)
{
	char	path[PATH_MAX];
	size_t	dirlen;

	dirlen = conf_dirlen(p->src->name, t->s);
	if (strpbrk(t->s, "*?[") != NULL)
		return conf_include_glob(p, t, dirlen);
	if (dirlen + strlen(t->s) >= sizeof(path)) {
		conf_err(p, t, "include path is too long");
		return -1;
	}
	memcpy(path, p->src->name, dirlen);
	memcpy(path + dirlen, t->s, strlen(t->s) + 1);
	return conf_include_file(p, path, t);
}

/* Remembers a reference; a field set again forgets its earlier name. */
void
conf_ref_add(struct conf_parser *p, const struct conf_tok *t,
    const char *field, int plist_af, const char *what)
{
	struct conf_ref	*r;

	if (field != NULL)
		conf_ref_drop(p, field);
	if ((r = reallocarray(p->refs, p->nrefs + 1, sizeof(*r))) == NULL)
		return;		/* only a warning is lost */
	p->refs = r;
	r += p->nrefs++;
	memset(r, 0, sizeof(*r));
	r->field = field;
	strlcpy(r->name, t->s, sizeof(r->name));
	strlcpy(r->what, what, sizeof(r->what));
	r->plist_af = plist_af;
	r->file = p->src->name;
	r->line = p->src->lineno;
	r->col = t->col;
}

/* The field was cleared ("no neighbor X route-map ...") or freed. */
void
conf_ref_drop(struct conf_parser *p, const char *field)
{
	size_t	i;

	for (i = 0; i < p->nrefs; i++)
		if (p->refs[i].field == field) {
			p->refs[i] = p->refs[--p->nrefs];
			i--;
		}
}

/*
 * policy.h: a name that refers to nothing denies everything.  Said once
 * per place it is used, since each such place blocks routes.
 */
static void
conf_check_refs(struct conf_parser *p)
{
	const struct conf_ref	*r;
	size_t			 i;
	int			 found;

	for (i = 0; i < p->nrefs; i++) {
		r = &p->refs[i];
		if (r->field == NULL)
			continue;
		found = r->plist_af != 0 ?
		    policy_plist_find(p->conf->policy, r->plist_af,
		    r->name) != NULL :
		    policy_rmap_find(p->conf->policy, r->name) != NULL;
		if (found)
			continue;
		conf_warn_at(p, r->file, r->line, r->col, "%s %s is not "
		    "defined: %s", r->plist_af == 0 ? "route-map" :
		    r->plist_af == AF_INET ? "ip prefix-list" :
		    "ipv6 prefix-list", r->name, r->what);
	}
}

/* policy_undefined() callback: a list named in a route-map clause. */
static void
conf_undefined(const char *kind, const char *name, void *arg)
{
	struct conf_parser	*p = arg;
	const struct conf_ref	*r;
	size_t			 i;

	for (i = 0; i < p->nrefs; i++) {
		r = &p->refs[i];
		if (r->field != NULL || strcmp(r->name, name) != 0)
			continue;
		conf_warn_at(p, r->file, r->line, r->col, "%s %s is not "
		    "defined: %s", kind, name, r->what);
		return;
	}
	conf_warn_at(p, p->router_file != NULL ? p->router_file : "-", 1, 1,
	    "%s %s is used in a route-map but not defined", kind, name);
}

/* Checks that need the whole configuration. */
static void
conf_check(struct conf_parser *p, const char *path)
{
	struct peer_config	*pc;

	/* Static routes alone make a static-tunnel daemon. */
	if (!p->router_seen && TAILQ_EMPTY(&p->conf->statics)) {
		conf_err_at(p, path, 1, 1, "no 'router bgp ASN' and no static "
		    "route in the configuration: nothing to do");
		return;
	}
	/* Legal, but such a session would carry nothing. */
	TAILQ_FOREACH(pc, &p->conf->peers, entry)
		if (pc->af_active == 0)
			conf_warn_at(p, pc->file, pc->line, 1, "neighbor %s is "
			    "active in no address family",
			    addr_str(&pc->remote));
	conf_check_refs(p);
	policy_undefined(p->conf->policy, conf_undefined, p);
}

int
conf_parse(const char *path, struct bgpd_config **out, FILE *errf)
{
	struct conf_parser	*p;
	struct conf_src		 top;
	int			 nerr;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->conf = conf_new()) == NULL) {
		fprintf(errf, "%s: out of memory\n", path);
		free(p);
		return 1;
	}
	p->errf = errf;
	memset(&top, 0, sizeof(top));
	if (conf_open(p, &top, path, NULL) == 0) {
		top.name = conf_intern(path);
		p->src = &top;
		conf_read(p);
		fclose(top.fp);
		conf_check(p, top.name);
	}
	if (p->ifa != NULL)
		freeifaddrs(p->ifa);
	free(p->refs);
	nerr = p->nerrors;
	if (nerr == 0)
		*out = p->conf;
	else
		conf_free(p->conf);
	free(p);
	return nerr;
}
