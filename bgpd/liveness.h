/*
 * liveness: the ICMP probes and BFD sessions of the neighbors that ask
 * for them, and the IPsec SAs of XFRM interfaces (xfrm.c), tied to their
 * BGP sessions; the probe and BFD engines are track.c's, shared with the
 * static routes' tracking.
 *
 * A probe or BFD session belongs to the configured neighbor, not to one
 * BGP session: it runs while the session is down too, because it is what
 * tells that the tunnel works again.  It goes down -> peer_liveness_down()
 * closes the session at once (the routes move to the backup tunnel in
 * the same turn); it comes back up -> peer_liveness_up() connects now.
 * A probe that never had a reply, or a BFD session that never came up,
 * never takes a session down (the peer may simply not answer), and a BFD
 * AdminDown from the peer is not a path failure (RFC 5882 3.2).
 *
 * Probes go over the tunnel interface that holds the neighbor's address
 * (or update-source IFNAME); one that cannot be started yet (no such
 * interface, address not configured) is retried on every interface or
 * address event.
 *
 * An XFRM interface's if_id that has no SA left (the IKE daemon gave up,
 * an SA hard-expired without a successor) closes the single-hop sessions
 * over the xfrm interfaces of that if_id with peer_liveness_down(); an
 * SA again calls peer_liveness_up().
 */
#ifndef TB_LIVENESS_H
#define TB_LIVENESS_H

struct event_base;
struct peer;

/* After track_init() and peer_init().  The interface table and the SA
 * monitor the daemon opened (either may be NULL: not followed). */
struct kif;
struct xfrm;
void		 liveness_init(struct kif *, struct xfrm *);
void		 liveness_shutdown(void);
/* Reload: a neighbor's probe/BFD settings changed (or it is new): start
 * what it asks for now; one removed from the configuration: free its
 * probe and BFD session before the peer goes. */
void		 liveness_reconfigure(struct peer *, int changed);
void		 liveness_peer_remove(struct peer *);

/* For show bgp neighbors. */
struct probe;
struct bfd_sess;
const struct probe	*liveness_probe(const struct peer *);
const struct bfd_sess	*liveness_bfd(const struct peer *);

#endif
