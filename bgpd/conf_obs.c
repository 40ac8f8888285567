/*
 * conf_obs: the statements of the observers, which watch the daemon
 * without steering it: the Prometheus endpoint (metrics listen), and
 * their part of the configuration's life (defaults, printing, freeing,
 * what a reload changes).
 *
 *	metrics listen ADDRESS port PORT
 *	[no] dump bgp all|all-et|updates|updates-et|routes-mrt PATH [INTERVAL]
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

static const char *
conf_dump_name(int kind, int et)
{
	switch (kind) {
	case MRT_DUMP_ALL:
		return et ? "all-et" : "all";
	case MRT_DUMP_UPDATES:
		return et ? "updates-et" : "updates";
	default:
		return "routes-mrt";
	}
}

/* Top-level statements, after logging. */
void
conf_obs_print(FILE *f, const struct bgpd_config *c)
{
	const struct metrics_listen	*m;
	const struct mrt_dump_config	*d;
	int				 k, any = 0;

	TAILQ_FOREACH(m, &c->metrics, entry)
		fprintf(f, "metrics listen %s port %u\n", addr_str(&m->addr),
		    m->port);
	for (k = 0; k < MRT_DUMP_KINDS; k++) {
		d = &c->dumps[k];
		if (d->path[0] == '\0')
			continue;
		any = 1;
		fprintf(f, "dump bgp %s %s", conf_dump_name(k, d->et),
		    d->path);
		if (d->interval > 0)
			fprintf(f, " %u", d->interval);
		fprintf(f, "\n");
	}
	if (!TAILQ_EMPTY(&c->metrics) || any)
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
	if (a != NULL || b != NULL)
		return 1;
	return memcmp(o->dumps, n->dumps, sizeof(o->dumps)) != 0;
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

/*
 * An interval as FRR reads it: seconds, or hours and minutes with h and
 * m, the digits after them seconds ("1h30m", "04h20m00", "90").  An s
 * may end the seconds.  0 on error.
 */
uint32_t
conf_dump_interval(const char *s)
{
	uint64_t	 total = 0, n = 0;
	int		 seen_h = 0, seen_m = 0, digits = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			n = n * 10 + (uint64_t)(*s - '0');
			digits = 1;
			if (n > UINT32_MAX)
				return 0;
		} else if ((*s == 'h' || *s == 'H') && digits && !seen_h &&
		    !seen_m) {
			total += n * 3600;
			n = 0;
			seen_h = 1;
			digits = 0;
		} else if ((*s == 'm' || *s == 'M') && digits && !seen_m) {
			total += n * 60;
			n = 0;
			seen_m = 1;
			digits = 0;
		} else if ((*s == 's' || *s == 'S') && digits && s[1] == '\0')
			break;
		else
			return 0;
	}
	total += n;
	return total > 0 && total <= UINT32_MAX ? (uint32_t)total : 0;
}

static int
conf_dump_kind(struct conf_parser *p, const struct conf_tok *t, int *et)
{
	static const struct {
		const char	*name;
		int		 kind, et;
	} kinds[] = {
		{ "all", MRT_DUMP_ALL, 0 }, { "all-et", MRT_DUMP_ALL, 1 },
		{ "updates", MRT_DUMP_UPDATES, 0 },
		{ "updates-et", MRT_DUMP_UPDATES, 1 },
		{ "routes-mrt", MRT_DUMP_ROUTES, 0 },
	};
	size_t	 i;

	for (i = 0; t != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(t->s, kinds[i].name) == 0) {
			*et = kinds[i].et;
			return kinds[i].kind;
		}
	conf_expected(p, t, "'all', 'all-et', 'updates', 'updates-et' or "
	    "'routes-mrt'");
	return -1;
}

/* [no] dump bgp KIND PATH [INTERVAL] */
int
stmt_dump_bgp(struct conf_parser *p)
{
	struct mrt_dump_config	 d;
	const struct conf_tok	*t, *tp;
	int			 kind, et;

	memset(&d, 0, sizeof(d));
	if ((kind = conf_dump_kind(p, conf_next(p), &et)) == -1)
		return -1;
	if (p->negate) {
		/* FRR: the path and interval may follow; they are ignored. */
		while (conf_next(p) != NULL)
			;
		memset(&p->conf->dumps[kind], 0, sizeof(p->conf->dumps[kind]));
		return 0;
	}
	if ((tp = conf_get_word(p, "a file name")) == NULL)
		return -1;
	if (tp->s[0] != '/' || strlen(tp->s) >= sizeof(d.path)) {
		conf_err(p, tp, "the dump file must be an absolute path of at "
		    "most %zu bytes", sizeof(d.path) - 1);
		return -1;
	}
	if ((t = conf_peek(p)) != NULL) {
		(void)conf_next(p);
		if ((d.interval = conf_dump_interval(t->s)) == 0) {
			conf_expected(p, t, "an interval (seconds, or as "
			    "1h30m)");
			return -1;
		}
	}
	if (conf_get_eol(p) == -1)
		return -1;
	strlcpy(d.path, tp->s, sizeof(d.path));
	d.et = et;
	p->conf->dumps[kind] = d;
	return 0;
}
