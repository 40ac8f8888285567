/*
 * msg: the BGP-4 wire format (RFC 4271) for every message but UPDATE's
 * body: header validation, OPEN with capabilities and RFC 9072 extended
 * optional parameters, KEEPALIVE, NOTIFICATION (with RFC 8203/9003
 * shutdown communication) and ROUTE-REFRESH (RFC 2918/7313).  Parsers take
 * a struct buf and fill a struct; on error they fill a struct bgp_notify
 * with the NOTIFICATION to send.  Builders append a whole message to a
 * writer buf.  Nothing here touches a socket.
 */
#ifndef TB_MSG_H
#define TB_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define BGP_MARKER_LEN		16
#define BGP_HDR_LEN		19
#define BGP_MAX_LEN		4096
#define BGP_EXT_MAX_LEN		65535	/* RFC 8654 */
#define BGP_OPEN_MIN_LEN	29
#define BGP_NOTIFY_MIN_LEN	21
#define BGP_KEEPALIVE_LEN	19
#define BGP_UPDATE_MIN_LEN	23
#define BGP_RREFRESH_LEN	23

enum bgp_msg_type {
	BGP_OPEN = 1,
	BGP_UPDATE = 2,
	BGP_NOTIFICATION = 3,
	BGP_KEEPALIVE = 4,
	BGP_ROUTE_REFRESH = 5,
};

/* NOTIFICATION error codes (RFC 4271 4.5) and their subcodes. */
enum bgp_err {
	ERR_HEADER = 1,
	ERR_OPEN = 2,
	ERR_UPDATE = 3,
	ERR_HOLD = 4,
	ERR_FSM = 5,
	ERR_CEASE = 6,
	ERR_RREFRESH = 7,	/* RFC 7313 */
	ERR_SENDHOLD = 8,	/* RFC 9687 */
};
enum bgp_err_header {
	ERR_HDR_SYNC = 1, ERR_HDR_LEN = 2, ERR_HDR_TYPE = 3,
};
enum bgp_err_open {
	ERR_OPEN_UNSPEC = 0, ERR_OPEN_VERSION = 1, ERR_OPEN_AS = 2,
	ERR_OPEN_BGPID = 3, ERR_OPEN_OPT = 4, ERR_OPEN_HOLD = 6,
	ERR_OPEN_CAPA = 7, ERR_OPEN_ROLE = 11,
};
enum bgp_err_update {
	ERR_UPD_ATTRLIST = 1, ERR_UPD_UNKNWN_WK_ATTR = 2,
	ERR_UPD_MISSNG_WK_ATTR = 3, ERR_UPD_ATTRFLAGS = 4,
	ERR_UPD_ATTRLEN = 5, ERR_UPD_ORIGIN = 6, ERR_UPD_NEXTHOP = 8,
	ERR_UPD_OPTATTR = 9, ERR_UPD_NETWORK = 10, ERR_UPD_ASPATH = 11,
};
enum bgp_err_fsm {
	ERR_FSM_UNSPEC = 0, ERR_FSM_UNEX_OPENSENT = 1,
	ERR_FSM_UNEX_OPENCONFIRM = 2, ERR_FSM_UNEX_ESTABLISHED = 3,
};
enum bgp_err_cease {
	ERR_CEASE_MAX_PREFIX = 1, ERR_CEASE_ADMIN_DOWN = 2,
	ERR_CEASE_PEER_UNCONF = 3, ERR_CEASE_ADMIN_RESET = 4,
	ERR_CEASE_CONN_REJECT = 5, ERR_CEASE_OTHER_CHANGE = 6,
	ERR_CEASE_COLLISION = 7, ERR_CEASE_RSRC_EXHAUST = 8,
	ERR_CEASE_HARD_RESET = 9, ERR_CEASE_BFD_DOWN = 10,
};
enum bgp_err_rrefresh {
	ERR_RR_INV_LEN = 1,
};

/* The NOTIFICATION we send or received. data is bounded, never trusted. */
#define BGP_NOTIFY_DATA_MAX	256
struct bgp_notify {
	uint8_t		code;
	uint8_t		subcode;
	uint16_t	datalen;
	uint8_t		data[BGP_NOTIFY_DATA_MAX];
};

/* Capability codes (IANA). */
enum capa_code {
	CAPA_MP = 1,
	CAPA_ROUTE_REFRESH = 2,
	CAPA_EXT_MSG = 6,
	CAPA_ROLE = 9,
	CAPA_GRACEFUL_RESTART = 64,
	CAPA_AS4 = 65,
	CAPA_ADD_PATH = 69,
	CAPA_ENHANCED_RR = 70,
	CAPA_FQDN = 73,
};

#define AFI_IPV4	1
#define AFI_IPV6	2
#define SAFI_UNICAST	1

#define GR_MAX_AFS	8
struct bgp_caps {
	unsigned	mp;		/* AID_BIT()s of multiprotocol caps */
	int		as4;		/* 4-octet AS capability present */
	uint32_t	as4_asn;
	int		route_refresh;
	int		enhanced_rr;
	int		ext_msg;
	int		gr;		/* graceful restart capability */
	uint8_t		gr_flags;	/* R and N bits (high nibble) */
	uint16_t	gr_time;	/* restart time, 12 bits */
	uint8_t		gr_naf;
	struct {
		uint16_t afi;
		uint8_t	 safi;
		uint8_t	 flags;
	}		gr_af[GR_MAX_AFS];
	unsigned	unknown;	/* count of unknown capabilities */
};

struct bgp_open {
	uint8_t		version;
	uint16_t	my_as;		/* 2-octet field, AS_TRANS if >65535 */
	uint16_t	holdtime;
	uint32_t	bgp_id;		/* host order */
	int		ext_params;	/* RFC 9072 encoding was used */
	struct bgp_caps	caps;
};

/* Capabilities a peer may be required to offer (strict-capability-match):
 * a missing one is refused with 2/7 carrying that capability. */
#define CAPREQ_MP_IPV4		0x01
#define CAPREQ_MP_IPV6		0x02
#define CAPREQ_AS4		0x04
#define CAPREQ_ROUTE_REFRESH	0x08

/* What an OPEN is checked against (local policy for one peer). */
struct open_expect {
	uint32_t	peer_as;	/* configured remote-as, 0: any but local_as */
	uint32_t	local_as;	/* ours (remote-as external) */
	uint32_t	local_id;	/* our BGP identifier */
	uint16_t	min_holdtime;	/* 0: only 1 and 2 are refused */
	unsigned	required_caps;	/* CAPREQ_* the peer must offer */
};

/* Header. ext_msg: RFC 8654 negotiated.  Returns 0 and the type and length
 * or -1 with *err filled (code 1). Needs BGP_HDR_LEN bytes. */
int	 msg_hdr_parse(struct buf *, int ext_msg, uint8_t *type, uint16_t *len,
	    struct bgp_notify *err);

/* Bodies: the buf is a view of exactly the body (after the header). */
int	 msg_open_parse(struct buf *, struct bgp_open *, struct bgp_notify *);
int	 msg_open_check(const struct bgp_open *, const struct open_expect *,
	    struct bgp_notify *);
uint32_t msg_open_peer_as(const struct bgp_open *);
int	 msg_notify_parse(struct buf *, struct bgp_notify *);
int	 msg_rrefresh_parse(struct buf *, uint16_t *afi, uint8_t *safi,
	    uint8_t *subtype, struct bgp_notify *);

/* Builders: append one whole message; the caller checks buf_error(). */
void	 msg_open_build(struct buf *, const struct bgp_open *);
void	 msg_keepalive_build(struct buf *);
void	 msg_notify_build(struct buf *, const struct bgp_notify *);
void	 msg_rrefresh_build(struct buf *, uint16_t afi, uint8_t safi,
	    uint8_t subtype);

/* Helpers to fill a bgp_notify. */
void	 notify_set(struct bgp_notify *, uint8_t code, uint8_t subcode,
	    const void *data, size_t datalen);
void	 notify_set_shutdown(struct bgp_notify *, uint8_t subcode,
	    const char *msg);	/* RFC 9003 communication */

/* Names for logs. */
const char *msg_type_name(uint8_t);
const char *msg_err_name(uint8_t code);
const char *msg_suberr_name(uint8_t code, uint8_t subcode);
/* "Cease/Administrative Shutdown" plus the sanitized shutdown text if any,
 * written into out (always NUL-terminated). */
const char *msg_notify_str(const struct bgp_notify *, char *out, size_t);
/* Sanitized RFC 9003 communication (printable UTF-8 kept, control bytes
 * escaped, length byte never trusted). Returns 0 if data holds one. */
int	 msg_shutdown_text(const struct bgp_notify *, char *out, size_t);

#endif
