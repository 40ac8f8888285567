/*
 * ctlproto: framing of the control protocol shared by tbgpd (ctl.c) and
 * tbgpsh.  Owns the frame header layout and every check a frame must pass
 * before anyone looks at its payload: the header is validated as soon as
 * its 8 bytes are in, so an oversized or foreign frame is refused without
 * waiting for (or buffering) its body.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ctlproto.h"

/* The 16-bit status of an END frame is its whole payload. */
#define CTL_END_LEN	2

struct ctl_hdr {
	uint32_t	len;
	uint8_t		version;
	uint8_t		type;
	uint16_t	reserved;
};

static int
ctl_hdr_get(struct buf *in, struct ctl_hdr *h)
{
	if (buf_get_u32(in, &h->len) == -1 ||
	    buf_get_u8(in, &h->version) == -1 ||
	    buf_get_u8(in, &h->type) == -1 ||
	    buf_get_u16(in, &h->reserved) == -1)
		return -1;
	return 0;
}

/* The largest frame of each type, header included; 0: unknown type. */
static size_t
ctl_type_max(uint8_t type)
{
	switch (type) {
	case CTL_REQUEST:
		return CTL_MAX_REQ;
	case CTL_DATA:
		return CTL_MAX_FRAME;
	case CTL_END:
		return CTL_HDR_LEN + CTL_END_LEN;
	case CTL_DESCRIBE:
		return CTL_HDR_LEN;
	case CTL_ENTRY:
		return CTL_MAX_ENTRY;
	default:
		return 0;
	}
}

static const char *
ctl_hdr_check(const struct ctl_hdr *h, size_t max)
{
	size_t	 tmax = ctl_type_max(h->type);

	if (h->version != CTL_VERSION)
		return "unsupported protocol version";
	if (tmax == 0)
		return "unknown frame type";
	if (h->reserved != 0)
		return "reserved header bits set";
	if (h->len < CTL_HDR_LEN)
		return "frame length shorter than its header";
	if (h->len > max)
		return "frame too long";
	if (h->type == CTL_END && h->len != tmax)
		return "bad END frame length";
	if (h->type == CTL_DESCRIBE && h->len != tmax)
		return "DESCRIBE frame with a payload";
	if (h->len > tmax)
		return "frame too long for its type";
	return NULL;
}

/* A request is one C string: the terminating NUL and no other. */
static const char *
ctl_request_check(const uint8_t *p, size_t len)
{
	if (len == 0 || p[len - 1] != '\0')
		return "request not NUL-terminated";
	if (memchr(p, '\0', len - 1) != NULL)
		return "NUL inside request";
	return NULL;
}

/* An entry is its flags and two C strings, the words never empty. */
static const char *
ctl_entry_check(const uint8_t *p, size_t len)
{
	const uint8_t	*nul;

	if (len < 2 + 2)
		return "ENTRY frame too short";
	p += 2;
	len -= 2;
	if (p[len - 1] != '\0')
		return "ENTRY not NUL-terminated";
	if (p[0] == '\0')
		return "ENTRY without words";
	if ((nul = memchr(p, '\0', len - 1)) == NULL)
		return "ENTRY without help";
	if (memchr(nul + 1, '\0', len - 1 - (size_t)(nul + 1 - p)) != NULL)
		return "NUL inside ENTRY";
	return NULL;
}

static const char *
ctl_body_check(const struct ctl_frame *f)
{
	if (f->type == CTL_REQUEST)
		return ctl_request_check(f->payload, f->len);
	if (f->type == CTL_ENTRY)
		return ctl_entry_check(f->payload, f->len);
	return NULL;
}

int
ctl_frame_get(struct buf *in, size_t max, struct ctl_frame *f,
    const char **err)
{
	struct buf	 hv;
	struct ctl_hdr	 h;
	const char	*why;

	*err = NULL;
	buf_view(&hv, buf_rptr(in), buf_left(in));
	if (ctl_hdr_get(&hv, &h) == -1)
		return 0;
	if ((why = ctl_hdr_check(&h, max)) != NULL) {
		*err = why;
		return -1;
	}
	if (buf_left(in) < h.len)
		return 0;

	f->version = h.version;
	f->type = h.type;
	f->payload = buf_rptr(in) + CTL_HDR_LEN;
	f->len = h.len - CTL_HDR_LEN;
	if ((why = ctl_body_check(f)) != NULL) {
		*err = why;
		return -1;
	}
	buf_skip(in, h.len);
	return 1;
}

static void
ctl_hdr_put(struct buf *out, uint8_t type, size_t plen)
{
	buf_put_u32(out, (uint32_t)(CTL_HDR_LEN + plen));
	buf_put_u8(out, CTL_VERSION);
	buf_put_u8(out, type);
	buf_put_u16(out, 0);
}

static void
ctl_frame_put1(struct buf *out, uint8_t type, const void *p, size_t len)
{
	ctl_hdr_put(out, type, len);
	if (len > 0)
		buf_put(out, p, len);
}

/*
 * DATA is a byte stream cut into frames of at most CTL_MAX_FRAME, so any
 * answer fits; the other types are single frames and one larger than its
 * type allows makes the writer's sticky error.
 */
void
ctl_frame_put(struct buf *out, uint8_t type, const void *p, size_t len)
{
	const uint8_t	*bp = p;
	size_t		 chunk, maxpl = CTL_MAX_FRAME - CTL_HDR_LEN;

	if (type != CTL_DATA) {
		if (len + CTL_HDR_LEN > ctl_type_max(type)) {
			out->err = EMSGSIZE;
			return;
		}
		ctl_frame_put1(out, type, p, len);
		return;
	}
	while (len > 0) {
		chunk = len < maxpl ? len : maxpl;
		ctl_frame_put1(out, type, bp, chunk);
		bp += chunk;
		len -= chunk;
	}
}

void
ctl_end_put(struct buf *out, uint16_t status)
{
	ctl_hdr_put(out, CTL_END, CTL_END_LEN);
	buf_put_u16(out, status);
}

void
ctl_describe_put(struct buf *out)
{
	ctl_hdr_put(out, CTL_DESCRIBE, 0);
}

int
ctl_entry_get(const struct ctl_frame *f, struct ctl_entry *e)
{
	struct buf	 v;

	if (f->type != CTL_ENTRY || ctl_entry_check(f->payload, f->len) != NULL)
		return -1;
	buf_view(&v, f->payload, f->len);
	if (buf_get_u16(&v, &e->flags) == -1)
		return -1;
	/* Both strings are NUL-terminated: checked above. */
	e->words = (const char *)buf_rptr(&v);
	e->help = e->words + strlen(e->words) + 1;
	return 0;
}

void
ctl_entry_put(struct buf *out, uint16_t flags, const char *words,
    const char *help)
{
	size_t	 wl = strlen(words) + 1, hl = strlen(help) + 1;

	if (CTL_HDR_LEN + 2 + wl + hl > CTL_MAX_ENTRY) {
		out->err = EMSGSIZE;
		return;
	}
	ctl_hdr_put(out, CTL_ENTRY, 2 + wl + hl);
	buf_put_u16(out, flags);
	buf_put(out, words, wl);
	buf_put(out, help, hl);
}
