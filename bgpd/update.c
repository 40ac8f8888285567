/*
 * update.c: reading UPDATE messages (RFC 4271 4.3, 6.3; RFC 4760;
 * RFC 7606) and the address family helpers (see update.h).
 *
 * Owns the framing of the UPDATE body (withdrawn routes, the attribute
 * block, the NLRI), the walk over the attributes, MP_REACH_NLRI and
 * MP_UNREACH_NLRI, the mandatory attribute check, End-of-RIB detection
 * (RFC 4724 2) and the NLRI reader.  Every other attribute is attr.c's
 * (attr_parse()); building UPDATEs is update_build.c's.
 *
 * The verdict follows RFC 7606: each problem raises u->err to its
 * action and the worst one stands (3.h).  A session reset stops the walk
 * at once; the first reset found is the NOTIFICATION sent.  Every NLRI
 * field (withdrawn routes, NLRI, both MP attributes) is checked whole
 * here, so the RDE's nlri_get() loops over them cannot fail.
 *
 * Decisions worth knowing:
 *  - An attribute block that ends in a header too short to read, or in an
 *    attribute whose length runs past the block, is treat-as-withdraw
 *    (RFC 7606 4): the Total Attribute Length still locates the NLRI, and
 *    the unreadable tail cannot hold another attribute by the peer's own
 *    lengths.  When that broken attribute is MP_REACH_NLRI or
 *    MP_UNREACH_NLRI the prefixes it carries cannot be located, so the
 *    session is reset (RFC 7606 3.j) with 3/9, as for any other malformed
 *    MP attribute (RFC 4760 7).
 *  - Wrong Optional/Transitive flags on an MP attribute are
 *    treat-as-withdraw (RFC 7606 3.c): its NLRI are still read so that the
 *    withdrawal covers them.
 *  - A faulty NEXT_HOP in an UPDATE without classic NLRI is only
 *    discarded: RFC 4760 3 says to ignore it there.
 *  - An MP attribute for an AFI/SAFI tbgpd does not carry is skipped
 *    after its AFI/SAFI (logged); its content is not judged.
 *  - NLRI syntax errors anywhere are 3/10 Invalid Network Field (RFC 4271
 *    6.3, RFC 7606 5.3); a prefix with host bits set is accepted and its
 *    host bits cleared, as FRR does.
 */
#include "config.h"

#include <sys/socket.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "update.h"

#define ATTR_HDR_LEN		3	/* flags, code, 1-octet length */
#define ATTR_HDR_EXT_LEN	4	/* with the Extended Length bit */
#define ATTR_F_OT		(ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)
#define MP_NH_V4		4
#define MP_NH_V6		16
#define MP_NH_V6_LL		32	/* global and link-local (RFC 2545 3) */

/* Address families ---------------------------------------------------- */

static const struct aid_desc {
	uint16_t	 afi;
	uint8_t		 safi;
	int		 af;
	uint8_t		 maxlen;	/* longest prefix */
	const char	*name;
} aid_descs[AID_MAX] = {
	[AID_IPV4_UNICAST] = { AFI_IPV4, SAFI_UNICAST, AF_INET, 32,
	    "IPv4 Unicast" },
	[AID_IPV6_UNICAST] = { AFI_IPV6, SAFI_UNICAST, AF_INET6, 128,
	    "IPv6 Unicast" },
};

int
aid_from_afi(uint16_t afi, uint8_t safi, enum aid *aid)
{
	int	 i;

	for (i = 0; i < AID_MAX; i++)
		if (aid_descs[i].afi == afi && aid_descs[i].safi == safi) {
			*aid = (enum aid)i;
			return 0;
		}
	return -1;
}

void
aid_to_afi(enum aid aid, uint16_t *afi, uint8_t *safi)
{
	if ((unsigned)aid >= AID_MAX) {
		*afi = 0;
		*safi = 0;
		return;
	}
	*afi = aid_descs[aid].afi;
	*safi = aid_descs[aid].safi;
}

const char *
aid_name(enum aid aid)
{
	if ((unsigned)aid >= AID_MAX)
		return "unknown";
	return aid_descs[aid].name;
}

int
aid_af(enum aid aid)
{
	if ((unsigned)aid >= AID_MAX)
		return AF_UNSPEC;
	return aid_descs[aid].af;
}

/* NLRI ---------------------------------------------------------------- */

/*
 * RFC 4271 4.3: a length in bits, then the fewest octets that hold it.
 * Runs once per prefix of every table, so: no allocation, one copy, and
 * the buffer is left untouched on a malformed prefix.
 */
int
nlri_get(struct buf *b, enum aid aid, struct tb_prefix *p)
{
	uint8_t	 plen;
	size_t	 n;

	if (buf_left(b) == 0)
		return 0;
	if ((unsigned)aid >= AID_MAX || buf_peek_u8(b, 0, &plen) == -1 ||
	    plen > aid_descs[aid].maxlen)
		return -1;
	n = (plen + 7u) / 8;
	if (buf_left(b) - 1 < n)
		return -1;
	memset(p, 0, sizeof(*p));
	p->addr.af = (uint8_t)aid_descs[aid].af;
	p->len = plen;
	buf_skip(b, 1);
	buf_get_n(b, p->addr.u.raw, n);
	if (plen % 8)
		p->addr.u.raw[n - 1] &= (uint8_t)(0xff00u >> (plen % 8));
	return 1;
}

/* RFC 7606 5.3: the whole field must parse, with no octet left over. */
static int
nlri_valid(const struct buf *field, enum aid aid)
{
	struct tb_prefix	 p;
	struct buf		 b = *field;
	int			 r;

	while ((r = nlri_get(&b, aid, &p)) == 1)
		;
	return r == 0;
}

/* Verdict ------------------------------------------------------------- */

/* Raises the verdict to act (RFC 7606 3.h); a milder one never lowers
 * it and an equal one keeps the first reason. */
static void __attribute__((format(printf, 6, 7)))
upd_raise(struct update *u, enum attr_action act, uint8_t sub,
    const void *data, size_t datalen, const char *fmt, ...)
{
	va_list	 ap;

	if (act == ACT_DISCARD)
		u->ndiscarded++;
	if (act <= u->err.action)
		return;
	u->err.action = act;
	notify_set(&u->err.notify, ERR_UPDATE, sub, data, datalen);
	va_start(ap, fmt);
	vsnprintf(u->err.why, sizeof(u->err.why), fmt, ap);
	va_end(ap);
}

/* attr_parse()'s verdict for one attribute.  AFI/SAFI disable is a reset
 * here: one session carries every family we have. */
static void
upd_take(struct update *u, enum attr_action act, const struct attr_err *e)
{
	if (act == ACT_AF_DISABLE)
		act = ACT_RESET;
	if (act == ACT_DISCARD)
		u->ndiscarded++;
	if (act <= u->err.action)
		return;
	u->err = *e;
	u->err.action = act;
}

/* RFC 4760 7: a malformed MP attribute, 3/9 with the attribute as data. */
static int
upd_mp_bad(struct update *u, const struct buf *raw, const char *what)
{
	upd_raise(u, ACT_RESET, ERR_UPD_OPTATTR, buf_rptr(raw),
	    buf_left(raw), "malformed %s", what);
	return -1;
}

static int
upd_nlri_bad(struct update *u, const char *field, enum aid aid)
{
	upd_raise(u, ACT_RESET, ERR_UPD_NETWORK, NULL, 0,
	    "invalid %s %s NLRI", aid_name(aid), field);
	return -1;
}

/* MP_REACH_NLRI / MP_UNREACH_NLRI ------------------------------------- */

/* RFC 7606 3.c: the flags are wrong but the NLRI can still be read. */
static void
upd_mp_flags(struct update *u, uint8_t flags, uint8_t code)
{
	if ((flags & ATTR_F_OT) != ATTR_F_OPTIONAL)
		upd_raise(u, ACT_WITHDRAW, ERR_UPD_ATTRFLAGS, &code, 1,
		    "bad flags 0x%02x on %s", flags, attr_code_name(code));
}

/* AFI/SAFI of an MP attribute: 1 known, 0 not ours (skip), -1 short. */
static int
upd_mp_family(struct buf *val, uint8_t code, enum aid *aid)
{
	uint16_t	 afi;
	uint8_t		 safi;

	if (buf_get_u16(val, &afi) == -1 || buf_get_u8(val, &safi) == -1)
		return -1;
	if (aid_from_afi(afi, safi, aid) == 0)
		return 1;
	log_info("%s for AFI %u SAFI %u, not carried: ignored",
	    attr_code_name(code), afi, safi);
	return 0;
}

/* RFC 4760 3, RFC 2545 3: the next hop length the family allows. */
static int
upd_mp_nexthop(struct update *u, enum aid aid, struct buf *nh)
{
	size_t	 len = buf_left(nh);

	if (aid == AID_IPV4_UNICAST && len == MP_NH_V4) {
		u->mp_nexthop.af = AF_INET;
		return buf_get_n(nh, &u->mp_nexthop.u.v4, MP_NH_V4);
	}
	if (aid != AID_IPV6_UNICAST || (len != MP_NH_V6 && len != MP_NH_V6_LL))
		return -1;
	u->mp_nexthop.af = AF_INET6;
	buf_get_n(nh, &u->mp_nexthop.u.v6, MP_NH_V6);
	if (len == MP_NH_V6_LL) {
		u->mp_nexthop_ll.af = AF_INET6;
		buf_get_n(nh, &u->mp_nexthop_ll.u.v6, MP_NH_V6);
	}
	return 0;
}

/* RFC 4760 3: AFI, SAFI, next hop length and next hop, a reserved octet
 * (ignored on receipt), then the NLRI. */
static int
upd_mp_reach(struct update *u, uint8_t flags, struct buf *val,
    const struct buf *raw)
{
	struct buf	 nh;
	enum aid	 aid;
	uint8_t		 nhlen, reserved;
	int		 r;

	upd_mp_flags(u, flags, ATTR_MP_REACH_NLRI);
	if ((r = upd_mp_family(val, ATTR_MP_REACH_NLRI, &aid)) != 1)
		return r == 0 ? 0 : upd_mp_bad(u, raw, "MP_REACH_NLRI");
	if (buf_get_u8(val, &nhlen) == -1 ||
	    buf_get_view(val, nhlen, &nh) == -1 ||
	    buf_get_u8(val, &reserved) == -1)
		return upd_mp_bad(u, raw, "MP_REACH_NLRI");
	/* RFC 7606 7.11: a next hop length the family does not allow
	 * leaves the NLRI unlocatable. */
	if (upd_mp_nexthop(u, aid, &nh) == -1)
		return upd_mp_bad(u, raw, "MP_REACH_NLRI next hop");
	buf_get_view(val, buf_left(val), &u->reach_nlri);
	if (!nlri_valid(&u->reach_nlri, aid))
		return upd_nlri_bad(u, "MP_REACH_NLRI", aid);
	u->has_reach = 1;
	u->reach_aid = aid;
	return 0;
}

/* RFC 4760 4: AFI, SAFI, withdrawn routes. */
static int
upd_mp_unreach(struct update *u, uint8_t flags, struct buf *val,
    const struct buf *raw)
{
	enum aid	 aid;
	int		 r;

	upd_mp_flags(u, flags, ATTR_MP_UNREACH_NLRI);
	if ((r = upd_mp_family(val, ATTR_MP_UNREACH_NLRI, &aid)) != 1)
		return r == 0 ? 0 : upd_mp_bad(u, raw, "MP_UNREACH_NLRI");
	buf_get_view(val, buf_left(val), &u->unreach_nlri);
	if (!nlri_valid(&u->unreach_nlri, aid))
		return upd_nlri_bad(u, "MP_UNREACH_NLRI", aid);
	u->has_unreach = 1;
	u->unreach_aid = aid;
	return 0;
}

/* Attributes ---------------------------------------------------------- */

/* What the walk over the attribute block has learnt so far. */
struct upd_walk {
	uint8_t		 dup[32];	/* codes met (RFC 7606 3.g) */
	uint8_t		 ok[32];	/* codes parsed without fault */
	unsigned	 nattr;
};

static int
bit_test(const uint8_t *map, uint8_t code)
{
	return (map[code >> 3] >> (code & 7)) & 1;
}

static void
bit_set(uint8_t *map, uint8_t code)
{
	map[code >> 3] |= (uint8_t)(1u << (code & 7));
}

/*
 * One attribute header and views of its value and of the whole attribute.
 * -1: the header or the value does not fit in what is left of the block
 * (*code is 0 when not even it could be read).
 */
static int
upd_attr_next(struct buf *attrs, uint8_t *flags, uint8_t *code,
    struct buf *val, struct buf *raw)
{
	uint16_t	 len;
	uint8_t		 len8;
	size_t		 hlen;

	*code = 0;
	if (buf_peek_u8(attrs, 0, flags) == -1 ||
	    buf_peek_u8(attrs, 1, code) == -1)
		return -1;
	hlen = (*flags & ATTR_F_EXTLEN) ? ATTR_HDR_EXT_LEN : ATTR_HDR_LEN;
	if (hlen == ATTR_HDR_EXT_LEN) {
		if (buf_peek_u16(attrs, 2, &len) == -1)
			return -1;
	} else {
		if (buf_peek_u8(attrs, 2, &len8) == -1)
			return -1;
		len = len8;
	}
	if (buf_get_view(attrs, hlen + len, raw) == -1)
		return -1;
	*val = *raw;
	buf_skip(val, hlen);
	return 0;
}

/*
 * RFC 7606 4: the block ends inside an attribute header or value.  The
 * Total Attribute Length still locates the NLRI: treat-as-withdraw, unless
 * the broken attribute is one that carries NLRI (RFC 7606 3.j).
 */
static int
upd_framing(struct update *u, const struct buf *attrs, uint8_t code)
{
	if (code == ATTR_MP_REACH_NLRI || code == ATTR_MP_UNREACH_NLRI)
		return upd_mp_bad(u, attrs, attr_code_name(code));
	upd_raise(u, ACT_WITHDRAW, ERR_UPD_ATTRLIST, NULL, 0,
	    "attribute %u overruns the attribute block (%zu octets left)",
	    code, buf_left(attrs));
	return 0;
}

/* Hands one attribute to its parser.  -1: session reset. */
static int
upd_attr_one(struct update *u, struct upd_walk *w, uint8_t flags,
    uint8_t code, struct buf *val, const struct buf *raw,
    const struct attr_ctx *ctx)
{
	struct attr_err		 e;
	enum attr_action	 act;

	if (code == ATTR_MP_REACH_NLRI)
		return upd_mp_reach(u, flags, val, raw);
	if (code == ATTR_MP_UNREACH_NLRI)
		return upd_mp_unreach(u, flags, val, raw);
	memset(&e, 0, sizeof(e));
	act = attr_parse(&u->work, flags, code, val, raw, ctx, &e);
	/* RFC 4760 3: with no classic NLRI a NEXT_HOP is to be ignored, so
	 * a bad one must not withdraw the MP routes. */
	if (code == ATTR_NEXT_HOP && act == ACT_WITHDRAW &&
	    buf_left(&u->nlri) == 0)
		act = ACT_DISCARD;
	if (act == ACT_OK)
		bit_set(w->ok, code);
	else
		upd_take(u, act, &e);
	return u->err.action == ACT_RESET ? -1 : 0;
}

/* RFC 7606 3.g: duplicates after the first are discarded, except the
 * attributes that carry NLRI: they are a Malformed Attribute List. */
static int
upd_dup(struct update *u, struct upd_walk *w, uint8_t code)
{
	if (!bit_test(w->dup, code)) {
		bit_set(w->dup, code);
		return 0;
	}
	if (code == ATTR_MP_REACH_NLRI || code == ATTR_MP_UNREACH_NLRI) {
		upd_raise(u, ACT_RESET, ERR_UPD_ATTRLIST, NULL, 0,
		    "%s twice", attr_code_name(code));
		return -1;
	}
	upd_raise(u, ACT_DISCARD, ERR_UPD_ATTRLIST, NULL, 0,
	    "attribute %u twice, later ones discarded", code);
	return 1;
}

static int
upd_attrs(struct update *u, struct upd_walk *w, struct buf *attrs,
    const struct attr_ctx *ctx)
{
	struct buf	 val, raw;
	uint8_t		 flags, code;
	int		 r;

	while (buf_left(attrs) > 0) {
		if (upd_attr_next(attrs, &flags, &code, &val, &raw) == -1)
			return upd_framing(u, attrs, code);
		w->nattr++;
		if ((r = upd_dup(u, w, code)) == -1)
			return -1;
		if (r == 1)
			continue;
		if (upd_attr_one(u, w, flags, code, &val, &raw, ctx) == -1)
			return -1;
	}
	return 0;
}

/* Whole message ------------------------------------------------------- */

/* RFC 4271 5, RFC 4760 3, RFC 7606 3.d: ORIGIN and AS_PATH whenever
 * routes are announced, NEXT_HOP only for the classic NLRI; a missing
 * one is treat-as-withdraw. */
static void
upd_mandatory(struct update *u, const struct upd_walk *w)
{
	static const uint8_t	 need[] = { ATTR_ORIGIN, ATTR_AS_PATH,
				    ATTR_NEXT_HOP };
	size_t			 i, n;

	if (buf_left(&u->nlri) > 0)
		n = 3;
	else if (u->has_reach && buf_left(&u->reach_nlri) > 0)
		n = 2;
	else
		return;
	for (i = 0; i < n; i++)
		if (!bit_test(w->ok, need[i]))
			upd_raise(u, ACT_WITHDRAW, ERR_UPD_MISSNG_WK_ATTR,
			    &need[i], 1, "%s missing",
			    attr_code_name(need[i]));
}

/* RFC 4724 2: an empty UPDATE is End-of-RIB for IPv4 unicast; one whose
 * only content is an empty MP_UNREACH_NLRI is End-of-RIB for its family. */
static void
upd_eor(struct update *u, const struct upd_walk *w, size_t attrlen)
{
	if (u->err.action != ACT_OK || buf_left(&u->withdrawn) > 0 ||
	    buf_left(&u->nlri) > 0)
		return;
	if (attrlen == 0) {
		u->eor = 1;
		u->eor_aid = AID_IPV4_UNICAST;
	} else if (w->nattr == 1 && u->has_unreach &&
	    buf_left(&u->unreach_nlri) == 0) {
		u->eor = 1;
		u->eor_aid = u->unreach_aid;
	}
}

static int
upd_reset(struct update *u, uint8_t sub, const char *why)
{
	upd_raise(u, ACT_RESET, sub, NULL, 0, "%s", why);
	return -1;
}

/*
 * RFC 4271 4.3: withdrawn routes length and routes, total path attribute
 * length and attributes, then the NLRI to the end of the message.  The
 * lengths are checked first (6.3: 3/1 if either runs past the message),
 * then the two classic NLRI fields (3/10), then the attributes.
 */
int
update_parse(struct buf *body, const struct attr_ctx *ctx, struct update *u)
{
	struct upd_walk	 w;
	struct buf	 attrs;
	uint16_t	 wlen, alen;

	memset(u, 0, sizeof(*u));
	memset(&w, 0, sizeof(w));
	attr_work_init(&u->work);
	if (buf_get_u16(body, &wlen) == -1 ||
	    buf_get_view(body, wlen, &u->withdrawn) == -1 ||
	    buf_get_u16(body, &alen) == -1 ||
	    buf_get_view(body, alen, &attrs) == -1)
		return upd_reset(u, ERR_UPD_ATTRLIST,
		    "withdrawn or attribute length past the message");
	buf_get_view(body, buf_left(body), &u->nlri);
	if (!nlri_valid(&u->withdrawn, AID_IPV4_UNICAST))
		return upd_nlri_bad(u, "withdrawn", AID_IPV4_UNICAST);
	if (!nlri_valid(&u->nlri, AID_IPV4_UNICAST))
		return upd_nlri_bad(u, "announced", AID_IPV4_UNICAST);
	if (upd_attrs(u, &w, &attrs, ctx) == -1)
		return -1;
	upd_mandatory(u, &w);
	upd_eor(u, &w, alen);
	/* RFC 6793 4.2.3; pointless when the routes are withdrawn anyway. */
	if (!ctx->as4 && u->err.action < ACT_WITHDRAW)
		attr_merge_as4(&u->work, ctx);
	return 0;
}

void
update_free(struct update *u)
{
	attr_work_clear(&u->work);
}
