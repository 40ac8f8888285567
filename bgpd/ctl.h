/*
 * ctl: the daemon side of the control socket.  Accepts tbgpsh clients,
 * reads framed requests (lib/ctlproto.h), runs the command and streams the
 * answer without ever blocking the event loop.
 */
#ifndef TB_CTL_H
#define TB_CTL_H

#include <event2/event.h>

struct bgpd_config;

/* Listen on path (unlinking a stale socket), mode 0660. 0 or -1. */
int	ctl_init(struct event_base *, const char *path);
/*
 * The read-only socket for monitoring users, mode 0666 (as OpenBGPD's
 * restricted socket): its clients run only the commands flagged CMD_F_RO
 * (the show commands; not show running-config, whose passwords stay
 * behind the 0660 socket) and are refused the others with "% Command not
 * allowed on the read-only socket".  Independent of ctl_init: either or
 * both may be open.  0 or -1.
 */
int	ctl_init_ro(struct event_base *, const char *path);
/* The running configuration, for the router's own identity in `show`
 * answers (router-id, AS) even with no neighbor: call once it is loaded
 * and again after a reload.  Kept, not copied. */
void	ctl_set_config(const struct bgpd_config *);
/* Shell clients connected now (both sockets). */
int	ctl_nclients(void);
/* Close every client and the listeners; unlink the sockets. */
void	ctl_shutdown(void);

#endif
