/*
 * mrt.c: the MRT dumps (see mrt.h).
 *
 * A message dump (all, updates) keeps its records in memory and writes
 * them when MRT_FLUSH_BYTES have gathered or a second has passed, and
 * before the file changes; a write that fails is logged once (until a
 * write succeeds again) and its records are dropped, so a full disk
 * costs neither memory nor the sessions.  Files are opened for appending:
 * a restart, or an interval that names the same file again, adds to it.
 *
 * A table dump (routes-mrt) takes the RIB's entries when it starts,
 * holding each (rib_entry_ref) until written, and writes MRT_SLICE of
 * them per event-loop turn into NAME.part, renamed to NAME when
 * complete, so a reader never sees half a table.  Prefixes withdrawn
 * meanwhile are left out, paths that changed are written as they are
 * when their turn comes.  The peer index lists this router (index 0,
 * for locally originated paths) and every configured neighbor.
 *
 * With an interval, files start at multiples of it counted from local
 * midnight when a day holds a whole number of intervals (as FRR does),
 * otherwise every interval from now.
 */
#include "config.h"

#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "attr.h"
#include "hook.h"
#include "log.h"
#include "mrt.h"
#include "mrt_enc.h"
#include "peer.h"
#include "rde.h"
#include "rib.h"

#define MRT_FLUSH_BYTES		(256 * 1024)
#define MRT_BUF_MAX		(8u * 1024 * 1024)	/* then dropped */
#define MRT_SLICE		4096	/* RIB entries per turn */
#define MRT_TABLE_WRITE		(1024 * 1024)
#define MRT_MODE		0640

struct mrt_table {
	struct rib_entry	**v;
	size_t			 n, next;
	struct peer		**peers;	/* index i + 1 */
	size_t			 npeers;
	uint32_t		 seq;
	uint32_t		 paths;
	struct timespec		 t0;
	char			 part[PATH_MAX + 8];
};

struct mrt_dump {
	int			 kind;		/* enum mrt_kind */
	struct mrt_dump_config	 conf;
	char			 name[PATH_MAX];	/* expanded */
	int			 fd;		/* -1: none */
	int			 failing;	/* a write failed, said so */
	struct buf		 out;
	struct event		*t_rotate;
	struct event		*t_flush;
	struct event		*t_slice;
	struct mrt_table	*table;		/* routes-mrt under way */
};

static struct {
	struct event_base	*base;
	struct mrt_dump		 d[MRT_DUMP_KINDS];
	struct mrt_stats	 st;
	int			 hooked;
} mrt;

static const char *const mrt_kind_names[] = { "all", "updates", "routes-mrt" };

const struct mrt_stats *
mrt_stats(void)
{
	return &mrt.st;
}

/* --- files --- */

/* The file name for now: strftime(3) of the configured path. */
static int
mrt_expand(const struct mrt_dump *d, char *out, size_t len)
{
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 n = 0;

	/* The format is the operator's, by design (FRR's escapes). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (localtime_r(&now, &tm) != NULL)
		n = strftime(out, len, d->conf.path, &tm);
#pragma GCC diagnostic pop
	if (n == 0) {
		log_warnx("MRT %s: cannot make a file name of %s",
		    mrt_kind_names[d->kind], d->conf.path);
		return -1;
	}
	return 0;
}

static int
mrt_write(struct mrt_dump *d, int fd, const uint8_t *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
mrt_write_failed(struct mrt_dump *d, const char *name, size_t lost)
{
	mrt.st.write_errors++;
	if (d->failing)
		return;
	d->failing = 1;
	log_warn("MRT %s: cannot write %s (%zu octets of records dropped; "
	    "said once until a write succeeds)", mrt_kind_names[d->kind], name,
	    lost);
}

static void
mrt_flush(struct mrt_dump *d)
{
	if (buf_len(&d->out) == 0)
		return;
	if (d->fd == -1 || mrt_write(d, d->fd, buf_data(&d->out),
	    buf_len(&d->out)) == -1)
		mrt_write_failed(d, d->name, buf_len(&d->out));
	else {
		mrt.st.bytes[d->kind] += buf_len(&d->out);
		if (d->failing)
			log_info("MRT %s: writing %s again",
			    mrt_kind_names[d->kind], d->name);
		d->failing = 0;
	}
	buf_reset(&d->out);
}

static void
mrt_flush_cb(evutil_socket_t fd, short ev, void *arg)
{
	mrt_flush(arg);
}

static void
mrt_close(struct mrt_dump *d)
{
	mrt_flush(d);
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
}

static void
mrt_open(struct mrt_dump *d)
{
	mrt_close(d);
	if (mrt_expand(d, d->name, sizeof(d->name)) == -1)
		return;
	d->fd = open(d->name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    MRT_MODE);
	if (d->fd == -1)
		log_warn("MRT %s: cannot open %s", mrt_kind_names[d->kind],
		    d->name);
	else
		log_info("MRT %s: dumping to %s", mrt_kind_names[d->kind],
		    d->name);
}

/* Seconds to the next file: at a multiple of the interval since local
 * midnight when the day has a whole number of them. */
static uint32_t
mrt_next_interval(uint32_t interval)
{
	time_t		 now = time(NULL);
	struct tm	 tm;
	uint32_t	 into;

	if (interval >= 86400 || 86400 % interval != 0 ||
	    localtime_r(&now, &tm) == NULL)
		return interval;
	into = (uint32_t)(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	return interval - into % interval;
}

static void
mrt_schedule(struct mrt_dump *d)
{
	struct timeval	 tv = { 0, 0 };

	if (d->conf.interval == 0)
		return;
	tv.tv_sec = mrt_next_interval(d->conf.interval);
	evtimer_add(d->t_rotate, &tv);
}

/* --- records --- */

static void
mrt_now(struct mrt_time *t, int et)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	t->sec = (uint32_t)tv.tv_sec;
	t->usec = (uint32_t)tv.tv_usec;
	t->et = et;
}

static void
mrt_session(const struct peer *p, struct mrt_session *s)
{
	uint32_t	 as = msg_open_peer_as(&p->open_rcvd);

	memset(s, 0, sizeof(*s));
	s->peer = p->conf->remote;
	if (p->local_addr.af == p->conf->remote.af)
		s->local = p->local_addr;
	s->peer_as = as != 0 ? as : p->conf->remote_as;
	s->local_as = p->bconf->as;
	s->ifindex = p->ifindex > 0 && p->ifindex <= 0xffff ?
	    (uint16_t)p->ifindex : 0;
}

/* A record was appended to d->out. */
static void
mrt_added(struct mrt_dump *d)
{
	struct timeval	 second = { 1, 0 };

	mrt.st.records[d->kind]++;
	if (buf_error(&d->out)) {
		/* Nothing written for a long time: the oldest go. */
		mrt_write_failed(d, d->name, buf_len(&d->out));
		buf_reset(&d->out);
		return;
	}
	if (buf_len(&d->out) >= MRT_FLUSH_BYTES)
		mrt_flush(d);
	else if (!evtimer_pending(d->t_flush, NULL))
		evtimer_add(d->t_flush, &second);
}

static void
mrt_hook_state(void *arg, struct peer *p, const struct hook_peer_event *e)
{
	struct mrt_dump		*d = &mrt.d[MRT_DUMP_ALL];
	struct mrt_session	 s;
	struct mrt_time		 t;

	if (d->conf.path[0] == '\0')
		return;
	mrt_now(&t, d->conf.et);
	mrt_session(p, &s);
	/* RFC 6396 4.4.1: 1 Idle ... 6 Established. */
	mrt_state_change(&d->out, &t, &s, (uint16_t)(e->from + 1),
	    (uint16_t)(e->to + 1));
	mrt_added(d);
}

static void
mrt_hook_msg(void *arg, struct peer *p, uint8_t type, const uint8_t *body,
    size_t len)
{
	struct mrt_session	 s;
	struct mrt_time		 t;
	struct mrt_dump		*d;
	int			 k, as4;

	/* A 2-octet session's UPDATEs have 2-octet AS_PATHs: MESSAGE, not
	 * MESSAGE_AS4 (the other types do not care). */
	as4 = type != BGP_UPDATE || p->as4;
	for (k = MRT_DUMP_ALL; k <= MRT_DUMP_UPDATES; k++) {
		d = &mrt.d[k];
		if (d->conf.path[0] == '\0' ||
		    (k == MRT_DUMP_UPDATES && type != BGP_UPDATE))
			continue;
		mrt_now(&t, d->conf.et);
		mrt_session(p, &s);
		mrt_message(&d->out, &t, &s, as4, type, body, len);
		mrt_added(d);
	}
}

static const struct hook_ops mrt_hooks = {
	.peer_state = mrt_hook_state,
	.msg_in = mrt_hook_msg,
};

/* --- the table --- */

static void
mrt_collect(struct rib_entry *e, void *arg)
{
	struct mrt_table	*t = arg;

	if (e->paths == NULL)
		return;
	rib_entry_ref(e);
	t->v[t->n++] = e;
}

static void
mrt_table_free(struct mrt_table *t)
{
	size_t	 i;

	for (i = t->next; i < t->n; i++)
		rib_entry_unref(rde_rib(), t->v[i]);
	free(t->v);
	free(t->peers);
	free(t);
}

static void
mrt_table_abort(struct mrt_dump *d)
{
	if (d->table == NULL)
		return;
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
	unlink(d->table->part);
	mrt_table_free(d->table);
	d->table = NULL;
	buf_reset(&d->out);
}

static uint16_t
mrt_peer_index_of(const struct mrt_table *t, const struct rib_src *src)
{
	size_t	 i;

	if (src->local)
		return 0;
	/* A neighbor's paths come from the RDE's side of it. */
	for (i = 0; i < t->npeers; i++)
		if (t->peers[i]->rde != NULL && (const void *)t->peers[i]->rde ==
		    src->owner)
			return (uint16_t)(i + 1);
	return UINT16_MAX;
}

/* The peer index table: this router, then every neighbor. */
static void
mrt_table_index(struct mrt_dump *d, struct mrt_table *t, uint32_t sec)
{
	const struct rib_src	*local = rde_local_src();
	struct mrt_index_peer	*ip;
	struct peer		*p;
	size_t			 i = 0;

	TAILQ_FOREACH(p, &peers, entry)
		t->npeers++;
	if ((t->peers = calloc(t->npeers + 1, sizeof(*t->peers))) == NULL ||
	    (ip = calloc(t->npeers + 1, sizeof(*ip))) == NULL)
		fatal("mrt");
	addr_parse("0.0.0.0", &ip[0].addr);
	ip[0].bgp_id = local->bgp_id;
	ip[0].as = local->as;
	TAILQ_FOREACH(p, &peers, entry) {
		t->peers[i++] = p;
		ip[i].addr = p->conf->remote;
		ip[i].bgp_id = p->remote_id;
		ip[i].as = msg_open_peer_as(&p->open_rcvd) != 0 ?
		    msg_open_peer_as(&p->open_rcvd) : p->conf->remote_as;
	}
	mrt_peer_index(&d->out, sec, local->bgp_id, "", ip, t->npeers + 1);
	free(ip);
}

static void
mrt_table_entry(struct mrt_dump *d, struct mrt_table *t,
    struct rib_entry *e, uint32_t wall, uint32_t mono)
{
	const struct rib_path	*p;
	struct tb_prefix	 pfx;
	struct mrt_rib		 r;
	uint16_t		 idx;

	for (p = e->paths; p != NULL; p = p->next)
		if (p->attr != NULL &&
		    mrt_peer_index_of(t, p->src) != UINT16_MAX)
			break;
	if (p == NULL)
		return;		/* only denied paths, or a new neighbor's */
	rib_entry_prefix(e, &pfx);
	mrt_rib_begin(&d->out, &r, wall, t->seq, &pfx);
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->attr == NULL ||
		    (idx = mrt_peer_index_of(t, p->src)) == UINT16_MAX)
			continue;
		mrt_rib_entry(&d->out, &r, idx, wall - (mono - p->since),
		    p->attr);
	}
	mrt_rib_end(&d->out, &r);
	t->seq++;
	t->paths += r.count;
}

static uint32_t
mrt_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_sec;
}

static void
mrt_table_done(struct mrt_dump *d)
{
	struct mrt_table	*t = d->table;
	struct timespec		 t1;

	if (d->fd != -1 && close(d->fd) == -1)
		mrt_write_failed(d, t->part, 0);
	d->fd = -1;
	if (rename(t->part, d->name) == -1) {
		log_warn("MRT routes-mrt: cannot rename %s to %s", t->part,
		    d->name);
		unlink(t->part);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		mrt.st.tables++;
		mrt.st.last_table_ms = (uint32_t)((t1.tv_sec - t->t0.tv_sec) *
		    1000 + (t1.tv_nsec - t->t0.tv_nsec) / 1000000);
		mrt.st.last_table_prefixes = t->seq;
		log_info("MRT routes-mrt: %s written: %u prefixes, %u paths, "
		    "%u ms", d->name, t->seq, t->paths, mrt.st.last_table_ms);
	}
	mrt_table_free(t);
	d->table = NULL;
}

/* One slice of the table; the next one in the next turn. */
static void
mrt_slice_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mrt_dump		*d = arg;
	struct mrt_table	*t = d->table;
	struct timeval		 now = { 0, 0 };
	uint32_t		 wall = (uint32_t)time(NULL), mono = mrt_mono();
	size_t			 end;

	if (t == NULL)
		return;
	end = t->next + MRT_SLICE < t->n ? t->next + MRT_SLICE : t->n;
	for (; t->next < end; t->next++) {
		if (t->v[t->next]->paths != NULL)
			mrt_table_entry(d, t, t->v[t->next], wall, mono);
		rib_entry_unref(rde_rib(), t->v[t->next]);
		if (buf_len(&d->out) >= MRT_TABLE_WRITE)
			mrt_flush(d);
	}
	mrt_flush(d);
	if (t->next < t->n)
		evtimer_add(d->t_slice, &now);
	else
		mrt_table_done(d);
}

static void
mrt_table_start(struct mrt_dump *d)
{
	struct mrt_table	*t;
	struct rib_stats	 rs;
	struct timeval		 now = { 0, 0 };
	int			 aid;

	if (d->table != NULL) {
		log_warnx("MRT routes-mrt: the dump to %s is still being "
		    "written: this one is skipped", d->name);
		return;
	}
	if (rde_rib() == NULL || mrt_expand(d, d->name, sizeof(d->name)) == -1)
		return;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		fatal("mrt");
	if (snprintf(t->part, sizeof(t->part), "%s.part", d->name) >=
	    (int)sizeof(t->part)) {
		log_warnx("MRT routes-mrt: file name too long: %s", d->name);
		free(t);
		return;
	}
	if ((d->fd = open(t->part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    MRT_MODE)) == -1) {
		log_warn("MRT routes-mrt: cannot open %s", t->part);
		free(t);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	rib_stats(rde_rib(), &rs);
	for (aid = 0; aid < AID_MAX; aid++)
		t->n += rs.entries[aid];
	if ((t->v = calloc(t->n ? t->n : 1, sizeof(*t->v))) == NULL)
		fatal("mrt");
	t->n = 0;
	for (aid = 0; aid < AID_MAX; aid++)
		rib_walk(rde_rib(), aid, mrt_collect, t);
	d->table = t;
	mrt_table_index(d, t, (uint32_t)time(NULL));
	evtimer_add(d->t_slice, &now);
}

/* --- timers, configuration --- */

static void
mrt_rotate_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct mrt_dump	*d = arg;

	if (d->kind == MRT_DUMP_ROUTES)
		mrt_table_start(d);
	else
		mrt_open(d);
	mrt_schedule(d);
}

static void
mrt_stop(struct mrt_dump *d)
{
	if (d->conf.path[0] == '\0')
		return;
	mrt_table_abort(d);
	mrt_close(d);
	evtimer_del(d->t_rotate);
	evtimer_del(d->t_flush);
	evtimer_del(d->t_slice);
	log_info("MRT %s: no longer dumping to %s", mrt_kind_names[d->kind],
	    d->conf.path);
	memset(&d->conf, 0, sizeof(d->conf));
	mrt.st.active[d->kind] = 0;
}

static void
mrt_start(struct mrt_dump *d, const struct mrt_dump_config *c)
{
	d->conf = *c;
	mrt.st.active[d->kind] = 1;
	if (d->kind == MRT_DUMP_ROUTES)
		/* Once now, as FRR does, and at every interval. */
		mrt_table_start(d);
	else
		mrt_open(d);
	mrt_schedule(d);
}

void
mrt_reconfigure(const struct bgpd_config *conf)
{
	struct mrt_dump	*d;
	int		 k;

	if (mrt.base == NULL)
		return;
	for (k = 0; k < MRT_DUMP_KINDS; k++) {
		d = &mrt.d[k];
		if (memcmp(&d->conf, &conf->dumps[k], sizeof(d->conf)) == 0)
			continue;
		mrt_stop(d);
		if (conf->dumps[k].path[0] != '\0')
			mrt_start(d, &conf->dumps[k]);
	}
}

void
mrt_init(struct event_base *base, const struct bgpd_config *conf)
{
	struct mrt_dump	*d;
	int		 k;

	mrt.base = base;
	for (k = 0; k < MRT_DUMP_KINDS; k++) {
		d = &mrt.d[k];
		d->kind = k;
		d->fd = -1;
		if (buf_init(&d->out, 64 * 1024, MRT_BUF_MAX) == -1 ||
		    (d->t_rotate = evtimer_new(base, mrt_rotate_cb, d)) ==
		    NULL ||
		    (d->t_flush = evtimer_new(base, mrt_flush_cb, d)) == NULL ||
		    (d->t_slice = evtimer_new(base, mrt_slice_cb, d)) == NULL)
			fatal("mrt");
	}
	hook_register(&mrt_hooks, NULL);
	mrt.hooked = 1;
	mrt_reconfigure(conf);
}

void
mrt_shutdown(void)
{
	struct mrt_dump	*d;
	int		 k;

	if (mrt.base == NULL)
		return;
	for (k = 0; k < MRT_DUMP_KINDS; k++) {
		d = &mrt.d[k];
		mrt_stop(d);
		buf_free(&d->out);
		event_free(d->t_rotate);
		event_free(d->t_flush);
		event_free(d->t_slice);
	}
	if (mrt.hooked)
		hook_unregister(&mrt_hooks, NULL);
	memset(&mrt, 0, sizeof(mrt));
}
