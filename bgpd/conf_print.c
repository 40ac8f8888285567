/*
 * conf_print: the configuration as an object (conf_new, conf_free, the
 * neighbor lookups) and its canonical text.  conf_print() writes FRR's
 * "show running-config" layout and only what differs from the defaults,
 * so conf_parse() of its output gives back the same configuration
 * (tested as a round trip in check_conf): global settings, neighbors,
 * one block per address family (origination, per-neighbor policy and
 * limits), then the policy database in policy_print()'s words.
 * Reload's question, what changed between two configurations and what
 * each change needs (conf_peer_diff, conf_global_diff), is answered
 * here too, partly in the canonical words.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
#include "conf_int.h"
#include "log.h"
#include "policy.h"

struct bgpd_config *
conf_new(void)
{
	struct bgpd_config	*c;
	int			 aid;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->policy = policy_db_new()) == NULL) {
		free(c);
		return NULL;
	}
	for (aid = 0; aid < AID_MAX; aid++) {
		c->maximum_paths[aid] = 1;
		TAILQ_INIT(&c->networks[aid]);
	}
	c->network_import_check = 1;
	c->fib_table = FIB_TABLE_MAIN;
	c->fib_metric = FIB_METRIC_DEFAULT;
	c->fib_install = 1;
	c->fib_scan = FIB_SCAN_DEFAULT;
	c->keepalive = DEFAULT_KEEPALIVE;
	c->holdtime = DEFAULT_HOLDTIME;
	c->default_ipv4_unicast = 1;
	c->ebgp_requires_policy = 1;
	c->distance_ebgp = DISTANCE_EBGP_DEF;
	c->distance_ibgp = DISTANCE_IBGP_DEF;
	c->distance_local = DISTANCE_LOCAL_DEF;
	c->gr_mode = GR_HELPER;
	c->gr_restart_time = GR_RESTART_TIME_DEF;
	c->gr_stalepath_time = GR_STALEPATH_TIME_DEF;
	c->gr_select_defer = GR_SELECT_DEFER_DEF;
	c->gr_notification = 1;
	c->hard_admin_reset = 1;
	c->log_level = TB_LOG_INFO;
	c->log_facility = LOG_DAEMON;
	TAILQ_INIT(&c->peers);
	TAILQ_INIT(&c->statics);
	conf_obs_init(c);
	return c;
}

void
conf_free(struct bgpd_config *c)
{
	struct peer_config	*pc;
	struct network_config	*n;
	int			 aid;

	if (c == NULL)
		return;
	while ((pc = TAILQ_FIRST(&c->peers)) != NULL) {
		TAILQ_REMOVE(&c->peers, pc, entry);
		explicit_bzero(pc->password, sizeof(pc->password));
		free(pc);
	}
	for (aid = 0; aid < AID_MAX; aid++)
		while ((n = TAILQ_FIRST(&c->networks[aid])) != NULL) {
			TAILQ_REMOVE(&c->networks[aid], n, entry);
			free(n);
		}
	conf_static_free_all(c);
	conf_obs_free(c);
	policy_db_free(c->policy);
	free(c);
}

struct peer_config *
conf_find_peer(const struct bgpd_config *c, const struct tb_addr *a)
{
	struct peer_config	*pc;

	TAILQ_FOREACH(pc, &c->peers, entry)
		if (addr_cmp(&pc->remote, a) == 0)
			return pc;
	return NULL;
}

void
conf_peer_timers(const struct bgpd_config *c, const struct peer_config *pc,
    uint16_t *keepalive, uint16_t *holdtime)
{
	if (pc != NULL && pc->timers_set) {
		*keepalive = pc->keepalive;
		*holdtime = pc->holdtime;
	} else if (c != NULL) {
		*keepalive = c->keepalive;
		*holdtime = c->holdtime;
	} else {
		*keepalive = DEFAULT_KEEPALIVE;
		*holdtime = DEFAULT_HOLDTIME;
	}
}

/* "neighbor ADDR (descr): msg", the one way a neighbor is named in logs. */
void
conf_vlog_peer(const struct peer_config *pc, int level, const char *fmt,
    va_list ap)
{
	char	 msg[1024];

	if (level > log_getlevel())
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (pc->descr[0] != '\0')
		logit(level, "neighbor %s (%s): %s", addr_str(&pc->remote),
		    pc->descr, msg);
	else
		logit(level, "neighbor %s: %s", addr_str(&pc->remote), msg);
}

void
conf_log_peer(const struct peer_config *pc, int level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer(pc, level, fmt, ap);
	va_end(ap);
}

/* A debug line of a category (debug bgp neighbor-events, updates). */
void
conf_vlog_peer_debug(const struct peer_config *pc, unsigned int cat,
    const char *fmt, va_list ap)
{
	char	 msg[1024];

	if (!log_debugging(cat))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_debugc(cat, "neighbor %s: %s", addr_str(&pc->remote), msg);
}

void
conf_log_peer_debug(const struct peer_config *pc, unsigned int cat,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_vlog_peer_debug(pc, cat, fmt, ap);
	va_end(ap);
}

static const char *
conf_level_name(int level)
{
	static const char *const names[] = { "emergencies", "alerts",
	    "critical", "errors", "warnings", "notifications",
	    "informational", "debugging" };

	if (level < 0 || level > LOG_DEBUG)
		return "informational";
	return names[level];
}

static const char *
conf_facility_name(int fac)
{
	static const struct {
		int		 fac;
		const char	*name;
	} tab[] = {
		{ LOG_AUTH, "auth" }, { LOG_AUTHPRIV, "authpriv" },
		{ LOG_CRON, "cron" }, { LOG_DAEMON, "daemon" },
		{ LOG_FTP, "ftp" }, { LOG_KERN, "kern" },
		{ LOG_LOCAL0, "local0" }, { LOG_LOCAL1, "local1" },
		{ LOG_LOCAL2, "local2" }, { LOG_LOCAL3, "local3" },
		{ LOG_LOCAL4, "local4" }, { LOG_LOCAL5, "local5" },
		{ LOG_LOCAL6, "local6" }, { LOG_LOCAL7, "local7" },
		{ LOG_LPR, "lpr" }, { LOG_MAIL, "mail" },
		{ LOG_NEWS, "news" }, { LOG_SYSLOG, "syslog" },
		{ LOG_USER, "user" }, { LOG_UUCP, "uucp" },
	};
	size_t	i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].fac == fac)
			return tab[i].name;
	return "daemon";
}

/*
 * One level for every target, repeated on each: FRR would read a target
 * without a level as "debugging".
 */
static void
conf_print_log(FILE *f, const struct bgpd_config *c)
{
	char	level[32];

	snprintf(level, sizeof(level), " %s", conf_level_name(c->log_level));
	if (c->log_syslog)
		fprintf(f, "log syslog%s\n", level);
	if (c->log_stderr)
		fprintf(f, "log stdout%s\n", level);
	if (c->log_file[0] != '\0')
		fprintf(f, "log file %s%s\n", c->log_file, level);
	if (c->log_facility != LOG_DAEMON)
		fprintf(f, "log facility %s\n",
		    conf_facility_name(c->log_facility));
	if (c->log_syslog || c->log_stderr || c->log_file[0] != '\0' ||
	    c->log_facility != LOG_DAEMON)
		fprintf(f, "!\n");
}

static void
conf_print_bestpath(FILE *f, const struct bgpd_config *c)
{
	if (c->as_path_ignore)
		fprintf(f, " bgp bestpath as-path ignore\n");
	if (c->multipath_relax)
		fprintf(f, " bgp bestpath as-path multipath-relax\n");
	if (c->always_compare_med)
		fprintf(f, " bgp always-compare-med\n");
	if (c->med_missing_as_worst)
		fprintf(f, " bgp bestpath med missing-as-worst\n");
	if (c->compare_router_id)
		fprintf(f, " bgp bestpath compare-routerid\n");
	if (!c->network_import_check)
		fprintf(f, " no bgp network import-check\n");
	if (c->distance_ebgp != DISTANCE_EBGP_DEF ||
	    c->distance_ibgp != DISTANCE_IBGP_DEF ||
	    c->distance_local != DISTANCE_LOCAL_DEF)
		fprintf(f, " distance bgp %u %u %u\n", c->distance_ebgp,
		    c->distance_ibgp, c->distance_local);
}

/* Under router bgp, or at top level in a configuration without BGP (a
 * static-tunnel daemon). */
static int
conf_print_fib(FILE *f, const struct bgpd_config *c, const char *in)
{
	int	 n = 0;

	if (c->fib_table != FIB_TABLE_MAIN && ++n)
		fprintf(f, "%sfib table %u\n", in, c->fib_table);
	if (c->fib_metric != FIB_METRIC_DEFAULT && ++n)
		fprintf(f, "%sfib metric %u\n", in, c->fib_metric);
	if (!c->fib_install && ++n)
		fprintf(f, "%sno fib install\n", in);
	if (c->fib_retain && ++n)
		fprintf(f, "%sfib retain\n", in);
	if (c->fib_scan != FIB_SCAN_DEFAULT && ++n)
		fprintf(f, "%sfib scan-interval %u\n", in, c->fib_scan);
	return n;
}

static void
conf_print_global(FILE *f, const struct bgpd_config *c)
{
	fprintf(f, "router bgp %u\n", c->as);
	if (c->router_id != 0)
		fprintf(f, " bgp router-id %s\n", bgpid_str(c->router_id));
	if (!c->ebgp_requires_policy)
		fprintf(f, " no bgp ebgp-requires-policy\n");
	if (!c->default_ipv4_unicast)
		fprintf(f, " no bgp default ipv4-unicast\n");
	if (c->min_holdtime != 0)
		fprintf(f, " bgp minimum-holdtime %u\n", c->min_holdtime);
	if (c->failback_delay != 0)
		fprintf(f, " bgp failback-delay %u\n", c->failback_delay);
	if (c->keepalive != DEFAULT_KEEPALIVE ||
	    c->holdtime != DEFAULT_HOLDTIME)
		fprintf(f, " timers bgp %u %u\n", c->keepalive, c->holdtime);
	conf_print_gr(f, c);
	conf_print_bestpath(f, c);
	(void)conf_print_fib(f, c, " ");
}

/* Options at their defaults are left out, as FRR prints "bfd". */
static void
conf_print_liveness(FILE *f, const struct peer_config *pc, const char *a)
{
	if (pc->live_tcp_timeout != 0) {
		fprintf(f, " neighbor %s liveness tcp timeout %u", a,
		    pc->live_tcp_timeout);
		if (pc->live_tcp_keepalive != LIVE_TCP_KEEPALIVE_DEF)
			fprintf(f, " keepalive %u", pc->live_tcp_keepalive);
		fprintf(f, "\n");
	}
	if (pc->live_icmp_interval != 0) {
		fprintf(f, " neighbor %s liveness icmp interval %u multiplier %u",
		    a, pc->live_icmp_interval, pc->live_icmp_mult);
		if (pc->live_icmp_up != LIVE_ICMP_UP_DEF)
			fprintf(f, " up %u", pc->live_icmp_up);
		fprintf(f, "\n");
	}
	if (!pc->bfd)
		return;
	fprintf(f, " neighbor %s bfd", a);
	if (pc->bfd_interval != BFD_INTERVAL_DEF)
		fprintf(f, " interval %u", pc->bfd_interval);
	if (pc->bfd_min_rx != BFD_MIN_RX_DEF)
		fprintf(f, " min-rx %u", pc->bfd_min_rx);
	if (pc->bfd_mult != BFD_MULT_DEF)
		fprintf(f, " multiplier %u", pc->bfd_mult);
	fprintf(f, "\n");
}

static void
conf_print_peer(FILE *f, const struct peer_config *pc, int shell_down)
{
	const char	*a = addr_str(&pc->remote);

	if (pc->remote_as == REMOTE_AS_EXTERNAL)
		fprintf(f, " neighbor %s remote-as external\n", a);
	else
		fprintf(f, " neighbor %s remote-as %u\n", a, pc->remote_as);
	if (pc->descr[0] != '\0')
		fprintf(f, " neighbor %s description %s\n", a, pc->descr);
	if (pc->password[0] != '\0')
		fprintf(f, " neighbor %s password %s\n", a, pc->password);
	if (pc->passive)
		fprintf(f, " neighbor %s passive\n", a);
	if (pc->shutdown && pc->shutdown_msg[0] != '\0')
		fprintf(f, " neighbor %s shutdown message %s\n", a,
		    pc->shutdown_msg);
	else if (pc->shutdown || shell_down)
		fprintf(f, " neighbor %s shutdown\n", a);
	if (pc->multihop != 0)
		fprintf(f, " neighbor %s ebgp-multihop %u\n", a, pc->multihop);
	if (pc->ttl_security != 0)
		fprintf(f, " neighbor %s ttl-security hops %u\n", a,
		    pc->ttl_security);
	if (addr_isset(&pc->local))
		fprintf(f, " neighbor %s update-source %s\n", a,
		    addr_str(&pc->local));
	else if (pc->local_ifname[0] != '\0')
		fprintf(f, " neighbor %s update-source %s\n", a,
		    pc->local_ifname);
	if (pc->timers_set)
		fprintf(f, " neighbor %s timers %u %u\n", a, pc->keepalive,
		    pc->holdtime);
	if (pc->connect_retry != 0)
		fprintf(f, " neighbor %s timers connect %u\n", a,
		    pc->connect_retry);
	if (pc->strict_caps)
		fprintf(f, " neighbor %s strict-capability-match\n", a);
	if (pc->adv_interval != 0)
		fprintf(f, " neighbor %s advertisement-interval %u\n", a,
		    pc->adv_interval);
	conf_print_liveness(f, pc, a);
	conf_print_nb_gr(f, pc, a);
}

/* A block opened on its first line: nothing at all when empty. */
struct af_block {
	FILE		*f;
	enum aid	 aid;
	int		 opened;
};

static FILE *
af_line(struct af_block *b)
{
	if (!b->opened++)
		fprintf(b->f, " !\n address-family %s unicast\n",
		    b->aid == AID_IPV4_UNICAST ? "ipv4" : "ipv6");
	return b->f;
}

static void
conf_print_origination(struct af_block *b, const struct bgpd_config *c)
{
	static const char *const srcs[REDIST_MAX] = { "connected", "static",
	    "kernel" };
	const struct network_config	*n;
	const struct redist_config	*r;
	int				 i;

	TAILQ_FOREACH(n, &c->networks[b->aid], entry)
		fprintf(af_line(b), "  network %s%s%s\n",
		    prefix_str(&n->prefix), n->rmap[0] != '\0' ?
		    " route-map " : "", n->rmap);
	for (i = 0; i < REDIST_MAX; i++) {
		r = &c->redist[b->aid][i];
		if (r->on)
			fprintf(af_line(b), "  redistribute %s%s%s\n", srcs[i],
			    r->rmap[0] != '\0' ? " route-map " : "", r->rmap);
	}
	if (c->maximum_paths[b->aid] != 1)
		fprintf(af_line(b), "  maximum-paths %u\n",
		    c->maximum_paths[b->aid]);
}

static void
conf_print_max_prefix(struct af_block *b, const char *a,
    const struct peer_af_config *pa)
{
	if (pa->max_prefix != 0) {
		fprintf(af_line(b), "  neighbor %s maximum-prefix %u", a,
		    pa->max_prefix);
		if (pa->max_prefix_threshold != 0)
			fprintf(b->f, " %u", pa->max_prefix_threshold);
		if (pa->max_prefix_warning)
			fprintf(b->f, " warning-only");
		else if (pa->max_prefix_restart != 0)
			fprintf(b->f, " restart %u", pa->max_prefix_restart);
		fprintf(b->f, "\n");
	}
	if (pa->max_prefix_out != 0)
		fprintf(af_line(b), "  neighbor %s maximum-prefix-out %u\n", a,
		    pa->max_prefix_out);
}

static void
conf_print_peer_af(struct af_block *b, const struct peer_config *pc)
{
	const struct peer_af_config	*pa = &pc->af[b->aid];
	const char			*a = addr_str(&pc->remote);

	if (pa->soft_reconfig_in)
		fprintf(af_line(b), "  neighbor %s soft-reconfiguration "
		    "inbound\n", a);
	if (pa->allowas_in_origin)
		fprintf(af_line(b), "  neighbor %s allowas-in origin\n", a);
	else if (pa->allowas_in != 0)
		fprintf(af_line(b), "  neighbor %s allowas-in %u\n", a,
		    pa->allowas_in);
	if (pa->weight_set)
		fprintf(af_line(b), "  neighbor %s weight %u\n", a, pa->weight);
	if (pa->plist_in[0] != '\0')
		fprintf(af_line(b), "  neighbor %s prefix-list %s in\n", a,
		    pa->plist_in);
	if (pa->plist_out[0] != '\0')
		fprintf(af_line(b), "  neighbor %s prefix-list %s out\n", a,
		    pa->plist_out);
	if (pa->rmap_in[0] != '\0')
		fprintf(af_line(b), "  neighbor %s route-map %s in\n", a,
		    pa->rmap_in);
	if (pa->rmap_out[0] != '\0')
		fprintf(af_line(b), "  neighbor %s route-map %s out\n", a,
		    pa->rmap_out);
	conf_print_max_prefix(b, a, pa);
}

/*
 * One address-family block, as FRR writes it.  An activate line is
 * printed where the state differs from what the defaults give (IPv4
 * follows "bgp default ipv4-unicast", IPv6 is off) or where the
 * configuration said it explicitly.
 */
static void
conf_print_af(FILE *f, const struct bgpd_config *c, enum aid aid)
{
	const struct peer_config	*pc;
	struct af_block			 b = { f, aid, 0 };
	unsigned			 bit = AID_BIT(aid);
	int				 dflt, on;

	conf_print_origination(&b, c);
	TAILQ_FOREACH(pc, &c->peers, entry) {
		dflt = aid == AID_IPV4_UNICAST && c->default_ipv4_unicast;
		on = (pc->af_active & bit) != 0;
		if (on != dflt || (pc->af_configured & bit))
			fprintf(af_line(&b), "  %sneighbor %s activate\n",
			    on ? "" : "no ", addr_str(&pc->remote));
		conf_print_peer_af(&b, pc);
	}
	if (b.opened)
		fprintf(f, " exit-address-family\n");
}

void
conf_print(FILE *f, const struct bgpd_config *c)
{
	conf_print_running(f, c, NULL);
}

void
conf_print_running(FILE *f, const struct bgpd_config *c,
    int (*down)(const struct peer_config *))
{
	const struct peer_config	*pc;

	conf_print_log(f, c);
	conf_obs_print(f, c);
	conf_static_print(f, c);
	if (c->as == 0) {
		if (conf_print_fib(f, c, "") > 0)
			fprintf(f, "!\n");
		policy_print(f, c->policy);
		return;
	}
	conf_print_global(f, c);
	TAILQ_FOREACH(pc, &c->peers, entry)
		conf_print_peer(f, pc, down != NULL && down(pc));
	conf_print_af(f, c, AID_IPV4_UNICAST);
	conf_print_af(f, c, AID_IPV6_UNICAST);
	fprintf(f, "exit\n!\n");
	policy_print(f, c->policy);
}

/* ------------------------------------------------------------ reload */

/*
 * What a reload must do, decided here so that it can be tested without
 * sessions.  Session settings are compared field by field; policy by the
 * canonical text of the part a neighbor uses: its prefix lists, and its
 * route-maps with every list their clauses name (a name that is a word
 * of a clause is taken as a reference: at worst a soft reconfiguration
 * too many, never one too few).
 */

#define CONF_REFS_MAX	32

struct conf_refs {
	int	 n;
	char	 name[CONF_REFS_MAX][POLICY_REF_MAX];
};

static void
conf_why(char *list, size_t len, const char *what)
{
	if (list[0] != '\0')
		strlcat(list, ", ", len);
	strlcat(list, what, len);
}

#define CONF_WHY(d, field, bit, name)					\
	do {								\
		(d)->what |= (bit);					\
		conf_why((d)->field, sizeof((d)->field), (name));	\
	} while (0)

static const char *
conf_next_line(const char *l)
{
	const char	*nl = strchr(l, '\n');

	return nl != NULL ? nl + 1 : l + strlen(l);
}

/* Word n (from 0) of one line into out: 0, 1 if it is too long for
 * out, -1 if the line has no such word. */
static int
conf_word(const char *line, int n, char *out, size_t len)
{
	const char	*s = line, *e;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0' || *s == '\n')
			return -1;
		for (e = s; *e != '\0' && *e != '\n' && *e != ' '; e++)
			;
		if (n-- == 0)
			break;
		s = e;
	}
	if ((size_t)(e - s) >= len)
		return 1;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return 0;
}

/* The name a list definition defines (policy_print's lines), -1 for any
 * other line. */
static int
conf_list_name(const char *line, char *name, size_t len)
{
	char	 w0[8], w1[32];

	if (line[0] == ' ' || conf_word(line, 0, w0, sizeof(w0)) != 0 ||
	    conf_word(line, 1, w1, sizeof(w1)) != 0)
		return -1;
	if ((strcmp(w0, "ip") == 0 || strcmp(w0, "ipv6") == 0) &&
	    strcmp(w1, "prefix-list") == 0)
		return conf_word(line, 2, name, len) == 0 ? 0 : -1;
	if (strcmp(w0, "bgp") == 0 && (strcmp(w1, "as-path") == 0 ||
	    strcmp(w1, "community-list") == 0 ||
	    strcmp(w1, "large-community-list") == 0))
		return conf_word(line, 3, name, len) == 0 ? 0 : -1;
	return -1;
}

/* Every list definition named name. */
static void
conf_list_part(FILE *f, const char *db, const char *name)
{
	const char	*l, *next;
	char		 w[POLICY_REF_MAX];

	fprintf(f, "list %s\n", name);
	if (name[0] == '\0')
		return;
	for (l = db; *l != '\0'; l = next) {
		next = conf_next_line(l);
		if (conf_list_name(l, w, sizeof(w)) == 0 &&
		    strcmp(w, name) == 0)
			fwrite(l, 1, (size_t)(next - l), f);
	}
}

static void
conf_refs_add(struct conf_refs *r, const char *clause)
{
	char	 w[POLICY_REF_MAX];
	int	 i, k, rc;

	for (k = 1; (rc = conf_word(clause, k, w, sizeof(w))) != -1; k++) {
		if (rc != 0)
			continue;
		for (i = 0; i < r->n && strcmp(r->name[i], w) != 0; i++)
			;
		if (i == r->n && r->n < CONF_REFS_MAX)
			strlcpy(r->name[r->n++], w, sizeof(r->name[0]));
	}
}

/* A route-map's entries and the lists their clauses name. */
static void
conf_rmap_part(FILE *f, const char *db, const char *rmap)
{
	struct conf_refs	 r;
	const char		*l, *next;
	char			 w[POLICY_REF_MAX];
	int			 in = 0, i;

	fprintf(f, "route-map %s\n", rmap);
	if (rmap[0] == '\0')
		return;
	r.n = 0;
	for (l = db; *l != '\0'; l = next) {
		next = conf_next_line(l);
		if (strncmp(l, "route-map ", 10) == 0)
			in = conf_word(l, 1, w, sizeof(w)) == 0 &&
			    strcmp(w, rmap) == 0;
		else if (l[0] != ' ')
			in = 0;
		else if (in)
			conf_refs_add(&r, l);
		if (in)
			fwrite(l, 1, (size_t)(next - l), f);
	}
	for (i = 0; i < r.n; i++)
		conf_list_part(f, db, r.name[i]);
}

static char *
conf_policy_text(const struct bgpd_config *c)
{
	FILE	*f;
	char	*s = NULL;
	size_t	 len;

	if ((f = open_memstream(&s, &len)) == NULL)
		return NULL;
	policy_print(f, c->policy);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void
conf_peer_policy_af(FILE *f, const char *db, const struct peer_config *pc,
    enum aid aid, int out)
{
	const struct peer_af_config	*pa = &pc->af[aid];

	fprintf(f, "af %d active %d\n", aid,
	    (pc->af_active & AID_BIT(aid)) != 0);
	if (out) {
		conf_list_part(f, db, pa->plist_out);
		conf_rmap_part(f, db, pa->rmap_out);
		fprintf(f, "max-out %u\n", pa->max_prefix_out);
		return;
	}
	conf_list_part(f, db, pa->plist_in);
	conf_rmap_part(f, db, pa->rmap_in);
	fprintf(f, "weight %u %d allowas %u %d\n", pa->weight, pa->weight_set,
	    pa->allowas_in, pa->allowas_in_origin);
}

/* The text of what one direction of a neighbor's policy depends on;
 * NULL if it cannot be built (then it counts as changed). */
static char *
conf_peer_policy(const struct bgpd_config *c, const struct peer_config *pc,
    int out)
{
	FILE	*f;
	char	*db, *s = NULL;
	size_t	 len;
	int	 aid, err;

	if ((db = conf_policy_text(c)) == NULL)
		return NULL;
	if ((f = open_memstream(&s, &len)) == NULL) {
		free(db);
		return NULL;
	}
	/* RFC 8212 decides whether an eBGP neighbor gets anything at all. */
	fprintf(f, "requires-policy %d as %u\n", c->ebgp_requires_policy,
	    c->as);
	for (aid = 0; aid < AID_MAX; aid++)
		conf_peer_policy_af(f, db, pc, aid, out);
	err = fclose(f);
	free(db);
	if (err != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static int
conf_text_differs(char *a, char *b)
{
	int	 r = a == NULL || b == NULL || strcmp(a, b) != 0;

	free(a);
	free(b);
	return r;
}

static void
conf_diff_session(const struct bgpd_config *ob, const struct peer_config *op,
    const struct bgpd_config *nb, const struct peer_config *np,
    struct conf_diff *d)
{
	uint16_t	 ok, oh, nk, nh;

	conf_peer_timers(ob, op, &ok, &oh);
	conf_peer_timers(nb, np, &nk, &nh);
	if (op->remote_as != np->remote_as)
		CONF_WHY(d, reset, CONF_CH_RESET, "remote-as");
	if (ok != nk || oh != nh)
		CONF_WHY(d, reset, CONF_CH_RESET, "timers");
	if (strcmp(op->password, np->password) != 0)
		CONF_WHY(d, reset, CONF_CH_RESET, "password");
	if (addr_cmp(&op->local, &np->local) != 0 ||
	    strcmp(op->local_ifname, np->local_ifname) != 0)
		CONF_WHY(d, reset, CONF_CH_RESET, "update-source");
	if (op->multihop != np->multihop)
		CONF_WHY(d, reset, CONF_CH_RESET, "ebgp-multihop");
	if (op->ttl_security != np->ttl_security)
		CONF_WHY(d, reset, CONF_CH_RESET, "ttl-security");
	if (op->passive != np->passive)
		CONF_WHY(d, reset, CONF_CH_RESET, "passive");
	if (op->strict_caps != np->strict_caps)
		CONF_WHY(d, reset, CONF_CH_RESET, "strict-capability-match");
	/* The families are in the OPEN's capabilities (RFC 4760 8). */
	if (op->af_active != np->af_active)
		CONF_WHY(d, reset, CONF_CH_RESET, "address families");
}

static void
conf_diff_policy(const struct bgpd_config *ob, const struct peer_config *op,
    const struct bgpd_config *nb, const struct peer_config *np,
    struct conf_diff *d)
{
	int	 aid;

	if (conf_text_differs(conf_peer_policy(ob, op, 0),
	    conf_peer_policy(nb, np, 0)))
		CONF_WHY(d, policy, CONF_CH_SOFT_IN, "inbound");
	if (conf_text_differs(conf_peer_policy(ob, op, 1),
	    conf_peer_policy(nb, np, 1)))
		CONF_WHY(d, policy, CONF_CH_SOFT_OUT, "outbound");
	for (aid = 0; aid < AID_MAX; aid++)
		if (op->af[aid].soft_reconfig_in !=
		    np->af[aid].soft_reconfig_in) {
			CONF_WHY(d, applied, CONF_CH_SOFT_CONF,
			    "soft-reconfiguration inbound");
			break;
		}
}

static int
conf_af_limits_differ(const struct peer_af_config *a,
    const struct peer_af_config *b)
{
	return a->max_prefix != b->max_prefix ||
	    a->max_prefix_threshold != b->max_prefix_threshold ||
	    a->max_prefix_warning != b->max_prefix_warning ||
	    a->max_prefix_restart != b->max_prefix_restart;
}

static void
conf_diff_live(const struct peer_config *op, const struct peer_config *np,
    struct conf_diff *d)
{
	if (op->live_tcp_timeout != np->live_tcp_timeout ||
	    op->live_tcp_keepalive != np->live_tcp_keepalive)
		CONF_WHY(d, applied, CONF_CH_LIVE_TCP, "liveness tcp");
	if (op->live_icmp_interval != np->live_icmp_interval ||
	    op->live_icmp_mult != np->live_icmp_mult ||
	    op->live_icmp_up != np->live_icmp_up)
		CONF_WHY(d, applied, CONF_CH_LIVENESS, "liveness icmp");
	if (op->bfd != np->bfd || op->bfd_interval != np->bfd_interval ||
	    op->bfd_min_rx != np->bfd_min_rx || op->bfd_mult != np->bfd_mult)
		CONF_WHY(d, applied, CONF_CH_LIVENESS, "bfd");
}

/* Settings read when they are next needed: nothing to do but take them. */
static void
conf_diff_misc(const struct peer_config *op, const struct peer_config *np,
    struct conf_diff *d)
{
	int	 aid;

	if (strcmp(op->descr, np->descr) != 0)
		CONF_WHY(d, applied, CONF_CH_APPLY, "description");
	if (op->connect_retry != np->connect_retry)
		CONF_WHY(d, applied, CONF_CH_APPLY, "timers connect");
	if (op->adv_interval != np->adv_interval)
		CONF_WHY(d, applied, CONF_CH_APPLY, "advertisement-interval");
	if (op->gr_mode != np->gr_mode)
		CONF_WHY(d, applied, CONF_CH_APPLY, "graceful-restart");
	if (strcmp(op->shutdown_msg, np->shutdown_msg) != 0 &&
	    op->shutdown == np->shutdown)
		CONF_WHY(d, applied, CONF_CH_APPLY, "shutdown message");
	for (aid = 0; aid < AID_MAX; aid++)
		if (conf_af_limits_differ(&op->af[aid], &np->af[aid])) {
			CONF_WHY(d, applied, CONF_CH_APPLY, "maximum-prefix");
			break;
		}
	if (!op->shutdown && np->shutdown)
		d->what |= CONF_CH_SHUTDOWN;
	else if (op->shutdown && !np->shutdown)
		d->what |= CONF_CH_UNSHUT;
}

void
conf_peer_diff(const struct bgpd_config *ob, const struct peer_config *op,
    const struct bgpd_config *nb, const struct peer_config *np,
    struct conf_diff *d)
{
	memset(d, 0, sizeof(*d));
	conf_diff_session(ob, op, nb, np, d);
	conf_diff_policy(ob, op, nb, np, d);
	conf_diff_live(op, np, d);
	conf_diff_misc(op, np, d);
}

/* network and redistribute with the route-maps they use. */
static char *
conf_origin_text(const struct bgpd_config *c)
{
	const struct network_config	*n;
	FILE				*f;
	char				*db, *s = NULL;
	size_t				 len;
	int				 aid, i, err;

	if ((db = conf_policy_text(c)) == NULL)
		return NULL;
	if ((f = open_memstream(&s, &len)) == NULL) {
		free(db);
		return NULL;
	}
	fprintf(f, "import-check %d as %u\n", c->network_import_check, c->as);
	for (aid = 0; aid < AID_MAX; aid++) {
		TAILQ_FOREACH(n, &c->networks[aid], entry) {
			fprintf(f, "network %s\n", prefix_str(&n->prefix));
			conf_rmap_part(f, db, n->rmap);
		}
		for (i = 0; i < REDIST_MAX; i++) {
			fprintf(f, "redist %d %d\n", i, c->redist[aid][i].on);
			conf_rmap_part(f, db, c->redist[aid][i].rmap);
		}
	}
	err = fclose(f);
	free(db);
	if (err != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The static routes as the configuration writes them. */
static char *
conf_statics_text(const struct bgpd_config *c)
{
	FILE	*f;
	char	*s = NULL;
	size_t	 len;

	if ((f = open_memstream(&s, &len)) == NULL)
		return NULL;
	conf_static_print(f, c);
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static int
conf_rib_differs(const struct bgpd_config *o, const struct bgpd_config *n)
{
	int	 aid;

	for (aid = 0; aid < AID_MAX; aid++)
		if (o->maximum_paths[aid] != n->maximum_paths[aid])
			return 1;
	return o->as_path_ignore != n->as_path_ignore ||
	    o->multipath_relax != n->multipath_relax ||
	    o->always_compare_med != n->always_compare_med ||
	    o->med_missing_as_worst != n->med_missing_as_worst ||
	    o->compare_router_id != n->compare_router_id;
}

/*
 * The kernel routes tbgpd installed are in fib table N with metric M:
 * moving them while traffic flows over them (delete here, add there) is
 * what a restart does in order, with the stale-route cleanup at start;
 * a reload refuses rather than do it half.  The listening socket and the
 * syslog facility are set up before the privilege drop.
 */
static void
conf_diff_refused(const struct bgpd_config *o, const struct bgpd_config *n,
    struct conf_diff *d)
{
	if (o->fib_table != n->fib_table)
		conf_why(d->refused, sizeof(d->refused), "fib table");
	if (o->fib_metric != n->fib_metric)
		conf_why(d->refused, sizeof(d->refused), "fib metric");
	if (o->fib_install != n->fib_install)
		conf_why(d->refused, sizeof(d->refused), "fib install");
	if (o->fib_retain != n->fib_retain)
		conf_why(d->refused, sizeof(d->refused), "fib retain");
	if (o->listen_port != n->listen_port)
		conf_why(d->refused, sizeof(d->refused), "listen port");
	if (o->log_facility != n->log_facility)
		conf_why(d->refused, sizeof(d->refused), "log facility");
}

int
conf_global_diff(const struct bgpd_config *o, const struct bgpd_config *n,
    struct conf_diff *d)
{
	memset(d, 0, sizeof(*d));
	conf_diff_refused(o, n, d);
	if (d->refused[0] != '\0')
		return -1;
	if (o->as != n->as)
		CONF_WHY(d, reset, CONF_G_IDENTITY, "router bgp");
	if (o->router_id != n->router_id)
		CONF_WHY(d, reset, CONF_G_IDENTITY, "bgp router-id");
	if (conf_rib_differs(o, n))
		CONF_WHY(d, applied, CONF_G_RIB, "best path");
	if (conf_text_differs(conf_origin_text(o), conf_origin_text(n)))
		CONF_WHY(d, applied, CONF_G_ORIGIN, "network/redistribute");
	if (o->fib_scan != n->fib_scan)
		CONF_WHY(d, applied, CONF_G_KERNEL, "fib scan-interval");
	if (o->distance_ebgp != n->distance_ebgp)
		CONF_WHY(d, applied, CONF_G_KERNEL, "distance bgp");
	if (conf_text_differs(conf_statics_text(o), conf_statics_text(n)))
		CONF_WHY(d, applied, CONF_G_STATIC, "static routes");
	if (o->log_level != n->log_level ||
	    strcmp(o->log_file, n->log_file) != 0 ||
	    o->log_syslog != n->log_syslog || o->log_stderr != n->log_stderr)
		CONF_WHY(d, applied, CONF_G_LOG, "logging");
	if (o->failback_delay != n->failback_delay)
		CONF_WHY(d, applied, CONF_G_OTHER, "failback-delay");
	if (o->min_holdtime != n->min_holdtime)
		CONF_WHY(d, applied, CONF_G_OTHER, "minimum-holdtime");
	if (conf_gr_differs(o, n))
		CONF_WHY(d, applied, CONF_G_OTHER, "graceful-restart");
	if (o->ebgp_requires_policy != n->ebgp_requires_policy)
		CONF_WHY(d, applied, CONF_G_OTHER, "ebgp-requires-policy");
	if (conf_obs_differs(o, n))
		CONF_WHY(d, applied, CONF_G_OBS, "metrics/bmp/dump");
	return 0;
}
