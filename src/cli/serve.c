/* alongside serve */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "access/password.h"
#include "access/session.h"
#include "cli/cli.h"
#include "core/glass.h"
#include "core/safety.h"
#include "http/http.h"
#include "store/db.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"

static const char usage[] =
    "usage: alongside serve --db FILE|URI [options]\n"
    "\n"
    "Serves the browser UI and the JSON API until interrupted. Several\n"
    "servers may share one PostgreSQL database.\n"
    "\n"
    "  --db FILE|URI          the database: a file, or\n"
    "                         postgresql://user@host:port/dbname\n"
    "  --key-file FILE        the key file that seals the records' free\n"
    "                         text (default: FILE.key beside a SQLite\n"
    "                         database, or ALONGSIDE_KEY_FILE; required\n"
    "                         for PostgreSQL); mode 0600, read again when\n"
    "                         it changes (alongside key rotate)\n"
    "  --listen HOST:PORT     address to listen on (127.0.0.1:8080);\n"
    "                         IPv6 as [::1]:8080\n"
    "  --thread-model MODEL   pool (an epoll thread pool; SQLite's default)\n"
    "                         or per-connection (a thread per connection;\n"
    "                         PostgreSQL's default)\n"
    "  --threads N            pool threads (default: CPU cores)\n"
    "  --db-connections N     PostgreSQL connections shared by the threads\n"
    "                         (16)\n"
    "  --tls-cert FILE        PEM certificate; with --tls-key serves HTTPS\n"
    "  --tls-key FILE         PEM private key\n"
    "  --secure-cookies       mark cookies Secure (TLS ends at a proxy)\n"
    "  --trust-proxy          take the client address from X-Forwarded-For\n"
    "                         (and lift the per-address connection limit,\n"
    "                         since all connections come from the proxy)\n"
    "  --per-address N        connections allowed from one address (256)\n"
    "  --idle-timeout SECS    sign out after this long idle (900)\n"
    "  --session-lifetime SECS  sign out after this long regardless (43200)\n"
    "  --portal-idle-timeout SECS  sign a person out of their portal\n"
    "                         after this long idle (600)\n"
    "  --portal-session-lifetime SECS  and after this long regardless\n"
    "                         (3600)\n"
    "  --lockout-after N      failed sign-ins that lock an account (5)\n"
    "  --lockout-seconds SECS how long a lock lasts (900)\n"
    "  --max-body BYTES       largest request body accepted (262144)\n"
    "  --quiet                no access log lines\n"
    "  --safety-escalate-seconds N  pass on an unacknowledged safety\n"
    "                         concern after N seconds instead of the\n"
    "                         minutes in data/safety.json (drills, tests)\n"
    "  --break-glass-minutes N  how long break-glass access to a record\n"
    "                         lasts (60)\n"
    "  --break-glass-seconds N  the same in seconds (drills, tests)\n";

enum {
	OPT_DB = 1, OPT_LISTEN, OPT_THREADS, OPT_CERT, OPT_KEY, OPT_SECURE,
	OPT_PROXY, OPT_IDLE, OPT_LIFETIME, OPT_LOCK_AFTER, OPT_LOCK_SECS,
	OPT_MAX_BODY, OPT_QUIET, OPT_PER_ADDRESS, OPT_THREAD_MODEL,
	OPT_DB_CONNECTIONS, OPT_SAFETY_SECS, OPT_GLASS_MINUTES, OPT_GLASS_SECS,
	OPT_PORTAL_IDLE, OPT_PORTAL_LIFETIME, OPT_KEY_FILE,
};

static const struct option opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "tls-cert", required_argument, NULL, OPT_CERT },
	{ "tls-key", required_argument, NULL, OPT_KEY },
	{ "secure-cookies", no_argument, NULL, OPT_SECURE },
	{ "trust-proxy", no_argument, NULL, OPT_PROXY },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "session-lifetime", required_argument, NULL, OPT_LIFETIME },
	{ "portal-idle-timeout", required_argument, NULL, OPT_PORTAL_IDLE },
	{ "portal-session-lifetime", required_argument, NULL,
	    OPT_PORTAL_LIFETIME },
	{ "lockout-after", required_argument, NULL, OPT_LOCK_AFTER },
	{ "lockout-seconds", required_argument, NULL, OPT_LOCK_SECS },
	{ "max-body", required_argument, NULL, OPT_MAX_BODY },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "per-address", required_argument, NULL, OPT_PER_ADDRESS },
	{ "thread-model", required_argument, NULL, OPT_THREAD_MODEL },
	{ "db-connections", required_argument, NULL, OPT_DB_CONNECTIONS },
	{ "safety-escalate-seconds", required_argument, NULL, OPT_SAFETY_SECS },
	{ "break-glass-minutes", required_argument, NULL, OPT_GLASS_MINUTES },
	{ "break-glass-seconds", required_argument, NULL, OPT_GLASS_SECS },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ NULL, 0, NULL, 0 },
};

static int
number(const char *name, const char *s, int64_t min, int64_t max,
    int64_t *out)
{
	if (parse_int64(s, min, max, out) != ERR_OK) {
		fprintf(stderr, "alongside: --%s must be a whole number from "
		    "%lld to %lld\n", name, (long long)min, (long long)max);
		return -1;
	}
	return 0;
}

/*
 * The safety sweep: every SWEEP_SECONDS, passes on the safety concerns
 * nobody acknowledged in time (core/safety.c claims each with a
 * conditional UPDATE, so several serve processes may sweep at once).
 * Reads of notifications and concerns sweep too, so a late tick is never
 * seen. Stops when sweep_stop is set and the condition signalled.
 */
#define SWEEP_SECONDS	15

static pthread_mutex_t sweep_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sweep_cv = PTHREAD_COND_INITIALIZER;
static int sweep_stop;

static void *
sweep_main(void *arg)
{
	struct timespec until;
	struct db *db;

	(void)arg;
	pthread_mutex_lock(&sweep_mu);
	while (!sweep_stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SWEEP_SECONDS;
		while (!sweep_stop && pthread_cond_timedwait(&sweep_cv,
		    &sweep_mu, &until) == 0)
			;
		if (sweep_stop)
			break;
		pthread_mutex_unlock(&sweep_mu);
		if ((db = db_acquire()) != NULL) {
			if (safety_sweep(db, time_now_ms(), NULL) != ERR_OK)
				log_error("safety: sweep failed");
			db_release(db);
		}
		pthread_mutex_lock(&sweep_mu);
	}
	pthread_mutex_unlock(&sweep_mu);
	return NULL;
}

int
cli_serve(int argc, char **argv)
{
	struct server_options o;
	struct auth_config ac;
	struct server *srv = NULL;
	struct db *db;
	const char *uri = NULL, *key_file = NULL;
	char *key_path;
	sigset_t set;
	pthread_t sweeper;
	int64_t v;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int c, sig, per_address = 0, model = -1, db_conns = 16;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.listen = "127.0.0.1:8080";
	o.threads = cores > 0 ? (int)cores : 2;
	o.max_connections = 1024;
	o.per_ip_connections = 256;
	o.timeout_s = 60;
	o.max_body = 256 * 1024;
	auth_config_default(&ac);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			uri = optarg;
			break;
		case OPT_KEY_FILE:
			key_file = optarg;
			break;
		case OPT_LISTEN:
			o.listen = optarg;
			break;
		case OPT_THREADS:
			if (number("threads", optarg, 1, 1024, &v))
				return 2;
			o.threads = (int)v;
			break;
		case OPT_CERT:
			o.tls_cert = optarg;
			break;
		case OPT_KEY:
			o.tls_key = optarg;
			break;
		case OPT_SECURE:
			o.secure_cookies = 1;
			break;
		case OPT_PROXY:
			o.trust_proxy = 1;
			break;
		case OPT_IDLE:
			if (number("idle-timeout", optarg, 1, 86400, &v))
				return 2;
			ac.idle_ms = v * 1000;
			break;
		case OPT_LIFETIME:
			if (number("session-lifetime", optarg, 60, 30 * 86400,
			    &v))
				return 2;
			ac.lifetime_ms = v * 1000;
			break;
		case OPT_PORTAL_IDLE:
			if (number("portal-idle-timeout", optarg, 1, 86400, &v))
				return 2;
			ac.portal_idle_ms = v * 1000;
			break;
		case OPT_PORTAL_LIFETIME:
			if (number("portal-session-lifetime", optarg, 60,
			    86400, &v))
				return 2;
			ac.portal_lifetime_ms = v * 1000;
			break;
		case OPT_LOCK_AFTER:
			if (number("lockout-after", optarg, 1, 100, &v))
				return 2;
			ac.lock_after = (int)v;
			break;
		case OPT_LOCK_SECS:
			if (number("lockout-seconds", optarg, 1, 86400, &v))
				return 2;
			ac.lock_ms = v * 1000;
			break;
		case OPT_MAX_BODY:
			if (number("max-body", optarg, 1024, 64 << 20, &v))
				return 2;
			o.max_body = (size_t)v;
			break;
		case OPT_QUIET:
			log_quiet(1);
			break;
		case OPT_THREAD_MODEL:
			if (strcmp(optarg, "pool") == 0)
				model = THREADS_POOL;
			else if (strcmp(optarg, "per-connection") == 0)
				model = THREADS_PER_CONNECTION;
			else {
				fprintf(stderr, "alongside: --thread-model is "
				    "pool or per-connection\n");
				return 2;
			}
			break;
		case OPT_SAFETY_SECS:
			if (number("safety-escalate-seconds", optarg, 1, 86400,
			    &v))
				return 2;
			safety_set_escalate_seconds((int)v);
			break;
		case OPT_GLASS_MINUTES:
			if (number("break-glass-minutes", optarg, 1, 1440, &v))
				return 2;
			glass_set_seconds((int)v * 60);
			break;
		case OPT_GLASS_SECS:
			if (number("break-glass-seconds", optarg, 1, 86400, &v))
				return 2;
			glass_set_seconds((int)v);
			break;
		case OPT_DB_CONNECTIONS:
			if (number("db-connections", optarg, 1, 1000, &v))
				return 2;
			db_conns = (int)v;
			break;
		case OPT_PER_ADDRESS:
			if (number("per-address", optarg, 1, 100000, &v))
				return 2;
			o.per_ip_connections = (unsigned)v;
			per_address = 1;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	/* Behind a proxy every connection comes from the proxy's address:
	 * no per-address limit unless one is asked for. */
	if (o.trust_proxy && !per_address)
		o.per_ip_connections = 0;
	if (uri == NULL || optind != argc ||
	    (o.tls_cert == NULL) != (o.tls_key == NULL)) {
		fputs(usage, stderr);
		return 2;
	}
	if ((key_path = cli_key_path(uri, key_file)) == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	o.thread_model = model >= 0 ? (enum thread_model)model :
	    db_uri_is_pg(uri) ? THREADS_PER_CONNECTION : THREADS_POOL;
	/* The keyring is loaded here, before any thread starts. */
	db = cli_open_sealed(uri, key_path, 0);
	free(key_path);
	if (db == NULL)
		return 1;
	if (cli_load_rules(db) != 0) {
		db_close(db);
		return 1;
	}
	db_close(db);
	auth_configure(&ac);
	password_setup(o.threads < (int)cores ? o.threads : (int)cores);
	if (db_pool_setup(uri, db_conns) != ERR_OK)
		return 1;
	/* Block the stop signals before threads start so only sigwait()
	 * below receives them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (server_start(&o, &srv) != ERR_OK) {
		db_pool_teardown();
		return 1;
	}
	if (pthread_create(&sweeper, NULL, sweep_main, NULL) != 0) {
		server_stop(srv);
		db_pool_teardown();
		return 1;
	}
	printf("Alongside is serving on %s://%s\n", o.tls_cert ? "https" :
	    "http", o.listen);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	log_info("serve: stopping on signal %d", sig);
	pthread_mutex_lock(&sweep_mu);
	sweep_stop = 1;
	pthread_cond_signal(&sweep_cv);
	pthread_mutex_unlock(&sweep_mu);
	pthread_join(sweeper, NULL);
	server_stop(srv);
	db_pool_teardown();
	return 0;
}
