/* alongside init | migrate | backup | restore */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/audit.h"
#include "cli/cli.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "util/timeutil.h"

static const char init_usage[] =
    "usage: alongside init --db FILE|URI [--key-file FILE] [--time-zone ZONE]\n"
    "\n"
    "Creates a database at the newest schema with the shipped rule sets\n"
    "(the JSON files in data/), and the key file that seals its records'\n"
    "free text when there is none (mode 0600). On an existing database it\n"
    "does what migrate does, keeps its data and rule sets, and changes\n"
    "the time zone only when --time-zone is given.\n"
    "\n"
    "  --db FILE|URI     a database file, or an existing PostgreSQL\n"
    "                    database: postgresql://user@host:port/dbname\n"
    "  --key-file FILE   the key file (default: FILE.key beside a SQLite\n"
    "                    database, or ALONGSIDE_KEY_FILE; required for\n"
    "                    PostgreSQL). Keep it apart from the database and\n"
    "                    its backups, and back it up on its own.\n"
    "  --time-zone ZONE  the organisation's IANA time zone, e.g.\n"
    "                    America/Chicago (default UTC); it decides what\n"
    "                    \"today\" is for dates\n";

static const char migrate_usage[] =
    "usage: alongside migrate --db FILE|URI [--key-file FILE]\n"
    "\n"
    "Brings the database to this build's schema, one recorded step at a\n"
    "time, and adds rule sets it lacks. Refuses a newer schema. Seals\n"
    "under the key file any free text still in clear (a database from\n"
    "before encryption at rest), making the key file first when the\n"
    "database has none sealed yet.\n"
    "\n"
    "  --key-file FILE   the key file (default: FILE.key beside a SQLite\n"
    "                    database, or ALONGSIDE_KEY_FILE; required for\n"
    "                    PostgreSQL)\n";

static const char backup_usage[] =
    "usage: alongside backup --db FILE|URI OUT\n"
    "\n"
    "Writes a consistent copy of the database to OUT (which must not\n"
    "exist) while the server goes on serving. For PostgreSQL it runs\n"
    "pg_dump (custom format); put a password in ~/.pgpass or PGPASSWORD\n"
    "rather than in the URI.\n";

static const char restore_usage[] =
    "usage: alongside restore --db FILE|URI IN [--force]\n"
    "\n"
    "Loads the backup IN (made by alongside backup) beside the database,\n"
    "checks it there (integrity, schema, audit chain) and only then puts\n"
    "it in place. Stop the server first. A database that already holds\n"
    "data is replaced only with --force. For PostgreSQL, IN is a pg_dump\n"
    "file, loaded by pg_restore into a scratch database DBNAME_restoring\n"
    "on the same server, which then takes the name DBNAME; the account\n"
    "needs CREATEDB.\n";

enum { OPT_DB = 1, OPT_TZ, OPT_FORCE, OPT_KEY_FILE };

static const struct option db_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "time-zone", required_argument, NULL, OPT_TZ },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ NULL, 0, NULL, 0 },
};

struct db_args {
	const char	*db;
	const char	*tz;
	const char	*key_file;
	int		 force;
	int		 npos;
	const char	*pos[2];
};

#define TAKES_TZ	0x1
#define TAKES_FORCE	0x2
#define TAKES_KEY	0x4

/*
 * Parses --db and the options in takes, and exactly npos operands;
 * returns -1 to go on, or the exit status (help, usage error).
 */
static int
parse(int argc, char **argv, const char *usage, struct db_args *a,
    int npos, unsigned takes)
{
	int c;

	memset(a, 0, sizeof *a);
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", db_opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			a->db = optarg;
			break;
		case OPT_TZ:
			if (!(takes & TAKES_TZ))
				goto usage;
			a->tz = optarg;
			break;
		case OPT_FORCE:
			if (!(takes & TAKES_FORCE))
				goto usage;
			a->force = 1;
			break;
		case OPT_KEY_FILE:
			if (!(takes & TAKES_KEY))
				goto usage;
			a->key_file = optarg;
			break;
		default:
			goto usage;
		}
	}
	for (; optind < argc; optind++) {
		if (a->npos >= npos)
			goto usage;
		a->pos[a->npos++] = argv[optind];
	}
	if (a->db == NULL || a->npos != npos)
		goto usage;
	return -1;
usage:
	fputs(usage, stderr);
	return 2;
}

int
cli_init(int argc, char **argv)
{
	struct db_args a;
	struct db *db;
	char *tz = NULL, *key_path;
	int rc = parse(argc, argv, init_usage, &a, 0, TAKES_TZ | TAKES_KEY);

	if (rc >= 0)
		return rc;
	if (a.tz != NULL && time_set_zone(a.tz) != ERR_OK) {
		fprintf(stderr, "alongside: --time-zone must be an IANA zone "
		    "name such as America/Chicago\n");
		return 2;
	}
	if ((key_path = cli_key_path(a.db, a.key_file)) == NULL) {
		fputs(init_usage, stderr);
		return 2;
	}
	db = cli_open_sealed(a.db, key_path, 1);
	free(key_path);
	if (db == NULL)
		return 1;
	rc = 0;
	if (a.tz != NULL || setting_get(db, "time_zone", &tz) ==
	    ERR_NOT_FOUND) {
		const char *zone = a.tz ? a.tz : "UTC";

		if (time_set_zone(zone) != ERR_OK) {
			fprintf(stderr, "alongside: --time-zone must be an IANA "
			    "zone name such as America/Chicago\n");
			rc = 1;
		} else if (setting_set(db, "time_zone", zone) != ERR_OK) {
			rc = 1;
		} else {
			printf("time zone: %s\n", zone);
		}
	}
	if (rc == 0)
		printf("database ready at schema version %d: %s\n",
		    db_schema_latest(), a.db);
	free(tz);
	db_close(db);
	return rc;
}

int
cli_migrate(int argc, char **argv)
{
	struct db_args a;
	struct db *db = NULL;
	char *key_path;
	int rc = parse(argc, argv, migrate_usage, &a, 0, TAKES_KEY), from = 0,
	    to = 0;
	enum err e;

	if (rc >= 0)
		return rc;
	if ((key_path = cli_key_path(a.db, a.key_file)) == NULL) {
		fputs(migrate_usage, stderr);
		return 2;
	}
	/* A PostgreSQL database is not a file; connecting says if it is
	 * missing. */
	if (!db_uri_is_pg(a.db) && access(a.db, F_OK) != 0) {
		fprintf(stderr, "alongside: no database at %s\n", a.db);
		free(key_path);
		return 1;
	}
	if ((e = db_open(a.db, 0, &db)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot open the database: %s\n",
		    err_str(e));
		free(key_path);
		return 1;
	}
	/* The key first (made when the database has none sealed), so the
	 * schema never moves on without one; a newer schema is refused
	 * below before any key file is made. */
	if ((e = db_schema_version(db, &from)) != ERR_OK ||
	    (from <= db_schema_latest() &&
	    cli_keys_ready(db, key_path, from, 1) != 0)) {
		if (e != ERR_OK)
			fprintf(stderr, "alongside: cannot read the schema "
			    "version: %s\n", err_str(e));
		free(key_path);
		db_close(db);
		return 1;
	}
	free(key_path);
	if ((e = db_migrate(db, &from, &to)) != ERR_OK) {
		if (e == ERR_SCHEMA)
			fprintf(stderr, "alongside: the database schema "
			    "(version %d) is newer than this build knows "
			    "(%d)\n", from, db_schema_latest());
		else
			fprintf(stderr, "alongside: migration failed: %s\n",
			    err_str(e));
		db_close(db);
		return 1;
	}
	rc = 0;
	if (db_begin(db, DB_TX_WRITE) != ERR_OK || rules_seed(db) != ERR_OK ||
	    db_commit(db) != ERR_OK) {
		db_rollback(db);
		fprintf(stderr, "alongside: cannot store the rule sets\n");
		rc = 1;
	}
	if (rc == 0 && cli_seal_clear(db) != 0)
		rc = 1;
	if (rc == 0 && from == to)
		printf("schema already at version %d\n", to);
	else if (rc == 0)
		printf("schema migrated from version %d to %d\n", from, to);
	db_close(db);
	return rc;
}

int
cli_backup(int argc, char **argv)
{
	struct db_args a;
	struct db *db;
	int rc = parse(argc, argv, backup_usage, &a, 1, 0);
	enum err e;

	if (rc >= 0)
		return rc;
	if ((db = cli_open(a.db, 0)) == NULL)
		return 1;
	e = db_backup(db, a.pos[0]);
	db_close(db);
	if (e == ERR_CONFLICT) {
		fprintf(stderr, "alongside: %s exists; choose a new file\n",
		    a.pos[0]);
		return 1;
	}
	if (e != ERR_OK) {
		fprintf(stderr, "alongside: backup failed: %s\n", err_str(e));
		return 1;
	}
	printf("backup written to %s\n", a.pos[0]);
	return 0;
}

int
cli_restore(int argc, char **argv)
{
	struct audit_check chk;
	struct db_args a;
	struct db *db;
	char *scratch = NULL;
	int rc = parse(argc, argv, restore_usage, &a, 1, TAKES_FORCE), holds;
	enum err e;

	if (rc >= 0)
		return rc;
	if ((e = db_holds_data(a.db, &holds)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot look at %s: %s\n", a.db,
		    err_str(e));
		return 1;
	}
	if (holds && !a.force) {
		fprintf(stderr, "alongside: %s already holds a database; stop "
		    "the server and add --force to replace it\n", a.db);
		return 1;
	}
	/* Load the backup beside the target and check it there; the
	 * target is touched only once the copy is known to be good. */
	if ((e = db_restore_load(a.db, a.pos[0], &scratch)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot load %s: %s\n", a.pos[0],
		    e == ERR_NOT_FOUND ? "no such file" : err_str(e));
		return 1;
	}
	rc = 1;
	if ((db = cli_open(scratch, 0)) == NULL)
		goto drop;
	if (db_check(db) != ERR_OK) {
		fprintf(stderr, "alongside: %s fails its integrity check\n",
		    a.pos[0]);
	} else if ((e = audit_verify(db, &chk)) != ERR_OK) {
		fprintf(stderr, "alongside: the backup's audit chain is "
		    "broken: %s\n", e == ERR_CONFLICT ? chk.problem :
		    err_str(e));
	} else {
		rc = 0;
	}
	db_close(db);
	if (rc != 0)
		goto drop;
	if ((e = db_restore_swap(a.db, scratch)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot put the restored copy in "
		    "place (%s); it is kept at %s\n", err_str(e), scratch);
		free(scratch);
		return 1;
	}
	printf("restored %s from %s (%lld audit entries verified)\n", a.db,
	    a.pos[0], (long long)chk.entries);
	free(scratch);
	return 0;
drop:
	db_restore_drop(scratch);
	free(scratch);
	return 1;
}
