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
#include "core/check.h"
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

/* ---------------------------------------------------------------- */
/* Reading */

static int64_t
col_int_or(struct db_stmt *st, int i, int64_t none)
{
	return db_col_is_null(st, i) ? none : db_col_int(st, i);
}

/* Stale: nobody has checked it (or, never checked, added it) for the
 * rules' number of days. */
static int
is_stale(int64_t added_at, int64_t verified_at)
{
	int64_t last = verified_at > added_at ? verified_at : added_at;
	int days = rules_get()->resources.stale_after_days;

	return days > 0 && time_now_ms() - last > (int64_t)days * 86400000;
}

/* Minutes since local midnight and the weekday code (MO..SU) now, and
 * today as YYYY-MM-DD, in the organisation's time zone. */
static void
local_now(int *minutes, char day[3], char today[11])
{
	static const char *const days[] = { "TH", "FR", "SA", "SU", "MO",
	    "TU", "WE" };
	int64_t now = time_now_ms();
	struct date d = time_date_of(now);
	int64_t n = date_to_days(d);

	*minutes = (int)((now - time_day_start_ms(d)) / 60000);
	snprintf(day, 3, "%s", days[((n % 7) + 7) % 7]);
	date_format(d, today);
}

static int
hhmm(const char *s)
{
	if (!resource_time_valid(s))
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 +
	    (s[4] - '0');
}

/* 1 open, 0 closed, -1 the schedule does not say (not weekly, no
 * hours). */
static int
schedule_open(const char *freq, const char *byday, const char *opens,
    const char *closes, const char *from, const char *to, int minutes,
    const char *day, const char *today)
{
	int o = hhmm(opens), c = hhmm(closes);

	if ((freq != NULL && *freq && strcmp(freq, "WEEKLY") != 0) ||
	    byday == NULL || !resource_byday_valid(byday) || o < 0 || c < 0)
		return -1;
	if ((from != NULL && *from && strcmp(today, from) < 0) ||
	    (to != NULL && *to && strcmp(today, to) > 0))
		return 0;
	if (strstr(byday, day) == NULL)
		return 0;
	if (c <= o)	/* through midnight */
		return minutes >= o || minutes < c;
	return minutes >= o && minutes < c;
}

/* SQL "IN ($k, …)" for n parameters from first, interned. */
static const char *
in_list(const char *head, int first, int n, const char *tail)
{
	struct buf b;
	const char *s;
	int i;

	buf_init(&b, 16384);
	buf_puts(&b, head);
	buf_puts(&b, " IN (");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s$%d", i ? ", " : "", first + i);
	buf_puts(&b, ")");
	buf_puts(&b, tail);
	s = db_intern(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static int
find_id(struct resource *r, int n, const char *id)
{
	int i;

	for (i = 0; id != NULL && i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return i;
	return -1;
}

static void
add_category(struct resource *r, const char *code)
{
	int i;

	if (code == NULL)
		return;
	for (i = 0; i < r->ncategories; i++)
		if (strcmp(r->categories[i], code) == 0)
			return;
	r->categories = xreallocarray(r->categories, r->ncategories + 1,
	    sizeof *r->categories);
	r->categories[r->ncategories++] = xstrdup(code);
}

static void
add_language(struct resource *r, const char *code, const char *name,
    const char *note)
{
	struct resource_language *l;
	int i;

	for (i = 0; i < r->nlanguages; i++)
		if ((code && r->languages[i].code &&
		    strcmp(r->languages[i].code, code) == 0) ||
		    (!code && name && r->languages[i].name &&
		    strcmp(r->languages[i].name, name) == 0))
			return;
	r->languages = xreallocarray(r->languages, r->nlanguages + 1,
	    sizeof *r->languages);
	l = &r->languages[r->nlanguages++];
	l->code = code ? xstrdup(code) : NULL;
	l->name = name ? xstrdup(name) : NULL;
	l->note = note ? xstrdup(note) : NULL;
}

/* Runs sql (service ids bound $1..$n, then again $n+1..$2n when twice)
 * and hands each row to fn with the service it belongs to (column 0). */
static enum err
each_row(struct db *db, const char *sql, struct resource *r, int n,
    int twice, void (*fn)(struct resource *, struct db_stmt *, void *),
    void *arg)
{
	struct db_stmt *st;
	enum err e;
	int row, i, k;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	for (i = 0; i < n; i++) {
		db_bind_text(st, i + 1, r[i].id);
		if (twice)
			db_bind_text(st, n + i + 1, r[i].id);
	}
	while ((e = db_step(st, &row)) == ERR_OK && row)
		if ((k = find_id(r, n, db_col_text(st, 0))) >= 0)
			fn(&r[k], st, arg);
	db_done(st);
	return e;
}

/* SQL of two SELECTs over the same n services, "first IN ($1..$n)
 * UNION ALL second IN ($n+1..$2n) order", interned. */
static const char *
union_in(const char *first, const char *second, const char *order, int n)
{
	struct buf b;
	const char *sql;
	int i;

	buf_init(&b, 16384);
	buf_printf(&b, "%s IN (", first);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s$%d", i ? ", " : "", i + 1);
	buf_printf(&b, ") UNION ALL %s IN (", second);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s$%d", i ? ", " : "", n + i + 1);
	buf_printf(&b, ") %s", order);
	sql = db_intern(buf_cstr(&b));
	buf_free(&b);
	return sql;
}

static void
language_row(struct resource *r, struct db_stmt *st, void *arg)
{
	(void)arg;
	if (!db_col_is_null(st, 1) || !db_col_is_null(st, 2))
		add_language(r, db_col_text(st, 1), db_col_text(st, 2),
		    db_col_text(st, 3));
}

static enum err
load_languages(struct db *db, struct resource *r, int n)
{
	/* The service's own, then its locations'. */
	return each_row(db, union_in("SELECT l.service_id, l.code, l.name,"
	    " l.note, 0 AS o, l.id FROM dir_language l WHERE l.service_id",
	    "SELECT x.service_id, l.code, l.name, l.note, 1 AS o, l.id"
	    " FROM dir_language l JOIN dir_service_at_location x"
	    " ON x.location_id = l.location_id WHERE x.service_id",
	    "ORDER BY 1, 5, 6", n), r, n, 1, language_row, NULL);
}

static void
phone_row(struct resource *r, struct db_stmt *st, void *arg)
{
	struct resource_phone *p;
	int full = *(int *)arg;

	if (!full && r->nphones > 0)
		return;
	r->phones = xreallocarray(r->phones, r->nphones + 1,
	    sizeof *r->phones);
	p = &r->phones[r->nphones++];
	p->number = db_col_dup(st, 1);
	p->extension = db_col_dup(st, 2);
	p->type = db_col_dup(st, 3);
	p->description = db_col_dup(st, 4);
}

static enum err
load_phones(struct db *db, struct resource *r, int n, int full)
{
	/* The service's own phones, then those of its locations. */
	return each_row(db, union_in("SELECT p.service_id, p.number,"
	    " p.extension, p.type, p.description, 0 AS o, p.id FROM dir_phone p"
	    " WHERE p.service_id",
	    "SELECT x.service_id, p.number, p.extension, p.type,"
	    " p.description, 1 AS o, p.id FROM dir_phone p"
	    " JOIN dir_service_at_location x ON x.location_id = p.location_id"
	    " WHERE p.service_id IS NULL AND x.service_id",
	    "ORDER BY 1, 6, 7", n), r, n, 1, phone_row, &full);
}

struct sched_arg {
	int	 full;
	int	 minutes;
	char	 day[3];
	char	 today[11];
};

static void
schedule_row(struct resource *r, struct db_stmt *st, void *arg)
{
	struct sched_arg *a = arg;
	struct resource_schedule *s;
	int o;

	o = schedule_open(db_col_text(st, 2), db_col_text(st, 3),
	    db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 7),
	    db_col_text(st, 8), a->minutes, a->day, a->today);
	if (o > r->open_now)
		r->open_now = o;
	if (!a->full)
		return;
	r->schedules = xreallocarray(r->schedules, r->nschedules + 1,
	    sizeof *r->schedules);
	s = &r->schedules[r->nschedules++];
	s->location_id = db_col_dup(st, 1);
	s->freq = db_col_dup(st, 2);
	s->byday = db_col_dup(st, 3);
	s->opens_at = db_col_dup(st, 4);
	s->closes_at = db_col_dup(st, 5);
	s->description = db_col_dup(st, 6);
}

static enum err
load_schedules(struct db *db, struct resource *r, int n, int full)
{
	struct sched_arg a;
	int i;

	a.full = full;
	local_now(&a.minutes, a.day, a.today);
	for (i = 0; i < n; i++)
		r[i].open_now = -1;
	/* The service's schedules, and those of its locations (directly,
	 * or for this service at that location). */
	return each_row(db, union_in("SELECT h.service_id, NULL, h.freq,"
	    " h.byday, h.opens_at, h.closes_at, h.description, h.valid_from,"
	    " h.valid_to, 0 AS o, h.id FROM dir_schedule h WHERE h.service_id",
	    "SELECT x.service_id, x.location_id, h.freq, h.byday, h.opens_at,"
	    " h.closes_at, h.description, h.valid_from, h.valid_to, 1 AS o,"
	    " h.id FROM dir_schedule h JOIN dir_service_at_location x"
	    " ON (h.service_at_location_id = x.id OR (h.service_id IS NULL"
	    " AND h.service_at_location_id IS NULL"
	    " AND h.location_id = x.location_id)) WHERE x.service_id",
	    "ORDER BY 1, 10, 11", n), r, n, 1, schedule_row, &a);
}

static void
referral_counts_row(struct resource *r, struct db_stmt *st, void *arg)
{
	(void)arg;
	r->referrals_made = db_col_int(st, 1);
	r->referrals_accepted = db_col_int(st, 2);
	r->referrals_completed = db_col_int(st, 3);
}

/* Each service's record: referrals made to it, accepted (whatever came
 * after) and completed. Counts only: nothing of the people. */
static enum err
load_referral_counts(struct db *db, struct resource *r, int n)
{
	return each_row(db, in_list("SELECT f.service_id, COUNT(*),"
	    " SUM(CASE WHEN EXISTS (SELECT 1 FROM referral_event x"
	    " WHERE x.referral_id = f.id AND x.status = 'accepted')"
	    " THEN 1 ELSE 0 END),"
	    " SUM(CASE WHEN f.status = 'completed' THEN 1 ELSE 0 END)"
	    " FROM referral f WHERE f.service_id", 1, n,
	    " GROUP BY f.service_id"), r, n, 0, referral_counts_row, NULL);
}

/*
 * Fills in the categories, languages, locations, phones and schedules of
 * the n services in r, a few statements for them all. from: the point to
 * measure locations from (nearest first), or NULL.
 */
static enum err
load_parts(struct db *db, struct resource *r, int n,
    const struct resource_point *from, int full)
{
	struct db_stmt *st;
	enum err e;
	int row, i, k;
	double coslat = 1;

	if (n == 0)
		return ERR_OK;
	if (from != NULL && from->set)
		coslat = cos((double)from->lat_e6 / 1e6 * 3.14159265358979 / 180);
	/* Categories: terms attached to the service. */
	if ((e = db_prepare(db, in_list("SELECT a.link_id, t.code FROM"
	    " dir_attribute a JOIN dir_taxonomy_term t"
	    " ON t.id = a.taxonomy_term_id WHERE t.code IS NOT NULL AND"
	    " a.link_id", 1, n, " ORDER BY a.link_id, t.code"), &st)) !=
	    ERR_OK)
		return e;
	for (i = 0; i < n; i++)
		db_bind_text(st, i + 1, r[i].id);
	while ((e = db_step(st, &row)) == ERR_OK && row)
		if ((k = find_id(r, n, db_col_text(st, 0))) >= 0 &&
		    resource_category_find(&rules_get()->resources,
		    db_col_text(st, 1)) != NULL)
			add_category(&r[k], db_col_text(st, 1));
	db_done(st);
	if (e != ERR_OK)
		return e;
	/* Locations with their first address, and the languages of the
	 * service and of its locations. */
	if ((e = db_prepare(db, in_list("SELECT x.service_id, g.id, g.name,"
	    " g.description, g.transportation, g.latitude_e6, g.longitude_e6,"
	    " ad.address_1, ad.address_2, ad.city, ad.state_province,"
	    " ad.postal_code, ad.country FROM dir_service_at_location x"
	    " JOIN dir_location g ON g.id = x.location_id"
	    " LEFT JOIN dir_address ad ON ad.id = (SELECT MIN(a2.id)"
	    " FROM dir_address a2 WHERE a2.location_id = g.id)"
	    " WHERE x.service_id", 1, n, " ORDER BY x.service_id, g.name,"
	    " g.id"), &st)) != ERR_OK)
		return e;
	for (i = 0; i < n; i++)
		db_bind_text(st, i + 1, r[i].id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct resource_location *l;

		if ((k = find_id(r, n, db_col_text(st, 0))) < 0)
			continue;
		for (i = 0; i < r[k].nlocations; i++)
			if (strcmp(r[k].locations[i].id,
			    db_col_text(st, 1)) == 0)
				break;
		if (i < r[k].nlocations)
			continue;
		r[k].locations = xreallocarray(r[k].locations,
		    r[k].nlocations + 1, sizeof *r[k].locations);
		l = &r[k].locations[r[k].nlocations++];
		memset(l, 0, sizeof *l);
		snprintf(l->id, sizeof l->id, "%s", db_col_text(st, 1));
		l->name = db_col_dup(st, 2);
		l->description = db_col_dup(st, 3);
		l->transportation = db_col_dup(st, 4);
		l->has_point = !db_col_is_null(st, 5) && !db_col_is_null(st, 6);
		l->lat_e6 = col_int_or(st, 5, 0);
		l->lon_e6 = col_int_or(st, 6, 0);
		l->address_1 = db_col_dup(st, 7);
		l->address_2 = db_col_dup(st, 8);
		l->city = db_col_dup(st, 9);
		l->state_province = db_col_dup(st, 10);
		l->postal_code = db_col_dup(st, 11);
		l->country = db_col_dup(st, 12);
		l->distance_km = -1;
		if (from != NULL && from->set && l->has_point) {
			double dy = (double)(l->lat_e6 - from->lat_e6) / 1e6;
			double dx = (double)(l->lon_e6 - from->lon_e6) / 1e6 *
			    coslat;

			l->distance_km = sqrt(dx * dx + dy * dy) * 111.195;
		}
	}
	db_done(st);
	if (e != ERR_OK)
		return e;
	/* Nearest first. */
	for (k = 0; k < n; k++) {
		int a, b;

		for (a = 1; a < r[k].nlocations; a++)
			for (b = a; b > 0; b--) {
				struct resource_location *p = r[k].locations;
				struct resource_location t;
				double d1 = p[b - 1].distance_km,
				    d2 = p[b].distance_km;

				if (d2 < 0 || (d1 >= 0 && d1 <= d2))
					break;
				t = p[b - 1];
				p[b - 1] = p[b];
				p[b] = t;
			}
	}
	if ((e = load_languages(db, r, n)) != ERR_OK ||
	    (e = load_phones(db, r, n, full)) != ERR_OK ||
	    (e = load_referral_counts(db, r, n)) != ERR_OK)
		return e;
	return load_schedules(db, r, n, full);
}

#define SERVICE_COLS \
	"s.id, s.version, s.name, s.alternate_name, s.description, s.url," \
	" s.email, s.status, s.interpretation_services," \
	" s.application_process, s.fees_description, s.wait_time," \
	" s.accreditations, s.eligibility_description, s.alert," \
	" s.minimum_age, s.maximum_age, s.organization_id, o.name," \
	" o.description, o.website, o.email, s.local, ad.display_name," \
	" s.added_at, vf.display_name, s.verified_at"
#define SERVICE_FROM \
	" FROM dir_service s" \
	" LEFT JOIN dir_organization o ON o.id = s.organization_id" \
	" LEFT JOIN staff ad ON ad.id = s.added_by" \
	" LEFT JOIN staff vf ON vf.id = s.verified_by"
#define SERVICE_NCOLS	27

static void
service_row(struct db_stmt *st, int base, struct resource *r)
{
	int i;

	snprintf(r->id, sizeof r->id, "%s", db_col_text(st, base));
	r->version = db_col_int(st, base + 1);
	for (i = 0; i < RT__COUNT; i++)
		r->text[i] = db_col_dup(st, base + 2 + i);
	r->minimum_age = col_int_or(st, base + 15, -1);
	r->maximum_age = col_int_or(st, base + 16, -1);
	snprintf(r->organization_id, sizeof r->organization_id, "%s",
	    db_col_is_null(st, base + 17) ? "" : db_col_text(st, base + 17));
	r->organization_name = db_col_dup(st, base + 18);
	r->organization_description = db_col_dup(st, base + 19);
	r->organization_website = db_col_dup(st, base + 20);
	r->organization_email = db_col_dup(st, base + 21);
	r->local = (int)db_col_int(st, base + 22);
	r->added_by_name = db_col_dup(st, base + 23);
	r->added_at = db_col_int(st, base + 24);
	r->verified_by_name = db_col_dup(st, base + 25);
	r->verified_at = col_int_or(st, base + 26, 0);
	r->stale = is_stale(r->added_at, r->verified_at);
	r->open_now = -1;
}

static enum err
may(const struct actor *a, enum policy_action act)
{
	return policy_check(a, act, NULL);
}

enum err
resource_get(struct db *db, const struct actor *a, const char *id,
    struct resource *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(out, 0, sizeof *out);
	if ((e = may(a, POL_RESOURCE_READ)) != ERR_OK)
		return e;
	if (id == NULL || !uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT " SERVICE_COLS SERVICE_FROM " WHERE s.id = $1",
	    &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		service_row(st, 0, out);
	else if (e == ERR_OK)
		e = ERR_NOT_FOUND;
	db_done(st);
	if (e == ERR_OK)
		e = load_parts(db, out, 1, NULL, 1);
out:
	if (e == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e != ERR_OK)
		resource_clear(out);
	return e;
}

/* Reads "lat,lon" in degrees. */
static int
parse_point(const char *s, int64_t *lat, int64_t *lon)
{
	char *end;
	double a, b;

	if (s == NULL || strlen(s) > 64 || !(isdigit((unsigned char)*s) ||
	    *s == '-' || *s == '+'))
		return 0;
	a = strtod(s, &end);
	if (end == s || *end != ',')
		return 0;
	s = end + 1;
	while (*s == ' ')
		s++;
	b = strtod(s, &end);
	if (end == s || *end != '\0' || !(a >= -90 && a <= 90) ||
	    !(b >= -180 && b <= 180))
		return 0;
	*lat = (int64_t)llround(a * 1e6);
	*lon = (int64_t)llround(b * 1e6);
	return 1;
}

/* The middle of the directory's locations with this postal code. */
static enum err
postal_point(struct db *db, const char *code, struct resource_point *p)
{
	struct db_stmt *st;
	struct buf k;
	enum err e;
	int row;
	const char *c;

	buf_init(&k, 64);
	for (c = code; *c; c++)
		if (*c != ' ')
			buf_putc(&k, (char)toupper((unsigned char)*c));
	if ((e = db_prepare(db, "SELECT SUM(g.latitude_e6),"
	    " SUM(g.longitude_e6), COUNT(*) FROM dir_address ad"
	    " JOIN dir_location g ON g.id = ad.location_id"
	    " WHERE upper(replace(ad.postal_code, ' ', '')) = $1"
	    " AND g.latitude_e6 IS NOT NULL AND g.longitude_e6 IS NOT NULL",
	    &st)) != ERR_OK) {
		buf_free(&k);
		return e;
	}
	db_bind_text(st, 1, buf_cstr(&k));
	if ((e = db_step(st, &row)) == ERR_OK && row &&
	    db_col_int(st, 2) > 0) {
		p->set = 1;
		p->from_postal_code = 1;
		p->lat_e6 = db_col_int(st, 0) / db_col_int(st, 2);
		p->lon_e6 = db_col_int(st, 1) / db_col_int(st, 2);
	}
	db_done(st);
	buf_free(&k);
	return e;
}

struct words {
	char	tok[8][64];
	int	n;
};

static void
word(const char *tok, size_t len, void *arg)
{
	struct words *w = arg;

	if (w->n < 8 && len < sizeof w->tok[0]) {
		memcpy(w->tok[w->n], tok, len);
		w->tok[w->n][len] = '\0';
		w->n++;
	}
}

/* The English name of a language code, lower case, its first word
 * ("spanish" for es), for packages that name rather than code it. */
static void
language_word(const char *code, char out[64])
{
	const struct rules *rl = rules_get();
	int i;
	size_t j;

	out[0] = '\0';
	for (i = 0; i < rl->nlanguages; i++)
		if (strcmp(rl->languages[i].code, code) == 0)
			break;
	if (i == rl->nlanguages)
		return;
	for (j = 0; j < 63 && isalpha((unsigned char)rl->languages[i].label[j]);
	    j++)
		out[j] = (char)tolower((unsigned char)rl->languages[i].label[j]);
	out[j] = '\0';
}

/* Where a service's schedules are: its own, its own at one of its
 * places, or a place's. Three plain EXISTS rather than one with an OR
 * inside, so each reads its index on both backends. */
static const char *const schedule_sources[] = {
	"dir_schedule h WHERE h.service_id = s.id",
	"dir_service_at_location x JOIN dir_schedule h"
	" ON h.service_at_location_id = x.id WHERE x.service_id = s.id",
	"dir_service_at_location x JOIN dir_schedule h"
	" ON h.location_id = x.location_id AND h.service_id IS NULL"
	" AND h.service_at_location_id IS NULL WHERE x.service_id = s.id",
};

enum err
resource_search(struct db *db, const struct actor *a,
    const struct resource_query *q, struct verr *v, struct resource **out,
    int *n, int *more, struct resource_point *from)
{
	struct buf sql, folded;
	struct words w;
	struct db_stmt *st = NULL;
	char day[3], today[11], lang[16], langword[64], like[80];
	const char *binds[32];
	int nb = 0, minutes, row, i, cap = 0, limit = 25;
	int64_t r2 = 0, box_lat = 0, box_lon = 0, coslat_e6 = 1000000;
	enum err e;

	*out = NULL;
	*n = 0;
	*more = 0;
	memset(from, 0, sizeof *from);
	memset(&w, 0, sizeof w);
	if ((e = may(a, POL_RESOURCE_READ)) != ERR_OK)
		return e;
	buf_init(&folded, 4096);
	if (q->q != NULL && text_fold(q->q, &folded) == ERR_OK)
		text_tokens(buf_cstr(&folded), 8, word, &w);
	buf_free(&folded);
	if (q->category != NULL && resource_category_find(
	    &rules_get()->resources, q->category) == NULL)
		verr_add(v, "category", "is not one of the directory's "
		    "categories");
	lang[0] = '\0';
	if (q->language != NULL) {
		size_t k;

		for (k = 0; q->language[k] && k < sizeof lang - 1; k++)
			lang[k] = (char)tolower((unsigned char)q->language[k]);
		lang[k] = '\0';
		if (k == 0 || k > 12 || q->language[k] != '\0')
			verr_add(v, "language", "must be a language code "
			    "such as es");
		language_word(lang, langword);
	}
	if (v->n)
		return ERR_INVALID;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if (q->near != NULL) {
		if (parse_point(q->near, &from->lat_e6, &from->lon_e6))
			from->set = 1;
		else if ((e = postal_point(db, q->near, from)) != ERR_OK)
			goto out;
		if (!from->set) {
			verr_add(v, "near", "must be latitude,longitude or a "
			    "postal code a location in the directory has");
			e = ERR_INVALID;
			goto out;
		}
	}
	buf_init(&sql, 8192);
	buf_puts(&sql, "SELECT * FROM (SELECT " SERVICE_COLS);
	if (from->set) {
		double km = q->radius_km > 0 ? q->radius_km : 25;
		double c = cos((double)from->lat_e6 / 1e6 * 3.14159265358979 /
		    180);

		coslat_e6 = (int64_t)(c * 1e6);
		box_lat = (int64_t)(km / 111.195 * 1e6);
		box_lon = c > 0.01 ? (int64_t)(km / 111.195 / c * 1e6) :
		    180000000;
		r2 = box_lat * box_lat;
		/* The squared distance, in millionths of a degree of
		 * latitude, of the nearest location inside the box. */
		buf_puts(&sql, ", (SELECT MIN(((g.longitude_e6 - $LON) * $COS"
		    " / 1000000) * ((g.longitude_e6 - $LON) * $COS / 1000000)"
		    " + (g.latitude_e6 - $LAT) * (g.latitude_e6 - $LAT))"
		    " FROM dir_service_at_location x JOIN dir_location g"
		    " ON g.id = x.location_id WHERE x.service_id = s.id"
		    " AND g.latitude_e6 BETWEEN $LAT - $BLAT AND $LAT + $BLAT"
		    " AND g.longitude_e6 BETWEEN $LON - $BLON AND"
		    " $LON + $BLON) AS d2");
	}
	buf_puts(&sql, SERVICE_FROM " WHERE 1 = 1");
	if (!q->any_status)
		buf_puts(&sql, " AND s.status = 'active'");
	if (q->local_only)
		buf_puts(&sql, " AND s.local = 1");
	for (i = 0; i < w.n; i++) {
		buf_printf(&sql, " AND s.search_text LIKE $%d", nb + 1);
		snprintf(like, sizeof like, "%% %s%%", w.tok[i]);
		binds[nb++] = xstrdup(like);
	}
	if (q->category != NULL) {
		buf_printf(&sql, " AND EXISTS (SELECT 1 FROM dir_attribute at"
		    " JOIN dir_taxonomy_term t ON t.id = at.taxonomy_term_id"
		    " WHERE at.link_id = s.id AND t.code = $%d)", nb + 1);
		binds[nb++] = xstrdup(q->category);
	}
	if (lang[0]) {
		/* Two plain EXISTS, not one with an OR inside: each then
		 * reads its own index on both backends. */
		buf_printf(&sql, " AND (EXISTS (SELECT 1 FROM dir_language l"
		    " WHERE l.service_id = s.id AND (lower(l.code) = $%d"
		    " OR lower(l.name) LIKE $%d)) OR EXISTS (SELECT 1 FROM"
		    " dir_service_at_location x JOIN dir_language l"
		    " ON l.location_id = x.location_id WHERE x.service_id = s.id"
		    " AND (lower(l.code) = $%d OR lower(l.name) LIKE $%d)))",
		    nb + 1, nb + 2, nb + 1, nb + 2);
		binds[nb++] = xstrdup(lang);
		snprintf(like, sizeof like, "%s%%", langword[0] ? langword :
		    "\x01");
		binds[nb++] = xstrdup(like);
	}
	if (q->open_now) {
		local_now(&minutes, day, today);
		/* A weekly schedule in force today whose hours hold this
		 * minute (times are zero-padded, so text compares them). */
		for (i = 0; i < 3; i++)
			buf_printf(&sql, "%s EXISTS (SELECT 1 FROM %s"
			    " AND (h.freq IS NULL OR h.freq = 'WEEKLY')"
			    " AND h.byday LIKE $%d"
			    " AND (h.valid_from IS NULL OR h.valid_from <= $%d)"
			    " AND (h.valid_to IS NULL OR h.valid_to >= $%d)"
			    " AND ((h.opens_at < h.closes_at AND h.opens_at <= $%d"
			    " AND h.closes_at > $%d) OR (h.closes_at <= h.opens_at"
			    " AND (h.opens_at <= $%d OR h.closes_at > $%d))))%s",
			    i == 0 ? " AND (" : " OR", schedule_sources[i], nb + 1, nb + 2,
			    nb + 2, nb + 3, nb + 3, nb + 3, nb + 3,
			    i == 2 ? ")" : "");
		snprintf(like, sizeof like, "%%%s%%", day);
		binds[nb++] = xstrdup(like);
		binds[nb++] = xstrdup(today);
		snprintf(like, sizeof like, "%02d:%02d", minutes / 60,
		    minutes % 60);
		binds[nb++] = xstrdup(like);
	}
	if (from->set)
		/* Only services with a place in the box: the latitude index
		 * finds them, so the distance is worked out for few. */
		buf_puts(&sql, " AND s.id IN (SELECT x.service_id FROM"
		    " dir_service_at_location x JOIN dir_location g"
		    " ON g.id = x.location_id"
		    " WHERE g.latitude_e6 BETWEEN $LAT - $BLAT AND $LAT + $BLAT"
		    " AND g.longitude_e6 BETWEEN $LON - $BLON AND $LON + $BLON)");
	buf_puts(&sql, ") z");
	if (from->set)
		buf_printf(&sql, " WHERE d2 IS NOT NULL AND d2 <= %lld"
		    " ORDER BY d2, 3, 1", (long long)r2);
	else
		buf_puts(&sql, " ORDER BY 3, 1");
	{
		/* Positional numbers for the point's parameters. */
		struct buf fin;
		const char *c = buf_cstr(&sql);

		buf_init(&fin, 16384);
		while (*c) {
			if (strncmp(c, "$LAT", 4) == 0 && c[4] != '_') {
				buf_printf(&fin, "$%d", nb + 1);
				c += 4;
			} else if (strncmp(c, "$LON", 4) == 0) {
				buf_printf(&fin, "$%d", nb + 2);
				c += 4;
			} else if (strncmp(c, "$COS", 4) == 0) {
				buf_printf(&fin, "$%d", nb + 3);
				c += 4;
			} else if (strncmp(c, "$BLAT", 5) == 0) {
				buf_printf(&fin, "$%d", nb + 4);
				c += 5;
			} else if (strncmp(c, "$BLON", 5) == 0) {
				buf_printf(&fin, "$%d", nb + 5);
				c += 5;
			} else
				buf_putc(&fin, *c++);
		}
		limit = q->limit > 0 ? q->limit : 25;
		buf_printf(&fin, " LIMIT %d OFFSET %d", limit + 1,
		    q->offset > 0 ? q->offset : 0);
		e = db_prepare(db, db_intern(buf_cstr(&fin)), &st);
		buf_free(&fin);
	}
	buf_free(&sql);
	if (e != ERR_OK)
		goto out;
	for (i = 0; i < nb; i++)
		db_bind_text(st, i + 1, binds[i]);
	if (from->set) {
		db_bind_int(st, nb + 1, from->lat_e6);
		db_bind_int(st, nb + 2, from->lon_e6);
		db_bind_int(st, nb + 3, coslat_e6);
		db_bind_int(st, nb + 4, box_lat);
		db_bind_int(st, nb + 5, box_lon);
	}
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (*n == limit) {
			*more = 1;
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		memset(&(*out)[*n], 0, sizeof **out);
		service_row(st, 0, &(*out)[(*n)++]);
	}
	db_done(st);
	if (e == ERR_OK)
		e = load_parts(db, *out, *n, from, 0);
out:
	for (i = 0; i < nb; i++)
		free((char *)binds[i]);
	if (e == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e != ERR_OK) {
		resources_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

/* ---------------------------------------------------------------- */
/* Changes */

/* The longest each text field may be, in characters, and whether it may
 * hold line breaks. */
static const struct {
	size_t	max;
	int	multiline;
} text_rule[RT__COUNT] = {
	[RT_NAME] = { RESOURCE_NAME_MAX, 0 },
	[RT_ALTERNATE_NAME] = { RESOURCE_NAME_MAX, 0 },
	[RT_DESCRIPTION] = { RESOURCE_TEXT_MAX, 1 },
	[RT_URL] = { 2000, 0 },
	[RT_EMAIL] = { 254, 0 },
	[RT_STATUS] = { 40, 0 },
	[RT_INTERPRETATION] = { RESOURCE_TEXT_MAX, 1 },
	[RT_APPLICATION] = { RESOURCE_TEXT_MAX, 1 },
	[RT_FEES] = { RESOURCE_TEXT_MAX, 1 },
	[RT_WAIT_TIME] = { RESOURCE_SHORT_MAX, 0 },
	[RT_ACCREDITATIONS] = { RESOURCE_TEXT_MAX, 1 },
	[RT_ELIGIBILITY] = { RESOURCE_TEXT_MAX, 1 },
	[RT_ALERT] = { RESOURCE_TEXT_MAX, 1 },
};

static const char *const statuses[] = { "active", "inactive", "defunct",
    "temporarily closed", NULL };

static int
language_known(const char *code)
{
	const struct rules *rl = rules_get();

	return rules_has(rl->languages, rl->nlanguages, code);
}

static const char *
language_label(const char *code)
{
	const struct rules *rl = rules_get();
	int i;

	for (i = 0; i < rl->nlanguages; i++)
		if (strcmp(rl->languages[i].code, code) == 0)
			return rl->languages[i].label;
	return NULL;
}

static void
check_input(const struct resource_input *in, int create, struct verr *v)
{
	const struct resource_rules *rr = &rules_get()->resources;
	const char *s;
	char field[64];
	int i, j;

	for (i = 0; i < RT__COUNT; i++)
		check_text(v, text_keys[i], in->text[i], text_rule[i].max,
		    (text_rule[i].multiline ? CHECK_MULTILINE : 0) |
		    (create && i == RT_NAME ? CHECK_REQUIRED : 0));
	if (!create && in->text[RT_NAME] != NULL &&
	    text_blank(in->text[RT_NAME]))
		verr_add(v, "name", "is required");
	if ((s = in->text[RT_STATUS]) != NULL && *s) {
		for (i = 0; statuses[i] != NULL; i++)
			if (strcmp(statuses[i], s) == 0)
				break;
		if (statuses[i] == NULL)
			verr_add(v, "status", "must be active, inactive, "
			    "defunct or temporarily closed");
	}
	if ((s = in->text[RT_URL]) != NULL && *s &&
	    strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		verr_add(v, "url", "must start with https:// or http://");
	if ((s = in->text[RT_EMAIL]) != NULL && *s && (strchr(s, '@') ==
	    NULL || strchr(s, ' ') != NULL))
		verr_add(v, "email", "must be an email address");
	if (in->has_minimum_age && (in->minimum_age < -1 ||
	    in->minimum_age > 150))
		verr_add(v, "minimum_age", "must be from 0 to 150");
	if (in->has_maximum_age && (in->maximum_age < -1 ||
	    in->maximum_age > 150))
		verr_add(v, "maximum_age", "must be from 0 to 150");
	if (in->has_minimum_age && in->has_maximum_age &&
	    in->minimum_age >= 0 && in->maximum_age >= 0 &&
	    in->minimum_age > in->maximum_age)
		verr_add(v, "maximum_age", "must not be below minimum_age");
	if (create && in->organization_id == NULL)
		check_text(v, "organization_name", in->organization_name,
		    RESOURCE_NAME_MAX, 0);
	if (in->organization_id != NULL && !uuid_valid(in->organization_id))
		verr_add(v, "organization_id", "must be an organisation's id");
	if (create && (in->categories == NULL || in->ncategories == 0))
		verr_add(v, "categories", "must name at least one category");
	if (in->categories != NULL && in->ncategories == 0 && !create)
		verr_add(v, "categories", "must name at least one category");
	for (i = 0; in->categories != NULL && i < in->ncategories; i++) {
		snprintf(field, sizeof field, "categories[%d]", i);
		if (resource_category_find(rr, in->categories[i]) == NULL)
			verr_add(v, field, "is not one of the directory's "
			    "categories");
		for (j = 0; j < i; j++)
			if (strcmp(in->categories[i], in->categories[j]) == 0)
				verr_add(v, field, "is named twice");
	}
	for (i = 0; in->languages != NULL && i < in->nlanguages; i++) {
		snprintf(field, sizeof field, "languages[%d]", i);
		if (!language_known(in->languages[i]))
			verr_add(v, field, "is not a language code of the "
			    "language list");
		for (j = 0; j < i; j++)
			if (strcmp(in->languages[i], in->languages[j]) == 0)
				verr_add(v, field, "is named twice");
	}
	if (in->phone != NULL && *in->phone)
		check_phone(v, "phone", in->phone, 0);
	if (in->has_location) {
		check_text(v, "location.name", in->location_name,
		    RESOURCE_NAME_MAX, 0);
		check_text(v, "location.address_1", in->address_1,
		    RESOURCE_SHORT_MAX, CHECK_REQUIRED);
		check_text(v, "location.address_2", in->address_2,
		    RESOURCE_SHORT_MAX, 0);
		check_text(v, "location.city", in->city, 100, CHECK_REQUIRED);
		check_text(v, "location.state_province", in->state_province,
		    100, CHECK_REQUIRED);
		check_text(v, "location.postal_code", in->postal_code, 20,
		    CHECK_REQUIRED);
		check_text(v, "location.transportation", in->transportation,
		    RESOURCE_TEXT_MAX, CHECK_MULTILINE);
		if (in->country != NULL && *in->country &&
		    (strlen(in->country) != 2 ||
		    !isupper((unsigned char)in->country[0]) ||
		    !isupper((unsigned char)in->country[1])))
			verr_add(v, "location.country", "must be a two-letter "
			    "country code such as US");
		if (in->has_point && (in->lat_e6 < -90000000 ||
		    in->lat_e6 > 90000000))
			verr_add(v, "location.latitude", "must be from -90 to "
			    "90");
		if (in->has_point && (in->lon_e6 < -180000000 ||
		    in->lon_e6 > 180000000))
			verr_add(v, "location.longitude", "must be from -180 "
			    "to 180");
	}
	for (i = 0; in->schedules != NULL && i < in->nschedules; i++) {
		const struct resource_schedule *h = &in->schedules[i];

		snprintf(field, sizeof field, "schedules[%d].byday", i);
		if (!resource_byday_valid(h->byday))
			verr_add(v, field, "must list days as MO,TU,WE,TH,FR,"
			    "SA,SU");
		snprintf(field, sizeof field, "schedules[%d].opens_at", i);
		if (!resource_time_valid(h->opens_at))
			verr_add(v, field, "must be a time such as 09:00");
		snprintf(field, sizeof field, "schedules[%d].closes_at", i);
		if (!resource_time_valid(h->closes_at))
			verr_add(v, field, "must be a time such as 17:00");
		else if (resource_time_valid(h->opens_at) &&
		    strcmp(h->opens_at, h->closes_at) == 0)
			verr_add(v, field, "must differ from opens_at");
		snprintf(field, sizeof field, "schedules[%d].description", i);
		check_text(v, field, h->description, RESOURCE_SHORT_MAX, 0);
	}
}

static const char *
nz(const char *s)
{
	return s != NULL && *s ? s : NULL;
}

/* Runs sql with one parameter, $1 = id. */
static enum err
run_id(struct db *db, const char *sql, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* Writes the service's categories, languages, phone, location and
 * schedules that in names, replacing what it had of each. */
static enum err
write_parts(struct db *db, const char *id, const char *org_id,
    const struct resource_input *in)
{
	const struct resource_rules *rr = &rules_get()->resources;
	struct db_stmt *st;
	char nid[37], lid[37];
	enum err e = ERR_OK;
	int i, row;

	if (in->categories != NULL) {
		/* Terms whose code is a category's go; others stay. */
		char (*drop)[37] = NULL;
		int ndrop = 0;

		if ((e = db_prepare(db, "SELECT a.id, t.code FROM dir_attribute a"
		    " JOIN dir_taxonomy_term t ON t.id = a.taxonomy_term_id"
		    " WHERE a.link_id = $1", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		while ((e = db_step(st, &row)) == ERR_OK && row)
			if (resource_category_find(rr, db_col_text(st, 1))) {
				drop = xreallocarray(drop, ndrop + 1,
				    sizeof *drop);
				snprintf(drop[ndrop++], 37, "%s",
				    db_col_text(st, 0));
			}
		db_done(st);
		for (i = 0; e == ERR_OK && i < ndrop; i++)
			e = db_set_text(db, "DELETE FROM dir_attribute"
			    " WHERE link_id = $1 AND id = $2", id, drop[i]);
		free(drop);
		for (i = 0; e == ERR_OK && i < in->ncategories; i++) {
			const struct resource_category *c =
			    resource_category_find(rr, in->categories[i]);

			if ((e = db_prepare(db, "INSERT INTO dir_attribute (id,"
			    " link_id, taxonomy_term_id, link_type, link_entity)"
			    " VALUES ($1, $2, $3, 'category', 'service')",
			    &st)) != ERR_OK)
				return e;
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, id);
			db_bind_text(st, 3, c->term_id);
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	if (e == ERR_OK && in->languages != NULL) {
		if ((e = run_id(db, "DELETE FROM dir_language WHERE"
		    " service_id = $1", id)) != ERR_OK)
			return e;
		for (i = 0; e == ERR_OK && i < in->nlanguages; i++) {
			if ((e = db_prepare(db, "INSERT INTO dir_language (id,"
			    " service_id, name, code) VALUES ($1, $2, $3, $4)",
			    &st)) != ERR_OK)
				return e;
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, id);
			db_bind_text(st, 3, language_label(in->languages[i]));
			db_bind_text(st, 4, in->languages[i]);
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	if (e == ERR_OK && in->phone != NULL) {
		if ((e = run_id(db, "UPDATE dir_language SET phone_id = NULL"
		    " WHERE phone_id IN (SELECT id FROM dir_phone WHERE"
		    " service_id = $1)", id)) != ERR_OK ||
		    (e = run_id(db, "DELETE FROM dir_phone WHERE"
		    " service_id = $1", id)) != ERR_OK)
			return e;
		if (nz(in->phone) != NULL) {
			if ((e = db_prepare(db, "INSERT INTO dir_phone (id,"
			    " service_id, number, type) VALUES ($1, $2, $3,"
			    " 'voice')", &st)) != ERR_OK)
				return e;
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, id);
			db_bind_text(st, 3, in->phone);
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	if (e == ERR_OK && (in->has_location || in->location_cleared)) {
		/* The service leaves its old places; the places stay for
		 * whatever else is there. */
		if ((e = run_id(db, "DELETE FROM dir_schedule WHERE"
		    " service_at_location_id IN (SELECT id FROM"
		    " dir_service_at_location WHERE service_id = $1)",
		    id)) != ERR_OK ||
		    (e = run_id(db, "UPDATE dir_language SET phone_id = NULL"
		    " WHERE phone_id IN (SELECT p.id FROM dir_phone p JOIN"
		    " dir_service_at_location x ON x.id ="
		    " p.service_at_location_id WHERE x.service_id = $1)",
		    id)) != ERR_OK ||
		    (e = run_id(db, "DELETE FROM dir_phone WHERE"
		    " service_at_location_id IN (SELECT id FROM"
		    " dir_service_at_location WHERE service_id = $1)",
		    id)) != ERR_OK ||
		    (e = run_id(db, "DELETE FROM dir_service_at_location"
		    " WHERE service_id = $1", id)) != ERR_OK)
			return e;
	}
	if (e == ERR_OK && in->has_location) {
		uuid_v7(lid);
		if ((e = db_prepare(db, "INSERT INTO dir_location (id,"
		    " organization_id, location_type, name, transportation,"
		    " latitude_e6, longitude_e6) VALUES ($1, $2, 'physical',"
		    " $3, $4, $5, $6)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, lid);
		db_bind_text(st, 2, org_id);
		db_bind_text(st, 3, nz(in->location_name));
		db_bind_text(st, 4, nz(in->transportation));
		if (in->has_point) {
			db_bind_int(st, 5, in->lat_e6);
			db_bind_int(st, 6, in->lon_e6);
		} else {
			db_bind_null(st, 5);
			db_bind_null(st, 6);
		}
		e = db_run(st, NULL);
		db_done(st);
		if (e == ERR_OK && (e = db_prepare(db, "INSERT INTO dir_address"
		    " (id, location_id, address_1, address_2, city,"
		    " state_province, postal_code, country, address_type)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'physical')",
		    &st)) == ERR_OK) {
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, lid);
			db_bind_text(st, 3, in->address_1);
			db_bind_text(st, 4, nz(in->address_2));
			db_bind_text(st, 5, in->city);
			db_bind_text(st, 6, in->state_province);
			db_bind_text(st, 7, in->postal_code);
			db_bind_text(st, 8, nz(in->country) ? in->country :
			    "US");
			e = db_run(st, NULL);
			db_done(st);
		}
		if (e == ERR_OK && (e = db_prepare(db, "INSERT INTO"
		    " dir_service_at_location (id, service_id, location_id)"
		    " VALUES ($1, $2, $3)", &st)) == ERR_OK) {
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, id);
			db_bind_text(st, 3, lid);
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	if (e == ERR_OK && in->schedules != NULL) {
		if ((e = run_id(db, "DELETE FROM dir_schedule WHERE"
		    " service_id = $1", id)) != ERR_OK)
			return e;
		for (i = 0; e == ERR_OK && i < in->nschedules; i++) {
			const struct resource_schedule *h = &in->schedules[i];

			if ((e = db_prepare(db, "INSERT INTO dir_schedule (id,"
			    " service_id, freq, byday, opens_at, closes_at,"
			    " description) VALUES ($1, $2, 'WEEKLY', $3, $4,"
			    " $5, $6)", &st)) != ERR_OK)
				return e;
			uuid_v7(nid);
			db_bind_text(st, 1, nid);
			db_bind_text(st, 2, id);
			db_bind_text(st, 3, h->byday);
			db_bind_text(st, 4, h->opens_at);
			db_bind_text(st, 5, h->closes_at);
			db_bind_text(st, 6, nz(h->description));
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	return e;
}

static enum err
organization_exists(struct db *db, const char *id, int *exists)
{
	struct db_stmt *st;
	enum err e;

	*exists = 0;
	if ((e = db_prepare(db, "SELECT 1 FROM dir_organization WHERE id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_step(st, exists);
	db_done(st);
	return e;
}

static enum err
finish(struct db *db, const struct actor *a, const char *id,
    const char *action, enum err e, struct resource *out)
{
	if (e == ERR_OK)
		e = audit_actor(db, a, NULL, "resource", id, action, "success",
		    NULL);
	if (e == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e == ERR_OK && out != NULL)
		e = resource_get(db, a, id, out);
	return e;
}

enum err
resource_create(struct db *db, const struct actor *a,
    const struct resource_input *in, struct verr *v, struct resource *out)
{
	struct db_stmt *st;
	char id[37], org[37];
	int64_t now = time_now_ms();
	enum err e;
	int i, exists;

	memset(out, 0, sizeof *out);
	if ((e = may(a, POL_RESOURCE_WRITE)) != ERR_OK)
		return e;
	check_input(in, 1, v);
	if (v->n)
		return ERR_INVALID;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if (in->organization_id != NULL) {
		snprintf(org, sizeof org, "%s", in->organization_id);
		if ((e = organization_exists(db, org, &exists)) == ERR_OK &&
		    !exists) {
			verr_add(v, "organization_id", "names no organisation "
			    "in the directory");
			e = ERR_INVALID;
		}
	} else {
		uuid_v7(org);
		/* HSDS requires an organisation's description: staff name
		 * the organisation only, so the service's words (or the
		 * name) stand in until someone writes one. */
		const char *oname = nz(in->organization_name) ?
		    in->organization_name : in->text[RT_NAME];

		if ((e = db_prepare(db, "INSERT INTO dir_organization (id, name,"
		    " description) VALUES ($1, $2, $3)", &st)) == ERR_OK) {
			db_bind_text(st, 1, org);
			db_bind_text(st, 2, oname);
			db_bind_text(st, 3, nz(in->text[RT_DESCRIPTION]) ?
			    in->text[RT_DESCRIPTION] : oname);
			e = db_run(st, NULL);
			db_done(st);
		}
	}
	uuid_v7(id);
	if (e == ERR_OK && (e = db_prepare(db, "INSERT INTO dir_service (id,"
	    " organization_id, name, alternate_name, description, url, email,"
	    " status, interpretation_services, application_process,"
	    " fees_description, wait_time, accreditations,"
	    " eligibility_description, alert, minimum_age, maximum_age, local,"
	    " added_by, added_at, verified_by, verified_at, version,"
	    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " $11, $12, $13, $14, $15, $16, $17, 1, $18, $19, $18, $19, 1,"
	    " $19)", &st)) == ERR_OK) {
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, org);
		for (i = 0; i < RT__COUNT; i++)
			db_bind_text(st, 3 + i, nz(in->text[i]));
		if (nz(in->text[RT_STATUS]) == NULL)
			db_bind_text(st, 3 + RT_STATUS, "active");
		if (in->has_minimum_age && in->minimum_age >= 0)
			db_bind_int(st, 16, in->minimum_age);
		else
			db_bind_null(st, 16);
		if (in->has_maximum_age && in->maximum_age >= 0)
			db_bind_int(st, 17, in->maximum_age);
		else
			db_bind_null(st, 17);
		db_bind_text(st, 18, a->id);
		db_bind_int(st, 19, now);
		e = db_run(st, NULL);
		db_done(st);
	}
	if (e == ERR_OK)
		e = write_parts(db, id, org, in);
	if (e == ERR_OK)
		e = resource_search_text_refresh(db, id);
	return finish(db, a, id, "create", e, out);
}

enum err
resource_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct resource_input *in, struct verr *v,
    struct resource *out)
{
	struct db_stmt *st;
	struct resource cur;
	const char *org = NULL;
	int64_t now = time_now_ms();
	enum err e;
	int i, row, exists;

	memset(out, 0, sizeof *out);
	memset(&cur, 0, sizeof cur);
	if ((e = may(a, POL_RESOURCE_WRITE)) != ERR_OK)
		return e;
	if (id == NULL || !uuid_valid(id))
		return ERR_NOT_FOUND;
	check_input(in, 0, v);
	if (v->n)
		return ERR_INVALID;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT " SERVICE_COLS SERVICE_FROM " WHERE s.id = $1",
	    &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		service_row(st, 0, &cur);
	else if (e == ERR_OK)
		e = ERR_NOT_FOUND;
	db_done(st);
	if (e != ERR_OK)
		goto out;
	if (cur.version != if_version) {
		e = ERR_STALE;
		out->version = cur.version;
		goto out;
	}
	org = cur.organization_id[0] ? cur.organization_id : NULL;
	if (in->organization_id != NULL) {
		if ((e = organization_exists(db, in->organization_id,
		    &exists)) != ERR_OK)
			goto out;
		if (!exists) {
			verr_add(v, "organization_id", "names no organisation "
			    "in the directory");
			e = ERR_INVALID;
			goto out;
		}
		org = in->organization_id;
	} else if (nz(in->organization_name) != NULL) {
		/* A new name for its organisation. */
		if (org != NULL)
			e = db_set_text(db, "UPDATE dir_organization SET"
			    " name = $1 WHERE id = $2", in->organization_name,
			    org);
		if (e != ERR_OK)
			goto out;
	}
	/* Fields left out keep their value. */
	for (i = 0; i < RT__COUNT; i++)
		if (in->text[i] != NULL) {
			free(cur.text[i]);
			cur.text[i] = nz(in->text[i]) ? xstrdup(in->text[i]) :
			    NULL;
		}
	if (cur.text[RT_STATUS] == NULL)
		cur.text[RT_STATUS] = xstrdup("active");
	if (in->has_minimum_age)
		cur.minimum_age = in->minimum_age;
	if (in->has_maximum_age)
		cur.maximum_age = in->maximum_age;
	if (cur.minimum_age >= 0 && cur.maximum_age >= 0 &&
	    cur.minimum_age > cur.maximum_age) {
		verr_add(v, "maximum_age", "must not be below minimum_age");
		e = ERR_INVALID;
		goto out;
	}
	if ((e = db_prepare(db, "UPDATE dir_service SET organization_id = $2,"
	    " name = $3, alternate_name = $4, description = $5, url = $6,"
	    " email = $7, status = $8, interpretation_services = $9,"
	    " application_process = $10, fees_description = $11,"
	    " wait_time = $12, accreditations = $13,"
	    " eligibility_description = $14, alert = $15, minimum_age = $16,"
	    " maximum_age = $17, version = version + 1, updated_at = $18"
	    " WHERE id = $1", &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, org);
	for (i = 0; i < RT__COUNT; i++)
		db_bind_text(st, 3 + i, cur.text[i]);
	if (cur.minimum_age >= 0)
		db_bind_int(st, 16, cur.minimum_age);
	else
		db_bind_null(st, 16);
	if (cur.maximum_age >= 0)
		db_bind_int(st, 17, cur.maximum_age);
	else
		db_bind_null(st, 17);
	db_bind_int(st, 18, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = write_parts(db, id, org, in);
	if (e == ERR_OK)
		e = resource_search_text_refresh(db, id);
	resource_clear(&cur);
	return finish(db, a, id, "update", e, out);
out:
	resource_clear(&cur);
	db_rollback(db);
	return e;
}

enum err
resource_verify(struct db *db, const struct actor *a, const char *id,
    struct resource *out)
{
	struct db_stmt *st;
	int64_t changed = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = may(a, POL_RESOURCE_WRITE)) != ERR_OK)
		return e;
	if (id == NULL || !uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	/* A check is not an edit: the version stays. */
	if ((e = db_prepare(db, "UPDATE dir_service SET verified_by = $1,"
	    " verified_at = $2 WHERE id = $3", &st)) == ERR_OK) {
		db_bind_text(st, 1, a->id);
		db_bind_int(st, 2, time_now_ms());
		db_bind_text(st, 3, id);
		e = db_run(st, &changed);
		db_done(st);
	}
	if (e == ERR_OK && changed == 0)
		e = ERR_NOT_FOUND;
	return finish(db, a, id, "verify", e, out);
}
