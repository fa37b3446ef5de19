#ifndef INTEROP_LANGUAGE_JSON_H
#define INTEROP_LANGUAGE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/language.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The language coach's dictionary as JSON (data/language.json, the
 * "language" rule set) to and from core's struct lang_dict.
 */

/*
 * Parses a dictionary object: name (when present, "language"), version,
 * description, sources, entries ({term, suggestion, why, source,
 * category}) and exceptions ({phrase, kind}), then checks and compiles it
 * with lang_dict_check(). Keys it does not know are ignored here (request
 * bodies are checked strictly before). Returns a new dictionary in *out
 * (caller frees with lang_dict_free()); ERR_INVALID with errors in v.
 */
enum err language_parse(json_t *root, struct lang_dict **out,
    struct verr *v);

/* As language_parse(), from JSON text. */
enum err language_parse_text(const char *text, size_t len,
    struct lang_dict **out, struct verr *v);

/* The dictionary as the JSON object language_parse() takes. New
 * reference. */
json_t *language_to_json(const struct lang_dict *d);

/*
 * Reads the stored "language" rule set, parses it and puts it in force
 * (at start-up). why gets a description of the first problem.
 */
enum err language_load(struct db *db, char *why, size_t whylen);

/*
 * Keeps the dictionary in force in step with the stored one when several
 * servers share a database: at most every LANGUAGE_POLL_MS it compares
 * the stored version and stamp with those in force and, when they
 * differ, loads the stored one. A stored dictionary that does not parse
 * is logged and the one in force kept.
 */
#define LANGUAGE_POLL_MS	2000
void language_refresh(struct db *db);

#endif
