/*
 * kernel: the FIB engine on its sockets (see kernel.h).
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <event2/event.h>
#include <poll.h>
#include <string.h>

#include "fib.h"
#include "kernel.h"
#include "log.h"
#include "nl.h"
#include "rtsel.h"

#define KERNEL_BATCH	(64 * 1024)
#define KERNEL_RETRY	1	/* seconds before a failed send is retried */
#define KERNEL_RCVBUF	(32 * 1024 * 1024)
#define KERNEL_DUMP_WAIT 30000	/* ms the start-up dump may take */

static struct {
	struct fib	*fib;
	struct rtsel	*sel;		/* static routes against BGP */
	struct nl_sock	 req;		/* requests and their acks */
	struct nl_sock	 ev;		/* the kernel's route events */
	struct event	*ev_req;
	struct event	*ev_ev;
	struct event	*t_retry;
	struct event	*t_scan;	/* fib scan-interval */
	struct event	*t_flush;	/* writes at the end of the turn */
	uint32_t	 scan;		/* seconds, 0 off */
	int		 send_failed;	/* logged once per failure run */
	int		 closing;	/* shutting down: the RIB empties */
	void		(*routes_changed)(void *);
	void		*routes_arg;
} k = { .req.fd = -1, .ev.fd = -1 };

static void	kernel_close(void);

struct fib *
kernel_fib(void)
{
	return k.fib;
}

void
kernel_on_routes_changed(void (*fn)(void *), void *arg)
{
	k.routes_changed = fn;
	k.routes_arg = arg;
}

/* debug bgp fib: what is asked of the kernel, route by route. */
static void
kernel_debug(const struct tb_prefix *p, const struct fib_route *r)
{
	char	 via[256] = "";
	size_t	 i, len = 0;

	for (i = 0; r != NULL && i < r->nnh && len < sizeof(via); i++)
		len += (size_t)snprintf(via + len, sizeof(via) - len, "%s%s",
		    i ? ", " : "", r->nh[i].gw.af ? addr_str(&r->nh[i].gw) :
		    "interface");
	if (r == NULL || (r->type == FIB_RT_UNICAST && r->nnh == 0))
		log_debugc(LOG_DEBUG_FIB, "fib: %s: remove", prefix_str(p));
	else if (r->type != FIB_RT_UNICAST)
		log_debugc(LOG_DEBUG_FIB, "fib: %s: %s (%s)", prefix_str(p),
		    r->type == FIB_RT_BLACKHOLE ? "blackhole" : "unreachable",
		    r->proto == FIB_PROTO_STATIC ? "static" : "bgp");
	else
		log_debugc(LOG_DEBUG_FIB, "fib: %s: via %s (%s)",
		    prefix_str(p), via, r->proto == FIB_PROTO_STATIC ?
		    "static" : "bgp");
}

/* rtsel's output: the FIB engine. */
static int
kernel_install(const struct tb_prefix *p, const struct fib_route *r,
    void *arg)
{
	(void)arg;
	if (k.fib == NULL || k.closing)
		return 0;
	if (log_debugging(LOG_DEBUG_FIB))
		kernel_debug(p, r);
	return fib_set_route(k.fib, p, r);
}

static int
kernel_current(const struct tb_prefix *p, struct fib_route *r, void *arg)
{
	(void)arg;
	return k.fib != NULL ? fib_wanted(k.fib, p, r) : -1;
}

struct rtsel *
kernel_rtsel(void)
{
	struct rtsel_ops	 ops = { kernel_install, kernel_current, NULL };

	if (k.sel == NULL && (k.sel = rtsel_new(&ops)) == NULL)
		fatal("rtsel");
	return k.sel;
}

void
kernel_route(const struct tb_prefix *p, const struct fib_nh *nh, size_t n)
{
	struct fib_route	 r;

	if (k.closing)
		return;
	if (n > FIB_MAXNH)
		n = FIB_MAXNH;
	memset(&r, 0, sizeof(r));
	r.proto = FIB_PROTO_BGP;
	r.type = FIB_RT_UNICAST;
	r.nnh = n;
	memcpy(r.nh, nh, n * sizeof(r.nh[0]));
	if (rtsel_set(kernel_rtsel(), RTSEL_BGP, p, &r, 0) == -1)
		log_warn("fib: %s", prefix_str(p));
}

void
kernel_statics_settled(void)
{
	if (k.fib != NULL) {
		fib_static_settled(k.fib);
		kernel_flush();
	}
}

void
kernel_static(const struct tb_prefix *p, const struct fib_route *r,
    uint8_t distance)
{
	if (k.closing)
		return;
	if (rtsel_set(kernel_rtsel(), RTSEL_STATIC, p, r, distance) == -1)
		log_warn("fib: static %s", prefix_str(p));
}

static void
kernel_send(struct buf *b)
{
	struct timeval	 tv = { KERNEL_RETRY, 0 };

	if (nl_send(&k.req, b) == 0) {
		k.send_failed = 0;
		return;
	}
	if (!k.send_failed)
		log_warn("cannot send routes to the kernel; retrying");
	k.send_failed = 1;
	/* What was written counts as sent: ask again for all of it. */
	fib_acks_lost(k.fib);
	evtimer_add(k.t_retry, &tv);
}

/* What is queued goes out in as few sends as fit KERNEL_BATCH. */
static void
kernel_write(void)
{
	struct buf	 b;

	if (k.fib == NULL || k.send_failed)
		return;
	if (buf_init(&b, KERNEL_BATCH, KERNEL_BATCH) == -1)
		fatal("kernel flush");
	while (fib_flush_out(k.fib, &b) > 0) {
		kernel_send(&b);
		if (k.send_failed)
			break;
		buf_reset(&b);
	}
	buf_free(&b);
}

static void
kernel_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	kernel_write();
}

/*
 * Called after every UPDATE (and every other change): the writing waits
 * for the end of the event-loop turn, so that the routes of all the
 * UPDATEs read in one go share a few large sends instead of one send
 * (and one acknowledgement) per UPDATE.  A failover waits microseconds.
 */
void
kernel_flush(void)
{
	struct timeval	 now = { 0, 0 };

	if (k.fib == NULL || k.t_flush == NULL)
		return;
	if (!evtimer_pending(k.t_flush, NULL))
		evtimer_add(k.t_flush, &now);
}

/* A full dump: what is ours and not wanted goes, what is wanted and
 * missing comes back. */
static void
kernel_resync(void)
{
	struct buf	 b;

	if (fib_resyncing(k.fib))
		return;
	if (buf_init(&b, 64, 64) == -1)
		fatal("kernel resync");
	if (fib_resync_begin(k.fib, &b) == 0)
		kernel_send(&b);
	buf_free(&b);
}

static void
kernel_dgram(const void *data, size_t len, void *arg)
{
	(void)fib_input(k.fib, data, len);
}

/* arg: the socket that is readable, k.req or k.ev. */
static void
kernel_read(evutil_socket_t fd, short what, void *arg)
{
	struct nl_sock	*s = arg;
	uint64_t	 foreign = fib_foreign(k.fib);
	int		 lost = 0;

	if (nl_read(s, 0, kernel_dgram, NULL, &lost) == -1)
		log_warn("reading routes from the kernel");
	/* Next hops may resolve over other protocols' routes, and network
	 * and redistribute follow them: whoever listens hears of it. */
	if (fib_foreign(k.fib) != foreign && k.routes_changed != NULL)
		k.routes_changed(k.routes_arg);
	if (lost) {
		/* Answers or events were dropped: ask for the whole table. */
		if (s == &k.req)
			fib_acks_lost(k.fib);
		log_info("kernel route messages lost; reading the table again");
		kernel_resync();
	}
	kernel_flush();
}

static void
kernel_retry(evutil_socket_t fd, short what, void *arg)
{
	k.send_failed = 0;
	kernel_flush();
}

/* The periodic scan: events can be missed (a full socket, a kernel that
 * does not report every removal), a dump cannot. */
static void
kernel_scan(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	 tv = { (time_t)k.scan, 0 };

	kernel_resync();
	evtimer_add(k.t_scan, &tv);
}

/*
 * Two sockets, as routes are written in large batches: requests and
 * their acknowledgements on one, the kernel's route events on the other
 * (so an event storm cannot crowd out the answers).  The event socket
 * would hear of every route the request socket just wrote (a million of
 * them for a full table, each in its own datagram); those are confirmed
 * by their acknowledgements already, so a filter drops, in the kernel,
 * every notification caused by the request socket.  Changes made by
 * anyone else (the kernel itself, an operator, another daemon) still
 * come through.
 */
static int
kernel_sockets(struct event_base *base)
{
	if (nl_open(&k.req, NETLINK_ROUTE, 0, KERNEL_RCVBUF,
	    NL_F_NONBLOCK | NL_F_CAP_ACK) == -1 ||
	    nl_open(&k.ev, NETLINK_ROUTE, RTMGRP_IPV4_ROUTE |
	    RTMGRP_IPV6_ROUTE, KERNEL_RCVBUF, NL_F_NONBLOCK | NL_F_CAP_ACK)
	    == -1)
		return -1;
	if (nl_ignore_port(&k.ev, k.req.port) == -1)
		log_warn("kernel events: cannot filter out our own routes");
	k.ev_req = event_new(base, k.req.fd, EV_READ | EV_PERSIST,
	    kernel_read, &k.req);
	k.ev_ev = event_new(base, k.ev.fd, EV_READ | EV_PERSIST, kernel_read,
	    &k.ev);
	k.t_retry = evtimer_new(base, kernel_retry, NULL);
	k.t_scan = evtimer_new(base, kernel_scan, NULL);
	k.t_flush = evtimer_new(base, kernel_flush_cb, NULL);
	if (k.ev_req == NULL || k.ev_ev == NULL || k.t_retry == NULL ||
	    k.t_scan == NULL || k.t_flush == NULL ||
	    event_add(k.ev_req, NULL) == -1 || event_add(k.ev_ev, NULL) == -1)
		fatalx("kernel events");
	return 0;
}

/*
 * The start-up dump is read before anything else runs: the routes an
 * earlier instance left must be known before the RIB wants any, or each
 * would be written again (adoption is then a pointer comparison).
 */
static void
kernel_dump_wait(void)
{
	struct pollfd	 pfd = { k.req.fd, POLLIN, 0 };
	int		 lost = 0, waited = 0;

	kernel_resync();
	while (fib_resyncing(k.fib) && waited < KERNEL_DUMP_WAIT) {
		if (poll(&pfd, 1, 100) == -1 && errno != EINTR)
			break;
		waited += 100;
		if (nl_read(&k.req, 0, kernel_dgram, NULL, &lost) == -1)
			log_warn("reading routes from the kernel");
		if (lost) {
			log_warnx("kernel route dump lost at start");
			break;
		}
	}
}

size_t
kernel_adopted(void)
{
	return k.fib != NULL ? fib_stale_count(k.fib) : 0;
}

void
kernel_stale_sweep(void)
{
	size_t	 n;

	if (k.fib == NULL)
		return;
	if ((n = fib_stale_sweep(k.fib)) > 0)
		log_info("fib: %zu route%s of the earlier instance not learnt "
		    "again, removed", n, n == 1 ? "" : "s");
	kernel_flush();
}

void
kernel_keep_routes(void)
{
	if (k.fib != NULL)
		fib_keep_on_exit(k.fib);
}

int
kernel_init(struct event_base *base, const struct bgpd_config *conf)
{
	struct fib_opts	 o;

	rtsel_set_distance(kernel_rtsel(), RTSEL_BGP, conf->distance_ebgp);
	memset(&o, 0, sizeof(o));
	o.table = conf->fib_table;
	o.metric = conf->fib_metric;
	o.install = conf->fib_install;
	o.retain = conf->fib_retain;
	if (!o.install)
		return 0;
	if ((k.fib = fib_new(&o)) == NULL)
		fatal("fib");
	if (kernel_sockets(base) == -1) {
		log_warn("cannot open the kernel's routing socket: routes "
		    "stay out of the kernel");
		kernel_close();
		fib_free(k.fib);
		k.fib = NULL;
		return -1;
	}
	/* What an earlier instance left in our table is adopted: kept
	 * until the RDE has every neighbor's table (kernel_stale_sweep). */
	fib_adopt(k.fib);
	kernel_dump_wait();
	if ((k.scan = conf->fib_scan) > 0) {
		struct timeval	 tv = { (time_t)k.scan, 0 };

		evtimer_add(k.t_scan, &tv);
	}
	return 0;
}

/* Reload: distance bgp, fib scan-interval (the other fib settings need a
 * restart). */
void
kernel_reconfigure(const struct bgpd_config *conf)
{
	struct timeval	 tv = { (time_t)conf->fib_scan, 0 };

	rtsel_set_distance(kernel_rtsel(), RTSEL_BGP, conf->distance_ebgp);
	if (k.fib == NULL || k.t_scan == NULL || k.scan == conf->fib_scan)
		return;
	evtimer_del(k.t_scan);
	if ((k.scan = conf->fib_scan) > 0)
		evtimer_add(k.t_scan, &tv);
}

static void
kernel_close(void)
{
	if (k.ev_req != NULL)
		event_free(k.ev_req);
	if (k.ev_ev != NULL)
		event_free(k.ev_ev);
	if (k.t_retry != NULL)
		event_free(k.t_retry);
	if (k.t_scan != NULL)
		event_free(k.t_scan);
	if (k.t_flush != NULL)
		event_free(k.t_flush);
	nl_close(&k.req);
	nl_close(&k.ev);
	k.ev_req = k.ev_ev = k.t_retry = k.t_scan = k.t_flush = NULL;
}

/* The sessions are about to close: their withdrawals must not reach the
 * kernel one by one (with fib retain, not at all). */
void
kernel_closing(void)
{
	k.closing = 1;
}

void
kernel_shutdown(void)
{
	struct buf	 b;

	rtsel_free(k.sel);
	k.sel = NULL;
	if (k.fib == NULL)
		return;
	if (k.req.fd != -1 && buf_init(&b, KERNEL_BATCH, KERNEL_BATCH) == 0) {
		/* Blocking is fine now: the daemon is on its way out. */
		while (fib_shutdown_requests(k.fib, &b) > 0) {
			if (nl_send(&k.req, &b) == -1)
				break;
			buf_reset(&b);
		}
		buf_free(&b);
	}
	kernel_close();
	fib_free(k.fib);
	k.fib = NULL;
}
