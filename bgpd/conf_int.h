/*
 * conf_int.h: what the parts of the configuration parser share and
 * nothing else includes.  From the bottom up: conf_lex.c is the reader
 * (files, lines, words, keywords, includes, error reports, the word
 * getters and the checks of one statement); conf_nbr.c and conf_policy.c
 * are statement handlers; conf_stmt.c is the language (the statement
 * table, with the top level and router bgp handlers); conf_parse.c finds
 * each line's statement and runs the checks of the whole file.
 */
#ifndef TB_CONF_INT_H
#define TB_CONF_INT_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#include "conf.h"

#define CONF_LINE_MAX		4096	/* bytes per line, newline excluded */
#define CONF_MAX_WORDS		(CONF_LINE_MAX / 2 + 1)
#define CONF_INCLUDE_DEPTH	8
#define CONF_FILE_MAX		(16 * 1024 * 1024)	/* /dev/zero ends too */
#define CONF_MAX_ERRORS		100	/* then give up: a binary file */
#define CONF_VIS_MAX		40	/* bytes of a bad word quoted back */
#define CONF_VIS_BUF		(CONF_VIS_MAX * 4 + 8)	/* all \xNN, "..." */

#define NEIGHBOR_ADDR	"a neighbor address (A.B.C.D or X:X::X:X)"

enum conf_node {
	NODE_NONE = -1,
	NODE_TOP,
	NODE_ROUTER,		/* router bgp ASN */
	NODE_AF4,		/* address-family ipv4 unicast */
	NODE_AF6,		/* address-family ipv6 unicast */
	NODE_RMAP		/* route-map NAME permit|deny SEQ */
};
#define NODE_BIT(n)	(1u << (n))

enum kw {
	KW_NONE = 0,		/* not a keyword */
	KW_LATER,		/* an FRR feature tbgpd does not have yet */
	KW_ACTIVATE, KW_ADDITIVE, KW_ADDRESS, KW_ADDRESS_FAMILY,
	KW_ADVERTISEMENT_INTERVAL, KW_ALLOWAS_IN, KW_ALWAYS_COMPARE_MED,
	KW_ANY, KW_AS_PATH, KW_BESTPATH, KW_BFD, KW_BGP, KW_COMM_LIST, KW_COMMUNITY,
	KW_COMMUNITY_LIST, KW_COMPARE_ROUTERID, KW_CONNECT, KW_CONNECTED,
	KW_CONTINUE, KW_DATACENTER, KW_DEFAULT, KW_DEFAULTS, KW_DELETE,
	KW_DENY, KW_DESCRIPTION, KW_DUMP, KW_DISTANCE, KW_EBGP_MULTIHOP, KW_EBGP_REQUIRES_POLICY,
	KW_END, KW_EXACT_MATCH, KW_EXIT, KW_EXIT_ADDRESS_FAMILY, KW_EXPANDED,
	KW_EXTCOMMUNITY, KW_EXTERNAL, KW_FACILITY, KW_FAILBACK_DELAY, KW_FIB, KW_FILE, KW_FRR, KW_GE,
	KW_GLOBAL, KW_GOTO, KW_GRACEFUL_RESTART, KW_GRACEFUL_RESTART_DISABLE,
	KW_GRACEFUL_RESTART_HELPER, KW_HARD_ADMINISTRATIVE_RESET, KW_HOPS, KW_HOSTNAME, KW_IGNORE, KW_ICMP, KW_IMPORT_CHECK,
	KW_IN, KW_INBOUND, KW_INCLUDE, KW_INTEGRATED_VTYSH_CONFIG,
	KW_INTERNAL, KW_INTERVAL, KW_IP, KW_IPV4, KW_IPV4_UNICAST, KW_IPV6, KW_KEEPALIVE, KW_KERNEL,
	KW_LARGE_COMMUNITY, KW_LARGE_COMMUNITY_LIST, KW_LAST_AS, KW_LE,
	KW_LINE, KW_LISTEN, KW_LIVENESS, KW_LOCAL_PREFERENCE, KW_LOG, KW_LOG_NEIGHBOR_CHANGES,
	KW_MATCH, KW_MAXIMUM_PATHS, KW_MAXIMUM_PREFIX, KW_MAXIMUM_PREFIX_OUT,
	KW_MED, KW_MESSAGE, KW_METRIC, KW_METRICS, KW_MIN_RX, KW_MINIMUM_HOLDTIME,
	KW_MISSING_AS_WORST, KW_MULTIPATH_RELAX, KW_MULTIPLIER, KW_NEIGHBOR, KW_NETWORK,
	KW_NEXT, KW_NEXT_HOP, KW_NO, KW_ON_MATCH, KW_ORIGIN, KW_OUT,
	KW_PASSIVE, KW_PASSWORD, KW_PEER, KW_PORT, KW_PEER_ADDRESS, KW_PERMIT,
	KW_PREFIX_LIST, KW_PREPEND, KW_REDISTRIBUTE, KW_REMOTE_AS,
	KW_RESTART, KW_ROUTE, KW_ROUTE_MAP, KW_ROUTER, KW_ROUTER_ID, KW_RT, KW_SEQ,
	KW_SERVICE, KW_SET, KW_SHUTDOWN, KW_SOFT_RECONFIGURATION,
	KW_STANDARD, KW_STATIC, KW_STDOUT, KW_STRICT_CAPABILITY_MATCH,
	KW_SYSLOG, KW_TARGET, KW_TCP, KW_TIMEOUT, KW_TIMERS, KW_TRADITIONAL, KW_TTL_SECURITY, KW_UNICAST,
	KW_UP, KW_UPDATE_SOURCE, KW_VERSION, KW_VTY, KW_WARNING_ONLY, KW_WEIGHT
};

/* A name and its value: "log" levels and facilities. */
struct conf_value {
	const char	*name;
	int		 value;
};

struct conf_tok {
	const char	*s;
	int		 col;		/* 1-based byte column */
};

/* One file being read; they form the include stack. */
struct conf_src {
	struct conf_src	*parent;
	const char	*name;		/* interned, as given or globbed */
	FILE		*fp;
	dev_t		 dev;
	ino_t		 ino;
	int		 lineno;
	int		 depth;
	size_t		 bytes;		/* read so far */
};

struct ifaddrs;

/*
 * A policy name the configuration refers to (neighbor route-map and
 * prefix-list, network and redistribute route-maps, names in route-map
 * clauses), kept with where it was written for the warnings about names
 * that are never defined, given once the whole file is read.
 */
struct conf_ref {
	const char	*field;		/* the config field holding it, or NULL
					 * for a route-map clause */
	char		 name[POLICY_REF_MAX];
	char		 what[96];	/* what the name is used for */
	int		 plist_af;	/* prefix list: AF_INET/AF_INET6, or 0:
					 * a route-map */
	const char	*file;
	int		 line;
	int		 col;
};

struct conf_parser {
	struct bgpd_config	*conf;
	FILE			*errf;
	int			 nerrors;
	int			 stop;		/* too many errors */
	struct conf_src		*src;
	enum conf_node		 node;
	int			 router_seen;
	const char		*router_file;	/* first "router bgp" */
	int			 router_line;
	int			 level_set;	/* a log LEVEL was given */
	struct ifaddrs		*ifa;
	int			 ifa_loaded;
	int			 rmap_open;	/* its route-map line is fine */
	struct conf_ref		*refs;
	size_t			 nrefs;
	/* The current line, its words and the read position. */
	char			 line[CONF_LINE_MAX + 1];
	char			 words[CONF_LINE_MAX + 1];
	struct conf_tok		 tok[CONF_MAX_WORDS];
	int			 ntok;
	int			 cur;
	int			 base;		/* 1 after a leading "no" */
	int			 negate;
	int			 eol_col;
	/* Reads the lines of p->src to its end: conf_parse.c's, so that an
	 * include (conf_include()) reads its file as the top one. */
	void			(*read)(struct conf_parser *);
};

#define STMT_NEIGHBOR	0x01	/* "neighbor ADDR w2": w2 is the third word */
#define STMT_NO		0x02	/* has a "no" form */

/* A handler returns -1 after reporting an error, having changed nothing. */
struct conf_stmt {
	unsigned	 nodes;		/* NODE_BIT()s it is valid in */
	enum kw		 w1;
	enum kw		 w2;		/* KW_NONE: any second word */
	int		 flags;
	int		(*fn)(struct conf_parser *);
};

/* conf_stmt.c: the statement of node n for words w1 w2 (any w2 if
 * any_w2), NULL if none. */
const struct conf_stmt	*conf_stmt_find(enum conf_node, enum kw, enum kw,
			    int any_w2);

/* conf_nbr.c: handlers of the neighbor statements, in conf_stmts[] */
int	stmt_nb_remote_as(struct conf_parser *);
int	stmt_nb_description(struct conf_parser *);
int	stmt_nb_timers(struct conf_parser *);
int	stmt_nb_password(struct conf_parser *);
int	stmt_nb_update_source(struct conf_parser *);
int	stmt_nb_ttl_security(struct conf_parser *);
int	stmt_nb_multihop(struct conf_parser *);
int	stmt_nb_passive(struct conf_parser *);
int	stmt_nb_strict(struct conf_parser *);
int	stmt_nb_shutdown(struct conf_parser *);
int	stmt_nb_activate(struct conf_parser *);
int	stmt_nb_route_map(struct conf_parser *);
int	stmt_nb_prefix_list(struct conf_parser *);
int	stmt_nb_max_prefix(struct conf_parser *);
int	stmt_nb_max_prefix_out(struct conf_parser *);
int	stmt_nb_soft_reconfig(struct conf_parser *);
int	stmt_nb_allowas_in(struct conf_parser *);
int	stmt_nb_weight(struct conf_parser *);
int	stmt_nb_adv_interval(struct conf_parser *);
int	stmt_nb_liveness(struct conf_parser *);
int	stmt_nb_bfd(struct conf_parser *);
int	stmt_nb_gr(struct conf_parser *);

/* conf_gr.c: the graceful restart statements, in conf_stmts[] */
int	stmt_bgp_gr(struct conf_parser *);
int	stmt_bgp_gr_disable(struct conf_parser *);
int	stmt_bgp_hard_reset(struct conf_parser *);

/* conf_obs.c: the observers' statements and their part of a config */
int	stmt_metrics_listen(struct conf_parser *);
int	stmt_dump_bgp(struct conf_parser *);
uint32_t conf_dump_interval(const char *);
void	conf_obs_init(struct bgpd_config *);
void	conf_obs_free(struct bgpd_config *);
void	conf_obs_print(FILE *, const struct bgpd_config *);
int	conf_obs_differs(const struct bgpd_config *,
	    const struct bgpd_config *);

/* conf_policy.c: handlers of the policy statements, in conf_stmts[] */
int	stmt_ip_prefix_list(struct conf_parser *);
int	stmt_ipv6_prefix_list(struct conf_parser *);
int	stmt_aspath_list(struct conf_parser *);
int	stmt_comm_list(struct conf_parser *);
int	stmt_lcomm_list(struct conf_parser *);
int	stmt_route_map(struct conf_parser *);
int	stmt_match_ip(struct conf_parser *);
int	stmt_match_ipv6(struct conf_parser *);
int	stmt_match_aspath(struct conf_parser *);
int	stmt_match_community(struct conf_parser *);
int	stmt_match_lcommunity(struct conf_parser *);
int	stmt_match_metric(struct conf_parser *);
int	stmt_match_localpref(struct conf_parser *);
int	stmt_match_origin(struct conf_parser *);
int	stmt_match_peer(struct conf_parser *);
int	stmt_set_localpref(struct conf_parser *);
int	stmt_set_weight(struct conf_parser *);
int	stmt_set_metric(struct conf_parser *);
int	stmt_set_aspath(struct conf_parser *);
int	stmt_set_community(struct conf_parser *);
int	stmt_set_lcommunity(struct conf_parser *);
int	stmt_set_commlist(struct conf_parser *);
int	stmt_set_extcommunity(struct conf_parser *);
int	stmt_set_ip(struct conf_parser *);
int	stmt_set_ipv6(struct conf_parser *);
int	stmt_set_origin(struct conf_parser *);
int	stmt_on_match(struct conf_parser *);
int	stmt_continue(struct conf_parser *);

/* conf_static.c: handlers of the static route statements and of
 * distance bgp, in conf_stmts[] */
int	stmt_ip_route(struct conf_parser *);
int	stmt_ipv6_route(struct conf_parser *);
int	stmt_distance_bgp(struct conf_parser *);

/* conf_lex.c: an interface name the kernel could have */
int	conf_ifname_ok(const char *);

/* conf_lex.c: keywords, file names */
enum kw		 conf_kw(const char *);
const char	*conf_intern(const char *);	/* lives as long as tbgpd */

/* conf_lex.c: reports */
const char	*conf_vis(const char *, char *, size_t);
void		 conf_err_at(struct conf_parser *, const char *file, int line,
		    int col, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
void		 conf_warn_at(struct conf_parser *, const char *file, int line,
		    int col, const char *, ...)
		    __attribute__((format(printf, 5, 6)));
void		 conf_err(struct conf_parser *, const struct conf_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
void		 conf_warn(struct conf_parser *, const struct conf_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
void		 conf_expected(struct conf_parser *, const struct conf_tok *,
		    const char *);

/* conf_lex.c: lines.  conf_getline() reads one line of p->src into
 * p->line: 0 at end of file, 1 for a line to parse, 2 for one reported
 * as unreadable; conf_split() makes its words. */
int	conf_getline(struct conf_parser *);
void	conf_split(struct conf_parser *);

/* conf_lex.c: the words of the current line */
const struct conf_tok	*conf_next(struct conf_parser *);
const struct conf_tok	*conf_peek(struct conf_parser *);
const struct conf_tok	*conf_get_word(struct conf_parser *, const char *);
int	conf_get_eol(struct conf_parser *);
int	conf_get_kw(struct conf_parser *, enum kw, const char *);
int	conf_get_num(struct conf_parser *, const char *, uint32_t, uint32_t,
	    uint32_t *);
int	conf_get_as(struct conf_parser *, uint32_t *);
int	conf_get_times(struct conf_parser *, uint16_t *, uint16_t *);
int	conf_get_value(struct conf_parser *, const struct conf_value *,
	    const char *, int *);
int	conf_get_text(struct conf_parser *, const char *, char *, size_t);
int	conf_str_u32(const char *, uint32_t *);
const struct conf_tok *conf_get_name(struct conf_parser *, const char *,
	    char *, size_t);
int	conf_get_prefix(struct conf_parser *, int af, const char *,
	    struct tb_prefix *);
void	conf_join(struct conf_parser *, int from, char *, size_t);
int	conf_tok_addr(struct conf_parser *, const struct conf_tok *,
	    const char *, struct tb_addr *);

/* conf_lex.c: checks, nodes and files.  conf_open(): s is the file at
 * path (the include line t, or NULL for the top file), not one already
 * being read; 0, or -1 reported. */
void		conf_check_reserved(struct conf_parser *,
		    const struct conf_tok *, const struct tb_addr *);
int		conf_is_local(struct conf_parser *, const struct tb_addr *);
enum conf_node	conf_parent(enum conf_node);
/* The address family of the node: router bgp itself is IPv4 (FRR). */
enum aid	conf_node_aid(const struct conf_parser *);
int		conf_open(struct conf_parser *, struct conf_src *,
		    const char *path, const struct conf_tok *t);
int		conf_include(struct conf_parser *, const struct conf_tok *);
void		conf_ref_add(struct conf_parser *, const struct conf_tok *,
		    const char *field, int plist_af, const char *what);
void		conf_ref_drop(struct conf_parser *, const char *field);

#endif
