#ifndef UTIL_LOG_H
#define UTIL_LOG_H

/*
 * Text logs to standard error. They carry ids, routes, statuses and
 * outcomes only: never names, dates of birth, contact details or free text
 * about a person.
 */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Silences log_info (errors and warnings still print). */
void log_quiet(int quiet);

#endif
