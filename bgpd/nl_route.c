/*
 * nl_route: the rtnetlink route codec (see nl_route.h), on the netlink
 * layer of nl.c.
 *
 * Owns the wire layout of route requests and replies: the rtmsg, its
 * rtattrs and RTA_MULTIPATH's rtnexthop records, each with nested
 * rtattrs.  Sizes are computed before anything is written, so no length
 * is back-patched.  On input every length is checked against what is
 * left (nl.c's walkers).
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "nl.h"
#include "nl_route.h"

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

/* One rtnexthop and its RTA_GATEWAY. */
static size_t
nl_rtnh_len(const struct nl_nh *nh)
{
	size_t	 alen = nl_alen(&nh->gw);

	return NL_RTNH_HDR + (alen ? nl_attr_space(alen) : 0);
}

static size_t
nl_nexthops_len(const struct nl_route *r)
{
	size_t	 i, len = 0;

	if (r->nnh == 1)
		return (r->nh[0].gw.af ? nl_attr_space(nl_alen(&r->nh[0].gw))
		    : 0) + (r->nh[0].ifindex ? nl_attr_space(4) : 0);
	for (i = 0; i < r->nnh; i++)
		len += nl_rtnh_len(&r->nh[i]);
	return r->nnh > 1 ? nl_attr_space(len) : 0;
}

size_t
nl_route_len(int cmd, const struct nl_route *r)
{
	size_t	 len;

	len = NLMSG_HDRLEN + NLMSG_ALIGN(NL_RTM_HDR) + nl_attr_space(4) +
	    nl_attr_space(nl_alen(&r->dst.addr));
	if (r->metric)
		len += nl_attr_space(4);
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
			nl_attr_put(b, RTA_GATEWAY, r->nh[i].gw.u.raw, alen);
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
		nl_attr_put(b, RTA_GATEWAY, nh->gw.u.raw, nl_alen(&nh->gw));
	if (r->nnh == 1 && nh->ifindex)
		nl_attr_put_u32(b, RTA_OIF, nh->ifindex);
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
	nl_attr_put_u32(b, RTA_TABLE, r->table);
	nl_attr_put(b, RTA_DST, r->dst.addr.u.raw, nl_alen(&r->dst.addr));
	if (r->metric)
		nl_attr_put_u32(b, RTA_PRIORITY, r->metric);
	if (cmd == RTM_NEWROUTE)
		nl_put_nexthops(b, r);
	return buf_error(b) ? -1 : 0;
}

int
nl_route_dump_put(struct buf *b, int af, uint32_t seq)
{
	struct rtmsg	 rtm;

	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (uint8_t)af;
	return nl_dump_put(b, RTM_GETROUTE, &rtm, sizeof(rtm), seq);
}

/* The kernel's route for one address, as `ip route get fibmatch ADDR`
 * asks: RTM_F_FIB_MATCH answers with the table entry that matched (its
 * prefix length, protocol and type) instead of a cloned host route. */
int
nl_route_lookup_put(struct buf *b, const struct tb_addr *dst, uint32_t seq)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	size_t		 alen = nl_alen(dst);

	if (alen == 0)
		return -1;
	memset(&nh, 0, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	nh.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof(rtm)) +
	    nl_attr_space(alen));
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST;
	nh.nlmsg_seq = seq;
	rtm.rtm_family = (uint8_t)dst->af;
	rtm.rtm_dst_len = (uint8_t)(alen * 8);
	rtm.rtm_flags = RTM_F_FIB_MATCH;
	buf_put(b, &nh, sizeof(nh));
	buf_put(b, &rtm, sizeof(rtm));
	nl_attr_put(b, RTA_DST, dst->u.raw, alen);
	return buf_error(b) ? -1 : 0;
}

/* Parsing ------------------------------------------------------------- */

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
		if (type == RTA_GATEWAY && nl_attr_addr(&val, af,
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
		return nl_attr_u32(val, &r->table);
	case RTA_PRIORITY:
		return nl_attr_u32(val, &r->metric);
	case RTA_DST:
		return nl_attr_addr(val, r->dst.addr.af, &r->dst.addr);
	case RTA_GATEWAY:
		if (r->multipath)
			return -1;
		return nl_attr_addr(val, r->dst.addr.af, &nl_single(r)->gw);
	case RTA_OIF:
		if (r->multipath || nl_attr_u32(val, &oif) == -1)
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
