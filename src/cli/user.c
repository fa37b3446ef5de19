/* alongside user add | passwd | disable | enable | reset-two-factor | list */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "access/password.h"
#include "access/twofactor.h"
#include "cli/cli.h"
#include "core/staff.h"
#include "util/crypto.h"

static const char usage[] =
    "usage: alongside user add --db FILE|URI --username NAME --name \"FULL NAME\"\n"
    "                              --role ROLE [--team TEAM ...]\n"
    "       alongside user passwd --db FILE|URI --username NAME\n"
    "       alongside user disable --db FILE|URI --username NAME\n"
    "       alongside user enable --db FILE|URI --username NAME\n"
    "       alongside user reset-two-factor --db FILE|URI --username NAME\n"
    "       alongside user list --db FILE|URI\n"
    "\n"
    "Manages staff accounts. Passwords are read from standard input (one\n"
    "line, at least 10 characters), never from the command line. A new\n"
    "password, disabling and a role or team change end the account's\n"
    "sessions; passwd also lifts a sign-in lock. reset-two-factor turns\n"
    "two-step sign-in off for a lost phone (and ends the sessions).\n"
    "\n"
    "  ROLE   peer (peer specialist), supervisor, admin (administrator),\n"
    "         privacy (privacy officer)\n"
    "  TEAM   a team's short name, e.g. north; repeat for several\n";

enum { OPT_DB = 1, OPT_USERNAME, OPT_NAME, OPT_ROLE, OPT_TEAM };

static const struct option opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "username", required_argument, NULL, OPT_USERNAME },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "team", required_argument, NULL, OPT_TEAM },
	{ NULL, 0, NULL, 0 },
};

static void
print_errors(const struct verr *v)
{
	int i;

	for (i = 0; i < v->n; i++)
		fprintf(stderr, "alongside: %s %s\n", v->e[i].field,
		    v->e[i].message);
}

static int
list(struct db *db, const struct actor *a)
{
	struct staff_rec *s;
	int n, i, j;

	if (staff_list(db, a, NULL, 0, &s, &n, NULL) != ERR_OK)
		return 1;
	for (i = 0; i < n; i++) {
		printf("%-20s %-11s %s", s[i].username, role_name(s[i].role),
		    s[i].disabled ? "disabled" : "active  ");
		for (j = 0; j < s[i].nteams; j++)
			printf("%s%s", j ? "," : " teams=", s[i].teams[j]);
		printf("\n");
	}
	staff_recs_free(s, n);
	return 0;
}

int
cli_user(int argc, char **argv)
{
	const char *uri = NULL, *teams[ACTOR_MAX_TEAMS], *sub;
	struct staff_input in;
	struct actor sys;
	struct verr v;
	struct db *db;
	char pw[PASSWORD_MAX_BYTES + 2], id[37];
	int c, rc = 1;
	enum err e;

	if (cli_wants_help(argc, argv) || argc < 2) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	memset(&in, 0, sizeof in);
	in.teams = teams;
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			uri = optarg;
			break;
		case OPT_USERNAME:
			in.set |= STAFF_SET_USERNAME;
			in.username = optarg;
			break;
		case OPT_NAME:
			in.set |= STAFF_SET_DISPLAY_NAME;
			in.display_name = optarg;
			break;
		case OPT_ROLE:
			in.set |= STAFF_SET_ROLE;
			in.role = role_parse(optarg);
			break;
		case OPT_TEAM:
			if (in.nteams == ACTOR_MAX_TEAMS) {
				fprintf(stderr, "alongside: at most %d teams\n",
				    ACTOR_MAX_TEAMS);
				return 2;
			}
			in.set |= STAFF_SET_TEAMS;
			teams[in.nteams++] = optarg;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (uri == NULL || optind != argc ||
	    (strcmp(sub, "list") != 0 && in.username == NULL)) {
		fputs(usage, stderr);
		return 2;
	}
	if ((db = cli_open(uri, 0)) == NULL)
		return 1;
	actor_system(&sys);
	verr_init(&v);
	if (strcmp(sub, "list") == 0) {
		rc = list(db, &sys);
		goto out;
	}
	if (strcmp(sub, "add") == 0) {
		if (cli_read_password("Password for the new account: ", pw,
		    sizeof pw) != 0) {
			fprintf(stderr, "alongside: no password on standard "
			    "input\n");
			goto out;
		}
		in.set |= STAFF_SET_PASSWORD;
		in.password = pw;
		e = staff_create(db, &sys, &in, &v, NULL);
		if (e == ERR_OK)
			printf("added %s\n", in.username);
		goto done;
	}
	if (strcmp(sub, "passwd") != 0 && strcmp(sub, "disable") != 0 &&
	    strcmp(sub, "enable") != 0 &&
	    strcmp(sub, "reset-two-factor") != 0) {
		fputs(usage, stderr);
		rc = 2;
		goto out;
	}
	if (in.set & ~STAFF_SET_USERNAME) {
		fprintf(stderr, "alongside: user %s takes only --db and "
		    "--username\n", sub);
		rc = 2;
		goto out;
	}
	if ((e = staff_id_by_username(db, in.username, id)) != ERR_OK) {
		fprintf(stderr, "alongside: no such account\n");
		goto out;
	}
	in.set = 0;
	if (strcmp(sub, "reset-two-factor") == 0) {
		e = twofactor_reset(db, &sys, id);
		if (e == ERR_OK)
			printf("reset two-step sign-in of %s\n", in.username);
		goto done;
	}
	if (strcmp(sub, "passwd") == 0) {
		if (cli_read_password("New password: ", pw, sizeof pw) != 0) {
			fprintf(stderr, "alongside: no password on standard "
			    "input\n");
			goto out;
		}
		in.set = STAFF_SET_PASSWORD;
		in.password = pw;
	} else {
		in.set = STAFF_SET_DISABLED;
		in.disabled = strcmp(sub, "disable") == 0;
	}
	e = staff_update(db, &sys, id, -1, &in, &v, NULL, NULL);
	if (e == ERR_OK)
		printf("%s %s\n", strcmp(sub, "passwd") == 0 ?
		    "changed the password of" : in.disabled ? "disabled" :
		    "enabled", in.username);
done:
	if (e == ERR_INVALID || v.n)
		print_errors(&v);
	else if (e != ERR_OK)
		fprintf(stderr, "alongside: %s\n", err_str(e));
	rc = e == ERR_OK ? 0 : 1;
out:
	crypto_wipe(pw, sizeof pw);
	db_close(db);
	return rc;
}
