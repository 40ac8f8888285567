/*
 * check_attr: path attributes (bgpd/attr.c).  Parse and encode round trips
 * per attribute; hand-built malformed attributes from
 * docs/malformed-input.md rows 6, 7 (the attribute part: what attr_seen
 * tells update.c), 9, 10, 11, 12, 13 and 17, each with the RFC 7606
 * action expected; interning reference counts (nothing left after a
 * withdraw storm); the RFC 6793 AS4 merge; and FRR's texts for AS paths
 * and communities.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "bgpd.h"
#include "buf.h"

#define O	ATTR_F_OPTIONAL
#define T	ATTR_F_TRANSITIVE
#define P	ATTR_F_PARTIAL
#define X	ATTR_F_EXTLEN

/* Session contexts --------------------------------------------------- */

static struct attr_ctx	 ebgp4, ebgp2, ibgp4;

static void
ctx_setup(void)
{
	memset(&ebgp4, 0, sizeof(ebgp4));
	ebgp4.as4 = 1;
	ebgp4.ebgp = 1;
	ebgp4.peer_as = 64512;
	ebgp4.local_as = 65000;
	addr_parse("169.254.10.2", &ebgp4.local_addr);
	addr_parse("169.254.10.1", &ebgp4.peer_addr);
	ebgp2 = ebgp4;
	ebgp2.as4 = 0;
	ibgp4 = ebgp4;
	ibgp4.ebgp = 0;
	ibgp4.peer_as = 65000;
}

/* Nothing interned may survive a test. */
static void
leak_check(void)
{
	ck_assert_uint_eq(attr_count(), 0);
	ck_assert_uint_eq(aspath_total(), 0);
	ck_assert_uint_eq(comms_total(), 0);
}

/* Helpers ------------------------------------------------------------ */

static uint8_t	 rawbuf[70000];

/* Parses one attribute given its header fields and value; the raw view
 * (header included) is built the way update.c would see it. */
static enum attr_action
parse_one(struct attr_work *w, const struct attr_ctx *ctx, uint8_t flags,
    uint8_t code, const uint8_t *v, size_t len, struct attr_err *err)
{
	struct buf	 val, raw;
	size_t		 hl = (flags & X) ? 4 : 3;

	rawbuf[0] = flags;
	rawbuf[1] = code;
	if (hl == 4) {
		rawbuf[2] = len >> 8;
		rawbuf[3] = len & 0xff;
	} else
		rawbuf[2] = (uint8_t)len;
	if (len > 0)
		memcpy(rawbuf + hl, v, len);
	buf_view(&raw, rawbuf, hl + len);
	buf_view(&val, rawbuf + hl, len);
	return attr_parse(w, flags, code, &val, &raw, ctx, err);
}

/* One attribute into a fresh work area: returns the action. */
static enum attr_action
act_of(const struct attr_ctx *ctx, uint8_t flags, uint8_t code,
    const uint8_t *v, size_t len)
{
	struct attr_work	 w;
	struct attr_err		 err;
	enum attr_action	 act;

	attr_work_init(&w);
	act = parse_one(&w, ctx, flags, code, v, len, &err);
	if (act != ACT_OK) {
		ck_assert_uint_eq(err.action, act);
		ck_assert_msg(err.why[0] != '\0', "no reason for %u", code);
	}
	attr_work_clear(&w);
	return act;
}

#define B(...)		(const uint8_t[]){ __VA_ARGS__ }, \
			sizeof((const uint8_t[]){ __VA_ARGS__ })
#define MEM_EQ(got, ...)	mem_eq((got), B(__VA_ARGS__))
#define ACT(ctx, fl, code, ...)	act_of(&(ctx), (fl), (code), B(__VA_ARGS__))
#define ACT0(ctx, fl, code)	act_of(&(ctx), (fl), (code), NULL, 0)

static void
mem_eq(const uint8_t *got, const uint8_t *want, size_t n)
{
	ck_assert_mem_eq(got, want, n);
}

/* Parses a whole attribute block (as attr_encode writes it). */
static enum attr_action
parse_block(struct attr_work *w, const struct attr_ctx *ctx,
    const uint8_t *p, size_t len)
{
	struct attr_err		 err;
	struct buf		 b, val, raw;
	enum attr_action	 act, worst = ACT_OK;
	uint8_t			 flags, code, l8;
	uint16_t		 alen;
	size_t			 start;

	buf_view(&b, p, len);
	while (buf_left(&b) > 0) {
		start = b.rpos;
		ck_assert_int_eq(buf_get_u8(&b, &flags), 0);
		ck_assert_int_eq(buf_get_u8(&b, &code), 0);
		if (flags & X)
			ck_assert_int_eq(buf_get_u16(&b, &alen), 0);
		else {
			ck_assert_int_eq(buf_get_u8(&b, &l8), 0);
			alen = l8;
		}
		ck_assert_int_eq(buf_get_view(&b, alen, &val), 0);
		buf_view(&raw, p + start, b.rpos - start);
		act = attr_parse(w, flags, code, &val, &raw, ctx, &err);
		if (act > worst)
			worst = act;
	}
	return worst;
}

static char *
path_text(const struct aspath *p, char *out, size_t n)
{
	struct buf	 b;

	buf_init(&b, 64, 1 << 20);
	aspath_print(&b, p);
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_lt(buf_len(&b), n);
	memcpy(out, buf_data(&b), buf_len(&b));
	out[buf_len(&b)] = '\0';
	buf_free(&b);
	return out;
}

static char *
comms_text(const struct comms *c, char *out, size_t n)
{
	struct buf	 b;

	buf_init(&b, 64, 1 << 20);
	comms_print(&b, c);
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_lt(buf_len(&b), n);
	memcpy(out, buf_data(&b), buf_len(&b));
	out[buf_len(&b)] = '\0';
	buf_free(&b);
	return out;
}

/* Builds an internal (4-octet) path from a list: a negative number opens
 * a segment of that type, the rest are ASNs. */
static struct aspath *
mkpath(const long *v, size_t n)
{
	uint8_t	 d[4096];
	size_t	 i, o = 0, seg = 0;

	for (i = 0; i < n; i++) {
		if (v[i] < 0) {
			seg = o;
			d[o++] = (uint8_t)-v[i];
			d[o++] = 0;
			continue;
		}
		d[o++] = (uint8_t)(v[i] >> 24);
		d[o++] = (uint8_t)(v[i] >> 16);
		d[o++] = (uint8_t)(v[i] >> 8);
		d[o++] = (uint8_t)v[i];
		d[seg + 1]++;
	}
	return aspath_intern(d, o);
}
#define PATH(...)	mkpath((const long[]){ __VA_ARGS__ }, \
			sizeof((const long[]){ __VA_ARGS__ }) / sizeof(long))
#define SEQ	(-AS_SEQUENCE)
#define SET	(-AS_SET)
#define CSEQ	(-AS_CONFED_SEQUENCE)
#define CSET	(-AS_CONFED_SET)

/* A complete, valid set from AS 64512 over a 4-octet session. */
static void
mkwork(struct attr_work *w, uint32_t med)
{
	struct attr_err	 err;
	uint8_t		 medv[4] = { med >> 24, med >> 16, med >> 8, med };

	attr_work_init(w);
	ck_assert_int_eq(parse_one(w, &ebgp4, T, ATTR_ORIGIN, B(0), &err),
	    ACT_OK);
	ck_assert_int_eq(parse_one(w, &ebgp4, T, ATTR_AS_PATH,
	    B(2, 2, 0, 0, 0xfc, 0x00, 0, 0, 0xfd, 0xe9), &err), ACT_OK);
	ck_assert_int_eq(parse_one(w, &ebgp4, T, ATTR_NEXT_HOP,
	    B(169, 254, 10, 1), &err), ACT_OK);
	ck_assert_int_eq(parse_one(w, &ebgp4, O, ATTR_MED, medv, 4, &err),
	    ACT_OK);
	ck_assert_int_eq(parse_one(w, &ebgp4, O | T, ATTR_COMMUNITIES,
	    B(0xfd, 0xe8, 0, 100, 0xff, 0xff, 0xff, 0x01), &err), ACT_OK);
}

/* Row 11: attribute flags -------------------------------------------- */

/* The empty path is interned once and found again: the lookup must not
 * hand memcmp() a NULL pointer (UBSan in the sanitizer build). */
START_TEST(t_aspath_empty_twice)
{
	struct aspath	*a = aspath_empty(), *b = aspath_empty();

	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->len, 0);
	ck_assert_uint_eq(a->plen, 0);
	aspath_unref(a);
	aspath_unref(b);
	ck_assert_uint_eq(aspath_total(), 0);
}
END_TEST

START_TEST(t_flags)
{
	/* Optional or Transitive in conflict with the type: withdraw. */
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_ORIGIN, 0), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, 0, ATTR_ORIGIN, 0), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_MED, 0, 0, 0, 1), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_COMMUNITIES, 0, 1, 0, 1),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_NEXT_HOP, 10, 0, 0, 1),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_ATOMIC_AGGREGATE, 0),
	    ACT_WITHDRAW);
	/* Unused low bits and Partial are ignored (RFC 4271 4.3). */
	ck_assert_int_eq(ACT(ebgp4, T | 0x0f, ATTR_ORIGIN, 0), ACT_OK);
	ck_assert_int_eq(ACT(ebgp4, T | P, ATTR_ORIGIN, 2), ACT_OK);
	ck_assert_int_eq(ACT(ebgp4, O | T | P, ATTR_COMMUNITIES, 0, 1, 0, 1),
	    ACT_OK);
	/* Extended length on a short attribute is fine. */
	ck_assert_int_eq(ACT(ebgp4, T | X, ATTR_ORIGIN, 1), ACT_OK);
	leak_check();
}
END_TEST

START_TEST(t_flags_notify_data)
{
	struct attr_work	 w;
	struct attr_err		 err;

	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_ORIGIN, B(0),
	    &err), ACT_WITHDRAW);
	/* What RFC 4271 6.3 would have sent: 3/4 with the attribute. */
	ck_assert_uint_eq(err.notify.code, ERR_UPDATE);
	ck_assert_uint_eq(err.notify.subcode, ERR_UPD_ATTRFLAGS);
	ck_assert_uint_eq(err.notify.datalen, 4);
	MEM_EQ(err.notify.data, O | T, 1, 1, 0);
	attr_work_clear(&w);
}
END_TEST

/* ORIGIN ------------------------------------------------------------- */

START_TEST(t_origin)
{
	struct attr_work	 w;
	struct attr_err		 err;

	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 0), ACT_OK);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 1), ACT_OK);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 2), ACT_OK);
	/* RFC 7606 7.1 */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 3), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 255), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_ORIGIN), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ORIGIN, 0, 0), ACT_WITHDRAW);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_ORIGIN, B(2), &err),
	    ACT_OK);
	ck_assert_uint_eq(w.a.origin, ORIGIN_INCOMPLETE);
	ck_assert(attr_seen(&w, ATTR_ORIGIN));
	ck_assert(!attr_seen(&w, ATTR_AS_PATH));
	attr_work_clear(&w);
	leak_check();
}
END_TEST

/* Row 13: AS_PATH ---------------------------------------------------- */

START_TEST(t_aspath_ok)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[256];

	attr_work_init(&w);
	/* 64512 65001 {65002,65003} in 4-octet form */
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_AS_PATH,
	    B(2, 2, 0, 0, 0xfc, 0x00, 0, 0, 0xfd, 0xe9,
	    1, 2, 0, 0, 0xfd, 0xea, 0, 0, 0xfd, 0xeb), &err), ACT_OK);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)),
	    "64512 65001 {65002,65003}");
	ck_assert_uint_eq(w.a.aspath->plen, 3);
	ck_assert_uint_eq(aspath_neighbor(w.a.aspath), 64512);
	ck_assert_uint_eq(aspath_origin_as(w.a.aspath), 0);	/* a set */
	attr_work_clear(&w);

	/* The same path from a 2-octet session interns to the same path. */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp2, T, ATTR_AS_PATH,
	    B(2, 2, 0xfc, 0x00, 0xfd, 0xe9, 1, 2, 0xfd, 0xea, 0xfd, 0xeb),
	    &err), ACT_OK);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)),
	    "64512 65001 {65002,65003}");
	ck_assert_uint_eq(w.a.aspath->len, 20);
	attr_work_clear(&w);

	/* Confederation segments are fine from an internal peer. */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ibgp4, T, ATTR_AS_PATH,
	    B(3, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd, 0xea,
	    4, 1, 0, 0, 0xfd, 0xeb, 2, 1, 0, 0, 0xfc, 0), &err), ACT_OK);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)),
	    "(65001 65002) [65003] 64512");
	ck_assert_uint_eq(w.a.aspath->plen, 1);
	ck_assert_uint_eq(aspath_origin_as(w.a.aspath), 64512);
	attr_work_clear(&w);

	/* Empty AS_PATH: valid from an internal peer. */
	ck_assert_int_eq(ACT0(ibgp4, T, ATTR_AS_PATH), ACT_OK);
	leak_check();
}
END_TEST

START_TEST(t_aspath_malformed)
{
	/* RFC 7606 7.2: segment length 0 */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 2, 0), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH,
	    2, 1, 0, 0, 0xfc, 0, 2, 0), ACT_WITHDRAW);
	/* overrun */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 2, 2, 0, 0, 0xfc, 0),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp2, T, ATTR_AS_PATH, 2, 2, 0xfc, 0, 0xfd),
	    ACT_WITHDRAW);
	/* a lone trailing octet */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 2, 1, 0, 0, 0xfc, 0, 2),
	    ACT_WITHDRAW);
	/* unknown segment types */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 5, 1, 0, 0, 0xfc, 0),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 0, 1, 0, 0, 0xfc, 0),
	    ACT_WITHDRAW);
	/* confederation segments from an external peer */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH,
	    3, 1, 0, 0, 0xfc, 0, 2, 1, 0, 0, 0xfc, 0), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH,
	    2, 1, 0, 0, 0xfc, 0, 4, 1, 0, 0, 0xfc, 1), ACT_WITHDRAW);
	/* RFC 4271 6.3 leftmost AS check, RFC 7606 7.2 */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 2, 1, 0, 0, 0xfc, 1),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH, 1, 1, 0, 0, 0xfc, 0),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_AS_PATH), ACT_WITHDRAW);
	/* AS 0 (RFC 7607) */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_AS_PATH,
	    2, 2, 0, 0, 0xfc, 0, 0, 0, 0, 0), ACT_WITHDRAW);
	/* 4-octet data on a 2-octet session: the counts no longer fit */
	ck_assert_int_eq(ACT(ebgp2, T, ATTR_AS_PATH, 2, 1, 0, 0, 0xfc, 0),
	    ACT_WITHDRAW);
	leak_check();
}
END_TEST

START_TEST(t_aspath_peer_as_trans)
{
	struct attr_ctx	 c = ebgp2;

	/* A 4-octet-only peer on a 2-octet session shows up as AS_TRANS. */
	c.peer_as = 4200000001u;
	ck_assert_int_eq(ACT(c, T, ATTR_AS_PATH, 2, 1, 0x5b, 0xa0), ACT_OK);
	ck_assert_int_eq(ACT(c, T, ATTR_AS_PATH, 2, 1, 0xfc, 0x00),
	    ACT_WITHDRAW);
	c = ebgp4;
	c.peer_as = 4200000001u;
	ck_assert_int_eq(ACT(c, T, ATTR_AS_PATH,
	    2, 1, 0xfa, 0x56, 0xea, 0x01), ACT_OK);
	leak_check();
}
END_TEST

/* More than 1000 ASNs: accepted, with bounded (linear) work. */
START_TEST(t_aspath_long)
{
	static uint8_t		 v[8 * (2 + 255 * 4)];
	struct attr_work	 w;
	struct attr_err		 err;
	struct buf		 b;
	size_t			 o = 0, i, j;

	for (i = 0; i < 8; i++) {
		v[o++] = AS_SEQUENCE;
		v[o++] = 255;
		for (j = 0; j < 255; j++, o += 4) {
			v[o] = 0;
			v[o + 1] = 0;
			v[o + 2] = 0xfc;
			v[o + 3] = (i == 0 && j == 0) ? 0 : (uint8_t)j;
		}
	}
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T | X, ATTR_AS_PATH, v, o,
	    &err), ACT_OK);
	ck_assert_uint_eq(w.a.aspath->plen, 8 * 255);
	ck_assert_int_eq(aspath_count(w.a.aspath, 64512), 8);
	/* It encodes with the extended-length flag. */
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_ORIGIN, B(0), &err),
	    ACT_OK);
	buf_init(&b, 256, 65535);
	attr_encode(&b, &w.a, 1, 0);
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_eq(buf_data(&b)[4], T | X);
	ck_assert_uint_eq(buf_data(&b)[5], ATTR_AS_PATH);
	ck_assert_uint_eq(buf_data(&b)[6] << 8 | buf_data(&b)[7], o);
	buf_free(&b);
	attr_work_clear(&w);
	leak_check();
}
END_TEST

/* Row 9: NEXT_HOP ---------------------------------------------------- */

START_TEST(t_nexthop)
{
	struct attr_work	 w;
	struct attr_err		 err;

	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 169, 254, 10, 1),
	    ACT_OK);
	/* RFC 7606 7.3: length other than 4 */
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_NEXT_HOP), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 10, 0, 0), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 10, 0, 0, 1, 0),
	    ACT_WITHDRAW);
	/* RFC 4271 6.3 semantic checks */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 0, 0, 0, 0),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 224, 0, 0, 5),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 239, 1, 1, 1),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 240, 0, 0, 1),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 255, 255, 255, 255),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 169, 254, 10, 2),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_NEXT_HOP, 223, 255, 255, 255),
	    ACT_OK);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_NEXT_HOP,
	    B(169, 254, 10, 2), &err), ACT_WITHDRAW);
	ck_assert_uint_eq(err.notify.subcode, ERR_UPD_NEXTHOP);
	ck_assert_ptr_nonnull(strstr(err.why, "169.254.10.2"));
	attr_work_clear(&w);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_NEXT_HOP,
	    B(169, 254, 10, 1), &err), ACT_OK);
	ck_assert_uint_eq(w.a.nexthop.af, AF_INET);
	ck_assert_uint_eq(ntohl(w.a.nexthop.u.v4.s_addr), 0xa9fe0a01);
	attr_work_clear(&w);
}
END_TEST

/* MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR ---------------------- */

START_TEST(t_med_localpref)
{
	struct attr_work	 w;
	struct attr_err		 err;

	ck_assert_int_eq(ACT(ebgp4, O, ATTR_MED, 0, 0, 0, 5), ACT_OK);
	ck_assert_int_eq(ACT0(ebgp4, O, ATTR_MED), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_MED, 0, 0, 5), ACT_WITHDRAW);
	/* RFC 7606 7.5: from an external peer, discarded whatever it is */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_LOCAL_PREF, 0, 0, 0, 200),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_LOCAL_PREF, 0), ACT_DISCARD);
	ck_assert_int_eq(ACT(ibgp4, T, ATTR_LOCAL_PREF, 0, 0, 200),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ibgp4, T, ATTR_LOCAL_PREF, 0, 0, 0, 200),
	    ACT_OK);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O, ATTR_MED, B(0, 1, 0, 2),
	    &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_LOCAL_PREF,
	    B(0, 0, 0, 200), &err), ACT_DISCARD);
	ck_assert_uint_eq(w.a.med, 65538);
	ck_assert_uint_eq(w.a.flags, ATTRF_MED);
	attr_work_clear(&w);
	leak_check();
}
END_TEST

START_TEST(t_atomic_aggregator)
{
	struct attr_work	 w;
	struct attr_err		 err;

	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_ATOMIC_AGGREGATE), ACT_OK);
	/* RFC 7606 7.6, 7.7: attribute discard */
	ck_assert_int_eq(ACT(ebgp4, T, ATTR_ATOMIC_AGGREGATE, 1),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_AGGREGATOR,
	    0, 0, 0xfc, 0, 10, 0, 0, 1), ACT_OK);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_AGGREGATOR,
	    0xfc, 0, 10, 0, 0, 1), ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AGGREGATOR,
	    0xfc, 0, 10, 0, 0, 1), ACT_OK);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AGGREGATOR,
	    0, 0, 0xfc, 0, 10, 0, 0, 1), ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AGGREGATOR,
	    0xfc, 0, 10, 0, 0, 1, 0), ACT_DISCARD);
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_AGGREGATOR), ACT_DISCARD);
	/* AS 0 (RFC 7607) */
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AGGREGATOR,
	    0, 0, 10, 0, 0, 1), ACT_DISCARD);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_AGGREGATOR,
	    B(0xfa, 0x56, 0xea, 0x01, 10, 0, 0, 1), &err), ACT_OK);
	ck_assert_uint_eq(w.a.agg_as, 4200000001u);
	ck_assert_uint_eq(w.a.agg_id, 0x0a000001);
	ck_assert(w.a.flags & ATTRF_AGGREGATOR);
	attr_work_clear(&w);
}
END_TEST

/* Row 10: communities ------------------------------------------------ */

START_TEST(t_communities)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[256];

	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_COMMUNITIES), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_COMMUNITIES, 0, 1, 0, 1, 0),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_COMMUNITIES, 0, 1, 0),
	    ACT_WITHDRAW);
	/* Sorted and de-duplicated when interned. */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_COMMUNITIES,
	    B(0xff, 0xff, 0xff, 0x01, 0xfd, 0xe8, 0, 100,
	    0xff, 0xff, 0xff, 0x01), &err), ACT_OK);
	ck_assert_uint_eq(w.a.comm->n, 2);
	ck_assert_str_eq(comms_text(w.a.comm, s, sizeof(s)),
	    "65000:100 no-export");
	ck_assert(comms_has_std(w.a.comm, COMM_NO_EXPORT));
	ck_assert(comms_has_std(w.a.comm, 0xfde80064));
	ck_assert(!comms_has_std(w.a.comm, COMM_NO_ADVERTISE));
	attr_work_clear(&w);
	leak_check();
}
END_TEST

START_TEST(t_ext_large)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[256];

	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_EXT_COMMUNITIES),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_EXT_COMMUNITIES,
	    0, 2, 0xfd, 0xe8, 0, 0, 0, 100, 1, 2, 3, 4), ACT_WITHDRAW);
	/* RFC 8092 6 */
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_LARGE_COMMUNITIES),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_LARGE_COMMUNITIES,
	    0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 0, 0, 0, 2, 9), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ebgp4, O | T, ATTR_LARGE_COMMUNITIES,
	    0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 0, 0, 0), ACT_WITHDRAW);
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_EXT_COMMUNITIES,
	    B(0x00, 0x03, 0xfd, 0xe8, 0, 0, 0, 7,
	    0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 100,
	    0x01, 0x02, 10, 0, 0, 1, 0, 5,
	    0x02, 0x02, 0xfa, 0x56, 0xea, 0x01, 0, 9,
	    0x43, 0x03, 0, 0, 0, 0, 0, 0), &err), ACT_OK);
	ck_assert_str_eq(comms_text(w.a.ecomm, s, sizeof(s)),
	    "RT:65000:100 SoO:65000:7 RT:10.0.0.1:5 RT:4200000001:9 "
	    "UNK:67, 3");
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_LARGE_COMMUNITIES,
	    B(0, 0, 0xfd, 0xe8, 0, 0, 0, 2, 0, 0, 0, 3,
	    0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 0, 0, 0, 2), &err), ACT_OK);
	ck_assert_str_eq(comms_text(w.a.lcomm, s, sizeof(s)),
	    "65000:1:2 65000:2:3");
	attr_work_clear(&w);
	leak_check();
}
END_TEST

START_TEST(t_comms_ops)
{
	uint8_t		 a[] = { 0, 1, 0, 2, 0, 1, 0, 1 };
	uint8_t		 b[] = { 0, 1, 0, 3, 0, 1, 0, 1 };
	struct comms	*ca, *cb, *cu, *cu2;
	char		 s[128];

	ca = comms_intern(COMM_UNIT_STD, a, 2);
	cb = comms_intern(COMM_UNIT_STD, b, 2);
	cu = comms_union(ca, cb);
	ck_assert_str_eq(comms_text(cu, s, sizeof(s)), "1:1 1:2 1:3");
	cu2 = comms_union(ca, NULL);
	ck_assert_ptr_eq(cu2, ca);
	ck_assert_ptr_null(comms_union(NULL, NULL));
	ck_assert_ptr_null(comms_intern(COMM_UNIT_STD, a, 0));
	ck_assert_uint_eq(comms_total(), 3);
	ck_assert_uint_eq(ca->refcnt, 2);
	comms_unref(cu2);
	comms_unref(cu);
	comms_unref(cb);
	comms_unref(ca);
	leak_check();
}
END_TEST

/* ORIGINATOR_ID, CLUSTER_LIST ---------------------------------------- */

START_TEST(t_reflector_attrs)
{
	/* RFC 7606 7.9, 7.10: from an external peer, discarded */
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_ORIGINATOR_ID, 1, 2, 3, 4),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_CLUSTER_LIST, 1, 2, 3),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ibgp4, O, ATTR_ORIGINATOR_ID, 1, 2, 3, 4),
	    ACT_OK);
	ck_assert_int_eq(ACT(ibgp4, O, ATTR_ORIGINATOR_ID, 1, 2, 3),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ibgp4, O, ATTR_CLUSTER_LIST, 1, 2, 3, 4, 5),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ibgp4, O, ATTR_CLUSTER_LIST), ACT_WITHDRAW);
	ck_assert_int_eq(ACT(ibgp4, O, ATTR_CLUSTER_LIST, 1, 2, 3, 4),
	    ACT_OK);
}
END_TEST

/* Row 6: zero lengths, attribute by attribute. */
START_TEST(t_zero_lengths)
{
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_ORIGIN), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_AS_PATH), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ibgp4, T, ATTR_AS_PATH), ACT_OK);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_NEXT_HOP), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, O, ATTR_MED), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ibgp4, T, ATTR_LOCAL_PREF), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_LOCAL_PREF), ACT_DISCARD);
	ck_assert_int_eq(ACT0(ebgp4, T, ATTR_ATOMIC_AGGREGATE), ACT_OK);
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_AGGREGATOR), ACT_DISCARD);
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_COMMUNITIES), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ibgp4, O, ATTR_ORIGINATOR_ID), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ibgp4, O, ATTR_CLUSTER_LIST), ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_EXT_COMMUNITIES),
	    ACT_WITHDRAW);
	ck_assert_int_eq(ACT0(ebgp2, O | T, ATTR_AS4_PATH), ACT_DISCARD);
	ck_assert_int_eq(ACT0(ebgp2, O | T, ATTR_AS4_AGGREGATOR),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT0(ebgp4, O | T, ATTR_LARGE_COMMUNITIES),
	    ACT_WITHDRAW);
	/* unknown optional transitive of length 0: passed on */
	ck_assert_int_eq(ACT0(ebgp4, O | T, 99), ACT_OK);
	leak_check();
}
END_TEST

/* Row 7, attribute part: what update.c sees through attr_seen. */
START_TEST(t_seen_mandatory)
{
	struct attr_work	 w;
	struct attr_err		 err;

	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, 99, B(1, 2, 3), &err),
	    ACT_OK);
	ck_assert(attr_seen(&w, 99));
	ck_assert(!attr_seen(&w, ATTR_ORIGIN));
	ck_assert(!attr_seen(&w, ATTR_AS_PATH));
	ck_assert(!attr_seen(&w, ATTR_NEXT_HOP));
	ck_assert_ptr_nonnull(w.a.unknown);
	/* a malformed attribute still counts as seen */
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_ORIGIN, B(7), &err),
	    ACT_WITHDRAW);
	ck_assert(attr_seen(&w, ATTR_ORIGIN));
	attr_work_clear(&w);
	leak_check();
}
END_TEST

/* Row 12: duplicates -------------------------------------------------- */

START_TEST(t_duplicate)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[64];

	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_AS_PATH,
	    B(2, 1, 0, 0, 0xfc, 0), &err), ACT_OK);
	ck_assert(attr_seen(&w, ATTR_AS_PATH));
	/* RFC 7606 3 g: all but the first discarded */
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_AS_PATH,
	    B(2, 2, 0, 0, 0xfc, 0, 0, 0, 0xfc, 1), &err), ACT_DISCARD);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)), "64512");
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_COMMUNITIES,
	    B(0, 1, 0, 1), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_COMMUNITIES,
	    B(0, 1, 0, 2), &err), ACT_DISCARD);
	ck_assert_str_eq(comms_text(w.a.comm, s, sizeof(s)), "1:1");
	ck_assert_uint_eq(aspath_total(), 1);
	ck_assert_uint_eq(comms_total(), 1);
	attr_work_clear(&w);
	leak_check();
}
END_TEST

/* Unknown attributes (row 17) ------------------------------------------ */

START_TEST(t_unknown)
{
	struct attr_work	 w;
	struct attr_err		 err;
	const uint8_t		 raw[] = { 0x40, 99, 2, 0xaa, 0xbb };

	/* RFC 4271 6.3: unrecognized well-known attribute, 3/2 */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, 99, B(0xaa, 0xbb), &err),
	    ACT_RESET);
	ck_assert_uint_eq(err.notify.code, ERR_UPDATE);
	ck_assert_uint_eq(err.notify.subcode, ERR_UPD_UNKNWN_WK_ATTR);
	ck_assert_uint_eq(err.notify.datalen, sizeof(raw));
	ck_assert_mem_eq(err.notify.data, raw, sizeof(raw));
	attr_work_clear(&w);
	/* optional non-transitive: dropped quietly */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O, 99, B(1, 2), &err), ACT_OK);
	ck_assert_ptr_null(w.a.unknown);
	attr_work_clear(&w);
	/* optional transitive: kept in type order, Partial set, low bits
	 * cleared, extended length only when needed */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T | X | 0x03, 200,
	    B(7, 8), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, 33, B(9), &err),
	    ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T | P, 100, B(5, 6),
	    &err), ACT_OK);
	ck_assert_uint_eq(w.a.unknown->len, 4 + 5 + 5);
	MEM_EQ(w.a.unknown->data, O | T | P, 33, 1, 9,
	    O | T | P, 100, 2, 5, 6, O | T | P, 200, 2, 7, 8);
	attr_work_clear(&w);
	leak_check();
}
END_TEST

START_TEST(t_unknown_reencode)
{
	static uint8_t		 big[300];
	struct attr_work	 w, w2;
	struct attr_err		 err;
	struct attr		*a, *b;
	struct buf		 out;
	const uint8_t		*p;

	memset(big, 0x5a, sizeof(big));
	mkwork(&w, 7);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, 30, big, sizeof(big),
	    &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_LOCAL_PREF, B(1), &err),
	    ACT_DISCARD);		/* LOCAL_PREF from eBGP */
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, 99, B(0xde, 0xad),
	    &err), ACT_OK);
	a = attr_intern(&w.a);
	buf_init(&out, 512, 4096);
	attr_encode(&out, a, 1, 1);
	ck_assert_int_eq(buf_error(&out), 0);
	p = buf_data(&out);
	/* Type order: ... COMMUNITIES (8), 30 (extended), 99 ... */
	ck_assert_uint_eq(buf_len(&out), 4 + 13 + 7 + 7 + 11 + 304 + 5);
	MEM_EQ(p + 42, O | T | P | X, 30, 1, 44);
	ck_assert_mem_eq(p + 46, big, sizeof(big));
	MEM_EQ(p + 346, O | T | P, 99, 2, 0xde, 0xad);
	/* ... and parses back into the very same interned set. */
	attr_work_init(&w2);
	ck_assert_int_eq(parse_block(&w2, &ebgp4, p, buf_len(&out)), ACT_OK);
	b = attr_intern(&w2.a);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->refcnt, 2);
	attr_unref(b);
	attr_unref(a);
	attr_work_clear(&w);
	attr_work_clear(&w2);
	buf_free(&out);
	leak_check();
}
END_TEST

/* AS4_PATH / AS4_AGGREGATOR (RFC 6793) -------------------------------- */

START_TEST(t_as4_ignored_on_as4)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[64];

	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp4, T, ATTR_AS_PATH,
	    B(2, 1, 0, 0, 0xfc, 0), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_AS4_PATH,
	    B(2, 1, 0, 0, 0xfc, 9), &err), ACT_DISCARD);
	ck_assert_int_eq(parse_one(&w, &ebgp4, O | T, ATTR_AS4_AGGREGATOR,
	    B(0, 0, 0xfc, 9, 1, 1, 1, 1), &err), ACT_DISCARD);
	ck_assert_ptr_null(w.as4_path);
	ck_assert_int_eq(w.has_as4_agg, 0);
	attr_merge_as4(&w, &ebgp4);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)), "64512");
	attr_work_clear(&w);
	leak_check();
}
END_TEST

START_TEST(t_as4_malformed)
{
	/* RFC 6793 6: attribute discard */
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_PATH, 2, 0), ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_PATH, 2, 2, 0, 0, 1, 1),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_PATH, 9, 1, 0, 0, 1, 1),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_PATH, 2, 1, 0, 0, 0, 0),
	    ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_AGGREGATOR,
	    0, 0, 1, 1, 1, 1, 1), ACT_DISCARD);
	ck_assert_int_eq(ACT(ebgp2, O | T, ATTR_AS4_AGGREGATOR,
	    0, 0, 0, 0, 1, 1, 1, 1), ACT_DISCARD);
	/* wrong flags: still a flag error */
	ck_assert_int_eq(ACT(ebgp2, T, ATTR_AS4_PATH, 2, 1, 0, 0, 1, 1),
	    ACT_WITHDRAW);
	leak_check();
}
END_TEST

/* Parses AS_PATH (2-octet), AS4_PATH and optionally the aggregators on
 * ebgp2, merges, and returns the text. */
static void
as4_case(const uint8_t *ap, size_t aplen, const uint8_t *as4, size_t as4len,
    const char *want)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[256];

	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp2, T, ATTR_AS_PATH, ap, aplen,
	    &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AS4_PATH, as4,
	    as4len, &err), ACT_OK);
	attr_merge_as4(&w, &ebgp2);
	ck_assert_ptr_null(w.as4_path);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)), want);
	attr_work_clear(&w);
	leak_check();
}

START_TEST(t_as4_merge)
{
	/* 64512 AS_TRANS 65001 + AS4_PATH 4200000001 65001 */
	as4_case(B(2, 3, 0xfc, 0x00, 0x5b, 0xa0, 0xfd, 0xe9),
	    B(2, 2, 0xfa, 0x56, 0xea, 0x01, 0, 0, 0xfd, 0xe9),
	    "64512 4200000001 65001");
	/* AS4_PATH longer than AS_PATH: ignored */
	as4_case(B(2, 1, 0xfc, 0x00),
	    B(2, 2, 0xfa, 0x56, 0xea, 0x01, 0, 0, 0xfd, 0xe9), "64512");
	/* equal lengths: AS4_PATH wins whole */
	as4_case(B(2, 2, 0xfc, 0x00, 0x5b, 0xa0),
	    B(2, 2, 0, 0, 0xfc, 0, 0xfa, 0x56, 0xea, 0x01),
	    "64512 4200000001");
	/* a set counts one; confederation segments in AS4_PATH dropped */
	as4_case(B(2, 1, 0xfc, 0x00, 1, 2, 0x5b, 0xa0, 0xfd, 0xe9),
	    B(3, 1, 0, 0, 0xfd, 0xea, 1, 2, 0xfa, 0x56, 0xea, 0x01,
	    0, 0, 0xfd, 0xe9), "64512 {4200000001,65001}");
	/* leading sequence taken partly, joined with AS4_PATH's */
	as4_case(B(2, 4, 0xfc, 0x00, 0xfc, 0x01, 0x5b, 0xa0, 0x5b, 0xa0),
	    B(2, 2, 0xfa, 0x56, 0xea, 0x01, 0xfa, 0x56, 0xea, 0x02),
	    "64512 64513 4200000001 4200000002");
}
END_TEST

START_TEST(t_as4_aggregator)
{
	struct attr_work	 w;
	struct attr_err		 err;
	char			 s[64];

	/* AGGREGATOR AS_TRANS + AS4_AGGREGATOR: the real one */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AGGREGATOR,
	    B(0x5b, 0xa0, 10, 0, 0, 1), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AS4_AGGREGATOR,
	    B(0xfa, 0x56, 0xea, 0x01, 10, 0, 0, 2), &err), ACT_OK);
	attr_merge_as4(&w, &ebgp2);
	ck_assert_uint_eq(w.a.agg_as, 4200000001u);
	ck_assert_uint_eq(w.a.agg_id, 0x0a000002);
	attr_work_clear(&w);
	/* AGGREGATOR of a 2-octet AS: AS4_AGGREGATOR and AS4_PATH ignored */
	attr_work_init(&w);
	ck_assert_int_eq(parse_one(&w, &ebgp2, T, ATTR_AS_PATH,
	    B(2, 2, 0xfc, 0x00, 0x5b, 0xa0), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AGGREGATOR,
	    B(0xfd, 0xe9, 10, 0, 0, 1), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AS4_AGGREGATOR,
	    B(0xfa, 0x56, 0xea, 0x01, 10, 0, 0, 2), &err), ACT_OK);
	ck_assert_int_eq(parse_one(&w, &ebgp2, O | T, ATTR_AS4_PATH,
	    B(2, 1, 0xfa, 0x56, 0xea, 0x01), &err), ACT_OK);
	attr_merge_as4(&w, &ebgp2);
	ck_assert_uint_eq(w.a.agg_as, 65001);
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)), "64512 23456");
	attr_work_clear(&w);
	leak_check();
}
END_TEST

/* Encoding ------------------------------------------------------------ */

START_TEST(t_encode_order)
{
	struct attr_work	 w;
	struct attr		*a;
	struct buf		 out;
	const uint8_t		*p;

	mkwork(&w, 5);
	w.a.local_pref = 300;
	w.a.flags |= ATTRF_LOCAL_PREF | ATTRF_ATOMIC_AGG;
	w.a.weight = 7;
	a = attr_intern(&w.a);
	buf_init(&out, 128, 4096);
	attr_encode(&out, a, 1, 1);
	ck_assert_int_eq(buf_error(&out), 0);
	p = buf_data(&out);
	MEM_EQ(p, T, 1, 1, 0,
	    T, 2, 10, 2, 2, 0, 0, 0xfc, 0, 0, 0, 0xfd, 0xe9,
	    T, 3, 4, 169, 254, 10, 1,
	    O, 4, 4, 0, 0, 0, 5,
	    T, 6, 0,
	    O | T, 8, 8, 0xfd, 0xe8, 0, 100, 0xff, 0xff, 0xff, 1);
	ck_assert_uint_eq(buf_len(&out), 4 + 13 + 7 + 7 + 3 + 11);
	/* no NEXT_HOP for MP next hops */
	buf_reset(&out);
	attr_encode(&out, a, 1, 0);
	ck_assert_uint_eq(buf_len(&out), 4 + 13 + 7 + 3 + 11);
	buf_free(&out);
	attr_unref(a);
	leak_check();
}
END_TEST

/* RFC 6793 4.2.2: a 2-octet peer gets AS_TRANS and AS4_PATH /
 * AS4_AGGREGATOR; confederation segments stay out of AS4_PATH. */
START_TEST(t_encode_as2)
{
	struct attr	 a, *ia;
	struct buf	 out;
	struct attr_work w;
	char		 s[128];

	memset(&a, 0, sizeof(a));
	a.origin = ORIGIN_IGP;
	a.aspath = PATH(SEQ, 65000, 4200000001, CSEQ, 65010, SET, 4200000002,
	    65003);
	a.flags = ATTRF_AGGREGATOR;
	a.agg_as = 4200000003u;
	a.agg_id = 0x01020304;
	ia = attr_intern(&a);
	buf_init(&out, 128, 4096);
	attr_encode(&out, ia, 0, 0);
	ck_assert_int_eq(buf_error(&out), 0);
	MEM_EQ(buf_data(&out), T, 1, 1, 0,
	    T, 2, 16, 2, 2, 0xfd, 0xe8, 0x5b, 0xa0, 3, 1, 0xfd, 0xf2,
	    1, 2, 0x5b, 0xa0, 0xfd, 0xeb,
	    O | T, 7, 6, 0x5b, 0xa0, 1, 2, 3, 4,
	    O | T, 17, 20, 2, 2, 0, 0, 0xfd, 0xe8, 0xfa, 0x56, 0xea, 0x01,
	    1, 2, 0xfa, 0x56, 0xea, 0x02, 0, 0, 0xfd, 0xeb,
	    O | T, 18, 8, 0xfa, 0x56, 0xea, 0x03, 1, 2, 3, 4);
	ck_assert_uint_eq(buf_len(&out), 4 + 19 + 9 + 23 + 11);
	/* What a NEW speaker makes of it behind a 2-octet hop: the
	 * confederation segment, neither leading nor next to a prepended
	 * one, is not restored (RFC 6793 4.2.3). */
	attr_work_init(&w);
	{
		struct attr_ctx	 c = ibgp4;

		c.as4 = 0;
		ck_assert_int_eq(parse_block(&w, &c, buf_data(&out),
		    buf_len(&out)), ACT_OK);
		attr_merge_as4(&w, &c);
	}
	ck_assert_str_eq(path_text(w.a.aspath, s, sizeof(s)),
	    "65000 4200000001 {4200000002,65003}");
	ck_assert_uint_eq(w.a.agg_as, 4200000003u);
	attr_work_clear(&w);
	/* all 2-octet: no AS4_PATH (SHOULD NOT, 4.2.2) */
	buf_free(&out);
	attr_unref(ia);
	memset(&a, 0, sizeof(a));
	a.aspath = PATH(SEQ, 65000, 65001);
	ia = attr_intern(&a);
	buf_init(&out, 128, 4096);
	attr_encode(&out, ia, 0, 0);
	ck_assert_uint_eq(buf_len(&out), 4 + 3 + 2 + 4);
	buf_free(&out);
	attr_unref(ia);
	leak_check();
}
END_TEST

/* Each attribute: parse, intern, encode, parse again: the same set. */
START_TEST(t_roundtrip_each)
{
	static const struct {
		uint8_t		 flags, code;
		uint8_t		 len;
		uint8_t		 v[24];
	} cases[] = {
		{ T, ATTR_ORIGIN, 1, { 2 } },
		{ T, ATTR_AS_PATH, 10, { 2, 2, 0, 0, 0xfc, 0, 0xfa, 0x56,
		    0xea, 1 } },
		{ T, ATTR_NEXT_HOP, 4, { 192, 0, 2, 1 } },
		{ O, ATTR_MED, 4, { 0xff, 0, 0, 1 } },
		{ T, ATTR_ATOMIC_AGGREGATE, 0, { 0 } },
		{ O | T, ATTR_AGGREGATOR, 8, { 0, 0, 0xfc, 0, 1, 2, 3, 4 } },
		{ O | T, ATTR_COMMUNITIES, 8, { 0, 1, 0, 1, 0xff, 0xff, 0, 0 } },
		{ O | T, ATTR_EXT_COMMUNITIES, 8, { 0, 2, 0, 1, 0, 0, 0, 1 } },
		{ O | T, ATTR_LARGE_COMMUNITIES, 12, { 0, 0, 0, 1, 0, 0, 0, 2,
		    0, 0, 0, 3 } },
		{ O | T | P, 77, 3, { 1, 2, 3 } },
	};
	struct attr_work	 w, w2;
	struct attr_err		 err;
	struct attr		*a, *b;
	struct buf		 out;
	size_t			 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		attr_work_init(&w);
		ck_assert_int_eq(parse_one(&w, &ibgp4, cases[i].flags,
		    cases[i].code, cases[i].v, cases[i].len, &err), ACT_OK);
		ck_assert(attr_seen(&w, cases[i].code));
		a = attr_intern(&w.a);
		buf_init(&out, 64, 4096);
		attr_encode(&out, a, 1, 1);
		ck_assert_int_eq(buf_error(&out), 0);
		attr_work_init(&w2);
		ck_assert_int_eq(parse_block(&w2, &ibgp4, buf_data(&out),
		    buf_len(&out)), ACT_OK);
		b = attr_intern(&w2.a);
		ck_assert_msg(a == b, "attribute %u changed in a round trip",
		    cases[i].code);
		attr_unref(a);
		attr_unref(b);
		buf_free(&out);
		attr_work_clear(&w);
		attr_work_clear(&w2);
	}
	leak_check();
}
END_TEST

/* Interning ------------------------------------------------------------ */

START_TEST(t_intern_share)
{
	struct attr_work	 w1, w2;
	struct attr		*a, *b, *c, copy;

	mkwork(&w1, 1);
	mkwork(&w2, 1);
	ck_assert_ptr_eq(w1.a.aspath, w2.a.aspath);
	ck_assert_uint_eq(w1.a.aspath->refcnt, 2);
	a = attr_intern(&w1.a);
	ck_assert_ptr_null(w1.a.aspath);	/* references handed over */
	b = attr_intern(&w2.a);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->refcnt, 2);
	ck_assert_uint_eq(a->aspath->refcnt, 1);
	ck_assert_uint_eq(attr_count(), 1);
	/* a policy changes a copy: a new set sharing the parts */
	attr_copy(&copy, a);
	ck_assert_uint_eq(copy.refcnt, 0);
	ck_assert_uint_eq(a->aspath->refcnt, 2);
	copy.med = 99;
	ck_assert(!attr_equal(&copy, a));
	c = attr_intern(&copy);
	ck_assert_ptr_ne(c, a);
	ck_assert_ptr_eq(c->aspath, a->aspath);
	ck_assert_uint_eq(attr_count(), 2);
	ck_assert(attr_equal(attr_ref(c), c));
	attr_unref(c);
	attr_unref(c);
	attr_unref(a);
	ck_assert_uint_eq(attr_count(), 1);
	attr_unref(b);
	attr_work_clear(&w1);
	attr_work_clear(&w2);
	leak_check();
}
END_TEST

/* A withdraw storm: many distinct sets in, all released, nothing left. */
START_TEST(t_intern_storm)
{
	enum { N = 20000 };
	struct attr	**v = calloc(N, sizeof(*v));
	struct attr_work w;
	size_t		 i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < N; i++) {
		mkwork(&w, (uint32_t)(i % 5000));
		v[i] = attr_intern(&w.a);
		attr_work_clear(&w);
	}
	ck_assert_uint_eq(attr_count(), 5000);
	ck_assert_uint_eq(aspath_total(), 1);
	ck_assert_uint_eq(comms_total(), 1);
	ck_assert_uint_eq(v[0]->refcnt, N / 5000);
	for (i = 0; i < N / 2; i++)
		attr_unref(v[i]);
	ck_assert_uint_eq(attr_count(), 5000);
	for (i = N / 2; i < N; i++)
		attr_unref(v[i]);
	free(v);
	leak_check();
}
END_TEST

START_TEST(t_intern_many_paths)
{
	enum { N = 3000 };
	struct aspath	**v = calloc(N, sizeof(*v));
	struct aspath	*again;
	size_t		 i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < N; i++)
		v[i] = PATH(SEQ, 64512, (long)i + 1);
	ck_assert_uint_eq(aspath_total(), N);
	/* lookups still find every one after the table grew */
	for (i = 0; i < N; i += 7) {
		again = PATH(SEQ, 64512, (long)i + 1);
		ck_assert_ptr_eq(again, v[i]);
		aspath_unref(again);
	}
	for (i = N; i-- > 0;)
		aspath_unref(v[i]);
	free(v);
	leak_check();
}
END_TEST

/* Removals in scrambled order keep every other entry reachable
 * (backward-shift deletion must not break probe chains). */
START_TEST(t_intern_remove_order)
{
	enum { N = 2000 };
	struct aspath	**v = calloc(N, sizeof(*v));
	struct aspath	*again;
	size_t		 i, j, k, gone = 0;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < N; i++)
		v[i] = PATH(SEQ, 64512, (long)i * 7919 + 1);
	for (k = 0; k < N; k++) {
		j = (k * 1031) % N;		/* 1031 is prime to N */
		aspath_unref(v[j]);
		v[j] = NULL;
		if (++gone % 250 != 0)
			continue;
		for (i = 0; i < N; i++) {
			if (v[i] == NULL)
				continue;
			again = PATH(SEQ, 64512, (long)i * 7919 + 1);
			ck_assert_ptr_eq(again, v[i]);
			aspath_unref(again);
		}
		ck_assert_uint_eq(aspath_total(), N - gone);
	}
	free(v);
	leak_check();
}
END_TEST

/* MP_REACH_NLRI / MP_UNREACH_NLRI are update.c's: handing them here is a
 * bug that must not pass silently as an unknown optional attribute. */
START_TEST(t_mp_refused)
{
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_MP_REACH_NLRI, 0, 2, 1, 0, 0),
	    ACT_RESET);
	ck_assert_int_eq(ACT(ebgp4, O, ATTR_MP_UNREACH_NLRI, 0, 2, 1),
	    ACT_RESET);
	leak_check();
}
END_TEST

START_TEST(t_aspath_ops)
{
	struct aspath	*p, *q, *e;
	char		 s[2048];

	p = PATH(SEQ, 65001, 65002, SET, 65003, 65004);
	q = aspath_prepend(p, 65000, 2);
	ck_assert_str_eq(path_text(q, s, sizeof(s)),
	    "65000 65000 65001 65002 {65003,65004}");
	ck_assert_uint_eq(q->plen, 5);
	ck_assert_uint_eq(aspath_neighbor(q), 65000);
	ck_assert_int_eq(aspath_count(q, 65000), 2);
	ck_assert_int_eq(aspath_count(q, 65009), 0);
	aspath_unref(q);
	q = aspath_prepend(p, 65000, 0);
	ck_assert_ptr_eq(q, p);
	aspath_unref(q);
	aspath_unref(p);
	/* an empty path; prepending makes a sequence */
	e = aspath_empty();
	ck_assert_uint_eq(e->len, 0);
	ck_assert_str_eq(path_text(e, s, sizeof(s)), "");
	ck_assert_uint_eq(aspath_neighbor(e), 0);
	ck_assert_uint_eq(aspath_origin_as(e), 0);
	q = aspath_prepend(e, 64512, 1);
	ck_assert_uint_eq(aspath_origin_as(q), 64512);
	aspath_unref(q);
	/* past a full segment: split in segments of at most 255 */
	q = aspath_prepend(e, 64512, 300);
	ck_assert_uint_eq(q->plen, 300);
	ck_assert_uint_eq(q->data[1], 255);
	ck_assert_uint_eq(q->data[2 + 255 * 4 + 1], 45);
	ck_assert_int_eq(aspath_count(q, 64512), 300);
	aspath_unref(q);
	aspath_unref(e);
	leak_check();
}
END_TEST

/* Names ----------------------------------------------------------------- */

START_TEST(t_names)
{
	ck_assert_str_eq(attr_origin_name(ORIGIN_IGP), "IGP");
	ck_assert_str_eq(attr_origin_name(ORIGIN_EGP), "EGP");
	ck_assert_str_eq(attr_origin_name(ORIGIN_INCOMPLETE), "incomplete");
	ck_assert_int_eq(attr_origin_code(ORIGIN_IGP), 'i');
	ck_assert_int_eq(attr_origin_code(ORIGIN_EGP), 'e');
	ck_assert_int_eq(attr_origin_code(ORIGIN_INCOMPLETE), '?');
	ck_assert_str_eq(attr_code_name(ATTR_AS_PATH), "AS_PATH");
	ck_assert_str_eq(attr_code_name(ATTR_LARGE_COMMUNITIES),
	    "LARGE_COMMUNITIES");
	ck_assert_str_eq(attr_code_name(250), "UNKNOWN");
}
END_TEST

/* Standard communities with FRR's names. */
START_TEST(t_comm_names)
{
	uint8_t		 d[] = { 0xff, 0xff, 0, 0, 0xff, 0xff, 0x02, 0x9a,
			    0xff, 0xff, 0xff, 0x02, 0xff, 0xff, 0xff, 0x03,
			    0xff, 0xff, 0xff, 0x04, 0, 0, 0, 0 };
	struct comms	*c = comms_intern(COMM_UNIT_STD, d, 6);
	char		 s[256];

	ck_assert_str_eq(comms_text(c, s, sizeof(s)), "0:0 graceful-shutdown "
	    "blackhole no-advertise local-AS no-peer");
	comms_unref(c);
	leak_check();
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("attr");
	TCase	*fl = tcase_create("flags");
	TCase	*wk = tcase_create("well-known");
	TCase	*op = tcase_create("optional");
	TCase	*mf = tcase_create("malformed");
	TCase	*as4 = tcase_create("as4");
	TCase	*enc = tcase_create("encode");
	TCase	*in = tcase_create("intern");
	SRunner	*sr;
	int	 nf;

	ctx_setup();
	tcase_add_test(fl, t_flags);
	tcase_add_test(fl, t_flags_notify_data);
	tcase_add_test(wk, t_origin);
	tcase_add_test(wk, t_aspath_ok);
	tcase_add_test(wk, t_aspath_empty_twice);
	tcase_add_test(wk, t_aspath_malformed);
	tcase_add_test(wk, t_aspath_peer_as_trans);
	tcase_add_test(wk, t_aspath_long);
	tcase_add_test(wk, t_nexthop);
	tcase_add_test(wk, t_med_localpref);
	tcase_add_test(wk, t_atomic_aggregator);
	tcase_add_test(op, t_communities);
	tcase_add_test(op, t_ext_large);
	tcase_add_test(op, t_comms_ops);
	tcase_add_test(op, t_reflector_attrs);
	tcase_add_test(op, t_comm_names);
	tcase_add_test(mf, t_zero_lengths);
	tcase_add_test(mf, t_seen_mandatory);
	tcase_add_test(mf, t_duplicate);
	tcase_add_test(mf, t_unknown);
	tcase_add_test(mf, t_unknown_reencode);
	tcase_add_test(as4, t_as4_ignored_on_as4);
	tcase_add_test(as4, t_as4_malformed);
	tcase_add_test(as4, t_as4_merge);
	tcase_add_test(as4, t_as4_aggregator);
	tcase_add_test(enc, t_encode_order);
	tcase_add_test(enc, t_encode_as2);
	tcase_add_test(enc, t_roundtrip_each);
	tcase_add_test(in, t_intern_share);
	tcase_add_test(in, t_intern_storm);
	tcase_add_test(in, t_intern_many_paths);
	tcase_add_test(in, t_intern_remove_order);
	tcase_add_test(in, t_aspath_ops);
	tcase_add_test(mf, t_mp_refused);
	tcase_add_test(in, t_names);
	/* t_intern_storm interns many sets: more than Check's 4 s under
	 * the sanitizers on a busy machine. */
	tcase_set_timeout(in, 60);
	suite_add_tcase(s, fl);
	suite_add_tcase(s, wk);
	suite_add_tcase(s, op);
	suite_add_tcase(s, mf);
	suite_add_tcase(s, as4);
	suite_add_tcase(s, enc);
	suite_add_tcase(s, in);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
