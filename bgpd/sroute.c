/*
 * sroute: static routes and the liveness of their next hops (see
 * sroute.h).
 *
 * Owns the run-time next hops (a copy of their configuration, their
 * state, why and since when), grouped per prefix in address order, and
 * the candidate each prefix last handed on.  A next hop's state is
 * derived from two inputs, its interface (ops.resolve) and its tracking
 * (sroute_track), plus the failback-delay hold; every change of either
 * re-derives it, and a prefix whose next hops changed is decided again.
 * The decision is handed on only when it differs from the last one.
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "sroute.h"

#define SR_WINDOW_BFD_MS	5000	/* a BFD session comes Up within a few
					 * of its 1 s slow packets */

struct sroute_pfx;

struct sroute_nh {
	TAILQ_ENTRY(sroute_nh)	 entry;
	struct sroute_pfx	*pfx;
	struct static_config	 conf;		/* a copy: outlives a reload */
	enum sroute_state	 state;
	char			 why[192];
	uint64_t		 since;
	int			 res_ok;	/* the interface says usable */
	char			 res_why[128];
	uint32_t		 ifindex;
	enum sroute_trk		 trk;
	char			 trk_why[128];
	int			 trk_carried;	/* trk is the old tracking's,
						 * until the new one answers */
	uint64_t		 pend_until;	/* first verdict window */
	uint64_t		 held_until;	/* SR_HELD */
	int			 was_up;	/* a comeback is held */
	int			 selected;
	uint64_t		 ups, downs;
	void			*cookie;
	int			 seen;		/* sroute_configure's mark */
};

struct sroute_pfx {
	TAILQ_ENTRY(sroute_pfx)	 entry;
	struct tb_prefix	 prefix;
	TAILQ_HEAD(, sroute_nh)	 nhs;
	size_t			 nnh;
	struct fib_route	 last;		/* handed on */
	uint8_t			 last_dist;	/* 0: nothing handed on */
	size_t			 nsel;
	int			 dirty;
};

struct sroute {
	struct sroute_ops	 ops;
	TAILQ_HEAD(, sroute_pfx) pfxs;
	size_t			 nnh;
	int			 settled;
};

const char *
sroute_state_name(enum sroute_state st)
{
	switch (st) {
	case SR_UP:
		return "up";
	case SR_HELD:
		return "held";
	case SR_PENDING:
		return "pending";
	default:
		return "down";
	}
}

static const char *
sr_nh_str(const struct sroute_nh *nh)
{
	static char	 buf[2][128];
	static int	 i;
	const struct static_config *c = &nh->conf;

	i = !i;
	switch (c->kind) {
	case STATIC_GATEWAY:
		snprintf(buf[i], sizeof(buf[i]), "via %s%s%s",
		    addr_str(&c->gw), c->ifname[0] ? " " : "", c->ifname);
		break;
	case STATIC_IFACE:
		snprintf(buf[i], sizeof(buf[i]), "dev %s", c->ifname);
		break;
	case STATIC_BLACKHOLE:
		return "blackhole";
	default:
		return "reject";
	}
	return buf[i];
}

/* ---- life of the table ---- */

struct sroute *
sroute_new(const struct sroute_ops *ops)
{
	struct sroute	*sr;

	if ((sr = calloc(1, sizeof(*sr))) == NULL)
		return NULL;
	sr->ops = *ops;
	TAILQ_INIT(&sr->pfxs);
	return sr;
}

static void
sr_nh_free(struct sroute *sr, struct sroute_nh *nh)
{
	if (sr->ops.track_stop != NULL && nh->conf.track != STATIC_TRACK_NONE)
		sr->ops.track_stop(nh, sr->ops.arg);
	TAILQ_REMOVE(&nh->pfx->nhs, nh, entry);
	nh->pfx->nnh--;
	nh->pfx->dirty = 1;
	sr->nnh--;
	free(nh);
}

static void
sr_pfx_free(struct sroute *sr, struct sroute_pfx *px)
{
	struct sroute_nh	*nh;

	while ((nh = TAILQ_FIRST(&px->nhs)) != NULL)
		sr_nh_free(sr, nh);
	TAILQ_REMOVE(&sr->pfxs, px, entry);
	free(px);
}

/* The routes handed on stay where they are: the daemon is going, and
 * fib retain or the FIB engine's shutdown decides about them. */
void
sroute_free(struct sroute *sr)
{
	struct sroute_pfx	*px;

	if (sr == NULL)
		return;
	while ((px = TAILQ_FIRST(&sr->pfxs)) != NULL)
		sr_pfx_free(sr, px);
	free(sr);
}

static struct sroute_pfx *
sr_pfx_get(struct sroute *sr, const struct tb_prefix *p, int create)
{
	struct sroute_pfx	*px, *n;
	int			 c = 1;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		if ((c = prefix_cmp(&px->prefix, p)) >= 0)
			break;
	if (px != NULL && c == 0)
		return px;
	if (!create)
		return NULL;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		fatal("static routes");
	n->prefix = *p;
	TAILQ_INIT(&n->nhs);
	if (px != NULL)
		TAILQ_INSERT_BEFORE(px, n, entry);
	else
		TAILQ_INSERT_TAIL(&sr->pfxs, n, entry);
	return n;
}

/* The route sc names (prefix, next hop, distance), if running. */
static struct sroute_nh *
sr_nh_find(struct sroute *sr, const struct static_config *sc)
{
	struct sroute_pfx	*px;
	struct sroute_nh	*nh;

	if ((px = sr_pfx_get(sr, &sc->prefix, 0)) == NULL)
		return NULL;
	TAILQ_FOREACH(nh, &px->nhs, entry)
		if (conf_static_cmp(&nh->conf, sc) == 0)
			return nh;
	return NULL;
}

uint32_t
sroute_window_ms(const struct static_config *sc)
{
	switch (sc->track) {
	case STATIC_TRACK_ICMP:
		/* The first reply makes a new probe up; multiplier + 1
		 * intervals leave room for a lost one and for ARP. */
		return sc->icmp_interval * (sc->icmp_mult + 1u);
	case STATIC_TRACK_BFD:
		return SR_WINDOW_BFD_MS;
	default:
		return 0;
	}
}

/* ---- one next hop's state ---- */

/* The state the inputs give, hold left out; why says so. */
static enum sroute_state
sr_derive(const struct sroute_nh *nh, uint64_t now, char *why, size_t len)
{
	if (!nh->res_ok) {
		snprintf(why, len, "%s", nh->res_why);
		return SR_DOWN;
	}
	switch (nh->trk) {
	case SR_TRK_DOWN:
		snprintf(why, len, "%s", nh->trk_why);
		return SR_DOWN;
	case SR_TRK_PENDING:
		if (now < nh->pend_until) {
			snprintf(why, len, "waiting for the first answer of "
			    "its %s", nh->conf.track == STATIC_TRACK_BFD ?
			    "BFD session" : "ICMP probe");
			return SR_PENDING;
		}
		snprintf(why, len, "%s: no answer within %u ms",
		    nh->conf.track == STATIC_TRACK_BFD ? "BFD" : "ICMP",
		    sroute_window_ms(&nh->conf));
		return SR_DOWN;
	case SR_TRK_UP:
		snprintf(why, len, "%s", nh->trk_why);
		return SR_UP;
	default:
		snprintf(why, len, "%s", nh->res_why);
		return SR_UP;
	}
}

static void
sr_nh_log(const struct sroute_nh *nh)
{
	log_info("static route %s %s distance %u: %s: %s",
	    prefix_str(&nh->pfx->prefix), sr_nh_str(nh), nh->conf.distance,
	    sroute_state_name(nh->state), nh->why);
}

/* Derive nh's state again; a change marks its prefix for a decision. */
static void
sr_nh_update(struct sroute_nh *nh, uint64_t now)
{
	enum sroute_state	 st;
	char			 why[sizeof(nh->why)];

	st = sr_derive(nh, now, why, sizeof(why));
	if (st == SR_UP && nh->held_until > now)
		st = SR_HELD;
	else if (st == SR_UP && nh->state == SR_DOWN && nh->was_up &&
	    nh->conf.failback_delay > 0) {
		/* A comeback: held until it has stayed up. */
		nh->held_until = now + nh->conf.failback_delay * 1000ull;
		st = SR_HELD;
	}
	if (st == SR_HELD) {
		size_t n = strlen(why);

		snprintf(why + n, sizeof(why) - n, "; held for failback-delay "
		    "%u s", nh->conf.failback_delay);
	}
	if (st == SR_DOWN || st == SR_PENDING)
		nh->held_until = 0;
	if (st == nh->state && strcmp(why, nh->why) == 0)
		return;
	if (st != nh->state) {
		nh->since = now;
		if (st == SR_UP)
			nh->ups++;
		if (nh->state == SR_UP)
			nh->downs++;
		nh->pfx->dirty = 1;
	}
	nh->was_up |= st == SR_UP;
	nh->state = st;
	strlcpy(nh->why, why, sizeof(nh->why));
	sr_nh_log(nh);
}

static void
sr_nh_resolve(struct sroute *sr, struct sroute_nh *nh)
{
	nh->res_ok = sr->ops.resolve(&nh->conf, &nh->ifindex, nh->res_why,
	    sizeof(nh->res_why), sr->ops.arg);
	if (!nh->res_ok)
		nh->ifindex = 0;
}

static void
sr_track_begin(struct sroute *sr, struct sroute_nh *nh, uint64_t now)
{
	nh->pend_until = now + sroute_window_ms(&nh->conf);
	if (nh->conf.track == STATIC_TRACK_NONE) {
		nh->trk = SR_TRK_NONE;
		return;
	}
	if (!nh->trk_carried) {
		nh->trk = SR_TRK_PENDING;
		nh->trk_why[0] = '\0';
	}
	if (sr->ops.track_start != NULL)
		sr->ops.track_start(nh, &nh->conf, sr->ops.arg);
}

static struct sroute_nh *
sr_nh_new(struct sroute *sr, const struct static_config *sc, uint64_t now)
{
	struct sroute_nh	*nh;
	struct sroute_pfx	*px = sr_pfx_get(sr, &sc->prefix, 1);

	if ((nh = calloc(1, sizeof(*nh))) == NULL)
		fatal("static routes");
	nh->conf = *sc;
	nh->pfx = px;
	nh->state = SR_DOWN;
	nh->since = now;
	TAILQ_INSERT_TAIL(&px->nhs, nh, entry);
	px->nnh++;
	px->dirty = 1;
	sr->nnh++;
	sr_nh_resolve(sr, nh);
	sr_track_begin(sr, nh, now);
	return nh;
}

static int
sr_track_differs(const struct static_config *a, const struct static_config *b)
{
	if (a->track != b->track)
		return 1;
	if (a->track == STATIC_TRACK_ICMP)
		return a->icmp_interval != b->icmp_interval ||
		    a->icmp_mult != b->icmp_mult || a->icmp_up != b->icmp_up ||
		    addr_cmp(&a->icmp_target, &b->icmp_target) != 0;
	if (a->track == STATIC_TRACK_BFD)
		return a->bfd_interval != b->bfd_interval ||
		    a->bfd_min_rx != b->bfd_min_rx || a->bfd_mult != b->bfd_mult;
	return 0;
}

/* Reload of a route that stays: its tracking may change (the new one
 * starts with the old one's answer), its failback-delay may. */
static void
sr_nh_reconf(struct sroute *sr, struct sroute_nh *nh,
    const struct static_config *sc, uint64_t now)
{
	int	 track = sr_track_differs(&nh->conf, sc);

	if (track && sr->ops.track_stop != NULL &&
	    nh->conf.track != STATIC_TRACK_NONE)
		sr->ops.track_stop(nh, sr->ops.arg);
	if (sc->failback_delay < nh->conf.failback_delay &&
	    nh->held_until > now)
		nh->held_until = nh->since + sc->failback_delay * 1000ull;
	nh->conf = *sc;
	if (!track)
		return;
	/* Up or down, the old answer stands until the new tracking gives
	 * its own; with no tracking any more, only the interface counts. */
	nh->trk_carried = nh->trk == SR_TRK_UP || nh->trk == SR_TRK_DOWN;
	sr_track_begin(sr, nh, now);
}

/* ---- a prefix's decision ---- */

static int
sr_is_drop(const struct sroute_nh *nh)
{
	return nh->conf.kind == STATIC_BLACKHOLE ||
	    nh->conf.kind == STATIC_REJECT;
}

/* The lowest distance among next hops in state want (SR_UP or SR_HELD);
 * 0 when none. */
static uint8_t
sr_best_distance(const struct sroute_pfx *px, enum sroute_state want)
{
	const struct sroute_nh	*nh;
	uint8_t			 best = 0;

	TAILQ_FOREACH(nh, &px->nhs, entry)
		if (nh->state == want && (best == 0 ||
		    nh->conf.distance < best))
			best = nh->conf.distance;
	return best;
}

/* The route made of the next hops at distance d in state want: the
 * forwarding ones (a multipath route when several), or else the first
 * blackhole or reject. */
static void
sr_build(struct sroute_pfx *px, uint8_t d, enum sroute_state want,
    struct fib_route *r)
{
	struct sroute_nh	*nh, *drop = NULL;

	memset(r, 0, sizeof(*r));
	r->proto = FIB_PROTO_STATIC;
	r->type = FIB_RT_UNICAST;
	TAILQ_FOREACH(nh, &px->nhs, entry) {
		if (nh->state != want || nh->conf.distance != d)
			continue;
		if (sr_is_drop(nh)) {
			if (drop == NULL || nh->conf.kind < drop->conf.kind)
				drop = nh;
			continue;
		}
		if (r->nnh == FIB_MAXNH)
			continue;
		r->nh[r->nnh].ifindex = nh->ifindex;
		if (nh->conf.kind == STATIC_GATEWAY)
			r->nh[r->nnh].gw = nh->conf.gw;
		r->nnh++;
		nh->selected = 1;
	}
	if (r->nnh == 0 && drop != NULL) {
		r->type = drop->conf.kind == STATIC_BLACKHOLE ?
		    FIB_RT_BLACKHOLE : FIB_RT_UNREACHABLE;
		drop->selected = 1;
	}
}

/* While first verdicts are due: is a pending next hop better than what
 * would be chosen?  Then the prefix stays as the kernel has it. */
static int
sr_wait_pending(const struct sroute *sr, const struct sroute_pfx *px,
    uint8_t chosen)
{
	const struct sroute_nh	*nh;

	if (sr->settled)
		return 0;
	TAILQ_FOREACH(nh, &px->nhs, entry)
		if (nh->state == SR_PENDING && (chosen == 0 ||
		    nh->conf.distance < chosen))
			return 1;
	return 0;
}

static void
sr_log_choice(const struct sroute_pfx *px, uint8_t d)
{
	const struct sroute_nh	*nh;
	char			 via[256] = "";
	size_t			 n = 0;

	if (d == 0) {
		log_info("static route %s: no usable next hop",
		    prefix_str(&px->prefix));
		return;
	}
	TAILQ_FOREACH(nh, &px->nhs, entry)
		if (nh->selected && n < sizeof(via))
			n += (size_t)snprintf(via + n, sizeof(via) - n, "%s%s",
			    n ? ", " : "", sr_nh_str(nh));
	log_info("static route %s: %s, distance %u", prefix_str(&px->prefix),
	    via, d);
}

static void
sr_pfx_decide(struct sroute *sr, struct sroute_pfx *px)
{
	struct sroute_nh	*nh;
	struct fib_route	 r;
	enum sroute_state	 want = SR_UP;
	uint8_t			 d;

	px->dirty = 0;
	TAILQ_FOREACH(nh, &px->nhs, entry)
		nh->selected = 0;
	if ((d = sr_best_distance(px, SR_UP)) == 0 &&
	    (d = sr_best_distance(px, SR_HELD)) != 0)
		want = SR_HELD;
	if (sr_wait_pending(sr, px, d))
		return;
	if (d != 0)
		sr_build(px, d, want, &r);
	else
		memset(&r, 0, sizeof(r));
	px->nsel = 0;
	TAILQ_FOREACH(nh, &px->nhs, entry)
		px->nsel += nh->selected;
	if (d == px->last_dist && (d == 0 || memcmp(&r, &px->last,
	    sizeof(r)) == 0))
		return;
	memcpy(&px->last, &r, sizeof(r));	/* padding too, for memcmp */
	px->last_dist = d;
	sr_log_choice(px, d);
	sr->ops.install(&px->prefix, d != 0 ? &r : NULL, d, sr->ops.arg);
}

/* Decide every prefix whose next hops changed; drop empty ones. */
static void
sr_decide_all(struct sroute *sr)
{
	struct sroute_pfx	*px, *next;

	TAILQ_FOREACH_SAFE(px, &sr->pfxs, entry, next) {
		if (px->nnh == 0) {
			if (px->last_dist != 0)
				sr->ops.install(&px->prefix, NULL, 0,
				    sr->ops.arg);
			sr_pfx_free(sr, px);
			continue;
		}
		if (px->dirty)
			sr_pfx_decide(sr, px);
	}
}

/* Every first verdict in: prefixes held for them are decided now. */
static void
sr_check_settled(struct sroute *sr, uint64_t now)
{
	struct sroute_pfx	*px;
	struct sroute_nh	*nh;

	if (sr->settled)
		return;
	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry)
			if (nh->state == SR_PENDING)
				return;
	sr->settled = 1;
	TAILQ_FOREACH(px, &sr->pfxs, entry)
		px->dirty = 1;
	sr_decide_all(sr);
	if (sr->ops.settled != NULL)
		sr->ops.settled(sr->ops.arg);
	(void)now;
}

static void
sr_update_all(struct sroute *sr, uint64_t now)
{
	struct sroute_pfx	*px;
	struct sroute_nh	*nh;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry)
			sr_nh_update(nh, now);
	sr_decide_all(sr);
	sr_check_settled(sr, now);
}

/* ---- inputs ---- */

void
sroute_configure(struct sroute *sr, const struct static_head *head,
    uint64_t now)
{
	const struct static_config	*sc;
	struct sroute_pfx		*px, *pnext;
	struct sroute_nh		*nh, *next;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry)
			nh->seen = 0;
	TAILQ_FOREACH(sc, head, entry) {
		if ((nh = sr_nh_find(sr, sc)) == NULL)
			nh = sr_nh_new(sr, sc, now);
		else
			sr_nh_reconf(sr, nh, sc, now);
		nh->seen = 1;
	}
	TAILQ_FOREACH_SAFE(px, &sr->pfxs, entry, pnext)
		TAILQ_FOREACH_SAFE(nh, &px->nhs, entry, next)
			if (!nh->seen) {
				log_info("static route %s %s distance %u: "
				    "removed", prefix_str(&px->prefix),
				    sr_nh_str(nh), nh->conf.distance);
				sr_nh_free(sr, nh);
			}
	sr_update_all(sr, now);
}

void
sroute_recheck(struct sroute *sr, uint64_t now)
{
	struct sroute_pfx	*px;
	struct sroute_nh	*nh;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry)
			sr_nh_resolve(sr, nh);
	sr_update_all(sr, now);
}

void
sroute_track(struct sroute *sr, struct sroute_nh *nh, enum sroute_trk st,
    const char *why, uint64_t now)
{
	if (nh->conf.track == STATIC_TRACK_NONE)
		return;
	nh->trk_carried = 0;
	nh->trk = st;
	strlcpy(nh->trk_why, why != NULL ? why : "", sizeof(nh->trk_why));
	sr_nh_update(nh, now);
	sr_decide_all(sr);
	sr_check_settled(sr, now);
}

uint64_t
sroute_next_expiry(const struct sroute *sr)
{
	const struct sroute_pfx	*px;
	const struct sroute_nh	*nh;
	uint64_t		 t, next = 0;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry) {
			t = 0;
			if (nh->state == SR_HELD)
				t = nh->held_until;
			else if (nh->trk == SR_TRK_PENDING || nh->trk_carried)
				t = nh->pend_until;
			if (t != 0 && (next == 0 || t < next))
				next = t;
		}
	return next;
}

void
sroute_expire(struct sroute *sr, uint64_t now)
{
	struct sroute_pfx	*px;
	struct sroute_nh	*nh;

	TAILQ_FOREACH(px, &sr->pfxs, entry)
		TAILQ_FOREACH(nh, &px->nhs, entry) {
			if (nh->trk_carried && now >= nh->pend_until) {
				/* The new tracking never spoke. */
				nh->trk_carried = 0;
				nh->trk = SR_TRK_PENDING;
			}
			if (nh->state == SR_HELD && now >= nh->held_until)
				nh->held_until = 0;
		}
	sr_update_all(sr, now);
}

void
sroute_nh_set_cookie(struct sroute_nh *nh, void *cookie)
{
	nh->cookie = cookie;
}

void *
sroute_nh_cookie(const struct sroute_nh *nh)
{
	return nh->cookie;
}

int
sroute_settled(const struct sroute *sr)
{
	return sr->settled;
}

size_t
sroute_count(const struct sroute *sr)
{
	return sr->nnh;
}

void
sroute_walk(const struct sroute *sr,
    void (*pfn)(const struct sroute_pfx_info *, void *),
    void (*nfn)(const struct sroute_pfx_info *, const struct sroute_nh_info *,
    void *), void *arg)
{
	const struct sroute_pfx	*px;
	const struct sroute_nh	*nh;
	struct sroute_pfx_info	 pi;
	struct sroute_nh_info	 ni;

	TAILQ_FOREACH(px, &sr->pfxs, entry) {
		memset(&pi, 0, sizeof(pi));
		pi.prefix = px->prefix;
		pi.distance = px->last_dist;
		pi.nselected = px->nsel;
		pi.nnh = px->nnh;
		if (pfn != NULL)
			pfn(&pi, arg);
		TAILQ_FOREACH(nh, &px->nhs, entry) {
			if (nfn == NULL)
				break;
			memset(&ni, 0, sizeof(ni));
			ni.conf = &nh->conf;
			ni.state = nh->state;
			ni.trk = nh->trk;
			ni.why = nh->why;
			ni.trk_why = nh->trk_why;
			ni.since = nh->since;
			ni.held_until = nh->held_until;
			ni.ifindex = nh->ifindex;
			ni.selected = nh->selected && px->last_dist != 0;
			ni.ups = nh->ups;
			ni.downs = nh->downs;
			ni.cookie = nh->cookie;
			nfn(&pi, &ni, arg);
		}
	}
}
