/*
 * rib_int.h: what rib.c (tables, paths, queue) shares with rib_decide.c
 * (the decision process) and nothing else includes.
 */
#ifndef TB_RIB_INT_H
#define TB_RIB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "rib.h"

#define RIB_CANON_MAX	32	/* paths re-sorted from canonical order */

struct rib_table {
	uintptr_t	*slots;		/* entry | tag (hash bits), 0: empty */
	size_t		 cap;
	size_t		 count;
	size_t		 alen;		/* address octets: 4 or 16 */
	struct pool	 pool;		/* entries */
	uint64_t	 probes;	/* see struct rib_stats */
	uint64_t	 rebuilds;
};

struct rib_queue {
	struct rib_entry **v;
	size_t		 n;
	size_t		 cap;
};

struct rib {
	struct rib_opts	 opts;
	struct rib_table tab[AID_MAX];
	struct pool	 paths;
	struct pool	 paths_sr;
	struct rib_queue queue;
	struct rib_queue spare;		/* the array being drained */
	uint64_t	 seed;		/* hash seed: peers choose prefixes */
	int		 walking;	/* rib_walk: defer frees, growth */
	int		 frozen;	/* slots being walked: no resize */
	int		 draining;	/* no shrinking until the end */
	uint64_t	 version;	/* Loc-RIB changes, see rib_version() */
	rib_resolve_fn	 resolve;	/* next hops: NULL, all usable */
	void		*resolve_arg;
};

/* The resolver's answer for p, in p's flags (PATH_NH_UNREACH, PATH_HELD). */
void	 rib_path_resolve(const struct rib *, struct rib_path *);
int	 rib_eligible(const struct rib_path *);
/* Take p out of the entry's list; put it back where it sorts. */
void	 rib_unlink(struct rib_entry *, struct rib_path *);
void	 rib_place(const struct rib *, struct rib_entry *, struct rib_path *);
/* Sort an entry with many paths again from the canonical order. */
void	 rib_resort(const struct rib *, struct rib_entry *);
/* Mark the best and the multipath set; 1 when the Loc-RIB changed. */
int	 rib_select(const struct rib *, struct rib_entry *);

#endif
