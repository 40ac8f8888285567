/*
 * gr: graceful restart at the session level (RFC 4724, RFC 8538), as
 * FRR does it: the mode a neighbor runs in, the capability our OPEN
 * carries, whether a NOTIFICATION we send must be a Hard Reset, and
 * which families' paths a helper keeps when a session ends.  The paths
 * themselves are the RDE's (rde_gr.c); this file only decides, from
 * what peer.c knows of the session.
 *
 * The restart state (gr_restart_*) is this instance's: set at start
 * when the kernel still held the routes of an earlier instance, ended
 * by the RDE when every neighbor's table is in again.
 */
#ifndef TB_GR_H
#define TB_GR_H

#include <stdint.h>

#include "bgpd.h"
#include "msg.h"

/* In bgp_caps.gr_flags (the high nibble) and gr_af[].flags. */
#define GR_FLAG_R	0x80	/* Restart State */
#define GR_FLAG_N	0x40	/* RFC 8538 Notification */
#define GR_AF_F		0x80	/* Forwarding State preserved */

/* How a session left Established, as far as GR cares. */
enum gr_down {
	GR_DOWN_TCP = 0,	/* connection lost, no NOTIFICATION */
	GR_DOWN_SENT,		/* we sent a NOTIFICATION */
	GR_DOWN_RCVD,		/* the neighbor sent one */
	GR_DOWN_LIVE,		/* liveness, BFD or the link: the tunnel */
	GR_DOWN_GRACEFUL	/* our own graceful stop (restart mode) */
};

/* The mode in effect for a neighbor: its own, else the global one. */
int		 gr_mode(const struct bgpd_config *, const struct peer_config *);
const char	*gr_mode_name(int mode);
/* Restart mode anywhere (global or a neighbor's). */
int		 gr_restart_configured(const struct bgpd_config *);
/* Fill caps' GR fields for an OPEN to this neighbor (none when
 * disabled).  af: the families we activate (AID_BIT()s). */
void		 gr_caps(const struct bgpd_config *, const struct peer_config *,
		    unsigned af, struct bgp_caps *);
/* RFC 8538: both sides sent the N bit. */
int		 gr_nbit(const struct bgp_caps *sent, const struct bgp_caps *rcvd);
/* The F bit the neighbor's capability has for aid: -1 not listed. */
int		 gr_af_fbit(const struct bgp_caps *, int aid);
/* RFC 8538 5.1 (FRR's list): n becomes Cease/Hard Reset carrying the
 * original when N was negotiated and n ends the session for good.
 * Returns 1 if it did. */
int		 gr_hard_reset_wrap(const struct bgpd_config *, int nbit,
		    struct bgp_notify *n);
int		 gr_is_hard_reset(const struct bgp_notify *);
/*
 * A session of a neighbor with these capabilities ended (how, with n the
 * NOTIFICATION for GR_DOWN_SENT/RCVD): the families (AID_BIT()s) whose
 * paths the helper keeps stale, 0 for none.  *low: they rank below
 * every fresh path (liveness failover).
 */
unsigned	 gr_helper_keeps(const struct bgpd_config *,
		    const struct peer_config *, const struct bgp_caps *sent,
		    const struct bgp_caps *rcvd, enum gr_down how,
		    const struct bgp_notify *n, int *low);

/* This instance's restart.  gr_restart_begin(): the kernel held our
 * routes at start (forwarding state kept: the F bit); gr_restart_end():
 * the RDE has every table again (no more R bit). */
void		 gr_restart_begin(void);
void		 gr_restart_end(void);
int		 gr_restarting(void);
/* A session reached Established in this instance: what it installs
 * stays in the kernel across a session reset (F bit from now on). */
void		 gr_fwd_kept(void);

#endif
