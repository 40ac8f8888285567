/*
 * kroute: what the kernel's routing table holds, read over rtnetlink.
 * A dump of one family's main table, which origination (the network
 * import check, redistribute) reads; the codec is nl.c.
 */
#ifndef TB_KROUTE_H
#define TB_KROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* A kernel route as the dump reports it. */
struct kroute {
	struct tb_prefix prefix;
	int		 protocol;	/* RTPROT_* */
	int		 table;
	int		 type;		/* RTN_* */
	int		 scope;		/* RT_SCOPE_* */
	uint32_t	 metric;	/* RTA_PRIORITY, 0 if none */
};

/* Calls fn for every unicast or blackhole route of af (AF_INET,
 * AF_INET6) in the main table.  Returns 0, or -1 with errno set (logged
 * by the caller). */
int	 kroute_dump(int af, void (*fn)(const struct kroute *, void *),
	    void *arg);

/*
 * The kernel's own answer for dst (what `ip route get fibmatch` shows):
 * 1 and *out filled with the matching table entry, 0 when the kernel has
 * no route (ENETUNREACH, EHOSTUNREACH), -1 with errno on any other
 * failure.  One request on a short-lived socket; it does not block for
 * long, the kernel answers at once.
 */
int	 kroute_get(const struct tb_addr *dst, struct kroute *out);

#endif
