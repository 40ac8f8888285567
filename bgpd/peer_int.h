/*
 * peer_int.h: what peer.c (the FSM's actions, timers, sending, life
 * cycle) shares with peer_recv.c (what connections and messages tell a
 * peer) and nothing else includes.
 */
#ifndef TB_PEER_INT_H
#define TB_PEER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gr.h"
#include "buf.h"
#include "fsm.h"
#include "msg.h"
#include "peer.h"

struct conn;
struct event;
struct event_base;

/* Distinct down reasons remembered between two Established states: a
 * peer that alternately refuses, answers with a bad AS and closes logs
 * each reason once, not once per attempt. */
#define PEER_SEEN_MAX	8

/* What only peer.c and peer_recv.c see of a peer. */
struct peer_priv {
	struct event_base	*base;
	uint32_t		 local_id;
	struct conn		*conn;		/* the one the FSM drives */
	struct conn		*conn2;		/* collision candidate */
	struct event		*t_connretry;
	struct event		*t_hold;
	struct event		*t_keepalive;
	struct event		*t_idlehold;
	struct event		*t_connfail;	/* connect() failed at once */
	int			 connect_errno;
	unsigned		 failures;	/* consecutive, for IdleHold */
	char			 stop_msg[SHUTDOWN_MSG_MAX + 1];
	int			 stopped;	/* ManualStop: no restart */
	char			 reason[256];	/* why this step goes down */
	/* What makes the next NOTIFICATION we send actionable, e.g. the
	 * AS the peer claimed; consumed by peer_send_notify. */
	char			 detail[128];
	time_t			 connect_at;	/* our attempt began */
	/* Reasons logged since the session was last Established (or the
	 * peer started): a ring of string hashes. */
	uint32_t		 seen[PEER_SEEN_MAX];
	unsigned		 nseen;
	/* Closed by tunnel.c for a dead link: reconnect when it is back. */
	int			 link_waiting;
	/* TCP_USER_TIMEOUT armed on conn (ms, 0: not armed). */
	uint32_t		 user_timeout;
	/* Closed by a liveness mechanism at live_since (monotonic). */
	time_t			 live_since;
	/* maximum-prefix tripped: restart after minutes, 0 = stay down */
	int			 max_prefix_down;
	unsigned		 max_prefix_restart;
	/* The Cease subcode a stop sends instead of Administrative
	 * Shutdown (reload: RFC 4486 3 and 6), 0: none. */
	uint8_t			 cease;
	/* How this step ends the session, for graceful restart: cleared
	 * with the reason after every step. */
	enum gr_down		 down_how;
	struct bgp_notify	 down_notify;
	int			 silent;	/* graceful stop: no NOTIFICATION */
};

#define PRIV(p)		((struct peer_priv *)(p)->priv)

time_t	 peer_now(void);			/* monotonic seconds */
void	 peer_timer(struct event *, uint32_t ms);
/*
 * What an event carries to the actions the FSM table names: the
 * NOTIFICATION FSM_A_SEND_NOTIFY_MSG sends (a header, OPEN or UPDATE
 * error found by the codec or the RDE), the UPDATE FSM_A_PROCESS_UPDATE
 * hands to the RDE, the family FSM_A_PROCESS_RREFRESH sends again (-1:
 * none).  What an action needs and is not given is a bug (fatalx).
 */
struct peer_ev {
	const struct bgp_notify	*notify;
	struct buf		*body;
	int			 rr_aid;
};

/* Run the FSM for one event: the actions the table names up to the state
 * change, the new state, then the actions that follow it. */
void	 peer_fsm_in(struct peer *, enum fsm_event, const struct peer_ev *);
void	 peer_fsm(struct peer *, enum fsm_event);	/* carries nothing */
/* Why the peer goes down in this step (the first reason wins). */
void	 peer_reason(struct peer *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Was this reason logged since the session was last up (remembered if
 * not)? */
int	 peer_seen(struct peer *, const char *why);
void	 peer_log_reason(struct peer *, const char *why, enum fsm_state from);
void	 peer_send(struct peer *, struct conn *, struct buf *, uint8_t type);
void	 peer_send_open(struct peer *, struct conn *);
void	 peer_send_notify(struct peer *, struct conn *,
	    const struct bgp_notify *);
const char *peer_notify_str(const struct bgp_notify *, char *, size_t);
/* The connection's addresses and interface become the session's. */
void	 peer_conn_record(struct peer *, struct conn *);
/* Cease/7 on a connection that lost the collision, then close it. */
void	 peer_collision_dump(struct peer *, struct conn *);
/* "connect to ADDR port 179: what"; the same for no answer at all. */
void	 peer_connect_reason(struct peer *, char *, size_t, const char *what);
void	 peer_connect_silent(struct peer *, char *, size_t);

#endif
