/*
 * pool: fixed-size object allocator for the RIB's many small objects
 * (prefix entries, paths, Adj-RIB-Out records).  Objects come from 64 KiB
 * chunks and go back to a free list, so a route costs its own size and no
 * malloc header.  Built with sanitizers (TB_POOL_MALLOC), every object is
 * its own malloc so ASan still sees use-after-free and leaks.
 */
#ifndef TB_POOL_H
#define TB_POOL_H

#include <stddef.h>

struct pool_chunk;

struct pool {
	const char		*name;
	size_t			 objsize;
	size_t			 per_chunk;
	void			*free;		/* singly linked free objects */
	struct pool_chunk	*chunks;
	size_t			 nchunks;
	size_t			 inuse;		/* objects handed out */
};

void	 pool_init(struct pool *, size_t objsize, const char *name);
/* Zeroed memory; fatal on exhaustion (as every allocation here). */
void	*pool_get(struct pool *);
void	 pool_put(struct pool *, void *);
/* Frees every chunk; objects still in use are lost (tests check inuse). */
void	 pool_destroy(struct pool *);
/* Bytes held from the system, for show bgp memory. */
size_t	 pool_bytes(const struct pool *);

#endif
