/*
 * attr: BGP path attributes (RFC 4271 4.3, 5) as tbgpd holds them.
 *
 * A route's attributes live in one struct attr.  Interned attributes are
 * shared by every path that carries the same set and are reference
 * counted; so are their big parts (AS path, the three community kinds,
 * the unknown transitive attributes).  A "work" attr (on the stack, in a
 * parsed UPDATE, in policy evaluation) is not interned and owns one
 * reference to each part it points to: attr_intern() hands those
 * references to the interned copy, attr_clear() drops them.
 *
 * Parsing is table-driven: one descriptor per attribute code gives the
 * flags a well-behaved peer sets, the lengths allowed and what RFC 7606
 * says to do when the attribute is malformed (attr_parse()).  Encoding
 * writes the attributes for one eBGP peer (attr_encode()).
 */
#ifndef TB_ATTR_H
#define TB_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "bgpd.h"
#include "buf.h"
#include "msg.h"

/* Attribute type codes (IANA). */
enum attr_code {
	ATTR_ORIGIN = 1,
	ATTR_AS_PATH = 2,
	ATTR_NEXT_HOP = 3,
	ATTR_MED = 4,
	ATTR_LOCAL_PREF = 5,
	ATTR_ATOMIC_AGGREGATE = 6,
	ATTR_AGGREGATOR = 7,
	ATTR_COMMUNITIES = 8,
	ATTR_ORIGINATOR_ID = 9,
	ATTR_CLUSTER_LIST = 10,
	ATTR_MP_REACH_NLRI = 14,
	ATTR_MP_UNREACH_NLRI = 15,
	ATTR_EXT_COMMUNITIES = 16,
	ATTR_AS4_PATH = 17,
	ATTR_AS4_AGGREGATOR = 18,
	ATTR_LARGE_COMMUNITIES = 32,
};

/* Attribute flags octet. */
#define ATTR_F_OPTIONAL		0x80
#define ATTR_F_TRANSITIVE	0x40
#define ATTR_F_PARTIAL		0x20
#define ATTR_F_EXTLEN		0x10

enum origin {
	ORIGIN_IGP = 0,
	ORIGIN_EGP = 1,
	ORIGIN_INCOMPLETE = 2,
};

/* AS path segment types (RFC 4271, RFC 5065). */
#define AS_SET			1
#define AS_SEQUENCE		2
#define AS_CONFED_SEQUENCE	3
#define AS_CONFED_SET		4
#define AS_SEG_MAX		255	/* ASNs per segment */

/*
 * An interned AS path.  data holds the segments in 4-octet form whatever
 * the session spoke: type (1), count (1), count * ASN (4, network order).
 * An empty path (len 0) is valid: locally originated routes.
 */
struct aspath {
	struct aspath	*hnext;
	uint32_t	 refcnt;
	uint32_t	 hash;
	uint16_t	 len;		/* bytes of data */
	uint16_t	 plen;		/* RFC 4271 9.1.2.2 length: a SET
					 * counts 1, confederation segments 0 */
	uint8_t		 data[];
};

/*
 * Interned communities of one kind: standard (RFC 1997, unit 4),
 * extended (RFC 4360, unit 8) or large (RFC 8092, unit 12).  Values are
 * kept in wire byte order, sorted (memcmp) and without duplicates, as FRR
 * keeps them.
 */
struct comms {
	struct comms	*hnext;
	uint32_t	 refcnt;
	uint32_t	 hash;
	uint16_t	 n;		/* values */
	uint8_t		 unit;		/* 4, 8 or 12 bytes per value */
	uint8_t		 data[];
};
#define COMM_UNIT_STD		4
#define COMM_UNIT_EXT		8
#define COMM_UNIT_LARGE		12

/* Well-known communities (RFC 1997, RFC 3765, RFC 8326, RFC 7999). */
#define COMM_GRACEFUL_SHUTDOWN	0xffff0000u
#define COMM_BLACKHOLE		0xffff029au
#define COMM_NO_EXPORT		0xffffff01u
#define COMM_NO_ADVERTISE	0xffffff02u
#define COMM_NO_EXPORT_SUBCONFED 0xffffff03u
#define COMM_NO_PEER		0xffffff04u

/*
 * Unknown optional transitive attributes to pass on: the whole attributes
 * (flags, type, length, value) concatenated in type order, each with the
 * Partial bit already set (RFC 4271 5) and the extended-length flag as
 * its length needs.  Interned like the rest.
 */
struct attr_raw {
	struct attr_raw	*hnext;
	uint32_t	 refcnt;
	uint32_t	 hash;
	uint16_t	 len;
	uint8_t		 data[];
};

/* struct attr flags. */
#define ATTRF_MED		0x01	/* MULTI_EXIT_DISC present */
#define ATTRF_LOCAL_PREF	0x02	/* LOCAL_PREF present */
#define ATTRF_ATOMIC_AGG	0x04
#define ATTRF_AGGREGATOR	0x08	/* agg_as / agg_id valid */
#define ATTRF_NEXTHOP_LL	0x10	/* nexthop_ll valid (MP, 32 bytes) */

#define LOCAL_PREF_DEFAULT	100

struct attr {
	struct attr	*hnext;		/* intern table; unused in work copies */
	uint32_t	 refcnt;	/* 0 in work copies */
	uint32_t	 hash;
	uint8_t		 origin;	/* enum origin */
	uint8_t		 flags;		/* ATTRF_* */
	uint32_t	 med;
	uint32_t	 local_pref;
	uint32_t	 weight;	/* local only, never sent (set weight) */
	uint32_t	 agg_as;	/* AGGREGATOR, merged with AS4_AGGREGATOR */
	uint32_t	 agg_id;	/* host order */
	struct tb_addr	 nexthop;	/* NEXT_HOP, or the MP next hop */
	struct tb_addr	 nexthop_ll;	/* IPv6 link-local next hop */
	struct aspath	*aspath;	/* never NULL once interned */
	struct comms	*comm;		/* NULL: none */
	struct comms	*ecomm;
	struct comms	*lcomm;
	struct attr_raw	*unknown;	/* NULL: none */
};

/* What RFC 7606 says to do with an UPDATE, in order of severity. */
enum attr_action {
	ACT_OK = 0,
	ACT_DISCARD,		/* attribute discard (7606 2) */
	ACT_WITHDRAW,		/* treat-as-withdraw (7606 2) */
	ACT_AF_DISABLE,		/* AFI/SAFI disable: we reset instead */
	ACT_RESET,		/* session reset with a NOTIFICATION */
};

/* Session facts the attribute checks need. */
struct attr_ctx {
	int		 as4;		/* 4-octet AS numbers on this session */
	int		 ebgp;
	uint32_t	 peer_as;	/* the neighbor's AS */
	uint32_t	 local_as;
	struct tb_addr	 local_addr;	/* ours on this session */
	struct tb_addr	 peer_addr;
};

/*
 * Result of attr_parse(): the action and, for the log and for a reset,
 * a short reason and the NOTIFICATION (RFC 4271 6.3 codes with the
 * offending attribute as data).
 */
struct attr_err {
	enum attr_action	 action;
	struct bgp_notify	 notify;	/* valid for ACT_RESET */
	char			 why[160];
};

/*
 * Parse one attribute (not MP_REACH_NLRI / MP_UNREACH_NLRI, which carry
 * NLRI and belong to update.c) into the work attr.  flags and code are the
 * attribute header; val is a view of exactly its value; raw is a view of
 * the whole attribute (header included) for unknown-attribute pass-on and
 * for NOTIFICATION data.  Flag checks, length checks and value checks
 * follow RFC 7606 7.x per attribute.  Returns the action; *err is filled
 * when it is not ACT_OK.  AS4_PATH and AS4_AGGREGATOR are kept aside in
 * the work area (see attr_merge_as4()).
 */
struct attr_work {
	struct attr	 a;
	struct aspath	*as4_path;	/* from AS4_PATH on 2-octet sessions */
	uint32_t	 as4_agg_as;
	uint32_t	 as4_agg_id;
	int		 has_as4_agg;
	uint8_t		 seen[32];	/* bitmap of codes seen */
};
void		 attr_work_init(struct attr_work *);
void		 attr_work_clear(struct attr_work *);
enum attr_action attr_parse(struct attr_work *, uint8_t flags, uint8_t code,
		    struct buf *val, const struct buf *raw,
		    const struct attr_ctx *, struct attr_err *);
/* RFC 6793 4.2.3: merge AS4_PATH / AS4_AGGREGATOR into the work attr
 * (2-octet sessions only; on 4-octet sessions they were ignored). */
void		 attr_merge_as4(struct attr_work *, const struct attr_ctx *);
int		 attr_seen(const struct attr_work *, uint8_t code);

/* Interning.  attr_intern() takes over the work copy's part references
 * (the work copy is left cleared) and returns a referenced interned attr.
 * attr_copy() fills a work copy from any attr, taking part references. */
struct attr	*attr_intern(struct attr *work);
struct attr	*attr_ref(struct attr *);
void		 attr_unref(struct attr *);
void		 attr_copy(struct attr *work, const struct attr *);
void		 attr_clear(struct attr *work);
int		 attr_equal(const struct attr *, const struct attr *);
size_t		 attr_count(void);	/* interned sets, for memory/tests */

/* AS paths.  data: 4-octet segments as in struct aspath. */
struct aspath	*aspath_intern(const uint8_t *data, size_t len);
struct aspath	*aspath_empty(void);			/* referenced */
struct aspath	*aspath_ref(struct aspath *);
void		 aspath_unref(struct aspath *);
/* A new referenced path with as prepended count times. */
struct aspath	*aspath_prepend(const struct aspath *, uint32_t as, int count);
uint32_t	 aspath_neighbor(const struct aspath *);	/* 0: none */
uint32_t	 aspath_origin_as(const struct aspath *);	/* 0: none */
int		 aspath_count(const struct aspath *, uint32_t as);
/* "64512 65001 {65002,65003}" as FRR prints it (empty path: "") */
void		 aspath_print(struct buf *, const struct aspath *);
size_t		 aspath_total(void);

/* Communities. */
struct comms	*comms_intern(uint8_t unit, const uint8_t *data, size_t n);
struct comms	*comms_ref(struct comms *);
void		 comms_unref(struct comms *);
int		 comms_has(const struct comms *, const uint8_t *value);
int		 comms_has_std(const struct comms *, uint32_t value);
/* a plus b (b may be NULL), a new reference; NULL if both are empty */
struct comms	*comms_union(const struct comms *a, const struct comms *b);
/* FRR's text: "65000:100 no-export", "RT:65000:100", "65000:1:2" */
void		 comms_print(struct buf *, const struct comms *);
size_t		 comms_total(void);

struct attr_raw	*attr_raw_intern(const uint8_t *data, size_t len);
void		 attr_raw_unref(struct attr_raw *);

/*
 * Encode the attributes of a for an UPDATE: every attribute but the
 * NLRI-carrying ones, in type order.  as4: the peer speaks 4-octet AS
 * (else AS_PATH is written with AS_TRANS and AS4_PATH / AS4_AGGREGATOR
 * follow, RFC 6793 4.2.2).  with_nexthop: write NEXT_HOP (IPv4 NLRI in
 * the classic fields); IPv6 next hops go in MP_REACH_NLRI (update.c).
 * LOCAL_PREF and weight are never written (eBGP); the caller has already
 * applied the export rules (rde.c).
 */
void		 attr_encode(struct buf *, const struct attr *, int as4,
		    int with_nexthop);

/* For show: "IGP", "EGP", "incomplete" and FRR's one-letter codes. */
const char	*attr_origin_name(uint8_t);
char		 attr_origin_code(uint8_t);	/* 'i', 'e', '?' */
const char	*attr_code_name(uint8_t);

#endif
