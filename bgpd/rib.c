/*
 * rib.c: the prefix tables, the paths they hold and the change queue
 * (see rib.h); the decision process is rib_decide.c.
 *
 * Owns: one open-addressing hash table per address family (linear
 * probing over tagged entry pointers, load kept under three quarters,
 * doubled and halved as it fills and empties, deletion by backward shift
 * so there are no tombstones), the entry and path pools, the ordering
 * of an entry's paths (RFC 4271 9.1.2.2 and the usual tie-breaks after
 * it), the
 * PATH_BEST / PATH_MULTIPATH marks and the queue of entries whose
 * selection changed.
 *
 * Decisions worth knowing:
 *  - a full table is 1M entries with one path each, so the common update
 *    is one hash lookup, one pool object and a few stores; everything
 *    costlier (sorting, multipath) only runs when an entry has more than
 *    one path;
 *  - a path with soft-reconfiguration inbound is a larger object
 *    (struct rib_path_sr, from its own pool, flagged PATH_SOFTIN) so that
 *    the ordinary path stays 32 bytes;
 *  - entries freed while a walk runs would move others in the table, so
 *    a walk defers frees (the entry is queued and freed by rib_drain) and
 *    growth (the table may fill past three quarters until the walk ends);
 *  - a neighbor that goes down takes its whole table with it: the flush
 *    queues every entry and the drain frees them in table order, with
 *    the table kept at its size until the drain ends and then rebuilt
 *    once (the probe and rebuild counters in rib_stats let the unit
 *    test hold that cost linear without timing it);
 *  - rib_version() counts Loc-RIB changes for show commands, as FRR's
 *    table version does.
 *  - at a full table every lookup is a cache miss: slots carry an
 *    11-bit hash tag so that probes rarely read a foreign entry, large
 *    slot arrays sit on huge pages, rebuilds fetch entries 16 at a time,
 *    and rib_prefetch() lets the RDE overlap the misses of one NLRI
 *    field's prefixes.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pool.h"
#include "rib.h"
#include "rib_int.h"

#define RIB_TABLE_MIN	96	/* slots: 3 * 2^n, see rib_table_home() */
/*
 * A slot holds an entry pointer and, in bits the pointer does not use,
 * hash bits (the tag): the low three bits (pool objects are 8-aligned)
 * and, with 64-bit pointers, bits 48-55, which are zero in every
 * user-space address Linux hands out on x86-64 and arm64 unless asked
 * for more (5-level paging, 52-bit VA); the top byte is left alone for
 * arm64's top-byte-ignore tags.  An 11-bit tag means a probe reads a
 * foreign entry (a cache miss) once in 2048 rather than once in 8.
 */
#define RIB_TAG_LO	((uintptr_t)7)
#if UINTPTR_MAX == UINT64_MAX
#define RIB_TAG_HI	((uintptr_t)0xff << 48)
#else
#define RIB_TAG_HI	((uintptr_t)0)
#endif
#define RIB_TAG_MASK	(RIB_TAG_LO | RIB_TAG_HI)
#define RIB_QUEUE_MIN	256
#define RIB_QUEUE_KEEP	65536	/* larger arrays are freed once drained */
#define RIB_BATCH	16	/* cache misses overlapped in a rebuild */
#define RIB_HUGE	((size_t)2 << 20)	/* a huge page (x86-64, arm64) */

#if defined(__GNUC__)
#define RIB_PREFETCH(p)	__builtin_prefetch((p))
#else
#define RIB_PREFETCH(p)	((void)(p))
#endif

/* Private path flag: the object is a struct rib_path_sr. */
#define PATH_SOFTIN	0x8000

struct rib_path_sr {
	struct rib_path	 p;
	struct attr	*attr_in;	/* as received, NULL: none kept */
};

struct rib_key {
	uint8_t		 aid;
	uint8_t		 plen;
	uint8_t		 addr[16];
	uint64_t	 hash;
};

static int	 rib_entry_release(struct rib *, struct rib_entry *);

/* Keys and hashing ---------------------------------------------------- */

static int
rib_af_aid(int af)
{
	if (af == AF_INET)
		return AID_IPV4_UNICAST;
	if (af == AF_INET6)
		return AID_IPV6_UNICAST;
	return -1;
}

static size_t
rib_aid_alen(int aid)
{
	return aid == AID_IPV4_UNICAST ? 4 : 16;
}

/* A 64-bit finalizer (murmur3's): every input bit reaches every output
 * bit, so the low bits index the table well. */
static uint64_t
rib_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
rib_hash(const struct rib *rib, int aid, const uint8_t *addr, uint8_t plen)
{
	uint64_t	 w0, w1;
	uint32_t	 a4;

	if (aid == AID_IPV4_UNICAST) {
		memcpy(&a4, addr, sizeof(a4));
		return rib_mix(rib->seed ^ ((uint64_t)a4 << 8 | plen));
	}
	memcpy(&w0, addr, sizeof(w0));
	memcpy(&w1, addr + 8, sizeof(w1));
	return rib_mix(rib_mix(rib->seed ^ w0 ^ plen) ^ w1);
}

/* The masked address of p, its family and hash; -1 if p is no prefix. */
static int
rib_key_make(const struct rib *rib, const struct tb_prefix *p,
    struct rib_key *k)
{
	int	 aid;
	size_t	 alen, i;

	if ((aid = rib_af_aid(p->addr.af)) == -1)
		return -1;
	alen = rib_aid_alen(aid);
	if (p->len > alen * 8)
		return -1;
	k->aid = aid;
	k->plen = p->len;
	memcpy(k->addr, p->addr.u.raw, alen);
	/* Host bits are not part of a prefix (RFC 4271 4.3). */
	for (i = 0; i < alen; i++) {
		if (p->len >= (i + 1) * 8)
			continue;
		if (p->len <= i * 8)
			k->addr[i] = 0;
		else
			k->addr[i] &= (uint8_t)(0xff00 >> (p->len - i * 8));
	}
	k->hash = rib_hash(rib, aid, k->addr, k->plen);
	return 0;
}

static uint64_t
rib_entry_hash(const struct rib *rib, const struct rib_entry *re)
{
	return rib_hash(rib, re->aid, re->addr, re->plen);
}

/* Table --------------------------------------------------------------- */

/*
 * Slot arrays.  A large one is its own mapping, aligned to and advised
 * for huge pages: every lookup lands on a random slot, and with 4 KiB
 * pages a 12 MB table (1M prefixes) costs a TLB miss on top of the
 * cache miss, and 3,000 page faults as it fills.  Where the kernel has
 * no transparent huge pages the advice is ignored.  Fresh mappings are
 * zero, as calloc's memory.
 */
static uintptr_t *
rib_slots_alloc(size_t cap)
{
	size_t		 len = cap * sizeof(uintptr_t), head;
	uintptr_t	*v;
	char		*m;

	if (len < RIB_HUGE) {
		if ((v = calloc(cap, sizeof(*v))) == NULL)
			fatal("rib table");
		return v;
	}
	len = (len + RIB_HUGE - 1) & ~(RIB_HUGE - 1);
	m = mmap(NULL, len + RIB_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		fatal("rib table");
	/* Trim to a huge-page-aligned range of len octets. */
	head = (RIB_HUGE - ((uintptr_t)m & (RIB_HUGE - 1))) & (RIB_HUGE - 1);
	if (head > 0)
		munmap(m, head);
	munmap(m + head + len, RIB_HUGE - head);
#ifdef MADV_HUGEPAGE
	(void)madvise(m + head, len, MADV_HUGEPAGE);
#endif
	return (uintptr_t *)(void *)(m + head);
}

static void
rib_slots_free(uintptr_t *v, size_t cap)
{
	size_t	 len = cap * sizeof(uintptr_t);

	if (len < RIB_HUGE)
		free(v);
	else
		munmap(v, (len + RIB_HUGE - 1) & ~(RIB_HUGE - 1));
}

/*
 * The home slot of hash h.  Capacities are 3 * 2^n, not powers of two:
 * a table of 1M prefixes sits in 1.5M slots (load 0.64) rather than in
 * 2M.  A remainder rather than a scaled range (h * cap >> 32): a walk
 * that deletes in slot order leaves the survivors in one hash range,
 * and halving the table must spread them out again, not pack them into
 * half the space.  The low bits of h tag the slot, so most probes skip
 * a foreign entry without reading it.
 */
static size_t
rib_table_home(const struct rib_table *t, uint64_t h)
{
	return (uint32_t)(h >> 32) % (uint32_t)t->cap;
}

static size_t
rib_table_next(const struct rib_table *t, size_t i)
{
	return ++i == t->cap ? 0 : i;
}

/* The tag of hash h: from its low half, which rib_table_home() does not
 * use, so that entries with nearby homes still differ in it. */
static uintptr_t
rib_tag(uint64_t h)
{
	return ((uintptr_t)h & RIB_TAG_LO) | ((uintptr_t)(h << 45) & RIB_TAG_HI);
}

static struct rib_entry *
rib_slot_entry(uintptr_t s)
{
	return (struct rib_entry *)(s & ~RIB_TAG_MASK);
}

/* The slot holding k, or the empty slot where it would go. */
static size_t
rib_table_find(struct rib_table *t, const struct rib_key *k)
{
	const struct rib_entry	*re;
	uintptr_t		 s, tag = rib_tag(k->hash);
	size_t			 i, n = 0;

	for (i = rib_table_home(t, k->hash); (s = t->slots[i]) != 0;
	    i = rib_table_next(t, i), n++) {
		if ((s & RIB_TAG_MASK) != tag)
			continue;
		re = rib_slot_entry(s);
		if (re->plen == k->plen &&
		    memcmp(re->addr, k->addr, t->alen) == 0)
			break;
	}
	t->probes += n;
	return i;
}

/*
 * Put n entries (slot values of the old table) into the new one.  Each
 * must be read to hash it again and its new slot is anywhere: two cache
 * misses per entry once the table outgrows the caches.  So every entry
 * of the batch is fetched first (by the caller), then every home slot,
 * and only then is anything placed: the misses overlap instead of
 * following one another.
 */
static void
rib_table_place(struct rib *rib, struct rib_table *t, const uintptr_t *v,
    size_t n)
{
	size_t	 home[RIB_BATCH], i, j;

	for (i = 0; i < n; i++) {
		home[i] = rib_table_home(t, rib_entry_hash(rib,
		    rib_slot_entry(v[i])));
		RIB_PREFETCH(&t->slots[home[i]]);
	}
	for (i = 0; i < n; i++) {
		for (j = home[i]; t->slots[j] != 0; j = rib_table_next(t, j))
			;
		t->slots[j] = v[i];
	}
}

static void
rib_table_resize(struct rib *rib, struct rib_table *t, size_t cap)
{
	uintptr_t	*old = t->slots, v[RIB_BATCH];
	size_t		 oldcap = t->cap, i = 0, n;

	t->slots = rib_slots_alloc(cap);
	t->cap = cap;
	t->rebuilds++;
	while (i < oldcap) {
		for (n = 0; n < RIB_BATCH && i < oldcap; i++) {
			if (old[i] == 0)
				continue;
			RIB_PREFETCH(rib_slot_entry(old[i]));
			v[n++] = old[i];
		}
		rib_table_place(rib, t, v, n);
	}
	rib_slots_free(old, oldcap);
}

/*
 * Keep the load between one eighth and three quarters, outside walks.
 * A drain that frees a whole table (a neighbor with a full table went
 * down) does not shrink as it goes: that would rebuild the table once
 * per halving, each time while it is still large.  The drain ends with
 * one rebuild straight to the size that fits, as does a flush.
 */
static void
rib_table_fit(struct rib *rib, struct rib_table *t)
{
	size_t	 cap = t->cap;

	if (rib->walking || rib->frozen)
		return;
	while (t->count * 4 > cap * 3)
		cap *= 2;
	if (!rib->draining)
		while (cap > RIB_TABLE_MIN && t->count * 8 < cap)
			cap /= 2;
	if (cap != t->cap)
		rib_table_resize(rib, t, cap);
}

/* Remove re; later members of its cluster move back over the hole when
 * their home slot allows (backward-shift deletion). */
static void
rib_table_del(struct rib *rib, struct rib_table *t, struct rib_entry *re)
{
	size_t		 i, j, home, n = 0;

	for (i = rib_table_home(t, rib_entry_hash(rib, re));
	    rib_slot_entry(t->slots[i]) != re; i = rib_table_next(t, i), n++)
		if (t->slots[i] == 0)
			fatalx("rib: entry not in its table");
	for (j = rib_table_next(t, i); t->slots[j] != 0;
	    j = rib_table_next(t, j), n++) {
		home = rib_table_home(t, rib_entry_hash(rib,
		    rib_slot_entry(t->slots[j])));
		/* It may move to i unless its home lies in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		t->slots[i] = t->slots[j];
		i = j;
	}
	t->slots[i] = 0;
	t->count--;
	t->probes += n;
}

static struct rib_entry *
rib_entry_get(struct rib *rib, const struct rib_key *k)
{
	struct rib_table	*t = &rib->tab[k->aid];
	struct rib_entry	*re;
	size_t			 i;

	i = rib_table_find(t, k);
	if (t->slots[i] != 0)
		return rib_slot_entry(t->slots[i]);
	if ((t->count + 1) * 4 > t->cap * 3 && !rib->walking && !rib->frozen) {
		rib_table_resize(rib, t, t->cap * 2);
		i = rib_table_find(t, k);
	} else if (t->count + 1 >= t->cap)
		fatalx("rib: table full during a walk");
	re = pool_get(&t->pool);
	re->aid = k->aid;
	re->plen = k->plen;
	memcpy(re->addr, k->addr, t->alen);
	if ((uintptr_t)re & RIB_TAG_MASK)
		fatalx("rib: entry address %p has tag bits set", (void *)re);
	t->slots[i] = (uintptr_t)re | rib_tag(k->hash);
	t->count++;
	return re;
}

static void
rib_entry_free(struct rib *rib, struct rib_entry *re)
{
	struct rib_table	*t = &rib->tab[re->aid];

	rib_table_del(rib, t, re);
	pool_put(&t->pool, re);
	rib_table_fit(rib, t);
}

/* Change queue -------------------------------------------------------- */

static void
rib_queue_push(struct rib_queue *q, struct rib_entry *re)
{
	struct rib_entry	**v;
	size_t			 cap;

	if (q->n == q->cap) {
		cap = q->cap == 0 ? RIB_QUEUE_MIN : q->cap * 2;
		if ((v = reallocarray(q->v, cap, sizeof(*v))) == NULL)
			fatal("rib queue");
		q->v = v;
		q->cap = cap;
	}
	q->v[q->n++] = re;
}

/* An entry is queued once and held while it is. */
static void
rib_queue(struct rib *rib, struct rib_entry *re)
{
	if (re->flags & RE_QUEUED)
		return;
	rib_entry_ref(re);
	re->flags |= RE_QUEUED;
	rib_queue_push(&rib->queue, re);
}

/* re's Loc-RIB result changed: count it and queue re for export. */
static void
rib_changed(struct rib *rib, struct rib_entry *re)
{
	rib->version++;
	rib_queue(rib, re);
}

uint64_t
rib_version(const struct rib *rib)
{
	return rib->version;
}

void
rib_drain(struct rib *rib, void (*fn)(struct rib_entry *, void *),
    void *arg)
{
	struct rib_queue	 work;
	struct rib_entry	*re;
	size_t			 i;
	int			 aid;

	if (rib->draining)
		fatalx("rib: rib_drain called from its own callback");
	rib->draining = 1;
	/* Entries changed by fn go on the other array, for the next drain. */
	work = rib->queue;
	rib->queue = rib->spare;
	rib->queue.n = 0;
	for (i = 0; i < work.n; i++) {
		re = work.v[i];
		re->flags &= ~RE_QUEUED;
		if (fn != NULL)
			fn(re, arg);
		rib_entry_unref(rib, re);
	}
	/* A table load queues every prefix: give that memory back. */
	if (work.cap > RIB_QUEUE_KEEP) {
		free(work.v);
		memset(&work, 0, sizeof(work));
	}
	work.n = 0;
	rib->spare = work;
	rib->draining = 0;
	for (aid = 0; aid < AID_MAX; aid++)
		rib_table_fit(rib, &rib->tab[aid]);
}

size_t
rib_queued(const struct rib *rib)
{
	return rib->queue.n;
}

void
rib_entry_ref(struct rib_entry *re)
{
	if (re->refs == UINT16_MAX)
		fatalx("rib: entry reference count overflow");
	re->refs++;
}

void
rib_entry_unref(struct rib *rib, struct rib_entry *re)
{
	if (re->refs == 0)
		fatalx("rib: entry unreferenced too often");
	re->refs--;
	rib_entry_release(rib, re);
}

/* Free re if nothing holds it any more (1 when freed); during a walk
 * the queue holds it instead and rib_drain frees it. */
static int
rib_entry_release(struct rib *rib, struct rib_entry *re)
{
	if (re->paths != NULL || re->refs != 0)
		return 0;
	if (rib->walking) {
		rib_queue(rib, re);
		return 0;
	}
	rib_entry_free(rib, re);
	return 1;
}

/* Ordering and selection (rib_decide.c) ------------------------------- */

/* p's attributes or state changed (old_flags: its flags before): order
 * it again, select, and queue the entry when the Loc-RIB or the
 * multipath set saw a difference. */
static void
rib_path_moved(struct rib *rib, struct rib_entry *re, struct rib_path *p,
    uint16_t old_flags)
{
	int	 changed;

	rib_unlink(re, p);
	rib_place(rib, re, p);
	changed = rib_select(rib, re);
	if (changed || (old_flags | p->flags) & PATH_MULTIPATH)
		rib_changed(rib, re);
}

/* Paths ---------------------------------------------------------------- */

static void
rib_attr_drop(struct attr *a)
{
	if (a != NULL)
		attr_unref(a);
}

static struct attr **
rib_path_attr_in_slot(struct rib_path *p)
{
	if (p->flags & PATH_SOFTIN)
		return &((struct rib_path_sr *)p)->attr_in;
	return NULL;
}

static struct attr *
rib_path_kept_in(const struct rib_path *p)
{
	if (p->flags & PATH_SOFTIN)
		return ((const struct rib_path_sr *)p)->attr_in;
	return NULL;
}

struct attr *
rib_path_attr_in(const struct rib_path *p)
{
	struct attr	*in = rib_path_kept_in(p);

	return in != NULL ? in : p->attr;
}

static struct rib_path *
rib_path_alloc(struct rib *rib, int sr)
{
	struct rib_path	*p;

	if (!sr)
		return pool_get(&rib->paths);
	p = pool_get(&rib->paths_sr);
	p->flags = PATH_SOFTIN;
	return p;
}

static void
rib_path_free(struct rib *rib, struct rib_path *p)
{
	struct attr	**in = rib_path_attr_in_slot(p);

	rib_attr_drop(p->attr);
	if (in != NULL) {
		rib_attr_drop(*in);
		pool_put(&rib->paths_sr, p);
	} else
		pool_put(&rib->paths, p);
}

static void
rib_count(struct rib_src *src, int aid, const struct attr *a, int d)
{
	src->nrcvd[aid] += d;
	if (a != NULL)
		src->npaths[aid] += d;
}

static void
rib_path_add(struct rib *rib, struct rib_entry *re, struct rib_src *src,
    struct attr *attr, struct attr *attr_in, uint32_t now)
{
	struct rib_path	*p;
	struct attr	**in;

	p = rib_path_alloc(rib, src->soft_in || attr_in != NULL);
	p->src = src;
	p->attr = attr;
	p->since = now;
	if ((in = rib_path_attr_in_slot(p)) != NULL)
		*in = attr_in;
	rib_path_resolve(rib, p);
	rib_count(src, re->aid, attr, 1);
	if (re->paths == NULL) {
		/* The common case of a full table: one path, no sorting. */
		re->paths = p;
		if (rib_eligible(p)) {
			p->flags |= PATH_BEST | PATH_MULTIPATH;
			rib_changed(rib, re);
		}
		return;
	}
	/* Linked first so that rib_path_moved() can unlink it. */
	p->next = re->paths;
	re->paths = p;
	rib_path_moved(rib, re, p, 0);
}

/* A path of the other kind (soft reconfiguration switched) in p's place. */
static struct rib_path *
rib_path_retype(struct rib *rib, struct rib_entry *re, struct rib_path *p)
{
	struct rib_path	*np, **pp;
	struct attr	**in = rib_path_attr_in_slot(p);

	np = rib_path_alloc(rib, in == NULL);
	np->next = p->next;
	np->src = p->src;
	np->attr = p->attr;
	np->since = p->since;
	np->flags |= p->flags & ~PATH_SOFTIN;
	np->lost = p->lost;
	p->attr = NULL;
	for (pp = &re->paths; *pp != p; pp = &(*pp)->next)
		;
	*pp = np;
	rib_path_free(rib, p);
	return np;
}

/* Sent again by its neighbor: no longer stale (the caller re-decides). */
static void
rib_fresh(struct rib_entry *re, struct rib_path *p)
{
	if (!(p->flags & PATH_STALE))
		return;
	p->flags &= ~(PATH_STALE | PATH_STALE_LOW);
	p->src->nstale[re->aid]--;
}

static void
rib_path_replace(struct rib *rib, struct rib_entry *re, struct rib_path *p,
    struct attr *attr, struct attr *attr_in, uint32_t now)
{
	struct attr	**in;
	uint16_t	  old_flags;
	int		  sr = p->src->soft_in || attr_in != NULL;

	if (sr != ((p->flags & PATH_SOFTIN) != 0))
		p = rib_path_retype(rib, re, p);
	old_flags = p->flags;
	rib_fresh(re, p);
	rib_count(p->src, re->aid, p->attr, -1);
	rib_attr_drop(p->attr);
	p->attr = attr;
	if ((in = rib_path_attr_in_slot(p)) != NULL) {
		rib_attr_drop(*in);
		*in = attr_in;
	}
	/* A changed route is a new route for the oldest-path rule. */
	p->since = now;
	rib_path_resolve(rib, p);
	rib_count(p->src, re->aid, attr, 1);
	rib_path_moved(rib, re, p, old_flags);
}

int
rib_update(struct rib *rib, struct rib_src *src, const struct tb_prefix *pfx,
    struct attr *attr, struct attr *attr_in, uint32_t now)
{
	struct rib_key	 k;
	struct rib_entry *re;
	struct rib_path	*p;

	if (rib_key_make(rib, pfx, &k) == -1)
		fatalx("%s: not a prefix", __func__);
	re = rib_entry_get(rib, &k);
	if ((p = rib_entry_path(re, src)) == NULL) {
		rib_path_add(rib, re, src, attr, attr_in, now);
		return 0;
	}
	if (p->attr == attr && rib_path_kept_in(p) == attr_in) {
		/* The same route again (interned: same pointer). */
		rib_attr_drop(attr);
		rib_attr_drop(attr_in);
		if (!(p->flags & PATH_STALE))
			return 1;
		rib_path_set_stale(rib, re, p, 0, 0);
		return 0;
	}
	rib_path_replace(rib, re, p, attr, attr_in, now);
	return 0;
}

/* Take p out of re, re-decide, queue as needed; 1 when re was freed. */
static int
rib_path_remove(struct rib *rib, struct rib_entry *re, struct rib_path *p)
{
	uint16_t	 old_flags = p->flags;

	rib_unlink(re, p);
	rib_fresh(re, p);
	rib_count(p->src, re->aid, p->attr, -1);
	rib_path_free(rib, p);
	if (rib_select(rib, re) || (old_flags & PATH_MULTIPATH))
		rib_changed(rib, re);
	return rib_entry_release(rib, re);
}

int
rib_withdraw(struct rib *rib, struct rib_src *src, const struct tb_prefix *pfx)
{
	struct rib_entry *re;
	struct rib_path	*p;

	if ((re = rib_lookup(rib, pfx)) == NULL ||
	    (p = rib_entry_path(re, src)) == NULL)
		return 1;
	rib_path_remove(rib, re, p);
	return 0;
}

static void
rib_src_flush_aid(struct rib *rib, struct rib_src *src, int aid)
{
	struct rib_table	*t = &rib->tab[aid];
	struct rib_entry	*re;
	struct rib_path		*p;
	size_t			 i = 0;

	/* No resizing while the slots are walked; a freed entry's slot
	 * takes a later entry (backward shift), so it is looked at again.
	 * Entries that wrap around may be seen twice: harmless here. */
	rib->frozen++;
	while (i < t->cap) {
		re = rib_slot_entry(t->slots[i]);
		if (re == NULL || (p = rib_entry_path(re, src)) == NULL ||
		    rib_path_remove(rib, re, p) == 0)
			i++;
	}
	rib->frozen--;
	rib_table_fit(rib, t);
}

void
rib_src_flush(struct rib *rib, struct rib_src *src, int aid)
{
	int	 a;

	for (a = 0; a < AID_MAX; a++)
		if (aid == AID_MAX || aid == a)
			rib_src_flush_aid(rib, src, a);
}

int
rib_path_drop(struct rib *rib, struct rib_entry *re, struct rib_path *p)
{
	return rib_path_remove(rib, re, p);
}

void
rib_path_set_stale(struct rib *rib, struct rib_entry *re, struct rib_path *p,
    int stale, int low)
{
	uint16_t	 old_flags = p->flags;

	if (!stale)
		rib_fresh(re, p);
	else {
		if (!(p->flags & PATH_STALE))
			p->src->nstale[re->aid]++;
		p->flags |= PATH_STALE;
		p->flags = low ? (p->flags | PATH_STALE_LOW) :
		    (p->flags & ~PATH_STALE_LOW);
	}
	if ((old_flags ^ p->flags) & PATH_STALE_LOW)
		rib_path_moved(rib, re, p, old_flags);
}

void
rib_path_set_attr(struct rib *rib, struct rib_entry *re, struct rib_path *p,
    struct attr *attr)
{
	uint16_t	 old_flags = p->flags;

	if (p->attr == attr) {
		rib_attr_drop(attr);
		return;
	}
	rib_count(p->src, re->aid, p->attr, -1);
	rib_attr_drop(p->attr);
	p->attr = attr;
	rib_path_resolve(rib, p);
	rib_count(p->src, re->aid, attr, 1);
	rib_path_moved(rib, re, p, old_flags);
}

int
rib_path_recheck(struct rib *rib, struct rib_entry *re, struct rib_path *p)
{
	uint16_t	 old_flags = p->flags;

	rib_path_resolve(rib, p);
	if (((old_flags ^ p->flags) & (PATH_NH_UNREACH | PATH_HELD)) == 0)
		return 0;
	rib_path_moved(rib, re, p, old_flags);
	return 1;
}

void
rib_set_resolver(struct rib *rib, rib_resolve_fn fn, void *arg)
{
	rib->resolve = fn;
	rib->resolve_arg = arg;
}

void
rib_path_set_reachable(struct rib *rib, struct rib_entry *re,
    struct rib_path *p, int reachable)
{
	uint16_t	 old_flags = p->flags;

	if (reachable == ((p->flags & PATH_NH_UNREACH) == 0))
		return;
	if (reachable)
		p->flags &= ~PATH_NH_UNREACH;
	else
		p->flags |= PATH_NH_UNREACH;
	rib_path_moved(rib, re, p, old_flags);
}

static void
rib_redecide_entry(struct rib_entry *re, void *arg)
{
	struct rib	*rib = arg;

	rib_resort(rib, re);
	if (rib_select(rib, re))
		rib_changed(rib, re);
}

void
rib_redecide_all(struct rib *rib)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		rib_walk(rib, aid, rib_redecide_entry, rib);
}

/* Setup ---------------------------------------------------------------- */

static void
rib_table_init(struct rib_table *t, int aid)
{
	t->alen = rib_aid_alen(aid);
	t->cap = RIB_TABLE_MIN;
	t->slots = rib_slots_alloc(t->cap);
	/* The address is the entry's tail: 4 or 16 octets, no more. */
	pool_init(&t->pool, offsetof(struct rib_entry, addr) + t->alen,
	    aid == AID_IPV4_UNICAST ? "rib entry v4" : "rib entry v6");
}

struct rib *
rib_new(const struct rib_opts *opts)
{
	struct rib	*rib;
	int		 aid;

	if ((rib = calloc(1, sizeof(*rib))) == NULL)
		fatal("rib");
	rib_set_opts(rib, opts);
	for (aid = 0; aid < AID_MAX; aid++)
		rib_table_init(&rib->tab[aid], aid);
	pool_init(&rib->paths, sizeof(struct rib_path), "rib path");
	pool_init(&rib->paths_sr, sizeof(struct rib_path_sr), "rib path sr");
	rib->seed = (uint64_t)arc4random() << 32 | arc4random();
	return rib;
}

/* What should not be left: paths and entries nobody released. */
static void
rib_table_purge(struct rib *rib, struct rib_table *t)
{
	struct rib_entry	*re;
	struct rib_path		*p;
	size_t			 i, left = 0;

	for (i = 0; i < t->cap; i++) {
		if ((re = rib_slot_entry(t->slots[i])) == NULL)
			continue;
		while ((p = re->paths) != NULL) {
			re->paths = p->next;
			rib_count(p->src, re->aid, p->attr, -1);
			rib_path_free(rib, p);
		}
		pool_put(&t->pool, re);
		left++;
	}
	if (left > 0)
		log_warnx("rib: %zu entries left at rib_free", left);
	rib_slots_free(t->slots, t->cap);
	pool_destroy(&t->pool);
}

void
rib_free(struct rib *rib)
{
	int	 aid;

	if (rib == NULL)
		return;
	rib_drain(rib, NULL, NULL);
	for (aid = 0; aid < AID_MAX; aid++)
		rib_table_purge(rib, &rib->tab[aid]);
	pool_destroy(&rib->paths);
	pool_destroy(&rib->paths_sr);
	free(rib->queue.v);
	free(rib->spare.v);
	free(rib);
}

void
rib_set_opts(struct rib *rib, const struct rib_opts *opts)
{
	int	 aid;

	if (opts != NULL)
		rib->opts = *opts;
	else
		memset(&rib->opts, 0, sizeof(rib->opts));
	for (aid = 0; aid < AID_MAX; aid++)
		if (rib->opts.maximum_paths[aid] == 0)
			rib->opts.maximum_paths[aid] = 1;
}

const struct rib_opts *
rib_opts(const struct rib *rib)
{
	return &rib->opts;
}

/* Lookups and walks ---------------------------------------------------- */

/*
 * The RIB outgrows every cache at a full table, so finding a prefix's
 * slot is a cache miss.  A caller with several prefixes in hand
 * (one NLRI field) calls this for each before updating any, and the
 * misses overlap.  Only a hint: the table may be rebuilt in between.
 */
void
rib_prefetch(struct rib *rib, const struct tb_prefix *pfx)
{
	struct rib_key	 k;
	struct rib_table *t;

	if (rib_key_make(rib, pfx, &k) == -1)
		return;
	t = &rib->tab[k.aid];
	RIB_PREFETCH(&t->slots[rib_table_home(t, k.hash)]);
}

struct rib_entry *
rib_lookup(struct rib *rib, const struct tb_prefix *pfx)
{
	struct rib_key	 k;
	struct rib_table *t;

	if (rib_key_make(rib, pfx, &k) == -1)
		return NULL;
	t = &rib->tab[k.aid];
	return rib_slot_entry(t->slots[rib_table_find(t, &k)]);
}

/* fn may change paths (entries it empties are freed after the walk) and
 * add a few prefixes, which it may or may not be handed. */
void
rib_walk(struct rib *rib, int aid, void (*fn)(struct rib_entry *, void *),
    void *arg)
{
	struct rib_table	*t = &rib->tab[aid];
	struct rib_entry	*re;
	size_t			 i;

	rib->walking++;
	for (i = 0; i < t->cap; i++)
		if ((re = rib_slot_entry(t->slots[i])) != NULL)
			fn(re, arg);
	rib->walking--;
	rib_table_fit(rib, t);
}

static int
rib_entry_order(const void *va, const void *vb)
{
	const struct rib_entry	*a = *(struct rib_entry * const *)va;
	const struct rib_entry	*b = *(struct rib_entry * const *)vb;
	int			 r;

	if ((r = memcmp(a->addr, b->addr, rib_aid_alen(a->aid))) != 0)
		return r;
	return (a->plen > b->plen) - (a->plen < b->plen);
}

size_t
rib_sorted(struct rib *rib, int aid, struct rib_entry ***out)
{
	struct rib_table	*t = &rib->tab[aid];
	struct rib_entry	**v;
	size_t			 i, n = 0;

	if ((v = reallocarray(NULL, t->count + 1, sizeof(*v))) == NULL)
		fatal("rib sorted");
	for (i = 0; i < t->cap; i++)
		if (t->slots[i] != 0)
			v[n++] = rib_slot_entry(t->slots[i]);
	qsort(v, n, sizeof(*v), rib_entry_order);
	*out = v;
	return n;
}

void
rib_entry_prefix(const struct rib_entry *re, struct tb_prefix *pfx)
{
	memset(pfx, 0, sizeof(*pfx));
	pfx->addr.af = re->aid == AID_IPV4_UNICAST ? AF_INET : AF_INET6;
	memcpy(pfx->addr.u.raw, re->addr, rib_aid_alen(re->aid));
	pfx->len = re->plen;
}

struct rib_path *
rib_entry_best(const struct rib_entry *re)
{
	if (re->paths != NULL && (re->paths->flags & PATH_BEST))
		return re->paths;
	return NULL;
}

struct rib_path *
rib_entry_path(const struct rib_entry *re, const struct rib_src *src)
{
	struct rib_path	*p;

	for (p = re->paths; p != NULL; p = p->next)
		if (p->src == src)
			return p;
	return NULL;
}

void
rib_stats(const struct rib *rib, struct rib_stats *st)
{
	const struct rib_table	*t;
	int			 aid;

	memset(st, 0, sizeof(*st));
	st->paths = rib->paths.inuse + rib->paths_sr.inuse;
	st->bytes = pool_bytes(&rib->paths) + pool_bytes(&rib->paths_sr) +
	    (rib->queue.cap + rib->spare.cap) * sizeof(struct rib_entry *);
	for (aid = 0; aid < AID_MAX; aid++) {
		t = &rib->tab[aid];
		/* From the pool: an entry lost from the table still counts. */
		st->entries[aid] = t->pool.inuse;
		st->bytes += pool_bytes(&t->pool) +
		    t->cap * sizeof(*t->slots);
		st->probes += t->probes;
		st->rebuilds += t->rebuilds;
	}
}
