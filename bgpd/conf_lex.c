/*
 * conf_lex: the reader of tbgpd.conf under the statements: the files
 * (opening, the include stack, the size and line limits), lines split
 * into words, the keywords of the language, the "file:line:column:
 * message" reports, the getters a statement reads its words with, the
 * checks a single statement needs, and the policy names remembered for
 * the checks at the end.  It knows no statement: conf_parse.c finds the
 * statement of each line (conf_stmt.c) and reads a file through
 * p->read, which it sets, so an include reads its file the same way.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <glob.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
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
const char *
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

void
conf_err_at(struct conf_parser *p, const char *file, int line, int col,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	conf_vreport(p, file, line, col, 0, fmt, ap);
	va_end(ap);
}

void
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

/* A name the kernel could give an interface (IFNAMSIZ, no "/", ":",
 * blanks or control bytes, not "." or ".."). */
int
conf_ifname_ok(const char *s)
{
	size_t	i, n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ' ||
		    (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
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

/* Every word of the language, sorted by strcmp() for bsearch(). */
static const struct conf_keyword {
	const char	*name;
	enum kw		 id;
} conf_keywords[] = {
	{ "access-list",		KW_LATER },
	{ "activate",			KW_ACTIVATE },
	{ "additive",			KW_ADDITIVE },
	{ "address",			KW_ADDRESS },
	{ "address-family",		KW_ADDRESS_FAMILY },
	{ "advertisement-interval",	KW_ADVERTISEMENT_INTERVAL },
	{ "aggregate-address",		KW_LATER },
	{ "allowas-in",			KW_ALLOWAS_IN },
	{ "always-compare-med",		KW_ALWAYS_COMPARE_MED },
	{ "any",			KW_ANY },
	{ "as-path",			KW_AS_PATH },
	{ "bestpath",			KW_BESTPATH },
	{ "bfd",			KW_BFD },
	{ "bgp",			KW_BGP },
	{ "call",			KW_LATER },
	{ "capability",			KW_LATER },
	{ "cluster-id",			KW_LATER },
	{ "comm-list",			KW_COMM_LIST },
	{ "community",			KW_COMMUNITY },
	{ "community-list",		KW_COMMUNITY_LIST },
	{ "compare-routerid",		KW_COMPARE_ROUTERID },
	{ "confederation",		KW_LATER },
	{ "connect",			KW_CONNECT },
	{ "connected",			KW_CONNECTED },
	{ "continue",			KW_CONTINUE },
	{ "datacenter",			KW_DATACENTER },
	{ "debug",			KW_LATER },
	{ "default",			KW_DEFAULT },
	{ "default-originate",		KW_LATER },
	{ "defaults",			KW_DEFAULTS },
	{ "delete",			KW_DELETE },
	{ "deny",			KW_DENY },
	{ "description",		KW_DESCRIPTION },
	{ "distance",			KW_DISTANCE },
	{ "dump",			KW_DUMP },
	{ "ebgp-multihop",		KW_EBGP_MULTIHOP },
	{ "ebgp-requires-policy",	KW_EBGP_REQUIRES_POLICY },
	{ "end",			KW_END },
	{ "exact-match",		KW_EXACT_MATCH },
	{ "exit",			KW_EXIT },
	{ "exit-address-family",	KW_EXIT_ADDRESS_FAMILY },
	{ "expanded",			KW_EXPANDED },
	{ "extcommunity",		KW_EXTCOMMUNITY },
	{ "external",			KW_EXTERNAL },
	{ "facility",			KW_FACILITY },
	{ "failback-delay",		KW_FAILBACK_DELAY },
	{ "fib",			KW_FIB },
	{ "file",			KW_FILE },
	{ "filter-list",		KW_LATER },
	{ "frr",			KW_FRR },
	{ "ge",				KW_GE },
	{ "global",			KW_GLOBAL },
	{ "goto",			KW_GOTO },
	{ "graceful-restart",		KW_GRACEFUL_RESTART },
	{ "graceful-restart-disable",	KW_GRACEFUL_RESTART_DISABLE },
	{ "graceful-restart-helper",	KW_GRACEFUL_RESTART_HELPER },
	{ "hard-administrative-reset",	KW_HARD_ADMINISTRATIVE_RESET },
	{ "hops",			KW_HOPS },
	{ "hostname",			KW_HOSTNAME },
	{ "icmp",			KW_ICMP },
	{ "ignore",			KW_IGNORE },
	{ "import-check",		KW_IMPORT_CHECK },
	{ "in",				KW_IN },
	{ "inbound",			KW_INBOUND },
	{ "include",			KW_INCLUDE },
	{ "integrated-vtysh-config",	KW_INTEGRATED_VTYSH_CONFIG },
	{ "interface",			KW_LATER },
	{ "internal",			KW_INTERNAL },
	{ "interval",			KW_INTERVAL },
	{ "ip",				KW_IP },
	{ "ipv4",			KW_IPV4 },
	{ "ipv4-unicast",		KW_IPV4_UNICAST },
	{ "ipv6",			KW_IPV6 },
	{ "keepalive",			KW_KEEPALIVE },
	{ "kernel",			KW_KERNEL },
	{ "key",			KW_LATER },
	{ "large-community",		KW_LARGE_COMMUNITY },
	{ "large-community-list",	KW_LARGE_COMMUNITY_LIST },
	{ "last-as",			KW_LAST_AS },
	{ "le",				KW_LE },
	{ "line",			KW_LINE },
	{ "listen",			KW_LISTEN },
	{ "liveness",			KW_LIVENESS },
	{ "local-as",			KW_LATER },
	{ "local-preference",		KW_LOCAL_PREFERENCE },
	{ "log",			KW_LOG },
	{ "log-neighbor-changes",	KW_LOG_NEIGHBOR_CHANGES },
	{ "match",			KW_MATCH },
	{ "maximum-paths",		KW_MAXIMUM_PATHS },
	{ "maximum-prefix",		KW_MAXIMUM_PREFIX },
	{ "maximum-prefix-out",		KW_MAXIMUM_PREFIX_OUT },
	{ "med",			KW_MED },
	{ "message",			KW_MESSAGE },
	{ "metric",			KW_METRIC },
	{ "metrics",			KW_METRICS },
	{ "min-rx",			KW_MIN_RX },
	{ "minimum-holdtime",		KW_MINIMUM_HOLDTIME },
	{ "missing-as-worst",		KW_MISSING_AS_WORST },
	{ "multipath-relax",		KW_MULTIPATH_RELAX },
	{ "multiplier",			KW_MULTIPLIER },
	{ "neighbor",			KW_NEIGHBOR },
	{ "network",			KW_NETWORK },
	{ "next",			KW_NEXT },
	{ "next-hop",			KW_NEXT_HOP },
	{ "next-hop-self",		KW_LATER },
	{ "no",				KW_NO },
	{ "on-match",			KW_ON_MATCH },
	{ "origin",			KW_ORIGIN },
	{ "out",			KW_OUT },
	{ "passive",			KW_PASSIVE },
	{ "password",			KW_PASSWORD },
	{ "peer",			KW_PEER },
	{ "peer-address",		KW_PEER_ADDRESS },
	{ "peer-group",			KW_LATER },
	{ "permit",			KW_PERMIT },
	{ "port",			KW_PORT },
	{ "prefix-list",		KW_PREFIX_LIST },
	{ "prepend",			KW_PREPEND },
	{ "redistribute",		KW_REDISTRIBUTE },
	{ "remote-as",			KW_REMOTE_AS },
	{ "remove-private-AS",		KW_LATER },
	{ "restart",			KW_RESTART },
	{ "route",			KW_ROUTE },
	{ "route-map",			KW_ROUTE_MAP },
	{ "route-reflector-client",	KW_LATER },
	{ "router",			KW_ROUTER },
	{ "router-id",			KW_ROUTER_ID },
	{ "rt",				KW_RT },
	{ "send-community",		KW_LATER },
	{ "seq",			KW_SEQ },
	{ "service",			KW_SERVICE },
	{ "set",			KW_SET },
	{ "shutdown",			KW_SHUTDOWN },
	{ "soft-reconfiguration",	KW_SOFT_RECONFIGURATION },
	{ "src",			KW_LATER },
	{ "standard",			KW_STANDARD },
	{ "static",			KW_STATIC },
	{ "stdout",			KW_STDOUT },
	{ "strict-capability-match",	KW_STRICT_CAPABILITY_MATCH },
	{ "syslog",			KW_SYSLOG },
	{ "tag",			KW_LATER },
	{ "target",			KW_TARGET },
	{ "tcp",				KW_TCP },
	{ "timeout",			KW_TIMEOUT },
	{ "timers",			KW_TIMERS },
	{ "traditional",		KW_TRADITIONAL },
	{ "ttl-security",		KW_TTL_SECURITY },
	{ "unicast",			KW_UNICAST },
	{ "up",				KW_UP },
	{ "update-source",		KW_UPDATE_SOURCE },
	{ "version",			KW_VERSION },
	{ "vrf",			KW_LATER },
	{ "vty",			KW_VTY },
	{ "warning-only",		KW_WARNING_ONLY },
	{ "weight",			KW_WEIGHT },
};


static int
conf_kwcmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct conf_keyword *)elem)->name);
}

enum kw
conf_kw(const char *s)
{
	const struct conf_keyword	*k;

	k = bsearch(s, conf_keywords, sizeof(conf_keywords) /
	    sizeof(conf_keywords[0]), sizeof(conf_keywords[0]), conf_kwcmp);
	return k != NULL ? k->id : KW_NONE;
}


/* The address family of the node: router bgp itself is IPv4 (FRR). */
enum aid
conf_node_aid(const struct conf_parser *p)
{
	return p->node == NODE_AF6 ? AID_IPV6_UNICAST : AID_IPV4_UNICAST;
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

/* Splits the line into words; the first word may start a comment. */
void
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
/*
 * Reads one line into p->line.  Returns 0 at end of file, 1 for a line to
 * parse and 2 for a line that was reported as unreadable: longer than
 * CONF_LINE_MAX, or holding a NUL or another control byte (a binary file).
 */
int
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

int
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
	p->read(p);
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

