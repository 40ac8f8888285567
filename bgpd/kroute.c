/*
 * kroute: one-shot rtnetlink route dumps (see kroute.h), through nl.c's
 * codec: every length the kernel sends is checked there.
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "kroute.h"
#include "nl.h"

#define KROUTE_RCVBUF	(64 * 1024)

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

static int
kroute_request(int fd, int af)
{
	struct buf	 b;
	int		 rc = -1;

	if (buf_init(&b, 64, 64) == -1)
		return -1;
	if (nl_dump_put(&b, af, 1) == 0 && !buf_error(&b) &&
	    send(fd, buf_data(&b), buf_len(&b), 0) == (ssize_t)buf_len(&b))
		rc = 0;
	buf_free(&b);
	return rc;
}

/* One datagram of the dump: 1 when the dump is done, 0 to go on, -1 on a
 * kernel error. */
static int
kroute_chunk(const uint8_t *p, size_t n,
    void (*fn)(const struct kroute *, void *), void *arg)
{
	struct buf	 dgram;
	struct nl_msg	 m;
	struct nl_route	 r;
	struct kroute	 kr;
	uint32_t	 seq;
	int		 err;

	buf_view(&dgram, p, n);
	while (nl_next(&dgram, &m) == 1) {
		if (m.type == NLMSG_DONE)
			return 1;
		if (m.type == NLMSG_ERROR) {
			if (nl_parse_error(&m, &err, &seq) == 0 && err == 0)
				continue;
			errno = err ? err : EIO;
			return -1;
		}
		if (m.type != RTM_NEWROUTE || nl_parse_route(&m, &r) == -1)
			continue;
		/* A blackhole route counts: it is how an operator pins a
		 * summary of the VPC, as for FRR's import check. */
		if (r.table == RT_TABLE_MAIN && (r.type == RTN_UNICAST ||
		    r.type == RTN_BLACKHOLE)) {
			kroute_from_nl(&r, &kr);
			fn(&kr, arg);
		}
	}
	return 0;
}

int
kroute_dump(int af, void (*fn)(const struct kroute *, void *), void *arg)
{
	static uint8_t	 rbuf[KROUTE_RCVBUF];
	ssize_t		 n;
	int		 fd, rc = 0, saved;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return -1;
	if (kroute_request(fd, af) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	while (rc == 0) {
		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = -1;
			break;
		}
		rc = kroute_chunk(rbuf, (size_t)n, fn, arg);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return rc == 1 ? 0 : -1;
}

/* The one answer to a lookup: 1 route, 0 none, -1 error. */
static int
kroute_answer(const uint8_t *p, size_t n, struct kroute *out)
{
	struct buf	 dgram;
	struct nl_msg	 m;
	struct nl_route	 r;
	uint32_t	 seq;
	int		 err;

	buf_view(&dgram, p, n);
	while (nl_next(&dgram, &m) == 1) {
		if (m.type == NLMSG_ERROR) {
			if (nl_parse_error(&m, &err, &seq) == -1)
				break;
			if (err == ENETUNREACH || err == EHOSTUNREACH ||
			    err == ESRCH)
				return 0;
			errno = err ? err : EIO;
			return -1;
		}
		if (m.type == RTM_NEWROUTE && nl_parse_route(&m, &r) == 0) {
			kroute_from_nl(&r, out);
			return 1;
		}
	}
	errno = EBADMSG;
	return -1;
}

int
kroute_get(const struct tb_addr *dst, struct kroute *out)
{
	uint8_t		 rbuf[4096];
	struct buf	 b;
	ssize_t		 n;
	int		 fd, rc = -1, saved;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return -1;
	if (buf_init(&b, 64, 64) == -1) {
		close(fd);
		return -1;
	}
	if (nl_lookup_put(&b, dst, 1) == 0 &&
	    send(fd, buf_data(&b), buf_len(&b), 0) == (ssize_t)buf_len(&b)) {
		do
			n = recv(fd, rbuf, sizeof(rbuf), 0);
		while (n == -1 && errno == EINTR);
		if (n > 0)
			rc = kroute_answer(rbuf, (size_t)n, out);
	}
	saved = errno;
	buf_free(&b);
	close(fd);
	errno = saved;
	return rc;
}
