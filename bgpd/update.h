/*
 * update: the UPDATE message (RFC 4271 4.3, RFC 4760, RFC 7606).
 *
 * update_parse() checks the framing (withdrawn routes length, total path
 * attribute length, each attribute header), hands every attribute to
 * attr_parse(), handles MP_REACH_NLRI / MP_UNREACH_NLRI itself, checks the
 * mandatory attributes and validates every NLRI field completely before
 * anything reaches the RIB.  The result says which RFC 7606 action
 * applies to the whole message.  update_build() writes UPDATEs that pack
 * as many prefixes sharing one attribute set as the size limit allows.
 */
#ifndef TB_UPDATE_H
#define TB_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "msg.h"

struct update {
	/* IPv4 unicast in the classic fields (views into the body). */
	struct buf		 withdrawn;
	struct buf		 nlri;
	/* MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760), unicast v4/v6. */
	int			 has_reach;
	enum aid		 reach_aid;
	struct buf		 reach_nlri;
	int			 has_unreach;
	enum aid		 unreach_aid;
	struct buf		 unreach_nlri;
	/* The attributes; for MP_REACH the next hop(s) are in
	 * mp_nexthop / mp_nexthop_ll, the NEXT_HOP attribute in
	 * work.a.nexthop. */
	struct attr_work	 work;
	struct tb_addr		 mp_nexthop;
	struct tb_addr		 mp_nexthop_ll;
	/* End-of-RIB (RFC 4724 2): empty UPDATE for IPv4, or an
	 * MP_UNREACH_NLRI with no prefixes and nothing else. */
	int			 eor;
	enum aid		 eor_aid;
	/* The verdict for the whole message (worst of all attributes):
	 * ACT_OK or ACT_DISCARD: use the routes; ACT_WITHDRAW: every
	 * prefix in it is withdrawn; ACT_RESET: err.notify to send. */
	struct attr_err		 err;
	unsigned		 ndiscarded;	/* attributes discarded */
};

/* Parse a whole UPDATE body.  Returns 0, or -1 for ACT_RESET (the
 * NOTIFICATION is in u->err.notify).  update_free() in every case. */
int	 update_parse(struct buf *body, const struct attr_ctx *,
	    struct update *u);
void	 update_free(struct update *u);

/*
 * Next prefix of an NLRI field already validated by update_parse():
 * 1 and *p filled, 0 at the end.  (Also used on untrusted input: -1 for
 * a malformed prefix, never a read past the end.)
 */
int	 nlri_get(struct buf *, enum aid, struct tb_prefix *p);
/* Prefix as NLRI (length octet and the significant octets). */
void	 nlri_put(struct buf *, const struct tb_prefix *);
/* Octets nlri_put() writes for p. */
size_t	 nlri_len(const struct tb_prefix *);

/*
 * Append one whole UPDATE message (header included) to out announcing
 * (attr != NULL) or withdrawing (attr == NULL) as many of pfx[0..n-1] as
 * fit in maxlen octets (BGP_MAX_LEN, or BGP_EXT_MAX_LEN with extended
 * messages).  IPv4 goes in the classic fields, IPv6 in MP_REACH_NLRI /
 * MP_UNREACH_NLRI with attr->nexthop (and nexthop_ll).  Returns the
 * number of prefixes taken: 0 only if n == 0 or the attributes alone do
 * not fit (nothing written then).
 */
size_t	 update_build(struct buf *out, size_t maxlen, enum aid,
	    const struct attr *attr, int as4, const struct tb_prefix *pfx,
	    size_t n);
/* End-of-RIB marker for aid. */
void	 update_build_eor(struct buf *out, enum aid);

/* AFI/SAFI <-> aid; -1 when tbgpd does not carry that family. */
int	 aid_from_afi(uint16_t afi, uint8_t safi, enum aid *);
void	 aid_to_afi(enum aid, uint16_t *afi, uint8_t *safi);
const char *aid_name(enum aid);		/* "IPv4 Unicast" */
int	 aid_af(enum aid);		/* AF_INET / AF_INET6 */

#endif
