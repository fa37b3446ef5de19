#ifndef STORE_DB_BACKEND_H
#define STORE_DB_BACKEND_H

/*
 * Inside store/ only: what a backend provides behind db.h. A backend's
 * connection and statement structs begin with struct db and struct
 * db_stmt, so store/db.c can hand them to the backend's operations.
 */

#include "store/db.h"

struct db_ops {
	const char	*name;
	void		(*close)(struct db *);
	enum err	(*prepare)(struct db *, const char *, struct db_stmt **);
	void		(*done)(struct db_stmt *);
	enum err	(*bind_text)(struct db_stmt *, int, const char *);
	enum err	(*bind_int)(struct db_stmt *, int, int64_t);
	enum err	(*step)(struct db_stmt *, int *);
	enum err	(*run)(struct db_stmt *, int64_t *);
	const char	*(*col_text)(struct db_stmt *, int);
	int64_t		(*col_int)(struct db_stmt *, int);
	int		(*col_is_null)(struct db_stmt *, int);
	enum err	(*exec)(struct db *, const char *);
	enum err	(*begin)(struct db *, enum db_tx);
	enum err	(*commit)(struct db *);
	void		(*rollback)(struct db *);
	enum err	(*backup)(struct db *, const char *);
	enum err	(*check)(struct db *);
	enum err	(*table_exists)(struct db *, const char *, int *);
	int		(*usable)(struct db *);
};

struct db {
	const struct db_ops	*ops;
	int			 in_tx;
};

struct db_stmt {
	struct db		*db;
	enum err		 bind_err;	/* a sealed value that could
						 * not be bound (db_sealed.c):
						 * the statement fails rather
						 * than store NULL */
};

/* Each backend's constructor; *out gets a connection or NULL. */
enum err db_sqlite_open(const char *path, int flags, struct db **out);
enum err db_pg_open(const char *uri, int flags, struct db **out);

/* Each backend's restore steps (see db.h). */
enum err db_sqlite_restore_load(const char *path, const char *backup,
    char **scratch);
enum err db_sqlite_restore_swap(const char *path, const char *scratch);
void db_sqlite_restore_drop(const char *scratch);
enum err db_sqlite_holds_data(const char *path, int *holds);
enum err db_pg_restore_load(const char *uri, const char *backup,
    char **scratch);
enum err db_pg_restore_swap(const char *uri, const char *scratch);
void db_pg_restore_drop(const char *scratch);
enum err db_pg_holds_data(const char *uri, int *holds);

/*
 * The highest $N in sql outside quoted text (0 for none). Both backends
 * use it: SQLite to rewrite, PostgreSQL to count parameters.
 */
int db_param_count(const char *sql);

#endif
