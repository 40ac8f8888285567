/*
 * ctl_show: the daemon's command table and its `show` commands.  Each
 * command fills a plain result from the peers and renders it as text (as
 * FRR's vtysh lays it out) or as JSON (with FRR's keys).  ctl.c matches a
 * request against show_cmds and runs the entry with a struct show_req.
 */
#ifndef TB_CTL_SHOW_H
#define TB_CTL_SHOW_H

#include <time.h>

#include "bgpd.h"
#include "buf.h"
#include "cmd.h"

/* What a handler is given as its context. */
struct show_req {
	struct buf			*out;		/* the answer */
	const struct bgpd_config	*conf;		/* NULL: not known */
	time_t				 started;	/* monotonic */
};

extern const struct cmd_table	 show_cmds;

void		 show_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* str for a terminal: control bytes and stray bytes escaped as \xNN. */
const char	*show_safe(const char *str, char *out, size_t outlen);
time_t		 show_now(void);		/* monotonic seconds */

#endif
