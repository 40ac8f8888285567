/*
 * attr_int.h: declarations private to the attribute module; only attr.c
 * and attr_intern.c include this file (the public interface is attr.h).
 *
 * Holds the small helpers both halves use on the 4-octet internal form
 * of AS paths and on community values: the bounded segment walk and the
 * big-endian accessors, kept inline so neither file exports them.
 */
#ifndef TBGPD_ATTR_INT_H
#define TBGPD_ATTR_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "attr.h"
#include "log.h"

/* One segment of a path in the 4-octet internal form. */
struct seg {
	uint8_t		 type;
	uint8_t		 count;
	const uint8_t	*as;
};

/* Bounded walk: stops at the end or at a segment that would overrun. */
static inline int
seg_next(const uint8_t *data, size_t len, size_t *off, struct seg *s)
{
	if (*off > len || len - *off < 2)
		return 0;
	s->type = data[*off];
	s->count = data[*off + 1];
	if (len - *off - 2 < (size_t)s->count * 4)
		return 0;
	s->as = data + *off + 2;
	*off += 2 + (size_t)s->count * 4;
	return 1;
}

static inline int
seg_confed(uint8_t type)
{
	return type == AS_CONFED_SEQUENCE || type == AS_CONFED_SET;
}

static inline void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		fatal("malloc %zu", n);
	return p;
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
set_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

#endif /* TBGPD_ATTR_INT_H */
