/*
 * kroute: one-shot rtnetlink route dumps and lookups (see kroute.h): the
 * questions and what their answers mean; the codec is nl_route.c, the
 * socket and the walk of the answer nl.c's.
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "kroute.h"
#include "nl.h"
#include "nl_route.h"

#define KROUTE_WAIT_MS	10000	/* the kernel answers at once */

static void
kroute_from_nl(const struct nl_route *r, struct kroute *kr)
{
	memset(kr, 0, sizeof(*kr));
	kr->prefix = r->dst;
	kr->protocol = r->protocol;
	kr->table = (int)r->table;
	kr->type = r->type;
	kr->scope = r->scope;
	kr->metric = r->metric;
}

/* One question on a short-lived socket: the request built by put, each
 * route of the answer to fn.  0, or -1 with errno. */
static int
kroute_ask(int (*put)(struct buf *, const void *, uint32_t), const void *q,
    nl_msg_fn fn, void *arg)
{
	struct nl_sock	 s;
	struct buf	 b;
	uint32_t	 seq;
	int		 rc = -1, saved;

	if (nl_open(&s, NETLINK_ROUTE, 0, 0, 0) == -1)
		return -1;
	if (buf_init(&b, 64, 64) == -1) {
		nl_close(&s);
		errno = ENOMEM;
		return -1;
	}
	seq = nl_seq(&s);
	if (put(&b, q, seq) == 0)
		rc = nl_transact(&s, &b, seq, KROUTE_WAIT_MS, fn, arg);
	saved = errno;
	buf_free(&b);
	nl_close(&s);
	errno = saved;
	return rc;
}

struct kroute_walk {
	void	(*fn)(const struct kroute *, void *);
	void	*arg;
};

/* A blackhole route counts: it is how an operator pins a summary of the
 * VPC, as for FRR's import check. */
static void
kroute_dump_msg(const struct nl_msg *m, void *arg)
{
	struct kroute_walk	*w = arg;
	struct nl_route		 r;
	struct kroute		 kr;

	if (m->type != RTM_NEWROUTE || nl_parse_route(m, &r) == -1)
		return;
	if (r.table == RT_TABLE_MAIN && (r.type == RTN_UNICAST ||
	    r.type == RTN_BLACKHOLE)) {
		kroute_from_nl(&r, &kr);
		w->fn(&kr, w->arg);
	}
}

static int
kroute_dump_put(struct buf *b, const void *q, uint32_t seq)
{
	return nl_route_dump_put(b, *(const int *)q, seq);
}

int
kroute_dump(int af, void (*fn)(const struct kroute *, void *), void *arg)
{
	struct kroute_walk	 w = { fn, arg };

	return kroute_ask(kroute_dump_put, &af, kroute_dump_msg, &w);
}

struct kroute_found {
	struct kroute	*out;
	int		 found;
};

static void
kroute_get_msg(const struct nl_msg *m, void *arg)
{
	struct kroute_found	*f = arg;
	struct nl_route		 r;

	if (f->found || m->type != RTM_NEWROUTE ||
	    nl_parse_route(m, &r) == -1)
		return;
	kroute_from_nl(&r, f->out);
	f->found = 1;
}

/* With NLM_F_ACK, the acknowledgement after the route ends the answer. */
static int
kroute_get_put(struct buf *b, const void *q, uint32_t seq)
{
	if (nl_route_lookup_put(b, q, seq) == -1)
		return -1;
	return nl_msg_flags_at(b, 0, NLM_F_ACK, 0);
}

/* The one answer to a lookup: the route, or the kernel's "no route". */
int
kroute_get(const struct tb_addr *dst, struct kroute *out)
{
	struct kroute_found	 f = { out, 0 };

	if (kroute_ask(kroute_get_put, dst, kroute_get_msg, &f) == -1) {
		if (errno == ENETUNREACH || errno == EHOSTUNREACH ||
		    errno == ESRCH)
			return 0;
		return -1;
	}
	if (!f.found) {
		errno = EBADMSG;
		return -1;
	}
	return 1;
}
