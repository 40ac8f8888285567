/*
 * ctl_gr: the graceful restart part of show bgp neighbors, as FRR lays
 * it out ("Graceful restart information:" and JSON gracefulRestartInfo):
 * the modes of both sides, the R and N bits, the timers, End-of-RIB per
 * family, and what tbgpd keeps stale for the neighbor now.
 */
#ifndef TB_CTL_GR_H
#define TB_CTL_GR_H

#include "bgpd.h"
#include "buf.h"
#include "json.h"

struct peer;
struct gr_stale;

struct show_gr_af {
	int		 aid;
	int		 fbit;		/* the neighbor's F bit */
	int		 eor_sent, eor_rcvd;
	uint32_t	 stale;		/* paths kept stale now */
};

struct show_gr {
	int		 local_mode;	/* GR_HELPER, GR_RESTART, GR_DISABLE */
	int		 inherited;	/* from the global mode (FRR's '*') */
	const char	*remote_mode;	/* "NotApplicable" when not known */
	int		 rbit, nbit;	/* as received */
	uint16_t	 conf_restart;
	uint16_t	 rcvd_restart;
	uint16_t	 stalepath;
	long		 restart_left;	/* -1: the timer is not running */
	long		 stale_left;
	int		 restarting;	/* our own restart is under way */
	struct show_gr_af af[AID_MAX];
	int		 naf;
};

void	show_gr_fill(struct show_gr *, const struct peer *,
	    const struct gr_stale *);
void	show_gr_text(struct buf *, const struct show_gr *);
void	show_gr_json(struct json *, const struct show_gr *);

#endif
