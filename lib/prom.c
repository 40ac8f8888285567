/*
 * prom.c: the Prometheus text exposition writer (see prom.h).
 *
 * Owns the escaping rules of the format (label values: \\, \" and \n;
 * help texts: \\ and \n), the replacement of bytes that are not UTF-8,
 * the number formats (integers exactly, other values with 17
 * significant digits or 15 when that reads back the same, NaN and infinities by their names) and the
 * line layout.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "prom.h"

static const char	 prom_fffd[] = "\xef\xbf\xbd";

void
prom_init(struct prom *m, struct buf *b)
{
	m->b = b;
	m->family = NULL;
}

static void
prom_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* s with the escapes of a label value (quote 1) or a help text (0). */
static void
prom_escape(struct buf *b, const char *s, int quote)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n;

	while (*u != '\0') {
		if (*u == '\\')
			prom_puts(b, "\\\\");
		else if (*u == '\n')
			prom_puts(b, "\\n");
		else if (*u == '"' && quote)
			prom_puts(b, "\\\"");
		else if ((n = json_utf8_len(u)) == 0) {
			prom_puts(b, prom_fffd);
			u++;
			continue;
		} else {
			buf_put(b, u, n);
			u += n;
			continue;
		}
		u++;
	}
}

void
prom_escape_value(struct buf *b, const char *s)
{
	prom_escape(b, s, 1);
}

static const char *
prom_type_name(enum prom_type t)
{
	switch (t) {
	case PROM_COUNTER:
		return "counter";
	case PROM_GAUGE:
		return "gauge";
	default:
		return "untyped";
	}
}

void
prom_family(struct prom *m, const char *name, enum prom_type type,
    const char *help)
{
	m->family = name;
	prom_puts(m->b, "# HELP ");
	prom_puts(m->b, name);
	buf_put_u8(m->b, ' ');
	prom_escape(m->b, help, 0);
	prom_puts(m->b, "\n# TYPE ");
	prom_puts(m->b, name);
	buf_put_u8(m->b, ' ');
	prom_puts(m->b, prom_type_name(type));
	buf_put_u8(m->b, '\n');
}

void
prom_labels_init(struct prom_labels *l)
{
	l->s[0] = '\0';
	l->len = 0;
	l->err = 0;
}

/* name="escaped value" appended to b, with a comma if b has some. */
static void
prom_pair(struct buf *b, const char *name, const char *value, int comma)
{
	if (comma)
		buf_put_u8(b, ',');
	prom_puts(b, name);
	prom_puts(b, "=\"");
	prom_escape(b, value, 1);
	buf_put_u8(b, '"');
}

void
prom_label(struct prom_labels *l, const char *name, const char *value)
{
	struct buf	 b;

	if (l->err)
		return;
	if (buf_init(&b, 64, sizeof(l->s) - 1 - l->len) == -1) {
		l->err = 1;
		return;
	}
	prom_pair(&b, name, value, l->len > 0);
	if (buf_error(&b))
		l->err = 1;
	else {
		memcpy(l->s + l->len, buf_data(&b), buf_len(&b));
		l->len += buf_len(&b);
		l->s[l->len] = '\0';
	}
	buf_free(&b);
}

void
prom_label_u64(struct prom_labels *l, const char *name, uint64_t v)
{
	char	 s[24];

	snprintf(s, sizeof(s), "%" PRIu64, v);
	prom_label(l, name, s);
}

/* The name and the label set of a sample, up to the value. */
static void
prom_head(struct prom *m, const struct prom_labels *l, const char *name,
    const char *value)
{
	int	 any = l != NULL && l->len > 0;

	if (m->family == NULL || (l != NULL && l->err)) {
		/* Misuse: make the buf's error say so. */
		buf_put(m->b, NULL, SIZE_MAX);
		return;
	}
	prom_puts(m->b, m->family);
	if (!any && name == NULL) {
		buf_put_u8(m->b, ' ');
		return;
	}
	buf_put_u8(m->b, '{');
	if (any)
		buf_put(m->b, l->s, l->len);
	if (name != NULL)
		prom_pair(m->b, name, value, any);
	prom_puts(m->b, "} ");
}

void
prom_u64(struct prom *m, const struct prom_labels *l, const char *name,
    const char *value, uint64_t v)
{
	char	 s[24];

	prom_head(m, l, name, value);
	snprintf(s, sizeof(s), "%" PRIu64 "\n", v);
	prom_puts(m->b, s);
}

void
prom_double(struct prom *m, const struct prom_labels *l, const char *name,
    const char *value, double v)
{
	char	 s[40];

	prom_head(m, l, name, value);
	if (isnan(v))
		snprintf(s, sizeof(s), "NaN\n");
	else if (isinf(v))
		snprintf(s, sizeof(s), "%sInf\n", v > 0 ? "+" : "-");
	else {
		/* The shortest of 15 or 17 digits that reads back exactly. */
		snprintf(s, sizeof(s), "%.15g", v);
		if (strtod(s, NULL) != v)
			snprintf(s, sizeof(s), "%.17g", v);
		strlcat(s, "\n", sizeof(s));
	}
	prom_puts(m->b, s);
}
