/*
 * ctl_route: the `show` commands that list routes: a family's table
 * (the Loc-RIB with every path, or only the prefixes inside one), one
 * prefix with every path explained, and what one neighbor sent us,
 * before and after policy, and what we send it.
 *
 * Each path is turned into a result and rendered by ctl_rs.c.  A table
 * is walked once, in prefix order, from one rib_sorted() array: a full
 * table costs n log n for the sort and one pass, never a lookup per
 * printed line.
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

#include "adjout.h"
#include "attr.h"
#include "ctl_route.h"
#include "ctl_rs.h"
#include "ctl_show.h"
#include "fib.h"
#include "log.h"
#include "peer.h"
#include "rib.h"

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
	if (ri.proto == FIB_PROTO_STATIC) {
		/* rtsel.c chose a static route over BGP's for the prefix. */
		k->installed = 0;
		k->status = ri.installed ? "a static route is installed "
		    "instead" : "a static route is wanted instead";
		k->why = "its distance is lower (show ip static)";
	} else if (ri.installed)
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
		if (c.json)
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

