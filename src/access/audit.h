#ifndef ACCESS_AUDIT_H
#define ACCESS_AUDIT_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"

/*
 * The audit log: append-only and hash-chained. Entry n stores
 * hash_n = SHA-256(hash_{n-1} || fields of n); audit_head holds the last
 * sequence number and hash so removal from the end shows too.
 * See docs/internals/audit.md.
 */

/* The longest detail an entry is given with a break-glass flag. */
#define AUDIT_DETAIL_MAX	512

struct audit_entry {
	const char	*actor_id;	/* NULL when nobody is signed in */
	const char	*actor_role;
	const char	*person_id;	/* the person whose record it is */
	const char	*object_type;	/* "person", "episode", "session", ... */
	const char	*object_id;
	const char	*action;	/* "read", "create", "update", ... */
	const char	*outcome;	/* "success", "denied", "failure" */
	const char	*client_addr;
	const char	*detail;	/* ids, codes and field names only */
};

/* Appends e inside the caller's open write transaction. */
enum err audit_append(struct db *db, const struct audit_entry *e);

/*
 * Appends the n entries of e, in order, inside the caller's open write
 * transaction, reading and writing the chain head once: for loading many
 * entries at a time (bench/generate.c). Each is stamped with the time it
 * is appended. ERR_INTERNAL outside a transaction; on any other
 * error the caller rolls back, and none of the batch stays.
 */
enum err audit_append_many(struct db *db, const struct audit_entry *e,
    int n);

/* Appends e in a transaction of its own (for denials after a rollback). */
enum err audit_append_alone(struct db *db, const struct audit_entry *e);

/* Fills actor fields from a and appends inside the open transaction. */
enum err audit_actor(struct db *db, const struct actor *a,
    const char *person_id, const char *object_type, const char *object_id,
    const char *action, const char *outcome, const char *detail);

/* As audit_actor(), once for each of the n people, in that order, with the
 * chain head read and written once (a group's roster or attendance). */
enum err audit_actor_people(struct db *db, const struct actor *a,
    const char *const *person_ids, int n, const char *object_type,
    const char *object_id, const char *action, const char *outcome,
    const char *detail);

/* As audit_actor(), in a transaction of its own. */
enum err audit_actor_alone(struct db *db, const struct actor *a,
    const char *person_id, const char *object_type, const char *object_id,
    const char *action, const char *outcome, const char *detail);

struct audit_check {
	int64_t		 entries;	/* entries read */
	int64_t		 bad_seq;	/* first bad entry, 0 when intact */
	char		 problem[160];	/* what is wrong with it */
};

/* ERR_OK when the chain is intact; ERR_CONFLICT (and r filled) when not. */
enum err audit_verify(struct db *db, struct audit_check *r);

/* As audit_verify(), reading page entries at a time (1 or more). */
enum err audit_verify_paged(struct db *db, struct audit_check *r, int page);

#define AUDIT_LIST_MAX	200

struct audit_filter {
	const char	*person_id;
	const char	*actor_id;
	int64_t		 from_ms;	/* 0: no lower bound */
	int64_t		 to_ms;		/* 0: no upper bound (exclusive) */
	int64_t		 after_seq;	/* 0: from the start */
	int		 limit;		/* 1..AUDIT_LIST_MAX */
};

struct audit_row {
	int64_t	 seq;
	int64_t	 at;
	char	*actor_id;
	char	*actor_role;
	char	*person_id;
	char	*object_type;
	char	*object_id;
	char	*action;
	char	*outcome;
	char	*client_addr;
	char	*detail;
};

/*
 * Lists entries matching f, oldest first, for a privacy officer; the
 * reading is itself audited. Returns a new array in *rows (caller frees
 * with audit_rows_free()); *next is the cursor for the following page or 0.
 * ERR_INVALID when f->limit is out of range.
 */
enum err audit_list(struct db *db, const struct actor *a,
    const struct audit_filter *f, struct audit_row **rows, int *n,
    int64_t *next);
void audit_rows_free(struct audit_row *rows, int n);

#endif
