#include <string.h>

#include "util/text.h"

/* Decodes one code point; returns its length, or 0 when malformed. */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		unsigned v = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) |
		    (s[2] & 0x3F);

		if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		*cp = v;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		unsigned v = ((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) |
		    ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3F);

		if (v < 0x10000 || v > 0x10FFFF)
			return 0;
		*cp = v;
		return 4;
	}
	return 0;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	unsigned cp;

	while (i < n) {
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int
text_has_control(const char *s, int multiline)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0x7F)
			return 1;
		if (c < 0x20) {
			if (multiline && (c == '\t' || c == '\n' || c == '\r'))
				continue;
			return 1;
		}
	}
	return 0;
}

/*
 * Base letters for U+00C0..U+017F, as runs of (count, letters). "" marks a
 * separator (multiplication and division signs).
 */
static const struct {
	unsigned char	 n;
	const char	*to;
} latin_runs[] = {
	{ 6, "a" }, { 1, "ae" }, { 1, "c" }, { 4, "e" }, { 4, "i" },
	{ 1, "d" }, { 1, "n" }, { 5, "o" }, { 1, "" }, { 1, "o" },
	{ 4, "u" }, { 1, "y" }, { 1, "th" }, { 1, "ss" },
	{ 6, "a" }, { 1, "ae" }, { 1, "c" }, { 4, "e" }, { 4, "i" },
	{ 1, "d" }, { 1, "n" }, { 5, "o" }, { 1, "" }, { 1, "o" },
	{ 4, "u" }, { 1, "y" }, { 1, "th" }, { 1, "y" },
	/* U+0100 Latin Extended-A */
	{ 6, "a" }, { 8, "c" }, { 4, "d" }, { 10, "e" }, { 8, "g" },
	{ 4, "h" }, { 10, "i" }, { 2, "ij" }, { 2, "j" }, { 3, "k" },
	{ 10, "l" }, { 9, "n" }, { 6, "o" }, { 2, "oe" }, { 6, "r" },
	{ 8, "s" }, { 6, "t" }, { 12, "u" }, { 2, "w" }, { 3, "y" },
	{ 6, "z" }, { 1, "s" },
};

/*
 * Base letters for U+1E00..U+1EFF (Latin Extended Additional: Vietnamese,
 * Welsh and others), one per code point; '.' where there is none.
 * U+1E9E (capital sharp s) and U+1EFA/U+1EFB (Middle Welsh ll) fold to
 * two letters in text_fold().
 */
static const char latin_additional[] =
    "aabbbbbbccddddddddddeeeeeeeeeeff"
    "gghhhhhhhhhhiiiikkkkkkllllllllmm"
    "mmmmnnnnnnnnoooooooopppprrrrrrrr"
    "ssssssssssttttttttuuuuuuuuuuvvvv"
    "wwwwwwwwwwxxxxyyzzzzzzhtwyassss."
    "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee"
    "eeeeeeeeiiiioooooooooooooooooooo"
    "oooouuuuuuuuuuuuuuyyyyyyyyllvvyy";

/* Base letters for U+01CD..U+01DC (pinyin tone marks). */
static const char pinyin[] = "aaiioouuuuuuuuuu";

static const char *
latin_base(unsigned cp)
{
	unsigned at = 0xC0;
	size_t i;

	for (i = 0; i < sizeof(latin_runs) / sizeof(latin_runs[0]); i++) {
		if (cp < at + latin_runs[i].n)
			return latin_runs[i].to;
		at += latin_runs[i].n;
	}
	return NULL;
}

static unsigned
fold_case(unsigned cp)
{
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
		return cp + 0x20;		/* Greek capitals */
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;		/* Cyrillic capitals */
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	return cp;
}

static enum err
put_cp(struct buf *out, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(out, u, n);
}

enum err
text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	int pending_space = 0, wrote = 0;
	enum err e = ERR_OK;

	while (i < n && e == ERR_OK) {
		unsigned cp;
		const char *base = NULL;
		char one[2] = { 0, 0 };

		if ((k = utf8_decode(p + i, n - i, &cp)) == 0) {
			i++;
			continue;
		}
		i += k;
		if (cp == '\'' || cp == 0x2019 || cp == 0x2018 ||
		    (cp >= 0x300 && cp <= 0x36F))
			continue;	/* apostrophes, combining marks */
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			char c = (char)cp;

			if (pending_space && wrote)
				e = buf_putc(out, ' ');
			pending_space = 0;
			if (e == ERR_OK)
				e = buf_putc(out, c);
			wrote = 1;
			continue;
		}
		if (cp >= 0xC0 && cp <= 0x17F)
			base = latin_base(cp);
		else if (cp == 0x218 || cp == 0x219)
			base = "s";
		else if (cp == 0x21A || cp == 0x21B)
			base = "t";
		else if (cp == 0x1A0 || cp == 0x1A1)
			base = "o";	/* o with horn (Vietnamese) */
		else if (cp == 0x1AF || cp == 0x1B0)
			base = "u";	/* u with horn: Trương, Hưng */
		else if (cp == 0x1E9E)
			base = "ss";
		else if (cp == 0x1EFA || cp == 0x1EFB)
			base = "ll";
		else if (cp >= 0x1CD && cp <= 0x1DC)
			one[0] = pinyin[cp - 0x1CD];
		else if (cp >= 0x1E00 && cp <= 0x1EFF)
			one[0] = latin_additional[cp - 0x1E00];
		if (one[0] != '\0' && one[0] != '.')
			base = one;
		if (cp < 0xC0 || (base != NULL && *base == '\0') ||
		    (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000) {
			pending_space = 1;	/* punctuation, spaces */
			continue;
		}
		if (pending_space && wrote)
			e = buf_putc(out, ' ');
		pending_space = 0;
		if (e != ERR_OK)
			break;
		if (base != NULL)
			e = buf_puts(out, base);
		else
			e = put_cp(out, fold_case(cp));
		wrote = 1;
	}
	return e;
}

int
text_tokens(const char *folded, int max,
    void (*fn)(const char *tok, size_t len, void *arg), void *arg)
{
	int count = 0;

	while (*folded && count < max) {
		const char *sp;
		size_t len;

		while (*folded == ' ')
			folded++;
		if (*folded == '\0')
			break;
		sp = strchr(folded, ' ');
		len = sp ? (size_t)(sp - folded) : strlen(folded);
		fn(folded, len, arg);
		count++;
		folded += len;
	}
	return count;
}

int
text_blank(const char *s)
{
	for (; s != NULL && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}
