/*
 * policy: the routing policy database, in FRR's terms (see policy.h).
 * This file owns the database, the prefix lists, the AS-path access
 * lists and the community lists (standard, expanded, large): building
 * them from configuration clauses, evaluating them, and printing every
 * list and route-map back in FRR's syntax so the parser reads the same
 * database again.  Route-maps are built and evaluated in policy_rmap.c;
 * the types and helpers both files share are in policy_int.h.
 *
 * Every list keeps its entries in an array sorted by sequence number;
 * each entry type starts with its uint32_t seq so that one helper opens
 * slots for all of them.  Lists are found by name with a linear walk:
 * a VPN host has a handful of them.  Clauses keep the name of the list
 * they use and look it up at evaluation time, so a list may be defined
 * after the route-map that names it; an undefined list never matches,
 * as in FRR.
 *
 * Regular expressions are POSIX extended, with FRR's '_' (an AS or
 * community boundary) rewritten before compiling.
 */
#include "config.h"

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policy.h"
#include "policy_int.h"

/* FRR's '_': start or end of the text, or a delimiter of the AS path
 * ("64512 {65002,65003}", confederation "(65001 65002)") or of the
 * community text. */
#define POLICY_UNDERSCORE	"(^|[,{}() ]|$)"

#define POLICY_TEXT_MAX		4096	/* one clause, as written */

/* --- small helpers --- */

int
perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz)) == NULL)
		fatal("%s", __func__);
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* Strict decimal, no sign, no spaces. */
int
parse_u32(const char *s, uint32_t *out)
{
	unsigned long long	 v;
	char			*end;

	if (s == NULL || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
name_check(const char *name, char *err, size_t errlen)
{
	size_t	 i, len;

	len = name == NULL ? 0 : strlen(name);
	if (len == 0)
		return perr(err, errlen, "a name is needed");
	if (len > POLICY_NAME_MAX)
		return perr(err, errlen, "name '%.20s...' is too long (%d "
		    "characters at most)", name, POLICY_NAME_MAX);
	for (i = 0; i < len; i++)
		if (isspace((unsigned char)name[i]))
			return perr(err, errlen, "a name has no spaces");
	return 0;
}

int
words_split(const char *text, struct words *ws, char *err, size_t errlen)
{
	char	*p, *t;

	memset(ws, 0, sizeof(*ws));
	if (text == NULL || strlen(text) > POLICY_TEXT_MAX)
		return perr(err, errlen, "clause too long");
	ws->buf = p = xstrdup(text);
	while ((t = strsep(&p, " \t\r\n")) != NULL) {
		if (*t == '\0')
			continue;
		if (ws->n == sizeof(ws->w) / sizeof(ws->w[0])) {
			free(ws->buf);
			return perr(err, errlen, "too many words (%zu at most)",
			    sizeof(ws->w) / sizeof(ws->w[0]));
		}
		ws->w[ws->n++] = t;
	}
	return 0;
}

/* The words from index i on, joined by one space: the canonical text. */
char *
words_join(const struct words *ws, size_t i)
{
	size_t	 len = 1, k;
	char	*s;

	for (k = i; k < ws->n; k++)
		len += strlen(ws->w[k]) + 1;
	s = xcalloc(1, len);
	for (k = i; k < ws->n; k++) {
		if (k > i)
			strlcat(s, " ", len);
		strlcat(s, ws->w[k], len);
	}
	return s;
}

/* Text trimmed of surrounding white space (a regex keeps inner spaces). */
static char *
text_trim(const char *text)
{
	size_t	 len;
	char	*s;

	while (isspace((unsigned char)*text))
		text++;
	s = xstrdup(text);
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* --- sequence arrays --- */

void
seqarr_init(struct seqarr *a, size_t esz)
{
	memset(a, 0, sizeof(*a));
	a->esz = esz;
}

void *
seqarr_at(const struct seqarr *a, size_t i)
{
	return (uint8_t *)a->v + i * a->esz;
}

static uint32_t
seqarr_seq(const struct seqarr *a, size_t i)
{
	uint32_t	 seq;

	memcpy(&seq, seqarr_at(a, i), sizeof(seq));
	return seq;
}

/* FRR's automatic number: the next multiple of 5 above the last one
 * ("if lists 2 and 7 exist, the new one is 10"); 0 when out of room. */
static uint32_t
seqarr_auto(const struct seqarr *a, uint32_t max)
{
	uint32_t	 last = a->n == 0 ? 0 : seqarr_seq(a, a->n - 1);

	if (last / 5 >= max / 5)
		return 0;
	return (last / 5 + 1) * 5;
}

/* Index of the first entry whose seq is >= seq (a->n if none). */
size_t
seqarr_find(const struct seqarr *a, uint32_t seq)
{
	size_t	 lo = 0, hi = a->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (seqarr_seq(a, mid) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The slot for seq: the existing entry (*existed set, the caller drops its
 * contents) or a new zeroed one with seq filled in.
 */
void *
seqarr_slot(struct seqarr *a, uint32_t seq, int *existed)
{
	size_t	 i = seqarr_find(a, seq);
	void	*e;

	*existed = i < a->n && seqarr_seq(a, i) == seq;
	if (*existed)
		return seqarr_at(a, i);
	if (a->n == a->cap) {
		a->cap = a->cap == 0 ? 4 : a->cap * 2;
		if ((a->v = reallocarray(a->v, a->cap, a->esz)) == NULL)
			fatal("%s", __func__);
	}
	memmove(seqarr_at(a, i + 1), seqarr_at(a, i), (a->n - i) * a->esz);
	a->n++;
	e = seqarr_at(a, i);
	memset(e, 0, a->esz);
	memcpy(e, &seq, sizeof(seq));
	return e;
}

/* The seq asked for, or the automatic one; 0 with err set if none. */
static uint32_t
seq_pick(const struct seqarr *a, uint32_t seq, char *err, size_t errlen)
{
	if (seq != 0)
		return seq;
	if ((seq = seqarr_auto(a, UINT32_MAX)) == 0)
		perr(err, errlen, "no sequence number left; give one");
	return seq;
}

/* --- regular expressions --- */

/* Rewrites FRR's '_' into POSIX and compiles. */
static int
re_compile(regex_t *re, const char *text, char *err, size_t errlen)
{
	size_t	 len = 1, i;
	char	*s, msg[128];
	int	 rc;

	for (i = 0; text[i] != '\0'; i++)
		len += text[i] == '_' ? strlen(POLICY_UNDERSCORE) : 1;
	s = xcalloc(1, len);
	for (i = 0; *text != '\0'; text++) {
		if (*text == '_') {
			memcpy(s + i, POLICY_UNDERSCORE,
			    strlen(POLICY_UNDERSCORE));
			i += strlen(POLICY_UNDERSCORE);
		} else
			s[i++] = *text;
	}
	rc = regcomp(re, s, REG_EXTENDED | REG_NOSUB);
	free(s);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		return perr(err, errlen, "bad regular expression: %s", msg);
	}
	return 0;
}

/* --- the database --- */

struct policy_db *
policy_db_new(void)
{
	return calloc(1, sizeof(struct policy_db));
}

static void
plist_free(struct prefix_list *pl)
{
	free(pl->ents.v);
	free(pl);
}

static void
aspath_entry_free(struct aspath_entry *e)
{
	regfree(&e->re);
	free(e->text);
}

static void
aspath_list_free(struct aspath_list *al)
{
	size_t	 i;

	for (i = 0; i < al->ents.n; i++)
		aspath_entry_free(seqarr_at(&al->ents, i));
	free(al->ents.v);
	free(al);
}

static void
comm_entry_free(const struct comm_list *cl, struct comm_entry *e)
{
	if (cl->expanded)
		regfree(&e->re);
	free(e->vals);
	free(e->text);
}

static void
comm_list_free(struct comm_list *cl)
{
	size_t	 i;

	for (i = 0; i < cl->ents.n; i++)
		comm_entry_free(cl, seqarr_at(&cl->ents, i));
	free(cl->ents.v);
	free(cl);
}

void
rmap_set_free(struct rmap_set_c *s)
{
	free(s->text);
	free(s->asns);
	free(s->vals);
}

void
rmap_entry_free(struct rmap_entry *e)
{
	size_t	 i;

	for (i = 0; i < e->nm; i++)
		free(e->m[i].text);
	for (i = 0; i < e->ns; i++)
		rmap_set_free(&e->s[i]);
	free(e->m);
	free(e->s);
}

static void
rmap_free(struct route_map *rm)
{
	size_t	 i;

	for (i = 0; i < rm->ents.n; i++)
		rmap_entry_free(seqarr_at(&rm->ents, i));
	free(rm->ents.v);
	free(rm);
}

void
policy_db_free(struct policy_db *db)
{
	struct prefix_list	*pl;
	struct aspath_list	*al;
	struct comm_list	*cl;
	struct route_map	*rm;

	if (db == NULL)
		return;
	while ((pl = db->plists) != NULL) {
		db->plists = pl->next;
		plist_free(pl);
	}
	while ((al = db->aspaths) != NULL) {
		db->aspaths = al->next;
		aspath_list_free(al);
	}
	while ((cl = db->clists) != NULL) {
		db->clists = cl->next;
		comm_list_free(cl);
	}
	while ((rm = db->rmaps) != NULL) {
		db->rmaps = rm->next;
		rmap_free(rm);
	}
	free(db);
}

/* --- prefix lists --- */

static int
af_maxlen(int af)
{
	return af == AF_INET6 ? 128 : 32;
}

const struct prefix_list *
policy_plist_find(const struct policy_db *db, int af, const char *name)
{
	const struct prefix_list	*pl;

	if (db == NULL || name == NULL)
		return NULL;
	for (pl = db->plists; pl != NULL; pl = pl->next)
		if (pl->af == af && strcmp(pl->name, name) == 0)
			return pl;
	return NULL;
}

static struct prefix_list *
plist_get(struct policy_db *db, int af, const char *name)
{
	struct prefix_list	*pl, **pp;

	for (pp = &db->plists; (pl = *pp) != NULL; pp = &pl->next)
		if (pl->af == af && strcmp(pl->name, name) == 0)
			return pl;
	pl = *pp = xcalloc(1, sizeof(*pl));
	pl->af = af;
	strlcpy(pl->name, name, sizeof(pl->name));
	seqarr_init(&pl->ents, sizeof(struct plist_entry));
	return pl;
}

/* FRR's rule: len < ge <= le <= max (0: not given). */
static int
plist_range_check(const struct tb_prefix *p, uint8_t ge, uint8_t le,
    char *err, size_t errlen)
{
	int	 max = af_maxlen(p->addr.af);

	if ((ge != 0 && (ge <= p->len || ge > max)) ||
	    (le != 0 && (le <= p->len || le > max)) ||
	    (ge != 0 && le != 0 && ge > le))
		return perr(err, errlen, "invalid prefix range for %s, make "
		    "sure: len < ge <= le <= %d", prefix_str(p), max);
	return 0;
}

/* FRR refuses the same entry under a second sequence number. */
static int
plist_dup(const struct prefix_list *pl, uint32_t seq, int permit,
    const struct tb_prefix *p, uint8_t ge, uint8_t le)
{
	const struct plist_entry	*e;
	size_t				 i;

	for (i = 0; i < pl->ents.n; i++) {
		e = seqarr_at(&pl->ents, i);
		if (e->seq != seq && e->permit == permit && e->ge == ge &&
		    e->le == le && e->p.len == p->len &&
		    addr_cmp(&e->p.addr, &p->addr) == 0)
			return 1;
	}
	return 0;
}

int
policy_prefix_list_add(struct policy_db *db, int af, const char *name,
    uint32_t seq, int permit, const struct tb_prefix *p, uint8_t ge,
    uint8_t le, char *err, size_t errlen)
{
	struct prefix_list	*pl;
	struct plist_entry	*e;
	struct tb_prefix	 mp;
	int			 existed;

	if (name_check(name, err, errlen) == -1)
		return -1;
	if (p == NULL || p->addr.af != af || p->len > af_maxlen(af))
		return perr(err, errlen, "%s prefix-list %s wants an %s prefix",
		    af == AF_INET6 ? "ipv6" : "ip", name,
		    af == AF_INET6 ? "IPv6" : "IPv4");
	mp = *p;
	prefix_mask(&mp);
	if (plist_range_check(&mp, ge, le, err, errlen) == -1)
		return -1;
	pl = plist_get(db, af, name);
	if ((seq = seq_pick(&pl->ents, seq, err, errlen)) == 0)
		return -1;
	if (plist_dup(pl, seq, permit != 0, &mp, ge, le))
		return perr(err, errlen, "duplicated prefix list value: %s "
		    "%s", permit ? "permit" : "deny", prefix_str(&mp));
	e = seqarr_slot(&pl->ents, seq, &existed);
	e->permit = permit != 0;
	e->p = mp;
	e->ge = ge;
	e->le = le;
	return 0;
}

/* The first len bits of a and b are equal. */
static int
prefix_bits_eq(const struct tb_addr *a, const struct tb_addr *b, uint8_t len)
{
	size_t	 full = len / 8;
	uint8_t	 mask;

	if (memcmp(a->u.raw, b->u.raw, full) != 0)
		return 0;
	if (len % 8 == 0)
		return 1;
	mask = 0xff << (8 - len % 8);
	return (a->u.raw[full] & mask) == (b->u.raw[full] & mask);
}

/*
 * FRR's prefix_list_entry_match: the entry's prefix covers p, and p's
 * length is exactly the entry's (no ge, no le), at least ge, at most le.
 */
static int
plist_entry_match(const struct plist_entry *e, const struct tb_prefix *p)
{
	uint8_t	 lo, hi;

	if (p->addr.af != e->p.addr.af || p->len < e->p.len ||
	    !prefix_bits_eq(&e->p.addr, &p->addr, e->p.len))
		return 0;
	lo = e->ge != 0 ? e->ge : e->p.len;
	if (e->le != 0)
		hi = e->le;
	else
		hi = e->ge != 0 ? af_maxlen(e->p.addr.af) : e->p.len;
	return p->len >= lo && p->len <= hi;
}

enum policy_verdict
policy_plist_apply(const struct prefix_list *pl, const struct tb_prefix *p)
{
	const struct plist_entry	*e;
	size_t				 i;

	if (pl == NULL || p == NULL)
		return POLICY_DENY;
	for (i = 0; i < pl->ents.n; i++) {
		e = seqarr_at(&pl->ents, i);
		if (plist_entry_match(e, p))
			return e->permit ? POLICY_PERMIT : POLICY_DENY;
	}
	return POLICY_DENY;
}

/* --- AS-path access lists --- */

const struct aspath_list *
aspath_list_find(const struct policy_db *db, const char *name)
{
	const struct aspath_list	*al;

	for (al = db->aspaths; al != NULL; al = al->next)
		if (strcmp(al->name, name) == 0)
			return al;
	return NULL;
}

static struct aspath_list *
aspath_list_get(struct policy_db *db, const char *name)
{
	struct aspath_list	*al, **pp;

	for (pp = &db->aspaths; (al = *pp) != NULL; pp = &al->next)
		if (strcmp(al->name, name) == 0)
			return al;
	al = *pp = xcalloc(1, sizeof(*al));
	strlcpy(al->name, name, sizeof(al->name));
	seqarr_init(&al->ents, sizeof(struct aspath_entry));
	return al;
}

int
policy_aspath_add(struct policy_db *db, const char *name, uint32_t seq,
    int permit, const char *regex, char *err, size_t errlen)
{
	struct aspath_list	*al;
	struct aspath_entry	*e;
	regex_t			 re;
	char			*text;
	int			 existed;

	if (name_check(name, err, errlen) == -1)
		return -1;
	if (regex == NULL || strlen(regex) > POLICY_TEXT_MAX)
		return perr(err, errlen, "regular expression too long");
	text = text_trim(regex);
	if (*text == '\0' || re_compile(&re, text, err, errlen) == -1) {
		if (*text == '\0')
			perr(err, errlen, "a regular expression is needed");
		free(text);
		return -1;
	}
	al = aspath_list_get(db, name);
	if ((seq = seq_pick(&al->ents, seq, err, errlen)) == 0) {
		regfree(&re);
		free(text);
		return -1;
	}
	e = seqarr_slot(&al->ents, seq, &existed);
	if (existed)
		aspath_entry_free(e);
	e->permit = permit != 0;
	e->text = text;
	e->re = re;
	return 0;
}

/* The printed form of a path or community set, NUL-terminated, in a
 * writer the caller frees. */
const char *
text_of(struct buf *b, const struct aspath *ap, const struct comms *c)
{
	if (buf_init(b, 128, 1 << 20) == -1)
		fatal("%s", __func__);
	if (ap != NULL)
		aspath_print(b, ap);
	else if (c != NULL)
		comms_print(b, c);
	buf_put_u8(b, 0);
	if (buf_error(b))
		fatalx("%s: text too long", __func__);
	return (const char *)buf_data(b);
}

/* First matching entry decides; none (or no list): deny. */
enum policy_verdict
aspath_list_apply(const struct aspath_list *al, const struct aspath *ap)
{
	const struct aspath_entry	*e;
	enum policy_verdict		 v = POLICY_DENY;
	struct buf			 b;
	const char			*s;
	size_t				 i;

	if (al == NULL)
		return POLICY_DENY;
	s = text_of(&b, ap, NULL);
	for (i = 0; i < al->ents.n; i++) {
		e = seqarr_at(&al->ents, i);
		if (regexec(&e->re, s, 0, NULL, 0) == 0) {
			v = e->permit ? POLICY_PERMIT : POLICY_DENY;
			break;
		}
	}
	buf_free(&b);
	return v;
}

/* --- community lists --- */

const struct comm_list *
comm_list_find(const struct policy_db *db, int large, const char *name)
{
	const struct comm_list	*cl;

	for (cl = db->clists; cl != NULL; cl = cl->next)
		if (cl->large == large && strcmp(cl->name, name) == 0)
			return cl;
	return NULL;
}

static struct comm_list *
comm_list_get(struct policy_db *db, int large, int expanded, const char *name)
{
	struct comm_list	*cl, **pp;

	for (pp = &db->clists; (cl = *pp) != NULL; pp = &cl->next)
		if (cl->large == large && strcmp(cl->name, name) == 0)
			return cl;
	cl = *pp = xcalloc(1, sizeof(*cl));
	strlcpy(cl->name, name, sizeof(cl->name));
	cl->large = large;
	cl->expanded = expanded;
	seqarr_init(&cl->ents, sizeof(struct comm_entry));
	return cl;
}

static const struct {
	const char	*word;
	uint32_t	 value;
} comm_words[] = {
	{ "internet",		0 },
	{ "graceful-shutdown",	COMM_GRACEFUL_SHUTDOWN },
	{ "accept-own",		0xffff0001u },	/* RFC 7611 */
	{ "llgr-stale",		0xffff0006u },
	{ "no-llgr",		0xffff0007u },
	{ "accept-own-nexthop",	0xffff0008u },
	{ "blackhole",		COMM_BLACKHOLE },
	{ "no-export",		COMM_NO_EXPORT },
	{ "no-advertise",	COMM_NO_ADVERTISE },
	{ "local-AS",		COMM_NO_EXPORT_SUBCONFED },
	{ "no-peer",		COMM_NO_PEER },
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Two or three numbers separated by ':' (each within max[i]). */
static int
parse_colon(const char *s, uint32_t *v, size_t want, const uint32_t *max)
{
	char	 tmp[64], *p = tmp, *t;
	size_t	 i = 0;

	if (strlcpy(tmp, s, sizeof(tmp)) >= sizeof(tmp))
		return -1;
	while ((t = strsep(&p, ":")) != NULL) {
		if (i == want || parse_u32(t, &v[i]) == -1 || v[i] > max[i])
			return -1;
		i++;
	}
	return i == want ? 0 : -1;
}

/* One standard community word: AA:NN, a number or a well-known name. */
static int
comm_std_parse(const char *w, uint8_t *out, int *internet)
{
	static const uint32_t	 max[2] = { 0xffff, 0xffff };
	uint32_t		 v[2], n;
	size_t			 i;

	for (i = 0; i < sizeof(comm_words) / sizeof(comm_words[0]); i++)
		if (strcmp(w, comm_words[i].word) == 0) {
			put32(out, comm_words[i].value);
			if (i == 0 && internet != NULL)
				*internet = 1;
			return 0;
		}
	if (parse_u32(w, &n) == 0) {
		put32(out, n);
		return 0;
	}
	if (parse_colon(w, v, 2, max) == -1)
		return -1;
	put32(out, v[0] << 16 | v[1]);
	return 0;
}

/* RFC 8092: global administrator, local data 1, local data 2. */
static int
comm_large_parse(const char *w, uint8_t *out)
{
	static const uint32_t	 max[3] = { UINT32_MAX, UINT32_MAX,
				    UINT32_MAX };
	uint32_t		 v[3];

	if (parse_colon(w, v, 3, max) == -1)
		return -1;
	put32(out, v[0]);
	put32(out + 4, v[1]);
	put32(out + 8, v[2]);
	return 0;
}

/*
 * RFC 4360 3.1, 3.2 and RFC 5668: route target (subtype 0x02) with a
 * 2-octet AS (type 0x00), an IPv4 address (0x01) or a 4-octet AS (0x02),
 * chosen like FRR: an ASN above 65535 takes the 4-octet form.
 */
static int
comm_rt_parse(const char *w, uint8_t *out)
{
	char		 tmp[64], *colon;
	struct tb_addr	 a;
	uint32_t	 as, val;

	if (strlcpy(tmp, w, sizeof(tmp)) >= sizeof(tmp) ||
	    (colon = strrchr(tmp, ':')) == NULL)
		return -1;
	*colon = '\0';
	if (parse_u32(colon + 1, &val) == -1)
		return -1;
	out[1] = 0x02;
	if (addr_parse(tmp, &a) == 0 && a.af == AF_INET && strchr(tmp, '.')) {
		out[0] = 0x01;
		memcpy(out + 2, &a.u.v4, 4);
	} else if (parse_u32(tmp, &as) == 0 && as <= 0xffff) {
		out[0] = 0x00;
		out[2] = as >> 8;
		out[3] = as;
		put32(out + 4, val);
		return 0;
	} else if (parse_u32(tmp, &as) == 0) {
		out[0] = 0x02;
		put32(out + 2, as);
	} else
		return -1;
	if (val > 0xffff)
		return -1;
	out[6] = val >> 8;
	out[7] = val;
	return 0;
}

static size_t	 sort_unit;

static int
val_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sort_unit);
}

/* Sorts and removes duplicates, as struct comms keeps its values. */
static size_t
vals_sort(uint8_t *v, size_t n, size_t unit)
{
	size_t	 i, k = 0;

	if (n == 0)
		return 0;
	sort_unit = unit;
	qsort(v, n, unit, val_cmp);
	for (i = 1; i < n; i++)
		if (memcmp(v + k * unit, v + i * unit, unit) != 0) {
			k++;
			memmove(v + k * unit, v + i * unit, unit);
		}
	return k + 1;
}

/*
 * Words ws->w[from..] as communities of one unit into a new sorted array;
 * a trailing "additive" is reported (if additive is not NULL).
 */
int
comm_words_parse(const struct words *ws, size_t from, uint8_t unit,
    uint8_t **vals, size_t *n, int *internet, int *additive,
    char *err, size_t errlen)
{
	size_t	 i, end = ws->n, k = 0;
	int	 rc;

	if (additive != NULL && end > from &&
	    strcmp(ws->w[end - 1], "additive") == 0) {
		*additive = 1;
		end--;
	}
	if (end == from)
		return perr(err, errlen, "a community value is needed");
	*vals = xcalloc(end - from, unit);
	for (i = from; i < end; i++, k++) {
		if (unit == COMM_UNIT_STD)
			rc = comm_std_parse(ws->w[i], *vals + k * unit,
			    internet);
		else if (unit == COMM_UNIT_LARGE)
			rc = comm_large_parse(ws->w[i], *vals + k * unit);
		else
			rc = comm_rt_parse(ws->w[i], *vals + k * unit);
		if (rc == -1) {
			free(*vals);
			*vals = NULL;
			return perr(err, errlen, "malformed %scommunity "
			    "'%s'", unit == COMM_UNIT_LARGE ? "large " :
			    unit == COMM_UNIT_EXT ? "extended " : "",
			    ws->w[i]);
		}
	}
	*n = vals_sort(*vals, k, unit);
	return 0;
}

/* Fills a community-list entry from its text. */
static int
comm_entry_fill(struct comm_entry *e, int large, int expanded,
    const char *text, char *err, size_t errlen)
{
	struct words	 ws;
	int		 rc;

	if (expanded) {
		e->text = text_trim(text);
		if (*e->text == '\0')
			rc = perr(err, errlen, "a regular expression is "
			    "needed");
		else
			rc = re_compile(&e->re, e->text, err, errlen);
		return rc;
	}
	if (words_split(text, &ws, err, errlen) == -1)
		return -1;
	rc = comm_words_parse(&ws, 0, large ? COMM_UNIT_LARGE : COMM_UNIT_STD,
	    &e->vals, &e->n, &e->any, NULL, err, errlen);
	e->text = words_join(&ws, 0);
	free(ws.buf);
	return rc;
}

int
policy_comm_list_add(struct policy_db *db, const char *name, int large,
    int expanded, uint32_t seq, int permit, const char *text, char *err,
    size_t errlen)
{
	const struct comm_list	*old;
	struct comm_list	*cl;
	struct comm_entry	 ne, *e;
	int			 existed;

	if (name_check(name, err, errlen) == -1)
		return -1;
	old = comm_list_find(db, large != 0, name);
	if (old != NULL && old->expanded != (expanded != 0))
		return perr(err, errlen, "%scommunity name conflict, "
		    "previously defined as %s", large ? "large " : "",
		    old->expanded ? "expanded" : "standard");
	memset(&ne, 0, sizeof(ne));
	if (text == NULL || comm_entry_fill(&ne, large, expanded, text,
	    err, errlen) == -1) {
		free(ne.text);
		free(ne.vals);
		return text == NULL ? perr(err, errlen, "no value") : -1;
	}
	cl = comm_list_get(db, large != 0, expanded != 0, name);
	if ((seq = seq_pick(&cl->ents, seq, err, errlen)) == 0) {
		comm_entry_free(cl, &ne);
		return -1;
	}
	e = seqarr_slot(&cl->ents, seq, &existed);
	if (existed)
		comm_entry_free(cl, e);
	ne.seq = seq;
	ne.permit = permit != 0;
	*e = ne;
	return 0;
}

/* Every value of the entry is in c. */
static int
comm_includes(const struct comms *c, const struct comm_entry *e,
    size_t unit)
{
	size_t	 i;

	if (c == NULL || c->n == 0)
		return 0;
	for (i = 0; i < e->n; i++)
		if (!comms_has(c, e->vals + i * unit))
			return 0;
	return 1;
}

/* c holds exactly the values of the entry. */
static int
comm_equals(const struct comms *c, const struct comm_entry *e, size_t unit)
{
	return c != NULL && c->n == e->n && comm_includes(c, e, unit);
}

/*
 * FRR's community_list_match / community_list_exact_match: the first
 * entry that matches decides.  A standard entry with "internet" matches
 * any route; otherwise it needs all its values (exact: exactly them).
 * An expanded entry matches its regex on the printed communities.
 */
int
comm_list_match(const struct comm_list *cl, const struct comms *c, int exact)
{
	const struct comm_entry	*e;
	size_t			 unit = cl->large ? COMM_UNIT_LARGE :
				    COMM_UNIT_STD, i;
	struct buf		 b;
	int			 hit = 0, permit = 0;

	if (exact && (c == NULL || c->n == 0))
		return 0;
	if (cl->expanded)
		text_of(&b, NULL, c);
	for (i = 0; i < cl->ents.n && !hit; i++) {
		e = seqarr_at(&cl->ents, i);
		if (cl->expanded)
			hit = regexec(&e->re, (const char *)buf_data(&b), 0,
			    NULL, 0) == 0;
		else
			hit = e->any || (exact ? comm_equals(c, e, unit) :
			    comm_includes(c, e, unit));
		permit = e->permit;
	}
	if (cl->expanded)
		buf_free(&b);
	return hit && permit;
}

/* --- printing back --- */

static void
print_plists(FILE *f, const struct policy_db *db)
{
	const struct prefix_list	*pl;
	const struct plist_entry	*e;
	size_t				 i;

	for (pl = db->plists; pl != NULL; pl = pl->next) {
		for (i = 0; i < pl->ents.n; i++) {
			e = seqarr_at(&pl->ents, i);
			fprintf(f, "%s prefix-list %s seq %u %s %s",
			    pl->af == AF_INET6 ? "ipv6" : "ip", pl->name,
			    e->seq, e->permit ? "permit" : "deny",
			    prefix_str(&e->p));
			if (e->ge != 0)
				fprintf(f, " ge %u", e->ge);
			if (e->le != 0)
				fprintf(f, " le %u", e->le);
			fprintf(f, "\n");
		}
		fprintf(f, "!\n");
	}
}

static void
print_aspaths(FILE *f, const struct policy_db *db)
{
	const struct aspath_list	*al;
	const struct aspath_entry	*e;
	size_t				 i;

	for (al = db->aspaths; al != NULL; al = al->next) {
		for (i = 0; i < al->ents.n; i++) {
			e = seqarr_at(&al->ents, i);
			fprintf(f, "bgp as-path access-list %s seq %u %s %s\n",
			    al->name, e->seq, e->permit ? "permit" : "deny",
			    e->text);
		}
		fprintf(f, "!\n");
	}
}

static void
print_clists(FILE *f, const struct policy_db *db)
{
	const struct comm_list	*cl;
	const struct comm_entry	*e;
	size_t			 i;

	for (cl = db->clists; cl != NULL; cl = cl->next) {
		for (i = 0; i < cl->ents.n; i++) {
			e = seqarr_at(&cl->ents, i);
			fprintf(f, "bgp %scommunity-list %s %s seq %u %s %s\n",
			    cl->large ? "large-" : "", cl->expanded ?
			    "expanded" : "standard", cl->name, e->seq,
			    e->permit ? "permit" : "deny", e->text);
		}
		fprintf(f, "!\n");
	}
}

static const char *const match_words[] = {
	[RM_MATCH_PREFIX_LIST] = "ip address prefix-list",
	[RM_MATCH_PREFIX_LIST6] = "ipv6 address prefix-list",
	[RM_MATCH_ASPATH] = "as-path",
	[RM_MATCH_COMMUNITY] = "community",
	[RM_MATCH_LARGE_COMMUNITY] = "large-community",
	[RM_MATCH_METRIC] = "metric",
	[RM_MATCH_LOCAL_PREF] = "local-preference",
	[RM_MATCH_ORIGIN] = "origin",
	[RM_MATCH_PEER] = "peer",
	[RM_MATCH_IP_NEXTHOP_PL] = "ip next-hop prefix-list",
};

static const char *const set_words[] = {
	[RM_SET_LOCAL_PREF] = "local-preference",
	[RM_SET_METRIC] = "metric",
	[RM_SET_WEIGHT] = "weight",
	[RM_SET_PREPEND] = "as-path prepend",
	[RM_SET_COMMUNITY] = "community",
	[RM_SET_COMM_DELETE] = "comm-list",
	[RM_SET_LARGE_COMMUNITY] = "large-community",
	[RM_SET_EXT_COMMUNITY_RT] = "extcommunity rt",
	[RM_SET_NEXTHOP] = "ip next-hop",
	[RM_SET_NEXTHOP6] = "ipv6 next-hop global",
	[RM_SET_ORIGIN] = "origin",
};

static void
print_rmap_entry(FILE *f, const struct route_map *rm,
    const struct rmap_entry *e)
{
	size_t	 i;

	fprintf(f, "route-map %s %s %u\n", rm->name,
	    e->permit ? "permit" : "deny", e->seq);
	for (i = 0; i < e->nm; i++)
		fprintf(f, " match %s %s%s\n", match_words[e->m[i].kind],
		    e->m[i].text, e->m[i].exact ? " exact-match" : "");
	for (i = 0; i < e->ns; i++)
		fprintf(f, " set %s %s%s\n", set_words[e->s[i].kind],
		    e->s[i].text, e->s[i].kind == RM_SET_COMM_DELETE ?
		    " delete" : "");
	if (e->exit == RMAP_NEXT)
		fprintf(f, " %s\n", e->is_continue ? "continue" :
		    "on-match next");
	else if (e->exit == RMAP_GOTO)
		fprintf(f, " %s %u\n", e->is_continue ? "continue" :
		    "on-match goto", e->goto_seq);
	fprintf(f, "exit\n!\n");
}

void
policy_print(FILE *f, const struct policy_db *db)
{
	const struct route_map	*rm;
	size_t			 i;

	if (db == NULL)
		return;
	print_plists(f, db);
	print_aspaths(f, db);
	print_clists(f, db);
	for (rm = db->rmaps; rm != NULL; rm = rm->next)
		for (i = 0; i < rm->ents.n; i++)
			print_rmap_entry(f, rm, seqarr_at(&rm->ents, i));
}
