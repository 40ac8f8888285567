/*
 * conf_obs: the statements of the observers, which watch the daemon
 * without steering it: the Prometheus endpoint (metrics listen), and
 * their part of the configuration's life (defaults, printing, freeing,
 * what a reload changes).
 *
 *	metrics listen ADDRESS port PORT
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

void
conf_obs_init(struct bgpd_config *c)
{
	TAILQ_INIT(&c->metrics);
}

void
conf_obs_free(struct bgpd_config *c)
{
	struct metrics_listen	*m;

	while ((m = TAILQ_FIRST(&c->metrics)) != NULL) {
		TAILQ_REMOVE(&c->metrics, m, entry);
		free(m);
	}
}

/* Top-level statements, after logging. */
void
conf_obs_print(FILE *f, const struct bgpd_config *c)
{
	const struct metrics_listen	*m;

	TAILQ_FOREACH(m, &c->metrics, entry)
		fprintf(f, "metrics listen %s port %u\n", addr_str(&m->addr),
		    m->port);
	if (!TAILQ_EMPTY(&c->metrics))
		fprintf(f, "!\n");
}

/* Did anything of the observers change?  (Applied by a reload.) */
int
conf_obs_differs(const struct bgpd_config *o, const struct bgpd_config *n)
{
	const struct metrics_listen	*a, *b;

	a = TAILQ_FIRST(&o->metrics);
	b = TAILQ_FIRST(&n->metrics);
	for (; a != NULL && b != NULL; a = TAILQ_NEXT(a, entry),
	    b = TAILQ_NEXT(b, entry))
		if (addr_cmp(&a->addr, &b->addr) != 0 || a->port != b->port)
			return 1;
	return a != NULL || b != NULL;
}

/* metrics listen ADDRESS port PORT */
int
stmt_metrics_listen(struct conf_parser *p)
{
	const struct conf_tok	*t;
	struct metrics_listen	*m, *o;
	struct tb_addr		 a;
	uint32_t		 port;
	int			 n = 0;

	if ((t = conf_get_word(p, "an address (A.B.C.D or X:X::X:X)")) ==
	    NULL || conf_tok_addr(p, t, "an address (A.B.C.D or X:X::X:X)",
	    &a) == -1 || conf_get_kw(p, KW_PORT, "port") == -1 ||
	    conf_get_num(p, "a port", 1, 65535, &port) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	TAILQ_FOREACH(o, &p->conf->metrics, entry) {
		if (addr_cmp(&o->addr, &a) == 0 && o->port == port) {
			conf_err(p, t, "metrics listen %s port %u is given "
			    "twice", addr_str(&a), port);
			return -1;
		}
		n++;
	}
	if (n >= METRICS_LISTEN_MAX) {
		conf_err(p, t, "more than %d metrics listen statements",
		    METRICS_LISTEN_MAX);
		return -1;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		conf_err(p, t, "out of memory");
		return -1;
	}
	m->addr = a;
	m->port = (uint16_t)port;
	TAILQ_INSERT_TAIL(&p->conf->metrics, m, entry);
	return 0;
}
