#ifndef INTEROP_RESOURCES_JSON_H
#define INTEROP_RESOURCES_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/* The directory's rule set (data/resources.json) into r->resources;
 * called by rules_parse() for that name. Unknown keys, a missing source,
 * duplicate codes or ids and values out of range are refused with a
 * reason naming the place. */
enum err resources_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
