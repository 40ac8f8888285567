/*
 * check_rib: the prefix tables and the decision process (bgpd/rib.c).
 *
 * Every decision step is shown decisive by two paths that differ only
 * there (in both insertion orders, with the text rib_step_explain gives);
 * then the option flags, the multipath sets, the change queue, the
 * walks, soft-reconfiguration paths and the reference counts: after every
 * source is flushed no attribute set, entry or path may be left.  Routes
 * use attributes interned by attr.c, as the daemon does.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgpd.h"
#include "rib.h"

/* Helpers ------------------------------------------------------------- */

enum { S_E1, S_E2, S_IBGP, S_LOCAL, S_SAME1, S_SAME2, S_E3, S_SOFT, S_MAX };

static struct rib_src	 srcs[S_MAX];

static void
src_set(int i, const char *addr, const char *id, uint32_t as, int ebgp)
{
	struct rib_src	*s = &srcs[i];

	memset(s, 0, sizeof(*s));
	if (addr != NULL)
		ck_assert_int_eq(addr_parse(addr, &s->addr), 0);
	ck_assert_int_eq(bgpid_parse(id, &s->bgp_id), 0);
	s->as = as;
	s->ebgp = ebgp;
}

/* Two eBGP neighbors, an iBGP one with the lowest router id (so that
 * only the eBGP step can make it lose), local origination with the
 * highest, two sessions to one router, a third neighbor, and one with
 * soft-reconfiguration inbound. */
static void
srcs_init(void)
{
	src_set(S_E1, "10.0.0.1", "10.0.0.1", 65001, 1);
	src_set(S_E2, "10.0.0.2", "10.0.0.2", 65002, 1);
	src_set(S_IBGP, "10.0.0.3", "9.0.0.1", 64999, 0);
	src_set(S_LOCAL, NULL, "10.0.0.250", 64999, 0);
	srcs[S_LOCAL].local = 1;
	src_set(S_SAME1, "10.0.1.1", "1.1.1.1", 65003, 1);
	src_set(S_SAME2, "10.0.1.2", "1.1.1.1", 65003, 1);
	src_set(S_E3, "10.0.0.4", "10.0.0.4", 65004, 1);
	src_set(S_SOFT, "10.0.0.5", "10.0.0.5", 65005, 1);
	srcs[S_SOFT].soft_in = 1;
}

static struct tb_prefix
pfx(const char *s)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return p;
}

/* "65001 65002": one AS_SEQUENCE; "": the empty path. */
static struct aspath *
mk_aspath(const char *s)
{
	uint8_t		 data[2 + 4 * 32];
	char		*dup, *tok, *save = NULL;
	uint32_t	 as;
	size_t		 n = 0;
	struct aspath	*ap;

	if (*s == '\0')
		return aspath_empty();
	ck_assert_ptr_nonnull(dup = strdup(s));
	for (tok = strtok_r(dup, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		ck_assert_uint_lt(n, 32);
		as = htonl((uint32_t)strtoul(tok, NULL, 10));
		memcpy(data + 2 + 4 * n++, &as, 4);
	}
	free(dup);
	data[0] = AS_SEQUENCE;
	data[1] = n;
	ap = aspath_intern(data, 2 + 4 * n);
	ck_assert_ptr_nonnull(ap);
	return ap;
}

/* What a path carries; aspath NULL: "65010". */
struct side {
	const char	*aspath;
	uint32_t	 weight;
	uint32_t	 lpref;
	int		 has_lpref;
	uint32_t	 med;
	int		 has_med;
	uint8_t		 origin;
	int		 src;
	uint32_t	 since;
	int		 denied;
	int		 unreach;
};

static struct attr *
mk_attr(const struct side *s)
{
	struct attr	 w;

	if (s->denied)
		return NULL;
	memset(&w, 0, sizeof(w));
	w.aspath = mk_aspath(s->aspath != NULL ? s->aspath : "65010");
	w.origin = s->origin;
	w.weight = s->weight;
	if (s->has_lpref) {
		w.flags |= ATTRF_LOCAL_PREF;
		w.local_pref = s->lpref;
	}
	if (s->has_med) {
		w.flags |= ATTRF_MED;
		w.med = s->med;
	}
	ck_assert_int_eq(addr_parse("192.0.2.1", &w.nexthop), 0);
	return attr_intern(&w);
}

#define SIDE(...)	((struct side){ __VA_ARGS__ })
#define LP(v)		.lpref = (v), .has_lpref = 1
#define MED(v)		.med = (v), .has_med = 1

static struct rib *
rib_mk(uint16_t maxpaths)
{
	struct rib_opts	 o;

	memset(&o, 0, sizeof(o));
	o.maximum_paths[AID_IPV4_UNICAST] = maxpaths;
	o.maximum_paths[AID_IPV6_UNICAST] = maxpaths;
	return rib_new(&o);
}

static void
put(struct rib *rib, const char *p, const struct side *s)
{
	struct tb_prefix	 tp = pfx(p);
	struct rib_entry	*re;

	rib_update(rib, &srcs[s->src], &tp, mk_attr(s), NULL, s->since);
	if (s->unreach) {
		re = rib_lookup(rib, &tp);
		rib_path_set_reachable(rib, re,
		    rib_entry_path(re, &srcs[s->src]), 0);
	}
}

static struct rib_entry *
get(struct rib *rib, const char *p)
{
	struct tb_prefix	 tp = pfx(p);

	return rib_lookup(rib, &tp);
}

static struct rib_path *
nth(const struct rib_entry *re, int n)
{
	struct rib_path	*p = re->paths;

	while (p != NULL && n-- > 0)
		p = p->next;
	return p;
}

static int
npaths(const struct rib_entry *re)
{
	int	 n = 0;

	while (nth(re, n) != NULL)
		n++;
	return n;
}

static int
nmultipath(const struct rib_entry *re)
{
	struct rib_path	*p;
	int		 n = 0;

	for (p = re->paths; p != NULL; p = p->next)
		n += (p->flags & PATH_MULTIPATH) != 0;
	return n;
}

static void
flush_all(struct rib *rib)
{
	int	 i;

	for (i = 0; i < S_MAX; i++)
		rib_src_flush(rib, &srcs[i], AID_MAX);
	rib_drain(rib, NULL, NULL);
}

/* Nothing may be left once every source is flushed. */
static void
rib_done(struct rib *rib)
{
	struct rib_stats	 st;
	int			 i;

	flush_all(rib);
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], 0);
	ck_assert_uint_eq(st.entries[AID_IPV6_UNICAST], 0);
	ck_assert_uint_eq(st.paths, 0);
	for (i = 0; i < S_MAX; i++) {
		ck_assert_uint_eq(srcs[i].nrcvd[AID_IPV4_UNICAST], 0);
		ck_assert_uint_eq(srcs[i].npaths[AID_IPV4_UNICAST], 0);
		ck_assert_uint_eq(srcs[i].nrcvd[AID_IPV6_UNICAST], 0);
	}
	rib_free(rib);
	ck_assert_uint_eq(attr_count(), 0);
}

static void
count_cb(struct rib_entry *re, void *arg)
{
	(void)re;
	(*(size_t *)arg)++;
}

static size_t
drain_count(struct rib *rib)
{
	size_t	 n = 0;

	rib_drain(rib, count_cb, &n);
	return n;
}

/* Decision steps ------------------------------------------------------ */

static const struct dcase {
	const char	*name;
	enum rib_step	 step;
	struct side	 win;
	struct side	 lose;
	const char	*why;
} dcases[] = {
	{ "denied", STEP_ELIGIBLE, SIDE(.src = S_E2),
	    SIDE(.src = S_E1, .denied = 1), "denied by policy" },
	{ "unreachable", STEP_ELIGIBLE, SIDE(.src = S_E2),
	    SIDE(.src = S_E1, .unreach = 1), "next hop unreachable" },
	{ "weight", STEP_WEIGHT, SIDE(.src = S_E2, .weight = 100),
	    SIDE(.src = S_E1), "weight 0 < 100" },
	{ "local-pref", STEP_LOCAL_PREF, SIDE(.src = S_E2, LP(200)),
	    SIDE(.src = S_E1, LP(50)), "LOCAL_PREF 50 < 200" },
	{ "local-pref default", STEP_LOCAL_PREF, SIDE(.src = S_E2),
	    SIDE(.src = S_E1, LP(99)), "LOCAL_PREF 99 < 100" },
	{ "local origin", STEP_LOCAL_ORIGIN, SIDE(.src = S_LOCAL),
	    SIDE(.src = S_E1), "not locally originated" },
	{ "as-path", STEP_AS_PATH, SIDE(.src = S_E2),
	    SIDE(.src = S_E1, .aspath = "65010 65011 65012 65013"),
	    "AS_PATH length 4 > 1" },
	{ "origin", STEP_ORIGIN, SIDE(.src = S_E2),
	    SIDE(.src = S_E1, .origin = ORIGIN_INCOMPLETE),
	    "origin incomplete > IGP" },
	{ "med", STEP_MED, SIDE(.src = S_E2, .aspath = "65010 2", MED(100)),
	    SIDE(.src = S_E1, .aspath = "65010 3", MED(200)),
	    "MED 200 > 100" },
	{ "ebgp", STEP_EBGP, SIDE(.src = S_E1), SIDE(.src = S_IBGP),
	    "iBGP < eBGP" },
	{ "oldest", STEP_OLDEST, SIDE(.src = S_E2, .since = 100),
	    SIDE(.src = S_E1, .since = 120),
	    "newer path (learned 20 s after)" },
	{ "router-id", STEP_ROUTER_ID, SIDE(.src = S_E1), SIDE(.src = S_E2),
	    "router-id 10.0.0.2 > 10.0.0.1" },
	{ "peer address", STEP_PEER_ADDR, SIDE(.src = S_SAME1),
	    SIDE(.src = S_SAME2), "peer address 10.0.1.2 > 10.0.1.1" },
};

static void
check_dcase(const struct dcase *c, int loser_first)
{
	struct rib		*rib = rib_mk(1);
	struct rib_entry	*re;
	struct rib_path		*w, *l;
	enum rib_step		 st;
	char			 why[128];

	srcs_init();
	put(rib, "10.0.0.0/24", loser_first ? &c->lose : &c->win);
	put(rib, "10.0.0.0/24", loser_first ? &c->win : &c->lose);
	ck_assert_ptr_nonnull(re = get(rib, "10.0.0.0/24"));
	ck_assert_int_eq(npaths(re), 2);
	w = nth(re, 0);
	l = nth(re, 1);
	ck_assert_msg(w->src == &srcs[c->win.src], "%s: wrong winner",
	    c->name);
	ck_assert_ptr_eq(rib_entry_best(re), w);
	ck_assert(w->flags & PATH_BEST);
	ck_assert(!(l->flags & (PATH_BEST | PATH_MULTIPATH)));
	ck_assert_uint_eq(w->lost, STEP_NONE);
	ck_assert_msg(l->lost == c->step, "%s: lost on %s", c->name,
	    rib_step_name(l->lost));
	ck_assert_int_lt(rib_path_cmp(rib, w, l, &st), 0);
	ck_assert_uint_eq(st, c->step);
	ck_assert_int_gt(rib_path_cmp(rib, l, w, &st), 0);
	ck_assert_uint_eq(st, c->step);
	rib_step_explain(l->lost, l, w, why, sizeof(why));
	ck_assert_str_eq(why, c->why);
	rib_done(rib);
}

START_TEST(t_step_decisive)
{
	check_dcase(&dcases[_i], 0);
	check_dcase(&dcases[_i], 1);
}
END_TEST

START_TEST(t_steps_covered)
{
	enum rib_step	 s;
	size_t		 i;
	int		 seen;

	for (s = STEP_ELIGIBLE; s < STEP_MAX; s++) {
		if (s == STEP_MULTIPATH)
			continue;
		seen = 0;
		for (i = 0; i < sizeof(dcases) / sizeof(dcases[0]); i++)
			seen |= dcases[i].step == s;
		ck_assert_msg(seen, "step %s has no case", rib_step_name(s));
	}
}
END_TEST

START_TEST(t_step_names)
{
	enum rib_step	 s, t;

	for (s = STEP_NONE; s < STEP_MAX; s++) {
		ck_assert_ptr_nonnull(rib_step_name(s));
		for (t = STEP_NONE; t < s; t++)
			ck_assert_str_ne(rib_step_name(s), rib_step_name(t));
	}
	ck_assert_str_eq(rib_step_name(STEP_MAX), "unknown");
}
END_TEST

/* Equal paths compare 0 with STEP_NONE; the first path has lost 0. */
START_TEST(t_equal)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct rib_entry	*re;
	enum rib_step		 st = STEP_MAX;

	srcs_init();
	put(rib, "10.0.0.0/24", &s);
	re = get(rib, "10.0.0.0/24");
	ck_assert_int_eq(rib_path_cmp(rib, re->paths, re->paths, &st), 0);
	ck_assert_uint_eq(st, STEP_NONE);
	ck_assert(re->paths->flags & PATH_BEST);
	ck_assert(re->paths->flags & PATH_MULTIPATH);
	rib_done(rib);
}
END_TEST

/* Two denied paths: no best, a stable order, nothing queued. */
START_TEST(t_all_denied)
{
	struct rib		*rib = rib_mk(4);
	struct side		 a = SIDE(.src = S_E2, .denied = 1);
	struct side		 b = SIDE(.src = S_E1, .denied = 1);
	struct rib_entry	*re;

	srcs_init();
	put(rib, "10.0.0.0/24", &a);
	put(rib, "10.0.0.0/24", &b);
	ck_assert_uint_eq(rib_queued(rib), 0);
	re = get(rib, "10.0.0.0/24");
	ck_assert_ptr_null(rib_entry_best(re));
	ck_assert_ptr_eq(nth(re, 0)->src, &srcs[S_E1]);
	ck_assert_uint_eq(nth(re, 1)->lost, STEP_ROUTER_ID);
	ck_assert_uint_eq(nmultipath(re), 0);
	ck_assert_uint_eq(srcs[S_E1].nrcvd[AID_IPV4_UNICAST], 1);
	ck_assert_uint_eq(srcs[S_E1].npaths[AID_IPV4_UNICAST], 0);
	rib_done(rib);
}
END_TEST

/*
 * The MED step is not transitive: p1 beats p2 (router id), p2 beats p3
 * (router id), p3 beats p1 (MED, same neighbor AS).  Every arrival order
 * must give the same ranking.
 */
START_TEST(t_deterministic)
{
	const struct side	 sd[3] = {
		SIDE(.src = S_E1, .aspath = "65010 1", MED(200)),
		SIDE(.src = S_E2, .aspath = "65020 1", MED(100)),
		SIDE(.src = S_E3, .aspath = "65010 2", MED(100)),
	};
	static const int	 perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 },
	    { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	const struct rib_src	*first[3] = { NULL, NULL, NULL };
	struct rib		*rib;
	struct rib_entry	*re;
	struct tb_prefix	 p;
	int			 i, j;

	srcs_init();
	for (i = 0; i < 6; i++) {
		rib = rib_mk(1);
		for (j = 0; j < 3; j++)
			put(rib, "10.0.0.0/24", &sd[perm[i][j]]);
		/* Leaving and coming back re-sorts too. */
		p = pfx("10.0.0.0/24");
		ck_assert_int_eq(rib_withdraw(rib, &srcs[sd[perm[i][1]].src],
		    &p), 0);
		put(rib, "10.0.0.0/24", &sd[perm[i][1]]);
		re = get(rib, "10.0.0.0/24");
		for (j = 0; j < 3; j++) {
			if (first[j] == NULL)
				first[j] = nth(re, j)->src;
			ck_assert_msg(nth(re, j)->src == first[j],
			    "order %d differs at %d", i, j);
		}
		rib_done(rib);
	}
}
END_TEST

/* Options ------------------------------------------------------------- */

/* a and b on one prefix; with o applied and re-decided the best changes
 * from want_before to want_after, and the entry is queued. */
static void
check_option(const struct side *a, const struct side *b,
    void (*set)(struct rib_opts *), int want_before, int want_after,
    enum rib_step step_after)
{
	struct rib		*rib = rib_mk(1);
	struct rib_opts		 o;
	struct rib_entry	*re;

	put(rib, "10.0.0.0/24", a);
	put(rib, "10.0.0.0/24", b);
	re = get(rib, "10.0.0.0/24");
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[want_before]);
	rib_drain(rib, NULL, NULL);
	o = *rib_opts(rib);
	set(&o);
	rib_set_opts(rib, &o);
	rib_redecide_all(rib);
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[want_after]);
	ck_assert_uint_eq(nth(re, 1)->lost, step_after);
	ck_assert_uint_eq(rib_queued(rib), 1);
	ck_assert(re->flags & RE_QUEUED);
	rib_done(rib);
}

static void
set_aspath_ignore(struct rib_opts *o)
{
	o->as_path_ignore = 1;
}

static void
set_always_med(struct rib_opts *o)
{
	o->always_compare_med = 1;
}

static void
set_missing_worst(struct rib_opts *o)
{
	o->med_missing_as_worst = 1;
}

static void
set_compare_rid(struct rib_opts *o)
{
	o->compare_router_id = 1;
}

START_TEST(t_opt_aspath_ignore)
{
	struct side	 a = SIDE(.src = S_E1, .aspath = "65010 65011");
	struct side	 b = SIDE(.src = S_E2);

	srcs_init();
	check_option(&a, &b, set_aspath_ignore, S_E2, S_E1, STEP_ROUTER_ID);
}
END_TEST

START_TEST(t_opt_always_med)
{
	struct side	 a = SIDE(.src = S_E1, .aspath = "65010", MED(200));
	struct side	 b = SIDE(.src = S_E2, .aspath = "65020", MED(100));

	srcs_init();
	check_option(&a, &b, set_always_med, S_E1, S_E2, STEP_MED);
}
END_TEST

START_TEST(t_opt_missing_as_worst)
{
	struct side	 a = SIDE(.src = S_E1);
	struct side	 b = SIDE(.src = S_E2, MED(100));
	struct rib	*rib;
	struct rib_opts	 o;
	struct rib_entry *re;
	char		 why[64];

	srcs_init();
	check_option(&a, &b, set_missing_worst, S_E1, S_E2, STEP_MED);
	/* The loser's missing MED is named as such. */
	rib = rib_mk(1);
	o = *rib_opts(rib);
	set_missing_worst(&o);
	rib_set_opts(rib, &o);
	put(rib, "10.0.0.0/24", &a);
	put(rib, "10.0.0.0/24", &b);
	re = get(rib, "10.0.0.0/24");
	rib_step_explain(nth(re, 1)->lost, nth(re, 1), nth(re, 0), why,
	    sizeof(why));
	ck_assert_str_eq(why, "MED missing (worst) > 100");
	rib_done(rib);
}
END_TEST

START_TEST(t_opt_compare_routerid)
{
	struct side	 a = SIDE(.src = S_E1, .since = 200);
	struct side	 b = SIDE(.src = S_E2, .since = 100);

	srcs_init();
	check_option(&a, &b, set_compare_rid, S_E2, S_E1, STEP_ROUTER_ID);
}
END_TEST

/* The oldest-path rule is for eBGP paths only (RFC 5004). */
START_TEST(t_oldest_ebgp_only)
{
	struct rib		*rib = rib_mk(1);
	struct side		 a = SIDE(.src = S_IBGP, .since = 200);
	struct rib_src		 ib2;
	struct rib_entry	*re;
	struct tb_prefix	 p = pfx("10.0.0.0/24");

	srcs_init();
	memcpy(&ib2, &srcs[S_IBGP], sizeof(ib2));
	ck_assert_int_eq(bgpid_parse("9.0.0.2", &ib2.bgp_id), 0);
	put(rib, "10.0.0.0/24", &a);
	a.since = 100;
	rib_update(rib, &ib2, &p, mk_attr(&a), NULL, 100);
	re = get(rib, "10.0.0.0/24");
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[S_IBGP]);
	ck_assert_uint_eq(nth(re, 1)->lost, STEP_ROUTER_ID);
	rib_src_flush(rib, &ib2, AID_MAX);
	rib_done(rib);
}
END_TEST

/* Multipath ----------------------------------------------------------- */

/* Four paths equal through the eBGP step with neighbor AS 65010, one
 * from 65020 of the same length, one with a worse MED. */
static void
mp_fill(struct rib *rib)
{
	const struct side	 sd[] = {
		SIDE(.src = S_E1, .aspath = "65010 1"),
		SIDE(.src = S_E2, .aspath = "65010 2"),
		SIDE(.src = S_E3, .aspath = "65010 3"),
		SIDE(.src = S_SAME1, .aspath = "65010 4"),
		SIDE(.src = S_SAME2, .aspath = "65020 5"),
		SIDE(.src = S_SOFT, .aspath = "65010 6", MED(5)),
	};
	size_t			 i;

	for (i = 0; i < sizeof(sd) / sizeof(sd[0]); i++)
		put(rib, "10.0.0.0/24", &sd[i]);
}

static int
mp_count(uint16_t maxp, int relax)
{
	struct rib		*rib = rib_mk(maxp);
	struct rib_opts		 o = *rib_opts(rib);
	struct rib_entry	*re;
	struct rib_path		*p;
	int			 n;

	o.multipath_relax = relax;
	rib_set_opts(rib, &o);
	mp_fill(rib);
	re = get(rib, "10.0.0.0/24");
	n = nmultipath(re);
	ck_assert(re->paths->flags & PATH_BEST);
	for (p = re->paths->next; p != NULL; p = p->next) {
		ck_assert(!(p->flags & PATH_BEST));
		/* Never the worse MED path. */
		if (p->src == &srcs[S_SOFT])
			ck_assert(!(p->flags & PATH_MULTIPATH));
		/* Not the other neighbor AS unless relaxed. */
		if (p->src == &srcs[S_SAME2] && !relax)
			ck_assert(!(p->flags & PATH_MULTIPATH));
	}
	rib_done(rib);
	return n;
}

START_TEST(t_multipath_sets)
{
	srcs_init();
	ck_assert_int_eq(mp_count(1, 0), 1);
	ck_assert_int_eq(mp_count(2, 0), 2);
	ck_assert_int_eq(mp_count(4, 0), 4);
	ck_assert_int_eq(mp_count(8, 0), 4);
	ck_assert_int_eq(mp_count(8, 1), 5);
	ck_assert_int_eq(mp_count(2, 1), 2);
}
END_TEST

/* With relax, a different AS path length still excludes a path. */
START_TEST(t_multipath_relax_length)
{
	struct rib		*rib = rib_mk(4);
	struct rib_opts		 o = *rib_opts(rib);
	struct side		 a = SIDE(.src = S_E1, .aspath = "65010 1");
	struct side		 b = SIDE(.src = S_E2, .aspath = "65020 1 2");

	srcs_init();
	o.multipath_relax = 1;
	o.as_path_ignore = 1;
	rib_set_opts(rib, &o);
	put(rib, "10.0.0.0/24", &a);
	put(rib, "10.0.0.0/24", &b);
	ck_assert_int_eq(nmultipath(get(rib, "10.0.0.0/24")), 1);
	rib_done(rib);
}
END_TEST

/* A change in the multipath set queues the entry though the best path
 * stays; a change to a path outside it does not. */
START_TEST(t_multipath_queue)
{
	struct rib	*rib = rib_mk(2);
	struct side	 a = SIDE(.src = S_E1, .aspath = "65010 1");
	struct side	 b = SIDE(.src = S_E2, .aspath = "65010 2");
	struct side	 c = SIDE(.src = S_E3, .aspath = "65010 3");
	struct side	 worse = SIDE(.src = S_SOFT, .aspath = "65010 1 2");

	srcs_init();
	put(rib, "10.0.0.0/24", &a);
	ck_assert_uint_eq(drain_count(rib), 1);
	put(rib, "10.0.0.0/24", &b);
	ck_assert_uint_eq(rib_queued(rib), 1);
	ck_assert_int_eq(nmultipath(get(rib, "10.0.0.0/24")), 2);
	ck_assert_uint_eq(drain_count(rib), 1);
	put(rib, "10.0.0.0/24", &c);	/* third equal: set is full */
	ck_assert_uint_eq(rib_queued(rib), 0);
	put(rib, "10.0.0.0/24", &worse);
	ck_assert_uint_eq(rib_queued(rib), 0);
	/* b's next hop changes: it is in the set, so the FIB must know. */
	b.has_med = 1;	/* MED 0: as good as none, another set */
	put(rib, "10.0.0.0/24", &b);
	ck_assert_uint_eq(rib_queued(rib), 1);
	rib_done(rib);
}
END_TEST

/* Updates, withdrawals, the queue ------------------------------------- */

START_TEST(t_update_same_attr)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	struct attr		*a = mk_attr(&s);
	struct rib_entry	*re;
	uint32_t		 refs;

	srcs_init();
	ck_assert_int_eq(rib_update(rib, &srcs[S_E1], &p, attr_ref(a), NULL,
	    100), 0);
	ck_assert_uint_eq(drain_count(rib), 1);
	refs = a->refcnt;
	/* The same interned set again, even built anew: nothing changes. */
	ck_assert_int_eq(rib_update(rib, &srcs[S_E1], &p, mk_attr(&s), NULL,
	    150), 1);
	ck_assert_uint_eq(a->refcnt, refs);
	ck_assert_uint_eq(rib_queued(rib), 0);
	re = get(rib, "10.0.0.0/24");
	ck_assert_uint_eq(re->paths->since, 100);
	/* A different one replaces it and is queued. */
	s.med = 7;
	s.has_med = 1;
	ck_assert_int_eq(rib_update(rib, &srcs[S_E1], &p, mk_attr(&s), NULL,
	    160), 0);
	ck_assert_uint_eq(a->refcnt, refs - 1);
	ck_assert_uint_eq(re->paths->since, 160);
	ck_assert_uint_eq(drain_count(rib), 1);
	ck_assert_int_eq(npaths(re), 1);
	attr_unref(a);
	rib_done(rib);
}
END_TEST

START_TEST(t_withdraw)
{
	struct rib		*rib = rib_mk(1);
	struct side		 a = SIDE(.src = S_E1);
	struct side		 b = SIDE(.src = S_E2);
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	struct rib_entry	*re;

	srcs_init();
	put(rib, "10.0.0.0/24", &a);
	put(rib, "10.0.0.0/24", &b);
	ck_assert_uint_eq(drain_count(rib), 1);
	re = get(rib, "10.0.0.0/24");
	/* Not the best: no change to export. */
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E2], &p), 0);
	ck_assert_uint_eq(rib_queued(rib), 0);
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E2], &p), 1);
	put(rib, "10.0.0.0/24", &b);
	/* The best: the other takes over, queued. */
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E1], &p), 0);
	ck_assert_uint_eq(rib_queued(rib), 1);
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[S_E2]);
	ck_assert_uint_eq(rib_entry_best(re)->lost, STEP_NONE);
	/* The last: the entry lives until drained, then it is gone. */
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E2], &p), 0);
	ck_assert_ptr_eq(get(rib, "10.0.0.0/24"), re);
	ck_assert_ptr_null(rib_entry_best(re));
	ck_assert_uint_eq(drain_count(rib), 1);
	ck_assert_ptr_null(get(rib, "10.0.0.0/24"));
	p = pfx("10.9.0.0/16");
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E2], &p), 1);
	rib_done(rib);
}
END_TEST

START_TEST(t_src_flush)
{
	struct rib		*rib = rib_mk(1);
	struct side		 a = SIDE(.src = S_E1);
	struct side		 b = SIDE(.src = S_E2);
	struct side		 c = SIDE(.src = S_E2, .aspath = "65010 1");
	struct rib_stats	 st;
	char			 buf[32];
	int			 i;

	srcs_init();
	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "10.0.%d.0/24", i);
		put(rib, buf, &a);
		if (i % 2 == 0)
			put(rib, buf, i % 4 == 0 ? &b : &c);
	}
	put(rib, "2001:db8::/32", &a);
	ck_assert_uint_eq(drain_count(rib), 101);
	rib_src_flush(rib, &srcs[S_E1], AID_IPV4_UNICAST);
	/* Every entry lost its best path: all 100 queued. */
	ck_assert_uint_eq(rib_queued(rib), 100);
	ck_assert_uint_eq(srcs[S_E1].nrcvd[AID_IPV4_UNICAST], 0);
	ck_assert_uint_eq(srcs[S_E1].nrcvd[AID_IPV6_UNICAST], 1);
	ck_assert_uint_eq(drain_count(rib), 100);
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], 50);
	ck_assert_uint_eq(st.entries[AID_IPV6_UNICAST], 1);
	ck_assert_uint_eq(st.paths, 51);
	ck_assert_ptr_eq(rib_entry_best(get(rib, "10.0.4.0/24"))->src,
	    &srcs[S_E2]);
	ck_assert_ptr_null(get(rib, "10.0.1.0/24"));
	/* Flushing a source that is only second queues nothing. */
	put(rib, "10.0.1.0/24", &c);
	put(rib, "10.0.1.0/24", &a);
	rib_drain(rib, NULL, NULL);
	rib_src_flush(rib, &srcs[S_E2], AID_MAX);
	ck_assert_uint_eq(rib_queued(rib), 50);
	rib_done(rib);
}
END_TEST

struct drain_ctx {
	struct rib	*rib;
	size_t		 n;
	int		 seen[4];
};

static void
drain_change(struct rib_entry *re, void *arg)
{
	struct drain_ctx	*c = arg;
	struct side		 s = SIDE(.src = S_E2, .weight = 10);
	struct tb_prefix	 p;

	c->n++;
	c->seen[re->addr[2]]++;
	/* Change the entry being handed out: queued for the next drain. */
	rib_entry_prefix(re, &p);
	rib_update(c->rib, &srcs[S_E2], &p, mk_attr(&s), NULL, 1);
}

/* Changed many times, handed out once; changes made while draining wait
 * for the next drain. */
START_TEST(t_queue_once)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct drain_ctx	 c;
	int			 i;

	srcs_init();
	for (i = 0; i < 4; i++) {
		s.med = i;
		s.has_med = 1;
		put(rib, "10.0.0.0/24", &s);
		put(rib, "10.0.1.0/24", &s);
	}
	ck_assert_uint_eq(rib_queued(rib), 2);
	memset(&c, 0, sizeof(c));
	c.rib = rib;
	rib_drain(rib, drain_change, &c);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_int_eq(c.seen[0], 1);
	ck_assert_int_eq(c.seen[1], 1);
	ck_assert_uint_eq(rib_queued(rib), 2);
	ck_assert_uint_eq(drain_count(rib), 2);
	ck_assert_uint_eq(drain_count(rib), 0);
	rib_done(rib);
}
END_TEST

/* A holder keeps an entry without paths; the last unref frees it. */
START_TEST(t_entry_ref)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct rib_entry	*re;
	struct rib_stats	 st;

	srcs_init();
	put(rib, "10.0.0.0/24", &s);
	re = get(rib, "10.0.0.0/24");
	rib_entry_ref(re);
	rib_drain(rib, NULL, NULL);
	rib_src_flush(rib, &srcs[S_E1], AID_MAX);
	rib_drain(rib, NULL, NULL);
	ck_assert_ptr_eq(get(rib, "10.0.0.0/24"), re);
	ck_assert_ptr_null(re->paths);
	rib_entry_unref(rib, re);
	ck_assert_ptr_null(get(rib, "10.0.0.0/24"));
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], 0);
	rib_done(rib);
}
END_TEST

static void
walk_withdraw(struct rib_entry *re, void *arg)
{
	struct rib	*rib = arg;
	struct tb_prefix p;

	rib_entry_prefix(re, &p);
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E1], &p), 0);
}

/* A walk may empty entries: each is handed over once, freed later. */
START_TEST(t_walk_withdraw)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct rib_stats	 st;
	char			 buf[32];
	int			 i;

	srcs_init();
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", i / 256, i % 256);
		put(rib, buf, &s);
	}
	rib_drain(rib, NULL, NULL);
	rib_walk(rib, AID_IPV4_UNICAST, walk_withdraw, rib);
	ck_assert_uint_eq(srcs[S_E1].nrcvd[AID_IPV4_UNICAST], 0);
	ck_assert_uint_eq(drain_count(rib), 1000);
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], 0);
	rib_done(rib);
}
END_TEST

START_TEST(t_reachable)
{
	struct rib		*rib = rib_mk(1);
	struct side		 a = SIDE(.src = S_E1);
	struct side		 b = SIDE(.src = S_E2);
	struct rib_entry	*re;
	struct rib_path		*pa;

	srcs_init();
	put(rib, "10.0.0.0/24", &a);
	put(rib, "10.0.0.0/24", &b);
	rib_drain(rib, NULL, NULL);
	re = get(rib, "10.0.0.0/24");
	pa = rib_entry_path(re, &srcs[S_E1]);
	rib_path_set_reachable(rib, re, pa, 0);
	ck_assert_uint_eq(rib_queued(rib), 1);
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[S_E2]);
	ck_assert_uint_eq(pa->lost, STEP_ELIGIBLE);
	rib_drain(rib, NULL, NULL);
	rib_path_set_reachable(rib, re, pa, 0);
	ck_assert_uint_eq(rib_queued(rib), 0);
	rib_path_set_reachable(rib, re, pa, 1);
	ck_assert_ptr_eq(rib_entry_best(re), pa);
	ck_assert_uint_eq(rib_queued(rib), 1);
	rib_done(rib);
}
END_TEST

/* A resolver the test steers: its answer per source. */
static int	 resolve_answer[S_MAX];

static int
test_resolve(const struct rib_src *src, const struct attr *a, void *arg)
{
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(arg, resolve_answer);
	return resolve_answer[src - srcs];
}

/* The resolver is asked as a path enters, and rib_path_recheck() asks
 * again: unusable makes a path ineligible before the decision (no
 * moment as best), held makes it lose to any eligible path not held
 * but still win alone. */
START_TEST(t_resolver)
{
	struct rib		*rib = rib_mk(2);
	struct side		 a = SIDE(.src = S_E1);
	struct side		 b = SIDE(.src = S_E2, .aspath = "65002 65002");
	struct rib_entry	*re;
	struct rib_path		*pa, *pb;
	char			 why[64];

	srcs_init();
	rib_set_resolver(rib, test_resolve, resolve_answer);
	resolve_answer[S_E1] = RIB_NH_UNUSABLE;
	resolve_answer[S_E2] = RIB_NH_USABLE;
	put(rib, "10.0.0.0/24", &a);
	re = get(rib, "10.0.0.0/24");
	ck_assert_ptr_null(rib_entry_best(re));	/* never selected */
	put(rib, "10.0.0.0/24", &b);
	pa = rib_entry_path(re, &srcs[S_E1]);
	pb = rib_entry_path(re, &srcs[S_E2]);
	ck_assert_ptr_eq(rib_entry_best(re), pb);
	ck_assert(pa->flags & PATH_NH_UNREACH);
	rib_step_explain(pa->lost, pa, pb, why, sizeof(why));
	ck_assert_str_eq(why, "next hop unreachable");
	/* Reachable again: the shorter AS_PATH wins. */
	resolve_answer[S_E1] = RIB_NH_USABLE;
	ck_assert_int_eq(rib_path_recheck(rib, re, pa), 1);
	ck_assert_ptr_eq(rib_entry_best(re), pa);
	ck_assert_int_eq(rib_path_recheck(rib, re, pa), 0);
	/* Held back: loses to b although its path is shorter, and is not
	 * in b's multipath set. */
	resolve_answer[S_E1] = RIB_NH_HELD;
	ck_assert_int_eq(rib_path_recheck(rib, re, pa), 1);
	ck_assert_ptr_eq(rib_entry_best(re), pb);
	ck_assert(pa->flags & PATH_HELD);
	ck_assert_int_eq(nmultipath(re), 1);
	ck_assert_uint_eq(pa->lost, STEP_ELIGIBLE);
	rib_step_explain(pa->lost, pa, pb, why, sizeof(why));
	ck_assert_str_eq(why, "held back by failback-delay");
	/* Alone, a held path is still the best. */
	rib_src_flush(rib, &srcs[S_E2], AID_MAX);
	ck_assert_ptr_eq(rib_entry_best(re), pa);
	/* A replaced attribute set is asked about again. */
	resolve_answer[S_E1] = RIB_NH_UNUSABLE;
	a.med = 5;
	a.has_med = 1;
	put(rib, "10.0.0.0/24", &a);
	ck_assert_ptr_null(rib_entry_best(re));
	rib_done(rib);
}
END_TEST

/* Lookups and order --------------------------------------------------- */

START_TEST(t_sorted)
{
	static const char	*in[] = { "192.168.0.0/24", "10.0.0.0/16",
	    "10.1.0.0/16", "9.0.0.0/8", "10.0.0.0/24", "10.0.0.0/8",
	    "0.0.0.0/0" };
	static const char	*want[] = { "0.0.0.0/0", "9.0.0.0/8",
	    "10.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.1.0.0/16",
	    "192.168.0.0/24" };
	static const char	*in6[] = { "2001:db8:1::/48", "2001:db8::/32",
	    "::/0", "2001:db8::/48" };
	static const char	*want6[] = { "::/0", "2001:db8::/32",
	    "2001:db8::/48", "2001:db8:1::/48" };
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct rib_entry	**v;
	struct tb_prefix	 p;
	size_t			 i, n;

	srcs_init();
	for (i = 0; i < 7; i++)
		put(rib, in[i], &s);
	for (i = 0; i < 4; i++)
		put(rib, in6[i], &s);
	n = rib_sorted(rib, AID_IPV4_UNICAST, &v);
	ck_assert_uint_eq(n, 7);
	for (i = 0; i < n; i++) {
		rib_entry_prefix(v[i], &p);
		ck_assert_str_eq(prefix_str(&p), want[i]);
	}
	free(v);
	n = rib_sorted(rib, AID_IPV6_UNICAST, &v);
	ck_assert_uint_eq(n, 4);
	for (i = 0; i < n; i++) {
		rib_entry_prefix(v[i], &p);
		ck_assert_str_eq(prefix_str(&p), want6[i]);
	}
	free(v);
	rib_done(rib);
}
END_TEST

/* Host bits are not part of the key; families do not mix. */
START_TEST(t_lookup_masks)
{
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct rib_entry	*re;
	struct tb_prefix	 p;

	srcs_init();
	put(rib, "10.1.2.3/16", &s);
	ck_assert_ptr_nonnull(re = get(rib, "10.1.0.0/16"));
	ck_assert_ptr_eq(get(rib, "10.1.255.255/16"), re);
	ck_assert_ptr_null(get(rib, "10.1.0.0/17"));
	ck_assert_ptr_null(get(rib, "::a01:0/16"));
	rib_entry_prefix(re, &p);
	ck_assert_str_eq(prefix_str(&p), "10.1.0.0/16");
	ck_assert_ptr_eq(rib_entry_path(re, &srcs[S_E1]), re->paths);
	ck_assert_ptr_null(rib_entry_path(re, &srcs[S_E2]));
	put(rib, "2001:db8:ffff::1/33", &s);
	ck_assert_ptr_nonnull(get(rib, "2001:db8:8000::/33"));
	memset(&p, 0, sizeof(p));
	ck_assert_ptr_null(rib_lookup(rib, &p));
	rib_done(rib);
}
END_TEST

/* The table grows, shrinks and deletes by backward shift: after
 * withdrawing a scattered half, every survivor is still found and no
 * withdrawn prefix is. */
START_TEST(t_table_churn)
{
	enum { N = 50000 };
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct attr		*a;
	struct tb_prefix	 p = pfx("2001:db8::/64");
	struct rib_stats	 st;
	uint32_t		 i, v;

	srcs_init();
	a = mk_attr(&s);
	for (i = 0; i < N; i++) {
		v = htonl(i * 2654435761u);
		memcpy(&p.addr.u.raw[4], &v, 4);
		rib_update(rib, &srcs[S_E1], &p, attr_ref(a), NULL, 1);
	}
	rib_drain(rib, NULL, NULL);
	for (i = 0; i < N; i += 2) {
		v = htonl(i * 2654435761u);
		memcpy(&p.addr.u.raw[4], &v, 4);
		ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E1], &p), 0);
	}
	rib_drain(rib, NULL, NULL);
	for (i = 0; i < N; i++) {
		v = htonl(i * 2654435761u);
		memcpy(&p.addr.u.raw[4], &v, 4);
		if (i % 2)
			ck_assert_ptr_nonnull(rib_lookup(rib, &p));
		else
			ck_assert_ptr_null(rib_lookup(rib, &p));
	}
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV6_UNICAST], N / 2);
	/* Emptied in table order, which leaves the survivors bunched in
	 * one hash range while the table halves under them. */
	rib_src_flush(rib, &srcs[S_E1], AID_MAX);
	ck_assert_uint_eq(drain_count(rib), N / 2);
	attr_unref(a);
	rib_done(rib);
}
END_TEST

/*
 * rib_prefetch is only a hint.  Prefetching a batch and then updating it,
 * while the table rebuilds under the batch, and prefetching things that
 * are no prefix, changes nothing but what the updates themselves do.
 */
static struct tb_prefix
pfx_nth(uint32_t i)
{
	struct tb_prefix	 p = pfx("0.0.0.0/24");
	uint32_t		 v = htonl((i + (1u << 16)) << 8);

	memcpy(&p.addr.u.v4, &v, 4);
	return p;
}

START_TEST(t_prefetch)
{
	enum { N = 20000, B = 16 };
	struct rib		*rib = rib_mk(1);
	struct side		 s = SIDE(.src = S_E1);
	struct tb_prefix	 batch[B], bad, got;
	struct rib_entry	*re;
	struct rib_stats	 st;
	struct attr		*a;
	uint32_t		 i, j;

	srcs_init();
	a = mk_attr(&s);
	memset(&bad, 0, sizeof(bad));
	for (i = 0; i < N; i += B) {
		for (j = 0; j < B; j++) {
			batch[j] = pfx_nth(i + j);
			rib_prefetch(rib, &batch[j]);
		}
		rib_prefetch(rib, &bad);		/* no family */
		bad.addr.af = AF_INET;
		bad.len = 33;
		rib_prefetch(rib, &bad);		/* too long */
		bad.addr.af = 0;
		for (j = 0; j < B; j++)
			ck_assert_int_eq(rib_update(rib, &srcs[S_E1],
			    &batch[j], attr_ref(a), NULL, 1), 0);
	}
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], N);
	ck_assert_uint_ge(st.rebuilds, 5);
	for (i = 0; i < N; i++) {
		batch[0] = pfx_nth(i);
		rib_prefetch(rib, &batch[0]);
		ck_assert_ptr_nonnull(re = rib_lookup(rib, &batch[0]));
		rib_entry_prefix(re, &got);
		ck_assert_int_eq(got.len, 24);
		ck_assert_mem_eq(got.addr.u.raw, batch[0].addr.u.raw, 4);
	}
	batch[0] = pfx_nth(N);
	ck_assert_ptr_null(rib_lookup(rib, &batch[0]));
	ck_assert_uint_eq(drain_count(rib), N);
	rib_src_flush(rib, &srcs[S_E1], AID_MAX);
	ck_assert_uint_eq(drain_count(rib), N);
	attr_unref(a);
	rib_done(rib);
}
END_TEST

/* Soft reconfiguration ------------------------------------------------ */

START_TEST(t_soft_in)
{
	struct rib		*rib = rib_mk(1);
	struct side		 raw = SIDE(.src = S_SOFT, MED(1));
	struct side		 post = SIDE(.src = S_SOFT, LP(300));
	struct side		 post2 = SIDE(.src = S_SOFT, LP(50));
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	struct attr		*in;
	struct rib_entry	*re;
	struct rib_path		*sp;
	struct rib_stats	 st;

	srcs_init();
	in = mk_attr(&raw);
	put(rib, "10.0.0.0/24", &SIDE(.src = S_E1));
	rib_update(rib, &srcs[S_SOFT], &p, mk_attr(&post), attr_ref(in), 1);
	re = get(rib, "10.0.0.0/24");
	sp = rib_entry_path(re, &srcs[S_SOFT]);
	ck_assert_ptr_eq(rib_entry_best(re), sp);
	ck_assert_ptr_eq(rib_path_attr_in(sp), in);
	ck_assert_ptr_ne(sp->attr, in);
	/* The plain path answers with its only attributes. */
	ck_assert_ptr_eq(rib_path_attr_in(nth(re, 1)), nth(re, 1)->attr);
	rib_drain(rib, NULL, NULL);
	/* Policy changed: a new post-policy set, the received one stays. */
	rib_path_set_attr(rib, re, sp, mk_attr(&post2));
	ck_assert_ptr_eq(rib_path_attr_in(sp), in);
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[S_E1]);
	ck_assert_uint_eq(sp->lost, STEP_LOCAL_PREF);
	ck_assert_uint_eq(rib_queued(rib), 1);
	/* Denied: kept (attr NULL), counted received but not accepted. */
	rib_path_set_attr(rib, re, sp, NULL);
	ck_assert_ptr_eq(rib_entry_path(re, &srcs[S_SOFT]), sp);
	ck_assert_ptr_null(sp->attr);
	ck_assert_ptr_eq(rib_path_attr_in(sp), in);
	ck_assert_uint_eq(srcs[S_SOFT].nrcvd[AID_IPV4_UNICAST], 1);
	ck_assert_uint_eq(srcs[S_SOFT].npaths[AID_IPV4_UNICAST], 0);
	/* Allowed again from what was kept. */
	rib_path_set_attr(rib, re, sp, mk_attr(&post));
	ck_assert_ptr_eq(rib_entry_best(re), sp);
	ck_assert_uint_eq(srcs[S_SOFT].npaths[AID_IPV4_UNICAST], 1);
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.paths, 2);
	attr_unref(in);
	rib_done(rib);
}
END_TEST

/* Soft reconfiguration switched on for a neighbor with paths, then off:
 * the path changes kind and keeps its place. */
START_TEST(t_soft_in_toggle)
{
	struct rib		*rib = rib_mk(1);
	struct side		 raw = SIDE(.src = S_E1, MED(1));
	struct side		 post = SIDE(.src = S_E1);
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	struct attr		*in;
	struct rib_entry	*re;
	struct rib_path		*sp;

	srcs_init();
	in = mk_attr(&raw);
	put(rib, "10.0.0.0/24", &post);
	put(rib, "10.0.0.0/24", &SIDE(.src = S_E2));
	srcs[S_E1].soft_in = 1;
	rib_update(rib, &srcs[S_E1], &p, mk_attr(&post), attr_ref(in), 1);
	re = get(rib, "10.0.0.0/24");
	ck_assert_int_eq(npaths(re), 2);
	sp = rib_entry_path(re, &srcs[S_E1]);
	ck_assert_ptr_eq(rib_path_attr_in(sp), in);
	/* Learned anew at 1: the older path of E2 now wins. */
	ck_assert_ptr_eq(rib_entry_best(re)->src, &srcs[S_E2]);
	ck_assert_uint_eq(sp->lost, STEP_OLDEST);
	srcs[S_E1].soft_in = 0;
	rib_update(rib, &srcs[S_E1], &p, mk_attr(&post), NULL, 0);
	sp = rib_entry_path(re, &srcs[S_E1]);
	ck_assert_ptr_eq(rib_path_attr_in(sp), sp->attr);
	ck_assert_ptr_eq(rib_entry_best(re), sp);
	ck_assert_int_eq(npaths(re), 2);
	attr_unref(in);
	rib_done(rib);
}
END_TEST

/* The table version counts Loc-RIB changes, not queue entries and not
 * announcements that change nothing. */
START_TEST(t_version)
{
	struct rib		*rib = rib_mk(1);
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	uint64_t		 v0;

	srcs_init();
	v0 = rib_version(rib);
	put(rib, "10.0.0.0/24", &SIDE(.src = S_E1, .since = 5));
	ck_assert_uint_eq(rib_version(rib), v0 + 1);
	/* The same route again: no change. */
	ck_assert_int_eq(rib_update(rib, &srcs[S_E1], &p,
	    mk_attr(&SIDE(.src = S_E1)), NULL, 5), 1);
	ck_assert_uint_eq(rib_version(rib), v0 + 1);
	/* A worse path beside it moves nothing in the Loc-RIB. */
	put(rib, "10.0.0.0/24", &SIDE(.src = S_E2, LP(50), .since = 1));
	ck_assert_uint_eq(rib_version(rib), v0 + 1);
	/* A better one takes over: counted though the entry is queued. */
	put(rib, "10.0.0.0/24", &SIDE(.src = S_E3, LP(200)));
	ck_assert_uint_eq(rib_version(rib), v0 + 2);
	ck_assert_uint_eq(rib_queued(rib), 1);
	ck_assert_uint_eq(drain_count(rib), 1);
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E3], &p), 0);
	ck_assert_uint_eq(rib_version(rib), v0 + 3);
	/* Withdrawing what is not there changes nothing. */
	ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E3], &p), 1);
	ck_assert_uint_eq(rib_version(rib), v0 + 3);
	rib_drain(rib, NULL, NULL);
	ck_assert_uint_eq(rib_version(rib), v0 + 3);
	rib_done(rib);
}
END_TEST

/* Hash table cost --------------------------------------------------- */

/*
 * A neighbor with a table goes down: its paths are flushed and the
 * drain frees every entry, in table order.  That order is the worst one
 * for backward-shift deletion, and a table that shrinks under it would
 * rebuild once per halving, so the cost is counted, not timed: slots
 * stepped past per entry (a few at load <= 3/4; a bunched table makes
 * it grow with the table) and rebuilds (one, to the final size).
 * Loop: 0 consecutive /24s (as a real table and the benchmark), 1 the
 * same shuffled, 2 shuffled and withdrawn one by one in another order
 * (freed by the drain too: the queue holds them).
 */
#define COST_SMALL	20000
#define COST_BIG	160000
#define COST_PROBES	12	/* per entry; about 3 is usual */

static void
cost_prefix(uint32_t i, struct tb_prefix *p)
{
	uint32_t	 a = htonl((i + (10u << 16)) << 8);

	memcpy(&p->addr.u.v4, &a, 4);
}

static void
cost_shuffle(uint32_t *v, uint32_t n, unsigned seed)
{
	uint32_t	 i, j, t;

	srandom(seed);
	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = (uint32_t)random() % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* Load n prefixes and empty the table again; the probes per entry that
 * emptying cost, *rebuilds the table rebuilds it took. */
static double
cost_empty(uint32_t n, int mode, uint64_t *rebuilds)
{
	struct rib		*rib = rib_mk(1);
	struct attr		*a = mk_attr(&SIDE(.src = S_E1));
	struct tb_prefix	 p = pfx("10.0.0.0/24");
	struct rib_stats	 st0, st1;
	uint32_t		*order, i;

	ck_assert_ptr_nonnull(order = calloc(n, sizeof(*order)));
	cost_shuffle(order, n, 1);
	for (i = 0; i < n; i++) {
		cost_prefix(mode == 0 ? i : order[i], &p);
		rib_update(rib, &srcs[S_E1], &p, attr_ref(a), NULL, 1);
	}
	ck_assert_uint_eq(drain_count(rib), n);
	rib_stats(rib, &st0);
	if (mode == 2) {
		cost_shuffle(order, n, 2);
		for (i = 0; i < n; i++) {
			cost_prefix(order[i], &p);
			ck_assert_int_eq(rib_withdraw(rib, &srcs[S_E1], &p), 0);
		}
	} else
		rib_src_flush(rib, &srcs[S_E1], AID_MAX);
	ck_assert_uint_eq(drain_count(rib), n);
	rib_stats(rib, &st1);
	ck_assert_uint_eq(st1.entries[AID_IPV4_UNICAST], 0);
	*rebuilds = st1.rebuilds - st0.rebuilds;
	free(order);
	attr_unref(a);
	rib_done(rib);
	return (double)(st1.probes - st0.probes) / n;
}

START_TEST(t_empty_cost)
{
	double		 small, big;
	uint64_t	 rebuilds;

	srcs_init();
	small = cost_empty(COST_SMALL, _i, &rebuilds);
	ck_assert_msg(small < COST_PROBES, "probes per entry %.2f at %d",
	    small, COST_SMALL);
	/* The drain frees and then rebuilds once, to the final size. */
	ck_assert_uint_eq(rebuilds, 1);
	big = cost_empty(COST_BIG, _i, &rebuilds);
	ck_assert_msg(big < COST_PROBES, "probes per entry %.2f at %d",
	    big, COST_BIG);
	ck_assert_uint_eq(rebuilds, 1);
	/* Linear: eight times the table is not dearer per entry (loose:
	 * the load differs between the two sizes). */
	ck_assert_msg(big < small * 3 + 2, "probes per entry grow: %.2f at "
	    "%d, %.2f at %d", small, COST_SMALL, big, COST_BIG);
}
END_TEST

/* Scale --------------------------------------------------------------- */

/* A full table from one neighbor: 1M /24s sharing 1,000 attribute sets;
 * every one is queued once, stored once, and gone after the flush. */
START_TEST(t_million)
{
	enum { N = 1000000, NATTR = 1000 };
	struct rib		*rib = rib_mk(1);
	struct attr		*attrs[NATTR];
	struct side		 s = SIDE(.src = S_E1);
	struct tb_prefix	 p = pfx("0.0.0.0/24");
	struct rib_stats	 st;
	uint32_t		 i, a;
	size_t			 same = 0;

	srcs_init();
	for (i = 0; i < NATTR; i++) {
		s.med = i;
		s.has_med = 1;
		attrs[i] = mk_attr(&s);
	}
	for (i = 0; i < N; i++) {
		a = htonl((i + (1u << 16)) << 8);
		memcpy(&p.addr.u.v4, &a, 4);
		ck_assert_int_eq(rib_update(rib, &srcs[S_E1], &p,
		    attr_ref(attrs[i % NATTR]), NULL, 1), 0);
	}
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], N);
	ck_assert_uint_eq(st.paths, N);
	ck_assert_uint_eq(srcs[S_E1].npaths[AID_IPV4_UNICAST], N);
	ck_assert_uint_eq(rib_queued(rib), N);
	ck_assert_uint_eq(drain_count(rib), N);
	/* Announced again: nothing changes. */
	for (i = 0; i < N; i += 7) {
		a = htonl((i + (1u << 16)) << 8);
		memcpy(&p.addr.u.v4, &a, 4);
		same += rib_update(rib, &srcs[S_E1], &p,
		    attr_ref(attrs[i % NATTR]), NULL, 2);
	}
	ck_assert_uint_eq(same, (N + 6) / 7);
	ck_assert_uint_eq(rib_queued(rib), 0);
	for (i = 0; i < NATTR; i++)
		attr_unref(attrs[i]);
	rib_src_flush(rib, &srcs[S_E1], AID_MAX);
	ck_assert_uint_eq(rib_queued(rib), N);
	ck_assert_uint_eq(drain_count(rib), N);
	rib_stats(rib, &st);
	ck_assert_uint_eq(st.entries[AID_IPV4_UNICAST], 0);
	ck_assert_uint_eq(st.paths, 0);
	rib_done(rib);
}
END_TEST

static Suite *
rib_suite(void)
{
	Suite	*s = suite_create("rib");
	TCase	*dec = tcase_create("decision");
	TCase	*opt = tcase_create("options");
	TCase	*mp = tcase_create("multipath");
	TCase	*chg = tcase_create("changes");
	TCase	*tab = tcase_create("table");
	TCase	*big = tcase_create("scale");

	tcase_add_loop_test(dec, t_step_decisive, 0,
	    sizeof(dcases) / sizeof(dcases[0]));
	tcase_add_test(dec, t_steps_covered);
	tcase_add_test(dec, t_step_names);
	tcase_add_test(dec, t_equal);
	tcase_add_test(dec, t_all_denied);
	tcase_add_test(dec, t_deterministic);
	tcase_add_test(dec, t_oldest_ebgp_only);
	tcase_add_test(opt, t_opt_aspath_ignore);
	tcase_add_test(opt, t_opt_always_med);
	tcase_add_test(opt, t_opt_missing_as_worst);
	tcase_add_test(opt, t_opt_compare_routerid);
	tcase_add_test(mp, t_multipath_sets);
	tcase_add_test(mp, t_multipath_relax_length);
	tcase_add_test(mp, t_multipath_queue);
	tcase_add_test(chg, t_update_same_attr);
	tcase_add_test(chg, t_withdraw);
	tcase_add_test(chg, t_src_flush);
	tcase_add_test(chg, t_queue_once);
	tcase_add_test(chg, t_entry_ref);
	tcase_add_test(chg, t_walk_withdraw);
	tcase_add_test(chg, t_reachable);
	tcase_add_test(chg, t_resolver);
	tcase_add_test(chg, t_soft_in);
	tcase_add_test(chg, t_soft_in_toggle);
	tcase_add_test(tab, t_sorted);
	tcase_add_test(tab, t_lookup_masks);
	tcase_add_test(tab, t_table_churn);
	tcase_add_test(tab, t_prefetch);
	/* Table sizes up to COST_BIG: slow under the sanitizers on a
	 * loaded machine, not a hang. */
	tcase_set_timeout(tab, 120);
	tcase_add_loop_test(tab, t_empty_cost, 0, 3);
	tcase_add_test(chg, t_version);
	/* Sanitizer builds allocate every object on its own. */
	tcase_set_timeout(big, 300);
	tcase_add_test(big, t_million);
	suite_add_tcase(s, dec);
	suite_add_tcase(s, opt);
	suite_add_tcase(s, mp);
	suite_add_tcase(s, chg);
	suite_add_tcase(s, tab);
	suite_add_tcase(s, big);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(rib_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
