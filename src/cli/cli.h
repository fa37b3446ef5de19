#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>

#include "store/db.h"

/*
 * Command-line commands: parse options, call core, print. Exit status 0
 * on success, 1 on failure, 2 on a usage error.
 */

int cli_init(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_team(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_key(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);

/* Shared helpers, cli/common.c. */

/* 1 when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

/*
 * Opens the database; with create, makes it and brings it to the newest
 * schema with the shipped rule sets. Without create, refuses a schema
 * that is not the newest (naming `alongside migrate` when it is older).
 * Prints what went wrong; returns NULL then.
 */
struct db *cli_open(const char *uri, int create);

/*
 * The key file for the database uri: key_file (--key-file) when given,
 * else $ALONGSIDE_KEY_FILE, else FILE.key beside a SQLite database FILE.
 * NULL for a PostgreSQL database without one (a usage error: the
 * caller prints its usage and exits 2). Returns a new string; caller
 * frees.
 */
char *cli_key_path(const char *uri, const char *key_file);

/*
 * As cli_open(), and loads the key file at key_path, which seals the
 * free text of records (util/seal.h). With create, a missing key file is
 * made (mode 0600) unless the database already holds sealed values, and
 * values still in clear are sealed once the schema is current. Prints
 * what went wrong; returns NULL then.
 */
struct db *cli_open_sealed(const char *uri, const char *key_path,
    int create);

/*
 * For a database open at schema version (before migrating it): loads the
 * key file at path, or with create makes one when there is none and the
 * database holds no sealed values. Prints what went wrong, and a line
 * when it made a key file; returns 0 on success.
 */
int cli_keys_ready(struct db *db, const char *path, int version,
    int create);

/* Seals the values a database holds in clear (after migration 11);
 * prints how many. Returns 0 on success. */
int cli_seal_clear(struct db *db);

/* Reads a password from standard input (one line), without echo on a
 * terminal. Returns 0 on success. Wipe buf after use. */
int cli_read_password(const char *prompt, char *buf, size_t n);

/* Loads the stored rule sets and time zone; returns 0 on success. */
int cli_load_rules(struct db *db);

#endif
