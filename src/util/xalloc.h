#ifndef UTIL_XALLOC_H
#define UTIL_XALLOC_H

#include <stddef.h>

/*
 * Allocation that cannot silently fail: on exhaustion or size overflow these
 * print a message and abort. Memory from them is freed with free().
 */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
