/*
 * peer_recv: what a connection tells its peer (the callbacks session.c
 * is given): a connection that comes in, completes, fails or reports a
 * bad header, and each received message type handed to its own handler
 * (OPEN with its checks and the connection collision of RFC 4271 6.8,
 * NOTIFICATION, KEEPALIVE, UPDATE to the RDE, ROUTE-REFRESH).  Each
 * ends in an FSM event of peer.c.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"
#include "hook.h"
#include "log.h"
#include "peer_int.h"
#include "rde.h"
#include "session.h"
#include "update.h"

/* --- callbacks from session.c --- */

/* Connect or Active: the incoming connection drives the FSM.  Our own
 * attempt, if any, has not completed; the peer may be doing the same and
 * dropping it could kill both, so it becomes the collision candidate
 * (6.8). */
static void
peer_adopt(struct peer *p, struct conn *c)
{
	struct peer_priv	*pp = PRIV(p);

	if (pp->conn != NULL) {
		if (pp->conn2 != NULL)
			session_close(pp->conn2);
		pp->conn2 = pp->conn;
	}
	pp->conn = c;
	peer_conn_record(p, c);
	peer_fsm(p, EV_TCP_CONFIRMED);
}

/* Idle: the backoff delays our own attempts only; a peer that connects
 * during it is taken, as AutomaticStart with passive TCP establishment
 * (8.1.1 event 5).  Administratively down peers are refused. */
static void
peer_idle_accept(struct peer *p, struct conn *c)
{
	if (p->conf->shutdown || PRIV(p)->stopped) {
		log_peer(p, TB_LOG_DEBUG, "connection refused: "
		    "administratively down");
		session_close(c);
		return;
	}
	evtimer_del(PRIV(p)->t_idlehold);
	peer_fsm(p, EV_AUTO_START_PASSIVE);
	peer_adopt(p, c);
}

static void
peer_conn_incoming(void *owner, struct conn *c)
{
	struct peer	*p = owner;

	switch (p->state) {
	case ST_IDLE:
		peer_idle_accept(p, c);
		break;
	case ST_CONNECT:
	case ST_ACTIVE:
		peer_adopt(p, c);
		break;
	case ST_OPENSENT:
	case ST_OPENCONFIRM:
		if (PRIV(p)->conn2 != NULL) {
			session_close(c);
			break;
		}
		/* RFC 4271 6.8: keep both until an OPEN tells. */
		PRIV(p)->conn2 = c;
		peer_send_open(p, c);
		break;
	default:
		/* 6.8: a collision with an Established session. */
		log_peer(p, TB_LOG_INFO, "connection collision while "
		    "Established, new connection closed");
		peer_collision_dump(p, c);
		break;
	}
}

static void
peer_conn_up(void *owner, struct conn *c)
{
	struct peer	*p = owner;

	if (c == PRIV(p)->conn2 && p->state != ST_ESTABLISHED) {
		/* Our attempt completed beside the peer's: OPEN on both. */
		peer_send_open(p, c);
		return;
	}
	if (c != PRIV(p)->conn) {
		if (c == PRIV(p)->conn2)
			PRIV(p)->conn2 = NULL;
		session_close(c);
		return;
	}
	peer_conn_record(p, c);
	peer_fsm(p, EV_TCP_CONFIRMED);
}

/* Our attempt failed.  A kernel timeout is the silent case too. */
static void
peer_conn_fail_connect(struct peer *p, int err)
{
	struct peer_priv	*pp = PRIV(p);

	if (pp->reason[0] != '\0')
		return;
	if (err == ETIMEDOUT)
		peer_connect_silent(p, pp->reason, sizeof(pp->reason));
	else
		peer_connect_reason(p, pp->reason, sizeof(pp->reason),
		    err ? strerror(err) : "connection closed");
}

static void
peer_conn_fail(void *owner, struct conn *c, int err)
{
	struct peer	*p = owner;
	char		 why[128];

	if (c == PRIV(p)->conn2) {
		PRIV(p)->conn2 = NULL;
		session_close(c);
		return;
	}
	if (c != PRIV(p)->conn) {
		session_close(c);
		return;
	}
	if (err == ETIMEDOUT && PRIV(p)->user_timeout != 0) {
		snprintf(why, sizeof(why), "liveness: TCP_USER_TIMEOUT %u ms: "
		    "no acknowledgement from the peer", PRIV(p)->user_timeout);
		peer_liveness_down(p, why);
		return;
	}
	if (p->state == ST_CONNECT)
		peer_conn_fail_connect(p, err);
	else if (err == 0 || err == ECONNRESET)
		/* A reset and a FIN say the same here: one reason, so a
		 * retry loop logs it once. */
		peer_reason(p, "connection closed by peer");
	else
		peer_reason(p, "%s", strerror(err));
	peer_fsm(p, EV_TCP_FAILS);
}

static void
peer_conn_sendhold(void *owner, struct conn *c)
{
	struct peer	*p = owner;

	if (c != PRIV(p)->conn) {
		peer_conn_fail(p, c, ETIMEDOUT);
		return;
	}
	/* The NOTIFICATION queued for it is the logged reason. */
	peer_fsm(p, EV_SENDHOLD_EXPIRES);
}

/* A connection is gone once it is neither of the peer's. */
static int
peer_conn_alive(const struct peer *p, const struct conn *c)
{
	return c == PRIV(p)->conn || c == PRIV(p)->conn2 ? 0 : -1;
}

/* A NOTIFICATION that ends the collision candidate, not the session: it
 * is logged by itself (once per reason) and leaves the session's reason
 * alone. */
static void
peer_notify_conn2(struct peer *p, struct conn *c, const struct bgp_notify *n)
{
	struct peer_priv	*pp = PRIV(p);
	char			 saved[sizeof(pp->reason)];

	strlcpy(saved, pp->reason, sizeof(saved));
	pp->reason[0] = '\0';
	peer_send_notify(p, c, n);
	log_peer(p, peer_seen(p, pp->reason) ? TB_LOG_DEBUG : TB_LOG_INFO,
	    "second connection: %s", pp->reason);
	strlcpy(pp->reason, saved, sizeof(pp->reason));
	pp->conn2 = NULL;
	session_close(c);
}

/* What the peer sent that broke the header rules (RFC 4271 6.1). */
static void
peer_hdr_detail(const struct bgp_notify *n, char *out, size_t len)
{
	out[0] = '\0';
	if (n->code != ERR_HEADER)
		return;
	if (n->subcode == ERR_HDR_SYNC)
		snprintf(out, len, "marker not all ones: not BGP, or out "
		    "of step");
	else if (n->subcode == ERR_HDR_LEN && n->datalen >= 2)
		snprintf(out, len, "peer sent length %u",
		    (unsigned)n->data[0] << 8 | n->data[1]);
	else if (n->subcode == ERR_HDR_TYPE && n->datalen >= 1)
		snprintf(out, len, "peer sent type %u", n->data[0]);
}

static int
peer_conn_hdr_err(void *owner, struct conn *c,
    const struct bgp_notify *err)
{
	struct peer	*p = owner;

	peer_hdr_detail(err, PRIV(p)->detail, sizeof(PRIV(p)->detail));
	if (c == PRIV(p)->conn2) {
		peer_notify_conn2(p, c, err);
		return -1;
	}
	peer_fsm_in(p, EV_HDR_ERR, &(struct peer_ev){ .notify = err,
	    .rr_aid = -1 });
	return -1;
}

/* --- received messages --- */

static void
peer_open_expect(const struct peer *p, struct open_expect *e)
{
	unsigned	 af = p->conf->af_active;

	memset(e, 0, sizeof(*e));
	e->peer_as = p->conf->remote_as;
	e->local_as = p->bconf->as;
	e->local_id = PRIV(p)->local_id;
	e->min_holdtime = p->bconf->min_holdtime;
	if (!p->conf->strict_caps)
		return;
	e->required_caps = CAPREQ_AS4 | CAPREQ_ROUTE_REFRESH;
	if (af & AID_BIT(AID_IPV4_UNICAST))
		e->required_caps |= CAPREQ_MP_IPV4;
	if (af & AID_BIT(AID_IPV6_UNICAST))
		e->required_caps |= CAPREQ_MP_IPV6;
}

/* What the peer offered against what we expect, for the log line of the
 * NOTIFICATION that refuses its OPEN (RFC 4271 6.2). */
static void
peer_open_detail(const struct bgp_open *o, const struct open_expect *e,
    const struct bgp_notify *err, char *out, size_t len)
{
	struct in_addr	 id = { htonl(o->bgp_id) };
	char		 ids[INET_ADDRSTRLEN];

	out[0] = '\0';
	if (err->code != ERR_OPEN)
		return;
	switch (err->subcode) {
	case ERR_OPEN_VERSION:
		snprintf(out, len, "peer speaks version %u, we speak %u",
		    o->version, BGP_VERSION);
		break;
	case ERR_OPEN_AS:
		if (e->peer_as != 0)
			snprintf(out, len, "peer says AS %u, expected %u",
			    msg_open_peer_as(o), e->peer_as);
		else
			snprintf(out, len, "peer says AS %u, expected any "
			    "but ours", msg_open_peer_as(o));
		break;
	case ERR_OPEN_BGPID:
		inet_ntop(AF_INET, &id, ids, sizeof(ids));
		snprintf(out, len, "peer identifier %s%s", ids,
		    o->bgp_id == e->local_id ? ", the same as ours" : "");
		break;
	case ERR_OPEN_HOLD:
		snprintf(out, len, "peer offers hold time %u, minimum %u",
		    o->holdtime, e->min_holdtime > 3 ? e->min_holdtime : 3);
		break;
	}
}

/* Parse and check an OPEN; on error *err holds the NOTIFICATION. */
static int
peer_open_read(struct peer *p, struct buf *body, struct bgp_open *o,
    struct bgp_notify *err)
{
	struct open_expect	 e;

	memset(err, 0, sizeof(*err));
	peer_open_expect(p, &e);
	if (msg_open_parse(body, o, err) == -1 ||
	    msg_open_check(o, &e, err) == -1) {
		peer_open_detail(o, &e, err, PRIV(p)->detail,
		    sizeof(PRIV(p)->detail));
		return -1;
	}
	return 0;
}

/* The second connection's OPEN arrived: RFC 4271 6.8 decides. */
static void
peer_collision(struct peer *p, struct conn *c2, const struct bgp_open *o)
{
	struct peer_priv	*pp = PRIV(p);
	enum fsm_conn_side	 keep;
	int			 c2_local = session_outgoing(c2);

	keep = fsm_collision_keep(pp->local_id, o->bgp_id, p->bconf->as,
	    msg_open_peer_as(o));
	pp->conn2 = NULL;
	/* 6.8: an Established session always survives. */
	if (p->state == ST_ESTABLISHED || p->state < ST_OPENSENT ||
	    (keep == FSM_CONN_LOCAL) != c2_local) {
		log_peer(p, TB_LOG_INFO, "connection collision: keeping the "
		    "%s connection", c2_local ? "incoming" : "outgoing");
		peer_collision_dump(p, c2);
		return;
	}
	log_peer(p, TB_LOG_INFO, "connection collision: keeping the %s "
	    "connection", c2_local ? "outgoing" : "incoming");
	peer_collision_dump(p, pp->conn);
	/* c2 already sent our OPEN and now has the peer's: it stands
	 * where the old connection stood in OpenSent. */
	pp->conn = c2;
	peer_conn_record(p, c2);
	p->state = ST_OPENSENT;
	p->open_rcvd = *o;
	peer_fsm(p, EV_OPEN);
}

/* The peer's identifier, read on the first connection, settles a
 * collision before the second connection's OPEN arrives.  Returns 1 when
 * the first connection lost and the second took its place. */
static int
peer_collision_early(struct peer *p, const struct bgp_open *o)
{
	struct peer_priv	*pp = PRIV(p);
	struct conn		*c2 = pp->conn2;
	enum fsm_conn_side	 keep;

	keep = fsm_collision_keep(pp->local_id, o->bgp_id, p->bconf->as,
	    msg_open_peer_as(o));
	pp->conn2 = NULL;
	if ((keep == FSM_CONN_LOCAL) != session_outgoing(c2) ||
	    session_connecting(c2)) {
		log_peer(p, TB_LOG_INFO, "connection collision: keeping the "
		    "%s connection", session_outgoing(c2) ? "incoming" :
		    "outgoing");
		if (session_connecting(c2))
			session_close(c2);
		else
			peer_collision_dump(p, c2);
		return 0;
	}
	log_peer(p, TB_LOG_INFO, "connection collision: keeping the %s "
	    "connection", session_outgoing(c2) ? "outgoing" : "incoming");
	peer_collision_dump(p, pp->conn);
	/* c2 carries our OPEN already and waits for the peer's. */
	pp->conn = c2;
	peer_conn_record(p, c2);
	peer_timer(pp->t_hold, 1000u * FSM_HOLD_LARGE);
	return 1;
}

static void
peer_recv_open2(struct peer *p, struct conn *c, struct buf *body)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;

	if (peer_open_read(p, body, &o, &err) == -1) {
		peer_notify_conn2(p, c, &err);
		return;
	}
	peer_collision(p, c, &o);
}

static void
peer_recv_open(struct peer *p, struct buf *body)
{
	struct bgp_notify	 err;
	struct bgp_open		 o;

	if (p->state != ST_OPENSENT) {
		peer_fsm(p, EV_OPEN);	/* an FSM error in this state */
		return;
	}
	if (peer_open_read(p, body, &o, &err) == -1) {
		peer_fsm_in(p, EV_OPEN_ERR, &(struct peer_ev){ .notify = &err,
		    .rr_aid = -1 });
		return;
	}
	p->open_rcvd = o;
	if (PRIV(p)->conn2 != NULL && peer_collision_early(p, &o) == 1)
		return;
	peer_fsm(p, EV_OPEN);
}

static void
peer_recv_notify(struct peer *p, struct buf *body)
{
	struct bgp_notify	 n;
	char			 s[512];
	unsigned		 ci, si;

	memset(&n, 0, sizeof(n));
	if (msg_notify_parse(body, &n) == -1)
		n.code = 0;
	peer_notify_slot(n.code, n.subcode, &ci, &si);
	p->stats.notify_rcvd[ci][si]++;
	p->last_rcvd = n;
	p->last_rcvd_at = peer_now();
	peer_notify_str(&n, s, sizeof(s));
	PRIV(p)->down_how = GR_DOWN_RCVD;
	PRIV(p)->down_notify = n;
	/* Logged once, as the reason the session went down. */
	peer_reason(p, "received NOTIFICATION %s", s);
	/* 8.2.2 event 24: a version error is not a failure to back off. */
	peer_fsm(p, n.code == ERR_OPEN && n.subcode == ERR_OPEN_VERSION ?
	    EV_NOTIF_VERERR : EV_NOTIF);
}

static void
peer_recv_rrefresh(struct peer *p, struct buf *body)
{
	struct bgp_notify	 err;
	enum aid		 aid;
	uint16_t		 afi;
	uint8_t			 safi, subtype;

	memset(&err, 0, sizeof(err));
	if (msg_rrefresh_parse(body, &afi, &safi, &subtype, &err) == -1) {
		/* RFC 7313 5: a bad length is 7/1; anything else ignored. */
		if (err.code == 0) {
			log_peer(p, TB_LOG_DEBUG, "ROUTE-REFRESH ignored");
			return;
		}
		peer_fsm_in(p, EV_HDR_ERR, &(struct peer_ev){ .notify = &err,
		    .rr_aid = -1 });
		return;
	}
	log_peer(p, TB_LOG_DEBUG, "ROUTE-REFRESH afi %u safi %u subtype %u",
	    afi, safi, subtype);
	/* RFC 7313 4: only a plain request asks for the table again. */
	peer_fsm_in(p, EV_RREFRESH, &(struct peer_ev){ .rr_aid = subtype == 0 &&
	    aid_from_afi(afi, safi, &aid) == 0 ? (int)aid : -1 });
}

/* Processed by FSM_A_PROCESS_UPDATE, where the table says so. */
static void
peer_recv_update(struct peer *p, struct buf *body)
{
	peer_fsm_in(p, EV_UPDATE, &(struct peer_ev){ .body = body,
	    .rr_aid = -1 });
}

static void
peer_conn_drained(void *owner, struct conn *c)
{
	struct peer	*p = owner;

	if (c == PRIV(p)->conn && p->state == ST_ESTABLISHED)
		rde_peer_writable(p->rde);
}

static int
peer_conn_msg(void *owner, struct conn *c, uint8_t type,
    struct buf *body)
{
	struct peer	*p = owner;

	hook_msg_in(p, type, buf_rptr(body), buf_left(body));
	if (type <= BGP_ROUTE_REFRESH)
		p->stats.msg_rcvd[type]++;
	p->stats.msg_rcvd_total++;
	if (c == PRIV(p)->conn2) {
		if (type == BGP_OPEN)
			peer_recv_open2(p, c, body);
		else {
			PRIV(p)->conn2 = NULL;
			session_close(c);
		}
		return peer_conn_alive(p, c);
	}
	switch (type) {
	case BGP_OPEN:
		peer_recv_open(p, body);
		break;
	case BGP_UPDATE:
		peer_recv_update(p, body);
		break;
	case BGP_NOTIFICATION:
		peer_recv_notify(p, body);
		break;
	case BGP_KEEPALIVE:
		peer_fsm(p, EV_KEEPALIVE);
		break;
	case BGP_ROUTE_REFRESH:
		peer_recv_rrefresh(p, body);
		break;
	}
	return peer_conn_alive(p, c);
}

/* The listener's question: the neighbor at remote. */
static int
peer_conn_find(const struct tb_addr *remote, struct session_peer *sp)
{
	struct peer	*p;

	if ((p = peer_find_addr(remote)) == NULL)
		return -1;
	sp->owner = p;
	sp->conf = p->conf;
	sp->gtsm_refused_ttl = &p->gtsm_refused_ttl;
	return 0;
}

const struct session_ops peer_session_ops = {
	.find = peer_conn_find,
	.incoming = peer_conn_incoming,
	.up = peer_conn_up,
	.fail = peer_conn_fail,
	.msg = peer_conn_msg,
	.hdr_err = peer_conn_hdr_err,
	.sendhold = peer_conn_sendhold,
	.drained = peer_conn_drained,
};
