/*
 * metrics: the Prometheus endpoint (metrics listen ADDRESS port PORT).
 *
 * An observer at the top: it reads the daemon's counters and states when
 * a scrape asks (the sessions, the RDE, the FIB, liveness, the control
 * socket, BMP) and changes nothing.  metrics.c serves GET /metrics (and
 * HEAD) over libevent's evhttp with bounded requests and clients;
 * metrics_fam.c writes the families.
 */
#ifndef TB_METRICS_H
#define TB_METRICS_H

#include <time.h>

#include "bgpd.h"
#include "buf.h"

struct event_base;

/* Open the configured listeners (0, or -1 after logging why one could
 * not be opened; the others stay open). */
int	metrics_init(struct event_base *, const struct bgpd_config *);
/* Reload: listeners added or removed as the new configuration says. */
void	metrics_reconfigure(const struct bgpd_config *);
void	metrics_shutdown(void);

/* How many scrape clients are connected, and how many scrapes were
 * served (for the families themselves). */
struct metrics_stats {
	time_t		 started;	/* tbgpd's start, epoch seconds */
	unsigned	 clients;
	uint64_t	 scrapes;
	uint64_t	 refused;	/* requests answered 404/405 */
	uint64_t	 unserved;	/* clients gone without a request
					 * answered (refused by evhttp) */
	uint64_t	 waits;		/* times the client limit held
					 * connections back */
};
const struct metrics_stats *metrics_stats(void);

/* The exposition, as a scrape gets it (metrics_fam.c), with the
 * endpoint's own counters st (metrics.c hands them in: the families know
 * no server), and what it remembers between scrapes freed. */
void	metrics_collect(struct buf *, const struct metrics_stats *st);
void	metrics_collect_free(void);

#endif
