/*
 * origin: routes tbgpd originates (network, redistribute), kept in line
 * with the kernel's main routing table (see origin.c).
 */
#ifndef TB_ORIGIN_H
#define TB_ORIGIN_H

#include <stdint.h>

#include "bgpd.h"
#include "rib.h"

struct rtsel;

/* Read the kernel's routes and update local's paths; the caller drains
 * the RIB's change queue afterwards.  sel: the static routes (rtsel.h),
 * may be NULL.  now: monotonic seconds. */
void	 origin_sync(struct rib *, struct rib_src *local,
	    const struct bgpd_config *, const struct rtsel *sel, uint32_t now);
/* The static routes changed: networks and redistribute static again,
 * without reading the kernel. */
void	 origin_statics(struct rib *, struct rib_src *local,
	    const struct bgpd_config *, const struct rtsel *sel, uint32_t now);
void	 origin_free(void);
/* Reload: withdraw the networks old had and new has not (origin_sync
 * with new does the rest; redistributed routes follow by themselves). */
void	 origin_reconfigure(struct rib *, struct rib_src *local,
	    const struct bgpd_config *old, const struct bgpd_config *new);

#endif
