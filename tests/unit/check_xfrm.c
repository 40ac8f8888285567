/*
 * check_xfrm: the IPsec SA follower (bgpd/xfrm.c) without XFRM.
 *
 * The kernel these tests run on has the NETLINK_XFRM socket but no ESP
 * transform and no xfrm link type, so no SA can be made: every message
 * here is built by hand the way the kernel lays it out (xfrm_user.c:
 * NEWSA/UPDSA an xfrm_usersa_info, DELSA an xfrm_usersa_id with the SA
 * in XFRMA_SA, EXPIRE an xfrm_user_expire, then attributes), then
 * truncated at every length and broken attribute by attribute
 * (docs/malformed-input.md row 18).  The engine is driven by hand: two
 * SAs, one deleted (still up), the last deleted (down), a soft expire
 * (nothing), a hard expire (down), a new SA (up again), flush, sweep.
 * The socket test only checks that the dump completes where the kernel
 * lets us open the socket.
 */
#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "xfrm.h"

#define SA_DIR_ATTR	(XFRMA_MTIMER_THRESH + 1)	/* XFRMA_SA_DIR */

/* Message builder ----------------------------------------------------- */

struct nlb {
	uint8_t		 b[2048];
	size_t		 len;
	/* Where a cut leaves a valid, shorter message: the end of the
	 * fixed part and of each attribute, and anywhere in the padding
	 * after them (missing padding at the end is tolerated). */
	size_t		 ok[64];
	size_t		 nok;
};

static void
nlb_ok(struct nlb *m, size_t off)
{
	ck_assert_uint_lt(m->nok, sizeof(m->ok) / sizeof(m->ok[0]));
	m->ok[m->nok++] = off;
}

static void
nlb_ok_padded(struct nlb *m, size_t end)
{
	size_t	 off;

	for (off = end; off <= NLMSG_ALIGN(end); off++)
		nlb_ok(m, off);
}

static void
nlb_put(struct nlb *m, const void *p, size_t n)
{
	ck_assert_uint_le(m->len + NLMSG_ALIGN(n), sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	memset(m->b + m->len + n, 0, NLMSG_ALIGN(n) - n);
	m->len += NLMSG_ALIGN(n);
}

static void
nlb_finish(struct nlb *m)
{
	struct nlmsghdr	 nh;

	memcpy(&nh, m->b, sizeof(nh));
	nh.nlmsg_len = m->len;
	memcpy(m->b, &nh, sizeof(nh));
}

static void
nlb_start(struct nlb *m, uint16_t type, const void *body, size_t n)
{
	struct nlmsghdr	 nh;

	memset(m, 0, sizeof(*m));
	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_type = type;
	nlb_put(m, &nh, sizeof(nh));
	nlb_ok_padded(m, m->len + n);
	nlb_put(m, body, n);
	nlb_finish(m);
}

/* Returns the attribute's offset. */
static size_t
nlb_attr(struct nlb *m, uint16_t type, const void *p, size_t n)
{
	struct nlattr	 nla;
	size_t		 off = m->len;

	nla.nla_len = NLA_HDRLEN + n;
	nla.nla_type = type;
	nlb_put(m, &nla, sizeof(nla));
	if (n > 0)
		nlb_put(m, p, n);
	nlb_ok_padded(m, off + NLA_HDRLEN + n);
	nlb_finish(m);
	return off;
}

static size_t
nlb_u32(struct nlb *m, uint16_t type, uint32_t v)
{
	return nlb_attr(m, type, &v, 4);
}

static void
nlb_set_nla_len(struct nlb *m, size_t off, uint16_t len)
{
	memcpy(m->b + off, &len, 2);
}

static void
set_addr(xfrm_address_t *x, const char *s)
{
	int	 af = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;

	memset(x, 0, sizeof(*x));
	ck_assert_int_eq(inet_pton(af, s, x), 1);
}

static struct xfrm_usersa_info
SA(const char *src, const char *dst, uint32_t spi)
{
	struct xfrm_usersa_info	 p;

	memset(&p, 0, sizeof(p));
	p.family = strchr(dst, ':') != NULL ? AF_INET6 : AF_INET;
	set_addr(&p.saddr, src);
	set_addr(&p.id.daddr, dst);
	p.id.spi = htonl(spi);
	p.id.proto = IPPROTO_ESP;
	p.mode = XFRM_MODE_TUNNEL;
	p.reqid = 1;
	return p;
}

static struct tb_addr
A(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* NEWSA or UPDSA as strongSwan's SAs look: a mark, the if_id, an
 * attribute of a kernel newer than us, then XFRMA_SA_DIR if dir. */
static size_t
mk_newsa(struct nlb *m, uint16_t type, const char *src, const char *dst,
    uint32_t spi, uint32_t if_id, uint8_t dir)
{
	struct xfrm_usersa_info	 p = SA(src, dst, spi);
	struct xfrm_mark	 mark = { 0, 0 };
	uint8_t			 junk[5] = { 9, 9, 9, 9, 9 };
	size_t			 id;

	nlb_start(m, type, &p, sizeof(p));
	nlb_attr(m, XFRMA_MARK, &mark, sizeof(mark));
	id = nlb_u32(m, XFRMA_IF_ID, if_id);
	nlb_attr(m, 200, junk, sizeof(junk));
	if (dir != 0)
		nlb_attr(m, SA_DIR_ATTR, &dir, 1);
	return id;
}

/* DELSA: the SA's id in the header, the SA in XFRMA_SA. */
static size_t
mk_delsa(struct nlb *m, const char *src, const char *dst, uint32_t spi,
    uint32_t if_id)
{
	struct xfrm_usersa_info	 p = SA(src, dst, spi);
	struct xfrm_usersa_id	 id;
	size_t			 sa;

	memset(&id, 0, sizeof(id));
	id.daddr = p.id.daddr;
	id.spi = p.id.spi;
	id.family = p.family;
	id.proto = p.id.proto;
	nlb_start(m, XFRM_MSG_DELSA, &id, sizeof(id));
	sa = nlb_attr(m, XFRMA_SA, &p, sizeof(p));
	nlb_u32(m, XFRMA_IF_ID, if_id);
	return sa;
}

static void
mk_expire(struct nlb *m, const char *src, const char *dst, uint32_t spi,
    uint32_t if_id, int hard)
{
	struct xfrm_user_expire	 ue;

	memset(&ue, 0, sizeof(ue));
	ue.state = SA(src, dst, spi);
	ue.hard = (uint8_t)hard;
	nlb_start(m, XFRM_MSG_EXPIRE, &ue, sizeof(ue));
	nlb_u32(m, XFRMA_IF_ID, if_id);
}

static void
mk_flush(struct nlb *m, uint8_t proto)
{
	struct xfrm_usersa_flush	 f = { proto };

	nlb_start(m, XFRM_MSG_FLUSHSA, &f, sizeof(f));
}

/* Parsing ------------------------------------------------------------- */

START_TEST(t_newsa)
{
	struct nlb		 m;
	struct xfrm_event	 ev;
	struct tb_addr		 x;

	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "198.51.100.7", 0xc1a0f00d,
	    42, 0);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.type, XFRM_EV_NEWSA);
	ck_assert_uint_eq(ev.if_id, 42);
	ck_assert_uint_eq(ev.spi, 0xc1a0f00d);
	ck_assert_uint_eq(ev.proto, IPPROTO_ESP);
	ck_assert_int_eq(ev.dir, XFRM_DIR_UNKNOWN);
	x = A("198.51.100.7");
	ck_assert_int_eq(addr_cmp(&ev.daddr, &x), 0);
	x = A("192.0.2.1");
	ck_assert_int_eq(addr_cmp(&ev.saddr, &x), 0);
	ck_assert_str_eq(xfrm_evtype_str(ev.type), "NEWSA");

	/* UPDSA over IPv6, with the direction a 6.10 kernel adds. */
	mk_newsa(&m, XFRM_MSG_UPDSA, "2001:db8::1", "2001:db8::2", 7, 9, 1);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.type, XFRM_EV_UPDSA);
	ck_assert_int_eq(ev.dir, XFRM_DIR_IN);
	x = A("2001:db8::2");
	ck_assert_int_eq(addr_cmp(&ev.daddr, &x), 0);
	ck_assert_uint_eq(ev.if_id, 9);
	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 7, 9, 2);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.dir, XFRM_DIR_OUT);
	/* A direction value we do not know leaves it unknown. */
	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 7, 9, 3);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.dir, XFRM_DIR_UNKNOWN);
}
END_TEST

START_TEST(t_delsa)
{
	struct nlb		 m;
	struct xfrm_event	 ev;
	struct tb_addr		 x;

	mk_delsa(&m, "192.0.2.1", "198.51.100.7", 0x1000, 42);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.type, XFRM_EV_DELSA);
	ck_assert_uint_eq(ev.spi, 0x1000);
	ck_assert_uint_eq(ev.if_id, 42);
	x = A("198.51.100.7");
	ck_assert_int_eq(addr_cmp(&ev.daddr, &x), 0);
	x = A("192.0.2.1");				/* from XFRMA_SA */
	ck_assert_int_eq(addr_cmp(&ev.saddr, &x), 0);
	ck_assert_str_eq(xfrm_evtype_str(ev.type), "DELSA");
}
END_TEST

START_TEST(t_expire)
{
	struct nlb		 m;
	struct xfrm_event	 ev;

	mk_expire(&m, "192.0.2.1", "198.51.100.7", 0x2000, 42, 0);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.type, XFRM_EV_EXPIRE);
	ck_assert_int_eq(ev.hard, 0);
	ck_assert_uint_eq(ev.spi, 0x2000);
	ck_assert_uint_eq(ev.if_id, 42);
	mk_expire(&m, "192.0.2.1", "198.51.100.7", 0x2000, 42, 1);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.hard, 1);
	mk_flush(&m, IPPROTO_ESP);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_int_eq(ev.type, XFRM_EV_FLUSH);
	ck_assert_uint_eq(ev.proto, IPPROTO_ESP);
}
END_TEST

/* Messages xfrm does not follow are 1, not malformed. */
START_TEST(t_other_types)
{
	struct nlb		 m;
	struct xfrm_event	 ev;
	struct xfrm_userpolicy_info	 pol;

	memset(&pol, 0, sizeof(pol));
	nlb_start(&m, XFRM_MSG_NEWPOLICY, &pol, sizeof(pol));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 1);
	nlb_start(&m, XFRM_MSG_ACQUIRE, &pol, 4);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 1);
	nlb_start(&m, NLMSG_DONE, &pol, 4);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 1);
	/* But a header that does not fit is malformed whatever its type. */
	ck_assert_int_eq(xfrm_parse(m.b, m.len - 1, &ev), -1);
	ck_assert_int_eq(xfrm_parse(m.b, 3, &ev), -1);
}
END_TEST

static int
is_ok_cut(const struct nlb *m, size_t cut)
{
	size_t	 i;

	for (i = 0; i < m->nok; i++)
		if (m->ok[i] == cut)
			return 1;
	return 0;
}

/* Every cut: handed fewer bytes than nlmsg_len says, always -1; with
 * nlmsg_len patched down to the cut, valid exactly at the end of the
 * fixed part or of an attribute (padded or not), else -1. */
static void
cut_everywhere(const struct nlb *m)
{
	struct nlb		 c;
	struct xfrm_event	 ev;
	size_t			 cut;
	int			 want;

	for (cut = 0; cut < m->len; cut++)
		ck_assert_int_eq(xfrm_parse(m->b, cut, &ev), -1);
	for (cut = NLMSG_HDRLEN; cut < m->len; cut++) {
		c = *m;
		c.len = cut;
		nlb_finish(&c);
		want = is_ok_cut(m, cut) ? 0 : -1;
		if (xfrm_parse(c.b, c.len, &ev) != want)
			ck_abort_msg("cut at %zu of %zu: want %d", cut, m->len,
			    want);
	}
}

START_TEST(t_truncated)
{
	struct nlb	 m;

	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "198.51.100.7", 1, 42, 1);
	ck_assert_uint_ge(m.nok, 10);
	cut_everywhere(&m);
	mk_newsa(&m, XFRM_MSG_UPDSA, "2001:db8::1", "2001:db8::2", 1, 42, 0);
	cut_everywhere(&m);
	mk_delsa(&m, "192.0.2.1", "198.51.100.7", 1, 42);
	cut_everywhere(&m);
	mk_expire(&m, "192.0.2.1", "198.51.100.7", 1, 42, 1);
	cut_everywhere(&m);
	mk_flush(&m, 0);
	cut_everywhere(&m);
}
END_TEST

START_TEST(t_bad_attrs)
{
	struct nlb		 m;
	struct xfrm_event	 ev;
	struct xfrm_usersa_info	 p;
	size_t			 id;
	uint8_t			 dir[4] = { 1, 0, 0, 0 };

	/* if_id of 2, 8 (running into the next attribute, still inside
	 * the message) and 0 octets. */
	id = mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 1, 42, 0);
	nlb_set_nla_len(&m, id, NLA_HDRLEN + 2);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	nlb_set_nla_len(&m, id, NLA_HDRLEN + 8);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	nlb_set_nla_len(&m, id, NLA_HDRLEN);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	/* Shorter than its own header (0 would loop a naive walker). */
	nlb_set_nla_len(&m, id, 0);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	nlb_set_nla_len(&m, id, 3);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	/* Past the end of the message. */
	nlb_set_nla_len(&m, id, (uint16_t)(m.len - id + 4));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);

	/* XFRMA_SA_DIR of 4 octets. */
	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 1, 42, 0);
	nlb_attr(&m, SA_DIR_ATTR, dir, sizeof(dir));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);

	/* Unknown attributes, empty or not, are skipped. */
	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 1, 42, 0);
	nlb_attr(&m, 0x3fff, NULL, 0);
	nlb_attr(&m, XFRMA_MAX + 20, dir, 3);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_uint_eq(ev.if_id, 42);
	/* The nested flag bit is masked off the type. */
	mk_newsa(&m, XFRM_MSG_NEWSA, "192.0.2.1", "192.0.2.2", 1, 0, 0);
	nlb_u32(&m, XFRMA_IF_ID | NLA_F_NESTED, 77);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_uint_eq(ev.if_id, 77);

	/* DELSA whose XFRMA_SA is short, or names another SA. */
	id = mk_delsa(&m, "192.0.2.1", "192.0.2.2", 1, 42);
	nlb_set_nla_len(&m, id, NLA_HDRLEN + sizeof(p) - 8);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	id = mk_delsa(&m, "192.0.2.1", "192.0.2.2", 1, 42);
	p = SA("192.0.2.1", "192.0.2.2", 2);
	memcpy(m.b + id + NLA_HDRLEN, &p, sizeof(p));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);

	/* An address family xfrm cannot hold. */
	p = SA("192.0.2.1", "192.0.2.2", 1);
	p.family = AF_PACKET;
	nlb_start(&m, XFRM_MSG_NEWSA, &p, sizeof(p));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
	/* The fixed part alone is enough; less is not. */
	p.family = AF_INET;
	nlb_start(&m, XFRM_MSG_NEWSA, &p, sizeof(p));
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), 0);
	ck_assert_uint_eq(ev.if_id, 0);
	m.len--;
	nlb_finish(&m);
	ck_assert_int_eq(xfrm_parse(m.b, m.len, &ev), -1);
}
END_TEST

/* The engine ---------------------------------------------------------- */

struct rec {
	int		 n;
	uint32_t	 if_id[16];
	int		 up[16];
	unsigned int	 count[16];	/* xfrm_sa_count as the handler saw */
};

static void
rec_fn(struct xfrm *x, uint32_t if_id, int up, void *arg)
{
	struct rec	*r = arg;

	ck_assert_int_lt(r->n, 16);
	r->if_id[r->n] = if_id;
	r->up[r->n] = up;
	r->count[r->n] = xfrm_sa_count(x, if_id, NULL, NULL);
	r->n++;
}

/* Our addresses, for the direction of SAs the kernel does not mark. */
static int
local_fn(const struct tb_addr *a, void *arg)
{
	struct tb_addr	 me = A("192.0.2.1");

	(void)arg;
	return addr_cmp(a, &me) == 0;
}

/* Parse the message and apply it, as xfrm_input does. */
static void
feed(struct xfrm *x, const struct nlb *m)
{
	struct xfrm_event	 ev;

	ck_assert_int_eq(xfrm_parse(m->b, m->len, &ev), 0);
	xfrm_event(x, &ev);
}

static void
ev_new(struct xfrm *x, const char *src, const char *dst, uint32_t spi,
    uint32_t if_id)
{
	struct nlb	 m;

	mk_newsa(&m, XFRM_MSG_NEWSA, src, dst, spi, if_id, 0);
	feed(x, &m);
}

static void
ev_del(struct xfrm *x, const char *src, const char *dst, uint32_t spi,
    uint32_t if_id)
{
	struct nlb	 m;

	mk_delsa(&m, src, dst, spi, if_id);
	feed(x, &m);
}

static void
ev_expire(struct xfrm *x, const char *src, const char *dst, uint32_t spi,
    uint32_t if_id, int hard)
{
	struct nlb	 m;

	mk_expire(&m, src, dst, spi, if_id, hard);
	feed(x, &m);
}

#define ME	"192.0.2.1"
#define GW	"198.51.100.7"

START_TEST(t_engine)
{
	struct xfrm	*x = xfrm_new();
	struct rec	 r = { 0 };
	unsigned int	 in, out;

	xfrm_add_handler(x, rec_fn, &r);
	xfrm_set_local(x, local_fn, NULL);
	/* The pair of a CHILD_SA: in (to us) and out (to the gateway).
	 * The first SAs of an if_id are not an "up". */
	ev_new(x, GW, ME, 0x100, 42);
	ev_new(x, ME, GW, 0x200, 42);
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, &in, &out), 2);
	ck_assert_uint_eq(in, 1);
	ck_assert_uint_eq(out, 1);
	/* The same SA again (UPDSA, a dump) counts once. */
	ev_new(x, GW, ME, 0x100, 42);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 2);

	/* One deleted: still up.  The last: down. */
	ev_del(x, GW, ME, 0x100, 42);
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, &in, &out), 1);
	ck_assert_uint_eq(in, 0);
	ck_assert_int_eq(xfrm_if_down(x, 42), 0);
	ev_del(x, ME, GW, 0x200, 42);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(r.if_id[0], 42);
	ck_assert_int_eq(r.up[0], 0);
	ck_assert_uint_eq(r.count[0], 0);
	ck_assert_int_eq(xfrm_if_down(x, 42), 1);
	/* A DELSA of an SA already gone (or never known) is nothing. */
	ev_del(x, ME, GW, 0x200, 42);
	ev_del(x, ME, GW, 0x999, 43);
	ck_assert_int_eq(r.n, 1);

	/* A new SA: up again. */
	ev_new(x, GW, ME, 0x101, 42);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.up[1], 1);
	ck_assert_uint_eq(r.count[1], 1);
	ck_assert_int_eq(xfrm_if_down(x, 42), 0);

	/* Soft expire: a rekey follows, nothing changes. */
	ev_expire(x, GW, ME, 0x101, 42, 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 1);
	ck_assert_uint_eq(xfrm_counters(x)->soft_expires, 1);
	/* Hard expire of the only SA: down; its DELSA then finds nothing. */
	ev_expire(x, GW, ME, 0x101, 42, 1);
	ck_assert_int_eq(r.n, 3);
	ck_assert_int_eq(r.up[2], 0);
	ev_del(x, GW, ME, 0x101, 42);
	ck_assert_int_eq(r.n, 3);
	ck_assert_uint_eq(xfrm_counters(x)->hard_expires, 1);
	/* NEWSA: up again. */
	ev_new(x, ME, GW, 0x201, 42);
	ck_assert_int_eq(r.n, 4);
	ck_assert_int_eq(r.up[3], 1);
	xfrm_free(x);
}
END_TEST

/* A rekey (make before break) never passes through zero; if_ids are
 * independent; SAs without an if_id are not ours. */
START_TEST(t_engine_rekey)
{
	struct xfrm	*x = xfrm_new();
	struct rec	 r = { 0 };
	struct nlb	 m;

	xfrm_add_handler(x, rec_fn, &r);
	ev_new(x, GW, ME, 0x100, 42);
	ev_new(x, ME, GW, 0x200, 42);
	ev_new(x, GW, "203.0.113.9", 0x300, 7);
	ev_new(x, GW, ME, 0x400, 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 0, NULL, NULL), 0);
	/* Without a local-address function the direction is unknown. */
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 2);
	ev_expire(x, GW, ME, 0x100, 42, 0);
	ev_new(x, GW, ME, 0x101, 42);
	ev_new(x, ME, GW, 0x201, 42);
	ev_del(x, GW, ME, 0x100, 42);
	ev_del(x, ME, GW, 0x200, 42);
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 2);
	/* if_id 7 going leaves 42 alone. */
	ev_del(x, GW, "203.0.113.9", 0x300, 7);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(r.if_id[0], 7);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 2);
	/* An SA moved to if_id 0 leaves its old if_id. */
	ev_new(x, GW, ME, 0x101, 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 1);
	/* A flush of another proto leaves ESP; "any" takes all. */
	mk_flush(&m, IPPROTO_AH);
	feed(x, &m);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 1);
	mk_flush(&m, 255);
	feed(x, &m);
	ck_assert_int_eq(r.n, 2);
	ck_assert_uint_eq(r.if_id[1], 42);
	ck_assert_int_eq(r.up[1], 0);
	xfrm_free(x);
}
END_TEST

/* After lost events: what the dump shows again stays, the rest goes. */
START_TEST(t_sweep)
{
	struct xfrm	*x = xfrm_new();
	struct rec	 r = { 0 };

	xfrm_add_handler(x, rec_fn, &r);
	ev_new(x, GW, ME, 0x100, 42);
	ev_new(x, ME, GW, 0x200, 42);
	ev_new(x, GW, ME, 0x300, 7);
	xfrm_sweep_begin(x);
	ev_new(x, ME, GW, 0x200, 42);
	xfrm_sweep(x);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(r.if_id[0], 7);
	ck_assert_int_eq(r.up[0], 0);
	ck_assert_uint_eq(xfrm_sa_count(x, 42, NULL, NULL), 1);
	ck_assert_uint_eq(xfrm_sa_count(x, 7, NULL, NULL), 0);
	xfrm_free(x);
}
END_TEST

/* A datagram of several messages: applied ones, skipped ones (another
 * type), malformed ones counted; a header that lies ends the datagram. */
START_TEST(t_input)
{
	struct xfrm	*x = xfrm_new();
	struct rec	 r = { 0 };
	struct nlb	 m;
	uint8_t		 dg[8192];
	size_t		 len = 0, id;
	struct xfrm_userpolicy_info	 pol;

	xfrm_add_handler(x, rec_fn, &r);
	mk_newsa(&m, XFRM_MSG_NEWSA, GW, ME, 0x100, 42, 0);
	memcpy(dg + len, m.b, m.len);
	len += m.len;
	memset(&pol, 0, sizeof(pol));
	nlb_start(&m, XFRM_MSG_NEWPOLICY, &pol, sizeof(pol));
	memcpy(dg + len, m.b, m.len);
	len += m.len;
	id = mk_newsa(&m, XFRM_MSG_NEWSA, GW, ME, 0x101, 42, 0);
	nlb_set_nla_len(&m, id, NLA_HDRLEN + 1);
	memcpy(dg + len, m.b, m.len);
	len += m.len;
	mk_delsa(&m, GW, ME, 0x100, 42);
	memcpy(dg + len, m.b, m.len);
	len += m.len;
	xfrm_input(x, dg, len);
	ck_assert_uint_eq(xfrm_counters(x)->messages, 2);
	ck_assert_uint_eq(xfrm_counters(x)->malformed, 1);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.up[0], 0);
	/* Cut in the middle of the second message's header, then one
	 * claiming more than the datagram holds. */
	xfrm_input(x, dg, 1);
	ck_assert_uint_eq(xfrm_counters(x)->malformed, 2);
	memset(dg, 0xff, 16);
	xfrm_input(x, dg, len);
	ck_assert_uint_eq(xfrm_counters(x)->malformed, 3);
	ck_assert_uint_eq(xfrm_counters(x)->messages, 2);
	xfrm_free(x);
}
END_TEST

/* Every one-octet change of a valid datagram: no crash, and the counts
 * stay consistent (run under the sanitizers). */
START_TEST(t_mutate)
{
	struct nlb	 m;
	uint8_t		 dg[2048];
	size_t		 i;
	unsigned int	 v;
	struct xfrm	*x;

	mk_delsa(&m, GW, ME, 0x100, 42);
	for (i = 0; i < m.len; i++) {
		for (v = 0; v < 256; v += 37) {
			x = xfrm_new();
			ev_new(x, GW, ME, 0x100, 42);
			memcpy(dg, m.b, m.len);
			dg[i] = (uint8_t)v;
			xfrm_input(x, dg, m.len);
			ck_assert_uint_le(xfrm_sa_count(x, 42, NULL, NULL), 1);
			xfrm_free(x);
		}
	}
}
END_TEST

static int
log_count(const char *path, const char *what)
{
	FILE	*f;
	char	 line[256];
	int	 n = 0;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, what) != NULL)
			n++;
	fclose(f);
	return n;
}

/* Each edge says once what happened and why. */
START_TEST(t_log)
{
	struct xfrm	*x = xfrm_new();
	char		 path[] = "/tmp/check_xfrm.XXXXXX";
	int		 fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	log_setlevel(TB_LOG_INFO);
	ck_assert_int_eq(log_setfile(path), 0);
	ev_new(x, GW, ME, 0x100, 42);
	ev_expire(x, GW, ME, 0x100, 42, 0);
	ev_expire(x, GW, ME, 0x100, 42, 1);
	ev_del(x, GW, ME, 0x100, 42);
	ev_new(x, GW, ME, 0xabc, 42);
	log_setfile(NULL);
	log_setlevel(TB_LOG_WARNING);
	ck_assert_int_eq(log_count(path, "xfrm: if_id 42: no IPsec SA left "
	    "(SA hard-expired)"), 1);
	ck_assert_int_eq(log_count(path, "no IPsec SA left"), 1);
	ck_assert_int_eq(log_count(path, "xfrm: if_id 42: an IPsec SA again "
	    "(spi 0x00000abc)"), 1);
	unlink(path);
	xfrm_free(x);
}
END_TEST

/* The socket: where the kernel lets us open it, the dump completes and
 * nothing in it is malformed.  Skipped without XFRM or privileges. */
START_TEST(t_socket)
{
	struct event_base	*base = event_base_new();
	struct xfrm		*x = xfrm_new();
	time_t			 t0 = time(NULL);

	ck_assert_ptr_nonnull(base);
	if (xfrm_open(x, base) == -1) {
		printf("check_xfrm: socket test skipped: %s\n",
		    strerror(errno));
		xfrm_free(x);
		event_base_free(base);
		return;
	}
	ck_assert_int_ge(xfrm_fd(x), 0);
	while (xfrm_dumping(x) && time(NULL) - t0 < 5)
		event_base_loop(base, EVLOOP_ONCE);
	ck_assert_int_eq(xfrm_dumping(x), 0);
	ck_assert_uint_eq(xfrm_counters(x)->malformed, 0);
	xfrm_free(x);
	event_base_free(base);
}
END_TEST

static Suite *
xfrm_suite(void)
{
	Suite	*s = suite_create("xfrm");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, t_newsa);
	tcase_add_test(tc, t_delsa);
	tcase_add_test(tc, t_expire);
	tcase_add_test(tc, t_other_types);
	tcase_add_test(tc, t_truncated);
	tcase_add_test(tc, t_bad_attrs);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_test(tc, t_engine);
	tcase_add_test(tc, t_engine_rekey);
	tcase_add_test(tc, t_sweep);
	tcase_add_test(tc, t_input);
	tcase_add_test(tc, t_mutate);
	tcase_add_test(tc, t_log);
	tcase_add_test(tc, t_socket);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(xfrm_suite());
	int	 failed;

	/* The edges log at info; t_log reads them, the rest need not. */
	log_init(1, 0, "check_xfrm");
	log_setlevel(TB_LOG_WARNING);

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
