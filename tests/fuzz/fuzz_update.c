/*
 * fuzz_update: libFuzzer target for the UPDATE body reader
 * (bgpd/update.c) and the attribute code under it (bgpd/attr.c).
 *
 * The input is an UPDATE body (what follows the 19-octet header).  Each
 * input is read under several sessions (4- and 2-octet AS, external and
 * internal, with our address as a next hop to refuse), every NLRI field
 * update_parse() accepted is walked with nlri_get(), and whatever it
 * accepts is interned and re-encoded: malformed-input.md row 17 says what
 * we send must parse cleanly again, so a re-encoded set that does not
 * parse back as the same set aborts.  Nothing interned may outlive an
 * input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "log.h"
#include "update.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NCTX	4
static struct attr_ctx	 ctxs[NCTX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init(1, 0, "fuzz_update");
	log_setlevel(TB_LOG_ERR);
	ctxs[0].as4 = 1;
	ctxs[0].ebgp = 1;
	ctxs[0].peer_as = 64512;
	ctxs[0].local_as = 65000;
	addr_parse("169.254.10.2", &ctxs[0].local_addr);
	addr_parse("169.254.10.1", &ctxs[0].peer_addr);
	ctxs[1] = ctxs[0];
	ctxs[1].as4 = 0;
	ctxs[2] = ctxs[0];
	ctxs[2].ebgp = 0;
	ctxs[2].peer_as = 65000;
	ctxs[3] = ctxs[1];
	ctxs[3].peer_as = 4200000001u;	/* AS_TRANS on the wire */
	return 0;
}

static void
walk(struct buf field, enum aid aid)
{
	struct tb_prefix	 p;
	int			 r;

	while ((r = nlri_get(&field, aid, &p)) == 1)
		if (p.len > (aid == AID_IPV4_UNICAST ? 32 : 128))
			abort();
	/* update_parse() validated every field it hands out */
	if (r != 0)
		abort();
}

/* Attributes as attr_encode() wrote them, read back on an internal
 * session of the same AS width. */
static struct attr *
reparse(const struct buf *enc, int as4)
{
	struct attr_ctx		 c = ctxs[2];
	struct attr_work	 w;
	struct attr_err		 err;
	struct buf		 b, val, raw;
	uint8_t			 flags, code, l8;
	uint16_t		 len;
	size_t			 start;

	c.as4 = as4;
	attr_work_init(&w);
	buf_view(&b, buf_data(enc), buf_len(enc));
	while (buf_left(&b) > 0) {
		start = b.rpos;
		if (buf_get_u8(&b, &flags) == -1 ||
		    buf_get_u8(&b, &code) == -1)
			abort();
		if (flags & ATTR_F_EXTLEN) {
			if (buf_get_u16(&b, &len) == -1)
				abort();
		} else {
			if (buf_get_u8(&b, &l8) == -1)
				abort();
			len = l8;
		}
		if (buf_get_view(&b, len, &val) == -1)
			abort();
		buf_view(&raw, buf_data(enc) + start, b.rpos - start);
		if (attr_seen(&w, code) ||
		    attr_parse(&w, flags, code, &val, &raw, &c, &err) !=
		    ACT_OK) {
			fprintf(stderr, "re-encoded attribute %u: %s\n", code,
			    err.why);
			abort();
		}
	}
	attr_merge_as4(&w, &c);
	return attr_intern(&w.a);
}

/* The set as a 4-octet peer reads it back: LOCAL_PREF is never sent. */
static struct attr *
as_sent(const struct attr *a)
{
	struct attr	 w;

	attr_copy(&w, a);
	w.flags &= ~ATTRF_LOCAL_PREF;
	w.local_pref = 0;
	return attr_intern(&w);
}

/* What we would send, to a 4-octet and to a 2-octet peer. */
static void
reencode(struct update *u)
{
	struct attr	*a, *b, *want;
	struct buf	 enc;
	int		 as4;

	a = attr_intern(&u->work.a);
	want = as_sent(a);
	for (as4 = 1; as4 >= 0; as4--) {
		if (buf_init(&enc, 256, BGP_EXT_MAX_LEN * 2) == -1)
			abort();
		attr_encode(&enc, a, as4, 1);
		if (buf_error(&enc) == 0) {
			b = reparse(&enc, as4);
			/* 2-octet: RFC 6793 4.2.3 may lose confederation
			 * segments, so only a clean parse is required */
			if (as4 && b != want) {
				fprintf(stderr, "attributes changed\n");
				abort();
			}
			attr_unref(b);
		}
		buf_free(&enc);
	}
	attr_unref(want);
	attr_unref(a);
}

static void
one(const uint8_t *data, size_t size, const struct attr_ctx *ctx)
{
	struct update	 u;
	struct buf	 body;

	buf_view(&body, data, size);
	if (update_parse(&body, ctx, &u) == 0) {
		if (u.err.action == ACT_RESET)
			abort();
		walk(u.withdrawn, AID_IPV4_UNICAST);
		walk(u.nlri, AID_IPV4_UNICAST);
		if (u.has_reach)
			walk(u.reach_nlri, u.reach_aid);
		if (u.has_unreach)
			walk(u.unreach_nlri, u.unreach_aid);
		if (u.err.action <= ACT_DISCARD)
			reencode(&u);
	} else if (u.err.action != ACT_RESET || u.err.notify.code !=
	    ERR_UPDATE)
		abort();
	update_free(&u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	 i;

	for (i = 0; i < NCTX; i++)
		one(data, size, &ctxs[i]);
	if (attr_count() != 0 || aspath_total() != 0 || comms_total() != 0) {
		fprintf(stderr, "interned objects left: %zu %zu %zu\n",
		    attr_count(), aspath_total(), comms_total());
		abort();
	}
	return 0;
}
