#ifndef INTEROP_BILLING_JSON_H
#define INTEROP_BILLING_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/rules.h"
#include "util/err.h"

/*
 * The billing rule set (data/billing.json) into core's struct
 * billing_rules (r->billing); called by rules_parse() for the name
 * "billing". Strict: unknown fields, wrong types, codes of the wrong
 * shape and references to codes the file does not define are refused,
 * with why naming the place ("codes[0].caps.day ..."). On failure
 * r->billing is left empty.
 */
enum err billing_rules_parse(json_t *root, struct rules *r, char *why,
    size_t whylen);

#endif
