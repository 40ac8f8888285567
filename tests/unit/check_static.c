/*
 * check_static: static routes without sockets or clocks.
 *
 * rtsel.c: the distance between static routes and BGP for one prefix
 * (static 1 beats eBGP 20, a floating static at 250 loses to it and
 * takes over when BGP withdraws, a tie goes to the static route,
 * `distance bgp` decides again, a prefix without a static route passes
 * straight through and is adopted from the output when one appears).
 *
 * sroute.c: the static table and its decisions on a fake interface table
 * and a fake tracking (the lowest usable distance, multipath at equal
 * distance, blackhole and reject as the last resort, an interface that
 * goes down, a reload that leaves unchanged routes alone), and the
 * tracking transitions: pending, up, down, the start-up window, the
 * failback-delay hold, a changed tracking carrying the old answer, and
 * the start-up rule that leaves a prefix alone while its best next hop
 * has not answered yet.
 *
 * sroute_resolve(): the implicit tracking on a hand-fed interface table
 * (kif) and SA engine (xfrm): carrier, address, the named interface, the
 * IPsec SAs of an XFRM interface.
 */
#include "config.h"

#include <net/if.h>
#include <netinet/in.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "bgpd.h"
#include "conf.h"
#include "fib.h"
#include "log.h"
#include "kif.h"
#include "rtsel.h"
#include "sroute.h"
#include "track.h"
#include "xfrm.h"

static struct tb_prefix
P(const char *s)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return p;
}

static struct fib_route
R(uint8_t proto, const char *gw, uint32_t ifindex)
{
	struct fib_route	 r;

	memset(&r, 0, sizeof(r));
	r.proto = proto;
	r.type = FIB_RT_UNICAST;
	if (gw != NULL) {
		ck_assert_int_eq(addr_parse(gw, &r.nh[0].gw), 0);
		r.nh[0].ifindex = ifindex;
		r.nnh = 1;
	}
	return r;
}

/* ---- rtsel against a fake output ---- */

struct out {
	int			 calls;
	int			 have;		/* something installed */
	struct fib_route	 r;
	int			 notified;
};
static struct out	 O;

static int
o_install(const struct tb_prefix *p, const struct fib_route *r, void *arg)
{
	(void)p;
	(void)arg;
	O.calls++;
	O.have = r != NULL;
	if (r != NULL)
		O.r = *r;
	return 0;
}

static int
o_current(const struct tb_prefix *p, struct fib_route *r, void *arg)
{
	(void)p;
	(void)arg;
	if (!O.have)
		return -1;
	*r = O.r;
	return 0;
}

static void
o_notify(void *arg)
{
	(void)arg;
	O.notified++;
}

static struct rtsel *
mksel(void)
{
	struct rtsel_ops	 ops = { o_install, o_current, NULL };
	struct rtsel		*rs;

	memset(&O, 0, sizeof(O));
	ck_assert_ptr_nonnull(rs = rtsel_new(&ops));
	rtsel_set_notify(rs, o_notify, NULL);
	return rs;
}

static const char *
o_gw(void)
{
	ck_assert(O.have);
	ck_assert_uint_ge(O.r.nnh, 1);
	return addr_str(&O.r.nh[0].gw);
}

START_TEST(t_sel_passthrough)
{
	struct rtsel		*rs = mksel();
	struct tb_prefix	 p = P("172.16.0.0/16");
	struct fib_route	 b = R(FIB_PROTO_BGP, "169.254.116.209", 3);

	/* No static route: BGP goes straight through, nothing kept. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	ck_assert_int_eq(O.calls, 1);
	ck_assert_str_eq(o_gw(), "169.254.116.209");
	ck_assert_uint_eq(rtsel_count(rs), 0);
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, NULL, 0), 0);
	ck_assert(!O.have);
	ck_assert_int_eq(O.notified, 0);
	rtsel_free(rs);
}
END_TEST

START_TEST(t_sel_static_beats_ebgp)
{
	struct rtsel		*rs = mksel();
	struct tb_prefix	 p = P("172.16.0.0/16");
	struct fib_route	 b = R(FIB_PROTO_BGP, "169.254.116.209", 3);
	struct fib_route	 s = R(FIB_PROTO_STATIC, "169.254.214.97", 4);
	struct rtsel_info	 info;

	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	/* A static route at distance 1: it wins, BGP's is adopted from
	 * the output and kept. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 1), 0);
	ck_assert_str_eq(o_gw(), "169.254.214.97");
	ck_assert_uint_eq(O.r.proto, FIB_PROTO_STATIC);
	ck_assert_int_eq(rtsel_get(rs, &p, &info), 0);
	ck_assert_int_eq(info.selected, RTSEL_STATIC);
	ck_assert(info.has[RTSEL_BGP]);
	ck_assert_uint_eq(info.distance[RTSEL_BGP], RTSEL_DIST_EBGP);
	ck_assert_int_ge(O.notified, 1);
	/* BGP changes underneath: the static route stays installed. */
	b = R(FIB_PROTO_BGP, "169.254.116.1", 3);
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	ck_assert_str_eq(o_gw(), "169.254.214.97");
	/* The static route goes: BGP's (the new one) comes back. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, NULL, 0), 0);
	ck_assert_str_eq(o_gw(), "169.254.116.1");
	ck_assert_uint_eq(O.r.proto, FIB_PROTO_BGP);
	ck_assert_uint_eq(rtsel_count(rs), 0);
	rtsel_free(rs);
}
END_TEST

START_TEST(t_sel_floating_static)
{
	struct rtsel		*rs = mksel();
	struct tb_prefix	 p = P("172.16.0.0/16");
	struct fib_route	 b = R(FIB_PROTO_BGP, "169.254.116.209", 3);
	struct fib_route	 s = R(FIB_PROTO_STATIC, "169.254.214.97", 4);
	struct rtsel_info	 info;

	/* ip route X Y 250 under BGP: a backup only. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 250), 0);
	ck_assert_str_eq(o_gw(), "169.254.214.97");
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	ck_assert_str_eq(o_gw(), "169.254.116.209");
	ck_assert_int_eq(rtsel_get(rs, &p, &info), 0);
	ck_assert_int_eq(info.selected, RTSEL_BGP);
	/* BGP withdrawn (the session died): the backup takes over. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, NULL, 0), 0);
	ck_assert_str_eq(o_gw(), "169.254.214.97");
	/* distance bgp 251: BGP now loses to it even when back. */
	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	ck_assert_str_eq(o_gw(), "169.254.116.209");
	rtsel_set_distance(rs, RTSEL_BGP, 251);
	ck_assert_str_eq(o_gw(), "169.254.214.97");
	rtsel_free(rs);
}
END_TEST

START_TEST(t_sel_tie_static)
{
	struct rtsel		*rs = mksel();
	struct tb_prefix	 p = P("10.0.0.0/8");
	struct fib_route	 b = R(FIB_PROTO_BGP, "192.0.2.1", 3);
	struct fib_route	 s = R(FIB_PROTO_STATIC, "192.0.2.2", 3);

	ck_assert_int_eq(rtsel_set(rs, RTSEL_BGP, &p, &b, 0), 0);
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 20), 0);
	ck_assert_str_eq(o_gw(), "192.0.2.2");
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 21), 0);
	ck_assert_str_eq(o_gw(), "192.0.2.1");
	rtsel_free(rs);
}
END_TEST

START_TEST(t_sel_drop_routes)
{
	struct rtsel		*rs = mksel();
	struct tb_prefix	 p = P("10.0.0.0/8"), q = P("10.0.0.0/9");
	struct fib_route	 s = R(FIB_PROTO_STATIC, NULL, 0);
	struct rtsel_info	 info;

	s.type = FIB_RT_BLACKHOLE;
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 1), 0);
	ck_assert(O.have);
	ck_assert_uint_eq(O.r.type, FIB_RT_BLACKHOLE);
	/* Another prefix of the same address is another entry. */
	ck_assert_int_eq(rtsel_get(rs, &q, &info), -1);
	/* A unicast route without next hops is none. */
	s.type = FIB_RT_UNICAST;
	ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 1), 0);
	ck_assert(!O.have);
	ck_assert_uint_eq(rtsel_count(rs), 0);
	rtsel_free(rs);
}
END_TEST

START_TEST(t_sel_many)
{
	struct rtsel		*rs = mksel();
	struct fib_route	 s = R(FIB_PROTO_STATIC, "192.0.2.2", 3);
	struct tb_prefix	 p;
	struct rtsel_info	 info;
	char			 buf[32];
	int			 i;

	/* Entries stay sorted whatever the order they come in. */
	for (i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", (i * 37) % 200,
		    i % 7);
		p = P(buf);
		ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, &s, 1), 0);
	}
	ck_assert_uint_eq(rtsel_count(rs), 200);
	for (i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", (i * 37) % 200,
		    i % 7);
		p = P(buf);
		ck_assert_int_eq(rtsel_get(rs, &p, &info), 0);
		ck_assert_int_eq(rtsel_set(rs, RTSEL_STATIC, &p, NULL, 0), 0);
	}
	ck_assert_uint_eq(rtsel_count(rs), 0);
	rtsel_free(rs);
}
END_TEST

/* ---- sroute against a fake interface table and tracking ---- */

struct fakeif {
	const char	*name;
	uint32_t	 ifindex;
	int		 up;
	const char	*net;		/* connected prefix */
};

static struct fakeif	 IFS[] = {
	{ "t1", 11, 1, "169.254.116.208/30" },
	{ "t2", 12, 1, "169.254.214.96/30" },
	{ "t3", 13, 1, "169.254.10.0/30" },
};

struct installed {
	int			 calls;
	int			 have;
	struct fib_route	 r;
	uint8_t			 distance;
	int			 settled;
	int			 tracks;	/* started minus stopped */
	struct sroute_nh	*last_nh;
};
static struct installed	 I;

static int
f_resolve(const struct static_config *sc, uint32_t *ifindex, char *why,
    size_t len, void *arg)
{
	struct tb_prefix	 net;
	size_t			 i;

	(void)arg;
	*ifindex = 0;
	if (sc->kind == STATIC_BLACKHOLE || sc->kind == STATIC_REJECT)
		return 1;
	for (i = 0; i < sizeof(IFS) / sizeof(IFS[0]); i++) {
		net = P(IFS[i].net);
		if (sc->kind == STATIC_IFACE ? strcmp(sc->ifname,
		    IFS[i].name) != 0 : !prefix_contains(&net, &sc->gw))
			continue;
		if (!IFS[i].up) {
			snprintf(why, len, "interface %s is down",
			    IFS[i].name);
			return 0;
		}
		*ifindex = IFS[i].ifindex;
		snprintf(why, len, "interface %s is up", IFS[i].name);
		return 1;
	}
	snprintf(why, len, "not connected");
	return 0;
}

static void
f_install(const struct tb_prefix *p, const struct fib_route *r,
    uint8_t distance, void *arg)
{
	(void)p;
	(void)arg;
	I.calls++;
	I.have = r != NULL;
	if (r != NULL)
		I.r = *r;
	I.distance = distance;
}

static void
f_track_start(struct sroute_nh *nh, const struct static_config *sc,
    void *arg)
{
	(void)sc;
	(void)arg;
	I.tracks++;
	I.last_nh = nh;
}

static void
f_track_stop(struct sroute_nh *nh, void *arg)
{
	(void)nh;
	(void)arg;
	I.tracks--;
}

static void
f_settled(void *arg)
{
	(void)arg;
	I.settled++;
}

static struct sroute *
mksr(void)
{
	struct sroute_ops	 ops;
	struct sroute		*sr;
	size_t			 i;

	memset(&I, 0, sizeof(I));
	for (i = 0; i < sizeof(IFS) / sizeof(IFS[0]); i++)
		IFS[i].up = 1;
	memset(&ops, 0, sizeof(ops));
	ops.resolve = f_resolve;
	ops.install = f_install;
	ops.track_start = f_track_start;
	ops.track_stop = f_track_stop;
	ops.settled = f_settled;
	ck_assert_ptr_nonnull(sr = sroute_new(&ops));
	return sr;
}

/* A configuration of static routes only, from text. */
static struct bgpd_config *
mkconf(const char *text)
{
	struct bgpd_config	*c;
	char			 path[] = "/tmp/check_static.XXXXXX";
	FILE			*f;
	int			 fd;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(conf_parse(path, &c, stderr), 0);
	unlink(path);
	return c;
}

/*
 * "~icmp" at the end of a line: that route tracked by ICMP probes every
 * 100 ms x 3 ("~icmp:ADDR": with a target), as `liveness icmp interval
 * 100 multiplier 3 [target ADDR]` would have it.
 */
struct mark {
	char	 words[128];	/* the route's words, as conf_static_words */
	char	 target[64];	/* "" or the probe's target */
};

static void
configure(struct sroute *sr, const char *text, uint64_t now)
{
	struct bgpd_config	*c;
	struct static_config	*sc;
	struct mark		 mk[16];
	char			*plain, *l, *next, *m, w[256];
	size_t			 n = 0, i;

	ck_assert_ptr_nonnull(plain = calloc(1, strlen(text) + 1));
	for (l = (char *)text; *l != '\0'; l = next) {
		next = strchr(l, '\n');
		next = next != NULL ? next + 1 : l + strlen(l);
		m = strstr(l, " ~icmp");
		if (m == NULL || m >= next) {
			strncat(plain, l, (size_t)(next - l));
			continue;
		}
		ck_assert_uint_lt(n, 16);
		memset(&mk[n], 0, sizeof(mk[n]));
		ck_assert(strncmp(l, "ip route ", 9) == 0);
		memcpy(mk[n].words, l + 9, (size_t)(m - l - 9));
		if (m[6] == ':')
			memcpy(mk[n].target, m + 7, (size_t)(next - m - 8));
		n++;
		strncat(plain, l, (size_t)(m - l));
		strcat(plain, "\n");
	}
	c = mkconf(plain);
	free(plain);
	TAILQ_FOREACH(sc, &c->statics, entry) {
		conf_static_words(sc, w, sizeof(w));
		for (i = 0; i < n; i++) {
			if (strcmp(w, mk[i].words) != 0)
				continue;
			sc->track = STATIC_TRACK_ICMP;
			sc->icmp_interval = 100;
			sc->icmp_mult = 3;
			sc->icmp_up = LIVE_ICMP_UP_DEF;
			if (mk[i].target[0] != '\0')
				ck_assert_int_eq(addr_parse(mk[i].target,
				    &sc->icmp_target), 0);
		}
	}
	sroute_configure(sr, &c->statics, now);
	conf_free(c);
}

static const char *
i_gw(size_t i)
{
	ck_assert(I.have);
	ck_assert_uint_gt(I.r.nnh, i);
	return addr_str(&I.r.nh[i].gw);
}

/* The state of the next hop with this gateway (the first one). */
struct find {
	const char		*gw;
	uint8_t			 distance;
	struct sroute_nh_info	 ni;
	int			 found;
};

static void
find_nh(const struct sroute_pfx_info *pi, const struct sroute_nh_info *ni,
    void *arg)
{
	struct find	*f = arg;

	(void)pi;
	if (f->found || ni->conf->kind != STATIC_GATEWAY ||
	    strcmp(addr_str(&ni->conf->gw), f->gw) != 0 ||
	    (f->distance != 0 && ni->conf->distance != f->distance))
		return;
	f->ni = *ni;
	f->found = 1;
}

static enum sroute_state
state_of(struct sroute *sr, const char *gw)
{
	struct find	 f;

	memset(&f, 0, sizeof(f));
	f.gw = gw;
	sroute_walk(sr, NULL, find_nh, &f);
	ck_assert_msg(f.found, "no next hop %s", gw);
	return f.ni.state;
}

static const char *
why_of(struct sroute *sr, const char *gw)
{
	static char	 buf[256];
	struct find	 f;

	memset(&f, 0, sizeof(f));
	f.gw = gw;
	sroute_walk(sr, NULL, find_nh, &f);
	ck_assert(f.found);
	strlcpy(buf, f.ni.why, sizeof(buf));
	return buf;
}

#define T1	"169.254.116.209"
#define T2	"169.254.214.97"
#define T3	"169.254.10.1"
#define TWO_TUNNELS	"ip route 172.16.0.0/16 " T1 " 10\n" \
			"ip route 172.16.0.0/16 " T2 " 20\n"

START_TEST(t_sr_lowest_distance)
{
	struct sroute	*sr = mksr();

	configure(sr, TWO_TUNNELS, 1000);
	ck_assert_str_eq(i_gw(0), T1);
	ck_assert_uint_eq(I.r.nnh, 1);
	ck_assert_uint_eq(I.r.nh[0].ifindex, 11);
	ck_assert_uint_eq(I.r.proto, FIB_PROTO_STATIC);
	ck_assert_uint_eq(I.distance, 10);
	ck_assert_int_eq(I.settled, 1);	/* nothing tracked */
	/* Carrier lost on tunnel 1: tunnel 2 at once. */
	IFS[0].up = 0;
	sroute_recheck(sr, 1100);
	ck_assert_str_eq(i_gw(0), T2);
	ck_assert_uint_eq(I.distance, 20);
	ck_assert_int_eq(state_of(sr, T1), SR_DOWN);
	ck_assert_str_eq(why_of(sr, T1), "interface t1 is down");
	/* Both gone: no route. */
	IFS[1].up = 0;
	sroute_recheck(sr, 1200);
	ck_assert(!I.have);
	/* Back: the primary again. */
	IFS[0].up = IFS[1].up = 1;
	sroute_recheck(sr, 1300);
	ck_assert_str_eq(i_gw(0), T1);
	sroute_free(sr);
}
END_TEST

START_TEST(t_sr_multipath_and_drop)
{
	struct sroute	*sr = mksr();

	configure(sr, "ip route 10.0.0.0/8 " T1 " 5\n"
	    "ip route 10.0.0.0/8 " T2 " 5\n"
	    "ip route 10.0.0.0/8 blackhole 5\n"
	    "ip route 10.0.0.0/8 reject 200\n", 1000);
	/* Equal distance: both gateways, the blackhole left out. */
	ck_assert_uint_eq(I.r.nnh, 2);
	ck_assert_uint_eq(I.r.type, FIB_RT_UNICAST);
	ck_assert_str_eq(i_gw(0), T1);
	ck_assert_str_eq(i_gw(1), T2);
	IFS[0].up = 0;
	sroute_recheck(sr, 1100);
	ck_assert_uint_eq(I.r.nnh, 1);
	ck_assert_str_eq(i_gw(0), T2);
	/* No gateway left at 5: the blackhole of the same distance. */
	IFS[1].up = 0;
	sroute_recheck(sr, 1200);
	ck_assert(I.have);
	ck_assert_uint_eq(I.r.type, FIB_RT_BLACKHOLE);
	ck_assert_uint_eq(I.r.nnh, 0);
	ck_assert_uint_eq(I.distance, 5);
	/* Without it, the reject at 200. */
	configure(sr, "ip route 10.0.0.0/8 " T1 " 5\n"
	    "ip route 10.0.0.0/8 " T2 " 5\n"
	    "ip route 10.0.0.0/8 reject 200\n", 1300);
	ck_assert_uint_eq(I.r.type, FIB_RT_UNREACHABLE);
	ck_assert_uint_eq(I.distance, 200);
	sroute_free(sr);
}
END_TEST

START_TEST(t_sr_interface_route)
{
	struct sroute	*sr = mksr();

	configure(sr, "ip route 10.0.0.0/8 t3\n", 1000);
	ck_assert(I.have);
	ck_assert_uint_eq(I.r.nnh, 1);
	ck_assert_uint_eq(I.r.nh[0].gw.af, 0);
	ck_assert_uint_eq(I.r.nh[0].ifindex, 13);
	IFS[2].up = 0;
	sroute_recheck(sr, 1100);
	ck_assert(!I.have);
	sroute_free(sr);
}
END_TEST

START_TEST(t_sr_reload_untouched)
{
	struct sroute	*sr = mksr();
	int		 calls;

	configure(sr, TWO_TUNNELS "ip route 10.0.0.0/8 " T3 "\n", 1000);
	calls = I.calls;
	/* The same routes again, another added elsewhere: nothing of the
	 * first prefix is handed on again. */
	configure(sr, TWO_TUNNELS "ip route 10.0.0.0/8 " T3 "\n"
	    "ip route 10.1.0.0/16 " T3 "\n", 2000);
	ck_assert_int_eq(I.calls, calls + 1);
	calls = I.calls;
	/* The backup's failback-delay changes: no new decision. */
	configure(sr, "ip route 172.16.0.0/16 " T1 " 10\n"
	    "ip route 172.16.0.0/16 " T2 " 20 failback-delay 5\n"
	    "ip route 10.0.0.0/8 " T3 "\n"
	    "ip route 10.1.0.0/16 " T3 "\n", 3000);
	ck_assert_int_eq(I.calls, calls);
	/* The primary removed: the backup. */
	configure(sr, "ip route 172.16.0.0/16 " T2 " 20\n", 4000);
	ck_assert_str_eq(i_gw(0), T2);
	ck_assert_uint_eq(sroute_count(sr), 1);
	sroute_free(sr);
}
END_TEST

#define TRACKED	"ip route 172.16.0.0/16 " T1 " 10 ~icmp\n" \
		"ip route 172.16.0.0/16 " T2 " 20 ~icmp\n"

/* The tracking handle of the next hop with this gateway. */
struct nh_of {
	const char		*gw;
	struct sroute_nh	*nh;
};

static void
nh_cookie(const struct sroute_pfx_info *pi, const struct sroute_nh_info *ni,
    void *arg)
{
	struct nh_of	*n = arg;

	(void)pi;
	if (ni->conf->kind == STATIC_GATEWAY &&
	    strcmp(addr_str(&ni->conf->gw), n->gw) == 0)
		n->nh = ni->cookie;
}

/* f_track_start keeps the last nh; the tests name them by cookie. */
static void
f_track_start_cookie(struct sroute_nh *nh, const struct static_config *sc,
    void *arg)
{
	f_track_start(nh, sc, arg);
	sroute_nh_set_cookie(nh, nh);
}

static struct sroute *
mksr_cookie(void)
{
	struct sroute_ops	 ops;
	struct sroute		*sr = mksr();

	sroute_free(sr);
	memset(&ops, 0, sizeof(ops));
	ops.resolve = f_resolve;
	ops.install = f_install;
	ops.track_start = f_track_start_cookie;
	ops.track_stop = f_track_stop;
	ops.settled = f_settled;
	ck_assert_ptr_nonnull(sr = sroute_new(&ops));
	return sr;
}

static struct sroute_nh *
nh(struct sroute *sr, const char *gw)
{
	struct nh_of	 n = { gw, NULL };

	sroute_walk(sr, NULL, nh_cookie, &n);
	ck_assert_ptr_nonnull(n.nh);
	return n.nh;
}

START_TEST(t_sr_track_transitions)
{
	struct sroute	*sr = mksr_cookie();

	configure(sr, TRACKED, 1000);
	ck_assert_int_eq(I.tracks, 2);
	/* No verdict yet: nothing installed, not settled. */
	ck_assert_int_eq(state_of(sr, T1), SR_PENDING);
	ck_assert(!I.have);
	ck_assert_int_eq(I.settled, 0);
	ck_assert_uint_eq(sroute_next_expiry(sr), 1000 + 400);
	/* The backup answers first: the primary is still pending and
	 * better, so the prefix waits (a restart must not flap). */
	sroute_track(sr, nh(sr, T2), SR_TRK_UP, "ICMP: first reply", 1010);
	ck_assert(!I.have);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: first reply", 1020);
	ck_assert_str_eq(i_gw(0), T1);
	ck_assert_int_eq(I.settled, 1);
	/* Silence on tunnel 1: the probe says down. */
	sroute_track(sr, nh(sr, T1), SR_TRK_DOWN, "ICMP: 3 echo requests "
	    "unanswered (300 ms)", 5000);
	ck_assert_str_eq(i_gw(0), T2);
	ck_assert_int_eq(state_of(sr, T1), SR_DOWN);
	ck_assert_str_eq(why_of(sr, T1),
	    "ICMP: 3 echo requests unanswered (300 ms)");
	/* Repaired: back at once (no failback-delay). */
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: 3 replies in a row",
	    6000);
	ck_assert_str_eq(i_gw(0), T1);
	/* A carrier loss beats the probe's opinion. */
	IFS[0].up = 0;
	sroute_recheck(sr, 7000);
	ck_assert_str_eq(i_gw(0), T2);
	sroute_free(sr);
	ck_assert_int_eq(I.tracks, 0);
}
END_TEST

START_TEST(t_sr_window)
{
	struct sroute	*sr = mksr_cookie();

	configure(sr, TRACKED, 1000);
	sroute_track(sr, nh(sr, T2), SR_TRK_UP, "ICMP: first reply", 1010);
	ck_assert(!I.have);
	/* The primary never answers: after its window it is down, the
	 * backup is used and the start-up is over. */
	sroute_expire(sr, 1399);
	ck_assert(!I.have);
	sroute_expire(sr, 1400);
	ck_assert_int_eq(state_of(sr, T1), SR_DOWN);
	ck_assert_str_eq(why_of(sr, T1), "ICMP: no answer within 400 ms");
	ck_assert_str_eq(i_gw(0), T2);
	ck_assert_int_eq(I.settled, 1);
	/* After start-up a pending next hop (added by a reload) does not
	 * hold anything back. */
	configure(sr, TRACKED "ip route 172.16.0.0/16 " T3 " 5 ~icmp\n", 2000);
	ck_assert_int_eq(state_of(sr, T3), SR_PENDING);
	ck_assert_str_eq(i_gw(0), T2);
	sroute_track(sr, nh(sr, T3), SR_TRK_UP, "ICMP: first reply", 2010);
	ck_assert_str_eq(i_gw(0), T3);
	sroute_free(sr);
}
END_TEST

START_TEST(t_sr_failback_hold)
{
	struct sroute	*sr = mksr_cookie();

	configure(sr, "ip route 172.16.0.0/16 " T1 " 10 failback-delay 10 "
	    "~icmp\n"
	    "ip route 172.16.0.0/16 " T2 " 20\n", 1000);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: first reply", 1010);
	/* The first up is not a comeback: no hold. */
	ck_assert_str_eq(i_gw(0), T1);
	sroute_track(sr, nh(sr, T1), SR_TRK_DOWN, "ICMP: lost", 2000);
	ck_assert_str_eq(i_gw(0), T2);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: 3 replies in a row",
	    3000);
	/* Back, but held for 10 s: traffic stays on the backup. */
	ck_assert_int_eq(state_of(sr, T1), SR_HELD);
	ck_assert_str_eq(i_gw(0), T2);
	ck_assert_uint_eq(sroute_next_expiry(sr), 13000);
	/* The backup dies meanwhile: a held next hop beats nothing. */
	IFS[1].up = 0;
	sroute_recheck(sr, 4000);
	ck_assert_str_eq(i_gw(0), T1);
	IFS[1].up = 1;
	sroute_recheck(sr, 5000);
	ck_assert_str_eq(i_gw(0), T2);
	/* The hold runs out: failback. */
	sroute_expire(sr, 13000);
	ck_assert_int_eq(state_of(sr, T1), SR_UP);
	ck_assert_str_eq(i_gw(0), T1);
	/* A flap during the hold starts it again. */
	sroute_track(sr, nh(sr, T1), SR_TRK_DOWN, "ICMP: lost", 14000);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: back", 15000);
	sroute_track(sr, nh(sr, T1), SR_TRK_DOWN, "ICMP: lost", 16000);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: back", 17000);
	ck_assert_uint_eq(sroute_next_expiry(sr), 27000);
	ck_assert_str_eq(i_gw(0), T2);
	sroute_free(sr);
}
END_TEST

START_TEST(t_sr_changed_tracking)
{
	struct sroute	*sr = mksr_cookie();
	int		 calls;

	configure(sr, TRACKED, 1000);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: first reply", 1010);
	sroute_track(sr, nh(sr, T2), SR_TRK_UP, "ICMP: first reply", 1010);
	ck_assert_str_eq(i_gw(0), T1);
	calls = I.calls;
	/* A new target for the primary's probe: the route stays where it
	 * is on the old answer until the new probe speaks. */
	configure(sr, "ip route 172.16.0.0/16 " T1 " 10 ~icmp:172.16.0.10\n"
	    "ip route 172.16.0.0/16 " T2 " 20 ~icmp\n", 2000);
	ck_assert_int_eq(I.tracks, 2);
	ck_assert_int_eq(I.calls, calls);
	ck_assert_int_eq(state_of(sr, T1), SR_UP);
	/* ... but not forever: silent past its window, it is down. */
	sroute_expire(sr, 2400);
	ck_assert_int_eq(state_of(sr, T1), SR_DOWN);
	ck_assert_str_eq(i_gw(0), T2);
	sroute_track(sr, nh(sr, T1), SR_TRK_UP, "ICMP: first reply", 2500);
	ck_assert_str_eq(i_gw(0), T1);
	sroute_free(sr);
}
END_TEST

/* ---- implicit tracking: kif and xfrm fed by hand ---- */

#ifndef IFF_LOWER_UP		/* linux/if.h's; glibc's net/if.h lacks it */
#define IFF_LOWER_UP	0x10000
#endif
#define UPF	(IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

static void
link_ev(struct kif *k, int ifindex, const char *name, const char *kind,
    uint32_t if_id, unsigned flags)
{
	struct kif_link	 l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	strlcpy(l.name, name, sizeof(l.name));
	strlcpy(l.kind, kind, sizeof(l.kind));
	l.flags = flags;
	l.carrier = (flags & IFF_LOWER_UP) ? 1 : 0;
	l.operstate = -1;
	l.xfrm_if_id = if_id;
	kif_link_event(k, &l, 0);
}

static void
addr_ev(struct kif *k, int ifindex, const char *local, const char *pfx,
    int deleted)
{
	struct kif_addr	 a;

	memset(&a, 0, sizeof(a));
	a.ifindex = ifindex;
	ck_assert_int_eq(addr_parse(local, &a.local), 0);
	ck_assert_int_eq(prefix_parse(pfx, &a.connected), 0);
	kif_addr_event(k, &a, deleted);
}

static void
sa_ev(struct xfrm *x, enum xfrm_evtype type, uint32_t if_id)
{
	struct xfrm_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.if_id = if_id;
	ck_assert_int_eq(addr_parse("203.0.113.1", &ev.daddr), 0);
	ck_assert_int_eq(addr_parse("192.0.2.1", &ev.saddr), 0);
	ev.spi = 0x1000 + if_id;
	ev.proto = IPPROTO_ESP;
	ev.dir = XFRM_DIR_OUT;
	xfrm_event(x, &ev);
}

static struct static_config
SC(const char *text)
{
	struct bgpd_config	*c = mkconf(text);
	struct static_config	 sc = *TAILQ_FIRST(&c->statics);

	conf_free(c);
	return sc;
}

static int
res(const struct kif *k, const struct xfrm *x, const char *text,
    uint32_t *ifindex, char *why)
{
	struct static_config	 sc = SC(text);

	return sroute_resolve(k, x, &sc, ifindex, why, 128);
}

START_TEST(t_resolve)
{
	struct kif	*k;
	struct xfrm	*x;
	uint32_t	 ifi;
	char		 why[128];

	ck_assert_ptr_nonnull(k = kif_new());
	ck_assert_ptr_nonnull(x = xfrm_new());
	link_ev(k, 5, "xfrm-aws1", "xfrm", 1, UPF);
	link_ev(k, 6, "veth2", "veth", 0, UPF);
	addr_ev(k, 5, "169.254.116.210", "169.254.116.208/30", 0);
	addr_ev(k, 6, "169.254.214.98", "169.254.214.96/30", 0);
	sa_ev(x, XFRM_EV_NEWSA, 1);
	/* Up: the interface that has the gateway on a connected prefix. */
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 "\n", &ifi,
	    why), 1);
	ck_assert_uint_eq(ifi, 5);
	ck_assert_str_eq(why, "interface xfrm-aws1 is up");
	/* Named: it must be that interface's prefix. */
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 " veth2\n",
	    &ifi, why), 0);
	ck_assert_str_eq(why, T1 " is on no connected prefix of veth2");
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 " nosuch0\n",
	    &ifi, why), 0);
	ck_assert_str_eq(why, "interface nosuch0 does not exist");
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 veth2\n", &ifi, why),
	    1);
	ck_assert_uint_eq(ifi, 6);
	/* The last SA of if_id 1 goes: no IPsec, not usable. */
	sa_ev(x, XFRM_EV_DELSA, 1);
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 "\n", &ifi,
	    why), 0);
	ck_assert_str_eq(why, "no IPsec SA on xfrm-aws1 (if_id 1)");
	sa_ev(x, XFRM_EV_NEWSA, 1);
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 "\n", &ifi,
	    why), 1);
	/* Carrier lost. */
	link_ev(k, 5, "xfrm-aws1", "xfrm", 1, IFF_UP | IFF_RUNNING);
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 "\n", &ifi,
	    why), 0);
	ck_assert_str_eq(why, "interface xfrm-aws1 is no-carrier");
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 xfrm-aws1\n", &ifi,
	    why), 0);
	link_ev(k, 5, "xfrm-aws1", "xfrm", 1, UPF);
	/* Our address gone: the gateway is on no connected prefix. */
	addr_ev(k, 5, "169.254.116.210", "169.254.116.208/30", 1);
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 " T1 "\n", &ifi,
	    why), 0);
	ck_assert_str_eq(why, T1 " is on no connected prefix (no interface "
	    "holds an address of its subnet)");
	/* A drop route always; nothing to tell without an interface
	 * table. */
	ck_assert_int_eq(res(k, x, "ip route 10.0.0.0/8 blackhole\n", &ifi,
	    why), 1);
	ck_assert_uint_eq(ifi, 0);
	ck_assert_int_eq(res(NULL, NULL, "ip route 10.0.0.0/8 " T1 "\n",
	    &ifi, why), 1);
	xfrm_free(x);
	kif_free(k);
}
END_TEST

/* ---- track.c: clients share engines by key ---- */

static void
t_cb(struct track_ref *r, enum track_state st, const char *why, void *arg)
{
	(void)r;
	(void)st;
	(void)why;
	(void)arg;
}

static struct track_key
K(enum track_kind kind, const char *dst, uint32_t interval)
{
	struct track_key	 k;

	memset(&k, 0, sizeof(k));
	k.kind = kind;
	ck_assert_int_eq(addr_parse(dst, &k.dst), 0);
	k.icmp.interval_ms = interval;
	k.icmp.multiplier = 3;
	k.icmp.up_count = 3;
	k.bfd.min_tx_ms = k.bfd.min_rx_ms = interval;
	k.bfd.multiplier = 3;
	return k;
}

/* Without track_init() nothing starts (no socket): the sharing alone. */
START_TEST(t_track_share)
{
	struct track_key	 a = K(TRACK_ICMP, T1, 100);
	struct track_key	 b = K(TRACK_ICMP, T1, 200);
	struct track_key	 c = K(TRACK_BFD, T1, 100);
	struct track_key	 d = K(TRACK_BFD, T1, 300);
	struct track_key	 bad = K(TRACK_ICMP, T1, 0);
	struct track_ref	*r1, *r2, *r3, *r4, *r5;

	ck_assert_ptr_nonnull(r1 = track_new(&a, t_cb, NULL));
	ck_assert_ptr_nonnull(r2 = track_new(&a, t_cb, NULL));
	ck_assert_ptr_nonnull(r3 = track_new(&b, t_cb, NULL));
	/* Same probe: one engine; other timers: another. */
	ck_assert_uint_eq(track_refs(r1), 2);
	ck_assert_uint_eq(track_refs(r3), 1);
	ck_assert_int_eq(track_state(r1), TRACK_INIT);
	ck_assert_ptr_null(track_probe(r1));
	/* BFD: one session per peer whatever the timers (RFC 5880). */
	ck_assert_ptr_nonnull(r4 = track_new(&c, t_cb, NULL));
	ck_assert_ptr_nonnull(r5 = track_new(&d, t_cb, NULL));
	ck_assert_uint_eq(track_refs(r4), 2);
	ck_assert_ptr_null(track_new(&bad, t_cb, NULL));
	track_free(r1);
	ck_assert_uint_eq(track_refs(r2), 1);
	track_free(r2);
	track_free(r3);
	track_free(r4);
	ck_assert_uint_eq(track_refs(r5), 1);
	track_free(r5);
	track_free(NULL);
	track_shutdown();
}
END_TEST

static Suite *
static_suite(void)
{
	Suite	*s = suite_create("static");
	TCase	*tc;

	tc = tcase_create("rtsel");
	tcase_add_test(tc, t_sel_passthrough);
	tcase_add_test(tc, t_sel_static_beats_ebgp);
	tcase_add_test(tc, t_sel_floating_static);
	tcase_add_test(tc, t_sel_tie_static);
	tcase_add_test(tc, t_sel_drop_routes);
	tcase_add_test(tc, t_sel_many);
	suite_add_tcase(s, tc);
	tc = tcase_create("sroute");
	tcase_add_test(tc, t_sr_lowest_distance);
	tcase_add_test(tc, t_sr_multipath_and_drop);
	tcase_add_test(tc, t_sr_interface_route);
	tcase_add_test(tc, t_sr_reload_untouched);
	tcase_add_test(tc, t_sr_track_transitions);
	tcase_add_test(tc, t_sr_window);
	tcase_add_test(tc, t_sr_failback_hold);
	tcase_add_test(tc, t_sr_changed_tracking);
	tcase_add_test(tc, t_resolve);
	tcase_add_test(tc, t_track_share);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(static_suite());
	int	 failed;

	log_init(1, LOG_DAEMON, "check_static");
	log_setlevel(TB_LOG_WARNING);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
