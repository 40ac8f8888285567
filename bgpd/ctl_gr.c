/*
 * ctl_gr: graceful restart in show bgp neighbors (see ctl_gr.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ctl_gr.h"
#include "ctl_show.h"
#include "gr.h"
#include "peer.h"
#include "rde.h"
#include "rde_gr.h"
#include "rib.h"

static const char *
gr_af_text(int aid)
{
	return aid == AID_IPV6_UNICAST ? "IPv6 Unicast" : "IPv4 Unicast";
}

static const char *
gr_af_key(int aid)
{
	return aid == AID_IPV6_UNICAST ? "ipv6Unicast" : "ipv4Unicast";
}

/* FRR's names for what the neighbor's capability says it does. */
static const char *
gr_remote_mode(const struct peer *p)
{
	const struct bgp_caps	*r = &p->open_rcvd.caps;

	if (p->state != ST_ESTABLISHED && p->state != ST_OPENCONFIRM)
		return "NotApplicable";
	if (!r->gr)
		return "Disable";
	return r->gr_naf > 0 ? "Restart" : "Helper";
}

static void
show_gr_af_fill(struct show_gr_af *a, const struct peer *p, int aid,
    const struct rib_src *src)
{
	const struct rde_stats	*st = p->rde != NULL ? rde_peer_stats(p->rde) :
	    NULL;

	a->aid = aid;
	a->fbit = gr_af_fbit(&p->open_rcvd.caps, aid) == 1;
	a->eor_sent = st != NULL && st->eor_sent[aid];
	a->eor_rcvd = st != NULL && st->eor_rcvd[aid];
	a->stale = src != NULL ? src->nstale[aid] : 0;
}

void
show_gr_fill(struct show_gr *g, const struct peer *p,
    const struct gr_stale *gs)
{
	const struct rib_src	*src = show_rde()->peer_src(p);
	struct gr_stale_info	 i;
	int			 aid;

	memset(g, 0, sizeof(*g));
	g->local_mode = gr_mode(p->bconf, p->conf);
	g->inherited = p->conf->gr_mode == GR_INHERIT;
	g->remote_mode = gr_remote_mode(p);
	g->rbit = (p->open_rcvd.caps.gr_flags & GR_FLAG_R) != 0;
	g->nbit = (p->open_rcvd.caps.gr_flags & GR_FLAG_N) != 0;
	g->conf_restart = p->bconf->gr_restart_time;
	g->rcvd_restart = p->open_rcvd.caps.gr ? p->open_rcvd.caps.gr_time : 0;
	g->stalepath = p->bconf->gr_stalepath_time;
	g->restarting = gr_restarting();
	gr_stale_info(gs, &i);
	g->restart_left = i.restart_left;
	g->stale_left = i.stale_left;
	for (aid = 0; aid < AID_MAX; aid++)
		if (p->conf->af_active & AID_BIT(aid))
			show_gr_af_fill(&g->af[g->naf++], p, aid, src);
}

static const char *
gr_tf(int v)
{
	return v ? "True" : "False";
}

static void
show_gr_text_eor(struct buf *b, const struct show_gr *g, int rcvd)
{
	int	 i, n = 0;

	show_printf(b, "    End-of-RIB %s:", rcvd ? "received" : "send");
	for (i = 0; i < g->naf; i++)
		if (rcvd ? g->af[i].eor_rcvd : g->af[i].eor_sent)
			show_printf(b, "%s%s", n++ ? ", " : " ",
			    gr_af_text(g->af[i].aid));
	show_printf(b, "\n");
}

static void
show_gr_text_af(struct buf *b, const struct show_gr *g,
    const struct show_gr_af *a)
{
	show_printf(b, "    %s:\n", gr_af_text(a->aid));
	show_printf(b, "      F bit: %s\n", gr_tf(a->fbit));
	show_printf(b, "      End-of-RIB sent: %s\n", a->eor_sent ? "Yes" :
	    "No");
	show_printf(b, "      End-of-RIB sent after update: %s\n",
	    a->eor_sent ? "Yes" : "No");
	show_printf(b, "      End-of-RIB received: %s\n", a->eor_rcvd ?
	    "Yes" : "No");
	if (a->stale > 0)
		show_printf(b, "      Stale paths: %u\n", a->stale);
	show_printf(b, "      Timers:\n");
	show_printf(b, "        Configured Stale Path Time(sec): %u\n",
	    g->stalepath);
	if (a->stale > 0 && g->stale_left >= 0)
		show_printf(b, "        Stale Path Remaining(sec): %ld\n",
		    g->stale_left);
}

void
show_gr_text(struct buf *b, const struct show_gr *g)
{
	int	 i;

	show_printf(b, "  Graceful restart information:\n");
	show_gr_text_eor(b, g, 0);
	show_gr_text_eor(b, g, 1);
	show_printf(b, "    Local GR Mode: %s%s\n",
	    gr_mode_name(g->local_mode), g->inherited ? "*" : "");
	show_printf(b, "    Remote GR Mode: %s\n", g->remote_mode);
	show_printf(b, "    R bit: %s\n", gr_tf(g->rbit));
	show_printf(b, "    N bit: %s\n", gr_tf(g->nbit));
	show_printf(b, "    Timers:\n");
	show_printf(b, "      Configured Restart Time(sec): %u\n",
	    g->conf_restart);
	show_printf(b, "      Received Restart Time(sec): %u\n",
	    g->rcvd_restart);
	if (g->restart_left >= 0)
		show_printf(b, "      Restart Time Remaining(sec): %ld\n",
		    g->restart_left);
	if (g->restarting)
		show_printf(b, "    Restarting: route selection deferred "
		    "until every neighbor's End-of-RIB\n");
	for (i = 0; i < g->naf; i++)
		show_gr_text_af(b, g, &g->af[i]);
}

static void
show_gr_json_eor(struct json *j, const struct show_gr *g, int rcvd)
{
	int	 i;

	json_object_open(j, rcvd ? "endOfRibRecv" : "endOfRibSend");
	for (i = 0; i < g->naf; i++)
		if (rcvd ? g->af[i].eor_rcvd : g->af[i].eor_sent)
			json_bool(j, gr_af_key(g->af[i].aid), 1);
	json_object_close(j);
}

static void
show_gr_json_af(struct json *j, const struct show_gr *g,
    const struct show_gr_af *a)
{
	json_object_open(j, gr_af_key(a->aid));
	json_bool(j, "fBit", a->fbit);
	json_object_open(j, "endOfRibStatus");
	json_bool(j, "endOfRibSend", a->eor_sent);
	json_bool(j, "endOfRibSentAfterUpdate", a->eor_sent);
	json_bool(j, "endOfRibRecv", a->eor_rcvd);
	json_object_close(j);
	json_uint(j, "stalePaths", a->stale);
	json_object_open(j, "timers");
	json_uint(j, "stalePathTimer", g->stalepath);
	if (a->stale > 0 && g->stale_left >= 0)
		json_int(j, "stalePathTimerRemaining", g->stale_left);
	json_object_close(j);
	json_object_close(j);
}

void
show_gr_json(struct json *j, const struct show_gr *g)
{
	char	 mode[16];
	int	 i;

	snprintf(mode, sizeof(mode), "%s%s", gr_mode_name(g->local_mode),
	    g->inherited ? "*" : "");
	json_object_open(j, "gracefulRestartInfo");
	show_gr_json_eor(j, g, 0);
	show_gr_json_eor(j, g, 1);
	json_string(j, "localGrMode", mode);
	json_string(j, "remoteGrMode", g->remote_mode);
	json_bool(j, "rBit", g->rbit);
	json_bool(j, "nBit", g->nbit);
	json_bool(j, "restarting", g->restarting);
	json_object_open(j, "timers");
	json_uint(j, "configuredRestartTimer", g->conf_restart);
	json_uint(j, "receivedRestartTimer", g->rcvd_restart);
	if (g->restart_left >= 0)
		json_int(j, "restartTimerRemaining", g->restart_left);
	json_object_close(j);
	for (i = 0; i < g->naf; i++)
		show_gr_json_af(j, g, &g->af[i]);
	json_object_close(j);
}
