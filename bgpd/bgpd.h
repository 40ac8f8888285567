/*
 * bgpd.h: the few types every part of the daemon uses: the configuration
 * as parsed (global settings and one peer_config per neighbor) and the
 * protocol constants shared by the codec, the FSM and the sessions.
 */
#ifndef TB_BGPD_H
#define TB_BGPD_H

#include <sys/queue.h>
#include <net/if.h>
#include <stdint.h>

#include "addr.h"

#define BGP_PORT		179
#define BGP_VERSION		4
#define AS_TRANS		23456
#define REMOTE_AS_EXTERNAL	0	/* remote-as external: any AS but ours */

/* Fixed paths, whatever --prefix says: operators and init scripts look
 * here, as they look for /etc/bgpd.conf; -f and -s override them. */
#define DEFAULT_CONFIG		"/etc/tbgpd/tbgpd.conf"
#define DEFAULT_CTLSOCK		"/run/tbgpd/tbgpd.sock"

/* FRR's defaults for a "traditional" profile. */
#define DEFAULT_KEEPALIVE	60
#define DEFAULT_HOLDTIME	180
#define DEFAULT_CONNECTRETRY	120
#define MIN_CONNECTRETRY	1

/* Liveness defaults and bounds (milliseconds unless named otherwise):
 * fast KEEPALIVEs no more often than once a second (RFC 4271 4.4), BFD
 * as FRR's bfdd (300 ms x 3), ICMP probes up after 3 replies in a row. */
#define LIVE_TCP_TIMEOUT_MIN	1000
#define LIVE_TCP_TIMEOUT_MAX	60000
#define LIVE_TCP_KEEPALIVE_DEF	1000
#define LIVE_TCP_KEEPALIVE_MIN	1000
#define LIVE_ICMP_INTERVAL_MIN	10
#define LIVE_ICMP_INTERVAL_MAX	10000
#define LIVE_ICMP_UP_DEF	3
#define LIVE_MULT_MIN		2
#define LIVE_MULT_MAX		255
#define BFD_INTERVAL_DEF	300
#define BFD_MIN_RX_DEF		300
#define BFD_MULT_DEF		3
#define BFD_INTERVAL_MIN	10
#define BFD_INTERVAL_MAX	60000

/* Graceful restart (RFC 4724, RFC 8538): FRR's words and defaults.  The
 * global mode is FRR's helper mode unless 'bgp graceful-restart' (restart
 * mode: both roles) or 'bgp graceful-restart-disable'; a neighbor
 * inherits it unless it has its own. */
enum gr_mode {
	GR_INHERIT = 0,		/* a neighbor's: the global mode */
	GR_HELPER,
	GR_RESTART,
	GR_DISABLE
};
/* What a liveness, BFD or link down does to a GR neighbor's paths
 * (bgp graceful-restart liveness ...). */
enum gr_live {
	GR_LIVE_FAILOVER = 0,	/* kept stale, below every fresh path */
	GR_LIVE_WITHDRAW,	/* withdrawn at once, as without GR */
	GR_LIVE_RESTART		/* kept stale like any restart */
};
#define GR_RESTART_TIME_DEF	120
#define GR_STALEPATH_TIME_DEF	360
#define GR_SELECT_DEFER_DEF	360
#define GR_TIME_MAX		4095	/* 12 bits in the capability */

#define DESCR_MAX		80
#define PASSWORD_MAX		80	/* TCP_MD5SIG_MAXKEYLEN */
#define SHUTDOWN_MSG_MAX	255	/* RFC 9003 */

/* Address families a neighbor may be activated for. */
enum aid {
	AID_IPV4_UNICAST = 0,
	AID_IPV6_UNICAST,
	AID_MAX
};
#define AID_BIT(a)	(1u << (a))

#define POLICY_REF_MAX		64	/* route-map / prefix-list names */

/* What a neighbor does per address family (FRR's address-family node). */
struct peer_af_config {
	char		rmap_in[POLICY_REF_MAX];	/* "": none */
	char		rmap_out[POLICY_REF_MAX];
	char		plist_in[POLICY_REF_MAX];
	char		plist_out[POLICY_REF_MAX];
	uint32_t	max_prefix;		/* 0: no limit */
	uint8_t		max_prefix_threshold;	/* percent for the warning */
	int		max_prefix_warning;	/* warning-only */
	uint16_t	max_prefix_restart;	/* minutes, 0: stay down */
	uint32_t	max_prefix_out;		/* 0: no limit */
	int		soft_reconfig_in;	/* keep routes pre-policy */
	uint8_t		allowas_in;		/* times our AS may appear */
	int		allowas_in_origin;	/* allowas-in origin */
	uint32_t	weight;			/* neighbor X weight */
	int		weight_set;
};

struct peer_config {
	TAILQ_ENTRY(peer_config) entry;
	struct tb_addr	remote;
	uint32_t	remote_as;
	char		descr[DESCR_MAX + 1];
	uint16_t	keepalive;		/* valid if timers_set */
	uint16_t	holdtime;
	int		timers_set;
	uint16_t	connect_retry;		/* 0: default */
	char		password[PASSWORD_MAX + 1];	/* "" = no MD5 */
	struct tb_addr	local;			/* update-source address */
	char		local_ifname[IF_NAMESIZE];	/* update-source IFNAME */
	uint8_t		ttl_security;		/* GTSM hops, 0 = off */
	uint8_t		multihop;		/* ebgp-multihop TTL, 0 = off */
	int		passive;
	int		strict_caps;		/* strict-capability-match */
	int		shutdown;
	char		shutdown_msg[SHUTDOWN_MSG_MAX + 1];
	unsigned	af_active;		/* AID_BIT()s */
	struct peer_af_config af[AID_MAX];
	uint16_t	adv_interval;		/* advertisement-interval s */
	unsigned	af_configured;		/* explicit (no) activate seen */
	/* Liveness (tbgpd(8) LIVENESS), all off by default. */
	uint32_t	live_tcp_timeout;	/* ms TCP_USER_TIMEOUT, 0: off */
	uint32_t	live_tcp_keepalive;	/* ms between KEEPALIVEs */
	uint32_t	live_icmp_interval;	/* ms between echoes, 0: off */
	uint8_t		live_icmp_mult;		/* misses before down */
	uint8_t		live_icmp_up;		/* replies in a row to be up */
	int		bfd;			/* neighbor X bfd */
	uint32_t	bfd_interval;		/* ms, desired min TX */
	uint32_t	bfd_min_rx;		/* ms, required min RX */
	uint8_t		bfd_mult;		/* detect multiplier */
	int		gr_mode;		/* enum gr_mode, GR_INHERIT */
	const char	*file;			/* where it was defined */
	int		line;
};
TAILQ_HEAD(peer_config_head, peer_config);

/* network PREFIX [route-map NAME] (origination). */
struct network_config {
	TAILQ_ENTRY(network_config) entry;
	struct tb_prefix prefix;
	char		 rmap[POLICY_REF_MAX];	/* "": none */
};
TAILQ_HEAD(network_head, network_config);

enum redist_src {
	REDIST_CONNECTED = 0,
	REDIST_STATIC,
	REDIST_KERNEL,
	REDIST_MAX
};

struct redist_config {
	int		 on;
	char		 rmap[POLICY_REF_MAX];	/* "": none */
};

/*
 * ip route / ipv6 route: one static route, that is one next hop of a
 * prefix at one distance (FRR's staticd keys them the same way: prefix,
 * distance, next hop).  tbgpd(8) STATIC ROUTES.
 */
enum static_kind {
	STATIC_GATEWAY,		/* ip route P A.B.C.D [IFNAME] */
	STATIC_IFACE,		/* ip route P IFNAME */
	STATIC_BLACKHOLE,	/* ip route P blackhole | Null0 */
	STATIC_REJECT		/* ip route P reject: ICMP unreachable */
};

enum static_track {
	STATIC_TRACK_NONE,	/* the interface's state only */
	STATIC_TRACK_ICMP,	/* liveness icmp ... */
	STATIC_TRACK_BFD	/* bfd ... */
};

struct static_config {
	TAILQ_ENTRY(static_config) entry;
	struct tb_prefix prefix;
	enum static_kind kind;
	struct tb_addr	 gw;			/* STATIC_GATEWAY */
	char		 ifname[IF_NAMESIZE];	/* "" unless given */
	uint8_t		 distance;		/* 1-255 */
	enum static_track track;
	uint32_t	 icmp_interval;		/* ms */
	uint8_t		 icmp_mult;		/* misses before down */
	uint8_t		 icmp_up;		/* replies in a row to be up */
	struct tb_addr	 icmp_target;		/* af 0: the gateway */
	uint32_t	 bfd_interval;		/* ms, desired min TX */
	uint32_t	 bfd_min_rx;		/* ms */
	uint8_t		 bfd_mult;
	uint32_t	 failback_delay;	/* s, 0 off */
	const char	*file;			/* where it was defined */
	int		 line;
};
TAILQ_HEAD(static_head, static_config);

#define STATIC_DISTANCE_DEF	1	/* FRR's */
#define STATIC_ICMP_INTERVAL_DEF 1000	/* ms: 3 s to notice, as cheap as */
#define STATIC_ICMP_MULT_DEF	3	/* the field's once-a-minute ping */
#define STATIC_FAILBACK_MAX	3600	/* s */

/* FRR's administrative distances for BGP: distance bgp E I L. */
#define DISTANCE_EBGP_DEF	20
#define DISTANCE_IBGP_DEF	200
#define DISTANCE_LOCAL_DEF	200

struct policy_db;

/* metrics listen ADDRESS port PORT (the Prometheus endpoint). */
struct metrics_listen {
	TAILQ_ENTRY(metrics_listen) entry;
	struct tb_addr	 addr;
	uint16_t	 port;
};
TAILQ_HEAD(metrics_listen_head, metrics_listen);
#define METRICS_LISTEN_MAX	16

/* dump bgp all|all-et|updates|updates-et|routes-mrt PATH [INTERVAL]
 * (MRT, RFC 6396): one dump of each kind at most, as in FRR. */
enum mrt_kind {
	MRT_DUMP_ALL = 0,	/* every message received, state changes */
	MRT_DUMP_UPDATES,	/* UPDATEs received */
	MRT_DUMP_ROUTES,	/* the RIB, TABLE_DUMP_V2 */
	MRT_DUMP_KINDS
};
#define MRT_PATH_MAX		256
struct mrt_dump_config {
	char		 path[MRT_PATH_MAX];	/* strftime(3) escapes; "": off */
	int		 et;			/* BGP4MP_ET (all-et, updates-et) */
	uint32_t	 interval;		/* seconds, 0: none */
};

struct bgpd_config {
	uint32_t	as;			/* 0 until router bgp seen */
	uint32_t	router_id;		/* host order, 0 = auto */
	uint16_t	keepalive;		/* timers bgp K H */
	uint16_t	holdtime;
	uint16_t	min_holdtime;		/* bgp minimum-holdtime, 0 = off */
	int		default_ipv4_unicast;	/* bgp default ipv4-unicast */
	int		ebgp_requires_policy;	/* RFC 8212, default on */
	uint16_t	listen_port;		/* 0: BGP_PORT (-p overrides) */
	int		log_stderr;		/* log stdout|stderr */
	int		log_syslog;		/* log syslog */
	int		log_level;		/* TB_LOG_* */
	int		log_facility;		/* LOG_DAEMON ... */
	char		log_file[256];		/* log file PATH */
	struct peer_config_head peers;

	/* Routes (best path, multipath, origination). */
	int		as_path_ignore;		/* bgp bestpath as-path ignore */
	int		multipath_relax;	/* ... as-path multipath-relax */
	int		always_compare_med;	/* bgp always-compare-med */
	int		med_missing_as_worst;	/* bgp bestpath med missing-as-worst */
	int		compare_router_id;	/* bgp bestpath compare-routerid */
	int		network_import_check;	/* default on, as FRR */
	uint16_t	maximum_paths[AID_MAX];	/* maximum-paths N, default 1 */
	struct network_head networks[AID_MAX];
	struct redist_config redist[AID_MAX][REDIST_MAX];
	struct policy_db *policy;		/* prefix lists, route-maps... */

	/* The kernel FIB. */
	uint32_t	fib_table;		/* fib table N, default 254 */
	uint32_t	fib_metric;		/* fib metric N, default 20 */
	int		fib_install;		/* [no] fib install, default on */
	int		fib_retain;		/* fib retain: keep at exit */
	uint32_t	fib_scan;		/* fib scan-interval S, 0 off */
	uint32_t	failback_delay;		/* bgp failback-delay S, 0 off */
	uint8_t		distance_ebgp;		/* distance bgp E I L */
	uint8_t		distance_ibgp;
	uint8_t		distance_local;

	/* Static routes, sorted (conf_static_cmp): ip route, ipv6 route. */
	struct static_head statics;

	/* Graceful restart (tbgpd.conf(5) GRACEFUL RESTART). */
	int		gr_mode;		/* GR_HELPER, GR_RESTART, GR_DISABLE */
	uint16_t	gr_restart_time;	/* advertised, seconds */
	uint16_t	gr_stalepath_time;	/* stale paths kept at most */
	uint16_t	gr_select_defer;	/* restart: deferral at most */
	int		gr_preserve_fw;		/* F bit always */
	int		gr_notification;	/* N bit (RFC 8538), default on */
	int		gr_liveness;		/* enum gr_live */
	int		hard_admin_reset;	/* clear bgp is a Hard Reset */

	/* Observers (metrics, BMP, MRT): conf_obs.c. */
	struct metrics_listen_head metrics;
	struct mrt_dump_config dumps[MRT_DUMP_KINDS];
};

#define FIB_TABLE_MAIN		254
#define FIB_METRIC_DEFAULT	20	/* FRR's for eBGP routes */
#define FIB_SCAN_DEFAULT	60	/* seconds, BIRD's kernel scan time */

#endif
