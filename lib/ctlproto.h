/*
 * ctlproto: the control-socket protocol between tbgpd and tbgpsh.
 *
 * Every frame is an 8-byte header (total length including the header,
 * 32 bits in network order; protocol version; frame type; 16 bits
 * reserved, zero) and a payload.  A request carries one NUL-terminated
 * command line.  An answer is any number of DATA frames (text) closed by
 * one END frame carrying a 16-bit status (0 ok, else error; an error's
 * text is in the DATA frames before it).
 */
#ifndef TB_CTLPROTO_H
#define TB_CTLPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define CTL_VERSION	1
#define CTL_HDR_LEN	8
#define CTL_MAX_REQ	4096		/* request frame, header included */
#define CTL_MAX_FRAME	65536		/* any frame */

enum ctl_type {
	CTL_REQUEST = 1,
	CTL_DATA = 2,
	CTL_END = 3,
};

struct ctl_frame {
	uint8_t		 version;
	uint8_t		 type;
	const uint8_t	*payload;	/* points into the input */
	size_t		 len;		/* payload length */
};

/*
 * Take one frame from the front of in.  Returns 1 with *f filled and the
 * frame consumed, 0 when more bytes are needed, -1 on a malformed frame
 * (err says why).  A request must be NUL-terminated with no NUL before.
 */
int	ctl_frame_get(struct buf *in, size_t max, struct ctl_frame *f,
	    const char **err);
void	ctl_frame_put(struct buf *out, uint8_t type, const void *, size_t);
void	ctl_end_put(struct buf *out, uint16_t status);

#endif
