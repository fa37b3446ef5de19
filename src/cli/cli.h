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

/* Reads a password from standard input (one line), without echo on a
 * terminal. Returns 0 on success. Wipe buf after use. */
int cli_read_password(const char *prompt, char *buf, size_t n);

/* Loads the stored rule sets and time zone; returns 0 on success. */
int cli_load_rules(struct db *db);

#endif
