#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "access/actor.h"
#include "cli/cli.h"
#include "core/encryption.h"
#include "core/resource.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "util/crypto.h"
#include "util/seal.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* The first schema version with sealed columns. */
#define SEALED_SINCE	12

int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

char *
cli_key_path(const char *uri, const char *key_file)
{
	const char *env = getenv("ALONGSIDE_KEY_FILE");
	size_t n;
	char *p;

	if (key_file != NULL && *key_file != '\0')
		return xstrdup(key_file);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (uri == NULL || db_uri_is_pg(uri)) {
		fprintf(stderr, "alongside: a PostgreSQL database needs "
		    "--key-file FILE (or ALONGSIDE_KEY_FILE): the key that "
		    "seals its records is kept outside it\n");
		return NULL;
	}
	n = strlen(uri) + 5;
	p = xmalloc(n);
	snprintf(p, n, "%s.key", uri);
	return p;
}

int
cli_keys_ready(struct db *db, const char *path, int version, int create)
{
	char why[512];
	enum err e;
	int any = 0;

	if ((e = seal_load(path, why, sizeof why)) == ERR_OK)
		return 0;
	if (e != ERR_NOT_FOUND || !create) {
		fprintf(stderr, "alongside: %s\n", why);
		if (e == ERR_NOT_FOUND)
			fprintf(stderr, "alongside: the key file is made by "
			    "alongside init or migrate; for a database sealed "
			    "before, give its key file with --key-file\n");
		return -1;
	}
	/* A new key file for a database sealed under another would lock
	 * its records away for good. */
	if (version >= SEALED_SINCE && encryption_any_sealed(db, &any) !=
	    ERR_OK) {
		fprintf(stderr, "alongside: cannot read the database\n");
		return -1;
	}
	if (any) {
		fprintf(stderr, "alongside: there is no key file at %s, but the "
		    "database holds values sealed under one; give that key "
		    "file with --key-file\n", path);
		return -1;
	}
	if ((e = seal_file_create(path, why, sizeof why)) != ERR_OK ||
	    (e = seal_load(path, why, sizeof why)) != ERR_OK) {
		fprintf(stderr, "alongside: %s\n", why);
		return -1;
	}
	printf("key file created at %s: back it up, apart from the database "
	    "and its backups\n", path);
	return 0;
}

int
cli_seal_clear(struct db *db)
{
	struct encryption_reseal r;
	struct actor sys;
	char id[SEAL_ID_LEN + 1];
	enum err e;

	actor_system(&sys);
	if ((e = encryption_seal_clear(db, &sys, &r)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot seal the records: %s\n",
		    err_str(e));
		return -1;
	}
	if (r.resealed > 0 && seal_current(id) == ERR_OK)
		printf("sealed %lld values under key %s\n",
		    (long long)r.resealed, id);
	/* The text they held in clear is still in the pages and journal
	 * the updates freed. */
	if (r.cleared > 0 && (e = db_compact(db)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot compact the database after "
		    "sealing it: %s\n", err_str(e));
		return -1;
	}
	if (r.failed > 0) {
		fprintf(stderr, "alongside: %lld values are sealed under keys "
		    "this key file does not hold, or were changed; is it the "
		    "database's own key file?\n", (long long)r.failed);
		return -1;
	}
	return 0;
}

static struct db *
open_db(const char *uri, int create, const char *key_path)
{
	struct db *db = NULL;
	int version = 0, from, to;
	enum err e;

	if (uri == NULL) {
		fprintf(stderr, "alongside: --db is required\n");
		return NULL;
	}
	if (!create && !db_uri_is_pg(uri) && access(uri, F_OK) != 0) {
		fprintf(stderr, "alongside: no database at %s (create one with "
		    "alongside init)\n", uri);
		return NULL;
	}
	if ((e = db_open(uri, create ? DB_OPEN_CREATE : 0, &db)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot open the database: %s\n",
		    err_str(e));
		return NULL;
	}
	if (create) {
		if ((e = db_schema_version(db, &version)) != ERR_OK)
			goto fail;
		/* The key is settled before the schema changes, so a
		 * database is never left current but unsealed for want of
		 * a key file. */
		if (key_path != NULL && version <= db_schema_latest() &&
		    cli_keys_ready(db, key_path, version, 1) != 0)
			goto out;
		if ((e = db_migrate(db, &from, &to)) != ERR_OK)
			goto fail;
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			goto fail;
		if ((e = rules_seed(db)) != ERR_OK) {
			db_rollback(db);
			goto fail;
		}
		if ((e = db_commit(db)) != ERR_OK)
			goto fail;
		if (key_path != NULL && cli_seal_clear(db) != 0)
			goto out;
		return db;
	}
	if ((e = db_schema_version(db, &version)) != ERR_OK)
		goto fail;
	if (version > db_schema_latest()) {
		fprintf(stderr, "alongside: the database schema (version %d) "
		    "is newer than this build knows (%d); use a newer "
		    "alongside\n", version, db_schema_latest());
		db_close(db);
		return NULL;
	}
	if (version < db_schema_latest()) {
		fprintf(stderr, "alongside: the database schema (version %d) "
		    "is older than this build's (%d); run alongside migrate "
		    "--db %s first\n", version, db_schema_latest(),
		    version == 0 ? "FILE" : uri);
		db_close(db);
		return NULL;
	}
	if (key_path != NULL && cli_keys_ready(db, key_path, version, 0) != 0)
		goto out;
	return db;
fail:
	fprintf(stderr, "alongside: cannot prepare the database: %s\n",
	    err_str(e));
out:
	db_close(db);
	return NULL;
}

struct db *
cli_open(const char *uri, int create)
{
	return open_db(uri, create, NULL);
}

struct db *
cli_open_sealed(const char *uri, const char *key_path, int create)
{
	return open_db(uri, create, key_path);
}

int
cli_read_password(const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t len;
	int ok;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!ok)
		return -1;
	len = strlen(buf);
	if (len > 0 && buf[len - 1] != '\n' && !feof(stdin)) {
		crypto_wipe(buf, n);
		return -1;	/* longer than the buffer */
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int
cli_load_rules(struct db *db)
{
	char why[256], *tz = NULL;
	enum err e;

	if (rules_load(db, why, sizeof why) != ERR_OK) {
		fprintf(stderr, "alongside: rules: %s\n", why);
		return -1;
	}
	e = setting_get(db, "time_zone", &tz);
	if (e == ERR_OK && time_set_zone(tz) != ERR_OK) {
		fprintf(stderr, "alongside: the stored time zone is not "
		    "valid\n");
		free(tz);
		return -1;
	}
	free(tz);
	if (e != ERR_OK && e != ERR_NOT_FOUND)
		return -1;
	/* The directory's categories are taxonomy terms it holds. */
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK ||
	    (e = resource_terms_seed(db)) != ERR_OK ||
	    (e = db_commit(db)) != ERR_OK) {
		db_rollback(db);
		fprintf(stderr, "alongside: the directory's categories: %s\n",
		    err_str(e));
		return -1;
	}
	return 0;
}
