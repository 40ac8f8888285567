/*
 * probe: ICMP / ICMPv6 echo liveness of a tunnel peer.
 *
 * An IPsec tunnel that dies silently (a wrong key, a gateway that lost its
 * SA) keeps its interface up, so only the BGP hold timer would notice, 30
 * to 180 seconds later, and no cloud VPN offers BFD.  A probe sends an
 * echo request to the peer's inside address every interval and says DOWN
 * after multiplier requests in a row went unanswered, UP again only after
 * up_count timely replies in a row.  A peer that never answered (a gateway
 * that drops ICMP) leaves the probe in INIT for good: it never arms, so
 * it can never take a session down.
 *
 * The engine (probe_engine_new, probe_tick, probe_reply_seen,
 * probe_input, probe_parse_reply) needs no socket and no clock: tests
 * drive it with explicit times.  probe_new adds the socket (unprivileged
 * ICMP where net.ipv4.ping_group_range allows it, raw with CAP_NET_RAW
 * otherwise) and the libevent timer and read side.
 */
#ifndef TB_PROBE_H
#define TB_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct buf;
struct event_base;
struct probe;

struct probe_opts {
	uint32_t	 interval_ms;	/* between echo requests, > 0 */
	uint32_t	 multiplier;	/* down after this many missed in a row,
					   > 0 */
	uint32_t	 up_count;	/* up again after this many replies in a
					   row; 0 takes the multiplier */
};

/* INIT: never answered, never arms, never reports down. */
enum probe_state { PROBE_INIT, PROBE_UP, PROBE_DOWN };

/*
 * Fires on INIT->UP, UP->DOWN and DOWN->UP only, with a short reason
 * ("3 echo requests unanswered (300 ms)").  It is the last thing the
 * probe does in that turn: the callback may call probe_free().
 */
typedef void	(*probe_cb)(struct probe *, enum probe_state, const char *why,
		    void *arg);

/*
 * dst: the peer's tunnel inside address; src: our address on the tunnel
 * (af 0 when unset), the socket is bound to it; ifname: the tunnel
 * interface (may be NULL), the socket is bound to it with
 * SO_BINDTODEVICE so that a route change cannot carry the probes around
 * the tunnel.  The first request goes out at once.  When the interface is
 * deleted (sends fail with ENODEV) the socket is reopened by name at each
 * interval until that works again, the requests counting as misses.  NULL
 * with errno set when no ICMP socket could be had (EACCES/EPERM: neither
 * ping_group_range nor CAP_NET_RAW; ENODEV: no such interface;
 * EADDRNOTAVAIL: src is not configured) or the options are invalid
 * (EINVAL, also for an ifname of IFNAMSIZ octets or more).
 */
struct probe	*probe_new(struct event_base *, const struct tb_addr *dst,
		    const struct tb_addr *src, const char *ifname,
		    const struct probe_opts *, probe_cb, void *arg);
void		 probe_free(struct probe *);	/* NULL is fine */
enum probe_state probe_state(const struct probe *);
const char	*probe_state_name(enum probe_state);	/* "init", "up", ... */
const char	*probe_why(const struct probe *);	/* last transition, or "" */
/* "icmp" (unprivileged ping socket), "raw" or "none" (engine only, or
 * between a deleted interface and its reopening). */
const char	*probe_socket_kind(const struct probe *);

struct probe_stats {
	uint64_t	 sent;		/* echo requests handed to the kernel */
	uint64_t	 send_errors;	/* sendto failed (counts as a miss) */
	uint64_t	 received;	/* our replies, timely or late */
	uint64_t	 late;		/* ours, after the next request left */
	uint64_t	 duplicate;	/* ours, a second time */
	uint64_t	 stale;		/* our identifier, unknown sequence */
	uint64_t	 unrelated;	/* not ours: other type, id, source */
	uint64_t	 malformed;	/* truncated, bad header or checksum */
	uint64_t	 missed;	/* requests judged unanswered */
	uint64_t	 transitions;
	uint32_t	 rtt_us_last, rtt_us_min, rtt_us_max;
};
const struct probe_stats *probe_stats(const struct probe *);

/* The engine ------------------------------------------------------------ */

/* What a reply must be to be ours. */
struct probe_expect {
	struct tb_addr	 peer;		/* its source */
	uint16_t	 ident;		/* echo identifier (the kernel's on a
					   ping socket) */
	uint32_t	 cookie;	/* first 4 octets of the echo data */
	int		 iphdr;		/* raw IPv4: the IP header comes first */
};

#define PROBE_DATALEN	8	/* echo data: cookie, "tbgp" */
#define PROBE_PKTLEN	(8 + PROBE_DATALEN)

/*
 * One received datagram: 0 and *seq set for an echo reply from the peer
 * with our identifier and cookie; 1 for a well-formed packet that is not
 * ours (another ICMP type or code, identifier, cookie or source); -1 for
 * a malformed one (truncated, a bad IPv4 header, a bad ICMP checksum).
 * from is the datagram's source; with iphdr the IP header's source is
 * what counts.
 */
int		 probe_parse_reply(const struct probe_expect *,
		    const struct tb_addr *from, const void *, size_t,
		    uint16_t *seq);
/* Appends an echo request (checksummed for IPv4; the kernel does ICMPv6).
 * 0, or -1 when the writer failed. */
int		 probe_build_request(struct buf *, int af,
		    const struct probe_expect *, uint16_t seq);

/* A probe without socket or timer; NULL with errno EINVAL for bad
 * options or dst. */
struct probe	*probe_engine_new(const struct tb_addr *dst,
		    const struct probe_opts *, probe_cb, void *arg);
const struct probe_expect *probe_expect(const struct probe *);
void		 probe_set_expect(struct probe *, uint16_t ident, int iphdr);
uint16_t	 probe_next_seq(const struct probe *);
/*
 * One interval has passed (times in microseconds, any monotonic origin):
 * the request outstanding since the last tick is judged, answered or
 * missed, and a request numbered probe_next_seq() is recorded as sent at
 * now (sent 0: the send failed, so the next tick will count a miss).  May
 * fire the callback, as its last act.
 */
void		 probe_tick(struct probe *, uint64_t now, int sent);

enum probe_rx {
	PROBE_RX_TIMELY,	/* answers the outstanding request */
	PROBE_RX_LATE,		/* answers an earlier one */
	PROBE_RX_DUPLICATE,
	PROBE_RX_STALE,		/* our identifier, no such request */
	PROBE_RX_UNRELATED,
	PROBE_RX_MALFORMED
};
/* A reply matched to this probe; only PROBE_RX_TIMELY can fire the
 * callback (as its last act). */
enum probe_rx	 probe_reply_seen(struct probe *, uint16_t seq, uint64_t now);
/* One datagram: parsed, counted, and handed to probe_reply_seen. */
enum probe_rx	 probe_input(struct probe *, const struct tb_addr *from,
		    const void *, size_t, uint64_t now);

#endif
