/*
 * conf_int.h: what the two halves of the configuration parser share and
 * nothing else includes.  conf_parse.c is the reader (files, lines,
 * words, includes, error reports, the node a line is read in, the
 * word getters and the checks); conf_cmd.c is the language (keywords,
 * the command table and one handler per command).
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
	NODE_AF6		/* address-family ipv6 unicast */
};

enum kw {
	KW_NONE = 0,		/* not a keyword */
	KW_LATER,		/* an FRR feature tbgpd does not have yet */
	KW_ACTIVATE, KW_ADDRESS_FAMILY, KW_BGP, KW_CONNECT, KW_DATACENTER,
	KW_DEFAULT, KW_DEFAULTS, KW_DESCRIPTION, KW_EBGP_MULTIHOP,
	KW_EBGP_REQUIRES_POLICY, KW_END, KW_EXIT, KW_EXIT_ADDRESS_FAMILY,
	KW_EXTERNAL, KW_FACILITY, KW_FILE, KW_FRR, KW_HOPS, KW_HOSTNAME,
	KW_INCLUDE, KW_INTEGRATED_VTYSH_CONFIG, KW_INTERNAL, KW_IP, KW_IPV4,
	KW_IPV4_UNICAST, KW_IPV6, KW_LINE, KW_LOG, KW_LOG_NEIGHBOR_CHANGES,
	KW_MESSAGE, KW_MINIMUM_HOLDTIME, KW_NEIGHBOR, KW_NO, KW_PASSIVE,
	KW_PASSWORD, KW_REMOTE_AS, KW_ROUTER, KW_ROUTER_ID, KW_SERVICE,
	KW_SHUTDOWN, KW_STDOUT, KW_STRICT_CAPABILITY_MATCH, KW_SYSLOG,
	KW_TIMERS, KW_TRADITIONAL, KW_TTL_SECURITY, KW_UNICAST,
	KW_UPDATE_SOURCE, KW_VERSION, KW_VTY
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
	/* The current line, its words and the read position. */
	char			 line[CONF_LINE_MAX + 1];
	char			 words[CONF_LINE_MAX + 1];
	struct conf_tok		 tok[CONF_MAX_WORDS];
	int			 ntok;
	int			 cur;
	int			 base;		/* 1 after a leading "no" */
	int			 negate;
	int			 eol_col;
};

#define CMD_NEIGHBOR	0x01	/* "neighbor ADDR w2": w2 is the third word */
#define CMD_NO		0x02	/* has a "no" form */

/* A handler returns -1 after reporting an error, having changed nothing. */
struct conf_cmd {
	enum conf_node	 node;
	enum kw		 w1;
	enum kw		 w2;		/* KW_NONE: any second word */
	int		 flags;
	int		(*fn)(struct conf_parser *);
};

/* conf_cmd.c */
enum kw			 conf_kw(const char *);
const struct conf_cmd	*conf_cmd_find(enum conf_node, enum kw, enum kw,
			    int any_w2);

/* conf_parse.c: reports */
const char	*conf_vis(const char *, char *, size_t);
void		 conf_err(struct conf_parser *, const struct conf_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
void		 conf_warn(struct conf_parser *, const struct conf_tok *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
void		 conf_expected(struct conf_parser *, const struct conf_tok *,
		    const char *);

/* conf_parse.c: the words of the current line */
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
int	conf_tok_addr(struct conf_parser *, const struct conf_tok *,
	    const char *, struct tb_addr *);

/* conf_parse.c: checks, nodes and includes */
void		conf_check_reserved(struct conf_parser *,
		    const struct conf_tok *, const struct tb_addr *);
int		conf_is_local(struct conf_parser *, const struct tb_addr *);
enum conf_node	conf_parent(enum conf_node);
int		conf_include(struct conf_parser *, const struct conf_tok *);

#endif
