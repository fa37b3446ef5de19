/* Unit tests: util/ (parsers, buffers, text folding, UUIDs, time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/crypto.h"
#include "util/parse.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/verr.h"

static void
test_parse_int64(void **state)
{
	int64_t v = 7;

	(void)state;
	assert_int_equal(parse_int64("42", 0, 100, &v), ERR_OK);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), ERR_OK);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64("9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), ERR_INVALID);
	assert_int_equal(parse_int64("101", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64("", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64("-", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64(" 1", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64("1x", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64("+1", 0, 100, &v), ERR_INVALID);
	assert_int_equal(parse_int64(NULL, 0, 100, &v), ERR_INVALID);
}

static void
test_date_parse(void **state)
{
	struct date d;
	char out[11];

	(void)state;
	assert_int_equal(date_parse("2024-02-29", &d), ERR_OK);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	date_format(d, out);
	assert_string_equal(out, "2024-02-29");
	assert_int_equal(date_parse("2023-02-29", &d), ERR_INVALID);
	assert_int_equal(date_parse("1900-02-29", &d), ERR_INVALID);
	assert_int_equal(date_parse("2000-02-29", &d), ERR_OK);
	assert_int_equal(date_parse("2024-13-01", &d), ERR_INVALID);
	assert_int_equal(date_parse("2024-04-31", &d), ERR_INVALID);
	assert_int_equal(date_parse("2024-4-01", &d), ERR_INVALID);
	assert_int_equal(date_parse("2024-04-01T00:00", &d), ERR_INVALID);
	assert_int_equal(date_parse("0999-01-01", &d), ERR_INVALID);
	assert_int_equal(date_parse("20x4-01-01", &d), ERR_INVALID);
}

static void
test_date_days(void **state)
{
	struct date epoch = { 1970, 1, 1 }, d = { 2026, 11, 22 };
	char out[11];

	(void)state;
	assert_int_equal(date_to_days(epoch), 0);
	assert_true(date_cmp(date_from_days(date_to_days(d)), d) == 0);
	date_format(date_add_days(d, 30), out);
	assert_string_equal(out, "2026-12-22");
	date_format(date_add_days((struct date){ 2024, 2, 28 }, 1), out);
	assert_string_equal(out, "2024-02-29");
	date_format(date_add_days((struct date){ 2024, 1, 1 }, -1), out);
	assert_string_equal(out, "2023-12-31");
}

static void
test_time_format_parse(void **state)
{
	char ts[25];
	int64_t ms;

	(void)state;
	time_format_utc(0, ts);
	assert_string_equal(ts, "1970-01-01T00:00:00.000Z");
	time_format_utc(1795392000123LL, ts);
	assert_int_equal(time_parse_utc(ts, &ms), ERR_OK);
	assert_true(ms == 1795392000123LL);
	assert_int_equal(time_parse_utc("2026-11-22T10:00:00Z", &ms), ERR_OK);
	assert_int_equal(time_parse_utc("2026-11-22T24:00:00Z", &ms),
	    ERR_INVALID);
	assert_int_equal(time_parse_utc("2026-11-22 10:00:00Z", &ms),
	    ERR_INVALID);
	assert_int_equal(time_parse_utc("2026-11-22T10:00:00+01:00", &ms),
	    ERR_INVALID);
	assert_int_equal(time_set_zone("../etc/passwd"), ERR_INVALID);
	assert_int_equal(time_set_zone("America/Chicago"), ERR_OK);
	assert_int_equal(time_set_zone("UTC"), ERR_OK);
}

static void
test_buf_limits(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abcd"), ERR_OK);
	assert_int_equal(buf_printf(&b, "%d", 1234), ERR_OK);
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOO_LARGE);
	assert_string_equal(buf_cstr(&b), "abcd1234");
	assert_int_equal(buf_printf(&b, "%s", "y"), ERR_TOO_LARGE);
	assert_int_equal(b.len, 8);
	buf_free(&b);
	buf_free(NULL);
}

static char *
fold(const char *s)
{
	static char out[256];
	struct buf b;

	buf_init(&b, 255);
	assert_int_equal(text_fold(s, &b), ERR_OK);
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void
test_text_fold(void **state)
{
	(void)state;
	assert_string_equal(fold("José O'Brien-Lee"), "jose obrien lee");
	assert_string_equal(fold("  ZOË  "), "zoe");
	assert_string_equal(fold("Sørensen Müller Nguyễn"),
	    "sorensen muller nguyen");
	/* Latin Extended Additional and pinyin tone marks. */
	assert_string_equal(fold("Thảo ĐẶNG Phạm Hưng"), "thao dang pham hung");
	assert_string_equal(fold("Lǚ Nǘ ǍNG"), "lu nu ang");
	assert_string_equal(fold("GROẞ Ỻ"), "gross ll");
	assert_string_equal(fold("Nguye\xcc\x82\xcc\x83n"), "nguyen");
	assert_string_equal(fold("Jose\xcc\x81"), "jose");	/* combining */
	assert_string_equal(fold("Æsa Straße"), "aesa strasse");
	assert_string_equal(fold("ŁUKASZ Ștefan"), "lukasz stefan");
	assert_string_equal(fold("АННА"), "анна");
	assert_string_equal(fold("!!!"), "");
	assert_string_equal(fold("a\xff" "b"), "ab");	/* bad bytes drop */
}

static void
count_tok(const char *tok, size_t len, void *arg)
{
	(void)tok;
	*(size_t *)arg += len;
}

static void
test_text_tokens(void **state)
{
	size_t total = 0;

	(void)state;
	assert_int_equal(text_tokens("jon  smith", 8, count_tok, &total), 2);
	assert_int_equal(total, 8);
	assert_int_equal(text_tokens("a b c d e", 3, count_tok, &total), 3);
	assert_int_equal(text_tokens("", 3, count_tok, &total), 0);
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid("Zoë", 4));
	assert_false(utf8_valid("\xc0\xaf", 2));	/* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(utf8_valid("\xe2\x82", 2));	/* truncated */
	assert_int_equal(utf8_chars("Zoë"), 3);
	assert_true(text_has_control("a\x01", 0));
	assert_true(text_has_control("a\nb", 0));
	assert_false(text_has_control("a\nb", 1));
	assert_true(text_has_control("a\x7f", 1));
}

static void
test_uuid(void **state)
{
	char a[37], b[37];

	(void)state;
	uuid_v7(a);
	uuid_v7(b);
	assert_true(uuid_valid(a));
	assert_int_equal(a[14], '7');
	assert_true(strcmp(a, b) < 0);	/* time-ordered within a process */
	assert_false(uuid_valid("not-a-uuid"));
	assert_false(uuid_valid("01a205b2-ab6a-7002-8fa6-215a6be0eb5"));
	assert_false(uuid_valid("01a205b2xab6a-7002-8fa6-215a6be0eb5c"));
}

static void
test_verr(void **state)
{
	struct verr v;
	int i;

	(void)state;
	verr_init(&v);
	for (i = 0; i < VERR_MAX + 3; i++)
		verr_add(&v, "field", "message %d", i);
	assert_int_equal(v.n, VERR_MAX);
	assert_int_equal(v.dropped, 3);
	assert_true(verr_has(&v, "field"));
	assert_false(verr_has(&v, "other"));
}

static void
test_crypto(void **state)
{
	char h[65], t1[44], t2[44];

	(void)state;
	crypto_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177"
	    "a9cb410ff61f20015ad");
	crypto_token(t1);
	crypto_token(t2);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_true(crypto_str_equal("same", "same"));
	assert_false(crypto_str_equal("same", "sane"));
	assert_false(crypto_str_equal("same", "same!"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_days),
		cmocka_unit_test(test_time_format_parse),
		cmocka_unit_test(test_buf_limits),
		cmocka_unit_test(test_text_fold),
		cmocka_unit_test(test_text_tokens),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_verr),
		cmocka_unit_test(test_crypto),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
