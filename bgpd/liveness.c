/*
 * liveness: probes and BFD sessions per neighbor (see liveness.h).
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"
#include "liveness.h"
#include "log.h"
#include "peer.h"
#include "session.h"
#include "track.h"
#include "xfrm.h"

struct live {
	TAILQ_ENTRY(live)	 entry;
	struct peer		*peer;
	struct track_ref	*icmp;
	struct track_ref	*bfd;
	int			 icmp_down;	/* it said down last */
	int			 bfd_down;	/* it went down after up */
};

static TAILQ_HEAD(, live) lives = TAILQ_HEAD_INITIALIZER(lives);
static const struct kif		*live_kif;	/* NULL: not followed */
static struct xfrm		*live_xfrm;	/* NULL: not followed */

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

	return l != NULL && l->icmp != NULL ? track_probe(l->icmp) : NULL;
}

const struct bfd_sess *
liveness_bfd(const struct peer *p)
{
	const struct live	*l = live_of(p);

	return l != NULL && l->bfd != NULL ? track_bfd(l->bfd) : NULL;
}

/* What the neighbor's tracking is keyed on: its address, reached over
 * the configured interface or the one with a connected prefix holding
 * it, from its update-source. */
static void
live_key(const struct peer *p, enum track_kind kind, struct track_key *k)
{
	const struct peer_config	*c = p->conf;

	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->dst = c->remote;
	if (addr_isset(&c->local))
		k->src = c->local;
	strlcpy(k->ifname, c->local_ifname, sizeof(k->ifname));
	if (kind == TRACK_ICMP) {
		k->icmp.interval_ms = c->live_icmp_interval;
		k->icmp.multiplier = c->live_icmp_mult;
		k->icmp.up_count = c->live_icmp_up;
	} else {
		k->bfd.min_tx_ms = c->bfd_interval;
		k->bfd.min_rx_ms = c->bfd_min_rx;
		k->bfd.multiplier = c->bfd_mult;
	}
}

/* --- ICMP probes --- */

static void
live_icmp_cb(struct track_ref *r, enum track_state st, const char *why,
    void *arg)
{
	struct live	*l = arg;
	char		 reason[192];

	(void)r;
	if (st == TRACK_DOWN) {
		l->icmp_down = 1;
		snprintf(reason, sizeof(reason), "liveness: ICMP: %s", why);
		peer_liveness_down(l->peer, reason);
		return;
	}
	if (st != TRACK_UP)
		return;
	log_peer(l->peer, TB_LOG_INFO, "ICMP probe up: %s", why);
	if (l->icmp_down) {
		l->icmp_down = 0;
		peer_liveness_up(l->peer);
	}
}

/* --- BFD --- */

static void
live_bfd_cb(struct track_ref *r, enum track_state st, const char *why,
    void *arg)
{
	struct live	*l = arg;
	char		 reason[192];

	(void)r;
	if (st == TRACK_UP) {
		log_peer(l->peer, TB_LOG_INFO, "BFD up: %s", why);
		if (l->bfd_down)
			peer_liveness_up(l->peer);
		l->bfd_down = 0;
		return;
	}
	if (st != TRACK_DOWN)
		return;
	l->bfd_down = 1;	/* the next Up is a recovery */
	snprintf(reason, sizeof(reason), "liveness: BFD: %s", why);
	peer_liveness_down(l->peer, reason);
}

static void
live_start(struct live *l)
{
	const struct peer_config	*c = l->peer->conf;
	struct track_key		 k;

	if (c->live_icmp_interval != 0 && l->icmp == NULL) {
		live_key(l->peer, TRACK_ICMP, &k);
		l->icmp = track_new(&k, live_icmp_cb, l);
	}
	if (c->bfd && l->bfd == NULL) {
		live_key(l->peer, TRACK_BFD, &k);
		l->bfd = track_new(&k, live_bfd_cb, l);
	}
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
	live_start(l);
}

static void
live_free(struct live *l)
{
	TAILQ_REMOVE(&lives, l, entry);
	track_free(l->icmp);
	track_free(l->bfd);	/* the last client: AdminDown, no failure */
	free(l);
}

void
liveness_init(struct kif *kif, struct xfrm *xfrm)
{
	struct peer	*p;

	live_kif = kif;
	live_xfrm = xfrm;
	if (xfrm != NULL) {
		xfrm_add_handler(xfrm, live_xfrm_edge, NULL);
		xfrm_set_local(xfrm, live_xfrm_local, NULL);
	}
	TAILQ_FOREACH(p, &peers, entry)
		if (live_wanted(p))
			live_add(p);
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
	if (l == NULL && live_wanted(p))
		live_add(p);
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
	if (live_xfrm != NULL)
		xfrm_remove_handler(live_xfrm, live_xfrm_edge, NULL);
	live_xfrm = NULL;
	live_kif = NULL;
}
