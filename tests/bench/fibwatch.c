/*
 * fibwatch: the clock of the failover benchmark (failover.sh).
 *
 * Run in the namespace of the host under test, it sets an interface of
 * another namespace (the gateway's end of a veth pair) down or up over
 * rtnetlink, taking the time right before the request, then asks its own
 * namespace's kernel for the route to a destination (RTM_GETROUTE, what
 * "ip route get" asks) in a tight loop until the answer's gateway is the
 * one expected, and prints how long that took.
 *
 * It owns its netlink code, nothing from bgpd/, so the benchmark does not
 * time tbgpd with tbgpd's own code.  A netlink socket stays in the
 * namespace it was created in: the one that sets the link is opened after
 * setns() into the gateway's namespace, then we move back.
 *
 * Besides the time it keeps what happened in between, printed to stderr
 * at the end (nothing is printed while measuring): every distinct answer
 * of the lookup (a moment with no route at all would show here and is
 * counted in "noroute"), and the link and route events of its own
 * namespace as they were read (the carrier loss reaching the host, the
 * kernel marking a next hop linkdown, the daemon replacing the route).
 * Events and answers are timed when read, so their resolution is one
 * turn of the loop: the sleep between queries plus one query, reported
 * as period_us.
 */
#include "config.h"		/* _GNU_SOURCE, for setns() */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <asm/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"

/* linux/if.h's value; glibc's net/if.h, which we need, lacks it. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

#define FW_BUFSZ	16384
#define FW_MAXEV	512		/* timeline entries kept */
#define FW_EVLEN	160

struct fw_opts {
	const char	*nspath;	/* the gateway's namespace */
	const char	*ifname;	/* its end of the tunnel */
	int		 up;
	struct tb_addr	 dst;
	struct tb_addr	 want;		/* the next hop waited for */
	long		 timeout_ms;
	long		 interval_us;	/* sleep between two lookups */
};

/* One answer of the kernel's route lookup. */
struct fw_answer {
	int		 err;		/* errno of the lookup, 0: a route */
	struct tb_addr	 gw;		/* unset: none (connected route) */
	int		 oif;
	unsigned int	 flags;		/* rtm_flags: RTNH_F_LINKDOWN... */
};

struct fw_event {
	long long	 us;		/* since t0 */
	char		 what[FW_EVLEN];
};

struct fw {
	const struct fw_opts *o;
	int		 gwfd;		/* rtnetlink in the gateway's ns */
	int		 qfd;		/* lookups, in ours */
	int		 evfd;		/* link and route events, in ours */
	int		 gw_ifindex;
	uint32_t	 seq;
	struct timespec	 t0;
	struct fw_answer last;
	struct fw_event	 ev[FW_MAXEV];
	unsigned int	 nev;
	unsigned int	 dropped;	/* timeline entries not kept */
	unsigned int	 queries;
	unsigned int	 noroute;	/* lookups that found no route */
	long long	 noroute_us;	/* time spent without a route */
	long long	 noroute_since;	/* -1: a route now */
	unsigned int	 other;		/* answers neither start nor wanted */
	long long	 carrier_us;	/* first link event, -1: none */
	long long	 route_us;	/* first route event for dst, -1 */
	struct fw_answer start;		/* the answer before the change */
	long long	 hit_us;	/* the last lookup's answer came */
};

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fputs("fibwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static long long
since_us(const struct timespec *t0)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)(ts.tv_sec - t0->tv_sec) * 1000000 +
	    (ts.tv_nsec - t0->tv_nsec) / 1000;
}

static void __attribute__((format(printf, 2, 3)))
timeline(struct fw *w, const char *fmt, ...)
{
	struct fw_event	*e;
	va_list		 ap;

	if (w->nev == FW_MAXEV) {
		w->dropped++;
		return;
	}
	e = &w->ev[w->nev++];
	e->us = since_us(&w->t0);
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ netlink */

static int
nl_open(unsigned int groups)
{
	struct sockaddr_nl	 sa;
	struct timeval		 tv = { 1, 0 };
	int			 fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd == -1)
		die("netlink socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		die("netlink bind: %s", strerror(errno));
	/* A kernel that never answers must not hang the benchmark. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1)
		die("SO_RCVTIMEO: %s", strerror(errno));
	return fd;
}

static int
ns_enter(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		die("%s: %s", path, strerror(errno));
	if (setns(fd, CLONE_NEWNET) == -1)
		die("setns %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/*
 * The gateway's socket and its interface's index, both looked up inside
 * the gateway's namespace (if_nametoindex asks the current one).
 */
static void
gw_open(struct fw *w)
{
	int	 self;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self == -1)
		die("/proc/self/ns/net: %s", strerror(errno));
	ns_enter(w->o->nspath);
	w->gwfd = nl_open(0);
	w->gw_ifindex = (int)if_nametoindex(w->o->ifname);
	if (w->gw_ifindex == 0)
		die("no interface %s in %s", w->o->ifname, w->o->nspath);
	if (setns(self, CLONE_NEWNET) == -1)
		die("setns back: %s", strerror(errno));
	close(self);
}

static void
nl_send(int fd, struct nlmsghdr *n)
{
	struct sockaddr_nl	 sa;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, n, n->nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) != (ssize_t)n->nlmsg_len)
		die("netlink send: %s", strerror(errno));
}

/* The reply to request SEQ: a message, or NULL with *err set. */
static struct nlmsghdr *
nl_reply(int fd, uint32_t seq, char *buf, size_t len, int *err)
{
	struct nlmsghdr	*n;
	ssize_t		 r;

	for (;;) {
		if ((r = recv(fd, buf, len, 0)) == -1)
			die("netlink recv: %s", strerror(errno));
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)r);
		    n = NLMSG_NEXT(n, r)) {
			if (n->nlmsg_seq != seq)
				continue;
			if (n->nlmsg_type != NLMSG_ERROR)
				return n;
			if (n->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				die("netlink: truncated error message");
			*err = -((struct nlmsgerr *)NLMSG_DATA(n))->error;
			return NULL;
		}
	}
}

static void
rta_put(struct nlmsghdr *n, size_t room, int type, const void *d, size_t l)
{
	struct rtattr	*a;

	if (NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(l) > room)
		die("netlink request too long");
	a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	a->rta_type = type;
	a->rta_len = RTA_LENGTH(l);
	memcpy(RTA_DATA(a), d, l);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(l);
}

/* ----------------------------------------------------------- the link */

/*
 * Set the gateway's end up or down.  t0 is taken right before the send:
 * what is timed includes the kernel handling our request.
 */
static void
link_set(struct fw *w)
{
	struct {
		struct nlmsghdr	 n;
		struct ifinfomsg i;
	} req;
	char	 buf[FW_BUFSZ];
	int	 err = 0;

	memset(&req, 0, sizeof(req));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(req.i));
	req.n.nlmsg_type = RTM_NEWLINK;
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.n.nlmsg_seq = ++w->seq;
	req.i.ifi_family = AF_UNSPEC;
	req.i.ifi_index = w->gw_ifindex;
	req.i.ifi_change = IFF_UP;
	req.i.ifi_flags = w->o->up ? IFF_UP : 0;
	clock_gettime(CLOCK_MONOTONIC, &w->t0);
	nl_send(w->gwfd, &req.n);
	if (nl_reply(w->gwfd, w->seq, buf, sizeof(buf), &err) != NULL ||
	    err != 0)
		die("setting %s %s: %s", w->o->ifname, w->o->up ? "up" : "down",
		    strerror(err));
	timeline(w, "%s set %s (acknowledged)", w->o->ifname,
	    w->o->up ? "up" : "down");
}

/* --------------------------------------------------------- the lookup */

/* A route message's prefix, first next hop and whether it has several. */
struct fw_route {
	struct tb_prefix dst;
	struct fw_answer a;
	int		 multipath;
};

static void
route_attr(struct rtattr *at, size_t alen, struct fw_route *r)
{
	switch (at->rta_type) {
	case RTA_DST:
		if (RTA_PAYLOAD(at) == alen)
			memcpy(r->dst.addr.u.raw, RTA_DATA(at), alen);
		break;
	case RTA_GATEWAY:
		if (RTA_PAYLOAD(at) == alen) {
			r->a.gw.af = r->dst.addr.af;
			memcpy(r->a.gw.u.raw, RTA_DATA(at), alen);
		}
		break;
	case RTA_OIF:
		if (RTA_PAYLOAD(at) == sizeof(int))
			memcpy(&r->a.oif, RTA_DATA(at), sizeof(int));
		break;
	case RTA_MULTIPATH:
		r->multipath = 1;
		break;
	}
}

static int
route_parse(struct nlmsghdr *n, struct fw_route *r)
{
	struct rtmsg	*rt = NLMSG_DATA(n);
	struct rtattr	*at;
	int		 len;

	memset(r, 0, sizeof(*r));
	if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*rt)))
		return -1;
	if (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6)
		return -1;
	r->dst.addr.af = rt->rtm_family;
	r->dst.len = rt->rtm_dst_len;
	r->a.flags = rt->rtm_flags;
	len = (int)RTM_PAYLOAD(n);
	for (at = RTM_RTA(rt); RTA_OK(at, len); at = RTA_NEXT(at, len))
		route_attr(at, rt->rtm_family == AF_INET ? 4 : 16, r);
	return 0;
}

/* What "ip route get DST" would answer, in *a. */
static void
lookup(struct fw *w, struct fw_answer *a)
{
	struct {
		struct nlmsghdr	 n;
		struct rtmsg	 r;
		char		 attrs[64];
	} req;
	char		 buf[FW_BUFSZ];
	struct nlmsghdr	*n;
	struct fw_route	 r;
	int		 af = w->o->dst.af;

	memset(&req, 0, sizeof(req));
	memset(a, 0, sizeof(*a));
	req.n.nlmsg_len = NLMSG_LENGTH(sizeof(req.r));
	req.n.nlmsg_type = RTM_GETROUTE;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = ++w->seq;
	req.r.rtm_family = (unsigned char)af;
	req.r.rtm_dst_len = af == AF_INET ? 32 : 128;
	rta_put(&req.n, sizeof(req), RTA_DST, w->o->dst.u.raw,
	    af == AF_INET ? 4 : 16);
	nl_send(w->qfd, &req.n);
	w->queries++;
	n = nl_reply(w->qfd, w->seq, buf, sizeof(buf), &a->err);
	if (n != NULL && n->nlmsg_type == RTM_NEWROUTE &&
	    route_parse(n, &r) == 0)
		*a = r.a;
	else if (n != NULL)
		die("unexpected answer (type %u) to the route lookup",
		    n->nlmsg_type);
}

static int
answer_same(const struct fw_answer *a, const struct fw_answer *b)
{
	return a->err == b->err && a->oif == b->oif && a->flags == b->flags &&
	    addr_cmp(&a->gw, &b->gw) == 0;
}

static int
answer_wanted(const struct fw *w, const struct fw_answer *a)
{
	return a->err == 0 && addr_cmp(&a->gw, &w->o->want) == 0;
}

static const char *
answer_str(const struct fw_answer *a, char *s, size_t len)
{
	char	 ifn[IF_NAMESIZE], gw[ADDR_STRLEN];

	if (a->err != 0) {
		snprintf(s, len, "no route (%s)", strerror(a->err));
		return s;
	}
	if (if_indextoname((unsigned int)a->oif, ifn) == NULL)
		snprintf(ifn, sizeof(ifn), "#%d", a->oif);
	if (addr_isset(&a->gw))
		snprintf(s, len, "via %s dev %s%s",
		    addr_ntop(&a->gw, gw, sizeof(gw)), ifn,
		    a->flags & RTNH_F_LINKDOWN ? " linkdown" : "");
	else
		snprintf(s, len, "dev %s%s", ifn,
		    a->flags & RTNH_F_LINKDOWN ? " linkdown" : "");
	return s;
}

/* Count and keep an answer that differs from the one before. */
static void
answer_note(struct fw *w, const struct fw_answer *a)
{
	char	 s[FW_EVLEN];
	long long now;

	if (answer_same(a, &w->last))
		return;
	now = since_us(&w->t0);
	if (a->err != 0 && w->noroute_since < 0)
		w->noroute_since = now;
	if (a->err == 0 && w->noroute_since >= 0) {
		w->noroute_us += now - w->noroute_since;
		w->noroute_since = -1;
	}
	timeline(w, "lookup: %s", answer_str(a, s, sizeof(s)));
	w->last = *a;
}

/* ----------------------------------------------------------- events */

static void
event_link(struct fw *w, struct nlmsghdr *n)
{
	struct ifinfomsg	*i = NLMSG_DATA(n);
	struct rtattr		*at;
	int			 len, nlen = 1;
	const char		*name = "?";

	if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*i)))
		return;
	len = (int)IFLA_PAYLOAD(n);
	for (at = IFLA_RTA(i); RTA_OK(at, len); at = RTA_NEXT(at, len))
		if (at->rta_type == IFLA_IFNAME) {
			name = RTA_DATA(at);
			nlen = (int)strnlen(name, RTA_PAYLOAD(at));
		}
	if (w->carrier_us < 0)
		w->carrier_us = since_us(&w->t0);
	timeline(w, "event: link %.*s %s %s", nlen, name,
	    i->ifi_flags & IFF_UP ? "up" : "down",
	    i->ifi_flags & IFF_LOWER_UP ? "carrier" : "no-carrier");
}

/* A route event, kept when its prefix covers the destination. */
static void
event_route(struct fw *w, struct nlmsghdr *n)
{
	struct fw_route	 r;
	struct rtmsg	*rt = NLMSG_DATA(n);
	char		 s[FW_EVLEN];

	if (route_parse(n, &r) == -1 || r.dst.addr.af != w->o->dst.af ||
	    !prefix_contains(&r.dst, &w->o->dst))
		return;
	if (w->route_us < 0)
		w->route_us = since_us(&w->t0);
	timeline(w, "event: route %s %s %s proto %u table %u%s",
	    n->nlmsg_type == RTM_NEWROUTE ? "new" : "del", prefix_str(&r.dst),
	    r.multipath ? "multipath" : answer_str(&r.a, s, sizeof(s)),
	    rt->rtm_protocol, rt->rtm_table, r.a.flags & RTNH_F_LINKDOWN ?
	    " (linkdown)" : "");
}

/* Read every event waiting, without blocking. */
static void
events_drain(struct fw *w)
{
	char		 buf[FW_BUFSZ];
	struct nlmsghdr	*n;
	ssize_t		 r;

	while ((r = recv(w->evfd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		for (n = (struct nlmsghdr *)buf; NLMSG_OK(n, (size_t)r);
		    n = NLMSG_NEXT(n, r)) {
			if (n->nlmsg_type == RTM_NEWLINK)
				event_link(w, n);
			else if (n->nlmsg_type == RTM_NEWROUTE ||
			    n->nlmsg_type == RTM_DELROUTE)
				event_route(w, n);
		}
	}
	if (r == -1 && errno == ENOBUFS)
		timeline(w, "event: lost some (ENOBUFS)");
}

/* Forget the events from before t0. */
static void
events_flush(struct fw *w)
{
	char	 buf[FW_BUFSZ];

	while (recv(w->evfd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* ------------------------------------------------------------- main */

static void
nap(long us)
{
	struct timespec	 ts = { 0, us * 1000 };

	if (us > 0)
		nanosleep(&ts, NULL);
}

/*
 * The loop: one lookup, the events that came meanwhile, a short sleep
 * (two cores are shared with the daemon under test).  Returns 0 when the
 * wanted next hop showed, -1 on timeout.
 */
static int
watch(struct fw *w)
{
	struct fw_answer a;
	long long	 limit = (long long)w->o->timeout_ms * 1000;

	for (;;) {
		/* Events first: one read in the same turn is older. */
		events_drain(w);
		lookup(w, &a);
		w->hit_us = since_us(&w->t0);
		answer_note(w, &a);
		if (answer_wanted(w, &a))
			return 0;
		if (a.err == 0 && !answer_same(&a, &w->start) &&
		    addr_cmp(&a.gw, &w->start.gw) != 0)
			w->other++;
		if (a.err != 0)
			w->noroute++;
		if (since_us(&w->t0) > limit)
			return -1;
		nap(w->o->interval_us);
	}
}

static void
report(struct fw *w, long long elapsed)
{
	unsigned int	 i;
	struct timespec	 real, mono;
	double		 t0_real;

	char		 s[FW_EVLEN];

	/* Still without a route at the end (a timeout). */
	if (w->noroute_since >= 0)
		w->noroute_us += elapsed - w->noroute_since;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	/* t0 on the wall clock, for matching with the daemons' own times. */
	t0_real = (double)real.tv_sec + real.tv_nsec / 1e9 -
	    ((double)(mono.tv_sec - w->t0.tv_sec) +
	    (mono.tv_nsec - w->t0.tv_nsec) / 1e9);
	fprintf(stderr, "    before     lookup: %s\n",
	    answer_str(&w->start, s, sizeof(s)));
	for (i = 0; i < w->nev; i++)
		fprintf(stderr, "%10.3f ms  %s\n", w->ev[i].us / 1000.0,
		    w->ev[i].what);
	if (w->dropped > 0)
		fprintf(stderr, "(%u more not kept)\n", w->dropped);
	printf("elapsed_us=%lld queries=%u period_us=%.1f noroute=%u "
	    "noroute_us=%lld other=%u carrier_us=%lld route_us=%lld "
	    "t0_real=%.6f\n", elapsed, w->queries,
	    w->queries > 0 ? (double)elapsed / w->queries : 0.0, w->noroute,
	    w->noroute_us, w->other, w->carrier_us, w->route_us, t0_real);
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: fibwatch -N netns-path -l ifname -s down|up "
	    "-d destination -w gateway\n"
	    "                [-T timeout-ms] [-i interval-us]\n");
	exit(2);
}

static long
num_arg(const char *s, long min, long max)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < min || v > max)
		usage();
	return v;
}

static void
opts_parse(int argc, char **argv, struct fw_opts *o)
{
	int	 ch, state = -1;

	memset(o, 0, sizeof(*o));
	o->timeout_ms = 5000;
	o->interval_us = 50;
	while ((ch = getopt(argc, argv, "N:l:s:d:w:T:i:")) != -1) {
		switch (ch) {
		case 'N': o->nspath = optarg; break;
		case 'l': o->ifname = optarg; break;
		case 's':
			if (strcmp(optarg, "up") == 0)
				state = 1;
			else if (strcmp(optarg, "down") == 0)
				state = 0;
			else
				usage();
			break;
		case 'd':
			if (addr_parse(optarg, &o->dst) == -1)
				usage();
			break;
		case 'w':
			if (addr_parse(optarg, &o->want) == -1)
				usage();
			break;
		case 'T': o->timeout_ms = num_arg(optarg, 1, 3600000); break;
		case 'i': o->interval_us = num_arg(optarg, 0, 999999); break;
		default: usage();
		}
	}
	if (optind != argc || o->nspath == NULL || o->ifname == NULL ||
	    state == -1 || !addr_isset(&o->dst) || o->dst.af != o->want.af)
		usage();
	o->up = state;
}

int
main(int argc, char **argv)
{
	static struct fw w;	/* the timeline is big */
	struct fw_opts	 o;
	char		 s[FW_EVLEN];

	opts_parse(argc, argv, &o);
	w.o = &o;
	w.carrier_us = w.route_us = w.noroute_since = -1;
	/* Sleeps of tens of microseconds, not the default 50 us slack. */
	if (prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0) == -1)
		die("PR_SET_TIMERSLACK: %s", strerror(errno));
	gw_open(&w);
	w.qfd = nl_open(0);
	w.evfd = nl_open(RTMGRP_LINK | (o.dst.af == AF_INET ?
	    RTMGRP_IPV4_ROUTE : RTMGRP_IPV6_ROUTE));
	lookup(&w, &w.start);
	if (answer_wanted(&w, &w.start))
		die("the route to %s is already %s, before the change",
		    addr_str(&o.dst), answer_str(&w.start, s, sizeof(s)));
	w.last = w.start;
	w.queries = 0;
	events_flush(&w);
	link_set(&w);
	if (watch(&w) == -1) {
		report(&w, w.hit_us);
		die("timeout: the route to %s not via %s after %ld ms; last: %s",
		    addr_str(&o.dst), addr_str(&o.want), o.timeout_ms,
		    answer_str(&w.last, s, sizeof(s)));
	}
	report(&w, w.hit_us);
	return 0;
}
