/*
 * kif: the kernel's interfaces and their addresses, kept current from
 * rtnetlink link and address events.
 *
 * BGP sessions over IPsec tunnels must drop the moment the tunnel
 * interface loses carrier or goes down, and reconnect the moment it comes
 * back (BIRD "check link", FRR fast-external-failover), rather than wait
 * out a 30 to 180 second hold timer.  kif turns the kernel's events into
 * four transitions a session cares about and answers the questions the
 * session and next-hop code ask: is this interface usable, which usable
 * interface has this next hop on a connected prefix, is our local address
 * still configured.
 *
 * The engine (kif_new, kif_link_event, kif_addr_event, the queries) needs
 * no socket, so it is unit tested by hand; kif_open adds the rtnetlink
 * socket and the libevent read side.
 */
#ifndef TB_KIF_H
#define TB_KIF_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define KIF_KINDLEN	16	/* IFLA_INFO_KIND: "veth", "vti", "xfrm"... */

/* One interface as the last RTM_NEWLINK described it. */
struct kif_link {
	int		 ifindex;
	int		 family;	/* ifi_family: AF_UNSPEC for real links */
	char		 name[IFNAMSIZ];
	char		 kind[KIF_KINDLEN];	/* "" when no IFLA_LINKINFO */
	unsigned int	 flags;		/* IFF_*, IFF_LOWER_UP included */
	int		 carrier;	/* IFLA_CARRIER, -1 when absent */
	int		 operstate;	/* IF_OPER_*, -1 when absent */
	uint32_t	 mtu;		/* 0 when absent */
	/* IFLA_XFRM_IF_ID in IFLA_INFO_DATA of kind "xfrm": the if_id its
	 * IPsec SAs carry (xfrm.c); 0 for other kinds or when absent. */
	uint32_t	 xfrm_if_id;
};

/* One address as RTM_NEWADDR / RTM_DELADDR describe it. */
struct kif_addr {
	int		 ifindex;
	struct tb_addr	 local;		/* IFA_LOCAL, else IFA_ADDRESS */
	/* The connected prefix: IFA_ADDRESS (the peer on a point-to-point
	 * address such as "169.254.10.2 peer 169.254.10.1/30") masked to
	 * the prefix length, which is what the kernel's route covers. */
	struct tb_prefix connected;
	uint32_t	 flags;		/* IFA_F_*, IFA_FLAGS when present */
	int		 scope;		/* RT_SCOPE_* */
};

enum kif_change {
	KIF_LINK_DOWN,	/* usable -> not: carrier lost, admin down, gone */
	KIF_LINK_UP,	/* not usable -> usable */
	KIF_ADDR_GONE,	/* a usable local address was removed */
	KIF_ADDR_NEW	/* a local address became usable (added, DAD done) */
};

struct kif;
struct event_base;

/*
 * Called after kif's state has changed, so queries inside see the new
 * state.  addr is NULL for link changes.  The handler may query kif but
 * must not feed it events or free it.  Every module that follows the
 * interfaces registers its own (kif_add_handler()); they are called in
 * the order they were added.
 */
typedef void	(*kif_handler)(struct kif *, enum kif_change, int ifindex,
		    const struct tb_addr *addr, void *arg);

/* Parsing, exposed for unit tests and fuzzing: 0 and the struct filled,
 * or -1 for a message that is truncated, malformed or of another type.
 * kif_parse_link takes RTM_NEWLINK and RTM_DELLINK, kif_parse_addr
 * RTM_NEWADDR and RTM_DELADDR of AF_INET and AF_INET6. */
int		 kif_parse_link(const void *msg, size_t len, struct kif_link *);
int		 kif_parse_addr(const void *msg, size_t len, struct kif_addr *);

/* The engine. */
struct kif	*kif_new(void);
void		 kif_free(struct kif *);	/* closes the socket if open */
void		 kif_add_handler(struct kif *, kif_handler, void *arg);
void		 kif_remove_handler(struct kif *, kif_handler, void *arg);
void		 kif_link_event(struct kif *, const struct kif_link *,
		    int deleted);
void		 kif_addr_event(struct kif *, const struct kif_addr *,
		    int deleted);
/* A full re-read (after ENOBUFS): begin marks everything unseen; after the
 * link dump, links still unseen are deleted, after the address dump the
 * same for addresses; the handler sees what changed. */
void		 kif_sweep_begin(struct kif *);
void		 kif_sweep_links(struct kif *);
void		 kif_sweep_addrs(struct kif *);
/* One datagram from the socket (or a test): every netlink message in it is
 * parsed and applied; unknown and malformed ones are counted and skipped. */
void		 kif_input(struct kif *, const void *, size_t);

/* Queries. */
const struct kif_link *kif_get(const struct kif *, int ifindex);
const struct kif_link *kif_by_name(const struct kif *, const char *);
int		 kif_link_usable(const struct kif_link *);
int		 kif_usable(const struct kif *, int ifindex);
/* "up", "admin-down", "no-carrier", "oper-down" (for show output). */
const char	*kif_state_str(const struct kif_link *);
/* 1 and *ifindex set when a usable interface has a connected prefix that
 * holds nexthop (the longest such prefix), else 0. */
int		 kif_connected(const struct kif *, const struct tb_addr *nexthop,
		    int *ifindex);
/* The same on interface only (0: any), counting links that are not
 * usable too when usable is 0 (to tell why a next hop is unreachable). */
int		 kif_connected_on(const struct kif *,
		    const struct tb_addr *nexthop, int only, int usable,
		    int *ifindex);
/* 1 when local is configured (not tentative, not failed DAD) on any
 * interface; kif_addr_ifindex says which (0 when none). */
int		 kif_has_addr(const struct kif *, const struct tb_addr *local);
int		 kif_addr_ifindex(const struct kif *, const struct tb_addr *);
size_t		 kif_count(const struct kif *);	/* interfaces known */
/* Every interface in arrival order; fn must not feed kif events. */
void		 kif_foreach(const struct kif *,
		    void (*fn)(const struct kif_link *, void *), void *arg);

/* Counters for show and tests. */
struct kif_stats {
	uint64_t	 messages;	/* netlink messages applied */
	uint64_t	 malformed;	/* skipped: truncated or malformed */
	uint64_t	 resyncs;	/* full re-reads: ENOBUFS, cut datagram,
					   kif_resync */
};
const struct kif_stats *kif_stats(const struct kif *);

/*
 * The socket side: a NETLINK_ROUTE socket subscribed to link and IPv4/IPv6
 * address groups.  The initial dumps are read before kif_open returns (the
 * handler does not fire for them: nothing depends on the state yet); later
 * events and any ENOBUFS re-dump are read from the event loop of base
 * (required).  0, or -1 with errno set (ETIMEDOUT when the dumps did not
 * finish within 5 s).
 */
int		 kif_open(struct kif *, struct event_base *);
/* Ask for a full re-read now, as an ENOBUFS would (tests, "clear"). */
int		 kif_resync(struct kif *);
int		 kif_fd(const struct kif *);	/* -1 when not open */

#endif
