/*
 * conf_print: the configuration as an object (conf_new, conf_free, the
 * neighbor lookups) and its canonical text.  conf_print() writes FRR's
 * "show running-config" layout and only what differs from the defaults,
 * so conf_parse() of its output gives back the same configuration
 * (tested as a round trip in check_conf): global settings, neighbors,
 * one block per address family (origination, per-neighbor policy and
 * limits), then the policy database in policy_print()'s words.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "conf.h"
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
	c->log_level = TB_LOG_INFO;
	c->log_facility = LOG_DAEMON;
	TAILQ_INIT(&c->peers);
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
	if (c->fib_table != FIB_TABLE_MAIN)
		fprintf(f, " fib table %u\n", c->fib_table);
	if (c->fib_metric != FIB_METRIC_DEFAULT)
		fprintf(f, " fib metric %u\n", c->fib_metric);
	if (!c->fib_install)
		fprintf(f, " no fib install\n");
	if (c->fib_retain)
		fprintf(f, " fib retain\n");
	if (c->fib_scan != FIB_SCAN_DEFAULT)
		fprintf(f, " fib scan-interval %u\n", c->fib_scan);
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
	conf_print_bestpath(f, c);
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
conf_print_peer(FILE *f, const struct peer_config *pc)
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
	else if (pc->shutdown)
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
	const struct peer_config	*pc;

	conf_print_log(f, c);
	if (c->as == 0)
		return;
	conf_print_global(f, c);
	TAILQ_FOREACH(pc, &c->peers, entry)
		conf_print_peer(f, pc);
	conf_print_af(f, c, AID_IPV4_UNICAST);
	conf_print_af(f, c, AID_IPV6_UNICAST);
	fprintf(f, "exit\n!\n");
	policy_print(f, c->policy);
}
