#include <string.h>

#include "util/crypto.h"
#include "util/sha1.h"

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

/* One 64-byte block (FIPS 180-4, 6.1.2). */
static void
block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	crypto_wipe(w, sizeof w);
}

void
sha1_init(struct sha1 *s)
{
	memset(s, 0, sizeof *s);
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->h[4] = 0xc3d2e1f0;
}

void
sha1_update(struct sha1 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->len += n;
	while (n > 0) {
		size_t take = SHA1_BLOCK - s->nbuf;

		if (take > n)
			take = n;
		memcpy(s->buf + s->nbuf, p, take);
		s->nbuf += take;
		p += take;
		n -= take;
		if (s->nbuf == SHA1_BLOCK) {
			block(s->h, s->buf);
			s->nbuf = 0;
		}
	}
}

void
sha1_final(struct sha1 *s, unsigned char out[SHA1_DIGEST])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, len[8];
	int i;

	/* 0x80, zeros up to 56 mod 64, then the length in bits, big-endian. */
	sha1_update(s, &pad, 1);
	pad = 0;
	while (s->nbuf != 56)
		sha1_update(s, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, len, 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
	crypto_wipe(s, sizeof *s);
}

void
sha1(const void *p, size_t n, unsigned char out[SHA1_DIGEST])
{
	struct sha1 s;

	sha1_init(&s);
	sha1_update(&s, p, n);
	sha1_final(&s, out);
}

void
hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
    unsigned char out[SHA1_DIGEST])
{
	unsigned char k[SHA1_BLOCK], pad[SHA1_BLOCK], inner[SHA1_DIGEST];
	struct sha1 s;
	int i;

	/* A key longer than a block is hashed first (RFC 2104, 2). */
	memset(k, 0, sizeof k);
	if (keylen > SHA1_BLOCK)
		sha1(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&s);
	sha1_update(&s, pad, sizeof pad);
	sha1_update(&s, msg, n);
	sha1_final(&s, inner);
	for (i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&s);
	sha1_update(&s, pad, sizeof pad);
	sha1_update(&s, inner, sizeof inner);
	sha1_final(&s, out);
	crypto_wipe(k, sizeof k);
	crypto_wipe(pad, sizeof pad);
	crypto_wipe(inner, sizeof inner);
}
