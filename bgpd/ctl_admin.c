/*
 * ctl_admin: the operator's commands that act on the daemon rather than
 * show a table: reload, clear bgp (hard and soft), neighbor X shutdown,
 * debug bgp, and the views of the daemon itself (show debugging,
 * logging, memory, version, running-config).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adjout.h"
#include "attr.h"
#include "conf.h"
#include "ctl_admin.h"
#include "ctl_show.h"
#include "fib.h"
#include "json.h"
#include "kernel.h"
#include "log.h"
#include "nexthop.h"
#include "peer.h"
#include "rde.h"
#include "reload.h"
#include "rib.h"
#include "session.h"

#define SHOW_WHY	512		/* a log line made safe */

/* clear bgp ADDR|* soft [in|out]: re-apply policy without a reset.  In
 * re-runs inbound policy on the routes kept as received (soft
 * reconfiguration inbound), else asks the neighbor for them again with
 * ROUTE-REFRESH; out re-evaluates everything sent to it. */
int
clear_soft(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct tb_addr		 want;
	struct peer		*p;
	int			 all, found = 0;

	all = strcmp(m->argv[0], "*") == 0;
	if (!all && addr_parse(m->argv[0], &want) == -1) {
		show_printf(req->out, "%% Invalid neighbor address: %s\n",
		    m->argv[0]);
		return 1;
	}
	TAILQ_FOREACH(p, &peers, entry) {
		if (!all && addr_cmp(&p->conf->remote, &want) != 0)
			continue;
		found++;
		if (p->state != ST_ESTABLISHED)
			continue;
		if (m->entry->arg & CLEAR_IN)
			rde_soft_in(p->rde);
		if (m->entry->arg & CLEAR_OUT)
			rde_soft_out(p->rde);
	}
	if (!all && found == 0) {
		show_printf(req->out, "%% No such neighbor: %s\n", m->argv[0]);
		return 1;
	}
	return 0;
}

/* ----------------------------------------- operator actions, debug */

/* Every peer that who ("*" or an address) names; 1 and a message when
 * an address names none or is not one. */
static int
show_each_peer(const struct show_req *req, const char *who,
    void (*fn)(struct peer *, const struct show_req *))
{
	struct tb_addr	 want;
	struct peer	*p, *next;
	int		 all = strcmp(who, "*") == 0, found = 0;

	if (!all && addr_parse(who, &want) == -1) {
		show_printf(req->out, "%% Invalid neighbor address: %s\n", who);
		return 1;
	}
	for (p = TAILQ_FIRST(&peers); p != NULL; p = next) {
		next = TAILQ_NEXT(p, entry);
		if (!all && addr_cmp(&p->conf->remote, &want) != 0)
			continue;
		found++;
		fn(p, req);
	}
	if (!all && found == 0) {
		show_printf(req->out, "%% No such neighbor: %s\n", who);
		return 1;
	}
	return 0;
}

/* RFC 4486 2: Cease subcode 4, Administrative Reset. */
static void
clear_hard_one(struct peer *p, const struct show_req *req)
{
	if (p->shell_down)
		show_printf(req->out, "%% %s is shut down: no neighbor %s "
		    "shutdown starts it\n", addr_str(&p->conf->remote),
		    addr_str(&p->conf->remote));
	if (p->conf->shutdown || p->shell_down)
		return;
	peer_cease(p, 4, "cleared by the operator (clear bgp)");
	peer_restart(p, 1);
}

/* clear [ip] bgp ADDR|*: reset the session (Cease/Administrative Reset)
 * and start it again; a neighbor held down by maximum-prefix is freed. */
int
clear_hard(const struct cmd_match *m, void *arg)
{
	return show_each_peer(arg, m->argv[0], clear_hard_one);
}

static void
nbr_shut_one(struct peer *p, const struct show_req *req)
{
	p->shell_down = 1;
	peer_stop(p, "shut down from the shell");
}

static void
nbr_noshut_one(struct peer *p, const struct show_req *req)
{
	if (p->conf->shutdown) {
		show_printf(req->out, "%% %s is shut down in the configuration "
		    "file: edit it and reload\n", addr_str(&p->conf->remote));
		return;
	}
	p->shell_down = 0;
	peer_restart(p, 0);
}

/* neighbor ADDR shutdown / no neighbor ADDR shutdown: from the shell,
 * until no neighbor ADDR shutdown, the neighbor's removal from the
 * configuration or a restart of tbgpd (the file is not changed); clear
 * bgp and a reload that resets the session leave it shut down. */
int
nbr_shutdown(const struct cmd_match *m, void *arg)
{
	return show_each_peer(arg, m->argv[0],
	    m->entry->arg ? nbr_noshut_one : nbr_shut_one);
}

static const struct {
	const char	*name;
	unsigned int	 cat;
} debug_cats[] = {
	{ "updates", LOG_DEBUG_UPDATES },
	{ "neighbor-events", LOG_DEBUG_NEIGHBOR },
	{ "fib", LOG_DEBUG_FIB },
};

/* debug bgp CATEGORY / no debug bgp CATEGORY: debug lines of that kind
 * are logged whatever the log level, until turned off. */
int
debug_set(const struct cmd_match *m, void *arg)
{
	unsigned int	 cat = m->entry->arg & 0xff;
	int		 on = (m->entry->arg & DEBUG_OFF) == 0;

	log_debug_set(cat, on);
	return 0;
}

int
show_debugging(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	size_t			 i;

	show_printf(req->out, "BGP debugging status:\n");
	for (i = 0; i < sizeof(debug_cats) / sizeof(debug_cats[0]); i++)
		if (log_debug_cats() & debug_cats[i].cat)
			show_printf(req->out, "  BGP %s debugging is on\n",
			    debug_cats[i].name);
	return 0;
}

/* show logging: where logs go, and the last lines logged. */
static void
show_log_line(time_t when, int pri, const char *msg, void *arg)
{
	struct buf	*out = arg;
	struct tm	 tm;
	char		 t[32], safe[SHOW_WHY];

	localtime_r(&when, &tm);
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
	show_printf(out, "%s %s\n", t, show_safe(msg, safe, sizeof(safe)));
}

int
show_logging(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	const struct bgpd_config *c = req->conf;

	show_printf(req->out, "Logging level: %s\n", log_getlevel() >=
	    TB_LOG_DEBUG ? "debugging" : log_getlevel() >= TB_LOG_INFO ?
	    "informational" : log_getlevel() >= TB_LOG_NOTICE ?
	    "notifications" : "warnings");
	if (c != NULL && c->log_file[0] != '\0')
		show_printf(req->out, "Log file: %s\n", c->log_file);
	show_printf(req->out, "Last lines logged:\n");
	log_ring_walk(show_log_line, req->out);
	return 0;
}

/* show bgp memory: what the tables hold and cost. */
int
show_memory(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	struct rib_stats	 rs;
	struct adjout_stats	 as;
	struct fib_stats	 fs;
	struct nexthop_stats	 ns;
	struct json		 j;

	memset(&fs, 0, sizeof(fs));
	rib_stats(rde_rib(), &rs);
	adjout_stats(&as);
	nexthop_stats(&ns);
	if (kernel_fib() != NULL)
		fib_stats(kernel_fib(), &fs);
	if (m->json) {
		json_init(&j, req->out);
		json_object_open(&j, NULL);
		json_uint(&j, "ribEntriesIpv4", rs.entries[AID_IPV4_UNICAST]);
		json_uint(&j, "ribEntriesIpv6", rs.entries[AID_IPV6_UNICAST]);
		json_uint(&j, "ribPaths", rs.paths);
		json_uint(&j, "ribBytes", rs.bytes);
		json_uint(&j, "attributeSets", attr_count());
		json_uint(&j, "adjOutPrefixes", as.records);
		json_uint(&j, "adjOutBytes", as.bytes);
		json_uint(&j, "fibRoutes", fs.routes);
		json_uint(&j, "fibBytes", fs.bytes);
		json_uint(&j, "fibRequests", fs.requests);
		json_uint(&j, "fibErrors", fs.errors);
		json_uint(&j, "nexthops", ns.cached);
		json_object_close(&j);
		show_printf(req->out, "\n");
		return 0;
	}
	show_printf(req->out, "%zu RIB entries (%zu IPv4, %zu IPv6), %zu "
	    "paths, using %zu bytes\n", rs.entries[AID_IPV4_UNICAST] +
	    rs.entries[AID_IPV6_UNICAST], rs.entries[AID_IPV4_UNICAST],
	    rs.entries[AID_IPV6_UNICAST], rs.paths, rs.bytes);
	show_printf(req->out, "%zu BGP attribute sets\n", attr_count());
	show_printf(req->out, "%zu Adj-RIB-Out prefixes, using %zu bytes\n",
	    as.records, as.bytes);
	show_printf(req->out, "%zu kernel routes tracked, using %zu bytes; "
	    "%llu requests written, %llu failed\n", fs.routes, fs.bytes,
	    (unsigned long long)fs.requests, (unsigned long long)fs.errors);
	show_printf(req->out, "%zu next hops\n", ns.cached);
	return 0;
}

int
show_version(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	char			 t[32];

	show_printf(req->out, "%s %s, up %s\n", PACKAGE_NAME,
	    PACKAGE_VERSION, show_fmt_time((long long)(show_now() -
	    req->started), t, sizeof(t)));
	return 0;
}

/* reload: read the configuration files again (reload.c); what it did,
 * or the errors that refused it, is the answer. */
int
ctl_reload(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	FILE			*f;
	char			*s = NULL;
	size_t			 len;
	int			 rc;

	if ((f = open_memstream(&s, &len)) == NULL) {
		show_printf(req->out, "%% reload: %s\n", strerror(errno));
		return 1;
	}
	rc = reload_run(f);
	fclose(f);
	show_printf(req->out, "%s", s != NULL ? s : "");
	free(s);
	return rc == 0 ? 0 : 1;
}

/* Shut down from the shell: part of the running configuration, as
 * vtysh shows it. */
static int
show_shell_down(const struct peer_config *pc)
{
	struct peer	*p;

	TAILQ_FOREACH(p, &peers, entry)
		if (p->conf == pc)
			return p->shell_down;
	return 0;
}

/* The canonical configuration (conf_print): it parses back to what runs.
 * Not for the read-only socket: it holds the TCP MD5 passwords. */
int
show_running_config(const struct cmd_match *m, void *arg)
{
	const struct show_req	*req = arg;
	FILE			*f;
	char			*s = NULL;
	size_t			 len;

	if (req->conf == NULL) {
		show_printf(req->out, "%% No configuration loaded\n");
		return 1;
	}
	if ((f = open_memstream(&s, &len)) == NULL) {
		show_printf(req->out, "%% %s\n", strerror(errno));
		return 1;
	}
	conf_print_running(f, req->conf, show_shell_down);
	fclose(f);
	show_printf(req->out, "%s", s != NULL ? s : "");
	free(s);
	return 0;
}
