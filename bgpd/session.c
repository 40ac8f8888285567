/*
 * session: sockets.  The listener (one dual-stack IPv6 socket, or IPv4
 * when IPv6 is missing), active opens, the socket options a BGP session
 * needs (RFC 2385 TCP MD5, RFC 5082 GTSM, TTL for eBGP, DSCP CS6), the
 * bounded output buffer with the RFC 9687 send hold timer, and the read
 * path that cuts the byte stream into messages.  What a connection has
 * to say goes to its owner through the struct session_ops given at
 * session_init() (peer_recv.c's): this file knows no peer.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsm.h"
#include "log.h"
#include "session.h"

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	void			*owner;		/* NULL: detached, lingering */
	int			 fd;
	int			 outgoing;	/* we initiated it */
	int			 connecting;	/* connect() in progress */
	int			 ext_msg;
	int			 closing;	/* detached, draining output */
	uint32_t		 sendhold;	/* seconds */
	int			 err;		/* first hard write error */
	struct event		*rev;
	struct event		*wev;
	struct event		*shev;		/* send hold timer */
	struct buf		 rbuf;
	struct buf		 wbuf;
};
TAILQ_HEAD(conn_head, conn);

#define SESSION_LISTENERS	2
#define UNKNOWN_LOGGED_MAX	64

static struct event_base	*session_base;
static const struct session_ops	*session_ops;
static struct conn_head		 conns = TAILQ_HEAD_INITIALIZER(conns);
static int			 listen_fd[SESSION_LISTENERS] = { -1, -1 };
static int			 listen_af[SESSION_LISTENERS];
static struct event		*listen_ev[SESSION_LISTENERS];
static struct tb_addr		 unknown_logged[UNKNOWN_LOGGED_MAX];
static size_t			 unknown_nlogged;

static void	session_read_cb(evutil_socket_t, short, void *);
static void	session_write_cb(evutil_socket_t, short, void *);
static void	session_sendhold_cb(evutil_socket_t, short, void *);
static void	session_accept_cb(evutil_socket_t, short, void *);

/* RFC 2385: an empty key deletes the entry for that address. */
static int
session_md5(int fd, int sock_af, const struct tb_addr *remote,
    const char *key)
{
	struct tcp_md5sig	 md5;
	size_t			 len = strlen(key);

	memset(&md5, 0, sizeof(md5));
	addr_to_sa_af(remote, sock_af, 0, &md5.tcpm_addr);
	if (len > TCP_MD5SIG_MAXKEYLEN)
		len = TCP_MD5SIG_MAXKEYLEN;
	md5.tcpm_keylen = len;
	memcpy(md5.tcpm_key, key, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

void
session_listen_md5(const struct peer_config *pc, int on)
{
	int	 i;

	for (i = 0; i < SESSION_LISTENERS; i++) {
		if (listen_fd[i] == -1)
			continue;
		if (listen_af[i] == AF_INET && pc->remote.af != AF_INET)
			continue;
		if (session_md5(listen_fd[i], listen_af[i], &pc->remote,
		    on ? pc->password : "") == -1 && on)
			log_warn("neighbor %s: TCP MD5 on listener",
			    addr_str(&pc->remote));
	}
}

static int
session_setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/* TTL policy (RFC 5082 GTSM, ebgp-multihop, else 1 for a directly
 * connected eBGP neighbor as FRR and BIRD do) and DSCP CS6. */
static void
session_sockopts(int fd, const struct peer_config *pc)
{
	int	 ttl = 1, minttl = 0, v6 = pc->remote.af == AF_INET6;

	if (pc->ttl_security) {
		ttl = 255;
		minttl = 256 - pc->ttl_security;
	} else if (pc->multihop)
		ttl = pc->multihop;
	if (v6) {
		if (session_setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
		    ttl) == -1)
			log_warn("neighbor %s: IPV6_UNICAST_HOPS",
			    addr_str(&pc->remote));
		if (minttl && session_setint(fd, IPPROTO_IPV6,
		    IPV6_MINHOPCOUNT, minttl) == -1)
			log_warn("neighbor %s: IPV6_MINHOPCOUNT",
			    addr_str(&pc->remote));
		(void)session_setint(fd, IPPROTO_IPV6, IPV6_TCLASS,
		    IPTOS_PREC_INTERNETCONTROL);
		return;
	}
	if (session_setint(fd, IPPROTO_IP, IP_TTL, ttl) == -1)
		log_warn("neighbor %s: IP_TTL", addr_str(&pc->remote));
	if (minttl && session_setint(fd, IPPROTO_IP, IP_MINTTL, minttl) == -1)
		log_warn("neighbor %s: IP_MINTTL", addr_str(&pc->remote));
	(void)session_setint(fd, IPPROTO_IP, IP_TOS,
	    IPTOS_PREC_INTERNETCONTROL);
}

/*
 * RFC 5082 GTSM for an accepted connection.  IP_MINTTL is set only after
 * accept(), so the handshake and whatever the peer sent right after it
 * (its OPEN) were queued unchecked; FRR and OpenBGPD leave that window
 * open.  The SYN's IP header, saved by the listener, tells the TTL (or
 * hop limit) the peer really uses.  Returns 1 when acceptable.
 */
static int
session_gtsm_ok(int fd, const struct session_peer *sp)
{
	const struct peer_config *pc = sp->conf;
	uint8_t		 syn[512];
	socklen_t	 len = sizeof(syn);
	int		 min = 256 - pc->ttl_security, ttl;

	if (pc->ttl_security == 0)
		return 1;
	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, syn, &len) == -1 ||
	    len < 20) {
		log_warnx("neighbor %s: connection refused: its SYN was not "
		    "saved, GTSM cannot be checked", addr_str(&pc->remote));
		return 0;
	}
	if ((syn[0] >> 4) == 4)
		ttl = syn[8];
	else if ((syn[0] >> 4) == 6 && len >= 40)
		ttl = syn[7];
	else
		ttl = -1;
	if (ttl >= min)
		return 1;
	/* Once per change: a peer on the wrong side of GTSM retries often. */
	logit(*sp->gtsm_refused_ttl == ttl ? TB_LOG_DEBUG : TB_LOG_INFO,
	    "neighbor %s: connection refused: TTL %d below the GTSM minimum "
	    "%d (ttl-security hops %u)", addr_str(&pc->remote), ttl, min,
	    pc->ttl_security);
	*sp->gtsm_refused_ttl = ttl;
	return 0;
}

static int
session_listen_one(int af, uint16_t port)
{
	struct sockaddr_storage	 ss;
	struct tb_addr		 any;
	socklen_t		 len;
	int			 fd;

	if ((fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	memset(&any, 0, sizeof(any));
	any.af = af;
	(void)session_setint(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	/* Keep each connection's SYN: its TTL is the one thing that can be
	 * checked before anything the peer sent is read (session_gtsm_ok). */
	if (session_setint(fd, IPPROTO_TCP, TCP_SAVE_SYN, 1) == -1)
		log_warn("TCP_SAVE_SYN: GTSM cannot check the first packets");
	/* The SYN-ACK leaves with the listener's TTL before any per-peer
	 * option applies: 255 lets it pass a GTSM peer's minimum
	 * (RFC 5082 3) and harms no one else. */
	(void)session_setint(fd, IPPROTO_IP, IP_TTL, 255);
	if (af == AF_INET6) {
		(void)session_setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0);
		(void)session_setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
		    255);
	}
	len = addr_to_sa_af(&any, af, port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 16) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
session_init(struct event_base *base, uint16_t port,
    const struct session_ops *ops)
{
	int	 fd, af = AF_INET6;

	session_base = base;
	session_ops = ops;
	if ((fd = session_listen_one(AF_INET6, port)) == -1) {
		if (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL) {
			log_warn("listen on [::]:%u", port);
			return -1;
		}
		af = AF_INET;
		if ((fd = session_listen_one(AF_INET, port)) == -1) {
			log_warn("listen on 0.0.0.0:%u", port);
			return -1;
		}
	}
	listen_fd[0] = fd;
	listen_af[0] = af;
	listen_ev[0] = event_new(base, fd, EV_READ | EV_PERSIST,
	    session_accept_cb, NULL);
	if (listen_ev[0] == NULL || event_add(listen_ev[0], NULL) == -1)
		fatalx("event_new listener");
	log_info("listening on %s port %u", af == AF_INET6 ? "[::]" :
	    "0.0.0.0", port);
	return 0;
}

static struct conn *
session_conn_new(void *owner, int fd, int outgoing)
{
	struct conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	c->owner = owner;
	c->fd = fd;
	c->outgoing = outgoing;
	c->sendhold = fsm_sendhold(0);
	if (buf_init(&c->rbuf, 4096, SESSION_RBUF_MAX) == -1 ||
	    buf_init(&c->wbuf, 4096, SESSION_WBUF_MAX) == -1)
		fatal("buf_init");
	c->rev = event_new(session_base, fd, EV_READ | EV_PERSIST,
	    session_read_cb, c);
	c->wev = event_new(session_base, fd, EV_WRITE | EV_PERSIST,
	    session_write_cb, c);
	c->shev = evtimer_new(session_base, session_sendhold_cb, c);
	if (c->rev == NULL || c->wev == NULL || c->shev == NULL)
		fatalx("event_new");
	TAILQ_INSERT_TAIL(&conns, c, entry);
	return c;
}

static void
session_conn_free(struct conn *c)
{
	TAILQ_REMOVE(&conns, c, entry);
	event_free(c->rev);
	event_free(c->wev);
	event_free(c->shev);
	buf_free(&c->rbuf);
	buf_free(&c->wbuf);
	close(c->fd);
	free(c);
}

/* Refused connections from unknown addresses are logged once each. */
static void
session_log_unknown(const struct tb_addr *a)
{
	size_t	 i;

	for (i = 0; i < unknown_nlogged; i++)
		if (addr_cmp(&unknown_logged[i], a) == 0) {
			log_debug("connection from unknown %s refused",
			    addr_str(a));
			return;
		}
	if (unknown_nlogged < UNKNOWN_LOGGED_MAX)
		unknown_logged[unknown_nlogged++] = *a;
	log_info("connection from %s refused: not a configured neighbor",
	    addr_str(a));
}

static void
session_accept_cb(evutil_socket_t lfd, short ev, void *arg)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct tb_addr		 remote;
	struct session_peer	 sp;
	struct conn		*c;
	uint16_t		 port;
	int			 fd;

	fd = accept4(lfd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("accept");
		return;
	}
	addr_from_sa((struct sockaddr *)&ss, &remote, &port);
	if (session_ops->find(&remote, &sp) == -1) {
		session_log_unknown(&remote);
		close(fd);
		return;
	}
	if (!session_gtsm_ok(fd, &sp)) {
		close(fd);
		return;
	}
	session_sockopts(fd, sp.conf);
	c = session_conn_new(sp.owner, fd, 0);
	if (event_add(c->rev, NULL) == -1)
		fatalx("event_add");
	session_ops->incoming(sp.owner, c);
}

uint16_t
session_peer_port(void)
{
	const char	*s = getenv(SESSION_PEER_PORT_ENV);
	long		 v;
	char		*end;

	if (s == NULL || *s == '\0')
		return BGP_PORT;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v <= 0 || v > 65535)
		return BGP_PORT;
	return (uint16_t)v;
}

/* update-source: an address to bind, or an interface to bind to. */
static int
session_bind_source(int fd, const struct peer_config *pc, int af)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;

	if (pc->local_ifname[0] != '\0' &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, pc->local_ifname,
	    strlen(pc->local_ifname)) == -1)
		return -1;
	if (!addr_isset(&pc->local))
		return 0;
	len = addr_to_sa_af(&pc->local, af, 0, &ss);
	return bind(fd, (struct sockaddr *)&ss, len);
}

static int
session_socket_out(const struct peer_config *pc)
{
	int	 fd, af = pc->remote.af;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	session_sockopts(fd, pc);
	if ((pc->password[0] != '\0' &&
	    session_md5(fd, af, &pc->remote, pc->password) == -1) ||
	    session_bind_source(fd, pc, af) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct conn *
session_connect(void *owner, const struct peer_config *pc)
{
	struct sockaddr_storage	 ss;
	struct conn		*c;
	socklen_t		 len;
	int			 fd;

	if ((fd = session_socket_out(pc)) == -1)
		return NULL;
	len = addr_to_sa_af(&pc->remote, pc->remote.af, session_peer_port(),
	    &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) == -1 &&
	    errno != EINPROGRESS) {
		int saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	c = session_conn_new(owner, fd, 1);
	c->connecting = 1;
	if (event_add(c->wev, NULL) == -1)
		fatalx("event_add");
	return c;
}

static void
session_connected(struct conn *c)
{
	int		 err = 0;
	socklen_t	 len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	c->connecting = 0;
	event_del(c->wev);
	if (err != 0) {
		session_ops->fail(c->owner, c, err);
		return;
	}
	if (event_add(c->rev, NULL) == -1)
		fatalx("event_add");
	session_ops->up(c->owner, c);
}

static void
session_sendhold_arm(struct conn *c)
{
	struct timeval	 tv = { c->sendhold, 0 };

	evtimer_add(c->shev, &tv);
}

/*
 * A write took the socket's pending error (ETIMEDOUT after
 * TCP_USER_TIMEOUT, ECONNRESET): the next read would see only the end of
 * file.  Keep the error and have the read side report it from the loop,
 * not from inside whatever FSM step was sending.
 */
static void
session_write_err(struct conn *c)
{
	if (c->err == 0)
		c->err = errno != 0 ? errno : EPIPE;
	if (!c->closing)
		event_active(c->rev, EV_READ, 0);
}

/* Write what the socket takes.  Returns -1 on a hard error. */
static int
session_write(struct conn *c)
{
	ssize_t	 n;

	while (buf_len(&c->wbuf) > 0) {
		n = write(c->fd, buf_data(&c->wbuf), buf_len(&c->wbuf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			session_write_err(c);
			return -1;
		}
		buf_drain(&c->wbuf, (size_t)n);
		/* RFC 9687: progress restarts the send hold timer. */
		if (!c->closing)
			session_sendhold_arm(c);
	}
	if (buf_len(&c->wbuf) == 0) {
		if (!c->closing)
			evtimer_del(c->shev);
		event_del(c->wev);
	} else {
		if (!c->closing && !evtimer_pending(c->shev, NULL))
			session_sendhold_arm(c);
		event_add(c->wev, NULL);
	}
	return 0;
}

int
session_send(struct conn *c, const struct buf *msg)
{
	if (buf_len(&c->wbuf) + buf_len(msg) > SESSION_WBUF_MAX) {
		errno = ENOBUFS;
		return -1;
	}
	buf_put(&c->wbuf, buf_data(msg), buf_len(msg));
	if (buf_error(&c->wbuf)) {
		errno = ENOBUFS;
		return -1;
	}
	if (c->connecting)
		return 0;
	return session_write(c);
}

static void
session_write_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;

	if (c->connecting) {
		session_connected(c);
		return;
	}
	if (c->closing) {
		if (session_write(c) == -1 || buf_len(&c->wbuf) == 0)
			session_conn_free(c);
		return;
	}
	if (session_write(c) == -1)
		session_ops->fail(c->owner, c, errno);
	else
		session_ops->drained(c->owner, c);
}

size_t
session_queued(const struct conn *c)
{
	return buf_len(&c->wbuf);
}

static void
session_sendhold_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;

	if (c->closing)
		session_conn_free(c);
	else
		session_ops->sendhold(c->owner, c);
}

/* Cut complete messages off the input, then drop them all at once (one
 * move per read, not one per message).  Returns -1 when the connection
 * was closed by a handler. */
static int
session_dispatch(struct conn *c)
{
	struct bgp_notify	 err;
	struct buf		 hdr, body;
	const uint8_t		*p;
	size_t			 off = 0, left;
	uint16_t		 len;
	uint8_t			 type;

	while ((left = buf_len(&c->rbuf) - off) >= BGP_HDR_LEN) {
		p = buf_data(&c->rbuf) + off;
		buf_view(&hdr, p, left);
		if (msg_hdr_parse(&hdr, c->ext_msg, &type, &len, &err) == -1)
		{
			(void)session_ops->hdr_err(c->owner, c, &err);
			return -1;
		}
		if (left < len)
			break;
		buf_view(&body, p + BGP_HDR_LEN, len - BGP_HDR_LEN);
		if (session_ops->msg(c->owner, c, type, &body) == -1)
			return -1;
		off += len;
	}
	buf_drain(&c->rbuf, off);
	return 0;
}

static void
session_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;
	static uint8_t	 tmp[65536];
	size_t		 room = SESSION_RBUF_MAX - buf_len(&c->rbuf);
	ssize_t		 n;

	if (room > sizeof(tmp))
		room = sizeof(tmp);
	n = read(fd, tmp, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR) && c->err == 0)
		return;
	if (n <= 0 || c->err != 0) {
		session_ops->fail(c->owner, c, c->err != 0 ? c->err :
		    n == 0 ? 0 : errno);
		return;
	}
	buf_put(&c->rbuf, tmp, (size_t)n);
	(void)session_dispatch(c);
}

/* A NOTIFICATION must reach the peer before the close (RFC 4271 6): a
 * connection with output left lingers, detached from its peer, until it
 * drains or SESSION_LINGER seconds pass. */
void
session_close(struct conn *c)
{
	struct timeval	 tv = { SESSION_LINGER, 0 };

	if (c->connecting || buf_len(&c->wbuf) == 0 ||
	    session_write(c) == -1 || buf_len(&c->wbuf) == 0) {
		session_conn_free(c);
		return;
	}
	c->closing = 1;
	c->owner = NULL;
	event_del(c->rev);
	(void)shutdown(c->fd, SHUT_RD);
	evtimer_add(c->shev, &tv);
}

void
session_flush_all(int ms)
{
	struct timespec	 start, now;
	struct conn	*c;
	struct pollfd	 pfd;
	int		 pending = 1, left = ms;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (pending && left > 0) {
		pending = 0;
		TAILQ_FOREACH(c, &conns, entry) {
			if (c->connecting || buf_len(&c->wbuf) == 0)
				continue;
			c->closing = 1;
			pfd.fd = c->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, left > 50 ? 50 : left) == 1 &&
			    session_write(c) == -1)
				buf_reset(&c->wbuf);
			pending |= buf_len(&c->wbuf) > 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - (int)((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000);
	}
}

void
session_shutdown(void)
{
	struct conn	*c;
	int		 i;

	while ((c = TAILQ_FIRST(&conns)) != NULL)
		session_conn_free(c);
	for (i = 0; i < SESSION_LISTENERS; i++) {
		if (listen_ev[i] != NULL)
			event_free(listen_ev[i]);
		if (listen_fd[i] != -1)
			close(listen_fd[i]);
		listen_ev[i] = NULL;
		listen_fd[i] = -1;
	}
}

void
session_set_ext_msg(struct conn *c, int on)
{
	c->ext_msg = on;
}

void
session_set_sendhold(struct conn *c, uint32_t seconds)
{
	c->sendhold = seconds;
}

int
session_set_user_timeout(struct conn *c, uint32_t ms)
{
	unsigned int	 v = ms;

	return setsockopt(c->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &v,
	    sizeof(v));
}

int
session_outgoing(const struct conn *c)
{
	return c->outgoing;
}

int
session_connecting(const struct conn *c)
{
	return c->connecting;
}

void
session_addrs(const struct conn *c, struct tb_addr *local, uint16_t *lport,
    uint16_t *rport)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct tb_addr		 remote;

	memset(local, 0, sizeof(*local));
	*lport = *rport = 0;
	if (getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0)
		addr_from_sa((struct sockaddr *)&ss, local, lport);
	len = sizeof(ss);
	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) == 0)
		addr_from_sa((struct sockaddr *)&ss, &remote, rport);
}
