/*
 * liveness: probes and BFD sessions per neighbor, and the IPsec SAs of
 * XFRM interfaces, tied to the sessions (see liveness.h).
 */
#include "config.h"

#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"
#include "kif.h"
#include "liveness.h"
#include "log.h"
#include "peer.h"
#include "probe.h"
#include "session.h"
#include "xfrm.h"

struct live {
	TAILQ_ENTRY(live)	 entry;
	struct peer		*peer;
	struct probe		*probe;
	struct bfd_sess		*bfd;
	int			 probe_down;	/* it said down last */
	int			 probe_failed;	/* could not start: errno */
	int			 bfd_up;	/* it was Up: a Down counts */
	int			 bfd_failed;
};

static TAILQ_HEAD(, live) lives = TAILQ_HEAD_INITIALIZER(lives);
static struct event_base	*live_base;
static const struct kif		*live_kif;	/* NULL: not followed */
static int			 live_bfd_ok = -1;	/* bfd_init: -1 not yet */

static struct live *
live_of(const struct peer *p)
{
	struct live	*l;

	TAILQ_FOREACH(l, &lives, entry)
		if (l->peer == p)
			return l;
	return NULL;
}

const struct probe *
liveness_probe(const struct peer *p)
{
	const struct live	*l = live_of(p);

	return l != NULL ? l->probe : NULL;
}

const struct bfd_sess *
liveness_bfd(const struct peer *p)
{
	const struct live	*l = live_of(p);

	return l != NULL ? l->bfd : NULL;
}

/* The interface the neighbor is reached over: the configured one, else
 * the one with a connected prefix holding its address.  NULL: unknown. */
static const char *
live_ifname(const struct peer *p)
{
	const struct kif_link	*kl;
	int			 ifindex;

	if (p->conf->local_ifname[0] != '\0')
		return p->conf->local_ifname;
	if (live_kif == NULL ||
	    !kif_connected(live_kif, &p->conf->remote, &ifindex) ||
	    (kl = kif_get(live_kif, ifindex)) == NULL)
		return NULL;
	return kl->name;
}

static const struct tb_addr *
live_local(const struct peer *p)
{
	return addr_isset(&p->conf->local) ? &p->conf->local : NULL;
}

/* --- ICMP probes --- */

static void
live_probe_cb(struct probe *pr, enum probe_state st, const char *why,
    void *arg)
{
	struct live	*l = arg;
	char		 reason[160];

	if (st == PROBE_DOWN) {
		l->probe_down = 1;
		snprintf(reason, sizeof(reason), "liveness: ICMP: %s", why);
		peer_liveness_down(l->peer, reason);
		return;
	}
	log_peer(l->peer, TB_LOG_INFO, "ICMP probe up: %s", why);
	if (l->probe_down) {
		l->probe_down = 0;
		peer_liveness_up(l->peer);
	}
}

static void
live_probe_start(struct live *l)
{
	const struct peer_config	*c = l->peer->conf;
	struct probe_opts		 o;
	const char			*ifname = live_ifname(l->peer);

	if (c->live_icmp_interval == 0 || l->probe != NULL || ifname == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.interval_ms = c->live_icmp_interval;
	o.multiplier = c->live_icmp_mult;
	o.up_count = c->live_icmp_up;
	l->probe = probe_new(live_base, &c->remote, live_local(l->peer),
	    ifname, &o, live_probe_cb, l);
	if (l->probe != NULL) {
		l->probe_failed = 0;
		log_peer(l->peer, TB_LOG_INFO, "ICMP probes every %u ms over "
		    "%s (%s socket)", o.interval_ms, ifname,
		    probe_socket_kind(l->probe));
		return;
	}
	/* Said once per cause; an interface or address event retries. */
	if (l->probe_failed != errno)
		log_peer(l->peer, TB_LOG_WARNING, "cannot start ICMP probes "
		    "over %s: %s%s", ifname, strerror(errno), (errno ==
		    EPERM || errno == EACCES) ? " (needs CAP_NET_RAW or "
		    "net.ipv4.ping_group_range)" : "");
	l->probe_failed = errno;
}

/* --- BFD --- */

static void
live_bfd_cb(struct bfd_sess *bs, enum bfd_state st, const char *why,
    void *arg)
{
	struct live	*l = arg;
	struct bfd_info	 bi;
	char		 reason[160];

	if (st == BFD_UP) {
		log_peer(l->peer, TB_LOG_INFO, "BFD up: %s", why);
		if (l->bfd_up < 0)
			peer_liveness_up(l->peer);
		l->bfd_up = 1;
		return;
	}
	if (st != BFD_DOWN || l->bfd_up != 1)
		return;
	l->bfd_up = -1;		/* was up: the next Up is a recovery */
	bfd_sess_info(bs, &bi);
	if (bi.remote_state == BFD_ADMIN_DOWN) {
		/* RFC 5882 3.2: the peer turned BFD off; the path may well
		 * work, so the session stays. */
		log_peer(l->peer, TB_LOG_INFO, "BFD: the neighbor signalled "
		    "AdminDown; not a path failure, the session stays");
		return;
	}
	snprintf(reason, sizeof(reason), "liveness: BFD: %s", why);
	peer_liveness_down(l->peer, reason);
}

static void
live_bfd_start(struct live *l)
{
	const struct peer_config	*c = l->peer->conf;
	struct bfd_opts			 o;

	if (!c->bfd || l->bfd != NULL)
		return;
	if (live_bfd_ok == -1)
		live_bfd_ok = bfd_init(live_base) == 0;
	if (!live_bfd_ok)
		return;
	memset(&o, 0, sizeof(o));
	o.min_tx_ms = c->bfd_interval;
	o.min_rx_ms = c->bfd_min_rx;
	o.multiplier = c->bfd_mult;
	l->bfd = bfd_sess_new(&c->remote, live_local(l->peer),
	    live_ifname(l->peer), &o, live_bfd_cb, l);
	if (l->bfd != NULL) {
		log_peer(l->peer, TB_LOG_INFO, "BFD %u/%u ms x %u",
		    o.min_tx_ms, o.min_rx_ms, o.multiplier);
		return;
	}
	if (l->bfd_failed != errno)
		log_peer(l->peer, TB_LOG_WARNING, "cannot start BFD: %s",
		    strerror(errno));
	l->bfd_failed = errno;
}

/* --- XFRM: the IPsec SAs of xfrm interfaces --- */

struct live_xfrm_edge {
	uint32_t	 if_id;
	int		 up;
	int		 links;		/* xfrm interfaces found */
};

/* A session over ifindex: single hop (a multihop one may have another
 * way, as in tunnel.c), last connected over it or with its neighbor on
 * a connected prefix of it now. */
static int
live_xfrm_over(const struct peer *p, int ifindex)
{
	int	 via;

	if (p->conf->multihop != 0)
		return 0;
	if (p->ifindex == ifindex)
		return 1;
	return kif_connected(live_kif, &p->conf->remote, &via) &&
	    via == ifindex;
}

static void
live_xfrm_link(const struct kif_link *l, void *arg)
{
	struct live_xfrm_edge	*e = arg;
	struct peer		*p;
	char			 why[128];

	if (strcmp(l->kind, "xfrm") != 0 || l->xfrm_if_id != e->if_id)
		return;
	e->links++;
	snprintf(why, sizeof(why), "liveness: XFRM: no IPsec SA left on %s "
	    "(if_id %u)", l->name, e->if_id);
	TAILQ_FOREACH(p, &peers, entry) {
		if (!live_xfrm_over(p, l->ifindex))
			continue;
		if (e->up)
			peer_liveness_up(p);
		else
			peer_liveness_down(p, why);
	}
}

/* "if_id N has no SA left" closes the single-hop sessions over the xfrm
 * interfaces of that if_id; "an SA again" starts them. */
static void
live_xfrm_edge(struct xfrm *x, uint32_t if_id, int up, void *arg)
{
	struct live_xfrm_edge	 e = { if_id, up, 0 };

	(void)x;
	(void)arg;
	if (live_kif != NULL)
		kif_foreach(live_kif, live_xfrm_link, &e);
	if (e.links == 0)
		log_debug("xfrm: if_id %u belongs to no xfrm interface", if_id);
}

static int
live_xfrm_local(const struct tb_addr *a, void *arg)
{
	(void)arg;
	return live_kif != NULL && kif_has_addr(live_kif, a);
}

/* --- life --- */

void
liveness_sync(void)
{
	struct live	*l;

	TAILQ_FOREACH(l, &lives, entry) {
		live_probe_start(l);
		live_bfd_start(l);
	}
}

static int
live_wanted(const struct peer *p)
{
	return p->conf->live_icmp_interval != 0 || p->conf->bfd;
}

static void
live_add(struct peer *p)
{
	struct live	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("liveness");
	l->peer = p;
	TAILQ_INSERT_TAIL(&lives, l, entry);
}

static void
live_free(struct live *l)
{
	TAILQ_REMOVE(&lives, l, entry);
	probe_free(l->probe);
	if (l->bfd != NULL)
		bfd_sess_free(l->bfd);	/* AdminDown: not a failure */
	free(l);
}

/* An interface or address came: a probe that could not start may. */
static void
live_kif_event(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	liveness_sync();
}

void
liveness_init(struct event_base *base, struct kif *kif, struct xfrm *xfrm)
{
	struct peer	*p;

	live_base = base;
	live_kif = kif;
	if (kif != NULL)
		kif_add_handler(kif, live_kif_event, NULL);
	if (xfrm != NULL) {
		xfrm_set_handler(xfrm, live_xfrm_edge, NULL);
		xfrm_set_local(xfrm, live_xfrm_local, NULL);
	}
	TAILQ_FOREACH(p, &peers, entry)
		if (live_wanted(p))
			live_add(p);
	liveness_sync();
}

/*
 * Reload: the neighbor's probe and BFD session start again with its new
 * settings (changed), or start (a new neighbor), or stop (no longer
 * asked for).  The session itself is left alone: a tunnel that does not
 * answer the new probe takes it down as any failure would.
 */
void
liveness_reconfigure(struct peer *p, int changed)
{
	struct live	*l = live_of(p);

	if (l != NULL && (changed || !live_wanted(p))) {
		live_free(l);
		l = NULL;
	}
	if (l == NULL && live_wanted(p)) {
		live_add(p);
		liveness_sync();
	}
}

void
liveness_peer_remove(struct peer *p)
{
	struct live	*l = live_of(p);

	if (l != NULL)
		live_free(l);
}

void
liveness_shutdown(void)
{
	struct live	*l;

	while ((l = TAILQ_FIRST(&lives)) != NULL)
		live_free(l);
	if (live_bfd_ok == 1)
		bfd_shutdown();
	live_bfd_ok = -1;
}
