/*
 * adjout: one neighbor's Adj-RIB-Out for one address family (adjout.h).
 *
 * Owns, per (neighbor, family), one record per prefix advertised or about
 * to be, and the groups of pending changes.  A record holds its RIB entry
 * (rib_entry_ref), the attribute set the neighbor has from us (sent, one
 * reference, NULL when nothing yet) and, while a change waits, its place
 * in the group of the attribute set it is to get.  Groups are keyed by
 * the interned attr pointer (interning makes pointer equality attribute
 * equality) and hold one reference to it; withdrawals have their own
 * group.  Flushing a group packs its prefixes into as few UPDATEs as
 * update_build() can (RFC 4271 9.2), so a burst of changes sharing
 * attributes costs a handful of messages however the changes came.
 *
 * Memory: a record is six pointers (48 octets on LP64) plus its hash
 * bucket; records and groups come from pools shared by every adjout.
 *
 * A change made while another waits replaces it (the prefix goes out
 * once, in its last state).  It is kept even when it brings the prefix
 * back to what was sent: after adjout_resend() (ROUTE-REFRESH, RFC 2918
 * 4) a waiting record looks exactly like that, and the neighbor asked for
 * it again.  Only an announcement never sent and then withdrawn is
 * forgotten outright: the neighbor never heard of it.
 */
#include "config.h"

#include <sys/queue.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "adjout.h"
#include "log.h"
#include "pool.h"
#include "update.h"

#define HASH_MIN	64	/* buckets; always a power of two */

/* What both hash tables chain: the first member of records and groups. */
struct hnode {
	struct hnode	*hnext;
	void		*key;
};

struct phash {
	struct hnode	**tab;
	size_t		  size;
	size_t		  n;
};

struct adjout_group;

struct adjout_rec {
	struct hnode		 h;		/* key: the rib_entry, held */
	struct attr		*sent;		/* what the neighbor has */
	struct adjout_group	*group;		/* pending: NULL if none */
	TAILQ_ENTRY(adjout_rec)	 glink;
};
TAILQ_HEAD(adjout_recs, adjout_rec);

struct adjout_group {
	struct hnode		 h;		/* key: the attr, held */
	struct attr		*attr;		/* h.key; NULL: withdrawals */
	struct adjout_recs	 recs;
	TAILQ_ENTRY(adjout_group) link;
};
TAILQ_HEAD(adjout_groups, adjout_group);

struct adjout {
	struct rib		*rib;
	enum aid		 aid;
	struct phash		 recs;		/* by entry */
	struct phash		 ghash;		/* groups by attr */
	struct adjout_groups	 groups;	/* flush order */
	struct adjout_group	 withdraw;
	size_t			 count;		/* advertised or to be */
	size_t			 npending;
	struct tb_prefix	*batch;		/* one message's prefixes */
	size_t			 batchsz;
};

static struct pool	 rec_pool, group_pool;
static int		 pools_ready;
static size_t		 nadjout;

/* Pointer hash ----------------------------------------------------------- */

static size_t
phash_slot(const struct phash *h, const void *key)
{
	uint64_t	 x = (uint64_t)(uintptr_t)key;

	x *= 0x9e3779b97f4a7c15ull;
	return (size_t)(x ^ (x >> 29)) & (h->size - 1);
}

static void
phash_init(struct phash *h)
{
	h->size = HASH_MIN;
	h->n = 0;
	if ((h->tab = calloc(h->size, sizeof(*h->tab))) == NULL)
		fatal("adjout hash");
}

static struct hnode *
phash_find(const struct phash *h, const void *key)
{
	struct hnode	*n;

	for (n = h->tab[phash_slot(h, key)]; n != NULL; n = n->hnext)
		if (n->key == key)
			return n;
	return NULL;
}

/* Doubling at one node per bucket keeps chains short. */
static void
phash_grow(struct phash *h)
{
	struct hnode	**old = h->tab, *n;
	size_t		  i, osize = h->size;

	h->size *= 2;
	if ((h->tab = calloc(h->size, sizeof(*h->tab))) == NULL)
		fatal("adjout hash");
	for (i = 0; i < osize; i++) {
		while ((n = old[i]) != NULL) {
			old[i] = n->hnext;
			n->hnext = h->tab[phash_slot(h, n->key)];
			h->tab[phash_slot(h, n->key)] = n;
		}
	}
	free(old);
}

static void
phash_add(struct phash *h, struct hnode *n)
{
	size_t	 s;

	if (h->n >= h->size)
		phash_grow(h);
	s = phash_slot(h, n->key);
	n->hnext = h->tab[s];
	h->tab[s] = n;
	h->n++;
}

static void
phash_del(struct phash *h, struct hnode *n)
{
	struct hnode	**pp;

	for (pp = &h->tab[phash_slot(h, n->key)]; *pp != NULL;
	    pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			h->n--;
			return;
		}
	}
	fatalx("adjout: hash node %p missing", (const void *)n);
}

/* Groups ----------------------------------------------------------------- */

static struct adjout_group *
group_get(struct adjout *ao, struct attr *attr)
{
	struct adjout_group	*g;

	if (attr == NULL)
		return &ao->withdraw;
	g = (struct adjout_group *)phash_find(&ao->ghash, attr);
	if (g != NULL)
		return g;
	g = pool_get(&group_pool);
	g->attr = g->h.key = attr_ref(attr);
	TAILQ_INIT(&g->recs);
	phash_add(&ao->ghash, &g->h);
	TAILQ_INSERT_TAIL(&ao->groups, g, link);
	return g;
}

static void
group_put(struct adjout *ao, struct adjout_group *g)
{
	if (g == &ao->withdraw || !TAILQ_EMPTY(&g->recs))
		return;
	phash_del(&ao->ghash, &g->h);
	TAILQ_REMOVE(&ao->groups, g, link);
	attr_unref(g->attr);
	pool_put(&group_pool, g);
}

/* Records ---------------------------------------------------------------- */

static struct rib_entry *
rec_entry(const struct adjout_rec *r)
{
	return r->h.key;
}

/* What the neighbor has or is about to get. */
static struct attr *
rec_attr(const struct adjout_rec *r)
{
	return r->group != NULL ? r->group->attr : r->sent;
}

static void
count_change(struct adjout *ao, const struct attr *before,
    const struct attr *after)
{
	ao->count += (after != NULL) - (before != NULL);
}

static struct adjout_rec *
rec_find(const struct adjout *ao, const struct rib_entry *e)
{
	return (struct adjout_rec *)phash_find(&ao->recs, e);
}

static struct adjout_rec *
rec_new(struct adjout *ao, struct rib_entry *e)
{
	struct adjout_rec	*r;

	r = pool_get(&rec_pool);
	rib_entry_ref(e);
	r->h.key = e;
	phash_add(&ao->recs, &r->h);
	return r;
}

static void
rec_unqueue(struct adjout *ao, struct adjout_rec *r)
{
	struct adjout_group	*g = r->group;

	if (g == NULL)
		return;
	TAILQ_REMOVE(&g->recs, r, glink);
	r->group = NULL;
	ao->npending--;
	group_put(ao, g);
}

/* Pending change to attr (NULL: withdraw); the caller's reference to
 * attr is consumed, the group keeps its own. */
static void
rec_queue(struct adjout *ao, struct adjout_rec *r, struct attr *attr)
{
	struct adjout_group	*g;

	count_change(ao, rec_attr(r), attr);
	g = group_get(ao, attr);
	if (attr != NULL)
		attr_unref(attr);
	if (r->group == g)
		return;
	rec_unqueue(ao, r);
	TAILQ_INSERT_TAIL(&g->recs, r, glink);
	r->group = g;
	ao->npending++;
}

static void
rec_free(struct adjout *ao, struct adjout_rec *r)
{
	count_change(ao, rec_attr(r), NULL);
	rec_unqueue(ao, r);
	phash_del(&ao->recs, &r->h);
	if (r->sent != NULL)
		attr_unref(r->sent);
	rib_entry_unref(ao->rib, rec_entry(r));
	pool_put(&rec_pool, r);
}

/* The pending change went out: the neighbor now has it. */
static void
rec_sent(struct adjout *ao, struct adjout_rec *r)
{
	struct attr	*now = r->group->attr;

	if (now == NULL) {
		rec_free(ao, r);
		return;
	}
	if (r->sent != NULL)
		attr_unref(r->sent);
	r->sent = attr_ref(now);
	rec_unqueue(ao, r);
}

/* Life ------------------------------------------------------------------- */

struct adjout *
adjout_new(struct rib *rib, enum aid aid)
{
	struct adjout	*ao;

	if (!pools_ready) {
		pool_init(&rec_pool, sizeof(struct adjout_rec), "adjout");
		pool_init(&group_pool, sizeof(struct adjout_group),
		    "adjout group");
		pools_ready = 1;
	}
	if ((ao = calloc(1, sizeof(*ao))) == NULL)
		fatal("adjout");
	ao->rib = rib;
	ao->aid = aid;
	phash_init(&ao->recs);
	phash_init(&ao->ghash);
	TAILQ_INIT(&ao->groups);
	TAILQ_INIT(&ao->withdraw.recs);
	nadjout++;
	return ao;
}

void
adjout_free(struct adjout *ao)
{
	struct hnode	*n;
	size_t		 i;

	if (ao == NULL)
		return;
	for (i = 0; i < ao->recs.size; i++)
		while ((n = ao->recs.tab[i]) != NULL)
			rec_free(ao, (struct adjout_rec *)n);
	if (ao->ghash.n != 0 || ao->count != 0 || ao->npending != 0)
		fatalx("adjout_free: %zu groups, %zu prefixes left",
		    ao->ghash.n, ao->count);
	free(ao->recs.tab);
	free(ao->ghash.tab);
	free(ao->batch);
	free(ao);
	/* The last one gives the chunks back (session flaps free all). */
	if (--nadjout == 0 && rec_pool.inuse == 0 && group_pool.inuse == 0) {
		pool_destroy(&rec_pool);
		pool_destroy(&group_pool);
	}
}

/* Changes ---------------------------------------------------------------- */

int
adjout_set(struct adjout *ao, struct rib_entry *e, struct attr *attr)
{
	struct adjout_rec	*r;

	if ((r = rec_find(ao, e)) == NULL) {
		if (attr == NULL)
			return 0;
		r = rec_new(ao, e);
	} else if (r->group == NULL ? attr == r->sent :
	    attr == r->group->attr) {
		if (attr != NULL)
			attr_unref(attr);
		return 0;
	} else if (attr == NULL && r->sent == NULL) {
		rec_free(ao, r);
		return 0;
	}
	rec_queue(ao, r, attr);
	return 1;
}

const struct attr *
adjout_get(const struct adjout *ao, const struct rib_entry *e)
{
	const struct adjout_rec	*r;

	if ((r = rec_find(ao, e)) == NULL)
		return NULL;
	return rec_attr(r);
}

void
adjout_resend(struct adjout *ao)
{
	struct hnode	*n;
	size_t		 i;

	for (i = 0; i < ao->recs.size; i++)
		for (n = ao->recs.tab[i]; n != NULL; n = n->hnext) {
			struct adjout_rec *r = (struct adjout_rec *)n;

			if (r->group == NULL)
				rec_queue(ao, r, attr_ref(r->sent));
		}
}

/* Flushing --------------------------------------------------------------- */

/* Room for one message's prefixes: all but a /0 take 2 octets or more. */
static void
batch_size(struct adjout *ao, size_t maxmsg)
{
	size_t	 want = maxmsg / 2 + 1;

	if (ao->batchsz >= want)
		return;
	free(ao->batch);
	if ((ao->batch = calloc(want, sizeof(*ao->batch))) == NULL)
		fatal("adjout batch");
	ao->batchsz = want;
}

/* The first prefixes of g, as many as could fit in a message. */
static size_t
batch_fill(struct adjout *ao, struct adjout_group *g, size_t maxmsg)
{
	struct adjout_rec	*r;
	size_t			 n = 0, octets = 0;

	TAILQ_FOREACH(r, &g->recs, glink) {
		if (n == ao->batchsz || octets >= maxmsg)
			break;
		rib_entry_prefix(rec_entry(r), &ao->batch[n]);
		octets += nlri_len(&ao->batch[n++]);
	}
	return n;
}

/*
 * The attributes alone do not fit in a message (a huge AS path or
 * community list): the prefixes cannot be announced, so the neighbor
 * must not keep an older announcement either.  The last record to leave
 * frees g, so whether there is a next one is asked before.
 */
static void
group_unsendable(struct adjout *ao, struct adjout_group *g)
{
	struct adjout_rec	*r, *next;
	size_t			 n = 0;

	for (r = TAILQ_FIRST(&g->recs); r != NULL; r = next, n++) {
		next = TAILQ_NEXT(r, glink);
		if (r->sent == NULL)
			rec_free(ao, r);
		else
			rec_queue(ao, r, NULL);
	}
	log_warnx("adjout: %zu prefixes withdrawn, attributes too long "
	    "for a %s UPDATE", n, aid_name(ao->aid));
}

/* One UPDATE from the head of g: 1 written, 0 when g could not be sent
 * and is gone, -1 to stop (out is full or maxmsg absurdly small). */
static int
flush_one(struct adjout *ao, struct adjout_group *g, struct buf *out,
    size_t maxmsg, int as4)
{
	size_t	 n, k, i;

	n = batch_fill(ao, g, maxmsg);
	k = update_build(out, maxmsg, ao->aid, g->attr, as4, ao->batch, n);
	if (buf_error(out))
		return -1;
	if (k == 0) {
		if (g == &ao->withdraw)
			return -1;
		group_unsendable(ao, g);
		return 0;
	}
	/* The last rec_sent() may free g: it is not touched after. */
	for (i = 0; i < k; i++)
		rec_sent(ao, TAILQ_FIRST(&g->recs));
	return 1;
}

static struct adjout_group *
flush_next(struct adjout *ao)
{
	if (!TAILQ_EMPTY(&ao->withdraw.recs))
		return &ao->withdraw;
	return TAILQ_FIRST(&ao->groups);
}

size_t
adjout_flush(struct adjout *ao, struct buf *out, size_t budget,
    size_t maxmsg, int as4)
{
	struct adjout_group	*g;
	size_t			 msgs = 0;
	int			 rv;

	batch_size(ao, maxmsg);
	while (buf_len(out) < budget && (g = flush_next(ao)) != NULL) {
		if ((rv = flush_one(ao, g, out, maxmsg, as4)) == -1)
			break;
		msgs += rv;
	}
	return msgs;
}

/* Questions -------------------------------------------------------------- */

/* Prefixes waiting (a count, so it also reads as a truth value). */
int
adjout_pending(const struct adjout *ao)
{
	return ao->npending > INT_MAX ? INT_MAX : (int)ao->npending;
}

size_t
adjout_count(const struct adjout *ao)
{
	return ao->count;
}

void
adjout_walk(const struct adjout *ao,
    void (*fn)(struct rib_entry *, const struct attr *, void *), void *arg)
{
	const struct adjout_rec	*r;
	struct hnode		*n;
	size_t			 i;

	for (i = 0; i < ao->recs.size; i++)
		for (n = ao->recs.tab[i]; n != NULL; n = n->hnext) {
			r = (const struct adjout_rec *)n;
			if (rec_attr(r) != NULL)
				fn(rec_entry(r), rec_attr(r), arg);
		}
}

void
adjout_stats(struct adjout_stats *st)
{
	st->records = pools_ready ? rec_pool.inuse : 0;
	st->groups = pools_ready ? group_pool.inuse : 0;
	st->bytes = pools_ready ? pool_bytes(&rec_pool) +
	    pool_bytes(&group_pool) : 0;
}
