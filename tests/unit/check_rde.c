/*
 * check_rde: the route decision engine's glue (bgpd/rde.c) with the RIB,
 * the Adj-RIBs-Out and policy it ties together, and no session: stub
 * neighbors take the UPDATEs it sends through struct rde_peer_ops, and a
 * stub kernel (kernel_route() and the other kernel_*() the RDE calls,
 * defined here, so kernel.c is not linked) records the routes it would
 * install.  UPDATEs go in as a
 * gateway would send them (hand-built wire bytes) and come out as the
 * neighbors would read them (update_parse()).
 *
 * Covered: RFC 8212 in and out; loop detection and allowas-in (count and
 * origin); maximum-prefix in (Cease/1 with AFI, SAFI and limit, the
 * restart time handed to the session) and maximum-prefix-out (held back,
 * offered again when room is made); the eBGP export rules: next hop
 * self, no LOCAL_PREF, a MED from another AS dropped, NO_EXPORT and
 * NO_ADVERTISE not sent, no echo to the source nor to a neighbor whose AS
 * is in the path, our AS prepended; withdrawals and a session going down
 * reach the other neighbors and the kernel in the same turn.
 */
#include "config.h"

#include <check.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "attr.h"
#include "buf.h"
#include "conf.h"
#include "fib.h"
#include "kernel.h"
#include "log.h"
#include "msg.h"
#include "rde.h"
#include "rib.h"
#include "rtsel.h"
#include "update.h"

#define LOCAL_AS	65000
#define GW_AS		64512
#define OTHER_AS	64600

/* ---------------------------------------------------------- stub kernel */

#define KR_MAX	64

static struct {
	struct tb_prefix p;
	size_t		 nnh;
	struct tb_addr	 gw;
} kr[KR_MAX];
static size_t	 nkr;

static int
pfx_eq(const struct tb_prefix *a, const struct tb_prefix *b)
{
	return a->len == b->len && addr_cmp(&a->addr, &b->addr) == 0;
}

static int
kr_find(const struct tb_prefix *p)
{
	size_t	 i;

	for (i = 0; i < nkr; i++)
		if (pfx_eq(&kr[i].p, p))
			return (int)i;
	return -1;
}

void
kernel_route(const struct tb_prefix *p, const struct fib_nh *nh, size_t n)
{
	int	 i = kr_find(p);

	if (i == -1) {
		ck_assert_uint_lt(nkr, KR_MAX);
		i = (int)nkr++;
		kr[i].p = *p;
	}
	kr[i].nnh = n;
	if (n > 0)
		kr[i].gw = nh[0].gw;
}

void
kernel_flush(void)
{
}

struct fib *
kernel_fib(void)
{
	return NULL;
}

void
kernel_on_routes_changed(void (*fn)(void *), void *arg)
{
}

void
kernel_stale_sweep(void)
{
}

/* The route selection in front of the kernel: static routes compete
 * there; none here, so it only has to exist. */
static int
sel_install(const struct tb_prefix *p, const struct fib_route *r,
    void *arg)
{
	return 0;
}

static int
sel_current(const struct tb_prefix *p, struct fib_route *r, void *arg)
{
	return -1;
}

static struct rtsel	*sel;

struct rtsel *
kernel_rtsel(void)
{
	struct rtsel_ops	 ops = { sel_install, sel_current, NULL };

	if (sel == NULL)
		ck_assert_ptr_nonnull(sel = rtsel_new(&ops));
	return sel;
}

/* Next hops the kernel route for prefix s has: -1 never installed. */
static int
kr_nnh(const char *s)
{
	struct tb_prefix	 p;
	int			 i;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return (i = kr_find(&p)) == -1 ? -1 : (int)kr[i].nnh;
}

/* ---------------------------------------------------------- stub peers */

struct speer {
	const char		*addr;		/* the neighbor's */
	const char		*local;		/* ours on the session */
	uint32_t		 as;
	struct peer_config	*pc;
	struct rde_peer		*rp;
	struct buf		 out;		/* what the RDE sent */
	unsigned int		 maxpfx_calls;
	unsigned int		 maxpfx_minutes;
	int			 rrefresh;
};

static int
sp_output(void *owner, const struct buf *b, size_t nmsgs)
{
	struct speer	*s = owner;

	buf_put(&s->out, buf_data(b), buf_len(b));
	return 0;
}

static size_t
sp_queued(void *owner)
{
	return 0;
}

static void
sp_rrefresh(void *owner, int aid)
{
	((struct speer *)owner)->rrefresh++;
}

static void
sp_maxpfx(void *owner, unsigned int minutes)
{
	struct speer	*s = owner;

	s->maxpfx_calls++;
	s->maxpfx_minutes = minutes;
}

static int
sp_admin_down(void *owner)
{
	return 0;
}

static const struct rde_peer_ops sp_ops = {
	sp_output, sp_queued, sp_rrefresh, sp_maxpfx, sp_admin_down
};

/* ---------------------------------------------------------- the lab */

/*
 * A: the cloud gateway on tunnel 1, B: the same cloud on tunnel 2 (the
 * same AS), C: another AS, D: a neighbor without any policy (RFC 8212).
 */
static struct speer	 A = { .addr = "169.254.116.209",
			    .local = "169.254.116.210", .as = GW_AS };
static struct speer	 B = { .addr = "169.254.214.97",
			    .local = "169.254.214.98", .as = GW_AS };
static struct speer	 C = { .addr = "169.254.10.1",
			    .local = "169.254.10.2", .as = OTHER_AS };
static struct speer	 D = { .addr = "169.254.20.1",
			    .local = "169.254.20.2", .as = OTHER_AS };
static struct speer	*all[] = { &A, &B, &C, &D };
#define NPEERS	(sizeof(all) / sizeof(all[0]))

static struct bgpd_config	*conf;
static struct event_base	*base;

static const char *conf_text =
	"route-map ALL permit 10\n"
	"!\n"
	"router bgp 65000\n"
	" bgp router-id 10.255.0.1\n"
	" neighbor 169.254.116.209 remote-as 64512\n"
	" neighbor 169.254.214.97 remote-as 64512\n"
	" neighbor 169.254.10.1 remote-as 64600\n"
	" neighbor 169.254.20.1 remote-as 64600\n"
	" address-family ipv4 unicast\n"
	"  neighbor 169.254.116.209 route-map ALL in\n"
	"  neighbor 169.254.116.209 route-map ALL out\n"
	"  neighbor 169.254.116.209 maximum-prefix 6 restart 5\n"
	"  neighbor 169.254.214.97 route-map ALL in\n"
	"  neighbor 169.254.214.97 route-map ALL out\n"
	"  neighbor 169.254.214.97 allowas-in 1\n"
	"  neighbor 169.254.10.1 route-map ALL in\n"
	"  neighbor 169.254.10.1 route-map ALL out\n"
	"  neighbor 169.254.10.1 maximum-prefix-out 2\n"
	"  neighbor 169.254.10.1 allowas-in origin\n"
	" exit-address-family\n";

static struct bgpd_config *
conf_load(const char *text)
{
	struct bgpd_config	*c = NULL;
	char			 path[] = "/tmp/check_rde.XXXXXX";
	FILE			*f;
	int			 fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(conf_parse(path, &c, stderr), 0);
	unlink(path);
	return c;
}

static void
sp_up(struct speer *s)
{
	struct rde_session	 rs;
	struct tb_addr		 a;

	ck_assert_int_eq(addr_parse(s->addr, &a), 0);
	ck_assert_ptr_nonnull(s->pc = conf_find_peer(conf, &a));
	s->rp = rde_peer_new(&sp_ops, s, s->pc, conf);
	ck_assert_int_eq(buf_init(&s->out, 4096, 1 << 24), 0);
	memset(&rs, 0, sizeof(rs));
	ck_assert_int_eq(addr_parse(s->local, &rs.local_addr), 0);
	rs.peer_as = s->as;
	rs.remote_id = ntohl(a.u.v4.s_addr);
	rs.af_negotiated = AID_BIT(AID_IPV4_UNICAST);
	rs.as4 = 1;
	rde_peer_up(s->rp, &rs);
}

static void
setup(void)
{
	size_t	 i;

	log_init(1, LOG_USER, "check_rde");
	log_setlevel(TB_LOG_WARNING);
	nkr = 0;
	ck_assert_ptr_nonnull(base = event_base_new());
	conf = conf_load(conf_text);
	rde_init(conf, base, 0x0aff0001, NULL);
	for (i = 0; i < NPEERS; i++)
		sp_up(all[i]);
	for (i = 0; i < NPEERS; i++)
		buf_reset(&all[i]->out);	/* End-of-RIB */
}

static void
teardown(void)
{
	size_t	 i;

	rde_shutdown();
	for (i = 0; i < NPEERS; i++) {
		buf_free(&all[i]->out);
		all[i]->maxpfx_calls = 0;
		all[i]->maxpfx_minutes = 0;
		all[i]->rrefresh = 0;
	}
	conf_free(conf);
	rtsel_free(sel);
	sel = NULL;
	event_base_free(base);
}

/* ---------------------------------------------------------- UPDATEs in */

struct upd {
	const char	*aspath;	/* "64512 65000" */
	const char	*nexthop;
	long		 med;		/* -1: none */
	uint32_t	 comm;		/* 0: none */
};

static void
put_attr(struct buf *b, uint8_t flags, uint8_t code, const void *v,
    size_t len)
{
	buf_put_u8(b, flags);
	buf_put_u8(b, code);
	buf_put_u8(b, (uint8_t)len);
	buf_put(b, v, len);
}

static void
put_attrs(struct buf *b, const struct upd *u)
{
	uint8_t		 path[2 + 4 * 16], origin = 0, v[4];
	struct tb_addr	 nh;
	const char	*s = u->aspath;
	size_t		 n = 0;
	char		*end;
	unsigned long	 as;

	put_attr(b, 0x40, ATTR_ORIGIN, &origin, 1);
	while (*s != '\0') {
		as = strtoul(s, &end, 10);
		path[2 + 4 * n] = (uint8_t)(as >> 24);
		path[3 + 4 * n] = (uint8_t)(as >> 16);
		path[4 + 4 * n] = (uint8_t)(as >> 8);
		path[5 + 4 * n] = (uint8_t)as;
		n++;
		s = end + (*end == ' ');
	}
	path[0] = 2;			/* AS_SEQUENCE */
	path[1] = (uint8_t)n;
	put_attr(b, 0x40, ATTR_AS_PATH, path, n ? 2 + 4 * n : 0);
	ck_assert_int_eq(addr_parse(u->nexthop, &nh), 0);
	put_attr(b, 0x40, ATTR_NEXT_HOP, &nh.u.v4, 4);
	if (u->med >= 0) {
		v[0] = (uint8_t)(u->med >> 24);
		v[1] = (uint8_t)(u->med >> 16);
		v[2] = (uint8_t)(u->med >> 8);
		v[3] = (uint8_t)u->med;
		put_attr(b, 0x80, ATTR_MED, v, 4);
	}
	if (u->comm != 0) {
		v[0] = (uint8_t)(u->comm >> 24);
		v[1] = (uint8_t)(u->comm >> 16);
		v[2] = (uint8_t)(u->comm >> 8);
		v[3] = (uint8_t)u->comm;
		put_attr(b, 0xc0, ATTR_COMMUNITIES, v, 4);
	}
}

/* The body of an UPDATE announcing (u != NULL) or withdrawing the
 * prefixes, into the RDE as s sent it; rde_update()'s result. */
static int
send_update(struct speer *s, const struct upd *u, struct bgp_notify *err,
    const char *pfx, ...)
{
	struct buf	 body, attrs;
	struct tb_prefix p;
	va_list		 ap;
	const char	*one;
	size_t		 off;
	int		 rc;

	ck_assert_int_eq(buf_init(&body, 256, 4096), 0);
	ck_assert_int_eq(buf_init(&attrs, 256, 4096), 0);
	if (u != NULL)
		put_attrs(&attrs, u);
	off = buf_reserve(&body, 2);	/* withdrawn length */
	va_start(ap, pfx);
	for (one = pfx; one != NULL; one = va_arg(ap, const char *)) {
		ck_assert_int_eq(prefix_parse(one, &p), 0);
		if (u == NULL)
			nlri_put(&body, &p);
	}
	va_end(ap);
	buf_set_u16_at(&body, off, (uint16_t)(buf_len(&body) - 2));
	buf_put_u16(&body, (uint16_t)buf_len(&attrs));
	buf_put(&body, buf_data(&attrs), buf_len(&attrs));
	va_start(ap, pfx);
	for (one = pfx; one != NULL && u != NULL;
	    one = va_arg(ap, const char *)) {
		ck_assert_int_eq(prefix_parse(one, &p), 0);
		nlri_put(&body, &p);
	}
	va_end(ap);
	ck_assert(!buf_error(&body));
	memset(err, 0, sizeof(*err));
	rc = rde_update(s->rp, &body, err);
	buf_free(&body);
	buf_free(&attrs);
	return rc;
}

#define ANNOUNCE(s, u, ...)	do {					\
	struct bgp_notify	 n_;					\
	ck_assert_int_eq(send_update((s), (u), &n_, __VA_ARGS__, NULL), 0); \
} while (0)
#define WITHDRAW(s, ...)	do {					\
	struct bgp_notify	 n_;					\
	ck_assert_int_eq(send_update((s), NULL, &n_, __VA_ARGS__, NULL), 0); \
} while (0)

/* ---------------------------------------------------------- UPDATEs out */

#define SEEN_MAX	64

/* What one neighbor received, as it would read it. */
struct seen {
	size_t		 nann, nwd;
	struct {
		struct tb_prefix p;
		struct tb_addr	 nexthop;
		int		 has_med, has_lp;
		uint32_t	 first_as;	/* the neighbor AS of the path */
		int		 ours;		/* times our AS is in it */
		int		 len;		/* ASes in the path */
	} ann[SEEN_MAX];
	struct tb_prefix wd[SEEN_MAX];
};

static void
seen_update(struct speer *s, struct buf *body, struct seen *v)
{
	struct attr_ctx	 ctx;
	struct update	 u;
	struct tb_prefix p;

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = 1;
	ctx.ebgp = 1;
	ctx.peer_as = LOCAL_AS;
	ctx.local_as = s->as;
	ck_assert_int_eq(update_parse(body, &ctx, &u), 0);
	ck_assert_int_eq(u.err.action, ACT_OK);
	while (nlri_get(&u.withdrawn, AID_IPV4_UNICAST, &p) == 1) {
		ck_assert_uint_lt(v->nwd, SEEN_MAX);
		v->wd[v->nwd++] = p;
	}
	while (nlri_get(&u.nlri, AID_IPV4_UNICAST, &p) == 1) {
		ck_assert_uint_lt(v->nann, SEEN_MAX);
		v->ann[v->nann].p = p;
		v->ann[v->nann].nexthop = u.work.a.nexthop;
		v->ann[v->nann].has_med = attr_seen(&u.work, ATTR_MED);
		v->ann[v->nann].has_lp = attr_seen(&u.work, ATTR_LOCAL_PREF);
		v->ann[v->nann].first_as = aspath_neighbor(u.work.a.aspath);
		v->ann[v->nann].ours = aspath_count(u.work.a.aspath, LOCAL_AS);
		v->ann[v->nann].len = u.work.a.aspath->plen;
		v->nann++;
	}
	update_free(&u);
}

/* Everything s was sent since the last call. */
static void
seen(struct speer *s, struct seen *v)
{
	struct buf	 in, body;
	uint16_t	 len;
	uint8_t		 type;
	struct bgp_notify err;

	memset(v, 0, sizeof(*v));
	buf_view(&in, buf_data(&s->out), buf_len(&s->out));
	while (buf_left(&in) > 0) {
		ck_assert_int_eq(msg_hdr_parse(&in, 0, &type, &len, &err), 0);
		ck_assert_int_eq(buf_get_view(&in, len - BGP_HDR_LEN, &body),
		    0);
		if (type == BGP_UPDATE)
			seen_update(s, &body, v);
	}
	buf_reset(&s->out);
}

static int
seen_ann(const struct seen *v, const char *pfx)
{
	struct tb_prefix	 p;
	size_t			 i;

	ck_assert_int_eq(prefix_parse(pfx, &p), 0);
	for (i = 0; i < v->nann; i++)
		if (pfx_eq(&v->ann[i].p, &p))
			return (int)i;
	return -1;
}

static int
seen_wd(const struct seen *v, const char *pfx)
{
	struct tb_prefix	 p;
	size_t			 i;

	ck_assert_int_eq(prefix_parse(pfx, &p), 0);
	for (i = 0; i < v->nwd; i++)
		if (pfx_eq(&v->wd[i], &p))
			return 1;
	return 0;
}

static uint32_t
npaths(struct speer *s)
{
	return rde_peer_src(s->rp)->npaths[AID_IPV4_UNICAST];
}

static const struct upd	 U_GW = { "64512", "169.254.116.209", 50, 0 };

/* ---------------------------------------------------------- the tests */

/* RFC 8212: D has no policy: what it sends is not accepted, and nothing
 * is sent to it; A has route-maps both ways. */
START_TEST(t_8212)
{
	struct upd	 ud = { "64600", "169.254.20.1", -1, 0 };
	struct seen	 v;

	ANNOUNCE(&D, &ud, "10.20.0.0/16");
	ck_assert_uint_eq(npaths(&D), 0);
	ck_assert_int_eq(kr_nnh("10.20.0.0/16"), -1);
	ck_assert_uint_eq(rde_peer_stats(D.rp)->denied_in, 1);
	ck_assert_ptr_nonnull(rde_policy_missing(D.rp, 0));
	ck_assert_ptr_nonnull(rde_policy_missing(D.rp, 1));
	ck_assert_ptr_null(rde_policy_missing(A.rp, 0));

	ANNOUNCE(&A, &U_GW, "172.16.0.0/16");
	ck_assert_uint_eq(npaths(&A), 1);
	ck_assert_int_eq(kr_nnh("172.16.0.0/16"), 1);
	seen(&D, &v);
	ck_assert_uint_eq(v.nann, 0);
	seen(&C, &v);
	ck_assert_int_ge(seen_ann(&v, "172.16.0.0/16"), 0);
}
END_TEST

/* RFC 4271 9.1.2: our AS in the path is a loop, unless allowas-in lets
 * it through (B: once; C: as the origin AS only). */
START_TEST(t_loop_allowas)
{
	struct upd	 once = { "64512 65000", "169.254.116.209", -1, 0 };
	struct upd	 twice = { "64512 65000 65000", "169.254.116.209",
			    -1, 0 };
	struct upd	 o_last = { "64600 65000", "169.254.10.1", -1, 0 };
	struct upd	 o_mid = { "64600 65000 64700", "169.254.10.1", -1,
			    0 };

	ANNOUNCE(&A, &once, "10.1.0.0/16");
	ck_assert_uint_eq(npaths(&A), 0);		/* no allowas-in */
	once.nexthop = "169.254.214.97";
	twice.nexthop = "169.254.214.97";
	ANNOUNCE(&B, &once, "10.1.0.0/16");
	ck_assert_uint_eq(npaths(&B), 1);		/* allowas-in 1 */
	ANNOUNCE(&B, &twice, "10.2.0.0/16");
	ck_assert_uint_eq(npaths(&B), 1);		/* twice: no */
	ANNOUNCE(&C, &o_last, "10.3.0.0/16");
	ck_assert_uint_eq(npaths(&C), 1);		/* origin: ok */
	ANNOUNCE(&C, &o_mid, "10.4.0.0/16");
	ck_assert_uint_eq(npaths(&C), 1);		/* not the origin */
	ck_assert_uint_eq(rde_peer_stats(A.rp)->denied_in, 1);
	ck_assert_uint_eq(rde_peer_stats(C.rp)->denied_in, 1);
}
END_TEST

/* maximum-prefix 6 restart 5 on A: the 7th prefix closes the session
 * with Cease/1, data AFI 1, SAFI 1, limit 6 (RFC 4486 4); the session is
 * told to stay down 5 minutes. */
START_TEST(t_max_prefix_in)
{
	struct bgp_notify	 err;
	static const uint8_t	 data[] = { 0, 1, 1, 0, 0, 0, 6 };

	ck_assert_int_eq(send_update(&A, &U_GW, &err, "10.0.1.0/24",
	    "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "10.0.5.0/24",
	    "10.0.6.0/24", NULL), 0);
	ck_assert_uint_eq(A.maxpfx_calls, 0);
	ck_assert_int_eq(send_update(&A, &U_GW, &err, "10.0.7.0/24", NULL),
	    -1);
	ck_assert_uint_eq(err.code, ERR_CEASE);
	ck_assert_uint_eq(err.subcode, ERR_CEASE_MAX_PREFIX);
	ck_assert_uint_eq(err.datalen, sizeof(data));
	ck_assert_mem_eq(err.data, data, sizeof(data));
	ck_assert_uint_eq(A.maxpfx_calls, 1);
	ck_assert_uint_eq(A.maxpfx_minutes, 5);
}
END_TEST

/* maximum-prefix-out 2 on C: two prefixes go, the third is held back;
 * a withdrawal makes room and it goes then. */
START_TEST(t_max_prefix_out)
{
	struct seen	 v;

	ANNOUNCE(&A, &U_GW, "10.9.1.0/24", "10.9.2.0/24", "10.9.3.0/24");
	seen(&C, &v);
	ck_assert_uint_eq(v.nann, 2);
	seen(&B, &v);			/* not C's limit: */
	ck_assert_uint_eq(v.nann, 0);	/* but B is AS 64512 (t_export) */
	WITHDRAW(&A, "10.9.1.0/24");
	seen(&C, &v);
	ck_assert_uint_eq(v.nwd, 1);
	ck_assert(seen_wd(&v, "10.9.1.0/24"));
	ck_assert_uint_eq(v.nann, 1);
	ck_assert_int_ge(seen_ann(&v, "10.9.3.0/24"), 0);
}
END_TEST

/* The eBGP export rules (RFC 4271 5.1) on what A sends. */
START_TEST(t_export)
{
	struct upd	 noexp = { "64512", "169.254.116.209", -1, COMM_NO_EXPORT };
	struct upd	 noadv = { "64512", "169.254.116.209", -1,
			    COMM_NO_ADVERTISE };
	struct seen	 v;
	int		 i;

	ANNOUNCE(&A, &U_GW, "172.16.0.0/16");
	/* Not echoed to the source, nor to B: its AS is in the path. */
	seen(&A, &v);
	ck_assert_uint_eq(v.nann, 0);
	seen(&B, &v);
	ck_assert_uint_eq(v.nann, 0);
	/* C: next hop self, no LOCAL_PREF, the MED from AS 64512 dropped,
	 * our AS prepended once. */
	seen(&C, &v);
	ck_assert_int_ge(i = seen_ann(&v, "172.16.0.0/16"), 0);
	ck_assert_str_eq(addr_str(&v.ann[i].nexthop), C.local);
	ck_assert_int_eq(v.ann[i].has_lp, 0);
	ck_assert_int_eq(v.ann[i].has_med, 0);
	ck_assert_uint_eq(v.ann[i].first_as, LOCAL_AS);
	ck_assert_int_eq(v.ann[i].ours, 1);
	ck_assert_int_eq(v.ann[i].len, 2);
	/* RFC 1997 well-known communities stop it. */
	ANNOUNCE(&A, &noexp, "172.17.0.0/16");
	ANNOUNCE(&A, &noadv, "172.18.0.0/16");
	seen(&C, &v);
	ck_assert_uint_eq(v.nann, 0);
	ck_assert_int_eq(kr_nnh("172.17.0.0/16"), 1);	/* still used */
	ck_assert_int_eq(kr_nnh("172.18.0.0/16"), 1);
}
END_TEST

/* A withdrawal and a session going down reach the kernel and the other
 * neighbors in the same turn; B's path takes over in the kernel. */
START_TEST(t_withdraw_down)
{
	struct upd	 ub = { "64512 64512", "169.254.214.97", -1, 0 };
	struct seen	 v;

	ANNOUNCE(&A, &U_GW, "172.16.0.0/16", "172.19.0.0/16");
	ANNOUNCE(&B, &ub, "172.16.0.0/16");
	ck_assert_int_eq(kr_nnh("172.16.0.0/16"), 1);
	ck_assert_str_eq(addr_str(&kr[0].gw), A.addr);
	seen(&C, &v);
	WITHDRAW(&A, "172.19.0.0/16");
	ck_assert_int_eq(kr_nnh("172.19.0.0/16"), 0);
	seen(&C, &v);
	ck_assert(seen_wd(&v, "172.19.0.0/16"));
	rde_peer_down(A.rp, 0, 0);
	ck_assert_int_eq(kr_nnh("172.16.0.0/16"), 1);
	ck_assert_str_eq(addr_str(&kr[0].gw), B.addr);
	seen(&C, &v);
	/* Still announced, now with B's longer path. */
	ck_assert_int_ge(seen_ann(&v, "172.16.0.0/16"), 0);
	ck_assert_int_eq(v.ann[seen_ann(&v, "172.16.0.0/16")].len, 3);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("rde");
	TCase	*tc = tcase_create("glue");
	SRunner	*sr;
	int	 nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_8212);
	tcase_add_test(tc, t_loop_allowas);
	tcase_add_test(tc, t_max_prefix_in);
	tcase_add_test(tc, t_max_prefix_out);
	tcase_add_test(tc, t_export);
	tcase_add_test(tc, t_withdraw_down);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
