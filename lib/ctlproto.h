/*
 * ctlproto: the control-socket protocol between tbgpd and tbgpsh.
 *
 * Every frame is an 8-byte header (total length including the header,
 * 32 bits in network order; protocol version; frame type; 16 bits
 * reserved, zero) and a payload.  A request carries one NUL-terminated
 * command line.  An answer is any number of DATA frames (text) closed by
 * one END frame carrying a 16-bit status (0 ok, else error; an error's
 * text is in the DATA frames before it).
 *
 * A DESCRIBE request (empty payload) asks for the command table, so that
 * the shell completes and explains with the daemon's own words: the
 * answer is one ENTRY frame per command the client may run (16-bit
 * CMD_F_* flags, the words, NUL, the help lines, NUL), then END.
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
#define CTL_MAX_ENTRY	4096		/* ENTRY frame, header included */

enum ctl_type {
	CTL_REQUEST = 1,
	CTL_DATA = 2,
	CTL_END = 3,
	CTL_DESCRIBE = 4,	/* shell to daemon: the command table, please */
	CTL_ENTRY = 5,		/* daemon to shell: one entry of it */
};

struct ctl_frame {
	uint8_t		 version;
	uint8_t		 type;
	const uint8_t	*payload;	/* points into the input */
	size_t		 len;		/* payload length */
};

/* One ENTRY frame's payload; words and help point into the frame. */
struct ctl_entry {
	uint16_t	 flags;
	const char	*words;
	const char	*help;
};

/*
 * Take one frame from the front of in.  Returns 1 with *f filled and the
 * frame consumed, 0 when more bytes are needed, -1 on a malformed frame
 * (err says why).  A request must be NUL-terminated with no NUL before;
 * a DESCRIBE is empty; an ENTRY is checked whole (see ctl_entry_get).
 */
int	ctl_frame_get(struct buf *in, size_t max, struct ctl_frame *f,
	    const char **err);
void	ctl_frame_put(struct buf *out, uint8_t type, const void *, size_t);
void	ctl_end_put(struct buf *out, uint16_t status);
void	ctl_describe_put(struct buf *out);
/* An ENTRY that ctl_frame_get took.  0, or -1 if f is not one. */
int	ctl_entry_get(const struct ctl_frame *f, struct ctl_entry *);
void	ctl_entry_put(struct buf *out, uint16_t flags, const char *words,
	    const char *help);

#endif
