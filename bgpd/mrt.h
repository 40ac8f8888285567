/*
 * mrt: MRT dumps (RFC 6396) in FRR's terms: `dump bgp all|all-et`
 * (every message received and every state change, BGP4MP or BGP4MP_ET),
 * `dump bgp updates|updates-et` (the UPDATEs received) and `dump bgp
 * routes-mrt` (the RIB, TABLE_DUMP_V2), each to a file whose name may
 * hold strftime(3) escapes, started anew at every interval.
 *
 * An observer at the top: messages and state changes come through the
 * hooks it registers (hook.h); the table is read from the RIB a slice
 * per event-loop turn, so a million routes never hold the loop up.
 * mrt_enc.c writes the records.
 */
#ifndef TB_MRT_H
#define TB_MRT_H

#include <stdint.h>

#include "bgpd.h"

struct event_base;

void	mrt_init(struct event_base *, const struct bgpd_config *);
/* Reload: dumps added, removed or changed as the configuration says
 * (one left as it was goes on in the same file). */
void	mrt_reconfigure(const struct bgpd_config *);
/* Flush and close; a table dump under way is abandoned (its partial
 * file removed).  Before the RIB goes. */
void	mrt_shutdown(void);

struct mrt_stats {
	uint64_t	 records[MRT_DUMP_KINDS];
	uint64_t	 bytes[MRT_DUMP_KINDS];
	uint64_t	 write_errors;
	uint64_t	 tables;	/* table dumps completed */
	uint32_t	 last_table_ms;	/* how long the last one took */
	uint32_t	 last_table_prefixes;
	int		 active[MRT_DUMP_KINDS];
};
const struct mrt_stats *mrt_stats(void);

#endif
