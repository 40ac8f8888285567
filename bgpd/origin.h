/*
 * origin: routes tbgpd originates (network, redistribute), kept in line
 * with the kernel's main routing table (see origin.c).
 */
#ifndef TB_ORIGIN_H
#define TB_ORIGIN_H

#include <stdint.h>

#include "bgpd.h"
#include "rib.h"

/* Read the kernel's routes and update local's paths; the caller drains
 * the RIB's change queue afterwards.  now: monotonic seconds. */
void	 origin_sync(struct rib *, struct rib_src *local,
	    const struct bgpd_config *, uint32_t now);
void	 origin_free(void);
/* Reload: withdraw the networks old had and new has not (origin_sync
 * with new does the rest; redistributed routes follow by themselves). */
void	 origin_reconfigure(struct rib *, struct rib_src *local,
	    const struct bgpd_config *old, const struct bgpd_config *new);

#endif
