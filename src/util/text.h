#ifndef UTIL_TEXT_H
#define UTIL_TEXT_H

#include <stddef.h>

#include "util/buf.h"

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);

/*
 * 1 when s holds a C0 control character or DEL; tab, CR and LF are allowed
 * when multiline is non-zero.
 */
int text_has_control(const char *s, int multiline);

/* 1 when s is NULL or holds only spaces, tabs and line breaks. */
int text_blank(const char *s);

/*
 * Folds s for name search: lower case, accents removed from Latin letters
 * (precomposed or combining), apostrophes dropped, every other
 * non-alphanumeric run turned into one space, trimmed. "José O'Brien-Lee"
 * becomes "jose obrien lee". Appends to out; ERR_TOO_LARGE past out's max.
 */
enum err text_fold(const char *s, struct buf *out);

/*
 * Calls fn for each space-separated token of a folded string, at most max
 * tokens; returns the number seen.
 */
int text_tokens(const char *folded, int max,
    void (*fn)(const char *tok, size_t len, void *arg), void *arg);

#endif
