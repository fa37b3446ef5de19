/*
 * Fuzz target: the two parsers of sealing at rest (util/seal.c), the key
 * file and the stored form of a sealed value, on the same input.
 *
 * Properties (abort on violation): a key file that parses holds 1 to
 * SEAL_MAX_KEYS keys with well-formed ids; the input, read as a stored
 * value, opens under a fixed ring only when it is a sealed value of that
 * ring; the input, sealed as text, opens back to itself, and not in
 * another column or with any one byte after the tag changed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/crypto.h"
#include "util/seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct seal_ring *fixed;

static void
check_key_file(const char *s, size_t n)
{
	struct seal_ring *r = NULL;
	struct seal_key_info k;
	int line = -1, i;

	if (seal_ring_parse(s, n, &r, &line) != ERR_OK) {
		if (r != NULL || line < 0)
			abort();
		return;
	}
	if (seal_ring_count(r) < 1 || seal_ring_count(r) > SEAL_MAX_KEYS)
		abort();
	for (i = 0; i < seal_ring_count(r); i++) {
		seal_ring_key(r, i, &k);
		if (strlen(k.id) != SEAL_ID_LEN ||
		    strspn(k.id, "0123456789abcdef") != SEAL_ID_LEN)
			abort();
	}
	seal_ring_free(r);
}

static void
check_stored(const char *s)
{
	char *plain = NULL;
	enum err e;

	e = seal_ring_open(fixed, "contact.response", s, &plain, NULL);
	if (e == ERR_OK && (plain == NULL || !seal_key_of(s, NULL)))
		abort();
	if (e != ERR_OK && plain != NULL)
		abort();
	free(plain);
}

static void
check_round_trip(const char *s)
{
	char *stored = NULL, *plain = NULL;
	size_t n, i;

	if (seal_ring_seal(fixed, "plan.title", s, &stored) != ERR_OK)
		abort();
	if (seal_ring_open(fixed, "plan.title", stored, &plain, NULL) !=
	    ERR_OK || strcmp(plain, s) != 0)
		abort();
	free(plain);
	plain = NULL;
	if (seal_ring_open(fixed, "plan_version.content", stored, &plain,
	    NULL) == ERR_OK)
		abort();
	n = strlen(stored);
	i = SEAL_TAG_LEN + (s[0] ? (unsigned char)s[0] : 0) %
	    (n - SEAL_TAG_LEN);
	stored[i] = stored[i] == 'A' ? 'B' : 'A';
	if (seal_ring_open(fixed, "plan.title", stored, &plain, NULL) ==
	    ERR_OK)
		abort();
	free(stored);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char keys[] =
	    "0a1b2c3d AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "
	    "2026-01-02T03:04:05Z\n";
	char *s;

	if (fixed == NULL) {
		if (crypto_init() != ERR_OK ||
		    seal_ring_parse(keys, sizeof keys - 1, &fixed, NULL) !=
		    ERR_OK)
			abort();
	}
	if (size > 65536)
		return 0;
	check_key_file((const char *)data, size);
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_stored(s);
	check_round_trip(s);
	free(s);
	return 0;
}
