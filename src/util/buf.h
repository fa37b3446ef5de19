#ifndef UTIL_BUF_H
#define UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/err.h"

/*
 * A growable byte buffer with a maximum. The contents are always followed by
 * a NUL byte (not counted in len) once anything has been appended, so text
 * can be read through buf_cstr().
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 secret;	/* wipe memory it lets go of */
};

/* Prepares b to hold at most max bytes. */
void buf_init(struct buf *b, size_t max);

/* Marks b as holding secrets or personal information: memory it grows out
 * of or frees is wiped first. */
void buf_secret(struct buf *b);

/* Appends n bytes; ERR_TOO_LARGE (and b unchanged) when over the maximum. */
enum err buf_append(struct buf *b, const void *p, size_t n);
enum err buf_puts(struct buf *b, const char *s);
enum err buf_putc(struct buf *b, char c);
enum err buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum err buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Borrowed; valid until the next change to b. Never NULL. */
const char *buf_cstr(struct buf *b);

/* Takes the contents: returns them (caller frees with free()) and resets b. */
char *buf_take(struct buf *b);

void buf_reset(struct buf *b);
void buf_free(struct buf *b);

#endif
