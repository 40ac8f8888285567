/*
 * check_kif: the interface table (bgpd/kif.c) without a socket.
 * Hand-built RTM_NEWLINK / RTM_DELLINK / RTM_NEWADDR / RTM_DELADDR
 * messages, valid and broken (docs/malformed-input.md row 18: truncated
 * payloads, attributes running past the end, zero lengths, unknown
 * attributes, a nested IFLA_LINKINFO that lies about its length); the
 * transitions the handler sees (edges only); connected-prefix lookup;
 * the mark and sweep of a resync.  The live check against the kernel is
 * a scratch program (it needs root and a network namespace).
 */
#include <sys/socket.h>
#include <net/if.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"

/* Message builder ----------------------------------------------------- */

/* Netlink is host order, so this is not a struct buf. */
struct nlb {
	uint8_t		 b[1024];
	size_t		 len;
	size_t		 nest;
};

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
	nlb_put(m, body, n);
	nlb_finish(m);
}

static void
nlb_attr(struct nlb *m, uint16_t type, const void *p, size_t n)
{
	struct rtattr	 rta;

	rta.rta_len = RTA_LENGTH(n);
	rta.rta_type = type;
	nlb_put(m, &rta, sizeof(rta));
	if (n > 0)
		nlb_put(m, p, n);
	nlb_finish(m);
}

static void
nlb_str(struct nlb *m, uint16_t type, const char *s)
{
	nlb_attr(m, type, s, strlen(s) + 1);
}

static void
nlb_u8(struct nlb *m, uint16_t type, uint8_t v)
{
	nlb_attr(m, type, &v, 1);
}

static void
nlb_u32(struct nlb *m, uint16_t type, uint32_t v)
{
	nlb_attr(m, type, &v, 4);
}

static void
nlb_nest_begin(struct nlb *m, uint16_t type)
{
	m->nest = m->len;
	nlb_attr(m, type, NULL, 0);
}

static void
nlb_nest_end(struct nlb *m)
{
	uint16_t	 len = (uint16_t)(m->len - m->nest);

	memcpy(m->b + m->nest, &len, 2);
}

/* Patches the rta_len of the attribute at offset off. */
static void
nlb_set_rta_len(struct nlb *m, size_t off, uint16_t len)
{
	memcpy(m->b + off, &len, 2);
}

static void
mk_link(struct nlb *m, uint16_t type, int ifindex, unsigned int flags)
{
	struct ifinfomsg	 ifi;

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_index = ifindex;
	ifi.ifi_flags = flags;
	nlb_start(m, type, &ifi, sizeof(ifi));
}

/* A tunnel as the kernel describes it, with an unknown attribute, a
 * nested kind and per-kind data. */
static size_t
mk_vti(struct nlb *m)
{
	uint8_t	 junk[7] = { 1, 2, 3, 4, 5, 6, 7 };
	size_t	 nest;

	mk_link(m, RTM_NEWLINK, 7, IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
	nlb_str(m, IFLA_IFNAME, "vti1");
	nlb_u32(m, IFLA_MTU, 1436);
	nlb_attr(m, 999, junk, sizeof(junk));
	nest = m->len;
	nlb_nest_begin(m, IFLA_LINKINFO);
	nlb_str(m, IFLA_INFO_KIND, "vti");
	nlb_attr(m, IFLA_INFO_DATA, junk, 5);
	nlb_nest_end(m);
	nlb_u8(m, IFLA_OPERSTATE, IF_OPER_UNKNOWN);
	nlb_u8(m, IFLA_CARRIER, 1);
	return nest;
}

static void
mk_addr(struct nlb *m, uint16_t type, int af, int ifindex, int plen)
{
	struct ifaddrmsg	 ifa;

	memset(&ifa, 0, sizeof(ifa));
	ifa.ifa_family = af;
	ifa.ifa_prefixlen = plen;
	ifa.ifa_index = ifindex;
	nlb_start(m, type, &ifa, sizeof(ifa));
}

static void
nlb_ip(struct nlb *m, uint16_t type, const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	nlb_attr(m, type, a.u.raw, a.af == AF_INET ? 4 : 16);
}

static struct tb_addr
A(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* Link parsing -------------------------------------------------------- */

START_TEST(t_link_valid)
{
	struct nlb	 m;
	struct kif_link	 l;

	mk_vti(&m);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_int_eq(l.ifindex, 7);
	ck_assert_str_eq(l.name, "vti1");
	ck_assert_str_eq(l.kind, "vti");
	ck_assert_uint_eq(l.mtu, 1436);
	ck_assert_int_eq(l.operstate, IF_OPER_UNKNOWN);
	ck_assert_int_eq(l.carrier, 1);
	ck_assert_int_eq(kif_link_usable(&l), 1);
	ck_assert_str_eq(kif_state_str(&l), "up");

	/* A deletion parses the same way; a route message is not a link. */
	mk_link(&m, RTM_DELLINK, 3, 0);
	nlb_str(&m, IFLA_IFNAME, "veth0");
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_int_eq(l.carrier, -1);
	ck_assert_str_eq(l.kind, "");
	ck_assert_int_eq(kif_link_usable(&l), 0);
	ck_assert_str_eq(kif_state_str(&l), "admin-down");
	mk_link(&m, RTM_NEWROUTE, 3, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
}
END_TEST

/* Every cut of a valid message fails: either nlmsg_len passes the bytes
 * given, or (with nlmsg_len patched down) an attribute runs past it. */
START_TEST(t_link_truncated)
{
	struct nlb	 m, c;
	struct kif_link	 l;
	size_t		 cut;

	mk_vti(&m);
	for (cut = 0; cut < m.len; cut++)
		ck_assert_int_eq(kif_parse_link(m.b, cut, &l), -1);
	/* nlmsg_len shortened into the last attribute (IFLA_CARRIER: a
	 * 4-octet header, 1 octet, 3 of padding): it now runs past the
	 * message. */
	for (cut = m.len - 7; cut <= m.len - 4; cut++) {
		c = m;
		c.len = cut;
		nlb_finish(&c);
		ck_assert_int_eq(kif_parse_link(c.b, c.len, &l), -1);
	}
	/* Missing padding after the last attribute is tolerated. */
	c = m;
	c.len = m.len - 3;
	nlb_finish(&c);
	ck_assert_int_eq(kif_parse_link(c.b, c.len, &l), 0);
	ck_assert_int_eq(l.carrier, 1);
	/* Cut at the attribute boundary it is a valid shorter message. */
	c = m;
	c.len = m.len - 8;
	nlb_finish(&c);
	ck_assert_int_eq(kif_parse_link(c.b, c.len, &l), 0);
	ck_assert_int_eq(l.carrier, -1);
	/* Just the header, no ifinfomsg. */
	c = m;
	c.len = NLMSG_HDRLEN;
	nlb_finish(&c);
	ck_assert_int_eq(kif_parse_link(c.b, c.len, &l), -1);
}
END_TEST

START_TEST(t_link_garbage)
{
	struct nlb	 m;
	struct kif_link	 l;
	size_t		 off, nest;
	char		 longname[IFNAMSIZ];

	/* rta_len 0 would loop a naive walker forever. */
	mk_link(&m, RTM_NEWLINK, 7, IFF_UP);
	off = m.len;
	nlb_str(&m, IFLA_IFNAME, "eth0");
	nlb_set_rta_len(&m, off, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	nlb_set_rta_len(&m, off, 3);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	/* An attribute claiming more than is left. */
	nlb_set_rta_len(&m, off, 200);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);

	/* Zero-length payloads: fine for an unknown type, not for a name. */
	mk_link(&m, RTM_NEWLINK, 7, IFF_UP);
	nlb_attr(&m, 1000, NULL, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	nlb_attr(&m, IFLA_IFNAME, NULL, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);

	/* Known attributes of the wrong size. */
	mk_link(&m, RTM_NEWLINK, 7, IFF_UP);
	nlb_attr(&m, IFLA_MTU, "ab", 2);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	mk_link(&m, RTM_NEWLINK, 7, IFF_UP);
	nlb_u32(&m, IFLA_OPERSTATE, IF_OPER_UP);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);

	/* A name that fills IFNAMSIZ with no room for the NUL. */
	memset(longname, 'x', sizeof(longname));
	mk_link(&m, RTM_NEWLINK, 7, IFF_UP);
	nlb_attr(&m, IFLA_IFNAME, longname, sizeof(longname));
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);

	/* ifindex 0 is no interface. */
	mk_link(&m, RTM_NEWLINK, 0, IFF_UP);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);

	/* The nest is bounded by its own length: a kind running past the
	 * nest is malformed even though the message has bytes after it. */
	mk_vti(&m);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	nest = mk_vti(&m);
	nlb_set_rta_len(&m, nest + 4, 4 + 12);	/* "vti\0" claims 12 */
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	/* The nest itself longer than the message. */
	nest = mk_vti(&m);
	nlb_set_rta_len(&m, nest, (uint16_t)(m.len - nest + 4));
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
}
END_TEST

/* An xfrm interface: IFLA_XFRM_IF_ID two nests deep (IFLA_LINKINFO,
 * IFLA_INFO_DATA), beside IFLA_XFRM_LINK which is not wanted.  Nests are
 * opened and closed by offset here, the builder's own nest is one deep. */
static size_t
nlb_open(struct nlb *m, uint16_t type)
{
	size_t	 off = m->len;

	nlb_attr(m, type, NULL, 0);
	return off;
}

static void
nlb_close(struct nlb *m, size_t off)
{
	nlb_set_rta_len(m, off, (uint16_t)(m->len - off));
}

/* Returns the offset of the IFLA_XFRM_IF_ID attribute. */
static size_t
mk_xfrmi(struct nlb *m, const char *kind, uint32_t if_id, int data_first)
{
	size_t	 info, data, id;

	mk_link(m, RTM_NEWLINK, 12, IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
	nlb_str(m, IFLA_IFNAME, "ipsec0");
	info = nlb_open(m, IFLA_LINKINFO);
	if (!data_first)
		nlb_str(m, IFLA_INFO_KIND, kind);
	data = nlb_open(m, IFLA_INFO_DATA);
	nlb_u32(m, IFLA_XFRM_LINK, 2);
	id = m->len;
	nlb_u32(m, IFLA_XFRM_IF_ID, if_id);
	nlb_close(m, data);
	if (data_first)
		nlb_str(m, IFLA_INFO_KIND, kind);
	nlb_close(m, info);
	nlb_u8(m, IFLA_OPERSTATE, IF_OPER_UNKNOWN);
	return id;
}

START_TEST(t_link_xfrm)
{
	struct nlb	 m;
	struct kif_link	 l;

	mk_xfrmi(&m, "xfrm", 42, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_str_eq(l.kind, "xfrm");
	ck_assert_str_eq(l.name, "ipsec0");
	ck_assert_uint_eq(l.xfrm_if_id, 42);
	ck_assert_int_eq(l.operstate, IF_OPER_UNKNOWN);
	/* The kernel sends the kind first; the other order works too. */
	mk_xfrmi(&m, "xfrm", 0xfffffffe, 1);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_uint_eq(l.xfrm_if_id, 0xfffffffe);
	/* Another kind's data is not read as xfrm's (type 2 is some
	 * other attribute there). */
	mk_xfrmi(&m, "vti", 42, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_str_eq(l.kind, "vti");
	ck_assert_uint_eq(l.xfrm_if_id, 0);
	/* No IFLA_LINKINFO at all. */
	mk_vti(&m);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	ck_assert_uint_eq(l.xfrm_if_id, 0);
}
END_TEST

START_TEST(t_link_xfrm_bad)
{
	struct nlb	 m;
	struct kif_link	 l;
	size_t		 id, cut;

	/* if_id of 2 octets (padding keeps the walk in step), and of 8,
	 * which runs past the end of its nest. */
	id = mk_xfrmi(&m, "xfrm", 42, 0);
	nlb_set_rta_len(&m, id, 4 + 2);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	id = mk_xfrmi(&m, "xfrm", 42, 1);
	nlb_set_rta_len(&m, id, 4 + 8);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	/* rta_len 0 inside the data nest would loop a naive walker. */
	id = mk_xfrmi(&m, "xfrm", 42, 0);
	nlb_set_rta_len(&m, id, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), -1);
	/* The same breakage under another kind is not looked at. */
	id = mk_xfrmi(&m, "vti", 42, 0);
	nlb_set_rta_len(&m, id, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	/* Every cut of the whole message fails. */
	mk_xfrmi(&m, "xfrm", 42, 0);
	for (cut = 0; cut < m.len; cut++)
		ck_assert_int_eq(kif_parse_link(m.b, cut, &l), -1);
}
END_TEST

static void
count_xfrm(const struct kif_link *l, void *arg)
{
	if (strcmp(l->kind, "xfrm") == 0 && l->xfrm_if_id == 42)
		(*(int *)arg)++;
}

/* An update without IFLA_LINKINFO keeps the kind and its if_id. */
START_TEST(t_link_xfrm_kept)
{
	struct kif	*kif = kif_new();
	struct nlb	 m;
	struct kif_link	 l;
	int		 n = 0;

	mk_xfrmi(&m, "xfrm", 42, 0);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	kif_link_event(kif, &l, 0);
	mk_link(&m, RTM_NEWLINK, 12, IFF_UP);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	kif_link_event(kif, &l, 0);
	ck_assert_str_eq(kif_get(kif, 12)->kind, "xfrm");
	ck_assert_uint_eq(kif_get(kif, 12)->xfrm_if_id, 42);
	mk_vti(&m);
	ck_assert_int_eq(kif_parse_link(m.b, m.len, &l), 0);
	kif_link_event(kif, &l, 0);
	kif_foreach(kif, count_xfrm, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(kif_count(kif), 2);
	kif_free(kif);
}
END_TEST

/* Address parsing ----------------------------------------------------- */

START_TEST(t_addr_valid)
{
	struct nlb	 m;
	struct kif_addr	 a;
	struct tb_addr	 x;

	/* A tunnel inside address with its peer, as the AWS guide sets it. */
	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 30);
	nlb_ip(&m, IFA_ADDRESS, "169.254.10.1");
	nlb_ip(&m, IFA_LOCAL, "169.254.10.2");
	nlb_str(&m, IFA_LABEL, "vti1");
	nlb_attr(&m, 777, "zz", 2);
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), 0);
	ck_assert_int_eq(a.ifindex, 7);
	x = A("169.254.10.2");
	ck_assert_int_eq(addr_cmp(&a.local, &x), 0);
	x = A("169.254.10.0");
	ck_assert_int_eq(addr_cmp(&a.connected.addr, &x), 0);
	ck_assert_uint_eq(a.connected.len, 30);

	/* IPv6 sends IFA_ADDRESS only; IFA_FLAGS supersedes ifa_flags. */
	mk_addr(&m, RTM_DELADDR, AF_INET6, 9, 64);
	nlb_ip(&m, IFA_ADDRESS, "2001:db8:1:2::5");
	nlb_u32(&m, IFA_FLAGS, IFA_F_TENTATIVE | IFA_F_NOPREFIXROUTE);
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), 0);
	x = A("2001:db8:1:2::5");
	ck_assert_int_eq(addr_cmp(&a.local, &x), 0);
	x = A("2001:db8:1:2::");
	ck_assert_int_eq(addr_cmp(&a.connected.addr, &x), 0);
	ck_assert_uint_eq(a.flags, IFA_F_TENTATIVE | IFA_F_NOPREFIXROUTE);
}
END_TEST

START_TEST(t_addr_bad)
{
	struct nlb	 m, c;
	struct kif_addr	 a;
	size_t		 cut;

	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 33);
	nlb_ip(&m, IFA_ADDRESS, "10.0.0.1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	mk_addr(&m, RTM_NEWADDR, AF_INET6, 7, 129);
	nlb_ip(&m, IFA_ADDRESS, "::1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	/* An IPv6 address in an IPv4 message. */
	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 24);
	nlb_ip(&m, IFA_ADDRESS, "2001:db8::1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	/* No address at all. */
	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 24);
	nlb_str(&m, IFA_LABEL, "eth0");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	/* Another family, no ifindex. */
	mk_addr(&m, RTM_NEWADDR, AF_PACKET, 7, 24);
	nlb_ip(&m, IFA_ADDRESS, "10.0.0.1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	mk_addr(&m, RTM_NEWADDR, AF_INET, 0, 24);
	nlb_ip(&m, IFA_ADDRESS, "10.0.0.1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);
	/* A link message is not an address. */
	mk_addr(&m, RTM_NEWLINK, AF_INET, 7, 24);
	nlb_ip(&m, IFA_ADDRESS, "10.0.0.1");
	ck_assert_int_eq(kif_parse_addr(m.b, m.len, &a), -1);

	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 24);
	nlb_ip(&m, IFA_ADDRESS, "10.0.0.1");
	nlb_u32(&m, IFA_FLAGS, 0);
	for (cut = 0; cut < m.len; cut++)
		ck_assert_int_eq(kif_parse_addr(m.b, cut, &a), -1);
	for (cut = m.len - 3; cut < m.len; cut++) {
		c = m;
		c.len = cut;
		nlb_finish(&c);
		ck_assert_int_eq(kif_parse_addr(c.b, c.len, &a), -1);
	}
}
END_TEST

/* The engine ---------------------------------------------------------- */

struct rec {
	int		 n;
	enum kif_change	 c[16];
	int		 ifindex[16];
	struct tb_addr	 addr[16];
	int		 usable[16];	/* kif_usable as the handler saw it */
};

static void
rec_fn(struct kif *kif, enum kif_change c, int ifindex,
    const struct tb_addr *addr, void *arg)
{
	struct rec	*r = arg;

	ck_assert_int_lt(r->n, 16);
	r->c[r->n] = c;
	r->ifindex[r->n] = ifindex;
	if (addr != NULL)
		r->addr[r->n] = *addr;
	else
		memset(&r->addr[r->n], 0, sizeof(r->addr[r->n]));
	r->usable[r->n] = kif_usable(kif, ifindex);
	r->n++;
}

static struct kif_link
L(int ifindex, const char *name, unsigned int flags, int oper)
{
	struct kif_link	 l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	snprintf(l.name, sizeof(l.name), "%s", name);
	l.flags = flags;
	l.carrier = -1;
	l.operstate = oper;
	return l;
}

static struct kif_addr
AD(int ifindex, const char *local, const char *pfx)
{
	struct kif_addr	 a;

	memset(&a, 0, sizeof(a));
	a.ifindex = ifindex;
	a.local = A(local);
	ck_assert_int_eq(prefix_parse(pfx, &a.connected), 0);
	return a;
}

#define UPF	(IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

START_TEST(t_link_transitions)
{
	struct kif	*kif = kif_new();
	struct kif_link	 l = L(7, "vti1", UPF, IF_OPER_UNKNOWN);
	struct rec	 r = { 0 };

	kif_add_handler(kif, rec_fn, &r);
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.c[0], KIF_LINK_UP);
	ck_assert_int_eq(r.usable[0], 1);
	kif_link_event(kif, &l, 0);		/* the same again */
	l.mtu = 1400;				/* not a usability change */
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(r.n, 1);

	/* Carrier lost: IFF_LOWER_UP cleared, operstate DOWN. */
	l = L(7, "", IFF_UP, IF_OPER_DOWN);
	kif_link_event(kif, &l, 0);
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.c[1], KIF_LINK_DOWN);
	ck_assert_int_eq(r.ifindex[1], 7);
	ck_assert_int_eq(r.usable[1], 0);
	ck_assert_str_eq(kif_get(kif, 7)->name, "vti1");	/* kept */
	ck_assert_str_eq(kif_state_str(kif_get(kif, 7)), "no-carrier");

	/* Back, then admin down, then IFLA_CARRIER 0 alone, then an
	 * operstate of LOWERLAYERDOWN with the flags still up. */
	l = L(7, "vti1", UPF, IF_OPER_UP);
	kif_link_event(kif, &l, 0);
	l.flags = 0;
	kif_link_event(kif, &l, 0);
	l.flags = UPF;
	kif_link_event(kif, &l, 0);
	l.carrier = 0;
	kif_link_event(kif, &l, 0);
	l.carrier = 1;
	kif_link_event(kif, &l, 0);
	l.operstate = IF_OPER_LOWERLAYERDOWN;
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(r.n, 8);
	ck_assert_int_eq(r.c[2], KIF_LINK_UP);
	ck_assert_int_eq(r.c[3], KIF_LINK_DOWN);
	ck_assert_int_eq(r.c[4], KIF_LINK_UP);
	ck_assert_int_eq(r.c[5], KIF_LINK_DOWN);
	ck_assert_int_eq(r.c[6], KIF_LINK_UP);
	ck_assert_int_eq(r.c[7], KIF_LINK_DOWN);
	ck_assert_str_eq(kif_state_str(kif_get(kif, 7)), "oper-down");

	/* Deleting a link that is already down fires nothing more. */
	kif_link_event(kif, &l, 1);
	ck_assert_int_eq(r.n, 8);
	ck_assert_ptr_null(kif_get(kif, 7));
	kif_link_event(kif, &l, 1);		/* unknown: nothing */
	ck_assert_int_eq(r.n, 8);
	kif_free(kif);
}
END_TEST

START_TEST(t_addr_transitions)
{
	struct kif	*kif = kif_new();
	struct kif_link	 l = L(7, "vti1", UPF, IF_OPER_UNKNOWN);
	struct kif_addr	 a = AD(7, "169.254.10.2", "169.254.10.0/30");
	struct tb_addr	 x = A("169.254.10.2"), y = A("169.254.10.1");
	struct rec	 r = { 0 };

	/* An address of an unknown interface is dropped. */
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(kif_has_addr(kif, &x), 0);

	kif_link_event(kif, &l, 0);
	kif_add_handler(kif, rec_fn, &r);
	kif_addr_event(kif, &a, 0);
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.c[0], KIF_ADDR_NEW);
	ck_assert_int_eq(addr_cmp(&r.addr[0], &x), 0);
	ck_assert_int_eq(kif_has_addr(kif, &x), 1);
	ck_assert_int_eq(kif_addr_ifindex(kif, &x), 7);
	ck_assert_int_eq(kif_has_addr(kif, &y), 0);

	kif_addr_event(kif, &a, 1);
	kif_addr_event(kif, &a, 1);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.c[1], KIF_ADDR_GONE);
	ck_assert_int_eq(r.ifindex[1], 7);
	ck_assert_int_eq(kif_has_addr(kif, &x), 0);

	/* IPv6: tentative is not usable; DAD done is ADDR_NEW. */
	a = AD(7, "2001:db8::2", "2001:db8::/64");
	a.flags = IFA_F_TENTATIVE;
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(kif_has_addr(kif, &a.local), 0);
	a.flags = 0;
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(r.n, 3);
	ck_assert_int_eq(r.c[2], KIF_ADDR_NEW);
	ck_assert_int_eq(kif_has_addr(kif, &a.local), 1);
	a.flags = IFA_F_DADFAILED;
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(r.n, 4);
	ck_assert_int_eq(r.c[3], KIF_ADDR_GONE);

	/* The link goes: LINK_DOWN first, then its addresses. */
	a = AD(7, "169.254.10.2", "169.254.10.0/30");
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(r.n, 5);
	kif_link_event(kif, &l, 1);
	ck_assert_int_eq(r.n, 7);
	ck_assert_int_eq(r.c[5], KIF_LINK_DOWN);
	ck_assert_int_eq(r.usable[5], 0);
	ck_assert_int_eq(r.c[6], KIF_ADDR_GONE);
	ck_assert_int_eq(addr_cmp(&r.addr[6], &x), 0);
	ck_assert_uint_eq(kif_count(kif), 0);
	kif_free(kif);
}
END_TEST

START_TEST(t_connected)
{
	struct kif	*kif = kif_new();
	struct kif_link	 l;
	struct kif_addr	 a;
	struct tb_addr	 nh = A("169.254.10.1"), far = A("192.0.2.1");
	int		 ifi = -1;

	l = L(7, "vti1", UPF, IF_OPER_UNKNOWN);
	kif_link_event(kif, &l, 0);
	l = L(8, "eth0", UPF, IF_OPER_UP);
	kif_link_event(kif, &l, 0);
	a = AD(8, "169.254.1.1", "169.254.0.0/16");
	kif_addr_event(kif, &a, 0);
	a = AD(7, "169.254.10.2", "169.254.10.0/30");
	kif_addr_event(kif, &a, 0);

	ck_assert_int_eq(kif_connected(kif, &nh, &ifi), 1);
	ck_assert_int_eq(ifi, 7);		/* /30 beats /16 */
	ck_assert_int_eq(kif_connected(kif, &far, &ifi), 0);

	/* The tunnel loses carrier: the /16 is what is left. */
	l = L(7, "vti1", IFF_UP, IF_OPER_DOWN);
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(kif_usable(kif, 7), 0);
	ck_assert_int_eq(kif_connected(kif, &nh, &ifi), 1);
	ck_assert_int_eq(ifi, 8);
	l = L(8, "eth0", 0, IF_OPER_DOWN);
	kif_link_event(kif, &l, 0);
	ck_assert_int_eq(kif_connected(kif, &nh, &ifi), 0);

	/* noprefixroute installs no connected route; the other family and
	 * unknown interfaces never match. */
	l = L(7, "vti1", UPF, IF_OPER_UNKNOWN);
	kif_link_event(kif, &l, 0);
	a = AD(7, "169.254.10.2", "169.254.10.0/30");
	a.flags = IFA_F_NOPREFIXROUTE;
	kif_addr_event(kif, &a, 0);
	ck_assert_int_eq(kif_connected(kif, &nh, &ifi), 0);
	nh = A("::ffff:169.254.10.1");
	ck_assert_int_eq(kif_connected(kif, &nh, &ifi), 0);
	ck_assert_int_eq(kif_usable(kif, 99), 0);
	ck_assert_ptr_null(kif_get(kif, 99));
	ck_assert_int_eq(kif_by_name(kif, "eth0")->ifindex, 8);
	ck_assert_ptr_null(kif_by_name(kif, "eth1"));
	kif_free(kif);
}
END_TEST

/* A resync after ENOBUFS: what the dump no longer shows is deleted and
 * the handler hears of it; what it shows unchanged is silent. */
START_TEST(t_sweep)
{
	struct kif	*kif = kif_new();
	struct kif_link	 l1 = L(7, "vti1", UPF, IF_OPER_UNKNOWN);
	struct kif_link	 l2 = L(8, "vti2", UPF, IF_OPER_UNKNOWN);
	struct kif_addr	 a1 = AD(7, "169.254.10.2", "169.254.10.0/30");
	struct kif_addr	 a2 = AD(7, "169.254.20.2", "169.254.20.0/30");
	struct rec	 r = { 0 };

	kif_link_event(kif, &l1, 0);
	kif_link_event(kif, &l2, 0);
	kif_addr_event(kif, &a1, 0);
	kif_addr_event(kif, &a2, 0);
	kif_add_handler(kif, rec_fn, &r);

	kif_sweep_begin(kif);
	kif_link_event(kif, &l1, 0);
	kif_sweep_links(kif);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.c[0], KIF_LINK_DOWN);
	ck_assert_int_eq(r.ifindex[0], 8);
	kif_addr_event(kif, &a1, 0);
	kif_sweep_addrs(kif);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.c[1], KIF_ADDR_GONE);
	ck_assert_int_eq(addr_cmp(&r.addr[1], &a2.local), 0);
	ck_assert_uint_eq(kif_count(kif), 1);
	ck_assert_int_eq(kif_has_addr(kif, &a1.local), 1);
	kif_free(kif);
}
END_TEST

/* Datagrams as the socket delivers them: several messages, one broken,
 * a bridge-port message that must not touch the link. */
START_TEST(t_input)
{
	struct kif	*kif = kif_new();
	struct nlb	 m;
	uint8_t		 dg[4096];
	size_t		 n = 0;
	struct tb_addr	 x = A("169.254.10.2");

	mk_vti(&m);
	memcpy(dg + n, m.b, m.len);
	n += m.len;
	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 33);	/* bad prefixlen */
	nlb_ip(&m, IFA_ADDRESS, "169.254.10.2");
	memcpy(dg + n, m.b, m.len);
	n += m.len;
	mk_addr(&m, RTM_NEWADDR, AF_INET, 7, 30);
	nlb_ip(&m, IFA_ADDRESS, "169.254.10.2");
	memcpy(dg + n, m.b, m.len);
	n += m.len;
	mk_link(&m, RTM_DELLINK, 7, 0);
	m.b[NLMSG_HDRLEN] = AF_BRIDGE;			/* ifi_family */
	memcpy(dg + n, m.b, m.len);
	n += m.len;
	mk_link(&m, RTM_NEWROUTE, 7, 0);		/* not ours: skipped */
	memcpy(dg + n, m.b, m.len);
	n += m.len;
	kif_input(kif, dg, n);
	ck_assert_uint_eq(kif_stats(kif)->messages, 3);
	ck_assert_uint_eq(kif_stats(kif)->malformed, 1);
	ck_assert_int_eq(kif_usable(kif, 7), 1);
	ck_assert_int_eq(kif_has_addr(kif, &x), 1);

	/* A header that claims more than the datagram ends it. */
	mk_link(&m, RTM_DELLINK, 7, 0);
	memcpy(dg, m.b, m.len);
	dg[0] = 0xff;
	kif_input(kif, dg, m.len);
	ck_assert_uint_eq(kif_stats(kif)->malformed, 2);
	kif_input(kif, dg, 3);				/* short of a header */
	ck_assert_uint_eq(kif_stats(kif)->malformed, 3);
	ck_assert_int_eq(kif_usable(kif, 7), 1);

	/* Without a socket there is nothing to resync. */
	errno = 0;
	ck_assert_int_eq(kif_resync(kif), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(kif_fd(kif), -1);
	kif_free(kif);
}
END_TEST

/* Every octet of valid messages replaced by a few telling values: the
 * parsers either refuse or fill bounded strings, and kif_input accounts
 * for every message (run under the sanitizer build this is a small fuzz
 * of the walkers). */
static void
mutate_one(struct kif *kif, const struct nlb *m, size_t i, uint8_t v)
{
	struct nlb	 c = *m;
	struct kif_link	 l;
	struct kif_addr	 a;

	c.b[i] = v;
	if (kif_parse_link(c.b, c.len, &l) == 0) {
		ck_assert_uint_lt(strlen(l.name), sizeof(l.name));
		ck_assert_uint_lt(strlen(l.kind), sizeof(l.kind));
		ck_assert_int_gt(l.ifindex, 0);
	}
	if (kif_parse_addr(c.b, c.len, &a) == 0) {
		ck_assert(a.local.af == AF_INET || a.local.af == AF_INET6);
		ck_assert_int_eq(a.local.af, a.connected.addr.af);
		ck_assert_uint_le(a.connected.len,
		    a.local.af == AF_INET ? 32 : 128);
	}
	kif_input(kif, c.b, c.len);
}

START_TEST(t_mutate)
{
	static const uint8_t	 vals[] = { 0, 1, 3, 4, 0x7f, 0xff };
	struct kif		*kif = kif_new();
	struct nlb		 m[2];
	size_t			 i, k, j, tries = 0;
	uint64_t		 seen;

	mk_vti(&m[0]);
	mk_addr(&m[1], RTM_NEWADDR, AF_INET, 7, 30);
	nlb_ip(&m[1], IFA_ADDRESS, "169.254.10.1");
	nlb_ip(&m[1], IFA_LOCAL, "169.254.10.2");
	nlb_u32(&m[1], IFA_FLAGS, 0);
	for (k = 0; k < 2; k++)
		for (i = 0; i < m[k].len; i++)
			for (j = 0; j < sizeof(vals); j++, tries++)
				mutate_one(kif, &m[k], i, vals[j]);
	/* Each try is one message, applied, refused, or a header that
	 * ends the datagram; a type byte turned into something else is
	 * skipped silently, so the sum is at most the tries. */
	seen = kif_stats(kif)->messages + kif_stats(kif)->malformed;
	ck_assert_uint_le(seen, tries);
	ck_assert_uint_gt(kif_stats(kif)->malformed, 0);
	ck_assert_uint_gt(kif_stats(kif)->messages, 0);
	kif_free(kif);
}
END_TEST

static Suite *
kif_suite(void)
{
	Suite	*s = suite_create("kif");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, t_link_valid);
	tcase_add_test(tc, t_link_truncated);
	tcase_add_test(tc, t_link_garbage);
	tcase_add_test(tc, t_link_xfrm);
	tcase_add_test(tc, t_link_xfrm_bad);
	tcase_add_test(tc, t_link_xfrm_kept);
	tcase_add_test(tc, t_addr_valid);
	tcase_add_test(tc, t_addr_bad);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_test(tc, t_link_transitions);
	tcase_add_test(tc, t_addr_transitions);
	tcase_add_test(tc, t_connected);
	tcase_add_test(tc, t_sweep);
	tcase_add_test(tc, t_input);
	tcase_add_test(tc, t_mutate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(kif_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
