/*
 * sroute_run: the static route engine (sroute.c) in the daemon.
 *
 * Gives the engine the interface table (tunnel.c's kif, xfrm.c's SAs) to
 * resolve next hops with, the kernel (kernel_static(), through rtsel.c)
 * to hand its routes to, the tracking (track.c: one reference per
 * tracked next hop, shared with BGP neighbors and other routes probing
 * the same way) and a timer for its holds and start-up windows.
 * Interface, address and SA events and the tracking's verdicts reach it
 * through the callbacks it registers with tunnel.c, xfrm.c and track.c.
 */
#include "config.h"

#include <errno.h>
#include <event2/event.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel.h"
#include "kif.h"
#include "log.h"
#include "sroute.h"
#include "track.h"
#include "xfrm.h"

static struct {
	struct sroute		*sr;
	struct event		*t_expire;
	struct kif		*kif;		/* NULL: not followed */
	struct xfrm		*xfrm;		/* NULL: not followed */
} srd;

/* A tracked next hop's reference, the engine's cookie for it. */
struct srd_trk {
	struct sroute_nh	*nh;
	struct track_ref	*ref;
	int			 bfd;
};

static void	srd_arm(void);

uint64_t
sroute_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct sroute *
sroute_running(void)
{
	return srd.sr;
}

/* ---- resolving a next hop ---- */

static int
srd_linklocal(const struct tb_addr *a)
{
	return a->af == AF_INET6 && a->u.raw[0] == 0xfe &&
	    (a->u.raw[1] & 0xc0) == 0x80;
}

/* The interface a gateway without IFNAME is reached over, or why not. */
static const struct kif_link *
srd_gateway_link(const struct kif *k, const struct tb_addr *gw, char *why,
    size_t len)
{
	const struct kif_link	*l;
	int			 ifindex;

	if (kif_connected(k, gw, &ifindex))
		return kif_get(k, ifindex);
	if (kif_connected_on(k, gw, 0, 0, &ifindex) &&
	    (l = kif_get(k, ifindex)) != NULL)
		snprintf(why, len, "interface %s is %s", l->name,
		    kif_state_str(l));
	else
		snprintf(why, len, "%s is on no connected prefix (no "
		    "interface holds an address of its subnet)", addr_str(gw));
	return NULL;
}

/* The interface IFNAME names, usable and (for a gateway) with the
 * gateway on a connected prefix, or why not. */
static const struct kif_link *
srd_named_link(const struct kif *k, const struct static_config *sc,
    char *why, size_t len)
{
	const struct kif_link	*l;
	int			 ifindex;

	if ((l = kif_by_name(k, sc->ifname)) == NULL) {
		snprintf(why, len, "interface %s does not exist", sc->ifname);
		return NULL;
	}
	if (!kif_link_usable(l)) {
		snprintf(why, len, "interface %s is %s", l->name,
		    kif_state_str(l));
		return NULL;
	}
	if (sc->kind == STATIC_GATEWAY && !srd_linklocal(&sc->gw) &&
	    !kif_connected_on(k, &sc->gw, l->ifindex, 1, &ifindex)) {
		snprintf(why, len, "%s is on no connected prefix of %s",
		    addr_str(&sc->gw), l->name);
		return NULL;
	}
	return l;
}

/* No interface monitor: nothing can tell, so a gateway counts as
 * usable; an interface route needs at least the interface's index. */
static int
srd_resolve_blind(const struct static_config *sc, uint32_t *ifindex,
    char *why, size_t len)
{
	if (sc->ifname[0] != '\0' &&
	    (*ifindex = if_nametoindex(sc->ifname)) == 0) {
		snprintf(why, len, "interface %s does not exist", sc->ifname);
		return 0;
	}
	snprintf(why, len, "no interface monitor: taken as usable");
	return 1;
}

int
sroute_resolve(const struct kif *k, const struct xfrm *x,
    const struct static_config *sc, uint32_t *ifindex, char *why,
    size_t len)
{
	const struct kif_link	*l;

	*ifindex = 0;
	if (sc->kind == STATIC_BLACKHOLE || sc->kind == STATIC_REJECT) {
		snprintf(why, len, "%s route", sc->kind == STATIC_BLACKHOLE ?
		    "blackhole" : "reject");
		return 1;
	}
	if (k == NULL)
		return srd_resolve_blind(sc, ifindex, why, len);
	if (sc->ifname[0] != '\0')
		l = srd_named_link(k, sc, why, len);
	else
		l = srd_gateway_link(k, &sc->gw, why, len);
	if (l == NULL)
		return 0;
	if (strcmp(l->kind, "xfrm") == 0 && x != NULL &&
	    xfrm_if_down(x, l->xfrm_if_id)) {
		snprintf(why, len, "no IPsec SA on %s (if_id %u)", l->name,
		    l->xfrm_if_id);
		return 0;
	}
	*ifindex = (uint32_t)l->ifindex;
	snprintf(why, len, "interface %s is up", l->name);
	return 1;
}

static int
srd_resolve(const struct static_config *sc, uint32_t *ifindex, char *why,
    size_t len, void *arg)
{
	(void)arg;
	return sroute_resolve(srd.kif, srd.xfrm, sc, ifindex, why,
	    len);
}

/* ---- the engine's other needs ---- */

static void
srd_install(const struct tb_prefix *p, const struct fib_route *r,
    uint8_t distance, void *arg)
{
	(void)arg;
	kernel_static(p, r, distance);
	kernel_flush();
}

/* ---- tracking ---- */

static void
srd_track_cb(struct track_ref *ref, enum track_state st, const char *why,
    void *arg)
{
	struct srd_trk	*tk = arg;
	char		 buf[192];

	(void)ref;
	if (st == TRACK_INIT || srd.sr == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s: %s", tk->bfd ? "BFD" : "ICMP", why);
	sroute_track(srd.sr, tk->nh, st == TRACK_UP ? SR_TRK_UP :
	    SR_TRK_DOWN, buf, sroute_now());
	srd_arm();
}

/* The probe or BFD session a static route's tracking asks for: to the
 * target (else the gateway), over the route's interface (else the one
 * with the gateway on a connected prefix). */
static void
srd_track_key(const struct static_config *sc, struct track_key *k)
{
	memset(k, 0, sizeof(k[0]));
	if (sc->track == STATIC_TRACK_BFD) {
		k->kind = TRACK_BFD;
		k->dst = sc->gw;
		k->bfd.min_tx_ms = sc->bfd_interval;
		k->bfd.min_rx_ms = sc->bfd_min_rx;
		k->bfd.multiplier = sc->bfd_mult;
	} else {
		k->kind = TRACK_ICMP;
		k->dst = addr_isset(&sc->icmp_target) ? sc->icmp_target :
		    sc->gw;
		k->icmp.interval_ms = sc->icmp_interval;
		k->icmp.multiplier = sc->icmp_mult;
		k->icmp.up_count = sc->icmp_up;
	}
	if (sc->kind == STATIC_GATEWAY)
		k->via = sc->gw;
	strlcpy(k->ifname, sc->ifname, sizeof(k->ifname));
}

static void
srd_track_start(struct sroute_nh *nh, const struct static_config *sc,
    void *arg)
{
	struct srd_trk	*tk;
	struct track_key k;

	(void)arg;
	if ((tk = calloc(1, sizeof(*tk))) == NULL)
		fatal("static routes");
	tk->nh = nh;
	tk->bfd = sc->track == STATIC_TRACK_BFD;
	srd_track_key(sc, &k);
	if ((tk->ref = track_new(&k, srd_track_cb, tk)) == NULL)
		log_warn("static route %s: cannot track %s",
		    prefix_str(&sc->prefix), addr_str(&k.dst));
	sroute_nh_set_cookie(nh, tk);
}

static void
srd_track_stop(struct sroute_nh *nh, void *arg)
{
	struct srd_trk	*tk = sroute_nh_cookie(nh);

	(void)arg;
	if (tk == NULL)
		return;
	track_free(tk->ref);
	free(tk);
	sroute_nh_set_cookie(nh, NULL);
}

/* A new reference to an engine shared with someone else may find a
 * verdict already there: hand it to the engine now. */
struct srd_pull {
	struct srd_trk	*v[64];
	size_t		 n;
	int		 more;
};

static void
srd_pull_nh(const struct sroute_pfx_info *pi, const struct sroute_nh_info *ni,
    void *arg)
{
	struct srd_pull	*pl = arg;
	struct srd_trk	*tk = ni->cookie;

	(void)pi;
	if (tk == NULL || tk->ref == NULL || ni->trk != SR_TRK_PENDING ||
	    track_state(tk->ref) == TRACK_INIT)
		return;
	if (pl->n == sizeof(pl->v) / sizeof(pl->v[0]))
		pl->more = 1;
	else
		pl->v[pl->n++] = tk;
}

static void
srd_pull(void)
{
	struct srd_pull	 pl;
	size_t		 i;
	char		 buf[192];

	do {
		memset(&pl, 0, sizeof(pl));
		sroute_walk(srd.sr, NULL, srd_pull_nh, &pl);
		for (i = 0; i < pl.n; i++) {
			snprintf(buf, sizeof(buf), "%s: %s", pl.v[i]->bfd ?
			    "BFD" : "ICMP", track_why(pl.v[i]->ref));
			sroute_track(srd.sr, pl.v[i]->nh,
			    track_state(pl.v[i]->ref) == TRACK_UP ?
			    SR_TRK_UP : SR_TRK_DOWN, buf, sroute_now());
		}
	} while (pl.more);
}

/* What show needs of a next hop's tracking. */
const struct track_ref *
sroute_nh_track(const struct sroute_nh_info *ni)
{
	const struct srd_trk	*tk = ni->cookie;

	return tk != NULL ? tk->ref : NULL;
}

static void
srd_settled(void *arg)
{
	(void)arg;
	log_info("static routes: every tracked next hop has answered or "
	    "timed out");
	kernel_statics_settled();
}

static void
srd_arm(void)
{
	uint64_t	 next, now;
	struct timeval	 tv;

	if (srd.sr == NULL || srd.t_expire == NULL)
		return;
	evtimer_del(srd.t_expire);
	if ((next = sroute_next_expiry(srd.sr)) == 0)
		return;
	now = sroute_now();
	next = next > now ? next - now : 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(srd.t_expire, &tv);
}

static void
srd_expire(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	sroute_expire(srd.sr, sroute_now());
	srd_arm();
}

static void
srd_ifevent(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	(void)k;
	(void)ch;
	(void)ifindex;
	(void)a;
	(void)arg;
	sroute_recheck(srd.sr, sroute_now());
	srd_arm();
}

static void
srd_xfrm(struct xfrm *x, uint32_t if_id, int up, void *arg)
{
	(void)x;
	(void)if_id;
	(void)up;
	(void)arg;
	sroute_recheck(srd.sr, sroute_now());
	srd_arm();
}

/* ---- life ---- */

void
sroute_init(struct event_base *base, const struct bgpd_config *conf,
    struct kif *kif, struct xfrm *xfrm)
{
	struct sroute_ops	 ops;

	memset(&ops, 0, sizeof(ops));
	ops.resolve = srd_resolve;
	ops.install = srd_install;
	ops.settled = srd_settled;
	ops.track_start = srd_track_start;
	ops.track_stop = srd_track_stop;
	if ((srd.sr = sroute_new(&ops)) == NULL ||
	    (srd.t_expire = evtimer_new(base, srd_expire, NULL)) == NULL)
		fatal("static routes");
	srd.kif = kif;
	srd.xfrm = xfrm;
	if (kif != NULL)
		kif_add_handler(kif, srd_ifevent, NULL);
	if (xfrm != NULL)
		xfrm_add_handler(xfrm, srd_xfrm, NULL);
	sroute_configure(srd.sr, &conf->statics, sroute_now());
	srd_pull();
	srd_arm();
}

void
sroute_reconfigure(const struct bgpd_config *conf)
{
	if (srd.sr == NULL)
		return;
	sroute_configure(srd.sr, &conf->statics, sroute_now());
	srd_pull();
	srd_arm();
}

void
sroute_shutdown(void)
{
	if (srd.kif != NULL)
		kif_remove_handler(srd.kif, srd_ifevent, NULL);
	if (srd.xfrm != NULL)
		xfrm_remove_handler(srd.xfrm, srd_xfrm, NULL);
	srd.kif = NULL;
	srd.xfrm = NULL;
	if (srd.t_expire != NULL)
		event_free(srd.t_expire);
	srd.t_expire = NULL;
	sroute_free(srd.sr);
	srd.sr = NULL;
}
