/* alongside key rotate | status */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/encryption.h"
#include "util/parse.h"
#include "util/timeutil.h"

static const char usage[] =
    "usage: alongside key rotate --db FILE|URI [--key-file FILE] [--batch N]\n"
    "       alongside key status --db FILE|URI [--key-file FILE]\n"
    "\n"
    "Manages the keys that seal the free text of records (notes, plans,\n"
    "comments, consents, safety concerns) in the database. The key file\n"
    "is FILE.key beside a SQLite database FILE unless --key-file (or the\n"
    "environment variable ALONGSIDE_KEY_FILE) names another; a PostgreSQL\n"
    "database needs one named. Keep it apart from the database and its\n"
    "backups, and back it up on its own.\n"
    "\n"
    "rotate  appends a new key to the key file, which becomes the current\n"
    "        key, then seals every value again under it, a batch at a\n"
    "        time, while servers go on serving (a running server takes up\n"
    "        the new key within a second or two). The old keys stay in the\n"
    "        file: backups made before need them. Run one rotation at a\n"
    "        time.\n"
    "status  prints the current key and how many values each key seals.\n"
    "\n"
    "  --key-file FILE   the key file (see above)\n"
    "  --batch N         values sealed again per transaction (200; 1 to\n"
    "                    10000)\n";

enum { OPT_DB = 1, OPT_KEY_FILE, OPT_BATCH };

static const struct option opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 },
};

static void
when(int64_t ms, char out[25])
{
	if (ms > 0)
		time_format_utc(ms, out);
	else
		snprintf(out, 25, "%s", "-");
}

static int
status(struct db *db)
{
	struct encryption_status s;
	struct actor sys;
	char a[25], b[25];
	enum err e;
	int i;

	actor_system(&sys);
	if ((e = encryption_status(db, &sys, &s)) != ERR_OK) {
		fprintf(stderr, "alongside: cannot count the sealed values: "
		    "%s\n", err_str(e));
		return 1;
	}
	printf("algorithm: XChaCha20-Poly1305\n");
	printf("current key: %s\n", s.current);
	printf("%-8s  %-20s  %s\n", "key", "created", "values");
	for (i = 0; i < s.nkeys; i++)
		printf("%-8s  %-20s  %lld%s\n", s.keys[i].id,
		    s.keys[i].in_file ? s.keys[i].created_at :
		    "(not in the key file)", (long long)s.keys[i].values,
		    strcmp(s.keys[i].id, s.current) == 0 ? "  current" : "");
	printf("not sealed: %lld\n", (long long)s.clear);
	if (s.has_rotation) {
		when(s.rotation.started_at, a);
		when(s.rotation.finished_at, b);
		printf("last rotation: to %s, started %s, finished %s, %lld "
		    "values sealed again, %lld did not open\n",
		    s.rotation.key_id, a, s.rotation.finished_at ? b :
		    "(not finished)", (long long)s.rotation.values_resealed,
		    (long long)s.rotation.values_failed);
	}
	encryption_status_clear(&s);
	return 0;
}

static int
rotate(struct db *db, const char *key_path, int batch)
{
	struct encryption_reseal r;
	struct actor sys;
	char id[SEAL_ID_LEN + 1], why[512];
	enum err e;

	actor_system(&sys);
	e = encryption_rotate(db, &sys, key_path, batch, id, &r, why,
	    sizeof why);
	if (e != ERR_OK) {
		if (why[0])
			fprintf(stderr, "alongside: %s\n", why);
		else
			fprintf(stderr, "alongside: the rotation stopped: %s\n",
			    err_str(e));
		if (id[0])
			fprintf(stderr, "alongside: the key file holds the new "
			    "key %s; run alongside key rotate again to finish "
			    "sealing under a new key\n", id);
		return 1;
	}
	printf("rotated to key %s: %lld values sealed again (%d passes)\n",
	    id, (long long)r.resealed, r.passes);
	if (r.remaining > 0) {
		fprintf(stderr, "alongside: %lld values are not under the new "
		    "key: %lld did not open (see the log above), the others "
		    "were still being written under an older key (a server "
		    "with a copy of the key file that lacks the new key?)\n",
		    (long long)r.remaining, (long long)r.failed);
		return 1;
	}
	return 0;
}

int
cli_key(int argc, char **argv)
{
	const char *uri = NULL, *key_file = NULL, *sub;
	char *key_path = NULL;
	struct db *db;
	int64_t v;
	int c, rc, batch = 200;

	if (cli_wants_help(argc, argv) || argc < 2) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "rotate") != 0 && strcmp(sub, "status") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			uri = optarg;
			break;
		case OPT_KEY_FILE:
			key_file = optarg;
			break;
		case OPT_BATCH:
			if (strcmp(sub, "rotate") != 0 ||
			    parse_int64(optarg, 1, 10000, &v) != ERR_OK) {
				fprintf(stderr, "alongside: --batch is for key "
				    "rotate, a whole number from 1 to "
				    "10000\n");
				return 2;
			}
			batch = (int)v;
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
	if ((key_path = cli_key_path(uri, key_file)) == NULL)
		return 2;
	if ((db = cli_open_sealed(uri, key_path, 0)) == NULL) {
		free(key_path);
		return 1;
	}
	rc = strcmp(sub, "status") == 0 ? status(db) :
	    rotate(db, key_path, batch);
	db_close(db);
	free(key_path);
	return rc;
}
