/*
 * ctl_table: the daemon's one command table (ctl_table.c), for ctl.c to
 * run and for tbgpsh to complete and explain from.
 */
#ifndef TB_CTL_TABLE_H
#define TB_CTL_TABLE_H

#include "cmd.h"

extern const struct cmd_table	 ctl_commands;

#endif
