/*
 * rtsel: which of tbgpd's own routes for a prefix goes into the kernel.
 *
 * Static routes and BGP compete for a prefix by administrative distance,
 * as in FRR's zebra: the candidate with the lowest distance is handed to
 * the FIB engine, a static one on a tie (static 1 and eBGP 20 by default;
 * `distance bgp`, a static route's own DISTANCE, so that `ip route X Y
 * 250` is a floating backup under BGP).  Each source gives at most one
 * candidate per prefix, already reduced by its own rules: BGP the
 * Loc-RIB's best path with its multipath set, the static routes those
 * of the lowest usable distance with their equal-distance next hops.
 *
 * A prefix without a static route passes straight through: the BGP
 * route is handed to the output as it comes and nothing is kept here,
 * so a full table costs one failed lookup per change.  When a static
 * route appears for a prefix, the route the output already has for it
 * (which can only be BGP's) is read back with ops.current and kept as
 * the BGP candidate; when the static route goes, the BGP candidate is
 * handed back and the entry freed.
 *
 * The engine has no socket and no clock: kernel.c feeds it and gives it
 * the FIB engine as its output; the unit tests give it their own.
 */
#ifndef TB_RTSEL_H
#define TB_RTSEL_H

#include <stdint.h>

#include "addr.h"
#include "fib.h"

enum rtsel_src {
	RTSEL_STATIC = 0,	/* wins a tie */
	RTSEL_BGP,
	RTSEL_NSRC
};

#define RTSEL_DIST_STATIC	1	/* FRR's defaults */
#define RTSEL_DIST_EBGP		20

struct rtsel_ops {
	/* Put r (NULL: nothing) into the kernel for p. */
	int	(*install)(const struct tb_prefix *p, const struct fib_route *r,
		    void *arg);
	/* What the output wants for p now: 0 and *r filled, or -1. */
	int	(*current)(const struct tb_prefix *p, struct fib_route *r,
		    void *arg);
	void	*arg;
};

struct rtsel;

struct rtsel	*rtsel_new(const struct rtsel_ops *);
void		 rtsel_free(struct rtsel *);

/*
 * The source's candidate for p: r with distance (0: the source's
 * default distance, which follows rtsel_set_distance), or none (r NULL,
 * or a unicast route without next hops).  0, or -1 with errno (EINVAL,
 * ENOMEM; then nothing changed).
 */
int		 rtsel_set(struct rtsel *, enum rtsel_src,
		    const struct tb_prefix *p, const struct fib_route *r,
		    uint8_t distance);
/* The default distance of a source (BGP: `distance bgp`); every entry
 * is decided again. */
void		 rtsel_set_distance(struct rtsel *, enum rtsel_src, uint8_t);
uint8_t		 rtsel_distance(const struct rtsel *, enum rtsel_src);

/* One prefix with a static route, for show and origination. */
struct rtsel_info {
	struct tb_prefix prefix;
	int		 has[RTSEL_NSRC];
	uint8_t		 distance[RTSEL_NSRC];
	const struct fib_route *route[RTSEL_NSRC];	/* NULL: none */
	int		 selected;	/* enum rtsel_src, -1: none */
};
/* 0 and *info (valid until the next change), or -1: no static route for
 * p here (BGP's, if any, passes straight through). */
int		 rtsel_get(const struct rtsel *, const struct tb_prefix *,
		    struct rtsel_info *);
/* Every prefix that has an entry, in address order; fn must not change
 * the table. */
void		 rtsel_walk(const struct rtsel *,
		    void (*fn)(const struct rtsel_info *, void *), void *);
size_t		 rtsel_count(const struct rtsel *);

/*
 * fn(arg) after a change of a static candidate or of a selection, once
 * the change is complete.  A change fn makes itself (the RDE
 * redistributes static routes, which changes its BGP candidates) is not
 * reported inside fn: fn runs again afterwards instead.
 */
void		 rtsel_set_notify(struct rtsel *, void (*fn)(void *),
		    void *arg);

#endif
