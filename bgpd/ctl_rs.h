/*
 * ctl_rs: the routes as the route commands show them (ctl_rs.c): each
 * path is first turned into a plain result (struct rs_row, struct
 * rs_detail: every value a renderer prints, worked out once), then handed
 * to the text renderer (FRR's vtysh layout) or the JSON one (FRR's keys,
 * plus "lostTo" / "lostReason" on the paths that are not best) through
 * struct rs_fmt.  The commands that walk the tables are ctl_route.c.
 */
#ifndef TB_CTL_RS_H
#define TB_CTL_RS_H

#include <net/if.h>
#include <stdint.h>

#include "addr.h"
#include "attr.h"
#include "buf.h"
#include "fib.h"
#include "json.h"
#include "rib.h"

struct show_req;

#define RS_NET_MAX	(ADDR_STRLEN + 4)	/* "addr/len" */
#define RS_WHY_MAX	160
#define RS_SCRATCH	(1024 * 1024)		/* one path's text */

/* --------------------------------------------------------------- results */

/* Who we are, above every table. */
struct rs_head {
	int		 aid;
	uint32_t	 router_id;
	uint32_t	 local_as;
	uint64_t	 version;	/* rib_version(): the table version */
	const char	*list_key;	/* JSON: "routes", "receivedRoutes"... */
};

/* One path as a table row shows it. */
struct rs_row {
	char		 network[RS_NET_MAX];	/* "10.0.0.0/24" */
	char		 addr[ADDR_STRLEN];	/* "10.0.0.0" */
	uint8_t		 plen;
	int		 first;		/* the first path shown of its prefix */
	int		 valid;		/* eligible: accepted, next hop usable */
	int		 nh_unreach;	/* next hop not resolvable (nexthop.c) */
	int		 stale;		/* graceful restart (rde_gr.c) */
	int		 best;
	int		 multipath;
	int		 local;		/* locally originated */
	int		 v6;
	int		 has_med, has_lp;
	uint32_t	 med, lp, weight;
	uint8_t		 origin;
	char		 nexthop[ADDR_STRLEN];
	char		 nexthop_ll[ADDR_STRLEN];	/* "": none */
	char		 peer[ADDR_STRLEN];	/* "(unspec)" when local */
	const char	*path;		/* AS path as FRR prints it */
	const char	*reason;	/* the best's selection reason, or NULL */
};

/* One path of one prefix, in full. */
struct rs_detail {
	struct rs_row		 r;
	const struct aspath	*aspath;
	const char		*comm;		/* NULL: none */
	const char		*ecomm;
	const char		*lcomm;
	char			 from[ADDR_STRLEN];
	uint32_t		 router_id;	/* the neighbor's; ours if local */
	long long		 updated;	/* wall clock, seconds */
	int			 lost;		/* not best, lost_* explain why */
	char			 lost_to[ADDR_STRLEN];
	char			 lost_why[RS_WHY_MAX];
};

/* One prefix, above its paths.  A VPN host has a handful of tunnels:
 * past RS_ADV_MAX neighbors the list of those it goes to is cut. */
#define RS_ADV_MAX	16
struct rs_entry {
	char		 network[RS_NET_MAX];
	int		 npaths;
	int		 best;		/* 1-based, 0: none */
	int		 nadv;		/* neighbors it is advertised to */
	char		 adv[RS_ADV_MAX][ADDR_STRLEN];
};

/* Whether and how a prefix is in the kernel, or why not. */
struct rs_kernel {
	const char	*status;	/* installed, pending, failed, ... */
	const char	*why;		/* the reason, "" if none */
	int		 installed;
	int		 fib;		/* routes go to the kernel */
	uint32_t	 table, metric, fails;
	size_t		 nnh;
	char		 nh[FIB_MAXNH][ADDR_STRLEN];
	char		 ifname[FIB_MAXNH][IF_NAMESIZE];
};

struct rs_ctx;

struct rs_fmt {
	void	(*head)(struct rs_ctx *);
	void	(*row)(struct rs_ctx *, const struct rs_row *);
	void	(*tail)(struct rs_ctx *);
	void	(*adj_row)(struct rs_ctx *, const struct rs_row *);
	void	(*adj_tail)(struct rs_ctx *);
	void	(*entry)(struct rs_ctx *, const struct rs_entry *);
	void	(*path)(struct rs_ctx *, const struct rs_detail *);
	void	(*entry_end)(struct rs_ctx *, const struct rs_kernel *);
	void	(*fail)(struct rs_ctx *, const char *why);
};

struct rs_ctx {
	const struct rs_fmt	*f;
	struct buf		*b;
	struct json		 j;
	struct rs_head		 head;
	int			 headed;	/* text: header printed */
	int			 open;		/* JSON: a path array is open */
	int			 json;		/* f is the JSON renderer */
	struct rib		*rib;
	struct buf		 s_path, s_comm, s_ecomm, s_lcomm;
	size_t			 routes;	/* prefixes shown */
	size_t			 paths;		/* paths shown */
	size_t			 filtered;	/* received, denied by policy */
};


/* A context for one answer: the renderer (text or JSON), the RIB of
 * show_rde(), who we are; rs_end() finishes the answer and returns the
 * status for the handler to return, rs_fail() says why first. */
void	 rs_begin(struct rs_ctx *, const struct show_req *, int json, int aid);
int	 rs_end(struct rs_ctx *, int status);
int	 rs_fail(struct rs_ctx *, const char *why);

/* The fill: a row's prefix, a row for one path with attributes a (as
 * accepted or as received), a path in full; rs_shown(): the Loc-RIB has
 * one accepted path of the entry at least. */
void	 rs_row_prefix(struct rs_row *, const struct rib_entry *);
void	 rs_row_attr(struct rs_ctx *, struct rs_row *, const struct attr *,
	    int aid);
void	 rs_row_fill(struct rs_ctx *, struct rs_row *, const struct rib_entry *,
	    const struct rib_path *, const struct attr *);
void	 rs_detail_fill(struct rs_ctx *, struct rs_detail *,
	    const struct rib_entry *, const struct rib_path *,
	    const struct rib_path *best, uint32_t our_id);
int	 rs_shown(const struct rib_entry *);

#endif
