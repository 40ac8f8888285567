/*
 * session: the TCP side of BGP.  Listeners, active opens, socket options
 * (TCP MD5, GTSM, TTL, TOS), one bounded output buffer and one input
 * buffer per connection, the RFC 9687 send hold timer, and framing of the
 * input into messages handed to peer.c.  Nothing here knows the FSM.
 */
#ifndef TB_SESSION_H
#define TB_SESSION_H

#include <event2/event.h>

#include "bgpd.h"
#include "buf.h"
#include "msg.h"
#include "peer.h"

struct conn;

/* Output beyond this is refused: a peer that stops reading gets the send
 * hold timer, not our memory. */
#define SESSION_WBUF_MAX	(1024 * 1024)
#define SESSION_RBUF_MAX	(2 * BGP_EXT_MAX_LEN)
#define SESSION_LINGER		2	/* seconds to flush before close */

/* Test-only: connect to this port instead of 179 (env TBGPD_PEER_PORT). */
#define SESSION_PEER_PORT_ENV	"TBGPD_PEER_PORT"

int		 session_init(struct event_base *, uint16_t listen_port);
void		 session_shutdown(void);
/* Install (on) or remove (off) the peer's TCP MD5 key on the listeners. */
void		 session_listen_md5(const struct peer_config *, int on);

/* The port our connections go to (BGP_PORT unless the test env says). */
uint16_t	 session_peer_port(void);
struct conn	*session_connect(struct peer *);
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

/* Implemented by peer.c: what a connection tells its peer.  The msg and
 * error handlers return -1 when they closed the connection. */
struct peer	*peer_find_addr(const struct tb_addr *);
void		 peer_conn_incoming(struct peer *, struct conn *);
void		 peer_conn_up(struct peer *, struct conn *);
void		 peer_conn_fail(struct peer *, struct conn *, int err);
int		 peer_conn_msg(struct peer *, struct conn *, uint8_t type,
		    struct buf *body);
int		 peer_conn_hdr_err(struct peer *, struct conn *,
		    const struct bgp_notify *);
void		 peer_conn_sendhold(struct peer *, struct conn *);
/* The socket took some output: the RDE may send more. */
void		 peer_conn_drained(struct peer *, struct conn *);

/* peer.c life cycle, for tbgpd.c. */
uint32_t	 peer_router_id(const struct bgpd_config *);
void		 peer_init(struct bgpd_config *, struct event_base *,
		    uint32_t local_id);
/* ManualStop: Cease/Administrative Shutdown with an RFC 9003 message
 * (may be empty) to a running session; the peer stays Idle. */
void		 peer_stop(struct peer *, const char *msg);
void		 peer_shutdown_all(const char *msg);
/* SIGTERM with graceful restart: a neighbor in restart mode that offered
 * GR sees its session close without a NOTIFICATION (RFC 4724: it keeps
 * our routes), the others get Cease with msg. */
void		 peer_shutdown_graceful(const char *msg);
void		 peer_free_all(void);

/* Per-peer logging: "neighbor ADDR (descr): ..." (peer.c). */
void		 log_peer(const struct peer *, int level, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 log_peer_debug(const struct peer *, unsigned int cat,
		    const char *, ...) __attribute__((format(printf, 3, 4)));

#endif
