/*
 * ctl_kernel: the kernel's side of the routes (ctl_kernel.c).
 */
#ifndef TB_CTL_KERNEL_H
#define TB_CTL_KERNEL_H

#include "cmd.h"

/* show ip|ipv6 route bgp [json]; cmd_entry arg: AF_INET or AF_INET6. */
int		 show_kroutes(const struct cmd_match *, void *req);
/* show [ip] bgp nexthop [json] */
int		 show_nexthops(const struct cmd_match *, void *req);

#endif
