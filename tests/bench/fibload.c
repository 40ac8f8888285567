/*
 * fibload: the kernel's side of the FIB load benchmark (fib-load.sh).
 *
 * A yardstick apart from tbgpd's FIB engine: it shares only tbgpd's
 * netlink layer (bgpd/nl.c: sockets, building and walking messages;
 * bgpd/nl_route.c: the route request), which costs nothing beside the
 * kernel's work, and has its own batching and acknowledgement policy, so
 * that the floor is what the kernel allows, not what tbgpd does.  Three
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
#include "nl.h"
#include "nl_route.h"

#define FL_BATCH	(128 * 1024)	/* bytes per sendmsg() by default */
#define FL_BATCH_MAX	(1024 * 1024)
#define FL_RCVBUF_CMD	(64 * 1024 * 1024)
#define FL_RCVBUF_EVT	(512 * 1024 * 1024)
#define FL_METRIC	20		/* tbgpd's default fib metric */
#define FL_PROTO	4		/* RTPROT_STATIC */
#define FL_TABLE	254		/* RT_TABLE_MAIN */
#define FL_NAP_NS	1000000		/* count: between socket drains */
#define FL_REQ_MAX	80		/* bytes of one route request, at most */

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

/* A non-blocking socket (reads wait in fl_recv() when asked to), with
 * the receive buffer forced: root is needed for the routes anyway.
 * Acknowledgements come without a copy of the request; dumps are
 * filtered by the kernel. */
static void
fl_open(struct nl_sock *s, int rcvbuf, uint32_t groups)
{
	if (nl_open(s, NETLINK_ROUTE, groups, rcvbuf, NL_F_NONBLOCK |
	    NL_F_CAP_ACK | NL_F_STRICT | NL_F_FORCE_RCVBUF) == -1)
		die("netlink socket (receive buffer %d): %s", rcvbuf,
		    strerror(errno));
}

static void
fl_send(struct nl_sock *s, const struct buf *b)
{
	if (nl_send(s, b) == -1)
		die("netlink send (%zu bytes): %s", buf_len(b),
		    strerror(errno));
}

/* One datagram: 1 (*d its view), 0 none waiting (never with wait),
 * NL_LOST when events were lost. */
static int
fl_recv(struct nl_sock *s, struct buf *d, int wait)
{
	struct pollfd	 pfd = { s->fd, POLLIN, 0 };
	int		 rc;

	for (;;) {
		if (wait && poll(&pfd, 1, -1) == -1 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if ((rc = nl_recv(s, d)) == -1)
			die("netlink recv: %s", strerror(errno));
		if (rc != 0 || !wait)
			return rc;
	}
}

/* The same request a BGP daemon sends for one route: tbgpd's flags
 * (create or replace), attributes and default metric. */
static void
fl_route_put(struct buf *b, const struct fl_opts *o, int cmd,
    const struct fl_route *r, uint32_t seq, int ack)
{
	struct nl_route	 nr;
	size_t		 off = buf_len(b);

	memset(&nr, 0, sizeof(nr));
	nr.dst.addr.af = AF_INET;
	nr.dst.addr.u.v4.s_addr = htonl(r->dst);
	nr.dst.len = r->len;
	nr.table = o->table;
	nr.metric = r->prio;
	nr.protocol = r->proto;
	if (cmd == RTM_NEWROUTE) {
		nr.nnh = 1;
		nr.nh[0].gw.af = AF_INET;
		nr.nh[0].gw.u.v4 = o->gw;
		nr.nh[0].ifindex = o->ifindex;
	}
	if (nl_route_put(b, cmd, &nr, seq) == -1)
		die("cannot encode route %u", seq);
	if (!ack)
		(void)nl_msg_flags_at(b, off, 0, NLM_F_ACK);
}

/* A dump of the IPv4 routes of one table (of one protocol, if set). */
static void
fl_dump_req(struct nl_sock *s, const struct fl_opts *o, uint32_t seq)
{
	struct buf	 b;
	struct rtmsg	 rtm;
	size_t		 off;

	if (buf_init(&b, 64, 64) == -1)
		die("out of memory");
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = AF_INET;
	rtm.rtm_protocol = o->proto_set ? (uint8_t)o->proto : 0;
	off = nl_msg_begin(&b, RTM_GETROUTE, NLM_F_DUMP, seq);
	nl_put_fixed(&b, &rtm, sizeof(rtm));
	nl_attr_put_u32(&b, RTA_TABLE, o->table);
	if (nl_msg_end(&b, off) == -1)
		die("dump request");
	fl_send(s, &b);
	buf_free(&b);
}

/* ------------------------------------------------------------- parsing */

/* Next netlink message of a datagram; 0 at its end. */
static int
fl_next(struct buf *in, struct nl_msg *m)
{
	int	 rc;

	if ((rc = nl_next(in, m)) == -1)
		die("truncated netlink message");
	return rc;
}

/* The IPv4 route of an RTM_NEWROUTE/DELROUTE, with its table and
 * protocol; -1 if it is not one (another family, malformed). */
static int
fl_parse_route(const struct nl_msg *m, struct fl_route *r, uint32_t *table,
    uint8_t *proto)
{
	struct nl_route	 nr;

	if (nl_parse_route(m, &nr) == -1 || nr.dst.addr.af != AF_INET)
		return -1;
	memset(r, 0, sizeof(*r));
	r->dst = ntohl(nr.dst.addr.u.v4.s_addr);
	r->len = nr.dst.len;
	r->proto = nr.protocol;
	r->prio = nr.metric;
	*table = nr.table;
	*proto = nr.protocol;
	return 0;
}

/* NLMSG_ERROR: -errno (0: an acknowledgement) of request *seq. */
static int
fl_error(const struct nl_msg *m, uint32_t *seq)
{
	int	 err;

	if (nl_parse_error(m, &err, seq) == -1)
		die("truncated netlink error");
	return -err;
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
acks_read(struct nl_sock *s, struct fl_acks *a, int wait)
{
	struct buf	 in;
	struct nl_msg	 m;
	uint32_t	 seq;
	int		 err, rc;

	while (a->nwant > 0) {
		if ((rc = fl_recv(s, &in, wait)) == 0)
			return;
		if (rc == NL_LOST)
			die("netlink recv: answers lost (ENOBUFS)");
		while (fl_next(&in, &m) == 1) {
			if (m.type != NLMSG_ERROR)
				continue;
			err = fl_error(&m, &seq);
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
write_routes(struct nl_sock *s, const struct fl_opts *o, int cmd,
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
			fl_route_put(&b, o, cmd, &r, seq, o->ack_each || last);
		} while (!last);
		if (buf_error(&b))
			die("batch buffer: %s", strerror(buf_error(&b)));
		fl_send(s, &b);
		acks_read(s, a, 0);
	}
	acks_read(s, a, 1);
	buf_free(&b);
	free(a->want);
}

/* ------------------------------------------------------------- dumping */

typedef void (*dump_cb)(void *, const struct fl_route *, uint32_t, uint8_t);

/* A dump ends with NLMSG_DONE, its int the dump's error (or an
 * NLMSG_ERROR); ENOENT says the table does not exist: it is empty. */
static void
dump_end(const struct nl_msg *m)
{
	struct buf	 body = m->body;
	uint32_t	 seq;
	int		 err = 0;

	if (m->type == NLMSG_ERROR)
		err = fl_error(m, &seq);
	else
		(void)buf_get_n(&body, &err, sizeof(err));
	if (err != 0 && err != -ENOENT)
		die("dump failed: %s", strerror(-err));
}

/* Dump the table; cb gets each IPv4 route (the caller filters). */
static void
dump_table(const struct fl_opts *o, dump_cb cb, void *arg)
{
	struct nl_sock	 s;
	struct buf	 in;
	struct nl_msg	 m;
	struct fl_route	 r;
	uint32_t	 table;
	uint8_t		 proto;

	fl_open(&s, FL_RCVBUF_CMD, 0);
	fl_dump_req(&s, o, nl_seq(&s));
	for (;;) {
		if (fl_recv(&s, &in, 1) == NL_LOST)
			die("dump recv: messages lost (ENOBUFS)");
		while (fl_next(&in, &m) == 1) {
			if (m.type == NLMSG_DONE || m.type == NLMSG_ERROR) {
				dump_end(&m);
				goto done;
			}
			if (m.type == RTM_NEWROUTE &&
			    fl_parse_route(&m, &r, &table, &proto) == 0)
				cb(arg, &r, table, proto);
		}
	}
done:
	nl_close(&s);
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
	struct nl_sock	 s;
	double		 t0, secs, u0, s0, u1, s1;
	int		 ok;

	fl_open(&s, FL_RCVBUF_CMD, 0);
	o->proto_set = 1;
	table_list(o, &l);
	if (l.n != 0)
		die("table %u already holds %u routes of protocol %u; flush it",
		    o->table, l.n, o->proto);
	cpu_used(&u0, &s0);
	t0 = now_mono();
	write_routes(&s, o, RTM_NEWROUTE, order, o->n, &a);
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
		write_routes(&s, o, RTM_DELROUTE, l.r, l.n, &a);
		floor_report("deleted", o, &a, l.n, now_mono() - t0);
	}
	free(l.r);
	nl_close(&s);
	return ok ? 0 : 1;
}

/* ------------------------------------------------------------- flush */

static int
cmd_flush(struct fl_opts *o)
{
	struct fl_acks	 a = { 0 };
	struct fl_list	 l;
	struct nl_sock	 s;

	table_list(o, &l);
	if (l.n > 0) {
		fl_open(&s, FL_RCVBUF_CMD, 0);
		write_routes(&s, o, RTM_DELROUTE, l.r, l.n, &a);
		nl_close(&s);
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
count_datagram(struct fl_count *c, const struct fl_opts *o, struct buf *in)
{
	struct nl_msg	 m;
	struct fl_route	 r;
	uint32_t	 table;
	uint8_t		 proto;
	double		 t = now_real();

	while (fl_next(in, &m) == 1) {
		if (m.type != RTM_NEWROUTE && m.type != RTM_DELROUTE)
			continue;
		if (fl_parse_route(&m, &r, &table, &proto) == -1 ||
		    !count_match(o, table, proto))
			continue;
		c->events++;
		count_route(c, &r, m.type == RTM_NEWROUTE, t);
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
count_loop(struct fl_count *c, const struct fl_opts *o, struct nl_sock *s)
{
	const struct timespec nap = { 0, FL_NAP_NS };
	double		 t0 = now_mono();
	struct buf	 in;
	int		 rc;

	while (c->t_last == 0 && !fl_quit && !count_expired(o, t0)) {
		(void)nanosleep(&nap, NULL);
		while ((rc = fl_recv(s, &in, 0)) == 1) {
			count_datagram(c, o, &in);
			if (c->t_last != 0)
				break;
		}
		if (rc == NL_LOST)
			count_resync(c, o);
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
	struct nl_sock	 s;

	if (!o->proto_set)
		die("count needs -p PROTOCOL");
	memset(&c, 0, sizeof(c));
	set_init(&c.set, o->n);
	fl_open(&s, FL_RCVBUF_EVT, RTMGRP_IPV4_ROUTE);
	/* Listening from here on: the runner may start the load. */
	printf("ready\n");
	fflush(stdout);
	count_loop(&c, o, &s);
	count_report(&c, o);
	nl_close(&s);
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
