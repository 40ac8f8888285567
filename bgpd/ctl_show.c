/*
 * ctl_show: what every command of the control socket shares: the answer
 * buffer's printf, text made safe for a terminal, the monotonic clock of
 * the answers, FRR's up/down time layout, interface names, the router-id
 * shown, the RDE as the commands see it (struct show_rde), and the one
 * way a handler streams a long answer.  The command table is ctl_table.c;
 * the commands are ctl_peer.c (neighbors), ctl_route.c (routes),
 * ctl_kernel.c (the kernel's routes, next hops) and ctl_admin.c (reload,
 * clear, shutdown, debug, logging, memory, version, running-config).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl_show.h"
#include "json.h"
#include "kernel.h"
#include "kif.h"
#include "peer.h"
#include "rde.h"

/* ---------------------------------------------------------------- output */

void
show_printf(struct buf *b, const char *fmt, ...)
{
	char	 tmp[512], *big = NULL;
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		buf_put(b, tmp, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n >= 0)
		buf_put(b, big, (size_t)n);
	free(big);
}

/* Text output of configured strings: control bytes would drive the
 * operator's terminal and stray bytes garble it, so both are shown
 * escaped; valid UTF-8 is kept. */
const char *
show_safe(const char *str, char *out, size_t outlen)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 o = 0, n;

	while (*s != '\0' && o + 5 < outlen) {
		if (*s >= 0x20 && *s < 0x7f)
			out[o++] = (char)*s++;
		else if (*s >= 0x80 && (n = json_utf8_len(s)) > 0 &&
		    o + n < outlen) {
			memcpy(out + o, s, n);
			o += n;
			s += n;
		} else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
			    *s++);
	}
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------------ RDE */

/* The daemon's RDE, asked about a peer's RDE side (none for a peer
 * that is not the daemon's: a test's). */
static struct rib_src *
show_peer_src(const struct peer *p)
{
	return p->rde != NULL ? rde_peer_src(p->rde) : NULL;
}

static struct adjout *
show_peer_adjout(const struct peer *p, enum aid aid)
{
	return p->rde != NULL ? rde_peer_adjout(p->rde, aid) : NULL;
}

static const char *
show_policy_missing(const struct peer *p, int out)
{
	return p->rde != NULL ? rde_policy_missing(p->rde, out) : NULL;
}

static const struct show_rde show_rde_daemon = {
	rde_rib, show_peer_src, show_peer_adjout, rde_local_src,
	show_policy_missing, kernel_fib,
};
static const struct show_rde *show_rde_cur = &show_rde_daemon;

void
show_set_rde_for_tests(const struct show_rde *r)
{
	show_rde_cur = r != NULL ? r : &show_rde_daemon;
}

const struct show_rde *
show_rde(void)
{
	return show_rde_cur;
}

int
show_stream_run(const struct show_req *req,
    int (*more)(void *, struct buf *, int *), void (*freefn)(void *),
    void *arg)
{
	int	 status = 0;

	if (req->stream != NULL) {
		req->stream->more = more;
		req->stream->free = freefn;
		req->stream->arg = arg;
		return 0;
	}
	while (more(arg, req->out, &status) == 1)
		continue;
	freefn(arg);
	return status;
}

time_t
show_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* FRR's peer_uptime() layout, so scripts written for it keep working. */
const char *
show_fmt_time(long long secs, char *out, size_t len)
{
	if (secs < 0)
		snprintf(out, len, "never");
	else if (secs < 86400)
		snprintf(out, len, "%02lld:%02lld:%02lld", secs / 3600,
		    secs / 60 % 60, secs % 60);
	else if (secs < 7 * 86400)
		snprintf(out, len, "%lldd%02lldh%02lldm", secs / 86400,
		    secs / 3600 % 24, secs / 60 % 60);
	else
		snprintf(out, len, "%02lldw%lldd%02lldh", secs / (7 * 86400),
		    secs / 86400 % 7, secs / 3600 % 24);
	return out;
}

static const struct kif	*show_kif_cur;

void
show_set_kif(const struct kif *k)
{
	show_kif_cur = k;
}

const struct kif *
show_kif(void)
{
	return show_kif_cur;
}

const char *
show_ifname(uint32_t ifindex)
{
	const struct kif_link	*l;

	if (ifindex == 0 || show_kif_cur == NULL ||
	    (l = kif_get(show_kif_cur, (int)ifindex)) == NULL)
		return "";
	return l->name;
}

/* The router-id: configured, else the one our OPENs carried. */
uint32_t
show_router_id(const struct bgpd_config *bc)
{
	struct peer	*p;

	if (bc->router_id != 0)
		return bc->router_id;
	TAILQ_FOREACH(p, &peers, entry)
		if (p->open_sent.bgp_id != 0)
			return p->open_sent.bgp_id;
	return 0;
}
