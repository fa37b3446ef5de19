/*
 * Credential arithmetic: see core/credential.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/credential.h"

void
credential_def_clear(struct credential_def *d)
{
	int i;

	free(d->code);
	free(d->name);
	free(d->issuer);
	free(d->version);
	free(d->exam);
	for (i = 0; i < d->ntraining; i++)
		free(d->training[i].label);
	for (i = 0; i < d->nrenewal; i++)
		free(d->renewal[i].label);
	memset(d, 0, sizeof *d);
}

static int
find(const struct cred_bucket *b, int n, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < n; i++)
		if (strcmp(b[i].code, code) == 0)
			return i;
	return -1;
}

static void
progress(const struct cred_bucket *b, int nb, int total,
    const struct cred_hours *h, int n, struct cred_progress *out)
{
	int i, k, depth;

	memset(out, 0, sizeof *out);
	out->total_needed = total;
	for (i = 0; i < n; i++) {
		if (h[i].tenths <= 0)
			continue;
		out->total_done += h[i].tenths;
		/* Up the chain of domains it lies within; the rules allow
		 * no loops, the depth guard is for bad data. */
		for (k = find(b, nb, h[i].code), depth = 0; k >= 0 &&
		    depth < CRED_MAX_CATEGORIES; k = b[k].within, depth++)
			out->done[k] += h[i].tenths;
	}
	out->complete = out->total_done >= total;
	out->total_short = out->complete ? 0 : total - out->total_done;
	for (k = 0; k < nb; k++) {
		out->shortfall[k] = out->done[k] >= b[k].tenths ? 0 :
		    b[k].tenths - out->done[k];
		if (out->shortfall[k] > 0)
			out->complete = 0;
	}
}

void
credential_renewal(const struct credential_def *d, const struct cred_hours *h,
    int n, struct cred_progress *out)
{
	progress(d->renewal, d->nrenewal, d->renewal_total, h, n, out);
}

void
credential_training(const struct credential_def *d,
    const struct cred_hours *h, int n, struct cred_progress *out)
{
	progress(d->training, d->ntraining, d->training_total, h, n, out);
}

int
credential_alert(int64_t today_days, int64_t expires_days, int64_t *days_left)
{
	int64_t left = expires_days - today_days;

	*days_left = left;
	if (left < 0)
		return 0;
	if (left <= 30)
		return 30;
	if (left <= 60)
		return 60;
	if (left <= 90)
		return 90;
	return -1;
}
