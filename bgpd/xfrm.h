/*
 * xfrm: the IPsec SAs behind XFRM interfaces, as one more liveness
 * signal (tbgpd(8) LIVENESS).
 *
 * Where strongSwan or libreswan runs a route-based VPN over an XFRM
 * interface, every SA the IKE daemon installs for the tunnel carries
 * the interface's if_id.  When the IKE daemon gives up on the peer (DPD
 * timeout, failed rekey) or an SA hard-expires without a successor, the
 * interface stays up but nothing can pass: the SAs are gone.  xfrm
 * follows the kernel's SA events (NETLINK_XFRM), keeps the set of live
 * SAs per if_id, and reports two edges: "if_id N has no SA left" and
 * "if_id N has an SA again".  A soft expire is not an edge: the IKE
 * daemon rekeys on it and the new SA arrives before the old one goes.
 *
 * The parser and the engine (xfrm_parse, xfrm_new, xfrm_event,
 * xfrm_input, the sweep) need no socket and are unit tested on
 * hand-built messages; xfrm_open adds the socket.  The daemon opens it
 * (tbgpd.c) and liveness.c ties its edges to the sessions.
 */
#ifndef TB_XFRM_H
#define TB_XFRM_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

enum xfrm_evtype {
	XFRM_EV_NEWSA,		/* XFRM_MSG_NEWSA: added, or a dump entry */
	XFRM_EV_UPDSA,		/* XFRM_MSG_UPDSA: a larval SA completed */
	XFRM_EV_DELSA,		/* XFRM_MSG_DELSA */
	XFRM_EV_EXPIRE,		/* XFRM_MSG_EXPIRE, hard or soft */
	XFRM_EV_FLUSH		/* XFRM_MSG_FLUSHSA: every SA of proto */
};

/* Linux 6.10 marks each SA with a direction (XFRMA_SA_DIR); before it,
 * an SA whose destination is one of our addresses is inbound. */
enum xfrm_dir {
	XFRM_DIR_UNKNOWN,
	XFRM_DIR_IN,
	XFRM_DIR_OUT
};

/* One SA event.  An SA is named by (daddr, spi, proto) as the kernel
 * looks it up; for XFRM_EV_FLUSH only proto is set (0 or 255: all). */
struct xfrm_event {
	enum xfrm_evtype type;
	int		 hard;		/* XFRM_EV_EXPIRE: 1 hard, 0 soft */
	uint32_t	 if_id;		/* XFRMA_IF_ID, 0 when absent */
	struct tb_addr	 daddr;
	struct tb_addr	 saddr;		/* af 0 when the message has none */
	uint32_t	 spi;		/* host order */
	uint8_t		 proto;		/* IPPROTO_ESP, _AH, _COMP */
	enum xfrm_dir	 dir;
};

/*
 * One netlink message: 0 and ev filled; 1 for a message type xfrm does
 * not follow (policies, acquires, NLMSG_DONE...); -1 for one that is
 * truncated or malformed (a length that does not fit, an attribute
 * running past its end, a known attribute of the wrong size, an
 * address family other than IPv4/IPv6).  Unknown attributes are skipped.
 */
int		 xfrm_parse(const void *msg, size_t len, struct xfrm_event *);
const char	*xfrm_evtype_str(enum xfrm_evtype);

struct xfrm;
struct event_base;

/* An edge of if_id: up 0 "no SA left", 1 "an SA again" (only after a
 * down: the first SA of an if_id is not news).  Called after the state
 * changed; the handler may query but must not feed events. */
typedef void	(*xfrm_handler)(struct xfrm *, uint32_t if_id, int up,
		    void *arg);
/* Is a the address of one of our interfaces?  Tells an SA's direction
 * when the kernel does not. */
typedef int	(*xfrm_local_fn)(const struct tb_addr *a, void *arg);

struct xfrm	*xfrm_new(void);
void		 xfrm_free(struct xfrm *);	/* closes the socket if open */
/* Who hears of the edges: each added handler, in order (the sessions'
 * first, liveness.c; static routes after, sroute_run.c). */
void		 xfrm_add_handler(struct xfrm *, xfrm_handler, void *arg);
void		 xfrm_remove_handler(struct xfrm *, xfrm_handler, void *arg);
void		 xfrm_set_local(struct xfrm *, xfrm_local_fn, void *arg);
/* Apply one parsed event.  SAs without an if_id are not kept: only an
 * XFRM interface ties an SA to a tunnel. */
void		 xfrm_event(struct xfrm *, const struct xfrm_event *);
/* One datagram (from the socket or a test): each message parsed and
 * applied; malformed ones counted and skipped. */
void		 xfrm_input(struct xfrm *, const void *, size_t);
/* A full re-read: begin marks every SA unseen; after the dump, those not
 * seen again are removed (the handler hears of the edges). */
void		 xfrm_sweep_begin(struct xfrm *);
void		 xfrm_sweep(struct xfrm *);

/* Live SAs of if_id: the total, and by direction when in/out non-NULL
 * (the rest is of unknown direction). */
unsigned int	 xfrm_sa_count(const struct xfrm *, uint32_t if_id,
		    unsigned int *in, unsigned int *out);
/* 1 when if_id lost its last SA and has none yet. */
int		 xfrm_if_down(const struct xfrm *, uint32_t if_id);

struct xfrm_counters {
	uint64_t	 messages;	/* SA messages applied */
	uint64_t	 malformed;	/* skipped: truncated or malformed */
	uint64_t	 soft_expires;
	uint64_t	 hard_expires;
	uint64_t	 resyncs;	/* full re-reads after lost events */
};
const struct xfrm_counters *xfrm_counters(const struct xfrm *);

/*
 * The socket side: NETLINK_XFRM subscribed to XFRMNLGRP_SA and
 * XFRMNLGRP_EXPIRE, read from base's loop, and a dump of the current SAs
 * (answered in the loop too: the handler stays quiet for SAs simply
 * found).  0, or -1 with errno set: EPROTONOSUPPORT when the kernel has
 * no XFRM.
 */
int		 xfrm_open(struct xfrm *, struct event_base *);
int		 xfrm_fd(const struct xfrm *);	/* -1 when not open */
/* 1 while a dump is outstanding (tests wait on it). */
int		 xfrm_dumping(const struct xfrm *);

#endif
