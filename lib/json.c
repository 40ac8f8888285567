/*
 * json.c: the streaming JSON writer (see json.h).
 *
 * Owns the layout (two spaces per level, one member per line, no blank
 * after a colon, a newline after the top-level value, as FRR's vtysh
 * prints it), the comma between members, the nesting stack and the
 * escaping of strings.  Whatever bytes a string holds, the output is
 * valid JSON: RFC 8259 section 7 escapes and U+FFFD for what is not UTF-8.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"

void
json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->depth = 0;
	j->comma = 0;
	j->err = 0;
	j->arrays = 0;
}

static int
json_in_array(const struct json *j)
{
	return j->depth > 0 && (j->arrays & (1u << (j->depth - 1)));
}

static void
json_indent(struct json *j)
{
	int	 i;

	buf_put_u8(j->b, '\n');
	for (i = 0; i < j->depth; i++)
		buf_put(j->b, "  ", 2);
}

size_t
json_utf8_len(const unsigned char *s)
{
	size_t		 n, i;
	unsigned char	 lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return s[0] != '\0';
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* no overlong forms */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* no UTF-16 surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* nothing past U+10FFFF */
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* The escape for byte c, NULL if it stands for itself. */
static const char *
json_escape(unsigned char c, char *tmp, size_t len)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	}
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	snprintf(tmp, len, "\\u%04x", c);
	return tmp;
}

/* RFC 8259 section 7: quote, backslash and control characters must be
 * escaped; bytes that are not UTF-8 become U+FFFD so the output stays
 * valid JSON whatever a description or a peer's text holds. */
static void
json_quote(struct buf *b, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	const char		*esc;
	char			 tmp[8];
	size_t			 n;

	buf_put_u8(b, '"');
	while (*s != '\0') {
		n = json_utf8_len(s);
		if (*s < 0x80 && (esc = json_escape(*s, tmp, sizeof(tmp))))
			buf_put(b, esc, strlen(esc));
		else if (n > 0)
			buf_put(b, s, n);
		else
			buf_put(b, "\\ufffd", 6);
		s += n > 0 ? n : 1;
	}
	buf_put_u8(b, '"');
}

/* Start a member: the comma, its line, its key.  A key must be given in
 * an object and only there. */
static void
json_member(struct json *j, const char *key)
{
	int	 keyed = j->depth > 0 && !json_in_array(j);

	if ((key != NULL) != keyed || (j->depth == 0 && j->comma))
		j->err = 1;
	if (j->comma)
		buf_put_u8(j->b, ',');
	j->comma = 1;
	if (j->depth > 0)
		json_indent(j);
	if (key != NULL) {
		json_quote(j->b, key);
		buf_put_u8(j->b, ':');
	}
}

/* After a scalar or a close: the top-level value ends its line. */
static void
json_after(struct json *j)
{
	if (j->depth == 0)
		buf_put_u8(j->b, '\n');
}

static void
json_open(struct json *j, const char *key, char c, int array)
{
	if (j->depth == JSON_MAX_DEPTH) {
		j->err = 1;
		return;
	}
	json_member(j, key);
	buf_put_u8(j->b, (uint8_t)c);
	if (array)
		j->arrays |= 1u << j->depth;
	else
		j->arrays &= ~(1u << j->depth);
	j->depth++;
	j->comma = 0;
}

static void
json_close(struct json *j, char c, int array)
{
	if (j->depth == 0 || json_in_array(j) != array) {
		j->err = 1;
		return;
	}
	j->depth--;
	json_indent(j);
	buf_put_u8(j->b, (uint8_t)c);
	j->comma = 1;
	json_after(j);
}

void
json_object_open(struct json *j, const char *key)
{
	json_open(j, key, '{', 0);
}

void
json_object_close(struct json *j)
{
	json_close(j, '}', 0);
}

void
json_array_open(struct json *j, const char *key)
{
	json_open(j, key, '[', 1);
}

void
json_array_close(struct json *j)
{
	json_close(j, ']', 1);
}

void
json_string(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_quote(j->b, val);
	json_after(j);
}

static void
json_literal(struct json *j, const char *key, const char *lit)
{
	json_member(j, key);
	buf_put(j->b, lit, strlen(lit));
	json_after(j);
}

void
json_uint(struct json *j, const char *key, uint64_t val)
{
	char	 tmp[24];

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)val);
	json_literal(j, key, tmp);
}

void
json_int(struct json *j, const char *key, int64_t val)
{
	char	 tmp[24];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)val);
	json_literal(j, key, tmp);
}

void
json_bool(struct json *j, const char *key, int val)
{
	json_literal(j, key, val ? "true" : "false");
}

void
json_null(struct json *j, const char *key)
{
	json_literal(j, key, "null");
}

int
json_end(const struct json *j)
{
	return j->err || j->depth != 0 || !j->comma ? -1 : 0;
}
