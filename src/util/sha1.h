#ifndef UTIL_SHA1_H
#define UTIL_SHA1_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-1 (FIPS 180-4) and HMAC-SHA1 (RFC 2104), for HOTP/TOTP codes, which
 * authenticator apps compute with HMAC-SHA1 (RFC 4226, RFC 6238). libsodium
 * has no SHA-1. Not for anything else: SHA-1 is broken for collisions,
 * which HMAC does not rely on.
 */

#define SHA1_DIGEST	20
#define SHA1_BLOCK	64

struct sha1 {
	uint32_t	h[5];
	uint64_t	len;		/* bytes hashed so far */
	unsigned char	buf[SHA1_BLOCK];
	size_t		nbuf;
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *p, size_t n);
/* Writes the digest and wipes s. */
void sha1_final(struct sha1 *s, unsigned char out[SHA1_DIGEST]);

/* The SHA-1 of p[0..n). */
void sha1(const void *p, size_t n, unsigned char out[SHA1_DIGEST]);

/* HMAC-SHA1 of msg under key (any length). */
void hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
    unsigned char out[SHA1_DIGEST]);

#endif
