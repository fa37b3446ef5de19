/*
 * The resource directory: storage, search and changes made by staff.
 * Imports and exports of HSDS packages are in interop/hsds*.c and write
 * the same tables. See docs/resources.md.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/resource.h"
#include "core/rules.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static const char *const text_keys[RT__COUNT] = {
	"name", "alternate_name", "description", "url", "email", "status",
	"interpretation_services", "application_process",
	"fees_description", "wait_time", "accreditations",
	"eligibility_description", "alert",
};

const char *
resource_text_key(enum resource_text f)
{
	return f >= 0 && f < RT__COUNT ? text_keys[f] : NULL;
}

static void
schedules_free(struct resource_schedule *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].location_id);
		free(s[i].freq);
		free(s[i].byday);
		free(s[i].opens_at);
		free(s[i].closes_at);
		free(s[i].description);
	}
	free(s);
}

void
resource_clear(struct resource *r)
{
	int i;

	for (i = 0; i < RT__COUNT; i++)
		free(r->text[i]);
	free(r->organization_name);
	free(r->organization_description);
	free(r->organization_website);
	free(r->organization_email);
	free(r->added_by_name);
	free(r->verified_by_name);
	for (i = 0; i < r->ncategories; i++)
		free(r->categories[i]);
	free(r->categories);
	for (i = 0; i < r->nlanguages; i++) {
		free(r->languages[i].code);
		free(r->languages[i].name);
		free(r->languages[i].note);
	}
	free(r->languages);
	for (i = 0; i < r->nphones; i++) {
		free(r->phones[i].number);
		free(r->phones[i].extension);
		free(r->phones[i].type);
		free(r->phones[i].description);
	}
	free(r->phones);
	for (i = 0; i < r->nlocations; i++) {
		struct resource_location *l = &r->locations[i];

		free(l->name);
		free(l->description);
		free(l->transportation);
		free(l->address_1);
		free(l->address_2);
		free(l->city);
		free(l->state_province);
		free(l->postal_code);
		free(l->country);
	}
	free(r->locations);
	schedules_free(r->schedules, r->nschedules);
	memset(r, 0, sizeof *r);
}

void
resources_free(struct resource *r, int n)
{
	int i;

	for (i = 0; r != NULL && i < n; i++)
		resource_clear(&r[i]);
	free(r);
}

int
resource_byday_valid(const char *s)
{
	static const char *const days[] = { "MO", "TU", "WE", "TH", "FR",
	    "SA", "SU" };
	size_t i;
	int n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	for (;;) {
		for (i = 0; i < 7; i++)
			if (strncmp(s, days[i], 2) == 0)
				break;
		if (i == 7 || ++n > 7)
			return 0;
		s += 2;
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

int
resource_time_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n != 5 && n != 8)
		return 0;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return 0;
	if ((s[0] - '0') * 10 + (s[1] - '0') > 24 || s[3] > '5')
		return 0;
	if (n == 8 && (s[5] != ':' || !isdigit((unsigned char)s[6]) ||
	    s[6] > '5' || !isdigit((unsigned char)s[7])))
		return 0;
	/* 24:00 closes a day; nothing later. */
	if (s[0] == '2' && s[1] == '4' && (s[3] != '0' || s[4] != '0' ||
	    (n == 8 && (s[6] != '0' || s[7] != '0'))))
		return 0;
	return 1;
}

enum err
resource_terms_seed(struct db *db)
{
	const struct resource_rules *rr = &rules_get()->resources;
	struct db_stmt *st;
	enum err e = ERR_OK;
	int i;

	for (i = 0; e == ERR_OK && i < rr->ntaxonomies; i++) {
		const struct resource_taxonomy *t = &rr->taxonomies[i];

		if ((e = db_prepare(db, "INSERT INTO dir_taxonomy (id, name,"
		    " description, uri, version) VALUES ($1, $2, $3, $4, $5)"
		    " ON CONFLICT (id) DO NOTHING", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, t->id);
		db_bind_text(st, 2, t->name);
		db_bind_text(st, 3, t->description);
		db_bind_text(st, 4, *t->uri ? t->uri : NULL);
		db_bind_text(st, 5, *t->version ? t->version : NULL);
		e = db_run(st, NULL);
		db_done(st);
	}
	for (i = 0; e == ERR_OK && i < rr->ncategories; i++) {
		const struct resource_category *c = &rr->categories[i];
		const struct resource_taxonomy *t = NULL;
		int k;

		for (k = 0; k < rr->ntaxonomies; k++)
			if (strcmp(rr->taxonomies[k].group, c->group) == 0)
				t = &rr->taxonomies[k];
		if (t == NULL)
			return ERR_INTERNAL;
		if ((e = db_prepare(db, "INSERT INTO dir_taxonomy_term (id,"
		    " code, name, description, taxonomy, language,"
		    " taxonomy_id) VALUES ($1, $2, $3, $4, $5, 'en', $6)"
		    " ON CONFLICT (id) DO NOTHING", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, c->term_id);
		db_bind_text(st, 2, c->code);
		db_bind_text(st, 3, c->label);
		db_bind_text(st, 4, c->label);
		db_bind_text(st, 5, t->name);
		db_bind_text(st, 6, t->id);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

enum err
resource_search_text_refresh(struct db *db, const char *service_id)
{
	struct db_stmt *st;
	struct buf f;
	enum err e;
	int row, i;

	if ((e = db_prepare(db, "SELECT s.name, s.alternate_name,"
	    " s.description, s.eligibility_description, o.name,"
	    " o.alternate_name FROM dir_service s LEFT JOIN dir_organization o"
	    " ON o.id = s.organization_id WHERE s.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, service_id);
	buf_init(&f, 64 * 1024);
	buf_putc(&f, ' ');
	if ((e = db_step(st, &row)) == ERR_OK && row)
		for (i = 0; i < 6; i++) {
			const char *t = db_col_text(st, i);

			/* Past the maximum the rest is not searched. */
			if (t != NULL && text_fold(t, &f) == ERR_OK)
				buf_putc(&f, ' ');
		}
	db_done(st);
	if (e == ERR_OK && row)
		e = db_set_text(db, "UPDATE dir_service SET search_text = $1"
		    " WHERE id = $2", buf_cstr(&f), service_id);
	buf_free(&f);
	return e;
}
