/*
 * addr: IPv4/IPv6 addresses and prefixes, parsed, printed, compared and
 * converted to and from sockaddrs.
 */
#ifndef TB_ADDR_H
#define TB_ADDR_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <stdint.h>

#define ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

struct tb_addr {
	uint8_t	af;		/* AF_INET, AF_INET6, or 0 when unset */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
		uint8_t		raw[16];
	} u;
};

struct tb_prefix {
	struct tb_addr	addr;
	uint8_t		len;
};

int		 addr_parse(const char *, struct tb_addr *);	/* 0 or -1 */
const char	*addr_ntop(const struct tb_addr *, char *, size_t);
const char	*addr_str(const struct tb_addr *);	/* static, rotating */
int		 addr_cmp(const struct tb_addr *, const struct tb_addr *);
int		 addr_isset(const struct tb_addr *);
socklen_t	 addr_to_sa_af(const struct tb_addr *, int, uint16_t,
		    struct sockaddr_storage *);
socklen_t	 addr_to_sa(const struct tb_addr *, uint16_t,
		    struct sockaddr_storage *);
int		 addr_from_sa(const struct sockaddr *, struct tb_addr *,
		    uint16_t *);
int		 prefix_parse(const char *, struct tb_prefix *);
int		 prefix_contains(const struct tb_prefix *, const struct tb_addr *);
int		 prefix_cmp(const struct tb_prefix *, const struct tb_prefix *);
void		 prefix_mask(struct tb_prefix *);	/* clear host bits */
const char	*prefix_str(const struct tb_prefix *);	/* static, rotating */
/* BGP identifiers are IPv4-shaped 32-bit numbers in host order. */
int		 bgpid_parse(const char *, uint32_t *);
const char	*bgpid_str(uint32_t);			/* static, rotating */

#endif
