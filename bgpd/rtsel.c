/*
 * rtsel: administrative distance between tbgpd's static routes and BGP
 * (see rtsel.h).
 *
 * Owns the entries of the prefixes that have a static route, in an array
 * sorted by prefix (static routes are few; a BGP change looks its prefix
 * up with a binary search, or not at all while there is none): each
 * holds at most one candidate per source and which one is selected.  Every change of an entry hands the
 * selected route to the output again; the FIB engine interns routes, so
 * handing it what it already has costs a lookup and writes nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rtsel.h"

#define RTSEL_NOTIFY_ROUNDS	8	/* a notify handler that keeps
					 * changing things is a bug */

struct rtsel_entry {
	struct tb_prefix	 prefix;
	int			 has[RTSEL_NSRC];
	uint8_t			 dist[RTSEL_NSRC];	/* 0: the default */
	struct fib_route	 cand[RTSEL_NSRC];
	int			 sel;	/* enum rtsel_src, -1 */
};

struct rtsel {
	struct rtsel_ops	 ops;
	struct rtsel_entry	**v;	/* sorted by prefix */
	size_t			 n, cap;
	uint8_t			 dflt[RTSEL_NSRC];
	void			(*notify)(void *);
	void			*notify_arg;
	int			 changed;	/* notify owed */
	int			 notifying;
};

/* Where p is, or would go: *found says which. */
static size_t
rtsel_index(const struct rtsel *rs, const struct tb_prefix *p, int *found)
{
	size_t	 lo = 0, hi = rs->n, mid;
	int	 c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = prefix_cmp(&rs->v[mid]->prefix, p)) == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct rtsel *
rtsel_new(const struct rtsel_ops *ops)
{
	struct rtsel	*rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	rs->ops = *ops;
	rs->dflt[RTSEL_STATIC] = RTSEL_DIST_STATIC;
	rs->dflt[RTSEL_BGP] = RTSEL_DIST_EBGP;
	return rs;
}

void
rtsel_free(struct rtsel *rs)
{
	size_t	 i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		free(rs->v[i]);
	free(rs->v);
	free(rs);
}

static struct rtsel_entry *
rtsel_find(const struct rtsel *rs, const struct tb_prefix *p)
{
	struct tb_prefix	 k;
	size_t			 i;
	int			 found;

	if (rs->n == 0)
		return NULL;
	k = *p;
	prefix_mask(&k);
	i = rtsel_index(rs, &k, &found);
	return found ? rs->v[i] : NULL;
}

static uint8_t
rtsel_dist(const struct rtsel *rs, const struct rtsel_entry *e, int src)
{
	return e->dist[src] != 0 ? e->dist[src] : rs->dflt[src];
}

/* The lowest distance wins; on a tie the lower source (static). */
static int
rtsel_pick(const struct rtsel *rs, const struct rtsel_entry *e)
{
	int	 src, best = -1;

	for (src = 0; src < RTSEL_NSRC; src++)
		if (e->has[src] && (best == -1 ||
		    rtsel_dist(rs, e, src) < rtsel_dist(rs, e, best)))
			best = src;
	return best;
}

/* Decide e again and hand the winner to the output. */
static void
rtsel_decide(struct rtsel *rs, struct rtsel_entry *e)
{
	int	 sel = rtsel_pick(rs, e);

	if (sel != e->sel)
		rs->changed = 1;
	e->sel = sel;
	if (rs->ops.install(&e->prefix, sel == -1 ? NULL : &e->cand[sel],
	    rs->ops.arg) == -1)
		log_warn("rtsel: %s", prefix_str(&e->prefix));
}

static void
rtsel_notify(struct rtsel *rs)
{
	int	 round;

	if (rs->notifying || rs->notify == NULL || !rs->changed)
		return;
	rs->notifying = 1;
	for (round = 0; rs->changed && round < RTSEL_NOTIFY_ROUNDS; round++) {
		rs->changed = 0;
		rs->notify(rs->notify_arg);
	}
	if (rs->changed)
		log_warnx("rtsel: static route changes did not settle");
	rs->changed = 0;
	rs->notifying = 0;
}

static int
rtsel_none(const struct fib_route *r)
{
	return r == NULL || (r->type == FIB_RT_UNICAST && r->nnh == 0);
}

/* A new entry for p, with what the output has now as BGP's candidate:
 * while a prefix has no entry, only BGP's routes pass. */
static struct rtsel_entry *
rtsel_entry_new(struct rtsel *rs, const struct tb_prefix *p)
{
	struct rtsel_entry	*e, **nv;
	size_t			 i, cap;
	int			 found;

	if (rs->n == rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 16;
		if ((nv = reallocarray(rs->v, cap, sizeof(*nv))) == NULL)
			return NULL;
		rs->v = nv;
		rs->cap = cap;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->prefix = *p;
	prefix_mask(&e->prefix);
	e->sel = -1;
	if (rs->ops.current != NULL && rs->ops.current(&e->prefix,
	    &e->cand[RTSEL_BGP], rs->ops.arg) == 0 &&
	    e->cand[RTSEL_BGP].proto == FIB_PROTO_BGP) {
		e->has[RTSEL_BGP] = 1;
		e->sel = RTSEL_BGP;
	}
	i = rtsel_index(rs, &e->prefix, &found);
	memmove(&rs->v[i + 1], &rs->v[i], (rs->n - i) * sizeof(*rs->v));
	rs->v[i] = e;
	rs->n++;
	return e;
}

/* No static candidate left: BGP's goes back to the output as it is, and
 * the entry goes. */
static void
rtsel_entry_drop(struct rtsel *rs, struct rtsel_entry *e)
{
	size_t	 i;
	int	 found;

	if (rs->ops.install(&e->prefix, e->has[RTSEL_BGP] ?
	    &e->cand[RTSEL_BGP] : NULL, rs->ops.arg) == -1)
		log_warn("rtsel: %s", prefix_str(&e->prefix));
	i = rtsel_index(rs, &e->prefix, &found);
	memmove(&rs->v[i], &rs->v[i + 1], (rs->n - i - 1) * sizeof(*rs->v));
	rs->n--;
	rs->changed = 1;
	free(e);
}

static int
rtsel_valid(const struct tb_prefix *p, const struct fib_route *r)
{
	if ((p->addr.af != AF_INET || p->len > 32) &&
	    (p->addr.af != AF_INET6 || p->len > 128))
		return 0;
	return r == NULL || r->nnh <= FIB_MAXNH;
}

int
rtsel_set(struct rtsel *rs, enum rtsel_src src, const struct tb_prefix *p,
    const struct fib_route *r, uint8_t distance)
{
	struct rtsel_entry	*e;

	if (src >= RTSEL_NSRC || !rtsel_valid(p, r)) {
		errno = EINVAL;
		return -1;
	}
	if (rtsel_none(r))
		r = NULL;
	if ((e = rtsel_find(rs, p)) == NULL) {
		if (src != RTSEL_STATIC)	/* straight through */
			return rs->ops.install(p, r, rs->ops.arg);
		if (r == NULL)
			return 0;
		if ((e = rtsel_entry_new(rs, p)) == NULL)
			return -1;
	}
	e->has[src] = r != NULL;
	e->dist[src] = distance;
	if (r != NULL)
		e->cand[src] = *r;
	else
		memset(&e->cand[src], 0, sizeof(e->cand[src]));
	if (src == RTSEL_STATIC)
		rs->changed = 1;
	if (!e->has[RTSEL_STATIC])
		rtsel_entry_drop(rs, e);
	else
		rtsel_decide(rs, e);
	rtsel_notify(rs);
	return 0;
}

void
rtsel_set_distance(struct rtsel *rs, enum rtsel_src src, uint8_t distance)
{
	size_t	 i;

	if (src >= RTSEL_NSRC || distance == 0 || rs->dflt[src] == distance)
		return;
	rs->dflt[src] = distance;
	for (i = 0; i < rs->n; i++)
		rtsel_decide(rs, rs->v[i]);
	rtsel_notify(rs);
}

uint8_t
rtsel_distance(const struct rtsel *rs, enum rtsel_src src)
{
	return src < RTSEL_NSRC ? rs->dflt[src] : 0;
}

static void
rtsel_info(const struct rtsel *rs, const struct rtsel_entry *e,
    struct rtsel_info *info)
{
	int	 src;

	memset(info, 0, sizeof(*info));
	info->prefix = e->prefix;
	info->selected = e->sel;
	for (src = 0; src < RTSEL_NSRC; src++) {
		info->has[src] = e->has[src];
		info->distance[src] = rtsel_dist(rs, e, src);
		info->route[src] = e->has[src] ? &e->cand[src] : NULL;
	}
}

int
rtsel_get(const struct rtsel *rs, const struct tb_prefix *p,
    struct rtsel_info *info)
{
	const struct rtsel_entry	*e;

	if ((e = rtsel_find(rs, p)) == NULL)
		return -1;
	rtsel_info(rs, e, info);
	return 0;
}

void
rtsel_walk(const struct rtsel *rs,
    void (*fn)(const struct rtsel_info *, void *), void *arg)
{
	struct rtsel_info	 info;
	size_t			 i;

	for (i = 0; i < rs->n; i++) {
		rtsel_info(rs, rs->v[i], &info);
		fn(&info, arg);
	}
}

size_t
rtsel_count(const struct rtsel *rs)
{
	return rs->n;
}

void
rtsel_set_notify(struct rtsel *rs, void (*fn)(void *), void *arg)
{
	rs->notify = fn;
	rs->notify_arg = arg;
}
