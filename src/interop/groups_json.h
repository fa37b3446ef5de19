#ifndef INTEROP_GROUPS_JSON_H
#define INTEROP_GROUPS_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/*
 * The groups rule set (data/groups.json) into r->groups; called by
 * rules_parse() for that name. Unknown keys, a missing source, codes that
 * repeat or are not plain, labels empty or too long and too many topics
 * are refused with a reason naming the place; on refusal r->groups is left
 * empty.
 */
enum err groups_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
