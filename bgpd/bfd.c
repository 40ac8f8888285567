/*
 * bfd.c: BFD asynchronous mode, single hop (see bfd.h).
 *
 * Owns the control packet codec, the timer arithmetic, the session state
 * machine with its Poll Sequences, the demultiplexing of received packets
 * and the UDP sockets.  The file reads top down in four parts: wire
 * format, timers, engine, sockets; only the last touches the kernel.
 *
 * Decisions worth knowing:
 *  - all intervals are kept in microseconds as the wire carries them; the
 *    API speaks milliseconds;
 *  - two values stand behind each advertised interval: what we advertise
 *    and what we act on.  While Up, a slower Desired Min TX and a faster
 *    Required Min RX only take effect when the peer's Final ends our Poll
 *    Sequence, so neither side's detection time is ever wrong (6.8.3);
 *  - a packet is sent at once whenever its content changes (a state, a
 *    Poll; 6.8.7 "SHOULD"), and a Poll is answered at once with Final;
 *  - received packets whose Your Discriminator names a session but whose
 *    source is not that session's peer are dropped: single hop sessions
 *    are bound to the remote system (RFC 5881 3), TTL 255 already keeps
 *    strangers off the link;
 *  - each session has its own send socket, bound to a fixed source port
 *    in 49152-65535 (RFC 5881 4), to the local address (IP_FREEBIND: the
 *    tunnel may not be up yet) and to the interface when one is named.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/queue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bfd.h"
#include "buf.h"
#include "log.h"

#define BFD_HASH	64
#define BFD_READS	32		/* datagrams per loop turn */
#define BFD_BIND_TRIES	64		/* random source ports to try */
#define BFD_TOS		0xc0		/* CS6, network control */
#define BFD_START_US	200000		/* first packet of a new session */

struct bfd_sess {
	TAILQ_ENTRY(bfd_sess)	 entry;
	LIST_ENTRY(bfd_sess)	 dentry;	/* by local discriminator */
	struct tb_addr		 peer, local;
	char			 ifname[IF_NAMESIZE];
	struct bfd_opts		 opts;
	bfd_cb			 cb;
	void			*arg;

	enum bfd_state		 state, remote_state;
	int			 local_diag, remote_diag;
	uint32_t		 local_disc, remote_disc;
	uint32_t		 des_min_tx;	/* advertised */
	uint32_t		 req_min_rx;	/* advertised */
	uint32_t		 act_min_tx;	/* paces our sending */
	uint32_t		 act_min_rx;	/* in our detection time */
	uint32_t		 remote_min_tx, remote_min_rx;
	uint8_t			 remote_mult;
	int			 remote_demand;	/* the peer's D bit */
	int			 poll;		/* our Poll Sequence */
	const char		*why;		/* change not yet told */

	int			 fd;
	uint16_t		 sport;
	struct event		*tx_ev, *detect_ev;
	uint64_t		 rx, tx, dropped, ups, downs;
};

static struct {
	struct event_base	*base;
	int			 fd4, fd6;
	struct event		*ev4, *ev6;
	TAILQ_HEAD(, bfd_sess)	 sessions;
	LIST_HEAD(, bfd_sess)	 hash[BFD_HASH];
	bfd_output		 out;
	void			*out_arg;
	struct bfd_stats	 stats;
} bfd = {
	.fd4 = -1,
	.fd6 = -1,
	.sessions = TAILQ_HEAD_INITIALIZER(bfd.sessions),
};

static void	bfd_send(struct bfd_sess *, uint8_t flags);
static void	bfd_arm_tx(struct bfd_sess *);
static void	bfd_arm_detect(struct bfd_sess *);

/* Wire format (RFC 5880 4.1) ---------------------------------------- */

static const char *const bfd_state_names[] = {
	"AdminDown", "Down", "Init", "Up"
};

static const char *const bfd_diag_names[] = {
	"No Diagnostic",
	"Control Detection Time Expired",
	"Echo Function Failed",
	"Neighbor Signaled Session Down",
	"Forwarding Plane Reset",
	"Path Down",
	"Concatenated Path Down",
	"Administratively Down",
	"Reverse Concatenated Path Down"
};

const char *
bfd_state_name(enum bfd_state s)
{
	if ((unsigned int)s >= sizeof(bfd_state_names) /
	    sizeof(bfd_state_names[0]))
		return "unknown";
	return bfd_state_names[s];
}

const char *
bfd_diag_name(int diag)
{
	if (diag < 0 || (size_t)diag >= sizeof(bfd_diag_names) /
	    sizeof(bfd_diag_names[0]))
		return "Reserved";
	return bfd_diag_names[diag];
}

static int
bfd_reject(const char **why, const char *text)
{
	if (why != NULL)
		*why = text;
	return -1;
}

/* The first four octets: version and diag, state and flags, Detect Mult,
 * Length.  Nothing more is read until Length has been checked. */
static int
bfd_parse_head(struct buf *b, struct bfd_pkt *p)
{
	uint8_t	 vd, sf;

	if (buf_get_u8(b, &vd) == -1 || buf_get_u8(b, &sf) == -1 ||
	    buf_get_u8(b, &p->detect_mult) == -1 ||
	    buf_get_u8(b, &p->length) == -1)
		return -1;
	p->version = vd >> 5;
	p->diag = vd & 0x1f;
	p->state = (enum bfd_state)(sf >> 6);
	p->flags = sf & 0x3f;
	return 0;
}

static void
bfd_parse_body(struct buf *b, struct bfd_pkt *p)
{
	/* Length >= 24 was checked and b holds Length octets. */
	(void)buf_get_u32(b, &p->my_disc);
	(void)buf_get_u32(b, &p->your_disc);
	(void)buf_get_u32(b, &p->min_tx_us);
	(void)buf_get_u32(b, &p->min_rx_us);
	(void)buf_get_u32(b, &p->min_echo_rx_us);
}

/* RFC 5880 6.8.6, the checks before a session is chosen, in its order. */
int
bfd_parse(const uint8_t *data, size_t len, struct bfd_pkt *p,
    const char **why)
{
	struct buf	 b, body;

	memset(p, 0, sizeof(*p));
	buf_view(&b, data, len);
	if (bfd_parse_head(&b, p) == -1)
		return bfd_reject(why, "shorter than a header");
	if (p->version != BFD_VERSION)
		return bfd_reject(why, "version not 1");
	if (p->length < ((p->flags & BFD_F_AUTH) ? BFD_PKT_LEN_AUTH :
	    BFD_PKT_LEN))
		return bfd_reject(why, "length below the minimum");
	buf_view(&body, data, len);
	if (buf_get_view(&body, p->length, &b) == -1)
		return bfd_reject(why, "length past the datagram");
	(void)buf_skip(&b, 4);
	bfd_parse_body(&b, p);
	if (p->detect_mult == 0)
		return bfd_reject(why, "detect mult zero");
	if (p->flags & BFD_F_MULTIPOINT)
		return bfd_reject(why, "multipoint bit set");
	if (p->my_disc == 0)
		return bfd_reject(why, "my discriminator zero");
	if (p->your_disc == 0 && p->state != BFD_DOWN &&
	    p->state != BFD_ADMIN_DOWN)
		return bfd_reject(why, "your discriminator zero while "
		    "not down");
	/* No session of ours uses authentication (bfd.AuthType 0). */
	if (p->flags & BFD_F_AUTH)
		return bfd_reject(why, "authentication not in use");
	return 0;
}

size_t
bfd_build(const struct bfd_pkt *p, uint8_t *out, size_t len)
{
	struct buf	 b;
	size_t		 n = 0;

	if (buf_init(&b, BFD_PKT_LEN, BFD_PKT_LEN) == -1)
		return 0;
	buf_put_u8(&b, (uint8_t)(BFD_VERSION << 5 | (p->diag & 0x1f)));
	buf_put_u8(&b, (uint8_t)((p->state & 3) << 6 | (p->flags & 0x3f)));
	buf_put_u8(&b, p->detect_mult);
	buf_put_u8(&b, BFD_PKT_LEN);
	buf_put_u32(&b, p->my_disc);
	buf_put_u32(&b, p->your_disc);
	buf_put_u32(&b, p->min_tx_us);
	buf_put_u32(&b, p->min_rx_us);
	buf_put_u32(&b, p->min_echo_rx_us);
	if (!buf_error(&b) && buf_len(&b) <= len) {
		n = buf_len(&b);
		memcpy(out, buf_data(&b), n);
	}
	buf_free(&b);
	return n;
}

/* Timers (RFC 5880 6.8.2 - 6.8.4, 6.8.7) ---------------------------- */

uint32_t
bfd_tx_interval(uint32_t local_min_tx, uint32_t remote_min_rx)
{
	/* A peer that asks for no packets gets none (6.8.7). */
	if (remote_min_rx == 0)
		return 0;
	return local_min_tx > remote_min_rx ? local_min_tx : remote_min_rx;
}

uint64_t
bfd_detect_time(uint8_t remote_mult, uint32_t local_min_rx,
    uint32_t remote_min_tx)
{
	uint32_t	 agreed;

	agreed = local_min_rx > remote_min_tx ? local_min_rx : remote_min_tx;
	return (uint64_t)remote_mult * agreed;
}

uint32_t
bfd_jitter(uint32_t interval, uint8_t local_mult, uint32_t rnd)
{
	uint32_t	 lo = 7500, hi = local_mult == 1 ? 9000 : 10000;

	return (uint32_t)((uint64_t)interval * (lo + rnd % (hi - lo + 1)) /
	    10000);
}

static uint32_t
bfd_ms_to_us(uint32_t ms)
{
	return ms * 1000;
}

static uint32_t
bfd_us_to_ms(uint64_t us)
{
	return (uint32_t)((us + 999) / 1000);
}

/* Engine ------------------------------------------------------------ */

static uint32_t
bfd_sess_tx_us(const struct bfd_sess *s)
{
	return bfd_tx_interval(s->act_min_tx, s->remote_min_rx);
}

static uint64_t
bfd_sess_detect_us(const struct bfd_sess *s)
{
	if (s->remote_mult == 0)
		return 0;
	return bfd_detect_time(s->remote_mult, s->act_min_rx,
	    s->remote_min_tx);
}

/* What we would advertise in the current state: 1 s at least while not
 * Up (6.8.3), the configured interval once Up. */
static uint32_t
bfd_want_min_tx(const struct bfd_sess *s)
{
	uint32_t	 us = bfd_ms_to_us(s->opts.min_tx_ms);

	if (s->state != BFD_UP && us < BFD_SLOW_TX_US)
		return BFD_SLOW_TX_US;
	return us;
}

/*
 * Advertise new intervals.  While Up a change needs a Poll Sequence
 * (6.8.3), and until its Final a slower transmit rate and a faster
 * required receive rate stay unused: the peer still computes its
 * detection time from the old values.  Changes in the safe direction
 * apply at once.  Outside Up everything applies at once.
 */
static void
bfd_set_intervals(struct bfd_sess *s)
{
	uint32_t	 tx = bfd_want_min_tx(s);
	uint32_t	 rx = bfd_ms_to_us(s->opts.min_rx_ms);

	if (s->state != BFD_UP) {
		s->des_min_tx = s->act_min_tx = tx;
		s->req_min_rx = s->act_min_rx = rx;
		s->poll = 0;
		return;
	}
	if (tx == s->des_min_tx && rx == s->req_min_rx)
		return;
	s->des_min_tx = tx;
	s->req_min_rx = rx;
	if (tx < s->act_min_tx)
		s->act_min_tx = tx;
	if (rx > s->act_min_rx)
		s->act_min_rx = rx;
	s->poll = 1;
}

/* The peer's Final ends our Poll Sequence (6.5, 6.8.6). */
static void
bfd_poll_done(struct bfd_sess *s)
{
	s->poll = 0;
	s->act_min_tx = s->des_min_tx;
	s->act_min_rx = s->req_min_rx;
}

static void
bfd_set_state(struct bfd_sess *s, enum bfd_state st, int diag,
    const char *why)
{
	enum bfd_state	 old = s->state;

	s->state = st;
	if (diag >= 0)
		s->local_diag = diag;
	if (st == BFD_UP) {
		s->ups++;
		s->local_diag = BFD_DIAG_NONE;
	} else if (old == BFD_UP)
		s->downs++;
	bfd_set_intervals(s);
	log_debug("bfd %s: %s -> %s (%s)", addr_str(&s->peer),
	    bfd_state_name(old), bfd_state_name(st), why);
	if (st == BFD_UP || old == BFD_UP)
		log_info("bfd %s: session %s: %s", addr_str(&s->peer),
		    st == BFD_UP ? "up" : "down", why);
	/* A packet whose content changed goes out now (6.8.7). */
	bfd_send(s, s->poll ? BFD_F_POLL : 0);
	bfd_arm_tx(s);
	s->why = why;
}

/* The owner hears of a change last, when nothing more touches s, so the
 * callback may free the session. */
static void
bfd_notify(struct bfd_sess *s)
{
	const char	*why = s->why;

	s->why = NULL;
	if (why != NULL && s->cb != NULL)
		s->cb(s, s->state, why, s->arg);
}

/* The state machine of 6.8.6 (figure in 6.2), for a packet already
 * accepted.  AdminDown is a local state the peer cannot move us out of. */
static void
bfd_fsm(struct bfd_sess *s, enum bfd_state rs)
{
	if (rs == BFD_ADMIN_DOWN) {
		if (s->state != BFD_DOWN)
			bfd_set_state(s, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN,
			    "neighbor signaled AdminDown");
		return;
	}
	switch (s->state) {
	case BFD_DOWN:
		if (rs == BFD_DOWN)
			bfd_set_state(s, BFD_INIT, -1, "neighbor is down");
		else if (rs == BFD_INIT)
			bfd_set_state(s, BFD_UP, -1, "neighbor is in init");
		break;
	case BFD_INIT:
		if (rs == BFD_INIT || rs == BFD_UP)
			bfd_set_state(s, BFD_UP, -1, rs == BFD_UP ?
			    "neighbor is up" : "neighbor is in init");
		break;
	case BFD_UP:
		if (rs == BFD_DOWN)
			bfd_set_state(s, BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN,
			    "neighbor signaled session down");
		break;
	case BFD_ADMIN_DOWN:
		break;
	}
}

/* The rest of 6.8.6 for a packet demultiplexed to s. */
static void
bfd_sess_recv(struct bfd_sess *s, const struct bfd_pkt *p)
{
	uint32_t	 old_tx = bfd_sess_tx_us(s);

	if (s->state == BFD_ADMIN_DOWN) {
		s->dropped++;
		return;
	}
	s->rx++;
	s->remote_disc = p->my_disc;
	s->remote_state = p->state;
	s->remote_diag = p->diag;
	s->remote_min_tx = p->min_tx_us;
	s->remote_min_rx = p->min_rx_us;
	s->remote_mult = p->detect_mult;
	s->remote_demand = (p->flags & BFD_F_DEMAND) != 0;
	if ((p->flags & BFD_F_FINAL) && s->poll)
		bfd_poll_done(s);
	bfd_arm_detect(s);
	bfd_fsm(s, p->state);
	/* Answer a Poll at once with Final, P clear (6.5, 6.8.7). */
	if (p->flags & BFD_F_POLL)
		bfd_send(s, BFD_F_FINAL);
	/* The transmit interval is recalculated on any change (6.8.7). */
	if (bfd_sess_tx_us(s) != old_tx)
		bfd_arm_tx(s);
	bfd_notify(s);
}

/* The detection time passed without a valid packet (6.8.1, 6.8.4). */
void
bfd_sess_timeout(struct bfd_sess *s)
{
	s->remote_disc = 0;
	s->remote_state = BFD_DOWN;
	s->remote_mult = 0;
	if (s->state == BFD_INIT || s->state == BFD_UP)
		bfd_set_state(s, BFD_DOWN, BFD_DIAG_TIME_EXPIRED,
		    "control detection time expired");
	bfd_notify(s);
}

static void
bfd_fill(const struct bfd_sess *s, uint8_t flags, struct bfd_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->version = BFD_VERSION;
	p->diag = (uint8_t)s->local_diag;
	p->state = s->state;
	p->flags = flags;
	p->detect_mult = s->opts.multiplier;
	p->length = BFD_PKT_LEN;
	p->my_disc = s->local_disc;
	p->your_disc = s->remote_disc;
	p->min_tx_us = s->des_min_tx;
	p->min_rx_us = s->req_min_rx;
	p->min_echo_rx_us = 0;		/* no Echo function */
}

/*
 * The periodic packet, carrying P while our Poll Sequence runs.  A peer
 * in Demand mode with both sides Up gets none (6.8.6, 6.8.7); we do not
 * ask for Demand mode ourselves, so our detection is unchanged.
 */
void
bfd_sess_tx(struct bfd_sess *s)
{
	int	 demand;

	demand = s->remote_demand && s->state == BFD_UP &&
	    s->remote_state == BFD_UP;
	if (bfd_sess_tx_us(s) != 0 && !demand)
		bfd_send(s, s->poll ? BFD_F_POLL : 0);
	bfd_arm_tx(s);
}

static struct bfd_sess *
bfd_by_disc(uint32_t disc)
{
	struct bfd_sess	*s;

	LIST_FOREACH(s, &bfd.hash[disc % BFD_HASH], dentry)
		if (s->local_disc == disc)
			return s;
	return NULL;
}

/* A session's interface, 0 for any or one that does not exist (yet). */
static int
bfd_sess_ifindex(const struct bfd_sess *s)
{
	if (s->ifname[0] == '\0')
		return 0;
	return (int)if_nametoindex(s->ifname);
}

/* RFC 5881 3: without Your Discriminator, the session bound to the
 * remote system and the interface the packet came in on. */
static struct bfd_sess *
bfd_by_addr(const struct tb_addr *src, int ifindex)
{
	struct bfd_sess	*s;
	int		 idx;

	TAILQ_FOREACH(s, &bfd.sessions, entry) {
		if (addr_cmp(&s->peer, src) != 0)
			continue;
		if (s->ifname[0] == '\0' || ifindex == 0)
			return s;
		if ((idx = bfd_sess_ifindex(s)) != 0 && idx == ifindex)
			return s;
	}
	return NULL;
}

static struct bfd_sess *
bfd_demux(const struct bfd_pkt *p, const struct tb_addr *src, int ifindex,
    const char **why)
{
	struct bfd_sess	*s;

	if (p->your_disc == 0) {
		if ((s = bfd_by_addr(src, ifindex)) == NULL)
			*why = "no session for the source and interface";
		return s;
	}
	if ((s = bfd_by_disc(p->your_disc)) == NULL)
		*why = "no session with your discriminator";
	else if (addr_cmp(&s->peer, src) != 0) {
		*why = "your discriminator names another peer's session";
		s->dropped++;
		s = NULL;
	}
	return s;
}

/* A packet refused before demultiplexing still counts against the
 * session of its source, so "show" tells a peer with a broken TTL. */
static int
bfd_drop(const struct tb_addr *src, int ifindex, const char **why,
    const char *text)
{
	struct bfd_sess	*s;

	if ((s = bfd_by_addr(src, ifindex)) != NULL)
		s->dropped++;
	return bfd_reject(why, text);
}

int
bfd_input(const uint8_t *data, size_t len, const struct tb_addr *src,
    int ifindex, int ttl, const char **why)
{
	struct bfd_pkt	 p;
	struct bfd_sess	*s;
	const char	*w = NULL;

	bfd.stats.rx++;
	/* RFC 5881 5: no authentication, so TTL must be 255. */
	if (ttl != BFD_TTL) {
		bfd.stats.bad_ttl++;
		return bfd_drop(src, ifindex, why, "ttl not 255");
	}
	if (bfd_parse(data, len, &p, &w) == -1) {
		bfd.stats.malformed++;
		return bfd_drop(src, ifindex, why, w);
	}
	if ((s = bfd_demux(&p, src, ifindex, &w)) == NULL) {
		bfd.stats.no_session++;
		return bfd_reject(why, w);
	}
	bfd_sess_recv(s, &p);
	return 0;
}

static int
bfd_opts_ok(const struct bfd_opts *o)
{
	return o->min_tx_ms > 0 && o->min_tx_ms <= BFD_MAX_INTERVAL_MS &&
	    o->min_rx_ms > 0 && o->min_rx_ms <= BFD_MAX_INTERVAL_MS &&
	    o->multiplier > 0;
}

static uint32_t
bfd_new_disc(void)
{
	uint32_t	 d;

	do
		d = arc4random();
	while (d == 0 || bfd_by_disc(d) != NULL);
	return d;
}

static int
bfd_sess_args_ok(const struct tb_addr *peer, const struct tb_addr *local,
    const char *ifname, const struct bfd_opts *o)
{
	if (peer == NULL || o == NULL || !bfd_opts_ok(o))
		return 0;
	if (peer->af != AF_INET && peer->af != AF_INET6)
		return 0;
	if (local != NULL && addr_isset(local) && local->af != peer->af)
		return 0;
	return ifname == NULL || strlen(ifname) < IF_NAMESIZE;
}

static int
bfd_sess_exists(const struct tb_addr *peer, const char *ifname)
{
	struct bfd_sess	*s;

	TAILQ_FOREACH(s, &bfd.sessions, entry)
		if (addr_cmp(&s->peer, peer) == 0 &&
		    strcmp(s->ifname, ifname) == 0)
			return 1;
	return 0;
}

static void	bfd_sess_start(struct bfd_sess *);

struct bfd_sess *
bfd_sess_new(const struct tb_addr *peer, const struct tb_addr *local,
    const char *ifname, const struct bfd_opts *o, bfd_cb cb, void *arg)
{
	struct bfd_sess	*s;

	if (!bfd_sess_args_ok(peer, local, ifname, o)) {
		errno = EINVAL;
		return NULL;
	}
	if (bfd_sess_exists(peer, ifname != NULL ? ifname : "")) {
		errno = EEXIST;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->peer = *peer;
	if (local != NULL)
		s->local = *local;
	if (ifname != NULL)
		strlcpy(s->ifname, ifname, sizeof(s->ifname));
	s->opts = *o;
	s->cb = cb;
	s->arg = arg;
	s->fd = -1;
	s->state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->remote_min_rx = 1;		/* 6.8.1: initial value 1 */
	s->local_disc = bfd_new_disc();
	bfd_set_intervals(s);
	TAILQ_INSERT_TAIL(&bfd.sessions, s, entry);
	LIST_INSERT_HEAD(&bfd.hash[s->local_disc % BFD_HASH], s, dentry);
	bfd_sess_start(s);
	return s;
}

int
bfd_sess_set_opts(struct bfd_sess *s, const struct bfd_opts *o)
{
	int	 was_poll = s->poll;

	if (!bfd_opts_ok(o)) {
		errno = EINVAL;
		return -1;
	}
	s->opts = *o;
	bfd_set_intervals(s);
	if (s->poll && !was_poll)
		bfd_send(s, BFD_F_POLL);
	bfd_arm_tx(s);
	return 0;
}

enum bfd_state
bfd_sess_state(const struct bfd_sess *s)
{
	return s->state;
}

void
bfd_sess_info(const struct bfd_sess *s, struct bfd_info *i)
{
	memset(i, 0, sizeof(*i));
	i->state = s->state;
	i->remote_state = s->remote_state;
	i->local_diag = s->local_diag;
	i->remote_diag = s->remote_diag;
	i->local_disc = s->local_disc;
	i->remote_disc = s->remote_disc;
	i->tx_ms = bfd_us_to_ms(bfd_sess_tx_us(s));
	i->detect_ms = bfd_us_to_ms(bfd_sess_detect_us(s));
	i->rx = s->rx;
	i->tx = s->tx;
	i->dropped = s->dropped;
	i->peer = s->peer;
	i->local = s->local;
	i->sport = s->sport;
	i->remote_min_tx_ms = bfd_us_to_ms(s->remote_min_tx);
	i->remote_min_rx_ms = bfd_us_to_ms(s->remote_min_rx);
	i->remote_mult = s->remote_mult;
	i->poll = s->poll;
	i->ups = s->ups;
	i->downs = s->downs;
}

const struct bfd_stats *
bfd_stats(void)
{
	return &bfd.stats;
}

void
bfd_set_output(bfd_output fn, void *arg)
{
	bfd.out = fn;
	bfd.out_arg = arg;
}

static void	bfd_sess_close(struct bfd_sess *);

void
bfd_sess_free(struct bfd_sess *s)
{
	if (s == NULL)
		return;
	/* 6.8.16: AdminDown with diag 7 tells the peer not to count this
	 * as a failure of the path. */
	s->state = BFD_ADMIN_DOWN;
	s->local_diag = BFD_DIAG_ADMIN_DOWN;
	bfd_send(s, 0);
	bfd_sess_close(s);
	TAILQ_REMOVE(&bfd.sessions, s, entry);
	LIST_REMOVE(s, dentry);
	free(s);
}

/* Sockets ----------------------------------------------------------- */

static void
bfd_tv(struct timeval *tv, uint64_t us)
{
	tv->tv_sec = (time_t)(us / 1000000);
	tv->tv_usec = (suseconds_t)(us % 1000000);
}

static void
bfd_arm_tx(struct bfd_sess *s)
{
	struct timeval	 tv;
	uint32_t	 us;

	if (s->tx_ev == NULL)
		return;
	/* A peer asking for nothing is checked again at the slow rate. */
	if ((us = bfd_sess_tx_us(s)) == 0)
		us = BFD_SLOW_TX_US;
	bfd_tv(&tv, bfd_jitter(us, s->opts.multiplier, arc4random()));
	evtimer_add(s->tx_ev, &tv);
}

static void
bfd_arm_detect(struct bfd_sess *s)
{
	struct timeval	 tv;
	uint64_t	 us;

	if (s->detect_ev == NULL)
		return;
	if ((us = bfd_sess_detect_us(s)) == 0) {
		evtimer_del(s->detect_ev);
		return;
	}
	bfd_tv(&tv, us);
	evtimer_add(s->detect_ev, &tv);
}

static void
bfd_tx_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	bfd_sess_tx(arg);
}

static void
bfd_detect_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	bfd_sess_timeout(arg);
}

static void
bfd_sess_start(struct bfd_sess *s)
{
	struct timeval	 tv;

	if (bfd.base == NULL || s->tx_ev != NULL)
		return;
	s->tx_ev = evtimer_new(bfd.base, bfd_tx_cb, s);
	s->detect_ev = evtimer_new(bfd.base, bfd_detect_cb, s);
	if (s->tx_ev == NULL || s->detect_ev == NULL)
		fatalx("bfd: no memory for timers");
	bfd_tv(&tv, bfd_jitter(BFD_START_US, 2, arc4random()));
	evtimer_add(s->tx_ev, &tv);
}

static void
bfd_sess_close(struct bfd_sess *s)
{
	if (s->tx_ev != NULL)
		event_free(s->tx_ev);
	if (s->detect_ev != NULL)
		event_free(s->detect_ev);
	s->tx_ev = s->detect_ev = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

static void
bfd_sockopts_out(int fd, int af, const char *ifname)
{
	int	 ttl = BFD_TTL, tos = BFD_TOS, on = 1;

	/* Best effort: without FREEBIND the bind below fails until the
	 * tunnel address exists, and is retried on the next packet. */
	(void)setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
	if (af == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)
			log_warn("bfd: IP_TTL");
		(void)setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
		    sizeof(ttl)) == -1)
			log_warn("bfd: IPV6_UNICAST_HOPS");
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos,
		    sizeof(tos));
	}
	if (ifname[0] != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    ifname, (socklen_t)strlen(ifname)) == -1)
		log_warn("bfd: SO_BINDTODEVICE %s", ifname);
}

static void
bfd_scope(struct sockaddr_storage *ss, const struct bfd_sess *s)
{
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
		sin6->sin6_scope_id = (uint32_t)bfd_sess_ifindex(s);
}

static int
bfd_sport_used(uint16_t port)
{
	struct bfd_sess	*s;

	TAILQ_FOREACH(s, &bfd.sessions, entry)
		if (s->sport == port)
			return 1;
	return 0;
}

/* RFC 5881 4: one source port in 49152-65535 for the whole session (a
 * MUST), not shared with another session (a SHOULD). */
static int
bfd_bind_port(int fd, const struct bfd_sess *s)
{
	struct sockaddr_storage	 ss;
	struct tb_addr		 any;
	socklen_t		 sl;
	uint16_t		 port;
	int			 i;

	memset(&any, 0, sizeof(any));
	any.af = s->peer.af;
	for (i = 0; i < BFD_BIND_TRIES; i++) {
		port = (uint16_t)(BFD_SPORT_MIN + arc4random_uniform(
		    BFD_SPORT_MAX - BFD_SPORT_MIN + 1));
		if (bfd_sport_used(port))
			continue;
		sl = addr_to_sa(addr_isset(&s->local) ? &s->local : &any,
		    port, &ss);
		bfd_scope(&ss, s);
		if (bind(fd, (struct sockaddr *)&ss, sl) == 0)
			return port;
		if (errno != EADDRINUSE)
			return -1;
	}
	return -1;
}

static int
bfd_sess_socket(struct bfd_sess *s)
{
	int	 fd, af = s->peer.af == AF_INET ? AF_INET : AF_INET6, port;

	if ((fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	bfd_sockopts_out(fd, af, s->ifname);
	if ((port = bfd_bind_port(fd, s)) == -1) {
		log_warn("bfd %s: bind", addr_str(&s->peer));
		close(fd);
		return -1;
	}
	s->fd = fd;
	s->sport = (uint16_t)port;
	return 0;
}

static void
bfd_send(struct bfd_sess *s, uint8_t flags)
{
	struct sockaddr_storage	 ss;
	struct bfd_pkt		 p;
	uint8_t			 b[BFD_PKT_LEN];
	socklen_t		 sl;
	size_t			 n;

	bfd_fill(s, flags, &p);
	if ((n = bfd_build(&p, b, sizeof(b))) == 0)
		return;
	s->tx++;
	if (bfd.out != NULL) {
		bfd.out(s, b, n, bfd.out_arg);
		return;
	}
	if (bfd.base == NULL || (s->fd == -1 && bfd_sess_socket(s) == -1))
		return;
	sl = addr_to_sa(&s->peer, BFD_PORT, &ss);
	bfd_scope(&ss, s);
	/* A lost packet is what BFD is built to survive; no retry. */
	if (sendto(s->fd, b, n, 0, (struct sockaddr *)&ss, sl) == -1)
		log_debug("bfd %s: send: %s", addr_str(&s->peer),
		    strerror(errno));
}

/* The TTL (or hop limit) and interface the kernel saw the packet with. */
static void
bfd_cmsgs(struct msghdr *mh, int *ttl, int *ifindex)
{
	struct cmsghdr		*c;
	struct in_pktinfo	 pi;
	struct in6_pktinfo	 pi6;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
			memcpy(ttl, CMSG_DATA(c), sizeof(*ttl));
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT)
			memcpy(ttl, CMSG_DATA(c), sizeof(*ttl));
		else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			*ifindex = (int)pi6.ipi6_ifindex;
		}
	}
}

/* One datagram: 1 handled (taken or dropped), 0 nothing waiting. */
static int
bfd_recv(int fd)
{
	struct sockaddr_storage	 ss;
	struct tb_addr		 src;
	uint8_t			 b[512];
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(int)) +
				    CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cb;
	struct iovec		 iov = { b, sizeof(b) };
	struct msghdr		 mh;
	const char		*why = NULL;
	ssize_t			 n;
	int			 ttl = -1, ifindex = 0;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &ss;
	mh.msg_namelen = sizeof(ss);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.buf;
	mh.msg_controllen = sizeof(cb.buf);
	if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_warn("bfd: recvmsg");
		return 0;
	}
	if (addr_from_sa((struct sockaddr *)&ss, &src, NULL) == -1)
		return 1;
	bfd_cmsgs(&mh, &ttl, &ifindex);
	if (bfd_input(b, (size_t)n, &src, ifindex, ttl, &why) == -1)
		log_debug("bfd: from %s: dropped: %s", addr_str(&src), why);
	return 1;
}

static void
bfd_read_cb(int fd, short ev, void *arg)
{
	int	 i;

	(void)ev;
	(void)arg;
	for (i = 0; i < BFD_READS; i++)
		if (bfd_recv(fd) == 0)
			break;
}

static int
bfd_sockopts_in(int fd, int af)
{
	int	 on = 1;

	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (af == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on,
		    sizeof(on)) == -1 || setsockopt(fd, IPPROTO_IP,
		    IP_PKTINFO, &on, sizeof(on)) == -1 ? -1 : 0;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) == -1 || setsockopt(fd, IPPROTO_IPV6,
	    IPV6_RECVHOPLIMIT, &on, sizeof(on)) == -1 || setsockopt(fd,
	    IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) == -1 ? -1 : 0;
}

static int
bfd_listen(int af, struct event **ev)
{
	struct sockaddr_storage	 ss;
	struct tb_addr		 any;
	socklen_t		 sl;
	int			 fd, saved;

	memset(&any, 0, sizeof(any));
	any.af = (uint8_t)af;
	if ((fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	sl = addr_to_sa(&any, BFD_PORT, &ss);
	if (bfd_sockopts_in(fd, af) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, sl) == -1)
		goto fail;
	*ev = event_new(bfd.base, fd, EV_READ | EV_PERSIST, bfd_read_cb, NULL);
	if (*ev == NULL || event_add(*ev, NULL) == -1) {
		errno = ENOMEM;
		goto fail;
	}
	return fd;
fail:
	saved = errno;
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
	close(fd);
	errno = saved;
	return -1;
}

static void
bfd_unlisten(void)
{
	if (bfd.ev4 != NULL)
		event_free(bfd.ev4);
	if (bfd.ev6 != NULL)
		event_free(bfd.ev6);
	bfd.ev4 = bfd.ev6 = NULL;
	if (bfd.fd4 != -1)
		close(bfd.fd4);
	if (bfd.fd6 != -1)
		close(bfd.fd6);
	bfd.fd4 = bfd.fd6 = -1;
}

int
bfd_init(struct event_base *base)
{
	struct bfd_sess	*s;

	if (base == NULL || bfd.base != NULL) {
		errno = EINVAL;
		return -1;
	}
	bfd.base = base;
	if ((bfd.fd4 = bfd_listen(AF_INET, &bfd.ev4)) == -1) {
		log_warn("bfd: IPv4 UDP port %d", BFD_PORT);
		goto fail;
	}
	if ((bfd.fd6 = bfd_listen(AF_INET6, &bfd.ev6)) == -1 &&
	    errno != EAFNOSUPPORT) {
		log_warn("bfd: IPv6 UDP port %d", BFD_PORT);
		goto fail;
	}
	TAILQ_FOREACH(s, &bfd.sessions, entry)
		bfd_sess_start(s);
	return 0;
fail:
	bfd_unlisten();
	bfd.base = NULL;
	return -1;
}

void
bfd_shutdown(void)
{
	while (!TAILQ_EMPTY(&bfd.sessions))
		bfd_sess_free(TAILQ_FIRST(&bfd.sessions));
	bfd_unlisten();
	bfd.base = NULL;
	memset(&bfd.stats, 0, sizeof(bfd.stats));
}
