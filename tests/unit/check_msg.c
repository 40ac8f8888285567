/*
 * check_msg: the BGP codec (bgpd/msg.c).  Round trips of every message
 * type we build, and hand-built malformed input from
 * docs/malformed-input.md rows 1-4 (header, RFC 9072 parameters,
 * capability TLVs, OPEN values), 14 (NOTIFICATION / shutdown text) and 15
 * (ROUTE-REFRESH), each mapped to the exact NOTIFICATION expected.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bgpd.h"
#include "msg.h"

/* Helpers ------------------------------------------------------------- */

/* Writes a header into p (19 bytes). */
static void
mk_hdr(uint8_t *p, uint16_t len, uint8_t type)
{
	memset(p, 0xff, BGP_MARKER_LEN);
	p[16] = len >> 8;
	p[17] = len & 0xff;
	p[18] = type;
}

/* Parses the header of msg; expects failure with code/subcode and data. */
static void
hdr_fails(const uint8_t *msg, size_t len, int ext, uint8_t sub,
    const uint8_t *data, size_t datalen)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint8_t			 type;
	uint16_t		 mlen;

	buf_view(&b, msg, len);
	ck_assert_int_eq(msg_hdr_parse(&b, ext, &type, &mlen, &err), -1);
	ck_assert_uint_eq(err.code, ERR_HEADER);
	ck_assert_uint_eq(err.subcode, sub);
	ck_assert_uint_eq(err.datalen, datalen);
	if (datalen > 0)
		ck_assert_mem_eq(err.data, data, datalen);
}

static void
hdr_badlen(uint16_t len, uint8_t type, int ext)
{
	uint8_t	 msg[BGP_HDR_LEN];
	uint8_t	 want[2] = { len >> 8, len & 0xff };

	mk_hdr(msg, len, type);
	hdr_fails(msg, sizeof(msg), ext, ERR_HDR_LEN, want, 2);
}

static void
hdr_ok(uint16_t len, uint8_t type, int ext)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint8_t			 msg[BGP_HDR_LEN], t;
	uint16_t		 l;

	mk_hdr(msg, len, type);
	buf_view(&b, msg, sizeof(msg));
	ck_assert_int_eq(msg_hdr_parse(&b, ext, &t, &l, &err), 0);
	ck_assert_uint_eq(t, type);
	ck_assert_uint_eq(l, len);
	ck_assert_uint_eq(buf_left(&b), 0);
}

/* Parses a built message: header, then a view of exactly the body. */
static void
split_msg(const struct buf *w, uint8_t want_type, struct buf *body)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint8_t			 type;
	uint16_t		 len;

	ck_assert_int_eq(buf_error(w), 0);
	buf_view(&b, buf_data(w), buf_len(w));
	ck_assert_int_eq(msg_hdr_parse(&b, 0, &type, &len, &err), 0);
	ck_assert_uint_eq(type, want_type);
	ck_assert_uint_eq(len, buf_len(w));
	ck_assert_int_eq(buf_get_view(&b, len - BGP_HDR_LEN, body), 0);
	ck_assert_uint_eq(buf_left(&b), 0);
}

/* A 10-octet OPEN body prefix: version 4, AS 64512, hold 90, id 1.2.3.4
 * and the given Non-Ext OP Len. */
static size_t
mk_open(uint8_t *p, uint8_t optlen)
{
	const uint8_t	 fixed[] = { 4, 0xfc, 0x00, 0, 90, 1, 2, 3, 4 };

	memcpy(p, fixed, sizeof(fixed));
	p[9] = optlen;
	return 10;
}

static int
open_parse_bytes(const uint8_t *p, size_t len, struct bgp_open *o,
    struct bgp_notify *err)
{
	struct buf	 b;

	buf_view(&b, p, len);
	return msg_open_parse(&b, o, err);
}

/* An OPEN body whose only parameter is capabilities caps (non-ext). */
static void
open_caps_fails(const uint8_t *caps, uint8_t caplen, const uint8_t *data,
    size_t datalen)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;
	uint8_t			 body[300];
	size_t			 n;

	n = mk_open(body, caplen + 2);
	body[n++] = 2;
	body[n++] = caplen;
	memcpy(body + n, caps, caplen);
	n += caplen;
	ck_assert_int_eq(open_parse_bytes(body, n, &o, &err), -1);
	ck_assert_uint_eq(err.code, ERR_OPEN);
	ck_assert_uint_eq(err.subcode, ERR_OPEN_UNSPEC);
	ck_assert_uint_eq(err.datalen, datalen);
	ck_assert_mem_eq(err.data, data, datalen);
}

static void
open_caps_ok(const uint8_t *caps, uint8_t caplen, struct bgp_open *o)
{
	struct bgp_notify	 err;
	uint8_t			 body[300];
	size_t			 n;

	n = mk_open(body, caplen + 2);
	body[n++] = 2;
	body[n++] = caplen;
	memcpy(body + n, caps, caplen);
	n += caplen;
	ck_assert_int_eq(open_parse_bytes(body, n, o, &err), 0);
}

static void
open_fails_with(const uint8_t *p, size_t len, uint8_t code, uint8_t sub)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;

	ck_assert_int_eq(open_parse_bytes(p, len, &o, &err), -1);
	ck_assert_uint_eq(err.code, code);
	ck_assert_uint_eq(err.subcode, sub);
}

static void
full_open(struct bgp_open *o)
{
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = AS_TRANS;
	o->holdtime = 90;
	o->bgp_id = 0x0a000001;
	o->caps.mp = AID_BIT(AID_IPV4_UNICAST) | AID_BIT(AID_IPV6_UNICAST);
	o->caps.as4 = 1;
	o->caps.as4_asn = 4200000000u;
	o->caps.route_refresh = 1;
	o->caps.enhanced_rr = 1;
	o->caps.ext_msg = 1;
	o->caps.gr = 1;
	o->caps.gr_flags = 0x80;
	o->caps.gr_time = 120;
	o->caps.gr_naf = 2;
	o->caps.gr_af[0].afi = AFI_IPV4;
	o->caps.gr_af[0].safi = SAFI_UNICAST;
	o->caps.gr_af[0].flags = 0x80;
	o->caps.gr_af[1].afi = AFI_IPV6;
	o->caps.gr_af[1].safi = SAFI_UNICAST;
	o->caps.gr_af[1].flags = 0;
}

static void
open_eq(const struct bgp_open *a, const struct bgp_open *b)
{
	int	 i;

	ck_assert_uint_eq(a->version, b->version);
	ck_assert_uint_eq(a->my_as, b->my_as);
	ck_assert_uint_eq(a->holdtime, b->holdtime);
	ck_assert_uint_eq(a->bgp_id, b->bgp_id);
	ck_assert_int_eq(a->ext_params, b->ext_params);
	ck_assert_uint_eq(a->caps.mp, b->caps.mp);
	ck_assert_int_eq(a->caps.as4, b->caps.as4);
	ck_assert_uint_eq(a->caps.as4_asn, b->caps.as4_asn);
	ck_assert_int_eq(a->caps.route_refresh, b->caps.route_refresh);
	ck_assert_int_eq(a->caps.enhanced_rr, b->caps.enhanced_rr);
	ck_assert_int_eq(a->caps.ext_msg, b->caps.ext_msg);
	ck_assert_int_eq(a->caps.gr, b->caps.gr);
	ck_assert_uint_eq(a->caps.gr_flags, b->caps.gr_flags);
	ck_assert_uint_eq(a->caps.gr_time, b->caps.gr_time);
	ck_assert_uint_eq(a->caps.gr_naf, b->caps.gr_naf);
	for (i = 0; i < a->caps.gr_naf; i++) {
		ck_assert_uint_eq(a->caps.gr_af[i].afi, b->caps.gr_af[i].afi);
		ck_assert_uint_eq(a->caps.gr_af[i].safi, b->caps.gr_af[i].safi);
		ck_assert_uint_eq(a->caps.gr_af[i].flags,
		    b->caps.gr_af[i].flags);
	}
	ck_assert_uint_eq(a->caps.unknown, b->caps.unknown);
}

static void
open_roundtrip(const struct bgp_open *in, struct bgp_open *out,
    struct buf *w)
{
	struct bgp_notify	 err;
	struct buf		 body;

	ck_assert_int_eq(buf_init(w, 64, BGP_MAX_LEN), 0);
	msg_open_build(w, in);
	split_msg(w, BGP_OPEN, &body);
	ck_assert_int_eq(msg_open_parse(&body, out, &err), 0);
	ck_assert_uint_eq(buf_left(&body), 0);
	open_eq(in, out);
}

/* Row 1: header ------------------------------------------------------- */

START_TEST(t_hdr_valid)
{
	hdr_ok(BGP_KEEPALIVE_LEN, BGP_KEEPALIVE, 0);
	hdr_ok(BGP_OPEN_MIN_LEN, BGP_OPEN, 0);
	hdr_ok(BGP_MAX_LEN, BGP_OPEN, 1);
	hdr_ok(BGP_UPDATE_MIN_LEN, BGP_UPDATE, 0);
	hdr_ok(BGP_MAX_LEN, BGP_UPDATE, 0);
	hdr_ok(5000, BGP_UPDATE, 1);
	hdr_ok(BGP_EXT_MAX_LEN, BGP_UPDATE, 1);
	hdr_ok(BGP_NOTIFY_MIN_LEN, BGP_NOTIFICATION, 0);
	hdr_ok(5000, BGP_NOTIFICATION, 1);
	hdr_ok(BGP_RREFRESH_LEN, BGP_ROUTE_REFRESH, 0);
	hdr_ok(30, BGP_ROUTE_REFRESH, 0);	/* 7/1 comes from the body */
}
END_TEST

START_TEST(t_hdr_marker)
{
	uint8_t	 msg[BGP_HDR_LEN];
	int	 i;

	for (i = 0; i < BGP_MARKER_LEN; i++) {
		mk_hdr(msg, BGP_KEEPALIVE_LEN, BGP_KEEPALIVE);
		msg[i] = 0xfe;
		hdr_fails(msg, sizeof(msg), 0, ERR_HDR_SYNC, NULL, 0);
	}
	memset(msg, 0, sizeof(msg));
	hdr_fails(msg, sizeof(msg), 0, ERR_HDR_SYNC, NULL, 0);
}
END_TEST

START_TEST(t_hdr_length_bounds)
{
	hdr_badlen(0, BGP_KEEPALIVE, 0);
	hdr_badlen(18, BGP_KEEPALIVE, 0);
	hdr_badlen(18, BGP_UPDATE, 1);
	hdr_badlen(BGP_MAX_LEN + 1, BGP_UPDATE, 0);
	hdr_badlen(0xffff, BGP_UPDATE, 0);
	/* Unknown type but a bad length: the length is reported first. */
	hdr_badlen(5000, 9, 0);
}
END_TEST

START_TEST(t_hdr_length_per_type)
{
	hdr_badlen(BGP_OPEN_MIN_LEN - 1, BGP_OPEN, 0);
	hdr_badlen(BGP_UPDATE_MIN_LEN - 1, BGP_UPDATE, 0);
	hdr_badlen(BGP_NOTIFY_MIN_LEN - 1, BGP_NOTIFICATION, 0);
	hdr_badlen(BGP_KEEPALIVE_LEN + 1, BGP_KEEPALIVE, 0);
	hdr_badlen(BGP_RREFRESH_LEN - 1, BGP_ROUTE_REFRESH, 0);
	hdr_badlen(BGP_HDR_LEN, BGP_ROUTE_REFRESH, 0);
	/* RFC 8654: OPEN and KEEPALIVE never grow with extended messages. */
	hdr_badlen(BGP_MAX_LEN + 1, BGP_OPEN, 1);
	hdr_badlen(5000, BGP_KEEPALIVE, 1);
}
END_TEST

START_TEST(t_hdr_type)
{
	uint8_t	 msg[BGP_HDR_LEN];
	uint8_t	 types[] = { 0, 6, 128, 255 };
	size_t	 i;

	for (i = 0; i < sizeof(types); i++) {
		mk_hdr(msg, BGP_HDR_LEN + 4, types[i]);
		hdr_fails(msg, sizeof(msg), 0, ERR_HDR_TYPE, &types[i], 1);
	}
}
END_TEST

START_TEST(t_hdr_short_input)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint8_t			 msg[BGP_HDR_LEN], t;
	uint16_t		 l;

	mk_hdr(msg, BGP_KEEPALIVE_LEN, BGP_KEEPALIVE);
	buf_view(&b, msg, sizeof(msg) - 1);
	ck_assert_int_eq(msg_hdr_parse(&b, 0, &t, &l, &err), -1);
	ck_assert_uint_eq(buf_left(&b), sizeof(msg) - 1);
}
END_TEST

START_TEST(t_update_header_level)
{
	uint8_t	 msg[BGP_UPDATE_MIN_LEN];
	struct bgp_notify err;
	struct buf b;
	uint8_t	 t;
	uint16_t l;

	/* An empty UPDATE (End-of-RIB) is a valid header with 4 body octets. */
	mk_hdr(msg, sizeof(msg), BGP_UPDATE);
	memset(msg + BGP_HDR_LEN, 0, 4);
	buf_view(&b, msg, sizeof(msg));
	ck_assert_int_eq(msg_hdr_parse(&b, 0, &t, &l, &err), 0);
	ck_assert_uint_eq(t, BGP_UPDATE);
	ck_assert_uint_eq(buf_left(&b), 4);
	hdr_badlen(5000, BGP_UPDATE, 0);
	hdr_ok(5000, BGP_UPDATE, 1);
}
END_TEST

/* OPEN round trips ---------------------------------------------------- */

START_TEST(t_open_roundtrip_all_caps)
{
	struct bgp_open	 in, out;
	struct buf	 w;
	const uint8_t	*p;

	full_open(&in);
	open_roundtrip(&in, &out, &w);
	ck_assert_uint_eq(msg_open_peer_as(&out), 4200000000u);
	p = buf_data(&w);
	/* MP 6+6, RR 2, ERR 2, AS4 6, GR 2+2+8, ext 2 = 36 in one param. */
	ck_assert_uint_eq(buf_len(&w), BGP_OPEN_MIN_LEN + 38);
	ck_assert_uint_eq(p[28], 38);
	ck_assert_uint_eq(p[29], 2);
	ck_assert_uint_eq(p[30], 36);
	buf_free(&w);
}
END_TEST

START_TEST(t_open_roundtrip_rfc9072)
{
	struct bgp_open	 in, out;
	struct buf	 w;
	const uint8_t	*p;

	full_open(&in);
	in.ext_params = 1;
	open_roundtrip(&in, &out, &w);
	p = buf_data(&w);
	/* 255, 255, ext length 2 octets, param type 2, 2-octet length. */
	ck_assert_uint_eq(buf_len(&w), BGP_OPEN_MIN_LEN + 3 + 3 + 36);
	ck_assert_uint_eq(p[28], 255);
	ck_assert_uint_eq(p[29], 255);
	ck_assert_uint_eq(p[30] << 8 | p[31], 39);
	ck_assert_uint_eq(p[32], 2);
	ck_assert_uint_eq(p[33] << 8 | p[34], 36);
	buf_free(&w);
}
END_TEST

START_TEST(t_open_roundtrip_each_cap)
{
	struct bgp_open	 full, in, out;
	struct buf	 w;
	int		 i;

	full_open(&full);
	for (i = 0; i < 7; i++) {
		memset(&in, 0, sizeof(in));
		in.version = BGP_VERSION;
		in.my_as = 64512;
		in.holdtime = 30;
		in.bgp_id = 0xa9fe0001;
		switch (i) {
		case 0: in.caps.mp = AID_BIT(AID_IPV6_UNICAST); break;
		case 1: in.caps.route_refresh = 1; break;
		case 2: in.caps.enhanced_rr = 1; break;
		case 3: in.caps.as4 = 1; in.caps.as4_asn = 64512; break;
		case 4: in.caps.ext_msg = 1; break;
		case 5:
			in.caps.gr = 1;
			in.caps.gr_flags = full.caps.gr_flags;
			in.caps.gr_time = 4095;
			break;
		case 6: break;	/* no capabilities: Opt Parm Len 0 */
		}
		open_roundtrip(&in, &out, &w);
		ck_assert_uint_eq(buf_len(&w), i == 6 ? BGP_OPEN_MIN_LEN :
		    BGP_OPEN_MIN_LEN + 2 + (i == 0 || i == 3 ? 6 :
		    i == 5 ? 4 : 2));
		buf_free(&w);
	}
}
END_TEST

START_TEST(t_open_build_bytes)
{
	static const uint8_t	 want[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x25, 0x01,		/* length 37, OPEN */
		0x04, 0xfc, 0x00, 0x00, 0x0a,	/* v4, AS 64512, hold 10 */
		0xa9, 0xfe, 0x00, 0x02,		/* 169.254.0.2 */
		0x08, 0x02, 0x06,		/* one capabilities param */
		0x01, 0x04, 0x00, 0x01, 0x00, 0x01,	/* MP ipv4 unicast */
	};
	struct bgp_open		 o;
	struct buf		 w;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 64512;
	o.holdtime = 10;
	o.bgp_id = 0xa9fe0002;
	o.caps.mp = AID_BIT(AID_IPV4_UNICAST);
	ck_assert_int_eq(buf_init(&w, 16, BGP_MAX_LEN), 0);
	msg_open_build(&w, &o);
	ck_assert_int_eq(buf_error(&w), 0);
	ck_assert_uint_eq(buf_len(&w), sizeof(want));
	ck_assert_mem_eq(buf_data(&w), want, sizeof(want));
	buf_free(&w);
}
END_TEST

START_TEST(t_open_build_appends)
{
	struct bgp_open	 o;
	struct buf	 w, b, body;
	struct bgp_notify err;
	uint8_t		 t;
	uint16_t	 l;

	/* Two messages back to back: the second length is its own. */
	full_open(&o);
	ck_assert_int_eq(buf_init(&w, 16, BGP_MAX_LEN), 0);
	msg_keepalive_build(&w);
	msg_open_build(&w, &o);
	ck_assert_int_eq(buf_error(&w), 0);
	buf_view(&b, buf_data(&w), buf_len(&w));
	ck_assert_int_eq(msg_hdr_parse(&b, 0, &t, &l, &err), 0);
	ck_assert_uint_eq(l, BGP_KEEPALIVE_LEN);
	ck_assert_int_eq(msg_hdr_parse(&b, 0, &t, &l, &err), 0);
	ck_assert_uint_eq(t, BGP_OPEN);
	ck_assert_uint_eq(l, buf_len(&w) - BGP_KEEPALIVE_LEN);
	ck_assert_int_eq(buf_get_view(&b, l - BGP_HDR_LEN, &body), 0);
	ck_assert_uint_eq(buf_left(&b), 0);
	buf_free(&w);

	/* A writer too small for the OPEN reports it. */
	ck_assert_int_eq(buf_init(&w, 16, 40), 0);
	msg_open_build(&w, &o);
	ck_assert_int_ne(buf_error(&w), 0);
	buf_free(&w);
}
END_TEST

/* Row 2: RFC 9072 optional parameters --------------------------------- */

START_TEST(t_open_ends_after_optlen)
{
	uint8_t	 body[64];
	size_t	 n;

	/* Non-Ext OP Len 255 and nothing after it. */
	n = mk_open(body, 255);
	open_fails_with(body, n, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* 255 then type 255 and the message ends before the ext length. */
	body[n] = 255;
	open_fails_with(body, n + 1, ERR_OPEN, ERR_OPEN_UNSPEC);
	body[n + 1] = 0;
	open_fails_with(body, n + 2, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* Fewer than 10 octets: an OPEN too short, RFC 4271 6.2 -> 1/2. */
	{
		struct bgp_notify err;
		struct bgp_open o;
		const uint8_t want[] = { 0x00, 0x1b };

		ck_assert_int_eq(open_parse_bytes(body, 8, &o, &err), -1);
		ck_assert_uint_eq(err.code, ERR_HEADER);
		ck_assert_uint_eq(err.subcode, ERR_HDR_LEN);
		ck_assert_uint_eq(err.datalen, 2);
		ck_assert_mem_eq(err.data, want, 2);
	}
}
END_TEST

START_TEST(t_open_ext_inconsistent)
{
	uint8_t	 body[64];
	size_t	 n;

	/* Ext length 16 but 4 octets follow. */
	n = mk_open(body, 255);
	memcpy(body + n, "\xff\x00\x10\x02\x00\x01\x02", 7);
	open_fails_with(body, n + 7, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* Ext length 1 but 4 octets follow (too long is as bad). */
	memcpy(body + n, "\xff\x00\x01\x02\x00\x00\x00", 7);
	open_fails_with(body, n + 7, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* A parameter whose 2-octet length runs past the ext block. */
	memcpy(body + n, "\xff\x00\x05\x02\x00\x10\x02\x00", 8);
	open_fails_with(body, n + 8, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* A parameter header cut in the middle of its 2-octet length. */
	memcpy(body + n, "\xff\x00\x02\x02\x00", 5);
	open_fails_with(body, n + 5, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* Non-ext: Opt Parm Len smaller than what follows. */
	n = mk_open(body, 4);
	memcpy(body + n, "\x02\x02\x02\x00\x46\x00", 6);
	open_fails_with(body, n + 6, ERR_OPEN, ERR_OPEN_UNSPEC);
	/* Non-ext: a parameter length past Opt Parm Len. */
	n = mk_open(body, 2);
	memcpy(body + n, "\x02\x03", 2);
	open_fails_with(body, n + 2, ERR_OPEN, ERR_OPEN_UNSPEC);
}
END_TEST

START_TEST(t_open_ext_valid_by_hand)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;
	uint8_t			 body[64];
	size_t			 n;

	/* Two capabilities parameters in RFC 9072 encoding. */
	n = mk_open(body, 255);
	memcpy(body + n, "\xff\x00\x0e"
	    "\x02\x00\x06\x41\x04\x00\x00\xfd\xe8"
	    "\x02\x00\x02\x02\x00", 17);
	ck_assert_int_eq(open_parse_bytes(body, n + 17, &o, &err), 0);
	ck_assert_int_eq(o.ext_params, 1);
	ck_assert_int_eq(o.caps.as4, 1);
	ck_assert_uint_eq(o.caps.as4_asn, 65000);
	ck_assert_int_eq(o.caps.route_refresh, 1);
}
END_TEST

START_TEST(t_open_unsupported_param)
{
	uint8_t	 body[64];
	size_t	 n;

	/* Type 1 (authentication, RFC 4271 before RFC 5492). */
	n = mk_open(body, 4);
	memcpy(body + n, "\x01\x02\x00\x00", 4);
	open_fails_with(body, n + 4, ERR_OPEN, ERR_OPEN_OPT);
	/* After a good capabilities parameter, still refused. */
	n = mk_open(body, 6);
	memcpy(body + n, "\x02\x02\x02\x00\x03\x00", 6);
	open_fails_with(body, n + 6, ERR_OPEN, ERR_OPEN_OPT);
}
END_TEST

/* Row 3: capability TLVs ---------------------------------------------- */

START_TEST(t_capa_past_param)
{
	/* Capability says 6 octets, the parameter holds 2 more. */
	open_caps_fails((const uint8_t *)"\x41\x06\x00\x00", 4,
	    (const uint8_t *)"\x41\x06\x00\x00", 4);
	/* A lone code octet at the end of the parameter. */
	open_caps_fails((const uint8_t *)"\x02\x00\x46", 3,
	    (const uint8_t *)"\x46", 1);
}
END_TEST

START_TEST(t_capa_wrong_lengths)
{
	/* AS4 of 3 and 5 octets. */
	open_caps_fails((const uint8_t *)"\x41\x03\x00\x00\x01", 5,
	    (const uint8_t *)"\x41\x03\x00\x00\x01", 5);
	open_caps_fails((const uint8_t *)"\x02\x00\x41\x05\x00\x00\x01\x02\x03",
	    9, (const uint8_t *)"\x41\x05\x00\x00\x01\x02\x03", 7);
	/* Multiprotocol of 3 and 5 octets. */
	open_caps_fails((const uint8_t *)"\x01\x03\x00\x01\x00", 5,
	    (const uint8_t *)"\x01\x03\x00\x01\x00", 5);
	open_caps_fails((const uint8_t *)"\x01\x05\x00\x01\x00\x01\x00", 7,
	    (const uint8_t *)"\x01\x05\x00\x01\x00\x01\x00", 7);
	/* Add-path not a multiple of 4. */
	open_caps_fails((const uint8_t *)"\x45\x03\x00\x01\x01", 5,
	    (const uint8_t *)"\x45\x03\x00\x01\x01", 5);
	/* Graceful restart: 1 octet, and 2 + 3. */
	open_caps_fails((const uint8_t *)"\x40\x01\x00", 3,
	    (const uint8_t *)"\x40\x01\x00", 3);
	open_caps_fails((const uint8_t *)"\x40\x05\x00\x78\x00\x01\x01", 7,
	    (const uint8_t *)"\x40\x05\x00\x78\x00\x01\x01", 7);
	/* Route refresh, enhanced RR and extended message carry nothing. */
	open_caps_fails((const uint8_t *)"\x02\x01\x00", 3,
	    (const uint8_t *)"\x02\x01\x00", 3);
	open_caps_fails((const uint8_t *)"\x46\x01\x00", 3,
	    (const uint8_t *)"\x46\x01\x00", 3);
	open_caps_fails((const uint8_t *)"\x06\x02\x00\x00", 4,
	    (const uint8_t *)"\x06\x02\x00\x00", 4);
}
END_TEST

START_TEST(t_capa_bounded_copy)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;
	uint8_t			 body[600];
	size_t			 n;

	/* RFC 9072 lets a capability be 255 octets: a malformed MP of 255
	 * octets must not overflow the 256-octet data field. */
	n = mk_open(body, 255);
	body[n++] = 255;
	body[n++] = 0x01;	/* ext length 260 */
	body[n++] = 0x04;
	body[n++] = 2;
	body[n++] = 0x01;	/* param length 257 */
	body[n++] = 0x01;
	body[n++] = CAPA_MP;
	body[n++] = 255;
	memset(body + n, 0xab, 255);
	n += 255;
	ck_assert_int_eq(open_parse_bytes(body, n, &o, &err), -1);
	ck_assert_uint_eq(err.code, ERR_OPEN);
	ck_assert_uint_eq(err.subcode, ERR_OPEN_UNSPEC);
	ck_assert_uint_eq(err.datalen, BGP_NOTIFY_DATA_MAX);
	ck_assert_uint_eq(err.data[0], CAPA_MP);
	ck_assert_uint_eq(err.data[1], 255);
	ck_assert_uint_eq(err.data[BGP_NOTIFY_DATA_MAX - 1], 0xab);
	/* The same 257 octets as an unknown capability: ignored. */
	body[n - 257] = 200;
	ck_assert_int_eq(open_parse_bytes(body, n, &o, &err), 0);
	ck_assert_uint_eq(o.caps.unknown, 1);
	ck_assert_int_eq(o.ext_params, 1);
}
END_TEST

START_TEST(t_capa_unknown_ignored)
{
	struct bgp_open	 o;
	uint8_t		 caps[253];

	/* An unknown capability longer than the error buffer could hold,
	 * FQDN (73), role (9) with any length, and MP for a family we do
	 * not know: all accepted, counted, not recorded. */
	memset(caps, 0x5a, sizeof(caps));
	caps[0] = 200;
	caps[1] = 233;
	caps[235] = CAPA_FQDN;
	caps[236] = 3;
	caps[240] = CAPA_ROLE;
	caps[241] = 2;
	memcpy(caps + 244, "\x01\x04\x00\x01\x00\x02", 6);	/* v4 mcast */
	memcpy(caps + 250, "\x45\x00\x00", 3);	/* add-path, empty */
	open_caps_ok(caps, 252, &o);
	ck_assert_uint_eq(o.caps.unknown, 3);
	ck_assert_uint_eq(o.caps.mp, 0);
	ck_assert_int_eq(o.caps.as4, 0);
}
END_TEST

START_TEST(t_capa_gr_many_afs)
{
	struct bgp_open	 o;
	uint8_t		 caps[2 + 2 + 4 * 10];
	int		 i;

	caps[0] = CAPA_GRACEFUL_RESTART;
	caps[1] = 2 + 4 * 10;
	caps[2] = 0xc0;			/* R and N */
	caps[3] = 0x5a;
	for (i = 0; i < 10; i++) {
		caps[4 + 4 * i] = 0;
		caps[5 + 4 * i] = (uint8_t)(i + 1);
		caps[6 + 4 * i] = 1;
		caps[7 + 4 * i] = 0x80;
	}
	open_caps_ok(caps, sizeof(caps), &o);
	ck_assert_int_eq(o.caps.gr, 1);
	ck_assert_uint_eq(o.caps.gr_flags, 0xc0);
	ck_assert_uint_eq(o.caps.gr_time, 0x05a);
	ck_assert_uint_eq(o.caps.gr_naf, GR_MAX_AFS);
	ck_assert_uint_eq(o.caps.gr_af[GR_MAX_AFS - 1].afi, GR_MAX_AFS);
	ck_assert_uint_eq(o.caps.gr_af[0].flags, 0x80);
}
END_TEST

/* Row 4: OPEN values -------------------------------------------------- */

START_TEST(t_open_version)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;
	uint8_t			 body[64];
	const uint8_t		 want[] = { 0, 4 };
	uint8_t			 vers[] = { 3, 5, 0, 255 };
	size_t			 i, n;

	for (i = 0; i < sizeof(vers); i++) {
		/* Garbage parameters: the version is what gets reported. */
		n = mk_open(body, 7);
		body[0] = vers[i];
		memcpy(body + n, "\x09\x09\x09", 3);
		ck_assert_int_eq(open_parse_bytes(body, n + 3, &o, &err), -1);
		ck_assert_uint_eq(err.code, ERR_OPEN);
		ck_assert_uint_eq(err.subcode, ERR_OPEN_VERSION);
		ck_assert_uint_eq(err.datalen, 2);
		ck_assert_mem_eq(err.data, want, 2);
	}
}
END_TEST

static struct bgp_open
good_open(void)
{
	struct bgp_open	 o;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 64512;
	o.holdtime = 30;
	o.bgp_id = 0xa9fe0001;
	o.caps.mp = AID_BIT(AID_IPV4_UNICAST);
	return o;
}

static struct open_expect
good_expect(void)
{
	struct open_expect	 e;

	memset(&e, 0, sizeof(e));
	e.peer_as = 64512;
	e.local_id = 0xa9fe0002;
	return e;
}

static void
check_fails(const struct bgp_open *o, const struct open_expect *e,
    uint8_t sub)
{
	struct bgp_notify	 err;

	ck_assert_int_eq(msg_open_check(o, e, &err), -1);
	ck_assert_uint_eq(err.code, ERR_OPEN);
	ck_assert_uint_eq(err.subcode, sub);
}

static void
check_ok(const struct bgp_open *o, const struct open_expect *e)
{
	struct bgp_notify	 err;

	ck_assert_int_eq(msg_open_check(o, e, &err), 0);
}

START_TEST(t_open_check_as)
{
	struct bgp_open		 o = good_open();
	struct open_expect	 e = good_expect();

	check_ok(&o, &e);
	e.peer_as = 64513;
	check_fails(&o, &e, ERR_OPEN_AS);
	/* AS_TRANS without the AS4 capability is just AS 23456. */
	o.my_as = AS_TRANS;
	e.peer_as = 4200000000u;
	check_fails(&o, &e, ERR_OPEN_AS);
	e.peer_as = AS_TRANS;
	check_ok(&o, &e);
	ck_assert_uint_eq(msg_open_peer_as(&o), AS_TRANS);
	/* With AS4 the capability's ASN counts. */
	o.caps.as4 = 1;
	o.caps.as4_asn = 4200000000u;
	ck_assert_uint_eq(msg_open_peer_as(&o), 4200000000u);
	check_fails(&o, &e, ERR_OPEN_AS);
	e.peer_as = 4200000000u;
	check_ok(&o, &e);
	/* AS4 claiming 64512 while my_as says 64512: fine. */
	o.my_as = 64512;
	o.caps.as4_asn = 64512;
	e.peer_as = 64512;
	check_ok(&o, &e);
	/* RFC 7607: AS 0 never. */
	o.caps.as4_asn = 0;
	e.peer_as = 0;
	check_fails(&o, &e, ERR_OPEN_AS);
}
END_TEST

/* remote-as external: peer_as 0 takes any AS but ours. */
START_TEST(t_open_check_external)
{
	struct bgp_open		 o = good_open();
	struct open_expect	 e = good_expect();

	e.peer_as = 0;
	e.local_as = 65000;
	check_ok(&o, &e);
	o.my_as = 65000;
	check_fails(&o, &e, ERR_OPEN_AS);
	o.my_as = AS_TRANS;
	o.caps.as4 = 1;
	o.caps.as4_asn = 4200000000u;
	check_ok(&o, &e);
	e.local_as = 4200000000u;
	check_fails(&o, &e, ERR_OPEN_AS);
}
END_TEST

START_TEST(t_open_check_bgpid)
{
	struct bgp_open		 o = good_open();
	struct open_expect	 e = good_expect();

	o.bgp_id = 0;
	check_fails(&o, &e, ERR_OPEN_BGPID);
	o.bgp_id = e.local_id;
	check_fails(&o, &e, ERR_OPEN_BGPID);
	o.bgp_id = e.local_id + 1;
	check_ok(&o, &e);
	/* RFC 4271 6.2 order: a bad AS is reported before a bad id. */
	o.bgp_id = 0;
	e.peer_as = 1;
	check_fails(&o, &e, ERR_OPEN_AS);
}
END_TEST

START_TEST(t_open_check_hold)
{
	struct bgp_open		 o = good_open();
	struct open_expect	 e = good_expect();

	o.holdtime = 1;
	check_fails(&o, &e, ERR_OPEN_HOLD);
	o.holdtime = 2;
	check_fails(&o, &e, ERR_OPEN_HOLD);
	o.holdtime = 0;
	check_ok(&o, &e);
	o.holdtime = 3;
	check_ok(&o, &e);
	e.min_holdtime = 10;
	o.holdtime = 9;
	check_fails(&o, &e, ERR_OPEN_HOLD);
	o.holdtime = 10;
	check_ok(&o, &e);
	o.holdtime = 0;		/* no keepalives at all is still allowed */
	check_ok(&o, &e);
}
END_TEST

START_TEST(t_open_check_required_caps)
{
	struct bgp_open		 o = good_open();
	struct open_expect	 e = good_expect();
	struct bgp_notify	 err;
	const uint8_t		 want[] = {
		0x01, 0x04, 0x00, 0x02, 0x00, 0x01,	/* MP ipv6 */
		0x41, 0x04, 0x00, 0x00, 0xfc, 0x00,	/* AS4 64512 */
		0x02, 0x00,				/* route refresh */
	};

	e.required_caps = CAPREQ_MP_IPV4;
	check_ok(&o, &e);
	e.required_caps = CAPREQ_MP_IPV4 | CAPREQ_MP_IPV6 | CAPREQ_AS4 |
	    CAPREQ_ROUTE_REFRESH;
	ck_assert_int_eq(msg_open_check(&o, &e, &err), -1);
	ck_assert_uint_eq(err.code, ERR_OPEN);
	ck_assert_uint_eq(err.subcode, ERR_OPEN_CAPA);
	ck_assert_uint_eq(err.datalen, sizeof(want));
	ck_assert_mem_eq(err.data, want, sizeof(want));

	o.caps.mp = 0;
	o.caps.as4 = 1;
	o.caps.as4_asn = 64512;
	o.caps.route_refresh = 1;
	e.required_caps = CAPREQ_MP_IPV4 | CAPREQ_AS4;
	ck_assert_int_eq(msg_open_check(&o, &e, &err), -1);
	ck_assert_uint_eq(err.subcode, ERR_OPEN_CAPA);
	ck_assert_uint_eq(err.datalen, 6);
	ck_assert_mem_eq(err.data, "\x01\x04\x00\x01\x00\x01", 6);
	o.caps.mp = AID_BIT(AID_IPV4_UNICAST) | AID_BIT(AID_IPV6_UNICAST);
	e.required_caps = CAPREQ_MP_IPV4 | CAPREQ_MP_IPV6 | CAPREQ_AS4 |
	    CAPREQ_ROUTE_REFRESH;
	check_ok(&o, &e);
}
END_TEST

START_TEST(t_open_parse_then_check)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;
	struct open_expect	 e = good_expect();
	uint8_t			 body[64];
	size_t			 n;

	/* Hold time 1 on the wire, AS4 capability 64512. */
	n = mk_open(body, 8);
	body[4] = 1;
	memcpy(body + n, "\x02\x06\x41\x04\x00\x00\xfc\x00", 8);
	ck_assert_int_eq(open_parse_bytes(body, n + 8, &o, &err), 0);
	ck_assert_uint_eq(o.holdtime, 1);
	ck_assert_uint_eq(o.my_as, 64512);
	ck_assert_uint_eq(o.bgp_id, 0x01020304);
	check_fails(&o, &e, ERR_OPEN_HOLD);
}
END_TEST

/* KEEPALIVE and NOTIFICATION ------------------------------------------ */

START_TEST(t_keepalive_roundtrip)
{
	struct buf	 w, body;
	uint8_t		 want[BGP_HDR_LEN];

	mk_hdr(want, BGP_KEEPALIVE_LEN, BGP_KEEPALIVE);
	ck_assert_int_eq(buf_init(&w, 8, BGP_MAX_LEN), 0);
	msg_keepalive_build(&w);
	ck_assert_uint_eq(buf_len(&w), BGP_KEEPALIVE_LEN);
	ck_assert_mem_eq(buf_data(&w), want, sizeof(want));
	split_msg(&w, BGP_KEEPALIVE, &body);
	ck_assert_uint_eq(buf_left(&body), 0);
	buf_free(&w);
}
END_TEST

static void
notify_roundtrip(const struct bgp_notify *in, struct bgp_notify *out)
{
	struct buf	 w, body;

	ck_assert_int_eq(buf_init(&w, 8, BGP_MAX_LEN), 0);
	msg_notify_build(&w, in);
	ck_assert_uint_eq(buf_len(&w), BGP_NOTIFY_MIN_LEN + in->datalen);
	split_msg(&w, BGP_NOTIFICATION, &body);
	ck_assert_int_eq(msg_notify_parse(&body, out), 0);
	ck_assert_uint_eq(buf_left(&body), 0);
	ck_assert_uint_eq(out->code, in->code);
	ck_assert_uint_eq(out->subcode, in->subcode);
	ck_assert_uint_eq(out->datalen, in->datalen);
	ck_assert_mem_eq(out->data, in->data, in->datalen);
	buf_free(&w);
}

START_TEST(t_notify_roundtrip)
{
	struct bgp_notify	 in, out;
	char			 s[512];

	notify_set(&in, ERR_HOLD, 0, NULL, 0);
	notify_roundtrip(&in, &out);
	ck_assert_str_eq(msg_notify_str(&out, s, sizeof(s)),
	    "Hold Timer Expired");
	notify_set(&in, ERR_OPEN, ERR_OPEN_VERSION, "\x00\x04", 2);
	notify_roundtrip(&in, &out);
	ck_assert_str_eq(msg_notify_str(&out, s, sizeof(s)),
	    "OPEN Message Error/Unsupported Version Number, data 00 04");
	notify_set_shutdown(&in, ERR_CEASE_ADMIN_DOWN, "maintenance \xe2\x80\x94 back at 10:00");
	ck_assert_uint_eq(in.data[0], 29);
	notify_roundtrip(&in, &out);
	ck_assert_int_eq(msg_shutdown_text(&out, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "maintenance \xe2\x80\x94 back at 10:00");
	ck_assert_str_eq(msg_notify_str(&out, s, sizeof(s)),
	    "Cease/Administrative Shutdown, message \"maintenance "
	    "\xe2\x80\x94 back at 10:00\"");
	/* Cease without a communication. */
	notify_set_shutdown(&in, ERR_CEASE_ADMIN_RESET, NULL);
	ck_assert_uint_eq(in.datalen, 0);
	notify_roundtrip(&in, &out);
	ck_assert_int_eq(msg_shutdown_text(&out, s, sizeof(s)), -1);
	ck_assert_str_eq(msg_notify_str(&out, s, sizeof(s)),
	    "Cease/Administrative Reset");
}
END_TEST

START_TEST(t_notify_parse_bounds)
{
	uint8_t			 body[1000];
	struct bgp_notify	 n;
	struct buf		 b;
	size_t			 i;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)i;
	body[0] = ERR_UPDATE;
	body[1] = ERR_UPD_ATTRLEN;
	buf_view(&b, body, sizeof(body));
	ck_assert_int_eq(msg_notify_parse(&b, &n), 0);
	ck_assert_uint_eq(n.datalen, BGP_NOTIFY_DATA_MAX);
	ck_assert_mem_eq(n.data, body + 2, BGP_NOTIFY_DATA_MAX);
	ck_assert_uint_eq(buf_left(&b), 0);
	/* A body of one octet cannot be a NOTIFICATION. */
	buf_view(&b, body, 1);
	ck_assert_int_eq(msg_notify_parse(&b, &n), -1);
	/* Building never sends more than the bounded data. */
	{
		struct buf w;

		n.datalen = 60000;
		ck_assert_int_eq(buf_init(&w, 8, BGP_MAX_LEN), 0);
		msg_notify_build(&w, &n);
		ck_assert_uint_eq(buf_len(&w),
		    BGP_NOTIFY_MIN_LEN + BGP_NOTIFY_DATA_MAX);
		buf_free(&w);
	}
}
END_TEST

START_TEST(t_notify_set_shutdown_utf8_cut)
{
	struct bgp_notify	 n;
	char			 msg[400];
	char			 s[2048];

	memset(msg, 'a', 300);
	msg[300] = '\0';
	notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN, msg);
	ck_assert_uint_eq(n.code, ERR_CEASE);
	ck_assert_uint_eq(n.data[0], 255);
	ck_assert_uint_eq(n.datalen, 256);
	/* 254 'a' then a 2-octet character across the 255 limit. */
	memset(msg, 'a', 254);
	strcpy(msg + 254, "\xc3\xa9");
	notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN, msg);
	ck_assert_uint_eq(n.data[0], 254);
	ck_assert_uint_eq(n.datalen, 255);
	/* 253 'a' then a 3-octet character. */
	memset(msg, 'a', 253);
	strcpy(msg + 253, "\xe2\x82\xac");
	notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN, msg);
	ck_assert_uint_eq(n.data[0], 253);
	/* 252 'a' then the 3-octet character fits exactly. */
	memset(msg, 'a', 252);
	strcpy(msg + 252, "\xe2\x82\xac");
	notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN, msg);
	ck_assert_uint_eq(n.data[0], 255);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), 0);
	ck_assert_uint_eq(strlen(s), 255);
	ck_assert_str_eq(s + 252, "\xe2\x82\xac");
}
END_TEST

/* Row 14: hostile shutdown communications ----------------------------- */

static void
shutdown_is(const void *data, size_t len, const char *want)
{
	struct bgp_notify	 n;
	char			 s[1100];

	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, data, len);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), 0);
	ck_assert_str_eq(s, want);
}

START_TEST(t_shutdown_length_lies)
{
	struct bgp_notify	 n;
	char			 s[256];
	const uint8_t		 d[] = { 100, 'h', 'e', 'l', 'l', 'o' };

	shutdown_is(d, sizeof(d), "hello (truncated)");
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, d, sizeof(d));
	ck_assert_str_eq(msg_notify_str(&n, s, sizeof(s)),
	    "Cease/Administrative Shutdown, message \"hello\" (truncated)");
	/* Bytes past datalen are never looked at. */
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_RESET, "\x0ahiXXXXXXXX", 11);
	n.datalen = 3;
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "hi (truncated)");
	/* Only the length octet, claiming 255. */
	shutdown_is("\xff", 1, " (truncated)");
	/* Data longer than the length: the rest is not text. */
	shutdown_is("\x02okjunk", 7, "ok");
	/* datalen beyond the array is clamped, not trusted. */
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, "\x02ok", 3);
	n.datalen = 0xffff;
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "ok");
}
END_TEST

START_TEST(t_shutdown_no_text)
{
	struct bgp_notify	 n;
	char			 s[64];

	strcpy(s, "junk");
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, NULL, 0);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), -1);
	ck_assert_str_eq(s, "");
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, "\x00", 1);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), -1);
	/* Other Cease subcodes carry no communication. */
	notify_set(&n, ERR_CEASE, ERR_CEASE_PEER_UNCONF, "\x02ok", 3);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), -1);
	ck_assert_str_eq(msg_notify_str(&n, s, sizeof(s)),
	    "Cease/Peer De-configured, data 02 6f 6b");
	notify_set(&n, ERR_OPEN, ERR_CEASE_ADMIN_DOWN, "\x02ok", 3);
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), -1);
}
END_TEST

START_TEST(t_shutdown_control_bytes)
{
	shutdown_is("\x08" "a\nb\x01" "c\x7f\r\x1b", 9,
	    "a\\x0ab\\x01c\\x7f\\x0d\\x1b");
	shutdown_is("\x05" "a\\b\"c", 6, "a\\x5cb\\x22c");
	/* NUL inside the text does not end it. */
	shutdown_is("\x03" "a\0b", 4, "a\\x00b");
	/* C1 controls are valid UTF-8 but still controls. */
	shutdown_is("\x04" "\xc2\x85\xc2\xa0", 5, "\\xc2\\x85\xc2\xa0");
}
END_TEST

START_TEST(t_shutdown_invalid_utf8)
{
	/* Kept: 2, 3 and 4 octet characters. */
	shutdown_is("\x09" "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10,
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Bad continuation, overlong, surrogate, above U+10FFFF, lone
	 * continuation, sequence cut by the end of the text. */
	shutdown_is("\x02" "\xc3(", 3, "\\xc3(");
	shutdown_is("\x02" "\xc0\xaf", 3, "\\xc0\\xaf");
	shutdown_is("\x03" "\xe0\x80\xaf", 4, "\\xe0\\x80\\xaf");
	shutdown_is("\x03" "\xed\xa0\x80", 4, "\\xed\\xa0\\x80");
	shutdown_is("\x04" "\xf4\x90\x80\x80", 5, "\\xf4\\x90\\x80\\x80");
	shutdown_is("\x02" "\x80z", 3, "\\x80z");
	shutdown_is("\x04" "ab\xe2\x82", 5, "ab\\xe2\\x82");
	/* The length octet cuts a valid character in two. */
	shutdown_is("\x02" "a\xc3\xa9", 4, "a\\xc3");
	shutdown_is("\x01" "\xff", 2, "\\xff");
}
END_TEST

START_TEST(t_shutdown_bounded_output)
{
	struct bgp_notify	 n;
	uint8_t			 d[256];
	char			 s[2048];
	char			 small[64];
	char			 canary[4] = { 'X', 'X', 'X', 'X' };
	size_t			 len;

	d[0] = 255;
	memset(d + 1, 0x01, 255);
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, d, sizeof(d));
	ck_assert_int_eq(msg_shutdown_text(&n, s, sizeof(s)), 0);
	ck_assert_uint_eq(strlen(s), 255 * 4);
	/* A small buffer ends on a whole escape, NUL-terminated. */
	memset(small, 'Z', sizeof(small));
	ck_assert_int_eq(msg_shutdown_text(&n, small, sizeof(small)), 0);
	len = strlen(small);
	ck_assert_uint_eq(len, 60);
	ck_assert_str_eq(small + 56, "\\x01");
	/* Size 1 and 0. */
	ck_assert_int_eq(msg_shutdown_text(&n, small, 1), 0);
	ck_assert_str_eq(small, "");
	ck_assert_int_eq(msg_shutdown_text(&n, canary, 0), 0);
	ck_assert_uint_eq(canary[0], 'X');
	/* 255 multi-octet UTF-8 never splits a character. */
	memset(d + 1, 'a', 255);
	memcpy(d + 1, "\xe2\x82\xac\xe2\x82\xac", 6);
	notify_set(&n, ERR_CEASE, ERR_CEASE_ADMIN_DOWN, d, sizeof(d));
	ck_assert_int_eq(msg_shutdown_text(&n, small, 5), 0);
	ck_assert_str_eq(small, "\xe2\x82\xac");
	/* The whole log line stays bounded too. */
	ck_assert_uint_lt(strlen(msg_notify_str(&n, small, sizeof(small))),
	    sizeof(small));
	ck_assert_int_eq(strncmp(small,
	    "Cease/Administrative Shutdown, message \"", 40), 0);
}
END_TEST

START_TEST(t_notify_str_hexdump_bounded)
{
	struct bgp_notify	 n;
	uint8_t			 d[BGP_NOTIFY_DATA_MAX];
	char			 s[512];
	const char		*want_end = " 1f ...";

	memset(d, 0x1f, sizeof(d));
	notify_set(&n, ERR_UPDATE, ERR_UPD_ATTRLEN, d, sizeof(d));
	msg_notify_str(&n, s, sizeof(s));
	ck_assert_uint_eq(strlen(s), strlen("UPDATE Message Error/Attribute "
	    "Length Error, data") + 32 * 3 + 4);
	ck_assert_str_eq(s + strlen(s) - strlen(want_end), want_end);
	msg_notify_str(&n, s, 10);
	ck_assert_uint_eq(strlen(s), 0);	/* first piece did not fit */
}
END_TEST

/* Row 15: ROUTE-REFRESH ----------------------------------------------- */

START_TEST(t_rrefresh_roundtrip)
{
	struct bgp_notify	 err;
	struct buf		 w, body;
	uint16_t		 afis[] = { AFI_IPV4, AFI_IPV6 };
	uint16_t		 afi;
	uint8_t			 safi, sub, st;
	int			 i;

	for (i = 0; i < 2; i++)
		for (st = 0; st <= 2; st++) {
			ck_assert_int_eq(buf_init(&w, 8, BGP_MAX_LEN), 0);
			msg_rrefresh_build(&w, afis[i], SAFI_UNICAST, st);
			ck_assert_uint_eq(buf_len(&w), BGP_RREFRESH_LEN);
			ck_assert_uint_eq(buf_data(&w)[21], st);
			split_msg(&w, BGP_ROUTE_REFRESH, &body);
			ck_assert_int_eq(msg_rrefresh_parse(&body, &afi, &safi,
			    &sub, &err), 0);
			ck_assert_uint_eq(afi, afis[i]);
			ck_assert_uint_eq(safi, SAFI_UNICAST);
			ck_assert_uint_eq(sub, st);
			buf_free(&w);
		}
}
END_TEST

static void
rr_badlen(const uint8_t *body, size_t len)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint16_t		 afi;
	uint8_t			 safi, sub, want[BGP_HDR_LEN + 16];

	/* RFC 7313 5: the data is the complete ROUTE-REFRESH message. */
	mk_hdr(want, (uint16_t)(BGP_HDR_LEN + len), BGP_ROUTE_REFRESH);
	memcpy(want + BGP_HDR_LEN, body, len);
	buf_view(&b, body, len);
	ck_assert_int_eq(msg_rrefresh_parse(&b, &afi, &safi, &sub, &err), -1);
	ck_assert_uint_eq(err.code, ERR_RREFRESH);
	ck_assert_uint_eq(err.subcode, ERR_RR_INV_LEN);
	ck_assert_uint_eq(err.datalen, BGP_HDR_LEN + len);
	ck_assert_mem_eq(err.data, want, BGP_HDR_LEN + len);
}

START_TEST(t_rrefresh_bad_length)
{
	rr_badlen((const uint8_t *)"\x00\x01\x01\x01\x00", 5);
	rr_badlen((const uint8_t *)"\x00\x01\x02", 3);
	rr_badlen((const uint8_t *)"\x00\x01\x00\x01\x00\x00\x00\x00", 8);
	rr_badlen((const uint8_t *)"", 0);
}
END_TEST

START_TEST(t_rrefresh_bad_length_bounded)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint8_t			 body[1000];
	uint16_t		 afi;
	uint8_t			 safi, sub;

	memset(body, 0x77, sizeof(body));
	buf_view(&b, body, sizeof(body));
	ck_assert_int_eq(msg_rrefresh_parse(&b, &afi, &safi, &sub, &err), -1);
	ck_assert_uint_eq(err.subcode, ERR_RR_INV_LEN);
	ck_assert_uint_eq(err.datalen, BGP_NOTIFY_DATA_MAX);
	ck_assert_uint_eq(err.data[16], (BGP_HDR_LEN + 1000) >> 8);
	ck_assert_uint_eq(err.data[17], (BGP_HDR_LEN + 1000) & 0xff);
	ck_assert_uint_eq(err.data[BGP_NOTIFY_DATA_MAX - 1], 0x77);
}
END_TEST

static void
rr_ignored(const char *body)
{
	struct bgp_notify	 err;
	struct buf		 b;
	uint16_t		 afi;
	uint8_t			 safi, sub;

	buf_view(&b, body, 4);
	ck_assert_int_eq(msg_rrefresh_parse(&b, &afi, &safi, &sub, &err), 1);
}

START_TEST(t_rrefresh_ignored)
{
	rr_ignored("\x00\x01\x03\x01");		/* subtype 3 */
	rr_ignored("\x00\x02\xff\x01");		/* subtype 255 */
	rr_ignored("\x00\x19\x00\x46");		/* L2VPN EVPN */
	rr_ignored("\x00\x01\x00\x02");		/* ipv4 multicast */
	rr_ignored("\x00\x02\x01\x80");		/* ipv6 VPN */
	rr_ignored("\x00\x00\x00\x01");		/* AFI 0 */
}
END_TEST

/* Names --------------------------------------------------------------- */

START_TEST(t_names)
{
	struct bgp_notify	 n;
	char			 s[128];

	ck_assert_str_eq(msg_type_name(BGP_OPEN), "OPEN");
	ck_assert_str_eq(msg_type_name(BGP_UPDATE), "UPDATE");
	ck_assert_str_eq(msg_type_name(BGP_NOTIFICATION), "NOTIFICATION");
	ck_assert_str_eq(msg_type_name(BGP_KEEPALIVE), "KEEPALIVE");
	ck_assert_str_eq(msg_type_name(BGP_ROUTE_REFRESH), "ROUTE-REFRESH");
	ck_assert_str_eq(msg_type_name(9), "type 9");
	ck_assert_str_eq(msg_err_name(ERR_CEASE), "Cease");
	ck_assert_str_eq(msg_err_name(ERR_SENDHOLD), "Send Hold Timer Expired");
	ck_assert_str_eq(msg_err_name(42), "code 42");
	ck_assert_str_eq(msg_err_name(0), "code 0");
	ck_assert_str_eq(msg_suberr_name(ERR_HEADER, ERR_HDR_SYNC),
	    "Connection Not Synchronized");
	ck_assert_str_eq(msg_suberr_name(ERR_OPEN, 5),
	    "Authentication Failure (deprecated)");
	ck_assert_str_eq(msg_suberr_name(ERR_OPEN, ERR_OPEN_ROLE),
	    "Role Mismatch");
	ck_assert_str_eq(msg_suberr_name(ERR_UPDATE, ERR_UPD_ASPATH),
	    "Malformed AS_PATH");
	ck_assert_str_eq(msg_suberr_name(ERR_FSM, ERR_FSM_UNEX_ESTABLISHED),
	    "Receive Unexpected Message in Established State");
	ck_assert_str_eq(msg_suberr_name(ERR_CEASE, ERR_CEASE_BFD_DOWN),
	    "BFD Down");
	ck_assert_str_eq(msg_suberr_name(ERR_RREFRESH, ERR_RR_INV_LEN),
	    "Invalid Message Length");
	ck_assert_str_eq(msg_suberr_name(ERR_CEASE, 99), "subcode 99");
	ck_assert_str_eq(msg_suberr_name(ERR_HEADER, 4), "subcode 4");
	notify_set(&n, 42, 7, NULL, 0);
	ck_assert_str_eq(msg_notify_str(&n, s, sizeof(s)), "code 42/7");
	notify_set(&n, ERR_CEASE, 11, NULL, 0);
	ck_assert_str_eq(msg_notify_str(&n, s, sizeof(s)), "Cease/subcode 11");
	notify_set(&n, ERR_SENDHOLD, 0, NULL, 0);
	ck_assert_str_eq(msg_notify_str(&n, s, sizeof(s)),
	    "Send Hold Timer Expired");
}
END_TEST

START_TEST(t_names_cover_msg_h)
{
	static const uint8_t	 pairs[][2] = {
		{ 1, 1 }, { 1, 2 }, { 1, 3 },
		{ 2, 0 }, { 2, 1 }, { 2, 2 }, { 2, 3 }, { 2, 4 }, { 2, 5 },
		{ 2, 6 }, { 2, 7 }, { 2, 8 }, { 2, 9 }, { 2, 10 }, { 2, 11 },
		{ 3, 1 }, { 3, 2 }, { 3, 3 }, { 3, 4 }, { 3, 5 }, { 3, 6 },
		{ 3, 7 }, { 3, 8 }, { 3, 9 }, { 3, 10 }, { 3, 11 },
		{ 5, 0 }, { 5, 1 }, { 5, 2 }, { 5, 3 },
		{ 6, 1 }, { 6, 2 }, { 6, 3 }, { 6, 4 }, { 6, 5 }, { 6, 6 },
		{ 6, 7 }, { 6, 8 }, { 6, 9 }, { 6, 10 },
		{ 7, 1 }, { 8, 0 },
	};
	size_t			 i;
	uint8_t			 code;

	for (code = 1; code <= 8; code++)
		ck_assert_int_ne(strncmp(msg_err_name(code), "code ", 5), 0);
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		ck_assert_msg(strncmp(msg_suberr_name(pairs[i][0],
		    pairs[i][1]), "subcode ", 8) != 0, "no name for %u/%u",
		    pairs[i][0], pairs[i][1]);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite	*s = suite_create("msg");
	TCase	*hdr = tcase_create("header");
	TCase	*open = tcase_create("open");
	TCase	*bad = tcase_create("open-malformed");
	TCase	*chk = tcase_create("open-check");
	TCase	*ntf = tcase_create("notification");
	TCase	*rr = tcase_create("route-refresh");
	TCase	*nm = tcase_create("names");

	tcase_add_test(hdr, t_hdr_valid);
	tcase_add_test(hdr, t_hdr_marker);
	tcase_add_test(hdr, t_hdr_length_bounds);
	tcase_add_test(hdr, t_hdr_length_per_type);
	tcase_add_test(hdr, t_hdr_type);
	tcase_add_test(hdr, t_hdr_short_input);
	tcase_add_test(hdr, t_update_header_level);
	tcase_add_test(open, t_open_roundtrip_all_caps);
	tcase_add_test(open, t_open_roundtrip_rfc9072);
	tcase_add_test(open, t_open_roundtrip_each_cap);
	tcase_add_test(open, t_open_build_bytes);
	tcase_add_test(open, t_open_build_appends);
	tcase_add_test(bad, t_open_ends_after_optlen);
	tcase_add_test(bad, t_open_ext_inconsistent);
	tcase_add_test(bad, t_open_ext_valid_by_hand);
	tcase_add_test(bad, t_open_unsupported_param);
	tcase_add_test(bad, t_capa_past_param);
	tcase_add_test(bad, t_capa_wrong_lengths);
	tcase_add_test(bad, t_capa_bounded_copy);
	tcase_add_test(bad, t_capa_unknown_ignored);
	tcase_add_test(bad, t_capa_gr_many_afs);
	tcase_add_test(bad, t_open_version);
	tcase_add_test(chk, t_open_check_as);
	tcase_add_test(chk, t_open_check_external);
	tcase_add_test(chk, t_open_check_bgpid);
	tcase_add_test(chk, t_open_check_hold);
	tcase_add_test(chk, t_open_check_required_caps);
	tcase_add_test(chk, t_open_parse_then_check);
	tcase_add_test(ntf, t_keepalive_roundtrip);
	tcase_add_test(ntf, t_notify_roundtrip);
	tcase_add_test(ntf, t_notify_parse_bounds);
	tcase_add_test(ntf, t_notify_set_shutdown_utf8_cut);
	tcase_add_test(ntf, t_shutdown_length_lies);
	tcase_add_test(ntf, t_shutdown_no_text);
	tcase_add_test(ntf, t_shutdown_control_bytes);
	tcase_add_test(ntf, t_shutdown_invalid_utf8);
	tcase_add_test(ntf, t_shutdown_bounded_output);
	tcase_add_test(ntf, t_notify_str_hexdump_bounded);
	tcase_add_test(rr, t_rrefresh_roundtrip);
	tcase_add_test(rr, t_rrefresh_bad_length);
	tcase_add_test(rr, t_rrefresh_bad_length_bounded);
	tcase_add_test(rr, t_rrefresh_ignored);
	tcase_add_test(nm, t_names);
	tcase_add_test(nm, t_names_cover_msg_h);
	suite_add_tcase(s, hdr);
	suite_add_tcase(s, open);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, chk);
	suite_add_tcase(s, ntf);
	suite_add_tcase(s, rr);
	suite_add_tcase(s, nm);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(msg_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
