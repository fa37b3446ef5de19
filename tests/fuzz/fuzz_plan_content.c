/*
 * Fuzz target: a plan's content as PATCH /api/v1/plans/{id} takes it,
 * checked against the structure of every kind (interop/plan_json.c).
 *
 * Properties (abort on violation): the answer agrees with the errors
 * added; error field names hold only plain keys, positions and
 * "(unknown)", so no submitted text is echoed; content that passes is
 * written as JSON that passes again and comes out the same (ids kept),
 * with every item id distinct.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/plan.h"
#include "interop/plan_json.h"
#include "util/log.h"
#include "util/verr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_verr(const struct verr *v)
{
	int i;
	size_t k, n;

	for (i = 0; i < v->n; i++) {
		const char *f = v->e[i].field;

		n = strnlen(f, sizeof v->e[i].field);
		if (n == 0 || n == sizeof v->e[i].field)
			abort();
		for (k = 0; k < n; k++) {
			char c = f[k];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '_' || c == '.' || c == '[' || c == ']' ||
			    c == '(' || c == ')'))
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *j;
	int i, k, m;

	log_quiet(1);
	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		return 0;
	for (i = 0; plan_kinds[i] != NULL; i++) {
		struct plan_doc d, d2;
		struct verr v;
		enum err e;
		json_t *again;

		verr_init(&v);
		e = plan_doc_check(plan_kinds[i], j, &v, &d);
		check_verr(&v);
		if ((e == ERR_OK) != (v.n == 0 && v.dropped == 0))
			abort();
		if (e != ERR_OK)
			continue;
		for (k = 0; k < d.nitems; k++)
			for (m = 0; m < k; m++)
				if (strcmp(d.items[k].id, d.items[m].id) == 0 &&
				    strcmp(d.items[k].path, d.items[m].path) == 0)
					abort();
		if ((again = json_loads(d.text, 0, NULL)) == NULL)
			abort();
		verr_init(&v);
		if (plan_doc_check(plan_kinds[i], again, &v, &d2) != ERR_OK ||
		    strcmp(d.text, d2.text) != 0 || d.nitems != d2.nitems)
			abort();
		plan_doc_clear(&d2);
		json_decref(again);
		plan_doc_clear(&d);
	}
	json_decref(j);
	return 0;
}
