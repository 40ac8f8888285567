/*
 * rde: the route decision engine, between the sessions and the RIB.
 *
 * An UPDATE from an Established neighbor is parsed (update.c), each
 * prefix goes through loop detection, inbound filters and route-map
 * (policy.c) into the RIB (rib.c); when the message is done, every
 * entry whose selection changed is exported: for each other Established
 * neighbor the eBGP export rules and outbound policy give the attribute
 * set it should have, and its Adj-RIB-Out (adjout.c) sends the
 * difference as the socket drains.  Everything for one message happens
 * in the same event-loop turn.
 */
#ifndef TB_RDE_H
#define TB_RDE_H

#include <stdint.h>

#include "bgpd.h"
#include "buf.h"
#include "msg.h"
#include "rib.h"

struct peer;
struct adjout;

struct event_base;

void		 rde_init(struct bgpd_config *, struct event_base *,
		    uint32_t router_id);
void		 rde_shutdown(void);
struct rib	*rde_rib(void);
const struct bgpd_config *rde_config(void);

/* Session life: Established reached (send the table, End-of-RIB) and
 * left (the neighbor's paths are withdrawn at once). */
void		 rde_peer_up(struct peer *);
void		 rde_peer_down(struct peer *);
/* A received UPDATE body.  Returns 0, or -1 with the NOTIFICATION that
 * resets the session in *err (RFC 7606 session reset, maximum-prefix). */
int		 rde_update(struct peer *, struct buf *body,
		    struct bgp_notify *err);
/* ROUTE-REFRESH received: send the Adj-RIB-Out for aid again. */
void		 rde_refresh(struct peer *, enum aid);
/* The session's output drained: send more of what waits. */
void		 rde_peer_writable(struct peer *);
/* Soft reconfiguration (policy changed): in re-applies inbound policy
 * to what is kept, out re-evaluates every export to the neighbor. */
void		 rde_soft_in(struct peer *);
void		 rde_soft_out(struct peer *);
/* network and redistribute against the kernel's routes; the kernel
 * reported another protocol's route changing (read again soon). */
void		 rde_networks_sync(void);
void		 rde_kernel_routes_changed(void);

/* Reload: the configuration and our identity are now these (best path
 * options, origination; every change exported in this turn); a removed
 * neighbor's RDE state goes (its paths withdrawn); soft-reconfiguration
 * inbound changed on a neighbor.  rde_soft_in_possible(): 0 when an
 * inbound policy change cannot be applied without a reset (no copy of
 * the routes as received and no ROUTE-REFRESH capability). */
void		 rde_reconfigure(struct bgpd_config *, uint32_t router_id);
void		 rde_peer_free(struct peer *);
void		 rde_peer_reconf(struct peer *);
int		 rde_soft_in_possible(const struct peer *);

/* Restart: the kernel held `adopted` routes of an earlier instance at
 * start; they stay until every neighbor's table is in, and with graceful
 * restart (restart mode) the Loc-RIB's changes wait until then too.
 * rde_closing(): SIGTERM, nothing more is exported or installed. */
void		 rde_restart_begin(size_t adopted);
void		 rde_closing(void);
/* Stale paths of a neighbor for show (rde_gr.h), NULL: none. */
struct gr_stale	*rde_peer_gr(const struct peer *);

/* For show commands. */
struct rib_src	*rde_peer_src(const struct peer *);	/* NULL: never up */
struct adjout	*rde_peer_adjout(const struct peer *, enum aid);
struct rib_src	*rde_local_src(void);
/* Why a neighbor accepts or sends nothing (RFC 8212), or NULL. */
const char	*rde_policy_missing(const struct peer *, int out);

/* Per neighbor counters kept by the RDE. */
struct rde_stats {
	uint64_t	 updates_in;
	uint64_t	 prefixes_in;		/* announced, before policy */
	uint64_t	 withdraws_in;
	uint64_t	 denied_in;		/* by policy or loop */
	uint64_t	 treat_as_withdraw;	/* RFC 7606 */
	uint64_t	 attr_discard;
	int		 eor_rcvd[AID_MAX];
	int		 eor_sent[AID_MAX];
};
const struct rde_stats *rde_peer_stats(const struct peer *);

#endif
