/*
 * conf_cmd: the configuration language itself.  conf_keywords[] holds
 * every word the reader knows, conf_cmds[] says which commands each node
 * (top level, router bgp, address-family, route-map) has, and each
 * cmd_*() handler reads the rest of its line with the conf_get_*()
 * getters of conf_parse.c and sets the configuration.  A handler that
 * reports an error leaves the configuration as it was.
 *
 * The handlers of the policy statements (prefix lists, AS-path and
 * community lists, route-maps) are in conf_policy.c; their entries in
 * conf_cmds[] are here with the others.
 *
 * Defaults are FRR's "traditional" ones (bgpd.h), so a file FRR 8 reads
 * means the same here; tbgpd speaks eBGP only, so iBGP settings are
 * errors, not warnings.
 */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf_int.h"

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
	{ "distance",			KW_LATER },
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
	{ "graceful-restart",		KW_LATER },
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

/* Values of "log ... LEVEL" and "log facility", as FRR names them. */
static const struct conf_value conf_levels[] = {
	{ "emergencies", LOG_EMERG }, { "alerts", LOG_ALERT },
	{ "critical", LOG_CRIT }, { "errors", LOG_ERR },
	{ "warnings", LOG_WARNING }, { "notifications", LOG_NOTICE },
	{ "informational", LOG_INFO }, { "debugging", LOG_DEBUG },
	{ NULL, 0 }
}, conf_facilities[] = {
	{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	{ "cron", LOG_CRON }, { "daemon", LOG_DAEMON }, { "ftp", LOG_FTP },
	{ "kern", LOG_KERN }, { "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 }, { "lpr", LOG_LPR }, { "mail", LOG_MAIL },
	{ "news", LOG_NEWS }, { "syslog", LOG_SYSLOG }, { "user", LOG_USER },
	{ "uucp", LOG_UUCP },
	{ NULL, 0 }
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

/* ---- top level ---- */

static int
cmd_eol(struct conf_parser *p)
{
	return conf_get_eol(p);
}

/* "frr version X", "hostname NAME": FRR writes them, tbgpd needs neither. */
static int
conf_ignore_word(struct conf_parser *p, const char *what)
{
	if (conf_get_word(p, what) == NULL)
		return -1;
	return conf_get_eol(p);
}

static int
cmd_frr_version(struct conf_parser *p)
{
	return conf_ignore_word(p, "a version");
}

static int
cmd_hostname(struct conf_parser *p)
{
	return conf_ignore_word(p, "a host name");
}

static int
cmd_frr_defaults(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (k != KW_TRADITIONAL && k != KW_DATACENTER) {
		conf_expected(p, t, "'traditional' or 'datacenter'");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if (k == KW_DATACENTER)
		conf_warn(p, t, "tbgpd always uses FRR's 'traditional' "
		    "defaults (timers 60 180, ipv4-unicast on)");
	return 0;
}

static int
conf_log_level(struct conf_parser *p)
{
	int	level;

	if (conf_peek(p) == NULL)
		return 0;
	if (conf_get_value(p, conf_levels, "a log level (emergencies, alerts, "
	    "critical, errors, warnings, notifications, informational, "
	    "debugging)", &level) == -1 || conf_get_eol(p) == -1)
		return -1;
	/* tbgpd has one level for all targets; the last one given wins. */
	if (p->level_set && level != p->conf->log_level)
		conf_warn(p, &p->tok[p->cur - 1], "tbgpd has one log level "
		    "for all targets: this one replaces the earlier one");
	p->level_set = 1;
	p->conf->log_level = level;
	return 0;
}

static int
cmd_log_syslog(struct conf_parser *p)
{
	if (conf_log_level(p) == -1)
		return -1;
	p->conf->log_syslog = 1;
	return 0;
}

static int
cmd_log_stdout(struct conf_parser *p)
{
	if (conf_log_level(p) == -1)
		return -1;
	p->conf->log_stderr = 1;
	return 0;
}

static int
cmd_log_file(struct conf_parser *p)
{
	const struct conf_tok	*t;

	if ((t = conf_get_word(p, "a file name")) == NULL)
		return -1;
	if (strlen(t->s) >= sizeof(p->conf->log_file)) {
		conf_err(p, t, "log file name is longer than %zu bytes",
		    sizeof(p->conf->log_file) - 1);
		return -1;
	}
	if (conf_log_level(p) == -1)
		return -1;
	strlcpy(p->conf->log_file, t->s, sizeof(p->conf->log_file));
	return 0;
}

static int
cmd_log_facility(struct conf_parser *p)
{
	int	fac;

	if (conf_get_value(p, conf_facilities, "a syslog facility (daemon, "
	    "local0-local7, user, ...)", &fac) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	p->conf->log_facility = fac;
	return 0;
}

/* "ip route", "ipv6 forwarding", ...: FRR features for later. */
static int
cmd_ip_later(struct conf_parser *p)
{
	const struct conf_tok	*t0 = &p->tok[p->cur - 1], *t = conf_next(p);
	char			 vis[CONF_VIS_BUF];

	if (t == NULL)
		conf_err(p, t0, "unknown command '%s'", t0->s);
	else
		conf_err(p, t0, "'%s %s' is not supported yet", t0->s,
		    conf_vis(t->s, vis, sizeof(vis)));
	return -1;
}

/* The file reading is conf_include()'s, in conf_parse.c. */
static int
cmd_include(struct conf_parser *p)
{
	const struct conf_tok	*t;

	if ((t = conf_get_word(p, "a file name or pattern")) == NULL ||
	    conf_get_eol(p) == -1)
		return -1;
	return conf_include(p, t);
}

static int
cmd_router_bgp(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p), *v;
	uint32_t		 as;

	/* Enter the node even on error: its lines would all fail too. */
	p->node = NODE_ROUTER;
	p->router_seen = 1;
	if (conf_get_as(p, &as) == -1)
		return -1;
	if ((v = conf_peek(p)) != NULL && conf_kw(v->s) == KW_LATER) {
		conf_err(p, v, "'router bgp ... %s' is not supported yet",
		    v->s);
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if (p->conf->as != 0 && p->conf->as != as) {
		conf_err(p, t, "'router bgp %u' conflicts with 'router bgp %u' "
		    "at %s:%d: tbgpd runs one BGP instance", as, p->conf->as,
		    p->router_file, p->router_line);
		return -1;
	}
	if (p->conf->as == 0) {
		p->conf->as = as;
		p->router_file = p->src->name;
		p->router_line = p->src->lineno;
	}
	return 0;
}

/* ---- router bgp ---- */

static int
cmd_router_id(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	uint32_t		 id;

	if (t == NULL || bgpid_parse(t->s, &id) == -1) {
		conf_expected(p, t, "a router-id (A.B.C.D)");
		return -1;
	}
	/* RFC 6286 section 2.1: the BGP Identifier is non-zero. */
	if (id == 0) {
		conf_err(p, t, "router-id must not be 0.0.0.0 (RFC 6286)");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->router_id = id;
	return 0;
}

static int
cmd_min_holdtime(struct conf_parser *p)
{
	uint32_t	v;

	if (conf_get_num(p, "a minimum hold time", 1, 1000, &v) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	p->conf->min_holdtime = v;
	return 0;
}

/* bgp failback-delay SECONDS: a session that comes back keeps its paths
 * out of the selection (where another path exists) for that long. */
static int
cmd_failback_delay(struct conf_parser *p)
{
	uint32_t	v = 0;

	if ((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_num(p, "a delay in seconds", 0, 3600, &v) == -1)
		return -1;
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->failback_delay = p->negate ? 0 : v;
	return 0;
}

static int
cmd_default_ipv4(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);

	if (t == NULL || conf_kw(t->s) != KW_IPV4_UNICAST) {
		if (t != NULL && strncmp(t->s, "ipv", 3) == 0)
			conf_err(p, t, "'bgp default %s' is not supported "
			    "yet", t->s);
		else
			conf_expected(p, t, "'ipv4-unicast'");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->default_ipv4_unicast = !p->negate;
	return 0;
}

static int
cmd_requires_policy(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->ebgp_requires_policy = !p->negate;
	return 0;
}

static int
cmd_timers_bgp(struct conf_parser *p)
{
	uint16_t	k, h;

	if (conf_get_times(p, &k, &h) == -1 || conf_get_eol(p) == -1)
		return -1;
	p->conf->keepalive = k;
	p->conf->holdtime = h;
	return 0;
}

static int
cmd_address_family(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p), *s;
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (t != NULL && strcmp(t->s, "l2vpn") == 0) {
		conf_err(p, t, "'address-family l2vpn' is not supported yet");
		return -1;
	}
	if (k != KW_IPV4 && k != KW_IPV6) {
		conf_expected(p, t, "'ipv4' or 'ipv6'");
		return -1;
	}
	if ((s = conf_next(p)) != NULL && conf_kw(s->s) != KW_UNICAST) {
		conf_err(p, s, "'address-family %s %s' is not supported yet",
		    t->s, s->s);
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	p->node = k == KW_IPV4 ? NODE_AF4 : NODE_AF6;
	return 0;
}

/* "exit" in router bgp and route-map, "exit[-address-family]" in an
 * address family. */
static int
cmd_exit(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->node = conf_parent(p->node);
	return 0;
}

/* ---- neighbor ADDR ... ---- */

/* The neighbor this line is about; FRR wants its remote-as first. */
static struct peer_config *
conf_nb_peer(struct conf_parser *p)
{
	const struct conf_tok	*t = &p->tok[p->base + 1];
	struct peer_config	*pc;
	struct tb_addr		 a;

	if (conf_tok_addr(p, t, NEIGHBOR_ADDR, &a) == -1)
		return NULL;
	if ((pc = conf_find_peer(p->conf, &a)) == NULL)
		conf_err(p, t, "neighbor %s has no remote-as: specify "
		    "'neighbor %s remote-as' first", t->s, t->s);
	return pc;
}

/* The neighbor of "neighbor ADDR WORD" with nothing after WORD. */
static struct peer_config *
conf_nb_bare(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_peer(p)) == NULL || conf_get_eol(p) == -1)
		return NULL;
	return pc;
}

static int
conf_nb_addr_ok(struct conf_parser *p, const struct conf_tok *t,
    const struct tb_addr *a)
{
	int	bad;

	if (a->af == AF_INET)
		bad = a->u.v4.s_addr == htonl(INADDR_ANY) ||
		    IN_MULTICAST(ntohl(a->u.v4.s_addr)) ||
		    a->u.v4.s_addr == htonl(INADDR_BROADCAST);
	else
		bad = IN6_IS_ADDR_UNSPECIFIED(&a->u.v6) ||
		    IN6_IS_ADDR_MULTICAST(&a->u.v6);
	if (bad)
		conf_err(p, t, "neighbor %s is not a unicast address", t->s);
	return bad ? -1 : 0;
}

static int
conf_remote_as(struct conf_parser *p, uint32_t *as)
{
	const struct conf_tok	*t = conf_peek(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (k == KW_INTERNAL) {
		conf_err(p, t, "'remote-as internal' is not possible: tbgpd "
		    "speaks eBGP only");
		return -1;
	}
	if (k == KW_EXTERNAL) {
		p->cur++;
		*as = REMOTE_AS_EXTERNAL;
		return 0;
	}
	if (conf_get_as(p, as) == -1)
		return -1;
	if (*as == p->conf->as) {
		conf_err(p, t, "neighbor AS %u is our own AS: tbgpd speaks "
		    "eBGP only", *as);
		return -1;
	}
	return 0;
}

static int
cmd_nb_remote_as(struct conf_parser *p)
{
	const struct conf_tok	*t = &p->tok[p->base + 1];
	struct peer_config	*pc;
	struct tb_addr		 a;
	uint32_t		 as;

	if (conf_tok_addr(p, t, NEIGHBOR_ADDR, &a) == -1 ||
	    conf_nb_addr_ok(p, t, &a) == -1 ||
	    conf_remote_as(p, &as) == -1 || conf_get_eol(p) == -1)
		return -1;
	if ((pc = conf_find_peer(p->conf, &a)) != NULL) {
		conf_err(p, t, "neighbor %s is already defined at %s:%d%s",
		    t->s, pc->file, pc->line, pc->file == p->src->name &&
		    pc->line == p->src->lineno ? " (file included twice?)" : "");
		return -1;
	}
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		conf_err(p, t, "out of memory");
		return -1;
	}
	pc->remote = a;
	pc->remote_as = as;
	/* FRR applies "bgp default ipv4-unicast" when the peer is created. */
	pc->af_active = p->conf->default_ipv4_unicast ?
	    AID_BIT(AID_IPV4_UNICAST) : 0;
	pc->file = p->src->name;
	pc->line = p->src->lineno;
	TAILQ_INSERT_TAIL(&p->conf->peers, pc, entry);
	conf_check_reserved(p, t, &a);
	return 0;
}

static int
cmd_nb_description(struct conf_parser *p)
{
	struct peer_config	*pc;
	char			 text[DESCR_MAX + 1];

	if ((pc = conf_nb_peer(p)) == NULL ||
	    conf_get_text(p, "a description", text, DESCR_MAX) == -1)
		return -1;
	strlcpy(pc->descr, text, sizeof(pc->descr));
	return 0;
}

static int
cmd_nb_timers(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);
	struct peer_config	*pc;
	uint16_t		 k, h;
	uint32_t		 c;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (t != NULL && conf_kw(t->s) == KW_CONNECT) {
		p->cur++;
		if (conf_get_num(p, "a connect retry time", 1, 65535,
		    &c) == -1 || conf_get_eol(p) == -1)
			return -1;
		pc->connect_retry = c;
		return 0;
	}
	if (conf_get_times(p, &k, &h) == -1 || conf_get_eol(p) == -1)
		return -1;
	pc->keepalive = k;
	pc->holdtime = h;
	pc->timers_set = 1;
	return 0;
}

static int
cmd_nb_password(struct conf_parser *p)
{
	const struct conf_tok	*t;
	struct peer_config	*pc;

	if ((pc = conf_nb_peer(p)) == NULL ||
	    (t = conf_get_word(p, "a password")) == NULL ||
	    conf_get_eol(p) == -1)
		return -1;
	/* TCP_MD5SIG keys are at most 80 bytes (RFC 2385 via Linux). */
	if (strlen(t->s) > PASSWORD_MAX) {
		conf_err(p, t, "password is longer than %d bytes",
		    PASSWORD_MAX);
		return -1;
	}
	strlcpy(pc->password, t->s, sizeof(pc->password));
	return 0;
}

static int
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

static int
conf_source_addr(struct conf_parser *p, const struct conf_tok *t,
    struct peer_config *pc, const struct tb_addr *a)
{
	if (a->af != pc->remote.af) {
		conf_err(p, t, "update-source %s and neighbor %s are of "
		    "different address families", t->s, addr_str(&pc->remote));
		return -1;
	}
	if (!conf_is_local(p, a))
		conf_warn(p, t, "update-source %s is not an address of this "
		    "host now: connecting will fail until it is", t->s);
	conf_check_reserved(p, t, a);
	return 0;
}

static int
cmd_nb_update_source(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);
	struct peer_config	*pc;
	struct tb_addr		 a;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	p->cur++;
	if (t == NULL || (addr_parse(t->s, &a) == -1 &&
	    !conf_ifname_ok(t->s))) {
		conf_expected(p, t, "an address or an interface name");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if (addr_isset(&a)) {
		if (conf_source_addr(p, t, pc, &a) == -1)
			return -1;
		pc->local = a;
		pc->local_ifname[0] = '\0';
		return 0;
	}
	/* An XFRM interface may well appear only after tbgpd starts. */
	if (if_nametoindex(t->s) == 0)
		conf_warn(p, t, "interface %s does not exist now", t->s);
	memset(&pc->local, 0, sizeof(pc->local));
	strlcpy(pc->local_ifname, t->s, sizeof(pc->local_ifname));
	return 0;
}

/* FRR refuses GTSM (RFC 5082) together with ebgp-multihop, and so do we. */
static int
conf_ttl_conflict(struct conf_parser *p, const struct peer_config *pc,
    int gtsm)
{
	if (gtsm ? pc->multihop == 0 : pc->ttl_security == 0)
		return 0;
	conf_err(p, &p->tok[p->base + 2], "neighbor %s: ttl-security and "
	    "ebgp-multihop cannot be used together", addr_str(&pc->remote));
	return -1;
}

static int
cmd_nb_ttl_security(struct conf_parser *p)
{
	struct peer_config	*pc;
	uint32_t		 hops;

	if ((pc = conf_nb_peer(p)) == NULL ||
	    conf_get_kw(p, KW_HOPS, "hops") == -1 ||
	    conf_get_num(p, "a hop count", 1, 254, &hops) == -1 ||
	    conf_get_eol(p) == -1 || conf_ttl_conflict(p, pc, 1) == -1)
		return -1;
	pc->ttl_security = hops;
	return 0;
}

static int
cmd_nb_multihop(struct conf_parser *p)
{
	struct peer_config	*pc;
	uint32_t		 ttl = 255;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (conf_peek(p) != NULL &&
	    conf_get_num(p, "a TTL", 1, 255, &ttl) == -1)
		return -1;
	if (conf_get_eol(p) == -1 || conf_ttl_conflict(p, pc, 0) == -1)
		return -1;
	pc->multihop = ttl;
	return 0;
}

static int
cmd_nb_passive(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_bare(p)) == NULL)
		return -1;
	pc->passive = 1;
	return 0;
}

static int
cmd_nb_strict(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_bare(p)) == NULL)
		return -1;
	pc->strict_caps = 1;
	return 0;
}

/* RFC 9003: the shutdown communication is at most 255 octets of UTF-8. */
static int
cmd_nb_shutdown(struct conf_parser *p)
{
	struct peer_config	*pc;
	char			 msg[SHUTDOWN_MSG_MAX + 1] = "";

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (conf_peek(p) != NULL) {
		if (conf_get_kw(p, KW_MESSAGE, "message") == -1 ||
		    conf_get_text(p, "a shutdown message", msg,
		    SHUTDOWN_MSG_MAX) == -1)
			return -1;
	}
	pc->shutdown = 1;
	strlcpy(pc->shutdown_msg, msg, sizeof(pc->shutdown_msg));
	return 0;
}

/* In router bgp itself (FRR's legacy form) it means IPv4 unicast. */
static int
cmd_nb_activate(struct conf_parser *p)
{
	struct peer_config	*pc;
	unsigned		 bit;

	if ((pc = conf_nb_bare(p)) == NULL)
		return -1;
	bit = AID_BIT(p->node == NODE_AF6 ? AID_IPV6_UNICAST :
	    AID_IPV4_UNICAST);
	pc->af_configured |= bit;
	if (p->negate)
		pc->af_active &= ~bit;
	else
		pc->af_active |= bit;
	return 0;
}

/* ---- router bgp: best path, multipath, origination ---- */

/* The address family of the node: router bgp itself is IPv4 (FRR). */
static enum aid
conf_node_aid(const struct conf_parser *p)
{
	return p->node == NODE_AF6 ? AID_IPV6_UNICAST : AID_IPV4_UNICAST;
}

/* bgp bestpath as-path ignore|multipath-relax, med missing-as-worst,
 * compare-routerid: the flag the words name, NULL after an error. */
static int *
conf_bestpath_flag(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	switch (k) {
	case KW_AS_PATH:
		t = conf_next(p);
		k = t != NULL ? conf_kw(t->s) : KW_NONE;
		if (k == KW_IGNORE)
			return &p->conf->as_path_ignore;
		if (k == KW_MULTIPATH_RELAX)
			return &p->conf->multipath_relax;
		conf_expected(p, t, "'ignore' or 'multipath-relax'");
		return NULL;
	case KW_MED:
		if (conf_get_kw(p, KW_MISSING_AS_WORST, "missing-as-worst") ==
		    -1)
			return NULL;
		return &p->conf->med_missing_as_worst;
	case KW_COMPARE_ROUTERID:
		return &p->conf->compare_router_id;
	default:
		conf_expected(p, t, "'as-path', 'med' or 'compare-routerid'");
		return NULL;
	}
}

static int
cmd_bestpath(struct conf_parser *p)
{
	int	*flag;

	if ((flag = conf_bestpath_flag(p)) == NULL || conf_get_eol(p) == -1)
		return -1;
	*flag = !p->negate;
	return 0;
}

static int
cmd_always_compare_med(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->always_compare_med = !p->negate;
	return 0;
}

static int
cmd_import_check(struct conf_parser *p)
{
	if (conf_get_kw(p, KW_IMPORT_CHECK, "import-check") == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	p->conf->network_import_check = !p->negate;
	return 0;
}

/* maximum-paths N; "no maximum-paths [N]" goes back to 1. */
static int
cmd_maximum_paths(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);
	uint32_t		 n = 1;

	if (t != NULL && strcmp(t->s, "ibgp") == 0) {
		conf_err(p, t, "'maximum-paths ibgp' is not possible: tbgpd "
		    "speaks eBGP only");
		return -1;
	}
	if ((!p->negate || t != NULL) &&
	    conf_get_num(p, "a number of paths", 1, 64, &n) == -1)
		return -1;
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->maximum_paths[conf_node_aid(p)] = p->negate ? 1 : n;
	return 0;
}

static int
cmd_fib_scan(struct conf_parser *p)
{
	uint32_t	v = FIB_SCAN_DEFAULT;

	if ((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_num(p, "a scan interval in seconds", 0, 86400, &v) == -1)
		return -1;
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->fib_scan = p->negate ? FIB_SCAN_DEFAULT : v;
	return 0;
}

/* fib table N | fib metric N | [no] fib install | [no] fib retain |
 * fib scan-interval S: where and how selected routes go into the kernel,
 * and how often the kernel's table is read back and repaired. */
static int
cmd_fib(struct conf_parser *p)
{
	const struct conf_tok	*t;
	uint32_t		 n;
	int			 table;

	if ((t = conf_get_word(p, "'table', 'metric', 'install', 'retain' "
	    "or 'scan-interval'")) == NULL)
		return -1;
	if (strcmp(t->s, "install") == 0 || strcmp(t->s, "retain") == 0) {
		if (conf_get_eol(p) == -1)
			return -1;
		if (t->s[0] == 'i')
			p->conf->fib_install = !p->negate;
		else
			p->conf->fib_retain = !p->negate;
		return 0;
	}
	if (strcmp(t->s, "scan-interval") == 0)
		return cmd_fib_scan(p);
	if (strcmp(t->s, "table") != 0 && strcmp(t->s, "metric") != 0) {
		conf_expected(p, t, "'table', 'metric', 'install', 'retain' "
		    "or 'scan-interval'");
		return -1;
	}
	table = t->s[0] == 't';
	n = table ? FIB_TABLE_MAIN : FIB_METRIC_DEFAULT;
	t = conf_peek(p);
	if ((!p->negate || t != NULL) && conf_get_num(p, table ?
	    "a kernel table number" : "a route metric", table ? 1 : 0,
	    UINT32_MAX, &n) == -1)
		return -1;
	if (table && (n == 255 || n == 253)) {
		conf_err(p, t, "table %u is the kernel's %s table", n,
		    n == 255 ? "local" : "default");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if (table)
		p->conf->fib_table = n;
	else
		p->conf->fib_metric = n;
	return 0;
}

/* FRR takes "network" in the node of the prefix's address family. */
static int
conf_prefix_aid(struct conf_parser *p, const struct conf_tok *t,
    const struct tb_prefix *pfx, enum aid aid)
{
	if (pfx->addr.af == AF_INET6 && aid != AID_IPV6_UNICAST) {
		conf_err(p, t, "%s is an IPv6 prefix: it belongs inside "
		    "'address-family ipv6 unicast'", t->s);
		return -1;
	}
	if (pfx->addr.af == AF_INET && aid != AID_IPV4_UNICAST) {
		conf_err(p, t, "%s is an IPv4 prefix: it belongs in 'router "
		    "bgp' or inside 'address-family ipv4 unicast'", t->s);
		return -1;
	}
	return 0;
}

static struct network_config *
conf_network_find(struct bgpd_config *c, enum aid aid,
    const struct tb_prefix *pfx)
{
	struct network_config	*n;

	TAILQ_FOREACH(n, &c->networks[aid], entry)
		if (n->prefix.len == pfx->len &&
		    addr_cmp(&n->prefix.addr, &pfx->addr) == 0)
			return n;
	return NULL;
}

/* "[route-map NAME]" at the end of a line; name "" when absent. */
static int
conf_get_opt_rmap(struct conf_parser *p, char *name,
    const struct conf_tok **tn)
{
	name[0] = '\0';
	*tn = NULL;
	if (conf_peek(p) == NULL)
		return 0;
	if (conf_get_kw(p, KW_ROUTE_MAP, "route-map") == -1 ||
	    (*tn = conf_get_name(p, "a route-map name", name,
	    POLICY_REF_MAX)) == NULL)
		return -1;
	return 0;
}

static int
conf_network_del(struct conf_parser *p, const struct conf_tok *t,
    enum aid aid, struct network_config *n)
{
	if (n == NULL) {
		conf_err(p, t, "network %s is not configured", t->s);
		return -1;
	}
	conf_ref_drop(p, n->rmap);
	TAILQ_REMOVE(&p->conf->networks[aid], n, entry);
	free(n);
	return 0;
}

/* network PREFIX [route-map NAME] */
static int
cmd_network(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p), *tr;
	struct network_config	*n;
	struct tb_prefix	 pfx;
	enum aid		 aid = conf_node_aid(p);
	char			 rmap[POLICY_REF_MAX], what[96];

	if (conf_get_prefix(p, AF_UNSPEC, "a prefix (A.B.C.D/M or "
	    "X:X::X:X/M)", &pfx) == -1 || conf_get_opt_rmap(p, rmap,
	    &tr) == -1 || conf_get_eol(p) == -1 ||
	    conf_prefix_aid(p, t, &pfx, aid) == -1)
		return -1;
	n = conf_network_find(p->conf, aid, &pfx);
	if (p->negate)
		return conf_network_del(p, t, aid, n);
	if (n == NULL) {
		if ((n = calloc(1, sizeof(*n))) == NULL) {
			conf_err(p, t, "out of memory");
			return -1;
		}
		n->prefix = pfx;
		TAILQ_INSERT_TAIL(&p->conf->networks[aid], n, entry);
	}
	strlcpy(n->rmap, rmap, sizeof(n->rmap));
	conf_ref_drop(p, n->rmap);
	snprintf(what, sizeof(what), "network %s is not announced",
	    prefix_str(&pfx));
	if (tr != NULL)
		conf_ref_add(p, tr, n->rmap, 0, what);
	return 0;
}

static const struct conf_value conf_redist_srcs[] = {
	{ "connected", REDIST_CONNECTED }, { "kernel", REDIST_KERNEL },
	{ "static", REDIST_STATIC },
	{ NULL, 0 }
};

/* Route sources FRR redistributes and tbgpd does not (yet). */
static int
conf_redist_later(const char *s)
{
	static const char *const later[] = { "babel", "eigrp", "isis",
	    "nhrp", "openfabric", "ospf", "ospf6", "rip", "ripng", "sharp",
	    "table", "table-direct", "vnc" };
	size_t	i;

	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (strcmp(s, later[i]) == 0)
			return 1;
	return 0;
}

/* redistribute connected|static|kernel [route-map NAME] */
static int
cmd_redistribute(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p), *tr;
	struct redist_config	*r;
	char			 rmap[POLICY_REF_MAX], what[96];
	int			 src;

	if (t != NULL && conf_redist_later(t->s)) {
		conf_err(p, t, "'redistribute %s' is not supported yet", t->s);
		return -1;
	}
	if (conf_get_value(p, conf_redist_srcs, "'connected', 'static' or "
	    "'kernel'", &src) == -1 || conf_get_opt_rmap(p, rmap, &tr) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	r = &p->conf->redist[conf_node_aid(p)][src];
	r->on = !p->negate;
	strlcpy(r->rmap, p->negate ? "" : rmap, sizeof(r->rmap));
	conf_ref_drop(p, r->rmap);
	snprintf(what, sizeof(what), "no %s route is redistributed", t->s);
	if (tr != NULL && !p->negate)
		conf_ref_add(p, tr, r->rmap, 0, what);
	return 0;
}

/* ---- neighbor ADDR ...: per address family (FRR's af node) ---- */

static int
conf_get_dir(struct conf_parser *p, int *in)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (k != KW_IN && k != KW_OUT) {
		conf_expected(p, t, "'in' or 'out'");
		return -1;
	}
	*in = k == KW_IN;
	return 0;
}

/* neighbor X route-map|prefix-list NAME in|out */
static int
conf_nb_filter(struct conf_parser *p, int plist)
{
	const struct conf_tok	*tn;
	struct peer_config	*pc;
	struct peer_af_config	*pa;
	enum aid		 aid = conf_node_aid(p);
	char			 name[POLICY_REF_MAX], what[96], *field;
	int			 in;

	if ((pc = conf_nb_peer(p)) == NULL || (tn = conf_get_name(p, plist ?
	    "a prefix-list name" : "a route-map name", name,
	    sizeof(name))) == NULL || conf_get_dir(p, &in) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	pa = &pc->af[aid];
	if (plist)
		field = in ? pa->plist_in : pa->plist_out;
	else
		field = in ? pa->rmap_in : pa->rmap_out;
	conf_ref_drop(p, field);
	if (p->negate) {
		field[0] = '\0';
		return 0;
	}
	strlcpy(field, name, POLICY_REF_MAX);
	snprintf(what, sizeof(what), "every route %s neighbor %s is denied",
	    in ? "from" : "to", addr_str(&pc->remote));
	conf_ref_add(p, tn, field, !plist ? 0 : aid == AID_IPV6_UNICAST ?
	    AF_INET6 : AF_INET, what);
	return 0;
}

static int
cmd_nb_route_map(struct conf_parser *p)
{
	return conf_nb_filter(p, 0);
}

static int
cmd_nb_prefix_list(struct conf_parser *p)
{
	return conf_nb_filter(p, 1);
}

/* "[THRESHOLD] [warning-only | restart MINUTES]" after the count. */
static int
conf_max_prefix_opts(struct conf_parser *p, uint32_t *thr, int *warn,
    uint32_t *restart)
{
	const struct conf_tok	*t = conf_peek(p);
	uint32_t		 v;

	*thr = *restart = 0;
	*warn = 0;
	if (t != NULL && conf_str_u32(t->s, &v) == 0 &&
	    conf_get_num(p, "a warning threshold in percent", 1, 100,
	    thr) == -1)
		return -1;
	if ((t = conf_peek(p)) != NULL && conf_kw(t->s) == KW_WARNING_ONLY) {
		p->cur++;
		*warn = 1;
	} else if (t != NULL && conf_kw(t->s) == KW_RESTART) {
		p->cur++;
		if (conf_get_num(p, "a restart time in minutes", 1, 65535,
		    restart) == -1)
			return -1;
	}
	return conf_get_eol(p);
}

/* neighbor X maximum-prefix N [THRESHOLD] [warning-only|restart MIN] */
static int
cmd_nb_max_prefix(struct conf_parser *p)
{
	struct peer_config	*pc;
	struct peer_af_config	*pa;
	uint32_t		 n = 0, thr, restart;
	int			 warn;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if ((!p->negate || conf_peek(p) != NULL) && conf_get_num(p,
	    "a prefix count", 1, UINT32_MAX, &n) == -1)
		return -1;
	if (conf_max_prefix_opts(p, &thr, &warn, &restart) == -1)
		return -1;
	pa = &pc->af[conf_node_aid(p)];
	pa->max_prefix = p->negate ? 0 : n;
	pa->max_prefix_threshold = p->negate ? 0 : thr;
	pa->max_prefix_warning = p->negate ? 0 : warn;
	pa->max_prefix_restart = p->negate ? 0 : restart;
	return 0;
}

static int
cmd_nb_max_prefix_out(struct conf_parser *p)
{
	struct peer_config	*pc;
	uint32_t		 n = 0;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (((!p->negate || conf_peek(p) != NULL) && conf_get_num(p,
	    "a prefix count", 1, UINT32_MAX, &n) == -1) ||
	    conf_get_eol(p) == -1)
		return -1;
	pc->af[conf_node_aid(p)].max_prefix_out = p->negate ? 0 : n;
	return 0;
}

static int
cmd_nb_soft_reconfig(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_peer(p)) == NULL ||
	    conf_get_kw(p, KW_INBOUND, "inbound") == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	pc->af[conf_node_aid(p)].soft_reconfig_in = !p->negate;
	return 0;
}

/* neighbor X allowas-in [1-10 | origin]: FRR's default count is 3. */
static int
cmd_nb_allowas_in(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);
	struct peer_config	*pc;
	struct peer_af_config	*pa;
	uint32_t		 n = 3;
	int			 origin = 0;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (t != NULL && conf_kw(t->s) == KW_ORIGIN) {
		p->cur++;
		origin = 1;
		n = 0;
	} else if (t != NULL) {
		p->cur++;
		if (conf_str_u32(t->s, &n) == -1 || n < 1 || n > 10) {
			conf_expected(p, t, "a count (1-10) or 'origin'");
			return -1;
		}
	}
	if (conf_get_eol(p) == -1)
		return -1;
	pa = &pc->af[conf_node_aid(p)];
	pa->allowas_in = p->negate ? 0 : n;
	pa->allowas_in_origin = p->negate ? 0 : origin;
	return 0;
}

static int
cmd_nb_weight(struct conf_parser *p)
{
	struct peer_config	*pc;
	uint32_t		 w = 0;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_num(p, "a weight", 0, 65535, &w) == -1) ||
	    conf_get_eol(p) == -1)
		return -1;
	pc->af[conf_node_aid(p)].weight = p->negate ? 0 : w;
	pc->af[conf_node_aid(p)].weight_set = !p->negate;
	return 0;
}

/*
 * RFC 4271 section 9.2.1.1 (MinRouteAdvertisementInterval): tbgpd's
 * default is 0, UPDATEs leave at once, because a quick failover between
 * two tunnels matters more here than damping churn.
 */
static int
cmd_nb_adv_interval(struct conf_parser *p)
{
	struct peer_config	*pc;
	uint32_t		 s = 0;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_num(p, "an interval in seconds", 0, 600, &s) == -1) ||
	    conf_get_eol(p) == -1)
		return -1;
	pc->adv_interval = p->negate ? 0 : s;
	return 0;
}


/* ---- neighbor ADDR liveness ... | bfd ... (tbgpd(8) LIVENESS) ---- */

/* One "KEYWORD NUMBER" option of a liveness statement. */
struct conf_opt {
	enum kw		 kw;
	const char	*name;
	const char	*what;
	uint32_t	 min, max;
	uint32_t	 val;
	int		 seen;
};

static struct conf_opt *
conf_opt_find(struct conf_opt *o, size_t n, const struct conf_tok *t)
{
	enum kw	 k = conf_kw(t->s);
	size_t	 i;

	for (i = 0; i < n; i++)
		if (o[i].kw == k)
			return &o[i];
	return NULL;
}

static void
conf_opt_expected(struct conf_parser *p, const struct conf_tok *t,
    const struct conf_opt *o, size_t n)
{
	char	 list[128] = "";
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(list, i + 1 == n ? " or " : ", ", sizeof(list));
		strlcat(list, "'", sizeof(list));
		strlcat(list, o[i].name, sizeof(list));
		strlcat(list, "'", sizeof(list));
	}
	conf_expected(p, t, list);
}

/* The options to the end of the line, in any order, each once. */
static int
conf_get_opts(struct conf_parser *p, struct conf_opt *o, size_t n)
{
	const struct conf_tok	*t;
	struct conf_opt		*x;

	while ((t = conf_next(p)) != NULL) {
		if ((x = conf_opt_find(o, n, t)) == NULL) {
			conf_opt_expected(p, t, o, n);
			return -1;
		}
		if (x->seen) {
			conf_err(p, t, "'%s' is given twice", x->name);
			return -1;
		}
		if (conf_get_num(p, x->what, x->min, x->max, &x->val) == -1)
			return -1;
		x->seen = 1;
	}
	return 0;
}

/* A required option left out: the error points at the end of the line. */
static int
conf_opt_need(struct conf_parser *p, const struct conf_opt *o)
{
	char	 what[96];

	if (o->seen || p->negate)
		return 0;
	snprintf(what, sizeof(what), "'%s' and %s", o->name, o->what);
	conf_expected(p, NULL, what);
	return -1;
}

/*
 * liveness tcp timeout MS [keepalive MS]: KEEPALIVEs every keepalive ms
 * once Established, and TCP_USER_TIMEOUT = timeout.  The keepalive may
 * not exceed the timeout: detection takes up to one keepalive interval
 * (until data is in flight) plus the timeout.  RFC 4271 4.4 sets the
 * 1 s floor of the keepalive.
 */
static int
conf_live_tcp(struct conf_parser *p, struct peer_config *pc)
{
	struct conf_opt	 o[] = {
		{ KW_TIMEOUT, "timeout", "a timeout in milliseconds",
		    LIVE_TCP_TIMEOUT_MIN, LIVE_TCP_TIMEOUT_MAX, 0, 0 },
		{ KW_KEEPALIVE, "keepalive", "an interval in milliseconds",
		    LIVE_TCP_KEEPALIVE_MIN, LIVE_TCP_TIMEOUT_MAX,
		    LIVE_TCP_KEEPALIVE_DEF, 0 },
	};
	const struct conf_tok	*t = &p->tok[p->base + 3];

	if (conf_get_opts(p, o, 2) == -1 || conf_opt_need(p, &o[0]) == -1)
		return -1;
	if (!p->negate && o[1].val > o[0].val) {
		conf_err(p, t, "liveness tcp: keepalive %u ms must not exceed "
		    "the timeout (%u ms)", o[1].val, o[0].val);
		return -1;
	}
	pc->live_tcp_timeout = p->negate ? 0 : o[0].val;
	pc->live_tcp_keepalive = p->negate ? 0 : o[1].val;
	return 0;
}

/* liveness icmp interval MS multiplier N [up N] */
static int
conf_live_icmp(struct conf_parser *p, struct peer_config *pc)
{
	struct conf_opt	 o[] = {
		{ KW_INTERVAL, "interval", "an interval in milliseconds",
		    LIVE_ICMP_INTERVAL_MIN, LIVE_ICMP_INTERVAL_MAX, 0, 0 },
		{ KW_MULTIPLIER, "multiplier", "a count of missed replies",
		    LIVE_MULT_MIN, LIVE_MULT_MAX, 0, 0 },
		{ KW_UP, "up", "a count of replies in a row", 1, 255,
		    LIVE_ICMP_UP_DEF, 0 },
	};

	if (conf_get_opts(p, o, 3) == -1 || conf_opt_need(p, &o[0]) == -1 ||
	    conf_opt_need(p, &o[1]) == -1)
		return -1;
	pc->live_icmp_interval = p->negate ? 0 : o[0].val;
	pc->live_icmp_mult = p->negate ? 0 : o[1].val;
	pc->live_icmp_up = p->negate ? 0 : o[2].val;
	return 0;
}

static int
cmd_nb_liveness(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);
	struct peer_config	*pc;
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if ((pc = conf_nb_peer(p)) == NULL)
		return -1;
	if (k != KW_TCP && k != KW_ICMP) {
		conf_expected(p, t, "'tcp' or 'icmp'");
		return -1;
	}
	p->cur++;
	return k == KW_TCP ? conf_live_tcp(p, pc) : conf_live_icmp(p, pc);
}

/* bfd [interval MS] [min-rx MS] [multiplier N]: RFC 5880 asynchronous
 * mode; FRR's bfdd defaults (300 ms, 300 ms, 3). */
static int
cmd_nb_bfd(struct conf_parser *p)
{
	struct conf_opt	 o[] = {
		{ KW_INTERVAL, "interval", "a transmit interval in "
		    "milliseconds", BFD_INTERVAL_MIN, BFD_INTERVAL_MAX,
		    BFD_INTERVAL_DEF, 0 },
		{ KW_MIN_RX, "min-rx", "a receive interval in milliseconds",
		    BFD_INTERVAL_MIN, BFD_INTERVAL_MAX, BFD_MIN_RX_DEF, 0 },
		{ KW_MULTIPLIER, "multiplier", "a detect multiplier",
		    LIVE_MULT_MIN, LIVE_MULT_MAX, BFD_MULT_DEF, 0 },
	};
	struct peer_config	*pc;

	if ((pc = conf_nb_peer(p)) == NULL || conf_get_opts(p, o, 3) == -1)
		return -1;
	pc->bfd = !p->negate;
	pc->bfd_interval = p->negate ? 0 : o[0].val;
	pc->bfd_min_rx = p->negate ? 0 : o[1].val;
	pc->bfd_mult = p->negate ? 0 : o[2].val;
	return 0;
}

static const struct conf_cmd conf_cmds[] = {
	{ NODE_TOP, KW_FRR, KW_VERSION, 0, cmd_frr_version },
	{ NODE_TOP, KW_FRR, KW_DEFAULTS, 0, cmd_frr_defaults },
	{ NODE_TOP, KW_HOSTNAME, KW_NONE, 0, cmd_hostname },
	{ NODE_TOP, KW_SERVICE, KW_INTEGRATED_VTYSH_CONFIG, 0, cmd_eol },
	{ NODE_TOP, KW_LINE, KW_VTY, 0, cmd_eol },
	{ NODE_TOP, KW_EXIT, KW_NONE, 0, cmd_eol },
	{ NODE_TOP, KW_END, KW_NONE, 0, cmd_eol },
	{ NODE_TOP, KW_LOG, KW_SYSLOG, 0, cmd_log_syslog },
	{ NODE_TOP, KW_LOG, KW_STDOUT, 0, cmd_log_stdout },
	{ NODE_TOP, KW_LOG, KW_FILE, 0, cmd_log_file },
	{ NODE_TOP, KW_LOG, KW_FACILITY, 0, cmd_log_facility },
	{ NODE_TOP, KW_METRICS, KW_LISTEN, 0, cmd_metrics_listen },
	{ NODE_TOP, KW_IP, KW_PREFIX_LIST, 0, cmd_ip_prefix_list },
	{ NODE_TOP, KW_IPV6, KW_PREFIX_LIST, 0, cmd_ipv6_prefix_list },
	{ NODE_TOP, KW_IP, KW_NONE, 0, cmd_ip_later },
	{ NODE_TOP, KW_IPV6, KW_NONE, 0, cmd_ip_later },
	{ NODE_TOP, KW_BGP, KW_AS_PATH, 0, cmd_aspath_list },
	{ NODE_TOP, KW_BGP, KW_COMMUNITY_LIST, 0, cmd_comm_list },
	{ NODE_TOP, KW_BGP, KW_LARGE_COMMUNITY_LIST, 0, cmd_lcomm_list },
	{ NODE_TOP, KW_ROUTE_MAP, KW_NONE, 0, cmd_route_map },
	{ NODE_TOP, KW_INCLUDE, KW_NONE, 0, cmd_include },
	{ NODE_TOP, KW_ROUTER, KW_BGP, 0, cmd_router_bgp },

	{ NODE_ROUTER, KW_BGP, KW_ROUTER_ID, 0, cmd_router_id },
	{ NODE_ROUTER, KW_BGP, KW_MINIMUM_HOLDTIME, 0, cmd_min_holdtime },
	{ NODE_ROUTER, KW_BGP, KW_FAILBACK_DELAY, CMD_NO, cmd_failback_delay },
	{ NODE_ROUTER, KW_BGP, KW_DEFAULT, CMD_NO, cmd_default_ipv4 },
	{ NODE_ROUTER, KW_BGP, KW_EBGP_REQUIRES_POLICY, CMD_NO,
	    cmd_requires_policy },
	{ NODE_ROUTER, KW_BGP, KW_LOG_NEIGHBOR_CHANGES, 0, cmd_eol },
	{ NODE_ROUTER, KW_BGP, KW_BESTPATH, CMD_NO, cmd_bestpath },
	{ NODE_ROUTER, KW_BGP, KW_ALWAYS_COMPARE_MED, CMD_NO,
	    cmd_always_compare_med },
	{ NODE_ROUTER, KW_BGP, KW_NETWORK, CMD_NO, cmd_import_check },
	{ NODE_ROUTER, KW_TIMERS, KW_BGP, 0, cmd_timers_bgp },
	{ NODE_ROUTER, KW_MAXIMUM_PATHS, KW_NONE, CMD_NO, cmd_maximum_paths },
	{ NODE_ROUTER, KW_FIB, KW_NONE, CMD_NO, cmd_fib },
	{ NODE_ROUTER, KW_NETWORK, KW_NONE, CMD_NO, cmd_network },
	{ NODE_ROUTER, KW_REDISTRIBUTE, KW_NONE, CMD_NO, cmd_redistribute },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_ADVERTISEMENT_INTERVAL,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_adv_interval },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_REMOTE_AS, CMD_NEIGHBOR,
	    cmd_nb_remote_as },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_DESCRIPTION, CMD_NEIGHBOR,
	    cmd_nb_description },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_TIMERS, CMD_NEIGHBOR, cmd_nb_timers },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_PASSWORD, CMD_NEIGHBOR,
	    cmd_nb_password },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_UPDATE_SOURCE, CMD_NEIGHBOR,
	    cmd_nb_update_source },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_TTL_SECURITY, CMD_NEIGHBOR,
	    cmd_nb_ttl_security },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_EBGP_MULTIHOP, CMD_NEIGHBOR,
	    cmd_nb_multihop },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_PASSIVE, CMD_NEIGHBOR, cmd_nb_passive },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_SHUTDOWN, CMD_NEIGHBOR,
	    cmd_nb_shutdown },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_STRICT_CAPABILITY_MATCH, CMD_NEIGHBOR,
	    cmd_nb_strict },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_ACTIVATE, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_activate },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_ROUTE_MAP, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_route_map },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_PREFIX_LIST, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_prefix_list },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_MAXIMUM_PREFIX, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_max_prefix },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_MAXIMUM_PREFIX_OUT,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_max_prefix_out },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_SOFT_RECONFIGURATION,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_soft_reconfig },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_ALLOWAS_IN, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_allowas_in },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_WEIGHT, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_weight },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_LIVENESS, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_liveness },
	{ NODE_ROUTER, KW_NEIGHBOR, KW_BFD, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_bfd },
	{ NODE_ROUTER, KW_ADDRESS_FAMILY, KW_NONE, 0, cmd_address_family },
	{ NODE_ROUTER, KW_INCLUDE, KW_NONE, 0, cmd_include },
	{ NODE_ROUTER, KW_EXIT, KW_NONE, 0, cmd_exit },

	{ NODE_AF4, KW_NEIGHBOR, KW_ACTIVATE, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_activate },
	{ NODE_AF4, KW_NEIGHBOR, KW_ROUTE_MAP, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_route_map },
	{ NODE_AF4, KW_NEIGHBOR, KW_PREFIX_LIST, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_prefix_list },
	{ NODE_AF4, KW_NEIGHBOR, KW_MAXIMUM_PREFIX, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_max_prefix },
	{ NODE_AF4, KW_NEIGHBOR, KW_MAXIMUM_PREFIX_OUT,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_max_prefix_out },
	{ NODE_AF4, KW_NEIGHBOR, KW_SOFT_RECONFIGURATION,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_soft_reconfig },
	{ NODE_AF4, KW_NEIGHBOR, KW_ALLOWAS_IN, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_allowas_in },
	{ NODE_AF4, KW_NEIGHBOR, KW_WEIGHT, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_weight },
	{ NODE_AF4, KW_MAXIMUM_PATHS, KW_NONE, CMD_NO, cmd_maximum_paths },
	{ NODE_AF4, KW_NETWORK, KW_NONE, CMD_NO, cmd_network },
	{ NODE_AF4, KW_REDISTRIBUTE, KW_NONE, CMD_NO, cmd_redistribute },
	{ NODE_AF4, KW_EXIT_ADDRESS_FAMILY, KW_NONE, 0, cmd_exit },
	{ NODE_AF4, KW_EXIT, KW_NONE, 0, cmd_exit },
	{ NODE_AF6, KW_NEIGHBOR, KW_ACTIVATE, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_activate },
	{ NODE_AF6, KW_NEIGHBOR, KW_ROUTE_MAP, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_route_map },
	{ NODE_AF6, KW_NEIGHBOR, KW_PREFIX_LIST, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_prefix_list },
	{ NODE_AF6, KW_NEIGHBOR, KW_MAXIMUM_PREFIX, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_max_prefix },
	{ NODE_AF6, KW_NEIGHBOR, KW_MAXIMUM_PREFIX_OUT,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_max_prefix_out },
	{ NODE_AF6, KW_NEIGHBOR, KW_SOFT_RECONFIGURATION,
	    CMD_NEIGHBOR | CMD_NO, cmd_nb_soft_reconfig },
	{ NODE_AF6, KW_NEIGHBOR, KW_ALLOWAS_IN, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_allowas_in },
	{ NODE_AF6, KW_NEIGHBOR, KW_WEIGHT, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_weight },
	{ NODE_AF6, KW_MAXIMUM_PATHS, KW_NONE, CMD_NO, cmd_maximum_paths },
	{ NODE_AF6, KW_NETWORK, KW_NONE, CMD_NO, cmd_network },
	{ NODE_AF6, KW_REDISTRIBUTE, KW_NONE, CMD_NO, cmd_redistribute },
	{ NODE_AF6, KW_EXIT_ADDRESS_FAMILY, KW_NONE, 0, cmd_exit },
	{ NODE_AF6, KW_EXIT, KW_NONE, 0, cmd_exit },

	{ NODE_RMAP, KW_MATCH, KW_IP, 0, cmd_match_ip },
	{ NODE_RMAP, KW_MATCH, KW_IPV6, 0, cmd_match_ipv6 },
	{ NODE_RMAP, KW_MATCH, KW_AS_PATH, 0, cmd_match_aspath },
	{ NODE_RMAP, KW_MATCH, KW_COMMUNITY, 0, cmd_match_community },
	{ NODE_RMAP, KW_MATCH, KW_LARGE_COMMUNITY, 0, cmd_match_lcommunity },
	{ NODE_RMAP, KW_MATCH, KW_METRIC, 0, cmd_match_metric },
	{ NODE_RMAP, KW_MATCH, KW_LOCAL_PREFERENCE, 0, cmd_match_localpref },
	{ NODE_RMAP, KW_MATCH, KW_ORIGIN, 0, cmd_match_origin },
	{ NODE_RMAP, KW_MATCH, KW_PEER, 0, cmd_match_peer },
	{ NODE_RMAP, KW_SET, KW_LOCAL_PREFERENCE, 0, cmd_set_localpref },
	{ NODE_RMAP, KW_SET, KW_METRIC, 0, cmd_set_metric },
	{ NODE_RMAP, KW_SET, KW_WEIGHT, 0, cmd_set_weight },
	{ NODE_RMAP, KW_SET, KW_AS_PATH, 0, cmd_set_aspath },
	{ NODE_RMAP, KW_SET, KW_COMMUNITY, 0, cmd_set_community },
	{ NODE_RMAP, KW_SET, KW_COMM_LIST, 0, cmd_set_commlist },
	{ NODE_RMAP, KW_SET, KW_LARGE_COMMUNITY, 0, cmd_set_lcommunity },
	{ NODE_RMAP, KW_SET, KW_EXTCOMMUNITY, 0, cmd_set_extcommunity },
	{ NODE_RMAP, KW_SET, KW_IP, 0, cmd_set_ip },
	{ NODE_RMAP, KW_SET, KW_IPV6, 0, cmd_set_ipv6 },
	{ NODE_RMAP, KW_SET, KW_ORIGIN, 0, cmd_set_origin },
	{ NODE_RMAP, KW_ON_MATCH, KW_NONE, 0, cmd_on_match },
	{ NODE_RMAP, KW_CONTINUE, KW_NONE, 0, cmd_continue },
	{ NODE_RMAP, KW_EXIT, KW_NONE, 0, cmd_exit },
};
#define NCMDS	(sizeof(conf_cmds) / sizeof(conf_cmds[0]))

/* The first command of node n for words w1 w2 (any w2 if any_w2). */
const struct conf_cmd *
conf_cmd_find(enum conf_node n, enum kw w1, enum kw w2, int any_w2)
{
	size_t	i;

	for (i = 0; i < NCMDS; i++)
		if (conf_cmds[i].node == n && conf_cmds[i].w1 == w1 &&
		    (any_w2 || conf_cmds[i].w2 == KW_NONE ||
		    conf_cmds[i].w2 == w2))
			return &conf_cmds[i];
	return NULL;
}

