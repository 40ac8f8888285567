/*
 * adjout: one neighbor's Adj-RIB-Out for one address family (RFC 4271
 * 3.2): what we have advertised to it and what is waiting to go.
 *
 * The export code (rde.c) decides, per changed Loc-RIB entry, the
 * attribute set this neighbor should have (after the eBGP export rules
 * and outbound policy) or that it should have nothing, and calls
 * adjout_set().  Changes wait, grouped by attribute set, until
 * adjout_flush() turns them into UPDATEs that pack every waiting prefix of
 * a group (RFC 4271 9.2), as the socket takes them: a slow peer costs
 * one pending mark per prefix, never a queue of messages.  A prefix
 * changed twice before it is sent goes out once, in its last state.
 */
#ifndef TB_ADJOUT_H
#define TB_ADJOUT_H

#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "rib.h"

struct adjout;

struct adjout	*adjout_new(struct rib *, enum aid);
/* Forget everything (session down): releases entries and attrs. */
void		 adjout_free(struct adjout *);

/*
 * What the neighbor should have for e: attr (interned, the reference is
 * taken over) or NULL for nothing.  Nothing is queued when that is
 * already what it has.  Returns 1 when a change was queued, else 0.
 */
int		 adjout_set(struct adjout *, struct rib_entry *, struct attr *);
/* Attribute set advertised (or waiting to be) for e, NULL: none. */
const struct attr *adjout_get(const struct adjout *, const struct rib_entry *);

/*
 * Append UPDATEs for waiting changes to out (withdrawals first, then one
 * group per attribute set) until out holds at least budget octets or
 * nothing waits.  maxmsg: 4096 or 65535 (RFC 8654); as4: the peer speaks
 * 4-octet AS.  Returns the number of UPDATEs written.
 */
size_t		 adjout_flush(struct adjout *, struct buf *out, size_t budget,
		    size_t maxmsg, int as4);
int		 adjout_pending(const struct adjout *);	/* changes waiting */
/* ROUTE-REFRESH received or soft out: everything advertised goes again. */
void		 adjout_resend(struct adjout *);

/* Prefixes advertised or about to be (pfxSnt; maximum-prefix-out). */
size_t		 adjout_count(const struct adjout *);
/* Walk what is advertised (attr != NULL), in no particular order. */
void		 adjout_walk(const struct adjout *,
		    void (*fn)(struct rib_entry *, const struct attr *, void *),
		    void *arg);

/* Every adjout together, for show bgp memory and the tests (added by
 * adjout's author). */
struct adjout_stats {
	size_t		 records;	/* prefixes held, all neighbors */
	size_t		 groups;	/* attribute sets with changes waiting */
	size_t		 bytes;		/* pool memory */
};
void		 adjout_stats(struct adjout_stats *);

#endif
