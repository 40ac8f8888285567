/*
 * check_fib: the FIB engine (bgpd/fib.c) without a socket.  Every
 * request the engine writes is decoded with nl.c and checked: set,
 * replace (never delete-then-add), multipath grow and shrink, removal,
 * batching, acknowledgements with errors (recorded, not retried in a
 * loop), reconciliation with what the kernel reports (stale routes of
 * protocol 186 deleted, lost routes re-added, foreign routes left
 * alone), full resync, shutdown with and without retain.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "fib.h"
#include "nl.h"
#include "nl_route.h"

#define TABLE	254
#define METRIC	20

/* Helpers ------------------------------------------------------------- */

struct req {
	uint16_t	 type;
	uint16_t	 flags;
	uint32_t	 seq;
	struct nl_route	 r;
};

struct reqs {
	struct req	 v[4096];
	size_t		 n;
};

static struct reqs	 R;

static struct fib *
mkfib(int install, int retain)
{
	struct fib_opts	 o = { TABLE, METRIC, install, retain };
	struct fib	*f = fib_new(&o);

	ck_assert_ptr_nonnull(f);
	return f;
}

/* fib_stats() keeps its installed and failed counts as entries change:
 * every test ends by checking them against a walk of the table. */
static void
count_walk(const struct fib_route_info *ri, void *arg)
{
	size_t	*n = arg;

	if (ri->installed)
		n[0]++;
	if (ri->err != 0)
		n[1]++;
}

static void
fib_done(struct fib *f)
{
	struct fib_stats	 st;
	size_t			 n[2] = { 0, 0 };

	fib_walk(f, count_walk, n);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.installed, n[0]);
	ck_assert_uint_eq(st.failed, n[1]);
	fib_free(f);
}

static struct tb_prefix
P(const char *s)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return p;
}

static struct fib_nh
NH(const char *gw, uint32_t ifindex)
{
	struct fib_nh	 nh;

	memset(&nh, 0, sizeof(nh));
	ck_assert_int_eq(addr_parse(gw, &nh.gw), 0);
	nh.ifindex = ifindex;
	return nh;
}

static void
set1(struct fib *f, const char *p, const char *gw, uint32_t ifi)
{
	struct tb_prefix	 pp = P(p);
	struct fib_nh		 nh = NH(gw, ifi);

	ck_assert_int_eq(fib_set(f, &pp, &nh, 1), 0);
}

static void
unset(struct fib *f, const char *p)
{
	struct tb_prefix	 pp = P(p);

	ck_assert_int_eq(fib_set(f, &pp, NULL, 0), 0);
}

/* Decode everything in b into R (replacing its contents). */
static void
decode(const struct buf *b)
{
	struct buf	 d;
	struct nl_msg	 m;
	int		 rc;

	R.n = 0;
	buf_view(&d, buf_data(b), buf_len(b));
	while ((rc = nl_next(&d, &m)) == 1) {
		ck_assert_uint_lt(R.n, sizeof(R.v) / sizeof(R.v[0]));
		R.v[R.n].type = m.type;
		R.v[R.n].seq = m.seq;
		R.v[R.n].flags = m.flags;
		if (m.type != RTM_GETROUTE)
			ck_assert_int_eq(nl_parse_route(&m, &R.v[R.n].r), 0);
		R.n++;
	}
	ck_assert_int_eq(rc, 0);
}

/* Flush everything queued into one buffer and decode it. */
static size_t
flush(struct fib *f)
{
	struct buf	 b;
	size_t		 n;

	ck_assert_int_eq(buf_init(&b, 0, 1 << 20), 0);
	n = fib_flush_out(f, &b);
	ck_assert_uint_eq(n, buf_len(&b));
	decode(&b);
	buf_free(&b);
	return R.n;
}

static void
ack_all(struct fib *f, int err)
{
	size_t	 i;

	for (i = 0; i < R.n; i++)
		fib_ack(f, R.v[i].seq, err);
}

static struct fib_route_info
info(struct fib *f, const char *p)
{
	struct fib_route_info	 ri;
	struct tb_prefix	 pp = P(p);

	ck_assert_int_eq(fib_get(f, &pp, &ri), 0);
	return ri;
}

static int
known(struct fib *f, const char *p)
{
	struct fib_route_info	 ri;
	struct tb_prefix	 pp = P(p);

	return fib_get(f, &pp, &ri) == 0;
}

/* A route as the kernel would report it. */
static struct nl_route
kr(int cmd, const char *p, int proto, uint32_t table, uint32_t metric)
{
	struct nl_route	 r;

	memset(&r, 0, sizeof(r));
	r.cmd = cmd;
	r.dst = P(p);
	r.protocol = (uint8_t)proto;
	r.table = table;
	r.metric = metric;
	r.type = RTN_UNICAST;
	return r;
}

static void
kr_nh(struct nl_route *r, const char *gw, uint32_t ifi)
{
	struct fib_nh	 nh = NH(gw, ifi);

	r->nh[r->nnh].gw = nh.gw;
	r->nh[r->nnh].ifindex = ifi;
	r->nnh++;
}

static void
install1(struct fib *f, const char *p, const char *gw, uint32_t ifi)
{
	set1(f, p, gw, ifi);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, 0);
	ck_assert_int_eq(info(f, p).installed, 1);
}

/* Setting and replacing ----------------------------------------------- */

START_TEST(t_add)
{
	struct fib		*f = mkfib(1, 0);
	struct fib_route_info	 ri;

	set1(f, "172.16.0.0/16", "169.254.10.1", 5);
	ri = info(f, "172.16.0.0/16");
	ck_assert_int_eq(ri.queued, 1);
	ck_assert_int_eq(ri.installed, 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "172.16.0.0/16");
	ck_assert_uint_eq(R.v[0].r.table, TABLE);
	ck_assert_uint_eq(R.v[0].r.metric, METRIC);
	ck_assert_uint_eq(R.v[0].r.protocol, 186);
	ck_assert_uint_eq(R.v[0].r.nnh, 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.10.1");
	ck_assert_uint_eq(R.v[0].r.nh[0].ifindex, 5);
	ri = info(f, "172.16.0.0/16");
	ck_assert_int_eq(ri.pending, 1);
	ck_assert_int_eq(ri.queued, 0);
	ack_all(f, 0);
	ri = info(f, "172.16.0.0/16");
	ck_assert_int_eq(ri.installed, 1);
	ck_assert_int_eq(ri.pending, 0);
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

START_TEST(t_replace_is_one_request)
{
	struct fib	*f = mkfib(1, 0);

	install1(f, "172.16.0.0/16", "169.254.10.1", 5);
	set1(f, "172.16.0.0/16", "169.254.20.1", 6);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.20.1");
	ck_assert_uint_eq(R.v[0].r.nh[0].ifindex, 6);
	ack_all(f, 0);
	ck_assert_int_eq(info(f, "172.16.0.0/16").installed, 1);
	ck_assert_str_eq(addr_str(&info(f, "172.16.0.0/16").knh[0].gw),
	    "169.254.20.1");
	fib_done(f);
}
END_TEST

START_TEST(t_multipath_grow_shrink)
{
	struct fib		*f = mkfib(1, 0);
	struct tb_prefix	 p = P("172.16.0.0/16");
	struct fib_nh		 two[2] = { NH("169.254.20.1", 6),
				    NH("169.254.10.1", 5) };

	install1(f, "172.16.0.0/16", "169.254.10.1", 5);
	ck_assert_int_eq(fib_set(f, &p, two, 2), 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert_int_eq(R.v[0].r.multipath, 1);
	ck_assert_uint_eq(R.v[0].r.nnh, 2);
	/* Canonical order: the set is the same whatever the input order. */
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.10.1");
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[1].gw), "169.254.20.1");
	ack_all(f, 0);
	/* The same set in the other order changes nothing. */
	two[0] = NH("169.254.10.1", 5);
	two[1] = NH("169.254.20.1", 6);
	ck_assert_int_eq(fib_set(f, &p, two, 2), 0);
	ck_assert_uint_eq(flush(f), 0);
	/* Losing a tunnel shrinks in place: one replace, no delete. */
	set1(f, "172.16.0.0/16", "169.254.20.1", 6);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert_int_eq(R.v[0].r.multipath, 0);
	ck_assert_uint_eq(R.v[0].r.nnh, 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.20.1");
	ack_all(f, 0);
	ck_assert_int_eq(info(f, "172.16.0.0/16").installed, 1);
	fib_done(f);
}
END_TEST

START_TEST(t_remove)
{
	struct fib	*f = mkfib(1, 0);

	install1(f, "172.16.0.0/16", "169.254.10.1", 5);
	unset(f, "172.16.0.0/16");
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_uint_eq(R.v[0].r.metric, METRIC);
	ck_assert_uint_eq(R.v[0].r.table, TABLE);
	ck_assert_uint_eq(R.v[0].r.protocol, 186);
	ck_assert_int_eq(known(f, "172.16.0.0/16"), 1);	/* in flight */
	ack_all(f, 0);
	ck_assert_int_eq(known(f, "172.16.0.0/16"), 0);
	/* Removing what is not there writes nothing. */
	unset(f, "10.0.0.0/8");
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

START_TEST(t_changes_coalesce)
{
	struct fib	*f = mkfib(1, 0);

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	set1(f, "10.1.0.0/16", "192.0.2.2", 1);
	set1(f, "10.1.0.0/16", "192.0.2.3", 1);
	set1(f, "10.2.0.0/16", "192.0.2.1", 1);
	unset(f, "10.2.0.0/16");	/* never written: nothing to delete */
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "192.0.2.3");
	ack_all(f, 0);
	ck_assert_int_eq(known(f, "10.2.0.0/16"), 0);
	/* Host bits are cleared: the kernel would refuse them. */
	set1(f, "10.3.1.1/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.3.0.0/16");
	ack_all(f, 0);
	fib_done(f);
}
END_TEST

START_TEST(t_change_while_in_flight)
{
	struct fib	*f = mkfib(1, 0);
	uint32_t	 first;

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	first = R.v[0].seq;
	set1(f, "10.1.0.0/16", "192.0.2.2", 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "192.0.2.2");
	fib_ack(f, first, 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").pending, 1);
	fib_ack(f, R.v[0].seq, 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 1);
	/* Back to a set while the other is in flight: written again. */
	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	set1(f, "10.1.0.0/16", "192.0.2.2", 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "192.0.2.2");
	fib_done(f);
}
END_TEST

START_TEST(t_v6)
{
	struct fib	*f = mkfib(1, 0);

	set1(f, "2001:db8:100::/48", "fe80::1", 3);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "2001:db8:100::/48");
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "fe80::1");
	ck_assert_uint_eq(R.v[0].r.nh[0].ifindex, 3);
	ack_all(f, 0);
	fib_done(f);
}
END_TEST

START_TEST(t_rejects)
{
	struct fib		*f = mkfib(1, 0);
	struct tb_prefix	 p = P("10.0.0.0/8");
	struct fib_nh		 nh[FIB_MAXNH + 1];

	memset(nh, 0, sizeof(nh));
	ck_assert_int_eq(fib_set(f, &p, nh, FIB_MAXNH + 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	p.len = 40;
	ck_assert_int_eq(fib_set(f, &p, nh, 1), -1);
	fib_done(f);
}
END_TEST

/* Batching ------------------------------------------------------------ */

START_TEST(t_batching)
{
	struct fib	*f = mkfib(1, 0);
	struct buf	 b;
	char		 pfx[32];
	size_t		 i, total = 0, batches = 0, n;
	uint32_t	 last = 0;

	for (i = 0; i < 1000; i++) {
		snprintf(pfx, sizeof(pfx), "10.%zu.%zu.0/24", i / 256, i % 256);
		set1(f, pfx, "192.0.2.1", 1);
	}
	ck_assert_int_eq(buf_init(&b, 0, 4096), 0);
	while ((n = fib_flush_out(f, &b)) > 0) {
		ck_assert_uint_eq(n, buf_len(&b));
		ck_assert_uint_le(n, 4096);
		decode(&b);
		ck_assert_uint_gt(R.n, 10);	/* many per buffer */
		for (i = 0; i < R.n; i++) {
			ck_assert_uint_gt(R.v[i].seq, last);
			last = R.v[i].seq;
		}
		total += R.n;
		batches++;
		ack_all(f, 0);
		buf_reset(&b);
	}
	ck_assert_uint_eq(total, 1000);
	ck_assert_uint_gt(batches, 1);
	buf_free(&b);
	fib_done(f);
}
END_TEST

/* Answers ------------------------------------------------------------- */

START_TEST(t_error_recorded_not_looped)
{
	struct fib		*f = mkfib(1, 0);
	struct fib_route_info	 ri;
	struct fib_stats	 st;

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, ENETUNREACH);
	ri = info(f, "10.1.0.0/16");
	ck_assert_int_eq(ri.installed, 0);
	ck_assert_int_eq(ri.err, ENETUNREACH);
	ck_assert_str_eq(ri.errstr, strerror(ENETUNREACH));
	ck_assert_uint_eq(ri.fails, 1);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.failed, 1);
	ck_assert_uint_eq(st.errors, 1);
	/* No retry by itself. */
	ck_assert_uint_eq(flush(f), 0);
	ck_assert_uint_eq(flush(f), 0);
	/* A new next hop is tried, and succeeding clears the error. */
	set1(f, "10.1.0.0/16", "192.0.2.9", 1);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, 0);
	ri = info(f, "10.1.0.0/16");
	ck_assert_int_eq(ri.installed, 1);
	ck_assert_int_eq(ri.err, 0);
	ck_assert_uint_eq(ri.fails, 1);
	fib_done(f);
}
END_TEST

START_TEST(t_failed_replace_keeps_old)
{
	struct fib		*f = mkfib(1, 0);
	struct fib_route_info	 ri;

	install1(f, "10.1.0.0/16", "192.0.2.1", 1);
	set1(f, "10.1.0.0/16", "192.0.2.2", 2);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, EEXIST);
	ri = info(f, "10.1.0.0/16");
	ck_assert_int_eq(ri.err, EEXIST);
	ck_assert_int_eq(ri.installed, 0);
	ck_assert_uint_eq(ri.nknh, 1);
	ck_assert_str_eq(addr_str(&ri.knh[0].gw), "192.0.2.1");
	/* Removing it deletes the old route. */
	unset(f, "10.1.0.0/16");
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	/* Already gone (ESRCH) counts as done. */
	ack_all(f, ESRCH);
	ck_assert_int_eq(known(f, "10.1.0.0/16"), 0);
	fib_done(f);
}
END_TEST

START_TEST(t_one_ack_per_batch)
{
	struct fib	*f = mkfib(1, 0);
	size_t		 i;

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	set1(f, "10.2.0.0/16", "192.0.2.1", 1);
	set1(f, "10.3.0.0/16", "192.0.2.1", 1);
	set1(f, "10.4.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 4);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq((R.v[i].flags & NLM_F_ACK) != 0, i == 3);
	/* A failure in the middle, then the batch's ack: the rest are in. */
	fib_ack(f, R.v[1].seq, ENETUNREACH);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.2.0.0/16").err, ENETUNREACH);
	ck_assert_int_eq(info(f, "10.3.0.0/16").pending, 1);
	fib_ack(f, R.v[3].seq, 0);
	ck_assert_int_eq(info(f, "10.3.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.4.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.2.0.0/16").installed, 0);
	fib_done(f);
}
END_TEST

START_TEST(t_acks_lost)
{
	struct fib	*f = mkfib(1, 0);

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	set1(f, "10.2.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 2);
	/* A stray answer, outside what is in flight, is ignored. */
	fib_ack(f, R.v[1].seq + 100, EINVAL);
	fib_ack(f, R.v[0].seq - 1, EINVAL);
	ck_assert_int_eq(info(f, "10.1.0.0/16").pending, 1);
	ck_assert_int_eq(info(f, "10.1.0.0/16").err, 0);
	/* ENOBUFS on the socket: everything in flight is asked again. */
	fib_acks_lost(f);
	ck_assert_int_eq(info(f, "10.1.0.0/16").pending, 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").queued, 1);
	ck_assert_uint_eq(flush(f), 2);
	ack_all(f, 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.2.0.0/16").installed, 1);
	fib_done(f);
}
END_TEST

static size_t
mk_error(uint8_t *p, int32_t err, uint32_t seq)
{
	struct nlmsghdr	 nh, orig;

	memset(&nh, 0, sizeof(nh));
	memset(&orig, 0, sizeof(orig));
	nh.nlmsg_type = NLMSG_ERROR;
	nh.nlmsg_len = sizeof(nh) + 4 + sizeof(orig);
	orig.nlmsg_seq = seq;
	memcpy(p, &nh, sizeof(nh));
	memcpy(p + sizeof(nh), &err, 4);
	memcpy(p + sizeof(nh) + 4, &orig, sizeof(orig));
	return nh.nlmsg_len;
}

START_TEST(t_input_acks)
{
	struct fib	*f = mkfib(1, 0);
	uint8_t		 dg[256];
	size_t		 len;

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	set1(f, "10.2.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 2);
	len = mk_error(dg, 0, R.v[0].seq);
	len += mk_error(dg + len, -ENETUNREACH, R.v[1].seq);
	ck_assert_int_eq(fib_input(f, dg, len), 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.2.0.0/16").err, ENETUNREACH);
	/* Garbage is reported, not trusted. */
	ck_assert_int_eq(fib_input(f, dg, 10), -1);
	fib_done(f);
}
END_TEST

/* Reconciliation ------------------------------------------------------ */

START_TEST(t_stale_deleted)
{
	struct fib		*f = mkfib(1, 0);
	struct nl_route		 r = kr(RTM_NEWROUTE, "10.66.0.0/16", 186,
				    TABLE, METRIC);

	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	ck_assert_int_eq(info(f, "10.66.0.0/16").stale, 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.66.0.0/16");
	ck_assert_uint_eq(R.v[0].r.metric, METRIC);
	ack_all(f, 0);
	ck_assert_int_eq(known(f, "10.66.0.0/16"), 0);
	/* At another metric: deleted with that metric. */
	r.metric = 99;
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_uint_eq(R.v[0].r.metric, 99);
	ack_all(f, 0);
	fib_done(f);
}
END_TEST

START_TEST(t_stale_adopted)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 r = kr(RTM_NEWROUTE, "10.66.0.0/16", 186, TABLE,
			    METRIC);

	/* Wanted already with the same next hop: adopted, nothing sent. */
	set1(f, "10.66.0.0/16", "192.0.2.1", 1);
	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	ck_assert_int_eq(info(f, "10.66.0.0/16").installed, 1);
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

/* Static routes: their protocol and type on the wire, a change between
 * BGP and static is one replace, a delete names the route's protocol. */
START_TEST(t_static_routes)
{
	struct fib		*f = mkfib(1, 0);
	struct tb_prefix	 p = P("172.16.0.0/16"), q = P("10.1.0.0/16");
	struct fib_route	 r, got;

	install1(f, "172.16.0.0/16", "169.254.116.209", 3);
	ck_assert_uint_eq(R.v[0].r.protocol, 186);
	memset(&r, 0, sizeof(r));
	r.proto = FIB_PROTO_STATIC;
	r.type = FIB_RT_UNICAST;
	r.nnh = 1;
	r.nh[0] = NH("169.254.214.97", 4);
	ck_assert_int_eq(fib_set_route(f, &p, &r), 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert(R.v[0].flags & NLM_F_REPLACE);
	ck_assert_uint_eq(R.v[0].r.protocol, 196);
	ack_all(f, 0);
	ck_assert_int_eq(fib_wanted(f, &p, &got), 0);
	ck_assert_uint_eq(got.proto, FIB_PROTO_STATIC);
	ck_assert_int_eq(info(f, "172.16.0.0/16").installed, 1);
	ck_assert_uint_eq(info(f, "172.16.0.0/16").kproto, 196);
	/* Removed: the delete names protocol 196, as installed. */
	ck_assert_int_eq(fib_set_route(f, &p, NULL), 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_uint_eq(R.v[0].r.protocol, 196);
	ack_all(f, 0);
	/* A blackhole: its type, no next hop. */
	memset(&r, 0, sizeof(r));
	r.proto = FIB_PROTO_STATIC;
	r.type = FIB_RT_BLACKHOLE;
	ck_assert_int_eq(fib_set_route(f, &q, &r), 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].r.type, RTN_BLACKHOLE);
	ck_assert_uint_eq(R.v[0].r.nnh, 0);
	ack_all(f, 0);
	/* The kernel reports it with the loopback (IPv6 does): the same
	 * route, nothing to repair. */
	{
		struct nl_route	 k = kr(RTM_NEWROUTE, "10.1.0.0/16", 196,
				    TABLE, METRIC);

		k.type = RTN_BLACKHOLE;
		kr_nh(&k, "0.0.0.0", 1);
		k.nh[0].gw.af = 0;
		fib_kernel_route(f, &k);
		ck_assert_uint_eq(flush(f), 0);
	}
	/* An unknown type is refused. */
	r.type = 42;
	ck_assert_int_eq(fib_set_route(f, &q, &r), -1);
	fib_free(f);
}
END_TEST

/* Static routes an earlier tbgpd left stay until the static routes have
 * their first verdicts; BGP's go at once, as before. */
START_TEST(t_static_stale_kept)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 s = kr(RTM_NEWROUTE, "172.16.0.0/16", 196, TABLE,
			    METRIC);
	struct nl_route	 b = kr(RTM_NEWROUTE, "10.66.0.0/16", 186, TABLE,
			    METRIC);
	struct nl_route	 a = kr(RTM_NEWROUTE, "172.17.0.0/16", 196, TABLE,
			    METRIC);

	kr_nh(&s, "169.254.116.209", 3);
	kr_nh(&b, "192.0.2.1", 1);
	kr_nh(&a, "169.254.116.209", 3);
	fib_kernel_route(f, &s);
	fib_kernel_route(f, &b);
	fib_kernel_route(f, &a);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.66.0.0/16");
	ack_all(f, 0);
	/* 172.17 wanted as it is (its probe answered): adopted. */
	set1(f, "172.17.0.0/16", "169.254.116.209", 3);
	{
		struct tb_prefix	 p = P("172.17.0.0/16");
		struct fib_route	 r;

		ck_assert_int_eq(fib_wanted(f, &p, &r), 0);
		r.proto = FIB_PROTO_STATIC;
		ck_assert_int_eq(fib_set_route(f, &p, &r), 0);
	}
	ck_assert_uint_eq(flush(f), 0);
	ck_assert_int_eq(info(f, "172.16.0.0/16").stale, 1);
	fib_static_settled(f);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "172.16.0.0/16");
	ck_assert_uint_eq(R.v[0].r.protocol, 196);
	ack_all(f, 0);
	/* Later stale static routes go at once. */
	fib_kernel_route(f, &s);
	ck_assert_uint_eq(flush(f), 1);
	fib_free(f);
}
END_TEST

START_TEST(t_foreign_left_alone)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 r;

	r = kr(RTM_NEWROUTE, "10.66.0.0/16", RTPROT_STATIC, TABLE, METRIC);
	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	r = kr(RTM_NEWROUTE, "10.67.0.0/16", 186, 100, METRIC);
	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	r = kr(RTM_NEWROUTE, "10.68.0.0/16", RTPROT_KERNEL, TABLE, 0);
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 0);
	ck_assert_int_eq(known(f, "10.66.0.0/16"), 0);
	/* Even when we want the prefix: a foreign route is not ours. */
	install1(f, "10.66.0.0/16", "192.0.2.5", 1);
	r = kr(RTM_DELROUTE, "10.66.0.0/16", RTPROT_STATIC, TABLE, METRIC);
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

START_TEST(t_lost_readded)
{
	struct fib		*f = mkfib(1, 0);
	struct nl_route		 r = kr(RTM_DELROUTE, "172.16.0.0/16", 186,
				    TABLE, METRIC);
	struct fib_stats	 st;

	install1(f, "172.16.0.0/16", "169.254.10.1", 5);
	kr_nh(&r, "169.254.10.1", 5);
	fib_kernel_route(f, &r);	/* interface went down */
	ck_assert_int_eq(info(f, "172.16.0.0/16").installed, 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.10.1");
	ack_all(f, 0);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.repairs, 1);
	/* Changed by hand to another next hop: put back. */
	r = kr(RTM_NEWROUTE, "172.16.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r, "169.254.99.1", 9);
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(addr_str(&R.v[0].r.nh[0].gw), "169.254.10.1");
	ack_all(f, 0);
	/* Our own echo changes nothing. */
	r = kr(RTM_NEWROUTE, "172.16.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r, "169.254.10.1", 5);
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

START_TEST(t_events_in_flight_ignored)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 r = kr(RTM_DELROUTE, "172.16.0.0/16", 186, TABLE,
			    METRIC);

	install1(f, "172.16.0.0/16", "169.254.10.1", 5);
	set1(f, "172.16.0.0/16", "169.254.20.1", 6);
	ck_assert_uint_eq(flush(f), 1);
	fib_kernel_route(f, &r);
	r.cmd = RTM_NEWROUTE;
	kr_nh(&r, "169.254.10.1", 5);
	fib_kernel_route(f, &r);
	ck_assert_int_eq(info(f, "172.16.0.0/16").queued, 0);
	ack_all(f, 0);
	ck_assert_int_eq(info(f, "172.16.0.0/16").installed, 1);
	fib_done(f);
}
END_TEST

START_TEST(t_retain_keeps_stale_until_sweep)
{
	struct fib	*f = mkfib(1, 1);
	struct nl_route	 r = kr(RTM_NEWROUTE, "10.66.0.0/16", 186, TABLE,
			    METRIC);
	struct buf	 b;

	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	r.dst = P("10.67.0.0/16");
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 0);
	/* One comes back from BGP (same next hop: adopted as is). */
	set1(f, "10.67.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 0);
	fib_stale_sweep(f);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.66.0.0/16");
	ack_all(f, 0);
	/* Shutdown with retain writes nothing. */
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_uint_eq(fib_shutdown_requests(f, &b), 0);
	buf_free(&b);
	ck_assert_int_eq(info(f, "10.67.0.0/16").installed, 1);
	fib_done(f);
}
END_TEST

/* A dump as the kernel would send it: hand-built netlink, then DONE. */
static void
feed_dump(struct fib *f, const struct nl_route *r, size_t n, uint32_t seq)
{
	struct buf		 b;
	struct nlmsghdr		 done;
	size_t			 i;

	ck_assert_int_eq(buf_init(&b, 0, 1 << 16), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r[i], seq), 0);
	memset(&done, 0, sizeof(done));
	done.nlmsg_len = NLMSG_LENGTH(sizeof(int));
	done.nlmsg_type = NLMSG_DONE;
	done.nlmsg_seq = seq;
	buf_put(&b, &done, sizeof(done));
	buf_put_u32(&b, 0);
	ck_assert_int_eq(fib_input(f, buf_data(&b), buf_len(&b)), 0);
	buf_free(&b);
}

/* Restart: what an earlier instance left is adopted, not deleted and
 * re-added; only what nobody wants by the sweep goes. */
START_TEST(t_adopt_until_sweep)
{
	struct fib		*f = mkfib(1, 0);
	struct nl_route		 r[4];
	struct fib_stats	 st;
	struct buf		 b;

	r[0] = kr(RTM_NEWROUTE, "10.66.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r[0], "192.0.2.1", 1);
	r[1] = kr(RTM_NEWROUTE, "10.67.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r[1], "192.0.2.1", 1);
	r[2] = kr(RTM_NEWROUTE, "10.68.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r[2], "192.0.2.9", 1);
	r[3] = kr(RTM_NEWROUTE, "10.69.0.0/16", 4, TABLE, METRIC);
	kr_nh(&r[3], "192.0.2.1", 1);		/* static: not ours */
	fib_adopt(f);
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_int_eq(fib_resync_begin(f, &b), 0);
	buf_free(&b);
	feed_dump(f, r, 4, 1);
	ck_assert_int_eq(fib_resyncing(f), 0);
	ck_assert_uint_eq(fib_stale_count(f), 3);
	ck_assert_uint_eq(flush(f), 0);		/* nothing deleted */
	/* Learnt again with the same next hop: adopted, no request. */
	set1(f, "10.67.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 0);
	ck_assert_int_eq(info(f, "10.67.0.0/16").installed, 1);
	ck_assert_int_eq(info(f, "10.67.0.0/16").stale, 0);
	/* With another next hop: one replace. */
	set1(f, "10.68.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_NEWROUTE);
	ck_assert(R.v[0].flags & NLM_F_REPLACE);
	ack_all(f, 0);
	ck_assert_uint_eq(fib_stale_count(f), 1);
	/* The tables are in: the one nobody wants goes. */
	ck_assert_uint_eq(fib_stale_sweep(f), 1);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.66.0.0/16");
	ack_all(f, 0);
	fib_stats(f, &st);
	ck_assert_uint_eq(st.requests, 2);
	/* Graceful restart: nothing removed at exit. */
	fib_keep_on_exit(f);
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_uint_eq(fib_shutdown_requests(f, &b), 0);
	buf_free(&b);
	fib_free(f);
}
END_TEST

/* Resync -------------------------------------------------------------- */

START_TEST(t_resync)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 r;
	struct buf	 b;

	install1(f, "10.1.0.0/16", "192.0.2.1", 1);
	install1(f, "10.2.0.0/16", "192.0.2.1", 1);
	install1(f, "10.3.0.0/16", "192.0.2.1", 1);
	set1(f, "10.4.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, ENETUNREACH);		/* failed */
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_int_eq(fib_resync_begin(f, &b), 0);
	ck_assert_int_eq(fib_resyncing(f), 1);
	decode(&b);
	ck_assert_uint_eq(R.n, 1);
	ck_assert_uint_eq(R.v[0].type, RTM_GETROUTE);
	buf_free(&b);
	r = kr(RTM_NEWROUTE, "10.1.0.0/16", 186, TABLE, METRIC);
	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	r.dst = P("10.9.0.0/16");	/* stale */
	fib_kernel_route(f, &r);
	fib_resync_end(f);
	ck_assert_int_eq(fib_resyncing(f), 0);
	/* 10.2 and 10.3 lost, 10.4 retried once, 10.9 deleted. */
	ck_assert_uint_eq(flush(f), 4);
	ck_assert_uint_eq(R.v[0].type + R.v[1].type + R.v[2].type +
	    R.v[3].type, 3 * RTM_NEWROUTE + RTM_DELROUTE);
	ack_all(f, 0);
	ck_assert_int_eq(info(f, "10.4.0.0/16").installed, 1);
	ck_assert_int_eq(known(f, "10.9.0.0/16"), 0);
	ck_assert_uint_eq(flush(f), 0);
	fib_done(f);
}
END_TEST

/* The same through fib_input: a dump datagram ending in NLMSG_DONE. */
START_TEST(t_resync_input)
{
	struct fib	*f = mkfib(1, 0);
	struct nl_route	 r = kr(RTM_NEWROUTE, "10.1.0.0/16", 186, TABLE,
			    METRIC);
	struct nlmsghdr	 done;
	struct buf	 b;
	uint32_t	 seq;

	install1(f, "10.1.0.0/16", "192.0.2.1", 1);
	install1(f, "10.2.0.0/16", "192.0.2.1", 1);
	ck_assert_int_eq(buf_init(&b, 0, 65536), 0);
	ck_assert_int_eq(fib_resync_begin(f, &b), 0);
	decode(&b);
	seq = R.v[0].seq;
	buf_reset(&b);
	kr_nh(&r, "192.0.2.1", 1);
	ck_assert_int_eq(nl_route_put(&b, RTM_NEWROUTE, &r, seq), 0);
	memset(&done, 0, sizeof(done));
	done.nlmsg_len = sizeof(done);
	done.nlmsg_type = NLMSG_DONE;
	done.nlmsg_seq = seq;
	buf_put(&b, &done, sizeof(done));
	ck_assert_int_eq(fib_input(f, buf_data(&b), buf_len(&b)), 0);
	ck_assert_int_eq(fib_resyncing(f), 0);
	ck_assert_uint_eq(flush(f), 1);
	ck_assert_str_eq(prefix_str(&R.v[0].r.dst), "10.2.0.0/16");
	ack_all(f, 0);
	buf_free(&b);
	fib_done(f);
}
END_TEST

/* Shutdown, install off, walk ----------------------------------------- */

START_TEST(t_shutdown)
{
	struct fib	*f = mkfib(1, 0);
	struct buf	 b;
	size_t		 total = 0;

	install1(f, "10.1.0.0/16", "192.0.2.1", 1);
	install1(f, "10.2.0.0/16", "192.0.2.1", 1);
	install1(f, "2001:db8::/32", "fe80::1", 1);
	set1(f, "10.3.0.0/16", "192.0.2.1", 1);	/* never written */
	ck_assert_int_eq(buf_init(&b, 0, 100), 0);	/* one per batch */
	while (fib_shutdown_requests(f, &b) > 0) {
		decode(&b);
		ck_assert_uint_eq(R.n, 1);
		ck_assert_uint_eq(R.v[0].type, RTM_DELROUTE);
		total++;
		ack_all(f, 0);
		buf_reset(&b);
	}
	ck_assert_uint_eq(total, 3);
	ck_assert_int_eq(known(f, "10.1.0.0/16"), 0);
	ck_assert_int_eq(known(f, "10.3.0.0/16"), 0);
	buf_free(&b);
	fib_done(f);
}
END_TEST

START_TEST(t_install_off)
{
	struct fib	*f = mkfib(0, 0);
	struct nl_route	 r = kr(RTM_NEWROUTE, "10.66.0.0/16", 186, TABLE,
			    METRIC);

	set1(f, "10.1.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 0);
	kr_nh(&r, "192.0.2.1", 1);
	fib_kernel_route(f, &r);
	ck_assert_uint_eq(flush(f), 0);
	ck_assert_int_eq(info(f, "10.1.0.0/16").installed, 0);
	fib_done(f);
}
END_TEST

static void
walk_count(const struct fib_route_info *ri, void *arg)
{
	size_t	*c = arg;

	c[0]++;
	c[1] += ri->installed;
	c[2] += ri->err != 0;
}

START_TEST(t_walk)
{
	struct fib	*f = mkfib(1, 0);
	size_t		 c[3] = { 0, 0, 0 };

	install1(f, "10.1.0.0/16", "192.0.2.1", 1);
	install1(f, "10.2.0.0/16", "192.0.2.1", 1);
	set1(f, "10.3.0.0/16", "192.0.2.1", 1);
	ck_assert_uint_eq(flush(f), 1);
	ack_all(f, ENETUNREACH);
	fib_walk(f, walk_count, c);
	ck_assert_uint_eq(c[0], 3);
	ck_assert_uint_eq(c[1], 2);
	ck_assert_uint_eq(c[2], 1);
	fib_done(f);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("fib");
	TCase	*st = tcase_create("set");
	TCase	*an = tcase_create("answers");
	TCase	*rc = tcase_create("reconcile");
	TCase	*ot = tcase_create("other");
	SRunner	*sr;
	int	 nf;

	tcase_add_test(st, t_add);
	tcase_add_test(st, t_replace_is_one_request);
	tcase_add_test(st, t_multipath_grow_shrink);
	tcase_add_test(st, t_remove);
	tcase_add_test(st, t_changes_coalesce);
	tcase_add_test(st, t_change_while_in_flight);
	tcase_add_test(st, t_v6);
	tcase_add_test(st, t_rejects);
	tcase_add_test(st, t_batching);
	tcase_add_test(an, t_error_recorded_not_looped);
	tcase_add_test(an, t_failed_replace_keeps_old);
	tcase_add_test(an, t_one_ack_per_batch);
	tcase_add_test(an, t_acks_lost);
	tcase_add_test(an, t_input_acks);
	tcase_add_test(rc, t_stale_deleted);
	tcase_add_test(rc, t_stale_adopted);
	tcase_add_test(rc, t_foreign_left_alone);
	tcase_add_test(rc, t_static_routes);
	tcase_add_test(rc, t_static_stale_kept);
	tcase_add_test(rc, t_lost_readded);
	tcase_add_test(rc, t_events_in_flight_ignored);
	tcase_add_test(rc, t_retain_keeps_stale_until_sweep);
	tcase_add_test(rc, t_adopt_until_sweep);
	tcase_add_test(rc, t_resync);
	tcase_add_test(rc, t_resync_input);
	tcase_add_test(ot, t_shutdown);
	tcase_add_test(ot, t_install_off);
	tcase_add_test(ot, t_walk);
	suite_add_tcase(s, st);
	suite_add_tcase(s, an);
	suite_add_tcase(s, rc);
	suite_add_tcase(s, ot);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
