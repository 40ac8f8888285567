/*
 * sroute: tbgpd's static routes (`ip route`, `ipv6 route`), switched by
 * the liveness of their next hops; tbgpd(8) STATIC ROUTES.
 *
 * Beside the RDE and above the FIB engine.  Each configured route is one
 * next hop of a prefix at one distance.  A next hop is usable while its
 * interface is (up, with carrier, with the address that makes the next
 * hop connected, with an IPsec SA where it is an XFRM interface) and its
 * tracking says up (`liveness icmp`: ICMP echo probes to the next hop or
 * to a target behind it; `bfd`: an RFC 5881 session to the next hop).
 * Per prefix the usable next hops of the lowest distance go on as one
 * candidate (several of them: a multipath route) to rtsel.c, where BGP
 * competes by distance.
 *
 * Damping: a probe is up again only after `up` replies in a row (BFD has
 * its own three-way handshake); with `failback-delay S` a next hop that
 * comes back is held for S seconds: it is used only if nothing else of
 * the prefix is usable, so traffic stays on the backup until the
 * repaired tunnel has stayed up.
 *
 * A tracked next hop starts "pending" (no verdict yet) and does not
 * count until its tracking answers or the start-up window passes
 * (sroute_window_ms()).  Until every first verdict is in, a prefix whose
 * best next hop is still pending is left as the kernel has it, and the
 * FIB engine keeps static routes an earlier tbgpd left behind: a restart
 * neither deletes them nor flaps them over to the backup.
 *
 * The engine (sroute_new ... sroute_walk) has no socket and no clock:
 * the daemon (sroute_init) gives it the interface table, the tracking
 * and rtsel through struct sroute_ops, and the unit tests their own.
 */
#ifndef TB_SROUTE_H
#define TB_SROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "bgpd.h"
#include "fib.h"

enum sroute_state {
	SR_UP,		/* usable */
	SR_HELD,	/* back up, waiting out its failback-delay */
	SR_PENDING,	/* its tracking has not answered yet */
	SR_DOWN		/* not usable: see why */
};

/* What a tracking reports (track.c's answer, reduced). */
enum sroute_trk {
	SR_TRK_NONE,	/* no tracking configured */
	SR_TRK_PENDING,	/* no verdict yet */
	SR_TRK_UP,
	SR_TRK_DOWN
};

struct sroute;
struct sroute_nh;

struct sroute_ops {
	/*
	 * Where sc's next hop goes now: 1 with *ifindex (0 for a blackhole
	 * or reject route, or when nothing can tell), or 0 with why: the
	 * interface is missing or down, the gateway is not on a connected
	 * prefix, the XFRM interface has no SA.
	 */
	int	(*resolve)(const struct static_config *sc, uint32_t *ifindex,
		    char *why, size_t whylen, void *arg);
	/* The prefix's candidate (r NULL: none) at distance. */
	void	(*install)(const struct tb_prefix *p,
		    const struct fib_route *r, uint8_t distance, void *arg);
	/* Start tracking nh as sc says over ifindex (may be 0: not known
	 * yet); the answers come back through sroute_track(). */
	void	(*track_start)(struct sroute_nh *nh,
		    const struct static_config *sc, void *arg);
	void	(*track_stop)(struct sroute_nh *nh, void *arg);
	/* Every first verdict is in: the static routes an earlier tbgpd
	 * left in the kernel may go now. */
	void	(*settled)(void *arg);
	void	*arg;
};

struct sroute	*sroute_new(const struct sroute_ops *);
void		 sroute_free(struct sroute *);
/*
 * The configured routes (at start, and at each reload): routes that stay
 * keep their state and are not touched; new ones start, removed ones go,
 * changed options apply (a changed tracking starts again, keeping the
 * next hop's state until its first verdict).  now: monotonic ms.
 */
void		 sroute_configure(struct sroute *, const struct static_head *,
		    uint64_t now);
/* Interfaces, addresses or IPsec SAs changed: resolve every next hop. */
void		 sroute_recheck(struct sroute *, uint64_t now);
/* nh's tracking says st (why: the probe's or BFD's words). */
void		 sroute_track(struct sroute *, struct sroute_nh *,
		    enum sroute_trk st, const char *why, uint64_t now);
/* When sroute_expire() is due (monotonic ms; 0: nothing waits):
 * failback-delay holds and start-up windows ending. */
uint64_t	 sroute_next_expiry(const struct sroute *);
void		 sroute_expire(struct sroute *, uint64_t now);
/* The start-up window of a tracking: how long a first verdict may take
 * before the next hop counts as down. */
uint32_t	 sroute_window_ms(const struct static_config *);
/* The tracking handle the daemon keeps with a next hop. */
void		 sroute_nh_set_cookie(struct sroute_nh *, void *);
void		*sroute_nh_cookie(const struct sroute_nh *);
int		 sroute_settled(const struct sroute *);

/* One next hop for show, in configuration order within its prefix. */
struct sroute_nh_info {
	const struct static_config *conf;
	enum sroute_state state;
	enum sroute_trk	 trk;
	const char	*why;		/* of the last change */
	const char	*trk_why;	/* the tracking's last words */
	uint64_t	 since;		/* monotonic ms of the last change */
	uint64_t	 held_until;	/* SR_HELD: until when */
	uint32_t	 ifindex;	/* where it resolved, 0 */
	int		 selected;	/* in the prefix's candidate */
	uint64_t	 ups, downs;	/* transitions to and from SR_UP */
	void		*cookie;
};
struct sroute_pfx_info {
	struct tb_prefix prefix;
	uint8_t		 distance;	/* of the candidate, 0: none */
	size_t		 nselected;
	size_t		 nnh;
};
/* Every prefix in address order, then each of its next hops. */
void		 sroute_walk(const struct sroute *,
		    void (*pfx)(const struct sroute_pfx_info *, void *),
		    void (*nh)(const struct sroute_pfx_info *,
		    const struct sroute_nh_info *, void *), void *arg);
const char	*sroute_state_name(enum sroute_state);
size_t		 sroute_count(const struct sroute *);	/* next hops */

/*
 * The daemon: the engine on the interface table and the XFRM monitor
 * (the daemon's, either may be NULL: not followed; their changes are
 * heard through kif_add_handler() and xfrm_add_handler()), the tracking
 * (track.c) and the kernel (kernel_static()).  sroute_init() after
 * kernel_init(); a configuration without static routes costs nothing.
 */
struct event_base;
struct kif;
struct xfrm;
void		 sroute_init(struct event_base *, const struct bgpd_config *,
		    struct kif *, struct xfrm *);
void		 sroute_reconfigure(const struct bgpd_config *);
void		 sroute_shutdown(void);
struct sroute	*sroute_running(void);	/* NULL: not started */
/* The daemon's ops.resolve on an interface table and SA engine of its
 * own (NULL: none, everything taken as usable): the unit tests'. */
struct kif;
struct xfrm;
int		 sroute_resolve(const struct kif *, const struct xfrm *,
		    const struct static_config *, uint32_t *ifindex,
		    char *why, size_t whylen);
/* The tracking of a next hop shown by sroute_walk() (NULL: none). */
struct track_ref;
const struct track_ref *sroute_nh_track(const struct sroute_nh_info *);
uint64_t	 sroute_now(void);	/* the daemon's clock, monotonic ms */

#endif
