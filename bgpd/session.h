/*
 * session: the TCP side of BGP.  Listeners, active opens, socket options
 * (TCP MD5, GTSM, TTL, TOS), one bounded output buffer and one input
 * buffer per connection, the RFC 9687 send hold timer, and framing of the
 * input into messages handed to the connection's owner through struct
 * session_ops.  Nothing here knows the FSM or a peer.
 */
#ifndef TB_SESSION_H
#define TB_SESSION_H

#include <event2/event.h>

#include "bgpd.h"
#include "buf.h"
#include "msg.h"

struct conn;

/* Output beyond this is refused: a peer that stops reading gets the send
 * hold timer, not our memory. */
#define SESSION_WBUF_MAX	(1024 * 1024)
#define SESSION_RBUF_MAX	(2 * BGP_EXT_MAX_LEN)
#define SESSION_LINGER		2	/* seconds to flush before close */

/* Test-only: connect to this port instead of 179 (env TBGPD_PEER_PORT). */
#define SESSION_PEER_PORT_ENV	"TBGPD_PEER_PORT"

struct peer_config;

/* A configured neighbor as the listener finds it: its owner (a struct
 * peer for peer_recv.c), its settings (socket options, GTSM) and where
 * the TTL of its last refused connection is remembered (logged once per
 * change). */
struct session_peer {
	void			*owner;
	const struct peer_config *conf;
	int			*gtsm_refused_ttl;
};

/*
 * What a connection tells its owner, from the event loop (peer_recv.c
 * registers them at session_init()).  find: the neighbor at remote, 0,
 * or -1 when it is none (the connection is refused).  The msg and
 * hdr_err handlers return -1 when they closed the connection.  drained:
 * the socket took some output, more may be sent.
 */
struct session_ops {
	int	(*find)(const struct tb_addr *remote, struct session_peer *);
	void	(*incoming)(void *owner, struct conn *);
	void	(*up)(void *owner, struct conn *);
	void	(*fail)(void *owner, struct conn *, int err);
	int	(*msg)(void *owner, struct conn *, uint8_t type,
		    struct buf *body);
	int	(*hdr_err)(void *owner, struct conn *,
		    const struct bgp_notify *);
	void	(*sendhold)(void *owner, struct conn *);
	void	(*drained)(void *owner, struct conn *);
};

int		 session_init(struct event_base *, uint16_t listen_port,
		    const struct session_ops *);
void		 session_shutdown(void);
/* Install (on) or remove (off) the peer's TCP MD5 key on the listeners. */
void		 session_listen_md5(const struct peer_config *, int on);

/* The port our connections go to (BGP_PORT unless the test env says). */
uint16_t	 session_peer_port(void);
/* A connection to the neighbor pc, told to owner as it goes. */
struct conn	*session_connect(void *owner, const struct peer_config *pc);
int		 session_send(struct conn *, const struct buf *);
size_t		 session_queued(const struct conn *);	/* output bytes */
/* Best effort to push pending output, then close and free. */
void		 session_close(struct conn *);
/* Try to drain every connection's output for at most ms milliseconds. */
void		 session_flush_all(int ms);
void		 session_set_ext_msg(struct conn *, int);
void		 session_set_sendhold(struct conn *, uint32_t seconds);
/* TCP_USER_TIMEOUT (RFC 5482): data unacknowledged for ms kills the
 * connection, reported as peer_conn_fail(ETIMEDOUT); 0 = kernel default. */
int		 session_set_user_timeout(struct conn *, uint32_t ms);
int		 session_outgoing(const struct conn *);
int		 session_connecting(const struct conn *);
void		 session_addrs(const struct conn *, struct tb_addr *local,
		    uint16_t *lport, uint16_t *rport);

#endif
