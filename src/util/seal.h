#ifndef UTIL_SEAL_H
#define UTIL_SEAL_H

#include <stddef.h>

#include "util/err.h"

/*
 * Sealing: the free text of records is kept encrypted in the database
 * (XChaCha20-Poly1305, libsodium) under keys held in a key file outside
 * it. See docs/security.md.
 *
 * The key file is text, one key a line, oldest first; the last line is
 * the current key, the one new values are sealed under:
 *
 *     <key id: 8 hex> <base64 of 32 bytes> <created: YYYY-MM-DDTHH:MM:SSZ>
 *
 * Blank lines and lines starting with '#' are skipped. A sealed value is
 * stored as text:
 *
 *     enc1:<key id>:<base64 of 24-byte nonce || ciphertext and tag>
 *
 * with the column ("table.column") as associated data, so a value moved
 * to another column does not open. NULL is never sealed.
 */

#define SEAL_PREFIX	"enc1:"
#define SEAL_ID_LEN	8
#define SEAL_TAG_LEN	14	/* "enc1:" + key id + ":" */
#define SEAL_MAX_KEYS	1000
#define SEAL_FILE_MAX	(256 * 1024)

/* A set of keys: parsed from a key file, or the process's own. */
struct seal_ring;

/* One key as shown (never the key itself). */
struct seal_key_info {
	char	id[SEAL_ID_LEN + 1];
	char	created[32];
};

/*
 * Parses the text of a key file (len bytes, need not end in NUL). On
 * ERR_INVALID, *line (may be NULL) names the first bad line (1-based; 0
 * when the text holds no key at all). Returns a new ring in *out; caller
 * frees with seal_ring_free().
 */
enum err seal_ring_parse(const char *text, size_t len, struct seal_ring **out,
    int *line);
/* Wipes the keys and frees r. Accepts NULL. */
void seal_ring_free(struct seal_ring *r);
/* The number of keys in r, and the i-th (0 the oldest). */
int seal_ring_count(const struct seal_ring *r);
void seal_ring_key(const struct seal_ring *r, int i,
    struct seal_key_info *out);

/*
 * Seals plain under r's current key with ad as associated data. *out gets
 * the stored form, a new string (caller frees).
 */
enum err seal_ring_seal(const struct seal_ring *r, const char *ad,
    const char *plain, char **out);
/*
 * Opens a stored value sealed with associated data ad. *out gets the
 * text, a new string (caller frees; wipe it when done if it matters).
 * ERR_INVALID when stored is not a sealed value or does not authenticate
 * (a wrong key, a changed value, another column's value), ERR_NOT_FOUND
 * when its key id is not in r. *why (may be NULL) gets a short constant
 * reason that holds nothing of the value.
 */
enum err seal_ring_open(const struct seal_ring *r, const char *ad,
    const char *stored, char **out, const char **why);

/*
 * 1 when stored begins like a sealed value, with its key id copied into
 * id (may be NULL); 0 otherwise.
 */
int seal_key_of(const char *stored, char id[SEAL_ID_LEN + 1]);

/*
 * Reads and parses the key file at path. Refuses (ERR_FORBIDDEN) a file
 * that its group or others may read or write, ERR_NOT_FOUND when there
 * is none, ERR_INVALID for a malformed one or one that is not a regular
 * file, ERR_IO otherwise. why (n bytes) gets a sentence naming path and
 * what to do.
 */
enum err seal_file_read(const char *path, struct seal_ring **out, char *why,
    size_t n);

/*
 * Creates a key file at path holding one new key: mode 0600 whatever the
 * umask, never over an existing file (ERR_CONFLICT), flushed to disk.
 */
enum err seal_file_create(const char *path, char *why, size_t n);

/*
 * Appends a new key, which becomes the current one, to the key file at
 * path: the file is locked against other rotations, written whole to a
 * new file (0600) beside it, flushed, and renamed over it, so readers
 * see the old file or the new one. The new key's id goes into id.
 */
enum err seal_file_add_key(const char *path, char id[SEAL_ID_LEN + 1],
    char *why, size_t n);

/*
 * The process's keyring. seal_load() reads the key file at path once at
 * start, before threads exist; afterwards the file is looked at again
 * (at most about once a second, and whenever a value names a key id the
 * ring lacks) and reloaded when it changed, so a running server takes up
 * a rotated key without a restart. A reloaded file that lacks a key
 * loaded before, or is refused, is ignored (with a warning) and the keys
 * loaded stay. seal_unload() wipes the keys.
 */
enum err seal_load(const char *path, char *why, size_t n);
void seal_unload(void);
int seal_loaded(void);

/* The current key's id; ERR_INTERNAL when no keyring is loaded. */
enum err seal_current(char id[SEAL_ID_LEN + 1]);
/* The loaded keys, oldest first, as a new array (caller frees); *n their
 * number. */
enum err seal_keys(struct seal_key_info **out, int *n);

/* seal_ring_seal() and seal_ring_open() with the process's keyring;
 * ERR_INTERNAL when none is loaded. Thread-safe. */
enum err seal_text(const char *ad, const char *plain, char **out);
enum err seal_open(const char *ad, const char *stored, char **out,
    const char **why);

#endif
