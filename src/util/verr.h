#ifndef UTIL_VERR_H
#define UTIL_VERR_H

/*
 * Field-level validation errors, collected so a reply can name every bad
 * field at once. Messages describe the rule, never echo the value.
 */

#define VERR_MAX	32

struct verr {
	int	n;
	int	dropped;
	struct {
		char	field[96];
		char	message[160];
	} e[VERR_MAX];
};

void verr_init(struct verr *v);
void verr_add(struct verr *v, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 1 when an error names field. */
int verr_has(const struct verr *v, const char *field);

#endif
