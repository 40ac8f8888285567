/*
 * tunnel: what the tunnel interfaces tell the sessions (BIRD's "check
 * link", FRR's fast-external-failover).  The kernel's interfaces and
 * addresses are followed with kif.c; a single-hop session whose
 * interface loses carrier or goes down, or whose local address is
 * removed, is closed at once instead of waiting out the hold timer, and a
 * session waiting to reconnect is started again as soon as its interface
 * is usable.
 */
#ifndef TB_TUNNEL_H
#define TB_TUNNEL_H

#include "kif.h"

struct event_base;
struct kif;
struct peer;

/* Open the interface monitor; -1 (logged) when it cannot: sessions then
 * rely on their hold timers alone. */
int		 tunnel_init(struct event_base *);
void		 tunnel_shutdown(void);
struct kif	*tunnel_kif(void);		/* NULL when not running */
/* The interface holding the session's local address (peer.c calls it
 * when a connection is recorded): its index, 0 if unknown. */
int		 tunnel_ifindex(const struct peer *);
/* Hear of every link and address transition too (static routes, the
 * tracking), after the sessions: fn runs with kif's new state and must
 * not feed it events. */
void		 tunnel_subscribe(kif_handler fn, void *arg);
void		 tunnel_unsubscribe(kif_handler fn, void *arg);

#endif
