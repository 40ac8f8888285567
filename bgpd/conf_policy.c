/*
 * conf_policy: the policy statements of the configuration language:
 * prefix lists, AS-path access lists, community lists (standard,
 * expanded, large) and the route-map node with its match, set, on-match
 * and continue clauses.  Each stmt_*() handler here is listed in
 * conf_stmts[] (conf_stmt.c) and declared in conf_int.h.
 *
 * The statements are checked word by word here, then handed as text to
 * the policy_*() builders of policy.c and policy_rmap.c, which own their
 * meaning; their refusals are reported at the word they quote.  Names of
 * lists a route-map clause uses are recorded for the warnings about
 * names never defined.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "policy.h"


/* ---- policy: lists and route-maps, built by policy.h ---- */

#define CONF_ERRBUF	256

static const struct conf_value conf_origins[] = {
	{ "igp", 0 }, { "egp", 1 }, { "incomplete", 2 },
	{ NULL, 0 }
};

/*
 * policy_*() said no: its message, at the word it quotes ("malformed
 * community 'x'") if that is on the line from t on, else at t.
 */
static int
conf_policy_rc(struct conf_parser *p, const struct conf_tok *t, int rc,
    const char *err)
{
	char	quoted[CONF_LINE_MAX + 3];
	int	i;

	if (rc == 0)
		return 0;
	for (i = t != NULL ? t - p->tok : p->ntok; i < p->ntok; i++) {
		snprintf(quoted, sizeof(quoted), "'%s'", p->tok[i].s);
		if (strstr(err, quoted) != NULL) {
			t = &p->tok[i];
			break;
		}
	}
	conf_err(p, t, "%s", err[0] != '\0' ? err : "refused by the policy "
	    "module");
	return -1;
}

static int
conf_get_action(struct conf_parser *p, int *permit)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (k != KW_PERMIT && k != KW_DENY) {
		conf_expected(p, t, "'permit' or 'deny'");
		return -1;
	}
	*permit = k == KW_PERMIT;
	return 0;
}

/* "[seq N]"; 0 when absent, which policy.h reads as "last + 5". */
static int
conf_get_seq(struct conf_parser *p, uint32_t *seq)
{
	const struct conf_tok	*t = conf_peek(p);

	*seq = 0;
	if (t == NULL || conf_kw(t->s) != KW_SEQ)
		return 0;
	p->cur++;
	return conf_get_num(p, "a sequence number", 1, UINT32_MAX, seq);
}

/* "NAME [seq N] permit|deny", common to every list. */
static const struct conf_tok *
conf_list_head(struct conf_parser *p, const char *what, char *name,
    uint32_t *seq, int *permit)
{
	const struct conf_tok	*t;

	if ((t = conf_get_name(p, what, name, POLICY_REF_MAX)) == NULL ||
	    conf_get_seq(p, seq) == -1 || conf_get_action(p, permit) == -1)
		return NULL;
	return t;
}

/* "[ge N] [le N]": FRR wants len < ge <= le <= the address length. */
static int
conf_get_range(struct conf_parser *p, const struct tb_prefix *pfx,
    uint8_t *ge, uint8_t *le)
{
	const struct conf_tok	*first = conf_peek(p), *t;
	uint32_t		 max = pfx->addr.af == AF_INET ? 32 : 128, v;

	*ge = *le = 0;
	if ((t = conf_peek(p)) != NULL && conf_kw(t->s) == KW_GE) {
		p->cur++;
		if (conf_get_num(p, "a prefix length", 1, max, &v) == -1)
			return -1;
		*ge = v;
	}
	if ((t = conf_peek(p)) != NULL && conf_kw(t->s) == KW_LE) {
		p->cur++;
		if (conf_get_num(p, "a prefix length", 1, max, &v) == -1)
			return -1;
		*le = v;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	if ((*ge != 0 && *ge <= pfx->len) || (*le != 0 && *le <= pfx->len) ||
	    (*ge != 0 && *le != 0 && *ge > *le)) {
		conf_err(p, first, "invalid range for %s: it must be %u < ge "
		    "<= le <= %u", prefix_str(pfx), pfx->len, max);
		return -1;
	}
	return 0;
}

/* ip|ipv6 prefix-list NAME [seq N] permit|deny PREFIX|any [ge N] [le N] */
static int
conf_prefix_list(struct conf_parser *p, int af)
{
	const struct conf_tok	*tn, *t;
	struct tb_prefix	 pfx;
	char			 name[POLICY_REF_MAX], err[CONF_ERRBUF] = "";
	uint32_t		 seq;
	uint8_t			 ge, le;
	int			 permit;

	if ((tn = conf_list_head(p, "a prefix-list name", name, &seq,
	    &permit)) == NULL)
		return -1;
	if ((t = conf_peek(p)) != NULL && conf_kw(t->s) == KW_ANY) {
		p->cur++;
		if (conf_get_eol(p) == -1)
			return -1;
		memset(&pfx, 0, sizeof(pfx));
		pfx.addr.af = af;
		ge = 0;
		le = af == AF_INET ? 32 : 128;
	} else if (conf_get_prefix(p, af, af == AF_INET ? "an IPv4 prefix "
	    "(A.B.C.D/M) or 'any'" : "an IPv6 prefix (X:X::X:X/M) or 'any'",
	    &pfx) == -1 || conf_get_range(p, &pfx, &ge, &le) == -1)
		return -1;
	return conf_policy_rc(p, tn, policy_prefix_list_add(p->conf->policy,
	    af, name, seq, permit, &pfx, ge, le, err, sizeof(err)), err);
}

int
stmt_ip_prefix_list(struct conf_parser *p)
{
	return conf_prefix_list(p, AF_INET);
}

int
stmt_ipv6_prefix_list(struct conf_parser *p)
{
	return conf_prefix_list(p, AF_INET6);
}

/* The rest of the line, at least one word, as one text. */
static const struct conf_tok *
conf_get_rest(struct conf_parser *p, const char *what, char *text,
    size_t size)
{
	const struct conf_tok	*t = conf_peek(p);

	if (t == NULL) {
		conf_expected(p, NULL, what);
		return NULL;
	}
	conf_join(p, p->cur, text, size);
	p->cur = p->ntok;
	return t;
}

/* bgp as-path access-list NAME [seq N] permit|deny REGEX */
int
stmt_aspath_list(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p), *tr;
	char			 name[POLICY_REF_MAX], err[CONF_ERRBUF] = "";
	char			 text[CONF_LINE_MAX + 1];
	uint32_t		 seq;
	int			 permit;

	if (t == NULL || strcmp(t->s, "access-list") != 0) {
		conf_expected(p, t, "'access-list'");
		return -1;
	}
	if (conf_list_head(p, "an as-path access-list name", name, &seq,
	    &permit) == NULL || (tr = conf_get_rest(p, "a regular expression",
	    text, sizeof(text))) == NULL)
		return -1;
	return conf_policy_rc(p, tr, policy_aspath_add(p->conf->policy, name,
	    seq, permit, text, err, sizeof(err)), err);
}

/* bgp [large-]community-list standard|expanded NAME [seq N] permit|deny */
static int
conf_comm_list(struct conf_parser *p, int large)
{
	const struct conf_tok	*t = conf_next(p), *tr;
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;
	char			 name[POLICY_REF_MAX], err[CONF_ERRBUF] = "";
	char			 text[CONF_LINE_MAX + 1];
	uint32_t		 seq;
	int			 permit;

	if (k != KW_STANDARD && k != KW_EXPANDED) {
		conf_expected(p, t, "'standard' or 'expanded'");
		return -1;
	}
	if (conf_list_head(p, "a list name", name, &seq, &permit) == NULL ||
	    (tr = conf_get_rest(p, k == KW_EXPANDED ? "a regular expression" :
	    large ? "a large community (A:B:C)" : "a community (AA:NN or a "
	    "well-known name)", text, sizeof(text))) == NULL)
		return -1;
	return conf_policy_rc(p, tr, policy_comm_list_add(p->conf->policy,
	    name, large, k == KW_EXPANDED, seq, permit, text, err,
	    sizeof(err)), err);
}

int
stmt_comm_list(struct conf_parser *p)
{
	return conf_comm_list(p, 0);
}

int
stmt_lcomm_list(struct conf_parser *p)
{
	return conf_comm_list(p, 1);
}

/* route-map NAME permit|deny SEQ: the clauses below go into it. */
int
stmt_route_map(struct conf_parser *p)
{
	const struct conf_tok	*tn;
	char			 name[POLICY_REF_MAX], err[CONF_ERRBUF] = "";
	uint32_t		 seq;
	int			 permit;

	/* Enter the node even on error; its clauses are then skipped. */
	p->node = NODE_RMAP;
	p->rmap_open = 0;
	if ((tn = conf_get_name(p, "a route-map name", name,
	    sizeof(name))) == NULL || conf_get_action(p, &permit) == -1 ||
	    conf_get_num(p, "a sequence number", 1, 65535, &seq) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	if (conf_policy_rc(p, tn, policy_rmap_entry(p->conf->policy, name,
	    permit, seq, err, sizeof(err)), err) == -1)
		return -1;
	p->rmap_open = 1;
	return 0;
}

/* Hands a clause, its words from index from on, to the open entry. */
static int
conf_rmap_clause(struct conf_parser *p, int set, int kind, int from)
{
	char	text[CONF_LINE_MAX + 1], err[CONF_ERRBUF] = "";
	int	rc;

	if (!p->rmap_open)	/* its route-map line had an error */
		return -1;
	conf_join(p, from, text, sizeof(text));
	if (set)
		rc = policy_rmap_set(p->conf->policy, kind, text, err,
		    sizeof(err));
	else
		rc = policy_rmap_match(p->conf->policy, kind, text, err,
		    sizeof(err));
	return conf_policy_rc(p, from < p->ntok ? &p->tok[from] : NULL, rc,
	    err);
}

/* match ... NAME [exact-match]: a list that may be defined later. */
static int
conf_match_list(struct conf_parser *p, enum rmap_match kind,
    const char *what, int exact_ok)
{
	const struct conf_tok	*tn, *t;
	char			 name[POLICY_REF_MAX];
	int			 from = p->cur;

	if ((tn = conf_get_name(p, what, name, sizeof(name))) == NULL)
		return -1;
	if (exact_ok && (t = conf_peek(p)) != NULL &&
	    conf_kw(t->s) == KW_EXACT_MATCH)
		p->cur++;
	if (conf_get_eol(p) == -1)
		return -1;
	conf_ref_add(p, tn, NULL, 0, "a route-map match on it never matches");
	return conf_rmap_clause(p, 0, kind, from);
}

/* FRR's "match ip address ACL" takes access lists, which tbgpd lacks. */
static int
conf_get_plist_kw(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_peek(p);

	if (t != NULL && conf_kw(t->s) != KW_PREFIX_LIST) {
		conf_err(p, t, "access lists are not supported yet: use "
		    "'prefix-list NAME'");
		return -1;
	}
	return conf_get_kw(p, KW_PREFIX_LIST, "prefix-list");
}

/* match ip address prefix-list NAME | match ip next-hop prefix-list NAME */
int
stmt_match_ip(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;

	if (k != KW_ADDRESS && k != KW_NEXT_HOP) {
		conf_expected(p, t, "'address' or 'next-hop'");
		return -1;
	}
	if (conf_get_plist_kw(p) == -1)
		return -1;
	return conf_match_list(p, k == KW_ADDRESS ? RM_MATCH_PREFIX_LIST :
	    RM_MATCH_IP_NEXTHOP_PL, "a prefix-list name", 0);
}

int
stmt_match_ipv6(struct conf_parser *p)
{
	if (conf_get_kw(p, KW_ADDRESS, "address") == -1 ||
	    conf_get_plist_kw(p) == -1)
		return -1;
	return conf_match_list(p, RM_MATCH_PREFIX_LIST6, "a prefix-list name",
	    0);
}

int
stmt_match_aspath(struct conf_parser *p)
{
	return conf_match_list(p, RM_MATCH_ASPATH, "an as-path access-list "
	    "name", 0);
}

int
stmt_match_community(struct conf_parser *p)
{
	return conf_match_list(p, RM_MATCH_COMMUNITY, "a community-list name",
	    1);
}

int
stmt_match_lcommunity(struct conf_parser *p)
{
	return conf_match_list(p, RM_MATCH_LARGE_COMMUNITY,
	    "a large-community-list name", 1);
}

/* "match metric N", "set weight N" and the like: one number. */
static int
conf_rmap_num(struct conf_parser *p, int set, int kind, const char *what)
{
	uint32_t	v;
	int		from = p->cur;

	if (conf_get_num(p, what, 0, UINT32_MAX, &v) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, set, kind, from);
}

int
stmt_match_metric(struct conf_parser *p)
{
	return conf_rmap_num(p, 0, RM_MATCH_METRIC, "a metric");
}

int
stmt_match_localpref(struct conf_parser *p)
{
	return conf_rmap_num(p, 0, RM_MATCH_LOCAL_PREF, "a local preference");
}

static int
conf_rmap_origin(struct conf_parser *p, int set, int kind)
{
	int	v, from = p->cur;

	if (conf_get_value(p, conf_origins, "'igp', 'egp' or 'incomplete'",
	    &v) == -1 || conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, set, kind, from);
}

int
stmt_match_origin(struct conf_parser *p)
{
	return conf_rmap_origin(p, 0, RM_MATCH_ORIGIN);
}

int
stmt_match_peer(struct conf_parser *p)
{
	struct tb_addr	a;
	int		from = p->cur;

	if (conf_tok_addr(p, conf_next(p), NEIGHBOR_ADDR, &a) == -1 ||
	    conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, 0, RM_MATCH_PEER, from);
}

int
stmt_set_localpref(struct conf_parser *p)
{
	return conf_rmap_num(p, 1, RM_SET_LOCAL_PREF, "a local preference");
}

int
stmt_set_weight(struct conf_parser *p)
{
	return conf_rmap_num(p, 1, RM_SET_WEIGHT, "a weight");
}

/* set metric N | +N | -N */
int
stmt_set_metric(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	uint32_t		 v;
	int			 from = p->cur - 1;

	if (t == NULL || conf_str_u32(t->s + (t->s[0] == '+' ||
	    t->s[0] == '-'), &v) == -1) {
		conf_expected(p, t, "a metric (0-4294967295, +N or -N)");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, 1, RM_SET_METRIC, from);
}

/* set as-path prepend ASN... | set as-path prepend last-as N */
int
stmt_set_aspath(struct conf_parser *p)
{
	const struct conf_tok	*t;
	uint32_t		 v;
	int			 from;

	if (conf_get_kw(p, KW_PREPEND, "prepend") == -1)
		return -1;
	from = p->cur;
	if ((t = conf_peek(p)) != NULL && conf_kw(t->s) == KW_LAST_AS) {
		p->cur++;
		if (conf_get_num(p, "a count", 1, 10, &v) == -1 ||
		    conf_get_eol(p) == -1)
			return -1;
	} else
		do {
			if (conf_get_as(p, &v) == -1)
				return -1;
		} while (conf_peek(p) != NULL);
	return conf_rmap_clause(p, 1, RM_SET_PREPEND, from);
}

/* set community none | C... [additive], the same for large ones */
static int
conf_set_comm(struct conf_parser *p, enum rmap_set kind, const char *what)
{
	const struct conf_tok	*t = conf_peek(p);
	int			 from = p->cur;

	if (t == NULL) {
		conf_expected(p, NULL, what);
		return -1;
	}
	if (strcmp(t->s, "none") == 0) {
		p->cur++;
		if (conf_get_eol(p) == -1)
			return -1;
	}
	p->cur = p->ntok;
	return conf_rmap_clause(p, 1, kind, from);
}

int
stmt_set_community(struct conf_parser *p)
{
	return conf_set_comm(p, RM_SET_COMMUNITY, "communities (AA:NN or "
	    "well-known names) or 'none'");
}

int
stmt_set_lcommunity(struct conf_parser *p)
{
	return conf_set_comm(p, RM_SET_LARGE_COMMUNITY, "large communities "
	    "(A:B:C) or 'none'");
}

/* set comm-list NAME delete */
int
stmt_set_commlist(struct conf_parser *p)
{
	const struct conf_tok	*tn;
	char			 name[POLICY_REF_MAX];
	int			 from = p->cur;

	if ((tn = conf_get_name(p, "a community-list name", name,
	    sizeof(name))) == NULL ||
	    conf_get_kw(p, KW_DELETE, "delete") == -1 || conf_get_eol(p) == -1)
		return -1;
	conf_ref_add(p, tn, NULL, 0, "'set comm-list ... delete' with it "
	    "deletes nothing");
	return conf_rmap_clause(p, 1, RM_SET_COMM_DELETE, from);
}

/* set extcommunity rt ASN:NN... */
int
stmt_set_extcommunity(struct conf_parser *p)
{
	char	text[CONF_LINE_MAX + 1];
	int	from;

	if (conf_get_kw(p, KW_RT, "rt") == -1)
		return -1;
	from = p->cur;
	if (conf_get_rest(p, "route targets (ASN:NN or A.B.C.D:NN)", text,
	    sizeof(text)) == NULL)
		return -1;
	return conf_rmap_clause(p, 1, RM_SET_EXT_COMMUNITY_RT, from);
}

/* set ip next-hop A.B.C.D | peer-address */
int
stmt_set_ip(struct conf_parser *p)
{
	const struct conf_tok	*t;
	struct tb_addr		 a;
	int			 from;

	if (conf_get_kw(p, KW_NEXT_HOP, "next-hop") == -1)
		return -1;
	from = p->cur;
	t = conf_next(p);
	if (t == NULL || (conf_kw(t->s) != KW_PEER_ADDRESS &&
	    (addr_parse(t->s, &a) == -1 || a.af != AF_INET))) {
		conf_expected(p, t, "an IPv4 address or 'peer-address'");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, 1, RM_SET_NEXTHOP, from);
}

/* set ipv6 next-hop global X:X::X:X */
int
stmt_set_ipv6(struct conf_parser *p)
{
	const struct conf_tok	*t;
	struct tb_addr		 a;
	int			 from;

	if (conf_get_kw(p, KW_NEXT_HOP, "next-hop") == -1 ||
	    conf_get_kw(p, KW_GLOBAL, "global") == -1)
		return -1;
	from = p->cur;
	t = conf_next(p);
	if (t == NULL || addr_parse(t->s, &a) == -1 || a.af != AF_INET6) {
		conf_expected(p, t, "an IPv6 address");
		return -1;
	}
	if (conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_clause(p, 1, RM_SET_NEXTHOP6, from);
}

int
stmt_set_origin(struct conf_parser *p)
{
	return conf_rmap_origin(p, 1, RM_SET_ORIGIN);
}

static int
conf_rmap_flow(struct conf_parser *p, const struct conf_tok *t,
    int is_continue, int next, uint32_t seq)
{
	char	err[CONF_ERRBUF] = "";

	if (!p->rmap_open)
		return -1;
	return conf_policy_rc(p, t, policy_rmap_onmatch(p->conf->policy,
	    is_continue, next, seq, err, sizeof(err)), err);
}

/* on-match next | on-match goto N */
int
stmt_on_match(struct conf_parser *p)
{
	const struct conf_tok	*t = conf_next(p);
	enum kw			 k = t != NULL ? conf_kw(t->s) : KW_NONE;
	uint32_t		 seq = 0;

	if (k != KW_NEXT && k != KW_GOTO) {
		conf_expected(p, t, "'next' or 'goto'");
		return -1;
	}
	if ((k == KW_GOTO && conf_get_num(p, "a sequence number", 1, 65535,
	    &seq) == -1) || conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_flow(p, t, 0, k == KW_NEXT, seq);
}

/* continue [N]: without N, the next entry */
int
stmt_continue(struct conf_parser *p)
{
	uint32_t	seq = 0;

	if ((conf_peek(p) != NULL && conf_get_num(p, "a sequence number", 1,
	    65535, &seq) == -1) || conf_get_eol(p) == -1)
		return -1;
	return conf_rmap_flow(p, &p->tok[p->base], 1, seq == 0, seq);
}
