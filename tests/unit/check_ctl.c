/*
 * check_ctl: the control path piece by piece.  The framing of the
 * control protocol (lib/ctlproto.c) on hand-built bytes; the JSON writer
 * (lib/json.c) against a small strict parser; the command matcher and
 * completion (lib/cmd.c) on a table of its own; then the daemon's control
 * socket (bgpd/ctl.c, bgpd/ctl_*.c) end to end: a real socket in a
 * temporary directory, fake peers in the global peer list, requests sent
 * as a client would and answers read back through the event loop.
 * Last, the route commands (bgpd/ctl_route.c) over a RIB built here with
 * rib.c and attr.c, put in through show_set_rde_for_tests(): the RIB
 * needs no session, and the tests need no RDE.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <event2/event.h>

#include "adjout.h"
#include "attr.h"
#include "bgpd.h"
#include "buf.h"
#include "cmd.h"
#include "ctl.h"
#include "ctl_show.h"
#include "ctl_table.h"
#include "ctlproto.h"
#include "fib.h"
#include "json.h"
#include "log.h"
#include "peer.h"
#include "rib.h"

/* ------------------------------------------------------------- framing */

static size_t
mkframe(uint8_t *p, uint32_t len, uint8_t ver, uint8_t type,
    const void *pl, size_t pllen)
{
	p[0] = len >> 24;
	p[1] = len >> 16;
	p[2] = len >> 8;
	p[3] = len;
	p[4] = ver;
	p[5] = type;
	p[6] = p[7] = 0;
	memcpy(p + 8, pl, pllen);
	return 8 + pllen;
}

static int
get1(const uint8_t *p, size_t n, size_t max, struct ctl_frame *f,
    const char **err, size_t *consumed)
{
	struct buf	 b;
	int		 r;

	buf_view(&b, p, n);
	r = ctl_frame_get(&b, max, f, err);
	*consumed = n - buf_left(&b);
	return r;
}

START_TEST(t_frame_good)
{
	uint8_t		 p[64];
	struct ctl_frame f;
	const char	*err;
	size_t		 n, used, two;

	n = mkframe(p, 8 + 13, CTL_VERSION, CTL_REQUEST, "show version", 13);
	two = n + mkframe(p + n, 8 + 2, CTL_VERSION, CTL_END, "\0\1", 2);
	ck_assert_int_eq(get1(p, two, CTL_MAX_REQ, &f, &err, &used), 1);
	ck_assert_uint_eq(used, n);
	ck_assert_uint_eq(f.type, CTL_REQUEST);
	ck_assert_uint_eq(f.len, 13);
	ck_assert_str_eq((const char *)f.payload, "show version");
	ck_assert_int_eq(get1(p + n, two - n, CTL_MAX_FRAME, &f, &err,
	    &used), 1);
	ck_assert_uint_eq(f.type, CTL_END);
	ck_assert_uint_eq(f.len, 2);
	ck_assert_uint_eq(f.payload[1], 1);
}
END_TEST

START_TEST(t_frame_partial)
{
	uint8_t		 p[64];
	struct ctl_frame f;
	const char	*err;
	size_t		 n, i, used;

	n = mkframe(p, 8 + 13, CTL_VERSION, CTL_REQUEST, "show version", 13);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(get1(p, i, CTL_MAX_REQ, &f, &err, &used), 0);
		ck_assert_uint_eq(used, 0);
		ck_assert_ptr_null(err);
	}
	ck_assert_int_eq(get1(p, n, CTL_MAX_REQ, &f, &err, &used), 1);
}
END_TEST

/* Each malformed header is refused as soon as the header is in. */
static void
expect_bad(const uint8_t *p, size_t n, size_t max, const char *why)
{
	struct ctl_frame f;
	const char	*err = NULL;
	size_t		 used;

	ck_assert_int_eq(get1(p, n, max, &f, &err, &used), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, why) != NULL, "'%s' lacks '%s'", err, why);
	ck_assert_uint_eq(used, 0);
}

START_TEST(t_frame_bad_header)
{
	uint8_t	 p[64];

	mkframe(p, 8 + 2, 2, CTL_REQUEST, "x", 2);
	expect_bad(p, 8, CTL_MAX_REQ, "version");
	mkframe(p, 8 + 2, CTL_VERSION, 9, "x", 2);
	expect_bad(p, 8, CTL_MAX_REQ, "type");
	mkframe(p, 8 + 2, CTL_VERSION, 0, "x", 2);
	expect_bad(p, 8, CTL_MAX_REQ, "type");
	mkframe(p, 7, CTL_VERSION, CTL_REQUEST, "", 0);
	expect_bad(p, 8, CTL_MAX_REQ, "shorter");
	mkframe(p, 0, CTL_VERSION, CTL_DATA, "", 0);
	expect_bad(p, 8, CTL_MAX_FRAME, "shorter");
	mkframe(p, 8 + 2, CTL_VERSION, CTL_REQUEST, "x", 2);
	p[7] = 1;
	expect_bad(p, 10, CTL_MAX_REQ, "reserved");
	mkframe(p, 8 + 3, CTL_VERSION, CTL_END, "\0\0\0", 3);
	expect_bad(p, 11, CTL_MAX_FRAME, "END");
}
END_TEST

START_TEST(t_frame_oversized)
{
	uint8_t		 p[16];
	struct ctl_frame f;
	const char	*err;
	size_t		 used;

	/* One byte over the request limit: refused with the header only. */
	mkframe(p, CTL_MAX_REQ + 1, CTL_VERSION, CTL_REQUEST, "", 0);
	expect_bad(p, 8, CTL_MAX_REQ, "too long");
	/* Exactly the limit is only waiting for its body. */
	mkframe(p, CTL_MAX_REQ, CTL_VERSION, CTL_REQUEST, "", 0);
	ck_assert_int_eq(get1(p, 8, CTL_MAX_REQ, &f, &err, &used), 0);
	mkframe(p, CTL_MAX_FRAME + 1, CTL_VERSION, CTL_DATA, "", 0);
	expect_bad(p, 8, CTL_MAX_FRAME, "too long");
	mkframe(p, 0xffffffffu, CTL_VERSION, CTL_DATA, "", 0);
	expect_bad(p, 8, CTL_MAX_FRAME, "too long");
}
END_TEST

START_TEST(t_frame_request_nul)
{
	uint8_t	 p[64];
	size_t	 n;

	n = mkframe(p, 8 + 12, CTL_VERSION, CTL_REQUEST, "show version", 12);
	expect_bad(p, n, CTL_MAX_REQ, "not NUL-terminated");
	n = mkframe(p, 8, CTL_VERSION, CTL_REQUEST, "", 0);
	expect_bad(p, n, CTL_MAX_REQ, "not NUL-terminated");
	n = mkframe(p, 8 + 13, CTL_VERSION, CTL_REQUEST, "show\0version", 13);
	expect_bad(p, n, CTL_MAX_REQ, "NUL inside");
	/* DATA is text, not a C string: NULs are no error there. */
	n = mkframe(p, 8 + 3, CTL_VERSION, CTL_DATA, "a\0b", 3);
	{
		struct ctl_frame f;
		const char	*err;
		size_t		 used;

		ck_assert_int_eq(get1(p, n, CTL_MAX_FRAME, &f, &err, &used), 1);
	}
}
END_TEST

/* A long DATA answer is cut into frames no reader may refuse. */
START_TEST(t_frame_put_split)
{
	struct buf	 out, in;
	struct ctl_frame f;
	const char	*err;
	size_t		 total = 3 * CTL_MAX_FRAME + 17, got = 0, i;
	uint8_t		*src = malloc(total);
	int		 r, frames = 0, end = 0;

	for (i = 0; i < total; i++)
		src[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(buf_init(&out, 1024, 8 * CTL_MAX_FRAME), 0);
	ctl_frame_put(&out, CTL_DATA, src, total);
	ctl_end_put(&out, 0x1234);
	ck_assert_int_eq(buf_error(&out), 0);
	buf_view(&in, buf_data(&out), buf_len(&out));
	while ((r = ctl_frame_get(&in, CTL_MAX_FRAME, &f, &err)) == 1) {
		if (f.type == CTL_END) {
			ck_assert_uint_eq(f.payload[0] << 8 | f.payload[1],
			    0x1234);
			end = 1;
			continue;
		}
		ck_assert_int_eq(memcmp(f.payload, src + got, f.len), 0);
		got += f.len;
		frames++;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(buf_left(&in), 0);
	ck_assert_uint_eq(got, total);
	ck_assert_int_eq(frames, 4);
	ck_assert_int_eq(end, 1);
	/* A request may not be split: too big is the writer's error. */
	buf_reset(&out);
	ctl_frame_put(&out, CTL_REQUEST, src, CTL_MAX_FRAME);
	ck_assert_int_ne(buf_error(&out), 0);
	buf_free(&out);
	free(src);
}
END_TEST

/* An ENTRY payload: flags, then raw bytes (the strings and their NULs). */
static size_t
mkentry(uint8_t *p, uint16_t flags, const void *strs, size_t len)
{
	uint8_t	 pl[CTL_MAX_FRAME];

	pl[0] = flags >> 8;
	pl[1] = flags & 0xff;
	memcpy(pl + 2, strs, len);
	return mkframe(p, (uint32_t)(8 + 2 + len), CTL_VERSION, CTL_ENTRY, pl,
	    2 + len);
}

START_TEST(t_frame_describe)
{
	uint8_t		 p[64];
	struct buf	 out, in;
	struct ctl_frame f;
	const char	*err;
	size_t		 n, used;

	/* What the shell writes is what the daemon takes. */
	ck_assert_int_eq(buf_init(&out, 64, 64), 0);
	ctl_describe_put(&out);
	ck_assert_int_eq(buf_error(&out), 0);
	ck_assert_uint_eq(buf_len(&out), CTL_HDR_LEN);
	buf_view(&in, buf_data(&out), buf_len(&out));
	ck_assert_int_eq(ctl_frame_get(&in, CTL_MAX_REQ, &f, &err), 1);
	ck_assert_uint_eq(f.type, CTL_DESCRIBE);
	ck_assert_uint_eq(f.len, 0);
	buf_free(&out);
	/* A DESCRIBE carries nothing: a payload is refused at the header. */
	n = mkframe(p, 8 + 1, CTL_VERSION, CTL_DESCRIBE, "", 1);
	expect_bad(p, 8, CTL_MAX_REQ, "DESCRIBE frame with a payload");
	n = mkframe(p, 8 + 13, CTL_VERSION, CTL_DESCRIBE, "show version", 13);
	expect_bad(p, n, CTL_MAX_REQ, "DESCRIBE frame with a payload");
	n = mkframe(p, 7, CTL_VERSION, CTL_DESCRIBE, "", 0);
	expect_bad(p, 8, CTL_MAX_REQ, "shorter");
	/* Two in a row are two requests. */
	n = mkframe(p, 8, CTL_VERSION, CTL_DESCRIBE, "", 0);
	n += mkframe(p + n, 8, CTL_VERSION, CTL_DESCRIBE, "", 0);
	ck_assert_int_eq(get1(p, n, CTL_MAX_REQ, &f, &err, &used), 1);
	ck_assert_uint_eq(used, 8);
}
END_TEST

START_TEST(t_frame_entry)
{
	static uint8_t	 p[CTL_MAX_FRAME + 16];
	struct buf	 out, in;
	struct ctl_frame f;
	struct ctl_entry e;
	const char	*err;
	char		*big;
	size_t		 n;

	ck_assert_int_eq(buf_init(&out, 64, CTL_MAX_FRAME), 0);
	ctl_entry_put(&out, CMD_F_RO | CMD_F_JSON, "show bgp summary",
	    "S\nB\nSum\n");
	ck_assert_int_eq(buf_error(&out), 0);
	buf_view(&in, buf_data(&out), buf_len(&out));
	ck_assert_int_eq(ctl_frame_get(&in, CTL_MAX_FRAME, &f, &err), 1);
	ck_assert_int_eq(ctl_entry_get(&f, &e), 0);
	ck_assert_uint_eq(e.flags, CMD_F_RO | CMD_F_JSON);
	ck_assert_str_eq(e.words, "show bgp summary");
	ck_assert_str_eq(e.help, "S\nB\nSum\n");
	/* An END is no ENTRY. */
	buf_reset(&out);
	ctl_end_put(&out, 0);
	buf_view(&in, buf_data(&out), buf_len(&out));
	ck_assert_int_eq(ctl_frame_get(&in, CTL_MAX_FRAME, &f, &err), 1);
	ck_assert_int_eq(ctl_entry_get(&f, &e), -1);

	/* Bad lengths and missing NULs, each refused before anyone reads
	 * the strings. */
	n = mkentry(p, 0, "", 0);
	expect_bad(p, n, CTL_MAX_FRAME, "too short");
	n = mkframe(p, 8 + 1, CTL_VERSION, CTL_ENTRY, "\0", 1);
	expect_bad(p, n, CTL_MAX_FRAME, "too short");
	n = mkentry(p, 0, "show\0S", 6);
	expect_bad(p, n, CTL_MAX_FRAME, "not NUL-terminated");
	n = mkentry(p, 0, "show S\n", 7);
	expect_bad(p, n, CTL_MAX_FRAME, "not NUL-terminated");
	n = mkentry(p, 0, "show\n", 6);
	expect_bad(p, n, CTL_MAX_FRAME, "without help");
	n = mkentry(p, 0, "\0S\n", 4);
	expect_bad(p, n, CTL_MAX_FRAME, "without words");
	n = mkentry(p, 0, "show\0S\n\0x\0", 10);
	expect_bad(p, n, CTL_MAX_FRAME, "NUL inside ENTRY");
	n = mkentry(p, 0, "show\0\0\0", 7);
	expect_bad(p, n, CTL_MAX_FRAME, "NUL inside ENTRY");
	/* Empty help is still two strings. */
	n = mkentry(p, 0, "x\0\0", 3);
	{
		size_t	 used;

		ck_assert_int_eq(get1(p, n, CTL_MAX_FRAME, &f, &err, &used),
		    1);
		ck_assert_int_eq(ctl_entry_get(&f, &e), 0);
		ck_assert_str_eq(e.help, "");
	}

	/* Oversized: refused at the header even where the reader would
	 * take a DATA frame that long; the writer will not make one. */
	mkframe(p, CTL_MAX_ENTRY + 1, CTL_VERSION, CTL_ENTRY, "", 0);
	expect_bad(p, 8, CTL_MAX_FRAME, "too long for its type");
	mkframe(p, CTL_MAX_ENTRY + 1, CTL_VERSION, CTL_ENTRY, "", 0);
	expect_bad(p, 8, CTL_MAX_REQ, "too long");
	ck_assert_ptr_nonnull(big = malloc(CTL_MAX_ENTRY));
	memset(big, 'w', CTL_MAX_ENTRY - 1);
	big[CTL_MAX_ENTRY - 1] = '\0';
	buf_reset(&out);
	ctl_entry_put(&out, 0, big, "h\n");
	ck_assert_int_ne(buf_error(&out), 0);
	/* Exactly the limit is fine. */
	big[CTL_MAX_ENTRY - CTL_HDR_LEN - 2 - 2] = '\0';
	buf_free(&out);
	ck_assert_int_eq(buf_init(&out, 64, CTL_MAX_FRAME), 0);
	ctl_entry_put(&out, 0, big, "");
	ck_assert_int_eq(buf_error(&out), 0);
	ck_assert_uint_eq(buf_len(&out), CTL_MAX_ENTRY);
	buf_view(&in, buf_data(&out), buf_len(&out));
	ck_assert_int_eq(ctl_frame_get(&in, CTL_MAX_FRAME, &f, &err), 1);
	free(big);
	buf_free(&out);
}
END_TEST

/* ------------------------------------------------------ a strict JSON check */

static int jc_value(const char **);

static void
jc_ws(const char **s)
{
	while (**s == ' ' || **s == '\n' || **s == '\t' || **s == '\r')
		(*s)++;
}

static int
jc_string(const char **s)
{
	const char	*p = *s;
	int		 i;

	if (*p++ != '"')
		return -1;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return -1;	/* also catches the end of input */
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			for (i = 1; i <= 4; i++)
				if (!isxdigit((unsigned char)p[i]))
					return -1;
			p += 4;
		} else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0')
			return -1;
	}
	*s = p + 1;
	return 0;
}

static int
jc_members(const char **s, char close, int keyed)
{
	(*s)++;
	jc_ws(s);
	if (**s == close) {
		(*s)++;
		return 0;
	}
	for (;;) {
		jc_ws(s);
		if (keyed) {
			if (jc_string(s) == -1)
				return -1;
			jc_ws(s);
			if (*(*s)++ != ':')
				return -1;
		}
		if (jc_value(s) == -1)
			return -1;
		jc_ws(s);
		if (**s == close) {
			(*s)++;
			return 0;
		}
		if (*(*s)++ != ',')
			return -1;
	}
}

static int
jc_value(const char **s)
{
	jc_ws(s);
	if (**s == '{')
		return jc_members(s, '}', 1);
	if (**s == '[')
		return jc_members(s, ']', 0);
	if (**s == '"')
		return jc_string(s);
	if (strncmp(*s, "true", 4) == 0 || strncmp(*s, "null", 4) == 0) {
		*s += 4;
		return 0;
	}
	if (strncmp(*s, "false", 5) == 0) {
		*s += 5;
		return 0;
	}
	if (**s == '-' || isdigit((unsigned char)**s)) {
		(*s)++;
		while (isdigit((unsigned char)**s))
			(*s)++;
		return 0;
	}
	return -1;
}

static int
jc_valid(const char *s)
{
	if (jc_value(&s) == -1)
		return 0;
	jc_ws(&s);
	return *s == '\0';
}

START_TEST(t_json_checker)
{
	/* The checker itself must refuse what a real parser refuses. */
	ck_assert(jc_valid("{\"a\":[1,true,\"x\\u0001\"],\"b\":{}}\n"));
	ck_assert(!jc_valid("{\"a\":\"\x01\"}"));
	ck_assert(!jc_valid("{\"a\":\"\\x01\"}"));
	ck_assert(!jc_valid("{\"a\":1,}"));
	ck_assert(!jc_valid("{\"a\":\"b\"c\"}"));
	ck_assert(!jc_valid("{\"a\":1}}"));
}
END_TEST

/* ------------------------------------------------------ the JSON writer */

/* What the writer made of one top-level string. */
static const char *
jw_quote(struct buf *b, const char *in)
{
	struct json	 j;

	buf_reset(b);
	json_init(&j, b);
	json_string(&j, NULL, in);
	ck_assert_int_eq(json_end(&j), 0);
	buf_put_u8(b, 0);
	ck_assert_msg(jc_valid((const char *)buf_data(b)), "invalid: %s",
	    (const char *)buf_data(b));
	return (const char *)buf_data(b);
}

START_TEST(t_jw_layout)
{
	struct buf	 b;
	struct json	 j;

	buf_init(&b, 64, 4096);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "a", "x");
	json_array_open(&j, "list");
	json_uint(&j, NULL, UINT64_MAX);
	json_int(&j, NULL, INT64_MIN);
	json_bool(&j, NULL, 0);
	json_null(&j, NULL);
	json_object_open(&j, NULL);
	json_bool(&j, "t", 7);
	json_object_close(&j);
	json_array_close(&j);
	json_array_open(&j, "empty");
	json_array_close(&j);
	json_object_close(&j);
	ck_assert_int_eq(json_end(&j), 0);
	buf_put_u8(&b, 0);
	ck_assert_str_eq((const char *)buf_data(&b), "{\n"
	    "  \"a\":\"x\",\n"
	    "  \"list\":[\n"
	    "    18446744073709551615,\n"
	    "    -9223372036854775808,\n"
	    "    false,\n"
	    "    null,\n"
	    "    {\n"
	    "      \"t\":true\n"
	    "    }\n"
	    "  ],\n"
	    "  \"empty\":[\n"
	    "  ]\n"
	    "}\n");
	ck_assert(jc_valid((const char *)buf_data(&b)));
	buf_free(&b);
}
END_TEST

/* RFC 8259 section 7 escapes; what is not UTF-8 becomes U+FFFD. */
START_TEST(t_jw_escape)
{
	struct buf	 b;
	const char	*valid = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
			    "\xed\x9f\xbf\xf4\x8f\xbf\xbf";
	char		 want[64];

	buf_init(&b, 64, 4096);
	ck_assert_str_eq(jw_quote(&b, "a\"b"), "\"a\\\"b\"\n");
	ck_assert_str_eq(jw_quote(&b, "\\"), "\"\\\\\"\n");
	ck_assert_str_eq(jw_quote(&b, "\n\t/"), "\"\\n\\t/\"\n");
	ck_assert_str_eq(jw_quote(&b, "\x01\x1f\x7f"),
	    "\"\\u0001\\u001f\\u007f\"\n");
	ck_assert_str_eq(jw_quote(&b, "\xff"), "\"\\ufffd\"\n");
	/* Overlong, surrogate, truncated, past U+10FFFF, bad lead. */
	ck_assert_str_eq(jw_quote(&b, "\xc0\x80"), "\"\\ufffd\\ufffd\"\n");
	ck_assert_str_eq(jw_quote(&b, "\xe0\x9f\xbf"),
	    "\"\\ufffd\\ufffd\\ufffd\"\n");
	ck_assert_str_eq(jw_quote(&b, "\xed\xa0\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\"\n");
	ck_assert_str_eq(jw_quote(&b, "x\xe2\x82"), "\"x\\ufffd\\ufffd\"\n");
	ck_assert_str_eq(jw_quote(&b, "\xf4\x90\x80\x80"),
	    "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n");
	ck_assert_str_eq(jw_quote(&b, "\xf5\x80"), "\"\\ufffd\\ufffd\"\n");
	snprintf(want, sizeof(want), "\"%s\"\n", valid);
	ck_assert_str_eq(jw_quote(&b, valid), want);
	ck_assert_uint_eq(json_utf8_len((const unsigned char *)"\xf0\x9f\x98"
	    "\x80"), 4);
	ck_assert_uint_eq(json_utf8_len((const unsigned char *)"a"), 1);
	ck_assert_uint_eq(json_utf8_len((const unsigned char *)""), 0);
	ck_assert_uint_eq(json_utf8_len((const unsigned char *)"\x80"), 0);
	buf_free(&b);
}
END_TEST

/* Each misuse is a sticky error; none leaves a stray bracket behind. */
START_TEST(t_jw_misuse)
{
	struct buf	 b;
	struct json	 j;
	int		 i;

	buf_init(&b, 64, 4096);
	json_init(&j, &b);
	ck_assert_int_eq(json_end(&j), -1);		/* nothing written */
	json_object_open(&j, NULL);
	ck_assert_int_eq(json_end(&j), -1);		/* not closed */
	json_uint(&j, NULL, 1);				/* no key in object */
	json_object_close(&j);
	ck_assert_int_eq(json_end(&j), -1);

	json_init(&j, &b);
	json_array_open(&j, NULL);
	json_uint(&j, "k", 1);				/* key in array */
	json_array_close(&j);
	ck_assert_int_eq(json_end(&j), -1);

	json_init(&j, &b);
	json_object_open(&j, "k");			/* key at the top */
	json_object_close(&j);
	ck_assert_int_eq(json_end(&j), -1);

	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_array_close(&j);				/* wrong close */
	ck_assert_int_eq(j.depth, 1);
	json_object_close(&j);
	json_object_close(&j);				/* one too many */
	ck_assert_int_eq(json_end(&j), -1);

	json_init(&j, &b);
	json_null(&j, NULL);
	ck_assert_int_eq(json_end(&j), 0);
	json_null(&j, NULL);				/* a second value */
	ck_assert_int_eq(json_end(&j), -1);

	/* JSON_MAX_DEPTH levels are fine; one more is refused unwritten. */
	buf_reset(&b);
	json_init(&j, &b);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_open(&j, NULL);
	ck_assert_int_eq(j.err, 0);
	json_array_open(&j, NULL);
	ck_assert_int_eq(j.err, 1);
	ck_assert_int_eq(j.depth, JSON_MAX_DEPTH);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		json_array_close(&j);
	ck_assert_int_eq(json_end(&j), -1);
	buf_put_u8(&b, 0);
	ck_assert(jc_valid((const char *)buf_data(&b)));
	buf_free(&b);
}
END_TEST

/* --------------------------------------------------------- the matcher */

static int
t_handler(const struct cmd_match *m, void *ctx)
{
	(*(int *)ctx)++;
	return (int)m->entry->arg;
}

static const struct cmd_entry t_entries[] = {
	{ "show bgp summary", "S\nB\nSum\n", t_handler, 1, CMD_F_JSON },
	{ "show bgp ipv4 unicast summary", "S\nB\nv4\nuni\nSum\n", t_handler,
	    2, CMD_F_JSON },
	{ "show bgp ipv6 unicast summary", "S\nB\nv6\nuni\nSum\n", t_handler,
	    3, CMD_F_JSON },
	{ "show bgp neighbors A.B.C.D|X:X::X:X", "S\nB\nN\nv4 addr\nv6 addr\n",
	    t_handler, 4, CMD_F_JSON | CMD_F_RO },
	{ "show version", "S\nVer\n", t_handler, 5, CMD_F_RO },
	{ "set timers (1-65535) WORD", "Set\nT\nSecs\nName\n", t_handler, 6,
	    0 },
	{ "clear ip|ipv6 all", "C\nIPv4\nIPv6\nAll\n", t_handler, 7, 0 },
};
static const struct cmd_table t_table = {
	t_entries, sizeof(t_entries) / sizeof(t_entries[0])
};

static struct cmd_line	 t_line;	/* argv points into it */

static enum cmd_status
t_match(const char *line, struct cmd_match *m)
{
	ck_assert_int_eq(cmd_split(line, &t_line), 0);
	return cmd_match(&t_table, &t_line, m);
}

static void
expect_fail(const char *line, enum cmd_status st, int at)
{
	struct cmd_match m;

	ck_assert_msg(t_match(line, &m) == st, "'%s': status %d, not %d",
	    line, m.status, st);
	ck_assert_msg(m.at == at, "'%s': at %d, not %d", line, m.at, at);
	ck_assert_ptr_null(m.entry);
}

START_TEST(t_cmd_split)
{
	struct cmd_line	 l;
	char		 line[CMD_MAX_LINE + 1];
	int		 i;

	ck_assert_int_eq(cmd_split("  sh\tbgp  su ", &l), 0);
	ck_assert_int_eq(l.n, 3);
	ck_assert_str_eq(l.w[0], "sh");
	ck_assert_str_eq(l.w[2], "su");
	ck_assert_uint_eq(l.off[0], 2);
	ck_assert_uint_eq(l.off[1], 5);
	ck_assert_uint_eq(l.off[2], 10);
	ck_assert_int_eq(l.open, 0);
	ck_assert_int_eq(cmd_split("show bgp", &l), 0);
	ck_assert_int_eq(l.open, 1);
	ck_assert_int_eq(cmd_split("", &l), 0);
	ck_assert_int_eq(l.n, 0);
	ck_assert_int_eq(l.open, 0);
	for (i = 0; i < CMD_MAX_WORDS; i++)
		memcpy(line + 2 * i, "w ", 2);
	line[2 * i] = '\0';
	ck_assert_int_eq(cmd_split(line, &l), 0);
	ck_assert_int_eq(l.n, CMD_MAX_WORDS);
	strcat(line, "w");
	ck_assert_int_eq(cmd_split(line, &l), -1);
	memset(line, 'x', CMD_MAX_LINE);
	line[CMD_MAX_LINE] = '\0';
	ck_assert_int_eq(cmd_split(line, &l), -1);
}
END_TEST

START_TEST(t_cmd_match)
{
	struct cmd_match m;
	int		 calls = 0;

	ck_assert_int_eq(t_match("sh b su", &m), CMD_OK);
	ck_assert_uint_eq(m.entry->arg, 1);
	ck_assert_int_eq(m.json, 0);
	ck_assert_int_eq(m.entry->run(&m, &calls), 1);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(t_match("show bgp summary j", &m), CMD_OK);
	ck_assert_int_eq(m.json, 1);
	ck_assert_int_eq(t_match("show bgp ipv6 u s json", &m), CMD_OK);
	ck_assert_uint_eq(m.entry->arg, 3);
	ck_assert_int_eq(t_match("sh b n 10.0.0.1", &m), CMD_OK);
	ck_assert_uint_eq(m.entry->arg, 4);
	ck_assert_int_eq(m.argc, 1);
	ck_assert_str_eq(m.argv[0], "10.0.0.1");
	ck_assert_int_eq(t_match("sh b n fd00::1 js", &m), CMD_OK);
	ck_assert_int_eq(m.json, 1);
	ck_assert_int_eq(m.argc, 1);
	ck_assert_str_eq(m.argv[0], "fd00::1");
	ck_assert_int_eq(t_match("se t 65535 hold", &m), CMD_OK);
	ck_assert_int_eq(m.argc, 2);
	ck_assert_str_eq(m.argv[0], "65535");
	ck_assert_str_eq(m.argv[1], "hold");
	/* An exact alternative beats the one it abbreviates. */
	ck_assert_int_eq(t_match("clear ip all", &m), CMD_OK);
	ck_assert_int_eq(t_match("clear ipv a", &m), CMD_OK);
	ck_assert_uint_eq(m.entry->arg, 7);
}
END_TEST

/* Every failure names the word a shell would put its marker under. */
START_TEST(t_cmd_match_errors)
{
	expect_fail("bogus", CMD_UNKNOWN, 0);
	expect_fail("show bogus", CMD_UNKNOWN, 1);
	expect_fail("show bgp summary json extra", CMD_UNKNOWN, 4);
	expect_fail("show version json", CMD_UNKNOWN, 2);
	expect_fail("show bgp neighbors 10.0.0.256", CMD_UNKNOWN, 3);
	expect_fail("set timers 0 x", CMD_UNKNOWN, 2);
	expect_fail("set timers 65536 x", CMD_UNKNOWN, 2);
	expect_fail("set timers 3x x", CMD_UNKNOWN, 2);
	expect_fail("s", CMD_AMBIGUOUS, 0);		/* show or set */
	expect_fail("show bgp i unicast summary", CMD_AMBIGUOUS, 2);
	expect_fail("clear i all", CMD_AMBIGUOUS, 1);	/* ip or ipv6 */
	expect_fail("show bgp", CMD_INCOMPLETE, 2);
	expect_fail("set timers 30", CMD_INCOMPLETE, 3);
	expect_fail("", CMD_UNKNOWN, 0);
	ck_assert_str_eq(cmd_status_str(CMD_AMBIGUOUS), "Ambiguous command");
	ck_assert_str_eq(cmd_status_str(CMD_INCOMPLETE),
	    "Incomplete command");
	ck_assert_str_eq(cmd_status_str(CMD_UNKNOWN), "Unknown command");
}
END_TEST

static const char *
t_errtext(const char *line, char *out, size_t len)
{
	struct cmd_match m;

	ck_assert_int_ne(t_match(line, &m), CMD_OK);
	ck_assert_int_gt(cmd_error_text(line, m.status, m.at, out, len), 0);
	return out;
}

/* The marker sits under the word the matcher names, in the echo. */
START_TEST(t_cmd_error_text)
{
	char	 s[CMD_ERR_MAX], small[24];

	ck_assert_str_eq(t_errtext("sh bgp bogus", s, sizeof(s)),
	    "% Unknown command: sh bgp bogus\n"
	    "                          ^\n");
	ck_assert_str_eq(t_errtext("bogus", s, sizeof(s)),
	    "% Unknown command: bogus\n"
	    "                   ^\n");
	/* Blanks before and after are not echoed; between, kept. */
	ck_assert_str_eq(t_errtext("  show  bgp   i u s  ", s, sizeof(s)),
	    "% Ambiguous command: show  bgp   i u s\n"
	    "                                 ^\n");
	/* Incomplete: where the next word would go. */
	ck_assert_str_eq(t_errtext("set timers 30", s, sizeof(s)),
	    "% Incomplete command: set timers 30\n"
	    "                                    ^\n");
	/* A byte a terminal acts on is escaped, and the marker follows. */
	ck_assert_str_eq(t_errtext("show \x1b[2J bgp", s, sizeof(s)),
	    "% Unknown command: show \\x1b[2J bgp\n"
	    "                        ^\n");
	ck_assert_str_eq(t_errtext("sh\tbo\xff x", s, sizeof(s)),
	    "% Unknown command: sh bo\\xff x\n"
	    "                      ^\n");
	ck_assert_str_eq(t_errtext("set timers 30 x \x01", s, sizeof(s)),
	    "% Unknown command: set timers 30 x \\x01\n"
	    "                                   ^\n");
	ck_assert_int_eq(cmd_error_text("", CMD_UNKNOWN, 0, s, sizeof(s)),
	    (int)strlen("% Unknown command: \n                   ^\n"));
	/* Too small a buffer is an error, not a cut message. */
	ck_assert_int_eq(cmd_error_text("show bogus", CMD_UNKNOWN, 1, small,
	    sizeof(small)), -1);
	ck_assert_int_eq(cmd_error_text("show bogus", CMD_UNKNOWN, 1, small,
	    0), -1);
}
END_TEST

/* The candidates for line, as "word=help word=help ...". */
static const char *
t_complete(const char *line, char *out, size_t len)
{
	struct cmd_line	 l;
	struct cmd_cands cc;
	int		 i;

	ck_assert_int_eq(cmd_split(line, &l), 0);
	ck_assert_int_eq(cmd_complete(&t_table, &l, &cc), CMD_OK);
	out[0] = '\0';
	for (i = 0; i < cc.n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s=%s",
		    i ? " " : "", cc.c[i].word, cc.c[i].help);
	return out;
}

START_TEST(t_cmd_complete)
{
	struct cmd_line	 l;
	struct cmd_cands cc;
	char		 s[512];

	ck_assert_str_eq(t_complete("", s, sizeof(s)),
	    "show=S set=Set clear=C");
	ck_assert_str_eq(t_complete("s", s, sizeof(s)), "show=S set=Set");
	ck_assert_str_eq(t_complete("sh ", s, sizeof(s)), "bgp=B version=Ver");
	ck_assert_str_eq(t_complete("show bgp ", s, sizeof(s)),
	    "summary=Sum ipv4=v4 ipv6=v6 neighbors=N");
	ck_assert_str_eq(t_complete("show bgp i", s, sizeof(s)),
	    "ipv4=v4 ipv6=v6");
	ck_assert_str_eq(t_complete("show bgp su ", s, sizeof(s)),
	    "json=" CMD_JSON_HELP " <cr>=");
	ck_assert_str_eq(t_complete("show bgp neighbors ", s, sizeof(s)),
	    "A.B.C.D=v4 addr X:X::X:X=v6 addr");
	ck_assert_str_eq(t_complete("show bgp neighbors 10.", s, sizeof(s)),
	    "A.B.C.D=v4 addr");
	ck_assert_str_eq(t_complete("show bgp neighbors fd", s, sizeof(s)),
	    "X:X::X:X=v6 addr");
	ck_assert_str_eq(t_complete("sh b n 10.0.0.1 ", s, sizeof(s)),
	    "json=" CMD_JSON_HELP " <cr>=");
	ck_assert_str_eq(t_complete("set timers ", s, sizeof(s)),
	    "(1-65535)=Secs");
	ck_assert_str_eq(t_complete("set timers x", s, sizeof(s)), "");
	ck_assert_str_eq(t_complete("clear ", s, sizeof(s)),
	    "ip=IPv4 ipv6=IPv6");
	ck_assert_str_eq(t_complete("show version ", s, sizeof(s)), "<cr>=");
	/* Words before the one being typed must lead somewhere. */
	ck_assert_int_eq(cmd_split("show bogus ", &l), 0);
	ck_assert_int_eq(cmd_complete(&t_table, &l, &cc), CMD_UNKNOWN);
	ck_assert_int_eq(cc.at, 1);
	ck_assert_int_eq(cmd_split("show bgp i u", &l), 0);
	ck_assert_int_eq(cmd_complete(&t_table, &l, &cc), CMD_AMBIGUOUS);
	ck_assert_int_eq(cc.at, 2);
}
END_TEST

static int
t_check(const char *words, const char *help, cmd_handler run)
{
	struct cmd_entry e = { words, help, run, 0, 0 };
	struct cmd_table t = { &e, 1 };
	char		 why[128] = "";
	int		 r = cmd_table_check(&t, why, sizeof(why));

	ck_assert(r == 0 || why[0] != '\0');
	return r;
}

START_TEST(t_cmd_table_check)
{
	char	 why[128];

	ck_assert_int_eq(cmd_table_check(&t_table, why, sizeof(why)), 0);
	ck_assert_int_eq(cmd_table_check(&ctl_commands, why, sizeof(why)), 0);
	ck_assert_int_eq(t_check("show x", "S\nX\n", t_handler), 0);
	ck_assert_int_eq(t_check("show x", "S\n", t_handler), -1);
	ck_assert_int_eq(t_check("show x", "S\nX", t_handler), -1);
	ck_assert_int_eq(t_check("show x", "S\nX\n", NULL), -1);
	ck_assert_int_eq(t_check("show  x", "S\n\nX\n", t_handler), -1);
	ck_assert_int_eq(t_check("show Foo", "S\nF\n", t_handler), -1);
	ck_assert_int_eq(t_check("show x|", "S\nX\n\n", t_handler), -1);
	ck_assert_int_eq(t_check("show (5-1)", "S\nN\n", t_handler), -1);
	ck_assert_int_eq(t_check("show (1-5", "S\nN\n", t_handler), -1);
	ck_assert_int_eq(t_check("show (1-5)", "S\nN\n", t_handler), 0);
}
END_TEST

/* ----------------------------------------------------- the control socket */

static struct event_base	*base;
static struct bgpd_config	 bconf;
static char			 tmpdir[32], sockpath[64];
static time_t			 now0;

/* Hostile on purpose: quote, backslash, control bytes, a lone 0xff. */
#define EVIL_DESCR	"aws \"t1\" \\ \x01\x1b[31m\t\xff/\xc3\xa9"
#define EVIL_JSON	"aws \\\"t1\\\" \\\\ \\u0001\\u001b[31m\\t\\ufffd/\xc3\xa9"

static struct peer *
fake_peer(const char *addr, uint32_t as, const char *descr,
    enum fsm_state st)
{
	struct peer_config	*pc = calloc(1, sizeof(*pc));
	struct peer		*p = calloc(1, sizeof(*p));

	ck_assert_ptr_nonnull(pc);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(addr_parse(addr, &pc->remote), 0);
	pc->remote_as = as;
	snprintf(pc->descr, sizeof(pc->descr), "%s", descr);
	pc->af_active = AID_BIT(pc->remote.af == AF_INET6 ?
	    AID_IPV6_UNICAST : AID_IPV4_UNICAST);
	pc->timers_set = 1;
	pc->keepalive = 10;
	pc->holdtime = 30;
	p->conf = pc;
	p->bconf = &bconf;
	p->state = st;
	p->state_since = now0;
	TAILQ_INSERT_TAIL(&peers, p, entry);
	return p;
}

static void
fake_peers(void)
{
	struct timespec	 ts;
	struct peer	*p;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now0 = ts.tv_sec;
	bconf.as = 65000;
	bconf.router_id = 0x0a000001;
	p = fake_peer("169.254.116.209", 64512, EVIL_DESCR, ST_ESTABLISHED);
	p->up_since = now0 - 62;
	p->stats.established = 1;
	p->stats.msg_rcvd_total = 12;
	p->stats.msg_sent_total = 11;
	p->stats.msg_rcvd[BGP_KEEPALIVE] = 10;
	p->stats.prefixes_rcvd = 5;
	p->af_negotiated = AID_BIT(AID_IPV4_UNICAST);
	p->holdtime = 30;
	p->keepalive = 10;
	p->remote_id = 0xa9fe74d1;
	p->open_sent.caps.as4 = p->open_rcvd.caps.as4 = 1;
	p->last_rcvd.code = ERR_CEASE;
	p->last_rcvd.subcode = ERR_CEASE_ADMIN_DOWN;
	p->last_rcvd_at = now0 - 5;
	p = fake_peer("169.254.200.1", 16550, "", ST_IDLE);
	p->conf->shutdown = 1;
	fake_peer("fd00::1", 65515, "azure", ST_ACTIVE);
}

/* --- the RDE the show commands see: a RIB and sources made here --- */

enum { T_P0, T_P1, T_P2, T_NPEER };	/* the fake peers, in list order */

static struct rib	*t_rib;
static struct rib_src	 t_src[T_NPEER];
static struct adjout	*t_adj;		/* to T_P0, IPv4 */
static int		 t_pol_in, t_pol_out;	/* RFC 8212 blocks T_P0 */

static int
t_peer_index(const struct peer *p)
{
	const struct peer	*q;
	int			 i = 0;

	TAILQ_FOREACH(q, &peers, entry) {
		if (q == p)
			return i < T_NPEER ? i : -1;
		i++;
	}
	return -1;
}

static struct rib *
t_rde_rib(void)
{
	return t_rib;
}

static struct rib_src *
t_rde_src(const struct peer *p)
{
	int	 i = t_peer_index(p);

	return i < 0 ? NULL : &t_src[i];
}

static struct adjout *
t_rde_adjout(const struct peer *p, enum aid aid)
{
	return t_peer_index(p) == T_P0 && aid == AID_IPV4_UNICAST ? t_adj :
	    NULL;
}

static struct rib_src *
t_rde_local(void)
{
	return NULL;
}

static const char *
t_rde_policy(const struct peer *p, int out)
{
	if (t_peer_index(p) != T_P0 || !(out ? t_pol_out : t_pol_in))
		return NULL;
	return "no policy (RFC 8212)";
}

static struct fib	*t_fib;

static struct fib *
t_rde_fib(void)
{
	return t_fib;
}

static const struct show_rde t_rde = {
	t_rde_rib, t_rde_src, t_rde_adjout, t_rde_local, t_rde_policy,
	t_rde_fib,
};

static void
setup(void)
{
	log_init(1, 0, "check_ctl");
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_ctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* A missing parent directory is created. */
	snprintf(sockpath, sizeof(sockpath), "%s/run/tbgpd.sock", tmpdir);
	fake_peers();
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	ck_assert_int_eq(ctl_init(base, sockpath), 0);
	ctl_set_config(&bconf);
	memset(t_src, 0, sizeof(t_src));
	t_rib = NULL;
	t_adj = NULL;
	t_fib = NULL;
	t_pol_in = t_pol_out = 0;
	show_set_rde_for_tests(&t_rde);
}

static void
teardown(void)
{
	struct peer	*p;
	char		 dir[128];

	ctl_shutdown();
	event_base_free(base);
	show_set_rde_for_tests(NULL);
	while ((p = TAILQ_FIRST(&peers)) != NULL) {
		TAILQ_REMOVE(&peers, p, entry);
		free(p->conf);
		free(p);
	}
	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	rmdir(dir);
	rmdir(tmpdir);
}

static int
client_connect(void)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sockpath);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* The ENTRY frames of the last answer, as the shell would keep them. */
static struct t_got {
	unsigned	 flags;
	char		 words[256];
	char		 help[1024];
} t_got[CMD_MAX_ENTRIES];
static size_t		 t_ngot;

static void
t_got_entry(const struct ctl_frame *f)
{
	struct ctl_entry	 e;

	ck_assert_int_eq(ctl_entry_get(f, &e), 0);
	ck_assert_uint_lt(t_ngot, CMD_MAX_ENTRIES);
	t_got[t_ngot].flags = e.flags;
	snprintf(t_got[t_ngot].words, sizeof(t_got[0].words), "%s", e.words);
	snprintf(t_got[t_ngot].help, sizeof(t_got[0].help), "%s", e.help);
	t_ngot++;
}

/*
 * Turn the daemon's event loop and read what it answered, until an END
 * frame (returns its status) or the daemon hangs up (-2).  The text of
 * the DATA frames is left NUL-terminated in text; ENTRY frames go to
 * t_got.
 */
static int
client_answer(int fd, struct buf *in, struct buf *text)
{
	struct ctl_frame f;
	const char	*err;
	static uint8_t	 tmp[65536];
	ssize_t		 n;
	int		 r, status = -1;
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	struct timespec	 t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (status != -1 || t.tv_sec - t0.tv_sec > 50)
			break;
		while (status == -1 &&
		    (r = ctl_frame_get(in, CTL_MAX_FRAME, &f, &err)) == 1) {
			if (f.type == CTL_DATA)
				buf_put(text, f.payload, f.len);
			else if (f.type == CTL_ENTRY)
				t_got_entry(&f);
			else
				status = f.payload[0] << 8 | f.payload[1];
		}
		buf_drain(in, in->rpos);
		if (status != -1)
			break;
		event_base_loop(base, EVLOOP_NONBLOCK);
		poll(&pfd, 1, 1);
		if ((n = read(fd, tmp, sizeof(tmp))) == 0) {
			status = -2;
			break;
		}
		if (n > 0)
			buf_put(in, tmp, (size_t)n);
	}
	buf_put_u8(text, 0);
	return status;
}

static int
run(const char *cmd, struct buf *text)
{
	struct buf	 req, in;
	int		 fd, status;

	fd = client_connect();
	buf_init(&req, 256, CTL_MAX_REQ);
	ctl_frame_put(&req, CTL_REQUEST, cmd, strlen(cmd) + 1);
	ck_assert_int_eq(write(fd, buf_data(&req), buf_len(&req)),
	    (ssize_t)buf_len(&req));
	buf_free(&req);
	buf_reset(text);
	buf_init(&in, 1024, 16 * 1024 * 1024);
	status = client_answer(fd, &in, text);
	buf_free(&in);
	close(fd);
	return status;
}

#define TEXT(b)	((const char *)buf_data(b))

START_TEST(t_sock_modes)
{
	struct stat	 st;
	char		 dir[128];

	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0660);
	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0755);
	/* A live socket is not stolen by a second daemon. */
	ck_assert_int_eq(ctl_init(base, sockpath), -1);
}
END_TEST

START_TEST(t_sock_stale)
{
	struct stat	 st;
	int		 fd;

	/* A socket left by a dead daemon is replaced. */
	ctl_shutdown();
	ck_assert_int_eq(stat(sockpath, &st), -1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sockpath);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun,
		    sizeof(sun)), 0);
	}
	close(fd);
	ck_assert_int_eq(ctl_init(base, sockpath), 0);
	ctl_shutdown();
	/* A regular file in its place is not removed. */
	fd = open(sockpath, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert_int_eq(ctl_init(base, sockpath), -1);
	ck_assert_int_eq(stat(sockpath, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	unlink(sockpath);
	ck_assert_int_eq(ctl_init(base, sockpath), 0);
}
END_TEST

START_TEST(t_cmd_abbrev)
{
	struct buf	 a, b;

	buf_init(&a, 1024, 1 << 20);
	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show bgp summary", &a), 0);
	ck_assert_int_eq(run("  sh   bg su ", &b), 0);
	ck_assert_str_eq(TEXT(&a), TEXT(&b));
	ck_assert_ptr_nonnull(strstr(TEXT(&a),
	    "BGP router identifier 10.0.0.1, local AS number 65000"));
	ck_assert_ptr_nonnull(strstr(TEXT(&a), "169.254.116.209 4      64512"));
	ck_assert_ptr_nonnull(strstr(TEXT(&a), "Idle (Admin)"));
	ck_assert_ptr_nonnull(strstr(TEXT(&a), "IPv6 Unicast Summary"));
	/* Control bytes of the description never reach the terminal. */
	ck_assert_ptr_null(strchr(TEXT(&a), '\x1b'));
	ck_assert_ptr_nonnull(strstr(TEXT(&a), "\\x1b[31m"));
	ck_assert_int_eq(run("sh ip b s", &b), 0);
	ck_assert_ptr_null(strstr(TEXT(&b), "fd00::1"));
	ck_assert_int_eq(run("show bgp ipv6 u s", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "fd00::1"));
	ck_assert_ptr_null(strstr(TEXT(&b), "169.254.116.209"));
	ck_assert_int_eq(run("show version", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), PACKAGE_VERSION));
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(t_cmd_errors)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show bogus", &b), 1);
	ck_assert_str_eq(TEXT(&b), "% Unknown command: show bogus\n"
	    "                        ^\n");
	ck_assert_int_eq(run("show bgp summary json extra", &b), 1);
	ck_assert_str_eq(TEXT(&b),
	    "% Unknown command: show bgp summary json extra\n"
	    "                                         ^\n");
	/* "i" is ipv4 or ipv6. */
	ck_assert_int_eq(run("show bgp i unicast summary", &b), 1);
	ck_assert_str_eq(TEXT(&b),
	    "% Ambiguous command: show bgp i unicast summary\n"
	    "                              ^\n");
	ck_assert_int_eq(run("show bgp ipv4", &b), 1);
	ck_assert_str_eq(TEXT(&b), "% Incomplete command: show bgp ipv4\n"
	    "                                    ^\n");
	ck_assert_int_eq(run("show bgp neighbors 10.9.9.9", &b), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "No such neighbor"));
	ck_assert_int_eq(run("show bgp neighbors not-an-address", &b), 1);
	ck_assert_int_eq(run("", &b), 0);
	ck_assert_str_eq(TEXT(&b), "");
	buf_free(&b);
}
END_TEST

START_TEST(t_json_summary)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	t_src[T_P0].npaths[AID_IPV4_UNICAST] = 5;
	ck_assert_int_eq(run("show bgp summary json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	ck_assert_ptr_nonnull(strstr(TEXT(&b),
	    "\"desc\":\"" EVIL_JSON "\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"routerId\":\"10.0.0.1\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"as\":65000"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"remoteAs\":64512"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"state\":\"Established\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"peerState\":\"Admin\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"pfxRcd\":5"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"ipv6Unicast\":{"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"totalPeers\":2"));
	ck_assert_int_eq(run("show ip bgp summary json", &b), 0);
	ck_assert(jc_valid(TEXT(&b)));
	ck_assert_ptr_null(strstr(TEXT(&b), "ipv6Unicast"));
	buf_free(&b);
}
END_TEST

START_TEST(t_json_neighbors)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show bgp neighbors json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"nbrDesc\":\"" EVIL_JSON));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"bgpState\":\"Active\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b),
	    "\"bgpTimerHoldTimeMsecs\":30000"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"keepalivesRecv\":10"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b),
	    "\"4byteAs\":\"advertisedAndReceived\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"lastNotificationReason\":"));
	ck_assert_int_eq(run("sh ip bgp nei fd00::1 j", &b), 0);
	ck_assert(jc_valid(TEXT(&b)));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"fd00::1\":{"));
	ck_assert_ptr_null(strstr(TEXT(&b), "169.254"));
	ck_assert_int_eq(run("show bgp neighbors 10.9.9.9 json", &b), 1);
	ck_assert(jc_valid(TEXT(&b)));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "\"bgpNoSuchNeighbor\":true"));
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "BGP state = Established"));
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "Administrative Shutdown"));
	buf_free(&b);
}
END_TEST

/* The summary names the router even when it has no neighbor. */
START_TEST(t_summary_identity)
{
	struct peer_head saved = TAILQ_HEAD_INITIALIZER(saved);
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	TAILQ_CONCAT(&saved, &peers, entry);
	ck_assert_int_eq(run("show bgp summary", &b), 0);
	ck_assert_str_eq(TEXT(&b), "BGP router identifier 10.0.0.1, "
	    "local AS number 65000 vrf-id 0\n% No BGP neighbors found\n");
	ck_assert_int_eq(run("show bgp summary json", &b), 0);
	ck_assert_str_eq(TEXT(&b),
	    "{\n  \"routerId\":\"10.0.0.1\",\n  \"as\":65000\n}\n");
	/* Not told the configuration: nothing to say about ourselves. */
	ctl_set_config(NULL);
	ck_assert_int_eq(run("show bgp summary", &b), 0);
	ck_assert_str_eq(TEXT(&b), "% No BGP neighbors found\n");
	ck_assert_int_eq(run("show bgp summary json", &b), 0);
	ck_assert_str_eq(TEXT(&b), "{\n}\n");
	TAILQ_CONCAT(&peers, &saved, entry);
	buf_free(&b);
}
END_TEST

/* router-id auto: the one our OPENs carried, from the first peer that
 * was sent one. */
START_TEST(t_summary_auto_id)
{
	struct buf	 b;
	struct peer	*p;

	buf_init(&b, 1024, 1 << 20);
	bconf.router_id = 0;
	p = TAILQ_NEXT(TAILQ_FIRST(&peers), entry);
	p->open_sent.bgp_id = 0xa9fec801;
	ck_assert_int_eq(run("show bgp summary", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "BGP router identifier "
	    "169.254.200.1, local AS number 65000 vrf-id 0\n"));
	ck_assert_ptr_null(strstr(TEXT(&b), "10.0.0.1"));
	ck_assert_int_eq(run("show bgp summary json", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b),
	    "\"routerId\":\"169.254.200.1\""));
	/* A neighbor shows the id of the OPEN it was sent. */
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209", &b), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "local router ID 0.0.0.0"));
	buf_free(&b);
}
END_TEST

/* Text and JSON tell the same facts about a neighbor. */
START_TEST(t_show_same_facts)
{
	struct buf	 t, j;

	buf_init(&t, 1024, 1 << 20);
	buf_init(&j, 1024, 1 << 20);
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209", &t), 0);
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 json", &j),
	    0);
	ck_assert_ptr_nonnull(strstr(TEXT(&t), "up for 00:01:0"));
	ck_assert_ptr_nonnull(strstr(TEXT(&j),
	    "\"bgpTimerUpString\":\"00:01:0"));
	ck_assert_ptr_nonnull(strstr(TEXT(&t), "Last notification received: "
	    "00:00:0"));
	ck_assert_ptr_nonnull(strstr(TEXT(&t),
	    " ago, Cease/Administrative Shutdown"));
	ck_assert_ptr_nonnull(strstr(TEXT(&j),
	    "\"lastNotificationReason\":\"Cease/Administrative Shutdown\""));
	ck_assert_ptr_nonnull(strstr(TEXT(&j), "\"agoMsecs\":"));
	ck_assert_ptr_nonnull(strstr(TEXT(&t), "4 Byte AS: advertised and "
	    "received"));
	buf_free(&t);
	buf_free(&j);
}
END_TEST

/* A malformed frame gets an error answer, then the daemon hangs up. */
START_TEST(t_sock_malformed)
{
	uint8_t		 p[64];
	struct buf	 text, in;
	size_t		 n;
	int		 fd;

	buf_init(&text, 256, 1 << 16);
	buf_init(&in, 256, 1 << 20);
	fd = client_connect();
	n = mkframe(p, 8 + 5, CTL_VERSION + 1, CTL_REQUEST, "show", 5);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	ck_assert_int_eq(client_answer(fd, &in, &text), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "version"));
	buf_reset(&text);
	ck_assert_int_eq(client_answer(fd, &in, &text), -2);
	close(fd);

	/* Good requests before a bad one are all answered. */
	fd = client_connect();
	n = mkframe(p, 8 + 13, CTL_VERSION, CTL_REQUEST, "show version", 13);
	n += mkframe(p + n, 8 + 4, CTL_VERSION, CTL_REQUEST, "abcd", 4);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	buf_reset(&text);
	ck_assert_int_eq(client_answer(fd, &in, &text), 0);
	buf_reset(&text);
	ck_assert_int_eq(client_answer(fd, &in, &text), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "NUL"));
	close(fd);
	buf_free(&text);
	buf_free(&in);
}
END_TEST

/* Send a DESCRIBE on path's socket; the entries land in t_got. */
static int
t_describe(const char *path, struct buf *text)
{
	struct buf	 req, in;
	char		 save[sizeof(sockpath)];
	int		 fd, status;

	snprintf(save, sizeof(save), "%s", sockpath);
	if (path != sockpath)
		snprintf(sockpath, sizeof(sockpath), "%s", path);
	fd = client_connect();
	snprintf(sockpath, sizeof(sockpath), "%s", save);
	buf_init(&req, 64, CTL_MAX_REQ);
	ctl_describe_put(&req);
	ck_assert_int_eq(write(fd, buf_data(&req), buf_len(&req)),
	    (ssize_t)buf_len(&req));
	buf_free(&req);
	buf_reset(text);
	t_ngot = 0;
	buf_init(&in, 1024, 1 << 20);
	status = client_answer(fd, &in, text);
	buf_free(&in);
	close(fd);
	return status;
}

/* The described table, as the shell builds it to complete with. */
static struct cmd_entry	 t_desc[CMD_MAX_ENTRIES];

static struct cmd_table
t_desc_table(void)
{
	struct cmd_table	 t = { t_desc, t_ngot };
	size_t			 k;

	for (k = 0; k < t_ngot; k++) {
		t_desc[k].words = t_got[k].words;
		t_desc[k].help = t_got[k].help;
		t_desc[k].flags = t_got[k].flags;
		t_desc[k].run = t_handler;
	}
	return t;
}

/* DESCRIBE gives the daemon's table whole: every entry, in order, with
 * its words, help and flags, and the shell completes with it as the
 * daemon matches. */
START_TEST(t_sock_describe)
{
	struct buf	 text;
	struct cmd_table t;
	struct cmd_line	 l;
	struct cmd_cands cc;
	char		 why[128];
	size_t		 k;
	int		 i, found = 0;

	buf_init(&text, 256, 1 << 16);
	ck_assert_int_eq(t_describe(sockpath, &text), 0);
	ck_assert_str_eq(TEXT(&text), "");
	ck_assert_uint_eq(t_ngot, ctl_commands.n);
	for (k = 0; k < ctl_commands.n; k++) {
		ck_assert_str_eq(t_got[k].words, ctl_commands.entries[k].words);
		ck_assert_str_eq(t_got[k].help, ctl_commands.entries[k].help);
		ck_assert_uint_eq(t_got[k].flags, ctl_commands.entries[k].flags);
	}
	t = t_desc_table();
	ck_assert_int_eq(cmd_table_check(&t, why, sizeof(why)), 0);
	ck_assert_int_eq(cmd_split("sh bgp nei", &l), 0);
	ck_assert_int_eq(cmd_complete(&t, &l, &cc), CMD_OK);
	ck_assert_int_eq(cc.n, 1);
	ck_assert_str_eq(cc.c[0].word, "neighbors");
	ck_assert_int_eq(cmd_split("show bgp ", &l), 0);
	ck_assert_int_eq(cmd_complete(&t, &l, &cc), CMD_OK);
	for (i = 0; i < cc.n; i++)
		if (strcmp(cc.c[i].word, "summary") == 0) {
			ck_assert_str_eq(cc.c[i].help,
			    "Summary of BGP neighbor status");
			found = 1;
		}
	ck_assert_int_eq(found, 1);
	/* A DESCRIBE between requests: the connection goes on. */
	ck_assert_int_eq(run("show version", &text), 0);
	buf_free(&text);
}
END_TEST

/* The read-only socket: 0666, described and allowed only CMD_F_RO. */
START_TEST(t_sock_ro)
{
	struct buf	 text;
	struct stat	 st;
	char		 ro[sizeof(sockpath)], save[sizeof(sockpath)];
	size_t		 k, nro = 0;

	snprintf(ro, sizeof(ro), "%s/run/tbgpd-ro.sock", tmpdir);
	ck_assert_int_eq(ctl_init_ro(base, ro), 0);
	ck_assert_int_eq(ctl_init_ro(base, ro), -1);	/* already open */
	ck_assert_int_eq(stat(ro, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0666);
	buf_init(&text, 256, 1 << 20);
	ck_assert_int_eq(t_describe(ro, &text), 0);
	for (k = 0; k < ctl_commands.n; k++)
		nro += (ctl_commands.entries[k].flags & CMD_F_RO) != 0;
	ck_assert_uint_gt(nro, 0);
	ck_assert_uint_lt(nro, ctl_commands.n);
	ck_assert_uint_eq(t_ngot, nro);
	for (k = 0; k < t_ngot; k++)
		ck_assert_uint_ne(t_got[k].flags & CMD_F_RO, 0);

	snprintf(save, sizeof(save), "%s", sockpath);
	snprintf(sockpath, sizeof(sockpath), "%s", ro);
	ck_assert_int_eq(run("sh bgp su", &text), 0);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "169.254.116.209"));
	ck_assert_int_eq(run("clear bgp * soft", &text), 1);
	ck_assert_str_eq(TEXT(&text),
	    "% Command not allowed on the read-only socket\n");
	ck_assert_int_eq(run("show running-config", &text), 1);
	ck_assert_str_eq(TEXT(&text),
	    "% Command not allowed on the read-only socket\n");
	/* A mistyped command is still a mistyped command. */
	ck_assert_int_eq(run("show bogus", &text), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "% Unknown command"));
	snprintf(sockpath, sizeof(sockpath), "%s", save);
	/* The other socket still runs everything. */
	ck_assert_int_eq(run("clear bgp 10.9.9.9 soft", &text), 1);
	ck_assert_ptr_null(strstr(TEXT(&text), "read-only"));
	/* Shutdown removes both sockets. */
	ctl_shutdown();
	ck_assert_int_eq(stat(ro, &st), -1);
	ck_assert_int_eq(stat(sockpath, &st), -1);
	buf_free(&text);
}
END_TEST

/* A DESCRIBE with a payload, or an answer's frame sent as a request, is
 * a malformed request: said, then the daemon hangs up. */
START_TEST(t_sock_describe_bad)
{
	uint8_t		 p[64];
	struct buf	 text, in;
	size_t		 n;
	int		 fd;

	buf_init(&text, 256, 1 << 16);
	buf_init(&in, 256, 1 << 20);
	fd = client_connect();
	n = mkframe(p, 8 + 4, CTL_VERSION, CTL_DESCRIBE, "abc", 4);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	ck_assert_int_eq(client_answer(fd, &in, &text), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "DESCRIBE"));
	buf_reset(&text);
	ck_assert_int_eq(client_answer(fd, &in, &text), -2);
	close(fd);

	fd = client_connect();
	n = mkentry(p, 0, "show\0S\n", 8);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	buf_reset(&text);
	ck_assert_int_eq(client_answer(fd, &in, &text), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&text), "unexpected frame type"));
	close(fd);
	buf_free(&text);
	buf_free(&in);
}
END_TEST

/* ------------------------------------------------------------ the routes */

/* "64512 3356": one AS_SEQUENCE. */
static struct aspath *
t_aspath(const char *s)
{
	uint8_t		 data[2 + 4 * 16];
	char		*dup, *tok, *save = NULL;
	uint32_t	 as;
	size_t		 n = 0;

	ck_assert_ptr_nonnull(dup = strdup(s));
	for (tok = strtok_r(dup, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		ck_assert_uint_lt(n, 16);
		as = htonl((uint32_t)strtoul(tok, NULL, 10));
		memcpy(data + 2 + 4 * n++, &as, 4);
	}
	free(dup);
	data[0] = AS_SEQUENCE;
	data[1] = (uint8_t)n;
	return aspath_intern(data, 2 + 4 * n);
}

/* A path's attributes; med < 0: none.  comm: one standard community
 * and one large one.  ll: an IPv6 link-local next hop too, or NULL. */
static struct attr *
t_attr_ll(const char *aspath, const char *nh, const char *ll, int64_t med,
    uint8_t origin, int comm)
{
	struct attr	 w;
	uint8_t		 c[4] = { 0xfc, 0x00, 0x00, 0x64 };	/* 64512:100 */
	uint8_t		 l[12] = { 0, 0, 0xfc, 0, 0, 0, 0, 1, 0, 0, 0, 2 };

	memset(&w, 0, sizeof(w));
	w.aspath = t_aspath(aspath);
	ck_assert_int_eq(addr_parse(nh, &w.nexthop), 0);
	if (ll != NULL) {
		ck_assert_int_eq(addr_parse(ll, &w.nexthop_ll), 0);
		w.flags |= ATTRF_NEXTHOP_LL;
	}
	w.origin = origin;
	if (med >= 0) {
		w.flags |= ATTRF_MED;
		w.med = (uint32_t)med;
	}
	if (comm) {
		w.comm = comms_intern(COMM_UNIT_STD, c, 1);
		w.lcomm = comms_intern(COMM_UNIT_LARGE, l, 1);
	}
	return attr_intern(&w);
}

static struct attr *
t_attr(const char *aspath, const char *nh, int64_t med, uint8_t origin,
    int comm)
{
	return t_attr_ll(aspath, nh, NULL, med, origin, comm);
}

static void
t_route(int src, const char *prefix, struct attr *a, struct attr *in,
    uint32_t since)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(prefix, &p), 0);
	ck_assert_int_le(rib_update(t_rib, &t_src[src], &p, a, in, since), 1);
}

static void
t_src_set(int i, const char *addr, const char *id, uint32_t as)
{
	memset(&t_src[i], 0, sizeof(t_src[i]));
	ck_assert_int_eq(addr_parse(addr, &t_src[i].addr), 0);
	ck_assert_int_eq(bgpid_parse(id, &t_src[i].bgp_id), 0);
	t_src[i].as = as;
	t_src[i].ebgp = 1;
}

static struct rib_entry *
t_entry(const char *prefix)
{
	struct tb_prefix	 p;
	struct rib_entry	*e;

	ck_assert_int_eq(prefix_parse(prefix, &p), 0);
	ck_assert_ptr_nonnull(e = rib_lookup(t_rib, &p));
	return e;
}

/*
 * T_P0 (169.254.116.209, AS 64512, soft-reconfiguration inbound) and
 * T_P1 (169.254.200.1, AS 16550) both reach 10.1.0.0/16, T_P1 with the
 * longer AS path; both reach 10.2.0.0/16 equally (multipath, T_P0 the
 * older); 10.2.3.0/24 only from T_P0, 192.168.0.0/24 only from T_P1,
 * which we advertise to T_P0.  T_P0's 172.16.0.0/12 was denied by
 * inbound policy and is only kept as received.  T_P2 (fd00::1) gives
 * one IPv6 route.
 */
static void
routes_setup(void)
{
	struct rib_opts	 o;
	uint32_t	 now = (uint32_t)show_now();
	struct attr	*a;

	setup();
	memset(&o, 0, sizeof(o));
	o.multipath_relax = 1;
	o.maximum_paths[AID_IPV4_UNICAST] = 2;
	o.maximum_paths[AID_IPV6_UNICAST] = 1;
	ck_assert_ptr_nonnull(t_rib = rib_new(&o));
	t_src_set(T_P0, "169.254.116.209", "169.254.116.209", 64512);
	t_src[T_P0].soft_in = 1;
	t_src_set(T_P1, "169.254.200.1", "169.254.200.2", 16550);
	t_src_set(T_P2, "fd00::1", "10.9.9.9", 65515);
	a = t_attr("64512", "169.254.116.209", 0, ORIGIN_IGP, 1);
	t_route(T_P0, "10.1.0.0/16", a, attr_ref(a), now - 100);
	a = t_attr("16550 3356 1299 2914", "169.254.200.1", 0, ORIGIN_IGP, 0);
	t_route(T_P1, "10.1.0.0/16", a, NULL, now - 100);
	a = t_attr("64512", "169.254.116.209", 0, ORIGIN_IGP, 0);
	t_route(T_P0, "10.2.0.0/16", a, attr_ref(a), now - 100);
	a = t_attr("16550", "169.254.200.1", 0, ORIGIN_IGP, 0);
	t_route(T_P1, "10.2.0.0/16", a, NULL, now - 50);
	a = t_attr("64512 65001", "169.254.116.209", -1, ORIGIN_IGP, 0);
	t_route(T_P0, "10.2.3.0/24", a, attr_ref(a), now - 100);
	t_route(T_P0, "172.16.0.0/12", NULL, t_attr("64512 64999",
	    "169.254.116.209", -1, ORIGIN_IGP, 0), now - 100);
	a = t_attr("16550", "169.254.200.1", -1, ORIGIN_INCOMPLETE, 0);
	t_route(T_P1, "192.168.0.0/24", a, NULL, now - 100);
	a = t_attr_ll("65515", "fd00::1", "fe80::1", -1, ORIGIN_IGP, 0);
	t_route(T_P2, "2001:db8::/32", a, NULL, now - 100);
	ck_assert_ptr_nonnull(t_adj = adjout_new(t_rib, AID_IPV4_UNICAST));
	ck_assert_int_eq(adjout_set(t_adj, t_entry("192.168.0.0/24"),
	    t_attr("65000 16550", "169.254.116.210", -1, ORIGIN_INCOMPLETE,
	    0)), 1);
}

static void
routes_teardown(void)
{
	int	 i;

	adjout_free(t_adj);
	for (i = 0; i < T_NPEER; i++)
		rib_src_flush(t_rib, &t_src[i], AID_MAX);
	rib_drain(t_rib, NULL, NULL);
	rib_free(t_rib);
	t_rib = NULL;
	t_adj = NULL;
	ck_assert_uint_eq(attr_count(), 0);
	teardown();
}

#define HAS(b, s)	ck_assert_msg(strstr(TEXT(b), (s)) != NULL,	\
			    "missing '%s' in:\n%s", (s), TEXT(b))
#define HASNT(b, s)	ck_assert_msg(strstr(TEXT(b), (s)) == NULL,	\
			    "unexpected '%s' in:\n%s", (s), TEXT(b))

/* FRR's table: status, the columns, a prefix's later paths unnamed. */
START_TEST(t_rt_table_text)
{
	struct buf	 b, c;

	buf_init(&b, 1024, 1 << 20);
	buf_init(&c, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp", &b), 0);
	ck_assert_str_eq(TEXT(&b),
	    "BGP table version is 6, local router ID is 10.0.0.1, vrf id 0\n"
	    "Default local pref 100, local AS 65000\n"
	    "Status codes:  * valid, > best, = multipath, S Stale\n"
	    "Origin codes:  i - IGP, e - EGP, ? - incomplete\n"
	    "\n"
	    "   Network          Next Hop            Metric LocPrf Weight "
	    "Path\n"
	    "*> 10.1.0.0/16      169.254.116.209          0             0 "
	    "64512 i\n"
	    "*                   169.254.200.1            0             0 "
	    "16550 3356 1299 2914 i\n"
	    "*> 10.2.0.0/16      169.254.116.209          0             0 "
	    "64512 i\n"
	    "*=                  169.254.200.1            0             0 "
	    "16550 i\n"
	    "*> 10.2.3.0/24      169.254.116.209                        0 "
	    "64512 65001 i\n"
	    "*> 192.168.0.0/24   169.254.200.1                          0 "
	    "16550 ?\n"
	    "\n"
	    "Displayed  4 routes and 6 total paths\n");
	/* The same table under its other names. */
	ck_assert_int_eq(run("show bgp ipv4 unicast", &c), 0);
	ck_assert_str_eq(TEXT(&b), TEXT(&c));
	/* FRR: a bare "show bgp" is IPv6 unicast. */
	ck_assert_int_eq(run("show bgp", &b), 0);
	HAS(&b, "*> 2001:db8::/32    fd00::1                                0 "
	    "65515 i\n");
	HAS(&b, "Displayed  1 routes and 1 total paths\n");
	HASNT(&b, "10.1.0.0");
	buf_free(&b);
	buf_free(&c);
}
END_TEST

START_TEST(t_rt_table_json)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"vrfId\":0,");
	HAS(&b, "\"vrfName\":\"default\"");
	HAS(&b, "\"routerId\":\"10.0.0.1\"");
	HAS(&b, "\"defaultLocPrf\":100");
	HAS(&b, "\"localAS\":65000");
	HAS(&b, "\"routes\":{");
	HAS(&b, "\"10.1.0.0/16\":[");
	HAS(&b, "\"bestpath\":true");
	HAS(&b, "\"selectionReason\":\"AS Path\"");
	HAS(&b, "\"multipath\":true");
	HAS(&b, "\"pathFrom\":\"external\"");
	HAS(&b, "\"prefix\":\"10.2.3.0\"");
	HAS(&b, "\"prefixLen\":24");
	HAS(&b, "\"network\":\"10.2.3.0/24\"");
	HAS(&b, "\"peerId\":\"169.254.200.1\"");
	HAS(&b, "\"path\":\"16550 3356 1299 2914\"");
	HAS(&b, "\"origin\":\"incomplete\"");
	HAS(&b, "\"nexthops\":[");
	HAS(&b, "\"ip\":\"169.254.116.209\"");
	HAS(&b, "\"afi\":\"ipv4\"");
	HAS(&b, "\"used\":true");
	HAS(&b, "\"totalRoutes\":4");
	HAS(&b, "\"totalPaths\":6");
	HASNT(&b, "172.16.0.0");
	ck_assert_int_eq(run("show bgp ipv6 unicast json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"ip\":\"fe80::1\"");
	HAS(&b, "\"scope\":\"link-local\"");
	HAS(&b, "\"afi\":\"ipv6\"");
	buf_free(&b);
}
END_TEST

/* The loser says what it lost on, against whom; FRR's selection reason
 * sits on the best. */
START_TEST(t_rt_prefix_explained)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp 10.1.0.0/16", &b), 0);
	HAS(&b, "BGP routing table entry for 10.1.0.0/16, version 6\n"
	    "Paths: (2 available, best #1, table default)\n"
	    "  Not advertised to any peer\n"
	    "  64512\n"
	    "    169.254.116.209 from 169.254.116.209 (169.254.116.209)\n"
	    "      Origin IGP, metric 0, valid, external, best (AS Path)\n"
	    "      Community: 64512:100\n"
	    "      Large Community: 64512:1:2\n"
	    "      Last update: ");
	HAS(&b, "  16550 3356 1299 2914\n"
	    "    169.254.200.1 from 169.254.200.1 (169.254.200.2)\n"
	    "      Origin IGP, metric 0, valid, external\n"
	    "      Lost to 169.254.116.209: AS_PATH length 4 > 1\n"
	    "      Last update: ");
	/* One "Lost to", on the loser only. */
	ck_assert_ptr_null(strstr(strstr(TEXT(&b), "Lost to") + 1,
	    "Lost to"));
	ck_assert_int_eq(run("show bgp ipv4 unicast 10.1.0.0/16 json", &b),
	    0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"prefix\":\"10.1.0.0/16\"");
	HAS(&b, "\"pathCount\":2");
	HAS(&b, "\"paths\":[");
	HAS(&b, "\"aspath\":{");
	HAS(&b, "\"string\":\"64512\"");
	HAS(&b, "\"type\":\"as-sequence\"");
	HAS(&b, "\"length\":4");
	HAS(&b, "\"overall\":true");
	HAS(&b, "\"selectionReason\":\"AS Path\"");
	HAS(&b, "\"string\":\"64512:100\"");
	HAS(&b, "\"largeCommunity\":{");
	HAS(&b, "\"lastUpdate\":{");
	HAS(&b, "\"peerId\":\"169.254.200.1\"");
	HAS(&b, "\"routerId\":\"169.254.200.2\"");
	HAS(&b, "\"type\":\"external\"");
	HAS(&b, "\"lostTo\":\"169.254.116.209\"");
	HAS(&b, "\"lostReason\":\"AS_PATH length 4 > 1\"");
	buf_free(&b);
}
END_TEST

START_TEST(t_rt_prefix_multipath)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp 10.2.0.0/16", &b), 0);
	HAS(&b, "      Origin IGP, metric 0, valid, external, multipath, best "
	    "(Older Path)\n");
	HAS(&b, "      Origin IGP, metric 0, valid, external, multipath\n"
	    "      Lost to 169.254.116.209: newer path (learned 50 s after)\n");
	buf_free(&b);
}
END_TEST

/* No length: the longest match; a length: that prefix only. */
START_TEST(t_rt_prefix_lookup)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp 10.2.3.4", &b), 0);
	HAS(&b, "entry for 10.2.3.0/24,");
	ck_assert_int_eq(run("show ip bgp 10.2.200.1", &b), 0);
	HAS(&b, "entry for 10.2.0.0/16,");
	ck_assert_int_eq(run("show ip bgp 10.2.0.0/15", &b), 1);
	ck_assert_str_eq(TEXT(&b), "% Network not in table\n");
	ck_assert_int_eq(run("show ip bgp 11.0.0.1", &b), 1);
	ck_assert_str_eq(TEXT(&b), "% Network not in table\n");
	ck_assert_int_eq(run("show ip bgp 11.0.0.1 json", &b), 1);
	ck_assert_str_eq(TEXT(&b), "{\n}\n");
	ck_assert_int_eq(run("show ip bgp fd00::/8", &b), 1);
	HAS(&b, "Cannot specify IPv6 address or prefix with IPv4 AFI");
	ck_assert_int_eq(run("show ip bgp 10.0.0.0/33", &b), 1);
	HAS(&b, "% Malformed prefix");
	/* A host route to the denied prefix: not in the Loc-RIB. */
	ck_assert_int_eq(run("show ip bgp 172.16.1.1", &b), 1);
	ck_assert_int_eq(run("show bgp ipv6 unicast 2001:db8:1::1", &b), 0);
	HAS(&b, "entry for 2001:db8::/32,");
	HAS(&b, "    fd00::1 from fd00::1 (10.9.9.9)\n    (fe80::1)\n");
	/* Advertised to T_P0. */
	ck_assert_int_eq(run("show ip bgp 192.168.0.0/24", &b), 0);
	HAS(&b, "  Advertised to non peer-group peers:\n  169.254.116.209\n");
	HAS(&b, "      Origin incomplete, valid, external, best (First path "
	    "received)\n");
	ck_assert_int_eq(run("show ip bgp 192.168.0.0/24 json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"advertisedTo\":{\n    \"169.254.116.209\":{");
	ck_assert_int_eq(run("show ip bgp 10.2.3.0/24 json", &b), 0);
	HASNT(&b, "advertisedTo");
	buf_free(&b);
}
END_TEST

START_TEST(t_rt_longer)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp 10.0.0.0/8 longer-prefixes", &b), 0);
	HAS(&b, "*> 10.1.0.0/16 ");
	HAS(&b, "*> 10.2.0.0/16 ");
	HAS(&b, "*> 10.2.3.0/24 ");
	HASNT(&b, "192.168.0.0");
	HAS(&b, "Displayed  3 routes and 5 total paths\n");
	ck_assert_int_eq(run("show bgp ipv4 unicast 10.2.0.0/16 longer-prefixes",
	    &b), 0);
	HASNT(&b, "10.1.0.0");
	HAS(&b, "Displayed  2 routes and 3 total paths\n");
	ck_assert_int_eq(run("show ip bgp 10.2.0.0/16 longer-prefixes json",
	    &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"totalRoutes\":2");
	ck_assert_int_eq(run("show ip bgp 11.0.0.0/8 longer-prefixes", &b), 0);
	ck_assert_str_eq(TEXT(&b), "No BGP prefixes displayed, 0 exist\n");
	buf_free(&b);
}
END_TEST

/* pfxRcd counts accepted paths (not the denied one), pfxSnt the
 * Adj-RIB-Out; RFC 8212 shows as FRR's "(Policy)". */
START_TEST(t_rt_summary)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp summary", &b), 0);
	HAS(&b, "  Up/Down State/PfxRcd   PfxSnt Desc\n");
	HAS(&b, " 00:01:0");
	HAS(&b, "            3        1 aws");
	ck_assert_int_eq(run("show bgp ipv4 unicast summary json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"pfxRcd\":3");
	HAS(&b, "\"pfxSnt\":1");
	HAS(&b, "\"peerState\":\"OK\"");
	t_pol_in = 1;
	ck_assert_int_eq(run("show ip bgp summary", &b), 0);
	HAS(&b, "     (Policy)        1 aws");
	ck_assert_int_eq(run("show ip bgp summary json", &b), 0);
	HAS(&b, "\"peerState\":\"Policy\"");
	t_pol_in = 0;
	t_pol_out = 1;
	ck_assert_int_eq(run("show ip bgp summary", &b), 0);
	HAS(&b, "            3 (Policy) aws");
	buf_free(&b);
}
END_TEST

START_TEST(t_rt_neighbor_detail)
{
	struct buf	 b;
	struct peer	*p = TAILQ_FIRST(&peers);

	buf_init(&b, 1024, 1 << 20);
	snprintf(p->conf->af[AID_IPV4_UNICAST].plist_in, POLICY_REF_MAX,
	    "AWS-IN");
	p->conf->af[AID_IPV4_UNICAST].max_prefix = 100;
	p->conf->af[AID_IPV4_UNICAST].max_prefix_threshold = 75;
	p->conf->af[AID_IPV4_UNICAST].soft_reconfig_in = 1;
	t_pol_out = 1;
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209", &b), 0);
	HAS(&b, "\n For address family: IPv4 Unicast\n"
	    "  Inbound soft reconfiguration allowed\n"
	    "  Incoming update prefix filter list is AWS-IN\n"
	    "  3 accepted prefixes\n"
	    "  1 prefixes sent\n"
	    "  Maximum prefixes allowed 100\n"
	    "  Threshold for warning message 75%\n"
	    "  Outbound updates discarded due to missing policy\n");
	HASNT(&b, "Inbound updates discarded");
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 json", &b),
	    0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"addressFamilyInfo\":{");
	HAS(&b, "\"incomingUpdatePrefixFilterList\":\"AWS-IN\"");
	HAS(&b, "\"acceptedPrefixCounter\":3");
	HAS(&b, "\"sentPrefixCounter\":1");
	HAS(&b, "\"prefixAllowedMax\":100");
	HAS(&b, "\"outboundEbgpRequiresPolicy\":");
	buf_free(&b);
}
END_TEST

START_TEST(t_rt_neighbor_routes)
{
	struct buf	 b;
	struct peer	*p = TAILQ_FIRST(&peers);

	buf_init(&b, 1024, 1 << 20);
	/* Accepted: the Adj-RIB-In after policy. */
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 routes", &b),
	    0);
	HAS(&b, "*> 10.1.0.0/16 ");
	HAS(&b, "*> 10.2.3.0/24 ");
	HASNT(&b, "172.16.0.0");
	HASNT(&b, "169.254.200.1");
	HAS(&b, "Displayed  3 routes and 3 total paths\n");
	ck_assert_int_eq(run("show ip bgp neighbors 169.254.200.1 routes json",
	    &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"192.168.0.0/24\":[");
	HAS(&b, "\"totalRoutes\":3");
	/* Received: only with soft-reconfiguration inbound. */
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 "
	    "received-routes", &b), 1);
	ck_assert_str_eq(TEXT(&b),
	    "% Inbound soft reconfiguration not enabled\n");
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 "
	    "received-routes json", &b), 1);
	ck_assert_str_eq(TEXT(&b), "{\n  \"warning\":\"Inbound soft "
	    "reconfiguration not enabled\"\n}\n");
	p->conf->af[AID_IPV4_UNICAST].soft_reconfig_in = 1;
	ck_assert_int_eq(run("show bgp ipv4 unicast neighbors 169.254.116.209 "
	    "received-routes", &b), 0);
	HAS(&b, "*> 172.16.0.0/12    169.254.116.209                        0 "
	    "64512 64999 i\n");
	HAS(&b, "\nTotal number of prefixes 4\n");
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 "
	    "received-routes json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"receivedRoutes\":{");
	HAS(&b, "\"totalPrefixCounter\":4");
	HAS(&b, "\"filteredPrefixCounter\":1");
	/* Advertised: the Adj-RIB-Out, as sent. */
	ck_assert_int_eq(run("show ip bgp neighbors 169.254.116.209 "
	    "advertised-routes", &b), 0);
	HAS(&b, "*> 192.168.0.0/24   169.254.116.210                        0 "
	    "65000 16550 ?\n\nTotal number of prefixes 1\n");
	HASNT(&b, "10.1.0.0");
	ck_assert_int_eq(run("show ip bgp neighbors 169.254.116.209 "
	    "advertised-routes json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"advertisedRoutes\":{");
	HAS(&b, "\"nextHop\":\"169.254.116.210\"");
	HAS(&b, "\"bgpOriginCode\":\"?\"");
	HAS(&b, "\"bgpLocalRouterId\":\"10.0.0.1\"");
	ck_assert_int_eq(run("show ip bgp neighbors 10.9.9.9 routes", &b), 1);
	ck_assert_str_eq(TEXT(&b), "% No such neighbor or address family\n");
	/* fd00::1 carries no IPv4. */
	ck_assert_int_eq(run("show ip bgp neighbors fd00::1 routes", &b), 1);
	ck_assert_int_eq(run("show bgp neighbors fd00::1 routes", &b), 0);
	HAS(&b, "2001:db8::/32");
	buf_free(&b);
}
END_TEST

/* An empty RIB, or none at all yet: FRR's words for nothing. */
START_TEST(t_rt_empty)
{
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp", &b), 0);
	ck_assert_str_eq(TEXT(&b), "No BGP prefixes displayed, 0 exist\n");
	ck_assert_int_eq(run("show ip bgp json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"routes\":{\n  },\n  \"totalRoutes\":0,\n  \"totalPaths\":0\n");
	ck_assert_int_eq(run("show ip bgp 10.0.0.0/8", &b), 1);
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 "
	    "advertised-routes", &b), 0);
	ck_assert_str_eq(TEXT(&b), "");
	buf_free(&b);
}
END_TEST

/* Run a line straight through the table: no answer-size limit. */
static int
direct(const char *line, struct buf *out)
{
	struct cmd_line		 l;
	struct cmd_match	 m;
	struct show_req		 req = { out, &bconf, 0, NULL };
	int			 r;

	buf_reset(out);
	ck_assert_int_eq(cmd_split(line, &l), 0);
	ck_assert_int_eq(cmd_match(&ctl_commands, &l, &m), CMD_OK);
	r = m.entry->run(&m, &req);
	buf_put_u8(out, 0);
	return r;
}

static double
t_secs(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n /32s from T_P1 at 100.0.0.0 on, one shared attribute set. */
static void
t_many(size_t n)
{
	struct attr		*a = t_attr("16550", "169.254.200.1", -1,
				    ORIGIN_IGP, 0);
	struct tb_prefix	 p;
	size_t			 i;

	memset(&p, 0, sizeof(p));
	p.addr.af = AF_INET;
	p.len = 32;
	for (i = 0; i < n; i++) {
		uint32_t	 v = htonl(0x64000000u + (uint32_t)i);

		memcpy(p.addr.u.raw, &v, 4);
		rib_update(t_rib, &t_src[T_P1], &p, attr_ref(a), NULL, 1);
	}
	attr_unref(a);
}

/* n more prefixes from T_P1 (t_many); the time to render the whole
 * table. */
static double
t_table_time(size_t n, size_t others, struct buf *out)
{
	double	 t0;
	char	 want[64];

	t_many(n);
	t0 = t_secs();
	ck_assert_int_eq(direct("show ip bgp", out), 0);
	t0 = t_secs() - t0;
	snprintf(want, sizeof(want), "Displayed  %zu routes", n + others);
	ck_assert_msg(strstr(TEXT(out), want) != NULL, "no '%s'", want);
	return t0;
}

/* Rendering grows with the table, not with its square. */
START_TEST(t_rt_large)
{
	struct buf	 b;
	double		 small, big;

	buf_init(&b, 1 << 20, 1u << 30);
	small = t_table_time(20000, 4, &b);
	/* T_P1's own 192.168.0.0/24 goes too. */
	rib_src_flush(t_rib, &t_src[T_P1], AID_MAX);
	big = t_table_time(160000, 3, &b);
	ck_assert_msg(big < small * 24 + 0.05, "20k routes %.3f s, "
	    "160k %.3f s", small, big);
	buf_free(&b);
}
END_TEST

/* prefix via nh asked of t_fib, the kernel answering err (0: done). */
static void
t_fib_route(const char *prefix, const char *nh, int err)
{
	struct tb_prefix	 p;
	struct fib_nh		 n;
	struct nlmsghdr		 h;
	struct buf		 b;

	memset(&n, 0, sizeof(n));
	ck_assert_int_eq(prefix_parse(prefix, &p), 0);
	ck_assert_int_eq(addr_parse(nh, &n.gw), 0);
	ck_assert_int_eq(fib_set(t_fib, &p, &n, 1), 0);
	buf_init(&b, 4096, 65536);
	ck_assert_uint_gt(fib_flush_out(t_fib, &b), 0);
	memcpy(&h, buf_data(&b), sizeof(h));
	fib_ack(t_fib, h.nlmsg_seq, err);
	buf_free(&b);
}

/* Whether and how the prefix is in the kernel, or why not. */
START_TEST(t_rt_prefix_kernel)
{
	struct fib_opts	 o = { 254, 20, 1, 0 };
	struct buf	 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(run("show ip bgp 10.1.0.0/16", &b), 0);
	HAS(&b, "  Kernel: not installed: routes are not installed (no fib "
	    "install)\n");
	ck_assert_ptr_nonnull(t_fib = fib_new(&o));
	t_fib_route("10.1.0.0/16", "169.254.116.209", 0);
	t_fib_route("10.2.0.0/16", "169.254.116.209", ENETUNREACH);
	ck_assert_int_eq(run("show ip bgp 10.1.0.0/16", &b), 0);
	HAS(&b, "      Last update: ");
	HAS(&b, "  Kernel: installed, table 254, metric 20\n"
	    "    via 169.254.116.209\n");
	ck_assert_int_eq(run("show ip bgp 10.2.0.0/16", &b), 0);
	HAS(&b, "  Kernel: failed: Network is unreachable (1 failed attempt), "
	    "table 254, metric 20\n    wanted via 169.254.116.209\n");
	ck_assert_int_eq(run("show ip bgp 10.2.3.0/24", &b), 0);
	HAS(&b, "  Kernel: not installed: not requested yet, table 254, "
	    "metric 20\n");
	ck_assert_int_eq(run("show ip bgp 10.1.0.0/16 json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "  ],\n  \"kernel\":{\n    \"status\":\"installed\",\n"
	    "    \"installed\":true,\n    \"table\":254,\n    \"metric\":20,\n"
	    "    \"nexthops\":[\n      {\n        \"ip\":\"169.254.116.209\"\n"
	    "      }\n    ]\n  }\n}\n");
	ck_assert_int_eq(run("show ip bgp 10.2.0.0/16 json", &b), 0);
	HAS(&b, "\"status\":\"failed\",\n    \"installed\":false,\n"
	    "    \"reason\":\"Network is unreachable\",\n    \"failures\":1,");
	fib_free(t_fib);
	t_fib = NULL;
	buf_free(&b);
}
END_TEST

/* Graceful restart: a stale path is S in the table and "stale" in its
 * JSON; the neighbor shows its GR state as FRR does; a route an earlier
 * instance left in the kernel shows as the kernel has it, stale, not
 * selected. */
START_TEST(t_gr_show)
{
	struct fib_opts		 o = { 254, 20, 1, 0 };
	struct tb_prefix	 p;
	struct rib_entry	*e;
	struct nl_route		 r;
	struct buf		 b;

	buf_init(&b, 1024, 1 << 20);
	ck_assert_int_eq(prefix_parse("10.2.3.0/24", &p), 0);
	ck_assert_ptr_nonnull(e = rib_lookup(t_rib, &p));
	rib_path_set_stale(t_rib, e, rib_entry_best(e), 1, 0);
	ck_assert_int_eq(run("show ip bgp", &b), 0);
	HAS(&b, "S> 10.2.3.0/24      169.254.116.209");
	ck_assert_int_eq(run("show ip bgp json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"valid\":true,\n        \"stale\":true,");
	ck_assert_int_eq(run("show ip bgp 10.2.3.0/24", &b), 0);
	HAS(&b, ", valid, stale, external");
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209", &b), 0);
	HAS(&b, "  Graceful restart information:\n");
	HAS(&b, "    Local GR Mode: Helper*\n");
	HAS(&b, "      Stale paths: 1\n");
	ck_assert_int_eq(run("show bgp neighbors 169.254.116.209 json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"gracefulRestartInfo\":{");
	HAS(&b, "\"localGrMode\":\"Helper*\"");
	HAS(&b, "\"stalePaths\":1");
	rib_path_set_stale(t_rib, e, rib_entry_best(e), 0, 0);
	/* The kernel: a route of ours from an earlier instance. */
	ck_assert_ptr_nonnull(t_fib = fib_new(&o));
	fib_adopt(t_fib);
	memset(&r, 0, sizeof(r));
	r.cmd = RTM_NEWROUTE;
	ck_assert_int_eq(prefix_parse("10.77.0.0/16", &r.dst), 0);
	r.protocol = 186;
	r.table = 254;
	r.metric = 20;
	r.type = RTN_UNICAST;
	r.nnh = 1;
	ck_assert_int_eq(addr_parse("169.254.116.209", &r.nh[0].gw), 0);
	fib_kernel_route(t_fib, &r);
	ck_assert_int_eq(run("show ip route bgp", &b), 0);
	HAS(&b, "B * 10.77.0.0/16 via 169.254.116.209, \n"
	    "    stale: left by an earlier instance, kept until every "
	    "neighbor's table is in\n");
	ck_assert_int_eq(run("show ip route bgp json", &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	HAS(&b, "\"selected\":false,");
	HAS(&b, "\"installed\":true,");
	HAS(&b, "\"status\":\"stale\"");
	fib_free(t_fib);
	t_fib = NULL;
	buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ streaming */

/* HAS and HASNT for answers too long to print whole: the end of it. */
#define BTAIL(b)	(buf_len(b) > 400 ? TEXT(b) + buf_len(b) - 400 : TEXT(b))
#define BHAS(b, s)	ck_assert_msg(strstr(TEXT(b), (s)) != NULL,	\
			    "missing '%s' in %zu bytes ending:\n%s", (s),	\
			    buf_len(b), BTAIL(b))
#define BHASNT(b, s)	ck_assert_msg(strstr(TEXT(b), (s)) == NULL,	\
			    "unexpected '%s' in %zu bytes ending:\n%s", (s),	\
			    buf_len(b), BTAIL(b))

static int
t_send(const char *cmds[], size_t n)
{
	struct buf	 req;
	size_t		 i;
	int		 fd = client_connect();

	buf_init(&req, 256, CTL_MAX_REQ * 4);
	for (i = 0; i < n; i++)
		ctl_frame_put(&req, CTL_REQUEST, cmds[i], strlen(cmds[i]) + 1);
	ck_assert_int_eq(write(fd, buf_data(&req), buf_len(&req)),
	    (ssize_t)buf_len(&req));
	buf_free(&req);
	return fd;
}

static int
t_held(const char *prefix)
{
	struct tb_prefix	 p;

	ck_assert_int_eq(prefix_parse(prefix, &p), 0);
	return rib_lookup(t_rib, &p) != NULL;
}

/* A table far beyond what one answer may queue (4 MiB) streams whole,
 * as text and as JSON. */
START_TEST(t_stream_large)
{
	struct buf	 b;

	t_many(100000);
	buf_init(&b, 1 << 20, 1u << 30);
	ck_assert_int_eq(run("show ip bgp", &b), 0);
	ck_assert_uint_gt(buf_len(&b), 4u * 1024 * 1024);
	BHASNT(&b, "Answer too long");
	BHAS(&b, "*> 100.1.134.159/32");
	BHAS(&b, "Displayed  100004 routes and 100006 total paths\n");
	ck_assert_int_eq(run("show ip bgp json", &b), 0);
	ck_assert_uint_gt(buf_len(&b), 4u * 1024 * 1024);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON");
	BHAS(&b, "\"100.1.134.159/32\":[");
	BHAS(&b, "\"totalRoutes\":100004,\n");
	ck_assert_int_eq(run("show ip bgp 100.0.0.0/8 longer-prefixes", &b),
	    0);
	BHAS(&b, "Displayed  100000 routes and 100000 total paths\n");
	ck_assert_int_eq(run("show bgp neighbors 169.254.200.1 routes", &b),
	    0);
	BHAS(&b, "Displayed  100003 routes and 100003 total paths\n");
	buf_free(&b);
}
END_TEST

/*
 * A client that does not read holds up nobody: another client is
 * answered meanwhile, and the routes withdrawn under a half-sent table
 * are simply not shown (their entries stay held until the answer ends,
 * then are freed).  A client that hangs up mid-answer lets go of them.
 */
START_TEST(t_stream_slow)
{
	const char	*tab[] = { "show ip bgp" };
	struct buf	 b, in;
	int		 fd, fd2, i;

	t_many(100000);
	buf_init(&b, 1 << 20, 1u << 30);
	buf_init(&in, 1024, 16 * 1024 * 1024);
	fd = t_send(tab, 1);
	for (i = 0; i < 50; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	ck_assert_int_eq(run("show bgp summary", &b), 0);
	BHAS(&b, "169.254.200.1");
	rib_src_flush(t_rib, &t_src[T_P1], AID_MAX);
	rib_drain(t_rib, NULL, NULL);
	ck_assert(t_held("100.1.134.159/32"));	/* the answer holds it */
	buf_reset(&b);
	ck_assert_int_eq(client_answer(fd, &in, &b), 0);
	close(fd);
	BHAS(&b, "*> 100.0.0.0/32");
	BHASNT(&b, "100.1.134.159/32");
	BHASNT(&b, "Displayed  100004 routes");
	BHAS(&b, "*> 10.1.0.0/16");		/* T_P0's, after 100/8 */
	ck_assert(!t_held("100.1.134.159/32"));

	/* Hang up mid-answer. */
	t_many(100000);
	fd2 = t_send(tab, 1);
	for (i = 0; i < 50; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	close(fd2);
	for (i = 0; i < 50; i++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	rib_src_flush(t_rib, &t_src[T_P1], AID_MAX);
	rib_drain(t_rib, NULL, NULL);
	ck_assert(!t_held("100.1.134.159/32"));
	buf_free(&in);
	buf_free(&b);
}
END_TEST

/* Requests sent together are answered in order, the second after the
 * whole of the first. */
START_TEST(t_stream_pipelined)
{
	const char	*two[] = { "show ip bgp", "show bgp summary json" };
	struct buf	 b, in;
	int		 fd;

	t_many(50000);
	buf_init(&b, 1 << 20, 1u << 30);
	buf_init(&in, 1024, 16 * 1024 * 1024);
	fd = t_send(two, 2);
	ck_assert_int_eq(client_answer(fd, &in, &b), 0);
	BHAS(&b, "Displayed  50004 routes");
	BHASNT(&b, "\"peers\"");
	buf_reset(&b);
	ck_assert_int_eq(client_answer(fd, &in, &b), 0);
	ck_assert_msg(jc_valid(TEXT(&b)), "invalid JSON:\n%s", TEXT(&b));
	BHAS(&b, "\"169.254.200.1\":{");
	close(fd);
	buf_free(&in);
	buf_free(&b);
}
END_TEST

static Suite *
ctl_suite(void)
{
	Suite	*s = suite_create("ctl");
	TCase	*tc;

	tc = tcase_create("framing");
	tcase_add_test(tc, t_frame_good);
	tcase_add_test(tc, t_frame_partial);
	tcase_add_test(tc, t_frame_bad_header);
	tcase_add_test(tc, t_frame_oversized);
	tcase_add_test(tc, t_frame_request_nul);
	tcase_add_test(tc, t_frame_put_split);
	tcase_add_test(tc, t_frame_describe);
	tcase_add_test(tc, t_frame_entry);
	tcase_add_test(tc, t_json_checker);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, t_jw_layout);
	tcase_add_test(tc, t_jw_escape);
	tcase_add_test(tc, t_jw_misuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("cmd");
	tcase_add_test(tc, t_cmd_split);
	tcase_add_test(tc, t_cmd_match);
	tcase_add_test(tc, t_cmd_match_errors);
	tcase_add_test(tc, t_cmd_error_text);
	tcase_add_test(tc, t_cmd_complete);
	tcase_add_test(tc, t_cmd_table_check);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_sock_modes);
	tcase_add_test(tc, t_sock_stale);
	tcase_add_test(tc, t_cmd_abbrev);
	tcase_add_test(tc, t_cmd_errors);
	tcase_add_test(tc, t_json_summary);
	tcase_add_test(tc, t_json_neighbors);
	tcase_add_test(tc, t_summary_identity);
	tcase_add_test(tc, t_summary_auto_id);
	tcase_add_test(tc, t_show_same_facts);
	tcase_add_test(tc, t_sock_malformed);
	tcase_add_test(tc, t_sock_describe);
	tcase_add_test(tc, t_sock_describe_bad);
	tcase_add_test(tc, t_sock_ro);
	tcase_add_test(tc, t_rt_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("routes");
	tcase_add_checked_fixture(tc, routes_setup, routes_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_rt_table_text);
	tcase_add_test(tc, t_rt_table_json);
	tcase_add_test(tc, t_rt_prefix_explained);
	tcase_add_test(tc, t_rt_prefix_multipath);
	tcase_add_test(tc, t_rt_prefix_lookup);
	tcase_add_test(tc, t_rt_longer);
	tcase_add_test(tc, t_rt_summary);
	tcase_add_test(tc, t_rt_neighbor_detail);
	tcase_add_test(tc, t_rt_neighbor_routes);
	tcase_add_test(tc, t_rt_large);
	tcase_add_test(tc, t_rt_prefix_kernel);
	tcase_add_test(tc, t_gr_show);
	tcase_add_test(tc, t_stream_large);
	tcase_add_test(tc, t_stream_slow);
	tcase_add_test(tc, t_stream_pipelined);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ctl_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
