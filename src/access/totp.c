#include <string.h>

#include <sodium.h>

#include "access/totp.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/sha1.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* The MAC of msg under key with alg; returns its length (64 at most). */
static size_t
mac(enum totp_alg alg, const unsigned char *key, size_t keylen,
    const unsigned char *msg, size_t n, unsigned char out[64])
{
	switch (alg) {
	case TOTP_SHA256: {
		crypto_auth_hmacsha256_state s;

		crypto_auth_hmacsha256_init(&s, key, keylen);
		crypto_auth_hmacsha256_update(&s, msg, n);
		crypto_auth_hmacsha256_final(&s, out);
		crypto_wipe(&s, sizeof s);
		return crypto_auth_hmacsha256_BYTES;
	}
	case TOTP_SHA512: {
		crypto_auth_hmacsha512_state s;

		crypto_auth_hmacsha512_init(&s, key, keylen);
		crypto_auth_hmacsha512_update(&s, msg, n);
		crypto_auth_hmacsha512_final(&s, out);
		crypto_wipe(&s, sizeof s);
		return crypto_auth_hmacsha512_BYTES;
	}
	case TOTP_SHA1:
	default:
		hmac_sha1(key, keylen, msg, n, out);
		return SHA1_DIGEST;
	}
}

void
hotp(enum totp_alg alg, const unsigned char *key, size_t keylen,
    uint64_t counter, int digits, char out[TOTP_MAX_DIGITS + 1])
{
	unsigned char msg[8], h[64];
	uint32_t bin, mod = 1;
	size_t n, off;
	int i;

	if (digits < 6 || digits > TOTP_MAX_DIGITS)
		digits = TOTP_DIGITS;
	for (i = 0; i < 8; i++)
		msg[i] = (unsigned char)(counter >> (56 - 8 * i));
	n = mac(alg, key, keylen, msg, sizeof msg, h);
	/* Dynamic truncation: the low nibble of the last byte picks four
	 * bytes; their top bit is dropped. */
	off = h[n - 1] & 0x0f;
	bin = ((uint32_t)h[off] & 0x7f) << 24 | (uint32_t)h[off + 1] << 16 |
	    (uint32_t)h[off + 2] << 8 | (uint32_t)h[off + 3];
	for (i = 0; i < digits; i++)
		mod *= 10;
	bin %= mod;
	/* Written from the last digit, zero-padded. */
	out[digits] = '\0';
	for (i = digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + bin % 10);
		bin /= 10;
	}
	crypto_wipe(h, sizeof h);
}

int64_t
totp_step(int64_t unix_s)
{
	/* Floor, so a time before 1970 does not share step 0. */
	return unix_s >= 0 ? unix_s / TOTP_STEP_S :
	    -((-unix_s + TOTP_STEP_S - 1) / TOTP_STEP_S);
}

void
totp(enum totp_alg alg, const unsigned char *key, size_t keylen,
    int64_t unix_s, int digits, char out[TOTP_MAX_DIGITS + 1])
{
	hotp(alg, key, keylen, (uint64_t)totp_step(unix_s), digits, out);
}

size_t
base32_encode(const unsigned char *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0, need = (n * 8 + 4) / 5;
	uint32_t acc = 0;
	int bits = 0;

	if (cap == 0 || need > cap - 1)
		return 0;
	for (i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = b32[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return o;
}

enum err
base32_decode(const char *s, unsigned char *out, size_t cap, size_t *n)
{
	uint32_t acc = 0;
	size_t o = 0, chars = 0;
	int bits = 0, padding = 0;
	const char *p;

	*n = 0;
	for (p = s; *p; p++) {
		const char *hit;
		int c = *p;

		if (c == ' ' || c == '-')
			continue;
		if (c == '=') {
			padding = 1;
			continue;
		}
		if (padding)
			return ERR_INVALID;	/* data after padding */
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == '\0' || (hit = strchr(b32, c)) == NULL)
			return ERR_INVALID;
		acc = (acc << 5) | (uint32_t)(hit - b32);
		bits += 5;
		chars++;
		if (bits >= 8) {
			if (o == cap)
				return ERR_INVALID;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	/* 1, 3 and 6 characters past a multiple of 8 encode no whole byte;
	 * the bits left over must be zero. */
	switch (chars % 8) {
	case 1: case 3: case 6:
		return ERR_INVALID;
	default:
		break;
	}
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return ERR_INVALID;
	*n = o;
	return ERR_OK;
}

void
totp_secret_new(char out[TOTP_SECRET_B32])
{
	unsigned char key[TOTP_SECRET_BYTES];

	crypto_random(key, sizeof key);
	base32_encode(key, sizeof key, out, TOTP_SECRET_B32);
	crypto_wipe(key, sizeof key);
}

/* Percent-encodes all but RFC 3986's unreserved characters. */
static void
uri_part(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_append(b, s, 1);
		else
			buf_printf(b, "%%%02X", c);
	}
}

char *
totp_uri(const char *secret_b32, const char *account)
{
	struct buf b;

	buf_init(&b, 1024);
	buf_secret(&b);
	buf_puts(&b, "otpauth://totp/");
	uri_part(&b, TOTP_ISSUER);
	buf_puts(&b, ":");
	uri_part(&b, account);
	buf_puts(&b, "?secret=");
	uri_part(&b, secret_b32);
	buf_puts(&b, "&issuer=");
	uri_part(&b, TOTP_ISSUER);
	buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
	    TOTP_STEP_S);
	return buf_take(&b);
}

enum totp_result
totp_verify(const char *secret_b32, int64_t now_s, int64_t last_step,
    const char *code, int64_t *step)
{
	unsigned char key[64];
	char typed[TOTP_DIGITS + 1], want[TOTP_MAX_DIGITS + 1];
	int64_t now = totp_step(now_s), matched = 0;
	size_t keylen, n = 0;
	int d, ok = 0, replay = 0;
	const char *p;

	*step = 0;
	for (p = code; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
			return TOTP_WRONG;
		typed[n++] = *p;
	}
	typed[n] = '\0';
	if (n != TOTP_DIGITS || base32_decode(secret_b32, key, sizeof key,
	    &keylen) != ERR_OK || keylen == 0)
		return TOTP_WRONG;
	/* Every step of the window is computed and compared, matching or
	 * not; the first later than last_step that matches wins. */
	for (d = -1; d <= 1; d++) {
		int64_t s = now + d;
		int same, fresh;

		hotp(TOTP_SHA1, key, keylen, (uint64_t)s, TOTP_DIGITS, want);
		same = sodium_memcmp(want, typed, TOTP_DIGITS) == 0;
		fresh = s > last_step;
		if (same && fresh && !ok) {
			ok = 1;
			matched = s;
		} else if (same && !fresh) {
			replay = 1;
		}
	}
	crypto_wipe(key, sizeof key);
	crypto_wipe(want, sizeof want);
	crypto_wipe(typed, sizeof typed);
	if (ok) {
		*step = matched;
		return TOTP_OK;
	}
	return replay ? TOTP_REPLAYED : TOTP_WRONG;
}
