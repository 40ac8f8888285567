/*
 * check_conf: the address helpers (lib/addr.c) and the configuration
 * language (bgpd/conf_parse.c, bgpd/conf_print.c).
 *
 * Most configuration cases are files in tests/unit/conf/: every
 * bad_NAME.conf must fail with exactly the text of bad_NAME.expect, every
 * good_NAME.conf must parse with exactly the warnings of good_NAME.expect
 * (none when there is no such file) and survive a print/parse round trip.
 * Inputs that cannot live in a text file (NUL bytes, a 1 MB line, deep
 * include chains) are written at run time into a temporary directory.
 */
#include "config.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <check.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "conf.h"
#include "conf_int.h"
#include "log.h"
#include "policy.h"

#define CONFDIR	TESTDATA "/conf"

/* ---- helpers ---- */

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	ck_assert((s = calloc(1, n + 1)) != NULL);
	ck_assert_int_eq(fread(s, 1, n, f), n);
	fclose(f);
	return s;
}

static void
spew(const char *path, const char *data, size_t len)
{
	FILE	*f;

	ck_assert_msg((f = fopen(path, "w")) != NULL, "cannot write %s", path);
	ck_assert_int_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Parses path; the messages land in *msgs (caller frees). */
static int
parse_msgs(const char *path, struct bgpd_config **c, char **msgs)
{
	FILE	*f;
	size_t	 len;
	int	 n;

	ck_assert((f = open_memstream(msgs, &len)) != NULL);
	n = conf_parse(path, c, f);
	fclose(f);
	return n;
}

#define SPEW(path, s)	spew(path, s, strlen(s))

static char	tmpdir[] = "/tmp/check_conf.XXXXXX";
static int	tmpdir_made;

static int
tmp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
tmp_cleanup(void)
{
	if (tmpdir_made)
		nftw(tmpdir, tmp_rm, 8, FTW_DEPTH | FTW_PHYS);
	tmpdir_made = 0;
}

/* A fresh temporary directory becomes the cwd; removed after the test. */
static void
tmp_enter(void)
{
	tmp_cleanup();	/* without CK_FORK the last test's is still here */
	strlcpy(tmpdir, "/tmp/check_conf.XXXXXX", sizeof(tmpdir));
	ck_assert(mkdtemp(tmpdir) != NULL);
	tmpdir_made = 1;
	ck_assert_int_eq(chdir(tmpdir), 0);
}

/* Parses text written to name in the temporary directory. */
static int
parse_text(const char *name, const char *text, struct bgpd_config **c,
    char **msgs)
{
	tmp_enter();
	SPEW(name, text);
	return parse_msgs(name, c, msgs);
}

static int
count_errors(const char *msgs)
{
	const char	*l;
	int		 n = 0;

	for (l = msgs; l != NULL && *l != '\0'; l = strchr(l, '\n') + 1) {
		if (strstr(l, ": warning: ") == NULL ||
		    strstr(l, ": warning: ") > strchr(l, '\n'))
			n++;
		if (strchr(l, '\n') == NULL)
			break;
	}
	return n;
}

/* Check cannot carry long messages: the texts go to stderr. */
static void
same_text(const char *name, const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	fprintf(stderr, "%s: got\n%s---\nwanted\n%s---\n", name, got,
	    want);
	ck_abort_msg("%s: messages differ from the .expect file (see "
	    "stderr)", name);
}

static void
peer_af_equal(const struct peer_af_config *a, const struct peer_af_config *b)
{
	ck_assert_str_eq(a->rmap_in, b->rmap_in);
	ck_assert_str_eq(a->rmap_out, b->rmap_out);
	ck_assert_str_eq(a->plist_in, b->plist_in);
	ck_assert_str_eq(a->plist_out, b->plist_out);
	ck_assert_uint_eq(a->max_prefix, b->max_prefix);
	ck_assert_uint_eq(a->max_prefix_threshold, b->max_prefix_threshold);
	ck_assert_int_eq(a->max_prefix_warning, b->max_prefix_warning);
	ck_assert_uint_eq(a->max_prefix_restart, b->max_prefix_restart);
	ck_assert_uint_eq(a->max_prefix_out, b->max_prefix_out);
	ck_assert_int_eq(a->soft_reconfig_in, b->soft_reconfig_in);
	ck_assert_uint_eq(a->allowas_in, b->allowas_in);
	ck_assert_int_eq(a->allowas_in_origin, b->allowas_in_origin);
	ck_assert_uint_eq(a->weight, b->weight);
	ck_assert_int_eq(a->weight_set, b->weight_set);
}

static void
peer_equal(const struct peer_config *a, const struct peer_config *b)
{
	int	aid;

	ck_assert_int_eq(addr_cmp(&a->remote, &b->remote), 0);
	ck_assert_uint_eq(a->remote_as, b->remote_as);
	ck_assert_str_eq(a->descr, b->descr);
	ck_assert_int_eq(a->timers_set, b->timers_set);
	if (a->timers_set) {
		ck_assert_uint_eq(a->keepalive, b->keepalive);
		ck_assert_uint_eq(a->holdtime, b->holdtime);
	}
	ck_assert_uint_eq(a->connect_retry, b->connect_retry);
	ck_assert_str_eq(a->password, b->password);
	ck_assert_int_eq(addr_cmp(&a->local, &b->local), 0);
	ck_assert_str_eq(a->local_ifname, b->local_ifname);
	ck_assert_uint_eq(a->ttl_security, b->ttl_security);
	ck_assert_uint_eq(a->multihop, b->multihop);
	ck_assert_int_eq(a->passive, b->passive);
	ck_assert_int_eq(a->strict_caps, b->strict_caps);
	ck_assert_int_eq(a->shutdown, b->shutdown);
	ck_assert_str_eq(a->shutdown_msg, b->shutdown_msg);
	ck_assert_uint_eq(a->af_active, b->af_active);
	ck_assert_uint_eq(a->af_configured, b->af_configured);
	ck_assert_uint_eq(a->adv_interval, b->adv_interval);
	ck_assert_uint_eq(a->live_tcp_timeout, b->live_tcp_timeout);
	ck_assert_uint_eq(a->live_tcp_keepalive, b->live_tcp_keepalive);
	ck_assert_uint_eq(a->live_icmp_interval, b->live_icmp_interval);
	ck_assert_uint_eq(a->live_icmp_mult, b->live_icmp_mult);
	ck_assert_uint_eq(a->live_icmp_up, b->live_icmp_up);
	ck_assert_int_eq(a->bfd, b->bfd);
	ck_assert_uint_eq(a->bfd_interval, b->bfd_interval);
	ck_assert_uint_eq(a->bfd_min_rx, b->bfd_min_rx);
	ck_assert_uint_eq(a->bfd_mult, b->bfd_mult);
	for (aid = 0; aid < AID_MAX; aid++)
		peer_af_equal(&a->af[aid], &b->af[aid]);
}

/* Best path, multipath and origination settings. */
static void
routes_equal(const struct bgpd_config *a, const struct bgpd_config *b)
{
	const struct network_config	*na, *nb;
	int				 aid, i;

	ck_assert_int_eq(a->as_path_ignore, b->as_path_ignore);
	ck_assert_int_eq(a->multipath_relax, b->multipath_relax);
	ck_assert_int_eq(a->always_compare_med, b->always_compare_med);
	ck_assert_int_eq(a->med_missing_as_worst, b->med_missing_as_worst);
	ck_assert_int_eq(a->compare_router_id, b->compare_router_id);
	ck_assert_int_eq(a->network_import_check, b->network_import_check);
	for (aid = 0; aid < AID_MAX; aid++) {
		ck_assert_uint_eq(a->maximum_paths[aid], b->maximum_paths[aid]);
		nb = TAILQ_FIRST(&b->networks[aid]);
		TAILQ_FOREACH(na, &a->networks[aid], entry) {
			ck_assert_msg(nb != NULL, "network %s missing after "
			    "round trip", prefix_str(&na->prefix));
			ck_assert_str_eq(prefix_str(&na->prefix),
			    prefix_str(&nb->prefix));
			ck_assert_str_eq(na->rmap, nb->rmap);
			nb = TAILQ_NEXT(nb, entry);
		}
		ck_assert(nb == NULL);
		for (i = 0; i < REDIST_MAX; i++) {
			ck_assert_int_eq(a->redist[aid][i].on,
			    b->redist[aid][i].on);
			ck_assert_str_eq(a->redist[aid][i].rmap,
			    b->redist[aid][i].rmap);
		}
	}
}

/* Static routes: same list, same order, every field. */
static void
statics_equal(const struct bgpd_config *a, const struct bgpd_config *b)
{
	const struct static_config	*sa, *sb;
	char				 wa[256], wb[256];

	ck_assert_uint_eq(a->distance_ebgp, b->distance_ebgp);
	ck_assert_uint_eq(a->distance_ibgp, b->distance_ibgp);
	ck_assert_uint_eq(a->distance_local, b->distance_local);
	sb = TAILQ_FIRST(&b->statics);
	TAILQ_FOREACH(sa, &a->statics, entry) {
		conf_static_words(sa, wa, sizeof(wa));
		ck_assert_msg(sb != NULL, "static %s missing after round trip",
		    wa);
		conf_static_words(sb, wb, sizeof(wb));
		ck_assert_str_eq(wa, wb);
		ck_assert_int_eq(conf_static_cmp(sa, sb), 0);
		ck_assert_int_eq(sa->track, sb->track);
		ck_assert_uint_eq(sa->icmp_interval, sb->icmp_interval);
		ck_assert_uint_eq(sa->icmp_mult, sb->icmp_mult);
		ck_assert_uint_eq(sa->icmp_up, sb->icmp_up);
		ck_assert_int_eq(addr_cmp(&sa->icmp_target, &sb->icmp_target),
		    0);
		ck_assert_uint_eq(sa->bfd_interval, sb->bfd_interval);
		ck_assert_uint_eq(sa->bfd_min_rx, sb->bfd_min_rx);
		ck_assert_uint_eq(sa->bfd_mult, sb->bfd_mult);
		ck_assert_uint_eq(sa->failback_delay, sb->failback_delay);
		sb = TAILQ_NEXT(sb, entry);
	}
	ck_assert(sb == NULL);
}

static void
conf_equal(const struct bgpd_config *a, const struct bgpd_config *b)
{
	const struct peer_config	*pa, *pb;

	ck_assert_uint_eq(a->as, b->as);
	ck_assert_uint_eq(a->router_id, b->router_id);
	ck_assert_uint_eq(a->keepalive, b->keepalive);
	ck_assert_uint_eq(a->holdtime, b->holdtime);
	ck_assert_uint_eq(a->min_holdtime, b->min_holdtime);
	ck_assert_int_eq(a->default_ipv4_unicast, b->default_ipv4_unicast);
	ck_assert_int_eq(a->ebgp_requires_policy, b->ebgp_requires_policy);
	ck_assert_int_eq(a->log_stderr, b->log_stderr);
	ck_assert_int_eq(a->log_syslog, b->log_syslog);
	ck_assert_int_eq(a->log_level, b->log_level);
	ck_assert_int_eq(a->log_facility, b->log_facility);
	ck_assert_str_eq(a->log_file, b->log_file);
	ck_assert_uint_eq(a->fib_table, b->fib_table);
	ck_assert_uint_eq(a->fib_metric, b->fib_metric);
	ck_assert_int_eq(a->fib_install, b->fib_install);
	ck_assert_int_eq(a->fib_retain, b->fib_retain);
	ck_assert_uint_eq(a->fib_scan, b->fib_scan);
	ck_assert_int_eq(conf_gr_differs(a, b), 0);
	routes_equal(a, b);
	statics_equal(a, b);
	pb = TAILQ_FIRST(&b->peers);
	TAILQ_FOREACH(pa, &a->peers, entry) {
		ck_assert_msg(pb != NULL, "peer %s missing after round trip",
		    addr_str(&pa->remote));
		peer_equal(pa, pb);
		ck_assert_int_eq(pa->gr_mode, pb->gr_mode);
		pb = TAILQ_NEXT(pb, entry);
	}
	ck_assert(pb == NULL);
}

static char *
print_str(const struct bgpd_config *c)
{
	FILE	*f;
	char	*s;
	size_t	 len;

	ck_assert((f = open_memstream(&s, &len)) != NULL);
	conf_print(f, c);
	fclose(f);
	return s;
}

/* print, parse the text back, compare, and print again: same text. */
static void
round_trip(const struct bgpd_config *c)
{
	struct bgpd_config	*c2;
	char			 dir[] = "/tmp/check_conf.XXXXXX", path[64];
	char			*text, *text2, *msgs;

	text = print_str(c);
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/printed.conf", dir);
	spew(path, text, strlen(text));
	ck_assert_msg(parse_msgs(path, &c2, &msgs) == 0,
	    "printed config does not parse:\n%s\n%s", text, msgs);
	conf_equal(c, c2);
	text2 = print_str(c2);
	ck_assert_str_eq(text, text2);
	unlink(path);
	rmdir(dir);
	free(text);
	free(text2);
	free(msgs);
	conf_free(c2);
}

static struct peer_config *
peer(const struct bgpd_config *c, const char *addr)
{
	struct tb_addr	a;

	ck_assert_int_eq(addr_parse(addr, &a), 0);
	return conf_find_peer(c, &a);
}

static struct tb_prefix
pfx(const char *s)
{
	struct tb_prefix	p;

	ck_assert_int_eq(prefix_parse(s, &p), 0);
	return p;
}

/* ---- addr ---- */

START_TEST(test_addr_parse)
{
	static const char *const bad[] = { "", "1.2.3", "1.2.3.256",
	    "1.2.3.4 ", " 1.2.3.4", "::g", "fe80::1%eth0", "1.2.3.4/32",
	    "0x01020304", "1:2:3:4:5:6:7:8:9", "localhost" };
	struct tb_addr	a;
	size_t		i;

	ck_assert_int_eq(addr_parse("169.254.116.210", &a), 0);
	ck_assert_int_eq(a.af, AF_INET);
	ck_assert_str_eq(addr_str(&a), "169.254.116.210");
	ck_assert_int_eq(addr_parse("2001:DB8:0::1", &a), 0);
	ck_assert_int_eq(a.af, AF_INET6);
	ck_assert_str_eq(addr_str(&a), "2001:db8::1");
	ck_assert(addr_isset(&a));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(addr_parse(bad[i], &a) == -1, "accepted '%s'",
		    bad[i]);
		ck_assert(!addr_isset(&a));
	}
	memset(&a, 0, sizeof(a));
	ck_assert_str_eq(addr_str(&a), "(unset)");
}
END_TEST

START_TEST(test_addr_cmp_str)
{
	struct tb_addr	a, b, c;
	char		buf[128];

	addr_parse("10.0.0.1", &a);
	addr_parse("10.0.0.2", &b);
	addr_parse("::1", &c);
	ck_assert_int_eq(addr_cmp(&a, &b), -1);
	ck_assert_int_eq(addr_cmp(&b, &a), 1);
	ck_assert_int_eq(addr_cmp(&a, &a), 0);
	ck_assert_int_eq(addr_cmp(&a, &c), -1);	/* IPv4 sorts first */
	/* Rotating buffers: several results in one printf. */
	snprintf(buf, sizeof(buf), "%s %s %s %s", addr_str(&a), addr_str(&b),
	    addr_str(&c), bgpid_str(0x0a000003));
	ck_assert_str_eq(buf, "10.0.0.1 10.0.0.2 ::1 10.0.0.3");
}
END_TEST

START_TEST(test_prefix)
{
	static const char *const bad[] = { "10.0.0.0", "10.0.0.0/", "/8",
	    "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8",
	    "10.0.0.0/8x", "10.0.0.0/1000", "junk/8", "10.0.0.0/ 8" };
	struct tb_prefix	p;
	struct tb_addr		a;
	size_t			i;

	ck_assert_int_eq(prefix_parse("169.254.116.210/30", &p), 0);
	ck_assert_str_eq(prefix_str(&p), "169.254.116.208/30");
	addr_parse("169.254.116.211", &a);
	ck_assert(prefix_contains(&p, &a));
	addr_parse("169.254.116.212", &a);
	ck_assert(!prefix_contains(&p, &a));
	addr_parse("::1", &a);
	ck_assert(!prefix_contains(&p, &a));
	ck_assert_int_eq(prefix_parse("2001:db8:ffff::1/33", &p), 0);
	ck_assert_str_eq(prefix_str(&p), "2001:db8:8000::/33");
	ck_assert_int_eq(prefix_parse("0.0.0.0/0", &p), 0);
	addr_parse("8.8.8.8", &a);
	ck_assert(prefix_contains(&p, &a));
	ck_assert_int_eq(prefix_parse("::/128", &p), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(prefix_parse(bad[i], &p) == -1, "accepted '%s'",
		    bad[i]);
}
END_TEST

START_TEST(test_sockaddr)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct tb_addr		 a, b;
	uint16_t		 port;

	addr_parse("2001:db8::7", &a);
	ck_assert_int_eq(addr_to_sa(&a, 179, &ss), sizeof(struct sockaddr_in6));
	ck_assert_int_eq(addr_from_sa((struct sockaddr *)&ss, &b, &port), 0);
	ck_assert_int_eq(addr_cmp(&a, &b), 0);
	ck_assert_uint_eq(port, 179);
	addr_parse("10.1.2.3", &a);
	ck_assert_int_eq(addr_to_sa(&a, 1179, &ss), sizeof(struct sockaddr_in));
	ck_assert_int_eq(addr_from_sa((struct sockaddr *)&ss, &b, NULL), 0);
	ck_assert_int_eq(addr_cmp(&a, &b), 0);
	/* A v4-mapped address from a dual-stack socket is IPv4. */
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:10.1.2.3", &sin6->sin6_addr);
	ck_assert_int_eq(addr_from_sa((struct sockaddr *)&ss, &b, &port), 0);
	ck_assert_int_eq(addr_cmp(&a, &b), 0);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(addr_to_sa(&a, 179, &ss), 0);
	ss.ss_family = AF_UNIX;
	ck_assert_int_eq(addr_from_sa((struct sockaddr *)&ss, &b, NULL), -1);
}
END_TEST

START_TEST(test_bgpid)
{
	uint32_t	id;

	ck_assert_int_eq(bgpid_parse("192.0.2.1", &id), 0);
	ck_assert_uint_eq(id, 0xc0000201);
	ck_assert_str_eq(bgpid_str(id), "192.0.2.1");
	ck_assert_int_eq(bgpid_parse("192.0.2", &id), -1);
	ck_assert_int_eq(bgpid_parse("::1", &id), -1);
	ck_assert_int_eq(bgpid_parse("3232235777", &id), -1);
}
END_TEST

/* ---- configuration files ---- */

START_TEST(test_bad_files)
{
	struct bgpd_config	*c;
	char			*msgs, *want, expect[PATH_MAX];
	glob_t			 g;
	size_t			 i;
	int			 n;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(glob("bad_*.conf", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 6);
	for (i = 0; i < g.gl_pathc; i++) {
		snprintf(expect, sizeof(expect), "%.*s.expect",
		    (int)strlen(g.gl_pathv[i]) - 5, g.gl_pathv[i]);
		ck_assert_msg((want = slurp(expect)) != NULL, "no %s", expect);
		n = parse_msgs(g.gl_pathv[i], &c, &msgs);
		same_text(g.gl_pathv[i], msgs, want);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(n, count_errors(msgs));
		ck_assert(c == NULL);
		free(msgs);
		free(want);
	}
	globfree(&g);
}
END_TEST

START_TEST(test_good_files)
{
	struct bgpd_config	*c;
	char			*msgs, *want, expect[PATH_MAX];
	glob_t			 g;
	size_t			 i;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(glob("good_*.conf", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 7);
	for (i = 0; i < g.gl_pathc; i++) {
		snprintf(expect, sizeof(expect), "%.*s.expect",
		    (int)strlen(g.gl_pathv[i]) - 5, g.gl_pathv[i]);
		if ((want = slurp(expect)) == NULL)
			want = strdup("");
		ck_assert_msg(parse_msgs(g.gl_pathv[i], &c, &msgs) == 0,
		    "%s:\n%s", g.gl_pathv[i], msgs);
		same_text(g.gl_pathv[i], msgs, want);
		round_trip(c);
		conf_free(c);
		free(msgs);
		free(want);
	}
	globfree(&g);
}
END_TEST

/* good_fib.conf: the kernel and failover statements; their "no" forms
 * give the defaults back. */
static int
t_down_209(const struct peer_config *pc)
{
	return strcmp(addr_str(&pc->remote), "169.254.116.209") == 0;
}

/* The running configuration shows a shutdown from the shell. */
START_TEST(test_print_running)
{
	struct bgpd_config	*c;
	char			*msgs, *s;
	size_t			 len;
	FILE			*f;

	ck_assert_int_eq(parse_text("run.conf", "router bgp 65000\n"
	    " neighbor 169.254.116.209 remote-as 64512\n"
	    " neighbor 169.254.214.97 remote-as 64512\n", &c, &msgs), 0);
	ck_assert((f = open_memstream(&s, &len)) != NULL);
	conf_print_running(f, c, t_down_209);
	fclose(f);
	ck_assert_msg(strstr(s, " neighbor 169.254.116.209 remote-as 64512\n"
	    " neighbor 169.254.116.209 shutdown\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "169.254.214.97 shutdown") == NULL, "%s", s);
	free(s);
	s = print_str(c);
	ck_assert_msg(strstr(s, "shutdown") == NULL, "%s", s);
	free(s);
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_fib_keywords)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_fib.conf", &c, &msgs), 0);
	ck_assert_uint_eq(c->failback_delay, 30);
	ck_assert_uint_eq(c->fib_table, 100);
	ck_assert_uint_eq(c->fib_metric, 50);
	ck_assert_int_eq(c->fib_retain, 1);
	ck_assert_int_eq(c->fib_install, 1);
	ck_assert_uint_eq(c->fib_scan, 15);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_text("nofib.conf", "router bgp 65000\n"
	    " bgp failback-delay 5\n no bgp failback-delay\n"
	    " fib scan-interval 5\n no fib scan-interval\n", &c, &msgs), 0);
	ck_assert_uint_eq(c->failback_delay, 0);
	ck_assert_uint_eq(c->fib_scan, FIB_SCAN_DEFAULT);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_text("scan0.conf", "router bgp 65000\n"
	    " fib scan-interval 0\n", &c, &msgs), 0);
	ck_assert_uint_eq(c->fib_scan, 0);
	conf_free(c);
	free(msgs);
	ck_assert_int_ne(parse_text("scanbad.conf", "router bgp 65000\n"
	    " fib scan-interval soon\n", &c, &msgs), 0);
	ck_assert_ptr_nonnull(strstr(msgs, "scan interval"));
	free(msgs);
}
END_TEST

/* good_gr.conf: graceful restart in FRR's words; "no" forms give FRR's
 * defaults back, a neighbor's "no" the global mode. */
START_TEST(test_gr_keywords)
{
	struct bgpd_config	*c;
	char			*msgs, *text;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_gr.conf", &c, &msgs), 0);
	ck_assert_int_eq(c->gr_mode, GR_RESTART);
	ck_assert_uint_eq(c->gr_restart_time, 90);
	ck_assert_uint_eq(c->gr_stalepath_time, 300);
	ck_assert_uint_eq(c->gr_select_defer, 60);
	ck_assert_int_eq(c->gr_preserve_fw, 1);
	ck_assert_int_eq(c->gr_notification, 0);
	ck_assert_int_eq(c->gr_liveness, GR_LIVE_WITHDRAW);
	ck_assert_int_eq(c->hard_admin_reset, 0);
	ck_assert_int_eq(peer(c, "169.254.116.209")->gr_mode, GR_HELPER);
	ck_assert_int_eq(peer(c, "169.254.214.97")->gr_mode, GR_DISABLE);
	ck_assert_int_eq(peer(c, "169.254.10.1")->gr_mode, GR_INHERIT);
	text = print_str(c);
	ck_assert_ptr_nonnull(strstr(text, " bgp graceful-restart\n"
	    " bgp graceful-restart restart-time 90\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.214.97 "
	    "graceful-restart-disable\n"));
	ck_assert_ptr_nonnull(strstr(text, " bgp graceful-restart liveness "
	    "withdraw\n"));
	free(text);
	round_trip(c);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_text("nogr.conf", "router bgp 65000\n"
	    " bgp graceful-restart-disable\n no bgp graceful-restart-disable\n"
	    " bgp graceful-restart restart-time 5\n"
	    " no bgp graceful-restart restart-time\n"
	    " bgp graceful-restart liveness restart\n"
	    " no bgp graceful-restart liveness\n", &c, &msgs), 0);
	ck_assert_int_eq(c->gr_mode, GR_HELPER);
	ck_assert_uint_eq(c->gr_restart_time, GR_RESTART_TIME_DEF);
	ck_assert_uint_eq(c->gr_stalepath_time, GR_STALEPATH_TIME_DEF);
	ck_assert_uint_eq(c->gr_select_defer, GR_SELECT_DEFER_DEF);
	ck_assert_int_eq(c->gr_liveness, GR_LIVE_FAILOVER);
	ck_assert_int_eq(c->gr_notification, 1);
	ck_assert_int_eq(c->hard_admin_reset, 1);
	text = print_str(c);
	ck_assert_ptr_null(strstr(text, "graceful"));
	free(text);
	conf_free(c);
	free(msgs);
}
END_TEST

/* good_liveness.conf: each liveness statement lands in its fields, with
 * the defaults filled in; "no" turns one off; the printer leaves the
 * defaults out. */
START_TEST(test_liveness_keywords)
{
	struct bgpd_config	*c;
	struct peer_config	*p1, *p2, *p3;
	char			*msgs, *text;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_liveness.conf", &c, &msgs), 0);
	ck_assert((p1 = peer(c, "169.254.116.209")) != NULL);
	ck_assert_uint_eq(p1->live_tcp_timeout, 3000);
	ck_assert_uint_eq(p1->live_tcp_keepalive, LIVE_TCP_KEEPALIVE_DEF);
	ck_assert_uint_eq(p1->live_icmp_interval, 100);
	ck_assert_uint_eq(p1->live_icmp_mult, 5);
	ck_assert_uint_eq(p1->live_icmp_up, LIVE_ICMP_UP_DEF);
	ck_assert_int_eq(p1->bfd, 0);
	ck_assert((p2 = peer(c, "169.254.214.97")) != NULL);
	ck_assert_uint_eq(p2->live_tcp_timeout, 6000);
	ck_assert_uint_eq(p2->live_tcp_keepalive, 2000);
	ck_assert_uint_eq(p2->live_icmp_interval, 250);
	ck_assert_uint_eq(p2->live_icmp_mult, 3);
	ck_assert_uint_eq(p2->live_icmp_up, 10);
	ck_assert_int_eq(p2->bfd, 1);
	ck_assert_uint_eq(p2->bfd_interval, 300);
	ck_assert_uint_eq(p2->bfd_min_rx, 300);
	ck_assert_uint_eq(p2->bfd_mult, 3);
	ck_assert((p3 = peer(c, "192.0.2.1")) != NULL);
	ck_assert_uint_eq(p3->live_tcp_timeout, 0);
	ck_assert_uint_eq(p3->live_tcp_keepalive, 0);
	ck_assert_uint_eq(p3->live_icmp_interval, 0);
	ck_assert(p3->bfd && p3->bfd_interval == 100 &&
	    p3->bfd_min_rx == 150 && p3->bfd_mult == 4);
	text = print_str(c);
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.116.209 "
	    "liveness tcp timeout 3000\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.214.97 "
	    "liveness tcp timeout 6000 keepalive 2000\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.116.209 "
	    "liveness icmp interval 100 multiplier 5\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.214.97 "
	    "liveness icmp interval 250 multiplier 3 up 10\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 169.254.214.97 bfd\n"));
	ck_assert_ptr_nonnull(strstr(text, " neighbor 192.0.2.1 bfd interval "
	    "100 min-rx 150 multiplier 4\n"));
	ck_assert_ptr_null(strstr(text, " neighbor 192.0.2.1 liveness"));
	round_trip(c);
	free(text);
	conf_free(c);
	free(msgs);
	/* The "no" forms take the full statement too, and turn all off. */
	ck_assert_int_eq(parse_text("nolive.conf", "router bgp 65000\n"
	    " neighbor 192.0.2.1 remote-as 65010\n"
	    " neighbor 192.0.2.1 liveness tcp timeout 2000\n"
	    " neighbor 192.0.2.1 liveness icmp interval 10 multiplier 2\n"
	    " neighbor 192.0.2.1 bfd multiplier 9\n"
	    " no neighbor 192.0.2.1 liveness tcp timeout 2000\n"
	    " no neighbor 192.0.2.1 liveness icmp\n"
	    " no neighbor 192.0.2.1 bfd\n", &c, &msgs), 0);
	ck_assert((p3 = peer(c, "192.0.2.1")) != NULL);
	ck_assert(p3->live_tcp_timeout == 0 && p3->live_icmp_interval == 0 &&
	    p3->live_icmp_mult == 0 && !p3->bfd && p3->bfd_mult == 0);
	conf_free(c);
	free(msgs);
	/* The smallest timeout: one 1 s KEEPALIVE interval. */
	ck_assert_int_eq(parse_text("tcp1000.conf", "router bgp 65000\n"
	    " neighbor 192.0.2.1 remote-as 65010\n"
	    " neighbor 192.0.2.1 liveness tcp timeout 1000 keepalive 1000\n",
	    &c, &msgs), 0);
	ck_assert_uint_eq(peer(c, "192.0.2.1")->live_tcp_timeout, 1000);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_text("tcp999.conf", "router bgp 65000\n"
	    " neighbor 192.0.2.1 remote-as 65010\n"
	    " neighbor 192.0.2.1 liveness tcp timeout 999\n", &c, &msgs), 1);
	ck_assert_ptr_nonnull(strstr(msgs, "1000"));
	free(msgs);
}
END_TEST

/* good_static.conf: static routes without router bgp, each next hop
 * kind, the netmask form, a route given twice, a no form, distances. */
/* good_obs.conf: the observers' statements land in their fields; FRR's
 * interval forms are seconds; "no dump bgp" removes the dump. */
START_TEST(test_obs_keywords)
{
	struct bgpd_config		*c;
	const struct metrics_listen	*m;
	char				*msgs;
	int				 n = 0;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_obs.conf", &c, &msgs), 0);
	TAILQ_FOREACH(m, &c->metrics, entry)
		n++;
	ck_assert_int_eq(n, 4);
	m = TAILQ_FIRST(&c->metrics);
	ck_assert_str_eq(addr_str(&m->addr), "127.0.0.1");
	ck_assert_uint_eq(m->port, 9179);
	m = TAILQ_NEXT(m, entry);
	ck_assert_str_eq(addr_str(&m->addr), "::1");
	ck_assert_str_eq(c->dumps[MRT_DUMP_ALL].path, "/var/log/tbgpd/all");
	ck_assert_uint_eq(c->dumps[MRT_DUMP_ALL].interval, 3600);
	ck_assert_int_eq(c->dumps[MRT_DUMP_ALL].et, 0);
	ck_assert_str_eq(c->dumps[MRT_DUMP_UPDATES].path,
	    "/var/log/tbgpd/updates.%s");
	ck_assert_uint_eq(c->dumps[MRT_DUMP_UPDATES].interval, 90);
	ck_assert_int_eq(c->dumps[MRT_DUMP_UPDATES].et, 1);
	ck_assert_uint_eq(c->dumps[MRT_DUMP_ROUTES].interval, 900);
	ck_assert_uint_eq(conf_dump_interval("1h30m"), 5400);
	ck_assert_uint_eq(conf_dump_interval("04h20m00"), 15600);
	ck_assert_uint_eq(conf_dump_interval("2m5s"), 125);
	ck_assert_uint_eq(conf_dump_interval("m"), 0);
	ck_assert_uint_eq(conf_dump_interval("5s5"), 0);
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_static_routes)
{
	struct bgpd_config		*c;
	const struct static_config	*s;
	char				*msgs, w[256];
	static const char *const want[] = {
		"10.0.0.0/8 vti1 250", "10.1.0.0/16 blackhole 254",
		"10.2.0.0/16 blackhole", "10.3.0.0/16 reject",
		"10.5.0.0/16 vti1 liveness icmp interval 1000 multiplier 3 "
		    "up 5 target 10.5.0.1",
		"10.9.0.0/16 169.254.10.1 xfrm1",
		"172.16.0.0/16 169.254.116.209 10 failback-delay 30",
		"172.16.0.0/16 169.254.214.97 20",
		"172.18.0.0/16 169.254.116.209 10 liveness icmp interval 100 "
		    "multiplier 3 target 172.18.0.10 failback-delay 10",
		"172.18.0.0/16 169.254.214.97 20 liveness icmp interval 1000 "
		    "multiplier 3",
		"172.19.0.0/16 169.254.116.209 bfd interval 100 min-rx 100",
		"172.19.0.0/16 169.254.214.97 20 bfd",
		"::/0 blackhole 255",
		"fd00:16::/48 fd00:1::1 5", "fd00:17::/48 fe80::1 xfrm2",
		"fd00:18::/48 fd00:1::1 liveness icmp interval 200 multiplier 2 "
		    "target fd00:18::1",
	};
	size_t				 i = 0;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_static.conf", &c, &msgs), 0);
	ck_assert_uint_eq(c->as, 0);
	ck_assert_uint_eq(c->fib_table, 100);
	ck_assert_uint_eq(c->fib_metric, 30);
	TAILQ_FOREACH(s, &c->statics, entry) {
		ck_assert_uint_lt(i, sizeof(want) / sizeof(want[0]));
		conf_static_words(s, w, sizeof(w));
		ck_assert_str_eq(w, want[i]);
		i++;
	}
	ck_assert_uint_eq(i, sizeof(want) / sizeof(want[0]));
	s = TAILQ_FIRST(&c->statics);
	ck_assert_int_eq(s->kind, STATIC_IFACE);
	ck_assert_str_eq(s->ifname, "vti1");
	ck_assert_int_eq(s->track, STATIC_TRACK_NONE);
	ck_assert_str_eq(s->file, "good_static.conf");
	ck_assert_int_eq(s->line, 7);
	/* Tracking defaults: ICMP 1000 ms x 3, up 3; BFD 300/300 x 3. */
	TAILQ_FOREACH(s, &c->statics, entry)
		if (s->prefix.len == 16 && s->distance == 20 &&
		    s->track == STATIC_TRACK_ICMP)
			break;
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->icmp_interval, STATIC_ICMP_INTERVAL_DEF);
	ck_assert_uint_eq(s->icmp_mult, STATIC_ICMP_MULT_DEF);
	ck_assert_uint_eq(s->icmp_up, LIVE_ICMP_UP_DEF);
	ck_assert(!addr_isset(&s->icmp_target));
	TAILQ_FOREACH(s, &c->statics, entry)
		if (s->track == STATIC_TRACK_BFD && s->distance == 20)
			break;
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->bfd_interval, BFD_INTERVAL_DEF);
	ck_assert_uint_eq(s->bfd_min_rx, BFD_MIN_RX_DEF);
	ck_assert_uint_eq(s->bfd_mult, BFD_MULT_DEF);
	conf_free(c);
	free(msgs);
	/* no ip route without a distance: every distance of that next
	 * hop; with one, that one only. */
	ck_assert_int_eq(parse_text("nodist.conf",
	    "ip route 10.0.0.0/8 192.0.2.1 10\n"
	    "ip route 10.0.0.0/8 192.0.2.1 20\n"
	    "ip route 10.0.0.0/8 192.0.2.2 20\n"
	    "no ip route 10.0.0.0/8 192.0.2.2 30\n", &c, &msgs), 1);
	ck_assert_ptr_null(c);
	free(msgs);
	ck_assert_int_eq(parse_text("nodist.conf",
	    "ip route 10.0.0.0/8 192.0.2.1 10\n"
	    "ip route 10.0.0.0/8 192.0.2.1 20\n"
	    "ip route 10.0.0.0/8 192.0.2.2 20\n"
	    "no ip route 10.0.0.0/8 192.0.2.2 20\n"
	    "no ip route 10.0.0.0/8 192.0.2.1\n"
	    "ip route 10.0.0.0/8 192.0.2.3\n", &c, &msgs), 0);
	s = TAILQ_FIRST(&c->statics);
	ck_assert_str_eq(addr_str(&s->gw), "192.0.2.3");
	ck_assert_ptr_null(TAILQ_NEXT(s, entry));
	conf_free(c);
	free(msgs);
}
END_TEST

/* distance bgp under router bgp; its no form gives FRR's defaults. */
START_TEST(test_distance_bgp)
{
	struct bgpd_config	*c;
	char			*msgs, *s;

	ck_assert_int_eq(parse_text("dist.conf", "router bgp 65000\n"
	    " distance bgp 30 200 210\n"
	    "ip route 10.0.0.0/8 192.0.2.1 25\n", &c, &msgs), 0);
	ck_assert_uint_eq(c->distance_ebgp, 30);
	ck_assert_uint_eq(c->distance_local, 210);
	s = print_str(c);
	ck_assert_msg(strstr(s, " distance bgp 30 200 210\n") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "ip route 10.0.0.0/8 192.0.2.1 25\n!\n"
	    "router bgp 65000\n") != NULL, "%s", s);
	round_trip(c);
	free(s);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_text("dist.conf", "router bgp 65000\n"
	    " distance bgp 30 200 210\n no distance bgp\n", &c, &msgs), 0);
	ck_assert_uint_eq(c->distance_ebgp, DISTANCE_EBGP_DEF);
	ck_assert_uint_eq(c->distance_ibgp, DISTANCE_IBGP_DEF);
	conf_free(c);
	free(msgs);
}
END_TEST

/* good_all.conf uses every keyword; each must land in its field. */
START_TEST(test_every_keyword)
{
	struct bgpd_config	*c;
	struct peer_config	*p1, *p2, *p3, *p6;
	char			*msgs;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_all.conf", &c, &msgs), 0);
	ck_assert_uint_eq(c->as, 65000);
	ck_assert_uint_eq(c->router_id, 0xc0000201);
	ck_assert_uint_eq(c->min_holdtime, 5);
	ck_assert_uint_eq(c->keepalive, 20);
	ck_assert_uint_eq(c->holdtime, 60);
	ck_assert_int_eq(c->default_ipv4_unicast, 0);
	ck_assert_int_eq(c->ebgp_requires_policy, 0);
	ck_assert(c->log_syslog && c->log_stderr);
	ck_assert_int_eq(c->log_level, TB_LOG_DEBUG);
	ck_assert_int_eq(c->log_facility, LOG_LOCAL3);
	ck_assert_str_eq(c->log_file, "/var/log/tbgpd.log");

	ck_assert((p1 = peer(c, "169.254.116.209")) != NULL);
	ck_assert_uint_eq(p1->remote_as, 64512);
	ck_assert_str_eq(p1->descr, "AWS VPN 1, tunnel 1");
	ck_assert(p1->timers_set && p1->keepalive == 10 && p1->holdtime == 30);
	ck_assert_uint_eq(p1->connect_retry, 5);
	ck_assert_str_eq(p1->password, "s3cr#t!");
	ck_assert_str_eq(addr_str(&p1->local), "127.0.0.1");
	ck_assert_uint_eq(p1->ttl_security, 1);
	ck_assert_uint_eq(p1->multihop, 0);
	ck_assert(p1->strict_caps && !p1->passive && !p1->shutdown);
	ck_assert_uint_eq(p1->af_active, AID_BIT(AID_IPV4_UNICAST) |
	    AID_BIT(AID_IPV6_UNICAST));
	ck_assert_str_eq(p1->file, "good_all.conf");
	ck_assert_int_eq(p1->line, 19);

	ck_assert((p2 = peer(c, "169.254.214.97")) != NULL);
	ck_assert_uint_eq(p2->remote_as, 4200000000u);
	ck_assert_uint_eq(p2->multihop, 255);
	ck_assert(p2->passive && p2->shutdown && !p2->timers_set);
	ck_assert_str_eq(p2->shutdown_msg, "maintenance until 18:00 UTC");
	ck_assert_str_eq(p2->local_ifname, "lo");
	ck_assert(!addr_isset(&p2->local));
	ck_assert_uint_eq(p2->af_active, 0);
	ck_assert_uint_eq(p2->af_configured, AID_BIT(AID_IPV4_UNICAST));

	ck_assert((p3 = peer(c, "169.254.5.1")) != NULL);
	ck_assert_uint_eq(p3->remote_as, REMOTE_AS_EXTERNAL);
	ck_assert_uint_eq(p3->multihop, 2);
	ck_assert(p3->shutdown && p3->shutdown_msg[0] == '\0');
	ck_assert_uint_eq(p3->af_active, AID_BIT(AID_IPV4_UNICAST));

	ck_assert((p6 = peer(c, "2001:db8::1")) != NULL);
	ck_assert_str_eq(p6->local_ifname, "xfrm-tbgpd-none");
	/* "activate" directly under router bgp means IPv4 unicast. */
	ck_assert_uint_eq(p6->af_active, AID_BIT(AID_IPV4_UNICAST) |
	    AID_BIT(AID_IPV6_UNICAST));
	ck_assert(peer(c, "169.254.116.210") == NULL);
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_include_per_peer)
{
	struct bgpd_config	*c;
	struct peer_config	*p1, *p2;
	char			*msgs;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_include.conf", &c, &msgs), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_int_eq(c->log_level, TB_LOG_WARNING);
	ck_assert_int_eq(c->log_facility, LOG_LOCAL7);
	/* Sorted order: 10-aws1 before 20-aws2; README not matched. */
	p1 = TAILQ_FIRST(&c->peers);
	ck_assert(p1 != NULL);
	ck_assert_str_eq(addr_str(&p1->remote), "169.254.116.209");
	ck_assert_str_eq(p1->file, "peers.d/10-aws1.conf");
	ck_assert_int_eq(p1->line, 1);
	ck_assert_str_eq(p1->descr, "AWS tunnel 1");
	p2 = TAILQ_NEXT(p1, entry);
	ck_assert(p2 != NULL && TAILQ_NEXT(p2, entry) == NULL);
	ck_assert_str_eq(p2->file, "peers.d/20-aws2.conf");
	ck_assert_uint_eq(p2->af_active, AID_BIT(AID_IPV4_UNICAST) |
	    AID_BIT(AID_IPV6_UNICAST));
	/* The main file went on inside its router after the include. */
	ck_assert_str_eq(p2->descr, "set in the main file, after the include");
	ck_assert(peer(c, "10.9.9.9") == NULL);
	conf_free(c);
	free(msgs);
}
END_TEST

/* A file of neighbor lines included at top level has no router. */
START_TEST(test_include_top_level)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(parse_text("main.conf", "", &c, &msgs), 1);
	free(msgs);
	mkdir("p", 0700);
	SPEW("p/x.conf", "neighbor 10.0.0.1 remote-as 1\n");
	SPEW("main.conf", "include p/*.conf\nrouter bgp 2\n");
	ck_assert_int_eq(parse_msgs("main.conf", &c, &msgs), 1);
	ck_assert_str_eq(msgs, "p/x.conf:1:1: 'neighbor' is only valid inside "
	    "'router bgp'\n");
	free(msgs);
	/* An absolute pattern is not relative to the including file. */
	SPEW("main.conf", "router bgp 2\n include /nonexistent/x.conf\n");
	ck_assert_int_eq(parse_msgs("main.conf", &c, &msgs), 1);
	ck_assert_str_eq(msgs, "main.conf:2:10: cannot include "
	    "'/nonexistent/x.conf': No such file or directory\n");
	free(msgs);
}
END_TEST

START_TEST(test_include_depth)
{
	struct bgpd_config	*c;
	char			*msgs, name[32], text[64];
	int			 i;

	ck_assert_int_eq(parse_text("d0.conf", "router bgp 1\n include "
	    "d1.conf\n", &c, &msgs), 1);
	free(msgs);
	for (i = 1; i <= 9; i++) {
		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), "include d%d.conf\n", i + 1);
		SPEW(name, text);
	}
	SPEW("d10.conf", "neighbor 10.0.0.1 remote-as 2\n");
	ck_assert_int_eq(parse_msgs("d0.conf", &c, &msgs), 1);
	ck_assert_str_eq(msgs, "d8.conf:1:9: cannot include 'd9.conf': "
	    "includes are nested more than 8 deep\n");
	free(msgs);
	/* Eight levels below the top file are allowed. */
	SPEW("d8.conf", "neighbor 10.0.0.1 remote-as 2\n");
	ck_assert_int_eq(parse_msgs("d0.conf", &c, &msgs), 0);
	ck_assert(peer(c, "10.0.0.1") != NULL);
	ck_assert_str_eq(peer(c, "10.0.0.1")->file, "d8.conf");
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_cloud_timers)
{
	struct bgpd_config	*c;
	char			*msgs;
	uint16_t		 k, h;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_aws.conf", &c, &msgs), 0);
	conf_peer_timers(c, peer(c, "169.254.116.209"), &k, &h);
	ck_assert(k == 10 && h == 30);
	conf_peer_timers(c, peer(c, "169.254.214.97"), &k, &h);
	ck_assert(k == 10 && h == 30);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_msgs("good_gcp.conf", &c, &msgs), 0);
	conf_peer_timers(c, peer(c, "169.254.0.9"), &k, &h);
	ck_assert(k == 20 && h == 60);
	conf_free(c);
	free(msgs);
	ck_assert_int_eq(parse_msgs("good_azure.conf", &c, &msgs), 0);
	conf_peer_timers(c, peer(c, "169.254.21.1"), &k, &h);
	ck_assert(k == DEFAULT_KEEPALIVE && h == DEFAULT_HOLDTIME);
	ck_assert(!peer(c, "169.254.21.1")->passive);
	conf_free(c);
	free(msgs);
	conf_peer_timers(NULL, NULL, &k, &h);
	ck_assert(k == 60 && h == 180);
}
END_TEST

START_TEST(test_asdot)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_asdot.conf", &c, &msgs), 0);
	ck_assert_uint_eq(c->as, 65546);
	ck_assert_uint_eq(peer(c, "10.0.0.1")->remote_as, 64512);
	ck_assert_uint_eq(peer(c, "10.0.0.2")->remote_as, 4294967295u);
	ck_assert_uint_eq(peer(c, "fd00::2")->remote_as, 4294967295u);
	conf_free(c);
	free(msgs);
}
END_TEST

/* FRR traditional: IPv4 unicast on unless disabled, IPv6 only if asked. */
START_TEST(test_af_defaults)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(parse_text("af.conf", "router bgp 1\n"
	    " neighbor 10.0.0.1 remote-as 2\n neighbor ::2 remote-as 2\n"
	    " no bgp default ipv4-unicast\n neighbor 10.0.0.3 remote-as 3\n"
	    " address-family ipv4 unicast\n  neighbor 10.0.0.1 activate\n"
	    " neighbor 10.0.0.4 remote-as 4\n", &c, &msgs), 0);
	ck_assert_uint_eq(peer(c, "10.0.0.1")->af_active,
	    AID_BIT(AID_IPV4_UNICAST));
	ck_assert_uint_eq(peer(c, "10.0.0.1")->af_configured,
	    AID_BIT(AID_IPV4_UNICAST));
	ck_assert_uint_eq(peer(c, "::2")->af_active,
	    AID_BIT(AID_IPV4_UNICAST));
	ck_assert_uint_eq(peer(c, "::2")->af_configured, 0);
	/* Defined after "no bgp default ipv4-unicast" (FRR applies it then). */
	ck_assert_uint_eq(peer(c, "10.0.0.3")->af_active, 0);
	/* "neighbor X remote-as" left the address-family implicitly. */
	ck_assert_uint_eq(peer(c, "10.0.0.4")->af_active, 0);
	ck_assert_str_eq(msgs, "af.conf:5:1: warning: neighbor 10.0.0.3 is "
	    "active in no address family\naf.conf:8:1: warning: neighbor "
	    "10.0.0.4 is active in no address family\n");
	conf_free(c);
	free(msgs);
}
END_TEST

/* Tunnel /30s AWS and Alibaba Cloud keep for themselves: a warning. */
START_TEST(test_cloud_reserved)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(parse_text("r.conf", "router bgp 1\n"
	    " neighbor 169.254.6.1 remote-as 2\n"
	    " neighbor 169.254.169.253 remote-as 2\n"
	    " neighbor 169.254.169.253 update-source 169.254.0.2\n"
	    " neighbor 169.254.7.1 remote-as 2\n"
	    " neighbor 169.254.169.249 remote-as 2\n"
	    " neighbor 169.254.4.3 remote-as 2\n", &c, &msgs), 0);
	same_text("r.conf", msgs, "r.conf:2:11: warning: 169.254.6.1 is inside "
	    "169.254.6.0/30, reserved by Alibaba Cloud: the cloud will refuse "
	    "this tunnel\n"
	    "r.conf:3:11: warning: 169.254.169.253 is inside "
	    "169.254.169.252/30, reserved by AWS and Alibaba Cloud: the cloud "
	    "will refuse this tunnel\n"
	    "r.conf:4:41: warning: update-source 169.254.0.2 is not an address "
	    "of this host now: connecting will fail until it is\n"
	    "r.conf:4:41: warning: 169.254.0.2 is inside 169.254.0.0/30, "
	    "reserved by AWS and Alibaba Cloud: the cloud will refuse this "
	    "tunnel\n"
	    "r.conf:7:11: warning: 169.254.4.3 is inside 169.254.4.0/30, "
	    "reserved by AWS and Alibaba Cloud: the cloud will refuse this "
	    "tunnel\n");
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_junk_bytes)
{
	static const char junk[] = "router bgp 65000\n"
	    " neighbor 10.0.0.1 remote-as 1\n"
	    "\x7f" "ELF\x02\x01\n"
	    " neighbor 10.0.0.1 pass\0ive\n"
	    "\xff\xfe garbage\n"
	    " neighbor 10.0.0.1 description caf\xc3\xa9 ok\r\n"
	    " neighbor 10.0.0.1 passive\rx\n"
	    "\x1b[31m\n"
	    " neighbor 10.0.0.1 strict-capability-match";	/* no newline */
	struct bgpd_config	*c;
	char			*msgs;

	tmp_enter();
	spew("junk.conf", junk, sizeof(junk) - 1);
	ck_assert_int_eq(parse_msgs("junk.conf", &c, &msgs), 5);
	ck_assert_str_eq(msgs,
	    "junk.conf:3:1: invalid byte 0x7f (not a text file?)\n"
	    "junk.conf:4:24: invalid byte 0x00 (not a text file?)\n"
	    "junk.conf:5:1: unknown command '\\xff\\xfe'\n"
	    "junk.conf:7:27: invalid byte 0x0d (not a text file?)\n"
	    "junk.conf:8:1: invalid byte 0x1b (not a text file?)\n");
	free(msgs);
	/* The same file without its bad lines parses; UTF-8 text is kept. */
	SPEW("ok.conf", "router bgp 65000\n neighbor 10.0.0.1 remote-as 1\n"
	    " neighbor 10.0.0.1 description caf\xc3\xa9 ok\r\n");
	ck_assert_int_eq(parse_msgs("ok.conf", &c, &msgs), 0);
	ck_assert_str_eq(peer(c, "10.0.0.1")->descr, "caf\xc3\xa9 ok");
	conf_free(c);
	free(msgs);
}
END_TEST

START_TEST(test_long_line)
{
	struct bgpd_config	*c;
	char			*text, *msgs;
	size_t			 n = 1024 * 1024, hdr;

	ck_assert((text = malloc(n + 200)) != NULL);
	hdr = snprintf(text, 200, "router bgp 65000\n"
	    " neighbor 10.0.0.1 remote-as 1\n neighbor 10.0.0.1 description ");
	memset(text + hdr, 'x', n);
	strcpy(text + hdr + n, "\n neighbor 10.0.0.1 passive\n bgp frob\n");
	ck_assert_int_eq(parse_text("long.conf", text, &c, &msgs), 2);
	ck_assert_str_eq(msgs,
	    "long.conf:3:4097: line is longer than 4096 bytes\n"
	    "long.conf:5:6: unknown command 'bgp frob'\n");
	free(msgs);
	free(text);
}
END_TEST

START_TEST(test_too_many_errors)
{
	struct bgpd_config	*c;
	char			*text, *msgs, *last;
	int			 i, n = 0;

	ck_assert((text = malloc(500 * 8)) != NULL);
	for (i = 0; i < 500; i++)
		n += snprintf(text + n, 8, "frob\n");
	ck_assert_int_eq(parse_text("many.conf", text, &c, &msgs), 101);
	ck_assert(c == NULL);
	ck_assert((last = strstr(msgs, "many.conf:101:1: too many")) != NULL);
	ck_assert_str_eq(last, "many.conf:101:1: too many errors (100), "
	    "giving up\n");
	free(text);
	free(msgs);
}
END_TEST

START_TEST(test_not_a_file)
{
	struct bgpd_config	*c = (struct bgpd_config *)&c;
	char			*msgs;

	ck_assert_int_eq(parse_msgs("/nonexistent/tbgpd.conf", &c, &msgs), 1);
	ck_assert(c == NULL);
	ck_assert_str_eq(msgs, "/nonexistent/tbgpd.conf: No such file or "
	    "directory\n");
	free(msgs);
	ck_assert_int_eq(parse_msgs(CONFDIR, &c, &msgs), 1);
	ck_assert(strstr(msgs, ": is a directory, not a configuration file\n")
	    != NULL);
	free(msgs);
	/* An endless file is cut off, not read forever. */
	ck_assert_int_eq(parse_msgs("/dev/zero", &c, &msgs), 2);
	ck_assert_str_eq(msgs, "/dev/zero:1:1: file is larger than 16777216 "
	    "bytes; the rest is ignored\n/dev/zero:1:1: no 'router bgp ASN' "
	    "and no static route in the configuration: nothing to do\n");
	free(msgs);
	ck_assert_int_eq(parse_msgs("/dev/null", &c, &msgs), 1);
	ck_assert_str_eq(msgs, "/dev/null:1:1: no 'router bgp ASN' and no "
	    "static route in the configuration: nothing to do\n");
	free(msgs);
}
END_TEST

/* Every field set by hand, printed and parsed back. */
START_TEST(test_round_trip_built)
{
	struct bgpd_config	*c;
	struct peer_config	*p;
	struct peer_af_config	*a;
	struct network_config	*n;
	struct tb_prefix	 q;
	char			 err[256];

	ck_assert((c = conf_new()) != NULL);
	c->as = 4200000001u;
	c->router_id = 0x01020304;
	c->keepalive = 0;
	c->holdtime = 0;
	c->min_holdtime = 1000;
	c->ebgp_requires_policy = 0;
	c->log_stderr = 1;
	c->log_level = LOG_EMERG;
	c->log_facility = LOG_UUCP;
	ck_assert((p = calloc(1, sizeof(*p))) != NULL);
	addr_parse("fd00::1", &p->remote);
	p->remote_as = 1;
	strlcpy(p->descr, "x", sizeof(p->descr));
	p->timers_set = 1;
	p->keepalive = 65535;
	p->holdtime = 3;
	p->connect_retry = 65535;
	addr_parse("fd00::2", &p->local);
	p->multihop = 1;
	p->shutdown = 1;
	strlcpy(p->shutdown_msg, "a b c", sizeof(p->shutdown_msg));
	p->af_active = AID_BIT(AID_IPV6_UNICAST);
	p->af_configured = AID_BIT(AID_IPV6_UNICAST) |
	    AID_BIT(AID_IPV4_UNICAST);
	p->adv_interval = 600;
	a = &p->af[AID_IPV6_UNICAST];
	strlcpy(a->rmap_in, "I", sizeof(a->rmap_in));
	strlcpy(a->plist_out, "O", sizeof(a->plist_out));
	a->max_prefix = 4294967295u;
	a->max_prefix_threshold = 100;
	a->max_prefix_restart = 65535;
	a->max_prefix_out = 1;
	a->allowas_in = 10;
	a->weight_set = 1;		/* weight 0, set explicitly */
	p->af[AID_IPV4_UNICAST].soft_reconfig_in = 1;
	TAILQ_INSERT_TAIL(&c->peers, p, entry);
	c->multipath_relax = 1;
	c->network_import_check = 0;
	c->maximum_paths[AID_IPV6_UNICAST] = 64;
	ck_assert((n = calloc(1, sizeof(*n))) != NULL);
	n->prefix = pfx("fd00::/8");
	strlcpy(n->rmap, "I", sizeof(n->rmap));
	TAILQ_INSERT_TAIL(&c->networks[AID_IPV6_UNICAST], n, entry);
	c->redist[AID_IPV4_UNICAST][REDIST_KERNEL].on = 1;
	q = pfx("fd00::/8");
	ck_assert_int_eq(policy_prefix_list_add(c->policy, AF_INET6, "O", 7,
	    0, &q, 16, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_rmap_entry(c->policy, "I", 1, 65535, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(policy_rmap_set(c->policy, RM_SET_PREPEND,
	    "4200000001 4200000001", err, sizeof(err)), 0);
	round_trip(c);
	conf_free(c);
}
END_TEST


/* good_policy.conf: every policy statement lands in its field. */
START_TEST(test_policy_keywords)
{
	struct bgpd_config		*c;
	const struct network_config	*n;
	const struct peer_af_config	*a;
	const struct prefix_list	*pl;
	struct peer_config		*p1, *p2, *p6;
	struct tb_prefix		 q;
	char				*msgs;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_policy.conf", &c, &msgs), 0);
	ck_assert(c->as_path_ignore && c->multipath_relax &&
	    c->always_compare_med && c->med_missing_as_worst &&
	    c->compare_router_id && !c->network_import_check);
	ck_assert_uint_eq(c->maximum_paths[AID_IPV4_UNICAST], 4);
	ck_assert_uint_eq(c->maximum_paths[AID_IPV6_UNICAST], 2);
	n = TAILQ_FIRST(&c->networks[AID_IPV4_UNICAST]);
	ck_assert_str_eq(prefix_str(&n->prefix), "10.0.0.0/16");
	ck_assert_str_eq(n->rmap, "");
	n = TAILQ_NEXT(n, entry);
	ck_assert_str_eq(prefix_str(&n->prefix), "10.3.0.0/16");
	ck_assert_str_eq(n->rmap, "AWS-OUT");
	ck_assert(TAILQ_NEXT(n, entry) == NULL);	/* no network 10.4 */
	n = TAILQ_FIRST(&c->networks[AID_IPV6_UNICAST]);
	ck_assert_str_eq(prefix_str(&n->prefix), "2001:db8:100::/48");
	ck_assert(c->redist[AID_IPV4_UNICAST][REDIST_CONNECTED].on);
	ck_assert_str_eq(c->redist[AID_IPV4_UNICAST][REDIST_CONNECTED].rmap,
	    "AWS-OUT");
	ck_assert(c->redist[AID_IPV4_UNICAST][REDIST_STATIC].on);
	ck_assert(!c->redist[AID_IPV4_UNICAST][REDIST_KERNEL].on);
	ck_assert_str_eq(c->redist[AID_IPV4_UNICAST][REDIST_KERNEL].rmap, "");
	ck_assert(c->redist[AID_IPV6_UNICAST][REDIST_CONNECTED].on);

	ck_assert((p1 = peer(c, "169.254.116.209")) != NULL);
	ck_assert_uint_eq(p1->adv_interval, 5);
	a = &p1->af[AID_IPV4_UNICAST];
	ck_assert_str_eq(a->rmap_in, "AWS-IN");
	ck_assert_str_eq(a->rmap_out, "AWS-OUT");
	ck_assert_str_eq(a->plist_in, "VPC");
	ck_assert(a->max_prefix == 100 && a->max_prefix_threshold == 80 &&
	    a->max_prefix_restart == 5 && !a->max_prefix_warning);
	ck_assert_uint_eq(a->max_prefix_out, 100);
	ck_assert(a->soft_reconfig_in && a->allowas_in == 3 &&
	    !a->allowas_in_origin);
	ck_assert(a->weight_set && a->weight == 10);
	ck_assert_str_eq(p1->af[AID_IPV6_UNICAST].rmap_in, "");

	ck_assert((p2 = peer(c, "169.254.214.97")) != NULL);
	a = &p2->af[AID_IPV4_UNICAST];
	ck_assert(a->max_prefix == 50 && a->max_prefix_warning);
	ck_assert(a->allowas_in_origin && a->allowas_in == 0);
	ck_assert(!a->weight_set && !a->soft_reconfig_in);
	ck_assert_uint_eq(p2->adv_interval, 0);

	ck_assert((p6 = peer(c, "2001:db8::1")) != NULL);
	ck_assert_uint_eq(p6->af_active, AID_BIT(AID_IPV6_UNICAST));
	a = &p6->af[AID_IPV6_UNICAST];
	ck_assert_str_eq(a->rmap_in, "AWS-IN");
	ck_assert_str_eq(a->rmap_out, "BACKUP-OUT");
	ck_assert_str_eq(a->plist_in, "VPC6");
	ck_assert_str_eq(a->plist_out, "VPC");
	ck_assert(a->max_prefix == 1000 && a->allowas_in == 2);

	/* The lists reached policy.c with their ranges. */
	ck_assert(policy_rmap_find(c->policy, "AWS-IN") != NULL);
	ck_assert(policy_rmap_find(c->policy, "MISSING-OUT") == NULL);
	ck_assert(policy_plist_find(c->policy, AF_INET6, "VPC") == NULL);
	ck_assert((pl = policy_plist_find(c->policy, AF_INET, "VPC")) != NULL);
	q = pfx("10.1.5.0/24");
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_PERMIT);
	q = pfx("10.1.5.0/25");		/* longer than le 24 */
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_DENY);
	q = pfx("10.1.99.0/24");	/* seq 5 comes before the deny */
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_PERMIT);
	q = pfx("10.2.16.0/20");	/* ge 20 le 28 of seq 15 */
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_PERMIT);
	q = pfx("10.2.0.0/16");
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_DENY);
	pl = policy_plist_find(c->policy, AF_INET, "ANY");
	q = pfx("192.0.2.0/24");
	ck_assert_int_eq(policy_plist_apply(pl, &q), POLICY_PERMIT);
	conf_free(c);
	free(msgs);
}
END_TEST

/* The printed form: FRR's layout, per-family lines in their block. */
START_TEST(test_policy_print)
{
	static const char *const want[] = {
	    " bgp bestpath as-path ignore\n bgp bestpath as-path "
	    "multipath-relax\n bgp always-compare-med\n bgp bestpath med "
	    "missing-as-worst\n bgp bestpath compare-routerid\n no bgp "
	    "network import-check\n",
	    " neighbor 169.254.116.209 advertisement-interval 5\n",
	    " address-family ipv4 unicast\n  network 10.0.0.0/16\n"
	    "  network 10.3.0.0/16 route-map AWS-OUT\n"
	    "  redistribute connected route-map AWS-OUT\n"
	    "  redistribute static\n  maximum-paths 4\n",
	    "  neighbor 169.254.116.209 maximum-prefix 100 80 restart 5\n"
	    "  neighbor 169.254.116.209 maximum-prefix-out 100\n",
	    "  neighbor 169.254.214.97 allowas-in origin\n",
	    "  neighbor 169.254.214.97 maximum-prefix 50 warning-only\n",
	    " address-family ipv6 unicast\n  network 2001:db8:100::/48\n"
	    "  redistribute connected\n  maximum-paths 2\n",
	    "  neighbor 2001:db8::1 prefix-list VPC6 in\n",
	    "exit\n!\n",
	    "route-map AWS-IN permit 10\n",
	};
	struct bgpd_config	*c;
	char			*msgs, *text;
	size_t			 i;

	ck_assert_int_eq(chdir(CONFDIR), 0);
	ck_assert_int_eq(parse_msgs("good_policy.conf", &c, &msgs), 0);
	text = print_str(c);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(text, want[i]) != NULL, "no '%s' in\n%s",
		    want[i], text);
	ck_assert(strstr(text, "10.4.0.0") == NULL);
	ck_assert(strstr(text, "kernel") == NULL);
	ck_assert(strstr(text, "weight 5") == NULL);
	ck_assert(strstr(text, "169.254.214.97 soft-reconfiguration") == NULL);
	/* Policy after the router, as FRR's show running-config has it. */
	ck_assert(strstr(text, "route-map") > strstr(text, "router bgp"));
	free(text);
	conf_free(c);
	free(msgs);
}
END_TEST

/* The route-map node: entered, left by exit, end or a top-level word. */
START_TEST(test_rmap_node)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(parse_text("n.conf", "route-map A permit 10\n"
	    " set metric 1\nexit\nset metric 2\n"
	    "route-map A permit 20\n set metric 3\nend\nset metric 4\n"
	    "route-map A permit 30\nrouter bgp 1\n set metric 5\n", &c,
	    &msgs), 3);
	same_text("n.conf", msgs, "n.conf:4:1: 'set' is only valid inside "
	    "'route-map'\nn.conf:8:1: 'set' is only valid inside "
	    "'route-map'\nn.conf:11:2: 'set' is only valid inside "
	    "'route-map'\n");
	free(msgs);
	/* A route-map line in error: its clauses are not reported again
	 * nor added to the entry before it. */
	ck_assert_int_eq(parse_text("e.conf", "route-map A permit 10\n"
	    " set metric 1\nroute-map A permit\n set metric 2\n"
	    " set weight x\n continue 5\nrouter bgp 1\n", &c, &msgs), 2);
	same_text("e.conf", msgs, "e.conf:3:19: expected a sequence number "
	    "(1-65535), got end of line\ne.conf:5:13: expected a weight "
	    "(0-4294967295), got 'x'\n");
	free(msgs);
	/* Route-maps and lists may come from an included file. */
	SPEW("pol.conf", "ip prefix-list P permit 10.0.0.0/8\n"
	    "route-map A permit 10\n match ip address prefix-list P\n");
	SPEW("m.conf", "include pol.conf\nset metric 1\nrouter bgp 1\n"
	    " neighbor 10.0.0.1 remote-as 2\n"
	    " neighbor 10.0.0.1 route-map A in\n"
	    " neighbor 10.0.0.1 prefix-list P out\n");
	ck_assert_int_eq(parse_msgs("m.conf", &c, &msgs), 1);
	same_text("m.conf", msgs, "m.conf:2:1: 'set' is only valid inside "
	    "'route-map'\n");
	free(msgs);
	SPEW("m.conf", "include pol.conf\nrouter bgp 1\n"
	    " neighbor 10.0.0.1 remote-as 2\n"
	    " neighbor 10.0.0.1 route-map A in\n"
	    " neighbor 10.0.0.1 prefix-list P out\n");
	ck_assert_int_eq(parse_msgs("m.conf", &c, &msgs), 0);
	ck_assert_str_eq(msgs, "");
	ck_assert_str_eq(peer(c, "10.0.0.1")->af[AID_IPV4_UNICAST].rmap_in,
	    "A");
	conf_free(c);
	free(msgs);
}
END_TEST

/* Undefined names: one warning per place that uses one, none once the
 * use is taken back by a "no" form. */
START_TEST(test_undefined_names)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_int_eq(parse_text("u.conf", "router bgp 1\n"
	    " neighbor 10.0.0.1 remote-as 2\n"
	    " neighbor 10.0.0.1 route-map IN in\n"
	    " neighbor 10.0.0.1 route-map OUT out\n"
	    " no neighbor 10.0.0.1 route-map OUT out\n"
	    " neighbor 10.0.0.1 route-map IN2 in\n"
	    " network 10.0.0.0/8 route-map NET\n"
	    " redistribute static route-map RS\n"
	    " address-family ipv6 unicast\n"
	    "  neighbor 10.0.0.1 prefix-list P6 in\n"
	    "  network ::/0\n"
	    "route-map IN2 permit 10\n"
	    " match as-path NOPE\n", &c, &msgs), 0);
	/* IN was replaced by IN2, which is defined; OUT was taken back. */
	same_text("u.conf", msgs,
	    "u.conf:7:31: warning: route-map NET is not defined: network "
	    "10.0.0.0/8 is not announced\n"
	    "u.conf:8:32: warning: route-map RS is not defined: no static "
	    "route is redistributed\n"
	    "u.conf:10:33: warning: ipv6 prefix-list P6 is not defined: every "
	    "route from neighbor 10.0.0.1 is denied\n"
	    "u.conf:13:16: warning: as-path access-list NOPE is not defined: "
	    "a route-map match on it never matches\n");
	conf_free(c);
	free(msgs);
}
END_TEST

/* ---- reload: what changed ---- */

#define RL_BASE								\
	"router bgp 65000\n"						\
	" bgp router-id 10.0.0.9\n"					\
	" neighbor 10.0.0.1 remote-as 64512\n"				\
	" neighbor 10.0.0.1 route-map IN1 in\n"				\
	" neighbor 10.0.0.1 route-map OUT1 out\n"			\
	" neighbor 10.0.0.2 remote-as 64512\n"				\
	" neighbor 10.0.0.2 route-map IN2 in\n"				\
	" neighbor 10.0.0.2 route-map OUT2 out\n"			\
	RL_EXTRA							\
	"ip prefix-list P19 seq 5 permit " RL_P19 "\n"			\
	"route-map IN1 permit 10\n"					\
	"route-map OUT1 permit 10\n"					\
	" set community 65000:1\n"					\
	"route-map IN2 permit 10\n"					\
	" match ip address prefix-list P19\n"				\
	" set local-preference 50\n"					\
	"route-map IN2 permit 20\n"					\
	"route-map OUT2 permit 10\n"					\
	" set as-path prepend " RL_PREPEND "\n"

static struct bgpd_config *
rl_parse(const char *text)
{
	struct bgpd_config	*c;
	char			*msgs;

	ck_assert_msg(parse_text("rl.conf", text, &c, &msgs) == 0,
	    "does not parse:\n%s\n%s", text, msgs);
	free(msgs);
	return c;
}

/* The diff for neighbor nbr from text a to text b. */
static void
rl_diff(const char *a, const char *b, const char *nbr, struct conf_diff *d)
{
	struct bgpd_config	*ca = rl_parse(a), *cb = rl_parse(b);

	conf_peer_diff(ca, peer(ca, nbr), cb, peer(cb, nbr), d);
	conf_free(ca);
	conf_free(cb);
}

#define RL_EXTRA	""
#define RL_P19		"172.19.0.0/16"
#define RL_PREPEND	"65000 65000"
static const char rl_base[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" neighbor 10.0.0.1 description primary tunnel\n"
static const char rl_descr[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" neighbor 10.0.0.1 timers 10 30\n"
static const char rl_timers[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" timers bgp 20 60\n"
static const char rl_gtimers[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" neighbor 10.0.0.2 password s3cret\n" \
			" neighbor 10.0.0.2 update-source 10.0.0.8\n"
static const char rl_password[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" neighbor 10.0.0.2 shutdown\n"
static const char rl_shut[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" no bgp ebgp-requires-policy\n"
static const char rl_no8212[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" maximum-paths 2\n network 10.0.0.0/16\n" \
			" neighbor 10.0.0.1 weight 100\n"
static const char rl_global[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" fib table 100\n fib metric 7\n"
static const char rl_fib[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" bgp router-id 10.0.0.10\n"
static const char rl_rid[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	" distance bgp 30 200 200\n"
static const char rl_dist[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	""
static const char rl_static[] = RL_BASE
    "ip route 172.16.0.0/16 169.254.116.209 10\n";
static const char rl_static2[] = RL_BASE
    "ip route 172.16.0.0/16 169.254.116.209 10 failback-delay 5\n";
#undef RL_EXTRA
#define RL_EXTRA	" neighbor 10.0.0.1 bfd\n" \
			" neighbor 10.0.0.1 liveness tcp timeout 3000\n"
static const char rl_live[] = RL_BASE;
#undef RL_EXTRA
#define RL_EXTRA	""
#undef RL_P19
#define RL_P19		"172.20.0.0/16"
static const char rl_p19[] = RL_BASE;
#undef RL_P19
#define RL_P19		"172.19.0.0/16"
#undef RL_PREPEND
#define RL_PREPEND	"65000 65000 65000"
static const char rl_prepend[] = RL_BASE;

START_TEST(test_reload_peer_diff)
{
	struct conf_diff	 d;

	rl_diff(rl_base, rl_base, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, 0);
	/* An unrelated edit: taken, no session touched. */
	rl_diff(rl_base, rl_descr, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, CONF_CH_APPLY);
	ck_assert_str_eq(d.applied, "description");
	rl_diff(rl_base, rl_descr, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, 0);
	/* A route-map's set clause: only its user, only that direction. */
	rl_diff(rl_base, rl_prepend, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_SOFT_OUT);
	ck_assert_str_eq(d.policy, "outbound");
	rl_diff(rl_base, rl_prepend, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, 0);
	/* A prefix list a route-map matches on. */
	rl_diff(rl_base, rl_p19, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_SOFT_IN);
	rl_diff(rl_base, rl_p19, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, 0);
	/* RFC 8212 changes what both directions let through. */
	rl_diff(rl_base, rl_no8212, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, CONF_CH_SOFT_IN | CONF_CH_SOFT_OUT);
	rl_diff(rl_base, rl_global, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, CONF_CH_SOFT_IN);
	rl_diff(rl_base, rl_global, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, 0);
}
END_TEST

START_TEST(test_reload_peer_reset)
{
	struct conf_diff	 d;

	rl_diff(rl_base, rl_timers, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, CONF_CH_RESET);
	ck_assert_str_eq(d.reset, "timers");
	rl_diff(rl_base, rl_timers, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, 0);
	/* Global timers reach every neighbor without timers of its own. */
	rl_diff(rl_base, rl_gtimers, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_RESET);
	rl_diff(rl_base, rl_password, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_RESET);
	ck_assert_str_eq(d.reset, "password, update-source");
	rl_diff(rl_base, rl_shut, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_SHUTDOWN);
	rl_diff(rl_shut, rl_base, "10.0.0.2", &d);
	ck_assert_uint_eq(d.what, CONF_CH_UNSHUT);
	rl_diff(rl_base, rl_live, "10.0.0.1", &d);
	ck_assert_uint_eq(d.what, CONF_CH_LIVENESS | CONF_CH_LIVE_TCP);
	ck_assert_str_eq(d.applied, "liveness tcp, bfd");
}
END_TEST

static int
rl_global_diff(const char *a, const char *b, struct conf_diff *d)
{
	struct bgpd_config	*ca = rl_parse(a), *cb = rl_parse(b);
	int			 r;

	r = conf_global_diff(ca, cb, d);
	conf_free(ca);
	conf_free(cb);
	return r;
}

START_TEST(test_reload_global_diff)
{
	struct conf_diff	 d;

	ck_assert_int_eq(rl_global_diff(rl_base, rl_descr, &d), 0);
	ck_assert_uint_eq(d.what, 0);
	ck_assert_int_eq(rl_global_diff(rl_base, rl_global, &d), 0);
	ck_assert_uint_eq(d.what, CONF_G_RIB | CONF_G_ORIGIN);
	ck_assert_str_eq(d.applied, "best path, network/redistribute");
	ck_assert_int_eq(rl_global_diff(rl_base, rl_rid, &d), 0);
	ck_assert_uint_eq(d.what, CONF_G_IDENTITY);
	ck_assert_str_eq(d.reset, "bgp router-id");
	/* The installed routes cannot move table: a restart does it. */
	ck_assert_int_eq(rl_global_diff(rl_base, rl_fib, &d), -1);
	ck_assert_str_eq(d.refused, "fib table, fib metric");
	ck_assert_int_eq(rl_global_diff(rl_fib, rl_fib, &d), 0);
	/* Static routes and distance bgp apply live. */
	ck_assert_int_eq(rl_global_diff(rl_base, rl_dist, &d), 0);
	ck_assert_uint_eq(d.what, CONF_G_KERNEL);
	ck_assert_str_eq(d.applied, "distance bgp");
	ck_assert_int_eq(rl_global_diff(rl_base, rl_static, &d), 0);
	ck_assert_uint_eq(d.what, CONF_G_STATIC);
	ck_assert_str_eq(d.applied, "static routes");
	ck_assert_int_eq(rl_global_diff(rl_static, rl_static2, &d), 0);
	ck_assert_uint_eq(d.what, CONF_G_STATIC);
	ck_assert_int_eq(rl_global_diff(rl_static, rl_static, &d), 0);
	ck_assert_uint_eq(d.what, 0);
}
END_TEST

static Suite *
conf_suite(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc;

	tc = tcase_create("addr");
	tcase_add_test(tc, test_addr_parse);
	tcase_add_test(tc, test_addr_cmp_str);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_sockaddr);
	tcase_add_test(tc, test_bgpid);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_good_files);
	tcase_add_test(tc, test_every_keyword);
	tcase_add_test(tc, test_fib_keywords);
	tcase_add_test(tc, test_gr_keywords);
	tcase_add_test(tc, test_print_running);
	tcase_add_test(tc, test_liveness_keywords);
	tcase_add_test(tc, test_include_per_peer);
	tcase_add_test(tc, test_include_top_level);
	tcase_add_test(tc, test_include_depth);
	tcase_add_test(tc, test_cloud_timers);
	tcase_add_test(tc, test_asdot);
	tcase_add_test(tc, test_af_defaults);
	tcase_add_test(tc, test_cloud_reserved);
	tcase_add_test(tc, test_policy_keywords);
	tcase_add_test(tc, test_policy_print);
	tcase_add_test(tc, test_rmap_node);
	tcase_add_test(tc, test_undefined_names);
	tcase_add_test(tc, test_reload_peer_diff);
	tcase_add_test(tc, test_reload_peer_reset);
	tcase_add_test(tc, test_reload_global_diff);
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, tmp_cleanup);
	tcase_add_test(tc, test_junk_bytes);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_not_a_file);
	tcase_add_test(tc, test_round_trip_built);
	tcase_add_test(tc, test_static_routes);
	tcase_add_test(tc, test_obs_keywords);
	tcase_add_test(tc, test_distance_bgp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(conf_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
