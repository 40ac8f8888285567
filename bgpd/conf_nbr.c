/*
 * conf_nbr: the neighbor statements, "neighbor ADDR ..." in router bgp
 * and, for the per address family settings, in an address-family node
 * as FRR takes them; liveness and bfd (tbgpd(8) LIVENESS).  Their rows
 * are in conf_stmts[] (conf_stmt.c).
 */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

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

int
stmt_nb_remote_as(struct conf_parser *p)
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

int
stmt_nb_description(struct conf_parser *p)
{
	struct peer_config	*pc;
	char			 text[DESCR_MAX + 1];

	if ((pc = conf_nb_peer(p)) == NULL ||
	    conf_get_text(p, "a description", text, DESCR_MAX) == -1)
		return -1;
	strlcpy(pc->descr, text, sizeof(pc->descr));
	return 0;
}

int
stmt_nb_timers(struct conf_parser *p)
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

int
stmt_nb_password(struct conf_parser *p)
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

int
stmt_nb_update_source(struct conf_parser *p)
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

int
stmt_nb_ttl_security(struct conf_parser *p)
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

int
stmt_nb_multihop(struct conf_parser *p)
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

int
stmt_nb_passive(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_bare(p)) == NULL)
		return -1;
	pc->passive = 1;
	return 0;
}

int
stmt_nb_strict(struct conf_parser *p)
{
	struct peer_config	*pc;

	if ((pc = conf_nb_bare(p)) == NULL)
		return -1;
	pc->strict_caps = 1;
	return 0;
}

/* RFC 9003: the shutdown communication is at most 255 octets of UTF-8. */
int
stmt_nb_shutdown(struct conf_parser *p)
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
int
stmt_nb_activate(struct conf_parser *p)
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

int
stmt_nb_route_map(struct conf_parser *p)
{
	return conf_nb_filter(p, 0);
}

int
stmt_nb_prefix_list(struct conf_parser *p)
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
int
stmt_nb_max_prefix(struct conf_parser *p)
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

int
stmt_nb_max_prefix_out(struct conf_parser *p)
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

int
stmt_nb_soft_reconfig(struct conf_parser *p)
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
int
stmt_nb_allowas_in(struct conf_parser *p)
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

int
stmt_nb_weight(struct conf_parser *p)
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
int
stmt_nb_adv_interval(struct conf_parser *p)
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

int
stmt_nb_liveness(struct conf_parser *p)
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
int
stmt_nb_bfd(struct conf_parser *p)
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

/* neighbor X graceful-restart[-helper|-disable]: the word says which. */
int
stmt_nb_gr(struct conf_parser *p)
{
	const struct conf_tok	*w = &p->tok[p->base + 2];
	struct peer_config	*pc;
	int			 mode = GR_RESTART;

	if ((pc = conf_nb_peer(p)) == NULL || conf_get_eol(p) == -1)
		return -1;
	if (strcmp(w->s, "graceful-restart-helper") == 0)
		mode = GR_HELPER;
	else if (strcmp(w->s, "graceful-restart-disable") == 0)
		mode = GR_DISABLE;
	/* FRR: "no" of any of the three goes back to the global mode. */
	pc->gr_mode = p->negate ? GR_INHERIT : mode;
	return 0;
}
