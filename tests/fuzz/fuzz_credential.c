/*
 * Fuzz target: credential definitions (interop/credentials_json.c) on any
 * bytes, then the renewal and training arithmetic on what parses.
 *
 * Properties (abort on violation): a refusal gives a reason and leaves
 * nothing behind; a definition that parses has no domain within itself;
 * a shortfall is never negative nor more than its need; meeting every
 * need exactly is complete.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/credential.h"
#include "interop/credentials_json.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct cred_bucket *b, int nb, int total,
    const struct cred_progress *p)
{
	int i;

	if (p->total_short < 0 || p->total_short > total)
		abort();
	for (i = 0; i < nb; i++) {
		if (b[i].within == i)
			abort();
		if (p->shortfall[i] < 0 || p->shortfall[i] > b[i].tenths)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct credential_def d;
	struct cred_hours h[CRED_MAX_CATEGORIES + 1];
	struct cred_progress p;
	char *text, why[256];
	int i, n;

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	why[0] = '\0';
	if (credential_def_parse(text, &d, why, sizeof why) != ERR_OK) {
		if (why[0] == '\0' || d.code != NULL)
			abort();
		free(text);
		return 0;
	}
	/* Each domain's need given to it alone, and the rest as "other". */
	for (n = 0, i = 0; i < d.nrenewal; i++, n++) {
		h[n].code = d.renewal[i].code;
		h[n].tenths = d.renewal[i].tenths;
	}
	h[n].code = "other";
	h[n].tenths = d.renewal_total;
	credential_renewal(&d, h, n + 1, &p);
	check(d.renewal, d.nrenewal, d.renewal_total, &p);
	if (!p.complete)
		abort();
	for (n = 0; n < d.ntraining; n++) {
		h[n].code = d.training[n].code;
		h[n].tenths = d.training[n].tenths;
	}
	credential_training(&d, h, n, &p);
	check(d.training, d.ntraining, d.training_total, &p);
	if (!p.complete)
		abort();
	credential_def_clear(&d);
	free(text);
	return 0;
}
