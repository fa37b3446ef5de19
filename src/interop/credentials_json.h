#ifndef INTEROP_CREDENTIALS_JSON_H
#define INTEROP_CREDENTIALS_JSON_H

#include <stddef.h>

#include "core/credential.h"
#include "util/err.h"

/*
 * One credential definition (data/credentials/, a file each) into d, strictly:
 * unknown keys, a missing source, hours out of range or finer than a
 * tenth, repeated codes, a domain within an unknown one or within itself,
 * training categories that do not add up to their total and renewal
 * minimums over the total are refused with a reason naming the place.
 */
enum err credential_def_parse(const char *text, struct credential_def *d,
    char *why, size_t whylen);

#endif
