/*
 * metrics_fam.c: the families of the Prometheus exposition (see
 * tbgpd.conf(5), METRICS, for the list).  Everything is read at scrape
 * time from counters kept where the events happen (peer.c's session
 * counters, the RDE's per-neighbor counts, the RIB's and the FIB's
 * running totals, the liveness engines); nothing here walks the RIB or
 * the FIB, so a scrape costs the same with ten routes or a million.
 *
 * Every per-neighbor series carries the labels peer (the address),
 * peer_as, description and interface (the tunnel the session runs over,
 * as last known, so the series stays the same while it is down).
 */
#include "config.h"

#include <sys/queue.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adjout.h"
#include "attr.h"
#include "bfd.h"
#include "ctl.h"
#include "ctl_show.h"
#include "kernel.h"
#include "kif.h"
#include "liveness.h"
#include "metrics.h"
#include "fib.h"
#include "mrt.h"
#include "msg.h"
#include "peer.h"
#include "probe.h"
#include "prom.h"
#include "rde.h"
#include "rib.h"
#include "update.h"

/* What one scrape knows of a neighbor. */
struct mpeer {
	const struct peer	*p;
	struct prom_labels	 l;
};

/* The interface a neighbor's sessions ran over, remembered by address
 * so the label survives the link going away. */
struct mifname {
	TAILQ_ENTRY(mifname)	 entry;
	struct tb_addr		 addr;
	char			 name[IF_NAMESIZE];
};
static TAILQ_HEAD(, mifname)	 mifnames = TAILQ_HEAD_INITIALIZER(mifnames);

static const char *
mf_ifname(const struct peer *p)
{
	const struct kif_link	*l = NULL;
	struct mifname		*n;

	TAILQ_FOREACH(n, &mifnames, entry)
		if (addr_cmp(&n->addr, &p->conf->remote) == 0)
			break;
	if (p->conf->local_ifname[0] != '\0')
		return p->conf->local_ifname;
	if (p->ifindex != 0 && show_kif() != NULL)
		l = kif_get(show_kif(), p->ifindex);
	if (l != NULL) {
		if (n == NULL && (n = calloc(1, sizeof(*n))) != NULL) {
			n->addr = p->conf->remote;
			TAILQ_INSERT_TAIL(&mifnames, n, entry);
		}
		if (n != NULL)
			strlcpy(n->name, l->name, sizeof(n->name));
		return l->name;
	}
	return n != NULL ? n->name : "";
}

static void
mf_peer_labels(const struct peer *p, struct prom_labels *l)
{
	prom_labels_init(l);
	prom_label(l, "peer", addr_str(&p->conf->remote));
	if (p->conf->remote_as != REMOTE_AS_EXTERNAL)
		prom_label_u64(l, "peer_as", p->conf->remote_as);
	else
		prom_label(l, "peer_as", "external");
	prom_label(l, "description", p->conf->descr);
	prom_label(l, "interface", mf_ifname(p));
}

/* The neighbors of this scrape, with their labels (free() it). */
static struct mpeer *
mf_peers(size_t *n)
{
	const struct peer	*p;
	struct mpeer		*v;
	size_t			 i = 0;

	*n = 0;
	TAILQ_FOREACH(p, &peers, entry)
		(*n)++;
	if ((v = calloc(*n ? *n : 1, sizeof(*v))) == NULL)
		return NULL;
	TAILQ_FOREACH(p, &peers, entry) {
		v[i].p = p;
		mf_peer_labels(p, &v[i++].l);
	}
	return v;
}

static time_t
mf_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* --- sessions --- */

static const char *const mf_types[] = {
	[BGP_OPEN] = "open", [BGP_UPDATE] = "update",
	[BGP_NOTIFICATION] = "notification", [BGP_KEEPALIVE] = "keepalive",
	[BGP_ROUTE_REFRESH] = "route_refresh",
};

static void
mf_session(struct prom *m, const struct mpeer *v, size_t n)
{
	time_t		 now = mf_mono();
	size_t		 i;
	int		 s;

	prom_family(m, "tbgpd_peer_up", PROM_GAUGE,
	    "1 if the BGP session is Established, else 0.");
	for (i = 0; i < n; i++)
		prom_u64(m, &v[i].l, NULL, NULL,
		    v[i].p->state == ST_ESTABLISHED);
	prom_family(m, "tbgpd_peer_state", PROM_GAUGE,
	    "The session's FSM state: 1 for the current one, 0 for others.");
	for (i = 0; i < n; i++)
		for (s = 0; s < ST_MAX; s++)
			prom_u64(m, &v[i].l, "state", fsm_state_name(s),
			    v[i].p->state == (enum fsm_state)s);
	prom_family(m, "tbgpd_peer_uptime_seconds", PROM_GAUGE,
	    "Seconds the session has been Established, 0 when it is not.");
	for (i = 0; i < n; i++)
		prom_u64(m, &v[i].l, NULL, NULL,
		    v[i].p->state == ST_ESTABLISHED ?
		    (uint64_t)(now - v[i].p->up_since) : 0);
	prom_family(m, "tbgpd_peer_established_total", PROM_COUNTER,
	    "Times the session reached Established.");
	for (i = 0; i < n; i++)
		prom_u64(m, &v[i].l, NULL, NULL, v[i].p->stats.established);
	prom_family(m, "tbgpd_peer_dropped_total", PROM_COUNTER,
	    "Times the session left Established.");
	for (i = 0; i < n; i++)
		prom_u64(m, &v[i].l, NULL, NULL, v[i].p->stats.dropped);
}

static void
mf_messages(struct prom *m, const struct mpeer *v, size_t n, int sent)
{
	const uint64_t	*c;
	size_t		 i, t;

	if (sent)
		prom_family(m, "tbgpd_peer_messages_sent_total", PROM_COUNTER,
		    "BGP messages sent, by type.");
	else
		prom_family(m, "tbgpd_peer_messages_received_total",
		    PROM_COUNTER, "BGP messages received, by type.");
	for (i = 0; i < n; i++) {
		c = sent ? v[i].p->stats.msg_sent : v[i].p->stats.msg_rcvd;
		for (t = BGP_OPEN; t <= BGP_ROUTE_REFRESH; t++)
			prom_u64(m, &v[i].l, "type", mf_types[t], c[t]);
	}
}

/* Only the (code, subcode) pairs seen: a series per pair ever used. */
static void
mf_notify(struct prom *m, const struct mpeer *v, size_t n, int sent)
{
	struct prom_labels	 l;
	const uint32_t		(*c)[PEER_NOTIFY_SUBS];
	unsigned		 ci, si;
	size_t			 i;

	if (sent)
		prom_family(m, "tbgpd_peer_notifications_sent_total",
		    PROM_COUNTER, "NOTIFICATIONs sent, by error code and "
		    "subcode (\"other\": a subcode above 14 or an unknown "
		    "code).");
	else
		prom_family(m, "tbgpd_peer_notifications_received_total",
		    PROM_COUNTER, "NOTIFICATIONs received, by error code and "
		    "subcode (\"other\": a subcode above 14 or an unknown "
		    "code).");
	for (i = 0; i < n; i++) {
		c = sent ? v[i].p->stats.notify_sent : v[i].p->stats.notify_rcvd;
		for (ci = 0; ci < PEER_NOTIFY_CODES; ci++)
			for (si = 0; si < PEER_NOTIFY_SUBS; si++) {
				if (c[ci][si] == 0)
					continue;
				l = v[i].l;
				if (ci == 0)
					prom_label(&l, "code", "other");
				else
					prom_label_u64(&l, "code", ci);
				if (si == PEER_NOTIFY_SUBS - 1)
					prom_label(&l, "subcode", "other");
				else
					prom_label_u64(&l, "subcode", si);
				prom_u64(m, &l, "error", ci == 0 ? "unknown" :
				    msg_suberr_name((uint8_t)ci, (uint8_t)si),
				    c[ci][si]);
			}
	}
}

static void
mf_last_down(struct prom *m, const struct mpeer *v, size_t n)
{
	size_t	 i;

	prom_family(m, "tbgpd_peer_last_down_info", PROM_GAUGE,
	    "Why the session last left Established (the reason in the "
	    "label), 1; absent if it never did.");
	for (i = 0; i < n; i++)
		if (v[i].p->last_down[0] != '\0')
			prom_u64(m, &v[i].l, "reason", v[i].p->last_down, 1);
	prom_family(m, "tbgpd_peer_last_error_info", PROM_GAUGE,
	    "Why the last attempt to bring the session up, or the session, "
	    "failed (the reason in the label), 1; absent if none did.");
	for (i = 0; i < n; i++)
		if (v[i].p->last_error[0] != '\0')
			prom_u64(m, &v[i].l, "reason", v[i].p->last_error, 1);
}

/* --- routes --- */

static const char *
mf_family(int aid)
{
	return aid == AID_IPV4_UNICAST ? "ipv4_unicast" : "ipv6_unicast";
}

static void
mf_prefixes(struct prom *m, const struct mpeer *v, size_t n, int what)
{
	static const char *const names[] = { "tbgpd_peer_prefixes_received",
	    "tbgpd_peer_prefixes_accepted", "tbgpd_peer_prefixes_sent" };
	static const char *const helps[] = {
	    "Prefixes held from the neighbor: those accepted, and with "
	    "soft-reconfiguration inbound (or a BMP pre-policy monitor) "
	    "those inbound policy denied too.",
	    "Prefixes from the neighbor accepted by inbound policy.",
	    "Prefixes advertised to the neighbor." };
	const struct rib_src	*src;
	const struct adjout	*out;
	uint64_t		 c;
	size_t			 i;
	int			 aid;

	prom_family(m, names[what], PROM_GAUGE, helps[what]);
	for (i = 0; i < n; i++)
		for (aid = 0; aid < AID_MAX; aid++) {
			if (!(v[i].p->conf->af_active & AID_BIT(aid)))
				continue;
			src = v[i].p->rde != NULL ? rde_peer_src(v[i].p->rde) :
			    NULL;
			out = v[i].p->rde != NULL ?
			    rde_peer_adjout(v[i].p->rde, aid) : NULL;
			if (what == 2)
				c = out != NULL ? adjout_count(out) : 0;
			else if (src == NULL || v[i].p->state != ST_ESTABLISHED)
				c = 0;
			else
				c = what == 0 ? src->nrcvd[aid] :
				    src->npaths[aid];
			prom_u64(m, &v[i].l, "family", mf_family(aid), c);
		}
}

static void
mf_rde_counter(struct prom *m, const struct mpeer *v, size_t n,
    const char *name, const char *help, size_t off)
{
	const struct rde_stats	*st;
	size_t			 i;

	prom_family(m, name, PROM_COUNTER, help);
	for (i = 0; i < n; i++) {
		st = v[i].p->rde != NULL ? rde_peer_stats(v[i].p->rde) : NULL;
		prom_u64(m, &v[i].l, NULL, NULL, st == NULL ? 0 :
		    *(const uint64_t *)(const void *)((const char *)st + off));
	}
}

static void
mf_updates(struct prom *m, const struct mpeer *v, size_t n)
{
	mf_rde_counter(m, v, n, "tbgpd_peer_updates_received_total",
	    "UPDATE messages processed in the current session.",
	    offsetof(struct rde_stats, updates_in));
	mf_rde_counter(m, v, n, "tbgpd_peer_prefixes_denied_total",
	    "Announced prefixes denied by inbound policy or loop detection "
	    "in the current session.", offsetof(struct rde_stats, denied_in));
	mf_rde_counter(m, v, n, "tbgpd_peer_treat_as_withdraw_total",
	    "UPDATEs whose routes were treated as withdrawn (RFC 7606) in "
	    "the current session.", offsetof(struct rde_stats,
	    treat_as_withdraw));
}

/* --- liveness --- */

static void
mf_probe(struct prom *m, const struct mpeer *v, size_t n)
{
	const struct probe	*pr;
	size_t			 i;

	prom_family(m, "tbgpd_peer_probe_up", PROM_GAUGE,
	    "ICMP liveness probe (liveness icmp): 1 up, 0 down or not yet "
	    "known; absent without a probe.");
	for (i = 0; i < n; i++)
		if ((pr = liveness_probe(v[i].p)) != NULL)
			prom_u64(m, &v[i].l, NULL, NULL,
			    probe_state(pr) == PROBE_UP);
	prom_family(m, "tbgpd_peer_probe_rtt_seconds", PROM_GAUGE,
	    "Round-trip time of the last ICMP probe answered.");
	for (i = 0; i < n; i++)
		if ((pr = liveness_probe(v[i].p)) != NULL &&
		    probe_stats(pr)->received > 0)
			prom_double(m, &v[i].l, NULL, NULL,
			    probe_stats(pr)->rtt_us_last / 1e6);
	prom_family(m, "tbgpd_peer_probe_missed_total", PROM_COUNTER,
	    "ICMP probes judged unanswered.");
	for (i = 0; i < n; i++)
		if ((pr = liveness_probe(v[i].p)) != NULL)
			prom_u64(m, &v[i].l, NULL, NULL,
			    probe_stats(pr)->missed);
}

static void
mf_bfd(struct prom *m, const struct mpeer *v, size_t n)
{
	const struct bfd_sess	*b;
	size_t			 i;
	int			 s;

	prom_family(m, "tbgpd_peer_bfd_state", PROM_GAUGE,
	    "BFD session state (neighbor X bfd): 1 for the current one; "
	    "absent without BFD.");
	for (i = 0; i < n; i++) {
		if ((b = liveness_bfd(v[i].p)) == NULL)
			continue;
		for (s = BFD_ADMIN_DOWN; s <= BFD_UP; s++)
			prom_u64(m, &v[i].l, "state", bfd_state_name(s),
			    bfd_sess_state(b) == (enum bfd_state)s);
	}
	prom_family(m, "tbgpd_peer_liveness_downs_total", PROM_COUNTER,
	    "Times a liveness mechanism (tcp, icmp, bfd) closed the session.");
	for (i = 0; i < n; i++)
		prom_u64(m, &v[i].l, NULL, NULL, v[i].p->live_downs);
}

/* --- kernel --- */

static void
mf_fib_errnos(struct prom *m, const struct fib_stats *fs)
{
	const char	*name;
	char		 num[16];
	int		 e;

	prom_family(m, "tbgpd_fib_errors_total", PROM_COUNTER,
	    "Kernel route requests that failed, by errno.");
	for (e = 0; e < FIB_ERRNO_SLOTS; e++) {
		if (fs->errnos[e] == 0)
			continue;
		if (e == 0)
			name = "other";
		else if ((name = strerrorname_np(e)) == NULL) {
			snprintf(num, sizeof(num), "%d", e);
			name = num;
		}
		prom_u64(m, NULL, "errno", name, fs->errnos[e]);
	}
}

static void
mf_fib(struct prom *m)
{
	struct fib		*f = kernel_fib();
	struct fib_stats	 fs;

	if (f == NULL)
		return;
	fib_stats(f, &fs);
	prom_family(m, "tbgpd_fib_routes_installed", PROM_GAUGE,
	    "Routes the kernel has as tbgpd wants them.");
	prom_u64(m, NULL, NULL, NULL, fs.installed);
	prom_family(m, "tbgpd_fib_routes_pending", PROM_GAUGE,
	    "Route changes waiting for the kernel: queued, plus requests "
	    "without an answer yet.");
	prom_u64(m, NULL, NULL, NULL, fs.queued + fs.inflight);
	prom_family(m, "tbgpd_fib_routes_failed", PROM_GAUGE,
	    "Routes whose last kernel request failed.");
	prom_u64(m, NULL, NULL, NULL, fs.failed);
	prom_family(m, "tbgpd_fib_requests_total", PROM_COUNTER,
	    "Route requests written to the kernel.");
	prom_u64(m, NULL, NULL, NULL, fs.requests);
	prom_family(m, "tbgpd_fib_repairs_total", PROM_COUNTER,
	    "Routes written again after the kernel lost or changed them.");
	prom_u64(m, NULL, NULL, NULL, fs.repairs);
	mf_fib_errnos(m, &fs);
}

/* --- process --- */

static uint64_t
mf_rss(void)
{
	unsigned long	 size, rss;
	FILE		*f;
	int		 n;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &rss);
	fclose(f);
	return n == 2 ? (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static void
mf_process(struct prom *m, const struct metrics_stats *st)
{
	struct rib_stats	 rs;
	int			 aid;

	prom_family(m, "tbgpd_build_info", PROM_GAUGE,
	    "tbgpd's version, in the label; always 1.");
	prom_u64(m, NULL, "version", PACKAGE_VERSION, 1);
	prom_family(m, "tbgpd_start_time_seconds", PROM_GAUGE,
	    "When tbgpd started, in seconds since the epoch.");
	prom_u64(m, NULL, NULL, NULL, (uint64_t)st->started);
	prom_family(m, "tbgpd_resident_memory_bytes", PROM_GAUGE,
	    "Resident memory of the tbgpd process.");
	prom_u64(m, NULL, NULL, NULL, mf_rss());
	if (rde_rib() == NULL)
		return;
	rib_stats(rde_rib(), &rs);
	prom_family(m, "tbgpd_rib_entries", PROM_GAUGE,
	    "Prefixes in the RIB, by address family.");
	for (aid = 0; aid < AID_MAX; aid++)
		prom_u64(m, NULL, "family", mf_family(aid), rs.entries[aid]);
	prom_family(m, "tbgpd_rib_paths", PROM_GAUGE,
	    "Paths in the RIB, every neighbor's and local ones.");
	prom_u64(m, NULL, NULL, NULL, rs.paths);
	prom_family(m, "tbgpd_rib_attribute_sets", PROM_GAUGE,
	    "Distinct path attribute sets in use (interned).");
	prom_u64(m, NULL, NULL, NULL, attr_count());
	prom_family(m, "tbgpd_rib_memory_bytes", PROM_GAUGE,
	    "Memory the RIB's tables, entries and paths hold.");
	prom_u64(m, NULL, NULL, NULL, rs.bytes);
}

static void
mf_mrt(struct prom *m)
{
	static const char *const names[] = { "all", "updates", "routes-mrt" };
	const struct mrt_stats	*st = mrt_stats();
	int			 k;

	prom_family(m, "tbgpd_mrt_records_total", PROM_COUNTER,
	    "MRT records made, by dump (dump bgp).");
	for (k = 0; k < MRT_DUMP_KINDS; k++)
		if (st->active[k])
			prom_u64(m, NULL, "dump", names[k], st->records[k]);
	prom_family(m, "tbgpd_mrt_written_bytes_total", PROM_COUNTER,
	    "Octets of MRT records written, by dump.");
	for (k = 0; k < MRT_DUMP_KINDS; k++)
		if (st->active[k])
			prom_u64(m, NULL, "dump", names[k], st->bytes[k]);
	prom_family(m, "tbgpd_mrt_write_errors_total", PROM_COUNTER,
	    "MRT writes that failed (their records dropped).");
	prom_u64(m, NULL, NULL, NULL, st->write_errors);
	prom_family(m, "tbgpd_mrt_table_dumps_total", PROM_COUNTER,
	    "Table dumps (routes-mrt) completed.");
	prom_u64(m, NULL, NULL, NULL, st->tables);
	prom_family(m, "tbgpd_mrt_table_dump_seconds", PROM_GAUGE,
	    "How long the last table dump took to write.");
	prom_double(m, NULL, NULL, NULL, st->last_table_ms / 1000.0);
}

static void
mf_self(struct prom *m, const struct metrics_stats *st)
{
	struct ctl_counts		 rw, ro;

	prom_family(m, "tbgpd_metrics_scrapes_total", PROM_COUNTER,
	    "Scrapes of this endpoint answered.");
	prom_u64(m, NULL, NULL, NULL, st->scrapes);
	prom_family(m, "tbgpd_metrics_bad_requests_total", PROM_COUNTER,
	    "Requests of this endpoint refused: not GET or HEAD of /metrics "
	    "(404, 405), or gone unanswered (headers too long, malformed, "
	    "timed out).");
	prom_u64(m, NULL, NULL, NULL, st->refused + st->unserved);
	prom_family(m, "tbgpd_metrics_clients", PROM_GAUGE,
	    "HTTP clients of this endpoint connected now.");
	prom_u64(m, NULL, NULL, NULL, st->clients);
	ctl_counts(0, &rw);
	ctl_counts(1, &ro);
	prom_family(m, "tbgpd_ctl_clients", PROM_GAUGE,
	    "Shell (control socket) clients connected now, by socket.");
	prom_u64(m, NULL, "socket", "read-write", (uint64_t)rw.clients);
	prom_u64(m, NULL, "socket", "read-only", (uint64_t)ro.clients);
}

void
metrics_collect_free(void)
{
	struct mifname	*n;

	while ((n = TAILQ_FIRST(&mifnames)) != NULL) {
		TAILQ_REMOVE(&mifnames, n, entry);
		free(n);
	}
}

void
metrics_collect(struct buf *b, const struct metrics_stats *st)
{
	struct prom	 m;
	struct mpeer	*v;
	size_t		 n;

	prom_init(&m, b);
	if ((v = mf_peers(&n)) == NULL) {
		buf_put(b, NULL, SIZE_MAX);	/* out of memory: an error */
		return;
	}
	mf_session(&m, v, n);
	mf_messages(&m, v, n, 0);
	mf_messages(&m, v, n, 1);
	mf_notify(&m, v, n, 1);
	mf_notify(&m, v, n, 0);
	mf_last_down(&m, v, n);
	mf_prefixes(&m, v, n, 0);
	mf_prefixes(&m, v, n, 1);
	mf_prefixes(&m, v, n, 2);
	mf_updates(&m, v, n);
	mf_probe(&m, v, n);
	mf_bfd(&m, v, n);
	free(v);
	mf_fib(&m);
	mf_process(&m, st);
	mf_mrt(&m);
	mf_self(&m, st);
}
