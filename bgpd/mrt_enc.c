/*
 * mrt_enc.c: MRT records (RFC 6396) as bytes; see mrt_enc.h.
 *
 * Owns the layout: the common header (with the microsecond field of the
 * _ET types counted in the length, 3 of RFC 6396), the BGP4MP session
 * fields, the peer index table and the RIB records' entries.  Lengths
 * are back-patched once the record is complete.
 */
#include "config.h"

#include <string.h>

#include "attr.h"
#include "mrt_enc.h"
#include "msg.h"
#include "update.h"

#define MRT_AFI_IPV4	1
#define MRT_AFI_IPV6	2

void
mrt_set_u32_at(struct buf *b, size_t off, uint32_t v)
{
	buf_set_u16_at(b, off, (uint16_t)(v >> 16));
	buf_set_u16_at(b, off + 2, (uint16_t)(v & 0xffff));
}

/* The common header with a zero length; returns where the length is. */
static size_t
mrt_hdr(struct buf *b, uint32_t sec, uint16_t type, uint16_t subtype)
{
	size_t	 at;

	buf_put_u32(b, sec);
	buf_put_u16(b, type);
	buf_put_u16(b, subtype);
	at = buf_reserve(b, 4);
	return at;
}

/* The length counts what follows the 12-octet header. */
static void
mrt_done(struct buf *b, size_t len_at)
{
	if (buf_error(b))
		return;
	mrt_set_u32_at(b, len_at, (uint32_t)(buf_len(b) - len_at - 4));
}

static void
mrt_addr(struct buf *b, const struct tb_addr *a, int af)
{
	static const uint8_t	 zero[16];

	if (a->af == af)
		buf_put(b, a->u.raw, af == AF_INET ? 4 : 16);
	else
		buf_put(b, zero, af == AF_INET ? 4 : 16);
}

/* Header and session fields of a BGP4MP record. */
static size_t
mrt_bgp4mp(struct buf *b, const struct mrt_time *t, uint16_t subtype,
    const struct mrt_session *s, int as4)
{
	int	 af = s->peer.af == AF_INET6 ? AF_INET6 : AF_INET;
	size_t	 at;

	at = mrt_hdr(b, t->sec, t->et ? MRT_BGP4MP_ET : MRT_BGP4MP, subtype);
	if (t->et)
		buf_put_u32(b, t->usec);
	if (as4) {
		buf_put_u32(b, s->peer_as);
		buf_put_u32(b, s->local_as);
	} else {
		buf_put_u16(b, s->peer_as > 65535 ? AS_TRANS :
		    (uint16_t)s->peer_as);
		buf_put_u16(b, s->local_as > 65535 ? AS_TRANS :
		    (uint16_t)s->local_as);
	}
	buf_put_u16(b, s->ifindex);
	buf_put_u16(b, af == AF_INET ? MRT_AFI_IPV4 : MRT_AFI_IPV6);
	mrt_addr(b, &s->peer, af);
	mrt_addr(b, &s->local, af);
	return at;
}

void
mrt_state_change(struct buf *b, const struct mrt_time *t,
    const struct mrt_session *s, uint16_t old, uint16_t new)
{
	size_t	 at;

	at = mrt_bgp4mp(b, t, MRT_BGP4MP_STATE_CHANGE_AS4, s, 1);
	buf_put_u16(b, old);
	buf_put_u16(b, new);
	mrt_done(b, at);
}

void
mrt_message(struct buf *b, const struct mrt_time *t,
    const struct mrt_session *s, int as4, uint8_t type, const uint8_t *body,
    size_t len)
{
	uint8_t	 marker[BGP_MARKER_LEN];
	size_t	 at;

	at = mrt_bgp4mp(b, t, as4 ? MRT_BGP4MP_MESSAGE_AS4 :
	    MRT_BGP4MP_MESSAGE, s, as4);
	memset(marker, 0xff, sizeof(marker));
	buf_put(b, marker, sizeof(marker));
	buf_put_u16(b, (uint16_t)(BGP_HDR_LEN + len));
	buf_put_u8(b, type);
	buf_put(b, body, len);
	mrt_done(b, at);
}

void
mrt_peer_index(struct buf *b, uint32_t sec, uint32_t collector_id,
    const char *view, const struct mrt_index_peer *p, size_t n)
{
	size_t	 at, i, vlen = strlen(view);
	int	 v6;

	at = mrt_hdr(b, sec, MRT_TABLE_DUMP_V2, MRT_PEER_INDEX_TABLE);
	buf_put_u32(b, collector_id);
	buf_put_u16(b, (uint16_t)vlen);
	buf_put(b, view, vlen);
	buf_put_u16(b, (uint16_t)n);
	for (i = 0; i < n; i++) {
		v6 = p[i].addr.af == AF_INET6;
		/* Bit 0: IPv6 address; bit 1: 4-octet AS (always). */
		buf_put_u8(b, (uint8_t)(0x02 | (v6 ? 0x01 : 0)));
		buf_put_u32(b, p[i].bgp_id);
		mrt_addr(b, &p[i].addr, v6 ? AF_INET6 : AF_INET);
		buf_put_u32(b, p[i].as);
	}
	mrt_done(b, at);
}

void
mrt_rib_begin(struct buf *b, struct mrt_rib *r, uint32_t sec, uint32_t seq,
    const struct tb_prefix *pfx)
{
	r->aid = pfx->addr.af == AF_INET6 ? AID_IPV6_UNICAST :
	    AID_IPV4_UNICAST;
	r->start = mrt_hdr(b, sec, MRT_TABLE_DUMP_V2,
	    r->aid == AID_IPV4_UNICAST ? MRT_RIB_IPV4_UNICAST :
	    MRT_RIB_IPV6_UNICAST);
	buf_put_u32(b, seq);
	nlri_put(b, pfx);
	r->count_at = buf_reserve(b, 2);
	r->count = 0;
}

/* RFC 6396 4.3.4: in a RIB entry MP_REACH_NLRI holds only the next hop
 * (its length and address), the AFI, SAFI and NLRI being the record's. */
static void
mrt_mp_nexthop(struct buf *b, const struct attr *a)
{
	size_t	 nhlen = (a->flags & ATTRF_NEXTHOP_LL) ? 32 : 16;

	buf_put_u8(b, ATTR_F_OPTIONAL);
	buf_put_u8(b, ATTR_MP_REACH_NLRI);
	buf_put_u8(b, (uint8_t)(1 + nhlen));
	buf_put_u8(b, (uint8_t)nhlen);
	mrt_addr(b, &a->nexthop, AF_INET6);
	if (nhlen == 32)
		mrt_addr(b, &a->nexthop_ll, AF_INET6);
}

void
mrt_rib_entry(struct buf *b, struct mrt_rib *r, uint16_t peer_index,
    uint32_t originated, const struct attr *a)
{
	size_t	 at;

	buf_put_u16(b, peer_index);
	buf_put_u32(b, originated);
	at = buf_reserve(b, 2);
	if (r->aid == AID_IPV6_UNICAST)
		mrt_mp_nexthop(b, a);
	attr_encode(b, a, 1, r->aid == AID_IPV4_UNICAST);
	if (!buf_error(b))
		buf_set_u16_at(b, at, (uint16_t)(buf_len(b) - at - 2));
	r->count++;
}

void
mrt_rib_end(struct buf *b, const struct mrt_rib *r)
{
	if (buf_error(b))
		return;
	buf_set_u16_at(b, r->count_at, r->count);
	mrt_done(b, r->start);
}
