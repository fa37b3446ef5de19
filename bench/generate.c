/*
 * bench-generate: fills a database with a fictional state-wide peer
 * network for the load scenarios in bench/run.sh. Built with the program
 * (build/bench-generate), never installed.
 *
 *   build/bench-generate --db FILE|postgresql://... [--scale S]
 *       [--password PW] [--key-file FILE]
 *
 * At scale 1: 200 teams of one supervisor and nine peer specialists
 * (2,002 staff with an administrator and a privacy officer), 100,000
 * people we support (300 to 700 a team; team north, where the bench signs
 * in as peer.north, has about 500) and 2,000,000 audit entries. --scale
 * multiplies the number of teams, people and audit entries; the size of
 * a team stays, so a roster looks the same at every scale.
 *
 * Teams, staff and people go through the core functions the server uses
 * (team_create, staff_create, person_create, episode_start and
 * episode_discharge by way of demo_add_person), so name tokens, contacts,
 * links, episodes and their audit entries are real. Every account shares
 * one password, hashed once. The rest of the audit entries, a history of
 * reads, roster lists and sign-ins, are appended in large batches with
 * audit_append_many(), which keeps the hash chain whole: `alongside audit
 * verify` passes on the result. Commits are not waited for (SQLite
 * synchronous=OFF, PostgreSQL synchronous_commit=off) on this connection
 * only; the server keeps its own settings. The scale is kept in the
 * setting bench_scale, for bench/run.sh to reuse the database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "access/actor.h"
#include "access/audit.h"
#include "access/password.h"
#include "access/session.h"
#include "cli/cli.h"
#include "core/demo.h"
#include "core/rules.h"
#include "core/staff.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/seal.h"
#include "util/xalloc.h"

#define TEAMS_AT_1	200
#define PEOPLE_AT_1	100000
#define AUDIT_AT_1	2000000
#define PEERS_PER_TEAM	9
#define STAFF_PER_TEAM	(1 + PEERS_PER_TEAM)
#define AUDIT_BATCH	20000
#define SCALE_ONE	1000000		/* --scale in millionths */

static const char usage[] =
    "usage: bench-generate --db FILE|URI [--scale S] [--password PW]\n"
    "                      [--key-file FILE]\n"
    "\n"
    "Fills a new database with a fictional state-wide peer network: at\n"
    "scale 1 (the default) 200 teams, 2,002 staff, 100,000 people and\n"
    "2,000,000 audit entries; --scale 0.05 makes a twentieth of it. Every\n"
    "account has the password given (default bench-password-not-real);\n"
    "the bench signs in as peer.north. The key file that seals the\n"
    "records is made as alongside init makes it (--key-file, or\n"
    "ALONGSIDE_KEY_FILE, or FILE.key beside a SQLite database).\n";

struct staff_ref {
	char	 id[37];
	char	 name[128];
	char	 addr[48];
	int	 team;
	int	 supervisor;
};

struct world {
	int			 nteams;
	char			(*team_ids)[37];
	int			*first_person;	/* per team, into person_ids */
	int			*npeople;	/* per team */
	int			 nstaff;
	struct staff_ref	*staff;		/* STAFF_PER_TEAM per team */
	int			 npersons;
	char			(*person_ids)[37];
};

/* --scale as millionths: digits with an optional fraction of up to six. */
static int
scale_parse(const char *s, int64_t *out)
{
	char whole[16], frac[8] = "000000";
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s), f;
	int64_t w = 0, d = 0;

	if (n >= sizeof whole)
		return -1;
	memcpy(whole, s, n);
	whole[n] = '\0';
	if (n > 0 && parse_int64(whole, 0, 100, &w) != ERR_OK)
		return -1;
	if (dot) {
		f = strlen(dot + 1);
		if (f == 0 || f > 6 || strspn(dot + 1, "0123456789") != f)
			return -1;
		memcpy(frac, dot + 1, f);
		if (parse_int64(frac, 0, 999999, &d) != ERR_OK)
			return -1;
	} else if (n == 0) {
		return -1;
	}
	*out = w * SCALE_ONE + d;
	return *out > 0 ? 0 : -1;
}

static int64_t
scaled(int64_t at_one, int64_t ppm)
{
	return (at_one * ppm + SCALE_ONE / 2) / SCALE_ONE;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static unsigned
next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
team_name(int t, char *out, size_t n, char *display, size_t dn)
{
	if (t == 0) {
		snprintf(out, n, "north");
		snprintf(display, dn, "North team");
	} else if (t == 1) {
		snprintf(out, n, "south");
		snprintf(display, dn, "South team");
	} else {
		snprintf(out, n, "team-%03d", t + 1);
		snprintf(display, dn, "Team %03d", t + 1);
	}
}

/*
 * The account for member k of team t (0 the supervisor): the demo's own
 * names on teams north and south, generated ones elsewhere.
 */
static void
staff_name(int t, int k, const char *team, unsigned *seed, char *user,
    size_t un, char *display, size_t dn)
{
	static const char *const north[][2] = {
		{ "super.north", "Sam Okafor" }, { "peer.north", "Jordan Lee" },
		{ "peer.north2", "Casey Morgan" },
	};
	static const char *const south[][2] = {
		{ "super.south", "Dana Whitfield" },
		{ "peer.south", "Riley Chen" },
	};

	if (t == 0 && k < 3) {
		snprintf(user, un, "%s", north[k][0]);
		snprintf(display, dn, "%s", north[k][1]);
		return;
	}
	if (t == 1 && k < 2) {
		snprintf(user, un, "%s", south[k][0]);
		snprintf(display, dn, "%s", south[k][1]);
		return;
	}
	if (k == 0)
		snprintf(user, un, "super.%s", team);
	else
		snprintf(user, un, "peer.%s.%d", team, k);
	demo_staff_name(seed, display, dn);
}

static enum err
add_account(struct db *db, const struct actor *sys, const char *user,
    const char *display, enum role role, const char *team, const char *hash,
    char id[37])
{
	struct staff_input in;
	struct staff_rec rec;
	struct verr v;
	const char *teams[1];
	enum err e;

	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME |
	    STAFF_SET_ROLE | STAFF_SET_PASSWORD_HASH;
	in.username = user;
	in.display_name = display;
	in.role = role;
	in.password_hash = hash;
	if (team) {
		teams[0] = team;
		in.teams = teams;
		in.nteams = 1;
		in.set |= STAFF_SET_TEAMS;
	}
	verr_init(&v);
	memset(&rec, 0, sizeof rec);
	if ((e = staff_create(db, sys, &in, &v, &rec)) != ERR_OK) {
		fprintf(stderr, "bench-generate: cannot add %s: %s%s%s\n", user,
		    err_str(e), v.n ? ": " : "", v.n ? v.e[0].message : "");
		return e;
	}
	snprintf(id, 37, "%s", rec.id);
	staff_rec_clear(&rec);
	return ERR_OK;
}

/* Teams and their staff, through team_create and staff_create. */
static enum err
add_teams(struct db *db, struct world *w, const char *hash)
{
	struct actor sys;
	struct verr v;
	char name[41], display[64], user[65], id[37];
	unsigned seed = 0x6A09E667u;
	enum err e;
	int t, k;

	actor_system(&sys);
	if ((e = add_account(db, &sys, "admin", "Alex Rivera", ROLE_ADMIN,
	    NULL, hash, id)) != ERR_OK ||
	    (e = add_account(db, &sys, "privacy", "Priya Shah", ROLE_PRIVACY,
	    NULL, hash, id)) != ERR_OK)
		return e;
	for (t = 0; t < w->nteams; t++) {
		struct team_rec rec;

		team_name(t, name, sizeof name, display, sizeof display);
		verr_init(&v);
		memset(&rec, 0, sizeof rec);
		if ((e = team_create(db, &sys, name, display, &v, &rec)) !=
		    ERR_OK) {
			fprintf(stderr, "bench-generate: cannot add team %s: "
			    "%s\n", name, err_str(e));
			return e;
		}
		snprintf(w->team_ids[t], 37, "%s", rec.id);
		free(rec.name);
		free(rec.display_name);
		for (k = 0; k < STAFF_PER_TEAM; k++) {
			struct staff_ref *s = &w->staff[w->nstaff];

			staff_name(t, k, name, &seed, user, sizeof user,
			    s->name, sizeof s->name);
			if ((e = add_account(db, &sys, user, s->name, k == 0 ?
			    ROLE_SUPERVISOR : ROLE_PEER, name, hash, s->id)) !=
			    ERR_OK)
				return e;
			/* Each team works from one site of the network. */
			snprintf(s->addr, sizeof s->addr, "10.%d.%d.%d",
			    t / 250, t % 250, 10 + k);
			s->team = t;
			s->supervisor = k == 0;
			w->nstaff++;
		}
	}
	return ERR_OK;
}

/*
 * People, through person_create and the episode functions, recorded by
 * each team's supervisor. Team sizes vary from 300 to 700 around the
 * mean; team north keeps the mean.
 */
static enum err
add_people(struct db *db, struct world *w, int64_t total)
{
	int64_t *weight, sum = 0, given = 0;
	unsigned seed = 0x2545F491u;
	struct timespec t0;
	int t, j, i = 0, shown = 0;
	enum err e = ERR_OK;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	weight = xcalloc((size_t)w->nteams, sizeof *weight);
	for (t = 0; t < w->nteams; t++) {
		weight[t] = t == 0 ? 500 : 300 + (int64_t)((t * 7919u) % 401);
		sum += weight[t];
	}
	for (t = 0; t < w->nteams; t++) {
		w->npeople[t] = (int)(total * weight[t] / sum);
		given += w->npeople[t];
	}
	for (t = 1; given < total; t = t % (w->nteams - 1) + 1, given++)
		w->npeople[t]++;	/* the rounding, to teams but north */
	free(weight);
	w->person_ids = xcalloc((size_t)total + 1, sizeof *w->person_ids);
	for (t = 0; t < w->nteams && e == ERR_OK; t++) {
		struct staff_ref *team_staff = &w->staff[t * STAFF_PER_TEAM];
		struct actor a;

		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "%s", team_staff[0].id);
		snprintf(a.display_name, sizeof a.display_name, "%s",
		    team_staff[0].name);
		a.role = ROLE_SUPERVISOR;
		snprintf(a.client_addr, sizeof a.client_addr, "%s",
		    team_staff[0].addr);
		if ((e = auth_load_teams(db, &a)) != ERR_OK)
			break;
		w->first_person[t] = i;
		for (j = 0; j < w->npeople[t]; j++, i++) {
			/* Now and then a parent of the one before. */
			const char *parent = j > 0 && i % 9 == 4 ?
			    w->person_ids[i - 1] : NULL;

			if ((e = demo_add_person(db, &a, team_staff[1 +
			    j % PEERS_PER_TEAM].id, i, &seed, parent,
			    w->person_ids[i])) != ERR_OK) {
				fprintf(stderr, "bench-generate: cannot add a "
				    "person: %s\n", err_str(e));
				break;
			}
		}
		if (i * 10 / (total ? total : 1) > shown) {
			shown = (int)(i * 10 / total);
			fprintf(stderr, "  %d people (%.0f s)\n", i,
			    seconds_since(&t0));
		}
	}
	w->npersons = i;
	return e;
}

static int64_t
audit_count(struct db *db)
{
	struct db_stmt *st;
	int64_t n = -1;
	int row;

	if (db_prepare(db, "SELECT seq FROM audit_head WHERE id = 1", &st) !=
	    ERR_OK)
		return -1;
	if (db_step(st, &row) == ERR_OK && row)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/*
 * One past event: mostly reads of people on the reader's own team, some
 * roster lists and sign-ins, now and then a read refused.
 */
static void
history_entry(const struct world *w, unsigned *seed, struct audit_entry *e)
{
	const struct staff_ref *s = &w->staff[next(seed) %
	    (unsigned)w->nstaff];
	unsigned kind = next(seed) % 1000, pick = next(seed);
	int t = kind >= 997 ? (s->team + 1) % w->nteams : s->team, p;

	memset(e, 0, sizeof *e);
	e->actor_id = s->id;
	e->actor_role = s->supervisor ? "supervisor" : "peer";
	e->client_addr = s->addr;
	e->outcome = "success";
	if ((kind < 800 || kind >= 997) && w->npeople[t] > 0) {
		p = w->first_person[t] + (int)(pick %
		    (unsigned)w->npeople[t]);
		e->person_id = w->person_ids[p];
		e->object_type = "person";
		e->object_id = w->person_ids[p];
		e->action = "read";
		if (kind >= 997)
			e->outcome = "denied";
	} else if (kind < 900 || kind >= 997) {
		e->object_type = "roster";
		e->action = "list";
		e->detail = "count=50";
	} else {
		e->object_type = "session";
		e->action = "sign_in";
		if (kind >= 960 && kind < 990) {
			e->action = "sign_out";
		} else if (kind >= 990) {
			e->outcome = "failure";
			e->detail = "wrong password";
		}
	}
}

/* Appends history until the log holds total entries. */
static enum err
add_history(struct db *db, const struct world *w, int64_t total)
{
	struct audit_entry *batch;
	unsigned seed = 0xBB67AE85u;
	struct timespec t0;
	int64_t have = audit_count(db), todo, done = 0;
	int n, i, shown = 0;
	enum err e = ERR_OK;

	if (have < 0)
		return ERR_DB;
	todo = total > have ? total - have : 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	batch = xcalloc(AUDIT_BATCH, sizeof *batch);
	while (done < todo) {
		n = todo - done > AUDIT_BATCH ? AUDIT_BATCH :
		    (int)(todo - done);
		for (i = 0; i < n; i++)
			history_entry(w, &seed, &batch[i]);
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			break;
		if ((e = audit_append_many(db, batch, n)) != ERR_OK) {
			db_rollback(db);
			break;
		}
		if ((e = db_commit(db)) != ERR_OK)
			break;
		done += n;
		if (done * 10 / todo > shown) {
			shown = (int)(done * 10 / todo);
			fprintf(stderr, "  %lld audit entries (%.0f s)\n",
			    (long long)(have + done), seconds_since(&t0));
		}
	}
	free(batch);
	return e;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },
		{ "password", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "key-file", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const char *uri = NULL, *password = "bench-password-not-real";
	const char *scale = "1", *key_file = NULL;
	char *key_path = NULL;
	char hash[PASSWORD_HASH_MAX], id[37];
	struct timespec t0, t1;
	struct world w;
	struct db *db = NULL;
	int64_t ppm = SCALE_ONE, people, entries;
	int c, rc = 1, pg;
	enum err e;

	memset(&w, 0, sizeof w);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			uri = optarg;
			break;
		case 's':
			scale = optarg;
			if (scale_parse(optarg, &ppm) != 0) {
				fprintf(stderr, "bench-generate: --scale must "
				    "be a number above 0 such as 0.05\n");
				return 2;
			}
			break;
		case 'p':
			password = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (uri == NULL || optind != argc ||
	    (key_path = cli_key_path(uri, key_file)) == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	umask(077);
	if (crypto_init() != ERR_OK || password_acceptable(password) !=
	    ERR_OK) {
		fprintf(stderr, "bench-generate: no libsodium, or a password "
		    "too short\n");
		free(key_path);
		return 1;
	}
	w.nteams = (int)scaled(TEAMS_AT_1, ppm);
	if (w.nteams < 2)
		w.nteams = 2;
	people = scaled(PEOPLE_AT_1, ppm);
	entries = scaled(AUDIT_AT_1, ppm);
	w.team_ids = xcalloc((size_t)w.nteams, sizeof *w.team_ids);
	w.first_person = xcalloc((size_t)w.nteams, sizeof *w.first_person);
	w.npeople = xcalloc((size_t)w.nteams, sizeof *w.npeople);
	w.staff = xcalloc((size_t)w.nteams * STAFF_PER_TEAM, sizeof *w.staff);

	if ((db = cli_open_sealed(uri, key_path, 1)) == NULL)
		goto out;
	pg = db_uri_is_pg(uri);
	if (team_id_by_name(db, "north", id) == ERR_OK) {
		fprintf(stderr, "bench-generate: %s already holds a generated "
		    "network; start from an empty database\n", uri);
		goto out;
	}
	if (setting_set(db, "time_zone", "UTC") != ERR_OK ||
	    cli_load_rules(db) != 0)
		goto out;
	/* Bulk work: no waiting for commits to reach the disk, and no
	 * statement timeout (the vacuum at the end takes a while). */
	if (db_exec(db, pg ? "SET synchronous_commit = off;"
	    "SET statement_timeout = 0" : "PRAGMA synchronous = OFF") !=
	    ERR_OK)
		goto out;
	log_quiet(1);
	printf("generating %d teams, %d staff, %lld people, %lld audit "
	    "entries into %s\n", w.nteams, w.nteams * STAFF_PER_TEAM + 2,
	    (long long)people, (long long)entries, uri);
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (password_hash(password, hash) != ERR_OK) {
		fprintf(stderr, "bench-generate: cannot hash the password\n");
		goto out;
	}
	if ((e = add_teams(db, &w, hash)) != ERR_OK)
		goto out;
	printf("  teams and staff: %.1f s\n", seconds_since(&t0));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((e = add_people(db, &w, people)) != ERR_OK)
		goto out;
	printf("  people: %.1f s (%lld audit entries so far)\n",
	    seconds_since(&t1), (long long)audit_count(db));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((e = add_history(db, &w, entries)) != ERR_OK) {
		fprintf(stderr, "bench-generate: audit history: %s\n",
		    err_str(e));
		goto out;
	}
	printf("  audit history: %.1f s (%lld entries in all)\n",
	    seconds_since(&t1), (long long)audit_count(db));
	fflush(stdout);
	/* bench/run.sh reuses a database made at the scale it wants. */
	if (setting_set(db, "bench_scale", scale) != ERR_OK)
		goto out;
	/* Leave the database as a server would find it after a while:
	 * PostgreSQL vacuumed and analysed, SQLite's log folded in. */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (db_exec(db, pg ? "VACUUM (ANALYZE)" :
	    "PRAGMA wal_checkpoint(TRUNCATE)") != ERR_OK)
		goto out;
	printf("  %s: %.1f s\ndone in %.1f s; sign in as peer.north "
	    "(team north, %d people) with the password %s\n",
	    pg ? "vacuum and analyse" : "checkpoint", seconds_since(&t1),
	    seconds_since(&t0), w.npeople[0], password);
	rc = 0;
out:
	log_quiet(0);
	crypto_wipe(hash, sizeof hash);
	db_close(db);
	free(w.team_ids);
	free(w.first_person);
	free(w.npeople);
	free(w.staff);
	free(w.person_ids);
	free(key_path);
	seal_unload();
	db_intern_free();
	return rc;
}
