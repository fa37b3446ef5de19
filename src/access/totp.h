#ifndef ACCESS_TOTP_H
#define ACCESS_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * One-time codes from an authenticator app: HOTP (RFC 4226) and TOTP
 * (RFC 6238) with 30-second steps and 6 digits over HMAC-SHA1, as the apps
 * compute them; SHA-256 and SHA-512 too, for RFC 6238's own test vectors.
 * Secrets travel as base32 (RFC 4648). Pure functions: nothing here reads
 * the clock or the database.
 */

#define TOTP_SECRET_BYTES	20	/* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_B32		33	/* its base32, 32 chars, and a NUL */
#define TOTP_STEP_S		30
#define TOTP_DIGITS		6
#define TOTP_MAX_DIGITS		9
#define TOTP_ISSUER		"Alongside"

enum totp_alg {
	TOTP_SHA1,
	TOTP_SHA256,
	TOTP_SHA512,
};

/*
 * The HOTP value for counter (RFC 4226 5.3: dynamic truncation, modulo
 * 10^digits), zero-padded into out (digits chars and a NUL); digits 6..9.
 */
void hotp(enum totp_alg alg, const unsigned char *key, size_t keylen,
    uint64_t counter, int digits, char out[TOTP_MAX_DIGITS + 1]);

/* The time step holding Unix time unix_s: floor(unix_s / 30). */
int64_t totp_step(int64_t unix_s);

/* The TOTP value at Unix time unix_s (RFC 6238 4.2). */
void totp(enum totp_alg alg, const unsigned char *key, size_t keylen,
    int64_t unix_s, int digits, char out[TOTP_MAX_DIGITS + 1]);

/*
 * Base32 (RFC 4648 6) of p[0..n) without padding into out, NUL-terminated.
 * Returns the characters written, or 0 when out (cap bytes) is too small.
 */
size_t base32_encode(const unsigned char *p, size_t n, char *out,
    size_t cap);

/*
 * Decodes base32 s into out (cap bytes), *n the bytes written. Letters of
 * either case; spaces and hyphens (as people group it) are skipped, and
 * '=' padding is allowed only at the end. ERR_INVALID for any other
 * character, a length no encoding has, stray bits that are not zero, or
 * more than cap bytes.
 */
enum err base32_decode(const char *s, unsigned char *out, size_t cap,
    size_t *n);

/* A new random secret (TOTP_SECRET_BYTES from libsodium), in base32. */
void totp_secret_new(char out[TOTP_SECRET_B32]);

/*
 * The otpauth:// URI an authenticator app reads from a QR code: issuer
 * "Alongside", the account's username as its label, SHA1, 6 digits, 30
 * seconds. Returns a new string; caller frees with free().
 */
char *totp_uri(const char *secret_b32, const char *account);

enum totp_result {
	TOTP_OK,
	TOTP_WRONG,	/* not the code of any step in the window */
	TOTP_REPLAYED,	/* the code of a step already used */
};

/*
 * Checks code (6 digits; spaces are ignored) against secret_b32 at Unix
 * time now_s, accepting the steps one either side of now's that are later
 * than last_step. TOTP_OK with *step set to the step it matched: store it
 * as the new last_step. Every step in the window is computed and compared
 * in constant time, so the time taken says nothing about the code.
 */
enum totp_result totp_verify(const char *secret_b32, int64_t now_s,
    int64_t last_step, const char *code, int64_t *step);

#endif
