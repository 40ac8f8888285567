/*
 * tunnel: what the tunnel interfaces tell the sessions (BIRD's "check
 * link", FRR's fast-external-failover).  The kernel's interfaces and
 * addresses are the daemon's interface table (kif.c, owned by tbgpd.c);
 * this module hears its changes: a single-hop session whose interface
 * loses carrier or goes down, or whose local address is removed, is
 * closed at once instead of waiting out the hold timer, and a session
 * waiting to reconnect is started again as soon as its interface is
 * usable.
 */
#ifndef TB_TUNNEL_H
#define TB_TUNNEL_H

struct kif;

/* Follow the interface table's changes (nothing when k is NULL: the
 * interface monitor could not start, and sessions rely on their hold
 * timers alone). */
void		 tunnel_init(struct kif *k);

#endif
