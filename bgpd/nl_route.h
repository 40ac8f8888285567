/*
 * nl_route: the rtnetlink route codec.  Builds RTM_NEWROUTE /
 * RTM_DELROUTE / RTM_GETROUTE requests into a struct buf and parses the
 * routes the kernel sends back; the messages themselves (headers,
 * attributes, errors and acknowledgements, the end of a dump) and the
 * sockets are nl.c's.  No socket I/O here: the FIB engine and the tests
 * use the codec alone.
 */
#ifndef TB_NL_ROUTE_H
#define TB_NL_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "nl.h"

#define NL_RTPROT_BGP	186	/* "bgp" in /etc/iproute2/rt_protos */
#define NL_RTPROT_STATIC 196	/* FRR's static routes ("static" in its
				 * rt_protos.d/frr.conf); tbgpd's too */
#define NL_MAXNH	16	/* next hops kept from one route */

struct nl_nh {
	struct tb_addr	 gw;		/* af 0: none (device route) */
	uint32_t	 ifindex;	/* 0: none */
	uint8_t		 flags;		/* RTNH_F_* as reported */
};

struct nl_route {
	int		 cmd;		/* RTM_NEWROUTE or RTM_DELROUTE */
	struct tb_prefix dst;
	uint32_t	 table;		/* full number, RTA_TABLE wins */
	uint32_t	 metric;	/* RTA_PRIORITY, 0 if none */
	uint8_t		 protocol;	/* RTPROT_* */
	uint8_t		 type;		/* RTN_*; RTN_UNSPEC (0) writes
					 * RTN_UNICAST */
	uint8_t		 scope;
	uint8_t		 multipath;	/* parsed from RTA_MULTIPATH */
	size_t		 nnh;
	size_t		 nnh_dropped;	/* next hops past NL_MAXNH */
	struct nl_nh	 nh[NL_MAXNH];
};

/*
 * Building.  nl_route_len() is the exact size nl_route_put() will add,
 * so a batch writer can stop before its buffer is full.  RTM_NEWROUTE
 * goes with NLM_F_CREATE|NLM_F_REPLACE (a change of next hops is one
 * atomic replace), both with NLM_F_ACK (nl_msg_flags_at() takes it off
 * where one acknowledgement per batch is enough).  The route's
 * protocol, metric and table are written as given; RTM_DELROUTE leaves
 * next hops out so that the kernel matches on prefix, table, metric and
 * protocol.  Return 0, or -1 for a route that cannot be encoded (bad
 * family, prefix length, more than NL_MAXNH next hops) or a buffer
 * error.
 */
size_t	 nl_route_len(int cmd, const struct nl_route *);
int	 nl_route_put(struct buf *, int cmd, const struct nl_route *,
	    uint32_t seq);
/* A dump of every route of af (AF_UNSPEC: both). */
int	 nl_route_dump_put(struct buf *, int af, uint32_t seq);
/* The route the kernel would use for dst (RTM_GETROUTE with
 * RTM_F_FIB_MATCH: the table entry, not a host route). */
int	 nl_route_lookup_put(struct buf *, const struct tb_addr *dst,
	    uint32_t seq);

/* Parsing: RTM_NEWROUTE / RTM_DELROUTE: 0 and *r filled, -1 if malformed.
 * Unknown attributes are skipped; known ones of the wrong size make the
 * message malformed. */
int	 nl_parse_route(const struct nl_msg *, struct nl_route *);

/* Canonical order of next hops, for comparing sets. */
int	 nl_nh_cmp(const struct nl_nh *, const struct nl_nh *);

#endif
