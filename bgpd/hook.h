/*
 * hook: the observers' list.  Modules that watch the daemon without
 * steering it (the Prometheus endpoint, BMP, MRT dumps) sit on top of
 * everything; the layers where events happen (peer.c for sessions and
 * messages, rde.c for routes) tell them through the hook_*() notifiers
 * below, which hand each event to every struct hook_ops registered.  A
 * lower layer never calls an observer by name, and an observer must not
 * change what it is told about (it may read, and keep references).
 *
 * Any member of hook_ops may be NULL.  Notifiers cost one test when no
 * observer wants that kind of event.
 */
#ifndef TB_HOOK_H
#define TB_HOOK_H

#include <stdint.h>

#include "addr.h"
#include "bgpd.h"
#include "buf.h"
#include "fsm.h"
#include "msg.h"

struct attr;
struct peer;

/* A session changed state: from, to, and when it left Established (or
 * failed), how. */
struct hook_peer_event {
	enum fsm_state		 from;
	enum fsm_state		 to;
	enum fsm_event		 event;		/* what made the step */
	const struct bgp_notify	*sent;		/* NOTIFICATION we sent in
						 * this step, or NULL */
	const struct bgp_notify	*rcvd;		/* ... received, or NULL */
	int			 local;		/* closed on our side
						 * without a NOTIFICATION */
	const char		*reason;	/* the logged reason, or "" */
};

struct hook_ops {
	void	(*peer_state)(void *arg, struct peer *,
		    const struct hook_peer_event *);
	/* A whole message received from the peer, before it is acted
	 * upon: its type and body (the header is not passed: it is the
	 * marker, 19 + the body length, and the type). */
	void	(*msg_in)(void *arg, struct peer *, uint8_t type,
		    const uint8_t *body, size_t len);
	/* One prefix of an UPDATE (or of a soft reconfiguration): pre is
	 * the attribute set as received (NULL: withdrawn), post after
	 * inbound policy (NULL: withdrawn or denied).  route_end follows
	 * the last prefix of the message. */
	void	(*route_in)(void *arg, struct peer *, enum aid,
		    const struct tb_prefix *, struct attr *pre,
		    struct attr *post);
	void	(*route_end)(void *arg, struct peer *);
};

#define HOOK_MAX	8

void	hook_register(const struct hook_ops *, void *arg);
void	hook_unregister(const struct hook_ops *, void *arg);

/* Notifiers, for the layers below. */
void	hook_peer_state(struct peer *, const struct hook_peer_event *);
void	hook_msg_in(struct peer *, uint8_t type, const uint8_t *, size_t);
void	hook_route_in(struct peer *, enum aid, const struct tb_prefix *,
	    struct attr *pre, struct attr *post);
void	hook_route_end(struct peer *);
/* Does any observer want routes?  (rde.c keeps no scratch work then.) */
int	hook_routes_wanted(void);

#endif
