#ifndef INTEROP_SAFETY_JSON_H
#define INTEROP_SAFETY_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/* The safety rule set (data/safety.json) into r->safety; called by
 * rules_parse() for that name. Unknown keys, a missing source and values
 * out of range are refused with a reason naming the place. */
enum err safety_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
