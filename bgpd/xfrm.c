/*
 * xfrm.c: IPsec SAs of XFRM interfaces as a liveness signal (see xfrm.h).
 *
 * Owns the parser of the kernel's SA messages (XFRM_MSG_NEWSA, UPDSA,
 * DELSA, EXPIRE, FLUSHSA), the table of live SAs that carry an if_id
 * with the count per if_id and its two edges, the NETLINK_XFRM socket
 * with its dump, and the wiring from an edge to the sessions over the
 * xfrm interfaces of that if_id.
 *
 * Decisions worth knowing:
 *  - SAs are kept one by one, keyed as the kernel looks them up
 *    (daddr, spi, proto), not merely counted: a hard expire is followed
 *    by the DELSA of the same SA, a NEWSA may be followed by an UPDSA,
 *    a dump may repeat what an event said; each must count once;
 *  - "down" is the last SA of an if_id gone, whatever the direction:
 *    rekeying installs the new pair before deleting the old one (make
 *    before break), so the count never passes through zero on a healthy
 *    tunnel, while a dead peer (DPD) or a hard expiry without successor
 *    takes every SA away.  Per-direction counts are kept for show;
 *  - a soft expire changes nothing: it asks the IKE daemon to rekey;
 *  - "up" fires only after a down: the first SA of an if_id (at start,
 *    or a tunnel configured later) is not news to any session;
 *  - the parser reads through buf getters only, like kif.c: a message or
 *    attribute whose length does not fit, or a known attribute of the
 *    wrong size, makes the whole message malformed; unknown attributes
 *    are skipped (newer kernels add some);
 *  - the dump goes over the event socket, so replies and events come in
 *    the kernel's order; on ENOBUFS the SAs are read again and those not
 *    seen are removed (mark and sweep, as kif.c).
 *
 * The kernel this was written on has the NETLINK_XFRM socket but neither
 * the ESP transform nor the xfrm link type, so the engine is tested on
 * hand-built messages only (tests/unit/check_xfrm.c).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/queue.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "log.h"
#include "nl.h"
#include "xfrm.h"

/* XFRMA_SA_DIR (Linux 6.10, after XFRMA_MTIMER_THRESH) and its values;
 * these headers predate it. */
#define XFRM_ATTR_SA_DIR	(XFRMA_MTIMER_THRESH + 1)
#define XFRM_SADIR_IN		1
#define XFRM_SADIR_OUT		2

#define XFRM_HASH	64
#define XFRM_HANDLERS	4		/* who hears of edges */
#define XFRM_RCVBUF	(1024 * 1024)
#define XFRM_READS	64		/* datagrams per loop turn */

struct xfrm_sa {
	LIST_ENTRY(xfrm_sa)	 hentry;
	struct tb_addr		 daddr;
	uint32_t		 spi;
	uint8_t			 proto;
	uint32_t		 if_id;
	enum xfrm_dir		 dir;
	unsigned int		 gen;
};

/* An if_id that has had an SA: kept while its count is 0 too, to know
 * the next SA is an "up". */
struct xfrm_ifid {
	LIST_ENTRY(xfrm_ifid)	 entry;
	uint32_t		 if_id;
	unsigned int		 n[3];		/* by enum xfrm_dir */
	int			 down;
};

struct xfrm {
	LIST_HEAD(, xfrm_sa)	 hash[XFRM_HASH];
	LIST_HEAD(, xfrm_ifid)	 ifids;
	struct {
		xfrm_handler	 fn;
		void		*arg;
	}			 h[XFRM_HANDLERS];
	int			 nh;
	xfrm_local_fn		 local;
	void			*larg;
	unsigned int		 gen;
	struct xfrm_counters	 stats;
	struct nl_sock		 nl;
	struct event		*ev;
	uint32_t		 dump_seq;
	int			 dumping;
	int			 redump;
};

/* Parsing ------------------------------------------------------------- */

static int
xfrm_addr(int family, const xfrm_address_t *x, struct tb_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->af = AF_INET;
		memcpy(a->u.raw, &x->a4, 4);
	} else if (family == AF_INET6) {
		a->af = AF_INET6;
		memcpy(a->u.raw, x->a6, 16);
	} else
		return -1;
	return 0;
}

/* The SA as NEWSA, UPDSA and EXPIRE carry it (and DELSA in XFRMA_SA). */
static int
xfrm_from_info(const struct xfrm_usersa_info *p, struct xfrm_event *ev)
{
	if (xfrm_addr(p->family, &p->id.daddr, &ev->daddr) == -1 ||
	    xfrm_addr(p->family, &p->saddr, &ev->saddr) == -1)
		return -1;
	ev->spi = ntohl(p->id.spi);
	ev->proto = p->id.proto;
	return 0;
}

static int
xfrm_val_exact(struct buf *v, void *out, size_t n)
{
	if (buf_left(v) != n)
		return -1;
	return buf_get_n(v, out, n);
}

static int
xfrm_attr_dir(struct buf *v, struct xfrm_event *ev)
{
	uint8_t	 d;

	if (xfrm_val_exact(v, &d, 1) == -1)
		return -1;
	if (d == XFRM_SADIR_IN)
		ev->dir = XFRM_DIR_IN;
	else if (d == XFRM_SADIR_OUT)
		ev->dir = XFRM_DIR_OUT;
	return 0;
}

/* DELSA names the SA by xfrm_usersa_id and adds the whole SA here; its
 * identity must agree with the header's. */
static int
xfrm_attr_sa(struct buf *v, struct xfrm_event *ev)
{
	struct xfrm_usersa_info	 p;
	struct xfrm_event	 full = *ev;

	if (ev->type != XFRM_EV_DELSA)
		return 0;
	if (xfrm_val_exact(v, &p, sizeof(p)) == -1 ||
	    xfrm_from_info(&p, &full) == -1)
		return -1;
	if (addr_cmp(&full.daddr, &ev->daddr) != 0 || full.spi != ev->spi ||
	    full.proto != ev->proto)
		return -1;
	ev->saddr = full.saddr;
	return 0;
}

static int
xfrm_attrs(struct buf *attrs, struct xfrm_event *ev)
{
	struct buf	 val;
	uint16_t	 type;
	int		 rc;

	while ((rc = nl_attr_next(attrs, &type, &val)) == 1) {
		if (type == XFRMA_IF_ID)
			rc = xfrm_val_exact(&val, &ev->if_id, 4);
		else if (type == XFRM_ATTR_SA_DIR)
			rc = xfrm_attr_dir(&val, ev);
		else if (type == XFRMA_SA)
			rc = xfrm_attr_sa(&val, ev);
		else
			rc = 0;
		if (rc == -1)
			return -1;
	}
	return rc;
}

static int
xfrm_parse_info(struct buf *body, struct xfrm_event *ev)
{
	struct xfrm_usersa_info	 p;

	if (nl_get_fixed(body, &p, sizeof(p)) == -1 ||
	    xfrm_from_info(&p, ev) == -1)
		return -1;
	return xfrm_attrs(body, ev);
}

static int
xfrm_parse_del(struct buf *body, struct xfrm_event *ev)
{
	struct xfrm_usersa_id	 id;

	if (nl_get_fixed(body, &id, sizeof(id)) == -1 ||
	    xfrm_addr(id.family, &id.daddr, &ev->daddr) == -1)
		return -1;
	ev->spi = ntohl(id.spi);
	ev->proto = id.proto;
	return xfrm_attrs(body, ev);
}

static int
xfrm_parse_expire(struct buf *body, struct xfrm_event *ev)
{
	struct xfrm_user_expire	 ue;

	if (nl_get_fixed(body, &ue, sizeof(ue)) == -1 ||
	    xfrm_from_info(&ue.state, ev) == -1)
		return -1;
	ev->hard = ue.hard != 0;
	return xfrm_attrs(body, ev);
}

static int
xfrm_parse_flush(struct buf *body, struct xfrm_event *ev)
{
	struct xfrm_usersa_flush	 f;

	if (nl_get_fixed(body, &f, sizeof(f)) == -1)
		return -1;
	ev->proto = f.proto;
	return 0;
}

static int
xfrm_parse_msg(const struct nl_msg *m, struct xfrm_event *ev)
{
	struct buf	 body = m->body;

	memset(ev, 0, sizeof(*ev));
	switch (m->type) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
		ev->type = m->type == XFRM_MSG_NEWSA ? XFRM_EV_NEWSA :
		    XFRM_EV_UPDSA;
		return xfrm_parse_info(&body, ev);
	case XFRM_MSG_DELSA:
		ev->type = XFRM_EV_DELSA;
		return xfrm_parse_del(&body, ev);
	case XFRM_MSG_EXPIRE:
		ev->type = XFRM_EV_EXPIRE;
		return xfrm_parse_expire(&body, ev);
	case XFRM_MSG_FLUSHSA:
		ev->type = XFRM_EV_FLUSH;
		return xfrm_parse_flush(&body, ev);
	default:
		return 1;
	}
}

int
xfrm_parse(const void *msg, size_t len, struct xfrm_event *ev)
{
	struct buf	 d;
	struct nl_msg	 m;

	buf_view(&d, msg, len);
	if (nl_next(&d, &m) != 1)
		return -1;
	return xfrm_parse_msg(&m, ev);
}

const char *
xfrm_evtype_str(enum xfrm_evtype t)
{
	switch (t) {
	case XFRM_EV_NEWSA:
		return "NEWSA";
	case XFRM_EV_UPDSA:
		return "UPDSA";
	case XFRM_EV_DELSA:
		return "DELSA";
	case XFRM_EV_EXPIRE:
		return "EXPIRE";
	case XFRM_EV_FLUSH:
		return "FLUSHSA";
	}
	return "?";
}

/* The table ----------------------------------------------------------- */

struct xfrm *
xfrm_new(void)
{
	struct xfrm	*x;
	size_t		 i;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	for (i = 0; i < XFRM_HASH; i++)
		LIST_INIT(&x->hash[i]);
	LIST_INIT(&x->ifids);
	x->nl.fd = -1;
	x->gen = 1;
	return x;
}

/* Every handler hears of an edge, in the order they were added. */
static void
xfrm_fire(struct xfrm *x, uint32_t if_id, int up)
{
	int	 i;

	for (i = 0; i < x->nh; i++)
		x->h[i].fn(x, if_id, up, x->h[i].arg);
}

void
xfrm_remove_handler(struct xfrm *x, xfrm_handler fn, void *arg)
{
	int	 i;

	for (i = 0; i < x->nh; i++)
		if (x->h[i].fn == fn && x->h[i].arg == arg) {
			memmove(&x->h[i], &x->h[i + 1],
			    (size_t)(x->nh - i - 1) * sizeof(x->h[0]));
			x->nh--;
			return;
		}
}

void
xfrm_add_handler(struct xfrm *x, xfrm_handler fn, void *arg)
{
	if (x->nh == XFRM_HANDLERS)
		fatalx("xfrm: more than %d handlers", XFRM_HANDLERS);
	x->h[x->nh].fn = fn;
	x->h[x->nh].arg = arg;
	x->nh++;
}

void
xfrm_set_local(struct xfrm *x, xfrm_local_fn fn, void *arg)
{
	x->local = fn;
	x->larg = arg;
}

static struct xfrm_ifid *
xfrm_ifid_find(const struct xfrm *x, uint32_t if_id)
{
	struct xfrm_ifid	*fi;

	LIST_FOREACH(fi, &x->ifids, entry)
		if (fi->if_id == if_id)
			return fi;
	return NULL;
}

static unsigned int
xfrm_ifid_total(const struct xfrm_ifid *fi)
{
	return fi->n[XFRM_DIR_UNKNOWN] + fi->n[XFRM_DIR_IN] +
	    fi->n[XFRM_DIR_OUT];
}

static struct xfrm_sa *
xfrm_sa_find(const struct xfrm *x, const struct tb_addr *daddr,
    uint32_t spi, uint8_t proto)
{
	struct xfrm_sa	*sa;

	LIST_FOREACH(sa, &x->hash[spi % XFRM_HASH], hentry)
		if (sa->spi == spi && sa->proto == proto &&
		    addr_cmp(&sa->daddr, daddr) == 0)
			return sa;
	return NULL;
}

/* The SA goes; the last one of its if_id is a down. */
static void
xfrm_sa_drop(struct xfrm *x, struct xfrm_sa *sa, const char *cause)
{
	struct xfrm_ifid	*fi = xfrm_ifid_find(x, sa->if_id);
	uint32_t		 if_id = sa->if_id;
	enum xfrm_dir		 dir = sa->dir;

	LIST_REMOVE(sa, hentry);
	free(sa);
	if (fi == NULL || fi->n[dir] == 0)
		fatalx("xfrm: SA count of if_id %u out of step", if_id);
	fi->n[dir]--;
	if (xfrm_ifid_total(fi) > 0)
		return;
	fi->down = 1;
	log_info("xfrm: if_id %u: no IPsec SA left (%s)", if_id, cause);
	xfrm_fire(x, if_id, 0);
}

static enum xfrm_dir
xfrm_dir_of(const struct xfrm *x, const struct xfrm_event *ev)
{
	if (ev->dir != XFRM_DIR_UNKNOWN || x->local == NULL)
		return ev->dir;
	return x->local(&ev->daddr, x->larg) ? XFRM_DIR_IN : XFRM_DIR_OUT;
}

static struct xfrm_ifid *
xfrm_ifid_get(struct xfrm *x, uint32_t if_id)
{
	struct xfrm_ifid	*fi;

	if ((fi = xfrm_ifid_find(x, if_id)) != NULL)
		return fi;
	if ((fi = calloc(1, sizeof(*fi))) == NULL)
		fatal("xfrm_ifid_get");
	fi->if_id = if_id;
	LIST_INSERT_HEAD(&x->ifids, fi, entry);
	return fi;
}

static void
xfrm_sa_insert(struct xfrm *x, const struct xfrm_event *ev)
{
	struct xfrm_sa		*sa;
	struct xfrm_ifid	*fi = xfrm_ifid_get(x, ev->if_id);

	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		fatal("xfrm_sa_insert");
	sa->daddr = ev->daddr;
	sa->spi = ev->spi;
	sa->proto = ev->proto;
	sa->if_id = ev->if_id;
	sa->dir = xfrm_dir_of(x, ev);
	sa->gen = x->gen;
	LIST_INSERT_HEAD(&x->hash[sa->spi % XFRM_HASH], sa, hentry);
	fi->n[sa->dir]++;
	if (!fi->down || xfrm_ifid_total(fi) != 1)
		return;
	fi->down = 0;
	log_info("xfrm: if_id %u: an IPsec SA again (spi 0x%08x)",
	    fi->if_id, sa->spi);
	xfrm_fire(x, fi->if_id, 1);
}

/* NEWSA, UPDSA or a dump entry: known SAs are only marked seen, unless
 * their if_id changed (the kernel allows it on update). */
static void
xfrm_sa_new(struct xfrm *x, const struct xfrm_event *ev)
{
	struct xfrm_sa	*sa;

	sa = xfrm_sa_find(x, &ev->daddr, ev->spi, ev->proto);
	if (sa != NULL && sa->if_id == ev->if_id) {
		sa->gen = x->gen;
		return;
	}
	/* Insert first: moving an SA never shows its new if_id a down. */
	if (ev->if_id != 0)
		xfrm_sa_insert(x, ev);
	if (sa != NULL)
		xfrm_sa_drop(x, sa, "SA moved to another if_id");
}

static void
xfrm_sa_gone(struct xfrm *x, const struct xfrm_event *ev, const char *cause)
{
	struct xfrm_sa	*sa;

	if ((sa = xfrm_sa_find(x, &ev->daddr, ev->spi, ev->proto)) != NULL)
		xfrm_sa_drop(x, sa, cause);
}

/* FLUSHSA: proto 0 and IPSEC_PROTO_ANY (255) mean every SA. */
static void
xfrm_flush(struct xfrm *x, uint8_t proto)
{
	struct xfrm_sa	*sa, *next;
	size_t		 i;

	for (i = 0; i < XFRM_HASH; i++)
		for (sa = LIST_FIRST(&x->hash[i]); sa != NULL; sa = next) {
			next = LIST_NEXT(sa, hentry);
			if (proto == 0 || proto == 255 || sa->proto == proto)
				xfrm_sa_drop(x, sa, "SAs flushed");
		}
}

void
xfrm_event(struct xfrm *x, const struct xfrm_event *ev)
{
	switch (ev->type) {
	case XFRM_EV_NEWSA:
	case XFRM_EV_UPDSA:
		xfrm_sa_new(x, ev);
		break;
	case XFRM_EV_DELSA:
		xfrm_sa_gone(x, ev, "SA deleted");
		break;
	case XFRM_EV_EXPIRE:
		/* RFC 4301 4.4.2.1: a soft lifetime asks for a new SA, a
		 * hard one ends this SA (its DELSA follows and finds
		 * nothing). */
		if (!ev->hard) {
			x->stats.soft_expires++;
			break;
		}
		x->stats.hard_expires++;
		xfrm_sa_gone(x, ev, "SA hard-expired");
		break;
	case XFRM_EV_FLUSH:
		xfrm_flush(x, ev->proto);
		break;
	}
}

unsigned int
xfrm_sa_count(const struct xfrm *x, uint32_t if_id, unsigned int *in,
    unsigned int *out)
{
	const struct xfrm_ifid	*fi = xfrm_ifid_find(x, if_id);

	if (in != NULL)
		*in = fi != NULL ? fi->n[XFRM_DIR_IN] : 0;
	if (out != NULL)
		*out = fi != NULL ? fi->n[XFRM_DIR_OUT] : 0;
	return fi != NULL ? xfrm_ifid_total(fi) : 0;
}

int
xfrm_if_down(const struct xfrm *x, uint32_t if_id)
{
	const struct xfrm_ifid	*fi = xfrm_ifid_find(x, if_id);

	return fi != NULL && fi->down;
}

const struct xfrm_counters *
xfrm_counters(const struct xfrm *x)
{
	return &x->stats;
}

/* Generation 0 is never used: a fresh SA is seen in the current one. */
void
xfrm_sweep_begin(struct xfrm *x)
{
	if (++x->gen == 0)
		x->gen = 1;
}

void
xfrm_sweep(struct xfrm *x)
{
	struct xfrm_sa	*sa, *next;
	size_t		 i;

	for (i = 0; i < XFRM_HASH; i++)
		for (sa = LIST_FIRST(&x->hash[i]); sa != NULL; sa = next) {
			next = LIST_NEXT(sa, hentry);
			if (sa->gen != x->gen)
				xfrm_sa_drop(x, sa, "SA gone while events "
				    "were lost");
		}
}

void
xfrm_free(struct xfrm *x)
{
	struct xfrm_sa		*sa;
	struct xfrm_ifid	*fi;
	size_t			 i;

	if (x == NULL)
		return;
	for (i = 0; i < XFRM_HASH; i++)
		while ((sa = LIST_FIRST(&x->hash[i])) != NULL) {
			LIST_REMOVE(sa, hentry);
			free(sa);
		}
	while ((fi = LIST_FIRST(&x->ifids)) != NULL) {
		LIST_REMOVE(fi, entry);
		free(fi);
	}
	if (x->ev != NULL)
		event_free(x->ev);
	nl_close(&x->nl);
	free(x);
}

/* Input --------------------------------------------------------------- */

static int	xfrm_dump(struct xfrm *);

/* The end of our dump (NLMSG_DONE, or an error in reply to it). */
static void
xfrm_dump_done(struct xfrm *x, const struct nl_msg *m)
{
	int	 err;

	if (!x->dumping || nl_answer(m, x->dump_seq, &err) != 1)
		return;
	x->dumping = 0;
	if (err != 0) {
		log_warnx("xfrm: SA dump refused by the kernel");
		return;
	}
	xfrm_sweep(x);
	if (x->redump)
		(void)xfrm_dump(x);
}

static void
xfrm_msg(const struct nl_msg *m, void *arg)
{
	struct xfrm		*x = arg;
	struct xfrm_event	 ev;

	if (m->type == NLMSG_DONE || m->type == NLMSG_ERROR) {
		xfrm_dump_done(x, m);
		return;
	}
	switch (xfrm_parse_msg(m, &ev)) {
	case 0:
		x->stats.messages++;
		xfrm_event(x, &ev);
		break;
	case -1:
		x->stats.malformed++;
		log_debug("xfrm: malformed message type %u, %zu octets",
		    m->type, buf_left(&m->body) + NLMSG_HDRLEN);
		break;
	}
}

/* A datagram holds whole messages, each padded to 4 octets; a header
 * whose length is impossible ends it (the next cannot be found). */
void
xfrm_input(struct xfrm *x, const void *data, size_t len)
{
	if (nl_walk(data, len, xfrm_msg, x) == -1)
		x->stats.malformed++;
}

static void
xfrm_dgram(const void *data, size_t len, void *arg)
{
	xfrm_input(arg, data, len);
}

/* The socket ---------------------------------------------------------- */

static int
xfrm_dump(struct xfrm *x)
{
	struct xfrm_usersa_id	 id;
	struct buf		 b;
	int			 rc;

	if (x->dumping) {
		x->redump = 1;
		return 0;
	}
	x->redump = 0;
	memset(&id, 0, sizeof(id));
	if (buf_init(&b, 64, 64) == -1)
		fatal("xfrm_dump");
	x->dump_seq = nl_seq(&x->nl);
	rc = nl_dump_put(&b, XFRM_MSG_GETSA, &id, sizeof(id), x->dump_seq);
	if (rc == 0)
		rc = nl_send(&x->nl, &b);
	buf_free(&b);
	if (rc == -1) {
		log_warn("xfrm: SA dump request");
		return -1;
	}
	xfrm_sweep_begin(x);
	x->dumping = 1;
	return 0;
}

/* Lost events or a cut datagram: the SAs are read again. */
static void
xfrm_read_cb(int fd, short ev, void *arg)
{
	struct xfrm	*x = arg;
	int		 lost;

	(void)fd;
	(void)ev;
	if (nl_read(&x->nl, XFRM_READS, xfrm_dgram, x, &lost) == -1)
		log_warn("xfrm: netlink read");
	if (lost) {
		log_warnx("xfrm: SA events lost, reading the SAs again");
		x->stats.resyncs++;
		if (xfrm_dump(x) == -1)
			log_warn("xfrm: netlink read");
	}
}

int
xfrm_open(struct xfrm *x, struct event_base *base)
{
	int	 saved;

	if (nl_open(&x->nl, NETLINK_XFRM, 0, XFRM_RCVBUF, NL_F_NONBLOCK) == -1)
		return -1;
	if (nl_join(&x->nl, XFRMNLGRP_SA) == -1 ||
	    nl_join(&x->nl, XFRMNLGRP_EXPIRE) == -1)
		goto fail;
	x->ev = event_new(base, x->nl.fd, EV_READ | EV_PERSIST, xfrm_read_cb,
	    x);
	if (x->ev == NULL || event_add(x->ev, NULL) == -1) {
		errno = ENOMEM;
		goto fail;
	}
	if (xfrm_dump(x) == -1)
		goto fail;
	return 0;
fail:
	saved = errno;
	if (x->ev != NULL)
		event_free(x->ev);
	x->ev = NULL;
	nl_close(&x->nl);
	errno = saved;
	return -1;
}

int
xfrm_fd(const struct xfrm *x)
{
	return x->nl.fd;
}

int
xfrm_dumping(const struct xfrm *x)
{
	return x->dumping;
}
