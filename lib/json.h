/*
 * json: a streaming JSON writer into a struct buf.
 *
 * The caller opens objects and arrays and adds members; the writer puts
 * the commas, the indentation and the RFC 8259 string escapes.  Inside an
 * object every member has a key; inside an array and at the top no member
 * has one.  Misuse (a key where none belongs, a close that does not match,
 * nesting deeper than JSON_MAX_DEPTH) is a sticky error, checked once at
 * the end with json_end(), like buf_error().
 */
#ifndef TB_JSON_H
#define TB_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JSON_MAX_DEPTH	32

struct json {
	struct buf	*b;
	int		 depth;
	int		 comma;		/* a member precedes at this depth */
	int		 err;
	uint32_t	 arrays;	/* bit d: the container at depth d+1 */
};

void	json_init(struct json *, struct buf *);
void	json_object_open(struct json *, const char *key);
void	json_object_close(struct json *);
void	json_array_open(struct json *, const char *key);
void	json_array_close(struct json *);
void	json_string(struct json *, const char *key, const char *val);
void	json_uint(struct json *, const char *key, uint64_t);
void	json_int(struct json *, const char *key, int64_t);
void	json_bool(struct json *, const char *key, int);
void	json_null(struct json *, const char *key);
/* 0 if one complete, well-nested value was written, else -1. */
int	json_end(const struct json *);

/* Length of the valid UTF-8 sequence at s (1 for ASCII), 0 if s does not
 * start one.  Shared with the text renderers' escaping. */
size_t	json_utf8_len(const unsigned char *s);

#endif
