#include <string.h>

#include "core/check.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"

static int
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

int
check_text(struct verr *v, const char *field, const char *s, size_t max,
    unsigned flags)
{
	if (s == NULL || blank(s)) {
		if (flags & CHECK_REQUIRED) {
			verr_add(v, field, "is required");
			return 0;
		}
		if (s == NULL)
			return 0;
	}
	if (!utf8_valid(s, strlen(s)) ||
	    text_has_control(s, (flags & CHECK_MULTILINE) != 0)) {
		verr_add(v, field, "must be text without control characters");
		return 0;
	}
	if (utf8_chars(s) > max) {
		verr_add(v, field, "must be at most %zu characters", max);
		return 0;
	}
	return 1;
}

int
check_date(struct verr *v, const char *field, const char *s, unsigned flags,
    int not_future, struct date *out)
{
	struct date d;

	if (s == NULL) {
		if (flags & CHECK_REQUIRED)
			verr_add(v, field, "is required");
		return 0;
	}
	if (date_parse(s, &d) != ERR_OK) {
		verr_add(v, field, "must be a calendar date as YYYY-MM-DD");
		return 0;
	}
	if (d.y < 1900) {
		verr_add(v, field, "must be in 1900 or later");
		return 0;
	}
	if (not_future && date_cmp(d, time_today()) > 0) {
		verr_add(v, field, "must not be in the future");
		return 0;
	}
	if (out)
		*out = d;
	return 1;
}

int
check_phone(struct verr *v, const char *field, const char *s,
    unsigned flags)
{
	size_t n, i, digits = 0;

	if (s == NULL) {
		if (flags & CHECK_REQUIRED)
			verr_add(v, field, "is required");
		return 0;
	}
	n = strlen(s);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			digits++;
		else if (!strchr(" +-().x", c) || c == '\0')
			break;
	}
	if (i != n || n > 32 || digits < 3) {
		verr_add(v, field, "must be a telephone number: 3 or more "
		    "digits, with spaces and + - ( ) . x allowed");
		return 0;
	}
	return 1;
}

int
check_uuid(struct verr *v, const char *field, const char *s, unsigned flags)
{
	if (s == NULL) {
		if (flags & CHECK_REQUIRED)
			verr_add(v, field, "is required");
		return 0;
	}
	if (!uuid_valid(s)) {
		verr_add(v, field, "must be an id");
		return 0;
	}
	return 1;
}
