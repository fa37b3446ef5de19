#ifndef INTEROP_RULES_JSON_H
#define INTEROP_RULES_JSON_H

#include <stddef.h>

#include "core/rules.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Rule sets as JSON (the JSON files in data/) to and from core's struct rules.
 */

/* Stores each rule set compiled into the binary that the database lacks. */
enum err rules_seed(struct db *db);

/*
 * Reads the stored rule sets, parses them and puts them in force. why
 * gets a description of the first problem.
 */
enum err rules_load(struct db *db, char *why, size_t whylen);

/* Parses one rule set's text into r (episode or languages fields). */
enum err rules_parse(const char *text, struct rules *r, char *why,
    size_t whylen);

#endif
