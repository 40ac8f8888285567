/*
 * nexthop: whether a path's BGP next hop can be used.
 *
 * RFC 4271 9.1.2.1: a route whose NEXT_HOP cannot be resolved is not
 * eligible.  With tunnels this decides more than it seems: a gateway may
 * announce a third-party next hop, an address may be removed from a
 * tunnel interface, a multihop peer's next hop may lose its kernel route.
 * Such a path stays in the RIB (shown, and ready for the moment the next
 * hop comes back) but is never selected, so the kernel route stays on
 * the backup tunnel instead of pointing at a next hop it cannot reach.
 *
 * The rules, as BIRD ("gateway direct" for single-hop eBGP, "recursive"
 * otherwise) and FRR (next-hop tracking, connected check) apply them:
 *   - a neighbor without ebgp-multihop/ttl-security hops > 1: the next
 *     hop must be on a connected prefix of a usable interface (up, with
 *     carrier);
 *   - a multihop neighbor: connected as above, or covered by a kernel
 *     route in the main table that is not tbgpd's own (no next hop
 *     resolved over BGP) and not the default route (FRR's default);
 *   - an IPv6 link-local next hop: the neighbor's interface is usable.
 * Locally originated paths have no next hop to check.  Without the
 * interface monitor (kif could not open its socket) every next hop is
 * taken as usable: nothing could tell.
 *
 * Answers are cached per distinct next hop.  Link and address events,
 * the kernel's route events and the periodic scan call nexthop_check():
 * on the next event-loop turn (after the current failover has reached
 * the kernel) every cached next hop is resolved again and, only if an
 * answer changed, the RIB is walked and the paths re-decided.
 */
#ifndef TB_NEXTHOP_H
#define TB_NEXTHOP_H

#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "rib.h"

struct event_base;
struct kif;

/* What to re-check: the kernel's routes changed (only next hops resolved
 * over them), or interfaces and addresses did (all). */
#define NH_CHECK_ROUTES		0x01
#define NH_CHECK_ALL		0x03

/* A rib_resolve_fn (arg unused): RIB_NH_USABLE or RIB_NH_UNUSABLE.  The
 * RDE's resolver calls it and adds failback-delay. */
int		 nexthop_usable(const struct rib_src *, const struct attr *,
		    void *arg);
/* changed() runs after a walk re-decided paths (the RDE exports); kif
 * is the interface table the rules ask (NULL: every next hop is
 * usable), whose changes are followed from here on. */
void		 nexthop_init(struct event_base *, struct rib *, struct kif *,
		    void (*changed)(void));
void		 nexthop_shutdown(void);
void		 nexthop_check(int what);

/* For "show bgp nexthop": every next hop known, with its answer. */
struct nexthop_info {
	struct tb_addr	 addr;
	int		 kind;		/* NH_KIND_* */
	int		 usable;
	int		 ifindex;	/* where it resolved, 0 unknown */
	struct tb_prefix via;		/* recursive: the kernel route */
};
#define NH_KIND_DIRECT		0	/* connected only */
#define NH_KIND_RECURSIVE	1	/* connected or a kernel route */
#define NH_KIND_LINKLOCAL	2	/* the neighbor's interface */

void		 nexthop_walk(void (*fn)(const struct nexthop_info *, void *),
		    void *arg);

struct nexthop_stats {
	size_t		 cached;	/* distinct next hops known */
	uint64_t	 checks;	/* re-checks run */
	uint64_t	 walks;		/* RIB walks after a changed answer */
	uint64_t	 lookups;	/* kernel route lookups */
};
void		 nexthop_stats(struct nexthop_stats *);

/* The rule itself, without cache or sockets (unit tests): kif may be
 * NULL (usable); lookup answers the kernel route question for recursive
 * next hops (kroute_get() in the daemon). */
struct kroute;
int		 nexthop_resolve(const struct kif *, int kind,
		    const struct tb_addr *, int ifindex,
		    int (*lookup)(const struct tb_addr *, struct kroute *),
		    int *via_ifindex, struct tb_prefix *via);

#endif
