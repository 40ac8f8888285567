/*
 * kroute: rtnetlink route dumps (see kroute.h).  Every length the kernel
 * sends is checked before it is used: a truncated or odd message is
 * skipped, never trusted.
 */
#include "config.h"

#include <sys/socket.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "kroute.h"

#define KROUTE_RCVBUF	(64 * 1024)

int
kroute_parse(const void *msg, size_t len, struct kroute *kr)
{
	const struct nlmsghdr	*nh = msg;
	const struct rtmsg	*rtm;
	const struct rtattr	*rta;
	size_t			 alen, plen;
	int			 alen_af;

	if (len < NLMSG_HDRLEN || nh->nlmsg_len > len ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -1;
	rtm = NLMSG_DATA(nh);
	memset(kr, 0, sizeof(*kr));
	if (rtm->rtm_family == AF_INET)
		alen_af = 4;
	else if (rtm->rtm_family == AF_INET6)
		alen_af = 16;
	else
		return -1;
	if (rtm->rtm_dst_len > alen_af * 8)
		return -1;
	kr->prefix.addr.af = rtm->rtm_family;
	kr->prefix.len = rtm->rtm_dst_len;
	kr->protocol = rtm->rtm_protocol;
	kr->table = rtm->rtm_table;
	kr->type = rtm->rtm_type;
	kr->scope = rtm->rtm_scope;
	plen = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm));
	rta = RTM_RTA(rtm);
	for (; RTA_OK(rta, plen); rta = RTA_NEXT(rta, plen)) {
		alen = RTA_PAYLOAD(rta);
		if (rta->rta_type == RTA_TABLE && alen == 4)
			memcpy(&kr->table, RTA_DATA(rta), 4);
		else if (rta->rta_type == RTA_DST && alen == (size_t)alen_af)
			memcpy(kr->prefix.addr.u.raw, RTA_DATA(rta), alen);
		else if (rta->rta_type == RTA_PRIORITY && alen == 4)
			memcpy(&kr->metric, RTA_DATA(rta), 4);
	}
	return 0;
}

static int
kroute_request(int fd, int af)
{
	struct {
		struct nlmsghdr	nh;
		struct rtmsg	rtm;
	} req;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.rtm.rtm_family = af;
	return send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req) ? 0 : -1;
}

/* One datagram of the dump: 1 when the dump is done, 0 to go on. */
static int
kroute_chunk(const uint8_t *p, size_t n,
    void (*fn)(const struct kroute *, void *), void *arg)
{
	const struct nlmsghdr	*nh;
	struct kroute		 kr;

	for (nh = (const void *)p; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			errno = EIO;
			return -1;
		}
		if (nh->nlmsg_type != RTM_NEWROUTE ||
		    kroute_parse(nh, nh->nlmsg_len, &kr) == -1)
			continue;
		/* A blackhole route counts: it is how an operator pins a
		 * summary of the VPC, as for FRR's import check. */
		if (kr.table == RT_TABLE_MAIN && (kr.type == RTN_UNICAST ||
		    kr.type == RTN_BLACKHOLE))
			fn(&kr, arg);
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
