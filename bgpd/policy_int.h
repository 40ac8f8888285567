/*
 * policy_int.h: declarations private to the policy module; only policy.c
 * and policy_rmap.c include this file (the public interface is policy.h).
 *
 * Holds the types of the database (the lists, the route-maps and the
 * sorted arrays of their entries) and the helpers policy.c defines for
 * policy_rmap.c: clause parsing, sequence arrays, list look-ups.
 */
#ifndef TBGPD_POLICY_INT_H
#define TBGPD_POLICY_INT_H

#include <sys/types.h>

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

/* --- entries sorted by sequence number --- */

struct seqarr {
	void	*v;
	size_t	 n;
	size_t	 cap;
	size_t	 esz;
};

struct plist_entry {
	uint32_t		 seq;
	int			 permit;
	struct tb_prefix	 p;
	uint8_t			 ge;		/* 0: not given */
	uint8_t			 le;		/* 0: not given */
};

struct prefix_list {
	struct prefix_list	*next;
	int			 af;
	char			 name[POLICY_NAME_MAX + 1];
	struct seqarr		 ents;
};

struct aspath_entry {
	uint32_t	 seq;
	int		 permit;
	char		*text;		/* the regex as written */
	regex_t		 re;
};

struct aspath_list {
	struct aspath_list	*next;
	char			 name[POLICY_NAME_MAX + 1];
	struct seqarr		 ents;
};

struct comm_entry {
	uint32_t	 seq;
	int		 permit;
	int		 any;		/* standard with "internet": all routes */
	char		*text;		/* as written (normalised) */
	regex_t		 re;		/* expanded */
	uint8_t		*vals;		/* standard: sorted values, wire order */
	size_t		 n;
};

struct comm_list {
	struct comm_list	*next;
	char			 name[POLICY_NAME_MAX + 1];
	int			 large;
	int			 expanded;	/* one style per list (FRR) */
	struct seqarr		 ents;
};

struct rmap_match_c {
	enum rmap_match	 kind;
	char		 name[POLICY_NAME_MAX + 1];	/* list kinds */
	int		 exact;
	uint32_t	 num;
	struct tb_addr	 addr;
	char		*text;		/* as printed after the keywords */
};

struct rmap_set_c {
	enum rmap_set	 kind;
	char		*text;		/* as printed after the keywords */
	char		 op;		/* metric: '+', '-' or 0 */
	uint32_t	 num;		/* value, or last-as count */
	int		 lastas;
	int		 additive;
	int		 none;
	int		 peer;		/* next-hop peer-address */
	uint32_t	*asns;		/* prepend, in the order written */
	size_t		 nasn;
	uint8_t		*vals;		/* communities, sorted, wire order */
	size_t		 n;
	struct tb_addr	 addr;
	char		 name[POLICY_NAME_MAX + 1];	/* comm-list */
};

enum rmap_exit {
	RMAP_EXIT,
	RMAP_NEXT,
	RMAP_GOTO,
};

struct rmap_entry {
	uint32_t		 seq;
	int			 permit;
	struct rmap_match_c	*m;
	size_t			 nm;
	struct rmap_set_c	*s;
	size_t			 ns;
	enum rmap_exit		 exit;
	uint32_t		 goto_seq;
	int			 is_continue;	/* written as continue */
};

struct route_map {
	struct route_map	*next;
	char			 name[POLICY_NAME_MAX + 1];
	struct seqarr		 ents;
};

struct policy_db {
	struct prefix_list	*plists;
	struct aspath_list	*aspaths;
	struct comm_list	*clists;
	struct route_map	*rmaps;
	struct route_map	*cur;		/* route-map entry last opened */
	uint32_t		 cur_seq;
};

/* The words of a clause, split on white space into one allocation. */
struct words {
	char	*buf;
	char	*w[64];
	size_t	 n;
};

/* Small helpers (policy.c). */
int	 perr(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	*xcalloc(size_t, size_t);
char	*xstrdup(const char *);
int	 parse_u32(const char *, uint32_t *);
int	 name_check(const char *, char *err, size_t errlen);
int	 words_split(const char *, struct words *, char *err, size_t errlen);
char	*words_join(const struct words *, size_t from);

/* Sequence arrays (policy.c). */
void	 seqarr_init(struct seqarr *, size_t esz);
void	*seqarr_at(const struct seqarr *, size_t);
size_t	 seqarr_find(const struct seqarr *, uint32_t seq);
void	*seqarr_slot(struct seqarr *, uint32_t seq, int *existed);

/* The lists route-map clauses name (policy.c). */
const struct aspath_list *aspath_list_find(const struct policy_db *,
			    const char *);
enum policy_verdict aspath_list_apply(const struct aspath_list *,
			    const struct aspath *);
const char	*text_of(struct buf *, const struct aspath *,
		    const struct comms *);
const struct comm_list *comm_list_find(const struct policy_db *, int large,
			    const char *);
int	 comm_words_parse(const struct words *, size_t from, uint8_t unit,
	    uint8_t **vals, size_t *n, int *internet, int *additive,
	    char *err, size_t errlen);
int	 comm_list_match(const struct comm_list *, const struct comms *,
	    int exact);

/* Route-map entries, freed with the database (policy.c). */
void	 rmap_set_free(struct rmap_set_c *);
void	 rmap_entry_free(struct rmap_entry *);

#endif /* TBGPD_POLICY_INT_H */
