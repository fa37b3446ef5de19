#ifndef INTEROP_PLAN_RULES_JSON_H
#define INTEROP_PLAN_RULES_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/*
 * The plan rule sets (data/plan-rules.json, data/advance-directive.json)
 * into core's struct rules; called by rules_parse() for those names.
 */
enum err plan_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);
enum err pad_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
