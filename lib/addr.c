/*
 * addr: IPv4/IPv6 addresses and prefixes.  Parsing is inet_pton(3) and
 * nothing looser (no "10.1", no hex, no scope ids), printing is
 * inet_ntop(3).  The *_str() helpers return one of a few rotating static
 * buffers so that several can appear in a single printf.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

#define ADDR_NBUF	8	/* *_str() results alive at the same time */
#define PREFIX_STRLEN	(ADDR_STRLEN + 4)

static char *
addr_strbuf(void)
{
	static char	bufs[ADDR_NBUF][PREFIX_STRLEN];
	static unsigned	next;

	return bufs[next++ % ADDR_NBUF];
}

static size_t
addr_len(uint8_t af)
{
	if (af == AF_INET)
		return sizeof(struct in_addr);
	if (af == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

int
addr_parse(const char *s, struct tb_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->u.v6) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return -1;
}

const char *
addr_ntop(const struct tb_addr *a, char *buf, size_t len)
{
	if (a->af != AF_INET && a->af != AF_INET6) {
		snprintf(buf, len, "(unset)");
		return buf;
	}
	if (inet_ntop(a->af, a->u.raw, buf, len) == NULL)
		snprintf(buf, len, "(invalid)");
	return buf;
}

const char *
addr_str(const struct tb_addr *a)
{
	return addr_ntop(a, addr_strbuf(), PREFIX_STRLEN);
}

/* Orders by family first, then by address bytes (network order). */
int
addr_cmp(const struct tb_addr *a, const struct tb_addr *b)
{
	int	r;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	r = memcmp(a->u.raw, b->u.raw, addr_len(a->af));
	return r < 0 ? -1 : r > 0;
}

/* Address order (IPv4 first), then the shorter prefix first. */
int
prefix_cmp(const struct tb_prefix *a, const struct tb_prefix *b)
{
	int	 c;

	if ((c = addr_cmp(&a->addr, &b->addr)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

int
addr_isset(const struct tb_addr *a)
{
	return a->af == AF_INET || a->af == AF_INET6;
}

/* sockaddr for a socket of family sock_af: an IPv4 address becomes
 * ::ffff:a.b.c.d on an IPv6 (dual-stack) socket.  0 if it cannot be. */
socklen_t
addr_to_sa_af(const struct tb_addr *a, int sock_af, uint16_t port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET && sock_af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	if (sock_af != AF_INET6)
		return 0;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	if (a->af == AF_INET6)
		sin6->sin6_addr = a->u.v6;
	else if (a->af == AF_INET) {
		sin6->sin6_addr.s6_addr[10] = 0xff;
		sin6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6->sin6_addr.s6_addr[12], &a->u.v4, 4);
	} else
		return 0;
	return sizeof(*sin6);
}

socklen_t
addr_to_sa(const struct tb_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	return addr_to_sa_af(a, a->af, port, ss);
}

/*
 * A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; they are
 * turned back into IPv4 so that they match the configured neighbor.
 */
int
addr_from_sa(const struct sockaddr *sa, struct tb_addr *a, uint16_t *port)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;

	memset(a, 0, sizeof(*a));
	switch (sa->sa_family) {
	case AF_INET:
		a->af = AF_INET;
		a->u.v4 = sin->sin_addr;
		if (port != NULL)
			*port = ntohs(sin->sin_port);
		return 0;
	case AF_INET6:
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			a->af = AF_INET;
			memcpy(&a->u.v4, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			a->af = AF_INET6;
			a->u.v6 = sin6->sin6_addr;
		}
		if (port != NULL)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -1;
}

/* Clears every bit past the first len bits, up to the end of the
 * storage, so that two equal prefixes are equal bytes too. */
void
prefix_mask(struct tb_prefix *p)
{
	size_t	 i;

	for (i = 0; i < sizeof(p->addr.u.raw); i++) {
		if (p->len >= (i + 1) * 8)
			continue;
		if (p->len <= i * 8)
			p->addr.u.raw[i] = 0;
		else
			p->addr.u.raw[i] &= 0xff << (8 - (p->len - i * 8));
	}
}

/* "A.B.C.D/N" or "X:X::X:X/N"; host bits are accepted and cleared. */
int
prefix_parse(const char *s, struct tb_prefix *p)
{
	char		 abuf[ADDR_STRLEN];
	const char	*slash;
	size_t		 alen;
	unsigned long	 len;
	char		*end;

	memset(p, 0, sizeof(*p));
	if ((slash = strchr(s, '/')) == NULL)
		return -1;
	alen = slash - s;
	if (alen == 0 || alen >= sizeof(abuf))
		return -1;
	memcpy(abuf, s, alen);
	abuf[alen] = '\0';
	if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 3)
		return -1;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || addr_parse(abuf, &p->addr) == -1 ||
	    len > addr_len(p->addr.af) * 8) {
		memset(p, 0, sizeof(*p));
		return -1;
	}
	p->len = len;
	prefix_mask(p);
	return 0;
}

int
prefix_contains(const struct tb_prefix *p, const struct tb_addr *a)
{
	struct tb_prefix	q;

	if (p->addr.af != a->af)
		return 0;
	q.addr = *a;
	q.len = p->len;
	prefix_mask(&q);
	return memcmp(q.addr.u.raw, p->addr.u.raw, addr_len(a->af)) == 0;
}

const char *
prefix_str(const struct tb_prefix *p)
{
	char	*buf = addr_strbuf();
	char	 a[ADDR_STRLEN];

	snprintf(buf, PREFIX_STRLEN, "%s/%u",
	    addr_ntop(&p->addr, a, sizeof(a)), p->len);
	return buf;
}

int
bgpid_parse(const char *s, uint32_t *id)
{
	struct in_addr	in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*id = ntohl(in.s_addr);
	return 0;
}

const char *
bgpid_str(uint32_t id)
{
	char		*buf = addr_strbuf();
	struct in_addr	 in;

	in.s_addr = htonl(id);
	inet_ntop(AF_INET, &in, buf, PREFIX_STRLEN);
	return buf;
}
