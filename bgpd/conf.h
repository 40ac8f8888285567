/*
 * conf: the configuration language (FRR / Cisco IOS dialect).
 * conf_parse() reads a file and everything it includes, reports every
 * error as "file:line:column: message" on errf (warnings as
 * "file:line:column: warning: message"), and returns the number of
 * errors; *out is set only when there were none.
 */
#ifndef TB_CONF_H
#define TB_CONF_H

#include <stdarg.h>
#include <stdio.h>

#include "bgpd.h"

struct bgpd_config	*conf_new(void);
void			 conf_free(struct bgpd_config *);
int			 conf_parse(const char *path, struct bgpd_config **out,
			    FILE *errf);
/* Canonical configuration; conf_parse() of it gives back the same config. */
void			 conf_print(FILE *, const struct bgpd_config *);
/* The same, with the neighbors for which down() says so shut down (the
 * running state: a shutdown from the shell). */
void			 conf_print_running(FILE *, const struct bgpd_config *,
			    int (*down)(const struct peer_config *));
/* conf_gr.c: the graceful restart lines of both, and whether a reload
 * changed any global one (taken for the next OPEN and restart). */
void			 conf_print_gr(FILE *, const struct bgpd_config *);
void			 conf_print_nb_gr(FILE *, const struct peer_config *,
			    const char *addr);
int			 conf_gr_differs(const struct bgpd_config *,
			    const struct bgpd_config *);
struct peer_config	*conf_find_peer(const struct bgpd_config *,
			    const struct tb_addr *);
/* Logging about a neighbor: "neighbor ADDR (descr): ...", the debug
 * lines of a category (debug bgp ...) "neighbor ADDR: ...". */
void			 conf_log_peer(const struct peer_config *, int level,
			    const char *, ...)
			    __attribute__((format(printf, 3, 4)));
void			 conf_vlog_peer(const struct peer_config *, int level,
			    const char *, va_list)
			    __attribute__((format(printf, 3, 0)));
void			 conf_log_peer_debug(const struct peer_config *,
			    unsigned int cat, const char *, ...)
			    __attribute__((format(printf, 3, 4)));
void			 conf_vlog_peer_debug(const struct peer_config *,
			    unsigned int cat, const char *, va_list)
			    __attribute__((format(printf, 3, 0)));

/* Static routes (conf_static.c): their canonical order, the route with
 * the same prefix, distance and next hop, "PREFIX NEXTHOP [IFNAME]
 * [DISTANCE] [OPTIONS]" as the configuration writes them, the lines. */
int			 conf_static_cmp(const struct static_config *,
			    const struct static_config *);
struct static_config	*conf_static_find(const struct bgpd_config *,
			    const struct static_config *);
void			 conf_static_words(const struct static_config *,
			    char *, size_t);
void			 conf_static_print(FILE *, const struct bgpd_config *);
void			 conf_static_free_all(struct bgpd_config *);
/* Effective timers of a neighbor (per-neighbor, else global, else default). */
void			 conf_peer_timers(const struct bgpd_config *,
			    const struct peer_config *, uint16_t *keepalive,
			    uint16_t *holdtime);

/*
 * Reload: what changed between the running configuration and a new one,
 * decided field by field and, for policy, by comparing the canonical
 * text of what a neighbor's filters use (its route-maps with the lists
 * they name, its prefix lists).  reload.c acts on the answer.
 */
#define CONF_CH_APPLY		0x001	/* taken as is (description...) */
#define CONF_CH_SOFT_IN		0x002	/* inbound policy: soft in */
#define CONF_CH_SOFT_OUT	0x004	/* outbound policy: soft out */
#define CONF_CH_RESET		0x008	/* the session must start again */
#define CONF_CH_SHUTDOWN	0x010	/* neighbor shutdown added */
#define CONF_CH_UNSHUT		0x020	/* neighbor shutdown removed */
#define CONF_CH_LIVENESS	0x040	/* ICMP probe or BFD settings */
#define CONF_CH_LIVE_TCP	0x080	/* liveness tcp settings */
#define CONF_CH_SOFT_CONF	0x100	/* soft-reconfiguration inbound */

#define CONF_G_IDENTITY		0x01	/* router bgp ASN or bgp router-id */
#define CONF_G_RIB		0x02	/* best path options, maximum-paths */
#define CONF_G_ORIGIN		0x04	/* network, redistribute, their maps */
#define CONF_G_KERNEL		0x08	/* fib scan-interval */
#define CONF_G_LOG		0x10	/* log level, log file */
#define CONF_G_OTHER		0x20	/* failback-delay, minimum-holdtime,
					 * timers bgp, ebgp-requires-policy */
#define CONF_G_STATIC		0x40	/* ip route, ipv6 route */
#define CONF_G_OBS		0x80	/* metrics listen, bmp, dump bgp */

/* What changed, as comma-separated setting names for the log. */
struct conf_diff {
	unsigned	 what;		/* CONF_CH_* or CONF_G_* bits */
	char		 reset[160];	/* needing a new session */
	char		 policy[160];	/* needing soft reconfiguration */
	char		 applied[160];	/* taken live */
	char		 refused[160];	/* needing a restart of tbgpd */
};

/* One neighbor present in both configurations. */
void			 conf_peer_diff(const struct bgpd_config *old,
			    const struct peer_config *op,
			    const struct bgpd_config *new,
			    const struct peer_config *np, struct conf_diff *);
/* Global settings.  -1 when new cannot replace old without a restart
 * (why says which setting and that a restart is needed). */
int			 conf_global_diff(const struct bgpd_config *old,
			    const struct bgpd_config *new, struct conf_diff *);

#endif
