/*
 * track: the liveness engines (ICMP echo probes, probe.c; BFD sessions,
 * bfd.c) for any client, through callbacks it registers.
 *
 * A BGP neighbor (liveness.c) and a static route's next hop (sroute.c)
 * ask the same question, "does the tunnel to this address carry
 * traffic?", often about the same gateway.  A client names what it wants
 * tracked with a struct track_key and gets a reference; references with
 * equal keys share one probe or one BFD session (RFC 5880 allows only
 * one session per peer and interface anyway), and each hears every
 * verdict through its own callback.
 *
 * The verdicts: INIT until the first one (a probe that never had a
 * reply, a BFD session that never came Up: each client decides what that
 * means), then UP and DOWN, only on real transitions.  A BFD Down that
 * the peer signals with AdminDown is not a path failure (RFC 5882 3.2):
 * the state stays UP.
 *
 * A probe runs over the tunnel interface, the one named in the key or
 * the one with a connected prefix holding key.via; one that cannot start
 * yet (no such interface, address not configured) starts on a later
 * interface or address event, which track.c hears from the daemon's
 * interface table through kif_add_handler().
 */
#ifndef TB_TRACK_H
#define TB_TRACK_H

#include <net/if.h>
#include <stdint.h>

#include "addr.h"
#include "bfd.h"
#include "probe.h"

enum track_kind {
	TRACK_ICMP,
	TRACK_BFD
};

enum track_state {
	TRACK_INIT,	/* no verdict yet */
	TRACK_UP,
	TRACK_DOWN
};

struct track_key {
	enum track_kind	 kind;
	struct tb_addr	 dst;		/* probed / the BFD peer */
	struct tb_addr	 src;		/* af 0: the kernel chooses */
	struct tb_addr	 via;		/* its connected prefix tells the
					 * interface; af 0: dst */
	char		 ifname[IF_NAMESIZE];	/* "": found through via */
	struct probe_opts icmp;		/* TRACK_ICMP */
	struct bfd_opts	 bfd;		/* TRACK_BFD */
};

struct track_ref;
struct event_base;

/* After every verdict of the shared engine, with why in the engine's
 * words ("3 echo requests unanswered (300 ms)", "control detection time
 * expired").  The callback may free its own reference. */
typedef void	(*track_cb)(struct track_ref *, enum track_state,
		    const char *why, void *arg);

/* kif: the daemon's interface table (NULL: not followed). */
struct kif;
void		 track_init(struct event_base *, struct kif *);
/* Frees every engine left (BFD sessions send AdminDown). */
void		 track_shutdown(void);

/* A reference to the engine for key (started now or as soon as its
 * interface is known); NULL only for invalid options (EINVAL). */
struct track_ref *track_new(const struct track_key *, track_cb, void *arg);
void		 track_free(struct track_ref *);	/* NULL is fine */

enum track_state track_state(const struct track_ref *);
const char	*track_state_name(enum track_state);	/* "init", ... */
const char	*track_why(const struct track_ref *);	/* last verdict's */
/* Where it runs: the interface ("" not started yet), and why it could
 * not start (0: it did or has not tried). */
const char	*track_ifname(const struct track_ref *);
int		 track_errno(const struct track_ref *);
/* The engines themselves, for show (NULL while not running). */
const struct probe	*track_probe(const struct track_ref *);
const struct bfd_sess	*track_bfd(const struct track_ref *);
/* How many clients share the engine of ref. */
unsigned	 track_refs(const struct track_ref *);

/* Start whatever could not start before (also done on every interface
 * and address event). */
void		 track_sync(void);

#endif
