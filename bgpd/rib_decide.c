/*
 * rib_decide: the decision process (see rib.h): the ordering of an
 * entry's paths (RFC 4271 9.1.2.2 and the usual tie-breaks after it,
 * FRR's order), the step each path lost on and its explanation, the
 * multipath set, and the PATH_BEST / PATH_MULTIPATH marks.
 *
 * The MED step is not transitive (RFC 4271 9.1.2.2 c compares MED only
 * between routes from the same neighbor AS), so an order built by
 * insertion would depend on the order paths arrived in.  An entry with
 * three or more paths is therefore re-sorted from a canonical order
 * (router id, peer address) on every change, which makes the result a
 * function of the paths alone.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rib.h"
#include "rib_int.h"

static int
rib_ucmp(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* Ask the resolver about a path's (new) attributes. */
void
rib_path_resolve(const struct rib *rib, struct rib_path *p)
{
	int	 r;

	p->flags &= ~(PATH_NH_UNREACH | PATH_HELD);
	if (p->attr == NULL || rib->resolve == NULL)
		return;
	r = rib->resolve(p->src, p->attr, rib->resolve_arg);
	if (r == RIB_NH_UNUSABLE)
		p->flags |= PATH_NH_UNREACH;
	else if (r == RIB_NH_HELD)
		p->flags |= PATH_HELD;
}

int
rib_eligible(const struct rib_path *p)
{
	return p->attr != NULL && (p->flags & PATH_NH_UNREACH) == 0;
}

static uint32_t
rib_lpref(const struct attr *a)
{
	/* RFC 4271 9.1.1: a missing LOCAL_PREF is the configured default. */
	return (a->flags & ATTRF_LOCAL_PREF) ? a->local_pref :
	    LOCAL_PREF_DEFAULT;
}

static uint32_t
rib_med(const struct rib *rib, const struct attr *a)
{
	/* RFC 4271 9.1.2.2 c: a missing MED is the lowest value, unless
	 * configured to be the worst (RFC 4451 discusses both). */
	if (a->flags & ATTRF_MED)
		return a->med;
	return rib->opts.med_missing_as_worst ? UINT32_MAX : 0;
}

/* The neighbor AS of RFC 4271 9.1.2.2 c; an empty path is from our own
 * AS, which no eBGP-learned path starts with, so 0 stands for it. */
static uint32_t
rib_neighbor_as(const struct rib_path *p)
{
	return aspath_neighbor(p->attr->aspath);
}

static int
rib_cmp_eligible(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	int	 c;

	(void)rib;
	if ((c = rib_ucmp(!rib_eligible(a), !rib_eligible(b))) != 0)
		return c;
	/* Between eligible paths, one kept stale after its tunnel failed
	 * loses (traffic moves to the other tunnel at once), and so does
	 * one held back by failback-delay. */
	if ((c = rib_ucmp((a->flags & PATH_STALE_LOW) != 0,
	    (b->flags & PATH_STALE_LOW) != 0)) != 0)
		return c;
	return rib_ucmp((a->flags & PATH_HELD) != 0,
	    (b->flags & PATH_HELD) != 0);
}

static int
rib_cmp_weight(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(b->attr->weight, a->attr->weight);
}

static int
rib_cmp_lpref(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(rib_lpref(b->attr), rib_lpref(a->attr));
}

static int
rib_cmp_local(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(!a->src->local, !b->src->local);
}

static int
rib_cmp_aspath(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	if (rib->opts.as_path_ignore)
		return 0;
	return rib_ucmp(a->attr->aspath->plen, b->attr->aspath->plen);
}

static int
rib_cmp_origin(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(a->attr->origin, b->attr->origin);
}

static int
rib_cmp_med(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	if (!rib->opts.always_compare_med &&
	    rib_neighbor_as(a) != rib_neighbor_as(b))
		return 0;
	return rib_ucmp(rib_med(rib, a->attr), rib_med(rib, b->attr));
}

static int
rib_cmp_ebgp(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(!a->src->ebgp, !b->src->ebgp);
}

static int
rib_cmp_none(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	(void)a;
	(void)b;
	return 0;
}

/* RFC 5004: between eBGP paths prefer the one held longest, so that a
 * flapping path does not keep moving the selection. */
static int
rib_cmp_oldest(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	if (rib->opts.compare_router_id || !a->src->ebgp || !b->src->ebgp)
		return 0;
	return rib_ucmp(a->since, b->since);
}

static int
rib_cmp_routerid(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return rib_ucmp(a->src->bgp_id, b->src->bgp_id);
}

static int
rib_cmp_peeraddr(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b)
{
	(void)rib;
	return addr_cmp(&a->src->addr, &b->src->addr);
}

/* One row per enum rib_step, in that order. */
static const struct rib_step_desc {
	const char	*name;
	int		(*cmp)(const struct rib *, const struct rib_path *,
			    const struct rib_path *);
} rib_steps[STEP_MAX] = {
	[STEP_NONE] =		{ "none", rib_cmp_none },
	[STEP_ELIGIBLE] =	{ "eligible", rib_cmp_eligible },
	[STEP_WEIGHT] =		{ "weight", rib_cmp_weight },
	[STEP_LOCAL_PREF] =	{ "local-pref", rib_cmp_lpref },
	[STEP_LOCAL_ORIGIN] =	{ "local-origin", rib_cmp_local },
	[STEP_AS_PATH] =	{ "as-path", rib_cmp_aspath },
	[STEP_ORIGIN] =		{ "origin", rib_cmp_origin },
	[STEP_MED] =		{ "med", rib_cmp_med },
	[STEP_EBGP] =		{ "ebgp", rib_cmp_ebgp },
	[STEP_MULTIPATH] =	{ "multipath", rib_cmp_none },
	[STEP_OLDEST] =		{ "oldest", rib_cmp_oldest },
	[STEP_ROUTER_ID] =	{ "router-id", rib_cmp_routerid },
	[STEP_PEER_ADDR] =	{ "peer-address", rib_cmp_peeraddr },
};

int
rib_path_cmp(const struct rib *rib, const struct rib_path *a,
    const struct rib_path *b, enum rib_step *step)
{
	int	 s, r;

	for (s = STEP_ELIGIBLE; s < STEP_MAX; s++) {
		r = rib_steps[s].cmp(rib, a, b);
		if (r != 0) {
			*step = s;
			return r;
		}
		/* Neither can be selected: only keep their order stable,
		 * without looking at attributes they may not have. */
		if (s == STEP_ELIGIBLE && !rib_eligible(a))
			s = STEP_ROUTER_ID - 1;
	}
	*step = STEP_NONE;
	return 0;
}

const char *
rib_step_name(enum rib_step s)
{
	if ((unsigned)s >= STEP_MAX)
		return "unknown";
	return rib_steps[s].name;
}

/* Why loser lost on an attribute step (both have attributes).  A
 * missing MED only loses when it counts as the worst, and a winner
 * without one counted as 0. */
static void
rib_explain_attr(enum rib_step s, const struct attr *l,
    const struct attr *w, char *out, size_t len)
{
	uint32_t	 wmed = (w->flags & ATTRF_MED) ? w->med : 0;

	switch (s) {
	case STEP_WEIGHT:
		snprintf(out, len, "weight %u < %u", l->weight, w->weight);
		break;
	case STEP_LOCAL_PREF:
		snprintf(out, len, "LOCAL_PREF %u < %u", rib_lpref(l),
		    rib_lpref(w));
		break;
	case STEP_AS_PATH:
		snprintf(out, len, "AS_PATH length %u > %u", l->aspath->plen,
		    w->aspath->plen);
		break;
	case STEP_ORIGIN:
		snprintf(out, len, "origin %s > %s",
		    attr_origin_name(l->origin), attr_origin_name(w->origin));
		break;
	case STEP_MED:
		if (l->flags & ATTRF_MED)
			snprintf(out, len, "MED %u > %u", l->med, wmed);
		else
			snprintf(out, len, "MED missing (worst) > %u", wmed);
		break;
	default:
		snprintf(out, len, "%s", rib_step_name(s));
		break;
	}
}

void
rib_step_explain(enum rib_step s, const struct rib_path *loser,
    const struct rib_path *winner, char *out, size_t len)
{
	if (len == 0)
		return;
	switch (s) {
	case STEP_NONE:
		snprintf(out, len, "equal");
		break;
	case STEP_ELIGIBLE:
		snprintf(out, len, "%s", loser->attr == NULL ?
		    "denied by policy" : (loser->flags & PATH_NH_UNREACH) ?
		    "next hop unreachable" : "held back by failback-delay");
		break;
	case STEP_LOCAL_ORIGIN:
		snprintf(out, len, "not locally originated");
		break;
	case STEP_EBGP:
		snprintf(out, len, "iBGP < eBGP");
		break;
	case STEP_OLDEST:
		snprintf(out, len, "newer path (learned %u s after)",
		    loser->since - winner->since);
		break;
	case STEP_ROUTER_ID:
		snprintf(out, len, "router-id %s > %s",
		    bgpid_str(loser->src->bgp_id),
		    bgpid_str(winner->src->bgp_id));
		break;
	case STEP_PEER_ADDR:
		snprintf(out, len, "peer address %s > %s",
		    addr_str(&loser->src->addr), addr_str(&winner->src->addr));
		break;
	default:
		if (loser->attr == NULL || winner->attr == NULL)
			snprintf(out, len, "%s", rib_step_name(s));
		else
			rib_explain_attr(s, loser->attr, winner->attr, out,
			    len);
		break;
	}
}

/* Canonical order of sources, the starting point of a full re-sort. */
static int
rib_src_order(const struct rib_path *a, const struct rib_path *b)
{
	int	 r;

	if ((r = rib_ucmp(a->src->bgp_id, b->src->bgp_id)) != 0)
		return r;
	if ((r = addr_cmp(&a->src->addr, &b->src->addr)) != 0)
		return r;
	return (a->src > b->src) - (a->src < b->src);
}

/* Insert p before the first path it beats, after those it equals. */
static void
rib_insert_sorted(const struct rib *rib, struct rib_entry *re,
    struct rib_path *p)
{
	struct rib_path	**pp;
	enum rib_step	  st;

	for (pp = &re->paths; *pp != NULL; pp = &(*pp)->next)
		if (rib_path_cmp(rib, p, *pp, &st) < 0)
			break;
	p->next = *pp;
	*pp = p;
}

/* Sort every path again: from the canonical order when there are few
 * enough (the result then depends on the paths alone), else from the
 * current one. */
void
rib_resort(const struct rib *rib, struct rib_entry *re)
{
	struct rib_path	*v[RIB_CANON_MAX], *p, *next;
	size_t		 n = 0, i, j;

	for (p = re->paths; p != NULL && n < RIB_CANON_MAX; p = p->next)
		v[n++] = p;
	if (p != NULL) {
		p = re->paths;
		for (re->paths = NULL; p != NULL; p = next) {
			next = p->next;
			rib_insert_sorted(rib, re, p);
		}
		return;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && rib_src_order(v[j - 1], v[j]) > 0; j--) {
			p = v[j];
			v[j] = v[j - 1];
			v[j - 1] = p;
		}
	re->paths = NULL;
	for (i = 0; i < n; i++)
		rib_insert_sorted(rib, re, v[i]);
}

void
rib_unlink(struct rib_entry *re, struct rib_path *p)
{
	struct rib_path	**pp;

	for (pp = &re->paths; *pp != p; pp = &(*pp)->next)
		if (*pp == NULL)
			fatalx("rib: path not in its entry");
	*pp = p->next;
	p->next = NULL;
}

/* Put p (not linked) back in order.  Two paths compare once, which is
 * deterministic; with more, a non-transitive MED step could make the
 * order depend on history, so the whole list is re-sorted. */
void
rib_place(const struct rib *rib, struct rib_entry *re, struct rib_path *p)
{
	rib_insert_sorted(rib, re, p);
	if (!rib->opts.always_compare_med && re->paths->next != NULL &&
	    re->paths->next->next != NULL)
		rib_resort(rib, re);
}

/* May p share the best path's traffic (RFC 4271 9.1.4 leaves equal-cost
 * choices to the implementation; this is FRR's rule)? */
static int
rib_multipath_ok(const struct rib *rib, const struct rib_path *best,
    const struct rib_path *p)
{
	enum rib_step	 st;

	if (!rib_eligible(p))
		return 0;
	rib_path_cmp(rib, best, p, &st);
	if (st != STEP_NONE && st < STEP_MULTIPATH)
		return 0;
	if (rib->opts.multipath_relax)
		return best->attr->aspath->plen == p->attr->aspath->plen;
	return rib_neighbor_as(best) == rib_neighbor_as(p);
}

/* Mark the best path and the multipath set and note why each path ranks
 * below the one before it.  Returns 1 when a mark changed. */
int
rib_select(const struct rib *rib, struct rib_entry *re)
{
	struct rib_path	*p, *prev = NULL, *best = NULL;
	enum rib_step	 st;
	unsigned	 nmp = 0, maxp;
	uint16_t	 old;
	int		 changed = 0;

	maxp = rib->opts.maximum_paths[re->aid];
	if (re->paths != NULL && rib_eligible(re->paths))
		best = re->paths;
	for (p = re->paths; p != NULL; prev = p, p = p->next) {
		old = p->flags;
		p->flags &= ~(PATH_BEST | PATH_MULTIPATH);
		st = STEP_NONE;
		if (prev != NULL)
			rib_path_cmp(rib, prev, p, &st);
		p->lost = st;
		if (p == best) {
			p->flags |= PATH_BEST | PATH_MULTIPATH;
			nmp = 1;
		} else if (best != NULL && nmp < maxp &&
		    rib_multipath_ok(rib, best, p)) {
			p->flags |= PATH_MULTIPATH;
			nmp++;
		}
		if ((old ^ p->flags) & (PATH_BEST | PATH_MULTIPATH))
			changed = 1;
	}
	return changed;
}
