/*
 * mrt_enc: the MRT routing information export format (RFC 6396), as
 * bytes.  Pure encoders into a struct buf, for mrt.c and the tests:
 *
 *   BGP4MP / BGP4MP_ET (type 16 / 17): STATE_CHANGE_AS4 and MESSAGE /
 *   MESSAGE_AS4 records, a BGP message as received with the session's
 *   addresses and AS numbers;
 *   TABLE_DUMP_V2 (type 13): PEER_INDEX_TABLE, then RIB_IPV4_UNICAST /
 *   RIB_IPV6_UNICAST records, one per prefix with an entry per path.
 *
 * Every record is written whole or, if the buf's limit is hit, leaves
 * the buf's sticky error set (buf_error()).
 */
#ifndef TB_MRT_ENC_H
#define TB_MRT_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "bgpd.h"
#include "buf.h"

struct attr;

#define MRT_TABLE_DUMP_V2	13
#define MRT_BGP4MP		16
#define MRT_BGP4MP_ET		17

#define MRT_PEER_INDEX_TABLE	1
#define MRT_RIB_IPV4_UNICAST	2
#define MRT_RIB_IPV6_UNICAST	4

#define MRT_BGP4MP_STATE_CHANGE		0
#define MRT_BGP4MP_MESSAGE		1
#define MRT_BGP4MP_MESSAGE_AS4		4
#define MRT_BGP4MP_STATE_CHANGE_AS4	5

/* When a record happened. */
struct mrt_time {
	uint32_t	 sec;		/* since the epoch */
	uint32_t	 usec;		/* written only with et */
	int		 et;		/* BGP4MP_ET: microseconds too */
};

/* The session a BGP4MP record is about. */
struct mrt_session {
	struct tb_addr	 peer;
	struct tb_addr	 local;		/* unset: zeros of peer's family */
	uint32_t	 peer_as;
	uint32_t	 local_as;
	uint16_t	 ifindex;
};

/* old and new: RFC 6396 4.4.1 state numbers (1 Idle .. 6 Established). */
void	mrt_state_change(struct buf *, const struct mrt_time *,
	    const struct mrt_session *, uint16_t old, uint16_t new);
/* A BGP message: type and body, the header is rebuilt (marker, length,
 * type).  as4: MESSAGE_AS4 (4-octet AS numbers in the record and, for
 * an UPDATE, in its AS_PATH), else MESSAGE (2-octet, AS_TRANS for a
 * larger AS). */
void	mrt_message(struct buf *, const struct mrt_time *,
	    const struct mrt_session *, int as4, uint8_t type,
	    const uint8_t *body, size_t len);

/* One peer of a PEER_INDEX_TABLE. */
struct mrt_index_peer {
	struct tb_addr	 addr;
	uint32_t	 bgp_id;	/* host order */
	uint32_t	 as;
};

void	mrt_peer_index(struct buf *, uint32_t sec, uint32_t collector_id,
	    const char *view, const struct mrt_index_peer *, size_t n);

/* A RIB record: mrt_rib_begin(), an mrt_rib_entry() per path, then
 * mrt_rib_end() with what begin returned. */
struct mrt_rib {
	size_t		 start;		/* of the record */
	size_t		 count_at;	/* of the entry count */
	uint16_t	 count;
	enum aid	 aid;
};
void	mrt_rib_begin(struct buf *, struct mrt_rib *, uint32_t sec,
	    uint32_t seq, const struct tb_prefix *);
/* attr: the path's attributes (4-octet AS_PATH, NEXT_HOP for IPv4,
 * MP_REACH_NLRI with the next hop only for IPv6, RFC 6396 4.3.4). */
void	mrt_rib_entry(struct buf *, struct mrt_rib *, uint16_t peer_index,
	    uint32_t originated, const struct attr *);
void	mrt_rib_end(struct buf *, const struct mrt_rib *);

/* Back-patch a 32-bit value (network order) at off. */
void	mrt_set_u32_at(struct buf *, size_t off, uint32_t);

#endif
