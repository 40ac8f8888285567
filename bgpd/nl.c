/*
 * nl: the one netlink layer (see nl.h): sockets, reading, requests and
 * dumps, message and attribute walkers, batches and their answers.
 *
 * On input every length is checked against what is left: a message or
 * an attribute shorter than its own header or longer than its container
 * ends the walk (a zero length can never loop); a last padding short by
 * a few octets is tolerated, as the kernel leaves it out.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <linux/filter.h>
#include <linux/netlink.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nl.h"

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif

#define NL_ALIGN(n)	(((n) + 3) & ~(size_t)3)
#define NL_ATTR_HDR	4			/* struct nlattr, rtattr */

/* Sockets ------------------------------------------------------------- */

static int
nl_rcvbuf(int fd, int size, int forced)
{
	/* FORCE passes net.core.rmem_max with CAP_NET_ADMIN, which
	 * programming routes needs anyway. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
	    sizeof(size)) == 0)
		return 0;
	if (forced)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

static void
nl_sockopts(int fd, int flags)
{
	int	 one = 1;

	if (flags & NL_F_CAP_ACK)
		(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
		    sizeof(one));
	if (flags & NL_F_STRICT)
		(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
		    sizeof(one));
}

/* Bound, the kernel tells our port. */
static int
nl_bind(struct nl_sock *s, uint32_t groups)
{
	struct sockaddr_nl	 sa;
	socklen_t		 len = sizeof(sa);

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &len) == -1)
		return -1;
	s->port = sa.nl_pid;
	return 0;
}

int
nl_open(struct nl_sock *s, int proto, uint32_t groups, int rcvbuf,
    int flags)
{
	int	 saved;

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	if ((s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC |
	    ((flags & NL_F_NONBLOCK) ? SOCK_NONBLOCK : 0), proto)) == -1)
		return -1;
	if ((rcvbuf > 0 && nl_rcvbuf(s->fd, rcvbuf,
	    (flags & NL_F_FORCE_RCVBUF) != 0) == -1) ||
	    nl_bind(s, groups) == -1)
		goto fail;
	nl_sockopts(s->fd, flags);
	if ((s->rbuf = malloc(NL_READBUF)) == NULL)
		goto fail;
	s->rbuflen = NL_READBUF;
	return 0;
fail:
	saved = errno;
	close(s->fd);
	s->fd = -1;
	errno = saved;
	return -1;
}

int
nl_join(struct nl_sock *s, unsigned int group)
{
	return setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
	    sizeof(group));
}

void
nl_close(struct nl_sock *s)
{
	if (s->fd != -1)
		close(s->fd);
	free(s->rbuf);
	s->fd = -1;
	s->rbuf = NULL;
	s->rbuflen = 0;
}

int
nl_ignore_port(struct nl_sock *s, uint32_t port)
{
	struct sock_filter	 code[] = {
		/* A = nlmsg_pid (loaded big-endian: compare to htonl) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct nlmsghdr, nlmsg_pid)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),			/* drop */
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),		/* keep */
	};
	struct sock_fprog	 prog = { 4, code };

	if (port == 0) {
		errno = EINVAL;
		return -1;
	}
	code[1].k = htonl(port);
	return setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

uint32_t
nl_seq(struct nl_sock *s)
{
	if (++s->seq == 0)
		s->seq = 1;
	return s->seq;
}

/* Sending ------------------------------------------------------------- */

int
nl_send(struct nl_sock *s, const struct buf *b)
{
	struct sockaddr_nl	 sa;
	ssize_t			 n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do {
		n = sendto(s->fd, buf_data(b), buf_len(b), 0,
		    (struct sockaddr *)&sa, sizeof(sa));
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != buf_len(b)) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/* Reading ------------------------------------------------------------- */

int
nl_recv(struct nl_sock *s, struct buf *dgram)
{
	struct sockaddr_nl	 sa;
	struct iovec		 iov = { s->rbuf, s->rbuflen };
	struct msghdr		 mh;
	ssize_t			 n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	do {
		n = recvmsg(s->fd, &mh, 0);
	} while (n == -1 && errno == EINTR);
	buf_view(dgram, s->rbuf, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if ((n == -1 && errno == ENOBUFS) ||
	    (n >= 0 && (mh.msg_flags & MSG_TRUNC))) {
		s->lost++;
		return NL_LOST;
	}
	if (n <= 0) {
		if (n == 0)
			errno = ECONNRESET;
		return -1;
	}
	if (sa.nl_pid == 0)
		buf_view(dgram, s->rbuf, (size_t)n);
	return 1;
}

int
nl_read(struct nl_sock *s, int max, nl_dgram_fn fn, void *arg, int *lost)
{
	struct buf	 d;
	int		 n = 0, rc;

	*lost = 0;
	while (max == 0 || n < max) {
		if ((rc = nl_recv(s, &d)) == 0)
			break;
		if (rc == -1)
			return -1;
		if (rc == NL_LOST) {
			*lost = 1;
			continue;
		}
		n++;
		if (buf_left(&d) > 0)
			fn(buf_rptr(&d), buf_left(&d), arg);
	}
	return n;
}

int
nl_walk(const void *dgram, size_t len, nl_msg_fn fn, void *arg)
{
	struct buf	 d;
	struct nl_msg	 m;
	int		 rc;

	buf_view(&d, dgram, len);
	while ((rc = nl_next(&d, &m)) == 1)
		fn(&m, arg);
	return rc;
}

/* nl_transact(): the messages of the answer, and whether it is done. */
struct nl_trans {
	uint32_t	 seq;
	nl_msg_fn	 fn;
	void		*arg;
	int		 done;
	int		 err;
};

static void
nl_trans_msg(const struct nl_msg *m, void *arg)
{
	struct nl_trans	*t = arg;

	if (t->done)
		return;
	if (nl_answer(m, t->seq, &t->err) == 1) {
		t->done = 1;
		return;
	}
	if (m->type != NLMSG_NOOP && m->type != NLMSG_ERROR &&
	    m->type != NLMSG_DONE)
		t->fn(m, t->arg);
}

static long
nl_ms_left(const struct timespec *end)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(end->tv_sec - now.tv_sec) * 1000 +
	    (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* Wait for a datagram until end: 1 readable, 0 timed out, -1 error. */
static int
nl_wait(struct nl_sock *s, int timeout_ms, const struct timespec *end)
{
	struct pollfd	 pfd = { s->fd, POLLIN, 0 };
	long		 left;
	int		 rc;

	do {
		left = timeout_ms > 0 ? nl_ms_left(end) : -1;
		if (timeout_ms > 0 && left <= 0)
			return 0;
		rc = poll(&pfd, 1, (int)left);
	} while (rc == -1 && errno == EINTR);
	return rc > 0 ? 1 : rc;
}

int
nl_transact(struct nl_sock *s, const struct buf *req, uint32_t seq,
    int timeout_ms, nl_msg_fn fn, void *arg)
{
	struct nl_trans	 t = { seq, fn, arg, 0, 0 };
	struct timespec	 end;
	struct buf	 d;
	int		 rc;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (nl_send(s, req) == -1)
		return -1;
	while (!t.done) {
		if ((rc = nl_wait(s, timeout_ms, &end)) <= 0) {
			if (rc == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		if ((rc = nl_recv(s, &d)) == NL_LOST) {
			errno = ENOBUFS;
			return -1;
		}
		if (rc == -1)
			return -1;
		if (rc == 1 && nl_walk(buf_rptr(&d), buf_left(&d),
		    nl_trans_msg, &t) == -1 && !t.done) {
			errno = EBADMSG;
			return -1;
		}
	}
	if (t.err != 0) {
		errno = t.err;
		return -1;
	}
	return 0;
}

/* Building ------------------------------------------------------------ */

size_t
nl_attr_space(size_t len)
{
	return NL_ALIGN(NL_ATTR_HDR + len);
}

size_t
nl_msg_begin(struct buf *b, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr	 nh;
	size_t		 off = buf_len(b);

	memset(&nh, 0, sizeof(nh));
	nh.nlmsg_len = sizeof(nh);
	nh.nlmsg_type = type;
	nh.nlmsg_flags = (uint16_t)(flags | NLM_F_REQUEST);
	nh.nlmsg_seq = seq;
	buf_put(b, &nh, sizeof(nh));
	return off;
}

int
nl_msg_end(struct buf *b, size_t off)
{
	uint32_t	 len;

	if (buf_error(b) || off > buf_len(b) ||
	    buf_len(b) - off < sizeof(struct nlmsghdr))
		return -1;
	len = (uint32_t)(buf_len(b) - off);
	memcpy(b->base + off + offsetof(struct nlmsghdr, nlmsg_len), &len,
	    sizeof(len));
	return 0;
}

void
nl_put_fixed(struct buf *b, const void *p, size_t len)
{
	static const uint8_t	 pad[4];

	buf_put(b, p, len);
	buf_put(b, pad, NL_ALIGN(len) - len);
}

void
nl_attr_put(struct buf *b, uint16_t type, const void *p, size_t len)
{
	static const uint8_t	 pad[4];
	struct nlattr		 nla;

	nla.nla_len = (uint16_t)(NL_ATTR_HDR + len);
	nla.nla_type = type;
	buf_put(b, &nla, sizeof(nla));
	buf_put(b, p, len);
	buf_put(b, pad, NL_ALIGN(len) - len);
}

void
nl_attr_put_u32(struct buf *b, uint16_t type, uint32_t v)
{
	nl_attr_put(b, type, &v, sizeof(v));
}

int
nl_msg_flags_at(struct buf *b, size_t off, uint16_t set, uint16_t clear)
{
	struct nlmsghdr	 nh;

	if (b->err || off > buf_len(b) || buf_len(b) - off < sizeof(nh))
		return -1;
	memcpy(&nh, b->base + off, sizeof(nh));
	nh.nlmsg_flags = (uint16_t)((nh.nlmsg_flags & ~clear) | set);
	memcpy(b->base + off, &nh, sizeof(nh));
	return 0;
}

int
nl_dump_put(struct buf *b, uint16_t type, const void *fixed, size_t len,
    uint32_t seq)
{
	size_t	 off = nl_msg_begin(b, type, NLM_F_DUMP, seq);

	nl_put_fixed(b, fixed, len);
	return nl_msg_end(b, off);
}

/* Parsing ------------------------------------------------------------- */

int
nl_next(struct buf *d, struct nl_msg *m)
{
	struct nlmsghdr	 nh;
	size_t		 body;

	if (buf_left(d) == 0)
		return 0;
	if (buf_get_n(d, &nh, sizeof(nh)) == -1 ||
	    nh.nlmsg_len < sizeof(nh) ||
	    (body = nh.nlmsg_len - sizeof(nh)) > buf_left(d))
		return -1;
	m->type = nh.nlmsg_type;
	m->flags = nh.nlmsg_flags;
	m->seq = nh.nlmsg_seq;
	m->pid = nh.nlmsg_pid;
	(void)buf_get_view(d, body, &m->body);
	/* The last message of a datagram may come without its padding. */
	body = NL_ALIGN(nh.nlmsg_len) - nh.nlmsg_len;
	(void)buf_skip(d, body < buf_left(d) ? body : buf_left(d));
	return 1;
}

int
nl_parse_error(const struct nl_msg *m, int *err, uint32_t *seq)
{
	struct buf	 b = m->body;
	struct nlmsghdr	 orig;
	int32_t		 e;

	if (m->type != NLMSG_ERROR || buf_get_n(&b, &e, sizeof(e)) == -1 ||
	    buf_get_n(&b, &orig, sizeof(orig)) == -1)
		return -1;
	/* The kernel sends -errno; a positive value is nonsense. */
	if (e > 0 || e == INT32_MIN)
		return -1;
	*err = -e;
	*seq = orig.nlmsg_seq;
	return 0;
}

int
nl_answer(const struct nl_msg *m, uint32_t seq, int *err)
{
	uint32_t	 eseq;

	if (m->type == NLMSG_DONE && m->seq == seq) {
		*err = 0;
		return 1;
	}
	if (m->type != NLMSG_ERROR)
		return 0;
	/* A truncated error still answers the request its header names. */
	if (nl_parse_error(m, err, &eseq) == -1) {
		*err = EBADMSG;
		eseq = m->seq;
	}
	return eseq == seq;
}

int
nl_get_fixed(struct buf *body, void *out, size_t n)
{
	size_t	 pad = NL_ALIGN(n) - n;

	if (buf_get_n(body, out, n) == -1)
		return -1;
	return buf_skip(body, pad < buf_left(body) ? pad : buf_left(body));
}

int
nl_attr_next(struct buf *blk, uint16_t *type, struct buf *val)
{
	struct nlattr	 nla;
	size_t		 pad;

	if (buf_left(blk) == 0)
		return 0;
	if (buf_get_n(blk, &nla, sizeof(nla)) == -1 ||
	    nla.nla_len < NL_ATTR_HDR ||
	    buf_get_view(blk, nla.nla_len - NL_ATTR_HDR, val) == -1)
		return -1;
	*type = nla.nla_type & NLA_TYPE_MASK;
	pad = NL_ALIGN(nla.nla_len) - nla.nla_len;
	(void)buf_skip(blk, pad < buf_left(blk) ? pad : buf_left(blk));
	return 1;
}

int
nl_attr_u32(struct buf *val, uint32_t *v)
{
	return buf_left(val) == sizeof(*v) ? buf_get_n(val, v, sizeof(*v)) :
	    -1;
}

int
nl_attr_u8(struct buf *val, uint8_t *v)
{
	return buf_left(val) == 1 ? buf_get_u8(val, v) : -1;
}

int
nl_attr_addr(struct buf *val, int af, struct tb_addr *a)
{
	size_t	 alen = af == AF_INET ? 4 : 16;

	if ((af != AF_INET && af != AF_INET6) || buf_left(val) != alen)
		return -1;
	memset(a, 0, sizeof(*a));
	a->af = (uint8_t)af;
	return buf_get_n(val, a->u.raw, alen);
}

int
nl_attr_str(struct buf *val, char *out, size_t outlen)
{
	const uint8_t	*p = buf_rptr(val), *nul;
	size_t		 n = buf_left(val);

	if ((nul = memchr(p, '\0', n)) != NULL)
		n = (size_t)(nul - p);
	if (n == 0 || n >= outlen)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}
