/*
 * conf_stmt: the statements of the configuration language.  conf_stmts[]
 * says which statements each node (top level, router bgp,
 * address-family, route-map) has: one row per statement, with the nodes
 * it is valid in, so a neighbor statement FRR takes both in router bgp
 * and in an address family is one row.  Each handler reads the rest of
 * its line with the conf_get_*() getters of conf_lex.c and sets the
 * configuration; one that reports an error leaves the configuration as
 * it was.  The handlers of the top level and router bgp are here; those
 * of neighbor statements are in conf_nbr.c, those of the policy
 * statements (prefix lists, AS-path and community lists, route-maps) in
 * conf_policy.c.
 *
 * Defaults are FRR's "traditional" ones (bgpd.h), so a file FRR 8 reads
 * means the same here; tbgpd speaks eBGP only, so iBGP settings are
 * errors, not warnings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf_int.h"

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
/* ---- top level ---- */

static int
stmt_eol(struct conf_parser *p)
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
stmt_frr_version(struct conf_parser *p)
{
	return conf_ignore_word(p, "a version");
}

static int
stmt_hostname(struct conf_parser *p)
{
	return conf_ignore_word(p, "a host name");
}

static int
stmt_frr_defaults(struct conf_parser *p)
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
stmt_log_syslog(struct conf_parser *p)
{
	if (conf_log_level(p) == -1)
		return -1;
	p->conf->log_syslog = 1;
	return 0;
}

static int
stmt_log_stdout(struct conf_parser *p)
{
	if (conf_log_level(p) == -1)
		return -1;
	p->conf->log_stderr = 1;
	return 0;
}

static int
stmt_log_file(struct conf_parser *p)
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
stmt_log_facility(struct conf_parser *p)
{
	int	fac;

	if (conf_get_value(p, conf_facilities, "a syslog facility (daemon, "
	    "local0-local7, user, ...)", &fac) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	p->conf->log_facility = fac;
	return 0;
}

/* "ipv6 forwarding", "ip nht", ...: FRR features for later. */
static int
stmt_ip_later(struct conf_parser *p)
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

/* The file reading is conf_include()'s, in conf_lex.c. */
static int
stmt_include(struct conf_parser *p)
{
	const struct conf_tok	*t;

	if ((t = conf_get_word(p, "a file name or pattern")) == NULL ||
	    conf_get_eol(p) == -1)
		return -1;
	return conf_include(p, t);
}

static int
stmt_router_bgp(struct conf_parser *p)
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
stmt_router_id(struct conf_parser *p)
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
stmt_min_holdtime(struct conf_parser *p)
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
stmt_failback_delay(struct conf_parser *p)
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
stmt_default_ipv4(struct conf_parser *p)
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
stmt_requires_policy(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->ebgp_requires_policy = !p->negate;
	return 0;
}

static int
stmt_timers_bgp(struct conf_parser *p)
{
	uint16_t	k, h;

	if (conf_get_times(p, &k, &h) == -1 || conf_get_eol(p) == -1)
		return -1;
	p->conf->keepalive = k;
	p->conf->holdtime = h;
	return 0;
}

static int
stmt_address_family(struct conf_parser *p)
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
stmt_exit(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->node = conf_parent(p->node);
	return 0;
}

/* ---- router bgp: best path, multipath, origination ---- */

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
stmt_bestpath(struct conf_parser *p)
{
	int	*flag;

	if ((flag = conf_bestpath_flag(p)) == NULL || conf_get_eol(p) == -1)
		return -1;
	*flag = !p->negate;
	return 0;
}

static int
stmt_always_compare_med(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->always_compare_med = !p->negate;
	return 0;
}

static int
stmt_import_check(struct conf_parser *p)
{
	if (conf_get_kw(p, KW_IMPORT_CHECK, "import-check") == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	p->conf->network_import_check = !p->negate;
	return 0;
}

/* maximum-paths N; "no maximum-paths [N]" goes back to 1. */
static int
stmt_maximum_paths(struct conf_parser *p)
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
stmt_fib_scan(struct conf_parser *p)
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
stmt_fib(struct conf_parser *p)
{
	const struct conf_tok	*t;
	uint32_t		 n;
	int			 table;

	if ((t = conf_get_word(p, "'table', 'metric', 'install', 'retain' "
	    "or 'scan-interval'")) == NULL)
		return -1;
	if (strcmp(t->s, "install") == 0) {
		if (conf_get_eol(p) == -1)
			return -1;
		p->conf->fib_install = !p->negate;
		return 0;
	}
	if (strcmp(t->s, "retain") == 0) {
		if (conf_get_eol(p) == -1)
			return -1;
		p->conf->fib_retain = !p->negate;
		return 0;
	}
	if (strcmp(t->s, "scan-interval") == 0)
		return stmt_fib_scan(p);
	if (strcmp(t->s, "table") != 0 && strcmp(t->s, "metric") != 0) {
		conf_expected(p, t, "'table', 'metric', 'install', 'retain' "
		    "or 'scan-interval'");
		return -1;
	}
	table = strcmp(t->s, "table") == 0;
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
stmt_network(struct conf_parser *p)
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
stmt_redistribute(struct conf_parser *p)
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

/*
 * Nodes as bits: a statement valid in several nodes is one row.  FRR
 * takes the per address family neighbor settings, maximum-paths, network
 * and redistribute both in router bgp (IPv4 unicast) and in an
 * address-family node.  The first row of a node for w1 w2 wins.
 */
#define N_TOP		NODE_BIT(NODE_TOP)
#define N_ROUTER	NODE_BIT(NODE_ROUTER)
#define N_AF		(NODE_BIT(NODE_AF4) | NODE_BIT(NODE_AF6))
#define N_BGP		(N_ROUTER | N_AF)
#define N_RMAP		NODE_BIT(NODE_RMAP)
#define NB		STMT_NEIGHBOR
#define NB_NO		(STMT_NEIGHBOR | STMT_NO)

static const struct conf_stmt conf_stmts[] = {
	{ N_TOP, KW_FRR, KW_VERSION, 0, stmt_frr_version },
	{ N_TOP, KW_FRR, KW_DEFAULTS, 0, stmt_frr_defaults },
	{ N_TOP, KW_HOSTNAME, KW_NONE, 0, stmt_hostname },
	{ N_TOP, KW_SERVICE, KW_INTEGRATED_VTYSH_CONFIG, 0, stmt_eol },
	{ N_TOP, KW_LINE, KW_VTY, 0, stmt_eol },
	{ N_TOP, KW_EXIT, KW_NONE, 0, stmt_eol },
	{ N_TOP, KW_END, KW_NONE, 0, stmt_eol },
	{ N_TOP, KW_LOG, KW_SYSLOG, 0, stmt_log_syslog },
	{ N_TOP, KW_LOG, KW_STDOUT, 0, stmt_log_stdout },
	{ N_TOP, KW_LOG, KW_FILE, 0, stmt_log_file },
	{ N_TOP, KW_LOG, KW_FACILITY, 0, stmt_log_facility },
	{ N_TOP, KW_METRICS, KW_LISTEN, 0, stmt_metrics_listen },
	{ N_TOP, KW_DUMP, KW_BGP, STMT_NO, stmt_dump_bgp },
	{ N_TOP, KW_IP, KW_PREFIX_LIST, 0, stmt_ip_prefix_list },
	{ N_TOP, KW_IPV6, KW_PREFIX_LIST, 0, stmt_ipv6_prefix_list },
	{ N_TOP, KW_IP, KW_ROUTE, STMT_NO, stmt_ip_route },
	{ N_TOP, KW_IPV6, KW_ROUTE, STMT_NO, stmt_ipv6_route },
	{ N_TOP, KW_IP, KW_NONE, 0, stmt_ip_later },
	{ N_TOP, KW_IPV6, KW_NONE, 0, stmt_ip_later },
	{ N_TOP, KW_BGP, KW_AS_PATH, 0, stmt_aspath_list },
	{ N_TOP, KW_BGP, KW_COMMUNITY_LIST, 0, stmt_comm_list },
	{ N_TOP, KW_BGP, KW_LARGE_COMMUNITY_LIST, 0, stmt_lcomm_list },
	{ N_TOP, KW_ROUTE_MAP, KW_NONE, 0, stmt_route_map },
	{ N_TOP | N_ROUTER, KW_INCLUDE, KW_NONE, 0, stmt_include },
	{ N_TOP, KW_ROUTER, KW_BGP, 0, stmt_router_bgp },

	{ N_ROUTER, KW_BGP, KW_ROUTER_ID, 0, stmt_router_id },
	{ N_ROUTER, KW_BGP, KW_MINIMUM_HOLDTIME, 0, stmt_min_holdtime },
	{ N_ROUTER, KW_BGP, KW_FAILBACK_DELAY, STMT_NO, stmt_failback_delay },
	{ N_ROUTER, KW_BGP, KW_DEFAULT, STMT_NO, stmt_default_ipv4 },
	{ N_ROUTER, KW_BGP, KW_EBGP_REQUIRES_POLICY, STMT_NO,
	    stmt_requires_policy },
	{ N_ROUTER, KW_BGP, KW_LOG_NEIGHBOR_CHANGES, 0, stmt_eol },
	{ N_ROUTER, KW_BGP, KW_BESTPATH, STMT_NO, stmt_bestpath },
	{ N_ROUTER, KW_BGP, KW_ALWAYS_COMPARE_MED, STMT_NO,
	    stmt_always_compare_med },
	{ N_ROUTER, KW_BGP, KW_NETWORK, STMT_NO, stmt_import_check },
	{ N_ROUTER, KW_BGP, KW_GRACEFUL_RESTART, STMT_NO, stmt_bgp_gr },
	{ N_ROUTER, KW_BGP, KW_GRACEFUL_RESTART_DISABLE, STMT_NO,
	    stmt_bgp_gr_disable },
	{ N_ROUTER, KW_BGP, KW_HARD_ADMINISTRATIVE_RESET, STMT_NO,
	    stmt_bgp_hard_reset },
	{ N_ROUTER, KW_TIMERS, KW_BGP, 0, stmt_timers_bgp },
	{ N_TOP | N_ROUTER, KW_FIB, KW_NONE, STMT_NO, stmt_fib },
	{ N_ROUTER, KW_DISTANCE, KW_BGP, STMT_NO, stmt_distance_bgp },
	{ N_BGP, KW_MAXIMUM_PATHS, KW_NONE, STMT_NO, stmt_maximum_paths },
	{ N_BGP, KW_NETWORK, KW_NONE, STMT_NO, stmt_network },
	{ N_BGP, KW_REDISTRIBUTE, KW_NONE, STMT_NO, stmt_redistribute },
	{ N_ROUTER, KW_ADDRESS_FAMILY, KW_NONE, 0, stmt_address_family },
	{ N_AF, KW_EXIT_ADDRESS_FAMILY, KW_NONE, 0, stmt_exit },
	{ N_BGP | N_RMAP, KW_EXIT, KW_NONE, 0, stmt_exit },

	/* neighbor ADDR ...: the session, in router bgp */
	{ N_ROUTER, KW_NEIGHBOR, KW_ADVERTISEMENT_INTERVAL, NB_NO,
	    stmt_nb_adv_interval },
	{ N_ROUTER, KW_NEIGHBOR, KW_REMOTE_AS, NB, stmt_nb_remote_as },
	{ N_ROUTER, KW_NEIGHBOR, KW_DESCRIPTION, NB, stmt_nb_description },
	{ N_ROUTER, KW_NEIGHBOR, KW_TIMERS, NB, stmt_nb_timers },
	{ N_ROUTER, KW_NEIGHBOR, KW_PASSWORD, NB, stmt_nb_password },
	{ N_ROUTER, KW_NEIGHBOR, KW_UPDATE_SOURCE, NB, stmt_nb_update_source },
	{ N_ROUTER, KW_NEIGHBOR, KW_TTL_SECURITY, NB, stmt_nb_ttl_security },
	{ N_ROUTER, KW_NEIGHBOR, KW_EBGP_MULTIHOP, NB, stmt_nb_multihop },
	{ N_ROUTER, KW_NEIGHBOR, KW_PASSIVE, NB, stmt_nb_passive },
	{ N_ROUTER, KW_NEIGHBOR, KW_SHUTDOWN, NB, stmt_nb_shutdown },
	{ N_ROUTER, KW_NEIGHBOR, KW_STRICT_CAPABILITY_MATCH, NB,
	    stmt_nb_strict },
	{ N_ROUTER, KW_NEIGHBOR, KW_LIVENESS, NB_NO, stmt_nb_liveness },
	{ N_ROUTER, KW_NEIGHBOR, KW_BFD, NB_NO, stmt_nb_bfd },
	{ N_ROUTER, KW_NEIGHBOR, KW_GRACEFUL_RESTART, NB_NO, stmt_nb_gr },
	{ N_ROUTER, KW_NEIGHBOR, KW_GRACEFUL_RESTART_HELPER, NB_NO, stmt_nb_gr },
	{ N_ROUTER, KW_NEIGHBOR, KW_GRACEFUL_RESTART_DISABLE, NB_NO,
	    stmt_nb_gr },
	/* ... and per address family, in router bgp or address-family */
	{ N_BGP, KW_NEIGHBOR, KW_ACTIVATE, NB_NO, stmt_nb_activate },
	{ N_BGP, KW_NEIGHBOR, KW_ROUTE_MAP, NB_NO, stmt_nb_route_map },
	{ N_BGP, KW_NEIGHBOR, KW_PREFIX_LIST, NB_NO, stmt_nb_prefix_list },
	{ N_BGP, KW_NEIGHBOR, KW_MAXIMUM_PREFIX, NB_NO, stmt_nb_max_prefix },
	{ N_BGP, KW_NEIGHBOR, KW_MAXIMUM_PREFIX_OUT, NB_NO,
	    stmt_nb_max_prefix_out },
	{ N_BGP, KW_NEIGHBOR, KW_SOFT_RECONFIGURATION, NB_NO,
	    stmt_nb_soft_reconfig },
	{ N_BGP, KW_NEIGHBOR, KW_ALLOWAS_IN, NB_NO, stmt_nb_allowas_in },
	{ N_BGP, KW_NEIGHBOR, KW_WEIGHT, NB_NO, stmt_nb_weight },

	{ N_RMAP, KW_MATCH, KW_IP, 0, stmt_match_ip },
	{ N_RMAP, KW_MATCH, KW_IPV6, 0, stmt_match_ipv6 },
	{ N_RMAP, KW_MATCH, KW_AS_PATH, 0, stmt_match_aspath },
	{ N_RMAP, KW_MATCH, KW_COMMUNITY, 0, stmt_match_community },
	{ N_RMAP, KW_MATCH, KW_LARGE_COMMUNITY, 0, stmt_match_lcommunity },
	{ N_RMAP, KW_MATCH, KW_METRIC, 0, stmt_match_metric },
	{ N_RMAP, KW_MATCH, KW_LOCAL_PREFERENCE, 0, stmt_match_localpref },
	{ N_RMAP, KW_MATCH, KW_ORIGIN, 0, stmt_match_origin },
	{ N_RMAP, KW_MATCH, KW_PEER, 0, stmt_match_peer },
	{ N_RMAP, KW_SET, KW_LOCAL_PREFERENCE, 0, stmt_set_localpref },
	{ N_RMAP, KW_SET, KW_METRIC, 0, stmt_set_metric },
	{ N_RMAP, KW_SET, KW_WEIGHT, 0, stmt_set_weight },
	{ N_RMAP, KW_SET, KW_AS_PATH, 0, stmt_set_aspath },
	{ N_RMAP, KW_SET, KW_COMMUNITY, 0, stmt_set_community },
	{ N_RMAP, KW_SET, KW_COMM_LIST, 0, stmt_set_commlist },
	{ N_RMAP, KW_SET, KW_LARGE_COMMUNITY, 0, stmt_set_lcommunity },
	{ N_RMAP, KW_SET, KW_EXTCOMMUNITY, 0, stmt_set_extcommunity },
	{ N_RMAP, KW_SET, KW_IP, 0, stmt_set_ip },
	{ N_RMAP, KW_SET, KW_IPV6, 0, stmt_set_ipv6 },
	{ N_RMAP, KW_SET, KW_ORIGIN, 0, stmt_set_origin },
	{ N_RMAP, KW_ON_MATCH, KW_NONE, 0, stmt_on_match },
	{ N_RMAP, KW_CONTINUE, KW_NONE, 0, stmt_continue },
};
#define NSTMTS	(sizeof(conf_stmts) / sizeof(conf_stmts[0]))

/* The first statement of node n for words w1 w2 (any w2 if any_w2). */
const struct conf_stmt *
conf_stmt_find(enum conf_node n, enum kw w1, enum kw w2, int any_w2)
{
	size_t	i;

	if (n == NODE_NONE)
		return NULL;
	for (i = 0; i < NSTMTS; i++)
		if ((conf_stmts[i].nodes & NODE_BIT(n)) &&
		    conf_stmts[i].w1 == w1 && (any_w2 ||
		    conf_stmts[i].w2 == KW_NONE || conf_stmts[i].w2 == w2))
			return &conf_stmts[i];
	return NULL;
}
