#ifndef CORE_CHECK_H
#define CORE_CHECK_H

#include "util/parse.h"
#include "util/verr.h"

/* Value checks shared by core modules; each adds a field error to v. */

#define CHECK_REQUIRED	0x1	/* NULL or blank is an error */
#define CHECK_MULTILINE	0x2	/* tabs and newlines allowed */

/* Text of at most max characters without control characters. Returns 1
 * when s is present and good. */
int check_text(struct verr *v, const char *field, const char *s,
    size_t max, unsigned flags);

/* A YYYY-MM-DD date, not after today when not_future; *out filled. */
int check_date(struct verr *v, const char *field, const char *s,
    unsigned flags, int not_future, struct date *out);

/* A telephone number: digits, spaces and + - ( ) . x, 3 to 32 chars. */
int check_phone(struct verr *v, const char *field, const char *s,
    unsigned flags);

/* A UUID. */
int check_uuid(struct verr *v, const char *field, const char *s,
    unsigned flags);

#endif
