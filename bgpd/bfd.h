/*
 * bfd: Bidirectional Forwarding Detection, asynchronous mode (RFC 5880)
 * over single-hop UDP for IPv4 and IPv6 (RFC 5881), one session per
 * neighbor that asks for it.
 *
 * A BGP session over an IPsec tunnel learns of a silently dead tunnel only
 * from its hold timer (30 to 180 s with the clouds).  Where the far end
 * runs BFD (on-premises routers, BIRD, FRR bfdd), a session at 300 ms x 3
 * tells in under a second; the owner's callback then takes the BGP session
 * down, and, because the BFD session lives on while BGP is down, tells it
 * when the path works again.
 *
 * Not implemented: authentication (a packet with the A bit is discarded,
 * as RFC 5880 6.8.6 requires of a session without it), the Echo function
 * (we advertise Required Min Echo RX Interval 0), Demand mode for
 * ourselves (we never set D; a peer that sets it while both are Up gets
 * no periodic packets, as 6.8.6 requires, and its Polls are answered),
 * multihop (RFC 5883) and the Passive role.
 *
 * The engine (parsing, timer arithmetic, the state machine of 6.8.6, Poll
 * and Final) runs without sockets or clocks so the tests drive it by hand:
 * bfd_input() takes one datagram with its source, interface and TTL,
 * bfd_sess_timeout() stands for an expired detection timer, and
 * bfd_set_output() captures what would be sent.  bfd_init() adds the
 * receive sockets, per-session send sockets and the libevent timers.
 */
#ifndef TB_BFD_H
#define TB_BFD_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define BFD_PORT		3784	/* RFC 5881 4: single-hop control */
#define BFD_SPORT_MIN		49152	/* RFC 5881 4: our source ports */
#define BFD_SPORT_MAX		65535
#define BFD_TTL			255	/* RFC 5881 5: sent and required */
#define BFD_VERSION		1
#define BFD_PKT_LEN		24	/* control packet without auth */
#define BFD_PKT_LEN_AUTH	26	/* least length with the A bit */
#define BFD_SLOW_TX_US		1000000	/* RFC 5880 6.8.3: while not Up */

/* Byte 1 below the state: RFC 5880 4.1. */
#define BFD_F_POLL		0x20
#define BFD_F_FINAL		0x10
#define BFD_F_CPI		0x08
#define BFD_F_AUTH		0x04
#define BFD_F_DEMAND		0x02
#define BFD_F_MULTIPOINT	0x01

enum bfd_state { BFD_ADMIN_DOWN, BFD_DOWN, BFD_INIT, BFD_UP };	/* 4.1 */

/* Diagnostic codes, RFC 5880 4.1. */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_TIME_EXPIRED = 1,	/* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,	/* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8
};

/* Per-session configuration, in milliseconds as the config speaks. */
struct bfd_opts {
	uint32_t	 min_tx_ms;	/* Desired Min TX Interval once Up */
	uint32_t	 min_rx_ms;	/* Required Min RX Interval */
	uint8_t		 multiplier;	/* Detect Mult */
};
#define BFD_MAX_INTERVAL_MS	4294967	/* the wire carries microseconds */

/* One control packet as on the wire (intervals in microseconds). */
struct bfd_pkt {
	uint8_t		 version;
	uint8_t		 diag;
	enum bfd_state	 state;
	uint8_t		 flags;		/* BFD_F_* */
	uint8_t		 detect_mult;
	uint8_t		 length;
	uint32_t	 my_disc;
	uint32_t	 your_disc;
	uint32_t	 min_tx_us;	/* Desired Min TX Interval */
	uint32_t	 min_rx_us;	/* Required Min RX Interval */
	uint32_t	 min_echo_rx_us;
};

struct bfd_sess;
struct event_base;

/*
 * Called after every state change (Init, Up, Down; never for AdminDown,
 * which only bfd_sess_free sets), with the session already in its new
 * state and why as a short text for logs and "show" ("control detection
 * time expired", "neighbor signaled session down", ...).  It is the last
 * thing the engine does with the session, so it may free it.
 */
typedef void	(*bfd_cb)(struct bfd_sess *, enum bfd_state, const char *why,
		    void *arg);

/*
 * The socket side.  bfd_init opens the single-hop receive sockets (UDP
 * 3784 on IPv4 and IPv6, TTL / hop limit 255 required in, RFC 5881 5) and
 * starts the timers of sessions made before it; 0, or -1 logged when a
 * socket cannot be opened (a kernel without IPv6 is not an error).
 * bfd_shutdown frees every session still open (each sends AdminDown) and
 * closes the sockets.
 */
int		 bfd_init(struct event_base *);
void		 bfd_shutdown(void);

/*
 * A session to peer, from local (may be unset: the kernel chooses) on
 * ifname (may be NULL or "": any interface; needed for an IPv6 link-local
 * peer).  Starts Down, sending at 1 s until Up.  NULL with errno EINVAL for
 * bad options or addresses of different families, EEXIST when a session
 * to peer on that interface exists already, ENOMEM.
 */
struct bfd_sess	*bfd_sess_new(const struct tb_addr *peer,
		    const struct tb_addr *local, const char *ifname,
		    const struct bfd_opts *, bfd_cb, void *arg);
/* Sends AdminDown (diag 7) first where it can, so the peer does not wait
 * out its detection time. */
void		 bfd_sess_free(struct bfd_sess *);
/* New intervals or multiplier; while Up they take effect through a Poll
 * Sequence (RFC 5880 6.8.3).  0, or -1 with errno EINVAL. */
int		 bfd_sess_set_opts(struct bfd_sess *, const struct bfd_opts *);
enum bfd_state	 bfd_sess_state(const struct bfd_sess *);
const char	*bfd_state_name(enum bfd_state);
const char	*bfd_diag_name(int diag);

struct bfd_info {
	enum bfd_state	 state, remote_state;
	int		 local_diag, remote_diag;
	uint32_t	 local_disc, remote_disc;
	uint32_t	 tx_ms;		/* negotiated interval, before jitter */
	uint32_t	 detect_ms;	/* 0 until the peer was heard */
	uint64_t	 rx, tx, dropped;
	struct tb_addr	 peer, local;
	uint16_t	 sport;		/* our source port, 0 until bound */
	uint32_t	 remote_min_tx_ms, remote_min_rx_ms;
	uint8_t		 remote_mult;
	int		 poll;		/* our Poll Sequence in progress */
	uint64_t	 ups, downs;	/* transitions to Up, from Up */
};
void		 bfd_sess_info(const struct bfd_sess *, struct bfd_info *);

/* Packets nobody owned or that failed the checks, for "show bfd". */
struct bfd_stats {
	uint64_t	 rx;		/* datagrams read */
	uint64_t	 bad_ttl;	/* TTL / hop limit not 255 */
	uint64_t	 malformed;	/* failed bfd_parse */
	uint64_t	 no_session;	/* no session for the discriminator or
					   the source and interface */
};
const struct bfd_stats *bfd_stats(void);

/*
 * Pure parts for tests and fuzzing.
 *
 * bfd_parse applies the reception checks of RFC 5880 6.8.6 that need no
 * session (version, Length against the A bit and the datagram, Detect
 * Mult, Multipoint, My Discriminator, Your Discriminator 0 outside
 * Down/AdminDown, and the A bit, since tbgpd has no authentication): 0
 * and out filled, or -1 with *why (may be NULL) saying which check failed.
 * bfd_build writes the 24 octets of pkt (length and version are set).
 */
int		 bfd_parse(const uint8_t *, size_t, struct bfd_pkt *out,
		    const char **why);
size_t		 bfd_build(const struct bfd_pkt *, uint8_t *out, size_t len);

/* Timer arithmetic, microseconds.  The transmit interval is the larger of
 * our Desired Min TX and the peer's Required Min RX (6.8.2, 6.8.7; 0 when
 * the peer asks for nothing); the detection time is the peer's Detect Mult
 * times the larger of our Required Min RX and its Desired Min TX (6.8.4);
 * the jitter takes 75-100% of the interval, 75-90% when our Detect Mult is
 * 1 (6.8.7), from the random number rnd. */
uint32_t	 bfd_tx_interval(uint32_t local_min_tx, uint32_t remote_min_rx);
uint64_t	 bfd_detect_time(uint8_t remote_mult, uint32_t local_min_rx,
		    uint32_t remote_min_tx);
uint32_t	 bfd_jitter(uint32_t interval, uint8_t local_mult, uint32_t rnd);

/*
 * The engine without sockets, for tests: bfd_input takes one datagram as
 * the receive socket would hand it (the source, the interface it came in
 * on or 0, the received TTL / hop limit) and returns 0 when a session
 * took it, -1 when it was dropped (*why says why).  bfd_sess_timeout acts
 * as the detection timer firing, bfd_sess_tx as the transmit timer.  With
 * an output set, packets go to it instead of a socket.
 */
typedef void	(*bfd_output)(const struct bfd_sess *, const uint8_t *,
		    size_t, void *arg);
void		 bfd_set_output(bfd_output, void *arg);
int		 bfd_input(const uint8_t *, size_t, const struct tb_addr *src,
		    int ifindex, int ttl, const char **why);
void		 bfd_sess_timeout(struct bfd_sess *);
void		 bfd_sess_tx(struct bfd_sess *);

#endif
