/*
 * reload: `reload` from the shell and SIGHUP.  The configuration files
 * are read again as at start; a configuration with errors, or one that
 * changes what only a restart can (fib table, metric, install, retain,
 * the listening port, the syslog facility), is refused whole and nothing
 * changes.  Otherwise every neighbor gets what its change needs: nothing,
 * soft reconfiguration (policy), a new session (Cease/6, RFC 4486),
 * an administrative shutdown or start, Cease/3 and removal, or a start;
 * global settings are applied, and the old configuration is freed.
 */
#ifndef TB_RELOAD_H
#define TB_RELOAD_H

#include <stdint.h>
#include <stdio.h>

#include "bgpd.h"

/* Where the configuration comes from and what runs; applied (may be
 * NULL) hears of every configuration that replaced the running one. */
void		 reload_init(const char *path, struct bgpd_config *,
		    uint32_t router_id,
		    void (*applied)(const struct bgpd_config *, uint32_t));
struct bgpd_config *reload_running(void);	/* tbgpd.c frees it at exit */
/* Read and apply.  The errors (refused) or what was done go to out too
 * (NULL: the log only).  0 applied, -1 refused: the running state is
 * what it was. */
int		 reload_run(FILE *out);

#endif
