/*
 * fibload: the kernel's side of the FIB load benchmark (fib-load.sh).
 *
 * An independent yardstick: its own rtnetlink code (nothing from bgpd/,
 * no libnl), so that tbgpd is not measured with its own ruler.  Three
 * subcommands:
 *
 *   floor  writes N IPv4 routes into a table the fastest honest way a
 *          program can: many RTM_NEWROUTE per sendmsg(), acknowledgements
 *          read while the next batches go out, and times it until the
 *          kernel has answered for every route.  Only the last request of
 *          a batch asks for an ACK (-A: every request): the kernel reports
 *          a failing request whether or not it was asked to (netlink_rcv_skb
 *          acks when NLM_F_ACK is set or on error), and it handles one
 *          socket's requests in order, so the batch's ACK proves all of it
 *          was done.  Then it checks the table holds them and removes them.
 *   count  listens to RTNLGRP_IPV4_ROUTE and prints the wall-clock time
 *          at which N distinct routes of one protocol were present in one
 *          table (and when the first was).  If the event socket overflows
 *          (ENOBUFS), lost events are made up for by dumping the table,
 *          and the output says so.
 *   flush  removes every route of a table (of one protocol with -p).
 *
 * Prefixes follow bgpinject's walk (consecutive prefixes from -s, one /8
 * after the other, stepping over 0/8, 127/8 and 224/3), so that the floor
 * installs the very prefixes the daemons are given.
 */
#include <sys/resource.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "buf.h"

#define FL_BATCH	(128 * 1024)	/* bytes per sendmsg() by default */
#define FL_BATCH_MAX	(1024 * 1024)
#define FL_RCVBUF_CMD	(64 * 1024 * 1024)
#define FL_RCVBUF_EVT	(512 * 1024 * 1024)
#define FL_READBUF	(1024 * 1024)
#define FL_METRIC	20		/* tbgpd's default fib metric */
#define FL_PROTO	4		/* RTPROT_STATIC */
#define FL_TABLE	254		/* RT_TABLE_MAIN */
#define FL_NAP_NS	1000000		/* count: between socket drains */
#define FL_REQ_MAX	80		/* bytes of one route request, at most */

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif

/* One route as the walk and the dump see it. */
struct fl_route {
	uint32_t	 dst;		/* host order */
	uint8_t		 len;
	uint8_t		 tos;
	uint8_t		 proto;
	uint32_t	 prio;
};

struct fl_opts {
	const char	*cmd;
	uint32_t	 n;
	uint32_t	 table;
	uint32_t	 proto;
	int		 proto_set;
	uint32_t	 metric;
	struct tb_prefix start;
	struct in_addr	 gw;
	unsigned int	 ifindex;
	size_t		 batch;
	int		 ack_each;
	int		 shuffle;
	int		 keep;
	long		 timeout;	/* count: seconds, 0 none */
};

/* The walk over prefixes, as bgpinject's: cur in host order. */
struct fl_walk {
	uint32_t	 cur;
	uint32_t	 step;
	uint8_t		 len;
};

/* Answers to one socket's requests. */
struct fl_acks {
	uint8_t		*want;		/* bitmap by seq: asked for an ACK */
	uint32_t	 nwant;		/* ACKs (or errors) still expected */
	uint32_t	 failed;
	int		 first_err;
	uint32_t	 first_seq;
};

/* count: open-addressed set of prefixes, never shrinking. */
struct fl_set {
	uint64_t	*key;		/* 0: empty slot; dst << 8 | len | 1<<40 */
	uint8_t		*present;
	size_t		 mask;
	uint32_t	 npresent;
};

struct fl_count {
	struct fl_set	 set;
	double		 t_first, t_last;
	uint64_t	 events, dups, dels;
	uint32_t	 overflows, dumps;
	int		 dump_done;	/* the Nth route came from a dump */
};

static volatile sig_atomic_t	 fl_quit;
static uint8_t			 fl_rbuf[FL_READBUF];

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("fibload: ", stderr);
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

/* Wall clock, as bgpinject prints "established at", so they subtract. */
static double
now_real(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- the walk */

static void
walk_init(struct fl_walk *w, const struct tb_prefix *p)
{
	uint32_t	 host = p->len == 32 ? 0 : 0xffffffffu >> p->len;

	w->len = p->len;
	w->step = host + 1;
	w->cur = ntohl(p->addr.u.v4.s_addr) & ~host;
}

static void
walk_next(struct fl_walk *w)
{
	w->cur += w->step;
	if (w->cur >> 24 == 127)
		w->cur = 128u << 24;
	else if (w->cur >> 24 >= 224 || w->cur == 0)
		w->cur = 1u << 24;
}

/* ------------------------------------------------------------- netlink */

static int
nl_open(int rcvbuf, uint32_t groups)
{
	struct sockaddr_nl	 sa;
	int			 fd, one = 1;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		die("netlink socket: %s", strerror(errno));
	/* Forced: root is needed for the routes anyway. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		die("SO_RCVBUFFORCE %d: %s", rcvbuf, strerror(errno));
	/* ACKs without a copy of the request; dumps filtered by the kernel. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
	    sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		die("netlink bind: %s", strerror(errno));
	return fd;
}

static void
nl_send(int fd, const struct buf *b)
{
	struct sockaddr_nl	 sa;
	ssize_t			 n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do {
		n = sendto(fd, buf_data(b), buf_len(b), 0,
		    (struct sockaddr *)&sa, sizeof(sa));
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		die("netlink send (%zu bytes): %s", buf_len(b),
		    strerror(errno));
}

static void
nl_attr(struct buf *b, uint16_t type, const void *val, uint16_t len)
{
	struct rtattr	 rta;
	static const uint8_t pad[RTA_ALIGNTO];

	rta.rta_len = (unsigned short)RTA_LENGTH(len);
	rta.rta_type = type;
	buf_put(b, &rta, sizeof(rta));
	buf_put(b, val, len);
	buf_put(b, pad, RTA_ALIGN(len) - len);
}

static void
nl_attr_u32(struct buf *b, uint16_t type, uint32_t v)
{
	nl_attr(b, type, &v, sizeof(v));
}

/* The same request a BGP daemon sends for one route: tbgpd's flags
 * (create or replace), attributes and default metric. */
static void
nl_route(struct buf *b, const struct fl_opts *o, int cmd,
    const struct fl_route *r, uint32_t seq, int ack)
{
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;
	uint32_t	 dst = htonl(r->dst);
	size_t		 start = buf_len(b);

	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_type = (uint16_t)cmd;
	nh.nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0) |
	    (cmd == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	nh.nlmsg_seq = seq;
	buf_put(b, &nh, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_dst_len = r->len;
	rtm.rtm_tos = r->tos;
	rtm.rtm_table = o->table < 256 ? (uint8_t)o->table : RT_TABLE_UNSPEC;
	rtm.rtm_protocol = r->proto;
	rtm.rtm_scope = cmd == RTM_NEWROUTE ? RT_SCOPE_UNIVERSE :
	    RT_SCOPE_NOWHERE;
	rtm.rtm_type = cmd == RTM_NEWROUTE ? RTN_UNICAST : RTN_UNSPEC;
	buf_put(b, &rtm, sizeof(rtm));
	nl_attr_u32(b, RTA_TABLE, o->table);
	nl_attr(b, RTA_DST, &dst, sizeof(dst));
	nl_attr_u32(b, RTA_PRIORITY, r->prio);
	if (cmd == RTM_NEWROUTE) {
		nl_attr(b, RTA_GATEWAY, &o->gw, sizeof(o->gw));
		nl_attr_u32(b, RTA_OIF, o->ifindex);
	}
	nh.nlmsg_len = (uint32_t)(buf_len(b) - start);
	if (!buf_error(b))
		memcpy(b->base + start, &nh.nlmsg_len, sizeof(nh.nlmsg_len));
}

/* A dump of the IPv4 routes of one table (of one protocol, if set). */
static void
nl_dump_req(int fd, const struct fl_opts *o, uint32_t seq)
{
	struct buf	 b;
	struct nlmsghdr	 nh;
	struct rtmsg	 rtm;

	if (buf_init(&b, 64, 64) == -1)
		die("out of memory");
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = NLMSG_LENGTH(sizeof(rtm)) + RTA_LENGTH(4);
	nh.nlmsg_type = RTM_GETROUTE;
	nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nh.nlmsg_seq = seq;
	buf_put(&b, &nh, sizeof(nh));
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_protocol = o->proto_set ? (uint8_t)o->proto : 0;
	buf_put(&b, &rtm, sizeof(rtm));
	nl_attr_u32(&b, RTA_TABLE, o->table);
	nl_send(fd, &b);
	buf_free(&b);
}

/* ------------------------------------------------------------- parsing */

/* Next netlink message of a datagram: header and a view of its body. */
static int
nl_next(struct buf *in, struct nlmsghdr *nh, struct buf *body)
{
	if (buf_get_n(in, nh, sizeof(*nh)) == -1)
		return -1;
	if (nh->nlmsg_len < sizeof(*nh) ||
	    buf_get_view(in, nh->nlmsg_len - sizeof(*nh), body) == -1)
		die("truncated netlink message");
	(void)buf_skip(in, NLMSG_ALIGN(nh->nlmsg_len) - nh->nlmsg_len);
	return 0;
}

/* The IPv4 route of an RTM_NEWROUTE/DELROUTE, with its table and
 * protocol; -1 if it is not one (another family, a cache entry). */
static int
nl_parse_route(struct buf *body, struct fl_route *r, uint32_t *table,
    uint8_t *proto)
{
	struct rtmsg	 rtm;
	struct rtattr	 rta;
	struct buf	 val;
	uint32_t	 dst = 0;

	if (buf_get_n(body, &rtm, sizeof(rtm)) == -1 ||
	    rtm.rtm_family != AF_INET || (rtm.rtm_flags & RTM_F_CLONED))
		return -1;
	memset(r, 0, sizeof(*r));
	r->len = rtm.rtm_dst_len;
	r->tos = rtm.rtm_tos;
	r->proto = rtm.rtm_protocol;
	*table = rtm.rtm_table;
	*proto = rtm.rtm_protocol;
	while (buf_get_n(body, &rta, sizeof(rta)) == 0) {
		if (rta.rta_len < sizeof(rta) ||
		    buf_get_view(body, rta.rta_len - sizeof(rta), &val) == -1)
			return -1;
		(void)buf_skip(body, RTA_ALIGN(rta.rta_len) - rta.rta_len);
		if (rta.rta_type == RTA_TABLE)
			(void)buf_get_n(&val, table, sizeof(*table));
		else if (rta.rta_type == RTA_DST)
			(void)buf_get_n(&val, &dst, sizeof(dst));
		else if (rta.rta_type == RTA_PRIORITY)
			(void)buf_get_n(&val, &r->prio, sizeof(r->prio));
	}
	r->dst = ntohl(dst);
	return 0;
}

static int
nl_error(struct buf *body, uint32_t *seq)
{
	struct nlmsgerr	 e;

	if (buf_get_n(body, &e.error, sizeof(e.error)) == -1 ||
	    buf_get_n(body, &e.msg, sizeof(e.msg)) == -1)
		die("truncated netlink error");
	*seq = e.msg.nlmsg_seq;
	return e.error;
}

/* ------------------------------------------------------------- acks */

static void
acks_init(struct fl_acks *a, uint32_t n)
{
	memset(a, 0, sizeof(*a));
	if ((a->want = calloc((size_t)n / 8 + 2, 1)) == NULL)
		die("out of memory");
}

static void
acks_want(struct fl_acks *a, uint32_t seq)
{
	a->want[seq / 8] |= (uint8_t)(1u << (seq % 8));
	a->nwant++;
}

static void
acks_answer(struct fl_acks *a, uint32_t seq, int err)
{
	if (err != 0 && a->failed++ == 0) {
		a->first_err = -err;
		a->first_seq = seq;
	}
	if (a->want[seq / 8] & (1u << (seq % 8))) {
		a->want[seq / 8] &= (uint8_t)~(1u << (seq % 8));
		a->nwant--;
	}
}

/* Read what answers there are; with wait, until none is expected. */
static void
acks_read(int fd, struct fl_acks *a, int wait)
{
	struct buf	 in, body;
	struct nlmsghdr	 nh;
	uint32_t	 seq;
	ssize_t		 n;
	int		 err;

	while (a->nwant > 0) {
		n = recv(fd, fl_rbuf, sizeof(fl_rbuf), wait ? 0 : MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && !wait && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0)
			die("netlink recv: %s", n ? strerror(errno) : "EOF");
		buf_view(&in, fl_rbuf, (size_t)n);
		while (nl_next(&in, &nh, &body) == 0) {
			if (nh.nlmsg_type != NLMSG_ERROR)
				continue;
			err = nl_error(&body, &seq);
			acks_answer(a, seq, err);
		}
	}
}

/* ------------------------------------------------------------- writing */

/*
 * Send count routes from list (or from the walk when list is NULL) as
 * cmd, batch bytes per sendmsg, reading answers between batches.  The
 * answers' tally is in a; returns when every route has been answered.
 */
static void
write_routes(int fd, const struct fl_opts *o, int cmd,
    const struct fl_route *list, uint32_t count, struct fl_acks *a)
{
	struct buf	 b;
	struct fl_walk	 w;
	struct fl_route	 r = { 0, 0, 0, (uint8_t)o->proto, o->metric };
	uint32_t	 i = 0, seq;
	int		 last;

	walk_init(&w, &o->start);
	acks_init(a, count + 1);
	if (buf_init(&b, o->batch, o->batch) == -1)
		die("out of memory");
	while (i < count) {
		buf_reset(&b);
		do {
			if (list != NULL)
				r = list[i];
			else {
				r.dst = w.cur;
				r.len = w.len;
				walk_next(&w);
			}
			seq = ++i;
			last = i == count ||
			    buf_len(&b) + 2 * FL_REQ_MAX > o->batch;
			if (o->ack_each || last)
				acks_want(a, seq);
			nl_route(&b, o, cmd, &r, seq, o->ack_each || last);
		} while (!last);
		if (buf_error(&b))
			die("batch buffer: %s", strerror(buf_error(&b)));
		nl_send(fd, &b);
		acks_read(fd, a, 0);
	}
	acks_read(fd, a, 1);
	buf_free(&b);
	free(a->want);
}

/* ------------------------------------------------------------- dumping */

typedef void (*dump_cb)(void *, const struct fl_route *, uint32_t, uint8_t);

/* A dump ends with NLMSG_DONE, its int the dump's error (or an
 * NLMSG_ERROR); ENOENT says the table does not exist: it is empty. */
static void
dump_end(const struct nlmsghdr *nh, struct buf *body)
{
	uint32_t	 seq;
	int		 err = 0;

	if (nh->nlmsg_type == NLMSG_ERROR)
		err = nl_error(body, &seq);
	else
		(void)buf_get_n(body, &err, sizeof(err));
	if (err != 0 && err != -ENOENT)
		die("dump failed: %s", strerror(-err));
}

/* Dump the table; cb gets each IPv4 route (the caller filters). */
static void
dump_table(const struct fl_opts *o, dump_cb cb, void *arg)
{
	struct buf	 in, body;
	struct nlmsghdr	 nh;
	struct fl_route	 r;
	uint32_t	 table;
	uint8_t		 proto;
	ssize_t		 n;
	int		 fd = nl_open(FL_RCVBUF_CMD, 0);

	nl_dump_req(fd, o, 1);
	for (;;) {
		n = recv(fd, fl_rbuf, sizeof(fl_rbuf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			die("dump recv: %s", n ? strerror(errno) : "EOF");
		buf_view(&in, fl_rbuf, (size_t)n);
		while (nl_next(&in, &nh, &body) == 0) {
			if (nh.nlmsg_type == NLMSG_DONE ||
			    nh.nlmsg_type == NLMSG_ERROR) {
				dump_end(&nh, &body);
				goto done;
			}
			if (nh.nlmsg_type == RTM_NEWROUTE &&
			    nl_parse_route(&body, &r, &table, &proto) == 0)
				cb(arg, &r, table, proto);
		}
	}
done:
	close(fd);
}

struct fl_list {
	const struct fl_opts *o;
	struct fl_route	*r;
	uint32_t	 n, cap;
};

static void
list_add(void *arg, const struct fl_route *r, uint32_t table, uint8_t proto)
{
	struct fl_list	*l = arg;

	if (table != l->o->table || (l->o->proto_set && proto != l->o->proto))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4096;
		if ((l->r = reallocarray(l->r, l->cap, sizeof(*l->r))) == NULL)
			die("out of memory");
	}
	l->r[l->n++] = *r;
}

static void
table_list(const struct fl_opts *o, struct fl_list *l)
{
	memset(l, 0, sizeof(*l));
	l->o = o;
	dump_table(o, list_add, l);
}

/* ------------------------------------------------------------- floor */

static void
floor_report(const char *what, const struct fl_opts *o,
    const struct fl_acks *a, uint32_t n, double secs)
{
	fprintf(stderr, "fibload: %s %u routes in table %u in %.3f s: "
	    "%.0f routes/s, %s order, %zu-byte batches, %s, %u failed", what,
	    n, o->table, secs, secs > 0 ? n / secs : 0.0,
	    o->shuffle ? "shuffled" : "address", o->batch,
	    o->ack_each ? "ACK on every request" : "ACK on each batch's last",
	    a->failed);
	if (a->failed)
		fprintf(stderr, " (first: route %u: %s)", a->first_seq,
		    strerror(a->first_err));
	fputc('\n', stderr);
}

/* User and system CPU seconds this process has used. */
static void
cpu_used(double *usr, double *sys)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		die("getrusage: %s", strerror(errno));
	*usr = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*
 * With -S, the walk's routes in a shuffled order (the same on every run):
 * a daemon hands routes to the kernel in its own table's order, not in
 * the neat address order of the walk, and the kernel's trie is faster fed
 * in order.  NULL without -S: write_routes walks.
 */
static struct fl_route *
floor_order(const struct fl_opts *o)
{
	struct fl_route	*list, tmp;
	struct fl_walk	 w;
	uint64_t	 x = 0x2545f4914f6cdd1dull;
	uint32_t	 i, j;

	if (!o->shuffle)
		return NULL;
	if ((list = calloc(o->n, sizeof(*list))) == NULL)
		die("out of memory");
	walk_init(&w, &o->start);
	for (i = 0; i < o->n; i++, walk_next(&w)) {
		list[i].dst = w.cur;
		list[i].len = w.len;
		list[i].proto = (uint8_t)o->proto;
		list[i].prio = o->metric;
	}
	for (i = o->n - 1; i > 0; i--) {	/* Fisher-Yates, xorshift64 */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (uint32_t)(x % ((uint64_t)i + 1));
		tmp = list[i];
		list[i] = list[j];
		list[j] = tmp;
	}
	return list;
}

static int
cmd_floor(struct fl_opts *o)
{
	struct fl_acks	 a;
	struct fl_list	 l;
	struct fl_route	*order = floor_order(o);
	double		 t0, secs, u0, s0, u1, s1;
	int		 fd = nl_open(FL_RCVBUF_CMD, 0), ok;

	o->proto_set = 1;
	table_list(o, &l);
	if (l.n != 0)
		die("table %u already holds %u routes of protocol %u; flush it",
		    o->table, l.n, o->proto);
	cpu_used(&u0, &s0);
	t0 = now_mono();
	write_routes(fd, o, RTM_NEWROUTE, order, o->n, &a);
	secs = now_mono() - t0;
	free(order);
	cpu_used(&u1, &s1);
	floor_report("inserted", o, &a, o->n, secs);
	table_list(o, &l);
	fprintf(stderr, "fibload: the table holds %u of them\n", l.n);
	/* The one line fib-load.sh reads. */
	ok = a.failed == 0 && l.n == o->n;
	printf("%s %.6f %u %u %.2f %.2f\n", ok ? "ok" : "failed", secs,
	    a.failed, l.n, u1 - u0, s1 - s0);
	fflush(stdout);
	if (!o->keep && l.n > 0) {
		t0 = now_mono();
		write_routes(fd, o, RTM_DELROUTE, l.r, l.n, &a);
		floor_report("deleted", o, &a, l.n, now_mono() - t0);
	}
	free(l.r);
	close(fd);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------- flush */

static int
cmd_flush(struct fl_opts *o)
{
	struct fl_acks	 a = { 0 };
	struct fl_list	 l;
	int		 fd;

	table_list(o, &l);
	if (l.n > 0) {
		fd = nl_open(FL_RCVBUF_CMD, 0);
		write_routes(fd, o, RTM_DELROUTE, l.r, l.n, &a);
		close(fd);
		if (a.failed)
			fprintf(stderr, "fibload: flush: %u deletes failed "
			    "(first: %s)\n", a.failed, strerror(a.first_err));
	}
	free(l.r);
	printf("%u\n", l.n);
	return a.failed == 0 ? 0 : 1;
}

/* ------------------------------------------------------------- count */

static void
set_init(struct fl_set *s, uint32_t n)
{
	size_t	 size = 1024;

	while (size < 2 * (size_t)n)
		size *= 2;
	s->mask = size - 1;
	s->npresent = 0;
	if ((s->key = calloc(size, sizeof(*s->key))) == NULL ||
	    (s->present = calloc(size, 1)) == NULL)
		die("out of memory");
}

/* The slot of a prefix, claimed if new; NULL when the set is full. */
static uint8_t *
set_slot(struct fl_set *s, const struct fl_route *r)
{
	uint64_t	 k = (uint64_t)r->dst << 8 | r->len | (uint64_t)1 << 40;
	size_t		 i = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 20) & s->mask;
	size_t		 tries;

	for (tries = 0; tries <= s->mask; tries++, i = (i + 1) & s->mask) {
		if (s->key[i] == k)
			return &s->present[i];
		if (s->key[i] == 0) {
			s->key[i] = k;
			return &s->present[i];
		}
	}
	return NULL;
}

/* One route seen present (add) or gone; the time it happened. */
static void
count_route(struct fl_count *c, const struct fl_route *r, int add, double t)
{
	uint8_t	*p = set_slot(&c->set, r);

	if (p == NULL)
		die("more distinct routes than the set holds");
	if (add && *p)
		c->dups++;
	if (add && !*p && c->set.npresent++ == 0)
		c->t_first = t;
	if (!add && *p) {
		c->set.npresent--;
		c->dels++;
	}
	*p = (uint8_t)add;
}

struct fl_countarg {
	struct fl_count	*c;
	const struct fl_opts *o;
	double		 t;
};

static int
count_match(const struct fl_opts *o, uint32_t table, uint8_t proto)
{
	return table == o->table && proto == o->proto;
}

static void
count_dumped(void *arg, const struct fl_route *r, uint32_t table,
    uint8_t proto)
{
	struct fl_countarg *ca = arg;
	uint8_t		*p;

	if (!count_match(ca->o, table, proto))
		return;
	/* Union only: a route that went away meanwhile is not seen gone
	 * (the benchmark only adds).  Not a dup: the dump repeats all. */
	if ((p = set_slot(&ca->c->set, r)) == NULL)
		die("more distinct routes than the set holds");
	if (!*p && ca->c->set.npresent++ == 0)
		ca->c->t_first = ca->t;
	*p = 1;
}

/* Events were lost: count what the table holds now. */
static void
count_resync(struct fl_count *c, const struct fl_opts *o)
{
	struct fl_countarg ca = { c, o, 0 };
	uint32_t	 before = c->set.npresent;

	c->overflows++;
	ca.t = now_real();
	dump_table(o, count_dumped, &ca);
	c->dumps++;
	fprintf(stderr, "fibload: count: event socket overflowed (ENOBUFS); "
	    "dumped the table: %u -> %u routes\n", before, c->set.npresent);
	if (c->set.npresent >= o->n) {
		c->t_last = now_real();		/* when the dump ended */
		c->dump_done = 1;
	}
}

static void
count_datagram(struct fl_count *c, const struct fl_opts *o, size_t len)
{
	struct buf	 in, body;
	struct nlmsghdr	 nh;
	struct fl_route	 r;
	uint32_t	 table;
	uint8_t		 proto;
	double		 t = now_real();

	buf_view(&in, fl_rbuf, len);
	while (nl_next(&in, &nh, &body) == 0) {
		if (nh.nlmsg_type != RTM_NEWROUTE &&
		    nh.nlmsg_type != RTM_DELROUTE)
			continue;
		if (nl_parse_route(&body, &r, &table, &proto) == -1 ||
		    !count_match(o, table, proto))
			continue;
		c->events++;
		count_route(c, &r, nh.nlmsg_type == RTM_NEWROUTE, t);
		if (c->set.npresent >= o->n && c->t_last == 0)
			c->t_last = t;
	}
}

static int
count_expired(const struct fl_opts *o, double t0)
{
	return o->timeout != 0 && now_mono() - t0 >= (double)o->timeout;
}

/*
 * Drain the socket, then nap FL_NAP_NS, never blocking in poll(): a
 * sleeper on the socket would make the kernel wake this process for every
 * route, from the inserting process's sendmsg(), and so charge the writer
 * being measured with the stopwatch's own wake-ups.  The price is up to
 * one nap of lateness on the times printed.
 */
static void
count_loop(struct fl_count *c, const struct fl_opts *o, int fd)
{
	const struct timespec nap = { 0, FL_NAP_NS };
	double		 t0 = now_mono();
	ssize_t		 n;

	while (c->t_last == 0 && !fl_quit && !count_expired(o, t0)) {
		(void)nanosleep(&nap, NULL);
		while ((n = recv(fd, fl_rbuf, sizeof(fl_rbuf),
		    MSG_DONTWAIT)) > 0) {
			count_datagram(c, o, (size_t)n);
			if (c->t_last != 0)
				break;
		}
		if (n == -1 && errno == ENOBUFS)
			count_resync(c, o);
		else if (n == -1 && errno != EAGAIN && errno != EINTR)
			die("recv: %s", strerror(errno));
	}
}

static void
count_report(const struct fl_count *c, const struct fl_opts *o)
{
	const char	*status = c->t_last != 0 ? "ok" :
			    fl_quit ? "interrupted" : "timeout";

	/* status first-epoch nth-epoch present events dups dels overflows
	 * how-the-Nth-was-seen */
	printf("%s %.6f %.6f %u %llu %llu %llu %u %s\n", status, c->t_first,
	    c->t_last, c->set.npresent, (unsigned long long)c->events,
	    (unsigned long long)c->dups, (unsigned long long)c->dels,
	    c->overflows, c->dump_done ? "dump" : "event");
	fprintf(stderr, "fibload: count: %s: %u of %u routes of protocol %u "
	    "in table %u; %llu events (%llu for routes already present, "
	    "%llu deletes), %u overflows\n", status, c->set.npresent, o->n,
	    o->proto, o->table, (unsigned long long)c->events,
	    (unsigned long long)c->dups, (unsigned long long)c->dels,
	    c->overflows);
}

static int
cmd_count(struct fl_opts *o)
{
	struct fl_count	 c;
	int		 fd;

	if (!o->proto_set)
		die("count needs -p PROTOCOL");
	memset(&c, 0, sizeof(c));
	set_init(&c.set, o->n);
	fd = nl_open(FL_RCVBUF_EVT, RTMGRP_IPV4_ROUTE);
	/* Listening from here on: the runner may start the load. */
	printf("ready\n");
	fflush(stdout);
	count_loop(&c, o, fd);
	count_report(&c, o);
	close(fd);
	free(c.set.key);
	free(c.set.present);
	return c.t_last != 0 ? 0 : 1;
}

/* ------------------------------------------------------------- options */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: fibload floor -n routes -g gateway -d dev [-t table] "
	    "[-p proto]\n"
	    "\t\t[-m metric] [-s start-prefix] [-b batch-bytes] [-ASk]\n"
	    "       fibload count -n routes -p proto [-t table] "
	    "[-T seconds]\n"
	    "       fibload flush [-t table] [-p proto]\n");
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

static void
opt_one(struct fl_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'n': o->n = num(arg, 50000000, "-n"); break;
	case 't': o->table = num(arg, 0xffffffffu, "-t"); break;
	case 'p': o->proto = num(arg, 255, "-p"); o->proto_set = 1; break;
	case 'm': o->metric = num(arg, 0xffffffffu, "-m"); break;
	case 'b': o->batch = num(arg, FL_BATCH_MAX, "-b"); break;
	case 'T': o->timeout = num(arg, 1u << 30, "-T"); break;
	case 'A': o->ack_each = 1; break;
	case 'S': o->shuffle = 1; break;
	case 'k': o->keep = 1; break;
	case 'g':
		if (inet_pton(AF_INET, arg, &o->gw) != 1)
			die("bad IPv4 gateway %s", arg);
		break;
	case 'd':
		if ((o->ifindex = if_nametoindex(arg)) == 0)
			die("no interface %s", arg);
		break;
	case 's':
		if (prefix_parse(arg, &o->start) == -1 ||
		    o->start.addr.af != AF_INET || o->start.len < 8)
			die("-s wants an IPv4 prefix of length 8 to 32");
		break;
	default:
		usage();
	}
}

static void
parse_opts(int argc, char **argv, struct fl_opts *o)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	if (argc < 2)
		usage();
	o->cmd = argv[1];
	o->table = FL_TABLE;
	o->proto = FL_PROTO;
	o->metric = FL_METRIC;
	o->batch = FL_BATCH;
	(void)prefix_parse("10.0.0.0/24", &o->start);
	optind = 2;
	while ((ch = getopt(argc, argv, "Ab:d:g:km:n:p:Ss:t:T:")) != -1)
		opt_one(o, ch, optarg);
	if (optind != argc || o->batch < 4 * FL_REQ_MAX)
		usage();
	if (strcmp(o->cmd, "floor") == 0 &&
	    (o->n == 0 || o->gw.s_addr == 0 || o->ifindex == 0))
		usage();
	if (strcmp(o->cmd, "count") == 0 && o->n == 0)
		usage();
}

static void
on_signal(int sig)
{
	(void)sig;
	fl_quit = 1;
}

int
main(int argc, char **argv)
{
	struct fl_opts		 o;
	struct sigaction	 sa;

	parse_opts(argc, argv, &o);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (strcmp(o.cmd, "floor") == 0)
		return cmd_floor(&o);
	if (strcmp(o.cmd, "count") == 0)
		return cmd_count(&o);
	if (strcmp(o.cmd, "flush") == 0)
		return cmd_flush(&o);
	usage();
}
