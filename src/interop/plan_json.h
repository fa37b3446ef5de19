#ifndef INTEROP_PLAN_JSON_H
#define INTEROP_PLAN_JSON_H

#include <jansson.h>

#include "core/plan.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The structure of each kind of plan (data/plan-kinds.json, compiled in)
 * and the check of a version's content against it.
 */

/* Parses the structure once; ERR_INTERNAL (logged) when it is malformed. */
enum err plan_structure_load(void);
/* The structure as parsed, for the browser. Borrowed. */
json_t *plan_structure_json(void);
const char *plan_structure_version(void);
/* 1 when code is in the structure's list named list. */
int plan_code_known(const char *list, const char *code);

/* A version's content as checked: the text to store and its items. */
struct plan_doc {
	char			*text;
	struct plan_item	*items;
	int			 nitems;
};

/*
 * Checks content against kind's structure. ERR_INVALID with field errors
 * in v ("content.goals[0].words"); ERR_OK with out filled (clear with
 * plan_doc_clear()).
 */
enum err plan_doc_check(const char *kind, json_t *content, struct verr *v,
    struct plan_doc *out);
void plan_doc_clear(struct plan_doc *d);

#endif
