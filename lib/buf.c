/*
 * buf.c: the bounded buffer of tbgpd (see buf.h).
 *
 * Owns two things: the reader discipline (every getter checks what is left
 * before it touches a byte, returns -1 and consumes nothing when short) and
 * the writer discipline (growth by doubling up to a hard limit, a sticky
 * error instead of a return code on every put, back-patching of lengths).
 *
 * Error values kept in buf.err: ENOBUFS when the limit would be passed,
 * ENOMEM when realloc failed, EINVAL for a write to a view or a setter
 * outside the written data, ERANGE for a drain past the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Readers ------------------------------------------------------------- */

/* A view never owns its memory; writing to it is an error (see grow). */
void
buf_view(struct buf *b, const void *p, size_t len)
{
	memset(b, 0, sizeof(*b));
	/* The view is read-only by contract; base is non-const only so the
	 * writer and the reader can share one struct. */
	b->base = (uint8_t *)(uintptr_t)p;
	b->size = len;
	b->wpos = len;
}

size_t
buf_left(const struct buf *b)
{
	return b->wpos - b->rpos;
}

const uint8_t *
buf_rptr(const struct buf *b)
{
	return b->base + b->rpos;
}

int
buf_get_n(struct buf *b, void *out, size_t n)
{
	if (buf_left(b) < n)
		return -1;
	if (n > 0)
		memcpy(out, b->base + b->rpos, n);
	b->rpos += n;
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *v)
{
	return buf_get_n(b, v, 1);
}

int
buf_get_u16(struct buf *b, uint16_t *v)
{
	if (buf_peek_u16(b, 0, v) == -1)
		return -1;
	b->rpos += 2;
	return 0;
}

int
buf_get_u32(struct buf *b, uint32_t *v)
{
	const uint8_t	*p;

	if (buf_left(b) < 4)
		return -1;
	p = b->base + b->rpos;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	b->rpos += 4;
	return 0;
}

/* The sub-view shares memory with b: it is valid as long as b's memory. */
int
buf_get_view(struct buf *b, size_t n, struct buf *sub)
{
	if (buf_left(b) < n)
		return -1;
	buf_view(sub, b->base + b->rpos, n);
	b->rpos += n;
	return 0;
}

int
buf_skip(struct buf *b, size_t n)
{
	if (buf_left(b) < n)
		return -1;
	b->rpos += n;
	return 0;
}

/* Peeks look at offset off from the read position and consume nothing. */
int
buf_peek_u8(const struct buf *b, size_t off, uint8_t *v)
{
	if (off >= buf_left(b))
		return -1;
	*v = b->base[b->rpos + off];
	return 0;
}

int
buf_peek_u16(const struct buf *b, size_t off, uint16_t *v)
{
	const uint8_t	*p;

	if (buf_left(b) < 2 || off > buf_left(b) - 2)
		return -1;
	p = b->base + b->rpos + off;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

/* Writers ------------------------------------------------------------- */

/* A max below initial is raised to initial: the limit is never smaller
 * than what was asked for up front. */
int
buf_init(struct buf *b, size_t initial, size_t max)
{
	memset(b, 0, sizeof(*b));
	if (max < initial)
		max = initial;
	b->max = max;
	b->owned = 1;
	if (initial == 0)
		return 0;
	if ((b->base = malloc(initial)) == NULL) {
		b->err = ENOMEM;
		return -1;
	}
	b->size = initial;
	return 0;
}

void
buf_free(struct buf *b)
{
	if (b->owned)
		free(b->base);
	memset(b, 0, sizeof(*b));
}

void
buf_reset(struct buf *b)
{
	b->rpos = 0;
	b->wpos = 0;
	b->err = 0;
}

/*
 * Make room for n more bytes.  Doubling keeps appends amortised O(1); the
 * last step is clipped to max so the whole limit is usable.
 */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 need, nsize;
	uint8_t	*p;

	if (b->err)
		return -1;
	if (!b->owned) {
		b->err = EINVAL;
		return -1;
	}
	if (n > b->max || b->wpos > b->max - n) {
		b->err = ENOBUFS;
		return -1;
	}
	need = b->wpos + n;
	if (need <= b->size)
		return 0;
	nsize = b->size ? b->size : 64;
	while (nsize < need)
		nsize = nsize > b->max / 2 ? b->max : nsize * 2;
	if (nsize > b->max)
		nsize = b->max;
	if ((p = realloc(b->base, nsize)) == NULL) {
		b->err = ENOMEM;
		return -1;
	}
	b->base = p;
	b->size = nsize;
	return 0;
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->base + b->wpos, p, n);
	b->wpos += n;
}

void
buf_put_u8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void
buf_put_u16(struct buf *b, uint16_t v)
{
	uint8_t	 p[2] = { v >> 8, v & 0xff };

	buf_put(b, p, sizeof(p));
}

void
buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t	 p[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
	    v & 0xff };

	buf_put(b, p, sizeof(p));
}

/*
 * A zeroed gap of n bytes to be filled later with buf_set_*_at().  On
 * error nothing is added and the returned offset is where the gap would
 * have been; a later setter there fails and the error stays set.
 */
size_t
buf_reserve(struct buf *b, size_t n)
{
	size_t	 off = b->wpos;

	if (buf_grow(b, n) == -1)
		return off;
	if (n > 0)
		memset(b->base + off, 0, n);
	b->wpos += n;
	return off;
}

static int
buf_set_check(struct buf *b, size_t off, size_t n)
{
	if (b->err)
		return -1;
	if (!b->owned || off > b->wpos || n > b->wpos - off) {
		b->err = EINVAL;
		return -1;
	}
	return 0;
}

void
buf_set_u8_at(struct buf *b, size_t off, uint8_t v)
{
	if (buf_set_check(b, off, 1) == -1)
		return;
	b->base[off] = v;
}

void
buf_set_u16_at(struct buf *b, size_t off, uint16_t v)
{
	if (buf_set_check(b, off, 2) == -1)
		return;
	b->base[off] = v >> 8;
	b->base[off + 1] = v & 0xff;
}

int
buf_error(const struct buf *b)
{
	return b->err;
}

size_t
buf_len(const struct buf *b)
{
	return b->wpos;
}

const uint8_t *
buf_data(const struct buf *b)
{
	return b->base;
}

/*
 * Stream use: the first n bytes (complete messages already handled) are
 * dropped and the rest moved to the front, so a socket buffer never grows
 * past one partial message plus what one read() adds.  The read position
 * moves with the data: if it pointed into the kept part it still points
 * at the same byte, if it pointed into the dropped part it becomes 0.
 * Draining more than was written is a caller bug: everything is dropped
 * and ERANGE is set.  On a view the window moves instead of the data.
 */
void
buf_drain(struct buf *b, size_t n)
{
	if (n > b->wpos) {
		n = b->wpos;
		b->err = ERANGE;
	}
	if (n == 0)
		return;
	if (!b->owned) {
		/* A view is read-only: move the window instead of the data. */
		b->base += n;
		b->size -= n;
	} else if (b->wpos > n)
		memmove(b->base, b->base + n, b->wpos - n);
	b->wpos -= n;
	b->rpos = b->rpos > n ? b->rpos - n : 0;
}
