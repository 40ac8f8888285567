/*
 * nl: the one netlink layer of tbgpd.  Every netlink socket of the
 * daemon (routes, links and addresses, IPsec SAs), of the unit tests and
 * of the benchmarks goes through it; the modules above it keep only what
 * their messages mean:
 *
 *   nl_route.c  rtnetlink route messages (RTM_NEWROUTE, _DELROUTE,
 *               _GETROUTE): building and parsing
 *   kroute.c    one-shot dumps and lookups of the kernel's routes
 *   kif.c       links and addresses (RTM_*LINK, RTM_*ADDR)
 *   xfrm.c      IPsec SAs (NETLINK_XFRM)
 *   fib.c       the FIB engine: which route requests to write, what
 *               their answers and the kernel's route events mean
 *   kernel.c    the FIB engine on its two sockets in the event loop
 *
 * What this layer owns:
 *
 *  - Sockets (struct nl_sock): opening with a protocol, multicast groups
 *    and a receive buffer; our port; sequence numbers; a read buffer of
 *    its own; a filter that drops what one of our other sockets caused.
 *  - Reading: one datagram at a time, or every datagram waiting, with
 *    each message handed to a callback.  Only the kernel (port 0) is
 *    listened to.  Lost messages (ENOBUFS: the receive buffer overflowed;
 *    a datagram cut short by MSG_TRUNC) are reported, never hidden: the
 *    caller's picture may be wrong and it must read everything again.
 *  - Requests and dumps: building a message header and attributes
 *    (4-octet aligned, lengths checked or back-patched), a dump request
 *    of any type, sending a batch of messages in one sendmsg(), and a
 *    blocking transaction (send, then read until the request is answered
 *    or its dump is done) for one-shot questions.
 *  - Walking what the kernel sends: messages cut out of a datagram, the
 *    fixed part of a message body, attributes one after the other, with
 *    every length checked against what is left (a length shorter than
 *    its header or past its container ends the walk; a missing last
 *    padding is tolerated), and typed attribute getters.
 *  - Batching and acknowledgements: many requests in one buffer, sent in
 *    one go; NLM_F_ACK on the last one only (nl_msg_flags_at()), since
 *    the kernel reports a failing request whether or not it was asked to
 *    and handles one socket's requests in order, so the last one's
 *    acknowledgement answers for the batch; nl_parse_error() and
 *    nl_answer() read the answers.
 *
 * Netlink is in host byte order, so fields move whole with buf_put() and
 * buf_get_n(), not with the network-order getters of lib/buf.h.
 *
 * Usage, an event socket in a libevent loop:
 *
 *	struct nl_sock	 s;
 *
 *	if (nl_open(&s, NETLINK_ROUTE, RTMGRP_LINK, 8 << 20, NL_F_NONBLOCK)
 *	    == -1)
 *		... errno says why
 *	event_new(base, s.fd, EV_READ | EV_PERSIST, read_cb, ...);
 *	...
 *	read_cb: if (nl_read(&s, 64, handle_dgram, arg, &lost) == -1) ...;
 *	handle_dgram: nl_walk(dgram, len, handle_msg, arg) or nl_next()...
 *	         if (lost) ... dump everything again ...
 *	nl_close(&s);
 *
 * and a one-shot question:
 *
 *	seq = nl_seq(&s);
 *	nl_dump_put(&b, RTM_GETLINK, &ifi, sizeof(ifi), seq);
 *	rc = nl_transact(&s, &b, seq, 5000, handle_msg, arg);
 */
#ifndef TB_NL_H
#define TB_NL_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "buf.h"

/* ------------------------------------------------------------ sockets */

struct nl_sock {
	int		 fd;		/* -1: closed */
	int		 proto;		/* NETLINK_ROUTE, NETLINK_XFRM... */
	uint32_t	 port;		/* nl_pid the kernel gave us */
	uint32_t	 seq;		/* last sequence number handed out */
	uint8_t		*rbuf;		/* one datagram */
	size_t		 rbuflen;
	uint64_t	 lost;		/* times messages were lost */
};

#define NL_F_NONBLOCK	0x01	/* reads and sends never wait */
#define NL_F_CAP_ACK	0x02	/* acknowledgements without the request */
#define NL_F_STRICT	0x04	/* dumps filtered by the kernel
				 * (NETLINK_GET_STRICT_CHK) */
#define NL_F_FORCE_RCVBUF 0x08	/* fail unless rcvbuf is granted in full
				 * (SO_RCVBUFFORCE, needs CAP_NET_ADMIN);
				 * else the sysctl's limit is accepted */

#define NL_READBUF	(64 * 1024)	/* > NLMSG_GOODSIZE datagrams */

/*
 * Open and bind a socket of proto (NETLINK_ROUTE, NETLINK_XFRM),
 * subscribed to the legacy group bitmask groups (RTMGRP_*; 0: none),
 * with a receive buffer of rcvbuf octets (0: the default) and a read
 * buffer of NL_READBUF.  0, or -1 with errno set and s->fd == -1.
 */
int		 nl_open(struct nl_sock *s, int proto, uint32_t groups,
		    int rcvbuf, int flags);
/* Join one more multicast group by number (XFRMNLGRP_SA...).  0 or -1. */
int		 nl_join(struct nl_sock *, unsigned int group);
/* Close the socket and free its buffer; a closed socket is left alone. */
void		 nl_close(struct nl_sock *);
/*
 * Drop, in the kernel, every message whose nlmsg_pid is port: an event
 * socket thus never hears of the routes another socket of ours just
 * wrote (their acknowledgements tell), so the kernel neither queues nor
 * wakes us for them.  0, or -1 (then everything comes, as before).
 */
int		 nl_ignore_port(struct nl_sock *, uint32_t port);
/* The next sequence number for a request on this socket (never 0). */
uint32_t	 nl_seq(struct nl_sock *);

/* --------------------------------------------------------- sending */

/*
 * Send the whole buffer, one or many messages, in one sendmsg() to the
 * kernel.  0, or -1 with errno (EMSGSIZE when the kernel took less,
 * EAGAIN on a full non-blocking socket).
 */
int		 nl_send(struct nl_sock *, const struct buf *);

/* --------------------------------------------------------- reading */

/* Called for every message walked; m->body is valid during the call. */
struct nl_msg;
typedef void	(*nl_msg_fn)(const struct nl_msg *m, void *arg);
/* Called for every datagram read; valid during the call. */
typedef void	(*nl_dgram_fn)(const void *dgram, size_t len, void *arg);

#define NL_LOST		(-2)	/* see nl_recv() */

/*
 * One datagram from the kernel into s->rbuf, *dgram a view of it:
 * 1 read, 0 nothing waiting (non-blocking socket), NL_LOST messages were
 * lost (ENOBUFS, or this datagram was cut short and is dropped; counted
 * in s->lost), -1 error with errno.  Datagrams from anyone but the
 * kernel are read and dropped (1, with an empty view).
 */
int		 nl_recv(struct nl_sock *, struct buf *dgram);
/*
 * Every datagram waiting, up to max (0: until none waits), each to fn
 * (which walks it with nl_walk() or nl_next()).  *lost is set when
 * messages were lost (NL_LOST above): the caller reads its state again.
 * Returns the datagrams read, or -1 with errno on a socket error.
 */
int		 nl_read(struct nl_sock *, int max, nl_dgram_fn fn, void *arg,
		    int *lost);
/* The messages of one datagram (a test may hand its own): each to fn.
 * 0, or -1 when its rest was malformed and dropped. */
int		 nl_walk(const void *dgram, size_t len, nl_msg_fn fn,
		    void *arg);
/*
 * A blocking question: send req (one request whose sequence is seq),
 * then hand every message of the answer to fn until the kernel has
 * answered seq: NLMSG_DONE of a dump, or the NLMSG_ERROR of the
 * request (an acknowledgement: 0; a request that is not a dump must
 * ask for one with NLM_F_ACK, or its answer has no end).  0, or -1 with errno: the kernel's
 * error, ETIMEDOUT after timeout_ms (0: wait for ever), or the
 * socket's.  Lost messages fail it with ENOBUFS.
 */
int		 nl_transact(struct nl_sock *, const struct buf *req,
		    uint32_t seq, int timeout_ms, nl_msg_fn fn, void *arg);

/* -------------------------------------------------------- building */

/* Space an attribute with a payload of len takes, padding included. */
size_t		 nl_attr_space(size_t len);
/*
 * Start a message: its header with type, flags (NLM_F_REQUEST is
 * added) and seq.  Returns its offset in b, for nl_msg_end() to write
 * the length once the body is there.
 */
size_t		 nl_msg_begin(struct buf *, uint16_t type, uint16_t flags,
		    uint32_t seq);
/* The message started at off ends here: its length is written.  0, or
 * -1 if b failed (buf_error()). */
int		 nl_msg_end(struct buf *, size_t off);
/* A fixed-size part of the body (ifinfomsg, rtmsg...), padded. */
void		 nl_put_fixed(struct buf *, const void *, size_t);
/* An attribute, padded to 4 octets; the u32 one in host order. */
void		 nl_attr_put(struct buf *, uint16_t type, const void *,
		    size_t len);
void		 nl_attr_put_u32(struct buf *, uint16_t type, uint32_t);
/* OR flags (NLM_F_ACK) into, or clear them from, the header of the
 * message written at offset off of b.  0, or -1 if there is none. */
int		 nl_msg_flags_at(struct buf *, size_t off, uint16_t set,
		    uint16_t clear);
/* A dump request: type with NLM_F_DUMP and a fixed body of len (a
 * zeroed ifinfomsg, rtmsg with a family...).  0, or -1 if b failed. */
int		 nl_dump_put(struct buf *, uint16_t type, const void *fixed,
		    size_t len, uint32_t seq);

/* --------------------------------------------------------- parsing */

/* One message cut out of a datagram; body is a view of its payload. */
struct nl_msg {
	uint16_t	 type;
	uint16_t	 flags;
	uint32_t	 seq;
	uint32_t	 pid;
	struct buf	 body;
};

/*
 * nl_next() cuts the next message out of a datagram: 1 and *m set, 0 at
 * the end, -1 when the rest is malformed (a length below the header or
 * past the datagram): the caller drops the rest.
 */
int		 nl_next(struct buf *dgram, struct nl_msg *m);
/* NLMSG_ERROR: *err gets the positive errno (0: an acknowledgement),
 * *seq the sequence of the request it answers.  0 or -1 if truncated. */
int		 nl_parse_error(const struct nl_msg *, int *err, uint32_t *seq);
/*
 * Does m end request seq?  1 for its NLMSG_DONE (*err 0) or the
 * NLMSG_ERROR answering it (*err the positive errno, 0 for an
 * acknowledgement), else 0.
 */
int		 nl_answer(const struct nl_msg *, uint32_t seq, int *err);
/* The fixed part of a body (n octets) and its padding (missing when no
 * attribute follows).  0, or -1 if the body is shorter. */
int		 nl_get_fixed(struct buf *body, void *out, size_t n);
/*
 * The next attribute of a block: 1 with *type (NLA_F_* flags masked)
 * and a view of its payload, 0 at the end, -1 when it is shorter than
 * its header or runs past the block.
 */
int		 nl_attr_next(struct buf *blk, uint16_t *type, struct buf *val);
/* Typed payloads: the size must be exact.  0 or -1. */
int		 nl_attr_u32(struct buf *val, uint32_t *);
int		 nl_attr_u8(struct buf *val, uint8_t *);
/* An IPv4 (4 octets) or IPv6 (16) address of family af. */
int		 nl_attr_addr(struct buf *val, int af, struct tb_addr *);
/* A string, NUL-terminated or not, non-empty and shorter than outlen:
 * a longer one is malformed, never cut (two names must not become one). */
int		 nl_attr_str(struct buf *val, char *out, size_t outlen);

#endif
