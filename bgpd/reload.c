/*
 * reload: the running configuration and its replacement (see reload.h).
 *
 * conf.c decides what changed (conf_global_diff, conf_peer_diff); this
 * file acts on it in an order that never lets anything use a freed
 * configuration: removed neighbors go and sessions that need a reset are
 * stopped while the old configuration still stands; then every kept
 * neighbor, the RDE (options, identity, origination), the kernel, the
 * liveness probes and the control socket move to the new one; then
 * policy changes are applied by soft reconfiguration (RFC 2918 / 7313
 * ROUTE-REFRESH in, the Adj-RIB-Out re-evaluated out), the stopped
 * sessions start again and new neighbors start; last, the old
 * configuration is freed.  Each neighbor gets one log line saying what
 * happened to it, and the reload one summary line.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "kernel.h"
#include "liveness.h"
#include "log.h"
#include "msg.h"
#include "peer.h"
#include "rde.h"
#include "reload.h"
#include "session.h"
#include "sroute.h"

/* What happens to one running neighbor. */
struct reload_plan {
	struct peer		*p;	/* NULL once removed */
	struct peer_config	*op;	/* its settings before */
	struct peer_config	*np;	/* after; NULL: removed */
	struct conf_diff	 d;
	int			 up;	/* Established as the reload began */
};

struct reload_count {
	int	 kept, soft, reset, shut, started, added, removed;
};

static struct {
	char			 path[PATH_MAX];
	struct bgpd_config	*conf;
	uint32_t		 router_id;
	void			(*applied)(const struct bgpd_config *,
				    uint32_t);
} rl;

void
reload_init(const char *path, struct bgpd_config *conf, uint32_t router_id,
    void (*applied)(const struct bgpd_config *, uint32_t))
{
	strlcpy(rl.path, path, sizeof(rl.path));
	rl.conf = conf;
	rl.router_id = router_id;
	rl.applied = applied;
}

struct bgpd_config *
reload_running(void)
{
	return rl.conf;
}

/* A line for the log and for whoever asked. */
static void
reload_say(FILE *out, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
reload_say(FILE *out, int level, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	logit(level, "%s", msg);
	if (out != NULL)
		fprintf(out, "%s\n", msg);
}

/* "neighbor ADDR: reload: WHAT", once per neighbor. */
static void
reload_peer_say(FILE *out, const struct peer *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
reload_peer_say(FILE *out, const struct peer *p, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_peer(p, TB_LOG_INFO, "reload: %s", msg);
	if (out != NULL)
		fprintf(out, "neighbor %s: %s\n", addr_str(&p->conf->remote),
		    msg);
}

/* Every line of text (the parser's messages) to the log and to out. */
static void
reload_relay(FILE *out, const char *text)
{
	const char	*l, *nl;

	for (l = text; l != NULL && *l != '\0'; l = nl != NULL ? nl + 1 :
	    NULL) {
		nl = strchr(l, '\n');
		log_warnx("%.*s", (int)(nl != NULL ? nl - l : (long)strlen(l)),
		    l);
	}
	if (out != NULL && text != NULL)
		fputs(text, out);
}

/* conf_parse() as at start, its messages captured.  Returns the number
 * of errors (-1: could not even try). */
static int
reload_parse(struct bgpd_config **new, FILE *out)
{
	FILE	*f;
	char	*text = NULL;
	size_t	 len;
	int	 errors;

	*new = NULL;
	if ((f = open_memstream(&text, &len)) == NULL) {
		reload_say(out, TB_LOG_ERR, "reload: %s", strerror(errno));
		return -1;
	}
	errors = conf_parse(rl.path, new, f);
	fclose(f);
	reload_relay(out, text);
	free(text);
	return errors;
}

static int
reload_refuse(FILE *out, struct bgpd_config *new, const char *why)
{
	reload_say(out, TB_LOG_WARNING, "%% Configuration %s not loaded: %s; "
	    "the running configuration is unchanged", rl.path, why);
	conf_free(new);
	return -1;
}

/* The configured router-id, else the one chosen at start: an address
 * that came or went since must not restart every session. */
static uint32_t
reload_router_id(const struct bgpd_config *new)
{
	if (new->router_id == rl.conf->router_id)
		return rl.router_id;
	return peer_router_id(new);
}

/* --- the plan --- */

static void
reload_plan_reset(struct reload_plan *pl, const char *why)
{
	pl->d.what |= CONF_CH_RESET;
	if (pl->d.reset[0] != '\0')
		strlcat(pl->d.reset, ", ", sizeof(pl->d.reset));
	strlcat(pl->d.reset, why, sizeof(pl->d.reset));
}

static void
reload_plan_peer(struct reload_plan *pl, struct peer *p,
    struct bgpd_config *new, const struct conf_diff *g)
{
	pl->p = p;
	pl->op = p->conf;
	pl->up = p->state == ST_ESTABLISHED;
	if ((pl->np = conf_find_peer(new, &p->conf->remote)) == NULL)
		return;
	conf_peer_diff(rl.conf, pl->op, new, pl->np, &pl->d);
	if (g->what & CONF_G_IDENTITY)
		reload_plan_reset(pl, g->reset);
	/* Without the routes as received and without ROUTE-REFRESH, new
	 * inbound policy can only meet the routes in a new session. */
	if ((pl->d.what & CONF_CH_SOFT_IN) && pl->up &&
	    !rde_soft_in_possible(p->rde))
		reload_plan_reset(pl, "inbound policy (the neighbor cannot "
		    "refresh)");
}

static size_t
reload_plan(struct bgpd_config *new, const struct conf_diff *g,
    struct reload_plan **out)
{
	struct reload_plan	*plan;
	struct peer		*p;
	size_t			 n = 0;

	TAILQ_FOREACH(p, &peers, entry)
		n++;
	if ((plan = calloc(n + 1, sizeof(*plan))) == NULL)
		fatal("reload");
	n = 0;
	TAILQ_FOREACH(p, &peers, entry)
		reload_plan_peer(&plan[n++], p, new, g);
	*out = plan;
	return n;
}

/* --- acting on it --- */

/* Does the running session stop for a new one? */
static int
reload_resets(const struct reload_plan *pl)
{
	return (pl->d.what & CONF_CH_RESET) && !pl->op->shutdown &&
	    !pl->np->shutdown;
}

/* While the old configuration stands: removals, shutdowns, resets. */
static void
reload_stop(struct reload_plan *pl, struct reload_count *c, FILE *out)
{
	char	 why[256];

	if (pl->np == NULL) {
		reload_peer_say(out, pl->p, "removed (Cease/Peer "
		    "De-configured)");
		liveness_peer_remove(pl->p);
		peer_remove(pl->p);
		pl->p = NULL;
		c->removed++;
	} else if (pl->d.what & CONF_CH_SHUTDOWN) {
		reload_peer_say(out, pl->p, "shut down (neighbor shutdown)");
		peer_stop(pl->p, pl->np->shutdown_msg);
		c->shut++;
	} else if (reload_resets(pl) && !pl->p->shell_down) {
		snprintf(why, sizeof(why), "configuration changed: %s",
		    pl->d.reset);
		peer_cease(pl->p, ERR_CEASE_OTHER_CHANGE, why);
	}
}

static void
reload_soft(struct reload_plan *pl, struct reload_count *c, FILE *out)
{
	if (pl->d.what & CONF_CH_SOFT_CONF)
		rde_peer_reconf(pl->p->rde);
	if (pl->d.what & CONF_CH_LIVE_TCP)
		peer_live_tcp_update(pl->p);
	if (!(pl->d.what & (CONF_CH_SOFT_IN | CONF_CH_SOFT_OUT)) ||
	    !pl->up) {
		reload_peer_say(out, pl->p, "kept%s%s%s%s",
		    pl->d.applied[0] != '\0' ? " (applied: " : "",
		    pl->d.applied, pl->d.applied[0] != '\0' ? ")" : "",
		    (pl->d.what & (CONF_CH_SOFT_IN | CONF_CH_SOFT_OUT)) ?
		    " (policy changed: used when the session comes up)" : "");
		c->kept++;
		return;
	}
	if (pl->d.what & CONF_CH_SOFT_IN)
		rde_soft_in(pl->p->rde);
	if (pl->d.what & CONF_CH_SOFT_OUT)
		rde_soft_out(pl->p->rde);
	reload_peer_say(out, pl->p, "policy changed (%s): soft "
	    "reconfiguration", pl->d.policy);
	c->soft++;
}

/* Under the new configuration: soft reconfiguration, starts. */
static void
reload_start(struct reload_plan *pl, struct reload_count *c, FILE *out)
{
	if (pl->p == NULL)
		return;
	if (pl->p->shell_down && !(pl->d.what & CONF_CH_SHUTDOWN) &&
	    !pl->np->shutdown) {
		/* The new settings are used when the shell lets it
		 * start. */
		if (pl->d.what & CONF_CH_SOFT_CONF)
			rde_peer_reconf(pl->p->rde);
		reload_peer_say(out, pl->p, "kept (shut down from the "
		    "shell)");
		c->kept++;
	} else if (pl->d.what & CONF_CH_UNSHUT) {
		peer_restart(pl->p, 0);
		reload_peer_say(out, pl->p, "shutdown removed: starting");
		c->started++;
	} else if (pl->d.what & CONF_CH_SHUTDOWN)
		;	/* said as it stopped */
	else if (pl->np->shutdown) {
		reload_peer_say(out, pl->p, "kept (shut down)");
		c->kept++;
	} else if (reload_resets(pl)) {
		peer_restart(pl->p, 1);
		reload_peer_say(out, pl->p, "reset: %s changed", pl->d.reset);
		c->reset++;
	} else
		reload_soft(pl, c, out);
	liveness_reconfigure(pl->p, (pl->d.what & CONF_CH_LIVENESS) != 0);
}

static void
reload_new_peers(struct bgpd_config *new, struct reload_count *c, FILE *out)
{
	struct peer_config	*pc;
	struct peer		*p;

	TAILQ_FOREACH(pc, &new->peers, entry) {
		if (peer_find_addr(&pc->remote) != NULL)
			continue;
		p = peer_add(new, pc);
		liveness_reconfigure(p, 1);
		reload_peer_say(out, p, "new");
		c->added++;
	}
}

/* The log file was reopened as the reload began; a new name replaces
 * it (a failure is logged). */
static void
reload_logging(const struct bgpd_config *old, const struct bgpd_config *new)
{
	log_setlevel(new->log_level);
	if (strcmp(old->log_file, new->log_file) != 0)
		(void)log_setfile(new->log_file);
}

static void
reload_summary(FILE *out, const struct reload_count *c,
    const struct conf_diff *g)
{
	reload_say(out, TB_LOG_INFO, "reload: %s applied: %d neighbor%s kept, "
	    "%d soft reconfigured, %d reset, %d shut down, %d started, "
	    "%d new, %d removed%s%s%s", rl.path, c->kept, c->kept == 1 ? "" :
	    "s", c->soft, c->reset, c->shut, c->started, c->added, c->removed,
	    g->applied[0] != '\0' ? "; global: " : "", g->applied,
	    g->reset[0] != '\0' ? "; identity changed, every session reset" :
	    "");
}

static void
reload_apply(struct bgpd_config *new, uint32_t id, const struct conf_diff *g,
    FILE *out)
{
	struct bgpd_config	*old = rl.conf;
	struct reload_plan	*plan;
	struct reload_count	 c;
	size_t			 i, n;

	memset(&c, 0, sizeof(c));
	n = reload_plan(new, g, &plan);
	for (i = 0; i < n; i++)
		reload_stop(&plan[i], &c, out);
	for (i = 0; i < n; i++)
		if (plan[i].p != NULL)
			peer_set_config(plan[i].p, new, plan[i].np);
	if (g->what & CONF_G_IDENTITY)
		peer_set_local_id(id);
	rde_reconfigure(new, id);
	for (i = 0; i < n; i++)
		reload_start(&plan[i], &c, out);
	reload_new_peers(new, &c, out);
	kernel_reconfigure(new);
	sroute_reconfigure(new);
	reload_logging(old, new);
	rl.conf = new;
	rl.router_id = id;
	conf_free(old);
	free(plan);
	reload_summary(out, &c, g);
	if (rl.applied != NULL)
		rl.applied(new, id);
}

int
reload_run(FILE *out)
{
	struct bgpd_config	*new;
	struct conf_diff	 g;
	char			 why[256];
	uint32_t		 id;
	int			 errors;

	if (rl.conf == NULL)
		return -1;
	/* Whatever becomes of the reload, the log file is opened again
	 * under its name (logrotate may send SIGHUP, as to other daemons). */
	(void)log_reopen();
	if ((errors = reload_parse(&new, out)) != 0 || new == NULL) {
		snprintf(why, sizeof(why), "%d error%s", errors,
		    errors == 1 ? "" : "s");
		return reload_refuse(out, new, errors < 0 ? "cannot read it" :
		    why);
	}
	/* Starting or stopping BGP means the listening socket, opened
	 * before the privileges went. */
	if (new->as == 0 && rl.conf->as != 0)
		return reload_refuse(out, new, "no 'router bgp ASN' section "
		    "(removing BGP needs a restart of tbgpd)");
	if (new->as != 0 && rl.conf->as == 0)
		return reload_refuse(out, new, "'router bgp' added: starting "
		    "BGP needs a restart of tbgpd");
	if (conf_global_diff(rl.conf, new, &g) == -1) {
		snprintf(why, sizeof(why), "%s cannot change without a "
		    "restart of tbgpd", g.refused);
		return reload_refuse(out, new, why);
	}
	if ((id = reload_router_id(new)) == 0 && new->as != 0)
		return reload_refuse(out, new, "no BGP router-id (set 'bgp "
		    "router-id' or give the host a non-loopback IPv4 address)");
	if (id != rl.router_id && !(g.what & CONF_G_IDENTITY)) {
		g.what |= CONF_G_IDENTITY;
		strlcpy(g.reset, "router-id", sizeof(g.reset));
	}
	reload_apply(new, id, &g, out);
	return 0;
}
