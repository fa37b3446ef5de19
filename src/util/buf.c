#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/crypto.h"
#include "util/xalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->secret = 0;
}

void
buf_secret(struct buf *b)
{
	b->secret = 1;
}

static enum err
buf_reserve(struct buf *b, size_t n)
{
	size_t need, cap;

	if (n > b->max || b->len > b->max - n)
		return ERR_TOO_LARGE;
	need = b->len + n + 1;
	if (need <= b->cap)
		return ERR_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	if (b->secret && b->data != NULL) {
		/* realloc() could leave the old copy behind unwiped. */
		char *p = xmalloc(cap);

		memcpy(p, b->data, b->len + 1);
		crypto_wipe(b->data, b->cap);
		free(b->data);
		b->data = p;
	} else {
		b->data = xrealloc(b->data, cap);
	}
	b->cap = cap;
	return ERR_OK;
}

enum err
buf_append(struct buf *b, const void *p, size_t n)
{
	enum err e;

	if ((e = buf_reserve(b, n)) != ERR_OK)
		return e;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ERR_OK;
}

enum err
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum err
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

enum err
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	enum err e;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return ERR_INTERNAL;
	if ((e = buf_reserve(b, (size_t)n)) != ERR_OK)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return ERR_OK;
}

enum err
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum err e;

	va_start(ap, fmt);
	e = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

const char *
buf_cstr(struct buf *b)
{
	return b->data ? b->data : "";
}

char *
buf_take(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	if (b->secret && b->data != NULL)
		crypto_wipe(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
