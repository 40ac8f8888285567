/*
 * tbgpd: the daemon's entry point.  Options, configuration check,
 * logging setup, the start-up order (sockets that need privileges first,
 * then the drop, then everything that talks to peers), readiness, the
 * libevent loop and its signals, and the orderly shutdown
 * (Cease/Administrative Shutdown to every peer, a short flush, then
 * everything freed).  Detaching, the pidfile, systemd's notify protocol
 * and the privilege drop themselves are in daemon.c.
 */
#include "config.h"

#include <sys/types.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgpd.h"
#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "ctl_show.h"
#include "gr.h"
#include "kernel.h"
#include "kif.h"
#include "liveness.h"
#include "log.h"
#include "metrics.h"
#include "mrt.h"
#include "peer.h"
#include "rde.h"
#include "reload.h"
#include "sroute.h"
#include "track.h"
#include "session.h"
#include "tunnel.h"
#include "xfrm.h"

#define SHUTDOWN_FLUSH_MS	1000
#define SHUTDOWN_MESSAGE	"tbgpd shutting down"
#define LOG_TICK_SEC		5	/* held-back log counts come out */
#define TBGPD_NEV		16	/* signal events and the log tick */

struct tbgpd_opts {
	int		 debug;
	int		 noaction;
	const char	*user;		/* NULL: DEFAULT_USER if it exists */
	long		 port;		/* -1: not given */
	char		 conffile[PATH_MAX];
	char		 ctlsock[PATH_MAX];
	char		 rosock[PATH_MAX];	/* the read-only socket */
	char		 pidfile[PATH_MAX];	/* "": none */
};

static char	 tbgpd_status[128];	/* systemd's STATUS= line */
/* The kernel's interfaces and the IPsec SA monitor: owned here, opened
 * while privileged, handed to the modules that follow them. */
static struct kif	*tbgpd_kif;
static struct xfrm	*tbgpd_xfrm;

static void
usage(void)
{
	fprintf(stderr, "usage: tbgpd [-dnV] [-f file] [-P pidfile] "
	    "[-p port] [-S ro-socket] [-s socket] [-u user]\n");
	exit(1);
}

/* path into out[PATH_MAX]; made absolute when tbgpd will detach, since a
 * daemon leaves its start directory (a reload reads the same file). */
static void
tbgpd_path(const struct tbgpd_opts *o, char *out, const char *path)
{
	char	 cwd[PATH_MAX];
	int	 n;

	if (*path == '/' || o->debug || o->noaction ||
	    getcwd(cwd, sizeof(cwd)) == NULL)
		n = snprintf(out, PATH_MAX, "%s", path);
	else
		n = snprintf(out, PATH_MAX, "%s/%s", cwd, path);
	if (n < 0 || n >= PATH_MAX) {
		fprintf(stderr, "tbgpd: path too long: %s\n", path);
		exit(1);
	}
}

static long
tbgpd_port_arg(const char *arg)
{
	char	*end;
	long	 port;

	port = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || port < 1 || port > 65535) {
		fprintf(stderr, "tbgpd: invalid port %s\n", arg);
		exit(1);
	}
	return port;
}

/* The read-only socket beside the control socket unless -S says where:
 * tbgpd.sock -> tbgpd-ro.sock, anything else gets ".ro" appended. */
static void
tbgpd_rosock(const struct tbgpd_opts *o, char *out, const char *ro)
{
	char	 def[PATH_MAX];
	size_t	 len = strlen(o->ctlsock);
	int	 n;

	if (ro == NULL) {
		if (len > 5 && strcmp(o->ctlsock + len - 5, ".sock") == 0)
			n = snprintf(def, sizeof(def), "%.*s-ro.sock",
			    (int)(len - 5), o->ctlsock);
		else
			n = snprintf(def, sizeof(def), "%s.ro", o->ctlsock);
		if (n < 0 || (size_t)n >= sizeof(def)) {
			fprintf(stderr, "tbgpd: path too long: %s\n",
			    o->ctlsock);
			exit(1);
		}
		ro = def;
	}
	tbgpd_path(o, out, ro);
}

static void
tbgpd_args(int argc, char *argv[], struct tbgpd_opts *o)
{
	const char	*conffile = DEFAULT_CONFIG, *ctlsock = DEFAULT_CTLSOCK;
	const char	*pidfile = NULL, *rosock = NULL;
	int		 ch;

	memset(o, 0, sizeof(*o));
	o->port = -1;
	while ((ch = getopt(argc, argv, "df:nP:p:S:s:u:V")) != -1) {
		switch (ch) {
		case 'd': o->debug = 1; break;
		case 'f': conffile = optarg; break;
		case 'n': o->noaction = 1; break;
		case 'P': pidfile = optarg; break;
		case 'p': o->port = tbgpd_port_arg(optarg); break;
		case 'S': rosock = optarg; break;
		case 's': ctlsock = optarg; break;
		case 'u': o->user = optarg; break;
		case 'V':
			printf("tbgpd %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	/* A pidfile by default only when detaching: in the foreground the
	 * caller (systemd, a test) already knows the pid. */
	if (pidfile == NULL && !o->debug)
		pidfile = DEFAULT_PIDFILE;
	tbgpd_path(o, o->conffile, conffile);
	tbgpd_path(o, o->ctlsock, ctlsock);
	tbgpd_rosock(o, o->rosock, rosock);
	if (pidfile != NULL)
		tbgpd_path(o, o->pidfile, pidfile);
}

static struct bgpd_config *
tbgpd_config(const struct tbgpd_opts *o)
{
	struct bgpd_config	*conf = NULL;
	int			 errors;

	errors = conf_parse(o->conffile, &conf, stderr);
	if (errors > 0 || conf == NULL) {
		fprintf(stderr, "%s: %d error%s\n", o->conffile, errors,
		    errors == 1 ? "" : "s");
		exit(1);
	}
	if (o->noaction) {
		printf("configuration OK\n");
		conf_free(conf);
		exit(0);
	}
	return conf;
}

/* Foreground: stderr with timestamps, unless stderr is systemd's journal:
 * then syslog as when detached, so that the configured facility holds and
 * the journal keeps each message's level.  Detached, errors also reach
 * stderr until the parent has been released. */
static void
tbgpd_logging(const struct tbgpd_opts *o, const struct bgpd_config *conf)
{
	int	 to_stderr = o->debug && !daemon_stderr_is_journal();

	log_setlevel(conf->log_level);
	log_init(to_stderr, conf->log_facility, "tbgpd");
	log_settimestamps(to_stderr);
	log_stderr_errors(!o->debug);
	(void)log_setfile(conf->log_file);	/* a failure is logged */
}

static void
tbgpd_sigterm(evutil_socket_t sig, short ev, void *arg)
{
	struct event_base	*base = arg;

	daemon_notify("STOPPING=1\nSTATUS=shutting down");
	log_info("received %s, shutting down", strsignal(sig));
	kernel_closing();
	rde_closing();
	/* Graceful restart: the kernel keeps our routes and the helpers
	 * theirs, so that the next instance takes over without a gap. */
	if (gr_restart_configured(reload_running())) {
		log_info("graceful restart: routes stay in the kernel, "
		    "sessions close without a NOTIFICATION");
		kernel_keep_routes();
		peer_shutdown_graceful(SHUTDOWN_MESSAGE);
	} else
		peer_shutdown_all(SHUTDOWN_MESSAGE);
	event_base_loopbreak(base);
}

/* A reload (SIGHUP or the shell's) replaced the configuration: the
 * control socket's answers (router-id, AS) and systemd's status line
 * follow it. */
static void
tbgpd_reloaded(const struct bgpd_config *conf, uint32_t router_id)
{
	ctl_set_config(conf);
	metrics_reconfigure(conf);
	mrt_reconfigure(conf);
	if (conf->as == 0)
		snprintf(tbgpd_status, sizeof(tbgpd_status), "static routes "
		    "only (no router bgp)");
	else
		snprintf(tbgpd_status, sizeof(tbgpd_status), "AS %u, "
		    "router-id %s", conf->as, bgpid_str(router_id));
}

/* systemd hears RELOADING=1 ... READY=1 around the reload, so that
 * `systemctl reload` waits for it and reports it.  A refused
 * configuration is in the log; the old one keeps running. */
static void
tbgpd_sighup(evutil_socket_t sig, short ev, void *arg)
{
	daemon_notify_reloading();
	daemon_notify("STATUS=reloading the configuration");
	(void)log_reopen();	/* this line already in the new file */
	log_info("SIGHUP: reloading the configuration");
	if (reload_run(NULL) == -1)
		daemon_notify("READY=1\nSTATUS=%s (last reload refused, see "
		    "the log)", tbgpd_status);
	else
		daemon_notify("READY=1\nSTATUS=%s", tbgpd_status);
}

/* SIGUSR1 (FRR's convention, what logrotate setups send): the log file
 * is opened again under its name; the line saying so is the first in the
 * new file. */
static void
tbgpd_sigusr1(evutil_socket_t sig, short ev, void *arg)
{
	if (log_reopen() == 0 && log_getfile() != NULL)
		log_info("SIGUSR1: log file %s reopened", log_getfile());
}

/* A signal whose default action would end the daemon without a word:
 * said, and otherwise ignored. */
static void
tbgpd_sigother(evutil_socket_t sig, short ev, void *arg)
{
	const char	*abbrev = sigabbrev_np(sig);

	log_warnx("received SIG%s (%s), ignored", abbrev != NULL ? abbrev :
	    "?", strsignal(sig));
}

static void
tbgpd_logtick(evutil_socket_t fd, short ev, void *arg)
{
	log_ratelimit_expire();
}

/* Signals whose default is to terminate, handled and logged.  SIGQUIT
 * and the fault signals keep their default (a core dump, which is not
 * silent, and what an operator sending SIGQUIT asks for). */
static const int tbgpd_logged_signals[] = {
	SIGUSR2, SIGALRM, SIGIO, SIGPROF, SIGVTALRM, SIGPWR, SIGSTKFLT,
	SIGXCPU,
};
#define TBGPD_NLOGGED	\
	(sizeof(tbgpd_logged_signals) / sizeof(tbgpd_logged_signals[0]))

/* Before anything can be interrupted: what would kill the daemon is
 * ignored until the event loop handles it (a SIGUSR1 from logrotate or a
 * SIGHUP during start-up must not end it).  SIGPIPE stays ignored (the
 * sockets' errors say it), and so does SIGXFSZ (a log file at its size
 * limit fails its writes, which is reported). */
static void
tbgpd_signals_early(void)
{
	size_t	 i;
	int	 sig;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	for (i = 0; i < TBGPD_NLOGGED; i++)
		signal(tbgpd_logged_signals[i], SIG_IGN);
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_IGN);
}

/* The signal events and the log tick, in ev[]; returns how many. */
static size_t
tbgpd_events(struct event_base *base, struct event *ev[TBGPD_NEV])
{
	struct timeval	 tick = { LOG_TICK_SEC, 0 };
	size_t		 i, n = 0;

	ev[n++] = evsignal_new(base, SIGTERM, tbgpd_sigterm, base);
	ev[n++] = evsignal_new(base, SIGINT, tbgpd_sigterm, base);
	ev[n++] = evsignal_new(base, SIGHUP, tbgpd_sighup, base);
	ev[n++] = evsignal_new(base, SIGUSR1, tbgpd_sigusr1, base);
	for (i = 0; i < TBGPD_NLOGGED; i++)
		ev[n++] = evsignal_new(base, tbgpd_logged_signals[i],
		    tbgpd_sigother, NULL);
	for (i = 0; i < n; i++)
		if (ev[i] == NULL || event_add(ev[i], NULL) == -1)
			fatalx("cannot set up signal handlers");
	ev[n] = event_new(base, -1, EV_PERSIST, tbgpd_logtick, NULL);
	if (ev[n] == NULL || event_add(ev[n], &tick) == -1)
		fatalx("cannot set up the log tick");
	return n + 1;
}

static uint16_t
tbgpd_port(const struct tbgpd_opts *o, const struct bgpd_config *conf)
{
	if (o->port > 0)
		return (uint16_t)o->port;
	return conf->listen_port ? conf->listen_port : BGP_PORT;
}

static uint32_t
tbgpd_router_id(const struct tbgpd_opts *o, const struct bgpd_config *conf)
{
	uint32_t	 router_id;

	if (conf->as == 0)
		return 0;	/* static routes only: no BGP identity */
	if ((router_id = peer_router_id(conf)) == 0)
		fatalx("no BGP router-id: set 'bgp router-id' or give the "
		    "host a non-loopback IPv4 address");
	return router_id;
}

/* The pidfile first, so that a second tbgpd is told so rather than that
 * port 179 is in use. */
static void
tbgpd_pidfile(const struct tbgpd_opts *o, const struct daemon_user *u)
{
	if (o->pidfile[0] == '\0')
		return;
	if (daemon_rundir(o->pidfile, u) == -1 ||
	    daemon_pidfile(o->pidfile) == -1)
		fatalx("not starting");
}

/* The interface table; NULL (logged) when it cannot be read: sessions
 * then notice dead tunnels by their hold timers only. */
static struct kif *
tbgpd_interfaces(struct event_base *base)
{
	struct kif	*k;

	if ((k = kif_new()) == NULL) {
		log_warn("interface monitor");
		return NULL;
	}
	if (kif_open(k, base) == -1) {
		log_warn("cannot follow interfaces (rtnetlink); sessions "
		    "notice dead tunnels by their hold timers only");
		kif_free(k);
		return NULL;
	}
	return k;
}

/* The IPsec SAs of XFRM interfaces, one more liveness signal; without
 * XFRM in the kernel, one info line and NULL. */
static struct xfrm *
tbgpd_ipsec(struct event_base *base)
{
	struct xfrm	*x;

	if ((x = xfrm_new()) == NULL)
		fatal("xfrm");
	if (xfrm_open(x, base) == 0) {
		log_info("following IPsec SA events (NETLINK_XFRM)");
		return x;
	}
	if (errno == EPROTONOSUPPORT)
		log_info("no XFRM in this kernel: SA events not followed");
	else
		log_info("XFRM SA events not followed: %s", strerror(errno));
	xfrm_free(x);
	return NULL;
}

/* Everything that needs privileges: the BGP port, the control socket
 * (its directory is root's), netlink (SO_RCVBUFFORCE, the SA dump).
 * Peer input is read only after daemon_drop(). */
static void
tbgpd_open(const struct tbgpd_opts *o, struct bgpd_config *conf,
    struct event_base *base, const struct daemon_user *u)
{
	/* Without router bgp tbgpd is a static-tunnel daemon: no port. */
	if (conf->as != 0 && session_init(base, tbgpd_port(o, conf),
	    &peer_session_ops) == -1)
		fatalx("cannot listen for BGP connections on port %u",
		    tbgpd_port(o, conf));
	if (daemon_rundir(o->ctlsock, u) == -1 ||
	    ctl_init(base, o->ctlsock) == -1)
		fatalx("cannot open control socket %s", o->ctlsock);
	daemon_chown_socket(o->ctlsock, u);
	/* For monitoring users: shows only (mode 0666, as OpenBGPD's
	 * restricted socket). */
	if (ctl_init_ro(base, o->rosock) == -1)
		fatalx("cannot open read-only control socket %s", o->rosock);
	daemon_chown_socket(o->rosock, u);
	tbgpd_kif = tbgpd_interfaces(base);
	tbgpd_xfrm = tbgpd_ipsec(base);
	show_set_kif(tbgpd_kif);
	tunnel_init(tbgpd_kif);
	(void)kernel_init(base, conf);
	/* A listener that cannot open is logged; the daemon goes on. */
	(void)metrics_init(base, conf);
}

/* After the loop: what is still queued to peers goes out, the kernel
 * routes go (unless retained), everything is freed. */
static void
tbgpd_close(struct event_base *base, struct event *ev[], size_t nev)
{
	struct bgpd_config	*conf = reload_running();
	size_t			 i;

	session_flush_all(SHUTDOWN_FLUSH_MS);
	metrics_shutdown();
	mrt_shutdown();
	ctl_shutdown();		/* streaming answers hold RIB entries */
	rde_shutdown();
	sroute_shutdown();
	kernel_shutdown();
	liveness_shutdown();
	track_shutdown();
	peer_free_all();
	xfrm_free(tbgpd_xfrm);
	kif_free(tbgpd_kif);
	session_shutdown();
	for (i = 0; i < nev; i++)
		event_free(ev[i]);
	event_base_free(base);
	conf_free(conf);
	daemon_pidfile_remove();
	log_ratelimit_flush();
	log_info("tbgpd exiting");
}

int
main(int argc, char *argv[])
{
	struct tbgpd_opts	 o;
	struct daemon_user	 user;
	struct bgpd_config	*conf;
	struct event_base	*base;
	struct event		*ev[TBGPD_NEV];
	size_t			 nev;
	uint32_t		 router_id;

	tbgpd_signals_early();
	tbgpd_args(argc, argv, &o);
	log_init(1, LOG_DAEMON, "tbgpd");
	log_settimestamps(o.debug);
	conf = tbgpd_config(&o);
	router_id = tbgpd_router_id(&o, conf);
	daemon_user_lookup(o.user != NULL ? o.user : DEFAULT_USER,
	    o.user != NULL, &user);
	if (!o.debug)
		daemon_detach();
	tbgpd_logging(&o, conf);
	(void)daemon_notify_init();
	tbgpd_pidfile(&o, &user);
	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	tbgpd_open(&o, conf, base, &user);
	nev = tbgpd_events(base, ev);
	if (conf->as != 0)
		log_info("tbgpd %s starting, AS %u, router-id %s",
		    PACKAGE_VERSION, conf->as, bgpid_str(router_id));
	else
		log_info("tbgpd %s starting, static routes only (no router "
		    "bgp)", PACKAGE_VERSION);
	daemon_drop(&user);
	ctl_set_trusted(0, geteuid());
	rde_init(conf, base, router_id, tbgpd_kif);
	peer_init(conf, base, router_id, tbgpd_kif);
	/* As the daemon's user, so that new files every interval can be
	 * made the same way; after the RDE, whose RIB it reads. */
	mrt_init(base, conf);
	if (kernel_adopted() > 0)
		rde_restart_begin(kernel_adopted());
	track_init(base, tbgpd_kif);
	liveness_init(tbgpd_kif, tbgpd_xfrm);
	sroute_init(base, conf, tbgpd_kif, tbgpd_xfrm);
	reload_init(o.conffile, conf, router_id, tbgpd_reloaded);
	tbgpd_reloaded(conf, router_id);
	daemon_ready(tbgpd_status);

	event_base_dispatch(base);

	tbgpd_close(base, ev, nev);
	return 0;
}
