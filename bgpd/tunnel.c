/*
 * tunnel: link and address events to sessions (see tunnel.h).
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "kif.h"
#include "log.h"
#include "peer.h"
#include "tunnel.h"

static const char *
tunnel_ifname(const struct kif *k, int ifindex)
{
	const struct kif_link	*l = kif_get(k, ifindex);

	return l != NULL ? l->name : "?";
}

/* Only sessions to a directly connected neighbor follow their link: a
 * multihop session may have another way. */
static int
tunnel_follows(const struct peer *p)
{
	return p->conf->multihop == 0;
}

static void
tunnel_link_down(const struct kif *k, int ifindex)
{
	const struct kif_link	*l = kif_get(k, ifindex);
	struct peer		*p;
	char			 why[128];

	snprintf(why, sizeof(why), "interface %s went down (%s)",
	    tunnel_ifname(k, ifindex), l != NULL ? kif_state_str(l) : "gone");
	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) && p->ifindex == ifindex)
			peer_link_down(p, why);
}

static void
tunnel_addr_gone(const struct kif *k, int ifindex, const struct tb_addr *a)
{
	struct peer	*p;
	char		 why[128];

	if (a == NULL || kif_has_addr(k, a))
		return;
	snprintf(why, sizeof(why), "local address %s removed from %s",
	    addr_str(a), tunnel_ifname(k, ifindex));
	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) && addr_cmp(&p->local_addr, a) == 0)
			peer_link_down(p, why);
}

/* A link or an address came (back): every session whose neighbor is now
 * reachable over it is started at once. */
static void
tunnel_usable(const struct kif *k, int ifindex)
{
	struct peer	*p;
	int		 via;

	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) &&
		    kif_connected(k, &p->conf->remote, &via) &&
		    via == ifindex)
			peer_link_up(p, tunnel_ifname(k, ifindex));
}

static void
tunnel_event(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	switch (ch) {
	case KIF_LINK_DOWN:
		tunnel_link_down(k, ifindex);
		break;
	case KIF_ADDR_GONE:
		tunnel_addr_gone(k, ifindex, a);
		break;
	case KIF_LINK_UP:
	case KIF_ADDR_NEW:
		tunnel_usable(k, ifindex);
		break;
	}
}

void
tunnel_init(struct kif *k)
{
	if (k != NULL)
		kif_add_handler(k, tunnel_event, NULL);
}
