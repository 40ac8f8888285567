/*
 * nexthop: next-hop resolution and its cache (see nexthop.h).
 */
#include "config.h"

#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"
#include "kroute.h"
#include "log.h"
#include "nexthop.h"
#include "nl_route.h"

#define NH_TAB_MIN		64
#define NH_ROUTES_DELAY_MS	50	/* route events come in bursts */

struct nh_entry {
	struct nh_entry	*next;		/* hash chain */
	struct tb_addr	 addr;
	int		 kind;		/* NH_KIND_* */
	int		 ifindex;	/* link-local: the neighbor's interface */
	int		 usable;
	int		 via_ifindex;
	struct tb_prefix via;
	uint64_t	 seen;		/* the last walk that met it */
	uint32_t	 flipped;	/* paths changed by this walk */
};

static struct {
	struct nh_entry	**tab;
	size_t		 size;		/* buckets, a power of two */
	size_t		 n;
	size_t		 n_walked;	/* entries after the last walk */
	struct rib	*rib;
	const struct kif *kif;		/* NULL: every next hop usable */
	struct event	*t_check;
	int		 what;		/* NH_CHECK_* pending */
	void		(*changed)(void);
	uint64_t	 gen;		/* walks */
	struct nexthop_stats st;
	/* The last answer: a table's paths come in runs from one source
	 * with one next hop.  epoch moves whenever an answer may have. */
	const struct rib_src *last_src;
	struct tb_addr	 last_addr;
	uint64_t	 last_epoch;
	uint64_t	 epoch;
	int		 last_usable;
} nh;

int
nexthop_resolve(const struct kif *k, int kind, const struct tb_addr *a,
    int ifindex, int (*lookup)(const struct tb_addr *, struct kroute *),
    int *via_ifindex, struct tb_prefix *via)
{
	struct kroute	 kr;
	int		 rc;

	*via_ifindex = 0;
	memset(via, 0, sizeof(*via));
	if (k == NULL)
		return 1;
	if (kind == NH_KIND_LINKLOCAL) {
		*via_ifindex = ifindex;
		return ifindex > 0 && kif_usable(k, ifindex);
	}
	if (kif_connected(k, a, via_ifindex))
		return 1;
	if (kind != NH_KIND_RECURSIVE || lookup == NULL)
		return 0;
	if ((rc = lookup(a, &kr)) != 1)
		return rc;		/* 0: no route, -1: could not ask */
	*via = kr.prefix;
	/* Not over BGP itself, not over the default route, not into a
	 * blackhole. */
	return kr.type == RTN_UNICAST && kr.protocol != NL_RTPROT_BGP &&
	    kr.prefix.len > 0;
}

/* Which rule a path's next hop falls under, and the address it names. */
static int
nexthop_kind(const struct rib_src *src, const struct attr *a,
    const struct tb_addr **addr, int *ifindex)
{
	*ifindex = 0;
	*addr = &a->nexthop;
	if (a->nexthop.af == 0 && (a->flags & ATTRF_NEXTHOP_LL))
		*addr = &a->nexthop_ll;
	if ((*addr)->af == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&(*addr)->u.v6)) {
		*ifindex = src->ifindex;
		return NH_KIND_LINKLOCAL;
	}
	if (src->nh_recursive)
		return NH_KIND_RECURSIVE;
	return NH_KIND_DIRECT;
}

static int
nexthop_lookup(const struct tb_addr *a, struct kroute *kr)
{
	nh.st.lookups++;
	return kroute_get(a, kr);
}

/* Resolve e again; 1 when its answer changed.  A lookup that failed
 * keeps the last answer. */
static int
nexthop_entry_resolve(struct nh_entry *e)
{
	int	 was = e->usable, rc;

	rc = nexthop_resolve(nh.kif, e->kind, &e->addr, e->ifindex,
	    nexthop_lookup, &e->via_ifindex, &e->via);
	if (rc == -1) {
		log_warn("next hop %s: cannot ask the kernel for its route",
		    addr_str(&e->addr));
		return 0;
	}
	e->usable = rc;
	return was != rc;
}

static size_t
nexthop_hash(const struct tb_addr *a, int kind, int ifindex)
{
	uint64_t	 h = 1469598103934665603ULL;
	size_t		 i, len = a->af == AF_INET ? 4 : 16;

	for (i = 0; i < len; i++)
		h = (h ^ a->u.raw[i]) * 1099511628211ULL;
	h = (h ^ (uint64_t)kind) * 1099511628211ULL;
	h = (h ^ (uint64_t)(unsigned int)ifindex) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static void
nexthop_grow(void)
{
	struct nh_entry	**tab, *e, *next;
	size_t		  size = nh.size ? nh.size * 2 : NH_TAB_MIN, i, b;

	if ((tab = calloc(size, sizeof(*tab))) == NULL)
		fatal("next-hop table");
	for (i = 0; i < nh.size; i++)
		for (e = nh.tab[i]; e != NULL; e = next) {
			next = e->next;
			b = nexthop_hash(&e->addr, e->kind, e->ifindex) &
			    (size - 1);
			e->next = tab[b];
			tab[b] = e;
		}
	free(nh.tab);
	nh.tab = tab;
	nh.size = size;
}

static struct nh_entry *
nexthop_get(const struct tb_addr *a, int kind, int ifindex)
{
	struct nh_entry	*e;
	size_t		 b;

	if (nh.n >= nh.size)
		nexthop_grow();
	b = nexthop_hash(a, kind, ifindex) & (nh.size - 1);
	for (e = nh.tab[b]; e != NULL; e = e->next)
		if (e->kind == kind && e->ifindex == ifindex &&
		    addr_cmp(&e->addr, a) == 0)
			return e;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal("next hop");
	e->addr = *a;
	e->kind = kind;
	e->ifindex = ifindex;
	e->seen = nh.gen;
	(void)nexthop_entry_resolve(e);
	e->next = nh.tab[b];
	nh.tab[b] = e;
	nh.n++;
	return e;
}

static struct nh_entry *
nexthop_of(const struct rib_src *src, const struct attr *a)
{
	const struct tb_addr	*addr;
	int			 kind, ifindex;

	kind = nexthop_kind(src, a, &addr, &ifindex);
	return nexthop_get(addr, kind, ifindex);
}

int
nexthop_usable(const struct rib_src *src, const struct attr *a, void *arg)
{
	if (src->local || src->owner == NULL)
		return 1;
	/* (Only a global next hop is remembered: enough for the runs.) */
	if (src == nh.last_src && nh.last_epoch == nh.epoch &&
	    a->nexthop.af != 0 && addr_cmp(&a->nexthop, &nh.last_addr) == 0)
		return nh.last_usable;
	nh.last_usable = nexthop_of(src, a)->usable;
	nh.last_src = src;
	nh.last_addr = a->nexthop;
	nh.last_epoch = nh.epoch;
	return nh.last_usable;
}

/* --- the re-check --- */

/* One entry of the walk: every path whose answer changed is re-decided
 * (which re-sorts the list: start over after each). */
static void
nexthop_walk_entry(struct rib_entry *re, void *arg)
{
	struct rib_path	*p;
	struct nh_entry	*e;

 again:
	for (p = re->paths; p != NULL; p = p->next) {
		if (p->attr == NULL || p->src->local || p->src->owner == NULL)
			continue;
		e = nexthop_of(p->src, p->attr);
		e->seen = nh.gen;
		if (e->usable == ((p->flags & PATH_NH_UNREACH) == 0))
			continue;
		e->flipped++;
		rib_path_set_reachable(nh.rib, re, p, e->usable);
		goto again;
	}
}

static const char *
nexthop_ifname(int ifindex)
{
	const struct kif_link	*l;

	if (nh.kif == NULL || (l = kif_get(nh.kif, ifindex)) == NULL)
		return "?";
	return l->name;
}

/* Say what the walk changed, and forget next hops no path uses. */
static void
nexthop_sweep(void)
{
	struct nh_entry	**ep, *e;
	size_t		  i;

	for (i = 0; i < nh.size; i++)
		for (ep = &nh.tab[i]; (e = *ep) != NULL; ) {
			if (e->flipped > 0 && e->usable)
				log_info("next hop %s is reachable (%s): %u "
				    "path%s eligible again", addr_str(&e->addr),
				    e->via_ifindex ?
				    nexthop_ifname(e->via_ifindex) :
				    prefix_str(&e->via), e->flipped,
				    e->flipped == 1 ? "" : "s");
			else if (e->flipped > 0)
				log_warnx("next hop %s is unreachable: %u "
				    "path%s no longer eligible",
				    addr_str(&e->addr), e->flipped,
				    e->flipped == 1 ? "" : "s");
			e->flipped = 0;
			if (e->seen == nh.gen) {
				ep = &e->next;
				continue;
			}
			*ep = e->next;
			free(e);
			nh.n--;
		}
	nh.n_walked = nh.n;
}

static void
nexthop_rib_walk(void)
{
	int	 aid;

	nh.gen++;
	nh.st.walks++;
	for (aid = 0; aid < AID_MAX; aid++)
		rib_walk(nh.rib, aid, nexthop_walk_entry, NULL);
	nexthop_sweep();
	if (nh.changed != NULL)
		nh.changed();
}

static void
nexthop_run(evutil_socket_t fd, short ev, void *arg)
{
	struct nh_entry	*e;
	size_t		 i, changed = 0;
	int		 what = nh.what;

	nh.what = 0;
	nh.st.checks++;
	for (i = 0; i < nh.size; i++)
		for (e = nh.tab[i]; e != NULL; e = e->next)
			if (what == NH_CHECK_ALL ||
			    e->kind == NH_KIND_RECURSIVE)
				changed += (size_t)nexthop_entry_resolve(e);
	nh.epoch++;
	/* A walk also forgets next hops no path uses any more: do one when
	 * the cache has doubled since the last. */
	if (changed > 0 || nh.n > 2 * nh.n_walked + NH_TAB_MIN)
		nexthop_rib_walk();
}

void
nexthop_check(int what)
{
	struct timeval	 tv = { 0, 0 };

	if (nh.t_check == NULL || nh.n == 0)
		return;
	if ((nh.what | what) == nh.what)
		return;
	nh.what |= what;
	if (evtimer_pending(nh.t_check, NULL))
		return;
	if (what == NH_CHECK_ROUTES)
		tv.tv_usec = NH_ROUTES_DELAY_MS * 1000;
	evtimer_add(nh.t_check, &tv);
}

/* --- life cycle and show --- */

/* Next hops on an interface may have come or gone with it; checked
 * next turn, once the sessions' own changes are in the kernel. */
static void
nexthop_kif_event(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	nexthop_check(NH_CHECK_ALL);
}

void
nexthop_init(struct event_base *base, struct rib *rib, struct kif *kif,
    void (*changed)(void))
{
	nh.rib = rib;
	nh.kif = kif;
	nh.changed = changed;
	nh.epoch = 1;
	if ((nh.t_check = evtimer_new(base, nexthop_run, NULL)) == NULL)
		fatalx("evtimer_new");
	if (kif != NULL)
		kif_add_handler(kif, nexthop_kif_event, NULL);
}

void
nexthop_shutdown(void)
{
	struct nh_entry	*e, *next;
	size_t		 i;

	if (nh.t_check != NULL)
		event_free(nh.t_check);
	for (i = 0; i < nh.size; i++)
		for (e = nh.tab[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(nh.tab);
	memset(&nh, 0, sizeof(nh));
}

void
nexthop_walk(void (*fn)(const struct nexthop_info *, void *), void *arg)
{
	struct nexthop_info	 ni;
	struct nh_entry		*e;
	size_t			 i;

	for (i = 0; i < nh.size; i++)
		for (e = nh.tab[i]; e != NULL; e = e->next) {
			memset(&ni, 0, sizeof(ni));
			ni.addr = e->addr;
			ni.kind = e->kind;
			ni.usable = e->usable;
			ni.ifindex = e->via_ifindex;
			ni.via = e->via;
			fn(&ni, arg);
		}
}

void
nexthop_stats(struct nexthop_stats *st)
{
	*st = nh.st;
	st->cached = nh.n;
}
