/*
 * kroute: what the kernel's routing table holds, read over rtnetlink.
 * For now only a dump of one family's main table, which the network
 * import check (FRR's "bgp network import-check") needs; programming
 * routes is the FIB issue's work and will grow here.
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

/* Calls fn for every unicast or blackhole route of af (AF_INET, AF_INET6) in the main
 * table.  Returns 0, or -1 with errno set (logged by the caller). */
int	 kroute_dump(int af, void (*fn)(const struct kroute *, void *),
	    void *arg);
/* Parse one RTM_NEWROUTE message (exposed for unit tests and fuzzing):
 * 0 and *kr filled, or -1 for a message that is truncated or malformed. */
int	 kroute_parse(const void *msg, size_t len, struct kroute *kr);

#endif
