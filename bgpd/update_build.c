/*
 * update_build: writing UPDATE messages (RFC 4271 4.3, RFC 4760, RFC 4724).
 *
 * Owns the layout of what tbgpd sends: IPv4 unicast in the classic
 * withdrawn-routes and NLRI fields with NEXT_HOP among the attributes,
 * IPv6 unicast in MP_REACH_NLRI / MP_UNREACH_NLRI, the End-of-RIB markers
 * and the prefix encoding shared with the parser (nlri_put, nlri_len).
 *
 * Every builder first works out how many prefixes fit in the size limit
 * and only then writes, so a message is never cut short and nothing is
 * written when not even one prefix fits.  The attributes are encoded once
 * into a scratch buffer to learn their size.  MP attributes are packed as
 * if they needed the 2-octet length (at most one octet wasted) and take
 * the extended-length flag only when their value passes 255 octets, as
 * BIRD and FRR send them.
 */
#include "config.h"

#include <string.h>

#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "msg.h"
#include "update.h"

#define UPD_FIXED_LEN	(BGP_HDR_LEN + 2 + 2)	/* header, two lengths */
#define MP_HDR_LEN	4	/* flags, type, 2-octet length */
#define MP_AFI_LEN	3	/* AFI, SAFI */
#define V6_NH_LEN	16
#define ATTR_SCRATCH	512	/* typical attribute set; grows to maxlen */

/* Prefixes --------------------------------------------------------------- */

size_t
nlri_len(const struct tb_prefix *p)
{
	return 1 + (p->len + 7) / 8;
}

/* RFC 4271 4.3: the length in bits, then just enough octets; trailing
 * bits past the length are sent as zero whatever the caller holds. */
void
nlri_put(struct buf *b, const struct tb_prefix *p)
{
	uint8_t	 octets[16];
	size_t	 n = (p->len + 7) / 8;

	if (n > sizeof(octets))
		n = sizeof(octets);
	memcpy(octets, p->addr.u.raw, n);
	if (p->len % 8 != 0 && n > 0)
		octets[n - 1] &= (uint8_t)(0xff << (8 - p->len % 8));
	buf_put_u8(b, p->len);
	buf_put(b, octets, n);
}

/* How many of pfx[0..n-1] fit in room octets, and their size in *used. */
static size_t
nlri_fit(const struct tb_prefix *pfx, size_t n, size_t room, size_t *used)
{
	size_t	 i, l, sum = 0;

	for (i = 0; i < n; i++) {
		l = nlri_len(&pfx[i]);
		if (l > room - sum)
			break;
		sum += l;
	}
	*used = sum;
	return i;
}

static void
nlri_put_all(struct buf *b, const struct tb_prefix *pfx, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		nlri_put(b, &pfx[i]);
}

/* Framing ---------------------------------------------------------------- */

/* The header with a zero length; upd_hdr_done() patches it. */
static size_t
upd_hdr_put(struct buf *b)
{
	uint8_t	 marker[BGP_MARKER_LEN];
	size_t	 start = buf_len(b);

	memset(marker, 0xff, sizeof(marker));
	buf_put(b, marker, sizeof(marker));
	buf_reserve(b, 2);
	buf_put_u8(b, BGP_UPDATE);
	return start;
}

static void
upd_hdr_done(struct buf *b, size_t start)
{
	buf_set_u16_at(b, start + BGP_MARKER_LEN,
	    (uint16_t)(buf_len(b) - start));
}

/* An MP attribute header: 1-octet length when the value allows it. */
static void
mp_attr_hdr(struct buf *b, uint8_t code, size_t vlen)
{
	if (vlen > 255) {
		buf_put_u8(b, ATTR_F_OPTIONAL | ATTR_F_EXTLEN);
		buf_put_u8(b, code);
		buf_put_u16(b, (uint16_t)vlen);
	} else {
		buf_put_u8(b, ATTR_F_OPTIONAL);
		buf_put_u8(b, code);
		buf_put_u8(b, (uint8_t)vlen);
	}
}

static size_t
mp_attr_len(size_t vlen)
{
	return (vlen > 255 ? 4 : 3) + vlen;
}

/* IPv4 ------------------------------------------------------------------- */

static size_t
upd_v4_withdraw(struct buf *out, size_t maxlen, const struct tb_prefix *pfx,
    size_t n)
{
	size_t	 k, used, start;

	if (maxlen <= UPD_FIXED_LEN)
		return 0;
	if ((k = nlri_fit(pfx, n, maxlen - UPD_FIXED_LEN, &used)) == 0)
		return 0;
	start = upd_hdr_put(out);
	buf_put_u16(out, (uint16_t)used);
	nlri_put_all(out, pfx, k);
	buf_put_u16(out, 0);		/* no path attributes */
	upd_hdr_done(out, start);
	return k;
}

static size_t
upd_v4_announce(struct buf *out, size_t maxlen, const struct buf *attrs,
    const struct tb_prefix *pfx, size_t n)
{
	size_t	 k, used, start, fixed = UPD_FIXED_LEN + buf_len(attrs);

	if (maxlen <= fixed)
		return 0;
	if ((k = nlri_fit(pfx, n, maxlen - fixed, &used)) == 0)
		return 0;
	start = upd_hdr_put(out);
	buf_put_u16(out, 0);		/* no withdrawn routes */
	buf_put_u16(out, (uint16_t)buf_len(attrs));
	buf_put(out, buf_data(attrs), buf_len(attrs));
	nlri_put_all(out, pfx, k);
	upd_hdr_done(out, start);
	return k;
}

/* IPv6 ------------------------------------------------------------------- */

/*
 * The MP next hop (RFC 4760 3, RFC 2545 3): the global address, then the
 * link-local one when we have it.  An IPv4 next hop for IPv6 routes is
 * sent IPv4-mapped (RFC 4291 2.5.5.2), the only way to say it in 16
 * octets.
 */
static void
mp_nexthop_put(struct buf *b, const struct attr *attr)
{
	uint8_t	 nh[V6_NH_LEN];

	memset(nh, 0, sizeof(nh));
	if (attr->nexthop.af == AF_INET) {
		nh[10] = nh[11] = 0xff;
		memcpy(nh + 12, &attr->nexthop.u.v4, 4);
	} else
		memcpy(nh, &attr->nexthop.u.v6, sizeof(nh));
	buf_put(b, nh, sizeof(nh));
	if (attr->flags & ATTRF_NEXTHOP_LL)
		buf_put(b, &attr->nexthop_ll.u.v6, V6_NH_LEN);
}

static size_t
upd_v6_unreach(struct buf *out, size_t maxlen, const struct tb_prefix *pfx,
    size_t n)
{
	size_t	 k, used, start, fixed = UPD_FIXED_LEN + MP_HDR_LEN +
		    MP_AFI_LEN;

	if (maxlen <= fixed)
		return 0;
	if ((k = nlri_fit(pfx, n, maxlen - fixed, &used)) == 0)
		return 0;
	start = upd_hdr_put(out);
	buf_put_u16(out, 0);		/* no withdrawn routes */
	buf_put_u16(out, (uint16_t)mp_attr_len(MP_AFI_LEN + used));
	mp_attr_hdr(out, ATTR_MP_UNREACH_NLRI, MP_AFI_LEN + used);
	buf_put_u16(out, AFI_IPV6);
	buf_put_u8(out, SAFI_UNICAST);
	nlri_put_all(out, pfx, k);
	upd_hdr_done(out, start);
	return k;
}

/* RFC 4760 3: AFI, SAFI, next hop length and next hop, a reserved octet,
 * then NLRI.  Written first, the other attributes after it. */
static size_t
upd_v6_announce(struct buf *out, size_t maxlen, const struct attr *attr,
    const struct buf *attrs, const struct tb_prefix *pfx, size_t n)
{
	size_t	 nhlen = attr->flags & ATTRF_NEXTHOP_LL ? 2 * V6_NH_LEN :
		    V6_NH_LEN;
	size_t	 head = MP_AFI_LEN + 1 + nhlen + 1;
	size_t	 fixed = UPD_FIXED_LEN + MP_HDR_LEN + head + buf_len(attrs);
	size_t	 k, used, start;

	if (maxlen <= fixed)
		return 0;
	if ((k = nlri_fit(pfx, n, maxlen - fixed, &used)) == 0)
		return 0;
	start = upd_hdr_put(out);
	buf_put_u16(out, 0);		/* no withdrawn routes */
	buf_put_u16(out, (uint16_t)(mp_attr_len(head + used) +
	    buf_len(attrs)));
	mp_attr_hdr(out, ATTR_MP_REACH_NLRI, head + used);
	buf_put_u16(out, AFI_IPV6);
	buf_put_u8(out, SAFI_UNICAST);
	buf_put_u8(out, (uint8_t)nhlen);
	mp_nexthop_put(out, attr);
	buf_put_u8(out, 0);		/* reserved (was SNPAs) */
	nlri_put_all(out, pfx, k);
	buf_put(out, buf_data(attrs), buf_len(attrs));
	upd_hdr_done(out, start);
	return k;
}

/* Entry points ----------------------------------------------------------- */

static size_t
upd_announce(struct buf *out, size_t maxlen, enum aid aid,
    const struct attr *attr, int as4, const struct tb_prefix *pfx, size_t n)
{
	struct buf	 attrs;
	size_t		 k = 0;

	if (buf_init(&attrs, ATTR_SCRATCH, maxlen) == -1)
		return 0;
	attr_encode(&attrs, attr, as4, aid == AID_IPV4_UNICAST);
	/* Attributes larger than a message: nothing can carry them. */
	if (buf_error(&attrs) == 0) {
		if (aid == AID_IPV4_UNICAST)
			k = upd_v4_announce(out, maxlen, &attrs, pfx, n);
		else
			k = upd_v6_announce(out, maxlen, attr, &attrs, pfx, n);
	}
	buf_free(&attrs);
	return k;
}

size_t
update_build(struct buf *out, size_t maxlen, enum aid aid,
    const struct attr *attr, int as4, const struct tb_prefix *pfx, size_t n)
{
	if (n == 0 || aid >= AID_MAX)
		return 0;
	if (maxlen > BGP_EXT_MAX_LEN)
		maxlen = BGP_EXT_MAX_LEN;
	if (attr != NULL)
		return upd_announce(out, maxlen, aid, attr, as4, pfx, n);
	if (aid == AID_IPV4_UNICAST)
		return upd_v4_withdraw(out, maxlen, pfx, n);
	return upd_v6_unreach(out, maxlen, pfx, n);
}

/*
 * RFC 4724 2: for IPv4 unicast an UPDATE with nothing in it; for another
 * family an UPDATE holding only an MP_UNREACH_NLRI with AFI and SAFI and
 * no prefixes.
 */
void
update_build_eor(struct buf *out, enum aid aid)
{
	size_t	 start = upd_hdr_put(out);

	buf_put_u16(out, 0);
	if (aid == AID_IPV4_UNICAST) {
		buf_put_u16(out, 0);
	} else {
		buf_put_u16(out, (uint16_t)mp_attr_len(MP_AFI_LEN));
		mp_attr_hdr(out, ATTR_MP_UNREACH_NLRI, MP_AFI_LEN);
		buf_put_u16(out, AFI_IPV6);
		buf_put_u8(out, SAFI_UNICAST);
	}
	upd_hdr_done(out, start);
}
