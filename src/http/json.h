#ifndef HTTP_JSON_H
#define HTTP_JSON_H

#include <stdint.h>

#include <jansson.h>

/* Small helpers between jansson and the handlers. */

/* The string at key, or NULL (absent, null or not a string). Borrowed. */
const char *jstr(json_t *o, const char *key);

/* 1 when key is present, even as null. */
int jhas(json_t *o, const char *key);

/* A new JSON string, or null for NULL. */
json_t *jstr_or_null(const char *s);

/* A new JSON string holding ms as RFC 3339 UTC. */
json_t *jtime(int64_t ms);

/* As jtime(), or null when ms is 0 (not yet). */
json_t *jtime_or_null(int64_t ms);

/* A comma-separated list of codes as a new JSON array of strings. */
json_t *jcodes(const char *csv);

/*
 * Makes jansson wipe the memory it frees: parsed bodies hold passwords and
 * personal information. Call before threads start.
 */
void json_wipe_on_free(void);

#endif
