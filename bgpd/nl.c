/*
 * nl: rtnetlink route codec (see nl.h).
 *
 * Owns the wire layout of route requests and replies: the nlmsghdr,
 * the rtmsg, rtattrs (4-octet aligned, the length covering the header)
 * and RTA_MULTIPATH's rtnexthop records, each with nested rtattrs.
 * Sizes are computed before anything is written, so no length is
 * back-patched.  On input every length is checked against what is left:
 * an attribute shorter than its own header or longer than its container
 * ends the parse (a zero rta_len can never loop), a last padding short
 * by a few octets is tolerated.
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "nl.h"

#define NL_ALIGN(n)	(((n) + 3) & ~(size_t)3)
#define NL_RTA_HDR	4			/* struct rtattr */
#define NL_RTNH_HDR	8			/* struct rtnexthop */
#define NL_RTM_HDR	sizeof(struct rtmsg)

/* Building ------------------------------------------------------------ */

static size_t
nl_alen(const struct tb_addr *a)
{
	return a->af == AF_INET ? 4 : a->af == AF_INET6 ? 16 : 0;
}

static size_t
nl_rta_space(size_t payload)
{
	return NL_ALIGN(NL_RTA_HDR + payload);
}

static void
nl_put_attr(struct buf *b, uint16_t type, const void *p, size_t len)
{
	static const uint8_t	 pad[4];
	struct rtattr		 rta;

	rta.rta_len = (uint16_t)(NL_RTA_HDR + len);
	rta.rta_type = type;
	buf_put(b, &rta, sizeof(rta));
	buf_put(b, p, len);
	buf_put(b, pad, NL_ALIGN(len) - len);
}

static void
nl_put_u32(struct buf *b, uint16_t type, uint32_t v)
{
	nl_put_attr(b, type, &v, sizeof(v));
}

/* One rtnexthop and its RTA_GATEWAY. */
static size_t
nl_rtnh_len(const struct nl_nh *nh)
{
	size_t	 alen = nl_alen(&nh->gw);

	return NL_RTNH_HDR + (alen ? nl_rta_space(alen) : 0);
}

static size_t
nl_nexthops_len(const struct nl_route *r)
{
	size_t	 i, len = 0;

	if (r->nnh == 1)
		return (r->nh[0].gw.af ? nl_rta_space(nl_alen(&r->nh[0].gw))
		    : 0) + (r->nh[0].ifindex ? nl_rta_space(4) : 0);
	for (i = 0; i < r->nnh; i++)
		len += nl_rtnh_len(&r->nh[i]);
	return r->nnh > 1 ? nl_rta_space(len) : 0;
}

size_t
nl_route_len(int cmd, const struct nl_route *r)
{
	size_t	 len;

	len = NLMSG_HDRLEN + NLMSG_ALIGN(NL_RTM_HDR) + nl_rta_space(4) +
	    nl_rta_space(nl_alen(&r->dst.addr));
	if (r->metric)
		len += nl_rta_space(4);
	if (cmd == RTM_NEWROUTE)
		len += nl_nexthops_len(r);
	return len;
}

static int
nl_route_valid(int cmd, const struct nl_route *r)
{
	size_t	 i, alen = nl_alen(&r->dst.addr);

	if (cmd != RTM_NEWROUTE && cmd != RTM_DELROUTE)
		return 0;
	if (alen == 0 || r->dst.len > alen * 8 || r->nnh > NL_MAXNH)
		return 0;
	for (i = 0; i < r->nnh; i++)
		if (r->nh[i].gw.af != 0 && nl_alen(&r->nh[i].gw) == 0)
			return 0;
	return nl_route_len(cmd, r) <= UINT16_MAX;
}

static void
nl_put_multipath(struct buf *b, const struct nl_route *r)
{
	struct rtnexthop	 rtnh;
	struct rtattr		 rta;
	size_t			 i, alen;

	rta.rta_len = (uint16_t)(nl_nexthops_len(r));
	rta.rta_type = RTA_MULTIPATH;
	buf_put(b, &rta, sizeof(rta));
	for (i = 0; i < r->nnh; i++) {
		memset(&rtnh, 0, sizeof(rtnh));
		rtnh.rtnh_len = (unsigned short)nl_rtnh_len(&r->nh[i]);
		rtnh.rtnh_ifindex = (int)r->nh[i].ifindex;
		buf_put(b, &rtnh, sizeof(rtnh));
		if ((alen = nl_alen(&r->nh[i].gw)) != 0)
			nl_put_attr(b, RTA_GATEWAY, r->nh[i].gw.u.raw, alen);
	}
}

static void
nl_put_nexthops(struct buf *b, const struct nl_route *r)
{
	const struct nl_nh	*nh = &r->nh[0];

	if (r->nnh > 1) {
		nl_put_multipath(b, r);
		return;
	}
	if (r->nnh == 1 && nh->gw.af)
		nl_put_attr(b, RTA_GATEWAY, nh->gw.u.raw, nl_alen(&nh->gw));
	if (r->nnh == 1 && nh->ifindex)
		nl_put_u32(b, RTA_OIF, nh->ifindex);
}

/*
 * A route through interfaces only (`ip route P dev IF`, a static route to
 * an interface) is a link-scope route, as ip route makes it; one with a
 * gateway, and blackhole and unreachable routes, are universe scope.
 */
static uint8_t
nl_route_scope(const struct nl_route *r, uint8_t type)
{
	size_t	 i;

	if (type != RTN_UNICAST || r->nnh == 0)
		return RT_SCOPE_UNIVERSE;
	for (i = 0; i < r->nnh; i++)
		if (r->nh[i].gw.af != 0)
			return RT_SCOPE_UNIVERSE;
	return RT_SCOPE_LINK;
}

static void
nl_put_rtmsg(struct buf *b, int cmd, const struct nl_route *r)
{
	struct rtmsg	 rtm;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = r->dst.addr.af;
	rtm.rtm_dst_len = r->dst.len;
	/* Tables above 255 only fit RTA_TABLE; the old field says so. */
	rtm.rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = r->protocol;
	if (cmd == RTM_NEWROUTE) {
		rtm.rtm_type = r->type != RTN_UNSPEC ? r->type : RTN_UNICAST;
		rtm.rtm_scope = nl_route_scope(r, rtm.rtm_type);
	} else {
		/* Match any scope and type, as ip route del does. */
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
		rtm.rtm_type = RTN_UNSPEC;
	}
	buf_put(b, &rtm, sizeof(rtm));
}

int
nl_route_put(struct buf *b, int cmd, const struct nl_route *r, uint32_t seq)
{
	struct nlmsghdr	 nh;

	if (!nl_route_valid(cmd, r))
		return -1;
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = (uint32_t)nl_route_len(cmd, r);
	nh.nlmsg_type = (uint16_t)cmd;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (cmd == RTM_NEWROUTE)
		nh.nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	nh.nlmsg_seq = seq;
	buf_put(b, &nh, sizeof(nh));
	nl_put_rtmsg(b, cmd, r);
	nl_put_u32(b, RTA_TABLE, r->table);
	nl_put_attr(b, RTA_DST, r->dst.addr.u.raw, nl_alen(&r->dst.addr));
	if (r->metric)
		nl_put_u32(b, RTA_PRIORITY, r->metric);
	if (cmd == RTM_NEWROUTE)
		nl_put_nexthops(b, r);
	return buf_error(b) ? -1 : 0;
}

int
nl_msg_flags_at(struct buf *b, size_t off, uint16_t set, uint16_t clear)
{
	struct nlmsghdr	 nh;

	if (b->err || off > buf_len(b) || buf_len(b) - off < sizeof(nh))
		return -1;
	memcpy(&nh, b->base + off, sizeof(nh));
	nh.nlmsg_flags = (uint16_t)((nh.nlmsg_flags & ~clear) | set);
	memcpy(b->base + off, &nh, sizeof(nh));
	return 0;
}

int
nl_dump_put(struct buf *b, int af, uint32_t seq)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;

	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(rtm));
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh.nlmsg_seq = seq;
	rtm.rtm_family = (uint8_t)af;
	buf_put(b, &nh, sizeof(nh));
	buf_put(b, &rtm, sizeof(rtm));
	return buf_error(b) ? -1 : 0;
}

/* The kernel's route for one address, as `ip route get fibmatch ADDR`
 * asks: RTM_F_FIB_MATCH answers with the table entry that matched (its
 * prefix length, protocol and type) instead of a cloned host route. */
int
nl_lookup_put(struct buf *b, const struct tb_addr *dst, uint32_t seq)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	size_t		 alen = nl_alen(dst);

	if (alen == 0)
		return -1;
	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	nh.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof(rtm)) +
	    nl_rta_space(alen));
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST;
	nh.nlmsg_seq = seq;
	rtm.rtm_family = (uint8_t)dst->af;
	rtm.rtm_dst_len = (uint8_t)(alen * 8);
	rtm.rtm_flags = RTM_F_FIB_MATCH;
	buf_put(b, &nh, sizeof(nh));
	buf_put(b, &rtm, sizeof(rtm));
	nl_put_attr(b, RTA_DST, dst->u.raw, alen);
	return buf_error(b) ? -1 : 0;
}

/* Parsing ------------------------------------------------------------- */

int
nl_next(struct buf *d, struct nl_msg *m)
{
	struct nlmsghdr	 nh;
	size_t		 body;

	if (buf_left(d) == 0)
		return 0;
	if (buf_get_n(d, &nh, sizeof(nh)) == -1 ||
	    nh.nlmsg_len < sizeof(nh) ||
	    (body = nh.nlmsg_len - sizeof(nh)) > buf_left(d))
		return -1;
	m->type = nh.nlmsg_type;
	m->flags = nh.nlmsg_flags;
	m->seq = nh.nlmsg_seq;
	m->pid = nh.nlmsg_pid;
	(void)buf_get_view(d, body, &m->body);
	/* The last message of a datagram may come without its padding. */
	body = NL_ALIGN(nh.nlmsg_len) - nh.nlmsg_len;
	(void)buf_skip(d, body < buf_left(d) ? body : buf_left(d));
	return 1;
}

int
nl_parse_error(const struct nl_msg *m, int *err, uint32_t *seq)
{
	struct buf	 b = m->body;
	struct nlmsghdr	 orig;
	int32_t		 e;

	if (m->type != NLMSG_ERROR || buf_get_n(&b, &e, sizeof(e)) == -1 ||
	    buf_get_n(&b, &orig, sizeof(orig)) == -1)
		return -1;
	/* The kernel sends -errno; a positive value is nonsense. */
	if (e > 0 || e == INT32_MIN)
		return -1;
	*err = -e;
	*seq = orig.nlmsg_seq;
	return 0;
}

/*
 * The next attribute of a block: 1 with *type and a view of its payload,
 * 0 at the end, -1 when it is shorter than its header or runs past the
 * block.
 */
static int
nl_attr_next(struct buf *blk, uint16_t *type, struct buf *val)
{
	struct rtattr	 rta;
	size_t		 pad;

	if (buf_left(blk) == 0)
		return 0;
	if (buf_get_n(blk, &rta, sizeof(rta)) == -1 ||
	    rta.rta_len < NL_RTA_HDR ||
	    buf_get_view(blk, rta.rta_len - NL_RTA_HDR, val) == -1)
		return -1;
	*type = rta.rta_type & NLA_TYPE_MASK;
	pad = NL_ALIGN(rta.rta_len) - rta.rta_len;
	(void)buf_skip(blk, pad < buf_left(blk) ? pad : buf_left(blk));
	return 1;
}

static int
nl_get_addr(struct buf *val, uint8_t af, struct tb_addr *a)
{
	size_t	 alen = af == AF_INET ? 4 : 16;

	if (buf_left(val) != alen)
		return -1;
	memset(a, 0, sizeof(*a));
	a->af = af;
	return buf_get_n(val, a->u.raw, alen);
}

static int
nl_get_u32(struct buf *val, uint32_t *v)
{
	return buf_left(val) == 4 ? buf_get_n(val, v, 4) : -1;
}

static struct nl_nh *
nl_nh_add(struct nl_route *r)
{
	if (r->nnh == NL_MAXNH) {
		r->nnh_dropped++;
		return NULL;
	}
	memset(&r->nh[r->nnh], 0, sizeof(r->nh[0]));
	return &r->nh[r->nnh++];
}

/* The attributes nested in one rtnexthop: only RTA_GATEWAY matters. */
static int
nl_parse_rtnh_attrs(struct buf *blk, uint8_t af, struct nl_nh *nh)
{
	struct buf	 val;
	uint16_t	 type;
	int		 rc;

	while ((rc = nl_attr_next(blk, &type, &val)) == 1) {
		if (type == RTA_GATEWAY && nl_get_addr(&val, af,
		    &nh->gw) == -1)
			return -1;
	}
	return rc;
}

static int
nl_parse_multipath(struct buf *val, struct nl_route *r)
{
	struct rtnexthop	 rtnh;
	struct nl_nh		 scratch, *nh;
	struct buf		 sub;
	size_t			 pad;

	r->multipath = 1;
	while (buf_left(val) > 0) {
		if (buf_get_n(val, &rtnh, sizeof(rtnh)) == -1 ||
		    rtnh.rtnh_len < NL_RTNH_HDR ||
		    buf_get_view(val, rtnh.rtnh_len - NL_RTNH_HDR, &sub) == -1)
			return -1;
		pad = NL_ALIGN(rtnh.rtnh_len) - rtnh.rtnh_len;
		(void)buf_skip(val, pad < buf_left(val) ? pad : buf_left(val));
		if ((nh = nl_nh_add(r)) == NULL)
			nh = &scratch;	/* still checked, not kept */
		memset(nh, 0, sizeof(*nh));
		nh->ifindex = (uint32_t)rtnh.rtnh_ifindex;
		nh->flags = rtnh.rtnh_flags;
		if (nl_parse_rtnh_attrs(&sub, r->dst.addr.af, nh) == -1)
			return -1;
	}
	return 0;
}

/* RTA_GATEWAY and RTA_OIF of a single-path route fill nh[0]. */
static struct nl_nh *
nl_single(struct nl_route *r)
{
	if (r->nnh == 0)
		return nl_nh_add(r);
	return &r->nh[0];
}

static int
nl_parse_attr(struct nl_route *r, uint16_t type, struct buf *val)
{
	struct nl_nh	*nh;
	uint32_t	 oif;

	switch (type) {
	case RTA_TABLE:
		return nl_get_u32(val, &r->table);
	case RTA_PRIORITY:
		return nl_get_u32(val, &r->metric);
	case RTA_DST:
		return nl_get_addr(val, r->dst.addr.af, &r->dst.addr);
	case RTA_GATEWAY:
		if (r->multipath)
			return -1;
		return nl_get_addr(val, r->dst.addr.af, &nl_single(r)->gw);
	case RTA_OIF:
		if (r->multipath || nl_get_u32(val, &oif) == -1)
			return -1;
		nh = nl_single(r);
		nh->ifindex = oif;
		return 0;
	case RTA_MULTIPATH:
		if (r->nnh != 0)
			return -1;
		return nl_parse_multipath(val, r);
	default:
		return 0;	/* unknown or uninteresting: skipped */
	}
}

static int
nl_parse_rtmsg(struct buf *b, struct nl_route *r)
{
	struct rtmsg	 rtm;

	if (buf_get_n(b, &rtm, sizeof(rtm)) == -1)
		return -1;
	if ((rtm.rtm_family != AF_INET || rtm.rtm_dst_len > 32) &&
	    (rtm.rtm_family != AF_INET6 || rtm.rtm_dst_len > 128))
		return -1;
	r->dst.addr.af = rtm.rtm_family;
	r->dst.len = rtm.rtm_dst_len;
	r->table = rtm.rtm_table;
	r->protocol = rtm.rtm_protocol;
	r->type = rtm.rtm_type;
	r->scope = rtm.rtm_scope;
	return 0;
}

int
nl_parse_route(const struct nl_msg *m, struct nl_route *r)
{
	struct buf	 b = m->body, val;
	uint16_t	 type;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if (m->type != RTM_NEWROUTE && m->type != RTM_DELROUTE)
		return -1;
	r->cmd = m->type;
	if (nl_parse_rtmsg(&b, r) == -1)
		return -1;
	while ((rc = nl_attr_next(&b, &type, &val)) == 1)
		if (nl_parse_attr(r, type, &val) == -1)
			return -1;
	return rc;
}

int
nl_nh_cmp(const struct nl_nh *a, const struct nl_nh *b)
{
	int	 c;

	if ((c = addr_cmp(&a->gw, &b->gw)) != 0)
		return c;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return 0;
}
