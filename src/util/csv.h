#ifndef UTIL_CSV_H
#define UTIL_CSV_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/*
 * CSV as RFC 4180 writes it, read from untrusted text held in memory:
 * fields separated by commas, records by CRLF or LF, a field in double
 * quotes may hold commas, line breaks and doubled quotes. A UTF-8 byte
 * order mark at the start is skipped. Nothing is trimmed. A NUL byte, a
 * quote inside an unquoted field, text after a closing quote, a CR outside
 * quotes without an LF after it, an unterminated quoted field, a field
 * over CSV_FIELD_MAX bytes or a record of more than CSV_FIELDS_MAX fields
 * is an error that names the line.
 * The text must be valid UTF-8 (checked per field).
 */

#define CSV_FIELD_MAX	65536
#define CSV_FIELDS_MAX	256

struct csv {
	const char	*p;		/* the text, borrowed */
	size_t		 len;
	size_t		 pos;
	int		 line;		/* the line the current record starts on
					 * (1-based, counting line breaks inside
					 * quoted fields) */
	int		 next_line;
	char		**field;	/* the current record: nfield strings,
					 * owned until the next csv_next() */
	int		 nfield;
	int		 cap;
	char		 why[120];	/* on error: what was wrong */
};

/* Reads text (len bytes, not necessarily NUL-terminated). */
void csv_open(struct csv *c, const char *text, size_t len);

/*
 * Reads the next record into c->field and c->nfield: ERR_OK and *more = 1
 * with a record, ERR_OK and *more = 0 at the end (a last line break, or
 * none, ends the text; an empty line in the middle is a record of one
 * empty field), ERR_INVALID with c->line and c->why set on malformed
 * text. After an error the reader stays at the error.
 */
enum err csv_next(struct csv *c, int *more);

void csv_close(struct csv *c);

/*
 * Appends one field to b, quoted when it holds a comma, a quote, CR or LF,
 * starts or ends with a space or starts with a byte order mark (quotes
 * doubled); NULL writes an empty field. first: no comma before it.
 * ERR_TOO_LARGE, and nothing of the field written, past b's maximum.
 */
enum err csv_put(struct buf *b, const char *s, int first);
/* Ends a record: CRLF. */
enum err csv_end(struct buf *b);

#endif
