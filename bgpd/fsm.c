/*
 * fsm: the BGP finite state machine of RFC 4271 section 8.2.2 as a table
 * of (state, event) -> (next state, actions, NOTIFICATION), with a default
 * row per state for the events 8.2.2 calls "any other event".  The timer
 * rules that go with it are pure functions of their inputs.
 *
 * Deviations, on purpose:
 * - DelayOpen, DampPeerOscillations and the optional TCP events are not
 *   used; every failure goes to Idle and the IdleHoldTimer (exponential
 *   backoff, 8.1.1 and 10) brings the peer back, instead of the mix of
 *   Active and ConnectRetryTimer restarts of 8.2.2.
 * - ROUTE-REFRESH (RFC 2918) and the send hold timer (RFC 9687) are
 *   events of their own.
 */
#include "config.h"

#include <stddef.h>

#include "fsm.h"
#include "msg.h"

struct fsm_row {
	enum fsm_state	state;
	enum fsm_event	event;
	enum fsm_state	next;
	uint32_t	actions;
	uint8_t		code;
	uint8_t		subcode;
};

/* Going down after an error: stop everything, drop the connection and
 * count one more failure for the backoff. */
#define DOWN		(FSM_A_STOP_TIMERS | FSM_A_CLOSE | FSM_A_BACKOFF)
#define DOWN_NOTIFY	(DOWN | FSM_A_SEND_NOTIFY)
#define DOWN_MSGERR	(DOWN | FSM_A_SEND_NOTIFY_MSG)
/* ManualStop (8.2.2 event 2): ConnectRetryCounter set to zero. */
#define STOP		(FSM_A_STOP_TIMERS | FSM_A_CLOSE | FSM_A_RESET_BACKOFF)
#define START		(FSM_A_START_CONNRETRY | FSM_A_CONNECT)
#define OPEN_SENT	(FSM_A_STOP_CONNRETRY | FSM_A_SEND_OPEN | \
			    FSM_A_HOLD_LARGE)
#define OPEN_RCVD	(FSM_A_STOP_CONNRETRY | FSM_A_NEGOTIATE | \
			    FSM_A_SEND_KEEPALIVE | FSM_A_START_KEEPALIVE | \
			    FSM_A_RESTART_HOLD)
#define KEEPALIVE	(FSM_A_SEND_KEEPALIVE | FSM_A_START_KEEPALIVE)

static const struct fsm_row fsm_table[] = {
	/* Idle: only the start events and the automatic restart. */
	{ ST_IDLE, EV_MANUAL_START, ST_CONNECT, START, 0, 0 },
	{ ST_IDLE, EV_AUTO_START, ST_CONNECT, START, 0, 0 },
	{ ST_IDLE, EV_IDLEHOLD_EXPIRES, ST_CONNECT, START, 0, 0 },
	{ ST_IDLE, EV_MANUAL_START_PASSIVE, ST_ACTIVE, 0, 0, 0 },
	{ ST_IDLE, EV_AUTO_START_PASSIVE, ST_ACTIVE, 0, 0, 0 },
	/* "refuses all incoming BGP connections" (8.2.2 Idle). */
	{ ST_IDLE, EV_TCP_CONFIRMED, ST_IDLE, FSM_A_CLOSE, 0, 0 },

	{ ST_CONNECT, EV_MANUAL_STOP, ST_IDLE, STOP, 0, 0 },
	{ ST_CONNECT, EV_CONNRETRY_EXPIRES, ST_CONNECT,
	    FSM_A_CLOSE | START, 0, 0 },
	{ ST_CONNECT, EV_TCP_CONFIRMED, ST_OPENSENT, OPEN_SENT, 0, 0 },
	{ ST_CONNECT, EV_TCP_FAILS, ST_IDLE, DOWN, 0, 0 },

	{ ST_ACTIVE, EV_MANUAL_STOP, ST_IDLE, STOP, 0, 0 },
	{ ST_ACTIVE, EV_CONNRETRY_EXPIRES, ST_CONNECT, START, 0, 0 },
	{ ST_ACTIVE, EV_TCP_CONFIRMED, ST_OPENSENT, OPEN_SENT, 0, 0 },
	{ ST_ACTIVE, EV_TCP_FAILS, ST_IDLE, DOWN, 0, 0 },

	{ ST_OPENSENT, EV_MANUAL_STOP, ST_IDLE, STOP | FSM_A_SEND_NOTIFY,
	    ERR_CEASE, ERR_CEASE_ADMIN_DOWN },
	{ ST_OPENSENT, EV_HOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY, ERR_HOLD, 0 },
	{ ST_OPENSENT, EV_SENDHOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY,
	    ERR_SENDHOLD, 0 },
	{ ST_OPENSENT, EV_TCP_FAILS, ST_IDLE, DOWN, 0, 0 },
	{ ST_OPENSENT, EV_OPEN, ST_OPENCONFIRM, OPEN_RCVD, 0, 0 },
	{ ST_OPENSENT, EV_HDR_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_OPENSENT, EV_OPEN_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_OPENSENT, EV_OPEN_COLLISION_DUMP, ST_IDLE, DOWN_NOTIFY,
	    ERR_CEASE, ERR_CEASE_COLLISION },
	/* Version error: the peer will retry with another version, so
	 * it does not count as a failure (8.2.2 event 24). */
	{ ST_OPENSENT, EV_NOTIF_VERERR, ST_IDLE,
	    FSM_A_STOP_TIMERS | FSM_A_CLOSE, 0, 0 },
	{ ST_OPENSENT, EV_NOTIF, ST_IDLE, DOWN, 0, 0 },

	{ ST_OPENCONFIRM, EV_MANUAL_STOP, ST_IDLE, STOP | FSM_A_SEND_NOTIFY,
	    ERR_CEASE, ERR_CEASE_ADMIN_DOWN },
	{ ST_OPENCONFIRM, EV_HOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY, ERR_HOLD, 0 },
	{ ST_OPENCONFIRM, EV_SENDHOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY,
	    ERR_SENDHOLD, 0 },
	{ ST_OPENCONFIRM, EV_KEEPALIVE_EXPIRES, ST_OPENCONFIRM, KEEPALIVE,
	    0, 0 },
	{ ST_OPENCONFIRM, EV_TCP_FAILS, ST_IDLE, DOWN, 0, 0 },
	{ ST_OPENCONFIRM, EV_HDR_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_OPENCONFIRM, EV_OPEN_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_OPENCONFIRM, EV_OPEN_COLLISION_DUMP, ST_IDLE, DOWN_NOTIFY,
	    ERR_CEASE, ERR_CEASE_COLLISION },
	{ ST_OPENCONFIRM, EV_NOTIF_VERERR, ST_IDLE,
	    FSM_A_STOP_TIMERS | FSM_A_CLOSE, 0, 0 },
	{ ST_OPENCONFIRM, EV_NOTIF, ST_IDLE, DOWN, 0, 0 },
	{ ST_OPENCONFIRM, EV_KEEPALIVE, ST_ESTABLISHED,
	    FSM_A_RESTART_HOLD | FSM_A_ESTABLISHED, 0, 0 },

	{ ST_ESTABLISHED, EV_MANUAL_STOP, ST_IDLE, STOP | FSM_A_SEND_NOTIFY,
	    ERR_CEASE, ERR_CEASE_ADMIN_DOWN },
	{ ST_ESTABLISHED, EV_HOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY, ERR_HOLD, 0 },
	{ ST_ESTABLISHED, EV_SENDHOLD_EXPIRES, ST_IDLE, DOWN_NOTIFY,
	    ERR_SENDHOLD, 0 },
	{ ST_ESTABLISHED, EV_KEEPALIVE_EXPIRES, ST_ESTABLISHED, KEEPALIVE,
	    0, 0 },
	{ ST_ESTABLISHED, EV_TCP_FAILS, ST_IDLE, DOWN, 0, 0 },
	{ ST_ESTABLISHED, EV_HDR_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_ESTABLISHED, EV_UPDATE_ERR, ST_IDLE, DOWN_MSGERR, 0, 0 },
	{ ST_ESTABLISHED, EV_OPEN_COLLISION_DUMP, ST_IDLE, DOWN_NOTIFY,
	    ERR_CEASE, ERR_CEASE_COLLISION },
	{ ST_ESTABLISHED, EV_NOTIF_VERERR, ST_IDLE, DOWN, 0, 0 },
	{ ST_ESTABLISHED, EV_NOTIF, ST_IDLE, DOWN, 0, 0 },
	{ ST_ESTABLISHED, EV_KEEPALIVE, ST_ESTABLISHED,
	    FSM_A_RESTART_HOLD, 0, 0 },
	{ ST_ESTABLISHED, EV_UPDATE, ST_ESTABLISHED,
	    FSM_A_RESTART_HOLD | FSM_A_PROCESS_UPDATE, 0, 0 },
	/* Any message proves the peer alive; OpenBGPD and BIRD agree. */
	{ ST_ESTABLISHED, EV_RREFRESH, ST_ESTABLISHED,
	    FSM_A_RESTART_HOLD | FSM_A_PROCESS_RREFRESH, 0, 0 },
};

/* "Any other event" per state (8.2.2): the FSM error subcodes of RFC 6608
 * once an OPEN was sent. */
static const struct fsm_row fsm_default[ST_MAX] = {
	[ST_IDLE] = { ST_IDLE, EV_MAX, ST_IDLE, 0, 0, 0 },
	[ST_CONNECT] = { ST_CONNECT, EV_MAX, ST_IDLE, DOWN, 0, 0 },
	[ST_ACTIVE] = { ST_ACTIVE, EV_MAX, ST_IDLE, DOWN, 0, 0 },
	[ST_OPENSENT] = { ST_OPENSENT, EV_MAX, ST_IDLE, DOWN_NOTIFY,
	    ERR_FSM, ERR_FSM_UNEX_OPENSENT },
	[ST_OPENCONFIRM] = { ST_OPENCONFIRM, EV_MAX, ST_IDLE, DOWN_NOTIFY,
	    ERR_FSM, ERR_FSM_UNEX_OPENCONFIRM },
	[ST_ESTABLISHED] = { ST_ESTABLISHED, EV_MAX, ST_IDLE, DOWN_NOTIFY,
	    ERR_FSM, ERR_FSM_UNEX_ESTABLISHED },
};

uint32_t
fsm_actions_used(void)
{
	uint32_t	 a = 0;
	size_t		 i;

	for (i = 0; i < sizeof(fsm_table) / sizeof(fsm_table[0]); i++)
		a |= fsm_table[i].actions;
	for (i = 0; i < ST_MAX; i++)
		a |= fsm_default[i].actions;
	return a;
}

static const char *const fsm_state_names[ST_MAX] = {
	[ST_IDLE] = "Idle",
	[ST_CONNECT] = "Connect",
	[ST_ACTIVE] = "Active",
	[ST_OPENSENT] = "OpenSent",
	[ST_OPENCONFIRM] = "OpenConfirm",
	[ST_ESTABLISHED] = "Established",
};

static const char *const fsm_event_names[EV_MAX] = {
	[EV_MANUAL_START] = "ManualStart",
	[EV_MANUAL_STOP] = "ManualStop",
	[EV_AUTO_START] = "AutomaticStart",
	[EV_MANUAL_START_PASSIVE] = "ManualStart_with_PassiveTcpEstablishment",
	[EV_AUTO_START_PASSIVE] =
	    "AutomaticStart_with_PassiveTcpEstablishment",
	[EV_CONNRETRY_EXPIRES] = "ConnectRetryTimer_Expires",
	[EV_HOLD_EXPIRES] = "HoldTimer_Expires",
	[EV_KEEPALIVE_EXPIRES] = "KeepaliveTimer_Expires",
	[EV_IDLEHOLD_EXPIRES] = "IdleHoldTimer_Expires",
	[EV_TCP_CONFIRMED] = "TcpConnectionConfirmed",
	[EV_TCP_FAILS] = "TcpConnectionFails",
	[EV_OPEN] = "BGPOpen",
	[EV_HDR_ERR] = "BGPHeaderErr",
	[EV_OPEN_ERR] = "BGPOpenMsgErr",
	[EV_OPEN_COLLISION_DUMP] = "OpenCollisionDump",
	[EV_NOTIF_VERERR] = "NotifMsgVerErr",
	[EV_NOTIF] = "NotifMsg",
	[EV_KEEPALIVE] = "KeepAliveMsg",
	[EV_UPDATE] = "UpdateMsg",
	[EV_UPDATE_ERR] = "UpdateMsgErr",
	[EV_RREFRESH] = "RouteRefreshMsg",
	[EV_SENDHOLD_EXPIRES] = "SendHoldTimer_Expires",
};

const char *
fsm_state_name(enum fsm_state s)
{
	if ((unsigned)s >= ST_MAX)
		return "Unknown";
	return fsm_state_names[s];
}

const char *
fsm_event_name(enum fsm_event ev)
{
	if ((unsigned)ev >= EV_MAX)
		return "Unknown";
	return fsm_event_names[ev];
}

static int
fsm_is_start(enum fsm_event ev)
{
	return ev == EV_MANUAL_START || ev == EV_AUTO_START ||
	    ev == EV_MANUAL_START_PASSIVE || ev == EV_AUTO_START_PASSIVE ||
	    ev == EV_IDLEHOLD_EXPIRES;
}

static const struct fsm_row *
fsm_lookup(enum fsm_state s, enum fsm_event ev)
{
	size_t	 i;

	for (i = 0; i < sizeof(fsm_table) / sizeof(fsm_table[0]); i++)
		if (fsm_table[i].state == s && fsm_table[i].event == ev)
			return &fsm_table[i];
	return &fsm_default[s];
}

int
fsm_step(enum fsm_state s, enum fsm_event ev, struct fsm_result *res)
{
	const struct fsm_row	*row;

	res->next = s;
	res->actions = 0;
	res->code = res->subcode = 0;
	if ((unsigned)s >= ST_MAX || (unsigned)ev >= EV_MAX)
		return -1;
	/* Start events are "ignored" in every state but Idle (8.2.2). */
	if (s != ST_IDLE && fsm_is_start(ev))
		return 0;
	/* ManualStop in Idle is ignored too, but still resets the backoff. */
	if (s == ST_IDLE && ev == EV_MANUAL_STOP) {
		res->actions = FSM_A_RESET_BACKOFF;
		return 0;
	}
	row = fsm_lookup(s, ev);
	res->next = row->next;
	res->actions = row->actions;
	res->code = row->code;
	res->subcode = row->subcode;
	return 0;
}

uint16_t
fsm_hold_negotiate(uint16_t local, uint16_t remote)
{
	return local < remote ? local : remote;
}

uint16_t
fsm_keepalive(uint16_t conf_keepalive, uint16_t neg_hold)
{
	uint16_t	 third = neg_hold / 3;

	if (neg_hold == 0)
		return 0;
	/* A configured keepalive of 0 would let a hold timer expire. */
	if (conf_keepalive == 0 || conf_keepalive > third)
		return third > 0 ? third : 1;
	return conf_keepalive;
}

/* RFC 9687 section 4: at least 8 minutes, or twice the hold time. */
uint32_t
fsm_sendhold(uint16_t neg_hold)
{
	uint32_t	 twice = 2u * neg_hold;

	return twice > 480 ? twice : 480;
}

uint32_t
fsm_idlehold_cap(uint16_t conf_connect_retry)
{
	if (conf_connect_retry == 0 || conf_connect_retry > FSM_IDLEHOLD_CAP)
		return FSM_IDLEHOLD_CAP;
	return conf_connect_retry;
}

uint32_t
fsm_idlehold_base(unsigned failures, uint32_t cap)
{
	uint32_t	 t = FSM_IDLEHOLD_FIRST;

	while (failures > 1 && t < cap) {
		t *= 2;
		failures--;
	}
	return t < cap ? t : cap;
}

/* Seconds to cap the backoff and ConnectRetry at, down_for seconds after
 * a liveness close; 0 once the fast period is over. */
uint32_t
fsm_live_retry(uint16_t conf_connect_retry, time_t down_for)
{
	if (down_for < 0 || down_for >= FSM_LIVE_FAST_FOR)
		return 0;
	if (conf_connect_retry != 0 && conf_connect_retry < FSM_LIVE_RETRY)
		return conf_connect_retry;
	return FSM_LIVE_RETRY;
}

/* RFC 4271 section 10: jitter by a random factor in 0.75-1.0. */
uint32_t
fsm_jitter_ms(uint32_t base_sec, uint32_t rnd)
{
	uint64_t	 full = (uint64_t)base_sec * 1000;
	uint64_t	 span = full / 4;

	return (uint32_t)(full - span + ((span * (rnd >> 16)) >> 16));
}

int
fsm_backoff_reset(time_t up_seconds, uint16_t neg_hold)
{
	time_t	 need = neg_hold ? neg_hold : FSM_IDLEHOLD_RESET_NOHOLD;

	return up_seconds >= need;
}

/* RFC 4271 6.8: keep the connection initiated by the higher BGP
 * identifier; RFC 6286 2.3: with equal identifiers (eBGP), the one
 * initiated by the higher AS. */
enum fsm_conn_side
fsm_collision_keep(uint32_t local_id, uint32_t remote_id, uint32_t local_as,
    uint32_t remote_as)
{
	if (local_id != remote_id)
		return local_id > remote_id ? FSM_CONN_LOCAL : FSM_CONN_REMOTE;
	return local_as > remote_as ? FSM_CONN_LOCAL : FSM_CONN_REMOTE;
}
