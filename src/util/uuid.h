#ifndef UTIL_UUID_H
#define UTIL_UUID_H

/*
 * Time-ordered UUIDs (RFC 9562 version 7), written as 36 lowercase
 * characters. Within one process they increase strictly.
 */
void uuid_v7(char out[37]);

/* 1 when s is a 36-character lowercase hyphenated UUID, as ids are
 * written; uppercase is refused rather than matching nothing. */
int uuid_valid(const char *s);

#endif
