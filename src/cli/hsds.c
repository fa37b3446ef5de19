/* alongside import hsds | export hsds: the resource directory as HSDS */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/actor.h"
#include "cli/cli.h"
#include "interop/hsds.h"
#include "util/xalloc.h"

static const char import_usage[] =
    "usage: alongside import hsds --db FILE|URI [--key-file FILE] [--dry-run]\n"
    "                            DIR|FILE.json\n"
    "\n"
    "Imports an Open Referral HSDS 3.0 package into the resource directory:\n"
    "a tabular data package (a directory with datapackage.json and a CSV\n"
    "file per object) or HSDS JSON (a list of services). Every row is\n"
    "checked first; when any is rejected nothing changes, each rejected row\n"
    "is printed as FILE:LINE: FIELD: REASON and the exit status is 1.\n"
    "Rows are matched by id; unchanged rows stay as they are. --dry-run\n"
    "checks and counts without changing anything. At most 50 MB and\n"
    "200000 rows.\n";

static const char export_usage[] =
    "usage: alongside export hsds --db FILE|URI [--key-file FILE] DIR\n"
    "       alongside export hsds --db FILE|URI [--key-file FILE] --json FILE\n"
    "\n"
    "Writes the resource directory as an Open Referral HSDS 3.0 tabular data\n"
    "package (CSV files and datapackage.json, into DIR, made if missing) or\n"
    "as HSDS JSON (a list of services).\n";

enum { OPT_DB = 1, OPT_KEY_FILE, OPT_DRY_RUN, OPT_JSON };

static const struct option opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "key-file", required_argument, NULL, OPT_KEY_FILE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", required_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

struct args {
	const char	*uri, *key_file, *json, *path;
	int		 dry_run;
};

/* 0 on success, 2 on a usage error (printed). */
static int
parse(int argc, char **argv, const char *usage, int import,
    struct args *a)
{
	int c;

	memset(a, 0, sizeof *a);
	if (argc < 2 || strcmp(argv[1], "hsds") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			a->uri = optarg;
			break;
		case OPT_KEY_FILE:
			a->key_file = optarg;
			break;
		case OPT_DRY_RUN:
			if (!import)
				goto usage;
			a->dry_run = 1;
			break;
		case OPT_JSON:
			if (import)
				goto usage;
			a->json = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind < argc)
		a->path = argv[optind++];
	if (a->uri == NULL || optind != argc)
		goto usage;
	if (import ? a->path == NULL : (a->path == NULL) == (a->json == NULL))
		goto usage;
	return 0;
usage:
	fputs(usage, stderr);
	return 2;
}

static struct db *
open_db(const struct args *a, int *rc)
{
	char *key_path;
	struct db *db;

	if ((key_path = cli_key_path(a->uri, a->key_file)) == NULL) {
		*rc = 2;
		return NULL;
	}
	db = cli_open_sealed(a->uri, key_path, 0);
	free(key_path);
	if (db != NULL && cli_load_rules(db) != 0) {
		db_close(db);
		db = NULL;
	}
	*rc = 1;
	return db;
}

/* Reads path whole (at most HSDS_PACKAGE_MAX bytes). */
static char *
slurp(const char *path, size_t *len)
{
	struct stat sb;
	char *text;
	size_t got = 0;
	ssize_t k;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY)) < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > HSDS_PACKAGE_MAX) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	text = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (k = read(fd, text + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)k;
	close(fd);
	text[got] = '\0';
	*len = got;
	return text;
}

static void
print_counts(const struct hsds_counts *c, int dry_run)
{
	int i, any = 0;

	for (i = 0; i < HO__COUNT; i++)
		printf("%-20s created %lld, changed %lld, unchanged %lld\n",
		    hsds_obj_name(i), (long long)c->created[i],
		    (long long)c->changed[i], (long long)c->unchanged[i]);
	for (i = 0; i < HA__COUNT; i++)
		if (c->aside[i] > 0) {
			printf("%s%s %lld", any++ ? ", " : "left aside: ",
			    hsds_aside_name(i), (long long)c->aside[i]);
		}
	if (any)
		printf("\n");
	if (dry_run)
		printf("dry run: nothing was changed\n");
}

int
cli_import(int argc, char **argv)
{
	struct hsds_package *p = NULL;
	struct hsds_file *files = NULL;
	const struct hsds_reject *rej;
	struct hsds_counts counts;
	struct actor sys;
	struct args a;
	struct stat sb;
	struct db *db = NULL;
	int rc, nfiles = 0, n, total, i;
	enum err e;

	if (cli_wants_help(argc, argv)) {
		fputs(import_usage, stdout);
		return 0;
	}
	if ((rc = parse(argc, argv, import_usage, 1, &a)) != 0)
		return rc;
	if (stat(a.path, &sb) != 0) {
		fprintf(stderr, "alongside: %s: %s\n", a.path,
		    strerror(errno));
		return 1;
	}
	p = hsds_package_new();
	if (S_ISDIR(sb.st_mode)) {
		e = hsds_files_read_dir(a.path, &files, &nfiles);
		if (e != ERR_OK) {
			fprintf(stderr, "alongside: %s: %s\n", a.path,
			    e == ERR_NOT_FOUND ? "no datapackage.json: not an "
			    "HSDS tabular data package" : e == ERR_TOO_LARGE ?
			    "the package is larger than 50 MB" :
			    "cannot be read");
			hsds_package_free(p);
			return 1;
		}
		hsds_read_tabular(p, files, nfiles);
	} else {
		const char *base = strrchr(a.path, '/');
		size_t len;
		char *text = slurp(a.path, &len);

		if (text == NULL) {
			fprintf(stderr, "alongside: %s: %s\n", a.path,
			    errno == EFBIG ? "the package is larger than 50 MB "
			    "or not a regular file" : strerror(errno));
			hsds_package_free(p);
			return 1;
		}
		hsds_read_json_text(p, base ? base + 1 : a.path, text, len);
		free(text);
	}
	if ((db = open_db(&a, &rc)) == NULL)
		goto done;
	actor_system(&sys);
	rc = 1;
	e = hsds_import(db, &sys, p, a.dry_run, &counts);
	if (e == ERR_OK) {
		print_counts(&counts, a.dry_run);
		rc = 0;
	} else if (e == ERR_INVALID) {
		rej = hsds_rejects(p, &n, &total);
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s:%d: %s: %s\n", rej[i].file,
			    rej[i].line, rej[i].field, rej[i].reason);
		if (total > n)
			fprintf(stderr, "alongside: %d more rejections not "
			    "shown\n", total - n);
		fprintf(stderr, "alongside: %d rejected; nothing was "
		    "imported\n", total);
	} else {
		fprintf(stderr, "alongside: import: %s\n", err_str(e));
	}
done:
	db_close(db);
	hsds_files_free(files, nfiles);
	hsds_package_free(p);
	return rc;
}

static int
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

int
cli_export(int argc, char **argv)
{
	struct hsds_file *files = NULL;
	struct args a;
	struct db *db;
	char path[4096];
	int rc, n = 0, i;
	enum err e;

	if (cli_wants_help(argc, argv)) {
		fputs(export_usage, stdout);
		return 0;
	}
	if ((rc = parse(argc, argv, export_usage, 0, &a)) != 0)
		return rc;
	if ((db = open_db(&a, &rc)) == NULL)
		return rc;
	rc = 1;
	if (a.json != NULL) {
		json_t *j = NULL;
		char *s;

		if ((e = hsds_export_json(db, &j)) != ERR_OK) {
			fprintf(stderr, "alongside: export: %s\n", err_str(e));
			goto done;
		}
		s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		json_decref(j);
		if (s == NULL || write_file(a.json, s, strlen(s)) != 0) {
			fprintf(stderr, "alongside: %s: cannot be written\n",
			    a.json);
			free(s);
			goto done;
		}
		free(s);
		printf("wrote %s\n", a.json);
		rc = 0;
		goto done;
	}
	if ((e = hsds_export_tabular(db, &files, &n)) != ERR_OK) {
		fprintf(stderr, "alongside: export: %s\n", err_str(e));
		goto done;
	}
	if (mkdir(a.path, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "alongside: %s: %s\n", a.path,
		    strerror(errno));
		goto done;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", a.path, files[i].name);
		if (write_file(path, files[i].text, files[i].len) != 0) {
			fprintf(stderr, "alongside: %s: cannot be written\n",
			    path);
			goto done;
		}
	}
	printf("wrote %d files to %s\n", n, a.path);
	rc = 0;
done:
	hsds_files_free(files, n);
	db_close(db);
	return rc;
}
