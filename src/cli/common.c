#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "util/crypto.h"
#include "util/timeutil.h"

int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

struct db *
cli_open(const char *uri, int create)
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
	return db;
fail:
	fprintf(stderr, "alongside: cannot prepare the database: %s\n",
	    err_str(e));
	db_close(db);
	return NULL;
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
	return 0;
}
