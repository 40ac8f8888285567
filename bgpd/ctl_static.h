/*
 * ctl_static: the static routes in the shell (ctl_static.c).
 */
#ifndef TB_CTL_STATIC_H
#define TB_CTL_STATIC_H

#include "cmd.h"

/* show ip|ipv6 route static [json]; cmd_entry arg: AF_INET or AF_INET6. */
int		 show_static_routes(const struct cmd_match *, void *req);
/* show ip|ipv6 static [json]: each next hop with its tracking. */
int		 show_static(const struct cmd_match *, void *req);

#endif
