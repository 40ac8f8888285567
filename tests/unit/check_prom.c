/*
 * check_prom: lib/prom.c, the Prometheus text exposition writer.  Exact
 * output for families and samples, the escapes of label values (a
 * neighbor description with quotes, backslashes and newlines) and of
 * help texts, bytes that are not UTF-8, number formats, and misuse
 * (a sample before its family, a label set too long) reported through
 * the buf's sticky error.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

static struct buf	 b;
static struct prom	 m;

static void
setup(void)
{
	ck_assert_int_eq(buf_init(&b, 256, 1 << 20), 0);
	prom_init(&m, &b);
}

static void
teardown(void)
{
	buf_free(&b);
}

static void
expect(const char *want)
{
	ck_assert_int_eq(buf_error(&b), 0);
	ck_assert_uint_eq(buf_len(&b), strlen(want));
	ck_assert_mem_eq(buf_data(&b), want, strlen(want));
}

START_TEST(t_family_and_samples)
{
	struct prom_labels	 l;

	prom_family(&m, "tbgpd_peer_up", PROM_GAUGE,
	    "1 if the session is Established, else 0.");
	prom_labels_init(&l);
	prom_label(&l, "peer", "169.254.116.209");
	prom_label_u64(&l, "peer_as", 64512);
	prom_u64(&m, &l, NULL, NULL, 1);
	prom_family(&m, "tbgpd_peer_messages_received_total", PROM_COUNTER,
	    "BGP messages received, by type.");
	prom_u64(&m, &l, "type", "update", 18446744073709551615ull);
	prom_family(&m, "tbgpd_build_info", PROM_GAUGE, "Version.");
	prom_u64(&m, NULL, "version", "0.1", 1);
	prom_family(&m, "tbgpd_rib_paths", PROM_GAUGE, "Paths.");
	prom_u64(&m, NULL, NULL, NULL, 0);
	expect("# HELP tbgpd_peer_up 1 if the session is Established, "
	    "else 0.\n"
	    "# TYPE tbgpd_peer_up gauge\n"
	    "tbgpd_peer_up{peer=\"169.254.116.209\",peer_as=\"64512\"} 1\n"
	    "# HELP tbgpd_peer_messages_received_total BGP messages "
	    "received, by type.\n"
	    "# TYPE tbgpd_peer_messages_received_total counter\n"
	    "tbgpd_peer_messages_received_total{peer=\"169.254.116.209\","
	    "peer_as=\"64512\",type=\"update\"} 18446744073709551615\n"
	    "# HELP tbgpd_build_info Version.\n"
	    "# TYPE tbgpd_build_info gauge\n"
	    "tbgpd_build_info{version=\"0.1\"} 1\n"
	    "# HELP tbgpd_rib_paths Paths.\n"
	    "# TYPE tbgpd_rib_paths gauge\n"
	    "tbgpd_rib_paths 0\n");
}
END_TEST

/* A description as an operator may write it: every character the format
 * escapes in a label value. */
START_TEST(t_label_escapes)
{
	struct prom_labels	 l;

	prom_family(&m, "x", PROM_GAUGE, "h");
	prom_labels_init(&l);
	prom_label(&l, "description", "AWS \"tunnel 1\"\\primary\nline 2");
	prom_u64(&m, &l, NULL, NULL, 1);
	expect("# HELP x h\n# TYPE x gauge\n"
	    "x{description=\"AWS \\\"tunnel 1\\\"\\\\primary\\nline 2\"} 1\n");
}
END_TEST

/* Help texts escape backslash and newline but not quotes. */
START_TEST(t_help_escapes)
{
	prom_family(&m, "x", PROM_COUNTER, "a \"b\" c\\d\ne");
	expect("# HELP x a \"b\" c\\\\d\\ne\n# TYPE x counter\n");
}
END_TEST

/* Bytes that are not UTF-8 become U+FFFD; valid multi-byte text stays. */
START_TEST(t_not_utf8)
{
	struct buf	 e;

	ck_assert_int_eq(buf_init(&e, 64, 1024), 0);
	prom_escape_value(&e, "a\xff" "b\xc3\xa9" "c\xe2\x82");
	ck_assert_int_eq(buf_error(&e), 0);
	ck_assert_uint_eq(buf_len(&e), 14);
	ck_assert_mem_eq(buf_data(&e), "a\xef\xbf\xbd" "b\xc3\xa9" "c"
	    "\xef\xbf\xbd\xef\xbf\xbd", 14);
	buf_free(&e);
}
END_TEST

START_TEST(t_doubles)
{
	prom_family(&m, "x_seconds", PROM_GAUGE, "h");
	prom_double(&m, NULL, NULL, NULL, 0.25);
	prom_double(&m, NULL, "k", "v", 1e-6);
	prom_double(&m, NULL, NULL, NULL, 0.1 + 0.2);
	prom_double(&m, NULL, NULL, NULL, NAN);
	prom_double(&m, NULL, NULL, NULL, INFINITY);
	prom_double(&m, NULL, NULL, NULL, -INFINITY);
	expect("# HELP x_seconds h\n# TYPE x_seconds gauge\n"
	    "x_seconds 0.25\nx_seconds{k=\"v\"} 1e-06\n"
	    "x_seconds 0.30000000000000004\nx_seconds NaN\nx_seconds +Inf\nx_seconds -Inf\n");
}
END_TEST

START_TEST(t_misuse)
{
	struct prom_labels	 l;
	char			 big[PROM_LABELS_MAX];

	prom_u64(&m, NULL, NULL, NULL, 1);	/* no family yet */
	ck_assert_int_ne(buf_error(&b), 0);
	buf_free(&b);
	setup();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	prom_labels_init(&l);
	prom_label(&l, "description", big);
	ck_assert_int_ne(l.err, 0);
	prom_family(&m, "x", PROM_GAUGE, "h");
	prom_u64(&m, &l, NULL, NULL, 1);
	ck_assert_int_ne(buf_error(&b), 0);
}
END_TEST

static Suite *
prom_suite(void)
{
	Suite	*s = suite_create("prom");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_family_and_samples);
	tcase_add_test(tc, t_label_escapes);
	tcase_add_test(tc, t_help_escapes);
	tcase_add_test(tc, t_not_utf8);
	tcase_add_test(tc, t_doubles);
	tcase_add_test(tc, t_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(prom_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
