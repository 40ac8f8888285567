/*
 * conf: the configuration language (FRR / Cisco IOS dialect).
 * conf_parse() reads a file and everything it includes, reports every
 * error as "file:line:column: message" on errf (warnings as
 * "file:line:column: warning: message"), and returns the number of
 * errors; *out is set only when there were none.
 */
#ifndef TB_CONF_H
#define TB_CONF_H

#include <stdio.h>

#include "bgpd.h"

struct bgpd_config	*conf_new(void);
void			 conf_free(struct bgpd_config *);
int			 conf_parse(const char *path, struct bgpd_config **out,
			    FILE *errf);
/* Canonical configuration; conf_parse() of it gives back the same config. */
void			 conf_print(FILE *, const struct bgpd_config *);
struct peer_config	*conf_find_peer(const struct bgpd_config *,
			    const struct tb_addr *);
/* Effective timers of a neighbor (per-neighbor, else global, else default). */
void			 conf_peer_timers(const struct bgpd_config *,
			    const struct peer_config *, uint16_t *keepalive,
			    uint16_t *holdtime);

#endif
