/*
 * policy_rmap: route-maps (see policy.h), in FRR's terms.  This file owns
 * building them from configuration clauses (entries, match and set
 * clauses, on-match and continue), finding the lists a route-map names
 * but nobody defined, and evaluating a route-map on a work copy of a
 * route's attributes.  The lists the clauses name, the database and the
 * printer live in policy.c.
 *
 * A clause keeps the name of the list it uses and looks it up at
 * evaluation time, so a list may be defined after the route-map that
 * names it; an undefined list never matches, as in FRR.
 */
#include "config.h"

#include <sys/types.h>

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policy.h"
#include "policy_int.h"

#define RMAP_SEQ_MAX		65535	/* FRR's route-map and continue range */
#define PREPEND_LASTAS_MAX	10	/* FRR's "prepend last-as (1-10)" */

/* --- route-maps: building --- */

const struct route_map *
policy_rmap_find(const struct policy_db *db, const char *name)
{
	const struct route_map	*rm;

	if (db == NULL || name == NULL)
		return NULL;
	for (rm = db->rmaps; rm != NULL; rm = rm->next)
		if (strcmp(rm->name, name) == 0)
			return rm;
	return NULL;
}

static struct route_map *
rmap_get(struct policy_db *db, const char *name)
{
	struct route_map	*rm, **pp;

	for (pp = &db->rmaps; (rm = *pp) != NULL; pp = &rm->next)
		if (strcmp(rm->name, name) == 0)
			return rm;
	rm = *pp = xcalloc(1, sizeof(*rm));
	strlcpy(rm->name, name, sizeof(rm->name));
	seqarr_init(&rm->ents, sizeof(struct rmap_entry));
	return rm;
}

/*
 * Reopening an entry keeps its clauses; changing it between permit and
 * deny starts it afresh, as FRR's route_map_index_get does.
 */
int
policy_rmap_entry(struct policy_db *db, const char *name, int permit,
    uint32_t seq, char *err, size_t errlen)
{
	struct route_map	*rm;
	struct rmap_entry	*e;
	int			 existed;

	db->cur = NULL;
	if (name_check(name, err, errlen) == -1)
		return -1;
	if (seq < 1 || seq > RMAP_SEQ_MAX)
		return perr(err, errlen, "route-map sequence number %u out "
		    "of range 1-%d", seq, RMAP_SEQ_MAX);
	rm = rmap_get(db, name);
	e = seqarr_slot(&rm->ents, seq, &existed);
	if (existed && e->permit != (permit != 0)) {
		rmap_entry_free(e);
		memset(e, 0, sizeof(*e));
		e->seq = seq;
	}
	e->permit = permit != 0;
	db->cur = rm;
	db->cur_seq = seq;
	return 0;
}

static struct rmap_entry *
rmap_cur(struct policy_db *db, char *err, size_t errlen)
{
	size_t	 i;

	if (db->cur == NULL) {
		perr(err, errlen, "not inside a route-map");
		return NULL;
	}
	i = seqarr_find(&db->cur->ents, db->cur_seq);
	return seqarr_at(&db->cur->ents, i);
}

static int
origin_parse(const char *w, uint32_t *o)
{
	if (strcmp(w, "igp") == 0)
		*o = ORIGIN_IGP;
	else if (strcmp(w, "egp") == 0)
		*o = ORIGIN_EGP;
	else if (strcmp(w, "incomplete") == 0)
		*o = ORIGIN_INCOMPLETE;
	else
		return -1;
	return 0;
}

static int
match_is_list(enum rmap_match kind)
{
	return kind == RM_MATCH_PREFIX_LIST || kind == RM_MATCH_PREFIX_LIST6 ||
	    kind == RM_MATCH_ASPATH || kind == RM_MATCH_COMMUNITY ||
	    kind == RM_MATCH_LARGE_COMMUNITY || kind == RM_MATCH_IP_NEXTHOP_PL;
}

/* "NAME" or, for the community kinds, "NAME exact-match". */
static int
match_parse_list(struct rmap_match_c *m, const struct words *ws,
    char *err, size_t errlen)
{
	size_t	 i = 0;
	int	 comm = m->kind == RM_MATCH_COMMUNITY ||
		    m->kind == RM_MATCH_LARGE_COMMUNITY;

	/* tolerate the keyword when the parser passes it on */
	if (m->kind == RM_MATCH_IP_NEXTHOP_PL && ws->n > 1 &&
	    strcmp(ws->w[0], "prefix-list") == 0)
		i++;
	if (ws->n <= i || name_check(ws->w[i], err, errlen) == -1)
		return ws->n <= i ? perr(err, errlen, "a list name is "
		    "needed") : -1;
	strlcpy(m->name, ws->w[i], sizeof(m->name));
	if (comm && ws->n == i + 2 && strcmp(ws->w[i + 1], "exact-match") == 0)
		m->exact = 1;
	else if (ws->n != i + 1)
		return perr(err, errlen, "unexpected '%s'", ws->w[i + 1]);
	m->text = xstrdup(m->name);
	return 0;
}

static int
match_parse(struct rmap_match_c *m, const struct words *ws, char *err,
    size_t errlen)
{
	if (match_is_list(m->kind))
		return match_parse_list(m, ws, err, errlen);
	if (ws->n != 1)
		return perr(err, errlen, ws->n == 0 ? "a value is needed" :
		    "one value is expected");
	switch (m->kind) {
	case RM_MATCH_METRIC:
	case RM_MATCH_LOCAL_PREF:
		if (parse_u32(ws->w[0], &m->num) == -1)
			return perr(err, errlen, "'%s' is not a number "
			    "(0-4294967295)", ws->w[0]);
		break;
	case RM_MATCH_ORIGIN:
		if (origin_parse(ws->w[0], &m->num) == -1)
			return perr(err, errlen, "origin is igp, egp or "
			    "incomplete");
		break;
	case RM_MATCH_PEER:
		if (addr_parse(ws->w[0], &m->addr) == -1)
			return perr(err, errlen, "'%s' is not an address",
			    ws->w[0]);
		break;
	default:
		return perr(err, errlen, "unknown match clause");
	}
	m->text = xstrdup(ws->w[0]);
	return 0;
}

/* A clause of a kind already in the entry replaces it (FRR). */
int
policy_rmap_match(struct policy_db *db, enum rmap_match kind,
    const char *text, char *err, size_t errlen)
{
	struct rmap_entry	*e;
	struct rmap_match_c	 m;
	struct words		 ws;
	size_t			 i;
	int			 rc;

	if ((e = rmap_cur(db, err, errlen)) == NULL)
		return -1;
	if (words_split(text, &ws, err, errlen) == -1)
		return -1;
	memset(&m, 0, sizeof(m));
	m.kind = kind;
	rc = match_parse(&m, &ws, err, errlen);
	free(ws.buf);
	if (rc == -1) {
		free(m.text);
		return -1;
	}
	for (i = 0; i < e->nm && e->m[i].kind != kind; i++)
		;
	if (i == e->nm) {
		if ((e->m = reallocarray(e->m, e->nm + 1, sizeof(m))) == NULL)
			fatal("%s", __func__);
		e->nm++;
	} else
		free(e->m[i].text);
	e->m[i] = m;
	return 0;
}

static int
set_parse_number(struct rmap_set_c *s, const struct words *ws, int signed_ok,
    char *err, size_t errlen)
{
	const char	*w;

	if (ws->n != 1)
		return perr(err, errlen, "one value is expected");
	w = ws->w[0];
	if (signed_ok && (*w == '+' || *w == '-'))
		s->op = *w++;
	if (parse_u32(w, &s->num) == -1)
		return perr(err, errlen, "'%s' is not a number%s", ws->w[0],
		    signed_ok ? " (N, +N or -N)" : " (0-4294967295)");
	return 0;
}

/* "ASN..." or "last-as N". */
static int
set_parse_prepend(struct rmap_set_c *s, const struct words *ws, char *err,
    size_t errlen)
{
	size_t	 i;

	if (ws->n == 0)
		return perr(err, errlen, "an AS number is needed");
	if (strcmp(ws->w[0], "last-as") == 0) {
		if (ws->n != 2 || parse_u32(ws->w[1], &s->num) == -1 ||
		    s->num < 1 || s->num > PREPEND_LASTAS_MAX)
			return perr(err, errlen, "last-as wants a count "
			    "(1-%d)", PREPEND_LASTAS_MAX);
		s->lastas = 1;
		return 0;
	}
	s->asns = xcalloc(ws->n, sizeof(*s->asns));
	for (i = 0; i < ws->n; i++)
		if (parse_u32(ws->w[i], &s->asns[i]) == -1 ||
		    s->asns[i] == 0)
			return perr(err, errlen, "'%s' is not an AS number "
			    "(1-4294967295)", ws->w[i]);
	s->nasn = ws->n;
	return 0;
}

/* "none" or values ["additive"], of one unit. */
static int
set_parse_comms(struct rmap_set_c *s, const struct words *ws, uint8_t unit,
    char *err, size_t errlen)
{
	if (ws->n == 1 && strcmp(ws->w[0], "none") == 0 &&
	    unit != COMM_UNIT_EXT) {
		s->none = 1;
		return 0;
	}
	return comm_words_parse(ws, 0, unit, &s->vals, &s->n, NULL,
	    unit == COMM_UNIT_EXT ? NULL : &s->additive, err, errlen);
}

static int
set_parse_nexthop(struct rmap_set_c *s, const struct words *ws, int af,
    char *err, size_t errlen)
{
	if (ws->n != 1)
		return perr(err, errlen, "one address is expected");
	if (af == AF_INET && strcmp(ws->w[0], "peer-address") == 0) {
		s->peer = 1;
		return 0;
	}
	if (addr_parse(ws->w[0], &s->addr) == -1 || s->addr.af != af)
		return perr(err, errlen, "'%s' is not an %s address",
		    ws->w[0], af == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

static int
set_parse_commlist(struct rmap_set_c *s, const struct words *ws, char *err,
    size_t errlen)
{
	if (ws->n == 0 || ws->n > 2 ||
	    (ws->n == 2 && strcmp(ws->w[1], "delete") != 0))
		return perr(err, errlen, "set comm-list NAME delete");
	if (name_check(ws->w[0], err, errlen) == -1)
		return -1;
	strlcpy(s->name, ws->w[0], sizeof(s->name));
	return 0;
}

static int
set_parse(struct rmap_set_c *s, const struct words *ws, char *err,
    size_t errlen)
{
	switch (s->kind) {
	case RM_SET_LOCAL_PREF:
	case RM_SET_WEIGHT:
		return set_parse_number(s, ws, 0, err, errlen);
	case RM_SET_METRIC:
		return set_parse_number(s, ws, 1, err, errlen);
	case RM_SET_PREPEND:
		return set_parse_prepend(s, ws, err, errlen);
	case RM_SET_COMMUNITY:
		return set_parse_comms(s, ws, COMM_UNIT_STD, err, errlen);
	case RM_SET_LARGE_COMMUNITY:
		return set_parse_comms(s, ws, COMM_UNIT_LARGE, err, errlen);
	case RM_SET_EXT_COMMUNITY_RT:
		return set_parse_comms(s, ws, COMM_UNIT_EXT, err, errlen);
	case RM_SET_COMM_DELETE:
		return set_parse_commlist(s, ws, err, errlen);
	case RM_SET_NEXTHOP:
		return set_parse_nexthop(s, ws, AF_INET, err, errlen);
	case RM_SET_NEXTHOP6:
		return set_parse_nexthop(s, ws, AF_INET6, err, errlen);
	case RM_SET_ORIGIN:
		if (ws->n != 1 || origin_parse(ws->w[0], &s->num) == -1)
			return perr(err, errlen, "origin is igp, egp or "
			    "incomplete");
		return 0;
	}
	return perr(err, errlen, "unknown set clause");
}

/* The words of a set clause, less a keyword the parser may pass on
 * ("rt" of extcommunity rt, "global" of ipv6 next-hop global). */
static size_t
set_skip_keyword(enum rmap_set kind, const struct words *ws)
{
	if (ws->n > 1 && ((kind == RM_SET_EXT_COMMUNITY_RT &&
	    strcmp(ws->w[0], "rt") == 0) || (kind == RM_SET_NEXTHOP6 &&
	    strcmp(ws->w[0], "global") == 0)))
		return 1;
	return 0;
}

int
policy_rmap_set(struct policy_db *db, enum rmap_set kind, const char *text,
    char *err, size_t errlen)
{
	struct rmap_entry	*e;
	struct rmap_set_c	 s;
	struct words		 ws, rest;
	size_t			 i, skip;
	int			 rc;

	if ((e = rmap_cur(db, err, errlen)) == NULL)
		return -1;
	if (words_split(text, &ws, err, errlen) == -1)
		return -1;
	skip = set_skip_keyword(kind, &ws);
	rest = ws;
	memmove(rest.w, ws.w + skip, (ws.n - skip) * sizeof(ws.w[0]));
	rest.n = ws.n - skip;
	memset(&s, 0, sizeof(s));
	s.kind = kind;
	rc = set_parse(&s, &rest, err, errlen);
	if (rc == 0)
		s.text = kind == RM_SET_COMM_DELETE ? xstrdup(s.name) :
		    words_join(&rest, 0);
	free(ws.buf);
	if (rc == -1) {
		rmap_set_free(&s);
		return -1;
	}
	for (i = 0; i < e->ns && e->s[i].kind != kind; i++)
		;
	if (i == e->ns) {
		if ((e->s = reallocarray(e->s, e->ns + 1, sizeof(s))) == NULL)
			fatal("%s", __func__);
		e->ns++;
	} else
		rmap_set_free(&e->s[i]);
	e->s[i] = s;
	return 0;
}

/* FRR: on-match goto and continue N must go forward. */
int
policy_rmap_onmatch(struct policy_db *db, int is_continue, int next,
    uint32_t seq, char *err, size_t errlen)
{
	struct rmap_entry	*e;

	if ((e = rmap_cur(db, err, errlen)) == NULL)
		return -1;
	if (!next && (seq <= e->seq || seq > RMAP_SEQ_MAX))
		return perr(err, errlen, "%s %u: can only go forward, to a "
		    "sequence number above %u (at most %d)", is_continue ?
		    "continue" : "on-match goto", seq, e->seq, RMAP_SEQ_MAX);
	e->exit = next ? RMAP_NEXT : RMAP_GOTO;
	e->goto_seq = next ? 0 : seq;
	e->is_continue = is_continue != 0;
	return 0;
}

/* --- undefined names --- */

struct undef {
	const char	*kind;
	const char	*name;
};

static const char *
match_list_kind(enum rmap_match kind)
{
	switch (kind) {
	case RM_MATCH_PREFIX_LIST:
	case RM_MATCH_IP_NEXTHOP_PL:
		return "prefix-list";
	case RM_MATCH_PREFIX_LIST6:
		return "ipv6 prefix-list";
	case RM_MATCH_ASPATH:
		return "as-path access-list";
	case RM_MATCH_COMMUNITY:
		return "community-list";
	case RM_MATCH_LARGE_COMMUNITY:
		return "large-community-list";
	default:
		return NULL;
	}
}

static int
match_defined(const struct policy_db *db, const struct rmap_match_c *m)
{
	switch (m->kind) {
	case RM_MATCH_PREFIX_LIST:
	case RM_MATCH_IP_NEXTHOP_PL:
		return policy_plist_find(db, AF_INET, m->name) != NULL;
	case RM_MATCH_PREFIX_LIST6:
		return policy_plist_find(db, AF_INET6, m->name) != NULL;
	case RM_MATCH_ASPATH:
		return aspath_list_find(db, m->name) != NULL;
	case RM_MATCH_COMMUNITY:
		return comm_list_find(db, 0, m->name) != NULL;
	case RM_MATCH_LARGE_COMMUNITY:
		return comm_list_find(db, 1, m->name) != NULL;
	default:
		return 1;
	}
}

/* Adds (kind, name) unless already there. */
static void
undef_add(struct undef **u, size_t *n, const char *kind, const char *name)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*u)[i].kind, kind) == 0 &&
		    strcmp((*u)[i].name, name) == 0)
			return;
	if ((*u = reallocarray(*u, *n + 1, sizeof(**u))) == NULL)
		fatal("%s", __func__);
	(*u)[*n].kind = kind;
	(*u)[(*n)++].name = name;
}

static void
undef_entry(const struct policy_db *db, const struct rmap_entry *e,
    struct undef **u, size_t *n)
{
	size_t	 i;

	for (i = 0; i < e->nm; i++)
		if (match_list_kind(e->m[i].kind) != NULL &&
		    !match_defined(db, &e->m[i]))
			undef_add(u, n, match_list_kind(e->m[i].kind),
			    e->m[i].name);
	for (i = 0; i < e->ns; i++)
		if (e->s[i].kind == RM_SET_COMM_DELETE &&
		    comm_list_find(db, 0, e->s[i].name) == NULL)
			undef_add(u, n, "community-list", e->s[i].name);
}

void
policy_undefined(const struct policy_db *db,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	const struct route_map	*rm;
	struct undef		*u = NULL;
	size_t			 n = 0, i;

	if (db == NULL)
		return;
	for (rm = db->rmaps; rm != NULL; rm = rm->next)
		for (i = 0; i < rm->ents.n; i++)
			undef_entry(db, seqarr_at(&rm->ents, i), &u, &n);
	for (i = 0; i < n; i++)
		fn(u[i].kind, u[i].name, arg);
	free(u);
}

/* --- route-maps: evaluation --- */

static int
match_prefix_list(const struct policy_db *db, const struct rmap_match_c *m,
    int af, const struct tb_prefix *p)
{
	if (p == NULL || p->addr.af != af)
		return 0;
	return policy_plist_apply(policy_plist_find(db, af, m->name), p) ==
	    POLICY_PERMIT;
}

/* The next hop as a host prefix (FRR matches it against the list). */
static int
match_nexthop_pl(const struct policy_db *db, const struct rmap_match_c *m,
    const struct attr *a)
{
	struct tb_prefix	 p;

	if (a->nexthop.af != AF_INET)
		return 0;
	p.addr = a->nexthop;
	p.len = 32;
	return match_prefix_list(db, m, AF_INET, &p);
}

static int
match_comm(const struct policy_db *db, const struct rmap_match_c *m,
    const struct attr *a)
{
	int			 large = m->kind == RM_MATCH_LARGE_COMMUNITY;
	const struct comm_list	*cl = comm_list_find(db, large, m->name);

	if (cl == NULL)
		return 0;
	return comm_list_match(cl, large ? a->lcomm : a->comm, m->exact);
}

/*
 * One match clause.  An absent MED compares as 0 and an absent
 * LOCAL_PREF as the default 100, the values FRR's attr holds then.
 */
static int
match_one(const struct policy_db *db, const struct rmap_match_c *m,
    const struct policy_ctx *ctx, const struct attr *a)
{
	switch (m->kind) {
	case RM_MATCH_PREFIX_LIST:
		return match_prefix_list(db, m, AF_INET, ctx->prefix);
	case RM_MATCH_PREFIX_LIST6:
		return match_prefix_list(db, m, AF_INET6, ctx->prefix);
	case RM_MATCH_ASPATH:
		return aspath_list_apply(aspath_list_find(db, m->name),
		    a->aspath) == POLICY_PERMIT;
	case RM_MATCH_COMMUNITY:
	case RM_MATCH_LARGE_COMMUNITY:
		return match_comm(db, m, a);
	case RM_MATCH_METRIC:
		return (a->flags & ATTRF_MED ? a->med : 0) == m->num;
	case RM_MATCH_LOCAL_PREF:
		return (a->flags & ATTRF_LOCAL_PREF ? a->local_pref :
		    LOCAL_PREF_DEFAULT) == m->num;
	case RM_MATCH_ORIGIN:
		return a->origin == m->num;
	case RM_MATCH_PEER:
		return addr_cmp(&ctx->peer_addr, &m->addr) == 0;
	case RM_MATCH_IP_NEXTHOP_PL:
		return match_nexthop_pl(db, m, a);
	}
	return 0;
}

static int
rmap_entry_matches(const struct policy_db *db, const struct rmap_entry *e,
    const struct policy_ctx *ctx, const struct attr *a)
{
	size_t	 i;

	for (i = 0; i < e->nm; i++)
		if (!match_one(db, &e->m[i], ctx, a))
			return 0;
	return 1;
}

static void
set_metric(const struct rmap_set_c *s, struct attr *a)
{
	uint64_t	 base = a->flags & ATTRF_MED ? a->med : 0;

	if (s->op == '+')
		base += s->num;
	else if (s->op == '-')
		base = base > s->num ? base - s->num : 0;
	else
		base = s->num;
	a->med = base > UINT32_MAX ? UINT32_MAX : (uint32_t)base;
	a->flags |= ATTRF_MED;
}

/* Replaces the work attr's path with p prepended by as, count times. */
static void
prepend_swap(struct attr *a, uint32_t as, int count)
{
	struct aspath	*old = a->aspath != NULL ? a->aspath : aspath_empty();

	a->aspath = aspath_prepend(old, as, count);
	aspath_unref(old);
}

/*
 * "prepend 65000 65001" gives "65000 65001 <path>": the last written is
 * prepended first.  "last-as N" repeats the path's leftmost AS (the
 * neighbor's); on an empty path there is none and, as FRR does, our own
 * AS is used.
 */
static void
set_prepend(const struct rmap_set_c *s, const struct policy_ctx *ctx,
    struct attr *a)
{
	uint32_t	 as;
	size_t		 i, k;

	if (s->lastas) {
		as = a->aspath != NULL ? aspath_neighbor(a->aspath) : 0;
		prepend_swap(a, as != 0 ? as : ctx->local_as, (int)s->num);
		return;
	}
	for (i = s->nasn; i > 0; i = k) {
		for (k = i - 1; k > 0 && s->asns[k - 1] == s->asns[i - 1]; k--)
			;
		prepend_swap(a, s->asns[i - 1], (int)(i - k));
	}
}

/* *slot becomes the clause's values, or their union with it for
 * "additive" and for extcommunity rt (FRR adds route targets to those
 * the route has). */
static void
set_comms(const struct rmap_set_c *s, uint8_t unit, struct comms **slot)
{
	struct comms	*nc = NULL, *u;

	if (!s->none)
		nc = comms_intern(unit, s->vals, s->n);
	if (nc != NULL && (s->additive || unit == COMM_UNIT_EXT) &&
	    *slot != NULL) {
		u = comms_union(*slot, nc);
		comms_unref(nc);
		nc = u;
	}
	if (*slot != NULL)
		comms_unref(*slot);
	*slot = nc;
}

/* The text of one standard community, for an expanded list. */
static int
comm_value_regex(const regex_t *re, const uint8_t *v)
{
	struct comms	*one = comms_intern(COMM_UNIT_STD, v, 1);
	struct buf	 b;
	int		 hit;

	hit = regexec(re, text_of(&b, NULL, one), 0, NULL, 0) == 0;
	buf_free(&b);
	comms_unref(one);
	return hit;
}

/* FRR's community_list_match_delete: per value, the first entry that
 * matches it decides; a permit entry deletes it. */
static int
comm_value_deleted(const struct comm_list *cl, const uint8_t *v)
{
	const struct comm_entry	*e;
	size_t			 i, k;
	int			 hit;

	for (i = 0; i < cl->ents.n; i++) {
		e = seqarr_at(&cl->ents, i);
		if (cl->expanded)
			hit = comm_value_regex(&e->re, v);
		else
			for (hit = e->any, k = 0; k < e->n && !hit; k++)
				hit = memcmp(e->vals + k * 4, v, 4) == 0;
		if (hit)
			return e->permit;
	}
	return 0;
}

static void
set_comm_delete(const struct policy_db *db, const struct rmap_set_c *s,
    struct attr *a)
{
	const struct comm_list	*cl = comm_list_find(db, 0, s->name);
	struct comms		*nc = NULL;
	uint8_t			*keep;
	size_t			 i, n = 0;

	if (cl == NULL || a->comm == NULL)
		return;
	keep = xcalloc(a->comm->n, COMM_UNIT_STD);
	for (i = 0; i < a->comm->n; i++)
		if (!comm_value_deleted(cl, a->comm->data + i * 4))
			memcpy(keep + 4 * n++, a->comm->data + i * 4, 4);
	if (n != a->comm->n) {
		if (n > 0)
			nc = comms_intern(COMM_UNIT_STD, keep, n);
		comms_unref(a->comm);
		a->comm = nc;
	}
	free(keep);
}

/* next-hop peer-address: the neighbor inbound, ourselves outbound. */
static void
set_nexthop(const struct rmap_set_c *s, const struct policy_ctx *ctx,
    struct attr *a)
{
	if (!s->peer)
		a->nexthop = s->addr;
	else if (ctx->out)
		a->nexthop = ctx->local_addr;
	else
		a->nexthop = ctx->peer_addr;
}

static void
set_one(const struct policy_db *db, const struct rmap_set_c *s,
    const struct policy_ctx *ctx, struct attr *a)
{
	switch (s->kind) {
	case RM_SET_LOCAL_PREF:
		a->local_pref = s->num;
		a->flags |= ATTRF_LOCAL_PREF;
		break;
	case RM_SET_METRIC:
		set_metric(s, a);
		break;
	case RM_SET_WEIGHT:
		a->weight = s->num;
		break;
	case RM_SET_PREPEND:
		set_prepend(s, ctx, a);
		break;
	case RM_SET_COMMUNITY:
		set_comms(s, COMM_UNIT_STD, &a->comm);
		break;
	case RM_SET_COMM_DELETE:
		set_comm_delete(db, s, a);
		break;
	case RM_SET_LARGE_COMMUNITY:
		set_comms(s, COMM_UNIT_LARGE, &a->lcomm);
		break;
	case RM_SET_EXT_COMMUNITY_RT:
		set_comms(s, COMM_UNIT_EXT, &a->ecomm);
		break;
	case RM_SET_NEXTHOP:
	case RM_SET_NEXTHOP6:
		set_nexthop(s, ctx, a);
		break;
	case RM_SET_ORIGIN:
		a->origin = s->num;
		break;
	}
}

/*
 * FRR's route_map_apply: entries in order; the first that matches
 * decides unless it is a permit with on-match next / goto / continue,
 * which goes on (at the first entry whose seq is >= the target, FRR's
 * "first entry whose order is >= N") with the sets already applied.  A
 * deny entry that matches denies even after such a permit; running off
 * the end after a permit permits; no entry matching denies.
 */
enum policy_verdict
policy_rmap_apply(const struct policy_db *db, const struct route_map *rm,
    const struct policy_ctx *ctx, struct attr *work)
{
	const struct rmap_entry	*e;
	size_t			 i = 0, k;
	int			 permitted = 0;

	if (rm == NULL)
		return POLICY_DENY;
	while (i < rm->ents.n) {
		e = seqarr_at(&rm->ents, i);
		if (!rmap_entry_matches(db, e, ctx, work)) {
			i++;
			continue;
		}
		if (!e->permit)
			return POLICY_DENY;
		permitted = 1;
		for (k = 0; k < e->ns; k++)
			set_one(db, &e->s[k], ctx, work);
		if (e->exit == RMAP_EXIT)
			return POLICY_PERMIT;
		i = e->exit == RMAP_NEXT ? i + 1 :
		    seqarr_find(&rm->ents, e->goto_seq);
	}
	return permitted ? POLICY_PERMIT : POLICY_DENY;
}
