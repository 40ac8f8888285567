/*
 * ctl_static: the static routes in the shell.
 *
 *   show ip|ipv6 route static [json]   FRR's layout: one entry per prefix
 *                                      and distance, > selected, * in the
 *                                      kernel, inactive next hops marked
 *   show ip|ipv6 static [json]         each next hop: distance, state,
 *                                      tracking, last change and why
 *
 * Both read the static route engine (sroute_walk), what rtsel chose
 * between the static routes and BGP, and what the FIB engine has in the
 * kernel for the prefix.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_show.h"
#include "ctl_static.h"
#include "fib.h"
#include "json.h"
#include "kernel.h"
#include "log.h"
#include "rtsel.h"
#include "sroute.h"
#include "track.h"

/* One prefix's state as the show commands need it. */
struct cs_pfx {
	struct sroute_pfx_info	 pi;
	int			 selected;	/* rtsel: enum rtsel_src, -1 */
	uint8_t			 bgp_distance;
	int			 installed;	/* the kernel has the static one */
	int			 pending;	/* a request in flight */
	int			 err;
};

struct cs_ctx {
	struct buf		*out;
	struct json		*j;
	int			 af;
	uint64_t		 now;
	struct cs_pfx		 cur;
	int			 open;		/* JSON depth open */
	unsigned		 n;
	uint8_t			 lastd;		/* distance of the last
						 * next hop shown */
};

static void
cs_pfx_state(const struct sroute_pfx_info *pi, struct cs_pfx *cp)
{
	struct fib_route_info	 ri;
	struct rtsel_info	 info;

	memset(cp, 0, sizeof(*cp));
	cp->pi = *pi;
	cp->selected = -1;
	cp->bgp_distance = rtsel_distance(kernel_rtsel(), RTSEL_BGP);
	if (rtsel_get(kernel_rtsel(), &pi->prefix, &info) == 0) {
		cp->selected = info.selected;
		cp->bgp_distance = info.distance[RTSEL_BGP];
	}
	if (kernel_fib() != NULL &&
	    fib_get(kernel_fib(), &pi->prefix, &ri) == 0) {
		cp->installed = ri.installed && ri.proto == FIB_PROTO_STATIC;
		cp->pending = ri.pending || ri.queued;
		cp->err = ri.err;
	}
}

static const char *
cs_age(const struct cs_ctx *c, uint64_t since, char *buf, size_t len)
{
	long long	 s = c->now > since ? (long long)(c->now - since) / 1000 :
			    0;

	return show_fmt_time(s, buf, len);
}

/* ---------------------------------------------- show ip route static */

static const char *
cs_drop_words(const struct static_config *sc)
{
	return sc->kind == STATIC_BLACKHOLE ? "unreachable (blackhole)" :
	    "unreachable (ICMP unreachable)";
}

static int
cs_usable(const struct sroute_nh_info *ni)
{
	return ni->state == SR_UP || ni->state == SR_HELD;
}

/* Is this next hop's distance the prefix's selected static route? */
static int
cs_sel(const struct cs_ctx *c, const struct sroute_nh_info *ni)
{
	return c->cur.selected == RTSEL_STATIC &&
	    ni->conf->distance == c->cur.pi.distance;
}

static void
cs_route_text(const struct cs_ctx *c, const struct sroute_nh_info *ni,
    int first)
{
	const struct static_config	*sc = ni->conf;
	char				 age[32];
	int				 sel = cs_sel(c, ni);

	if (first)
		show_printf(c->out, "S%s%s %s [%u/0]", sel ? ">" : " ",
		    sel && c->cur.installed ? "*" : c->cur.pending && sel ?
		    "q" : " ", prefix_str(&sc->prefix), sc->distance);
	else
		show_printf(c->out, "  %s%*s", sel && ni->selected &&
		    c->cur.installed ? "*" : " ",
		    (int)strlen(prefix_str(&sc->prefix)) + 7, "");
	if (sc->kind == STATIC_BLACKHOLE || sc->kind == STATIC_REJECT)
		show_printf(c->out, " %s", cs_drop_words(sc));
	else if (sc->kind == STATIC_IFACE)
		show_printf(c->out, " is directly connected, %s", sc->ifname);
	else
		show_printf(c->out, " via %s%s%s", addr_str(&sc->gw),
		    ni->ifindex ? ", " : sc->ifname[0] ? ", " : "",
		    ni->ifindex ? show_ifname(ni->ifindex) : sc->ifname);
	if (!cs_usable(ni))
		show_printf(c->out, " inactive");
	show_printf(c->out, ", weight 1, %s\n",
	    cs_age(c, ni->since, age, sizeof(age)));
}

/* JSON: each prefix an array of route entries (one per distance), as
 * FRR's show ip route json; open says how deep we are (0 nothing, 1 the
 * prefix's array, 2 an entry and its next hops). */
static void
cs_json_close(struct cs_ctx *c, int to)
{
	if (c->open == 2 && to < 2) {
		json_array_close(c->j);
		json_object_close(c->j);
		c->open = 1;
	}
	if (c->open == 1 && to < 1) {
		json_array_close(c->j);
		c->open = 0;
	}
}

static void
cs_route_json_entry(struct cs_ctx *c, const struct sroute_nh_info *ni)
{
	const struct static_config	*sc = ni->conf;
	struct json			*j = c->j;
	char				 age[32];
	int				 sel = cs_sel(c, ni);

	cs_json_close(c, 1);
	if (c->open == 0)
		json_array_open(j, prefix_str(&sc->prefix));
	c->open = 2;
	json_object_open(j, NULL);
	json_string(j, "prefix", prefix_str(&sc->prefix));
	json_string(j, "protocol", "static");
	json_bool(j, "selected", sel);
	json_bool(j, "destSelected", c->cur.selected == RTSEL_STATIC);
	json_uint(j, "distance", sc->distance);
	json_uint(j, "metric", 0);
	json_bool(j, "installed", sel && c->cur.installed);
	if (kernel_fib() != NULL)
		json_uint(j, "table", fib_opts(kernel_fib())->table);
	json_string(j, "uptime", cs_age(c, ni->since, age, sizeof(age)));
	json_array_open(j, "nexthops");
}

static void
cs_route_json(struct cs_ctx *c, const struct sroute_nh_info *ni, int first)
{
	const struct static_config	*sc = ni->conf;
	struct json			*j = c->j;
	int				 sel = cs_sel(c, ni);

	if (first)
		cs_route_json_entry(c, ni);
	json_object_open(j, NULL);
	json_bool(j, "fib", sel && ni->selected && c->cur.installed);
	if (sc->kind == STATIC_GATEWAY) {
		json_string(j, "ip", addr_str(&sc->gw));
		json_string(j, "afi", sc->gw.af == AF_INET6 ? "ipv6" : "ipv4");
	} else if (sc->kind == STATIC_IFACE)
		json_bool(j, "directlyConnected", 1);
	else
		json_string(j, "unreachable", sc->kind == STATIC_BLACKHOLE ?
		    "blackhole" : "reject");
	if (ni->ifindex != 0 || sc->ifname[0] != '\0')
		json_string(j, "interfaceName", ni->ifindex != 0 ?
		    show_ifname(ni->ifindex) : sc->ifname);
	json_bool(j, "active", cs_usable(ni));
	json_uint(j, "weight", 1);
	json_object_close(j);
}

static void
cs_route_pfx(const struct sroute_pfx_info *pi, void *arg)
{
	struct cs_ctx	*c = arg;

	if (c->j != NULL)
		cs_json_close(c, 0);
	cs_pfx_state(pi, &c->cur);
	c->lastd = 0;
}

/* Next hops come in distance order within a prefix: a new distance is a
 * new route entry. */
static void
cs_route_nh(const struct sroute_pfx_info *pi, const struct sroute_nh_info *ni,
    void *arg)
{
	struct cs_ctx	*c = arg;
	int		 first = ni->conf->distance != c->lastd;

	if (pi->prefix.addr.af != c->af)
		return;
	c->lastd = ni->conf->distance;
	if (c->j != NULL)
		cs_route_json(c, ni, first);
	else
		cs_route_text(c, ni, first);
}

/* What both commands start with: the context, and the JSON object
 * opened when asked for. */
static void
cs_begin(struct cs_ctx *c, struct json *j, const struct cmd_match *m,
    const struct show_req *req)
{
	memset(c, 0, sizeof(*c));
	c->out = req->out;
	c->af = m->entry->arg;
	c->now = sroute_now();
	if (!m->json)
		return;
	json_init(j, req->out);
	json_object_open(j, NULL);
	c->j = j;
}

int
show_static_routes(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct json		 j;
	struct cs_ctx		 c;

	cs_begin(&c, &j, m, req);
	if (c.j == NULL)
		show_printf(req->out, "Codes: S - static, > - selected route, "
		    "* - FIB route, q - queued\n\n");
	if (sroute_running() != NULL)
		sroute_walk(sroute_running(), cs_route_pfx, cs_route_nh, &c);
	if (c.j != NULL) {
		cs_json_close(&c, 0);
		json_object_close(&j);
		show_printf(req->out, "\n");
	}
	return 0;
}

/* ---------------------------------------------- show ip static */

static const char *
cs_kind(const struct static_config *sc)
{
	switch (sc->kind) {
	case STATIC_GATEWAY:
		return "gateway";
	case STATIC_IFACE:
		return "interface";
	case STATIC_BLACKHOLE:
		return "blackhole";
	default:
		return "reject";
	}
}

/* "via 169.254.116.209 t1", "dev vti1", "blackhole". */
static const char *
cs_target(const struct sroute_nh_info *ni, char *buf, size_t len)
{
	const struct static_config	*sc = ni->conf;
	const char			*ifn = ni->ifindex != 0 ?
					    show_ifname(ni->ifindex) :
					    sc->ifname;

	if (sc->kind == STATIC_GATEWAY)
		snprintf(buf, len, "via %s%s%s", addr_str(&sc->gw),
		    ifn[0] != '\0' ? " " : "", ifn);
	else if (sc->kind == STATIC_IFACE)
		snprintf(buf, len, "dev %s", sc->ifname);
	else
		snprintf(buf, len, "%s", cs_kind(sc));
	return buf;
}

/* "icmp to 172.16.0.10 every 100 ms, down after 3, up after 3". */
static const char *
cs_tracking(const struct static_config *sc, char *buf, size_t len)
{
	if (sc->track == STATIC_TRACK_ICMP)
		snprintf(buf, len, "icmp to %s every %u ms, down after %u, "
		    "up after %u", addr_str(addr_isset(&sc->icmp_target) ?
		    &sc->icmp_target : &sc->gw), sc->icmp_interval,
		    sc->icmp_mult, sc->icmp_up);
	else if (sc->track == STATIC_TRACK_BFD)
		snprintf(buf, len, "bfd to %s, %u/%u ms x %u",
		    addr_str(&sc->gw), sc->bfd_interval, sc->bfd_min_rx,
		    sc->bfd_mult);
	else
		snprintf(buf, len, "the interface only");
	return buf;
}

static const char *
cs_trk_state(const struct sroute_nh_info *ni)
{
	const struct track_ref	*r = sroute_nh_track(ni);

	if (ni->conf->track == STATIC_TRACK_NONE)
		return "none";
	if (r == NULL)
		return "not running";
	if (track_state(r) == TRACK_INIT)
		return track_errno(r) != 0 ? "cannot start" : "init";
	return track_state_name(track_state(r));
}

/* What became of the prefix, in words. */
static const char *
cs_pfx_words(const struct cs_ctx *c, char *buf, size_t len)
{
	const struct cs_pfx	*p = &c->cur;

	if (p->pi.distance == 0)
		snprintf(buf, len, "no usable next hop");
	else if (p->selected == RTSEL_BGP)
		snprintf(buf, len, "BGP's route is used (distance %u < %u)",
		    p->bgp_distance, p->pi.distance);
	else if (kernel_fib() == NULL)
		snprintf(buf, len, "selected, distance %u (no fib install)",
		    p->pi.distance);
	else if (p->installed)
		snprintf(buf, len, "installed, distance %u, table %u",
		    p->pi.distance, fib_opts(kernel_fib())->table);
	else if (p->pending)
		snprintf(buf, len, "being installed, distance %u",
		    p->pi.distance);
	else
		snprintf(buf, len, "not installed, distance %u%s%s",
		    p->pi.distance, p->err ? ": " : "", p->err ?
		    strerror(p->err) : "");
	return buf;
}

static void
cs_static_pfx(const struct sroute_pfx_info *pi, void *arg)
{
	struct cs_ctx	*c = arg;
	char		 w[128];

	if (c->j != NULL && c->open) {
		json_array_close(c->j);
		json_object_close(c->j);
		c->open = 0;
	}
	cs_pfx_state(pi, &c->cur);
	if (pi->prefix.addr.af != c->af)
		return;
	if (c->j == NULL) {
		show_printf(c->out, "%s%s: %s\n", c->n++ ? "\n" : "",
		    prefix_str(&pi->prefix), cs_pfx_words(c, w, sizeof(w)));
		return;
	}
	json_object_open(c->j, prefix_str(&pi->prefix));
	json_string(c->j, "prefix", prefix_str(&pi->prefix));
	json_string(c->j, "status", cs_pfx_words(c, w, sizeof(w)));
	json_bool(c->j, "installed", c->cur.selected == RTSEL_STATIC &&
	    c->cur.installed);
	json_string(c->j, "selectedProtocol", c->cur.selected ==
	    RTSEL_STATIC ? "static" : c->cur.selected == RTSEL_BGP ? "bgp" :
	    "none");
	json_uint(c->j, "distance", pi->distance);
	json_array_open(c->j, "nexthops");
	c->open = 1;
}

static void
cs_static_text(const struct cs_ctx *c, const struct sroute_nh_info *ni)
{
	char	 t[128], tr[128], age[32], held[32];

	show_printf(c->out, "  %s, distance %u: %s%s\n",
	    cs_target(ni, t, sizeof(t)), ni->conf->distance,
	    sroute_state_name(ni->state), ni->selected ? ", selected" :
	    ni->state == SR_UP ? ", standby" : "");
	if (ni->conf->track != STATIC_TRACK_NONE)
		show_printf(c->out, "    tracking: %s: %s\n",
		    cs_tracking(ni->conf, tr, sizeof(tr)), cs_trk_state(ni));
	else if (ni->conf->kind == STATIC_GATEWAY ||
	    ni->conf->kind == STATIC_IFACE)
		show_printf(c->out, "    tracking: none (the interface's "
		    "state only)\n");
	if (ni->conf->failback_delay != 0)
		show_printf(c->out, "    failback-delay %u s%s%s\n",
		    ni->conf->failback_delay, ni->state == SR_HELD ?
		    ", held for another " : "", ni->state == SR_HELD ?
		    show_fmt_time((long long)(ni->held_until > c->now ?
		    ni->held_until - c->now : 0) / 1000, held, sizeof(held)) :
		    "");
	show_printf(c->out, "    last change %s ago: %s\n",
	    cs_age(c, ni->since, age, sizeof(age)), ni->why);
}

static void
cs_static_json(const struct cs_ctx *c, const struct sroute_nh_info *ni)
{
	const struct static_config	*sc = ni->conf;
	const struct track_ref		*r = sroute_nh_track(ni);
	struct json			*j = c->j;
	char				 age[32];

	json_object_open(j, NULL);
	json_string(j, "type", cs_kind(sc));
	if (sc->kind == STATIC_GATEWAY)
		json_string(j, "ip", addr_str(&sc->gw));
	if (ni->ifindex != 0 || sc->ifname[0] != '\0')
		json_string(j, "interfaceName", ni->ifindex != 0 ?
		    show_ifname(ni->ifindex) : sc->ifname);
	json_uint(j, "distance", sc->distance);
	json_string(j, "state", sroute_state_name(ni->state));
	json_bool(j, "selected", ni->selected);
	json_string(j, "reason", ni->why);
	json_string(j, "lastChange", cs_age(c, ni->since, age, sizeof(age)));
	json_uint(j, "lastChangeMsecs", c->now > ni->since ?
	    c->now - ni->since : 0);
	json_uint(j, "ups", ni->ups);
	json_uint(j, "downs", ni->downs);
	json_uint(j, "failbackDelay", sc->failback_delay);
	if (ni->state == SR_HELD)
		json_uint(j, "heldMsecs", ni->held_until > c->now ?
		    ni->held_until - c->now : 0);
	json_object_open(j, "tracking");
	json_string(j, "type", sc->track == STATIC_TRACK_ICMP ? "icmp" :
	    sc->track == STATIC_TRACK_BFD ? "bfd" : "interface");
	json_string(j, "state", cs_trk_state(ni));
	if (sc->track == STATIC_TRACK_ICMP) {
		json_string(j, "target", addr_str(addr_isset(&sc->icmp_target) ?
		    &sc->icmp_target : &sc->gw));
		json_uint(j, "intervalMsecs", sc->icmp_interval);
		json_uint(j, "multiplier", sc->icmp_mult);
		json_uint(j, "up", sc->icmp_up);
	} else if (sc->track == STATIC_TRACK_BFD) {
		json_string(j, "peer", addr_str(&sc->gw));
		json_uint(j, "txMinInterval", sc->bfd_interval);
		json_uint(j, "rxMinInterval", sc->bfd_min_rx);
		json_uint(j, "detectMultiplier", sc->bfd_mult);
	}
	if (r != NULL) {
		json_string(j, "lastVerdict", track_why(r));
		json_string(j, "runsOver", track_ifname(r));
		json_uint(j, "sharedBy", track_refs(r));
	}
	json_object_close(j);
	json_object_close(j);
}

static void
cs_static_nh(const struct sroute_pfx_info *pi, const struct sroute_nh_info *ni,
    void *arg)
{
	struct cs_ctx	*c = arg;

	if (pi->prefix.addr.af != c->af)
		return;
	if (c->j != NULL)
		cs_static_json(c, ni);
	else
		cs_static_text(c, ni);
}

int
show_static(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct json		 j;
	struct cs_ctx		 c;

	cs_begin(&c, &j, m, req);
	if (sroute_running() != NULL)
		sroute_walk(sroute_running(), cs_static_pfx, cs_static_nh, &c);
	if (c.j != NULL) {
		if (c.open) {
			json_array_close(&j);
			json_object_close(&j);
		}
		json_object_close(&j);
		show_printf(req->out, "\n");
	} else if (c.n == 0)
		show_printf(req->out, "%% No static routes\n");
	return 0;
}
