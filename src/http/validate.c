#include <stdio.h>
#include <string.h>

#include "http/validate.h"

static const char *
type_name(enum vtype t)
{
	switch (t) {
	case VT_STRING:
		return "a string";
	case VT_INT:
		return "a whole number";
	case VT_NUMBER:
		return "a number";
	case VT_BOOL:
		return "true or false";
	case VT_ARRAY:
		return "an array";
	case VT_OBJECT:
		return "an object";
	}
	return "a value";
}

static void
field_name(char *out, size_t n, const char *prefix, const char *name)
{
	if (prefix && *prefix)
		snprintf(out, n, "%s.%s", prefix, name);
	else
		snprintf(out, n, "%s", name);
}

static int
check_value(json_t *val, const struct vfield *f, const char *field,
    struct verr *v)
{
	size_t max = f->max, i;

	switch (f->type) {
	case VT_STRING:
		if (!json_is_string(val))
			break;
		if (json_string_length(val) > (max ? max : VSTRING_MAX)) {
			verr_add(v, field, "is too long");
			return 0;
		}
		if (strlen(json_string_value(val)) != json_string_length(val)) {
			verr_add(v, field, "must not contain NUL characters");
			return 0;
		}
		return 1;
	case VT_INT:
		if (json_is_integer(val))
			return 1;
		break;
	case VT_NUMBER:
		if (json_is_number(val))
			return 1;
		break;
	case VT_BOOL:
		if (json_is_boolean(val))
			return 1;
		break;
	case VT_ARRAY:
		if (!json_is_array(val))
			break;
		if (json_array_size(val) > max) {
			verr_add(v, field, "must hold at most %zu items", max);
			return 0;
		}
		for (i = 0; i < json_array_size(val); i++) {
			json_t *item = json_array_get(val, i);
			char name[128];

			snprintf(name, sizeof name, "%.90s[%zu]", field, i);
			if (f->items) {
				if (!json_is_object(item))
					verr_add(v, name, "must be an object");
				else
					validate_object(item, f->items, name, v);
			} else if (!json_is_string(item) ||
			    json_string_length(item) > VSTRING_MAX ||
			    strlen(json_string_value(item)) !=
			    json_string_length(item)) {
				verr_add(v, name, "must be a string");
			}
		}
		return 1;
	case VT_OBJECT:
		if (!json_is_object(val))
			break;
		if (f->items)
			return validate_object(val, f->items, field, v);
		return 1;
	}
	verr_add(v, field, "must be %s", type_name(f->type));
	return 0;
}

int
validate_object(json_t *obj, const struct vfield *spec, const char *prefix,
    struct verr *v)
{
	const struct vfield *f;
	const char *key;
	json_t *val;
	char field[96];
	/* Errors past VERR_MAX are only counted, so count those too. */
	int before = v->n + v->dropped;

	json_object_foreach(obj, key, val) {
		for (f = spec; f->name; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name == NULL) {
			/* Name the key only when it is short and plain, so an
			 * error never carries submitted text. */
			size_t n = strlen(key), i;
			int plain = n > 0 && n <= 40;

			for (i = 0; plain && i < n; i++)
				plain = (key[i] >= 'a' && key[i] <= 'z') ||
				    (key[i] >= '0' && key[i] <= '9') ||
				    key[i] == '_';
			field_name(field, sizeof field, prefix,
			    plain ? key : "(unknown)");
			verr_add(v, field, "is not a field of this request");
			continue;
		}
		field_name(field, sizeof field, prefix, f->name);
		if (f->flags & VF_READONLY) {
			verr_add(v, field, "is read-only");
			continue;
		}
		if (json_is_null(val)) {
			if (!(f->flags & VF_NULLABLE))
				verr_add(v, field, (f->flags & VF_REQUIRED) ?
				    "is required" : "must not be null");
			continue;
		}
		check_value(val, f, field, v);
	}
	for (f = spec; f->name; f++) {
		if ((f->flags & VF_REQUIRED) && json_object_get(obj, f->name) ==
		    NULL) {
			field_name(field, sizeof field, prefix, f->name);
			verr_add(v, field, "is required");
		}
	}
	return v->n + v->dropped == before;
}
