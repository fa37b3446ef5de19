/*
 * Helpers shared by the unit tests that need real files: a private
 * temporary directory per test and a migrated SQLite database in it.
 * Everything here is static inline so each test program takes only what
 * it uses.
 */
#ifndef TESTS_UNIT_TMPDB_H
#define TESTS_UNIT_TMPDB_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "util/seal.h"

struct tmpdir {
	char	path[64];
};

/* Makes a new empty directory under /tmp; aborts the test run on failure. */
static inline void
tmpdir_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof t->path, "%s", "/tmp/alongside-unit-XXXXXX");
	if (mkdtemp(t->path) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

/* Writes dir/name into out. */
static inline void
tmpdir_file(const struct tmpdir *t, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", t->path, name);
}

/* Removes the directory and the plain files in it. */
static inline void
tmpdir_remove(struct tmpdir *t)
{
	DIR *d = opendir(t->path);
	struct dirent *de;
	char p[512];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", t->path, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(t->path);
}

/*
 * Loads a key file dir/keys (made when missing), so the sealed columns
 * of databases in dir can be written and read. 0 on success.
 */
static inline int
tmpdir_keys(const struct tmpdir *t)
{
	char path[512], why[512];

	tmpdir_file(t, "keys", path, sizeof path);
	if (access(path, F_OK) != 0 &&
	    seal_file_create(path, why, sizeof why) != ERR_OK)
		return -1;
	return seal_load(path, why, sizeof why) == ERR_OK ? 0 : -1;
}

/* Creates and migrates dir/name, with a key file beside it (see
 * tmpdir_keys()); returns the connection or NULL. */
static inline struct db *
tmpdb_open(const struct tmpdir *t, const char *name)
{
	struct db *db = NULL;
	char path[512];

	if (tmpdir_keys(t) != 0)
		return NULL;
	tmpdir_file(t, name, path, sizeof path);
	if (db_open(path, DB_OPEN_CREATE, &db) != ERR_OK)
		return NULL;
	if (db_migrate(db, NULL, NULL) != ERR_OK) {
		db_close(db);
		return NULL;
	}
	return db;
}

#endif
