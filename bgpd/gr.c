/*
 * gr: graceful restart decisions at the session level (see gr.h).
 */
#include "config.h"

#include <string.h>

#include "gr.h"
#include "update.h"

static struct {
	int	 restarting;	/* R bit: this instance restarted */
	int	 fwd_kept;	/* F bit: forwarding state is preserved */
} gr;

int
gr_mode(const struct bgpd_config *bc, const struct peer_config *pc)
{
	if (pc != NULL && pc->gr_mode != GR_INHERIT)
		return pc->gr_mode;
	return bc->gr_mode != GR_INHERIT ? bc->gr_mode : GR_HELPER;
}

int
gr_restart_configured(const struct bgpd_config *bc)
{
	const struct peer_config	*pc;

	if (bc->gr_mode == GR_RESTART)
		return 1;
	TAILQ_FOREACH(pc, &bc->peers, entry)
		if (pc->gr_mode == GR_RESTART)
			return 1;
	return 0;
}

const char *
gr_mode_name(int mode)
{
	switch (mode) {
	case GR_RESTART:
		return "Restart";
	case GR_DISABLE:
		return "Disable";
	default:
		return "Helper";
	}
}

/*
 * Helper mode: the capability with no family (we keep a restarting
 * neighbor's routes, ours are not kept).  Restart mode: every family we
 * activate, with F when forwarding state is preserved: the kernel kept
 * what an earlier instance installed, or a session of this instance
 * was up (a session reset does not touch the kernel), or
 * preserve-fw-state says so whatever happened (FRR's meaning).
 */
void
gr_caps(const struct bgpd_config *bc, const struct peer_config *pc,
    unsigned af, struct bgp_caps *c)
{
	int	 mode = gr_mode(bc, pc), aid;
	uint8_t	 f;

	c->gr = 0;
	c->gr_naf = 0;
	c->gr_flags = 0;
	if (mode == GR_DISABLE)
		return;
	c->gr = 1;
	c->gr_time = bc->gr_restart_time & 0x0fff;
	if (bc->gr_notification)
		c->gr_flags |= GR_FLAG_N;
	if (mode != GR_RESTART)
		return;
	if (gr.restarting)
		c->gr_flags |= GR_FLAG_R;
	f = bc->gr_preserve_fw || gr.fwd_kept ? GR_AF_F : 0;
	for (aid = 0; aid < AID_MAX && c->gr_naf < GR_MAX_AFS; aid++) {
		if (!(af & AID_BIT(aid)))
			continue;
		aid_to_afi(aid, &c->gr_af[c->gr_naf].afi,
		    &c->gr_af[c->gr_naf].safi);
		c->gr_af[c->gr_naf].flags = f;
		c->gr_naf++;
	}
}

int
gr_nbit(const struct bgp_caps *s, const struct bgp_caps *r)
{
	return s->gr && r->gr && (s->gr_flags & GR_FLAG_N) &&
	    (r->gr_flags & GR_FLAG_N);
}

int
gr_af_fbit(const struct bgp_caps *c, int aid)
{
	uint16_t	 afi;
	uint8_t		 safi, i;

	if (!c->gr)
		return -1;
	aid_to_afi(aid, &afi, &safi);
	for (i = 0; i < c->gr_naf && i < GR_MAX_AFS; i++)
		if (c->gr_af[i].afi == afi && c->gr_af[i].safi == safi)
			return (c->gr_af[i].flags & GR_AF_F) != 0;
	return -1;
}

int
gr_is_hard_reset(const struct bgp_notify *n)
{
	return n->code == ERR_CEASE && n->subcode == ERR_CEASE_HARD_RESET;
}

/* RFC 8538 5.1 as FRR reads it: these Cease subcodes end a session for
 * good; Administrative Reset does while hard-administrative-reset. */
static int
gr_ends_for_good(const struct bgpd_config *bc, const struct bgp_notify *n)
{
	if (n->code != ERR_CEASE)
		return 0;
	switch (n->subcode) {
	case ERR_CEASE_MAX_PREFIX:
	case ERR_CEASE_ADMIN_DOWN:
	case ERR_CEASE_PEER_UNCONF:
		return 1;
	case ERR_CEASE_ADMIN_RESET:
		return bc->hard_admin_reset;
	default:
		return 0;
	}
}

int
gr_hard_reset_wrap(const struct bgpd_config *bc, int nbit,
    struct bgp_notify *n)
{
	struct bgp_notify	 in = *n;
	size_t			 len;

	if (!nbit || !gr_ends_for_good(bc, n))
		return 0;
	len = in.datalen;
	if (len > BGP_NOTIFY_DATA_MAX - 2)
		len = BGP_NOTIFY_DATA_MAX - 2;
	n->code = ERR_CEASE;
	n->subcode = ERR_CEASE_HARD_RESET;
	n->data[0] = in.code;
	n->data[1] = in.subcode;
	memcpy(n->data + 2, in.data, len);
	n->datalen = (uint16_t)(len + 2);
	return 1;
}

/* Does this way of going down start the helper's procedures? */
static int
gr_down_is_restart(const struct bgpd_config *bc, int nbit, enum gr_down how,
    const struct bgp_notify *n, int *low)
{
	*low = 0;
	switch (how) {
	case GR_DOWN_TCP:
		return 1;		/* RFC 4724 4.2 */
	case GR_DOWN_SENT:
	case GR_DOWN_RCVD:
		/* RFC 8538 4: any NOTIFICATION but a Hard Reset. */
		return nbit && n != NULL && !gr_is_hard_reset(n);
	case GR_DOWN_LIVE:
		if (bc->gr_liveness == GR_LIVE_WITHDRAW)
			return 0;
		*low = bc->gr_liveness == GR_LIVE_FAILOVER;
		return 1;
	default:
		return 0;
	}
}

unsigned
gr_helper_keeps(const struct bgpd_config *bc, const struct peer_config *pc,
    const struct bgp_caps *s, const struct bgp_caps *r, enum gr_down how,
    const struct bgp_notify *n, int *low)
{
	unsigned	 keep = 0;
	int		 aid;

	*low = 0;
	if (gr_mode(bc, pc) == GR_DISABLE || !s->gr || !r->gr)
		return 0;
	if (!gr_down_is_restart(bc, gr_nbit(s, r), how, n, low))
		return 0;
	/* RFC 4724 4.2: the families the neighbor's capability lists. */
	for (aid = 0; aid < AID_MAX; aid++)
		if (gr_af_fbit(r, aid) >= 0)
			keep |= AID_BIT(aid);
	return keep;
}

void
gr_restart_begin(void)
{
	gr.restarting = 1;
	gr.fwd_kept = 1;
}

void
gr_restart_end(void)
{
	gr.restarting = 0;
}

int
gr_restarting(void)
{
	return gr.restarting;
}

void
gr_fwd_kept(void)
{
	gr.fwd_kept = 1;
}
