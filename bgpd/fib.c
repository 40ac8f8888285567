/*
 * fib: the FIB engine (see fib.h); its sockets are kernel.c's, on nl.c.
 *
 * Owns: the prefix table (entries keyed by prefix), the interned next-hop
 * sets (a full table shares a handful of them, so "is the kernel up to
 * date" is one pointer comparison), the queue of entries needing a
 * request, the FIFO of requests in flight (netlink answers requests of
 * one socket in order), and the one-shot deletes of stale routes at a
 * metric not ours.
 *
 * Entry states, from want (W) and kern (K, what the kernel has as far as
 * we know):  W == K and nothing in flight: in sync.  W != K: queued, or
 * failed (err set; retried when W changes, on a kernel event, or at the
 * next resync, never in a loop).  An entry is freed once W and K are both
 * empty and no request for it is queued or in flight.
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fib.h"
#include "log.h"

_Static_assert(FIB_RT_UNICAST == RTN_UNICAST &&
    FIB_RT_BLACKHOLE == RTN_BLACKHOLE &&
    FIB_RT_UNREACHABLE == RTN_UNREACHABLE &&
    FIB_RT_PROHIBIT == RTN_PROHIBIT, "FIB_RT_* are the kernel's RTN_*");

#define FIB_LOG_MAX	64		/* route errors logged at warning */

/* Interned, canonical route: protocol, type and next-hop set. */
struct fib_nhs {
	struct fib_nhs	*next;		/* hash chain */
	uint32_t	 hash;
	uint32_t	 refs;
	uint8_t		 proto;
	uint8_t		 type;
	size_t		 n;
	struct fib_nh	 nh[];
};

#define FE_QUEUED	0x01
#define FE_STALE	0x02
#define FE_SEEN		0x04

struct fib_entry {
	struct fib_entry *hnext;
	struct fib_entry *qnext;
	struct fib_nhs	*want;
	struct fib_nhs	*kern;
	uint32_t	 pending;	/* seq of the newest request, 0 */
	uint16_t	 inflight;	/* requests without an answer */
	uint16_t	 flags;		/* FE_* */
	uint8_t		 lastproto;	/* of the last route written or seen:
					 * a delete names it */
	int		 err;
	uint32_t	 fails;
	struct tb_prefix prefix;
};

struct fib_req {
	uint32_t	 seq;
	struct fib_entry *e;		/* NULL: a one-shot stale delete */
	struct fib_nhs	*nhs;		/* installed on success, NULL: delete */
};

struct fib_stale {
	struct tb_prefix prefix;
	uint32_t	 metric;
	uint8_t		 proto;
};

struct fib {
	struct fib_opts	 opts;
	struct fib_entry **tab;
	size_t		 tabsize, nentries;
	struct fib_nhs	**nhtab;
	size_t		 nhtabsize, nnhs;
	struct fib_entry *qhead, **qtail;
	size_t		 nqueued;
	struct fib_req	*fifo;		/* ring */
	size_t		 fifosize, fifohead, fifolen;
	struct fib_stale *stale;
	size_t		 nstale, stalesize;
	uint32_t	 seq;
	uint32_t	 dump_seq;	/* resync in progress when != 0 */
	size_t		 last_off;	/* last request written by a flush */
	int		 wrote;
	int		 shutdown;
	int		 static_settled;	/* fib_static_settled() */
	int		 adopting;	/* stale routes stay until the sweep */
	int		 keep;		/* nothing removed at exit */
	size_t		 nlogged;
	struct fib_stats st;
	size_t		 ninstalled;	/* entries with want == kern != NULL */
	size_t		 nfailed;	/* entries with err != 0 */
};

/* Hashing ------------------------------------------------------------- */

static uint32_t
fib_mix(uint32_t h, const uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;	/* FNV-1a */
	return h;
}

static uint32_t
fib_prefix_hash(const struct tb_prefix *p)
{
	uint8_t	 hdr[2] = { p->addr.af, p->len };

	return fib_mix(fib_mix(2166136261u, hdr, 2), p->addr.u.raw,
	    p->addr.af == AF_INET ? 4 : 16);
}

static int
fib_prefix_eq(const struct tb_prefix *a, const struct tb_prefix *b)
{
	return a->len == b->len && addr_cmp(&a->addr, &b->addr) == 0;
}

/* Next-hop sets ------------------------------------------------------- */

static int
fib_nh_cmp(const void *a, const void *b)
{
	const struct fib_nh	*x = a, *y = b;
	int			 c;

	if ((c = addr_cmp(&x->gw, &y->gw)) != 0)
		return c;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/* Interned sets are compared with memcmp: no stray bytes allowed. */
static void
fib_nh_copy(struct fib_nh *d, const struct tb_addr *gw, uint32_t ifindex)
{
	memset(d, 0, sizeof(*d));
	d->gw.af = gw->af;
	if (gw->af == AF_INET || gw->af == AF_INET6)
		memcpy(d->gw.u.raw, gw->u.raw, gw->af == AF_INET ? 4 : 16);
	else
		d->gw.af = 0;
	d->ifindex = ifindex;
}

/* Sort and drop duplicates in place; returns the new count. */
static size_t
fib_nh_canon(struct fib_nh *nh, size_t n)
{
	size_t	 i, k = 0;

	qsort(nh, n, sizeof(*nh), fib_nh_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || fib_nh_cmp(&nh[k - 1], &nh[i]) != 0)
			nh[k++] = nh[i];
	return k;
}

static uint32_t
fib_nhs_hash(uint8_t proto, uint8_t type, const struct fib_nh *nh, size_t n)
{
	uint8_t		 pt[2] = { proto, type };
	uint32_t	 h = fib_mix(2166136261u, pt, 2);
	size_t		 i;

	for (i = 0; i < n; i++) {
		h = fib_mix(h, &nh[i].gw.af, 1);
		h = fib_mix(h, nh[i].gw.u.raw, 16);
		h = fib_mix(h, (const uint8_t *)&nh[i].ifindex, 4);
	}
	return h ^ (uint32_t)n;
}

static int
fib_nhtab_grow(struct fib *f)
{
	struct fib_nhs	**nt, *s, *next;
	size_t		 i, nsize = f->nhtabsize ? f->nhtabsize * 2 : 16;

	if ((nt = calloc(nsize, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < f->nhtabsize; i++)
		for (s = f->nhtab[i]; s != NULL; s = next) {
			next = s->next;
			s->next = nt[s->hash & (nsize - 1)];
			nt[s->hash & (nsize - 1)] = s;
		}
	free(f->nhtab);
	f->nhtab = nt;
	f->nhtabsize = nsize;
	return 0;
}

/* A reference to the interned route of proto and type over nh[0..n-1]
 * (canonical). */
static struct fib_nhs *
fib_nhs_get(struct fib *f, uint8_t proto, uint8_t type,
    const struct fib_nh *nh, size_t n)
{
	struct fib_nhs	*s;
	uint32_t	 h = fib_nhs_hash(proto, type, nh, n);

	if (f->nnhs >= f->nhtabsize && fib_nhtab_grow(f) == -1)
		return NULL;
	for (s = f->nhtab[h & (f->nhtabsize - 1)]; s != NULL; s = s->next)
		if (s->hash == h && s->n == n && s->proto == proto &&
		    s->type == type &&
		    (n == 0 || memcmp(s->nh, nh, n * sizeof(*nh)) == 0)) {
			s->refs++;
			return s;
		}
	if ((s = malloc(sizeof(*s) + n * sizeof(*nh))) == NULL)
		return NULL;
	s->hash = h;
	s->refs = 1;
	s->proto = proto;
	s->type = type;
	s->n = n;
	if (n > 0)
		memcpy(s->nh, nh, n * sizeof(*nh));
	s->next = f->nhtab[h & (f->nhtabsize - 1)];
	f->nhtab[h & (f->nhtabsize - 1)] = s;
	f->nnhs++;
	return s;
}

static struct fib_nhs *
fib_nhs_ref(struct fib_nhs *s)
{
	if (s != NULL)
		s->refs++;
	return s;
}

static void
fib_nhs_unref(struct fib *f, struct fib_nhs *s)
{
	struct fib_nhs	**pp;

	if (s == NULL)
		return;
	if (s->refs == 0)
		fatalx("fib: next-hop set reference count underflow");
	if (--s->refs > 0)
		return;
	for (pp = &f->nhtab[s->hash & (f->nhtabsize - 1)]; *pp != s;
	    pp = &(*pp)->next)
		;
	*pp = s->next;
	f->nnhs--;
	free(s);
}

/* Replace *slot by s (a reference the caller hands over). */
static void
fib_nhs_set(struct fib *f, struct fib_nhs **slot, struct fib_nhs *s)
{
	fib_nhs_unref(f, *slot);
	*slot = s;
}

/*
 * The counts of installed and failed entries are kept as entries change,
 * so that fib_stats() (a metrics scrape, show bgp memory) does not walk
 * a million routes: every change of want, kern or err goes through these.
 */
static void
fib_count(struct fib *f, const struct fib_entry *e, int sign)
{
	if (e->want != NULL && e->want == e->kern)
		f->ninstalled += (size_t)sign;
	if (e->err != 0)
		f->nfailed += (size_t)sign;
}

static void
fib_set_want(struct fib *f, struct fib_entry *e, struct fib_nhs *s)
{
	fib_count(f, e, -1);
	fib_nhs_set(f, &e->want, s);
	fib_count(f, e, 1);
}

static void
fib_set_kern(struct fib *f, struct fib_entry *e, struct fib_nhs *s)
{
	fib_count(f, e, -1);
	fib_nhs_set(f, &e->kern, s);
	fib_count(f, e, 1);
}

static void
fib_set_err(struct fib *f, struct fib_entry *e, int err)
{
	fib_count(f, e, -1);
	e->err = err;
	fib_count(f, e, 1);
}

/* Entries ------------------------------------------------------------- */

static int
fib_tab_grow(struct fib *f)
{
	struct fib_entry **nt, *e, *next;
	size_t		 i, nsize = f->tabsize ? f->tabsize * 2 : 1024;
	uint32_t	 h;

	if ((nt = calloc(nsize, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = next) {
			next = e->hnext;
			h = fib_prefix_hash(&e->prefix) & (nsize - 1);
			e->hnext = nt[h];
			nt[h] = e;
		}
	free(f->tab);
	f->tab = nt;
	f->tabsize = nsize;
	return 0;
}

static struct fib_entry *
fib_lookup(struct fib *f, const struct tb_prefix *p)
{
	struct fib_entry	*e;

	if (f->tabsize == 0)
		return NULL;
	e = f->tab[fib_prefix_hash(p) & (f->tabsize - 1)];
	for (; e != NULL; e = e->hnext)
		if (fib_prefix_eq(&e->prefix, p))
			return e;
	return NULL;
}

static struct fib_entry *
fib_entry_new(struct fib *f, const struct tb_prefix *p)
{
	struct fib_entry	*e;
	uint32_t		 h;

	if (f->nentries >= f->tabsize && fib_tab_grow(f) == -1)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->prefix = *p;
	h = fib_prefix_hash(p) & (f->tabsize - 1);
	e->hnext = f->tab[h];
	f->tab[h] = e;
	f->nentries++;
	return e;
}

/* Free e if nothing refers to it any more. */
static void
fib_entry_gc(struct fib *f, struct fib_entry *e)
{
	struct fib_entry	**pp;

	if (e->want != NULL || e->kern != NULL || e->inflight > 0 ||
	    (e->flags & FE_QUEUED))
		return;
	pp = &f->tab[fib_prefix_hash(&e->prefix) & (f->tabsize - 1)];
	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	f->nentries--;
	fib_count(f, e, -1);
	free(e);
}

static void
fib_enqueue(struct fib *f, struct fib_entry *e)
{
	if (e->flags & FE_QUEUED)
		return;
	e->flags |= FE_QUEUED;
	e->qnext = NULL;
	*f->qtail = e;
	f->qtail = &e->qnext;
	f->nqueued++;
}

static struct fib_entry *
fib_dequeue(struct fib *f)
{
	struct fib_entry	*e = f->qhead;

	if (e == NULL)
		return NULL;
	if ((f->qhead = e->qnext) == NULL)
		f->qtail = &f->qhead;
	e->flags &= ~FE_QUEUED;
	f->nqueued--;
	return e;
}

/* Lifecycle ----------------------------------------------------------- */

struct fib *
fib_new(const struct fib_opts *o)
{
	struct fib	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->opts = *o;
	f->qtail = &f->qhead;
	return f;
}

const struct fib_opts *
fib_opts(const struct fib *f)
{
	return &f->opts;
}

void
fib_free(struct fib *f)
{
	struct fib_entry	*e, *next;
	size_t			 i;

	if (f == NULL)
		return;
	for (i = 0; i < f->fifolen; i++)
		fib_nhs_unref(f, f->fifo[(f->fifohead + i) % f->fifosize].nhs);
	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = next) {
			next = e->hnext;
			fib_nhs_unref(f, e->want);
			fib_nhs_unref(f, e->kern);
			free(e);
		}
	if (f->nnhs != 0)
		fatalx("fib: %zu next-hop sets leaked", f->nnhs);
	free(f->tab);
	free(f->nhtab);
	free(f->fifo);
	free(f->stale);
	free(f);
}

/* Wanting ------------------------------------------------------------- */

static int
fib_prefix_ok(const struct tb_prefix *p)
{
	return (p->addr.af == AF_INET && p->len <= 32) ||
	    (p->addr.af == AF_INET6 && p->len <= 128);
}

/* Host bits cleared, unused octets zero (the kernel rejects the one,
 * the hash reads the other). */
static void
fib_prefix_norm(const struct tb_prefix *p, struct tb_prefix *np)
{
	size_t	 i;

	memset(np, 0, sizeof(*np));
	np->addr.af = p->addr.af;
	np->len = p->len;
	for (i = 0; i < (size_t)p->len / 8; i++)
		np->addr.u.raw[i] = p->addr.u.raw[i];
	if (p->len % 8)
		np->addr.u.raw[i] = p->addr.u.raw[i] &
		    (uint8_t)(0xff << (8 - p->len % 8));
}

/* Queue e if the kernel does not have what we want. */
static void
fib_check(struct fib *f, struct fib_entry *e)
{
	if (e->want != e->kern || e->inflight > 0)
		fib_enqueue(f, e);
}

static int
fib_type_ok(uint8_t type)
{
	return type == FIB_RT_UNICAST || type == FIB_RT_BLACKHOLE ||
	    type == FIB_RT_UNREACHABLE || type == FIB_RT_PROHIBIT;
}

/* The interned form of r (NULL: none wanted); -1 for ENOMEM. */
static int
fib_route_intern(struct fib *f, const struct fib_route *r,
    struct fib_nhs **out)
{
	struct fib_nh	 canon[FIB_MAXNH];
	size_t		 i, n;

	*out = NULL;
	if (r == NULL || (r->type == FIB_RT_UNICAST && r->nnh == 0))
		return 0;
	n = r->type == FIB_RT_UNICAST ? r->nnh : 0;
	for (i = 0; i < n; i++)
		fib_nh_copy(&canon[i], &r->nh[i].gw, r->nh[i].ifindex);
	n = fib_nh_canon(canon, n);
	if ((*out = fib_nhs_get(f, r->proto, r->type, canon, n)) == NULL)
		return -1;
	return 0;
}

int
fib_set(struct fib *f, const struct tb_prefix *p, const struct fib_nh *nh,
    size_t n)
{
	struct fib_route	 r;

	if (n > FIB_MAXNH) {
		errno = EINVAL;
		return -1;
	}
	r.proto = FIB_PROTO_BGP;
	r.type = FIB_RT_UNICAST;
	r.nnh = n;
	if (n > 0)
		memcpy(r.nh, nh, n * sizeof(*nh));
	return fib_set_route(f, p, &r);
}

int
fib_set_route(struct fib *f, const struct tb_prefix *p,
    const struct fib_route *r)
{
	struct fib_nhs		*s = NULL;
	struct fib_entry	*e;
	struct tb_prefix	 np;

	if (!fib_prefix_ok(p) || (r != NULL && (r->nnh > FIB_MAXNH ||
	    !fib_type_ok(r->type)))) {
		errno = EINVAL;
		return -1;
	}
	fib_prefix_norm(p, &np);
	p = &np;
	if (fib_route_intern(f, r, &s) == -1)
		return -1;
	if ((e = fib_lookup(f, p)) == NULL && s == NULL)
		return 0;
	if (e == NULL && (e = fib_entry_new(f, p)) == NULL) {
		fib_nhs_unref(f, s);
		return -1;
	}
	e->flags &= ~FE_STALE;		/* wanted again: adopted */
	if (s == e->want) {
		fib_nhs_unref(f, s);
		return 0;
	}
	fib_set_want(f, e, s);
	fib_check(f, e);
	fib_entry_gc(f, e);
	return 0;
}

int
fib_wanted(struct fib *f, const struct tb_prefix *p, struct fib_route *r)
{
	struct fib_entry	*e;
	struct tb_prefix	 np;

	if (!fib_prefix_ok(p))
		return -1;
	fib_prefix_norm(p, &np);
	if ((e = fib_lookup(f, &np)) == NULL || e->want == NULL)
		return -1;
	memset(r, 0, sizeof(*r));
	r->proto = e->want->proto;
	r->type = e->want->type;
	r->nnh = e->want->n;
	if (r->nnh > 0)
		memcpy(r->nh, e->want->nh, r->nnh * sizeof(r->nh[0]));
	return 0;
}

/* Writing requests ---------------------------------------------------- */

static int
fib_fifo_push(struct fib *f, const struct fib_req *r)
{
	struct fib_req	*nf;
	size_t		 i, nsize;

	if (f->fifolen == f->fifosize) {
		nsize = f->fifosize ? f->fifosize * 2 : 256;
		if ((nf = malloc(nsize * sizeof(*nf))) == NULL)
			return -1;
		for (i = 0; i < f->fifolen; i++)
			nf[i] = f->fifo[(f->fifohead + i) % f->fifosize];
		free(f->fifo);
		f->fifo = nf;
		f->fifosize = nsize;
		f->fifohead = 0;
	}
	f->fifo[(f->fifohead + f->fifolen) % f->fifosize] = *r;
	f->fifolen++;
	return 0;
}

static uint32_t
fib_next_seq(struct fib *f)
{
	if (++f->seq == 0)
		f->seq = 1;
	return f->seq;
}

/* The request for p: route s, or (s NULL) the deletion of our route of
 * protocol proto. */
static void
fib_route_fill(const struct fib *f, const struct tb_prefix *p,
    const struct fib_nhs *s, uint8_t proto, struct nl_route *r)
{
	size_t	 i;

	memset(r, 0, sizeof(*r));
	r->dst = *p;
	r->table = f->opts.table;
	r->metric = f->opts.metric;
	r->protocol = s != NULL ? s->proto : proto;
	r->type = s != NULL ? s->type : 0;
	r->nnh = s != NULL ? s->n : 0;
	for (i = 0; i < r->nnh; i++) {
		r->nh[i].gw = s->nh[i].gw;
		r->nh[i].ifindex = s->nh[i].ifindex;
	}
}

/*
 * Write one request for route r; 1 written, 0 does not fit, -1 failed
 * (no memory: the entry stays queued).
 */
static int
fib_write(struct fib *f, struct buf *out, int cmd, const struct nl_route *r,
    struct fib_req *req)
{
	size_t	 len = nl_route_len(cmd, r);

	if (buf_error(out) || len > out->max - buf_len(out))
		return 0;
	size_t	 off = buf_len(out);

	req->seq = fib_next_seq(f);
	if (fib_fifo_push(f, req) == -1)
		return -1;
	if (nl_route_put(out, cmd, r, req->seq) == -1) {
		f->fifolen--;		/* out of memory: out has the error */
		return -1;
	}
	/* Failures are reported anyway; one ack closes the batch. */
	(void)nl_msg_flags_at(out, off, 0, NLM_F_ACK);
	f->last_off = off;
	f->wrote = 1;
	f->st.requests++;
	return 1;
}

static int
fib_write_stale(struct fib *f, struct buf *out, const struct fib_stale *s)
{
	struct nl_route	 r;
	struct fib_req	 req = { 0, NULL, NULL };

	fib_route_fill(f, &s->prefix, NULL, s->proto, &r);
	r.metric = s->metric;
	return fib_write(f, out, RTM_DELROUTE, &r, &req);
}

/* 1 written (or nothing to do), 0 does not fit, -1 no memory. */
static int
fib_write_entry(struct fib *f, struct buf *out, struct fib_entry *e)
{
	struct nl_route	 r;
	struct fib_req	 req;
	int		 rc;

	if (e->want == e->kern && e->inflight == 0)
		return 1;
	if (e->want == NULL && e->kern == NULL && e->inflight == 0)
		return 1;
	if (e->kern != NULL)
		e->lastproto = e->kern->proto;
	fib_route_fill(f, &e->prefix, e->want, e->lastproto, &r);
	if (e->want != NULL)
		e->lastproto = e->want->proto;
	req.e = e;
	req.nhs = fib_nhs_ref(e->want);
	rc = fib_write(f, out, e->want ? RTM_NEWROUTE : RTM_DELROUTE, &r, &req);
	if (rc != 1) {
		fib_nhs_unref(f, req.nhs);
		return rc;
	}
	e->pending = req.seq;
	e->inflight++;
	return 1;
}

static void
fib_flush_stale(struct fib *f, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < f->nstale; i++)
		if (fib_write_stale(f, out, &f->stale[i]) != 1)
			break;
	if (i == 0)
		return;
	memmove(f->stale, f->stale + i, (f->nstale - i) * sizeof(*f->stale));
	f->nstale -= i;
}

size_t
fib_flush_out(struct fib *f, struct buf *out)
{
	struct fib_entry	*e;
	size_t			 start = buf_len(out);
	int			 rc;

	if (!f->opts.install)
		return 0;
	f->wrote = 0;
	fib_flush_stale(f, out);
	while (f->nstale == 0 && (e = f->qhead) != NULL) {
		if ((rc = fib_write_entry(f, out, e)) != 1)
			break;
		fib_dequeue(f);
		fib_entry_gc(f, e);
	}
	if (f->wrote)
		(void)nl_msg_flags_at(out, f->last_off, NLM_F_ACK, 0);
	return buf_len(out) - start;
}

/* Answers ------------------------------------------------------------- */

static void
fib_log_error(struct fib *f, const struct fib_entry *e, int err)
{
	if (f->nlogged++ < FIB_LOG_MAX)
		log_warnx("fib: %s: %s", prefix_str(&e->prefix),
		    strerror(err));
	else
		log_debug("fib: %s: %s", prefix_str(&e->prefix),
		    strerror(err));
}

/* A delete of a route already gone did what it was asked. */
static int
fib_req_done(const struct fib_req *r, int err)
{
	return err == 0 || (r->nhs == NULL && err == ESRCH);
}

static void
fib_settle(struct fib *f, struct fib_req *r, int err)
{
	struct fib_entry	*e = r->e;

	e->inflight--;
	if (r->seq == e->pending)
		e->pending = 0;
	if (fib_req_done(r, err)) {
		fib_set_kern(f, e, r->nhs);
		if (e->want == e->kern)
			fib_set_err(f, e, 0);
		fib_entry_gc(f, e);
		return;
	}
	/* A failed replace leaves the kernel's route as it was. */
	fib_nhs_unref(f, r->nhs);
	f->st.errors++;
	f->st.errnos[err > 0 && err < FIB_ERRNO_SLOTS ? err : 0]++;
	e->fails++;
	if (err != e->err)
		fib_log_error(f, e, err);
	fib_set_err(f, e, err);
	fib_entry_gc(f, e);
}

static struct fib_req *
fib_fifo_front(struct fib *f)
{
	return f->fifolen ? &f->fifo[f->fifohead] : NULL;
}

static void
fib_fifo_pop(struct fib *f)
{
	f->fifohead = (f->fifohead + 1) % f->fifosize;
	f->fifolen--;
}

/* An answer that never came: the route's state is unknown, ask again. */
static void
fib_req_lost(struct fib *f, struct fib_req *r)
{
	if (r->e == NULL)
		return;
	fib_nhs_unref(f, r->nhs);
	r->e->inflight--;
	if (r->seq == r->e->pending)
		r->e->pending = 0;
	fib_enqueue(f, r->e);
}

static void
fib_answered(struct fib *f, int err)
{
	struct fib_req	 req = f->fifo[f->fifohead];

	fib_fifo_pop(f);
	if (req.e != NULL)
		fib_settle(f, &req, err);
	else if (err != 0 && err != ESRCH)
		log_warnx("fib: stale route delete: %s", strerror(err));
}

/* Is seq a request in flight (or between two of them)? */
static int
fib_inflight_seq(const struct fib *f, uint32_t seq)
{
	uint32_t	 first, last;

	if (f->fifolen == 0)
		return 0;
	first = f->fifo[f->fifohead].seq;
	last = f->fifo[(f->fifohead + f->fifolen - 1) % f->fifosize].seq;
	return (int32_t)(seq - first) >= 0 && (int32_t)(last - seq) >= 0;
}

void
fib_ack(struct fib *f, uint32_t seq, int err)
{
	struct fib_req	*r;

	if (seq != 0 && seq == f->dump_seq && err != 0) {
		log_warnx("fib: route dump failed: %s", strerror(err));
		f->dump_seq = 0;
		return;
	}
	if (!fib_inflight_seq(f, seq))
		return;		/* stray, or for a request given up */
	/*
	 * The kernel handles one socket's requests in order and reports
	 * every failure, acknowledged or not: the requests before seq
	 * without an answer of their own succeeded.
	 */
	while ((r = fib_fifo_front(f)) != NULL && (int32_t)(seq - r->seq) > 0)
		fib_answered(f, 0);
	if (r != NULL && r->seq == seq)
		fib_answered(f, err);
}

void
fib_acks_lost(struct fib *f)
{
	struct fib_req	 req;

	while (f->fifolen > 0) {
		req = f->fifo[f->fifohead];
		fib_fifo_pop(f);
		fib_req_lost(f, &req);
	}
}

/* Reconciliation ------------------------------------------------------ */

static int
fib_ours(const struct fib *f, const struct nl_route *r)
{
	return f->opts.install && r->table == f->opts.table &&
	    (r->protocol == FIB_PROTO_BGP ||
	    r->protocol == FIB_PROTO_STATIC) && fib_prefix_ok(&r->dst) &&
	    (fib_type_ok(r->type) || r->cmd == RTM_DELROUTE);
}

/* A blackhole or unreachable route is reported with the loopback as its
 * interface (IPv6): only a unicast route's next hops count. */
static struct fib_nhs *
fib_nhs_from_kernel(struct fib *f, const struct nl_route *r)
{
	struct fib_nh	 nh[NL_MAXNH];
	size_t		 i, n = r->type == FIB_RT_UNICAST ? r->nnh : 0;

	for (i = 0; i < n; i++)
		fib_nh_copy(&nh[i], &r->nh[i].gw, r->nh[i].ifindex);
	return fib_nhs_get(f, r->protocol, r->type, nh, fib_nh_canon(nh, n));
}

static void
fib_stale_other_metric(struct fib *f, const struct nl_route *r)
{
	struct fib_stale	*ns;
	size_t			 nsize;

	if (f->nstale == f->stalesize) {
		nsize = f->stalesize ? f->stalesize * 2 : 16;
		if ((ns = realloc(f->stale, nsize * sizeof(*ns))) == NULL) {
			log_warn("fib: stale route %s", prefix_str(&r->dst));
			return;
		}
		f->stale = ns;
		f->stalesize = nsize;
	}
	f->stale[f->nstale].prefix = r->dst;
	f->stale[f->nstale].proto = r->protocol;
	f->stale[f->nstale++].metric = r->metric;
}

/* The kernel lost a route (event, or absent from a dump). */
static void
fib_kernel_lost(struct fib *f, struct fib_entry *e)
{
	fib_set_kern(f, e, NULL);
	e->flags &= ~FE_STALE;
	if (e->want != NULL) {
		f->st.repairs++;
		fib_enqueue(f, e);
	}
	fib_entry_gc(f, e);
}

/* A static route an earlier instance left, while the static routes'
 * first verdicts are due. */
static int
fib_static_waits(const struct fib *f, const struct fib_entry *e)
{
	return e->kern != NULL && e->kern->proto == FIB_PROTO_STATIC &&
	    !f->static_settled;
}

/* A stale route nobody wants yet that stays for now: with fib retain or
 * while adopting until fib_stale_sweep(), a static one also until
 * fib_static_settled(). */
static int
fib_stale_kept(const struct fib *f, const struct fib_entry *e)
{
	if (e->want != NULL || !(e->flags & FE_STALE) || e->kern == NULL)
		return 0;
	return f->opts.retain || f->adopting || fib_static_waits(f, e);
}

static void
fib_kernel_has(struct fib *f, struct fib_entry *e, struct fib_nhs *s)
{
	fib_set_kern(f, e, s);
	if (fib_stale_kept(f, e))
		return;
	if (e->want != e->kern) {
		if (e->want != NULL)
			f->st.repairs++;
		fib_enqueue(f, e);
	}
}

static void
fib_kernel_new(struct fib *f, const struct nl_route *r)
{
	struct fib_entry	*e;
	struct fib_nhs		*s;

	if ((e = fib_lookup(f, &r->dst)) == NULL) {
		if ((e = fib_entry_new(f, &r->dst)) == NULL)
			return;
		e->flags |= FE_STALE;
	}
	e->flags |= FE_SEEN;
	e->lastproto = r->protocol;
	/* With a request in flight the answer settles the state. */
	if (e->inflight > 0 || (s = fib_nhs_from_kernel(f, r)) == NULL) {
		fib_entry_gc(f, e);
		return;
	}
	fib_kernel_has(f, e, s);
}

void
fib_kernel_route(struct fib *f, const struct nl_route *r)
{
	struct fib_entry	*e;

	if (!fib_ours(f, r)) {
		f->st.foreign++;
		return;		/* foreign routes are left alone */
	}
	if (r->metric != f->opts.metric) {
		if (r->cmd == RTM_NEWROUTE)
			fib_stale_other_metric(f, r);
		return;
	}
	if (r->cmd == RTM_NEWROUTE) {
		fib_kernel_new(f, r);
		return;
	}
	if ((e = fib_lookup(f, &r->dst)) != NULL && e->inflight == 0)
		fib_kernel_lost(f, e);
}

/* Resync -------------------------------------------------------------- */

static void
fib_foreach(struct fib *f, void (*fn)(struct fib *, struct fib_entry *))
{
	struct fib_entry	*e, *next;
	size_t			 i;

	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = next) {
			next = e->hnext;
			fn(f, e);
		}
}

static void
fib_unseen(struct fib *f, struct fib_entry *e)
{
	(void)f;
	e->flags &= ~FE_SEEN;
}

int
fib_resync_begin(struct fib *f, struct buf *out)
{
	uint32_t	 seq = fib_next_seq(f);

	if (nl_route_dump_put(out, AF_UNSPEC, seq) == -1)
		return -1;
	fib_foreach(f, fib_unseen);
	f->dump_seq = seq;
	return 0;
}

int
fib_resyncing(const struct fib *f)
{
	return f->dump_seq != 0;
}

static void
fib_resync_entry(struct fib *f, struct fib_entry *e)
{
	if (e->inflight > 0 || (e->flags & FE_SEEN))
		return;		/* the answer, or the dump, said it all */
	if (e->kern != NULL)
		fib_kernel_lost(f, e);
	else if (e->want != NULL)
		fib_enqueue(f, e);	/* a failed route's one retry */
}

void
fib_resync_end(struct fib *f)
{
	f->dump_seq = 0;
	fib_foreach(f, fib_resync_entry);
}

void
fib_adopt(struct fib *f)
{
	f->adopting = 1;
}

/* A stale route nobody wanted: no longer kept, deleted. */
size_t
fib_stale_sweep(struct fib *f)
{
	struct fib_entry	*e, *next;
	size_t			 i, n = 0;

	f->adopting = 0;
	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = next) {
			next = e->hnext;
			if (!(e->flags & FE_STALE) || e->want != NULL ||
			    fib_static_waits(f, e))
				continue;
			e->flags &= ~FE_STALE;
			fib_enqueue(f, e);
			n++;
		}
	return n;
}

size_t
fib_stale_count(const struct fib *f)
{
	const struct fib_entry	*e;
	size_t			 i, n = 0;

	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = e->hnext)
			if (e->flags & FE_STALE)
				n++;
	return n;
}

void
fib_keep_on_exit(struct fib *f)
{
	f->keep = 1;
}

static void
fib_sweep_static(struct fib *f, struct fib_entry *e)
{
	if (fib_stale_kept(f, e))
		return;
	e->flags &= ~FE_STALE;
	fib_enqueue(f, e);
}

void
fib_static_settled(struct fib *f)
{
	size_t			 i;
	struct fib_entry	*e;

	if (f->static_settled)
		return;
	f->static_settled = 1;
	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = e->hnext)
			if ((e->flags & FE_STALE) && e->want == NULL &&
			    e->kern != NULL &&
			    e->kern->proto == FIB_PROTO_STATIC)
				fib_sweep_static(f, e);
}

static void
fib_drop_want(struct fib *f, struct fib_entry *e)
{
	fib_set_want(f, e, NULL);
	e->flags &= ~FE_STALE;
	fib_check(f, e);
	fib_entry_gc(f, e);
}

size_t
fib_shutdown_requests(struct fib *f, struct buf *out)
{
	if (f->opts.retain || f->keep)
		return 0;
	if (!f->shutdown) {
		f->shutdown = 1;
		fib_foreach(f, fib_drop_want);
	}
	return fib_flush_out(f, out);
}

/* Input --------------------------------------------------------------- */

static void
fib_input_msg(struct fib *f, const struct nl_msg *m)
{
	struct nl_route	 r;
	uint32_t	 seq;
	int		 err;

	if (m->type == NLMSG_ERROR) {
		if (nl_parse_error(m, &err, &seq) == 0)
			fib_ack(f, seq, err);
		else
			log_warnx("fib: truncated netlink error");
	} else if (m->type == NLMSG_DONE) {
		if (m->seq == f->dump_seq && f->dump_seq != 0)
			fib_resync_end(f);
	} else if (m->type == RTM_NEWROUTE || m->type == RTM_DELROUTE) {
		if (nl_parse_route(m, &r) == 0)
			fib_kernel_route(f, &r);
		else
			log_debug("fib: malformed route message skipped");
	}
}

int
fib_input(struct fib *f, const void *p, size_t len)
{
	struct buf	 d;
	struct nl_msg	 m;
	int		 rc;

	buf_view(&d, p, len);
	while ((rc = nl_next(&d, &m)) == 1)
		fib_input_msg(f, &m);
	if (rc == -1)
		log_warnx("fib: malformed netlink datagram, rest dropped");
	return rc;
}

/* Show ---------------------------------------------------------------- */

static void
fib_info(const struct fib_entry *e, struct fib_route_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->prefix = e->prefix;
	if (e->want != NULL) {
		ri->proto = e->want->proto;
		ri->type = e->want->type;
		ri->nh = e->want->nh;
		ri->nnh = e->want->n;
	}
	if (e->kern != NULL) {
		ri->kproto = e->kern->proto;
		ri->ktype = e->kern->type;
		ri->knh = e->kern->nh;
		ri->nknh = e->kern->n;
	}
	ri->installed = e->want != NULL && e->want == e->kern;
	ri->pending = e->inflight > 0;
	ri->queued = (e->flags & FE_QUEUED) != 0;
	ri->stale = (e->flags & FE_STALE) != 0;
	ri->err = e->err;
	ri->errstr = e->err ? strerror(e->err) : "";
	ri->fails = e->fails;
}

void
fib_walk(struct fib *f, void (*fn)(const struct fib_route_info *, void *),
    void *arg)
{
	struct fib_route_info	 ri;
	struct fib_entry	*e;
	size_t			 i;

	for (i = 0; i < f->tabsize; i++)
		for (e = f->tab[i]; e != NULL; e = e->hnext) {
			fib_info(e, &ri);
			fn(&ri, arg);
		}
}

int
fib_get(struct fib *f, const struct tb_prefix *p, struct fib_route_info *ri)
{
	struct fib_entry	*e;

	if ((e = fib_lookup(f, p)) == NULL)
		return -1;
	fib_info(e, ri);
	return 0;
}

uint64_t
fib_foreign(const struct fib *f)
{
	return f->st.foreign;
}

void
fib_stats(const struct fib *f, struct fib_stats *st)
{
	*st = f->st;
	st->installed = f->ninstalled;
	st->failed = f->nfailed;
	st->routes = f->nentries;
	st->queued = f->nqueued;
	st->inflight = f->fifolen;
	st->bytes = sizeof(*f) + f->tabsize * sizeof(*f->tab) +
	    f->nentries * sizeof(struct fib_entry) +
	    f->nhtabsize * sizeof(*f->nhtab) +
	    f->fifosize * sizeof(*f->fifo) + f->stalesize * sizeof(*f->stale);
}

size_t
fib_backlog(const struct fib *f)
{
	return f->nqueued + f->nstale + f->fifolen;
}
