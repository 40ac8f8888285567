/*
 * check_mrt: bgpd/mrt_enc.c against MRT records (RFC 6396) written out
 * by hand, octet by octet: BGP4MP STATE_CHANGE_AS4 and MESSAGE_AS4 (and
 * their _ET forms, whose length counts the microseconds), MESSAGE with
 * 2-octet AS numbers, a PEER_INDEX_TABLE with an IPv4 and an IPv6 peer,
 * and RIB_IPV4_UNICAST / RIB_IPV6_UNICAST records with two paths.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "mrt_enc.h"

static struct buf	 b;

static void
setup(void)
{
	ck_assert_int_eq(buf_init(&b, 256, 1 << 20), 0);
}

static void
teardown(void)
{
	buf_free(&b);
}

static void
expect(const uint8_t *want, size_t len)
{
	size_t	 i;

	ck_assert_int_eq(buf_error(&b), 0);
	for (i = 0; i < len && i < buf_len(&b); i++)
		ck_assert_msg(buf_data(&b)[i] == want[i],
		    "octet %zu: %02x, want %02x", i, buf_data(&b)[i], want[i]);
	ck_assert_uint_eq(buf_len(&b), len);
}

static struct mrt_session
session4(void)
{
	struct mrt_session	 s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(addr_parse("169.254.116.209", &s.peer), 0);
	ck_assert_int_eq(addr_parse("169.254.116.210", &s.local), 0);
	s.peer_as = 64512;
	s.local_as = 4200000001u;
	s.ifindex = 7;
	return s;
}

START_TEST(t_state_change)
{
	static const uint8_t want[] = {
		0x65, 0x5e, 0x3a, 0x00,		/* 1700674048 */
		0x00, 0x10, 0x00, 0x05,		/* BGP4MP, STATE_CHANGE_AS4 */
		0x00, 0x00, 0x00, 0x18,		/* 24 octets */
		0x00, 0x00, 0xfc, 0x00,		/* peer AS 64512 */
		0xfa, 0x56, 0xea, 0x01,		/* local AS 4200000001 */
		0x00, 0x07, 0x00, 0x01,		/* ifindex 7, AFI IPv4 */
		169, 254, 116, 209, 169, 254, 116, 210,
		0x00, 0x05, 0x00, 0x06,		/* OpenConfirm -> Established */
	};
	struct mrt_session	 s = session4();
	struct mrt_time		 t = { 1700674048u, 0, 0 };

	mrt_state_change(&b, &t, &s, 5, 6);
	expect(want, sizeof(want));
}
END_TEST

START_TEST(t_message_et)
{
	static const uint8_t want[] = {
		0x65, 0x5e, 0x3a, 0x00,
		0x00, 0x11, 0x00, 0x04,		/* BGP4MP_ET, MESSAGE_AS4 */
		0x00, 0x00, 0x00, 0x33,		/* 4 + 20 + 19 + 8 = 51 */
		0x00, 0x01, 0xe2, 0x40,		/* 123456 us */
		0x00, 0x00, 0xfc, 0x00, 0xfa, 0x56, 0xea, 0x01,
		0x00, 0x07, 0x00, 0x01,
		169, 254, 116, 209, 169, 254, 116, 210,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x1b, 0x02,		/* 27 octets, UPDATE */
		0x00, 0x00, 0x00, 0x00,		/* no withdrawn, no attrs */
		0x10, 0xac, 0x10,		/* 172.16.0.0/16 */
		0x00,				/* (padding byte of the body) */
	};
	static const uint8_t body[] = { 0, 0, 0, 0, 16, 172, 16, 0 };
	struct mrt_session	 s = session4();
	struct mrt_time		 t = { 1700674048u, 123456, 1 };

	mrt_message(&b, &t, &s, 1, 2, body, sizeof(body));
	expect(want, sizeof(want));
}
END_TEST

/* A session without 4-octet AS: MESSAGE with AS_TRANS for a large AS,
 * and an IPv6 session with no local address known (zeros). */
START_TEST(t_message_as2_v6)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x01,
		0x00, 0x10, 0x00, 0x01,		/* BGP4MP, MESSAGE */
		0x00, 0x00, 0x00, 0x3b,		/* 4 + 4 + 32 + 19 = 59 */
		0xfc, 0x00, 0x5b, 0xa0,		/* 64512, AS_TRANS */
		0x00, 0x00, 0x00, 0x02,		/* ifindex 0, AFI IPv6 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x13, 0x04,		/* KEEPALIVE */
	};
	struct mrt_session	 s;
	struct mrt_time		 t = { 1, 0, 0 };

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(addr_parse("2001:db8::1", &s.peer), 0);
	s.peer_as = 64512;
	s.local_as = 4200000001u;
	mrt_message(&b, &t, &s, 0, 4, NULL, 0);
	expect(want, sizeof(want));
}
END_TEST

START_TEST(t_peer_index)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x02,
		0x00, 0x0d, 0x00, 0x01,		/* TABLE_DUMP_V2, PEER_INDEX */
		0x00, 0x00, 0x00, 0x30,		/* 10 + 13 + 25 = 48 */
		10, 0, 0, 10,			/* collector */
		0x00, 0x02, 'v', '1',		/* view "v1" */
		0x00, 0x02,			/* 2 peers */
		0x02, 169, 254, 116, 209,	/* IPv4, AS4; BGP id */
		169, 254, 116, 209, 0x00, 0x00, 0xfc, 0x00,
		0x03, 1, 2, 3, 4,		/* IPv6, AS4 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0xfa, 0x56, 0xea, 0x00,
	};
	struct mrt_index_peer	 p[2];

	memset(p, 0, sizeof(p));
	ck_assert_int_eq(addr_parse("169.254.116.209", &p[0].addr), 0);
	p[0].bgp_id = 0xa9fe74d1u;
	p[0].as = 64512;
	ck_assert_int_eq(addr_parse("2001:db8::2", &p[1].addr), 0);
	p[1].bgp_id = 0x01020304u;
	p[1].as = 4200000000u;
	mrt_peer_index(&b, 2, 0x0a00000au, "v1", p, 2);
	expect(want, sizeof(want));
}
END_TEST

static struct attr *
mk_attr(const char *nh, uint32_t med)
{
	static const uint8_t	 path[] = { 2, 1, 0, 0, 0xfc, 0x00 };
	struct attr		 a;

	memset(&a, 0, sizeof(a));
	a.origin = 0;
	a.aspath = aspath_intern(path, sizeof(path));
	ck_assert_int_eq(addr_parse(nh, &a.nexthop), 0);
	if (med != 0) {
		a.flags = ATTRF_MED;
		a.med = med;
	}
	return attr_intern(&a);
}

START_TEST(t_rib_v4)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x03,
		0x00, 0x0d, 0x00, 0x02,		/* RIB_IPV4_UNICAST */
		0x00, 0x00, 0x00, 0x48,		/* 9 + 28 + 35 = 72 */
		0x00, 0x00, 0x00, 0x09,		/* sequence 9 */
		0x10, 172, 16,			/* 172.16.0.0/16 */
		0x00, 0x02,			/* 2 entries */
		0x00, 0x01, 0x00, 0x00, 0x00, 0x64,	/* peer 1, t 100 */
		0x00, 0x14,			/* 20 octets of attributes */
		0x40, 0x01, 0x01, 0x00,		/* ORIGIN IGP */
		0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfc, 0x00,
		0x40, 0x03, 0x04, 169, 254, 116, 209,
		0x00, 0x02, 0x00, 0x00, 0x00, 0x65,	/* peer 2, t 101 */
		0x00, 0x1b,			/* 27 */
		0x40, 0x01, 0x01, 0x00,
		0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfc, 0x00,
		0x40, 0x03, 0x04, 169, 254, 214, 97,
		0x80, 0x04, 0x04, 0x00, 0x00, 0x00, 0x32,	/* MED 50 */
	};
	struct attr	*a1 = mk_attr("169.254.116.209", 0);
	struct attr	*a2 = mk_attr("169.254.214.97", 50);
	struct tb_prefix pfx;
	struct mrt_rib	 r;

	ck_assert_int_eq(prefix_parse("172.16.0.0/16", &pfx), 0);
	mrt_rib_begin(&b, &r, 3, 9, &pfx);
	mrt_rib_entry(&b, &r, 1, 100, a1);
	mrt_rib_entry(&b, &r, 2, 101, a2);
	mrt_rib_end(&b, &r);
	expect(want, sizeof(want));
	attr_unref(a1);
	attr_unref(a2);
}
END_TEST

START_TEST(t_rib_v6)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x04,
		0x00, 0x0d, 0x00, 0x04,		/* RIB_IPV6_UNICAST */
		0x00, 0x00, 0x00, 0x34,		/* 11 + 8 + 33 = 52 */
		0x00, 0x00, 0x00, 0x00,
		0x20, 0x20, 0x01, 0x0d, 0xb8,	/* 2001:db8::/32 */
		0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x21,			/* 33 */
		0x80, 0x0e, 0x11, 0x10,		/* MP_REACH: next hop only */
		0xfd, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x40, 0x01, 0x01, 0x00,
		0x40, 0x02, 0x06, 0x02, 0x01, 0x00, 0x00, 0xfc, 0x00,
	};
	struct attr	*a = mk_attr("fd00::1", 0);
	struct tb_prefix pfx;
	struct mrt_rib	 r;

	ck_assert_int_eq(prefix_parse("2001:db8::/32", &pfx), 0);
	mrt_rib_begin(&b, &r, 4, 0, &pfx);
	mrt_rib_entry(&b, &r, 0, 0, a);
	mrt_rib_end(&b, &r);
	expect(want, sizeof(want));
	attr_unref(a);
}
END_TEST

/* A record that does not fit leaves the error set, never a short one. */
START_TEST(t_overflow)
{
	static const uint8_t body[64];
	struct mrt_session	 s = session4();
	struct mrt_time		 t = { 1, 0, 0 };
	struct buf		 small;

	ck_assert_int_eq(buf_init(&small, 16, 40), 0);
	mrt_message(&small, &t, &s, 1, 2, body, sizeof(body));
	ck_assert_int_ne(buf_error(&small), 0);
	buf_free(&small);
}
END_TEST

static Suite *
mrt_suite(void)
{
	Suite	*s = suite_create("mrt");
	TCase	*tc = tcase_create("enc");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_state_change);
	tcase_add_test(tc, t_message_et);
	tcase_add_test(tc, t_message_as2_v6);
	tcase_add_test(tc, t_peer_index);
	tcase_add_test(tc, t_rib_v4);
	tcase_add_test(tc, t_rib_v6);
	tcase_add_test(tc, t_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mrt_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
