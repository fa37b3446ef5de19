#ifndef CORE_ENCRYPTION_H
#define CORE_ENCRYPTION_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/seal.h"

/*
 * Encryption at rest, as the organisation sees it: which key seals what,
 * rotating the key, and sealing what an older database held in clear.
 * The sealing itself is util/seal.c; the sealed columns are
 * store/db_sealed.c. See docs/security.md.
 */

/* A key and the number of values sealed under it. */
struct encryption_key {
	char		id[SEAL_ID_LEN + 1];
	char		created_at[32];	/* "" for a key the file lacks */
	int		in_file;	/* 0: values name a key the key file
					 * does not hold */
	int64_t		values;
};

/* The last rotation recorded (key_rotation). */
struct encryption_rotation {
	char		key_id[SEAL_ID_LEN + 1];
	int64_t		started_at;
	int64_t		finished_at;	/* 0 while it runs, or when it
					 * stopped half-way */
	int64_t		values_resealed;
	int64_t		values_failed;
};

struct encryption_status {
	char				 current[SEAL_ID_LEN + 1];
	struct encryption_key		*keys;	/* the key file's, oldest
						 * first, then any others */
	int				 nkeys;
	int64_t				 clear;	/* values not sealed */
	int				 has_rotation;
	struct encryption_rotation	 rotation;
};

/*
 * The keys, the values under each and the last rotation, counted on one
 * snapshot (every sealed column is read: not for every request).
 * Administrators and privacy officers, and the command line; others
 * ERR_FORBIDDEN (audited).
 */
enum err encryption_status(struct db *db, const struct actor *a,
    struct encryption_status *out);
void encryption_status_clear(struct encryption_status *s);

/* What re-sealing did. */
struct encryption_reseal {
	int64_t		resealed;	/* values sealed anew */
	int64_t		cleared;	/* of them, values that were in clear */
	int64_t		failed;		/* values that did not open, left as
					 * they were (logged without them) */
	int64_t		remaining;	/* values still not under the current
					 * key when it stopped, failed
					 * ones included */
	int		passes;
};

/*
 * Seals under the current key every value of every sealed column that is
 * not under it yet: values in clear (a database from before sealing) and
 * values under older keys. batch rows at a time, each batch a write
 * transaction of its own with a pause after it, so servers go on
 * writing. Each value is replaced only if it is still the one read
 * (compare-and-set), and nothing else of the row changes: its version
 * stays. Passes over the columns repeat, settle_ms apart, until one finds
 * nothing left to do (a server that had not yet taken up a new key may
 * have written under the old one meanwhile), at most 20. With
 * rotation_id, each batch adds its counts to that key_rotation row.
 */
enum err encryption_reseal(struct db *db, int batch, int settle_ms,
    const char *rotation_id, struct encryption_reseal *out);

/*
 * Rotates the key: appends a new key to key_file (it becomes the current
 * one, in this process too), records the rotation, re-seals every value
 * under it as encryption_reseal() does, and appends one audit entry
 * (action "rotate", the new key's id, counts only). The old keys stay in
 * the file: backups made before need them. why (n bytes) says what went
 * wrong with the key file. The command line only (a->system).
 */
enum err encryption_rotate(struct db *db, const struct actor *a,
    const char *key_file, int batch, char new_id[SEAL_ID_LEN + 1],
    struct encryption_reseal *out, char *why, size_t n);

/*
 * Seals what a database holds in clear (after migration 11), and what
 * an unfinished rotation left under an older key, as encryption_reseal()
 * without waiting between passes, and audits it once (action "seal")
 * when there was anything to seal.
 */
enum err encryption_seal_clear(struct db *db, const struct actor *a,
    struct encryption_reseal *out);

/* Whether any sealed column holds a sealed value (schema 11 or later). */
enum err encryption_any_sealed(struct db *db, int *any);

#endif
