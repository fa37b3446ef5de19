/* alongside demo */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/password.h"
#include "cli/cli.h"
#include "core/demo.h"
#include "interop/plan_demo.h"
#include "core/rules.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"

static const char usage[] =
    "usage: alongside demo --db FILE|URI [--key-file FILE] [--password PASSWORD]\n"
    "                     [--people N]\n"
    "\n"
    "Creates the database if needed (a PostgreSQL database must exist;\n"
    "its tables are created), and its key file as init does (--key-file:\n"
    "default FILE.key beside a SQLite database, or ALONGSIDE_KEY_FILE;\n"
    "required for PostgreSQL), and fills it with a fictional\n"
    "organisation: teams north and south, staff admin (administrator),\n"
    "privacy (privacy officer), super.north and super.south (supervisors),\n"
    "peer.north, peer.north2 and peer.south (peer specialists), and N\n"
    "people we support (default 40) with generated names. Every account\n"
    "gets the same password: the one given, or a generated one. The\n"
    "sign-ins are printed at the end.\n";

static void
generate_password(char out[20])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[crypto_uniform(sizeof alphabet - 1)];
	}
	out[o] = '\0';
}

int
cli_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "password", required_argument, NULL, 'p' },
		{ "people", required_argument, NULL, 'n' },
		{ "key-file", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	const struct demo_account *d;
	const char *uri = NULL, *password = NULL, *key_file = NULL;
	char generated[20], *tz = NULL, *key_path = NULL;
	char portal_person[128] = "";
	struct db *db;
	int64_t people = 40;
	int c, rc = 1;
	enum err e;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			uri = optarg;
			break;
		case 'p':
			password = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'n':
			if (parse_int64(optarg, 0, 1000000, &people) != ERR_OK) {
				fprintf(stderr, "alongside: --people must be a "
				    "whole number from 0 to 1000000\n");
				return 2;
			}
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (uri == NULL || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (password == NULL) {
		generate_password(generated);
		password = generated;
	} else if (password_acceptable(password) != ERR_OK) {
		fprintf(stderr, "alongside: --password must be %d to %d "
		    "characters of text\n", PASSWORD_MIN_CHARS,
		    PASSWORD_MAX_BYTES);
		return 2;
	}
	if ((key_path = cli_key_path(uri, key_file)) == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	db = cli_open_sealed(uri, key_path, 1);
	free(key_path);
	if (db == NULL)
		return 1;
	if (setting_get(db, "time_zone", &tz) == ERR_NOT_FOUND &&
	    setting_set(db, "time_zone", "UTC") != ERR_OK)
		goto out;
	if (cli_load_rules(db) != 0)
		goto out;
	log_quiet(1);
	e = demo_fill(db, password, (int)people);
	if (e == ERR_OK)
		e = plan_demo_fill(db, 4, password, portal_person,
		    sizeof portal_person);
	log_quiet(0);
	if (e == ERR_CONFLICT) {
		fprintf(stderr, "alongside: %s already holds the demo "
		    "organisation\n", uri);
		goto out;
	}
	if (e != ERR_OK) {
		fprintf(stderr, "alongside: demo failed: %s\n", err_str(e));
		goto out;
	}
	printf("Demo organisation ready in %s with %lld people we support.\n"
	    "Sign in with any of these accounts and the password %s\n",
	    uri, (long long)people, password);
	for (d = demo_accounts; d->username; d++)
		printf("  %-12s %-10s %s%s%s\n", d->username, d->role,
		    d->display_name, d->team ? ", team " : "",
		    d->team ? d->team : "");
	if (portal_person[0])
		printf("The person's own portal is at /portal: %s signs in as "
		    "%s with the same password.\n", portal_person,
		    DEMO_PORTAL_NAME);
	rc = 0;
out:
	free(tz);
	crypto_wipe(generated, sizeof generated);
	db_close(db);
	return rc;
}
