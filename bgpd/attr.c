/*
 * attr.c: BGP path attributes (see attr.h): reading and writing them.
 *
 * Owns: the attribute descriptor table and the parser it drives (RFC 4271
 * 4.3 and 5, RFC 7606 error handling, RFC 6793 AS4 attributes), the merge
 * of AS4_PATH and AS4_AGGREGATOR, the blob of unknown transitive
 * attributes passed on, the encoder for eBGP peers, and the names of
 * origins and attribute codes.  The intern tables the parser feeds live
 * in attr_intern.c.
 *
 * Decisions worth knowing:
 *  - an attribute seen twice is discarded here too (RFC 7606 3 g), so a
 *    caller that forgets the attr_seen() check leaks nothing;
 *  - an unrecognized attribute with the Optional bit clear still resets
 *    the session (RFC 4271 6.3, 3/2): RFC 7606 does not revise that case,
 *    and such an attribute cannot have crossed another AS (only optional
 *    transitive ones are passed on), so it cannot reset sessions far away;
 *  - AS 0 in AS_PATH or AGGREGATOR is malformed (RFC 7607).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "attr_int.h"
#include "log.h"

#define ATTR_LEN_MAX		65535
#define ASP_STACK		4096	/* AS path bytes converted on stack */

/* Unknown transitive attributes passed on ---------------------------- */

/* One attribute of a pass-on blob (built by us, so well-formed; the walk
 * is bounded all the same). */
static int
raw_next(const uint8_t *d, size_t len, size_t *off, uint8_t *code,
    size_t *alen)
{
	size_t	 hl;

	if (*off >= len || len - *off < 3)
		return 0;
	hl = (d[*off] & ATTR_F_EXTLEN) ? 4 : 3;
	if (len - *off < hl)
		return 0;
	*code = d[*off + 1];
	*alen = hl == 4 ? (size_t)(d[*off + 2] << 8 | d[*off + 3]) :
	    d[*off + 2];
	if (len - *off - hl < *alen)
		return 0;
	*alen += hl;
	return 1;
}

/* Inserts one attribute into w's blob in type order (RFC 4271 5: Partial
 * set; low flag bits cleared, RFC 4271 4.3; extended length only when
 * needed). */
static void
unknown_add(struct attr *a, uint8_t flags, uint8_t code, const struct buf *val)
{
	const struct attr_raw	*old = a->unknown;
	size_t			 vlen = buf_left(val), hl = vlen > 255 ? 4 : 3;
	size_t			 olen = old ? old->len : 0, off = 0, alen;
	uint8_t			*out, c;

	if (olen + hl + vlen > UINT16_MAX)
		return;
	while (old != NULL && raw_next(old->data, olen, &off, &c, &alen) &&
	    c < code)
		off += alen;
	out = xmalloc(olen + hl + vlen);
	if (off > 0)
		memcpy(out, old->data, off);
	out[off] = (flags & (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)) |
	    ATTR_F_PARTIAL | (hl == 4 ? ATTR_F_EXTLEN : 0);
	out[off + 1] = code;
	if (hl == 4) {
		out[off + 2] = vlen >> 8;
		out[off + 3] = vlen & 0xff;
	} else
		out[off + 2] = (uint8_t)vlen;
	memcpy(out + off + hl, buf_rptr(val), vlen);
	if (olen > off)
		memcpy(out + off + hl + vlen, old->data + off, olen - off);
	a->unknown = attr_raw_intern(out, olen + hl + vlen);
	attr_raw_unref((struct attr_raw *)(uintptr_t)old);
	free(out);
}

/* Parsing ------------------------------------------------------------ */

typedef enum attr_action (*attr_parse_fn)(struct attr_work *, struct buf *,
    const struct attr_ctx *, struct attr_err *);

struct attr_desc {
	const char		*name;		/* NULL: not known */
	uint8_t			 flags;		/* Optional, Transitive */
	uint16_t		 minlen;
	uint16_t		 maxlen;
	uint8_t			 unit;		/* length multiple, 0: any */
	enum attr_action	 onerr;		/* RFC 7606 7.x */
	uint8_t			 subcode;	/* RFC 4271 6.3 for logs */
	int			 ebgp_discard;	/* RFC 7606 7.5, 7.9, 7.10 */
	int			 as2_only;	/* RFC 6793 AS4_* */
	attr_parse_fn		 parse;		/* NULL: update.c's (MP) */
};

static enum attr_action
attr_fail(struct attr_err *err, enum attr_action act, uint8_t subcode,
    const struct buf *raw, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fills err: the action, the NOTIFICATION RFC 4271 6.3 would send (data:
 * the attribute, for the reset case and for logs) and the reason. */
static enum attr_action
attr_fail(struct attr_err *err, enum attr_action act, uint8_t subcode,
    const struct buf *raw, const char *fmt, ...)
{
	va_list	 ap;

	err->action = act;
	if (raw != NULL)
		notify_set(&err->notify, ERR_UPDATE, subcode, buf_rptr(raw),
		    buf_left(raw));
	else
		notify_set(&err->notify, ERR_UPDATE, subcode, NULL, 0);
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof(err->why), fmt, ap);
	va_end(ap);
	return act;
}

static enum attr_action
ap_origin(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint8_t	 o;

	(void)ctx;
	if (buf_get_u8(v, &o) == -1 || o > ORIGIN_INCOMPLETE)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ORIGIN, NULL,
		    "ORIGIN: undefined value %u (RFC 7606 7.1)", o);
	w->a.origin = o;
	return ACT_OK;
}

/*
 * Reads one wire AS_PATH (asz: 2 or 4 octets per ASN) into the 4-octet
 * form at out (room for twice the input).  RFC 7606 7.2: unknown segment
 * type, zero segment length, overrun and a lone trailing octet are
 * malformed; so are confederation segments from an eBGP peer (RFC 5065 5
 * as revised by 7606 7.2) and AS 0 (RFC 7607).  drop_confed: AS4_PATH,
 * where confederation segments are removed (RFC 6793 6).
 */
static const char *
aspath_read(struct buf *v, size_t asz, int ebgp, int drop_confed,
    uint8_t *out, size_t *olen)
{
	uint8_t		 type, cnt, *seg;
	uint16_t	 as2;
	uint32_t	 as;
	int		 i;

	for (*olen = 0; buf_left(v) > 0;) {
		if (buf_get_u8(v, &type) == -1 || buf_get_u8(v, &cnt) == -1)
			return "a single trailing octet";
		if (type < AS_SET || type > AS_CONFED_SET)
			return "unknown segment type";
		if (cnt == 0)
			return "segment of length 0";
		if (buf_left(v) < cnt * asz)
			return "segment running past the attribute";
		if (seg_confed(type) && drop_confed) {
			buf_skip(v, cnt * asz);
			continue;
		}
		if (seg_confed(type) && ebgp)
			return "confederation segment from an eBGP peer";
		seg = out + *olen;
		seg[0] = type;
		seg[1] = cnt;
		for (i = 0; i < cnt; i++) {
			if (asz == 2) {
				buf_get_u16(v, &as2);
				as = as2;
			} else
				buf_get_u32(v, &as);
			if (as == 0)
				return "AS 0 (RFC 7607)";
			set_be32(seg + 2 + i * 4, as);
		}
		*olen += 2 + (size_t)cnt * 4;
	}
	return *olen > UINT16_MAX ? "too long once in 4-octet form" : NULL;
}

/* Converts into a stack buffer for the usual short paths. */
static const char *
aspath_parse(struct buf *v, size_t asz, int ebgp, int drop_confed,
    struct aspath **pp)
{
	uint8_t		 stack[ASP_STACK], *out;
	size_t		 need = buf_left(v) * 2, olen;
	const char	*why;

	out = need <= sizeof(stack) ? stack : xmalloc(need);
	if ((why = aspath_read(v, asz, ebgp, drop_confed, out, &olen)) ==
	    NULL)
		*pp = aspath_intern(out, olen);
	if (out != stack)
		free(out);
	return why;
}

/* RFC 4271 6.3: from an external peer the leftmost AS must be the
 * peer's (AS_TRANS on a 2-octet session when it has no 2-octet AS). */
static int
aspath_first_ok(const struct aspath *p, const struct attr_ctx *ctx)
{
	uint32_t	 want = ctx->peer_as;

	if (!ctx->ebgp || ctx->peer_as == 0)
		return 1;
	if (!ctx->as4 && want > UINT16_MAX)
		want = AS_TRANS;
	return aspath_neighbor(p) == want;
}

static enum attr_action
ap_aspath(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct aspath	*p = NULL;
	const char	*why;

	why = aspath_parse(v, ctx->as4 ? 4 : 2, ctx->ebgp, 0, &p);
	if (why != NULL)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ASPATH, NULL,
		    "AS_PATH malformed: %s (RFC 7606 7.2)", why);
	w->a.aspath = p;
	if (!aspath_first_ok(p, ctx))
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ASPATH, NULL,
		    "AS_PATH: leftmost AS %u is not the peer's AS %u "
		    "(RFC 4271 6.3, RFC 7606 7.2)", aspath_neighbor(p),
		    ctx->peer_as);
	return ACT_OK;
}

/* RFC 4271 6.3: a semantically wrong NEXT_HOP means the route is not
 * installed; RFC 7606 7.3 makes every NEXT_HOP error treat-as-withdraw. */
static const char *
nexthop_bad(const struct tb_addr *nh, const struct attr_ctx *ctx)
{
	uint32_t	 h = ntohl(nh->u.v4.s_addr);

	if (h == 0)
		return "0.0.0.0";
	if ((h >> 28) == 0xe)
		return "a multicast address";
	if ((h >> 28) == 0xf)
		return "a class E or broadcast address";
	if (ctx->local_addr.af == AF_INET &&
	    ctx->local_addr.u.v4.s_addr == nh->u.v4.s_addr)
		return "our own address on this session";
	return NULL;
}

static enum attr_action
ap_nexthop(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct tb_addr	 nh;
	const char	*why;

	memset(&nh, 0, sizeof(nh));
	nh.af = AF_INET;
	if (buf_get_n(v, &nh.u.v4, 4) == -1)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ATTRLEN, NULL,
		    "NEXT_HOP: short");
	/* Not kept when refused: update.c may only discard it (RFC 4760 3,
	 * no classic NLRI), and it must not be sent on then. */
	if ((why = nexthop_bad(&nh, ctx)) != NULL)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_NEXTHOP, NULL,
		    "NEXT_HOP %s is %s (RFC 4271 6.3)", addr_str(&nh), why);
	w->a.nexthop = nh;
	return ACT_OK;
}

static enum attr_action
ap_med(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	buf_get_u32(v, &w->a.med);
	w->a.flags |= ATTRF_MED;
	return ACT_OK;
}

static enum attr_action
ap_local_pref(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	buf_get_u32(v, &w->a.local_pref);
	w->a.flags |= ATTRF_LOCAL_PREF;
	return ACT_OK;
}

static enum attr_action
ap_atomic(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)v;
	(void)ctx;
	(void)err;
	w->a.flags |= ATTRF_ATOMIC_AGG;
	return ACT_OK;
}

/* RFC 7606 7.7: length 6 on 2-octet sessions, 8 on 4-octet ones, else
 * attribute discard; AS 0 likewise (RFC 7607 2). */
static enum attr_action
ap_aggregator(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint16_t	 as2;
	uint32_t	 as, id;

	if (buf_left(v) != (ctx->as4 ? 8u : 6u))
		return attr_fail(err, ACT_DISCARD, ERR_UPD_ATTRLEN, NULL,
		    "AGGREGATOR: length %zu on a %d-octet session "
		    "(RFC 7606 7.7)", buf_left(v), ctx->as4 ? 4 : 2);
	if (ctx->as4)
		buf_get_u32(v, &as);
	else {
		buf_get_u16(v, &as2);
		as = as2;
	}
	buf_get_u32(v, &id);
	if (as == 0)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AGGREGATOR: AS 0 (RFC 7607 2)");
	w->a.agg_as = as;
	w->a.agg_id = id;
	w->a.flags |= ATTRF_AGGREGATOR;
	return ACT_OK;
}

static struct comms *
comms_from(struct buf *v, uint8_t unit)
{
	size_t	 n = buf_left(v) / unit;
	struct comms *c = comms_intern(unit, buf_rptr(v), n);

	buf_skip(v, n * unit);
	return c;
}

static enum attr_action
ap_comm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.comm = comms_from(v, COMM_UNIT_STD);
	return ACT_OK;
}

static enum attr_action
ap_ecomm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.ecomm = comms_from(v, COMM_UNIT_EXT);
	return ACT_OK;
}

static enum attr_action
ap_lcomm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.lcomm = comms_from(v, COMM_UNIT_LARGE);
	return ACT_OK;
}

/* ORIGINATOR_ID and CLUSTER_LIST from an internal peer: checked by the
 * table, not kept (tbgpd does not reflect routes). */
static enum attr_action
ap_checked_only(struct attr_work *w, struct buf *v,
    const struct attr_ctx *ctx, struct attr_err *err)
{
	(void)w;
	(void)ctx;
	(void)err;
	buf_skip(v, buf_left(v));
	return ACT_OK;
}

/* RFC 6793 6: malformed AS4_PATH is discarded; confederation segments in
 * it are removed. */
static enum attr_action
ap_as4_path(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct aspath	*p = NULL;
	const char	*why;

	(void)ctx;
	if ((why = aspath_parse(v, 4, 0, 1, &p)) != NULL)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AS4_PATH malformed: %s (RFC 6793 6)", why);
	w->as4_path = p;
	return ACT_OK;
}

static enum attr_action
ap_as4_agg(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint32_t	 as, id;

	(void)ctx;
	buf_get_u32(v, &as);
	buf_get_u32(v, &id);
	if (as == 0)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AS4_AGGREGATOR: AS 0 (RFC 7607 2)");
	w->as4_agg_as = as;
	w->as4_agg_id = id;
	w->has_as4_agg = 1;
	return ACT_OK;
}

#define O	ATTR_F_OPTIONAL
#define T	ATTR_F_TRANSITIVE
#define W	ACT_WITHDRAW
#define D	ACT_DISCARD
#define LMAX	ATTR_LEN_MAX

/* One row per attribute we know; RFC 7606 section 7 gives each action. */
static const struct attr_desc attr_table[256] = {
	[ATTR_ORIGIN] = { "ORIGIN", T, 1, 1, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_origin },
	[ATTR_AS_PATH] = { "AS_PATH", T, 0, LMAX, 0, W, ERR_UPD_ASPATH,
	    0, 0, ap_aspath },
	[ATTR_NEXT_HOP] = { "NEXT_HOP", T, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_nexthop },
	[ATTR_MED] = { "MULTI_EXIT_DISC", O, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_med },
	[ATTR_LOCAL_PREF] = { "LOCAL_PREF", T, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    1, 0, ap_local_pref },
	[ATTR_ATOMIC_AGGREGATE] = { "ATOMIC_AGGREGATE", T, 0, 0, 0, D,
	    ERR_UPD_ATTRLEN, 0, 0, ap_atomic },
	[ATTR_AGGREGATOR] = { "AGGREGATOR", O | T, 6, 8, 0, D,
	    ERR_UPD_ATTRLEN, 0, 0, ap_aggregator },
	[ATTR_COMMUNITIES] = { "COMMUNITIES", O | T, 4, LMAX, 4, W,
	    ERR_UPD_OPTATTR, 0, 0, ap_comm },
	[ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", O, 4, 4, 0, W,
	    ERR_UPD_ATTRLEN, 1, 0, ap_checked_only },
	[ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", O, 4, LMAX, 4, W,
	    ERR_UPD_ATTRLEN, 1, 0, ap_checked_only },
	[ATTR_MP_REACH_NLRI] = { "MP_REACH_NLRI", O, 0, LMAX, 0,
	    ACT_RESET, ERR_UPD_OPTATTR, 0, 0, NULL },
	[ATTR_MP_UNREACH_NLRI] = { "MP_UNREACH_NLRI", O, 0, LMAX, 0,
	    ACT_RESET, ERR_UPD_OPTATTR, 0, 0, NULL },
	[ATTR_EXT_COMMUNITIES] = { "EXT_COMMUNITIES", O | T, 8, LMAX, 8,
	    W, ERR_UPD_OPTATTR, 0, 0, ap_ecomm },
	[ATTR_AS4_PATH] = { "AS4_PATH", O | T, 2, LMAX, 0, D,
	    ERR_UPD_OPTATTR, 0, 1, ap_as4_path },
	[ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", O | T, 8, 8, 0, D,
	    ERR_UPD_OPTATTR, 0, 1, ap_as4_agg },
	[ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITIES", O | T, 12, LMAX,
	    12, W, ERR_UPD_OPTATTR, 0, 0, ap_lcomm },
};

#undef O
#undef T
#undef W
#undef D
#undef LMAX

void
attr_work_init(struct attr_work *w)
{
	memset(w, 0, sizeof(*w));
}

void
attr_work_clear(struct attr_work *w)
{
	attr_clear(&w->a);
	aspath_unref(w->as4_path);
	memset(w, 0, sizeof(*w));
}

int
attr_seen(const struct attr_work *w, uint8_t code)
{
	return (w->seen[code >> 3] >> (code & 7)) & 1;
}

/* RFC 4271 5: unknown optional transitive attributes are passed on with
 * Partial set, unknown optional non-transitive ones quietly dropped. */
static enum attr_action
attr_unknown(struct attr_work *w, uint8_t flags, uint8_t code,
    struct buf *val, const struct buf *raw, struct attr_err *err)
{
	if (!(flags & ATTR_F_OPTIONAL))
		return attr_fail(err, ACT_RESET, ERR_UPD_UNKNWN_WK_ATTR, raw,
		    "unrecognized well-known attribute %u (RFC 4271 6.3)",
		    code);
	if (flags & ATTR_F_TRANSITIVE)
		unknown_add(&w->a, flags, code, val);
	buf_skip(val, buf_left(val));
	return ACT_OK;
}

/* Flags and length, from the table (RFC 7606 3 c; 7.x per attribute). */
static enum attr_action
attr_check(const struct attr_desc *d, uint8_t flags, const struct buf *val, const struct buf *raw, struct attr_err *err)
{
	size_t	 len = buf_left(val);

	/* Partial and the unused low bits are ignored (RFC 4271 4.3). */
	if ((flags & (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)) != d->flags)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ATTRFLAGS, raw,
		    "%s: flags 0x%02x conflict with the type (RFC 7606 3 c)",
		    d->name, flags);
	if (len < d->minlen || len > d->maxlen ||
	    (d->unit != 0 && len % d->unit != 0))
		return attr_fail(err, d->onerr, d->subcode, raw,
		    "%s: bad length %zu (RFC 7606 7)", d->name, len);
	return ACT_OK;
}

enum attr_action
attr_parse(struct attr_work *w, uint8_t flags, uint8_t code,
    struct buf *val, const struct buf *raw, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	const struct attr_desc	*d = &attr_table[code];
	enum attr_action	 act;

	err->action = ACT_OK;
	err->why[0] = '\0';
	if (attr_seen(w, code))
		return attr_fail(err, ACT_DISCARD, ERR_UPD_ATTRLIST, NULL,
		    "attribute %u repeated (RFC 7606 3 g)", code);
	w->seen[code >> 3] |= 1u << (code & 7);
	if (d->name == NULL)
		return attr_unknown(w, flags, code, val, raw, err);
	if (d->parse == NULL)
		return attr_fail(err, ACT_RESET, ERR_UPD_ATTRLIST, raw,
		    "%s handed to attr_parse", d->name);
	if (d->ebgp_discard && ctx->ebgp)
		return attr_fail(err, ACT_DISCARD, d->subcode, NULL,
		    "%s from an external peer (RFC 7606 7.5, 7.9, 7.10)",
		    d->name);
	if (d->as2_only && ctx->as4)
		return attr_fail(err, ACT_DISCARD, d->subcode, NULL,
		    "%s on a 4-octet AS session (RFC 6793 4.1)", d->name);
	if ((act = attr_check(d, flags, val, raw, err)) != ACT_OK)
		return act;
	return d->parse(w, val, ctx, err);
}

/* AS4 merge (RFC 6793 4.2.3) ----------------------------------------- */

/*
 * The leading part of path with need ASNs (counted as RFC 4271 9.1.2.2
 * does), written at out; confederation segments at the front or next to
 * a copied segment go along.  Returns bytes written.
 */
static size_t
as4_leading(const struct aspath *path, unsigned need, uint8_t *out)
{
	struct seg	 s;
	size_t		 off = 0, o = 0, k;

	while (seg_next(path->data, path->len, &off, &s)) {
		if (need == 0 && !seg_confed(s.type))
			break;
		k = s.count;
		if (s.type == AS_SEQUENCE) {
			k = s.count < need ? s.count : need;
			need -= (unsigned)k;
		} else if (s.type == AS_SET)
			need--;
		out[o] = s.type;
		out[o + 1] = (uint8_t)k;
		memcpy(out + o + 2, s.as, k * 4);
		o += 2 + k * 4;
	}
	return o;
}

/* Joins a trailing AS_SEQUENCE of head to a leading one of tail when
 * they fit one segment, so the result equals what a 4-octet peer sends. */
static size_t
as4_join(uint8_t *out, size_t hlen, size_t lastseg, const uint8_t *tail,
    size_t tlen)
{
	if (hlen > 0 && tlen >= 2 && out[lastseg] == AS_SEQUENCE &&
	    tail[0] == AS_SEQUENCE && out[lastseg + 1] + tail[1] <=
	    AS_SEG_MAX) {
		out[lastseg + 1] += tail[1];
		memcpy(out + hlen, tail + 2, tlen - 2);
		return hlen + tlen - 2;
	}
	memcpy(out + hlen, tail, tlen);
	return hlen + tlen;
}

static size_t
seg_last_off(const uint8_t *d, size_t len)
{
	struct seg	 s;
	size_t		 off = 0, last = 0;

	for (; off < len; ) {
		last = off;
		if (!seg_next(d, len, &off, &s))
			break;
	}
	return last;
}

static void
as4_merge_path(struct attr_work *w)
{
	struct aspath	*ap = w->a.aspath, *as4 = w->as4_path;
	uint8_t		*out;
	size_t		 hlen, olen;

	/* RFC 6793 4.2.3: more ASNs in AS4_PATH than in AS_PATH: ignore */
	if (ap == NULL || ap->plen < as4->plen ||
	    (size_t)ap->len + as4->len > UINT16_MAX)
		return;
	out = xmalloc((size_t)ap->len + as4->len + 2);
	hlen = as4_leading(ap, ap->plen - as4->plen, out);
	olen = as4_join(out, hlen, seg_last_off(out, hlen), as4->data,
	    as4->len);
	w->a.aspath = aspath_intern(out, olen);
	aspath_unref(ap);
	free(out);
}

void
attr_merge_as4(struct attr_work *w, const struct attr_ctx *ctx)
{
	struct attr	*a = &w->a;

	if (ctx->as4)
		goto done;
	/* RFC 6793 4.2.3: an AGGREGATOR from a 2-octet AS means the route
	 * was aggregated by an OLD speaker after the AS4 attributes were
	 * attached: both are stale. */
	if ((a->flags & ATTRF_AGGREGATOR) && a->agg_as != AS_TRANS)
		goto done;
	if ((a->flags & ATTRF_AGGREGATOR) && w->has_as4_agg) {
		a->agg_as = w->as4_agg_as;
		a->agg_id = w->as4_agg_id;
	}
	if (w->as4_path != NULL)
		as4_merge_path(w);
done:
	aspath_unref(w->as4_path);
	w->as4_path = NULL;
	w->has_as4_agg = 0;
}

/* Encoding ----------------------------------------------------------- */

/* The writer and where it stands in the unknown attributes, which are
 * merged in type order with the ones we build. */
struct enc {
	struct buf		*b;
	const struct attr_raw	*unk;
	size_t			 off;
};

static void
enc_unknown_upto(struct enc *e, unsigned code)
{
	uint8_t	 c;
	size_t	 alen;

	while (e->unk != NULL && raw_next(e->unk->data, e->unk->len, &e->off,
	    &c, &alen) && c < code) {
		buf_put(e->b, e->unk->data + e->off, alen);
		e->off += alen;
	}
}

/* Header for code; the extended-length flag only when needed. */
static void
enc_hdr(struct enc *e, uint8_t flags, uint8_t code, size_t len)
{
	enc_unknown_upto(e, code);
	if (len > 255) {
		buf_put_u8(e->b, flags | ATTR_F_EXTLEN);
		buf_put_u8(e->b, code);
		buf_put_u16(e->b, (uint16_t)len);
	} else {
		buf_put_u8(e->b, flags);
		buf_put_u8(e->b, code);
		buf_put_u8(e->b, (uint8_t)len);
	}
}

/* as2: 2-octet form, AS_TRANS for what does not fit (RFC 6793 4.2.2);
 * no_confed: AS4_PATH, which never carries confederation segments. */
static size_t
enc_aspath_len(const struct aspath *p, int as2, int no_confed, int *wide)
{
	struct seg	 s;
	size_t		 off = 0, len = 0;
	int		 i;

	*wide = 0;
	while (seg_next(p->data, p->len, &off, &s)) {
		if (no_confed && seg_confed(s.type))
			continue;
		len += 2 + (size_t)s.count * (as2 ? 2 : 4);
		for (i = 0; i < s.count && !seg_confed(s.type); i++)
			if (get_be32(s.as + (size_t)i * 4) > UINT16_MAX)
				*wide = 1;
	}
	return len;
}

static void
enc_aspath_body(struct buf *b, const struct aspath *p, int as2,
    int no_confed)
{
	struct seg	 s;
	size_t		 off = 0;
	uint32_t	 as;
	int		 i;

	while (seg_next(p->data, p->len, &off, &s)) {
		if (no_confed && seg_confed(s.type))
			continue;
		buf_put_u8(b, s.type);
		buf_put_u8(b, s.count);
		for (i = 0; i < s.count; i++) {
			as = get_be32(s.as + (size_t)i * 4);
			if (!as2)
				buf_put_u32(b, as);
			else
				buf_put_u16(b, as > UINT16_MAX ? AS_TRANS :
				    (uint16_t)as);
		}
	}
}

/* Returns whether AS4_PATH must follow. */
static int
enc_aspath(struct enc *e, const struct aspath *p, int as4)
{
	int	 wide;
	size_t	 len = enc_aspath_len(p, !as4, 0, &wide);

	if (len > ATTR_LEN_MAX) {
		log_warnx("AS path of %zu octets cannot be sent", len);
		len = 0;
		p = NULL;
	}
	enc_hdr(e, ATTR_F_TRANSITIVE, ATTR_AS_PATH, len);
	if (p != NULL)
		enc_aspath_body(e->b, p, !as4, 0);
	return !as4 && wide;
}

static void
enc_as4_path(struct enc *e, const struct aspath *p)
{
	int	 wide;
	size_t	 len = enc_aspath_len(p, 0, 1, &wide);

	if (len > ATTR_LEN_MAX)
		return;
	enc_hdr(e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_AS4_PATH, len);
	enc_aspath_body(e->b, p, 0, 1);
}

static void
enc_u32(struct enc *e, uint8_t flags, uint8_t code, uint32_t v)
{
	enc_hdr(e, flags, code, 4);
	buf_put_u32(e->b, v);
}

static void
enc_aggregator(struct enc *e, const struct attr *a, int as4)
{
	uint8_t	 f = ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE;

	enc_hdr(e, f, ATTR_AGGREGATOR, as4 ? 8 : 6);
	if (as4)
		buf_put_u32(e->b, a->agg_as);
	else
		buf_put_u16(e->b, a->agg_as > UINT16_MAX ? AS_TRANS :
		    (uint16_t)a->agg_as);
	buf_put_u32(e->b, a->agg_id);
}

static void
enc_comms(struct enc *e, uint8_t code, const struct comms *c)
{
	size_t	 len;

	if (c == NULL || c->n == 0)
		return;
	len = (size_t)c->n * c->unit;
	if (len > ATTR_LEN_MAX) {
		log_warnx("%s of %zu octets cannot be sent",
		    attr_code_name(code), len);
		return;
	}
	enc_hdr(e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, code, len);
	buf_put(e->b, c->data, len);
}

static void
enc_nexthop(struct enc *e, const struct attr *a, int with_nexthop)
{
	if (!with_nexthop || a->nexthop.af != AF_INET)
		return;
	enc_hdr(e, ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, 4);
	buf_put(e->b, &a->nexthop.u.v4, 4);
}

void
attr_encode(struct buf *b, const struct attr *a, int as4, int with_nexthop)
{
	struct enc	 e = { b, a->unknown, 0 };
	struct aspath	*empty = NULL;
	const struct aspath *p = a->aspath;
	int		 need_as4;

	if (p == NULL)
		p = empty = aspath_empty();
	enc_hdr(&e, ATTR_F_TRANSITIVE, ATTR_ORIGIN, 1);
	buf_put_u8(b, a->origin);
	need_as4 = enc_aspath(&e, p, as4);
	enc_nexthop(&e, a, with_nexthop);
	if (a->flags & ATTRF_MED)
		enc_u32(&e, ATTR_F_OPTIONAL, ATTR_MED, a->med);
	if (a->flags & ATTRF_ATOMIC_AGG)
		enc_hdr(&e, ATTR_F_TRANSITIVE, ATTR_ATOMIC_AGGREGATE, 0);
	if (a->flags & ATTRF_AGGREGATOR)
		enc_aggregator(&e, a, as4);
	enc_comms(&e, ATTR_COMMUNITIES, a->comm);
	enc_comms(&e, ATTR_EXT_COMMUNITIES, a->ecomm);
	if (need_as4)
		enc_as4_path(&e, p);
	if (!as4 && (a->flags & ATTRF_AGGREGATOR) && a->agg_as > UINT16_MAX) {
		enc_hdr(&e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_AS4_AGGREGATOR, 8);
		buf_put_u32(b, a->agg_as);
		buf_put_u32(b, a->agg_id);
	}
	enc_comms(&e, ATTR_LARGE_COMMUNITIES, a->lcomm);
	enc_unknown_upto(&e, 256);
	aspath_unref(empty);
}

/* Names -------------------------------------------------------------- */

const char *
attr_origin_name(uint8_t o)
{
	switch (o) {
	case ORIGIN_IGP:
		return "IGP";
	case ORIGIN_EGP:
		return "EGP";
	case ORIGIN_INCOMPLETE:
		return "incomplete";
	}
	return "?";
}

char
attr_origin_code(uint8_t o)
{
	switch (o) {
	case ORIGIN_IGP:
		return 'i';
	case ORIGIN_EGP:
		return 'e';
	}
	return '?';
}

const char *
attr_code_name(uint8_t code)
{
	if (attr_table[code].name != NULL)
		return attr_table[code].name;
	return "UNKNOWN";
}
