#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/verr.h"

void
verr_init(struct verr *v)
{
	v->n = 0;
	v->dropped = 0;
}

void
verr_add(struct verr *v, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (v->n >= VERR_MAX) {
		v->dropped++;
		return;
	}
	snprintf(v->e[v->n].field, sizeof v->e[v->n].field, "%s", field);
	va_start(ap, fmt);
	vsnprintf(v->e[v->n].message, sizeof v->e[v->n].message, fmt, ap);
	va_end(ap);
	v->n++;
}

int
verr_has(const struct verr *v, const char *field)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->e[i].field, field) == 0)
			return 1;
	return 0;
}
