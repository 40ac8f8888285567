/*
 * tunnel: link and address events to sessions (see tunnel.h).
 */
#include "config.h"

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "kif.h"
#include "log.h"
#include "nexthop.h"
#include "peer.h"
#include "session.h"
#include "tunnel.h"

#define TUNNEL_SUBS	8

static struct kif	*tunnel;
static struct {
	kif_handler	 fn;
	void		*arg;
} tunnel_subs[TUNNEL_SUBS];
static size_t		 tunnel_nsubs;

void
tunnel_subscribe(kif_handler fn, void *arg)
{
	if (tunnel_nsubs == TUNNEL_SUBS)
		fatalx("tunnel: too many subscribers");
	tunnel_subs[tunnel_nsubs].fn = fn;
	tunnel_subs[tunnel_nsubs++].arg = arg;
}

void
tunnel_unsubscribe(kif_handler fn, void *arg)
{
	size_t	 i;

	for (i = 0; i < tunnel_nsubs; i++)
		if (tunnel_subs[i].fn == fn && tunnel_subs[i].arg == arg) {
			tunnel_subs[i] = tunnel_subs[--tunnel_nsubs];
			return;
		}
}

struct kif *
tunnel_kif(void)
{
	return tunnel;
}

int
tunnel_ifindex(const struct peer *p)
{
	if (tunnel == NULL || p->local_addr.af == 0)
		return 0;
	return kif_addr_ifindex(tunnel, &p->local_addr);
}

static const char *
tunnel_ifname(int ifindex)
{
	const struct kif_link	*l = tunnel ? kif_get(tunnel, ifindex) : NULL;

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
tunnel_link_down(int ifindex)
{
	const struct kif_link	*l = kif_get(tunnel, ifindex);
	struct peer		*p;
	char			 why[128];

	snprintf(why, sizeof(why), "interface %s went down (%s)",
	    tunnel_ifname(ifindex), l != NULL ? kif_state_str(l) : "gone");
	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) && p->ifindex == ifindex)
			peer_link_down(p, why);
}

static void
tunnel_addr_gone(int ifindex, const struct tb_addr *a)
{
	struct peer	*p;
	char		 why[128];

	if (a == NULL || kif_has_addr(tunnel, a))
		return;
	snprintf(why, sizeof(why), "local address %s removed from %s",
	    addr_str(a), tunnel_ifname(ifindex));
	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) && addr_cmp(&p->local_addr, a) == 0)
			peer_link_down(p, why);
}

/* A link or an address came (back): every session whose neighbor is now
 * reachable over it is started at once. */
static void
tunnel_usable(int ifindex)
{
	struct peer	*p;
	int		 via;

	TAILQ_FOREACH(p, &peers, entry)
		if (tunnel_follows(p) &&
		    kif_connected(tunnel, &p->conf->remote, &via) &&
		    via == ifindex)
			peer_link_up(p, tunnel_ifname(ifindex));
}

static void
tunnel_event(struct kif *k, enum kif_change ch, int ifindex,
    const struct tb_addr *a, void *arg)
{
	size_t	 i;

	switch (ch) {
	case KIF_LINK_DOWN:
		tunnel_link_down(ifindex);
		break;
	case KIF_ADDR_GONE:
		tunnel_addr_gone(ifindex, a);
		break;
	case KIF_LINK_UP:
	case KIF_ADDR_NEW:
		tunnel_usable(ifindex);
		break;
	}
	/* Next hops on this interface may have come or gone too; checked
	 * next turn, once the sessions' own changes are in the kernel. */
	nexthop_check(NH_CHECK_ALL);
	/* The subscribers: a probe waiting for its interface or address
	 * may start now (track.c), static routes follow (sroute_run.c). */
	for (i = 0; i < tunnel_nsubs; i++)
		tunnel_subs[i].fn(k, ch, ifindex, a, tunnel_subs[i].arg);
}

int
tunnel_init(struct event_base *base)
{
	if ((tunnel = kif_new()) == NULL) {
		log_warn("interface monitor");
		return -1;
	}
	kif_set_handler(tunnel, tunnel_event, NULL);
	if (kif_open(tunnel, base) == -1) {
		log_warn("cannot follow interfaces (rtnetlink); sessions "
		    "notice dead tunnels by their hold timers only");
		kif_free(tunnel);
		tunnel = NULL;
		return -1;
	}
	return 0;
}

void
tunnel_shutdown(void)
{
	kif_free(tunnel);
	tunnel = NULL;
}
