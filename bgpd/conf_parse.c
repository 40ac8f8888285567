/*
 * conf_parse: the reader of tbgpd.conf, written in FRR 8's bgpd.conf
 * dialect: finding the statement of each line in the current node, the
 * checks that need the whole file (policy names that are never defined
 * among them), and conf_parse() itself.  The files, words, getters and
 * reports are conf_lex.c's; what each statement means is conf_stmt.c's
 * (with conf_nbr.c and conf_policy.c).
 *
 * The reader is line based, as FRR's is: a line is split into words, the
 * first one or two keywords (for "neighbor ADDR X" the third word) pick a
 * statement from conf_stmts[] for the current node (top level, router bgp,
 * address-family, route-map), and the statement's handler reads the rest
 * with the conf_get_*() helpers.  As in FRR, a statement the current node
 * does not know is tried in the parent node, which implicitly leaves the
 * child ("neighbor X remote-as" after "address-family" ends the address
 * family, "ip prefix-list" after "route-map" ends the route-map).
 *
 * Every problem is reported as "file:line:column: message" and parsing goes
 * on at the next line, so one run reports all of them (OpenBGPD's yyerror
 * habit).  A command with an error changes nothing.  Words FRR knows and
 * tbgpd does not implement yet are refused by name ("'bgp
 * graceful-restart' is not supported yet"), never skipped: a
 * half-understood routing configuration is worse than none.
 */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "policy.h"

/* "'set' is only valid inside 'route-map'" when it is so. */
static int
conf_elsewhere(struct conf_parser *p, const struct conf_tok *t1,
    const char *vis1, enum kw w1, enum kw w2, int any_w2)
{
	static const struct {
		enum conf_node	 node;
		const char	*name;
	} homes[] = {
		{ NODE_ROUTER, "router bgp" },
		{ NODE_AF4, "address-family" },
		{ NODE_RMAP, "route-map" },
	};
	enum conf_node	n;
	size_t		i;

	for (i = 0; i < sizeof(homes) / sizeof(homes[0]); i++) {
		for (n = p->node; n != NODE_NONE; n = conf_parent(n))
			if (n == homes[i].node)
				break;
		if (n != NODE_NONE ||
		    conf_stmt_find(homes[i].node, w1, w2, any_w2) == NULL)
			continue;
		conf_err(p, t1, "'%s' is only valid inside '%s'", vis1,
		    homes[i].name);
		return 1;
	}
	return 0;
}

/* Why no command matched: the most helpful of several messages. */
static void
conf_no_match(struct conf_parser *p, const struct conf_tok *t1,
    const struct conf_tok *t2, enum kw w1, enum kw w2)
{
	char		vis1[CONF_VIS_BUF], vis2[CONF_VIS_BUF];
	enum conf_node	n;

	conf_vis(t1->s, vis1, sizeof(vis1));
	/* A command of another node, spelled exactly ("set metric 5"). */
	if (conf_elsewhere(p, t1, vis1, w1, w2, 0))
		return;
	for (n = p->node; n != NODE_NONE; n = conf_parent(n))
		if (conf_stmt_find(n, w1, w2, 1) != NULL)
			break;
	if (n == NODE_NONE) {
		if (!conf_elsewhere(p, t1, vis1, w1, w2, 1))
			conf_err(p, t1, "unknown command '%s'", vis1);
		return;
	}
	if (t2 == NULL) {
		conf_err(p, NULL, "incomplete command '%s'", vis1);
		return;
	}
	conf_vis(t2->s, vis2, sizeof(vis2));
	if (w2 == KW_LATER)
		conf_err(p, t2, "'%s %s' is not supported yet", vis1, vis2);
	else
		conf_err(p, t2, "unknown command '%s%s %s'", vis1,
		    w1 == KW_NEIGHBOR ? " ..." : "", vis2);
}

/* Finds the command of the line, leaving child nodes as FRR does. */
static const struct conf_stmt *
conf_match(struct conf_parser *p)
{
	const struct conf_tok	*t1 = &p->tok[p->base], *t2;
	const struct conf_stmt	*c;
	enum conf_node		 n;
	enum kw			 w1, w2;
	int			 i2;

	w1 = conf_kw(t1->s);
	if (w1 == KW_LATER) {
		conf_err(p, t1, "'%s' is not supported yet", t1->s);
		return NULL;
	}
	i2 = p->base + (w1 == KW_NEIGHBOR ? 2 : 1);
	t2 = i2 < p->ntok ? &p->tok[i2] : NULL;
	w2 = t2 != NULL ? conf_kw(t2->s) : KW_NONE;
	for (n = p->node; n != NODE_NONE; n = conf_parent(n)) {
		if ((c = conf_stmt_find(n, w1, w2, 0)) == NULL)
			continue;
		if (c->w2 != KW_NONE && t2 == NULL)
			break;
		p->node = n;
		p->cur = c->w2 != KW_NONE ? i2 + 1 : p->base + 1;
		return c;
	}
	if (w1 == KW_NEIGHBOR && p->ntok == p->base + 2 &&
	    addr_parse(p->tok[p->base + 1].s, &(struct tb_addr){ 0 }) == -1) {
		conf_expected(p, &p->tok[p->base + 1], NEIGHBOR_ADDR);
		return NULL;
	}
	conf_no_match(p, t1, t2, w1, w2);
	return NULL;
}


static void
conf_line(struct conf_parser *p)
{
	const struct conf_stmt	*c;

	conf_split(p);
	if (p->ntok == 0)
		return;
	p->negate = conf_kw(p->tok[0].s) == KW_NO;
	p->base = p->negate;
	if (p->negate && p->ntok == 1) {
		conf_expected(p, NULL, "a command after 'no'");
		return;
	}
	if ((c = conf_match(p)) == NULL)
		return;
	if (p->negate && !(c->flags & STMT_NO)) {
		conf_err(p, &p->tok[0], "'no %s%s%s' is not supported: leave "
		    "the setting out instead", p->tok[1].s,
		    c->flags & STMT_NEIGHBOR ? " ... " : c->w2 != KW_NONE ?
		    " " : "", c->w2 != KW_NONE ? p->tok[p->cur - 1].s : "");
		return;
	}
	c->fn(p);
}


static void
conf_read(struct conf_parser *p)
{
	int	r;

	while (!p->stop && (r = conf_getline(p)) != 0)
		if (r == 1)
			conf_line(p);
	if (ferror(p->src->fp))
		conf_err_at(p, p->src->name, p->src->lineno + 1, 1,
		    "read error: %s", strerror(errno));
}

/*
 * policy.h: a name that refers to nothing denies everything.  Said once
 * per place it is used, since each such place blocks routes.
 */
static void
conf_check_refs(struct conf_parser *p)
{
	const struct conf_ref	*r;
	size_t			 i;
	int			 found;

	for (i = 0; i < p->nrefs; i++) {
		r = &p->refs[i];
		if (r->field == NULL)
			continue;
		found = r->plist_af != 0 ?
		    policy_plist_find(p->conf->policy, r->plist_af,
		    r->name) != NULL :
		    policy_rmap_find(p->conf->policy, r->name) != NULL;
		if (found)
			continue;
		conf_warn_at(p, r->file, r->line, r->col, "%s %s is not "
		    "defined: %s", r->plist_af == 0 ? "route-map" :
		    r->plist_af == AF_INET ? "ip prefix-list" :
		    "ipv6 prefix-list", r->name, r->what);
	}
}

/* policy_undefined() callback: a list named in a route-map clause. */
static void
conf_undefined(const char *kind, const char *name, void *arg)
{
	struct conf_parser	*p = arg;
	const struct conf_ref	*r;
	size_t			 i;

	for (i = 0; i < p->nrefs; i++) {
		r = &p->refs[i];
		if (r->field != NULL || strcmp(r->name, name) != 0)
			continue;
		conf_warn_at(p, r->file, r->line, r->col, "%s %s is not "
		    "defined: %s", kind, name, r->what);
		return;
	}
	conf_warn_at(p, p->router_file != NULL ? p->router_file : "-", 1, 1,
	    "%s %s is used in a route-map but not defined", kind, name);
}

/* Checks that need the whole configuration. */
static void
conf_check(struct conf_parser *p, const char *path)
{
	struct peer_config	*pc;

	/* Static routes alone make a static-tunnel daemon. */
	if (!p->router_seen && TAILQ_EMPTY(&p->conf->statics)) {
		conf_err_at(p, path, 1, 1, "no 'router bgp ASN' and no static "
		    "route in the configuration: nothing to do");
		return;
	}
	/* Legal, but such a session would carry nothing. */
	TAILQ_FOREACH(pc, &p->conf->peers, entry)
		if (pc->af_active == 0)
			conf_warn_at(p, pc->file, pc->line, 1, "neighbor %s is "
			    "active in no address family",
			    addr_str(&pc->remote));
	conf_check_refs(p);
	policy_undefined(p->conf->policy, conf_undefined, p);
}

int
conf_parse(const char *path, struct bgpd_config **out, FILE *errf)
{
	struct conf_parser	*p;
	struct conf_src		 top;
	int			 nerr;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->conf = conf_new()) == NULL) {
		fprintf(errf, "%s: out of memory\n", path);
		free(p);
		return 1;
	}
	p->errf = errf;
	memset(&top, 0, sizeof(top));
	if (conf_open(p, &top, path, NULL) == 0) {
		top.name = conf_intern(path);
		p->src = &top;
		p->read = conf_read;
		conf_read(p);
		fclose(top.fp);
		conf_check(p, top.name);
	}
	if (p->ifa != NULL)
		freeifaddrs(p->ifa);
	free(p->refs);
	nerr = p->nerrors;
	if (nerr == 0)
		*out = p->conf;
	else
		conf_free(p->conf);
	free(p);
	return nerr;
}

