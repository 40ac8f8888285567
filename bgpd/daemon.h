/*
 * daemon: what makes tbgpd a well-behaved system daemon and no part of
 * BGP: detaching with a meaningful exit status, the pidfile, systemd's
 * readiness protocol, and the drop of privileges once the sockets that
 * need them are open.
 */
#ifndef TB_DAEMON_H
#define TB_DAEMON_H

#include <sys/types.h>

#define DEFAULT_PIDFILE		"/run/tbgpd/tbgpd.pid"
#define DEFAULT_USER		"tbgpd"

/* Who tbgpd runs as after the drop. */
struct daemon_user {
	int	 found;		/* 0: no such user, stay uid 0 */
	uid_t	 uid;
	gid_t	 gid;
	char	 name[64];
};

/* Look name up; a missing user is fatal only when required (-u). */
void	daemon_user_lookup(const char *name, int required,
	    struct daemon_user *);

/* Fork; the parent exits 0 when the child calls daemon_ready(), else
 * with the child's status.  The child keeps stderr until then. */
void	daemon_detach(void);
/* Readiness: systemd is told, the waiting parent released, stdio closed
 * (when detached).  status is a short human-readable line. */
void	daemon_ready(const char *status);

/* Lock and write the pidfile; -1 (logged) if a live tbgpd holds it. */
int	daemon_pidfile(const char *path);
void	daemon_pidfile_remove(void);

/* Create the directory of path, owned by the user tbgpd will become, if
 * it does not exist yet; an existing one is left as it is. */
int	daemon_rundir(const char *path, const struct daemon_user *);
/* Give the control socket to the run user and its group (mode stays). */
void	daemon_chown_socket(const char *path, const struct daemon_user *);

/* Become the run user, keeping only CAP_NET_ADMIN, CAP_NET_BIND_SERVICE
 * and CAP_NET_RAW.  Fatal if it cannot be done. */
void	daemon_drop(const struct daemon_user *);

/* systemd's notify protocol (sd_notify(3) without libsystemd). */
int	daemon_notify_init(void);	/* reads NOTIFY_SOCKET */
void	daemon_notify(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
void	daemon_notify_reloading(void);	/* RELOADING=1, MONOTONIC_USEC */
/* Whether stderr is systemd's journal stream (JOURNAL_STREAM). */
int	daemon_stderr_is_journal(void);

#endif
