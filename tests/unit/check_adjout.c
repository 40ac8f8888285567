/*
 * check_adjout: UPDATE building (bgpd/update_build.c) and the
 * Adj-RIB-Out (bgpd/adjout.c).
 *
 * Every message built is read back with the real parser (update_parse):
 * each must be no longer than the limit, full (the next prefix would not
 * have fitted), carry the attributes it was given, and together the
 * messages must carry exactly the prefixes asked for, in order.  The
 * Adj-RIB-Out is driven through a real RIB, and its output is parsed the
 * same way; at the end of every test each reference is given back.
 */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "adjout.h"
#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "msg.h"
#include "rib.h"
#include "update.h"

#define PEER_AS		64512u
#define FAR_AS		4200000000u	/* needs AS4_PATH on 2-octet sessions */
#define NO_BUDGET	((size_t)-1)

/* Fixtures ------------------------------------------------------------ */

static void
ctx_init(struct attr_ctx *ctx, enum aid aid, int as4)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->as4 = as4;
	ctx->ebgp = 1;
	ctx->peer_as = PEER_AS;
	ctx->local_as = 65000;
	if (aid == AID_IPV4_UNICAST) {
		addr_parse("169.254.10.2", &ctx->local_addr);
		addr_parse("169.254.10.1", &ctx->peer_addr);
	} else {
		addr_parse("2001:db8:ffff::2", &ctx->local_addr);
		addr_parse("2001:db8:ffff::1", &ctx->peer_addr);
	}
}

/* 64512 65010 4200000000, MED med, ncomm communities 64512:1..ncomm. */
static struct attr *
mk_attr(enum aid aid, int ll, uint32_t med, size_t ncomm)
{
	const uint32_t	 asns[] = { PEER_AS, 65010, FAR_AS };
	uint8_t		 path[2 + sizeof(asns)], *comm;
	struct attr	 a;
	size_t		 i;

	memset(&a, 0, sizeof(a));
	path[0] = AS_SEQUENCE;
	path[1] = 3;
	for (i = 0; i < 3; i++) {
		uint32_t n = htonl(asns[i]);

		memcpy(path + 2 + 4 * i, &n, 4);
	}
	a.origin = ORIGIN_IGP;
	a.aspath = aspath_intern(path, sizeof(path));
	a.flags = ATTRF_MED;
	a.med = med;
	if (ncomm > 0) {
		comm = calloc(ncomm, 4);
		ck_assert_ptr_nonnull(comm);
		for (i = 0; i < ncomm; i++) {
			uint32_t v = htonl(PEER_AS << 16 | (uint32_t)(i + 1));

			memcpy(comm + 4 * i, &v, 4);
		}
		a.comm = comms_intern(COMM_UNIT_STD, comm, ncomm);
		free(comm);
	}
	if (aid == AID_IPV4_UNICAST)
		addr_parse("169.254.10.1", &a.nexthop);
	else
		addr_parse("2001:db8:ffff::1", &a.nexthop);
	if (ll) {
		addr_parse("fe80::1", &a.nexthop_ll);
		a.flags |= ATTRF_NEXTHOP_LL;
	}
	return attr_intern(&a);
}

/* Writes v into bits [from, to) of raw (bit 0: the top of raw[0]). */
static void
set_bits(uint8_t *raw, int from, int to, uint32_t v)
{
	int	 b;

	for (b = to - 1; b >= from; b--, v >>= 1)
		if (v & 1)
			raw[b / 8] |= 0x80 >> (b % 8);
}

/*
 * The i-th test prefix: four kinds of lengths, octet-aligned or not,
 * each with i just above its length so all are distinct; index 1 is the
 * default route.
 */
static void
mk_prefix(enum aid aid, size_t i, struct tb_prefix *p)
{
	static const char *base4[] = { "10.0.0.0", "172.16.0.0", "11.0.0.0",
	    "100.64.0.0" };
	static const uint8_t len4[] = { 24, 32, 27, 30 };
	static const char *base6[] = { "2001:db8::", "2001:db9::",
	    "2001:dba::", "2001:dbb::" };
	static const uint8_t len6[] = { 48, 64, 128, 61 };
	int	 k = i % 4;

	memset(p, 0, sizeof(*p));
	if (aid == AID_IPV4_UNICAST) {
		addr_parse(base4[k], &p->addr);
		p->len = len4[k];
	} else {
		addr_parse(base6[k], &p->addr);
		p->len = len6[k];
	}
	if (i == 1) {
		memset(p->addr.u.raw, 0, sizeof(p->addr.u.raw));
		p->len = 0;
		return;
	}
	set_bits(p->addr.u.raw, p->len - 16, p->len, (uint32_t)i);
}

static struct tb_prefix *
mk_prefixes(enum aid aid, size_t n)
{
	struct tb_prefix	*p;
	size_t			 i;

	p = calloc(n, sizeof(*p));
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		mk_prefix(aid, i, &p[i]);
	return p;
}

static int
prefix_eq(const struct tb_prefix *a, const struct tb_prefix *b)
{
	return a->len == b->len &&
	    memcmp(a->addr.u.raw, b->addr.u.raw, (a->len + 7) / 8) == 0;
}

/* Reading messages back ----------------------------------------------- */

/* What one parsed UPDATE carried. */
struct seen {
	size_t		 len;		/* whole message */
	int		 eor;
	enum aid	 eor_aid;
	struct attr	*attr;		/* interned, NULL for withdrawals */
	int		 withdraw;
	size_t		 npfx;
	struct tb_prefix pfx[20000];	/* last: not cleared */
};

static void
nlri_collect(struct buf *field, enum aid aid, struct seen *s)
{
	struct buf	 b = *field;
	int		 rv;

	while ((rv = nlri_get(&b, aid, &s->pfx[s->npfx])) == 1) {
		s->npfx++;
		ck_assert_uint_lt(s->npfx, sizeof(s->pfx) / sizeof(s->pfx[0]));
	}
	ck_assert_int_eq(rv, 0);
}

/* The parsed attributes as one interned set, MP next hops put back. */
static struct attr *
seen_attr(struct update *u, enum aid aid)
{
	struct attr	 a;

	attr_copy(&a, &u->work.a);
	if (aid == AID_IPV6_UNICAST) {
		a.nexthop = u->mp_nexthop;
		if (addr_isset(&u->mp_nexthop_ll)) {
			a.nexthop_ll = u->mp_nexthop_ll;
			a.flags |= ATTRF_NEXTHOP_LL;
		}
	}
	return attr_intern(&a);
}

/* Parses the next message of in (one UPDATE) into s. */
static void
read_one(struct buf *in, size_t maxlen, enum aid aid, int as4,
    struct seen *s)
{
	struct attr_ctx		 ctx;
	struct bgp_notify	 err;
	struct update		 u;
	struct buf		 body;
	uint16_t		 len;
	uint8_t			 type;

	memset(s, 0, offsetof(struct seen, pfx));
	ctx_init(&ctx, aid, as4);
	ck_assert_int_eq(msg_hdr_parse(in, maxlen > BGP_MAX_LEN, &type, &len,
	    &err), 0);
	ck_assert_uint_eq(type, BGP_UPDATE);
	ck_assert_uint_le(len, maxlen);
	s->len = len;
	ck_assert_int_eq(buf_get_view(in, len - BGP_HDR_LEN, &body), 0);
	ck_assert_int_eq(update_parse(&body, &ctx, &u), 0);
	ck_assert_int_eq(u.err.action, ACT_OK);
	ck_assert_uint_eq(u.ndiscarded, 0);
	s->eor = u.eor;
	s->eor_aid = u.eor_aid;
	if (aid == AID_IPV4_UNICAST) {
		nlri_collect(&u.withdrawn, aid, s);
		s->withdraw = s->npfx > 0;
		nlri_collect(&u.nlri, aid, s);
		ck_assert(!s->withdraw || buf_left(&u.nlri) == 0);
		ck_assert_int_eq(u.has_reach || u.has_unreach, 0);
	} else if (u.has_unreach) {
		ck_assert_int_eq(u.unreach_aid, AID_IPV6_UNICAST);
		ck_assert_int_eq(u.has_reach, 0);
		nlri_collect(&u.unreach_nlri, aid, s);
		s->withdraw = 1;
	} else if (u.has_reach) {
		ck_assert_int_eq(u.reach_aid, AID_IPV6_UNICAST);
		nlri_collect(&u.reach_nlri, aid, s);
	}
	if (!s->withdraw && s->npfx > 0)
		s->attr = seen_attr(&u, aid);
	update_free(&u);
}

static void
seen_done(struct seen *s)
{
	if (s->attr != NULL)
		attr_unref(s->attr);
	s->attr = NULL;
}

/* update_build round trips --------------------------------------------- */

/*
 * Builds n prefixes with attr (NULL: withdraw) into messages of at most
 * maxlen and reads them back.
 */
static void
roundtrip(enum aid aid, int ll, int as4, size_t n, size_t maxlen,
    int withdraw)
{
	static struct seen	 s;
	struct tb_prefix	*pfx = mk_prefixes(aid, n);
	struct attr		*attr = withdraw ? NULL : mk_attr(aid, ll, 50, 3);
	struct buf		 out, in;
	size_t			 done = 0, k, got = 0, i, msgs = 0;

	ck_assert_int_eq(buf_init(&out, 4096, 64 * 1024 * 1024), 0);
	while (done < n) {
		k = update_build(&out, maxlen, aid, attr, as4, pfx + done,
		    n - done);
		ck_assert_uint_gt(k, 0);
		done += k;
		msgs++;
	}
	ck_assert_int_eq(buf_error(&out), 0);
	buf_view(&in, buf_data(&out), buf_len(&out));
	while (buf_left(&in) > 0) {
		read_one(&in, maxlen, aid, as4, &s);
		ck_assert_int_eq(s.eor, 0);
		ck_assert_int_eq(s.withdraw, withdraw);
		ck_assert_ptr_eq(s.attr, attr);
		for (i = 0; i < s.npfx; i++)
			ck_assert(prefix_eq(&s.pfx[i], &pfx[got + i]));
		got += s.npfx;
		/* Packed: the next prefix would not have fitted. */
		if (got < n)
			ck_assert_uint_gt(s.len + nlri_len(&pfx[got]), maxlen);
		seen_done(&s);
	}
	ck_assert_uint_eq(got, n);
	if (attr != NULL)
		attr_unref(attr);
	buf_free(&out);
	free(pfx);
	ck_assert_uint_eq(attr_count(), 0);
}

static void
roundtrip_sizes(enum aid aid, int ll, int as4)
{
	const size_t	 ns[] = { 1, 100, 10000 };
	const size_t	 lims[] = { BGP_MAX_LEN, BGP_EXT_MAX_LEN };
	size_t		 i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++) {
			roundtrip(aid, ll, as4, ns[i], lims[j], 0);
			roundtrip(aid, ll, as4, ns[i], lims[j], 1);
		}
}

START_TEST(t_build_v4_as4)
{
	roundtrip_sizes(AID_IPV4_UNICAST, 0, 1);
}
END_TEST

START_TEST(t_build_v4_as2)
{
	roundtrip_sizes(AID_IPV4_UNICAST, 0, 0);
}
END_TEST

START_TEST(t_build_v6_as4)
{
	roundtrip_sizes(AID_IPV6_UNICAST, 0, 1);
}
END_TEST

START_TEST(t_build_v6_ll_as4)
{
	roundtrip_sizes(AID_IPV6_UNICAST, 1, 1);
}
END_TEST

START_TEST(t_build_v6_ll_as2)
{
	roundtrip_sizes(AID_IPV6_UNICAST, 1, 0);
}
END_TEST

/* The MP_REACH_NLRI header: AFI 2, SAFI 1, next hop length 16 or 32,
 * 1-octet attribute length when short, 2 octets when long. */
static void
mp_reach_shape(int ll, size_t n, int want_ext)
{
	struct tb_prefix	*pfx = mk_prefixes(AID_IPV6_UNICAST, n);
	struct attr		*attr = mk_attr(AID_IPV6_UNICAST, ll, 1, 0);
	struct buf		 out;
	const uint8_t		*p;
	size_t			 k, nh;

	ck_assert_int_eq(buf_init(&out, 256, BGP_EXT_MAX_LEN), 0);
	k = update_build(&out, BGP_EXT_MAX_LEN, AID_IPV6_UNICAST, attr, 1,
	    pfx, n);
	ck_assert_uint_eq(k, n);
	p = buf_data(&out) + BGP_HDR_LEN + 4;	/* first attribute */
	ck_assert_uint_eq(p[0], ATTR_F_OPTIONAL | (want_ext ? ATTR_F_EXTLEN :
	    0));
	ck_assert_uint_eq(p[1], ATTR_MP_REACH_NLRI);
	p += want_ext ? 4 : 3;
	nh = ll ? 32 : 16;
	ck_assert_uint_eq(p[0] << 8 | p[1], AFI_IPV6);
	ck_assert_uint_eq(p[2], SAFI_UNICAST);
	ck_assert_uint_eq(p[3], nh);
	ck_assert_uint_eq(p[4 + nh], 0);	/* reserved */
	attr_unref(attr);
	buf_free(&out);
	free(pfx);
}

START_TEST(t_build_mp_reach_shape)
{
	mp_reach_shape(0, 1, 0);
	mp_reach_shape(1, 1, 0);
	mp_reach_shape(1, 100, 1);
}
END_TEST

START_TEST(t_build_nothing_fits)
{
	struct tb_prefix	*pfx = mk_prefixes(AID_IPV4_UNICAST, 4);
	struct attr		*big = mk_attr(AID_IPV4_UNICAST, 0, 1, 1100);
	struct buf		 out;

	ck_assert_int_eq(buf_init(&out, 256, 1 << 20), 0);
	ck_assert_uint_eq(update_build(&out, BGP_MAX_LEN, AID_IPV4_UNICAST,
	    big, 1, pfx, 4), 0);
	ck_assert_uint_eq(buf_len(&out), 0);
	ck_assert_uint_eq(update_build(&out, BGP_MAX_LEN, AID_IPV4_UNICAST,
	    NULL, 1, pfx, 0), 0);
	/* The same attributes go in an extended message. */
	ck_assert_uint_eq(update_build(&out, BGP_EXT_MAX_LEN,
	    AID_IPV4_UNICAST, big, 1, pfx, 4), 4);
	ck_assert_uint_gt(buf_len(&out), BGP_MAX_LEN);
	attr_unref(big);
	buf_free(&out);
	free(pfx);
}
END_TEST

START_TEST(t_build_nlri_encoding)
{
	struct tb_prefix	 p;
	struct buf		 out;
	const uint8_t		 want[] = { 21, 10, 1, 0x18 };

	/* Bits past the length are never sent. */
	memset(&p, 0, sizeof(p));
	addr_parse("10.1.31.255", &p.addr);
	p.len = 21;
	ck_assert_uint_eq(nlri_len(&p), 4);
	ck_assert_int_eq(buf_init(&out, 16, 64), 0);
	nlri_put(&out, &p);
	ck_assert_uint_eq(buf_len(&out), sizeof(want));
	ck_assert_mem_eq(buf_data(&out), want, sizeof(want));
	p.len = 0;
	ck_assert_uint_eq(nlri_len(&p), 1);
	p.len = 128;
	ck_assert_uint_eq(nlri_len(&p), 17);
	buf_free(&out);
}
END_TEST

static void
eor_check(enum aid aid, size_t want_len)
{
	static struct seen	 s;
	struct buf		 out, in;

	ck_assert_int_eq(buf_init(&out, 64, 4096), 0);
	update_build_eor(&out, aid);
	ck_assert_int_eq(buf_error(&out), 0);
	ck_assert_uint_eq(buf_len(&out), want_len);
	buf_view(&in, buf_data(&out), buf_len(&out));
	read_one(&in, BGP_MAX_LEN, aid, 1, &s);
	ck_assert_int_eq(s.eor, 1);
	ck_assert_int_eq(s.eor_aid, aid);
	ck_assert_uint_eq(s.npfx, 0);
	ck_assert_uint_eq(buf_left(&in), 0);
	buf_free(&out);
}

START_TEST(t_build_eor)
{
	eor_check(AID_IPV4_UNICAST, BGP_UPDATE_MIN_LEN);
	/* RFC 4724 2: MP_UNREACH_NLRI with AFI/SAFI only: 3 + 3 octets. */
	eor_check(AID_IPV6_UNICAST, BGP_UPDATE_MIN_LEN + 6);
}
END_TEST

/* Adj-RIB-Out ------------------------------------------------------------ */

/* A RIB holding nent locally originated prefixes, and an adjout on it. */
struct fx {
	struct rib		*rib;
	struct rib_src		 src;
	struct attr		*base;
	struct adjout		*ao;
	enum aid		 aid;
	struct rib_entry	**e;
	size_t			 nent;
	struct buf		 out;
};

static void
drain_nop(struct rib_entry *e, void *arg)
{
	(void)e;
	(void)arg;
}

static void
fx_init(struct fx *f, enum aid aid, size_t nent)
{
	struct rib_opts		 opts;
	struct tb_prefix	 p;
	size_t			 i;

	memset(f, 0, sizeof(*f));
	memset(&opts, 0, sizeof(opts));
	opts.maximum_paths[AID_IPV4_UNICAST] = 1;
	opts.maximum_paths[AID_IPV6_UNICAST] = 1;
	f->aid = aid;
	f->rib = rib_new(&opts);
	f->src.local = 1;
	f->base = mk_attr(aid, 0, 7, 0);
	f->nent = nent;
	f->e = calloc(nent, sizeof(*f->e));
	ck_assert_ptr_nonnull(f->e);
	for (i = 0; i < nent; i++) {
		mk_prefix(aid, i, &p);
		ck_assert_int_eq(rib_update(f->rib, &f->src, &p,
		    attr_ref(f->base), NULL, 0), 0);
		f->e[i] = rib_lookup(f->rib, &p);
		ck_assert_ptr_nonnull(f->e[i]);
	}
	rib_drain(f->rib, drain_nop, NULL);
	f->ao = adjout_new(f->rib, aid);
	ck_assert_int_eq(buf_init(&f->out, 4096, 64 * 1024 * 1024), 0);
}

/* Everything given back: no attribute set, record or group left. */
static void
fx_done(struct fx *f)
{
	struct adjout_stats	 st;

	adjout_free(f->ao);
	adjout_stats(&st);
	ck_assert_uint_eq(st.records, 0);
	ck_assert_uint_eq(st.groups, 0);
	rib_src_flush(f->rib, &f->src, AID_MAX);
	rib_drain(f->rib, drain_nop, NULL);
	rib_free(f->rib);
	attr_unref(f->base);
	buf_free(&f->out);
	free(f->e);
	ck_assert_uint_eq(attr_count(), 0);
}

/* What a flush wrote, read back. */
struct flushed {
	size_t		 msgs;
	size_t		 announced;
	size_t		 withdrawn;
	size_t		 first_withdraw;	/* message index, or -1 */
	size_t		 last_withdraw;
};

/* Reads every message in f->out; check, when not NULL, is called with
 * each message and may look at it. */
static void
fx_read(struct fx *f, size_t maxmsg,
    void (*check)(struct fx *, struct seen *, void *), void *arg,
    struct flushed *fl)
{
	static struct seen	 s;
	struct buf		 in;

	memset(fl, 0, sizeof(*fl));
	fl->first_withdraw = fl->last_withdraw = (size_t)-1;
	buf_view(&in, buf_data(&f->out), buf_len(&f->out));
	while (buf_left(&in) > 0) {
		read_one(&in, maxmsg, f->aid, 1, &s);
		ck_assert_uint_gt(s.npfx, 0);
		if (s.withdraw) {
			if (fl->first_withdraw == (size_t)-1)
				fl->first_withdraw = fl->msgs;
			fl->last_withdraw = fl->msgs;
			fl->withdrawn += s.npfx;
		} else
			fl->announced += s.npfx;
		if (check != NULL)
			check(f, &s, arg);
		seen_done(&s);
		fl->msgs++;
	}
	buf_reset(&f->out);
}

/* The entry of prefix p in the fixture, found by prefix. */
static size_t
fx_index(struct fx *f, const struct tb_prefix *p)
{
	struct tb_prefix	 q;
	size_t			 i;

	for (i = 0; i < f->nent; i++) {
		rib_entry_prefix(f->e[i], &q);
		if (prefix_eq(&q, p))
			return i;
	}
	ck_abort_msg("prefix %s not in the fixture", prefix_str(p));
	return 0;
}

/* Each prefix read is checked against what adjout_get says now. */
static void
check_matches_get(struct fx *f, struct seen *s, void *arg)
{
	size_t	 i, j;

	(void)arg;
	for (i = 0; i < s->npfx; i++) {
		j = fx_index(f, &s->pfx[i]);
		ck_assert_ptr_eq(adjout_get(f->ao, f->e[j]), s->attr);
	}
}

static size_t	 walk_n;

static void
walk_count(struct rib_entry *e, const struct attr *a, void *arg)
{
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(a);
	(void)arg;
	walk_n++;
}

static size_t
fx_walked(struct fx *f)
{
	walk_n = 0;
	adjout_walk(f->ao, walk_count, NULL);
	return walk_n;
}

START_TEST(t_adjout_set_same_withdraw)
{
	struct fx	 f;
	struct flushed	 fl;
	struct attr	*a;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, 4);
	a = mk_attr(f.aid, 0, 100, 1);
	ck_assert_int_eq(adjout_pending(f.ao), 0);
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(a)), 1);
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(a)), 0);
	ck_assert_int_ne(adjout_pending(f.ao), 0);
	ck_assert_uint_eq(adjout_count(f.ao), 1);
	ck_assert_ptr_eq(adjout_get(f.ao, f.e[0]), a);
	ck_assert_ptr_null(adjout_get(f.ao, f.e[1]));
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 1);
	fx_read(&f, BGP_MAX_LEN, check_matches_get, NULL, &fl);
	ck_assert_uint_eq(fl.announced, 1);
	ck_assert_uint_eq(fl.withdrawn, 0);
	ck_assert_int_eq(adjout_pending(f.ao), 0);

	/* What was sent again: nothing to do. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(a)), 0);
	ck_assert_int_eq(adjout_pending(f.ao), 0);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 0);
	ck_assert_uint_eq(buf_len(&f.out), 0);
	/* Nothing for a prefix never sent: nothing to do either. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[1], NULL), 0);
	ck_assert_int_eq(adjout_pending(f.ao), 0);

	/* Withdraw: count drops at once, one withdrawal goes out. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], NULL), 1);
	ck_assert_uint_eq(adjout_count(f.ao), 0);
	ck_assert_ptr_null(adjout_get(f.ao, f.e[0]));
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 1);
	fx_read(&f, BGP_MAX_LEN, NULL, NULL, &fl);
	ck_assert_uint_eq(fl.withdrawn, 1);
	ck_assert_uint_eq(fl.announced, 0);
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], NULL), 0);
	ck_assert_uint_eq(fx_walked(&f), 0);
	attr_unref(a);
	fx_done(&f);
}
END_TEST

START_TEST(t_adjout_flap_collapses)
{
	struct fx	 f;
	struct flushed	 fl;
	struct attr	*a, *b, *c;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, 4);
	a = mk_attr(f.aid, 0, 1, 0);
	b = mk_attr(f.aid, 0, 2, 0);
	c = mk_attr(f.aid, 0, 3, 0);
	adjout_set(f.ao, f.e[0], attr_ref(a));
	adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN, 1);
	buf_reset(&f.out);

	/* B, nothing, C before the socket takes anything: C alone goes. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(b)), 1);
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], NULL), 1);
	ck_assert_uint_eq(adjout_count(f.ao), 0);
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(c)), 1);
	ck_assert_uint_eq(adjout_count(f.ao), 1);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 1);
	fx_read(&f, BGP_MAX_LEN, check_matches_get, NULL, &fl);
	ck_assert_uint_eq(fl.msgs, 1);
	ck_assert_uint_eq(fl.announced, 1);
	ck_assert_uint_eq(fl.withdrawn, 0);

	/* Announced then withdrawn before it went: the neighbor never
	 * hears of it. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[1], attr_ref(a)), 1);
	ck_assert_uint_eq(adjout_count(f.ao), 2);
	ck_assert_int_eq(adjout_set(f.ao, f.e[1], NULL), 0);
	ck_assert_uint_eq(adjout_count(f.ao), 1);
	ck_assert_int_eq(adjout_pending(f.ao), 0);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 0);
	ck_assert_uint_eq(buf_len(&f.out), 0);
	attr_unref(a);
	attr_unref(b);
	attr_unref(c);
	fx_done(&f);
}
END_TEST

/* Counts prefixes per attribute set across the messages read. */
struct per_attr {
	struct attr	*a, *b;
	size_t		 msgs_a, msgs_b, na, nb;
};

static void
check_groups(struct fx *f, struct seen *s, void *arg)
{
	struct per_attr	*pa = arg;

	check_matches_get(f, s, NULL);
	if (s->withdraw)
		return;
	if (s->attr == pa->a) {
		pa->msgs_a++;
		pa->na += s->npfx;
	} else {
		ck_assert_ptr_eq(s->attr, pa->b);
		pa->msgs_b++;
		pa->nb += s->npfx;
	}
}

START_TEST(t_adjout_groups_pack)
{
	struct fx	 f;
	struct flushed	 fl;
	struct per_attr	 pa;
	size_t		 i;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, 310);
	memset(&pa, 0, sizeof(pa));
	pa.a = mk_attr(f.aid, 0, 10, 2);
	pa.b = mk_attr(f.aid, 0, 20, 2);
	for (i = 300; i < 310; i++)
		adjout_set(f.ao, f.e[i], attr_ref(pa.a));
	adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN, 1);
	buf_reset(&f.out);

	/* Interleaved A and B, and the ten sent before withdrawn. */
	for (i = 0; i < 300; i++)
		ck_assert_int_eq(adjout_set(f.ao, f.e[i],
		    attr_ref(i % 2 ? pa.b : pa.a)), 1);
	for (i = 300; i < 310; i++)
		ck_assert_int_eq(adjout_set(f.ao, f.e[i], NULL), 1);
	ck_assert_uint_eq(adjout_count(f.ao), 300);
	ck_assert_int_eq(adjout_pending(f.ao), 310);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 3);
	fx_read(&f, BGP_MAX_LEN, check_groups, &pa, &fl);
	ck_assert_uint_eq(fl.msgs, 3);
	ck_assert_uint_eq(fl.first_withdraw, 0);	/* withdrawals first */
	ck_assert_uint_eq(fl.last_withdraw, 0);
	ck_assert_uint_eq(fl.withdrawn, 10);
	ck_assert_uint_eq(pa.msgs_a, 1);
	ck_assert_uint_eq(pa.msgs_b, 1);
	ck_assert_uint_eq(pa.na, 150);
	ck_assert_uint_eq(pa.nb, 150);
	ck_assert_uint_eq(fx_walked(&f), 300);
	attr_unref(pa.a);
	attr_unref(pa.b);
	fx_done(&f);
}
END_TEST

/* Prefixes seen, each once. */
static void
check_once(struct fx *f, struct seen *s, void *arg)
{
	uint8_t	*seen = arg;
	size_t	 i, j;

	check_matches_get(f, s, NULL);
	for (i = 0; i < s->npfx; i++) {
		j = fx_index(f, &s->pfx[i]);
		ck_assert_uint_eq(seen[j], 0);
		seen[j] = 1;
	}
}

START_TEST(t_adjout_budget_resumes)
{
	const size_t	 n = 3000;
	struct fx	 f;
	struct flushed	 fl;
	struct attr	*a;
	uint8_t		*seen = calloc(n, 1);
	size_t		 i, msgs, total = 0, rounds = 0;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, n);
	a = mk_attr(f.aid, 0, 1, 0);
	for (i = 0; i < n; i++)
		adjout_set(f.ao, f.e[i], attr_ref(a));

	/* A budget of one octet: one message, then stop. */
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, 1, BGP_MAX_LEN, 1), 1);
	ck_assert_uint_le(buf_len(&f.out), BGP_MAX_LEN);
	fx_read(&f, BGP_MAX_LEN, check_once, seen, &fl);
	total += fl.announced;
	ck_assert_uint_lt(total, n);
	ck_assert_int_ne(adjout_pending(f.ao), 0);
	ck_assert_uint_eq(adjout_count(f.ao), n);

	/* Two messages' worth at a time until done. */
	while (adjout_pending(f.ao)) {
		msgs = adjout_flush(f.ao, &f.out, 2 * BGP_MAX_LEN - 100,
		    BGP_MAX_LEN, 1);
		ck_assert_uint_ge(msgs, 1);
		ck_assert_uint_le(msgs, 2);
		fx_read(&f, BGP_MAX_LEN, check_once, seen, &fl);
		ck_assert_uint_eq(fl.msgs, msgs);
		total += fl.announced;
		ck_assert_uint_lt(++rounds, n);
	}
	ck_assert_uint_eq(total, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(seen[i], 1);
	ck_assert_uint_eq(adjout_count(f.ao), n);
	attr_unref(a);
	free(seen);
	fx_done(&f);
}
END_TEST

START_TEST(t_adjout_resend)
{
	const size_t	 n = 500;
	struct fx	 f;
	struct flushed	 fl;
	struct attr	*a, *b;
	size_t		 i;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, n);
	a = mk_attr(f.aid, 0, 1, 0);
	b = mk_attr(f.aid, 0, 2, 0);
	for (i = 0; i < n; i++)
		adjout_set(f.ao, f.e[i], attr_ref(i < 100 ? b : a));
	adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_EXT_MAX_LEN, 1);
	buf_reset(&f.out);
	ck_assert_int_eq(adjout_pending(f.ao), 0);

	/* ROUTE-REFRESH: all again, with their attributes; nothing more. */
	adjout_resend(f.ao);
	ck_assert_int_eq(adjout_pending(f.ao), (int)n);
	ck_assert_uint_eq(adjout_count(f.ao), n);
	/* A change equal to what was sent keeps the refresh waiting. */
	ck_assert_int_eq(adjout_set(f.ao, f.e[0], attr_ref(b)), 0);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET,
	    BGP_EXT_MAX_LEN, 1), 2);
	fx_read(&f, BGP_EXT_MAX_LEN, check_matches_get, NULL, &fl);
	ck_assert_uint_eq(fl.announced, n);
	ck_assert_uint_eq(fl.withdrawn, 0);
	ck_assert_uint_eq(adjout_count(f.ao), n);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET,
	    BGP_EXT_MAX_LEN, 1), 0);
	attr_unref(a);
	attr_unref(b);
	fx_done(&f);
}
END_TEST

START_TEST(t_adjout_unsendable)
{
	struct fx	 f;
	struct flushed	 fl;
	struct attr	*a, *big;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, 2);
	a = mk_attr(f.aid, 0, 1, 0);
	big = mk_attr(f.aid, 0, 1, 1100);	/* 4400 octets of communities */
	adjout_set(f.ao, f.e[0], attr_ref(a));
	adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN, 1);
	buf_reset(&f.out);

	/* Too long for 4096: e[0] must be withdrawn, e[1] is dropped. */
	adjout_set(f.ao, f.e[0], attr_ref(big));
	adjout_set(f.ao, f.e[1], attr_ref(big));
	ck_assert_uint_eq(adjout_count(f.ao), 2);
	ck_assert_uint_eq(adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN,
	    1), 1);
	fx_read(&f, BGP_MAX_LEN, NULL, NULL, &fl);
	ck_assert_uint_eq(fl.withdrawn, 1);
	ck_assert_uint_eq(fl.announced, 0);
	ck_assert_uint_eq(adjout_count(f.ao), 0);
	ck_assert_int_eq(adjout_pending(f.ao), 0);
	attr_unref(a);
	attr_unref(big);
	fx_done(&f);
}
END_TEST

START_TEST(t_adjout_free_releases)
{
	const size_t		 n = 10000;
	struct adjout_stats	 st;
	struct fx		 f;
	struct attr		*a, *b;
	size_t			 i;

	fx_init(&f, _i == 0 ? AID_IPV4_UNICAST : AID_IPV6_UNICAST, n);
	a = mk_attr(f.aid, 1, 1, 0);
	b = mk_attr(f.aid, 1, 2, 0);
	for (i = 0; i < n; i++)
		adjout_set(f.ao, f.e[i], attr_ref(a));
	adjout_flush(f.ao, &f.out, NO_BUDGET, BGP_MAX_LEN, 1);
	buf_reset(&f.out);
	adjout_stats(&st);
	ck_assert_uint_eq(st.records, n);
	ck_assert_uint_eq(st.groups, 0);
	/* About 48 octets a prefix, pool slack included. */
	ck_assert_uint_le(st.bytes / n, 64);

	/* Leave a mix behind: sent, pending change, pending withdrawal. */
	for (i = 0; i < n; i += 3)
		adjout_set(f.ao, f.e[i], attr_ref(b));
	for (i = 1; i < n; i += 3)
		adjout_set(f.ao, f.e[i], NULL);
	adjout_stats(&st);
	ck_assert_uint_eq(st.groups, 1);
	ck_assert_uint_eq(adjout_count(f.ao), n - (n + 1) / 3);
	ck_assert_uint_eq(fx_walked(&f), adjout_count(f.ao));
	attr_unref(a);
	attr_unref(b);
	/* fx_done: adjout_free, then every reference is checked back. */
	fx_done(&f);
}
END_TEST

static Suite *
adjout_suite(void)
{
	Suite	*s = suite_create("adjout");
	TCase	*build = tcase_create("update_build");
	TCase	*ao = tcase_create("adjout");

	tcase_set_timeout(build, 60);
	tcase_set_timeout(ao, 60);
	tcase_add_test(build, t_build_v4_as4);
	tcase_add_test(build, t_build_v4_as2);
	tcase_add_test(build, t_build_v6_as4);
	tcase_add_test(build, t_build_v6_ll_as4);
	tcase_add_test(build, t_build_v6_ll_as2);
	tcase_add_test(build, t_build_mp_reach_shape);
	tcase_add_test(build, t_build_nothing_fits);
	tcase_add_test(build, t_build_nlri_encoding);
	tcase_add_test(build, t_build_eor);
	/* Each adjout test runs for IPv4 (_i 0) and IPv6 (_i 1). */
	tcase_add_loop_test(ao, t_adjout_set_same_withdraw, 0, 2);
	tcase_add_loop_test(ao, t_adjout_flap_collapses, 0, 2);
	tcase_add_loop_test(ao, t_adjout_groups_pack, 0, 2);
	tcase_add_loop_test(ao, t_adjout_budget_resumes, 0, 2);
	tcase_add_loop_test(ao, t_adjout_resend, 0, 2);
	tcase_add_loop_test(ao, t_adjout_unsendable, 0, 2);
	tcase_add_loop_test(ao, t_adjout_free_releases, 0, 2);
	suite_add_tcase(s, build);
	suite_add_tcase(s, ao);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(adjout_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
