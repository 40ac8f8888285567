/*
 * attr.c: BGP path attributes (see attr.h).
 *
 * Owns: the attribute descriptor table and the parser it drives (RFC 4271
 * 4.3 and 5, RFC 7606 error handling, RFC 6793 AS4 attributes), the
 * intern tables of attribute sets, AS paths, communities and unknown
 * transitive attributes, the encoder for eBGP peers, and the text forms
 * the shell shows (FRR's).
 *
 * Decisions worth knowing:
 *  - interning uses open-addressing tables (linear probing, backward-shift
 *    deletion) that double when half full; the objects' hnext fields are
 *    unused.  Hashes are seeded at random so a peer cannot aim collisions;
 *  - an attribute seen twice is discarded here too (RFC 7606 3 g), so a
 *    caller that forgets the attr_seen() check leaks nothing;
 *  - an unrecognized attribute with the Optional bit clear still resets
 *    the session (RFC 4271 6.3, 3/2): RFC 7606 does not revise that case,
 *    and such an attribute cannot have crossed another AS (only optional
 *    transitive ones are passed on), so it cannot reset sessions far away;
 *  - AS 0 in AS_PATH or AGGREGATOR is malformed (RFC 7607).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "log.h"
#include "pool.h"

#define ATTR_LEN_MAX		65535
#define ASP_STACK		4096	/* AS path bytes converted on stack */
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

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		fatal("malloc %zu", n);
	return p;
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

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
set_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* AS paths ----------------------------------------------------------- */

static struct itab	 aspath_tab;

/* One segment of a path in the 4-octet internal form. */
struct seg {
	uint8_t		 type;
	uint8_t		 count;
	const uint8_t	*as;
};

/* Bounded walk: stops at the end or at a segment that would overrun. */
static int
seg_next(const uint8_t *data, size_t len, size_t *off, struct seg *s)
{
	if (*off > len || len - *off < 2)
		return 0;
	s->type = data[*off];
	s->count = data[*off + 1];
	if (len - *off - 2 < (size_t)s->count * 4)
		return 0;
	s->as = data + *off + 2;
	*off += 2 + (size_t)s->count * 4;
	return 1;
}

static int
seg_confed(uint8_t type)
{
	return type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
}

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

	return p->len == k->len && memcmp(p->data, k->data, k->len) == 0;
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
	return aspath_intern(NULL, 0);
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

/* One attribute of a pass-on blob (built by us, so well-formed; the walk
 * is bounded all the same). */
static int
raw_next(const uint8_t *d, size_t len, size_t *off, uint8_t *code,
    size_t *alen)
{
	size_t	 hl;

	if (*off >= len || len - *off < 3)
		return 0;
	hl = (d[*off] & ATTR_F_EXTLEN) ? 4 : 3;
	if (len - *off < hl)
		return 0;
	*code = d[*off + 1];
	*alen = hl == 4 ? (size_t)(d[*off + 2] << 8 | d[*off + 3]) :
	    d[*off + 2];
	if (len - *off - hl < *alen)
		return 0;
	*alen += hl;
	return 1;
}

/* Inserts one attribute into w's blob in type order (RFC 4271 5: Partial
 * set; low flag bits cleared, RFC 4271 4.3; extended length only when
 * needed). */
static void
unknown_add(struct attr *a, uint8_t flags, uint8_t code, const struct buf *val)
{
	const struct attr_raw	*old = a->unknown;
	size_t			 vlen = buf_left(val), hl = vlen > 255 ? 4 : 3;
	size_t			 olen = old ? old->len : 0, off = 0, alen;
	uint8_t			*out, c;

	if (olen + hl + vlen > UINT16_MAX)
		return;
	while (old != NULL && raw_next(old->data, olen, &off, &c, &alen) &&
	    c < code)
		off += alen;
	out = xmalloc(olen + hl + vlen);
	if (off > 0)
		memcpy(out, old->data, off);
	out[off] = (flags & (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)) |
	    ATTR_F_PARTIAL | (hl == 4 ? ATTR_F_EXTLEN : 0);
	out[off + 1] = code;
	if (hl == 4) {
		out[off + 2] = vlen >> 8;
		out[off + 3] = vlen & 0xff;
	} else
		out[off + 2] = (uint8_t)vlen;
	memcpy(out + off + hl, buf_rptr(val), vlen);
	if (olen > off)
		memcpy(out + off + hl + vlen, old->data + off, olen - off);
	a->unknown = attr_raw_intern(out, olen + hl + vlen);
	attr_raw_unref((struct attr_raw *)(uintptr_t)old);
	free(out);
}

/* Parsing ------------------------------------------------------------ */

typedef enum attr_action (*attr_parse_fn)(struct attr_work *, struct buf *,
    const struct attr_ctx *, struct attr_err *);

struct attr_desc {
	const char		*name;		/* NULL: not known */
	uint8_t			 flags;		/* Optional, Transitive */
	uint16_t		 minlen;
	uint16_t		 maxlen;
	uint8_t			 unit;		/* length multiple, 0: any */
	enum attr_action	 onerr;		/* RFC 7606 7.x */
	uint8_t			 subcode;	/* RFC 4271 6.3 for logs */
	int			 ebgp_discard;	/* RFC 7606 7.5, 7.9, 7.10 */
	int			 as2_only;	/* RFC 6793 AS4_* */
	attr_parse_fn		 parse;		/* NULL: update.c's (MP) */
};

static enum attr_action
attr_fail(struct attr_err *err, enum attr_action act, uint8_t subcode,
    const struct buf *raw, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Fills err: the action, the NOTIFICATION RFC 4271 6.3 would send (data:
 * the attribute, for the reset case and for logs) and the reason. */
static enum attr_action
attr_fail(struct attr_err *err, enum attr_action act, uint8_t subcode,
    const struct buf *raw, const char *fmt, ...)
{
	va_list	 ap;

	err->action = act;
	if (raw != NULL)
		notify_set(&err->notify, ERR_UPDATE, subcode, buf_rptr(raw),
		    buf_left(raw));
	else
		notify_set(&err->notify, ERR_UPDATE, subcode, NULL, 0);
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof(err->why), fmt, ap);
	va_end(ap);
	return act;
}

static enum attr_action
ap_origin(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint8_t	 o;

	(void)ctx;
	if (buf_get_u8(v, &o) == -1 || o > ORIGIN_INCOMPLETE)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ORIGIN, NULL,
		    "ORIGIN: undefined value %u (RFC 7606 7.1)", o);
	w->a.origin = o;
	return ACT_OK;
}

/*
 * Reads one wire AS_PATH (asz: 2 or 4 octets per ASN) into the 4-octet
 * form at out (room for twice the input).  RFC 7606 7.2: unknown segment
 * type, zero segment length, overrun and a lone trailing octet are
 * malformed; so are confederation segments from an eBGP peer (RFC 5065 5
 * as revised by 7606 7.2) and AS 0 (RFC 7607).  drop_confed: AS4_PATH,
 * where confederation segments are removed (RFC 6793 6).
 */
static const char *
aspath_read(struct buf *v, size_t asz, int ebgp, int drop_confed,
    uint8_t *out, size_t *olen)
{
	uint8_t		 type, cnt, *seg;
	uint16_t	 as2;
	uint32_t	 as;
	int		 i;

	for (*olen = 0; buf_left(v) > 0;) {
		if (buf_get_u8(v, &type) == -1 || buf_get_u8(v, &cnt) == -1)
			return "a single trailing octet";
		if (type < AS_SET || type > AS_CONFED_SET)
			return "unknown segment type";
		if (cnt == 0)
			return "segment of length 0";
		if (buf_left(v) < cnt * asz)
			return "segment running past the attribute";
		if (seg_confed(type) && drop_confed) {
			buf_skip(v, cnt * asz);
			continue;
		}
		if (seg_confed(type) && ebgp)
			return "confederation segment from an eBGP peer";
		seg = out + *olen;
		seg[0] = type;
		seg[1] = cnt;
		for (i = 0; i < cnt; i++) {
			if (asz == 2) {
				buf_get_u16(v, &as2);
				as = as2;
			} else
				buf_get_u32(v, &as);
			if (as == 0)
				return "AS 0 (RFC 7607)";
			set_be32(seg + 2 + i * 4, as);
		}
		*olen += 2 + (size_t)cnt * 4;
	}
	return *olen > UINT16_MAX ? "too long once in 4-octet form" : NULL;
}

/* Converts into a stack buffer for the usual short paths. */
static const char *
aspath_parse(struct buf *v, size_t asz, int ebgp, int drop_confed,
    struct aspath **pp)
{
	uint8_t		 stack[ASP_STACK], *out;
	size_t		 need = buf_left(v) * 2, olen;
	const char	*why;

	out = need <= sizeof(stack) ? stack : xmalloc(need);
	if ((why = aspath_read(v, asz, ebgp, drop_confed, out, &olen)) ==
	    NULL)
		*pp = aspath_intern(out, olen);
	if (out != stack)
		free(out);
	return why;
}

/* RFC 4271 6.3: from an external peer the leftmost AS must be the
 * peer's (AS_TRANS on a 2-octet session when it has no 2-octet AS). */
static int
aspath_first_ok(const struct aspath *p, const struct attr_ctx *ctx)
{
	uint32_t	 want = ctx->peer_as;

	if (!ctx->ebgp || ctx->peer_as == 0)
		return 1;
	if (!ctx->as4 && want > UINT16_MAX)
		want = AS_TRANS;
	return aspath_neighbor(p) == want;
}

static enum attr_action
ap_aspath(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct aspath	*p = NULL;
	const char	*why;

	why = aspath_parse(v, ctx->as4 ? 4 : 2, ctx->ebgp, 0, &p);
	if (why != NULL)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ASPATH, NULL,
		    "AS_PATH malformed: %s (RFC 7606 7.2)", why);
	w->a.aspath = p;
	if (!aspath_first_ok(p, ctx))
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ASPATH, NULL,
		    "AS_PATH: leftmost AS %u is not the peer's AS %u "
		    "(RFC 4271 6.3, RFC 7606 7.2)", aspath_neighbor(p),
		    ctx->peer_as);
	return ACT_OK;
}

/* RFC 4271 6.3: a semantically wrong NEXT_HOP means the route is not
 * installed; RFC 7606 7.3 makes every NEXT_HOP error treat-as-withdraw. */
static const char *
nexthop_bad(const struct tb_addr *nh, const struct attr_ctx *ctx)
{
	uint32_t	 h = ntohl(nh->u.v4.s_addr);

	if (h == 0)
		return "0.0.0.0";
	if ((h >> 28) == 0xe)
		return "a multicast address";
	if ((h >> 28) == 0xf)
		return "a class E or broadcast address";
	if (ctx->local_addr.af == AF_INET &&
	    ctx->local_addr.u.v4.s_addr == nh->u.v4.s_addr)
		return "our own address on this session";
	return NULL;
}

static enum attr_action
ap_nexthop(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct tb_addr	 nh;
	const char	*why;

	memset(&nh, 0, sizeof(nh));
	nh.af = AF_INET;
	if (buf_get_n(v, &nh.u.v4, 4) == -1)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ATTRLEN, NULL,
		    "NEXT_HOP: short");
	/* Not kept when refused: update.c may only discard it (RFC 4760 3,
	 * no classic NLRI), and it must not be sent on then. */
	if ((why = nexthop_bad(&nh, ctx)) != NULL)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_NEXTHOP, NULL,
		    "NEXT_HOP %s is %s (RFC 4271 6.3)", addr_str(&nh), why);
	w->a.nexthop = nh;
	return ACT_OK;
}

static enum attr_action
ap_med(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	buf_get_u32(v, &w->a.med);
	w->a.flags |= ATTRF_MED;
	return ACT_OK;
}

static enum attr_action
ap_local_pref(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	buf_get_u32(v, &w->a.local_pref);
	w->a.flags |= ATTRF_LOCAL_PREF;
	return ACT_OK;
}

static enum attr_action
ap_atomic(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)v;
	(void)ctx;
	(void)err;
	w->a.flags |= ATTRF_ATOMIC_AGG;
	return ACT_OK;
}

/* RFC 7606 7.7: length 6 on 2-octet sessions, 8 on 4-octet ones, else
 * attribute discard; AS 0 likewise (RFC 7607 2). */
static enum attr_action
ap_aggregator(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint16_t	 as2;
	uint32_t	 as, id;

	if (buf_left(v) != (ctx->as4 ? 8u : 6u))
		return attr_fail(err, ACT_DISCARD, ERR_UPD_ATTRLEN, NULL,
		    "AGGREGATOR: length %zu on a %d-octet session "
		    "(RFC 7606 7.7)", buf_left(v), ctx->as4 ? 4 : 2);
	if (ctx->as4)
		buf_get_u32(v, &as);
	else {
		buf_get_u16(v, &as2);
		as = as2;
	}
	buf_get_u32(v, &id);
	if (as == 0)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AGGREGATOR: AS 0 (RFC 7607 2)");
	w->a.agg_as = as;
	w->a.agg_id = id;
	w->a.flags |= ATTRF_AGGREGATOR;
	return ACT_OK;
}

static struct comms *
comms_from(struct buf *v, uint8_t unit)
{
	size_t	 n = buf_left(v) / unit;
	struct comms *c = comms_intern(unit, buf_rptr(v), n);

	buf_skip(v, n * unit);
	return c;
}

static enum attr_action
ap_comm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.comm = comms_from(v, COMM_UNIT_STD);
	return ACT_OK;
}

static enum attr_action
ap_ecomm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.ecomm = comms_from(v, COMM_UNIT_EXT);
	return ACT_OK;
}

static enum attr_action
ap_lcomm(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	(void)ctx;
	(void)err;
	w->a.lcomm = comms_from(v, COMM_UNIT_LARGE);
	return ACT_OK;
}

/* ORIGINATOR_ID and CLUSTER_LIST from an internal peer: checked by the
 * table, not kept (tbgpd does not reflect routes). */
static enum attr_action
ap_checked_only(struct attr_work *w, struct buf *v,
    const struct attr_ctx *ctx, struct attr_err *err)
{
	(void)w;
	(void)ctx;
	(void)err;
	buf_skip(v, buf_left(v));
	return ACT_OK;
}

/* RFC 6793 6: malformed AS4_PATH is discarded; confederation segments in
 * it are removed. */
static enum attr_action
ap_as4_path(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	struct aspath	*p = NULL;
	const char	*why;

	(void)ctx;
	if ((why = aspath_parse(v, 4, 0, 1, &p)) != NULL)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AS4_PATH malformed: %s (RFC 6793 6)", why);
	w->as4_path = p;
	return ACT_OK;
}

static enum attr_action
ap_as4_agg(struct attr_work *w, struct buf *v, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	uint32_t	 as, id;

	(void)ctx;
	buf_get_u32(v, &as);
	buf_get_u32(v, &id);
	if (as == 0)
		return attr_fail(err, ACT_DISCARD, ERR_UPD_OPTATTR, NULL,
		    "AS4_AGGREGATOR: AS 0 (RFC 7607 2)");
	w->as4_agg_as = as;
	w->as4_agg_id = id;
	w->has_as4_agg = 1;
	return ACT_OK;
}

#define O	ATTR_F_OPTIONAL
#define T	ATTR_F_TRANSITIVE
#define W	ACT_WITHDRAW
#define D	ACT_DISCARD
#define LMAX	ATTR_LEN_MAX

/* One row per attribute we know; RFC 7606 section 7 gives each action. */
static const struct attr_desc attr_table[256] = {
	[ATTR_ORIGIN] = { "ORIGIN", T, 1, 1, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_origin },
	[ATTR_AS_PATH] = { "AS_PATH", T, 0, LMAX, 0, W, ERR_UPD_ASPATH,
	    0, 0, ap_aspath },
	[ATTR_NEXT_HOP] = { "NEXT_HOP", T, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_nexthop },
	[ATTR_MED] = { "MULTI_EXIT_DISC", O, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    0, 0, ap_med },
	[ATTR_LOCAL_PREF] = { "LOCAL_PREF", T, 4, 4, 0, W, ERR_UPD_ATTRLEN,
	    1, 0, ap_local_pref },
	[ATTR_ATOMIC_AGGREGATE] = { "ATOMIC_AGGREGATE", T, 0, 0, 0, D,
	    ERR_UPD_ATTRLEN, 0, 0, ap_atomic },
	[ATTR_AGGREGATOR] = { "AGGREGATOR", O | T, 6, 8, 0, D,
	    ERR_UPD_ATTRLEN, 0, 0, ap_aggregator },
	[ATTR_COMMUNITIES] = { "COMMUNITIES", O | T, 4, LMAX, 4, W,
	    ERR_UPD_OPTATTR, 0, 0, ap_comm },
	[ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", O, 4, 4, 0, W,
	    ERR_UPD_ATTRLEN, 1, 0, ap_checked_only },
	[ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", O, 4, LMAX, 4, W,
	    ERR_UPD_ATTRLEN, 1, 0, ap_checked_only },
	[ATTR_MP_REACH_NLRI] = { "MP_REACH_NLRI", O, 0, LMAX, 0,
	    ACT_RESET, ERR_UPD_OPTATTR, 0, 0, NULL },
	[ATTR_MP_UNREACH_NLRI] = { "MP_UNREACH_NLRI", O, 0, LMAX, 0,
	    ACT_RESET, ERR_UPD_OPTATTR, 0, 0, NULL },
	[ATTR_EXT_COMMUNITIES] = { "EXT_COMMUNITIES", O | T, 8, LMAX, 8,
	    W, ERR_UPD_OPTATTR, 0, 0, ap_ecomm },
	[ATTR_AS4_PATH] = { "AS4_PATH", O | T, 2, LMAX, 0, D,
	    ERR_UPD_OPTATTR, 0, 1, ap_as4_path },
	[ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", O | T, 8, 8, 0, D,
	    ERR_UPD_OPTATTR, 0, 1, ap_as4_agg },
	[ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITIES", O | T, 12, LMAX,
	    12, W, ERR_UPD_OPTATTR, 0, 0, ap_lcomm },
};

#undef O
#undef T
#undef W
#undef D
#undef LMAX

void
attr_work_init(struct attr_work *w)
{
	memset(w, 0, sizeof(*w));
}

void
attr_work_clear(struct attr_work *w)
{
	attr_clear(&w->a);
	aspath_unref(w->as4_path);
	memset(w, 0, sizeof(*w));
}

int
attr_seen(const struct attr_work *w, uint8_t code)
{
	return (w->seen[code >> 3] >> (code & 7)) & 1;
}

/* RFC 4271 5: unknown optional transitive attributes are passed on with
 * Partial set, unknown optional non-transitive ones quietly dropped. */
static enum attr_action
attr_unknown(struct attr_work *w, uint8_t flags, uint8_t code,
    struct buf *val, const struct buf *raw, struct attr_err *err)
{
	if (!(flags & ATTR_F_OPTIONAL))
		return attr_fail(err, ACT_RESET, ERR_UPD_UNKNWN_WK_ATTR, raw,
		    "unrecognized well-known attribute %u (RFC 4271 6.3)",
		    code);
	if (flags & ATTR_F_TRANSITIVE)
		unknown_add(&w->a, flags, code, val);
	buf_skip(val, buf_left(val));
	return ACT_OK;
}

/* Flags and length, from the table (RFC 7606 3 c; 7.x per attribute). */
static enum attr_action
attr_check(const struct attr_desc *d, uint8_t flags, const struct buf *val, const struct buf *raw, struct attr_err *err)
{
	size_t	 len = buf_left(val);

	/* Partial and the unused low bits are ignored (RFC 4271 4.3). */
	if ((flags & (ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE)) != d->flags)
		return attr_fail(err, ACT_WITHDRAW, ERR_UPD_ATTRFLAGS, raw,
		    "%s: flags 0x%02x conflict with the type (RFC 7606 3 c)",
		    d->name, flags);
	if (len < d->minlen || len > d->maxlen ||
	    (d->unit != 0 && len % d->unit != 0))
		return attr_fail(err, d->onerr, d->subcode, raw,
		    "%s: bad length %zu (RFC 7606 7)", d->name, len);
	return ACT_OK;
}

enum attr_action
attr_parse(struct attr_work *w, uint8_t flags, uint8_t code,
    struct buf *val, const struct buf *raw, const struct attr_ctx *ctx,
    struct attr_err *err)
{
	const struct attr_desc	*d = &attr_table[code];
	enum attr_action	 act;

	err->action = ACT_OK;
	err->why[0] = '\0';
	if (attr_seen(w, code))
		return attr_fail(err, ACT_DISCARD, ERR_UPD_ATTRLIST, NULL,
		    "attribute %u repeated (RFC 7606 3 g)", code);
	w->seen[code >> 3] |= 1u << (code & 7);
	if (d->name == NULL)
		return attr_unknown(w, flags, code, val, raw, err);
	if (d->parse == NULL)
		return attr_fail(err, ACT_RESET, ERR_UPD_ATTRLIST, raw,
		    "%s handed to attr_parse", d->name);
	if (d->ebgp_discard && ctx->ebgp)
		return attr_fail(err, ACT_DISCARD, d->subcode, NULL,
		    "%s from an external peer (RFC 7606 7.5, 7.9, 7.10)",
		    d->name);
	if (d->as2_only && ctx->as4)
		return attr_fail(err, ACT_DISCARD, d->subcode, NULL,
		    "%s on a 4-octet AS session (RFC 6793 4.1)", d->name);
	if ((act = attr_check(d, flags, val, raw, err)) != ACT_OK)
		return act;
	return d->parse(w, val, ctx, err);
}

/* AS4 merge (RFC 6793 4.2.3) ----------------------------------------- */

/*
 * The leading part of path with need ASNs (counted as RFC 4271 9.1.2.2
 * does), written at out; confederation segments at the front or next to
 * a copied segment go along.  Returns bytes written.
 */
static size_t
as4_leading(const struct aspath *path, unsigned need, uint8_t *out)
{
	struct seg	 s;
	size_t		 off = 0, o = 0, k;

	while (seg_next(path->data, path->len, &off, &s)) {
		if (need == 0 && !seg_confed(s.type))
			break;
		k = s.count;
		if (s.type == AS_SEQUENCE) {
			k = s.count < need ? s.count : need;
			need -= (unsigned)k;
		} else if (s.type == AS_SET)
			need--;
		out[o] = s.type;
		out[o + 1] = (uint8_t)k;
		memcpy(out + o + 2, s.as, k * 4);
		o += 2 + k * 4;
	}
	return o;
}

/* Joins a trailing AS_SEQUENCE of head to a leading one of tail when
 * they fit one segment, so the result equals what a 4-octet peer sends. */
static size_t
as4_join(uint8_t *out, size_t hlen, size_t lastseg, const uint8_t *tail,
    size_t tlen)
{
	if (hlen > 0 && tlen >= 2 && out[lastseg] == AS_SEQUENCE &&
	    tail[0] == AS_SEQUENCE && out[lastseg + 1] + tail[1] <=
	    AS_SEG_MAX) {
		out[lastseg + 1] += tail[1];
		memcpy(out + hlen, tail + 2, tlen - 2);
		return hlen + tlen - 2;
	}
	memcpy(out + hlen, tail, tlen);
	return hlen + tlen;
}

static size_t
seg_last_off(const uint8_t *d, size_t len)
{
	struct seg	 s;
	size_t		 off = 0, last = 0;

	for (; off < len; ) {
		last = off;
		if (!seg_next(d, len, &off, &s))
			break;
	}
	return last;
}

static void
as4_merge_path(struct attr_work *w)
{
	struct aspath	*ap = w->a.aspath, *as4 = w->as4_path;
	uint8_t		*out;
	size_t		 hlen, olen;

	/* RFC 6793 4.2.3: more ASNs in AS4_PATH than in AS_PATH: ignore */
	if (ap == NULL || ap->plen < as4->plen ||
	    (size_t)ap->len + as4->len > UINT16_MAX)
		return;
	out = xmalloc((size_t)ap->len + as4->len + 2);
	hlen = as4_leading(ap, ap->plen - as4->plen, out);
	olen = as4_join(out, hlen, seg_last_off(out, hlen), as4->data,
	    as4->len);
	w->a.aspath = aspath_intern(out, olen);
	aspath_unref(ap);
	free(out);
}

void
attr_merge_as4(struct attr_work *w, const struct attr_ctx *ctx)
{
	struct attr	*a = &w->a;

	if (ctx->as4)
		goto done;
	/* RFC 6793 4.2.3: an AGGREGATOR from a 2-octet AS means the route
	 * was aggregated by an OLD speaker after the AS4 attributes were
	 * attached: both are stale. */
	if ((a->flags & ATTRF_AGGREGATOR) && a->agg_as != AS_TRANS)
		goto done;
	if ((a->flags & ATTRF_AGGREGATOR) && w->has_as4_agg) {
		a->agg_as = w->as4_agg_as;
		a->agg_id = w->as4_agg_id;
	}
	if (w->as4_path != NULL)
		as4_merge_path(w);
done:
	aspath_unref(w->as4_path);
	w->as4_path = NULL;
	w->has_as4_agg = 0;
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

/* Encoding ----------------------------------------------------------- */

/* The writer and where it stands in the unknown attributes, which are
 * merged in type order with the ones we build. */
struct enc {
	struct buf		*b;
	const struct attr_raw	*unk;
	size_t			 off;
};

static void
enc_unknown_upto(struct enc *e, unsigned code)
{
	uint8_t	 c;
	size_t	 alen;

	while (e->unk != NULL && raw_next(e->unk->data, e->unk->len, &e->off,
	    &c, &alen) && c < code) {
		buf_put(e->b, e->unk->data + e->off, alen);
		e->off += alen;
	}
}

/* Header for code; the extended-length flag only when needed. */
static void
enc_hdr(struct enc *e, uint8_t flags, uint8_t code, size_t len)
{
	enc_unknown_upto(e, code);
	if (len > 255) {
		buf_put_u8(e->b, flags | ATTR_F_EXTLEN);
		buf_put_u8(e->b, code);
		buf_put_u16(e->b, (uint16_t)len);
	} else {
		buf_put_u8(e->b, flags);
		buf_put_u8(e->b, code);
		buf_put_u8(e->b, (uint8_t)len);
	}
}

/* as2: 2-octet form, AS_TRANS for what does not fit (RFC 6793 4.2.2);
 * no_confed: AS4_PATH, which never carries confederation segments. */
static size_t
enc_aspath_len(const struct aspath *p, int as2, int no_confed, int *wide)
{
	struct seg	 s;
	size_t		 off = 0, len = 0;
	int		 i;

	*wide = 0;
	while (seg_next(p->data, p->len, &off, &s)) {
		if (no_confed && seg_confed(s.type))
			continue;
		len += 2 + (size_t)s.count * (as2 ? 2 : 4);
		for (i = 0; i < s.count && !seg_confed(s.type); i++)
			if (get_be32(s.as + (size_t)i * 4) > UINT16_MAX)
				*wide = 1;
	}
	return len;
}

static void
enc_aspath_body(struct buf *b, const struct aspath *p, int as2,
    int no_confed)
{
	struct seg	 s;
	size_t		 off = 0;
	uint32_t	 as;
	int		 i;

	while (seg_next(p->data, p->len, &off, &s)) {
		if (no_confed && seg_confed(s.type))
			continue;
		buf_put_u8(b, s.type);
		buf_put_u8(b, s.count);
		for (i = 0; i < s.count; i++) {
			as = get_be32(s.as + (size_t)i * 4);
			if (!as2)
				buf_put_u32(b, as);
			else
				buf_put_u16(b, as > UINT16_MAX ? AS_TRANS :
				    (uint16_t)as);
		}
	}
}

/* Returns whether AS4_PATH must follow. */
static int
enc_aspath(struct enc *e, const struct aspath *p, int as4)
{
	int	 wide;
	size_t	 len = enc_aspath_len(p, !as4, 0, &wide);

	if (len > ATTR_LEN_MAX) {
		log_warnx("AS path of %zu octets cannot be sent", len);
		len = 0;
		p = NULL;
	}
	enc_hdr(e, ATTR_F_TRANSITIVE, ATTR_AS_PATH, len);
	if (p != NULL)
		enc_aspath_body(e->b, p, !as4, 0);
	return !as4 && wide;
}

static void
enc_as4_path(struct enc *e, const struct aspath *p)
{
	int	 wide;
	size_t	 len = enc_aspath_len(p, 0, 1, &wide);

	if (len > ATTR_LEN_MAX)
		return;
	enc_hdr(e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, ATTR_AS4_PATH, len);
	enc_aspath_body(e->b, p, 0, 1);
}

static void
enc_u32(struct enc *e, uint8_t flags, uint8_t code, uint32_t v)
{
	enc_hdr(e, flags, code, 4);
	buf_put_u32(e->b, v);
}

static void
enc_aggregator(struct enc *e, const struct attr *a, int as4)
{
	uint8_t	 f = ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE;

	enc_hdr(e, f, ATTR_AGGREGATOR, as4 ? 8 : 6);
	if (as4)
		buf_put_u32(e->b, a->agg_as);
	else
		buf_put_u16(e->b, a->agg_as > UINT16_MAX ? AS_TRANS :
		    (uint16_t)a->agg_as);
	buf_put_u32(e->b, a->agg_id);
}

static void
enc_comms(struct enc *e, uint8_t code, const struct comms *c)
{
	size_t	 len;

	if (c == NULL || c->n == 0)
		return;
	len = (size_t)c->n * c->unit;
	if (len > ATTR_LEN_MAX) {
		log_warnx("%s of %zu octets cannot be sent",
		    attr_code_name(code), len);
		return;
	}
	enc_hdr(e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE, code, len);
	buf_put(e->b, c->data, len);
}

static void
enc_nexthop(struct enc *e, const struct attr *a, int with_nexthop)
{
	if (!with_nexthop || a->nexthop.af != AF_INET)
		return;
	enc_hdr(e, ATTR_F_TRANSITIVE, ATTR_NEXT_HOP, 4);
	buf_put(e->b, &a->nexthop.u.v4, 4);
}

void
attr_encode(struct buf *b, const struct attr *a, int as4, int with_nexthop)
{
	struct enc	 e = { b, a->unknown, 0 };
	struct aspath	*empty = NULL;
	const struct aspath *p = a->aspath;
	int		 need_as4;

	if (p == NULL)
		p = empty = aspath_empty();
	enc_hdr(&e, ATTR_F_TRANSITIVE, ATTR_ORIGIN, 1);
	buf_put_u8(b, a->origin);
	need_as4 = enc_aspath(&e, p, as4);
	enc_nexthop(&e, a, with_nexthop);
	if (a->flags & ATTRF_MED)
		enc_u32(&e, ATTR_F_OPTIONAL, ATTR_MED, a->med);
	if (a->flags & ATTRF_ATOMIC_AGG)
		enc_hdr(&e, ATTR_F_TRANSITIVE, ATTR_ATOMIC_AGGREGATE, 0);
	if (a->flags & ATTRF_AGGREGATOR)
		enc_aggregator(&e, a, as4);
	enc_comms(&e, ATTR_COMMUNITIES, a->comm);
	enc_comms(&e, ATTR_EXT_COMMUNITIES, a->ecomm);
	if (need_as4)
		enc_as4_path(&e, p);
	if (!as4 && (a->flags & ATTRF_AGGREGATOR) && a->agg_as > UINT16_MAX) {
		enc_hdr(&e, ATTR_F_OPTIONAL | ATTR_F_TRANSITIVE,
		    ATTR_AS4_AGGREGATOR, 8);
		buf_put_u32(b, a->agg_as);
		buf_put_u32(b, a->agg_id);
	}
	enc_comms(&e, ATTR_LARGE_COMMUNITIES, a->lcomm);
	enc_unknown_upto(&e, 256);
	aspath_unref(empty);
}

/* Names -------------------------------------------------------------- */

const char *
attr_origin_name(uint8_t o)
{
	switch (o) {
	case ORIGIN_IGP:
		return "IGP";
	case ORIGIN_EGP:
		return "EGP";
	case ORIGIN_INCOMPLETE:
		return "incomplete";
	}
	return "?";
}

char
attr_origin_code(uint8_t o)
{
	switch (o) {
	case ORIGIN_IGP:
		return 'i';
	case ORIGIN_EGP:
		return 'e';
	}
	return '?';
}

const char *
attr_code_name(uint8_t code)
{
	if (attr_table[code].name != NULL)
		return attr_table[code].name;
	return "UNKNOWN";
}
