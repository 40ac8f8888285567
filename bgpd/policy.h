/*
 * policy: routing policy in FRR's terms: prefix lists, AS-path access
 * lists (regular expressions over the AS path as FRR writes it), community
 * lists (standard and expanded) and route-maps with their match and set
 * clauses.  The configuration parser builds a policy_db with the
 * policy_*_add() calls; the RDE evaluates route-maps and prefix lists on
 * a work copy of a route's attributes.
 *
 * Semantics follow FRR: a route-map's entries are tried in sequence
 * order; the first whose matches all succeed decides (permit: apply the
 * sets, then on-match next / goto / continue may go on; deny: denied); no
 * match at all denies.  A prefix list's first matching entry decides and
 * no match denies.  A name that refers to nothing denies everything (the
 * parser warns about it); a match clause naming a list that does not
 * exist does not match, as in FRR.
 */
#ifndef TB_POLICY_H
#define TB_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "attr.h"

#define POLICY_NAME_MAX		63

enum policy_verdict {
	POLICY_DENY = 0,
	POLICY_PERMIT = 1,
};

struct policy_db;
struct route_map;
struct prefix_list;

struct policy_db	*policy_db_new(void);
void			 policy_db_free(struct policy_db *);

/* --- building (configuration) ---
 * Each returns 0, or -1 with a message for the operator in err (the
 * caller prints it with file:line:col).  Entries with the same sequence
 * number replace each other; seq 0 means "last + 5" (FRR). */

/* ip prefix-list NAME [seq N] permit|deny PREFIX [ge N] [le N]
 * (af: AF_INET for ip, AF_INET6 for ipv6 prefix-list) */
int	 policy_prefix_list_add(struct policy_db *, int af, const char *name,
	    uint32_t seq, int permit, const struct tb_prefix *, uint8_t ge,
	    uint8_t le, char *err, size_t errlen);
/* bgp as-path access-list NAME [seq N] permit|deny REGEX */
int	 policy_aspath_add(struct policy_db *, const char *name, uint32_t seq,
	    int permit, const char *regex, char *err, size_t errlen);
/* bgp community-list standard NAME permit|deny COMMUNITY...
 * bgp community-list expanded NAME permit|deny REGEX
 * bgp large-community-list standard|expanded NAME ... (large = 1) */
int	 policy_comm_list_add(struct policy_db *, const char *name,
	    int large, int expanded, uint32_t seq, int permit,
	    const char *text, char *err, size_t errlen);

/* route-map NAME permit|deny SEQ: opens (or reopens) the entry; the
 * clauses below go into the entry last opened. */
int	 policy_rmap_entry(struct policy_db *, const char *name, int permit,
	    uint32_t seq, char *err, size_t errlen);

enum rmap_match {
	RM_MATCH_PREFIX_LIST,		/* match ip address prefix-list NAME */
	RM_MATCH_PREFIX_LIST6,		/* match ipv6 address prefix-list NAME */
	RM_MATCH_ASPATH,		/* match as-path NAME */
	RM_MATCH_COMMUNITY,		/* match community NAME [exact-match] */
	RM_MATCH_LARGE_COMMUNITY,	/* match large-community NAME */
	RM_MATCH_METRIC,		/* match metric N */
	RM_MATCH_LOCAL_PREF,		/* match local-preference N */
	RM_MATCH_ORIGIN,		/* match origin igp|egp|incomplete */
	RM_MATCH_PEER,			/* match peer ADDR */
	RM_MATCH_IP_NEXTHOP_PL,		/* match ip next-hop prefix-list NAME */
};
/* text: the rest of the clause as written ("NAME", "NAME exact-match",
 * "100", "igp", "169.254.116.209"). */
int	 policy_rmap_match(struct policy_db *, enum rmap_match,
	    const char *text, char *err, size_t errlen);

enum rmap_set {
	RM_SET_LOCAL_PREF,		/* set local-preference N */
	RM_SET_METRIC,			/* set metric N | +N | -N */
	RM_SET_WEIGHT,			/* set weight N */
	RM_SET_PREPEND,			/* set as-path prepend ASN... |
					 *     last-as N */
	RM_SET_COMMUNITY,		/* set community none | C... [additive] */
	RM_SET_COMM_DELETE,		/* set comm-list NAME delete */
	RM_SET_LARGE_COMMUNITY,		/* set large-community L... [additive] */
	RM_SET_EXT_COMMUNITY_RT,	/* set extcommunity rt X:Y... */
	RM_SET_NEXTHOP,			/* set ip next-hop A.B.C.D */
	RM_SET_NEXTHOP6,		/* set ipv6 next-hop global X:X::X */
	RM_SET_ORIGIN,			/* set origin igp|egp|incomplete */
};
int	 policy_rmap_set(struct policy_db *, enum rmap_set, const char *text,
	    char *err, size_t errlen);

/* on-match next | on-match goto N | continue [N] */
int	 policy_rmap_onmatch(struct policy_db *, int is_continue, int next,
	    uint32_t seq, char *err, size_t errlen);

/* Names used but never defined, for the parser's warnings: fn is called
 * once per (kind, name) found in route-map clauses. */
void	 policy_undefined(const struct policy_db *,
	    void (*fn)(const char *kind, const char *name, void *), void *);

/* Lookups (NULL: not defined). */
const struct route_map	 *policy_rmap_find(const struct policy_db *,
			    const char *);
const struct prefix_list *policy_plist_find(const struct policy_db *, int af,
			    const char *);

/* --- evaluation --- */

/* What a route-map may look at besides the route. */
struct policy_ctx {
	const struct tb_prefix	*prefix;
	struct tb_addr		 peer_addr;	/* the neighbor it comes from
						 * (in) or goes to (out) */
	uint32_t		 peer_as;
	uint32_t		 local_as;
	struct tb_addr		 local_addr;	/* ours on that session */
	int			 out;		/* 1: outbound (set ip next-hop
						 * peer-address means us) */
};

/*
 * Run route-map rm over work (a work attr: sets modify it in place,
 * swapping interned parts).  rm NULL (a name that refers to nothing):
 * deny.  Returns the verdict; work is meaningful only for PERMIT.
 */
enum policy_verdict policy_rmap_apply(const struct policy_db *,
			    const struct route_map *rm,
			    const struct policy_ctx *, struct attr *work);
/* A prefix list on a prefix; NULL list: deny. */
enum policy_verdict policy_plist_apply(const struct prefix_list *,
			    const struct tb_prefix *);

/* Printing back (conf_print): every list and map, in FRR's syntax. */
void	 policy_print(FILE *, const struct policy_db *);

#endif
