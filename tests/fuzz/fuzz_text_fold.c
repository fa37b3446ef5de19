/*
 * Fuzz target: util/text.c, the UTF-8 checks and the name-search folding.
 * The first input byte picks the output buffer's maximum; the rest is the
 * text.
 *
 * Properties (abort on violation): the bounded buffer never exceeds its
 * maximum; folded text is valid UTF-8 with no controls, no ASCII capitals,
 * no apostrophes and single inner spaces only; folding is idempotent on
 * its own output; text_tokens covers the folded text exactly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tok_sum {
	size_t	bytes;
	int	n;
	int	bad;
};

static void
count_tok(const char *tok, size_t len, void *arg)
{
	struct tok_sum *t = arg;

	t->n++;
	t->bytes += len;
	if (len == 0 || memchr(tok, ' ', len) != NULL)
		t->bad = 1;
}

static void
check_folded(const char *f, size_t len)
{
	size_t i;

	if (strlen(f) != len || !utf8_valid(f, len) || text_has_control(f, 1))
		abort();
	if (len > 0 && (f[0] == ' ' || f[len - 1] == ' '))
		abort();
	for (i = 0; i < len; i++) {
		if ((f[i] >= 'A' && f[i] <= 'Z') || f[i] == '\'')
			abort();
		if (f[i] == ' ' && i + 1 < len && f[i + 1] == ' ')
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf a, b;
	struct tok_sum t = { 0, 0, 0 };
	size_t max, n;
	char *s;
	enum err e;
	int spaces = 0;

	if (size < 1 || size > 8192)
		return 0;
	max = data[0] == 0 ? 4096 : data[0];
	data++;
	size--;
	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s);

	/* The checks agree with each other. */
	(void)utf8_valid((const char *)data, size);
	if (utf8_chars(s) > n)
		abort();
	if (text_has_control(s, 1) && !text_has_control(s, 0))
		abort();

	buf_init(&a, max);
	e = text_fold(s, &a);
	if (a.len > max || (e != ERR_OK && e != ERR_TOO_LARGE))
		abort();
	if (e == ERR_OK) {
		const char *f = buf_cstr(&a);
		size_t i;

		check_folded(f, a.len);
		/* Folding what is already folded changes nothing. */
		buf_init(&b, max);
		if (text_fold(f, &b) != ERR_OK || b.len != a.len ||
		    memcmp(buf_cstr(&b), f, a.len) != 0)
			abort();
		buf_free(&b);
		/* The tokens are the text between the single spaces. */
		for (i = 0; i < a.len; i++)
			spaces += f[i] == ' ';
		if (text_tokens(f, 1000000, count_tok, &t) !=
		    (a.len ? spaces + 1 : 0))
			abort();
		if (t.bad || t.n != (a.len ? spaces + 1 : 0) ||
		    t.bytes + (size_t)spaces != a.len)
			abort();
		/* A cap on tokens is honoured. */
		t.n = 0;
		if (text_tokens(f, 2, count_tok, &t) > 2 || t.n > 2)
			abort();
	}
	buf_free(&a);
	free(s);
	return 0;
}
