#ifndef INTEROP_CONSENTS_JSON_H
#define INTEROP_CONSENTS_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/*
 * The consents rule set (data/consents.json) into r->consents; called by
 * rules_parse() for that name. Unknown keys, elements other than the 13 of
 * consent_element_codes, codes that repeat, are not plain or name nothing,
 * labels empty or too long, a kind that discloses without requiring
 * recipients, information, categories and purposes, a missing part2 or
 * hipaa notice and accounting years outside 1 to 10 are refused with a
 * reason naming the place; on refusal r->consents is left empty.
 */
enum err consents_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
