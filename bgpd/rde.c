/*
 * rde: the route decision engine glue (see rde.h): UPDATE in, policy,
 * RIB, export out, in one event-loop turn per message.
 */
#include "config.h"

#include <sys/queue.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adjout.h"
#include "attr.h"
#include "conf.h"
#include "gr.h"
#include "hook.h"
#include "kernel.h"
#include "kif.h"
#include "log.h"
#include "nexthop.h"
#include "origin.h"
#include "policy.h"
#include "rde.h"
#include "rde_gr.h"
#include "rib.h"
#include "rtsel.h"
#include "update.h"

/* Output we build ahead of the socket: enough to keep it busy, little
 * enough that a slow peer holds pending marks, not messages. */
#define RDE_OUT_BUDGET		(256 * 1024)
#define RDE_NETWORK_SCAN	10	/* seconds between kernel scans */
#define RDE_NETWORK_FULL	60	/* ... that read the table without an
					 * event saying it changed */

struct rde_peer {
	TAILQ_ENTRY(rde_peer)	 entry;
	const struct rde_peer_ops *ops;
	void			*owner;		/* the session's, for ops */
	const struct peer_config *conf;
	const struct bgpd_config *bconf;
	struct rde_session	 s;		/* while up */
	struct rib_src		 src;
	struct adjout		*out[AID_MAX];
	struct rde_stats	 stats;
	int			 up;
	int			 eor_due[AID_MAX];	/* after the first dump */
	int			 warned_max[AID_MAX];	/* threshold logged */
	int			 held_back[AID_MAX];	/* maximum-prefix-out */
	int			 logged_8212;		/* RFC 8212 said once */
	int			 was_up;		/* Established before */
	int			 held;			/* failback-delay runs */
	int			 in_missing;		/* soft-reconfiguration
							 * inbound turned on by a
							 * reload: the paths have
							 * no copy as received */
	struct event		*t_mrai;		/* advertisement-interval */
	struct event		*t_more;		/* flush again next turn */
	struct event		*t_held;		/* failback-delay over */
	struct gr_stale		*gr;			/* stale paths */
	int			 dump_held;		/* our restart defers
							 * its first table */
};

static struct {
	struct bgpd_config	*conf;
	TAILQ_HEAD(, rde_peer)	 peers;
	struct rib		*rib;
	struct rib_src		 local;
	uint32_t		 router_id;
	struct event_base	*base;
	struct kif		*kif;		/* NULL: not followed */
	struct event		*t_nscan;	/* network import check */
	struct event		*t_nsoon;	/* ... after route events */
	struct event		*t_statics;	/* ... after static routes */
	uint32_t		 nscan_last;	/* when the table was last read */
	uint64_t		 kroute_events;	/* other protocols' route events */
	uint64_t		 nscan_events;	/* ... seen by the last read */
	int			 closing;	/* SIGTERM: export nothing */
} rde;

static void	rde_flush(struct rde_peer *);
static void	rde_dump(struct rde_peer *, enum aid);
static void	rde_export_entry(struct rib_entry *, void *);

static uint32_t
rde_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

static void
rde_opts(const struct bgpd_config *c, struct rib_opts *o)
{
	int	 aid;

	memset(o, 0, sizeof(*o));
	o->as_path_ignore = c->as_path_ignore;
	o->multipath_relax = c->multipath_relax;
	o->always_compare_med = c->always_compare_med;
	o->med_missing_as_worst = c->med_missing_as_worst;
	o->compare_router_id = c->compare_router_id;
	for (aid = 0; aid < AID_MAX; aid++)
		o->maximum_paths[aid] = c->maximum_paths[aid] ?
		    c->maximum_paths[aid] : 1;
}

struct rib *
rde_rib(void)
{
	return rde.rib;
}

const struct bgpd_config *
rde_config(void)
{
	return rde.conf;
}

struct rib_src *
rde_local_src(void)
{
	return &rde.local;
}

struct rib_src *
rde_peer_src(struct rde_peer *rp)
{
	return rp->was_up ? &rp->src : NULL;
}

struct adjout *
rde_peer_adjout(const struct rde_peer *rp, enum aid aid)
{
	return aid < AID_MAX ? rp->out[aid] : NULL;
}

struct gr_stale *
rde_peer_gr(const struct rde_peer *rp)
{
	return rp->gr;
}

const struct rde_stats *
rde_peer_stats(const struct rde_peer *rp)
{
	return rp->was_up ? &rp->stats : NULL;
}

/* Logging as the session does: "neighbor ADDR (descr): ...". */
static void
rde_log(const struct rde_peer *rp, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
rde_log(const struct rde_peer *rp, int level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer(rp->conf, level, fmt, ap);
	va_end(ap);
}

static void
rde_log_debug(const struct rde_peer *rp, unsigned int cat, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
static void
rde_log_debug(const struct rde_peer *rp, unsigned int cat, const char *fmt,
    ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer_debug(rp->conf, cat, fmt, ap);
	va_end(ap);
}

/* --- policy helpers --- */

static const struct peer_af_config *
rde_afc(const struct rde_peer *rp, enum aid aid)
{
	return &rp->conf->af[aid];
}

static int
rde_ebgp(const struct rde_peer *rp)
{
	return rp->s.peer_as != rp->bconf->as;
}

/* RFC 8212: an eBGP neighbor with no policy in that direction. */
static int
rde_no_policy(const struct rde_peer *rp, enum aid aid, int out)
{
	const struct peer_af_config	*afc = rde_afc(rp, aid);

	if (!rp->bconf->ebgp_requires_policy || rp->conf->remote_as ==
	    rp->bconf->as)
		return 0;
	if (out)
		return afc->rmap_out[0] == '\0' && afc->plist_out[0] == '\0';
	return afc->rmap_in[0] == '\0' && afc->plist_in[0] == '\0';
}

const char *
rde_policy_missing(const struct rde_peer *rp, int out)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		if (!(rp->conf->af_active & AID_BIT(aid)) ||
		    !rde_no_policy(rp, aid, out))
			continue;
		return out ? "no outbound policy: nothing is sent (RFC 8212, "
		    "no bgp ebgp-requires-policy turns this off)" :
		    "no inbound policy: nothing is accepted (RFC 8212, "
		    "no bgp ebgp-requires-policy turns this off)";
	}
	return NULL;
}

static void
rde_policy_ctx(const struct rde_peer *rp, const struct tb_prefix *pfx,
    int out, struct policy_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->out = out;
	ctx->prefix = pfx;
	ctx->peer_addr = rp->conf->remote;
	ctx->peer_as = rp->s.peer_as;
	ctx->local_as = rp->bconf->as;
	ctx->local_addr = rp->s.local_addr;
}

/* Prefix list then route-map of one direction; *a is replaced by the
 * result (NULL: denied).  Takes over the caller's reference. */
static struct attr *
rde_filter(const struct rde_peer *rp, const struct tb_prefix *pfx, int out,
    struct attr *a, const char *plist, const char *rmap)
{
	struct policy_db	*db = rp->bconf->policy;
	struct policy_ctx	 ctx;
	struct attr		 w;

	if (plist[0] != '\0' && policy_plist_apply(policy_plist_find(db,
	    pfx->addr.af, plist), pfx) != POLICY_PERMIT) {
		attr_unref(a);
		return NULL;
	}
	if (rmap[0] == '\0')
		return a;
	attr_copy(&w, a);
	attr_unref(a);
	rde_policy_ctx(rp, pfx, out, &ctx);
	if (policy_rmap_apply(db, policy_rmap_find(db, rmap), &ctx, &w) !=
	    POLICY_PERMIT) {
		attr_clear(&w);
		return NULL;
	}
	return attr_intern(&w);
}

/* --- inbound --- */

/* RFC 4271 9.1.2: a path with our own AS is a loop, unless allowas-in
 * permits it (as many times as configured, or as the origin AS). */
static int
rde_loop(const struct rde_peer *rp, enum aid aid, const struct attr *a)
{
	const struct peer_af_config	*afc = rde_afc(rp, aid);
	uint32_t			 as = rp->bconf->as;
	int				 n = aspath_count(a->aspath, as);

	if (n == 0)
		return 0;
	if (afc->allowas_in_origin)
		return aspath_origin_as(a->aspath) != as ||
		    aspath_neighbor(a->aspath) == as;
	return n > afc->allowas_in;
}

/* What is the same for every prefix of one NLRI field: decided once. */
struct rde_field {
	enum aid	 aid;
	struct attr	*base;		/* interned as received; NULL: withdraw */
	int		 deny;		/* loop or RFC 8212: every prefix denied */
	int		 fast;		/* no inbound filter to run */
	uint32_t	 now;
};

/* One announced prefix: filters, weight, into the RIB. */
static void
rde_accept(struct rde_peer *rp, const struct rde_field *f,
    const struct tb_prefix *pfx)
{
	const struct peer_af_config	*afc = rde_afc(rp, f->aid);
	struct attr			*a = NULL, *in = NULL;
	struct attr			 w;

	rp->stats.prefixes_in++;
	if (rp->src.soft_in)
		in = attr_ref(f->base);
	if (f->deny)
		goto denied;
	if (f->fast)
		a = attr_ref(f->base);
	else {
		attr_copy(&w, f->base);
		w.weight = afc->weight;
		a = rde_filter(rp, pfx, 0, attr_intern(&w), afc->plist_in,
		    afc->rmap_in);
		if (a == NULL)
			goto denied;
	}
	hook_route_in(rp->owner, f->aid, pfx, f->base, a);
	rib_update(rde.rib, &rp->src, pfx, a, in, f->now);
	return;
 denied:
	hook_route_in(rp->owner, f->aid, pfx, f->base, NULL);
	rp->stats.denied_in++;
	/* Kept as received for soft reconfiguration, else forgotten. */
	if (in != NULL)
		rib_update(rde.rib, &rp->src, pfx, NULL, in, f->now);
	else
		rib_withdraw(rde.rib, &rp->src, pfx);
}

#define RDE_NLRI_BATCH	16	/* prefixes parsed ahead of the RIB */

/* debug bgp updates: each prefix as it comes, as FRR logs "rcvd". */
static void
rde_debug_prefix(const struct rde_peer *rp, const struct rde_field *f,
    const struct tb_prefix *pfx)
{
	if (!log_debugging(LOG_DEBUG_UPDATES))
		return;
	if (f->base == NULL)
		rde_log_debug(rp, LOG_DEBUG_UPDATES, "rcvd withdraw %s",
		    prefix_str(pfx));
	else
		rde_log_debug(rp, LOG_DEBUG_UPDATES, "rcvd %s via %s%s",
		    prefix_str(pfx), addr_str(&f->base->nexthop),
		    f->deny ? " (denied: loop or no policy)" : "");
}

/* Every prefix of an NLRI field: announced with base, or withdrawn
 * (base NULL). */
static void
rde_nlri(struct rde_peer *rp, enum aid aid, struct buf *nlri,
    struct attr *base)
{
	const struct peer_af_config	*afc;
	struct rde_field		 f;
	struct tb_prefix		 pfx[RDE_NLRI_BATCH];
	size_t				 i, n;
	int				 r = 1;

	if (!(rp->s.af_negotiated & AID_BIT(aid)) ||
	    !(rp->conf->af_active & AID_BIT(aid)))
		return;
	afc = rde_afc(rp, aid);
	memset(&f, 0, sizeof(f));
	f.aid = aid;
	f.base = base;
	f.now = rde_now();
	if (base != NULL) {
		f.deny = rde_loop(rp, aid, base) ||
		    rde_no_policy(rp, aid, 0);
		f.fast = afc->plist_in[0] == '\0' && afc->rmap_in[0] == '\0' &&
		    afc->weight == 0;
	}
	/* A batch at a time: the RIB's cache misses for its prefixes
	 * overlap (rib_prefetch). */
	do {
		for (n = 0; n < RDE_NLRI_BATCH &&
		    (r = nlri_get(nlri, aid, &pfx[n])) == 1; n++)
			rib_prefetch(rde.rib, &pfx[n]);
		for (i = 0; i < n; i++) {
			rde_debug_prefix(rp, &f, &pfx[i]);
			if (base == NULL) {
				rp->stats.withdraws_in++;
				hook_route_in(rp->owner, aid, &pfx[i], NULL,
				    NULL);
				rib_withdraw(rde.rib, &rp->src, &pfx[i]);
			} else
				rde_accept(rp, &f, &pfx[i]);
		}
	} while (r == 1);
}

/* Intern the received attributes with the next hop of one field. */
static struct attr *
rde_base(struct update *u, const struct tb_addr *nh,
    const struct tb_addr *ll)
{
	struct attr	 w;

	attr_copy(&w, &u->work.a);
	w.nexthop = *nh;
	if (ll != NULL && ll->af != 0) {
		w.nexthop_ll = *ll;
		w.flags |= ATTRF_NEXTHOP_LL;
	}
	return attr_intern(&w);
}

static void
rde_log_7606(struct rde_peer *rp, const struct update *u)
{
	if (u->err.action == ACT_WITHDRAW) {
		rp->stats.treat_as_withdraw++;
		rde_log(rp, TB_LOG_WARNING, "malformed UPDATE, its "
		    "routes treated as withdrawn (RFC 7606): %s", u->err.why);
	} else if (u->ndiscarded > 0) {
		rp->stats.attr_discard += u->ndiscarded;
		rde_log(rp, TB_LOG_INFO, "UPDATE attribute discarded "
		    "(RFC 7606): %s", u->err.why);
	}
}

static void
rde_announce(struct rde_peer *rp, struct update *u)
{
	struct attr	*base;
	int		 withdraw = u->err.action >= ACT_WITHDRAW;

	if (buf_left(&u->nlri) > 0) {
		base = withdraw ? NULL : rde_base(u, &u->work.a.nexthop, NULL);
		rde_nlri(rp, AID_IPV4_UNICAST, &u->nlri, base);
		if (base != NULL)
			attr_unref(base);
	}
	if (u->has_reach && buf_left(&u->reach_nlri) > 0) {
		base = withdraw ? NULL : rde_base(u, &u->mp_nexthop,
		    &u->mp_nexthop_ll);
		rde_nlri(rp, u->reach_aid, &u->reach_nlri, base);
		if (base != NULL)
			attr_unref(base);
	}
}

/* maximum-prefix (RFC 4486 4): Cease/1 with AFI, SAFI and the limit. */
static int
rde_max_prefix(struct rde_peer *rp, struct bgp_notify *err)
{
	const struct peer_af_config	*afc;
	uint8_t				 data[7];
	uint16_t			 afi;
	uint8_t				 safi;
	uint32_t			 n;
	int				 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		afc = rde_afc(rp, aid);
		n = rp->src.npaths[aid];
		if (afc->max_prefix == 0)
			continue;
		if (!rp->warned_max[aid] && afc->max_prefix_threshold > 0 &&
		    (uint64_t)n * 100 >= (uint64_t)afc->max_prefix *
		    afc->max_prefix_threshold) {
			rp->warned_max[aid] = 1;
			rde_log(rp, TB_LOG_WARNING, "%s: %u prefixes, "
			    "%u%% of maximum-prefix %u", aid_name(aid), n,
			    afc->max_prefix_threshold, afc->max_prefix);
		}
		if (n <= afc->max_prefix)
			continue;
		if (afc->max_prefix_warning) {
			if (rp->warned_max[aid] < 2)
				rde_log(rp, TB_LOG_WARNING, "%s: %u "
				    "prefixes exceed maximum-prefix %u "
				    "(warning-only)", aid_name(aid), n,
				    afc->max_prefix);
			rp->warned_max[aid] = 2;
			continue;
		}
		aid_to_afi(aid, &afi, &safi);
		data[0] = afi >> 8;
		data[1] = afi & 0xff;
		data[2] = safi;
		data[3] = afc->max_prefix >> 24;
		data[4] = (afc->max_prefix >> 16) & 0xff;
		data[5] = (afc->max_prefix >> 8) & 0xff;
		data[6] = afc->max_prefix & 0xff;
		notify_set(err, ERR_CEASE, ERR_CEASE_MAX_PREFIX, data, 7);
		rp->ops->max_prefix_down(rp->owner, afc->max_prefix_restart);
		rde_log(rp, TB_LOG_WARNING, "%s: %u prefixes exceed "
		    "maximum-prefix %u, session closed%s", aid_name(aid), n,
		    afc->max_prefix, afc->max_prefix_restart ? "" :
		    " until cleared");
		return -1;
	}
	return 0;
}

/* maximum-prefix-out held prefixes back and withdrawals made room: offer
 * the table again (what is already advertised does not change). */
static void
rde_held_back(struct rde_peer *rp)
{
	const struct peer_af_config	*afc;
	int				 aid;

	for (aid = 0; aid < AID_MAX; aid++) {
		afc = rde_afc(rp, aid);
		if (rp->held_back[aid] && rp->out[aid] != NULL &&
		    adjout_count(rp->out[aid]) < afc->max_prefix_out)
			rde_dump(rp, aid);
	}
}

static void
rde_export_all_changes(void)
{
	struct rde_peer	*rp;

	/* Our restart defers every Loc-RIB change until the tables are
	 * in (rde_restart_select); at exit nothing goes anywhere. */
	if (gr_deferring() || rde.closing)
		return;
	rib_drain(rde.rib, rde_export_entry, NULL);
	kernel_flush();
	TAILQ_FOREACH(rp, &rde.peers, entry)
		if (rp->up) {
			rde_held_back(rp);
			rde_flush(rp);
		}
}

int
rde_update(struct rde_peer *rp, struct buf *body, struct bgp_notify *err)
{
	struct attr_ctx	 ctx;
	struct update	 u;
	int		 rc = 0;

	if (!rp->up)
		return 0;
	rp->stats.updates_in++;
	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = rp->s.as4;
	ctx.ebgp = rde_ebgp(rp);
	ctx.peer_as = rp->s.peer_as;
	ctx.local_as = rp->bconf->as;
	ctx.local_addr = rp->s.local_addr;
	ctx.peer_addr = rp->conf->remote;
	if (update_parse(body, &ctx, &u) == -1) {
		*err = u.err.notify;
		rde_log(rp, TB_LOG_WARNING, "malformed UPDATE, session reset "
		    "(RFC 7606): %s", u.err.why);
		update_free(&u);
		return -1;
	}
	if (u.eor) {
		rp->stats.eor_rcvd[u.eor_aid] = 1;
		rde_log_debug(rp, LOG_DEBUG_UPDATES, "End-of-RIB for %s",
		    aid_name(u.eor_aid));
		gr_stale_eor(rp->gr, u.eor_aid);
		gr_defer_check();
	}
	rde_log_7606(rp, &u);
	rde_nlri(rp, AID_IPV4_UNICAST, &u.withdrawn, NULL);
	if (u.has_unreach)
		rde_nlri(rp, u.unreach_aid, &u.unreach_nlri, NULL);
	rde_announce(rp, &u);
	hook_route_end(rp->owner);
	update_free(&u);
	rc = rde_max_prefix(rp, err);
	rde_export_all_changes();
	return rc;
}

/* --- the kernel --- */

/* The next hops of the Loc-RIB's selection: the best path and the rest of
 * its multipath set.  A locally originated best path is not installed. */
static size_t
rde_kernel_nexthops(const struct rib_entry *e, struct fib_nh *nh)
{
	const struct rib_path	*p;
	size_t			 n = 0;
	int			 ifindex;

	for (p = e->paths; p != NULL && n < FIB_MAXNH; p = p->next) {
		if (!(p->flags & (PATH_BEST | PATH_MULTIPATH)) ||
		    p->attr == NULL)
			continue;
		if (p->src->local)
			return 0;
		memset(&nh[n], 0, sizeof(nh[n]));
		nh[n].gw = p->attr->nexthop;
		if (rde.kif != NULL &&
		    kif_connected(rde.kif, &nh[n].gw, &ifindex))
			nh[n].ifindex = (uint32_t)ifindex;
		n++;
	}
	return n;
}

static void
rde_kernel_route(struct rib_entry *e)
{
	struct fib_nh		 nh[FIB_MAXNH];
	struct tb_prefix	 p;
	size_t			 n;

	rib_entry_prefix(e, &p);
	n = rde_kernel_nexthops(e, nh);
	kernel_route(&p, nh, n);
}

/* --- outbound --- */

/* RFC 1997 well-known communities that stop an export. */
static int
rde_comm_blocks(const struct attr *a)
{
	return a->comm != NULL && (comms_has_std(a->comm, COMM_NO_ADVERTISE) ||
	    comms_has_std(a->comm, COMM_NO_EXPORT) ||
	    comms_has_std(a->comm, COMM_NO_EXPORT_SUBCONFED));
}

/* Our next hop for aid on this session, or -1 if we have none. */
static int
rde_nexthop_self(const struct rde_peer *rp, enum aid aid, struct tb_addr *nh)
{
	if (rp->s.local_addr.af != aid_af(aid))
		return -1;
	*nh = rp->s.local_addr;
	return 0;
}

/*
 * The eBGP export rules (RFC 4271 5.1): next hop is our address on the
 * session, LOCAL_PREF and weight stay home, a MED learned from another
 * AS is not passed on (5.1.4), then outbound policy, then our AS goes
 * in front (5.1.2).  NULL: nothing is sent.
 */
static struct attr *
rde_export_attr(struct rde_peer *rp, struct rib_entry *e,
    const struct rib_path *best)
{
	const struct peer_af_config	*afc = rde_afc(rp, e->aid);
	struct tb_prefix		 pfx;
	struct aspath			*path;
	struct attr			 w, *a;

	if (rde_comm_blocks(best->attr) || rde_no_policy(rp, e->aid, 1))
		return NULL;
	/* Sender-side loop prevention: the neighbor would drop it. */
	if (aspath_count(best->attr->aspath, rp->s.peer_as))
		return NULL;
	attr_copy(&w, best->attr);
	if (rde_nexthop_self(rp, e->aid, &w.nexthop) == -1) {
		attr_clear(&w);
		return NULL;
	}
	w.flags &= ~(ATTRF_LOCAL_PREF | ATTRF_NEXTHOP_LL);
	w.local_pref = 0;
	w.weight = 0;
	memset(&w.nexthop_ll, 0, sizeof(w.nexthop_ll));
	if (!best->src->local) {
		w.flags &= ~ATTRF_MED;
		w.med = 0;
	}
	rib_entry_prefix(e, &pfx);
	a = rde_filter(rp, &pfx, 1, attr_intern(&w), afc->plist_out,
	    afc->rmap_out);
	if (a == NULL)
		return NULL;
	attr_copy(&w, a);
	attr_unref(a);
	path = aspath_prepend(w.aspath, rp->bconf->as, 1);
	aspath_unref(w.aspath);
	w.aspath = path;
	w.flags &= ~ATTRF_LOCAL_PREF;
	return attr_intern(&w);
}

static void
rde_export_one(struct rde_peer *rp, struct rib_entry *e)
{
	const struct peer_af_config	*afc;
	struct adjout			*out = rp->out[e->aid];
	struct rib_path			*best;
	struct attr			*a = NULL;

	if (out == NULL)
		return;
	best = rib_entry_best(e);
	if (best != NULL && best->src != &rp->src)
		a = rde_export_attr(rp, e, best);
	afc = rde_afc(rp, e->aid);
	if (a != NULL && afc->max_prefix_out > 0 &&
	    adjout_get(out, e) == NULL &&
	    adjout_count(out) >= afc->max_prefix_out) {
		if (!rp->held_back[e->aid])
			rde_log(rp, TB_LOG_WARNING, "%s: "
			    "maximum-prefix-out %u reached, further "
			    "prefixes held back", aid_name(e->aid),
			    afc->max_prefix_out);
		rp->held_back[e->aid] = 1;
		attr_unref(a);
		return;
	}
	adjout_set(out, e, a);
}

static void
rde_export_entry(struct rib_entry *e, void *arg)
{
	struct rde_peer	*rp;

	rde_kernel_route(e);
	TAILQ_FOREACH(rp, &rde.peers, entry)
		if (rp->up)
			rde_export_one(rp, e);
}

static void
rde_export_walk(struct rib_entry *e, void *arg)
{
	rde_export_one(arg, e);
}

/* Every Loc-RIB entry of aid to one neighbor (session up, soft out,
 * room made under maximum-prefix-out). */
static void
rde_dump(struct rde_peer *rp, enum aid aid)
{
	rp->held_back[aid] = 0;
	rib_walk(rde.rib, aid, rde_export_walk, rp);
}

static void
rde_mrai_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct rde_peer	*rp = arg;

	if (rp->up)
		rde_flush(rp);
}

static int
rde_pending(const struct rde_peer *rp)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (rp->out[aid] != NULL && (adjout_pending(rp->out[aid]) ||
		    rp->eor_due[aid]))
			return 1;
	return 0;
}

/* Build UPDATEs while the session has room; End-of-RIB after the first
 * dump (RFC 4724 2).  advertisement-interval spaces the batches. */
static void
rde_flush(struct rde_peer *rp)
{
	struct timeval	 tv = { rp->conf->adv_interval, 0 };
	struct timeval	 now = { 0, 0 };
	struct buf	 b;
	size_t		 queued, n = 0;
	int		 aid;

	if (rp->conf->adv_interval > 0 && evtimer_pending(rp->t_mrai, NULL))
		return;
	queued = rp->ops->queued(rp->owner);
	if (queued >= RDE_OUT_BUDGET)
		return;
	if (buf_init(&b, 4096, 2 * RDE_OUT_BUDGET) == -1)
		fatal("rde flush");
	for (aid = 0; aid < AID_MAX; aid++) {
		if (rp->out[aid] == NULL)
			continue;
		n += adjout_flush(rp->out[aid], &b, RDE_OUT_BUDGET - queued,
		    rp->s.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN, rp->s.as4);
		/* End-of-RIB only once our table is complete: a restart
		 * defers it, and the helper keeps our routes until then. */
		if (rp->eor_due[aid] && !adjout_pending(rp->out[aid]) &&
		    !rp->dump_held) {
			update_build_eor(&b, aid);
			rp->eor_due[aid] = 0;
			rp->stats.eor_sent[aid] = 1;
			n++;
		}
	}
	if (buf_len(&b) > 0)
		(void)rp->ops->output(rp->owner, &b, n);
	buf_free(&b);
	if (n > 0 && rp->conf->adv_interval > 0)
		evtimer_add(rp->t_mrai, &tv);
	else if (rde_pending(rp) && rp->ops->queued(rp->owner) <
	    RDE_OUT_BUDGET)
		/* The socket took it all: go on in the next turn, so that
		 * a big table does not hold up the other sessions. */
		evtimer_add(rp->t_more, &now);
}

void
rde_peer_writable(struct rde_peer *rp)
{
	if (rp->up)
		rde_flush(rp);
}

/* --- failback-delay --- */

/*
 * bgp failback-delay: when a session that was Established before comes
 * back (the primary tunnel repaired), its paths are held back for a while:
 * they lose to every eligible path not held (the backup tunnel's), and
 * are used only where no other path exists.  A tunnel that flaps then
 * moves traffic once, not on every flap.  The first session after start
 * is not held: there is nothing to fail back from.
 */
static int
rde_resolve(const struct rib_src *src, const struct attr *a, void *arg)
{
	const struct rde_peer	*rp = src->owner;
	int			 r = nexthop_usable(src, a, NULL);

	if (r == RIB_NH_USABLE && rp != NULL && rp->held)
		return RIB_NH_HELD;
	return r;
}

static void
rde_unhold_entry(struct rib_entry *e, void *arg)
{
	struct rde_peer	*rp = arg;
	struct rib_path	*path;

	if ((path = rib_entry_path(e, &rp->src)) != NULL &&
	    (path->flags & PATH_HELD))
		(void)rib_path_recheck(rde.rib, e, path);
}

static void
rde_held_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct rde_peer	*rp = arg;
	int		 aid;

	rp->held = 0;
	rde_log(rp, TB_LOG_INFO, "failback-delay over: its paths "
	    "are selected again");
	for (aid = 0; aid < AID_MAX; aid++)
		rib_walk(rde.rib, aid, rde_unhold_entry, rp);
	rde_export_all_changes();
}

static void
rde_hold(struct rde_peer *rp)
{
	struct timeval	 tv = { (time_t)rde.conf->failback_delay, 0 };

	if (rde.conf->failback_delay == 0 || !rp->was_up)
		return;
	rp->held = 1;
	evtimer_add(rp->t_held, &tv);
	rde_log(rp, TB_LOG_INFO, "failback-delay %u s: its paths are "
	    "used only where no other path exists until then",
	    rde.conf->failback_delay);
}

/* --- session life --- */

struct rde_peer *
rde_peer_new(const struct rde_peer_ops *ops, void *owner,
    const struct peer_config *conf, const struct bgpd_config *bconf)
{
	struct rde_peer	*rp;

	if ((rp = calloc(1, sizeof(*rp))) == NULL)
		fatal("rde peer");
	rp->ops = ops;
	rp->owner = owner;
	rp->conf = conf;
	rp->bconf = bconf;
	rp->src.owner = rp;
	rp->gr = gr_stale_new(rde.base, rde.rib, &rp->src, &rp->conf,
	    rde_export_all_changes);
	if ((rp->t_mrai = evtimer_new(rde.base, rde_mrai_cb, rp)) == NULL ||
	    (rp->t_more = evtimer_new(rde.base, rde_mrai_cb, rp)) == NULL ||
	    (rp->t_held = evtimer_new(rde.base, rde_held_cb, rp)) == NULL)
		fatalx("evtimer_new");
	TAILQ_INSERT_TAIL(&rde.peers, rp, entry);
	return rp;
}

/*
 * RFC 4724 4.2: a neighbor back after a restart keeps its stale paths of
 * the families its new capability lists with the F bit (until End-of-RIB
 * for each); the others go now.
 */
static void
rde_gr_up(struct rde_peer *rp)
{
	gr_stale_up(rp->gr, rp->s.gr_fwd & rp->s.af_negotiated);
}

void
rde_peer_set_config(struct rde_peer *rp, const struct peer_config *conf,
    const struct bgpd_config *bconf)
{
	rp->conf = conf;
	rp->bconf = bconf;
}

void
rde_peer_up(struct rde_peer *rp, const struct rde_session *s)
{
	const struct peer_config	*pc = rp->conf;
	int				 aid;

	rp->s = *s;
	rp->src.addr = pc->remote;
	rp->src.bgp_id = s->remote_id;
	rp->src.as = s->peer_as;
	rp->src.ebgp = rde_ebgp(rp);
	rp->src.nh_recursive = pc->multihop > 1 || pc->ttl_security > 1;
	rp->src.ifindex = s->ifindex;
	rp->src.soft_in = 0;
	rp->in_missing = 0;
	memset(&rp->stats, 0, sizeof(rp->stats));
	memset(rp->warned_max, 0, sizeof(rp->warned_max));
	for (aid = 0; aid < AID_MAX; aid++) {
		if (pc->af[aid].soft_reconfig_in)
			rp->src.soft_in = 1;
		if (!(s->af_negotiated & pc->af_active & AID_BIT(aid)))
			continue;
		rp->out[aid] = adjout_new(rde.rib, aid);
		rp->eor_due[aid] = 1;
	}
	rp->up = 1;
	rde_hold(rp);
	rp->was_up = 1;
	if (!rp->logged_8212 && (rde_policy_missing(rp, 0) ||
	    rde_policy_missing(rp, 1))) {
		rp->logged_8212 = 1;
		if (rde_policy_missing(rp, 0))
			rde_log(rp, TB_LOG_WARNING, "%s",
			    rde_policy_missing(rp, 0));
		if (rde_policy_missing(rp, 1))
			rde_log(rp, TB_LOG_WARNING, "%s",
			    rde_policy_missing(rp, 1));
	}
	rde_gr_up(rp);
	/* A restart sends its table once it has every neighbor's. */
	rp->dump_held = gr_deferring();
	if (!rp->dump_held)
		for (aid = 0; aid < AID_MAX; aid++)
			if (rp->out[aid] != NULL)
				rde_dump(rp, aid);
	rde_flush(rp);
	gr_defer_check();
}

void
rde_peer_down(struct rde_peer *rp, unsigned int gr_keep, int gr_low)
{
	int	 aid;

	if (!rp->up)
		return;
	rp->up = 0;
	rp->held = 0;
	evtimer_del(rp->t_mrai);
	evtimer_del(rp->t_more);
	evtimer_del(rp->t_held);
	for (aid = 0; aid < AID_MAX; aid++) {
		if (rp->out[aid] != NULL)
			adjout_free(rp->out[aid]);
		rp->out[aid] = NULL;
		rp->eor_due[aid] = 0;
		rp->held_back[aid] = 0;
	}
	rp->dump_held = 0;
	/* The paths go now (or stay stale for a graceful restart, gr.c
	 * decided), and the other neighbors hear of it in this turn. */
	gr_stale_down(rp->gr, gr_keep, gr_low, rp->s.gr_time,
	    rde.conf->gr_stalepath_time);
	rde_export_all_changes();
	gr_defer_check();
}

void
rde_refresh(struct rde_peer *rp, enum aid aid)
{
	if (!rp->up || aid >= AID_MAX || rp->out[aid] == NULL)
		return;
	rde_log(rp, TB_LOG_INFO, "ROUTE-REFRESH for %s: sending the table "
	    "again", aid_name(aid));
	adjout_resend(rp->out[aid]);
	rde_flush(rp);
}

/* Re-apply inbound policy to the paths kept as received. */
static void
rde_soft_in_entry(struct rib_entry *e, void *arg)
{
	struct rde_peer			*rp = arg;
	const struct peer_af_config	*afc = rde_afc(rp, e->aid);
	struct rib_path			*path;
	struct tb_prefix		 pfx;
	struct attr			*in, *a = NULL;
	struct attr			 w;

	if ((path = rib_entry_path(e, &rp->src)) == NULL)
		return;
	in = rib_path_attr_in(path);
	if (in == NULL)
		return;
	rib_entry_prefix(e, &pfx);
	if (!rde_loop(rp, e->aid, in) &&
	    !rde_no_policy(rp, e->aid, 0)) {
		attr_copy(&w, in);
		w.weight = afc->weight;
		a = rde_filter(rp, &pfx, 0, attr_intern(&w),
		    afc->plist_in, afc->rmap_in);
	}
	if (a != path->attr)
		hook_route_in(rp->owner, e->aid, &pfx, in, a);
	rib_path_set_attr(rde.rib, e, path, a);
}

void
rde_soft_in(struct rde_peer *rp)
{
	int	 aid;

	if (!rp->up)
		return;
	if (!rp->src.soft_in || rp->in_missing) {
		/* Without the routes as received, ask for them again. */
		for (aid = 0; aid < AID_MAX; aid++)
			if (rp->out[aid] != NULL)
				rp->ops->send_rrefresh(rp->owner, aid);
		return;
	}
	for (aid = 0; aid < AID_MAX; aid++)
		rib_walk(rde.rib, aid, rde_soft_in_entry, rp);
	hook_route_end(rp->owner);
	rde_export_all_changes();
}

void
rde_soft_out(struct rde_peer *rp)
{
	int	 aid;

	if (!rp->up)
		return;
	for (aid = 0; aid < AID_MAX; aid++)
		if (rp->out[aid] != NULL)
			rde_dump(rp, aid);
	rde_flush(rp);
}

/* --- reload --- */

int
rde_soft_in_possible(const struct rde_peer *rp)
{
	if (!rp->up)
		return 1;
	return (rp->src.soft_in && !rp->in_missing) || rp->s.route_refresh;
}

/* soft-reconfiguration inbound changed on an Established session.  Paths
 * learned before it was turned on have no copy as received: until the
 * session starts again, soft in asks with ROUTE-REFRESH (whose answer
 * keeps the copies). */
void
rde_peer_reconf(struct rde_peer *rp)
{
	int	 aid, on = 0;

	if (!rp->up)
		return;
	for (aid = 0; aid < AID_MAX; aid++)
		if (rp->conf->af[aid].soft_reconfig_in)
			on = 1;
	if (on && !rp->src.soft_in)
		rp->in_missing = 1;
	rp->src.soft_in = on;
}

static int
rde_opts_differ(const struct rib_opts *a, const struct rib_opts *b)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (a->maximum_paths[aid] != b->maximum_paths[aid])
			return 1;
	return a->as_path_ignore != b->as_path_ignore ||
	    a->multipath_relax != b->multipath_relax ||
	    a->always_compare_med != b->always_compare_med ||
	    a->med_missing_as_worst != b->med_missing_as_worst ||
	    a->compare_router_id != b->compare_router_id;
}

/*
 * The new configuration replaces the old one (still alive: freed by the
 * caller after this): decision options, our identity as a source of
 * local paths, origination.  Every change is exported in this turn.
 */
void
rde_reconfigure(struct bgpd_config *conf, uint32_t router_id)
{
	struct bgpd_config	*old = rde.conf;
	struct rib_opts		 o;

	rde.conf = conf;
	rde.router_id = router_id;
	rde.local.as = conf->as;
	rde.local.bgp_id = router_id;
	rde_opts(conf, &o);
	if (rde_opts_differ(&o, rib_opts(rde.rib))) {
		rib_set_opts(rde.rib, &o);
		rib_redecide_all(rde.rib);
	}
	origin_reconfigure(rde.rib, &rde.local, old, conf);
	rde_networks_sync();
}

/* --- origination --- */

/*
 * network and redistribute against the kernel's routes (origin.c), at
 * start, shortly after the kernel reports another protocol's route
 * changing, and every RDE_NETWORK_SCAN seconds.  When route events are
 * followed (the FIB runs), the periodic read is skipped while no event
 * came, up to RDE_NETWORK_FULL seconds: with a full table of ours in
 * the main table each read is a dump of a million routes.
 */
void
rde_networks_sync(void)
{
	rde.nscan_last = rde_now();
	rde.nscan_events = rde.kroute_events;
	origin_sync(rde.rib, &rde.local, rde.conf, kernel_rtsel(), rde_now());
	rde_export_all_changes();
}

/* Another protocol's routes changed (kernel.c tells): next hops
 * resolved over them are checked, and network and redistribute. */
static void
rde_kernel_routes_changed(void *arg)
{
	struct timeval	 tv = { 0, 100 * 1000 };

	nexthop_check(NH_CHECK_ROUTES);

	rde.kroute_events++;
	if (rde.t_nsoon == NULL || evtimer_pending(rde.t_nsoon, NULL))
		return;
	/* A burst of events reads the table once a second at most. */
	if (rde_now() - rde.nscan_last < 1)
		tv.tv_sec = 1;
	evtimer_add(rde.t_nsoon, &tv);
}

/*
 * The static routes changed (rtsel.c tells, possibly from inside a RIB
 * drain of ours): networks and redistribute static follow in the next
 * event-loop turn, without reading the kernel.
 */
static void
rde_statics_changed(void *arg)
{
	struct timeval	 now = { 0, 0 };

	if (rde.t_statics != NULL && !evtimer_pending(rde.t_statics, NULL))
		evtimer_add(rde.t_statics, &now);
}

static void
rde_statics_cb(evutil_socket_t fd, short ev, void *arg)
{
	origin_statics(rde.rib, &rde.local, rde.conf, kernel_rtsel(),
	    rde_now());
	rde_export_all_changes();
}

static void
rde_nsoon_cb(evutil_socket_t fd, short ev, void *arg)
{
	rde_networks_sync();
}

static void
rde_nscan_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct timeval	 tv = { RDE_NETWORK_SCAN, 0 };

	if (kernel_fib() == NULL || rde.kroute_events != rde.nscan_events ||
	    rde_now() - rde.nscan_last >= RDE_NETWORK_FULL)
		rde_networks_sync();
	/* Next hops resolved over kernel routes, in case an event was
	 * missed. */
	nexthop_check(NH_CHECK_ROUTES);
	evtimer_add(rde.t_nscan, &tv);
}

/* --- life cycle --- */

void
rde_init(struct bgpd_config *conf, struct event_base *base,
    uint32_t router_id, struct kif *kif)
{
	struct rib_opts	 o;

	rde.conf = conf;
	rde.kif = kif;
	TAILQ_INIT(&rde.peers);
	rde.base = base;
	rde.router_id = router_id;
	rde_opts(conf, &o);
	if ((rde.rib = rib_new(&o)) == NULL)
		fatal("rib");
	memset(&rde.local, 0, sizeof(rde.local));
	rde.local.local = 1;
	rde.local.as = conf->as;
	rde.local.bgp_id = router_id;
	if ((rde.t_nscan = evtimer_new(base, rde_nscan_cb, NULL)) == NULL ||
	    (rde.t_nsoon = evtimer_new(base, rde_nsoon_cb, NULL)) == NULL ||
	    (rde.t_statics = evtimer_new(base, rde_statics_cb, NULL)) == NULL)
		fatalx("evtimer_new");
	rtsel_set_notify(kernel_rtsel(), rde_statics_changed, NULL);
	nexthop_init(base, rde.rib, kif, rde_export_all_changes);
	kernel_on_routes_changed(rde_kernel_routes_changed, NULL);
	rib_set_resolver(rde.rib, rde_resolve, NULL);
	rde_nscan_cb(-1, 0, NULL);
}

void
rde_peer_free(struct rde_peer *rp)
{
	if (rp == NULL)
		return;
	rde_peer_down(rp, 0, 0);
	TAILQ_REMOVE(&rde.peers, rp, entry);
	/* Stale paths of a neighbor that goes away go with it. */
	rib_src_flush(rde.rib, &rp->src, AID_MAX);
	rde_export_all_changes();
	gr_stale_free(rp->gr);
	event_free(rp->t_mrai);
	event_free(rp->t_more);
	event_free(rp->t_held);
	free(rp);
}

/* --- our restart --- */

/*
 * How far a neighbor's table is (rde_gr.h GR_TABLES_*): all of it at
 * End-of-RIB for every family; all, as far as we can wait, when it is
 * shut down or not up within our restart time (a helper has dropped our
 * routes by then).  One that offered no graceful restart does not hold
 * the deferral (RFC 4724, FRR) but its End-of-RIB is still waited for
 * before adopted routes nobody announced are removed.
 */
static int
rde_peer_progress(const struct rde_peer *rp, uint32_t elapsed)
{
	int	 aid;

	if (rp->ops->admin_down(rp->owner))
		return GR_TABLES_ALL;
	if (!rp->up)
		return elapsed >= rde.conf->gr_restart_time ? GR_TABLES_ALL :
		    GR_TABLES_NONE;
	for (aid = 0; aid < AID_MAX; aid++)
		if ((rp->s.af_negotiated & rp->conf->af_active &
		    AID_BIT(aid)) && !rp->stats.eor_rcvd[aid])
			return rp->s.gr_offered ? GR_TABLES_NONE :
			    GR_TABLES_SELECT;
	return GR_TABLES_ALL;
}

static int
rde_tables_progress(uint32_t elapsed)
{
	struct rde_peer	*rp;
	int		 n, least = GR_TABLES_ALL;

	TAILQ_FOREACH(rp, &rde.peers, entry)
		if ((n = rde_peer_progress(rp, elapsed)) < least)
			least = n;
	return least;
}

static void
rde_restart_select(const char *why)
{
	struct rde_peer	*rp;
	int		 aid;

	if (gr_restarting())
		log_info("restart: %s after %u s: routes selected and "
		    "announced", why, gr_defer_elapsed());
	gr_restart_end();
	rde_export_all_changes();
	TAILQ_FOREACH(rp, &rde.peers, entry) {
		if (!rp->up || !rp->dump_held)
			continue;
		rp->dump_held = 0;
		for (aid = 0; aid < AID_MAX; aid++)
			if (rp->out[aid] != NULL)
				rde_dump(rp, aid);
		rde_flush(rp);
	}
}

static void
rde_restart_sweep(const char *why)
{
	log_info("restart: %s after %u s: the kernel's routes of the earlier "
	    "instance not learnt again are removed", why, gr_defer_elapsed());
	kernel_stale_sweep();
	kernel_flush();
}

void
rde_restart_begin(size_t adopted)
{
	int		 restart = gr_restart_configured(rde.conf);

	if (restart)
		gr_restart_begin();
	log_info("restart: %zu route%s of an earlier instance in the "
	    "kernel, kept until every neighbor's table is in (at most %u s)%s",
	    adopted, adopted == 1 ? "" : "s", rde.conf->gr_select_defer,
	    restart ? "; graceful restart: route selection deferred until "
	    "then" : "");
	gr_defer_begin(rde.base, rde.conf->gr_select_defer, restart,
	    rde_tables_progress, rde_restart_select, rde_restart_sweep);
}

void
rde_closing(void)
{
	rde.closing = 1;
}

void
rde_shutdown(void)
{
	gr_defer_end();
	if (rde.t_nscan != NULL)
		event_free(rde.t_nscan);
	if (rde.t_nsoon != NULL)
		event_free(rde.t_nsoon);
	if (rde.t_statics != NULL)
		event_free(rde.t_statics);
	rde.t_nscan = rde.t_nsoon = rde.t_statics = NULL;
	rtsel_set_notify(kernel_rtsel(), NULL, NULL);
	while (!TAILQ_EMPTY(&rde.peers))
		rde_peer_free(TAILQ_FIRST(&rde.peers));
	rib_src_flush(rde.rib, &rde.local, AID_MAX);
	rib_drain(rde.rib, rde_export_entry, NULL);
	nexthop_shutdown();
	origin_free();
	rib_free(rde.rib);
	rde.rib = NULL;
}
