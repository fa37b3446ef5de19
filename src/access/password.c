#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include <sodium.h>

#include "access/password.h"
#include "util/log.h"
#include "util/text.h"

static sem_t slots;
static int ready;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

void
password_setup(int concurrency)
{
	if (concurrency < 1)
		concurrency = 1;
	if (!ready && sem_init(&slots, 0, (unsigned)concurrency) == 0)
		ready = 1;
}

enum err
password_acceptable(const char *pw)
{
	size_t n;

	if (pw == NULL)
		return ERR_INVALID;
	n = strlen(pw);
	if (n > PASSWORD_MAX_BYTES || !utf8_valid(pw, n) ||
	    text_has_control(pw, 0) || utf8_chars(pw) < PASSWORD_MIN_CHARS)
		return ERR_INVALID;
	return ERR_OK;
}

static void
slot_take(void)
{
	if (ready)
		while (sem_wait(&slots) != 0)
			;
}

static void
slot_give(void)
{
	if (ready)
		sem_post(&slots);
}

enum err
password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	char h[crypto_pwhash_STRBYTES];
	int rc;

	slot_take();
	rc = crypto_pwhash_str_alg(h, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (rc != 0) {
		log_error("password: hashing failed (out of memory?)");
		return ERR_INTERNAL;
	}
	memcpy(out, h, sizeof h < PASSWORD_HASH_MAX ? sizeof h :
	    PASSWORD_HASH_MAX);
	out[PASSWORD_HASH_MAX - 1] = '\0';
	return ERR_OK;
}

static void
make_dummy(void)
{
	unsigned char raw[16];
	char pw[33];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
	if (password_hash(pw, dummy_hash) != ERR_OK)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof pw);
}

int
password_verify(const char *hash, const char *pw)
{
	int ok;

	if (hash == NULL) {
		/* Spend the same time as for a real account. */
		pthread_once(&dummy_once, make_dummy);
		hash = dummy_hash;
		slot_take();
		if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0)
			log_error("password: the dummy hash matched");
		slot_give();
		return 0;
	}
	slot_take();
	ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	slot_give();
	return ok;
}
