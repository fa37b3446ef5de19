#ifndef UTIL_CRYPTO_H
#define UTIL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Initialises libsodium; call once before threads start. */
enum err crypto_init(void);

void crypto_random(void *p, size_t n);

/* A uniformly random integer in [0, upper). */
uint32_t crypto_uniform(uint32_t upper);

/* Lowercase hex SHA-256 of p[0..n) into out (64 chars and a NUL). */
void crypto_sha256_hex(const void *p, size_t n, char out[65]);

/* A new 256-bit random token, base64url without padding (43 chars + NUL). */
void crypto_token(char out[44]);

/* Constant-time comparison of two equal-length strings; 1 when equal. */
int crypto_str_equal(const char *a, const char *b);

/* Wipes n bytes at p in a way the compiler keeps. */
void crypto_wipe(void *p, size_t n);

#endif
