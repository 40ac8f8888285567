/*
 * kernel: the FIB engine (fib.c) driven from the event loop.  Every Loc-RIB
 * entry whose selection changed is handed to kernel_route() by the RDE,
 * as a prefix and its next hops (none: remove it), and every static
 * route change to kernel_static() by sroute.c; the two meet in rtsel.c,
 * which picks one per prefix by distance;
 * kernel_flush() writes what is queued, in batches, on the request
 * socket; acknowledgements and the kernel's own route events come back on
 * two sockets and repair what the kernel lost.  At start a dump finds
 * what an earlier instance left (protocol 186 in our table): adopted,
 * kept until the RDE has every neighbor's table again, then whatever
 * nobody wants is removed; at exit what tbgpd installed is removed
 * unless `fib retain` or a graceful restart.
 */
#ifndef TB_KERNEL_H
#define TB_KERNEL_H

#include <stddef.h>

#include "addr.h"
#include "bgpd.h"
#include "fib.h"

struct event_base;
struct fib;

/* -1 (logged) when the kernel cannot be reached: routes stay in the RIB. */
int		 kernel_init(struct event_base *, const struct bgpd_config *);
/* At SIGTERM, before the sessions close; kernel_shutdown() at exit
 * removes what was installed (unless fib retain). */
void		 kernel_closing(void);
void		 kernel_shutdown(void);
void		 kernel_reconfigure(const struct bgpd_config *);
/* The Loc-RIB's selection for p, BGP's candidate: its next hops (none:
 * no route). */
void		 kernel_route(const struct tb_prefix *, const struct fib_nh *,
		    size_t n);
/* The static routes' candidate for p (NULL: none): sroute.c. */
struct fib_route;
void		 kernel_static(const struct tb_prefix *p,
		    const struct fib_route *r, uint8_t distance);
/* The static routes have their first verdicts (fib_static_settled()). */
void		 kernel_statics_settled(void);
void		 kernel_flush(void);
struct fib	*kernel_fib(void);		/* NULL: not running */
/* Static routes against BGP by distance (rtsel.h), in front of the FIB
 * engine; there even without fib install, for show and origination. */
struct rtsel	*kernel_rtsel(void);
/* Another protocol's routes changed in the kernel (next hops may resolve
 * over them, network and redistribute follow them): fn(arg) hears of it,
 * once per batch of events.  The RDE registers it. */
void		 kernel_on_routes_changed(void (*fn)(void *), void *arg);
/* Routes of an earlier instance found at start (adopted, kept until
 * kernel_stale_sweep() removes those nobody wants by then). */
size_t		 kernel_adopted(void);
void		 kernel_stale_sweep(void);
/* Graceful restart: SIGTERM leaves every route in the kernel. */
void		 kernel_keep_routes(void);

#endif
