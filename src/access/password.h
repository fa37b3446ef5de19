#ifndef ACCESS_PASSWORD_H
#define ACCESS_PASSWORD_H

#include <stddef.h>

#include "util/err.h"

#define PASSWORD_HASH_MAX	128
#define PASSWORD_MIN_CHARS	10
#define PASSWORD_MAX_BYTES	256

/*
 * argon2id password hashing (libsodium), at most a bounded number of
 * hashes at once so sign-ins cannot exhaust memory.
 */

/* Sets how many hashes may run at once; call before threads start. */
void password_setup(int concurrency);

/* ERR_INVALID when pw is too short, too long or not text. */
enum err password_acceptable(const char *pw);

/* Writes an encoded argon2id hash of pw into out. */
enum err password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);

/* 1 when pw matches hash. Takes as long for a NULL hash (unknown user). */
int password_verify(const char *hash, const char *pw);

#endif
