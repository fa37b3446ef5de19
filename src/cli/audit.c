/* alongside audit verify */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "access/audit.h"
#include "cli/cli.h"

static const char usage[] =
    "usage: alongside audit verify --db FILE|URI\n"
    "\n"
    "Walks the audit log's hash chain. Exit status 0 when it is intact;\n"
    "1, naming the first entry that was altered, removed or reordered,\n"
    "when it is not.\n";

int
cli_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_check chk;
	const char *uri = NULL;
	struct db *db;
	enum err e;
	int c;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "verify") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd') {
			fputs(usage, stderr);
			return 2;
		}
		uri = optarg;
	}
	if (uri == NULL || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if ((db = cli_open(uri, 0)) == NULL)
		return 1;
	e = audit_verify(db, &chk);
	db_close(db);
	if (e == ERR_CONFLICT) {
		printf("audit chain BROKEN at entry %lld: %s\n",
		    (long long)chk.bad_seq, chk.problem);
		return 1;
	}
	if (e != ERR_OK) {
		fprintf(stderr, "alongside: cannot read the audit log: %s\n",
		    err_str(e));
		return 1;
	}
	printf("audit chain intact: %lld entries\n", (long long)chk.entries);
	return 0;
}
