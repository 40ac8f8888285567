/*
 * hook.c: the observers' list (see hook.h).  A fixed array: there are a
 * handful of observers, registered at start and on reload.
 */
#include "config.h"

#include <stddef.h>

#include "hook.h"
#include "log.h"

static struct hook_slot {
	const struct hook_ops	*ops;
	void			*arg;
} hooks[HOOK_MAX];
static int	nhooks;
static int	nroutes;	/* observers with route_in */

void
hook_register(const struct hook_ops *ops, void *arg)
{
	if (nhooks == HOOK_MAX)
		fatalx("hook_register: more than %d observers", HOOK_MAX);
	hooks[nhooks].ops = ops;
	hooks[nhooks].arg = arg;
	nhooks++;
	if (ops->route_in != NULL)
		nroutes++;
}

void
hook_unregister(const struct hook_ops *ops, void *arg)
{
	int	 i;

	for (i = 0; i < nhooks; i++)
		if (hooks[i].ops == ops && hooks[i].arg == arg)
			break;
	if (i == nhooks)
		return;
	if (ops->route_in != NULL)
		nroutes--;
	for (; i + 1 < nhooks; i++)
		hooks[i] = hooks[i + 1];
	nhooks--;
}

void
hook_peer_state(struct peer *p, const struct hook_peer_event *ev)
{
	int	 i;

	for (i = 0; i < nhooks; i++)
		if (hooks[i].ops->peer_state != NULL)
			hooks[i].ops->peer_state(hooks[i].arg, p, ev);
}

void
hook_msg_in(struct peer *p, uint8_t type, const uint8_t *body, size_t len)
{
	int	 i;

	for (i = 0; i < nhooks; i++)
		if (hooks[i].ops->msg_in != NULL)
			hooks[i].ops->msg_in(hooks[i].arg, p, type, body, len);
}

void
hook_route_in(struct peer *p, enum aid aid, const struct tb_prefix *pfx,
    struct attr *pre, struct attr *post)
{
	int	 i;

	if (nroutes == 0)
		return;
	for (i = 0; i < nhooks; i++)
		if (hooks[i].ops->route_in != NULL)
			hooks[i].ops->route_in(hooks[i].arg, p, aid, pfx, pre,
			    post);
}

void
hook_route_end(struct peer *p)
{
	int	 i;

	if (nroutes == 0)
		return;
	for (i = 0; i < nhooks; i++)
		if (hooks[i].ops->route_end != NULL)
			hooks[i].ops->route_end(hooks[i].arg, p);
}

int
hook_routes_wanted(void)
{
	return nroutes > 0;
}
