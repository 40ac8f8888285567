/*
 * rde_gr: stale paths and our restart's deferral (see rde_gr.h).
 */
#include "config.h"

#include <event2/event.h>
#include <stdlib.h>
#include <time.h>

#include "conf.h"
#include "log.h"
#include "rde_gr.h"

struct gr_stale {
	struct rib	*rib;
	struct rib_src	*src;
	const struct peer_config *const *conf;	/* the neighbor's, as now */
	void		(*changed)(void);
	int		 low;		/* the stale paths rank low */
	struct event	*t_restart;	/* the neighbor's Restart Time */
	struct event	*t_stale;	/* our stalepath-time */
	time_t		 restart_end, stale_end;	/* monotonic */
};

static time_t
gr_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
gr_timer(struct event *ev, uint32_t secs, time_t *end)
{
	struct timeval	 tv = { (time_t)secs, 0 };

	*end = gr_now() + (time_t)secs;
	evtimer_add(ev, &tv);
}

/* --- walks --- */

struct gr_walk {
	struct gr_stale	*gs;
	int		 mark;		/* 1: mark stale, 0: drop stale */
	uint32_t	 n;
};

static void
gr_walk_entry(struct rib_entry *e, void *arg)
{
	struct gr_walk	*w = arg;
	struct rib_path	*p;

	if ((p = rib_entry_path(e, w->gs->src)) == NULL)
		return;
	if (w->mark) {
		rib_path_set_stale(w->gs->rib, e, p, 1, w->gs->low);
		w->n++;
	} else if (p->flags & PATH_STALE) {
		(void)rib_path_drop(w->gs->rib, e, p);
		w->n++;
	}
}

static uint32_t
gr_walk(struct gr_stale *gs, int aid, int mark)
{
	struct gr_walk	 w = { gs, mark, 0 };

	if (!mark && gs->src->nstale[aid] == 0)
		return 0;
	rib_walk(gs->rib, aid, gr_walk_entry, &w);
	return w.n;
}

static int
gr_has_stale(const struct gr_stale *gs)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (gs->src->nstale[aid] > 0)
			return 1;
	return 0;
}

/* Drop the stale paths of aid (AID_MAX: all), say why, export. */
static void
gr_sweep(struct gr_stale *gs, int aid, const char *why)
{
	uint32_t	 n = 0;
	int		 a;

	for (a = 0; a < AID_MAX; a++)
		if (aid == AID_MAX || aid == a)
			n += gr_walk(gs, a, 0);
	if (!gr_has_stale(gs)) {
		evtimer_del(gs->t_restart);
		evtimer_del(gs->t_stale);
		gs->low = 0;
	}
	if (n > 0)
		conf_log_peer(*gs->conf, TB_LOG_INFO, "graceful restart: %u stale "
		    "path%s removed (%s)", n, n == 1 ? "" : "s", why);
	gs->changed();
}

static void
gr_restart_cb(evutil_socket_t fd, short ev, void *arg)
{
	gr_sweep(arg, AID_MAX, "not back within its restart time");
}

static void
gr_stale_cb(evutil_socket_t fd, short ev, void *arg)
{
	gr_sweep(arg, AID_MAX, "stalepath-time ran out");
}

struct gr_stale *
gr_stale_new(struct event_base *base, struct rib *rib, struct rib_src *src,
    const struct peer_config *const *conf, void (*changed)(void))
{
	struct gr_stale	*gs;

	if ((gs = calloc(1, sizeof(*gs))) == NULL)
		fatal("graceful restart");
	gs->rib = rib;
	gs->src = src;
	gs->conf = conf;
	gs->changed = changed;
	if ((gs->t_restart = evtimer_new(base, gr_restart_cb, gs)) == NULL ||
	    (gs->t_stale = evtimer_new(base, gr_stale_cb, gs)) == NULL)
		fatalx("evtimer_new");
	return gs;
}

void
gr_stale_free(struct gr_stale *gs)
{
	if (gs == NULL)
		return;
	event_free(gs->t_restart);
	event_free(gs->t_stale);
	free(gs);
}

void
gr_stale_down(struct gr_stale *gs, unsigned keep, int low,
    uint16_t restart_time, uint16_t stalepath)
{
	int	 aid;

	gs->low = low;
	for (aid = 0; aid < AID_MAX; aid++) {
		if (keep & AID_BIT(aid))
			(void)gr_walk(gs, aid, 1);
		else
			rib_src_flush(gs->rib, gs->src, aid);
	}
	if (!gr_has_stale(gs)) {
		evtimer_del(gs->t_restart);
		evtimer_del(gs->t_stale);
		return;
	}
	/* A restart time of 0 asks for no wait at all; the stalepath
	 * timer keeps running through consecutive restarts. */
	gr_timer(gs->t_restart, restart_time, &gs->restart_end);
	if (!evtimer_pending(gs->t_stale, NULL))
		gr_timer(gs->t_stale, stalepath, &gs->stale_end);
}

void
gr_stale_up(struct gr_stale *gs, unsigned keep)
{
	int	 aid;

	evtimer_del(gs->t_restart);
	for (aid = 0; aid < AID_MAX; aid++)
		if (!(keep & AID_BIT(aid)) && gs->src->nstale[aid] > 0)
			gr_sweep(gs, aid, "restarted without keeping "
			    "forwarding state for the family");
}

void
gr_stale_eor(struct gr_stale *gs, int aid)
{
	if (aid < AID_MAX && gs->src->nstale[aid] > 0)
		gr_sweep(gs, aid, "End-of-RIB");
}

void
gr_stale_info(const struct gr_stale *gs, struct gr_stale_info *i)
{
	time_t	 now = gr_now();
	int	 aid;

	i->families = 0;
	for (aid = 0; aid < AID_MAX; aid++)
		if (gs != NULL && gs->src->nstale[aid] > 0)
			i->families |= AID_BIT(aid);
	i->restart_left = gs != NULL && evtimer_pending(gs->t_restart, NULL) ?
	    (long)(gs->restart_end - now) : -1;
	i->stale_left = gs != NULL && evtimer_pending(gs->t_stale, NULL) ?
	    (long)(gs->stale_end - now) : -1;
}

/* --- our restart --- */

static struct {
	int		 running;
	int		 defer;
	int		 selected;	/* phase 1 done: changes flow */
	time_t		 start;
	uint32_t	 max;
	struct event	*t_tick;
	int		(*progress)(uint32_t);
	void		(*select)(const char *);
	void		(*sweep)(const char *);
} gd;

uint32_t
gr_defer_elapsed(void)
{
	return (uint32_t)(gr_now() - gd.start);
}

static void
gr_defer_stop(void)
{
	gd.running = 0;
	gd.defer = 0;
	if (gd.t_tick != NULL)
		event_free(gd.t_tick);
	gd.t_tick = NULL;
}

void
gr_defer_check(void)
{
	uint32_t	 e;
	int		 p, late;

	if (!gd.running)
		return;
	e = gr_defer_elapsed();
	p = gd.progress(e);
	late = e >= gd.max;
	if (!gd.selected && (p >= GR_TABLES_SELECT || late)) {
		gd.selected = 1;
		gd.select(p >= GR_TABLES_SELECT ? "every graceful restart "
		    "neighbor's table is in" : "select-defer-time ran out");
	}
	if (gd.running && (p >= GR_TABLES_ALL || late)) {
		gr_defer_stop();
		gd.sweep(p >= GR_TABLES_ALL ? "every neighbor's table is in" :
		    "select-defer-time ran out");
	}
}

static void
gr_tick(evutil_socket_t fd, short ev, void *arg)
{
	gr_defer_check();
}

void
gr_defer_begin(struct event_base *base, uint32_t max, int defer,
    int (*progress)(uint32_t), void (*select)(const char *),
    void (*sweep)(const char *))
{
	struct timeval	 tv = { 1, 0 };

	gd.running = 1;
	gd.defer = defer;
	gd.selected = 0;
	gd.start = gr_now();
	gd.max = max;
	gd.progress = progress;
	gd.select = select;
	gd.sweep = sweep;
	if ((gd.t_tick = event_new(base, -1, EV_PERSIST, gr_tick, NULL)) ==
	    NULL || event_add(gd.t_tick, &tv) == -1)
		fatalx("graceful restart timer");
}

int
gr_deferring(void)
{
	return gd.running && gd.defer && !gd.selected;
}

int
gr_defer_running(void)
{
	return gd.running;
}

void
gr_defer_end(void)
{
	gr_defer_stop();
}
