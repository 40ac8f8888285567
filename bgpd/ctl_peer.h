/*
 * ctl_peer: the neighbor views (ctl_peer.c).  cmd_entry arg of the
 * summary: the AID_BIT()s of the families shown.
 */
#ifndef TB_CTL_PEER_H
#define TB_CTL_PEER_H

#include "cmd.h"

/* show [ip] bgp [ipv4|ipv6 unicast] summary [json] */
int		 show_summary(const struct cmd_match *, void *req);
/* show [ip] bgp neighbors [A.B.C.D|X:X::X:X] [json] */
int		 show_neighbors(const struct cmd_match *, void *req);

#endif
