/*
 * peer: one configured neighbor at run time: its FSM state, its
 * connection, what was negotiated, counters and the last errors.  peer.c
 * drives the RFC 4271 FSM (fsm.c) with events from the connection
 * (session.c) and from timers; ctl.c only reads these structures.
 */
#ifndef TB_PEER_H
#define TB_PEER_H

#include <sys/queue.h>
#include <stdint.h>
#include <time.h>

#include "bgpd.h"
#include "buf.h"
#include "fsm.h"
#include "msg.h"

/* NOTIFICATION counters: codes 1-7 at their index (RFC 7313's 7 the
 * last), any other code at 0; subcodes 0-14 at theirs, any larger one
 * at 15 (shown as "other"). */
#define PEER_NOTIFY_CODES	8
#define PEER_NOTIFY_SUBS	16

struct peer_stats {
	uint64_t	msg_rcvd[BGP_ROUTE_REFRESH + 1];	/* by type */
	uint64_t	msg_sent[BGP_ROUTE_REFRESH + 1];
	uint64_t	msg_rcvd_total;
	uint64_t	msg_sent_total;
	uint64_t	prefixes_rcvd;	/* counted, not yet processed */
	uint32_t	established;	/* times Established was reached */
	uint32_t	dropped;	/* times it left Established */
	/* NOTIFICATIONs by code and subcode (peer_notify_slot()). */
	uint32_t	notify_sent[PEER_NOTIFY_CODES][PEER_NOTIFY_SUBS];
	uint32_t	notify_rcvd[PEER_NOTIFY_CODES][PEER_NOTIFY_SUBS];
};

struct event_base;
struct rde_peer;

struct peer {
	TAILQ_ENTRY(peer)	 entry;
	struct peer_config	*conf;
	struct bgpd_config	*bconf;
	enum fsm_state		 state;
	enum fsm_state		 prev_state;
	time_t			 state_since;	/* monotonic seconds */
	time_t			 up_since;	/* monotonic; valid if Established */

	/* Negotiated once the peer's OPEN is accepted. */
	uint16_t		 holdtime;
	uint16_t		 keepalive;
	uint32_t		 remote_id;	/* peer's BGP identifier */
	struct bgp_open		 open_sent;
	struct bgp_open		 open_rcvd;
	int			 as4;		/* both sides 4-octet AS */
	int			 ext_msg;	/* both sides RFC 8654 */
	unsigned		 af_negotiated;	/* AID_BIT()s */

	struct tb_addr		 local_addr;	/* of the current connection */
	int			 ifindex;	/* interface holding local_addr,
						 * 0: unknown (kif) */
	uint16_t		 local_port;
	uint16_t		 remote_port;

	struct peer_stats	 stats;
	struct bgp_notify	 last_sent;	/* code 0: none */
	time_t			 last_sent_at;
	struct bgp_notify	 last_rcvd;
	time_t			 last_rcvd_at;
	char			 last_error[256];	/* why it last went down */
	char			 last_down[256];	/* why it last left
							 * Established, "": never */
	time_t			 last_down_at;	/* monotonic */
	int			 gtsm_refused_ttl;	/* last logged, 0: none */

	/* Liveness (tbgpd(8) LIVENESS): the last time a mechanism closed
	 * the session, kept apart from last_error, which the failed
	 * reconnects that follow overwrite. */
	char			 live_reason[160];	/* "" if never */
	time_t			 live_at;	/* monotonic */
	uint32_t		 live_downs;	/* times it fired */
	int			 live_waiting;	/* fast reconnect in effect */
	int			 shell_down;	/* neighbor X shutdown from
						 * the shell, until no
						 * neighbor X shutdown */
	uint32_t		 live_ka_ms;	/* fast KEEPALIVE interval in
						 * use, 0: none */

	/* Graceful restart: set as the session leaves Established, for
	 * rde_peer_down(): the families (AID_BIT()s) whose paths a helper
	 * keeps stale (gr.c decides), and whether they rank below fresh
	 * paths (liveness failover). */
	unsigned		 gr_keep;
	int			 gr_low;

	struct rde_peer		*rde;		/* the RDE's side of it (rde.h) */
	void			*priv;		/* peer.c / session.c internals */
};
TAILQ_HEAD(peer_head, peer);

extern struct peer_head	 peers;

/* peer.c life cycle, for tbgpd.c.  peer_session_ops (peer_recv.c): what
 * the connections of session.c tell their peers, for session_init(). */
struct session_ops;
extern const struct session_ops peer_session_ops;
struct peer	*peer_find_addr(const struct tb_addr *);
uint32_t	 peer_router_id(const struct bgpd_config *);
/* kif: the interface table, for the interface of each connection's
 * local address (NULL: not known). */
struct kif;
void		 peer_init(struct bgpd_config *, struct event_base *,
		    uint32_t local_id, const struct kif *kif);
/* ManualStop: Cease/Administrative Shutdown with an RFC 9003 message
 * (may be empty) to a running session; the peer stays Idle. */
void		 peer_stop(struct peer *, const char *msg);
void		 peer_shutdown_all(const char *msg);
/* SIGTERM with graceful restart: a neighbor in restart mode that offered
 * GR sees its session close without a NOTIFICATION (RFC 4724: it keeps
 * our routes), the others get Cease with msg. */
void		 peer_shutdown_graceful(const char *msg);
void		 peer_free_all(void);
/* Where a NOTIFICATION's counter is in peer_stats.notify_*. */
void		 peer_notify_slot(uint8_t code, uint8_t subcode, unsigned *ci,
		    unsigned *si);

/* Per-peer logging: "neighbor ADDR (descr): ..." (peer.c). */
void		 log_peer(const struct peer *, int level, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 log_peer_debug(const struct peer *, unsigned int cat,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

/* For tunnel.c: the session's interface died (close at once, why is the
 * logged reason) or is usable again (start at once if waiting). */
void		 peer_link_down(struct peer *, const char *why);
void		 peer_link_up(struct peer *, const char *ifname);

/*
 * For the liveness mechanisms (TCP_USER_TIMEOUT here, probe.c, bfd.c):
 * the tunnel is dead.  The session closes at once with why as its
 * reason (logged, shown by show bgp neighbors), without a NOTIFICATION
 * (the path it would take is gone); routes go as for any session down,
 * and reconnecting is fast, fsm_live_retry(), since no link event will
 * say the tunnel is back.  Nothing happens to a peer shut down, stopped
 * or already down for liveness (the first reason stays).
 */
void		 peer_liveness_down(struct peer *, const char *why);
/* The mechanism sees the tunnel work again: if the session is down
 * because of liveness, connect now (an attempt in flight restarts). */
void		 peer_liveness_up(struct peer *);

/*
 * For reload.c.  peer_cease(): a ManualStop that sends Cease with the
 * subcode (RFC 4486: 3 Peer De-configured, 6 Other Configuration
 * Change), why is the logged reason; the peer stays Idle until
 * peer_restart().  peer_set_config(): the neighbor's settings are now
 * these (the listeners' MD5 keys follow).  peer_add() starts a new
 * neighbor; peer_remove() tells it Cease/3 and frees it (its liveness
 * must be gone first).  peer_live_tcp_update(): liveness tcp changed.
 */
void		 peer_cease(struct peer *, uint8_t subcode, const char *why);
void		 peer_set_config(struct peer *, struct bgpd_config *,
		    struct peer_config *);
void		 peer_set_local_id(uint32_t);
void		 peer_restart(struct peer *, int after_reset);
struct peer	*peer_add(struct bgpd_config *, struct peer_config *);
void		 peer_remove(struct peer *);
void		 peer_live_tcp_update(struct peer *);

#endif
