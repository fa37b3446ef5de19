#include <string.h>

#include <sodium.h>

#include "util/crypto.h"

enum err
crypto_init(void)
{
	return sodium_init() < 0 ? ERR_INTERNAL : ERR_OK;
}

void
crypto_random(void *p, size_t n)
{
	randombytes_buf(p, n);
}

uint32_t
crypto_uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

void
crypto_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

void
crypto_token(char out[44])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, 44, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

int
crypto_str_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

void
crypto_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
