/*
 * fuzz_open: libFuzzer target for the OPEN reader (bgpd/msg.c).
 *
 * The input is an OPEN body.  What msg_open_parse() accepts is checked
 * against a few local policies with msg_open_check(), and rebuilt with
 * msg_open_build(): the rebuilt message must parse again to the same
 * version, AS, hold time, identifier and 4-octet AS.  Every refusal must
 * carry an OPEN or header error code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpd.h"
#include "log.h"
#include "msg.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct open_expect	 expects[] = {
	{ 64512, 65000, 0x0a000001, 0, 0 },
	{ REMOTE_AS_EXTERNAL, 65000, 0x0a000001, 3, 0 },
	{ 4200000001u, 65000, 0xa9fe0a02, 90,
	    CAPREQ_MP_IPV4 | CAPREQ_AS4 | CAPREQ_ROUTE_REFRESH },
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init(1, 0, "fuzz_open");
	log_setlevel(TB_LOG_ERR);
	return 0;
}

static void
rebuild(const struct bgp_open *o)
{
	struct bgp_open		 o2;
	struct bgp_notify	 err;
	struct buf		 w, b, body;
	uint8_t			 type;
	uint16_t		 len;

	if (buf_init(&w, 128, BGP_EXT_MAX_LEN) == -1)
		abort();
	msg_open_build(&w, o);
	if (buf_error(&w) != 0) {
		buf_free(&w);
		return;
	}
	buf_view(&b, buf_data(&w), buf_len(&w));
	if (msg_hdr_parse(&b, 0, &type, &len, &err) == -1 ||
	    type != BGP_OPEN || buf_get_view(&b, len - BGP_HDR_LEN,
	    &body) == -1 || msg_open_parse(&body, &o2, &err) == -1) {
		fprintf(stderr, "rebuilt OPEN does not parse: %u/%u\n",
		    err.code, err.subcode);
		abort();
	}
	if (o2.version != o->version || o2.my_as != o->my_as ||
	    o2.holdtime != o->holdtime || o2.bgp_id != o->bgp_id ||
	    o2.caps.as4 != o->caps.as4 || o2.caps.mp != o->caps.mp ||
	    (o->caps.as4 && o2.caps.as4_asn != o->caps.as4_asn)) {
		fprintf(stderr, "rebuilt OPEN differs\n");
		abort();
	}
	buf_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_open		 o;
	struct bgp_notify	 err;
	struct buf		 b;
	size_t			 i;

	buf_view(&b, data, size);
	memset(&err, 0, sizeof(err));
	if (msg_open_parse(&b, &o, &err) == -1) {
		if (err.code != ERR_OPEN && err.code != ERR_HEADER)
			abort();
		return 0;
	}
	(void)msg_open_peer_as(&o);
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		if (msg_open_check(&o, &expects[i], &err) == -1 &&
		    err.code != ERR_OPEN)
			abort();
	rebuild(&o);
	return 0;
}
