/*
 * ctl_rs: routes turned into results and rendered (see ctl_rs.h): the
 * fill, the text renderer (FRR's vtysh layout), the JSON renderer (FRR's
 * keys) and the context of one answer.
 */
#include "config.h"

#include <sys/socket.h>
#include <net/if.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr.h"
#include "ctl_rs.h"
#include "ctl_show.h"
#include "fib.h"
#include "json.h"
#include "log.h"
#include "rib.h"

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

void
rs_row_prefix(struct rs_row *r, const struct rib_entry *e)
{
	struct tb_prefix	 p;

	rib_entry_prefix(e, &p);
	addr_ntop(&p.addr, r->addr, sizeof(r->addr));
	snprintf(r->network, sizeof(r->network), "%s/%u", r->addr, p.len);
	r->plen = p.len;
	r->v6 = e->aid == AID_IPV6_UNICAST;
}

void
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
int
rs_shown(const struct rib_entry *e)
{
	const struct rib_path	*p;

	for (p = e != NULL ? e->paths : NULL; p != NULL; p = p->next)
		if (p->attr != NULL)
			return 1;
	return 0;
}

void
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

void
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

void
rs_begin(struct rs_ctx *c, const struct show_req *req, int json, int aid)
{
	memset(c, 0, sizeof(*c));
	c->f = json ? &rs_json : &rs_text;
	c->json = json;
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
int
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

int
rs_fail(struct rs_ctx *c, const char *why)
{
	c->f->fail(c, why);
	return rs_end(c, 1);
}

