/*
 * kernel: the FIB engine (fib.c) driven from the event loop.  Every Loc-RIB
 * entry whose selection changed is handed to kernel_route() by the RDE;
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

#include "bgpd.h"
#include "rib.h"

struct event_base;
struct fib;

/* -1 (logged) when the kernel cannot be reached: routes stay in the RIB. */
int		 kernel_init(struct event_base *, const struct bgpd_config *);
/* At SIGTERM, before the sessions close; kernel_shutdown() at exit
 * removes what was installed (unless fib retain). */
void		 kernel_closing(void);
void		 kernel_shutdown(void);
void		 kernel_reconfigure(const struct bgpd_config *);
void		 kernel_route(struct rib_entry *);
void		 kernel_flush(void);
struct fib	*kernel_fib(void);		/* NULL: not running */
/* Routes of an earlier instance found at start (adopted, kept until
 * kernel_stale_sweep() removes those nobody wants by then). */
size_t		 kernel_adopted(void);
void		 kernel_stale_sweep(void);
/* Graceful restart: SIGTERM leaves every route in the kernel. */
void		 kernel_keep_routes(void);

#endif
