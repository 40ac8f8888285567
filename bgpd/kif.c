/*
 * kif.c: the kernel's interfaces and addresses (see kif.h).
 *
 * Owns the interface table (a hash by ifindex plus a list in arrival
 * order, each interface with its addresses), the parsers of RTM_NEWLINK /
 * RTM_DELLINK / RTM_NEWADDR / RTM_DELADDR, the transition rules that fire
 * the user's handler, and the rtnetlink event socket with its dumps.
 *
 * Decisions worth knowing:
 *  - usable means admin up (IFF_UP) and carrier (IFF_LOWER_UP, and
 *    IFLA_CARRIER when sent) and an operstate of UP or UNKNOWN: vti, gre
 *    and wireguard report UNKNOWN while working, a veth whose peer is
 *    down reports DOWN or LOWERLAYERDOWN;
 *  - only edges fire: a message that leaves usability unchanged (an MTU
 *    change, the same state twice) is silent;
 *  - AF_BRIDGE link messages describe bridge ports, not links (a port
 *    leaving a bridge arrives as RTM_DELLINK): they are ignored;
 *  - parsers read through buf getters only; an attribute shorter than its
 *    header, one running past the message, or a known attribute of the
 *    wrong size makes the whole message malformed (the kernel never sends
 *    one, so something is wrong and nothing in it is trusted); unknown
 *    attributes are skipped;
 *  - the dumps go over the event socket itself, so dump replies and events
 *    arrive in the kernel's order and a stale event cannot overwrite a
 *    newer dump entry; on ENOBUFS everything is re-read and whatever was
 *    not seen again is deleted (mark and sweep).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/queue.h>
#include <net/if.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "kif.h"
#include "log.h"
#include "nl.h"

#define KIF_HASH	64
#define KIF_HANDLERS	8			/* who hears of changes */
#define KIF_RCVBUF	(8 * 1024 * 1024)	/* a link flap storm fits */
#define KIF_READS	64			/* datagrams per loop turn */
#define KIF_LOAD_MS	5000			/* initial dump patience */

struct kif_aent {
	TAILQ_ENTRY(kif_aent)	 entry;
	struct kif_addr		 a;
	unsigned int		 gen;
};

struct kif_if {
	LIST_ENTRY(kif_if)	 hentry;
	TAILQ_ENTRY(kif_if)	 entry;
	TAILQ_HEAD(, kif_aent)	 addrs;
	struct kif_link		 l;
	unsigned int		 gen;
};

enum kif_dump { KIF_IDLE, KIF_DUMP_LINK, KIF_DUMP_ADDR };

struct kif {
	TAILQ_HEAD(, kif_if)	 ifs;
	LIST_HEAD(, kif_if)	 hash[KIF_HASH];
	size_t			 nifs;
	struct {
		kif_handler	 fn;
		void		*arg;
	}			 h[KIF_HANDLERS];
	int			 nh;
	int			 quiet;		/* initial load: no handler */
	unsigned int		 gen;		/* mark and sweep generation */
	struct kif_stats	 stats;
	struct nl_sock		 nl;
	struct event		*ev;
	enum kif_dump		 dump;
	uint32_t		 dump_seq;
	int			 redump;	/* ENOBUFS during a dump */
};

/* Parsing ------------------------------------------------------------- */

/* An 8-bit attribute into an int that keeps -1 for "absent". */
static int
kif_val_u8(struct buf *v, int *out)
{
	uint8_t	 u;

	if (nl_attr_u8(v, &u) == -1)
		return -1;
	*out = u;
	return 0;
}

/* IFLA_INFO_DATA of an xfrm interface: IFLA_XFRM_IF_ID is wanted, the
 * lower link and collect_md are not. */
static int
kif_parse_xfrm(struct buf *nest, struct kif_link *l)
{
	struct buf	 val;
	uint16_t	 type;
	int		 rc;

	while ((rc = nl_attr_next(nest, &type, &val)) == 1)
		if (type == IFLA_XFRM_IF_ID &&
		    nl_attr_u32(&val, &l->xfrm_if_id) == -1)
			return -1;
	return rc;
}

/* IFLA_LINKINFO is nested: IFLA_INFO_KIND is wanted, and IFLA_INFO_DATA
 * for the one kind whose layout we read (xfrm); the rest is skipped, all
 * of it bounded by the outer attribute's view.  The kernel sends the kind
 * first, but the data is kept until the end so the order does not
 * matter. */
static int
kif_parse_linkinfo(struct buf *nest, struct kif_link *l)
{
	struct buf	 val, data;
	uint16_t	 type;
	int		 have_data = 0, rc;

	while ((rc = nl_attr_next(nest, &type, &val)) == 1) {
		if (type == IFLA_INFO_KIND &&
		    nl_attr_str(&val, l->kind, sizeof(l->kind)) == -1)
			return -1;
		if (type == IFLA_INFO_DATA) {
			data = val;
			have_data = 1;
		}
	}
	if (rc == -1)
		return -1;
	if (have_data && strcmp(l->kind, "xfrm") == 0)
		return kif_parse_xfrm(&data, l);
	return 0;
}

static int
kif_link_attr(uint16_t type, struct buf *val, struct kif_link *l)
{
	switch (type) {
	case IFLA_IFNAME:
		return nl_attr_str(val, l->name, sizeof(l->name));
	case IFLA_MTU:
		return nl_attr_u32(val, &l->mtu);
	case IFLA_CARRIER:
		return kif_val_u8(val, &l->carrier);
	case IFLA_OPERSTATE:
		return kif_val_u8(val, &l->operstate);
	case IFLA_LINKINFO:
		return kif_parse_linkinfo(val, l);
	default:
		return 0;
	}
}

/* The message that starts at msg, within len: its body. */
static int
kif_msg_body(const void *msg, size_t len, struct nl_msg *m)
{
	struct buf	 d;

	buf_view(&d, msg, len);
	return nl_next(&d, m) == 1 ? 0 : -1;
}

static int
kif_link_msg(const struct nl_msg *m, struct kif_link *l)
{
	struct ifinfomsg	 ifi;
	struct buf		 body = m->body, val;
	uint16_t		 type;
	int			 rc;

	if (m->type != RTM_NEWLINK && m->type != RTM_DELLINK)
		return -1;
	if (nl_get_fixed(&body, &ifi, sizeof(ifi)) == -1)
		return -1;
	if (ifi.ifi_index <= 0)
		return -1;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi.ifi_index;
	l->family = ifi.ifi_family;
	l->flags = ifi.ifi_flags;
	l->carrier = -1;
	l->operstate = -1;
	while ((rc = nl_attr_next(&body, &type, &val)) == 1)
		if (kif_link_attr(type, &val, l) == -1)
			return -1;
	return rc;
}

int
kif_parse_link(const void *msg, size_t len, struct kif_link *l)
{
	struct nl_msg	 m;

	if (kif_msg_body(msg, len, &m) == -1)
		return -1;
	return kif_link_msg(&m, l);
}

static void
kif_mask(struct tb_addr *a, unsigned int plen)
{
	size_t	 alen = a->af == AF_INET ? 4 : 16, i;

	for (i = 0; i < alen; i++) {
		if (plen >= 8)
			plen -= 8;
		else {
			a->u.raw[i] &= (uint8_t)(0xff00 >> plen);
			plen = 0;
		}
	}
}

/* The attributes of one address; which of IFA_ADDRESS / IFA_LOCAL came
 * is returned in *seen (bit 0 address, bit 1 local). */
static int
kif_addr_attrs(struct buf *body, int af, struct tb_addr *addr,
    struct kif_addr *a, int *seen)
{
	struct buf	 val;
	uint16_t	 type;
	int		 rc;

	while ((rc = nl_attr_next(body, &type, &val)) == 1) {
		if (type == IFA_ADDRESS) {
			if (nl_attr_addr(&val, af, addr) == -1)
				return -1;
			*seen |= 1;
		} else if (type == IFA_LOCAL) {
			if (nl_attr_addr(&val, af, &a->local) == -1)
				return -1;
			*seen |= 2;
		} else if (type == IFA_FLAGS) {
			/* The 32-bit flags supersede the 8-bit ifa_flags. */
			if (nl_attr_u32(&val, &a->flags) == -1)
				return -1;
		}
	}
	return rc;
}

static int
kif_addr_msg(const struct nl_msg *m, struct kif_addr *a)
{
	struct ifaddrmsg	 ifa;
	struct buf		 body = m->body;
	struct tb_addr		 addr;
	int			 seen = 0;

	if (m->type != RTM_NEWADDR && m->type != RTM_DELADDR)
		return -1;
	if (nl_get_fixed(&body, &ifa, sizeof(ifa)) == -1)
		return -1;
	if ((ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6) ||
	    ifa.ifa_prefixlen > (ifa.ifa_family == AF_INET ? 32 : 128) ||
	    ifa.ifa_index == 0 || ifa.ifa_index > INT32_MAX)
		return -1;
	memset(a, 0, sizeof(*a));
	a->ifindex = (int)ifa.ifa_index;
	a->flags = ifa.ifa_flags;
	a->scope = ifa.ifa_scope;
	if (kif_addr_attrs(&body, ifa.ifa_family, &addr, a, &seen) == -1 ||
	    seen == 0)
		return -1;
	/* IFA_LOCAL is ours; IFA_ADDRESS is the peer on point-to-point
	 * links and the same as IFA_LOCAL otherwise (IPv6 sends only it). */
	if ((seen & 2) == 0)
		a->local = addr;
	a->connected.addr = (seen & 1) ? addr : a->local;
	a->connected.len = ifa.ifa_prefixlen;
	kif_mask(&a->connected.addr, ifa.ifa_prefixlen);
	return 0;
}

int
kif_parse_addr(const void *msg, size_t len, struct kif_addr *a)
{
	struct nl_msg	 m;

	if (kif_msg_body(msg, len, &m) == -1)
		return -1;
	return kif_addr_msg(&m, a);
}

/* The table ----------------------------------------------------------- */

static struct kif_if *
kif_find(const struct kif *kif, int ifindex)
{
	struct kif_if	*ki;

	LIST_FOREACH(ki, &kif->hash[(unsigned int)ifindex % KIF_HASH], hentry)
		if (ki->l.ifindex == ifindex)
			return ki;
	return NULL;
}

static void
kif_fire(struct kif *kif, enum kif_change c, int ifindex,
    const struct tb_addr *addr)
{
	int	 i;

	for (i = 0; i < kif->nh && !kif->quiet; i++)
		kif->h[i].fn(kif, c, ifindex, addr, kif->h[i].arg);
}

struct kif *
kif_new(void)
{
	struct kif	*kif;
	size_t		 i;

	if ((kif = calloc(1, sizeof(*kif))) == NULL)
		fatal("kif_new");
	TAILQ_INIT(&kif->ifs);
	for (i = 0; i < KIF_HASH; i++)
		LIST_INIT(&kif->hash[i]);
	kif->nl.fd = -1;
	return kif;
}

void
kif_remove_handler(struct kif *kif, kif_handler fn, void *arg)
{
	int	 i;

	for (i = 0; i < kif->nh; i++)
		if (kif->h[i].fn == fn && kif->h[i].arg == arg) {
			memmove(&kif->h[i], &kif->h[i + 1],
			    (size_t)(kif->nh - i - 1) * sizeof(kif->h[0]));
			kif->nh--;
			return;
		}
}

void
kif_add_handler(struct kif *kif, kif_handler fn, void *arg)
{
	if (kif->nh == KIF_HANDLERS)
		fatalx("kif: more than %d handlers", KIF_HANDLERS);
	kif->h[kif->nh].fn = fn;
	kif->h[kif->nh].arg = arg;
	kif->nh++;
}

int
kif_link_usable(const struct kif_link *l)
{
	if ((l->flags & IFF_UP) == 0 || (l->flags & IFF_LOWER_UP) == 0)
		return 0;
	if (l->carrier == 0)
		return 0;
	return l->operstate == -1 || l->operstate == IF_OPER_UP ||
	    l->operstate == IF_OPER_UNKNOWN;
}

/* An address a session can be bound to: DAD done and passed (RFC 4862
 * 5.4: a tentative address is not assigned yet). */
static int
kif_addr_ok(const struct kif_addr *a)
{
	return (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) == 0;
}

static int
kif_addr_same(const struct kif_addr *x, const struct kif_addr *y)
{
	return addr_cmp(&x->local, &y->local) == 0 &&
	    x->connected.len == y->connected.len &&
	    addr_cmp(&x->connected.addr, &y->connected.addr) == 0;
}

static struct kif_aent *
kif_afind(struct kif_if *ki, const struct kif_addr *a)
{
	struct kif_aent	*ae;

	TAILQ_FOREACH(ae, &ki->addrs, entry)
		if (kif_addr_same(&ae->a, a))
			return ae;
	return NULL;
}

/* Removes one address entry; the handler hears of it if it was usable. */
static void
kif_adrop(struct kif *kif, struct kif_if *ki, struct kif_aent *ae)
{
	struct kif_addr	 a = ae->a;

	TAILQ_REMOVE(&ki->addrs, ae, entry);
	free(ae);
	if (kif_addr_ok(&a))
		kif_fire(kif, KIF_ADDR_GONE, a.ifindex, &a.local);
}

static void
kif_addr_new(struct kif *kif, struct kif_if *ki, const struct kif_addr *a)
{
	struct kif_aent	*ae;
	int		 was = 0;

	if ((ae = kif_afind(ki, a)) == NULL) {
		if ((ae = calloc(1, sizeof(*ae))) == NULL)
			fatal("kif_addr_new");
		TAILQ_INSERT_TAIL(&ki->addrs, ae, entry);
	} else
		was = kif_addr_ok(&ae->a);
	ae->a = *a;
	ae->gen = kif->gen;
	if (!was && kif_addr_ok(a))
		kif_fire(kif, KIF_ADDR_NEW, a->ifindex, &a->local);
	else if (was && !kif_addr_ok(a))
		kif_fire(kif, KIF_ADDR_GONE, a->ifindex, &a->local);
}

/* An address of an interface we do not know is dropped: the kernel sends
 * the link first, and after a lost event the resync brings both. */
void
kif_addr_event(struct kif *kif, const struct kif_addr *a, int deleted)
{
	struct kif_if	*ki;
	struct kif_aent	*ae;

	if ((ki = kif_find(kif, a->ifindex)) == NULL) {
		log_debug("kif: address %s on unknown ifindex %d",
		    addr_str(&a->local), a->ifindex);
		return;
	}
	if (!deleted)
		kif_addr_new(kif, ki, a);
	else if ((ae = kif_afind(ki, a)) != NULL)
		kif_adrop(kif, ki, ae);
}

static struct kif_if *
kif_if_new(struct kif *kif, int ifindex)
{
	struct kif_if	*ki;

	if ((ki = calloc(1, sizeof(*ki))) == NULL)
		fatal("kif_if_new");
	TAILQ_INIT(&ki->addrs);
	ki->l.ifindex = ifindex;
	LIST_INSERT_HEAD(&kif->hash[(unsigned int)ifindex % KIF_HASH], ki,
	    hentry);
	TAILQ_INSERT_TAIL(&kif->ifs, ki, entry);
	kif->nifs++;
	return ki;
}

/* The link goes: its sessions first (LINK_DOWN), then its addresses. */
static void
kif_if_drop(struct kif *kif, struct kif_if *ki)
{
	struct kif_aent	*ae;
	int		 ifindex = ki->l.ifindex, was = kif_link_usable(&ki->l);

	LIST_REMOVE(ki, hentry);
	TAILQ_REMOVE(&kif->ifs, ki, entry);
	kif->nifs--;
	if (was)
		kif_fire(kif, KIF_LINK_DOWN, ifindex, NULL);
	while ((ae = TAILQ_FIRST(&ki->addrs)) != NULL)
		kif_adrop(kif, ki, ae);
	free(ki);
}

/* Name and kind (and the xfrm if_id read with the kind) are kept when
 * an update leaves them out. */
static void
kif_link_update(struct kif_if *ki, const struct kif_link *l)
{
	struct kif_link	 old = ki->l;

	ki->l = *l;
	if (l->name[0] == '\0')
		memcpy(ki->l.name, old.name, sizeof(old.name));
	if (l->kind[0] == '\0') {
		memcpy(ki->l.kind, old.kind, sizeof(old.kind));
		ki->l.xfrm_if_id = old.xfrm_if_id;
	}
}

void
kif_link_event(struct kif *kif, const struct kif_link *l, int deleted)
{
	struct kif_if	*ki;
	int		 was, now;

	ki = kif_find(kif, l->ifindex);
	if (deleted) {
		if (ki != NULL)
			kif_if_drop(kif, ki);
		return;
	}
	if (ki == NULL)
		ki = kif_if_new(kif, l->ifindex);
	/* A new entry is all zero: not up, so its first usable state is
	 * an edge. */
	was = kif_link_usable(&ki->l);
	kif_link_update(ki, l);
	ki->gen = kif->gen;
	now = kif_link_usable(&ki->l);
	if (was && !now)
		kif_fire(kif, KIF_LINK_DOWN, l->ifindex, NULL);
	else if (!was && now)
		kif_fire(kif, KIF_LINK_UP, l->ifindex, NULL);
}

void
kif_free(struct kif *kif)
{
	struct kif_if	*ki;
	struct kif_aent	*ae;

	if (kif == NULL)
		return;
	while ((ki = TAILQ_FIRST(&kif->ifs)) != NULL) {
		while ((ae = TAILQ_FIRST(&ki->addrs)) != NULL) {
			TAILQ_REMOVE(&ki->addrs, ae, entry);
			free(ae);
		}
		TAILQ_REMOVE(&kif->ifs, ki, entry);
		free(ki);
	}
	if (kif->ev != NULL)
		event_free(kif->ev);
	nl_close(&kif->nl);
	free(kif);
}

/* Mark and sweep -------------------------------------------------------- */

/* Generation 0 is never used, so a fresh entry is never "seen". */
void
kif_sweep_begin(struct kif *kif)
{
	if (++kif->gen == 0)
		kif->gen = 1;
}

void
kif_sweep_links(struct kif *kif)
{
	struct kif_if	*ki, *next;

	for (ki = TAILQ_FIRST(&kif->ifs); ki != NULL; ki = next) {
		next = TAILQ_NEXT(ki, entry);
		if (ki->gen != kif->gen)
			kif_if_drop(kif, ki);
	}
}

void
kif_sweep_addrs(struct kif *kif)
{
	struct kif_if	*ki;
	struct kif_aent	*ae, *next;

	TAILQ_FOREACH(ki, &kif->ifs, entry) {
		for (ae = TAILQ_FIRST(&ki->addrs); ae != NULL; ae = next) {
			next = TAILQ_NEXT(ae, entry);
			if (ae->gen != kif->gen)
				kif_adrop(kif, ki, ae);
		}
	}
}

/* Queries ------------------------------------------------------------- */

const struct kif_link *
kif_get(const struct kif *kif, int ifindex)
{
	const struct kif_if	*ki = kif_find(kif, ifindex);

	return ki != NULL ? &ki->l : NULL;
}

const struct kif_link *
kif_by_name(const struct kif *kif, const char *name)
{
	const struct kif_if	*ki;

	TAILQ_FOREACH(ki, &kif->ifs, entry)
		if (strcmp(ki->l.name, name) == 0)
			return &ki->l;
	return NULL;
}

int
kif_usable(const struct kif *kif, int ifindex)
{
	const struct kif_link	*l = kif_get(kif, ifindex);

	return l != NULL && kif_link_usable(l);
}

const char *
kif_state_str(const struct kif_link *l)
{
	if ((l->flags & IFF_UP) == 0)
		return "admin-down";
	if ((l->flags & IFF_LOWER_UP) == 0 || l->carrier == 0)
		return "no-carrier";
	if (!kif_link_usable(l))
		return "oper-down";
	return "up";
}

/* A prefix the kernel has a connected route for: not a failed duplicate,
 * not added with noprefixroute. */
static int
kif_addr_connects(const struct kif_addr *a, const struct tb_addr *nh)
{
	if (a->flags & (IFA_F_DADFAILED | IFA_F_NOPREFIXROUTE))
		return 0;
	return prefix_contains(&a->connected, nh);
}

int
kif_connected(const struct kif *kif, const struct tb_addr *nexthop,
    int *ifindex)
{
	return kif_connected_on(kif, nexthop, 0, 1, ifindex);
}

int
kif_connected_on(const struct kif *kif, const struct tb_addr *nexthop,
    int only, int usable, int *ifindex)
{
	const struct kif_if	*ki;
	const struct kif_aent	*ae;
	int			 best = -1;

	TAILQ_FOREACH(ki, &kif->ifs, entry) {
		if ((usable && !kif_link_usable(&ki->l)) ||
		    (only != 0 && ki->l.ifindex != only))
			continue;
		TAILQ_FOREACH(ae, &ki->addrs, entry) {
			if (kif_addr_connects(&ae->a, nexthop) &&
			    ae->a.connected.len > best) {
				best = ae->a.connected.len;
				*ifindex = ki->l.ifindex;
			}
		}
	}
	return best >= 0;
}

int
kif_addr_ifindex(const struct kif *kif, const struct tb_addr *local)
{
	const struct kif_if	*ki;
	const struct kif_aent	*ae;

	TAILQ_FOREACH(ki, &kif->ifs, entry)
		TAILQ_FOREACH(ae, &ki->addrs, entry)
			if (kif_addr_ok(&ae->a) &&
			    addr_cmp(&ae->a.local, local) == 0)
				return ki->l.ifindex;
	return 0;
}

int
kif_has_addr(const struct kif *kif, const struct tb_addr *local)
{
	return kif_addr_ifindex(kif, local) != 0;
}

size_t
kif_count(const struct kif *kif)
{
	return kif->nifs;
}

void
kif_foreach(const struct kif *kif, void (*fn)(const struct kif_link *, void *),
    void *arg)
{
	const struct kif_if	*ki;

	TAILQ_FOREACH(ki, &kif->ifs, entry)
		fn(&ki->l, arg);
}

const struct kif_stats *
kif_stats(const struct kif *kif)
{
	return &kif->stats;
}

int
kif_fd(const struct kif *kif)
{
	return kif->nl.fd;
}

/* Input --------------------------------------------------------------- */

static int	kif_dump_next(struct kif *);

static int
kif_msg_link(struct kif *kif, const struct nl_msg *m)
{
	struct kif_link	 l;

	if (kif_link_msg(m, &l) == -1)
		return -1;
	if (l.family == AF_UNSPEC)
		kif_link_event(kif, &l, m->type == RTM_DELLINK);
	return 0;
}

static int
kif_msg_addr(struct kif *kif, const struct nl_msg *m)
{
	struct kif_addr	 a;

	if (kif_addr_msg(m, &a) == -1)
		return -1;
	kif_addr_event(kif, &a, m->type == RTM_DELADDR);
	return 0;
}

/* The end of one of our dumps (NLMSG_DONE, or an error reply to it). */
static void
kif_msg_done(struct kif *kif, const struct nl_msg *m)
{
	int	 err;

	if (kif->dump == KIF_IDLE || nl_answer(m, kif->dump_seq, &err) != 1)
		return;
	if (err != 0) {
		log_warnx("kif: interface dump refused by the kernel");
		kif->dump = KIF_IDLE;
		return;
	}
	if (kif->dump == KIF_DUMP_LINK)
		kif_sweep_links(kif);
	else
		kif_sweep_addrs(kif);
	(void)kif_dump_next(kif);
}

static void
kif_msg(const struct nl_msg *m, void *arg)
{
	struct kif	*kif = arg;
	int		 rc = 0;

	switch (m->type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		rc = kif_msg_link(kif, m);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		rc = kif_msg_addr(kif, m);
		break;
	case NLMSG_DONE:
	case NLMSG_ERROR:
		kif_msg_done(kif, m);
		break;
	default:
		return;
	}
	if (rc == -1)
		kif->stats.malformed++;
	else
		kif->stats.messages++;
}

/* A datagram holds whole messages one after another (nl_walk()); a
 * header whose length is impossible ends it: the next message cannot be
 * found. */
void
kif_input(struct kif *kif, const void *data, size_t len)
{
	if (nl_walk(data, len, kif_msg, kif) == -1)
		kif->stats.malformed++;
}

static void
kif_dgram(const void *data, size_t len, void *arg)
{
	kif_input(arg, data, len);
}

/* The socket ---------------------------------------------------------- */

/* A dump of links or addresses (the body: a zeroed ifinfomsg or
 * ifaddrmsg, every family). */
static int
kif_request(struct kif *kif, uint16_t type)
{
	struct ifinfomsg	 ifi;	/* larger than ifaddrmsg */
	struct buf		 b;
	int			 rc;

	memset(&ifi, 0, sizeof(ifi));
	if (buf_init(&b, 64, 64) == -1)
		fatal("kif_request");
	kif->dump_seq = nl_seq(&kif->nl);
	rc = nl_dump_put(&b, type, &ifi, type == RTM_GETLINK ? sizeof(ifi) :
	    sizeof(struct ifaddrmsg), kif->dump_seq);
	if (rc == -1 || nl_send(&kif->nl, &b) == -1) {
		log_warn("kif: dump request");
		kif->dump = KIF_IDLE;
		rc = -1;
	}
	buf_free(&b);
	return rc;
}

/* Idle -> links -> addresses -> idle, or again when a resync came in
 * the meantime. */
static int
kif_dump_next(struct kif *kif)
{
	switch (kif->dump) {
	case KIF_IDLE:
		kif->redump = 0;
		kif_sweep_begin(kif);
		kif->dump = KIF_DUMP_LINK;
		return kif_request(kif, RTM_GETLINK);
	case KIF_DUMP_LINK:
		kif->dump = KIF_DUMP_ADDR;
		return kif_request(kif, RTM_GETADDR);
	case KIF_DUMP_ADDR:
		kif->dump = KIF_IDLE;
		if (kif->redump)
			return kif_dump_next(kif);
		return 0;
	}
	return 0;
}

int
kif_resync(struct kif *kif)
{
	if (kif->nl.fd == -1) {
		errno = EBADF;
		return -1;
	}
	kif->stats.resyncs++;
	if (kif->dump != KIF_IDLE) {
		kif->redump = 1;
		return 0;
	}
	return kif_dump_next(kif);
}

/*
 * What the socket has, up to KIF_READS datagrams.  A lost event (the
 * receive buffer overflowed) or a datagram cut short means our picture
 * may be wrong: everything is read again.  0, or -1 on a socket error.
 */
static int
kif_read(struct kif *kif)
{
	int	 lost, rc;

	rc = nl_read(&kif->nl, KIF_READS, kif_dgram, kif, &lost);
	if (lost) {
		log_warnx("kif: netlink events lost, reading all again");
		if (kif_resync(kif) == -1)
			return -1;
	}
	return rc == -1 ? -1 : 0;
}

static void
kif_read_cb(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	if (kif_read(arg) == -1)
		log_warn("kif: netlink read");
}

/* Reads until both dumps are done; the handler stays quiet meanwhile. */
static int
kif_load(struct kif *kif)
{
	struct pollfd	 pfd = { kif->nl.fd, POLLIN, 0 };
	int		 rc = 0;

	kif->quiet = 1;
	if (kif_dump_next(kif) == -1)
		rc = -1;
	while (rc == 0 && kif->dump != KIF_IDLE) {
		if ((rc = poll(&pfd, 1, KIF_LOAD_MS)) == 0) {
			errno = ETIMEDOUT;
			rc = -1;
		} else if (rc > 0)
			rc = kif_read(kif);
		else if (errno == EINTR)
			rc = 0;
	}
	kif->quiet = 0;
	return rc;
}

int
kif_open(struct kif *kif, struct event_base *base)
{
	int	 saved;

	if (nl_open(&kif->nl, NETLINK_ROUTE, RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
	    RTMGRP_IPV6_IFADDR, KIF_RCVBUF, NL_F_NONBLOCK) == -1)
		return -1;
	if (kif_load(kif) == -1)
		goto fail;
	kif->ev = event_new(base, kif->nl.fd, EV_READ | EV_PERSIST,
	    kif_read_cb, kif);
	if (kif->ev == NULL || event_add(kif->ev, NULL) == -1) {
		errno = ENOMEM;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	if (kif->ev != NULL)
		event_free(kif->ev);
	kif->ev = NULL;
	nl_close(&kif->nl);
	kif->dump = KIF_IDLE;
	errno = saved;
	return -1;
}
