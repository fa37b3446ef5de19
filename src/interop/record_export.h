#ifndef INTEROP_RECORD_EXPORT_H
#define INTEROP_RECORD_EXPORT_H

#include <jansson.h>

#include "store/db.h"
#include "util/err.h"

/*
 * The parts of the person's record that categories (consent category
 * codes: demographics, plans, notes, attendance) name, as a new JSON
 * object in *out. Only signed plans and notes. No policy check or audit:
 * call it after disclosure_make() has checked consent and recorded the
 * disclosure.
 */
enum err record_export(struct db *db, const char *person_id,
    const char *const *categories, int n, json_t **out);

#endif
