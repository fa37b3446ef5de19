#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/text.h"
#include "util/xalloc.h"

#define CSV_STR(x)	CSV_STR_(x)
#define CSV_STR_(x)	#x

/* Line numbers stop growing at INT_MAX rather than overflow. */
static int
csv_line_inc(int line)
{
	return line < INT_MAX ? line + 1 : line;
}

/* 1 when the byte at i of s (n bytes) ends a line: an LF, or a CR that
 * no LF follows (CRLF counts once, at its LF). */
static int
csv_breaks(const char *s, size_t n, size_t i)
{
	return s[i] == '\n' ||
	    (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
}

static void
csv_clear(struct csv *c)
{
	int i;

	for (i = 0; i < c->nfield; i++)
		free(c->field[i]);
	c->nfield = 0;
}

/* Drops the partial record and keeps the reader at the error. */
static enum err
csv_fail(struct csv *c, int line, const char *why)
{
	csv_clear(c);
	c->line = line;
	snprintf(c->why, sizeof c->why, "%s", why);
	return ERR_INVALID;
}

void
csv_open(struct csv *c, const char *text, size_t len)
{
	memset(c, 0, sizeof *c);
	c->p = text;
	c->len = len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	c->line = 1;
	c->next_line = 1;
}

/*
 * Reads the field at c->pos, which starts on line *line, into a new string
 * (*out; caller frees with free()). Leaves c->pos on the comma, line break
 * or end after it and *line on the line that is on.
 */
static enum err
csv_field(struct csv *c, int *line, char **out)
{
	const char *p = c->p;
	size_t i = c->pos, start, end, n = 0, k, seg;
	int first = *line, quoted = 0, l;
	char *s;

	if (i < c->len && p[i] == '"') {
		quoted = 1;
		start = ++i;
		for (;;) {
			if (i == c->len)
				return csv_fail(c, first,
				    "a quoted field is not closed");
			if (p[i] == '\0')
				return csv_fail(c, *line,
				    "the text holds a NUL byte");
			if (p[i] == '"') {
				if (i + 1 == c->len || p[i + 1] != '"')
					break;
				i++;	/* a doubled quote is one */
			} else if (csv_breaks(p, c->len, i))
				*line = csv_line_inc(*line);
			i++;
			if (++n > CSV_FIELD_MAX)
				return csv_fail(c, first,
				    "a field is longer than "
				    CSV_STR(CSV_FIELD_MAX) " bytes");
		}
		end = i++;
		if (i < c->len && p[i] != ',' && p[i] != '\r' && p[i] != '\n')
			return csv_fail(c, *line, p[i] == '\0' ?
			    "the text holds a NUL byte" :
			    "text follows the closing quote of a field");
	} else {
		start = i;
		for (; i < c->len && p[i] != ',' && p[i] != '\r' &&
		    p[i] != '\n'; i++) {
			if (p[i] == '"')
				return csv_fail(c, *line, "a quote is inside "
				    "a field that does not start with one");
			if (p[i] == '\0')
				return csv_fail(c, *line,
				    "the text holds a NUL byte");
			if (++n > CSV_FIELD_MAX)
				return csv_fail(c, first,
				    "a field is longer than "
				    CSV_STR(CSV_FIELD_MAX) " bytes");
		}
		end = i;
	}

	s = xmalloc(n + 1);
	for (k = 0; start < end; start++) {
		s[k++] = p[start];
		if (quoted && p[start] == '"')
			start++;
	}
	s[k] = '\0';

	/* Checked a line at a time so that the error names the line; line
	 * breaks are ASCII, so never inside a UTF-8 sequence. */
	l = first;
	for (seg = 0, k = 0; k <= n; k++) {
		if (k < n && s[k] != '\r' && s[k] != '\n')
			continue;
		if (!utf8_valid(s + seg, k - seg)) {
			free(s);
			return csv_fail(c, l, "a field is not valid UTF-8");
		}
		if (k < n && csv_breaks(s, n, k))
			l = csv_line_inc(l);
		seg = k + 1;
	}

	c->pos = i;
	*out = s;
	return ERR_OK;
}

enum err
csv_next(struct csv *c, int *more)
{
	enum err e;
	char *s;
	int line;

	*more = 0;
	if (c->why[0] != '\0')
		return ERR_INVALID;
	csv_clear(c);
	c->line = c->next_line;
	if (c->pos >= c->len)
		return ERR_OK;
	line = c->line;
	for (;;) {
		char ch;

		if (c->nfield == CSV_FIELDS_MAX)
			return csv_fail(c, line,
			    "a record has more than "
			    CSV_STR(CSV_FIELDS_MAX) " fields");
		if ((e = csv_field(c, &line, &s)) != ERR_OK)
			return e;
		if (c->nfield == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 8;
			if (c->cap > CSV_FIELDS_MAX)
				c->cap = CSV_FIELDS_MAX;
			c->field = xreallocarray(c->field, (size_t)c->cap,
			    sizeof *c->field);
		}
		c->field[c->nfield++] = s;
		if (c->pos == c->len)
			break;
		ch = c->p[c->pos++];
		if (ch == ',')
			continue;
		if (ch == '\r') {
			if (c->pos == c->len || c->p[c->pos] != '\n')
				return csv_fail(c, line, "a carriage return "
				    "outside quotes is not followed by a "
				    "line feed");
			c->pos++;
		}
		line = csv_line_inc(line);
		break;
	}
	c->next_line = line;
	*more = 1;
	return ERR_OK;
}

void
csv_close(struct csv *c)
{
	if (c == NULL)
		return;
	csv_clear(c);
	free(c->field);
	c->field = NULL;
	c->cap = 0;
}

enum err
csv_put(struct buf *b, const char *s, int first)
{
	const char *q;
	size_t len, n;
	int quote;
	enum err e;

	if (s == NULL)
		s = "";
	len = strlen(s);
	/* A field that starts with a byte order mark is quoted too: first
	 * in the text, the reader would skip the mark. */
	quote = strpbrk(s, ",\"\r\n") != NULL ||
	    (len > 0 && (s[0] == ' ' || s[len - 1] == ' ')) ||
	    strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	if (len > (SIZE_MAX - 3) / 2)
		return ERR_TOO_LARGE;
	/* The whole field fits or nothing of it is written. */
	n = len + (first ? 0 : 1);
	if (quote) {
		n += 2;
		for (q = s; (q = strchr(q, '"')) != NULL; q++)
			n++;
	}
	if (n > b->max || b->len > b->max - n)
		return ERR_TOO_LARGE;

	if (!first && (e = buf_putc(b, ',')) != ERR_OK)
		return e;
	if (!quote)
		return buf_append(b, s, len);
	if ((e = buf_putc(b, '"')) != ERR_OK)
		return e;
	while ((q = strchr(s, '"')) != NULL) {
		/* Up to and including the quote, then the quote again. */
		if ((e = buf_append(b, s, (size_t)(q - s) + 1)) != ERR_OK ||
		    (e = buf_putc(b, '"')) != ERR_OK)
			return e;
		s = q + 1;
	}
	if ((e = buf_puts(b, s)) != ERR_OK)
		return e;
	return buf_putc(b, '"');
}

enum err
csv_end(struct buf *b)
{
	return buf_append(b, "\r\n", 2);
}
