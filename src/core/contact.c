#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/contact.h"
#include "core/plan.h"
#include "core/record.h"
#include "core/rules.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

void
note_rules_clear(struct note_rules *n)
{
	int i;

	free(n->version);
	for (i = 0; i < n->ndeadlines; i++) {
		free(n->deadlines[i].type);
		free(n->deadlines[i].rule);
	}
	free(n->deadlines);
	for (i = 0; i < n->nrequired; i++)
		free(n->required[i].type);
	free(n->required);
	free(n->required_rule);
	free(n->cosign_rule);
	free(n->holidays);
	memset(n, 0, sizeof *n);
}

void
contact_clear(struct contact_rec *c)
{
	int i;

	free(c->type);
	free(c->service_date);
	free(c->setting);
	free(c->location);
	free(c->program);
	free(c->intervention);
	free(c->response);
	free(c->next_steps);
	free(c->author_id);
	free(c->author_name);
	free(c->credential);
	free(c->status);
	free(c->cosigned_by);
	free(c->cosigner_name);
	free(c->group_session_id);
	free(c->group_id);
	free(c->group_name);
	free(c->group_curriculum);
	free(c->group_topic);
	free(c->rules_version);
	free(c->billing_code);
	free(c->modifiers);
	free(c->place_of_service);
	free(c->not_billable);
	free(c->billing_version);
	free(c->goals);
	for (i = 0; i < c->naddenda; i++) {
		free(c->addenda[i].body);
		free(c->addenda[i].author_id);
		free(c->addenda[i].author_name);
	}
	free(c->addenda);
	for (i = 0; i < c->ncomments; i++) {
		free(c->comments[i].body);
		free(c->comments[i].typed_name);
		free(c->comments[i].recorded_by);
	}
	free(c->comments);
	memset(c, 0, sizeof *c);
}

void
contact_summaries_free(struct contact_summary *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].person_name);
		free(s[i].type);
		free(s[i].status);
		free(s[i].author_name);
		free(s[i].credential);
	}
	free(s);
}

static enum err
deny(struct db *db, const struct actor *a, const char *person_id,
    const char *object_id, const char *action, enum err e)
{
	return record_deny(db, a, person_id, "contact", object_id, action, e);
}

static enum err
records_allowed(struct db *db, const struct actor *a, const char *id,
    const char *action)
{
	return record_allowed(db, a, "contact", NULL, id, action);
}

/* ---- deadlines ---------------------------------------------------- */

static int
is_holiday(const struct note_rules *n, struct date d)
{
	char s[11];
	int lo = 0, hi = n->nholidays - 1;

	date_format(d, s);
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(n->holidays[mid], s);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

static int
business_day(const struct note_rules *n, struct date d)
{
	int wd = (int)((date_to_days(d) % 7 + 7 + 4) % 7);	/* 0 Sunday */

	return wd != 0 && wd != 6 && !is_holiday(n, d);
}

/* The end of the day that is days business days after d: the last
 * millisecond before the next day starts, in the organisation's zone. */
static int64_t
after_business_days(const struct note_rules *n, struct date d, int days)
{
	while (days > 0) {
		d = date_add_days(d, 1);
		if (business_day(n, d))
			days--;
	}
	return time_day_start_ms(date_add_days(d, 1)) - 1;
}

static const struct note_deadline *
deadline_for(const struct note_rules *n, const char *type)
{
	int i;

	for (i = 1; type != NULL && i < n->ndeadlines; i++)
		if (strcmp(n->deadlines[i].type, type) == 0)
			return &n->deadlines[i];
	return n->ndeadlines ? &n->deadlines[0] : NULL;
}

int64_t
contact_due_at(const char *type, int64_t ended_at)
{
	const struct note_rules *n = &rules_get()->notes;
	const struct note_deadline *d = deadline_for(n, type);

	if (d == NULL)
		return ended_at;
	if (d->hours > 0)
		return ended_at + (int64_t)d->hours * 3600000;
	return after_business_days(n, time_date_of(ended_at),
	    d->business_days);
}

/* The elements a note of type needs before it is signed. */
static unsigned
required_for(const char *type, int billed)
{
	const struct note_rules *n = &rules_get()->notes;
	unsigned need = n->nrequired ? n->required[0].elements : 0;
	int i;

	for (i = 1; type != NULL && i < n->nrequired; i++)
		if (strcmp(n->required[i].type, type) == 0)
			need = n->required[i].elements;
	if (billed)
		need |= n->billable_elements;
	return need;
}

static unsigned
missing_of(const struct contact_rec *c)
{
	const struct billing_type *t = billing_type_find(&rules_get()->billing,
	    c->type);
	unsigned need = required_for(c->type, t && t->billing_code), m = 0;

	if ((need & NOTE_EL_LOCATION) && text_blank(c->location) &&
	    c->setting == NULL)
		m |= NOTE_EL_LOCATION;
	if ((need & NOTE_EL_INTERVENTION) && text_blank(c->intervention))
		m |= NOTE_EL_INTERVENTION;
	if ((need & NOTE_EL_RESPONSE) && text_blank(c->response))
		m |= NOTE_EL_RESPONSE;
	if ((need & NOTE_EL_NEXT_STEPS) && text_blank(c->next_steps))
		m |= NOTE_EL_NEXT_STEPS;
	if ((need & NOTE_EL_GOALS) && c->ngoals == 0)
		m |= NOTE_EL_GOALS;
	return m;
}

/* ---- reading ------------------------------------------------------ */

#define CONTACT_COLS "c.id, c.version, c.person_id, p.team_id, c.type," \
	" c.started_at, c.ended_at, c.minutes, c.service_date, c.setting," \
	" c.location, c.program, c.person_at_home, c.intervention," \
	" c.response, c.next_steps, c.written_together, c.staff_id," \
	" s.display_name, c.credential, c.status, c.due_at, c.signed_at," \
	" c.late, c.cosign_required, c.cosign_due_at, c.cosigned_by," \
	" cs.display_name, c.cosigned_at, c.group_session_id," \
	" c.rules_version, c.billing_code, c.modifiers, c.place_of_service," \
	" c.units, c.billable, c.not_billable, c.billing_version," \
	" c.created_at, c.updated_at, c.group_size, c.group_facilitators" \
	" FROM contact c JOIN person p ON p.id = c.person_id" \
	" JOIN staff s ON s.id = c.staff_id" \
	" LEFT JOIN staff cs ON cs.id = c.cosigned_by"

/* Fills c from a row of CONTACT_COLS; an error when a sealed element of
 * the note does not open (c then holds what did, for contact_clear()). */
static enum err
fill(struct db_stmt *st, struct contact_rec *c)
{
	enum err e = ERR_OK;

	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", db_col_text(st, 0));
	c->version = db_col_int(st, 1);
	snprintf(c->person_id, sizeof c->person_id, "%s", db_col_text(st, 2));
	snprintf(c->team_id, sizeof c->team_id, "%s", db_col_text(st, 3));
	c->type = db_col_dup(st, 4);
	c->started_at = db_col_int(st, 5);
	c->ended_at = db_col_int(st, 6);
	c->minutes = (int)db_col_int(st, 7);
	c->service_date = db_col_dup(st, 8);
	c->setting = db_col_dup(st, 9);
	c->location = db_col_unsealed(st, 10, "contact.location", &e);
	c->program = db_col_dup(st, 11);
	c->person_at_home = (int)db_col_int(st, 12);
	c->intervention = db_col_unsealed(st, 13, "contact.intervention", &e);
	c->response = db_col_unsealed(st, 14, "contact.response", &e);
	c->next_steps = db_col_unsealed(st, 15, "contact.next_steps", &e);
	c->written_together = (int)db_col_int(st, 16);
	c->author_id = db_col_dup(st, 17);
	c->author_name = db_col_dup(st, 18);
	c->credential = db_col_dup(st, 19);
	c->status = db_col_dup(st, 20);
	c->due_at = db_col_int(st, 21);
	c->signed_at = db_col_int(st, 22);
	c->late = (int)db_col_int(st, 23);
	c->cosign_required = (int)db_col_int(st, 24);
	c->cosign_due_at = db_col_int(st, 25);
	c->cosigned_by = db_col_dup(st, 26);
	c->cosigner_name = db_col_dup(st, 27);
	c->cosigned_at = db_col_int(st, 28);
	c->group_session_id = db_col_dup(st, 29);
	c->rules_version = db_col_dup(st, 30);
	c->billing_code = db_col_dup(st, 31);
	c->modifiers = db_col_dup(st, 32);
	c->place_of_service = db_col_dup(st, 33);
	c->units = (int)db_col_int(st, 34);
	c->billable = (int)db_col_int(st, 35);
	c->not_billable = db_col_dup(st, 36);
	c->billing_version = db_col_dup(st, 37);
	c->created_at = db_col_int(st, 38);
	c->updated_at = db_col_int(st, 39);
	c->group_size = (int)db_col_int(st, 40);
	c->group_facilitators = (int)db_col_int(st, 41);
	return e;
}

static enum err
load_goals(struct db *db, struct contact_rec *c)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT plan_id, item_id FROM contact_goal"
	    " WHERE contact_id = $1 ORDER BY item_id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->id);
	c->goals = xcalloc(CONTACT_MAX_GOALS, sizeof *c->goals);
	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    c->ngoals < CONTACT_MAX_GOALS) {
		snprintf(c->goals[c->ngoals].plan_id, 37, "%s",
		    db_col_text(st, 0));
		snprintf(c->goals[c->ngoals].item_id, 37, "%s",
		    db_col_text(st, 1));
		c->ngoals++;
	}
	db_done(st);
	return e;
}

static enum err
load_notes(struct db *db, struct contact_rec *c)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT a.id, a.body, a.author_id,"
	    " s.display_name, a.created_at FROM contact_addendum a"
	    " JOIN staff s ON s.id = a.author_id WHERE a.contact_id = $1"
	    " ORDER BY a.id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->id);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct contact_addendum *x;

		if (c->naddenda == cap) {
			cap = cap ? cap * 2 : 4;
			c->addenda = xreallocarray(c->addenda, (size_t)cap,
			    sizeof *c->addenda);
		}
		x = &c->addenda[c->naddenda++];
		memset(x, 0, sizeof *x);
		snprintf(x->id, sizeof x->id, "%s", db_col_text(st, 0));
		x->body = db_col_unsealed(st, 1, "contact_addendum.body", &e);
		x->author_id = db_col_dup(st, 2);
		x->author_name = db_col_dup(st, 3);
		x->created_at = db_col_int(st, 4);
	}
	db_done(st);
	if (e != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT id, body, acknowledged, typed_name,"
	    " recorded_by, created_at, portal_account_id FROM contact_comment"
	    " WHERE contact_id = $1 ORDER BY id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->id);
	cap = 0;
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct contact_comment *x;

		if (c->ncomments == cap) {
			cap = cap ? cap * 2 : 4;
			c->comments = xreallocarray(c->comments, (size_t)cap,
			    sizeof *c->comments);
		}
		x = &c->comments[c->ncomments++];
		memset(x, 0, sizeof *x);
		snprintf(x->id, sizeof x->id, "%s", db_col_text(st, 0));
		x->body = db_col_unsealed(st, 1, "contact_comment.body", &e);
		x->acknowledged = (int)db_col_int(st, 2);
		x->typed_name = db_col_dup(st, 3);
		x->recorded_by = db_col_dup(st, 4);
		x->created_at = db_col_int(st, 5);
		x->from_portal = !db_col_is_null(st, 6);
	}
	db_done(st);
	return e;
}

/* ---- billing ------------------------------------------------------ */

/* Whether the person had agreed to peer services on day (an episode whose
 * agreement came on or before it and that had not closed before it), and
 * the day that episode's intake was, for the episode cap. */
static enum err
agreement_on(struct db *db, const char *person_id, const char *day,
    int *active, char intake[11])
{
	struct db_stmt *st;
	enum err e;
	int row;

	*active = 0;
	intake[0] = '\0';
	if ((e = db_prepare(db, "SELECT intake_date FROM episode"
	    " WHERE person_id = $1 AND agreement_date <= $2"
	    " AND (discharge_date IS NULL OR discharge_date >= $2)"
	    " ORDER BY intake_date DESC", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, day);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		*active = 1;
		snprintf(intake, 11, "%s", db_col_text(st, 0));
	}
	db_done(st);
	return e;
}

/* Units of signed contacts for person and code with service dates in
 * [from, to). */
static enum err
units_between(struct db *db, const char *person_id, const char *code,
    const char *from, const char *to, int *units)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*units = 0;
	if ((e = db_prepare(db, "SELECT coalesce(sum(units), 0) FROM contact"
	    " WHERE person_id = $1 AND billing_code = $2 AND status = 'signed'"
	    " AND service_date >= $3 AND service_date < $4", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, code);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		*units = (int)db_col_int(st, 0);
	db_done(st);
	return e;
}

static struct billing_contact
engine_input(const struct contact_rec *c, int agreement)
{
	const struct billing_rules *br = &rules_get()->billing;
	const struct billing_type *t = billing_type_find(br, c->type);
	struct billing_contact in;

	memset(&in, 0, sizeof in);
	in.type = c->type;
	in.modality = t && t->modality >= 0 ? (enum billing_modality)
	    t->modality : BILLING_INDIVIDUAL;
	in.method = t && t->method >= 0 ? (enum billing_method)t->method :
	    BILLING_FACE_TO_FACE;
	in.setting = c->setting;
	in.at_home = c->person_at_home;
	in.program = c->program;
	in.minutes = c->minutes;
	in.goal_linked = c->ngoals > 0;
	in.agreement_active = agreement;
	in.group_size = c->group_size > 0 ? c->group_size : 1;
	in.facilitators = c->group_facilitators;
	return in;
}

/* The priors of the cap windows before day: the year that holds it (from
 * the code's first month) and the episode. */
static enum err
window_priors(struct db *db, const struct contact_rec *c,
    const struct billing_code *bc, const char *intake,
    struct billing_prior *p)
{
	struct date d, y;
	char ystart[11];
	int start = bc->year_starts_month >= 1 ? bc->year_starts_month : 1;
	enum err e;

	if (date_parse(c->service_date, &d) != ERR_OK)
		return ERR_INTERNAL;
	/* The cap year holding the day starts on the 1st of its month. */
	y.y = d.m >= start ? d.y : d.y - 1;
	y.m = start;
	y.d = 1;
	date_format(y, ystart);
	if ((e = units_between(db, c->person_id, bc->code, ystart,
	    c->service_date, &p->year_units)) != ERR_OK)
		return e;
	if (intake[0] && (e = units_between(db, c->person_id, bc->code, intake,
	    c->service_date, &p->episode_units)) != ERR_OK)
		return e;
	return ERR_OK;
}

/* Copies a result's codes into c. */
static void
take_result(struct contact_rec *c, const struct billing_result *r)
{
	struct buf b;
	int i;

	free(c->billing_code);
	free(c->modifiers);
	free(c->place_of_service);
	free(c->not_billable);
	c->billing_code = r->code ? xstrdup(r->code) : NULL;
	buf_init(&b, 256);
	for (i = 0; i < r->nmodifiers; i++)
		buf_printf(&b, "%s%s", i ? "," : "", r->modifiers[i]);
	c->modifiers = b.len ? buf_take(&b) : NULL;
	buf_free(&b);
	c->place_of_service = r->pos ? xstrdup(r->pos) : NULL;
	c->units = r->units;
	c->billable = r->billable;
	buf_init(&b, 512);
	for (i = 0; i < r->nreasons; i++)
		buf_printf(&b, "%s%s", i ? "," : "", r->reasons[i].code);
	c->not_billable = b.len ? buf_take(&b) : NULL;
	buf_free(&b);
	c->nreasons = r->nreasons;
	memcpy(c->reasons, r->reasons, sizeof c->reasons);
}

/*
 * Works out the billing of every signed contact of the person on day for
 * the contact's code, in the order they happened, and stores it (inside
 * the caller's write transaction). With draft set, works out that draft
 * as if it were signed now, in its place among them, and stores nothing:
 * it runs inside reads too.
 */
static enum err
bill_day(struct db *db, const struct contact_rec *draft, const char *person_id,
    const char *day, const char *type)
{
	const struct rules *r = rules_get();
	const struct billing_rules *br = &r->billing;
	const struct billing_type *t = billing_type_find(br, type);
	const struct billing_code *bc = t && t->billing_code ?
	    billing_code_find(br, t->billing_code) : NULL;
	struct billing_prior prior;
	struct db_stmt *st;
	char intake[11];
	int agreement, row, draft_done = 0, n = 0, cap = 0, i;
	struct contact_rec *day_c = NULL;
	enum err e;

	if ((e = agreement_on(db, person_id, day, &agreement, intake)) != ERR_OK)
		return e;
	/* The day's signed contacts of the same code. */
	if ((e = db_prepare(db, "SELECT " CONTACT_COLS " WHERE c.person_id = $1"
	    " AND c.service_date = $2 AND c.status = 'signed'"
	    " ORDER BY c.started_at, c.id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, day);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		const struct billing_type *ot;

		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			day_c = xreallocarray(day_c, (size_t)cap,
			    sizeof *day_c);
		}
		if ((e = fill(st, &day_c[n])) != ERR_OK) {
			contact_clear(&day_c[n]);
			break;
		}
		ot = billing_type_find(br, day_c[n].type);
		if (draft != NULL && strcmp(day_c[n].id, draft->id) == 0) {
			contact_clear(&day_c[n]);
			continue;
		}
		/* Only contacts that bill the same code share the day. */
		if (bc != NULL && (ot == NULL || ot->billing_code == NULL ||
		    strcmp(ot->billing_code, bc->code) != 0)) {
			contact_clear(&day_c[n]);
			continue;
		}
		if (bc == NULL) {
			contact_clear(&day_c[n]);
			continue;
		}
		n++;
	}
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++)
		e = load_goals(db, &day_c[i]);
	memset(&prior, 0, sizeof prior);
	if (e == ERR_OK && bc != NULL && (draft != NULL || n > 0))
		e = window_priors(db, draft ? draft : &day_c[0], bc, intake,
		    &prior);
	for (i = 0; e == ERR_OK && (i < n || (draft && !draft_done)); i++) {
		struct contact_rec *c;
		struct billing_contact in;
		struct billing_result res;

		if (draft && !draft_done && (i >= n ||
		    draft->started_at < day_c[i].started_at ||
		    (draft->started_at == day_c[i].started_at &&
		    strcmp(draft->id, day_c[i].id) < 0))) {
			c = (struct contact_rec *)(uintptr_t)draft;
			draft_done = 1;
			i--;
		} else {
			c = &day_c[i];
		}
		in = engine_input(c, agreement);
		if (billing_contact(br, &in, &prior, &res) != ERR_OK)
			memset(&res, 0, sizeof res);
		take_result(c, &res);
		prior.day_units += res.units;
		prior.year_units += res.units;
		prior.episode_units += res.units;
		prior.day_minutes += res.counted_minutes;
		/* Working out a draft (a read) stores nothing. */
		if (draft != NULL)
			continue;
		if ((e = db_prepare(db, "UPDATE contact SET billing_code = $1,"
		    " modifiers = $2, place_of_service = $3, units = $4,"
		    " counted_minutes = $5, billable = $6, not_billable = $7,"
		    " billing_version = $8 WHERE id = $9", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, c->billing_code);
		db_bind_text(st, 2, c->modifiers);
		db_bind_text(st, 3, c->place_of_service);
		db_bind_int(st, 4, c->units);
		db_bind_int(st, 5, res.counted_minutes);
		db_bind_int(st, 6, c->billable);
		db_bind_text(st, 7, c->not_billable);
		db_bind_text(st, 8, br->version);
		db_bind_text(st, 9, c->id);
		e = db_run(st, NULL);
		db_done(st);
	}
	for (i = 0; i < n; i++)
		contact_clear(&day_c[i]);
	free(day_c);
	/* A contact with no billed code is worked out on its own. */
	if (e == ERR_OK && bc == NULL && draft != NULL) {
		struct billing_contact in = engine_input(draft, agreement);
		struct billing_result res;

		memset(&prior, 0, sizeof prior);
		if (billing_contact(br, &in, &prior, &res) != ERR_OK)
			memset(&res, 0, sizeof res);
		take_result((struct contact_rec *)(uintptr_t)draft, &res);
	}
	return e;
}

/* Stores the billing of a signed contact whose kind bills no code: its
 * reasons. Contacts that bill a code are bill_day()'s. */
static enum err
bill_alone(struct db *db, const char *id)
{
	const struct billing_rules *br = &rules_get()->billing;
	const struct billing_type *t;
	struct contact_rec c;
	struct billing_contact in;
	struct billing_result res;
	struct billing_prior prior;
	struct db_stmt *st;
	char intake[11];
	int agreement;
	enum err e;

	memset(&c, 0, sizeof c);
	if ((e = db_prepare(db, "SELECT " CONTACT_COLS " WHERE c.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	{
		int row;

		if ((e = db_step(st, &row)) == ERR_OK && !row)
			e = ERR_NOT_FOUND;
		if (e == ERR_OK)
			e = fill(st, &c);
	}
	db_done(st);
	if (e != ERR_OK) {
		contact_clear(&c);
		return e;
	}
	t = billing_type_find(br, c.type);
	if (t != NULL && t->billing_code != NULL) {
		contact_clear(&c);
		return ERR_OK;
	}
	if ((e = load_goals(db, &c)) != ERR_OK ||
	    (e = agreement_on(db, c.person_id, c.service_date, &agreement,
	    intake)) != ERR_OK) {
		contact_clear(&c);
		return e;
	}
	memset(&prior, 0, sizeof prior);
	in = engine_input(&c, agreement);
	if (billing_contact(br, &in, &prior, &res) != ERR_OK)
		memset(&res, 0, sizeof res);
	take_result(&c, &res);
	if ((e = db_prepare(db, "UPDATE contact SET billing_code = NULL,"
	    " modifiers = NULL, place_of_service = $1, units = 0,"
	    " counted_minutes = 0, billable = 0, not_billable = $2,"
	    " billing_version = $3 WHERE id = $4", &st)) == ERR_OK) {
		db_bind_text(st, 1, c.place_of_service);
		db_bind_text(st, 2, c.not_billable);
		db_bind_text(st, 3, br->version);
		db_bind_text(st, 4, id);
		e = db_run(st, NULL);
		db_done(st);
	}
	contact_clear(&c);
	return e;
}

/* The group session a group contact came from: the group's name, its
 * curriculum and the session's topic. */
static enum err
load_group(struct db *db, struct contact_rec *c)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if (c->group_session_id == NULL)
		return ERR_OK;
	if ((e = db_prepare(db, "SELECT g.id, g.name, g.curriculum, s.topic"
	    " FROM group_session s JOIN peer_group g ON g.id = s.group_id"
	    " WHERE s.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->group_session_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		c->group_id = db_col_dup(st, 0);
		c->group_name = db_col_dup(st, 1);
		c->group_curriculum = db_col_dup(st, 2);
		c->group_topic = db_col_unsealed(st, 3, "group_session.topic",
		    &e);
	}
	db_done(st);
	return e;
}

/* Reads a whole contact (no policy check or audit: callers do both). A
 * draft's billing is worked out as it stands. */
static enum err
load_contact(struct db *db, const char *id, struct contact_rec *c)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(c, 0, sizeof *c);
	if ((e = db_prepare(db, "SELECT " CONTACT_COLS " WHERE c.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = fill(st, c);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e != ERR_OK) {
		contact_clear(c);
		return e;
	}
	if ((e = load_goals(db, c)) != ERR_OK ||
	    (e = load_notes(db, c)) != ERR_OK ||
	    (e = load_group(db, c)) != ERR_OK)
		goto fail;
	if (strcmp(c->status, "draft") == 0) {
		if ((e = bill_day(db, c, c->person_id, c->service_date,
		    c->type)) != ERR_OK)
			goto fail;
		c->missing = missing_of(c);
	} else if (c->not_billable != NULL) {
		/* The reasons a signed contact was not billable, in words. */
		struct billing_contact in;
		struct billing_result res;
		struct billing_prior prior;
		int agreement;
		char intake[11];

		if ((e = agreement_on(db, c->person_id, c->service_date,
		    &agreement, intake)) != ERR_OK)
			goto fail;
		memset(&prior, 0, sizeof prior);
		in = engine_input(c, agreement);
		if (billing_contact(&rules_get()->billing, &in, &prior, &res) ==
		    ERR_OK) {
			int i, k = 0;

			for (i = 0; i < res.nreasons; i++)
				if (strstr(c->not_billable, res.reasons[i].code))
					c->reasons[k++] = res.reasons[i];
			c->nreasons = k;
		}
		/* A reason that depended on the notes before it (a cap) is
		 * not worked out again on its own: name it as stored. */
		{
			const char *p = c->not_billable, *q;
			int i, known;

			while (*p && c->nreasons < BILLING_REASONS_MAX) {
				size_t len;

				q = strchr(p, ',');
				len = q ? (size_t)(q - p) : strlen(p);
				for (i = known = 0; i < c->nreasons; i++)
					known |= strlen(c->reasons[i].code) ==
					    len && strncmp(c->reasons[i].code,
					    p, len) == 0;
				if (!known && len > 0) {
					static const char *const caps[] = {
					    "cap_day", "cap_year",
					    "cap_episode" };
					struct billing_reason *r =
					    &c->reasons[c->nreasons++];
					size_t j;

					memset(r, 0, sizeof *r);
					r->code = "other";
					for (j = 0; j < 3; j++)
						if (strlen(caps[j]) == len &&
						    strncmp(caps[j], p, len) == 0)
							r->code = caps[j];
					snprintf(r->text, sizeof r->text, "%s",
					    r->code[0] == 'c' ?
					    "The payer's cap on units was "
					    "already reached when this note "
					    "was signed." : "Not billable under "
					    "the rules in force when this note "
					    "was signed.");
				}
				p += len;
				if (*p == ',')
					p++;
			}
		}
	}
	return ERR_OK;
fail:
	contact_clear(c);
	return e;
}

enum err
contact_load(struct db *db, const char *id, struct contact_rec *out)
{
	return load_contact(db, id, out);
}

/* ---- checking input ----------------------------------------------- */

struct times {
	int64_t	started;
	int64_t	ended;
};

static void
check_input(const struct contact_input *in, int creating, struct verr *v,
    struct times *t)
{
	const struct billing_rules *br = &rules_get()->billing;
	int have_s = 0, have_e = 0, i, j;

	if ((in->set & CF_TYPE) || creating) {
		if (in->type == NULL)
			verr_add(v, "type", "is required");
		else if (billing_type_find(br, in->type) == NULL)
			verr_add(v, "type", "must be one of the contact types");
	}
	if ((in->set & CF_STARTED_AT) || creating) {
		if (in->started_at == NULL)
			verr_add(v, "started_at", "is required");
		else if (time_parse_utc(in->started_at, &t->started) != ERR_OK)
			verr_add(v, "started_at", "must be an RFC 3339 UTC time, "
			    "such as 2026-11-22T14:00:00Z");
		else
			have_s = 1;
	}
	if ((in->set & CF_ENDED_AT) || creating) {
		if (in->ended_at == NULL)
			verr_add(v, "ended_at", "is required");
		else if (time_parse_utc(in->ended_at, &t->ended) != ERR_OK)
			verr_add(v, "ended_at", "must be an RFC 3339 UTC time, "
			    "such as 2026-11-22T14:45:00Z");
		else
			have_e = 1;
	}
	if (have_s && t->started > time_now_ms() + 5 * 60000)
		verr_add(v, "started_at", "must not be in the future: a "
		    "contact is written up after it happens");
	if (have_s && have_e && (t->ended <= t->started ||
	    t->ended - t->started > (int64_t)BILLING_MINUTES_MAX * 60000))
		verr_add(v, "ended_at", "must be after the start, and at most "
		    "24 hours later");
	if ((in->set & CF_SETTING) && in->setting != NULL &&
	    billing_setting_find(br, in->setting) == NULL)
		verr_add(v, "setting", "must be one of the settings");
	if ((in->set & CF_PROGRAM) && in->program != NULL &&
	    billing_program_find(br, in->program) == NULL)
		verr_add(v, "program", "must be one of the programs");
	if (in->set & CF_LOCATION)
		check_text(v, "location", in->location, CONTACT_SHORT_MAX, 0);
	if (in->set & CF_INTERVENTION)
		check_text(v, "intervention", in->intervention,
		    CONTACT_TEXT_MAX, CHECK_MULTILINE);
	if (in->set & CF_RESPONSE)
		check_text(v, "response", in->response, CONTACT_TEXT_MAX,
		    CHECK_MULTILINE);
	if (in->set & CF_NEXT_STEPS)
		check_text(v, "next_steps", in->next_steps, CONTACT_TEXT_MAX,
		    CHECK_MULTILINE);
	if (in->set & CF_CREDENTIAL)
		check_text(v, "credential", in->credential, 60, 0);
	if (in->set & CF_GOALS) {
		if (in->ngoals > CONTACT_MAX_GOALS)
			verr_add(v, "goals", "must name at most %d goals",
			    CONTACT_MAX_GOALS);
		for (i = 0; i < in->ngoals && i < CONTACT_MAX_GOALS; i++) {
			char f[32];

			snprintf(f, sizeof f, "goals[%d]", i);
			if (!uuid_valid(in->goals[i]))
				verr_add(v, f, "must be a goal's id");
			for (j = 0; j < i; j++)
				if (in->goals[j] && in->goals[i] &&
				    strcmp(in->goals[i], in->goals[j]) == 0)
					verr_add(v, f, "repeats a goal");
		}
	}
}

static enum err
write_goals(struct db *db, const char *id, const char *person_id,
    const struct contact_input *in, struct verr *v)
{
	struct db_stmt *st;
	char plan_id[37], f[32];
	enum err e;
	int i;

	for (i = 0; i < in->ngoals; i++) {
		e = plan_of_goal(db, person_id, in->goals[i], plan_id);
		if (e == ERR_NOT_FOUND) {
			snprintf(f, sizeof f, "goals[%d]", i);
			verr_add(v, f, "must be a goal of one of this person's "
			    "plans");
		} else if (e != ERR_OK) {
			return e;
		}
	}
	if (v->n)
		return ERR_INVALID;
	if ((e = db_prepare(db, "DELETE FROM contact_goal WHERE contact_id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < in->ngoals; i++) {
		if ((e = plan_of_goal(db, person_id, in->goals[i], plan_id)) !=
		    ERR_OK)
			return e;
		if ((e = db_prepare(db, "INSERT INTO contact_goal (contact_id,"
		    " plan_id, item_id) VALUES ($1, $2, $3)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, plan_id);
		db_bind_text(st, 3, in->goals[i]);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

static void
day_of(int64_t ms, char out[11])
{
	date_format(time_date_of(ms), out);
}

/* ---- changes ------------------------------------------------------ */

static enum err
finish(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, const char *detail,
    struct contact_rec *out)
{
	enum err e;

	if ((e = audit_actor(db, a, person_id, "contact", id, action,
	    "success", detail)) != ERR_OK ||
	    (e = load_contact(db, id, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		contact_clear(out);
	return e;
}

enum err
contact_create(struct db *db, const struct actor *a, const char *person_id,
    const struct contact_input *in, struct verr *v, struct contact_rec *out)
{
	const struct rules *r = rules_get();
	struct db_stmt *st;
	struct times t = { 0, 0 };
	char team_id[37], id[37], day[11], detail[64];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "contact", person_id, NULL,
	    "create")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	check_input(in, 1, v, &t);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, NULL, "create", e);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	day_of(t.started, day);
	if ((e = db_prepare(db, "INSERT INTO contact (id, person_id, staff_id,"
	    " service_date, minutes, created_at, version, type, started_at,"
	    " ended_at, setting, location, program, person_at_home,"
	    " intervention, response, next_steps, written_together,"
	    " credential, status, due_at, cosign_required, rules_version,"
	    " updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7,"
	    " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'draft',"
	    " $19, $20, $21, $6, $3)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, a->id);
	db_bind_text(st, 4, day);
	db_bind_int(st, 5, (t.ended - t.started) / 60000);
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, in->type);
	db_bind_int(st, 8, t.started);
	db_bind_int(st, 9, t.ended);
	db_bind_text(st, 10, (in->set & CF_SETTING) ? in->setting : NULL);
	db_bind_sealed(st, 11, "contact.location", (in->set & CF_LOCATION) ?
	    in->location : NULL);
	db_bind_text(st, 12, (in->set & CF_PROGRAM) ? in->program : NULL);
	db_bind_int(st, 13, (in->set & CF_AT_HOME) ? in->person_at_home : 0);
	db_bind_sealed(st, 14, "contact.intervention",
	    (in->set & CF_INTERVENTION) ? in->intervention : NULL);
	db_bind_sealed(st, 15, "contact.response", (in->set & CF_RESPONSE) ?
	    in->response : NULL);
	db_bind_sealed(st, 16, "contact.next_steps",
	    (in->set & CF_NEXT_STEPS) ? in->next_steps : NULL);
	db_bind_int(st, 17, (in->set & CF_TOGETHER) ? in->written_together :
	    0);
	db_bind_text(st, 18, (in->set & CF_CREDENTIAL) ? in->credential :
	    NULL);
	db_bind_int(st, 19, contact_due_at(in->type, t.ended));
	db_bind_int(st, 20, (r->notes.cosign_roles & (1u << a->role)) != 0);
	db_bind_text(st, 21, r->notes.version);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((in->set & CF_GOALS) && (e = write_goals(db, id, person_id, in,
	    v)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "type=%.40s", in->type);
	return finish(db, a, person_id, id, "create", detail, out);
fail:
	db_rollback(db);
	return e;
}

enum err
contact_get(struct db *db, const struct actor *a, const char *id,
    struct contact_rec *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "read")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_contact(db, id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		contact_clear(out);
		return deny(db, a, person, id, "read", e);
	}
	if ((e = audit_actor_alone(db, a, out->person_id, "contact", id, "read",
	    "success", NULL)) != ERR_OK)
		contact_clear(out);
	return e;
}

/* Opens a write on contact id with it loaded into cur, after the policy
 * check and the version check. */
static enum err
begin_change(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *action, struct contact_rec *cur,
    int64_t *current)
{
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load_contact(db, id, cur)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	/* The person in their portal may only comment. */
	if ((e = record_policy(a, a->role == ROLE_PERSON &&
	    strcmp(action, "comment") == 0 ? POL_PERSON_RESPOND :
	    POL_PERSON_UPDATE, cur->team_id, cur->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", cur->person_id);
		contact_clear(cur);
		return deny(db, a, person, id, action, e);
	}
	if (if_version >= 0 && cur->version != if_version) {
		*current = cur->version;
		contact_clear(cur);
		db_rollback(db);
		return ERR_STALE;
	}
	return ERR_OK;
}

static enum err
bump(struct db *db, const struct actor *a, const char *id, int64_t now)
{
	struct db_stmt *st;
	enum err e;

	/* A comment from the person's portal changes the version, not who
	 * last changed the note (a member of staff). */
	if ((e = db_prepare(db, "UPDATE contact SET version = version + 1,"
	    " updated_at = $1, updated_by = coalesce($2, updated_by)"
	    " WHERE id = $3", &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, a->role == ROLE_PERSON ? NULL : a->id);
	db_bind_text(st, 3, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

enum err
contact_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct contact_input *in, struct verr *v,
    struct contact_rec *out, int64_t *current)
{
	struct contact_rec cur;
	struct times t;
	char day[11];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "update")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	memset(&t, 0, sizeof t);
	check_input(in, 0, v, &t);
	if (in->set == 0)
		verr_add(v, "body", "must change at least one field");
	if ((e = begin_change(db, a, id, if_version, "update", &cur,
	    current)) != ERR_OK)
		return e;
	if (strcmp(cur.status, "draft") != 0) {
		e = ERR_FROZEN;
		goto fail;
	}
	if (!(in->set & CF_STARTED_AT))
		t.started = cur.started_at;
	if (!(in->set & CF_ENDED_AT))
		t.ended = cur.ended_at;
	if (v->n == 0 && (t.ended <= t.started ||
	    t.ended - t.started > (int64_t)BILLING_MINUTES_MAX * 60000))
		verr_add(v, (in->set & CF_ENDED_AT) ? "ended_at" : "started_at",
		    "must leave the contact ending after it starts, and at "
		    "most 24 hours later");
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	day_of(t.started, day);
	e = db_set_text(db, "UPDATE contact SET type = $1 WHERE id = $2",
	    (in->set & CF_TYPE) ? in->type : cur.type, id);
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE contact SET started_at = $1"
		    " WHERE id = $2", t.started, id);
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE contact SET ended_at = $1"
		    " WHERE id = $2", t.ended, id);
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE contact SET minutes = $1"
		    " WHERE id = $2", (t.ended - t.started) / 60000, id);
	if (e == ERR_OK)
		e = db_set_text(db, "UPDATE contact SET service_date = $1"
		    " WHERE id = $2", day, id);
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE contact SET due_at = $1"
		    " WHERE id = $2",
		    contact_due_at((in->set & CF_TYPE) ? in->type : cur.type,
		    t.ended), id);
	if (e == ERR_OK && (in->set & CF_SETTING))
		e = db_set_text(db, "UPDATE contact SET setting = $1"
		    " WHERE id = $2", in->setting, id);
	if (e == ERR_OK && (in->set & CF_LOCATION))
		e = db_set_sealed(db, "UPDATE contact SET location = $1"
		    " WHERE id = $2", "contact.location", in->location, id);
	if (e == ERR_OK && (in->set & CF_PROGRAM))
		e = db_set_text(db, "UPDATE contact SET program = $1"
		    " WHERE id = $2", in->program, id);
	if (e == ERR_OK && (in->set & CF_AT_HOME))
		e = db_set_int(db, "UPDATE contact SET person_at_home = $1"
		    " WHERE id = $2", in->person_at_home, id);
	if (e == ERR_OK && (in->set & CF_INTERVENTION))
		e = db_set_sealed(db, "UPDATE contact SET intervention = $1"
		    " WHERE id = $2", "contact.intervention", in->intervention, id);
	if (e == ERR_OK && (in->set & CF_RESPONSE))
		e = db_set_sealed(db, "UPDATE contact SET response = $1"
		    " WHERE id = $2", "contact.response", in->response, id);
	if (e == ERR_OK && (in->set & CF_NEXT_STEPS))
		e = db_set_sealed(db, "UPDATE contact SET next_steps = $1"
		    " WHERE id = $2", "contact.next_steps", in->next_steps, id);
	if (e == ERR_OK && (in->set & CF_TOGETHER))
		e = db_set_int(db, "UPDATE contact SET written_together = $1"
		    " WHERE id = $2", in->written_together, id);
	if (e == ERR_OK && (in->set & CF_CREDENTIAL))
		e = db_set_text(db, "UPDATE contact SET credential = $1"
		    " WHERE id = $2", in->credential, id);
	if (e == ERR_OK && (in->set & CF_GOALS))
		e = write_goals(db, id, cur.person_id, in, v);
	if (e == ERR_OK)
		e = bump(db, a, id, now);
	if (e != ERR_OK)
		goto fail;
	{
		char person[37];

		snprintf(person, sizeof person, "%s", cur.person_id);
		contact_clear(&cur);
		return finish(db, a, person, id, "update", NULL, out);
	}
fail:
	contact_clear(&cur);
	db_rollback(db);
	return e;
}

enum err
contact_sign(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, int as_cosigner, struct verr *v, const char **rule,
    struct contact_rec *out, int64_t *current)
{
	const struct note_rules *n = &rules_get()->notes;
	struct contact_rec cur;
	struct db_stmt *st;
	char person[37], day[11], type[64];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	*rule = NULL;
	if ((e = records_allowed(db, a, id, "sign")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = begin_change(db, a, id, if_version, as_cosigner ? "cosign" :
	    "sign", &cur, current)) != ERR_OK)
		return e;
	snprintf(person, sizeof person, "%s", cur.person_id);
	snprintf(day, sizeof day, "%s", cur.service_date);
	if (as_cosigner) {
		if (strcmp(cur.status, "signed") != 0 || !cur.cosign_required ||
		    cur.cosigned_by != NULL) {
			e = ERR_CONFLICT;
			goto fail;
		}
		if (!(n->cosigner_roles & (1u << a->role)) ||
		    strcmp(cur.author_id, a->id) == 0) {
			verr_add(v, "as", "a co-signature comes from a "
			    "supervisor other than the note's author");
			*rule = n->cosign_rule;
			e = ERR_RULE;
			goto fail;
		}
		if ((e = db_prepare(db, "UPDATE contact SET cosigned_by = $1,"
		    " cosigned_at = $2 WHERE id = $3", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, a->id);
		db_bind_int(st, 2, now);
		db_bind_text(st, 3, id);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK || (e = bump(db, a, id, now)) != ERR_OK)
			goto fail;
		contact_clear(&cur);
		return finish(db, a, person, id, "cosign", NULL, out);
	}
	if (strcmp(cur.status, "draft") != 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (strcmp(cur.author_id, a->id) != 0) {
		verr_add(v, "as", "the note's author signs it");
		*rule = n->required_rule;
		e = ERR_RULE;
		goto fail;
	}
	if (cur.missing) {
		static const struct {
			unsigned	 bit;
			const char	*field;
			const char	*what;
		} el[] = {
			{ NOTE_EL_LOCATION, "location", "where the contact "
			    "happened" },
			{ NOTE_EL_INTERVENTION, "intervention", "what was done "
			    "together" },
			{ NOTE_EL_RESPONSE, "response", "the person's "
			    "response" },
			{ NOTE_EL_NEXT_STEPS, "next_steps", "the next steps" },
			{ NOTE_EL_GOALS, "goals", "the plan goal it worked on" },
		};
		size_t i;

		for (i = 0; i < sizeof el / sizeof el[0]; i++)
			if (cur.missing & el[i].bit)
				verr_add(v, el[i].field, "is needed before the "
				    "note is signed (%s)", el[i].what);
		*rule = n->required_rule;
		e = ERR_RULE;
		goto fail;
	}
	if ((e = db_prepare(db, "UPDATE contact SET status = 'signed',"
	    " signed_at = $1, late = $2, cosign_due_at = $3,"
	    " rules_version = $4 WHERE id = $5", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now > cur.due_at);
	if (cur.cosign_required)
		db_bind_int(st, 3, after_business_days(n, time_date_of(now),
		    n->cosign_business_days));
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, n->version);
	db_bind_text(st, 5, id);
	e = db_run(st, NULL);
	db_done(st);
	snprintf(type, sizeof type, "%s", cur.type);
	contact_clear(&cur);
	/* The day's billing, this note in its place; a kind of contact that
	 * bills no code keeps why on its own. */
	if (e != ERR_OK || (e = bill_day(db, NULL, person, day, type)) !=
	    ERR_OK || (e = bill_alone(db, id)) != ERR_OK ||
	    (e = bump(db, a, id, now)) != ERR_OK)
		goto fail_open;
	return finish(db, a, person, id, "sign", NULL, out);
fail:
	contact_clear(&cur);
fail_open:
	db_rollback(db);
	return e;
}

enum err
contact_preview(struct db *db, struct contact_rec *draft)
{
	enum err e;

	if ((e = bill_day(db, draft, draft->person_id, draft->service_date,
	    draft->type)) != ERR_OK)
		return e;
	draft->missing = missing_of(draft);
	return ERR_OK;
}

enum err
contact_group_sign(struct db *db, const struct actor *a,
    const struct contact_group_note *in, struct verr *v, char id[37])
{
	const struct note_rules *n = &rules_get()->notes;
	struct contact_input goals;
	struct db_stmt *st;
	char day[11], detail[80];
	int64_t now = time_now_ms(), due;
	int cosign = (n->cosign_roles & (1u << a->role)) != 0;
	enum err e;

	uuid_v7(id);
	day_of(in->started_at, day);
	due = contact_due_at("group", in->ended_at);
	if ((e = db_prepare(db, "INSERT INTO contact (id, person_id, staff_id,"
	    " service_date, minutes, created_at, version, type, started_at,"
	    " ended_at, setting, location, program, person_at_home,"
	    " intervention, response, next_steps, written_together,"
	    " credential, status, due_at, signed_at, late, cosign_required,"
	    " cosign_due_at, group_session_id, group_size, group_facilitators,"
	    " rules_version, updated_at, updated_by) VALUES ($1, $2, $3, $4,"
	    " $5, $6, 1, 'group', $7, $8, $9, $10, $11, 0, $12, $13, $14, 0,"
	    " $15, 'signed', $16, $6, $17, $18, $19, $20, $21, $22, $23, $6,"
	    " $3)", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, in->person_id);
	db_bind_text(st, 3, a->id);
	db_bind_text(st, 4, day);
	db_bind_int(st, 5, (in->ended_at - in->started_at) / 60000);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, in->started_at);
	db_bind_int(st, 8, in->ended_at);
	db_bind_text(st, 9, in->setting);
	db_bind_sealed(st, 10, "contact.location", in->location);
	db_bind_text(st, 11, in->program);
	db_bind_sealed(st, 12, "contact.intervention", in->intervention);
	db_bind_sealed(st, 13, "contact.response", in->response);
	db_bind_sealed(st, 14, "contact.next_steps", in->next_steps);
	db_bind_text(st, 15, in->credential);
	db_bind_int(st, 16, due);
	db_bind_int(st, 17, now > due);
	db_bind_int(st, 18, cosign);
	if (cosign)
		db_bind_int(st, 19, after_business_days(n, time_date_of(now),
		    n->cosign_business_days));
	else
		db_bind_null(st, 19);
	db_bind_text(st, 20, in->session_id);
	db_bind_int(st, 21, in->group_size);
	db_bind_int(st, 22, in->facilitators);
	db_bind_text(st, 23, n->version);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		return e;
	memset(&goals, 0, sizeof goals);
	goals.set = CF_GOALS;
	goals.goals = in->goals;
	goals.ngoals = in->ngoals;
	if ((e = write_goals(db, id, in->person_id, &goals, v)) != ERR_OK ||
	    (e = bill_day(db, NULL, in->person_id, day, "group")) != ERR_OK ||
	    (e = bill_alone(db, id)) != ERR_OK)
		return e;
	snprintf(detail, sizeof detail, "type=group group_session=%.36s",
	    in->session_id);
	if ((e = audit_actor(db, a, in->person_id, "contact", id, "create",
	    "success", detail)) != ERR_OK)
		return e;
	return audit_actor(db, a, in->person_id, "contact", id, "sign",
	    "success", NULL);
}

enum err
contact_addendum_add(struct db *db, const struct actor *a, const char *id,
    const char *body, struct verr *v, struct contact_rec *out)
{
	struct contact_rec cur;
	struct db_stmt *st;
	char aid[37], person[37];
	int64_t now = time_now_ms(), unused;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "addendum")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_text(v, "body", body, CONTACT_TEXT_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	if ((e = begin_change(db, a, id, -1, "addendum", &cur, &unused)) !=
	    ERR_OK)
		return e;
	snprintf(person, sizeof person, "%s", cur.person_id);
	if (strcmp(cur.status, "signed") != 0) {
		contact_clear(&cur);
		db_rollback(db);
		return ERR_CONFLICT;
	}
	contact_clear(&cur);
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	uuid_v7(aid);
	if ((e = db_prepare(db, "INSERT INTO contact_addendum (id, contact_id,"
	    " body, author_id, created_at) VALUES ($1, $2, $3, $4, $5)",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, aid);
	db_bind_text(st, 2, id);
	db_bind_sealed(st, 3, "contact_addendum.body", body);
	db_bind_text(st, 4, a->id);
	db_bind_int(st, 5, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (e = bump(db, a, id, now)) != ERR_OK)
		goto fail;
	return finish(db, a, person, id, "addendum", NULL, out);
fail:
	db_rollback(db);
	return e;
}

enum err
contact_comment_add(struct db *db, const struct actor *a, const char *id,
    const char *typed_name, const char *body, int acknowledged,
    struct verr *v, struct contact_rec *out)
{
	struct contact_rec cur;
	struct db_stmt *st;
	char cid[37], person[37];
	int64_t now = time_now_ms(), unused;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "comment")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_text(v, "typed_name", typed_name, 100, CHECK_REQUIRED);
	check_text(v, "body", body, CONTACT_TEXT_MAX, CHECK_MULTILINE);
	if (text_blank(body) && !acknowledged)
		verr_add(v, "body", "is required unless the person marks the "
		    "note acknowledged");
	if ((e = begin_change(db, a, id, -1, "comment", &cur, &unused)) !=
	    ERR_OK)
		return e;
	snprintf(person, sizeof person, "%s", cur.person_id);
	if (strcmp(cur.status, "signed") != 0) {
		contact_clear(&cur);
		db_rollback(db);
		return ERR_CONFLICT;
	}
	contact_clear(&cur);
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	uuid_v7(cid);
	if ((e = db_prepare(db, "INSERT INTO contact_comment (id, contact_id,"
	    " body, acknowledged, typed_name, recorded_by, portal_account_id,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, cid);
	db_bind_text(st, 2, id);
	db_bind_sealed(st, 3, "contact_comment.body", !text_blank(body) ? body :
	    NULL);
	db_bind_int(st, 4, acknowledged != 0);
	db_bind_text(st, 5, typed_name);
	db_bind_text(st, 6, a->role == ROLE_PERSON ? NULL : a->id);
	db_bind_text(st, 7, a->role == ROLE_PERSON ? a->id : NULL);
	db_bind_int(st, 8, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (e = bump(db, a, id, now)) != ERR_OK)
		goto fail;
	return finish(db, a, person, id, "comment", NULL, out);
fail:
	db_rollback(db);
	return e;
}

/* ---- lists -------------------------------------------------------- */

static void
fill_summary(struct db *db, struct db_stmt *st, struct contact_summary *s)
{
	(void)db;
	memset(s, 0, sizeof *s);
	snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
	s->version = db_col_int(st, 1);
	snprintf(s->person_id, sizeof s->person_id, "%s", db_col_text(st, 2));
	s->person_name = db_col_dup(st, 3);
	s->type = db_col_dup(st, 4);
	s->started_at = db_col_int(st, 5);
	s->minutes = (int)db_col_int(st, 6);
	s->status = db_col_dup(st, 7);
	s->due_at = db_col_int(st, 8);
	s->late = (int)db_col_int(st, 9);
	s->cosign_required = (int)db_col_int(st, 10);
	s->cosigned_at = db_col_int(st, 11);
	s->author_name = db_col_dup(st, 12);
	s->units = (int)db_col_int(st, 13);
	s->billable = (int)db_col_int(st, 14);
	if (!db_col_is_null(st, 15))
		snprintf(s->service_date, sizeof s->service_date, "%s",
		    db_col_text(st, 15));
	s->credential = db_col_dup(st, 16);
	s->ncomments = (int)db_col_int(st, 17);
}

#define SUMMARY_COLS "c.id, c.version, c.person_id, p.preferred_name," \
	" c.type, c.started_at, c.minutes, c.status, c.due_at, c.late," \
	" c.cosign_required, c.cosigned_at, s.display_name, c.units," \
	" c.billable, c.service_date, c.credential," \
	" (SELECT count(*) FROM contact_comment k WHERE k.contact_id = c.id)" \
	" FROM contact c JOIN person p ON p.id = c.person_id" \
	" JOIN staff s ON s.id = c.staff_id"

enum err
contact_list(struct db *db, const struct actor *a, const char *person_id,
    const char *after, int limit, struct verr *v,
    struct contact_summary **items, int *n, char next[37])
{
	struct db_stmt *st;
	char team_id[37];
	enum err e;
	int row;

	*items = NULL;
	*n = 0;
	next[0] = '\0';
	if ((e = record_allowed(db, a, "contact", person_id, NULL, "list")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if (after != NULL && !uuid_valid(after))
		verr_add(v, "after", "must be the next cursor of an earlier "
		    "page");
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, NULL, "list", e);
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	if ((e = db_prepare(db, "SELECT " SUMMARY_COLS
	    " WHERE c.person_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3",
	    &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, after ? after : "g");
	db_bind_int(st, 3, limit + 1);
	*items = xcalloc((size_t)limit + 1, sizeof **items);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (*n == limit) {
			snprintf(next, 37, "%s", (*items)[*n - 1].id);
			break;
		}
		fill_summary(db, st, &(*items)[(*n)++]);
	}
	db_done(st);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "contact", NULL, "list",
		    "success", NULL);
	if (e != ERR_OK) {
		contact_summaries_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

enum err
contact_due(struct db *db, const struct actor *a,
    struct contact_summary **items, int *n)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0, i;

	*items = NULL;
	*n = 0;
	if ((e = policy_check(a, POL_PERSON_RECORDS, NULL)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	/* The actor's own drafts, and signed notes of their teams that wait
	 * for a co-signature the actor's role may give. */
	if ((e = db_prepare(db, "SELECT " SUMMARY_COLS
	    " WHERE (c.staff_id = $1 AND c.status = 'draft')"
	    " OR ($2 = 1 AND c.status = 'signed' AND c.cosign_required = 1"
	    "  AND c.cosigned_by IS NULL AND c.staff_id <> $1"
	    "  AND p.team_id IN (SELECT team_id FROM staff_team"
	    "   WHERE staff_id = $1))"
	    " ORDER BY c.due_at, c.id LIMIT 500", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, (rules_get()->notes.cosigner_roles &
	    (1u << a->role)) != 0);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xreallocarray(*items, (size_t)cap,
			    sizeof **items);
		}
		fill_summary(db, st, &(*items)[(*n)++]);
	}
	db_done(st);
	/* What each draft still lacks. */
	for (i = 0; e == ERR_OK && i < *n; i++) {
		struct contact_rec c;

		if (strcmp((*items)[i].status, "draft") != 0)
			continue;
		if ((e = load_contact(db, (*items)[i].id, &c)) != ERR_OK)
			break;
		(*items)[i].missing = c.missing;
		contact_clear(&c);
	}
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, NULL, "contact", NULL, "due",
		    "success", NULL);
	if (e != ERR_OK) {
		contact_summaries_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

void
units_rows_free(struct units_row *r, int n)
{
	int i;

	for (i = 0; r != NULL && i < n; i++) {
		free(r[i].person_name);
		free(r[i].legal_name);
		free(r[i].service_date);
		free(r[i].billing_code);
		free(r[i].modifiers);
		free(r[i].place_of_service);
	}
	free(r);
}

enum err
contact_units_report(struct db *db, const struct actor *a, const char *from,
    const char *to, const char *team, struct verr *v, struct units_row **rows,
    int *n)
{
	struct db_stmt *st;
	struct date df, dt;
	char team_id[37];
	enum err e;
	int row, cap = 0, have_f, have_t;

	*rows = NULL;
	*n = 0;
	team_id[0] = '\0';
	if ((e = policy_check(a, POL_REPORT_UNITS, NULL)) != ERR_OK) {
		audit_actor_alone(db, a, NULL, "report", NULL, "units",
		    "denied", NULL);
		return e;
	}
	have_f = check_date(v, "from", from, CHECK_REQUIRED, 0, &df);
	have_t = check_date(v, "to", to, CHECK_REQUIRED, 0, &dt);
	if (have_f && have_t && (date_cmp(df, dt) > 0 ||
	    date_to_days(dt) - date_to_days(df) > 366))
		verr_add(v, "to", "must be on or after from, and at most a "
		    "year later");
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if (team != NULL) {
		if ((e = db_prepare(db, "SELECT id FROM team WHERE name = $1",
		    &st)) != ERR_OK)
			goto out;
		db_bind_text(st, 1, team);
		if ((e = db_step(st, &row)) == ERR_OK && row)
			snprintf(team_id, sizeof team_id, "%s",
			    db_col_text(st, 0));
		db_done(st);
		if (e != ERR_OK)
			goto out;
		if (team_id[0] == '\0' ||
		    policy_check(a, POL_REPORT_UNITS, team_id) != ERR_OK)
			verr_add(v, "team", "must be the name of one of your "
			    "teams");
	}
	if (v->n) {
		e = ERR_INVALID;
		goto out;
	}
	if ((e = db_prepare(db, team_id[0] ?
	    "SELECT c.person_id, p.preferred_name, p.legal_name,"
	    " c.service_date, c.billing_code, coalesce(c.modifiers, ''),"
	    " coalesce(c.place_of_service, ''), sum(c.units), count(*)"
	    " FROM contact c JOIN person p ON p.id = c.person_id"
	    " WHERE c.status = 'signed' AND c.units > 0"
	    " AND c.service_date >= $1 AND c.service_date <= $2"
	    " AND p.team_id = $3"
	    " GROUP BY c.person_id, p.preferred_name, p.legal_name,"
	    " c.service_date, c.billing_code, coalesce(c.modifiers, ''),"
	    " coalesce(c.place_of_service, '')"
	    " ORDER BY c.service_date, p.preferred_name, c.person_id" :
	    "SELECT c.person_id, p.preferred_name, p.legal_name,"
	    " c.service_date, c.billing_code, coalesce(c.modifiers, ''),"
	    " coalesce(c.place_of_service, ''), sum(c.units), count(*)"
	    " FROM contact c JOIN person p ON p.id = c.person_id"
	    " WHERE c.status = 'signed' AND c.units > 0"
	    " AND c.service_date >= $1 AND c.service_date <= $2"
	    " AND p.team_id IN (SELECT team_id FROM staff_team"
	    "  WHERE staff_id = $3)"
	    " GROUP BY c.person_id, p.preferred_name, p.legal_name,"
	    " c.service_date, c.billing_code, coalesce(c.modifiers, ''),"
	    " coalesce(c.place_of_service, '')"
	    " ORDER BY c.service_date, p.preferred_name, c.person_id", &st)) !=
	    ERR_OK)
		goto out;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, team_id[0] ? team_id : a->id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct units_row *u;

		if (*n == UNITS_REPORT_MAX) {
			verr_add(v, "to", "makes a report of more than %d "
			    "lines: choose a shorter period or one team",
			    UNITS_REPORT_MAX);
			e = ERR_INVALID;
			break;
		}

		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = xreallocarray(*rows, (size_t)cap,
			    sizeof **rows);
		}
		u = &(*rows)[(*n)++];
		memset(u, 0, sizeof *u);
		snprintf(u->person_id, sizeof u->person_id, "%s",
		    db_col_text(st, 0));
		u->person_name = db_col_dup(st, 1);
		u->legal_name = db_col_dup(st, 2);
		u->service_date = db_col_dup(st, 3);
		u->billing_code = db_col_dup(st, 4);
		u->modifiers = db_col_dup(st, 5);
		u->place_of_service = db_col_dup(st, 6);
		u->units = (int)db_col_int(st, 7);
		u->contacts = (int)db_col_int(st, 8);
	}
	db_done(st);
out:
	db_rollback(db);
	/* The report, and each person whose units it shows, are audited. */
	if (e == ERR_OK && (e = db_begin(db, DB_TX_APPEND)) == ERR_OK) {
		int i;

		e = audit_actor(db, a, NULL, "report", team_id[0] ? team_id :
		    NULL, "units", "success", NULL);
		for (i = 0; e == ERR_OK && i < *n; i++)
			if (i == 0 || strcmp((*rows)[i].person_id,
			    (*rows)[i - 1].person_id) != 0 ||
			    strcmp((*rows)[i].service_date,
			    (*rows)[i - 1].service_date) != 0)
				e = audit_actor(db, a, (*rows)[i].person_id,
				    "contact", NULL, "report", "success",
				    "units");
		if (e == ERR_OK)
			e = db_commit(db);
		else
			db_rollback(db);
	}
	if (e != ERR_OK) {
		units_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return e;
}
