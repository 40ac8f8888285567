/*
 * pool: chunks of equal objects and a free list (see pool.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pool.h"

#define POOL_CHUNK	(64 * 1024)

struct pool_chunk {
	struct pool_chunk	*next;
	size_t			 used;		/* objects carved so far */
	/* objects follow, aligned as a max_align_t */
	_Alignas(max_align_t) unsigned char data[];
};

void
pool_init(struct pool *p, size_t objsize, const char *name)
{
	/* Pointer alignment is enough for our structures. */
	size_t	 align = sizeof(void *);

	memset(p, 0, sizeof(*p));
	p->name = name;
	if (objsize < sizeof(void *))
		objsize = sizeof(void *);
	p->objsize = (objsize + align - 1) & ~(align - 1);
	p->per_chunk = (POOL_CHUNK - sizeof(struct pool_chunk)) / p->objsize;
	if (p->per_chunk == 0)
		p->per_chunk = 1;
}

#ifdef TB_POOL_MALLOC

void *
pool_get(struct pool *p)
{
	void	*o;

	if ((o = calloc(1, p->objsize)) == NULL)
		fatal("pool %s", p->name);
	p->inuse++;
	return o;
}

void
pool_put(struct pool *p, void *o)
{
	if (o == NULL)
		return;
	p->inuse--;
	free(o);
}

void
pool_destroy(struct pool *p)
{
	p->inuse = 0;
}

size_t
pool_bytes(const struct pool *p)
{
	return p->inuse * p->objsize;
}

#else

static void
pool_grow(struct pool *p)
{
	struct pool_chunk	*c;

	c = malloc(sizeof(*c) + p->per_chunk * p->objsize);
	if (c == NULL)
		fatal("pool %s", p->name);
	c->used = 0;
	c->next = p->chunks;
	p->chunks = c;
	p->nchunks++;
}

void *
pool_get(struct pool *p)
{
	void	*o;

	if (p->free != NULL) {
		o = p->free;
		p->free = *(void **)o;
	} else {
		if (p->chunks == NULL || p->chunks->used == p->per_chunk)
			pool_grow(p);
		o = p->chunks->data + p->chunks->used++ * p->objsize;
	}
	memset(o, 0, p->objsize);
	p->inuse++;
	return o;
}

void
pool_put(struct pool *p, void *o)
{
	if (o == NULL)
		return;
	*(void **)o = p->free;
	p->free = o;
	p->inuse--;
}

void
pool_destroy(struct pool *p)
{
	struct pool_chunk	*c;

	while ((c = p->chunks) != NULL) {
		p->chunks = c->next;
		free(c);
	}
	p->free = NULL;
	p->nchunks = 0;
	p->inuse = 0;
}

size_t
pool_bytes(const struct pool *p)
{
	return p->nchunks * (sizeof(struct pool_chunk) +
	    p->per_chunk * p->objsize);
}

#endif
