/*
 * rde_gr: graceful restart in the RIB (RFC 4724).
 *
 * Helper role, per neighbor (struct gr_stale): when a session ends the
 * way gr.c says a restart does, its paths of the families the neighbor
 * listed stay in the RIB flagged PATH_STALE (still selected, installed
 * and exported); those it sends again are fresh; the rest go at its
 * End-of-RIB for that family, or when the neighbor is not back within
 * the Restart Time it advertised, or after stalepath-time in any case.
 *
 * Restart (our own): at start the kernel still held routes of an earlier
 * instance.  Until every graceful restart neighbor's table is in
 * (End-of-RIB from each, FRR's select-defer-time at most) the RDE may
 * defer its Loc-RIB changes (restart mode); the adopted kernel routes
 * nobody wanted go only once every neighbor's table is in.
 */
#ifndef TB_RDE_GR_H
#define TB_RDE_GR_H

#include <stdint.h>

#include "bgpd.h"
#include "rib.h"

struct event_base;
struct gr_stale;

/* The stale paths of one source; conf points at where the neighbor's
 * settings are kept (they change on reload), for its log lines;
 * changed() exports what a sweep changed. */
struct gr_stale	*gr_stale_new(struct event_base *, struct rib *,
		    struct rib_src *, const struct peer_config *const *conf,
		    void (*changed)(void));
void		 gr_stale_free(struct gr_stale *);
/* The session ended: keep (AID_BIT()s) stale, flush the other families.
 * restart_time: the neighbor's; stalepath: ours (seconds). */
void		 gr_stale_down(struct gr_stale *, unsigned keep, int low,
		    uint16_t restart_time, uint16_t stalepath);
/* Established again: the families in keep wait for End-of-RIB, the
 * others' stale paths go now (RFC 4724 4.2: the new capability lacks
 * the family or its F bit). */
void		 gr_stale_up(struct gr_stale *, unsigned keep);
void		 gr_stale_eor(struct gr_stale *, int aid);
/* What show bgp neighbors says: timers left (-1: not running). */
struct gr_stale_info {
	unsigned	 families;	/* AID_BIT()s with stale paths */
	long		 restart_left;	/* seconds */
	long		 stale_left;
};
void		 gr_stale_info(const struct gr_stale *, struct gr_stale_info *);

/*
 * Our restart, in two steps.  progress(elapsed) says how far the
 * neighbors' tables are, elapsed seconds after start: GR_TABLES_SELECT
 * once every neighbor that offered graceful restart has sent End-of-RIB
 * (RFC 4724: the deferral may end), GR_TABLES_ALL once every neighbor
 * has (the adopted kernel routes nobody wanted may go).  select() runs
 * once at the first (or at max seconds), sweep() once at the second (or
 * at max); it is asked again at gr_defer_check() and once a second.
 * defer: the Loc-RIB's changes wait until select() (restart mode).
 */
#define GR_TABLES_NONE		0
#define GR_TABLES_SELECT	1
#define GR_TABLES_ALL		2
void		 gr_defer_begin(struct event_base *, uint32_t max_seconds,
		    int defer, int (*progress)(uint32_t elapsed),
		    void (*select)(const char *why),
		    void (*sweep)(const char *why));
int		 gr_deferring(void);	/* changes wait */
int		 gr_defer_running(void);	/* tables still coming */
void		 gr_defer_check(void);
uint32_t	 gr_defer_elapsed(void);
void		 gr_defer_end(void);	/* shutdown: stop the timers */

#endif
