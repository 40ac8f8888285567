/*
 * check_buf: the bounded buffer (lib/buf.c): readers never read past the
 * end and consume nothing on failure, views share memory, writers grow up
 * to their limit and keep the first error, lengths back-patch, streams
 * drain.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const uint8_t sample[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09
};

START_TEST(t_get_values)
{
	struct buf	 b;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint8_t		 two[2];

	buf_view(&b, sample, sizeof(sample));
	ck_assert_uint_eq(buf_left(&b), 9);
	ck_assert_int_eq(buf_get_u8(&b, &u8), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(buf_get_u16(&b, &u16), 0);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_int_eq(buf_get_u32(&b, &u32), 0);
	ck_assert_uint_eq(u32, 0x04050607);
	ck_assert_int_eq(buf_get_n(&b, two, 2), 0);
	ck_assert_uint_eq(two[0], 0x08);
	ck_assert_uint_eq(two[1], 0x09);
	ck_assert_uint_eq(buf_left(&b), 0);
	ck_assert_int_eq(buf_get_u8(&b, &u8), -1);
}
END_TEST

START_TEST(t_short_consumes_nothing)
{
	struct buf	 b, sub;
	uint16_t	 u16 = 0xdead;
	uint32_t	 u32 = 0xdeadbeef;
	uint8_t		 out[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	buf_view(&b, sample, 3);
	ck_assert_int_eq(buf_get_u32(&b, &u32), -1);
	ck_assert_uint_eq(u32, 0xdeadbeef);
	ck_assert_int_eq(buf_get_n(&b, out, 4), -1);
	ck_assert_uint_eq(out[0], 0xaa);
	ck_assert_int_eq(buf_skip(&b, 4), -1);
	ck_assert_int_eq(buf_get_view(&b, 4, &sub), -1);
	ck_assert_uint_eq(buf_left(&b), 3);
	ck_assert_int_eq(buf_skip(&b, 2), 0);
	ck_assert_int_eq(buf_get_u16(&b, &u16), -1);
	ck_assert_uint_eq(u16, 0xdead);
	ck_assert_uint_eq(buf_left(&b), 1);
	ck_assert_ptr_eq(buf_rptr(&b), sample + 2);
	/* Zero-length reads always succeed, even at the end. */
	ck_assert_int_eq(buf_skip(&b, 1), 0);
	ck_assert_int_eq(buf_get_n(&b, out, 0), 0);
	ck_assert_int_eq(buf_get_view(&b, 0, &sub), 0);
	ck_assert_uint_eq(buf_left(&sub), 0);
}
END_TEST

START_TEST(t_view_shares_memory)
{
	uint8_t		 mem[6] = { 1, 2, 3, 4, 5, 6 };
	struct buf	 b, sub;
	uint8_t		 v;

	buf_view(&b, mem, sizeof(mem));
	ck_assert_int_eq(buf_skip(&b, 1), 0);
	ck_assert_int_eq(buf_get_view(&b, 3, &sub), 0);
	ck_assert_ptr_eq(buf_rptr(&sub), mem + 1);
	ck_assert_uint_eq(buf_left(&sub), 3);
	ck_assert_uint_eq(buf_left(&b), 2);
	mem[1] = 42;
	ck_assert_int_eq(buf_get_u8(&sub, &v), 0);
	ck_assert_uint_eq(v, 42);
	/* The sub-view ends where it was cut, not where the parent ends. */
	ck_assert_int_eq(buf_skip(&sub, 2), 0);
	ck_assert_int_eq(buf_get_u8(&sub, &v), -1);
	ck_assert_int_eq(buf_get_u8(&b, &v), 0);
	ck_assert_uint_eq(v, 5);
}
END_TEST

START_TEST(t_peek)
{
	struct buf	 b;
	uint8_t		 v8;
	uint16_t	 v16;

	buf_view(&b, sample, 4);
	ck_assert_int_eq(buf_skip(&b, 1), 0);
	ck_assert_int_eq(buf_peek_u8(&b, 2, &v8), 0);
	ck_assert_uint_eq(v8, 0x04);
	ck_assert_int_eq(buf_peek_u8(&b, 3, &v8), -1);
	ck_assert_int_eq(buf_peek_u16(&b, 1, &v16), 0);
	ck_assert_uint_eq(v16, 0x0304);
	ck_assert_int_eq(buf_peek_u16(&b, 2, &v16), -1);
	ck_assert_int_eq(buf_peek_u16(&b, (size_t)-1, &v16), -1);
	ck_assert_uint_eq(buf_left(&b), 3);
}
END_TEST

START_TEST(t_writer_values)
{
	static const uint8_t	 want[] = {
		0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 'x', 'y'
	};
	struct buf		 b;

	ck_assert_int_eq(buf_init(&b, 0, 1024), 0);
	buf_put_u8(&b, 0xab);
	buf_put_u16(&b, 0x1234);
	buf_put_u32(&b, 0xdeadbeef);
	buf_put(&b, "xy", 2);
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_eq(buf_len(&b), sizeof(want));
	ck_assert_mem_eq(buf_data(&b), want, sizeof(want));
	buf_free(&b);
	ck_assert_ptr_null(b.base);
}
END_TEST

START_TEST(t_writer_grows_to_limit)
{
	struct buf	 b;
	uint8_t		 chunk[100];
	int		 i;

	memset(chunk, 0x5a, sizeof(chunk));
	ck_assert_int_eq(buf_init(&b, 4, 1000), 0);
	for (i = 0; i < 10; i++)
		buf_put(&b, chunk, sizeof(chunk));
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_eq(buf_len(&b), 1000);
	ck_assert_uint_le(b.size, 1000);
	/* One byte more than the limit: refused, sticky, nothing added. */
	buf_put_u8(&b, 1);
	ck_assert_int_eq(buf_error(&b), ENOBUFS);
	ck_assert_uint_eq(buf_len(&b), 1000);
	buf_reset(&b);
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_eq(buf_len(&b), 0);
	buf_put_u16(&b, 7);
	ck_assert_uint_eq(buf_len(&b), 2);
	buf_free(&b);
}
END_TEST

START_TEST(t_writer_error_sticky)
{
	struct buf	 b;

	ck_assert_int_eq(buf_init(&b, 8, 8), 0);
	buf_put_u32(&b, 1);
	buf_put_u32(&b, 2);
	buf_put_u8(&b, 3);		/* 9th byte */
	ck_assert_int_eq(buf_error(&b), ENOBUFS);
	buf_set_u8_at(&b, 0, 0xff);	/* ignored once in error */
	ck_assert_uint_eq(buf_data(&b)[0], 0);
	ck_assert_uint_eq(buf_len(&b), 8);
	buf_free(&b);

	/* A huge request cannot wrap the limit check. */
	ck_assert_int_eq(buf_init(&b, 8, 64), 0);
	buf_put_u8(&b, 1);
	buf_reserve(&b, (size_t)-1);
	ck_assert_int_eq(buf_error(&b), ENOBUFS);
	ck_assert_uint_eq(buf_len(&b), 1);
	buf_free(&b);
}
END_TEST

START_TEST(t_reserve_and_patch)
{
	struct buf	 b;
	size_t		 off;

	ck_assert_int_eq(buf_init(&b, 2, 64), 0);
	buf_put_u8(&b, 0x11);
	off = buf_reserve(&b, 3);
	ck_assert_uint_eq(off, 1);
	ck_assert_uint_eq(buf_len(&b), 4);
	ck_assert_uint_eq(buf_data(&b)[1], 0);
	ck_assert_uint_eq(buf_data(&b)[2], 0);
	ck_assert_uint_eq(buf_data(&b)[3], 0);
	buf_put_u8(&b, 0x22);
	buf_set_u16_at(&b, off, 0xbeef);
	buf_set_u8_at(&b, off + 2, 0x33);
	ck_assert_int_eq(buf_error(&b), 0);
	{
		const uint8_t want[] = { 0x11, 0xbe, 0xef, 0x33, 0x22 };
		ck_assert_mem_eq(buf_data(&b), want, sizeof(want));
	}
	/* Out of the written range: the error is set. */
	buf_set_u16_at(&b, 4, 1);
	ck_assert_int_eq(buf_error(&b), EINVAL);
	ck_assert_uint_eq(buf_data(&b)[4], 0x22);
	buf_free(&b);

	ck_assert_int_eq(buf_init(&b, 2, 64), 0);
	buf_set_u8_at(&b, 5, 1);
	ck_assert_int_eq(buf_error(&b), EINVAL);
	buf_free(&b);
}
END_TEST

START_TEST(t_write_to_view_fails)
{
	uint8_t		 mem[4] = { 0 };
	struct buf	 b;

	buf_view(&b, mem, sizeof(mem));
	buf_put_u8(&b, 1);
	ck_assert_int_ne(buf_error(&b), 0);
	ck_assert_uint_eq(mem[0], 0);
	buf_free(&b);			/* a view frees nothing */
}
END_TEST

START_TEST(t_stream_drain)
{
	struct buf	 b;
	uint16_t	 v;

	ck_assert_int_eq(buf_init(&b, 4, 64), 0);
	buf_put(&b, "\x00\x01\x00\x02\x00\x03", 6);
	ck_assert_int_eq(buf_get_u16(&b, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(buf_get_u16(&b, &v), 0);
	ck_assert_uint_eq(v, 2);
	/* Drop the first message; the read position follows its byte. */
	buf_drain(&b, 2);
	ck_assert_uint_eq(buf_len(&b), 4);
	ck_assert_uint_eq(b.rpos, 2);
	ck_assert_int_eq(buf_get_u16(&b, &v), 0);
	ck_assert_uint_eq(v, 3);
	buf_put_u16(&b, 4);
	buf_drain(&b, 4);
	ck_assert_uint_eq(buf_len(&b), 2);
	ck_assert_uint_eq(b.rpos, 0);
	ck_assert_int_eq(buf_get_u16(&b, &v), 0);
	ck_assert_uint_eq(v, 4);
	ck_assert_int_eq(buf_error(&b), 0);
	/* Draining too much empties and flags the bug. */
	buf_drain(&b, 3);
	ck_assert_uint_eq(buf_len(&b), 0);
	ck_assert_uint_eq(b.rpos, 0);
	ck_assert_int_eq(buf_error(&b), ERANGE);
	buf_free(&b);
}
END_TEST

START_TEST(t_drain_view)
{
	struct buf	 b;
	uint8_t		 v;

	buf_view(&b, sample, sizeof(sample));
	buf_drain(&b, 4);
	ck_assert_uint_eq(buf_left(&b), 5);
	ck_assert_int_eq(buf_get_u8(&b, &v), 0);
	ck_assert_uint_eq(v, 0x05);
	ck_assert_uint_eq(sample[0], 0x01);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*r = tcase_create("reader");
	TCase	*w = tcase_create("writer");

	tcase_add_test(r, t_get_values);
	tcase_add_test(r, t_short_consumes_nothing);
	tcase_add_test(r, t_view_shares_memory);
	tcase_add_test(r, t_peek);
	tcase_add_test(w, t_writer_values);
	tcase_add_test(w, t_writer_grows_to_limit);
	tcase_add_test(w, t_writer_error_sticky);
	tcase_add_test(w, t_reserve_and_patch);
	tcase_add_test(w, t_write_to_view_fails);
	tcase_add_test(w, t_stream_drain);
	tcase_add_test(w, t_drain_view);
	suite_add_tcase(s, r);
	suite_add_tcase(s, w);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(buf_suite());
	int	 failed;

	/* CK_VERBOSITY=verbose in the environment lists every test. */
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
