/*
 * ctl_peer: the neighbor views, show [ip] bgp [ipv4|ipv6 unicast] summary
 * and show [ip] bgp neighbors [ADDR].
 *
 * A command first fills a plain result from the peers (struct show_sum
 * and show_sum_row for the summary, show_nbr for a neighbor: every value
 * a renderer prints, worked out once), then hands it to one of two
 * renderers of the same shape (struct show_fmt, as bgpctl's output
 * vtable): text laid out as FRR's vtysh prints it, and JSON with FRR's
 * keys, so scripts written against FRR keep working.  Renderers only
 * choose words and layout; what a value is is decided in the fill step.
 * Route counts and policy state come from the RDE through show_rde().
 */
#include "config.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adjout.h"
#include "bfd.h"
#include "conf.h"
#include "ctl_gr.h"
#include "ctl_peer.h"
#include "ctl_show.h"
#include "json.h"
#include "kif.h"
#include "liveness.h"
#include "log.h"
#include "msg.h"
#include "peer.h"
#include "policy.h"
#include "probe.h"
#include "rde.h"
#include "rib.h"

#define AF_V4		AID_BIT(AID_IPV4_UNICAST)
#define AF_V6		AID_BIT(AID_IPV6_UNICAST)
#define SHOW_MAX_CAPS	8
#define SHOW_WHY	512		/* a NOTIFICATION explained */
#define SHOW_SAFE_DESCR	(DESCR_MAX * 4 + 1)

/* --------------------------------------------------------------- results */

/* One address family's part of the summary. */
struct show_sum {
	int		 aid;
	uint32_t	 router_id;
	uint32_t	 as;
	int		 npeers;	/* activated for the family */
	int		 failed;	/* of those, not Established */
};

struct show_sum_row {
	char		 addr[ADDR_STRLEN];
	const char	*descr;		/* as configured, "" if none */
	const char	*state;
	const char	*idtype;
	uint32_t	 remote_as;
	uint32_t	 local_as;
	uint64_t	 msg_rcvd;
	uint64_t	 msg_sent;
	uint64_t	 pfx_rcvd;	/* accepted; 0 unless up and negotiated */
	uint64_t	 pfx_snt;	/* in the Adj-RIB-Out */
	int		 policy_in;	/* RFC 8212: inbound policy missing */
	int		 policy_out;
	long long	 updown;	/* seconds, -1: never up */
	int		 up;		/* Established */
	int		 negotiated;	/* the family was negotiated */
	int		 admin_down;
	uint32_t	 established;
	uint32_t	 dropped;
};

struct show_cap {
	const char	*key;		/* FRR's JSON key */
	const char	*text;
	int		 mp;		/* a multiprotocol family */
	int		 sent;
	int		 rcvd;
};

struct show_notify {
	uint8_t		 code;		/* 0: none */
	uint8_t		 subcode;
	long long	 ago;		/* seconds */
	int		 has_shutdown;	/* RFC 9003 message present */
	char		 reason[SHOW_WHY];
	char		 shutdown[SHOW_WHY];
};

/* A neighbor's policy and counts in one address family. */
struct show_nbr_af {
	int				 aid;
	const struct peer_af_config	*c;
	/* FRR marks a filter or route-map that exists with '*'. */
	int				 plist_in_ok, plist_out_ok;
	int				 rmap_in_ok, rmap_out_ok;
	uint64_t			 accepted;
	uint64_t			 sent;
	int				 policy_in;	/* RFC 8212 */
	int				 policy_out;
};

struct show_nbr {
	char			 addr[ADDR_STRLEN];
	char			 local[ADDR_STRLEN];
	const char		*descr;
	const char		*state;
	const char		*last_error;	/* "" if none */
	uint32_t		 remote_as;
	uint32_t		 local_as;
	uint32_t		 remote_id;
	uint32_t		 local_id;
	int			 admin_down;
	int			 shell_down;	/* from the shell */
	int			 up;		/* Established */
	int			 negotiated;	/* OPEN accepted */
	int			 ext_params;
	long long		 updown;
	uint16_t		 conf_hold, conf_ka;
	uint16_t		 hold, ka;	/* negotiated, or configured */
	struct show_cap		 caps[SHOW_MAX_CAPS];
	int			 ncaps;
	unsigned		 unknown_caps;
	const struct peer_stats	*stats;
	struct show_notify	 sent, rcvd;
	const struct show_notify *newest;	/* NULL: none either way */
	uint16_t		 local_port, remote_port;
	struct show_nbr_af	 af[AID_MAX];
	int			 naf;
	char			 ifname[IF_NAMESIZE];	/* "" if unknown */
	const char		*ifstate;
	const struct peer_config *conf;		/* liveness settings */
	const char		*live_reason;	/* "" if never fired */
	long long		 live_ago;	/* seconds */
	uint32_t		 live_downs;
	uint32_t		 live_ka_ms;	/* fast KEEPALIVEs in use */
	int			 live_waiting;
	const struct probe	*probe;		/* NULL: none running */
	const struct bfd_sess	*bfd;		/* NULL: none running */
	struct show_gr		 gr;		/* graceful restart */
};

/* ------------------------------------------------------------- the fill */

/* The tunnel interface the session runs over, as tunnel.c knows it. */
static void
show_nbr_iface(struct show_nbr *n, const struct peer *p)
{
	const struct kif_link	*l;

	if (p->ifindex == 0 || show_kif() == NULL ||
	    (l = kif_get(show_kif(), p->ifindex)) == NULL)
		return;
	strlcpy(n->ifname, l->name, sizeof(n->ifname));
	n->ifstate = kif_state_str(l);
}

static long long
show_updown(const struct peer *p, time_t now)
{
	if (p->state == ST_ESTABLISHED)
		return (long long)(now - p->up_since);
	if (p->stats.established == 0)
		return -1;
	return (long long)(now - p->state_since);
}


/* Who we are: all the summary says when there is no neighbor. */
static const struct show_sum *
show_sum_ident(struct show_sum *s, const struct bgpd_config *bc)
{
	memset(s, 0, sizeof(*s));
	s->router_id = show_router_id(bc);
	s->as = bc->as;
	return s;
}

/* Returns the number of peers shown for the family. */
static int
show_sum_fill(struct show_sum *s, const struct bgpd_config *bc, int aid)
{
	struct peer	*p;

	show_sum_ident(s, bc);
	s->aid = aid;
	TAILQ_FOREACH(p, &peers, entry) {
		if (!(p->conf->af_active & AID_BIT(aid)))
			continue;
		s->npeers++;
		s->failed += p->state != ST_ESTABLISHED;
	}
	return s->npeers;
}

/* Accepted paths (the RIB counts them per source) and prefixes in the
 * Adj-RIB-Out: FRR's pfxRcd and pfxSnt. */
static void
show_counts(const struct peer *p, int aid, uint64_t *rcvd, uint64_t *snt)
{
	const struct show_rde	*rde = show_rde();
	const struct rib_src	*src = rde->peer_src(p);
	const struct adjout	*ao = rde->peer_adjout(p, (enum aid)aid);

	*rcvd = src != NULL ? src->npaths[aid] : 0;
	*snt = ao != NULL ? adjout_count(ao) : 0;
}

static void
show_sum_row_fill(struct show_sum_row *r, const struct peer *p, int aid,
    time_t now)
{
	addr_ntop(&p->conf->remote, r->addr, sizeof(r->addr));
	r->descr = p->conf->descr;
	r->state = fsm_state_name(p->state);
	r->idtype = p->conf->remote.af == AF_INET6 ? "ipv6" : "ipv4";
	r->remote_as = p->conf->remote_as;
	r->local_as = p->bconf->as;
	r->msg_rcvd = p->stats.msg_rcvd_total;
	r->msg_sent = p->stats.msg_sent_total;
	r->updown = show_updown(p, now);
	r->up = p->state == ST_ESTABLISHED;
	r->negotiated = (p->af_negotiated & AID_BIT(aid)) != 0;
	show_counts(p, aid, &r->pfx_rcvd, &r->pfx_snt);
	if (!r->up || !r->negotiated)
		r->pfx_rcvd = r->pfx_snt = 0;
	r->policy_in = show_rde()->policy_missing(p, 0) != NULL;
	r->policy_out = show_rde()->policy_missing(p, 1) != NULL;
	r->admin_down = p->conf->shutdown || p->shell_down;
	r->established = p->stats.established;
	r->dropped = p->stats.dropped;
}

static void
show_cap_add(struct show_nbr *n, const char *key, const char *text, int mp,
    int sent, int rcvd)
{
	struct show_cap	*c;

	if ((!sent && !rcvd) || n->ncaps == SHOW_MAX_CAPS)
		return;
	c = &n->caps[n->ncaps++];
	c->key = key;
	c->text = text;
	c->mp = mp;
	c->sent = sent != 0;
	c->rcvd = rcvd != 0;
}

static void
show_caps_fill(struct show_nbr *n, const struct peer *p)
{
	const struct bgp_caps *s = &p->open_sent.caps, *r = &p->open_rcvd.caps;

	show_cap_add(n, "4byteAs", "4 Byte AS", 0, s->as4, r->as4);
	show_cap_add(n, "extendedMessage", "Extended Message", 0, s->ext_msg,
	    r->ext_msg);
	show_cap_add(n, "routeRefresh", "Route refresh", 0, s->route_refresh,
	    r->route_refresh);
	show_cap_add(n, "enhancedRouteRefresh", "Enhanced Route Refresh", 0,
	    s->enhanced_rr, r->enhanced_rr);
	show_cap_add(n, "ipv4Unicast", "Address Family IPv4 Unicast", 1,
	    s->mp & AF_V4, r->mp & AF_V4);
	show_cap_add(n, "ipv6Unicast", "Address Family IPv6 Unicast", 1,
	    s->mp & AF_V6, r->mp & AF_V6);
	show_cap_add(n, "gracefulRestart", "Graceful Restart Capability", 0,
	    s->gr, r->gr);
	n->unknown_caps = r->unknown;
}

static void
show_notify_fill(struct show_notify *sn, const struct bgp_notify *bn,
    time_t at, time_t now)
{
	sn->code = bn->code;
	sn->subcode = bn->subcode;
	sn->ago = (long long)(now - at);
	sn->reason[0] = sn->shutdown[0] = '\0';
	sn->has_shutdown = 0;
	if (bn->code == 0)
		return;
	msg_notify_str(bn, sn->reason, sizeof(sn->reason));
	sn->has_shutdown = msg_shutdown_text(bn, sn->shutdown,
	    sizeof(sn->shutdown)) == 0;
}

/* FRR reports the reason of the newest NOTIFICATION, sent or received. */
static const struct show_notify *
show_notify_newest(const struct show_notify *sent,
    const struct show_notify *rcvd)
{
	if (rcvd->code != 0 && (sent->code == 0 || rcvd->ago <= sent->ago))
		return rcvd;
	return sent->code != 0 ? sent : NULL;
}

/* Whether a configured name refers to something (FRR's '*'). */
static int
show_policy_exists(const struct peer *p, int plist, const char *name, int af)
{
	const struct policy_db	*db = p->bconf->policy;

	if (name[0] == '\0' || db == NULL)
		return 0;
	return plist ? policy_plist_find(db, af, name) != NULL :
	    policy_rmap_find(db, name) != NULL;
}

static void
show_nbr_af_fill(struct show_nbr_af *a, const struct peer *p, int aid)
{
	const struct peer_af_config	*c = &p->conf->af[aid];
	int				 af;

	af = aid == AID_IPV6_UNICAST ? AF_INET6 : AF_INET;
	a->aid = aid;
	a->c = c;
	a->plist_in_ok = show_policy_exists(p, 1, c->plist_in, af);
	a->plist_out_ok = show_policy_exists(p, 1, c->plist_out, af);
	a->rmap_in_ok = show_policy_exists(p, 0, c->rmap_in, af);
	a->rmap_out_ok = show_policy_exists(p, 0, c->rmap_out, af);
	show_counts(p, aid, &a->accepted, &a->sent);
	a->policy_in = show_rde()->policy_missing(p, 0) != NULL;
	a->policy_out = show_rde()->policy_missing(p, 1) != NULL;
}

static void
show_nbr_fill(struct show_nbr *n, const struct peer *p, time_t now)
{
	int	 aid;

	memset(n, 0, sizeof(*n));
	addr_ntop(&p->conf->remote, n->addr, sizeof(n->addr));
	addr_ntop(&p->local_addr, n->local, sizeof(n->local));
	show_nbr_iface(n, p);
	n->descr = p->conf->descr;
	n->state = fsm_state_name(p->state);
	n->last_error = p->last_error;
	n->remote_as = p->conf->remote_as;
	n->local_as = p->bconf->as;
	n->remote_id = p->remote_id;
	n->local_id = p->bconf->router_id != 0 ? p->bconf->router_id :
	    p->open_sent.bgp_id;
	n->admin_down = p->conf->shutdown || p->shell_down;
	n->shell_down = p->shell_down;
	n->up = p->state == ST_ESTABLISHED;
	n->negotiated = n->up || p->state == ST_OPENCONFIRM;
	n->ext_params = p->open_sent.ext_params;
	n->updown = show_updown(p, now);
	conf_peer_timers(p->bconf, p->conf, &n->conf_ka, &n->conf_hold);
	n->hold = n->negotiated ? p->holdtime : n->conf_hold;
	n->ka = n->negotiated ? p->keepalive : n->conf_ka;
	show_caps_fill(n, p);
	n->stats = &p->stats;
	show_notify_fill(&n->sent, &p->last_sent, p->last_sent_at, now);
	show_notify_fill(&n->rcvd, &p->last_rcvd, p->last_rcvd_at, now);
	n->newest = show_notify_newest(&n->sent, &n->rcvd);
	n->local_port = p->local_port;
	n->remote_port = p->remote_port;
	n->conf = p->conf;
	n->live_reason = p->live_reason;
	n->live_ago = now - p->live_at;
	n->live_downs = p->live_downs;
	n->live_ka_ms = p->live_ka_ms;
	n->live_waiting = p->live_waiting;
	n->probe = liveness_probe(p);
	n->bfd = liveness_bfd(p);
	show_gr_fill(&n->gr, p, p->rde != NULL ? rde_peer_gr(p->rde) : NULL);
	for (aid = 0; aid < AID_MAX; aid++)
		if (p->conf->af_active & AID_BIT(aid))
			show_nbr_af_fill(&n->af[n->naf++], p, aid);
}

/* ------------------------------------------------------------- renderers */

struct show_w {
	struct buf	*b;
	struct json	 j;
};

struct show_fmt {
	void	(*begin)(struct show_w *);
	void	(*end)(struct show_w *);
	void	(*sum_head)(struct show_w *, const struct show_sum *);
	void	(*sum_row)(struct show_w *, const struct show_sum_row *);
	void	(*sum_tail)(struct show_w *, const struct show_sum *);
	/* No family has a neighbor; s is NULL if the config is unknown. */
	void	(*sum_none)(struct show_w *, const struct show_sum *);
	void	(*nbr)(struct show_w *, const struct show_nbr *);
	void	(*nbr_none)(struct show_w *);
};

static const char *
show_aid_name(int aid)
{
	return aid == AID_IPV6_UNICAST ? "IPv6 Unicast" : "IPv4 Unicast";
}

static const char *
show_aid_key(int aid)
{
	return aid == AID_IPV6_UNICAST ? "ipv6Unicast" : "ipv4Unicast";
}

/* FRR's words for who offered a capability. */
static const char *
show_cap_who(const struct show_cap *c, int json)
{
	if (c->sent && c->rcvd)
		return json ? "advertisedAndReceived" :
		    "advertised and received";
	return c->sent ? "advertised" : "received";
}

/* ------------------------------------------------------- text renderer */

static void
show_text_nothing(struct show_w *w)
{
}

/* FRR's summary header, also shown when there is no neighbor. */
static void
show_text_ident(struct show_w *w, const struct show_sum *s)
{
	show_printf(w->b, "BGP router identifier %s, local AS number %u "
	    "vrf-id 0\n", bgpid_str(s->router_id), s->as);
}

static void
show_text_sum_head(struct show_w *w, const struct show_sum *s)
{
	show_printf(w->b, "\n%s Summary:\n", show_aid_name(s->aid));
	show_text_ident(w, s);
	show_printf(w->b, "Peers %d\n\n", s->npeers);
	show_printf(w->b, "Neighbor        V         AS   MsgRcvd   MsgSent"
	    "  Up/Down State/PfxRcd   PfxSnt Desc\n");
}

static void
show_text_sum_row(struct show_w *w, const struct show_sum_row *r)
{
	char	 t[32], st[32], snt[32], safe[SHOW_SAFE_DESCR];

	if (strlen(r->addr) > 15)
		show_printf(w->b, "%s\n%16s", r->addr, "");
	else
		show_printf(w->b, "%-16s", r->addr);
	if (!r->up)
		snprintf(st, sizeof(st), "%s%s", r->state,
		    r->admin_down ? " (Admin)" : "");
	else if (!r->negotiated)
		snprintf(st, sizeof(st), "NoNeg");
	else if (r->policy_in)
		snprintf(st, sizeof(st), "(Policy)");
	else
		snprintf(st, sizeof(st), "%llu",
		    (unsigned long long)r->pfx_rcvd);
	/* RFC 8212: FRR flags the direction a missing policy blocks. */
	if (r->up && r->negotiated && r->policy_out)
		snprintf(snt, sizeof(snt), "(Policy)");
	else
		snprintf(snt, sizeof(snt), "%llu",
		    (unsigned long long)r->pfx_snt);
	show_printf(w->b, "%d %10u %9llu %9llu %8s %12s %8s %s\n",
	    BGP_VERSION, r->remote_as, (unsigned long long)r->msg_rcvd,
	    (unsigned long long)r->msg_sent,
	    show_fmt_time(r->updown, t, sizeof(t)), st, snt,
	    r->descr[0] != '\0' ? show_safe(r->descr, safe, sizeof(safe)) :
	    "N/A");
}

static void
show_text_sum_tail(struct show_w *w, const struct show_sum *s)
{
	show_printf(w->b, "\nTotal number of neighbors %d\n", s->npeers);
}

static void
show_text_sum_none(struct show_w *w, const struct show_sum *s)
{
	if (s != NULL)
		show_text_ident(w, s);
	show_printf(w->b, "%% No BGP neighbors found\n");
}

static void
show_text_nbr_head(struct show_w *w, const struct show_nbr *n)
{
	char	 t[32], safe[SHOW_SAFE_DESCR];

	show_printf(w->b, "BGP neighbor is %s, remote AS %u, local AS %u, "
	    "external link\n", n->addr, n->remote_as, n->local_as);
	if (n->descr[0] != '\0')
		show_printf(w->b, " Description: %s\n",
		    show_safe(n->descr, safe, sizeof(safe)));
	if (n->admin_down)
		show_printf(w->b, " Administratively shut down%s\n",
		    n->shell_down ? " (from the shell: no neighbor ... "
		    "shutdown starts it)" : "");
	show_printf(w->b, "  BGP version %d, remote router ID %s, local "
	    "router ID %s\n", BGP_VERSION, bgpid_str(n->remote_id),
	    bgpid_str(n->local_id));
	show_printf(w->b, "  BGP state = %s", n->state);
	if (n->up)
		show_printf(w->b, ", up for %s",
		    show_fmt_time(n->updown, t, sizeof(t)));
	show_printf(w->b, "\n");
	if (n->negotiated)
		show_printf(w->b, "  Hold time is %u seconds, keepalive "
		    "interval is %u seconds\n", n->hold, n->ka);
	show_printf(w->b, "  Configured hold time is %u seconds, keepalive "
	    "interval is %u seconds\n", n->conf_hold, n->conf_ka);
}

static void
show_text_nbr_caps(struct show_w *w, const struct show_nbr *n)
{
	int	 i;

	if (n->ncaps == 0)
		return;
	show_printf(w->b, "  Neighbor capabilities:\n");
	for (i = 0; i < n->ncaps; i++)
		show_printf(w->b, "    %s: %s\n", n->caps[i].text,
		    show_cap_who(&n->caps[i], 0));
	if (n->unknown_caps > 0)
		show_printf(w->b, "    Unknown capabilities received: %u\n",
		    n->unknown_caps);
}

static void
show_text_nbr_stats(struct show_w *w, const struct show_nbr *n)
{
	static const struct { const char *name; int type; } rows[] = {
		{ "Opens", BGP_OPEN }, { "Notifications", BGP_NOTIFICATION },
		{ "Updates", BGP_UPDATE }, { "Keepalives", BGP_KEEPALIVE },
		{ "Route Refresh", BGP_ROUTE_REFRESH },
	};
	const struct peer_stats *s = n->stats;
	size_t	 i;

	show_printf(w->b, "  Message statistics:\n");
	show_printf(w->b, "%-20s %10s %10s\n", "", "Sent", "Rcvd");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		show_printf(w->b, "    %-16s %10llu %10llu\n", rows[i].name,
		    (unsigned long long)s->msg_sent[rows[i].type],
		    (unsigned long long)s->msg_rcvd[rows[i].type]);
	show_printf(w->b, "    %-16s %10llu %10llu\n", "Total",
	    (unsigned long long)s->msg_sent_total,
	    (unsigned long long)s->msg_rcvd_total);
}

static void
show_text_nbr_filter(struct show_w *w, const char *what, const char *name,
    int exists)
{
	char	 safe[POLICY_REF_MAX * 4 + 1];

	if (name[0] != '\0')
		show_printf(w->b, "  %s %s%s\n", what, exists ? "*" : "",
		    show_safe(name, safe, sizeof(safe)));
}

/* Per family: the policy in force, the counts, and RFC 8212's verdict. */
static void
show_text_nbr_af(struct show_w *w, const struct show_nbr_af *a)
{
	const struct peer_af_config *c = a->c;

	show_printf(w->b, "\n For address family: %s\n",
	    show_aid_name(a->aid));
	if (c->soft_reconfig_in)
		show_printf(w->b, "  Inbound soft reconfiguration allowed\n");
	show_text_nbr_filter(w, "Incoming update prefix filter list is",
	    c->plist_in, a->plist_in_ok);
	show_text_nbr_filter(w, "Outgoing update prefix filter list is",
	    c->plist_out, a->plist_out_ok);
	show_text_nbr_filter(w, "Route map for incoming advertisements is",
	    c->rmap_in, a->rmap_in_ok);
	show_text_nbr_filter(w, "Route map for outgoing advertisements is",
	    c->rmap_out, a->rmap_out_ok);
	show_printf(w->b, "  %llu accepted prefixes\n",
	    (unsigned long long)a->accepted);
	show_printf(w->b, "  %llu prefixes sent\n",
	    (unsigned long long)a->sent);
	if (c->max_prefix > 0) {
		show_printf(w->b, "  Maximum prefixes allowed %u%s\n",
		    c->max_prefix, c->max_prefix_warning ?
		    " (warning-only)" : "");
		show_printf(w->b, "  Threshold for warning message %u%%",
		    c->max_prefix_threshold);
		if (c->max_prefix_restart > 0)
			show_printf(w->b, " (restart interval %u min)",
			    c->max_prefix_restart);
		show_printf(w->b, "\n");
	}
	if (c->max_prefix_out > 0)
		show_printf(w->b, "  Maximum allowed prefixes sent %u\n",
		    c->max_prefix_out);
	if (a->policy_in)
		show_printf(w->b, "  Inbound updates discarded due to missing "
		    "policy\n");
	if (a->policy_out)
		show_printf(w->b, "  Outbound updates discarded due to missing "
		    "policy\n");
}

static void
show_text_nbr_notify(struct show_w *w, const char *dir,
    const struct show_notify *sn)
{
	char	 t[32];

	if (sn->code == 0) {
		show_printf(w->b, "  Last notification %s: never\n", dir);
		return;
	}
	show_printf(w->b, "  Last notification %s: %s ago, %s\n", dir,
	    show_fmt_time(sn->ago, t, sizeof(t)), sn->reason);
}

static void
show_text_nbr_probe(struct show_w *w, const struct probe *pr)
{
	const struct probe_stats	*st = probe_stats(pr);

	show_printf(w->b, "    state %s (%s), sent %llu, received %llu, "
	    "rtt %u.%03u ms\n", probe_state_name(probe_state(pr)),
	    probe_why(pr)[0] != '\0' ? probe_why(pr) : "no reply yet",
	    (unsigned long long)st->sent, (unsigned long long)st->received,
	    st->rtt_us_last / 1000, st->rtt_us_last % 1000);
}

static void
show_text_nbr_bfd(struct show_w *w, const struct bfd_sess *bs)
{
	struct bfd_info	 bi;

	bfd_sess_info(bs, &bi);
	show_printf(w->b, "    status %s, remote %s, diagnostic %s, "
	    "detect %u ms\n", bfd_state_name(bi.state),
	    bfd_state_name(bi.remote_state), bfd_diag_name(bi.local_diag),
	    bi.detect_ms);
}

/* The liveness settings (tbgpd(8) LIVENESS) and the last time one fired. */
static void
show_text_nbr_live(struct show_w *w, const struct show_nbr *n)
{
	const struct peer_config	*c = n->conf;
	char				 t[32], why[SHOW_WHY];

	if (c->live_tcp_timeout != 0)
		show_printf(w->b, "  Liveness tcp: timeout %u ms, keepalive "
		    "%u ms%s\n", c->live_tcp_timeout, c->live_tcp_keepalive,
		    n->live_ka_ms != 0 ? " (armed)" : "");
	if (c->live_icmp_interval != 0)
		show_printf(w->b, "  Liveness icmp: interval %u ms, multiplier "
		    "%u, up after %u replies\n", c->live_icmp_interval,
		    c->live_icmp_mult, c->live_icmp_up);
	if (n->probe != NULL)
		show_text_nbr_probe(w, n->probe);
	else if (c->live_icmp_interval != 0)
		show_printf(w->b, "    not running (no interface yet)\n");
	if (c->bfd)
		show_printf(w->b, "  BFD: interval %u ms, min-rx %u ms, "
		    "multiplier %u\n", c->bfd_interval, c->bfd_min_rx,
		    c->bfd_mult);
	if (n->bfd != NULL)
		show_text_nbr_bfd(w, n->bfd);
	if (n->live_reason[0] == '\0')
		return;
	show_printf(w->b, "  Last liveness down: %s ago, %s (%u time%s)%s\n",
	    show_fmt_time(n->live_ago, t, sizeof(t)),
	    show_safe(n->live_reason, why, sizeof(why)), n->live_downs,
	    n->live_downs == 1 ? "" : "s",
	    n->live_waiting ? ", reconnecting fast" : "");
}

static void
show_text_nbr_tail(struct show_w *w, const struct show_nbr *n)
{
	char	 why[SHOW_WHY];

	show_printf(w->b, "  Connections established %u; dropped %u\n",
	    n->stats->established, n->stats->dropped);
	if (n->last_error[0] != '\0')
		show_printf(w->b, "  Last reset: %s\n",
		    show_safe(n->last_error, why, sizeof(why)));
	show_text_nbr_notify(w, "sent", &n->sent);
	show_text_nbr_notify(w, "received", &n->rcvd);
	show_text_nbr_live(w, n);
	if (n->ifname[0] != '\0')
		show_printf(w->b, "  Interface %s, %s\n", n->ifname,
		    n->ifstate);
	if (n->negotiated) {
		show_printf(w->b, "Local host: %s, Local port: %u\n",
		    n->local, n->local_port);
		show_printf(w->b, "Foreign host: %s, Foreign port: %u\n",
		    n->addr, n->remote_port);
	}
	show_printf(w->b, "\n");
}

static void
show_text_nbr(struct show_w *w, const struct show_nbr *n)
{
	show_text_nbr_head(w, n);
	int	 i;

	show_text_nbr_caps(w, n);
	show_gr_text(w->b, &n->gr);
	show_text_nbr_stats(w, n);
	for (i = 0; i < n->naf; i++)
		show_text_nbr_af(w, &n->af[i]);
	if (n->naf > 0)
		show_printf(w->b, "\n");
	show_text_nbr_tail(w, n);
}

static void
show_text_nbr_none(struct show_w *w)
{
	show_printf(w->b, "%% No such neighbor\n");
}

static const struct show_fmt show_text = {
	.begin = show_text_nothing,
	.end = show_text_nothing,
	.sum_head = show_text_sum_head,
	.sum_row = show_text_sum_row,
	.sum_tail = show_text_sum_tail,
	.sum_none = show_text_sum_none,
	.nbr = show_text_nbr,
	.nbr_none = show_text_nbr_none,
};

/* ------------------------------------------------------- JSON renderer */

static void
show_json_begin(struct show_w *w)
{
	json_init(&w->j, w->b);
	json_object_open(&w->j, NULL);
}

/* A JSON answer that does not nest is a renderer bug: say so rather
 * than hand a script half a document. */
static void
show_json_finish(struct show_w *w)
{
	json_object_close(&w->j);
	if (json_end(&w->j) == 0)
		return;
	log_warnx("control: malformed JSON answer");
	buf_reset(w->b);
	show_printf(w->b, "%% Internal error: malformed JSON answer\n");
}

static void
show_json_ident(struct show_w *w, const struct show_sum *s)
{
	json_string(&w->j, "routerId", bgpid_str(s->router_id));
	json_uint(&w->j, "as", s->as);
}

static void
show_json_sum_head(struct show_w *w, const struct show_sum *s)
{
	json_object_open(&w->j, show_aid_key(s->aid));
	show_json_ident(w, s);
	json_object_open(&w->j, "peers");
}

static void
show_json_sum_row(struct show_w *w, const struct show_sum_row *r)
{
	struct json	*j = &w->j;
	char		 t[32];

	json_object_open(j, r->addr);
	json_uint(j, "remoteAs", r->remote_as);
	json_uint(j, "localAs", r->local_as);
	json_uint(j, "version", BGP_VERSION);
	json_uint(j, "msgRcvd", r->msg_rcvd);
	json_uint(j, "msgSent", r->msg_sent);
	json_string(j, "peerUptime", show_fmt_time(r->updown, t, sizeof(t)));
	json_uint(j, "peerUptimeMsec",
	    r->updown < 0 ? 0 : (uint64_t)r->updown * 1000);
	json_uint(j, "pfxRcd", r->pfx_rcvd);
	json_uint(j, "pfxSnt", r->pfx_snt);
	json_string(j, "state", r->state);
	json_string(j, "peerState", r->admin_down ? "Admin" :
	    r->up && r->policy_in ? "Policy" : "OK");
	json_uint(j, "connectionsEstablished", r->established);
	json_uint(j, "connectionsDropped", r->dropped);
	if (r->descr[0] != '\0')
		json_string(j, "desc", r->descr);
	json_string(j, "idType", r->idtype);
	json_object_close(j);
}

static void
show_json_sum_tail(struct show_w *w, const struct show_sum *s)
{
	json_object_close(&w->j);
	json_uint(&w->j, "failedPeers", (uint64_t)s->failed);
	json_uint(&w->j, "displayedPeers", (uint64_t)s->npeers);
	json_uint(&w->j, "totalPeers", (uint64_t)s->npeers);
	json_object_close(&w->j);
}

static void
show_json_sum_none(struct show_w *w, const struct show_sum *s)
{
	if (s != NULL)
		show_json_ident(w, s);
}

static void
show_json_nbr_timers(struct json *j, const struct show_nbr *n)
{
	char	 t[32];

	if (n->up) {
		json_uint(j, "bgpTimerUpMsec", (uint64_t)n->updown * 1000);
		json_string(j, "bgpTimerUpString",
		    show_fmt_time(n->updown, t, sizeof(t)));
	}
	json_uint(j, "bgpTimerConfiguredHoldTimeMsecs",
	    (uint64_t)n->conf_hold * 1000);
	json_uint(j, "bgpTimerConfiguredKeepAliveIntervalMsecs",
	    (uint64_t)n->conf_ka * 1000);
	json_uint(j, "bgpTimerHoldTimeMsecs", (uint64_t)n->hold * 1000);
	json_uint(j, "bgpTimerKeepAliveIntervalMsecs",
	    (uint64_t)n->ka * 1000);
}

/* FRR nests the address families under multiprotocolExtensions. */
static void
show_json_nbr_caps(struct json *j, const struct show_nbr *n)
{
	int	 i, mp = 0;

	json_object_open(j, "neighborCapabilities");
	for (i = 0; i < n->ncaps; i++)
		if (!n->caps[i].mp)
			json_string(j, n->caps[i].key,
			    show_cap_who(&n->caps[i], 1));
	for (i = 0; i < n->ncaps; i++) {
		if (!n->caps[i].mp)
			continue;
		if (mp++ == 0)
			json_object_open(j, "multiprotocolExtensions");
		json_object_open(j, n->caps[i].key);
		json_bool(j, show_cap_who(&n->caps[i], 1), 1);
		json_object_close(j);
	}
	if (mp > 0)
		json_object_close(j);
	json_object_close(j);
}

static void
show_json_nbr_stats(struct json *j, const struct show_nbr *n)
{
	const struct peer_stats *s = n->stats;

	json_object_open(j, "messageStats");
	json_uint(j, "opensSent", s->msg_sent[BGP_OPEN]);
	json_uint(j, "opensRecv", s->msg_rcvd[BGP_OPEN]);
	json_uint(j, "notificationsSent", s->msg_sent[BGP_NOTIFICATION]);
	json_uint(j, "notificationsRecv", s->msg_rcvd[BGP_NOTIFICATION]);
	json_uint(j, "updatesSent", s->msg_sent[BGP_UPDATE]);
	json_uint(j, "updatesRecv", s->msg_rcvd[BGP_UPDATE]);
	json_uint(j, "keepalivesSent", s->msg_sent[BGP_KEEPALIVE]);
	json_uint(j, "keepalivesRecv", s->msg_rcvd[BGP_KEEPALIVE]);
	json_uint(j, "routeRefreshSent", s->msg_sent[BGP_ROUTE_REFRESH]);
	json_uint(j, "routeRefreshRecv", s->msg_rcvd[BGP_ROUTE_REFRESH]);
	json_uint(j, "totalSent", s->msg_sent_total);
	json_uint(j, "totalRecv", s->msg_rcvd_total);
	json_object_close(j);
}

static void
show_json_nbr_af(struct json *j, const struct show_nbr_af *a)
{
	const struct peer_af_config *c = a->c;

	json_object_open(j, show_aid_key(a->aid));
	if (c->soft_reconfig_in)
		json_bool(j, "inboundSoftConfigPermit", 1);
	if (c->plist_in[0] != '\0')
		json_string(j, "incomingUpdatePrefixFilterList", c->plist_in);
	if (c->plist_out[0] != '\0')
		json_string(j, "outgoingUpdatePrefixFilterList", c->plist_out);
	if (c->rmap_in[0] != '\0')
		json_string(j, "routeMapForIncomingAdvertisements", c->rmap_in);
	if (c->rmap_out[0] != '\0')
		json_string(j, "routeMapForOutgoingAdvertisements",
		    c->rmap_out);
	json_uint(j, "acceptedPrefixCounter", a->accepted);
	json_uint(j, "sentPrefixCounter", a->sent);
	if (c->max_prefix > 0) {
		json_uint(j, "prefixAllowedMax", c->max_prefix);
		json_bool(j, "prefixAllowedMaxWarning", c->max_prefix_warning);
		json_uint(j, "prefixAllowedWarningThresh",
		    c->max_prefix_threshold);
		if (c->max_prefix_restart > 0)
			json_uint(j, "prefixAllowedRestartIntervalMsecs",
			    (uint64_t)c->max_prefix_restart * 60000);
	}
	if (c->max_prefix_out > 0)
		json_uint(j, "prefixOutAllowedMax", c->max_prefix_out);
	if (a->policy_in)
		json_string(j, "inboundEbgpRequiresPolicy", "Inbound updates "
		    "discarded due to missing policy");
	if (a->policy_out)
		json_string(j, "outboundEbgpRequiresPolicy", "Outbound updates "
		    "discarded due to missing policy");
	json_object_close(j);
}

static void
show_json_nbr_notify(struct json *j, const char *key,
    const struct show_notify *sn)
{
	if (sn->code == 0)
		return;
	json_object_open(j, key);
	json_uint(j, "code", sn->code);
	json_uint(j, "subcode", sn->subcode);
	json_string(j, "reason", sn->reason);
	if (sn->has_shutdown)
		json_string(j, "shutdownMessage", sn->shutdown);
	json_uint(j, "agoMsecs", (uint64_t)sn->ago * 1000);
	json_object_close(j);
}

/* FRR's "status" is "Up", "Down" or "Unknown". */
static void
show_json_nbr_bfd(struct json *j, const struct bfd_sess *bs)
{
	struct bfd_info	 bi;

	bfd_sess_info(bs, &bi);
	json_string(j, "status", bi.state == BFD_UP ? "Up" :
	    bi.state == BFD_ADMIN_DOWN ? "AdminDown" : "Down");
	json_string(j, "remoteStatus", bfd_state_name(bi.remote_state));
	json_string(j, "diagnostic", bfd_diag_name(bi.local_diag));
}

/* "liveness" is tbgpd's; "peerBfdInfo" has FRR's keys for the intervals. */
static void
show_json_nbr_live(struct json *j, const struct show_nbr *n)
{
	const struct peer_config	*c = n->conf;

	if (c->live_tcp_timeout != 0 || c->live_icmp_interval != 0 ||
	    n->live_reason[0] != '\0') {
		json_object_open(j, "liveness");
		if (c->live_tcp_timeout != 0) {
			json_uint(j, "tcpTimeoutMsec", c->live_tcp_timeout);
			json_uint(j, "keepaliveMsec", c->live_tcp_keepalive);
			json_bool(j, "tcpArmed", n->live_ka_ms != 0);
		}
		if (c->live_icmp_interval != 0) {
			json_uint(j, "icmpIntervalMsec", c->live_icmp_interval);
			json_uint(j, "icmpMultiplier", c->live_icmp_mult);
			json_uint(j, "icmpUpAfter", c->live_icmp_up);
		}
		if (n->probe != NULL) {
			json_string(j, "icmpState",
			    probe_state_name(probe_state(n->probe)));
			json_uint(j, "icmpRttUsec",
			    probe_stats(n->probe)->rtt_us_last);
		}
		json_uint(j, "downs", n->live_downs);
		if (n->live_reason[0] != '\0') {
			json_string(j, "lastDownReason", n->live_reason);
			json_uint(j, "lastDownAgoMsecs",
			    (uint64_t)n->live_ago * 1000);
		}
		json_bool(j, "fastReconnect", n->live_waiting);
		json_object_close(j);
	}
	if (!c->bfd)
		return;
	json_object_open(j, "peerBfdInfo");
	json_uint(j, "detectMultiplier", c->bfd_mult);
	json_uint(j, "rxMinInterval", c->bfd_min_rx);
	json_uint(j, "txMinInterval", c->bfd_interval);
	if (n->bfd != NULL)
		show_json_nbr_bfd(j, n->bfd);
	json_object_close(j);
}

static void
show_json_nbr_tail(struct json *j, const struct show_nbr *n)
{
	json_uint(j, "connectionsEstablished", n->stats->established);
	json_uint(j, "connectionsDropped", n->stats->dropped);
	if (n->last_error[0] != '\0')
		json_string(j, "lastResetDueTo", n->last_error);
	if (n->newest != NULL)
		json_string(j, "lastNotificationReason", n->newest->reason);
	show_json_nbr_notify(j, "lastNotificationSent", &n->sent);
	show_json_nbr_notify(j, "lastNotificationReceived", &n->rcvd);
	show_json_nbr_live(j, n);
	if (n->ifname[0] != '\0') {
		json_string(j, "interface", n->ifname);
		json_string(j, "interfaceState", n->ifstate);
	}
	if (n->negotiated) {
		json_string(j, "hostLocal", n->local);
		json_uint(j, "portLocal", n->local_port);
		json_string(j, "hostForeign", n->addr);
		json_uint(j, "portForeign", n->remote_port);
	}
}

static void
show_json_nbr(struct show_w *w, const struct show_nbr *n)
{
	struct json	*j = &w->j;
	int		 i;

	json_object_open(j, n->addr);
	json_uint(j, "remoteAs", n->remote_as);
	json_uint(j, "localAs", n->local_as);
	json_bool(j, "nbrExternalLink", 1);
	if (n->descr[0] != '\0')
		json_string(j, "nbrDesc", n->descr);
	if (n->admin_down)
		json_bool(j, "adminShutDown", 1);
	json_uint(j, "bgpVersion", BGP_VERSION);
	json_string(j, "remoteRouterId", bgpid_str(n->remote_id));
	json_string(j, "localRouterId", bgpid_str(n->local_id));
	json_string(j, "bgpState", n->state);
	show_json_nbr_timers(j, n);
	json_bool(j, "extendedOptionalParametersLength", n->ext_params);
	show_json_nbr_caps(j, n);
	show_gr_json(j, &n->gr);
	show_json_nbr_stats(j, n);
	if (n->naf > 0) {
		json_object_open(j, "addressFamilyInfo");
		for (i = 0; i < n->naf; i++)
			show_json_nbr_af(j, &n->af[i]);
		json_object_close(j);
	}
	show_json_nbr_tail(j, n);
	json_object_close(j);
}

static void
show_json_nbr_none(struct show_w *w)
{
	json_bool(&w->j, "bgpNoSuchNeighbor", 1);
}

static const struct show_fmt show_json = {
	.begin = show_json_begin,
	.end = show_json_finish,
	.sum_head = show_json_sum_head,
	.sum_row = show_json_sum_row,
	.sum_tail = show_json_sum_tail,
	.sum_none = show_json_sum_none,
	.nbr = show_json_nbr,
	.nbr_none = show_json_nbr_none,
};

/* -------------------------------------------------------------- commands */

static const struct show_fmt *
show_begin(struct show_w *w, const struct show_req *req, int json)
{
	const struct show_fmt *f = json ? &show_json : &show_text;

	w->b = req->out;
	f->begin(w);
	return f;
}

static void
show_sum_af(const struct show_fmt *f, struct show_w *w,
    const struct show_sum *s, time_t now)
{
	struct show_sum_row	 r;
	struct peer		*p;

	f->sum_head(w, s);
	TAILQ_FOREACH(p, &peers, entry) {
		if (!(p->conf->af_active & AID_BIT(s->aid)))
			continue;
		show_sum_row_fill(&r, p, s->aid, now);
		f->sum_row(w, &r);
	}
	f->sum_tail(w, s);
}

/* show [ip] bgp [ipv4|ipv6 unicast] summary [json] */
int
show_summary(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	const struct show_fmt	*f;
	struct show_w		 w;
	struct show_sum		 s;
	time_t			 now = show_now();
	int			 aid, shown = 0;

	/* A static-tunnel configuration (no router bgp), as FRR answers
	 * without a BGP instance. */
	if (req->conf != NULL && req->conf->as == 0) {
		show_printf(req->out, m->json ? "{}\n" :
		    "%% BGP instance not found\n");
		return !m->json;
	}
	f = show_begin(&w, req, m->json);
	for (aid = 0; req->conf != NULL && aid < AID_MAX; aid++) {
		if (!(m->entry->arg & AID_BIT(aid)) ||
		    show_sum_fill(&s, req->conf, aid) == 0)
			continue;
		show_sum_af(f, &w, &s, now);
		shown++;
	}
	if (shown == 0)
		f->sum_none(&w, req->conf != NULL ?
		    show_sum_ident(&s, req->conf) : NULL);
	f->end(&w);
	return 0;
}

/* show [ip] bgp neighbors [A.B.C.D|X:X::X:X] [json] */
int
show_neighbors(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	const struct show_fmt	*f;
	struct show_w		 w;
	struct show_nbr		 n;
	struct tb_addr		 want;
	struct peer		*p;
	time_t			 now = show_now();
	int			 one, found = 0;

	one = m->argc > 0 && addr_parse(m->argv[0], &want) == 0;
	f = show_begin(&w, req, m->json);
	TAILQ_FOREACH(p, &peers, entry) {
		if (one && addr_cmp(&p->conf->remote, &want) != 0)
			continue;
		found++;
		show_nbr_fill(&n, p, now);
		f->nbr(&w, &n);
	}
	if (one && found == 0)
		f->nbr_none(&w);
	f->end(&w);
	return one && found == 0;
}
