/*
 * ctl_show: what the commands of the control socket share (ctl_show.c).
 * Each command fills a plain result and renders it as text (as FRR's
 * vtysh lays it out) or as JSON (with FRR's keys).  ctl.c matches a
 * request against the command table (ctl_table.h) and runs the entry
 * with a struct show_req.  The route commands reach the RIB only through
 * struct show_rde.
 */
#ifndef TB_CTL_SHOW_H
#define TB_CTL_SHOW_H

#include <stdint.h>
#include <time.h>

#include "bgpd.h"
#include "buf.h"
#include "cmd.h"

struct adjout;
struct fib;
struct peer;
struct rib;
struct rib_src;

/*
 * An answer too long to render at once (a full table) is rendered a
 * chunk at a time, as fast as the client reads it (ctl.c).  A handler
 * given req->stream may fill it in instead of finishing: more() then
 * renders the next chunk into out and returns 1 while more is to come,
 * 0 with *status at the end.  free() is called once, after the last
 * chunk or when the client goes away first.
 */
struct show_stream {
	int	(*more)(void *arg, struct buf *out, int *status);
	void	(*free)(void *arg);
	void	*arg;
};

struct show_req;

/*
 * A handler's long answer from here on: handed to the client's stream
 * when the request has one, else rendered whole now.  freefn(arg) is
 * called when it is done either way; returns the handler's status.
 */
int		 show_stream_run(const struct show_req *,
		    int (*more)(void *, struct buf *, int *),
		    void (*freefn)(void *), void *arg);

/* What a handler is given as its context. */
struct show_req {
	struct buf			*out;		/* the answer */
	const struct bgpd_config	*conf;		/* NULL: not known */
	time_t				 started;	/* monotonic */
	struct show_stream		*stream;	/* NULL: answer whole */
};

void		 show_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* str for a terminal: control bytes and stray bytes escaped as \xNN. */
const char	*show_safe(const char *str, char *out, size_t outlen);
time_t		 show_now(void);		/* monotonic seconds */
/* Seconds as FRR's peer_uptime() lays them out ("never" if negative). */
const char	*show_fmt_time(long long secs, char *out, size_t len);
/* The daemon's interface table (NULL: not followed), set once by
 * tbgpd.c; an interface's name by index, "" if unknown. */
struct kif;
void		 show_set_kif(const struct kif *);
const struct kif *show_kif(void);
const char	*show_ifname(uint32_t ifindex);
/* The router-id: configured, else the one our OPENs carried. */
uint32_t	 show_router_id(const struct bgpd_config *);

/*
 * The RDE as the show commands see it: by default the daemon's (rde.h);
 * unit tests put in their own RIB and sources, as the RIB does not need
 * sessions.  NULL restores the daemon's.
 */
struct show_rde {
	struct rib	*(*rib)(void);
	struct rib_src	*(*peer_src)(const struct peer *);
	struct adjout	*(*peer_adjout)(const struct peer *, enum aid);
	struct rib_src	*(*local_src)(void);
	const char	*(*policy_missing)(const struct peer *, int out);
	struct fib	*(*fib)(void);		/* NULL: no fib install */
};
void		 show_set_rde_for_tests(const struct show_rde *);
const struct show_rde *show_rde(void);

#endif
