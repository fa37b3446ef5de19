#ifndef INTEROP_NOTES_JSON_H
#define INTEROP_NOTES_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/* The notes rule set (data/notes.json) into r->notes; called by
 * rules_parse() for that name. */
enum err notes_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
