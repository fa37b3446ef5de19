/*
 * alongside: records and practice for peer recovery support.
 * One binary; the first argument names the command.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/seal.h"

struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
};

static const struct command commands[] = {
	{ "init", cli_init, "create a database at the newest schema" },
	{ "demo", cli_demo, "fill a database with a fictional organisation" },
	{ "serve", cli_serve, "serve the browser UI and the API" },
	{ "team", cli_team, "add and list teams" },
	{ "user", cli_user, "add, change, disable and list staff accounts" },
	{ "migrate", cli_migrate, "bring a database to this build's schema" },
	{ "audit", cli_audit, "verify the audit log's hash chain" },
	{ "backup", cli_backup, "copy a database while it is in use" },
	{ "restore", cli_restore, "check a backup and put it in place" },
	{ "key", cli_key, "rotate the key that seals records; show its use" },
	{ "import", cli_import, "import an HSDS package into the directory" },
	{ "export", cli_export, "write the resource directory as HSDS" },
	{ NULL, NULL, NULL },
};

static void
usage(FILE *f)
{
	const struct command *c;

	fprintf(f, "usage: alongside COMMAND [options]\n\n"
	    "Alongside keeps the records of peer recovery support: the people\n"
	    "we support, their episodes, and an audit of every access.\n\n"
	    "Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\nRun alongside COMMAND --help for its options.\n");
}

int
main(int argc, char **argv)
{
	const struct command *c;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("alongside %s\n", ALONGSIDE_VERSION);
		return 0;
	}
	/* Databases, backups and their journals hold personal health
	 * information: only the owner may read them. */
	umask(077);
	if (crypto_init() != ERR_OK) {
		fprintf(stderr, "alongside: cannot initialise libsodium\n");
		return 1;
	}
	for (c = commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			break;
	if (c->name == NULL) {
		fprintf(stderr, "alongside: no command %s\n", argv[1]);
		usage(stderr);
		return 2;
	}
	rc = c->fn(argc - 1, argv + 1);
	seal_unload();
	db_intern_free();
	return rc;
}
