/*
 * check_nl: the netlink layer (bgpd/nl.c: building, walking messages and
 * attributes, answers, a real socket's transaction) and the rtnetlink
 * route codec on it (bgpd/nl_route.c).  Build/parse round
 * trips for IPv4 and IPv6, one and several next hops, tables above 255,
 * batches; and hand-built malformed input (docs/malformed-input.md row
 * 18): truncated headers, attributes of length 0 or running past the
 * end, RTA_MULTIPATH with bad rtnh_len, unknown attributes.  Malformed
 * bytes are copied to a heap block of their exact size so that the
 * sanitizer build catches any read past the end.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>

#include "nl.h"
#include "nl_route.h"

/* Helpers ------------------------------------------------------------- */

static struct tb_addr
A(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static struct nl_route
route(const char *pfx, uint32_t table, uint32_t metric)
{
	struct nl_route	 r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(prefix_parse(pfx, &r.dst), 0);
	r.table = table;
	r.metric = metric;
	r.protocol = NL_RTPROT_BGP;
	return r;
}

static void
add_nh(struct nl_route *r, const char *gw, uint32_t ifindex)
{
	r->nh[r->nnh].gw = A(gw);
	r->nh[r->nnh].ifindex = ifindex;
	r->nnh++;
}

/* Parse the one message of a heap copy of p[0..len-1]: nl_next's result,
 * and nl_parse_route's in *prc (2 if not reached). */
static int
parse_copy(const void *p, size_t len, struct nl_route *r, int *prc)
{
	uint8_t		*copy = malloc(len ? len : 1);
	struct buf	 d;
	struct nl_msg	 m;
	int		 rc;

	memcpy(copy, p, len);
	buf_view(&d, copy, len);
	*prc = 2;
	if ((rc = nl_next(&d, &m)) == 1)
		*prc = nl_parse_route(&m, r);
	free(copy);
	return rc;
}

/* Hand building ------------------------------------------------------- */

struct raw {
	uint8_t	 b[1024];
	size_t	 len;
};

static void
raw_put(struct raw *w, const void *p, size_t n)
{
	ck_assert_uint_le(w->len + n, sizeof(w->b));
	if (n > 0)
		memcpy(w->b + w->len, p, n);
	w->len += n;
}

/* nlmsghdr (length patched by raw_end) and rtmsg. */
static void
raw_route(struct raw *w, uint16_t type, uint8_t af, uint8_t plen)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;

	memset(w, 0, sizeof(*w));
	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	nh.nlmsg_type = type;
	nh.nlmsg_seq = 7;
	rtm.rtm_family = af;
	rtm.rtm_dst_len = plen;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = NL_RTPROT_BGP;
	rtm.rtm_type = RTN_UNICAST;
	raw_put(w, &nh, sizeof(nh));
	raw_put(w, &rtm, sizeof(rtm));
}

/* An rtattr with rta_len as given (may lie) and len bytes of data. */
static void
raw_attr(struct raw *w, uint16_t type, uint16_t rta_len, const void *p,
    size_t len)
{
	static const uint8_t	 zero[4];
	struct rtattr		 rta = { rta_len, type };

	raw_put(w, &rta, sizeof(rta));
	raw_put(w, p, len);
	raw_put(w, zero, ((len + 3) & ~(size_t)3) - len);
}

static void
raw_end(struct raw *w)
{
	uint32_t	 len = (uint32_t)w->len;

	memcpy(w->b, &len, sizeof(len));
}

/* Round trips --------------------------------------------------------- */

static void
roundtrip(const struct nl_route *in, int cmd, uint32_t seq,
    struct nl_route *out, struct nl_msg *m, struct buf *b)
{
	struct buf	 d;

	ck_assert_int_eq(buf_init(b, 0, 65536), 0);
	ck_assert_int_eq(nl_route_put(b, cmd, in, seq), 0);
	ck_assert_uint_eq(buf_len(b), nl_route_len(cmd, in));
	buf_view(&d, buf_data(b), buf_len(b));
	ck_assert_int_eq(nl_next(&d, m), 1);
	ck_assert_uint_eq(m->type, cmd);
	ck_assert_uint_eq(m->seq, seq);
	ck_assert_int_eq(nl_parse_route(m, out), 0);
	ck_assert_int_eq(nl_next(&d, m), 0);
}

START_TEST(t_v4_single)
{
	struct nl_route	 in = route("172.16.0.0/16", RT_TABLE_MAIN, 20), out;
	struct nl_msg	 m;
	struct buf	 b;
	const struct rtmsg *rtm;

	add_nh(&in, "169.254.10.1", 7);
	roundtrip(&in, RTM_NEWROUTE, 42, &out, &m, &b);
	ck_assert_uint_eq(m.flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
	    NLM_F_REPLACE);
	rtm = (const void *)(buf_data(&b) + NLMSG_HDRLEN);
	ck_assert_uint_eq(rtm->rtm_table, RT_TABLE_MAIN);
	ck_assert_uint_eq(rtm->rtm_type, RTN_UNICAST);
	ck_assert_uint_eq(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	ck_assert_str_eq(prefix_str(&out.dst), "172.16.0.0/16");
	ck_assert_uint_eq(out.table, RT_TABLE_MAIN);
	ck_assert_uint_eq(out.metric, 20);
	ck_assert_uint_eq(out.protocol, 186);
	ck_assert_uint_eq(out.nnh, 1);
	ck_assert_int_eq(out.multipath, 0);
	ck_assert_str_eq(addr_str(&out.nh[0].gw), "169.254.10.1");
	ck_assert_uint_eq(out.nh[0].ifindex, 7);
	buf_free(&b);
}
END_TEST

START_TEST(t_v6_multipath_big_table)
{
	struct nl_route	 in = route("2001:db8:100::/48", 1000, 0), out;
	struct nl_msg	 m;
	struct buf	 b;
	const struct rtmsg *rtm;
	size_t		 i;

	add_nh(&in, "fe80::1", 3);
	add_nh(&in, "fe80::2", 4);
	add_nh(&in, "2001:db8::9", 5);
	roundtrip(&in, RTM_NEWROUTE, 0xfffffff0u, &out, &m, &b);
	rtm = (const void *)(buf_data(&b) + NLMSG_HDRLEN);
	ck_assert_uint_eq(rtm->rtm_table, RT_TABLE_UNSPEC);
	ck_assert_uint_eq(out.table, 1000);
	ck_assert_uint_eq(out.metric, 0);
	ck_assert_int_eq(out.multipath, 1);
	ck_assert_uint_eq(out.nnh, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(nl_nh_cmp(&in.nh[i], &out.nh[i]), 0);
		ck_assert_uint_eq(out.nh[i].ifindex, in.nh[i].ifindex);
	}
	ck_assert_str_eq(prefix_str(&out.dst), "2001:db8:100::/48");
	buf_free(&b);
}
END_TEST

START_TEST(t_v4_multipath)
{
	struct nl_route	 in = route("10.1.0.0/24", 255, 5), out;
	struct nl_msg	 m;
	struct buf	 b;

	add_nh(&in, "169.254.1.1", 10);
	add_nh(&in, "169.254.2.1", 11);
	roundtrip(&in, RTM_NEWROUTE, 1, &out, &m, &b);
	ck_assert_uint_eq(out.table, 255);
	ck_assert_uint_eq(out.nnh, 2);
	ck_assert_str_eq(addr_str(&out.nh[1].gw), "169.254.2.1");
	ck_assert_uint_eq(out.nh[1].ifindex, 11);
	buf_free(&b);
}
END_TEST

START_TEST(t_delete_has_no_nexthops)
{
	struct nl_route	 in = route("10.9.0.0/16", 100, 30), out;
	struct nl_msg	 m;
	struct buf	 b;
	const struct rtmsg *rtm;

	add_nh(&in, "169.254.1.1", 10);
	roundtrip(&in, RTM_DELROUTE, 9, &out, &m, &b);
	ck_assert_uint_eq(m.flags, NLM_F_REQUEST | NLM_F_ACK);
	rtm = (const void *)(buf_data(&b) + NLMSG_HDRLEN);
	ck_assert_uint_eq(rtm->rtm_scope, RT_SCOPE_NOWHERE);
	ck_assert_uint_eq(out.nnh, 0);
	ck_assert_uint_eq(out.metric, 30);
	ck_assert_uint_eq(out.table, 100);
	ck_assert_uint_eq(out.protocol, 186);
	buf_free(&b);
}
END_TEST

START_TEST(t_batch)
{
	struct nl_route	 in = route("10.0.0.0/8", RT_TABLE_MAIN, 0), out;
	struct nl_msg	 m;
	struct buf	 b, d;
	uint32_t	 seq;

	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	add_nh(&in, "192.0.2.1", 2);
	for (seq = 100; seq < 110; seq++) {
		in.dst.addr.u.raw[1] = (uint8_t)seq;
		in.dst.len = 16;
		ck_assert_int_eq(nl_route_put(&b, seq % 3 ? RTM_NEWROUTE :
		    RTM_DELROUTE, &in, seq), 0);
	}
	buf_view(&d, buf_data(&b), buf_len(&b));
	for (seq = 100; seq < 110; seq++) {
		ck_assert_int_eq(nl_next(&d, &m), 1);
		ck_assert_uint_eq(m.seq, seq);
		ck_assert_int_eq(nl_parse_route(&m, &out), 0);
		ck_assert_uint_eq(out.dst.addr.u.raw[1], seq);
		ck_assert_uint_eq(out.nnh, seq % 3 ? 1 : 0);
	}
	ck_assert_int_eq(nl_next(&d, &m), 0);
	buf_free(&b);
}
END_TEST

START_TEST(t_build_rejects)
{
	struct nl_route	 r = route("10.0.0.0/8", 254, 0);
	struct buf	 b;
	int		 i;

	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	r.dst.len = 33;
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r, 1), -1);
	r.dst.len = 8;
	r.dst.addr.af = AF_UNIX;
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r, 1), -1);
	r = route("10.0.0.0/8", 254, 0);
	ck_assert_int_eq(nl_route_put(&b, RTM_GETROUTE, &r, 1), -1);
	for (i = 0; i < NL_MAXNH; i++)
		add_nh(&r, "192.0.2.1", (uint32_t)i + 1);
	r.nnh = NL_MAXNH + 1;
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r, 1), -1);
	ck_assert_uint_eq(buf_len(&b), 0);
	/* A buffer too small: the error is reported. */
	buf_free(&b);
	ck_assert_int_eq(buf_init(&b, 0, 40), 0);
	r.nnh = 1;
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r, 1), -1);
	buf_free(&b);
}
END_TEST

START_TEST(t_dump_request)
{
	struct buf	 b, d;
	struct nl_msg	 m;
	const struct rtmsg *rtm;

	ck_assert_int_eq(buf_init(&b, 0, 1024), 0);
	ck_assert_int_eq(nl_route_dump_put(&b, AF_INET6, 77), 0);
	buf_view(&d, buf_data(&b), buf_len(&b));
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_uint_eq(m.type, RTM_GETROUTE);
	ck_assert_uint_eq(m.flags, NLM_F_REQUEST | NLM_F_DUMP);
	ck_assert_uint_eq(m.seq, 77);
	ck_assert_uint_eq(buf_left(&m.body), sizeof(struct rtmsg));
	rtm = (const void *)buf_rptr(&m.body);
	ck_assert_uint_eq(rtm->rtm_family, AF_INET6);
	buf_free(&b);
}
END_TEST

/* A lookup: RTM_GETROUTE for one host address, asking for the table
 * entry that matched (RTM_F_FIB_MATCH), the address in RTA_DST. */
START_TEST(t_lookup_request)
{
	struct buf	 b, d;
	struct nl_msg	 m;
	struct rtmsg	 rtm;
	struct tb_addr	 a, none;
	uint16_t	 alen, atype;
	uint8_t		 raw[4];

	ck_assert_int_eq(addr_parse("169.254.99.1", &a), 0);
	ck_assert_int_eq(buf_init(&b, 0, 1024), 0);
	ck_assert_int_eq(nl_route_lookup_put(&b, &a, 9), 0);
	buf_view(&d, buf_data(&b), buf_len(&b));
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_uint_eq(m.type, RTM_GETROUTE);
	ck_assert_uint_eq(m.flags, NLM_F_REQUEST);
	ck_assert_uint_eq(m.seq, 9);
	ck_assert_int_eq(buf_get_n(&m.body, &rtm, sizeof(rtm)), 0);
	ck_assert_uint_eq(rtm.rtm_family, AF_INET);
	ck_assert_uint_eq(rtm.rtm_dst_len, 32);
	ck_assert_uint_eq(rtm.rtm_flags, RTM_F_FIB_MATCH);
	ck_assert_int_eq(buf_get_n(&m.body, &alen, 2), 0);
	ck_assert_int_eq(buf_get_n(&m.body, &atype, 2), 0);
	ck_assert_uint_eq(alen, 8);
	ck_assert_uint_eq(atype, RTA_DST);
	ck_assert_int_eq(buf_get_n(&m.body, raw, 4), 0);
	ck_assert_mem_eq(raw, a.u.raw, 4);
	ck_assert_uint_eq(buf_left(&m.body), 0);
	ck_assert_int_eq(nl_next(&d, &m), 0);
	/* No family: nothing to ask. */
	memset(&none, 0, sizeof(none));
	buf_reset(&b);
	ck_assert_int_eq(nl_route_lookup_put(&b, &none, 1), -1);
	buf_free(&b);
}
END_TEST

/* Errors, acks, done -------------------------------------------------- */

static size_t
mk_error(uint8_t *p, int32_t err, uint32_t seq, size_t cut)
{
	struct nlmsghdr	 nh, orig;

	memset(&nh, 0, sizeof(nh));
	memset(&orig, 0, sizeof(orig));
	nh.nlmsg_type = NLMSG_ERROR;
	nh.nlmsg_len = (uint32_t)(sizeof(nh) + 4 + sizeof(orig) - cut);
	orig.nlmsg_seq = seq;
	orig.nlmsg_type = RTM_NEWROUTE;
	memcpy(p, &nh, sizeof(nh));
	memcpy(p + sizeof(nh), &err, 4);
	memcpy(p + sizeof(nh) + 4, &orig, sizeof(orig));
	return nh.nlmsg_len;
}

START_TEST(t_error_and_ack)
{
	uint8_t		 p[64];
	struct buf	 d;
	struct nl_msg	 m;
	uint32_t	 seq;
	int		 err;
	size_t		 len;

	len = mk_error(p, -17, 4242, 0);
	buf_view(&d, p, len);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_parse_error(&m, &err, &seq), 0);
	ck_assert_int_eq(err, 17);
	ck_assert_uint_eq(seq, 4242);
	len = mk_error(p, 0, 5, 0);
	buf_view(&d, p, len);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_parse_error(&m, &err, &seq), 0);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(seq, 5);
	/* An error too short to carry the request's header. */
	len = mk_error(p, -1, 5, 4);
	buf_view(&d, p, len);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_parse_error(&m, &err, &seq), -1);
	/* A positive error value is not the kernel's. */
	len = mk_error(p, 3, 5, 0);
	buf_view(&d, p, len);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_parse_error(&m, &err, &seq), -1);
}
END_TEST

START_TEST(t_done)
{
	struct nlmsghdr	 nh;
	uint32_t	 zero = 0;
	uint8_t		 p[20];
	struct buf	 d;
	struct nl_msg	 m;

	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_type = NLMSG_DONE;
	nh.nlmsg_len = sizeof(p);
	nh.nlmsg_seq = 3;
	memcpy(p, &nh, sizeof(nh));
	memcpy(p + sizeof(nh), &zero, 4);
	buf_view(&d, p, sizeof(p));
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_uint_eq(m.type, NLMSG_DONE);
	ck_assert_uint_eq(m.seq, 3);
	ck_assert_int_eq(nl_next(&d, &m), 0);
}
END_TEST

/* Malformed ----------------------------------------------------------- */

START_TEST(t_truncated_header)
{
	struct raw	 w;
	struct nl_route	 r;
	uint32_t	 len;
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_end(&w);
	/* Fewer octets than a header. */
	ck_assert_int_eq(parse_copy(w.b, 10, &r, &prc), -1);
	/* nlmsg_len 0, below the header, past the datagram. */
	for (len = 0; len < 40; len += 4) {
		if (len >= 16 && len <= w.len)
			continue;
		memcpy(w.b, &len, 4);
		ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), -1);
	}
	/* A header that says there is no rtmsg. */
	len = 16;
	memcpy(w.b, &len, 4);
	ck_assert_int_eq(parse_copy(w.b, 16, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
}
END_TEST

START_TEST(t_rta_zero_and_short)
{
	struct raw	 w;
	struct nl_route	 r;
	uint16_t	 bad[] = { 0, 1, 3 };
	uint8_t		 dst[4] = { 10, 0, 0, 0 };
	size_t		 i;
	int		 prc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
		raw_attr(&w, RTA_DST, bad[i], dst, 4);
		raw_end(&w);
		ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
		ck_assert_int_eq(prc, -1);
	}
}
END_TEST

START_TEST(t_rta_past_end)
{
	struct raw	 w;
	struct nl_route	 r;
	uint8_t		 dst[4] = { 10, 0, 0, 0 };
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
	raw_attr(&w, RTA_DST, 4 + 4 + 64, dst, 4);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
	/* An attribute header cut in half at the end of the message. */
	raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
	raw_attr(&w, RTA_DST, 8, dst, 4);
	raw_put(&w, "\x08\x00", 2);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
}
END_TEST

START_TEST(t_known_attr_wrong_size)
{
	struct raw	 w;
	struct nl_route	 r;
	uint8_t		 v[16] = { 10 };
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
	raw_attr(&w, RTA_DST, 4 + 3, v, 3);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
	raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
	raw_attr(&w, RTA_TABLE, 4 + 2, v, 2);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
	/* An IPv6 gateway on an IPv4 route. */
	raw_route(&w, RTM_NEWROUTE, AF_INET, 8);
	raw_attr(&w, RTA_GATEWAY, 4 + 16, v, 16);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
	/* Prefix length beyond the family. */
	raw_route(&w, RTM_NEWROUTE, AF_INET, 33);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
}
END_TEST

START_TEST(t_unknown_attrs_skipped)
{
	struct raw	 w;
	struct nl_route	 r;
	uint8_t		 dst[4] = { 10, 20, 0, 0 }, junk[7] = { 1, 2, 3 };
	uint32_t	 metric = 99;
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 16);
	raw_attr(&w, 200, 4 + 7, junk, 7);
	raw_attr(&w, RTA_DST, 8, dst, 4);
	raw_attr(&w, RTA_CACHEINFO, 4 + 7, junk, 7);
	raw_attr(&w, RTA_PRIORITY, 8, &metric, 4);
	raw_attr(&w, 0x7fff, 4, NULL, 0);	/* empty, unknown */
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, 0);
	ck_assert_str_eq(prefix_str(&r.dst), "10.20.0.0/16");
	ck_assert_uint_eq(r.metric, 99);
	ck_assert_uint_eq(r.nnh, 0);
}
END_TEST

/* An RTA_MULTIPATH block with one rtnexthop whose rtnh_len is given. */
static void
raw_multipath(struct raw *w, uint16_t rtnh_len, size_t body)
{
	uint8_t			 blk[64];
	struct rtnexthop	 rtnh;
	uint8_t			 gw[4] = { 169, 254, 0, 1 };
	struct rtattr		 rta = { 8, RTA_GATEWAY };

	memset(&rtnh, 0, sizeof(rtnh));
	rtnh.rtnh_len = rtnh_len;
	rtnh.rtnh_ifindex = 4;
	memcpy(blk, &rtnh, sizeof(rtnh));
	memcpy(blk + 8, &rta, 4);
	memcpy(blk + 12, gw, 4);
	raw_attr(w, RTA_MULTIPATH, (uint16_t)(4 + body), blk, body);
}

START_TEST(t_multipath_bad_rtnh_len)
{
	struct raw	 w;
	struct nl_route	 r;
	uint16_t	 bad[] = { 0, 4, 7, 17, 24, 0xffff };
	size_t		 i;
	int		 prc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
		raw_multipath(&w, bad[i], 16);
		raw_end(&w);
		ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
		ck_assert_msg(prc == -1, "rtnh_len %u accepted", bad[i]);
	}
	/* The good one parses. */
	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_multipath(&w, 16, 16);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, 0);
	ck_assert_uint_eq(r.nnh, 1);
	ck_assert_str_eq(addr_str(&r.nh[0].gw), "169.254.0.1");
	ck_assert_uint_eq(r.nh[0].ifindex, 4);
	/* A nested attribute running past its rtnexthop. */
	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_multipath(&w, 14, 16);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
}
END_TEST

START_TEST(t_multipath_too_many)
{
	struct raw		 w;
	struct nl_route		 r;
	struct rtnexthop	 rtnh;
	struct rtattr		 rta = { 8, RTA_GATEWAY };
	uint8_t			 blk[20 * 16], gw[4] = { 169, 254, 0, 0 };
	int			 i, prc;

	for (i = 0; i < 20; i++) {
		memset(&rtnh, 0, sizeof(rtnh));
		rtnh.rtnh_len = 16;
		rtnh.rtnh_ifindex = i + 1;
		gw[3] = (uint8_t)i;
		memcpy(blk + i * 16, &rtnh, 8);
		memcpy(blk + i * 16 + 8, &rta, 4);
		memcpy(blk + i * 16 + 12, gw, 4);
	}
	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_attr(&w, RTA_MULTIPATH, 4 + sizeof(blk), blk, sizeof(blk));
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, 0);
	ck_assert_uint_eq(r.nnh, NL_MAXNH);
	ck_assert_uint_eq(r.nnh_dropped, 20 - NL_MAXNH);
	ck_assert_uint_eq(r.nh[NL_MAXNH - 1].ifindex, NL_MAXNH);
}
END_TEST

START_TEST(t_gateway_and_multipath_conflict)
{
	struct raw	 w;
	struct nl_route	 r;
	uint8_t		 gw[4] = { 1, 2, 3, 4 };
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_multipath(&w, 16, 16);
	raw_attr(&w, RTA_GATEWAY, 8, gw, 4);
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, -1);
}
END_TEST

START_TEST(t_last_padding_missing)
{
	struct raw	 w;
	struct nl_route	 r;
	uint8_t		 junk[3] = { 1, 2, 3 };
	int		 prc;

	raw_route(&w, RTM_NEWROUTE, AF_INET, 0);
	raw_attr(&w, 300, 4 + 3, junk, 3);
	w.len -= 1;		/* no padding after the last attribute */
	raw_end(&w);
	ck_assert_int_eq(parse_copy(w.b, w.len, &r, &prc), 1);
	ck_assert_int_eq(prc, 0);
}
END_TEST

/* Every cut of a valid batch and every single-byte corruption of it
 * either parses or is rejected; the sanitizer build checks the reads. */
START_TEST(t_cuts_and_flips)
{
	struct nl_route	 in = route("2001:db8::/32", 1000, 7), r;
	struct buf	 b, d;
	struct nl_msg	 m;
	uint8_t		*copy;
	size_t		 len;
	int		 rc, parsed = 0;

	add_nh(&in, "fe80::1", 1);
	add_nh(&in, "fe80::2", 2);
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &in, 1), 0);
	ck_assert_int_eq(nl_route_put(&b, RTM_DELROUTE, &in, 2), 0);
	for (len = 0; len <= buf_len(&b) * 256; len++) {
		size_t	 cut = len < buf_len(&b) ? len : buf_len(&b);

		copy = malloc(cut ? cut : 1);
		memcpy(copy, buf_data(&b), cut);
		if (len > buf_len(&b))	/* flips on the full batch */
			copy[(len / 256) % cut] ^= (uint8_t)len;
		buf_view(&d, copy, cut);
		while ((rc = nl_next(&d, &m)) == 1)
			parsed += nl_parse_route(&m, &r) == 0;
		free(copy);
	}
	ck_assert_int_gt(parsed, 0);
	buf_free(&b);
}
END_TEST

/* The layer ------------------------------------------------------------ */

static void
count_msg(const struct nl_msg *m, void *arg)
{
	int	*n = arg;

	(*n)++;
	ck_assert_uint_eq(m->seq, (uint32_t)*n);
}

/* A message built with begin/end and attributes of odd sizes: every
 * length back-patched and padded; walked back attribute by attribute. */
START_TEST(t_layer_build_walk)
{
	struct buf	 b, val;
	struct nl_msg	 m;
	struct ifinfomsg ifi;
	uint16_t	 type;
	uint32_t	 v;
	uint8_t		 u8;
	char		 name[16];
	size_t		 off;

	ck_assert_int_eq(buf_init(&b, 64, 4096), 0);
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_index = 7;
	off = nl_msg_begin(&b, RTM_NEWLINK, 0, 42);
	nl_put_fixed(&b, &ifi, sizeof(ifi));
	nl_attr_put(&b, IFLA_IFNAME, "tun1", 5);
	nl_attr_put_u32(&b, IFLA_MTU, 1400);
	u8 = 1;
	nl_attr_put(&b, IFLA_CARRIER, &u8, 1);
	ck_assert_int_eq(nl_msg_end(&b, off), 0);
	ck_assert_uint_eq(buf_len(&b) % 4, 0);
	ck_assert_uint_eq(buf_len(&b), 16 + 16 + nl_attr_space(5) +
	    nl_attr_space(4) + nl_attr_space(1));
	buf_view(&val, buf_data(&b), buf_len(&b));
	ck_assert_int_eq(nl_next(&val, &m), 1);
	ck_assert_uint_eq(m.type, RTM_NEWLINK);
	ck_assert_uint_eq(m.seq, 42);
	ck_assert(m.flags & NLM_F_REQUEST);
	ck_assert_int_eq(nl_get_fixed(&m.body, &ifi, sizeof(ifi)), 0);
	ck_assert_int_eq(ifi.ifi_index, 7);
	ck_assert_int_eq(nl_attr_next(&m.body, &type, &val), 1);
	ck_assert_uint_eq(type, IFLA_IFNAME);
	ck_assert_int_eq(nl_attr_str(&val, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "tun1");
	ck_assert_int_eq(nl_attr_next(&m.body, &type, &val), 1);
	ck_assert_int_eq(nl_attr_u8(&val, &u8), -1);	/* 4 octets */
	ck_assert_int_eq(nl_attr_u32(&val, &v), 0);
	ck_assert_uint_eq(v, 1400);
	ck_assert_int_eq(nl_attr_next(&m.body, &type, &val), 1);
	ck_assert_int_eq(nl_attr_u8(&val, &u8), 0);
	ck_assert_uint_eq(u8, 1);
	ck_assert_int_eq(nl_attr_next(&m.body, &type, &val), 0);
	/* A name as long as the destination is malformed, never cut. */
	buf_view(&val, "tun1", 4);
	ck_assert_int_eq(nl_attr_str(&val, name, 4), -1);
	buf_view(&val, "", 1);
	ck_assert_int_eq(nl_attr_str(&val, name, sizeof(name)), -1);
	buf_free(&b);
}
END_TEST

/* Three messages in one datagram, the last without its padding: all
 * walked; a length past the end stops the walk with -1. */
START_TEST(t_layer_walk_datagram)
{
	struct buf	 b;
	uint8_t		*copy;
	size_t		 len, off;
	uint32_t	 i;
	int		 n = 0;

	ck_assert_int_eq(buf_init(&b, 64, 4096), 0);
	for (i = 1; i <= 3; i++) {
		off = nl_msg_begin(&b, NLMSG_NOOP, 0, i);
		if (i == 3)
			buf_put(&b, "x", 1);	/* unpadded */
		ck_assert_int_eq(nl_msg_end(&b, off), 0);
	}
	len = buf_len(&b);
	copy = malloc(len);
	memcpy(copy, buf_data(&b), len);
	ck_assert_int_eq(nl_walk(copy, len, count_msg, &n), 0);
	ck_assert_int_eq(n, 3);
	/* The second message claims more than is there. */
	copy[16] = 0xff;
	copy[17] = 0xff;
	n = 0;
	ck_assert_int_eq(nl_walk(copy, len, count_msg, &n), -1);
	ck_assert_int_eq(n, 1);
	free(copy);
	buf_free(&b);
}
END_TEST

static void
put_error(struct buf *b, int32_t err, uint32_t seq)
{
	struct nlmsghdr	 orig;
	size_t		 off = nl_msg_begin(b, NLMSG_ERROR, 0, 0);

	memset(&orig, 0, sizeof(orig));
	orig.nlmsg_seq = seq;
	buf_put(b, &err, sizeof(err));
	buf_put(b, &orig, sizeof(orig));
	ck_assert_int_eq(nl_msg_end(b, off), 0);
}

/* Which messages end a request: its NLMSG_DONE, its error or
 * acknowledgement; not another request's. */
START_TEST(t_layer_answer)
{
	struct buf	 b, d;
	struct nl_msg	 m;
	int		 err;

	ck_assert_int_eq(buf_init(&b, 64, 4096), 0);
	put_error(&b, -EEXIST, 5);
	put_error(&b, 0, 6);
	ck_assert_int_eq(nl_msg_end(&b, nl_msg_begin(&b, NLMSG_DONE, 0, 7)),
	    0);
	buf_view(&d, buf_data(&b), buf_len(&b));
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_answer(&m, 6, &err), 0);
	ck_assert_int_eq(nl_answer(&m, 5, &err), 1);
	ck_assert_int_eq(err, EEXIST);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_answer(&m, 6, &err), 1);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(nl_next(&d, &m), 1);
	ck_assert_int_eq(nl_answer(&m, 5, &err), 0);
	ck_assert_int_eq(nl_answer(&m, 7, &err), 1);
	ck_assert_int_eq(err, 0);
	buf_free(&b);
}
END_TEST

static void
count_links(const struct nl_msg *m, void *arg)
{
	int	*n = arg;

	if (m->type == RTM_NEWLINK)
		(*n)++;
}

/* A real socket: a dump of this namespace's links answered through
 * nl_transact() (the loopback at least), and a request the kernel
 * refuses comes back as its errno. */
START_TEST(t_layer_socket)
{
	struct nl_sock	 s;
	struct ifinfomsg ifi;
	struct buf	 b;
	uint32_t	 seq;
	size_t		 off;
	int		 n = 0;

	ck_assert_int_eq(nl_open(&s, NETLINK_ROUTE, 0, 0, NL_F_NONBLOCK), 0);
	ck_assert_uint_ne(s.port, 0);
	ck_assert_int_eq(buf_init(&b, 64, 4096), 0);
	memset(&ifi, 0, sizeof(ifi));
	seq = nl_seq(&s);
	ck_assert_int_eq(nl_dump_put(&b, RTM_GETLINK, &ifi, sizeof(ifi), seq),
	    0);
	ck_assert_int_eq(nl_transact(&s, &b, seq, 5000, count_links, &n), 0);
	ck_assert_int_ge(n, 1);
	/* A link that does not exist. */
	buf_reset(&b);
	ifi.ifi_index = 0x7ffffff0;
	seq = nl_seq(&s);
	off = nl_msg_begin(&b, RTM_GETLINK, NLM_F_ACK, seq);
	nl_put_fixed(&b, &ifi, sizeof(ifi));
	ck_assert_int_eq(nl_msg_end(&b, off), 0);
	errno = 0;
	ck_assert_int_eq(nl_transact(&s, &b, seq, 5000, count_links, &n), -1);
	ck_assert_int_eq(errno, ENODEV);
	buf_free(&b);
	nl_close(&s);
	ck_assert_int_eq(s.fd, -1);
	nl_close(&s);		/* twice: left alone */
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("nl");
	TCase	*rt = tcase_create("roundtrip");
	TCase	*er = tcase_create("errors");
	TCase	*mf = tcase_create("malformed");
	TCase	*ly = tcase_create("layer");
	SRunner	*sr;
	int	 nf;

	tcase_add_test(rt, t_v4_single);
	tcase_add_test(rt, t_v6_multipath_big_table);
	tcase_add_test(rt, t_v4_multipath);
	tcase_add_test(rt, t_delete_has_no_nexthops);
	tcase_add_test(rt, t_batch);
	tcase_add_test(rt, t_build_rejects);
	tcase_add_test(rt, t_dump_request);
	tcase_add_test(rt, t_lookup_request);
	tcase_add_test(er, t_error_and_ack);
	tcase_add_test(er, t_done);
	tcase_add_test(mf, t_truncated_header);
	tcase_add_test(mf, t_rta_zero_and_short);
	tcase_add_test(mf, t_rta_past_end);
	tcase_add_test(mf, t_known_attr_wrong_size);
	tcase_add_test(mf, t_unknown_attrs_skipped);
	tcase_add_test(mf, t_multipath_bad_rtnh_len);
	tcase_add_test(mf, t_multipath_too_many);
	tcase_add_test(mf, t_gateway_and_multipath_conflict);
	tcase_add_test(mf, t_last_padding_missing);
	tcase_add_test(mf, t_cuts_and_flips);
	tcase_add_test(ly, t_layer_build_walk);
	tcase_add_test(ly, t_layer_walk_datagram);
	tcase_add_test(ly, t_layer_answer);
	tcase_add_test(ly, t_layer_socket);
	suite_add_tcase(s, rt);
	suite_add_tcase(s, er);
	suite_add_tcase(s, mf);
	suite_add_tcase(s, ly);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
