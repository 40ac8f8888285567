/*
 * ctl_route: the route commands of the control socket (ctl_route.c):
 * a family's table, one prefix with every path (and its state in the
 * kernel), longer prefixes, and a neighbor's received, accepted or
 * advertised routes.  Their cmd_entry arg holds SHOW_RT_* bits.
 */
#ifndef TB_CTL_ROUTE_H
#define TB_CTL_ROUTE_H

#include "cmd.h"

#define SHOW_RT_AID(a)		((unsigned)(a) & 0x0f)	/* enum aid */
#define SHOW_RT_NBR_AF		0x10	/* the neighbor's address family */
#define SHOW_RT_LONGER		0x20	/* longer-prefixes */
#define SHOW_RT_RECEIVED	0x40	/* neighbor received-routes */
#define SHOW_RT_ADVERTISED	0x80	/* neighbor advertised-routes */
#define SHOW_RT_ACCEPTED	0x100	/* neighbor routes */

int		 rshow_table(const struct cmd_match *, void *req);
int		 rshow_prefix(const struct cmd_match *, void *req);
int		 rshow_neighbor(const struct cmd_match *, void *req);

#endif
