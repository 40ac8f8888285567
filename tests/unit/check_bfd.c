/*
 * check_bfd: BFD (bgpd/bfd.c) without sockets or clocks.
 * Hand-built control packets, each RFC 5880 6.8.6 reception check failed
 * on its own, truncations and random bytes; the RFC 5881 TTL rule and the
 * demultiplexing by discriminator and by source and interface; the state
 * machine driven by hand (Down -> Init -> Up, Up -> Down on detection
 * timeout and on the peer's Down or AdminDown); Poll answered with Final
 * and our own Poll Sequences; the timer arithmetic of 6.8.2 - 6.8.7.
 * Sending through real sockets against BIRD and FRR is an interop run in
 * network namespaces; one test here runs two sessions against each other
 * over lo in a namespace of its own, where the system allows one.
 */
#include "config.h"		/* _GNU_SOURCE: unshare, CLONE_NEWNET */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>

#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bfd.h"

#define PEER_DISC	0x0a0b0c0d

/* What the engine sent and what the callback saw --------------------- */

struct seen {
	struct bfd_pkt	 last;		/* last packet sent, parsed back */
	int		 sent;
	int		 bad;		/* sent packets bfd_parse refused */
	enum bfd_state	 cb_state[16];
	char		 cb_why[16][64];
	int		 cbs;
};

static struct seen	 seen;

static void
out_cb(const struct bfd_sess *s, const uint8_t *p, size_t n, void *arg)
{
	struct bfd_pkt	 pkt;

	(void)s;
	ck_assert_ptr_eq(arg, &seen);
	ck_assert_uint_eq(n, BFD_PKT_LEN);
	seen.sent++;
	/* Our own Down packets before we know the peer carry Your
	 * Discriminator 0, which is valid; anything else must parse. */
	if (bfd_parse(p, n, &pkt, NULL) == -1)
		seen.bad++;
	else
		seen.last = pkt;
}

static void
state_cb(struct bfd_sess *s, enum bfd_state st, const char *why, void *arg)
{
	ck_assert_ptr_eq(arg, &seen);
	ck_assert_int_eq(bfd_sess_state(s), st);
	ck_assert_int_lt(seen.cbs, 16);
	seen.cb_state[seen.cbs] = st;
	snprintf(seen.cb_why[seen.cbs], sizeof(seen.cb_why[0]), "%s", why);
	seen.cbs++;
}

static void
setup(void)
{
	memset(&seen, 0, sizeof(seen));
	bfd_set_output(out_cb, &seen);
}

static void
teardown(void)
{
	bfd_shutdown();
	bfd_set_output(NULL, NULL);
}

/* Packet builder ------------------------------------------------------ */

static struct bfd_pkt
mk(enum bfd_state st, uint32_t your)
{
	struct bfd_pkt	 p;

	memset(&p, 0, sizeof(p));
	p.version = BFD_VERSION;
	p.state = st;
	p.detect_mult = 3;
	p.length = BFD_PKT_LEN;
	p.my_disc = PEER_DISC;
	p.your_disc = your;
	p.min_tx_us = 300000;
	p.min_rx_us = 300000;
	return p;
}

static size_t
wire(const struct bfd_pkt *p, uint8_t *b)
{
	size_t	 n = bfd_build(p, b, BFD_PKT_LEN);

	ck_assert_uint_eq(n, BFD_PKT_LEN);
	return n;
}

static const char *
parse_why(const uint8_t *b, size_t n)
{
	struct bfd_pkt	 p;
	const char	*why = NULL;

	if (bfd_parse(b, n, &p, &why) == 0)
		return NULL;
	ck_assert_ptr_nonnull(why);
	return why;
}

static struct tb_addr
ip(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static int
feed(const struct bfd_pkt *p, const char *src, int ifindex, int ttl,
    const char **why)
{
	uint8_t		 b[BFD_PKT_LEN];
	struct tb_addr	 a = ip(src);

	return bfd_input(b, wire(p, b), &a, ifindex, ttl, why);
}

static void
feed_ok(const struct bfd_pkt *p)
{
	const char	*why = NULL;

	ck_assert_msg(feed(p, "169.254.116.210", 0, 255, &why) == 0,
	    "dropped: %s", why);
}

static struct bfd_sess *
mk_sess(uint32_t tx, uint32_t rx, uint8_t mult)
{
	struct bfd_opts	 o = { tx, rx, mult };
	struct tb_addr	 peer = ip("169.254.116.210");
	struct tb_addr	 local = ip("169.254.116.209");
	struct bfd_sess	*s;

	s = bfd_sess_new(&peer, &local, NULL, &o, state_cb, &seen);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* Drives a new session to Up the way a peer does: Down, then Init. */
static struct bfd_sess *
mk_up(void)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_pkt	 p;
	struct bfd_info	 i;

	bfd_sess_info(s, &i);
	p = mk(BFD_DOWN, 0);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_INIT);
	p = mk(BFD_UP, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_UP);
	return s;
}

/* Parsing: RFC 5880 6.8.6, one rule at a time -------------------------- */

START_TEST(t_parse_valid)
{
	struct bfd_pkt	 p = mk(BFD_UP, 7), q;
	uint8_t		 b[BFD_PKT_LEN];

	p.diag = BFD_DIAG_NEIGHBOR_DOWN;
	p.flags = BFD_F_POLL | BFD_F_CPI;
	p.min_echo_rx_us = 50000;
	wire(&p, b);
	/* Octet 0: version 1 in the top three bits, diag 3 below. */
	ck_assert_uint_eq(b[0], 0x23);
	ck_assert_uint_eq(b[1], 0xc0 | BFD_F_POLL | BFD_F_CPI);
	ck_assert_uint_eq(b[3], 24);
	ck_assert_int_eq(bfd_parse(b, sizeof(b), &q, NULL), 0);
	ck_assert_uint_eq(q.version, 1);
	ck_assert_uint_eq(q.diag, 3);
	ck_assert_int_eq(q.state, BFD_UP);
	ck_assert_uint_eq(q.flags, BFD_F_POLL | BFD_F_CPI);
	ck_assert_uint_eq(q.detect_mult, 3);
	ck_assert_uint_eq(q.my_disc, PEER_DISC);
	ck_assert_uint_eq(q.your_disc, 7);
	ck_assert_uint_eq(q.min_tx_us, 300000);
	ck_assert_uint_eq(q.min_rx_us, 300000);
	ck_assert_uint_eq(q.min_echo_rx_us, 50000);
}
END_TEST

START_TEST(t_parse_version)
{
	struct bfd_pkt	 p = mk(BFD_DOWN, 0);
	uint8_t		 b[BFD_PKT_LEN];
	unsigned int	 v;

	wire(&p, b);
	for (v = 0; v < 8; v++) {
		b[0] = (uint8_t)(v << 5);
		if (v == 1)
			ck_assert_ptr_null(parse_why(b, sizeof(b)));
		else
			ck_assert_str_eq(parse_why(b, sizeof(b)),
			    "version not 1");
	}
}
END_TEST

START_TEST(t_parse_length)
{
	struct bfd_pkt	 p = mk(BFD_DOWN, 0);
	uint8_t		 b[64];

	memset(b, 0, sizeof(b));
	wire(&p, b);
	/* Below 24 with A clear. */
	b[3] = 23;
	ck_assert_str_eq(parse_why(b, 64), "length below the minimum");
	b[3] = 0;
	ck_assert_str_eq(parse_why(b, 64), "length below the minimum");
	/* Below 26 with A set: the length rule fires before the A rule. */
	b[1] |= BFD_F_AUTH;
	b[3] = 25;
	ck_assert_str_eq(parse_why(b, 64), "length below the minimum");
	b[3] = 26;
	ck_assert_str_eq(parse_why(b, 64), "authentication not in use");
	b[1] &= (uint8_t)~BFD_F_AUTH;
	/* Longer than the datagram. */
	b[3] = 24;
	ck_assert_str_eq(parse_why(b, 23), "length past the datagram");
	b[3] = 30;
	ck_assert_str_eq(parse_why(b, 24), "length past the datagram");
	ck_assert_ptr_null(parse_why(b, 30));
	/* Shorter than the datagram (UDP padding): the rest is ignored. */
	b[3] = 24;
	ck_assert_ptr_null(parse_why(b, 64));
}
END_TEST

START_TEST(t_parse_truncated)
{
	struct bfd_pkt	 p = mk(BFD_DOWN, 0);
	uint8_t		 b[BFD_PKT_LEN];
	size_t		 n;

	wire(&p, b);
	for (n = 0; n < BFD_PKT_LEN; n++)
		ck_assert_ptr_nonnull(parse_why(b, n));
	ck_assert_str_eq(parse_why(b, 3), "shorter than a header");
	ck_assert_str_eq(parse_why(b, 4), "length past the datagram");
	ck_assert_ptr_null(parse_why(b, BFD_PKT_LEN));
}
END_TEST

START_TEST(t_parse_fields)
{
	struct bfd_pkt	 p;
	uint8_t		 b[BFD_PKT_LEN];

	p = mk(BFD_DOWN, 0);
	p.detect_mult = 0;
	ck_assert_str_eq(parse_why(b, wire(&p, b)), "detect mult zero");
	p = mk(BFD_DOWN, 0);
	p.flags = BFD_F_MULTIPOINT;
	ck_assert_str_eq(parse_why(b, wire(&p, b)), "multipoint bit set");
	p = mk(BFD_DOWN, 0);
	p.my_disc = 0;
	ck_assert_str_eq(parse_why(b, wire(&p, b)), "my discriminator zero");
	/* Your Discriminator 0 only in Down and AdminDown. */
	p = mk(BFD_ADMIN_DOWN, 0);
	ck_assert_ptr_null(parse_why(b, wire(&p, b)));
	p = mk(BFD_DOWN, 0);
	ck_assert_ptr_null(parse_why(b, wire(&p, b)));
	p = mk(BFD_INIT, 0);
	ck_assert_str_eq(parse_why(b, wire(&p, b)),
	    "your discriminator zero while not down");
	p = mk(BFD_UP, 0);
	ck_assert_str_eq(parse_why(b, wire(&p, b)),
	    "your discriminator zero while not down");
	p = mk(BFD_UP, 1);
	ck_assert_ptr_null(parse_why(b, wire(&p, b)));
	/* D, C, P, F are not reasons to drop. */
	p = mk(BFD_UP, 1);
	p.flags = BFD_F_DEMAND | BFD_F_CPI | BFD_F_POLL | BFD_F_FINAL;
	ck_assert_ptr_null(parse_why(b, wire(&p, b)));
}
END_TEST

/* Random datagrams: whatever is accepted satisfies every rule. */
START_TEST(t_parse_random)
{
	struct bfd_pkt	 p;
	uint8_t		 b[40];
	size_t		 n, k;
	unsigned int	 seed = 5880, accepted = 0, i;

	for (i = 0; i < 200000; i++) {
		n = (size_t)(rand_r(&seed) % (int)sizeof(b));
		for (k = 0; k < n; k++)
			b[k] = (uint8_t)rand_r(&seed);
		/* Bias toward the interesting part of the space. */
		if (n > 3 && (i & 1)) {
			b[0] = (uint8_t)(0x20 | (b[0] & 0x1f));
			b[1] &= (uint8_t)~(BFD_F_AUTH | BFD_F_MULTIPOINT);
			b[3] = (uint8_t)(24 + b[3] % 8);
		}
		if (bfd_parse(b, n, &p, NULL) == -1)
			continue;
		accepted++;
		ck_assert_uint_ge(n, 24);
		ck_assert_uint_le(p.length, n);
		ck_assert_uint_eq(p.version, 1);
		ck_assert_uint_ne(p.detect_mult, 0);
		ck_assert_uint_eq(p.flags & (BFD_F_MULTIPOINT | BFD_F_AUTH), 0);
		ck_assert_uint_ne(p.my_disc, 0);
		ck_assert(p.your_disc != 0 || p.state <= BFD_DOWN);
	}
	ck_assert_uint_gt(accepted, 1000);
}
END_TEST

/* Reception before the state machine: TTL and demultiplexing ----------- */

START_TEST(t_ttl)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_pkt	 p = mk(BFD_DOWN, 0);
	struct bfd_info	 i;
	const char	*why;

	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 254, &why), -1);
	ck_assert_str_eq(why, "ttl not 255");
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 1, &why), -1);
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, -1, &why), -1);
	ck_assert_uint_eq(bfd_stats()->bad_ttl, 3);
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.dropped, 3);
	ck_assert_uint_eq(i.rx, 0);
	ck_assert_int_eq(bfd_sess_state(s), BFD_DOWN);
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 255, &why), 0);
	ck_assert_int_eq(bfd_sess_state(s), BFD_INIT);
}
END_TEST

START_TEST(t_demux)
{
	struct bfd_opts	 o = { 300, 300, 3 };
	struct tb_addr	 peer = ip("fe80::2");
	struct bfd_sess	*a = mk_sess(300, 300, 3), *ll;
	struct bfd_pkt	 p;
	struct bfd_info	 ia, il;
	const char	*why;
	int		 lo = (int)if_nametoindex("lo");

	ck_assert_int_gt(lo, 0);
	ll = bfd_sess_new(&peer, NULL, "lo", &o, state_cb, &seen);
	ck_assert_ptr_nonnull(ll);
	bfd_sess_info(a, &ia);
	bfd_sess_info(ll, &il);
	ck_assert_uint_ne(ia.local_disc, 0);
	ck_assert_uint_ne(ia.local_disc, il.local_disc);

	/* Unknown Your Discriminator: dropped (6.8.6). */
	p = mk(BFD_UP, ia.local_disc ^ il.local_disc ^ 1);
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 255, &why), -1);
	ck_assert_str_eq(why, "no session with your discriminator");
	/* Known, but from another source. */
	p = mk(BFD_UP, ia.local_disc);
	ck_assert_int_eq(feed(&p, "169.254.116.99", 0, 255, &why), -1);
	ck_assert_str_eq(why,
	    "your discriminator names another peer's session");
	/* Zero: by source ... */
	p = mk(BFD_DOWN, 0);
	ck_assert_int_eq(feed(&p, "169.254.116.99", 0, 255, &why), -1);
	ck_assert_str_eq(why, "no session for the source and interface");
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 255, &why), 0);
	ck_assert_int_eq(bfd_sess_state(a), BFD_INIT);
	ck_assert_int_eq(bfd_sess_state(ll), BFD_DOWN);
	/* ... and interface (RFC 5881 3). */
	ck_assert_int_eq(feed(&p, "fe80::2", lo + 1000, 255, &why), -1);
	ck_assert_int_eq(bfd_sess_state(ll), BFD_DOWN);
	ck_assert_int_eq(feed(&p, "fe80::2", lo, 255, &why), 0);
	ck_assert_int_eq(bfd_sess_state(ll), BFD_INIT);
	ck_assert_uint_eq(bfd_stats()->no_session, 4);
	/* One session per peer and interface. */
	ck_assert_ptr_null(bfd_sess_new(&peer, NULL, "lo", &o, NULL, NULL));
	ck_assert_int_eq(errno, EEXIST);
}
END_TEST

START_TEST(t_new_bad)
{
	struct bfd_opts	 o = { 300, 300, 3 }, bad;
	struct tb_addr	 v4 = ip("169.254.116.210"), v6 = ip("fd00::2");

	ck_assert_ptr_null(bfd_sess_new(&v4, &v6, NULL, &o, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	bad = o;
	bad.multiplier = 0;
	ck_assert_ptr_null(bfd_sess_new(&v4, NULL, NULL, &bad, NULL, NULL));
	bad = o;
	bad.min_tx_ms = 0;
	ck_assert_ptr_null(bfd_sess_new(&v4, NULL, NULL, &bad, NULL, NULL));
	bad = o;
	bad.min_rx_ms = BFD_MAX_INTERVAL_MS + 1;
	ck_assert_ptr_null(bfd_sess_new(&v4, NULL, NULL, &bad, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(bfd_sess_new(&v4, NULL,
	    "an-interface-name-too-long", &o, NULL, NULL));
}
END_TEST

/* The state machine ----------------------------------------------------- */

START_TEST(t_three_way)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_pkt	 p;
	struct bfd_info	 i;

	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_DOWN);
	/* Down: 1 s however fast the configuration (6.8.3). */
	bfd_sess_tx(s);
	ck_assert_int_eq(seen.sent, 1);
	ck_assert_int_eq(seen.last.state, BFD_DOWN);
	ck_assert_uint_eq(seen.last.your_disc, 0);
	ck_assert_uint_eq(seen.last.my_disc, i.local_disc);
	ck_assert_uint_eq(seen.last.min_tx_us, 1000000);
	ck_assert_uint_eq(seen.last.min_rx_us, 300000);
	ck_assert_uint_eq(seen.last.min_echo_rx_us, 0);
	ck_assert_uint_eq(seen.last.detect_mult, 3);

	/* Peer Down -> Init, sent at once with the peer's discriminator. */
	p = mk(BFD_DOWN, 0);
	p.min_tx_us = 1000000;
	feed_ok(&p);
	ck_assert_int_eq(seen.cbs, 1);
	ck_assert_int_eq(seen.cb_state[0], BFD_INIT);
	ck_assert_int_eq(seen.sent, 2);
	ck_assert_int_eq(seen.last.state, BFD_INIT);
	ck_assert_uint_eq(seen.last.your_disc, PEER_DISC);
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.tx_ms, 1000);
	ck_assert_uint_eq(i.detect_ms, 3000);

	/* Peer Init -> Up; the faster rate goes out under a Poll. */
	p = mk(BFD_INIT, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(seen.cbs, 2);
	ck_assert_int_eq(seen.cb_state[1], BFD_UP);
	ck_assert_int_eq(seen.last.state, BFD_UP);
	ck_assert_uint_eq(seen.last.flags, BFD_F_POLL);
	ck_assert_uint_eq(seen.last.min_tx_us, 300000);
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.tx_ms, 300);
	ck_assert_uint_eq(i.detect_ms, 900);
	ck_assert_int_eq(i.poll, 1);
	ck_assert_uint_eq(i.ups, 1);
	ck_assert_int_eq(seen.bad, 0);
}
END_TEST

START_TEST(t_init_to_up_on_up)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_pkt	 p = mk(BFD_DOWN, 0);
	struct bfd_info	 i;

	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(bfd_sess_state(s), BFD_INIT);
	p = mk(BFD_UP, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_UP);
	ck_assert_str_eq(seen.cb_why[1], "neighbor is up");
}
END_TEST

START_TEST(t_down_ignores_up)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	bfd_sess_info(s, &i);
	p = mk(BFD_UP, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_DOWN);
	p = mk(BFD_ADMIN_DOWN, 0);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_DOWN);
	ck_assert_int_eq(seen.cbs, 0);
}
END_TEST

START_TEST(t_detect_timeout)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	bfd_sess_timeout(s);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_DOWN);
	ck_assert_int_eq(i.local_diag, BFD_DIAG_TIME_EXPIRED);
	ck_assert_uint_eq(i.remote_disc, 0);
	ck_assert_uint_eq(i.downs, 1);
	ck_assert_uint_eq(i.detect_ms, 0);
	ck_assert_int_eq(i.poll, 0);
	ck_assert_int_eq(seen.cb_state[seen.cbs - 1], BFD_DOWN);
	ck_assert_str_eq(seen.cb_why[seen.cbs - 1],
	    "control detection time expired");
	/* The peer is told at once, back at the slow rate. */
	ck_assert_int_eq(seen.last.state, BFD_DOWN);
	ck_assert_uint_eq(seen.last.diag, BFD_DIAG_TIME_EXPIRED);
	ck_assert_uint_eq(seen.last.your_disc, 0);
	ck_assert_uint_eq(seen.last.min_tx_us, 1000000);
	ck_assert_uint_eq(i.tx_ms, 1000);
	/* Expiry while Down forgets the peer but calls nobody. */
	seen.cbs = 0;
	bfd_sess_timeout(s);
	ck_assert_int_eq(seen.cbs, 0);
	ck_assert_int_eq(bfd_sess_state(s), BFD_DOWN);
	/* Back up from Down: the peer's Init, the diag cleared. */
	p = mk(BFD_INIT, i.local_disc);
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_UP);
	ck_assert_int_eq(i.local_diag, BFD_DIAG_NONE);
	ck_assert_uint_eq(i.ups, 2);
}
END_TEST

START_TEST(t_remote_admin_down)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_pkt	 p = mk(BFD_ADMIN_DOWN, 0);
	struct bfd_info	 i;

	p.diag = BFD_DIAG_ADMIN_DOWN;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_DOWN);
	ck_assert_int_eq(i.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_int_eq(i.remote_state, BFD_ADMIN_DOWN);
	ck_assert_int_eq(i.remote_diag, BFD_DIAG_ADMIN_DOWN);
	ck_assert_str_eq(seen.cb_why[seen.cbs - 1],
	    "neighbor signaled AdminDown");
	ck_assert_int_eq(seen.last.state, BFD_DOWN);
	ck_assert_uint_eq(seen.last.diag, BFD_DIAG_NEIGHBOR_DOWN);
	/* Still knows the peer's discriminator (only expiry clears it). */
	ck_assert_uint_eq(seen.last.your_disc, PEER_DISC);
}
END_TEST

START_TEST(t_remote_down)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	bfd_sess_info(s, &i);
	/* Init from an Up session is no reason to move. */
	p = mk(BFD_INIT, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_UP);
	p = mk(BFD_DOWN, i.local_disc);
	p.diag = BFD_DIAG_TIME_EXPIRED;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_DOWN);
	ck_assert_int_eq(i.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_int_eq(i.remote_diag, BFD_DIAG_TIME_EXPIRED);
	ck_assert_str_eq(seen.cb_why[seen.cbs - 1],
	    "neighbor signaled session down");
	/* And Down again from there: Init (the three-way handshake). */
	p = mk(BFD_DOWN, i.local_disc);
	feed_ok(&p);
	ck_assert_int_eq(bfd_sess_state(s), BFD_INIT);
}
END_TEST

/* Poll and Final (6.5) -------------------------------------------------- */

START_TEST(t_poll_answered)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_info	 i;
	struct bfd_pkt	 p;
	int		 sent;

	bfd_sess_info(s, &i);
	sent = seen.sent;
	p = mk(BFD_UP, i.local_disc);
	p.flags = BFD_F_POLL;
	p.min_tx_us = 100000;
	feed_ok(&p);
	ck_assert_int_eq(seen.sent, sent + 1);
	ck_assert_uint_eq(seen.last.flags & (BFD_F_POLL | BFD_F_FINAL),
	    BFD_F_FINAL);
	ck_assert_int_eq(seen.last.state, BFD_UP);
	/* The new value counts at once in the detection time: 3 x 300. */
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.remote_min_tx_ms, 100);
	ck_assert_uint_eq(i.detect_ms, 900);
	/* A packet without P gets no answer out of turn. */
	p.flags = 0;
	feed_ok(&p);
	ck_assert_int_eq(seen.sent, sent + 1);
}
END_TEST

START_TEST(t_poll_ours)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	/* Periodic packets carry P until the Final. */
	bfd_sess_tx(s);
	ck_assert_uint_eq(seen.last.flags, BFD_F_POLL);
	bfd_sess_info(s, &i);
	p = mk(BFD_UP, i.local_disc);
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 1);
	p.flags = BFD_F_FINAL;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 0);
	bfd_sess_tx(s);
	ck_assert_uint_eq(seen.last.flags, 0);
	ck_assert_uint_eq(seen.last.min_tx_us, 300000);
}
END_TEST

/* A slower rate and a faster required rate wait for the Final (6.8.3). */
START_TEST(t_poll_param_change)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_opts	 o = { 500, 100, 3 };
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	bfd_sess_info(s, &i);
	p = mk(BFD_UP, i.local_disc);
	p.flags = BFD_F_FINAL;
	p.min_rx_us = 50000;
	p.min_tx_us = 50000;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 0);
	ck_assert_uint_eq(i.tx_ms, 300);
	ck_assert_uint_eq(i.detect_ms, 900);

	ck_assert_int_eq(bfd_sess_set_opts(s, &o), 0);
	ck_assert_uint_eq(seen.last.flags, BFD_F_POLL);
	ck_assert_uint_eq(seen.last.min_tx_us, 500000);
	ck_assert_uint_eq(seen.last.min_rx_us, 100000);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 1);
	ck_assert_uint_eq(i.tx_ms, 300);	/* old rate until Final */
	ck_assert_uint_eq(i.detect_ms, 900);	/* old min rx until Final */
	p.flags = BFD_F_FINAL;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 0);
	ck_assert_uint_eq(i.tx_ms, 500);
	ck_assert_uint_eq(i.detect_ms, 300);	/* 3 x max(100, 50) */

	/* Faster transmit and slower receive apply at once. */
	o.min_tx_ms = 200;
	o.min_rx_ms = 400;
	ck_assert_int_eq(bfd_sess_set_opts(s, &o), 0);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.poll, 1);
	ck_assert_uint_eq(i.tx_ms, 200);
	ck_assert_uint_eq(i.detect_ms, 1200);
	o.multiplier = 0;
	ck_assert_int_eq(bfd_sess_set_opts(s, &o), -1);
}
END_TEST

/* Timers ---------------------------------------------------------------- */

START_TEST(t_timer_arith)
{
	uint32_t	 r, v, lo = UINT32_MAX, hi = 0, lo1 = UINT32_MAX, hi1 = 0;

	ck_assert_uint_eq(bfd_tx_interval(300000, 1), 300000);
	ck_assert_uint_eq(bfd_tx_interval(300000, 500000), 500000);
	ck_assert_uint_eq(bfd_tx_interval(300000, 0), 0);
	ck_assert_uint_eq(bfd_detect_time(3, 300000, 300000), 900000);
	ck_assert_uint_eq(bfd_detect_time(5, 300000, 1000000), 5000000);
	ck_assert_uint_eq(bfd_detect_time(5, 2000000, 1000000), 10000000);
	ck_assert_uint_eq(bfd_detect_time(255, UINT32_MAX, 0),
	    255ull * UINT32_MAX);
	for (r = 0; r < 100000; r++) {
		v = bfd_jitter(300000, 3, r * 2654435761u);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		v = bfd_jitter(300000, 1, r * 2654435761u);
		lo1 = v < lo1 ? v : lo1;
		hi1 = v > hi1 ? v : hi1;
	}
	/* 75-100%, and 75-90% with Detect Mult 1 (6.8.7); spread out. */
	ck_assert_uint_eq(lo, 225000);
	ck_assert_uint_eq(hi, 300000);
	ck_assert_uint_eq(lo1, 225000);
	ck_assert_uint_eq(hi1, 270000);
	ck_assert_uint_eq(bfd_jitter(UINT32_MAX, 3, 2500), UINT32_MAX);
}
END_TEST

START_TEST(t_negotiation)
{
	struct bfd_sess	*s = mk_sess(300, 300, 3);
	struct bfd_info	 i;
	struct bfd_pkt	 p;

	/* The peer sends slower than we receive, and wants less often. */
	p = mk(BFD_DOWN, 0);
	p.detect_mult = 5;
	p.min_tx_us = 500000;
	p.min_rx_us = 200000;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.tx_ms, 1000);	/* Init: still slow */
	ck_assert_uint_eq(i.detect_ms, 2500);	/* 5 x max(300, 500) */
	p = mk(BFD_UP, i.local_disc);
	p.detect_mult = 5;
	p.min_tx_us = 500000;
	p.min_rx_us = 400000;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_int_eq(i.state, BFD_UP);
	ck_assert_uint_eq(i.tx_ms, 400);	/* max(300, 400) */
	ck_assert_uint_eq(i.remote_mult, 5);
	/* A peer asking for nothing gets no periodic packets. */
	p.min_rx_us = 0;
	feed_ok(&p);
	bfd_sess_info(s, &i);
	ck_assert_uint_eq(i.tx_ms, 0);
	i.tx = seen.sent;
	bfd_sess_tx(s);
	ck_assert_int_eq(seen.sent, (int)i.tx);
}
END_TEST

/* A peer in Demand mode, both Up: no periodic packets, Polls answered. */
START_TEST(t_remote_demand)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_info	 i;
	struct bfd_pkt	 p;
	int		 sent;

	bfd_sess_info(s, &i);
	p = mk(BFD_UP, i.local_disc);
	p.flags = BFD_F_DEMAND;
	feed_ok(&p);
	sent = seen.sent;
	bfd_sess_tx(s);
	ck_assert_int_eq(seen.sent, sent);
	p.flags = BFD_F_DEMAND | BFD_F_POLL;
	feed_ok(&p);
	ck_assert_int_eq(seen.sent, sent + 1);
	ck_assert_uint_eq(seen.last.flags, BFD_F_FINAL);
	/* D cleared: periodic again. */
	p.flags = 0;
	feed_ok(&p);
	bfd_sess_tx(s);
	ck_assert_int_eq(seen.sent, sent + 2);
}
END_TEST

START_TEST(t_free_admin_down)
{
	struct bfd_sess	*s = mk_up();
	struct bfd_pkt	 p;

	bfd_sess_free(s);
	ck_assert_int_eq(seen.last.state, BFD_ADMIN_DOWN);
	ck_assert_uint_eq(seen.last.diag, BFD_DIAG_ADMIN_DOWN);
	ck_assert_uint_eq(seen.last.your_disc, PEER_DISC);
	/* The session is gone from the demultiplexer. */
	p = mk(BFD_DOWN, 0);
	ck_assert_int_eq(feed(&p, "169.254.116.210", 0, 255, NULL), -1);
}
END_TEST

static void
free_cb(struct bfd_sess *s, enum bfd_state st, const char *why, void *arg)
{
	int	*n = arg;

	(void)why;
	if (st == BFD_DOWN) {
		bfd_sess_free(s);
		(*n)++;
	}
}

/* The owner may free the session from its callback (under ASan a use
 * after free would show here), on a packet and on a timeout. */
START_TEST(t_cb_frees)
{
	struct bfd_opts	 o = { 300, 300, 3 };
	struct tb_addr	 peer = ip("169.254.116.210");
	struct bfd_sess	*s;
	struct bfd_info	 i;
	struct bfd_pkt	 p;
	int		 freed = 0;

	s = bfd_sess_new(&peer, NULL, NULL, &o, free_cb, &freed);
	ck_assert_ptr_nonnull(s);
	p = mk(BFD_DOWN, 0);
	feed_ok(&p);
	bfd_sess_info(s, &i);
	p = mk(BFD_UP, i.local_disc);
	feed_ok(&p);
	p = mk(BFD_DOWN, i.local_disc);
	p.flags = BFD_F_POLL;
	feed_ok(&p);
	ck_assert_int_eq(freed, 1);
	ck_assert_int_eq(seen.last.state, BFD_ADMIN_DOWN);

	s = bfd_sess_new(&peer, NULL, NULL, &o, free_cb, &freed);
	ck_assert_ptr_nonnull(s);
	p = mk(BFD_DOWN, 0);
	feed_ok(&p);
	bfd_sess_timeout(s);
	ck_assert_int_eq(freed, 2);
}
END_TEST

START_TEST(t_names)
{
	ck_assert_str_eq(bfd_state_name(BFD_ADMIN_DOWN), "AdminDown");
	ck_assert_str_eq(bfd_state_name(BFD_UP), "Up");
	ck_assert_str_eq(bfd_state_name((enum bfd_state)7), "unknown");
	ck_assert_str_eq(bfd_diag_name(1), "Control Detection Time Expired");
	ck_assert_str_eq(bfd_diag_name(8), "Reverse Concatenated Path Down");
	ck_assert_str_eq(bfd_diag_name(9), "Reserved");
	ck_assert_str_eq(bfd_diag_name(-1), "Reserved");
}
END_TEST

/* Real sockets and timers --------------------------------------------- */

struct live {
	struct event_base	*base;
	struct bfd_sess		*a, *b;
	enum bfd_state		 want;
	struct bfd_sess		*which;		/* NULL: both */
	int			 wait;		/* run out the time */
};

static int
live_done(const struct live *l)
{
	if (l->wait)
		return 0;
	if (l->which != NULL)
		return bfd_sess_state(l->which) == l->want;
	return bfd_sess_state(l->a) == l->want &&
	    bfd_sess_state(l->b) == l->want;
}

static void
live_check(int fd, short ev, void *arg)
{
	struct live	*l = arg;

	(void)fd;
	(void)ev;
	if (live_done(l))
		event_base_loopbreak(l->base);
}

/* Runs the loop until the wanted state or ms pass; the ms it took. */
static long
live_run(struct live *l, long ms)
{
	struct timeval	 tick = { 0, 5000 }, lim = { ms / 1000,
			    (ms % 1000) * 1000 };
	struct timespec	 t0, t1;
	struct event	*ev;

	ev = event_new(l->base, -1, EV_PERSIST, live_check, l);
	ck_assert_ptr_nonnull(ev);
	event_add(ev, &tick);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	event_base_loopexit(l->base, &lim);
	event_base_dispatch(l->base);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	event_free(ev);
	return (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

/* A network namespace of our own with lo up, so port 3784 is ours and
 * nothing leaves this process; 0 when that needs rights we lack. */
static int
live_netns(void)
{
	struct ifreq	 ifr;
	int		 fd;

	if (unshare(CLONE_NEWNET) == -1)
		return 0;
	ck_assert_int_ne(fd = socket(AF_INET, SOCK_DGRAM, 0), -1);
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name));
	ck_assert_int_eq(ioctl(fd, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert_int_eq(ioctl(fd, SIOCSIFFLAGS, &ifr), 0);
	close(fd);
	return 1;
}

/*
 * Two sessions in one process over lo, each the other's peer: through
 * the receive sockets (TTL 255 checked from IP_RECVTTL), demultiplexing
 * and the libevent timers to Up at 50 ms, then one freed and the other
 * Down by its AdminDown.
 */
START_TEST(t_live_lo)
{
	struct bfd_opts	 o = { 50, 50, 3 };
	struct tb_addr	 one = ip("127.0.0.1"), two = ip("127.0.0.2");
	struct live	 l;
	struct bfd_info	 ia, ib;
	long		 ms;

	if (!live_netns()) {
		fprintf(stderr, "t_live_lo: skipped, no network namespace "
		    "(needs CAP_SYS_ADMIN)\n");
		return;
	}
	memset(&l, 0, sizeof(l));
	ck_assert_ptr_nonnull(l.base = event_base_new());
	ck_assert_int_eq(bfd_init(l.base), 0);
	l.a = bfd_sess_new(&two, &one, "lo", &o, NULL, NULL);
	l.b = bfd_sess_new(&one, &two, NULL, &o, NULL, NULL);
	ck_assert(l.a != NULL && l.b != NULL);
	l.want = BFD_UP;
	ms = live_run(&l, 5000);
	ck_assert_msg(live_done(&l), "not up after %ld ms", ms);
	/* Let the Poll for the fast rate finish and the packets flow; the
	 * sessions stay Up meanwhile. */
	l.wait = 1;
	live_run(&l, 500);
	l.wait = 0;
	ck_assert(live_done(&l));
	bfd_sess_info(l.a, &ia);
	bfd_sess_info(l.b, &ib);
	ck_assert_uint_eq(ia.remote_disc, ib.local_disc);
	ck_assert_uint_eq(ib.remote_disc, ia.local_disc);
	ck_assert_uint_ge(ia.sport, BFD_SPORT_MIN);
	ck_assert_uint_ne(ia.sport, ib.sport);
	ck_assert_int_eq(ia.poll, 0);
	ck_assert_uint_eq(ia.tx_ms, 50);
	ck_assert_uint_eq(ib.detect_ms, 150);
	/* 500 ms at 37.5 - 50 ms, whatever the start: well over 5. */
	ck_assert_uint_gt(ia.rx, 5);
	ck_assert_uint_gt(ib.rx, 5);
	ck_assert_uint_eq(bfd_stats()->bad_ttl, 0);

	bfd_sess_free(l.a);
	l.want = BFD_DOWN;
	l.which = l.b;
	ms = live_run(&l, 1000);
	bfd_sess_info(l.b, &ib);
	ck_assert_int_eq(ib.state, BFD_DOWN);
	ck_assert_int_eq(ib.remote_state, BFD_ADMIN_DOWN);
	ck_assert_int_eq(ib.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert_int_lt(ms, 100);	/* told, not timed out */
	bfd_shutdown();
	event_base_free(l.base);
}
END_TEST

static Suite *
bfd_suite(void)
{
	Suite	*s = suite_create("bfd");
	TCase	*tc;

	tc = tcase_create("parse");
	/* t_parse_random runs many parses: Check's 4 s is too short under
	 * the sanitizers on a busy machine. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_parse_valid);
	tcase_add_test(tc, t_parse_version);
	tcase_add_test(tc, t_parse_length);
	tcase_add_test(tc, t_parse_truncated);
	tcase_add_test(tc, t_parse_fields);
	tcase_add_test(tc, t_parse_random);
	tcase_add_test(tc, t_names);
	tcase_add_test(tc, t_timer_arith);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_ttl);
	tcase_add_test(tc, t_demux);
	tcase_add_test(tc, t_new_bad);
	tcase_add_test(tc, t_three_way);
	tcase_add_test(tc, t_init_to_up_on_up);
	tcase_add_test(tc, t_down_ignores_up);
	tcase_add_test(tc, t_detect_timeout);
	tcase_add_test(tc, t_remote_admin_down);
	tcase_add_test(tc, t_remote_down);
	tcase_add_test(tc, t_poll_answered);
	tcase_add_test(tc, t_poll_ours);
	tcase_add_test(tc, t_poll_param_change);
	tcase_add_test(tc, t_negotiation);
	tcase_add_test(tc, t_remote_demand);
	tcase_add_test(tc, t_free_admin_down);
	tcase_add_test(tc, t_cb_frees);
	suite_add_tcase(s, tc);
	tc = tcase_create("live");
	tcase_add_test(tc, t_live_lo);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(bfd_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
