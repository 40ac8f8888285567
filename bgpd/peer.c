/*
 * peer: the glue between the FSM (fsm.c), the connections (session.c) and
 * the codec (msg.c).  One struct peer per configured neighbor; this file
 * runs its timers, executes the FSM's actions, builds and sends messages,
 * takes link and liveness events, and keeps the counters and last errors
 * ctl.c shows.  What connections and received messages tell a peer
 * (OPEN checks, collisions of RFC 4271 6.8) is peer_recv.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "conf.h"
#include "fsm.h"
#include "gr.h"
#include "hook.h"
#include "log.h"
#include "peer_int.h"
#include "rde.h"
#include "session.h"
#include "kif.h"
#include "update.h"

struct peer_head	 peers = TAILQ_HEAD_INITIALIZER(peers);

/* For peers a reload adds. */
static struct event_base	*peer_base;
static uint32_t			 peer_local_id;
static const struct kif		*peer_kif;	/* NULL: not followed */

time_t
peer_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void
log_peer(const struct peer *p, int level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer(p->conf, level, fmt, ap);
	va_end(ap);
}

/* A debug line of a category (debug bgp neighbor-events, updates). */
void
log_peer_debug(const struct peer *p, unsigned int cat, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer_debug(p->conf, cat, fmt, ap);
	va_end(ap);
}

void
peer_notify_slot(uint8_t code, uint8_t subcode, unsigned *ci, unsigned *si)
{
	*ci = code < PEER_NOTIFY_CODES ? code : 0;
	*si = subcode < PEER_NOTIFY_SUBS - 1 ? subcode : PEER_NOTIFY_SUBS - 1;
}

/* Remember why the peer goes down in this step (first reason wins). */
void
peer_reason(struct peer *p, const char *fmt, ...)
{
	va_list	 ap;

	if (PRIV(p)->reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(PRIV(p)->reason, sizeof(PRIV(p)->reason), fmt, ap);
	va_end(ap);
}

/* FNV-1a: two reasons with the same hash are taken as the same one. */
static uint32_t
peer_reason_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static void
peer_seen_clear(struct peer *p)
{
	PRIV(p)->nseen = 0;
}

/* Was this reason logged since the session was last up?  Remembers it
 * if not; the oldest is forgotten when the ring is full. */
int
peer_seen(struct peer *p, const char *why)
{
	struct peer_priv	*pp = PRIV(p);
	uint32_t		 h = peer_reason_hash(why);
	unsigned		 i, n;

	n = pp->nseen < PEER_SEEN_MAX ? pp->nseen : PEER_SEEN_MAX;
	for (i = 0; i < n; i++)
		if (pp->seen[i] == h)
			return 1;
	pp->seen[pp->nseen++ % PEER_SEEN_MAX] = h;
	if (pp->nseen >= 2 * PEER_SEEN_MAX)
		pp->nseen -= PEER_SEEN_MAX;
	return 0;
}

/* A reason the peer is not up: at info the first time it is seen, at
 * debug when it repeats (every retry would say the same). */
void
peer_log_reason(struct peer *p, const char *why, enum fsm_state from)
{
	if (!peer_seen(p, why))
		log_peer(p, TB_LOG_INFO, "%s", why);
	else
		log_peer(p, TB_LOG_DEBUG, "%s (again, in %s)", why,
		    fsm_state_name(from));
	strlcpy(p->last_error, why, sizeof(p->last_error));
}

struct peer *
peer_find_addr(const struct tb_addr *a)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (addr_cmp(&p->conf->remote, a) == 0)
			return p;
	return NULL;
}

void
peer_timer(struct event *ev, uint32_t ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(ev, &tv);
}

/* --- sending --- */

void
peer_send(struct peer *p, struct conn *c, struct buf *b, uint8_t type)
{
	if (buf_error(b)) {
		log_peer(p, TB_LOG_ERR, "cannot build %s message",
		    msg_type_name(type));
		return;
	}
	if (session_send(c, b) == -1) {
		/* A dead socket is reported by the read side, once, as the
		 * reason the session went down. */
		log_peer(p, errno == ENOBUFS ? TB_LOG_WARNING : TB_LOG_DEBUG,
		    "cannot send %s: %s", msg_type_name(type),
		    strerror(errno));
		return;
	}
	p->stats.msg_sent[type]++;
	p->stats.msg_sent_total++;
}

static void
peer_build_open(struct peer *p, struct bgp_open *o)
{
	uint16_t	 ka, hold;
	uint32_t	 as = p->bconf->as;

	conf_peer_timers(p->bconf, p->conf, &ka, &hold);
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = as > 65535 ? AS_TRANS : (uint16_t)as;
	o->holdtime = hold;
	o->bgp_id = PRIV(p)->local_id;
	o->caps.mp = p->conf->af_active;
	o->caps.as4 = 1;
	o->caps.as4_asn = as;
	o->caps.route_refresh = 1;
	o->caps.enhanced_rr = 1;
	o->caps.ext_msg = 1;
	gr_caps(p->bconf, p->conf, p->conf->af_active, &o->caps);
}

void
peer_send_open(struct peer *p, struct conn *c)
{
	struct buf	 b;

	peer_build_open(p, &p->open_sent);
	buf_init(&b, 128, BGP_MAX_LEN);
	msg_open_build(&b, &p->open_sent);
	peer_send(p, c, &b, BGP_OPEN);
	buf_free(&b);
}

static void
peer_send_keepalive(struct peer *p)
{
	struct buf	 b;

	buf_init(&b, BGP_KEEPALIVE_LEN, BGP_KEEPALIVE_LEN);
	msg_keepalive_build(&b);
	peer_send(p, PRIV(p)->conn, &b, BGP_KEEPALIVE);
	buf_free(&b);
}

/* "2/2 OPEN Message Error/Bad Peer AS": numbers to compare with the
 * peer's logs, names to read. */
const char *
peer_notify_str(const struct bgp_notify *n, char *out, size_t len)
{
	int	 k;

	k = snprintf(out, len, "%u/%u ", n->code, n->subcode);
	if (k > 0 && (size_t)k < len)
		msg_notify_str(n, out + k, len - (size_t)k);
	return out;
}

/* The NOTIFICATION is the reason this step goes down, unless one was
 * given already (an administrative stop): then it is logged by itself. */
void
peer_send_notify(struct peer *p, struct conn *c, const struct bgp_notify *n)
{
	struct peer_priv	*pp = PRIV(p);
	struct buf		 b;
	char			 s[512];
	unsigned		 ci, si;

	buf_init(&b, 64, BGP_MAX_LEN);
	msg_notify_build(&b, n);
	peer_send(p, c, &b, BGP_NOTIFICATION);
	buf_free(&b);
	peer_notify_slot(n->code, n->subcode, &ci, &si);
	p->stats.notify_sent[ci][si]++;
	if (c == pp->conn) {
		pp->down_how = GR_DOWN_SENT;
		pp->down_notify = *n;
	}
	p->last_sent = *n;
	p->last_sent_at = peer_now();
	peer_notify_str(n, s, sizeof(s));
	if (pp->reason[0] != '\0')
		log_peer(p, TB_LOG_INFO, "sent NOTIFICATION %s", s);
	else if (pp->detail[0] != '\0')
		peer_reason(p, "sent NOTIFICATION %s (%s)", s, pp->detail);
	else
		peer_reason(p, "sent NOTIFICATION %s", s);
	pp->detail[0] = '\0';
}

/* --- connections --- */

static void
peer_close_conns(struct peer *p)
{
	if (PRIV(p)->conn != NULL)
		session_close(PRIV(p)->conn);
	if (PRIV(p)->conn2 != NULL)
		session_close(PRIV(p)->conn2);
	PRIV(p)->conn = PRIV(p)->conn2 = NULL;
	PRIV(p)->user_timeout = 0;
	p->live_ka_ms = 0;
}

static void
peer_connect(struct peer *p)
{
	if (p->conf->passive)
		return;
	PRIV(p)->connect_at = peer_now();
	if ((PRIV(p)->conn = session_connect(p, p->conf)) == NULL) {
		/* TcpConnectionFails, delivered from the loop so this FSM
		 * step finishes first. */
		PRIV(p)->connect_errno = errno;
		peer_timer(PRIV(p)->t_connfail, 0);
		return;
	}
	log_peer(p, TB_LOG_DEBUG, "connecting");
}

void
peer_conn_record(struct peer *p, struct conn *c)
{
	session_addrs(c, &p->local_addr, &p->local_port, &p->remote_port);
	p->ifindex = peer_kif != NULL && p->local_addr.af != 0 ?
	    kif_addr_ifindex(peer_kif, &p->local_addr) : 0;
}

/* Cease/7 on a connection that lost the collision, then close it. */
void
peer_collision_dump(struct peer *p, struct conn *c)
{
	struct bgp_notify	 n;

	notify_set(&n, ERR_CEASE, ERR_CEASE_COLLISION, NULL, 0);
	peer_send_notify(p, c, &n);
	PRIV(p)->reason[0] = '\0';	/* the peer itself is not down */
	session_close(c);
}

/* --- timers and negotiation --- */

static void
peer_stop_timers(struct peer *p)
{
	evtimer_del(PRIV(p)->t_connretry);
	evtimer_del(PRIV(p)->t_hold);
	evtimer_del(PRIV(p)->t_keepalive);
}

/* Seconds the liveness rule caps retries at now, 0: the usual rules. */
static uint32_t
peer_live_cap(struct peer *p)
{
	uint32_t	 cap;

	if (!p->live_waiting)
		return 0;
	cap = fsm_live_retry(p->conf->connect_retry,
	    peer_now() - PRIV(p)->live_since);
	if (cap == 0) {
		log_peer(p, TB_LOG_INFO, "liveness: no session for %d s, "
		    "back to the usual reconnect backoff", FSM_LIVE_FAST_FOR);
		p->live_waiting = 0;
	}
	return cap;
}

static void
peer_start_connretry(struct peer *p)
{
	uint16_t	 cr = p->conf->connect_retry;
	uint32_t	 live = peer_live_cap(p);

	if (p->conf->passive)
		return;
	peer_timer(PRIV(p)->t_connretry,
	    1000u * (live ? live : cr ? cr : DEFAULT_CONNECTRETRY));
}

static void
peer_backoff(struct peer *p)
{
	struct peer_priv	*pp = PRIV(p);
	uint32_t		 base, ms;

	if (p->conf->shutdown || pp->stopped)
		return;
	if (pp->max_prefix_down) {
		/* RFC 4486: no automatic restart unless configured. */
		pp->max_prefix_down = 0;
		if (pp->max_prefix_restart == 0) {
			pp->stopped = 1;
			return;
		}
		log_peer(p, TB_LOG_INFO, "restart in %u minutes "
		    "(maximum-prefix restart)", pp->max_prefix_restart);
		peer_timer(pp->t_idlehold, 60000u * pp->max_prefix_restart);
		return;
	}
	pp->failures++;
	if ((base = peer_live_cap(p)) == 0)
		base = fsm_idlehold_cap(p->conf->connect_retry);
	base = fsm_idlehold_base(pp->failures, base);
	ms = fsm_jitter_ms(base, arc4random());
	log_peer(p, TB_LOG_DEBUG, "restart in %u.%03u s (failure %u)",
	    ms / 1000, ms % 1000, pp->failures);
	peer_timer(pp->t_idlehold, ms);
}

static void
peer_negotiate(struct peer *p)
{
	const struct bgp_open	*s = &p->open_sent, *r = &p->open_rcvd;
	uint16_t		 ka, hold;

	conf_peer_timers(p->bconf, p->conf, &ka, &hold);
	p->holdtime = fsm_hold_negotiate(s->holdtime, r->holdtime);
	p->keepalive = fsm_keepalive(ka, p->holdtime);
	p->remote_id = r->bgp_id;
	p->as4 = s->caps.as4 && r->caps.as4;
	p->ext_msg = s->caps.ext_msg && r->caps.ext_msg;
	/* RFC 4760 8: no MP capability at all means IPv4 unicast. */
	p->af_negotiated = (s->caps.mp ? s->caps.mp :
	    AID_BIT(AID_IPV4_UNICAST)) & (r->caps.mp ? r->caps.mp :
	    AID_BIT(AID_IPV4_UNICAST));
	session_set_ext_msg(PRIV(p)->conn, p->ext_msg);
	session_set_sendhold(PRIV(p)->conn, fsm_sendhold(p->holdtime));
}

static void
peer_restart_hold(struct peer *p)
{
	if (p->holdtime == 0)
		evtimer_del(PRIV(p)->t_hold);
	else
		peer_timer(PRIV(p)->t_hold, 1000u * p->holdtime);
}

/* Established with liveness tcp: the fast interval, never slower than
 * the negotiated one; RFC 4271 4.4 forbids any with a hold time of 0. */
static void
peer_start_keepalive(struct peer *p)
{
	if (p->keepalive == 0)
		return;
	if (p->state == ST_ESTABLISHED && p->live_ka_ms != 0)
		peer_timer(PRIV(p)->t_keepalive, p->live_ka_ms);
	else
		peer_timer(PRIV(p)->t_keepalive, 1000u * p->keepalive);
}

/*
 * liveness tcp: once Established, KEEPALIVEs every live_tcp_keepalive ms
 * whatever the negotiated timers, and TCP_USER_TIMEOUT so that one left
 * unacknowledged for live_tcp_timeout ms kills the connection (the
 * gateway's TCP stack acknowledges them however slow its BGP timers
 * are).  TCP keepalive probes (SO_KEEPALIVE) are not used: they only run
 * on an idle connection, and one with a KEEPALIVE every second never is.
 */
static void
peer_live_tcp_arm(struct peer *p)
{
	struct peer_config	*pc = p->conf;
	uint32_t		 ka = pc->live_tcp_keepalive;

	if (pc->live_tcp_timeout == 0 || PRIV(p)->conn == NULL)
		return;
	if (p->keepalive == 0) {
		log_peer(p, TB_LOG_WARNING, "liveness tcp: hold time 0 "
		    "negotiated, no KEEPALIVEs may be sent (RFC 4271 4.4): "
		    "liveness tcp is idle on this session");
		return;
	}
	if (session_set_user_timeout(PRIV(p)->conn, pc->live_tcp_timeout)
	    == -1) {
		log_peer(p, TB_LOG_WARNING, "liveness tcp: TCP_USER_TIMEOUT: "
		    "%s", strerror(errno));
		return;
	}
	PRIV(p)->user_timeout = pc->live_tcp_timeout;
	p->live_ka_ms = ka < 1000u * p->keepalive ? ka : 1000u * p->keepalive;
	peer_timer(PRIV(p)->t_keepalive, p->live_ka_ms);
	log_peer(p, TB_LOG_DEBUG, "liveness tcp: KEEPALIVE every %u ms, "
	    "TCP_USER_TIMEOUT %u ms", p->live_ka_ms, pc->live_tcp_timeout);
}

/* --- state changes --- */

/* Leaving Established is always logged; a failed attempt only when its
 * reason is new since the session was last up. */
static void
peer_went_down(struct peer *p, enum fsm_state from)
{
	struct peer_priv	*pp = PRIV(p);
	const char		*why = pp->reason[0] ? pp->reason : "stopped";

	if (from != ST_ESTABLISHED) {
		peer_log_reason(p, why, from);
		return;
	}
	log_peer(p, TB_LOG_INFO, "down: %s", why);
	peer_seen_clear(p);
	(void)peer_seen(p, why);
	strlcpy(p->last_error, why, sizeof(p->last_error));
	strlcpy(p->last_down, why, sizeof(p->last_down));
	p->last_down_at = peer_now();
}

/* What the session negotiated, for the RDE. */
static void
peer_rde_up(struct peer *p)
{
	const struct bgp_caps	*r = &p->open_rcvd.caps;
	struct rde_session	 s;
	int			 aid;

	memset(&s, 0, sizeof(s));
	s.local_addr = p->local_addr;
	s.peer_as = msg_open_peer_as(&p->open_rcvd);
	s.remote_id = p->remote_id;
	s.af_negotiated = p->af_negotiated;
	s.as4 = p->as4;
	s.ext_msg = p->ext_msg;
	s.route_refresh = r->route_refresh;
	s.ifindex = p->ifindex;
	s.gr_offered = p->open_sent.caps.gr || r->gr;
	s.gr_time = r->gr_time;
	for (aid = 0; aid < AID_MAX; aid++)
		if (gr_af_fbit(r, aid) == 1)
			s.gr_fwd |= AID_BIT(aid);
	rde_peer_up(p->rde, &s);
}

/* Which of its paths a helper keeps (gr.c), logged when it does. */
static void
peer_gr_decide(struct peer *p)
{
	struct peer_priv	*pp = PRIV(p);
	int			 how = pp->down_how;

	p->gr_keep = gr_helper_keeps(p->bconf, p->conf, &p->open_sent.caps,
	    &p->open_rcvd.caps, pp->down_how, how == GR_DOWN_SENT ||
	    how == GR_DOWN_RCVD ? &pp->down_notify : NULL, &p->gr_low);
	if (p->gr_keep != 0)
		log_peer(p, TB_LOG_INFO, "graceful restart: its paths are "
		    "kept, marked stale%s, for up to %u s", p->gr_low ?
		    " and below every fresh path (liveness failover)" : "",
		    p->open_rcvd.caps.gr_time);
}

static void
peer_set_state(struct peer *p, enum fsm_state next)
{
	enum fsm_state	 from = p->state;

	if (next == from)
		return;
	p->prev_state = from;
	p->state = next;
	p->state_since = peer_now();
	if (next == ST_IDLE)
		peer_went_down(p, from);
	else if (next != ST_ESTABLISHED)
		log_peer_debug(p, LOG_DEBUG_NEIGHBOR, "%s -> %s",
		    fsm_state_name(from), fsm_state_name(next));
	if (from == ST_ESTABLISHED) {
		peer_gr_decide(p);
		rde_peer_down(p->rde, p->gr_keep, p->gr_low);
		p->gr_keep = 0;
		p->gr_low = 0;
	}
}

/* Leaving Established: a session that stayed up long enough resets the
 * backoff (the "stable" rule). */
static void
peer_leave_established(struct peer *p)
{
	p->stats.dropped++;
	if (fsm_backoff_reset(peer_now() - p->up_since, p->holdtime))
		PRIV(p)->failures = 0;
}

/* FSM_A_ESTABLISHED: the session came up (the state is set). */
static void
peer_established(struct peer *p)
{
	p->up_since = p->state_since;
	p->stats.established++;
	peer_seen_clear(p);
	PRIV(p)->link_waiting = 0;
	p->live_waiting = 0;
	log_peer(p, TB_LOG_INFO, "Established");
	gr_fwd_kept();
	peer_live_tcp_arm(p);
	peer_rde_up(p);
}

/* FSM_A_PROCESS_UPDATE: the RDE takes the UPDATE; what it refuses resets
 * the session with the NOTIFICATION it gives (RFC 7606, maximum-prefix). */
static void
peer_process_update(struct peer *p, const struct peer_ev *in)
{
	struct bgp_notify	 err;
	struct peer_ev		 e;

	if (in == NULL || in->body == NULL)
		fatalx("FSM: an UPDATE to process was not given");
	memset(&err, 0, sizeof(err));
	if (rde_update(p->rde, in->body, &err) == 0)
		return;
	memset(&e, 0, sizeof(e));
	e.notify = &err;
	e.rr_aid = -1;
	peer_fsm_in(p, EV_UPDATE_ERR, &e);
}

/* FSM_A_PROCESS_RREFRESH: RFC 7313 4, only a plain request of a family
 * we know asks for the table again (in->rr_aid -1: none). */
static void
peer_process_rrefresh(struct peer *p, const struct peer_ev *in)
{
	if (in != NULL && in->rr_aid >= 0 && in->rr_aid < AID_MAX)
		rde_refresh(p->rde, (enum aid)in->rr_aid);
}

static void
peer_do_notify(struct peer *p, const struct fsm_result *r,
    const struct peer_ev *in)
{
	struct bgp_notify	 n;

	if (PRIV(p)->conn == NULL)
		return;
	if (PRIV(p)->silent) {
		PRIV(p)->down_how = GR_DOWN_GRACEFUL;
		return;
	}
	if (r->actions & FSM_A_SEND_NOTIFY_MSG) {
		if (in == NULL || in->notify == NULL)
			fatalx("FSM: the NOTIFICATION to send was not given");
		n = *in->notify;
	} else if (r->code == ERR_CEASE && r->subcode == ERR_CEASE_ADMIN_DOWN &&
	    PRIV(p)->cease != 0)
		notify_set(&n, ERR_CEASE, PRIV(p)->cease, NULL, 0);
	else if (r->code == ERR_CEASE && r->subcode == ERR_CEASE_ADMIN_DOWN &&
	    PRIV(p)->stop_msg[0] != '\0')
		notify_set_shutdown(&n, ERR_CEASE_ADMIN_DOWN,
		    PRIV(p)->stop_msg);
	else
		notify_set(&n, r->code, r->subcode, NULL, 0);
	/* RFC 8538 5.1: with N negotiated, what ends the session for good
	 * says so, or the neighbor would keep our routes. */
	if (p->state == ST_ESTABLISHED)
		(void)gr_hard_reset_wrap(p->bconf, gr_nbit(&p->open_sent.caps,
		    &p->open_rcvd.caps), &n);
	peer_send_notify(p, PRIV(p)->conn, &n);
}

/* The actions of one FSM step, in the order 8.2.2 lists them, up to the
 * state change. */
static void
peer_actions(struct peer *p, const struct fsm_result *r,
    const struct peer_ev *in)
{
	uint32_t	 a = r->actions;

	if (p->state == ST_ESTABLISHED && r->next != ST_ESTABLISHED)
		peer_leave_established(p);
	if (a & FSM_A_STOP_TIMERS)
		peer_stop_timers(p);
	if (a & (FSM_A_SEND_NOTIFY | FSM_A_SEND_NOTIFY_MSG))
		peer_do_notify(p, r, in);
	if (a & FSM_A_CLOSE)
		peer_close_conns(p);
	if (a & FSM_A_RESET_BACKOFF) {
		PRIV(p)->failures = 0;
		evtimer_del(PRIV(p)->t_idlehold);
	}
	if (a & FSM_A_BACKOFF)
		peer_backoff(p);
	if (a & FSM_A_STOP_CONNRETRY)
		evtimer_del(PRIV(p)->t_connretry);
	if (a & FSM_A_START_CONNRETRY)
		peer_start_connretry(p);
	if (a & FSM_A_CONNECT)
		peer_connect(p);
	if (a & FSM_A_SEND_OPEN)
		peer_send_open(p, PRIV(p)->conn);
	if (a & FSM_A_HOLD_LARGE)
		peer_timer(PRIV(p)->t_hold, 1000u * FSM_HOLD_LARGE);
	if (a & FSM_A_NEGOTIATE)
		peer_negotiate(p);
	if (a & FSM_A_SEND_KEEPALIVE)
		peer_send_keepalive(p);
	if (a & FSM_A_START_KEEPALIVE)
		peer_start_keepalive(p);
	if (a & FSM_A_RESTART_HOLD)
		peer_restart_hold(p);
}

/* The observers hear of a state change with how it came about. */
static void
peer_hook_state(struct peer *p, enum fsm_state from, enum fsm_event ev,
    const struct fsm_result *r, int had_conn)
{
	struct hook_peer_event	 e;
	int			 notify = had_conn && (r->actions &
				    (FSM_A_SEND_NOTIFY | FSM_A_SEND_NOTIFY_MSG));

	if (p->state == from)
		return;
	memset(&e, 0, sizeof(e));
	e.from = from;
	e.to = p->state;
	e.event = ev;
	e.sent = notify ? &p->last_sent : NULL;
	e.rcvd = ev == EV_NOTIF || ev == EV_NOTIF_VERERR ? &p->last_rcvd :
	    NULL;
	e.local = !had_conn && !notify;
	e.reason = p->last_error;
	hook_peer_state(p, &e);
}

/* The actions that follow the state change: the session came up, a
 * message is processed (its failure is an event of its own, stepped
 * after this one). */
static void
peer_post_actions(struct peer *p, const struct fsm_result *r,
    const struct peer_ev *in)
{
	if (r->actions & FSM_A_ESTABLISHED)
		peer_established(p);
	if (r->actions & FSM_A_PROCESS_UPDATE)
		peer_process_update(p, in);
	if (r->actions & FSM_A_PROCESS_RREFRESH)
		peer_process_rrefresh(p, in);
}

void
peer_fsm_in(struct peer *p, enum fsm_event ev, const struct peer_ev *in)
{
	struct fsm_result	 r;
	enum fsm_state		 from = p->state;
	int			 had_conn = PRIV(p)->conn != NULL;

	fsm_step(p->state, ev, &r);
	log_peer(p, TB_LOG_DEBUG, "%s in %s -> %s", fsm_event_name(ev),
	    fsm_state_name(p->state), fsm_state_name(r.next));
	peer_actions(p, &r, in);
	peer_set_state(p, r.next);
	peer_hook_state(p, from, ev, &r, had_conn);
	PRIV(p)->reason[0] = '\0';
	PRIV(p)->detail[0] = '\0';
	PRIV(p)->down_how = GR_DOWN_TCP;
	peer_post_actions(p, &r, in);
}

void
peer_fsm(struct peer *p, enum fsm_event ev)
{
	peer_fsm_in(p, ev, NULL);
}

/* --- timer callbacks --- */

/* "connect to ADDR port 179: WHAT" */
void
peer_connect_reason(struct peer *p, char *out, size_t len, const char *what)
{
	snprintf(out, len, "connect to %s port %u: %s",
	    addr_str(&p->conf->remote), session_peer_port(), what);
}

/* No SYN-ACK at all: the kernel drops segments whose TCP MD5 signature
 * is wrong (RFC 2385 3) without a word, as does a dead tunnel. */
void
peer_connect_silent(struct peer *p, char *out, size_t len)
{
	char	 what[128];

	snprintf(what, sizeof(what), "no answer after %lld s (tunnel down "
	    "or TCP MD5 key mismatch?)",
	    (long long)(peer_now() - PRIV(p)->connect_at));
	peer_connect_reason(p, out, len, what);
}

/* In Connect, the timer ends an attempt that never completed: nothing
 * else would say so, and the state does not change. */
static void
peer_connretry_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct peer	*p = arg;
	char		 why[256];

	if (p->state == ST_CONNECT && PRIV(p)->conn != NULL &&
	    session_connecting(PRIV(p)->conn)) {
		peer_connect_silent(p, why, sizeof(why));
		peer_log_reason(p, why, p->state);
	}
	peer_fsm(p, EV_CONNRETRY_EXPIRES);
}

/* The NOTIFICATION sent on expiry is the logged reason. */
static void
peer_hold_cb(evutil_socket_t fd, short ev, void *arg)
{
	peer_fsm(arg, EV_HOLD_EXPIRES);
}

static void
peer_keepalive_cb(evutil_socket_t fd, short ev, void *arg)
{
	peer_fsm(arg, EV_KEEPALIVE_EXPIRES);
}

static void
peer_connfail_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct peer	*p = arg;

	if (p->state != ST_CONNECT || PRIV(p)->conn != NULL)
		return;
	peer_connect_reason(p, PRIV(p)->reason, sizeof(PRIV(p)->reason),
	    strerror(PRIV(p)->connect_errno));
	peer_fsm(p, EV_TCP_FAILS);
}

static void
peer_idlehold_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct peer	*p = arg;

	peer_fsm(p, p->conf->passive ? EV_AUTO_START_PASSIVE :
	    EV_IDLEHOLD_EXPIRES);
}


static int
peer_output(void *owner, const struct buf *b, size_t nmsgs)
{
	struct peer	*p = owner;

	if (PRIV(p)->conn == NULL || p->state != ST_ESTABLISHED)
		return -1;
	if (session_send(PRIV(p)->conn, b) == -1) {
		log_peer(p, TB_LOG_WARNING, "cannot send UPDATEs: %s",
		    strerror(errno));
		return -1;
	}
	p->stats.msg_sent[BGP_UPDATE] += nmsgs;
	p->stats.msg_sent_total += nmsgs;
	return 0;
}

static size_t
peer_output_queued(void *owner)
{
	struct peer	*p = owner;

	return PRIV(p)->conn != NULL ? session_queued(PRIV(p)->conn) : 0;
}

static void
peer_send_rrefresh(void *owner, int aid)
{
	struct peer	*p = owner;
	struct buf	 b;
	uint16_t	 afi;
	uint8_t		 safi;

	if (PRIV(p)->conn == NULL || !p->open_rcvd.caps.route_refresh)
		return;
	aid_to_afi(aid, &afi, &safi);
	if (buf_init(&b, BGP_RREFRESH_LEN, BGP_RREFRESH_LEN) == -1)
		fatal("route refresh");
	msg_rrefresh_build(&b, afi, safi, 0);
	peer_send(p, PRIV(p)->conn, &b, BGP_ROUTE_REFRESH);
	buf_free(&b);
}

void
peer_link_down(struct peer *p, const char *why)
{
	PRIV(p)->link_waiting = 1;
	if (p->state == ST_IDLE)
		return;
	/* No NOTIFICATION: the link it would go over is gone. */
	peer_reason(p, "%s", why);
	PRIV(p)->down_how = GR_DOWN_LIVE;
	peer_close_conns(p);
	peer_fsm(p, EV_TCP_FAILS);
}

/* Could a "the path works again" signal start the peer now? */
static int
peer_may_retry(const struct peer *p)
{
	const struct peer_priv	*pp = PRIV(p);

	return !pp->stopped && !pp->max_prefix_down && !p->conf->shutdown &&
	    !p->conf->passive;
}

/* Skip the wait of the backoff or of ConnectRetry; an attempt still in
 * flight is restarted only if restart (its SYN may have been lost in
 * the dead tunnel, and the kernel would retry it late). */
static void
peer_retry_now(struct peer *p, int restart, const char *what)
{
	struct peer_priv	*pp = PRIV(p);

	if (p->state == ST_IDLE && evtimer_pending(pp->t_idlehold, NULL)) {
		log_peer(p, TB_LOG_INFO, "%s: connecting now", what);
		pp->failures = 0;
		evtimer_del(pp->t_idlehold);
		peer_fsm(p, EV_IDLEHOLD_EXPIRES);
	} else if ((p->state == ST_CONNECT || p->state == ST_ACTIVE) &&
	    evtimer_pending(pp->t_connretry, NULL) &&
	    (restart || pp->conn == NULL || !session_connecting(pp->conn))) {
		log_peer(p, TB_LOG_INFO, "%s: connecting now", what);
		evtimer_del(pp->t_connretry);
		peer_fsm(p, EV_CONNRETRY_EXPIRES);
	}
}

void
peer_link_up(struct peer *p, const char *ifname)
{
	char	 what[64];

	/* Only a session the link took down skips its backoff: any other
	 * failure keeps backing off whatever the interfaces do. */
	if (!PRIV(p)->link_waiting || !peer_may_retry(p))
		return;
	PRIV(p)->link_waiting = 0;
	snprintf(what, sizeof(what), "interface %s is up", ifname);
	/* A SYN sent while the link was down was lost: the kernel would
	 * retry it only after a second or more. */
	peer_retry_now(p, 1, what);
}

void
peer_liveness_down(struct peer *p, const char *why)
{
	struct peer_priv	*pp = PRIV(p);

	if (pp->stopped || p->conf->shutdown ||
	    (p->live_waiting && p->state != ST_ESTABLISHED))
		return;
	if (!p->live_waiting)
		pp->live_since = peer_now();
	p->live_waiting = 1;
	if (p->state == ST_IDLE)
		return;
	strlcpy(p->live_reason, why, sizeof(p->live_reason));
	p->live_at = peer_now();
	p->live_downs++;
	pp->failures = 0;
	peer_reason(p, "%s", why);
	pp->down_how = GR_DOWN_LIVE;
	peer_close_conns(p);
	peer_fsm(p, EV_TCP_FAILS);
}

void
peer_liveness_up(struct peer *p)
{
	if (!p->live_waiting || !peer_may_retry(p))
		return;
	peer_retry_now(p, 1, "liveness: the tunnel answers again");
}

static void
peer_max_prefix_down(void *owner, unsigned int minutes)
{
	struct peer	*p = owner;

	PRIV(p)->max_prefix_down = 1;
	PRIV(p)->max_prefix_restart = minutes;
}

/* --- life cycle --- */

/* bgp router-id, else the highest non-loopback IPv4 address. */
uint32_t
peer_router_id(const struct bgpd_config *conf)
{
	struct ifaddrs	*ifa, *i;
	uint32_t	 best = 0, a;

	if (conf->router_id != 0)
		return conf->router_id;
	if (getifaddrs(&ifa) == -1)
		return 0;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		a = ntohl(((struct sockaddr_in *)(void *)i->ifa_addr)->
		    sin_addr.s_addr);
		if ((a >> 24) != 127 && a > best)
			best = a;
	}
	freeifaddrs(ifa);
	return best;
}

static int
peer_admin_down(void *owner)
{
	const struct peer	*p = owner;

	return p->conf->shutdown || p->shell_down;
}

/* How the RDE reaches the session (rde.h). */
static const struct rde_peer_ops peer_rde_ops = {
	.output = peer_output,
	.queued = peer_output_queued,
	.send_rrefresh = peer_send_rrefresh,
	.max_prefix_down = peer_max_prefix_down,
	.admin_down = peer_admin_down,
};

static struct peer *
peer_new(struct bgpd_config *bconf, struct peer_config *pc,
    struct event_base *base, uint32_t local_id)
{
	struct peer		*p;
	struct peer_priv	*pp;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (pp = calloc(1, sizeof(*pp))) == NULL)
		fatal("calloc");
	p->conf = pc;
	p->bconf = bconf;
	p->priv = pp;
	p->rde = rde_peer_new(&peer_rde_ops, p, pc, bconf);
	p->state = p->prev_state = ST_IDLE;
	p->state_since = peer_now();
	pp->base = base;
	pp->local_id = local_id;
	pp->t_connretry = evtimer_new(base, peer_connretry_cb, p);
	pp->t_hold = evtimer_new(base, peer_hold_cb, p);
	pp->t_keepalive = evtimer_new(base, peer_keepalive_cb, p);
	pp->t_idlehold = evtimer_new(base, peer_idlehold_cb, p);
	pp->t_connfail = evtimer_new(base, peer_connfail_cb, p);
	if (pp->t_connfail == NULL || pp->t_connretry == NULL || pp->t_hold == NULL ||
	    pp->t_keepalive == NULL || pp->t_idlehold == NULL)
		fatalx("evtimer_new");
	return p;
}

static void
peer_start(struct peer *p)
{
	if (p->conf->password[0] != '\0')
		session_listen_md5(p->conf, 1);
	if (p->conf->shutdown) {
		strlcpy(p->last_error, "administratively shut down",
		    sizeof(p->last_error));
		log_peer(p, TB_LOG_INFO, "administratively shut down");
		return;
	}
	peer_fsm(p, p->conf->passive ? EV_AUTO_START_PASSIVE : EV_AUTO_START);
}

void
peer_init(struct bgpd_config *bconf, struct event_base *base,
    uint32_t local_id, const struct kif *kif)
{
	struct peer_config	*pc;
	struct peer		*p;

	peer_base = base;
	peer_local_id = local_id;
	peer_kif = kif;
	TAILQ_FOREACH(pc, &bconf->peers, entry) {
		p = peer_new(bconf, pc, base, local_id);
		TAILQ_INSERT_TAIL(&peers, p, entry);
	}
	TAILQ_FOREACH(p, &peers, entry)
		peer_start(p);
}

/* ManualStop with an RFC 9003 message: Cease/2 to a running session. */
void
peer_stop(struct peer *p, const char *msg)
{
	strlcpy(PRIV(p)->stop_msg, msg ? msg : "", sizeof(PRIV(p)->stop_msg));
	PRIV(p)->stopped = 1;
	if (PRIV(p)->stop_msg[0] != '\0')
		peer_reason(p, "administratively stopped: %s",
		    PRIV(p)->stop_msg);
	else
		peer_reason(p, "administratively stopped");
	peer_fsm(p, EV_MANUAL_STOP);
}

void
peer_shutdown_all(const char *msg)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		peer_stop(p, msg);
}

/* The neighbor kept our routes only if it offered GR itself. */
void
peer_shutdown_graceful(const char *msg)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &peers, entry) {
		if (p->state == ST_ESTABLISHED && p->open_rcvd.caps.gr &&
		    gr_mode(p->bconf, p->conf) == GR_RESTART) {
			PRIV(p)->silent = 1;
			log_peer(p, TB_LOG_INFO, "graceful restart: closing "
			    "without a NOTIFICATION, our routes stay with it "
			    "for %u s", p->open_sent.caps.gr_time);
		}
		peer_stop(p, msg);
		PRIV(p)->silent = 0;
	}
}

static void
peer_free(struct peer *p)
{
	struct peer_priv	*pp = PRIV(p);

	peer_close_conns(p);
	if (p->conf->password[0] != '\0')
		session_listen_md5(p->conf, 0);
	event_free(pp->t_connretry);
	event_free(pp->t_hold);
	event_free(pp->t_keepalive);
	event_free(pp->t_idlehold);
	event_free(pp->t_connfail);
	free(pp);
	free(p);
}

void
peer_free_all(void)
{
	struct peer	*p;

	while ((p = TAILQ_FIRST(&peers)) != NULL) {
		TAILQ_REMOVE(&peers, p, entry);
		peer_free(p);
	}
}

/* --- reload --- */

void
peer_cease(struct peer *p, uint8_t subcode, const char *why)
{
	PRIV(p)->cease = subcode;
	peer_reason(p, "%s", why);
	peer_fsm(p, EV_MANUAL_STOP);
	PRIV(p)->cease = 0;
}

/* The listeners' MD5 keys follow the neighbor's password. */
void
peer_set_config(struct peer *p, struct bgpd_config *bconf,
    struct peer_config *pc)
{
	if (strcmp(p->conf->password, pc->password) != 0 &&
	    p->conf->password[0] != '\0')
		session_listen_md5(p->conf, 0);
	if (strcmp(p->conf->password, pc->password) != 0 &&
	    pc->password[0] != '\0')
		session_listen_md5(pc, 1);
	p->conf = pc;
	p->bconf = bconf;
	rde_peer_set_config(p->rde, pc, bconf);
}

void
peer_set_local_id(uint32_t local_id)
{
	struct peer	*p;

	peer_local_id = local_id;
	TAILQ_FOREACH(p, &peers, entry)
		PRIV(p)->local_id = local_id;
}

/*
 * After peer_cease() or a shutdown removed from the configuration: a
 * fresh start, with no backoff left from before.  After a reset the
 * first attempt waits the first backoff step (1 s, jittered): the
 * neighbor must first read our NOTIFICATION and close its side, or our
 * new connection meets the old session there (RFC 4271 6.8).  The
 * neighbor may connect first, as during any backoff.
 */
void
peer_restart(struct peer *p, int after_reset)
{
	struct peer_priv	*pp = PRIV(p);

	/* Shut down from the shell: only no neighbor X shutdown (which
	 * clears shell_down first) starts it again. */
	if (p->shell_down)
		return;
	pp->stopped = 0;
	pp->max_prefix_down = 0;
	pp->failures = 0;
	evtimer_del(pp->t_idlehold);
	if (!after_reset || p->conf->shutdown) {
		peer_start(p);
		return;
	}
	if (p->conf->password[0] != '\0')
		session_listen_md5(p->conf, 1);
	peer_timer(pp->t_idlehold, fsm_jitter_ms(FSM_IDLEHOLD_FIRST,
	    arc4random()));
}

struct peer *
peer_add(struct bgpd_config *bconf, struct peer_config *pc)
{
	struct peer	*p;

	p = peer_new(bconf, pc, peer_base, peer_local_id);
	TAILQ_INSERT_TAIL(&peers, p, entry);
	peer_start(p);
	return p;
}

/* RFC 4486 3: Cease/Peer De-configured, then everything of it goes (its
 * routes are withdrawn from the other neighbors in this turn). */
void
peer_remove(struct peer *p)
{
	peer_cease(p, ERR_CEASE_PEER_UNCONF, "removed from the configuration");
	TAILQ_REMOVE(&peers, p, entry);
	rde_peer_free(p->rde);
	peer_free(p);
}

/* liveness tcp changed: an Established session takes the new values
 * now (TCP_USER_TIMEOUT back to the kernel's default when turned off). */
void
peer_live_tcp_update(struct peer *p)
{
	struct peer_priv	*pp = PRIV(p);

	if (p->state != ST_ESTABLISHED || pp->conn == NULL)
		return;
	if (p->conf->live_tcp_timeout != 0) {
		peer_live_tcp_arm(p);
		return;
	}
	if (pp->user_timeout != 0)
		(void)session_set_user_timeout(pp->conn, 0);
	pp->user_timeout = 0;
	p->live_ka_ms = 0;
	peer_start_keepalive(p);
}
