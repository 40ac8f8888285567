/*
 * conf_gr: the graceful restart statements (RFC 4724, RFC 8538) in
 * FRR's words, their handlers in conf_stmts[] (conf_stmt.c):
 *
 *   bgp graceful-restart                       restart mode (both roles)
 *   bgp graceful-restart-disable               no capability at all
 *   bgp graceful-restart restart-time 1-4095   advertised Restart Time
 *   bgp graceful-restart stalepath-time 1-4095 stale paths kept at most
 *   bgp graceful-restart select-defer-time 0-3600
 *   bgp graceful-restart preserve-fw-state     the F bit always
 *   bgp graceful-restart notification          the N bit (default on)
 *   bgp graceful-restart liveness failover|withdraw|restart   (tbgpd's)
 *   bgp hard-administrative-reset              (default on)
 *   neighbor X graceful-restart|graceful-restart-helper|
 *     graceful-restart-disable
 *
 * Every one has a "no" form that restores FRR's default.  The
 * neighbor's own mode is stmt_nb_gr() in conf_nbr.c.
 */
#include "config.h"

#include <string.h>

#include "conf_int.h"

static const struct conf_value gr_live_values[] = {
	{ "failover", GR_LIVE_FAILOVER }, { "withdraw", GR_LIVE_WITHDRAW },
	{ "restart", GR_LIVE_RESTART }, { NULL, 0 }
};

/* "restart-time N" and the like: the default with "no" and no number. */
static int
conf_gr_time(struct conf_parser *p, const char *what, uint32_t min,
    uint32_t max, uint16_t def, uint16_t *out)
{
	uint32_t	 v = def;

	if ((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_num(p, what, min, max, &v) == -1)
		return -1;
	if (conf_get_eol(p) == -1)
		return -1;
	*out = p->negate ? def : (uint16_t)v;
	return 0;
}

static int
conf_gr_liveness(struct conf_parser *p)
{
	int	 v = GR_LIVE_FAILOVER;

	if ((!p->negate || conf_peek(p) != NULL) &&
	    conf_get_value(p, gr_live_values, "'failover', 'withdraw' or "
	    "'restart'", &v) == -1)
		return -1;
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->gr_liveness = p->negate ? GR_LIVE_FAILOVER : v;
	return 0;
}

static int
conf_gr_flag(struct conf_parser *p, int *flag, int def)
{
	if (conf_get_eol(p) == -1)
		return -1;
	*flag = p->negate ? def : 1;
	return 0;
}

/* bgp graceful-restart [WHAT ...] */
int
stmt_bgp_gr(struct conf_parser *p)
{
	struct bgpd_config	*c = p->conf;
	const struct conf_tok	*t = conf_next(p);

	if (t == NULL) {
		c->gr_mode = p->negate ? GR_HELPER : GR_RESTART;
		return 0;
	}
	if (strcmp(t->s, "restart-time") == 0)
		return conf_gr_time(p, "a restart time in seconds", 1,
		    GR_TIME_MAX, GR_RESTART_TIME_DEF, &c->gr_restart_time);
	if (strcmp(t->s, "stalepath-time") == 0)
		return conf_gr_time(p, "a stale path time in seconds", 1,
		    GR_TIME_MAX, GR_STALEPATH_TIME_DEF, &c->gr_stalepath_time);
	if (strcmp(t->s, "select-defer-time") == 0)
		return conf_gr_time(p, "a deferral time in seconds", 0, 3600,
		    GR_SELECT_DEFER_DEF, &c->gr_select_defer);
	if (strcmp(t->s, "preserve-fw-state") == 0)
		return conf_gr_flag(p, &c->gr_preserve_fw, 0);
	if (strcmp(t->s, "notification") == 0) {
		if (conf_get_eol(p) == -1)
			return -1;
		c->gr_notification = !p->negate;
		return 0;
	}
	if (strcmp(t->s, "liveness") == 0)
		return conf_gr_liveness(p);
	conf_expected(p, t, "'restart-time', 'stalepath-time', "
	    "'select-defer-time', 'preserve-fw-state', 'notification' or "
	    "'liveness'");
	return -1;
}

/* bgp graceful-restart-disable */
int
stmt_bgp_gr_disable(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->gr_mode = p->negate ? GR_HELPER : GR_DISABLE;
	return 0;
}

/* bgp hard-administrative-reset (RFC 8538 5.1, FRR's default on) */
int
stmt_bgp_hard_reset(struct conf_parser *p)
{
	if (conf_get_eol(p) == -1)
		return -1;
	p->conf->hard_admin_reset = !p->negate;
	return 0;
}

static const char *
conf_gr_mode_word(int mode)
{
	return mode == GR_RESTART ? "graceful-restart" : mode == GR_HELPER ?
	    "graceful-restart-helper" : "graceful-restart-disable";
}

void
conf_print_gr(FILE *f, const struct bgpd_config *c)
{
	if (c->gr_mode == GR_RESTART)
		fprintf(f, " bgp graceful-restart\n");
	else if (c->gr_mode == GR_DISABLE)
		fprintf(f, " bgp graceful-restart-disable\n");
	if (c->gr_restart_time != GR_RESTART_TIME_DEF)
		fprintf(f, " bgp graceful-restart restart-time %u\n",
		    c->gr_restart_time);
	if (c->gr_stalepath_time != GR_STALEPATH_TIME_DEF)
		fprintf(f, " bgp graceful-restart stalepath-time %u\n",
		    c->gr_stalepath_time);
	if (c->gr_select_defer != GR_SELECT_DEFER_DEF)
		fprintf(f, " bgp graceful-restart select-defer-time %u\n",
		    c->gr_select_defer);
	if (c->gr_preserve_fw)
		fprintf(f, " bgp graceful-restart preserve-fw-state\n");
	if (!c->gr_notification)
		fprintf(f, " no bgp graceful-restart notification\n");
	if (c->gr_liveness != GR_LIVE_FAILOVER)
		fprintf(f, " bgp graceful-restart liveness %s\n",
		    gr_live_values[c->gr_liveness].name);
	if (!c->hard_admin_reset)
		fprintf(f, " no bgp hard-administrative-reset\n");
}

void
conf_print_nb_gr(FILE *f, const struct peer_config *pc, const char *a)
{
	if (pc->gr_mode != GR_INHERIT)
		fprintf(f, " neighbor %s %s\n", a,
		    conf_gr_mode_word(pc->gr_mode));
}

/* Graceful restart settings go into the next OPEN or the next restart:
 * nothing to redo now (clear bgp applies them to a session at once). */
int
conf_gr_differs(const struct bgpd_config *o, const struct bgpd_config *n)
{
	return o->gr_mode != n->gr_mode ||
	    o->gr_restart_time != n->gr_restart_time ||
	    o->gr_stalepath_time != n->gr_stalepath_time ||
	    o->gr_select_defer != n->gr_select_defer ||
	    o->gr_preserve_fw != n->gr_preserve_fw ||
	    o->gr_notification != n->gr_notification ||
	    o->gr_liveness != n->gr_liveness ||
	    o->hard_admin_reset != n->hard_admin_reset;
}
