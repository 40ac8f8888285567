/*
 * tbgpd: the daemon's entry point.  Options, configuration check,
 * logging setup, daemonizing, the libevent loop and its signals, and the
 * orderly shutdown (Cease/Administrative Shutdown to every peer, a short
 * flush, then everything freed).
 */
#include "config.h"

#include <sys/types.h>
#include <errno.h>
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
#include "log.h"
#include "kernel.h"
#include "rde.h"
#include "tunnel.h"
#include "session.h"

#define SHUTDOWN_FLUSH_MS	1000
#define SHUTDOWN_MESSAGE	"tbgpd shutting down"

struct tbgpd_opts {
	int		 debug;
	int		 noaction;
	const char	*conffile;
	const char	*ctlsock;
	long		 port;		/* -1: not given */
};

static void
usage(void)
{
	fprintf(stderr, "usage: tbgpd [-dnV] [-f file] [-p port] "
	    "[-s socket]\n");
	exit(1);
}

static void
tbgpd_args(int argc, char *argv[], struct tbgpd_opts *o)
{
	char	*end;
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->conffile = DEFAULT_CONFIG;
	o->ctlsock = DEFAULT_CTLSOCK;
	o->port = -1;
	while ((ch = getopt(argc, argv, "df:np:s:V")) != -1) {
		switch (ch) {
		case 'd': o->debug = 1; break;
		case 'f': o->conffile = optarg; break;
		case 'n': o->noaction = 1; break;
		case 's': o->ctlsock = optarg; break;
		case 'p':
			o->port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o->port < 1 ||
			    o->port > 65535) {
				fprintf(stderr, "tbgpd: invalid port %s\n",
				    optarg);
				exit(1);
			}
			break;
		case 'V':
			printf("tbgpd %s\n", PACKAGE_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
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

/* Foreground: stderr with timestamps; else syslog.  The configuration's
 * level and facility apply to both. */
static void
tbgpd_logging(const struct tbgpd_opts *o, const struct bgpd_config *conf)
{
	log_setlevel(conf->log_level);
	if (o->debug) {
		log_init(1, conf->log_facility, "tbgpd");
		log_settimestamps(1);
	} else
		log_init(0, conf->log_facility, "tbgpd");
	if (log_setfile(conf->log_file) == -1)
		log_warn("log file %s", conf->log_file);
}

static void
tbgpd_sigterm(evutil_socket_t sig, short ev, void *arg)
{
	struct event_base	*base = arg;

	log_info("received %s, shutting down", strsignal(sig));
	kernel_closing();
	peer_shutdown_all(SHUTDOWN_MESSAGE);
	event_base_loopbreak(base);
}

static void
tbgpd_sighup(evutil_socket_t sig, short ev, void *arg)
{
	log_info("SIGHUP: configuration reload is not implemented yet");
}

static void
tbgpd_signals(struct event_base *base, struct event *ev[3])
{
	ev[0] = evsignal_new(base, SIGTERM, tbgpd_sigterm, base);
	ev[1] = evsignal_new(base, SIGINT, tbgpd_sigterm, base);
	ev[2] = evsignal_new(base, SIGHUP, tbgpd_sighup, base);
	if (ev[0] == NULL || ev[1] == NULL || ev[2] == NULL ||
	    evsignal_add(ev[0], NULL) == -1 ||
	    evsignal_add(ev[1], NULL) == -1 ||
	    evsignal_add(ev[2], NULL) == -1)
		fatalx("cannot set up signal handlers");
	signal(SIGPIPE, SIG_IGN);
}

static uint16_t
tbgpd_port(const struct tbgpd_opts *o, const struct bgpd_config *conf)
{
	if (o->port > 0)
		return (uint16_t)o->port;
	return conf->listen_port ? conf->listen_port : BGP_PORT;
}

int
main(int argc, char *argv[])
{
	struct tbgpd_opts	 o;
	struct bgpd_config	*conf;
	struct event_base	*base;
	struct event		*sigev[3];
	uint32_t		 router_id;
	int			 i;

	tbgpd_args(argc, argv, &o);
	log_init(1, LOG_DAEMON, "tbgpd");
	log_settimestamps(o.debug);
	conf = tbgpd_config(&o);
	if (conf->as == 0)
		fatalx("%s: no 'router bgp ASN' section", o.conffile);
	if ((router_id = peer_router_id(conf)) == 0)
		fatalx("no BGP router-id: set 'bgp router-id' or give the "
		    "host a non-loopback IPv4 address");
	if ((base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (session_init(base, tbgpd_port(&o, conf)) == -1)
		fatalx("cannot listen for BGP connections on port %u",
		    tbgpd_port(&o, conf));
	tbgpd_logging(&o, conf);
	if (!o.debug) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		if (event_reinit(base) == -1)
			fatalx("event_reinit failed");
	}
	if (ctl_init(base, o.ctlsock) == -1)
		fatalx("cannot open control socket %s", o.ctlsock);
	ctl_set_config(conf);
	tbgpd_signals(base, sigev);
	log_info("tbgpd %s starting, AS %u, router-id %s", PACKAGE_VERSION,
	    conf->as, bgpid_str(router_id));
	(void)tunnel_init(base);
	(void)kernel_init(base, conf);
	rde_init(conf, base, router_id);
	peer_init(conf, base, router_id);

	event_base_dispatch(base);

	session_flush_all(SHUTDOWN_FLUSH_MS);
	rde_shutdown();
	kernel_shutdown();
	peer_free_all();
	tunnel_shutdown();
	session_shutdown();
	ctl_shutdown();
	for (i = 0; i < 3; i++)
		event_free(sigev[i]);
	event_base_free(base);
	conf_free(conf);
	log_info("tbgpd exiting");
	return 0;
}
