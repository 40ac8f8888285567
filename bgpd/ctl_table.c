/*
 * ctl_table: the daemon's one command table (lib/cmd.h): every command of
 * the control socket with its words, help, handler and flags.  ctl.c
 * matches a request against it and runs the entry; tbgpsh completes and
 * explains from the same entries (CTL_DESCRIBE).  The handlers are in
 * ctl_peer.c, ctl_route.c, ctl_kernel.c and ctl_admin.c.
 */
#include "config.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "bgpd.h"
#include "ctl_admin.h"
#include "ctl_kernel.h"
#include "ctl_peer.h"
#include "ctl_route.h"
#include "ctl_static.h"
#include "ctl_table.h"
#include "log.h"

#define AF_V4		AID_BIT(AID_IPV4_UNICAST)
#define AF_V6		AID_BIT(AID_IPV6_UNICAST)

#define H_SHOW		"Show running system information\n"
#define H_IP		"IP information\n"
#define H_BGP		"BGP information\n"
#define H_AFI		"Address Family\n"
#define H_SAFI		"Address Family modifier\n"
#define H_SUMMARY	"Summary of BGP neighbor status\n"
#define H_NEIGHBORS	"Detailed information on TCP and BGP neighbor " \
			    "connections\n"
#define H_NBR_ADDR	"Neighbor to display information about\n" \
			"Neighbor to display information about\n"
#define NBR_ADDR	"A.B.C.D|X:X::X:X"
#define RO_JSON		(CMD_F_JSON | CMD_F_RO)
/* A table: its answer streams (ctl.c bounds how many at once). */
#define RO_STREAM	(RO_JSON | CMD_F_STREAM)
#define H_CLEAR		"Reset functions\n"
#define H_CLEAR_WHO	"Neighbor address, or * for every neighbor\n"
#define H_SOFT		"Soft reconfig inbound and outbound updates\n"
#define H_IN		"Send route-refresh unless using "		\
			    "'soft-reconfiguration inbound'\n"
#define H_OUT		"Resend all outbound updates\n"

#define H_NO		"Negate a command or set its defaults\n"
#define H_NBR_CMD	"Specify neighbor router\n"
#define H_NBR_WHO	"Neighbor address, or * for every neighbor\n"
#define H_SHUT		"Administratively shut down this neighbor\n"
#define H_DEBUG		"Debugging functions\n"
#define H_DBG_UPD	"BGP updates\n"
#define H_DBG_NBR	"BGP Neighbor Events\n"
#define H_DBG_FIB	"Routes written to the kernel\n"
#define H_PREFIX	"Network in the BGP routing table to display " \
			    "(A.B.C.D[/M] or X:X::X:X[/M])\n"
#define H_LONGER	"Display route and more specific routes\n"
#define H_RCVD		"Display the received routes from neighbor\n"
#define H_ADV		"Display the routes advertised to a BGP neighbor\n"
#define H_ROUTES	"Display routes learned from neighbor\n"
#define V4		SHOW_RT_AID(AID_IPV4_UNICAST)
#define V6		SHOW_RT_AID(AID_IPV6_UNICAST)
#define NBR_KINDS(words, help, aid)					\
	{ words " neighbors " NBR_ADDR " received-routes",		\
	    help H_NEIGHBORS H_NBR_ADDR H_RCVD, rshow_neighbor,		\
	    (aid) | SHOW_RT_RECEIVED, RO_STREAM },			\
	{ words " neighbors " NBR_ADDR " advertised-routes",		\
	    help H_NEIGHBORS H_NBR_ADDR H_ADV, rshow_neighbor,		\
	    (aid) | SHOW_RT_ADVERTISED, RO_STREAM },			\
	{ words " neighbors " NBR_ADDR " routes",			\
	    help H_NEIGHBORS H_NBR_ADDR H_ROUTES, rshow_neighbor,		\
	    (aid) | SHOW_RT_ACCEPTED, RO_STREAM }
#define PREFIX_CMDS(words, help, aid)					\
	{ words " WORD", help H_PREFIX, rshow_prefix, (aid), RO_JSON },	\
	{ words " WORD longer-prefixes", help H_PREFIX H_LONGER,	\
	    rshow_prefix, (aid) | SHOW_RT_LONGER, RO_STREAM }

static const struct cmd_entry ctl_entries[] = {
	{ "show bgp summary", H_SHOW H_BGP H_SUMMARY,
	    show_summary, AF_V4 | AF_V6, RO_JSON },
	{ "show ip bgp summary", H_SHOW H_IP H_BGP H_SUMMARY,
	    show_summary, AF_V4, RO_JSON },
	{ "show bgp ipv4 unicast summary", H_SHOW H_BGP H_AFI H_SAFI H_SUMMARY,
	    show_summary, AF_V4, RO_JSON },
	{ "show bgp ipv6 unicast summary", H_SHOW H_BGP H_AFI H_SAFI H_SUMMARY,
	    show_summary, AF_V6, RO_JSON },
	{ "show bgp neighbors", H_SHOW H_BGP H_NEIGHBORS,
	    show_neighbors, 0, RO_JSON },
	{ "show bgp neighbors " NBR_ADDR, H_SHOW H_BGP H_NEIGHBORS H_NBR_ADDR,
	    show_neighbors, 0, RO_JSON },
	{ "show ip bgp neighbors", H_SHOW H_IP H_BGP H_NEIGHBORS,
	    show_neighbors, 0, RO_JSON },
	{ "show ip bgp neighbors " NBR_ADDR,
	    H_SHOW H_IP H_BGP H_NEIGHBORS H_NBR_ADDR,
	    show_neighbors, 0, RO_JSON },
	/* FRR: plain "show bgp" is the IPv6 unicast table, "show ip bgp"
	 * the IPv4 one. */
	{ "show bgp", H_SHOW H_BGP, rshow_table, V6, RO_STREAM },
	{ "show ip bgp", H_SHOW H_IP H_BGP, rshow_table, V4, RO_STREAM },
	{ "show bgp ipv4 unicast", H_SHOW H_BGP H_AFI H_SAFI, rshow_table, V4,
	    RO_STREAM },
	{ "show bgp ipv6 unicast", H_SHOW H_BGP H_AFI H_SAFI, rshow_table, V6,
	    RO_STREAM },
	PREFIX_CMDS("show bgp ipv4 unicast", H_SHOW H_BGP H_AFI H_SAFI, V4),
	PREFIX_CMDS("show bgp ipv6 unicast", H_SHOW H_BGP H_AFI H_SAFI, V6),
	PREFIX_CMDS("show ip bgp", H_SHOW H_IP H_BGP, V4),
	/* Without a family, the neighbor's address tells which. */
	NBR_KINDS("show bgp", H_SHOW H_BGP, SHOW_RT_NBR_AF),
	NBR_KINDS("show ip bgp", H_SHOW H_IP H_BGP, V4),
	NBR_KINDS("show bgp ipv4 unicast", H_SHOW H_BGP H_AFI H_SAFI, V4),
	NBR_KINDS("show bgp ipv6 unicast", H_SHOW H_BGP H_AFI H_SAFI, V6),
	{ "show bgp nexthop", H_SHOW H_BGP "BGP nexthop table\n",
	    show_nexthops, 0, RO_JSON },
	{ "show ip bgp nexthop", H_SHOW H_IP H_BGP "BGP nexthop table\n",
	    show_nexthops, 0, RO_JSON },
	{ "show version", H_SHOW "Daemon version and uptime\n",
	    show_version, 0, CMD_F_RO },
	{ "show running-config", H_SHOW "Current operating configuration\n",
	    show_running_config, 0, 0 },
	{ "reload", "Read the configuration files again and apply them\n",
	    ctl_reload, 0, 0 },
	{ "clear bgp WORD", H_CLEAR H_BGP H_CLEAR_WHO, clear_hard, 0, 0 },
	{ "clear ip bgp WORD", H_CLEAR H_IP H_BGP H_CLEAR_WHO, clear_hard, 0,
	    0 },
	{ "neighbor WORD shutdown", H_NBR_CMD H_NBR_WHO H_SHUT, nbr_shutdown,
	    0, 0 },
	{ "no neighbor WORD shutdown", H_NO H_NBR_CMD H_NBR_WHO H_SHUT,
	    nbr_shutdown, 1, 0 },
	{ "debug bgp updates", H_DEBUG H_BGP H_DBG_UPD, debug_set,
	    LOG_DEBUG_UPDATES, 0 },
	{ "debug bgp neighbor-events", H_DEBUG H_BGP H_DBG_NBR, debug_set,
	    LOG_DEBUG_NEIGHBOR, 0 },
	{ "debug bgp fib", H_DEBUG H_BGP H_DBG_FIB, debug_set, LOG_DEBUG_FIB,
	    0 },
	{ "no debug bgp updates", H_NO H_DEBUG H_BGP H_DBG_UPD, debug_set,
	    DEBUG_OFF | LOG_DEBUG_UPDATES, 0 },
	{ "no debug bgp neighbor-events", H_NO H_DEBUG H_BGP H_DBG_NBR,
	    debug_set, DEBUG_OFF | LOG_DEBUG_NEIGHBOR, 0 },
	{ "no debug bgp fib", H_NO H_DEBUG H_BGP H_DBG_FIB, debug_set,
	    DEBUG_OFF | LOG_DEBUG_FIB, 0 },
	{ "show debugging", H_SHOW "State of each debugging option\n",
	    show_debugging, 0, CMD_F_RO },
	{ "show logging", H_SHOW "Show current logging configuration\n",
	    show_logging, 0, CMD_F_RO },
	{ "show bgp memory", H_SHOW H_BGP "Global BGP memory statistics\n",
	    show_memory, 0, RO_JSON },
	{ "show ip route bgp", H_SHOW H_IP "IP routing table\n"
	    "Routes tbgpd installed\n", show_kroutes, AF_INET, RO_STREAM },
	{ "show ip route static", H_SHOW H_IP "IP routing table\n"
	    "Static routes\n", show_static_routes, AF_INET, RO_JSON },
	{ "show ipv6 route static", H_SHOW "IPv6 information\n"
	    "IPv6 routing table\nStatic routes\n", show_static_routes,
	    AF_INET6, RO_JSON },
	{ "show ip static", H_SHOW H_IP "Static routes: each next hop, its "
	    "tracking, last change and why\n", show_static, AF_INET,
	    RO_JSON },
	{ "show ipv6 static", H_SHOW "IPv6 information\nStatic routes: each "
	    "next hop, its tracking, last change and why\n", show_static,
	    AF_INET6, RO_JSON },
	{ "show ipv6 route bgp", H_SHOW "IPv6 information\n"
	    "IPv6 routing table\nRoutes tbgpd installed\n", show_kroutes,
	    AF_INET6, RO_STREAM },
	{ "clear bgp WORD soft", H_CLEAR H_BGP H_CLEAR_WHO H_SOFT, clear_soft,
	    CLEAR_IN | CLEAR_OUT, 0 },
	{ "clear bgp WORD soft in", H_CLEAR H_BGP H_CLEAR_WHO H_SOFT H_IN,
	    clear_soft, CLEAR_IN, 0 },
	{ "clear bgp WORD soft out", H_CLEAR H_BGP H_CLEAR_WHO H_SOFT H_OUT,
	    clear_soft, CLEAR_OUT, 0 },
	{ "clear ip bgp WORD soft", H_CLEAR H_IP H_BGP H_CLEAR_WHO H_SOFT,
	    clear_soft, CLEAR_IN | CLEAR_OUT, 0 },
	{ "clear ip bgp WORD soft in",
	    H_CLEAR H_IP H_BGP H_CLEAR_WHO H_SOFT H_IN, clear_soft, CLEAR_IN,
	    0 },
	{ "clear ip bgp WORD soft out",
	    H_CLEAR H_IP H_BGP H_CLEAR_WHO H_SOFT H_OUT, clear_soft,
	    CLEAR_OUT, 0 },
};

const struct cmd_table ctl_commands = {
	ctl_entries, sizeof(ctl_entries) / sizeof(ctl_entries[0])
};
