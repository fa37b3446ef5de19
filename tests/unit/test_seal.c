/*
 * Unit tests: sealing at rest (util/seal.c), the sealed columns of
 * store/db_sealed.c and re-sealing (core/encryption.c): the round trip,
 * refusals of a wrong key, a changed value or another column's value, the
 * key file's form and permissions, and a keyring that takes up a rotated
 * key file while running.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "core/encryption.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/seal.h"
#include "tmpdb.h"

#define K1 "0a1b2c3d AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= " \
	"2026-01-02T03:04:05Z\n"
#define K2 "5e6f7a8b ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM= " \
	"2026-02-03T04:05:06Z\n"

static struct seal_ring *
ring_of(const char *text)
{
	struct seal_ring *r = NULL;

	assert_int_equal(seal_ring_parse(text, strlen(text), &r, NULL),
	    ERR_OK);
	return r;
}

static void
test_round_trip(void **state)
{
	struct seal_ring *r = ring_of("# keys\n\n" K1 K2);
	struct seal_key_info k;
	static const char *const texts[] = { "", "Walked to the library "
	    "together; talked about the job fair.", "Café Ünïcode — "
	    "\xe6\x97\xa5\xe6\x9c\xac\n\ttabs and lines" };
	char *a, *b, *plain;
	size_t i;

	(void)state;
	assert_int_equal(seal_ring_count(r), 2);
	seal_ring_key(r, 1, &k);
	assert_string_equal(k.id, "5e6f7a8b");
	assert_string_equal(k.created, "2026-02-03T04:05:06Z");
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		assert_int_equal(seal_ring_seal(r, "contact.response", texts[i],
		    &a), ERR_OK);
		/* Under the current key (the last line), and not the text. */
		assert_memory_equal(a, "enc1:5e6f7a8b:", SEAL_TAG_LEN);
		if (texts[i][0])
			assert_null(strstr(a, texts[i]));
		assert_int_equal(seal_ring_open(r, "contact.response", a,
		    &plain, NULL), ERR_OK);
		assert_string_equal(plain, texts[i]);
		free(plain);
		/* A random nonce: the same text seals differently. */
		assert_int_equal(seal_ring_seal(r, "contact.response", texts[i],
		    &b), ERR_OK);
		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}
	/* A value sealed under an older key still opens. */
	{
		struct seal_ring *old = ring_of(K1);

		assert_int_equal(seal_ring_seal(old, "plan.title", "My plan",
		    &a), ERR_OK);
		assert_memory_equal(a, "enc1:0a1b2c3d:", SEAL_TAG_LEN);
		assert_int_equal(seal_ring_open(r, "plan.title", a, &plain,
		    NULL), ERR_OK);
		assert_string_equal(plain, "My plan");
		free(plain);
		free(a);
		seal_ring_free(old);
	}
	seal_ring_free(r);
}

static void
test_refusals(void **state)
{
	struct seal_ring *r = ring_of(K1 K2);
	/* The same key id with another key: a wrong key file. */
	struct seal_ring *wrong = ring_of("5e6f7a8b "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= "
	    "2026-02-03T04:05:06Z\n");
	struct seal_ring *other = ring_of("99999999 "
	    "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM= "
	    "2026-02-03T04:05:06Z\n");
	const char *why = NULL;
	char *a, *t, *plain = (char *)"untouched";
	size_t n;

	(void)state;
	assert_int_equal(seal_ring_seal(r, "contact.intervention",
	    "what was done together", &a), ERR_OK);
	/* Another column's value does not open here. */
	assert_int_equal(seal_ring_open(r, "contact.response", a, &plain,
	    &why), ERR_INVALID);
	assert_null(plain);
	assert_non_null(why);
	assert_null(strstr(why, "together"));
	assert_int_equal(seal_ring_open(wrong, "contact.intervention", a,
	    &plain, NULL), ERR_INVALID);
	assert_null(plain);
	/* A key id the ring lacks. */
	assert_int_equal(seal_ring_open(other, "contact.intervention", a,
	    &plain, &why), ERR_NOT_FOUND);
	assert_null(plain);
	/* One character changed anywhere after the tag. */
	t = strdup(a);
	n = strlen(t);
	t[n / 2] = t[n / 2] == 'A' ? 'B' : 'A';
	assert_int_equal(seal_ring_open(r, "contact.intervention", t, &plain,
	    NULL), ERR_INVALID);
	assert_null(plain);
	/* Cut short, down to nothing but the tag. */
	memcpy(t, a, n + 1);
	t[n - 8] = '\0';
	assert_int_equal(seal_ring_open(r, "contact.intervention", t, &plain,
	    NULL), ERR_INVALID);
	t[SEAL_TAG_LEN] = '\0';
	assert_int_equal(seal_ring_open(r, "contact.intervention", t, &plain,
	    NULL), ERR_INVALID);
	free(t);
	/* Not sealed at all. */
	assert_int_equal(seal_ring_open(r, "contact.intervention",
	    "what was done together", &plain, NULL), ERR_INVALID);
	assert_int_equal(seal_ring_open(r, "contact.intervention",
	    "enc1:5E6F7A8B:AAAA", &plain, NULL), ERR_INVALID);
	assert_int_equal(seal_key_of("enc1:5e6f7a8b:", NULL), 1);
	assert_int_equal(seal_key_of("enc1:5e6f7a8:x", NULL), 0);
	assert_int_equal(seal_key_of(NULL, NULL), 0);
	free(a);
	seal_ring_free(r);
	seal_ring_free(wrong);
	seal_ring_free(other);
}

static void
test_parse(void **state)
{
	static const struct {
		const char	*text;
		int		 line;
	} bad[] = {
		{ "", 0 },
		{ "# only a comment\n\n", 0 },
		{ "0a1b2c3 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "
		    "2026-01-02T03:04:05Z\n", 1 },
		{ "0A1B2C3D AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "
		    "2026-01-02T03:04:05Z\n", 1 },
		{ K1 "0a1b2c3e AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh= "
		    "2026-01-02T03:04:05Z\n", 2 },
		{ K1 "\n0a1b2c3e AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd!h8= "
		    "2026-01-02T03:04:05Z\n", 3 },
		{ "0a1b2c3d AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", 1 },
		{ "0a1b2c3d AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "
		    "yesterday\n", 1 },
		{ "0a1b2c3d AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= "
		    "2026-01-02T03:04:05Z extra\n", 1 },
		{ K1 K1, 2 },	/* one id twice */
	};
	struct seal_ring *r;
	size_t i;
	int line;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		line = -1;
		r = NULL;
		assert_int_equal(seal_ring_parse(bad[i].text,
		    strlen(bad[i].text), &r, &line), ERR_INVALID);
		assert_null(r);
		assert_int_equal(line, bad[i].line);
	}
	/* Tabs, carriage returns and no final line break are fine. */
	r = ring_of("  0a1b2c3d\tAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	    "\t2026-01-02T03:04:05Z\r\n" "5e6f7a8b "
	    "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM= "
	    "2026-02-03T04:05:06Z");
	assert_int_equal(seal_ring_count(r), 2);
	seal_ring_free(r);
}

struct fx {
	struct tmpdir	dir;
	char		key[512];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	tmpdir_make(&f->dir);
	tmpdir_file(&f->dir, "test.key", f->key, sizeof f->key);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	seal_unload();
	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

static void
test_key_file_mode(void **state)
{
	struct fx *f = *state;
	struct seal_ring *r = NULL;
	struct stat sb;
	char why[512];
	mode_t old;

	/* Made 0600 whatever the umask. */
	old = umask(0);
	assert_int_equal(seal_file_create(f->key, why, sizeof why), ERR_OK);
	umask(old);
	assert_int_equal(stat(f->key, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* Never over an existing one. */
	assert_int_equal(seal_file_create(f->key, why, sizeof why),
	    ERR_CONFLICT);
	assert_int_equal(seal_file_read(f->key, &r, why, sizeof why), ERR_OK);
	assert_int_equal(seal_ring_count(r), 1);
	seal_ring_free(r);
	r = NULL;
	/* Readable by the group or others: refused, saying how to fix it. */
	assert_int_equal(chmod(f->key, 0644), 0);
	assert_int_equal(seal_file_read(f->key, &r, why, sizeof why),
	    ERR_FORBIDDEN);
	assert_null(r);
	assert_non_null(strstr(why, f->key));
	assert_non_null(strstr(why, "chmod 600"));
	assert_int_equal(seal_load(f->key, why, sizeof why), ERR_FORBIDDEN);
	assert_int_equal(seal_loaded(), 0);
	assert_int_equal(chmod(f->key, 0620), 0);
	assert_int_equal(seal_load(f->key, why, sizeof why), ERR_FORBIDDEN);
	assert_int_equal(chmod(f->key, 0600), 0);
	assert_int_equal(seal_load(f->key, why, sizeof why), ERR_OK);
	assert_int_equal(seal_loaded(), 1);
	seal_unload();
	/* None at all. */
	assert_int_equal(unlink(f->key), 0);
	assert_int_equal(seal_load(f->key, why, sizeof why), ERR_NOT_FOUND);
	assert_non_null(strstr(why, f->key));
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void
test_reload(void **state)
{
	struct fx *f = *state;
	struct seal_ring *r = NULL;
	char why[512], k1[SEAL_ID_LEN + 1], k2[SEAL_ID_LEN + 1], k[9];
	char *v1, *v2, *plain, tmp[600];
	FILE *fp;

	assert_int_equal(seal_text("plan.title", "x", &v1), ERR_INTERNAL);
	assert_int_equal(seal_file_create(f->key, why, sizeof why), ERR_OK);
	assert_int_equal(seal_load(f->key, why, sizeof why), ERR_OK);
	assert_int_equal(seal_current(k1), ERR_OK);
	assert_int_equal(seal_text("plan.title", "before the rotation", &v1),
	    ERR_OK);
	/* Another process rotates: a new key, appended. */
	assert_int_equal(seal_file_add_key(f->key, k2, why, sizeof why),
	    ERR_OK);
	assert_string_not_equal(k1, k2);
	assert_int_equal(seal_file_read(f->key, &r, why, sizeof why), ERR_OK);
	assert_int_equal(seal_ring_count(r), 2);
	assert_int_equal(seal_ring_seal(r, "plan.title", "after the rotation",
	    &v2), ERR_OK);
	seal_ring_free(r);
	/* A value under the new key opens at once: the keyring looks at
	 * the file again when a value names a key it lacks. */
	assert_int_equal(seal_open("plan.title", v2, &plain, NULL), ERR_OK);
	assert_string_equal(plain, "after the rotation");
	free(plain);
	assert_int_equal(seal_current(k), ERR_OK);
	assert_string_equal(k, k2);
	assert_int_equal(seal_open("plan.title", v1, &plain, NULL), ERR_OK);
	assert_string_equal(plain, "before the rotation");
	free(plain);
	/* A file that drops a key loaded before is not taken up. */
	snprintf(tmp, sizeof tmp, "%s.other", f->key);
	fp = fopen(tmp, "w");
	assert_non_null(fp);
	fputs(K1, fp);
	fclose(fp);
	assert_int_equal(chmod(tmp, 0600), 0);
	assert_int_equal(rename(tmp, f->key), 0);
	sleep_ms(1100);
	assert_int_equal(seal_current(k), ERR_OK);
	assert_string_equal(k, k2);
	assert_int_equal(seal_open("plan.title", v1, &plain, NULL), ERR_OK);
	free(plain);
	free(v1);
	free(v2);
}

/* The fixture's database with a key file beside it. */
static struct db *
sealed_db(struct fx *f)
{
	struct db *db = tmpdb_open(&f->dir, "seal.db");

	assert_non_null(db);
	return db;
}

static char *
raw(struct db *db, const char *sql, const char *id)
{
	struct db_stmt *st;
	char *s = NULL;
	int row;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	db_bind_text(st, 1, id);
	assert_int_equal(db_step(st, &row), ERR_OK);
	if (row)
		s = db_col_dup(st, 0);
	db_done(st);
	return s;
}

static void
add_staff(struct db *db, const char *id, const char *secret, int sealed)
{
	struct db_stmt *st;

	assert_int_equal(db_prepare(db, "INSERT INTO staff (id, username,"
	    " display_name, role, password_hash, version, created_at,"
	    " updated_at, totp_secret) VALUES ($1, $1, 'Test Staff', 'peer',"
	    " 'x', 7, 0, 0, $2)", &st), ERR_OK);
	db_bind_text(st, 1, id);
	if (sealed)
		db_bind_sealed(st, 2, "staff.totp_secret", secret);
	else
		db_bind_text(st, 2, secret);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
}

static void
test_db_sealed(void **state)
{
	struct fx *f = *state;
	struct db *db = sealed_db(f);
	struct db_stmt *st;
	enum err e = ERR_OK;
	char *s, *plain;
	int row;

	add_staff(db, "s1", "JBSWY3DPEHPK3PXP", 1);
	s = raw(db, "SELECT totp_secret FROM staff WHERE id = $1", "s1");
	assert_true(seal_key_of(s, NULL));
	assert_null(strstr(s, "JBSWY3DPEHPK3PXP"));
	free(s);
	assert_int_equal(db_prepare(db, "SELECT totp_secret, totp_pending"
	    " FROM staff WHERE id = $1", &st), ERR_OK);
	db_bind_text(st, 1, "s1");
	assert_int_equal(db_step(st, &row), ERR_OK);
	plain = db_col_unsealed(st, 0, "staff.totp_secret", &e);
	assert_int_equal(e, ERR_OK);
	assert_string_equal(plain, "JBSWY3DPEHPK3PXP");
	free(plain);
	/* NULL stays NULL, and is no error. */
	assert_null(db_col_unsealed(st, 1, "staff.totp_pending", &e));
	assert_int_equal(e, ERR_OK);
	/* Read as another column: does not open, and says so. */
	assert_null(db_col_unsealed(st, 0, "staff.totp_pending", &e));
	assert_int_equal(e, ERR_DB);
	db_done(st);
	/* A changed value is an error, never other text. */
	assert_int_equal(db_exec(db, "UPDATE staff SET totp_secret ="
	    " substr(totp_secret, 1, 20) || CASE substr(totp_secret, 21, 1)"
	    " WHEN 'A' THEN 'B' ELSE 'A' END || substr(totp_secret, 22)"
	    " WHERE id = 's1'"), ERR_OK);
	assert_int_equal(db_prepare(db, "SELECT totp_secret FROM staff"
	    " WHERE id = $1", &st), ERR_OK);
	db_bind_text(st, 1, "s1");
	assert_int_equal(db_step(st, &row), ERR_OK);
	e = ERR_OK;
	assert_null(db_col_unsealed(st, 0, "staff.totp_secret", &e));
	assert_int_equal(e, ERR_DB);
	db_done(st);
	/* A column that is not in the table of sealed columns. */
	assert_int_equal(db_prepare(db, "UPDATE staff SET display_name = $1"
	    " WHERE id = $2", &st), ERR_OK);
	assert_int_not_equal(db_bind_sealed(st, 1, "staff.display_name",
	    "x"), ERR_OK);
	db_bind_text(st, 2, "s1");
	assert_int_not_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
	/* Without a key file nothing is stored in place of the value. */
	seal_unload();
	assert_int_equal(db_prepare(db, "INSERT INTO staff (id, username,"
	    " display_name, role, password_hash, version, created_at,"
	    " updated_at, totp_secret) VALUES ('s2', 's2', 'Test', 'peer',"
	    " 'x', 1, 0, 0, $1)", &st), ERR_OK);
	assert_int_not_equal(db_bind_sealed(st, 1, "staff.totp_secret",
	    "JBSWY3DPEHPK3PXP"), ERR_OK);
	assert_int_not_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
	s = raw(db, "SELECT id FROM staff WHERE id = $1", "s2");
	assert_null(s);
	db_close(db);
}

static void
test_reseal(void **state)
{
	struct fx *f = *state;
	struct db *db = sealed_db(f);
	struct encryption_reseal r;
	char path[512], why[512], k2[SEAL_ID_LEN + 1], tag[SEAL_TAG_LEN + 1];
	char *s;
	const char *ids[] = { "s1", "s2", "s3" };
	size_t i;

	/* One value in clear (a database from before sealing), one under
	 * the first key, one NULL. */
	add_staff(db, "s1", "JBSWY3DPEHPK3PXP", 0);
	add_staff(db, "s2", "KRSXG5CTMVRXEZLU", 1);
	add_staff(db, "s3", NULL, 0);
	tmpdir_file(&f->dir, "keys", path, sizeof path);
	assert_int_equal(seal_file_add_key(path, k2, why, sizeof why), ERR_OK);
	assert_int_equal(seal_load(path, why, sizeof why), ERR_OK);
	assert_int_equal(encryption_reseal(db, 1, 0, NULL, &r), ERR_OK);
	assert_int_equal(r.resealed, 2);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.remaining, 0);
	snprintf(tag, sizeof tag, "enc1:%s:", k2);
	for (i = 0; i < 2; i++) {
		struct db_stmt *st;
		enum err e = ERR_OK;
		char *plain;
		int row;

		s = raw(db, "SELECT totp_secret FROM staff WHERE id = $1",
		    ids[i]);
		assert_memory_equal(s, tag, SEAL_TAG_LEN);
		free(s);
		assert_int_equal(db_prepare(db, "SELECT totp_secret, version"
		    " FROM staff WHERE id = $1", &st), ERR_OK);
		db_bind_text(st, 1, ids[i]);
		assert_int_equal(db_step(st, &row), ERR_OK);
		plain = db_col_unsealed(st, 0, "staff.totp_secret", &e);
		assert_int_equal(e, ERR_OK);
		assert_string_equal(plain, i == 0 ? "JBSWY3DPEHPK3PXP" :
		    "KRSXG5CTMVRXEZLU");
		/* Sealing again is not an edit. */
		assert_int_equal(db_col_int(st, 1), 7);
		free(plain);
		db_done(st);
	}
	assert_null(raw(db, "SELECT totp_secret FROM staff WHERE id = $1",
	    "s3"));
	/* Nothing left to do the second time. */
	assert_int_equal(encryption_reseal(db, 50, 0, NULL, &r), ERR_OK);
	assert_int_equal(r.resealed, 0);
	assert_int_equal(r.passes, 1);
	/* A value that does not open is counted and left as it is. */
	assert_int_equal(db_exec(db, "UPDATE staff SET totp_secret ="
	    " 'enc1:00000000:AAAA' WHERE id = 's3'"), ERR_OK);
	assert_int_equal(encryption_reseal(db, 2, 0, NULL, &r), ERR_OK);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.remaining, 1);
	s = raw(db, "SELECT totp_secret FROM staff WHERE id = $1", "s3");
	assert_string_equal(s, "enc1:00000000:AAAA");
	free(s);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_parse),
		cmocka_unit_test_setup_teardown(test_key_file_mode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_db_sealed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reseal, setup, teardown),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
