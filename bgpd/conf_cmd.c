/*
 * conf_cmd: the configuration language itself.  conf_keywords[] holds
 * every word the reader knows, conf_cmds[] says which commands each node
 * (top level, router bgp, address-family) has, and each cmd_*() handler
 * reads the rest of its line with the conf_get_*() getters of
 * conf_parse.c and sets the configuration.  A handler that reports an
 * error leaves the configuration as it was.
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
	{ "address-family",		KW_ADDRESS_FAMILY },
	{ "aggregate-address",		KW_LATER },
	{ "allowas-in",			KW_LATER },
	{ "bestpath",			KW_LATER },
	{ "bfd",			KW_LATER },
	{ "bgp",			KW_BGP },
	{ "capability",			KW_LATER },
	{ "cluster-id",			KW_LATER },
	{ "confederation",		KW_LATER },
	{ "connect",			KW_CONNECT },
	{ "datacenter",			KW_DATACENTER },
	{ "debug",			KW_LATER },
	{ "default",			KW_DEFAULT },
	{ "default-originate",		KW_LATER },
	{ "defaults",			KW_DEFAULTS },
	{ "description",		KW_DESCRIPTION },
	{ "distance",			KW_LATER },
	{ "ebgp-multihop",		KW_EBGP_MULTIHOP },
	{ "ebgp-requires-policy",	KW_EBGP_REQUIRES_POLICY },
	{ "end",			KW_END },
	{ "exit",			KW_EXIT },
	{ "exit-address-family",	KW_EXIT_ADDRESS_FAMILY },
	{ "external",			KW_EXTERNAL },
	{ "facility",			KW_FACILITY },
	{ "file",			KW_FILE },
	{ "filter-list",		KW_LATER },
	{ "frr",			KW_FRR },
	{ "graceful-restart",		KW_LATER },
	{ "hops",			KW_HOPS },
	{ "hostname",			KW_HOSTNAME },
	{ "include",			KW_INCLUDE },
	{ "integrated-vtysh-config",	KW_INTEGRATED_VTYSH_CONFIG },
	{ "interface",			KW_LATER },
	{ "internal",			KW_INTERNAL },
	{ "ip",				KW_IP },
	{ "ipv4",			KW_IPV4 },
	{ "ipv4-unicast",		KW_IPV4_UNICAST },
	{ "ipv6",			KW_IPV6 },
	{ "key",			KW_LATER },
	{ "line",			KW_LINE },
	{ "listen",			KW_LATER },
	{ "local-as",			KW_LATER },
	{ "log",			KW_LOG },
	{ "log-neighbor-changes",	KW_LOG_NEIGHBOR_CHANGES },
	{ "maximum-paths",		KW_LATER },
	{ "maximum-prefix",		KW_LATER },
	{ "message",			KW_MESSAGE },
	{ "minimum-holdtime",		KW_MINIMUM_HOLDTIME },
	{ "neighbor",			KW_NEIGHBOR },
	{ "network",			KW_LATER },
	{ "next-hop-self",		KW_LATER },
	{ "no",				KW_NO },
	{ "passive",			KW_PASSIVE },
	{ "password",			KW_PASSWORD },
	{ "peer-group",			KW_LATER },
	{ "port",			KW_LATER },
	{ "prefix-list",		KW_LATER },
	{ "redistribute",		KW_LATER },
	{ "remote-as",			KW_REMOTE_AS },
	{ "remove-private-AS",		KW_LATER },
	{ "route-map",			KW_LATER },
	{ "route-reflector-client",	KW_LATER },
	{ "router",			KW_ROUTER },
	{ "router-id",			KW_ROUTER_ID },
	{ "send-community",		KW_LATER },
	{ "service",			KW_SERVICE },
	{ "shutdown",			KW_SHUTDOWN },
	{ "soft-reconfiguration",	KW_LATER },
	{ "stdout",			KW_STDOUT },
	{ "strict-capability-match",	KW_STRICT_CAPABILITY_MATCH },
	{ "syslog",			KW_SYSLOG },
	{ "timers",			KW_TIMERS },
	{ "traditional",		KW_TRADITIONAL },
	{ "ttl-security",		KW_TTL_SECURITY },
	{ "unicast",			KW_UNICAST },
	{ "update-source",		KW_UPDATE_SOURCE },
	{ "version",			KW_VERSION },
	{ "vrf",			KW_LATER },
	{ "vty",			KW_VTY },
	{ "weight",			KW_LATER },
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

/* "ip prefix-list", "ipv6 route", ...: all FRR features for later. */
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

/* "exit" in router bgp, "exit[-address-family]" in an address family. */
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
	{ NODE_TOP, KW_IP, KW_NONE, 0, cmd_ip_later },
	{ NODE_TOP, KW_IPV6, KW_NONE, 0, cmd_ip_later },
	{ NODE_TOP, KW_INCLUDE, KW_NONE, 0, cmd_include },
	{ NODE_TOP, KW_ROUTER, KW_BGP, 0, cmd_router_bgp },

	{ NODE_ROUTER, KW_BGP, KW_ROUTER_ID, 0, cmd_router_id },
	{ NODE_ROUTER, KW_BGP, KW_MINIMUM_HOLDTIME, 0, cmd_min_holdtime },
	{ NODE_ROUTER, KW_BGP, KW_DEFAULT, CMD_NO, cmd_default_ipv4 },
	{ NODE_ROUTER, KW_BGP, KW_EBGP_REQUIRES_POLICY, CMD_NO,
	    cmd_requires_policy },
	{ NODE_ROUTER, KW_BGP, KW_LOG_NEIGHBOR_CHANGES, 0, cmd_eol },
	{ NODE_ROUTER, KW_TIMERS, KW_BGP, 0, cmd_timers_bgp },
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
	{ NODE_ROUTER, KW_ADDRESS_FAMILY, KW_NONE, 0, cmd_address_family },
	{ NODE_ROUTER, KW_INCLUDE, KW_NONE, 0, cmd_include },
	{ NODE_ROUTER, KW_EXIT, KW_NONE, 0, cmd_exit },

	{ NODE_AF4, KW_NEIGHBOR, KW_ACTIVATE, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_activate },
	{ NODE_AF4, KW_EXIT_ADDRESS_FAMILY, KW_NONE, 0, cmd_exit },
	{ NODE_AF4, KW_EXIT, KW_NONE, 0, cmd_exit },
	{ NODE_AF6, KW_NEIGHBOR, KW_ACTIVATE, CMD_NEIGHBOR | CMD_NO,
	    cmd_nb_activate },
	{ NODE_AF6, KW_EXIT_ADDRESS_FAMILY, KW_NONE, 0, cmd_exit },
	{ NODE_AF6, KW_EXIT, KW_NONE, 0, cmd_exit },
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

