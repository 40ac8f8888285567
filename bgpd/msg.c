/*
 * msg.c: the BGP-4 codec for everything but UPDATE bodies (see msg.h).
 *
 * Owns: header validation (RFC 4271 6.1, RFC 8654), OPEN parsing, checking
 * and building with capabilities (RFC 5492) and RFC 9072 extended optional
 * parameters, KEEPALIVE, NOTIFICATION with the RFC 9003 shutdown
 * communication, ROUTE-REFRESH (RFC 2918, RFC 7313), and the names of
 * message types and NOTIFICATION codes for logs.
 *
 * Parsers read only through buf getters, so nothing here can read past a
 * message; each error fills the NOTIFICATION the caller must send.
 * Decisions worth knowing:
 *  - an unsupported version is refused by msg_open_parse (2/1, data = the
 *    2-octet version we support), before any optional parameter is looked
 *    at: their layout may differ in another version (RFC 4271 6.2);
 *  - msg_open_build uses the RFC 9072 encoding when the parameters need
 *    more than 255 octets, or when the caller sets bgp_open.ext_params;
 *  - msg_shutdown_text escapes '"' too, so the text can be quoted in logs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bgpd.h"
#include "msg.h"

#define OPT_PARAM_CAPA		2	/* RFC 5492 */
#define OPT_PARAM_EXT_LEN	255	/* RFC 9072 */
#define RR_SUBTYPE_MAX		2	/* RFC 7313 3: 0 RR, 1 BoRR, 2 EoRR */
#define NOTIFY_HEX_MAX		32	/* data octets dumped in logs */

/* Header -------------------------------------------------------------- */

/* Per type length rules (RFC 4271 4.x, 6.1); OPEN and KEEPALIVE are never
 * extended (RFC 8654 section 3). */
static const struct msg_type_desc {
	uint8_t		 type;
	const char	*name;
	uint16_t	 minlen;
	int		 exact;
	int		 extendable;
} msg_types[] = {
	{ BGP_OPEN, "OPEN", BGP_OPEN_MIN_LEN, 0, 0 },
	{ BGP_UPDATE, "UPDATE", BGP_UPDATE_MIN_LEN, 0, 1 },
	{ BGP_NOTIFICATION, "NOTIFICATION", BGP_NOTIFY_MIN_LEN, 0, 1 },
	{ BGP_KEEPALIVE, "KEEPALIVE", BGP_KEEPALIVE_LEN, 1, 0 },
	/* Body length is checked by msg_rrefresh_parse (7/1, RFC 7313 5). */
	{ BGP_ROUTE_REFRESH, "ROUTE-REFRESH", BGP_RREFRESH_LEN, 0, 1 },
};

static const struct msg_type_desc *
msg_type_lookup(uint8_t type)
{
	size_t	 i;

	for (i = 0; i < sizeof(msg_types) / sizeof(msg_types[0]); i++)
		if (msg_types[i].type == type)
			return &msg_types[i];
	return NULL;
}

/* RFC 4271 6.1: Bad Message Length carries the erroneous length field. */
static int
msg_hdr_badlen(struct bgp_notify *err, uint16_t len)
{
	uint8_t	 data[2] = { len >> 8, len & 0xff };

	notify_set(err, ERR_HEADER, ERR_HDR_LEN, data, sizeof(data));
	return -1;
}

static int
msg_marker_ok(struct buf *hdr)
{
	uint8_t	 marker[BGP_MARKER_LEN];
	size_t	 i;

	if (buf_get_n(hdr, marker, sizeof(marker)) == -1)
		return 0;
	for (i = 0; i < sizeof(marker); i++)
		if (marker[i] != 0xff)
			return 0;
	return 1;
}

int
msg_hdr_parse(struct buf *b, int ext_msg, uint8_t *type, uint16_t *len,
    struct bgp_notify *err)
{
	const struct msg_type_desc	*d;
	struct buf			 hdr;
	uint16_t			 max = ext_msg ? BGP_EXT_MAX_LEN :
					    BGP_MAX_LEN;

	if (buf_get_view(b, BGP_HDR_LEN, &hdr) == -1) {
		notify_set(err, ERR_HEADER, ERR_HDR_LEN, NULL, 0);
		return -1;
	}
	if (!msg_marker_ok(&hdr)) {
		notify_set(err, ERR_HEADER, ERR_HDR_SYNC, NULL, 0);
		return -1;
	}
	if (buf_get_u16(&hdr, len) == -1 || buf_get_u8(&hdr, type) == -1)
		return msg_hdr_badlen(err, 0);
	if (*len < BGP_HDR_LEN || *len > max)
		return msg_hdr_badlen(err, *len);
	if ((d = msg_type_lookup(*type)) == NULL) {
		notify_set(err, ERR_HEADER, ERR_HDR_TYPE, type, 1);
		return -1;
	}
	if (*len < d->minlen || (d->exact && *len != d->minlen) ||
	    (!d->extendable && *len > BGP_MAX_LEN))
		return msg_hdr_badlen(err, *len);
	return 0;
}

/* Writes the header with a zero length; msg_hdr_done() patches it. */
static void
msg_hdr_put(struct buf *b, uint8_t type, size_t *start)
{
	uint8_t	 marker[BGP_MARKER_LEN];

	memset(marker, 0xff, sizeof(marker));
	*start = buf_len(b);
	buf_put(b, marker, sizeof(marker));
	buf_reserve(b, 2);
	buf_put_u8(b, type);
}

static void
msg_hdr_done(struct buf *b, size_t start)
{
	size_t	 len = buf_len(b) - start;

	/* Too long for the field: break the setter on purpose so the error
	 * sticks rather than sending a lying length. */
	if (len > BGP_EXT_MAX_LEN)
		start = buf_len(b);
	buf_set_u16_at(b, start + BGP_MARKER_LEN, (uint16_t)len);
}

/* Capabilities -------------------------------------------------------- */

/* Each decoder gets a view of exactly the capability value and returns -1
 * when its length is wrong. */
static int
capa_mp(struct buf *v, struct bgp_caps *c)
{
	uint16_t	 afi;
	uint8_t		 res, safi;

	/* RFC 4760 8: AFI, reserved, SAFI. */
	if (buf_left(v) != 4 || buf_get_u16(v, &afi) == -1 ||
	    buf_get_u8(v, &res) == -1 || buf_get_u8(v, &safi) == -1)
		return -1;
	if (afi == AFI_IPV4 && safi == SAFI_UNICAST)
		c->mp |= AID_BIT(AID_IPV4_UNICAST);
	else if (afi == AFI_IPV6 && safi == SAFI_UNICAST)
		c->mp |= AID_BIT(AID_IPV6_UNICAST);
	return 0;
}

static int
capa_rr(struct buf *v, struct bgp_caps *c)
{
	c->route_refresh = 1;
	return buf_left(v) == 0 ? 0 : -1;	/* RFC 2918 2 */
}

static int
capa_enhanced_rr(struct buf *v, struct bgp_caps *c)
{
	c->enhanced_rr = 1;
	return buf_left(v) == 0 ? 0 : -1;	/* RFC 7313 3 */
}

static int
capa_ext_msg(struct buf *v, struct bgp_caps *c)
{
	c->ext_msg = 1;
	return buf_left(v) == 0 ? 0 : -1;	/* RFC 8654 3 */
}

static int
capa_as4(struct buf *v, struct bgp_caps *c)
{
	if (buf_left(v) != 4 || buf_get_u32(v, &c->as4_asn) == -1)
		return -1;			/* RFC 6793 3 */
	c->as4 = 1;
	return 0;
}

/* RFC 4724 3: flags and time in 2 octets, then <AFI, SAFI, flags> tuples.
 * Only the first GR_MAX_AFS tuples are kept; we know two families. */
static int
capa_gr(struct buf *v, struct bgp_caps *c)
{
	uint16_t	 ft, afi;
	uint8_t		 safi, flags;

	if (buf_left(v) < 2 || (buf_left(v) - 2) % 4 != 0 ||
	    buf_get_u16(v, &ft) == -1)
		return -1;
	c->gr = 1;
	c->gr_flags = (ft >> 8) & 0xf0;
	c->gr_time = ft & 0x0fff;
	c->gr_naf = 0;
	while (buf_get_u16(v, &afi) == 0 && buf_get_u8(v, &safi) == 0 &&
	    buf_get_u8(v, &flags) == 0) {
		if (c->gr_naf >= GR_MAX_AFS)
			continue;
		c->gr_af[c->gr_naf].afi = afi;
		c->gr_af[c->gr_naf].safi = safi;
		c->gr_af[c->gr_naf].flags = flags;
		c->gr_naf++;
	}
	return 0;
}

/* RFC 7911 4: <AFI, SAFI, send/receive> tuples; we do not do add-path,
 * so a well-formed one is simply not acted upon. */
static int
capa_add_path(struct buf *v, struct bgp_caps *c)
{
	(void)c;
	return buf_left(v) % 4 == 0 ? 0 : -1;
}

static const struct capa_desc {
	uint8_t	 code;
	int	(*parse)(struct buf *, struct bgp_caps *);
} capa_table[] = {
	{ CAPA_MP, capa_mp },
	{ CAPA_ROUTE_REFRESH, capa_rr },
	{ CAPA_EXT_MSG, capa_ext_msg },
	{ CAPA_GRACEFUL_RESTART, capa_gr },
	{ CAPA_AS4, capa_as4 },
	{ CAPA_ADD_PATH, capa_add_path },
	{ CAPA_ENHANCED_RR, capa_enhanced_rr },
};

static const struct capa_desc *
capa_lookup(uint8_t code)
{
	size_t	 i;

	for (i = 0; i < sizeof(capa_table) / sizeof(capa_table[0]); i++)
		if (capa_table[i].code == code)
			return &capa_table[i];
	return NULL;
}

/*
 * The value of one capabilities optional parameter (RFC 5492 4).  A TLV
 * running past the parameter or a known capability of the wrong length
 * is 2/0 with the offending bytes (bounded by notify_set) as data;
 * unknown capabilities are counted and ignored (RFC 5492 3).
 */
static int
capa_parse_all(struct buf *p, struct bgp_caps *caps, struct bgp_notify *err)
{
	const struct capa_desc	*d;
	const uint8_t		*tlv;
	struct buf		 v;
	uint8_t			 code, len;

	while (buf_left(p) > 0) {
		tlv = buf_rptr(p);
		if (buf_get_u8(p, &code) == -1 || buf_get_u8(p, &len) == -1 ||
		    buf_get_view(p, len, &v) == -1) {
			notify_set(err, ERR_OPEN, ERR_OPEN_UNSPEC, tlv,
			    buf_left(p) + (buf_rptr(p) - tlv));
			return -1;
		}
		if ((d = capa_lookup(code)) == NULL) {
			caps->unknown++;
			continue;
		}
		if (d->parse(&v, caps) == -1) {
			notify_set(err, ERR_OPEN, ERR_OPEN_UNSPEC, tlv,
			    2 + (size_t)len);
			return -1;
		}
	}
	return 0;
}

/* Capability writers, shared by the OPEN builder and the 2/7 data. */
static void
capa_put_mp(struct buf *b, uint16_t afi, uint8_t safi)
{
	buf_put_u8(b, CAPA_MP);
	buf_put_u8(b, 4);
	buf_put_u16(b, afi);
	buf_put_u8(b, 0);
	buf_put_u8(b, safi);
}

static void
capa_put_empty(struct buf *b, uint8_t code)
{
	buf_put_u8(b, code);
	buf_put_u8(b, 0);
}

static void
capa_put_as4(struct buf *b, uint32_t asn)
{
	buf_put_u8(b, CAPA_AS4);
	buf_put_u8(b, 4);
	buf_put_u32(b, asn);
}

static void
capa_put_gr(struct buf *b, const struct bgp_caps *c)
{
	uint8_t	 i, naf = c->gr_naf > GR_MAX_AFS ? GR_MAX_AFS : c->gr_naf;

	buf_put_u8(b, CAPA_GRACEFUL_RESTART);
	buf_put_u8(b, 2 + 4 * naf);
	buf_put_u16(b, (uint16_t)((c->gr_flags & 0xf0) << 8 |
	    (c->gr_time & 0x0fff)));
	for (i = 0; i < naf; i++) {
		buf_put_u16(b, c->gr_af[i].afi);
		buf_put_u8(b, c->gr_af[i].safi);
		buf_put_u8(b, c->gr_af[i].flags);
	}
}

/* OPEN ---------------------------------------------------------------- */

static int
open_err(struct bgp_notify *err, uint8_t subcode)
{
	notify_set(err, ERR_OPEN, subcode, NULL, 0);
	return -1;
}

/* Next optional parameter: 1-octet length, or 2 octets under RFC 9072. */
static int
open_param_next(struct buf *params, int ext, uint8_t *type, struct buf *p)
{
	uint16_t	 plen;
	uint8_t		 plen8;

	if (buf_get_u8(params, type) == -1)
		return -1;
	if (ext) {
		if (buf_get_u16(params, &plen) == -1)
			return -1;
	} else {
		if (buf_get_u8(params, &plen8) == -1)
			return -1;
		plen = plen8;
	}
	return buf_get_view(params, plen, p);
}

/*
 * RFC 9072 2: a non-zero Non-Ext OP Len followed by type 255 means the
 * real length is the next 2 octets and every parameter has a 2-octet
 * length.  Either way the parameters must fill the rest of the message
 * exactly; anything else is an inconsistent OPEN (2/0).
 */
static int
open_params_view(struct buf *b, uint8_t optlen, struct buf *params,
    int *ext)
{
	uint16_t	 plen = optlen;
	uint8_t		 first;

	*ext = 0;
	if (optlen != 0 && buf_peek_u8(b, 0, &first) == 0 &&
	    first == OPT_PARAM_EXT_LEN) {
		if (buf_skip(b, 1) == -1 || buf_get_u16(b, &plen) == -1)
			return -1;
		*ext = 1;
	}
	if (buf_left(b) != plen)
		return -1;
	return buf_get_view(b, plen, params);
}

static int
open_params(struct buf *b, uint8_t optlen, struct bgp_open *o,
    struct bgp_notify *err)
{
	struct buf	 params, p;
	uint8_t		 type;

	if (open_params_view(b, optlen, &params, &o->ext_params) == -1)
		return open_err(err, ERR_OPEN_UNSPEC);
	while (buf_left(&params) > 0) {
		if (open_param_next(&params, o->ext_params, &type, &p) == -1)
			return open_err(err, ERR_OPEN_UNSPEC);
		/* RFC 5492 removed everything but capabilities. */
		if (type != OPT_PARAM_CAPA)
			return open_err(err, ERR_OPEN_OPT);
		if (capa_parse_all(&p, &o->caps, err) == -1)
			return -1;
	}
	return 0;
}

int
msg_open_parse(struct buf *b, struct bgp_open *o, struct bgp_notify *err)
{
	uint8_t		 vers[2] = { 0, BGP_VERSION };
	size_t		 total = BGP_HDR_LEN + buf_left(b);
	uint8_t		 optlen;

	memset(o, 0, sizeof(*o));
	/* Only reachable if the header was not checked: RFC 4271 6.2 says a
	 * too short OPEN is a Bad Message Length. */
	if (buf_get_u8(b, &o->version) == -1 ||
	    buf_get_u16(b, &o->my_as) == -1 ||
	    buf_get_u16(b, &o->holdtime) == -1 ||
	    buf_get_u32(b, &o->bgp_id) == -1 ||
	    buf_get_u8(b, &optlen) == -1)
		return msg_hdr_badlen(err, (uint16_t)total);
	if (o->version != BGP_VERSION) {
		/* RFC 4271 6.2: data is the version we do support. */
		notify_set(err, ERR_OPEN, ERR_OPEN_VERSION, vers, sizeof(vers));
		return -1;
	}
	return open_params(b, optlen, o, err);
}

uint32_t
msg_open_peer_as(const struct bgp_open *o)
{
	/* RFC 6793 4.1: with the capability, my_as is only AS_TRANS or a
	 * copy; the capability's ASN is the real one. */
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

/* RFC 5492 5: 2/7 lists the capabilities the peer failed to offer.  The
 * AS4 one carries the ASN we expected in it. */
static void
open_missing_caps(const struct bgp_caps *c, const struct open_expect *e,
    struct bgp_notify *err)
{
	struct buf	 w;
	unsigned	 req = e->required_caps;

	notify_set(err, ERR_OPEN, ERR_OPEN_CAPA, NULL, 0);
	if (buf_init(&w, 64, BGP_NOTIFY_DATA_MAX) == -1)
		return;
	if ((req & CAPREQ_MP_IPV4) && !(c->mp & AID_BIT(AID_IPV4_UNICAST)))
		capa_put_mp(&w, AFI_IPV4, SAFI_UNICAST);
	if ((req & CAPREQ_MP_IPV6) && !(c->mp & AID_BIT(AID_IPV6_UNICAST)))
		capa_put_mp(&w, AFI_IPV6, SAFI_UNICAST);
	if ((req & CAPREQ_AS4) && !c->as4)
		capa_put_as4(&w, e->peer_as);
	if ((req & CAPREQ_ROUTE_REFRESH) && !c->route_refresh)
		capa_put_empty(&w, CAPA_ROUTE_REFRESH);
	if (!buf_error(&w))
		notify_set(err, ERR_OPEN, ERR_OPEN_CAPA, buf_data(&w),
		    buf_len(&w));
	buf_free(&w);
}

static int
open_caps_ok(const struct bgp_caps *c, unsigned req)
{
	if ((req & CAPREQ_MP_IPV4) && !(c->mp & AID_BIT(AID_IPV4_UNICAST)))
		return 0;
	if ((req & CAPREQ_MP_IPV6) && !(c->mp & AID_BIT(AID_IPV6_UNICAST)))
		return 0;
	if ((req & CAPREQ_AS4) && !c->as4)
		return 0;
	if ((req & CAPREQ_ROUTE_REFRESH) && !c->route_refresh)
		return 0;
	return 1;
}

/*
 * The OPEN against local policy, in the order of RFC 4271 6.2 (peer AS,
 * BGP identifier, hold time), then required capabilities (RFC 5492 5).
 * An identifier equal to ours is refused outright: tbgpd has no iBGP and
 * two equal identifiers make collision resolution meaningless.
 */
int
msg_open_check(const struct bgp_open *o, const struct open_expect *e,
    struct bgp_notify *err)
{
	uint32_t	 as = msg_open_peer_as(o);

	/* RFC 7607: AS 0 is never a valid peer AS.  peer_as 0 stands for
	 * "remote-as external": any AS but ours. */
	if (as == 0 || (e->peer_as != 0 ? as != e->peer_as : as == e->local_as))
		return open_err(err, ERR_OPEN_AS);
	if (o->bgp_id == 0 || o->bgp_id == e->local_id)
		return open_err(err, ERR_OPEN_BGPID);
	/* RFC 4271 4.2: zero or at least three seconds. */
	if (o->holdtime == 1 || o->holdtime == 2)
		return open_err(err, ERR_OPEN_HOLD);
	if (e->min_holdtime != 0 && o->holdtime != 0 &&
	    o->holdtime < e->min_holdtime)
		return open_err(err, ERR_OPEN_HOLD);
	if (!open_caps_ok(&o->caps, e->required_caps)) {
		open_missing_caps(&o->caps, e, err);
		return -1;
	}
	return 0;
}

/* Octets of the capabilities we will write, to pick the encoding first. */
static size_t
open_caps_len(const struct bgp_caps *c)
{
	size_t	 len = 0;
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (c->mp & AID_BIT(aid))
			len += 6;
	len += c->route_refresh ? 2 : 0;
	len += c->enhanced_rr ? 2 : 0;
	len += c->as4 ? 6 : 0;
	len += c->ext_msg ? 2 : 0;
	if (c->gr)
		len += 4 + 4 * (c->gr_naf > GR_MAX_AFS ? GR_MAX_AFS : c->gr_naf);
	return len;
}

static void
open_caps_put(struct buf *b, const struct bgp_caps *c)
{
	if (c->mp & AID_BIT(AID_IPV4_UNICAST))
		capa_put_mp(b, AFI_IPV4, SAFI_UNICAST);
	if (c->mp & AID_BIT(AID_IPV6_UNICAST))
		capa_put_mp(b, AFI_IPV6, SAFI_UNICAST);
	if (c->route_refresh)
		capa_put_empty(b, CAPA_ROUTE_REFRESH);
	if (c->enhanced_rr)
		capa_put_empty(b, CAPA_ENHANCED_RR);
	if (c->as4)
		capa_put_as4(b, c->as4_asn);
	if (c->gr)
		capa_put_gr(b, c);
	if (c->ext_msg)
		capa_put_empty(b, CAPA_EXT_MSG);
}

/* One capabilities parameter; lengths patched once the bytes are out. */
static void
open_params_put(struct buf *b, const struct bgp_open *o)
{
	size_t	 caplen = open_caps_len(&o->caps);
	size_t	 optoff, capoff, end;
	int	 ext = o->ext_params || caplen + 2 > 255;

	if (caplen == 0 && !o->ext_params) {
		buf_put_u8(b, 0);
		return;
	}
	if (ext) {
		/* RFC 9072 2: Non-Ext OP Len and Type both 255. */
		buf_put_u8(b, OPT_PARAM_EXT_LEN);
		buf_put_u8(b, OPT_PARAM_EXT_LEN);
	}
	optoff = buf_reserve(b, ext ? 2 : 1);
	buf_put_u8(b, OPT_PARAM_CAPA);
	capoff = buf_reserve(b, ext ? 2 : 1);
	open_caps_put(b, &o->caps);
	end = buf_len(b);
	if (ext) {
		buf_set_u16_at(b, optoff, (uint16_t)(end - optoff - 2));
		buf_set_u16_at(b, capoff, (uint16_t)(end - capoff - 2));
	} else {
		buf_set_u8_at(b, optoff, (uint8_t)(end - optoff - 1));
		buf_set_u8_at(b, capoff, (uint8_t)(end - capoff - 1));
	}
}

void
msg_open_build(struct buf *b, const struct bgp_open *o)
{
	size_t	 start;

	msg_hdr_put(b, BGP_OPEN, &start);
	buf_put_u8(b, BGP_VERSION);
	buf_put_u16(b, o->my_as);
	buf_put_u16(b, o->holdtime);
	buf_put_u32(b, o->bgp_id);
	open_params_put(b, o);
	msg_hdr_done(b, start);
}

/* KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ------------------------------ */

void
msg_keepalive_build(struct buf *b)
{
	size_t	 start;

	msg_hdr_put(b, BGP_KEEPALIVE, &start);
	msg_hdr_done(b, start);
}

void
msg_notify_build(struct buf *b, const struct bgp_notify *n)
{
	size_t	 start, len = n->datalen;

	if (len > BGP_NOTIFY_DATA_MAX)
		len = BGP_NOTIFY_DATA_MAX;
	msg_hdr_put(b, BGP_NOTIFICATION, &start);
	buf_put_u8(b, n->code);
	buf_put_u8(b, n->subcode);
	buf_put(b, n->data, len);
	msg_hdr_done(b, start);
}

/* The data is whatever follows code and subcode, cut at our bound; the
 * rest of the message is consumed and dropped. */
int
msg_notify_parse(struct buf *b, struct bgp_notify *n)
{
	size_t	 len;

	memset(n, 0, sizeof(*n));
	if (buf_get_u8(b, &n->code) == -1 ||
	    buf_get_u8(b, &n->subcode) == -1)
		return -1;
	len = buf_left(b);
	if (len > BGP_NOTIFY_DATA_MAX)
		len = BGP_NOTIFY_DATA_MAX;
	if (buf_get_n(b, n->data, len) == -1)
		return -1;
	n->datalen = (uint16_t)len;
	return buf_skip(b, buf_left(b));
}

void
msg_rrefresh_build(struct buf *b, uint16_t afi, uint8_t safi,
    uint8_t subtype)
{
	size_t	 start;

	msg_hdr_put(b, BGP_ROUTE_REFRESH, &start);
	buf_put_u16(b, afi);
	buf_put_u8(b, subtype);
	buf_put_u8(b, safi);
	msg_hdr_done(b, start);
}

/* RFC 7313 5: 7/1 carries the complete ROUTE-REFRESH message, which we
 * rebuild around the body we were given (bounded by notify_set). */
static int
rrefresh_badlen(struct buf *b, struct bgp_notify *err)
{
	uint8_t	 msg[BGP_NOTIFY_DATA_MAX];
	size_t	 body = buf_left(b), total = BGP_HDR_LEN + body;
	size_t	 copy = body;

	if (copy > sizeof(msg) - BGP_HDR_LEN)
		copy = sizeof(msg) - BGP_HDR_LEN;
	memset(msg, 0xff, BGP_MARKER_LEN);
	msg[BGP_MARKER_LEN] = (total >> 8) & 0xff;
	msg[BGP_MARKER_LEN + 1] = total & 0xff;
	msg[BGP_MARKER_LEN + 2] = BGP_ROUTE_REFRESH;
	(void)buf_get_n(b, msg + BGP_HDR_LEN, copy);
	notify_set(err, ERR_RREFRESH, ERR_RR_INV_LEN, msg, BGP_HDR_LEN + copy);
	return -1;
}

/*
 * 0: a refresh to act on; 1: to be ignored (RFC 7313 5 for an unknown
 * subtype, RFC 2918 4 for an AFI/SAFI we never advertised); -1: 7/1.
 */
int
msg_rrefresh_parse(struct buf *b, uint16_t *afi, uint8_t *safi,
    uint8_t *subtype, struct bgp_notify *err)
{
	if (buf_left(b) != 4)
		return rrefresh_badlen(b, err);
	if (buf_get_u16(b, afi) == -1 || buf_get_u8(b, subtype) == -1 ||
	    buf_get_u8(b, safi) == -1)
		return rrefresh_badlen(b, err);
	if (*subtype > RR_SUBTYPE_MAX)
		return 1;
	if ((*afi != AFI_IPV4 && *afi != AFI_IPV6) || *safi != SAFI_UNICAST)
		return 1;
	return 0;
}

/* Filling a bgp_notify ------------------------------------------------ */

void
notify_set(struct bgp_notify *n, uint8_t code, uint8_t subcode,
    const void *data, size_t datalen)
{
	memset(n, 0, sizeof(*n));
	n->code = code;
	n->subcode = subcode;
	if (data == NULL)
		return;
	if (datalen > BGP_NOTIFY_DATA_MAX)
		datalen = BGP_NOTIFY_DATA_MAX;
	memcpy(n->data, data, datalen);
	n->datalen = (uint16_t)datalen;
}

/*
 * RFC 9003 2: a length octet and up to 255 octets of UTF-8.  A longer
 * text is cut before the first continuation octet that would be split
 * off, so a valid input stays valid.  No text: no data at all, which old
 * peers (pre RFC 8203) handle best.
 */
void
notify_set_shutdown(struct bgp_notify *n, uint8_t subcode, const char *msg)
{
	size_t	 len = msg ? strlen(msg) : 0;

	notify_set(n, ERR_CEASE, subcode, NULL, 0);
	if (len == 0)
		return;
	if (len > SHUTDOWN_MSG_MAX) {
		len = SHUTDOWN_MSG_MAX;
		while (len > 0 && ((uint8_t)msg[len] & 0xc0) == 0x80)
			len--;
	}
	n->data[0] = (uint8_t)len;
	memcpy(n->data + 1, msg, len);
	n->datalen = (uint16_t)(len + 1);
}

/* Names --------------------------------------------------------------- */

static const char *const err_names[] = {
	[ERR_HEADER] = "Message Header Error",
	[ERR_OPEN] = "OPEN Message Error",
	[ERR_UPDATE] = "UPDATE Message Error",
	[ERR_HOLD] = "Hold Timer Expired",
	[ERR_FSM] = "Finite State Machine Error",
	[ERR_CEASE] = "Cease",
	[ERR_RREFRESH] = "ROUTE-REFRESH Message Error",
	[ERR_SENDHOLD] = "Send Hold Timer Expired",
};

/* IANA "BGP Error Subcodes" registries for codes 1-8. */
static const struct suberr_name {
	uint8_t		 code;
	uint8_t		 subcode;
	const char	*name;
} suberr_names[] = {
	{ ERR_HEADER, 0, "Unspecific" },
	{ ERR_HEADER, ERR_HDR_SYNC, "Connection Not Synchronized" },
	{ ERR_HEADER, ERR_HDR_LEN, "Bad Message Length" },
	{ ERR_HEADER, ERR_HDR_TYPE, "Bad Message Type" },
	{ ERR_OPEN, ERR_OPEN_UNSPEC, "Unspecific" },
	{ ERR_OPEN, ERR_OPEN_VERSION, "Unsupported Version Number" },
	{ ERR_OPEN, ERR_OPEN_AS, "Bad Peer AS" },
	{ ERR_OPEN, ERR_OPEN_BGPID, "Bad BGP Identifier" },
	{ ERR_OPEN, ERR_OPEN_OPT, "Unsupported Optional Parameter" },
	{ ERR_OPEN, 5, "Authentication Failure (deprecated)" },
	{ ERR_OPEN, ERR_OPEN_HOLD, "Unacceptable Hold Time" },
	{ ERR_OPEN, ERR_OPEN_CAPA, "Unsupported Capability" },
	{ ERR_OPEN, 8, "Deprecated (8)" },
	{ ERR_OPEN, 9, "Deprecated (9)" },
	{ ERR_OPEN, 10, "Deprecated (10)" },
	{ ERR_OPEN, ERR_OPEN_ROLE, "Role Mismatch" },
	{ ERR_UPDATE, 0, "Unspecific" },
	{ ERR_UPDATE, ERR_UPD_ATTRLIST, "Malformed Attribute List" },
	{ ERR_UPDATE, ERR_UPD_UNKNWN_WK_ATTR,
	    "Unrecognized Well-known Attribute" },
	{ ERR_UPDATE, ERR_UPD_MISSNG_WK_ATTR, "Missing Well-known Attribute" },
	{ ERR_UPDATE, ERR_UPD_ATTRFLAGS, "Attribute Flags Error" },
	{ ERR_UPDATE, ERR_UPD_ATTRLEN, "Attribute Length Error" },
	{ ERR_UPDATE, ERR_UPD_ORIGIN, "Invalid ORIGIN Attribute" },
	{ ERR_UPDATE, 7, "AS Routing Loop (deprecated)" },
	{ ERR_UPDATE, ERR_UPD_NEXTHOP, "Invalid NEXT_HOP Attribute" },
	{ ERR_UPDATE, ERR_UPD_OPTATTR, "Optional Attribute Error" },
	{ ERR_UPDATE, ERR_UPD_NETWORK, "Invalid Network Field" },
	{ ERR_UPDATE, ERR_UPD_ASPATH, "Malformed AS_PATH" },
	{ ERR_HOLD, 0, "Unspecific" },
	{ ERR_FSM, ERR_FSM_UNSPEC, "Unspecified Error" },
	{ ERR_FSM, ERR_FSM_UNEX_OPENSENT,
	    "Receive Unexpected Message in OpenSent State" },
	{ ERR_FSM, ERR_FSM_UNEX_OPENCONFIRM,
	    "Receive Unexpected Message in OpenConfirm State" },
	{ ERR_FSM, ERR_FSM_UNEX_ESTABLISHED,
	    "Receive Unexpected Message in Established State" },
	{ ERR_CEASE, 0, "Unspecific" },
	{ ERR_CEASE, ERR_CEASE_MAX_PREFIX, "Maximum Number of Prefixes Reached" },
	{ ERR_CEASE, ERR_CEASE_ADMIN_DOWN, "Administrative Shutdown" },
	{ ERR_CEASE, ERR_CEASE_PEER_UNCONF, "Peer De-configured" },
	{ ERR_CEASE, ERR_CEASE_ADMIN_RESET, "Administrative Reset" },
	{ ERR_CEASE, ERR_CEASE_CONN_REJECT, "Connection Rejected" },
	{ ERR_CEASE, ERR_CEASE_OTHER_CHANGE, "Other Configuration Change" },
	{ ERR_CEASE, ERR_CEASE_COLLISION, "Connection Collision Resolution" },
	{ ERR_CEASE, ERR_CEASE_RSRC_EXHAUST, "Out of Resources" },
	{ ERR_CEASE, ERR_CEASE_HARD_RESET, "Hard Reset" },
	{ ERR_CEASE, ERR_CEASE_BFD_DOWN, "BFD Down" },
	{ ERR_RREFRESH, ERR_RR_INV_LEN, "Invalid Message Length" },
	{ ERR_SENDHOLD, 0, "Unspecific" },
};

static const char *
err_lookup(uint8_t code)
{
	if (code < sizeof(err_names) / sizeof(err_names[0]))
		return err_names[code];
	return NULL;
}

static const char *
suberr_lookup(uint8_t code, uint8_t subcode)
{
	size_t	 i;

	for (i = 0; i < sizeof(suberr_names) / sizeof(suberr_names[0]); i++)
		if (suberr_names[i].code == code &&
		    suberr_names[i].subcode == subcode)
			return suberr_names[i].name;
	return NULL;
}

/* Unknown values print as numbers; the daemon is single-threaded, so one
 * static buffer per function is enough for one log line. */
const char *
msg_type_name(uint8_t type)
{
	static char			 num[16];
	const struct msg_type_desc	*d;

	if ((d = msg_type_lookup(type)) != NULL)
		return d->name;
	snprintf(num, sizeof(num), "type %u", type);
	return num;
}

const char *
msg_err_name(uint8_t code)
{
	static char	 num[16];
	const char	*name;

	if ((name = err_lookup(code)) != NULL)
		return name;
	snprintf(num, sizeof(num), "code %u", code);
	return num;
}

const char *
msg_suberr_name(uint8_t code, uint8_t subcode)
{
	static char	 num[16];
	const char	*name;

	if ((name = suberr_lookup(code, subcode)) != NULL)
		return name;
	snprintf(num, sizeof(num), "subcode %u", subcode);
	return num;
}

/* Shutdown communication (RFC 9003) ----------------------------------- */

/* A bounded string being appended to; full once something did not fit,
 * so output never ends in half an escape or half a character. */
struct strout {
	char	*p;
	size_t	 size;
	size_t	 len;
	int	 full;
};

static void
strout_init(struct strout *o, char *p, size_t size)
{
	o->p = p;
	o->size = size;
	o->len = 0;
	o->full = size == 0;
	if (size > 0)
		p[0] = '\0';
}

static void
strout_put(struct strout *o, const void *s, size_t n)
{
	if (o->full || n >= o->size - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
strout_printf(struct strout *o, const char *fmt, ...)
{
	char	 tmp[128];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		n = (int)strlen(tmp);
	strout_put(o, tmp, (size_t)n);
}

/* Length of the well-formed UTF-8 sequence at the read position (RFC 3629
 * 4, no overlongs or surrogates), 0 if there is none. */
static size_t
utf8_seqlen(const struct buf *t)
{
	uint8_t	 c, lo = 0x80, hi = 0xbf;
	size_t	 len, i;

	if (buf_peek_u8(t, 0, &c) == -1)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	for (i = 1; i < len; i++) {
		if (buf_peek_u8(t, i, &c) == -1)
			return 0;
		if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf))
			return 0;
	}
	return len;
}

/* One character of the text, or one escaped byte.  C0 and C1 controls,
 * DEL, backslash, '"' and broken UTF-8 come out as \xNN. */
static void
shutdown_char(struct buf *t, struct strout *o)
{
	const uint8_t	*p = buf_rptr(t);
	size_t		 len = utf8_seqlen(t);
	int		 plain;

	if (len == 1)
		plain = p[0] >= 0x20 && p[0] < 0x7f && p[0] != '\\' &&
		    p[0] != '"';
	else
		plain = len > 1 && !(p[0] == 0xc2 && p[1] < 0xa0);
	if (plain)
		strout_put(o, p, len);
	else {
		strout_printf(o, "\\x%02x", p[0]);
		len = 1;
	}
	(void)buf_skip(t, len);
}

static int
shutdown_has_text(const struct bgp_notify *n)
{
	return n->code == ERR_CEASE && n->datalen > 0 &&
	    (n->subcode == ERR_CEASE_ADMIN_DOWN ||
	    n->subcode == ERR_CEASE_ADMIN_RESET) && n->data[0] > 0;
}

/* The length octet is never trusted: the text is what is really there. */
static int
shutdown_sanitize(const struct bgp_notify *n, struct strout *o,
    int *truncated)
{
	struct buf	 d, t;
	uint8_t		 len;
	size_t		 datalen = n->datalen;

	*truncated = 0;
	if (!shutdown_has_text(n))
		return -1;
	if (datalen > BGP_NOTIFY_DATA_MAX)
		datalen = BGP_NOTIFY_DATA_MAX;
	buf_view(&d, n->data, datalen);
	if (buf_get_u8(&d, &len) == -1)
		return -1;
	if (len > buf_left(&d)) {
		*truncated = 1;
		len = (uint8_t)buf_left(&d);
	}
	(void)buf_get_view(&d, len, &t);
	while (buf_left(&t) > 0 && !o->full)
		shutdown_char(&t, o);
	return 0;
}

int
msg_shutdown_text(const struct bgp_notify *n, char *out, size_t size)
{
	struct strout	 o;
	int		 truncated;

	strout_init(&o, out, size);
	if (shutdown_sanitize(n, &o, &truncated) == -1)
		return -1;
	if (truncated)
		strout_put(&o, " (truncated)", 12);
	return 0;
}

static void
notify_hexdump(const struct bgp_notify *n, struct strout *o)
{
	size_t	 i, len = n->datalen;

	if (len > BGP_NOTIFY_DATA_MAX)
		len = BGP_NOTIFY_DATA_MAX;
	if (len == 0)
		return;
	strout_put(o, ", data", 6);
	for (i = 0; i < len && i < NOTIFY_HEX_MAX; i++)
		strout_printf(o, " %02x", n->data[i]);
	if (len > NOTIFY_HEX_MAX)
		strout_put(o, " ...", 4);
}

/* "Code/Subcode", the code alone for codes without subcodes, then the
 * shutdown communication or a bounded hex dump of the data. */
/* RFC 8538 3: a Hard Reset carries the NOTIFICATION it stands for. */
static void
notify_inner(const struct bgp_notify *n, struct strout *o)
{
	struct bgp_notify	 in;
	char			 s[512];

	memset(&in, 0, sizeof(in));
	in.code = n->data[0];
	in.subcode = n->data[1];
	in.datalen = n->datalen - 2;
	memcpy(in.data, n->data + 2, in.datalen);
	if (in.code == ERR_CEASE && in.subcode == ERR_CEASE_HARD_RESET)
		in.datalen = 0;		/* no nesting */
	strout_printf(o, " (%s)", msg_notify_str(&in, s, sizeof(s)));
}

const char *
msg_notify_str(const struct bgp_notify *n, char *out, size_t size)
{
	struct strout	 o;
	int		 truncated;

	strout_init(&o, out, size);
	if (err_lookup(n->code) == NULL)
		strout_printf(&o, "code %u/%u", n->code, n->subcode);
	else if (n->subcode == 0 &&
	    (n->code == ERR_HOLD || n->code == ERR_SENDHOLD))
		strout_printf(&o, "%s", msg_err_name(n->code));
	else
		strout_printf(&o, "%s/%s", msg_err_name(n->code),
		    msg_suberr_name(n->code, n->subcode));
	if (n->code == ERR_CEASE && n->subcode == ERR_CEASE_HARD_RESET &&
	    n->datalen >= 2) {
		notify_inner(n, &o);
		return out;
	}
	if (!shutdown_has_text(n)) {
		notify_hexdump(n, &o);
		return out;
	}
	/* Text goes straight in: cut short, it still ends on a whole
	 * character and the missing quote shows it was cut. */
	strout_put(&o, ", message \"", 11);
	(void)shutdown_sanitize(n, &o, &truncated);
	strout_put(&o, "\"", 1);
	if (truncated)
		strout_put(&o, " (truncated)", 12);
	return out;
}
