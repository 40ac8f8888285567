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
#include "msg.h"

enum fsm_state {
	ST_IDLE = 0,
	ST_CONNECT,
	ST_ACTIVE,
	ST_OPENSENT,
	ST_OPENCONFIRM,
	ST_ESTABLISHED,
	ST_MAX
};

struct peer_stats {
	uint64_t	msg_rcvd[BGP_ROUTE_REFRESH + 1];	/* by type */
	uint64_t	msg_sent[BGP_ROUTE_REFRESH + 1];
	uint64_t	msg_rcvd_total;
	uint64_t	msg_sent_total;
	uint64_t	prefixes_rcvd;	/* counted, not yet processed */
	uint32_t	established;	/* times Established was reached */
	uint32_t	dropped;	/* times it left Established */
};

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
						 * 0: unknown (tunnel.c) */
	uint16_t		 local_port;
	uint16_t		 remote_port;

	struct peer_stats	 stats;
	struct bgp_notify	 last_sent;	/* code 0: none */
	time_t			 last_sent_at;
	struct bgp_notify	 last_rcvd;
	time_t			 last_rcvd_at;
	char			 last_error[256];	/* why it last went down */
	int			 gtsm_refused_ttl;	/* last logged, 0: none */

	struct rde_peer		*rde;		/* rde.c: routes of this session */
	void			*priv;		/* peer.c / session.c internals */
};
TAILQ_HEAD(peer_head, peer);

extern struct peer_head	 peers;

const char	*fsm_state_name(enum fsm_state);

/* For rde.c: the Established session's output. */
int		 peer_output(struct peer *, const struct buf *, size_t nmsgs);
size_t		 peer_output_queued(const struct peer *);
void		 peer_send_rrefresh(struct peer *, int aid);
/* maximum-prefix tripped: after the NOTIFICATION the peer stays down for
 * minutes (0: until cleared by the operator). */
void		 peer_max_prefix_down(struct peer *, unsigned minutes);

/* For tunnel.c: the session's interface died (close at once, why is the
 * logged reason) or is usable again (start at once if waiting). */
void		 peer_link_down(struct peer *, const char *why);
void		 peer_link_up(struct peer *, const char *ifname);

#endif
