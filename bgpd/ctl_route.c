/*
 * ctl_route: the `show` commands that list routes: a family's table
 * (the Loc-RIB with every path, or only the prefixes inside one), one
 * prefix with every path explained, and what one neighbor sent us,
 * before and after policy, and what we send it.
 *
 * As in ctl_show.c, each path is first turned into a plain result
 * (struct rs_row, struct rs_detail: every value a renderer prints,
 * worked out once), then handed to the text renderer (FRR's vtysh
 * layout) or the JSON one (FRR's keys, plus "lostTo" / "lostReason" on
 * the paths that are not best).  A table is walked once, in prefix
 * order, from one rib_sorted() array: a full table costs n log n for
 * the sort and one pass, never a lookup per printed line.
 *
 * The RIB, the sources and the Adj-RIBs-Out come from show_rde(), so
 * the unit tests can show a RIB they built without sessions.
 */
#include "config.h"

#include <sys/socket.h>
#include <net/if.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "adjout.h"
#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "cmd.h"
#include "ctl_show.h"
#include "fib.h"
#include "json.h"
#include "log.h"
#include "peer.h"
#include "rib.h"

#define RS_NET_MAX	(ADDR_STRLEN + 4)	/* "addr/len" */
#define RS_WHY_MAX	160
#define RS_SCRATCH	(1024 * 1024)		/* one path's text */

/* --------------------------------------------------------------- results */

/* Who we are, above every table. */
struct rs_head {
	int		 aid;
	uint32_t	 router_id;
	uint32_t	 local_as;
	uint64_t	 version;	/* rib_version(): the table version */
	const char	*list_key;	/* JSON: "routes", "receivedRoutes"... */
};

/* One path as a table row shows it. */
struct rs_row {
	char		 network[RS_NET_MAX];	/* "10.0.0.0/24" */
	char		 addr[ADDR_STRLEN];	/* "10.0.0.0" */
	uint8_t		 plen;
	int		 first;		/* the first path shown of its prefix */
	int		 valid;		/* eligible: accepted, next hop usable */
	int		 nh_unreach;	/* next hop not resolvable (nexthop.c) */
	int		 stale;		/* graceful restart (rde_gr.c) */
	int		 best;
	int		 multipath;
	int		 local;		/* locally originated */
	int		 v6;
	int		 has_med, has_lp;
	uint32_t	 med, lp, weight;
	uint8_t		 origin;
	char		 nexthop[ADDR_STRLEN];
	char		 nexthop_ll[ADDR_STRLEN];	/* "": none */
	char		 peer[ADDR_STRLEN];	/* "(unspec)" when local */
	const char	*path;		/* AS path as FRR prints it */
	const char	*reason;	/* the best's selection reason, or NULL */
};

/* One path of one prefix, in full. */
struct rs_detail {
	struct rs_row		 r;
	const struct aspath	*aspath;
	const char		*comm;		/* NULL: none */
	const char		*ecomm;
	const char		*lcomm;
	char			 from[ADDR_STRLEN];
	uint32_t		 router_id;	/* the neighbor's; ours if local */
	long long		 updated;	/* wall clock, seconds */
	int			 lost;		/* not best, lost_* explain why */
	char			 lost_to[ADDR_STRLEN];
	char			 lost_why[RS_WHY_MAX];
};

/* One prefix, above its paths.  A VPN host has a handful of tunnels:
 * past RS_ADV_MAX neighbors the list of those it goes to is cut. */
#define RS_ADV_MAX	16
struct rs_entry {
	char		 network[RS_NET_MAX];
	int		 npaths;
	int		 best;		/* 1-based, 0: none */
	int		 nadv;		/* neighbors it is advertised to */
	char		 adv[RS_ADV_MAX][ADDR_STRLEN];
};

/* Whether and how a prefix is in the kernel, or why not. */
struct rs_kernel {
	const char	*status;	/* installed, pending, failed, ... */
	const char	*why;		/* the reason, "" if none */
	int		 installed;
	int		 fib;		/* routes go to the kernel */
	uint32_t	 table, metric, fails;
	size_t		 nnh;
	char		 nh[FIB_MAXNH][ADDR_STRLEN];
	char		 ifname[FIB_MAXNH][IF_NAMESIZE];
};

struct rs_ctx;

struct rs_fmt {
	void	(*head)(struct rs_ctx *);
	void	(*row)(struct rs_ctx *, const struct rs_row *);
	void	(*tail)(struct rs_ctx *);
	void	(*adj_row)(struct rs_ctx *, const struct rs_row *);
	void	(*adj_tail)(struct rs_ctx *);
	void	(*entry)(struct rs_ctx *, const struct rs_entry *);
	void	(*path)(struct rs_ctx *, const struct rs_detail *);
	void	(*entry_end)(struct rs_ctx *, const struct rs_kernel *);
	void	(*fail)(struct rs_ctx *, const char *why);
};

struct rs_ctx {
	const struct rs_fmt	*f;
	struct buf		*b;
	struct json		 j;
	struct rs_head		 head;
	int			 headed;	/* text: header printed */
	int			 open;		/* JSON: a path array is open */
	struct rib		*rib;
	struct buf		 s_path, s_comm, s_ecomm, s_lcomm;
	size_t			 routes;	/* prefixes shown */
	size_t			 paths;		/* paths shown */
	size_t			 filtered;	/* received, denied by policy */
};

/* ------------------------------------------------------------- the fill */

/* A C string of what a printer appended to a scratch buffer. */
static const char *
rs_cstr(struct buf *s)
{
	buf_put_u8(s, 0);
	if (buf_error(s))
		return "";
	return (const char *)buf_data(s);
}

static const char *
rs_aspath_str(struct rs_ctx *c, const struct aspath *as)
{
	buf_reset(&c->s_path);
	if (as != NULL)
		aspath_print(&c->s_path, as);
	return rs_cstr(&c->s_path);
}

static const char *
rs_comms_str(struct buf *s, const struct comms *cm)
{
	if (cm == NULL || cm->n == 0)
		return NULL;
	buf_reset(s);
	comms_print(s, cm);
	return rs_cstr(s);
}

/* An unset address (local routes) reads as the family's any address. */
static void
rs_addr(const struct tb_addr *a, int aid, char *out, size_t len)
{
	if (addr_isset(a))
		addr_ntop(a, out, len);
	else
		snprintf(out, len, "%s", aid == AID_IPV6_UNICAST ? "::" :
		    "0.0.0.0");
}

static void
rs_row_prefix(struct rs_row *r, const struct rib_entry *e)
{
	struct tb_prefix	 p;

	rib_entry_prefix(e, &p);
	addr_ntop(&p.addr, r->addr, sizeof(r->addr));
	snprintf(r->network, sizeof(r->network), "%s/%u", r->addr, p.len);
	r->plen = p.len;
	r->v6 = e->aid == AID_IPV6_UNICAST;
}

static void
rs_row_attr(struct rs_ctx *c, struct rs_row *r, const struct attr *a,
    int aid)
{
	r->has_med = (a->flags & ATTRF_MED) != 0;
	r->has_lp = (a->flags & ATTRF_LOCAL_PREF) != 0;
	r->med = a->med;
	r->lp = a->local_pref;
	r->weight = a->weight;
	r->origin = a->origin;
	rs_addr(&a->nexthop, aid, r->nexthop, sizeof(r->nexthop));
	r->nexthop_ll[0] = '\0';
	if ((a->flags & ATTRF_NEXTHOP_LL) && addr_isset(&a->nexthop_ll))
		addr_ntop(&a->nexthop_ll, r->nexthop_ll,
		    sizeof(r->nexthop_ll));
	r->path = rs_aspath_str(c, a->aspath);
}

/* FRR's words for the step that made the best path best. */
static const char *
rs_reason(enum rib_step step)
{
	switch (step) {
	case STEP_NONE:
	case STEP_ELIGIBLE:
		return "First path received";
	case STEP_WEIGHT:
		return "Weight";
	case STEP_LOCAL_PREF:
		return "Local Pref";
	case STEP_LOCAL_ORIGIN:
		return "Local Route";
	case STEP_AS_PATH:
		return "AS Path";
	case STEP_ORIGIN:
		return "Origin";
	case STEP_MED:
		return "MED";
	case STEP_EBGP:
		return "Peer Type";
	case STEP_OLDEST:
		return "Older Path";
	case STEP_ROUTER_ID:
		return "Router ID";
	case STEP_PEER_ADDR:
		return "Neighbor IP";
	default:
		return "Nothing left to compare";
	}
}

/* The best path won against the runner-up on the step the runner-up
 * records (paths are sorted best first); alone, it was simply first. */
static const char *
rs_best_reason(const struct rib_path *best)
{
	const struct rib_path	*next;

	for (next = best->next; next != NULL; next = next->next)
		if (next->attr != NULL)
			return rs_reason((enum rib_step)next->lost);
	return rs_reason(STEP_NONE);
}

/* The RIB flags the best as in the multipath set even when it is alone
 * there; FRR says "multipath" only of a set of two or more. */
static int
rs_multipath(const struct rib_entry *e, const struct rib_path *p)
{
	const struct rib_path	*q;

	if (!(p->flags & PATH_MULTIPATH))
		return 0;
	for (q = e->paths; q != NULL; q = q->next)
		if (q != p && (q->flags & PATH_MULTIPATH))
			return 1;
	return 0;
}

/* An entry the Loc-RIB has: one accepted path at least. */
static int
rs_shown(const struct rib_entry *e)
{
	const struct rib_path	*p;

	for (p = e != NULL ? e->paths : NULL; p != NULL; p = p->next)
		if (p->attr != NULL)
			return 1;
	return 0;
}

static void
rs_row_fill(struct rs_ctx *c, struct rs_row *r, const struct rib_entry *e,
    const struct rib_path *p, const struct attr *a)
{
	r->valid = p->attr != NULL && !(p->flags & PATH_NH_UNREACH);
	r->nh_unreach = (p->flags & PATH_NH_UNREACH) != 0;
	r->stale = (p->flags & PATH_STALE) != 0;
	r->best = (p->flags & PATH_BEST) != 0;
	r->multipath = rs_multipath(e, p);
	r->local = p->src->local;
	if (r->local)
		snprintf(r->peer, sizeof(r->peer), "(unspec)");
	else
		addr_ntop(&p->src->addr, r->peer, sizeof(r->peer));
	rs_row_attr(c, r, a, e->aid);
	r->reason = r->best ? rs_best_reason(p) : NULL;
}

/* Wall-clock time of a monotonic stamp. */
static long long
rs_wall(uint32_t since)
{
	return (long long)time(NULL) - ((long long)show_now() - since);
}

/* Why p is not the best: the decision step against the best, told as
 * rib_step_explain() tells it. */
static void
rs_detail_lost(struct rs_ctx *c, struct rs_detail *d,
    const struct rib_path *p, const struct rib_path *best, int aid)
{
	enum rib_step	 step = STEP_NONE;

	d->lost = 0;
	if (best == NULL || best == p)
		return;
	rib_path_cmp(c->rib, best, p, &step);
	if (best->src->local)
		rs_addr(&best->src->addr, aid, d->lost_to, sizeof(d->lost_to));
	else
		addr_ntop(&best->src->addr, d->lost_to, sizeof(d->lost_to));
	rib_step_explain(step, p, best, d->lost_why, sizeof(d->lost_why));
	if (d->lost_why[0] == '\0')
		snprintf(d->lost_why, sizeof(d->lost_why), "%s",
		    rib_step_name(step));
	d->lost = 1;
}

static void
rs_detail_fill(struct rs_ctx *c, struct rs_detail *d,
    const struct rib_entry *e, const struct rib_path *p,
    const struct rib_path *best, uint32_t our_id)
{
	const struct attr	*a = p->attr;

	memset(d, 0, sizeof(*d));
	rs_row_prefix(&d->r, e);
	rs_row_fill(c, &d->r, e, p, a);
	d->aspath = a->aspath;
	d->comm = rs_comms_str(&c->s_comm, a->comm);
	d->ecomm = rs_comms_str(&c->s_ecomm, a->ecomm);
	d->lcomm = rs_comms_str(&c->s_lcomm, a->lcomm);
	rs_addr(&p->src->addr, e->aid, d->from, sizeof(d->from));
	d->router_id = p->src->local ? our_id : p->src->bgp_id;
	d->updated = rs_wall(p->since);
	rs_detail_lost(c, d, p, best, e->aid);
}

/* ------------------------------------------------------- text renderer */

static void
rs_text_nothing(struct rs_ctx *c)
{
}

/* s padded to width; too long, it keeps its line and the next column
 * starts on a new one at wrap, as FRR does. */
static void
rs_text_col(struct buf *b, const char *s, int width, int wrap)
{
	int	 n = (int)strlen(s);

	if (n >= width)
		show_printf(b, "%s\n%*s", s, wrap, "");
	else
		show_printf(b, "%s%*s", s, width - n, "");
}

static void
rs_text_head(struct rs_ctx *c)
{
	if (c->headed)
		return;
	c->headed = 1;
	show_printf(c->b, "BGP table version is %llu, local router ID is %s, "
	    "vrf id 0\n", (unsigned long long)c->head.version,
	    bgpid_str(c->head.router_id));
	show_printf(c->b, "Default local pref %u, local AS %u\n",
	    LOCAL_PREF_DEFAULT, c->head.local_as);
	show_printf(c->b, "Status codes:  * valid, > best, = multipath, "
	    "S Stale\n");
	show_printf(c->b, "Origin codes:  i - IGP, e - EGP, ? - incomplete\n"
	    "\n");
	show_printf(c->b, "   Network          Next Hop            Metric "
	    "LocPrf Weight Path\n");
}

/* Columns after the status: Network, Next Hop, Metric, LocPrf, Weight,
 * Path and the origin code. */
static void
rs_text_cols(struct rs_ctx *c, const struct rs_row *r, int first)
{
	rs_text_col(c->b, first ? r->network : "", 17, 20);
	rs_text_col(c->b, r->nexthop, 16, 36);
	if (r->has_med)
		show_printf(c->b, "%10u", r->med);
	else
		show_printf(c->b, "%10s", "");
	if (r->has_lp)
		show_printf(c->b, "%7u", r->lp);
	else
		show_printf(c->b, "%7s", "");
	show_printf(c->b, "%7u %s%s%c\n", r->weight, r->path,
	    r->path[0] != '\0' ? " " : "", attr_origin_code(r->origin));
}

static void
rs_text_row(struct rs_ctx *c, const struct rs_row *r)
{
	rs_text_head(c);
	/* FRR: S (stale) stands where * (valid) would. */
	show_printf(c->b, "%c%c ", r->stale ? 'S' : r->valid ? '*' : ' ',
	    r->best ? '>' : r->multipath ? '=' : ' ');
	rs_text_cols(c, r, r->first);
}

static void
rs_text_tail(struct rs_ctx *c)
{
	if (c->routes == 0)
		show_printf(c->b, "No BGP prefixes displayed, %zu exist\n",
		    c->paths);
	else
		show_printf(c->b, "\nDisplayed  %zu routes and %zu total "
		    "paths\n", c->routes, c->paths);
}

static void
rs_text_adj_row(struct rs_ctx *c, const struct rs_row *r)
{
	rs_text_head(c);
	show_printf(c->b, "*> ");
	rs_text_cols(c, r, 1);
}

static void
rs_text_adj_tail(struct rs_ctx *c)
{
	if (c->routes > 0)
		show_printf(c->b, "\nTotal number of prefixes %zu\n",
		    c->routes);
}

static void
rs_text_entry(struct rs_ctx *c, const struct rs_entry *en)
{
	int	 i;

	show_printf(c->b, "BGP routing table entry for %s, version %llu\n",
	    en->network, (unsigned long long)c->head.version);
	if (en->best > 0)
		show_printf(c->b, "Paths: (%d available, best #%d, table "
		    "default)\n", en->npaths, en->best);
	else
		show_printf(c->b, "Paths: (%d available, no best path)\n",
		    en->npaths);
	if (en->nadv == 0) {
		show_printf(c->b, "  Not advertised to any peer\n");
		return;
	}
	show_printf(c->b, "  Advertised to non peer-group peers:\n ");
	for (i = 0; i < en->nadv; i++)
		show_printf(c->b, " %s", en->adv[i]);
	show_printf(c->b, "\n");
}

static void
rs_text_path_origin(struct rs_ctx *c, const struct rs_detail *d)
{
	const struct rs_row	*r = &d->r;

	show_printf(c->b, "      Origin %s", attr_origin_name(r->origin));
	if (r->has_med)
		show_printf(c->b, ", metric %u", r->med);
	if (r->has_lp)
		show_printf(c->b, ", localpref %u", r->lp);
	if (r->weight != 0)
		show_printf(c->b, ", weight %u", r->weight);
	if (r->valid)
		show_printf(c->b, ", valid");
	if (r->stale)
		show_printf(c->b, ", stale");
	show_printf(c->b, "%s", r->local ? ", sourced, local" : ", external");
	if (r->multipath)
		show_printf(c->b, ", multipath");
	if (r->best)
		show_printf(c->b, ", best (%s)", r->reason);
	show_printf(c->b, "\n");
}

static void
rs_text_path(struct rs_ctx *c, const struct rs_detail *d)
{
	char		 when[32];
	time_t		 t = (time_t)d->updated;
	struct tm	 tm;

	show_printf(c->b, "  %s\n", d->r.path[0] != '\0' ? d->r.path :
	    "Local");
	show_printf(c->b, "    %s%s from %s (%s)\n", d->r.nexthop,
	    d->r.nh_unreach ? " (inaccessible)" : "", d->from,
	    bgpid_str(d->router_id));
	if (d->r.nexthop_ll[0] != '\0')
		show_printf(c->b, "    (%s)\n", d->r.nexthop_ll);
	rs_text_path_origin(c, d);
	if (d->comm != NULL)
		show_printf(c->b, "      Community: %s\n", d->comm);
	if (d->ecomm != NULL)
		show_printf(c->b, "      Extended Community: %s\n", d->ecomm);
	if (d->lcomm != NULL)
		show_printf(c->b, "      Large Community: %s\n", d->lcomm);
	if (d->lost)
		show_printf(c->b, "      Lost to %s: %s\n", d->lost_to,
		    d->lost_why);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	show_printf(c->b, "      Last update: %s\n", when);
}

static void
rs_text_kernel(struct rs_ctx *c, const struct rs_kernel *k)
{
	size_t	 i;

	show_printf(c->b, "  Kernel: %s%s%s", k->status,
	    k->why[0] != '\0' ? ": " : "", k->why);
	if (k->fails > 0)
		show_printf(c->b, " (%u failed attempt%s)", k->fails,
		    k->fails == 1 ? "" : "s");
	if (k->fib)
		show_printf(c->b, ", table %u, metric %u", k->table,
		    k->metric);
	show_printf(c->b, "\n");
	for (i = 0; i < k->nnh; i++)
		show_printf(c->b, "    %svia %s%s%s\n", k->installed ? "" :
		    "wanted ", k->nh[i], k->ifname[i][0] != '\0' ? ", " : "",
		    k->ifname[i]);
}

static void
rs_text_fail(struct rs_ctx *c, const char *why)
{
	show_printf(c->b, "%% %s\n", why);
}

static const struct rs_fmt rs_text = {
	.head = rs_text_nothing,
	.row = rs_text_row,
	.tail = rs_text_tail,
	.adj_row = rs_text_adj_row,
	.adj_tail = rs_text_adj_tail,
	.entry = rs_text_entry,
	.path = rs_text_path,
	.entry_end = rs_text_kernel,
	.fail = rs_text_fail,
};

/* ------------------------------------------------------- JSON renderer */

static void
rs_json_head(struct rs_ctx *c)
{
	struct json	*j = &c->j;
	int		 adj = strcmp(c->head.list_key, "routes") != 0;

	if (adj) {
		json_uint(j, "bgpTableVersion", c->head.version);
		json_string(j, "bgpLocalRouterId",
		    bgpid_str(c->head.router_id));
	} else {
		json_uint(j, "vrfId", 0);
		json_string(j, "vrfName", "default");
		json_uint(j, "tableVersion", c->head.version);
		json_string(j, "routerId", bgpid_str(c->head.router_id));
	}
	json_uint(j, "defaultLocPrf", LOCAL_PREF_DEFAULT);
	json_uint(j, "localAS", c->head.local_as);
	json_object_open(j, c->head.list_key);
}

static void
rs_json_nexthops(struct json *j, const struct rs_row *r)
{
	json_array_open(j, "nexthops");
	json_object_open(j, NULL);
	json_string(j, "ip", r->nexthop);
	json_string(j, "afi", r->v6 ? "ipv6" : "ipv4");
	if (r->v6)
		json_string(j, "scope", "global");
	json_bool(j, "accessible", !r->nh_unreach);
	json_bool(j, "used", 1);
	json_object_close(j);
	if (r->nexthop_ll[0] != '\0') {
		json_object_open(j, NULL);
		json_string(j, "ip", r->nexthop_ll);
		json_string(j, "afi", "ipv6");
		json_string(j, "scope", "link-local");
		json_object_close(j);
	}
	json_array_close(j);
}

static void
rs_json_row(struct rs_ctx *c, const struct rs_row *r)
{
	struct json	*j = &c->j;

	if (r->first) {
		if (c->open)
			json_array_close(j);
		json_array_open(j, r->network);
		c->open = 1;
	}
	json_object_open(j, NULL);
	if (r->valid)
		json_bool(j, "valid", 1);
	if (r->stale)
		json_bool(j, "stale", 1);
	if (r->best)
		json_bool(j, "bestpath", 1);
	if (r->reason != NULL)
		json_string(j, "selectionReason", r->reason);
	if (r->multipath)
		json_bool(j, "multipath", 1);
	json_string(j, "pathFrom", "external");
	json_string(j, "prefix", r->addr);
	json_uint(j, "prefixLen", r->plen);
	json_string(j, "network", r->network);
	if (r->has_med)
		json_uint(j, "metric", r->med);
	if (r->has_lp)
		json_uint(j, "locPrf", r->lp);
	json_uint(j, "weight", r->weight);
	json_string(j, "peerId", r->peer);
	json_string(j, "path", r->path);
	json_string(j, "origin", attr_origin_name(r->origin));
	rs_json_nexthops(j, r);
	json_object_close(j);
}

static void
rs_json_tail(struct rs_ctx *c)
{
	if (c->open)
		json_array_close(&c->j);
	c->open = 0;
	json_object_close(&c->j);
	json_uint(&c->j, "totalRoutes", c->routes);
	json_uint(&c->j, "totalPaths", c->paths);
}

static void
rs_json_adj_row(struct rs_ctx *c, const struct rs_row *r)
{
	struct json	*j = &c->j;
	char		 code[2] = { attr_origin_code(r->origin), '\0' };

	json_object_open(j, r->network);
	json_string(j, "addrPrefix", r->addr);
	json_uint(j, "prefixLen", r->plen);
	json_string(j, "network", r->network);
	json_string(j, r->v6 ? "nextHopGlobal" : "nextHop", r->nexthop);
	if (r->has_med)
		json_uint(j, "metric", r->med);
	if (r->has_lp)
		json_uint(j, "locPrf", r->lp);
	json_uint(j, "weight", r->weight);
	json_string(j, "path", r->path);
	json_string(j, "bgpOriginCode", code);
	json_object_open(j, "appliedStatusSymbols");
	json_bool(j, "*", 1);
	json_bool(j, ">", 1);
	json_object_close(j);
	json_object_close(j);
}

static void
rs_json_adj_tail(struct rs_ctx *c)
{
	json_object_close(&c->j);
	json_uint(&c->j, "totalPrefixCounter", c->routes);
	json_uint(&c->j, "filteredPrefixCounter", c->filtered);
}

static void
rs_json_entry(struct rs_ctx *c, const struct rs_entry *en)
{
	struct json	*j = &c->j;
	int		 i;

	json_string(j, "prefix", en->network);
	if (en->nadv > 0) {
		json_object_open(j, "advertisedTo");
		for (i = 0; i < en->nadv; i++) {
			json_object_open(j, en->adv[i]);
			json_object_close(j);
		}
		json_object_close(j);
	}
	json_uint(j, "pathCount", (uint64_t)en->npaths);
	json_array_open(j, "paths");
}

static const char *
rs_seg_name(uint8_t type)
{
	switch (type) {
	case AS_SET:
		return "as-set";
	case AS_CONFED_SEQUENCE:
		return "as-confed-sequence";
	case AS_CONFED_SET:
		return "as-confed-set";
	default:
		return "as-sequence";
	}
}

/* The segments of an AS path, read with the buffer getters: the path
 * is ours, but a short segment must not become a read past its end. */
static void
rs_json_segments(struct json *j, const struct aspath *as)
{
	struct buf	 b;
	uint8_t		 type, n;
	uint32_t	 asn;

	json_array_open(j, "segments");
	buf_view(&b, as != NULL ? as->data : NULL, as != NULL ? as->len : 0);
	while (buf_get_u8(&b, &type) == 0 && buf_get_u8(&b, &n) == 0) {
		json_object_open(j, NULL);
		json_string(j, "type", rs_seg_name(type));
		json_array_open(j, "list");
		while (n-- > 0 && buf_get_u32(&b, &asn) == 0)
			json_uint(j, NULL, asn);
		json_array_close(j);
		json_object_close(j);
	}
	json_array_close(j);
}

static void
rs_json_aspath(struct json *j, const struct rs_detail *d)
{
	json_object_open(j, "aspath");
	json_string(j, "string", d->r.path[0] != '\0' ? d->r.path : "Local");
	rs_json_segments(j, d->aspath);
	json_uint(j, "length", d->aspath != NULL ? d->aspath->plen : 0);
	json_object_close(j);
}

static void
rs_json_str_obj(struct json *j, const char *key, const char *val)
{
	if (val == NULL)
		return;
	json_object_open(j, key);
	json_string(j, "string", val);
	json_object_close(j);
}

static void
rs_json_path_flags(struct json *j, const struct rs_detail *d)
{
	const struct rs_row	*r = &d->r;

	json_string(j, "origin", attr_origin_name(r->origin));
	if (r->has_med)
		json_uint(j, "metric", r->med);
	if (r->has_lp)
		json_uint(j, "locPrf", r->lp);
	json_uint(j, "weight", r->weight);
	if (r->valid)
		json_bool(j, "valid", 1);
	if (r->stale)
		json_bool(j, "stale", 1);
	if (r->local) {
		json_bool(j, "sourced", 1);
		json_bool(j, "local", 1);
	}
	if (r->multipath)
		json_bool(j, "multipath", 1);
	if (r->best) {
		json_object_open(j, "bestpath");
		json_bool(j, "overall", 1);
		json_string(j, "selectionReason", r->reason);
		json_object_close(j);
	}
}

static void
rs_json_path(struct rs_ctx *c, const struct rs_detail *d)
{
	struct json	*j = &c->j;
	char		 when[32];
	time_t		 t = (time_t)d->updated;
	struct tm	 tm;

	json_object_open(j, NULL);
	rs_json_aspath(j, d);
	rs_json_path_flags(j, d);
	rs_json_str_obj(j, "community", d->comm);
	rs_json_str_obj(j, "extendedCommunity", d->ecomm);
	rs_json_str_obj(j, "largeCommunity", d->lcomm);
	json_object_open(j, "lastUpdate");
	json_uint(j, "epoch", d->updated > 0 ? (uint64_t)d->updated : 0);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	json_string(j, "string", when);
	json_object_close(j);
	rs_json_nexthops(j, &d->r);
	json_object_open(j, "peer");
	json_string(j, "peerId", d->from);
	json_string(j, "routerId", bgpid_str(d->router_id));
	if (!d->r.local)
		json_string(j, "type", "external");
	json_object_close(j);
	if (d->lost) {
		json_string(j, "lostTo", d->lost_to);
		json_string(j, "lostReason", d->lost_why);
	}
	json_object_close(j);
}

static void
rs_json_entry_end(struct rs_ctx *c, const struct rs_kernel *k)
{
	struct json	*j = &c->j;
	size_t		 i;

	json_array_close(j);
	json_object_open(j, "kernel");
	json_string(j, "status", k->status);
	json_bool(j, "installed", k->installed);
	if (k->why[0] != '\0')
		json_string(j, "reason", k->why);
	if (k->fails > 0)
		json_uint(j, "failures", k->fails);
	if (k->fib) {
		json_uint(j, "table", k->table);
		json_uint(j, "metric", k->metric);
	}
	json_array_open(j, "nexthops");
	for (i = 0; i < k->nnh; i++) {
		json_object_open(j, NULL);
		json_string(j, "ip", k->nh[i]);
		if (k->ifname[i][0] != '\0')
			json_string(j, "interfaceName", k->ifname[i]);
		json_object_close(j);
	}
	json_array_close(j);
	json_object_close(j);
}

/* FRR answers a refused request in JSON with a warning member. */
static void
rs_json_fail(struct rs_ctx *c, const char *why)
{
	json_string(&c->j, "warning", why);
}

static const struct rs_fmt rs_json = {
	.head = rs_json_head,
	.row = rs_json_row,
	.tail = rs_json_tail,
	.adj_row = rs_json_adj_row,
	.adj_tail = rs_json_adj_tail,
	.entry = rs_json_entry,
	.path = rs_json_path,
	.entry_end = rs_json_entry_end,
	.fail = rs_json_fail,
};

/* ------------------------------------------------------------- contexts */

static void
rs_begin(struct rs_ctx *c, const struct show_req *req, int json, int aid)
{
	memset(c, 0, sizeof(*c));
	c->f = json ? &rs_json : &rs_text;
	c->b = req->out;
	c->rib = show_rde()->rib();
	c->head.aid = aid;
	c->head.list_key = "routes";
	if (c->rib != NULL)
		c->head.version = rib_version(c->rib);
	if (req->conf != NULL) {
		c->head.router_id = show_router_id(req->conf);
		c->head.local_as = req->conf->as;
	}
	buf_init(&c->s_path, 256, RS_SCRATCH);
	buf_init(&c->s_comm, 256, RS_SCRATCH);
	buf_init(&c->s_ecomm, 256, RS_SCRATCH);
	buf_init(&c->s_lcomm, 256, RS_SCRATCH);
	if (json) {
		json_init(&c->j, c->b);
		json_object_open(&c->j, NULL);
	}
}

/* Ends the answer; returns status for the handler to return.  A JSON
 * answer that does not nest is a renderer bug: say so rather than hand
 * a script half a document. */
static int
rs_end(struct rs_ctx *c, int status)
{
	buf_free(&c->s_path);
	buf_free(&c->s_comm);
	buf_free(&c->s_ecomm);
	buf_free(&c->s_lcomm);
	if (c->f != &rs_json)
		return status;
	json_object_close(&c->j);
	if (json_end(&c->j) == 0)
		return status;
	log_warnx("control: malformed JSON answer");
	buf_reset(c->b);
	show_printf(c->b, "%% Internal error: malformed JSON answer\n");
	return 1;
}

static int
rs_fail(struct rs_ctx *c, const char *why)
{
	c->f->fail(c, why);
	return rs_end(c, 1);
}

/* ---------------------------------------------------------------- tables */

/* Which entries of a table a walk shows. */
struct rs_filter {
	const struct tb_prefix	*within;	/* longer-prefixes, or NULL */
	const struct rib_src	*src;		/* one neighbor's, or NULL */
	int			 received;	/* pre-policy attributes */
};

static int
rs_inside(const struct rib_entry *e, const struct tb_prefix *within)
{
	struct tb_prefix	 p;

	if (within == NULL)
		return 1;
	rib_entry_prefix(e, &p);
	return p.len >= within->len && prefix_contains(within, &p.addr);
}

/* Every shown path of e as a row; returns how many. */
static size_t
rs_entry_rows(struct rs_ctx *c, const struct rib_entry *e)
{
	const struct rib_path	*p;
	struct rs_row		 r;
	size_t			 n = 0;

	rs_row_prefix(&r, e);
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->attr == NULL)
			continue;
		rs_row_fill(c, &r, e, p, p->attr);
		r.first = n++ == 0;
		c->f->row(c, &r);
	}
	return n;
}

/* One neighbor's path to e, accepted or as received; returns 1 if shown. */
static int
rs_src_row(struct rs_ctx *c, const struct rib_entry *e,
    const struct rs_filter *flt)
{
	const struct rib_path	*p = rib_entry_path(e, flt->src);
	const struct attr	*a;
	struct rs_row		 r;

	if (p == NULL)
		return 0;
	a = flt->received ? rib_path_attr_in(p) : p->attr;
	if (flt->received && p->attr == NULL)
		c->filtered++;
	if (a == NULL)
		return 0;
	rs_row_prefix(&r, e);
	rs_row_fill(c, &r, e, p, a);
	r.first = 1;
	if (flt->received) {
		r.valid = r.best = 1;
		r.multipath = 0;
		r.reason = NULL;
		c->f->adj_row(c, &r);
	} else
		c->f->row(c, &r);
	return 1;
}

/*
 * A list being shown: a family's table (all of it, the prefixes inside
 * one, or one neighbor's paths) or what a neighbor was sent.  It is
 * rendered a chunk at a time (struct show_stream), so a table of a
 * million routes streams to the shell as it reads instead of being
 * built whole in memory, and the event loop goes on between chunks.
 * The entries (and the attributes of what was sent) are held with
 * references for the list's life: a chunk rendered later never reads
 * freed memory, and a prefix withdrawn meanwhile just shows nothing.
 * A neighbor is looked up again for every chunk: one removed by a
 * reload meanwhile ends its list there.
 */
#define RS_CHUNK_BYTES	(256 * 1024)	/* rendered per chunk, about */
#define RS_CHUNK_SEEN	16384		/* entries looked at per chunk */

/* What a neighbor was sent, as adjout_walk() hands it. */
struct rs_adv {
	struct rib_entry	*e;
	const struct attr	*attr;
};

struct rs_list {
	struct rs_ctx		 c;
	struct rs_filter	 flt;
	struct tb_prefix	 within;
	struct tb_addr		 nbr;		/* flt.src: this one's */
	int			 by_nbr;
	int			 adj;		/* adj_tail() at the end */
	struct rib_entry	**v;		/* table order, held */
	struct rs_adv		*adv;		/* advertised: held */
	size_t			 n, i;
};

static struct peer *rs_peer_by_addr(const struct tb_addr *);

/* A new list, its context begun; NULL (and the answer says so) if
 * memory ran out. */
static struct rs_list *
rs_list_new(const struct show_req *req, int json, int aid)
{
	struct rs_list	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL) {
		show_printf(req->out, "%% Out of memory\n");
		return NULL;
	}
	rs_begin(&l->c, req, json, aid);
	return l;
}

/* Hold the family's entries in prefix order. */
static void
rs_list_table(struct rs_list *l)
{
	size_t	 i;

	if (l->c.rib == NULL)
		return;
	l->n = rib_sorted(l->c.rib, l->c.head.aid, &l->v);
	for (i = 0; i < l->n; i++)
		rib_entry_ref(l->v[i]);
}

static void
rs_list_free(void *arg)
{
	struct rs_list	*l = arg;
	size_t		 i;

	for (i = 0; l->v != NULL && i < l->n; i++)
		rib_entry_unref(l->c.rib, l->v[i]);
	for (i = 0; l->adv != NULL && i < l->n; i++) {
		attr_unref((struct attr *)l->adv[i].attr);
		rib_entry_unref(l->c.rib, l->adv[i].e);
	}
	free(l->v);
	free(l->adv);
	buf_free(&l->c.s_path);
	buf_free(&l->c.s_comm);
	buf_free(&l->c.s_ecomm);
	buf_free(&l->c.s_lcomm);
	free(l);
}

/* Row i of the table list: how many paths it showed. */
static size_t
rs_list_row(struct rs_list *l, size_t i)
{
	if (!rs_inside(l->v[i], l->flt.within))
		return 0;
	if (l->flt.src != NULL)
		return (size_t)rs_src_row(&l->c, l->v[i], &l->flt);
	return rs_entry_rows(&l->c, l->v[i]);
}

static void
rs_list_adv_row(struct rs_list *l, size_t i)
{
	struct rs_row	 r;

	memset(&r, 0, sizeof(r));
	rs_row_prefix(&r, l->adv[i].e);
	rs_row_attr(&l->c, &r, l->adv[i].attr, l->adv[i].e->aid);
	r.first = r.valid = r.best = 1;
	l->c.f->adj_row(&l->c, &r);
	l->c.routes++;
}

/* show_stream's more(): the next chunk into out (the buffer the list
 * began with). */
static int
rs_list_more(void *arg, struct buf *out, int *status)
{
	struct rs_list	*l = arg;
	struct peer	*p;
	size_t		 k, seen, stop = buf_len(out) + RS_CHUNK_BYTES;

	if (l->by_nbr) {
		p = rs_peer_by_addr(&l->nbr);
		l->flt.src = p != NULL ? show_rde()->peer_src(p) : NULL;
		if (l->flt.src == NULL)
			l->i = l->n;
	}
	for (seen = 0; l->i < l->n && seen < RS_CHUNK_SEEN &&
	    buf_len(out) < stop; seen++, l->i++) {
		if (l->adv != NULL) {
			rs_list_adv_row(l, l->i);
			continue;
		}
		k = rs_list_row(l, l->i);
		l->c.routes += k > 0;
		l->c.paths += k;
	}
	if (l->i < l->n)
		return 1;
	if (l->adj)
		l->c.f->adj_tail(&l->c);
	else
		l->c.f->tail(&l->c);
	*status = rs_end(&l->c, 0);
	return 0;
}

/* The head is rendered; the rows follow now, or as the client reads
 * when the request can stream.  Returns the handler's status. */
static int
rs_list_run(struct rs_list *l, const struct show_req *req)
{
	l->c.f->head(&l->c);
	return show_stream_run(req, rs_list_more, rs_list_free, l);
}

/* show bgp [ipv4|ipv6 unicast] [json], show ip bgp [json] */
int
rshow_table(const struct cmd_match *m, void *arg)
{
	struct rs_list	*l;

	if ((l = rs_list_new(arg, m->json, (int)SHOW_RT_AID(m->entry->arg)))
	    == NULL)
		return 1;
	rs_list_table(l);
	return rs_list_run(l, arg);
}

/* --------------------------------------------------------- one prefix */

/* The neighbors e is advertised to (Adj-RIB-Out holds it). */
static void
rs_entry_adv(struct rs_entry *en, const struct rib_entry *e)
{
	const struct show_rde	*rde = show_rde();
	struct adjout		*ao;
	struct peer		*p;

	TAILQ_FOREACH(p, &peers, entry) {
		if (en->nadv == RS_ADV_MAX)
			break;
		ao = rde->peer_adjout(p, (enum aid)e->aid);
		if (ao != NULL && adjout_get(ao, e) != NULL)
			addr_ntop(&p->conf->remote, en->adv[en->nadv++],
			    ADDR_STRLEN);
	}
}

static void
rs_entry_fill(struct rs_entry *en, const struct rib_entry *e)
{
	const struct rib_path	*p;
	struct tb_prefix	 pfx;

	memset(en, 0, sizeof(*en));
	rib_entry_prefix(e, &pfx);
	snprintf(en->network, sizeof(en->network), "%s", prefix_str(&pfx));
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->attr == NULL)
			continue;
		en->npaths++;
		if (p->flags & PATH_BEST)
			en->best = en->npaths;
	}
	rs_entry_adv(en, e);
}

/* What the FIB engine knows of e's prefix; best: e's best path. */
static void
rs_kernel_fill(struct rs_kernel *k, const struct rib_entry *e,
    const struct rib_path *best)
{
	struct fib		*f = show_rde()->fib != NULL ?
				    show_rde()->fib() : NULL;
	struct fib_route_info	 ri;
	struct tb_prefix	 pfx;
	const struct fib_nh	*nh;
	size_t			 i;

	memset(k, 0, sizeof(*k));
	k->why = "";
	k->status = "not installed";
	if (f == NULL) {
		k->why = "routes are not installed (no fib install)";
		return;
	}
	k->fib = 1;
	k->table = fib_opts(f)->table;
	k->metric = fib_opts(f)->metric;
	rib_entry_prefix(e, &pfx);
	if (fib_get(f, &pfx, &ri) == -1) {
		if (best == NULL)
			k->why = "no usable path";
		else if (best->src->local)
			k->why = "originated here";
		else
			k->why = "not requested yet";
		return;
	}
	k->installed = ri.installed;
	if (ri.installed)
		k->status = "installed";
	else if (ri.nnh == 0)
		k->status = "being removed";
	else if (ri.pending || ri.queued)
		k->status = "pending (asked of the kernel)";
	else if (ri.err != 0) {
		k->status = "failed";
		k->why = ri.errstr;
	}
	k->fails = ri.fails;
	nh = ri.installed ? ri.knh : ri.nh;
	k->nnh = ri.installed ? ri.nknh : ri.nnh;
	if (k->nnh > FIB_MAXNH)
		k->nnh = FIB_MAXNH;
	for (i = 0; i < k->nnh; i++) {
		addr_ntop(&nh[i].gw, k->nh[i], sizeof(k->nh[i]));
		snprintf(k->ifname[i], sizeof(k->ifname[i]), "%s",
		    show_ifname(nh[i].ifindex));
	}
}

static void
rs_entry_show(struct rs_ctx *c, const struct rib_entry *e)
{
	const struct rib_path	*p, *best = rib_entry_best(e);
	struct rs_entry		 en;
	struct rs_detail	 d;
	struct rs_kernel	 k;

	rs_entry_fill(&en, e);
	c->f->entry(c, &en);
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->attr == NULL)
			continue;
		rs_detail_fill(c, &d, e, p, best, c->head.router_id);
		c->f->path(c, &d);
	}
	rs_kernel_fill(&k, e, best);
	c->f->entry_end(c, &k);
}

/* The entry for an address (longest match: at most one lookup per
 * prefix length) or a prefix (exact). */
static struct rib_entry *
rs_find(struct rib *rib, const struct tb_prefix *want, int exact)
{
	struct tb_prefix	 p;
	struct rib_entry	*e;
	int			 len;

	if (rib == NULL)
		return NULL;
	if (exact)
		return (e = rib_lookup(rib, want)) != NULL && rs_shown(e) ?
		    e : NULL;
	for (len = want->len; len >= 0; len--) {
		p = *want;
		p.len = (uint8_t)len;
		prefix_mask(&p);
		if ((e = rib_lookup(rib, &p)) != NULL && rs_shown(e))
			return e;
	}
	return NULL;
}

/* The argument as a prefix of the family: 0, or -1 with *why set. */
static int
rs_parse(const char *arg, int aid, struct tb_prefix *p, int *exact,
    const char **why)
{
	int	 af = aid == AID_IPV6_UNICAST ? AF_INET6 : AF_INET;

	*exact = strchr(arg, '/') != NULL;
	if (*exact ? prefix_parse(arg, p) == -1 :
	    addr_parse(arg, &p->addr) == -1) {
		*why = "Malformed prefix";
		return -1;
	}
	if (!*exact)
		p->len = af == AF_INET6 ? 128 : 32;
	if (p->addr.af != af) {
		*why = af == AF_INET6 ? "Cannot specify IPv4 address or "
		    "prefix with IPv6 AFI" : "Cannot specify IPv6 address or "
		    "prefix with IPv4 AFI";
		return -1;
	}
	return 0;
}

/* A list refused before its head: the reason, as rs_fail() gives it. */
static int
rs_list_fail(struct rs_list *l, const char *why)
{
	int	 status = rs_fail(&l->c, why);

	rs_list_free(l);
	return status;
}

/* ... PREFIX longer-prefixes: the table's entries inside PREFIX. */
static int
rs_longer(const struct cmd_match *m, const struct show_req *req)
{
	struct rs_list	*l;
	const char	*why = "Malformed prefix";
	int		 exact;

	if ((l = rs_list_new(req, m->json, (int)SHOW_RT_AID(m->entry->arg)))
	    == NULL)
		return 1;
	if (m->argc < 1 || rs_parse(m->argv[0], l->c.head.aid, &l->within,
	    &exact, &why) == -1)
		return rs_list_fail(l, why);
	l->flt.within = &l->within;
	rs_list_table(l);
	return rs_list_run(l, req);
}

/* show bgp ipv4|ipv6 unicast PREFIX [longer-prefixes] [json],
 * show ip bgp PREFIX [longer-prefixes] [json] */
int
rshow_prefix(const struct cmd_match *m, void *arg)
{
	struct rs_ctx		 c;
	struct tb_prefix	 want;
	struct rib_entry	*e;
	const char		*why;
	int			 exact;

	if (m->entry->arg & SHOW_RT_LONGER)
		return rs_longer(m, arg);
	rs_begin(&c, arg, m->json, (int)SHOW_RT_AID(m->entry->arg));
	if (m->argc < 1 || rs_parse(m->argv[0], c.head.aid, &want, &exact,
	    &why) == -1)
		return rs_fail(&c, m->argc < 1 ? "Malformed prefix" : why);
	if ((e = rs_find(c.rib, &want, exact)) == NULL) {
		if (c.f == &rs_json)
			return rs_end(&c, 1);	/* FRR: {} */
		return rs_fail(&c, "Network not in table");
	}
	rs_entry_show(&c, e);
	return rs_end(&c, 0);
}

/* ------------------------------------------------ a neighbor's routes */

struct rs_advs {
	struct rs_adv	*v;
	size_t		 n, cap;
	int		 err;
};

static void
rs_adv_add(struct rib_entry *e, const struct attr *a, void *arg)
{
	struct rs_advs	*l = arg;
	struct rs_adv	*nv;
	size_t		 ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 256;
		if ((nv = reallocarray(l->v, ncap, sizeof(*nv))) == NULL) {
			l->err = 1;
			return;
		}
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].e = e;
	l->v[l->n++].attr = a;
}

/* Prefix order, as rib_sorted() gives the tables. */
static int
rs_adv_cmp(const void *va, const void *vb)
{
	const struct rib_entry	*a = ((const struct rs_adv *)va)->e;
	const struct rib_entry	*b = ((const struct rs_adv *)vb)->e;
	size_t			 len = a->aid == AID_IPV6_UNICAST ? 16 : 4;
	int			 r = memcmp(a->addr, b->addr, len);

	if (r != 0)
		return r;
	return (int)a->plen - (int)b->plen;
}

/* Hold what the neighbor was sent, in prefix order. */
static void
rs_list_advertised(struct rs_list *l, struct adjout *ao)
{
	struct rs_advs	 a = { NULL, 0, 0, 0 };
	size_t		 i;

	if (ao != NULL)
		adjout_walk(ao, rs_adv_add, &a);
	if (a.err)
		log_warnx("control: out of memory listing advertised routes");
	if (a.n > 1)
		qsort(a.v, a.n, sizeof(*a.v), rs_adv_cmp);
	for (i = 0; i < a.n; i++) {
		rib_entry_ref(a.v[i].e);
		attr_ref((struct attr *)a.v[i].attr);
	}
	l->adv = a.v;
	l->n = a.n;
}

static struct peer *
rs_peer_by_addr(const struct tb_addr *want)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (addr_cmp(&p->conf->remote, want) == 0)
			return p;
	return NULL;
}

static struct peer *
rs_peer_find(const char *arg)
{
	struct tb_addr	 want;

	if (addr_parse(arg, &want) == -1)
		return NULL;
	return rs_peer_by_addr(&want);
}

static int
rs_neighbor_aid(const struct cmd_match *m, const struct peer *p)
{
	if (m->entry->arg & SHOW_RT_NBR_AF)
		return p->conf->remote.af == AF_INET6 ? AID_IPV6_UNICAST :
		    AID_IPV4_UNICAST;
	return (int)SHOW_RT_AID(m->entry->arg);
}

static void
rs_neighbor_list(struct rs_list *l, const struct peer *p, unsigned kind)
{
	if (kind & SHOW_RT_ADVERTISED) {
		l->c.head.list_key = "advertisedRoutes";
		l->adj = 1;
		rs_list_advertised(l, show_rde()->peer_adjout(p,
		    (enum aid)l->c.head.aid));
		return;
	}
	l->flt.received = (kind & SHOW_RT_RECEIVED) != 0;
	l->adj = l->flt.received;
	l->c.head.list_key = l->flt.received ? "receivedRoutes" : "routes";
	l->nbr = p->conf->remote;
	l->by_nbr = 1;
	if (show_rde()->peer_src(p) != NULL)
		rs_list_table(l);
}

/* show [ip] bgp [ipv4|ipv6 unicast] neighbors ADDR
 *     received-routes|advertised-routes|routes [json] */
int
rshow_neighbor(const struct cmd_match *m, void *arg)
{
	struct rs_list	*l;
	struct peer	*p;
	unsigned	 kind = m->entry->arg;
	int		 aid;

	p = m->argc > 0 ? rs_peer_find(m->argv[0]) : NULL;
	aid = p != NULL ? rs_neighbor_aid(m, p) : AID_IPV4_UNICAST;
	if ((l = rs_list_new(arg, m->json, aid)) == NULL)
		return 1;
	if (p == NULL || !(p->conf->af_active & AID_BIT(aid)))
		return rs_list_fail(l, "No such neighbor or address family");
	if ((kind & SHOW_RT_RECEIVED) && !p->conf->af[aid].soft_reconfig_in)
		return rs_list_fail(l,
		    "Inbound soft reconfiguration not enabled");
	rs_neighbor_list(l, p, kind);
	return rs_list_run(l, arg);
}
