/*
 * bgpinject: a small, fast BGP speaker that loads a table into a peer.
 *
 * It owns everything it needs itself (the OPEN, UPDATE, KEEPALIVE and
 * NOTIFICATION it builds and the few it reads) so that a benchmark does
 * not measure tbgpd against tbgpd's own code: nothing here comes from
 * bgpd/.  One session, one socket, one poll() loop.  It opens the session
 * (4-octet AS, multiprotocol IPv4 unicast and route refresh capabilities,
 * hold time 90), writes every UPDATE as fast as the socket takes them in
 * large batches, then the IPv4 End-of-RIB (RFC 4724 section 2),
 * optionally withdraws everything, prints its timings to stderr and keeps
 * the session up, answering and sending KEEPALIVEs.
 *
 * Each UPDATE carries its own MULTI_EXIT_DISC, so every UPDATE is a
 * distinct attribute set: 1M prefixes at 8 per UPDATE make the receiver
 * intern 125,000 sets, like a real full table, not one shared set.
 *
 * Prefixes are consecutive (a /24 start gives consecutive /24s) and move
 * on into the next /8 when one is full.  0/8, 127/8 and 224/8 and above
 * are stepped over (a receiver may rightly refuse them as martians); after
 * 223/8 the walk goes on at 1/8, and -n may not exceed what the walk holds
 * before it comes back to the start, so all prefixes are distinct.
 */
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "buf.h"

#define INJ_PORT	179
#define INJ_HOLD	90
#define INJ_AS_TRANS	23456		/* RFC 6793 section 9 */
#define INJ_MAXLEN	4096		/* RFC 4271 section 4.1 */
#define INJ_HDRLEN	19
#define INJ_BATCH	(64 * 1024)	/* bytes handed to write() at once */
#define INJ_RBUF	(64 * 1024)
#define INJ_MAXPATH	254		/* one AS_SEQUENCE segment */

enum { MSG_OPEN = 1, MSG_UPDATE, MSG_NOTIFY, MSG_KEEPALIVE, MSG_RREFRESH };
enum inj_state { ST_OPENSENT, ST_OPENCONFIRM, ST_ESTABLISHED };
enum inj_phase { PH_ANNOUNCE, PH_EOR, PH_WITHDRAW, PH_DONE };

struct inj_opts {
	uint32_t	 local_as;
	uint32_t	 remote_as;	/* 0: accept any */
	uint32_t	 router_id;
	struct tb_addr	 addr;
	uint16_t	 port;
	int		 listen;
	uint32_t	 nprefixes;
	uint32_t	 per_update;
	struct tb_prefix start;
	struct tb_addr	 nexthop;	/* unset: the session's local address */
	unsigned int	 pathlen;
	int		 withdraw;
	long		 hold_after;	/* seconds; -1: until killed */
};

/* The walk over prefixes: cur is the network in host order. */
struct inj_gen {
	uint32_t	 cur;
	uint8_t		 len;
	uint32_t	 step;
	uint32_t	 done;		/* prefixes produced so far */
};

struct inj {
	struct inj_opts	*o;
	int		 fd;
	enum inj_state	 state;
	enum inj_phase	 phase;
	struct buf	 out;
	uint8_t		 in[INJ_RBUF];
	size_t		 inlen;
	uint16_t	 hold;		/* negotiated; 0: no keepalives */
	double		 last_sent;
	double		 last_rcvd;
	struct inj_gen	 gen;
	uint32_t	 nupdates;
	uint64_t	 bytes;
	double		 t_est, t_eor, t_wd;
	uint64_t	 bytes_eor;	/* written when the End-of-RIB was */
	uint32_t	 nupdates_eor;
};

static volatile sig_atomic_t	 inj_quit;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("bgpinject: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_real(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- prefixes */

static int
gen_usable_slash8(uint32_t net)
{
	uint32_t	 o = net >> 24;

	return o != 0 && o != 127 && o < 224;
}

/* How many prefixes the walk yields before it comes back to the start. */
static uint64_t
gen_capacity(uint8_t len)
{
	return (uint64_t)222 << (len - 8);
}

static void
gen_init(struct inj_gen *g, const struct tb_prefix *p)
{
	uint32_t	 mask = p->len == 32 ? 0xffffffffu :
			    ~(0xffffffffu >> p->len);

	g->len = p->len;
	g->step = p->len == 32 ? 1 : 0xffffffffu >> p->len;
	if (p->len < 32)
		g->step++;
	g->cur = ntohl(p->addr.u.v4.s_addr) & mask;
	g->done = 0;
}

static void
gen_next(struct inj_gen *g)
{
	g->cur += g->step;
	if (g->cur >> 24 == 127)
		g->cur = 128u << 24;
	else if (g->cur >> 24 >= 224 || g->cur == 0)
		g->cur = 1u << 24;
	g->done++;
}

/* RFC 4271 section 4.3: length in bits, then the significant octets. */
static void
put_prefix(struct buf *b, const struct inj_gen *g)
{
	uint8_t	 net[4] = { g->cur >> 24, g->cur >> 16, g->cur >> 8, g->cur };

	buf_put_u8(b, g->len);
	buf_put(b, net, (g->len + 7) / 8);
}

/* ------------------------------------------------------------- messages */

/* Header with a length gap; msg_end back-patches it. */
static size_t
msg_begin(struct buf *b, uint8_t type)
{
	static const uint8_t	 marker[16] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t			 start = buf_len(b);

	buf_put(b, marker, sizeof(marker));
	buf_reserve(b, 2);
	buf_put_u8(b, type);
	return start;
}

static void
msg_end(struct buf *b, size_t start)
{
	buf_set_u16_at(b, start + 16, (uint16_t)(buf_len(b) - start));
}

static void
capa_put(struct buf *b, uint8_t code, const void *val, uint8_t len)
{
	buf_put_u8(b, 2);		/* optional parameter: capabilities */
	buf_put_u8(b, len + 2);
	buf_put_u8(b, code);
	buf_put_u8(b, len);
	buf_put(b, val, len);
}

static void
msg_open(struct buf *b, const struct inj_opts *o)
{
	static const uint8_t	 mp_v4[4] = { 0, 1, 0, 1 };	/* RFC 4760 */
	uint8_t			 as4[4] = { o->local_as >> 24,
				    o->local_as >> 16, o->local_as >> 8,
				    o->local_as };
	size_t			 start, optlen;

	start = msg_begin(b, MSG_OPEN);
	buf_put_u8(b, 4);
	buf_put_u16(b, o->local_as > 0xffff ? INJ_AS_TRANS : o->local_as);
	buf_put_u16(b, INJ_HOLD);
	buf_put_u32(b, o->router_id);
	optlen = buf_reserve(b, 1);
	capa_put(b, 1, mp_v4, sizeof(mp_v4));
	capa_put(b, 2, NULL, 0);			/* RFC 2918 */
	capa_put(b, 65, as4, sizeof(as4));		/* RFC 6793 */
	buf_set_u8_at(b, optlen, (uint8_t)(buf_len(b) - optlen - 1));
	msg_end(b, start);
}

static void
msg_keepalive(struct buf *b)
{
	msg_end(b, msg_begin(b, MSG_KEEPALIVE));
}

static void
msg_notify(struct buf *b, uint8_t code, uint8_t subcode)
{
	size_t	 start = msg_begin(b, MSG_NOTIFY);

	buf_put_u8(b, code);
	buf_put_u8(b, subcode);
	msg_end(b, start);
}

/* Flags: well-known transitive, or optional non-transitive (MED). */
static void
attr_hdr(struct buf *b, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		buf_put_u8(b, flags | 0x10);	/* extended length */
		buf_put_u8(b, type);
		buf_put_u16(b, (uint16_t)len);
	} else {
		buf_put_u8(b, flags);
		buf_put_u8(b, type);
		buf_put_u8(b, (uint8_t)len);
	}
}

/* ORIGIN, AS_PATH (4-octet ASNs), NEXT_HOP, MED: RFC 4271 section 5.1. */
static void
attrs_put(struct buf *b, const struct inj *ij, uint32_t med)
{
	const struct inj_opts	*o = ij->o;
	unsigned int		 i, nas = 1 + o->pathlen;

	attr_hdr(b, 0x40, 1, 1);
	buf_put_u8(b, 0);			/* IGP */
	attr_hdr(b, 0x40, 2, 2 + 4 * nas);
	buf_put_u8(b, 2);			/* AS_SEQUENCE */
	buf_put_u8(b, (uint8_t)nas);
	buf_put_u32(b, o->local_as);
	/* Private ASNs from RFC 6996, never the receiver's own. */
	for (i = 0; i < o->pathlen; i++)
		buf_put_u32(b, 4200000000u + i);
	attr_hdr(b, 0x40, 3, 4);
	buf_put(b, &o->nexthop.u.v4, 4);
	attr_hdr(b, 0x80, 4, 4);
	buf_put_u32(b, med);
}

static size_t
attrs_len(const struct inj_opts *o)
{
	size_t	 aspath = 2 + 4 * (1 + (size_t)o->pathlen);

	return 4 + (aspath > 255 ? 4 : 3) + aspath + 7 + 7;
}

static void
msg_announce(struct inj *ij)
{
	struct buf	*b = &ij->out;
	size_t		 start, alen;
	uint32_t	 i;

	start = msg_begin(b, MSG_UPDATE);
	buf_put_u16(b, 0);			/* no withdrawn routes */
	alen = buf_reserve(b, 2);
	attrs_put(b, ij, ij->nupdates);
	buf_set_u16_at(b, alen, (uint16_t)(buf_len(b) - alen - 2));
	for (i = 0; i < ij->o->per_update && ij->gen.done < ij->o->nprefixes;
	    i++) {
		put_prefix(b, &ij->gen);
		gen_next(&ij->gen);
	}
	msg_end(b, start);
	ij->nupdates++;
}

static void
msg_withdraw(struct inj *ij)
{
	struct buf	*b = &ij->out;
	size_t		 start, wlen, plen = 1 + (ij->gen.len + 7) / 8;

	start = msg_begin(b, MSG_UPDATE);
	wlen = buf_reserve(b, 2);
	while (ij->gen.done < ij->o->nprefixes &&
	    buf_len(b) - start + plen + 2 <= INJ_MAXLEN) {
		put_prefix(b, &ij->gen);
		gen_next(&ij->gen);
	}
	buf_set_u16_at(b, wlen, (uint16_t)(buf_len(b) - wlen - 2));
	buf_put_u16(b, 0);			/* no attributes */
	msg_end(b, start);
	ij->nupdates++;
}

/* RFC 4724 section 2: an UPDATE with nothing in it ends IPv4 unicast. */
static void
msg_eor(struct buf *b)
{
	size_t	 start = msg_begin(b, MSG_UPDATE);

	buf_put_u16(b, 0);
	buf_put_u16(b, 0);
	msg_end(b, start);
}

/* ------------------------------------------------------------- socket io */

static void
flush_some(struct inj *ij)
{
	ssize_t	 n;

	if (buf_len(&ij->out) == 0)
		return;
	n = write(ij->fd, buf_data(&ij->out), buf_len(&ij->out));
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die("write: %s", strerror(errno));
	}
	buf_drain(&ij->out, (size_t)n);
	ij->bytes += (uint64_t)n;
	ij->last_sent = now_mono();
}

static const char *
notify_name(uint8_t code)
{
	static const char *const names[] = { "?", "header", "OPEN", "UPDATE",
	    "hold timer", "FSM", "cease", "route refresh", "send hold" };

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "?";
}

/* Capabilities of the peer's OPEN: only the 4-octet AS one matters. */
static void
open_capas(struct buf *opt, uint32_t *as4)
{
	struct buf	 cap;
	uint8_t		 type, len, code, clen;

	while (buf_get_u8(opt, &type) == 0 && buf_get_u8(opt, &len) == 0 &&
	    buf_get_view(opt, len, &cap) == 0) {
		if (type != 2)
			continue;
		while (buf_get_u8(&cap, &code) == 0 &&
		    buf_get_u8(&cap, &clen) == 0) {
			if (code == 65 && clen == 4)
				buf_get_u32(&cap, as4);
			else if (buf_skip(&cap, clen) == -1)
				break;
		}
	}
}

static void
recv_open(struct inj *ij, struct buf *body)
{
	struct buf	 opt;
	uint8_t		 version, optlen;
	uint16_t	 as2, hold;
	uint32_t	 id, as4 = 0, as;

	if (ij->state != ST_OPENSENT || buf_get_u8(body, &version) == -1 ||
	    buf_get_u16(body, &as2) == -1 || buf_get_u16(body, &hold) == -1 ||
	    buf_get_u32(body, &id) == -1 || buf_get_u8(body, &optlen) == -1 ||
	    buf_get_view(body, optlen, &opt) == -1)
		die("unexpected or short OPEN");
	open_capas(&opt, &as4);
	if (as4 == 0)
		die("peer does not announce 4-octet AS numbers");
	as = as4;
	if (ij->o->remote_as != 0 && as != ij->o->remote_as) {
		msg_notify(&ij->out, 2, 2);
		flush_some(ij);
		die("peer is AS %u, not AS %u", as, ij->o->remote_as);
	}
	ij->hold = hold < INJ_HOLD ? hold : INJ_HOLD;
	msg_keepalive(&ij->out);
	ij->state = ST_OPENCONFIRM;
	fprintf(stderr, "bgpinject: OPEN from AS %u id %s hold %u\n", as,
	    bgpid_str(id), hold);
}

static void
recv_keepalive(struct inj *ij)
{
	if (ij->state != ST_OPENCONFIRM)
		return;
	ij->state = ST_ESTABLISHED;
	ij->t_est = now_mono();
	/* Wall clock, so that a runner can start its stopwatch here. */
	fprintf(stderr, "bgpinject: established at %.6f (hold %u)\n",
	    now_real(), ij->hold);
}

static void
recv_msg(struct inj *ij, uint8_t type, struct buf *body)
{
	uint8_t	 code = 0, sub = 0;

	switch (type) {
	case MSG_OPEN:
		recv_open(ij, body);
		break;
	case MSG_KEEPALIVE:
		recv_keepalive(ij);
		break;
	case MSG_NOTIFY:
		buf_get_u8(body, &code);
		buf_get_u8(body, &sub);
		die("NOTIFICATION received: %s (%u/%u)", notify_name(code),
		    code, sub);
	case MSG_UPDATE:
	case MSG_RREFRESH:
		break;		/* nothing to learn, nothing to resend */
	default:
		die("message of unknown type %u", type);
	}
}

/* RFC 4271 section 6.1: marker all ones, length within bounds.  Checked
 * as soon as the header is in, before waiting for the body. */
static void
recv_header(const struct buf *in, uint16_t len)
{
	uint8_t	 m;
	size_t	 i;

	for (i = 0; i < 16; i++)
		if (buf_peek_u8(in, i, &m) == -1 || m != 0xff)
			die("message header: marker is not all ones");
	if (len < INJ_HDRLEN || len > INJ_MAXLEN)
		die("message header: bad length %u", len);
}

/* Take every whole message out of the input; keep a partial one. */
static void
recv_parse(struct inj *ij)
{
	struct buf	 in, body;
	uint16_t	 len;
	uint8_t		 type;

	buf_view(&in, ij->in, ij->inlen);
	while (buf_left(&in) >= INJ_HDRLEN) {
		buf_peek_u16(&in, 16, &len);
		recv_header(&in, len);
		if (buf_left(&in) < len)
			break;
		buf_skip(&in, 18);
		buf_get_u8(&in, &type);
		buf_get_view(&in, len - INJ_HDRLEN, &body);
		recv_msg(ij, type, &body);
	}
	memmove(ij->in, buf_rptr(&in), buf_left(&in));
	ij->inlen = buf_left(&in);
}

static void
recv_some(struct inj *ij)
{
	ssize_t	 n;

	n = read(ij->fd, ij->in + ij->inlen, sizeof(ij->in) - ij->inlen);
	if (n == 0)
		die("connection closed by peer");
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		die("read: %s", strerror(errno));
	}
	ij->inlen += (size_t)n;
	ij->last_rcvd = now_mono();
	recv_parse(ij);
}

/* ------------------------------------------------------------- the loop */

/* Keep the next UPDATEs ready: one batch in the output at a time. */
static void
produce(struct inj *ij)
{
	while (buf_len(&ij->out) < INJ_BATCH && ij->phase != PH_DONE) {
		/* Withdrawals wait until the End-of-RIB is out, so that the
		 * announce phase is timed alone. */
		if (ij->phase == PH_WITHDRAW && ij->t_eor == 0)
			break;
		switch (ij->phase) {
		case PH_ANNOUNCE:
			if (ij->gen.done < ij->o->nprefixes)
				msg_announce(ij);
			else
				ij->phase = PH_EOR;
			break;
		case PH_EOR:
			msg_eor(&ij->out);
			ij->phase = ij->o->withdraw ? PH_WITHDRAW : PH_DONE;
			gen_init(&ij->gen, &ij->o->start);
			break;
		case PH_WITHDRAW:
			if (ij->gen.done < ij->o->nprefixes)
				msg_withdraw(ij);
			else
				ij->phase = PH_DONE;
			break;
		case PH_DONE:
			break;
		}
	}
	if (buf_error(&ij->out))
		die("output buffer: %s", strerror(buf_error(&ij->out)));
}

static void
report(const char *what, double secs, uint32_t n, uint32_t nupd,
    uint64_t bytes)
{
	fprintf(stderr, "bgpinject: %s %u prefixes in %u UPDATEs, %llu bytes,"
	    " written in %.3f s: %.0f prefixes/s, %.1f MB/s\n", what, n, nupd,
	    (unsigned long long)bytes, secs, secs > 0 ? n / secs : 0.0,
	    secs > 0 ? (double)bytes / secs / 1e6 : 0.0);
}

/* Note when each phase's last byte has left for the kernel. */
static void
progress(struct inj *ij)
{
	if (buf_len(&ij->out) != 0 || ij->state != ST_ESTABLISHED)
		return;
	if (ij->t_eor == 0 && ij->phase >= PH_WITHDRAW) {
		ij->t_eor = now_mono();
		ij->bytes_eor = ij->bytes;
		ij->nupdates_eor = ij->nupdates;
		report("announced", ij->t_eor - ij->t_est, ij->o->nprefixes,
		    ij->nupdates, ij->bytes);
		fprintf(stderr, "bgpinject: End-of-RIB sent\n");
	}
	if (ij->t_wd == 0 && ij->phase == PH_DONE && ij->o->withdraw) {
		ij->t_wd = now_mono();
		report("withdrew", ij->t_wd - ij->t_eor, ij->o->nprefixes,
		    ij->nupdates - ij->nupdates_eor, ij->bytes - ij->bytes_eor);
	}
}

static void
timers(struct inj *ij, double t)
{
	/* Before Established, the OPEN's hold time bounds the wait. */
	double	 hold = ij->state == ST_ESTABLISHED ? ij->hold : INJ_HOLD;

	if (hold == 0)
		return;
	if (t - ij->last_rcvd > hold) {
		msg_notify(&ij->out, 4, 0);
		flush_some(ij);
		die("hold timer expired");
	}
	if (ij->state == ST_ESTABLISHED && t - ij->last_sent >= hold / 3 &&
	    buf_len(&ij->out) == 0) {
		msg_keepalive(&ij->out);
		flush_some(ij);
	}
}

static int
done_holding(const struct inj *ij, double t)
{
	if (ij->phase != PH_DONE || buf_len(&ij->out) != 0)
		return 0;
	if (ij->o->hold_after < 0)
		return 0;
	return t - (ij->t_wd ? ij->t_wd : ij->t_eor) >= ij->o->hold_after;
}

/* Milliseconds poll() may sleep: none while there is more to produce
 * and the socket took all of the last batch. */
static int
poll_wait(const struct inj *ij)
{
	if (ij->state == ST_ESTABLISHED && ij->phase != PH_DONE &&
	    buf_len(&ij->out) == 0)
		return 0;
	return 1000;
}

static void
run(struct inj *ij)
{
	struct pollfd	 pfd = { .fd = ij->fd };
	double		 t;

	ij->last_rcvd = ij->last_sent = now_mono();
	for (;;) {
		if (ij->state == ST_ESTABLISHED)
			produce(ij);
		flush_some(ij);
		progress(ij);
		t = now_mono();
		timers(ij, t);
		if (inj_quit || done_holding(ij, t))
			break;
		pfd.events = POLLIN | (buf_len(&ij->out) ? POLLOUT : 0);
		if (poll(&pfd, 1, poll_wait(ij)) == -1 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			recv_some(ij);
	}
	/* Cease, administrative shutdown (RFC 4486). */
	buf_reset(&ij->out);
	msg_notify(&ij->out, 6, 2);
	flush_some(ij);
	fprintf(stderr, "bgpinject: closing the session\n");
}

/* ------------------------------------------------------------- setup */

static void
set_nonblock(int fd)
{
	int	 fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		die("fcntl: %s", strerror(errno));
}

static int
sock_open(const struct inj_opts *o)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = addr_to_sa(&o->addr, o->port, &ss);
	int			 fd, lfd, on = 1;

	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1)
		die("socket: %s", strerror(errno));
	if (!o->listen) {
		if (connect(fd, (struct sockaddr *)&ss, sl) == -1)
			die("connect %s: %s", addr_str(&o->addr),
			    strerror(errno));
		return fd;
	}
	lfd = fd;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(lfd, (struct sockaddr *)&ss, sl) == -1 || listen(lfd, 1) == -1)
		die("listen %s: %s", addr_str(&o->addr), strerror(errno));
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		die("accept: %s", strerror(errno));
	close(lfd);
	return fd;
}

/* The default next hop is our end of the session: directly connected. */
static void
default_nexthop(struct inj_opts *o, int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);

	if (addr_isset(&o->nexthop))
		return;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1 ||
	    addr_from_sa((struct sockaddr *)&ss, &o->nexthop, NULL) == -1 ||
	    o->nexthop.af != AF_INET)
		die("no IPv4 local address for the next hop; give -H");
}

static void
on_signal(int sig)
{
	(void)sig;
	inj_quit = 1;
}

static void
signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* ------------------------------------------------------------- options */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bgpinject -a local-as -i router-id "
	    "{-c | -l} addr[:port] [-r remote-as]\n"
	    "\t[-n prefixes] [-p prefixes-per-update] [-s start-prefix] "
	    "[-H nexthop]\n\t[-P extra-asns] [-w] [-x seconds]\n");
	exit(2);
}

static uint32_t
num(const char *s, unsigned long long max, const char *what)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno || v > max)
		die("%s: bad number '%s' (at most %llu)", what, s, max);
	return (uint32_t)v;
}

/* ADDR or ADDR:PORT (IPv4), or [ADDR]:PORT (IPv6). */
static void
parse_endpoint(const char *arg, struct inj_opts *o)
{
	char	 s[128], *port = NULL, *a = s;

	if (strlen(arg) >= sizeof(s))
		die("address too long: %s", arg);
	strcpy(s, arg);
	if (*a == '[') {
		a++;
		if ((port = strchr(a, ']')) == NULL)
			die("bad address %s", arg);
		*port++ = '\0';
		port = *port == ':' ? port + 1 : NULL;
	} else if (strchr(a, ':') == strrchr(a, ':') &&
	    (port = strchr(a, ':')) != NULL)
		*port++ = '\0';
	if (addr_parse(a, &o->addr) == -1)
		die("bad address %s", arg);
	o->port = port ? (uint16_t)num(port, 65535, "port") : INJ_PORT;
}

static void
check_opts(const struct inj_opts *o)
{
	size_t	 upd;

	if (o->local_as == 0 || o->router_id == 0 || !addr_isset(&o->addr))
		usage();
	if (o->start.addr.af != AF_INET || o->start.len < 8 ||
	    !gen_usable_slash8(ntohl(o->start.addr.u.v4.s_addr)))
		die("-s wants an IPv4 prefix of length 8 to 32 outside 0/8, "
		    "127/8 and 224/3");
	if (o->nprefixes > gen_capacity(o->start.len))
		die("-n: only %llu distinct /%u prefixes to walk",
		    (unsigned long long)gen_capacity(o->start.len),
		    o->start.len);
	if (o->pathlen > INJ_MAXPATH - 1)
		die("-P: at most %d", INJ_MAXPATH - 1);
	upd = INJ_HDRLEN + 4 + attrs_len(o) +
	    (size_t)o->per_update * (1 + (o->start.len + 7) / 8);
	if (o->per_update == 0 || upd > INJ_MAXLEN)
		die("-p: %u prefixes make a %zu-byte UPDATE (max %d)",
		    o->per_update, upd, INJ_MAXLEN);
}

static void
parse_opts(int argc, char **argv, struct inj_opts *o)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->nprefixes = 1000000;
	o->per_update = 8;
	o->hold_after = -1;
	prefix_parse("10.0.0.0/24", &o->start);
	while ((ch = getopt(argc, argv, "a:c:H:i:l:n:p:P:r:s:wx:")) != -1) {
		switch (ch) {
		case 'a': o->local_as = num(optarg, 0xffffffffu, "-a"); break;
		case 'r': o->remote_as = num(optarg, 0xffffffffu, "-r"); break;
		case 'n': o->nprefixes = num(optarg, 0xffffffffu, "-n"); break;
		case 'p': o->per_update = num(optarg, 4096, "-p"); break;
		case 'P': o->pathlen = num(optarg, 4096, "-P"); break;
		case 'x': o->hold_after = num(optarg, 1u << 30, "-x"); break;
		case 'w': o->withdraw = 1; break;
		case 'c':
		case 'l':
			o->listen = ch == 'l';
			parse_endpoint(optarg, o);
			break;
		case 'i':
			if (bgpid_parse(optarg, &o->router_id) == -1)
				die("bad router id %s", optarg);
			break;
		case 's':
			if (prefix_parse(optarg, &o->start) == -1)
				die("bad prefix %s", optarg);
			break;
		case 'H':
			if (addr_parse(optarg, &o->nexthop) == -1 ||
			    o->nexthop.af != AF_INET)
				die("bad IPv4 next hop %s", optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	check_opts(o);
}

int
main(int argc, char **argv)
{
	static struct inj	 ij;
	struct inj_opts		 o;

	parse_opts(argc, argv, &o);
	signals();
	ij.o = &o;
	ij.fd = sock_open(&o);
	default_nexthop(&o, ij.fd);
	set_nonblock(ij.fd);
	gen_init(&ij.gen, &o.start);
	if (buf_init(&ij.out, 2 * INJ_BATCH, 4 * INJ_BATCH) == -1)
		die("out of memory");
	msg_open(&ij.out, &o);
	ij.state = ST_OPENSENT;
	run(&ij);
	buf_free(&ij.out);
	close(ij.fd);
	return 0;
}
