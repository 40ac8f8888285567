/*
 * metrics.c: the HTTP side of the Prometheus endpoint (see metrics.h).
 *
 * One evhttp server holds every listener.  Requests are bounded
 * (METRICS_MAX_HEADERS octets of headers, METRICS_MAX_BODY of body,
 * METRICS_TIMEOUT seconds to send one), only GET and HEAD of /metrics
 * are answered (others: 405 or 404), and at most METRICS_MAX_CLIENTS
 * connections are open at once: when the limit is reached the listeners
 * stop accepting (further clients wait in the kernel's backlog) until
 * one goes, so that a client opening a thousand connections costs
 * neither file descriptors the sessions need nor memory.
 *
 * evhttp of libevent 2.1 has no connection limit and does not say when
 * it frees a connection; we make the bufferevent of each connection
 * ourselves (evhttp_set_bevcb), keep a reference to it, and notice that
 * evhttp is done with it when its callbacks are gone (bufferevent_free()
 * clears them); only then do we let it go.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/queue.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "log.h"
#include "metrics.h"

#define METRICS_MAX_CLIENTS	16
#define METRICS_MAX_HEADERS	8192
#define METRICS_MAX_BODY	1024
#define METRICS_TIMEOUT		10	/* seconds */
#define METRICS_SWEEP_MS	500	/* re-check connections when full */
#define METRICS_OUT_MAX		(64u * 1024 * 1024)
#define METRICS_CTYPE		"text/plain; version=0.0.4; charset=utf-8"

struct mlisten {
	TAILQ_ENTRY(mlisten)	 entry;
	struct tb_addr		 addr;
	uint16_t		 port;
	struct evhttp_bound_socket *bound;
};
TAILQ_HEAD(mlisten_head, mlisten);

static struct {
	struct event_base	*base;
	struct evhttp		*http;
	struct mlisten_head	 listeners;
	struct bufferevent	*conns[METRICS_MAX_CLIENTS];
	int			 served[METRICS_MAX_CLIENTS];	/* a request
							 * was answered */
	int			 paused;	/* listeners disabled */
	time_t			 said_full;	/* last logged, monotonic */
	time_t			 said_bad;
	struct event		*t_sweep;
	struct metrics_stats	 st;
} mx = { .listeners = TAILQ_HEAD_INITIALIZER(mx.listeners) };

const struct metrics_stats *
metrics_stats(void)
{
	return &mx.st;
}

/* --- connections --- */

/* evhttp has freed a connection once its callbacks are cleared. */
static int
metrics_conn_done(struct bufferevent *bev)
{
	bufferevent_data_cb	 r, w;
	bufferevent_event_cb	 e;
	void			*arg;

	bufferevent_getcb(bev, &r, &w, &e, &arg);
	return r == NULL && w == NULL && e == NULL;
}

static time_t
metrics_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
metrics_pause(int pause)
{
	struct mlisten	*l;
	struct evconnlistener *lev;

	if (mx.paused == pause)
		return;
	mx.paused = pause;
	TAILQ_FOREACH(l, &mx.listeners, entry) {
		if (l->bound == NULL ||
		    (lev = evhttp_bound_socket_get_listener(l->bound)) == NULL)
			continue;
		if (pause)
			evconnlistener_disable(lev);
		else
			evconnlistener_enable(lev);
	}
	if (pause) {
		mx.st.waits++;
		if (mx.said_full == 0 || metrics_now() - mx.said_full >= 60) {
			mx.said_full = metrics_now();
			log_warnx("metrics: %d scrape clients connected, further "
			    "connections wait (said at most once a minute)",
			    METRICS_MAX_CLIENTS);
		}
	}
}

/* A client went without a request we answered: evhttp refused it (a
 * request line or headers too long, a bad request) or it timed out. */
static void
metrics_unserved(void)
{
	mx.st.unserved++;
	if (mx.said_bad != 0 && metrics_now() - mx.said_bad < 60)
		return;
	mx.said_bad = metrics_now();
	log_warnx("metrics: a client went without a valid request (headers "
	    "over %d octets, a bad request or %d s without one; %llu so far, "
	    "said at most once a minute)", METRICS_MAX_HEADERS,
	    METRICS_TIMEOUT, (unsigned long long)mx.st.unserved);
}

/* Let go of the connections evhttp is done with; accept again if there
 * is room.  Returns the free slot, or -1. */
static int
metrics_sweep(void)
{
	int	 i, slot = -1;

	mx.st.clients = 0;
	for (i = 0; i < METRICS_MAX_CLIENTS; i++) {
		if (mx.conns[i] != NULL && metrics_conn_done(mx.conns[i])) {
			if (!mx.served[i])
				metrics_unserved();
			bufferevent_decref(mx.conns[i]);
			mx.conns[i] = NULL;
		}
		if (mx.conns[i] != NULL)
			mx.st.clients++;
		else if (slot == -1)
			slot = i;
	}
	return slot;
}

static void
metrics_sweep_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct timeval	 tv = { 0, METRICS_SWEEP_MS * 1000 };

	if (metrics_sweep() != -1)
		metrics_pause(0);
	if (mx.paused || mx.st.clients > 0)
		evtimer_add(mx.t_sweep, &tv);
}

/* evhttp accepted a connection and wants its bufferevent. */
static struct bufferevent *
metrics_bevcb(struct event_base *base, void *arg)
{
	struct timeval		 tv = { 0, METRICS_SWEEP_MS * 1000 };
	struct bufferevent	*bev;
	int			 slot = metrics_sweep();

	if ((bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		return NULL;		/* evhttp makes its own */
	if (slot != -1) {
		bufferevent_incref(bev);
		mx.conns[slot] = bev;
		mx.served[slot] = 0;
		mx.st.clients++;
	}
	/* The last slot taken (or none left): stop accepting until one is
	 * free again. */
	if (slot == -1 || mx.st.clients >= METRICS_MAX_CLIENTS)
		metrics_pause(1);
	if (!evtimer_pending(mx.t_sweep, NULL))
		evtimer_add(mx.t_sweep, &tv);
	return bev;
}

/* --- requests --- */

static void
metrics_refuse(struct evhttp_request *req, int code, const char *why)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	mx.st.refused++;
	log_debug("metrics: %s %s: %d %s", evhttp_request_get_command(req) ==
	    EVHTTP_REQ_GET ? "GET" : "request", evhttp_request_get_uri(req),
	    code, why);
	if (code == 405)
		evhttp_add_header(h, "Allow", "GET, HEAD");
	evhttp_add_header(h, "Content-Type", "text/plain; charset=utf-8");
	evhttp_send_error(req, code, why);
}

/* The connection of req has had an answer. */
static void
metrics_served(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent	*bev;
	int			 i;

	if (evcon == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return;
	for (i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (mx.conns[i] == bev)
			mx.served[i] = 1;
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	const char		*path = u != NULL ? evhttp_uri_get_path(u) :
				    NULL;
	struct evbuffer		*out;
	struct buf		 b;

	metrics_served(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		metrics_refuse(req, 405, "Method Not Allowed");
		return;
	}
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		metrics_refuse(req, 404, "Not Found: try /metrics");
		return;
	}
	if (buf_init(&b, 64 * 1024, METRICS_OUT_MAX) == -1 ||
	    (out = evbuffer_new()) == NULL) {
		buf_free(&b);
		evhttp_send_error(req, 500, "Out of memory");
		return;
	}
	mx.st.scrapes++;
	metrics_collect(&b, metrics_stats());
	if (buf_error(&b)) {
		log_warnx("metrics: the exposition does not fit in %u octets",
		    METRICS_OUT_MAX);
		evhttp_send_error(req, 500, "Exposition too large");
	} else {
		evbuffer_add(out, buf_data(&b), buf_len(&b));
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", METRICS_CTYPE);
		evhttp_send_reply(req, 200, "OK", out);
	}
	evbuffer_free(out);
	buf_free(&b);
}

/* --- listeners --- */

static int
metrics_socket(const struct mlisten *l)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = addr_to_sa(&l->addr, l->port, &ss);
	int			 fd, on = 1;

	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 64) == -1) {
		int	 saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
metrics_open(struct mlisten *l)
{
	int	 fd;

	if ((fd = metrics_socket(l)) == -1) {
		log_warn("metrics: cannot listen on %s port %u",
		    addr_str(&l->addr), l->port);
		return -1;
	}
	if ((l->bound = evhttp_accept_socket_with_handle(mx.http, fd)) ==
	    NULL) {
		close(fd);
		log_warnx("metrics: cannot serve on %s port %u",
		    addr_str(&l->addr), l->port);
		return -1;
	}
	if (mx.paused)
		evconnlistener_disable(evhttp_bound_socket_get_listener(
		    l->bound));
	log_info("metrics: serving /metrics on %s port %u",
	    addr_str(&l->addr), l->port);
	return 0;
}

static void
metrics_close(struct mlisten *l)
{
	if (l->bound != NULL)
		evhttp_del_accept_socket(mx.http, l->bound);
	TAILQ_REMOVE(&mx.listeners, l, entry);
	free(l);
}

static struct mlisten *
metrics_find(const struct tb_addr *a, uint16_t port)
{
	struct mlisten	*l;

	TAILQ_FOREACH(l, &mx.listeners, entry)
		if (addr_cmp(&l->addr, a) == 0 && l->port == port)
			return l;
	return NULL;
}

static int
metrics_server(void)
{
	if (mx.http != NULL)
		return 0;
	if ((mx.http = evhttp_new(mx.base)) == NULL ||
	    (mx.t_sweep = evtimer_new(mx.base, metrics_sweep_cb, NULL)) ==
	    NULL)
		fatalx("metrics: evhttp_new");
	evhttp_set_max_headers_size(mx.http, METRICS_MAX_HEADERS);
	evhttp_set_max_body_size(mx.http, METRICS_MAX_BODY);
	evhttp_set_timeout(mx.http, METRICS_TIMEOUT);
	evhttp_set_allowed_methods(mx.http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_bevcb(mx.http, metrics_bevcb, NULL);
	evhttp_set_gencb(mx.http, metrics_request, NULL);
	return 0;
}

/* Listeners the configuration has and we have not are opened, those we
 * have and it has not are closed; the others are left alone. */
void
metrics_reconfigure(const struct bgpd_config *conf)
{
	const struct metrics_listen	*m;
	struct mlisten			*l, *next;

	if (mx.base == NULL)
		return;
	for (l = TAILQ_FIRST(&mx.listeners); l != NULL; l = next) {
		next = TAILQ_NEXT(l, entry);
		TAILQ_FOREACH(m, &conf->metrics, entry)
			if (addr_cmp(&m->addr, &l->addr) == 0 &&
			    m->port == l->port)
				break;
		if (m == NULL) {
			log_info("metrics: no longer serving on %s port %u",
			    addr_str(&l->addr), l->port);
			metrics_close(l);
		}
	}
	TAILQ_FOREACH(m, &conf->metrics, entry) {
		if (metrics_find(&m->addr, m->port) != NULL)
			continue;
		metrics_server();
		if ((l = calloc(1, sizeof(*l))) == NULL)
			fatal("metrics");
		l->addr = m->addr;
		l->port = m->port;
		TAILQ_INSERT_TAIL(&mx.listeners, l, entry);
		if (metrics_open(l) == -1)
			metrics_close(l);
	}
}

int
metrics_init(struct event_base *base, const struct bgpd_config *conf)
{
	const struct metrics_listen	*m;

	mx.base = base;
	mx.st.started = time(NULL);
	metrics_reconfigure(conf);
	TAILQ_FOREACH(m, &conf->metrics, entry)
		if (metrics_find(&m->addr, m->port) == NULL)
			return -1;
	return 0;
}

void
metrics_shutdown(void)
{
	int	 i;

	while (!TAILQ_EMPTY(&mx.listeners))
		metrics_close(TAILQ_FIRST(&mx.listeners));
	if (mx.http != NULL)
		evhttp_free(mx.http);
	for (i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (mx.conns[i] != NULL)
			bufferevent_decref(mx.conns[i]);
	if (mx.t_sweep != NULL)
		event_free(mx.t_sweep);
	metrics_collect_free();
	memset(&mx, 0, sizeof(mx));
	TAILQ_INIT(&mx.listeners);
}
