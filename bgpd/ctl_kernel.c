/*
 * ctl_kernel: what tbgpd put in the kernel and what its next hops
 * resolve to: show ip|ipv6 route bgp [json] (the FIB engine's routes,
 * installed or failed with the kernel's reason, streamed) and show [ip]
 * bgp nexthop [json] (the next-hop cache).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_kernel.h"
#include "ctl_show.h"
#include "fib.h"
#include "json.h"
#include "kernel.h"
#include "kif.h"
#include "log.h"
#include "nexthop.h"

/* ---------------------------------------------- show ip route bgp */

/* One kernel route as the FIB engine knows it, copied for sorting. */
struct show_kr {
	struct tb_prefix prefix;
	struct fib_nh	 nh[FIB_MAXNH];
	size_t		 nnh;
	int		 installed;
	int		 selected;	/* wanted by the RIB (nh: wanted) */
	int		 inkernel;	/* not wanted, in the kernel (nh:
					 * the kernel's) */
	int		 stale;		/* left by an earlier instance */
	int		 busy;		/* queued or waiting for the kernel */
	int		 err;
	uint32_t	 fails;
};

struct show_kr_set {
	struct show_kr	*v;
	size_t		 n, cap;
	int		 af;
};

static void
show_kr_add(const struct fib_route_info *r, void *arg)
{
	struct show_kr_set	*set = arg;
	struct show_kr		*k, *nv;

	/* Static routes are show ip route static's (ctl_static.c). */
	if (r->prefix.addr.af != set->af || (r->proto != 0 ? r->proto :
	    r->kproto) == FIB_PROTO_STATIC)
		return;
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		if ((nv = reallocarray(set->v, set->cap, sizeof(*nv))) == NULL)
			fatal("show routes");
		set->v = nv;
	}
	k = &set->v[set->n++];
	memset(k, 0, sizeof(*k));
	k->prefix = r->prefix;
	k->selected = r->nnh > 0;
	/* Not wanted: what the kernel still has (a stale route kept for
	 * a restart, or one being removed), as the kernel has it. */
	k->nnh = k->selected ? r->nnh : r->nknh;
	if (k->nnh > FIB_MAXNH)
		k->nnh = FIB_MAXNH;
	memcpy(k->nh, k->selected ? r->nh : r->knh, k->nnh * sizeof(k->nh[0]));
	k->inkernel = !k->selected && r->nknh > 0;
	k->stale = r->stale;
	k->installed = r->installed;
	k->busy = r->pending || r->queued;
	k->err = r->err;
	k->fails = r->fails;
}

static int
show_kr_cmp(const void *a, const void *b)
{
	const struct show_kr	*x = a, *y = b;
	int			 c = addr_cmp(&x->prefix.addr, &y->prefix.addr);

	return c != 0 ? c : (int)x->prefix.len - (int)y->prefix.len;
}


static const char *
show_kr_status(const struct show_kr *k)
{
	if (k->installed)
		return "installed";
	if (k->inkernel && k->stale)
		return "stale";
	if (!k->selected)
		return "removing";
	if (k->busy)
		return "pending";
	return k->err ? "failed" : "not installed";
}

static void
show_kr_text(struct buf *b, const struct show_kr *k)
{
	size_t	 i;

	/* FRR's codes: > selected, * in the kernel (FIB). */
	show_printf(b, "B%c%c %s", k->selected ? '>' : ' ',
	    k->installed || k->inkernel ? '*' : ' ', prefix_str(&k->prefix));
	for (i = 0; i < k->nnh; i++)
		show_printf(b, "%s via %s, %s\n", i ? "    " : "",
		    addr_str(&k->nh[i].gw), show_ifname(k->nh[i].ifindex));
	if (k->nnh == 0)
		show_printf(b, " (removing)\n");
	if (k->inkernel && k->stale)
		show_printf(b, "    stale: left by an earlier instance, kept "
		    "until every neighbor's table is in\n");
	else if (k->inkernel)
		show_printf(b, "    removing\n");
	else if (!k->installed && k->selected)
		show_printf(b, "    %s%s%s (%u failures)\n", show_kr_status(k),
		    k->err ? ": " : "", k->err ? strerror(k->err) : "",
		    k->fails);
}

static void
show_kr_json(struct json *j, const struct show_kr *k,
    const struct fib_opts *o)
{
	size_t	 i;

	json_array_open(j, prefix_str(&k->prefix));
	json_object_open(j, NULL);
	json_string(j, "prefix", prefix_str(&k->prefix));
	json_string(j, "protocol", "bgp");
	json_bool(j, "selected", k->selected);
	json_bool(j, "installed", k->installed || k->inkernel);
	if (k->stale)
		json_bool(j, "stale", 1);
	json_string(j, "status", show_kr_status(k));
	json_uint(j, "table", o->table);
	json_uint(j, "metric", o->metric);
	if (k->err) {
		json_string(j, "error", strerror(k->err));
		json_uint(j, "failures", k->fails);
	}
	json_array_open(j, "nexthops");
	for (i = 0; i < k->nnh; i++) {
		json_object_open(j, NULL);
		json_string(j, "ip", addr_str(&k->nh[i].gw));
		json_string(j, "afi", k->prefix.addr.af == AF_INET6 ?
		    "ipv6" : "ipv4");
		if (k->nh[i].ifindex != 0)
			json_string(j, "interfaceName",
			    show_ifname(k->nh[i].ifindex));
		json_bool(j, "fib", k->installed || k->inkernel);
		json_object_close(j);
	}
	json_array_close(j);
	json_object_close(j);
	json_array_close(j);
}

/* The routes copied from the FIB, rendered a chunk at a time (a million
 * routes stream to the shell as it reads: struct show_stream). */
struct show_kr_list {
	struct show_kr_set	 set;
	struct fib_opts		 opts;
	struct json		 j;
	int			 json;
	size_t			 i;
};

#define SHOW_KR_CHUNK	4096	/* routes per chunk */

static void
show_kr_free(void *arg)
{
	struct show_kr_list	*l = arg;

	free(l->set.v);
	free(l);
}

static int
show_kr_more(void *arg, struct buf *out, int *status)
{
	struct show_kr_list	*l = arg;
	size_t			 k;

	for (k = 0; l->i < l->set.n && k < SHOW_KR_CHUNK; k++, l->i++) {
		if (l->json)
			show_kr_json(&l->j, &l->set.v[l->i], &l->opts);
		else
			show_kr_text(out, &l->set.v[l->i]);
	}
	if (l->i < l->set.n)
		return 1;
	if (l->json) {
		json_object_close(&l->j);
		show_printf(out, "\n");
	}
	*status = 0;
	return 0;
}

/* show ip|ipv6 route bgp [json]: what tbgpd put in the kernel, route by
 * route, installed or failed with the kernel's reason. */
int
show_kroutes(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct fib		*fib = show_rde()->fib();
	struct show_kr_list	*l;

	if (fib == NULL) {
		show_printf(req->out, "%% Routes are not installed in the "
		    "kernel (no fib install)\n");
		return 1;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		show_printf(req->out, "%% Out of memory\n");
		return 1;
	}
	l->set.af = m->entry->arg;
	l->opts = *fib_opts(fib);
	l->json = m->json;
	fib_walk(fib, show_kr_add, &l->set);
	if (l->set.n > 0)
		qsort(l->set.v, l->set.n, sizeof(*l->set.v), show_kr_cmp);
	if (l->json) {
		json_init(&l->j, req->out);
		json_object_open(&l->j, NULL);
	} else
		show_printf(req->out, "Codes: B - BGP, > - selected route, "
		    "* - FIB route\n\n");
	return show_stream_run(req, show_kr_more, show_kr_free, l);
}

/* show bgp nexthop [json]: every next hop paths name, whether it can be
 * used and how it resolved (FRR's "show bgp nexthop", reduced). */
struct show_nh_ctx {
	struct buf	*out;
	struct json	*j;
	int		 af;
};

static const char *
show_nh_kind(int kind)
{
	switch (kind) {
	case NH_KIND_RECURSIVE:
		return "recursive";
	case NH_KIND_LINKLOCAL:
		return "link-local";
	default:
		return "connected";
	}
}

static const char *
show_nh_ifname(int ifindex)
{
	const struct kif_link	*l;

	if (ifindex <= 0 || show_kif() == NULL ||
	    (l = kif_get(show_kif(), ifindex)) == NULL)
		return NULL;
	return l->name;
}

static void
show_nh_one(const struct nexthop_info *ni, void *arg)
{
	struct show_nh_ctx	*c = arg;
	const char		*ifn = show_nh_ifname(ni->ifindex);

	if (ni->addr.af != c->af)
		return;
	if (c->j != NULL) {
		json_object_open(c->j, addr_str(&ni->addr));
		json_bool(c->j, "valid", ni->usable);
		json_string(c->j, "resolution", show_nh_kind(ni->kind));
		if (ifn != NULL)
			json_string(c->j, "interfaceName", ifn);
		if (ni->via.addr.af != 0)
			json_string(c->j, "resolvedVia", prefix_str(&ni->via));
		json_object_close(c->j);
		return;
	}
	show_printf(c->out, " %s %s (%s)\n", addr_str(&ni->addr),
	    ni->usable ? "valid" : "invalid", show_nh_kind(ni->kind));
	if (ifn != NULL)
		show_printf(c->out, "  if %s\n", ifn);
	if (ni->via.addr.af != 0)
		show_printf(c->out, "  via %s\n", prefix_str(&ni->via));
}

int
show_nexthops(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct show_nh_ctx	 c;
	struct json		 j;

	memset(&c, 0, sizeof(c));
	c.out = req->out;
	if (m->json) {
		json_init(&j, req->out);
		c.j = &j;
		json_object_open(&j, NULL);
		json_object_open(&j, "ipv4");
		c.af = AF_INET;
		nexthop_walk(show_nh_one, &c);
		json_object_close(&j);
		json_object_open(&j, "ipv6");
		c.af = AF_INET6;
		nexthop_walk(show_nh_one, &c);
		json_object_close(&j);
		json_object_close(&j);
		show_printf(req->out, "\n");
		return 0;
	}
	show_printf(req->out, "Current BGP nexthop cache:\n");
	c.af = AF_INET;
	nexthop_walk(show_nh_one, &c);
	c.af = AF_INET6;
	nexthop_walk(show_nh_one, &c);
	return 0;
}
