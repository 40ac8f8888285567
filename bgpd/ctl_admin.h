/*
 * ctl_admin: the operator's commands on the daemon itself (ctl_admin.c).
 */
#ifndef TB_CTL_ADMIN_H
#define TB_CTL_ADMIN_H

#include "cmd.h"

/* clear bgp ADDR|* soft [in|out]: cmd_entry arg */
#define CLEAR_IN	0x01
#define CLEAR_OUT	0x02
/* debug bgp CATEGORY: cmd_entry arg is the LOG_DEBUG_* category, with
 * DEBUG_OFF for the no form. */
#define DEBUG_OFF	0x100

int		 clear_soft(const struct cmd_match *, void *req);
int		 clear_hard(const struct cmd_match *, void *req);
/* cmd_entry arg 0: neighbor X shutdown, 1: no neighbor X shutdown */
int		 nbr_shutdown(const struct cmd_match *, void *req);
int		 debug_set(const struct cmd_match *, void *req);
int		 show_debugging(const struct cmd_match *, void *req);
int		 show_logging(const struct cmd_match *, void *req);
int		 show_memory(const struct cmd_match *, void *req);
int		 show_version(const struct cmd_match *, void *req);
int		 ctl_reload(const struct cmd_match *, void *req);
int		 show_running_config(const struct cmd_match *, void *req);

#endif
