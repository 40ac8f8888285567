/*
 * track: shared probes and BFD sessions for any client (see track.h).
 *
 * Owns the list of engines in use, each with its key, its probe or BFD
 * session, its last verdict and the references of its clients.  An
 * engine lives while a reference does; it starts as soon as its
 * interface is known and is retried on interface and address events.
 */
#include "config.h"

#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"
#include "log.h"
#include "track.h"

struct track;

struct track_ref {
	TAILQ_ENTRY(track_ref)	 entry;
	struct track		*t;
	track_cb		 cb;
	void			*arg;
};

struct track {
	TAILQ_ENTRY(track)	 entry;
	struct track_key	 key;
	struct probe		*probe;
	struct bfd_sess		*bfd;
	enum track_state	 state;
	char			 why[160];
	char			 ifname[IF_NAMESIZE];	/* where it runs */
	int			 failed;	/* errno of a failed start */
	int			 firing;	/* inside the callbacks */
	TAILQ_HEAD(, track_ref)	 refs;
	unsigned		 nrefs;
};

static TAILQ_HEAD(, track) tracks = TAILQ_HEAD_INITIALIZER(tracks);
static struct event_base	*track_base;
static struct kif		*track_kif;	/* NULL: not followed */
static int			 track_bfd_ok = -1;	/* bfd_init: -1 not
							 * yet */

const char *
track_state_name(enum track_state st)
{
	switch (st) {
	case TRACK_UP:
		return "up";
	case TRACK_DOWN:
		return "down";
	default:
		return "init";
	}
}

/* ICMP engines are shared when everything is equal; BFD sessions when
 * they run to the same peer the same way (one per peer and interface:
 * the first client's timers stand). */
static int
track_key_eq(const struct track_key *a, const struct track_key *b)
{
	if (a->kind != b->kind || addr_cmp(&a->dst, &b->dst) != 0 ||
	    addr_cmp(&a->src, &b->src) != 0 ||
	    addr_cmp(&a->via, &b->via) != 0 ||
	    strcmp(a->ifname, b->ifname) != 0)
		return 0;
	if (a->kind == TRACK_BFD)
		return 1;
	return a->icmp.interval_ms == b->icmp.interval_ms &&
	    a->icmp.multiplier == b->icmp.multiplier &&
	    a->icmp.up_count == b->icmp.up_count;
}

static const char *
track_kind_name(const struct track *t)
{
	return t->key.kind == TRACK_BFD ? "BFD" : "ICMP probe";
}

/* ---- verdicts ---- */

static void
track_free_engine(struct track *t)
{
	TAILQ_REMOVE(&tracks, t, entry);
	probe_free(t->probe);
	if (t->bfd != NULL)
		bfd_sess_free(t->bfd);	/* AdminDown: not a failure */
	free(t);
}

/* Every client hears it; one may free its own reference meanwhile. */
static void
track_fire(struct track *t, enum track_state st, const char *why)
{
	struct track_ref	*r, *next;

	t->state = st;
	strlcpy(t->why, why, sizeof(t->why));
	t->firing++;
	TAILQ_FOREACH_SAFE(r, &t->refs, entry, next)
		r->cb(r, st, why, r->arg);
	t->firing--;
	if (t->firing == 0 && t->nrefs == 0)
		track_free_engine(t);
}

static void
track_probe_cb(struct probe *pr, enum probe_state st, const char *why,
    void *arg)
{
	struct track	*t = arg;

	(void)pr;
	track_fire(t, st == PROBE_UP ? TRACK_UP : st == PROBE_DOWN ?
	    TRACK_DOWN : TRACK_INIT, why);
}

static void
track_bfd_cb(struct bfd_sess *bs, enum bfd_state st, const char *why,
    void *arg)
{
	struct track	*t = arg;
	struct bfd_info	 bi;

	if (st == BFD_UP) {
		if (t->state != TRACK_UP)
			track_fire(t, TRACK_UP, why);
		return;
	}
	/* Only a session that was Up can fail; Init is no verdict. */
	if (st != BFD_DOWN || t->state != TRACK_UP)
		return;
	bfd_sess_info(bs, &bi);
	if (bi.remote_state == BFD_ADMIN_DOWN) {
		/* RFC 5882 3.2: the peer turned BFD off; the path may
		 * well work. */
		log_info("BFD with %s: the peer signalled AdminDown; not a "
		    "path failure, still counted up", addr_str(&t->key.dst));
		return;
	}
	track_fire(t, TRACK_DOWN, why);
}

/* ---- starting ---- */

/* The interface the engine runs over, NULL while unknown. */
static const char *
track_resolve(const struct track *t)
{
	const struct kif_link	*l;
	const struct tb_addr	*via;
	int			 ifindex;

	if (t->key.ifname[0] != '\0')
		return t->key.ifname;
	via = addr_isset(&t->key.via) ? &t->key.via : &t->key.dst;
	if (track_kif == NULL ||
	    !kif_connected(track_kif, via, &ifindex) ||
	    (l = kif_get(track_kif, ifindex)) == NULL)
		return NULL;
	return l->name;
}

static void
track_start_failed(struct track *t, const char *ifname)
{
	/* Said once per cause; an interface or address event retries. */
	if (t->failed != errno)
		log_warnx("cannot start the %s to %s%s%s: %s%s",
		    track_kind_name(t), addr_str(&t->key.dst),
		    ifname != NULL ? " over " : "", ifname != NULL ? ifname :
		    "", strerror(errno), t->key.kind == TRACK_ICMP &&
		    (errno == EPERM || errno == EACCES) ? " (needs CAP_NET_RAW "
		    "or net.ipv4.ping_group_range)" : "");
	t->failed = errno;
}

static void
track_start_icmp(struct track *t)
{
	const char	*ifname = track_resolve(t);

	if (t->probe != NULL || ifname == NULL)
		return;
	t->probe = probe_new(track_base, &t->key.dst,
	    addr_isset(&t->key.src) ? &t->key.src : NULL, ifname,
	    &t->key.icmp, track_probe_cb, t);
	if (t->probe == NULL) {
		track_start_failed(t, ifname);
		return;
	}
	t->failed = 0;
	strlcpy(t->ifname, ifname, sizeof(t->ifname));
	log_info("ICMP probes to %s every %u ms over %s (%s socket)",
	    addr_str(&t->key.dst), t->key.icmp.interval_ms, ifname,
	    probe_socket_kind(t->probe));
}

static void
track_start_bfd(struct track *t)
{
	const char	*ifname;

	if (t->bfd != NULL)
		return;
	if (track_bfd_ok == -1)
		track_bfd_ok = bfd_init(track_base) == 0;
	if (!track_bfd_ok)
		return;
	/* An interface not known yet: the session runs on any. */
	ifname = track_resolve(t);
	t->bfd = bfd_sess_new(&t->key.dst, addr_isset(&t->key.src) ?
	    &t->key.src : NULL, ifname, &t->key.bfd, track_bfd_cb, t);
	if (t->bfd == NULL) {
		track_start_failed(t, ifname);
		return;
	}
	t->failed = 0;
	strlcpy(t->ifname, ifname != NULL ? ifname : "", sizeof(t->ifname));
	log_info("BFD with %s%s%s: %u/%u ms x %u", addr_str(&t->key.dst),
	    ifname != NULL ? " over " : "", ifname != NULL ? ifname : "",
	    t->key.bfd.min_tx_ms, t->key.bfd.min_rx_ms,
	    t->key.bfd.multiplier);
}

static void
track_start(struct track *t)
{
	if (t->key.kind == TRACK_ICMP)
		track_start_icmp(t);
	else
		track_start_bfd(t);
}

void
track_sync(void)
{
	struct track	*t;

	TAILQ_FOREACH(t, &tracks, entry)
		track_start(t);
}

static void
track_ifevent(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	(void)k;
	(void)ch;
	(void)ifindex;
	(void)a;
	(void)arg;
	track_sync();
}

/* ---- references ---- */

static int
track_key_ok(const struct track_key *k)
{
	if (k->dst.af != AF_INET && k->dst.af != AF_INET6)
		return 0;
	if (k->kind == TRACK_ICMP)
		return k->icmp.interval_ms > 0 && k->icmp.multiplier > 0;
	return k->kind == TRACK_BFD && k->bfd.min_tx_ms > 0 &&
	    k->bfd.min_rx_ms > 0 && k->bfd.multiplier > 0;
}

struct track_ref *
track_new(const struct track_key *key, track_cb cb, void *arg)
{
	struct track		*t;
	struct track_ref	*r;

	if (!track_key_ok(key)) {
		errno = EINVAL;
		return NULL;
	}
	TAILQ_FOREACH(t, &tracks, entry)
		if (track_key_eq(&t->key, key))
			break;
	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			fatal("track");
		t->key = *key;
		TAILQ_INIT(&t->refs);
		TAILQ_INSERT_TAIL(&tracks, t, entry);
	} else if (key->kind == TRACK_BFD && memcmp(&t->key.bfd, &key->bfd,
	    sizeof(key->bfd)) != 0)
		log_warnx("BFD with %s: one session per peer, asked for with "
		    "other timers: %u/%u ms x %u stand", addr_str(&key->dst),
		    t->key.bfd.min_tx_ms, t->key.bfd.min_rx_ms,
		    t->key.bfd.multiplier);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("track");
	r->t = t;
	r->cb = cb;
	r->arg = arg;
	TAILQ_INSERT_TAIL(&t->refs, r, entry);
	t->nrefs++;
	if (track_base != NULL)
		track_start(t);
	return r;
}

void
track_free(struct track_ref *r)
{
	struct track	*t;

	if (r == NULL)
		return;
	t = r->t;
	TAILQ_REMOVE(&t->refs, r, entry);
	t->nrefs--;
	free(r);
	if (t->nrefs == 0 && t->firing == 0)
		track_free_engine(t);
}

enum track_state
track_state(const struct track_ref *r)
{
	return r->t->state;
}

const char *
track_why(const struct track_ref *r)
{
	return r->t->why;
}

const char *
track_ifname(const struct track_ref *r)
{
	return r->t->ifname;
}

int
track_errno(const struct track_ref *r)
{
	return r->t->failed;
}

const struct probe *
track_probe(const struct track_ref *r)
{
	return r->t->probe;
}

const struct bfd_sess *
track_bfd(const struct track_ref *r)
{
	return r->t->bfd;
}

unsigned
track_refs(const struct track_ref *r)
{
	return r->t->nrefs;
}

/* ---- life ---- */

void
track_init(struct event_base *base, struct kif *kif)
{
	track_base = base;
	track_kif = kif;
	if (kif != NULL)
		kif_add_handler(kif, track_ifevent, NULL);
	track_sync();
}

void
track_shutdown(void)
{
	struct track		*t;
	struct track_ref	*r;

	if (track_kif != NULL)
		kif_remove_handler(track_kif, track_ifevent, NULL);
	track_kif = NULL;
	while ((t = TAILQ_FIRST(&tracks)) != NULL) {
		while ((r = TAILQ_FIRST(&t->refs)) != NULL) {
			TAILQ_REMOVE(&t->refs, r, entry);
			free(r);
		}
		track_free_engine(t);
	}
	if (track_bfd_ok == 1)
		bfd_shutdown();
	track_bfd_ok = -1;
	track_base = NULL;
}
