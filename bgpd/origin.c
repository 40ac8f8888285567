/*
 * origin: the routes tbgpd originates itself, from the kernel's main
 * routing table: `network PREFIX` (announced while the kernel has that
 * very route: FRR's import check) and `redistribute connected | static |
 * kernel` (the kernel's routes by the protocol that put them there).
 * origin_sync() reads the table once per family and brings the local
 * source's paths in the RIB in line with it; rde.c calls it at start and
 * every few seconds, and exports what changed.
 *
 * tbgpd's own static routes (sroute.c) are not read back from the
 * kernel: rtsel.c knows them wherever they are installed (any fib table,
 * or none).  The import check counts a usable static route for the very
 * prefix, and `redistribute static` announces the static routes that are
 * selected (not those a lower BGP distance beats), as FRR redistributes
 * what zebra selected.  origin_statics() does that part alone, without a
 * kernel read, when the static routes change.
 */
#include "config.h"

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "fib.h"
#include "kroute.h"
#include "log.h"
#include "origin.h"
#include "policy.h"
#include "rtsel.h"
#include "update.h"

/* A growable array of kernel routes or prefixes. */
struct origin_vec {
	struct kroute	*v;
	size_t		 n;
	size_t		 cap;
};

/* What was redistributed at the last scan, per family, sorted. */
static struct origin_vec origin_prev[AID_MAX];
/* The network prefixes the kernel had at the last read, sorted. */
static struct origin_vec origin_netk[AID_MAX];
/* The static routes redistributed, sorted. */
static struct origin_vec origin_prev_st[AID_MAX];

static void
origin_push(struct origin_vec *ov, const struct kroute *kr)
{
	struct kroute	*nv;
	size_t		 cap;

	if (ov->n == ov->cap) {
		cap = ov->cap ? 2 * ov->cap : 64;
		if ((nv = reallocarray(ov->v, cap, sizeof(*nv))) == NULL)
			fatal("origin");
		ov->v = nv;
		ov->cap = cap;
	}
	ov->v[ov->n++] = *kr;
}

static void
origin_collect(const struct kroute *kr, void *arg)
{
	origin_push(arg, kr);
}

static int
origin_pfx_cmp(const struct tb_prefix *a, const struct tb_prefix *b)
{
	int	 c = addr_cmp(&a->addr, &b->addr);

	if (c != 0)
		return c;
	return (int)a->len - (int)b->len;
}

static int
origin_kr_cmp(const void *a, const void *b)
{
	return origin_pfx_cmp(&((const struct kroute *)a)->prefix,
	    &((const struct kroute *)b)->prefix);
}

static const struct kroute *
origin_find(const struct origin_vec *ov, const struct tb_prefix *p)
{
	struct kroute	 key;

	memset(&key, 0, sizeof(key));
	key.prefix = *p;
	return ov->n == 0 ? NULL : bsearch(&key, ov->v, ov->n, sizeof(key),
	    origin_kr_cmp);
}

/* The redistribute class of a kernel route, or -1 for none: connected
 * routes are the prefixes the kernel adds for interface addresses. */
static int
origin_class(const struct kroute *kr)
{
	if (kr->protocol == FIB_PROTO_BGP || kr->protocol == FIB_PROTO_STATIC ||
	    kr->protocol == RTPROT_REDIRECT)
		return -1;
	if (kr->protocol == RTPROT_KERNEL && kr->scope == RT_SCOPE_LINK)
		return REDIST_CONNECTED;
	if (kr->protocol == RTPROT_STATIC)
		return REDIST_STATIC;
	return REDIST_KERNEL;
}

/* Never redistributed: defaults (FRR wants default-information
 * originate for those), IPv6 link-local and multicast. */
static int
origin_skip(const struct tb_prefix *p)
{
	const uint8_t	*a = p->addr.u.raw;

	if (p->len == 0)
		return 1;
	if (p->addr.af == AF_INET6 && (a[0] == 0xff ||
	    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)))
		return 1;
	return 0;
}

/* Put one locally originated path into the RIB, after its route-map. */
static void
origin_announce(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, const struct tb_prefix *p,
    struct attr *w, const char *rmap, uint32_t now)
{
	struct policy_ctx	 ctx;

	w->aspath = aspath_empty();
	w->weight = 32768;	/* FRR's weight for local routes */
	w->nexthop.af = p->addr.af;
	if (rmap[0] != '\0') {
		memset(&ctx, 0, sizeof(ctx));
		ctx.prefix = p;
		ctx.local_as = conf->as;
		ctx.out = 1;
		if (policy_rmap_apply(conf->policy,
		    policy_rmap_find(conf->policy, rmap), &ctx, w) !=
		    POLICY_PERMIT) {
			attr_clear(w);
			rib_withdraw(rib, local, p);
			return;
		}
	}
	rib_update(rib, local, p, attr_intern(w), NULL, now);
}

/* The selected static routes of one family, as kroutes to sort. */
struct origin_collect_st {
	struct origin_vec	*v;
	int			 af;
};

static void
origin_collect_static(const struct rtsel_info *info, void *arg)
{
	struct origin_collect_st	*c = arg;
	struct kroute			 kr;

	if (info->prefix.addr.af != c->af || info->selected != RTSEL_STATIC)
		return;
	memset(&kr, 0, sizeof(kr));
	kr.prefix = info->prefix;
	origin_push(c->v, &kr);
}

static int
origin_is_network(const struct bgpd_config *conf, enum aid aid,
    const struct tb_prefix *p)
{
	const struct network_config	*n;

	TAILQ_FOREACH(n, &conf->networks[aid], entry)
		if (origin_pfx_cmp(&n->prefix, p) == 0)
			return 1;
	return 0;
}

/* A usable static route for p (selected: the one that went to the
 * kernel). */
static int
origin_static_has(const struct rtsel *sel, const struct tb_prefix *p,
    int selected)
{
	struct rtsel_info	 info;

	if (sel == NULL || rtsel_get(sel, p, &info) == -1 ||
	    !info.has[RTSEL_STATIC])
		return 0;
	return !selected || info.selected == RTSEL_STATIC;
}

/* The networks the kernel has, for the checks made without a read. */
static void
origin_netk_update(const struct bgpd_config *conf, enum aid aid,
    const struct origin_vec *kernel)
{
	const struct network_config	*n;
	const struct kroute		*kr;

	origin_netk[aid].n = 0;
	TAILQ_FOREACH(n, &conf->networks[aid], entry)
		if ((kr = origin_find(kernel, &n->prefix)) != NULL)
			origin_push(&origin_netk[aid], kr);
	if (origin_netk[aid].n > 0)
		qsort(origin_netk[aid].v, origin_netk[aid].n,
		    sizeof(*origin_netk[aid].v), origin_kr_cmp);
}

static void
origin_networks(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, enum aid aid, const struct rtsel *sel,
    uint32_t now)
{
	const struct network_config	*n;
	struct attr			 w;

	TAILQ_FOREACH(n, &conf->networks[aid], entry) {
		if (conf->network_import_check &&
		    origin_find(&origin_netk[aid], &n->prefix) == NULL &&
		    !origin_static_has(sel, &n->prefix, 0)) {
			rib_withdraw(rib, local, &n->prefix);
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.origin = ORIGIN_IGP;
		origin_announce(rib, local, conf, &n->prefix, &w, n->rmap, now);
	}
}

/* The paths of one redistributed route: origin incomplete, the metric as
 * MED. */
static void
origin_redist_one(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, const struct tb_prefix *p,
    uint32_t metric, const char *rmap, uint32_t now)
{
	struct attr	 w;

	memset(&w, 0, sizeof(w));
	w.origin = ORIGIN_INCOMPLETE;
	w.med = metric;
	w.flags = ATTRF_MED;
	origin_announce(rib, local, conf, p, &w, rmap, now);
}

/* What was in prev and is in neither cur nor other (the other kind of
 * redistribution) nor a network statement goes. */
static void
origin_withdraw_gone(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, enum aid aid,
    const struct origin_vec *prev, const struct origin_vec *cur,
    const struct origin_vec *other)
{
	size_t	 i;

	for (i = 0; i < prev->n; i++)
		if (origin_find(cur, &prev->v[i].prefix) == NULL &&
		    origin_find(other, &prev->v[i].prefix) == NULL &&
		    !origin_is_network(conf, aid, &prev->v[i].prefix))
			rib_withdraw(rib, local, &prev->v[i].prefix);
}

/* redistribute static: tbgpd's selected static routes, MED 0. */
static void
origin_redist_static(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, enum aid aid, const struct rtsel *sel,
    uint32_t now)
{
	const struct redist_config	*rc = &conf->redist[aid][REDIST_STATIC];
	struct origin_vec		 cur = { NULL, 0, 0 };
	struct origin_collect_st	 c = { &cur, aid_af(aid) };
	size_t				 i;

	if (rc->on && sel != NULL)
		rtsel_walk(sel, origin_collect_static, &c);
	if (cur.n > 0)
		qsort(cur.v, cur.n, sizeof(*cur.v), origin_kr_cmp);
	for (i = 0; i < cur.n; i++) {
		if (origin_skip(&cur.v[i].prefix) ||
		    origin_is_network(conf, aid, &cur.v[i].prefix))
			continue;
		origin_redist_one(rib, local, conf, &cur.v[i].prefix, 0,
		    rc->rmap, now);
	}
	origin_withdraw_gone(rib, local, conf, aid, &origin_prev_st[aid], &cur,
	    &origin_prev[aid]);
	free(origin_prev_st[aid].v);
	origin_prev_st[aid] = cur;
}

/* Redistributed kernel routes: origin incomplete, the kernel metric as
 * MED. */
static void
origin_redist(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, enum aid aid,
    const struct origin_vec *kernel, uint32_t now)
{
	const struct redist_config	*rc;
	struct origin_vec		 cur = { NULL, 0, 0 };
	size_t				 i;
	int				 cls;

	for (i = 0; i < kernel->n; i++) {
		const struct kroute	*kr = &kernel->v[i];

		if ((cls = origin_class(kr)) == -1 ||
		    !(rc = &conf->redist[aid][cls])->on ||
		    origin_skip(&kr->prefix) ||
		    origin_is_network(conf, aid, &kr->prefix) ||
		    (cur.n > 0 && origin_pfx_cmp(&cur.v[cur.n - 1].prefix,
		    &kr->prefix) == 0))
			continue;
		origin_push(&cur, kr);
		origin_redist_one(rib, local, conf, &kr->prefix, kr->metric,
		    rc->rmap, now);
	}
	/* What the kernel no longer has (or no longer in a class we
	 * redistribute) goes, unless a network statement holds it. */
	origin_withdraw_gone(rib, local, conf, aid, &origin_prev[aid], &cur,
	    &origin_prev_st[aid]);
	free(origin_prev[aid].v);
	origin_prev[aid] = cur;
}

static int
origin_wanted(const struct bgpd_config *conf, enum aid aid)
{
	int	 cls;

	if (!TAILQ_EMPTY(&conf->networks[aid]))
		return 1;
	for (cls = 0; cls < REDIST_MAX; cls++)
		if (conf->redist[aid][cls].on)
			return 1;
	return origin_prev[aid].n > 0 || origin_prev_st[aid].n > 0;
}

void
origin_statics(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, const struct rtsel *sel, uint32_t now)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (!origin_wanted(conf, aid))
			continue;
		origin_networks(rib, local, conf, aid, sel, now);
		origin_redist_static(rib, local, conf, aid, sel, now);
	}
}

void
origin_sync(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *conf, const struct rtsel *sel, uint32_t now)
{
	struct origin_vec	 kernel;
	int			 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (!origin_wanted(conf, aid))
			continue;
		memset(&kernel, 0, sizeof(kernel));
		if (kroute_dump(aid_af(aid), origin_collect, &kernel) == -1) {
			log_warn("cannot read the kernel's %s routes; "
			    "networks and redistributed routes stay as they "
			    "were", aid_name(aid));
			free(kernel.v);
			continue;
		}
		if (kernel.n > 0)
			qsort(kernel.v, kernel.n, sizeof(*kernel.v),
			    origin_kr_cmp);
		origin_netk_update(conf, aid, &kernel);
		origin_networks(rib, local, conf, aid, sel, now);
		origin_redist(rib, local, conf, aid, &kernel, now);
		origin_redist_static(rib, local, conf, aid, sel, now);
		free(kernel.v);
	}
}

void
origin_reconfigure(struct rib *rib, struct rib_src *local,
    const struct bgpd_config *old, const struct bgpd_config *new)
{
	const struct network_config	*n;
	int				 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		TAILQ_FOREACH(n, &old->networks[aid], entry)
			if (!origin_is_network(new, aid, &n->prefix) &&
			    origin_find(&origin_prev[aid], &n->prefix) == NULL &&
			    origin_find(&origin_prev_st[aid], &n->prefix) ==
			    NULL)
				rib_withdraw(rib, local, &n->prefix);
}

void
origin_free(void)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		free(origin_prev[aid].v);
		free(origin_prev_st[aid].v);
		free(origin_netk[aid].v);
		memset(&origin_prev[aid], 0, sizeof(origin_prev[aid]));
		memset(&origin_prev_st[aid], 0, sizeof(origin_prev_st[aid]));
		memset(&origin_netk[aid], 0, sizeof(origin_netk[aid]));
	}
}
