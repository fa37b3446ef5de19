/* Unit tests: util/csv.c, the CSV reader and writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/xalloc.h"

/* Field and record ends in the flattened form read_all() builds. */
#define F	"\x1f"
#define R	"\x1e"

/*
 * Reads text (len bytes) to its end and returns its records flattened:
 * each field followed by F except the last, each record by R. Each
 * record's starting line is appended to lines when lines is not NULL.
 * Caller frees with free().
 */
static char *
read_all(const char *text, size_t len, struct buf *lines)
{
	struct csv c;
	struct buf out;
	int more, i;

	buf_init(&out, 1 << 24);
	csv_open(&c, text, len);
	for (;;) {
		assert_int_equal(csv_next(&c, &more), ERR_OK);
		if (!more)
			break;
		assert_true(c.nfield >= 1 && c.nfield <= CSV_FIELDS_MAX);
		for (i = 0; i < c.nfield; i++) {
			if (i > 0)
				assert_int_equal(buf_puts(&out, F), ERR_OK);
			assert_int_equal(buf_puts(&out, c.field[i]), ERR_OK);
		}
		assert_int_equal(buf_puts(&out, R), ERR_OK);
		if (lines != NULL)
			assert_int_equal(buf_printf(lines, "%d ", c.line),
			    ERR_OK);
	}
	/* The end stays the end. */
	assert_int_equal(csv_next(&c, &more), ERR_OK);
	assert_int_equal(more, 0);
	csv_close(&c);
	buf_cstr(&out);
	return buf_take(&out);
}

static void
expect_len(const char *text, size_t len, const char *want)
{
	char *got = read_all(text, len, NULL);

	assert_string_equal(got, want);
	free(got);
}

#define EXPECT(lit, want)	expect_len(lit, sizeof(lit) - 1, want)

/*
 * Reads text until it fails and checks the failure: on line, with a
 * reason that holds why. The failure stays.
 */
static void
expect_fail_len(const char *text, size_t len, int line, const char *why)
{
	struct csv c;
	int more, guard = 0;
	enum err e;

	csv_open(&c, text, len);
	while ((e = csv_next(&c, &more)) == ERR_OK && more)
		assert_true(++guard < 1000);
	assert_int_equal(e, ERR_INVALID);
	assert_int_equal(more, 0);
	assert_int_equal(c.nfield, 0);
	assert_int_equal(c.line, line);
	if (strstr(c.why, why) == NULL)
		fail_msg("reason \"%s\" does not hold \"%s\"", c.why, why);
	assert_int_equal(csv_next(&c, &more), ERR_INVALID);
	assert_int_equal(c.line, line);
	assert_int_equal(more, 0);
	csv_close(&c);
}

#define EXPECT_FAIL(lit, line, why) \
	expect_fail_len(lit, sizeof(lit) - 1, line, why)

static void
test_csv_records(void **state)
{
	(void)state;
	EXPECT("a,b,c\r\n1,2,3\r\n", "a" F "b" F "c" R "1" F "2" F "3" R);
	EXPECT("a,b\n1,2\n", "a" F "b" R "1" F "2" R);
	/* Mixed record ends. */
	EXPECT("a\r\nb\nc\r\n", "a" R "b" R "c" R);
	/* A final record without a line break. */
	EXPECT("a,b\r\n1,2", "a" F "b" R "1" F "2" R);
	EXPECT("x", "x" R);
	/* Nothing is trimmed; empty fields are kept. */
	EXPECT(" a , b \n", " a " F " b " R);
	EXPECT("a,\n", "a" F R);
	EXPECT(",\n", F R);
	EXPECT(",,", F F R);
	/* An empty line in the middle is a record of one empty field. */
	EXPECT("a\n\nb\n", "a" R R "b" R);
	EXPECT("a\r\n\r\n", "a" R R);
	EXPECT("\n", R);
	/* Other bytes are data: tabs, semicolons, UTF-8. */
	EXPECT("\tx;y,Jos\xc3\xa9\n", "\tx;y" F "Jos\xc3\xa9" R);
}

static void
test_csv_empty(void **state)
{
	(void)state;
	EXPECT("", "");
	expect_len(NULL, 0, "");
	/* A byte order mark is skipped; alone it is empty text. */
	EXPECT("\xEF\xBB\xBF", "");
	EXPECT("\xEF\xBB\xBF" "a,b\r\n", "a" F "b" R);
	EXPECT("\xEF\xBB\xBF\"q\"\n", "q" R);
	/* Only at the start: later it is a character like any other. */
	EXPECT("a\n\xEF\xBB\xBF" "b\n", "a" R "\xEF\xBB\xBF" "b" R);
	/* Part of one is not one (and is not valid UTF-8). */
	EXPECT_FAIL("\xEF\xBB", 1, "UTF-8");
}

static void
test_csv_quoted(void **state)
{
	(void)state;
	EXPECT("\"a,b\",\"c\"\"d\"\n", "a,b" F "c\"d" R);
	/* "" is an empty field, in any position. */
	EXPECT("\"\"", R);
	EXPECT("\"\"\r\n", R);
	EXPECT("\"\",\"\"\n", F R);
	EXPECT("a,\"\"\n", "a" F R);
	EXPECT("\"\"\"\"", "\"" R);
	EXPECT("\"\"\"\"\"\"", "\"\"" R);
	EXPECT("\" x \"", " x " R);
	/* Line breaks inside quotes are kept as they are. */
	EXPECT("\"a\r\nb\",\"c\nd\",\"e\rf\"\r\nx\n",
	    "a\r\nb" F "c\nd" F "e\rf" R "x" R);
	EXPECT("\"\n\"\n", "\n" R);
	EXPECT("\"\r\"", "\r" R);
}

static void
test_csv_lines(void **state)
{
	static const char text[] =
	    "a\r\n\"b\r\nc\",\"d\ne\",\"f\rg\"\nh\n\n\"i\r\"\nj";
	struct buf lines;
	char *got;

	(void)state;
	buf_init(&lines, 1024);
	/* Each kind of line break counts once, inside quotes or not. */
	got = read_all(text, sizeof text - 1, &lines);
	assert_string_equal(got,
	    "a" R "b\r\nc" F "d\ne" F "f\rg" R "h" R R "i\r" R "j" R);
	assert_string_equal(buf_cstr(&lines), "1 2 6 7 8 10 ");
	free(got);
	buf_free(&lines);

	/* An error on line 3 after a quoted field over lines 1 and 2. */
	EXPECT_FAIL("\"a\nb\",c\nd\"e\n", 3, "quote");
	EXPECT_FAIL("\"a\r\nb\"\r\nc,\"d\"e\r\n", 3, "closing quote");
	/* An error inside a quoted field names its own line. */
	EXPECT_FAIL("x\n\"a\nb\nc\xff\"\n", 4, "UTF-8");
	EXPECT_FAIL("x\n\"a\r\nb\rc\0\"\n", 4, "NUL");
	/* An unclosed quote names the line it opens on. */
	EXPECT_FAIL("a\nb\n\"c\nd\ne\n", 3, "not closed");
}

static void
test_csv_errors(void **state)
{
	(void)state;
	EXPECT_FAIL("a,\"b\"c", 1, "closing quote");
	EXPECT_FAIL("\"b\" ,c", 1, "closing quote");
	EXPECT_FAIL("\"b\"\"", 1, "not closed");
	EXPECT_FAIL("a\"b", 1, "quote is inside");
	EXPECT_FAIL("ok\na\"", 2, "quote is inside");
	EXPECT_FAIL(" \"a\"", 1, "quote is inside");
	EXPECT_FAIL("\"", 1, "not closed");
	EXPECT_FAIL("a,\"b\n", 1, "not closed");
	/* NUL anywhere. */
	EXPECT_FAIL("\0", 1, "NUL");
	EXPECT_FAIL("a\0b", 1, "NUL");
	EXPECT_FAIL("a\n\0", 2, "NUL");
	EXPECT_FAIL("a,\0", 1, "NUL");
	EXPECT_FAIL("\"a\0\"", 1, "NUL");
	EXPECT_FAIL("\"a\"\0", 1, "NUL");
	/* A lone CR only inside quotes. */
	EXPECT_FAIL("a\rb", 1, "carriage return");
	EXPECT_FAIL("a\r", 1, "carriage return");
	EXPECT_FAIL("\"a\"\r", 1, "carriage return");
	/* UTF-8: malformed, overlong, surrogate, cut short. */
	EXPECT_FAIL("\xff", 1, "UTF-8");
	EXPECT_FAIL("a,\xc0\xaf", 1, "UTF-8");
	EXPECT_FAIL("\"\xed\xa0\x80\"", 1, "UTF-8");
	EXPECT_FAIL("ok\n\xe2\x82", 2, "UTF-8");
	/* Records before the error were read; the error stays. */
	{
		struct csv c;
		int more;

		csv_open(&c, "a,b\nc\"d\ne,f\n", 12);
		assert_int_equal(csv_next(&c, &more), ERR_OK);
		assert_int_equal(more, 1);
		assert_int_equal(c.nfield, 2);
		assert_int_equal(csv_next(&c, &more), ERR_INVALID);
		assert_int_equal(c.line, 2);
		assert_true(c.why[0] != '\0');
		assert_int_equal(csv_next(&c, &more), ERR_INVALID);
		assert_int_equal(more, 0);
		csv_close(&c);
		csv_close(&c);
		csv_close(NULL);
	}
}

static void
test_csv_limits(void **state)
{
	struct buf b;
	char *s;
	int i;

	(void)state;
	/* A field of CSV_FIELD_MAX bytes is read; one byte more is not. */
	s = xmalloc(CSV_FIELD_MAX + 3);
	memset(s, 'x', CSV_FIELD_MAX + 2);
	s[CSV_FIELD_MAX + 2] = '\0';
	{
		char *got = read_all(s, CSV_FIELD_MAX, NULL);

		assert_int_equal(strlen(got), CSV_FIELD_MAX + 1);
		free(got);
	}
	expect_fail_len(s, CSV_FIELD_MAX + 1, 1, "longer than 65536");
	/* Quoted: the limit is on the field as read, doubled quotes once. */
	s[0] = '"';
	s[CSV_FIELD_MAX + 1] = '"';
	{
		char *got = read_all(s, CSV_FIELD_MAX + 2, NULL);

		assert_int_equal(strlen(got), CSV_FIELD_MAX + 1);
		free(got);
	}
	s[1] = '"';
	s[2] = '"';
	{
		char *got = read_all(s, CSV_FIELD_MAX + 2, NULL);

		assert_int_equal(strlen(got), CSV_FIELD_MAX);
		free(got);
	}
	s[1] = 'x';
	s[2] = 'x';
	s[CSV_FIELD_MAX + 1] = 'x';
	s[CSV_FIELD_MAX + 2] = '"';
	expect_fail_len(s, CSV_FIELD_MAX + 3, 1, "longer than 65536");
	free(s);

	/* CSV_FIELDS_MAX fields are read; one more is not. */
	buf_init(&b, 4096);
	for (i = 0; i < CSV_FIELDS_MAX; i++)
		assert_int_equal(csv_put(&b, "f", i == 0), ERR_OK);
	{
		struct csv c;
		int more;

		csv_open(&c, b.data, b.len);
		assert_int_equal(csv_next(&c, &more), ERR_OK);
		assert_int_equal(more, 1);
		assert_int_equal(c.nfield, CSV_FIELDS_MAX);
		csv_close(&c);
	}
	assert_int_equal(buf_puts(&b, ",\r\nok\r\n"), ERR_OK);
	expect_fail_len(b.data, b.len, 1, "more than 256 fields");
	buf_free(&b);
}

static void
test_csv_put(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(csv_put(&b, "plain", 1), ERR_OK);
	assert_int_equal(csv_put(&b, "a b", 0), ERR_OK);
	assert_int_equal(csv_put(&b, NULL, 0), ERR_OK);
	assert_int_equal(csv_put(&b, "", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "a,b", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "say \"hi\"", 0), ERR_OK);
	assert_int_equal(csv_put(&b, " lead", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "trail ", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "l\nf", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "c\rr", 0), ERR_OK);
	assert_int_equal(csv_put(&b, "\xEF\xBB\xBF", 0), ERR_OK);
	assert_int_equal(csv_end(&b), ERR_OK);
	assert_string_equal(buf_cstr(&b), "plain,a b,,,\"a,b\","
	    "\"say \"\"hi\"\"\",\" lead\",\"trail \",\"l\nf\",\"c\rr\","
	    "\"\xEF\xBB\xBF\"\r\n");
	buf_free(&b);

	/* Past the maximum nothing of the field is written. */
	buf_init(&b, 8);
	assert_int_equal(csv_put(&b, "abc", 1), ERR_OK);
	assert_int_equal(csv_put(&b, "\"x", 0), ERR_TOO_LARGE);
	assert_string_equal(buf_cstr(&b), "abc");
	assert_int_equal(csv_put(&b, "\"", 0), ERR_OK);
	assert_string_equal(buf_cstr(&b), "abc,\"\"\"\"");
	assert_int_equal(csv_end(&b), ERR_TOO_LARGE);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void
test_csv_round_trip(void **state)
{
	static const char *rec[][6] = {
		/* First in the text, so not to be taken for a byte order
		 * mark. */
		{ "\xEF\xBB\xBF" "bom", "x", NULL, NULL, NULL, NULL },
		{ "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rlf\r\n",
		    " leading" },
		{ "trailing ", "", "\"", ",", "\"\"", " " },
		{ "", "", "", "", "", "" },
		{ "Jos\xc3\xa9 \xe6\x9d\x8e", "\r", "\n", "\r\n\r\n", "\"a\"",
		    "a\"b" },
		{ "", NULL, NULL, NULL, NULL, NULL },
		{ "\xEF\xBB\xBF" "bom", NULL, NULL, NULL, NULL, NULL },
		{ "last", NULL, NULL, NULL, NULL, NULL },
	};
	const size_t nrec = sizeof rec / sizeof rec[0];
	struct buf b;
	struct csv c;
	size_t r;
	int i, n, more;

	(void)state;
	buf_init(&b, 4096);
	for (r = 0; r < nrec; r++) {
		for (i = 0; i < 6 && (i == 0 || rec[r][i] != NULL); i++)
			assert_int_equal(csv_put(&b, rec[r][i], i == 0),
			    ERR_OK);
		assert_int_equal(csv_end(&b), ERR_OK);
	}
	csv_open(&c, b.data, b.len);
	for (r = 0; r < nrec; r++) {
		assert_int_equal(csv_next(&c, &more), ERR_OK);
		assert_int_equal(more, 1);
		for (n = 0; n < 6 && (n == 0 || rec[r][n] != NULL); n++)
			;
		assert_int_equal(c.nfield, n);
		for (i = 0; i < n; i++)
			assert_string_equal(c.field[i], rec[r][i]);
	}
	assert_int_equal(csv_next(&c, &more), ERR_OK);
	assert_int_equal(more, 0);
	csv_close(&c);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_records),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_csv_quoted),
		cmocka_unit_test(test_csv_lines),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_put),
		cmocka_unit_test(test_csv_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
