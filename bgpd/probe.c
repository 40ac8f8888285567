/*
 * probe.c: ICMP / ICMPv6 echo liveness of a tunnel peer (see probe.h).
 *
 * Owns the echo request builder and reply parser, the miss / reply
 * counting with its hysteresis, and one ICMP socket per probe with its
 * interval timer.
 *
 * Decisions worth knowing:
 *  - a request is judged when the next one leaves: answered by then it is
 *    timely, else it is a miss.  So a dead tunnel is called down between
 *    multiplier and multiplier + 1 intervals after its last reply;
 *  - a late reply (after the next request left) does not undo the miss
 *    already counted and never counts toward up_count, but it does end a
 *    run of misses: the tunnel carries traffic, only slowly, and a path
 *    whose round trip grew past the interval under load must not be
 *    failed over (no false alarms is a requirement, not a nicety);
 *  - INIT leaves on the first timely reply (a gateway answered once, so it
 *    answers ICMP); DOWN leaves only after up_count timely replies in a
 *    row, so a tunnel that comes and goes does not flap the session;
 *  - replies are ours only with our identifier, our cookie in the echo
 *    data (RFC 792 and RFC 4443 section 4.2: the data comes back
 *    unchanged) and the peer as source.  A raw socket sees every echo
 *    reply of the host, other processes' pings included; a ping socket
 *    sees only its own, under an identifier the kernel chose;
 *  - the IPv4 checksum is checked here because a raw socket gets the
 *    packet before icmp_rcv() has looked at it; ICMPv6 raw sockets are
 *    checksummed by the kernel (RFC 3542 section 3.1) and ping sockets
 *    sit behind icmp_rcv() / icmpv6_rcv();
 *  - the socket is bound to the tunnel interface (SO_BINDTODEVICE) when
 *    one is named and to our tunnel address when one is given.  The device
 *    binding is what keeps probes in the tunnel: without it a withdrawn
 *    tunnel route would send them out of the default route, where a reply
 *    cannot come back, or, worse, over the backup tunnel to an address the
 *    backup gateway shares.  The address binding picks the reply's
 *    destination and, on a ping socket, is part of the kernel's match.
 */
#include "config.h"

#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>

#include <linux/icmp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "log.h"
#include "probe.h"

#define PROBE_RING	16	/* requests remembered for late replies */
#define PROBE_READS	16	/* datagrams per loop turn */
#define PROBE_RXBUF	1500	/* larger datagrams are not ours */
#define PROBE_WHYLEN	96

#define ICMP6_ECHO_REQ	128	/* RFC 4443 section 4.1 */
#define ICMP6_ECHO_REP	129	/* RFC 4443 section 4.2 */

struct probe_req {
	uint64_t	 sent;		/* microseconds */
	uint16_t	 seq;
	uint8_t		 used;
	uint8_t		 answered;
};

struct probe {
	struct probe_opts	 opts;
	struct probe_expect	 x;
	enum probe_state	 state;
	probe_cb		 cb;
	void			*arg;
	struct probe_req	 ring[PROBE_RING];
	uint16_t		 next_seq;
	int			 outstanding;	/* ring[next_seq - 1] is live */
	uint32_t		 misses;	/* in a row */
	uint32_t		 run;		/* timely replies in a row */
	uint32_t		 init_misses;
	uint64_t		 miss_since;	/* first missed request's send */
	int			 told_unarmed;
	int			 pending;	/* a transition to report */
	char			 why[PROBE_WHYLEN];
	struct probe_stats	 stats;
	/* The socket side. */
	struct event_base	*base;
	struct tb_addr		 src;		/* af 0: unbound */
	char			 ifname[IFNAMSIZ];	/* "": unbound */
	int			 fd;
	int			 raw;
	struct event		*tev;
	struct event		*rev;
	struct sockaddr_storage	 dsa;
	socklen_t		 dsalen;
	struct buf		 w;
};

static const char *const probe_state_names[] = {
	[PROBE_INIT] = "init",
	[PROBE_UP] = "up",
	[PROBE_DOWN] = "down"
};

/* Wire format ----------------------------------------------------------- */

/* RFC 1071: the ones' complement of the ones' complement sum of the
 * 16-bit words, an odd last octet padded with zero. */
static uint16_t
probe_cksum(const struct buf *msg)
{
	struct buf	 b = *msg;
	uint32_t	 sum = 0;
	uint16_t	 w;
	uint8_t		 last;

	while (buf_get_u16(&b, &w) == 0)
		sum += w;
	if (buf_get_u8(&b, &last) == 0)
		sum += (uint32_t)last << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int
probe_build_request(struct buf *w, int af, const struct probe_expect *x,
    uint16_t seq)
{
	struct buf	 msg;
	size_t		 start = buf_len(w), ck;

	buf_put_u8(w, af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQ);
	buf_put_u8(w, 0);
	ck = buf_reserve(w, 2);
	buf_put_u16(w, x->ident);
	buf_put_u16(w, seq);
	buf_put_u32(w, x->cookie);
	buf_put(w, "tbgp", 4);
	if (buf_error(w))
		return -1;
	if (af == AF_INET) {
		buf_view(&msg, buf_data(w) + start, buf_len(w) - start);
		buf_set_u16_at(w, ck, probe_cksum(&msg));
	}
	return buf_error(w) ? -1 : 0;
}

/*
 * The IPv4 header a raw socket hands over, as on the wire (RFC 791
 * section 3.1): version 4, a header length that fits, a whole datagram
 * (the kernel reassembles before raw delivery), protocol ICMP.  Octets
 * after the total length are link padding.  *icmp is the payload,
 * *src the header's source.
 */
static int
probe_ip4_header(struct buf *b, struct buf *icmp, struct tb_addr *src)
{
	uint8_t		 vhl, proto;
	uint16_t	 tot, frag;
	size_t		 hl;

	if (buf_get_u8(b, &vhl) == -1 || buf_skip(b, 1) == -1 ||
	    buf_get_u16(b, &tot) == -1 || buf_skip(b, 2) == -1 ||
	    buf_get_u16(b, &frag) == -1 || buf_skip(b, 1) == -1 ||
	    buf_get_u8(b, &proto) == -1 || buf_skip(b, 2) == -1)
		return -1;
	memset(src, 0, sizeof(*src));
	src->af = AF_INET;
	if (buf_get_n(b, &src->u.v4, 4) == -1 || buf_skip(b, 4) == -1)
		return -1;
	hl = (size_t)(vhl & 0x0f) * 4;
	if ((vhl >> 4) != 4 || hl < 20 || tot < hl || (frag & 0x3fff) != 0 ||
	    proto != IPPROTO_ICMP)
		return -1;
	if (buf_skip(b, hl - 20) == -1)		/* options */
		return -1;
	return buf_get_view(b, tot - hl, icmp);
}

static int
probe_icmp(const struct probe_expect *x, const struct tb_addr *src,
    struct buf *b, uint16_t *seq)
{
	uint8_t		 type, code;
	uint16_t	 id, sq;
	uint32_t	 cookie;
	int		 v4 = x->peer.af == AF_INET;

	if (buf_left(b) < 8)
		return -1;
	if (v4 && probe_cksum(b) != 0)
		return -1;
	if (buf_get_u8(b, &type) == -1 || buf_get_u8(b, &code) == -1 ||
	    buf_skip(b, 2) == -1 || buf_get_u16(b, &id) == -1 ||
	    buf_get_u16(b, &sq) == -1)
		return -1;
	if (type != (v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REP) || code != 0)
		return 1;
	if (src->af != x->peer.af || addr_cmp(src, &x->peer) != 0)
		return 1;
	/* Short echo data is someone else's ping under the same id. */
	if (id != x->ident || buf_get_u32(b, &cookie) == -1 ||
	    cookie != x->cookie)
		return 1;
	*seq = sq;
	return 0;
}

int
probe_parse_reply(const struct probe_expect *x, const struct tb_addr *from,
    const void *pkt, size_t len, uint16_t *seq)
{
	struct buf	 b, icmp;
	struct tb_addr	 src;

	buf_view(&b, pkt, len);
	if (!x->iphdr)
		return probe_icmp(x, from, &b, seq);
	if (probe_ip4_header(&b, &icmp, &src) == -1)
		return -1;
	return probe_icmp(x, &src, &icmp, seq);
}

/* The engine ------------------------------------------------------------ */

struct probe *
probe_engine_new(const struct tb_addr *dst, const struct probe_opts *o,
    probe_cb cb, void *arg)
{
	struct probe	*p;

	if (o->interval_ms == 0 || o->multiplier == 0 ||
	    (dst->af != AF_INET && dst->af != AF_INET6)) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("probe_engine_new");
	p->opts = *o;
	if (p->opts.up_count == 0)
		p->opts.up_count = p->opts.multiplier;
	p->x.peer = *dst;
	p->x.ident = (uint16_t)arc4random();
	p->x.cookie = arc4random();
	p->next_seq = (uint16_t)arc4random();
	p->cb = cb;
	p->arg = arg;
	p->fd = -1;
	return p;
}

const struct probe_expect *
probe_expect(const struct probe *p)
{
	return &p->x;
}

void
probe_set_expect(struct probe *p, uint16_t ident, int iphdr)
{
	p->x.ident = ident;
	p->x.iphdr = iphdr;
}

uint16_t
probe_next_seq(const struct probe *p)
{
	return p->next_seq;
}

enum probe_state
probe_state(const struct probe *p)
{
	return p->state;
}

const char *
probe_state_name(enum probe_state s)
{
	if ((unsigned int)s >= sizeof(probe_state_names) /
	    sizeof(probe_state_names[0]))
		return "?";
	return probe_state_names[s];
}

const char *
probe_why(const struct probe *p)
{
	return p->why;
}

const struct probe_stats *
probe_stats(const struct probe *p)
{
	return &p->stats;
}

static void
probe_set_state(struct probe *p, enum probe_state to, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
probe_set_state(struct probe *p, enum probe_state to, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	log_info("probe to %s: %s -> %s: %s", addr_str(&p->x.peer),
	    probe_state_name(p->state), probe_state_name(to), p->why);
	p->state = to;
	p->stats.transitions++;
	p->pending = 1;
}

/* The callback goes last: it may free the probe. */
static void
probe_fire(struct probe *p)
{
	if (!p->pending)
		return;
	p->pending = 0;
	if (p->cb != NULL)
		p->cb(p, p->state, p->why, p->arg);
}

static void
probe_rtt(struct probe *p, const struct probe_req *r, uint64_t now)
{
	uint64_t	 d = now > r->sent ? now - r->sent : 0;
	uint32_t	 us = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;

	p->stats.rtt_us_last = us;
	if (p->stats.rtt_us_min == 0 || us < p->stats.rtt_us_min)
		p->stats.rtt_us_min = us;
	if (us > p->stats.rtt_us_max)
		p->stats.rtt_us_max = us;
}

/* Said once: the operator must know the probe protects nothing. */
static void
probe_unarmed(struct probe *p)
{
	if (p->told_unarmed || ++p->init_misses < p->opts.multiplier)
		return;
	p->told_unarmed = 1;
	if (p->stats.late > 0)
		log_info("probe to %s: replies come only after the interval "
		    "(%" PRIu64 " late); not arming", addr_str(&p->x.peer),
		    p->stats.late);
	else
		log_info("probe to %s: no reply yet; not arming",
		    addr_str(&p->x.peer));
}

static void
probe_miss(struct probe *p, const struct probe_req *r, uint64_t now)
{
	p->stats.missed++;
	p->run = 0;
	if (p->misses == 0)
		p->miss_since = r->sent;
	if (p->misses < UINT32_MAX)
		p->misses++;
	switch (p->state) {
	case PROBE_INIT:
		probe_unarmed(p);
		break;
	case PROBE_UP:
		if (p->misses >= p->opts.multiplier)
			probe_set_state(p, PROBE_DOWN,
			    "%" PRIu32 " echo %s unanswered (%" PRIu64 " ms)",
			    p->misses, p->misses == 1 ? "request" : "requests",
			    (now - p->miss_since) / 1000);
		break;
	case PROBE_DOWN:
		break;
	}
}

void
probe_tick(struct probe *p, uint64_t now, int sent)
{
	struct probe_req	*r;

	r = &p->ring[(uint16_t)(p->next_seq - 1) % PROBE_RING];
	if (p->outstanding && !r->answered)
		probe_miss(p, r, now);
	r = &p->ring[p->next_seq % PROBE_RING];
	r->seq = p->next_seq++;
	r->sent = now;
	r->used = 1;
	r->answered = 0;
	p->outstanding = 1;
	if (sent)
		p->stats.sent++;
	else
		p->stats.send_errors++;
	probe_fire(p);
}

static void
probe_timely(struct probe *p)
{
	p->misses = 0;
	if (p->run < UINT32_MAX)
		p->run++;
	if (p->state == PROBE_INIT)
		probe_set_state(p, PROBE_UP, "first echo reply (rtt %" PRIu32
		    ".%03" PRIu32 " ms)", p->stats.rtt_us_last / 1000,
		    p->stats.rtt_us_last % 1000);
	else if (p->state == PROBE_DOWN && p->run >= p->opts.up_count)
		probe_set_state(p, PROBE_UP, "%" PRIu32 " echo %s in a row",
		    p->run, p->run == 1 ? "reply" : "replies");
}

enum probe_rx
probe_reply_seen(struct probe *p, uint16_t seq, uint64_t now)
{
	struct probe_req	*r = &p->ring[seq % PROBE_RING];

	if (!r->used || r->seq != seq) {
		p->stats.stale++;
		return PROBE_RX_STALE;
	}
	if (r->answered) {
		p->stats.duplicate++;
		return PROBE_RX_DUPLICATE;
	}
	r->answered = 1;
	p->stats.received++;
	probe_rtt(p, r, now);
	if (seq != (uint16_t)(p->next_seq - 1)) {
		/* Judged missed already; see the top of the file. */
		p->stats.late++;
		p->misses = 0;
		return PROBE_RX_LATE;
	}
	probe_timely(p);
	probe_fire(p);
	return PROBE_RX_TIMELY;
}

enum probe_rx
probe_input(struct probe *p, const struct tb_addr *from, const void *pkt,
    size_t len, uint64_t now)
{
	uint16_t	 seq;

	switch (probe_parse_reply(&p->x, from, pkt, len, &seq)) {
	case 0:
		return probe_reply_seen(p, seq, now);
	case 1:
		p->stats.unrelated++;
		return PROBE_RX_UNRELATED;
	default:
		p->stats.malformed++;
		return PROBE_RX_MALFORMED;
	}
}

void
probe_free(struct probe *p)
{
	if (p == NULL)
		return;
	if (p->tev != NULL)
		event_free(p->tev);
	if (p->rev != NULL)
		event_free(p->rev);
	if (p->fd != -1)
		close(p->fd);
	buf_free(&p->w);
	free(p);
}

const char *
probe_socket_kind(const struct probe *p)
{
	if (p->fd == -1)
		return "none";
	return p->raw ? "raw" : "icmp";
}

/* The socket ------------------------------------------------------------ */

static uint64_t
probe_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int	probe_open(struct probe *);
static void	probe_close(struct probe *);

/*
 * A socket bound to an interface that was deleted stays bound to its old
 * index: every send fails with ENODEV even after an interface of the same
 * name is back (an IPsec daemon recreating its vti or xfrm device).  So
 * the socket is closed and opened again, by name, at the next interval
 * until that works; the requests meanwhile count as misses.
 */
static int
probe_sendto(struct probe *p)
{
	ssize_t	 n;
	int	 err;

	if (p->fd == -1 && probe_open(p) == -1)
		return 0;
	n = sendto(p->fd, buf_data(&p->w), buf_len(&p->w), 0,
	    (struct sockaddr *)&p->dsa, p->dsalen);
	if (n == (ssize_t)buf_len(&p->w))
		return 1;
	err = n == -1 ? errno : EMSGSIZE;
	/* ENETUNREACH, EHOSTUNREACH, ENETDOWN are a dead tunnel: counted
	 * as misses, not worth a line each. */
	log_debug("probe to %s: send: %s", addr_str(&p->x.peer),
	    strerror(err));
	if (err == ENODEV) {
		log_info("probe to %s: interface %s gone, reopening",
		    addr_str(&p->x.peer), p->ifname);
		probe_close(p);
	}
	return 0;
}

static void
probe_send(struct probe *p)
{
	int	 ok;

	buf_reset(&p->w);
	ok = probe_build_request(&p->w, p->x.peer.af, &p->x,
	    probe_next_seq(p)) == 0 && probe_sendto(p);
	probe_tick(p, probe_now(), ok);
}

static void
probe_timer_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	probe_send(arg);
}

/* One datagram: 1 read, 0 nothing more, 2 a timely reply (the callback
 * may have freed the probe: stop touching it). */
static int
probe_recv(struct probe *p, uint8_t *rbuf)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct tb_addr		 from;
	ssize_t			 n;

	n = recvfrom(p->fd, rbuf, PROBE_RXBUF, MSG_DONTWAIT | MSG_TRUNC,
	    (struct sockaddr *)&ss, &sslen);
	if (n == -1) {
		/* A ping socket queues ICMP errors about our requests
		 * (unreachable, TTL exceeded) without IP_RECVERR; they only
		 * mean "no reply", which the timer already counts. */
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			log_debug("probe to %s: recv: %s",
			    addr_str(&p->x.peer), strerror(errno));
		return 0;
	}
	if (n > PROBE_RXBUF || addr_from_sa((struct sockaddr *)&ss, &from,
	    NULL) == -1) {
		p->stats.unrelated++;
		return 1;
	}
	if (probe_input(p, &from, rbuf, (size_t)n, probe_now()) ==
	    PROBE_RX_TIMELY)
		return 2;
	return 1;
}

static void
probe_read_cb(int fd, short ev, void *arg)
{
	uint8_t	 rbuf[PROBE_RXBUF];
	int	 i;

	(void)fd;
	(void)ev;
	for (i = 0; i < PROBE_READS; i++)
		if (probe_recv(arg, rbuf) != 1)
			return;
}

/* A raw socket gets every ICMP packet of the host: the kernel filters
 * out all but echo replies before they are queued. */
static int
probe_filter(int fd, int af)
{
	struct icmp_filter	 f4;
	struct icmp6_filter	 f6;

	if (af == AF_INET) {
		f4.data = ~(1U << ICMP_ECHOREPLY);
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4));
	}
	ICMP6_FILTER_SETBLOCKALL(&f6);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REP, &f6);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof(f6));
}

/* Unprivileged first (the kernel matches replies for us), raw next. */
static int
probe_socket(struct probe *p)
{
	int	 af = p->x.peer.af;
	int	 proto = af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int	 type = SOCK_NONBLOCK | SOCK_CLOEXEC;

	p->raw = 0;
	p->x.iphdr = 0;
	if ((p->fd = socket(af, SOCK_DGRAM | type, proto)) != -1)
		return 0;
	if (errno != EACCES && errno != EPERM)
		return -1;
	if ((p->fd = socket(af, SOCK_RAW | type, proto)) == -1)
		return -1;
	p->raw = 1;
	p->x.iphdr = af == AF_INET;
	if (probe_filter(p->fd, af) == -1)
		return -1;
	return 0;
}

/* Link-local IPv6 needs the interface as scope. */
static void
probe_scope(struct sockaddr_storage *ss, const struct tb_addr *a,
    unsigned int ifindex)
{
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	if (a->af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6))
		sin6->sin6_scope_id = ifindex;
}

/*
 * Device first, then address.  A ping socket is always bound: binding
 * with identifier 0 makes the kernel pick the one it will put in our
 * requests, which getsockname() then tells us.
 */
static int
probe_bind(struct probe *p)
{
	const struct tb_addr	*src = &p->src;
	const char		*ifname = p->ifname[0] ? p->ifname : NULL;
	struct sockaddr_storage	 ss;
	struct tb_addr		 any;
	socklen_t		 len;
	unsigned int		 ifindex = 0;

	if (ifname != NULL) {
		if ((ifindex = if_nametoindex(ifname)) == 0)
			return -1;
		if (setsockopt(p->fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
		    (socklen_t)strlen(ifname)) == -1)
			return -1;
	}
	memset(&any, 0, sizeof(any));
	any.af = p->x.peer.af;
	if (src->af == p->x.peer.af)
		any = *src;
	else if (p->raw)
		goto dst;
	len = addr_to_sa(&any, 0, &ss);
	probe_scope(&ss, &any, ifindex);
	if (bind(p->fd, (struct sockaddr *)&ss, len) == -1)
		return -1;
	len = sizeof(ss);
	if (!p->raw) {
		if (getsockname(p->fd, (struct sockaddr *)&ss, &len) == -1)
			return -1;
		p->x.ident = ntohs(ss.ss_family == AF_INET ?
		    ((struct sockaddr_in *)&ss)->sin_port :
		    ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
dst:
	p->dsalen = addr_to_sa(&p->x.peer, 0, &p->dsa);
	probe_scope(&p->dsa, &p->x.peer, ifindex);
	return 0;
}

static void
probe_close(struct probe *p)
{
	if (p->rev != NULL)
		event_free(p->rev);
	p->rev = NULL;
	if (p->fd != -1)
		close(p->fd);
	p->fd = -1;
}

/* A socket, bound, with its read event; 0, or -1 with errno set and
 * nothing left open. */
static int
probe_open(struct probe *p)
{
	int	 saved;

	if (probe_socket(p) == -1 || probe_bind(p) == -1)
		goto fail;
	p->rev = event_new(p->base, p->fd, EV_READ | EV_PERSIST,
	    probe_read_cb, p);
	if (p->rev == NULL || event_add(p->rev, NULL) == -1) {
		errno = ENOMEM;
		goto fail;
	}
	log_debug("probe to %s: %s socket, identifier %u, every %" PRIu32
	    " ms", addr_str(&p->x.peer), probe_socket_kind(p), p->x.ident,
	    p->opts.interval_ms);
	return 0;
fail:
	saved = errno;
	probe_close(p);
	errno = saved;
	return -1;
}

static int
probe_timer(struct probe *p)
{
	struct timeval	 tv;

	if ((p->tev = event_new(p->base, -1, EV_PERSIST, probe_timer_cb,
	    p)) == NULL)
		return -1;
	tv.tv_sec = p->opts.interval_ms / 1000;
	tv.tv_usec = (suseconds_t)(p->opts.interval_ms % 1000) * 1000;
	return event_add(p->tev, &tv);
}

struct probe *
probe_new(struct event_base *base, const struct tb_addr *dst,
    const struct tb_addr *src, const char *ifname,
    const struct probe_opts *o, probe_cb cb, void *arg)
{
	struct probe	*p;
	int		 saved;

	if (ifname != NULL && strlen(ifname) >= IFNAMSIZ) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = probe_engine_new(dst, o, cb, arg)) == NULL)
		return NULL;
	p->base = base;
	if (src != NULL)
		p->src = *src;
	if (ifname != NULL)
		(void)strlcpy(p->ifname, ifname, sizeof(p->ifname));
	if (buf_init(&p->w, PROBE_PKTLEN, PROBE_PKTLEN) == -1)
		fatal("probe_new");
	if (probe_open(p) == -1)
		goto fail;
	if (probe_timer(p) == -1) {
		errno = ENOMEM;
		goto fail;
	}
	probe_send(p);	/* no request is outstanding: cannot fire */
	return p;
fail:
	saved = errno;
	probe_free(p);
	errno = saved;
	return NULL;
}
