/*
 * conf_static: the static route statements, in FRR's words.
 *
 *   [no] ip route PREFIX [MASK] TARGET [IFNAME] [DISTANCE] [OPTIONS]
 *   [no] ipv6 route PREFIX TARGET [IFNAME] [DISTANCE] [OPTIONS]
 *   TARGET:  A.B.C.D | X:X::X:X | IFNAME | blackhole | reject | Null0
 *   OPTIONS: liveness icmp [interval MS] [multiplier N] [up N]
 *                          [target ADDRESS]
 *            bfd [interval MS] [min-rx MS] [multiplier N]
 *            failback-delay SECONDS
 *
 * One line is one next hop of a prefix at one distance; the same prefix,
 * next hop and distance given again replaces that route's options (as
 * FRR's staticd does), another distance makes another route.  `no ip
 * route P TARGET [IFNAME]` without a distance removes that next hop at
 * every distance.  Also `distance bgp E I L` (router bgp), and the
 * canonical printer and the comparison a reload needs.
 */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf_int.h"

#define IP_ROUTE_TARGET	"a next hop address, an interface name, " \
			"'blackhole' or 'reject'"

/* FRR options of ip route that tbgpd does not have. */
static const char *const conf_static_later[] = {
	"color", "label", "nexthop-vrf", "onlink", "segments", "table",
	"tag", "vrf"
};

/* ---- order and lookup ---- */

/* The identity of a static route without its distance. */
static int
conf_static_nh_cmp(const struct static_config *a,
    const struct static_config *b)
{
	int	 c;

	if ((c = prefix_cmp(&a->prefix, &b->prefix)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = addr_cmp(&a->gw, &b->gw)) != 0)
		return c;
	return strcmp(a->ifname, b->ifname);
}

/* Canonical order: prefix, distance, next hop. */
int
conf_static_cmp(const struct static_config *a, const struct static_config *b)
{
	int	 c;

	if ((c = prefix_cmp(&a->prefix, &b->prefix)) != 0)
		return c;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	return conf_static_nh_cmp(a, b);
}

struct static_config *
conf_static_find(const struct bgpd_config *c, const struct static_config *k)
{
	struct static_config	*s;

	TAILQ_FOREACH(s, &c->statics, entry)
		if (conf_static_cmp(s, k) == 0)
			return s;
	return NULL;
}

static void
conf_static_insert(struct bgpd_config *c, struct static_config *n)
{
	struct static_config	*s;

	TAILQ_FOREACH(s, &c->statics, entry)
		if (conf_static_cmp(n, s) < 0) {
			TAILQ_INSERT_BEFORE(s, n, entry);
			return;
		}
	TAILQ_INSERT_TAIL(&c->statics, n, entry);
}

void
conf_static_free_all(struct bgpd_config *c)
{
	struct static_config	*s;

	while ((s = TAILQ_FIRST(&c->statics)) != NULL) {
		TAILQ_REMOVE(&c->statics, s, entry);
		free(s);
	}
}

/* ---- the prefix and the next hop ---- */

static int
conf_looks_numeric(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s) ||
	    (strchr(s, ':') != NULL &&
	    strspn(s, "0123456789abcdefABCDEF:.") == strlen(s));
}

/* A dotted netmask (255.255.0.0) as a prefix length; -1 if not one. */
static int
conf_mask_len(const struct tb_addr *m)
{
	uint32_t	 v = ntohl(m->u.v4.s_addr);
	int		 len = 0;

	while (len < 32 && (v & 0x80000000u)) {
		v <<= 1;
		len++;
	}
	return v == 0 ? len : -1;
}

/* PREFIX, or (IPv4) ADDRESS MASK.  Host bits are cleared with a warning:
 * FRR takes such a prefix too. */
static int
conf_static_prefix(struct conf_parser *p, int af, struct tb_prefix *pfx)
{
	const struct conf_tok	*t = conf_next(p), *tm;
	struct tb_prefix	 orig;
	struct tb_addr		 a, m;
	char			 abuf[ADDR_STRLEN + 1];
	size_t			 n;
	int			 len;

	if (t != NULL && af == AF_INET && addr_parse(t->s, &a) == 0 &&
	    a.af == AF_INET && (tm = conf_peek(p)) != NULL &&
	    addr_parse(tm->s, &m) == 0 && m.af == AF_INET) {
		p->cur++;
		if ((len = conf_mask_len(&m)) == -1) {
			conf_err(p, tm, "%s is not a netmask", tm->s);
			return -1;
		}
		pfx->addr = a;
		pfx->len = (uint8_t)len;
	} else if (t == NULL || prefix_parse(t->s, pfx) == -1 ||
	    pfx->addr.af != af) {
		conf_expected(p, t, af == AF_INET ? "an IPv4 prefix "
		    "(A.B.C.D/M or A.B.C.D A.B.C.D)" : "an IPv6 prefix "
		    "(X:X::X:X/M)");
		return -1;
	}
	/* prefix_parse() clears host bits: compare with the address as
	 * written. */
	orig = *pfx;
	n = strcspn(t->s, "/");
	memcpy(abuf, t->s, n < ADDR_STRLEN ? n : ADDR_STRLEN);
	abuf[n < ADDR_STRLEN ? n : ADDR_STRLEN] = '\0';
	if (addr_parse(abuf, &orig.addr) == -1)
		orig.addr = pfx->addr;
	prefix_mask(pfx);
	if (addr_cmp(&orig.addr, &pfx->addr) != 0)
		conf_warn(p, t, "%s has host bits set: the route is for %s",
		    t->s, prefix_str(pfx));
	return 0;
}

static int
conf_static_target(struct conf_parser *p, struct static_config *sc)
{
	const struct conf_tok	*t = conf_next(p);
	char			 vis[CONF_VIS_BUF];

	if (t == NULL) {
		conf_expected(p, NULL, IP_ROUTE_TARGET);
		return -1;
	}
	if (strcmp(t->s, "blackhole") == 0 || strcasecmp(t->s, "null0") == 0)
		sc->kind = STATIC_BLACKHOLE;
	else if (strcmp(t->s, "reject") == 0)
		sc->kind = STATIC_REJECT;
	else if (addr_parse(t->s, &sc->gw) == 0) {
		sc->kind = STATIC_GATEWAY;
		if (sc->gw.af != sc->prefix.addr.af) {
			conf_err(p, t, "next hop %s is not an %s address",
			    t->s, sc->prefix.addr.af == AF_INET ? "IPv4" :
			    "IPv6");
			return -1;
		}
	} else if (conf_looks_numeric(t->s) || !conf_ifname_ok(t->s)) {
		conf_err(p, t, "'%s' is not %s",
		    conf_vis(t->s, vis, sizeof(vis)), IP_ROUTE_TARGET);
		return -1;
	} else {
		sc->kind = STATIC_IFACE;
		strlcpy(sc->ifname, t->s, sizeof(sc->ifname));
	}
	return 0;
}

static int
conf_static_option_word(const char *s)
{
	enum kw	 k = conf_kw(s);
	size_t	 i;

	if (k == KW_LIVENESS || k == KW_BFD || k == KW_FAILBACK_DELAY)
		return 1;
	for (i = 0; i < sizeof(conf_static_later) /
	    sizeof(conf_static_later[0]); i++)
		if (strcmp(s, conf_static_later[i]) == 0)
			return 1;
	return 0;
}

/* [IFNAME] after a gateway, then [DISTANCE]. */
static int
conf_static_ifname_distance(struct conf_parser *p, struct static_config *sc,
    int *dist_given)
{
	const struct conf_tok	*t = conf_peek(p);
	uint32_t		 d;

	*dist_given = 0;
	if (t != NULL && conf_str_u32(t->s, &d) == -1 &&
	    !conf_static_option_word(t->s)) {
		if (sc->kind != STATIC_GATEWAY) {
			conf_expected(p, t, "a distance (1-255) or an option");
			return -1;
		}
		if (!conf_ifname_ok(t->s)) {
			conf_expected(p, t, "an interface name, a distance "
			    "(1-255) or an option");
			return -1;
		}
		strlcpy(sc->ifname, t->s, sizeof(sc->ifname));
		p->cur++;
		t = conf_peek(p);
	}
	if (t != NULL && conf_str_u32(t->s, &d) == 0) {
		if (conf_get_num(p, "a distance", 1, 255, &d) == -1)
			return -1;
		sc->distance = (uint8_t)d;
		*dist_given = 1;
	}
	return 0;
}

/* ---- options ---- */

/* One "NAME NUMBER" sub-option of liveness icmp or bfd, once each. */
static int
conf_static_num(struct conf_parser *p, const struct conf_tok *t,
    unsigned *seen, unsigned bit, const char *what, uint32_t min,
    uint32_t max, uint32_t *v)
{
	if (*seen & bit) {
		conf_err(p, t, "'%s' is given twice", t->s);
		return -1;
	}
	*seen |= bit;
	return conf_get_num(p, what, min, max, v);
}

static int
conf_static_icmp_opt(struct conf_parser *p, struct static_config *sc,
    const struct conf_tok *t, unsigned *seen)
{
	uint32_t	 v;

	switch (conf_kw(t->s)) {
	case KW_INTERVAL:
		if (conf_static_num(p, t, seen, 1, "an interval in "
		    "milliseconds", LIVE_ICMP_INTERVAL_MIN,
		    LIVE_ICMP_INTERVAL_MAX, &v) == -1)
			return -1;
		sc->icmp_interval = v;
		return 0;
	case KW_MULTIPLIER:
		if (conf_static_num(p, t, seen, 2, "a count of missed replies",
		    LIVE_MULT_MIN, LIVE_MULT_MAX, &v) == -1)
			return -1;
		sc->icmp_mult = (uint8_t)v;
		return 0;
	case KW_UP:
		if (conf_static_num(p, t, seen, 4, "a count of replies in a "
		    "row", 1, 255, &v) == -1)
			return -1;
		sc->icmp_up = (uint8_t)v;
		return 0;
	case KW_TARGET:
		if (*seen & 8) {
			conf_err(p, t, "'target' is given twice");
			return -1;
		}
		*seen |= 8;
		t = conf_next(p);
		if (t == NULL || addr_parse(t->s, &sc->icmp_target) == -1 ||
		    sc->icmp_target.af != sc->prefix.addr.af) {
			conf_expected(p, t, sc->prefix.addr.af == AF_INET ?
			    "an IPv4 address to probe" :
			    "an IPv6 address to probe");
			return -1;
		}
		return 0;
	default:
		return 1;	/* not one of ours */
	}
}

static int
conf_static_bfd_opt(struct conf_parser *p, struct static_config *sc,
    const struct conf_tok *t, unsigned *seen)
{
	uint32_t	 v;

	switch (conf_kw(t->s)) {
	case KW_INTERVAL:
		if (conf_static_num(p, t, seen, 1, "a transmit interval in "
		    "milliseconds", BFD_INTERVAL_MIN, BFD_INTERVAL_MAX,
		    &v) == -1)
			return -1;
		sc->bfd_interval = v;
		return 0;
	case KW_MIN_RX:
		if (conf_static_num(p, t, seen, 2, "a receive interval in "
		    "milliseconds", BFD_INTERVAL_MIN, BFD_INTERVAL_MAX,
		    &v) == -1)
			return -1;
		sc->bfd_min_rx = v;
		return 0;
	case KW_MULTIPLIER:
		if (conf_static_num(p, t, seen, 4, "a detect multiplier",
		    LIVE_MULT_MIN, LIVE_MULT_MAX, &v) == -1)
			return -1;
		sc->bfd_mult = (uint8_t)v;
		return 0;
	default:
		return 1;
	}
}

/* The sub-options of the tracking named last, until a word that is not
 * one of them. */
static int
conf_static_subopts(struct conf_parser *p, struct static_config *sc)
{
	const struct conf_tok	*t;
	unsigned		 seen = 0;
	int			 rc;

	while ((t = conf_peek(p)) != NULL) {
		p->cur++;
		rc = sc->track == STATIC_TRACK_ICMP ?
		    conf_static_icmp_opt(p, sc, t, &seen) :
		    conf_static_bfd_opt(p, sc, t, &seen);
		if (rc == -1)
			return -1;
		if (rc == 1) {
			p->cur--;
			break;
		}
	}
	return 0;
}

static int
conf_static_track(struct conf_parser *p, struct static_config *sc,
    const struct conf_tok *t)
{
	const struct conf_tok	*tk;

	if (sc->track != STATIC_TRACK_NONE) {
		conf_err(p, t, "one route has one tracking: 'liveness icmp' "
		    "or 'bfd'");
		return -1;
	}
	if (conf_kw(t->s) == KW_LIVENESS) {
		tk = conf_next(p);
		if (tk == NULL || conf_kw(tk->s) != KW_ICMP) {
			conf_expected(p, tk, tk != NULL && conf_kw(tk->s) ==
			    KW_TCP ? "'icmp' (liveness tcp is for BGP "
			    "neighbors)" : "'icmp'");
			return -1;
		}
		sc->track = STATIC_TRACK_ICMP;
		sc->icmp_interval = STATIC_ICMP_INTERVAL_DEF;
		sc->icmp_mult = STATIC_ICMP_MULT_DEF;
		sc->icmp_up = LIVE_ICMP_UP_DEF;
	} else {
		sc->track = STATIC_TRACK_BFD;
		sc->bfd_interval = BFD_INTERVAL_DEF;
		sc->bfd_min_rx = BFD_MIN_RX_DEF;
		sc->bfd_mult = BFD_MULT_DEF;
	}
	return conf_static_subopts(p, sc);
}

static int
conf_static_options(struct conf_parser *p, struct static_config *sc)
{
	const struct conf_tok	*t;
	uint32_t		 v;
	int			 fb = 0;

	while ((t = conf_next(p)) != NULL) {
		switch (conf_kw(t->s)) {
		case KW_LIVENESS:
		case KW_BFD:
			if (conf_static_track(p, sc, t) == -1)
				return -1;
			break;
		case KW_FAILBACK_DELAY:
			if (fb++) {
				conf_err(p, t, "'failback-delay' is given "
				    "twice");
				return -1;
			}
			if (conf_get_num(p, "a delay in seconds", 0,
			    STATIC_FAILBACK_MAX, &v) == -1)
				return -1;
			sc->failback_delay = v;
			break;
		default:
			if (conf_static_option_word(t->s))
				conf_err(p, t, "'ip route ... %s' is not "
				    "supported yet", t->s);
			else
				conf_expected(p, t, "'liveness icmp', 'bfd', "
				    "'failback-delay' or end of line");
			return -1;
		}
	}
	return 0;
}

/* ---- checks ---- */

static int
conf_is_linklocal(const struct tb_addr *a)
{
	return a->af == AF_INET6 && a->u.raw[0] == 0xfe &&
	    (a->u.raw[1] & 0xc0) == 0x80;
}

/* What the next hop and its options make sense together as. */
static int
conf_static_check(struct conf_parser *p, const struct conf_tok *t0,
    const struct static_config *sc)
{
	int	 drop = sc->kind == STATIC_BLACKHOLE ||
		    sc->kind == STATIC_REJECT;

	if (drop && (sc->track != STATIC_TRACK_NONE ||
	    sc->failback_delay != 0)) {
		conf_err(p, t0, "a %s route has nothing to track",
		    sc->kind == STATIC_BLACKHOLE ? "blackhole" : "reject");
		return -1;
	}
	if (sc->kind == STATIC_GATEWAY && conf_is_linklocal(&sc->gw) &&
	    sc->ifname[0] == '\0') {
		conf_err(p, t0, "link-local next hop %s needs an interface",
		    addr_str(&sc->gw));
		return -1;
	}
	if (sc->kind == STATIC_IFACE && sc->track == STATIC_TRACK_ICMP &&
	    !addr_isset(&sc->icmp_target)) {
		conf_err(p, t0, "liveness icmp on a route to an interface "
		    "needs 'target ADDRESS'");
		return -1;
	}
	if (sc->kind != STATIC_GATEWAY && sc->track == STATIC_TRACK_BFD) {
		conf_err(p, t0, "bfd needs a next hop address to run to");
		return -1;
	}
	return 0;
}

/* ---- the statements ---- */

static int
conf_static_del(struct conf_parser *p, const struct conf_tok *t0,
    const struct static_config *k, int dist_given)
{
	struct static_config	*s, *next;
	int			 n = 0;

	TAILQ_FOREACH_SAFE(s, &p->conf->statics, entry, next) {
		if (conf_static_nh_cmp(s, k) != 0 ||
		    (dist_given && s->distance != k->distance))
			continue;
		TAILQ_REMOVE(&p->conf->statics, s, entry);
		free(s);
		n++;
	}
	if (n == 0) {
		conf_err(p, t0, "no such static route to remove");
		return -1;
	}
	return 0;
}

static int
conf_static_add(struct conf_parser *p, const struct conf_tok *t0,
    const struct static_config *k)
{
	struct static_config	*s;

	if ((s = conf_static_find(p->conf, k)) != NULL) {
		/* The same route again: its options are the new ones. */
		TAILQ_REMOVE(&p->conf->statics, s, entry);
		free(s);
	}
	if ((s = malloc(sizeof(*s))) == NULL) {
		conf_err(p, t0, "out of memory");
		return -1;
	}
	*s = *k;
	s->file = p->src->name;
	s->line = p->src->lineno;
	conf_static_insert(p->conf, s);
	return 0;
}

static int
conf_ip_route(struct conf_parser *p, int af)
{
	const struct conf_tok	*t0 = &p->tok[p->base];
	struct static_config	 sc;
	int			 dist_given;

	memset(&sc, 0, sizeof(sc));
	sc.distance = STATIC_DISTANCE_DEF;
	if (conf_static_prefix(p, af, &sc.prefix) == -1 ||
	    conf_static_target(p, &sc) == -1 ||
	    conf_static_ifname_distance(p, &sc, &dist_given) == -1 ||
	    conf_static_options(p, &sc) == -1 ||
	    conf_static_check(p, t0, &sc) == -1)
		return -1;
	if (p->negate)
		return conf_static_del(p, t0, &sc, dist_given);
	return conf_static_add(p, t0, &sc);
}

int
stmt_ip_route(struct conf_parser *p)
{
	return conf_ip_route(p, AF_INET);
}

int
stmt_ipv6_route(struct conf_parser *p)
{
	return conf_ip_route(p, AF_INET6);
}

/* distance bgp EXTERNAL INTERNAL LOCAL (router bgp), FRR's words; tbgpd
 * installs eBGP routes only, the other two are kept for the printer. */
int
stmt_distance_bgp(struct conf_parser *p)
{
	uint32_t	 e = DISTANCE_EBGP_DEF, i = DISTANCE_IBGP_DEF;
	uint32_t	 l = DISTANCE_LOCAL_DEF;

	if (!p->negate || conf_peek(p) != NULL) {
		if (conf_get_num(p, "a distance for external routes", 1, 255,
		    &e) == -1 || conf_get_num(p, "a distance for internal "
		    "routes", 1, 255, &i) == -1 || conf_get_num(p, "a "
		    "distance for local routes", 1, 255, &l) == -1)
			return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if (p->negate) {
		e = DISTANCE_EBGP_DEF;
		i = DISTANCE_IBGP_DEF;
		l = DISTANCE_LOCAL_DEF;
	}
	p->conf->distance_ebgp = (uint8_t)e;
	p->conf->distance_ibgp = (uint8_t)i;
	p->conf->distance_local = (uint8_t)l;
	return 0;
}

/* ---- printing ---- */

/* The canonical words of one static route, without "ip route". */
void
conf_static_words(const struct static_config *s, char *out, size_t len)
{
	size_t	 n;

	n = (size_t)snprintf(out, len, "%s", prefix_str(&s->prefix));
#define ADD(...) do { if (n < len) n += (size_t)snprintf(out + n, \
		    len - n, __VA_ARGS__); } while (0)
	switch (s->kind) {
	case STATIC_GATEWAY:
		ADD(" %s", addr_str(&s->gw));
		if (s->ifname[0] != '\0')
			ADD(" %s", s->ifname);
		break;
	case STATIC_IFACE:
		ADD(" %s", s->ifname);
		break;
	case STATIC_BLACKHOLE:
		ADD(" blackhole");
		break;
	case STATIC_REJECT:
		ADD(" reject");
		break;
	}
	if (s->distance != STATIC_DISTANCE_DEF)
		ADD(" %u", s->distance);
	if (s->track == STATIC_TRACK_ICMP) {
		ADD(" liveness icmp interval %u multiplier %u",
		    s->icmp_interval, s->icmp_mult);
		if (s->icmp_up != LIVE_ICMP_UP_DEF)
			ADD(" up %u", s->icmp_up);
		if (addr_isset(&s->icmp_target))
			ADD(" target %s", addr_str(&s->icmp_target));
	} else if (s->track == STATIC_TRACK_BFD) {
		ADD(" bfd");
		if (s->bfd_interval != BFD_INTERVAL_DEF)
			ADD(" interval %u", s->bfd_interval);
		if (s->bfd_min_rx != BFD_MIN_RX_DEF)
			ADD(" min-rx %u", s->bfd_min_rx);
		if (s->bfd_mult != BFD_MULT_DEF)
			ADD(" multiplier %u", s->bfd_mult);
	}
	if (s->failback_delay != 0)
		ADD(" failback-delay %u", s->failback_delay);
#undef ADD
}

void
conf_static_print(FILE *f, const struct bgpd_config *c)
{
	const struct static_config	*s;
	char				 words[256];

	TAILQ_FOREACH(s, &c->statics, entry) {
		conf_static_words(s, words, sizeof(words));
		fprintf(f, "%s route %s\n", s->prefix.addr.af == AF_INET ?
		    "ip" : "ipv6", words);
	}
	if (!TAILQ_EMPTY(&c->statics))
		fprintf(f, "!\n");
}
