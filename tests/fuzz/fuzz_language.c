/*
 * Fuzz target: the language coach's matcher (core/language.c) with the
 * shipped dictionary, on any bytes.
 *
 * Properties (abort on violation): findings are sorted and do not
 * overlap; each lies within the text's length in code points; each span
 * is its dictionary term, case and white space runs aside (with
 * typographic hyphens and apostrophes as their ASCII forms), with no
 * letter or digit just outside it; the same text gives the same
 * findings twice.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/language.h"
#include "interop/language_json.h"
#include "util/asset.h"
#include "util/log.h"
#include "util/text.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lang_dict *dict;

/* Bytes in the code point at p (malformed input: one). */
static size_t
cp_len(const uint8_t *p, size_t left)
{
	size_t k = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 :
	    p[0] >= 0xE0 && p[0] <= 0xEF ? 3 : p[0] >= 0xF0 && p[0] <= 0xF4 ?
	    4 : 1;

	return k <= left && utf8_valid((const char *)p, k) ? k : 1;
}

static uint32_t
cp_at(const uint8_t *p, size_t k)
{
	switch (k) {
	case 2:
		return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
	case 3:
		return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) |
		    (p[2] & 0x3Fu);
	case 4:
		return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
		    ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
	}
	return p[0] < 0x80 ? p[0] : 0xFFFD;
}

static int
white(uint32_t c)
{
	return c == ' ' || (c >= 9 && c <= 13) || c == 0xA0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000;
}

/* c as the shipped (ASCII) terms spell it; 0 when it cannot be. */
static uint32_t
plain(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (white(c))
		return ' ';
	if (c == 0x2010 || c == 0x2011)
		return '-';
	if (c == 0x2019)
		return '\'';
	return c < 0x80 ? c : 0;
}

static int
alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static void
check_span(const uint32_t *cp, size_t n, const struct lang_finding *f)
{
	const char *t = dict->entries[f->entry].term;
	size_t i = f->start;

	if (f->start > 0 && alnum(cp[f->start - 1]))
		abort();
	if (f->end < n && alnum(cp[f->end]))
		abort();
	for (; *t; t++) {
		uint32_t want = (unsigned char)*t >= 'A' &&
		    (unsigned char)*t <= 'Z' ? (uint32_t)*t + 32 :
		    (unsigned char)*t;

		if (i >= f->end)
			abort();
		if (want == ' ') {
			if (plain(cp[i]) != ' ')
				abort();
			while (i < f->end && plain(cp[i]) == ' ')
				i++;
		} else if (plain(cp[i++]) != want) {
			abort();
		}
	}
	if (i != f->end)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lang_finding *f, *g;
	uint32_t *cp;
	size_t n = 0, i, k;
	int nf, ng, j;

	if (dict == NULL) {
		const struct asset *a = asset_find(data_assets,
		    "/language.json");
		struct verr v;

		log_quiet(1);
		verr_init(&v);
		if (a == NULL || language_parse_text((const char *)a->data,
		    a->len, &dict, &v) != ERR_OK)
			abort();
	}
	if (size > 65536)
		return 0;
	cp = xcalloc(size + 1, sizeof *cp);
	for (i = 0; i < size; i += k) {
		k = cp_len(data + i, size - i);
		cp[n++] = cp_at(data + i, k);
	}
	lang_match(dict, (const char *)data, size, &f, &nf);
	if (nf < 0 || (nf == 0) != (f == NULL))
		abort();
	for (j = 0; j < nf; j++) {
		if (f[j].entry < 0 || f[j].entry >= dict->nentries)
			abort();
		if (f[j].start >= f[j].end || f[j].end > n)
			abort();
		if (j > 0 && f[j].start < f[j - 1].end)
			abort();
		check_span(cp, n, &f[j]);
	}
	lang_match(dict, (const char *)data, size, &g, &ng);
	if (ng != nf || (nf > 0 && memcmp(f, g, (size_t)nf * sizeof *f) != 0))
		abort();
	free(g);
	free(f);
	free(cp);
	return 0;
}
