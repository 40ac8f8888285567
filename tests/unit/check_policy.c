/*
 * check_policy: routing policy (bgpd/policy.c) in FRR's terms.  Prefix
 * lists against the ge/le rules, AS-path regexes with FRR's '_',
 * community lists (standard, expanded, exact-match, large), every match
 * and set clause of a route-map changing an outcome, the order of
 * entries with on-match / continue, undefined names, printing back, and
 * reference counts of the interned parts after many evaluations.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "policy.h"

static struct policy_db	*db;
static char		 err[256];
static struct policy_ctx ctx;
static struct tb_prefix	 ctx_pfx;

#define OK(x)	ck_assert_msg((x) == 0, "%s failed: %s", #x, err)
#define FAILS(x, what)	do {						\
	err[0] = '\0';							\
	ck_assert_msg((x) == -1, "%s should fail", #x);			\
	ck_assert_msg(strstr(err, what) != NULL, "%s: '%s' lacks '%s'",	\
	    #x, err, what);						\
} while (0)

/* Helpers ------------------------------------------------------------- */

static void
put_as(uint8_t *d, size_t *len, uint32_t as)
{
	d[(*len)++] = as >> 24;
	d[(*len)++] = as >> 16;
	d[(*len)++] = as >> 8;
	d[(*len)++] = as;
}

/* "64512 65001 {65002,65003}" as an interned path ("" is empty). */
static struct aspath *
mkpath(const char *text)
{
	uint8_t	 d[1024];
	size_t	 len = 0, cnt = 0;
	char	 tmp[512], *p = tmp, *t, *q;
	int	 in_seq = 0;

	ck_assert_uint_lt(strlcpy(tmp, text, sizeof(tmp)), sizeof(tmp));
	while ((t = strsep(&p, " ")) != NULL) {
		if (*t == '\0')
			continue;
		if (*t == '{') {
			in_seq = 0;
			d[len++] = AS_SET;
			cnt = len++;
			d[cnt] = 0;
			t++;
			while ((q = strsep(&t, ",}")) != NULL)
				if (*q != '\0') {
					put_as(d, &len, strtoul(q, NULL, 10));
					d[cnt]++;
				}
			continue;
		}
		if (!in_seq) {
			d[len++] = AS_SEQUENCE;
			cnt = len++;
			d[cnt] = 0;
			in_seq = 1;
		}
		put_as(d, &len, strtoul(t, NULL, 10));
		d[cnt]++;
	}
	return aspath_intern(d, len);
}

static const char *
ptext(const struct aspath *ap)
{
	static char	 out[1024];
	struct buf	 b;

	ck_assert_int_eq(buf_init(&b, 64, sizeof(out) - 1), 0);
	if (ap != NULL)
		aspath_print(&b, ap);
	ck_assert_int_eq(buf_error(&b), 0);
	memcpy(out, buf_data(&b), buf_len(&b));
	out[buf_len(&b)] = '\0';
	buf_free(&b);
	return out;
}

static int
cmp4(const void *a, const void *b)
{
	return memcmp(a, b, 4);
}

static int
cmp12(const void *a, const void *b)
{
	return memcmp(a, b, 12);
}

/* "65000:100 65000:200" (numbers only) as interned communities. */
static struct comms *
mkcomm(const char *text)
{
	uint8_t		 d[4 * 64];
	size_t		 n = 0;
	unsigned	 hi, lo;
	int		 used;

	while (sscanf(text, " %u:%u%n", &hi, &lo, &used) == 2) {
		d[n * 4] = hi >> 8;
		d[n * 4 + 1] = hi;
		d[n * 4 + 2] = lo >> 8;
		d[n * 4 + 3] = lo;
		n++;
		text += used;
	}
	qsort(d, n, 4, cmp4);
	return n == 0 ? NULL : comms_intern(COMM_UNIT_STD, d, n);
}

/* "65000:1:2 65000:3:4" as interned large communities. */
static struct comms *
mklcomm(const char *text)
{
	uint8_t		 d[12 * 16];
	size_t		 n = 0, len;
	unsigned	 v[3];
	int		 used, i;

	while (sscanf(text, " %u:%u:%u%n", &v[0], &v[1], &v[2], &used) == 3) {
		len = n * 12;
		for (i = 0; i < 3; i++)
			put_as(d, &len, v[i]);
		n++;
		text += used;
	}
	qsort(d, n, 12, cmp12);
	return n == 0 ? NULL : comms_intern(COMM_UNIT_LARGE, d, n);
}

static int
has_comm(const struct comms *c, uint32_t v)
{
	return c != NULL && comms_has_std(c, v);
}

static struct tb_prefix
pfx(const char *s)
{
	struct tb_prefix	 p;

	ck_assert_msg(prefix_parse(s, &p) == 0, "bad prefix %s", s);
	return p;
}

static struct tb_addr
addr(const char *s)
{
	struct tb_addr	 a;

	ck_assert_msg(addr_parse(s, &a) == 0, "bad address %s", s);
	return a;
}

/* A work attr as a parsed UPDATE gives it: owns its parts. */
static void
work_init(struct attr *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->origin = ORIGIN_IGP;
	w->aspath = mkpath(path);
	w->nexthop = addr("169.254.116.209");
}

static void
pl(int af, const char *name, uint32_t seq, int permit, const char *p,
    uint8_t ge, uint8_t le)
{
	struct tb_prefix	 x = pfx(p);

	OK(policy_prefix_list_add(db, af, name, seq, permit, &x, ge, le, err,
	    sizeof(err)));
}

static int
pl_permits(int af, const char *name, const char *p)
{
	struct tb_prefix	 x = pfx(p);

	return policy_plist_apply(policy_plist_find(db, af, name), &x) ==
	    POLICY_PERMIT;
}

static void
rm_entry(const char *name, int permit, uint32_t seq)
{
	OK(policy_rmap_entry(db, name, permit, seq, err, sizeof(err)));
}

static void
rm_match(enum rmap_match k, const char *text)
{
	OK(policy_rmap_match(db, k, text, err, sizeof(err)));
}

static void
rm_set(enum rmap_set k, const char *text)
{
	OK(policy_rmap_set(db, k, text, err, sizeof(err)));
}

static enum policy_verdict
run(const char *map, struct attr *w)
{
	return policy_rmap_apply(db, policy_rmap_find(db, map), &ctx, w);
}

/* Applies map to a fresh route with path (and the given communities). */
static enum policy_verdict
run_path(const char *map, const char *path, const char *comm)
{
	struct attr		 w;
	enum policy_verdict	 v;

	work_init(&w, path);
	w.comm = mkcomm(comm);
	v = run(map, &w);
	attr_clear(&w);
	return v;
}

static void	build_sample(void);

static char *
print_db(void)
{
	char	*s = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&s, &len);

	ck_assert_ptr_nonnull(f);
	policy_print(f, db);
	fclose(f);
	return s;
}

static void
setup(void)
{
	db = policy_db_new();
	ck_assert_ptr_nonnull(db);
	memset(&ctx, 0, sizeof(ctx));
	ctx_pfx = pfx("10.1.0.0/16");
	ctx.prefix = &ctx_pfx;
	ctx.peer_addr = addr("169.254.116.209");
	ctx.local_addr = addr("169.254.116.210");
	ctx.peer_as = 64512;
	ctx.local_as = 65010;
	err[0] = '\0';
}

static void
teardown(void)
{
	policy_db_free(db);
	db = NULL;
}

/* Prefix lists -------------------------------------------------------- */

/* FRR's rules: exact without ge/le; ge alone up to the maximum; le alone
 * from the entry's length. */
START_TEST(t_plist_ge_le)
{
	static const struct {
		const char	*entry;
		uint8_t		 ge, le;
		const char	*route;
		int		 permit;
	} tab[] = {
		{ "10.0.0.0/8", 0, 0, "10.0.0.0/8", 1 },
		{ "10.0.0.0/8", 0, 0, "10.1.0.0/16", 0 },
		{ "10.0.0.0/8", 0, 0, "11.0.0.0/8", 0 },
		{ "10.0.0.0/8", 16, 0, "10.1.0.0/16", 1 },
		{ "10.0.0.0/8", 16, 0, "10.1.1.1/32", 1 },
		{ "10.0.0.0/8", 16, 0, "10.0.0.0/15", 0 },
		{ "10.0.0.0/8", 16, 0, "10.0.0.0/8", 0 },
		{ "10.0.0.0/8", 0, 24, "10.0.0.0/8", 1 },
		{ "10.0.0.0/8", 0, 24, "10.9.9.0/24", 1 },
		{ "10.0.0.0/8", 0, 24, "10.9.9.0/25", 0 },
		{ "10.0.0.0/8", 0, 24, "10.0.0.0/7", 0 },
		{ "10.0.0.0/8", 16, 24, "10.4.0.0/16", 1 },
		{ "10.0.0.0/8", 16, 24, "10.4.0.0/20", 1 },
		{ "10.0.0.0/8", 16, 24, "10.4.0.0/12", 0 },
		{ "10.0.0.0/8", 16, 24, "10.4.4.0/25", 0 },
		{ "10.0.0.0/8", 16, 24, "172.16.0.0/16", 0 },
		{ "0.0.0.0/0", 0, 32, "192.0.2.1/32", 1 },	/* any */
		{ "0.0.0.0/0", 0, 32, "0.0.0.0/0", 1 },
		{ "0.0.0.0/0", 0, 0, "0.0.0.0/0", 1 },		/* default */
		{ "0.0.0.0/0", 0, 0, "10.0.0.0/8", 0 },
		{ "169.254.0.0/16", 30, 30, "169.254.116.208/30", 1 },
		{ "169.254.0.0/16", 30, 30, "169.254.116.0/24", 0 },
	};
	size_t	 i;
	char	 name[16];

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		snprintf(name, sizeof(name), "T%zu", i);
		pl(AF_INET, name, 5, 1, tab[i].entry, tab[i].ge, tab[i].le);
		ck_assert_msg(pl_permits(AF_INET, name, tab[i].route) ==
		    tab[i].permit, "%s ge %u le %u on %s", tab[i].entry,
		    tab[i].ge, tab[i].le, tab[i].route);
	}
}
END_TEST

START_TEST(t_plist_v6_and_family)
{
	pl(AF_INET6, "V6", 0, 1, "2001:db8::/32", 48, 64);
	ck_assert(pl_permits(AF_INET6, "V6", "2001:db8:1::/48"));
	ck_assert(pl_permits(AF_INET6, "V6", "2001:db8:1:2::/64"));
	ck_assert(!pl_permits(AF_INET6, "V6", "2001:db8::/32"));
	ck_assert(!pl_permits(AF_INET6, "V6", "2001:db8:1:2::/65"));
	ck_assert(!pl_permits(AF_INET6, "V6", "2001:db9::/48"));
	/* an ip prefix-list and an ipv6 prefix-list are different names */
	ck_assert_ptr_null(policy_plist_find(db, AF_INET, "V6"));
	pl(AF_INET, "ANY", 0, 1, "0.0.0.0/0", 0, 32);
	ck_assert(!pl_permits(AF_INET6, "ANY", "2001:db8::/48"));
	ck_assert_ptr_nonnull(policy_plist_find(db, AF_INET, "ANY"));
}
END_TEST

/* First match decides; implicit deny; seq ordering; auto numbers. */
START_TEST(t_plist_order)
{
	char	*s;

	pl(AF_INET, "L", 10, 1, "10.0.0.0/8", 0, 32);
	pl(AF_INET, "L", 5, 0, "10.0.0.0/9", 0, 32);
	ck_assert(!pl_permits(AF_INET, "L", "10.1.0.0/16"));
	ck_assert(pl_permits(AF_INET, "L", "10.200.0.0/16"));
	ck_assert(!pl_permits(AF_INET, "L", "11.0.0.0/8"));
	/* the same seq replaces: now 10/9 is permitted */
	pl(AF_INET, "L", 5, 1, "10.0.0.0/9", 0, 32);
	ck_assert(pl_permits(AF_INET, "L", "10.1.0.0/16"));
	/* FRR: with 2 and 7 the next automatic number is 10 */
	pl(AF_INET, "A", 2, 1, "192.0.2.0/24", 0, 0);
	pl(AF_INET, "A", 7, 1, "198.51.100.0/24", 0, 0);
	pl(AF_INET, "A", 0, 1, "203.0.113.0/24", 0, 0);
	pl(AF_INET, "B", 0, 1, "203.0.113.0/24", 0, 0);
	s = print_db();
	ck_assert_ptr_nonnull(strstr(s,
	    "ip prefix-list A seq 10 permit 203.0.113.0/24\n"));
	ck_assert_ptr_nonnull(strstr(s,
	    "ip prefix-list B seq 5 permit 203.0.113.0/24\n"));
	free(s);
	ck_assert_int_eq(policy_plist_apply(NULL, &ctx_pfx), POLICY_DENY);
}
END_TEST

START_TEST(t_plist_errors)
{
	struct tb_prefix	 p = pfx("10.0.0.0/8"), p6 = pfx("2001:db8::/32");

	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p, 8, 0, err,
	    sizeof(err)), "len < ge <= le <= 32");
	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p, 0, 8, err,
	    sizeof(err)), "invalid prefix range for 10.0.0.0/8");
	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p, 24, 16, err,
	    sizeof(err)), "invalid prefix range");
	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p, 0, 33, err,
	    sizeof(err)), "invalid prefix range");
	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p, 33, 0, err,
	    sizeof(err)), "invalid prefix range");
	FAILS(policy_prefix_list_add(db, AF_INET6, "E", 5, 1, &p6, 24, 0,
	    err, sizeof(err)), "<= 128");
	FAILS(policy_prefix_list_add(db, AF_INET, "E", 5, 1, &p6, 0, 0, err,
	    sizeof(err)), "IPv4");
	FAILS(policy_prefix_list_add(db, AF_INET, "", 5, 1, &p, 0, 0, err,
	    sizeof(err)), "name");
	ck_assert_ptr_null(policy_plist_find(db, AF_INET, "E"));
	/* host bits are cleared, as FRR stores the network */
	p = pfx("10.1.2.3/8");
	OK(policy_prefix_list_add(db, AF_INET, "H", 5, 1, &p, 0, 0, err,
	    sizeof(err)));
	ck_assert(pl_permits(AF_INET, "H", "10.0.0.0/8"));
	/* FRR: the same entry twice under two numbers is refused */
	FAILS(policy_prefix_list_add(db, AF_INET, "H", 10, 1, &p, 0, 0, err,
	    sizeof(err)), "duplicated prefix list value");
	OK(policy_prefix_list_add(db, AF_INET, "H", 5, 1, &p, 0, 0, err,
	    sizeof(err)));
	OK(policy_prefix_list_add(db, AF_INET, "H", 10, 0, &p, 0, 0, err,
	    sizeof(err)));
}
END_TEST

/* AS-path access lists ------------------------------------------------ */

START_TEST(t_aspath_regex)
{
	static const struct {
		const char	*re;
		const char	*path;
		int		 match;
	} tab[] = {
		{ "_65001_", "64512 65001 {65002,65003}", 1 },
		{ "_65001_", "65001", 1 },
		{ "_65001_", "64512 165001", 0 },
		{ "_65001_", "650011 64512", 0 },
		{ "_65002_", "64512 65001 {65002,65003}", 1 },
		{ "_65003_", "64512 65001 {65002,65003}", 1 },
		{ "^$", "", 1 },
		{ "^$", "64512", 0 },
		{ ".*", "", 1 },
		{ ".*", "64512 65001", 1 },
		{ "^65000_", "65000 65001", 1 },
		{ "^65000_", "65000", 1 },
		{ "^65000_", "650001 2", 0 },
		{ "^65000_", "65001 65000", 0 },
		{ "_64512$", "65001 64512", 1 },
		{ "_64512$", "64512 65001", 0 },
		{ "^64512_[0-9]+$", "64512 65001", 1 },
		{ "^64512_[0-9]+$", "64512 65001 65002", 0 },
	};
	struct attr	 w;
	size_t		 i;
	char		 name[16];

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		snprintf(name, sizeof(name), "AP%zu", i);
		OK(policy_aspath_add(db, name, 0, 1, tab[i].re, err,
		    sizeof(err)));
		rm_entry(name, 1, 10);
		rm_match(RM_MATCH_ASPATH, name);
		work_init(&w, tab[i].path);
		ck_assert_str_eq(ptext(w.aspath), tab[i].path);
		ck_assert_msg((run(name, &w) == POLICY_PERMIT) == tab[i].match,
		    "'%s' on '%s'", tab[i].re, tab[i].path);
		attr_clear(&w);
	}
}
END_TEST

START_TEST(t_aspath_first_match)
{
	OK(policy_aspath_add(db, "NO65001", 10, 1, ".*", err, sizeof(err)));
	OK(policy_aspath_add(db, "NO65001", 5, 0, "_65001_", err,
	    sizeof(err)));
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_ASPATH, "NO65001");
	ck_assert_int_eq(run_path("M", "64512 65001", ""), POLICY_DENY);
	ck_assert_int_eq(run_path("M", "64512 65002", ""), POLICY_PERMIT);
	/* a list with only deny entries permits nothing */
	OK(policy_aspath_add(db, "D", 0, 0, "_1_", err, sizeof(err)));
	rm_entry("MD", 1, 10);
	rm_match(RM_MATCH_ASPATH, "D");
	ck_assert_int_eq(run_path("MD", "64512", ""), POLICY_DENY);
	FAILS(policy_aspath_add(db, "BAD", 0, 1, "(65001", err, sizeof(err)),
	    "regular expression");
	FAILS(policy_aspath_add(db, "BAD", 0, 1, "  ", err, sizeof(err)),
	    "regular expression");
}
END_TEST

/* Community lists ----------------------------------------------------- */

static void
cl(const char *name, int large, int expanded, uint32_t seq, int permit,
    const char *text)
{
	OK(policy_comm_list_add(db, name, large, expanded, seq, permit, text,
	    err, sizeof(err)));
}

START_TEST(t_comm_standard)
{
	cl("BOTH", 0, 0, 0, 1, "65000:100 65000:200");
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "BOTH");
	ck_assert_int_eq(run_path("M", "64512", "65000:100 65000:200 1:1"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_path("M", "64512", "65000:200 65000:100"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_path("M", "64512", "65000:100"), POLICY_DENY);
	ck_assert_int_eq(run_path("M", "64512", ""), POLICY_DENY);

	/* well-known words and plain numbers */
	cl("WK", 0, 0, 0, 1, "no-export");
	rm_entry("MWK", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "WK");
	ck_assert_int_eq(run_path("MWK", "64512", "65535:65281"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_path("MWK", "64512", "65535:65282"),
	    POLICY_DENY);
	cl("AO", 0, 0, 0, 1, "accept-own");
	rm_entry("MAO", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "AO");
	ck_assert_int_eq(run_path("MAO", "64512", "65535:1"), POLICY_PERMIT);
	cl("NUM", 0, 0, 0, 1, "4259840100");	/* 65000:100 */
	rm_entry("MNUM", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "NUM");
	ck_assert_int_eq(run_path("MNUM", "64512", "65000:100"),
	    POLICY_PERMIT);

	/* a deny entry first; "internet" matches every route */
	cl("DI", 0, 0, 5, 0, "65000:666");
	cl("DI", 0, 0, 10, 1, "internet");
	rm_entry("MDI", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "DI");
	ck_assert_int_eq(run_path("MDI", "64512", "65000:666 1:1"),
	    POLICY_DENY);
	ck_assert_int_eq(run_path("MDI", "64512", "1:1"), POLICY_PERMIT);
	ck_assert_int_eq(run_path("MDI", "64512", ""), POLICY_PERMIT);
}
END_TEST

START_TEST(t_comm_exact)
{
	cl("X", 0, 0, 0, 1, "65000:100 65000:200");
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "X exact-match");
	ck_assert_int_eq(run_path("M", "64512", "65000:200 65000:100"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_path("M", "64512", "65000:100 65000:200 1:1"),
	    POLICY_DENY);
	ck_assert_int_eq(run_path("M", "64512", "65000:100"), POLICY_DENY);
	ck_assert_int_eq(run_path("M", "64512", ""), POLICY_DENY);
	/* FRR: exact-match never matches a route without communities,
	 * not even through "internet" */
	cl("I", 0, 0, 0, 1, "internet");
	rm_entry("MI", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "I exact-match");
	ck_assert_int_eq(run_path("MI", "64512", "7:7"), POLICY_PERMIT);
	ck_assert_int_eq(run_path("MI", "64512", ""), POLICY_DENY);
}
END_TEST

START_TEST(t_comm_expanded)
{
	cl("E", 0, 1, 0, 1, "^65000:1[0-9][0-9]$");
	cl("U", 0, 1, 0, 1, "_65000:200_");
	rm_entry("ME", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "E");
	rm_entry("MU", 1, 10);
	rm_match(RM_MATCH_COMMUNITY, "U");
	ck_assert_int_eq(run_path("ME", "64512", "65000:150"), POLICY_PERMIT);
	ck_assert_int_eq(run_path("ME", "64512", "65000:250"), POLICY_DENY);
	ck_assert_int_eq(run_path("ME", "64512", "1:1 65000:150"),
	    POLICY_DENY);
	ck_assert_int_eq(run_path("MU", "64512", "1:1 65000:200 65001:1"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_path("MU", "64512", "65000:2000"), POLICY_DENY);
	/* one style per name, as FRR */
	FAILS(policy_comm_list_add(db, "E", 0, 0, 0, 1, "1:1", err,
	    sizeof(err)), "previously defined as expanded");
	FAILS(policy_comm_list_add(db, "BAD", 0, 1, 0, 1, "[", err,
	    sizeof(err)), "regular expression");
	FAILS(policy_comm_list_add(db, "BAD", 0, 0, 0, 1, "65536:1", err,
	    sizeof(err)), "malformed community");
	FAILS(policy_comm_list_add(db, "BAD", 0, 0, 0, 1, "no-such", err,
	    sizeof(err)), "malformed community");
}
END_TEST

static enum policy_verdict
run_lcomm(const char *map, const char *lcomm)
{
	struct attr		 w;
	enum policy_verdict	 v;

	work_init(&w, "64512");
	w.lcomm = mklcomm(lcomm);
	v = run(map, &w);
	attr_clear(&w);
	return v;
}

START_TEST(t_comm_large)
{
	cl("L", 1, 0, 0, 1, "65000:1:2 4200000000:3:4");
	cl("LE", 1, 1, 0, 1, "^65000:1:");
	rm_entry("ML", 1, 10);
	rm_match(RM_MATCH_LARGE_COMMUNITY, "L");
	rm_entry("MLE", 1, 10);
	rm_match(RM_MATCH_LARGE_COMMUNITY, "LE");
	rm_entry("MLX", 1, 10);
	rm_match(RM_MATCH_LARGE_COMMUNITY, "L exact-match");
	ck_assert_int_eq(run_lcomm("ML", "65000:1:2 4200000000:3:4 9:9:9"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_lcomm("ML", "65000:1:2"), POLICY_DENY);
	ck_assert_int_eq(run_lcomm("MLX", "65000:1:2 4200000000:3:4 9:9:9"),
	    POLICY_DENY);
	ck_assert_int_eq(run_lcomm("MLX", "4200000000:3:4 65000:1:2"),
	    POLICY_PERMIT);
	ck_assert_int_eq(run_lcomm("MLE", "65000:1:7"), POLICY_PERMIT);
	ck_assert_int_eq(run_lcomm("MLE", "65000:2:7"), POLICY_DENY);
	/* a standard community list of the same name is another list */
	ck_assert_int_eq(run_path("ML", "64512", "65000:1"), POLICY_DENY);
	FAILS(policy_comm_list_add(db, "BAD", 1, 0, 0, 1, "1:2", err,
	    sizeof(err)), "malformed large community");
}
END_TEST

/* Match clauses: each one decides in at least one case ----------------- */

START_TEST(t_match_prefix_lists)
{
	struct attr	 w;

	pl(AF_INET, "P4", 0, 1, "10.0.0.0/8", 16, 24);
	pl(AF_INET6, "P6", 0, 1, "2001:db8::/32", 0, 48);
	rm_entry("M4", 1, 10);
	rm_match(RM_MATCH_PREFIX_LIST, "P4");
	rm_entry("M6", 1, 10);
	rm_match(RM_MATCH_PREFIX_LIST6, "P6");
	work_init(&w, "64512");
	ctx_pfx = pfx("10.1.0.0/16");
	ck_assert_int_eq(run("M4", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("M6", &w), POLICY_DENY);
	ctx_pfx = pfx("10.1.0.0/25");
	ck_assert_int_eq(run("M4", &w), POLICY_DENY);
	ctx_pfx = pfx("2001:db8:5::/48");
	ck_assert_int_eq(run("M6", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("M4", &w), POLICY_DENY);
	ctx_pfx = pfx("2001:db8:5::/56");
	ck_assert_int_eq(run("M6", &w), POLICY_DENY);
	attr_clear(&w);
}
END_TEST

START_TEST(t_match_values)
{
	struct attr	 w;

	rm_entry("MED", 1, 10);
	rm_match(RM_MATCH_METRIC, "50");
	rm_entry("LP", 1, 10);
	rm_match(RM_MATCH_LOCAL_PREF, "200");
	rm_entry("LP100", 1, 10);
	rm_match(RM_MATCH_LOCAL_PREF, "100");
	rm_entry("MED0", 1, 10);
	rm_match(RM_MATCH_METRIC, "0");
	rm_entry("OR", 1, 10);
	rm_match(RM_MATCH_ORIGIN, "incomplete");
	rm_entry("PEER", 1, 10);
	rm_match(RM_MATCH_PEER, "169.254.116.209");
	work_init(&w, "64512");
	/* absent MED compares as 0, absent LOCAL_PREF as 100 (FRR) */
	ck_assert_int_eq(run("MED", &w), POLICY_DENY);
	ck_assert_int_eq(run("MED0", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("LP", &w), POLICY_DENY);
	ck_assert_int_eq(run("LP100", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("OR", &w), POLICY_DENY);
	ck_assert_int_eq(run("PEER", &w), POLICY_PERMIT);
	w.med = 50;
	w.flags |= ATTRF_MED;
	w.local_pref = 200;
	w.flags |= ATTRF_LOCAL_PREF;
	w.origin = ORIGIN_INCOMPLETE;
	ck_assert_int_eq(run("MED", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("LP", &w), POLICY_PERMIT);
	ck_assert_int_eq(run("OR", &w), POLICY_PERMIT);
	ctx.peer_addr = addr("169.254.22.1");
	ck_assert_int_eq(run("PEER", &w), POLICY_DENY);
	attr_clear(&w);
	FAILS(policy_rmap_match(db, RM_MATCH_METRIC, "x", err, sizeof(err)),
	    "not a number");
	FAILS(policy_rmap_match(db, RM_MATCH_ORIGIN, "bgp", err,
	    sizeof(err)), "igp, egp or incomplete");
	FAILS(policy_rmap_match(db, RM_MATCH_PEER, "1.2.3", err,
	    sizeof(err)), "not an address");
}
END_TEST

START_TEST(t_match_nexthop_and_all)
{
	struct attr	 w;

	pl(AF_INET, "NH", 0, 1, "169.254.116.208/30", 0, 32);
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_IP_NEXTHOP_PL, "NH");
	work_init(&w, "64512");
	ck_assert_int_eq(run("M", &w), POLICY_PERMIT);
	w.nexthop = addr("169.254.22.1");
	ck_assert_int_eq(run("M", &w), POLICY_DENY);
	/* every match of an entry must succeed */
	w.nexthop = addr("169.254.116.209");
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_ORIGIN, "egp");
	ck_assert_int_eq(run("M", &w), POLICY_DENY);
	w.origin = ORIGIN_EGP;
	ck_assert_int_eq(run("M", &w), POLICY_PERMIT);
	/* a second clause of the same kind replaces the first (FRR) */
	rm_match(RM_MATCH_ORIGIN, "igp");
	ck_assert_int_eq(run("M", &w), POLICY_DENY);
	attr_clear(&w);
}
END_TEST

/* Set clauses ---------------------------------------------------------- */

START_TEST(t_set_scalars)
{
	struct attr	 w;

	rm_entry("S", 1, 10);
	rm_set(RM_SET_LOCAL_PREF, "250");
	rm_set(RM_SET_WEIGHT, "32768");
	rm_set(RM_SET_ORIGIN, "egp");
	rm_set(RM_SET_METRIC, "77");
	work_init(&w, "64512");
	ck_assert_int_eq(run("S", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.local_pref, 250);
	ck_assert(w.flags & ATTRF_LOCAL_PREF);
	ck_assert_uint_eq(w.weight, 32768);
	ck_assert_uint_eq(w.origin, ORIGIN_EGP);
	ck_assert_uint_eq(w.med, 77);
	ck_assert(w.flags & ATTRF_MED);
	attr_clear(&w);
}
END_TEST

static uint32_t
metric_after(const char *set, int has_med, uint32_t med)
{
	struct attr	 w;
	uint32_t	 out;

	policy_db_free(db);
	db = policy_db_new();
	rm_entry("S", 1, 10);
	rm_set(RM_SET_METRIC, set);
	work_init(&w, "64512");
	if (has_med) {
		w.flags |= ATTRF_MED;
		w.med = med;
	}
	ck_assert_int_eq(run("S", &w), POLICY_PERMIT);
	ck_assert(w.flags & ATTRF_MED);
	out = w.med;
	attr_clear(&w);
	return out;
}

START_TEST(t_set_metric_relative)
{
	ck_assert_uint_eq(metric_after("+10", 1, 100), 110);
	ck_assert_uint_eq(metric_after("-10", 1, 100), 90);
	ck_assert_uint_eq(metric_after("-200", 1, 100), 0);
	ck_assert_uint_eq(metric_after("+10", 0, 0), 10);
	ck_assert_uint_eq(metric_after("-10", 0, 0), 0);
	ck_assert_uint_eq(metric_after("+4294967295", 1, 5), UINT32_MAX);
	ck_assert_uint_eq(metric_after("5", 1, 100), 5);
	FAILS(policy_rmap_set(db, RM_SET_METRIC, "+x", err, sizeof(err)),
	    "not a number");
	FAILS(policy_rmap_set(db, RM_SET_METRIC, "4294967296", err,
	    sizeof(err)), "not a number");
}
END_TEST

static const char *
prepend_after(const char *set, const char *path)
{
	struct attr		 w;
	static char		 out[256];

	policy_db_free(db);
	db = policy_db_new();
	rm_entry("S", 1, 10);
	rm_set(RM_SET_PREPEND, set);
	work_init(&w, path);
	ck_assert_int_eq(run("S", &w), POLICY_PERMIT);
	strlcpy(out, ptext(w.aspath), sizeof(out));
	attr_clear(&w);
	return out;
}

START_TEST(t_set_prepend)
{
	ck_assert_str_eq(prepend_after("65000 65000", "64512 65001"),
	    "65000 65000 64512 65001");
	ck_assert_str_eq(prepend_after("65000 65001", "64512"),
	    "65000 65001 64512");
	ck_assert_str_eq(prepend_after("65010", ""), "65010");
	ck_assert_str_eq(prepend_after("65000 65001 65001 65000", "1"),
	    "65000 65001 65001 65000 1");
	ck_assert_str_eq(prepend_after("last-as 2", "64512 65001"),
	    "64512 64512 64512 65001");
	/* empty path: our own AS (ctx.local_as), as FRR */
	ck_assert_str_eq(prepend_after("last-as 3", ""),
	    "65010 65010 65010");
	FAILS(policy_rmap_set(db, RM_SET_PREPEND, "last-as 11", err,
	    sizeof(err)), "1-10");
	FAILS(policy_rmap_set(db, RM_SET_PREPEND, "65000 x", err,
	    sizeof(err)), "not an AS number");
}
END_TEST

START_TEST(t_set_community)
{
	struct attr	 w;

	rm_entry("REPL", 1, 10);
	rm_set(RM_SET_COMMUNITY, "65000:100 no-export");
	rm_entry("ADD", 1, 10);
	rm_set(RM_SET_COMMUNITY, "65000:200 additive");
	rm_entry("NONE", 1, 10);
	rm_set(RM_SET_COMMUNITY, "none");
	work_init(&w, "64512");
	w.comm = mkcomm("1:1 2:2");
	ck_assert_int_eq(run("ADD", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.comm->n, 3);
	ck_assert(has_comm(w.comm, 0x00010001));
	ck_assert(has_comm(w.comm, 65000u << 16 | 200));
	ck_assert_int_eq(run("REPL", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.comm->n, 2);
	ck_assert(!has_comm(w.comm, 0x00010001));
	ck_assert(has_comm(w.comm, COMM_NO_EXPORT));
	ck_assert(has_comm(w.comm, 65000u << 16 | 100));
	ck_assert_int_eq(run("NONE", &w), POLICY_PERMIT);
	ck_assert_ptr_null(w.comm);
	/* additive on a route without communities */
	ck_assert_int_eq(run("ADD", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.comm->n, 1);
	attr_clear(&w);
}
END_TEST

START_TEST(t_set_comm_delete)
{
	struct attr	 w;

	cl("DEL", 0, 0, 0, 1, "65000:100 65000:200");
	cl("DELX", 0, 1, 0, 1, "^64512:");
	rm_entry("S", 1, 10);
	rm_set(RM_SET_COMM_DELETE, "DEL delete");
	rm_entry("SX", 1, 10);
	rm_set(RM_SET_COMM_DELETE, "DELX");
	work_init(&w, "64512");
	w.comm = mkcomm("65000:100 65000:200 65000:300 64512:7");
	ck_assert_int_eq(run("S", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.comm->n, 2);
	ck_assert(has_comm(w.comm, 65000u << 16 | 300));
	ck_assert(!has_comm(w.comm, 65000u << 16 | 100));
	ck_assert_int_eq(run("SX", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.comm->n, 1);
	ck_assert(!has_comm(w.comm, 64512u << 16 | 7));
	attr_clear(&w);
	/* deleting every value leaves no attribute */
	work_init(&w, "64512");
	w.comm = mkcomm("65000:100");
	ck_assert_int_eq(run("S", &w), POLICY_PERMIT);
	ck_assert_ptr_null(w.comm);
	attr_clear(&w);
}
END_TEST

START_TEST(t_set_large_ext)
{
	static const uint8_t	 rt[8] = { 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0,
				    100 };
	static const uint8_t	 rt4[8] = { 0x02, 0x02, 0xfa, 0x56, 0xea,
				    0x00, 0, 7 };
	static const uint8_t	 lc[12] = { 0, 0, 0xfd, 0xe8, 0, 0, 0, 1, 0,
				    0, 0, 2 };
	struct attr		 w;

	rm_entry("L", 1, 10);
	rm_set(RM_SET_LARGE_COMMUNITY, "65000:1:2 additive");
	rm_set(RM_SET_EXT_COMMUNITY_RT, "65000:100 4200000000:7");
	rm_entry("LR", 1, 10);
	rm_set(RM_SET_LARGE_COMMUNITY, "65000:1:2");
	work_init(&w, "64512");
	w.lcomm = mklcomm("9:9:9");
	ck_assert_int_eq(run("L", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.lcomm->n, 2);
	ck_assert(comms_has(w.lcomm, lc));
	ck_assert_ptr_nonnull(w.ecomm);
	ck_assert_uint_eq(w.ecomm->n, 2);
	ck_assert(comms_has(w.ecomm, rt));
	ck_assert(comms_has(w.ecomm, rt4));
	ck_assert_int_eq(run("LR", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.lcomm->n, 1);
	attr_clear(&w);
	FAILS(policy_rmap_set(db, RM_SET_EXT_COMMUNITY_RT, "4200000000:70000",
	    err, sizeof(err)), "malformed extended community");
}
END_TEST

START_TEST(t_set_nexthop)
{
	struct attr	 w;
	struct tb_addr	 a6 = addr("2001:db8::1");

	rm_entry("NH", 1, 10);
	rm_set(RM_SET_NEXTHOP, "192.0.2.1");
	rm_entry("PA", 1, 10);
	rm_set(RM_SET_NEXTHOP, "peer-address");
	rm_entry("NH6", 1, 10);
	rm_set(RM_SET_NEXTHOP6, "2001:db8::1");
	work_init(&w, "64512");
	ck_assert_int_eq(run("NH", &w), POLICY_PERMIT);
	ck_assert_str_eq(addr_str(&w.nexthop), "192.0.2.1");
	ck_assert_int_eq(run("PA", &w), POLICY_PERMIT);
	ck_assert_str_eq(addr_str(&w.nexthop), "169.254.116.209");
	ctx.out = 1;
	ck_assert_int_eq(run("PA", &w), POLICY_PERMIT);
	ck_assert_str_eq(addr_str(&w.nexthop), "169.254.116.210");
	ck_assert_int_eq(run("NH6", &w), POLICY_PERMIT);
	ck_assert_int_eq(addr_cmp(&w.nexthop, &a6), 0);
	attr_clear(&w);
	FAILS(policy_rmap_set(db, RM_SET_NEXTHOP, "2001:db8::1", err,
	    sizeof(err)), "not an IPv4 address");
	FAILS(policy_rmap_set(db, RM_SET_NEXTHOP6, "192.0.2.1", err,
	    sizeof(err)), "not an IPv6 address");
}
END_TEST

/* Route-map flow -------------------------------------------------------- */

/* Entries run in seq order whatever the order written; no match denies. */
START_TEST(t_rmap_order)
{
	struct attr	 w;

	rm_entry("M", 1, 20);
	rm_set(RM_SET_LOCAL_PREF, "20");
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_ORIGIN, "igp");
	rm_set(RM_SET_LOCAL_PREF, "10");
	work_init(&w, "64512");
	ck_assert_int_eq(run("M", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.local_pref, 10);
	w.origin = ORIGIN_EGP;
	ck_assert_int_eq(run("M", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.local_pref, 20);
	/* implicit deny */
	rm_entry("ONLY", 1, 10);
	rm_match(RM_MATCH_ORIGIN, "igp");
	ck_assert_int_eq(run("ONLY", &w), POLICY_DENY);
	/* an empty permit entry permits everything */
	rm_entry("ALL", 1, 10);
	ck_assert_int_eq(run("ALL", &w), POLICY_PERMIT);
	/* no such map: deny */
	ck_assert_int_eq(run("NOPE", &w), POLICY_DENY);
	attr_clear(&w);
	FAILS(policy_rmap_entry(db, "M", 1, 0, err, sizeof(err)), "1-65535");
	FAILS(policy_rmap_entry(db, "M", 1, 65536, err, sizeof(err)),
	    "1-65535");
	/* after a failed entry there is nothing to add clauses to */
	FAILS(policy_rmap_match(db, RM_MATCH_ORIGIN, "igp", err,
	    sizeof(err)), "not inside a route-map");
}
END_TEST

START_TEST(t_rmap_deny_entry)
{
	rm_entry("M", 0, 10);
	rm_match(RM_MATCH_COMMUNITY, "BAD");
	rm_entry("M", 1, 20);
	cl("BAD", 0, 0, 0, 1, "65000:666");
	ck_assert_int_eq(run_path("M", "64512", "65000:666"), POLICY_DENY);
	ck_assert_int_eq(run_path("M", "64512", "65000:1"), POLICY_PERMIT);
	/* reopening the entry as permit starts it afresh (FRR) */
	rm_entry("M", 1, 10);
	ck_assert_int_eq(run_path("M", "64512", "65000:666"), POLICY_PERMIT);
}
END_TEST

/* on-match next: the sets of both entries apply; a later deny denies. */
START_TEST(t_rmap_onmatch_next)
{
	struct attr	 w;

	rm_entry("M", 1, 10);
	rm_set(RM_SET_LOCAL_PREF, "300");
	OK(policy_rmap_onmatch(db, 0, 1, 0, err, sizeof(err)));
	rm_entry("M", 1, 20);
	rm_match(RM_MATCH_LOCAL_PREF, "300");
	rm_set(RM_SET_METRIC, "5");
	OK(policy_rmap_onmatch(db, 0, 1, 0, err, sizeof(err)));
	rm_entry("M", 0, 30);
	rm_match(RM_MATCH_METRIC, "5");
	rm_match(RM_MATCH_ORIGIN, "egp");
	work_init(&w, "64512");
	/* entry 20 sees the local-preference entry 10 set */
	ck_assert_int_eq(run("M", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.local_pref, 300);
	ck_assert_uint_eq(w.med, 5);
	attr_clear(&w);
	/* without on-match next, entry 20 is never reached */
	rm_entry("N", 1, 10);
	rm_set(RM_SET_LOCAL_PREF, "300");
	rm_entry("N", 1, 20);
	rm_set(RM_SET_METRIC, "5");
	work_init(&w, "64512");
	ck_assert_int_eq(run("N", &w), POLICY_PERMIT);
	ck_assert_uint_eq(w.local_pref, 300);
	ck_assert(!(w.flags & ATTRF_MED));
	/* a permit that continued, then a matching deny: denied */
	w.origin = ORIGIN_EGP;
	ck_assert_int_eq(run("M", &w), POLICY_DENY);
	attr_clear(&w);
}
END_TEST

START_TEST(t_rmap_goto_continue)
{
	struct attr	 w;

	rm_entry("G", 1, 10);
	rm_set(RM_SET_WEIGHT, "1");
	OK(policy_rmap_onmatch(db, 0, 0, 25, err, sizeof(err)));
	rm_entry("G", 1, 20);
	rm_set(RM_SET_LOCAL_PREF, "20");
	rm_entry("G", 1, 30);
	rm_set(RM_SET_METRIC, "30");
	OK(policy_rmap_onmatch(db, 1, 1, 0, err, sizeof(err)));
	rm_entry("G", 1, 40);
	rm_match(RM_MATCH_ORIGIN, "egp");
	rm_set(RM_SET_ORIGIN, "incomplete");
	rm_entry("G", 1, 50);
	rm_set(RM_SET_WEIGHT, "50");
	OK(policy_rmap_onmatch(db, 1, 0, 60, err, sizeof(err)));
	work_init(&w, "64512");
	/* 10 -> goto 25 = first entry >= 25, i.e. 30 -> continue -> 40 (no
	 * match) -> 50 -> continue 60: none, permit */
	ck_assert_int_eq(run("G", &w), POLICY_PERMIT);
	ck_assert(!(w.flags & ATTRF_LOCAL_PREF));
	ck_assert_uint_eq(w.med, 30);
	ck_assert_uint_eq(w.origin, ORIGIN_IGP);
	ck_assert_uint_eq(w.weight, 50);
	attr_clear(&w);
	FAILS(policy_rmap_onmatch(db, 0, 0, 50, err, sizeof(err)),
	    "above 50");
	FAILS(policy_rmap_onmatch(db, 1, 0, 10, err, sizeof(err)),
	    "continue 10");
}
END_TEST

/* Undefined names: no match (FRR), reported once each. */
struct seen {
	char	 text[512];
	int	 n;
};

static void
undef_cb(const char *kind, const char *name, void *arg)
{
	struct seen	*s = arg;

	s->n++;
	strlcat(s->text, kind, sizeof(s->text));
	strlcat(s->text, "=", sizeof(s->text));
	strlcat(s->text, name, sizeof(s->text));
	strlcat(s->text, ";", sizeof(s->text));
}

START_TEST(t_undefined)
{
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_PREFIX_LIST, "NOPL");
	rm_entry("M", 1, 20);
	rm_match(RM_MATCH_ASPATH, "NOAP");
	rm_entry("M", 1, 30);
	rm_match(RM_MATCH_COMMUNITY, "NOCL");
	rm_entry("M2", 1, 10);
	rm_match(RM_MATCH_PREFIX_LIST, "NOPL");
	rm_match(RM_MATCH_PREFIX_LIST6, "NOPL");
	rm_set(RM_SET_COMM_DELETE, "NODEL delete");
	rm_match(RM_MATCH_LARGE_COMMUNITY, "NOLC");
	pl(AF_INET, "DEFINED", 0, 1, "0.0.0.0/0", 0, 32);
	rm_match(RM_MATCH_IP_NEXTHOP_PL, "DEFINED");
	ck_assert_int_eq(run_path("M", "64512", "1:1"), POLICY_DENY);
	policy_undefined(db, undef_cb, &s);
	ck_assert_int_eq(s.n, 6);
	ck_assert_str_eq(s.text, "prefix-list=NOPL;as-path access-list=NOAP;"
	    "community-list=NOCL;ipv6 prefix-list=NOPL;large-community-list="
	    "NOLC;community-list=NODEL;");
	/* once defined they match */
	pl(AF_INET, "NOPL", 0, 1, "10.0.0.0/8", 0, 32);
	ck_assert_int_eq(run_path("M", "64512", "1:1"), POLICY_PERMIT);
}
END_TEST

/* Printing back --------------------------------------------------------- */

START_TEST(t_print)
{
	static const char	*want =
	    "ip prefix-list IN seq 5 permit 10.0.0.0/8 ge 16 le 24\n"
	    "ip prefix-list IN seq 10 deny 0.0.0.0/0 le 32\n"
	    "!\n"
	    "ipv6 prefix-list IN6 seq 5 permit 2001:db8::/32 le 48\n"
	    "!\n"
	    "bgp as-path access-list AWS seq 5 permit ^64512_\n"
	    "bgp as-path access-list AWS seq 10 deny .*\n"
	    "!\n"
	    "bgp community-list standard C seq 5 permit 65000:100 no-export\n"
	    "!\n"
	    "bgp community-list expanded CX seq 5 deny ^65000:.* 1:1$\n"
	    "!\n"
	    "bgp large-community-list standard LC seq 5 permit 65000:1:2\n"
	    "!\n"
	    "route-map FROM-AWS permit 10\n"
	    " match ip address prefix-list IN\n"
	    " match as-path AWS\n"
	    " match community C exact-match\n"
	    " set local-preference 200\n"
	    " set metric +10\n"
	    " set as-path prepend 65010 65010\n"
	    " set community 65000:1 additive\n"
	    " set comm-list C delete\n"
	    " set extcommunity rt 65000:100\n"
	    " set ip next-hop peer-address\n"
	    " on-match goto 30\n"
	    "exit\n"
	    "!\n"
	    "route-map FROM-AWS deny 20\n"
	    " match large-community LC\n"
	    " match origin incomplete\n"
	    " continue\n"
	    "exit\n"
	    "!\n"
	    "route-map FROM-AWS permit 30\n"
	    " set ipv6 next-hop global 2001:db8::1\n"
	    " continue 40\n"
	    "exit\n"
	    "!\n";
	char	*s;

	build_sample();
	s = print_db();
	ck_assert_str_eq(s, want);
	free(s);
}
END_TEST

static void
build_sample(void)
{
	pl(AF_INET, "IN", 0, 1, "10.0.0.0/8", 16, 24);
	pl(AF_INET, "IN", 0, 0, "0.0.0.0/0", 0, 32);
	pl(AF_INET6, "IN6", 0, 1, "2001:db8::/32", 0, 48);
	OK(policy_aspath_add(db, "AWS", 0, 1, "^64512_", err, sizeof(err)));
	OK(policy_aspath_add(db, "AWS", 0, 0, " .* ", err, sizeof(err)));
	cl("C", 0, 0, 0, 1, "65000:100   no-export");
	cl("CX", 0, 1, 0, 0, "^65000:.* 1:1$");
	cl("LC", 1, 0, 0, 1, "65000:1:2");
	rm_entry("FROM-AWS", 1, 30);
	rm_set(RM_SET_NEXTHOP6, "global 2001:db8::1");
	OK(policy_rmap_onmatch(db, 1, 0, 40, err, sizeof(err)));
	rm_entry("FROM-AWS", 1, 10);
	rm_match(RM_MATCH_PREFIX_LIST, "IN");
	rm_match(RM_MATCH_ASPATH, "AWS");
	rm_match(RM_MATCH_COMMUNITY, "C exact-match");
	rm_set(RM_SET_LOCAL_PREF, "200");
	rm_set(RM_SET_METRIC, "+10");
	rm_set(RM_SET_PREPEND, "65010  65010");
	rm_set(RM_SET_COMMUNITY, "65000:1 additive");
	rm_set(RM_SET_COMM_DELETE, "C delete");
	rm_set(RM_SET_EXT_COMMUNITY_RT, "rt 65000:100");
	rm_set(RM_SET_NEXTHOP, "peer-address");
	OK(policy_rmap_onmatch(db, 0, 0, 30, err, sizeof(err)));
	rm_entry("FROM-AWS", 0, 20);
	rm_match(RM_MATCH_LARGE_COMMUNITY, "LC");
	rm_match(RM_MATCH_ORIGIN, "incomplete");
	OK(policy_rmap_onmatch(db, 1, 1, 0, err, sizeof(err)));
}

/*
 * Reads policy_print() output back through the building calls, the way
 * the configuration parser does: the words before the clause text pick
 * the call, the rest is passed as written.
 */
static const struct {
	const char	*words;
	int		 kind;
	int		 set;
} clause_words[] = {
	{ " match ip address prefix-list ", RM_MATCH_PREFIX_LIST, 0 },
	{ " match ipv6 address prefix-list ", RM_MATCH_PREFIX_LIST6, 0 },
	{ " match as-path ", RM_MATCH_ASPATH, 0 },
	{ " match community ", RM_MATCH_COMMUNITY, 0 },
	{ " match large-community ", RM_MATCH_LARGE_COMMUNITY, 0 },
	{ " match metric ", RM_MATCH_METRIC, 0 },
	{ " match local-preference ", RM_MATCH_LOCAL_PREF, 0 },
	{ " match origin ", RM_MATCH_ORIGIN, 0 },
	{ " match peer ", RM_MATCH_PEER, 0 },
	{ " match ip next-hop prefix-list ", RM_MATCH_IP_NEXTHOP_PL, 0 },
	{ " set local-preference ", RM_SET_LOCAL_PREF, 1 },
	{ " set metric ", RM_SET_METRIC, 1 },
	{ " set weight ", RM_SET_WEIGHT, 1 },
	{ " set as-path prepend ", RM_SET_PREPEND, 1 },
	{ " set community ", RM_SET_COMMUNITY, 1 },
	{ " set comm-list ", RM_SET_COMM_DELETE, 1 },
	{ " set large-community ", RM_SET_LARGE_COMMUNITY, 1 },
	{ " set extcommunity rt ", RM_SET_EXT_COMMUNITY_RT, 1 },
	{ " set ip next-hop ", RM_SET_NEXTHOP, 1 },
	{ " set ipv6 next-hop global ", RM_SET_NEXTHOP6, 1 },
	{ " set origin ", RM_SET_ORIGIN, 1 },
};

static int
read_clause(struct policy_db *to, const char *line)
{
	size_t	 i, len;

	for (i = 0; i < sizeof(clause_words) / sizeof(clause_words[0]); i++) {
		len = strlen(clause_words[i].words);
		if (strncmp(line, clause_words[i].words, len) != 0)
			continue;
		if (clause_words[i].set)
			return policy_rmap_set(to, clause_words[i].kind,
			    line + len, err, sizeof(err));
		return policy_rmap_match(to, clause_words[i].kind, line + len,
		    err, sizeof(err));
	}
	return -2;
}

/* ip|ipv6 prefix-list NAME seq N permit|deny P [ge G] [le L] */
static int
read_plist(struct policy_db *to, const char *line)
{
	char			 name[64], act[8], p[64], k1[4] = "", k2[4] = "";
	unsigned		 seq, v1 = 0, v2 = 0, ge = 0, le = 0;
	struct tb_prefix	 x;
	int			 n;

	n = sscanf(line, "%*s prefix-list %63s seq %u %7s %63s %3s %u %3s %u",
	    name, &seq, act, p, k1, &v1, k2, &v2);
	ck_assert_int_ge(n, 4);
	if (strcmp(k1, "ge") == 0)
		ge = v1;
	if (strcmp(k1, "le") == 0)
		le = v1;
	if (strcmp(k2, "le") == 0)
		le = v2;
	ck_assert_int_eq(prefix_parse(p, &x), 0);
	return policy_prefix_list_add(to, line[2] == 'v' ? AF_INET6 : AF_INET,
	    name, seq, strcmp(act, "permit") == 0, &x, ge, le, err,
	    sizeof(err));
}

static int
read_line(struct policy_db *to, const char *line)
{
	char		 name[64], act[8], style[16], rest[512];
	unsigned	 seq, n;

	if (strcmp(line, "!") == 0 || strcmp(line, "exit") == 0)
		return 0;
	if (strncmp(line, "ip", 2) == 0)
		return read_plist(to, line);
	if (sscanf(line, "bgp as-path access-list %63s seq %u %7s %511[^\n]",
	    name, &seq, act, rest) == 4)
		return policy_aspath_add(to, name, seq, strcmp(act, "permit")
		    == 0, rest, err, sizeof(err));
	if (sscanf(line, "bgp community-list %15s %63s seq %u %7s %511[^\n]",
	    style, name, &seq, act, rest) == 5 ||
	    sscanf(line, "bgp large-community-list %15s %63s seq %u %7s "
	    "%511[^\n]", style, name, &seq, act, rest) == 5)
		return policy_comm_list_add(to, name, line[4] == 'l',
		    strcmp(style, "expanded") == 0, seq,
		    strcmp(act, "permit") == 0, rest, err, sizeof(err));
	if (sscanf(line, "route-map %63s %7s %u", name, act, &seq) == 3)
		return policy_rmap_entry(to, name, strcmp(act, "permit") == 0,
		    seq, err, sizeof(err));
	if (strcmp(line, " on-match next") == 0 ||
	    strcmp(line, " continue") == 0)
		return policy_rmap_onmatch(to, line[1] == 'c', 1, 0, err,
		    sizeof(err));
	if (sscanf(line, " on-match goto %u", &n) == 1 ||
	    sscanf(line, " continue %u", &n) == 1)
		return policy_rmap_onmatch(to, line[1] == 'c', 0, n, err,
		    sizeof(err));
	return read_clause(to, line);
}

START_TEST(t_print_roundtrip)
{
	struct policy_db	*first;
	char			*s1, *s2, *line, *p, *copy;

	build_sample();
	/* every clause kind, once */
	rm_entry("ALL", 1, 10);
	rm_match(RM_MATCH_METRIC, "7");
	rm_match(RM_MATCH_LOCAL_PREF, "150");
	rm_match(RM_MATCH_PEER, "169.254.116.209");
	rm_match(RM_MATCH_IP_NEXTHOP_PL, "IN");
	rm_match(RM_MATCH_PREFIX_LIST6, "IN6");
	rm_set(RM_SET_WEIGHT, "9");
	rm_set(RM_SET_ORIGIN, "igp");
	rm_set(RM_SET_LARGE_COMMUNITY, "none");
	rm_entry("ALL", 0, 20);
	rm_set(RM_SET_PREPEND, "last-as 3");
	rm_set(RM_SET_COMMUNITY, "none");
	rm_set(RM_SET_NEXTHOP, "192.0.2.1");
	rm_set(RM_SET_METRIC, "-4");
	s1 = print_db();
	first = db;
	db = policy_db_new();
	copy = strdup(s1);
	p = copy;
	while ((line = strsep(&p, "\n")) != NULL)
		if (*line != '\0')
			ck_assert_msg(read_line(db, line) == 0, "'%s': %s",
			    line, err);
	s2 = print_db();
	ck_assert_str_eq(s2, s1);
	policy_db_free(first);
	free(copy);
	free(s1);
	free(s2);
}
END_TEST

/* Reference counts ------------------------------------------------------ */

/* The RDE's way: copy an interned attr, apply, intern or clear. */
START_TEST(t_refcounts)
{
	struct attr		 w, *base, *res;
	size_t			 attrs, paths, comms;
	int			 i, permits = 0;

	cl("DEL", 0, 0, 0, 1, "65000:100");
	rm_entry("M", 1, 10);
	rm_match(RM_MATCH_ORIGIN, "igp");
	rm_set(RM_SET_PREPEND, "65010 65010");
	rm_set(RM_SET_COMMUNITY, "65000:100 65000:200 additive");
	rm_set(RM_SET_LARGE_COMMUNITY, "65000:1:2");
	rm_set(RM_SET_EXT_COMMUNITY_RT, "65000:1");
	OK(policy_rmap_onmatch(db, 0, 1, 0, err, sizeof(err)));
	cl("HAS200", 0, 0, 0, 1, "65000:200");
	rm_entry("M", 1, 20);
	rm_match(RM_MATCH_COMMUNITY, "HAS200");
	rm_set(RM_SET_COMM_DELETE, "DEL");
	rm_set(RM_SET_PREPEND, "last-as 2");
	rm_entry("M", 0, 30);

	attrs = attr_count();
	paths = aspath_total();
	comms = comms_total();
	work_init(&w, "64512 65001");
	w.comm = mkcomm("1:1");
	base = attr_intern(&w);
	for (i = 0; i < 1000; i++) {
		attr_copy(&w, base);
		if (i % 3 == 0)
			w.origin = ORIGIN_EGP;	/* 10 and 20 fail: 30 denies */
		if (run("M", &w) == POLICY_PERMIT) {
			permits++;
			ck_assert_str_eq(ptext(w.aspath),
			    "65010 65010 65010 65010 64512 65001");
			ck_assert(!has_comm(w.comm, 65000u << 16 | 100));
			ck_assert(has_comm(w.comm, 65000u << 16 | 200));
			res = attr_intern(&w);
			attr_unref(res);
		} else
			attr_clear(&w);
	}
	ck_assert_int_eq(permits, 666);
	attr_unref(base);
	ck_assert_uint_eq(attr_count(), attrs);
	ck_assert_uint_eq(aspath_total(), paths);
	ck_assert_uint_eq(comms_total(), comms);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("policy");
	TCase	*tc;
	SRunner	*sr;
	int	 nf;

	tc = tcase_create("lists");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_plist_ge_le);
	tcase_add_test(tc, t_plist_v6_and_family);
	tcase_add_test(tc, t_plist_order);
	tcase_add_test(tc, t_plist_errors);
	tcase_add_test(tc, t_aspath_regex);
	tcase_add_test(tc, t_aspath_first_match);
	tcase_add_test(tc, t_comm_standard);
	tcase_add_test(tc, t_comm_exact);
	tcase_add_test(tc, t_comm_expanded);
	tcase_add_test(tc, t_comm_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("route-map");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_match_prefix_lists);
	tcase_add_test(tc, t_match_values);
	tcase_add_test(tc, t_match_nexthop_and_all);
	tcase_add_test(tc, t_set_scalars);
	tcase_add_test(tc, t_set_metric_relative);
	tcase_add_test(tc, t_set_prepend);
	tcase_add_test(tc, t_set_community);
	tcase_add_test(tc, t_set_comm_delete);
	tcase_add_test(tc, t_set_large_ext);
	tcase_add_test(tc, t_set_nexthop);
	tcase_add_test(tc, t_rmap_order);
	tcase_add_test(tc, t_rmap_deny_entry);
	tcase_add_test(tc, t_rmap_onmatch_next);
	tcase_add_test(tc, t_rmap_goto_continue);
	tcase_add_test(tc, t_undefined);
	tcase_add_test(tc, t_print);
	tcase_add_test(tc, t_print_roundtrip);
	tcase_add_test(tc, t_refcounts);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
