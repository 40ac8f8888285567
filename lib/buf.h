/*
 * buf: the one bounded buffer type of tbgpd.
 *
 * A buf is either a read-only view over memory owned elsewhere, or a
 * growable writer with a hard size limit.  Readers are chains of getters
 * that return -1 (and consume nothing) when too little data is left; a
 * sub-view shares memory with its parent.  Writers never fail mid-chain:
 * an error (limit reached, no memory) is sticky and checked once at the end
 * with buf_error().  Lengths are back-patched through buf_reserve() and the
 * buf_set_*_at() setters.
 */
#ifndef TB_BUF_H
#define TB_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*base;
	size_t	 size;		/* bytes allocated (writer) or viewed */
	size_t	 rpos;		/* next byte to read */
	size_t	 wpos;		/* end of valid data */
	size_t	 max;		/* writer: growth limit */
	int	 err;		/* writer: sticky error */
	int	 owned;		/* base was allocated by buf_init() */
};

/* Readers. */
void		 buf_view(struct buf *, const void *, size_t);
size_t		 buf_left(const struct buf *);
const uint8_t	*buf_rptr(const struct buf *);
int		 buf_get_u8(struct buf *, uint8_t *);
int		 buf_get_u16(struct buf *, uint16_t *);	/* network order */
int		 buf_get_u32(struct buf *, uint32_t *);	/* network order */
int		 buf_get_n(struct buf *, void *, size_t);
int		 buf_get_view(struct buf *, size_t, struct buf *);
int		 buf_skip(struct buf *, size_t);
int		 buf_peek_u8(const struct buf *, size_t, uint8_t *);
int		 buf_peek_u16(const struct buf *, size_t, uint16_t *);

/* Writers. */
int		 buf_init(struct buf *, size_t initial, size_t max);
void		 buf_free(struct buf *);
void		 buf_reset(struct buf *);	/* empty, keep memory */
void		 buf_put_u8(struct buf *, uint8_t);
void		 buf_put_u16(struct buf *, uint16_t);
void		 buf_put_u32(struct buf *, uint32_t);
void		 buf_put(struct buf *, const void *, size_t);
size_t		 buf_reserve(struct buf *, size_t);	/* offset of the gap */
void		 buf_set_u8_at(struct buf *, size_t, uint8_t);
void		 buf_set_u16_at(struct buf *, size_t, uint16_t);
int		 buf_error(const struct buf *);
size_t		 buf_len(const struct buf *);		/* bytes written */
const uint8_t	*buf_data(const struct buf *);
/* Stream use (socket buffers): drop the first n bytes already handled. */
void		 buf_drain(struct buf *, size_t);

#endif
