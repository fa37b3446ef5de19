#ifndef HTTP_VALIDATE_H
#define HTTP_VALIDATE_H

#include <stddef.h>

#include <jansson.h>

#include "util/verr.h"

/*
 * Strict structural validation of request bodies against a table per
 * endpoint: unknown keys, wrong types, missing required fields, nulls
 * where none are allowed, over-long strings and arrays. Values are
 * checked by core afterwards (lengths in characters, dates, codes).
 */

enum vtype {
	VT_STRING,
	VT_INT,
	VT_NUMBER,	/* whole or not */
	VT_BOOL,
	VT_ARRAY,	/* of objects (items set) or of strings (items NULL) */
	VT_OBJECT,	/* an object: fields in items, or any (checked later) */
};

#define VF_REQUIRED	0x1
#define VF_NULLABLE	0x2
#define VF_READONLY	0x4	/* in the record, but not accepted as input */

#define VSTRING_MAX	8192	/* bytes, when max is 0 */

struct vfield {
	const char		*name;	/* NULL ends a table */
	enum vtype		 type;
	unsigned		 flags;
	size_t			 max;	/* bytes of a string, items of an array */
	const struct vfield	*items;
};

/*
 * Checks obj against spec; field names in errors are prefixed with prefix
 * ("contacts[2].phone"). Returns 1 when obj passed.
 */
int validate_object(json_t *obj, const struct vfield *spec,
    const char *prefix, struct verr *v);

#endif
