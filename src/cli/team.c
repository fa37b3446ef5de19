/* alongside team add | list */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/staff.h"

static const char usage[] =
    "usage: alongside team add --db FILE|URI --name NAME --display-name TEXT\n"
    "       alongside team list --db FILE|URI\n"
    "\n"
    "Manages teams. A team's roster is shared by its peer specialists and\n"
    "supervisors. NAME is short and stable (1-40 of a-z, 0-9 and '-', e.g.\n"
    "north); the display name is what people read.\n";

int
cli_team(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "display-name", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *uri = NULL, *name = NULL, *display = NULL, *sub;
	struct team_rec *teams;
	struct actor sys;
	struct verr v;
	struct db *db;
	int c, n, i, rc = 1;
	enum err e;

	if (cli_wants_help(argc, argv) || argc < 2) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			uri = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 't':
			display = optarg;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (uri == NULL || optind != argc || (strcmp(sub, "add") != 0 &&
	    strcmp(sub, "list") != 0) || (strcmp(sub, "add") == 0 &&
	    (name == NULL || display == NULL))) {
		fputs(usage, stderr);
		return 2;
	}
	if ((db = cli_open(uri, 0)) == NULL)
		return 1;
	actor_system(&sys);
	if (strcmp(sub, "list") == 0) {
		if (team_list(db, &sys, NULL, 0, &teams, &n, NULL) == ERR_OK) {
			for (i = 0; i < n; i++)
				printf("%-20s %s\n", teams[i].name,
				    teams[i].display_name);
			team_recs_free(teams, n);
			rc = 0;
		}
		db_close(db);
		return rc;
	}
	verr_init(&v);
	e = team_create(db, &sys, name, display, &v, NULL);
	if (e == ERR_OK) {
		printf("added team %s\n", name);
		rc = 0;
	} else if (v.n) {
		for (i = 0; i < v.n; i++)
			fprintf(stderr, "alongside: %s %s\n", v.e[i].field,
			    v.e[i].message);
	} else {
		fprintf(stderr, "alongside: %s\n", err_str(e));
	}
	db_close(db);
	return rc;
}
