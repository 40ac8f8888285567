/*
 * ctl: the daemon side of the control socket.  Accepts tbgpsh clients,
 * reads framed requests (lib/ctlproto.h), runs the command and streams the
 * answer without ever blocking the event loop.
 */
#ifndef TB_CTL_H
#define TB_CTL_H

#include <sys/types.h>

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
/* The users never limited per user (their connections count only
 * against the socket's limit, and the read-write socket keeps room for
 * them): by default root and the user tbgpd runs as when the first
 * socket opens; tbgpd sets them again after dropping privileges. */
void	ctl_set_trusted(uid_t, uid_t);
/* Seconds a client may stay without a request (default 600 on the
 * read-write socket, 60 on the read-only one). */
void	ctl_set_idle(int rw, int ro);
/* One socket's clients as they are now. */
struct ctl_counts {
	int	 clients;
	int	 streams;	/* streaming answers under way */
	int	 waiting;	/* requests waiting for a stream place */
	size_t	 queued;	/* answer bytes not yet written */
	size_t	 held;		/* buffer memory of its clients */
};
void	ctl_counts(int ro, struct ctl_counts *);
/* Close every client and the listeners; unlink the sockets. */
void	ctl_shutdown(void);

#endif
