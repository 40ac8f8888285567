/*
 * fsm: the RFC 4271 section 8 state machine as a pure function, plus the
 * pure timer rules (hold time negotiation, keepalive interval, reconnect
 * backoff with jitter) and the connection collision decision of 6.8.
 * Nothing here touches a socket, a clock or a random source: the caller
 * (peer.c) passes them in, so tests can drive every path.
 */
#ifndef TB_FSM_H
#define TB_FSM_H

#include <stdint.h>
#include <time.h>

/* RFC 4271 8.2.2 states. */
enum fsm_state {
	ST_IDLE = 0,
	ST_CONNECT,
	ST_ACTIVE,
	ST_OPENSENT,
	ST_OPENCONFIRM,
	ST_ESTABLISHED,
	ST_MAX
};

const char	*fsm_state_name(enum fsm_state);


/* RFC 4271 8.1 events (the optional ones we use; numbers in comments). */
enum fsm_event {
	EV_MANUAL_START = 0,		/* 1 */
	EV_MANUAL_STOP,			/* 2 */
	EV_AUTO_START,			/* 3 */
	EV_MANUAL_START_PASSIVE,	/* 4 */
	EV_AUTO_START_PASSIVE,		/* 5 */
	EV_CONNRETRY_EXPIRES,		/* 9 */
	EV_HOLD_EXPIRES,		/* 10 */
	EV_KEEPALIVE_EXPIRES,		/* 11 */
	EV_IDLEHOLD_EXPIRES,		/* 13: automatic restart after backoff */
	EV_TCP_CONFIRMED,		/* 16/17: Tcp_CR_Acked, Confirmed */
	EV_TCP_FAILS,			/* 18 */
	EV_OPEN,			/* 19: a valid OPEN */
	EV_HDR_ERR,			/* 21 */
	EV_OPEN_ERR,			/* 22 */
	EV_OPEN_COLLISION_DUMP,		/* 23 */
	EV_NOTIF_VERERR,		/* 24 */
	EV_NOTIF,			/* 25 */
	EV_KEEPALIVE,			/* 26 */
	EV_UPDATE,			/* 27 */
	EV_UPDATE_ERR,			/* 28 */
	EV_RREFRESH,			/* RFC 2918: not in 4271's list */
	EV_SENDHOLD_EXPIRES,		/* RFC 9687 */
	EV_MAX
};

/* What the caller must do, in this order. */
#define FSM_A_STOP_TIMERS	0x0001	/* every timer but IdleHold */
#define FSM_A_SEND_NOTIFY	0x0002	/* the NOTIFICATION in the result */
#define FSM_A_SEND_NOTIFY_MSG	0x0004	/* the one the codec filled */
#define FSM_A_CLOSE		0x0008	/* drop the TCP connection */
#define FSM_A_CONNECT		0x0010	/* initiate a TCP connection */
#define FSM_A_START_CONNRETRY	0x0020
#define FSM_A_STOP_CONNRETRY	0x0040
#define FSM_A_SEND_OPEN		0x0080
#define FSM_A_HOLD_LARGE	0x0100	/* hold timer = 4 minutes (8.2.2) */
#define FSM_A_NEGOTIATE		0x0200	/* adopt the peer's OPEN */
#define FSM_A_SEND_KEEPALIVE	0x0400
#define FSM_A_START_KEEPALIVE	0x0800
#define FSM_A_RESTART_HOLD	0x1000	/* negotiated hold time */
#define FSM_A_ESTABLISHED	0x2000	/* session came up */
#define FSM_A_PROCESS_UPDATE	0x4000
#define FSM_A_PROCESS_RREFRESH	0x8000
#define FSM_A_BACKOFF		0x10000	/* one more failure: IdleHold */
#define FSM_A_RESET_BACKOFF	0x20000	/* manual stop: counter to zero */
/* Every action above: each is named by a row of the table (check_fsm)
 * and carried out by peer.c from the table's answer, none elsewhere.
 * The ones up to the state change run in this order; ESTABLISHED and
 * the PROCESS_* ones after it. */
#define FSM_A_ALL		0x3ffff

#define FSM_HOLD_LARGE		240	/* seconds, RFC 4271 8.2.2 */
#define FSM_OPEN_WAIT		FSM_HOLD_LARGE

struct fsm_result {
	enum fsm_state	next;
	uint32_t	actions;	/* FSM_A_* */
	uint8_t		code;		/* with FSM_A_SEND_NOTIFY */
	uint8_t		subcode;
};

/* One step.  Returns 0; events that mean nothing in a state are ignored
 * (next == state, no actions). */
int		 fsm_step(enum fsm_state, enum fsm_event, struct fsm_result *);
const char	*fsm_event_name(enum fsm_event);
/* The actions some row of the table names (FSM_A_ALL: all of them). */
uint32_t	 fsm_actions_used(void);

/* Hold time (RFC 4271 4.2): the smaller of ours and the peer's; 0 means no
 * hold timer and no keepalives. */
uint16_t	 fsm_hold_negotiate(uint16_t local, uint16_t remote);
/* Keepalive: the configured interval, but never more than a third of the
 * negotiated hold time (FRR's rule); 0 when the hold time is 0. */
uint16_t	 fsm_keepalive(uint16_t conf_keepalive, uint16_t neg_hold);
/* RFC 9687 send hold time for a negotiated hold time. */
uint32_t	 fsm_sendhold(uint16_t neg_hold);

/* Reconnect backoff (RFC 4271 8.1.1 IdleHoldTimer, 10 jitter). */
#define FSM_IDLEHOLD_FIRST	1
#define FSM_IDLEHOLD_CAP	60
#define FSM_IDLEHOLD_RESET_NOHOLD 60
uint32_t	 fsm_idlehold_cap(uint16_t conf_connect_retry);
/* Seconds to wait after the n-th consecutive failure (n >= 1). */
uint32_t	 fsm_idlehold_base(unsigned failures, uint32_t cap);
/* The base in milliseconds jittered to 75-100%; rnd is uniform 32 bits. */
uint32_t	 fsm_jitter_ms(uint32_t base_sec, uint32_t rnd);
/*
 * After a liveness mechanism closed the session (tbgpd(8) LIVENESS) no
 * link event will say the tunnel works again, so for FSM_LIVE_FAST_FOR
 * seconds both the backoff and the ConnectRetry time are capped at
 * FSM_LIVE_RETRY seconds (or timers connect, if smaller): a SYN every
 * second or two finds the tunnel within seconds of its return.
 */
#define FSM_LIVE_RETRY		2
#define FSM_LIVE_FAST_FOR	600
uint32_t	 fsm_live_retry(uint16_t conf_connect_retry, time_t down_for);
/* Did a session that stayed up this long earn a fresh backoff? */
int		 fsm_backoff_reset(time_t up_seconds, uint16_t neg_hold);

/* Connection collision (RFC 4271 6.8, RFC 6286 2.3). */
enum fsm_conn_side {
	FSM_CONN_LOCAL = 0,	/* we initiated it */
	FSM_CONN_REMOTE		/* the peer did */
};
enum fsm_conn_side fsm_collision_keep(uint32_t local_id, uint32_t remote_id,
		    uint32_t local_as, uint32_t remote_as);

#endif
