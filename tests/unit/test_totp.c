/*
 * Unit tests: SHA-1 and HMAC-SHA1 (util/sha1), HOTP/TOTP, base32 and the
 * otpauth URI (access/totp), and the QR code's SVG (util/qr). Vectors
 * from FIPS 180 / RFC 3174, RFC 2202, RFC 4226 appendix D, RFC 6238
 * appendix B and RFC 4648 section 10.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "access/totp.h"
#include "util/crypto.h"
#include "util/qr.h"
#include "util/sha1.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* Bytes from hex text (test vectors). */
static size_t
unhex(const char *s, unsigned char *out)
{
	size_t n = 0;
	unsigned v;

	while (s[0] && s[1] && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return n;
}

static void
test_sha1_vectors(void **state)
{
	static const struct {
		const char *msg;
		int repeat;
		const char *digest;
	} v[] = {
		{ "abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		{ "a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
		{ "0123456701234567012345670123456701234567012345670123456701"
		    "234567", 10, "dea356a2cddd90c7a7ecedc5ebb563934f460452" },
		/* 55 and 56 bytes: the padding needs one block, then two. */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
		    "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
		    "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
	};
	unsigned char d[SHA1_DIGEST];
	char out[41];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct sha1 s;

		sha1_init(&s);
		for (r = 0; r < v[i].repeat; r++)
			sha1_update(&s, v[i].msg, strlen(v[i].msg));
		sha1_final(&s, d);
		hex(d, sizeof d, out);
		assert_string_equal(out, v[i].digest);
	}
	/* Fed a byte at a time, the same. */
	{
		struct sha1 s;
		const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmno"
		    "mnopnopq";

		sha1_init(&s);
		for (; *m; m++)
			sha1_update(&s, m, 1);
		sha1_final(&s, d);
		hex(d, sizeof d, out);
		assert_string_equal(out,
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	}
}

/* 80 bytes of 0xaa, longer than a block: cases 6 and 7. */
#define AA40 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define AA80 AA40 AA40 AA40 AA40

static void
test_hmac_sha1_rfc2202(void **state)
{
	static const struct {
		const char *key;	/* hex */
		const char *data;	/* hex, or text when not hex_data */
		int hex_data;
		const char *mac;
	} v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", 0,
		    "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ "4a656665", "what do ya want for nothing?", 0,
		    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		    "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		    "dddddddddddddddddddddddddddddddddddddddddd", 1,
		    "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		    "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", 1,
		    "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
		{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
		    "Test With Truncation", 0,
		    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
		{ AA80,
		    "Test Using Larger Than Block-Size Key - Hash Key First", 0,
		    "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
		{ AA80,
		    "Test Using Larger Than Block-Size Key and Larger Than One "
		    "Block-Size Data", 0,
		    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	};
	unsigned char key[128], data[128], mac[SHA1_DIGEST];
	char out[41];
	size_t i, kn, dn;

	(void)state;
	assert_int_equal(strlen(AA80), 160);
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		kn = unhex(v[i].key, key);
		if (v[i].hex_data) {
			dn = unhex(v[i].data, data);
		} else {
			dn = strlen(v[i].data);
			memcpy(data, v[i].data, dn);
		}
		hmac_sha1(key, kn, data, dn, mac);
		hex(mac, sizeof mac, out);
		assert_string_equal(out, v[i].mac);
	}
}

static const unsigned char seed20[] = "12345678901234567890";
static const unsigned char seed32[] = "12345678901234567890123456789012";
static const unsigned char seed64[] =
    "1234567890123456789012345678901234567890123456789012345678901234";

static void
test_hotp_rfc4226(void **state)
{
	static const char *const want[] = {
		"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489",
	};
	char out[TOTP_MAX_DIGITS + 1];
	uint64_t c;

	(void)state;
	for (c = 0; c < 10; c++) {
		hotp(TOTP_SHA1, seed20, 20, c, 6, out);
		assert_string_equal(out, want[c]);
	}
}

static void
test_totp_rfc6238(void **state)
{
	static const struct {
		int64_t t;
		const char *sha1, *sha256, *sha512;
	} v[] = {
		{ 59, "94287082", "46119246", "90693936" },
		{ 1111111109, "07081804", "68084774", "25091201" },
		{ 1111111111, "14050471", "67062674", "99943326" },
		{ 1234567890, "89005924", "91819424", "93441116" },
		{ 2000000000, "69279037", "90698825", "38618901" },
		{ 20000000000LL, "65353130", "77737706", "47863826" },
	};
	char out[TOTP_MAX_DIGITS + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		totp(TOTP_SHA1, seed20, 20, v[i].t, 8, out);
		assert_string_equal(out, v[i].sha1);
		totp(TOTP_SHA256, seed32, 32, v[i].t, 8, out);
		assert_string_equal(out, v[i].sha256);
		totp(TOTP_SHA512, seed64, 64, v[i].t, 8, out);
		assert_string_equal(out, v[i].sha512);
	}
	assert_int_equal(totp_step(59), 1);
	assert_int_equal(totp_step(60), 2);
	assert_int_equal(totp_step(0), 0);
	assert_int_equal(totp_step(-1), -1);
}

static void
test_base32(void **state)
{
	static const char *const plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar",
	};
	static const char *const enc[] = {
		"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI",
	};
	static const char *const bad[] = {
		"M", "MZX", "MZXW6Y", "MZ", "MY=A", "MZ1Q", "MZ0Q", "MZ8Q",
		"MZ\xc3\xa9Q", "MZ_Q",
	};
	unsigned char buf[64], raw[64];
	char text[128];
	size_t i, n;
	int round;

	(void)state;
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		assert_int_equal(base32_encode((const unsigned char *)plain[i],
		    strlen(plain[i]), text, sizeof text), strlen(enc[i]));
		assert_string_equal(text, enc[i]);
		assert_int_equal(base32_decode(enc[i], buf, sizeof buf, &n),
		    ERR_OK);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(buf, plain[i], n);
	}
	/* Padding, lower case, and the spaces and hyphens of grouping. */
	assert_int_equal(base32_decode("MZXW6YQ=", buf, sizeof buf, &n),
	    ERR_OK);
	assert_int_equal(n, 4);
	assert_int_equal(base32_decode("mzxw 6ytb-oi", buf, sizeof buf, &n),
	    ERR_OK);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "foobar", 6);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(base32_decode(bad[i], buf, sizeof buf, &n),
		    ERR_INVALID);
	/* Too long for the room given. */
	assert_int_equal(base32_decode("MZXW6YTBOI", buf, 5, &n), ERR_INVALID);
	/* Too little room to encode. */
	assert_int_equal(base32_encode((const unsigned char *)"foobar", 6,
	    text, 10), 0);
	/* Round trips of every length up to 40 bytes. */
	for (round = 0; round < 200; round++) {
		size_t len = (size_t)round % 41;

		crypto_random(raw, len);
		assert_true(base32_encode(raw, len, text, sizeof text) > 0 ||
		    len == 0);
		assert_int_equal(base32_decode(text, buf, sizeof buf, &n),
		    ERR_OK);
		assert_int_equal(n, len);
		assert_memory_equal(buf, raw, len);
	}
}

static void
test_secret_and_uri(void **state)
{
	char s[TOTP_SECRET_B32], t[TOTP_SECRET_B32];
	unsigned char key[64];
	size_t n;
	char *uri;

	(void)state;
	totp_secret_new(s);
	totp_secret_new(t);
	assert_int_equal(strlen(s), 32);
	assert_string_not_equal(s, t);
	assert_int_equal(base32_decode(s, key, sizeof key, &n), ERR_OK);
	assert_int_equal(n, TOTP_SECRET_BYTES);
	uri = totp_uri("JBSWY3DPEHPK3PXP", "peer.north");
	assert_string_equal(uri, "otpauth://totp/Alongside:peer.north"
	    "?secret=JBSWY3DPEHPK3PXP&issuer=Alongside&algorithm=SHA1"
	    "&digits=6&period=30");
	free(uri);
	/* Anything but unreserved characters is percent-encoded. */
	uri = totp_uri("JBSWY3DPEHPK3PXP", "a b&c?d");
	assert_non_null(strstr(uri, "Alongside:a%20b%26c%3Fd?"));
	free(uri);
}

/* A code of step s for the RFC's SHA-1 seed, as base32 secret. */
static void
code_at(int64_t s, char out[TOTP_MAX_DIGITS + 1])
{
	hotp(TOTP_SHA1, seed20, 20, (uint64_t)s, 6, out);
}

static void
test_verify_window_and_replay(void **state)
{
	char secret[TOTP_SECRET_B32], c[TOTP_MAX_DIGITS + 1], spaced[16];
	int64_t now = 1700000000, step = totp_step(now), used = 0;
	int d;

	(void)state;
	base32_encode(seed20, 20, secret, sizeof secret);
	/* One step either side is accepted, two is not. */
	for (d = -1; d <= 1; d++) {
		code_at(step + d, c);
		assert_int_equal(totp_verify(secret, now, 0, c, &used),
		    TOTP_OK);
		assert_int_equal(used, step + d);
	}
	code_at(step - 2, c);
	assert_int_equal(totp_verify(secret, now, 0, c, &used), TOTP_WRONG);
	code_at(step + 2, c);
	assert_int_equal(totp_verify(secret, now, 0, c, &used), TOTP_WRONG);
	/* The edges of a step: its first and last second. */
	code_at(step + 1, c);
	assert_int_equal(totp_verify(secret, (step) * 30, 0, c, &used),
	    TOTP_OK);
	assert_int_equal(totp_verify(secret, (step - 1) * 30 + 29, 0, c,
	    &used), TOTP_WRONG);
	assert_int_equal(totp_verify(secret, (step + 2) * 30 + 29, 0, c,
	    &used), TOTP_OK);
	assert_int_equal(totp_verify(secret, (step + 3) * 30, 0, c, &used),
	    TOTP_WRONG);
	/* Replay: a step not later than the last one used is refused. */
	code_at(step, c);
	assert_int_equal(totp_verify(secret, now, step, c, &used),
	    TOTP_REPLAYED);
	assert_int_equal(totp_verify(secret, now, step + 1, c, &used),
	    TOTP_REPLAYED);
	assert_int_equal(totp_verify(secret, now, step - 1, c, &used),
	    TOTP_OK);
	code_at(step - 1, c);
	assert_int_equal(totp_verify(secret, now, step - 1, c, &used),
	    TOTP_REPLAYED);
	code_at(step + 1, c);
	assert_int_equal(totp_verify(secret, now, step, c, &used), TOTP_OK);
	assert_int_equal(used, step + 1);
	/* Spaces are ignored; anything else that is not 6 digits is wrong. */
	code_at(step, c);
	snprintf(spaced, sizeof spaced, "%.3s %s", c, c + 3);
	assert_int_equal(totp_verify(secret, now, 0, spaced, &used), TOTP_OK);
	assert_int_equal(totp_verify(secret, now, 0, "", &used), TOTP_WRONG);
	assert_int_equal(totp_verify(secret, now, 0, "12345", &used),
	    TOTP_WRONG);
	assert_int_equal(totp_verify(secret, now, 0, "1234567", &used),
	    TOTP_WRONG);
	assert_int_equal(totp_verify(secret, now, 0, "12a456", &used),
	    TOTP_WRONG);
	assert_int_equal(totp_verify(secret, now, 0, "-12345", &used),
	    TOTP_WRONG);
	/* A secret that does not decode matches nothing. */
	assert_int_equal(totp_verify("not base32!", now, 0, c, &used),
	    TOTP_WRONG);
	assert_int_equal(totp_verify("", now, 0, c, &used), TOTP_WRONG);
}

static void
test_qr_svg(void **state)
{
	char *svg = NULL;

	(void)state;
	assert_int_equal(qr_svg("otpauth://totp/Alongside:peer.north?secret="
	    "JBSWY3DPEHPK3PXP&issuer=Alongside", &svg), ERR_OK);
	assert_non_null(svg);
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"",
	    39) == 0);
	assert_non_null(strstr(svg, "<path d=\"M4 4h7v1h-7z"));
	assert_null(strstr(svg, "<script"));
	assert_string_equal(svg + strlen(svg) - 6, "</svg>");
	free(svg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_hmac_sha1_rfc2202),
		cmocka_unit_test(test_hotp_rfc4226),
		cmocka_unit_test(test_totp_rfc6238),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_secret_and_uri),
		cmocka_unit_test(test_verify_window_and_replay),
		cmocka_unit_test(test_qr_svg),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
