/*
 * Fuzz target: the HSDS reader (interop/hsds_read.c) without a database.
 * The first byte chooses the door: services.csv (with a header of every
 * service column), a whole tabular file chosen by the second byte, or
 * HSDS JSON; then references are resolved against the package alone.
 *
 * Properties (abort on violation): every rejection names a file and a
 * reason; every row kept has an id that is a lowercase UUID; rows of one
 * object never share an id.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "interop/hsds.h"
#include "interop/hsds_intern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct hsds_package *p)
{
	const struct hsds_reject *rej;
	int n, total, i, k, o;

	rej = hsds_rejects(p, &n, &total);
	if (n > total || n > HSDS_REJECT_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (rej[i].file == NULL || rej[i].reason == NULL ||
		    *rej[i].reason == '\0' || rej[i].field == NULL)
			abort();
	for (o = 0; o < HO__COUNT; o++) {
		const struct htab *t = hsds_tab(p, o);

		for (i = 0; i < t->n; i++) {
			const char *id = t->rows[i].v[0];

			if (id == NULL || strlen(id) != 36)
				abort();
			for (k = 0; k < 36; k++)
				if (isupper((unsigned char)id[k]))
					abort();
			if (hsds_find(p, o, id) != &t->rows[i])
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char header[] = "id,organization_id,program_id,name,"
	    "alternate_name,description,url,email,status,"
	    "interpretation_services,application_process,fees_description,"
	    "wait_time,fees,accreditations,eligibility_description,"
	    "minimum_age,maximum_age,assured_date,assurer_email,licenses,"
	    "alert,last_modified\n";
	struct hsds_package *p;
	struct hsds_file f;
	char *text;

	if (size < 2)
		return 0;
	p = hsds_package_new();
	switch (data[0] % 3) {
	case 0:
		text = malloc(sizeof header + size);
		memcpy(text, header, sizeof header - 1);
		memcpy(text + sizeof header - 1, data + 1, size - 1);
		f.name = "services.csv";
		f.text = text;
		f.len = sizeof header - 1 + size - 1;
		hsds_read_tabular(p, &f, 1);
		free(text);
		break;
	case 1:
		f.name = hsds_obj_file(data[1] % HO__COUNT);
		f.text = (const char *)data + 2;
		f.len = size - 2;
		hsds_read_tabular(p, &f, 1);
		break;
	default:
		hsds_read_json_text(p, "body", (const char *)data + 1,
		    size - 1);
		break;
	}
	hsds_resolve(p, NULL, NULL);
	check(p);
	hsds_package_free(p);
	return 0;
}
