/*
 * attr_intern.c: the shared, reference-counted copies of path attributes
 * (see attr.h).
 *
 * Owns: the hash and the open-addressing tables, and the interning of
 * attribute sets, AS paths, communities (standard, extended, large) and
 * unknown transitive attributes, with the aspath_* and comms_* helpers
 * that read, build and print them (FRR's text forms).  attr.c parses
 * into a scratch copy and interns through this file only on insert.
 *
 * Decisions worth knowing:
 *  - interning uses open-addressing tables (linear probing, backward-shift
 *    deletion) that double when half full; the objects' hnext fields are
 *    unused.  Hashes are seeded at random so a peer cannot aim collisions;
 *  - a reference-count misuse is fatal: it is a bug, not bad input.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "attr_int.h"
#include "log.h"
#include "pool.h"

#define COMM_STACK		1024

/* Hashing and intern tables ------------------------------------------ */

static uint32_t	 hash_seed;

static uint32_t
hash_mix(uint32_t h, uint32_t w)
{
	h = (h ^ w) * 0x9e3779b1u;
	return (h << 13) | (h >> 19);
}

static uint32_t
hash_final(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

static uint32_t
hash_start(size_t len)
{
	while (hash_seed == 0)
		hash_seed = arc4random();
	return hash_mix(hash_seed, (uint32_t)len);
}

/* Word at a time: linear in the length, so a 1000-ASN path costs 1000
 * multiplications and no more. */
static uint32_t
hash_bytes(uint32_t h, const uint8_t *p, size_t len)
{
	uint32_t	 w;

	for (; len >= 4; p += 4, len -= 4) {
		memcpy(&w, p, 4);
		h = hash_mix(h, w);
	}
	if (len > 0) {
		w = 0;
		memcpy(&w, p, len);
		h = hash_mix(h, w);
	}
	return h;
}

struct itab {
	void		**obj;
	uint32_t	 *hash;
	size_t		  mask;		/* slots - 1; obj NULL until first use */
	size_t		  count;
};

typedef int (*itab_eq)(const void *obj, const void *key);

static void	 itab_insert(struct itab *, uint32_t, void *);

static void *
itab_find(const struct itab *t, uint32_t h, itab_eq eq, const void *key)
{
	size_t	 i;

	if (t->obj == NULL)
		return NULL;
	for (i = h & t->mask; t->obj[i] != NULL; i = (i + 1) & t->mask)
		if (t->hash[i] == h && eq(t->obj[i], key))
			return t->obj[i];
	return NULL;
}

static void
itab_grow(struct itab *t)
{
	struct itab	 n;
	size_t		 i, slots = t->obj ? (t->mask + 1) * 2 : 64;

	memset(&n, 0, sizeof(n));
	n.obj = calloc(slots, sizeof(*n.obj));
	n.hash = calloc(slots, sizeof(*n.hash));
	if (n.obj == NULL || n.hash == NULL)
		fatal("intern table");
	n.mask = slots - 1;
	for (i = 0; t->obj != NULL && i <= t->mask; i++)
		if (t->obj[i] != NULL)
			itab_insert(&n, t->hash[i], t->obj[i]);
	free(t->obj);
	free(t->hash);
	*t = n;
}

static void
itab_insert(struct itab *t, uint32_t h, void *obj)
{
	size_t	 i;

	if (t->obj == NULL || (t->count + 1) * 2 > t->mask + 1)
		itab_grow(t);
	for (i = h & t->mask; t->obj[i] != NULL; i = (i + 1) & t->mask)
		;
	t->obj[i] = obj;
	t->hash[i] = h;
	t->count++;
}

/* Backward-shift deletion keeps every probe chain unbroken without
 * tombstones, so lookups stay short after a withdraw storm. */
static void
itab_remove(struct itab *t, uint32_t h, const void *obj)
{
	size_t	 i, j, k;

	for (i = h & t->mask; t->obj[i] != obj; i = (i + 1) & t->mask)
		if (t->obj[i] == NULL)
			fatalx("intern table: object %p not found", obj);
	for (j = i;;) {
		j = (j + 1) & t->mask;
		if (t->obj[j] == NULL)
			break;
		k = t->hash[j] & t->mask;
		/* leave j where it is when its home lies cyclically in
		 * (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->obj[i] = t->obj[j];
		t->hash[i] = t->hash[j];
		i = j;
	}
	t->obj[i] = NULL;
	t->count--;
}

static void
refcnt_up(uint32_t *refcnt, const char *what)
{
	if (*refcnt == 0 || *refcnt == UINT32_MAX)
		fatalx("%s: reference to an object with refcnt %u", what,
		    *refcnt);
	(*refcnt)++;
}

static int
refcnt_down(uint32_t *refcnt, const char *what)
{
	if (*refcnt == 0)
		fatalx("%s: unref of an object with refcnt 0", what);
	return --(*refcnt) == 0;
}

/* AS paths ----------------------------------------------------------- */

static struct itab	 aspath_tab;

/* RFC 4271 9.1.2.2 a: a SET counts one, confederation segments none
 * (RFC 5065 5.3). */
static uint16_t
aspath_plen(const uint8_t *data, size_t len)
{
	struct seg	 s;
	size_t		 off = 0;
	unsigned	 n = 0;

	while (seg_next(data, len, &off, &s))
		if (s.type == AS_SEQUENCE)
			n += s.count;
		else if (s.type == AS_SET)
			n++;
	return n > UINT16_MAX ? UINT16_MAX : (uint16_t)n;
}

struct bytes_key {
	const uint8_t	*data;
	size_t		 len;
};

static int
aspath_eq(const void *obj, const void *key)
{
	const struct aspath	*p = obj;
	const struct bytes_key	*k = key;

	/* memcmp() wants valid pointers even for no bytes. */
	return p->len == k->len &&
	    (k->len == 0 || memcmp(p->data, k->data, k->len) == 0);
}

struct aspath *
aspath_intern(const uint8_t *data, size_t len)
{
	struct bytes_key	 k = { data, len };
	struct aspath		*p;
	uint32_t		 h;

	if (len > UINT16_MAX)
		fatalx("aspath_intern: %zu bytes", len);
	h = hash_final(hash_bytes(hash_start(len), data, len));
	if ((p = itab_find(&aspath_tab, h, aspath_eq, &k)) != NULL)
		return aspath_ref(p);
	p = xmalloc(sizeof(*p) + len);
	p->hnext = NULL;
	p->refcnt = 1;
	p->hash = h;
	p->len = (uint16_t)len;
	if (len > 0)
		memcpy(p->data, data, len);
	p->plen = aspath_plen(p->data, len);
	itab_insert(&aspath_tab, h, p);
	return p;
}

struct aspath *
aspath_empty(void)
{
	static const uint8_t	 none[1];

	return aspath_intern(none, 0);
}

struct aspath *
aspath_ref(struct aspath *p)
{
	refcnt_up(&p->refcnt, "aspath");
	return p;
}

void
aspath_unref(struct aspath *p)
{
	if (p == NULL || !refcnt_down(&p->refcnt, "aspath"))
		return;
	itab_remove(&aspath_tab, p->hash, p);
	free(p);
}

size_t
aspath_total(void)
{
	return aspath_tab.count;
}

/* Writes count copies of as as AS_SEQUENCE segments of at most
 * AS_SEG_MAX, the last one followed by the tail ASNs of a leading
 * sequence (n of them at tail).  Returns bytes written. */
static size_t
aspath_put_seq(uint8_t *out, uint32_t as, size_t count, const uint8_t *tail,
    size_t n)
{
	size_t	 o = 0, total = count + n, k, i;

	while (total > 0) {
		k = total > AS_SEG_MAX ? AS_SEG_MAX : total;
		out[o++] = AS_SEQUENCE;
		out[o++] = (uint8_t)k;
		for (i = 0; i < k; i++, o += 4, total--) {
			if (count > 0) {
				set_be32(out + o, as);
				count--;
			} else {
				memcpy(out + o, tail, 4);
				tail += 4;
			}
		}
	}
	return o;
}

struct aspath *
aspath_prepend(const struct aspath *p, uint32_t as, int count)
{
	struct aspath	*np, *e;
	struct seg	 s;
	uint8_t		*out;
	size_t		 off = 0, olen, rest, n = 0;
	const uint8_t	*tail = NULL;

	if (p == NULL) {
		e = aspath_empty();
		np = aspath_prepend(e, as, count);
		aspath_unref(e);
		return np;
	}
	if (count <= 0)
		return aspath_ref((struct aspath *)(uintptr_t)p);
	/* Merge into a leading AS_SEQUENCE as FRR does, so prepending
	 * keeps one segment and the same text. */
	if (seg_next(p->data, p->len, &off, &s) && s.type == AS_SEQUENCE) {
		tail = s.as;
		n = s.count;
	} else
		off = 0;
	rest = p->len - off;
	olen = ((size_t)count + n) * 4 + (((size_t)count + n) / AS_SEG_MAX
	    + 1) * 2 + rest;
	if (olen > UINT16_MAX) {
		log_warnx("AS path prepend of %d would overflow", count);
		return aspath_ref((struct aspath *)(uintptr_t)p);
	}
	out = xmalloc(olen);
	olen = aspath_put_seq(out, as, (size_t)count, tail, n);
	memcpy(out + olen, p->data + off, rest);
	np = aspath_intern(out, olen + rest);
	free(out);
	return np;
}

uint32_t
aspath_neighbor(const struct aspath *p)
{
	struct seg	 s;
	size_t		 off = 0;

	if (p == NULL || !seg_next(p->data, p->len, &off, &s) ||
	    s.type != AS_SEQUENCE)
		return 0;
	return get_be32(s.as);
}

uint32_t
aspath_origin_as(const struct aspath *p)
{
	struct seg	 s, last = { 0, 0, NULL };
	size_t		 off = 0;

	while (p != NULL && seg_next(p->data, p->len, &off, &s))
		last = s;
	if (last.type != AS_SEQUENCE || last.count == 0)
		return 0;
	return get_be32(last.as + ((size_t)last.count - 1) * 4);
}

int
aspath_count(const struct aspath *p, uint32_t as)
{
	struct seg	 s;
	size_t		 off = 0;
	int		 i, n = 0;

	while (p != NULL && seg_next(p->data, p->len, &off, &s))
		for (i = 0; i < s.count; i++)
			if (get_be32(s.as + (size_t)i * 4) == as)
				n++;
	return n;
}

static void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void	 buf_putf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
buf_putf(struct buf *b, const char *fmt, ...)
{
	char	 tmp[64];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

/* FRR: "1 2 {3,4} (5 6) [7,8]" (sequence, set, confed sequence, confed
 * set); ASNs of a set separated by commas. */
void
aspath_print(struct buf *b, const struct aspath *p)
{
	static const char	 open[] = "?{ ([", close[] = "?} )]";
	struct seg		 s;
	size_t			 off = 0;
	int			 i, first = 1;
	char			 sep;

	while (p != NULL && seg_next(p->data, p->len, &off, &s)) {
		if (s.type < AS_SET || s.type > AS_CONFED_SET)
			continue;
		sep = (s.type == AS_SET || s.type == AS_CONFED_SET) ? ',' :
		    ' ';
		if (!first)
			buf_put_u8(b, ' ');
		first = 0;
		if (open[s.type] != ' ')
			buf_put_u8(b, (uint8_t)open[s.type]);
		for (i = 0; i < s.count; i++) {
			if (i > 0)
				buf_put_u8(b, (uint8_t)sep);
			buf_putf(b, "%u", get_be32(s.as + (size_t)i * 4));
		}
		if (close[s.type] != ' ')
			buf_put_u8(b, (uint8_t)close[s.type]);
	}
}

/* Communities -------------------------------------------------------- */

static struct itab	 comms_tab;

struct comms_key {
	uint8_t		 unit;
	const uint8_t	*data;
	size_t		 n;
};

static int
comms_eq(const void *obj, const void *key)
{
	const struct comms	*c = obj;
	const struct comms_key	*k = key;

	return c->unit == k->unit && c->n == k->n &&
	    memcmp(c->data, k->data, k->n * k->unit) == 0;
}

static int
comm_cmp4(const void *a, const void *b)
{
	return memcmp(a, b, COMM_UNIT_STD);
}

static int
comm_cmp8(const void *a, const void *b)
{
	return memcmp(a, b, COMM_UNIT_EXT);
}

static int
comm_cmp12(const void *a, const void *b)
{
	return memcmp(a, b, COMM_UNIT_LARGE);
}

/* The common case (a peer already sends them sorted, once) needs no
 * copy. */
static int
comms_canonical(uint8_t unit, const uint8_t *d, size_t n)
{
	size_t	 i;

	for (i = 1; i < n; i++)
		if (memcmp(d + (i - 1) * unit, d + i * unit, unit) >= 0)
			return 0;
	return 1;
}

/* Sorts and removes duplicates in place; returns the new count. */
static size_t
comms_sort(uint8_t unit, uint8_t *d, size_t n)
{
	size_t	 i, o;

	qsort(d, n, unit, unit == COMM_UNIT_STD ? comm_cmp4 :
	    unit == COMM_UNIT_EXT ? comm_cmp8 : comm_cmp12);
	for (i = 1, o = 1; i < n; i++) {
		if (memcmp(d + (o - 1) * unit, d + i * unit, unit) == 0)
			continue;
		if (o != i)
			memcpy(d + o * unit, d + i * unit, unit);
		o++;
	}
	return o;
}

static struct comms *
comms_lookup(uint8_t unit, const uint8_t *data, size_t n)
{
	struct comms_key	 k = { unit, data, n };
	struct comms		*c;
	uint32_t		 h;

	h = hash_final(hash_bytes(hash_start(n * unit + unit), data,
	    n * unit));
	if ((c = itab_find(&comms_tab, h, comms_eq, &k)) != NULL)
		return comms_ref(c);
	c = xmalloc(sizeof(*c) + n * unit);
	c->hnext = NULL;
	c->refcnt = 1;
	c->hash = h;
	c->n = (uint16_t)n;
	c->unit = unit;
	memcpy(c->data, data, n * unit);
	itab_insert(&comms_tab, h, c);
	return c;
}

struct comms *
comms_intern(uint8_t unit, const uint8_t *data, size_t n)
{
	uint8_t		 stack[COMM_STACK], *tmp;
	struct comms	*c;

	if (unit != COMM_UNIT_STD && unit != COMM_UNIT_EXT &&
	    unit != COMM_UNIT_LARGE)
		fatalx("comms_intern: unit %u", unit);
	if (n == 0)
		return NULL;
	if (comms_canonical(unit, data, n)) {
		if (n > UINT16_MAX)
			fatalx("comms_intern: %zu values", n);
		return comms_lookup(unit, data, n);
	}
	tmp = n * unit <= sizeof(stack) ? stack : xmalloc(n * unit);
	memcpy(tmp, data, n * unit);
	n = comms_sort(unit, tmp, n);
	if (n > UINT16_MAX)
		fatalx("comms_intern: %zu values", n);
	c = comms_lookup(unit, tmp, n);
	if (tmp != stack)
		free(tmp);
	return c;
}

struct comms *
comms_ref(struct comms *c)
{
	if (c != NULL)
		refcnt_up(&c->refcnt, "comms");
	return c;
}

void
comms_unref(struct comms *c)
{
	if (c == NULL || !refcnt_down(&c->refcnt, "comms"))
		return;
	itab_remove(&comms_tab, c->hash, c);
	free(c);
}

size_t
comms_total(void)
{
	return comms_tab.count;
}

/* Values are sorted: binary search. */
int
comms_has(const struct comms *c, const uint8_t *value)
{
	size_t	 lo = 0, hi, mid;
	int	 r;

	if (c == NULL)
		return 0;
	for (hi = c->n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		r = memcmp(c->data + mid * c->unit, value, c->unit);
		if (r == 0)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
comms_has_std(const struct comms *c, uint32_t value)
{
	uint8_t	 v[4];

	if (c == NULL || c->unit != COMM_UNIT_STD)
		return 0;
	set_be32(v, value);
	return comms_has(c, v);
}

struct comms *
comms_union(const struct comms *a, const struct comms *b)
{
	struct comms	*c;
	uint8_t		*tmp;
	size_t		 na, nb;

	if (a == NULL || a->n == 0)
		return comms_ref((struct comms *)(uintptr_t)b);
	if (b == NULL || b->n == 0)
		return comms_ref((struct comms *)(uintptr_t)a);
	if (a->unit != b->unit)
		fatalx("comms_union: units %u and %u", a->unit, b->unit);
	na = (size_t)a->n * a->unit;
	nb = (size_t)b->n * b->unit;
	tmp = xmalloc(na + nb);
	memcpy(tmp, a->data, na);
	memcpy(tmp + na, b->data, nb);
	c = comms_intern(a->unit, tmp, (size_t)a->n + b->n);
	free(tmp);
	return c;
}

/* FRR's names for the well-known standard communities. */
static const struct {
	uint32_t	 value;
	const char	*name;
} comm_names[] = {
	{ COMM_GRACEFUL_SHUTDOWN, "graceful-shutdown" },
	{ 0xffff0001u, "accept-own" },
	{ 0xffff0002u, "route-filter-translated-v4" },
	{ 0xffff0003u, "route-filter-v4" },
	{ 0xffff0004u, "route-filter-translated-v6" },
	{ 0xffff0005u, "route-filter-v6" },
	{ 0xffff0006u, "llgr-stale" },
	{ 0xffff0007u, "no-llgr" },
	{ 0xffff0008u, "accept-own-nexthop" },
	{ COMM_BLACKHOLE, "blackhole" },
	{ COMM_NO_EXPORT, "no-export" },
	{ COMM_NO_ADVERTISE, "no-advertise" },
	{ COMM_NO_EXPORT_SUBCONFED, "local-AS" },
	{ COMM_NO_PEER, "no-peer" },
};

static void
comm_print_std(struct buf *b, const uint8_t *p)
{
	uint32_t	 v = get_be32(p);
	size_t		 i;

	for (i = 0; i < sizeof(comm_names) / sizeof(comm_names[0]); i++)
		if (comm_names[i].value == v) {
			buf_puts(b, comm_names[i].name);
			return;
		}
	buf_putf(b, "%u:%u", v >> 16, v & 0xffff);
}

static void
comm_print_large(struct buf *b, const uint8_t *p)
{
	buf_putf(b, "%u:%u:%u", get_be32(p), get_be32(p + 4),
	    get_be32(p + 8));
}

/* RFC 4360 3.1-3.3 route target (subtype 2) and site of origin (3) in
 * the three transitive encodings; FRR's "UNK:type, subtype" else. */
static void
comm_print_ext(struct buf *b, const uint8_t *p)
{
	const char	*kind = p[1] == 0x02 ? "RT" : p[1] == 0x03 ? "SoO" :
			    NULL;
	struct in_addr	 in;
	char		 ip[INET_ADDRSTRLEN];

	if (kind == NULL || p[0] > 0x02) {
		buf_putf(b, "UNK:%u, %u", p[0], p[1]);
		return;
	}
	if (p[0] == 0x00)
		buf_putf(b, "%s:%u:%u", kind, (unsigned)(p[2] << 8 | p[3]),
		    get_be32(p + 4));
	else if (p[0] == 0x02)
		buf_putf(b, "%s:%u:%u", kind, get_be32(p + 2),
		    (unsigned)(p[6] << 8 | p[7]));
	else {
		memcpy(&in, p + 2, 4);
		inet_ntop(AF_INET, &in, ip, sizeof(ip));
		buf_putf(b, "%s:%s:%u", kind, ip, (unsigned)(p[6] << 8 | p[7]));
	}
}

void
comms_print(struct buf *b, const struct comms *c)
{
	size_t	 i;

	for (i = 0; c != NULL && i < c->n; i++) {
		if (i > 0)
			buf_put_u8(b, ' ');
		if (c->unit == COMM_UNIT_STD)
			comm_print_std(b, c->data + i * c->unit);
		else if (c->unit == COMM_UNIT_EXT)
			comm_print_ext(b, c->data + i * c->unit);
		else
			comm_print_large(b, c->data + i * c->unit);
	}
}

/* Unknown transitive attributes --------------------------------------- */

static struct itab	 raw_tab;

static int
raw_eq(const void *obj, const void *key)
{
	const struct attr_raw	*r = obj;
	const struct bytes_key	*k = key;

	return r->len == k->len && memcmp(r->data, k->data, k->len) == 0;
}

struct attr_raw *
attr_raw_intern(const uint8_t *data, size_t len)
{
	struct bytes_key	 k = { data, len };
	struct attr_raw		*r;
	uint32_t		 h;

	if (len == 0)
		return NULL;
	if (len > UINT16_MAX)
		fatalx("attr_raw_intern: %zu bytes", len);
	h = hash_final(hash_bytes(hash_start(len), data, len));
	if ((r = itab_find(&raw_tab, h, raw_eq, &k)) != NULL) {
		refcnt_up(&r->refcnt, "attr_raw");
		return r;
	}
	r = xmalloc(sizeof(*r) + len);
	r->hnext = NULL;
	r->refcnt = 1;
	r->hash = h;
	r->len = (uint16_t)len;
	memcpy(r->data, data, len);
	itab_insert(&raw_tab, h, r);
	return r;
}

static struct attr_raw *
attr_raw_ref(struct attr_raw *r)
{
	if (r != NULL)
		refcnt_up(&r->refcnt, "attr_raw");
	return r;
}

void
attr_raw_unref(struct attr_raw *r)
{
	if (r == NULL || !refcnt_down(&r->refcnt, "attr_raw"))
		return;
	itab_remove(&raw_tab, r->hash, r);
	free(r);
}

/* Interned attribute sets -------------------------------------------- */

static struct itab	 attr_tab;
static struct pool	 attr_pool;

static uint32_t
addr_hash(uint32_t h, const struct tb_addr *a)
{
	h = hash_mix(h, a->af);
	if (a->af == AF_INET)
		return hash_bytes(h, a->u.raw, 4);
	if (a->af == AF_INET6)
		return hash_bytes(h, a->u.raw, 16);
	return h;
}

static int
addr_same(const struct tb_addr *a, const struct tb_addr *b)
{
	if (a->af != b->af)
		return 0;
	if (a->af == AF_INET)
		return memcmp(a->u.raw, b->u.raw, 4) == 0;
	if (a->af == AF_INET6)
		return memcmp(a->u.raw, b->u.raw, 16) == 0;
	return 1;
}

/* Fields that do not count when their flag is clear hash as 0. */
static uint32_t
attr_hash(const struct attr *a)
{
	uint32_t	 h = hash_start(sizeof(*a));

	h = hash_mix(h, (uint32_t)a->origin << 8 | a->flags);
	h = hash_mix(h, a->flags & ATTRF_MED ? a->med : 0);
	h = hash_mix(h, a->flags & ATTRF_LOCAL_PREF ? a->local_pref : 0);
	h = hash_mix(h, a->weight);
	if (a->flags & ATTRF_AGGREGATOR)
		h = hash_mix(hash_mix(h, a->agg_as), a->agg_id);
	h = addr_hash(h, &a->nexthop);
	if (a->flags & ATTRF_NEXTHOP_LL)
		h = addr_hash(h, &a->nexthop_ll);
	h = hash_mix(h, a->aspath ? a->aspath->hash : 0);
	h = hash_mix(h, a->comm ? a->comm->hash : 0);
	h = hash_mix(h, a->ecomm ? a->ecomm->hash : 0);
	h = hash_mix(h, a->lcomm ? a->lcomm->hash : 0);
	h = hash_mix(h, a->unknown ? a->unknown->hash : 0);
	return hash_final(h);
}

/* Parts are interned, so equal parts are the same pointer. */
int
attr_equal(const struct attr *a, const struct attr *b)
{
	if (a->origin != b->origin || a->flags != b->flags ||
	    a->weight != b->weight || a->aspath != b->aspath ||
	    a->comm != b->comm || a->ecomm != b->ecomm ||
	    a->lcomm != b->lcomm || a->unknown != b->unknown)
		return 0;
	if ((a->flags & ATTRF_MED) && a->med != b->med)
		return 0;
	if ((a->flags & ATTRF_LOCAL_PREF) && a->local_pref != b->local_pref)
		return 0;
	if ((a->flags & ATTRF_AGGREGATOR) &&
	    (a->agg_as != b->agg_as || a->agg_id != b->agg_id))
		return 0;
	if ((a->flags & ATTRF_NEXTHOP_LL) &&
	    !addr_same(&a->nexthop_ll, &b->nexthop_ll))
		return 0;
	return addr_same(&a->nexthop, &b->nexthop);
}

static int
attr_eq(const void *obj, const void *key)
{
	return attr_equal(obj, key);
}

struct attr *
attr_intern(struct attr *work)
{
	struct attr	*a;
	uint32_t	 h;

	if (work->refcnt != 0)
		fatalx("attr_intern: not a work copy (refcnt %u)",
		    work->refcnt);
	if (work->aspath == NULL)
		work->aspath = aspath_empty();
	h = attr_hash(work);
	if ((a = itab_find(&attr_tab, h, attr_eq, work)) != NULL) {
		attr_clear(work);
		return attr_ref(a);
	}
	if (attr_pool.name == NULL)
		pool_init(&attr_pool, sizeof(struct attr), "attr");
	a = pool_get(&attr_pool);
	*a = *work;
	a->hnext = NULL;
	a->refcnt = 1;
	a->hash = h;
	itab_insert(&attr_tab, h, a);
	memset(work, 0, sizeof(*work));
	return a;
}

struct attr *
attr_ref(struct attr *a)
{
	refcnt_up(&a->refcnt, "attr");
	return a;
}

static void
attr_parts_unref(struct attr *a)
{
	aspath_unref(a->aspath);
	comms_unref(a->comm);
	comms_unref(a->ecomm);
	comms_unref(a->lcomm);
	attr_raw_unref(a->unknown);
}

void
attr_unref(struct attr *a)
{
	if (a == NULL || !refcnt_down(&a->refcnt, "attr"))
		return;
	itab_remove(&attr_tab, a->hash, a);
	attr_parts_unref(a);
	pool_put(&attr_pool, a);
}

void
attr_copy(struct attr *work, const struct attr *src)
{
	*work = *src;
	work->hnext = NULL;
	work->refcnt = 0;
	work->hash = 0;
	if (work->aspath != NULL)
		aspath_ref(work->aspath);
	comms_ref(work->comm);
	comms_ref(work->ecomm);
	comms_ref(work->lcomm);
	attr_raw_ref(work->unknown);
}

void
attr_clear(struct attr *work)
{
	if (work->refcnt != 0)
		fatalx("attr_clear: interned attr (refcnt %u)", work->refcnt);
	attr_parts_unref(work);
	memset(work, 0, sizeof(*work));
}

size_t
attr_count(void)
{
	return attr_tab.count;
}
