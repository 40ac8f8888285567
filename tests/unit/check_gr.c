/*
 * check_gr: graceful restart (RFC 4724, RFC 8538) without sessions.
 *
 * gr.c's decisions (the capability we send in each mode, which session
 * ends keep a neighbor's paths, Hard Reset), the RIB's stale paths
 * (rde_gr.c on rib.c: marking, a path sent again made fresh, the sweep
 * at End-of-RIB and when the timers run out, families the new
 * capability drops, liveness failover ranking stale paths below fresh
 * ones) and the restart deferral's end, driven by a real event loop
 * with timers of 0 seconds.
 */
#include <check.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgpd.h"
#include "conf.h"
#include "gr.h"
#include "msg.h"
#include "peer.h"
#include "rde_gr.h"
#include "rib.h"

/* Helpers ------------------------------------------------------------- */

static struct tb_prefix
pfx(const char *s)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return p;
}

/* Attributes with a next hop and a LOCAL_PREF. */
static struct attr *
mk_attr(const char *nh, uint32_t lp)
{
	struct attr	 w;

	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(addr_parse(nh, &w.nexthop), 0);
	w.aspath = aspath_empty();
	w.flags |= ATTRF_LOCAL_PREF;
	w.local_pref = lp;
	return attr_intern(&w);
}

static struct bgpd_config	*conf;
static struct peer_config	*pconf;
static struct peer		 fake_peer;
static const struct peer_config	*fake_conf;	/* its settings, for rde_gr */
static int			 changed_calls;

static void
changed(void)
{
	changed_calls++;
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(conf = conf_new());
	ck_assert_ptr_nonnull(pconf = calloc(1, sizeof(*pconf)));
	ck_assert_int_eq(addr_parse("169.254.116.209", &pconf->remote), 0);
	TAILQ_INSERT_TAIL(&conf->peers, pconf, entry);
	memset(&fake_peer, 0, sizeof(fake_peer));
	fake_peer.conf = pconf;
	fake_conf = pconf;
	fake_peer.bconf = conf;
	changed_calls = 0;
}

static void
teardown(void)
{
	conf_free(conf);
}

/* Runs the loop until nothing is pending (timers of 0 s fire). */
static void
spin(struct event_base *base)
{
	int	 i;

	for (i = 0; i < 4; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
}

/* gr.c ------------------------------------------------------------- */

START_TEST(t_caps_by_mode)
{
	struct bgp_caps	 c;
	unsigned	 af = AID_BIT(AID_IPV4_UNICAST) | AID_BIT(AID_IPV6_UNICAST);

	memset(&c, 0, sizeof(c));
	gr_caps(conf, pconf, af, &c);		/* FRR's default: helper */
	ck_assert_int_eq(c.gr, 1);
	ck_assert_uint_eq(c.gr_naf, 0);
	ck_assert_uint_eq(c.gr_time, GR_RESTART_TIME_DEF);
	ck_assert_uint_eq(c.gr_flags, GR_FLAG_N);
	conf->gr_mode = GR_RESTART;
	conf->gr_notification = 0;
	gr_caps(conf, pconf, af, &c);
	ck_assert_uint_eq(c.gr_naf, 2);
	ck_assert_uint_eq(c.gr_flags, 0);
	ck_assert_int_eq(gr_af_fbit(&c, AID_IPV6_UNICAST), 0);
	gr_restart_begin();			/* our routes were kept */
	gr_caps(conf, pconf, AID_BIT(AID_IPV4_UNICAST), &c);
	ck_assert_uint_eq(c.gr_flags, GR_FLAG_R);
	ck_assert_int_eq(gr_af_fbit(&c, AID_IPV4_UNICAST), 1);
	ck_assert_int_eq(gr_af_fbit(&c, AID_IPV6_UNICAST), -1);
	gr_restart_end();
	gr_caps(conf, pconf, af, &c);
	ck_assert_uint_eq(c.gr_flags & GR_FLAG_R, 0);
	pconf->gr_mode = GR_DISABLE;		/* the neighbor's own */
	gr_caps(conf, pconf, af, &c);
	ck_assert_int_eq(c.gr, 0);
	ck_assert_int_eq(gr_restart_configured(conf), 1);
	conf->gr_mode = GR_HELPER;
	ck_assert_int_eq(gr_restart_configured(conf), 0);
	pconf->gr_mode = GR_RESTART;
	ck_assert_int_eq(gr_restart_configured(conf), 1);
}
END_TEST

/* A neighbor in restart mode listing IPv4 with F, both sides N. */
static void
caps_pair(struct bgp_caps *s, struct bgp_caps *r, int nbit)
{
	memset(s, 0, sizeof(*s));
	memset(r, 0, sizeof(*r));
	s->gr = r->gr = 1;
	s->gr_flags = nbit ? GR_FLAG_N : 0;
	r->gr_flags = nbit ? GR_FLAG_N : 0;
	r->gr_naf = 1;
	r->gr_af[0].afi = AFI_IPV4;
	r->gr_af[0].safi = SAFI_UNICAST;
	r->gr_af[0].flags = GR_AF_F;
}

START_TEST(t_helper_keeps)
{
	struct bgp_caps		 s, r;
	struct bgp_notify	 n;
	unsigned		 v4 = AID_BIT(AID_IPV4_UNICAST);
	int			 low;

	caps_pair(&s, &r, 0);
	/* RFC 4724: a lost connection, not a NOTIFICATION. */
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_TCP,
	    NULL, &low), v4);
	ck_assert_int_eq(low, 0);
	notify_set(&n, ERR_HOLD, 0, NULL, 0);
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_SENT,
	    &n, &low), 0);
	/* RFC 8538: with N on both sides, any but a Hard Reset. */
	caps_pair(&s, &r, 1);
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_SENT,
	    &n, &low), v4);
	notify_set(&n, ERR_CEASE, ERR_CEASE_HARD_RESET, NULL, 0);
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_RCVD,
	    &n, &low), 0);
	/* Liveness: kept but low by default, or withdrawn, or as usual. */
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_LIVE,
	    NULL, &low), v4);
	ck_assert_int_eq(low, 1);
	conf->gr_liveness = GR_LIVE_WITHDRAW;
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_LIVE,
	    NULL, &low), 0);
	conf->gr_liveness = GR_LIVE_RESTART;
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_LIVE,
	    NULL, &low), v4);
	ck_assert_int_eq(low, 0);
	/* Our own graceful stop, GR disabled, a neighbor without GR. */
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r,
	    GR_DOWN_GRACEFUL, NULL, &low), 0);
	pconf->gr_mode = GR_DISABLE;
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_TCP,
	    NULL, &low), 0);
	pconf->gr_mode = GR_INHERIT;
	r.gr = 0;
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_TCP,
	    NULL, &low), 0);
	/* A helper-mode neighbor lists no family: nothing to keep. */
	caps_pair(&s, &r, 0);
	r.gr_naf = 0;
	ck_assert_uint_eq(gr_helper_keeps(conf, pconf, &s, &r, GR_DOWN_TCP,
	    NULL, &low), 0);
}
END_TEST

START_TEST(t_hard_reset)
{
	struct bgp_notify	 n;
	char			 s[256];

	notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN, "maintenance");
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 0, &n), 0);
	ck_assert_uint_eq(n.subcode, ERR_CEASE_ADMIN_DOWN);
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 1, &n), 1);
	ck_assert_int_eq(gr_is_hard_reset(&n), 1);
	ck_assert_uint_eq(n.data[0], ERR_CEASE);
	ck_assert_uint_eq(n.data[1], ERR_CEASE_ADMIN_DOWN);
	msg_notify_str(&n, s, sizeof(s));
	ck_assert_msg(strstr(s, "Hard Reset (Cease/Administrative Shutdown, "
	    "message \"maintenance\")") != NULL, "%s", s);
	/* clear bgp: hard while bgp hard-administrative-reset. */
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_RESET, NULL, 0);
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 1, &n), 1);
	conf->hard_admin_reset = 0;
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_RESET, NULL, 0);
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 1, &n), 0);
	/* Errors are not: the neighbor's GR keeps our routes. */
	notify_set(&n, ERR_UPDATE, 1, NULL, 0);
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 1, &n), 0);
	notify_set(&n, ERR_CEASE, ERR_CEASE_OTHER_CHANGE, NULL, 0);
	ck_assert_int_eq(gr_hard_reset_wrap(conf, 1, &n), 0);
}
END_TEST

/* Stale paths --------------------------------------------------------- */

struct lab {
	struct event_base	*base;
	struct rib		*rib;
	struct rib_src		 a, b;	/* two tunnels */
	struct gr_stale		*gs;
};

static void
lab_init(struct lab *l)
{
	struct rib_opts	 o;

	memset(l, 0, sizeof(*l));
	memset(&o, 0, sizeof(o));
	o.maximum_paths[0] = o.maximum_paths[1] = 1;
	ck_assert_ptr_nonnull(l->base = event_base_new());
	ck_assert_ptr_nonnull(l->rib = rib_new(&o));
	ck_assert_int_eq(addr_parse("169.254.116.209", &l->a.addr), 0);
	ck_assert_int_eq(addr_parse("169.254.214.97", &l->b.addr), 0);
	l->a.bgp_id = 1;
	l->b.bgp_id = 2;
	l->a.as = l->b.as = 64512;
	l->a.ebgp = l->b.ebgp = 1;
	l->gs = gr_stale_new(l->base, l->rib, &l->a, &fake_conf, changed);
}

static void
lab_free(struct lab *l)
{
	gr_stale_free(l->gs);
	rib_src_flush(l->rib, &l->a, AID_MAX);
	rib_src_flush(l->rib, &l->b, AID_MAX);
	rib_drain(l->rib, NULL, NULL);
	rib_free(l->rib);
	event_base_free(l->base);
}

static void
add(struct lab *l, struct rib_src *s, const char *p, const char *nh,
    uint32_t lp)
{
	struct tb_prefix	 pp = pfx(p);

	rib_update(l->rib, s, &pp, mk_attr(nh, lp), NULL, 1);
}

static struct rib_path *
path(struct lab *l, struct rib_src *s, const char *p)
{
	struct tb_prefix	 pp = pfx(p);
	struct rib_entry	*e = rib_lookup(l->rib, &pp);

	return e != NULL ? rib_entry_path(e, s) : NULL;
}

static struct rib_src *
best_src(struct lab *l, const char *p)
{
	struct tb_prefix	 pp = pfx(p);
	struct rib_entry	*e = rib_lookup(l->rib, &pp);
	struct rib_path		*b = e != NULL ? rib_entry_best(e) : NULL;

	return b != NULL ? b->src : NULL;
}

static void
drain_cb(struct rib_entry *e, void *arg)
{
	(*(int *)arg)++;
}

static int
drain(struct lab *l)
{
	int	 n = 0;

	rib_drain(l->rib, drain_cb, &n);
	return n;
}

START_TEST(t_stale_mark_refresh_eor)
{
	struct lab	 l;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 100);
	add(&l, &l.a, "172.17.0.0/16", "169.254.116.209", 100);
	add(&l, &l.a, "2001:db8::/32", "fe80::1", 100);
	(void)drain(&l);
	/* IPv4 kept (the neighbor listed it), IPv6 withdrawn. */
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 120, 360);
	ck_assert_uint_eq(l.a.nstale[AID_IPV4_UNICAST], 2);
	ck_assert_ptr_null(path(&l, &l.a, "2001:db8::/32"));
	ck_assert(path(&l, &l.a, "172.16.0.0/16")->flags & PATH_STALE);
	ck_assert(path(&l, &l.a, "172.16.0.0/16")->flags & PATH_BEST);
	/* Stale, not changed: neither the kernel nor the peers hear of it
	 * (the IPv6 withdrawal is the one change). */
	ck_assert_int_eq(drain(&l), 1);
	/* Back, and one route sent again unchanged: fresh. */
	gr_stale_up(l.gs, AID_BIT(AID_IPV4_UNICAST));
	ck_assert_uint_eq(l.a.nstale[AID_IPV4_UNICAST], 2);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 100);
	ck_assert_uint_eq(l.a.nstale[AID_IPV4_UNICAST], 1);
	ck_assert_uint_eq(path(&l, &l.a, "172.16.0.0/16")->flags &
	    PATH_STALE, 0);
	ck_assert_int_eq(drain(&l), 0);
	/* End-of-RIB: what it did not send again goes. */
	gr_stale_eor(l.gs, AID_IPV4_UNICAST);
	ck_assert_uint_eq(l.a.nstale[AID_IPV4_UNICAST], 0);
	ck_assert_ptr_null(path(&l, &l.a, "172.17.0.0/16"));
	ck_assert_ptr_nonnull(path(&l, &l.a, "172.16.0.0/16"));
	ck_assert_int_eq(drain(&l), 1);
	ck_assert_int_ge(changed_calls, 1);
	lab_free(&l);
}
END_TEST

START_TEST(t_stale_restart_timer)
{
	struct lab		 l;
	struct gr_stale_info	 i;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 100);
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 120, 360);
	gr_stale_info(l.gs, &i);
	ck_assert_uint_eq(i.families, AID_BIT(AID_IPV4_UNICAST));
	ck_assert_int_ge(i.restart_left, 119);
	ck_assert_int_ge(i.stale_left, 359);
	spin(l.base);
	ck_assert_ptr_nonnull(path(&l, &l.a, "172.16.0.0/16"));
	/* Down again, and the neighbor's restart time is 0: gone at once. */
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 0, 360);
	spin(l.base);
	ck_assert_ptr_null(path(&l, &l.a, "172.16.0.0/16"));
	gr_stale_info(l.gs, &i);
	ck_assert_uint_eq(i.families, 0);
	ck_assert_int_eq(i.restart_left, -1);
	ck_assert_int_eq(i.stale_left, -1);
	lab_free(&l);
}
END_TEST

START_TEST(t_stalepath_timer)
{
	struct lab	 l;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 100);
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 120, 0);
	gr_stale_up(l.gs, AID_BIT(AID_IPV4_UNICAST));
	/* Back, but no End-of-RIB: stalepath-time ends it. */
	spin(l.base);
	ck_assert_ptr_null(path(&l, &l.a, "172.16.0.0/16"));
	lab_free(&l);
}
END_TEST

START_TEST(t_stale_family_dropped)
{
	struct lab	 l;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 100);
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 120, 360);
	/* RFC 4724 4.2: the new OPEN has no F bit for IPv4. */
	gr_stale_up(l.gs, 0);
	ck_assert_ptr_null(path(&l, &l.a, "172.16.0.0/16"));
	lab_free(&l);
}
END_TEST

/* Liveness failover: the stale tunnel's paths lose to the other's. */
START_TEST(t_stale_low_fails_over)
{
	struct lab	 l;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 200);
	add(&l, &l.b, "172.16.0.0/16", "169.254.214.97", 100);
	add(&l, &l.a, "172.18.0.0/16", "169.254.116.209", 200);
	(void)drain(&l);
	ck_assert_ptr_eq(best_src(&l, "172.16.0.0/16"), &l.a);
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 1, 120, 360);
	ck_assert_ptr_eq(best_src(&l, "172.16.0.0/16"), &l.b);
	/* Where nothing else exists, the stale path still forwards. */
	ck_assert_ptr_eq(best_src(&l, "172.18.0.0/16"), &l.a);
	ck_assert_int_ge(drain(&l), 1);
	/* Sent again: fresh, and first again. */
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 200);
	ck_assert_ptr_eq(best_src(&l, "172.16.0.0/16"), &l.a);
	ck_assert_int_eq(drain(&l), 1);
	lab_free(&l);
}
END_TEST

/* A plain restart keeps the ranking: no flap to the other tunnel. */
START_TEST(t_stale_keeps_rank)
{
	struct lab	 l;

	lab_init(&l);
	add(&l, &l.a, "172.16.0.0/16", "169.254.116.209", 200);
	add(&l, &l.b, "172.16.0.0/16", "169.254.214.97", 100);
	(void)drain(&l);
	gr_stale_down(l.gs, AID_BIT(AID_IPV4_UNICAST), 0, 120, 360);
	ck_assert_ptr_eq(best_src(&l, "172.16.0.0/16"), &l.a);
	ck_assert_int_eq(drain(&l), 0);
	lab_free(&l);
}
END_TEST

/* The restart deferral ------------------------------------------------ */

static int	 progress_answer, select_calls, sweep_calls;
static char	 select_why[128], sweep_why[128];

static int
progress(uint32_t elapsed)
{
	return progress_answer;
}

static void
on_select(const char *why)
{
	select_calls++;
	strlcpy(select_why, why, sizeof(select_why));
}

static void
on_sweep(const char *why)
{
	sweep_calls++;
	strlcpy(sweep_why, why, sizeof(sweep_why));
}

/* Selection waits for the graceful restart neighbors, the sweep for
 * every neighbor; each runs once; select-defer-time ends both. */
START_TEST(t_defer)
{
	struct event_base	*base = event_base_new();

	progress_answer = GR_TABLES_NONE;
	select_calls = sweep_calls = 0;
	gr_defer_begin(base, 360, 1, progress, on_select, on_sweep);
	ck_assert_int_eq(gr_deferring(), 1);
	gr_defer_check();
	ck_assert_int_eq(select_calls, 0);
	progress_answer = GR_TABLES_SELECT;	/* a neighbor without GR */
	gr_defer_check();
	ck_assert_int_eq(select_calls, 1);
	ck_assert_str_eq(select_why, "every graceful restart neighbor's "
	    "table is in");
	ck_assert_int_eq(gr_deferring(), 0);
	ck_assert_int_eq(gr_defer_running(), 1);
	ck_assert_int_eq(sweep_calls, 0);
	gr_defer_check();
	ck_assert_int_eq(select_calls, 1);
	progress_answer = GR_TABLES_ALL;	/* its End-of-RIB too */
	gr_defer_check();
	ck_assert_int_eq(sweep_calls, 1);
	ck_assert_str_eq(sweep_why, "every neighbor's table is in");
	ck_assert_int_eq(gr_defer_running(), 0);
	gr_defer_check();
	ck_assert_int_eq(sweep_calls, 1);
	/* select-defer-time 0 ends both at the first check. */
	progress_answer = GR_TABLES_NONE;
	gr_defer_begin(base, 0, 0, progress, on_select, on_sweep);
	ck_assert_int_eq(gr_deferring(), 0);
	gr_defer_check();
	ck_assert_int_eq(select_calls, 2);
	ck_assert_int_eq(sweep_calls, 2);
	ck_assert_str_eq(sweep_why, "select-defer-time ran out");
	event_base_free(base);
}
END_TEST

static Suite *
gr_suite(void)
{
	Suite	*s = suite_create("gr");
	TCase	*tc = tcase_create("gr");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_caps_by_mode);
	tcase_add_test(tc, t_helper_keeps);
	tcase_add_test(tc, t_hard_reset);
	tcase_add_test(tc, t_stale_mark_refresh_eor);
	tcase_add_test(tc, t_stale_restart_timer);
	tcase_add_test(tc, t_stalepath_timer);
	tcase_add_test(tc, t_stale_family_dropped);
	tcase_add_test(tc, t_stale_low_fails_over);
	tcase_add_test(tc, t_stale_keeps_rank);
	tcase_add_test(tc, t_defer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(gr_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
