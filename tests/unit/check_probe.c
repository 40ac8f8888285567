/*
 * check_probe: the echo liveness probe (bgpd/probe.c) without a socket
 * or a clock.  The reply parser on hand-built packets, valid and broken
 * (docs/malformed-input.md row 18): truncated at every length, other ICMP
 * types, another identifier, cookie or source, raw IPv4 with options,
 * bad headers and checksums, every single-octet mutation.  The engine
 * driven with explicit times: never armed, down after exactly multiplier
 * misses, the up_count hysteresis, late, duplicate and stale replies,
 * failed sends, sequence wrap, a callback that frees the probe.  One
 * loopback test opens a real socket when the system allows it.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "addr.h"
#include "buf.h"
#include "log.h"
#include "probe.h"

#define MS	1000ULL		/* engine times are microseconds */

/* Packets --------------------------------------------------------------- */

static struct tb_addr
A(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* The test's own RFC 1071 sum, written apart from probe.c's. */
static uint16_t
sum16(const uint8_t *p, size_t n)
{
	uint32_t	 s = 0;
	size_t		 i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
fix_cksum(uint8_t *icmp, size_t n)
{
	uint16_t	 c;

	icmp[2] = icmp[3] = 0;
	c = sum16(icmp, n);
	icmp[2] = c >> 8;
	icmp[3] = c & 0xff;
}

static struct probe_expect
expect(const char *peer, uint16_t ident, uint32_t cookie, int iphdr)
{
	struct probe_expect	 x;

	memset(&x, 0, sizeof(x));
	x.peer = A(peer);
	x.ident = ident;
	x.cookie = cookie;
	x.iphdr = iphdr;
	return x;
}

/* The reply a correct peer sends to our request: type flipped, data
 * unchanged, checksum redone (ICMPv6 left to the kernel). */
static size_t
mk_reply(uint8_t *out, const struct probe_expect *x, uint16_t seq)
{
	struct buf	 w;
	size_t		 n;
	int		 v4 = x->peer.af == AF_INET;

	ck_assert_int_eq(buf_init(&w, 64, 64), 0);
	ck_assert_int_eq(probe_build_request(&w, x->peer.af, x, seq), 0);
	n = buf_len(&w);
	ck_assert_uint_eq(n, PROBE_PKTLEN);
	memcpy(out, buf_data(&w), n);
	buf_free(&w);
	ck_assert_uint_eq(out[0], v4 ? 8 : 128);
	out[0] = v4 ? 0 : 129;
	if (v4)
		fix_cksum(out, n);
	return n;
}

/* An IPv4 header with optlen octets of options (NOPs) before icmp. */
static size_t
mk_ip4(uint8_t *out, const char *src, size_t optlen, const uint8_t *icmp,
    size_t n)
{
	struct tb_addr	 s = A(src), d = A("169.254.10.2");
	size_t		 hl = 20 + optlen, tot = hl + n;

	memset(out, 0, hl);
	out[0] = (uint8_t)(0x40 | hl / 4);
	out[2] = (uint8_t)(tot >> 8);
	out[3] = tot & 0xff;
	out[6] = 0x40;			/* DF */
	out[8] = 64;
	out[9] = 1;			/* ICMP */
	memcpy(out + 12, &s.u.v4, 4);
	memcpy(out + 16, &d.u.v4, 4);
	memset(out + 20, 1, optlen);
	memcpy(out + hl, icmp, n);
	return tot;
}

static int
parse(const struct probe_expect *x, const char *from, const uint8_t *p,
    size_t n, uint16_t *seq)
{
	struct tb_addr	 f = A(from);

	return probe_parse_reply(x, &f, p, n, seq);
}

START_TEST(t_parse_valid)
{
	struct probe_expect	 x4 = expect("169.254.10.1", 0x1234, 0xdeadbeef,
	    0);
	struct probe_expect	 x6 = expect("fd00::1", 7, 42, 0);
	struct probe_expect	 xr = expect("169.254.10.1", 0x1234, 0xdeadbeef,
	    1);
	uint8_t			 r[64], ip[128];
	uint16_t		 seq = 0;
	size_t			 n, m, opt;

	n = mk_reply(r, &x4, 65535);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 0);
	ck_assert_uint_eq(seq, 65535);
	n = mk_reply(r, &x6, 3);
	ck_assert_int_eq(parse(&x6, "fd00::1", r, n, &seq), 0);
	ck_assert_uint_eq(seq, 3);
	/* Raw IPv4, without and with options up to the 40-octet limit. */
	n = mk_reply(r, &xr, 9);
	for (opt = 0; opt <= 40; opt += 4) {
		seq = 0;
		m = mk_ip4(ip, "169.254.10.1", opt, r, n);
		ck_assert_int_eq(parse(&xr, "169.254.10.1", ip, m, &seq), 0);
		ck_assert_uint_eq(seq, 9);
	}
	/* Link padding after the total length is not part of the packet. */
	m = mk_ip4(ip, "169.254.10.1", 0, r, n);
	memset(ip + m, 0xee, 6);
	ck_assert_int_eq(parse(&xr, "169.254.10.1", ip, m + 6, &seq), 0);
	/* Peers may return more data than asked; the cookie is enough. */
	n = mk_reply(r, &x6, 4);
	memset(r + n, 0, 20);
	ck_assert_int_eq(parse(&x6, "fd00::1", r, n + 20, &seq), 0);
}
END_TEST

START_TEST(t_parse_request_built)
{
	struct probe_expect	 x = expect("169.254.10.1", 0xabcd, 0x01020304,
	    0);
	struct buf		 w;
	const uint8_t		*p;
	uint16_t		 seq;

	ck_assert_int_eq(buf_init(&w, 16, 64), 0);
	ck_assert_int_eq(probe_build_request(&w, AF_INET, &x, 0x0102), 0);
	p = buf_data(&w);
	ck_assert_uint_eq(buf_len(&w), 16);
	ck_assert_uint_eq(p[0], 8);
	ck_assert_uint_eq(p[1], 0);
	ck_assert_uint_eq(sum16(p, 16), 0);	/* checksum right */
	ck_assert_uint_eq(p[4] << 8 | p[5], 0xabcd);
	ck_assert_uint_eq(p[6] << 8 | p[7], 0x0102);
	ck_assert_mem_eq(p + 8, "\x01\x02\x03\x04tbgp", 8);
	/* Our own request (a raw socket looping it back) is not a reply. */
	ck_assert_int_eq(parse(&x, "169.254.10.1", p, 16, &seq), 1);
	buf_free(&w);
	/* A writer too small to hold it reports the error. */
	ck_assert_int_eq(buf_init(&w, 4, 10), 0);
	ck_assert_int_eq(probe_build_request(&w, AF_INET6, &x, 1), -1);
	buf_free(&w);
}
END_TEST

/* Every cut of an IPv4 reply, raw or not, is malformed (the header
 * lengths or the checksum catch it).  ICMPv6 has no checksum for us to
 * check: a cut inside the cookie is not ours, after the cookie it is. */
START_TEST(t_parse_truncated)
{
	struct probe_expect	 x4 = expect("169.254.10.1", 1, 2, 0);
	struct probe_expect	 xr = expect("169.254.10.1", 1, 2, 1);
	struct probe_expect	 x6 = expect("fd00::1", 1, 2, 0);
	uint8_t			 r4[64], r6[64], ip[128];
	uint16_t		 seq;
	size_t			 n4, n6, m, i;

	n4 = mk_reply(r4, &x4, 5);
	n6 = mk_reply(r6, &x6, 5);
	m = mk_ip4(ip, "169.254.10.1", 8, r4, n4);
	for (i = 0; i < n4; i++)
		ck_assert_int_eq(parse(&x4, "169.254.10.1", r4, i, &seq), -1);
	for (i = 0; i < m; i++)
		ck_assert_int_eq(parse(&xr, "169.254.10.1", ip, i, &seq), -1);
	for (i = 0; i < n6; i++)
		ck_assert_int_eq(parse(&x6, "fd00::1", r6, i, &seq),
		    i < 8 ? -1 : (i < 12 ? 1 : 0));
	ck_assert_int_eq(parse(&x4, "169.254.10.1", NULL, 0, &seq), -1);
}
END_TEST

START_TEST(t_parse_not_ours)
{
	struct probe_expect	 x4 = expect("169.254.10.1", 0x1234, 77, 0);
	struct probe_expect	 xr = expect("169.254.10.1", 0x1234, 77, 1);
	struct probe_expect	 x6 = expect("fd00::1", 0x1234, 77, 0);
	struct probe_expect	 other;
	uint8_t			 r[64], ip[128];
	uint16_t		 seq;
	size_t			 n, m;

	n = mk_reply(r, &x4, 1);
	/* Wrong types: an echo request, an unreachable, a redirect. */
	r[0] = 8;
	fix_cksum(r, n);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 1);
	r[0] = 3;
	fix_cksum(r, n);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 1);
	r[0] = 0;
	r[1] = 1;			/* echo reply with a code */
	fix_cksum(r, n);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 1);
	/* Another process's ping: other identifier, or same id and other
	 * data. */
	other = x4;
	other.ident = 0x1235;
	n = mk_reply(r, &other, 1);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 1);
	other = x4;
	other.cookie = 78;
	n = mk_reply(r, &other, 1);
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), 1);
	/* Wrong source: the sockaddr, or the IP header on a raw socket
	 * (which counts, whatever the sockaddr says). */
	n = mk_reply(r, &x4, 1);
	ck_assert_int_eq(parse(&x4, "169.254.10.5", r, n, &seq), 1);
	ck_assert_int_eq(parse(&x4, "::ffff:169.254.10.2", r, n, &seq), 1);
	m = mk_ip4(ip, "169.254.10.5", 0, r, n);
	ck_assert_int_eq(parse(&xr, "169.254.10.1", ip, m, &seq), 1);
	m = mk_ip4(ip, "169.254.10.1", 0, r, n);
	ck_assert_int_eq(parse(&xr, "169.254.10.5", ip, m, &seq), 0);
	/* ICMPv6: a request, a v4 source, another identifier. */
	n = mk_reply(r, &x6, 1);
	ck_assert_int_eq(parse(&x6, "169.254.10.1", r, n, &seq), 1);
	ck_assert_int_eq(parse(&x6, "fd00::2", r, n, &seq), 1);
	r[0] = 128;
	ck_assert_int_eq(parse(&x6, "fd00::1", r, n, &seq), 1);
	r[0] = 129;
	r[5] ^= 1;
	ck_assert_int_eq(parse(&x6, "fd00::1", r, n, &seq), 1);
}
END_TEST

START_TEST(t_parse_malformed)
{
	struct probe_expect	 x4 = expect("169.254.10.1", 0x1234, 77, 0);
	struct probe_expect	 xr = expect("169.254.10.1", 0x1234, 77, 1);
	uint8_t			 r[64], ip[128], bad[128];
	uint16_t		 seq;
	size_t			 n, m;

	n = mk_reply(r, &x4, 1);
	r[7] ^= 0x10;			/* checksum no longer right */
	ck_assert_int_eq(parse(&x4, "169.254.10.1", r, n, &seq), -1);
	n = mk_reply(r, &x4, 1);
	m = mk_ip4(ip, "169.254.10.1", 4, r, n);
	ck_assert_int_eq(parse(&xr, "169.254.10.1", ip, m, &seq), 0);
	memcpy(bad, ip, m);
	bad[0] = 0x65;			/* version 6 */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[0] = 0x44;			/* header shorter than 20 */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[0] = 0x4f;			/* 60-octet header, past the end */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[2] = 0;
	bad[3] = 20;			/* total length < header length */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[3] = (uint8_t)(m + 1);	/* total length past the datagram */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[6] = 0x20;			/* more fragments */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[7] = 1;			/* fragment offset */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[9] = 17;			/* UDP */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	memcpy(bad, ip, m);
	bad[3] = (uint8_t)(m - 1);	/* ICMP cut by the total length */
	ck_assert_int_eq(parse(&xr, "169.254.10.1", bad, m, &seq), -1);
	/* A raw datagram given to a ping-socket parser is garbage ICMP. */
	ck_assert_int_eq(parse(&x4, "169.254.10.1", ip, m, &seq), -1);
}
END_TEST

/* Every octet of a raw reply set to every interesting value: nothing
 * crashes (ASan watches), only the IP header's unchecked fields, the
 * echo data's tail and changes the checksum absorbs can still parse. */
START_TEST(t_parse_mutate)
{
	static const uint8_t	 vals[] = { 0x00, 0x01, 0x45, 0x7f, 0x80,
				    0xfe, 0xff };
	struct probe_expect	 xr = expect("169.254.10.1", 0x1234, 77, 1);
	uint8_t			 r[64], ip[128], m[128];
	uint16_t		 seq;
	size_t			 n, len, i, j, k, ok = 0, bad = 0, other = 0;
	int			 rc;

	n = mk_reply(r, &xr, 1);
	len = mk_ip4(ip, "169.254.10.1", 4, r, n);
	for (i = 0; i < len; i++)
		for (j = 0; j < sizeof(vals); j++) {
			memcpy(m, ip, len);
			m[i] = vals[j];
			for (k = 0; k <= len; k += len) {
				rc = parse(&xr, "169.254.10.1", m, k, &seq);
				ck_assert(rc >= -1 && rc <= 1);
				if (rc == 0)
					ok++;
				else if (rc == 1)
					other++;
				else
					bad++;
			}
		}
	/* Changing the ICMP part (beyond the checksum's blind spots) is
	 * always caught. */
	for (i = len - n; i < len; i++) {
		memcpy(m, ip, len);
		m[i] ^= 0x01;
		ck_assert_int_eq(parse(&xr, "169.254.10.1", m, len, &seq), -1);
	}
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(bad, 0);
	ck_assert_uint_gt(other, 0);
}
END_TEST

/* The engine -------------------------------------------------------------- */

struct rec {
	int			 n;
	enum probe_state	 last;
	char			 why[128];
	int			 free_on_down;
};

static void
rec_cb(struct probe *p, enum probe_state s, const char *why, void *arg)
{
	struct rec	*r = arg;

	r->n++;
	r->last = s;
	snprintf(r->why, sizeof(r->why), "%s", why);
	ck_assert_int_eq(probe_state(p), s);
	ck_assert_str_eq(probe_why(p), why);
	if (r->free_on_down && s == PROBE_DOWN)
		probe_free(p);
}

struct clk {
	uint64_t	 now;
};

static struct probe *
mk_probe(uint32_t mult, uint32_t up, struct rec *r)
{
	struct probe_opts	 o = { 100, mult, up };
	struct tb_addr		 dst = A("169.254.10.1");
	struct probe		*p;

	memset(r, 0, sizeof(*r));
	p = probe_engine_new(&dst, &o, rec_cb, r);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(probe_state(p), PROBE_INIT);
	return p;
}

/* One interval: a request, answered 5 ms later or not at all. */
static void
step(struct probe *p, struct clk *c, int answer)
{
	uint16_t	 seq = probe_next_seq(p);

	probe_tick(p, c->now, 1);
	if (answer)
		ck_assert_int_eq(probe_reply_seen(p, seq, c->now + 5 * MS),
		    PROBE_RX_TIMELY);
	c->now += 100 * MS;
}

static void
steps(struct probe *p, struct clk *c, int answer, int n)
{
	while (n-- > 0)
		step(p, c, answer);
}

START_TEST(t_never_armed)
{
	struct rec	 r;
	struct clk	 c = { 1000 * MS };
	struct probe	*p = mk_probe(3, 3, &r);
	char		 path[] = "/tmp/check_probe.XXXXXX", line[256];
	FILE		*f;
	int		 fd, said = 0;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	log_init(1, 0, "check_probe");
	log_setlevel(TB_LOG_INFO);
	ck_assert_int_eq(log_setfile(path), 0);
	steps(p, &c, 0, 1000);
	log_setfile(NULL);
	ck_assert_int_eq(probe_state(p), PROBE_INIT);
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(probe_stats(p)->missed, 999);
	ck_assert_uint_eq(probe_stats(p)->sent, 1000);
	ck_assert_uint_eq(probe_stats(p)->transitions, 0);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "probe to 169.254.10.1: no reply yet; "
		    "not arming") != NULL)
			said++;
	fclose(f);
	unlink(path);
	ck_assert_int_eq(said, 1);
	ck_assert_str_eq(probe_why(p), "");
	probe_free(p);
}
END_TEST

/* For every multiplier: UP, then silence; still UP after mult - 1
 * misses, DOWN at exactly mult, with the time in the reason. */
START_TEST(t_down_after_exactly_n)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p;
	uint32_t	 mult = (uint32_t)_i + 1, k;
	char		 want[64];

	p = mk_probe(mult, 2, &r);
	step(p, &c, 1);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.last, PROBE_UP);
	ck_assert_ptr_nonnull(strstr(r.why, "first echo reply (rtt 5.000 ms)"));
	steps(p, &c, 1, 10);
	step(p, &c, 0);		/* the first unanswered request */
	for (k = 1; k < mult; k++) {
		step(p, &c, 0);
		ck_assert_int_eq(probe_state(p), PROBE_UP);
		ck_assert_int_eq(r.n, 1);
	}
	step(p, &c, 0);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_int_eq(r.n, 2);
	snprintf(want, sizeof(want), "%u echo %s unanswered (%u ms)",
	    mult, mult == 1 ? "request" : "requests", mult * 100);
	ck_assert_str_eq(r.why, want);
	/* Silence goes on: no second DOWN. */
	steps(p, &c, 0, 50);
	ck_assert_int_eq(r.n, 2);
	ck_assert_uint_eq(probe_stats(p)->missed, mult + 50);
	probe_free(p);
}
END_TEST

/* A miss run broken by one reply starts from zero. */
START_TEST(t_misses_not_cumulative)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(3, 3, &r);
	int		 i;

	step(p, &c, 1);
	for (i = 0; i < 100; i++) {
		steps(p, &c, 0, 2);
		step(p, &c, 1);
	}
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_int_eq(r.n, 1);
	ck_assert_uint_eq(probe_stats(p)->missed, 200);
	probe_free(p);
}
END_TEST

static struct probe *
mk_down(uint32_t mult, uint32_t up, struct rec *r, struct clk *c)
{
	struct probe	*p = mk_probe(mult, up, r);

	step(p, c, 1);
	steps(p, c, 0, (int)mult + 1);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_int_eq(r->n, 2);
	return p;
}

START_TEST(t_hysteresis)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_down(3, 3, &r, &c);
	int		 i;

	/* Single replies, and pairs, between misses: stays DOWN. */
	for (i = 0; i < 20; i++) {
		step(p, &c, 1);
		step(p, &c, 0);
		steps(p, &c, 1, 2);
		step(p, &c, 0);
	}
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_int_eq(r.n, 2);
	/* Two timely replies in a row are not enough, the third is. */
	steps(p, &c, 1, 2);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_int_eq(r.n, 3);
	ck_assert_str_eq(r.why, "3 echo replies in a row");
	/* And down again as quickly. */
	steps(p, &c, 0, 4);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_int_eq(r.n, 4);
	probe_free(p);
}
END_TEST

START_TEST(t_up_count_one)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_down(2, 1, &r, &c);

	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_int_eq(r.n, 3);
	ck_assert_str_eq(r.why, "1 echo reply in a row");
	/* Up_count 1 flaps with the tunnel, as configured. */
	steps(p, &c, 0, 3);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_int_eq(r.n, 5);
	probe_free(p);
}
END_TEST

/* up_count 0 takes the multiplier. */
START_TEST(t_up_count_default)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_down(4, 0, &r, &c);

	steps(p, &c, 1, 3);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	probe_free(p);
}
END_TEST

/* Replies that come after the next request left. */
START_TEST(t_late)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(3, 2, &r);
	uint16_t	 seq;
	int		 i;

	/* In INIT a late reply does not arm, and the log says why. */
	for (i = 0; i < 10; i++) {
		seq = probe_next_seq(p);
		step(p, &c, 0);
		probe_tick(p, c.now, 1);	/* next request out first */
		ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 50 * MS),
		    PROBE_RX_LATE);
		c.now += 100 * MS;
	}
	ck_assert_int_eq(probe_state(p), PROBE_INIT);
	ck_assert_int_eq(r.n, 0);
	ck_assert_uint_eq(probe_stats(p)->late, 10);
	ck_assert_uint_eq(probe_stats(p)->rtt_us_last, 150 * MS);
	probe_free(p);

	/* In UP a round trip past the interval is slow, not dead: every
	 * request is missed, every reply late, and it stays UP. */
	c.now = 0;
	p = mk_probe(3, 2, &r);
	step(p, &c, 1);
	for (i = 0; i < 50; i++) {
		seq = probe_next_seq(p);
		probe_tick(p, c.now, 1);
		c.now += 100 * MS;
		probe_tick(p, c.now, 1);
		ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 20 * MS),
		    PROBE_RX_LATE);
		c.now += 100 * MS;
	}
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_uint_ge(probe_stats(p)->missed, 50);
	/* Silence then takes it down in exactly multiplier intervals. */
	steps(p, &c, 0, 3);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_int_eq(r.n, 2);
	/* In DOWN late replies do not count toward up_count. */
	for (i = 0; i < 10; i++) {
		seq = probe_next_seq(p);
		probe_tick(p, c.now, 1);
		c.now += 100 * MS;
		probe_tick(p, c.now, 1);
		ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 1),
		    PROBE_RX_LATE);
		c.now += 100 * MS;
	}
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	steps(p, &c, 1, 2);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	probe_free(p);
}
END_TEST

START_TEST(t_late_init_log)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(2, 2, &r);
	char		 path[] = "/tmp/check_probe.XXXXXX", line[256];
	FILE		*f;
	uint16_t	 seq;
	int		 fd, said = 0, i;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	log_init(1, 0, "check_probe");
	log_setlevel(TB_LOG_INFO);
	ck_assert_int_eq(log_setfile(path), 0);
	for (i = 0; i < 10; i++) {
		seq = probe_next_seq(p);
		probe_tick(p, c.now, 1);
		c.now += 100 * MS;
		probe_tick(p, c.now, 1);
		(void)probe_reply_seen(p, seq, c.now + 1);
		c.now += 100 * MS;
	}
	log_setfile(NULL);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "replies come only after the interval") &&
		    strstr(line, "not arming"))
			said++;
	fclose(f);
	unlink(path);
	ck_assert_int_eq(said, 1);
	ck_assert_int_eq(probe_state(p), PROBE_INIT);
	probe_free(p);
}
END_TEST

START_TEST(t_dup_stale)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_down(3, 3, &r, &c);
	uint16_t	 seq = probe_next_seq(p), i;

	probe_tick(p, c.now, 1);
	ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 1), PROBE_RX_TIMELY);
	/* A duplicated reply must not count twice toward up_count. */
	ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 2),
	    PROBE_RX_DUPLICATE);
	ck_assert_int_eq(probe_reply_seen(p, seq, c.now + 3),
	    PROBE_RX_DUPLICATE);
	c.now += 100 * MS;
	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	step(p, &c, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_uint_eq(probe_stats(p)->duplicate, 2);
	/* Never sent, and sent too long ago to be remembered. */
	ck_assert_int_eq(probe_reply_seen(p, (uint16_t)(probe_next_seq(p) + 5),
	    c.now), PROBE_RX_STALE);
	seq = probe_next_seq(p);
	for (i = 0; i < 20; i++)
		step(p, &c, 1);
	ck_assert_int_eq(probe_reply_seen(p, seq, c.now), PROBE_RX_STALE);
	ck_assert_uint_eq(probe_stats(p)->stale, 2);
	ck_assert_int_eq(r.n, 3);
	probe_free(p);
}
END_TEST

/* A send the kernel refused (no route: the tunnel is gone) is a miss. */
START_TEST(t_send_error)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(3, 3, &r);
	int		 i;

	step(p, &c, 1);
	for (i = 0; i < 4; i++) {
		probe_tick(p, c.now, 0);
		c.now += 100 * MS;
	}
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	ck_assert_uint_eq(probe_stats(p)->send_errors, 4);
	ck_assert_uint_eq(probe_stats(p)->sent, 1);
	probe_free(p);
}
END_TEST

/* Sequence numbers wrap; 70000 intervals cross 65535 whatever the
 * random start, and detection still works after. */
START_TEST(t_seq_wrap)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(3, 3, &r);

	steps(p, &c, 1, 70000);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_uint_eq(probe_stats(p)->received, 70000);
	ck_assert_uint_eq(probe_stats(p)->missed, 0);
	steps(p, &c, 0, 4);
	ck_assert_int_eq(probe_state(p), PROBE_DOWN);
	probe_free(p);
}
END_TEST

START_TEST(t_rtt)
{
	struct rec	 r;
	struct probe	*p = mk_probe(3, 3, &r);
	uint16_t	 seq;

	seq = probe_next_seq(p);
	probe_tick(p, 1000, 1);
	probe_reply_seen(p, seq, 1700);
	seq = probe_next_seq(p);
	probe_tick(p, 2000, 1);
	probe_reply_seen(p, seq, 2300);
	seq = probe_next_seq(p);
	probe_tick(p, 3000, 1);
	probe_reply_seen(p, seq, 3500);
	ck_assert_uint_eq(probe_stats(p)->rtt_us_last, 500);
	ck_assert_uint_eq(probe_stats(p)->rtt_us_min, 300);
	ck_assert_uint_eq(probe_stats(p)->rtt_us_max, 700);
	/* A clock that went backwards gives 0, not 4 billion. */
	seq = probe_next_seq(p);
	probe_tick(p, 5000, 1);
	probe_reply_seen(p, seq, 4000);
	ck_assert_uint_eq(probe_stats(p)->rtt_us_last, 0);
	probe_free(p);
}
END_TEST

START_TEST(t_cb_frees)
{
	struct rec	 r;
	struct clk	 c = { 0 };
	struct probe	*p = mk_probe(2, 2, &r);

	r.free_on_down = 1;
	step(p, &c, 1);
	steps(p, &c, 0, 2);
	ck_assert_int_eq(r.n, 1);
	probe_tick(p, c.now, 1);	/* fires DOWN, which frees */
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.last, PROBE_DOWN);
}
END_TEST

/* The whole receive path: datagram in, counters and state out. */
START_TEST(t_input)
{
	struct rec		 r;
	struct clk		 c = { 0 };
	struct probe		*p = mk_probe(3, 3, &r);
	struct probe_expect	 x;
	struct tb_addr		 peer = A("169.254.10.1"), other;
	uint8_t			 pkt[64], ip[128];
	size_t			 n, m;
	uint16_t		 seq = probe_next_seq(p);

	probe_tick(p, c.now, 1);
	x = *probe_expect(p);
	ck_assert_int_eq(addr_cmp(&x.peer, &peer), 0);
	ck_assert_int_eq(x.iphdr, 0);
	n = mk_reply(pkt, &x, seq);
	other = A("169.254.10.5");
	ck_assert_int_eq(probe_input(p, &other, pkt, n, 10), PROBE_RX_UNRELATED);
	ck_assert_int_eq(probe_input(p, &peer, pkt, n - 1, 10),
	    PROBE_RX_MALFORMED);
	ck_assert_int_eq(probe_input(p, &peer, pkt, n, 10), PROBE_RX_TIMELY);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_int_eq(probe_input(p, &peer, pkt, n, 11),
	    PROBE_RX_DUPLICATE);
	/* Switched to a raw socket's view: the IP header comes first and
	 * the identifier is ours. */
	probe_set_expect(p, 0x4242, 1);
	x = *probe_expect(p);
	seq = probe_next_seq(p);
	probe_tick(p, 100 * MS, 1);
	n = mk_reply(pkt, &x, seq);
	m = mk_ip4(ip, "169.254.10.1", 0, pkt, n);
	ck_assert_int_eq(probe_input(p, &peer, pkt, n, 100 * MS + 1),
	    PROBE_RX_MALFORMED);
	ck_assert_int_eq(probe_input(p, &peer, ip, m, 100 * MS + 2),
	    PROBE_RX_TIMELY);
	ck_assert_uint_eq(probe_stats(p)->unrelated, 1);
	ck_assert_uint_eq(probe_stats(p)->malformed, 2);
	ck_assert_uint_eq(probe_stats(p)->received, 2);
	ck_assert_str_eq(probe_socket_kind(p), "none");
	probe_free(p);
}
END_TEST

START_TEST(t_bad_opts)
{
	struct probe_opts	 o = { 0, 3, 3 };
	struct tb_addr		 dst = A("169.254.10.1"), none;

	memset(&none, 0, sizeof(none));
	errno = 0;
	ck_assert_ptr_null(probe_engine_new(&dst, &o, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	o.interval_ms = 100;
	o.multiplier = 0;
	ck_assert_ptr_null(probe_engine_new(&dst, &o, NULL, NULL));
	o.multiplier = 3;
	ck_assert_ptr_null(probe_engine_new(&none, &o, NULL, NULL));
	ck_assert_ptr_null(probe_new(NULL, &none, NULL, NULL, &o, NULL, NULL));
	errno = 0;
	ck_assert_ptr_null(probe_new(NULL, &dst, NULL, "a-name-too-long-for-linux",
	    &o, NULL, NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(probe_state_name(PROBE_INIT), "init");
	ck_assert_str_eq(probe_state_name(PROBE_UP), "up");
	ck_assert_str_eq(probe_state_name(PROBE_DOWN), "down");
	ck_assert_str_eq(probe_state_name((enum probe_state)7), "?");
	probe_free(NULL);
}
END_TEST

/* The socket side ---------------------------------------------------------- */

struct live {
	struct event_base	*base;
	int			 ups;
};

static void
live_cb(struct probe *p, enum probe_state s, const char *why, void *arg)
{
	struct live	*l = arg;

	(void)p;
	(void)why;
	if (s == PROBE_UP) {
		l->ups++;
		event_base_loopbreak(l->base);
	}
}

/* Loopback answers; a real socket of whichever kind this system gives.
 * Skipped (passes) where neither ping_group_range nor CAP_NET_RAW
 * allows an ICMP socket. */
static void
live_run(const char *dst, const char *src, const char *ifname)
{
	struct probe_opts	 o = { 20, 3, 2 };
	struct live		 l = { event_base_new(), 0 };
	struct tb_addr		 d = A(dst), s;
	struct timeval		 tv = { 2, 0 };
	struct probe		*p;

	memset(&s, 0, sizeof(s));
	if (src != NULL)
		s = A(src);
	ck_assert_ptr_nonnull(l.base);
	p = probe_new(l.base, &d, &s, ifname, &o, live_cb, &l);
	if (p == NULL && (errno == EACCES || errno == EPERM ||
	    errno == EAFNOSUPPORT || errno == EADDRNOTAVAIL)) {
		fprintf(stderr, "check_probe: %s: no ICMP socket (%s), "
		    "skipped\n", dst, strerror(errno));
		event_base_free(l.base);
		return;
	}
	ck_assert_ptr_nonnull(p);
	ck_assert_str_ne(probe_socket_kind(p), "none");
	event_base_loopexit(l.base, &tv);
	event_base_dispatch(l.base);
	ck_assert_int_eq(l.ups, 1);
	ck_assert_int_eq(probe_state(p), PROBE_UP);
	ck_assert_uint_ge(probe_stats(p)->sent, 1);
	ck_assert_uint_ge(probe_stats(p)->received, 1);
	ck_assert_uint_eq(probe_stats(p)->malformed, 0);
	probe_free(p);
	event_base_free(l.base);
}

START_TEST(t_live_loopback)
{
	live_run("127.0.0.1", NULL, NULL);
	live_run("127.0.0.1", "127.0.0.1", NULL);
	live_run("::1", NULL, NULL);
}
END_TEST

static Suite *
probe_suite(void)
{
	Suite	*s = suite_create("probe");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, t_parse_valid);
	tcase_add_test(tc, t_parse_request_built);
	tcase_add_test(tc, t_parse_truncated);
	tcase_add_test(tc, t_parse_not_ours);
	tcase_add_test(tc, t_parse_malformed);
	tcase_add_test(tc, t_parse_mutate);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_add_test(tc, t_never_armed);
	tcase_add_loop_test(tc, t_down_after_exactly_n, 0, 6);
	tcase_add_test(tc, t_misses_not_cumulative);
	tcase_add_test(tc, t_hysteresis);
	tcase_add_test(tc, t_up_count_one);
	tcase_add_test(tc, t_up_count_default);
	tcase_add_test(tc, t_late);
	tcase_add_test(tc, t_late_init_log);
	tcase_add_test(tc, t_dup_stale);
	tcase_add_test(tc, t_send_error);
	tcase_add_test(tc, t_seq_wrap);
	tcase_add_test(tc, t_rtt);
	tcase_add_test(tc, t_cb_frees);
	tcase_add_test(tc, t_input);
	tcase_add_test(tc, t_bad_opts);
	suite_add_tcase(s, tc);
	tc = tcase_create("socket");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, t_live_loopback);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(probe_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
