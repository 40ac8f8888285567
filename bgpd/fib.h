/*
 * fib: the kernel forwarding table as tbgpd wants it and as the kernel
 * has it (BIRD's krt.c school: generic sync apart from the netlink
 * codec in nl.c).
 *
 * Per prefix the engine keeps the wanted next-hop set (from the Loc-RIB)
 * and what it knows of the kernel: the set installed, the request in
 * flight, the last error.  Changes are queued, written in batches by
 * fib_flush_out() (many requests per buffer, one sequence number each)
 * and settled by fib_ack().  A change of next hops is one NLM_F_REPLACE,
 * never delete-then-add; a multipath set is one RTA_MULTIPATH route.
 *
 * Reconciliation: fib_input()/fib_kernel_route() take what the kernel
 * reports (a dump or an event).  A route of protocol 186 (BGP) or 196
 * (static) in our table that we do not want is deleted: at start this removes what a crashed
 * instance left behind (with fib retain, stale routes are kept until
 * fib_stale_sweep(), so forwarding survives a restart until the sessions
 * converge).  A wanted route the kernel lost (interface down, deleted by
 * hand) is queued again.  fib_resync_begin()/input/end: a full dump, after
 * which anything not seen is queued again (also how failed routes are
 * retried: once per resync, never in a loop).
 *
 * Sequence numbers and entries are the engine's; the socket functions at
 * the end are thin so that everything else is tested without a socket.
 */
#ifndef TB_FIB_H
#define TB_FIB_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"
#include "nl.h"
#include "nl_route.h"

#define FIB_MAXNH	NL_MAXNH

struct fib_opts {
	uint32_t	 table;		/* RT_TABLE_MAIN (254) by default */
	uint32_t	 metric;	/* RTA_PRIORITY, 0: none */
	int		 install;	/* 0: no fib install */
	int		 retain;	/* fib retain: keep routes at exit */
};

/* A next hop, its interface already resolved; gw af 0: a route through
 * the interface alone. */
struct fib_nh {
	struct tb_addr	 gw;
	uint32_t	 ifindex;
};

/* Route types, numbered as the kernel's RTN_*. */
#define FIB_RT_UNICAST		1
#define FIB_RT_BLACKHOLE	6	/* drop silently */
#define FIB_RT_UNREACHABLE	7	/* drop, ICMP unreachable ("reject") */
#define FIB_RT_PROHIBIT		8
/* Who installed a route (rtm_protocol): both are tbgpd's own. */
#define FIB_PROTO_BGP		NL_RTPROT_BGP
#define FIB_PROTO_STATIC	NL_RTPROT_STATIC

/*
 * One route as wanted: its protocol, its type and, for a unicast route,
 * its next hops (at least one; a blackhole or unreachable route has
 * none).
 */
struct fib_route {
	uint8_t		 proto;		/* FIB_PROTO_* */
	uint8_t		 type;		/* FIB_RT_* */
	size_t		 nnh;
	struct fib_nh	 nh[FIB_MAXNH];
};

/* What fib_walk() and fib_get() show of one prefix. */
struct fib_route_info {
	struct tb_prefix	 prefix;
	uint8_t			 proto, type;	/* wanted (0: nothing) */
	uint8_t			 kproto, ktype;	/* in the kernel */
	const struct fib_nh	*nh;	/* wanted, canonical order */
	size_t			 nnh;
	const struct fib_nh	*knh;	/* in the kernel as far as known */
	size_t			 nknh;
	int			 installed;	/* kernel has what we want */
	int			 pending;	/* request in flight */
	int			 queued;	/* request not yet written */
	int			 stale;		/* left by an earlier instance */
	int			 err;		/* last errno, 0 */
	const char		*errstr;	/* strerror(err) or "" */
	uint32_t		 fails;
};

#define FIB_ERRNO_SLOTS	136	/* Linux errnos end at 133 */

struct fib_stats {
	size_t		 routes;	/* prefixes tracked */
	size_t		 installed;
	size_t		 failed;	/* last request failed */
	size_t		 queued;
	size_t		 inflight;	/* requests without an ack */
	uint64_t	 requests;	/* written */
	uint64_t	 errors;	/* acks with an error */
	uint64_t	 repairs;	/* re-queued after a kernel loss */
	uint64_t	 foreign;	/* events of routes not ours (next hops
					 * may resolve over them) */
	size_t		 bytes;		/* memory held */
	/* Acks with an error by errno ([0]: any errno past the table). */
	uint64_t	 errnos[FIB_ERRNO_SLOTS];
};

struct fib;

struct fib	*fib_new(const struct fib_opts *);
void		 fib_free(struct fib *);
const struct fib_opts *fib_opts(const struct fib *);

/*
 * Want p routed over nh[0..n-1] (n == 0: removed).  The set is kept in
 * canonical order with duplicates dropped.  0, or -1 with errno EINVAL
 * (bad prefix, n > FIB_MAXNH) or ENOMEM.
 */
int		 fib_set(struct fib *, const struct tb_prefix *p,
		    const struct fib_nh *nh, size_t n);
/* The same for any protocol and type (r NULL, or a unicast route without
 * next hops: removed); fib_set() is the BGP unicast case. */
int		 fib_set_route(struct fib *, const struct tb_prefix *p,
		    const struct fib_route *r);
/* What is wanted for p now: 0 and *r filled, -1 when nothing is. */
int		 fib_wanted(struct fib *, const struct tb_prefix *p,
		    struct fib_route *r);
/*
 * Write queued requests into out while they fit below out->max; returns
 * the bytes written (0: nothing queued, or out is full).  Each request
 * is one netlink message with its own sequence number; the last one
 * carries NLM_F_ACK.
 */
size_t		 fib_flush_out(struct fib *, struct buf *out);
/*
 * The kernel answered request seq with err (a positive errno, 0: done).
 * Only the last request of a flush asks for an acknowledgement (failures
 * are always reported, in order), so an answer to seq also completes the
 * requests written before it that had no answer of their own.
 */
void		 fib_ack(struct fib *, uint32_t seq, int err);
/* Every request in flight lost its answer (ENOBUFS on the socket). */
void		 fib_acks_lost(struct fib *);
/* A route from a dump or an event (RTM_NEWROUTE / RTM_DELROUTE). */
void		 fib_kernel_route(struct fib *, const struct nl_route *);
/*
 * Full resync: begin writes a dump request into out and remembers its
 * sequence; fib_input() ends the resync at the dump's NLMSG_DONE (or
 * call fib_resync_end() directly when feeding routes by hand).
 */
int		 fib_resync_begin(struct fib *, struct buf *out);
void		 fib_resync_end(struct fib *);
int		 fib_resyncing(const struct fib *);
/*
 * Adoption.  fib_adopt() from start (before the first dump) until
 * fib_stale_sweep(): routes of ours the kernel has and nobody wants
 * (left by an earlier instance) stay, flagged stale; a fib_set() of the
 * same next hops adopts one without a request.  fib_stale_sweep() ends
 * adoption and deletes the stale routes nobody wanted since; returns
 * how many.  fib_stale_count(): stale routes held now.
 */
void		 fib_adopt(struct fib *);
size_t		 fib_stale_sweep(struct fib *);
size_t		 fib_stale_count(const struct fib *);
/* At exit, leave every route in the kernel (graceful restart) even
 * without fib retain. */
void		 fib_keep_on_exit(struct fib *);
/*
 * Static routes an earlier instance left (protocol 196) are kept, not
 * deleted, until the static routes have their first verdicts (sroute.c
 * says so through this), even past fib_stale_sweep(): a restart does not
 * delete-then-add a route whose next hop's probe has not answered yet.
 * Then those still not wanted go (unless fib retain or the adoption
 * keeps them for fib_stale_sweep()).
 */
void		 fib_static_settled(struct fib *);
/*
 * Clean shutdown: queue the deletion of everything installed (nothing
 * with retain) and write as much as fits; call again until it returns 0
 * (and read the acks in between).
 */
size_t		 fib_shutdown_requests(struct fib *, struct buf *out);
/* Parse one datagram from the kernel and feed the engine.  0, or -1 if
 * part of it was malformed (the rest is dropped, logged). */
int		 fib_input(struct fib *, const void *, size_t);

void		 fib_walk(struct fib *,
		    void (*fn)(const struct fib_route_info *, void *), void *);
int		 fib_get(struct fib *, const struct tb_prefix *,
		    struct fib_route_info *);	/* 0, or -1 if unknown */
/* Walks every entry (for show); fib_backlog() is the cheap question:
 * requests queued plus requests without an answer. */
void		 fib_stats(const struct fib *, struct fib_stats *);
size_t		 fib_backlog(const struct fib *);
uint64_t	 fib_foreign(const struct fib *);	/* st.foreign, cheaply */

#endif
