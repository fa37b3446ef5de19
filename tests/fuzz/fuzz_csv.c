/*
 * Fuzz target: util/csv.c, the CSV reader and writer. The input is the
 * text.
 *
 * Properties (abort on violation): only ERR_OK or ERR_INVALID; an error
 * has a reason and a line and stays; records have 1 to CSV_FIELDS_MAX
 * fields of at most CSV_FIELD_MAX bytes of valid UTF-8; lines start at 1
 * and never go back; every record written with csv_put()/csv_end() reads
 * back as exactly that record, alone and within the whole text rewritten.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when a and b hold the same record. */
static int
same(const struct csv *a, const struct csv *b)
{
	int i;

	if (a->nfield != b->nfield)
		return 0;
	for (i = 0; i < a->nfield; i++)
		if (strcmp(a->field[i], b->field[i]) != 0)
			return 0;
	return 1;
}

static void
put_record(struct buf *b, const struct csv *c)
{
	int i;

	for (i = 0; i < c->nfield; i++)
		if (csv_put(b, c->field[i], i == 0) != ERR_OK)
			abort();
	if (csv_end(b) != ERR_OK)
		abort();
}

static void
check_record(const struct csv *c, int prev_line)
{
	size_t n;
	int i;

	if (c->nfield < 1 || c->nfield > CSV_FIELDS_MAX ||
	    c->nfield > c->cap || c->line < 1 || c->line < prev_line ||
	    c->next_line < c->line)
		abort();
	for (i = 0; i < c->nfield; i++) {
		n = strlen(c->field[i]);
		if (n > CSV_FIELD_MAX || !utf8_valid(c->field[i], n))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c, one, all;
	struct buf b, whole;
	enum err e;
	int more, more2, line = 1, n = 0;

	csv_open(&c, (const char *)data, size);
	buf_init(&b, (size_t)1 << 26);
	buf_init(&whole, (size_t)1 << 26);
	while ((e = csv_next(&c, &more)) == ERR_OK && more) {
		check_record(&c, line);
		line = c.line;
		n++;

		/* The record alone, written and read back. */
		buf_reset(&b);
		put_record(&b, &c);
		put_record(&whole, &c);
		csv_open(&one, b.data, b.len);
		if (csv_next(&one, &more2) != ERR_OK || !more2 ||
		    !same(&c, &one) || one.line != 1)
			abort();
		if (csv_next(&one, &more2) != ERR_OK || more2)
			abort();
		csv_close(&one);
	}
	if (e != ERR_OK) {
		if (e != ERR_INVALID || more || c.nfield != 0 ||
		    c.why[0] == '\0' || c.line < line)
			abort();
		line = c.line;
		if (csv_next(&c, &more) != ERR_INVALID || more ||
		    c.line != line)
			abort();
	} else if (more || c.nfield != 0 || csv_next(&c, &more) != ERR_OK ||
	    more)
		abort();
	csv_close(&c);

	/* All the records read, rewritten as one text, read the same. */
	csv_open(&c, (const char *)data, size);
	csv_open(&all, whole.data, whole.len);
	while (n-- > 0) {
		if (csv_next(&c, &more) != ERR_OK || !more ||
		    csv_next(&all, &more2) != ERR_OK || !more2 ||
		    !same(&c, &all))
			abort();
	}
	if (csv_next(&all, &more2) != ERR_OK || more2)
		abort();
	csv_close(&c);
	csv_close(&all);
	buf_free(&b);
	buf_free(&whole);
	return 0;
}
