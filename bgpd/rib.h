/*
 * rib: the routing information bases (RFC 4271 3.2).
 *
 * One table per address family maps a prefix to a rib_entry; the entry
 * holds every path to that prefix, one per source (a neighbor, or local
 * origination), kept sorted best first by the decision process.  The
 * paths with a policy-accepted attribute set are the Adj-RIBs-In after
 * inbound policy; the first path flagged PATH_BEST (and those flagged
 * PATH_MULTIPATH) are the Loc-RIB.  With soft-reconfiguration inbound a
 * path also keeps the attribute set as received, and a path rejected by
 * policy stays (attr NULL) so that a policy change can be re-applied.
 *
 * Changes are not pushed out one by one: an entry whose selection changed
 * goes on the change queue once, and rib_drain() hands each to the export
 * and FIB code after a whole message (or batch) has been processed.
 *
 * Memory matters (a full table is 1M prefixes): entries and paths come
 * from pools, attributes are interned, and there is no per-path list.
 */
#ifndef TB_RIB_H
#define TB_RIB_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "attr.h"
#include "bgpd.h"

/*
 * Where paths come from: each neighbor has one, and local origination
 * (network, redistribute) has one.  The decision process reads these.
 */
struct rib_src {
	struct tb_addr	 addr;		/* peer address; unset for local */
	uint32_t	 bgp_id;	/* its BGP identifier, host order */
	uint32_t	 as;		/* its AS */
	int		 ebgp;
	int		 local;		/* locally originated routes */
	int		 soft_in;	/* keep pre-policy attributes */
	int		 nh_recursive;	/* its next hops may resolve over
					 * kernel routes (multihop) */
	int		 ifindex;	/* its session's interface, for
					 * link-local next hops; 0: unknown */
	void		*owner;		/* the RDE's neighbor, NULL for local */
	/* Kept by rib.c. */
	uint32_t	 npaths[AID_MAX];	/* paths with attr != NULL */
	uint32_t	 nrcvd[AID_MAX];	/* paths held (incl. filtered) */
	uint32_t	 nstale[AID_MAX];	/* paths flagged PATH_STALE */
};

/* rib_path flags */
#define PATH_BEST		0x0001	/* the Loc-RIB's selected path */
#define PATH_MULTIPATH		0x0002	/* in the multipath set (best too) */
#define PATH_NH_UNREACH		0x0004	/* next hop not resolvable: ineligible */
#define PATH_STALE		0x0008	/* graceful restart: kept from a
					 * session that ended, until its
					 * neighbor sends it again */
#define PATH_HELD		0x0010	/* failback-delay: loses to any
					 * eligible path not held */
#define PATH_STALE_LOW		0x0020	/* stale after a liveness down:
					 * loses to any eligible fresh path */

struct rib_path {
	struct rib_path	*next;		/* in the entry, best first */
	struct rib_src	*src;
	struct attr	*attr;		/* after inbound policy; NULL: denied */
	uint32_t	 since;		/* monotonic seconds, when learned */
	uint16_t	 flags;		/* PATH_* */
	uint8_t		 lost;		/* enum rib_step: why it ranks below
					 * the path before it; 0 for the first */
	uint8_t		 pad;
};

/* rib_entry flags */
#define RE_QUEUED		0x0001	/* on the change queue */

struct rib_entry {
	struct rib_path	*paths;		/* sorted, best first */
	uint16_t	 flags;		/* RE_* */
	uint16_t	 refs;		/* holders besides paths (Adj-RIB-Out,
					 * queue); freed when 0 and no paths */
	uint8_t		 aid;
	uint8_t		 plen;
	uint8_t		 addr[];	/* 4 or 16 octets */
};

/* Decision steps, in order (RFC 4271 9.1.2.2 and FRR's tie-breaks). */
enum rib_step {
	STEP_NONE = 0,		/* first path, or equal */
	STEP_ELIGIBLE,		/* next hop unreachable / denied by policy */
	STEP_WEIGHT,
	STEP_LOCAL_PREF,
	STEP_LOCAL_ORIGIN,	/* locally originated wins */
	STEP_AS_PATH,		/* shorter (unless as-path ignore) */
	STEP_ORIGIN,		/* IGP < EGP < incomplete */
	STEP_MED,		/* lower, same neighbor AS unless always */
	STEP_EBGP,		/* eBGP over iBGP */
	STEP_MULTIPATH,		/* boundary: equal up to here may share */
	STEP_OLDEST,		/* older eBGP path wins (RFC 5004) */
	STEP_ROUTER_ID,		/* lower BGP identifier */
	STEP_PEER_ADDR,		/* lower peer address */
	STEP_MAX
};

struct rib_opts {
	int		 as_path_ignore;	/* bgp bestpath as-path ignore */
	int		 multipath_relax;	/* ... as-path multipath-relax */
	int		 always_compare_med;	/* bgp always-compare-med */
	int		 med_missing_as_worst;	/* bgp bestpath med missing-as-worst */
	int		 compare_router_id;	/* bgp bestpath compare-routerid:
						 * skip the oldest-path step */
	uint16_t	 maximum_paths[AID_MAX];	/* 1: no multipath */
};

struct rib;

struct rib	*rib_new(const struct rib_opts *);
/* Every path and entry must be gone (rib_src_flush on each source). */
void		 rib_free(struct rib *);
void		 rib_set_opts(struct rib *, const struct rib_opts *);
const struct rib_opts *rib_opts(const struct rib *);

/*
 * Add or replace src's path to p.  attr: interned, the caller's
 * reference is taken over; NULL when inbound policy denied it.  attr_in:
 * the attributes as received (interned, reference taken over) when
 * src->soft_in, else NULL.  now: monotonic seconds.  The entry is queued
 * if its selection changed.  Returns 0, or 1 when nothing changed (same
 * attributes again).
 */
int		 rib_update(struct rib *, struct rib_src *,
		    const struct tb_prefix *p, struct attr *attr,
		    struct attr *attr_in, uint32_t now);
/* Remove src's path to p (0), or 1 if it had none. */
int		 rib_withdraw(struct rib *, struct rib_src *,
		    const struct tb_prefix *p);
/* Remove all of src's paths in aid (AID_MAX: every family). */
void		 rib_src_flush(struct rib *, struct rib_src *, int aid);
/* Pre-policy attributes of a path (attr_in if kept, else attr). */
struct attr	*rib_path_attr_in(const struct rib_path *);
/* Replace a path's post-policy attr (soft reconfiguration in): reference
 * taken over, NULL to deny.  Re-decides and queues the entry. */
void		 rib_path_set_attr(struct rib *, struct rib_entry *,
		    struct rib_path *, struct attr *);
/*
 * Graceful restart: flag a path stale (low: it also loses to every
 * eligible path not so flagged), or fresh again (stale 0).  A path the
 * neighbor sends again (rib_update, even unchanged) is fresh.  Re-decides
 * and queues the entry when the ranking changed.
 */
void		 rib_path_set_stale(struct rib *, struct rib_entry *,
		    struct rib_path *, int stale, int low);
/* Remove one path (rib_walk() callbacks): 1 when the entry was freed. */
int		 rib_path_drop(struct rib *, struct rib_entry *,
		    struct rib_path *);
/* Next-hop reachability changed (FIB issue): re-decide. */
void		 rib_path_set_reachable(struct rib *, struct rib_entry *,
		    struct rib_path *, int reachable);
/*
 * Next-hop resolution: fn says whether a path from src with attr (never
 * NULL) may be used: RIB_NH_UNUSABLE gives it PATH_NH_UNREACH as it
 * enters or changes, before the decision; RIB_NH_HELD gives it
 * PATH_HELD.  Without a resolver every path is usable.  When answers
 * change, the resolver's owner walks the RIB and calls
 * rib_path_set_reachable() or rib_path_recheck() (which asks fn again
 * and re-decides if the answer differs; 1 then).
 */
#define RIB_NH_UNUSABLE		0
#define RIB_NH_USABLE		1
#define RIB_NH_HELD		2
typedef int	(*rib_resolve_fn)(const struct rib_src *, const struct attr *,
		    void *arg);
void		 rib_set_resolver(struct rib *, rib_resolve_fn, void *arg);
int		 rib_path_recheck(struct rib *, struct rib_entry *,
		    struct rib_path *);
/* Options changed: run the decision on every entry again. */
void		 rib_redecide_all(struct rib *);

/* Lookups and walks.  Walk order is unspecified; rib_sorted() gives a
 * malloc'ed array of entries in prefix order (free() it), valid until
 * the RIB next changes. */
struct rib_entry *rib_lookup(struct rib *, const struct tb_prefix *);
/* A hint that p is about to be updated or looked up: starts loading its
 * slot so that the cache misses of several prefixes overlap. */
void		 rib_prefetch(struct rib *, const struct tb_prefix *);
void		 rib_walk(struct rib *, int aid,
		    void (*fn)(struct rib_entry *, void *), void *arg);
size_t		 rib_sorted(struct rib *, int aid, struct rib_entry ***out);
void		 rib_entry_prefix(const struct rib_entry *, struct tb_prefix *);
struct rib_path	*rib_entry_best(const struct rib_entry *);	/* or NULL */
struct rib_path	*rib_entry_path(const struct rib_entry *,
		    const struct rib_src *);			/* or NULL */
/* Hold an entry beyond its paths (Adj-RIB-Out), and let it go. */
void		 rib_entry_ref(struct rib_entry *);
void		 rib_entry_unref(struct rib *, struct rib_entry *);

/* Hand every queued entry to fn and empty the queue.  fn may call back
 * into the RIB (but entries it changes are queued for the next drain). */
void		 rib_drain(struct rib *,
		    void (*fn)(struct rib_entry *, void *), void *arg);
size_t		 rib_queued(const struct rib *);
/* The table version: one more for each change to an entry's Loc-RIB
 * result (best path, multipath set, or a selected path's attributes),
 * i.e. each time an entry is queued for export because of one; what
 * FRR shows as the BGP table version. */
uint64_t	 rib_version(const struct rib *);

/*
 * The decision process between two eligible-or-not paths of one entry:
 * < 0 when a is better, > 0 when b is, 0 when equal to the last step.
 * *step gets the deciding step.  rib_step_explain() writes why the loser
 * lost, as "AS_PATH length 4 > 1" or "MED 200 > 100".
 */
int		 rib_path_cmp(const struct rib *, const struct rib_path *a,
		    const struct rib_path *b, enum rib_step *step);
const char	*rib_step_name(enum rib_step);
void		 rib_step_explain(enum rib_step, const struct rib_path *loser,
		    const struct rib_path *winner, char *out, size_t len);

/* Counters. */
struct rib_stats {
	size_t		 entries[AID_MAX];
	size_t		 paths;
	size_t		 bytes;		/* pools: entries, paths, table */
	/* Hash table health, for tests and show commands: slots stepped
	 * past in lookups and deletions (the backward shift included),
	 * and table rebuilds (each one rehashes every entry). */
	uint64_t	 probes;
	uint64_t	 rebuilds;
};
void		 rib_stats(const struct rib *, struct rib_stats *);

#endif
