/*
 * check_ctl: the control path piece by piece.  The framing of the
 * control protocol (lib/ctlproto.c) on hand-built bytes; the JSON writer
 * (lib/json.c) against a small strict parser; the command matcher and
 * completion (lib/cmd.c) on a table of its own; then the daemon's control
 * socket (bgpd/ctl.c, bgpd/ctl_show.c) end to end: a real socket in a
 * temporary directory, fake peers in the global peer list, requests sent
 * as a client would and answers read back through the event loop.
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

#include <event2/event.h>

#include "bgpd.h"
#include "buf.h"
#include "cmd.h"
#include "ctl.h"
#include "ctl_show.h"
#include "ctlproto.h"
#include "json.h"
#include "log.h"
#include "peer.h"

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
	    "Command incomplete");
	ck_assert_str_eq(cmd_status_str(CMD_UNKNOWN), "Unknown command");
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
	ck_assert_int_eq(cmd_table_check(&show_cmds, why, sizeof(why)), 0);
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
}

static void
teardown(void)
{
	struct peer	*p;
	char		 dir[128];

	ctl_shutdown();
	event_base_free(base);
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

/*
 * Turn the daemon's event loop and read what it answered, until an END
 * frame (returns its status) or the daemon hangs up (-2).  The text of
 * the DATA frames is left NUL-terminated in text.
 */
static int
client_answer(int fd, struct buf *in, struct buf *text)
{
	struct ctl_frame f;
	const char	*err;
	uint8_t		 tmp[8192];
	ssize_t		 n;
	int		 i, r, status = -1;
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	for (i = 0; i < 2000 && status == -1; i++) {
		while (status == -1 &&
		    (r = ctl_frame_get(in, CTL_MAX_FRAME, &f, &err)) == 1) {
			if (f.type == CTL_DATA)
				buf_put(text, f.payload, f.len);
			else
				status = f.payload[0] << 8 | f.payload[1];
		}
		buf_drain(in, in->rpos);
		if (status != -1)
			break;
		event_base_loop(base, EVLOOP_NONBLOCK);
		poll(&pfd, 1, 5);
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
	buf_init(&in, 1024, 8 * 1024 * 1024);
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
	ck_assert_str_eq(TEXT(&b), "% Unknown command: show bogus\n");
	ck_assert_int_eq(run("show bgp summary json extra", &b), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "% Unknown command"));
	/* "i" is ipv4 or ipv6. */
	ck_assert_int_eq(run("show bgp i unicast summary", &b), 1);
	ck_assert_str_eq(TEXT(&b),
	    "% Ambiguous command: show bgp i unicast summary\n");
	ck_assert_int_eq(run("show bgp", &b), 1);
	ck_assert_ptr_nonnull(strstr(TEXT(&b), "% Command incomplete"));
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
