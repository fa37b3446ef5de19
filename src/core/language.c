/*
 * The language coach's dictionary and matcher. Text is decoded into code
 * points once, folded (case, white space, typographic hyphens and
 * apostrophes), and the dictionary's compiled terms are tried only at the
 * starts of words, looked up by their first code point, so checking a
 * long note costs a few passes over it. No regular expressions.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/language.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define REPLACEMENT	0xFFFDu

static const char *const category_names[] = { "stigmatising",
    "clinical-scope" };
static const char *const kind_names[] = { "organisation", "payer" };

const char *
lang_category_name(enum lang_category c)
{
	return (unsigned)c < LANG__CATEGORIES ? category_names[c] : "unknown";
}

const char *
lang_exception_kind_name(enum lang_exception_kind k)
{
	return (unsigned)k < LANG__EXCEPTION_KINDS ? kind_names[k] : "unknown";
}

enum lang_category
lang_category_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < LANG__CATEGORIES; i++)
		if (strcmp(s, category_names[i]) == 0)
			return (enum lang_category)i;
	return LANG__CATEGORIES;
}

enum lang_exception_kind
lang_exception_kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < LANG__EXCEPTION_KINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum lang_exception_kind)i;
	return LANG__EXCEPTION_KINDS;
}

int
lang_version_valid(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > LANG_VERSION_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return 0;
	}
	return 1;
}

/* --- code points -------------------------------------------------------- */

/* Decodes one code point of s[0..n), n >= 1; malformed input is one byte
 * of U+FFFD. Returns the bytes used. */
static size_t
decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], v;

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
		v = ((c & 0x0F) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3F);
		if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
			*cp = v;
			return 3;
		}
	} else if (c >= 0xF0 && c <= 0xF4 && n >= 4 &&
	    (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		v = ((c & 0x07) << 18) | ((s[1] & 0x3Fu) << 12) |
		    ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3F);
		if (v >= 0x10000 && v <= 0x10FFFF) {
			*cp = v;
			return 4;
		}
	}
	*cp = REPLACEMENT;
	return 1;
}

static int
is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/*
 * Whether c belongs to a word: ASCII letters and digits, and letters (and
 * combining marks) of other scripts, which is everything outside the
 * blocks of punctuation, symbols, spaces and controls below. Enough for
 * Latin text with accents; other scripts count as words whole.
 */
static int
is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return 0;
	if (c < 0x2000)
		return c != 0x37E && c != 0x387 && c != 0x1680;
	if (c < 0x2070)			/* general punctuation */
		return 0;
	if (c >= 0x20A0 && c < 0x2C00)	/* currency, symbols, arrows, ... */
		return 0;
	if (c >= 0x2E00 && c < 0x2E80)	/* supplemental punctuation */
		return 0;
	if (c >= 0x3000 && c < 0x3040)	/* CJK punctuation */
		return 0;
	if (c >= 0xD800 && c < 0xF900)	/* surrogates, private use */
		return 0;
	if (c >= 0xFE30 && c < 0xFE70)	/* CJK compatibility forms */
		return 0;
	if ((c >= 0xFF00 && c < 0xFF10) || (c >= 0xFF1A && c < 0xFF21) ||
	    (c >= 0xFF3B && c < 0xFF41) || (c >= 0xFF5B && c < 0xFF66))
		return 0;			/* fullwidth punctuation */
	if (c >= 0xFFF0 && c < 0x10000)	/* specials, U+FFFD */
		return 0;
	if (c >= 0x1F000 && c < 0x1FC00)	/* emoji, pictographs */
		return 0;
	return 1;
}

/*
 * Folds one code point for comparison: lower case (ASCII, Latin-1,
 * Latin Extended-A, Greek, Cyrillic), white space to ' ', typographic
 * hyphens to '-' and the typographic apostrophe to '\''.
 */
static uint32_t
fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0x80)
		return is_space(c) ? ' ' : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c == 0x2010 || c == 0x2011)
		return '-';
	if (c == 0x2019)
		return '\'';
	return is_space(c) ? ' ' : c;
}

/* The code points of s[0..len) in a new array (caller frees). */
static uint32_t *
decode_all(const char *s, size_t len, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t *cp = xcalloc(len + 1, sizeof *cp);
	size_t i = 0;

	*n = 0;
	while (i < len)
		i += decode(p + i, len - i, &cp[(*n)++]);
	return cp;
}

/* --- the dictionary ----------------------------------------------------- */

static void
free_patterns(struct lang_pattern *p, int n)
{
	int i;

	for (i = 0; p != NULL && i < n; i++)
		free(p[i].cp);
	free(p);
}

void
lang_dict_free(struct lang_dict *d)
{
	int i;

	if (d == NULL)
		return;
	for (i = 0; d->entries != NULL && i < d->nentries; i++) {
		free(d->entries[i].term);
		free(d->entries[i].suggestion);
		free(d->entries[i].why);
		free(d->entries[i].source);
	}
	free(d->entries);
	for (i = 0; d->exceptions != NULL && i < d->nexceptions; i++)
		free(d->exceptions[i].phrase);
	free(d->exceptions);
	for (i = 0; d->sources != NULL && i < d->nsources; i++)
		free(d->sources[i]);
	free(d->sources);
	free_patterns(d->terms, d->terms ? d->nentries : 0);
	free_patterns(d->phrases, d->phrases ? d->nexceptions : 0);
	free(d->version);
	free(d->description);
	free(d);
}

/* Adds an error unless s is text of 1 to max characters. */
static void
check_text(const char *s, size_t max, int multiline, const char *field,
    struct verr *v)
{
	size_t n;

	if (s == NULL || *s == '\0') {
		verr_add(v, field, "is required");
		return;
	}
	n = strlen(s);
	if (!utf8_valid(s, n) || text_has_control(s, multiline))
		verr_add(v, field, "must be text without control characters");
	else if (utf8_chars(s) > max)
		verr_add(v, field, "must be at most %zu characters", max);
}

/*
 * Compiles a term or phrase into p: folded, its white space runs as one
 * ' ', trimmed. Adds an error unless it begins and ends with a word
 * character.
 */
static void
compile(const char *s, int index, const char *field, struct lang_pattern *p,
    struct verr *v)
{
	size_t n, i;
	uint32_t *cp = decode_all(s, strlen(s), &n);

	p->cp = xcalloc(n + 1, sizeof *p->cp);
	p->n = 0;
	p->index = index;
	for (i = 0; i < n; i++) {
		uint32_t c = fold(cp[i]);

		if (c == ' ' && (p->n == 0 || p->cp[p->n - 1] == ' '))
			continue;
		p->cp[p->n++] = c;
	}
	while (p->n > 0 && p->cp[p->n - 1] == ' ')
		p->n--;
	if (p->n == 0 || !is_word(p->cp[0]) || !is_word(p->cp[p->n - 1]))
		verr_add(v, field, "must begin and end with a letter or digit");
	free(cp);
}

static int
pattern_cmp(const void *a, const void *b)
{
	const struct lang_pattern *x = a, *y = b;
	int i;

	for (i = 0; i < x->n && i < y->n; i++)
		if (x->cp[i] != y->cp[i])
			return x->cp[i] < y->cp[i] ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorts p and names each one that repeats another (as folded). */
static void
sort_patterns(struct lang_pattern *p, int n, const char *list,
    const char *key, struct verr *v)
{
	char field[64];
	int i;

	qsort(p, (size_t)n, sizeof *p, pattern_cmp);
	for (i = 1; i < n; i++) {
		if (p[i].n == 0 || p[i].n != p[i - 1].n ||
		    memcmp(p[i].cp, p[i - 1].cp, (size_t)p[i].n *
		    sizeof *p[i].cp) != 0)
			continue;
		/* Equal ones sort by index: name the later. */
		snprintf(field, sizeof field, "%s[%d].%s", list, p[i].index,
		    key);
		verr_add(v, field, "repeats %s[%d] (case and spacing aside)",
		    list, p[i - 1].index);
	}
}

enum err
lang_dict_check(struct lang_dict *d, struct verr *v)
{
	char field[64];
	int i, before = v->n + v->dropped;

	if (!lang_version_valid(d->version))
		verr_add(v, "version", "must be 1 to %d letters, digits, dots, "
		    "hyphens or underscores, starting with a letter or digit",
		    LANG_VERSION_MAX);
	if (d->description != NULL)
		check_text(d->description, LANG_DESCRIPTION_MAX, 1,
		    "description", v);
	if (d->nsources > LANG_MAX_SOURCES)
		verr_add(v, "sources", "must hold at most %d items",
		    LANG_MAX_SOURCES);
	for (i = 0; i < d->nsources && i < LANG_MAX_SOURCES; i++) {
		snprintf(field, sizeof field, "sources[%d]", i);
		check_text(d->sources[i], LANG_SOURCE_MAX, 0, field, v);
	}
	if (d->nentries < 1 || d->nentries > LANG_MAX_ENTRIES)
		verr_add(v, "entries", "must hold 1 to %d entries",
		    LANG_MAX_ENTRIES);
	if (d->nexceptions < 0 || d->nexceptions > LANG_MAX_EXCEPTIONS)
		verr_add(v, "exceptions", "must hold at most %d phrases",
		    LANG_MAX_EXCEPTIONS);
	if (v->n + v->dropped != before)
		return ERR_INVALID;
	d->terms = xcalloc((size_t)d->nentries + 1, sizeof *d->terms);
	for (i = 0; i < d->nentries; i++) {
		const struct lang_entry *e = &d->entries[i];

		snprintf(field, sizeof field, "entries[%d].term", i);
		check_text(e->term, LANG_TERM_MAX, 0, field, v);
		if (e->term != NULL && *e->term != '\0')
			compile(e->term, i, field, &d->terms[i], v);
		snprintf(field, sizeof field, "entries[%d].suggestion", i);
		check_text(e->suggestion, LANG_SUGGESTION_MAX, 0, field, v);
		snprintf(field, sizeof field, "entries[%d].why", i);
		check_text(e->why, LANG_WHY_MAX, 0, field, v);
		snprintf(field, sizeof field, "entries[%d].source", i);
		check_text(e->source, LANG_SOURCE_MAX, 0, field, v);
		if ((unsigned)e->category >= LANG__CATEGORIES) {
			snprintf(field, sizeof field, "entries[%d].category",
			    i);
			verr_add(v, field, "must be \"stigmatising\" or "
			    "\"clinical-scope\"");
		}
	}
	d->phrases = xcalloc((size_t)d->nexceptions + 1, sizeof *d->phrases);
	for (i = 0; i < d->nexceptions; i++) {
		const struct lang_exception *x = &d->exceptions[i];

		snprintf(field, sizeof field, "exceptions[%d].phrase", i);
		check_text(x->phrase, LANG_PHRASE_MAX, 0, field, v);
		if (x->phrase != NULL && *x->phrase != '\0')
			compile(x->phrase, i, field, &d->phrases[i], v);
		if ((unsigned)x->kind >= LANG__EXCEPTION_KINDS) {
			snprintf(field, sizeof field, "exceptions[%d].kind", i);
			verr_add(v, field, "must be \"organisation\" or "
			    "\"payer\"");
		}
	}
	sort_patterns(d->terms, d->nentries, "entries", "term", v);
	sort_patterns(d->phrases, d->nexceptions, "exceptions", "phrase", v);
	return v->n + v->dropped == before ? ERR_OK : ERR_INVALID;
}

/* --- matching ------------------------------------------------------------ */

/* The first of the n sorted patterns whose first code point is c, or n. */
static int
first_with(const struct lang_pattern *p, int n, uint32_t c)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		/* Empty patterns (only in a dictionary that failed its
		 * check) sort first. */
		if (p[mid].n == 0 || p[mid].cp[0] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where p, matched at f[i], ends (exclusive) on a word boundary; 0 when
 * it does not match there. */
static size_t
match_at(const uint32_t *f, size_t n, size_t i, const struct lang_pattern *p)
{
	size_t k = i;
	int j;

	for (j = 0; j < p->n; j++) {
		if (k >= n)
			return 0;
		if (p->cp[j] == ' ') {
			if (f[k] != ' ')
				return 0;
			while (k < n && f[k] == ' ')
				k++;
		} else if (f[k++] != p->cp[j]) {
			return 0;
		}
	}
	return k < n && is_word(f[k]) ? 0 : k;
}

/* The end of the longest of the sorted patterns matching at i, with its
 * index in *which; 0 when none. Skips matches that touch blocked code
 * points when blk (counts of blocked code points before each) is given. */
static size_t
longest_at(const struct lang_pattern *p, int np, const uint32_t *f, size_t n,
    size_t i, const uint32_t *blk, int *which)
{
	size_t best = 0, end;
	int k;

	for (k = first_with(p, np, f[i]); k < np && p[k].cp[0] == f[i]; k++) {
		if ((end = match_at(f, n, i, &p[k])) <= best)
			continue;
		if (blk != NULL && blk[end] != blk[i])
			continue;
		best = end;
		*which = p[k].index;
	}
	return best;
}

static void
block(uint8_t *blocked, size_t from, size_t to)
{
	memset(blocked + from, 1, to - from);
}

/*
 * Marks quoted speech in c[0..n) (the code points as written). A quote
 * opens at a mark and closes at the first closing mark of its kind in the
 * same paragraph (a blank line ends a paragraph); a mark that finds no
 * closer quotes nothing. Double quotes: "...", “...” and «...»; an ASCII
 * '"' opens only before a non-space and closes only after one. Single
 * quotes count only when clearly quotes rather than apostrophes: '...'
 * or ‘...’ opening at the start of a word (after a space, the start of
 * the text or punctuation other than a letter or digit) before a
 * non-space, closing after a non-space and before a non-word character
 * or the end. So "don't" and "the addicts' families" quote nothing unless
 * a quote was opened before them.
 */
static void
mark_quotes(const uint32_t *c, size_t n, uint8_t *blocked)
{
	static const struct {
		uint32_t	open1, open2, close1, close2;
		int		single;
	} kinds[] = {
		{ '"', 0, '"', 0x201D, 0 },
		{ 0x201C, 0, 0x201D, '"', 0 },
		{ 0xAB, 0, 0xBB, 0, 0 },
		{ '\'', 0x2018, '\'', 0x2019, 1 },
	};
	size_t q, i, j;

	for (q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
		size_t dead = 0;	/* no closer before this */

		for (i = 0; i < n; i++) {
			int nl = 0, shut = 0;

			if (c[i] != kinds[q].open1 && (kinds[q].open2 == 0 ||
			    c[i] != kinds[q].open2))
				continue;
			if (i < dead || blocked[i])
				continue;
			if (i + 1 >= n || is_space(c[i + 1]))
				continue;
			if (kinds[q].single && i > 0 && is_word(c[i - 1]))
				continue;
			for (j = i + 1; j < n; j++) {
				if (c[j] == '\n') {
					if (nl)
						break;
					nl = 1;
				} else if (!is_space(c[j])) {
					nl = 0;
				}
				if (c[j] != kinds[q].close1 &&
				    c[j] != kinds[q].close2)
					continue;
				if (is_space(c[j - 1]))
					continue;
				if (kinds[q].single && j + 1 < n &&
				    is_word(c[j + 1]))
					continue;
				shut = 1;
				break;
			}
			if (!shut) {
				dead = j;
				continue;
			}
			block(blocked, i, j + 1);
			i = j;
		}
	}
}

static int
finding_by_length(const void *a, const void *b)
{
	const struct lang_finding *x = a, *y = b;
	size_t lx = x->end - x->start, ly = y->end - y->start;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int
finding_by_start(const void *a, const void *b)
{
	const struct lang_finding *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void
lang_match(const struct lang_dict *d, const char *s, size_t len,
    struct lang_finding **out, int *nout)
{
	struct lang_finding *cand = NULL;
	uint32_t *c, *f, *blk;
	uint8_t *blocked, *taken;
	size_t n, i, end;
	int ncand = 0, k, which = 0, kept = 0;

	*out = NULL;
	*nout = 0;
	if (d == NULL || d->terms == NULL || len == 0)
		return;
	c = decode_all(s, len, &n);
	f = xcalloc(n + 1, sizeof *f);
	for (i = 0; i < n; i++)
		f[i] = fold(c[i]);
	blocked = xcalloc(n + 1, 1);
	mark_quotes(c, n, blocked);
	/* Exceptions: every phrase found, overlapping or not, is blocked. */
	for (i = 0; d->phrases != NULL && i < n; i++) {
		if (!is_word(f[i]) || (i > 0 && is_word(f[i - 1])))
			continue;
		if ((end = longest_at(d->phrases, d->nexceptions, f, n, i,
		    NULL, &which)) > 0)
			block(blocked, i, end);
	}
	blk = xcalloc(n + 1, sizeof *blk);
	for (i = 0; i < n; i++)
		blk[i + 1] = blk[i] + blocked[i];
	/* Each word start's longest term clear of blocked text. */
	cand = xcalloc(n / 2 + 1, sizeof *cand);
	for (i = 0; i < n; i++) {
		if (!is_word(f[i]) || (i > 0 && is_word(f[i - 1])))
			continue;
		if ((end = longest_at(d->terms, d->nentries, f, n, i, blk,
		    &which)) == 0)
			continue;
		cand[ncand].start = i;
		cand[ncand].end = end;
		cand[ncand].entry = which;
		ncand++;
	}
	/* Longest first; a candidate overlapping one kept is dropped. */
	qsort(cand, (size_t)ncand, sizeof *cand, finding_by_length);
	taken = xcalloc(n + 1, 1);
	for (k = 0; k < ncand; k++) {
		if (memchr(taken + cand[k].start, 1, cand[k].end -
		    cand[k].start) != NULL)
			continue;
		memset(taken + cand[k].start, 1, cand[k].end - cand[k].start);
		cand[kept++] = cand[k];
	}
	qsort(cand, (size_t)kept, sizeof *cand, finding_by_start);
	if (kept > 0) {
		*out = cand;
		*nout = kept;
	} else {
		free(cand);
	}
	free(taken);
	free(blk);
	free(blocked);
	free(f);
	free(c);
}

/* --- the dictionary in force -------------------------------------------- */

static pthread_mutex_t dict_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lang_dict *dict_current;

struct lang_dict *
lang_dict_get(void)
{
	struct lang_dict *d;

	pthread_mutex_lock(&dict_lock);
	if ((d = dict_current) != NULL)
		d->refs++;
	pthread_mutex_unlock(&dict_lock);
	return d;
}

void
lang_dict_put(struct lang_dict *d)
{
	int last;

	if (d == NULL)
		return;
	pthread_mutex_lock(&dict_lock);
	last = --d->refs == 0;
	pthread_mutex_unlock(&dict_lock);
	if (last)
		lang_dict_free(d);
}

void
lang_dict_install(struct lang_dict *d)
{
	struct lang_dict *old;

	pthread_mutex_lock(&dict_lock);
	old = dict_current;
	dict_current = d;
	if (d != NULL)
		d->refs = 1;	/* being in force is a reference */
	pthread_mutex_unlock(&dict_lock);
	lang_dict_put(old);
}

/* --- the operations ------------------------------------------------------ */

enum err
language_read_allowed(const struct actor *a)
{
	return policy_check(a, POL_LANGUAGE_USE, NULL);
}

enum err
language_check(const struct actor *a, const struct lang_dict *d,
    const char *text, size_t len, struct verr *v,
    struct lang_finding **out, int *n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i, chars = 0;
	enum err e;

	*out = NULL;
	*n = 0;
	if ((e = policy_check(a, POL_LANGUAGE_USE, NULL)) != ERR_OK)
		return e;
	for (i = 0; i < len; i++)
		chars += (p[i] & 0xC0) != 0x80;
	if (chars > LANG_TEXT_MAX) {
		verr_add(v, "text", "must be at most %d characters",
		    LANG_TEXT_MAX);
		return ERR_INVALID;
	}
	lang_match(d, text, len, out, n);
	return ERR_OK;
}

enum err
language_edit_allowed(struct db *db, const struct actor *a)
{
	enum err e;

	if ((e = policy_check(a, POL_LANGUAGE_EDIT, NULL)) == ERR_OK)
		return ERR_OK;
	audit_actor_alone(db, a, NULL, "ruleset", "language", "update",
	    "denied", NULL);
	return e;
}

enum err
language_stored(struct db *db, char **version, int64_t *stamp, char **body)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*version = NULL;
	*stamp = 0;
	if (body != NULL)
		*body = NULL;
	if ((e = db_prepare(db, body != NULL ?
	    "SELECT version, loaded_at, body FROM ruleset WHERE name = $1" :
	    "SELECT version, loaded_at FROM ruleset WHERE name = $1", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, "language");
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			*version = db_col_dup(st, 0);
			*stamp = db_col_int(st, 1);
			if (body != NULL)
				*body = db_col_dup(st, 2);
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	return e;
}

enum err
language_replace(struct db *db, const struct actor *a, struct lang_dict *d,
    const char *body, struct verr *v)
{
	struct db_stmt *st = NULL;
	char *was = NULL, detail[128];
	int64_t stamp, now = time_now_ms();
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = policy_check(a, POL_LANGUAGE_EDIT, NULL)) != ERR_OK) {
		db_rollback(db);
		audit_actor_alone(db, a, NULL, "ruleset", "language", "update",
		    "denied", NULL);
		return e;
	}
	e = language_stored(db, &was, &stamp, NULL);
	if (e != ERR_OK && e != ERR_NOT_FOUND)
		goto fail;
	if (was != NULL && strcmp(was, d->version) == 0) {
		verr_add(v, "version", "must differ from the version in force");
		e = ERR_INVALID;
		goto fail;
	}
	/* Another server may have stored at this same millisecond. */
	if (now <= stamp)
		now = stamp + 1;
	if ((e = db_prepare(db,
	    "INSERT INTO ruleset (name, version, body, loaded_at)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
	    " version = excluded.version, body = excluded.body,"
	    " loaded_at = excluded.loaded_at", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, "language");
	db_bind_text(st, 2, d->version);
	db_bind_text(st, 3, body);
	db_bind_int(st, 4, now);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	/* The version is checked to be plain ([A-Za-z0-9._-]). */
	snprintf(detail, sizeof detail, "version=%s entries=%d exceptions=%d",
	    d->version, d->nentries, d->nexceptions);
	if ((e = audit_actor(db, a, NULL, "ruleset", "language", "update",
	    "success", detail)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto fail;
	free(was);
	d->stamp = now;
	lang_dict_install(d);
	return ERR_OK;
fail:
	db_done(st);
	db_rollback(db);
	free(was);
	return e;
}
