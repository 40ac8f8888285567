/*
 * check_fsm: the RFC 4271 FSM table, the timer rules and the collision
 * decision of bgpd/fsm.c, driven without sockets or clocks.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fsm.h"
#include "msg.h"

static struct fsm_result
step(enum fsm_state s, enum fsm_event ev)
{
	struct fsm_result	 r;

	ck_assert_int_eq(fsm_step(s, ev, &r), 0);
	return r;
}

/* Drive a sequence of events from Idle; returns the final state. */
static enum fsm_state
drive(const enum fsm_event *evs, size_t n)
{
	enum fsm_state	 s = ST_IDLE;
	size_t		 i;

	for (i = 0; i < n; i++)
		s = step(s, evs[i]).next;
	return s;
}

/* The table is the truth: every action bit is named by some row (a bit
 * set nowhere would be code peer.c runs for nothing), and the ones peer.c
 * runs after the state change come from the rows that should name them:
 * the session coming up, an UPDATE and a ROUTE-REFRESH processed only
 * when Established. */
START_TEST(test_table_names_every_action)
{
	struct fsm_result	 r;
	int			 s;

	ck_assert_uint_eq(fsm_actions_used(), FSM_A_ALL);
	fsm_step(ST_OPENCONFIRM, EV_KEEPALIVE, &r);
	ck_assert(r.actions & FSM_A_ESTABLISHED);
	fsm_step(ST_ESTABLISHED, EV_UPDATE, &r);
	ck_assert(r.actions & FSM_A_PROCESS_UPDATE);
	fsm_step(ST_ESTABLISHED, EV_RREFRESH, &r);
	ck_assert(r.actions & FSM_A_PROCESS_RREFRESH);
	for (s = 0; s < ST_MAX; s++) {
		if (s == ST_ESTABLISHED)
			continue;
		fsm_step((enum fsm_state)s, EV_UPDATE, &r);
		ck_assert(!(r.actions & FSM_A_PROCESS_UPDATE));
		fsm_step((enum fsm_state)s, EV_RREFRESH, &r);
		ck_assert(!(r.actions & FSM_A_PROCESS_RREFRESH));
		fsm_step((enum fsm_state)s, EV_KEEPALIVE, &r);
		ck_assert(!(r.actions & FSM_A_ESTABLISHED) ||
		    s == ST_OPENCONFIRM);
	}
}
END_TEST

START_TEST(test_happy_path_active)
{
	struct fsm_result	 r;

	r = step(ST_IDLE, EV_AUTO_START);
	ck_assert_int_eq(r.next, ST_CONNECT);
	ck_assert(r.actions & FSM_A_CONNECT);
	ck_assert(r.actions & FSM_A_START_CONNRETRY);
	r = step(ST_CONNECT, EV_TCP_CONFIRMED);
	ck_assert_int_eq(r.next, ST_OPENSENT);
	ck_assert(r.actions & FSM_A_SEND_OPEN);
	ck_assert(r.actions & FSM_A_HOLD_LARGE);
	ck_assert(r.actions & FSM_A_STOP_CONNRETRY);
	r = step(ST_OPENSENT, EV_OPEN);
	ck_assert_int_eq(r.next, ST_OPENCONFIRM);
	ck_assert(r.actions & FSM_A_NEGOTIATE);
	ck_assert(r.actions & FSM_A_SEND_KEEPALIVE);
	ck_assert(r.actions & FSM_A_START_KEEPALIVE);
	r = step(ST_OPENCONFIRM, EV_KEEPALIVE);
	ck_assert_int_eq(r.next, ST_ESTABLISHED);
	ck_assert(r.actions & FSM_A_ESTABLISHED);
	ck_assert(r.actions & FSM_A_RESTART_HOLD);
}
END_TEST

START_TEST(test_passive_never_connects)
{
	struct fsm_result	 r;

	r = step(ST_IDLE, EV_AUTO_START_PASSIVE);
	ck_assert_int_eq(r.next, ST_ACTIVE);
	ck_assert(!(r.actions & FSM_A_CONNECT));
	ck_assert(!(r.actions & FSM_A_START_CONNRETRY));
	r = step(ST_IDLE, EV_MANUAL_START_PASSIVE);
	ck_assert_int_eq(r.next, ST_ACTIVE);
	ck_assert_uint_eq(r.actions, 0);
	r = step(ST_ACTIVE, EV_TCP_CONFIRMED);
	ck_assert_int_eq(r.next, ST_OPENSENT);
	ck_assert(r.actions & FSM_A_SEND_OPEN);
}
END_TEST

START_TEST(test_every_state_reachable)
{
	int		 seen[ST_MAX] = { 0 }, changed = 1;
	int		 s, e, n = 0;

	seen[ST_IDLE] = 1;
	while (changed) {
		changed = 0;
		for (s = 0; s < ST_MAX; s++) {
			if (!seen[s])
				continue;
			for (e = 0; e < EV_MAX; e++) {
				struct fsm_result r = step(s, e);
				if (!seen[r.next])
					seen[r.next] = changed = 1;
			}
		}
	}
	for (s = 0; s < ST_MAX; s++)
		n += seen[s];
	ck_assert_int_eq(n, ST_MAX);
}
END_TEST

START_TEST(test_sequence)
{
	const enum fsm_event up[] = { EV_AUTO_START, EV_TCP_CONFIRMED,
	    EV_OPEN, EV_KEEPALIVE, EV_UPDATE, EV_KEEPALIVE_EXPIRES,
	    EV_RREFRESH, EV_KEEPALIVE };
	const enum fsm_event down[] = { EV_AUTO_START, EV_TCP_CONFIRMED,
	    EV_OPEN, EV_KEEPALIVE, EV_HOLD_EXPIRES };
	const enum fsm_event retry[] = { EV_AUTO_START, EV_CONNRETRY_EXPIRES,
	    EV_CONNRETRY_EXPIRES };

	ck_assert_int_eq(drive(up, sizeof(up) / sizeof(up[0])),
	    ST_ESTABLISHED);
	ck_assert_int_eq(drive(down, sizeof(down) / sizeof(down[0])),
	    ST_IDLE);
	ck_assert_int_eq(drive(retry, sizeof(retry) / sizeof(retry[0])),
	    ST_CONNECT);
}
END_TEST

/* Errors in any connected state go to Idle, drop the connection and
 * count a failure. */
START_TEST(test_errors_to_idle)
{
	const enum fsm_event errs[] = { EV_HOLD_EXPIRES, EV_TCP_FAILS,
	    EV_NOTIF, EV_HDR_ERR, EV_SENDHOLD_EXPIRES,
	    EV_OPEN_COLLISION_DUMP };
	enum fsm_state	 s;
	size_t		 i;

	for (s = ST_CONNECT; s < ST_MAX; s++)
		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
			struct fsm_result r = step(s, errs[i]);
			ck_assert_msg(r.next == ST_IDLE, "%s in %s -> %s",
			    fsm_event_name(errs[i]), fsm_state_name(s),
			    fsm_state_name(r.next));
			ck_assert(r.actions & FSM_A_CLOSE);
			ck_assert(r.actions & FSM_A_STOP_TIMERS);
			ck_assert(r.actions & FSM_A_BACKOFF);
		}
}
END_TEST

START_TEST(test_error_notifications)
{
	struct fsm_result	 r;

	r = step(ST_OPENSENT, EV_HOLD_EXPIRES);
	ck_assert(r.actions & FSM_A_SEND_NOTIFY);
	ck_assert_uint_eq(r.code, ERR_HOLD);
	r = step(ST_ESTABLISHED, EV_SENDHOLD_EXPIRES);
	ck_assert_uint_eq(r.code, ERR_SENDHOLD);
	r = step(ST_OPENCONFIRM, EV_OPEN_COLLISION_DUMP);
	ck_assert_uint_eq(r.code, ERR_CEASE);
	ck_assert_uint_eq(r.subcode, ERR_CEASE_COLLISION);
	/* Codec errors send what the codec built, not a table entry. */
	r = step(ST_OPENSENT, EV_OPEN_ERR);
	ck_assert(r.actions & FSM_A_SEND_NOTIFY_MSG);
	ck_assert(!(r.actions & FSM_A_SEND_NOTIFY));
	r = step(ST_ESTABLISHED, EV_UPDATE_ERR);
	ck_assert(r.actions & FSM_A_SEND_NOTIFY_MSG);
	/* No NOTIFICATION answers a NOTIFICATION or a lost connection. */
	r = step(ST_ESTABLISHED, EV_NOTIF);
	ck_assert(!(r.actions & (FSM_A_SEND_NOTIFY | FSM_A_SEND_NOTIFY_MSG)));
	r = step(ST_OPENSENT, EV_TCP_FAILS);
	ck_assert(!(r.actions & (FSM_A_SEND_NOTIFY | FSM_A_SEND_NOTIFY_MSG)));
	/* A version error is not counted as a failure (8.2.2 event 24). */
	r = step(ST_OPENSENT, EV_NOTIF_VERERR);
	ck_assert_int_eq(r.next, ST_IDLE);
	ck_assert(!(r.actions & FSM_A_BACKOFF));
}
END_TEST

/* RFC 6608 FSM error subcodes for messages unexpected in a state. */
START_TEST(test_unexpected_messages)
{
	static const struct {
		enum fsm_state	s;
		enum fsm_event	ev;
		uint8_t		sub;
	} t[] = {
		{ ST_OPENSENT, EV_KEEPALIVE, ERR_FSM_UNEX_OPENSENT },
		{ ST_OPENSENT, EV_UPDATE, ERR_FSM_UNEX_OPENSENT },
		{ ST_OPENSENT, EV_RREFRESH, ERR_FSM_UNEX_OPENSENT },
		{ ST_OPENCONFIRM, EV_OPEN, ERR_FSM_UNEX_OPENCONFIRM },
		{ ST_OPENCONFIRM, EV_UPDATE, ERR_FSM_UNEX_OPENCONFIRM },
		{ ST_OPENCONFIRM, EV_RREFRESH, ERR_FSM_UNEX_OPENCONFIRM },
		{ ST_ESTABLISHED, EV_OPEN, ERR_FSM_UNEX_ESTABLISHED },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fsm_result r = step(t[i].s, t[i].ev);
		ck_assert_int_eq(r.next, ST_IDLE);
		ck_assert(r.actions & FSM_A_SEND_NOTIFY);
		ck_assert_uint_eq(r.code, ERR_FSM);
		ck_assert_uint_eq(r.subcode, t[i].sub);
	}
	/* Before an OPEN went out there is nobody to tell. */
	ck_assert(!(step(ST_CONNECT, EV_KEEPALIVE).actions &
	    FSM_A_SEND_NOTIFY));
	ck_assert_int_eq(step(ST_ACTIVE, EV_UPDATE).next, ST_IDLE);
}
END_TEST

START_TEST(test_start_stop)
{
	enum fsm_state		 s;
	struct fsm_result	 r;

	/* Start events are ignored outside Idle. */
	for (s = ST_CONNECT; s < ST_MAX; s++) {
		r = step(s, EV_AUTO_START);
		ck_assert_int_eq(r.next, s);
		ck_assert_uint_eq(r.actions, 0);
		r = step(s, EV_IDLEHOLD_EXPIRES);
		ck_assert_int_eq(r.next, s);
	}
	/* Idle ignores messages and refuses connections. */
	ck_assert_uint_eq(step(ST_IDLE, EV_KEEPALIVE).actions, 0);
	ck_assert_int_eq(step(ST_IDLE, EV_HOLD_EXPIRES).next, ST_IDLE);
	r = step(ST_IDLE, EV_TCP_CONFIRMED);
	ck_assert_int_eq(r.next, ST_IDLE);
	ck_assert_uint_eq(r.actions, FSM_A_CLOSE);
	r = step(ST_IDLE, EV_IDLEHOLD_EXPIRES);
	ck_assert_int_eq(r.next, ST_CONNECT);
	/* ManualStop: Cease/2 once an OPEN went out; no automatic restart. */
	r = step(ST_ESTABLISHED, EV_MANUAL_STOP);
	ck_assert_int_eq(r.next, ST_IDLE);
	ck_assert_uint_eq(r.code, ERR_CEASE);
	ck_assert_uint_eq(r.subcode, ERR_CEASE_ADMIN_DOWN);
	ck_assert(r.actions & FSM_A_RESET_BACKOFF);
	ck_assert(!(r.actions & FSM_A_BACKOFF));
	r = step(ST_CONNECT, EV_MANUAL_STOP);
	ck_assert(!(r.actions & FSM_A_SEND_NOTIFY));
	ck_assert(r.actions & FSM_A_CLOSE);
	ck_assert_int_eq(fsm_step(ST_MAX, EV_OPEN, &r), -1);
	ck_assert_int_eq(fsm_step(ST_IDLE, EV_MAX, &r), -1);
}
END_TEST

START_TEST(test_keepalives_and_hold)
{
	struct fsm_result	 r;

	r = step(ST_ESTABLISHED, EV_KEEPALIVE_EXPIRES);
	ck_assert_int_eq(r.next, ST_ESTABLISHED);
	ck_assert(r.actions & FSM_A_SEND_KEEPALIVE);
	ck_assert(r.actions & FSM_A_START_KEEPALIVE);
	r = step(ST_OPENCONFIRM, EV_KEEPALIVE_EXPIRES);
	ck_assert_int_eq(r.next, ST_OPENCONFIRM);
	ck_assert(r.actions & FSM_A_SEND_KEEPALIVE);
	r = step(ST_ESTABLISHED, EV_UPDATE);
	ck_assert(r.actions & FSM_A_RESTART_HOLD);
	ck_assert(r.actions & FSM_A_PROCESS_UPDATE);
	r = step(ST_ESTABLISHED, EV_RREFRESH);
	ck_assert(r.actions & FSM_A_PROCESS_RREFRESH);
}
END_TEST

START_TEST(test_hold_negotiation)
{
	ck_assert_uint_eq(fsm_hold_negotiate(180, 30), 30);
	ck_assert_uint_eq(fsm_hold_negotiate(30, 180), 30);
	ck_assert_uint_eq(fsm_hold_negotiate(90, 90), 90);
	ck_assert_uint_eq(fsm_hold_negotiate(0, 90), 0);
	ck_assert_uint_eq(fsm_hold_negotiate(90, 0), 0);
	ck_assert_uint_eq(fsm_hold_negotiate(3, 65535), 3);
}
END_TEST

START_TEST(test_keepalive_rule)
{
	/* AWS: 10/30 against our 60/180 -> hold 30, keepalive 10. */
	ck_assert_uint_eq(fsm_keepalive(60, 30), 10);
	ck_assert_uint_eq(fsm_keepalive(10, 30), 10);
	ck_assert_uint_eq(fsm_keepalive(5, 30), 5);
	ck_assert_uint_eq(fsm_keepalive(60, 180), 60);
	ck_assert_uint_eq(fsm_keepalive(20, 60), 20);
	ck_assert_uint_eq(fsm_keepalive(60, 0), 0);
	ck_assert_uint_eq(fsm_keepalive(0, 0), 0);
	ck_assert_uint_eq(fsm_keepalive(60, 3), 1);
	ck_assert_uint_eq(fsm_keepalive(60, 4), 1);
	ck_assert_uint_eq(fsm_keepalive(0, 90), 30);
}
END_TEST

START_TEST(test_sendhold)
{
	ck_assert_uint_eq(fsm_sendhold(30), 480);
	ck_assert_uint_eq(fsm_sendhold(0), 480);
	ck_assert_uint_eq(fsm_sendhold(300), 600);
}
END_TEST

START_TEST(test_backoff_growth_and_cap)
{
	const uint32_t	 want[] = { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
	uint32_t	 cap = fsm_idlehold_cap(0);
	unsigned	 i;

	ck_assert_uint_eq(cap, 60);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_uint_eq(fsm_idlehold_base(i + 1, cap), want[i]);
	ck_assert_uint_eq(fsm_idlehold_base(1000, cap), 60);
	ck_assert_uint_eq(fsm_idlehold_base(0, cap), 1);
	/* A configured connect-retry lowers the cap, never raises it. */
	ck_assert_uint_eq(fsm_idlehold_cap(10), 10);
	ck_assert_uint_eq(fsm_idlehold_cap(120), 60);
	ck_assert_uint_eq(fsm_idlehold_base(4, 10), 8);
	ck_assert_uint_eq(fsm_idlehold_base(5, 10), 10);
	ck_assert_uint_eq(fsm_idlehold_base(3, fsm_idlehold_cap(1)), 1);
}
END_TEST

/* After a liveness close: fast retries for a while, then the usual rule. */
START_TEST(test_live_retry)
{
	ck_assert_uint_eq(fsm_live_retry(0, 0), FSM_LIVE_RETRY);
	ck_assert_uint_eq(fsm_live_retry(120, 30), FSM_LIVE_RETRY);
	/* timers connect 1 is faster still and wins. */
	ck_assert_uint_eq(fsm_live_retry(1, 30), 1);
	ck_assert_uint_eq(fsm_live_retry(0, FSM_LIVE_FAST_FOR - 1),
	    FSM_LIVE_RETRY);
	ck_assert_uint_eq(fsm_live_retry(0, FSM_LIVE_FAST_FOR), 0);
	ck_assert_uint_eq(fsm_live_retry(5, -1), 0);
	/* As the backoff cap: 1 s, then 2 s every time. */
	ck_assert_uint_eq(fsm_idlehold_base(1, fsm_live_retry(0, 0)), 1);
	ck_assert_uint_eq(fsm_idlehold_base(2, fsm_live_retry(0, 0)), 2);
	ck_assert_uint_eq(fsm_idlehold_base(9, fsm_live_retry(0, 0)), 2);
}
END_TEST

START_TEST(test_jitter_bounds)
{
	uint32_t	 base, v, rnd = 12345;
	int		 i;

	ck_assert_uint_eq(fsm_jitter_ms(1, 0), 750);
	ck_assert_uint_le(fsm_jitter_ms(1, 0xffffffffu), 1000);
	ck_assert_uint_ge(fsm_jitter_ms(1, 0xffffffffu), 999);
	ck_assert_uint_eq(fsm_jitter_ms(60, 0), 45000);
	ck_assert_uint_eq(fsm_jitter_ms(60, 0x80000000u), 52500);
	for (i = 0; i < 10000; i++) {
		rnd = rnd * 1103515245u + 12345u;
		base = 1 + (uint32_t)i % 120;
		v = fsm_jitter_ms(base, rnd);
		ck_assert_uint_ge(v, base * 750);
		ck_assert_uint_le(v, base * 1000);
	}
}
END_TEST

START_TEST(test_backoff_reset)
{
	ck_assert(!fsm_backoff_reset(29, 30));
	ck_assert(fsm_backoff_reset(30, 30));
	ck_assert(fsm_backoff_reset(500, 180));
	ck_assert(!fsm_backoff_reset(179, 180));
	/* Hold time 0: 60 seconds make a session stable. */
	ck_assert(!fsm_backoff_reset(59, 0));
	ck_assert(fsm_backoff_reset(60, 0));
}
END_TEST

START_TEST(test_collision)
{
	/* Higher identifier keeps the connection it initiated. */
	ck_assert_int_eq(fsm_collision_keep(0x0a000002, 0x0a000001, 65000,
	    64512), FSM_CONN_LOCAL);
	ck_assert_int_eq(fsm_collision_keep(0x0a000001, 0x0a000002, 65000,
	    64512), FSM_CONN_REMOTE);
	/* Compared as unsigned numbers: 200.0.0.1 beats 10.0.0.1. */
	ck_assert_int_eq(fsm_collision_keep(0xc8000001, 0x0a000001, 1, 2),
	    FSM_CONN_LOCAL);
	/* RFC 6286: equal identifiers, the higher AS wins. */
	ck_assert_int_eq(fsm_collision_keep(0x01010101, 0x01010101, 65001,
	    65000), FSM_CONN_LOCAL);
	ck_assert_int_eq(fsm_collision_keep(0x01010101, 0x01010101, 64512,
	    65000), FSM_CONN_REMOTE);
}
END_TEST

START_TEST(test_names)
{
	int	 i;

	ck_assert_str_eq(fsm_state_name(ST_IDLE), "Idle");
	ck_assert_str_eq(fsm_state_name(ST_ESTABLISHED), "Established");
	ck_assert_str_eq(fsm_state_name(ST_OPENCONFIRM), "OpenConfirm");
	ck_assert_str_eq(fsm_state_name(ST_MAX), "Unknown");
	ck_assert_str_eq(fsm_event_name(EV_HOLD_EXPIRES), "HoldTimer_Expires");
	for (i = 0; i < EV_MAX; i++) {
		ck_assert_ptr_nonnull(fsm_event_name(i));
		ck_assert_str_ne(fsm_event_name(i), "Unknown");
	}
}
END_TEST

static Suite *
fsm_suite(void)
{
	Suite	*s = suite_create("fsm");
	TCase	*t = tcase_create("transitions");
	TCase	*tm = tcase_create("timers");

	tcase_add_test(t, test_table_names_every_action);
	tcase_add_test(t, test_happy_path_active);
	tcase_add_test(t, test_passive_never_connects);
	tcase_add_test(t, test_every_state_reachable);
	tcase_add_test(t, test_sequence);
	tcase_add_test(t, test_errors_to_idle);
	tcase_add_test(t, test_error_notifications);
	tcase_add_test(t, test_unexpected_messages);
	tcase_add_test(t, test_start_stop);
	tcase_add_test(t, test_keepalives_and_hold);
	tcase_add_test(t, test_collision);
	tcase_add_test(t, test_names);
	tcase_add_test(tm, test_hold_negotiation);
	tcase_add_test(tm, test_keepalive_rule);
	tcase_add_test(tm, test_sendhold);
	tcase_add_test(tm, test_backoff_growth_and_cap);
	tcase_add_test(tm, test_live_retry);
	tcase_add_test(tm, test_jitter_bounds);
	tcase_add_test(tm, test_backoff_reset);
	suite_add_tcase(s, t);
	suite_add_tcase(s, tm);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fsm_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
