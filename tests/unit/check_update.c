/*
 * check_update: reading UPDATE messages (bgpd/update.c) with the real
 * attribute parser (bgpd/attr.c).  Valid messages of every shape tbgpd
 * meets (classic IPv4, withdrawals, MP_REACH_NLRI with 16 and 32 octet
 * next hops, MP_UNREACH_NLRI, both End-of-RIB forms, a 2-octet session
 * with AS4_PATH), the NLRI reader over a million packed prefixes, and
 * hand-built malformed input from docs/malformed-input.md rows 5-8 and
 * 11-13 (framing level), each mapped to the exact RFC 7606 action and
 * NOTIFICATION, plus row 16: ten thousand mutated UPDATEs in a row.
 */
#include <check.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgpd.h"
#include "log.h"
#include "update.h"

/* Building bodies ----------------------------------------------------- */

/* The three parts of the body under construction; mk_body() joins them. */
static struct buf	 T_wd, T_at, T_nl, T_body;
static struct update	 U;
static int		 U_used;

static void
setup(void)
{
	buf_init(&T_wd, 64, 65535);
	buf_init(&T_at, 64, 65535);
	buf_init(&T_nl, 64, 65535);
	buf_init(&T_body, 64, 3 * 65535);
	U_used = 0;
}

static void
teardown(void)
{
	if (U_used)
		update_free(&U);
	buf_free(&T_wd);
	buf_free(&T_at);
	buf_free(&T_nl);
	buf_free(&T_body);
}

/* A prefix as NLRI, written by hand (not with update_build.c). */
static void
put_pfx(struct buf *b, const char *s)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	buf_put_u8(b, p.len);
	buf_put(b, p.addr.u.raw, (p.len + 7u) / 8);
}

/* One attribute; the Extended Length flag decides the length's size. */
static void
put_attr(uint8_t flags, uint8_t code, const void *val, size_t len)
{
	buf_put_u8(&T_at, flags);
	buf_put_u8(&T_at, code);
	if (flags & ATTR_F_EXTLEN)
		buf_put_u16(&T_at, (uint16_t)len);
	else
		buf_put_u8(&T_at, (uint8_t)len);
	buf_put(&T_at, val, len);
}

static void
put_origin(uint8_t origin)
{
	put_attr(ATTR_F_TRANSITIVE, ATTR_ORIGIN, &origin, 1);
}

/* AS_SEQUENCE of one ASN, 2 or 4 octets wide. */
static void
put_aspath(int as4, uint32_t as)
{
	uint8_t	 v[6] = { AS_SEQUENCE, 1 };

	if (as4) {
		v[2] = as >> 24;
		v[3] = as >> 16;
		v[4] = as >> 8;
		v[5] = as;
	} else {
		v[2] = as >> 8;
		v[3] = as;
	}
	put_attr(ATTR_F_TRANSITIVE, ATTR_AS_PATH, v, as4 ? 6 : 4);
}

static void
put_nexthop(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	put_attr(ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, &a.u.v4, 4);
}

/* ORIGIN, AS_PATH and NEXT_HOP as AWS would send them. */
static void
put_std(int as4)
{
	put_origin(ORIGIN_IGP);
	put_aspath(as4, 64512);
	put_nexthop("169.254.10.1");
}

/* MP_REACH_NLRI for IPv6 unicast: global (and link-local) next hop and
 * the prefixes already written into nlri. */
static void
put_mp_reach6(const char *nh, const char *ll, const struct buf *nlri)
{
	struct tb_addr	 a;
	struct buf	 v;

	buf_init(&v, 64, 4096);
	buf_put_u16(&v, AFI_IPV6);
	buf_put_u8(&v, SAFI_UNICAST);
	buf_put_u8(&v, ll ? 32 : 16);
	ck_assert_int_eq(addr_parse(nh, &a), 0);
	buf_put(&v, &a.u.v6, 16);
	if (ll) {
		ck_assert_int_eq(addr_parse(ll, &a), 0);
		buf_put(&v, &a.u.v6, 16);
	}
	buf_put_u8(&v, 0);
	buf_put(&v, buf_data(nlri), buf_len(nlri));
	ck_assert_int_eq(buf_error(&v), 0);
	put_attr(ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, buf_data(&v),
	    buf_len(&v));
	buf_free(&v);
}

static void
put_mp_unreach(uint16_t afi, uint8_t safi, const struct buf *nlri)
{
	uint8_t	 v[512];
	size_t	 n = nlri ? buf_len(nlri) : 0;

	ck_assert_uint_le(n + 3, sizeof(v));
	v[0] = afi >> 8;
	v[1] = afi & 0xff;
	v[2] = safi;
	if (n)
		memcpy(v + 3, buf_data(nlri), n);
	put_attr(ATTR_F_OPTIONAL, ATTR_MP_UNREACH_NLRI, v, n + 3);
}

/* Joins the parts with their length fields. */
static void
mk_body(void)
{
	buf_reset(&T_body);
	buf_put_u16(&T_body, (uint16_t)buf_len(&T_wd));
	buf_put(&T_body, buf_data(&T_wd), buf_len(&T_wd));
	buf_put_u16(&T_body, (uint16_t)buf_len(&T_at));
	buf_put(&T_body, buf_data(&T_at), buf_len(&T_at));
	buf_put(&T_body, buf_data(&T_nl), buf_len(&T_nl));
	ck_assert_int_eq(buf_error(&T_body), 0);
	ck_assert_int_eq(buf_error(&T_wd) | buf_error(&T_at) |
	    buf_error(&T_nl), 0);
}

static const struct attr_ctx CTX4 = {
	.as4 = 1, .ebgp = 1, .peer_as = 64512, .local_as = 65000,
};
static const struct attr_ctx CTX2 = {
	.as4 = 0, .ebgp = 1, .peer_as = 64512, .local_as = 65000,
};

/* Parses bytes into U (freed by teardown). */
static int
parse_bytes(const uint8_t *p, size_t len, const struct attr_ctx *ctx)
{
	struct buf	 b;

	if (U_used)
		update_free(&U);
	U_used = 1;
	buf_view(&b, p, len);
	return update_parse(&b, ctx, &U);
}

static int
parse_ctx(const struct attr_ctx *ctx)
{
	mk_body();
	return parse_bytes(buf_data(&T_body), buf_len(&T_body), ctx);
}

static int
parse(void)
{
	return parse_ctx(&CTX4);
}

/* Expectations -------------------------------------------------------- */

static void
expect_act(enum attr_action act)
{
	ck_assert_msg(U.err.action == act, "action %d, want %d (%s)",
	    U.err.action, act, U.err.why);
}

static void
expect_ok(void)
{
	ck_assert_int_eq(parse(), 0);
	expect_act(ACT_OK);
}

static void
expect_withdraw(void)
{
	ck_assert_int_eq(parse(), 0);
	expect_act(ACT_WITHDRAW);
}

/* Session reset with code 3/sub and exactly data (datalen 0: none). */
static void
expect_reset(uint8_t sub, const void *data, size_t datalen)
{
	ck_assert_int_eq(parse(), -1);
	expect_act(ACT_RESET);
	ck_assert_uint_eq(U.err.notify.code, ERR_UPDATE);
	ck_assert_uint_eq(U.err.notify.subcode, sub);
	ck_assert_uint_eq(U.err.notify.datalen, datalen);
	if (datalen)
		ck_assert_mem_eq(U.err.notify.data, data, datalen);
}

/* Reads a whole field and compares with want[] ("p/len" strings). */
static void
expect_pfx(const struct buf *field, enum aid aid, const char **want,
    size_t n)
{
	struct tb_prefix	 p, w;
	struct buf		 b = *field;
	size_t			 i;

	for (i = 0; i < n; i++) {
		ck_assert_int_eq(nlri_get(&b, aid, &p), 1);
		ck_assert_int_eq(prefix_parse(want[i], &w), 0);
		ck_assert_msg(p.len == w.len &&
		    addr_cmp(&p.addr, &w.addr) == 0, "got %s, want %s",
		    prefix_str(&p), want[i]);
	}
	ck_assert_int_eq(nlri_get(&b, aid, &p), 0);
}

/* Valid UPDATEs ------------------------------------------------------- */

START_TEST(t_v4_announce)
{
	const char	*want[] = { "10.0.0.0/8", "192.168.1.0/24",
			    "0.0.0.0/0", "203.0.113.7/32" };
	size_t		 i;

	put_std(1);
	for (i = 0; i < 4; i++)
		put_pfx(&T_nl, want[i]);
	expect_ok();
	expect_pfx(&U.nlri, AID_IPV4_UNICAST, want, 4);
	ck_assert_uint_eq(buf_left(&U.withdrawn), 0);
	ck_assert_int_eq(U.has_reach | U.has_unreach | U.eor, 0);
	ck_assert_uint_eq(U.ndiscarded, 0);
	ck_assert_uint_eq(U.work.a.origin, ORIGIN_IGP);
	ck_assert_str_eq(addr_str(&U.work.a.nexthop), "169.254.10.1");
	ck_assert_ptr_nonnull(U.work.a.aspath);
	ck_assert_uint_eq(aspath_neighbor(U.work.a.aspath), 64512);
}
END_TEST

START_TEST(t_v4_withdraw)
{
	const char	*want[] = { "10.1.0.0/16", "172.16.0.0/12" };

	put_pfx(&T_wd, want[0]);
	put_pfx(&T_wd, want[1]);
	expect_ok();
	expect_pfx(&U.withdrawn, AID_IPV4_UNICAST, want, 2);
	ck_assert_uint_eq(buf_left(&U.nlri), 0);
	ck_assert_int_eq(U.eor, 0);
}
END_TEST

/* Withdrawals and announcements together, and attributes but no NLRI. */
START_TEST(t_v4_mixed_and_empty)
{
	const char	*w[] = { "10.9.0.0/16" }, *a[] = { "10.8.0.0/16" };

	put_pfx(&T_wd, w[0]);
	put_std(1);
	put_pfx(&T_nl, a[0]);
	expect_ok();
	expect_pfx(&U.withdrawn, AID_IPV4_UNICAST, w, 1);
	expect_pfx(&U.nlri, AID_IPV4_UNICAST, a, 1);

	/* malformed-input row 6: empty NLRI with attributes. */
	buf_reset(&T_wd);
	buf_reset(&T_nl);
	expect_ok();
	ck_assert_int_eq(U.eor, 0);
}
END_TEST

/* Host bits set are cleared, as FRR does; /0 has no octets. */
START_TEST(t_nlri_host_bits)
{
	const uint8_t	 v4[] = { 8, 10, 22, 1, 2, 3, 0, 31, 1, 1, 1, 0xff };
	const uint8_t	 v6[] = { 127, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0xff, 1, 0xff };
	const char	*w4[] = { "10.0.0.0/8", "1.2.0.0/22", "0.0.0.0/0",
			    "1.1.1.254/31" };
	const char	*w6[] = { "2001:db8::fe/127", "8000::/1" };
	struct buf	 b;

	buf_view(&b, v4, sizeof(v4));
	expect_pfx(&b, AID_IPV4_UNICAST, w4, 4);
	buf_view(&b, v6, sizeof(v6));
	expect_pfx(&b, AID_IPV6_UNICAST, w6, 2);
}
END_TEST

/* nlri_get on untrusted input: -1 and nothing consumed, no read past. */
START_TEST(t_nlri_get_bad)
{
	const uint8_t	 v4_33[] = { 33, 1, 2, 3, 4, 5 };
	const uint8_t	 v4_short[] = { 24, 10, 0 };
	const uint8_t	 v6_129[] = { 129 };
	struct tb_prefix p;
	struct buf	 b;

	buf_view(&b, v4_33, sizeof(v4_33));
	ck_assert_int_eq(nlri_get(&b, AID_IPV4_UNICAST, &p), -1);
	ck_assert_uint_eq(buf_left(&b), sizeof(v4_33));
	buf_view(&b, v4_short, sizeof(v4_short));
	ck_assert_int_eq(nlri_get(&b, AID_IPV4_UNICAST, &p), -1);
	ck_assert_uint_eq(buf_left(&b), sizeof(v4_short));
	/* The same octets are a valid /33 prefix... of nothing: IPv6 takes
	 * 5 octets for 33 bits. */
	buf_view(&b, v4_33, sizeof(v4_33));
	ck_assert_int_eq(nlri_get(&b, AID_IPV6_UNICAST, &p), 1);
	ck_assert_uint_eq(p.len, 33);
	ck_assert_uint_eq(buf_left(&b), 0);
	buf_view(&b, v6_129, sizeof(v6_129));
	ck_assert_int_eq(nlri_get(&b, AID_IPV6_UNICAST, &p), -1);
	ck_assert_int_eq(nlri_get(&b, AID_MAX, &p), -1);
}
END_TEST

START_TEST(t_mp_reach6_16)
{
	const char	*want[] = { "2001:db8::/32", "2001:db8:1:2::/64",
			    "::/0" };
	struct buf	 nl;
	size_t		 i;

	buf_init(&nl, 64, 4096);
	for (i = 0; i < 3; i++)
		put_pfx(&nl, want[i]);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	buf_free(&nl);
	expect_ok();		/* no NEXT_HOP needed (RFC 4760 3) */
	ck_assert_int_eq(U.has_reach, 1);
	ck_assert_int_eq(U.reach_aid, AID_IPV6_UNICAST);
	ck_assert_str_eq(addr_str(&U.mp_nexthop), "2001:db8::1");
	ck_assert_uint_eq(U.mp_nexthop_ll.af, 0);
	expect_pfx(&U.reach_nlri, AID_IPV6_UNICAST, want, 3);
	ck_assert_uint_eq(buf_left(&U.nlri), 0);
}
END_TEST

START_TEST(t_mp_reach6_32)
{
	const char	*want[] = { "2001:db8:ffff::/48" };
	struct buf	 nl;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, want[0]);
	put_origin(ORIGIN_INCOMPLETE);
	put_aspath(1, 64512);
	put_mp_reach6("2001:db8::1", "fe80::1:2", &nl);
	buf_free(&nl);
	expect_ok();
	ck_assert_int_eq(U.has_reach, 1);
	ck_assert_str_eq(addr_str(&U.mp_nexthop), "2001:db8::1");
	ck_assert_str_eq(addr_str(&U.mp_nexthop_ll), "fe80::1:2");
	expect_pfx(&U.reach_nlri, AID_IPV6_UNICAST, want, 1);
}
END_TEST

/* RFC 4760 3: a NEXT_HOP beside MP_REACH_NLRI only is ignored, even a
 * bad one: it must not withdraw the IPv6 routes. */
START_TEST(t_mp_reach6_stray_nexthop)
{
	struct buf	 nl;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, "2001:db8::/32");
	put_mp_reach6("2001:db8::1", NULL, &nl);
	buf_free(&nl);
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	put_nexthop("0.0.0.0");
	ck_assert_int_eq(parse(), 0);
	expect_act(ACT_DISCARD);
	ck_assert_uint_eq(U.ndiscarded, 1);
	ck_assert_int_eq(U.has_reach, 1);
	/* The same NEXT_HOP with classic NLRI: treat-as-withdraw. */
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_withdraw();
}
END_TEST

/* IPv4 unicast in MP_REACH_NLRI (4-octet next hop) is carried too. */
START_TEST(t_mp_reach4)
{
	const uint8_t	 v[] = { 0, 1, 1, 4, 169, 254, 0, 9, 0, 24, 10, 1,
			    2 };
	const char	*want[] = { "10.1.2.0/24" };

	put_attr(ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, v, sizeof(v));
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	expect_ok();
	ck_assert_int_eq(U.reach_aid, AID_IPV4_UNICAST);
	ck_assert_str_eq(addr_str(&U.mp_nexthop), "169.254.0.9");
	expect_pfx(&U.reach_nlri, AID_IPV4_UNICAST, want, 1);
}
END_TEST

START_TEST(t_mp_unreach6)
{
	const char	*want[] = { "2001:db8:1::/48", "2001:db8:2::/47" };
	struct buf	 nl;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, want[0]);
	put_pfx(&nl, want[1]);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, &nl);
	buf_free(&nl);
	expect_ok();		/* RFC 4760 4: nothing else needed */
	ck_assert_int_eq(U.has_unreach, 1);
	ck_assert_int_eq(U.has_reach, 0);
	ck_assert_int_eq(U.unreach_aid, AID_IPV6_UNICAST);
	expect_pfx(&U.unreach_nlri, AID_IPV6_UNICAST, want, 2);
	ck_assert_int_eq(U.eor, 0);
}
END_TEST

START_TEST(t_eor_v4)
{
	const uint8_t	 eor[] = { 0, 0, 0, 0 };

	ck_assert_int_eq(parse_bytes(eor, sizeof(eor), &CTX4), 0);
	expect_act(ACT_OK);
	ck_assert_int_eq(U.eor, 1);
	ck_assert_int_eq(U.eor_aid, AID_IPV4_UNICAST);
}
END_TEST

START_TEST(t_eor_mp)
{
	const uint8_t	 eor[] = { 0, 0, 0, 6, 0x80, 15, 3, 0, 2, 1 };

	ck_assert_int_eq(parse_bytes(eor, sizeof(eor), &CTX4), 0);
	expect_act(ACT_OK);
	ck_assert_int_eq(U.eor, 1);
	ck_assert_int_eq(U.eor_aid, AID_IPV6_UNICAST);
	ck_assert_int_eq(U.has_unreach, 1);
	ck_assert_uint_eq(buf_left(&U.unreach_nlri), 0);
}
END_TEST

/* Look-alikes that are not End-of-RIB. */
START_TEST(t_not_eor)
{
	/* An empty MP_UNREACH_NLRI with another attribute. */
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, NULL);
	put_origin(ORIGIN_IGP);
	expect_ok();
	ck_assert_int_eq(U.eor, 0);
	/* An empty MP_UNREACH_NLRI and a classic withdrawal. */
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, NULL);
	put_pfx(&T_wd, "10.0.0.0/8");
	expect_ok();
	ck_assert_int_eq(U.eor, 0);
	/* Not a family we carry (IPv4 multicast): ignored, no EoR. */
	buf_reset(&T_at);
	buf_reset(&T_wd);
	put_mp_unreach(AFI_IPV4, 2, NULL);
	expect_ok();
	ck_assert_int_eq(U.eor, 0);
	ck_assert_int_eq(U.has_unreach, 0);
}
END_TEST

/* RFC 6793 4.2.3: a 2-octet session; AS_TRANS in AS_PATH stands for
 * the 4-octet ASN that AS4_PATH carries. */
START_TEST(t_as4_path_2octet)
{
	const uint8_t	 as2[] = { AS_SEQUENCE, 2, 0xfc, 0x00, 0x5b, 0xa0 };
	const uint8_t	 as4[] = { AS_SEQUENCE, 1, 0xfa, 0x56, 0xea, 0x00 };
	struct buf	 txt;

	put_origin(ORIGIN_IGP);
	put_attr(ATTR_F_TRANSITIVE, ATTR_AS_PATH, as2, sizeof(as2));
	put_nexthop("169.254.10.1");
	put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_AS4_PATH, as4,
	    sizeof(as4));
	put_pfx(&T_nl, "10.0.0.0/8");
	ck_assert_int_eq(parse_ctx(&CTX2), 0);
	expect_act(ACT_OK);
	ck_assert_ptr_nonnull(U.work.a.aspath);
	ck_assert_ptr_null(U.work.as4_path);
	ck_assert_uint_eq(aspath_neighbor(U.work.a.aspath), 64512);
	ck_assert_uint_eq(aspath_origin_as(U.work.a.aspath), 4200000000u);
	buf_init(&txt, 64, 256);
	aspath_print(&txt, U.work.a.aspath);
	buf_put_u8(&txt, 0);
	ck_assert_str_eq((const char *)buf_data(&txt), "64512 4200000000");
	buf_free(&txt);
}
END_TEST

/* malformed-input row 13: AS4_PATH on a 4-octet session is ignored. */
START_TEST(t_as4_path_on_as4_session)
{
	const uint8_t	 as4[] = { AS_SEQUENCE, 1, 0xfa, 0x56, 0xea, 0x00 };

	put_std(1);
	put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_AS4_PATH, as4,
	    sizeof(as4));
	put_pfx(&T_nl, "10.0.0.0/8");
	ck_assert_int_eq(parse(), 0);
	ck_assert_int_le(U.err.action, ACT_DISCARD);
	ck_assert_uint_eq(aspath_neighbor(U.work.a.aspath), 64512);
}
END_TEST

START_TEST(t_aid)
{
	enum aid	 aid;
	uint16_t	 afi;
	uint8_t		 safi;
	int		 i;

	for (i = 0; i < AID_MAX; i++) {
		aid_to_afi((enum aid)i, &afi, &safi);
		ck_assert_int_eq(aid_from_afi(afi, safi, &aid), 0);
		ck_assert_int_eq(aid, i);
	}
	ck_assert_int_eq(aid_from_afi(AFI_IPV4, SAFI_UNICAST, &aid), 0);
	ck_assert_int_eq(aid, AID_IPV4_UNICAST);
	ck_assert_int_eq(aid_from_afi(AFI_IPV6, SAFI_UNICAST, &aid), 0);
	ck_assert_int_eq(aid, AID_IPV6_UNICAST);
	ck_assert_int_eq(aid_from_afi(AFI_IPV4, 2, &aid), -1);
	ck_assert_int_eq(aid_from_afi(25, SAFI_UNICAST, &aid), -1);
	ck_assert_str_eq(aid_name(AID_IPV4_UNICAST), "IPv4 Unicast");
	ck_assert_str_eq(aid_name(AID_IPV6_UNICAST), "IPv6 Unicast");
	ck_assert_int_eq(aid_af(AID_IPV4_UNICAST), AF_INET);
	ck_assert_int_eq(aid_af(AID_IPV6_UNICAST), AF_INET6);
}
END_TEST

/* About a million prefixes packed back to back, as a full table of
 * IPv4 /24s and IPv6 /48s would be, read with nlri_get (no timing). */
#define NPFX	(1u << 20)
START_TEST(t_nlri_million)
{
	struct tb_prefix	 p;
	struct buf		 w, b;
	uint32_t		 i, n = 0, sum = 0, want = 0;

	ck_assert_int_eq(buf_init(&w, 4 * NPFX, 4 * NPFX), 0);
	for (i = 0; i < NPFX; i++) {
		buf_put_u8(&w, 24);
		buf_put_u8(&w, 1 + (i >> 16));
		buf_put_u8(&w, (i >> 8) & 0xff);
		buf_put_u8(&w, i & 0xff);
		want += (1 + (i >> 16)) ^ (i & 0xffff);
	}
	ck_assert_int_eq(buf_error(&w), 0);
	buf_view(&b, buf_data(&w), buf_len(&w));
	while (nlri_get(&b, AID_IPV4_UNICAST, &p) == 1) {
		ck_assert(p.len == 24 && p.addr.u.raw[3] == 0);
		sum += p.addr.u.raw[0] ^ (p.addr.u.raw[1] << 8 |
		    p.addr.u.raw[2]);
		n++;
	}
	ck_assert_uint_eq(n, NPFX);
	ck_assert_uint_eq(sum, want);
	ck_assert_uint_eq(buf_left(&b), 0);
	buf_free(&w);
}
END_TEST

/* Row 5: UPDATE framing --------------------------------------------- */

/* RFC 4271 6.3: lengths past the message are a Malformed Attribute
 * List (3/1) with no data; RFC 7606 keeps that a session reset. */
START_TEST(t_withdrawn_len_past)
{
	const uint8_t	 b1[] = { 0, 5, 24, 10, 0, 0, 0, 0 };
	const uint8_t	 b2[] = { 0 };
	const uint8_t	 b3[] = { 0, 0, 0 };
	const uint8_t	*bodies[] = { b1, b2, b3 };
	size_t		 lens[] = { sizeof(b1), sizeof(b2), sizeof(b3) };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(parse_bytes(bodies[i], lens[i], &CTX4), -1);
		expect_act(ACT_RESET);
		ck_assert_uint_eq(U.err.notify.code, ERR_UPDATE);
		ck_assert_uint_eq(U.err.notify.subcode, ERR_UPD_ATTRLIST);
		ck_assert_uint_eq(U.err.notify.datalen, 0);
	}
}
END_TEST

START_TEST(t_attr_len_past)
{
	const uint8_t	 b[] = { 0, 0, 0, 8, 0x40, 1, 1, 0 };

	ck_assert_int_eq(parse_bytes(b, sizeof(b), &CTX4), -1);
	ck_assert_uint_eq(U.err.notify.subcode, ERR_UPD_ATTRLIST);
	/* Total length 0xffff in a small message. */
	put_std(1);
	mk_body();
	buf_set_u16_at(&T_body, 2, 0xffff);
	ck_assert_int_eq(parse_bytes(buf_data(&T_body), buf_len(&T_body),
	    &CTX4), -1);
	ck_assert_uint_eq(U.err.notify.code, ERR_UPDATE);
	ck_assert_uint_eq(U.err.notify.subcode, ERR_UPD_ATTRLIST);
}
END_TEST

/* RFC 7606 4: an attribute running past the block is treat-as-withdraw
 * and the NLRI is still found through the Total Attribute Length. */
START_TEST(t_attr_overrun_withdraw)
{
	const uint8_t	 med[] = { 0x80, ATTR_MED, 200, 0, 0 };
	const char	*want[] = { "10.0.0.0/8" };

	put_std(1);
	buf_put(&T_at, med, sizeof(med));
	put_pfx(&T_nl, want[0]);
	expect_withdraw();
	expect_pfx(&U.nlri, AID_IPV4_UNICAST, want, 1);
}
END_TEST

/* Fewer than 3 octets (4 with Extended Length) left for a header. */
START_TEST(t_attr_short_header)
{
	const uint8_t	 two[] = { 0x40, ATTR_ORIGIN };
	const uint8_t	 one[] = { 0xc0 };
	const uint8_t	 ext3[] = { 0x50, ATTR_AS_PATH, 0 };
	const uint8_t	*tails[] = { two, one, ext3 };
	size_t		 lens[] = { 2, 1, 3 }, i;
	const char	*want[] = { "192.0.2.0/24" };

	for (i = 0; i < 3; i++) {
		buf_reset(&T_at);
		buf_reset(&T_nl);
		put_std(1);
		buf_put(&T_at, tails[i], lens[i]);
		put_pfx(&T_nl, want[0]);
		expect_withdraw();
		expect_pfx(&U.nlri, AID_IPV4_UNICAST, want, 1);
	}
}
END_TEST

/* The broken attribute carries NLRI: they cannot be located, so the
 * session is reset (RFC 7606 3.j) with 3/9 and what is left as data. */
START_TEST(t_attr_overrun_mp)
{
	const uint8_t	 reach[] = { 0x80, ATTR_MP_REACH_NLRI, 40, 0, 2, 1,
			    16, 0x20, 1 };
	const uint8_t	 unreach_hdr[] = { 0x90, ATTR_MP_UNREACH_NLRI, 0 };

	put_std(1);
	buf_put(&T_at, reach, sizeof(reach));
	expect_reset(ERR_UPD_OPTATTR, reach, sizeof(reach));
	buf_reset(&T_at);
	put_origin(ORIGIN_IGP);
	buf_put(&T_at, unreach_hdr, sizeof(unreach_hdr));
	expect_reset(ERR_UPD_OPTATTR, unreach_hdr, sizeof(unreach_hdr));
}
END_TEST

/* Row 6: zero lengths ------------------------------------------------ */

START_TEST(t_zero_length_mp_nexthop)
{
	const uint8_t	 a[] = { 0x80, ATTR_MP_REACH_NLRI, 6, 0, 2, 1, 0, 0,
			    0 };
	const uint8_t	 z[] = { 0x80, ATTR_MP_REACH_NLRI, 0 };
	const uint8_t	 zu[] = { 0x80, ATTR_MP_UNREACH_NLRI, 0 };

	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	buf_put(&T_at, a, sizeof(a));
	expect_reset(ERR_UPD_OPTATTR, a, sizeof(a));
	buf_reset(&T_at);
	buf_put(&T_at, z, sizeof(z));
	expect_reset(ERR_UPD_OPTATTR, z, sizeof(z));
	buf_reset(&T_at);
	buf_put(&T_at, zu, sizeof(zu));
	expect_reset(ERR_UPD_OPTATTR, zu, sizeof(zu));
}
END_TEST

/* RFC 7606 4 / 7.1: a zero-length ORIGIN is malformed, treat-as-withdraw. */
START_TEST(t_zero_length_origin)
{
	put_attr(ATTR_F_TRANSITIVE, ATTR_ORIGIN, NULL, 0);
	put_aspath(1, 64512);
	put_nexthop("169.254.10.1");
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_withdraw();
}
END_TEST

/* Row 7: missing mandatory attributes -------------------------------- */

START_TEST(t_missing_mandatory)
{
	int	 drop;

	/* Each of ORIGIN, AS_PATH, NEXT_HOP missing in turn. */
	for (drop = 0; drop < 3; drop++) {
		buf_reset(&T_at);
		buf_reset(&T_nl);
		if (drop != 0)
			put_origin(ORIGIN_IGP);
		if (drop != 1)
			put_aspath(1, 64512);
		if (drop != 2)
			put_nexthop("169.254.10.1");
		put_pfx(&T_nl, "10.0.0.0/8");
		expect_withdraw();
		ck_assert_uint_eq(U.err.notify.subcode,
		    ERR_UPD_MISSNG_WK_ATTR);
		ck_assert_uint_eq(U.err.notify.datalen, 1);
		ck_assert_uint_eq(U.err.notify.data[0], drop + 1);
	}
}
END_TEST

/* Only an unknown optional transitive attribute, with NLRI. */
START_TEST(t_missing_only_unknown)
{
	const uint8_t	 v[] = { 1, 2, 3, 4 };

	put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, 99, v, sizeof(v));
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_withdraw();
}
END_TEST

/* MP_REACH_NLRI needs ORIGIN and AS_PATH but not NEXT_HOP. */
START_TEST(t_missing_mp)
{
	struct buf	 nl;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, "2001:db8::/32");
	put_mp_reach6("2001:db8::1", NULL, &nl);
	put_aspath(1, 64512);
	expect_withdraw();
	ck_assert_int_eq(U.has_reach, 1);	/* located for the withdraw */
	buf_reset(&T_at);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	put_origin(ORIGIN_IGP);
	expect_withdraw();
	/* No prefixes in MP_REACH_NLRI: nothing is announced. */
	buf_reset(&T_at);
	buf_reset(&nl);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	expect_ok();
	buf_free(&nl);
}
END_TEST

/* Row 8: MP_REACH_NLRI / MP_UNREACH_NLRI ---------------------------- */

/* The next hop length the family does not allow: 3/9 with the whole
 * attribute as data (RFC 7606 7.11, RFC 4760 7). */
START_TEST(t_mp_nexthop_len)
{
	uint8_t		 a[64] = { 0x80, ATTR_MP_REACH_NLRI };
	const struct {
		uint16_t afi;
		uint8_t	 nhlen;
	} bad[] = {
		{ AFI_IPV6, 4 }, { AFI_IPV6, 12 }, { AFI_IPV6, 24 },
		{ AFI_IPV6, 48 }, { AFI_IPV4, 16 }, { AFI_IPV4, 12 },
		{ AFI_IPV4, 32 }, { AFI_IPV4, 3 },
	};
	size_t		 i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&T_at);
		len = 4 + bad[i].nhlen + 1;
		memset(a + 3, 0, sizeof(a) - 3);
		a[2] = (uint8_t)len;
		a[4] = (uint8_t)bad[i].afi;
		a[5] = SAFI_UNICAST;
		a[6] = bad[i].nhlen;
		put_origin(ORIGIN_IGP);
		buf_put(&T_at, a, 3 + len);
		expect_reset(ERR_UPD_OPTATTR, a, 3 + len);
	}
}
END_TEST

/* Next hop past the attribute; no room for the reserved octet; AFI
 * without SAFI. */
START_TEST(t_mp_truncated)
{
	const uint8_t	 nh[] = { 0x80, ATTR_MP_REACH_NLRI, 12, 0, 2, 1, 16,
			    0x20, 1, 0xd, 0xb8, 0, 0, 0, 0 };
	const uint8_t	 rsv[] = { 0x80, ATTR_MP_REACH_NLRI, 8, 0, 1, 1, 4,
			    10, 0, 0, 1 };
	const uint8_t	 un[] = { 0x80, ATTR_MP_UNREACH_NLRI, 2, 0, 2 };

	buf_put(&T_at, nh, sizeof(nh));
	expect_reset(ERR_UPD_OPTATTR, nh, sizeof(nh));
	buf_reset(&T_at);
	buf_put(&T_at, rsv, sizeof(rsv));
	expect_reset(ERR_UPD_OPTATTR, rsv, sizeof(rsv));
	buf_reset(&T_at);
	buf_put(&T_at, un, sizeof(un));
	expect_reset(ERR_UPD_OPTATTR, un, sizeof(un));
}
END_TEST

/* NLRI syntax (RFC 7606 5.3): 3/10 in any of the four fields. */
START_TEST(t_nlri_invalid)
{
	const uint8_t	 long6[] = { 129, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0, 0, 0 };
	const uint8_t	 trunc6[] = { 64, 0x20, 1, 0xd, 0xb8 };
	const uint8_t	 long4[] = { 33, 10, 0, 0, 0, 0 };
	const uint8_t	 trunc4[] = { 24, 10, 0 };
	struct buf	 nl;

	/* classic NLRI, then withdrawn routes */
	put_std(1);
	buf_put(&T_nl, long4, sizeof(long4));
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_nl);
	buf_put(&T_nl, trunc4, sizeof(trunc4));
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_nl);
	buf_put(&T_wd, trunc4, sizeof(trunc4));
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_wd);
	buf_put(&T_wd, long4, sizeof(long4));
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_wd);

	/* MP_REACH_NLRI and MP_UNREACH_NLRI */
	buf_init(&nl, 64, 4096);
	buf_put(&nl, long6, sizeof(long6));
	buf_reset(&T_at);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, &nl);
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&nl);
	buf_put(&nl, trunc6, sizeof(trunc6));
	buf_reset(&T_at);
	put_mp_reach6("2001:db8::1", "fe80::1", &nl);
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, &nl);
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	/* A /33 is fine for IPv6 but not in an IPv4 MP_UNREACH_NLRI. */
	buf_reset(&nl);
	buf_put(&nl, long4, sizeof(long4));
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV4, SAFI_UNICAST, &nl);
	expect_reset(ERR_UPD_NETWORK, NULL, 0);
	buf_free(&nl);
}
END_TEST

/* An AFI/SAFI we do not carry is skipped whole, whatever it holds. */
START_TEST(t_mp_unknown_family)
{
	const uint8_t	 vpn[] = { 0, 1, 128, 12, 0, 0, 0, 0, 0, 0, 0, 0,
			    10, 0, 0, 1, 0, 0xff, 0xff };
	const char	*want[] = { "10.0.0.0/8" };

	put_attr(ATTR_F_OPTIONAL, ATTR_MP_REACH_NLRI, vpn, sizeof(vpn));
	put_std(1);
	put_pfx(&T_nl, want[0]);
	expect_ok();
	ck_assert_int_eq(U.has_reach, 0);
	expect_pfx(&U.nlri, AID_IPV4_UNICAST, want, 1);
}
END_TEST

/* Row 11: attribute flags -------------------------------------------- */

/* Wrong Optional/Transitive bits on MP_REACH_NLRI: treat-as-withdraw
 * (RFC 7606 3.c) with the NLRI still located. */
START_TEST(t_flags_mp)
{
	const char	*want[] = { "2001:db8::/32" };
	struct buf	 nl;
	uint8_t		*p;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, want[0]);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	buf_free(&nl);
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	mk_body();
	p = (uint8_t *)(uintptr_t)buf_data(&T_body);
	p[4] = ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE;
	ck_assert_int_eq(parse_bytes(p, buf_len(&T_body), &CTX4), 0);
	expect_act(ACT_WITHDRAW);
	ck_assert_int_eq(U.has_reach, 1);
	expect_pfx(&U.reach_nlri, AID_IPV6_UNICAST, want, 1);
	p[4] = 0;			/* well-known: also wrong */
	ck_assert_int_eq(parse_bytes(p, buf_len(&T_body), &CTX4), 0);
	expect_act(ACT_WITHDRAW);
}
END_TEST

START_TEST(t_flags_well_known)
{
	uint8_t	 o = ORIGIN_IGP;

	put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_ORIGIN, &o, 1);
	put_aspath(1, 64512);
	put_nexthop("169.254.10.1");
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_withdraw();
}
END_TEST

/* Unused low bits are ignored; Extended Length on a short attribute is
 * accepted. */
START_TEST(t_flags_tolerated)
{
	uint8_t	 o = ORIGIN_EGP;

	put_attr(ATTR_F_TRANSITIVE | 0x0f, ATTR_ORIGIN, &o, 1);
	put_aspath(1, 64512);
	put_attr(ATTR_F_TRANSITIVE | ATTR_F_EXTLEN, ATTR_NEXT_HOP,
	    "\xa9\xfe\x0a\x01", 4);
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_ok();
	ck_assert_uint_eq(U.work.a.origin, ORIGIN_EGP);
	ck_assert_str_eq(addr_str(&U.work.a.nexthop), "169.254.10.1");
}
END_TEST

/* RFC 4271 6.3 (not revised by RFC 7606): an unrecognized well-known
 * attribute is 3/2 with the attribute as data. */
START_TEST(t_unknown_well_known)
{
	const uint8_t	 a[] = { ATTR_F_TRANSITIVE, 200, 2, 0xab, 0xcd };

	put_std(1);
	buf_put(&T_at, a, sizeof(a));
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_reset(ERR_UPD_UNKNWN_WK_ATTR, a, sizeof(a));
}
END_TEST

/* Row 12: duplicates ------------------------------------------------- */

/* RFC 7606 3.g: the first stays, the rest are discarded unread. */
START_TEST(t_dup_discard)
{
	const uint8_t	 junk[] = { 9, 9, 9, 9, 9 };

	put_std(1);
	put_origin(ORIGIN_INCOMPLETE);
	put_attr(ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, junk, sizeof(junk));
	put_pfx(&T_nl, "10.0.0.0/8");
	ck_assert_int_eq(parse(), 0);
	expect_act(ACT_DISCARD);
	ck_assert_uint_eq(U.ndiscarded, 2);
	ck_assert_uint_eq(U.work.a.origin, ORIGIN_IGP);
	ck_assert_str_eq(addr_str(&U.work.a.nexthop), "169.254.10.1");
}
END_TEST

START_TEST(t_dup_mp)
{
	struct buf	 nl;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, "2001:db8::/32");
	put_mp_reach6("2001:db8::1", NULL, &nl);
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	put_mp_reach6("2001:db8::2", NULL, &nl);
	expect_reset(ERR_UPD_ATTRLIST, NULL, 0);
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, &nl);
	put_mp_unreach(AFI_IPV4, SAFI_UNICAST, NULL);
	expect_reset(ERR_UPD_ATTRLIST, NULL, 0);
	/* One of each is fine. */
	buf_reset(&T_at);
	put_mp_unreach(AFI_IPV4, SAFI_UNICAST, NULL);
	put_mp_reach6("2001:db8::1", NULL, &nl);
	put_origin(ORIGIN_IGP);
	put_aspath(1, 64512);
	expect_ok();
	ck_assert_int_eq(U.has_reach & U.has_unreach, 1);
	buf_free(&nl);
}
END_TEST

/* RFC 7606 3.h: the worst action wins, whatever the order. */
START_TEST(t_worst_wins)
{
	const uint8_t	 badseg[] = { AS_SEQUENCE, 0 };
	uint8_t		 o = ORIGIN_IGP;

	/* discard (duplicate) then withdraw (bad AS_PATH) */
	put_origin(ORIGIN_IGP);
	put_origin(ORIGIN_IGP);
	put_attr(ATTR_F_TRANSITIVE, ATTR_AS_PATH, badseg, sizeof(badseg));
	put_nexthop("169.254.10.1");
	put_pfx(&T_nl, "10.0.0.0/8");
	expect_withdraw();
	ck_assert_uint_eq(U.ndiscarded, 1);
	/* withdraw (ORIGIN flags) then discard (LOCAL_PREF from an eBGP
	 * peer, RFC 7606 7.5): still withdraw, and the first reason */
	buf_reset(&T_at);
	put_attr(ATTR_F_OPTIONAL, ATTR_ORIGIN, &o, 1);
	put_aspath(1, 64512);
	put_nexthop("169.254.10.1");
	put_attr(ATTR_F_TRANSITIVE, ATTR_LOCAL_PREF, "\0\0\0\x64", 4);
	expect_withdraw();
	ck_assert_uint_eq(U.ndiscarded, 1);
	ck_assert_uint_eq(U.err.notify.subcode, ERR_UPD_ATTRFLAGS);
	ck_assert_ptr_nonnull(strstr(U.err.why, "ORIGIN"));
	/* withdraw (flags) then reset (MP twice) */
	buf_reset(&T_at);
	put_attr(ATTR_F_OPTIONAL, ATTR_ORIGIN, &o, 1);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, NULL);
	put_mp_unreach(AFI_IPV6, SAFI_UNICAST, NULL);
	expect_reset(ERR_UPD_ATTRLIST, NULL, 0);
}
END_TEST

/* Row 13: AS_PATH framing -------------------------------------------- */

START_TEST(t_aspath_framing)
{
	const uint8_t	 zero[] = { AS_SEQUENCE, 0 };
	const uint8_t	 past[] = { AS_SEQUENCE, 3, 0, 1, 0, 2 };
	const uint8_t	 type[] = { 7, 1, 0, 1, 0, 2 };
	const uint8_t	*segs[] = { zero, past, type };
	size_t		 lens[] = { 2, 6, 4 }, i;

	for (i = 0; i < 3; i++) {
		buf_reset(&T_at);
		buf_reset(&T_nl);
		put_origin(ORIGIN_IGP);
		put_attr(ATTR_F_TRANSITIVE, ATTR_AS_PATH, segs[i], lens[i]);
		put_nexthop("169.254.10.1");
		put_pfx(&T_nl, "10.0.0.0/8");
		ck_assert_int_eq(parse_ctx(&CTX2), 0);
		expect_act(ACT_WITHDRAW);
	}
}
END_TEST

/* Row 16: many malformed UPDATEs in a row ---------------------------- */

static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* A valid body of each shape, to be mutated. */
static void
seed_bodies(struct buf *seeds, size_t n)
{
	struct buf	 nl;
	size_t		 i;

	buf_init(&nl, 64, 4096);
	put_pfx(&nl, "2001:db8::/32");
	put_pfx(&nl, "2001:db8:1::/48");
	for (i = 0; i < n; i++) {
		buf_reset(&T_wd);
		buf_reset(&T_at);
		buf_reset(&T_nl);
		if (i % 4 == 0)
			put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
			    ATTR_COMMUNITIES, "\xfc\x00\x00\x01\xff\xff"
			    "\xff\x01", 8);
		if (i % 4 == 3)
			put_attr(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, 99,
			    "\x01\x02\x03", 3);
		if (i % 4 == 0 || i % 4 == 3) {
			put_std(i % 2);
			put_pfx(&T_nl, "10.0.0.0/8");
			put_pfx(&T_nl, "192.0.2.0/24");
		}
		if (i % 4 == 1) {
			put_mp_reach6("2001:db8::1", "fe80::1", &nl);
			put_origin(ORIGIN_IGP);
			put_aspath(1, 64512);
		}
		if (i % 4 == 2)
			put_mp_unreach(AFI_IPV6, SAFI_UNICAST, &nl);
		if (i % 4 == 3)
			put_pfx(&T_wd, "172.16.0.0/12");
		mk_body();
		buf_init(&seeds[i], 64, 4096);
		buf_put(&seeds[i], buf_data(&T_body), buf_len(&T_body));
	}
	buf_free(&nl);
}

static void
mutate(uint8_t *p, size_t *len, uint32_t *s)
{
	int	 k, n = 1 + rnd(s) % 4;

	for (k = 0; k < n && *len > 0; k++) {
		switch (rnd(s) % 4) {
		case 0:		/* a random octet anywhere */
			p[rnd(s) % *len] = (uint8_t)rnd(s);
			break;
		case 1:		/* a small change to an octet */
			p[rnd(s) % *len] += (uint8_t)(rnd(s) % 5) - 2;
			break;
		case 2:		/* cut the message short */
			*len = rnd(s) % *len;
			break;
		default:	/* a length-like octet turned big */
			p[rnd(s) % *len] = 0xff;
		}
	}
}

/* Every field the verdict leaves usable reads to its end without error,
 * inside the body, and the number of prefixes is bounded by its size. */
static void
check_fields(const uint8_t *p, size_t len)
{
	const struct buf	*f[4] = { &U.withdrawn, &U.nlri,
				    &U.reach_nlri, &U.unreach_nlri };
	enum aid		 a[4] = { AID_IPV4_UNICAST, AID_IPV4_UNICAST,
				    U.reach_aid, U.unreach_aid };
	struct tb_prefix	 pfx;
	struct buf		 b;
	size_t			 i, n;
	int			 r;

	for (i = 0; i < 4; i++) {
		if (buf_left(f[i]) == 0)
			continue;
		ck_assert(buf_rptr(f[i]) >= p &&
		    buf_rptr(f[i]) + buf_left(f[i]) <= p + len);
		b = *f[i];
		n = 0;
		while ((r = nlri_get(&b, a[i], &pfx)) == 1)
			n++;
		ck_assert_int_eq(r, 0);
		ck_assert_uint_le(n, buf_left(f[i]));
	}
}

START_TEST(t_many_malformed)
{
	struct buf	 seeds[4];
	uint8_t		 m[512];
	size_t		 len, i, nreset = 0, nok = 0;
	uint32_t	 s = 7;
	int		 r;

	seed_bodies(seeds, 4);
	ck_assert_uint_eq(aspath_total() + comms_total(), 0);
	for (i = 0; i < 10000; i++) {
		len = buf_len(&seeds[i % 4]);
		ck_assert_uint_le(len, sizeof(m));
		memcpy(m, buf_data(&seeds[i % 4]), len);
		mutate(m, &len, &s);
		r = parse_bytes(m, len, i % 3 ? &CTX4 : &CTX2);
		ck_assert_int_eq(r == -1, U.err.action == ACT_RESET);
		if (r == -1) {
			ck_assert_uint_eq(U.err.notify.code, ERR_UPDATE);
			ck_assert(U.err.notify.subcode >= ERR_UPD_ATTRLIST &&
			    U.err.notify.subcode <= ERR_UPD_ASPATH);
			ck_assert_uint_le(U.err.notify.datalen, len);
			nreset++;
			continue;
		}
		ck_assert(U.err.action <= ACT_WITHDRAW);
		if (U.err.action == ACT_OK)
			nok++;
		check_fields(m, len);
	}
	/* Every reference the parses took was given back. */
	update_free(&U);
	U_used = 0;
	ck_assert_uint_eq(aspath_total(), 0);
	ck_assert_uint_eq(comms_total(), 0);
	/* The mutations reach both ends of the verdicts. */
	ck_assert_uint_gt(nreset, 100);
	ck_assert_uint_gt(nok, 100);
	for (i = 0; i < 4; i++)
		buf_free(&seeds[i]);
}
END_TEST

/* Suite --------------------------------------------------------------- */

static Suite *
update_suite(void)
{
	Suite	*s = suite_create("update");
	TCase	*ok = tcase_create("valid");
	TCase	*fr = tcase_create("framing");
	TCase	*mp = tcase_create("mp");
	TCase	*at = tcase_create("attributes");
	TCase	*many = tcase_create("many");

	tcase_add_checked_fixture(ok, setup, teardown);
	tcase_add_checked_fixture(fr, setup, teardown);
	tcase_add_checked_fixture(mp, setup, teardown);
	tcase_add_checked_fixture(at, setup, teardown);
	tcase_add_checked_fixture(many, setup, teardown);
	tcase_set_timeout(ok, 60);
	tcase_set_timeout(many, 60);
	tcase_add_test(ok, t_v4_announce);
	tcase_add_test(ok, t_v4_withdraw);
	tcase_add_test(ok, t_v4_mixed_and_empty);
	tcase_add_test(ok, t_nlri_host_bits);
	tcase_add_test(ok, t_nlri_get_bad);
	tcase_add_test(ok, t_mp_reach6_16);
	tcase_add_test(ok, t_mp_reach6_32);
	tcase_add_test(ok, t_mp_reach6_stray_nexthop);
	tcase_add_test(ok, t_mp_reach4);
	tcase_add_test(ok, t_mp_unreach6);
	tcase_add_test(ok, t_eor_v4);
	tcase_add_test(ok, t_eor_mp);
	tcase_add_test(ok, t_not_eor);
	tcase_add_test(ok, t_as4_path_2octet);
	tcase_add_test(ok, t_as4_path_on_as4_session);
	tcase_add_test(ok, t_aid);
	tcase_add_test(ok, t_nlri_million);
	tcase_add_test(fr, t_withdrawn_len_past);
	tcase_add_test(fr, t_attr_len_past);
	tcase_add_test(fr, t_attr_overrun_withdraw);
	tcase_add_test(fr, t_attr_short_header);
	tcase_add_test(fr, t_attr_overrun_mp);
	tcase_add_test(fr, t_zero_length_mp_nexthop);
	tcase_add_test(fr, t_zero_length_origin);
	tcase_add_test(mp, t_mp_nexthop_len);
	tcase_add_test(mp, t_mp_truncated);
	tcase_add_test(mp, t_nlri_invalid);
	tcase_add_test(mp, t_mp_unknown_family);
	tcase_add_test(mp, t_flags_mp);
	tcase_add_test(mp, t_dup_mp);
	tcase_add_test(at, t_missing_mandatory);
	tcase_add_test(at, t_missing_only_unknown);
	tcase_add_test(at, t_missing_mp);
	tcase_add_test(at, t_flags_well_known);
	tcase_add_test(at, t_flags_tolerated);
	tcase_add_test(at, t_unknown_well_known);
	tcase_add_test(at, t_dup_discard);
	tcase_add_test(at, t_worst_wins);
	tcase_add_test(at, t_aspath_framing);
	tcase_add_test(many, t_many_malformed);
	suite_add_tcase(s, ok);
	suite_add_tcase(s, fr);
	suite_add_tcase(s, mp);
	suite_add_tcase(s, at);
	suite_add_tcase(s, many);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(update_suite());
	int	 failed;

	/* Quiet: the unknown AFI/SAFI notices of the mutation test. */
	log_setlevel(TB_LOG_WARNING);
	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
