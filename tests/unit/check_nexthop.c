/*
 * check_nexthop: the next-hop rule (nexthop_resolve) against interfaces
 * and addresses fed to kif by hand and a kernel route lookup the test
 * answers.  The cache and the RIB walk are exercised by the interop case
 * nhunreach (tests/interop/failover.sh).
 */
#include "config.h"

#include <sys/socket.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kif.h"
#include "kroute.h"
#include "nexthop.h"
#include "nl.h"
#include "nl_route.h"

#define UPF	(IFF_UP | IFF_RUNNING | IFF_LOWER_UP)

static struct tb_addr
A(const char *s)
{
	struct tb_addr	 a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static void
link_set(struct kif *kif, int ifindex, const char *name, unsigned int flags)
{
	struct kif_link	 l;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	snprintf(l.name, sizeof(l.name), "%s", name);
	l.flags = flags;
	l.carrier = -1;
	l.operstate = (flags & IFF_LOWER_UP) ? IF_OPER_UP : IF_OPER_DOWN;
	kif_link_event(kif, &l, 0);
}

static void
addr_set(struct kif *kif, int ifindex, const char *local, const char *pfx,
    int deleted)
{
	struct kif_addr	 a;

	memset(&a, 0, sizeof(a));
	a.ifindex = ifindex;
	a.local = A(local);
	ck_assert_int_eq(prefix_parse(pfx, &a.connected), 0);
	kif_addr_event(kif, &a, deleted);
}

/* Two tunnels as in the AWS examples. */
static struct kif *
two_tunnels(void)
{
	struct kif	*kif = kif_new();

	ck_assert_ptr_nonnull(kif);
	link_set(kif, 5, "vti1", UPF);
	link_set(kif, 6, "vti2", UPF);
	addr_set(kif, 5, "169.254.116.210", "169.254.116.208/30", 0);
	addr_set(kif, 6, "169.254.214.98", "169.254.214.96/30", 0);
	return kif;
}

/* The lookup's answer, and how often it was asked. */
static struct {
	int		 rc;
	struct kroute	 kr;
	int		 calls;
} lk;

static int
lookup(const struct tb_addr *a, struct kroute *kr)
{
	(void)a;
	lk.calls++;
	*kr = lk.kr;
	return lk.rc;
}

static void
lk_set(int rc, const char *prefix, int protocol, int type)
{
	memset(&lk, 0, sizeof(lk));
	lk.rc = rc;
	if (prefix != NULL)
		ck_assert_int_eq(prefix_parse(prefix, &lk.kr.prefix), 0);
	lk.kr.protocol = protocol;
	lk.kr.type = type;
	lk.kr.table = RT_TABLE_MAIN;
}

static int
R(const struct kif *kif, int kind, const char *nh, int ifindex, int *via)
{
	struct tb_addr		 a = A(nh);
	struct tb_prefix	 vp;

	return nexthop_resolve(kif, kind, &a, ifindex, lookup, via, &vp);
}

START_TEST(t_direct)
{
	struct kif	*kif = two_tunnels();
	int		 via;

	lk_set(1, "169.254.0.0/16", RTPROT_STATIC, RTN_UNICAST);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.116.209", 0, &via), 1);
	ck_assert_int_eq(via, 5);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.214.97", 0, &via), 1);
	ck_assert_int_eq(via, 6);
	/* Third party, off every connected prefix: a kernel route does not
	 * help a single-hop neighbor's next hop, and is not even asked. */
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.99.1", 0, &via), 0);
	ck_assert_int_eq(lk.calls, 0);
	/* Carrier lost on tunnel 1. */
	link_set(kif, 5, "vti1", IFF_UP);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.116.209", 0, &via), 0);
	link_set(kif, 5, "vti1", UPF);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.116.209", 0, &via), 1);
	/* An address that makes the third party connected. */
	addr_set(kif, 5, "169.254.99.2", "169.254.99.0/30", 0);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.99.1", 0, &via), 1);
	ck_assert_int_eq(via, 5);
	addr_set(kif, 5, "169.254.99.2", "169.254.99.0/30", 1);
	ck_assert_int_eq(R(kif, NH_KIND_DIRECT, "169.254.99.1", 0, &via), 0);
	kif_free(kif);
}
END_TEST

START_TEST(t_recursive)
{
	struct kif		*kif = two_tunnels();
	struct tb_addr		 a = A("10.9.9.9");
	struct tb_prefix	 vp;
	int			 via;

	/* Connected first, without asking the kernel. */
	lk_set(0, NULL, 0, 0);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "169.254.116.209", 0, &via),
	    1);
	ck_assert_int_eq(lk.calls, 0);
	/* Over a static route: usable, and the route is told. */
	lk_set(1, "10.9.0.0/16", RTPROT_STATIC, RTN_UNICAST);
	ck_assert_int_eq(nexthop_resolve(kif, NH_KIND_RECURSIVE, &a, 0, lookup,
	    &via, &vp), 1);
	ck_assert_int_eq(lk.calls, 1);
	ck_assert_str_eq(prefix_str(&vp), "10.9.0.0/16");
	ck_assert_int_eq(via, 0);
	/* Not over BGP's own route, the default route, or a blackhole. */
	lk_set(1, "10.9.0.0/16", NL_RTPROT_BGP, RTN_UNICAST);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "10.9.9.9", 0, &via), 0);
	lk_set(1, "0.0.0.0/0", RTPROT_STATIC, RTN_UNICAST);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "10.9.9.9", 0, &via), 0);
	lk_set(1, "10.9.0.0/16", RTPROT_STATIC, RTN_BLACKHOLE);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "10.9.9.9", 0, &via), 0);
	/* No route at all; and a lookup that failed says so (the caller
	 * keeps its last answer). */
	lk_set(0, NULL, 0, 0);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "10.9.9.9", 0, &via), 0);
	lk_set(-1, NULL, 0, 0);
	ck_assert_int_eq(R(kif, NH_KIND_RECURSIVE, "10.9.9.9", 0, &via), -1);
	kif_free(kif);
}
END_TEST

START_TEST(t_linklocal)
{
	struct kif	*kif = two_tunnels();
	int		 via;

	ck_assert_int_eq(R(kif, NH_KIND_LINKLOCAL, "fe80::1", 6, &via), 1);
	ck_assert_int_eq(via, 6);
	ck_assert_int_eq(R(kif, NH_KIND_LINKLOCAL, "fe80::1", 0, &via), 0);
	ck_assert_int_eq(R(kif, NH_KIND_LINKLOCAL, "fe80::1", 9, &via), 0);
	link_set(kif, 6, "vti2", 0);
	ck_assert_int_eq(R(kif, NH_KIND_LINKLOCAL, "fe80::1", 6, &via), 0);
	kif_free(kif);
}
END_TEST

/* Without an interface monitor nothing can be told: usable. */
START_TEST(t_no_kif)
{
	int	 via;

	lk_set(0, NULL, 0, 0);
	ck_assert_int_eq(R(NULL, NH_KIND_DIRECT, "192.0.2.1", 0, &via), 1);
	ck_assert_int_eq(R(NULL, NH_KIND_RECURSIVE, "192.0.2.1", 0, &via), 1);
	ck_assert_int_eq(lk.calls, 0);
}
END_TEST

static Suite *
nexthop_suite(void)
{
	Suite	*s = suite_create("nexthop");
	TCase	*tc = tcase_create("resolve");

	tcase_add_test(tc, t_direct);
	tcase_add_test(tc, t_recursive);
	tcase_add_test(tc, t_linklocal);
	tcase_add_test(tc, t_no_kif);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(nexthop_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
