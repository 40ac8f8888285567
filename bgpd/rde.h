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

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "bgpd.h"
#include "buf.h"
#include "msg.h"
#include "rib.h"

struct adjout;
struct event_base;
struct kif;
struct rde_peer;

/* kif: the interface table next hops are resolved against (NULL: all
 * usable, interfaces unknown). */
void		 rde_init(struct bgpd_config *, struct event_base *,
		    uint32_t router_id, struct kif *kif);
void		 rde_shutdown(void);
struct rib	*rde_rib(void);
const struct bgpd_config *rde_config(void);

/*
 * What the RDE needs of a neighbor's session, the only way it reaches
 * one (the session layer above gives them; owner is its own, handed
 * back): send UPDATEs built here (nmsgs of them, counted by the
 * session), the output waiting on the socket, a ROUTE-REFRESH asking
 * for the neighbor's table, and maximum-prefix tripped (after the
 * NOTIFICATION rde_update() returns, the session stays down for minutes,
 * 0: until cleared).
 */
struct rde_peer_ops {
	int	(*output)(void *owner, const struct buf *, size_t nmsgs);
	size_t	(*queued)(void *owner);
	void	(*send_rrefresh)(void *owner, int aid);
	void	(*max_prefix_down)(void *owner, unsigned int minutes);
	/* Shut down (configuration or shell): our restart waits for no
	 * table from it. */
	int	(*admin_down)(void *owner);
};

/* What an Established session negotiated, handed to rde_peer_up(). */
struct rde_session {
	struct tb_addr	 local_addr;	/* our end: next hop self */
	uint32_t	 peer_as;	/* in its OPEN (AS4 if both) */
	uint32_t	 remote_id;	/* its BGP identifier */
	unsigned int	 af_negotiated;	/* AID_BIT()s */
	int		 as4;		/* both sides 4-octet AS */
	int		 ext_msg;	/* both sides RFC 8654 */
	int		 route_refresh;	/* it takes ROUTE-REFRESH */
	int		 ifindex;	/* its interface, 0: unknown */
	int		 gr_offered;	/* either side offered graceful
					 * restart (End-of-RIB is promised) */
	unsigned int	 gr_fwd;	/* AID_BIT()s its GR capability lists
					 * with the F bit (RFC 4724 4.2) */
	uint16_t	 gr_time;	/* its restart time, seconds */
};

/* One neighbor, for its life: its settings (replaced on reload with
 * rde_peer_set_config(), before the old ones are freed). */
struct rde_peer	*rde_peer_new(const struct rde_peer_ops *, void *owner,
		    const struct peer_config *, const struct bgpd_config *);
void		 rde_peer_set_config(struct rde_peer *,
		    const struct peer_config *, const struct bgpd_config *);
/* Removed from the configuration: its paths are withdrawn first. */
void		 rde_peer_free(struct rde_peer *);

/* Session life: Established reached (send the table, End-of-RIB) and
 * left (the neighbor's paths are withdrawn at once, or those of the
 * families gr_keep kept stale for a graceful restart, ranked below every
 * fresh path if gr_low; gr.c decides). */
void		 rde_peer_up(struct rde_peer *, const struct rde_session *);
void		 rde_peer_down(struct rde_peer *, unsigned int gr_keep,
		    int gr_low);
/* A received UPDATE body.  Returns 0, or -1 with the NOTIFICATION that
 * resets the session in *err (RFC 7606 session reset, maximum-prefix). */
int		 rde_update(struct rde_peer *, struct buf *body,
		    struct bgp_notify *err);
/* ROUTE-REFRESH received: send the Adj-RIB-Out for aid again. */
void		 rde_refresh(struct rde_peer *, enum aid);
/* The session's output drained: send more of what waits. */
void		 rde_peer_writable(struct rde_peer *);
/* Soft reconfiguration (policy changed): in re-applies inbound policy
 * to what is kept, out re-evaluates every export to the neighbor. */
void		 rde_soft_in(struct rde_peer *);
void		 rde_soft_out(struct rde_peer *);
/* network and redistribute against the kernel's routes. */
void		 rde_networks_sync(void);

/* Reload: the configuration and our identity are now these (best path
 * options, origination; every change exported in this turn);
 * soft-reconfiguration inbound changed on a neighbor.
 * rde_soft_in_possible(): 0 when an inbound policy change cannot be
 * applied without a reset (no copy of the routes as received and no
 * ROUTE-REFRESH capability). */
void		 rde_reconfigure(struct bgpd_config *, uint32_t router_id);
void		 rde_peer_reconf(struct rde_peer *);
int		 rde_soft_in_possible(const struct rde_peer *);

/* Restart: the kernel held `adopted` routes of an earlier instance at
 * start; they stay until every neighbor's table is in, and with graceful
 * restart (restart mode) the Loc-RIB's changes wait until then too.
 * rde_closing(): SIGTERM, nothing more is exported or installed. */
void		 rde_restart_begin(size_t adopted);
void		 rde_closing(void);
/* Stale paths of a neighbor for show (rde_gr.h), NULL: none. */
struct gr_stale	*rde_peer_gr(const struct rde_peer *);

/* For show commands. */
struct rib_src	*rde_peer_src(struct rde_peer *);	/* NULL: never up */
struct adjout	*rde_peer_adjout(const struct rde_peer *, enum aid);
struct rib_src	*rde_local_src(void);
/* Why a neighbor accepts or sends nothing (RFC 8212), or NULL. */
const char	*rde_policy_missing(const struct rde_peer *, int out);

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
const struct rde_stats *rde_peer_stats(const struct rde_peer *); /* NULL: never up */

#endif
