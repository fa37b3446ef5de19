/*
 * Fuzz target: the billing engine (core/billing.c) over the shipped rule
 * set (data/billing.json), with the input's bytes choosing the contact,
 * what was claimed before it, and the code's rounding, aggregation,
 * unit length and caps.
 *
 * Properties (abort on violation): only ERR_OK or ERR_INVALID, and
 * ERR_INVALID leaves nothing behind; units are never negative and never
 * more than any cap leaves; billable exactly when units > 0 and no
 * reason is given; a contact that is not billable has a reason; cuts
 * only on billable contacts; every reason has a code and text; a billed
 * code has a place of service and at most four modifiers; counted
 * minutes are 0 or the contact's minutes; on a fresh day, units never
 * fall as minutes grow, and per-day and per-contact agree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/billing.h"
#include "core/rules.h"
#include "interop/rules_json.h"
#include "util/asset.h"
#include "util/log.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules *shipped;

struct cursor {
	const uint8_t	*p;
	size_t		 n;
};

/* The next byte, 0 once the input is used up. */
static unsigned
byte(struct cursor *c)
{
	if (c->n == 0)
		return 0;
	c->n--;
	return *c->p++;
}

static unsigned
u16(struct cursor *c)
{
	unsigned hi = byte(c);

	return hi << 8 | byte(c);
}

static void
check_reason(const struct billing_reason *r)
{
	size_t n = strnlen(r->text, sizeof r->text);

	if (r->code == NULL || n == 0 || n == sizeof r->text ||
	    (int)r->why < 0 || r->why >= BILLING_WHY__COUNT)
		abort();
}

/* Units a cap leaves, or a large number when unset. */
static int
room(int cap, int used)
{
	if (cap <= 0)
		return 1 << 30;
	return used >= cap ? 0 : cap - used;
}

static void
check(const struct billing_rules *br, const struct billing_code *bc,
    const struct billing_contact *c, const struct billing_prior *p,
    const struct billing_result *r)
{
	int i;

	if (r->units < 0 || r->nreasons < 0 ||
	    r->nreasons > BILLING_REASONS_MAX || r->ncuts < 0 || r->ncuts > 3 ||
	    r->nmodifiers < 0 || r->nmodifiers > BILLING_MODIFIERS_MAX)
		abort();
	if (r->billable != (r->units > 0 && r->nreasons == 0))
		abort();
	if (!r->billable && (r->nreasons == 0 || r->units != 0))
		abort();
	if (r->ncuts > 0 && !r->billable)
		abort();
	for (i = 0; i < r->nreasons; i++)
		check_reason(&r->reasons[i]);
	for (i = 0; i < r->ncuts; i++)
		check_reason(&r->cuts[i]);
	for (i = 0; i < r->nmodifiers; i++)
		if (r->modifiers[i] == NULL || strlen(r->modifiers[i]) != 2)
			abort();
	if (r->minutes != c->minutes ||
	    (r->counted_minutes != 0 && r->counted_minutes != c->minutes))
		abort();
	if (r->code == NULL) {
		if (r->billable || r->nmodifiers != 0)
			abort();
		return;
	}
	if (r->pos == NULL || strcmp(r->code, bc->code) != 0)
		abort();
	if (r->units > room(bc->cap_day, p->day_units) ||
	    r->units > room(bc->cap_year, p->year_units) ||
	    r->units > room(bc->cap_episode, p->episode_units))
		abort();
	/* A cap named as reached is set and has no room; one named as
	 * cutting is set and left the units that were counted. */
	for (i = 0; i < r->nreasons + r->ncuts; i++) {
		const struct billing_reason *x = i < r->nreasons ?
		    &r->reasons[i] : &r->cuts[i - r->nreasons];
		int cap, used;

		switch (x->why) {
		case BILLING_WHY_CAP_DAY:
			cap = bc->cap_day;
			used = p->day_units;
			break;
		case BILLING_WHY_CAP_YEAR:
			cap = bc->cap_year;
			used = p->year_units;
			break;
		case BILLING_WHY_CAP_EPISODE:
			cap = bc->cap_episode;
			used = p->episode_units;
			break;
		default:
			if (i >= r->nreasons)
				abort();	/* only caps cut */
			continue;
		}
		if (cap <= 0 || (i < r->nreasons && room(cap, used) != 0) ||
		    (i >= r->nreasons && room(cap, used) < r->units))
			abort();
	}
	(void)br;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor cur = { data, size };
	struct billing_rules br;
	struct billing_code code;
	struct billing_contact c;
	struct billing_prior p, fresh;
	struct billing_result r, r2;
	unsigned flags, k;
	enum err e;

	log_quiet(1);
	if (shipped == NULL) {
		const struct asset *a = asset_find(data_assets,
		    "/billing.json");
		char why[200];

		shipped = xcalloc(1, sizeof *shipped);
		if (a == NULL || rules_parse((const char *)a->data, shipped,
		    why, sizeof why) != ERR_OK)
			abort();
	}
	br = shipped->billing;
	code = br.codes[0];
	br.codes = &code;

	/* The code's rules. */
	flags = byte(&cur);
	code.rounding = (enum billing_rounding)(flags % 3);
	code.aggregation = (flags >> 2) & 1 ? BILLING_PER_CONTACT :
	    BILLING_PER_DAY;
	code.requires_goal = (flags >> 3) & 1;
	code.requires_agreement = (flags >> 4) & 1;
	k = byte(&cur);
	code.unit_minutes = k == 0 ? 15 : (int)k;
	code.cap_day = (int)byte(&cur);
	code.cap_year = (int)u16(&cur);
	code.cap_episode = (int)byte(&cur);
	br.group_max_per_facilitator = (int)(byte(&cur) % 30);

	/* The contact: indexes past the lists give unknown codes or NULL. */
	memset(&c, 0, sizeof c);
	k = byte(&cur) % (unsigned)(br.ntypes + 1);
	c.type = k < (unsigned)br.ntypes ? br.types[k].code : "no_such_type";
	c.modality = (enum billing_modality)(byte(&cur) % 3);
	c.method = (enum billing_method)(byte(&cur) % 5);
	k = byte(&cur) % (unsigned)(br.nsettings + 2);
	c.setting = k < (unsigned)br.nsettings ? br.settings[k].code :
	    k == (unsigned)br.nsettings ? NULL : "no_such_setting";
	k = byte(&cur) % (unsigned)(br.nprograms + 2);
	c.program = k < (unsigned)br.nprograms ? br.programs[k].code :
	    k == (unsigned)br.nprograms ? NULL : "no_such_program";
	flags = byte(&cur);
	c.at_home = flags & 1;
	c.goal_linked = (flags >> 1) & 1;
	c.agreement_active = (flags >> 2) & 1;
	c.minutes = (int)u16(&cur) % 1600 - 50;
	c.group_size = (int)byte(&cur) - 2;
	c.facilitators = (int)(byte(&cur) % 6) - 1;

	/* What came before. */
	memset(&p, 0, sizeof p);
	p.day_units = (int)byte(&cur) - 2;
	p.year_units = (int)u16(&cur) - 2;
	p.episode_units = (int)byte(&cur) - 2;
	p.day_minutes = (int)u16(&cur) % 16000 - 2;

	e = billing_contact(&br, &c, &p, &r);
	if (e != ERR_OK && e != ERR_INVALID)
		abort();
	if (e == ERR_INVALID) {
		if (r.code != NULL || r.units != 0 || r.nreasons != 0 ||
		    r.billable)
			abort();
		return 0;
	}
	check(&br, &code, &c, &p, &r);

	/* A fresh day: monotone in minutes, and the two aggregations
	 * agree when nothing came before on the day. */
	fresh = p;
	fresh.day_units = 0;
	fresh.day_minutes = 0;
	if (billing_contact(&br, &c, &fresh, &r) != ERR_OK)
		abort();
	check(&br, &code, &c, &fresh, &r);
	if (c.minutes < BILLING_MINUTES_MAX) {
		c.minutes++;
		if (billing_contact(&br, &c, &fresh, &r2) != ERR_OK)
			abort();
		check(&br, &code, &c, &fresh, &r2);
		if (r2.units < r.units)
			abort();
		c.minutes--;
	}
	code.aggregation = code.aggregation == BILLING_PER_DAY ?
	    BILLING_PER_CONTACT : BILLING_PER_DAY;
	if (billing_contact(&br, &c, &fresh, &r2) != ERR_OK ||
	    r2.units != r.units || r2.billable != r.billable)
		abort();
	return 0;
}
